//! `stance.verb`: "<actor> (tentatively) agreed to / rejected / criticised /
//! supports <object>", negated ("did not accept"), with the object found
//! after the verb, in a relative clause's antecedent or in a reason.

use super::position;
use super::targets::{demand, issue_by_words, object_targets};
use crate::doc::{Doc, Eid, IK};
use crate::lexicon as lx;
use crate::nps;
use crate::pattern;

/// The negation of a stance: "accepts" -> "does not accept".
fn negate(stance: &str) -> String {
    if let Some(rest) = stance.strip_prefix("will ") {
        return format!("will not {rest}");
    }
    if let Some(rest) = stance.strip_prefix("has ") {
        return format!("does not have {rest}");
    }
    let (verb, rest) = stance.split_once(' ').unwrap_or((stance, ""));
    let base = verb
        .strip_suffix("es")
        .filter(|b| b.ends_with("ss") || b.ends_with('h'))
        .or_else(|| verb.strip_suffix('s'))
        .unwrap_or(verb);
    format!(
        "does not {base}{}{rest}",
        if rest.is_empty() { "" } else { " " }
    )
}

/// [`lx::STANCE_VERBS`] with each form split into words, built once.
fn stance_forms() -> &'static [(Vec<&'static str>, &'static str)] {
    static FORMS: std::sync::OnceLock<Vec<(Vec<&'static str>, &'static str)>> =
        std::sync::OnceLock::new();
    FORMS.get_or_init(|| {
        lx::STANCE_VERBS
            .iter()
            .map(|(form, stance)| (form.split(' ').collect(), *stance))
            .collect()
    })
}

/// Runs `stance.verb` on sentence `s`: the longest stance verb form at each item.
pub(super) fn stance_verbs(doc: &mut Doc, s: usize) {
    let n = doc.sents[s].items.len();
    let mut v = 0;
    while v < n {
        let mut matched = None;
        for (words, stance) in stance_forms() {
            if doc.sents[s].words_at(v, words)
                && matched
                    .as_ref()
                    .is_none_or(|(l, _): &(usize, &str)| words.len() > *l)
            {
                matched = Some((words.len(), *stance));
            }
        }
        if let Some((len, stance)) = matched {
            stance_verb(doc, s, v, len, stance);
            v += len;
            continue;
        }
        v += 1;
    }
}

