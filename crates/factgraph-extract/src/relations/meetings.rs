//! Meetings and travel: `meeting.*`.

use factgraph_model::Value;

use crate::doc::{Doc, Eid, Form, IK};
use crate::pattern;

use super::{label, span};

fn location_after(
    doc: &Doc,
    s: usize,
    mut k: usize,
) -> (
    Option<Eid>,
    Option<String>,
    Option<factgraph_model::Date>,
    usize,
) {
    let sent = &doc.sents[s];
    let (mut place, mut at, mut date) = (None, None, None);
    while k < sent.items.len() {
        match (&sent.items[k].kind, sent.word(k)) {
            (IK::Date(d), _) => {
                date = Some(*d);
                k += 1;
            }
            (_, Some("in" | "on"))
                if sent
                    .ent(k + 1)
                    .is_some_and(|e| matches!(doc.ents[e].label, "City" | "Country")) =>
            {
                place = sent.ent(k + 1);
                k += 2;
            }
            (_, Some("on"))
                if matches!(sent.items.get(k + 1).map(|i| &i.kind), Some(IK::Date(_))) =>
            {
                k += 1
            }
            (_, Some("at")) if sent.word(k + 1) == Some("the") => {
                let mut j = k + 2;
                while j < sent.items.len()
                    && sent.word(j).is_some_and(|w| {
                        w.chars().all(char::is_alphabetic)
                            && !matches!(w, "on" | "in" | "to" | "and")
                    })
                {
                    j += 1;
                }
                if j > k + 2 {
                    at = Some(sent.text(sent.items[k + 2].t0, sent.items[j - 1].t1));
                }
                k = j;
            }
            (_, Some("next" | "this"))
                if matches!(sent.word(k + 1), Some("week" | "month" | "year")) =>
            {
                k += 2
            }
            _ => break,
        }
    }
    (place, at, date, k)
}

