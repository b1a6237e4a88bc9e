//! `factgraph extract`, `factgraph eval` and the shell's `:load ARTICLE`,
//! through the real binary on the seed article.

use std::process::{Command, Output};

use factgraph::shell::Session;
use factgraph::store::Graph;

const ARTICLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/seeds/ukraine-peace-plan-2025-11.txt"
);

fn factgraph(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_factgraph"))
        .args(args)
        .output()
        .expect("run factgraph")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn extract_fills_a_store_that_answers_the_role_question() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("x.fg").display().to_string();
    let out = factgraph(&["extract", ARTICLE, "--db", &db, "--date", "2025-11-25"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = factgraph(&[
        "query",
        "MATCH (:Person {name: 'Vladimir Putin'})-[:HOLDS]->(r:Role)-[:ROLE_OF]->(c:Country) RETURN r.name AS role, c.name AS country",
        "--db",
        &db,
        "--format",
        "csv",
    ]);
    assert_eq!(
        text(&out.stdout),
        "role,country\nPresident of Russia,Russia\n"
    );
    // Every extracted fact names the rule that produced it.
    let out = factgraph(&[
        "query",
        "MATCH (p:Person {name: 'Steve Witkoff'}) RETURN provenance(p)[0].method AS rule",
        "--db",
        &db,
        "--format",
        "csv",
    ]);
    let rule = text(&out.stdout);
    assert!(
        rule.starts_with("rule\n") && !rule.contains("\nfacts\n") && rule.lines().count() == 2,
        "{rule}"
    );
}

#[test]
fn dry_run_changes_nothing_and_facts_output_loads_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("never.fg");
    let out = factgraph(&[
        "extract",
        ARTICLE,
        "--db",
        &db.display().to_string(),
        "--dry-run",
        "--format",
        "facts",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!db.exists(), "dry run wrote the store");
    // The facts output is a facts file: save it beside the article and load it.
    let facts = dir.path().join("extracted.facts");
    std::fs::write(&facts, text(&out.stdout).replace(ARTICLE, "article.txt")).expect("write facts");
    std::fs::copy(ARTICLE, dir.path().join("article.txt")).expect("copy article");
    let loaded = dir.path().join("loaded.fg").display().to_string();
    let out = factgraph(&["load", &facts.display().to_string(), "--db", &loaded]);
    assert!(
        out.status.success(),
        "{}\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
}

#[test]
fn eval_prints_precision_recall_and_f1() {
    let gold = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/gold");
    let out = factgraph(&["eval", "--gold", gold]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    assert!(
        table.contains("ENTITIES") && table.contains("RELATIONS") && table.contains("all articles"),
        "{table}"
    );
    assert_eq!(
        factgraph(&["eval", "--gold", "/nonexistent"]).status.code(),
        Some(1)
    );
}

#[test]
fn the_shell_loads_a_plain_text_article_by_extracting_it() {
    let mut s = Session::new(Graph::default(), None);
    let out = s.handle(&format!(":load {ARTICLE}"));
    assert!(!out.error, "{}", out.text);
    assert!(s.dirty);
    let out = s.handle("MATCH (p:Person) RETURN count(p) AS people;");
    assert!(out.text.contains("people") && !out.error, "{}", out.text);
    assert!(s.graph.node_count() > 20);
}
