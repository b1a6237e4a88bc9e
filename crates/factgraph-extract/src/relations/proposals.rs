//! Proposals: who drafted, brokered or gave input to them, what they aim
//! to end, their points; acquisitions as proposals.

use factgraph_model::Value;

use crate::doc::{Doc, IK};
use crate::pattern;
use crate::stances;

use super::{label, proposal_at, proposal_before, span};

/// Runs the proposal rules on sentence `s`.
pub fn proposals(doc: &mut Doc, s: usize) {
    let n = doc.sents[s].items.len();
    for v in 0..n {
        let w = doc.sents[s].word(v).unwrap_or("").to_string();
        match w.as_str() {
            "drafted" | "brokered" | "mediated" | "written" | "proposed" | "prepared"
                if doc.sents[s].word(v + 1) == Some("by") =>
            {
                let Some((by, end)) = pattern::actors_at(doc, s, v + 2) else {
                    continue;
                };
                let Some((p, pi)) = proposal_before(doc, s, v) else {
                    continue;
                };
                let (t0, t1) = span(doc, s, pi, end - 1);
                for a in by {
                    if matches!(w.as_str(), "brokered" | "mediated") {
                        doc.relate(
                            a,
                            "CONTRIBUTED_TO",
                            p,
                            vec![("description", Value::from(format!("{w} it")))],
                            s,
                            t0,
                            t1,
                            "proposal.brokered_by",
                        );
                    } else {
                        doc.relate(a, "DRAFTED", p, vec![], s, t0, t1, "proposal.drafted_by");
                    }
                }
            }
            "drafted" | "proposed" | "unveiled" | "wrote" | "presented" | "preparing"
            | "prepared" | "drafting" => {
                let Some(p) = (v + 1..n.min(v + 3)).find_map(|k| proposal_at(doc, s, k)) else {
                    continue;
                };
                let Some((by, first)) = pattern::clause_subject(doc, s, v) else {
                    continue;
                };
                let pi = (v + 1..n)
                    .find(|&k| proposal_at(doc, s, k) == Some(p))
                    .unwrap_or(v);
                let (t0, t1) = span(doc, s, first, pi);
                for a in by {
                    doc.relate(a, "DRAFTED", p, vec![], s, t0, t1, "proposal.drafted");
                }
            }
            "offered" | "offers" | "tabled" | "put"
                if doc.sents[s]
                    .word(v + 1)
                    .is_some_and(|w| matches!(w, "a" | "an"))
                    || (doc.sents[s].word(v) == Some("put")
                        && doc.sents[s].word(v + 1) == Some("forward")) =>
            {
                // "Hanseong Motors offered a 3.5 percent increase": an offer, drafted by the subject.
                let Some((by, first)) = pattern::clause_subject(doc, s, v) else {
                    continue;
                };
                let a = if doc.sents[s].word(v + 1) == Some("forward") {
                    v + 2
                } else {
                    v + 1
                };
                let mut end = a;
                while end < n
                    && !doc.sents[s].is_break(end)
                    && !matches!(
                        doc.sents[s].word(end),
                        Some("to" | "for" | "on" | "in" | "which" | "that" | "but" | "and")
                    )
                {
                    end += 1;
                }
                if end <= a + 1 {
                    continue;
                }
                let object =
                    doc.sents[s].text(doc.sents[s].items[a].t0, doc.sents[s].items[end - 1].t1);
                let name = format!("Offer of {object}");
                // A later "the offer" / "management's offer" found in pass 2 is this offer.
                let later = doc.with_label("Proposal").into_iter().find(|&e| {
                    doc.ents[e].rank == 0
                        && doc.ents[e].name.to_lowercase().contains("offer")
                        && doc.ents[e].sources.iter().all(|x| x.sentence > s)
                });
                let p = match doc.find("Proposal", &name).or(later) {
                    Some(p) => {
                        doc.rename(p, &name, 1);
                        p
                    }
                    None => doc.add_ent("Proposal", &name, 1, "agreement", true),
                };
                let (t0, t1) = span(doc, s, a, end - 1);
                doc.source(p, s, t0, t1, "proposal.offered");
                let (t0, _) = span(doc, s, first, first);
                for x in by {
                    doc.relate(x, "DRAFTED", p, vec![], s, t0, t1, "proposal.offered");
                }
            }
            "input" if doc.sents[s].word(v + 1) == Some("from") => {
                let Some((from, end)) = pattern::actors_at(doc, s, v + 2) else {
                    continue;
                };
                let Some((p, _)) = proposal_before(doc, s, v) else {
                    continue;
                };
                let a = if doc.sents[s].word(v - 1) == Some("additional") {
                    v - 1
                } else {
                    v
                };
                let (t0, t1) = span(doc, s, a, end - 1);
                for x in from {
                    doc.relate(
                        x,
                        "CONTRIBUTED_TO",
                        p,
                        vec![],
                        s,
                        t0,
                        t1,
                        "proposal.input_from",
                    );
                }
            }
            "aimed" | "intended" | "meant" | "to" => {
                let k = match (
                    w.as_str(),
                    doc.sents[s].word(v + 1),
                    doc.sents[s].word(v + 2),
                ) {
                    ("aimed", Some("at"), Some("ending" | "resolving")) => v + 3,
                    ("intended" | "meant", Some("to"), Some("end" | "address" | "resolve")) => {
                        v + 3
                    }
                    ("to", Some("end"), _) => v + 2,
                    _ => continue,
                };
                let Some(ev) = doc.sents[s].ent(k).filter(|&e| label(doc, e) == "Event") else {
                    continue;
                };
                let Some((p, pi)) = proposal_before(doc, s, v).filter(|(_, pi)| v - pi <= 3) else {
                    continue;
                };
                let (t0, t1) = span(doc, s, pi, k);
                doc.relate(
                    p,
                    "AIMS_TO_END",
                    ev,
                    vec![],
                    s,
                    t0,
                    t1,
                    "proposal.aims_to_end",
                );
            }
            "outlines" | "outlined" | "contains" | "has" => {
                let Some(num) = doc.sents[s]
                    .items
                    .get(v + 1)
                    .filter(|it| it.kind == IK::Tok)
                    .map(|it| doc.sents[s].toks[it.t0].text.clone())
                else {
                    continue;
                };
                if doc.sents[s].word(v + 2) != Some("points") {
                    continue;
                }
                let Ok(points) = num.parse::<i64>() else {
                    continue;
                };
                if let Some((p, pi)) = proposal_before(doc, s, v) {
                    doc.set_prop(p, "points", Value::Int(points));
                    let (t0, t1) = span(doc, s, pi, v + 2);
                    doc.fire(
                        "proposal.points",
                        s,
                        t0,
                        t1,
                        format!("{}.points = {points}", doc.ents[p].name),
                    );
                }
            }
            _ => {}
        }
    }
}