fn stance_verb(doc: &mut Doc, s: usize, v: usize, len: usize, stance: &'static str) {
    let Some((mut actors, first)) = pattern::clause_subject(doc, s, v) else {
        return;
    };
    // "Environmental groups, including Greenpeace, criticised": the members named take it too.
    let verb_at = doc.sents[s].toks[doc.sents[s].items[v].t0].start;
    let subject_from = doc.sents[s].toks[doc.sents[s].items[first].t0].start;
    let named_members: Vec<Eid> = doc
        .rels
        .iter()
        .filter(|r| {
            r.rel_type == "MEMBER_OF"
                && actors.contains(&r.to)
                && r.sources.iter().any(|x| {
                    x.sentence == s
                        && x.rule == "member.including"
                        && x.start >= subject_from
                        && x.end <= verb_at
                })
        })
        .map(|r| r.from)
        .collect();
    for m in named_members {
        if !actors.contains(&m) {
            actors.push(m);
        }
    }
    let tentative = (first..v).any(|k| doc.sents[s].word(k) == Some("tentatively"));
    let negated = (first.max(v.saturating_sub(4))..v).any(|k| {
        doc.sents[s].word(k).is_some_and(|w| {
            matches!(
                w,
                "not"
                    | "never"
                    | "won't"
                    | "don't"
                    | "doesn't"
                    | "didn't"
                    | "cannot"
                    | "can't"
                    | "refused"
                    | "refuses"
                    | "refusing"
                    | "failed"
                    | "fails"
            )
        })
    });
    let stance: String = if tentative {
        "tentatively agrees".into()
    } else if negated {
        negate(stance)
    } else {
        stance.into()
    };
    let stance = stance.as_str();
    let n = doc.sents[s].items.len();
    let mut k = v + len;
    while doc.sents[s].word(k).is_some_and(|w| {
        matches!(
            w,
            "to" | "on" | "the" | "outline" | "of" | "about" | "terms"
        )
    }) || matches!(
        doc.sents[s].items.get(k).map(|it| &it.kind),
        Some(IK::Date(_))
    ) {
        k += 1;
    }
    // "backed management's offer": the possessor is not the object.
    if doc.sents[s].word(k).is_some()
        && doc.sents[s].items.get(k + 1).is_some_and(|it| {
            it.kind == IK::Tok && doc.sents[s].toks[it.t0].kind == crate::tokens::Kind::Possessive
        })
    {
        k += 2;
    }
    let mut targets = object_targets(doc, s, k, false);
    if targets.is_empty() && stance != "calls it" {
        targets.extend(issue_by_words(doc, s, k));
    }
    // "a rule that some generic manufacturers have opposed", "an increase,
    // which the union called an insult": the object is the relative
    // clause's antecedent.
    let relative = first >= 1 && matches!(doc.sents[s].word(first - 1), Some("that" | "which"));
    let gapped = targets.is_empty()
        && relative
        && (doc.sents[s].is_break(k)
            || k >= n
            || matches!(doc.sents[s].word(k), Some("as" | "a" | "an")));
    if gapped {
        let from = first - 1;
        let at = doc.sents[s].toks[doc.sents[s].items[from].t0].start;
        let antecedent = (from.saturating_sub(8)..from)
            .rev()
            .find_map(|i| object_targets(doc, s, i, false).first().copied())
            .or_else(|| {
                // A proposal a rule found in the text before ("offered a 3.5 percent increase").
                doc.with_label("Proposal")
                    .into_iter()
                    .filter_map(|e| {
                        doc.ents[e]
                            .sources
                            .iter()
                            .filter(|x| x.sentence == s && x.end <= at && at - x.end <= 3)
                            .map(|x| x.end)
                            .max()
                            .map(|end| (end, e))
                    })
                    .max()
                    .map(|(_, e)| e)
            });
        if let Some(e) = antecedent {
            targets.push(e);
            if stance == "calls it" && matches!(doc.sents[s].word(k), Some("a" | "an")) {
                k = k.saturating_sub(1);
            }
        }
    }
    // "called the outcome a failure", "called the outcome “deeply disappointing”".
    if stance == "calls it"
        && !(targets.len() == 1
            && (matches!(doc.sents[s].word(k + 1), Some("a" | "an"))
                || doc.sents[s].punct(k + 1, "“")
                || (gapped && doc.sents[s].word(k + 1).is_some())))
    {
        return;
    }
    if targets.is_empty() && matches!(stance, "concedes defeat" | "blames") {
        let kind = if stance == "concedes defeat" {
            "election"
        } else {
            "clashes"
        };
        targets = nps::salient(doc, "Event", kind, s).into_iter().collect();
    }
    // "criticised the government for failing to prevent the strike"
    if targets.is_empty() && !doc.sents[s].is_break(k) {
        let end = pattern::clause_end(doc, s, k + 1);
        // "... the government for attacking the bank and called for a review":
        // the reason ends where a second verb begins.
        let end = (k + 1..end.min(n))
            .find(|&i| {
                doc.sents[s].word(i) == Some("and")
                    && doc.sents[s].word(i + 1).is_some_and(|w| {
                        w.ends_with("ed") || lx::STANCE_VERBS.iter().any(|(f, _)| f.starts_with(w))
                    })
            })
            .unwrap_or(end);
        if let Some(f) = (k + 1..end.min(n))
            .find(|&i| matches!(doc.sents[s].word(i), Some("for" | "over" | "of")))
        {
            targets = (f + 1..end.min(n))
                .flat_map(|i| object_targets(doc, s, i, false))
                .collect();
        }
    }
    // "voted for Valdés", "supported Ribeiro": a stance on the election a candidate stands in.
    if targets.is_empty() && matches!(stance, "votes for" | "votes against" | "supports" | "backs")
    {
        if let Some(candidate) = doc.sents[s]
            .ent(k)
            .filter(|&e| doc.ents[e].label == "Person")
        {
            targets.extend(
                doc.targets(candidate, "PARTICIPATES_IN")
                    .into_iter()
                    .filter(|&e| doc.ents[e].class == "election"),
            );
            // A candidate the story does not place in a vote: the vote it is about.
            if targets.is_empty() {
                targets.extend(nps::salient(doc, "Event", "election", s));
            }
        }
    }
    // "called for stricter checks on medicines": what is demanded is an issue.
    if targets.is_empty() && stance == "calls for" && doc.sents[s].word(v + 1) == Some("for") {
        targets.extend(demand(doc, s, k));
    }
    if targets.is_empty() {
        return;
    }
    // Issues later in the same clause are targets too.
    let end = pattern::clause_end(doc, s, k + 1);
    for i in k + 1..end.min(n) {
        if let Some(e) = doc.sents[s]
            .ent(i)
            .filter(|&e| doc.ents[e].label == "Issue")
        {
            targets.push(e);
        }
    }
    let (t0, t1) = (
        doc.sents[s].items[first].t0,
        doc.sents[s].items[k.min(n - 1)].t1,
    );
    // A capital as subject stands for its country: "Jakarta was ready to sign".
    if let Some(city) = doc.sents[s]
        .ent(first)
        .filter(|&e| doc.ents[e].label == "City")
    {
        if let Some(&c) = actors.first() {
            doc.relate(
                city,
                "CAPITAL_OF",
                c,
                vec![],
                s,
                t0,
                doc.sents[s].items[first].t1,
                "metonym.capital_subject",
            );
        }
    }
    position(
        doc,
        &actors,
        stance,
        tentative,
        &targets,
        s,
        t0,
        t1,
        "stance.verb",
    );
}
