//! Drives the real `factgraph repl` in a pseudo-terminal, as a person would:
//! type a query and see the table, complete a label with Tab, continue a
//! statement over two lines, cancel input with Ctrl-C, leave with Ctrl-D.

use std::process::Command;

use rexpect::session::{spawn_command, PtySession};

fn spawn(home: &std::path::Path, args: &[&str]) -> PtySession {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_factgraph"));
    cmd.args(args)
        .env("FACTGRAPH_HOME", home)
        .env("TERM", "xterm")
        .env("COLUMNS", "120");
    let mut p = spawn_command(cmd, Some(20_000)).expect("spawn factgraph repl");
    p.exp_string("factgraph> ").expect("prompt");
    p
}

#[test]
fn repl_runs_queries_completes_labels_and_exits_on_ctrl_d() {
    let home = tempfile::tempdir().expect("tempdir");
    let mut p = spawn(home.path(), &["repl", "--no-color"]);

    p.send_line("MATCH (p:Person {name: 'Steve Witkoff'}) RETURN p.name AS name;")
        .expect("send");
    p.exp_string("Steve Witkoff").expect("row");
    p.exp_string("1 row").expect("row count");

    // Tab completes the label; a wrong label would be an error, not a row count.
    p.send("MATCH (p:Pers").expect("send");
    p.send("\t").expect("tab");
    p.send_line(") RETURN count(p) AS people;").expect("send");
    p.exp_string("people").expect("header");
    p.exp_string("1 row").expect("completed label ran");

    // A statement continues until its semicolon.
    p.send_line("RETURN 40 + 2").expect("send");
    p.send_line("AS answer;").expect("send");
    p.exp_string("42").expect("multi-line result");

    // Errors do not end the session.
    p.send_line("MATCH (n:Persn) RETURN n;").expect("send");
    p.exp_string("did you mean :Person?").expect("suggestion");

    // Ctrl-C cancels the current input.
    p.send("RETURN 1").expect("send");
    p.send_control('c').expect("ctrl-c");
    p.exp_string("input cancelled").expect("cancelled");

    p.send_control('d').expect("ctrl-d");
    p.exp_eof().expect("exits on Ctrl-D");
    let history = std::fs::read_to_string(home.path().join("history")).expect("history file");
    assert!(history.contains("Steve Witkoff"), "history kept: {history}");
}

#[test]
fn repl_saves_unsaved_work_to_its_store_on_ctrl_d() {
    let home = tempfile::tempdir().expect("tempdir");
    let db = home.path().join("work.fg");
    let db_arg = db.display().to_string();
    let mut p = spawn(home.path(), &["repl", "--no-color", "--db", &db_arg]);
    p.send_line("CREATE (:Person {name: 'Ann Example'});")
        .expect("send");
    p.exp_string("1 node created").expect("created");
    p.send_control('d').expect("ctrl-d");
    p.exp_string("saved to").expect("saved on exit");
    p.exp_eof().expect("eof");
    let graph = factgraph::store::codec::load(&db).expect("store written");
    assert_eq!(graph.node_count(), 1);
}
