//! Stances stated by other patterns than a stance verb: `stance.drawn`
//! ("has drawn criticism from"), `stance.passive` ("was approved by"),
//! `stance.seeks_resolution` and `stance.divided`.

use super::hold;
use super::targets::object_targets;
use crate::doc::{Doc, Eid};
use crate::lexicon as lx;
use crate::pattern;

/// A stance its actors state of the object named before the verb: the
/// verbs, the stance words right after them, the word before the actors,
/// the rule.
type ByActors = (
    &'static [&'static str],
    &'static [(&'static str, &'static str)],
    &'static str,
    &'static str,
);

/// "has drawn criticism from both Democrats and Republicans"; "was approved by the board".
const BY_ACTORS: &[ByActors] = &[
    (
        &["drawn", "drew", "faces", "faced", "attracted"],
        lx::STANCE_NOUNS,
        "from",
        "stance.drawn",
    ),
    (
        &["was", "were", "been"],
        lx::STANCE_VERBS,
        "by",
        "stance.passive",
    ),
];

/// Runs the rows of [`BY_ACTORS`] on sentence `s`.
pub(super) fn drawn_and_passive(doc: &mut Doc, s: usize) {
    let n = doc.sents[s].items.len();
    for v in 0..n {
        for row in BY_ACTORS {
            by_actors(doc, s, v, row);
        }
    }
}

/// Applies a row of [`BY_ACTORS`] at item `v` of sentence `s`.
fn by_actors(doc: &mut Doc, s: usize, v: usize, &(verbs, stances, by, rule): &ByActors) {
    let sent = &doc.sents[s];
    if !sent.word(v).is_some_and(|w| verbs.contains(&w)) || sent.word(v + 2) != Some(by) {
        return;
    }
    let Some(&(_, stance)) = sent
        .word(v + 1)
        .and_then(|x| stances.iter().find(|(f, _)| *f == x))
    else {
        return;
    };
    let Some((actors, end)) = pattern::actors_at(doc, s, v + 3) else {
        return;
    };
    let Some((p, pi)) = (0..v)
        .rev()
        .find_map(|i| object_targets(doc, s, i, false).first().map(|&e| (e, i)))
    else {
        return;
    };
    let (t0, t1) = (doc.sents[s].items[pi].t0, doc.sents[s].items[end - 1].t1);
    hold(doc, &actors, stance, &[p], s, (t0, t1), rule);
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
        hold(
            doc,
            &[actor],
            "seeks a resolution",
            &[ev],
            s,
            (t0, t1),
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
        hold(
            doc,
            &actors,
            "deeply divided",
            &targets,
            s,
            (t0, t1),
            "stance.divided",
        );
    }
}
