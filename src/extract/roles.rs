//! Who holds which role for whom.
//!
//! - `role.title_name`: "Russian President Vladimir Putin", "U.S. Army
//!   Secretary Dan Driscoll", "Norland chief executive Helen Marsh",
//!   "Kazakhstan, whose Foreign Minister Aidos Nurlanov".
//! - `role.apposition`: "his special envoy, Steve Witkoff" (the envoy SERVES
//!   the possessor), "Vestra's founder and largest shareholder, Piet van Dijk".
//! - `role.name_apposition`: "Herrera, a former mayor of Valparaíso,".
//! - `role.unnamed`: "Russia's top diplomat" with no name: a person known
//!   only by the office.
//! - `role.takes_office`: "Herrera takes office as president in March 2026".
//!
//! A title with no country belongs to the person's known role with that
//! title ("President Zelenskyy" after "Ukrainian President Volodymyr
//! Zelenskyy"), else to the document's home country (see [`super::home_country`]).

use crate::model::Value;

use super::doc::{capitalise, Doc, Eid, Form, TitleRef, IK};
use super::lexicon::Scope;
use super::pattern;

/// How an owner's name reads inside a role name: "the United States", "Russia", "Norland Steel".
fn of_name(doc: &Doc, owner: Eid) -> String {
    let ent = &doc.ents[owner];
    let name = ent.name.as_str();
    let article = match ent.label {
        "Country" => {
            name.starts_with("United ") || name.ends_with('s') || name.contains("Republic")
        }
        "Organization" => ent.str_prop("kind") != Some("company") && name.contains(' '),
        _ => false,
    };
    if article {
        format!("the {name}")
    } else {
        name.to_string()
    }
}

/// The role with `title` of `owner` (or of no one), found or created.
pub fn role(doc: &mut Doc, title: &TitleRef, owner: Option<Eid>) -> Eid {
    let name = match owner {
        Some(o) => {
            let of = of_name(doc, o);
            let of_bare = doc.ents[o].name.clone();
            let t = if doc.ents[o].label == "Person"
                || title.title.chars().next().is_some_and(char::is_lowercase)
            {
                capitalise(&title.title.to_lowercase())
            } else {
                title.title.clone()
            };
            let text = title.template.replace("{title}", &t);
            if text.starts_with("{of}") {
                text.replace("{of}", &of_bare)
            } else {
                capitalise(&text.replace("{of}", &of))
            }
        }
        None => capitalise(&title.title.to_lowercase()),
    };
    if let Some(r) = doc.find("Role", &name) {
        return r;
    }
    let r = doc.add_ent("Role", &name, 1, &title.title.to_lowercase(), false);
    doc.set_prop(r, "title", Value::from(title.title.as_str()));
    r
}

/// The owner a bare title implies for `person`: the owner of a role with the
/// same title they already hold, else the home country for state offices.
fn default_owner(doc: &Doc, person: Eid, title: &TitleRef) -> Option<Eid> {
    let class = title.title.to_lowercase();
    for r in doc.targets(person, "HOLDS") {
        if doc.ents[r].class == class {
            return doc
                .targets(r, "ROLE_OF")
                .first()
                .copied()
                .or(Some(usize::MAX));
        }
    }
    match title.scope {
        Scope::Government | Scope::Any => doc.home,
        _ => None,
    }
}

