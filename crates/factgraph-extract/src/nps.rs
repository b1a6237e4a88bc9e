//! Pass 2: noun phrases headed by a collective ("senior administration
//! officials"), a proposal ("a U.S.-backed peace proposal"), an event ("the
//! war in Ukraine") or a demand ("Moscow's more ambitious demands"). A
//! phrase extends left over its modifiers to a determiner; country and
//! organization modifiers qualify it ("Russian representatives" act for
//! Russia). Definite phrases ("the deal", "this War") refer back to the most
//! salient entity of the same class; indefinite ones introduce a new one
//! unless they are generic ("a lasting peace deal", "any deal").

use super::doc::{normalize, Doc, Eid, Form, IK};
use super::lexicon as lx;
use super::phrases;
use super::tokens::Kind;

const DETERMINERS: &[&str] = &[
    "the", "a", "an", "this", "these", "those", "any", "some", "many", "most", "several", "both",
    "all", "other", "its", "his", "her", "their", "our", "my", "each", "every", "no", "two",
    "three", "four", "five",
];

const BREAKS: &[&str] = &[
    "of",
    "in",
    "on",
    "at",
    "to",
    "from",
    "by",
    "with",
    "for",
    "about",
    "over",
    "into",
    "between",
    "against",
    "after",
    "before",
    "during",
    "under",
    "through",
    "as",
    "than",
    "like",
    "and",
    "or",
    "but",
    "while",
    "although",
    "because",
    "since",
    "when",
    "if",
    "so",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "has",
    "have",
    "had",
    "do",
    "does",
    "did",
    "will",
    "would",
    "can",
    "could",
    "should",
    "shall",
    "may",
    "might",
    "must",
    "that",
    "which",
    "who",
    "whom",
    "whose",
    "where",
    "not",
    "also",
    "only",
    "even",
    "still",
    "already",
    "said",
    "says",
    "say",
    "told",
    "including",
    "such",
    "then",
    "there",
    "here",
    "very",
];

/// Nouns that make a proposal phrase generic whatever its determiner.
const GENERIC_ONLY: &[&str] = &["framework"];

/// Nouns that only refer back to an existing entity, never introduce one.
pub(super) const RESOLVE_ONLY: &[&str] = &["text", "results", "result"];

/// What a phrase's left side holds.
#[derive(Default, Debug)]
pub(super) struct Left {
    /// First item of the phrase.
    pub(super) a: usize,
    pub(super) det: Option<String>,
    /// Country and organization modifiers, with their items.
    pub(super) quals: Vec<(Eid, usize)>,
    /// "Herrera's", "Moscow's": the possessor entity and whether it is a capital used for its country.
    pub(super) possessor: Option<Eid>,
    /// "U.S.-backed": the backer and the items of the compound.
    pub(super) backer: Option<(Eid, usize, usize)>,
    /// Whether a modifier is capitalised (a proper name such as "28-Point Peace Plan").
    pub(super) proper_from: Option<usize>,
    /// "28-Point": the number of points.
    pub(super) points: Option<i64>,
    pub(super) generic_adj: bool,
}

/// The event nouns of more than one word, split into words once.
fn multiword_event_nouns() -> &'static [(Vec<&'static str>, &'static str)] {
    static NOUNS: std::sync::OnceLock<Vec<(Vec<&'static str>, &'static str)>> =
        std::sync::OnceLock::new();
    NOUNS.get_or_init(|| {
        lx::EVENT_NOUNS
            .iter()
            .map(|(phrase, kind)| (phrase.split(' ').collect::<Vec<_>>(), *kind))
            .filter(|(parts, _)| parts.len() > 1)
            .collect()
    })
}

