//! Writing the JSON lines shape the importer reads (see the module
//! documentation of [`crate::import`]).

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

use serde::Serialize;
use serde_json::Value as Json;

use crate::export::Subgraph;
use crate::model::Props;
use crate::model::Provenance;
use crate::store::{DocumentRecord, Graph, NodeId};

use super::values::value_json;

/// One source, fields in this order.
#[derive(Serialize)]
struct Source<'a> {
    document: &'a str,
    sentence: u32,
    start: u32,
    end: u32,
    method: &'a str,
}

fn sources(list: &[Provenance]) -> Vec<Source<'_>> {
    list.iter()
        .map(|p| Source {
            document: &p.document,
            sentence: p.sentence,
            start: p.start,
            end: p.end,
            method: &p.method,
        })
        .collect()
}

fn props(p: &Props) -> BTreeMap<&str, Json> {
    p.iter().map(|(k, v)| (k.as_str(), value_json(v))).collect()
}

#[derive(Serialize)]
struct DocumentLine<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: &'a str,
    title: &'a str,
    source: Option<&'a str>,
    date: Option<String>,
    text: &'a str,
    sentences: &'a [(u32, u32)],
}

#[derive(Serialize)]
struct NodeLine<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: String,
    labels: &'a [String],
    properties: BTreeMap<&'a str, Json>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    provenance: Vec<Source<'a>>,
}

#[derive(Serialize)]
struct Endpoint<'a> {
    id: String,
    labels: &'a [String],
}

#[derive(Serialize)]
struct RelationshipLine<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: String,
    label: &'a str,
    start: Endpoint<'a>,
    end: Endpoint<'a>,
    properties: BTreeMap<&'a str, Json>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    provenance: Vec<Source<'a>>,
}

fn line(out: &mut dyn Write, v: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer(&mut *out, v)?;
    out.write_all(b"\n")
}

fn document_line(d: &DocumentRecord) -> DocumentLine<'_> {
    DocumentLine {
        kind: "document",
        id: &d.id,
        title: &d.title,
        source: d.source.as_deref(),
        date: d.date.map(|x| x.to_string()),
        text: &d.text,
        sentences: &d.sentences,
    }
}

/// Writes a `document` line for every source document that an element of
/// `sub` cites, in id order: what a CSV export needs beside it for its
/// provenance column to import into a new store.
pub fn write_documents_jsonl(graph: &Graph, sub: &Subgraph, out: &mut dyn Write) -> io::Result<()> {
    let mut ids: BTreeSet<&str> = BTreeSet::new();
    for (_, n) in sub.live_nodes(graph) {
        ids.extend(n.sources.iter().map(|p| &*p.document));
    }
    for e in sub.live_edges(graph) {
        ids.extend(e.edge.sources.iter().map(|p| &*p.document));
    }
    for id in ids {
        if let Some(d) = graph.document(id) {
            line(out, &document_line(d))?;
        }
    }
    Ok(())
}

/// Writes `sub` as JSON lines: the documents its provenance cites, then
/// nodes and relationships in id order, in the shape [`crate::import`]
/// reads (APOC's `apoc.export.json` lines plus provenance). Ids are the
/// store's (`n42`); importing the file into a new store under the same
/// schema gives the same graph.
pub fn write_jsonl(graph: &Graph, sub: &Subgraph, out: &mut dyn Write) -> io::Result<()> {
    write_documents_jsonl(graph, sub, out)?;
    for (id, n) in sub.live_nodes(graph) {
        let l = NodeLine {
            kind: "node",
            id: id.to_string(),
            labels: &n.labels,
            properties: props(&n.props),
            provenance: sources(&n.sources),
        };
        line(out, &l)?;
    }
    let labels = |id: NodeId| -> &[String] { graph.node(id).map_or(&[], |n| &n.labels) };
    for e in sub.live_edges(graph) {
        let l = RelationshipLine {
            kind: "relationship",
            id: e.id.to_string(),
            label: &e.edge.rel_type,
            start: Endpoint {
                id: e.from.to_string(),
                labels: labels(e.from),
            },
            end: Endpoint {
                id: e.to.to_string(),
                labels: labels(e.to),
            },
            properties: props(&e.edge.props),
            provenance: sources(&e.edge.sources),
        };
        line(out, &l)?;
    }
    Ok(())
}
