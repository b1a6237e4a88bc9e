//! The state of one document's analysis: its sentences as tokens and items
//! (entity mentions and plain tokens), the entities found so far, the
//! relations between them, and every rule firing.

use std::collections::BTreeMap;

use std::sync::OnceLock;

use factgraph_model::Props;
use factgraph_model::{Date, Schema, Value};

fn news_schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(Schema::news)
}

use super::lexicon::Scope;
use super::tokens::{Kind, Token};

/// An entity of the document, by index into [`Doc::ents`].
pub type Eid = usize;

/// Where a fact was stated: sentence index (0-based), characters, rule.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Src {
    pub sentence: usize,
    pub start: u32,
    pub end: u32,
    pub rule: &'static str,
}

/// An entity found in the document.
#[derive(Clone, Debug)]
pub struct Ent {
    pub label: &'static str,
    pub name: String,
    /// How good `name` is: 0 a description, 1 a proper name, 2 a full name.
    pub rank: u8,
    /// Other surface forms, as written.
    pub aliases: Vec<String>,
    pub props: BTreeMap<String, Value>,
    pub sources: Vec<Src>,
    /// Proposal class, event kind, group head or country lexicon index.
    pub class: String,
    /// Whether the entity only makes sense inside this document (an unnamed
    /// group, a position, a generically named event), so that it is not
    /// merged by name with another document's entity.
    pub scoped: bool,
}

impl Ent {
    pub fn str_prop(&self, key: &str) -> Option<&str> {
        self.props.get(key).and_then(Value::as_str)
    }
}

/// A relation found in the document.
#[derive(Clone, Debug)]
pub struct Rel {
    pub from: Eid,
    pub to: Eid,
    pub rel_type: &'static str,
    pub props: BTreeMap<String, Value>,
    pub sources: Vec<Src>,
}

/// One rule firing, for the trace.
#[derive(Clone, Debug)]
pub struct Firing {
    pub rule: &'static str,
    pub sentence: usize,
    pub start: u32,
    pub end: u32,
    pub produced: Vec<String>,
}

/// How an entity is mentioned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// By name ("Russia", "Donald Trump").
    Name,
    /// By an adjective ("Russian").
    Demonym,
    /// By a description ("the plan").
    Description,
    /// By a pronoun.
    Pronoun,
}

/// A title before a name or in an apposition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TitleRef {
    /// The title in title case ("Army Secretary", "Trade Minister").
    pub title: String,
    /// The role-name template (see [`super::lexicon::TITLES`]).
    pub template: &'static str,
    pub scope: Scope,
    /// "former", "outgoing"...
    pub status: Option<&'static str>,
    /// Whether the title turns its holder into an owner ("largest shareholder").
    pub owner: bool,
}

/// What an item of a sentence is.
#[derive(Clone, Debug, PartialEq)]
pub enum IK {
    /// A plain token.
    Tok,
    /// A mention of one entity.
    Ent(Eid, Form),
    /// A coordinated mention of several ("Russian and Ukrainian representatives").
    Ents(Vec<Eid>),
    /// A title not yet attached to anyone.
    Title(TitleRef),
    /// A date.
    Date(Date),
    /// A generic mention of a proposal or event kind ("a lasting peace deal").
    Generic(&'static str),
    /// "both sides", "the two countries": the parties, resolved late (the noun).
    Sides(String),
    /// "the two presidents": the holders of a title, resolved late.
    Holders(String),
    /// A personal pronoun (lower case).
    Pron(String),
}

/// A run of tokens with a meaning.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    pub t0: usize,
    pub t1: usize,
    pub kind: IK,
}

/// One sentence.
#[derive(Clone, Debug)]
pub struct Sent {
    pub toks: Vec<Token>,
    pub items: Vec<Item>,
}

