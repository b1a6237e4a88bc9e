//! What a stance is on: the proposals, issues and events an object phrase
//! or a reported clause names, and the demand a "called for" states.

use super::talks;
use crate::doc::{Doc, Eid, IK};
use crate::nps;
use crate::pattern;

/// The targets an object phrase at item `i` names: a proposal, issue or
/// event; "it"; a generic "any deal" (the most salient proposal).
pub(super) fn object_targets(doc: &Doc, s: usize, i: usize, generic_to_talks: bool) -> Vec<Eid> {
    let sent = &doc.sents[s];
    let Some(it) = sent.items.get(i) else {
        return Vec::new();
    };
    match &it.kind {
        IK::Ent(e, _) if matches!(doc.ents[*e].label, "Proposal" | "Issue" | "Event") => vec![*e],
        IK::Pron(p) if p == "it" => pattern::resolve_pron(doc, s, i).into_iter().collect(),
        IK::Generic("Proposal") if generic_to_talks => talks(doc).into_iter().collect(),
        IK::Generic("Proposal") => {
            let head = sent.toks[it.t1 - 1].lower.clone();
            nps::salient_with(doc, "Proposal", "agreement", s, Some(&head))
                .into_iter()
                .collect()
        }
        _ => Vec::new(),
    }
}

/// Words too common to tie a phrase to an issue.
const NOT_CONTENT: &[&str] = &[
    "the", "a", "an", "of", "on", "in", "for", "to", "and", "or", "any", "its", "their", "his",
    "her", "new", "proposed", "binding", "other", "more", "some", "this", "that", "these",
];

/// The known issue an object phrase at item `i` is about, by the issue's
/// first or last content word ("any cap on production", "the proposed
/// limits" for "Production limits"; "the financing provisions" for
/// "Financing of waste systems"). Only plain words up to the next break or
/// entity count, so a phrase never reaches into another clause.
pub(super) fn issue_by_words(doc: &Doc, s: usize, i: usize) -> Option<Eid> {
    let sent = &doc.sents[s];
    let mut words: Vec<&str> = Vec::new();
    for k in i..sent.items.len().min(i + 8) {
        if sent.is_break(k) {
            break;
        }
        let Some(w) = sent.word(k) else { break };
        let clause_word = matches!(
            w,
            "that"
                | "which"
                | "and"
                | "but"
                | "as"
                | "because"
                | "while"
                | "to"
                | "would"
                | "will"
                | "could"
                | "should"
                | "is"
                | "are"
                | "was"
                | "were"
                | "has"
                | "have"
                | "had"
        );
        if clause_word && k > i {
            break;
        }
        words.push(w);
    }
    let issues = doc.with_label("Issue");
    issues.into_iter().find(|&e| {
        let name = crate::doc::normalize(&doc.ents[e].name);
        let content: Vec<&str> = name
            .split(' ')
            .filter(|w| !NOT_CONTENT.contains(w) && w.len() > 2)
            .collect();
        let (Some(first), Some(last)) = (content.first(), content.last()) else {
            return false;
        };
        words.iter().any(|w| w == first || w == last)
    })
}

/// The demand a "called for" object phrase at item `k` states, as an issue
/// named by the phrase: it ends at a break, a date, a clause word, a
/// preposition of time or place, or a second verb.
pub(super) fn demand(doc: &mut Doc, s: usize, k: usize) -> Option<Eid> {
    let sent = &doc.sents[s];
    let n = sent.items.len();
    let mut end = k;
    while end < n && end < k + 14 {
        let stop = sent.is_break(end)
            || matches!(sent.items[end].kind, IK::Date(_) | IK::Pron(_))
            || sent.word(end).is_some_and(|w| {
                matches!(
                    w,
                    "that"
                        | "which"
                        | "who"
                        | "and"
                        | "but"
                        | "in"
                        | "at"
                        | "during"
                        | "after"
                        | "before"
                        | "since"
                        | "until"
                        | "by"
                        | "from"
                        | "with"
                        | "when"
                        | "while"
                        | "because"
                        | "to"
                        | "as"
                        | "last"
                        | "next"
                )
            });
        if stop {
            break;
        }
        end += 1;
    }
    let mut a = k;
    while a < end
        && sent
            .word(a)
            .is_some_and(|w| matches!(w, "a" | "an" | "the"))
    {
        a += 1;
    }
    // A bare determiner or a lone word is no demand.
    if end < a + 2 {
        return None;
    }
    let (t0, t1) = (sent.items[a].t0, sent.items[end - 1].t1);
    let name = crate::doc::capitalise(&sent.text(t0, t1));
    let e = doc
        .find("Issue", &name)
        .unwrap_or_else(|| doc.add_ent("Issue", &name, 0, "demands", true));
    doc.mention(e, s, t0, t1, "mention.issue");
    Some(e)
}

/// What a reported clause is about: proposals, issues, and talks or elections.
pub(super) fn clause_targets(doc: &Doc, s: usize, a: usize, b: usize) -> Vec<Eid> {
    let mut out = Vec::new();
    // "said the proposed limits would hurt ...": a known issue as the clause's subject.
    if let Some(e) = issue_by_words(doc, s, a) {
        out.push(e);
    }
    let specific = (a..b).any(|i| {
        !matches!(doc.sents[s].items[i].kind, IK::Generic(_))
            && !object_targets(doc, s, i, false).is_empty()
    });
    for i in a..b {
        if specific && matches!(doc.sents[s].items[i].kind, IK::Generic(_)) {
            continue;
        }
        // "... to rebuild their balance sheets after the debt restructuring":
        // an event named only as a time is background, not the topic.
        let background = (i.saturating_sub(2)..i).any(|j| {
            matches!(
                doc.sents[s].word(j),
                Some("after" | "before" | "since" | "during" | "until")
            )
        });
        if background {
            continue;
        }
        for e in object_targets(doc, s, i, true) {
            // Comments on fighting are reports, not stances.
            let ok = match doc.ents[e].label {
                "Event" => !matches!(
                    doc.ents[e].class.as_str(),
                    "war" | "clashes" | "invasion" | "consequence"
                ),
                _ => true,
            };
            if ok && !out.contains(&e) {
                out.push(e);
            }
        }
    }
    out
}
