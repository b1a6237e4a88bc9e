//! factgraph's extraction layer: facts from plain English news text, by
//! deterministic rules, and their scoring against gold facts files.
//!
//! May use: `factgraph-model`, `factgraph-store` and `factgraph-facts`.
//! Used by: `factgraph` (`extract`, `eval`, `import --extract`, the corpus
//! generator).
//!
//! [`extract_document`] reads an article and adds typed nodes and
//! relationships to a graph, each with the provenance of every sentence
//! that states it: document, 1-based sentence, character span, and the
//! name of the rule that found it (`Provenance::method`). The pipeline:
//!
//! 1. sentences ([`factgraph_model::text::split_sentences`]) and tokens with character
//!    offsets ([`tokens`]);
//! 2. pass 1, lexical mentions ([`mentions`]): countries with their aliases
//!    and demonyms, capitals, cities, organizations, titles, dates, pronouns,
//!    and capitalised names classified by context; names resolve to the
//!    entities found so far ("Trump" is "President Donald Trump");
//! 3. pass 2, noun phrases ([`nps`]): collectives, proposals, events,
//!    demands, with definite descriptions resolved to the salient entity;
//! 4. relation rules, in order: roles, membership, events, issues,
//!    proposals, meetings, stances, reported speech and sources;
//! 5. merging into the graph ([`apply`]): entities merge with nodes that
//!    have the same label and name or alias (people also by surname or a
//!    spelling variant), so one person mentioned in several articles is one
//!    node with every mention's provenance; conflicting facts are kept side
//!    by side, each with its sources.
//!
//! The knowledge the rules use is data in [`lexicon`]. Every firing is in
//! [`ExtractReport::trace`]. [`evaluate`] measures precision and recall
//! against hand-written gold facts (see `tests/gold/README.md`).

mod apply;
mod dates;
mod doc;
mod eval;
mod events;
mod issues;
pub mod jsonl;
pub mod lexicon;
mod mentions;
mod nps;
mod output;
mod pattern;
mod phrases;
mod polarity;
mod relations;
mod roles;
mod stances;
mod tokens;

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

use factgraph_model::text::split_sentences;
use factgraph_model::{Date, Provenance, Value};
use factgraph_store::{Graph, StoreError};

pub use doc::normalize;
pub use eval::{evaluate, evaluate_article, ArticleEval, Counts, EvalReport};
pub use output::{to_facts_text, to_json};

use doc::{Doc, Eid, Sent, IK};

