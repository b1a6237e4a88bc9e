//! Fuzzing the query language on stable Rust: every golden query of
//! tests/queries/*.test, mutated by byte edits, and statements built from
//! random tokens, run against the seed graph. Each must give a result or a
//! typed error — a syntax or semantic error pointing at a line and column
//! inside the text — never a panic, a hang or a changed graph after an error.
//!
//! `cargo test --test fuzz_query` runs a fixed number of cases from a fixed
//! seed; `FACTGRAPH_FUZZ_CASES=100000 cargo test --release --test fuzz_query`
//! runs more.

#[path = "mutate.rs"]
mod mutate;

use std::time::Duration;

use factgraph::query::{self, Limits, Params, QueryError, Val};
use factgraph::store::{codec, Graph};
use proptest::prelude::*;

/// Every `query:` and `setup:` line of the golden query files.
fn corpus() -> Vec<String> {
    let dir = mutate::root().join("tests/queries");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/queries")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "test"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("read a .test file");
        for line in text.lines() {
            if let Some(q) = line
                .strip_prefix("query: ")
                .or_else(|| line.strip_prefix("setup: "))
            {
                out.push(q.to_string());
            }
        }
    }
    assert!(out.len() > 400, "the golden corpus shrank to {}", out.len());
    out
}

/// Small limits, so that a mutation that turns `*1..2` into `*` or a LIMIT
/// into a cartesian product ends quickly with an error instead of a hang.
fn limits() -> Limits {
    Limits {
        max_rows: Some(200_000),
        timeout: Some(Duration::from_secs(2)),
        cancel: None,
    }
}

fn params() -> Params {
    let mut p = Params::new();
    p.insert("p".into(), Val::Str("Steve Witkoff\u{202e}'\"\\`\0".into()));
    p.insert("n".into(), Val::Int(2));
    p
}

/// Whether `error` is one the user can act on: a position inside `text` for
/// syntax and located semantic errors, a code and a message always.
fn well_formed(text: &str, error: &QueryError) -> Result<(), TestCaseError> {
    let shown = error.to_string();
    prop_assert!(!shown.is_empty(), "empty error message");
    prop_assert!(!error.code().is_empty());
    let lines = text.split('\n').count();
    let position = match error {
        QueryError::Syntax(s) => Some(s.position),
        QueryError::Semantic {
            location: Some(l), ..
        } => Some(l.position),
        _ => None,
    };
    if let Some(p) = position {
        prop_assert!(
            p.line >= 1 && p.line <= lines && p.column >= 1,
            "position {p:?} outside the text ({lines} lines): {shown}"
        );
    }
    prop_assert!(
        !matches!(error.code(), "Runtime.Internal"),
        "internal error: {shown}"
    );
    Ok(())
}

fn run_case(base: &Graph, before: &[u8], text: &str) -> Result<(), TestCaseError> {
    let mut g = base.clone();
    match query::run_limited(&mut g, text, &params(), &[], &limits()) {
        Ok(_) => Ok(()),
        Err(e) => {
            well_formed(text, &e)?;
            let after = codec::encode(&g).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert!(after == before, "a failed statement changed the graph: {e}");
            Ok(())
        }
    }
}

#[test]
fn mutated_golden_queries_give_results_or_located_errors() {
    let corpus = corpus();
    let graph = factgraph::seed::graph().expect("seed graph");
    let before = codec::encode(&graph).expect("encode");
    let strategy = (0..corpus.len(), mutate::edits(6));
    mutate::check(
        "mutated golden queries",
        mutate::cases(400),
        strategy,
        |(i, edits)| {
            let bytes = mutate::apply(corpus[i].clone().into_bytes(), &edits);
            let text = String::from_utf8_lossy(&bytes);
            run_case(&graph, &before, &text)
        },
    );
}

