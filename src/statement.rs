//! One statement of factgraph's language: a query, or an `EXPORT` of the
//! subgraph a query returns. The shell, batch scripts and `factgraph query`
//! all run statements through [`run`], so EXPORT works everywhere a query does.

use std::path::{Path, PathBuf};
use std::time::Instant;

use pest::Parser;
use pest_derive::Parser;

use crate::export::{self, CypherDialect, ExportFormat, Subgraph};
use crate::query::{self, Counters, Params, QueryError, QueryResult, Val};
use crate::store::Graph;
use crate::syntax::{from_pest, locate, SyntaxError};

#[derive(Parser)]
#[grammar = "../grammar/export.pest"]
struct ExportParser;

/// A parsed `EXPORT (query) TO 'file' [FORMAT f] [HOPS n] [DIALECT d]`.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportStatement {
    /// The wrapped query.
    pub query: String,
    /// Byte offset of the query in the statement text (for error positions).
    pub query_offset: usize,
    /// The target file (for CSV, a folder or a file-name prefix).
    pub target: PathBuf,
    /// The format, from FORMAT or else from the target's extension.
    pub format: ExportFormat,
    /// Neighbourhood hops to add around the result.
    pub hops: u32,
    /// Cypher dialect.
    pub dialect: CypherDialect,
}

/// Whether `text` is an EXPORT statement (it starts with the keyword).
pub fn is_export(text: &str) -> bool {
    let mut rest = text.trim_start();
    // Skip leading comments the way the grammar does.
    loop {
        if let Some(r) = rest.strip_prefix("//") {
            rest = r.find('\n').map_or("", |i| &r[i..]).trim_start();
        } else if let Some(r) = rest.strip_prefix("/*") {
            rest = r.find("*/").map_or("", |i| &r[i + 2..]).trim_start();
        } else {
            break;
        }
    }
    rest.len() >= 6
        && rest[..6].eq_ignore_ascii_case("export")
        && !rest[6..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
}

fn describe(rule: &Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::EXPORT => "EXPORT",
        Rule::TO => "TO",
        Rule::target => "a quoted file name",
        Rule::option | Rule::format_option | Rule::hops_option | Rule::dialect_option => {
            "FORMAT, HOPS or DIALECT"
        }
        Rule::word => "a name",
        Rule::number => "a number",
        Rule::EOI => "end of statement",
        Rule::inner => "a query in parentheses",
        _ => return None,
    })
}

