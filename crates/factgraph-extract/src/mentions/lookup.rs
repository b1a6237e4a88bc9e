//! The lexicon as phrases by their first word: countries and their
//! demonyms, capitals and cities, organizations, titles and honorifics; the
//! longest phrase at a token, and where a match does not count.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::doc::{title_case, Form, TitleRef};
use crate::lexicon::{self as lx, Scope};
use crate::tokens::{Kind, Token};

/// What a lexicon phrase is.
#[derive(Clone, Debug)]
pub(super) enum Entry {
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
    crate::tokens::tokenize(&chars, 0, chars.len())
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
pub(super) fn lookup(toks: &[Token], i: usize) -> Option<(usize, Entry)> {
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

/// Whether a one-word place name starts a longer name here: "Sofia
/// Alvarez", "Jordan Smith", "Kyiv Post" (a place followed by an unknown
/// capitalised word); the longer name is then classified as a whole.
pub(super) fn first_name(toks: &[Token], i: usize, len: usize, entry: &Entry) -> bool {
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
pub(super) fn after_prefix(toks: &[Token], i: usize, entry: &Entry) -> bool {
    matches!(entry, Entry::Country(..))
        && i >= 2
        && toks[i - 1].text == "-"
        && !toks[i - 1].space_before
        && !toks[i].space_before
        && matches!(toks[i - 2].lower.as_str(), "pan" | "trans" | "inter")
}

/// Whether a title that is also a common word stands where a title can
/// (see [`lx::CONTEXT_TITLES`]).
pub(super) fn title_in_context(toks: &[Token], i: usize, len: usize, entry: &Entry) -> bool {
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
