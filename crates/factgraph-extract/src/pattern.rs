//! Helpers the rules share: lists of actors before and after a verb,
//! pronouns, a sentence's subject, the speaker of a quote, clause ends.

use super::doc::{Doc, Eid, Form, IK};
use super::lexicon as lx;

/// Words that may stand between a subject and its verb.
const VERB_PREFIX: &[&str] = &[
    // "refused to back", "threatened to veto": the subject of the verb after "to".
    "to",
    "refused",
    "refuses",
    "refusing",
    "declined",
    "declines",
    "failed",
    "fails",
    "threatened",
    "threatens",
    "vowed",
    "pledged",
    "promised",
    "wants",
    "wanted",
    "nonetheless",
    "nevertheless",
    "instead",
    "again",
    "now",
    "has",
    "have",
    "had",
    "will",
    "would",
    "could",
    "should",
    "can",
    "may",
    "might",
    "must",
    "also",
    "still",
    "long",
    "repeatedly",
    "recently",
    "tentatively",
    "initially",
    "already",
    "reportedly",
    "later",
    "never",
    "then",
    "not",
    "is",
    "was",
    "were",
    "are",
    "be",
    "been",
    "being",
    "did",
    "does",
    "do",
    "now",
    "previously",
    "earlier",
    "both",
    "formally",
    "officially",
    "publicly",
    "strongly",
    "openly",
];

/// Words that open an introductory clause, which holds no subject of the main verb.
const OPENERS: &[&str] = &[
    "while",
    "although",
    "though",
    "as",
    "according",
    "meanwhile",
    "however",
    "speaking",
    "after",
    "before",
    "when",
    "since",
    "if",
    "because",
    "despite",
    "in",
    "on",
    "earlier",
    "later",
];

/// The entities an actor item stands for (resolving pronouns, "both sides"...).
pub fn actors_of(doc: &Doc, s: usize, i: usize) -> Vec<Eid> {
    let Some(it) = doc.sents[s].items.get(i) else {
        return Vec::new();
    };
    match &it.kind {
        IK::Ent(e, _) if doc.is_actor(*e) => vec![*e],
        IK::Ent(e, _) if doc.ents[*e].label == "City" => {
            capital_country(doc, *e).into_iter().collect()
        }
        IK::Ents(es) => es.clone(),
        IK::Pron(_) => resolve_pron(doc, s, i).into_iter().collect(),
        IK::Sides(noun) => sides(doc, noun),
        IK::Holders(title) => holders(doc, title),
        _ => Vec::new(),
    }
}

/// The country a capital city stands for.
pub fn capital_country(doc: &Doc, city: Eid) -> Option<Eid> {
    let i: usize = doc.ents[city].class.parse().ok()?;
    (0..doc.ents.len())
        .find(|&e| doc.ents[e].label == "Country" && doc.ents[e].class == i.to_string())
}

/// The parties "both sides" or "the two countries" stand for.
pub fn sides(doc: &Doc, noun: &str) -> Vec<Eid> {
    if noun == "companies" {
        let mut orgs: Vec<Eid> = doc
            .with_label("Organization")
            .into_iter()
            .filter(|&e| doc.ents[e].str_prop("kind") == Some("company"))
            .collect();
        orgs.sort_by_key(|&e| std::cmp::Reverse(doc.ents[e].sources.len()));
        orgs.truncate(2);
        return if orgs.len() == 2 { orgs } else { Vec::new() };
    }
    doc.sides.clone()
}

/// The people who hold a role with `title` ("the two presidents").
pub fn holders(doc: &Doc, title: &str) -> Vec<Eid> {
    let roles: Vec<Eid> = doc
        .with_label("Role")
        .into_iter()
        .filter(|&r| {
            doc.ents[r]
                .str_prop("title")
                .is_some_and(|t| t.eq_ignore_ascii_case(title))
        })
        .collect();
    let mut people: Vec<Eid> = doc
        .rels
        .iter()
        .filter(|r| {
            r.rel_type == "HOLDS" && roles.contains(&r.to) && !r.props.contains_key("status")
        })
        .map(|r| r.from)
        .collect();
    people.dedup();
    if people.len() == 2 {
        people
    } else {
        Vec::new()
    }
}

