//! Writes a graph as one set of files that `factgraph import`, Kuzu's
//! `COPY FROM` and a few lines of Python (networkx) all read, so the
//! benchmark suite loads the very same bytes into every engine.
//!
//! Layout of the output folder:
//!
//! - `nodes/<Label>.csv`: one file per label, header `key:ID(<Label>)`, then
//!   one column per property the schema declares for the label (`name:string`,
//!   `points:long`, `aliases:string[]`, ...), then `provenance:string`. The
//!   node's `key` is its id, so it is unique across labels too.
//! - `relationships/<TYPE>__<From>__<To>.csv`: one file per relationship
//!   type and endpoint-label pair (Kuzu copies a multi-pair relationship
//!   table one pair at a time), header `:START_ID(<From>)`, `:END_ID(<To>)`,
//!   the type's declared properties, `provenance:string`.
//! - `documents.jsonl`: the source documents the provenance cites, as
//!   `factgraph import` reads them.
//! - `manifest.json`: files, labels, types, columns, row counts and the
//!   `factgraph import` arguments (paths relative to the folder).
//!
//! Columns follow the schema's declaration order, so a reader can create
//! its tables before reading a row. Rows are streamed to disk: the graph is
//! the only copy of the data in memory.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::export::provenance_field;
use crate::import::write_jsonl;
use crate::model::{PropDef, PropType, Provenance, Schema, Value, KEY_PROPERTY};
use crate::store::{DocumentRecord, Graph};

/// Splits array values in the written CSV, as in neo4j-admin and `factgraph import`.
pub const ARRAY_DELIMITER: char = ';';

/// What [`write_files`] writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FilesFormat {
    /// CSV per label and per relationship type and endpoint pair (all three engines read it).
    Csv,
    /// One JSON lines file, `graph.jsonl` (only `factgraph import` reads it).
    Jsonl,
}

/// Why the files could not be written.
#[derive(Debug, thiserror::Error)]
pub enum FilesError {
    /// Reading or writing a file failed.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A node must have exactly one label to go into one table.
    #[error("node {key:?} has labels {labels:?}; the files hold nodes of exactly one label")]
    Labels {
        /// The node's key, or its id when it has none.
        key: String,
        /// Its labels.
        labels: Vec<String>,
    },
    /// Nodes are identified by their `key` property.
    #[error("node {id} has no string `key` property to identify it")]
    MissingKey {
        /// The node id.
        id: String,
    },
    /// The columns come from the schema, so every property must be declared.
    #[error("property {property:?} of {owner} is not declared in the schema")]
    Undeclared {
        /// The label or relationship type.
        owner: String,
        /// The property.
        property: String,
    },
    /// Only the value kinds the CSV readers share can be written.
    #[error("property {property:?} of {owner} holds {value}, which the files cannot carry")]
    Unsupported {
        /// The label or relationship type.
        owner: String,
        /// The property.
        property: String,
        /// The value, debug-printed.
        value: String,
    },
}

/// One column of a CSV file, as the manifest lists it.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Column {
    /// The property name.
    pub name: String,
    /// The neo4j-admin type in the header: `string`, `long`, `double`,
    /// `boolean`, `date`, or one of them with `[]`.
    #[serde(rename = "type")]
    pub ty: String,
}

/// One node file.
#[derive(Clone, Debug, Serialize)]
pub struct NodeFile {
    /// Its label.
    pub label: String,
    /// The path, relative to the output folder.
    pub file: String,
    /// Data rows.
    pub rows: u64,
    /// The property columns after the id column `key`, in file order
    /// (provenance last).
    pub columns: Vec<Column>,
}

/// One relationship file.
#[derive(Clone, Debug, Serialize)]
pub struct RelFile {
    /// The relationship type.
    #[serde(rename = "type")]
    pub rel_type: String,
    /// The label of every start node.
    pub from: String,
    /// The label of every end node.
    pub to: String,
    /// The path, relative to the output folder.
    pub file: String,
    /// Data rows.
    pub rows: u64,
    /// The property columns after the two endpoint columns, in file order.
    pub columns: Vec<Column>,
}

