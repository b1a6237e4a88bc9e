//! GraphML, for Gephi, yEd, networkx, igraph and graph-tool.
//!
//! Every attribute is declared before the graph as
//! `<key id=".." for="node|edge" attr.name=".." attr.type="..">` (Gephi
//! rejects keys without `for`; networkx rejects undeclared keys). Key ids are
//! descriptive (`node.name`, `edge.status`), never `d0`, `d1`, ...
//!
//! Nodes carry `labels` (`:A:B`), `label` (the caption Gephi shows: the
//! name, see [`super::caption`]), `provenance`, and one key per property.
//! Relationships carry `label` (the relationship type, which Gephi shows)
//! and one key per property. The graph is `edgedefault="directed"`; node
//! ids are the store's (`n42`) and relationship ids (`r7`) become networkx's
//! multigraph keys.
//!
//! Types: booleans are `boolean` (`true`/`false`), integers `long`, floats
//! `double` (a column mixing integers and floats is `double`), text `string`.
//! GraphML has no list, map or date type, so **lists are JSON text**
//! (`["U.S.", "America"]`), **dates are text** at their precision (`2022-02`),
//! **provenance is JSON text** (an array of `{document, sentence, start, end,
//! method, text}`), and a property whose values differ in kind across
//! elements is a `string` column with each value as text (lists as JSON).
//! Key names must be XML name tokens: other characters in a property name
//! become `_`. A property called `labels`, `label` or `provenance` (nodes)
//! or `label` (relationships) is named `property.<name>` so that it does not
//! hide ours. No yEd `yfiles` graphics are written: yEd lists the data as
//! properties but draws no captions.
//!
//! Text is escaped by hand: `&`, `<`, `>`, `"`, `'` as entities, line
//! breaks and tabs as character references (so attribute normalisation
//! keeps them), and characters XML 1.0 forbids (most C0 controls) as U+FFFD.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use super::common::{
    caption, columns, float_text, json_text, labels_text, provenance_json, ColumnType,
};
use super::{ExportError, Subgraph};
use crate::model::Value;
use crate::store::Graph;

/// One declared `<key>`.
struct Key {
    id: String,
    attr_name: String,
    attr_type: &'static str,
}

/// The keys of one element kind, by property name.
struct Keys {
    props: BTreeMap<String, (Key, ColumnType)>,
}

const NODE_RESERVED: [&str; 3] = ["labels", "label", "provenance"];
const EDGE_RESERVED: [&str; 2] = ["label", "provenance"];

