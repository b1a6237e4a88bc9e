//! Events.
//!
//! - `event.invaded`: "Russia invaded Ukraine" (an invasion event, INVADED,
//!   who took part and where); `event.began_when`: "the conflict that began in
//!   February 2022 when ..." (its date; the invasion CAUSED it).
//! - `event.between`: "direct negotiations between Zelenskyy and Trump".
//! - `event.caused`: "the war, which has caused significant ... costs in
//!   Ukraine and has strained international relations".
//! - `event.won`: "X won Chile's presidential runoff, defeating Y".
//! - `event.host`: "Kazakhstan has offered to host the summit".
//! - `event.ceasefire_parties`: "X and Y agreed to a ceasefire ... after ... clashes".
//!
//! Issues are in [`super::issues`].

use factgraph_model::Value;

use super::doc::{capitalise, Doc, Eid, Form, IK};
use super::lexicon as lx;
use super::mentions;
use super::pattern;

pub(super) fn date_in(
    doc: &Doc,
    s: usize,
    from: usize,
    to: usize,
) -> Option<factgraph_model::Date> {
    doc.sents[s].items[from..to.min(doc.sents[s].items.len())]
        .iter()
        .find_map(|it| match it.kind {
            IK::Date(d) => Some(d),
            _ => None,
        })
}

pub(super) fn event_item(doc: &Doc, s: usize, i: usize) -> Option<Eid> {
    doc.sents[s]
        .ent(i)
        .filter(|&e| doc.ents[e].label == "Event")
}

/// `who` take part in `ev` as `role` (PARTICIPATES_IN {role}), read from
/// tokens `t0..t1` of sentence `s`.
fn take_part(
    doc: &mut Doc,
    who: impl IntoIterator<Item = Eid>,
    ev: Eid,
    role: &str,
    s: usize,
    (t0, t1): (usize, usize),
    rule: &'static str,
) {
    for a in who {
        let props = vec![("role", Value::from(role))];
        doc.relate(a, "PARTICIPATES_IN", ev, props, s, t0, t1, rule);
    }
}

/// `ev` takes place in `place`, read from tokens `t0..t1` of sentence `s`.
fn takes_place(
    doc: &mut Doc,
    ev: Eid,
    place: Eid,
    s: usize,
    (t0, t1): (usize, usize),
    rule: &'static str,
) {
    doc.relate(ev, "TAKES_PLACE_IN", place, vec![], s, t0, t1, rule);
}

/// Runs the event rules on sentence `s`.
pub fn run(doc: &mut Doc, s: usize) {
    event_verbs(doc, s);
    invaded(doc, s);
    began_when(doc, s);
    between(doc, s);
    caused(doc, s);
    won(doc, s);
    host(doc, s);
    launched(doc, s);
    ceasefire_parties(doc, s);
}

/// `event.launched`: "the company had halted production and launched an
/// internal investigation": who starts an event takes part in it. The
/// subject is the nearest actor before the verb in its clause (a reported
/// clause starts after the speech verb).
fn launched(doc: &mut Doc, s: usize) {
    let n = doc.sents[s].items.len();
    for v in 0..n {
        if !matches!(
            doc.sents[s].word(v),
            Some(
                "launched"
                    | "opened"
                    | "launches"
                    | "opens"
                    | "began"
                    | "started"
                    | "organised"
                    | "organized"
            )
        ) {
            continue;
        }
        let k = if matches!(doc.sents[s].word(v + 1), Some("a" | "an" | "the")) {
            v + 2
        } else {
            v + 1
        };
        let Some(ev) = event_item(doc, s, k).or_else(|| event_item(doc, s, v + 1)) else {
            continue;
        };
        let subject = (0..v).rev().take_while(|&i| {
            !doc.sents[s].word(i).is_some_and(pattern::is_speech_verb)
                && !doc.sents[s].punct(i, ";")
        });
        let mut found = None;
        for i in subject {
            if let IK::Ent(e, _) = doc.sents[s].items[i].kind {
                if doc.is_actor(e) {
                    found = Some((e, i));
                    break;
                }
            }
        }
        let Some((actor, first)) = found else {
            continue;
        };
        let (t0, t1) = (
            doc.sents[s].items[first].t0,
            doc.sents[s].items[k.min(n - 1)].t1,
        );
        take_part(doc, [actor], ev, "organizer", s, (t0, t1), "event.launched");
    }
}

