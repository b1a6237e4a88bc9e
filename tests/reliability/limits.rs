//! Resource limits: statements built to exhaust the stack, memory or time
//! either complete or stop with a typed error, and leave the store exactly as
//! it was. Graphs come from `factgraph::gen`, the query text is built here.

use std::time::{Duration, Instant};

use factgraph::gen::{generate, GenConfig};
use factgraph::query::{self, Limits, Params, QueryError, QueryResult};
use factgraph::store::{codec, Graph};

fn dense_graph() -> Graph {
    generate(&GenConfig {
        people: 60,
        seed: 7,
        edges_per_node: 12,
    })
}

fn run(g: &mut Graph, text: &str, limits: &Limits) -> Result<QueryResult, QueryError> {
    query::run_limited(g, text, &Params::new(), &[], limits)
}

/// Runs `text`, expects it to fail with `code`, and checks that the graph
/// still encodes to the same bytes as before.
fn fails_unchanged(g: &mut Graph, text: &str, limits: &Limits, code: &str) -> QueryError {
    let before = codec::encode(g).expect("encode");
    let started = Instant::now();
    let err = match run(g, text, limits) {
        Ok(r) => panic!("{text:.80}: expected {code}, got {} rows", r.rows.len()),
        Err(e) => e,
    };
    assert_eq!(err.code(), code, "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "took {:?}",
        started.elapsed()
    );
    assert!(
        codec::encode(g).expect("encode") == before,
        "the graph changed"
    );
    err
}

fn syntax_position(e: &QueryError) -> (usize, usize) {
    match e {
        QueryError::Syntax(s) => (s.position.line, s.position.column),
        other => panic!("expected a syntax error, got {other}"),
    }
}

#[test]
fn a_hundred_thousand_nested_brackets_stop_at_the_nesting_limit_with_a_position() {
    let mut g = Graph::default();
    let n = 100_000;
    for (open, close) in [("(", ")"), ("[", "]"), ("{a: ", "}")] {
        let text = format!("RETURN {}1{} AS x", open.repeat(n), close.repeat(n));
        let e = fails_unchanged(&mut g, &text, &Limits::default(), "Syntax");
        // The 101st bracket is the first one too deep.
        let column = "RETURN ".len() + 100 * open.chars().count() + 1;
        assert_eq!(syntax_position(&e), (1, column), "{open}: {e}");
        assert!(e.to_string().contains("nest"), "{e}");
    }
    // Within the limit, nesting works.
    let ok = format!("RETURN {}1{} AS x", "(".repeat(100), ")".repeat(100));
    assert_eq!(
        run(&mut g, &ok, &Limits::default())
            .expect("100 levels")
            .rows
            .len(),
        1
    );
}

#[test]
fn long_prefix_and_operator_chains_stop_with_a_position() {
    let mut g = Graph::default();
    let n = 100_000;
    for (op, tail) in [("NOT ", "true"), ("- ", "1"), ("+ ", "1")] {
        let text = format!("RETURN {}{tail} AS x", op.repeat(n));
        let e = fails_unchanged(&mut g, &text, &Limits::default(), "Syntax");
        let (line, column) = syntax_position(&e);
        assert_eq!(line, 1, "{e}");
        assert!(column > "RETURN ".len() && column < text.len(), "{e}");
    }
    let sum = format!("RETURN 1{} AS x", " + 1".repeat(n));
    fails_unchanged(&mut g, &sum, &Limits::default(), "Syntax");
    // Ten levels of everything at once still run.
    let deep = format!("RETURN {}true AS x", "NOT ".repeat(10));
    let r = run(&mut g, &deep, &Limits::default()).expect("ten NOTs");
    assert_eq!(r.rows[0][0], query::Val::Bool(true));
}

