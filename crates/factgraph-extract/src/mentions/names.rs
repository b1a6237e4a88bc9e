//! Capitalised name runs: which tokens can be part of a name, where a run
//! ends (particles, hyphens, possessives), an organization's "of ..." tail,
//! and the words around a run.

use crate::doc::Form;
use crate::lexicon as lx;
use crate::tokens::{Kind, Token};

use super::lookup::{lookup, Entry};

pub(super) fn is_name_token(t: &Token) -> bool {
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

pub(super) fn is_head_noun(lower: &str) -> bool {
    lx::GROUP_NOUNS.iter().any(|(n, _)| *n == lower)
        || lx::PROPOSAL_NOUNS.iter().any(|(n, _)| *n == lower)
        || lx::EVENT_NOUNS.iter().any(|(n, _)| *n == lower)
        || lower == "version"
        || lower == "point"
}

/// One past the last token of the capitalised name starting at `i`.
pub(super) fn name_end(toks: &[Token], i: usize) -> usize {
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

pub(super) fn span_text(toks: &[Token], i: usize, end: usize) -> String {
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
pub(super) fn initials(name: &str) -> String {
    name.split([' ', '-'])
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .filter_map(|w| w.chars().next())
        .collect()
}

pub(super) fn prev_words(toks: &[Token], i: usize, n: usize) -> Vec<&str> {
    toks[i.saturating_sub(n)..i]
        .iter()
        .map(|t| t.lower.as_str())
        .collect()
}

/// One past the end of an organization name that goes on after its suffix
/// word with "of" or "for" and capitalised words ("Ghana Association of
/// Bankers", "Federal Institute for Drugs and Medical Devices", "Bank of
/// Ghana"); `end` when it does not.
pub(super) fn org_tail(toks: &[Token], end: usize) -> usize {
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
pub(super) fn apposition_kind(toks: &[Token], j: usize) -> Option<&'static str> {
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
