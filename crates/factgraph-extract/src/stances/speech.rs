//! Reported speech: `stance.speech` ("<actor> said (that) <clause>"), the
//! speaker as reporter of what the clause states (`report.speaker`), and
//! `report.according_to` / `report.results_from`.

use super::hold;
use super::targets::clause_targets;
use crate::doc::{Doc, Eid};
use crate::lexicon as lx;
use crate::pattern;

/// Rules whose firing in a reported clause means the clause states its own fact.
const CLAUSE_RULES: &[&str] = &[
    "event.verb",
    "stance.verb",
    "stance.passive",
    "stance.drawn",
    "stance.divided",
    "stance.seeks_resolution",
    "meeting.travel",
    "meeting.will_meet",
    "meeting.met",
    "meeting.discussions",
    "meeting.briefed",
    "proposal.drafted_by",
    "proposal.drafted",
    "proposal.input_from",
    "proposal.brokered_by",
    "event.invaded",
    "event.host",
    "role.takes_office",
];

/// Whether a rule in [`CLAUSE_RULES`] fired on characters `a..b` of sentence `s`.
fn clause_has_fact(doc: &Doc, s: usize, a: u32, b: u32) -> bool {
    doc.firings
        .iter()
        .any(|f| f.sentence == s && CLAUSE_RULES.contains(&f.rule) && f.start >= a && f.start < b)
}

/// Positions introduced on characters `a..b` of sentence `s`.
fn positions_in(doc: &Doc, s: usize, a: u32, b: u32) -> Vec<Eid> {
    doc.with_label("Position")
        .into_iter()
        .filter(|&p| {
            doc.ents[p]
                .sources
                .iter()
                .any(|x| x.sentence == s && x.start >= a && x.start < b)
        })
        .collect()
}

/// Each of `what` is REPORTED_BY each of `by`, read from tokens `t0..t1` of sentence `s`.
fn reported_by(
    doc: &mut Doc,
    what: &[Eid],
    by: &[Eid],
    s: usize,
    (t0, t1): (usize, usize),
    rule: &'static str,
) {
    for &w in what {
        for &b in by {
            doc.relate(w, "REPORTED_BY", b, vec![], s, t0, t1, rule);
        }
    }
}

/// Runs the reported-speech rule on sentence `s`.
pub fn speech(doc: &mut Doc, s: usize) {
    let n = doc.sents[s].items.len();
    for v in 0..n {
        let Some(verb) = doc.sents[s].word(v).map(str::to_string) else {
            continue;
        };
        let Some(&(_, stance)) = lx::SPEECH_VERBS.iter().find(|(f, _)| *f == verb) else {
            continue;
        };
        let trailing = pattern::attribution(doc, s).filter(|(_, av)| *av == v);
        let (speakers, first, a, b) = if let Some((who, _)) = trailing {
            let start = pattern::main_clause_start(doc, s);
            // The clause ends at the comma or quote before the speaker (or before the verb).
            let stop = (0..v)
                .rev()
                .find(|&i| doc.sents[s].punct(i, ",") || doc.sents[s].punct(i, "”"))
                .unwrap_or(v);
            let stop = if stop > 0 && doc.sents[s].punct(stop - 1, "”") {
                stop - 1
            } else {
                stop
            };
            (vec![who], start, start, stop)
        } else {
            let found = pattern::clause_subject(doc, s, v).or_else(|| {
                // "X criticised the deal, arguing that ...": the main clause's subject.
                let participle = verb.ends_with("ing") && v > 0 && doc.sents[s].punct(v - 1, ",");
                let start = pattern::main_clause_start(doc, s);
                participle
                    .then(|| {
                        (start..v).find_map(|i| pattern::actors_at(doc, s, i).map(|(a, _)| (a, i)))
                    })
                    .flatten()
            });
            let Some((who, first)) = found else { continue };
            let mut a = pattern::skip_filler(doc, s, v + 1);
            // "told a news conference in Accra that ...": what follows "that" is the clause.
            if verb == "told" {
                if let Some(t) = (a..n.min(a + 8)).find(|&i| doc.sents[s].word(i) == Some("that")) {
                    a = t + 1;
                }
            }
            (who, first, a, pattern::clause_end(doc, s, a))
        };
        if a >= b || b > n {
            continue;
        }
        let (ca, cb) = (
            doc.sents[s].toks[doc.sents[s].items[a].t0].start,
            doc.sents[s].toks[doc.sents[s].items[b - 1].t1 - 1].end,
        );
        if clause_has_fact(doc, s, ca, cb) {
            // Events the clause reports by a verb ("Poland expelled ...") are reported by the speaker too.
            let reported: Vec<Eid> = doc
                .with_label("Event")
                .into_iter()
                .filter(|&e| {
                    doc.ents[e].sources.iter().any(|x| {
                        x.sentence == s && x.rule == "event.verb" && x.start >= ca && x.start < cb
                    })
                })
                .collect();
            let future = (a..b).any(|i| matches!(doc.sents[s].word(i), Some("will" | "would")));
            for e in reported {
                let (t0, t1) = (
                    doc.sents[s].items[a.min(first)].t0,
                    doc.sents[s].items[v].t1,
                );
                // "Ribeiro said she would appeal to the court": her own
                // intention is her position on the event, not a report.
                let own = future
                    && speakers
                        .iter()
                        .any(|&sp| doc.targets(sp, "PARTICIPATES_IN").contains(&e));
                if own {
                    let t1 = doc.sents[s].items[b - 1].t1;
                    hold(doc, &speakers, stance, &[e], s, (t0, t1), "stance.speech");
                    continue;
                }
                reported_by(doc, &[e], &speakers, s, (t0, t1), "report.speaker");
            }
            for p in positions_in(doc, s, ca, cb) {
                if doc
                    .sources_of(p, "TAKES")
                    .iter()
                    .any(|x| speakers.contains(x))
                {
                    continue;
                }
                let (t0, t1) = (
                    doc.sents[s].items[a.min(first)].t0,
                    doc.sents[s].items[v].t1,
                );
                reported_by(doc, &[p], &speakers, s, (t0, t1), "report.speaker");
            }
            continue;
        }
        // "The decision ... was taken by five votes to two, the central bank
        // said": an event stated as fact is reported by the speaker.
        let quoted = doc.sents[s].punct(0, "“") || doc.sents[s].punct(0, "\"");
        if trailing.is_some() && !quoted {
            let first_item = if doc.sents[s].word(a) == Some("the") {
                a + 1
            } else {
                a
            };
            if let Some(ev) = doc.sents[s]
                .ent(first_item)
                .filter(|&e| doc.ents[e].label == "Event")
            {
                let (t0, t1) = (doc.sents[s].items[a].t0, doc.sents[s].items[v].t1);
                reported_by(doc, &[ev], &speakers, s, (t0, t1), "report.speaker");
                continue;
            }
        }
        let mut targets = clause_targets(doc, s, a, b);
        if targets.is_empty() && b < n {
            targets = clause_targets(doc, s, b, n);
        }
        if targets.is_empty() {
            continue;
        }
        let (t0, t1) = (
            doc.sents[s].items[first.min(a)].t0,
            doc.sents[s].items[b.max(v + 1) - 1].t1,
        );
        // "Lima said the confederation would withhold its fees until the
        // dispute was resolved": the confederation's stance, reported by Lima.
        let subject_at = if doc.sents[s].word(a) == Some("the") {
            a + 1
        } else {
            a
        };
        let reported_actor = doc.sents[s]
            .ent(subject_at)
            .filter(|&e| {
                matches!(doc.ents[e].label, "Organization" | "Country") && !speakers.contains(&e)
            })
            .filter(|_| matches!(doc.sents[s].word(subject_at + 1), Some("would" | "will")));
        if let Some(actor) = reported_actor {
            if let Some(p) = hold(
                doc,
                &[actor],
                stance,
                &targets,
                s,
                (t0, t1),
                "stance.speech",
            ) {
                reported_by(doc, &[p], &speakers, s, (t0, t1), "report.speaker");
            }
            continue;
        }
        hold(
            doc,
            &speakers,
            stance,
            &targets,
            s,
            (t0, t1),
            "stance.speech",
        );
    }
}