/// The subject of a verb at `v`: the actors before it, or across "and" /
/// "but" the first actors of the main clause ("X and Y spoke ... and agreed").
pub fn clause_subject(doc: &Doc, s: usize, v: usize) -> Option<(Vec<Eid>, usize)> {
    if let Some(found) = actors_before(doc, s, v) {
        return Some(found);
    }
    let sent = &doc.sents[s];
    let mut k = v;
    while k > 0
        && sent
            .word(k - 1)
            .is_some_and(|w| VERB_PREFIX.contains(&w) || (w.ends_with("ly") && w.len() > 4))
    {
        k -= 1;
    }
    if k > 0 && matches!(sent.word(k - 1), Some("and" | "but")) {
        let start = main_clause_start(doc, s);
        return (start..k).find_map(|i| actors_at(doc, s, i).map(|(a, _)| (a, i)));
    }
    None
}

/// Whether item `i` can start or be part of an actor list.
fn is_actor_item(doc: &Doc, s: usize, i: usize) -> bool {
    !actors_of(doc, s, i).is_empty()
}

/// An actor list starting at item `i`: "X", "both X and Y", "X, Y, and Z",
/// "Vice President Vance, Secretary of State Marco Rubio". Returns the
/// actors and the item after the list.
pub fn actors_at(doc: &Doc, s: usize, mut i: usize) -> Option<(Vec<Eid>, usize)> {
    let sent = &doc.sents[s];
    if matches!(sent.word(i), Some("both" | "some" | "many" | "the")) {
        i += 1;
    }
    let mut out = Vec::new();
    let mut end = i;
    let mut k = i;
    loop {
        // Titles and their qualifiers before a name.
        let mut j = k;
        while j < sent.items.len()
            && (matches!(sent.items[j].kind, IK::Title(_))
                || (j + 1 < sent.items.len()
                    && matches!(sent.items[j + 1].kind, IK::Title(_))
                    && sent
                        .ent(j)
                        .is_some_and(|e| matches!(doc.ents[e].label, "Country" | "Organization"))))
        {
            j += 1;
        }
        if j < sent.items.len() && is_actor_item(doc, s, j) {
            for e in actors_of(doc, s, j) {
                if !out.contains(&e) {
                    out.push(e);
                }
            }
            end = j + 1;
            k = j + 1;
            // Separators: ",", "and", ", and".
            let mut n = k;
            if sent.punct(n, ",") {
                n += 1;
            }
            if sent.word(n) == Some("and") {
                n += 1;
            }
            if n > k
                && n < sent.items.len()
                && (is_actor_item(doc, s, n) || matches!(sent.items[n].kind, IK::Title(_)))
            {
                k = n;
                continue;
            }
        }
        break;
    }
    (!out.is_empty()).then_some((out, end))
}

