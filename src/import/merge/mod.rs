//! Folding fact shards into one store: `factgraph import --merge`.
//!
//! The input is what `factgraph extract --jsonl` writes ([`crate::extract::jsonl`]):
//! per document, a `document` line then its `node` and `relationship`
//! lines, each document extracted alone. The merge resolves entities across
//! documents and builds the store. It is the reference for extracting a
//! corpus: `factgraph extract --jsonl --db g.fg < corpus.jsonl` (one process)
//! runs the very same merge, so any split of the corpus over processes, in
//! any order, gives the same store, element for element.
//!
//! The result depends on the set of documents only, never on their order:
//! - A document given twice with the same text counts once (a retried task);
//!   with another text it is an error.
//! - Entities known by name (`person:...` ids, see the extract module) merge
//!   when they have the same label and share a name or alias, after
//!   normalisation. People share only full names (a lone surname could be
//!   anyone's); a person named by one word ("Rubio") then merges with the
//!   one full-named person whose name fits it ("Marco Rubio": same surname or
//!   a spelling variant), and stays apart when several fit. Full names that
//!   are spelling variants of each other ("Volodymyr Zelensky",
//!   "Volodymyr Zelenskyy") merge too. Proposals, events and issues merge
//!   by their name only (one's name being another's name or alias).
//! - Entities that only make sense inside their document (ids with `@`)
//!   never merge across documents.
//! - Positions merge when they have the same stance, the same actors and
//!   the same targets, after the entities are merged.
//! - The merged node's name is the fullest (most words, then most mentions,
//!   then alphabetical); every other name becomes an alias. Other
//!   properties: when documents disagree, the value from the first
//!   document by id is kept and the disagreement is listed in
//!   [`MergeSummary::conflicts`], with the documents that state each value.
//! - Relationships with the same type and endpoints merge when their
//!   properties agree; a relationship whose properties are a subset of
//!   another's folds into it; disagreeing ones are kept side by side.
//!   `MENTIONED_IN` counts the mentions of the merged node in the document.
//! - Every source of every merged record is kept; every node points to each
//!   document that mentions it (`MENTIONED_IN {mentions}`, derived from the
//!   node's provenance there).
//!
//! Keys: the slug of the merged name (`marco_rubio`); a clash takes the
//! document id (document-bound entities) or a number.
//!
//! This module reads the shards into records and holds the merge's types;
//! [`resolve`] decides which records are one entity, and [`build`] makes the
//! store from them.

mod build;
mod resolve;

use std::collections::HashMap;
use std::io::{self, BufRead};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value as Json};

use crate::model::{Date, Provenance};
use crate::store::{DocumentRecord, Graph, StoreError};

use super::values::json_provenance;

use build::build;

/// Why a merge stopped (nothing is written then).
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// A line that is not a fact line.
    #[error("{file}:{line}: {reason}")]
    BadLine {
        /// The input.
        file: String,
        /// 1-based line.
        line: u64,
        /// Why.
        reason: String,
    },
    /// An input that cannot be read.
    #[error("{file}: {error}")]
    Io {
        /// The input.
        file: String,
        /// The OS error.
        error: io::Error,
    },
    /// The store refused a merged fact.
    #[error("cannot store a merged fact: {0}")]
    Store(#[from] StoreError),
}

/// What a merge did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MergeSummary {
    /// Documents merged.
    pub documents: usize,
    /// Documents given more than once with the same text (counted once).
    pub repeated_documents: usize,
    /// Node lines read (document nodes included).
    pub node_lines: usize,
    /// Relationship lines read.
    pub relationship_lines: usize,
    /// Nodes in the result.
    pub nodes: usize,
    /// Relationships in the result.
    pub relationships: usize,
    /// Property disagreements between documents, one line each.
    pub conflicts: Vec<String>,
}

impl std::fmt::Display for MergeSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "merged {} document(s): {} node line(s) and {} relationship line(s) into {} node(s) and {} relationship(s)",
            self.documents, self.node_lines, self.relationship_lines, self.nodes, self.relationships
        )?;
        if self.repeated_documents > 0 {
            writeln!(
                f,
                "{} repeated document(s) counted once",
                self.repeated_documents
            )?;
        }
        for c in &self.conflicts {
            writeln!(f, "conflict: {c}")?;
        }
        Ok(())
    }
}

/// How far a node reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Reach {
    Document,
    Global,
    Local,
    Position,
}

