//! The facts-file loader on small real texts: what it accepts, and how it
//! refuses what it must refuse. Every refusal is checked to report where the
//! problem is and to leave the graph exactly as it was.

use factgraph::facts::{self, FactsError, LoadReport};
use factgraph::model::Value;
use factgraph::store::{Graph, NodeId};

const FILE: &str = "test.facts";

/// Three sentences; "Alice Smith" occurs in the first two.
const DOC: &str =
    "Alice Smith met Bob Jones in Paris. Alice Smith said the plan is good. Bob agreed.";

/// A valid file: the starting point of every error test.
const BASE: &str = r#"
document d {file: "doc.txt", title: "A meeting"}
(alice:Person {name: "Alice Smith"}) @1 "Alice Smith"
(bob:Person {name: "Bob Jones", aliases: ["Bob"]}) @1 "Bob Jones" @3 "Bob"
(paris:City {name: "Paris"}) @1 "Paris"
(alice)-[:MEETS {location: "Paris"}]->(bob) @1 "met Bob Jones in Paris"
"#;

// ---- helpers ----

fn read(name: &str) -> std::io::Result<String> {
    match name {
        "doc.txt" => Ok(DOC.to_string()),
        _ => Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "no such file",
        )),
    }
}

fn load(g: &mut Graph, text: &str) -> Result<LoadReport, FactsError> {
    facts::load(g, text, FILE, &read)
}

fn base() -> Graph {
    let mut g = Graph::default();
    load(&mut g, BASE).unwrap_or_else(|e| panic!("base facts do not load:\n{e}"));
    g
}

/// Loads `text` into a copy of the base graph, expecting a refusal at
/// `line:column` whose message contains every one of `words`; checks that the
/// graph did not change and returns the error.
fn refused(text: &str, line: usize, column: usize, words: &[&str]) -> FactsError {
    let mut g = base();
    let before = g.clone();
    let err = match load(&mut g, text) {
        Ok(report) => panic!("expected an error, the load succeeded: {report}"),
        Err(e) => e,
    };
    assert!(g.same_as(&before), "a failed load changed the graph: {err}");
    assert_eq!(err.file, FILE);
    assert_eq!(
        (err.position.line, err.position.column),
        (line, column),
        "wrong position for: {err}"
    );
    for w in words {
        assert!(err.message.contains(w), "{w:?} not in: {err}");
    }
    let shown = err.to_string();
    assert!(
        shown.starts_with(&format!("{FILE}:{line}:{column}: ")),
        "{shown}"
    );
    assert_eq!(
        text.lines().nth(line - 1),
        Some(err.line_text.as_str()),
        "line_text is not line {line}"
    );
    assert_caret(&shown, column);
    err
}

/// The display ends with the line and a caret under `column`.
fn assert_caret(shown: &str, column: usize) {
    let caret_line = shown.lines().last().expect("a caret line");
    assert_eq!(
        caret_line.trim_end(),
        format!("  {}^", " ".repeat(column - 1)),
        "caret not under column {column}:\n{shown}"
    );
}

fn person(g: &Graph, handle: &str) -> NodeId {
    g.node_by_key(handle)
        .unwrap_or_else(|| panic!("no node ({handle})"))
}

/// The texts of a node's sources, as `(sentence, quote)`.
fn quotes(g: &Graph, id: NodeId) -> Vec<(u32, String)> {
    let doc = g.document("d").expect("document d");
    g.node(id)
        .expect("node")
        .sources
        .iter()
        .map(|p| (p.sentence, doc.span_text(p.start, p.end)))
        .collect()
}

// ---- what loads ----

#[test]
fn base_loads_with_provenance_and_mentions() {
    let mut g = Graph::default();
    let report = load(&mut g, BASE).unwrap();
    assert_eq!(
        report,
        LoadReport {
            documents: 1,
            nodes_created: 3,
            edges_created: 4, // MEETS and three MENTIONED_IN
            merged: 0,
        }
    );
    let bob = person(&g, "bob");
    assert_eq!(
        quotes(&g, bob),
        vec![(1, "Bob Jones".to_string()), (3, "Bob".to_string())]
    );
    let doc_node = person(&g, "d");
    let mention = g.find_edge(bob, doc_node, "MENTIONED_IN").unwrap();
    assert_eq!(
        g.edge(mention).unwrap().props.get("mentions"),
        Some(&Value::Int(2))
    );
    let meets = g
        .find_edge(person(&g, "alice"), bob, "MEETS")
        .expect("alice meets bob");
    assert_eq!(
        g.edge(meets).unwrap().props.get("location"),
        Some(&Value::from("Paris"))
    );
}

