//! Extraction as a streaming filter, for engines that split a corpus over
//! many processes (Spark's `rdd.pipe`, `xargs -P`, a queue of workers).
//!
//! Input: one document per line, `{"id": ..., "text": ..., "date"?: ...,
//! "source"?: ..., "title"?: ...}`. Output: the document's facts as JSON
//! lines in the shape `factgraph import --format jsonl` reads (a `document`
//! line, then `node` and `relationship` lines with provenance). Every
//! document is extracted alone, into an empty graph, so its lines depend on
//! nothing but the document: the same bytes in any process, in any order,
//! next to any other documents. Cross-document resolution ("Rubio" here,
//! "Marco Rubio" there) is left to the merge (`factgraph import --merge`,
//! factgraph's `import::merge`).
//!
//! Node ids say how far an entity reaches, which is what the merge needs:
//! - `person:marco_rubio`: an entity known by name (label, then the name's
//!   slug); the same id or the same name in another document is the same
//!   entity;
//! - `group:us_officials@doc_12`: an entity that only makes sense inside its
//!   document (an unnamed group, a generically named event);
//! - `position:pos_rubio_backs_plan@doc_12`: a position, identified in the
//!   merge by its stance, actors and targets;
//! - `document:doc_12`: the document node.
//!
//! Relationship ids name their endpoints, type, document and first span
//! (`person:marco_rubio-HOLDS->role:secretary_of_state@doc_12:3:10-42`).
//! `MENTIONED_IN` (node to document) is not written: it would repeat each
//! node's provenance, from which the merge derives it.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, BufRead, Write};

use serde::Serialize;
use serde_json::{json, Map, Value as Json};

use factgraph_model::{Date, Provenance, Value, KEY_PROPERTY};
use factgraph_store::{Graph, NodeId};

use super::apply::slug;
use super::output::props_json;
use super::{ExtractError, ExtractOptions};

/// Whether two person names can name the same person, by the rule extraction
/// uses to merge people: the same surname or a close spelling variant of it
/// ("Zelensky", "Zelenskyy"), and first names that do not disagree.
pub fn same_person(a: &str, b: &str) -> bool {
    super::apply::same_person(a, b)
}

/// The slug extraction makes keys from ("Marco Rubio" -> `marco_rubio`).
pub fn name_slug(name: &str) -> String {
    slug(name)
}

/// One document of a JSON-lines corpus.
#[derive(Clone, Debug, PartialEq)]
pub struct CorpusDocument {
    /// Document id: letters, digits and `_`, not starting with a digit.
    pub id: String,
    /// The article.
    pub text: String,
    /// Headline; default: the first line of the text.
    pub title: Option<String>,
    /// Publication date.
    pub date: Option<Date>,
    /// Publisher, feed or file.
    pub source: Option<String>,
}

impl CorpusDocument {
    /// The corpus line for this document (what [`parse_document_line`] reads).
    pub fn to_line(&self) -> String {
        let mut obj = Map::new();
        obj.insert("id".into(), json!(self.id));
        if let Some(t) = &self.title {
            obj.insert("title".into(), json!(t));
        }
        if let Some(d) = self.date {
            obj.insert("date".into(), json!(d.to_string()));
        }
        if let Some(s) = &self.source {
            obj.insert("source".into(), json!(s));
        }
        obj.insert("text".into(), json!(self.text));
        Json::Object(obj).to_string()
    }
}

/// A corpus line that could not be extracted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BadLine {
    /// 1-based line number in the input.
    pub line: u64,
    /// The document id, when the line got that far.
    pub document: Option<String>,
    /// Why.
    pub error: String,
}

impl std::fmt::Display for BadLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.document {
            Some(d) => write!(f, "line {}: document {d:?}: {}", self.line, self.error),
            None => write!(f, "line {}: {}", self.line, self.error),
        }
    }
}

/// What a streaming extraction did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StreamSummary {
    /// Documents extracted.
    pub documents: u64,
    /// Fact lines written.
    pub lines_out: u64,
    /// Input lines that were refused.
    pub bad_lines: u64,
    /// Bytes of article text extracted.
    pub text_bytes: u64,
}

impl std::fmt::Display for StreamSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "extracted {} document(s) ({} bytes of text) into {} fact line(s)",
            self.documents, self.text_bytes, self.lines_out
        )?;
        if self.bad_lines > 0 {
            write!(f, "; {} bad input line(s) skipped", self.bad_lines)?;
        }
        Ok(())
    }
}