/// Every rule, by the name recorded in `Provenance::method` and in the
/// trace, with what it matches and produces.
#[rustfmt::skip]
pub const RULES: &[(&str, &str)] = &[
    ("mention.country", "a country by name, alias or demonym (lexicon)"),
    ("mention.city", "a capital or city from the lexicon, or an unknown name after \"in\", \"near\", \"the town of\", \"mayor of\""),
    ("mention.organization", "an organization from the lexicon, by suffix (\"Electoral Service\"), acronym, apposition (\"X, the largest farm lobby\"), after \"according to\", or \"the company\" for one already named"),
    ("mention.person", "a capitalised name (after a title, or resolved to a person already named: surname, spelling variant)"),
    ("mention.group", "an unnamed collective: modifiers + a collective noun (\"senior administration officials\")"),
    ("mention.proposal", "a plan, deal, agreement...: a named one, a definite reference to the salient one, or a new one"),
    ("mention.event", "a war, talks, election, strike...: the salient one of its kind or a new one"),
    ("mention.issue", "a known issue mentioned again by its name; \"Moscow's more ambitious demands\""),
    ("role.title_name", "<country|organization> <title> <Name>: HOLDS and ROLE_OF (bare titles: the person's known role, else no ROLE_OF)"),
    ("role.apposition", "<owner's> <title>, <Name>: HOLDS, and ROLE_OF, SERVES (a person's envoy) or OWNS (largest shareholder)"),
    ("role.name_apposition", "<Name>, a|the <title> (of <place>): HOLDS"),
    ("role.unnamed", "<Country>'s <title> with no name: a person known only by the office"),
    ("role.of_event", "the <title> of <event>, <Name>: HOLDS and PARTICIPATES_IN the event"),
    ("role.takes_office", "<Name> takes office as <title>: HOLDS {status: elected}"),
    ("role.elected", "<Name> was (re-)elected|appointed|named <title> (of <organization|country>): HOLDS, ROLE_OF"),
    ("person.nationality", "<demonym> <occupation>, <Name>: CITIZEN_OF"),
    ("metonym.capital", "a capital as subject or object of a government verb (\"Dushanbe blamed\"): CAPITAL_OF"),
    ("metonym.capital_subject", "a capital as the subject of a stance: CAPITAL_OF"),
    ("metonym.capital_possessive", "a capital's demands: CAPITAL_OF"),
    ("group.qualifier", "a group qualified by a country or organization REPRESENTS it (or, employees, is MEMBER_OF it)"),
    ("group.administration", "\"administration officials\" REPRESENT the home country"),
    ("group.from", "<group> from <country|organization>: REPRESENTS"),
    ("group.at", "<group> at|of <organization>: MEMBER_OF"),
    ("member.including", "<group>, including A, B and C: MEMBER_OF"),
    ("member.of_org", "<Name> of the <party>, the candidate of <party>: MEMBER_OF"),
    ("member.led", "<Name>, who led <group>; <group> led by <Name>: MEMBER_OF"),
    ("org.owns", "his|her <kind noun> <Organization>: OWNS"),
    ("event.verb", "an event verb (expelled, walked off the job...): the event and who took part"),
    ("event.invaded", "<Country> invaded <Country>: INVADED, the invasion, its parties and place"),
    ("event.began_when", "<event> began <date> when ...: its date, the invasion CAUSED it, its parties and place"),
    ("event.between", "<event> between|with <actors>: PARTICIPATES_IN"),
    ("event.caused", "<event>, which has caused|strained <phrase>: a consequence it CAUSED"),
    ("event.won", "<Name> won <election>, defeating <Name>: PARTICIPATES_IN as winner and candidate"),
    ("event.host", "<actor> hosted|offered to host <event>; <event>, which <actor> will hold|host (in <place>): PARTICIPATES_IN as host"),
    ("event.launched", "<actor> launched|opened|began <event>: PARTICIPATES_IN as organizer"),
    ("event.ceasefire_parties", "<actors> agreed to a ceasefire after <fighting>: they took part in the fighting"),
    ("event.in_place", "<event> in <place>: TAKES_PLACE_IN"),
    ("event.possessive_place", "<Country>'s <event>: TAKES_PLACE_IN"),
    ("event.negotiators", "negotiators, delegations, mediators take part in the talks the document is about"),
    ("event.sides", "\"both sides\", \"the two countries\" (the parties of the conflict) take part in the talks"),
    ("issue.such_as", "issues—such as A and B—: contested issues"),
    ("issue.contested", "A, B and C remain points of contention: contested issues"),
    ("issue.addressed_by_talks", "contested issues in a sentence about the negotiators: the talks ADDRESS them"),
    ("issue.deferred", "leaving <issues> for <event>, <issues> were left for <event>: DEFERRED_TO"),
    ("proposal.drafted_by", "<proposal> (which was) drafted by <actors>: DRAFTED"),
    ("proposal.drafted", "<actors> drafted|proposed|prepared <proposal>: DRAFTED"),
    ("proposal.brokered_by", "<proposal> brokered|mediated by <actors>: CONTRIBUTED_TO"),
    ("proposal.input_from", "with (additional) input from <actors>: CONTRIBUTED_TO"),
    ("proposal.version_of", "a <modifier> version of <proposal>: a new proposal, VERSION_OF"),
    ("proposal.aims_to_end", "<proposal> aimed at ending|to end <event>: AIMS_TO_END"),
    ("proposal.points", "<proposal> outlines N points, an N-point plan: points"),
    ("proposal.acquisition", "<company> agreed to acquire <company>: the deal, and the buyer's agreement"),
    ("proposal.possessive", "its|<actor>'s demand, plan, bill, budget, offer: the possessor DRAFTED it"),
    ("proposal.offered", "<actor> offered <phrase>: an offer the actor DRAFTED"),
    ("meeting.travel", "<actor> will travel to|visit <place> (to meet with <actors>): TRAVELS_TO, WILL_MEET there"),
    ("meeting.will_meet", "<actor> will meet (with) <actors> (in <place>, on <day>): WILL_MEET"),
    ("meeting.met", "<actor> met (with) <actors>: MEETS"),
    ("meeting.discussions", "<actor> engaged in|held talks with <actors>: MEETS"),
    ("meeting.future", "potential meetings with, looking forward to meeting with <actors>: WILL_MEET (conditional with \"once\", \"when\")"),
    ("meeting.spoke", "A and B spoke by telephone: MEETS"),
    ("meeting.briefed", "<actors> would be briefed on <event>: BRIEFED_ON"),
    ("stance.verb", "<actors> agreed to|backed|rejected|criticised|expressed reservations about <target> (tentatively, negated): a position"),
    ("stance.drawn", "<proposal> has drawn criticism|support from <actors>: a position"),
    ("stance.passive", "<proposal> was approved|rejected by <actors>: a position"),
    ("stance.backed_compound", "a <Country>-backed <proposal>: the country backs it"),
    ("stance.seeks_resolution", "<actor>'s interest in finding a resolution to <event>: a position"),
    ("stance.divided", "<actors> maintain divisions over <issues> (\"key issues\": the nearest contested ones): a position"),
    ("stance.speech", "<actor> said|noted|cautioned (that) <clause about proposals, issues, talks>: a position"),
    ("report.speaker", "<speaker> said (that) <someone else's stance or an event>: REPORTED_BY the speaker"),
    ("report.according_to", "according to (reports from) <source>: what the sentence introduces is REPORTED_BY it"),
    ("report.results_from", "results from <source>: the sentence's events are REPORTED_BY it"),
];

