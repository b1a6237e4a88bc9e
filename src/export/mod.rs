//! Exporting a subgraph for the tools people already use: Graphviz (DOT),
//! networkx and D3 (JSON node-link), Gephi, yEd and networkx (GraphML),
//! factgraph, Neo4j and Kuzu (a Cypher script) and `neo4j-admin database
//! import` (two CSV files).
//!
//! A [`Subgraph`] names what to export: the nodes and relationships bound in
//! a query result ([`Subgraph::from_rows`]), optionally grown by a number of
//! hops ([`Subgraph::expand`]), or the whole graph ([`Subgraph::whole`]).
//! [`write()`] turns it into one file; CSV needs two, so it has
//! [`write_csv_files`] (and [`write_to_path`] picks the right one).
//!
//! Every writer is deterministic: nodes in id order, relationships in id
//! order, properties by name, so the same subgraph always gives the same bytes.
//! Element ids in every format are the store's (`n42`, `r7`), so the files
//! of one graph agree with each other and with `id()` in queries.
//!
//! What each format keeps:
//!
//! | format | labels | properties | provenance | ids |
//! |---|---|---|---|---|
//! | DOT | caption, colour, legend | tooltips | no | `"n42"` |
//! | JSON | `labels` | typed JSON (dates as text) | array of sources with quoted text | `"n42"`, edge `key` `"r7"` |
//! | GraphML | `labels` `:A:B`, `label` caption | typed keys; lists, dates as text | JSON text | `n42`, `r7` |
//! | Cypher | yes | yes (see [`CypherDialect`]) | no | matched by `key` |
//! | CSV | `:LABEL` | typed columns | no | `id:ID` |

mod admin_csv;
mod common;
mod cypher;
mod dot;
mod graphml;
mod json;
mod subgraph;

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::store::{Graph, NodeId};

pub(crate) use admin_csv::provenance_field;
pub use admin_csv::{csv_file_paths, write_csv, write_csv_files};
pub use common::caption;
pub use cypher::{write_cypher, CypherDialect};
pub use subgraph::Subgraph;

/// A file format a subgraph can be exported to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, clap::ValueEnum)]
pub enum ExportFormat {
    /// Graphviz DOT (`dot -Tsvg`): coloured by label, with a legend.
    Dot,
    /// networkx / D3 node-link JSON.
    Json,
    /// GraphML (Gephi, yEd, networkx, igraph).
    #[value(name = "graphml")]
    GraphMl,
    /// A Cypher script that recreates the subgraph (factgraph, Neo4j).
    Cypher,
    /// neo4j-admin import CSV: a nodes file and a relationships file.
    Csv,
    /// JSON lines: documents, then nodes, then relationships, one object per
    /// line, in the shape `factgraph import` reads back.
    Jsonl,
}

impl ExportFormat {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [ExportFormat; 6] = [
        ExportFormat::Dot,
        ExportFormat::Json,
        ExportFormat::GraphMl,
        ExportFormat::Cypher,
        ExportFormat::Csv,
        ExportFormat::Jsonl,
    ];

    /// The name used on command lines: `dot`, `json`, `graphml`, `cypher`, `csv`, `jsonl`.
    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::Dot => "dot",
            ExportFormat::Json => "json",
            ExportFormat::GraphMl => "graphml",
            ExportFormat::Cypher => "cypher",
            ExportFormat::Csv => "csv",
            ExportFormat::Jsonl => "jsonl",
        }
    }

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        self.name()
    }

    /// Whether the format needs more than one file (only CSV: nodes and relationships).
    pub fn is_multi_file(self) -> bool {
        self == ExportFormat::Csv
    }

    /// The format a file name suggests (`.dot`/`.gv`, `.json`, `.graphml`,
    /// `.cypher`/`.cyp`/`.cql`, `.csv`, `.jsonl`/`.ndjson`), if any.
    pub fn from_path(path: &Path) -> Option<ExportFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "dot" | "gv" => ExportFormat::Dot,
            "json" => ExportFormat::Json,
            "graphml" => ExportFormat::GraphMl,
            "cypher" | "cyp" | "cql" => ExportFormat::Cypher,
            "csv" => ExportFormat::Csv,
            "jsonl" | "ndjson" => ExportFormat::Jsonl,
            _ => return None,
        })
    }
}

impl fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ExportFormat {
    type Err = ExportError;

