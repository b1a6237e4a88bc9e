//! Positions: who takes which stance on which proposal, issue or event.
//!
//! - `stance.verb`: "<actor> (tentatively) agreed to / rejected / criticised /
//!   expressed reservations about / supports <object>"; issues named later in
//!   the same clause are targets too ("reservations about any deal that would
//!   roll back Moscow's more ambitious demands").
//! - `stance.drawn`: "<proposal> has drawn criticism from <actors>".
//! - `stance.passive`: "<proposal> was approved by <actors>".
//! - `stance.backed_compound`: "a U.S.-backed peace proposal" (in pass 2).
//! - `stance.seeks_resolution`: "<actor> ... interest in finding a resolution to <event>".
//! - `stance.divided`: "both sides maintain deep divisions over key issues".
//! - `stance.speech`: "<actor> said / noted / cautioned (that) <clause>": a
//!   position on the proposals, issues, talks or elections the clause names,
//!   unless the clause states a stance, meeting or draft of its own, in which
//!   case the speaker only reports it (`report.speaker`, REPORTED_BY).
//! - `report.according_to`: "According to reports from the Financial Times,"
//!   (REPORTED_BY for the proposals, positions and events the sentence introduces).

mod patterns;
mod speech;
mod targets;
mod verb;

use factgraph_model::Value;

use super::doc::{Doc, Eid};
use super::polarity::{self, Polarity};

pub use speech::{according_to, speech};

/// States that `actors` take `stance` on `targets`; merges with a position
/// of the same stance on the same targets. Returns the position.
#[allow(clippy::too_many_arguments)]
pub fn position(
    doc: &mut Doc,
    actors: &[Eid],
    stance: &str,
    tentative: bool,
    targets: &[Eid],
    s: usize,
    t0: usize,
    t1: usize,
    rule: &'static str,
) -> Option<Eid> {
    let mut actors: Vec<Eid> = actors
        .iter()
        .copied()
        .filter(|&a| doc.is_actor(a))
        .collect();
    actors.dedup();
    let mut targets: Vec<Eid> = targets
        .iter()
        .copied()
        .filter(|&t| matches!(doc.ents[t].label, "Proposal" | "Issue" | "Event"))
        .collect();
    targets.dedup();
    if actors.is_empty() || targets.is_empty() {
        return None;
    }
    let existing = doc.with_label("Position").into_iter().find(|&p| {
        let same_targets = doc.targets(p, "ON").iter().any(|t| targets.contains(t));
        let holders = doc.sources_of(p, "TAKES");
        let same_actors = holders.iter().any(|a| actors.contains(a));
        let same_sentence = doc.ents[p].sources.iter().any(|x| x.sentence == s);
        same_targets
            && ((doc.ents[p].name == stance && same_actors)
                || (same_sentence && same_actors && rule == "stance.speech"))
    });
    let p = match existing {
        Some(p) => p,
        None => {
            let p = doc.add_ent("Position", stance, 0, stance, true);
            doc.set_prop(p, "stance", Value::from(stance));
            let (a, b) = doc.sents[s].span(t0, t1);
            let summary: String = doc.chars[a as usize..b as usize].iter().collect();
            doc.set_prop(p, "summary", Value::from(summary));
            if tentative {
                doc.set_prop(p, "tentative", Value::Bool(true));
            }
            p
        }
    };
    doc.source(p, s, t0, t1, rule);
    // What is said runs to the end of the sentence: a quote after "called
    // it", a "but" that takes part of it back.
    let toks = &doc.sents[s].toks;
    let rest = polarity::words(&toks[t0.min(toks.len())..]);
    let said = polarity::of_clause(&rest);
    let stated = match polarity::of_stance(stance) {
        // "welcomed the package but said it did not go far enough": both ways.
        Some(p) if rule != "stance.speech" => {
            if said == Polarity::Mixed && rest.contains(&"but") {
                Polarity::Mixed
            } else {
                p
            }
        }
        _ => said,
    };
    let polarity = match doc.ents[p].str_prop("polarity") {
        Some(before) => Polarity::parse(before).and(stated),
        None => stated,
    };
    doc.set_prop(p, "polarity", Value::from(polarity.as_str()));
    for a in actors {
        doc.relate(a, "TAKES", p, vec![], s, t0, t1, rule);
    }
    for t in targets {
        doc.relate(p, "ON", t, vec![], s, t0, t1, rule);
    }
    Some(p)
}

/// [`position`] held outright (not tentatively), read from tokens `t0..t1`.
fn hold(
    doc: &mut Doc,
    actors: &[Eid],
    stance: &str,
    targets: &[Eid],
    s: usize,
    (t0, t1): (usize, usize),
    rule: &'static str,
) -> Option<Eid> {
    position(doc, actors, stance, false, targets, s, t0, t1, rule)
}

/// The negotiations the document is about, if any.
pub fn talks(doc: &Doc) -> Option<Eid> {
    doc.with_label("Event")
        .into_iter()
        .filter(|&e| doc.ents[e].class == "negotiations")
        .max_by_key(|&e| doc.ents[e].sources.len())
}

/// Runs the stance rules on sentence `s`.
pub fn run(doc: &mut Doc, s: usize) {
    verb::stance_verbs(doc, s);
    patterns::drawn_and_passive(doc, s);
    patterns::seeks_resolution(doc, s);
    patterns::divided(doc, s);
}