/// How to extract.
#[derive(Clone, Debug)]
pub struct ExtractOptions {
    /// The country an unqualified title ("President Donald Trump") belongs to
    /// when the text mentions it; otherwise the most mentioned country is used.
    pub home_country: String,
    /// Analyse and report, but leave the graph unchanged.
    pub dry_run: bool,
    /// Publisher, feed or file to record on the document.
    pub source: Option<String>,
}

impl Default for ExtractOptions {
    fn default() -> ExtractOptions {
        ExtractOptions {
            home_country: "United States".into(),
            dry_run: false,
            source: None,
        }
    }
}

/// Why an extraction changed nothing.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    /// The document id is empty, too long or holds control characters.
    #[error("document id {0:?} must be a non-empty string of at most 2048 characters without control characters (line breaks, tabs)")]
    BadDocumentId(String),
    /// Nothing to read.
    #[error("the text of document {0:?} is empty")]
    EmptyText(String),
    /// The document id is the key of a node that is not a document.
    #[error("key {0:?} already names a node that is not a document; use another document id")]
    KeyTaken(String),
    /// The store holds this document with another text.
    #[error("document {0:?} is already stored with a different text; the provenance recorded for it points into the old text, so extract into a new store or use another id")]
    DocumentChanged(String),
    /// The store refused a fact (a schema rule or a key clash).
    #[error("cannot store an extracted fact: {0}")]
    Store(#[from] StoreError),
    /// A gold file that cannot be used.
    #[error("{0}")]
    Gold(String),
    /// A file that cannot be read.
    #[error("cannot read {path}: {error}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The OS error.
        error: std::io::Error,
    },
}

