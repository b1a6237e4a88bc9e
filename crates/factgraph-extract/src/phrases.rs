//! Pass 2, continued: what a noun phrase headed by a proposal, event or
//! demand noun refers to (see [`super::nps`] for how the phrase is found).
//!
//! - A proposal phrase with a capitalised name ("28-Point Peace Plan") names
//!   it; a definite one ("the deal") refers to the most salient proposal of
//!   its class, preferring one named with the same noun; an indefinite one
//!   introduces a new proposal unless it is generic ("a lasting peace deal",
//!   "any deal", "without a deal", "a treaty that ..."). "a streamlined version
//!   of the plan" is a new proposal, VERSION_OF the plan.
//! - An event phrase refers to the salient event of its kind ("this War",
//!   "the conflict"), unless it is indefinite with modifiers or says between
//!   whom it happens ("direct negotiations between Zelenskyy and Trump"). "in
//!   <place>" after it is where it TAKES_PLACE_IN; a date right after it is its date.
//! - "Moscow's more ambitious demands" is an issue; a capital as possessor is
//!   its country's government (CAPITAL_OF).

use factgraph_model::Value;

use super::doc::{capitalise, Doc, Eid, Form, IK};
use super::nps::{
    definite, extend_left, head_at, named_with, salient, salient_any, salient_with, surface, Left,
    RESOLVE_ONLY,
};
use super::stances;

/// Nouns that can name a proposal of any kind ("the proposal" for a cut, "the
/// agreement" for a ceasefire).
const GENERAL_REFERENCE: &[&str] = &[
    "proposal",
    "agreement",
    "plan",
    "deal",
    "measure",
    "measures",
];

