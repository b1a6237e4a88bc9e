//! Writing an article: its sentences, the gold entities, mentions and
//! relationships noted as they are written, and the finished document with
//! its facts.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::extract::jsonl::CorpusDocument;
use crate::model::Date;
use crate::text::split_sentences;

use super::world::{Proposal, World};
use super::GeneratedArticle;

/// A gold entity: label, properties in facts notation, and its mentions
/// as (generated sentence, quote).
struct GoldEnt {
    label: &'static str,
    name: String,
    extra: Vec<(String, String)>,
    aliases: Vec<String>,
    demonyms: Vec<String>,
    mentions: Vec<(usize, String)>,
}

/// A gold relationship: start handle, type, end handle, quotes by sentence.
type GoldRel = (String, &'static str, String, Vec<(usize, String)>);

/// An article being written: its sentences and gold facts.
#[derive(Default)]
pub(super) struct Writer {
    sents: Vec<String>,
    ents: BTreeMap<String, GoldEnt>,
    order: Vec<String>,
    rels: Vec<GoldRel>,
    positions: usize,
}

impl Writer {
    pub(super) fn sentence(&mut self, s: String) -> usize {
        self.sents.push(s);
        self.sents.len() - 1
    }
    fn ent(&mut self, handle: &str, label: &'static str, name: &str) -> String {
        if !self.ents.contains_key(handle) {
            self.order.push(handle.to_string());
            self.ents.insert(
                handle.to_string(),
                GoldEnt {
                    label,
                    name: name.to_string(),
                    extra: Vec::new(),
                    aliases: Vec::new(),
                    demonyms: Vec::new(),
                    mentions: Vec::new(),
                },
            );
        }
        handle.to_string()
    }
    fn mention(&mut self, handle: &str, s: usize, quote: &str) {
        if let Some(e) = self.ents.get_mut(handle) {
            e.mentions.push((s, quote.to_string()));
            if quote != e.name && e.label == "Person" && !e.aliases.iter().any(|a| a == quote) {
                e.aliases.push(quote.to_string());
            }
        }
    }
    pub(super) fn rel(&mut self, from: &str, t: &'static str, to: &str, s: usize, quote: &str) {
        self.rels.push((
            from.to_string(),
            t,
            to.to_string(),
            vec![(s, quote.to_string())],
        ));
    }
    pub(super) fn country(&mut self, w: &World, c: usize, s: usize, quote: &str) -> String {
        let country = &w.countries[c];
        let h = self.ent(&handle(country.name), "Country", country.name);
        if quote == country.demonym {
            if let Some(e) = self.ents.get_mut(&h) {
                if !e.demonyms.iter().any(|d| d == quote) {
                    e.demonyms.push(quote.to_string());
                }
            }
        }
        self.mention(&h, s, quote);
        h
    }
    pub(super) fn city(&mut self, name: &str, s: usize) -> String {
        let h = self.ent(&handle(name), "City", name);
        self.mention(&h, s, name);
        h
    }
    /// A person with the office they hold, as stated in sentence `s`.
    pub(super) fn holder(
        &mut self,
        w: &World,
        p: usize,
        s: usize,
        name_quote: &str,
        country_quote: &str,
        span: &str,
    ) -> String {
        let person = &w.people[p];
        let country = &w.countries[person.country];
        let h = self.ent(&handle(&person.full()), "Person", &person.full());
        self.mention(&h, s, name_quote);
        let c = self.country(w, person.country, s, country_quote);
        let role_name = format!("{} of {}", person.title, country.name);
        let r = self.ent(&handle(&role_name), "Role", &role_name);
        if let Some(e) = self.ents.get_mut(&r) {
            if e.extra.is_empty() {
                e.extra.push(("title".into(), quoted(person.title)));
            }
        }
        if !self.rels.iter().any(|x| x.0 == h && x.1 == "HOLDS") {
            self.rel(&h, "HOLDS", &r, s, span);
            self.rel(&r, "ROLE_OF", &c, s, span);
        }
        h
    }
    pub(super) fn person(&mut self, w: &World, p: usize, s: usize, quote: &str) -> String {
        let h = handle(&w.people[p].full());
        self.mention(&h, s, quote);
        h
    }
    pub(super) fn proposal(&mut self, pr: &Proposal, s: usize, quote: &str) -> String {
        let h = self.ent(&handle(&pr.name), "Proposal", &pr.name);
        if quote != pr.name {
            if let Some(e) = self.ents.get_mut(&h) {
                if !e.aliases.iter().any(|a| a == quote) {
                    e.aliases.push(quote.to_string());
                }
            }
        }
        self.mention(&h, s, quote);
        h
    }
    pub(super) fn stance(
        &mut self,
        actor: &str,
        stance: &str,
        target: &str,
        s: usize,
        quote: &str,
    ) {
        self.positions += 1;
        let h = format!("pos_{}", self.positions);
        self.ent(&h, "Position", "");
        if let Some(e) = self.ents.get_mut(&h) {
            e.extra.push(("stance".into(), quoted(stance)));
        }
        self.rel(actor, "TAKES", &h, s, quote);
        self.rel(&h, "ON", target, s, quote);
    }
}

pub(super) fn handle(name: &str) -> String {
    crate::extract::jsonl::name_slug(name)
}

fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Joins the sentences and writes the gold facts, numbering sentences as
/// the extractor's splitter does (a quote is cited from the sentence that
/// holds it).
pub(super) fn finish(
    wr: Writer,
    id: String,
    title: String,
    date: Option<Date>,
) -> GeneratedArticle {
    let text = wr.sents.join(" ");
    let mut starts = Vec::new();
    let mut at = 0usize;
    for s in &wr.sents {
        starts.push(at);
        at += s.chars().count() + 1;
    }
    let chars: Vec<char> = text.chars().collect();
    let spans = split_sentences(&text);
    let cite = |s: usize, quote: &str| -> Option<String> {
        let (n, span) = spans
            .iter()
            .enumerate()
            .find(|(_, sp)| (sp.start as usize) <= starts[s] && starts[s] < sp.end as usize)?;
        let sentence: String = chars[span.start as usize..span.end as usize]
            .iter()
            .collect();
        sentence
            .contains(quote)
            .then(|| format!("@{} {}", n + 1, quoted(quote)))
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Generated by factgraph gen-corpus: gold facts of {id}."
    );
    let _ = write!(
        out,
        "document {id} {{file: {}, title: {}",
        quoted(&format!("{id}.txt")),
        quoted(&title)
    );
    if let Some(d) = date {
        let _ = write!(out, ", date: {d}");
    }
    out.push_str("}\n");
    for h in &wr.order {
        let e = &wr.ents[h];
        let mut props: Vec<String> = Vec::new();
        if e.label != "Position" {
            props.push(format!("name: {}", quoted(&e.name)));
        }
        if !e.aliases.is_empty() {
            let list: Vec<String> = e.aliases.iter().map(|a| quoted(a)).collect();
            props.push(format!("aliases: [{}]", list.join(", ")));
        }
        if !e.demonyms.is_empty() {
            let list: Vec<String> = e.demonyms.iter().map(|a| quoted(a)).collect();
            props.push(format!("demonyms: [{}]", list.join(", ")));
        }
        for (k, v) in &e.extra {
            props.push(format!("{k}: {v}"));
        }
        let _ = write!(out, "({h}:{} {{{}}})", e.label, props.join(", "));
        for (s, q) in &e.mentions {
            if let Some(c) = cite(*s, q) {
                let _ = write!(out, " {c}");
            }
        }
        out.push('\n');
    }
    for (from, t, to, quotes) in &wr.rels {
        let _ = write!(out, "({from})-[:{t}]->({to})");
        for (s, q) in quotes {
            if let Some(c) = cite(*s, q) {
                let _ = write!(out, " {c}");
            }
        }
        out.push('\n');
    }
    GeneratedArticle {
        document: CorpusDocument {
            id,
            text,
            title: Some(title),
            date,
            source: Some("factgraph gen-corpus".into()),
        },
        gold_facts: out,
    }
}