/// An actor list ending just before item `v` (a verb), skipping adverbs,
/// auxiliaries, ", however," and relative or appositive clauses between
/// commas. Returns the actors and the first item of the list.
pub fn actors_before(doc: &Doc, s: usize, v: usize) -> Option<(Vec<Eid>, usize)> {
    let sent = &doc.sents[s];
    // "X, which hosted the talks": the relative clause's subject is X.
    if v >= 2 && matches!(sent.word(v - 1), Some("who" | "which")) && sent.punct(v - 2, ",") {
        return actors_before(doc, s, v - 1);
    }
    let mut k = v;
    loop {
        if k == 0 {
            return None;
        }
        let j = k - 1;
        if sent
            .word(j)
            .is_some_and(|w| VERB_PREFIX.contains(&w) || (w.ends_with("ly") && w.len() > 4))
        {
            k = j;
            continue;
        }
        // "his country supported the cut": the country of the office the
        // person "his" stands for holds ("Kuwait's oil minister").
        if sent.word(j) == Some("country") && j > 0 {
            if let IK::Pron(w) = &sent.items[j - 1].kind {
                if matches!(w.as_str(), "his" | "her") {
                    let country = resolve_pron(doc, s, j - 1).and_then(|p| office_country(doc, p));
                    if let Some(c) = country {
                        return Some((vec![c], j - 1));
                    }
                }
            }
        }
        // "Russia on Thursday vetoed": a date between the subject and its verb.
        if matches!(sent.items[j].kind, IK::Date(_)) {
            k = j;
            if k > 0 && matches!(sent.word(k - 1), Some("on" | "in" | "at" | "last" | "this")) {
                k -= 1;
            }
            continue;
        }
        if sent.punct(j, ",") || sent.punct(j, "—") {
            // ", who led the delegation," / ", the largest EU farm lobby,": skip the clause.
            let mark = sent.toks[sent.items[j].t0].text.clone();
            if let Some(c) = (0..j).rev().find(|&c| sent.punct(c, &mark)) {
                // "The company's largest shareholder, the Hanseong Group, backed":
                // the name after a title is the subject.
                let name_at = if sent.word(c + 1) == Some("the") {
                    c + 2
                } else {
                    c + 1
                };
                if name_at + 1 == j
                    && c > 0
                    && matches!(sent.items[c - 1].kind, IK::Title(_))
                    && is_actor_item(doc, s, name_at)
                {
                    return Some((actors_of(doc, s, name_at), name_at));
                }
                if c + 1 < j && (clause_opener(doc, s, c + 1) || appositive(doc, s, c + 1, j)) {
                    k = c;
                    continue;
                }
            }
            // "Piet van Dijk, backed": a name set off by commas is the subject.
            if j > 0
                && matches!(sent.items[j - 1].kind, IK::Ent(..))
                && is_actor_item(doc, s, j - 1)
            {
                k = j;
                break;
            }
            return None;
        }
        break;
    }
    // Walk back over the list, one unit at a time: an actor with the titles
    // before it; units are joined by "and", "both", and by commas when "and"
    // closes the list ("X, Y, and Z").
    let is_title = |i: usize| matches!(sent.items[i].kind, IK::Title(_));
    let is_qualifier = |i: usize| {
        i + 1 < sent.items.len()
            && is_title(i + 1)
            && sent
                .ent(i)
                .is_some_and(|e| matches!(doc.ents[e].label, "Country" | "Organization"))
    };
    let unit_start = |mut p: usize| {
        while p > 0 && (is_title(p - 1) || is_qualifier(p - 1)) {
            p -= 1;
        }
        p
    };
    if k == 0 || !is_actor_item(doc, s, k - 1) {
        return None;
    }
    let mut start = unit_start(k - 1);
    let mut saw_and = false;
    loop {
        if start == 0 {
            break;
        }
        let p = start - 1;
        if sent.word(p) == Some("both") {
            start = p;
            break;
        }
        let (joiner, is_comma) = if sent.word(p) == Some("and") {
            (true, false)
        } else if sent.punct(p, ",") {
            (true, true)
        } else {
            (false, false)
        };
        let q = if is_comma && p > 0 && sent.word(p - 1) == Some("and") {
            p - 1
        } else {
            p
        };
        if !joiner || q == 0 || !is_actor_item(doc, s, q - 1) {
            break;
        }
        // A bare comma joins only a list that "and" closes: "X, Y, and Z".
        if is_comma && q == p && !saw_and {
            break;
        }
        saw_and |= !is_comma || q != p;
        start = unit_start(q - 1);
    }
    // "negotiators from the EU and Indonesia agreed": the group is the subject.
    if start >= 2 && matches!(sent.word(start - 1), Some("from" | "at" | "of"))
        || (start >= 3
            && sent.word(start - 1) == Some("the")
            && matches!(sent.word(start - 2), Some("from" | "at" | "of")))
    {
        let prep = if sent.word(start - 1) == Some("the") {
            start - 2
        } else {
            start - 1
        };
        if let Some(g) = prep
            .checked_sub(1)
            .and_then(|i| sent.ent(i))
            .filter(|&g| doc.ents[g].label == "Group")
        {
            return Some((vec![g], prep - 1));
        }
    }
    let (actors, end) = actors_at(doc, s, start)?;
    (end >= k).then_some((actors, start))
}