/// What was written: `manifest.json` holds this.
#[derive(Clone, Debug, Serialize)]
pub struct Manifest {
    /// `csv` or `jsonl`.
    pub format: String,
    /// Total nodes.
    pub nodes: u64,
    /// Total relationships.
    pub relationships: u64,
    /// Nodes per label.
    pub labels: std::collections::BTreeMap<String, u64>,
    /// Relationships per type.
    pub types: std::collections::BTreeMap<String, u64>,
    /// The documents file (JSON lines), relative to the folder.
    pub documents: String,
    /// Node files in label order.
    pub node_files: Vec<NodeFile>,
    /// Relationship files in (type, from, to) order.
    pub relationship_files: Vec<RelFile>,
    /// The arguments after `factgraph import --db STORE`, run from the output folder.
    pub import_args: Vec<String>,
    /// The generator's settings, when the graph was generated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generator: Option<serde_json::Value>,
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> FilesError + '_ {
    move |source| FilesError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn csv_error(path: &Path) -> impl FnOnce(csv::Error) -> FilesError + '_ {
    move |e| FilesError::Io {
        path: path.to_path_buf(),
        source: e.into(),
    }
}

fn type_name(ty: &PropType) -> Option<String> {
    Some(match ty {
        PropType::Bool => "boolean".into(),
        PropType::Int => "long".into(),
        PropType::Float => "double".into(),
        PropType::String | PropType::Any => "string".into(),
        PropType::Date => "date".into(),
        PropType::List(inner) if !matches!(**inner, PropType::List(_)) => {
            format!("{}[]", type_name(inner)?)
        }
        _ => return None,
    })
}

/// The property columns for a declared set of properties: schema order
/// (which is by name), `skip` left out, provenance last.
fn columns<'a>(
    declared: impl Iterator<Item = (&'a String, &'a PropDef)>,
    skip: &str,
) -> Vec<Column> {
    let mut out: Vec<Column> = declared
        .filter(|(name, _)| name.as_str() != skip && name.as_str() != "provenance")
        .filter_map(|(name, def)| {
            type_name(&def.ty).map(|ty| Column {
                name: name.clone(),
                ty,
            })
        })
        .collect();
    out.push(Column {
        name: "provenance".into(),
        ty: "string".into(),
    });
    out
}

fn header(id_columns: Vec<String>, cols: &[Column]) -> Vec<String> {
    id_columns
        .into_iter()
        .chain(cols.iter().map(|c| format!("{}:{}", c.name, c.ty)))
        .collect()
}

fn field(owner: &str, property: &str, value: &Value) -> Result<String, FilesError> {
    let unsupported = || FilesError::Unsupported {
        owner: owner.to_string(),
        property: property.to_string(),
        value: format!("{value:?}"),
    };
    Ok(match value {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(x) if x.is_finite() => format!("{x:?}"),
        // An empty string would read back as no property in every reader.
        Value::String(s) if !s.is_empty() => s.clone(),
        Value::Date(d) => d.to_string(),
        Value::List(items) => {
            let mut parts = Vec::with_capacity(items.len());
            for item in items {
                let text = match item {
                    Value::List(_) => return Err(unsupported()),
                    other => field(owner, property, other)?,
                };
                if text.contains(ARRAY_DELIMITER) || text.is_empty() {
                    return Err(unsupported());
                }
                parts.push(text);
            }
            if parts.is_empty() {
                return Err(unsupported());
            }
            parts.join(&ARRAY_DELIMITER.to_string())
        }
        _ => return Err(unsupported()),
    })
}

/// One row: the id fields, then each column's value (provenance last).
fn row(
    owner: &str,
    ids: &[&str],
    cols: &[Column],
    props: &crate::model::Props,
    sources: &[Provenance],
    skip: &str,
    out: &mut Vec<String>,
) -> Result<(), FilesError> {
    out.clear();
    out.extend(ids.iter().map(|s| s.to_string()));
    for c in &cols[..cols.len() - 1] {
        out.push(match props.get(&c.name) {
            Some(v) => field(owner, &c.name, v)?,
            None => String::new(),
        });
    }
    out.push(provenance_field(sources));
    if let Some(name) = props
        .keys()
        .find(|k| k.as_str() != skip && !cols.iter().any(|c| &c.name == *k))
    {
        return Err(FilesError::Undeclared {
            owner: owner.to_string(),
            property: name.clone(),
        });
    }
    Ok(())
}

