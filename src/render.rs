//! Query results for people and programs: aligned tables, JSON, JSON lines and CSV.

use comfy_table::{presets, ContentArrangement, Table};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{json, Value as Json};

use crate::model::Props;
use crate::query::{QueryResult, Val};
use crate::store::Graph;

/// An output format for results.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// An aligned table with a row count.
    Table,
    /// One JSON document: `{"columns": [...], "rows": [{...}, ...]}`.
    Json,
    /// One JSON object per row.
    Jsonl,
    /// RFC 4180 CSV with a header line.
    Csv,
}

/// Longest cell text in a table before it is cut with an ellipsis.
const MAX_CELL: usize = 120;

/// Renders a result in `format`.
pub fn render(result: &QueryResult, graph: &Graph, format: Format) -> String {
    // A statement that returns nothing (CREATE, SET...) prints nothing but in JSON.
    if result.columns.is_empty() && format != Format::Json && result.plan.is_none() {
        return String::new();
    }
    match format {
        Format::Table => table(result, graph),
        Format::Json => {
            let doc = JsonResult {
                columns: &result.columns,
                rows: result
                    .rows
                    .iter()
                    .map(|r| row_object(&result.columns, r, graph))
                    .collect(),
                counters: counters_json(result),
            };
            format!(
                "{}\n",
                serde_json::to_string_pretty(&doc).unwrap_or_default()
            )
        }
        Format::Jsonl => {
            let mut out = String::new();
            for r in &result.rows {
                let row = row_object(&result.columns, r, graph);
                out.push_str(&serde_json::to_string(&row).unwrap_or_default());
                out.push('\n');
            }
            out
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            let _ = w.write_record(&result.columns);
            for r in &result.rows {
                let _ = w.write_record(r.iter().map(|v| match v {
                    Val::Null => String::new(),
                    v => v.render_plain(graph),
                }));
            }
            String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
        }
    }
}

fn counters_json(result: &QueryResult) -> Json {
    let c = &result.counters;
    json!({
        "nodes_created": c.nodes_created,
        "nodes_deleted": c.nodes_deleted,
        "relationships_created": c.relationships_created,
        "relationships_deleted": c.relationships_deleted,
        "properties_set": c.properties_set,
        "labels_added": c.labels_added,
        "labels_removed": c.labels_removed,
    })
}

/// A one-line summary: rows, changes and time.
pub fn summary(result: &QueryResult) -> String {
    let c = &result.counters;
    let mut parts = vec![format!(
        "{} row{}",
        result.rows.len(),
        if result.rows.len() == 1 { "" } else { "s" }
    )];
    for (n, one, many) in [
        (c.nodes_created, "node created", "nodes created"),
        (c.nodes_deleted, "node deleted", "nodes deleted"),
        (
            c.relationships_created,
            "relationship created",
            "relationships created",
        ),
        (
            c.relationships_deleted,
            "relationship deleted",
            "relationships deleted",
        ),
        (c.properties_set, "property set", "properties set"),
        (c.labels_added, "label added", "labels added"),
        (c.labels_removed, "label removed", "labels removed"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {}", if n == 1 { one } else { many }));
        }
    }
    format!(
        "{} ({:.1} ms)",
        parts.join(", "),
        result.elapsed.as_secs_f64() * 1000.0
    )
}

fn table(result: &QueryResult, graph: &Graph) -> String {
    if let Some(plan) = &result.plan {
        return plan.clone();
    }
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(&result.columns);
    if let Some((w, _)) = terminal_width() {
        t.set_width(w);
    }
    for r in &result.rows {
        t.add_row(r.iter().map(|v| {
            let text = v.render_plain(graph);
            if text.chars().count() > MAX_CELL {
                let cut: String = text.chars().take(MAX_CELL - 1).collect();
                format!("{cut}…")
            } else {
                text
            }
        }));
    }
    if result.columns.is_empty() {
        return String::new();
    }
    format!("{t}\n")
}

fn terminal_width() -> Option<(u16, u16)> {
    let cols = std::env::var("COLUMNS").ok()?.parse().ok()?;
    Some((cols, 0))
}

/// The `--format json` document: the columns, the rows, the counters, in
/// that order.
#[derive(serde::Serialize)]
struct JsonResult<'a> {
    columns: &'a [String],
    rows: Vec<OrderedRow<'a>>,
    counters: Json,
}

/// One row as a JSON object whose keys keep the order of the RETURN
/// columns (`RETURN 1 AS zz, 2 AS aa` gives `{"zz":1,"aa":2}`), as Neo4j's
/// and Kuzu's JSON outputs do; a `serde_json::Map` would sort them.
struct OrderedRow<'a> {
    columns: &'a [String],
    values: Vec<Json>,
}

impl Serialize for OrderedRow<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.columns.len()))?;
        for (column, value) in self.columns.iter().zip(&self.values) {
            map.serialize_entry(column, value)?;
        }
        map.end()
    }
}

fn row_object<'a>(columns: &'a [String], row: &[Val], graph: &Graph) -> OrderedRow<'a> {
    OrderedRow {
        columns,
        values: row.iter().map(|v| to_json(v, graph)).collect(),
    }
}

fn props_json(props: &Props, graph: &Graph) -> Json {
    Json::Object(
        props
            .iter()
            .map(|(k, v)| (k.clone(), to_json(&Val::from(v), graph)))
            .collect(),
    )
}

/// A value as typed JSON: numbers stay numbers, nodes become objects with labels and properties.
pub fn to_json(v: &Val, graph: &Graph) -> Json {
    match v {
        Val::Null => Json::Null,
        Val::Bool(b) => json!(b),
        Val::Int(i) => json!(i),
        Val::Float(x) if x.is_finite() => json!(x),
        Val::Float(x) => json!(x.to_string()),
        Val::Str(s) => json!(s),
        Val::Date(d) => json!(d.to_string()),
        Val::LocalTime(_)
        | Val::Time(_)
        | Val::LocalDateTime(_)
        | Val::DateTime(_)
        | Val::Duration(_) => json!(crate::query::temporal::render(v).unwrap_or_default()),
        Val::List(items) => Json::Array(items.iter().map(|i| to_json(i, graph)).collect()),
        Val::Map(m) => Json::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), to_json(v, graph)))
                .collect(),
        ),
        Val::Node(id) => match graph.node(*id) {
            Some(n) => {
                json!({"id": id.0, "labels": n.labels, "properties": props_json(&n.props, graph)})
            }
            None => json!({"id": id.0, "deleted": true}),
        },
        Val::Rel(id) => match (graph.edge(*id), graph.endpoints(*id)) {
            (Some(e), Some((a, b))) => {
                json!({"id": id.0, "type": e.rel_type, "start": a.0, "end": b.0, "properties": props_json(&e.props, graph)})
            }
            _ => json!({"id": id.0, "deleted": true}),
        },
        Val::Path(p) => json!({
            "nodes": p.nodes.iter().map(|n| to_json(&Val::Node(*n), graph)).collect::<Vec<_>>(),
            "relationships": p.rels.iter().map(|r| to_json(&Val::Rel(*r), graph)).collect::<Vec<_>>(),
        }),
    }
}
