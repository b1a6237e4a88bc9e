//! Contested issues.
//!
//! - `issue.such_as`: "some of the most contentious issues—such as
//!   territorial concessions and security guarantees—".
//! - `issue.contested`: "Territorial integrity, military security, and
//!   international guarantees remain central points of contention" (see
//!   [`super::lexicon::CONTESTED_PREDICATES`]); when the sentence speaks of the
//!   negotiators, the talks ADDRESS them (`issue.addressed_by_talks`).
//! - `issue.deferred`: "leaving ... for direct negotiations", "were left for a summit".
//! - [`mark_issue_mentions`]: every other mention of a known issue by its name.

use factgraph_model::Value;

use super::doc::{capitalise, normalize, Doc, Eid, Form, IK};
use super::events::event_item;
use super::lexicon as lx;
use super::pattern;

/// Splits items `a..b` into noun phrases at commas and "and"; returns their item ranges.
fn np_list(doc: &Doc, s: usize, a: usize, b: usize) -> Vec<(usize, usize)> {
    let sent = &doc.sents[s];
    let mut out = Vec::new();
    let mut start = a;
    for i in a..=b {
        let sep = i == b || sent.punct(i, ",") || sent.word(i) == Some("and");
        if sep {
            let mut x = start;
            while x < i && matches!(sent.word(x), Some("the" | "a" | "an" | "and")) {
                x += 1;
            }
            if x < i {
                out.push((x, i));
            }
            start = i + 1;
        }
    }
    out
}

/// Makes each phrase of `list` a contested issue.
fn issues_from(doc: &mut Doc, s: usize, list: &[(usize, usize)], rule: &'static str) -> Vec<Eid> {
    let mut out = Vec::new();
    // Last first, so that replacing a phrase leaves the earlier ranges valid.
    for &(a, b) in list.iter().rev() {
        let sent = &doc.sents[s];
        if (a..b).any(|i| !pattern::actors_of(doc, s, i).is_empty() && b - a == 1) {
            continue;
        }
        let (t0, t1) = (sent.items[a].t0, sent.items[b - 1].t1);
        let name = capitalise(&sent.text(t0, t1));
        let e = doc
            .find("Issue", &name)
            .unwrap_or_else(|| doc.add_ent("Issue", &name, 0, "issue", true));
        doc.mention(e, s, t0, t1, rule);
        doc.set_prop(e, "status", Value::from("contested"));
        doc.fire(rule, s, t0, t1, format!("Issue {name}"));
        doc.sents[s].replace(a, b, IK::Ent(e, Form::Description));
        out.push(e);
    }
    out.reverse();
    out
}

/// Runs the issue rules on sentence `s`; returns the issues it found.
pub fn issues(doc: &mut Doc, s: usize) -> Vec<Eid> {
    let mut found = Vec::new();
    // "issues—such as A and B—", "issues, such as A and B,"
    let n = doc.sents[s].items.len();
    if let Some(i) = (0..n).find(|&i| {
        doc.sents[s].word(i) == Some("issues")
            && (doc.sents[s].words_at(i + 1, &["such", "as"])
                || doc.sents[s].words_at(i + 2, &["such", "as"]))
    }) {
        let a = if doc.sents[s].word(i + 1) == Some("such") {
            i + 3
        } else {
            i + 4
        };
        let b = (a..n)
            .find(|&k| {
                doc.sents[s].punct(k, "—")
                    || doc.sents[s].punct(k, ")")
                    || doc.sents[s].punct(k, ".")
                    || (doc.sents[s].punct(k, ",")
                        && !matches!(doc.sents[s].word(k + 1), Some("and"))
                        && !np_continues(doc, s, k))
            })
            .unwrap_or(n);
        let list = np_list(doc, s, a, b);
        found.extend(issues_from(doc, s, &list, "issue.such_as"));
    }
    // "A, B, and C remain central points of contention"
    let text: Vec<String> = (0..doc.sents[s].items.len())
        .map(|i| doc.sents[s].word(i).unwrap_or("\u{0}").to_string())
        .collect();
    for pred in lx::CONTESTED_PREDICATES {
        let words: Vec<&str> = pred.split(' ').collect();
        let Some(p) = (0..text.len()).find(|&i| doc.sents[s].words_at(i, &words)) else {
            continue;
        };
        let a = pattern::main_clause_start(doc, s);
        let list = np_list(doc, s, a, p);
        let new = issues_from(doc, s, &list, "issue.contested");
        // The talks address them when the sentence speaks of the negotiators.
        let talks = doc
            .with_label("Event")
            .into_iter()
            .filter(|&e| doc.ents[e].class == "negotiations")
            .max_by_key(|&e| doc.ents[e].sources.len());
        let mentions_talks = doc.sents[s].items.iter().any(|it| match it.kind {
            IK::Ent(e, _) => {
                doc.ents[e].class == "negotiators"
                    || doc.ents[e].class == "rep:negotiators"
                    || (doc.ents[e].label == "Event" && doc.ents[e].class == "negotiations")
            }
            _ => false,
        });
        if let (Some(t), true) = (talks, mentions_talks) {
            for &e in &new {
                let src = doc.ents[e]
                    .sources
                    .iter()
                    .find(|x| x.sentence == s)
                    .cloned();
                if let Some(src) = src {
                    let t0 = doc.sents[s]
                        .toks
                        .iter()
                        .position(|t| t.start == src.start)
                        .unwrap_or(0);
                    let t1 = doc.sents[s]
                        .toks
                        .iter()
                        .position(|t| t.end == src.end)
                        .map_or(t0 + 1, |x| x + 1);
                    doc.relate(
                        t,
                        "ADDRESSES",
                        e,
                        vec![],
                        s,
                        t0,
                        t1,
                        "issue.addressed_by_talks",
                    );
                }
            }
        }
        found.extend(new);
        break;
    }
    deferred(doc, s, &found);
    found
}

