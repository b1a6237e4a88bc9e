//! factgraph's facts-file layer: a small, human-readable format for curated
//! facts, each tied to the quote in its source document that supports it
//! (grammar in `grammar/facts.pest`).
//!
//! May use: `factgraph-model` and `factgraph-store`. Used by:
//! `factgraph-extract` (gold annotations are facts files) and `factgraph`
//! (`factgraph load`).
//!
//! Loading is all-or-nothing: the file is applied under a checkpoint of the graph,
//! which is rolled back unless every statement succeeded. Loading
//! the same file twice changes nothing the second time: nodes are merged by
//! handle (stored as the `key` property), relationships by
//! (start, type, end), and provenance is a set.

mod parse;

use std::collections::BTreeMap;
use std::fmt;

use factgraph_model::syntax::{write_caret, Position, SyntaxError};
use factgraph_model::Props;
use factgraph_model::{Provenance, Value, KEY_PROPERTY};
use factgraph_store::{DocumentRecord, Graph, NodeId};

pub use parse::{parse, SourceQuote, Statement};

/// Largest facts file or article that `load` and `extract` read. They read a
/// file whole and parse it in memory, which takes a few times its size; bulk
/// data goes through `factgraph import` or `extract --jsonl`, which stream.
pub const MAX_TEXT_FILE: u64 = 256 * 1024 * 1024;

/// Reads a facts file or article whole, refusing one larger than
/// [`MAX_TEXT_FILE`] before reading a byte of it.
pub fn read_text_file(path: &std::path::Path) -> std::io::Result<String> {
    let len = std::fs::metadata(path)?.len();
    if len > MAX_TEXT_FILE {
        let mib = |n: u64| n / (1024 * 1024);
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "it is {} MiB, and files over {} MiB are not read whole: split it, or use factgraph import or extract --jsonl, which stream",
                mib(len),
                mib(MAX_TEXT_FILE)
            ),
        ));
    }
    std::fs::read_to_string(path)
}

/// The method recorded in provenance for facts from a facts file.
pub const METHOD: &str = "facts";

/// A facts file that could not be loaded; nothing was changed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct FactsError {
    /// The facts file's name as given.
    pub file: String,
    /// Where in the file.
    pub position: Position,
    /// The line of the file, for the caret.
    pub line_text: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for FactsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.position.line, self.position.column, self.message
        )?;
        write_caret(f, &self.line_text, self.position.column)
    }
}

/// What a load changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadReport {
    /// Documents added or replaced.
    pub documents: usize,
    /// Nodes created.
    pub nodes_created: usize,
    /// Relationships created.
    pub edges_created: usize,
    /// Statements that merged into an existing node or relationship.
    pub merged: usize,
}

impl fmt::Display for LoadReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} document(s), {} node(s) and {} relationship(s) created, {} statement(s) merged into existing facts",
            self.documents, self.nodes_created, self.edges_created, self.merged
        )
    }
}

/// Loads the facts in `text` into `graph`, atomically.
///
/// `file` names the facts file in errors; `read_document` returns the text
/// of a document named by a `document` statement's `file` property.
pub fn load(
    graph: &mut Graph,
    text: &str,
    file: &str,
    read_document: &dyn Fn(&str) -> std::io::Result<String>,
) -> Result<LoadReport, FactsError> {
    let checkpoint = graph.checkpoint();
    match apply(graph, text, file, read_document) {
        Ok(report) => {
            graph.commit(checkpoint);
            Ok(report)
        }
        Err(e) => {
            graph.rollback(checkpoint);
            Err(e)
        }
    }
}