pub(super) fn head_at(doc: &Doc, s: usize, i: usize) -> Option<(usize, &'static str, String)> {
    let sent = &doc.sents[s];
    let w = sent.word(i)?;
    for (parts, kind) in multiword_event_nouns() {
        if parts[0] == w && sent.words_at(i, parts) {
            return Some((parts.len(), "Event", kind.to_string()));
        }
    }
    if let Some((_, rep)) = lx::GROUP_NOUNS.iter().find(|(n, _)| *n == w) {
        return Some((
            1,
            "Group",
            if *rep {
                format!("rep:{w}")
            } else {
                w.to_string()
            },
        ));
    }
    // "a resolution to the war": a way out, not a text put to a vote; "the
    // rule of law", "a court of law": law in general, not a bill.
    let solution = (w == "resolution" && matches!(sent.word(i + 1), Some("to" | "of")))
        || (w == "law" && i > 0 && sent.word(i - 1) == Some("of"));
    if let Some((_, class)) = lx::PROPOSAL_NOUNS
        .iter()
        .find(|(n, _)| *n == w)
        .filter(|_| !solution)
    {
        return Some((1, "Proposal", class.to_string()));
    }
    if GENERIC_ONLY.contains(&w) {
        return Some((1, "Proposal", "generic".into()));
    }
    if w == "version" && sent.word(i + 1) == Some("of") {
        return Some((1, "Proposal", "version".into()));
    }
    if let Some((_, kind)) = lx::EVENT_NOUNS.iter().find(|(n, _)| *n == w) {
        return Some((1, "Event", kind.to_string()));
    }
    // "another round of negotiations", "the next round"
    if w == "round" {
        if sent.word(i + 1) == Some("of")
            && matches!(sent.word(i + 2), Some("talks" | "negotiations"))
        {
            return Some((3, "Event", "round".into()));
        }
        if i > 0
            && matches!(
                sent.word(i - 1),
                Some(
                    "next" | "another" | "new" | "second" | "third" | "fourth" | "final" | "latest"
                )
            )
        {
            return Some((1, "Event", "round".into()));
        }
    }
    if w == "results" || w == "result" {
        return Some((1, "Event", "election".into()));
    }
    if lx::ISSUE_NOUNS.contains(&w) {
        return Some((1, "Issue", w.to_string()));
    }
    None
}

