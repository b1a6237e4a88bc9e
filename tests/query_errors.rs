//! Every class of query error: its stable code, its message, and where it
//! points; statement atomicity; and index use on a larger graph.

use factgraph::model::Schema;
use factgraph::query::{self, Params, QueryError, QueryResult, Val};
use factgraph::store::Graph;

fn seed() -> Graph {
    factgraph::seed::graph().expect("the seed graph loads")
}

fn empty() -> Graph {
    Graph::new(Schema::open())
}

fn run(g: &mut Graph, q: &str) -> Result<QueryResult, QueryError> {
    query::run(g, q, &Params::new())
}

/// Runs `q` on the seed graph, expecting an error with `code`; returns it.
fn error(q: &str, code: &str) -> QueryError {
    error_on(&mut seed(), q, code)
}

fn error_on(g: &mut Graph, q: &str, code: &str) -> QueryError {
    match run(g, q) {
        Ok(r) => panic!("{q}: expected {code}, got {} row(s)", r.rows.len()),
        Err(e) => {
            assert_eq!(e.code(), code, "{q}: wrong code for: {e}");
            e
        }
    }
}

/// Asserts that the error text contains every piece.
fn says(e: &QueryError, pieces: &[&str]) {
    let text = e.to_string();
    for p in pieces {
        assert!(text.contains(p), "{text:?} does not contain {p:?}");
    }
}

// ---------------------------------------------------------------- syntax

#[test]
fn syntax_error_on_line_two_has_line_column_and_caret() {
    let q = "MATCH (p:Person)\nWHERE p.name = 'x' RETRUN p";
    let e = error(q, "Syntax");
    let QueryError::Syntax(s) = &e else {
        panic!("not a syntax error: {e:?}")
    };
    assert_eq!(s.position.line, 2);
    assert_eq!(s.position.column, 20);
    assert_eq!(s.line_text, "WHERE p.name = 'x' RETRUN p");
    assert!(s.message.contains("RETRUN"), "{}", s.message);
    let text = e.to_string();
    says(&e, &["line 2, column 20", "WHERE p.name = 'x' RETRUN p"]);
    // The caret sits under the R of RETRUN.
    let lines: Vec<&str> = text.lines().collect();
    let source = lines
        .iter()
        .position(|l| l.contains("RETRUN p"))
        .expect("the line is shown");
    let caret = lines[source + 1];
    let at = caret.find('^').expect("a caret");
    assert_eq!(&lines[source][at..at + 6], "RETRUN", "{text}");
}

#[test]
fn syntax_errors_say_what_was_expected() {
    says(
        &error("MATCH (p:Person RETURN p", "Syntax"),
        &["line 1, column 17", "found 'RETURN'"],
    );
    says(
        &error("RETURN 1 +", "Syntax"),
        &["expected", "end of input"],
    );
    says(
        &error("MATCH (a)-[:T->(b) RETURN a", "Syntax"),
        &["column 14"],
    );
    says(
        &error("RETURN 'unterminated", "Syntax"),
        &["string starting here is never closed", "line 1, column 8"],
    );
    // After a complete expression, clauses and operators are named as groups.
    says(
        &error("MATCH (p:Person)\nWHERE p.name = 'x' RETRUN p", "Syntax"),
        &["expected UNION, a clause such as MATCH, WITH or RETURN, an operator or end of query, found 'RETRUN'"],
    );
    says(
        &error("OPTIONAL (n) RETURN n", "Syntax"),
        &["expected MATCH, found '('"],
    );
    says(
        &error("MATCH (n) RETURN n ORDER n", "Syntax"),
        &["expected BY, found 'n'"],
    );
}

#[test]
fn syntax_error_in_a_string_escape_points_at_the_string() {
    let e = error("RETURN\n  'a\\qb' AS s", "Syntax");
    says(&e, &["unknown escape \\q", "line 2, column 3"]);
}