pub(super) fn proposal(
    doc: &mut Doc,
    s: usize,
    left: &Left,
    head: usize,
    end: usize,
    class: &str,
) -> Option<IK> {
    let sent = &doc.sents[s];
    let (t0, t1) = (sent.items[left.a].t0, sent.items[end - 1].t1);
    let head_tok = &sent.toks[sent.items[head].t0];
    let plural = head_tok.lower.ends_with('s')
        && !matches!(head_tok.lower.as_str(), "commitments" | "pledges");
    let det = left.det.clone().unwrap_or_default();
    if class == "version" {
        return version(doc, s, left, end);
    }
    let generic = class == "generic"
        || left.generic_adj
        || det == "any"
        || (plural && !definite(left))
        || matches!(
            det.as_str(),
            "two" | "three" | "four" | "five" | "some" | "many" | "no"
        )
        || (det == "a" && matches!(sent.word(left.a.wrapping_sub(1)), Some("not" | "is" | "was" | "without")))
        // "a treaty that ignores production": any such treaty
        || (det == "a" && matches!(sent.word(end), Some("that" | "which")));
    let word = head_tok.lower.clone();
    // "a plan to cut taxes": without a determiner a measure noun is a verb.
    if class == "measure" && left.det.is_none() && left.possessor.is_none() {
        return None;
    }
    if generic {
        return Some(IK::Generic("Proposal"));
    }
    let complement = complement_end(doc, s, end, "Proposal");
    let name_end_item = complement.unwrap_or(end);
    let written = surface(doc, s, left, name_end_item);
    // "the African proposal": a capitalised modifier the salient proposal's
    // names lack makes it another proposal.
    // (Modifiers before the head only; not a possessor, not shouting.)
    let marks: Vec<String> = written
        .split(' ')
        .take_while(|w| w.to_lowercase() != word)
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .filter(|w| !w.contains(['\'', '’']) && w.chars().any(char::is_lowercase))
        .map(str::to_lowercase)
        .collect();
    let carries_marks = |e: &Eid| marks.iter().all(|m| named_with(doc, *e, m));
    let mut name = capitalise(&written);
    let proper = left
        .proper_from
        .map(|p| doc.sents[s].text(doc.sents[s].items[p].t0, doc.sents[s].items[end - 1].t1));
    let existing = match &proper {
        Some(p) => doc.find("Proposal", p),
        None => doc.find("Proposal", &name),
    };
    let e = if let Some(e) = existing {
        e
    } else if definite(left) || det.is_empty() {
        // "the proposal", "the agreement" after "agreed to cut output": the
        // salient proposal of any kind when none of its own kind is there.
        let any_kind = || {
            (definite(left) && GENERAL_REFERENCE.contains(&word.as_str()))
                .then(|| salient_any(doc, "Proposal", s))
                .flatten()
        };
        match salient_with(doc, "Proposal", class, s, Some(&word))
            .or_else(any_kind)
            .filter(carries_marks)
        {
            Some(e) => e,
            None if RESOLVE_ONLY.contains(&word.as_str()) => return None,
            None => doc.add_ent("Proposal", &name, 0, class, true),
        }
    } else if RESOLVE_ONLY.contains(&word.as_str()) {
        return None;
    } else if class == "measure" {
        // "a cut" again and again in a story about one rate decision is one
        // cut; "a full embargo" after "a ban" is another measure.
        match salient_with(doc, "Proposal", class, s, Some(&word))
            .filter(|&e| named_with(doc, e, &word))
        {
            Some(e) => e,
            None => doc.add_ent("Proposal", &name, 0, class, true),
        }
    } else {
        doc.add_ent("Proposal", &name, 0, class, true)
    };
    if let Some(p) = proper {
        doc.rename(e, &p, 1);
        doc.ents[e].scoped = false;
        name = p;
    }
    let _ = name;
    doc.mention(e, s, t0, t1, "mention.proposal");
    // "its demand", "Herrera's tax plan", "its budget statement": the
    // possessor put it forward. Agreements between parties are nobody's own.
    let own = matches!(
        word.as_str(),
        "plan"
            | "proposal"
            | "demand"
            | "bill"
            | "budget"
            | "offer"
            | "package"
            | "pledges"
            | "commitments"
    );
    let possessor = match left.det.as_deref() {
        Some("its" | "his" | "her" | "their") => super::pattern::resolve_pron(doc, s, left.a),
        _ => left.possessor,
    };
    if let Some(p) = possessor.filter(|&p| own && doc.is_actor(p)) {
        doc.relate(p, "DRAFTED", e, vec![], s, t0, t1, "proposal.possessive");
    }
    if let Some(points) = left.points {
        doc.set_prop(e, "points", Value::Int(points));
    }
    if let Some((backer, a, b)) = left.backer {
        let (bt0, bt1) = (doc.sents[s].items[a].t0, doc.sents[s].items[end - 1].t1);
        let _ = b;
        stances::position(
            doc,
            &[backer],
            "backs",
            false,
            &[e],
            s,
            bt0,
            bt1,
            "stance.backed_compound",
        );
    }
    Some(IK::Ent(e, Form::Description))
}

/// "a streamlined version of the plan": a new proposal, a version of the other.
fn version(doc: &mut Doc, s: usize, left: &Left, end: usize) -> Option<IK> {
    // The phrase after "of" is handled when the loop reaches it; find its head now.
    let sent = &doc.sents[s];
    let mut k = end + 1;
    while k < sent.items.len() && k < end + 6 {
        if let Some(e) = sent.ent(k).filter(|&e| doc.ents[e].label == "Proposal") {
            return Some(finish_version(doc, s, left, end, e, k));
        }
        if let Some((_, "Proposal", class)) = head_at(doc, s, k) {
            let inner = extend_left(doc, s, k);
            let target = proposal(doc, s, &inner, k, k + 1, &class)?;
            doc.sents[s].replace(inner.a, k + 1, target.clone());
            if let IK::Ent(e, _) = target {
                return Some(finish_version(doc, s, left, end, e, inner.a));
            }
            return None;
        }
        k += 1;
    }
    None
}

fn finish_version(doc: &mut Doc, s: usize, left: &Left, end: usize, of: Eid, of_item: usize) -> IK {
    let mods = surface(doc, s, left, end);
    let of_name = doc.ents[of].name.clone();
    let name = format!("{} of the {}", capitalise(&mods), of_name);
    let e = doc
        .find("Proposal", &name)
        .unwrap_or_else(|| doc.add_ent("Proposal", &name, 1, "agreement", true));
    let sent = &doc.sents[s];
    let (t0, t1) = (sent.items[left.a].t0, sent.items[of_item].t1);
    doc.mention(e, s, t0, t1, "mention.proposal");
    doc.relate(
        e,
        "VERSION_OF",
        of,
        vec![],
        s,
        t0,
        t1,
        "proposal.version_of",
    );
    IK::Ent(e, Form::Description)
}

