//! Helpers the writers share: captions, colours, JSON forms of values and provenance.

use std::collections::BTreeMap;

use serde_json::{json, Value as Json};

use crate::model::Props;
use crate::model::{Provenance, Value};
use crate::store::{Graph, Node, NodeId};

/// The text a person reads on a node: its `name`, else `stance` (positions),
/// else `value` and `unit` (quantities), else `title`, else `key`, else its
/// labels, else its id.
pub fn caption(node: &Node, id: NodeId) -> String {
    let text = |k: &str| node.props.get(k).map(plain_text);
    if let Some(name) = text("name") {
        return name;
    }
    if let Some(stance) = text("stance") {
        return stance;
    }
    if let Some(value) = text("value") {
        return match text("unit") {
            Some(unit) => format!("{value} {unit}"),
            None => value,
        };
    }
    if let Some(t) = text("title").or_else(|| text("key")) {
        return t;
    }
    if !node.labels.is_empty() {
        return labels_text(&node.labels);
    }
    id.to_string()
}

/// `:A:B`
pub fn labels_text(labels: &[String]) -> String {
    labels.iter().map(|l| format!(":{l}")).collect()
}

/// A value as text without quotes: strings as they are, dates as
/// `YYYY[-MM[-DD]]`, numbers as Cypher prints them, lists as JSON.
pub fn plain_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Date(d) => d.to_string(),
        Value::Temporal(t) => t.iso(),
        Value::Float(x) => float_text(*x),
        Value::List(_) => json_text(v),
        Value::Bool(_) | Value::Int(_) => v.to_string(),
    }
}

/// A float that reads back as the same float in Python, Java and Rust:
/// shortest round-trip digits; `NaN`, `Infinity`, `-Infinity` when not finite.
pub fn float_text(x: f64) -> String {
    if x.is_nan() {
        "NaN".into()
    } else if x.is_infinite() {
        if x > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else {
        format!("{x:?}")
    }
}

/// A stored value as JSON: numbers and booleans typed, dates as text at their precision.
/// Non-finite floats, which JSON cannot hold, become the text `NaN`,
/// `Infinity` or `-Infinity`.
pub fn value_json(v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Bool(b) => json!(b),
        Value::Int(i) => json!(i),
        Value::Float(x) if x.is_finite() => json!(x),
        Value::Float(x) => json!(float_text(*x)),
        Value::String(s) => json!(s),
        Value::Date(d) => json!(d.to_string()),
        Value::Temporal(t) => json!(t.iso()),
        Value::List(items) => Json::Array(items.iter().map(value_json).collect()),
    }
}

/// A value as compact JSON text.
pub fn json_text(v: &Value) -> String {
    value_json(v).to_string()
}

/// Properties as a JSON object, by name.
pub fn props_json<'a>(props: impl IntoIterator<Item = (&'a String, &'a Value)>) -> Json {
    Json::Object(
        props
            .into_iter()
            .map(|(k, v)| (k.clone(), value_json(v)))
            .collect(),
    )
}

/// Sources as a JSON array: document, sentence (from 1), character span
/// `start..end`, method, and the quoted text when the document is in the store.
pub fn provenance_json(graph: &Graph, sources: &[Provenance]) -> Json {
    Json::Array(
        sources
            .iter()
            .map(|p| {
                let mut o = json!({
                    "document": p.document,
                    "sentence": p.sentence,
                    "start": p.start,
                    "end": p.end,
                    "method": p.method,
                });
                if let Some(doc) = graph.document(&p.document) {
                    o["text"] = json!(doc.span_text(p.start, p.end));
                }
                o
            })
            .collect(),
    )
}

