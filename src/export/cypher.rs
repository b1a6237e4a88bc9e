//! A Cypher script that recreates a subgraph.
//!
//! Two dialects:
//!
//! **[`CypherDialect::OpenCypher`]** for factgraph and Neo4j. One statement
//! per line: first a `CREATE` per node with its labels and properties, then
//! one `MATCH (a ...), (b ...) CREATE (a)-[:TYPE {...}]->(b)` per
//! relationship. A node is found again by its `key` (the stable handle
//! every node loaded from a facts file has, unique in a store), or, when it
//! has none, by its labels and all its properties; export fails with
//! [`ExportError::IndistinguishableNodes`] when that would also match another
//! exported node. Run into an **empty** graph with the news schema
//! (`factgraph run FILE --db NEW.fg`), it gives back the same nodes with the
//! same labels and properties and the same relationships with the same types,
//! properties and endpoints. It does **not** carry provenance (sources),
//! the source documents' texts, or element ids (the new graph numbers its
//! elements afresh). Strings are single-quoted with `\'`, `\\`, `\n`, `\r`,
//! `\t` escapes; labels, types and keys that are not plain ASCII identifiers
//! are backtick-quoted. Dates are `date('2022-02')`: factgraph keeps the
//! year, month or day precision; Neo4j accepts the same text but stores a
//! full date, the first day of the month or year. Non-finite floats are
//! `toFloat('NaN')`, `toFloat('Infinity')`.
//!
//! **[`CypherDialect::Kuzu`]**. Kuzu needs a schema, so the script starts
//! with `CREATE NODE TABLE` and `CREATE REL TABLE` statements derived from
//! the exported elements: a node table per label set (labels joined with
//! `_`, `Unlabelled` for none), a relationship table per type with a
//! `FROM .. TO ..` pair for each pair of node tables it connects, and a
//! column per property typed from the values (`BOOLEAN`, `INT64`, `DOUBLE`,
//! `STRING`, `DATE`, lists as `T[]`). The primary key is `key` when every
//! node of the table has one, otherwise an added `fg_id` column holding the
//! factgraph id (`n42`). Kuzu's `DATE` needs a full date, so a date column
//! is `DATE` only when every date in it is a full date; otherwise it is a
//! `STRING` column of `YYYY`, `YYYY-MM` or `YYYY-MM-DD` text, which keeps the
//! precision and still sorts chronologically. A column whose values differ
//! in kind is a `STRING` of JSON text. Kuzu's strings know only the `\\`,
//! `\'` and `\"` escapes, so line breaks and tabs are written as they are,
//! inside the quotes; statements end with `;` at the end of a line, and
//! Kuzu's own statement splitter (as in `conn.execute(script)` or `kuzu DB <
//! FILE`) reads them.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::Write;

use super::common::{columns, float_text, json_text, ColumnType};
use super::subgraph::LiveEdge;
use super::{ExportError, Subgraph};
use crate::model::Props;
use crate::model::{write_quoted, Value, KEY_PROPERTY};
use crate::store::{Graph, Node, NodeId};

/// Which Cypher to write.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum CypherDialect {
    /// openCypher as factgraph and Neo4j run it.
    #[default]
    #[value(name = "opencypher", alias = "neo4j", alias = "factgraph")]
    OpenCypher,
    /// Kuzu: the node and relationship tables first, then the data.
    Kuzu,
}

/// Writes a Cypher script that recreates `sub` in an empty graph (see the module documentation).
pub fn write_cypher(
    graph: &Graph,
    sub: &Subgraph,
    dialect: CypherDialect,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    match dialect {
        CypherDialect::OpenCypher => write_open(graph, sub, out),
        CypherDialect::Kuzu => write_kuzu(graph, sub, out),
    }
}

// ---- openCypher (factgraph, Neo4j) ----