/// One rule firing: which rule, where, on what text, and what it produced.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RuleFiring {
    /// The rule's name, as recorded in provenance (`role.title_name`, ...).
    pub rule: String,
    /// 1-based sentence number.
    pub sentence: u32,
    /// First character of the matched text.
    pub start: u32,
    /// One past its last character.
    pub end: u32,
    /// The matched text.
    pub text: String,
    /// What it produced: `(A)-[:TYPE]->(B)` or `Label name`.
    pub produced: Vec<String>,
}

impl fmt::Display for RuleFiring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "s{} [{}..{}] {} {:?} => {}",
            self.sentence,
            self.start,
            self.end,
            self.rule,
            self.text,
            self.produced.join("; ")
        )
    }
}

/// A node the extraction produced, under the key it has in the graph.
#[derive(Clone, Debug, PartialEq)]
pub struct ExtractedNode {
    /// The node's `key` in the graph (also its handle in the facts format).
    pub key: String,
    /// Its label.
    pub label: String,
    /// Its properties as extracted (`name`, `aliases`, ...).
    pub props: std::collections::BTreeMap<String, Value>,
    /// Every mention in this document.
    pub sources: Vec<Provenance>,
    /// Whether it merged into a node the graph already held.
    pub merged: bool,
}

/// A relationship the extraction produced.
#[derive(Clone, Debug, PartialEq)]
pub struct ExtractedEdge {
    /// Key of the start node.
    pub from: String,
    /// Relationship type.
    pub rel_type: String,
    /// Key of the end node.
    pub to: String,
    /// Its properties.
    pub props: std::collections::BTreeMap<String, Value>,
    /// Every sentence of this document that states it.
    pub sources: Vec<Provenance>,
    /// Whether it merged into a relationship the graph already held.
    pub merged: bool,
}

/// What an extraction found and changed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExtractReport {
    /// Document id.
    pub document: String,
    /// Its title.
    pub title: String,
    /// Its date, if given.
    pub date: Option<Date>,
    /// Number of sentences.
    pub sentences: usize,
    /// Nodes found (without the document node), in order of first mention.
    pub nodes: Vec<ExtractedNode>,
    /// Relationships found (without MENTIONED_IN).
    pub edges: Vec<ExtractedEdge>,
    /// Nodes created in the graph (with the document node and MENTIONED_IN counted).
    pub nodes_created: usize,
    /// Nodes that merged into existing ones.
    pub nodes_merged: usize,
    /// Relationships created.
    pub edges_created: usize,
    /// Relationships that merged into existing ones.
    pub edges_merged: usize,
    /// Facts that disagree with what the graph held; both are kept.
    pub conflicts: Vec<String>,
    /// Every rule firing, in sentence order.
    pub trace: Vec<RuleFiring>,
    /// Whether the graph was left unchanged.
    pub dry_run: bool,
}

impl fmt::Display for ExtractReport {
    /// A summary; the alternate form (`{:#}`) adds the trace.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}: {} sentence(s), {} node(s) and {} relationship(s) extracted{}",
            self.document,
            self.sentences,
            self.nodes.len(),
            self.edges.len(),
            if self.dry_run {
                " (dry run: nothing stored)"
            } else {
                ""
            }
        )?;
        if !self.dry_run {
            writeln!(
                f,
                "stored: {} node(s) and {} relationship(s) created, {} node(s) and {} relationship(s) merged into existing facts",
                self.nodes_created, self.edges_created, self.nodes_merged, self.edges_merged
            )?;
        }
        let mut by_label = std::collections::BTreeMap::<&str, usize>::new();
        for n in &self.nodes {
            *by_label.entry(&n.label).or_default() += 1;
        }
        let labels: Vec<String> = by_label.iter().map(|(l, c)| format!("{l} {c}")).collect();
        writeln!(f, "nodes: {}", labels.join(", "))?;
        let mut by_type = std::collections::BTreeMap::<&str, usize>::new();
        for e in &self.edges {
            *by_type.entry(&e.rel_type).or_default() += 1;
        }
        let types: Vec<String> = by_type.iter().map(|(t, c)| format!("{t} {c}")).collect();
        writeln!(f, "relationships: {}", types.join(", "))?;
        for c in &self.conflicts {
            writeln!(f, "conflict: {c}")?;
        }
        if f.alternate() {
            writeln!(f, "trace ({} rule firings):", self.trace.len())?;
            for r in &self.trace {
                writeln!(f, "  {r}")?;
            }
        }
        Ok(())
    }
}

