//! What a capitalised run no lexicon knows names (a person, organization,
//! city, group...), and the evidence a person's name needs.

use crate::doc::{normalize, Doc, Form, Item, IK};
use crate::lexicon::{self as lx, Scope};
use crate::tokens::{Kind, Token};

use super::lookup::{lookup, Entry};
use super::names::{
    apposition_kind, initials, is_head_noun, is_name_token, org_tail, prev_words, span_text,
};
use super::{city, find_person, org, person};

/// Decides what the capitalised run `i..end` names; `None` leaves it as plain tokens.
pub(super) fn classify_name(
    doc: &mut Doc,
    s: usize,
    toks: &[Token],
    items: &mut Vec<Item>,
    i: usize,
    end: usize,
) -> Option<(usize, usize, IK)> {
    let text = span_text(toks, i, end);
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
    // "Bundesbank", "Commerzbank", "Rabobank": a bank by its compound name.
    if n == 1 && lower_first.len() > 5 && lower_first.ends_with("bank") {
        let e = org(doc, &text, Some("bank"));
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
    // "the IG Metall union", "the hard-left France Unbowed party".
    let hyphenated = prev_words(toks, i, 4);
    let after_the = prev.last() == Some(&"the")
        || (hyphenated.len() == 4 && hyphenated[0] == "the" && hyphenated[2] == "-");
    if let (Some(kind), true) = (kind_after, after_the) {
        let e = org(doc, &text, Some(kind));
        doc.mention(e, s, i, end, "mention.organization");
        return Some((i, end + 1, IK::Ent(e, Form::Name)));
    }
    // "the Alternative for Germany", "the Party of Regions": after "the", one
    // capitalised word and "for"/"of" with a name is the name of a body.
    if prev.last() == Some(&"the") && n == 1 && !after_title {
        let whole = org_tail(toks, end);
        if whole > end {
            let name = span_text(toks, i, whole);
            let e = org(doc, &name, None);
            doc.mention(e, s, i, whole, "mention.organization");
            return Some((i, whole, IK::Ent(e, Form::Name)));
        }
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
                && !crate::pattern::is_speech_verb(&t.lower)
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
pub(super) fn person_evidence(
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
