//! The `factgraph` binary as a user runs it: output, exit codes (0 ok,
//! 1 user error) and what it does to store files.
//!
//! Seed counts are never written down here (the seed facts grow); outputs
//! of different commands are compared with each other instead.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_factgraph");

/// Runs the binary with `args` in `dir` and returns its output.
fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_remove("RUST_BACKTRACE")
        .env("NO_COLOR", "1")
        .output()
        .expect("the factgraph binary runs")
}

fn run(args: &[&str]) -> Output {
    run_in(&std::env::temp_dir(), args)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts the exit code, showing both streams when it is wrong.
fn expect_code(o: &Output, code: i32) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "exit status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        o.status,
        stdout(o),
        stderr(o)
    );
}

fn listing(dir: &Path) -> BTreeSet<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

fn p(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}

/// The "N nodes, M relationships, D documents" line and everything after it.
fn stats_part(out: &str) -> &str {
    let at = out
        .find(" nodes, ")
        .unwrap_or_else(|| panic!("no stats in:\n{out}"));
    let line_start = out[..at].rfind('\n').map_or(0, |i| i + 1);
    &out[line_start..]
}

/// The first line of stats output: (nodes, relationships, documents).
fn counts(out: &str) -> (usize, usize, usize) {
    let line = stats_part(out).lines().next().unwrap();
    let n: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    match n.as_slice() {
        [a, b, c] => (*a, *b, *c),
        _ => panic!("unexpected stats line {line:?}"),
    }
}

/// A directory with a small article and a valid facts file about it.
struct Workspace {
    dir: TempDir,
}

const ARTICLE: &str = "Alice Example of Landia met Bob Sample in Geneva. \
They discussed the ten-point plan.";

const GOOD_FACTS: &str = r#"# A small, valid facts file.
document cli_doc {
  file: "cli-doc.txt",
  title: "A test article",
  date: 2025-11-25
}

(alice:Person {name: "Alice Example"}) @1 "Alice Example"
(bob:Person {name: "Bob Sample"}) @1 "Bob Sample"
(landia:Country {name: "Landia"}) @1 "Landia"
(plan:Proposal {name: "Ten-point plan", points: 10}) @2 "ten-point plan"
(alice)-[:CITIZEN_OF]->(landia) @1 "Alice Example of Landia"
(alice)-[:MEETS {location: "Geneva"}]->(bob) @1 "met Bob Sample in Geneva"
"#;

/// Line 4 uses a label the schema does not have.
const BAD_FACTS: &str = r#"document cli_doc { file: "cli-doc.txt" }
(carol:Person {name: "Carol"})
(dave:Person {name: "Dave"})
(erin:Persn {name: "Erin"})
"#;