fn document_line(d: &DocumentRecord) -> serde_json::Value {
    serde_json::json!({
        "type": "document",
        "id": d.id,
        "title": d.title,
        "source": d.source,
        "date": d.date.map(|x| x.to_string()),
        "text": d.text,
        "sentences": d.sentences,
    })
}

fn create(path: &Path) -> Result<BufWriter<File>, FilesError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io_error(parent))?;
    }
    Ok(BufWriter::with_capacity(
        1 << 16,
        File::create(path).map_err(io_error(path))?,
    ))
}

fn csv_writer(path: &Path) -> Result<csv::Writer<BufWriter<File>>, FilesError> {
    Ok(csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(create(path)?))
}

fn label_of(graph: &Graph, id: crate::store::NodeId) -> Result<&str, FilesError> {
    let node = graph
        .node(id)
        .ok_or_else(|| FilesError::MissingKey { id: id.to_string() })?;
    match node.labels.as_slice() {
        [one] => Ok(one),
        labels => Err(FilesError::Labels {
            key: match node.props.get(KEY_PROPERTY) {
                Some(Value::String(k)) => k.clone(),
                _ => id.to_string(),
            },
            labels: labels.to_vec(),
        }),
    }
}

fn key_of(graph: &Graph, id: crate::store::NodeId) -> Result<&str, FilesError> {
    match graph.node(id).and_then(|n| n.props.get(KEY_PROPERTY)) {
        Some(Value::String(k)) if !k.is_empty() => Ok(k),
        _ => Err(FilesError::MissingKey { id: id.to_string() }),
    }
}

/// Writes `graph` into the folder `dir` (created if missing) in `format`,
/// and `manifest.json` beside the data. `generator` goes into the manifest
/// as it is.
pub fn write_files(
    graph: &Graph,
    dir: &Path,
    format: FilesFormat,
    generator: Option<serde_json::Value>,
) -> Result<Manifest, FilesError> {
    std::fs::create_dir_all(dir).map_err(io_error(dir))?;
    let mut manifest = match format {
        FilesFormat::Csv => write_csv(graph, dir)?,
        FilesFormat::Jsonl => write_one_jsonl(graph, dir)?,
    };
    manifest.labels = graph
        .label_counts()
        .into_iter()
        .map(|(k, v)| (k, v as u64))
        .collect();
    manifest.types = graph
        .type_counts()
        .into_iter()
        .map(|(k, v)| (k, v as u64))
        .collect();
    manifest.nodes = graph.node_count() as u64;
    manifest.relationships = graph.edge_count() as u64;
    manifest.generator = generator;
    let path = dir.join("manifest.json");
    let mut out = create(&path)?;
    serde_json::to_writer_pretty(&mut out, &manifest).map_err(|e| io_error(&path)(e.into()))?;
    out.write_all(b"\n").map_err(io_error(&path))?;
    out.flush().map_err(io_error(&path))?;
    Ok(manifest)
}

fn empty_manifest(format: &str, documents: &str) -> Manifest {
    Manifest {
        format: format.into(),
        nodes: 0,
        relationships: 0,
        labels: Default::default(),
        types: Default::default(),
        documents: documents.into(),
        node_files: Vec::new(),
        relationship_files: Vec::new(),
        import_args: Vec::new(),
        generator: None,
    }
}

fn write_one_jsonl(graph: &Graph, dir: &Path) -> Result<Manifest, FilesError> {
    let path = dir.join("graph.jsonl");
    let mut out = create(&path)?;
    write_jsonl(graph, &crate::export::Subgraph::whole(graph), &mut out)
        .and_then(|_| out.flush())
        .map_err(io_error(&path))?;
    let mut m = empty_manifest("jsonl", "graph.jsonl");
    m.import_args = vec!["--nodes".into(), "graph.jsonl".into()];
    Ok(m)
}