/// States that `person` holds `title` of `owner`, supported by tokens `t0..t1`.
#[allow(clippy::too_many_arguments)]
pub fn holds(
    doc: &mut Doc,
    person: Eid,
    title: &TitleRef,
    owner: Option<Eid>,
    s: usize,
    t0: usize,
    t1: usize,
    rule: &'static str,
) {
    let owner = match owner {
        Some(o) => Some(o),
        None => default_owner(doc, person, title),
    };
    if title.owner {
        if let Some(o) = owner.filter(|&o| o != usize::MAX && doc.ents[o].label == "Organization") {
            doc.relate(person, "OWNS", o, vec![], s, t0, t1, rule);
        }
        return;
    }
    let owner = owner.filter(|&o| o != usize::MAX);
    let r = role(doc, title, owner);
    doc.source(r, s, t0, t1, rule);
    let props = title
        .status
        .map(|st| vec![("status", Value::from(st))])
        .unwrap_or_default();
    doc.relate(person, "HOLDS", r, props, s, t0, t1, rule);
    if let Some(o) = owner {
        match doc.ents[o].label {
            "Country" | "Organization" => doc.relate(r, "ROLE_OF", o, vec![], s, t0, t1, rule),
            "Person" => doc.relate(person, "SERVES", o, vec![], s, t0, t1, rule),
            _ => {}
        }
    }
}

/// The owner named just before item `ti` (a title): a country or
/// organization modifier, a possessive, "his", or "X, whose". Returns the
/// owner and the first item of the phrase.
fn owner_before(doc: &Doc, s: usize, ti: usize) -> (Option<Eid>, usize) {
    let sent = &doc.sents[s];
    if ti == 0 {
        return (None, ti);
    }
    let p = ti - 1;
    match &sent.items[p].kind {
        IK::Ent(e, form)
            if matches!(doc.ents[*e].label, "Country" | "Organization")
                && *form != Form::Description =>
        {
            (Some(*e), p)
        }
        IK::Ent(e, _) if doc.ents[*e].label == "City" => (pattern::capital_country(doc, *e), p),
        IK::Pron(w) if matches!(w.as_str(), "his" | "her" | "their" | "its") => {
            (pattern::resolve_pron(doc, s, p), p)
        }
        IK::Tok if sent.toks[sent.items[p].t0].kind == super::tokens::Kind::Possessive && p > 0 => {
            let owner = sent
                .ent(p - 1)
                .or_else(|| pattern::actors_of(doc, s, p - 1).first().copied());
            (owner, p - 1)
        }
        IK::Tok if sent.word(p) == Some("whose") && p >= 2 && sent.punct(p - 1, ",") => {
            (pattern::actors_of(doc, s, p - 2).first().copied(), p)
        }
        IK::Tok if sent.word(p) == Some("the") || sent.word(p) == Some("a") => (None, p),
        _ => (None, ti),
    }
}

fn title_at(doc: &Doc, s: usize, i: usize) -> Option<TitleRef> {
    match &doc.sents[s].items.get(i)?.kind {
        IK::Title(t) => Some(t.clone()),
        _ => None,
    }
}

fn person_at(doc: &Doc, s: usize, i: usize) -> Option<Eid> {
    doc.sents[s]
        .ent(i)
        .filter(|&e| doc.ents[e].label == "Person")
}

