//! Built-in procedures for `CALL`: schema introspection.

use crate::store::Graph;

use super::error::{QResult, QueryError};
use super::value::Val;

/// A procedure's output.
pub struct ProcResult {
    /// Column names.
    pub columns: Vec<String>,
    /// Rows.
    pub rows: Vec<Vec<Val>>,
}

/// `(name, columns, description)` of every procedure.
pub const PROCEDURES: &[(&str, &[&str], &str)] = &[
    ("db.labels", &["label"], "the labels in use"),
    ("db.relationshiptypes", &["relationshipType"], "the relationship types in use"),
    ("db.propertykeys", &["propertyKey"], "the node property keys in use"),
    (
        "db.schema",
        &["kind", "name", "from", "to", "properties", "count", "description"],
        "every declared label and relationship type with its properties, endpoints and current count",
    ),
    ("db.documents", &["id", "title", "source", "date", "sentences"], "the source documents in the store"),
];

fn find(name: &str) -> QResult<&'static (&'static str, &'static [&'static str], &'static str)> {
    let lower = name.to_lowercase();
    PROCEDURES
        .iter()
        .find(|(n, _, _)| *n == lower)
        .ok_or_else(|| {
            let suggestion = crate::model::closest(&lower, PROCEDURES.iter().map(|(n, _, _)| *n))
                .map(|s| format!(" (did you mean {s}?)"))
                .unwrap_or_default();
            QueryError::semantic(
                "Semantic.UnknownProcedure",
                format!("unknown procedure {name}(){suggestion}"),
            )
        })
}

/// The columns a procedure yields.
pub fn columns(name: &str) -> QResult<Vec<String>> {
    Ok(find(name)?.1.iter().map(|c| c.to_string()).collect())
}

fn strings(items: impl IntoIterator<Item = String>) -> Val {
    Val::List(items.into_iter().map(Val::Str).collect())
}

/// Runs a procedure.
pub fn call(graph: &Graph, name: &str, args: &[Val]) -> QResult<ProcResult> {
    let (proc_name, cols, _) = find(name)?;
    if !args.is_empty() {
        return Err(QueryError::semantic(
            "Semantic.WrongArgumentCount",
            format!("{proc_name}() takes no arguments, got {}", args.len()),
        ));
    }
    let columns = cols.iter().map(|c| c.to_string()).collect();
    let rows = match *proc_name {
        "db.labels" => graph
            .label_counts()
            .into_keys()
            .map(|l| vec![Val::Str(l)])
            .collect(),
        "db.relationshiptypes" => graph
            .type_counts()
            .into_keys()
            .map(|t| vec![Val::Str(t)])
            .collect(),
        "db.propertykeys" => graph
            .node_property_keys()
            .into_iter()
            .map(|k| vec![Val::Str(k)])
            .collect(),
        "db.documents" => graph
            .documents()
            .map(|d| {
                vec![
                    Val::Str(d.id.clone()),
                    Val::Str(d.title.clone()),
                    d.source.clone().map_or(Val::Null, Val::Str),
                    d.date.map_or(Val::Null, Val::Date),
                    Val::Int(d.sentences.len() as i64),
                ]
            })
            .collect(),
        _ => schema_rows(graph),
    };
    Ok(ProcResult { columns, rows })
}

fn schema_rows(graph: &Graph) -> Vec<Vec<Val>> {
    let schema = graph.schema();
    let label_counts = graph.label_counts();
    let type_counts = graph.type_counts();
    let mut rows = Vec::new();
    if schema.open {
        for (l, n) in &label_counts {
            rows.push(vec![
                Val::Str("node".into()),
                Val::Str(l.clone()),
                Val::Null,
                Val::Null,
                Val::List(Vec::new()),
                Val::Int(*n as i64),
                Val::Null,
            ]);
        }
        for (t, n) in &type_counts {
            rows.push(vec![
                Val::Str("relationship".into()),
                Val::Str(t.clone()),
                Val::Null,
                Val::Null,
                Val::List(Vec::new()),
                Val::Int(*n as i64),
                Val::Null,
            ]);
        }
        return rows;
    }
    let props = |p: &std::collections::BTreeMap<String, crate::model::PropDef>| {
        strings(
            p.iter()
                .map(|(k, d)| format!("{k}: {}{}", d.ty, if d.required { "!" } else { "" })),
        )
    };
    for (name, def) in &schema.labels {
        rows.push(vec![
            Val::Str("node".into()),
            Val::Str(name.clone()),
            Val::Null,
            Val::Null,
            props(&def.properties),
            Val::Int(label_counts.get(name).copied().unwrap_or(0) as i64),
            Val::Str(def.description.clone()),
        ]);
    }
    for (name, def) in &schema.rel_types {
        rows.push(vec![
            Val::Str("relationship".into()),
            Val::Str(name.clone()),
            strings(def.from.iter().cloned()),
            strings(def.to.iter().cloned()),
            props(&def.properties),
            Val::Int(type_counts.get(name).copied().unwrap_or(0) as i64),
            Val::Str(def.description.clone()),
        ]);
    }
    rows
}