/// The item after a complement of the head ending at `end`: "in Ukraine",
/// "between Zelenskyy and Trump", "of Ukraine", "to cut corporate taxes".
fn complement_end(doc: &Doc, s: usize, end: usize, label: &str) -> Option<usize> {
    let sent = &doc.sents[s];
    match (label, sent.word(end)) {
        ("Proposal", Some("to")) => {
            let mut k = end + 1;
            while k < sent.items.len()
                && k < end + 6
                && !sent.is_break(k)
                && sent
                    .word(k)
                    .is_some_and(|w| !matches!(w, "and" | "but" | "while" | "that" | "which"))
            {
                k += 1;
            }
            (k > end + 2).then_some(k)
        }
        ("Event", Some("in" | "of")) => {
            let e = sent.ent(end + 1)?;
            matches!(doc.ents[e].label, "Country" | "City").then_some(end + 2)
        }
        ("Event", Some("between")) => {
            let mut k = end + 1;
            while k < sent.items.len()
                && !sent.is_break(k)
                && !matches!(
                    sent.word(k),
                    Some(
                        "in" | "on"
                            | "at"
                            | "to"
                            | "for"
                            | "next"
                            | "this"
                            | "that"
                            | "which"
                            | "who"
                            | "while"
                            | "as"
                            | "once"
                    )
                )
                && !matches!(sent.items[k].kind, IK::Date(_))
            {
                k += 1;
            }
            (k > end + 1).then_some(k)
        }
        _ => None,
    }
}

