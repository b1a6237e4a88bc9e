//! One writer at a time: while a process holds a store open for writing, a
//! second writer is refused with a clear error, readers with --read-only see
//! the writer's acknowledged changes, and --read-only refuses changes and
//! leaves every file as it was.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use factgraph::query::Params;
use factgraph::store::wal::{log_path, Access, StoreFile};

const BIN: &str = env!("CARGO_BIN_EXE_factgraph");

fn factgraph(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run factgraph")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn listing(dir: &Path) -> BTreeSet<String> {
    fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn a_second_writer_is_refused_and_readers_see_the_writers_log() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let db = d.join("g.fg");
    let created = factgraph(d, &["query", "--db", "g.fg", "RETURN 1"]);
    assert!(!created.status.success(), "a query does not create a store");
    fs::write(
        d.join("one.cypher"),
        "CREATE (:Person {name: 'Ann Example'});\n",
    )
    .expect("script");
    let first = factgraph(d, &["run", "--db", "g.fg", "one.cypher"]);
    assert!(first.status.success(), "{}", text(&first.stderr));

    // This test process is the writer: it opens the store and logs a change
    // without folding it, so readers can only see it through the log.
    let mut writer = StoreFile::open(&db, Access::Write).expect("open for writing");
    factgraph::statement::run(
        &mut writer.graph,
        "CREATE (:Person {name: 'Bo Writer'})",
        &Params::new(),
    )
    .expect("create");
    assert!(writer.store.append(&mut writer.graph).expect("append"));
    let snapshot = fs::read(&db).expect("snapshot");
    let log = fs::read(log_path(&db)).expect("log");
    let files = listing(d);
    assert!(files.contains("g.fg.lock"), "{files:?}");

    // A second writer, through each command that writes.
    fs::write(d.join("two.cypher"), "CREATE (:Person {name: 'Cy'});\n").expect("script");
    fs::write(d.join("more.facts"), "").expect("facts");
    for args in [
        vec!["run", "--db", "g.fg", "two.cypher"],
        vec!["query", "--db", "g.fg", "CREATE (:Person {name: 'Cy'})"],
        vec!["load", "more.facts", "--db", "g.fg"],
    ] {
        let o = factgraph(d, &args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", text(&o.stderr));
        let err = text(&o.stderr);
        assert!(
            err.contains("g.fg is open for writing in another process")
                && err.contains("--read-only"),
            "{args:?}: {err}"
        );
    }

    // Readers run beside the writer and see its logged change.
    let names = "MATCH (p:Person) RETURN p.name AS name ORDER BY name";
    let o = factgraph(
        d,
        &[
            "--read-only",
            "query",
            "--db",
            "g.fg",
            "--format",
            "csv",
            names,
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout), "name\nAnn Example\nBo Writer\n");
    let o = factgraph(d, &["stats", "--db", "g.fg"]);
    assert!(o.status.success() && text(&o.stdout).starts_with("2 nodes"));
    fs::write(d.join("read.cypher"), format!("{names};\n")).expect("script");
    let o = factgraph(
        d,
        &[
            "--read-only",
            "run",
            "--db",
            "g.fg",
            "--format",
            "csv",
            "read.cypher",
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("Bo Writer"));

    // --read-only refuses changes, with the statement's position in a script.
    let o = factgraph(
        d,
        &[
            "--read-only",
            "query",
            "--db",
            "g.fg",
            "CREATE (:Person {name: 'Cy'})",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("read-only"), "{}", text(&o.stderr));
    fs::write(
        d.join("mixed.cypher"),
        "MATCH (p:Person) RETURN count(p) AS n;\nCREATE (:Person {name: 'Cy'});\n",
    )
    .expect("script");
    let o = factgraph(d, &["--read-only", "run", "--db", "g.fg", "mixed.cypher"]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(
        err.contains("mixed.cypher:2:1") && err.contains("read-only"),
        "{err}"
    );
    let o = factgraph(d, &["--read-only", "load", "more.facts", "--db", "g.fg"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("--read-only"));
    assert_eq!(
        fs::read(&db).expect("snapshot"),
        snapshot,
        "the snapshot changed"
    );
    assert_eq!(
        fs::read(log_path(&db)).expect("log"),
        log,
        "the log changed"
    );
    assert_eq!(listing(d), {
        let mut f = files.clone();
        f.extend(["two.cypher", "more.facts", "read.cypher", "mixed.cypher"].map(String::from));
        f
    });

    // Once the writer is gone, the next writer gets the lock and the data.
    drop(writer);
    assert!(
        !d.join("g.fg.lock").exists(),
        "a writer that ends removes its lock file"
    );
    let o = factgraph(d, &["run", "--db", "g.fg", "two.cypher"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let o = factgraph(d, &["query", "--db", "g.fg", "--format", "csv", names]);
    assert_eq!(text(&o.stdout), "name\nAnn Example\nBo Writer\nCy\n");
    assert!(
        !log_path(&db).exists(),
        "the run folded the log into the snapshot"
    );
    println!("lock: 3 second writers refused, 3 read-only readers served beside the writer, 3 changes refused read-only with no file changed");
}

#[test]
fn the_shell_logs_each_statement_and_a_read_only_shell_refuses_changes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let db = d.join("g.fg");
    let mut s = factgraph::shell::Session::with_store(
        factgraph::store::Graph::default(),
        StoreFile::open(&db, Access::Write).expect("open").store,
    );
    let out = s.handle("CREATE (:Person {name: 'Ann'});");
    assert!(!out.error, "{}", out.text);
    // Acknowledged means in the log: a reader replays it.
    let reader = StoreFile::open(&db, Access::ReadOnly).expect("reader");
    assert_eq!(reader.graph.node_count(), 1);
    assert!(!db.exists(), "nothing folded yet");

    let mut ro = factgraph::shell::Session::with_store(reader.graph, reader.store);
    let out = ro.handle("CREATE (:Person {name: 'Bo'});");
    assert!(out.error && out.text.contains("read-only"), "{}", out.text);
    let out = ro.handle(":save");
    assert!(out.error && out.text.contains("read-only"), "{}", out.text);
    assert!(!ro.handle("MATCH (n) RETURN n;").error);
    assert!(
        ro.save_on_exit().text.is_empty(),
        "a read-only shell saves nothing"
    );

    let out = s.save_on_exit();
    assert!(out.text.contains("saved to"), "{}", out.text);
    assert!(db.exists() && !log_path(&db).exists());
}