#[test]
fn loading_twice_changes_nothing() {
    let mut g = base();
    let before = g.clone();
    let report = load(&mut g, BASE).unwrap();
    assert_eq!(report.nodes_created + report.edges_created, 0);
    assert_eq!(report.merged, 4);
    assert!(g.same_as(&before));
}

#[test]
fn a_quote_without_a_number_is_found_in_its_sentence() {
    let mut g = base();
    load(
        &mut g,
        "document d {file: \"doc.txt\", title: \"A meeting\"}\n(plan:Proposal {name: \"the plan\"}) @\"the plan is good\"\n",
    )
    .unwrap();
    assert_eq!(
        quotes(&g, person(&g, "plan")),
        vec![(2, "the plan is good".to_string())]
    );
}

#[test]
fn redeclaring_adds_properties_and_sources_and_incoming_arrows_point_back() {
    let mut g = base();
    let text = r#"
document d {file: "doc.txt", title: "A meeting"}
(alice:Person {description: "speaks in sentence 2"}) @2 "Alice Smith"
(bob)<-[:SERVES]-(alice) @2 "Alice Smith said"
"#;
    let report = load(&mut g, text).unwrap();
    assert_eq!(report.nodes_created, 0);
    let alice = person(&g, "alice");
    let node = g.node(alice).unwrap();
    assert_eq!(node.props.get("name"), Some(&Value::from("Alice Smith")));
    assert_eq!(
        node.props.get("description"),
        Some(&Value::from("speaks in sentence 2"))
    );
    assert_eq!(
        quotes(&g, alice),
        vec![
            (1, "Alice Smith".to_string()),
            (2, "Alice Smith".to_string())
        ]
    );
    assert!(g.find_edge(alice, person(&g, "bob"), "SERVES").is_some());
    assert!(g.find_edge(person(&g, "bob"), alice, "SERVES").is_none());
}

// ---- what is refused, and where ----

#[test]
fn syntax_error_reports_file_line_column_and_caret() {
    let text = "document d {file: \"doc.txt\", title: \"A meeting\"}\n(carol:Person {name: \"Carol\"}) @1 \"Alice\"\n(dave:Person {name: \"Dave\"} @1 \"Bob\"\n";
    // The missing ")" is reported where it is missing, not at the value before it.
    let err = refused(text, 3, 29, &["expected ')', found '@'"]);
    assert_eq!(err.line_text, "(dave:Person {name: \"Dave\"} @1 \"Bob\"");
    assert_eq!(
        err.to_string(),
        "test.facts:3:29: expected ')', found '@'\n  (dave:Person {name: \"Dave\"} @1 \"Bob\"\n                              ^"
    );
}

#[test]
fn syntax_error_in_a_relationship_arrow() {
    refused(
        "(alice)-[:MEETS]>(bob)\n",
        1,
        17,
        &["expected '->', found '>'"],
    );
    refused(
        "(alice)-[MEETS]->(bob)\n",
        1,
        10,
        &["expected ':', found 'MEETS'"],
    );
    refused(
        "(alice)<-[:MEETS]->(bob)\n",
        1,
        19,
        &["expected a node such as (handle), found '>'"],
    );
}

#[test]
fn syntax_error_in_a_property_map() {
    refused(
        "(carol:Person {name: \"Carol\" aliases: [\"C\"]})\n",
        1,
        30,
        &["expected ',' or '}', found 'aliases'"],
    );
    refused(
        "(carol:Person {name \"Carol\"})\n",
        1,
        21,
        &["expected ':', found '\"'"],
    );
    refused(
        "(carol:Person {name: \"Carol\", aliases: [\"C\" \"D\"]})\n",
        1,
        45,
        &["expected ',' or ']', found '\"'"],
    );
}

#[test]
fn unterminated_string_is_reported_on_its_own_line() {
    let text = "(carol:Person {name: \"Carol})\n(dave:Person {name: \"Dave\"})\n";
    refused(
        text,
        1,
        30,
        &["found end of line", "closing '\"'", "one line"],
    );
}

#[test]
fn statement_that_is_not_one() {
    refused(
        "(carol:Person {name: \"Carol\"})\ncarol knows dave\n",
        2,
        1,
        &["expected", "found 'carol'"],
    );
}

#[test]
fn unknown_label_suggests_the_closest() {
    let text = "document d {file: \"doc.txt\", title: \"A meeting\"}\n(carol:Person {name: \"Carol\"}) @1 \"Alice\"\n(dave:Persn {name: \"Dave\"}) @3 \"Bob\"\n";
    refused(
        text,
        3,
        1,
        &["(dave)", "unknown label :Persn", "did you mean :Person?"],
    );
}