/// A document id for a file name or title: its stem in lower case, with
/// every run of other characters as `_` ("Ukraine peace plan (Nov).txt" ->
/// `ukraine_peace_plan_nov`); `doc_` goes before a leading digit.
pub fn document_id(name: &str) -> String {
    let stem = std::path::Path::new(name)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(name);
    let id = apply::slug(stem);
    match id
        .strip_prefix('n')
        .filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
    {
        Some(rest) => format!("doc_{rest}"),
        None => id,
    }
}

/// Reads `text` and adds what it states to `graph`, all or nothing.
///
/// `doc_id` becomes the document's id and its node's key; `title` its name;
/// `date` anchors day names ("Tuesday") and months without a year.
/// Entities merge with what the graph already holds (see the module docs).
/// Extracting the same text again adds nothing new. With
/// `options.dry_run`, the graph is left unchanged and the report says what
/// would have been stored.
pub fn extract_document(
    graph: &mut Graph,
    doc_id: &str,
    title: &str,
    text: &str,
    date: Option<Date>,
    options: &ExtractOptions,
) -> Result<ExtractReport, ExtractError> {
    check_document(doc_id, text)?;
    if graph.document(doc_id).is_some_and(|d| d.text != text) {
        return Err(ExtractError::DocumentChanged(doc_id.to_string()));
    }
    // People the store already knows: a bare surname of one of them
    // ("Trump" in a later article) is a person without more evidence.
    let known_surnames = graph
        .nodes_with_label("Person")
        .filter_map(|id| {
            graph
                .node(id)?
                .props
                .get("name")?
                .as_str()
                .map(doc::normalize)
        })
        .filter_map(|name| name.rsplit(' ').next().map(str::to_string))
        .collect();
    let doc = analyse_with(text, date, options, known_surnames);
    apply::apply(graph, doc_id, title, text, date, options, &doc)
}

/// The longest document id, in characters: room for any URL a corpus keys
/// its documents by.
pub const MAX_DOCUMENT_ID_CHARS: usize = 2048;

/// Refuses an empty or overlong document id, one with control characters
/// (a line break would end it in line-based formats), and an empty text.
/// Anything else is an id: URLs, file names with dashes, Unicode.
fn check_document(doc_id: &str, text: &str) -> Result<(), ExtractError> {
    let valid_id = !doc_id.trim().is_empty()
        && doc_id.chars().count() <= MAX_DOCUMENT_ID_CHARS
        && !doc_id.chars().any(char::is_control);
    if !valid_id {
        return Err(ExtractError::BadDocumentId(doc_id.to_string()));
    }
    if text.trim().is_empty() {
        return Err(ExtractError::EmptyText(doc_id.to_string()));
    }
    Ok(())
}

/// Runs the whole analysis of one text.
fn analyse(text: &str, date: Option<Date>, options: &ExtractOptions) -> Doc {
    analyse_with(text, date, options, Default::default())
}

