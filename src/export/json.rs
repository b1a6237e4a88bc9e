//! networkx / D3 node-link JSON.
//!
//! ```json
//! {"directed": true, "multigraph": true,
//!  "graph": {"name": "factgraph", "documents": [...]},
//!  "nodes": [{"id": "n1", "labels": ["Person"], "label": "Donald Trump",
//!             "properties": {...}, "provenance": [...]}],
//!  "edges": [{"source": "n1", "target": "n2", "key": "r5", "type": "HOLDS",
//!             "properties": {...}, "provenance": [...]}],
//!  "links": [... the same objects as "edges" ...]}
//! ```
//!
//! **`edges` and `links`.** networkx called the relationship list `links`
//! until 3.6, whose `node_link_graph` reads `edges` by default (3.4 and 3.5
//! take `edges="edges"`); D3's `forceLink` examples, and networkx before 3.4,
//! use `links`. The file carries both lists, with the same objects, so
//! `json_graph.node_link_graph(data, edges="edges")`, `edges="links"`, every
//! networkx default and `d3.forceLink(data.links).id(d => d.id)` all read it
//! without conversion. networkx ignores the list it is not asked for.
//!
//! Ids are strings (`n42`, `r7`); the relationship id is the multigraph `key`,
//! so two relationships between the same nodes stay two. Property values are
//! typed JSON; dates are text at their precision (`"2022-02"`); non-finite
//! floats are the text `NaN`, `Infinity`, `-Infinity`. Each source in
//! `provenance` has `document`, `sentence` (from 1), `start`, `end` (characters,
//! end exclusive), `method` and the quoted `text`.

use std::collections::BTreeSet;
use std::io::Write;

use serde_json::{json, Value as Json};

use super::common::{caption, props_json, provenance_json};
use super::{ExportError, Subgraph};
use crate::store::Graph;

pub(super) fn write_json(
    graph: &Graph,
    sub: &Subgraph,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    let nodes = sub.live_nodes(graph);
    let edges = sub.live_edges(graph);
    let mut documents: BTreeSet<&str> = BTreeSet::new();
    let node_list: Vec<Json> = nodes
        .iter()
        .map(|(id, n)| {
            documents.extend(n.sources.iter().map(|p| &*p.document));
            json!({
                "id": id.to_string(),
                "labels": n.labels,
                "label": caption(n, *id),
                "properties": props_json(&n.props),
                "provenance": provenance_json(graph, &n.sources),
            })
        })
        .collect();
    let edge_list: Vec<Json> = edges
        .iter()
        .map(|e| {
            documents.extend(e.edge.sources.iter().map(|p| &*p.document));
            json!({
                "source": e.from.to_string(),
                "target": e.to.to_string(),
                "key": e.id.to_string(),
                "type": e.edge.rel_type,
                "properties": props_json(&e.edge.props),
                "provenance": provenance_json(graph, &e.edge.sources),
            })
        })
        .collect();
    let docs: Vec<Json> = documents
        .iter()
        .map(|id| match graph.document(id) {
            Some(d) => json!({
                "id": d.id,
                "title": d.title,
                "source": d.source,
                "date": d.date.map(|x| x.to_string()),
            }),
            None => json!({"id": id}),
        })
        .collect();
    let doc = json!({
        "directed": true,
        "multigraph": true,
        "graph": {"name": "factgraph", "documents": docs},
        "nodes": node_list,
        "edges": edge_list,
        "links": edge_list,
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)?;
    Ok(())
}