/// Whether items `a..b` read as a description set off by commas ("South
/// Korea's third-largest carmaker"): no verb, ending in a common noun.
fn appositive(doc: &Doc, s: usize, a: usize, b: usize) -> bool {
    let sent = &doc.sents[s];
    let verbish = |w: &str| {
        matches!(
            w,
            "is" | "are"
                | "was"
                | "were"
                | "has"
                | "have"
                | "had"
                | "said"
                | "says"
                | "will"
                | "would"
        ) || is_speech_verb(w)
    };
    let ends_in_noun = sent
        .word(b - 1)
        .is_some_and(|w| w.chars().all(char::is_alphabetic) && !w.ends_with("ed") && !verbish(w));
    // ", Russia's ambassador to the United Nations,": a title phrase that ends in a name.
    // (Not ", Ecuadorian diplomat Marco Salinas,": that is the name itself.)
    let title_of_a_name = sent
        .ent(b - 1)
        .is_some_and(|e| doc.ents[e].label != "Person")
        && (a..b).any(|i| matches!(sent.items[i].kind, IK::Title(_)));
    (ends_in_noun || title_of_a_name)
        && b - a <= 8
        && (a..b).all(|i| !sent.word(i).is_some_and(verbish))
}

/// The country whose office person `p` holds, when the text gave one.
fn office_country(doc: &Doc, p: Eid) -> Option<Eid> {
    doc.targets(p, "HOLDS")
        .into_iter()
        .flat_map(|r| doc.targets(r, "ROLE_OF"))
        .find(|&c| doc.ents[c].label == "Country")
}

fn clause_opener(doc: &Doc, s: usize, i: usize) -> bool {
    let sent = &doc.sents[s];
    match &sent.items[i].kind {
        IK::Tok => sent.word(i).is_some_and(|w| {
            matches!(
                w,
                "who"
                    | "which"
                    | "whose"
                    | "however"
                    | "the"
                    | "a"
                    | "an"
                    | "including"
                    | "meanwhile"
            ) || w.ends_with("ing")
        }),
        _ => false,
    }
}

/// The item where the sentence's main clause starts: after an introductory
/// clause ("While ..., ", "According to ..., ", "Meanwhile, ").
pub fn main_clause_start(doc: &Doc, s: usize) -> usize {
    let sent = &doc.sents[s];
    let mut i = 0;
    while sent.punct(i, "“") || sent.punct(i, "\"") {
        i += 1;
    }
    if sent
        .word(i)
        .is_some_and(|w| OPENERS.contains(&w) || (w.ends_with("ing") && w.len() > 4))
    {
        if let Some(c) = (i..sent.items.len()).find(|&c| sent.punct(c, ",")) {
            return c + 1;
        }
    }
    i
}

/// The first actor of the main clause.
pub fn subject_of(doc: &Doc, s: usize) -> Option<Eid> {
    let sent = &doc.sents[s];
    let start = main_clause_start(doc, s);
    for i in start..sent.items.len() {
        if let IK::Pron(p) = &sent.items[i].kind {
            if matches!(p.as_str(), "he" | "she") {
                return resolve_pron(doc, s, i);
            }
        }
        // "Russian President Vladimir Putin", "Norland chief executive Helen
        // Marsh": a country or organization before a title only qualifies it.
        // "India's drug regulator, the CDSCO, said": a possessor is not the subject either.
        let possessor = sent.items.get(i + 1).is_some_and(|it| {
            it.kind == IK::Tok && sent.toks[it.t0].kind == super::tokens::Kind::Possessive
        });
        let qualifies = matches!(sent.items.get(i + 1).map(|it| &it.kind), Some(IK::Title(_)))
            || matches!(sent.items[i].kind, IK::Ent(_, super::doc::Form::Demonym))
            || possessor;
        if qualifies {
            continue;
        }
        let actors = actors_of(doc, s, i);
        if let Some(&e) = actors.first() {
            return Some(e);
        }
    }
    None
}

/// The person who speaks the sentence's quote: "..., Trump wrote." or, for a
/// quote with no attribution, the speaker of the quote before.
pub fn speaker(doc: &Doc, s: usize) -> Option<Eid> {
    for k in (0..=s).rev().take(2) {
        if let Some((e, _)) = attribution(doc, k) {
            return Some(e);
        }
        let sent = &doc.sents[k];
        if !(sent.punct(0, "“") || sent.punct(0, "\"")) {
            break;
        }
    }
    None
}

