//! Pass 1: lexical mentions. Each sentence's tokens become items: countries,
//! cities and organizations from the lexicon, titles, dates, pronouns, and
//! capitalised names classified by their context (a person after a title, an
//! organization before "union" or after "according to", a city after "the
//! town of"...). Names are resolved against the entities found so far, so
//! "Trump" after "President Donald Trump" is the same person.

use std::collections::HashMap;
use std::sync::OnceLock;

use factgraph_model::Value;

use super::dates;
use super::doc::{normalize, title_case, Doc, Eid, Form, Item, TitleRef, IK};
use super::lexicon::{self as lx, Scope};
use super::tokens::{Kind, Token};

/// What a lexicon phrase is.
#[derive(Clone, Debug)]
enum Entry {
    Country(usize, Form),
    City(&'static str, Option<usize>),
    Org(usize),
    Title(TitleRef),
    Honorific,
}

/// A phrase: its tokens in lower case, whether it needs a capital, whether
/// it must be written in capitals only ("US", not the pronoun "us"), and what it is.
type Row = (Vec<String>, bool, bool, Entry);

struct Lexicon {
    by_first: HashMap<String, Vec<Row>>,
}

fn all_caps(s: &str) -> bool {
    let first = s.split([' ', '-']).next().unwrap_or("");
    first.chars().count() > 1 && first.chars().all(|c| !c.is_lowercase())
}

fn words(phrase: &str) -> Vec<String> {
    let chars: Vec<char> = phrase.chars().collect();
    super::tokens::tokenize(&chars, 0, chars.len())
        .into_iter()
        .map(|t| t.lower)
        .collect()
}

fn lexicon() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(|| {
        let mut rows: Vec<(Vec<String>, bool, Entry)> = Vec::new();
        let mut upper: Vec<bool> = Vec::new();
        let mut push =
            |rows: &mut Vec<(Vec<String>, bool, Entry)>, phrase: &str, cap: bool, e: Entry| {
                upper.push(all_caps(phrase));
                rows.push((words(phrase), cap, e));
            };
        for (i, (name, aliases, demonyms, capitals)) in lx::countries().iter().enumerate() {
            push(&mut rows, name, true, Entry::Country(i, Form::Name));
            for a in *aliases {
                push(&mut rows, a, true, Entry::Country(i, Form::Name));
            }
            for d in *demonyms {
                if !aliases.contains(d) {
                    push(&mut rows, d, true, Entry::Country(i, Form::Demonym));
                }
            }
            for spelling in *capitals {
                if spelling != name && !aliases.contains(spelling) {
                    push(&mut rows, spelling, true, Entry::City(capitals[0], Some(i)));
                }
            }
        }
        for (name, _) in lx::cities() {
            push(&mut rows, name, true, Entry::City(name, None));
        }
        for (i, (name, aliases, _)) in lx::ORGANIZATIONS.iter().enumerate() {
            push(&mut rows, name, true, Entry::Org(i));
            for a in *aliases {
                push(&mut rows, a, !a.starts_with("the "), Entry::Org(i));
            }
        }
        for (title, template, scope) in lx::TITLES {
            let t = TitleRef {
                title: title.trim_end_matches('.').to_string(),
                template,
                scope: *scope,
                status: None,
                owner: false,
            };
            push(&mut rows, title, false, Entry::Title(t));
        }
        for area in lx::MINISTRY_AREAS {
            for (noun, scope) in [
                ("minister", Scope::Government),
                ("secretary", Scope::Government),
                ("commissioner", Scope::Any),
            ] {
                let t = TitleRef {
                    title: title_case(&format!("{area} {noun}")),
                    template: "{title} of {of}",
                    scope,
                    status: None,
                    owner: false,
                };
                push(
                    &mut rows,
                    &format!("{area} {noun}"),
                    false,
                    Entry::Title(t.clone()),
                );
                push(
                    &mut rows,
                    &format!("{noun} of {area}"),
                    false,
                    Entry::Title(t),
                );
            }
        }
        for owner in lx::OWNER_TITLES {
            let t = TitleRef {
                title: title_case(owner),
                template: "{title} of {of}",
                scope: Scope::Organization,
                status: None,
                owner: true,
            };
            push(&mut rows, owner, false, Entry::Title(t));
        }
        for h in lx::HONORIFICS {
            push(&mut rows, h, true, Entry::Honorific);
        }
        let mut by_first: HashMap<String, Vec<Row>> = HashMap::new();
        for ((ws, cap, entry), up) in rows.into_iter().zip(upper) {
            by_first
                .entry(ws[0].clone())
                .or_default()
                .push((ws, cap, up, entry));
        }
        for v in by_first.values_mut() {
            v.sort_by_key(|r| std::cmp::Reverse(r.0.len()));
        }
        Lexicon { by_first }
    })
}