pub(super) fn extend_left(doc: &Doc, s: usize, head: usize) -> Left {
    let sent = &doc.sents[s];
    let mut left = Left {
        a: head,
        ..Left::default()
    };
    let mut k = head;
    let mut words: Vec<usize> = Vec::new();
    while k > 0 {
        let j = k - 1;
        let it = &sent.items[j];
        match &it.kind {
            IK::Tok => {
                let tok = &sent.toks[it.t0];
                let lower = tok.lower.as_str();
                if tok.kind == Kind::Possessive {
                    match j.checked_sub(1).map(|p| &sent.items[p].kind) {
                        Some(IK::Ent(e, _)) => {
                            left.possessor = Some(*e);
                            left.a = j - 1;
                            left.det = Some("'s".into());
                            break;
                        }
                        Some(IK::Tok)
                            if sent
                                .word(j - 1)
                                .is_some_and(|w| w.chars().all(char::is_alphabetic)) =>
                        {
                            words.push(j - 1);
                            left.a = j - 1;
                            k = j - 1;
                            continue;
                        }
                        _ => break,
                    }
                }
                if tok.text == "-" && !tok.space_before && j >= 1 {
                    let after = sent.word(j + 1).unwrap_or("");
                    if let (Some(e), true) = (
                        sent.ent(j - 1),
                        matches!(
                            after,
                            "backed" | "led" | "drafted" | "brokered" | "sponsored"
                        ),
                    ) {
                        left.backer = Some((e, j - 1, j + 2));
                    } else if let Some(n) = sent
                        .items
                        .get(j - 1)
                        .filter(|p| p.kind == IK::Tok)
                        .map(|p| &sent.toks[p.t0])
                    {
                        if n.kind == Kind::Number && after == "point" {
                            left.points = n.text.parse().ok();
                        }
                        if n.kind == Kind::Number || n.is_capitalised() {
                            left.proper_from = Some(j - 1);
                        }
                    }
                    left.a = j - 1;
                    k = j - 1;
                    continue;
                }
                if DETERMINERS.contains(&lower) {
                    left.det = Some(lower.to_string());
                    left.a = j;
                    break;
                }
                if lower == "of"
                    && j >= 2
                    && matches!(sent.word(j - 1), Some("set" | "series" | "package"))
                    && sent.word(j - 2) == Some("a")
                {
                    left.det = Some("a".into());
                    left.a = j - 2;
                    break;
                }
                let wordlike = tok.kind == Kind::Word
                    && tok.text.chars().all(|c| c.is_alphabetic() || c == '-');
                if wordlike
                    && !BREAKS.contains(&lower)
                    && !lower.ends_with("ly")
                    && lower != "percent"
                {
                    if lx::GENERIC_PROPOSAL_ADJECTIVES.contains(&lower) {
                        left.generic_adj = true;
                    }
                    if tok.is_capitalised() {
                        left.proper_from = Some(j);
                    }
                    words.push(j);
                    left.a = j;
                    k = j;
                    continue;
                }
                break;
            }
            IK::Ent(e, form)
                if matches!(doc.ents[*e].label, "Country" | "Organization")
                    && *form != Form::Pronoun =>
            {
                left.quals.push((*e, j));
                left.a = j;
                k = j;
                if j >= 2 && sent.word(j - 1) == Some("and") {
                    if let Some(e2) = sent
                        .ent(j - 2)
                        .filter(|&e2| doc.ents[e2].label == "Country")
                    {
                        left.quals.push((e2, j - 2));
                        left.a = j - 2;
                        k = j - 2;
                    }
                }
                continue;
            }
            IK::Pron(p) if matches!(p.as_str(), "his" | "her" | "its" | "their" | "our" | "my") => {
                left.det = Some(p.clone());
                left.a = j;
                break;
            }
            _ => break,
        }
    }
    // Without a determiner, a verb form ends the phrase: "engaged in", "has tentatively agreed".
    if left.det.is_none() {
        if let Some(&cut) = words.iter().find(|&&j| {
            let t = &sent.toks[sent.items[j].t0];
            t.space_before
                && (t.lower.ends_with("ed") || t.lower.ends_with("ing"))
                && !t.is_capitalised()
        }) {
            left.a = cut + 1;
            left.quals.retain(|(_, j)| *j > cut);
            if left.proper_from.is_some_and(|p| p <= cut) {
                left.proper_from = None;
            }
        }
    }
    // A capitalised first word of the sentence is not a proper name.
    if left.proper_from == Some(0)
        && sent.items.len() > 1
        && !sent.toks[sent.items[1].t0].is_capitalised()
    {
        left.proper_from = None;
    }
    left
}

/// Runs pass 2 on sentence `s`.
pub fn np_pass(doc: &mut Doc, s: usize) {
    let mut i = 0;
    while i < doc.sents[s].items.len() {
        if let Some(kind) = sides_at(doc, s, i) {
            let (a, b) = kind.1;
            doc.sents[s].replace(a, b, kind.0);
            i = a + 1;
            continue;
        }
        if let Some(org) = org_description(doc, s, i) {
            let a = if doc.sents[s].word(i - 1) == Some("the") {
                i - 1
            } else {
                i - 2
            };
            let (t0, t1) = (doc.sents[s].items[a].t0, doc.sents[s].items[i].t1);
            doc.source(org, s, t0, t1, "mention.organization");
            doc.sents[s].replace(a, i + 1, IK::Ent(org, Form::Description));
            i = a + 1;
            continue;
        }
        let Some((hlen, label, class)) = head_at(doc, s, i) else {
            i += 1;
            continue;
        };
        let left = extend_left(doc, s, i);
        let end = i + hlen;
        let kind = match label {
            "Group" => group(doc, s, &left, i, end, &class),
            "Proposal" => phrases::proposal(doc, s, &left, i, end, &class),
            "Event" => phrases::event(doc, s, &left, i, end, &class),
            _ => phrases::issue(doc, s, &left, end),
        };
        match kind {
            Some(k) => {
                doc.sents[s].replace(left.a, end, k);
                i = left.a + 1;
            }
            None => i += 1,
        }
    }
}

