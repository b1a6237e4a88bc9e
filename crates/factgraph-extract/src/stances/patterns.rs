//! Stances stated by other patterns than a stance verb: `stance.drawn`
//! ("has drawn criticism from"), `stance.passive` ("was approved by"),
//! `stance.seeks_resolution` and `stance.divided`.

use super::position;
use super::targets::object_targets;
use crate::doc::{Doc, Eid};
use crate::lexicon as lx;
use crate::pattern;

pub(super) fn drawn_and_passive(doc: &mut Doc, s: usize) {
    let n = doc.sents[s].items.len();
    for v in 0..n {
        let w = doc.sents[s].word(v).unwrap_or("").to_string();
        // "has drawn criticism from both Democrats and Republicans"
        if matches!(
            w.as_str(),
            "drawn" | "drew" | "faces" | "faced" | "attracted"
        ) {
            let Some((_, stance)) = doc.sents[s]
                .word(v + 1)
                .and_then(|x| lx::STANCE_NOUNS.iter().find(|(noun, _)| *noun == x))
            else {
                continue;
            };
            if doc.sents[s].word(v + 2) != Some("from") {
                continue;
            }
            let Some((actors, end)) = pattern::actors_at(doc, s, v + 3) else {
                continue;
            };
            let Some((p, pi)) = (0..v)
                .rev()
                .find_map(|i| object_targets(doc, s, i, false).first().map(|&e| (e, i)))
            else {
                continue;
            };
            let (t0, t1) = (doc.sents[s].items[pi].t0, doc.sents[s].items[end - 1].t1);
            position(doc, &actors, stance, false, &[p], s, t0, t1, "stance.drawn");
        }
        // "was approved by the board"
        if matches!(w.as_str(), "was" | "were" | "been") && doc.sents[s].word(v + 2) == Some("by") {
            let Some(&(_, stance)) = doc.sents[s]
                .word(v + 1)
                .and_then(|x| lx::STANCE_VERBS.iter().find(|(f, _)| *f == x))
            else {
                continue;
            };
            let Some((actors, end)) = pattern::actors_at(doc, s, v + 3) else {
                continue;
            };
            let Some((p, pi)) = (0..v)
                .rev()
                .find_map(|i| object_targets(doc, s, i, false).first().map(|&e| (e, i)))
            else {
                continue;
            };
            let (t0, t1) = (doc.sents[s].items[pi].t0, doc.sents[s].items[end - 1].t1);
            position(
                doc,
                &actors,
                stance,
                false,
                &[p],
                s,
                t0,
                t1,
                "stance.passive",
            );
        }
    }
}

pub(super) fn seeks_resolution(doc: &mut Doc, s: usize) {
    let n = doc.sents[s].items.len();
    for i in 0..n {
        if !matches!(
            doc.sents[s].word(i),
            Some("resolution" | "end" | "settlement" | "solution")
        ) || doc.sents[s].word(i + 1) != Some("to")
        {
            continue;
        }
        let intro = (i.saturating_sub(4)..i).any(|k| {
            matches!(
                doc.sents[s].word(k),
                Some("interest" | "seeks" | "seeking" | "push" | "bid" | "finding" | "find")
            )
        });
        let Some(ev) = doc.sents[s]
            .ent(i + 2)
            .filter(|&e| doc.ents[e].label == "Event")
        else {
            continue;
        };
        if !intro {
            continue;
        }
        let Some(actor) = pattern::subject_of(doc, s) else {
            continue;
        };
        let a = pattern::main_clause_start(doc, s);
        let (t0, t1) = (doc.sents[s].items[a].t0, doc.sents[s].items[i + 2].t1);
        position(
            doc,
            &[actor],
            "seeks a resolution",
            false,
            &[ev],
            s,
            t0,
            t1,
            "stance.seeks_resolution",
        );
    }
}

pub(super) fn divided(doc: &mut Doc, s: usize) {
    let n = doc.sents[s].items.len();
    for v in 0..n {
        if !matches!(
            doc.sents[s].word(v),
            Some("divisions" | "divided" | "disagree" | "differ")
        ) {
            continue;
        }
        let Some(o) =
            (v + 1..n.min(v + 3)).find(|&k| matches!(doc.sents[s].word(k), Some("over" | "on")))
        else {
            continue;
        };
        let verb = (0..v)
            .rev()
            .take(3)
            .find(|&k| {
                matches!(
                    doc.sents[s].word(k),
                    Some("maintain" | "maintained" | "have" | "are" | "remain" | "were")
                )
            })
            .unwrap_or(v);
        let Some((actors, first)) = pattern::actors_before(doc, s, verb) else {
            continue;
        };
        let mut targets: Vec<Eid> = (o + 1..pattern::clause_end(doc, s, o + 1))
            .filter_map(|k| {
                doc.sents[s]
                    .ent(k)
                    .filter(|&e| doc.ents[e].label == "Issue")
            })
            .collect();
        if targets.is_empty() && doc.sents[s].word(o + 2) == Some("issues") {
            // "key issues": the contested issues listed nearest to this sentence.
            let mut best: Option<(usize, Vec<Eid>)> = None;
            for e in doc.with_label("Issue") {
                if doc.ents[e].str_prop("status") != Some("contested") {
                    continue;
                }
                let Some(first_s) = doc.ents[e].sources.iter().map(|x| x.sentence).min() else {
                    continue;
                };
                let d = if first_s >= s {
                    (first_s - s) * 2
                } else {
                    (s - first_s) * 2 + 1
                };
                match &mut best {
                    Some((bd, list)) if *bd == d => list.push(e),
                    Some((bd, _)) if *bd < d => {}
                    _ => best = Some((d, vec![e])),
                }
            }
            targets = best.map(|(_, l)| l).unwrap_or_default();
        }
        let (t0, t1) = (
            doc.sents[s].items[first].t0,
            doc.sents[s].items[(o + 2).min(n - 1)].t1,
        );
        position(
            doc,
            &actors,
            "deeply divided",
            false,
            &targets,
            s,
            t0,
            t1,
            "stance.divided",
        );
    }
}