/// The longest lexicon phrase at token `i`: its length and entry.
fn lookup(toks: &[Token], i: usize) -> Option<(usize, Entry)> {
    let rows = lexicon().by_first.get(&toks[i].lower)?;
    rows.iter()
        .find(|(ws, needs_capital, upper, _)| {
            i + ws.len() <= toks.len()
                && ws.iter().zip(&toks[i..]).all(|(w, t)| *w == t.lower)
                && (!needs_capital || toks[i].is_capitalised())
                && (!upper || all_caps(&toks[i].text))
        })
        .map(|(ws, _, _, entry)| (ws.len(), entry.clone()))
}

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

fn is_name_token(t: &Token) -> bool {
    if lx::NOT_NAMES.contains(&t.lower.as_str()) {
        return false;
    }
    match t.kind {
        // Short all-capital words are acronyms ("IG Metall"); longer ones are shouting ("FINAL").
        Kind::Word => {
            t.is_capitalised()
                && !(t.text.chars().count() > 4 && t.text.chars().all(|c| !c.is_lowercase()))
        }
        Kind::Dotted => t.text.chars().count() == 2 && t.is_capitalised(),
        _ => false,
    }
}

fn is_head_noun(lower: &str) -> bool {
    lx::GROUP_NOUNS.iter().any(|(n, _)| *n == lower)
        || lx::PROPOSAL_NOUNS.iter().any(|(n, _)| *n == lower)
        || lx::EVENT_NOUNS.iter().any(|(n, _)| *n == lower)
        || lower == "version"
        || lower == "point"
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

/// Whether a one-word place name starts a longer name here: "Sofia
/// Alvarez", "Jordan Smith", "Kyiv Post" (a place followed by an unknown
/// capitalised word); the longer name is then classified as a whole.
fn first_name(toks: &[Token], i: usize, len: usize, entry: &Entry) -> bool {
    let place = matches!(entry, Entry::City(..) | Entry::Country(_, Form::Name));
    place
        && len == 1
        && toks.get(i + len).is_some_and(|n| {
            n.kind == Kind::Word
                && n.is_capitalised()
                && n.space_before
                && lookup(toks, i + len).is_none()
                && !lx::NOT_NAMES.contains(&n.lower.as_str())
                && !lx::MONTHS.contains(&n.lower.as_str())
                && !lx::WEEKDAYS.contains(&n.lower.as_str())
        })
}

/// Whether a country word is the second half of a compound adjective that
/// names no country: "Pan-American", "Anglo-Irish" is two countries but
/// "Pan-African" is a continent.
fn after_prefix(toks: &[Token], i: usize, entry: &Entry) -> bool {
    matches!(entry, Entry::Country(..))
        && i >= 2
        && toks[i - 1].text == "-"
        && !toks[i - 1].space_before
        && !toks[i].space_before
        && matches!(toks[i - 2].lower.as_str(), "pan" | "trans" | "inter")
}

/// Whether a title that is also a common word stands where a title can
/// (see [`lx::CONTEXT_TITLES`]).
fn title_in_context(toks: &[Token], i: usize, len: usize, entry: &Entry) -> bool {
    let Entry::Title(_) = entry else {
        return true;
    };
    if len != 1 || !lx::CONTEXT_TITLES.contains(&toks[i].lower.as_str()) {
        return true;
    }
    let possessed = i > 0
        && (matches!(toks[i - 1].lower.as_str(), "its" | "his" | "her" | "their")
            || toks[i - 1].kind == Kind::Possessive);
    possessed && toks.get(i + 1).is_some_and(|t| t.text == ",")
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

/// One past the last token of the capitalised name starting at `i`.
fn name_end(toks: &[Token], i: usize) -> usize {
    let glued = |k: usize| toks.get(k).is_some_and(|n| !n.space_before);
    let word = |k: usize| toks.get(k).is_some_and(|n| n.kind == Kind::Word);
    let mut j = i + 1;
    loop {
        if j >= toks.len() {
            break;
        }
        if let Some((len, entry)) = lookup(toks, j) {
            // "Marcos Lima", "Michael Jordan": a one-word place as a surname,
            // right after a given name and ending the run.
            let surname = len == 1
                && matches!(entry, Entry::City(..) | Entry::Country(_, Form::Name))
                && toks[j].space_before
                && j == i + 1
                && !toks.get(j + 1).is_some_and(is_name_token)
                && lookup(toks, i).is_none();
            if surname {
                j += 1;
            }
            break;
        }
        let t = &toks[j];
        if is_name_token(t) && t.space_before {
            j += 1;
        } else if t.text == "-" && !t.space_before && glued(j + 1) && word(j + 1) {
            // "Copa-Cogeca", "Park Ji-hoon"
            j += 2;
        } else if let Some(after) = particles_then_name(toks, j) {
            // "Piet van Dijk", "Ursula von der Leyen", "Luis de Guindos"
            j = after;
        } else if lx::NAME_PARTICLES.contains(&t.lower.as_str())
            && toks.get(j + 1).is_some_and(|n| n.text == "-")
            && glued(j + 1)
            && glued(j + 2)
            && toks.get(j + 2).is_some_and(is_name_token)
        {
            // "Faisal al-Otaibi"
            j += 3;
        } else if t.kind == Kind::Possessive
            && t.text.chars().count() == 1
            && toks
                .get(j + 1)
                .is_some_and(|n| is_name_token(n) && n.space_before)
        {
            // "Korean Autoworkers' Union"
            j += 2;
        } else {
            break;
        }
    }
    j
}

/// One past the name word that follows one or more name particles from
/// `j` ("van", "von der", "de la"), if one does.
fn particles_then_name(toks: &[Token], j: usize) -> Option<usize> {
    let mut k = j;
    while toks
        .get(k)
        .is_some_and(|t| t.kind == Kind::Word && lx::NAME_PARTICLES.contains(&t.lower.as_str()))
    {
        k += 1;
    }
    (k > j
        && toks
            .get(k)
            .is_some_and(|n| is_name_token(n) && lookup(toks, k).is_none()))
    .then_some(k + 1)
}

fn span_text(toks: &[Token], i: usize, end: usize) -> String {
    toks[i..end]
        .iter()
        .enumerate()
        .map(|(k, t)| {
            if k > 0 && t.space_before {
                format!(" {}", t.text)
            } else {
                t.text.clone()
            }
        })
        .collect()
}

/// The initials of a name's capitalised words: "United Nations Environment Programme" -> "UNEP".
fn initials(name: &str) -> String {
    name.split([' ', '-'])
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .filter_map(|w| w.chars().next())
        .collect()
}

fn prev_words(toks: &[Token], i: usize, n: usize) -> Vec<&str> {
    toks[i.saturating_sub(n)..i]
        .iter()
        .map(|t| t.lower.as_str())
        .collect()
}

/// Decides what the capitalised run `i..end` names; `None` leaves it as plain tokens.
fn classify_name(
    doc: &mut Doc,
    s: usize,
    toks: &[Token],
    items: &mut Vec<Item>,
    i: usize,
    end: usize,
) -> Option<(usize, usize, IK)> {
    let text = toks[i..end]
        .iter()
        .enumerate()
        .map(|(k, t)| {
            if k > 0 && t.space_before {
                format!(" {}", t.text)
            } else {
                t.text.clone()
            }
        })
        .collect::<String>();
    let n = end - i;
    let lower_first = toks[i].lower.as_str();
    let next = toks.get(end);
    let next_lower = next.map(|t| t.lower.as_str()).unwrap_or("");
    let sentence_start = i == 0 || (i == 1 && matches!(toks[0].text.as_str(), "“" | "\"" | "‘"));
    if n == 1 && lx::NOT_NAMES.contains(&lower_first) {
        return None;
    }
    if lx::regions().iter().any(|r| r.eq_ignore_ascii_case(&text)) {
        return None;
    }
    // A run ending in a plan or event noun is a proper noun phrase, for pass 2.
    if is_head_noun(&toks[end - 1].lower) {
        return None;
    }
    if lx::MONTHS.contains(&lower_first) || lx::WEEKDAYS.contains(&lower_first) {
        return None;
    }
    // Known entities first.
    if let Some(e) = doc
        .find("Organization", &text)
        .or_else(|| doc.find("City", &text))
    {
        let rule = if doc.ents[e].label == "City" {
            "mention.city"
        } else {
            "mention.organization"
        };
        doc.mention(e, s, i, end, rule);
        return Some((i, end, IK::Ent(e, Form::Name)));
    }
    let prev = prev_words(toks, i, 3);
    let after_title = matches!(
        items.last(),
        Some(Item {
            kind: IK::Title(_),
            ..
        })
    ) || (i > 0
        && lx::HONORIFICS
            .iter()
            .any(|h| h.eq_ignore_ascii_case(&toks[i - 1].text)));
    if !after_title {
        if let Some(e) = find_person(doc, &text) {
            doc.mention(e, s, i, end, "mention.person");
            return Some((i, end, IK::Ent(e, Form::Name)));
        }
    }
    // An unknown acronym ("UNEP", "OSCE") is an organization; it may abbreviate one already named.
    let token = &toks[i];
    if n == 1
        && token.text.chars().count() >= 2
        && token.text.chars().all(|c| c.is_ascii_uppercase())
    {
        let known = doc
            .with_label("Organization")
            .into_iter()
            .find(|&o| initials(&doc.ents[o].name) == token.text);
        let e = match known {
            Some(o) => {
                doc.note_alias(o, &token.text);
                o
            }
            None => org(doc, &text, None),
        };
        doc.mention(e, s, i, end, "mention.organization");
        return Some((i, end, IK::Ent(e, Form::Name)));
    }
    // Organizations by suffix ("Electoral Service"), with a demonym before it.
    let last = toks[end - 1].text.as_str();
    if let Some((_, kind)) = lx::ORG_SUFFIXES.iter().find(|(suf, _)| *suf == last) {
        let mut t0 = i;
        // "Court of Arbitration for Sport", "Bank of Ghana": the name goes on.
        let end = org_tail(toks, end);
        let text = span_text(toks, i, end);
        let mut name = text.clone();
        if let Some(Item {
            kind: IK::Ent(c, Form::Demonym),
            t0: dt0,
            ..
        }) = items.last().cloned()
        {
            if doc.ents[c].label == "Country" {
                name = format!("{} {name}", toks[dt0].text);
                t0 = dt0;
                items.pop();
            }
        }
        let e = org(doc, &name, Some(kind));
        doc.mention(e, s, t0, end, "mention.organization");
        return Some((t0, end, IK::Ent(e, Form::Name)));
    }
    // "the IG Metall union", "Copa-Cogeca, the largest EU farm lobby,".
    let kind_after = lx::ORG_KIND_NOUNS
        .iter()
        .find(|(k, _)| *k == next_lower)
        .map(|(_, kind)| *kind);
    if let (Some(kind), true) = (kind_after, prev.last() == Some(&"the")) {
        let e = org(doc, &text, Some(kind));
        doc.mention(e, s, i, end, "mention.organization");
        return Some((i, end + 1, IK::Ent(e, Form::Name)));
    }
    if next_lower == "," {
        if let Some(kind) = apposition_kind(toks, end + 1) {
            let e = org(doc, &text, Some(kind));
            doc.mention(e, s, i, end, "mention.organization");
            return Some((i, end, IK::Ent(e, Form::Name)));
        }
    }
    if prev.ends_with(&["according", "to"])
        || prev.ends_with(&["reports", "from"])
        || prev.ends_with(&["report", "by"])
    {
        let e = org(doc, &text, Some("news outlet"));
        doc.mention(e, s, i, end, "mention.organization");
        return Some((i, end, IK::Ent(e, Form::Name)));
    }
    // Places: "the town of Batken", "mayor of Valparaíso".
    let after_local_title = prev.last() == Some(&"of")
        && matches!(items.iter().rev().nth(1), Some(Item { kind: IK::Title(t), .. }) if t.scope == Scope::Local);
    if after_local_title
        || prev.ends_with(&["town", "of"])
        || prev.ends_with(&["city", "of"])
        || prev.ends_with(&["village", "of"])
    {
        let e = city(doc, &text, None);
        doc.mention(e, s, i, end, "mention.city");
        return Some((i, end, IK::Ent(e, Form::Name)));
    }
    // "European companies": an adjective of nationality or region, not a name.
    let adjective = ["ean", "ian", "ese", "ish"]
        .iter()
        .any(|suf| lower_first.ends_with(suf));
    if n == 1
        && adjective
        && next.is_some_and(|t| {
            t.kind == Kind::Word
                && !t.is_capitalised()
                && !t.lower.ends_with("ed")
                && !super::pattern::is_speech_verb(&t.lower)
        })
    {
        return None;
    }
    // "plants in Ulsan and Gwangju", "a rally near Batken": an unknown name
    // after a preposition of place is a city.
    let after_city_and = prev.last() == Some(&"and")
        && matches!(items.iter().rev().nth(1), Some(Item { kind: IK::Ent(c, _), .. }) if doc.ents[*c].label == "City");
    if !after_title
        && n <= 2
        && (matches!(
            prev.last(),
            Some(&("in" | "near" | "outside" | "into" | "across"))
        ) || after_city_and)
    {
        let e = city(doc, &text, None);
        doc.mention(e, s, i, end, "mention.city");
        return Some((i, end, IK::Ent(e, Form::Name)));
    }
    if !after_title {
        // A lone capitalised word that starts a sentence before a lower-case word
        // is an ordinary word ("Pension reform", "Turnout was").
        if n == 1
            && sentence_start
            && next.is_some_and(|t| t.kind == Kind::Word && !t.is_capitalised())
        {
            return None;
        }
        // "European lawmakers": a capitalised adjective before a collective or plan noun.
        if n == 1 && next.is_some_and(|t| is_head_noun(&t.lower)) {
            return None;
        }
        // "the Vorukh enclave": a capitalised modifier of a common noun.
        if n == 1
            && prev.last() == Some(&"the")
            && next.is_some_and(|t| t.kind == Kind::Word && !t.is_capitalised())
        {
            return None;
        }
    }
    if lx::NOT_PERSON_HEADS.contains(&toks[end - 1].lower.as_str()) {
        return None;
    }
    if !after_title && !person_evidence(doc, s, toks, items, i, end) {
        return None;
    }
    let e = person(doc, &text, n);
    doc.mention(e, s, i, end, "mention.person");
    Some((i, end, IK::Ent(e, Form::Name)))
}

/// Whether the capitalised run `i..end` of sentence `s`, which no lexicon
/// knows, has the evidence a person's name needs besides a title before it:
/// a given name first ("Ingrid Falk"), a name particle inside ("Ursula von
/// der Leyen", "Faisal al-Otaibi"), a title in an apposition after or before
/// it ("Rustem Umerov, Ukraine's defense minister,"; "its chief, Ana
/// Ruiz"), or its last word standing alone elsewhere in the text, as later
/// surname mentions do. A single word needs an apposition, a meeting
/// ("met with Rubio") or a person of that surname the store already knows.
fn person_evidence(
    doc: &Doc,
    s: usize,
    toks: &[Token],
    items: &[Item],
    i: usize,
    end: usize,
) -> bool {
    let n = end - i;
    let apposition_after = toks.get(end).is_some_and(|t| t.text == ",")
        && toks[end + 1..]
            .iter()
            .take(8)
            .take_while(|t| !matches!(t.text.as_str(), "," | "." | ";" | "—"))
            .enumerate()
            .any(|(k, _)| matches!(lookup(toks, end + 1 + k), Some((_, Entry::Title(_)))));
    let apposition_before = i > 0
        && toks[i - 1].text == ","
        && items
            .iter()
            .rev()
            .skip(1)
            .take(3)
            .any(|it| matches!(it.kind, IK::Title(_)));
    if apposition_after || apposition_before {
        return true;
    }
    if n < 2 {
        // "met with Rubio": the other side of a meeting or call is someone.
        let met = [
            "met with",
            "spoke with",
            "spoke to",
            "talks with",
            "meeting with",
            "phoned",
        ]
        .iter()
        .any(|cue| {
            let cue: Vec<&str> = cue.split(' ').collect();
            prev_words(toks, i, cue.len()) == cue
        });
        return met || doc.known_surnames.contains(&normalize(&toks[i].text));
    }
    let words: Vec<&Token> = toks[i..end]
        .iter()
        .filter(|t| t.kind == Kind::Word)
        .collect();
    if words.first().is_some_and(|t| lx::is_given_name(&t.text)) {
        return true;
    }
    if toks[i + 1..end]
        .iter()
        .any(|t| t.kind == Kind::Word && lx::NAME_PARTICLES.contains(&t.text.as_str()))
    {
        return true;
    }
    let surname = &toks[end - 1];
    doc.sents.iter().enumerate().any(|(k, sent)| {
        sent.toks.iter().enumerate().any(|(j, t)| {
            let here = k == s && (i..end).contains(&j);
            let inside_a_longer_name =
                j > 0 && is_name_token(&sent.toks[j - 1]) && sent.toks[j - 1].space_before;
            !here
                && j > 0
                && t.text == surname.text
                && !inside_a_longer_name
                && !sent
                    .toks
                    .get(j + 1)
                    .is_some_and(|n| is_name_token(n) && n.space_before)
        })
    })
}

/// One past the end of an organization name that goes on after its suffix
/// word with "of" or "for" and capitalised words ("Ghana Association of
/// Bankers", "Federal Institute for Drugs and Medical Devices", "Bank of
/// Ghana"); `end` when it does not.
fn org_tail(toks: &[Token], end: usize) -> usize {
    let mut j = end;
    loop {
        let joiner = toks.get(j).map(|t| t.lower.as_str());
        if !matches!(joiner, Some("of" | "for")) {
            return j;
        }
        let Some(run) = capitalised_run(toks, j + 1) else {
            return j;
        };
        j = run;
        // "for Drugs and Medical Devices": a coordinated part of the same name.
        if toks.get(j).is_some_and(|t| t.lower == "and") {
            if let Some(more) = capitalised_run(toks, j + 1) {
                if toks.get(more).is_none_or(|t| t.lower != "and") {
                    j = more;
                }
            }
        }
    }
}

/// One past a run of capitalised words starting at `k` (names, or a
/// country or city from the lexicon), if there is one.
fn capitalised_run(toks: &[Token], k: usize) -> Option<usize> {
    let t = toks.get(k)?;
    let place = |k: usize| {
        matches!(
            lookup(toks, k),
            Some((_, Entry::Country(_, Form::Name) | Entry::City(..)))
        )
    };
    if place(k) {
        let (len, _) = lookup(toks, k)?;
        return Some(k + len);
    }
    if !is_name_token(t) || t.kind != Kind::Word || lookup(toks, k).is_some() {
        return None;
    }
    Some(name_end(toks, k))
}

/// Whether tokens from `j` read "the|a ... <organization noun>," and what kind it gives.
fn apposition_kind(toks: &[Token], j: usize) -> Option<&'static str> {
    if !toks
        .get(j)
        .is_some_and(|t| matches!(t.lower.as_str(), "the" | "a" | "an"))
    {
        return None;
    }
    let mut k = j + 1;
    while k < toks.len() && k < j + 7 {
        let t = &toks[k];
        if matches!(t.text.as_str(), "," | "." | "—") {
            let head = &toks[k - 1].lower;
            return lx::ORG_KIND_NOUNS
                .iter()
                .find(|(n, _)| n == head)
                .map(|(_, kind)| *kind);
        }
        k += 1;
    }
    None
}