fn write_open(graph: &Graph, sub: &Subgraph, out: &mut dyn Write) -> Result<(), ExportError> {
    let nodes = sub.live_nodes(graph);
    let edges = sub.live_edges(graph);
    let anchors = open_anchors(&nodes)?;
    writeln!(
        out,
        "// factgraph export: {} nodes, {} relationships, as openCypher for factgraph and Neo4j.",
        nodes.len(),
        edges.len()
    )?;
    writeln!(
        out,
        "// Run it into an empty graph: factgraph run FILE --db NEW.fg  (or cypher-shell -f FILE)."
    )?;
    writeln!(out, "// Relationships find their endpoints by key. Not carried: provenance, document texts, ids.")?;
    writeln!(
        out,
        "// Neo4j reads a partial date such as date('2022-02') as the first day of that month."
    )?;
    for (_, node) in &nodes {
        let mut s = String::from("CREATE (");
        open_labels(&mut s, &node.labels);
        if !node.props.is_empty() {
            if !node.labels.is_empty() {
                s.push(' ');
            }
            open_map(&mut s, node.props.iter());
        }
        s.push_str(");");
        writeln!(out, "{s}")?;
    }
    for e in &edges {
        let mut s = String::from("MATCH ");
        s.push_str(&anchors[&e.from].replacen('(', "(a", 1));
        if e.to != e.from {
            s.push_str(", ");
            s.push_str(&anchors[&e.to].replacen('(', "(b", 1));
        }
        let target = if e.to == e.from { "a" } else { "b" };
        s.push_str(" CREATE (a)-[:");
        s.push_str(&open_name(&e.edge.rel_type));
        if !e.edge.props.is_empty() {
            s.push(' ');
            open_map(&mut s, e.edge.props.iter());
        }
        let _ = write!(s, "]->({target});");
        writeln!(out, "{s}")?;
    }
    Ok(())
}

/// For each node, the pattern `(:Labels {...})` that finds it again.
fn open_anchors(nodes: &[(NodeId, &Node)]) -> Result<BTreeMap<NodeId, String>, ExportError> {
    let mut anchors = BTreeMap::new();
    for (id, node) in nodes {
        let mut s = String::from("(");
        open_labels(&mut s, &node.labels);
        if !node.labels.is_empty() {
            s.push(' ');
        }
        match node.props.get(KEY_PROPERTY) {
            Some(key @ Value::String(_)) => {
                open_map(&mut s, std::iter::once((&KEY_PROPERTY.to_string(), key)))
            }
            _ => {
                // No key: labels and every property that can equal itself (NaN cannot).
                let matchable: Vec<(&String, &Value)> =
                    node.props.iter().filter(|(_, v)| !has_nan(v)).collect();
                for (other, n) in nodes {
                    if other != id
                        && node.labels.iter().all(|l| n.has_label(l))
                        && matchable.iter().all(|(k, v)| n.props.get(k) == Some(*v))
                    {
                        let (first, second) = if id < other {
                            (*id, *other)
                        } else {
                            (*other, *id)
                        };
                        return Err(ExportError::IndistinguishableNodes { first, second });
                    }
                }
                if matchable.is_empty() {
                    s.pop();
                } else {
                    open_map(&mut s, matchable.into_iter());
                }
            }
        }
        s.push(')');
        anchors.insert(*id, s);
    }
    Ok(anchors)
}

fn has_nan(v: &Value) -> bool {
    match v {
        Value::Float(x) => x.is_nan(),
        Value::List(items) => items.iter().any(has_nan),
        _ => false,
    }
}

fn open_labels(s: &mut String, labels: &[String]) {
    for l in labels {
        s.push(':');
        s.push_str(&open_name(l));
    }
}

fn open_map<'a>(s: &mut String, props: impl Iterator<Item = (&'a String, &'a Value)>) {
    s.push('{');
    for (i, (k, v)) in props.enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        s.push_str(&open_name(k));
        s.push_str(": ");
        open_literal(s, v);
    }
    s.push('}');
}

fn open_literal(s: &mut String, v: &Value) {
    match v {
        Value::Null => s.push_str("null"),
        Value::Bool(b) => {
            let _ = write!(s, "{b}");
        }
        Value::Int(i) => int_literal(s, *i),
        Value::Float(x) if x.is_finite() => s.push_str(&float_text(*x)),
        Value::Float(x) => {
            let _ = write!(s, "toFloat('{}')", float_text(*x));
        }
        Value::String(t) => {
            let _ = write_quoted(t, s);
        }
        Value::Date(d) => {
            let _ = write!(s, "date('{d}')");
        }
        Value::Temporal(t) => {
            let _ = write!(s, "{}('{}')", t.function(), t.iso());
        }
        Value::List(items) => {
            s.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    s.push_str(", ");
                }
                open_literal(s, item);
            }
            s.push(']');
        }
    }
}