    /// Reads `dot`, `json`, `graphml`, `cypher`, `csv` or `jsonl`, in any case.
    fn from_str(s: &str) -> Result<ExportFormat, ExportError> {
        let lower = s.trim().to_ascii_lowercase();
        ExportFormat::ALL
            .into_iter()
            .find(|f| f.name() == lower)
            .ok_or_else(|| ExportError::UnknownFormat(s.to_string()))
    }
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Writing the output failed.
    #[error("cannot write the export: {0}")]
    Io(#[from] std::io::Error),
    /// The CSV writer failed (usually an I/O error underneath).
    #[error("cannot write CSV: {0}")]
    Csv(#[from] csv::Error),
    /// The JSON writer failed (usually an I/O error underneath).
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// A format name that is not one of ours.
    #[error("unknown export format {0:?} (expected dot, json, graphml, cypher, csv or jsonl)")]
    UnknownFormat(String),
    /// [`write()`] was asked for CSV, which is two files.
    #[error(
        "CSV export writes two files (nodes and relationships); give a directory or file prefix"
    )]
    NeedsTwoFiles,
    /// A Cypher script must find each node again to attach its relationships:
    /// by its `key`, or else by its labels and all its properties, which two
    /// nodes here share.
    #[error(
        "nodes {first} and {second} have no key and the same labels and properties, \
         so a Cypher script cannot tell them apart; give them a key"
    )]
    IndistinguishableNodes {
        /// The first of the two nodes.
        first: NodeId,
        /// The second.
        second: NodeId,
    },
    /// neo4j-admin splits array columns on `;`, so a list item holding one would come back as two.
    #[error(
        "item {item:?} of list property {key:?} on {element} contains ';', \
         which neo4j-admin import uses to split arrays"
    )]
    ArrayDelimiter {
        /// `n42` or `r7`.
        element: String,
        /// The property name.
        key: String,
        /// The offending item.
        item: String,
    },
}

impl ExportError {
    /// A stable code, in the style of the query errors (`Export.Io`, ...).
    pub fn code(&self) -> &'static str {
        match self {
            ExportError::Io(_) | ExportError::Csv(_) | ExportError::Json(_) => "Export.Io",
            ExportError::UnknownFormat(_) => "Export.UnknownFormat",
            ExportError::NeedsTwoFiles => "Export.NeedsTwoFiles",
            ExportError::IndistinguishableNodes { .. } => "Export.IndistinguishableNodes",
            ExportError::ArrayDelimiter { .. } => "Export.ArrayDelimiter",
        }
    }

    /// Whether the user can fix it (everything but an I/O failure).
    pub fn is_user_error(&self) -> bool {
        !matches!(
            self,
            ExportError::Io(_) | ExportError::Csv(_) | ExportError::Json(_)
        )
    }
}

/// Writes `sub` in `format` to `out`.
///
/// CSV is two files and fails here with [`ExportError::NeedsTwoFiles`]: use
/// [`write_csv_files`] or [`write_csv`]. Cypher is written in the
/// [`CypherDialect::OpenCypher`] dialect; use [`write_cypher`] for Kuzu.
pub fn write(
    graph: &Graph,
    sub: &Subgraph,
    format: ExportFormat,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    match format {
        ExportFormat::Dot => dot::write_dot(graph, sub, out),
        ExportFormat::Json => json::write_json(graph, sub, out),
        ExportFormat::GraphMl => graphml::write_graphml(graph, sub, out),
        ExportFormat::Cypher => write_cypher(graph, sub, CypherDialect::OpenCypher, out),
        ExportFormat::Csv => Err(ExportError::NeedsTwoFiles),
        // The importer owns its line format; exporting it keeps the two in step.
        ExportFormat::Jsonl => Ok(crate::import::write_jsonl(graph, sub, out)?),
    }
}

/// Writes `sub` in `format` to the file `path` (created or replaced), or, for
/// CSV, to the two files [`write_csv_files`] names from `path`. Returns the
/// files written.
pub fn write_to_path(
    graph: &Graph,
    sub: &Subgraph,
    format: ExportFormat,
    path: &Path,
) -> Result<Vec<PathBuf>, ExportError> {
    if format == ExportFormat::Csv {
        return write_csv_files(graph, sub, path);
    }
    let mut buf = Vec::new();
    write(graph, sub, format, &mut buf)?;
    std::fs::write(path, buf)?;
    Ok(vec![path.to_path_buf()])
}

/// Exports `sub` in `format` to a string (CSV fails: it is two files).
pub fn to_string(
    graph: &Graph,
    sub: &Subgraph,
    format: ExportFormat,
) -> Result<String, ExportError> {
    let mut buf = Vec::new();
    write(graph, sub, format, &mut buf)?;
    // Every writer emits UTF-8.
    Ok(String::from_utf8(buf)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}