/// Applies the statements of a facts file to `work`, stopping at the first error.
fn apply(
    work: &mut Graph,
    text: &str,
    file: &str,
    read_document: &dyn Fn(&str) -> std::io::Result<String>,
) -> Result<LoadReport, FactsError> {
    let line_of = |line: usize| {
        text.lines()
            .nth(line.saturating_sub(1))
            .unwrap_or("")
            .to_string()
    };
    let error = |position: Position, message: String| FactsError {
        file: file.to_string(),
        position,
        line_text: line_of(position.line),
        message,
    };
    let statements = parse(text).map_err(|e: SyntaxError| FactsError {
        file: file.to_string(),
        position: e.position,
        line_text: e.line_text,
        message: e.message,
    })?;
    let mut report = LoadReport::default();
    let mut current_doc: Option<String> = None;
    let mut mentioned: BTreeMap<(NodeId, String), Vec<Provenance>> = BTreeMap::new();
    for statement in statements {
        match statement {
            Statement::Document { handle, props, at } => {
                load_document(work, &handle, props, read_document).map_err(|m| error(at, m))?;
                current_doc = Some(handle);
                report.documents += 1;
            }
            Statement::Node {
                handle,
                labels,
                mut props,
                sources,
                at,
            } => {
                let provenance = resolve_sources(&*work, current_doc.as_deref(), &sources)
                    .map_err(|(p, m)| error(p, m))?;
                if let Some(key) = props.get(KEY_PROPERTY) {
                    if key.as_str() != Some(handle.as_str()) {
                        return Err(error(
                            at,
                            format!("({handle}) sets {KEY_PROPERTY}: {key}, but a node's {KEY_PROPERTY} is its handle; leave it out"),
                        ));
                    }
                }
                props.insert(KEY_PROPERTY.to_string(), Value::String(handle.clone()));
                let id = match work.node_by_key(&handle) {
                    Some(id) => {
                        merge_node(work, id, &labels, props).map_err(|m| error(at, m))?;
                        report.merged += 1;
                        id
                    }
                    None => {
                        report.nodes_created += 1;
                        work.add_node(labels, props, Vec::new())
                            .map_err(|e| error(at, format!("({handle}): {e}")))?
                    }
                };
                for p in provenance {
                    mentioned
                        .entry((id, p.document.to_string()))
                        .or_default()
                        .push(p.clone());
                    work.add_node_source(id, p)
                        .map_err(|e| error(at, e.to_string()))?;
                }
            }
            Statement::Edge {
                from,
                to,
                rel_type,
                props,
                sources,
                at,
            } => {
                let provenance = resolve_sources(&*work, current_doc.as_deref(), &sources)
                    .map_err(|(p, m)| error(p, m))?;
                let lookup = |h: &str| {
                    work.node_by_key(h).ok_or_else(|| {
                        error(at, format!("unknown node ({h}): declare it as ({h}:Label {{...}}) before using it"))
                    })
                };
                let (a, b) = (lookup(&from)?, lookup(&to)?);
                let id = match work.find_edge(a, b, &rel_type) {
                    Some(id) => {
                        let mut merged = work.edge(id).map(|e| e.props.clone()).unwrap_or_default();
                        merge_props(&mut merged, props).map_err(|m| error(at, m))?;
                        work.set_edge_properties(id, merged)
                            .map_err(|e| error(at, e.to_string()))?;
                        report.merged += 1;
                        id
                    }
                    None => {
                        report.edges_created += 1;
                        work.add_edge(a, b, &rel_type, props, Vec::new())
                            .map_err(|e| {
                                error(at, format!("({from})-[:{rel_type}]->({to}): {e}"))
                            })?
                    }
                };
                for p in provenance {
                    work.add_edge_source(id, p)
                        .map_err(|e| error(at, e.to_string()))?;
                }
            }
        }
    }
    link_mentions(work, mentioned, &mut report)
        .map_err(|m| error(Position { line: 1, column: 1 }, m))?;
    Ok(report)
}

fn load_document(
    graph: &mut Graph,
    handle: &str,
    mut props: BTreeMap<String, Value>,
    read_document: &dyn Fn(&str) -> std::io::Result<String>,
) -> Result<NodeId, String> {
    let path = match props.remove("file") {
        Some(Value::String(p)) => p,
        _ => {
            return Err(format!(
                "document {handle} needs file: \"path to its text\""
            ))
        }
    };
    let text = read_document(&path).map_err(|e| format!("cannot read document {path}: {e}"))?;
    let title = match props.remove("title") {
        Some(Value::String(t)) => t,
        Some(other) => return Err(format!("title must be a string, got {other}")),
        None => handle.to_string(),
    };
    if graph.document(handle).is_some_and(|old| old.text != text) {
        return Err(format!(
            "document {handle} is already loaded with a different text ({path} changed?); \
             the provenance already recorded points into the old text, so load it into a new store"
        ));
    }
    let mut record = DocumentRecord::new(handle, &title, &text);
    record.source = match props.remove("source") {
        Some(Value::String(s)) => Some(s),
        None => Some(path.clone()),
        Some(other) => return Err(format!("source must be a string, got {other}")),
    };
    record.date = match props.remove("date") {
        Some(Value::Date(d)) => Some(d),
        None => None,
        Some(other) => {
            return Err(format!(
                "date must be a date such as 2025-11-25, got {other}"
            ))
        }
    };
    if let Some(extra) = props.keys().next() {
        return Err(format!(
            "document {handle} has unknown attribute {extra:?} (known: file, title, source, date)"
        ));
    }
    let mut node_props = BTreeMap::from([
        (KEY_PROPERTY.to_string(), Value::from(handle)),
        ("name".to_string(), Value::from(title)),
        (
            "sentences".to_string(),
            Value::Int(record.sentences.len() as i64),
        ),
    ]);
    if let Some(s) = &record.source {
        node_props.insert("source".into(), Value::from(s.as_str()));
    }
    if let Some(d) = record.date {
        node_props.insert("date".into(), Value::Date(d));
    }
    graph.add_document(record);
    match graph.node_by_key(handle) {
        Some(id) => {
            graph
                .set_node_properties(id, node_props)
                .map_err(|e| e.to_string())?;
            Ok(id)
        }
        None => graph
            .add_node(vec!["Document".into()], node_props, Vec::new())
            .map_err(|e| e.to_string()),
    }
}