/// The analysis of one document.
#[derive(Debug)]
pub struct Doc {
    pub chars: Vec<char>,
    pub sents: Vec<Sent>,
    pub date: Option<Date>,
    pub ents: Vec<Ent>,
    pub rels: Vec<Rel>,
    pub firings: Vec<Firing>,
    /// The country an unqualified title belongs to.
    pub home: Option<Eid>,
    /// The parties "both sides" stands for.
    pub sides: Vec<Eid>,
    /// The country of the publication when the text never names it.
    pub home_name: String,
    /// Normalised surnames of the people the store already knows.
    pub known_surnames: std::collections::HashSet<String>,
}

/// Lower case, straight apostrophes, no dots or apostrophes, other
/// punctuation as spaces, no leading article: the form names are compared in.
pub fn normalize(s: &str) -> String {
    let mut out = String::new();
    for c in s.to_lowercase().chars() {
        if c == '.' || c == '\'' || c == '’' {
            continue;
        }
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with(' ') && !out.is_empty() {
            out.push(' ');
        }
    }
    let out = out.trim_end().to_string();
    for article in ["the ", "a ", "an "] {
        if let Some(rest) = out.strip_prefix(article) {
            return rest.to_string();
        }
    }
    out
}

/// Upper-cases the first letter.
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Title case for a title: every word capitalised except short function words.
pub fn title_case(s: &str) -> String {
    s.split(' ')
        .enumerate()
        .map(|(i, w)| {
            if i > 0 && matches!(w, "of" | "the" | "and" | "for") {
                w.to_string()
            } else {
                capitalise(w)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

impl Sent {
    /// The text of tokens `t0..t1`, as written (spacing kept).
    pub fn text(&self, t0: usize, t1: usize) -> String {
        let mut out = String::new();
        for (k, t) in self.toks[t0..t1].iter().enumerate() {
            if k > 0 && t.space_before {
                out.push(' ');
            }
            out.push_str(&t.text);
        }
        out
    }

    /// Character span of tokens `t0..t1`.
    pub fn span(&self, t0: usize, t1: usize) -> (u32, u32) {
        (self.toks[t0].start, self.toks[t1.max(t0 + 1) - 1].end)
    }

    /// The lower-case word of item `i` if it is a plain token.
    pub fn word(&self, i: usize) -> Option<&str> {
        let it = self.items.get(i)?;
        (it.kind == IK::Tok).then(|| self.toks[it.t0].lower.as_str())
    }

    /// Whether items `i..` are the plain words `words` (one word each; a
    /// word may be a punctuation character).
    pub fn words_at(&self, i: usize, words: &[&str]) -> bool {
        words
            .iter()
            .enumerate()
            .all(|(k, w)| self.word(i + k) == Some(w))
    }

    /// Whether item `i` is a plain punctuation token `p`.
    pub fn punct(&self, i: usize, p: &str) -> bool {
        self.items.get(i).is_some_and(|it| {
            it.kind == IK::Tok
                && matches!(self.toks[it.t0].kind, Kind::Punct)
                && self.toks[it.t0].text == p
        })
    }

    /// Whether item `i` is a comma, dash or other clause-separating punctuation.
    pub fn is_break(&self, i: usize) -> bool {
        self.items.get(i).is_some_and(|it| {
            it.kind == IK::Tok
                && matches!(
                    self.toks[it.t0].text.as_str(),
                    "," | ";" | ":" | "—" | "–" | "(" | ")" | "." | "?" | "!"
                )
        })
    }

    /// The entity of item `i`, if it names one.
    pub fn ent(&self, i: usize) -> Option<Eid> {
        match self.items.get(i)?.kind {
            IK::Ent(e, _) => Some(e),
            _ => None,
        }
    }

    /// Replaces items `a..b` by one item spanning their tokens.
    pub fn replace(&mut self, a: usize, b: usize, kind: IK) {
        let t0 = self.items[a].t0;
        let t1 = self.items[b - 1].t1;
        self.items.splice(a..b, [Item { t0, t1, kind }]);
    }
}

impl Doc {
    /// Adds an entity and returns its id.
    pub fn add_ent(
        &mut self,
        label: &'static str,
        name: &str,
        rank: u8,
        class: &str,
        scoped: bool,
    ) -> Eid {
        self.ents.push(Ent {
            label,
            name: name.to_string(),
            rank,
            aliases: Vec::new(),
            props: BTreeMap::new(),
            sources: Vec::new(),
            class: class.to_string(),
            scoped,
        });
        self.ents.len() - 1
    }

    /// Records a mention of `e` at tokens `t0..t1` of sentence `s`, and its surface form as an alias.
    pub fn mention(&mut self, e: Eid, s: usize, t0: usize, t1: usize, rule: &'static str) {
        let sent = &self.sents[s];
        let (start, end) = sent.span(t0, t1);
        let surface = sent.text(t0, t1);
        self.note_alias(e, &surface);
        let src = Src {
            sentence: s,
            start,
            end,
            rule,
        };
        let ent = &mut self.ents[e];
        if !ent.sources.contains(&src) {
            ent.sources.push(src);
        }
    }

    /// Records provenance for `e` without taking the text as a name for it
    /// (a demonym, a title phrase, a description).
    pub fn source(&mut self, e: Eid, s: usize, t0: usize, t1: usize, rule: &'static str) {
        let (start, end) = self.sents[s].span(t0, t1);
        let src = Src {
            sentence: s,
            start,
            end,
            rule,
        };
        let ent = &mut self.ents[e];
        if !ent.sources.contains(&src) {
            ent.sources.push(src);
        }
    }

    /// Adds `surface` to the aliases of `e` unless it is its name already.
    pub fn note_alias(&mut self, e: Eid, surface: &str) {
        let ent = &mut self.ents[e];
        let n = normalize(surface);
        if n.is_empty()
            || n == normalize(&ent.name)
            || ent.aliases.iter().any(|a| normalize(a) == n)
        {
            return;
        }
        ent.aliases.push(surface.to_string());
    }

    /// Gives `e` a better name, keeping the old one as an alias.
    pub fn rename(&mut self, e: Eid, name: &str, rank: u8) {
        if rank < self.ents[e].rank || normalize(name) == normalize(&self.ents[e].name) {
            if rank >= self.ents[e].rank {
                self.ents[e].rank = rank;
            }
            self.note_alias(e, name);
            return;
        }
        let old = std::mem::replace(&mut self.ents[e].name, name.to_string());
        self.ents[e].rank = rank;
        self.ents[e]
            .aliases
            .retain(|a| normalize(a) != normalize(name));
        self.note_alias(e, &old);
    }

    /// Sets a property of an entity unless it already has one.
    pub fn set_prop(&mut self, e: Eid, key: &str, value: Value) {
        self.ents[e].props.entry(key.to_string()).or_insert(value);
    }

    /// Adds (or supports again) the relation `from -[rel_type]-> to`,
    /// stated by tokens `t0..t1` of sentence `s`; records the firing.
    #[allow(clippy::too_many_arguments)]
    pub fn relate(
        &mut self,
        from: Eid,
        rel_type: &'static str,
        to: Eid,
        props: Vec<(&str, Value)>,
        s: usize,
        t0: usize,
        t1: usize,
        rule: &'static str,
    ) {
        if from == to {
            return;
        }
        let props: BTreeMap<String, Value> =
            props.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        // A rule may match where the schema allows no such relationship
        // ("meet with" an organization); such a candidate is dropped.
        if news_schema()
            .check_edge(
                rel_type,
                &[self.ents[from].label],
                &[self.ents[to].label],
                &Props::from(props.clone()),
            )
            .is_err()
        {
            return;
        }
        let (start, end) = self.sents[s].span(t0, t1);
        let src = Src {
            sentence: s,
            start,
            end,
            rule,
        };
        let existing = self.rels.iter().position(|r| {
            r.from == from
                && r.to == to
                && r.rel_type == rel_type
                && props
                    .iter()
                    .all(|(k, v)| r.props.get(k).is_none_or(|old| old == v))
        });
        let produced = format!(
            "({})-[:{rel_type}]->({})",
            self.ents[from].name, self.ents[to].name
        );
        match existing {
            Some(i) => {
                let r = &mut self.rels[i];
                for (k, v) in props {
                    r.props.entry(k).or_insert(v);
                }
                if !r.sources.contains(&src) {
                    r.sources.push(src);
                }
            }
            None => self.rels.push(Rel {
                from,
                to,
                rel_type,
                props,
                sources: vec![src],
            }),
        }
        self.fire(rule, s, t0, t1, produced);
    }

    /// Records that `rule` fired on tokens `t0..t1` of sentence `s`.
    pub fn fire(&mut self, rule: &'static str, s: usize, t0: usize, t1: usize, produced: String) {
        let (start, end) = self.sents[s].span(t0, t1);
        if let Some(f) = self
            .firings
            .iter_mut()
            .find(|f| f.rule == rule && f.sentence == s && f.start == start && f.end == end)
        {
            if !f.produced.contains(&produced) {
                f.produced.push(produced);
            }
            return;
        }
        self.firings.push(Firing {
            rule,
            sentence: s,
            start,
            end,
            produced: vec![produced],
        });
    }

    /// The targets of `from -[rel_type]->`.
    pub fn targets(&self, from: Eid, rel_type: &str) -> Vec<Eid> {
        self.rels
            .iter()
            .filter(|r| r.from == from && r.rel_type == rel_type)
            .map(|r| r.to)
            .collect()
    }

    /// The sources of `-[rel_type]-> to`.
    pub fn sources_of(&self, to: Eid, rel_type: &str) -> Vec<Eid> {
        self.rels
            .iter()
            .filter(|r| r.to == to && r.rel_type == rel_type)
            .map(|r| r.from)
            .collect()
    }

    /// Entities with `label`, in order of creation.
    pub fn with_label(&self, label: &str) -> Vec<Eid> {
        (0..self.ents.len())
            .filter(|&e| self.ents[e].label == label)
            .collect()
    }

    /// Whether `e` can act: a person, country, organization or group.
    pub fn is_actor(&self, e: Eid) -> bool {
        matches!(
            self.ents[e].label,
            "Person" | "Country" | "Organization" | "Group"
        )
    }

    /// The entity with `label` whose name or alias normalises to `name`.
    pub fn find(&self, label: &str, name: &str) -> Option<Eid> {
        let n = normalize(name);
        (0..self.ents.len()).find(|&e| {
            let ent = &self.ents[e];
            ent.label == label
                && (normalize(&ent.name) == n || ent.aliases.iter().any(|a| normalize(a) == n))
        })
    }

    /// How often `e` is mentioned before sentence `s` (inclusive).
    pub fn salience(&self, e: Eid, s: usize) -> usize {
        self.ents[e]
            .sources
            .iter()
            .filter(|src| src.sentence <= s)
            .count()
    }

    /// The last mention of `e` at or before character `at`.
    pub fn last_mention(&self, e: Eid, at: u32) -> Option<u32> {
        self.ents[e]
            .sources
            .iter()
            .filter(|src| src.start < at)
            .map(|src| src.start)
            .max()
    }

    /// The most recent entity with one of `labels` mentioned before character `at`.
    pub fn most_recent(&self, labels: &[&str], at: u32) -> Option<Eid> {
        (0..self.ents.len())
            .filter(|&e| labels.contains(&self.ents[e].label))
            .filter_map(|e| self.last_mention(e, at).map(|m| (m, e)))
            .max()
            .map(|(_, e)| e)
    }
}
