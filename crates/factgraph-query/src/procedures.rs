//! Built-in procedures for `CALL`: schema introspection.

use factgraph_store::Graph;

use super::error::{QResult, QueryError};
use super::value::Val;

/// A procedure's output.
pub struct ProcResult {
    /// Column names.
    pub columns: Vec<String>,
    /// Rows.
    pub rows: Vec<Vec<Val>>,
}

/// A procedure given by its signature and a fixed table of rows, supplied
/// by the caller of [`run_with`](super::run_with) (the openCypher TCK's
/// `there exists a procedure test.my.proc(in :: INTEGER?) :: (out :: STRING?)`).
///
/// A call yields, in table order, the output columns of every row whose
/// input columns equal the arguments (a null argument matches a null cell).
#[derive(Clone, Debug, PartialEq)]
pub struct TableProcedure {
    /// The qualified name, e.g. `test.my.proc` (matched case-insensitively).
    pub name: String,
    /// Input names with their declared types (`INTEGER?`, `NUMBER?`, `STRING?`, `FLOAT?`, `ANY?`...).
    pub inputs: Vec<(String, String)>,
    /// Output names with their declared types.
    pub outputs: Vec<(String, String)>,
    /// Rows: the input values, then the output values.
    pub rows: Vec<Vec<Val>>,
}

impl TableProcedure {
    /// Whether `v` may be passed for an input declared as `ty` (null always may).
    pub fn accepts(ty: &str, v: &Val) -> bool {
        let base = ty.trim().trim_end_matches('?').to_uppercase();
        match (base.as_str(), v) {
            (_, Val::Null) => true,
            ("ANY", _) => true,
            ("INTEGER", Val::Int(_)) => true,
            ("FLOAT", Val::Int(_) | Val::Float(_)) => true,
            ("NUMBER", Val::Int(_) | Val::Float(_)) => true,
            ("STRING", Val::Str(_)) => true,
            ("BOOLEAN", Val::Bool(_)) => true,
            ("MAP", Val::Map(_)) => true,
            ("NODE", Val::Node(_)) => true,
            ("RELATIONSHIP", Val::Rel(_)) => true,
            ("PATH", Val::Path(_)) => true,
            (t, Val::List(_)) => t.starts_with("LIST"),
            _ => false,
        }
    }
}

/// A procedure as a query sees it: built in, or given by the caller.
pub(crate) enum Proc<'a> {
    Builtin(&'static (&'static str, &'static [&'static str], &'static str)),
    Table(&'a TableProcedure),
}

impl Proc<'_> {
    /// The input names and types (`None` for a built-in, which takes no arguments).
    pub fn inputs(&self) -> Vec<(String, String)> {
        match self {
            Proc::Builtin(_) => Vec::new(),
            Proc::Table(t) => t.inputs.clone(),
        }
    }

    /// The output column names.
    pub fn columns(&self) -> Vec<String> {
        match self {
            Proc::Builtin(b) => b.1.iter().map(|c| c.to_string()).collect(),
            Proc::Table(t) => t.outputs.iter().map(|(n, _)| n.clone()).collect(),
        }
    }
}

/// Finds a procedure by name among the caller's and the built-in ones.
pub(crate) fn lookup<'a>(name: &str, extra: &'a [TableProcedure]) -> QResult<Proc<'a>> {
    if let Some(t) = extra.iter().find(|t| t.name.eq_ignore_ascii_case(name)) {
        return Ok(Proc::Table(t));
    }
    find(name).map(Proc::Builtin)
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
            let suggestion =
                factgraph_model::closest(&lower, PROCEDURES.iter().map(|(n, _, _)| *n))
                    .map(|s| format!(" (did you mean {s}?)"))
                    .unwrap_or_default();
            QueryError::semantic(
                "Semantic.UnknownProcedure",
                format!("unknown procedure {name}(){suggestion}"),
            )
        })
}

fn strings(items: impl IntoIterator<Item = String>) -> Val {
    Val::List(items.into_iter().map(Val::Str).collect())
}

/// Runs a procedure.
pub fn call(
    graph: &Graph,
    name: &str,
    args: &[Val],
    extra: &[TableProcedure],
) -> QResult<ProcResult> {
    let (proc_name, cols, _) = match lookup(name, extra)? {
        Proc::Builtin(b) => b,
        Proc::Table(t) => return Ok(call_table(t, args)),
    };
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

fn call_table(t: &TableProcedure, args: &[Val]) -> ProcResult {
    let n = t.inputs.len();
    let rows = t
        .rows
        .iter()
        .filter(|row| {
            args.len() == n
                && row.iter().zip(args).all(|(cell, arg)| match (cell, arg) {
                    (Val::Null, Val::Null) => true,
                    (c, a) => c.cypher_eq(a) == Some(true),
                })
        })
        .map(|row| row[n.min(row.len())..].to_vec())
        .collect();
    ProcResult {
        columns: t.outputs.iter().map(|(c, _)| c.clone()).collect(),
        rows,
    }
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
    let props = |p: &std::collections::BTreeMap<String, factgraph_model::PropDef>| {
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
