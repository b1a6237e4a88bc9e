//! Membership, ownership, proposals, meetings and travel.
//!
//! - `member.including`: "senior administration officials—including Vice
//!   President Vance, ...—"; `member.of_org`: "Carla Muñoz of the Broad Front",
//!   "the candidate of the Republican Alliance"; `member.led`: "X, who led the
//!   Indonesian delegation"; `group.from`: "negotiators from the EU and
//!   Indonesia" (REPRESENTS); `group.at`: "analysts at Morgan Stanley".
//! - `org.owns`: "his social media platform Truth Social".
//! - `proposal.drafted_by`, `proposal.drafted`, `proposal.brokered_by`,
//!   `proposal.input_from`, `proposal.aims_to_end`, `proposal.points`,
//!   `proposal.acquisition`.
//! - `meeting.travel`: "X would travel to Moscow to meet directly with Putin";
//!   `meeting.will_meet`, `meeting.met`, `meeting.discussions`,
//!   `meeting.future` ("potential direct meetings with ...", "I look forward
//!   to meeting with ..."), `meeting.spoke`, `meeting.briefed`.

use factgraph_model::Value;

use super::doc::{Doc, Eid, Form, IK};
use super::lexicon as lx;
use super::pattern;
use super::stances;

fn label(doc: &Doc, e: Eid) -> &'static str {
    doc.ents[e].label
}

fn proposal_at(doc: &Doc, s: usize, i: usize) -> Option<Eid> {
    match doc.sents[s].items.get(i)?.kind {
        IK::Ent(e, _) if label(doc, e) == "Proposal" => Some(e),
        IK::Pron(ref p) if p == "it" => {
            pattern::resolve_pron(doc, s, i).filter(|&e| label(doc, e) == "Proposal")
        }
        _ => None,
    }
}

/// The proposal a clause at item `v` is about: the nearest one before it.
fn proposal_before(doc: &Doc, s: usize, v: usize) -> Option<(Eid, usize)> {
    (0..v)
        .rev()
        .find_map(|i| proposal_at(doc, s, i).map(|e| (e, i)))
}

fn span(doc: &Doc, s: usize, a: usize, b: usize) -> (usize, usize) {
    let items = &doc.sents[s].items;
    (items[a.min(b)].t0, items[b.max(a).min(items.len() - 1)].t1)
}