#[test]
fn empty_query_is_a_syntax_error() {
    error("", "Syntax");
    error("   // only a comment", "Syntax");
}

// ---------------------------------------------------------------- names

#[test]
fn unknown_variable_suggests_one_in_scope_and_points_at_it() {
    let e = error(
        "MATCH (person:Person)\nRETURN persn.name",
        "Semantic.UnknownVariable",
    );
    says(
        &e,
        &[
            "variable `persn` is not defined",
            "did you mean `person`?",
            "line 2, column 8",
        ],
    );
    let QueryError::Semantic {
        location: Some(l), ..
    } = &e
    else {
        panic!("no location: {e:?}")
    };
    assert_eq!((l.position.line, l.position.column), (2, 8));
    assert_eq!(l.line_text, "RETURN persn.name");
}

#[test]
fn unknown_function_suggests_the_conventional_spelling() {
    let e = error("RETURN toLowr('A')", "Semantic.UnknownFunction");
    says(
        &e,
        &[
            "unknown function toLowr()",
            "did you mean toLower()?",
            "column 8",
        ],
    );
    // Nothing close: no suggestion.
    let e = error("RETURN frobnicate(1)", "Semantic.UnknownFunction");
    assert!(!e.to_string().contains("did you mean"), "{e}");
}

#[test]
fn unknown_label_and_relationship_type_suggest_schema_names() {
    says(
        &error("MATCH (p:Persn) RETURN p", "Semantic.UnknownLabel"),
        &["unknown label :Persn", "did you mean :Person?", "column 7"],
    );
    says(
        &error(
            "MATCH (:Person)-[:HODLS]->(r) RETURN r",
            "Semantic.UnknownRelType",
        ),
        &["unknown relationship type :HODLS", "did you mean :HOLDS?"],
    );
    says(
        &error("MATCH (p) WHERE p:Contry RETURN p", "Semantic.UnknownLabel"),
        &["did you mean :Country?"],
    );
    // An open schema accepts any name.
    run(&mut empty(), "MATCH (p:Persn)-[:HODLS]->() RETURN p").expect("open schema");
}

#[test]
fn unknown_procedure_suggests_one() {
    says(
        &error("CALL db.labelz()", "Semantic.UnknownProcedure"),
        &["unknown procedure db.labelz()", "did you mean db.labels?"],
    );
    says(
        &error(
            "CALL db.labels() YIELD lable RETURN lable",
            "Semantic.UnknownYield",
        ),
        &["yields no column `lable`", "it yields label"],
    );
}

#[test]
fn variable_kind_conflicts_are_found_before_running() {
    says(
        &error(
            "MATCH ()-[r]-() MATCH (r) RETURN r",
            "Semantic.VariableTypeConflict",
        ),
        &["variable `r` is a relationship", "as a node"],
    );
    error(
        "MATCH p = (a)-->(b) MATCH (p) RETURN p",
        "Semantic.VariableTypeConflict",
    );
    error(
        "WITH {a: 1} AS users MATCH (users)-->(m) RETURN m",
        "Semantic.VariableTypeConflict",
    );
    // A list is never a node (TCK Match3 [30]).
    error(
        "WITH [1] AS users MATCH (users)-->(m) RETURN m",
        "Semantic.VariableTypeConflict",
    );
    says(
        &error(
            "MATCH (a)-[r]->()-[r]->(a) RETURN r",
            "Semantic.RelationshipUniquenessViolation",
        ),
        &["relationship `r` appears twice"],
    );
}

// ---------------------------------------------------------------- structure

#[test]
fn misplaced_and_nested_aggregates() {
    says(
        &error(
            "MATCH (p:Person) WHERE count(p) > 1 RETURN p",
            "Semantic.MisplacedAggregate",
        ),
        &[
            "aggregate count() can only be used in RETURN or WITH",
            "column 24",
        ],
    );
    error(
        "MATCH (p:Person) SET p.n = count(*)",
        "Semantic.MisplacedAggregate",
    );
    error(
        "UNWIND [1] AS x RETURN x ORDER BY max(x)",
        "Semantic.MisplacedAggregate",
    );
    says(
        &error("RETURN sum(max(1)) AS s", "Semantic.NestedAggregate"),
        &["aggregate sum() cannot contain another aggregate"],
    );
}