#[test]
fn unknown_relationship_type() {
    let text = "(alice)-[:MEETS]->(bob)\n  (bob)-[:ADMIRES]->(alice)\n";
    let err = refused(text, 2, 3, &["unknown relationship type :ADMIRES"]);
    assert!(!err.message.contains("did you mean"), "{err}");
    // A near miss gets a suggestion.
    refused("(alice)-[:MEET]->(bob)\n", 1, 1, &["did you mean :MEETS?"]);
}

#[test]
fn wrong_endpoint_labels() {
    refused(
        "(alice)-[:CAPITAL_OF]->(bob)\n",
        1,
        1,
        &[
            "[:CAPITAL_OF] cannot start at a node labelled :Person",
            ":City",
        ],
    );
    refused(
        "(paris)-[:CAPITAL_OF]->(bob)\n",
        1,
        1,
        &[
            "[:CAPITAL_OF] cannot end at a node labelled :Person",
            ":Country",
        ],
    );
}

#[test]
fn wrong_property_type() {
    refused(
        "(carol:Person {name: 42})\n",
        1,
        1,
        &["property \"name\" of :Person must be"],
    );
    refused(
        "(alice)-[:TRAVELS_TO {date: \"last week\"}]->(paris)\n",
        1,
        1,
        &["property \"date\" of [:TRAVELS_TO] must be"],
    );
}

#[test]
fn unknown_property_suggests_the_closest() {
    refused(
        "(carol:Person {name: \"Carol\", alias: [\"C\"]})\n",
        1,
        1,
        &[
            "property \"alias\" is not declared for :Person",
            "did you mean aliases?",
        ],
    );
}

#[test]
fn missing_required_property() {
    refused(
        "(carol:Person {aliases: [\"C\"]})\n",
        1,
        1,
        &[":Person requires property \"name\""],
    );
    refused(
        "(view:Position {summary: \"good\"})\n",
        1,
        1,
        &[":Position requires property \"stance\""],
    );
}

#[test]
fn unknown_node_handle() {
    let text = "(carol:Person {name: \"Carol\"})\n(carol)-[:MEETS]->(zoe)\n";
    refused(text, 2, 1, &["unknown node (zoe)"]);
}

#[test]
fn quote_not_in_the_given_sentence() {
    let text = "document d {file: \"doc.txt\", title: \"A meeting\"}\n(carol:Person {name: \"Carol\"}) @1 \"Alice\" @2 \"Bob Jones\"\n";
    refused(
        text,
        2,
        43,
        &[
            "\"Bob Jones\" is not in sentence 2",
            "Alice Smith said the plan is good.",
        ],
    );
}

#[test]
fn quote_not_in_the_document() {
    let text = "document d {file: \"doc.txt\", title: \"A meeting\"}\n(carol:Person {name: \"Carol\"}) @\"Carol\"\n";
    refused(text, 2, 32, &["\"Carol\" does not occur in d"]);
}

#[test]
fn ambiguous_quote_without_a_sentence_number() {
    let text = "document d {file: \"doc.txt\", title: \"A meeting\"}\n(alice)-[:MEETS]->(bob)\n    @ \"Alice Smith\"\n";
    refused(text, 3, 5, &["occurs 2 times", "sentences 1, 2", "@N"]);
}

#[test]
fn sentence_number_past_the_end() {
    let text = "document d {file: \"doc.txt\", title: \"A meeting\"}\n(bob:Person) @3 \"Bob\" @4 \"Bob\"\n";
    refused(text, 2, 23, &["d has 3 sentences, not 4"]);
}

#[test]
fn sentence_zero_is_a_syntax_error() {
    let text = "document d {file: \"doc.txt\", title: \"A meeting\"}\n(bob:Person) @0 \"Bob\"\n";
    refused(text, 2, 15, &["numbered from 1"]);
}

#[test]
fn quote_before_any_document() {
    let mut g = Graph::default();
    let before = g.clone();
    let err = load(&mut g, "(carol:Person {name: \"Carol\"}) @1 \"Carol\"\n").unwrap_err();
    assert!(err.message.contains("needs a document"), "{err}");
    assert_eq!((err.position.line, err.position.column), (1, 32));
    assert!(g.same_as(&before));
}

#[test]
fn conflicting_property_on_a_redeclared_node() {
    let text = "(carol:Person {name: \"Carol\"})\n(alice:Person {name: \"Alicia Smith\"})\n";
    refused(
        text,
        2,
        1,
        &[
            "property \"name\" was 'Alice Smith'",
            "this statement says 'Alicia Smith'",
        ],
    );
}

#[test]
fn conflicting_property_on_a_restated_relationship() {
    refused(
        "(alice)-[:MEETS {location: \"Rome\"}]->(bob)\n",
        1,
        1,
        &["property \"location\" was 'Paris'"],
    );
}

