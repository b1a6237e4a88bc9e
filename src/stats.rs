//! Summaries of a graph for people: counts per label and relationship type.

use std::fmt::Write;

use crate::store::Graph;

/// A plain-text report of node and relationship counts.
pub fn report(graph: &Graph) -> String {
    let mut out = String::new();
    let labels = graph.label_counts();
    let types = graph.type_counts();
    let width = labels
        .keys()
        .chain(types.keys())
        .map(|k| k.len() + 1)
        .max()
        .unwrap_or(0)
        .max(14);
    let _ = writeln!(
        out,
        "{} nodes, {} relationships, {} documents",
        graph.node_count(),
        graph.edge_count(),
        graph.documents().count()
    );
    let _ = writeln!(out, "\nNodes by label");
    for (label, n) in &labels {
        let _ = writeln!(out, "  {:<width$} {n:>7}", format!(":{label}"));
    }
    let _ = writeln!(out, "\nRelationships by type");
    for (t, n) in &types {
        let _ = writeln!(out, "  {:<width$} {n:>7}", format!(":{t}"));
    }
    out
}