#[test]
fn with_needs_an_alias_for_expressions() {
    says(
        &error(
            "MATCH (p:Person) WITH p.name RETURN 1",
            "Semantic.WithNeedsAlias",
        ),
        &["`p.name`", "must be aliased (use AS)"],
    );
    // A bare variable needs none.
    run(&mut seed(), "MATCH (p:Person) WITH p RETURN count(p) AS n").expect("bare variable");
}

#[test]
fn return_must_be_last_and_reads_must_return() {
    says(
        &error("RETURN 1 AS x MATCH (n) RETURN n", "Semantic.ReturnNotLast"),
        &["RETURN must be the last clause"],
    );
    says(
        &error("MATCH (n:Person)", "Semantic.MissingReturn"),
        &["must end with RETURN"],
    );
    error("MATCH (n:Person) WITH n", "Semantic.MissingReturn");
    // Updates need no RETURN.
    run(&mut empty(), "CREATE (:A)").expect("an update without RETURN");
}

#[test]
fn union_errors() {
    error("RETURN 1 AS a UNION RETURN 1 AS b", "Semantic.UnionColumns");
    error(
        "RETURN 1 AS a UNION RETURN 1 AS a UNION ALL RETURN 1 AS a",
        "Semantic.MixedUnion",
    );
}

// ---------------------------------------------------------------- runtime

#[test]
fn type_errors_at_runtime_name_the_types() {
    // With literal operands the mismatch is found before running (TCK Quantifier1 [15]).
    says(
        &error("RETURN 'a' * 2 AS x", "Semantic.InvalidArgumentType"),
        &["* expects an integer or a float, got a string"],
    );
    says(
        &error("UNWIND ['a'] AS s RETURN s * 2 AS x", "Runtime.TypeError"),
        &["cannot apply * to STRING 'a' and INTEGER 2"],
    );
    says(
        &error(
            "MATCH (p:Person {name: 'Vance'}) RETURN p.name + p AS x",
            "Runtime.TypeError",
        ),
        &["STRING 'Vance' and NODE"],
    );
    says(
        &error("RETURN toUpper(1) AS x", "Runtime.TypeError"),
        &["toUpper() expects a string, got INTEGER"],
    );
    says(
        &error(
            "UNWIND [1, 'a'] AS x RETURN sum(x) AS s",
            "Runtime.TypeError",
        ),
        &["sum() expects numbers, got STRING"],
    );
    // A literal operand of the wrong type is refused before running (TCK Boolean1 [8]).
    says(
        &error("RETURN 1 AND true AS x", "Semantic.InvalidArgumentType"),
        &["AND expects a boolean, got an integer"],
    );
    says(
        &error(
            "UNWIND [1] AS x RETURN x AND true AS y",
            "Runtime.TypeError",
        ),
        &["expected a boolean, got INTEGER 1"],
    );
    says(
        &error("UNWIND [1] AS x MATCH (x) RETURN x", "Runtime.TypeError"),
        &["variable `x` holds a value of type INTEGER, not a node"],
    );
}

#[test]
fn division_by_zero() {
    says(
        &error("RETURN 1 / 0 AS x", "Runtime.DivisionByZero"),
        &["division by zero"],
    );
    says(
        &error("RETURN 1 % 0 AS x", "Runtime.DivisionByZero"),
        &["modulo by zero"],
    );
    // Floats follow IEEE instead.
    let r = run(&mut empty(), "RETURN 1.0 / 0 AS x").expect("float division");
    assert_eq!(r.rows[0][0], Val::Float(f64::INFINITY));
}

