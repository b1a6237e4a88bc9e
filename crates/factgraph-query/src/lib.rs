//! factgraph's query layer: the openCypher query language.
//!
//! May use: `factgraph-model` and `factgraph-store`. Used by: `factgraph`
//! (the shell, batch scripts, export statements and the command line).
//!
//! [`run`] is the only place where the stages meet: parse (pest grammar in
//! `grammar/query.pest`) → check (names, labels, functions) → explain or
//! execute. A statement that changes the graph either succeeds whole or
//! leaves the graph exactly as it was.

pub mod ast;
mod check;
mod counting;
mod error;
mod eval;
mod exec;
mod explain;
mod limits;
mod parser;
mod pattern;
mod procedures;
mod project;
pub mod temporal;
mod value;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use factgraph_store::Graph;

pub use error::{Location, QResult, QueryError};
pub use eval::{WorkCounters, AGGREGATES, FUNCTIONS};
pub use exec::{ClauseProfile, Counters};
pub use limits::{parse_max_rows, parse_timeout, Limits, DEFAULT_MAX_ROWS};
pub use parser::parse;
pub use procedures::{TableProcedure, PROCEDURES};
pub use value::{Path, Val};

use ast::{Clause, Mode, Query};

/// What a query returned.
#[derive(Debug, Clone)]
pub struct QueryResult {
    /// Column names.
    pub columns: Vec<String>,
    /// Rows of values, aligned with `columns`.
    pub rows: Vec<Vec<Val>>,
    /// What the statement changed.
    pub counters: Counters,
    /// The plan, for EXPLAIN and PROFILE.
    pub plan: Option<String>,
    /// Rows and time per clause, for PROFILE.
    pub profile: Option<Vec<ClauseProfile>>,
    /// Nodes read by scans.
    pub nodes_scanned: u64,
    /// Property-index lookups made.
    pub index_lookups: u64,
    /// Relationships followed.
    pub rels_expanded: u64,
    /// Wall time of the whole statement.
    pub elapsed: Duration,
}

/// Parameters by name.
pub type Params = BTreeMap<String, Val>;

/// Reads a parameter value given on a command line: a Cypher literal
/// (`42`, `'text'`, `[1, 2]`, `{a: 1}`, `true`, `date('2025-11-25')`), else
/// JSON (`{"a": 1}`, `[1, "x"]`: what scripts have at hand), else the text
/// itself as a string.
pub fn parse_param_value(text: &str) -> Val {
    let mut empty = Graph::new(factgraph_model::Schema::open());
    match run(&mut empty, &format!("RETURN {text} AS v"), &Params::new()) {
        Ok(r) if r.rows.len() == 1 && !text.trim().is_empty() => r.rows[0][0].clone(),
        _ => match serde_json::from_str::<serde_json::Value>(text) {
            Ok(json) => from_json(json),
            Err(_) => Val::Str(text.to_string()),
        },
    }
}