/// An integer literal; the smallest i64 has no positive counterpart to negate.
fn int_literal(s: &mut String, i: i64) {
    if i == i64::MIN {
        s.push_str("(-9223372036854775807 - 1)");
    } else {
        let _ = write!(s, "{i}");
    }
}

/// A label, type or key as written in a pattern: bare when it is a plain
/// ASCII identifier, otherwise in backticks (with `` ` `` doubled).
fn open_name(name: &str) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        name.to_string()
    } else {
        backticked(name)
    }
}

fn backticked(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

// ---- Kuzu ----

/// A Kuzu column type.
#[derive(Clone, Debug, PartialEq, Eq)]
enum KuzuType {
    Bool,
    Int,
    Double,
    String,
    Date,
    /// Dates of any precision, as text.
    DateText,
    List(Box<KuzuType>),
    /// Values of different kinds, as JSON text.
    Json,
}

impl KuzuType {
    fn from_column(ty: &ColumnType, full_dates: bool) -> KuzuType {
        match ty {
            ColumnType::Bool => KuzuType::Bool,
            ColumnType::Int => KuzuType::Int,
            ColumnType::Float => KuzuType::Double,
            ColumnType::String => KuzuType::String,
            ColumnType::Date if full_dates => KuzuType::Date,
            ColumnType::Date => KuzuType::DateText,
            // ISO text: Kuzu's TIMESTAMP and INTERVAL cannot hold offsets, zones or months exactly.
            ColumnType::Temporal(_) => KuzuType::String,
            ColumnType::List(Some(inner)) => {
                KuzuType::List(Box::new(KuzuType::from_column(inner, full_dates)))
            }
            ColumnType::List(None) => KuzuType::List(Box::new(KuzuType::String)),
            ColumnType::Mixed => KuzuType::Json,
        }
    }

    fn ddl(&self) -> String {
        match self {
            KuzuType::Bool => "BOOLEAN".into(),
            KuzuType::Int => "INT64".into(),
            KuzuType::Double => "DOUBLE".into(),
            KuzuType::String | KuzuType::DateText | KuzuType::Json => "STRING".into(),
            KuzuType::Date => "DATE".into(),
            KuzuType::List(inner) => format!("{}[]", inner.ddl()),
        }
    }
}

/// Whether every date in `values` (inside lists too) is known to the day.
fn all_full_dates<'a>(values: impl IntoIterator<Item = &'a Value>) -> bool {
    fn full(v: &Value) -> bool {
        match v {
            Value::Date(d) => d.day.is_some(),
            Value::List(items) => items.iter().all(full),
            _ => true,
        }
    }
    values.into_iter().all(full)
}

/// The columns of one table: property name → type.
fn kuzu_columns<'a>(props: impl Iterator<Item = &'a Props> + Clone) -> BTreeMap<String, KuzuType> {
    columns(props.clone())
        .into_iter()
        .map(|(name, ty)| {
            let full = all_full_dates(props.clone().filter_map(|p| p.get(&name)));
            let kt = KuzuType::from_column(&ty, full);
            (name, kt)
        })
        .collect()
}

fn kuzu_table(node: &Node) -> String {
    if node.labels.is_empty() {
        "Unlabelled".into()
    } else {
        node.labels.join("_")
    }
}

struct NodeTable {
    columns: BTreeMap<String, KuzuType>,
    /// `key`, or the added id column.
    primary_key: String,
    /// Whether the primary key is the added id column.
    synthetic: bool,
}