/// [`analyse`], knowing the surnames of people named elsewhere.
fn analyse_with(
    text: &str,
    date: Option<Date>,
    options: &ExtractOptions,
    known_surnames: std::collections::HashSet<String>,
) -> Doc {
    let chars: Vec<char> = text.chars().collect();
    let sents = split_sentences(text)
        .into_iter()
        .map(|span| Sent {
            toks: tokens::tokenize(&chars, span.start as usize, span.end as usize),
            items: Vec::new(),
        })
        .collect();
    let mut doc = Doc {
        chars,
        sents,
        date,
        ents: Vec::new(),
        rels: Vec::new(),
        firings: Vec::new(),
        home: None,
        sides: Vec::new(),
        home_name: options.home_country.clone(),
        known_surnames,
    };
    let n = doc.sents.len();
    for s in 0..n {
        mentions::lexical_pass(&mut doc, s);
    }
    doc.home = home_country(&doc);
    for s in 0..n {
        relations::acquisitions(&mut doc, s);
    }
    for s in 0..n {
        nps::np_pass(&mut doc, s);
    }
    for s in 0..n {
        roles::run(&mut doc, s);
        roles::metonyms(&mut doc, s);
        roles::nationality(&mut doc, s);
    }
    for s in 0..n {
        relations::membership(&mut doc, s);
    }
    for s in 0..n {
        events::run(&mut doc, s);
    }
    doc.sides = sides(&doc);
    for s in 0..n {
        relations::membership(&mut doc, s);
    }
    for s in 0..n {
        issues::issues(&mut doc, s);
    }
    issues::mark_issue_mentions(&mut doc);
    for s in 0..n {
        relations::proposals(&mut doc, s);
    }
    for s in 0..n {
        relations::meetings(&mut doc, s);
    }
    for s in 0..n {
        stances::run(&mut doc, s);
    }
    for s in 0..n {
        stances::speech(&mut doc, s);
    }
    for s in 0..n {
        stances::according_to(&mut doc, s);
    }
    talks_participants(&mut doc);
    doc
}

/// The country an unqualified title belongs to: the configured home country
/// when the text mentions it at least half as much as any other (a wire
/// story's own government needs no qualifier), else the country the text
/// mentions most; a capital's mentions count for its country.
fn home_country(doc: &Doc) -> Option<Eid> {
    let countries = doc.with_label("Country");
    // A country's weight: its mentions and its capital's.
    let weight = |c: Eid| {
        let capital = doc
            .with_label("City")
            .into_iter()
            .filter(|&t| doc.ents[t].class == doc.ents[c].class)
            .map(|t| doc.ents[t].sources.len())
            .sum::<usize>();
        doc.ents[c].sources.len() + capital
    };
    let top = countries
        .iter()
        .copied()
        .max_by_key(|&c| (weight(c), std::cmp::Reverse(c)));
    let configured = countries
        .iter()
        .copied()
        .find(|&c| doc::normalize(&doc.ents[c].name) == doc::normalize(&doc.home_name));
    match (configured, top) {
        (Some(home), Some(top)) if weight(home) * 2 > weight(top) => Some(home),
        (_, top) => top,
    }
}

/// Who "both sides" are: the two countries of an invasion, else the two
/// countries fighting, else the two parties the negotiators represent.
fn sides(doc: &Doc) -> Vec<Eid> {
    if let Some(r) = doc.rels.iter().find(|r| r.rel_type == "INVADED") {
        return vec![r.from, r.to];
    }
    let mut fighting: Vec<Eid> = Vec::new();
    for r in &doc.rels {
        if r.rel_type == "PARTICIPATES_IN"
            && matches!(doc.ents[r.to].class.as_str(), "clashes" | "war")
            && doc.ents[r.from].label == "Country"
            && !fighting.contains(&r.from)
        {
            fighting.push(r.from);
        }
    }
    if fighting.len() == 2 {
        return fighting;
    }
    let mut represented: Vec<Eid> = Vec::new();
    for r in &doc.rels {
        if r.rel_type == "REPRESENTS"
            && doc.ents[r.from].class == "rep:negotiators"
            && !represented.contains(&r.to)
        {
            represented.push(r.to);
        }
    }
    if represented.len() == 2 {
        return represented;
    }
    Vec::new()
}