#[test]
fn missing_parameter_names_it() {
    says(
        &error(
            "MATCH (p:Person {name: $who}) RETURN p",
            "Runtime.MissingParameter",
        ),
        &["parameter $who is not set"],
    );
    let mut params = Params::new();
    params.insert("who".into(), Val::Str("Vance".into()));
    let r = query::run(
        &mut seed(),
        "MATCH (p:Person {name: $who}) RETURN p.name AS n",
        &params,
    )
    .expect("with the parameter");
    assert_eq!(r.rows, vec![vec![Val::Str("Vance".into())]]);
}

#[test]
fn invalid_regex_shows_the_pattern() {
    says(
        &error("RETURN 'a' =~ '(' AS x", "Runtime.InvalidRegex"),
        &["invalid regular expression \"(\""],
    );
}

#[test]
fn invalid_arguments() {
    // SKIP and LIMIT are refused as the TCK says: a literal before running,
    // a parameter when run, both as syntax errors (ReturnSkipLimit1-2).
    error(
        "UNWIND [1] AS x RETURN x LIMIT -1",
        "Semantic.InvalidSkipLimit",
    );
    let mut g = empty();
    let params = Params::from([("l".to_string(), Val::Int(-1))]);
    let e = query::run(&mut g, "UNWIND [1] AS x RETURN x LIMIT $l", &params)
        .expect_err("a negative LIMIT parameter fails");
    assert_eq!(e.code(), "Runtime.InvalidSkipLimit");
    assert_eq!(e.tck_class(), "SyntaxError");
    error("RETURN range(1, 2, 0) AS r", "Runtime.InvalidArgument");
    error(
        "RETURN substring('abc', -1) AS s",
        "Runtime.InvalidArgument",
    );
    error("RETURN 9223372036854775807 + 1 AS x", "Runtime.Overflow");
}

// ---------------------------------------------------------------- store

#[test]
fn delete_of_a_connected_node_needs_detach() {
    let mut g = seed();
    let before = g.clone();
    says(
        &error_on(
            &mut g,
            "MATCH (p:Person {name: 'Vance'}) DELETE p",
            "Store.DeleteConnectedNode",
        ),
        &["still has 4 relationship(s)", "use DETACH DELETE"],
    );
    assert!(g.same_as(&before), "a refused DELETE changed the graph");
    let r = run(&mut g, "MATCH (p:Person {name: 'Vance'}) DETACH DELETE p").expect("detach");
    assert_eq!(r.counters.nodes_deleted, 1);
    assert_eq!(r.counters.relationships_deleted, 4);
}

#[test]
fn schema_violations_on_the_seed_graph() {
    says(
        &error("CREATE (p:Person) RETURN p", "Store.SchemaViolation"),
        &[":Person requires property \"name\""],
    );
    says(
        &error("CREATE (:Persn {name: 'x'})", "Semantic.UnknownLabel"),
        &["did you mean :Person?"],
    );
    says(
        &error(
            "MATCH (p:Person {name: 'Vance'}), (c:Country {name: 'Russia'}) CREATE (p)-[:HOLDS]->(c)",
            "Store.SchemaViolation",
        ),
        &["[:HOLDS]", ":Country"],
    );
    error(
        "CREATE (:Person {name: 'Twin', key: 'trump'})",
        "Store.DuplicateKey",
    );
}

// ---------------------------------------------------------------- atomicity