/// Runs the membership and ownership rules on sentence `s`.
pub fn membership(doc: &mut Doc, s: usize) {
    let n = doc.sents[s].items.len();
    for i in 0..n {
        let w = doc.sents[s].word(i).unwrap_or("").to_string();
        match w.as_str() {
            "including" => {
                let Some(g) = (i >= 2)
                    .then(|| doc.sents[s].ent(i - 2).or(doc.sents[s].ent(i - 1)))
                    .flatten()
                else {
                    continue;
                };
                if label(doc, g) != "Group" {
                    continue;
                }
                if let Some((members, end)) = pattern::actors_at(doc, s, i + 1) {
                    let gi = (0..i)
                        .rev()
                        .find(|&k| doc.sents[s].ent(k) == Some(g))
                        .unwrap_or(i);
                    let (t0, t1) = span(doc, s, gi, end - 1);
                    for m in members.into_iter().filter(|&m| m != g) {
                        doc.relate(m, "MEMBER_OF", g, vec![], s, t0, t1, "member.including");
                    }
                }
            }
            "of" | "from" | "at" => {
                let Some(x) = i.checked_sub(1).and_then(|k| doc.sents[s].ent(k)) else {
                    continue;
                };
                let mut k = i + 1;
                if doc.sents[s].word(k) == Some("the") {
                    k += 1;
                }
                let targets = pattern::actors_of(doc, s, k);
                let (t0, t1) = span(doc, s, i - 1, k);
                for t in targets {
                    match (label(doc, x), label(doc, t), w.as_str()) {
                        ("Group", "Country" | "Organization", "from")
                            if doc.ents[x].class.starts_with("rep:")
                                || doc.ents[x].class == "observers" =>
                        {
                            doc.relate(x, "REPRESENTS", t, vec![], s, t0, t1, "group.from");
                        }
                        ("Group", "Organization", "at" | "of" | "from") => {
                            doc.relate(x, "MEMBER_OF", t, vec![], s, t0, t1, "group.at")
                        }
                        ("Person", "Organization", "of") if is_party(doc, t) => {
                            doc.relate(x, "MEMBER_OF", t, vec![], s, t0, t1, "member.of_org")
                        }
                        _ => {}
                    }
                }
                // "negotiators from the EU and Indonesia"
                if label(doc, x) == "Group" && w == "from" {
                    if let Some((more, end)) = pattern::actors_at(doc, s, k) {
                        let (t0, t1) = span(doc, s, i - 1, end - 1);
                        let more: Vec<Eid> = more
                            .into_iter()
                            .filter(|&t| matches!(label(doc, t), "Country" | "Organization"))
                            .collect();
                        for t in more {
                            if doc.ents[x].class.starts_with("rep:")
                                || doc.ents[x].class == "observers"
                            {
                                doc.relate(x, "REPRESENTS", t, vec![], s, t0, t1, "group.from");
                            }
                        }
                    }
                }
            }
            "candidate" | "leader" | "member"
                if i >= 3 && doc.sents[s].word(i + 1) == Some("of") =>
            {
                let Some(p) = (0..i)
                    .rev()
                    .find_map(|k| doc.sents[s].ent(k).filter(|&e| label(doc, e) == "Person"))
                else {
                    continue;
                };
                let k = if doc.sents[s].word(i + 2) == Some("the") {
                    i + 3
                } else {
                    i + 2
                };
                let org = (k..n.min(k + 4)).find_map(|j| {
                    doc.sents[s]
                        .ent(j)
                        .filter(|&e| label(doc, e) == "Organization")
                });
                if let Some(o) = org {
                    let oi = (k..n)
                        .find(|&j| doc.sents[s].ent(j) == Some(o))
                        .unwrap_or(k);
                    let pi = (0..i)
                        .rev()
                        .find(|&j| doc.sents[s].ent(j) == Some(p))
                        .unwrap_or(0);
                    let (t0, t1) = span(doc, s, pi, oi);
                    doc.relate(p, "MEMBER_OF", o, vec![], s, t0, t1, "member.of_org");
                }
            }
            // "An IMF mission led by Carlos Herrera"
            "led" | "headed"
                if i >= 1
                    && doc.sents[s].word(i + 1) == Some("by")
                    && doc.sents[s]
                        .ent(i - 1)
                        .is_some_and(|e| label(doc, e) == "Group") =>
            {
                let g = doc.sents[s].ent(i - 1).unwrap_or_default();
                if let Some(p) = doc.sents[s]
                    .ent(i + 2)
                    .filter(|&e| label(doc, e) == "Person")
                {
                    let (t0, t1) = span(doc, s, i - 1, i + 2);
                    doc.relate(p, "MEMBER_OF", g, vec![], s, t0, t1, "member.led");
                }
            }
            "led" | "leads" | "heads" | "headed"
                if i >= 2 && doc.sents[s].word(i - 1) == Some("who") =>
            {
                let Some(p) = doc.sents[s]
                    .ent(i - 3)
                    .filter(|&e| label(doc, e) == "Person")
                else {
                    continue;
                };
                let g = (i + 1..n.min(i + 3))
                    .find_map(|k| doc.sents[s].ent(k).filter(|&e| label(doc, e) == "Group"));
                if let Some(g) = g {
                    let (t0, t1) = span(doc, s, i - 3, i + 1);
                    doc.relate(p, "MEMBER_OF", g, vec![], s, t0, t1, "member.led");
                }
            }
            _ => {}
        }
        // "his social media platform Truth Social"
        if let IK::Pron(p) = &doc.sents[s].items[i].kind.clone() {
            if matches!(p.as_str(), "his" | "her" | "its") {
                let owns = (i + 1..n.min(i + 6)).find_map(|k| {
                    let is_kind = doc.sents[s]
                        .word(k - 1)
                        .is_some_and(|w| lx::ORG_KIND_NOUNS.iter().any(|(n, _)| *n == w));
                    doc.sents[s]
                        .ent(k)
                        .filter(|&e| label(doc, e) == "Organization" && is_kind)
                        .map(|e| (e, k))
                });
                let all_words = owns.is_some_and(|(_, k)| {
                    (i + 1..k).all(|j| {
                        doc.sents[s]
                            .word(j)
                            .is_some_and(|w| w.chars().all(char::is_alphabetic))
                    })
                });
                if let (Some((o, k)), true) = (owns, all_words) {
                    if let Some(owner) = pattern::resolve_pron(doc, s, i)
                        .filter(|&e| matches!(label(doc, e), "Person" | "Organization"))
                    {
                        let (t0, t1) = span(doc, s, i, k);
                        doc.relate(owner, "OWNS", o, vec![], s, t0, t1, "org.owns");
                    }
                }
            }
        }
    }
}

fn is_party(doc: &Doc, o: Eid) -> bool {
    matches!(
        doc.ents[o].str_prop("kind"),
        Some("political party" | "political coalition" | "trade union" | "union")
    )
}

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