/// Whether the comma at `k` continues a list ("A, B, and C").
fn np_continues(doc: &Doc, s: usize, k: usize) -> bool {
    let sent = &doc.sents[s];
    (k + 1..sent.items.len())
        .take(5)
        .any(|i| sent.word(i) == Some("and"))
        && !(k + 1..sent.items.len())
            .take(3)
            .any(|i| sent.punct(i, "—"))
}

fn deferred(doc: &mut Doc, s: usize, found: &[Eid]) {
    if found.is_empty() {
        return;
    }
    let n = doc.sents[s].items.len();
    let Some(l) = (0..n).find(|&i| {
        matches!(
            doc.sents[s].word(i),
            Some("leaving" | "left" | "deferred" | "postponed")
        )
    }) else {
        return;
    };
    let Some(f) = (l..n).find(|&i| matches!(doc.sents[s].word(i), Some("for" | "until" | "to")))
    else {
        return;
    };
    let Some(ev) = (f + 1..n.min(f + 3)).find_map(|i| event_item(doc, s, i)) else {
        return;
    };
    let ei = (f + 1..n)
        .find(|&i| event_item(doc, s, i) == Some(ev))
        .unwrap_or(f + 1);
    let (t0, t1) = (doc.sents[s].items[l].t0, doc.sents[s].items[ei].t1);
    for &issue in found {
        doc.relate(
            issue,
            "DEFERRED_TO",
            ev,
            vec![],
            s,
            t0,
            t1,
            "issue.deferred",
        );
    }
}

/// Marks every later or earlier mention of a known issue by its name.
pub fn mark_issue_mentions(doc: &mut Doc) {
    let issues: Vec<(Eid, Vec<String>)> = doc
        .with_label("Issue")
        .into_iter()
        .map(|e| {
            let mut names = vec![normalize(&doc.ents[e].name)];
            names.extend(doc.ents[e].aliases.iter().map(|a| normalize(a)));
            (e, names)
        })
        .collect();
    for s in 0..doc.sents.len() {
        let mut i = 0;
        while i < doc.sents[s].items.len() {
            let mut hit = None;
            for (e, names) in &issues {
                for name in names {
                    let len = name.split(' ').count();
                    let mut k = i;
                    let mut text = String::new();
                    while k < doc.sents[s].items.len()
                        && text.split(' ').count() < len + 2
                        && doc.sents[s].items[k].kind == IK::Tok
                    {
                        let w = doc.sents[s].word(k).unwrap_or("");
                        if !text.is_empty() {
                            text.push(' ');
                        }
                        text.push_str(w);
                        k += 1;
                        if normalize(&text) == *name {
                            hit = Some((*e, k));
                            break;
                        }
                    }
                    if hit.is_some() {
                        break;
                    }
                }
                if hit.is_some() {
                    break;
                }
            }
            if let Some((e, k)) = hit {
                let (t0, t1) = (doc.sents[s].items[i].t0, doc.sents[s].items[k - 1].t1);
                doc.mention(e, s, t0, t1, "mention.issue");
                doc.sents[s].replace(i, k, IK::Ent(e, Form::Description));
            }
            i += 1;
        }
    }
}