impl Workspace {
    fn new() -> Workspace {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("cli-doc.txt"), ARTICLE).unwrap();
        fs::write(dir.path().join("good.facts"), GOOD_FACTS).unwrap();
        fs::write(dir.path().join("bad.facts"), BAD_FACTS).unwrap();
        Workspace { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn run(&self, args: &[&str]) -> Output {
        run_in(self.dir.path(), args)
    }
}

/// Runs the binary with `stdin` as its standard input.
fn run_with_stdin(args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(std::env::temp_dir())
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the factgraph binary runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn stats_without_a_store_describe_the_seed() {
    let o = run(&["stats"]);
    expect_code(&o, 0);
    let out = stdout(&o);
    let (nodes, edges, docs) = counts(&out);
    assert!(nodes > 0 && edges > 0 && docs > 0, "{out}");
    assert!(out.contains(":Person"), "{out}");
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
}

#[test]
fn no_arguments_opens_the_seed_graph() {
    // Without a terminal, no arguments runs standard input against the seed.
    let o = run(&[]);
    expect_code(&o, 0);
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
    let (nodes, _, _) = counts(&stdout(&run(&["stats"])));
    let o = run_with_stdin(&[], "MATCH (n) RETURN count(n) AS total;\n");
    expect_code(&o, 0);
    let out = stdout(&o);
    assert!(
        out.contains(&format!(" {nodes} ")),
        "expected {nodes} in:\n{out}"
    );
}

#[test]
fn load_creates_a_store_and_stats_reads_it_back() {
    let ws = Workspace::new();
    let db = ws.path("store.fgs");
    let o = ws.run(&["load", "good.facts", "--db", p(&db)]);
    expect_code(&o, 0);
    assert!(db.is_file());
    let loaded = stdout(&o);
    // 4 nodes and their document; 2 relationships and 4 MENTIONED_IN.
    assert_eq!(counts(&loaded), (5, 6, 1), "{loaded}");

    let s = ws.run(&["stats", "--db", p(&db)]);
    expect_code(&s, 0);
    assert_eq!(stats_part(&loaded), stats_part(&stdout(&s)));

    // Loading the same facts again adds nothing.
    let bytes = fs::read(&db).unwrap();
    let again = ws.run(&["load", "good.facts", "--db", p(&db)]);
    expect_code(&again, 0);
    assert_eq!(stats_part(&stdout(&again)), stats_part(&loaded));
    assert_eq!(fs::read(&db).unwrap(), bytes);
    assert_eq!(
        listing(ws.dir.path()),
        ["bad.facts", "cli-doc.txt", "good.facts", "store.fgs"]
            .map(String::from)
            .into()
    );
}

#[test]
fn loading_the_seed_facts_gives_the_bundled_seed() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let facts = seeds.join("ukraine-peace-plan-2025-11.facts");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("seed.fgs");
    let o = run(&["load", p(&facts), "--db", p(&db)]);
    expect_code(&o, 0);
    let from_file = run(&["stats", "--db", p(&db)]);
    expect_code(&from_file, 0);
    let bundled = run(&["stats"]);
    expect_code(&bundled, 0);
    assert_eq!(stdout(&from_file), stdout(&bundled));
}

#[test]
fn a_bad_facts_file_exits_1_with_its_position_and_changes_nothing() {
    let ws = Workspace::new();
    let db = ws.path("store.fgs");
    expect_code(&ws.run(&["load", "good.facts", "--db", p(&db)]), 0);
    let before = fs::read(&db).unwrap();
    let files = listing(ws.dir.path());

    let o = ws.run(&["load", "bad.facts", "--db", p(&db)]);
    expect_code(&o, 1);
    let err = stderr(&o);
    let at = err
        .find("bad.facts:4:")
        .unwrap_or_else(|| panic!("no bad.facts:4:COL in:\n{err}"));
    let col: String = err[at + "bad.facts:4:".len()..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    assert!(!col.is_empty(), "no column in:\n{err}");
    assert!(err.contains("Persn"), "{err}");
    assert_eq!(fs::read(&db).unwrap(), before, "the store changed");
    assert_eq!(listing(ws.dir.path()), files, "files appeared or vanished");

    // A facts file that fails creates no store where there was none.
    let fresh = ws.path("fresh.fgs");
    expect_code(&ws.run(&["load", "bad.facts", "--db", p(&fresh)]), 1);
    assert!(!fresh.exists());
    // Nor does one that does not exist.
    let o = ws.run(&["load", "missing.facts", "--db", p(&fresh)]);
    expect_code(&o, 1);
    assert!(stderr(&o).contains("missing.facts"), "{}", stderr(&o));
    assert!(!fresh.exists());
    assert_eq!(listing(ws.dir.path()), files);
}

#[test]
fn a_corrupt_store_exits_1_and_is_left_alone() {
    let ws = Workspace::new();
    let db = ws.path("store.fgs");
    expect_code(&ws.run(&["load", "good.facts", "--db", p(&db)]), 0);
    let mut bytes = fs::read(&db).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x55;
    fs::write(&db, &bytes).unwrap();
    let files = listing(ws.dir.path());

    let o = ws.run(&["stats", "--db", p(&db)]);
    expect_code(&o, 1);
    let err = stderr(&o);
    assert!(err.contains(p(&db)), "{err}");
    assert!(err.contains("corrupt"), "{err}");
    assert!(stdout(&o).is_empty(), "{}", stdout(&o));
    assert!(!err.contains("panicked"), "{err}");

    // Loading more facts into it must not overwrite it either.
    let o = ws.run(&["load", "good.facts", "--db", p(&db)]);
    expect_code(&o, 1);
    assert!(stderr(&o).contains(p(&db)));

    assert_eq!(fs::read(&db).unwrap(), bytes, "the store changed");
    assert_eq!(listing(ws.dir.path()), files);
}

#[test]
fn foreign_truncated_and_missing_stores_exit_1() {
    let ws = Workspace::new();
    let text = ws.path("notes.txt");
    fs::write(&text, "just some notes\n").unwrap();
    let o = ws.run(&["stats", "--db", p(&text)]);
    expect_code(&o, 1);
    assert!(
        stderr(&o).contains("not a factgraph store"),
        "{}",
        stderr(&o)
    );
    assert_eq!(fs::read_to_string(&text).unwrap(), "just some notes\n");
    // load refuses to replace a file that is not a store.
    expect_code(&ws.run(&["load", "good.facts", "--db", p(&text)]), 1);
    assert_eq!(fs::read_to_string(&text).unwrap(), "just some notes\n");

    let db = ws.path("store.fgs");
    expect_code(&ws.run(&["load", "good.facts", "--db", p(&db)]), 0);
    let bytes = fs::read(&db).unwrap();
    fs::write(&db, &bytes[..bytes.len() / 2]).unwrap();
    let o = ws.run(&["stats", "--db", p(&db)]);
    expect_code(&o, 1);
    assert!(stderr(&o).contains("truncated"), "{}", stderr(&o));

    let missing = ws.path("missing.fgs");
    let o = ws.run(&["stats", "--db", p(&missing)]);
    expect_code(&o, 1);
    assert!(stderr(&o).contains(p(&missing)), "{}", stderr(&o));
    assert!(!missing.exists());
}

#[test]
fn an_unknown_subcommand_exits_1() {
    let o = run(&["frobnicate"]);
    expect_code(&o, 1);
    assert!(stderr(&o).contains("frobnicate"), "{}", stderr(&o));
    expect_code(&run(&["stats", "--no-such-flag"]), 1);
    expect_code(&run(&["load"]), 1);
}

#[test]
fn help_and_version_exit_0() {
    for args in [&["--help"][..], &["-h"], &["help"], &["load", "--help"]] {
        let o = run(args);
        expect_code(&o, 0);
        assert!(stdout(&o).contains("Usage"), "{args:?}: {}", stdout(&o));
    }
    let o = run(&["--version"]);
    expect_code(&o, 0);
    assert!(stdout(&o).contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn schema_prints_the_news_schema() {
    let o = run(&["schema"]);
    expect_code(&o, 0);
    let out = stdout(&o);
    assert!(out.contains(":Person"), "{out}");
    assert!(out.contains("HOLDS"), "{out}");
}

/// JSON rows keep the RETURN order of their columns, as Neo4j's and Kuzu's
/// outputs do (`jq` users read them in that order).
#[test]
fn json_rows_keep_the_column_order_of_return() {
    let out = run(&[
        "query",
        "RETURN 1 AS zz, 2 AS aa, 'x' AS mm",
        "--format",
        "jsonl",
    ]);
    expect_code(&out, 0);
    assert_eq!(stdout(&out), "{\"zz\":1,\"aa\":2,\"mm\":\"x\"}\n");
    let out = run(&["query", "RETURN 1 AS zz, 2 AS aa", "--format", "json"]);
    expect_code(&out, 0);
    let text = stdout(&out);
    let (zz, aa) = (text.rfind("\"zz\": 1"), text.rfind("\"aa\": 2"));
    assert!(zz.is_some() && aa.is_some() && zz < aa, "{text}");
    let doc: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(doc["columns"], serde_json::json!(["zz", "aa"]));
    assert_eq!(doc["rows"][0]["aa"], 2);
}

/// `--param NAME=VALUE`: a Cypher literal, else JSON, else text.
#[test]
fn parameters_are_cypher_literals_json_or_text() {
    let out = run(&[
        "query",
        "RETURN $m.a AS a, $l[1] AS second, $c.depth AS depth, $d.year AS year, $t AS t",
        "--param",
        "m={\"a\": 1}",
        "--param",
        "l=[1, \"x\"]",
        "--param",
        "c={depth: 2}",
        "--param",
        "d=date('2025-11-25')",
        "--param",
        "t=Steve Witkoff",
        "--format",
        "jsonl",
    ]);
    expect_code(&out, 0);
    assert_eq!(
        stdout(&out),
        "{\"a\":1,\"second\":\"x\",\"depth\":2,\"year\":2025,\"t\":\"Steve Witkoff\"}\n"
    );
}

/// `factgraph init`: an empty store with the news, open or a file's schema;
/// `schema --db` says which; a second init on the same path is refused.
#[test]
fn init_creates_empty_stores_with_the_schema_asked_for() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    let out = run_in(d, &["init", "--db", "open.fg", "--schema", "open"]);
    expect_code(&out, 0);
    assert!(stdout(&out).contains("open schema"), "{}", stdout(&out));
    fs::write(d.join("setup.cypher"), "CREATE (:Year {year: 2016});\n").unwrap();
    expect_code(&run_in(d, &["run", "setup.cypher", "--db", "open.fg"]), 0);
    let out = run_in(
        d,
        &[
            "query",
            "MATCH (y:Year) RETURN y.year AS year",
            "--db",
            "open.fg",
            "--format",
            "jsonl",
        ],
    );
    expect_code(&out, 0);
    assert_eq!(stdout(&out), "{\"year\":2016}\n");
    let out = run_in(d, &["schema", "--db", "open.fg"]);
    assert!(stdout(&out).starts_with("schema: open"), "{}", stdout(&out));

    expect_code(&run_in(d, &["init", "--db", "news.fg"]), 0);
    let out = run_in(d, &["schema", "--db", "news.fg"]);
    assert!(stdout(&out).starts_with("schema: news"), "{}", stdout(&out));
    let refused = run_in(
        d,
        &["query", "CREATE (:Year {year: 2016})", "--db", "news.fg"],
    );
    expect_code(&refused, 1);

    let schema_file =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/import_fixtures/movies/schema.txt");
    expect_code(
        &run_in(
            d,
            &["init", "--db", "movies.fg", "--schema", p(&schema_file)],
        ),
        0,
    );
    let out = run_in(d, &["schema", "--db", "movies.fg"]);
    assert!(
        stdout(&out).starts_with("schema: the store's own"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains(":Movie"), "{}", stdout(&out));

    let again = run_in(d, &["init", "--db", "open.fg"]);
    expect_code(&again, 1);
    assert!(
        stderr(&again).contains("already holds a store"),
        "{}",
        stderr(&again)
    );
    // The refused init changed nothing.
    let out = run_in(
        d,
        &[
            "query",
            "MATCH (y:Year) RETURN count(*) AS n",
            "--db",
            "open.fg",
            "--format",
            "jsonl",
        ],
    );
    assert_eq!(stdout(&out), "{\"n\":1}\n");
}

/// A command that reads a store that does not exist names the path and the
/// command that creates one, and creates nothing.
#[test]
fn a_missing_store_is_named_with_the_command_that_creates_it() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    for args in [
        vec!["query", "RETURN 1", "--db", "missing.fg"],
        vec![
            "query",
            "CREATE (:Person {name: 'A'})",
            "--db",
            "missing.fg",
        ],
        vec!["stats", "--db", "missing.fg"],
        vec!["schema", "--db", "missing.fg"],
    ] {
        let out = run_in(d, &args);
        expect_code(&out, 1);
        let err = stderr(&out);
        assert!(
            err.contains("no store at missing.fg")
                && err.contains("factgraph init --db missing.fg"),
            "{args:?}: {err}"
        );
        assert!(!err.contains("entity not found"), "{err}");
    }
    assert!(listing(d).is_empty(), "{:?}", listing(d));
    // `run` creates it, and says so.
    fs::write(d.join("s.cypher"), "CREATE (:Person {name: 'A'});\n").unwrap();
    let out = run_in(d, &["run", "s.cypher", "--db", "new.fg"]);
    expect_code(&out, 0);
    assert!(
        stderr(&out).contains("created with the news schema"),
        "{}",
        stderr(&out)
    );
}