/// A statement that fails after some of its writes leaves the graph exactly as it was.
#[test]
fn failed_statements_change_nothing() {
    let statements = [
        // Fails on the third row, after two nodes were created.
        ("UNWIND [1, 2, 0] AS d CREATE (:Person {name: 'P' + toString(10 / d)})", "Runtime.DivisionByZero"),
        // Sets a property on every person, then breaks the schema on one.
        (
            "MATCH (p:Person) SET p.description = 'seen' WITH p WHERE p.name = 'Vance' SET p.name = 5",
            "Store.SchemaViolation",
        ),
        // Deletes relationships, then refuses a connected node.
        (
            "MATCH (p:Person {name: 'Steve Witkoff'})-[r:SERVES]->() DELETE r WITH p MATCH (t:Person {name: 'Donald Trump'}) DELETE t",
            "Store.DeleteConnectedNode",
        ),
        // Merges, then divides by zero.
        (
            "MERGE (p:Person {name: 'New'}) ON CREATE SET p.description = 'x' WITH p RETURN 1 / 0 AS boom",
            "Runtime.DivisionByZero",
        ),
        // Removes labels and properties, then fails.
        (
            "MATCH (r:Role) REMOVE r.title WITH r LIMIT 1 CREATE (r)-[:HOLDS]->(r)",
            "Store.SchemaViolation",
        ),
        // A detached delete followed by a missing parameter.
        (
            "MATCH (p:Person {name: 'Vance'}) DETACH DELETE p WITH 1 AS x RETURN $missing AS m",
            "Runtime.MissingParameter",
        ),
    ];
    for (q, code) in statements {
        let mut g = seed();
        let before = g.clone();
        error_on(&mut g, q, code);
        assert!(g.same_as(&before), "{q}: the failed statement left changes");
    }
    // The same on an open-schema graph.
    let mut g = empty();
    run(&mut g, "CREATE (:A {n: 1})-[:R]->(:B)").expect("setup");
    let before = g.clone();
    error_on(
        &mut g,
        "MATCH (a:A) SET a.n = 2 CREATE (a)-[:S]->(:C) WITH a MATCH (a)-[r]->() DELETE a",
        "Store.DeleteConnectedNode",
    );
    assert!(g.same_as(&before), "the failed statement left changes");
}

/// Errors found before running never touch the graph either.
#[test]
fn rejected_statements_change_nothing() {
    let mut g = seed();
    let before = g.clone();
    for q in [
        "CREATE (:Person {name: 'x'}) RETURN y",
        "CREATE (:Person {name: 'x'}) RETRUN 1",
        "CREATE (:Persn {name: 'x'})",
    ] {
        assert!(run(&mut g, q).is_err(), "{q} should fail");
        assert!(g.same_as(&before), "{q}: changed the graph");
    }
}

// ---------------------------------------------------------------- indexes

/// A property-anchored query on a larger graph reads no node by scanning.
#[test]
fn property_anchored_queries_use_the_index_not_a_scan() {
    let mut g = empty();
    let r = run(
        &mut g,
        "UNWIND range(0, 1999) AS i CREATE (:Item {sku: 'sku-' + toString(i), n: i})",
    )
    .expect("build");
    assert_eq!(r.counters.nodes_created, 2000);
    run(
        &mut g,
        "UNWIND range(0, 499) AS i MATCH (a:Item {n: i}), (b:Item {n: i + 1}) CREATE (a)-[:NEXT]->(b)",
    )
    .expect("link");
    for q in [
        "MATCH (x:Item {sku: 'sku-1234'}) RETURN x.n AS n",
        "MATCH (x:Item) WHERE x.sku = 'sku-1234' RETURN x.n AS n",
        "MATCH (x:Item) WHERE x.n = 1234 AND x.sku STARTS WITH 'sku' RETURN x.n AS n",
    ] {
        let r = run(&mut g, q).expect(q);
        assert_eq!(r.rows, vec![vec![Val::Int(1234)]], "{q}");
        assert_eq!(r.nodes_scanned, 0, "{q} scanned nodes");
        assert!(r.index_lookups >= 1, "{q} used no index");
    }
    // From an indexed node, expansion follows relationships without scanning.
    let r = run(
        &mut g,
        "MATCH (x:Item {n: 10})-[:NEXT*1..3]->(y) RETURN y.n AS n ORDER BY n",
    )
    .expect("expand");
    assert_eq!(
        r.rows,
        vec![vec![Val::Int(11)], vec![Val::Int(12)], vec![Val::Int(13)]]
    );
    assert_eq!(r.nodes_scanned, 0);
    assert!(r.index_lookups >= 1);
    // A predicate the index cannot answer scans the label.
    let r = run(
        &mut g,
        "MATCH (x:Item) WHERE x.n > 1990 RETURN count(x) AS c",
    )
    .expect("scan");
    assert_eq!(r.rows, vec![vec![Val::Int(9)]]);
    assert_eq!(r.nodes_scanned, 2000);
    // The plan says so too.
    let r = run(
        &mut g,
        "EXPLAIN MATCH (x:Item) WHERE x.sku = 'sku-1' RETURN x",
    )
    .expect("explain");
    let plan = r.plan.expect("a plan");
    assert!(
        plan.contains("NodeIndexSeek (x:Item) using index :Item(sku)"),
        "{plan}"
    );
}