/// `proposal.acquisition`: "X agreed to acquire Y" makes the deal a
/// proposal before pass 2, so that "the deal", "the merger" refer to it.
pub fn acquisitions(doc: &mut Doc, s: usize) {
    let n = doc.sents[s].items.len();
    for v in 0..n {
        match doc.sents[s].word(v).unwrap_or("") {
            "acquire" | "buy" | "purchase" if v >= 2 && doc.sents[s].word(v - 1) == Some("to") => {
                let Some(target) = (v + 1..n.min(v + 6)).find_map(|k| {
                    doc.sents[s]
                        .ent(k)
                        .filter(|&e| label(doc, e) == "Organization")
                }) else {
                    continue;
                };
                let Some((buyers, first)) = pattern::actors_before(
                    doc,
                    s,
                    (0..v)
                        .rev()
                        .find(|&k| {
                            matches!(
                                doc.sents[s].word(k),
                                Some("agreed" | "agrees" | "plans" | "offered")
                            )
                        })
                        .unwrap_or(v - 1),
                ) else {
                    continue;
                };
                let Some(&buyer) = buyers.first() else {
                    continue;
                };
                let name = format!(
                    "Acquisition of {} by {}",
                    doc.ents[target].name, doc.ents[buyer].name
                );
                let p = doc
                    .find("Proposal", &name)
                    .unwrap_or_else(|| doc.add_ent("Proposal", &name, 1, "agreement", false));
                let ti = (v + 1..n)
                    .find(|&k| doc.sents[s].ent(k) == Some(target))
                    .unwrap_or(v);
                let (t0, t1) = span(doc, s, v, ti);
                doc.source(p, s, t0, t1, "proposal.acquisition");
                doc.ents[p].rank = 1;
                let (a0, _) = span(doc, s, first, first);
                stances::position(
                    doc,
                    &buyers,
                    "agrees",
                    false,
                    &[p],
                    s,
                    a0,
                    t1,
                    "proposal.acquisition",
                );
            }
            _ => {}
        }
    }
}