/// `event.verb`: "Poland expelled two Belarusian diplomats", "Workers ...
/// walked off the job" (see [`lx::EVENT_VERBS`]).
fn event_verbs(doc: &mut Doc, s: usize) {
    let n = doc.sents[s].items.len();
    for v in 0..n {
        for (phrase, kind, template, subject_role, object_role) in lx::EVENT_VERBS {
            let words: Vec<&str> = phrase.split(' ').collect();
            if !doc.sents[s].words_at(v, &words) {
                continue;
            }
            let Some((actors, first)) = pattern::clause_subject(doc, s, v) else {
                continue;
            };
            let after = v + words.len();
            let mut end = after;
            while end < n
                && !doc.sents[s].is_break(end)
                && !matches!(doc.sents[s].items[end].kind, IK::Date(_))
                && !matches!(
                    doc.sents[s].word(end),
                    Some("on" | "in" | "at" | "for" | "after" | "to" | "over" | "and" | "accusing")
                )
            {
                end += 1;
            }
            let object_text = (end > after).then(|| {
                doc.sents[s].text(doc.sents[s].items[after].t0, doc.sents[s].items[end - 1].t1)
            });
            if template.contains("{object}") && object_text.is_none() {
                continue;
            }
            let name = template.replace("{object}", object_text.as_deref().unwrap_or(""));
            let (t0, t1) = (
                doc.sents[s].items[first].t0,
                doc.sents[s].items[end.max(after) - 1].t1,
            );
            // The same event may have been named already by a phrase ("the expulsions").
            let same_kind = doc
                .with_label("Event")
                .into_iter()
                .find(|&e| doc.ents[e].class == *kind && doc.ents[e].rank == 0);
            let ev = match doc.find("Event", &name).or(same_kind) {
                Some(e) => {
                    doc.rename(e, &name, 1);
                    e
                }
                None => doc.add_ent("Event", &name, 1, kind, true),
            };
            doc.source(ev, s, t0, t1, "event.verb");
            doc.set_prop(ev, "kind", Value::from(*kind));
            if let Some(d) = date_in(doc, s, v, (end + 3).min(n)) {
                doc.set_prop(ev, "date", Value::Date(d));
            }
            take_part(doc, actors, ev, subject_role, s, (t0, t1), "event.verb");
            // "recalling three batches in Germany, France and Italy": where.
            if doc.sents[s].word(end) == Some("in") {
                let mut j = end + 1;
                while let Some(p) = doc.sents[s]
                    .ent(j)
                    .filter(|&p| matches!(doc.ents[p].label, "City" | "Country"))
                {
                    let t1p = doc.sents[s].items[j].t1;
                    takes_place(doc, ev, p, s, (t0, t1p), "event.in_place");
                    if doc.sents[s].word(j + 1) == Some("and") || doc.sents[s].punct(j + 1, ",") {
                        j += 2;
                    } else {
                        break;
                    }
                }
            }
            if !object_role.is_empty() {
                let objects: Vec<Eid> = (after..end)
                    .flat_map(|i| pattern::actors_of(doc, s, i))
                    .collect();
                take_part(doc, objects, ev, object_role, s, (t0, t1), "event.verb");
            }
        }
    }
}