/// Runs `report.according_to` on sentence `s`; also "results from <source>"
/// (`report.results_from`), which makes the sentence's events reported by it.
pub fn according_to(doc: &mut Doc, s: usize) {
    let n = doc.sents[s].items.len();
    for i in 0..n {
        let last = doc.sents[s].toks[doc.sents[s].items[i].t1 - 1]
            .lower
            .as_str();
        if !(matches!(last, "results" | "figures" | "estimates" | "data" | "polls")
            && doc.sents[s].word(i + 1) == Some("from"))
        {
            continue;
        }
        let k = if doc.sents[s].word(i + 2) == Some("the") {
            i + 3
        } else {
            i + 2
        };
        let Some(source) = doc.sents[s]
            .ent(k)
            .filter(|&e| doc.ents[e].label == "Organization")
        else {
            continue;
        };
        let events: Vec<Eid> = (0..n)
            .filter_map(|j| doc.sents[s].ent(j))
            .filter(|&e| doc.ents[e].label == "Event")
            .collect();
        let (t0, t1) = (doc.sents[s].items[i].t0, doc.sents[s].items[k].t1);
        reported_by(doc, &events, &[source], s, (t0, t1), "report.results_from");
    }
    let Some(at) = (0..n).find(|&i| doc.sents[s].words_at(i, &["according", "to"])) else {
        return;
    };
    let mut k = at + 2;
    if doc.sents[s].words_at(k, &["reports", "from"]) {
        k += 2;
    }
    if doc.sents[s].word(k) == Some("the") {
        k += 1;
    }
    let Some(source) = doc.sents[s]
        .ent(k)
        .filter(|&e| matches!(doc.ents[e].label, "Organization" | "Person"))
    else {
        return;
    };
    let mut reported: Vec<Eid> = (0..doc.ents.len())
        .filter(|&e| matches!(doc.ents[e].label, "Proposal" | "Position" | "Event"))
        .filter(|&e| doc.ents[e].sources.iter().map(|x| x.sentence).min() == Some(s))
        .collect();
    // A trailing "according to" also covers the event the sentence is about.
    if at > 0 {
        if let Some(e) = (0..at)
            .find_map(|i| doc.sents[s].ent(i))
            .filter(|&e| doc.ents[e].label == "Event")
        {
            if !reported.contains(&e) {
                reported.push(e);
            }
        }
    }
    let (t0, t1) = (doc.sents[s].items[at].t0, doc.sents[s].items[k].t1);
    reported_by(
        doc,
        &reported,
        &[source],
        s,
        (t0, t1),
        "report.according_to",
    );
}
