//! The limits as a user meets them: `--timeout` and `--max-rows` on the
//! command line, `:set` in the shell, and Ctrl-C cancelling a running query
//! in a real pseudo-terminal while the shell (and its unsaved work) stays.

use std::process::Command;
use std::time::{Duration, Instant};

use rexpect::session::spawn_command;

/// A query that only computes: 10^8 comparisons, no rows held, so neither
/// the row limit nor memory stops it — only the clock or Ctrl-C.
const SPIN: &str =
    "RETURN size([a IN range(1, 10000) WHERE size([b IN range(1, 10000) WHERE a = -b]) > 0]) AS n";

fn factgraph(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_factgraph"))
        .args(args)
        .output()
        .expect("run factgraph")
}

#[test]
fn query_timeout_flag_stops_a_long_query_with_a_clear_error() {
    let started = Instant::now();
    let out = factgraph(&["query", "--timeout", "0.5", SPIN]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("time limit of 0.5 s"), "{stderr}");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn max_rows_flag_stops_a_query_and_leaves_the_store_unchanged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("g.fg");
    factgraph::store::codec::save(&factgraph::store::Graph::default(), &db).expect("new store");
    let db = db.to_str().expect("utf-8 path");
    let out = factgraph(&[
        "query",
        "--db",
        db,
        "CREATE (:Person {name: 'Ann Example'})",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let before = std::fs::read(db).expect("store");
    let out = factgraph(&[
        "query",
        "--db",
        db,
        "--max-rows",
        "100",
        "UNWIND range(1, 1000) AS i CREATE (:Person {name: 'P' + toString(i)})",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("past 100 rows"), "{stderr}");
    assert_eq!(std::fs::read(db).expect("store"), before, "store changed");
    // With no limit (0), the same statement succeeds.
    let out = factgraph(&[
        "query",
        "--db",
        db,
        "--max-rows",
        "0",
        "UNWIND range(1, 1000) AS i CREATE (:Person {name: 'P' + toString(i)})",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let g = factgraph::store::codec::load(std::path::Path::new(db)).expect("load");
    assert_eq!(g.node_count(), 1001);
    let bad = factgraph(&["query", "--max-rows", "lots", "RETURN 1"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not a row limit"));
}

#[test]
fn ctrl_c_cancels_the_running_query_and_the_shell_goes_on() {
    let home = tempfile::tempdir().expect("tempdir");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_factgraph"));
    cmd.args(["repl", "--no-color"])
        .env("FACTGRAPH_HOME", home.path())
        .env("TERM", "xterm")
        .env("COLUMNS", "120");
    let mut p = spawn_command(cmd, Some(30_000)).expect("spawn factgraph repl");
    p.exp_string("factgraph> ").expect("prompt");

    p.send_line(":set timeout 120").expect("send");
    p.exp_string("timeout: 120 s")
        .expect(":set shows the limit");
    p.send_line("CREATE (:Person {name: 'Unsaved Work'});")
        .expect("send");
    p.exp_string("1 node created").expect("created");

    p.send_line(&format!("{SPIN};")).expect("send");
    std::thread::sleep(Duration::from_millis(1500));
    let started = Instant::now();
    p.send_control('c').expect("ctrl-c");
    p.exp_string("query cancelled").expect("the query stops");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );

    // The shell, and what it held, are still there.
    p.send_line("MATCH (p:Person {name: 'Unsaved Work'}) RETURN count(p) AS kept;")
        .expect("send");
    p.exp_string("1 row")
        .expect("the shell answers after the cancel");
    // Ctrl-C at the prompt still only cancels the input.
    p.send("RETURN 1").expect("send");
    p.send_control('c').expect("ctrl-c");
    p.exp_string("input cancelled").expect("input cancelled");
    p.send_line(":quit").expect("quit");
    p.exp_eof().expect("exits");
}

#[test]
fn a_one_gigabyte_facts_file_or_article_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Sparse: a gigabyte on paper, nothing on disk.
    let big = dir.path().join("big.facts");
    std::fs::File::create(&big)
        .and_then(|f| f.set_len(1 << 30))
        .expect("sparse file");
    let article = dir.path().join("big.txt");
    std::fs::File::create(&article)
        .and_then(|f| f.set_len(1 << 30))
        .expect("sparse file");
    let db = dir.path().join("g.fg");
    let db = db.to_str().expect("utf-8 path");
    for args in [
        vec!["load", big.to_str().expect("path"), "--db", db],
        vec!["extract", article.to_str().expect("path"), "--db", db],
    ] {
        let started = Instant::now();
        let out = factgraph(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?}");
        assert!(
            stderr.contains("1024 MiB") && stderr.contains("256 MiB"),
            "{stderr}"
        );
        assert!(stderr.len() < 1000, "{} bytes of error", stderr.len());
        // Refused from the file's size, not after reading it.
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
    }
}
