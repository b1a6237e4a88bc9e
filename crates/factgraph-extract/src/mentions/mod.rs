//! Pass 1: lexical mentions. Each sentence's tokens become items: countries,
//! cities and organizations from the lexicon, titles, dates, pronouns, and
//! capitalised names classified by their context (a person after a title, an
//! organization before "union" or after "according to", a city after "the
//! town of"...). Names are resolved against the entities found so far, so
//! "Trump" after "President Donald Trump" is the same person.

mod classify;
mod lookup;
mod names;

use factgraph_model::Value;

use crate::dates;
use crate::doc::{normalize, Doc, Eid, Form, Item, IK};
use crate::lexicon as lx;
use crate::tokens::Kind;

use classify::classify_name;
use lookup::{after_prefix, first_name, lookup, title_in_context, Entry};
use names::{is_name_token, name_end, span_text};

/// Finds or creates the country with lexicon index `i`.
pub fn country(doc: &mut Doc, i: usize) -> Eid {
    let class = i.to_string();
    if let Some(e) =
        (0..doc.ents.len()).find(|&e| doc.ents[e].label == "Country" && doc.ents[e].class == class)
    {
        return e;
    }
    doc.add_ent("Country", lx::countries()[i].0, 2, &class, false)
}

/// The lexicon index of a country entity.
pub fn country_index(doc: &Doc, e: Eid) -> Option<usize> {
    (doc.ents[e].label == "Country")
        .then(|| doc.ents[e].class.parse().ok())
        .flatten()
}

/// Finds or creates the city `name` (class: the country it is the capital of, if any).
pub fn city(doc: &mut Doc, name: &str, capital_of: Option<usize>) -> Eid {
    if let Some(e) = doc.find("City", name) {
        return e;
    }
    let class = capital_of.map(|i| i.to_string()).unwrap_or_default();
    doc.add_ent("City", name, 2, &class, false)
}

/// Finds or creates the organization `name`.
pub fn org(doc: &mut Doc, name: &str, kind: Option<&str>) -> Eid {
    if let Some(e) = doc.find("Organization", name) {
        return e;
    }
    let e = doc.add_ent("Organization", name, 2, "", false);
    if let Some(k) = kind {
        doc.set_prop(e, "kind", Value::from(k));
        // "Norland Steel" is also "Norland".
        if k == "company" {
            if let Some((short, _)) = name.rsplit_once(' ') {
                // Only if no other organization goes by it ("Hanseong Motors", "Hanseong Group").
                if doc.find("Organization", short).is_none() {
                    doc.note_alias(e, short);
                }
            }
        }
    }
    e
}

fn lexicon_org(doc: &mut Doc, i: usize) -> Eid {
    let (name, aliases, kind) = lx::ORGANIZATIONS[i];
    let e = org(doc, name, Some(kind));
    for a in aliases {
        if !a.starts_with("the ") {
            doc.note_alias(e, a);
        }
    }
    e
}

/// The person named `tokens` (a full name or a surname), found or created.
pub fn person(doc: &mut Doc, text: &str, ntoks: usize) -> Eid {
    if let Some(e) = find_person(doc, text) {
        if ntoks > 1 && doc.ents[e].rank < 2 {
            doc.rename(e, text, 2);
        }
        return e;
    }
    doc.add_ent("Person", text, if ntoks > 1 { 2 } else { 1 }, "", false)
}

/// The person a name refers to: same full name, same surname, or a spelling
/// variant of the surname ("Zelensky", "Zelenskyy").
pub fn find_person(doc: &Doc, text: &str) -> Option<Eid> {
    let n = normalize(text);
    let last = n.rsplit(' ').next().unwrap_or("").to_string();
    let first = n.split(' ').next().unwrap_or("").to_string();
    let people = doc.with_label("Person");
    let exact = people.iter().copied().find(|&e| {
        let ent = &doc.ents[e];
        normalize(&ent.name) == n || ent.aliases.iter().any(|a| normalize(a) == n)
    });
    if exact.is_some() {
        return exact;
    }
    let similar = |a: &str, b: &str| {
        a == b
            || (a.len() > 4
                && b.len() > 4
                && strsim::jaro_winkler(a, b) >= 0.94
                && a[..3] == b[..3])
    };
    let by_surname = people.iter().copied().find(|&e| {
        let name = normalize(&doc.ents[e].name);
        if doc.ents[e].rank == 0 {
            return false;
        }
        let their_last = name.rsplit(' ').next().unwrap_or("");
        let their_first = name.split(' ').next().unwrap_or("");
        let multi_mine = n.contains(' ');
        let multi_theirs = name.contains(' ');
        similar(&last, their_last) && (!multi_mine || !multi_theirs || similar(&first, their_first))
    });
    if by_surname.is_some() || n.contains(' ') {
        return by_surname;
    }
    // "Park" for "Park Ji-hoon": family names that come first, when only one person has it.
    let first_hits: Vec<Eid> = people
        .into_iter()
        .filter(|&e| {
            doc.ents[e].rank > 0
                && normalize(&doc.ents[e].name).split(' ').count() > 1
                && normalize(&doc.ents[e].name).split(' ').next() == Some(n.as_str())
        })
        .collect();
    (first_hits.len() == 1).then(|| first_hits[0])
}