/// Fill and line colours for a label: a fixed pair for each label of the
/// news schema, and for any other label a pair picked by a hash of its name
/// (so it is the same in every export).
pub fn label_colours(label: &str) -> (&'static str, &'static str) {
    const NEWS: [(&str, &str, &str); 12] = [
        ("Person", "#fbb4ae", "#b5594f"),
        ("Role", "#b3cde3", "#4f7aa0"),
        ("Country", "#ccebc5", "#5b9a4f"),
        ("City", "#decbe4", "#8a5f99"),
        ("Organization", "#fed9a6", "#b8843a"),
        ("Group", "#ffffcc", "#a6a644"),
        ("Proposal", "#e5d8bd", "#93805a"),
        ("Position", "#fddaec", "#b06a8f"),
        ("Issue", "#f2f2f2", "#8c8c8c"),
        ("Event", "#b3e2cd", "#4b9a78"),
        ("Document", "#cbd5e8", "#6a7aa0"),
        ("Quantity", "#f1e2cc", "#a08660"),
    ];
    const OTHER: [(&str, &str); 8] = [
        ("#8dd3c7", "#3f8a7e"),
        ("#bebada", "#6c6896"),
        ("#fb8072", "#b03b2e"),
        ("#80b1d3", "#3a6e93"),
        ("#fdb462", "#b06e1e"),
        ("#b3de69", "#6a9424"),
        ("#fccde5", "#b0708e"),
        ("#d9d9d9", "#7a7a7a"),
    ];
    if let Some((_, fill, line)) = NEWS.iter().find(|(l, _, _)| *l == label) {
        return (fill, line);
    }
    // FNV-1a: stable across runs and platforms, unlike the std hasher.
    let mut h: u32 = 0x811c_9dc5;
    for b in label.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    OTHER[h as usize % OTHER.len()]
}

/// Colours for an unlabelled node.
pub const NO_LABEL_COLOURS: (&str, &str) = ("#ffffff", "#7a7a7a");

/// What kind of scalar or list a property column holds, for formats with typed columns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ColumnType {
    /// true / false
    Bool,
    /// 64-bit integers
    Int,
    /// floats (or floats and integers)
    Float,
    /// text
    String,
    /// dates
    Date,
    /// times, date-times or durations of one kind, by the Cypher function
    /// that reads them (`localtime`, `time`, `localdatetime`, `datetime`,
    /// `duration`, which are also neo4j-admin's CSV type names)
    Temporal(&'static str),
    /// lists whose items are all of the inner type (`None`: only empty lists seen)
    List(Option<Box<ColumnType>>),
    /// anything else: values of different kinds
    Mixed,
}

impl ColumnType {
    /// The column type of one value.
    pub fn of(v: &Value) -> Option<ColumnType> {
        Some(match v {
            Value::Null => return None,
            Value::Bool(_) => ColumnType::Bool,
            Value::Int(_) => ColumnType::Int,
            Value::Float(_) => ColumnType::Float,
            Value::String(_) => ColumnType::String,
            Value::Date(_) => ColumnType::Date,
            Value::Temporal(t) => ColumnType::Temporal(t.function()),
            Value::List(items) => {
                let mut inner: Option<ColumnType> = None;
                for item in items {
                    let Some(t) = ColumnType::of(item) else {
                        continue;
                    };
                    inner = Some(match inner {
                        None => t,
                        Some(prev) => prev.merge(t),
                    });
                }
                match inner {
                    Some(ColumnType::List(_)) | Some(ColumnType::Mixed) => ColumnType::Mixed,
                    other => ColumnType::List(other.map(Box::new)),
                }
            }
        })
    }

    /// The type of a column holding values of both types.
    pub fn merge(self, other: ColumnType) -> ColumnType {
        use ColumnType::*;
        match (self, other) {
            (a, b) if a == b => a,
            (Int, Float) | (Float, Int) => Float,
            (List(None), List(x)) | (List(x), List(None)) => List(x),
            (List(Some(a)), List(Some(b))) => match a.merge(*b) {
                Mixed | List(_) => Mixed,
                t => List(Some(Box::new(t))),
            },
            _ => Mixed,
        }
    }
}

/// Property columns: for each property name, the type of the column over `props`.
pub fn columns<'a>(props: impl IntoIterator<Item = &'a Props>) -> BTreeMap<String, ColumnType> {
    let mut cols: BTreeMap<String, ColumnType> = BTreeMap::new();
    for p in props {
        for (k, v) in p {
            let Some(t) = ColumnType::of(v) else { continue };
            let merged = match cols.remove(k) {
                Some(prev) => prev.merge(t),
                None => t,
            };
            cols.insert(k.clone(), merged);
        }
    }
    cols
}