#[derive(Clone, Debug)]
struct NodeRec {
    doc: usize,
    reach: Reach,
    label: String,
    labels: Vec<String>,
    props: Map<String, Json>,
    sources: Vec<Provenance>,
}

#[derive(Clone, Debug)]
struct RelRec {
    doc: usize,
    from: usize,
    to: usize,
    rel_type: String,
    props: Map<String, Json>,
    sources: Vec<Provenance>,
}

#[derive(Clone, Debug)]
struct DocRec {
    record: DocumentRecord,
}

/// Collects fact lines from any number of shards.
#[derive(Default)]
pub struct Merger {
    docs: Vec<DocRec>,
    doc_index: HashMap<String, usize>,
    nodes: Vec<NodeRec>,
    rels: Vec<RelRec>,
    repeated: usize,
}

fn str_field<'a>(obj: &'a Map<String, Json>, field: &str) -> Option<&'a str> {
    obj.get(field).and_then(Json::as_str)
}

fn endpoint(v: Option<&Json>) -> Option<String> {
    match v? {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        Json::Object(o) => endpoint(o.get("id")),
        _ => None,
    }
}

impl Merger {
    /// An empty merge.
    pub fn new() -> Merger {
        Merger::default()
    }

    /// Reads the fact lines of one shard (`name` is for messages).
    pub fn read(&mut self, name: &str, input: &mut dyn BufRead) -> Result<(), MergeError> {
        // The document whose lines follow, with its node ids; None while
        // skipping a repeated document.
        let mut current: Option<(usize, HashMap<String, usize>)> = None;
        let mut skipping = false;
        let mut buf = Vec::new();
        let mut line_no = 0u64;
        loop {
            buf.clear();
            let n = input
                .read_until(b'\n', &mut buf)
                .map_err(|error| MergeError::Io {
                    file: name.to_string(),
                    error,
                })?;
            if n == 0 {
                break;
            }
            line_no += 1;
            let bad = |reason: String| MergeError::BadLine {
                file: name.to_string(),
                line: line_no,
                reason,
            };
            let text = std::str::from_utf8(&buf).map_err(|_| bad("not UTF-8".into()))?;
            if text.trim().is_empty() {
                continue;
            }
            let v: Json =
                serde_json::from_str(text).map_err(|e| bad(format!("invalid JSON: {e}")))?;
            let Json::Object(obj) = v else {
                return Err(bad("a fact line must be a JSON object".into()));
            };
            match str_field(&obj, "type") {
                Some("document") => {
                    let record = document_record(&obj).map_err(bad)?;
                    match self.doc_index.get(&record.id) {
                        Some(&i) if self.docs[i].record.text == record.text => {
                            self.repeated += 1;
                            skipping = true;
                            current = None;
                        }
                        Some(_) => {
                            return Err(bad(format!(
                                "document {:?} was given before with another text",
                                record.id
                            )))
                        }
                        None => {
                            let i = self.docs.len();
                            self.doc_index.insert(record.id.clone(), i);
                            self.docs.push(DocRec { record });
                            skipping = false;
                            current = Some((i, HashMap::new()));
                        }
                    }
                }
                Some(kind @ ("node" | "relationship")) => {
                    if skipping {
                        continue;
                    }
                    let Some((doc, ids)) = current.as_mut() else {
                        return Err(bad(format!(
                            "a {kind} line before any document line: merge reads what `factgraph extract --jsonl` writes"
                        )));
                    };
                    let props = match obj.get("properties") {
                        None | Some(Json::Null) => Map::new(),
                        Some(Json::Object(p)) => p.clone(),
                        Some(_) => return Err(bad("\"properties\" must be an object".into())),
                    };
                    let sources = match obj.get("provenance") {
                        None | Some(Json::Null) => Vec::new(),
                        Some(p) => json_provenance(p).map_err(bad)?,
                    };
                    if kind == "node" {
                        let id = endpoint(obj.get("id"))
                            .ok_or_else(|| bad("a node needs an \"id\"".into()))?;
                        let labels: Vec<String> = match obj.get("labels") {
                            Some(Json::Array(l)) => l
                                .iter()
                                .map(|x| x.as_str().map(str::to_string))
                                .collect::<Option<_>>()
                                .ok_or_else(|| bad("\"labels\" must be strings".into()))?,
                            _ => return Err(bad("a node needs \"labels\"".into())),
                        };
                        let Some(label) = labels.first().cloned() else {
                            return Err(bad("a node needs a label".into()));
                        };
                        let reach = if label == "Document" {
                            Reach::Document
                        } else if label == "Position" {
                            Reach::Position
                        } else if id.contains('@') {
                            Reach::Local
                        } else {
                            Reach::Global
                        };
                        if ids.insert(id.clone(), self.nodes.len()).is_some() {
                            return Err(bad(format!("node id {id:?} twice in one document")));
                        }
                        self.nodes.push(NodeRec {
                            doc: *doc,
                            reach,
                            label,
                            labels,
                            props,
                            sources,
                        });
                    } else {
                        let rel_type = str_field(&obj, "label")
                            .ok_or_else(|| bad("a relationship needs a \"label\"".into()))?
                            .to_string();
                        let end = |field: &str| {
                            let id = endpoint(obj.get(field))
                                .ok_or_else(|| bad(format!("a relationship needs \"{field}\"")))?;
                            ids.get(&id).copied().ok_or_else(|| {
                                bad(format!("\"{field}\" {id:?} is no node of this document"))
                            })
                        };
                        let (from, to) = (end("start")?, end("end")?);
                        self.rels.push(RelRec {
                            doc: *doc,
                            from,
                            to,
                            rel_type,
                            props,
                            sources,
                        });
                    }
                }
                other => {
                    return Err(bad(format!(
                        "unknown line type {other:?} (document, node or relationship)"
                    )))
                }
            }
        }
        Ok(())
    }

