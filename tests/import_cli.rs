//! `factgraph import` through the real binary, with neo4j-admin's argument forms.

use std::process::{Command, Output};

const MOVIES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/import_fixtures/movies");

fn factgraph(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_factgraph"))
        .args(args)
        .output()
        .expect("run factgraph")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn movie_args(db: &str) -> Vec<String> {
    let f = |name: &str| format!("{MOVIES}/{name}");
    vec![
        "import".into(),
        "--db".into(),
        db.into(),
        "--schema".into(),
        f("schema.txt"),
        "--nodes=Movie".into(),
        format!("{},{}", f("movies-header.csv"), f("movies.csv")),
        format!("--nodes=Person={}", f("people.csv")),
        "--relationships".into(),
        f("roles.csv"),
        "--relationships=DIRECTED".into(),
        f("directed.csv"),
    ]
}

#[test]
fn a_neo4j_style_csv_set_imports_and_answers_queries() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("m.fg").display().to_string();
    let args = movie_args(&db);
    let out = factgraph(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("[:ACTED_IN]"),
        "{}",
        text(&out.stdout)
    );
    let out = factgraph(&[
        "query",
        "MATCH (m:Movie:Sequel) RETURN m.title AS title ORDER BY title",
        "--db",
        &db,
        "--format",
        "csv",
    ]);
    assert_eq!(
        text(&out.stdout),
        "title\nThe Matrix Revolutions\n\"The Matrix, Reloaded\"\n"
    );
    // Without --append or --force an existing store is refused, and left as it was.
    let before = std::fs::read(&db).expect("store");
    let out = factgraph(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read(&db).expect("store"), before);
}

#[test]
fn a_bad_row_is_located_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let people = dir.path().join("people.csv");
    std::fs::write(
        &people,
        "id:ID,name,:LABEL\np1,Ann Example,Person\np2,Bo,Persn\n",
    )
    .expect("write");
    let db = dir.path().join("g.fg");
    let out = factgraph(&[
        "import",
        "--db",
        &db.display().to_string(),
        "--nodes",
        &people.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("people.csv:3") && err.contains("Persn"),
        "{err}"
    );
    assert!(!db.exists(), "a failed import created the store");
}

/// The seed graph leaves as JSON lines through `factgraph export` and comes
/// back through `factgraph import` with the same answers, provenance included.
#[test]
fn the_seed_graph_round_trips_through_exported_json_lines() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("seed.jsonl").display().to_string();
    let db = dir.path().join("seed.fg").display().to_string();
    let out = factgraph(&[
        "export",
        "--query",
        "MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN n, r",
        "--output",
        &file,
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines = std::fs::read_to_string(&file).expect("export written");
    assert!(lines
        .lines()
        .next()
        .is_some_and(|l| l.contains(r#""type":"document""#)));
    let out = factgraph(&["import", "--db", &db, "--nodes", &file]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let ask = |db: Option<&str>, q: &str| {
        let mut args = vec!["query", q, "--format", "csv"];
        if let Some(db) = db {
            args.extend(["--db", db]);
        }
        let out = factgraph(&args);
        assert!(out.status.success(), "{q}: {}", text(&out.stderr));
        text(&out.stdout)
    };
    for q in [
        "MATCH (n) RETURN labels(n)[0] AS l, count(*) AS c ORDER BY l",
        "MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS c ORDER BY t",
        "MATCH (p:Person)-[:HOLDS]->(r:Role) RETURN p.name AS p, r.title AS r ORDER BY p, r",
        "MATCH (n) UNWIND provenance(n) AS s RETURN count(*) AS sources, count(DISTINCT s.document) AS documents",
    ] {
        let (seed, back) = (ask(None, q), ask(Some(&db), q));
        assert!(seed.lines().count() > 1, "{q} answered nothing on the seed");
        assert_eq!(seed, back, "{q}");
    }
}