/// Runs the role rules on sentence `s`.
pub fn run(doc: &mut Doc, s: usize) {
    let mut ti = 0;
    while ti < doc.sents[s].items.len() {
        let Some(title) = title_at(doc, s, ti) else {
            ti += 1;
            continue;
        };
        let (mut owner, a) = owner_before(doc, s, ti);
        let possessive = a + 1 < ti
            && doc.sents[s].items[a + 1].kind == IK::Tok
            && doc.sents[s].toks[doc.sents[s].items[a + 1].t0].kind
                == super::tokens::Kind::Possessive;
        let sent = &doc.sents[s];
        let tok = |i: usize| sent.items[i].t0;
        // The title's end, after "of Russia", "for the Belarusian government".
        let mut te = ti + 1;
        if owner.is_none() && matches!(sent.word(ti + 1), Some("of" | "for")) {
            let k = if sent.word(ti + 2) == Some("the") {
                ti + 3
            } else {
                ti + 2
            };
            let ok = |o: Eid| match doc.ents[o].label {
                "Country" | "Organization" | "Person" => true,
                "City" => title.scope == Scope::Local,
                _ => false,
            };
            if let Some(o) = sent.ent(k).filter(|&o| ok(o)) {
                owner = Some(o);
                te = k + 1;
                if matches!(sent.word(te), Some("government" | "administration")) {
                    te += 1;
                }
            }
        }
        // "Russian President Vladimir Putin"
        if let Some(p) = person_at(doc, s, te) {
            let (t0, t1) = (tok(a), sent.items[te].t1);
            holds(doc, p, &title, owner, s, t0, t1, "role.title_name");
            ti = te + 1;
            continue;
        }
        // "his special envoy, Steve Witkoff" / "founder and largest shareholder, Piet van Dijk"
        let mut titles = vec![title.clone()];
        let mut k = te;
        if sent.word(k) == Some("and") {
            if let Some(t2) = title_at(doc, s, k + 1) {
                titles.push(t2);
                k += 2;
            }
        }
        if sent.punct(k, ",") {
            if let Some(p) = person_at(doc, s, k + 1) {
                let (t0, t1) = (tok(a), sent.items[k + 1].t1);
                for t in &titles {
                    holds(doc, p, t, owner, s, t0, t1, "role.apposition");
                }
                ti = k + 2;
                continue;
            }
        }
        // "Herrera, a former mayor of Valparaíso," / "Park Ji-hoon, the union's president"
        if a >= 2
            && a < ti + 1
            && sent.punct(a - 1, ",")
            && (matches!(sent.word(a), Some("a" | "the")) || possessive)
        {
            if let Some(p) = person_at(doc, s, a - 2) {
                let (t0, t1) = (tok(a - 2), sent.items[te - 1].t1);
                holds(doc, p, &title, owner, s, t0, t1, "role.name_apposition");
                ti = te;
                continue;
            }
        }
        // "Russia's top diplomat" with no name after it.
        if let Some(o) = owner.filter(|_| possessive && a + 2 == ti && te == ti + 1) {
            let name = format!("{}'s {}", doc.ents[o].name, title.title.to_lowercase());
            let (t0, t1) = (tok(a), sent.items[ti].t1);
            let p = match doc.find("Person", &name) {
                Some(p) => p,
                None => doc.add_ent("Person", &name, 1, "", true),
            };
            doc.source(p, s, t0, t1, "role.unnamed");
            doc.set_prop(
                p,
                "description",
                Value::from("not named in the text; identified only by office"),
            );
            holds(doc, p, &title, Some(o), s, t0, t1, "role.unnamed");
            doc.sents[s].replace(a, ti + 1, IK::Ent(p, Form::Description));
            ti = a + 1;
            continue;
        }
        // "Herrera takes office as president"
        if ti >= 3 && doc.sents[s].words_at(ti - 3, &["takes", "office", "as"])
            || ti >= 4 && doc.sents[s].words_at(ti - 4, &["was", "sworn", "in", "as"])
        {
            let v = (0..ti)
                .rev()
                .find(|&i| matches!(doc.sents[s].word(i), Some("takes" | "was")))
                .unwrap_or(ti);
            if let Some((actors, first)) = pattern::actors_before(doc, s, v) {
                let date = doc.sents[s].items.iter().find_map(|it| match it.kind {
                    IK::Date(d) => Some(d),
                    _ => None,
                });
                let (t0, t1) = (doc.sents[s].items[first].t0, doc.sents[s].items[ti].t1);
                let people: Vec<Eid> = actors
                    .into_iter()
                    .filter(|&p| doc.ents[p].label == "Person")
                    .collect();
                for p in people {
                    let mut t = title.clone();
                    t.status = Some("elected");
                    holds(doc, p, &t, None, s, t0, t1, "role.takes_office");
                    if let (Some(d), Some(r)) = (
                        date,
                        doc.rels
                            .iter()
                            .rposition(|r| r.from == p && r.rel_type == "HOLDS"),
                    ) {
                        doc.rels[r]
                            .props
                            .entry("date".into())
                            .or_insert(Value::Date(d));
                    }
                }
            }
        }
        ti += 1;
    }
}