/// "the company", "the union": the most mentioned organization of that kind.
fn org_description(doc: &Doc, s: usize, i: usize) -> Option<Eid> {
    let sent = &doc.sents[s];
    let noun = sent.word(i)?;
    // A kind noun ("the company") or the last word of institution names
    // ("the federation", "the ministry"), with at most one modifier
    // ("the central bank").
    let article_at = |k: usize| sent.word(k) == Some("the");
    let modified = i >= 2
        && article_at(i - 2)
        && matches!(sent.word(i - 1), Some("central" | "national" | "federal"));
    if i == 0 || !(article_at(i - 1) || modified) {
        return None;
    }
    let suffix_noun = || {
        lx::ORG_SUFFIXES.iter().any(|(suf, _)| {
            suf.eq_ignore_ascii_case(noun) && suf.ends_with(|c: char| c.is_alphabetic())
        })
    };
    if !(lx::ORG_KIND_NOUNS.iter().any(|(n, _)| *n == noun) || suffix_noun()) {
        return None;
    }
    if sent
        .items
        .get(i + 1)
        .is_some_and(|it| matches!(it.kind, IK::Ent(..)))
    {
        return None; // "the union IG Metall" is handled as a name
    }
    let kind_of = |e: Eid| doc.ents[e].str_prop("kind").unwrap_or("").to_string();
    doc.with_label("Organization")
        .into_iter()
        .filter(|&e| {
            let named = normalize(&doc.ents[e].name).split(' ').any(|w| w == noun);
            doc.salience(e, s) > 0
                && (kind_of(e).contains(noun)
                    || named
                    || (noun == "firm" && kind_of(e) == "company"))
        })
        .max_by_key(|&e| (doc.salience(e, s), e))
}

/// "both sides", "the two countries", "the two presidents".
fn sides_at(doc: &Doc, s: usize, i: usize) -> Option<(IK, (usize, usize))> {
    let sent = &doc.sents[s];
    let noun_at = if sent.word(i) == Some("both") {
        i + 1
    } else if sent.words_at(i, &["the", "two"]) {
        i + 2
    } else {
        return None;
    };
    let noun = sent.word(noun_at)?;
    match noun {
        "sides" | "countries" | "companies" | "governments" | "parties" => {
            Some((IK::Sides(noun.to_string()), (i, noun_at + 1)))
        }
        "presidents" | "leaders" | "ministers" => Some((
            IK::Holders(noun.trim_end_matches('s').to_string()),
            (i, noun_at + 1),
        )),
        _ => None,
    }
}

/// The phrase's text from item `a` to item `b`, without determiner and possessor.
pub(super) fn surface(doc: &Doc, s: usize, left: &Left, b: usize) -> String {
    let sent = &doc.sents[s];
    let mut a = left.a;
    if left.det.is_some() && left.det.as_deref() != Some("'s") {
        a += 1;
    }
    if let Some((_, _, after)) = left.backer {
        a = a.max(after);
    }
    if a >= b {
        a = b - 1;
    }
    sent.text(sent.items[a].t0, sent.items[b - 1].t1)
}