#[test]
fn labels_differ_on_redeclaration() {
    let text = "(carol:Person {name: \"Carol\"})\n\n(bob:Group {name: \"Bob Jones\"})\n";
    refused(
        text,
        3,
        1,
        &["declared with labels :Person, here with :Group"],
    );
}

#[test]
fn document_that_cannot_be_read() {
    let text = "(carol:Person {name: \"Carol\"})\ndocument e {file: \"missing.txt\"}\n";
    refused(text, 2, 1, &["cannot read document missing.txt"]);
}

#[test]
fn property_given_twice_in_one_map() {
    refused(
        "(carol:Person {name: \"Carol\", name: \"Caroline\"})\n",
        1,
        31,
        &["property \"name\" is given twice"],
    );
}

#[test]
fn an_error_late_in_the_file_undoes_everything_before_it() {
    let text = r#"
document d {file: "doc.txt", title: "A meeting"}
(carol:Person {name: "Carol"}) @1 "Alice"
(carol)-[:MEETS]->(bob) @1 "met Bob Jones"
(alice:Person {description: "new"}) @2 "Alice Smith"
(alice)-[:MEETS]->(nobody)
"#;
    let err = refused(text, 6, 1, &["unknown node (nobody)"]);
    assert!(err.to_string().contains("(alice)-[:MEETS]->(nobody)"));
}

#[test]
fn a_quote_must_lie_inside_one_sentence() {
    let text = "document d {file: \"doc.txt\", title: \"A meeting\"}\n(carol:Person {name: \"Carol\"}) @\"Paris. Alice\"\n";
    refused(
        text,
        2,
        32,
        &["\"Paris. Alice\" is not inside one sentence"],
    );
    // Not even by a leading space that falls between two sentences.
    let text = "document d {file: \"doc.txt\", title: \"A meeting\"}\n(carol:Person {name: \"Carol\"}) @\" Bob agreed\"\n";
    refused(text, 2, 32, &["not inside one sentence"]);
}

#[test]
fn a_document_cannot_change_its_text_under_recorded_provenance() {
    let mut g = base();
    let before = g.clone();
    let err = facts::load(
        &mut g,
        "document d {file: \"doc.txt\", title: \"A meeting\"}\n",
        FILE,
        &|_| Ok("Another text altogether.".to_string()),
    )
    .unwrap_err();
    assert!(
        err.message.contains("already loaded with a different text"),
        "{err}"
    );
    assert_eq!((err.position.line, err.position.column), (1, 1));
    assert!(g.same_as(&before));
    // The same text under a new title is fine, and renames the document node.
    load(
        &mut g,
        "document d {file: \"doc.txt\", title: \"Renamed\"}\n",
    )
    .unwrap();
    assert_eq!(
        g.node(person(&g, "d")).unwrap().props.get("name"),
        Some(&Value::from("Renamed"))
    );
}

#[test]
fn a_key_property_must_be_the_handle() {
    refused(
        "(carol:Person {name: \"Carol\", key: \"caroline\"})\n",
        1,
        1,
        &["(carol) sets key: 'caroline'", "its handle"],
    );
    let mut g = base();
    load(&mut g, "(carol:Person {name: \"Carol\", key: \"carol\"})\n").unwrap();
    assert!(g.node_by_key("carol").is_some());
}

#[test]
fn times_date_times_and_durations_are_typed_values() {
    use factgraph::model::{PropType, Schema, Value};
    let mut g = factgraph::store::Graph::new(Schema::open());
    let facts = "document d {file: \"d.txt\"}\n\
                 (attack:Event {name: \"Attack\", at: datetime(\"2022-02-24T04:50:00+02:00\"), lasted: duration(\"P3DT4H\"), local: localtime(\"12:30\")}) @\"Attack\"\n";
    factgraph::facts::load(&mut g, facts, "t.facts", &|_| {
        Ok("Attack began.".to_string())
    })
    .expect("loads");
    let id = g.node_by_key("attack").expect("node");
    let props = &g.node(id).expect("node").props;
    let ty = |k: &str| props.get(k).and_then(Value::value_type);
    assert_eq!(ty("at"), Some(PropType::DateTime));
    assert_eq!(ty("lasted"), Some(PropType::Duration));
    assert_eq!(ty("local"), Some(PropType::LocalTime));
    let before = g.clone();
    let err = factgraph::facts::load(
        &mut g,
        "(x:Event {at: datetime(\"2022-13-01\")})",
        "bad.facts",
        &|_| Ok(String::new()),
    )
    .expect_err("month 13");
    assert_eq!((err.position.line, err.position.column), (1, 15));
    assert!(
        err.message.contains("not a valid datetime"),
        "{}",
        err.message
    );
    assert!(g.same_as(&before));
}