/// Runs the meeting and travel rules on sentence `s`.
pub fn meetings(doc: &mut Doc, s: usize) {
    let n = doc.sents[s].items.len();
    for v in 0..n {
        let w = doc.sents[s].word(v).unwrap_or("").to_string();
        let future = (0..v)
            .rev()
            .take(4)
            .any(|k| matches!(doc.sents[s].word(k), Some("will" | "would" | "to")));
        let status = if future { "planned" } else { "held" };
        match w.as_str() {
            "travel" | "travels" | "travelled" | "traveled" | "fly" | "flew" | "visit"
            | "visits" | "visited" => {
                let Some((mut who, mut first)) = pattern::clause_subject(doc, s, v)
                    .or_else(|| pattern::actors_before(doc, s, v))
                else {
                    continue;
                };
                // "An IMF mission led by Carlos Herrera will visit": the mission goes.
                if first >= 3
                    && doc.sents[s].word(first - 1) == Some("by")
                    && matches!(doc.sents[s].word(first - 2), Some("led" | "headed"))
                {
                    if let Some(g) = doc.sents[s]
                        .ent(first - 3)
                        .filter(|&e| label(doc, e) == "Group")
                    {
                        who = vec![g];
                        first -= 3;
                    }
                }
                // "will visit Accra": the place is the object.
                let from = if w.starts_with("visit") {
                    v + 1
                } else if doc.sents[s].word(v + 1) == Some("to") {
                    v + 2
                } else {
                    continue;
                };
                let places: Vec<(Eid, usize)> = (from..n.min(from + 4))
                    .take_while(|&k| {
                        doc.sents[s].word(k).is_none_or(|w| w == "and")
                            || doc.sents[s].ent(k).is_some()
                    })
                    .filter_map(|k| {
                        doc.sents[s]
                            .ent(k)
                            .filter(|&e| matches!(label(doc, e), "City" | "Country"))
                            .map(|e| (e, k))
                    })
                    .collect();
                let Some(&(_, last_place)) = places.last() else {
                    continue;
                };
                let (_, _, _, mut k) = location_after(doc, s, last_place + 1);
                let mut met = Vec::new();
                let mut purpose = None;
                if doc.sents[s].words_at(k, &["to", "meet"]) {
                    let mut m = k + 2;
                    while matches!(doc.sents[s].word(m), Some("directly" | "with")) {
                        m += 1;
                    }
                    if let Some((others, end)) = pattern::actors_at(doc, s, m) {
                        let (p0, p1) = span(doc, s, k, end - 1);
                        purpose = Some(doc.sents[s].text(p0, p1));
                        met = others;
                        k = end;
                    }
                }
                let (t0, t1) = span(doc, s, first, k - 1);
                let (place_name, place) = (doc.ents[places[0].0].name.clone(), places[0].0);
                for &p in &who {
                    for &(pl, _) in &places {
                        let mut props = vec![("status", Value::from(status))];
                        if let Some(pu) = &purpose {
                            props.push(("purpose", Value::from(pu.as_str())));
                        }
                        doc.relate(p, "TRAVELS_TO", pl, props, s, t0, t1, "meeting.travel");
                    }
                    for &o in &met {
                        let props = vec![
                            ("status", Value::from("planned")),
                            ("location", Value::from(place_name.as_str())),
                        ];
                        doc.relate(p, "WILL_MEET", o, props, s, t0, t1, "meeting.travel");
                    }
                }
                let _ = place;
            }
            "meet" | "meets" | "met" => {
                if v >= 1
                    && doc.sents[s].word(v - 1) == Some("to")
                    && (0..v).rev().take(6).any(|k| {
                        matches!(
                            doc.sents[s].word(k),
                            Some("travel" | "travels" | "travelled")
                        )
                    })
                {
                    continue; // handled with the travel
                }
                let mut m = v + 1;
                while matches!(doc.sents[s].word(m), Some("directly" | "with" | "again")) {
                    m += 1;
                }
                let Some((others, end)) = pattern::actors_at(doc, s, m) else {
                    continue;
                };
                let Some((who, first)) = pattern::actors_before(doc, s, v) else {
                    continue;
                };
                let (place, at, date, after) = location_after(doc, s, end);
                let (t0, t1) = span(doc, s, first, after.max(end) - 1);
                let planned = w != "met";
                for &p in &who {
                    for &o in &others {
                        let mut props = vec![(
                            "status",
                            Value::from(if planned { "planned" } else { "held" }),
                        )];
                        if let Some(pl) = place.map(|e| doc.ents[e].name.clone()).or(at.clone()) {
                            props.push(("location", Value::from(pl)));
                        }
                        if let Some(d) = date {
                            props.push(("date", Value::Date(d)));
                        }
                        let rel = if planned { "WILL_MEET" } else { "MEETS" };
                        doc.relate(
                            p,
                            rel,
                            o,
                            props,
                            s,
                            t0,
                            t1,
                            if planned {
                                "meeting.will_meet"
                            } else {
                                "meeting.met"
                            },
                        );
                    }
                }
            }
            "engaged" | "held" | "hold" | "holds" => {
                let mut k = v + 1;
                if doc.sents[s].word(k) == Some("in") {
                    k += 1;
                }
                let is_talks = doc.sents[s].ent(k).is_some_and(|e| {
                    label(doc, e) == "Event" && doc.ents[e].class == "negotiations"
                });
                if !is_talks || doc.sents[s].word(k + 1) != Some("with") {
                    continue;
                }
                let Some((others, end)) = pattern::actors_at(doc, s, k + 2) else {
                    continue;
                };
                let Some((who, first)) = pattern::actors_before(doc, s, v) else {
                    continue;
                };
                let (t0, t1) = span(doc, s, first, end - 1);
                for &p in &who {
                    for &o in &others {
                        doc.relate(
                            p,
                            "MEETS",
                            o,
                            vec![("status", Value::from("held"))],
                            s,
                            t0,
                            t1,
                            "meeting.discussions",
                        );
                    }
                }
            }
            "meetings" | "meeting" if doc.sents[s].word(v + 1) == Some("with") => {
                let Some((others, end)) = pattern::actors_at(doc, s, v + 2) else {
                    continue;
                };
                let speaker_first =
                    (0..v)
                        .rev()
                        .take(5)
                        .find_map(|k| match &doc.sents[s].items[k].kind {
                            IK::Pron(p) if matches!(p.as_str(), "i" | "we") => {
                                pattern::resolve_pron(doc, s, k)
                            }
                            _ => None,
                        });
                let Some(who) = speaker_first.or_else(|| pattern::subject_of(doc, s)) else {
                    continue;
                };
                let conditional = (end..n).any(|k| {
                    matches!(doc.sents[s].word(k), Some("once" | "when" | "if" | "until"))
                });
                let a = (0..v)
                    .rev()
                    .take(4)
                    .take_while(|&k| {
                        doc.sents[s].items[k].kind == IK::Tok && !doc.sents[s].is_break(k)
                    })
                    .last()
                    .unwrap_or(v);
                let (t0, t1) = span(doc, s, a, end - 1);
                let props = vec![(
                    "status",
                    Value::from(if conditional {
                        "conditional"
                    } else {
                        "planned"
                    }),
                )];
                for o in others {
                    doc.relate(
                        who,
                        "WILL_MEET",
                        o,
                        props.clone(),
                        s,
                        t0,
                        t1,
                        "meeting.future",
                    );
                }
            }
            "spoke" | "talked" if matches!(doc.sents[s].word(v + 1), Some("by" | "on")) => {
                let Some((who, first)) = pattern::actors_before(doc, s, v) else {
                    continue;
                };
                if who.len() != 2 {
                    continue;
                }
                let (t0, t1) = span(doc, s, first, (v + 2).min(n - 1));
                let props = vec![
                    ("status", Value::from("held")),
                    ("description", Value::from("by telephone")),
                ];
                doc.relate(who[0], "MEETS", who[1], props, s, t0, t1, "meeting.spoke");
            }
            "briefed"
                if v >= 1
                    && doc.sents[s].word(v - 1) == Some("be")
                    && doc.sents[s].word(v + 1) == Some("on") =>
            {
                let Some(ev) = doc.sents[s]
                    .ent(v + 2)
                    .filter(|&e| matches!(label(doc, e), "Event" | "Proposal" | "Issue"))
                else {
                    continue;
                };
                let from = (0..v)
                    .rev()
                    .find(|&k| doc.sents[s].word(k) == Some("that"))
                    .map_or(pattern::main_clause_start(doc, s), |k| k + 1);
                let mut who = Vec::new();
                for k in from..v {
                    for a in pattern::actors_of(doc, s, k) {
                        if !who.contains(&a)
                            && doc.is_actor(a)
                            && matches!(label(doc, a), "Person" | "Group")
                        {
                            who.push(a);
                        }
                    }
                }
                let (t0, t1) = span(doc, s, from, v + 2);
                let mut props = vec![(
                    "status",
                    Value::from(if future { "planned" } else { "held" }),
                )];
                if doc.sents[s].words_at(v + 3, &["in", "real", "time"]) {
                    props.push(("description", Value::from("in real time")));
                }
                for a in who {
                    doc.relate(
                        a,
                        "BRIEFED_ON",
                        ev,
                        props.clone(),
                        s,
                        t0,
                        t1,
                        "meeting.briefed",
                    );
                }
            }
            _ => {}
        }
    }
    let _ = Form::Name;
}