fn group(doc: &mut Doc, s: usize, left: &Left, head: usize, end: usize, class: &str) -> Option<IK> {
    let sent = &doc.sents[s];
    let represents = class.starts_with("rep:");
    let head_word = class.trim_start_matches("rep:").to_string();
    let (t0, t1) = (sent.items[left.a].t0, sent.items[end - 1].t1);
    let quals: Vec<(Eid, usize)> = left.quals.iter().rev().copied().collect();
    let mut names: Vec<(String, Vec<Eid>)> = Vec::new();
    if quals.len() > 1 && quals.iter().all(|(e, _)| doc.ents[*e].label == "Country") {
        let last_q = quals.iter().map(|(_, j)| *j).max().unwrap_or(head);
        let tail = sent.text(sent.items[last_q + 1].t0, sent.items[end - 1].t1);
        for (e, j) in &quals {
            let q = sent.text(sent.items[*j].t0, sent.items[*j].t1);
            names.push((format!("{q} {tail}"), vec![*e]));
        }
    } else {
        let name = surface(doc, s, left, end);
        names.push((name, quals.iter().map(|(e, _)| *e).collect()));
    }
    let has_admin = (left.a..head).any(|j| doc.sents[s].word(j) == Some("administration"));
    let mut ents = Vec::new();
    for (name, of) in names {
        let g = match doc.find("Group", &name) {
            Some(g) => g,
            None => doc.add_ent("Group", &name, 0, class, true),
        };
        doc.mention(g, s, t0, t1, "mention.group");
        for q in &of {
            if represents && matches!(doc.ents[*q].label, "Country" | "Organization") {
                doc.relate(g, "REPRESENTS", *q, vec![], s, t0, t1, "group.qualifier");
            } else if doc.ents[*q].label == "Organization"
                && matches!(
                    head_word.as_str(),
                    "employees" | "workers" | "members" | "shareholders"
                )
            {
                doc.relate(g, "MEMBER_OF", *q, vec![], s, t0, t1, "group.qualifier");
            }
        }
        if has_admin && of.is_empty() {
            if let Some(home) = doc.home {
                doc.relate(
                    g,
                    "REPRESENTS",
                    home,
                    vec![],
                    s,
                    t0,
                    t1,
                    "group.administration",
                );
            }
        }
        ents.push(g);
    }
    Some(if ents.len() == 1 {
        IK::Ent(ents[0], Form::Description)
    } else {
        IK::Ents(ents)
    })
}

pub(super) fn definite(left: &Left) -> bool {
    left.possessor.is_some()
        || matches!(
            left.det.as_deref(),
            Some(
                "the"
                    | "this"
                    | "that"
                    | "these"
                    | "those"
                    | "its"
                    | "his"
                    | "her"
                    | "their"
                    | "our"
                    | "'s"
            )
        )
}

/// The most salient proposal or event of `class` mentioned before sentence `s` (inclusive).
pub fn salient(doc: &Doc, label: &str, class: &str, s: usize) -> Option<Eid> {
    salient_with(doc, label, class, s, None)
}

/// Like [`salient`], preferring an entity named with `head` ("the treaty"
/// refers to "a global treaty ..." rather than to "a revised draft").
pub fn salient_with(
    doc: &Doc,
    label: &str,
    class: &str,
    s: usize,
    head: Option<&str>,
) -> Option<Eid> {
    most_salient(doc, label, Some(class), s, head)
}

/// The most salient entity with `label` at sentence `s`, whatever its class.
pub(super) fn salient_any(doc: &Doc, label: &str, s: usize) -> Option<Eid> {
    most_salient(doc, label, None, s, None)
}

fn most_salient(
    doc: &Doc,
    label: &str,
    class: Option<&str>,
    s: usize,
    head: Option<&str>,
) -> Option<Eid> {
    doc.with_label(label)
        .into_iter()
        .filter(|&e| class.is_none_or(|c| doc.ents[e].class == c) && doc.salience(e, s) > 0)
        .max_by_key(|&e| {
            (
                head.is_some_and(|h| named_with(doc, e, h)),
                doc.salience(e, s),
                doc.ents[e].sources.iter().map(|x| x.start).max(),
            )
        })
}

/// Whether a word of the name or an alias of `e` (in lower case, split at
/// spaces and hyphens) is `word`.
pub(super) fn named_with(doc: &Doc, e: Eid, word: &str) -> bool {
    let ent = &doc.ents[e];
    std::iter::once(&ent.name)
        .chain(&ent.aliases)
        .any(|n| n.to_lowercase().split([' ', '-']).any(|w| w == word))
}
