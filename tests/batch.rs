//! `factgraph run` and `factgraph query` driven as a CI job would: real files,
//! real exit codes, real stores on disk.

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn factgraph(args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_factgraph"));
    cmd.args(args).stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn factgraph");
    if let Some(text) = stdin {
        use std::io::Write;
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(text.as_bytes())
            .expect("write stdin");
    }
    child.wait_with_output().expect("wait")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn write(dir: &Path, name: &str, content: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, content).expect("write file");
    p.display().to_string()
}

#[test]
fn a_script_runs_in_order_and_saves_when_every_statement_succeeds() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("g.fg").display().to_string();
    let script = write(
        dir.path(),
        "build.cypher",
        "// people; with a semicolon in a comment\nCREATE (:Person {name: 'Ann; Example'});\nCREATE (:Person {name: 'Bo'});\nMATCH (p:Person) RETURN p.name AS name ORDER BY name;\n",
    );
    let out = factgraph(&["run", &script, "--db", &db, "--format", "csv"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "name\nAnn; Example\nBo\n");
    let out = factgraph(
        &[
            "query",
            "MATCH (p:Person) RETURN count(*) AS n",
            "--db",
            &db,
            "--format",
            "jsonl",
        ],
        None,
    );
    assert_eq!(text(&out.stdout), "{\"n\":2}\n");
}

#[test]
fn a_failing_statement_is_located_and_nothing_is_saved() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("g.fg").display().to_string();
    let setup = write(
        dir.path(),
        "setup.cypher",
        "CREATE (:Person {name: 'Kept'});",
    );
    assert!(factgraph(&["run", &setup, "--db", &db], None)
        .status
        .success());
    let before = std::fs::read(&db).expect("db");

    let script = write(
        dir.path(),
        "bad.cypher",
        "CREATE (:Person {name: 'Lost'});\nMATCH (p:Person)\nRETURN p.name, nosuch(p);\nCREATE (:Person {name: 'Never'});\n",
    );
    let out = factgraph(&["run", &script, "--db", &db], None);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("bad.cypher:3:16: error [Semantic.UnknownFunction]"),
        "{err}"
    );
    assert!(err.contains("changes were not saved"), "{err}");
    assert_eq!(std::fs::read(&db).expect("db"), before, "store untouched");

    // Continue on error runs the rest but still fails and still saves nothing.
    let out = factgraph(&["run", &script, "--db", &db, "--continue-on-error"], None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read(&db).expect("db"), before);

    // Commit each keeps every successful statement.
    let out = factgraph(
        &[
            "run",
            &script,
            "--db",
            &db,
            "--continue-on-error",
            "--commit-each",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let out = factgraph(
        &[
            "query",
            "MATCH (p:Person) RETURN p.name AS n ORDER BY n",
            "--db",
            &db,
            "--format",
            "csv",
        ],
        None,
    );
    assert_eq!(text(&out.stdout), "n\nKept\nLost\nNever\n");
}

#[test]
fn syntax_errors_point_at_the_script_line_and_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    let script = write(
        dir.path(),
        "syntax.cypher",
        "RETURN 1;\n\n  MATCH (n:Person RETURN n;\n",
    );
    let out = factgraph(&["run", &script], None);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("syntax.cypher:3:19: error [Syntax]"), "{err}");
    assert!(err.contains("^"), "caret shown: {err}");
}

#[test]
fn scripts_read_standard_input_and_take_parameters() {
    let out = factgraph(
        &[
            "run",
            "-",
            "--param",
            "who='Marco Rubio'",
            "--format",
            "jsonl",
        ],
        Some("MATCH (p:Person {name: $who})-[:HOLDS]->(r:Role) RETURN r.name AS role;"),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "{\"role\":\"United States Secretary of State\"}\n"
    );
    // With no command and piped input, factgraph runs the input against the seed graph.
    let out = factgraph(&[], Some("MATCH (c:Country) RETURN count(*) AS n;"));
    assert!(out.status.success());
    assert!(
        text(&out.stdout).contains("│ 3 │") || text(&out.stdout).contains("3"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn query_errors_exit_with_code_one() {
    let out = factgraph(&["query", "MATCH (n) RETURN m"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("variable `m` is not defined"));
    let out = factgraph(&["query", "RETURN 1", "--param", "novalue"], None);
    assert_eq!(out.status.code(), Some(1));
}