fn write_kuzu(graph: &Graph, sub: &Subgraph, out: &mut dyn Write) -> Result<(), ExportError> {
    let nodes = sub.live_nodes(graph);
    let edges = sub.live_edges(graph);

    let mut by_table: BTreeMap<String, Vec<(NodeId, &Node)>> = BTreeMap::new();
    for (id, node) in &nodes {
        by_table
            .entry(kuzu_table(node))
            .or_default()
            .push((*id, node));
    }
    let mut tables: BTreeMap<String, NodeTable> = BTreeMap::new();
    for (name, members) in &by_table {
        let columns = kuzu_columns(members.iter().map(|(_, n)| &n.props));
        let keyed = members
            .iter()
            .all(|(_, n)| matches!(n.props.get(KEY_PROPERTY), Some(Value::String(_))));
        let (primary_key, synthetic) = if keyed {
            (KEY_PROPERTY.to_string(), false)
        } else {
            let mut pk = "fg_id".to_string();
            while columns.contains_key(&pk) {
                pk.insert(0, '_');
            }
            (pk, true)
        };
        tables.insert(
            name.clone(),
            NodeTable {
                columns,
                primary_key,
                synthetic,
            },
        );
    }

    let mut by_type: BTreeMap<&str, Vec<&LiveEdge>> = BTreeMap::new();
    for e in &edges {
        by_type.entry(e.edge.rel_type.as_str()).or_default().push(e);
    }
    let node_of: BTreeMap<NodeId, &Node> = nodes.iter().map(|(id, n)| (*id, *n)).collect();

    writeln!(
        out,
        "// factgraph export: {} nodes, {} relationships, for Kuzu (tables first, then data).",
        nodes.len(),
        edges.len()
    )?;
    writeln!(
        out,
        "// Run it into an empty database: kuzu DB < FILE, or conn.execute(script) in Python."
    )?;
    writeln!(out, "// Dates of year or month precision are STRING columns; not carried: provenance, document texts.")?;
    for (name, table) in &tables {
        let mut s = format!("CREATE NODE TABLE {}(", backticked(name));
        if table.synthetic {
            let _ = write!(s, "{} STRING PRIMARY KEY", backticked(&table.primary_key));
        }
        let mut first = !table.synthetic;
        for (col, ty) in &table.columns {
            if !first {
                s.push_str(", ");
            }
            first = false;
            let _ = write!(s, "{} {}", backticked(col), ty.ddl());
            if !table.synthetic && *col == table.primary_key {
                s.push_str(" PRIMARY KEY");
            }
        }
        s.push_str(");");
        writeln!(out, "{s}")?;
    }
    let mut rel_columns: BTreeMap<&str, BTreeMap<String, KuzuType>> = BTreeMap::new();
    for (rel_type, members) in &by_type {
        let cols = kuzu_columns(members.iter().map(|e| &e.edge.props));
        let pairs: BTreeSet<(String, String)> = members
            .iter()
            .map(|e| (kuzu_table(node_of[&e.from]), kuzu_table(node_of[&e.to])))
            .collect();
        let mut s = format!("CREATE REL TABLE {}(", backticked(rel_type));
        let mut parts: Vec<String> = pairs
            .iter()
            .map(|(a, b)| format!("FROM {} TO {}", backticked(a), backticked(b)))
            .collect();
        parts.extend(
            cols.iter()
                .map(|(c, t)| format!("{} {}", backticked(c), t.ddl())),
        );
        s.push_str(&parts.join(", "));
        s.push_str(");");
        writeln!(out, "{s}")?;
        rel_columns.insert(rel_type, cols);
    }

    let anchor = |id: NodeId, var: &str| -> String {
        let node = node_of[&id];
        let table_name = kuzu_table(node);
        let table = &tables[&table_name];
        let value = if table.synthetic {
            kuzu_string(&id.to_string())
        } else {
            node.props
                .get(KEY_PROPERTY)
                .and_then(Value::as_str)
                .map(kuzu_string)
                .unwrap_or_default()
        };
        format!(
            "({var}:{} {{{}: {value}}})",
            backticked(&table_name),
            backticked(&table.primary_key)
        )
    };

    for (id, node) in &nodes {
        let table_name = kuzu_table(node);
        let table = &tables[&table_name];
        let mut fields: Vec<String> = Vec::new();
        if table.synthetic {
            fields.push(format!(
                "{}: {}",
                backticked(&table.primary_key),
                kuzu_string(&id.to_string())
            ));
        }
        for (k, v) in &node.props {
            if let Some(ty) = table.columns.get(k) {
                fields.push(format!("{}: {}", backticked(k), kuzu_literal(v, ty)));
            }
        }
        writeln!(
            out,
            "CREATE (:{} {{{}}});",
            backticked(&table_name),
            fields.join(", ")
        )?;
    }
    for e in &edges {
        let cols = &rel_columns[e.edge.rel_type.as_str()];
        let mut s = String::from("MATCH ");
        s.push_str(&anchor(e.from, "a"));
        if e.to != e.from {
            s.push_str(", ");
            s.push_str(&anchor(e.to, "b"));
        }
        let _ = write!(s, " CREATE (a)-[:{}", backticked(&e.edge.rel_type));
        if !e.edge.props.is_empty() {
            let fields: Vec<String> = e
                .edge
                .props
                .iter()
                .filter_map(|(k, v)| {
                    cols.get(k)
                        .map(|ty| format!("{}: {}", backticked(k), kuzu_literal(v, ty)))
                })
                .collect();
            let _ = write!(s, " {{{}}}", fields.join(", "));
        }
        let target = if e.to == e.from { "a" } else { "b" };
        let _ = write!(s, "]->({target});");
        writeln!(out, "{s}")?;
    }
    Ok(())
}