fn write_csv(graph: &Graph, dir: &Path) -> Result<Manifest, FilesError> {
    let schema: &Schema = graph.schema();
    let mut m = empty_manifest("csv", "documents.jsonl");

    let docs_path = dir.join(&m.documents);
    let mut docs = create(&docs_path)?;
    for d in graph.documents() {
        serde_json::to_writer(&mut docs, &document_line(d))
            .map_err(|e| io_error(&docs_path)(e.into()))?;
        docs.write_all(b"\n").map_err(io_error(&docs_path))?;
    }
    docs.flush().map_err(io_error(&docs_path))?;
    m.import_args
        .extend(["--nodes".into(), m.documents.clone()]);

    let mut fields: Vec<String> = Vec::new();
    for label in graph.label_counts().into_keys() {
        let declared = schema.labels.get(&label).map(|l| &l.properties);
        let cols = columns(declared.into_iter().flatten(), KEY_PROPERTY);
        let file = format!("nodes/{label}.csv");
        let path = dir.join(&file);
        let mut w = csv_writer(&path)?;
        let id_column = format!("{KEY_PROPERTY}:ID({label})");
        w.write_record(header(vec![id_column], &cols))
            .map_err(csv_error(&path))?;
        let mut rows = 0;
        for id in graph.nodes_with_label(&label) {
            label_of(graph, id)?;
            let key = key_of(graph, id)?;
            let Some(node) = graph.node(id) else { continue };
            row(
                &label,
                &[key],
                &cols,
                &node.props,
                &node.sources,
                KEY_PROPERTY,
                &mut fields,
            )?;
            w.write_record(&fields).map_err(csv_error(&path))?;
            rows += 1;
        }
        w.flush().map_err(io_error(&path))?;
        m.import_args.push(format!("--nodes={label}={file}"));
        m.node_files.push(NodeFile {
            label,
            file,
            rows,
            columns: cols,
        });
    }

    struct Open<'g> {
        rel_type: &'g str,
        from: &'g str,
        to: &'g str,
        file: String,
        path: PathBuf,
        writer: csv::Writer<BufWriter<File>>,
        cols: Vec<Column>,
        rows: u64,
    }
    let mut open: Vec<Open> = Vec::new();
    let mut by_triple: HashMap<(&str, &str, &str), usize> = HashMap::new();
    for id in graph.edge_ids() {
        let (Some(edge), Some((a, b))) = (graph.edge(id), graph.endpoints(id)) else {
            continue;
        };
        let (from, to) = (label_of(graph, a)?, label_of(graph, b)?);
        let triple = (edge.rel_type.as_str(), from, to);
        let slot = match by_triple.get(&triple) {
            Some(&slot) => slot,
            None => {
                let declared = schema.rel_types.get(&edge.rel_type).map(|t| &t.properties);
                let cols = columns(declared.into_iter().flatten(), "");
                let file = format!("relationships/{}__{from}__{to}.csv", edge.rel_type);
                let path = dir.join(&file);
                let mut writer = csv_writer(&path)?;
                let ids = vec![format!(":START_ID({from})"), format!(":END_ID({to})")];
                writer
                    .write_record(header(ids, &cols))
                    .map_err(csv_error(&path))?;
                open.push(Open {
                    rel_type: triple.0,
                    from,
                    to,
                    file,
                    path,
                    writer,
                    cols,
                    rows: 0,
                });
                by_triple.insert(triple, open.len() - 1);
                open.len() - 1
            }
        };
        let f = &mut open[slot];
        let ids = [key_of(graph, a)?, key_of(graph, b)?];
        row(
            f.rel_type,
            &ids,
            &f.cols,
            &edge.props,
            &edge.sources,
            "",
            &mut fields,
        )?;
        f.writer.write_record(&fields).map_err(csv_error(&f.path))?;
        f.rows += 1;
    }
    open.sort_by(|x, y| (x.rel_type, x.from, x.to).cmp(&(y.rel_type, y.from, y.to)));
    for mut f in open {
        f.writer.flush().map_err(io_error(&f.path))?;
        m.import_args
            .push(format!("--relationships={}={}", f.rel_type, f.file));
        m.relationship_files.push(RelFile {
            rel_type: f.rel_type.to_string(),
            from: f.from.to_string(),
            to: f.to.to_string(),
            file: f.file,
            rows: f.rows,
            columns: f.cols,
        });
    }
    Ok(m)
}
