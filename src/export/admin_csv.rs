//! CSV in the layout of `neo4j-admin database import full`.
//!
//! Two files. `nodes.csv`: `id:ID` (the factgraph id, `n42`, unique across
//! all labels, so one global id space), `:LABEL` (labels joined with `;`),
//! then a column per property named `name:type`. `relationships.csv`:
//! `:START_ID`, `:END_ID`, `:TYPE`, then a column per property. Types:
//! `boolean`, `long` (factgraph integers are 64-bit; neo4j's `int` is 32-bit),
//! `double`, `string`, `date`, and arrays of them (`string[]`, items joined
//! with `;`). A column whose values differ in kind is `string`, with lists as
//! JSON text. Import them with
//!
//! ```text
//! neo4j-admin database import full --nodes=nodes.csv --relationships=relationships.csv \
//!     --multiline-fields=true neo4j
//! ```
//!
//! (`--multiline-fields` because a text property may hold a line break; the
//! `csv` crate quotes such fields, and any holding `,` or `"`.)
//!
//! Provenance is carried by a last column, `provenance:string`, when an
//! exported element has any: a JSON array of
//! `{"document", "sentence", "start", "end", "method"}` objects, which
//! neo4j-admin imports as a string property and `factgraph import` reads back
//! as provenance (the documents it names travel separately, see
//! [`crate::import::write_documents_jsonl`]). It is left out when a property
//! is itself called `provenance`.
//!
//! What is lost in neo4j: the precision of partial dates (neo4j reads
//! `2022-02` as 2022-02-01); empty lists (neo4j imports an empty array as no
//! property), and in both neo4j and `factgraph import`, empty strings (an
//! empty unquoted field is no property). A list item containing `;` cannot be written, since neo4j-admin
//! would split it: export fails with [`ExportError::ArrayDelimiter`]. Named
//! `id:ID` stores the factgraph id as property `id` in Neo4j; when a node
//! property is itself called `id`, the column is the unnamed `:ID` instead.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::common::{columns, float_text, json_text, ColumnType};
use super::{ExportError, Subgraph};
use crate::model::{Provenance, Value};
use crate::store::Graph;

/// The header of the provenance column.
const PROVENANCE_COLUMN: &str = "provenance:string";

/// Sources as the provenance column holds them (compact JSON, fields in this order).
pub(crate) fn provenance_field(sources: &[Provenance]) -> String {
    #[derive(serde::Serialize)]
    struct Source<'a> {
        document: &'a str,
        sentence: u32,
        start: u32,
        end: u32,
        method: &'a str,
    }
    if sources.is_empty() {
        return String::new();
    }
    let list: Vec<Source> = sources
        .iter()
        .map(|p| Source {
            document: &p.document,
            sentence: p.sentence,
            start: p.start,
            end: p.end,
            method: &p.method,
        })
        .collect();
    serde_json::to_string(&list).unwrap_or_default()
}

/// The two files [`write_csv_files`] writes for `dir_or_prefix`: inside it
/// when it is an existing directory or ends with a path separator
/// (`out/` → `out/nodes.csv`, `out/relationships.csv`), otherwise next to it
/// with its file name as a prefix (`out/seed-` → `out/seed-nodes.csv`,
/// `out/seed-relationships.csv`). A trailing `.csv` is dropped from a
/// prefix (`seed.csv` → `seed.nodes.csv`, `seed.relationships.csv`).
pub fn csv_file_paths(dir_or_prefix: &Path) -> (PathBuf, PathBuf) {
    let text = dir_or_prefix.to_string_lossy();
    let is_dir =
        dir_or_prefix.is_dir() || text.ends_with('/') || text.ends_with(std::path::MAIN_SEPARATOR);
    if is_dir {
        return (
            dir_or_prefix.join("nodes.csv"),
            dir_or_prefix.join("relationships.csv"),
        );
    }
    let prefix = match text.strip_suffix(".csv") {
        Some(stem) => format!("{stem}."),
        None => text.into_owned(),
    };
    (
        PathBuf::from(format!("{prefix}nodes.csv")),
        PathBuf::from(format!("{prefix}relationships.csv")),
    )
}

/// Writes `<prefix>nodes.csv` and `<prefix>relationships.csv` (see
/// [`csv_file_paths`]) and returns their paths, nodes first. Nothing is
/// written when the subgraph cannot be expressed.
pub fn write_csv_files(
    graph: &Graph,
    sub: &Subgraph,
    dir_or_prefix: &Path,
) -> Result<Vec<PathBuf>, ExportError> {
    let (nodes_path, rels_path) = csv_file_paths(dir_or_prefix);
    let mut nodes = Vec::new();
    let mut rels = Vec::new();
    write_csv(graph, sub, &mut nodes, &mut rels)?;
    // A folder named with a trailing slash is created on demand.
    if let Some(dir) = nodes_path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&nodes_path, nodes)?;
    std::fs::write(&rels_path, rels)?;
    Ok(vec![nodes_path, rels_path])
}

