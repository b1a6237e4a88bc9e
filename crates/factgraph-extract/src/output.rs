//! Extracted facts as a facts file (loadable with `factgraph load`) or as JSON.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde_json::{json, Map, Value as Json};

use factgraph_model::{fmt_float, Provenance, Value};

use super::ExtractReport;

/// A value in facts-file notation: double-quoted strings, bare dates.
fn literal(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => write!(out, "{b}").unwrap_or(()),
        Value::Int(i) => write!(out, "{i}").unwrap_or(()),
        Value::Float(x) => {
            struct F(f64);
            impl std::fmt::Display for F {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    fmt_float(self.0, f)
                }
            }
            write!(out, "{}", F(*x)).unwrap_or(())
        }
        Value::String(s) => quoted(s, out),
        Value::Date(d) => write!(out, "{d}").unwrap_or(()),
        // Facts files have no temporal literals (extraction never makes these): ISO text.
        Value::Temporal(t) => quoted(&t.iso(), out),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                literal(item, out);
            }
            out.push(']');
        }
    }
}

fn quoted(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn map(props: &BTreeMap<String, Value>, out: &mut String) {
    if props.is_empty() {
        return;
    }
    out.push_str(" {");
    for (i, (k, v)) in props.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write!(out, "{k}: ").unwrap_or(());
        literal(v, out);
    }
    out.push('}');
}

/// A facts-file handle for a key (keys the extractor makes are already handles).
fn handle(key: &str) -> String {
    let mut h: String = key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if h.is_empty() || h.starts_with(|c: char| c.is_ascii_digit()) {
        h.insert(0, '_');
    }
    h
}

fn quote_text(text: &[char], p: &Provenance) -> String {
    text[p.start as usize..(p.end as usize).min(text.len())]
        .iter()
        .collect()
}

fn sources(text: &[char], sources: &[Provenance], out: &mut String) {
    for p in sources {
        out.push_str("\n  @");
        write!(out, "{} ", p.sentence).unwrap_or(());
        quoted(&quote_text(text, p), out);
    }
}

/// Renders the facts of `report` in the facts-file format; `text` is the
/// document's text and `file` the name its `document` statement gives it.
/// Loading the result into an empty store with `factgraph load` rebuilds
/// the extracted graph (provenance method `facts` instead of the rule names,
/// which are kept here as comments).
pub fn to_facts_text(report: &ExtractReport, text: &str, file: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    writeln!(
        out,
        "# Extracted by factgraph from {file}: {} node(s), {} relationship(s), {} rule firing(s).",
        report.nodes.len(),
        report.edges.len(),
        report.trace.len()
    )
    .unwrap_or(());
    // An id that is no handle (a URL, a file name with dashes) is written as a
    // string, so that loading the output gives the document its own id back.
    out.push_str("document ");
    if handle(&report.document) == report.document {
        out.push_str(&report.document);
    } else {
        quoted(&report.document, &mut out);
    }
    out.push_str(" {file: ");
    quoted(file, &mut out);
    out.push_str(", title: ");
    quoted(&report.title, &mut out);
    if let Some(d) = report.date {
        write!(out, ", date: {d}").unwrap_or(());
    }
    out.push_str("}\n");
    let mut last_label = String::new();
    for n in &report.nodes {
        if n.label != last_label {
            writeln!(out, "\n# {}", n.label).unwrap_or(());
            last_label = n.label.clone();
        }
        let rules: Vec<&str> = n
            .sources
            .iter()
            .map(|p| &*p.method)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        write!(
            out,
            "# rules: {}\n({}:{}",
            rules.join(", "),
            handle(&n.key),
            n.label
        )
        .unwrap_or(());
        map(&n.props, &mut out);
        out.push(')');
        sources(&chars, &n.sources, &mut out);
        out.push('\n');
    }
    if !report.edges.is_empty() {
        out.push_str("\n# Relationships\n");
    }
    for e in &report.edges {
        let rules: Vec<&str> = e
            .sources
            .iter()
            .map(|p| &*p.method)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        write!(
            out,
            "# rules: {}\n({})-[:{}",
            rules.join(", "),
            handle(&e.from),
            e.rel_type
        )
        .unwrap_or(());
        map(&e.props, &mut out);
        write!(out, "]->({})", handle(&e.to)).unwrap_or(());
        sources(&chars, &e.sources, &mut out);
        out.push('\n');
    }
    out
}

pub(super) fn value_json(v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Bool(b) => json!(b),
        Value::Int(i) => json!(i),
        Value::Float(x) => json!(x),
        Value::String(s) => json!(s),
        Value::Date(d) => json!(d.to_string()),
        Value::Temporal(t) => json!(t.iso()),
        Value::List(l) => Json::Array(l.iter().map(value_json).collect()),
    }
}

pub(super) fn props_json<'a>(props: impl IntoIterator<Item = (&'a String, &'a Value)>) -> Json {
    Json::Object(
        props
            .into_iter()
            .map(|(k, v)| (k.clone(), value_json(v)))
            .collect::<Map<_, _>>(),
    )
}

fn sources_json(text: &[char], sources: &[Provenance]) -> Json {
    Json::Array(
        sources
            .iter()
            .map(|p| {
                json!({
                    "document": p.document,
                    "sentence": p.sentence,
                    "start": p.start,
                    "end": p.end,
                    "method": p.method,
                    "text": quote_text(text, p),
                })
            })
            .collect(),
    )
}

/// The report as JSON: document, counts, nodes, relationships (with their
/// sources and quoted text), conflicts and the rule trace.
pub fn to_json(report: &ExtractReport, text: &str) -> Json {
    let chars: Vec<char> = text.chars().collect();
    json!({
        "document": report.document,
        "title": report.title,
        "date": report.date.map(|d| d.to_string()),
        "sentences": report.sentences,
        "dry_run": report.dry_run,
        "counts": {
            "nodes": report.nodes.len(),
            "relationships": report.edges.len(),
            "nodes_created": report.nodes_created,
            "nodes_merged": report.nodes_merged,
            "relationships_created": report.edges_created,
            "relationships_merged": report.edges_merged,
        },
        "nodes": report.nodes.iter().map(|n| json!({
            "key": n.key,
            "label": n.label,
            "properties": props_json(&n.props),
            "sources": sources_json(&chars, &n.sources),
            "merged": n.merged,
        })).collect::<Vec<_>>(),
        "relationships": report.edges.iter().map(|e| json!({
            "from": e.from,
            "type": e.rel_type,
            "to": e.to,
            "properties": props_json(&e.props),
            "sources": sources_json(&chars, &e.sources),
            "merged": e.merged,
        })).collect::<Vec<_>>(),
        "conflicts": report.conflicts,
        "trace": report.trace,
    })
}
