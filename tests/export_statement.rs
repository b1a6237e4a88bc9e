//! EXPORT as a statement (queries, scripts, the shell) and the `export` and
//! `render` commands, through the real binary and the library.

use std::process::{Command, Output};

use factgraph::shell::Session;

const WITKOFF: &str = "MATCH p=(:Person {name:'Steve Witkoff'})-[*..2]-() WHERE none(n IN nodes(p) WHERE n:Document) RETURN p";

fn factgraph(args: &[&str], path_env: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_factgraph"));
    cmd.args(args);
    if let Some(p) = path_env {
        cmd.env("PATH", p);
    }
    cmd.output().expect("run factgraph")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn export_statement_writes_the_subgraph_and_reports_counts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("w.json");
    let q = format!("EXPORT ({WITKOFF}) TO '{}'", target.display());
    let out = factgraph(&["query", &q, "--format", "jsonl"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("\"format\":\"json\""),
        "{}",
        text(&out.stdout)
    );
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&target).expect("written")).expect("json");
    let nodes = doc["nodes"].as_array().expect("nodes");
    assert!(nodes
        .iter()
        .any(|n| n["properties"]["name"] == "Steve Witkoff"));
    assert!(nodes
        .iter()
        .all(|n| n["labels"] != serde_json::json!(["Document"])));
    // HOPS grows the subgraph.
    let bigger = dir.path().join("w2.json");
    let q = format!(
        "EXPORT ({WITKOFF}) TO '{}' FORMAT json HOPS 1",
        bigger.display()
    );
    assert!(factgraph(&["query", &q], None).status.success());
    let doc2: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&bigger).expect("written")).expect("json");
    assert!(doc2["nodes"].as_array().map_or(0, Vec::len) > nodes.len());
}

#[test]
fn export_errors_point_into_the_whole_statement_and_refuse_updates() {
    let out = factgraph(
        &["query", "EXPORT (MATCH (n:Persn) RETURN n) TO 'x.json'"],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("did you mean :Person?") && err.contains("line 1, column 15"),
        "{err}"
    );
    let out = factgraph(
        &[
            "query",
            "EXPORT (CREATE (:Person {name: 'X'}) RETURN 1) TO 'x.json'",
        ],
        None,
    );
    assert!(
        text(&out.stderr).contains("read-only"),
        "{}",
        text(&out.stderr)
    );
    let out = factgraph(
        &["query", "EXPORT (MATCH (n) RETURN n) TO 'x.unknown'"],
        None,
    );
    assert!(
        text(&out.stderr).contains("add FORMAT"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn export_command_writes_neo4j_csv_into_a_new_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = format!("{}/csv/", dir.path().display());
    let out = factgraph(
        &[
            "export",
            "--query",
            "MATCH (p:Person)-[r:HOLDS]->(x) RETURN p, r, x",
            "--format",
            "csv",
            "-o",
            &folder,
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let nodes = std::fs::read_to_string(dir.path().join("csv/nodes.csv")).expect("nodes.csv");
    assert!(nodes.starts_with("id:ID,:LABEL,"), "{nodes}");
    let rels = std::fs::read_to_string(dir.path().join("csv/relationships.csv"))
        .expect("relationships.csv");
    assert_eq!(rels.lines().count(), 1 + 9, "{rels}");
}

#[test]
fn render_without_graphviz_says_how_to_install_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let svg = dir.path().join("g.svg").display().to_string();
    let out = factgraph(
        &["render", "--query", WITKOFF, "-o", &svg],
        Some("/nonexistent"),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("apt-get install graphviz"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn render_draws_svg_with_graphviz() {
    let has_dot = Command::new("dot").arg("-V").output().is_ok();
    if !has_dot {
        assert!(
            std::env::var("CI").is_err(),
            "CI must install graphviz (apt-get install graphviz)"
        );
        eprintln!("graphviz not installed; skipping");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let svg = dir.path().join("g.svg");
    let out = factgraph(
        &[
            "render",
            "--query",
            WITKOFF,
            "-o",
            &svg.display().to_string(),
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let drawn = std::fs::read_to_string(&svg).expect("svg");
    assert!(drawn.contains("<svg") && drawn.contains("Steve Witkoff"));
}

#[test]
fn the_shell_exports_with_a_meta_command() {
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("c.graphml");
    let mut s = Session::new(factgraph::seed::graph().expect("seed"), None);
    let out = s.handle(&format!(
        ":export graphml {} MATCH (c:Country) RETURN c",
        target.display()
    ));
    assert!(!out.error, "{}", out.text);
    let xml = std::fs::read_to_string(&target).expect("graphml");
    assert_eq!(xml.matches("<node ").count(), 3, "{xml}");
    assert!(s.handle(":export graphml").error);
}