fn invaded(doc: &mut Doc, s: usize) {
    let n = doc.sents[s].items.len();
    for v in 0..n {
        if !matches!(doc.sents[s].word(v), Some("invaded" | "invades")) {
            continue;
        }
        let Some((by, first)) = pattern::actors_before(doc, s, v) else {
            continue;
        };
        let Some(&target) = pattern::actors_of(doc, s, v + 1).first() else {
            continue;
        };
        let by: Vec<Eid> = by
            .into_iter()
            .filter(|&e| doc.ents[e].label == "Country")
            .collect();
        if by.is_empty() || doc.ents[target].label != "Country" {
            continue;
        }
        let date = date_in(doc, s, 0, v);
        let (t0, t1) = (doc.sents[s].items[first].t0, doc.sents[s].items[v + 1].t1);
        for &c in &by {
            let idx = mentions::country_index(doc, c).unwrap_or(0);
            let demonym = lx::countries()[idx]
                .2
                .first()
                .copied()
                .unwrap_or(lx::countries()[idx].0);
            let name = format!("{demonym} invasion of {}", doc.ents[target].name);
            let inv = doc
                .find("Event", &name)
                .unwrap_or_else(|| doc.add_ent("Event", &name, 1, "invasion", false));
            doc.source(inv, s, t0, t1, "event.invaded");
            doc.set_prop(inv, "kind", Value::from("invasion"));
            doc.set_prop(inv, "status", Value::from("past"));
            let dated = |mut p: Vec<(&'static str, Value)>| {
                if let Some(d) = date {
                    p.push(("date", Value::Date(d)));
                }
                p
            };
            if let Some(d) = date {
                doc.set_prop(inv, "date", Value::Date(d));
            }
            doc.relate(
                c,
                "INVADED",
                target,
                dated(vec![]),
                s,
                t0,
                t1,
                "event.invaded",
            );
            takes_place(doc, inv, target, s, (t0, t1), "event.invaded");
            take_part(doc, [c], inv, "invader", s, (t0, t1), "event.invaded");
            take_part(doc, [target], inv, "invaded", s, (t0, t1), "event.invaded");
            // "the conflict that began in February 2022 when Russia invaded Ukraine"
            if let Some(w) = (0..first)
                .rev()
                .find(|&i| doc.sents[s].word(i) == Some("when"))
            {
                if let Some(b) = (0..w).rev().find(|&i| {
                    matches!(doc.sents[s].word(i), Some("began" | "started" | "erupted"))
                }) {
                    if let Some(ev) = (0..b).rev().find_map(|i| event_item(doc, s, i)) {
                        let e0 = doc.sents[s]
                            .items
                            .iter()
                            .position(|it| it.kind == IK::Ent(ev, Form::Description))
                            .unwrap_or(b);
                        let (c0, c1) = (doc.sents[s].items[e0].t0, t1);
                        if let Some(d) = date {
                            doc.set_prop(ev, "date", Value::Date(d));
                        }
                        doc.relate(inv, "CAUSED", ev, vec![], s, c0, c1, "event.began_when");
                        take_part(
                            doc,
                            [c, target],
                            ev,
                            "party",
                            s,
                            (c0, c1),
                            "event.began_when",
                        );
                    }
                }
            }
        }
    }
}

/// "The fighting began on Tuesday when Tajik forces shelled ... near the town of Batken".
fn began_when(doc: &mut Doc, s: usize) {
    let n = doc.sents[s].items.len();
    for b in 0..n {
        if !matches!(doc.sents[s].word(b), Some("began" | "started" | "erupted")) {
            continue;
        }
        let Some(w) = (b + 1..n.min(b + 6)).find(|&i| doc.sents[s].word(i) == Some("when")) else {
            continue;
        };
        if (w..n).any(|i| matches!(doc.sents[s].word(i), Some("invaded" | "invades"))) {
            continue;
        }
        let Some(ev) = (0..b).rev().find_map(|i| event_item(doc, s, i)) else {
            continue;
        };
        let e0 = (0..b)
            .rev()
            .find(|&i| event_item(doc, s, i) == Some(ev))
            .unwrap_or(0);
        let end = pattern::clause_end(doc, s, w + 1);
        let (t0, t1) = (doc.sents[s].items[e0].t0, doc.sents[s].items[end - 1].t1);
        if let Some(d) = date_in(doc, s, b, w) {
            doc.set_prop(ev, "date", Value::Date(d));
            doc.fire(
                "event.began_when",
                s,
                t0,
                t1,
                format!("{}.date = {d}", doc.ents[ev].name),
            );
        }
        if let Some((actors, _)) = pattern::actors_at(doc, s, w + 1) {
            take_part(doc, actors, ev, "party", s, (t0, t1), "event.began_when");
        }
        for i in w + 1..end {
            if matches!(doc.sents[s].word(i), Some("near" | "in")) {
                let place = (i + 1..end.min(i + 5))
                    .find_map(|k| doc.sents[s].ent(k).filter(|&e| doc.ents[e].label == "City"));
                if let Some(p) = place {
                    takes_place(doc, ev, p, s, (t0, t1), "event.began_when");
                    break;
                }
            }
        }
    }
}