/// `event.negotiators` and `event.sides`: negotiators, delegations and
/// "both sides" take part in the talks the document is about.
fn talks_participants(doc: &mut Doc) {
    let Some(talks) = stances::talks(doc) else {
        return;
    };
    for g in doc.with_label("Group") {
        if matches!(
            doc.ents[g].class.as_str(),
            "rep:negotiators" | "rep:delegation" | "rep:delegates" | "rep:mediators"
        ) {
            if let Some(src) = doc.ents[g].sources.first().cloned() {
                let (t0, t1) = token_range(doc, &src);
                let props = vec![("role", Value::from("negotiator"))];
                doc.relate(
                    g,
                    "PARTICIPATES_IN",
                    talks,
                    props,
                    src.sentence,
                    t0,
                    t1,
                    "event.negotiators",
                );
            }
        }
    }
    for s in 0..doc.sents.len() {
        for i in 0..doc.sents[s].items.len() {
            let IK::Sides(noun) = doc.sents[s].items[i].kind.clone() else {
                continue;
            };
            if !matches!(noun.as_str(), "sides" | "countries" | "parties") {
                continue;
            }
            let (t0, t1) = (doc.sents[s].items[i].t0, doc.sents[s].items[i].t1);
            for p in pattern::sides(doc, &noun) {
                let props = vec![("role", Value::from("party"))];
                doc.relate(p, "PARTICIPATES_IN", talks, props, s, t0, t1, "event.sides");
            }
        }
    }
}

/// The tokens a source covers.
fn token_range(doc: &Doc, src: &doc::Src) -> (usize, usize) {
    let toks = &doc.sents[src.sentence].toks;
    let t0 = toks.iter().position(|t| t.start >= src.start).unwrap_or(0);
    let t1 = toks
        .iter()
        .rposition(|t| t.end <= src.end)
        .map_or(t0 + 1, |i| i + 1);
    (t0, t1.max(t0 + 1))
}

#[cfg(test)]
mod tests {
    /// Every rule name the code records is documented in [`super::RULES`].
    #[test]
    fn every_rule_is_documented() {
        let sources = [
            include_str!("apply.rs"),
            include_str!("events.rs"),
            include_str!("issues.rs"),
            include_str!("mentions/mod.rs"),
            include_str!("mentions/classify.rs"),
            include_str!("mentions/lookup.rs"),
            include_str!("mentions/names.rs"),
            include_str!("lib.rs"),
            include_str!("nps.rs"),
            include_str!("phrases.rs"),
            include_str!("relations/mod.rs"),
            include_str!("relations/meetings.rs"),
            include_str!("relations/membership.rs"),
            include_str!("relations/proposals.rs"),
            include_str!("roles.rs"),
            include_str!("stances/mod.rs"),
            include_str!("stances/patterns.rs"),
            include_str!("stances/speech.rs"),
            include_str!("stances/targets.rs"),
            include_str!("stances/verb.rs"),
        ];
        let families = [
            "mention", "role", "person", "metonym", "group", "member", "org", "event", "issue",
            "proposal", "meeting", "stance", "report",
        ];
        let mut used = std::collections::BTreeSet::new();
        for src in sources {
            for piece in src.split('"').skip(1).step_by(2) {
                let Some((family, name)) = piece.split_once('.') else {
                    continue;
                };
                if families.contains(&family)
                    && !name.is_empty()
                    && name.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                {
                    used.insert(piece.to_string());
                }
            }
        }
        let documented: std::collections::BTreeSet<String> =
            super::RULES.iter().map(|(r, _)| r.to_string()).collect();
        let missing: Vec<&String> = used.difference(&documented).collect();
        assert!(
            missing.is_empty(),
            "rules used but not in RULES: {missing:?}"
        );
        let unused: Vec<&String> = documented.difference(&used).collect();
        assert!(
            unused.is_empty(),
            "rules in RULES that the code never records: {unused:?}"
        );
    }
}