pub(super) fn write_graphml(
    graph: &Graph,
    sub: &Subgraph,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    let nodes = sub.live_nodes(graph);
    let edges = sub.live_edges(graph);
    let mut used_ids: BTreeSet<String> = [
        "node.labels",
        "node.label",
        "node.provenance",
        "edge.label",
        "edge.provenance",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    let node_keys = keys(
        "node",
        &NODE_RESERVED,
        columns(nodes.iter().map(|(_, n)| &n.props)),
        &mut used_ids,
    );
    let edge_keys = keys(
        "edge",
        &EDGE_RESERVED,
        columns(edges.iter().map(|e| &e.edge.props)),
        &mut used_ids,
    );

    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
    )?;
    writeln!(
        out,
        "  <!-- factgraph export: {} nodes, {} relationships. Lists, dates and provenance are JSON or ISO text. -->",
        nodes.len(),
        edges.len()
    )?;
    let fixed = [
        ("node.labels", "node", "labels", "string"),
        ("node.label", "node", "label", "string"),
        ("node.provenance", "node", "provenance", "string"),
    ];
    for (id, for_, name, ty) in fixed {
        write_key(out, id, for_, name, ty)?;
    }
    for (key, _) in node_keys.props.values() {
        write_key(out, &key.id, "node", &key.attr_name, key.attr_type)?;
    }
    for (id, for_, name, ty) in [
        ("edge.label", "edge", "label", "string"),
        ("edge.provenance", "edge", "provenance", "string"),
    ] {
        write_key(out, id, for_, name, ty)?;
    }
    for (key, _) in edge_keys.props.values() {
        write_key(out, &key.id, "edge", &key.attr_name, key.attr_type)?;
    }

    writeln!(out, r#"  <graph id="factgraph" edgedefault="directed">"#)?;
    for (id, node) in &nodes {
        writeln!(out, r#"    <node id="{id}">"#)?;
        write_data(out, "node.labels", &labels_text(&node.labels))?;
        write_data(out, "node.label", &caption(node, *id))?;
        if !node.sources.is_empty() {
            write_data(
                out,
                "node.provenance",
                &provenance_json(graph, &node.sources).to_string(),
            )?;
        }
        for (name, value) in &node.props {
            if let Some((key, ty)) = node_keys.props.get(name) {
                write_data(out, &key.id, &data_text(value, ty))?;
            }
        }
        writeln!(out, "    </node>")?;
    }
    for e in &edges {
        writeln!(
            out,
            r#"    <edge id="{}" source="{}" target="{}">"#,
            e.id, e.from, e.to
        )?;
        write_data(out, "edge.label", &e.edge.rel_type)?;
        if !e.edge.sources.is_empty() {
            write_data(
                out,
                "edge.provenance",
                &provenance_json(graph, &e.edge.sources).to_string(),
            )?;
        }
        for (name, value) in &e.edge.props {
            if let Some((key, ty)) = edge_keys.props.get(name) {
                write_data(out, &key.id, &data_text(value, ty))?;
            }
        }
        writeln!(out, "    </edge>")?;
    }
    writeln!(out, "  </graph>")?;
    writeln!(out, "</graphml>")?;
    Ok(())
}

fn keys(
    kind: &str,
    reserved: &[&str],
    cols: BTreeMap<String, ColumnType>,
    used_ids: &mut BTreeSet<String>,
) -> Keys {
    let mut props = BTreeMap::new();
    for (name, ty) in cols {
        let mut attr_name = name_token(&name);
        if reserved.contains(&attr_name.as_str()) {
            attr_name = format!("property.{attr_name}");
        }
        let base = format!("{kind}.{attr_name}");
        let mut id = base.clone();
        let mut n = 2;
        while used_ids.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        used_ids.insert(id.clone());
        let attr_type = match ty {
            ColumnType::Bool => "boolean",
            ColumnType::Int => "long",
            ColumnType::Float => "double",
            _ => "string",
        };
        props.insert(
            name,
            (
                Key {
                    id,
                    attr_name,
                    attr_type,
                },
                ty,
            ),
        );
    }
    Keys { props }
}

fn write_key(
    out: &mut dyn Write,
    id: &str,
    for_: &str,
    name: &str,
    ty: &str,
) -> std::io::Result<()> {
    writeln!(
        out,
        r#"  <key id="{}" for="{for_}" attr.name="{}" attr.type="{ty}"/>"#,
        escape(id),
        escape(name)
    )
}

fn write_data(out: &mut dyn Write, key: &str, text: &str) -> std::io::Result<()> {
    writeln!(
        out,
        r#"      <data key="{}">{}</data>"#,
        escape(key),
        escape(text)
    )
}

/// The text of a value in a column of type `ty`.
fn data_text(v: &Value, ty: &ColumnType) -> String {
    match (v, ty) {
        (Value::Bool(b), _) => b.to_string(),
        (Value::Int(i), ColumnType::Float) => float_text(*i as f64),
        (Value::Int(i), _) => i.to_string(),
        // XML Schema's spelling of the non-finite doubles, which Python's float() also reads.
        (Value::Float(x), _) if x.is_nan() => "NaN".into(),
        (Value::Float(x), _) if x.is_infinite() => if *x > 0.0 { "INF" } else { "-INF" }.into(),
        (Value::Float(x), _) => float_text(*x),
        (Value::String(s), _) => s.clone(),
        (Value::Date(d), _) => d.to_string(),
        (Value::Temporal(t), _) => t.iso(),
        (Value::List(_), _) => json_text(v),
        (Value::Null, _) => String::new(),
    }
}

/// A name usable as an XML name token: letters, digits, `.`, `-`, `_`, `:`
/// kept, anything else `_`.
fn name_token(name: &str) -> String {
    let t: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | ':') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if t.is_empty() {
        "_".into()
    } else {
        t
    }
}

/// Escapes text for XML element content and attribute values.
pub(super) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if is_xml_char(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

/// Whether XML 1.0 allows the character at all.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\u{9}' | '\u{A}' | '\u{D}' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_forbidden_characters() {
        assert_eq!(
            escape(r#"AT&T <"x"> 'y'"#),
            "AT&amp;T &lt;&quot;x&quot;&gt; &apos;y&apos;"
        );
        assert_eq!(escape("a\nb\u{1}c"), "a&#10;b\u{FFFD}c");
    }

    #[test]
    fn names_become_tokens() {
        assert_eq!(name_token("first name"), "first_name");
        assert_eq!(name_token("Київ"), "Київ");
        assert_eq!(name_token(""), "_");
    }
}