fn between(doc: &mut Doc, s: usize) {
    let n = doc.sents[s].items.len();
    for i in 0..n {
        let Some(ev) = event_item(doc, s, i) else {
            continue;
        };
        // "talks between X and Y", "wage talks with management" (not "engaged in
        // discussions with", a meeting of the subject with them).
        let with = doc.sents[s].word(i + 1) == Some("with")
            && doc.ents[ev].class == "negotiations"
            && !(i > 0
                && matches!(
                    doc.sents[s].word(i - 1),
                    Some("in" | "held" | "hold" | "holds" | "holding")
                ));
        if doc.sents[s].word(i + 1) != Some("between") && !with {
            continue;
        }
        let Some((actors, end)) = pattern::actors_at(doc, s, i + 2) else {
            continue;
        };
        let (t0, t1) = (doc.sents[s].items[i].t0, doc.sents[s].items[end - 1].t1);
        take_part(doc, actors, ev, "party", s, (t0, t1), "event.between");
    }
}

/// A noun phrase from item `a` up to `end` (exclusive), as an event name.
fn consequence(doc: &mut Doc, s: usize, cause: Eid, a: usize, end: usize, prefix: &str, t0: usize) {
    if a >= end {
        return;
    }
    let text = doc.sents[s].text(doc.sents[s].items[a].t0, doc.sents[s].items[end - 1].t1);
    let name = capitalise(&format!("{prefix}{text}"));
    let e = doc
        .find("Event", &name)
        .unwrap_or_else(|| doc.add_ent("Event", &name, 0, "consequence", true));
    let t1 = doc.sents[s].items[end - 1].t1;
    doc.source(e, s, doc.sents[s].items[a].t0, t1, "event.caused");
    doc.set_prop(e, "kind", Value::from("consequence"));
    doc.set_prop(e, "status", Value::from("ongoing"));
    doc.relate(cause, "CAUSED", e, vec![], s, t0, t1, "event.caused");
    if end >= 2 && doc.sents[s].word(end - 2) == Some("in") {
        if let Some(p) = doc.sents[s]
            .ent(end - 1)
            .filter(|&p| matches!(doc.ents[p].label, "Country" | "City"))
        {
            let a0 = doc.sents[s].items[a].t0;
            takes_place(doc, e, p, s, (a0, t1), "event.caused");
        }
    }
}

fn caused(doc: &mut Doc, s: usize) {
    let n = doc.sents[s].items.len();
    for i in 0..n {
        let Some(ev) = event_item(doc, s, i) else {
            continue;
        };
        if !(doc.sents[s].punct(i + 1, ",") && doc.sents[s].word(i + 2) == Some("which")) {
            continue;
        }
        let t0 = doc.sents[s].items[i].t0;
        let mut k = i + 3;
        while k < n {
            let verb = doc.sents[s].word(k);
            let (prefix, start) = match verb {
                Some("has" | "have")
                    if matches!(
                        doc.sents[s].word(k + 1),
                        Some("caused" | "strained" | "damaged" | "disrupted")
                    ) =>
                {
                    (doc.sents[s].word(k + 1).unwrap_or("").to_string(), k + 2)
                }
                Some("caused" | "strained" | "damaged" | "disrupted") => {
                    (verb.unwrap_or("").to_string(), k + 1)
                }
                _ => break,
            };
            let mut end = start;
            while end < n
                && !doc.sents[s].is_break(end)
                && !(doc.sents[s].word(end) == Some("and")
                    && matches!(doc.sents[s].word(end + 1), Some("has" | "have")))
            {
                end += 1;
            }
            let prefix = if prefix == "caused" {
                String::new()
            } else {
                format!("{prefix} ")
            };
            consequence(doc, s, ev, start, end, &prefix, t0);
            k = if doc.sents[s].word(end) == Some("and") {
                end + 1
            } else {
                break;
            };
        }
    }
}

fn won(doc: &mut Doc, s: usize) {
    let n = doc.sents[s].items.len();
    for v in 0..n {
        if !matches!(doc.sents[s].word(v), Some("won" | "wins")) {
            continue;
        }
        let Some(ev) = event_item(doc, s, v + 1) else {
            continue;
        };
        let Some((winners, first)) = pattern::actors_before(doc, s, v) else {
            continue;
        };
        let (t0, t1) = (doc.sents[s].items[first].t0, doc.sents[s].items[v + 1].t1);
        take_part(doc, winners, ev, "winner", s, (t0, t1), "event.won");
        if let Some(d) =
            (v + 2..n).find(|&i| matches!(doc.sents[s].word(i), Some("defeating" | "beating")))
        {
            if let Some((losers, end)) = pattern::actors_at(doc, s, d + 1) {
                let (t0, t1) = (doc.sents[s].items[v].t0, doc.sents[s].items[end - 1].t1);
                take_part(doc, losers, ev, "candidate", s, (t0, t1), "event.won");
            }
        }
        if let Some(d) = date_in(doc, s, v + 1, (v + 5).min(n)) {
            doc.set_prop(ev, "date", Value::Date(d));
        }
    }
}