#[test]
fn index_lookups_on_the_seed_graph() {
    let mut g = seed();
    let r = run(
        &mut g,
        "MATCH (p:Person {name: 'Donald Trump'})-[:HOLDS]->(r) RETURN r.name AS role",
    )
    .expect("query");
    assert_eq!(r.rows.len(), 1);
    assert_eq!(r.nodes_scanned, 0);
    assert!(r.index_lookups >= 1);
}

// ---------------------------------------------------------------- misc

#[test]
fn show_schema_is_db_schema() {
    let mut g = seed();
    let a = run(&mut g, "SHOW SCHEMA").expect("show schema");
    let b = run(&mut g, "CALL db.schema()").expect("db.schema");
    assert_eq!(a.columns, b.columns);
    assert_eq!(a.rows, b.rows);
    assert!(!a.rows.is_empty());
}

#[test]
fn every_error_code_is_stable_and_namespaced() {
    let cases = [
        ("RETURN", "Syntax"),
        ("RETURN x", "Semantic.UnknownVariable"),
        ("RETURN nope()", "Semantic.UnknownFunction"),
        ("RETURN $p", "Runtime.MissingParameter"),
        ("RETURN 1/0", "Runtime.DivisionByZero"),
    ];
    for (q, code) in cases {
        let e = error(q, code);
        assert!(
            e.code() == "Syntax" || e.code().contains('.'),
            "{q}: {}",
            e.code()
        );
    }
}

/// Deeply nested queries are answered or refused, never a stack overflow,
/// even from a test thread's small stack.
#[test]
fn deep_nesting_is_handled_or_refused() {
    let nested = |n: usize| format!("RETURN {}{} AS l", "[".repeat(n), "]".repeat(n));
    let r = run(&mut empty(), &nested(40)).expect("40-deep list (TCK Literals7)");
    assert_eq!(r.rows.len(), 1);
    run(&mut empty(), &nested(100)).expect("100-deep list");
    says(
        &error_on(&mut empty(), &nested(101), "Syntax"),
        &["nest more than 100 levels deep", "column 108"],
    );
    let calls = format!("RETURN {}1{} AS s", "toString(".repeat(60), ")".repeat(60));
    run(&mut empty(), &calls).expect("60 nested calls");
    let sum = |n: usize| format!("RETURN 1{} AS x", "+1".repeat(n));
    let r = run(&mut empty(), &sum(1000)).expect("a chain of 1000 additions");
    assert_eq!(r.rows, vec![vec![Val::Int(1001)]]);
    says(
        &error_on(&mut empty(), &sum(1001), "Syntax"),
        &["1001 operators in a row"],
    );
    // Brackets inside strings and comments do not count.
    let q = format!("RETURN '{}' AS s // {}", "[".repeat(200), "(".repeat(200));
    run(&mut empty(), &q).expect("brackets in a string");
    // parse() alone is protected too.
    assert!(query::parse(&nested(100)).is_ok());
}
