//! `factgraph extract`, `factgraph eval` and the shell's `:load ARTICLE`,
//! through the real binary on the seed article.

use std::io::Write;
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

/// Document ids from a JSON-lines corpus keep their exact text (URLs,
/// dashes, quotes, Unicode) through `extract --jsonl --db`, queries and
/// every export format; the Cypher export loads back with the same ids.
#[test]
fn corpus_document_ids_survive_the_store_and_every_export() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let ids = [
        "https://example.com/news/a-b?id=7&lang=\"en\"",
        "2025-11-25-ap",
        "archive/ünïcode—article.txt",
    ];
    let corpus: String = ids
        .iter()
        .map(|id| {
            serde_json::json!({
                "id": id,
                "text": "Ukrainian President Volodymyr Zelenskyy met Marco Rubio in Geneva on Sunday.",
                "date": "2025-11-23",
            })
            .to_string()
                + "\n"
        })
        .collect();
    let db = d.join("c.fg").display().to_string();
    let child = Command::new(env!("CARGO_BIN_EXE_factgraph"))
        .args(["extract", "--jsonl", "--db", &db])
        .stdin(std::process::Stdio::piped())
        .output_with_stdin(corpus.as_bytes());
    assert!(child.status.success(), "{}", text(&child.stderr));
    let got = document_keys(&db);
    let mut want: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(got, want);
    let q = "MATCH (p:Person)-[m]-(d:Document) RETURN p, m, d";
    for (file, format) in [
        ("g.json", "json"),
        ("g.graphml", "graphml"),
        ("g.dot", "dot"),
        ("g.cypher", "cypher"),
    ] {
        let path = d.join(file).display().to_string();
        let out = factgraph(&[
            "export", "--db", &db, "--query", q, "-o", &path, "--format", format,
        ]);
        assert!(out.status.success(), "{format}: {}", text(&out.stderr));
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("g.json")).unwrap()).unwrap();
    let json_text = json.to_string();
    for id in ids {
        assert!(
            json_text.contains(&serde_json::to_string(id).unwrap()),
            "json lacks {id}"
        );
    }
    let graphml = std::fs::read_to_string(d.join("g.graphml")).unwrap();
    assert!(
        graphml.contains("a-b?id=7&amp;lang=&quot;en&quot;"),
        "{graphml}"
    );
    let dot = std::fs::read_to_string(d.join("g.dot")).unwrap();
    assert!(dot.contains("lang=\\\"en\\\""), "{dot}");
    let back = d.join("back.fg").display().to_string();
    assert!(factgraph(&["init", "--db", &back, "--schema", "open"])
        .status
        .success());
    let cypher = d.join("g.cypher").display().to_string();
    let loaded = factgraph(&["run", &cypher, "--db", &back]);
    assert!(loaded.status.success(), "{}", text(&loaded.stderr));
    let got = document_keys(&back);
    assert_eq!(got, want);
}

/// The keys of the store's Document nodes, sorted, as `query --format jsonl` gives them.
fn document_keys(db: &str) -> Vec<String> {
    let keys = factgraph(&[
        "query",
        "MATCH (d:Document) RETURN d.key AS id ORDER BY id",
        "--db",
        db,
        "--format",
        "jsonl",
    ]);
    text(&keys.stdout)
        .lines()
        .map(|l| {
            let row: serde_json::Value = serde_json::from_str(l).expect("a JSON row");
            row["id"].as_str().expect("a string key").to_string()
        })
        .collect()
}

trait WithStdin {
    fn output_with_stdin(&mut self, input: &[u8]) -> Output;
}

impl WithStdin for Command {
    fn output_with_stdin(&mut self, input: &[u8]) -> Output {
        let mut child = self
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input)
            .expect("write");
        child.wait_with_output().expect("wait")
    }
}