fn host(doc: &mut Doc, s: usize) {
    let n = doc.sents[s].items.len();
    // "the Pan-American Championship, which the federation is due to hold in
    // Santiago": the relative clause's subject hosts its antecedent, there.
    for v in 0..n {
        if !matches!(
            doc.sents[s].word(v),
            Some("hold" | "holds" | "held" | "host" | "hosts" | "hosted")
        ) {
            continue;
        }
        let Some(w) = (v.saturating_sub(6)..v).find(|&i| doc.sents[s].word(i) == Some("which"))
        else {
            continue;
        };
        if w < 2 || !doc.sents[s].punct(w - 1, ",") {
            continue;
        }
        let Some(ev) = doc.sents[s]
            .ent(w - 2)
            .filter(|&e| doc.ents[e].label == "Event")
        else {
            continue;
        };
        let Some((actors, _)) = pattern::actors_at(doc, s, w + 1) else {
            continue;
        };
        let (t0, t1) = (doc.sents[s].items[w - 2].t0, doc.sents[s].items[v].t1);
        take_part(doc, actors, ev, "host", s, (t0, t1), "event.host");
        if doc.sents[s].word(v + 1) == Some("in") {
            if let Some(p) = doc.sents[s]
                .ent(v + 2)
                .filter(|&p| matches!(doc.ents[p].label, "City" | "Country"))
            {
                let t1p = doc.sents[s].items[v + 2].t1;
                takes_place(doc, ev, p, s, (t0, t1p), "event.in_place");
            }
        }
    }
    for v in 0..n {
        if !matches!(
            doc.sents[s].word(v),
            Some("host" | "hosted" | "hosts" | "hosting")
        ) {
            continue;
        }
        let Some(ev) = event_item(doc, s, v + 1) else {
            continue;
        };
        // "has offered to host the summit": the subject of "offered".
        let verb = if doc.sents[s].word(v) == Some("host") {
            let k = (0..v)
                .rev()
                .find(|&i| {
                    matches!(
                        doc.sents[s].word(i),
                        Some("offered" | "will" | "agreed" | "to")
                    )
                })
                .unwrap_or(v);
            if doc.sents[s].word(k) == Some("to") && k > 0 {
                k - 1
            } else {
                k
            }
        } else {
            v
        };
        let Some((actors, first)) = pattern::clause_subject(doc, s, verb) else {
            continue;
        };
        let (t0, t1) = (doc.sents[s].items[first].t0, doc.sents[s].items[v + 1].t1);
        take_part(doc, actors, ev, "host", s, (t0, t1), "event.host");
    }
}

fn ceasefire_parties(doc: &mut Doc, s: usize) {
    let n = doc.sents[s].items.len();
    let truce = (0..n).find(|&i| {
        doc.sents[s].ent(i).is_some_and(|e| {
            let name = doc.ents[e].name.to_lowercase();
            doc.ents[e].label == "Proposal"
                && (name.contains("ceasefire") || name.contains("truce"))
        })
    });
    let Some(t) = truce else { return };
    let Some(v) = (0..t)
        .rev()
        .find(|&i| matches!(doc.sents[s].word(i), Some("agreed" | "agree" | "signed")))
    else {
        return;
    };
    let Some(fight) = (t..n).find_map(|i| {
        event_item(doc, s, i).filter(|&e| matches!(doc.ents[e].class.as_str(), "clashes" | "war"))
    }) else {
        return;
    };
    let Some((parties, first)) = pattern::actors_before(doc, s, v) else {
        return;
    };
    let fi = (t..n)
        .find(|&i| event_item(doc, s, i) == Some(fight))
        .unwrap_or(t);
    let (t0, t1) = (doc.sents[s].items[first].t0, doc.sents[s].items[fi].t1);
    take_part(
        doc,
        parties,
        fight,
        "party",
        s,
        (t0, t1),
        "event.ceasefire_parties",
    );
}