pub(super) fn event(
    doc: &mut Doc,
    s: usize,
    left: &Left,
    head: usize,
    end: usize,
    kind: &str,
) -> Option<IK> {
    let sent = &doc.sents[s];
    let head_word = sent.word(head).unwrap_or("").to_string();
    let mass = matches!(kind, "negotiations" | "clashes") || head_word.ends_with('s');
    let bare = left.det.is_none() && left.a == head && left.possessor.is_none();
    if bare && !mass {
        return None; // "hopefully meeting with": a verb, not an event
    }
    let complement = complement_end(doc, s, end, "Event");
    let between = sent.word(end) == Some("between") && complement.is_some();
    let place_at = match (sent.word(end), complement) {
        (Some("in"), Some(_)) => Some(end + 1),
        (_, Some(c)) if sent.word(c) == Some("in") => Some(c + 1),
        _ => None,
    };
    let place = place_at
        .and_then(|k| sent.ent(k))
        .filter(|&p| matches!(doc.ents[p].label, "City" | "Country"));
    let in_name = complement.filter(|_| between || kind == "war" || kind == "invasion");
    let name = capitalise(&surface(doc, s, left, in_name.unwrap_or(end)));
    let indefinite = matches!(left.det.as_deref(), Some("a" | "an"));
    // "a long strike", "any new attack": no event of its own; the salient one, if any.
    let hedged = (left.a..head).any(|j| {
        matches!(
            doc.sents[s].word(j),
            Some("long" | "prolonged" | "lengthy" | "possible" | "potential" | "further")
        )
    });
    if (indefinite || left.det.as_deref() == Some("any")) && hedged {
        let e = salient(doc, "Event", kind, s)?;
        let (t0, t1) = (
            doc.sents[s].items[left.a].t0,
            doc.sents[s].items[end - 1].t1,
        );
        doc.source(e, s, t0, t1, "mention.event");
        return Some(IK::Ent(e, Form::Description));
    }
    if matches!(head_word.as_str(), "results" | "result")
        && salient(doc, "Event", kind, s).is_none()
    {
        return None;
    }
    // "Poland's decision" after Poland expelled someone: the act it took part in.
    if kind == "decision" {
        if let Some(p) = left.possessor {
            let acts = doc.targets(p, "PARTICIPATES_IN");
            if let Some(&e) = acts
                .iter()
                .filter(|&&e| doc.salience(e, s) > 0)
                .max_by_key(|&&e| doc.last_mention(e, u32::MAX))
            {
                let (t0, t1) = (
                    doc.sents[s].items[left.a].t0,
                    doc.sents[s].items[end - 1].t1,
                );
                doc.source(e, s, t0, t1, "mention.event");
                return Some(IK::Ent(e, Form::Description));
            }
            // Its act is found later, by the event verbs: not a new event.
            return None;
        }
    }
    let e = match doc.find("Event", &name) {
        Some(e) => e,
        None if between || (indefinite && (left.a < head || complement.is_some())) => {
            doc.add_ent("Event", &name, 0, kind, true)
        }
        None => match salient(doc, "Event", kind, s) {
            Some(e) => e,
            None => doc.add_ent("Event", &name, 0, kind, true),
        },
    };
    let sent = &doc.sents[s];
    let (t0, t1) = (
        sent.items[left.a].t0,
        sent.items[in_name.unwrap_or(end) - 1].t1,
    );
    doc.mention(e, s, t0, t1, "mention.event");
    doc.set_prop(e, "kind", Value::from(kind));
    // "the strike at plants in Ulsan and Gwangju": places a few words on.
    let mut more_places = Vec::new();
    if place.is_none() && matches!(doc.sents[s].word(end), Some("at" | "across")) {
        let sent = &doc.sents[s];
        if let Some(k) = (end + 1..sent.items.len().min(end + 4)).find(|&k| {
            sent.word(k) == Some("in")
                && sent.ent(k + 1).is_some_and(|e| doc.ents[e].label == "City")
        }) {
            let mut j = k + 1;
            while let Some(c) = sent.ent(j).filter(|&e| doc.ents[e].label == "City") {
                more_places.push((c, j));
                if sent.word(j + 1) == Some("and") || sent.punct(j + 1, ",") {
                    j += 2;
                } else {
                    break;
                }
            }
        }
    }
    for (c, j) in more_places {
        let t1p = doc.sents[s].items[j].t1;
        doc.relate(e, "TAKES_PLACE_IN", c, vec![], s, t0, t1p, "event.in_place");
    }
    if let (Some(p), Some(k)) = (place, place_at) {
        let t1p = doc.sents[s].items[k].t1;
        doc.relate(e, "TAKES_PLACE_IN", p, vec![], s, t0, t1p, "event.in_place");
    }
    if let Some(c) = left.possessor.filter(|&c| doc.ents[c].label == "Country") {
        doc.relate(
            e,
            "TAKES_PLACE_IN",
            c,
            vec![],
            s,
            t0,
            t1,
            "event.possessive_place",
        );
    }
    // A date right after the phrase or its place: "a meeting in Jakarta in November".
    let mut k = place_at.map_or(complement.unwrap_or(end), |p| p - 1);
    if doc.sents[s].word(k) == Some("in") && doc.sents[s].ent(k + 1).is_some() {
        k += 2;
    }
    for j in [k, k + 1] {
        if let Some(IK::Date(d)) = doc.sents[s].items.get(j).map(|it| it.kind.clone()) {
            if j == k || matches!(doc.sents[s].word(k), Some("in" | "on")) {
                doc.set_prop(e, "date", Value::Date(d));
                break;
            }
        }
    }
    Some(IK::Ent(e, Form::Description))
}

pub(super) fn issue(doc: &mut Doc, s: usize, left: &Left, end: usize) -> Option<IK> {
    let possessor = left.possessor?;
    let sent = &doc.sents[s];
    let (t0, t1) = (sent.items[left.a].t0, sent.items[end - 1].t1);
    let name = sent.text(t0, t1);
    let e = doc
        .find("Issue", &name)
        .unwrap_or_else(|| doc.add_ent("Issue", &name, 0, "demands", true));
    doc.mention(e, s, t0, t1, "mention.issue");
    if doc.ents[possessor].label == "City" {
        if let Ok(c) = doc.ents[possessor].class.parse::<usize>() {
            let country = super::mentions::country(doc, c);
            let p0 = doc.sents[s].items[left.a].t0;
            doc.mention(country, s, p0, p0 + 1, "metonym.capital");
            doc.relate(
                possessor,
                "CAPITAL_OF",
                country,
                vec![],
                s,
                p0,
                t1,
                "metonym.capital_possessive",
            );
        }
    }
    Some(IK::Ent(e, Form::Description))
}