/// A trailing attribution: "..., she said." / "..., the Commission said." /
/// "..., Trump wrote." Returns the speaker and the item of the verb.
pub fn attribution(doc: &Doc, s: usize) -> Option<(Eid, usize)> {
    let sent = &doc.sents[s];
    let n = sent.items.len();
    let v = (0..n)
        .rev()
        .find(|&i| sent.word(i).is_some_and(is_speech_verb))?;
    // "..., said Park." / "..., said Park Ji-hoon, the union's president."
    if v > 0 && (sent.punct(v - 1, ",") || sent.punct(v - 1, "”")) {
        if let Some((who, end)) = actors_at(doc, s, v + 1) {
            if end >= n || sent.is_break(end) {
                return who.first().map(|&e| (e, v));
            }
        }
    }
    // The speaker right before the verb, after a comma or closing quote; the
    // verb ends the sentence, unless a quote ends right before the speaker
    // ("“...,” Park said at a rally").
    let after_quote = (0..v)
        .rev()
        .find(|&i| sent.is_break(i) || sent.punct(i, "”"))
        .is_some_and(|i| {
            sent.punct(i, "”") || (i > 0 && sent.punct(i, ",") && sent.punct(i - 1, "”"))
        });
    // "..., the agency said on Wednesday." / "..., she said in a statement."
    let trailer = |k: usize| {
        (sent.word(k) == Some("on")
            && matches!(sent.items.get(k + 1).map(|x| &x.kind), Some(IK::Date(_))))
            || sent.words_at(k, &["in", "a", "statement"])
    };
    if !(after_quote
        || v + 1 >= n
        || sent.is_break(v + 1)
        || matches!(sent.items[v + 1].kind, IK::Date(_))
        || trailer(v + 1))
    {
        return None;
    }
    let a = (0..v)
        .rev()
        .find(|&i| sent.punct(i, ",") || sent.punct(i, "”") || sent.punct(i, "\""))?;
    let speaker_items = a + 1..v;
    for i in speaker_items {
        if let IK::Pron(p) = &sent.items[i].kind {
            if matches!(p.as_str(), "he" | "she") {
                // A pronoun after the quote refers to the previous sentence's subject.
                return s
                    .checked_sub(1)
                    .and_then(|p| subject_of(doc, p))
                    .map(|e| (e, v));
            }
            if matches!(p.as_str(), "his" | "her") {
                return None;
            }
        }
        if let Some(&e) = actors_of(doc, s, i).first() {
            return Some((e, v));
        }
    }
    None
}

pub fn is_speech_verb(w: &str) -> bool {
    lx::SPEECH_VERBS.iter().any(|(v, _)| *v == w)
}

