//! Graphviz DOT.
//!
//! Node ids are the store's, always quoted (`"n42"`), so no caption, keyword
//! (`node`, `edge`, `graph`, ...) or leading digit can break the syntax; the
//! human text goes in `label=`. Label and tooltip attributes are escStrings:
//! `\` is written `\\` (otherwise `\N`, `\G`, `\l` in a name would be
//! substituted and a trailing `\` would eat the closing quote), `"` is `\"`,
//! and a line break is `\n`.

use std::collections::BTreeSet;
use std::io::Write;

use super::common::{caption, label_colours, labels_text, plain_text, NO_LABEL_COLOURS};
use super::{ExportError, Subgraph};
use crate::store::Graph;

/// Longest caption line before it is wrapped at a space.
const WRAP: usize = 24;

pub(super) fn write_dot(
    graph: &Graph,
    sub: &Subgraph,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    let nodes = sub.live_nodes(graph);
    let edges = sub.live_edges(graph);
    writeln!(
        out,
        "// factgraph export: {} nodes, {} relationships",
        nodes.len(),
        edges.len()
    )?;
    writeln!(out, "// Render with: dot -Tsvg FILE -o graph.svg")?;
    writeln!(out, "digraph \"factgraph\" {{")?;
    writeln!(
        out,
        "  graph [rankdir=\"LR\", fontname=\"Helvetica\", fontsize=\"11\", nodesep=\"0.3\", ranksep=\"0.6\"];"
    )?;
    writeln!(
        out,
        "  node [shape=\"box\", style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=\"10\", penwidth=\"1.2\"];"
    )?;
    writeln!(
        out,
        "  edge [fontname=\"Helvetica\", fontsize=\"8\", color=\"#666666\", fontcolor=\"#444444\", arrowsize=\"0.7\"];"
    )?;
    let mut labels_present: BTreeSet<&str> = BTreeSet::new();
    let mut unlabelled = false;
    for (id, node) in &nodes {
        let (fill, line) = match node.labels.first() {
            Some(l) => label_colours(l),
            None => NO_LABEL_COLOURS,
        };
        labels_present.extend(node.labels.iter().map(String::as_str));
        unlabelled |= node.labels.is_empty();
        let mut text = wrap(&caption(node, *id));
        if !node.labels.is_empty() {
            text.push('\n');
            text.push_str(&labels_text(&node.labels));
        }
        let tooltip: Vec<String> = std::iter::once(format!("{id} {}", labels_text(&node.labels)))
            .chain(
                node.props
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", plain_text(v))),
            )
            .collect();
        writeln!(
            out,
            "  \"{id}\" [label=\"{}\", fillcolor=\"{fill}\", color=\"{line}\", tooltip=\"{}\"];",
            escape(&text),
            escape(&tooltip.join("\n"))
        )?;
    }
    for e in &edges {
        let tooltip: Vec<String> = std::iter::once(format!("{} :{}", e.id, e.edge.rel_type))
            .chain(
                e.edge
                    .props
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", plain_text(v))),
            )
            .collect();
        writeln!(
            out,
            "  \"{}\" -> \"{}\" [label=\"{}\", tooltip=\"{}\"];",
            e.from,
            e.to,
            escape(&e.edge.rel_type),
            escape(&tooltip.join("\n"))
        )?;
    }
    if !labels_present.is_empty() || unlabelled {
        writeln!(out, "  subgraph \"cluster_legend\" {{")?;
        writeln!(
            out,
            "    graph [label=\"Labels\", style=\"rounded\", color=\"#999999\", fontsize=\"10\"];"
        )?;
        writeln!(out, "    node [fontsize=\"9\", height=\"0.3\"];")?;
        for label in &labels_present {
            let (fill, line) = label_colours(label);
            writeln!(
                out,
                "    \"legend:{}\" [label=\"{}\", fillcolor=\"{fill}\", color=\"{line}\", tooltip=\"{}\"];",
                escape(label),
                escape(label),
                escape(&format!("nodes labelled :{label}"))
            )?;
        }
        if unlabelled {
            let (fill, line) = NO_LABEL_COLOURS;
            writeln!(
                out,
                "    \"legend:\" [label=\"(no label)\", fillcolor=\"{fill}\", color=\"{line}\"];"
            )?;
        }
        writeln!(out, "  }}")?;
    }
    writeln!(out, "}}")?;
    Ok(())
}

/// Escapes text for a quoted DOT escString.
pub(super) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            // Other control characters have no meaning in a caption and some
            // renderers reject them.
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Breaks a caption into lines of at most [`WRAP`] characters at spaces
/// (a longer word stays whole).
fn wrap(text: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        for word in para.split(' ') {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > WRAP {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_backslash_quote_and_newlines() {
        assert_eq!(escape(r#"a\b"c"#), r#"a\\b\"c"#);
        assert_eq!(escape("x\r\ny\nz\rw"), r"x\ny\nz\nw");
        assert_eq!(escape("trailing\\"), "trailing\\\\");
        assert_eq!(escape("tab\there"), "tab here");
    }

    #[test]
    fn wraps_at_spaces() {
        assert_eq!(
            wrap("President of the United States"),
            "President of the United\nStates"
        );
        assert_eq!(wrap("short"), "short");
        assert_eq!(
            wrap("averyveryveryverylongwordthatcannotwrap x"),
            "averyveryveryverylongwordthatcannotwrap\nx"
        );
    }
}