/// Runs pass 1 on sentence `s`.
pub fn lexical_pass(doc: &mut Doc, s: usize) {
    let toks = doc.sents[s].toks.clone();
    let mut items: Vec<Item> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if let Some(d) = dates::date_at(doc, &toks, i) {
            items.push(Item {
                t0: i,
                t1: i + d.1,
                kind: IK::Date(d.0),
            });
            i += d.1;
            continue;
        }
        if let Some((len, entry)) = lookup(&toks, i)
            .filter(|(len, entry)| !first_name(&toks, i, *len, entry))
            .filter(|(_, entry)| !after_prefix(&toks, i, entry))
            .filter(|(len, entry)| title_in_context(&toks, i, *len, entry))
        {
            let kind = match entry {
                Entry::Country(c, form) => {
                    let e = country(doc, c);
                    if form == Form::Demonym {
                        doc.source(e, s, i, i + len, "mention.country");
                    } else {
                        doc.mention(e, s, i, i + len, "mention.country");
                    }
                    if form == Form::Demonym {
                        let dem = toks[i..i + len]
                            .iter()
                            .map(|t| t.text.as_str())
                            .collect::<Vec<_>>()
                            .join(" ");
                        add_demonym(doc, e, &dem);
                    }
                    IK::Ent(e, form)
                }
                Entry::City(name, capital_of) => {
                    let e = city(doc, name, capital_of);
                    doc.mention(e, s, i, i + len, "mention.city");
                    IK::Ent(e, Form::Name)
                }
                Entry::Org(o) => {
                    let longer = name_end(&toks, i + len - 1);
                    if longer > i + len
                        && lx::ORG_SUFFIXES
                            .iter()
                            .any(|(suf, _)| *suf == toks[longer - 1].text)
                    {
                        // "United Nations Environment Programme": a longer name.
                        let text = span_text(&toks, i, longer);
                        let kind = lx::ORG_SUFFIXES
                            .iter()
                            .find(|(suf, _)| *suf == toks[longer - 1].text)
                            .map(|(_, k)| *k);
                        let e = org(doc, &text, kind);
                        doc.mention(e, s, i, longer, "mention.organization");
                        items.push(Item {
                            t0: i,
                            t1: longer,
                            kind: IK::Ent(e, Form::Name),
                        });
                        i = longer;
                        continue;
                    }
                    let e = lexicon_org(doc, o);
                    doc.mention(e, s, i, i + len, "mention.organization");
                    IK::Ent(e, Form::Name)
                }
                Entry::Title(mut t) => {
                    let mut t0 = i;
                    if let Some(prev) = items.last() {
                        if prev.kind == IK::Tok {
                            if let Some((_, status)) = lx::TITLE_QUALIFIERS
                                .iter()
                                .find(|(q, _)| *q == toks[prev.t0].lower)
                            {
                                t.status = *status;
                                // A deputy holds another office than the title's holder.
                                if toks[prev.t0].lower == "deputy"
                                    && !t.title.to_lowercase().starts_with("deputy")
                                {
                                    t.title = format!("Deputy {}", t.title);
                                }
                                t0 = prev.t0;
                                items.pop();
                            }
                        }
                    }
                    items.push(Item {
                        t0,
                        t1: i + len,
                        kind: IK::Title(t),
                    });
                    i += len;
                    continue;
                }
                Entry::Honorific => IK::Tok,
            };
            items.push(Item {
                t0: i,
                t1: i + len,
                kind,
            });
            i += len;
            continue;
        }
        let t = &toks[i];
        if t.kind == Kind::Word && is_pronoun(&t.lower) && (t.lower != "i" || t.text == "I") {
            items.push(Item {
                t0: i,
                t1: i + 1,
                kind: IK::Pron(t.lower.clone()),
            });
            i += 1;
            continue;
        }
        // "Deputy Governor": a qualifier of the title that follows, not a name.
        let qualifies_title = lx::TITLE_QUALIFIERS.iter().any(|(q, _)| *q == t.lower)
            && i + 1 < toks.len()
            && matches!(lookup(&toks, i + 1), Some((_, Entry::Title(_))));
        if is_name_token(t) && !qualifies_title {
            let end = name_end(&toks, i);
            if let Some((t0, t1, kind)) = classify_name(doc, s, &toks, &mut items, i, end) {
                items.push(Item { t0, t1, kind });
                i = t1;
                continue;
            }
        }
        items.push(Item {
            t0: i,
            t1: i + 1,
            kind: IK::Tok,
        });
        i += 1;
    }
    doc.sents[s].items = items;
}

fn add_demonym(doc: &mut Doc, e: Eid, dem: &str) {
    let mut list = match doc.ents[e].props.get("demonyms") {
        Some(Value::List(l)) => l.clone(),
        _ => Vec::new(),
    };
    if !list.iter().any(|v| v.as_str() == Some(dem)) {
        list.push(Value::from(dem));
        doc.ents[e]
            .props
            .insert("demonyms".into(), Value::List(list));
    }
}

fn is_pronoun(w: &str) -> bool {
    matches!(
        w,
        "he" | "she"
            | "him"
            | "his"
            | "her"
            | "it"
            | "its"
            | "they"
            | "them"
            | "their"
            | "i"
            | "we"
            | "our"
            | "my"
    )
}
