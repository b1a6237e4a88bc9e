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
//! Zelenskyy"), else to no one: the role then has no `ROLE_OF`. The country
//! comes from the syntax of the phrase (a demonym or country modifier, a
//! possessive, "of", an apposition), never from which country the document
//! names most.

use factgraph_model::Value;

use super::doc::{capitalise, Doc, Eid, Form, TitleRef, IK};
use super::lexicon::Scope;
use super::pattern;

/// How an owner's name reads inside a role name: "the United States", "Russia", "Norland Steel".
fn of_name(doc: &Doc, owner: Eid) -> String {
    let ent = &doc.ents[owner];
    let name = ent.name.as_str();
    let article = match ent.label {
        "Country" => super::lexicon::COUNTRIES_WITH_ARTICLE.contains(&name),
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
/// same title they already hold; otherwise the office is no one's (the
/// text does not say whose it is).
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
    None
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
            let owner = pattern::resolve_pron(doc, s, p);
            // "Its chief executive": an institution owns an office, a plan does not.
            let owner = match owner {
                Some(o) if w == "its" && doc.ents[o].label == "Proposal" => {
                    let at = sent.toks[sent.items[p].t0].start;
                    doc.most_recent(&["Organization", "Country"], at)
                }
                other => other,
            };
            (owner, p)
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

/// Verbs after which a capital is its government: "Jakarta was ready", "Dushanbe blamed".
const GOVERNMENT_VERBS: &[&str] = &[
    "is",
    "was",
    "has",
    "had",
    "have",
    "said",
    "says",
    "will",
    "would",
    "wants",
    "wanted",
    "blamed",
    "accused",
    "denied",
    "rejected",
    "insists",
    "insisted",
    "demanded",
    "warned",
    "announced",
    "agreed",
    "refused",
    "hopes",
];

/// Verbs whose object, when a capital, is its government: "accused Warsaw of".
const GOVERNMENT_OBJECT_VERBS: &[&str] = &[
    "accused",
    "blamed",
    "urged",
    "warned",
    "criticised",
    "criticized",
    "pressed",
    "asked",
    "told",
];

/// `metonym.capital`: a capital used as an actor stands for its country's
/// government, which the text states as CAPITAL_OF.
pub fn metonyms(doc: &mut Doc, s: usize) {
    for i in 0..doc.sents[s].items.len() {
        let Some(city) = doc.sents[s].ent(i).filter(|&e| doc.ents[e].label == "City") else {
            continue;
        };
        let Some(country) = pattern::capital_country(doc, city) else {
            continue;
        };
        let sent = &doc.sents[s];
        let subject = sent
            .word(i + 1)
            .is_some_and(|w| GOVERNMENT_VERBS.contains(&w))
            && !(i > 0 && matches!(sent.word(i - 1), Some("in" | "to" | "from" | "near" | "at")));
        let object = i > 0
            && sent
                .word(i - 1)
                .is_some_and(|w| GOVERNMENT_OBJECT_VERBS.contains(&w));
        if subject || object {
            let (t0, t1) = if subject {
                (sent.items[i].t0, sent.items[i + 1].t1)
            } else {
                (sent.items[i - 1].t0, sent.items[i].t1)
            };
            doc.relate(
                city,
                "CAPITAL_OF",
                country,
                vec![],
                s,
                t0,
                t1,
                "metonym.capital",
            );
        }
    }
}

/// `person.nationality`: "a jailed Polish journalist, Andrzej Nowak" — a
/// demonym before an occupation (not an office) makes the person a national.
pub fn nationality(doc: &mut Doc, s: usize) {
    let n = doc.sents[s].items.len();
    for i in 0..n {
        let Some(IK::Ent(c, Form::Demonym)) = doc.sents[s].items.get(i).map(|it| it.kind.clone())
        else {
            continue;
        };
        let sent = &doc.sents[s];
        let mut k = i + 1;
        let mut words = Vec::new();
        while k < n
            && k < i + 4
            && sent
                .word(k)
                .is_some_and(|w| w.chars().all(char::is_alphabetic))
        {
            words.push(sent.word(k).unwrap_or("").to_string());
            k += 1;
        }
        let occupation = (0..words.len())
            .any(|j| super::lexicon::OCCUPATIONS.contains(&words[j..].join(" ").as_str()));
        if !occupation {
            continue;
        }
        let p_at = if sent.punct(k, ",") { k + 1 } else { k };
        if let Some(p) = person_at(doc, s, p_at) {
            let (t0, t1) = (sent.items[i].t0, sent.items[p_at].t1);
            doc.relate(p, "CITIZEN_OF", c, vec![], s, t0, t1, "person.nationality");
        }
    }
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
            // "coach of the Argentine national team": the team's, not the country's.
            let demonym_of_thing =
                matches!(
                    sent.items.get(k).map(|x| &x.kind),
                    Some(IK::Ent(_, Form::Demonym))
                ) && !matches!(sent.word(k + 1), Some("government" | "administration"));
            if let Some(o) = sent.ent(k).filter(|&o| ok(o) && !demonym_of_thing) {
                owner = Some(o);
                te = k + 1;
                if matches!(sent.word(te), Some("government" | "administration")) {
                    te += 1;
                }
            }
        }
        // "The chair of the talks, Ecuadorian diplomat Marco Salinas": a post at an event.
        if owner.is_none() && sent.word(ti + 1) == Some("of") {
            let k = if sent.word(ti + 2) == Some("the") {
                ti + 3
            } else {
                ti + 2
            };
            if let Some(ev) = sent.ent(k).filter(|&e| doc.ents[e].label == "Event") {
                let mut j = k + 1;
                if sent.punct(j, ",") {
                    j += 1;
                    while j < sent.items.len()
                        && (matches!(sent.items[j].kind, IK::Title(_))
                            || sent.ent(j).is_some_and(|e| {
                                doc.ents[e].label == "Country"
                                    && matches!(
                                        sent.items.get(j + 1).map(|x| &x.kind),
                                        Some(IK::Title(_))
                                    )
                            }))
                    {
                        j += 1;
                    }
                    if let Some(p) = person_at(doc, s, j) {
                        let role_name = capitalise(&format!(
                            "{} of {}",
                            title.title.to_lowercase(),
                            sent.text(sent.items[ti + 2].t0, sent.items[k].t1)
                        ));
                        let (t0, t1) = (tok(a), sent.items[j].t1);
                        let r = doc.find("Role", &role_name).unwrap_or_else(|| {
                            doc.add_ent("Role", &role_name, 1, &title.title.to_lowercase(), true)
                        });
                        doc.set_prop(r, "title", Value::from(title.title.as_str()));
                        doc.source(r, s, t0, doc.sents[s].items[k].t1, "role.of_event");
                        doc.relate(p, "HOLDS", r, vec![], s, t0, t1, "role.of_event");
                        doc.relate(
                            p,
                            "PARTICIPATES_IN",
                            ev,
                            vec![("role", Value::from(title.title.to_lowercase()))],
                            s,
                            t0,
                            t1,
                            "role.of_event",
                        );
                        ti = k + 1;
                        continue;
                    }
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
            let holder = person_at(doc, s, k + 1).or_else(|| {
                // An organization can hold an owner title only.
                let all_owner = titles.iter().all(|t| t.owner);
                let j = if sent.word(k + 1) == Some("the") {
                    k + 2
                } else {
                    k + 1
                };
                sent.ent(j)
                    .filter(|&o| all_owner && doc.ents[o].label == "Organization")
                    .map(|o| (o, j))
                    .map(|(o, _)| o)
            });
            // "A spokesman, Thomas Keller": whose spokesman, the text does not say.
            let unowned = owner.is_none() && matches!(sent.word(a), Some("a" | "an"));
            if let Some(p) = holder.filter(|_| !unowned) {
                let k = if person_at(doc, s, k + 1).is_none() && sent.word(k + 1) == Some("the") {
                    k + 1
                } else {
                    k
                };
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
        if let Some(o) = owner.filter(|_| possessive && a + 2 == ti && te == ti + 1 && !title.owner)
        {
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
        // "Valdés was re-elected president of the federation", "X was named chief executive".
        let verb = ti
            .checked_sub(1)
            .and_then(|v| doc.sents[s].word(v))
            .filter(|w| matches!(*w, "elected" | "appointed" | "named" | "chosen"));
        if let Some(verb) = verb {
            let v = ti - 1;
            let re =
                v >= 2 && doc.sents[s].punct(v - 1, "-") && doc.sents[s].word(v - 2) == Some("re");
            let aux_at = if re { v - 2 } else { v };
            let passive =
                aux_at >= 1 && matches!(doc.sents[s].word(aux_at - 1), Some("was" | "is" | "been"));
            let owner_at = if doc.sents[s].word(ti + 2) == Some("the") {
                ti + 3
            } else {
                ti + 2
            };
            let owner = (doc.sents[s].word(ti + 1) == Some("of"))
                .then(|| doc.sents[s].ent(owner_at))
                .flatten()
                .filter(|&o| matches!(doc.ents[o].label, "Country" | "Organization"));
            if passive {
                let aux = aux_at - 1;
                if let Some((actors, first)) = pattern::actors_before(doc, s, aux) {
                    let last = if owner.is_some() { owner_at } else { ti };
                    let (t0, t1) = (doc.sents[s].items[first].t0, doc.sents[s].items[last].t1);
                    let status = match (re, verb) {
                        (true, _) => "re-elected",
                        (false, "elected") => "elected",
                        _ => "appointed",
                    };
                    let people: Vec<Eid> = actors
                        .into_iter()
                        .filter(|&p| doc.ents[p].label == "Person")
                        .collect();
                    // "... re-elected president after a vote": the winner of that vote.
                    let election = (verb == "elected")
                        .then(|| {
                            doc.sents[s].items.iter().find_map(|it| match it.kind {
                                IK::Ent(e, _) if doc.ents[e].class == "election" => Some(e),
                                _ => None,
                            })
                        })
                        .flatten();
                    for p in people {
                        if let Some(ev) = election {
                            let props = vec![("role", Value::from("winner"))];
                            doc.relate(p, "PARTICIPATES_IN", ev, props, s, t0, t1, "role.elected");
                        }
                        let mut t = title.clone();
                        t.status = Some(status);
                        holds(doc, p, &t, owner, s, t0, t1, "role.elected");
                    }
                }
            }
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