/// Words and punctuation of the language, to build statements no golden
/// query resembles.
const TOKENS: &[&str] = &[
    "MATCH",
    "OPTIONAL MATCH",
    "RETURN",
    "WITH",
    "WHERE",
    "UNWIND",
    "AS",
    "ORDER BY",
    "SKIP",
    "LIMIT",
    "DISTINCT",
    "CREATE",
    "MERGE",
    "SET",
    "DELETE",
    "DETACH",
    "REMOVE",
    "CALL",
    "YIELD",
    "UNION",
    "ALL",
    "EXISTS",
    "CASE",
    "WHEN",
    "THEN",
    "ELSE",
    "END",
    "AND",
    "OR",
    "XOR",
    "NOT",
    "IN",
    "IS NULL",
    "STARTS WITH",
    "CONTAINS",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "(n)",
    "(m:Person)",
    "-",
    "->",
    "<-",
    "-[r]->",
    "-[*]-",
    "-[:HOLDS*1..3]->",
    ":",
    ",",
    ".",
    "n",
    "m",
    "r",
    "p",
    "n.name",
    "count(*)",
    "collect(n)",
    "size(",
    "length(p)",
    "shortestPath(",
    "nodes(p)",
    "1",
    "0",
    "-1",
    "2.5",
    "'x'",
    "\"y\"",
    "$p",
    "$n",
    "null",
    "true",
    "[1,2]",
    "{a: 1}",
    "*",
    "+",
    "/",
    "%",
    "^",
    "=",
    "<>",
    "<",
    ">=",
    "=~",
    "'.*'",
    "p =",
    "EXPLAIN",
    "PROFILE",
    ";",
    "range(1, 10)",
    "reduce(s = 0, x IN [1] | s + x)",
    "[x IN range(1,3) WHERE x > 1 | x]",
    "date('2025-11-20')",
    "duration('P1D')",
    "n:Person",
    "SHOW SCHEMA",
];

#[test]
fn token_soup_gives_results_or_located_errors() {
    let graph = factgraph::seed::graph().expect("seed graph");
    let before = codec::encode(&graph).expect("encode");
    let strategy = proptest::collection::vec(0..TOKENS.len(), 1..24);
    mutate::check("token soup", mutate::cases(400), strategy, |tokens| {
        let text: Vec<&str> = tokens.iter().map(|&t| TOKENS[t]).collect();
        run_case(&graph, &before, &text.join(" "))
    });
}

/// Inputs the fuzzers found or that sit on a known edge, kept as regressions.
#[test]
fn hostile_query_texts_are_rejected_with_positions() {
    let graph = factgraph::seed::graph().expect("seed graph");
    let before = codec::encode(&graph).expect("encode");
    let cases: Vec<String> = vec![
        String::new(),
        ";".into(),
        "\u{0}".into(),
        "\u{feff}RETURN 1".into(),
        "RETURN '\\u".into(),
        "RETURN '\\uD800'".into(),
        "RETURN \"\\".into(),
        "RETURN 1 /* never closed".into(),
        "MATCH (n) RETURN n //".into(),
        "RETURN 9223372036854775808".into(),
        "RETURN -9223372036854775808".into(),
        "RETURN 1e999".into(),
        "RETURN [1,2,3][9223372036854775807]".into(),
        "RETURN [1,2,3][-9223372036854775808..]".into(),
        "RETURN substring('é', 1, 9223372036854775807)".into(),
        "RETURN left('🦀x', 1), right('x🦀', 1)".into(),
        "MATCH (n)-[*9223372036854775807]->(m) RETURN m".into(),
        "MATCH (n)-[*5..2]->(m) RETURN m".into(),
        "\r\n\r\nMATCH (n:\u{202e}) RETURN n".into(),
        "MATCH (a)\n-[:X]->\n(b RETURN b".into(),
        "UNWIND range(1, 3) AS x RETURN x SKIP -1".into(),
    ];
    for text in cases {
        let r = run_case(&graph, &before, &text);
        assert!(r.is_ok(), "{text:?}: {r:?}");
    }
}