/// A Kuzu string literal: only `\` and `'` are escaped (Kuzu reads `\n` as `n`).
fn kuzu_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// A value as a Kuzu literal for a column of type `ty`.
fn kuzu_literal(v: &Value, ty: &KuzuType) -> String {
    match (ty, v) {
        (KuzuType::Json, v) => kuzu_string(&json_text(v)),
        (_, Value::Null) => "NULL".into(),
        (_, Value::Bool(b)) => b.to_string(),
        (KuzuType::Double, Value::Int(i)) => float_text(*i as f64),
        (_, Value::Int(i)) => {
            let mut s = String::new();
            int_literal(&mut s, *i);
            s
        }
        (_, Value::Float(x)) if x.is_finite() => float_text(*x),
        (_, Value::Float(x)) => format!("CAST('{}' AS DOUBLE)", float_text(*x)),
        (_, Value::String(s)) => kuzu_string(s),
        (KuzuType::Date, Value::Date(d)) => format!("date('{d}')"),
        (_, Value::Date(d)) => kuzu_string(&d.to_string()),
        (_, Value::Temporal(t)) => kuzu_string(&t.iso()),
        (KuzuType::List(inner), Value::List(items)) => {
            if items.is_empty() {
                format!("CAST([] AS {})", ty.ddl())
            } else {
                let parts: Vec<String> = items.iter().map(|i| kuzu_literal(i, inner)).collect();
                format!("[{}]", parts.join(", "))
            }
        }
        (_, Value::List(_)) => kuzu_string(&json_text(v)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_quoted_only_when_needed() {
        assert_eq!(open_name("Person"), "Person");
        assert_eq!(open_name("_x1"), "_x1");
        assert_eq!(open_name("first name"), "`first name`");
        assert_eq!(open_name("1st"), "`1st`");
        assert_eq!(open_name("a`b"), "`a``b`");
        assert_eq!(open_name("Київ"), "`Київ`");
    }

    #[test]
    fn literals() {
        let mut s = String::new();
        open_literal(
            &mut s,
            &Value::List(vec![
                Value::from("it's"),
                Value::Float(2.0),
                Value::Int(i64::MIN),
            ]),
        );
        assert_eq!(s, r"['it\'s', 2.0, (-9223372036854775807 - 1)]");
        assert_eq!(kuzu_string("a'b\\c\nd"), "'a\\'b\\\\c\nd'");
        assert_eq!(
            kuzu_literal(
                &Value::List(vec![]),
                &KuzuType::List(Box::new(KuzuType::String))
            ),
            "CAST([] AS STRING[])"
        );
        assert_eq!(kuzu_literal(&Value::Int(3), &KuzuType::Double), "3.0");
    }
}