/// Writes the nodes file to `nodes` and the relationships file to `rels`.
pub fn write_csv(
    graph: &Graph,
    sub: &Subgraph,
    nodes: &mut dyn Write,
    rels: &mut dyn Write,
) -> Result<(), ExportError> {
    let node_list = sub.live_nodes(graph);
    let edge_list = sub.live_edges(graph);

    let node_cols = columns(node_list.iter().map(|(_, n)| &n.props));
    let id_header = if node_cols.contains_key("id") {
        ":ID"
    } else {
        "id:ID"
    };
    let mut w = csv::Writer::from_writer(nodes);
    let mut header = vec![id_header.to_string(), ":LABEL".to_string()];
    header.extend(
        node_cols
            .iter()
            .map(|(k, t)| format!("{k}:{}", type_name(t))),
    );
    let node_provenance = !node_cols.contains_key("provenance")
        && node_list.iter().any(|(_, n)| !n.sources.is_empty());
    if node_provenance {
        header.push(PROVENANCE_COLUMN.to_string());
    }
    w.write_record(&header)?;
    for (id, node) in &node_list {
        let mut record = vec![id.to_string(), node.labels.join(";")];
        for (k, ty) in &node_cols {
            record.push(match node.props.get(k) {
                Some(v) => field(v, ty, &id.to_string(), k)?,
                None => String::new(),
            });
        }
        if node_provenance {
            record.push(provenance_field(&node.sources));
        }
        w.write_record(&record)?;
    }
    w.flush()?;

    let edge_cols = columns(edge_list.iter().map(|e| &e.edge.props));
    let mut w = csv::Writer::from_writer(rels);
    let mut header = vec![
        ":START_ID".to_string(),
        ":END_ID".to_string(),
        ":TYPE".to_string(),
    ];
    header.extend(
        edge_cols
            .iter()
            .map(|(k, t)| format!("{k}:{}", type_name(t))),
    );
    let edge_provenance = !edge_cols.contains_key("provenance")
        && edge_list.iter().any(|e| !e.edge.sources.is_empty());
    if edge_provenance {
        header.push(PROVENANCE_COLUMN.to_string());
    }
    w.write_record(&header)?;
    for e in &edge_list {
        let mut record = vec![
            e.from.to_string(),
            e.to.to_string(),
            e.edge.rel_type.clone(),
        ];
        for (k, ty) in &edge_cols {
            record.push(match e.edge.props.get(k) {
                Some(v) => field(v, ty, &e.id.to_string(), k)?,
                None => String::new(),
            });
        }
        if edge_provenance {
            record.push(provenance_field(&e.edge.sources));
        }
        w.write_record(&record)?;
    }
    w.flush()?;
    Ok(())
}

fn type_name(t: &ColumnType) -> String {
    match t {
        ColumnType::Bool => "boolean".into(),
        ColumnType::Int => "long".into(),
        ColumnType::Float => "double".into(),
        ColumnType::String | ColumnType::Mixed => "string".into(),
        ColumnType::Date => "date".into(),
        ColumnType::Temporal(name) => (*name).into(),
        ColumnType::List(Some(inner)) => format!("{}[]", type_name(inner)),
        ColumnType::List(None) => "string[]".into(),
    }
}

fn field(v: &Value, ty: &ColumnType, element: &str, key: &str) -> Result<String, ExportError> {
    Ok(match (ty, v) {
        (ColumnType::Mixed, Value::String(s)) => s.clone(),
        (ColumnType::Mixed, v) => scalar(v, &ColumnType::Mixed),
        (ColumnType::List(inner), Value::List(items)) => {
            let inner = inner.as_deref().unwrap_or(&ColumnType::String);
            let mut parts = Vec::with_capacity(items.len());
            for item in items {
                let text = scalar(item, inner);
                if text.contains(';') {
                    return Err(ExportError::ArrayDelimiter {
                        element: element.to_string(),
                        key: key.to_string(),
                        item: text,
                    });
                }
                parts.push(text);
            }
            parts.join(";")
        }
        (ty, v) => scalar(v, ty),
    })
}

/// One value as neo4j-admin reads it for a column of type `ty`.
fn scalar(v: &Value, ty: &ColumnType) -> String {
    match (ty, v) {
        (_, Value::Null) => String::new(),
        (_, Value::Bool(b)) => b.to_string(),
        (ColumnType::Float, Value::Int(i)) => float_text(*i as f64),
        (_, Value::Int(i)) => i.to_string(),
        (_, Value::Float(x)) => float_text(*x),
        (_, Value::String(s)) => s.clone(),
        (_, Value::Date(d)) => d.to_string(),
        (_, Value::Temporal(t)) => t.iso(),
        (_, Value::List(_)) => json_text(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_from_a_directory_or_a_prefix() {
        let (n, r) = csv_file_paths(Path::new("out/"));
        assert_eq!(
            (n.to_str(), r.to_str()),
            (Some("out/nodes.csv"), Some("out/relationships.csv"))
        );
        let (n, r) = csv_file_paths(Path::new("out/seed-"));
        assert_eq!(
            (n.to_str(), r.to_str()),
            (
                Some("out/seed-nodes.csv"),
                Some("out/seed-relationships.csv")
            )
        );
        let (n, _) = csv_file_paths(Path::new("seed.csv"));
        assert_eq!(n.to_str(), Some("seed.nodes.csv"));
    }
}