/// A JSON value as a query value: objects become maps, arrays lists,
/// integers that fit `INTEGER` integers and other numbers floats.
fn from_json(json: serde_json::Value) -> Val {
    use serde_json::Value as J;
    match json {
        J::Null => Val::Null,
        J::Bool(b) => Val::Bool(b),
        J::Number(n) => match n.as_i64() {
            Some(i) => Val::Int(i),
            None => Val::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        J::String(s) => Val::Str(s),
        J::Array(items) => Val::List(items.into_iter().map(from_json).collect()),
        J::Object(m) => Val::Map(m.into_iter().map(|(k, v)| (k, from_json(v))).collect()),
    }
}

/// Whether a statement can change the graph (so callers know to save).
pub fn is_update(text: &str) -> bool {
    match parse(text) {
        Ok(s) => mutates(&s.query),
        Err(_) => false,
    }
}

fn mutates(q: &Query) -> bool {
    match q {
        Query::ShowSchema => false,
        Query::Regular { parts, .. } => parts.iter().flatten().any(|c| {
            matches!(
                c,
                Clause::Create(_)
                    | Clause::Merge { .. }
                    | Clause::Set(_)
                    | Clause::Remove(_)
                    | Clause::Delete { .. }
            )
        }),
    }
}

/// Parses, checks and runs one statement against `graph`.
///
/// On any error the graph is left exactly as it was before the call.
pub fn run(graph: &mut Graph, text: &str, params: &Params) -> QResult<QueryResult> {
    run_with(graph, text, params, &[])
}

/// [`run`] with procedures of the caller's besides the built-in ones (they
/// take precedence over a built-in of the same name).
pub fn run_with(
    graph: &mut Graph,
    text: &str,
    params: &Params,
    procedures: &[TableProcedure],
) -> QResult<QueryResult> {
    run_limited(graph, text, params, procedures, &Limits::default())
}

/// [`run_with`] under `limits`: a statement that exceeds them fails with
/// `Runtime.RowLimit`, `Runtime.Timeout` or `Runtime.Cancelled` and, like
/// any failed statement, leaves the graph exactly as it was.
pub fn run_limited(
    graph: &mut Graph,
    text: &str,
    params: &Params,
    procedures: &[TableProcedure],
    limits: &Limits,
) -> QResult<QueryResult> {
    // Parsing and evaluation recurse with the query's nesting: run on a deep
    // stack so that a deep query cannot overflow the caller's.
    parser::with_deep_stack(|| run_here(graph, text, params, procedures, limits))
}

/// The compile-time part of [`run_with`]: parses `text` and runs the
/// semantic checks against the graph's schema, without reading a row or
/// changing anything. An error from here is a *compile-time* error; an
/// error that only [`run_with`] raises happened at *runtime* (see
/// [`QueryError::tck_class`]).
pub fn check_query(
    graph: &Graph,
    text: &str,
    params: &Params,
    procedures: &[TableProcedure],
) -> QResult<()> {
    parser::with_deep_stack(|| compile(graph, text, params, procedures).map(|_| ()))
}

fn compile(
    graph: &Graph,
    text: &str,
    params: &Params,
    procedures: &[TableProcedure],
) -> QResult<(Mode, Query)> {
    let statement = parser::parse_here(text).map_err(QueryError::Syntax)?;
    let query = match statement.query {
        Query::ShowSchema => Query::Regular {
            parts: vec![vec![Clause::Call {
                name: "db.schema".into(),
                args: Vec::new(),
                implicit_args: false,
                yields: None,
                yield_star: false,
                filter: None,
                span: ast::Span::default(),
            }]],
            all: Vec::new(),
        },
        q => q,
    };
    check::check(&query, graph.schema(), text, params, procedures)?;
    Ok((statement.mode, query))
}

fn run_here(
    graph: &mut Graph,
    text: &str,
    params: &Params,
    procedures: &[TableProcedure],
    limits: &Limits,
) -> QResult<QueryResult> {
    let started = Instant::now();
    let (mode, query) = compile(graph, text, params, procedures)?;
    let statement = ast::Statement { mode, query };
    let query = statement.query;
    let Query::Regular { parts, all } = &query else {
        return Err(QueryError::runtime(
            "Runtime.Internal",
            "unexpected query form",
        ));
    };
    let work = WorkCounters {
        guard: limits::Guard::new(limits),
        ..WorkCounters::default()
    };
    let mut result = QueryResult {
        columns: Vec::new(),
        rows: Vec::new(),
        counters: Counters::default(),
        plan: None,
        profile: None,
        nodes_scanned: 0,
        index_lookups: 0,
        rels_expanded: 0,
        elapsed: Duration::ZERO,
    };
    if statement.mode == Mode::Explain {
        let ctx = eval::Ctx {
            graph,
            params,
            work: &work,
        };
        let plan: Vec<String> = parts.iter().map(|p| explain::explain(&ctx, p)).collect();
        result.columns = vec!["plan".into()];
        let text = plan.join("UNION\n");
        result.rows = text
            .lines()
            .map(|l| vec![Val::Str(l.to_string())])
            .collect();
        result.plan = Some(text);
        result.elapsed = started.elapsed();
        return Ok(result);
    }
    // Statement-level atomicity: record the changes, undo them all on failure.
    let checkpoint = graph.checkpoint();
    let outcome = execute(
        graph,
        parts,
        all,
        params,
        &work,
        statement.mode == Mode::Profile,
        procedures,
    );
    match outcome {
        Ok((columns, rows, counters, profile)) => {
            graph.commit(checkpoint);
            result.columns = columns;
            result.rows = rows;
            result.counters = counters;
            if let Some(p) = profile {
                let ctx = eval::Ctx {
                    graph,
                    params,
                    work: &work,
                };
                let mut text: String = parts
                    .iter()
                    .map(|p| explain::explain(&ctx, p))
                    .collect::<Vec<_>>()
                    .join("UNION\n");
                text.push_str("\nclause               rows      time\n");
                for c in &p {
                    text.push_str(&format!(
                        "{:<20} {:>6} {:>9.3} ms\n",
                        c.clause,
                        c.rows,
                        c.time.as_secs_f64() * 1000.0
                    ));
                }
                text.push_str(&format!(
                    "nodes scanned: {}, index lookups: {}, relationships expanded: {}\n",
                    work.nodes_scanned.get(),
                    work.index_lookups.get(),
                    work.rels_expanded.get()
                ));
                result.plan = Some(text);
                result.profile = Some(p);
            }
        }
        Err(e) => {
            graph.rollback(checkpoint);
            return Err(e);
        }
    }
    result.nodes_scanned = work.nodes_scanned.get();
    result.index_lookups = work.index_lookups.get();
    result.rels_expanded = work.rels_expanded.get();
    result.elapsed = started.elapsed();
    Ok(result)
}

type Executed = (
    Vec<String>,
    Vec<Vec<Val>>,
    Counters,
    Option<Vec<ClauseProfile>>,
);

fn execute(
    graph: &mut Graph,
    parts: &[Vec<Clause>],
    all: &[bool],
    params: &Params,
    work: &WorkCounters,
    profile: bool,
    procedures: &[TableProcedure],
) -> QResult<Executed> {
    let mut columns = Vec::new();
    let mut rows: Vec<Vec<Val>> = Vec::new();
    let mut counters = Counters::default();
    let mut profiles = profile.then(Vec::new);
    for (i, clauses) in parts.iter().enumerate() {
        let mut ex = exec::Executor {
            params,
            work,
            procedures,
            counters: Counters::default(),
            profile: profile.then(Vec::new),
        };
        let table = ex.run(graph, clauses)?;
        let returns = matches!(clauses.last(), Some(Clause::Return(_)))
            || (clauses.len() == 1 && matches!(clauses[0], Clause::Call { .. }));
        if i == 0 {
            columns = if returns { table.names } else { Vec::new() };
        }
        if returns {
            rows.extend(table.rows);
        }
        let c = ex.counters;
        counters.nodes_created += c.nodes_created;
        counters.nodes_deleted += c.nodes_deleted;
        counters.relationships_created += c.relationships_created;
        counters.relationships_deleted += c.relationships_deleted;
        counters.properties_set += c.properties_set;
        counters.labels_added += c.labels_added;
        counters.labels_removed += c.labels_removed;
        if let (Some(all_p), Some(p)) = (&mut profiles, ex.profile) {
            all_p.extend(p);
        }
        // UNION (without ALL) removes duplicates from everything so far.
        if i > 0 && !all.get(i - 1).copied().unwrap_or(false) {
            let mut seen = std::collections::HashSet::new();
            rows.retain(|r| {
                seen.insert(
                    r.iter()
                        .map(Val::group_key)
                        .collect::<Vec<_>>()
                        .join("\u{1}"),
                )
            });
        }
    }
    Ok((columns, rows, counters, profiles))
}