/// Finds each quote in the current document and turns it into provenance.
fn resolve_sources(
    graph: &Graph,
    doc_id: Option<&str>,
    sources: &[SourceQuote],
) -> Result<Vec<Provenance>, (Position, String)> {
    let mut out = Vec::with_capacity(sources.len());
    for s in sources {
        let Some(doc) = doc_id.and_then(|d| graph.document(d)) else {
            return Err((
                s.at,
                "a source quote needs a document statement before it".into(),
            ));
        };
        let chars: Vec<char> = doc.text.chars().collect();
        let quote: Vec<char> = s.quote.chars().collect();
        let (lo, hi) = match s.sentence {
            Some(n) => doc.sentences.get(n as usize - 1).copied().ok_or_else(|| {
                (
                    s.at,
                    format!(
                        "document {} has {} sentences, not {n}",
                        doc.id,
                        doc.sentences.len()
                    ),
                )
            })?,
            None => (0, chars.len() as u32),
        };
        let hits: Vec<usize> = (lo as usize..(hi as usize + 1).saturating_sub(quote.len()))
            .filter(|&i| chars[i..i + quote.len()] == quote[..])
            .collect();
        let start = match (hits.as_slice(), s.sentence) {
            ([], Some(n)) => {
                return Err((
                    s.at,
                    format!(
                        "{:?} is not in sentence {n} of {}: {:?}",
                        s.quote,
                        doc.id,
                        doc.sentence_text(n).unwrap_or_default()
                    ),
                ))
            }
            ([], None) => {
                return Err((s.at, format!("{:?} does not occur in {}", s.quote, doc.id)))
            }
            ([one], None) => *one,
            (many, None) => {
                let sentences: Vec<String> = many
                    .iter()
                    .filter_map(|&i| doc.sentence_at(i as u32))
                    .map(|n| n.to_string())
                    .collect();
                return Err((
                    s.at,
                    format!(
                        "{:?} occurs {} times in {} (sentences {}); say which, as @N \"...\"",
                        s.quote,
                        many.len(),
                        doc.id,
                        sentences.join(", ")
                    ),
                ));
            }
            ([first, ..], Some(_)) => *first,
        };
        let (start, end) = (start as u32, (start + quote.len()) as u32);
        // Provenance names one sentence, so the quote must lie inside one.
        let sentence = match s.sentence {
            Some(n) => n,
            None => doc
                .sentences
                .iter()
                .position(|&(lo, hi)| lo <= start && end <= hi)
                .map(|i| i as u32 + 1)
                .ok_or_else(|| {
                    (
                        s.at,
                        format!(
                            "{:?} is not inside one sentence of {}; quote part of a single sentence",
                            s.quote, doc.id
                        ),
                    )
                })?,
        };
        out.push(Provenance {
            document: doc.id.as_str().into(),
            sentence,
            start,
            end,
            method: METHOD.into(),
        });
    }
    Ok(out)
}

fn merge_props(into: &mut Props, new: BTreeMap<String, Value>) -> Result<(), String> {
    for (k, v) in new {
        match into.get(&k) {
            Some(old) if old != &v => {
                return Err(format!("property {k:?} was {old}, this statement says {v}"));
            }
            _ => {
                into.insert(k, v);
            }
        }
    }
    Ok(())
}

fn merge_node(
    graph: &mut Graph,
    id: NodeId,
    labels: &[String],
    props: BTreeMap<String, Value>,
) -> Result<(), String> {
    let node = graph.node(id).ok_or("node vanished")?;
    let mut wanted = labels.to_vec();
    wanted.sort();
    wanted.dedup();
    if wanted != node.labels {
        return Err(format!(
            "({}) was declared with labels :{}, here with :{}",
            node.display_name(),
            node.labels.join(":"),
            wanted.join(":")
        ));
    }
    let mut merged = node.props.clone();
    merge_props(&mut merged, props)?;
    graph
        .set_node_properties(id, merged)
        .map_err(|e| e.to_string())
}

/// Links every node that has provenance in a document to that document's node.
fn link_mentions(
    graph: &mut Graph,
    mentioned: BTreeMap<(NodeId, String), Vec<Provenance>>,
    report: &mut LoadReport,
) -> Result<(), String> {
    for ((node, doc), sources) in mentioned {
        let Some(doc_node) = graph.node_by_key(&doc) else {
            continue;
        };
        let id = match graph.find_edge(node, doc_node, "MENTIONED_IN") {
            Some(id) => id,
            None => {
                report.edges_created += 1;
                graph
                    .add_edge(node, doc_node, "MENTIONED_IN", BTreeMap::new(), Vec::new())
                    .map_err(|e| e.to_string())?
            }
        };
        for p in sources {
            graph.add_edge_source(id, p).map_err(|e| e.to_string())?;
        }
        let mentions = graph.edge(id).map_or(0, |e| e.sources.len()) as i64;
        graph
            .set_edge_property(id, "mentions", Value::Int(mentions))
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}