/// Reads one corpus line. The error is the reason, and the document id
/// when the line has one.
pub fn parse_document_line(line: &str) -> Result<CorpusDocument, (Option<String>, String)> {
    let v: Json = serde_json::from_str(line).map_err(|e| (None, format!("invalid JSON: {e}")))?;
    let Json::Object(obj) = v else {
        return Err((None, "a document line must be a JSON object".into()));
    };
    let id = match obj.get("id") {
        Some(Json::String(s)) => s.clone(),
        Some(other) => return Err((None, format!("\"id\" must be a string, not {other}"))),
        None => return Err((None, "missing \"id\"".into())),
    };
    let with_id = |msg: String| (Some(id.clone()), msg);
    let opt_str = |field: &str| -> Result<Option<String>, (Option<String>, String)> {
        match obj.get(field) {
            None | Some(Json::Null) => Ok(None),
            Some(Json::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(with_id(format!("\"{field}\" must be a string"))),
        }
    };
    let text = match obj.get("text") {
        Some(Json::String(s)) => s.clone(),
        Some(_) => return Err(with_id("\"text\" must be a string".into())),
        None => return Err(with_id("missing \"text\"".into())),
    };
    let date = opt_str("date")?
        .map(|d| Date::parse(&d).map_err(|e| with_id(format!("\"date\": {e}"))))
        .transpose()?;
    Ok(CorpusDocument {
        title: opt_str("title")?,
        source: opt_str("source")?,
        id,
        text,
        date,
    })
}

/// The headline a document gets when its line gives none: its first
/// non-empty line, cut at 100 characters.
fn default_title(id: &str, text: &str) -> String {
    let first = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    if first.is_empty() {
        return id.to_string();
    }
    if first.chars().count() > 100 {
        first.chars().take(99).chain(std::iter::once('…')).collect()
    } else {
        first.to_string()
    }
}

fn provenance_json(sources: &[Provenance]) -> Json {
    Json::Array(
        sources
            .iter()
            .map(|p| {
                json!({
                    "document": p.document,
                    "sentence": p.sentence,
                    "start": p.start,
                    "end": p.end,
                    "method": p.method,
                })
            })
            .collect(),
    )
}

/// The facts of one document as JSON lines (each ending in `\n`), in the
/// shape `factgraph import` reads; see the module docs for the ids.
pub fn document_facts(
    doc: &CorpusDocument,
    options: &ExtractOptions,
) -> Result<String, ExtractError> {
    let doc_id = doc.id.as_str();
    super::check_document(doc_id, &doc.text)?;
    let title = doc
        .title
        .clone()
        .unwrap_or_else(|| default_title(doc_id, &doc.text));
    let options = ExtractOptions {
        dry_run: false,
        source: doc.source.clone(),
        ..options.clone()
    };
    let analysis = super::analyse(&doc.text, doc.date, &options);
    let mut graph = Graph::default();
    let report = super::apply::apply(
        &mut graph, doc_id, &title, &doc.text, doc.date, &options, &analysis,
    )?;
    // Which entity each reported node came from: apply reports every kept
    // entity once, with the provenance of its mentions.
    let mut reach: HashMap<String, &'static str> = HashMap::new();
    let mut used = vec![false; analysis.ents.len()];
    for n in &report.nodes {
        let found = analysis.ents.iter().enumerate().position(|(e, ent)| {
            !used[e]
                && ent.label == n.label
                && ent.sources.len() == n.sources.len()
                && ent
                    .sources
                    .iter()
                    .zip(&n.sources)
                    .all(|(s, p)| s.start == p.start && s.end == p.end && *s.rule == *p.method)
        });
        let scope = match found {
            Some(e) => {
                used[e] = true;
                if analysis.ents[e].label == "Position" {
                    "position"
                } else if analysis.ents[e].scoped {
                    "local"
                } else {
                    "global"
                }
            }
            None if n.label == "Position" => "position",
            None => "local",
        };
        reach.insert(n.key.clone(), scope);
    }
    let key_of = |id: NodeId| -> String {
        graph
            .node(id)
            .and_then(|n| n.props.get(KEY_PROPERTY))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let mut out = String::new();
    let mut line = |v: Json| {
        out.push_str(&v.to_string());
        out.push('\n');
    };
    if let Some(d) = graph.document(doc_id) {
        line(json!({
            "type": "document",
            "id": d.id,
            "title": d.title,
            "source": d.source,
            "date": d.date.map(|x| x.to_string()),
            "text": d.text,
            "sentences": d.sentences,
        }));
    }
    let mut ids: HashMap<NodeId, String> = HashMap::new();
    let mut taken: HashMap<String, usize> = HashMap::new();
    for id in graph.node_ids() {
        let Some(node) = graph.node(id) else { continue };
        let key = key_of(id);
        let label = node.labels.first().map(String::as_str).unwrap_or("Node");
        let lower = label.to_ascii_lowercase();
        let name = node
            .props
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or(&key);
        let base = match (label, reach.get(&key).copied()) {
            ("Document", _) => format!("document:{doc_id}"),
            (_, Some("global")) => format!("{lower}:{}", slug(name)),
            _ => format!("{lower}:{key}@{doc_id}"),
        };
        let count = taken.entry(base.clone()).or_insert(0);
        *count += 1;
        let node_id = if *count == 1 {
            base
        } else {
            format!("{base}#{count}")
        };
        let mut obj = Map::new();
        obj.insert("type".into(), json!("node"));
        obj.insert("id".into(), json!(node_id));
        obj.insert("labels".into(), json!(node.labels));
        obj.insert("properties".into(), props_json(&node.props));
        if !node.sources.is_empty() {
            obj.insert("provenance".into(), provenance_json(&node.sources));
        }
        line(Json::Object(obj));
        ids.insert(id, node_id);
    }
    // MENTIONED_IN is left out: it repeats every node's provenance (a third
    // of the bytes), and the merge derives it from that provenance. The
    // other edges are created in the analysis' order, the same in any process.
    let edges: Vec<_> = graph
        .edge_ids()
        .filter(|&eid| {
            graph
                .edge(eid)
                .is_some_and(|e| e.rel_type != "MENTIONED_IN")
        })
        .collect();
    for eid in edges {
        let (Some(edge), Some((a, b))) = (graph.edge(eid), graph.endpoints(eid)) else {
            continue;
        };
        let (Some(from), Some(to)) = (ids.get(&a), ids.get(&b)) else {
            continue;
        };
        let mut rel_id = format!("{from}-{}->{to}@{doc_id}", edge.rel_type);
        if let Some(p) = edge.sources.first() {
            let _ = write!(rel_id, ":{}:{}-{}", p.sentence, p.start, p.end);
        }
        let labels = |n: NodeId| graph.node(n).map(|x| x.labels.clone()).unwrap_or_default();
        let mut obj = Map::new();
        obj.insert("type".into(), json!("relationship"));
        obj.insert("id".into(), json!(rel_id));
        obj.insert("label".into(), json!(edge.rel_type));
        obj.insert("start".into(), json!({"id": from, "labels": labels(a)}));
        obj.insert("end".into(), json!({"id": to, "labels": labels(b)}));
        obj.insert("properties".into(), props_json(&edge.props));
        if !edge.sources.is_empty() {
            obj.insert("provenance".into(), provenance_json(&edge.sources));
        }
        line(Json::Object(obj));
    }
    Ok(out)
}

/// Extracts every document line of `input` to `out`, one document at a
/// time; refused lines go to `on_bad` (and the others go on). Blank lines
/// are skipped.
pub fn extract_stream(
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    options: &ExtractOptions,
    on_bad: &mut dyn FnMut(&BadLine) -> io::Result<()>,
) -> io::Result<StreamSummary> {
    let mut summary = StreamSummary::default();
    let mut buf = Vec::new();
    let mut line_no = 0u64;
    loop {
        buf.clear();
        if input.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        line_no += 1;
        let mut bad = |document: Option<String>, error: String| {
            on_bad(&BadLine {
                line: line_no,
                document,
                error,
            })
        };
        let Ok(text) = std::str::from_utf8(&buf) else {
            summary.bad_lines += 1;
            bad(None, "the line is not UTF-8".into())?;
            continue;
        };
        let text = text.trim_end_matches(['\n', '\r']);
        if text.trim().is_empty() {
            continue;
        }
        let doc = match parse_document_line(text) {
            Ok(d) => d,
            Err((document, error)) => {
                summary.bad_lines += 1;
                bad(document, error)?;
                continue;
            }
        };
        match document_facts(&doc, options) {
            Ok(facts) => {
                summary.documents += 1;
                summary.text_bytes += doc.text.len() as u64;
                summary.lines_out += facts.matches('\n').count() as u64;
                out.write_all(facts.as_bytes())?;
            }
            Err(e) => {
                summary.bad_lines += 1;
                bad(Some(doc.id), e.to_string())?;
            }
        }
    }
    out.flush()?;
    Ok(summary)
}