/// Each of these overflowed the 256 MiB query stack (the process aborted)
/// before the parser bounded the depth of the whole expression tree: the
/// bracket and chain limits held, but chains inside brackets multiply, and
/// postfix operators and predicate tails had no limit at all.
#[test]
fn chains_that_used_to_overflow_the_stack_are_syntax_errors() {
    let mut g = Graph::new(factgraph::model::Schema::open());
    let n = 20_000;
    let nested_sums = format!(
        "RETURN {}1{} AS x",
        "(".repeat(100),
        format!("{})", " + 1".repeat(999)).repeat(100)
    );
    let nested_is_null = format!(
        "RETURN {}true{} AS x",
        "(".repeat(100),
        format!("{})", " IS NULL".repeat(999)).repeat(100)
    );
    let texts = [
        format!("WITH {{a: 1}} AS m RETURN m{} AS x", ".a".repeat(n)),
        format!("RETURN [1]{} AS x", "[0]".repeat(n)),
        format!("RETURN 1{} AS x", " IS NULL".repeat(n)),
        format!("RETURN 1{} AS x", " < 2".repeat(n)),
        format!("RETURN 1{} AS x", " IN [1]".repeat(n)),
        format!(
            "RETURN {}1{} AS x",
            "CASE WHEN true THEN ".repeat(n),
            " END".repeat(n)
        ),
        format!("MATCH (a){} RETURN a", "-->()".repeat(n)),
        nested_sums,
        nested_is_null,
    ];
    for text in &texts {
        let e = fails_unchanged(&mut g, text, &Limits::default(), "Syntax");
        assert!(
            e.to_string().contains("nests too deeply"),
            "{text:.60}: {e}"
        );
        let (line, column) = syntax_position(&e);
        assert!(line == 1 && column > 1 && column <= text.len(), "{e}");
    }
    // Long but flat: many siblings are not deep.
    let wide = format!("RETURN [{}] AS x", vec!["-1 + 2"; 20_000].join(", "));
    assert_eq!(
        run(&mut g, &wide, &Limits::default())
            .expect("wide list")
            .rows
            .len(),
        1
    );
    let many_sets = format!(
        "CREATE (n:Organization {{name: 'wide'}}) SET {}",
        (0..2_000)
            .map(|i| format!("n.p{i} = -{i}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    run(&mut g, &many_sets, &Limits::default()).expect("2000 SET items");
}

#[test]
fn a_ten_megabyte_query_runs_or_is_refused_cleanly() {
    let mut g = Graph::default();
    let ten_mb = 10 * 1024 * 1024;
    // A 10 MB string literal is data: it runs.
    let text = format!("RETURN size('{}') AS n", "x".repeat(ten_mb));
    let r = run(&mut g, &text, &Limits::default()).expect("10 MB literal");
    assert_eq!(r.rows[0][0], query::Val::Int(ten_mb as i64));
    // 10 MB of comment before a query.
    let text = format!("/* {} */ RETURN 1 AS one", "-".repeat(ten_mb));
    assert_eq!(
        run(&mut g, &text, &Limits::default())
            .expect("comment")
            .rows
            .len(),
        1
    );
    // A 10 MB list literal of two million items.
    let items = vec!["1234"; 2_000_000].join(",");
    let text = format!("RETURN size([{items}]) AS n");
    let started = Instant::now();
    let r = run(&mut g, &text, &Limits::default()).expect("10 MB list");
    assert_eq!(r.rows[0][0], query::Val::Int(2_000_000));
    eprintln!("10 MB list literal: {:?}", started.elapsed());
    // 10 MB of garbage after a valid start: a syntax error at its first byte.
    let text = format!("RETURN 1 AS one {}", "@".repeat(ten_mb));
    let e = fails_unchanged(&mut g, &text, &Limits::default(), "Syntax");
    assert_eq!(syntax_position(&e), (1, "RETURN 1 AS one ".len() + 1));
    // The message shows the line around the error, not 10 MB of it, and no
    // control character reaches the terminal.
    let shown = e.to_string();
    assert!(shown.len() < 500, "{} bytes of error message", shown.len());
    assert!(
        shown.contains("RETURN 1 AS one @@@") && shown.contains('…'),
        "{shown}"
    );
    let text = format!("{}\u{1b}[2J\u{0} RETURN", "x ".repeat(100));
    let shown = run(&mut g, &text, &Limits::default())
        .expect_err("garbage")
        .to_string();
    assert!(
        !shown.contains('\u{1b}') && !shown.contains('\u{0}'),
        "{shown:?}"
    );
}

#[test]
fn variable_length_star_over_a_dense_graph_stops_at_the_row_limit() {
    let mut g = dense_graph();
    assert!(g.edge_count() > 10 * g.node_count(), "not dense");
    let limits = Limits {
        max_rows: Some(100_000),
        ..Limits::default()
    };
    let e = fails_unchanged(
        &mut g,
        "MATCH (a)-[*]->(b) RETURN count(*) AS paths",
        &limits,
        "Runtime.RowLimit",
    );
    assert!(e.to_string().contains("--max-rows"), "{e}");
    // A bounded pattern on the same graph completes under the same limit.
    let r = run(
        &mut g,
        "MATCH (a:Person)-[*1..2]->(b) RETURN count(*) AS paths",
        &limits,
    )
    .expect("bounded expansion");
    assert!(matches!(r.rows[0][0], query::Val::Int(n) if n > 0));
}

#[test]
fn changes_made_before_a_limit_stops_the_statement_are_rolled_back() {
    let mut g = dense_graph();
    let nodes = g.node_count();
    let limits = Limits {
        max_rows: Some(50_000),
        ..Limits::default()
    };
    fails_unchanged(
        &mut g,
        "UNWIND range(1, 500) AS i CREATE (:Organization {name: 'Probe ' + toString(i)}) \
         WITH count(*) AS made MATCH (a)-[*]-(b) RETURN count(*) AS paths",
        &limits,
        "Runtime.RowLimit",
    );
    assert_eq!(g.node_count(), nodes);
}

#[test]
fn a_time_limit_stops_an_unbounded_expansion() {
    let mut g = dense_graph();
    let limits = Limits {
        max_rows: None,
        timeout: Some(Duration::from_millis(300)),
        cancel: None,
    };
    let started = Instant::now();
    // Counting with a filter that no path passes holds no rows, so only the clock stops it.
    let e = fails_unchanged(
        &mut g,
        "MATCH (a:Person) WHERE EXISTS { MATCH (a)-[*]-(b) WHERE b.name = 'nobody at all' } RETURN count(a) AS n",
        &limits,
        "Runtime.Timeout",
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "stopped late: {:?}",
        started.elapsed()
    );
    assert!(e.to_string().contains("--timeout"), "{e}");
}

#[test]
fn a_cartesian_product_of_large_matches_stops_at_the_row_limit() {
    let mut g = generate(&GenConfig {
        people: 300,
        seed: 11,
        edges_per_node: 3,
    });
    let n = g.node_count() as i64;
    let limits = Limits {
        max_rows: Some(1_000_000),
        ..Limits::default()
    };
    // n² rows fit; n³ do not.
    let r = run(
        &mut g,
        "MATCH (a:Person), (b:Person) RETURN count(*) AS c",
        &limits,
    )
    .expect("300 x 300");
    assert_eq!(r.rows[0][0], query::Val::Int(300 * 300));
    assert!(n * n * n > 1_000_000);
    fails_unchanged(
        &mut g,
        "MATCH (a), (b), (c) RETURN count(*) AS c",
        &limits,
        "Runtime.RowLimit",
    );
}

#[test]
fn nested_list_comprehensions_stop_at_the_row_limit() {
    let mut g = Graph::default();
    let limits = Limits {
        max_rows: Some(100_000),
        ..Limits::default()
    };
    fails_unchanged(
        &mut g,
        "RETURN size([x IN range(1, 1000000) | range(1, 1000000)]) AS n",
        &limits,
        "Runtime.RowLimit",
    );
    fails_unchanged(
        &mut g,
        "UNWIND range(1, 1000) AS a UNWIND range(1, 1000) AS b RETURN count(*) AS n",
        &limits,
        "Runtime.RowLimit",
    );
}

#[test]
fn a_cancellation_flag_stops_a_running_query() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let mut g = dense_graph();
    let flag = Arc::new(AtomicBool::new(false));
    let limits = Limits {
        max_rows: None,
        timeout: Some(Duration::from_secs(60)),
        cancel: Some(flag.clone()),
    };
    let setter = {
        let flag = flag.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(200));
            flag.store(true, Ordering::Relaxed);
        })
    };
    let started = Instant::now();
    fails_unchanged(
        &mut g,
        "MATCH (a:Person) WHERE EXISTS { MATCH (a)-[*]-(b) WHERE b.name = 'nobody at all' } RETURN count(a) AS n",
        &limits,
        "Runtime.Cancelled",
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    setter.join().expect("setter thread");
}

#[test]
fn the_default_limits_have_a_row_limit_and_no_time_limit() {
    let d = Limits::default();
    assert_eq!(d.max_rows, Some(query::DEFAULT_MAX_ROWS));
    assert_eq!(d.timeout, None);
}