/// Parses an EXPORT statement.
pub fn parse_export(text: &str) -> Result<ExportStatement, SyntaxError> {
    let pair = ExportParser::parse(Rule::export_statement, text)
        .map_err(|e| from_pest(&e, text, describe))?
        .next()
        .ok_or_else(|| syntax(text, 0, "empty statement".into()))?;
    let mut query = String::new();
    let mut query_offset = 0;
    let mut target = PathBuf::new();
    let mut format = None;
    let mut hops = 0;
    let mut dialect = CypherDialect::default();
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::inner => {
                query = p.as_str().to_string();
                query_offset = p.as_span().start();
            }
            Rule::target => target = PathBuf::from(p.into_inner().as_str()),
            Rule::option => {
                let Some(opt) = p.into_inner().next() else {
                    continue;
                };
                let rule = opt.as_rule();
                let Some(value) = opt.clone().into_inner().last() else {
                    continue;
                };
                let at = value.as_span().start();
                match rule {
                    Rule::format_option => {
                        format = Some(value.as_str().parse::<ExportFormat>().map_err(|_| {
                            syntax(text, at, format!("unknown export format {:?}: use dot, json, graphml, cypher, csv or jsonl", value.as_str()))
                        })?)
                    }
                    Rule::hops_option => {
                        hops = value
                            .as_str()
                            .parse()
                            .map_err(|_| syntax(text, at, "HOPS is too large".into()))?
                    }
                    _ => {
                        dialect = match value.as_str().to_lowercase().as_str() {
                            "kuzu" => CypherDialect::Kuzu,
                            "opencypher" | "neo4j" | "factgraph" => CypherDialect::OpenCypher,
                            other => return Err(syntax(text, at, format!("unknown Cypher dialect {other:?}: use neo4j or kuzu"))),
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let format = match format.or_else(|| ExportFormat::from_path(&target)) {
        Some(f) => f,
        None => {
            return Err(syntax(
                text,
                text.len(),
                format!(
                    "cannot tell the format of {}: add FORMAT dot|json|graphml|cypher|csv",
                    target.display()
                ),
            ))
        }
    };
    Ok(ExportStatement {
        query,
        query_offset,
        target,
        format,
        hops,
        dialect,
    })
}

fn syntax(text: &str, offset: usize, message: String) -> SyntaxError {
    let (position, line_text) = locate(text, offset);
    SyntaxError {
        position,
        message,
        line_text,
    }
}

/// Runs one statement: an EXPORT, or any query.
pub fn run(graph: &mut Graph, text: &str, params: &Params) -> Result<QueryResult, QueryError> {
    run_limited(graph, text, params, &query::Limits::default())
}

/// [`run`] under row and time limits and a cancellation flag (see [`query::Limits`]).
pub fn run_limited(
    graph: &mut Graph,
    text: &str,
    params: &Params,
    limits: &query::Limits,
) -> Result<QueryResult, QueryError> {
    if !is_export(text) {
        return query::run_limited(graph, text, params, &[], limits);
    }
    let started = Instant::now();
    let stmt = parse_export(text).map_err(QueryError::Syntax)?;
    if query::is_update(&stmt.query) {
        return Err(QueryError::Runtime {
            code: "Export.NotReadOnly",
            message: "EXPORT takes a read-only query (MATCH ... RETURN ...), not one that changes the graph".into(),
        });
    }
    let result = query::run_limited(graph, &stmt.query, params, &[], limits)
        .map_err(|e| shift(e, text, stmt.query_offset))?;
    let sub = subgraph(graph, &result.rows, stmt.hops);
    let files = write_export(graph, &sub, &stmt)?;
    let columns = vec![
        "file".to_string(),
        "format".into(),
        "nodes".into(),
        "relationships".into(),
    ];
    let rows = files
        .iter()
        .map(|f| {
            vec![
                Val::Str(f.display().to_string()),
                Val::Str(stmt.format.name().to_string()),
                Val::Int(sub.node_count() as i64),
                Val::Int(sub.edge_count() as i64),
            ]
        })
        .collect();
    Ok(QueryResult {
        columns,
        rows,
        counters: Counters::default(),
        plan: None,
        profile: None,
        nodes_scanned: result.nodes_scanned,
        index_lookups: result.index_lookups,
        rels_expanded: result.rels_expanded,
        elapsed: started.elapsed(),
    })
}

/// The subgraph a result binds, grown by `hops` without walking through Document nodes
/// (every mentioned node links to its document, which would pull in the whole graph).
pub fn subgraph(graph: &Graph, rows: &[Vec<Val>], hops: u32) -> Subgraph {
    let mut sub = Subgraph::from_rows(graph, rows);
    sub.expand_filtered(graph, hops, &|_, n| !n.has_label("Document"));
    sub
}

fn write_export(
    graph: &Graph,
    sub: &Subgraph,
    stmt: &ExportStatement,
) -> Result<Vec<PathBuf>, QueryError> {
    let failed = |e: export::ExportError| QueryError::Runtime {
        code: e.code(),
        message: format!("cannot export to {}: {e}", stmt.target.display()),
    };
    if stmt.format == ExportFormat::Cypher {
        let mut buf = Vec::new();
        export::write_cypher(graph, sub, stmt.dialect, &mut buf).map_err(failed)?;
        write_file(&stmt.target, &buf).map_err(failed)?;
        return Ok(vec![stmt.target.clone()]);
    }
    export::write_to_path(graph, sub, stmt.format, &stmt.target).map_err(failed)
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), export::ExportError> {
    std::fs::write(path, bytes).map_err(export::ExportError::from)
}

/// Moves an error of the inner query to its place in the whole statement.
fn shift(e: QueryError, text: &str, offset: usize) -> QueryError {
    let relocate = |line: usize, column: usize| {
        let (outer, _) = locate(text, offset);
        if line == 1 {
            (outer.line, outer.column + column - 1)
        } else {
            (outer.line + line - 1, column)
        }
    };
    match e {
        QueryError::Syntax(mut s) => {
            let (l, c) = relocate(s.position.line, s.position.column);
            s.position.line = l;
            s.position.column = c;
            s.line_text = text.lines().nth(l - 1).unwrap_or_default().to_string();
            QueryError::Syntax(s)
        }
        QueryError::Semantic {
            code,
            message,
            location: Some(mut loc),
        } => {
            let (l, c) = relocate(loc.position.line, loc.position.column);
            loc.position.line = l;
            loc.position.column = c;
            loc.line_text = text.lines().nth(l - 1).unwrap_or_default().to_string();
            QueryError::Semantic {
                code,
                message,
                location: Some(loc),
            }
        }
        other => other,
    }
}