    /// Reads a shard file (`-` is stdin; gzip is read transparently).
    pub fn read_path(&mut self, path: &Path) -> Result<(), MergeError> {
        let name = path.display().to_string();
        if name == "-" {
            let stdin = io::stdin();
            return self.read(&name, &mut stdin.lock());
        }
        let mut input = super::source::open(path).map_err(|error| MergeError::Io {
            file: name.clone(),
            error,
        })?;
        self.read(&name, &mut input.reader)
    }

    /// Resolves entities across documents and builds the store (see the
    /// module docs).
    pub fn finish(self) -> Result<(Graph, MergeSummary), MergeError> {
        build(self)
    }
}

fn document_record(obj: &Map<String, Json>) -> Result<DocumentRecord, String> {
    let id = str_field(obj, "id").ok_or("a document needs a string \"id\"")?;
    let text = str_field(obj, "text").ok_or("a document needs a string \"text\"")?;
    let mut record = DocumentRecord::new(id, str_field(obj, "title").unwrap_or(id), text);
    record.source = str_field(obj, "source").map(str::to_string);
    record.date = str_field(obj, "date")
        .map(Date::parse)
        .transpose()
        .map_err(|e| format!("\"date\": {e}"))?;
    if let Some(Json::Array(spans)) = obj.get("sentences") {
        let parsed: Option<Vec<(u32, u32)>> = spans
            .iter()
            .map(|s| {
                let pair = s.as_array()?;
                Some((
                    u32::try_from(pair.first()?.as_u64()?).ok()?,
                    u32::try_from(pair.get(1)?.as_u64()?).ok()?,
                ))
            })
            .collect();
        record.sentences = parsed.ok_or("\"sentences\" must be [start, end] pairs")?;
    }
    Ok(record)
}

/// Merges fact files into a new store at `db` (`-` reads stdin); with
/// `force`, an existing store is replaced, else refused.
pub fn merge_files(
    files: &[PathBuf],
    db: &Path,
    force: bool,
) -> Result<MergeSummary, MergeFileError> {
    if db.exists() && !force {
        return Err(MergeFileError::StoreExists(db.to_path_buf()));
    }
    let mut merger = Merger::new();
    for f in files {
        merger.read_path(f)?;
    }
    let (graph, summary) = merger.finish()?;
    crate::store::codec::save(&graph, db).map_err(MergeFileError::Save)?;
    Ok(summary)
}

/// Why `import --merge` wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum MergeFileError {
    /// The merge failed.
    #[error(transparent)]
    Merge(#[from] MergeError),
    /// The store exists.
    #[error("{} already exists; add --force to replace it (a merge builds a new store)", .0.display())]
    StoreExists(PathBuf),
    /// The store could not be written.
    #[error(transparent)]
    Save(crate::store::SnapshotError),
}