thread_local! {
    /// How deep pronoun resolution has recursed (a speaker's "I" in "..., I said" would loop).
    static DEPTH: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Resolves the pronoun at item `i`.
pub fn resolve_pron(doc: &Doc, s: usize, i: usize) -> Option<Eid> {
    let depth = DEPTH.with(|d| d.get());
    if depth > 6 {
        return None;
    }
    DEPTH.with(|d| d.set(depth + 1));
    let found = resolve_pron_inner(doc, s, i);
    DEPTH.with(|d| d.set(depth));
    found
}

fn resolve_pron_inner(doc: &Doc, s: usize, i: usize) -> Option<Eid> {
    let sent = &doc.sents[s];
    let IK::Pron(p) = &sent.items.get(i)?.kind else {
        return None;
    };
    let at = sent.toks[sent.items[i].t0].start;
    match p.as_str() {
        "he" | "she" | "him" => {
            if let Some(prev) = (0..i).rev().find_map(|j| match &sent.items[j].kind {
                IK::Ent(e, _) if doc.ents[*e].label == "Person" => Some(*e),
                _ => None,
            }) {
                if !(i >= 1 && (sent.punct(i - 1, ",") || sent.punct(i - 1, "”"))) {
                    return Some(prev);
                }
            }
            if s > 0 {
                if let Some(e) = subject_of(doc, s - 1).filter(|&e| doc.ents[e].label == "Person") {
                    return Some(e);
                }
            }
            doc.most_recent(&["Person"], at)
        }
        "his" | "her" => {
            // The sentence's subject, when it comes first and is a person.
            let start = main_clause_start(doc, s);
            for j in start..i {
                if let IK::Pron(q) = &sent.items[j].kind {
                    if matches!(q.as_str(), "he" | "she") {
                        return resolve_pron(doc, s, j);
                    }
                }
                if let IK::Ent(e, _) = sent.items[j].kind {
                    if doc.ents[e].label == "Person" {
                        return Some(e);
                    }
                }
            }
            if s > 0 {
                if let Some(e) = subject_of(doc, s - 1).filter(|&e| doc.ents[e].label == "Person") {
                    return Some(e);
                }
            }
            doc.most_recent(&["Person"], at)
        }
        "i" | "my" | "we" | "our" => speaker(doc, s),
        "it" | "its" => {
            // "X said it supports": the speaker's country or organization.
            if i >= 2 && sent.word(i - 1).is_some_and(is_speech_verb) {
                if let Some((actors, _)) = clause_subject(doc, s, i - 1) {
                    if let Some(&e) = actors
                        .iter()
                        .find(|&&e| matches!(doc.ents[e].label, "Country" | "Organization"))
                    {
                        return Some(e);
                    }
                }
            }
            let institution = |e: Eid| matches!(doc.ents[e].label, "Country" | "Organization");
            // A sentence that opens with "It" or "Its" continues the one
            // before: its subject, when that is an institution or a proposal.
            // "It was drafted by ..." is a plan's passive: left to the fallback.
            let passive = p.as_str() == "it" && matches!(sent.word(i + 1), Some("was" | "is"));
            let opens = (i == 0 || (i == 1 && sent.is_break(0))) && !passive;
            if opens && s > 0 {
                if let Some(e) = subject_of(doc, s - 1)
                    .filter(|&e| institution(e) || doc.ents[e].label == "Proposal")
                {
                    return Some(e);
                }
            }
            // "The ministry had called for lower rates in its budget": the
            // institution that is the subject of the clause.
            if p.as_str() == "its" {
                let start = main_clause_start(doc, s);
                let subject = (start..i).find_map(|j| match sent.items[j].kind {
                    IK::Ent(e, Form::Name | Form::Description) if doc.is_actor(e) => Some(e),
                    _ => None,
                });
                if let Some(e) = subject.filter(|&e| institution(e)) {
                    return Some(e);
                }
            }
            doc.most_recent(&["Proposal"], at)
        }
        _ => None,
    }
}

/// The item where the clause starting at `from` ends: the end of the
/// sentence, or a comma before a subordinating word.
pub fn clause_end(doc: &Doc, s: usize, from: usize) -> usize {
    let sent = &doc.sents[s];
    let n = sent.items.len();
    for i in from..n {
        if sent.punct(i, ";") {
            return i;
        }
        if sent.punct(i, ",")
            && sent.word(i + 1).is_some_and(|w| {
                matches!(
                    w,
                    "as" | "while"
                        | "but"
                        | "although"
                        | "because"
                        | "though"
                        | "whereas"
                        | "even"
                        | "leaving"
                        | "indicating"
                        | "signaling"
                        | "citing"
                        | "arguing"
                        | "with"
                )
            })
        {
            return i;
        }
        if sent.punct(i, "”") && i + 1 < n && sent.punct(i + 1, ",") {
            return i;
        }
    }
    n
}

/// The first item after `i` that is not an adverb, "that", a date or "told reporters".
pub fn skip_filler(doc: &Doc, s: usize, mut i: usize) -> usize {
    let sent = &doc.sents[s];
    while i < sent.items.len() {
        match &sent.items[i].kind {
            IK::Date(_) => i += 1,
            IK::Tok => {
                let w = sent.word(i).unwrap_or("");
                if matches!(
                    w,
                    "that"
                        | "on"
                        | "in"
                        | "reporters"
                        | "also"
                        | "again"
                        | "repeatedly"
                        | "late"
                        | ","
                ) || (w.ends_with("ly") && w.len() > 4)
                {
                    i += 1;
                } else if sent.punct(i, ",") && sent.word(i + 1) == Some("however") {
                    i += 3;
                } else {
                    break;
                }
            }
            _ => break,
        }
    }
    i
}
