//! Kills `factgraph run --commit-each` with SIGKILL at random points of a
//! long mutation script, many times over one store, and checks after each
//! kill that the store holds exactly the acknowledged statements (a result
//! printed means the statement is durable), at most the one statement in
//! flight beyond them, nothing half-applied, and every id unchanged.
//!
//! Each statement creates, deletes or edits a group of three nodes and two
//! relationships tied together by a sequence number in their keys.
//! The script runs through `run --commit-each` and through the shell on a
//! pipe. `FACTGRAPH_RELIABILITY_LONG=1` runs 500 and 200 times instead of 40 and 15.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_factgraph");

/// Statements per run.
const STATEMENTS: u64 = 100;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

#[derive(Clone, Copy, Debug)]
enum Stmt {
    /// Creates group `seq`.
    Create,
    /// Deletes the group created by statement `target`.
    Delete(u64),
    /// Sets a description on the person of group `target`.
    Touch(u64),
}

/// Statement `k` of a run whose sequence numbers start at `base`: groups are
/// created by statements 0, 1, 2 of every five; the fourth deletes the group
/// of the first (so the next creations reuse its ids), the fifth edits the second's.
fn statement(base: u64, k: u64) -> (u64, Stmt) {
    let seq = base + k;
    let stmt = match k % 5 {
        3 => Stmt::Delete(seq - 3),
        4 => Stmt::Touch(seq - 3),
        _ => Stmt::Create,
    };
    (seq, stmt)
}

fn text(seq: u64, stmt: Stmt) -> String {
    match stmt {
        Stmt::Create => format!(
            "CREATE (a:Person {{name: 'P{seq}', key: 'p-{seq}'}})-[h:HOLDS]->(r:Role {{name: 'R{seq}', key: 'r-{seq}'}})\
             -[o:ROLE_OF]->(c:Country {{name: 'C{seq}', key: 'c-{seq}'}}) \
             RETURN {seq} AS seq, id(a) AS a, id(r) AS r, id(c) AS c, id(h) AS h, id(o) AS o;\n"
        ),
        Stmt::Delete(t) => format!(
            "MATCH (n) WHERE n.key IN ['p-{t}', 'r-{t}', 'c-{t}'] DETACH DELETE n \
             RETURN {seq} AS seq, count(*) AS a, -1 AS r, -1 AS c, -1 AS h, -1 AS o;\n"
        ),
        Stmt::Touch(t) => format!(
            "MATCH (a:Person {{key: 'p-{t}'}}) SET a.description = 'touched by {seq}' \
             RETURN {seq} AS seq, id(a) AS a, -1 AS r, -1 AS c, -1 AS h, -1 AS o;\n"
        ),
    }
}

/// One group as the store must hold it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Group {
    /// Ids of the person, role and country.
    nodes: [i64; 3],
    /// Ids of HOLDS and ROLE_OF.
    edges: [i64; 2],
    /// The statement whose edit the person shows.
    touched_by: Option<u64>,
}

/// Reads the groups the store holds, through the binary, read-only.
/// Returns them, any group found incomplete, and the replay warnings.
fn observe(db: &Path) -> (BTreeMap<u64, Group>, Vec<String>, String) {
    let query = |q: &str| {
        let o = Command::new(BIN)
            .args(["--read-only", "query", "--format", "csv", "--db"])
            .arg(db)
            .arg(q)
            .output()
            .expect("run factgraph");
        let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
        assert!(o.status.success(), "query failed: {stderr}");
        (String::from_utf8_lossy(&o.stdout).into_owned(), stderr)
    };
    let (nodes, warnings) = query(
        "MATCH (n) RETURN n.key AS key, id(n) AS id, labels(n)[0] AS label, n.description AS d",
    );
    let (edges, _) =
        query("MATCH (a)-[r]->(b) RETURN type(r) AS t, id(r) AS id, a.key AS from, b.key AS to");
    // Per group: node ids, relationship ids, and who touched it, as found.
    type Found = ([Option<i64>; 3], [Option<i64>; 2], Option<u64>);
    let mut partial: BTreeMap<u64, Found> = BTreeMap::new();
    let mut problems = Vec::new();
    for line in nodes.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let (Some(key), Some(id)) = (f.first(), f.get(1)) else {
            problems.push(format!("unreadable row {line:?}"));
            continue;
        };
        let (kind, seq) = key.split_once('-').unwrap_or(("?", "x"));
        let Ok(seq) = seq.parse::<u64>() else {
            problems.push(format!("a node without a group: {line:?}"));
            continue;
        };
        let slot = match kind {
            "p" => 0,
            "r" => 1,
            _ => 2,
        };
        let entry = partial.entry(seq).or_default();
        entry.0[slot] = id.parse().ok();
        if let Some(d) = f.get(3).and_then(|d| d.strip_prefix("touched by ")) {
            entry.2 = d.parse().ok();
        }
    }
    for line in edges.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let seq = f
            .get(2)
            .and_then(|k| k.split_once('-'))
            .and_then(|(_, s)| s.parse::<u64>().ok());
        let (Some(seq), Some(t), Some(id)) = (seq, f.first(), f.get(1)) else {
            problems.push(format!("unreadable relationship {line:?}"));
            continue;
        };
        let slot = if *t == "HOLDS" { 0 } else { 1 };
        let entry = partial.entry(seq).or_default();
        entry.1[slot] = id.parse().ok();
        let expected = if slot == 0 {
            (format!("p-{seq}"), format!("r-{seq}"))
        } else {
            (format!("r-{seq}"), format!("c-{seq}"))
        };
        if (f.get(2).copied(), f.get(3).copied())
            != (Some(expected.0.as_str()), Some(expected.1.as_str()))
        {
            problems.push(format!("relationship between the wrong nodes: {line:?}"));
        }
    }
    let mut groups = BTreeMap::new();
    for (seq, (n, e, touched_by)) in partial {
        match (n, e) {
            ([Some(a), Some(b), Some(c)], [Some(h), Some(o)]) => {
                groups.insert(
                    seq,
                    Group {
                        nodes: [a, b, c],
                        edges: [h, o],
                        touched_by,
                    },
                );
            }
            _ => problems.push(format!("group {seq} is half-applied: {n:?} {e:?}")),
        }
    }
    (groups, problems, warnings)
}

#[derive(Default)]
struct Tally {
    iterations: usize,
    killed: usize,
    acknowledged: usize,
    in_flight_applied: usize,
    in_flight_absent: usize,
    completed_runs: usize,
    torn_tails: usize,
}

/// Which process runs the script.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Runner {
    /// `factgraph run --commit-each --format csv`.
    Run,
    /// `factgraph repl` with the script on a pipe after `:format csv`.
    Repl,
}

fn crash_kill(iterations: usize, runner: Runner) -> Tally {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("g.fg");
    let mut rng = Rng(0x5eed_c0de);
    let mut model: BTreeMap<u64, Group> = BTreeMap::new();
    let mut tally = Tally::default();
    // The first run is not killed: its length sets the range of the kill
    // delays, so that most kills land inside a run and some after its end.
    let mut run_time = Duration::from_secs(3600);
    for it in 0..iterations {
        let base = (it as u64 + 1) * 1000;
        let script_path = dir.path().join("script.cypher");
        let script: String = (0..STATEMENTS)
            .map(|k| {
                let (seq, stmt) = statement(base, k);
                text(seq, stmt)
            })
            .collect();
        std::fs::write(&script_path, script).expect("write script");
        // From at once (killed while opening or replaying) to after the end.
        let delay = if it == 0 {
            run_time
        } else {
            let range = run_time.as_millis() as u64 * 11 / 10 + 1;
            Duration::from_millis(rng.next() % range)
        };
        let mut command = Command::new(BIN);
        match runner {
            Runner::Run => command
                .args(["run", "--commit-each", "--format", "csv", "--db"])
                .arg(&db)
                .arg(&script_path),
            Runner::Repl => command.args(["repl", "--db"]).arg(&db),
        };
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn factgraph");
        let mut stdin = child.stdin.take().expect("stdin");
        if runner == Runner::Repl {
            let input = format!(
                ":format csv\n{}",
                std::fs::read_to_string(&script_path).expect("script")
            );
            // Under the pipe's capacity, so this never waits for the shell.
            stdin.write_all(input.as_bytes()).expect("feed the shell");
        }
        drop(stdin);
        let mut stdout = child.stdout.take().expect("stdout");
        let reader = std::thread::spawn(move || {
            let mut out = Vec::new();
            let _ = stdout.read_to_end(&mut out);
            out
        });
        let started = Instant::now();
        let mut exited = None;
        while started.elapsed() < delay {
            if let Some(status) = child.try_wait().expect("wait") {
                exited = Some(status);
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        if exited.is_none() && child.kill().is_ok() {
            tally.killed += 1;
        }
        let status = child.wait().expect("wait");
        if it == 0 {
            assert!(status.success(), "the first run did not finish");
            run_time = started.elapsed();
        }
        if status.success() {
            tally.completed_runs += 1;
        }
        let out = String::from_utf8_lossy(&reader.join().expect("reader")).into_owned();

        // Only whole lines were printed after their statement was synced.
        let complete = match out.rfind('\n') {
            Some(end) => &out[..=end],
            None => "",
        };
        let mut acked = Vec::new();
        // A result row is six numbers; headers and the shell's messages are not.
        for line in complete.lines() {
            let f: Vec<i64> = line.split(',').filter_map(|x| x.parse().ok()).collect();
            if f.len() == 6 && line.split(',').count() == 6 {
                acked.push(f);
            }
        }
        for (k, f) in acked.iter().enumerate() {
            let (seq, stmt) = statement(base, k as u64);
            assert_eq!(f[0], seq as i64, "acknowledgements out of order: {out}");
            match stmt {
                Stmt::Create => {
                    model.insert(
                        seq,
                        Group {
                            nodes: [f[1], f[2], f[3]],
                            edges: [f[4], f[5]],
                            touched_by: None,
                        },
                    );
                }
                Stmt::Delete(t) => {
                    assert!(
                        model.remove(&t).is_some(),
                        "deleted group {t} was not there"
                    );
                }
                Stmt::Touch(t) => {
                    if let Some(g) = model.get_mut(&t) {
                        g.touched_by = Some(seq);
                    }
                }
            }
        }
        tally.acknowledged += acked.len();

        let (observed, problems, warnings) = observe(&db);
        assert!(problems.is_empty(), "iteration {it}: {problems:?}");
        if warnings.contains("dropped an incomplete record") {
            tally.torn_tails += 1;
        }
        // The statement after the last acknowledged one may or may not have
        // become durable before the kill; either way completely.
        let in_flight = (acked.len() as u64) < STATEMENTS && !status.success();
        let mut expected = model.clone();
        if in_flight {
            let (seq, stmt) = statement(base, acked.len() as u64);
            let applied = match stmt {
                Stmt::Create => observed.contains_key(&seq),
                Stmt::Delete(t) => !observed.contains_key(&t) && expected.contains_key(&t),
                Stmt::Touch(t) => observed.get(&t).is_some_and(|g| g.touched_by == Some(seq)),
            };
            if applied {
                match stmt {
                    Stmt::Create => {
                        if let Some(g) = observed.get(&seq) {
                            expected.insert(seq, g.clone());
                        }
                    }
                    Stmt::Delete(t) => {
                        expected.remove(&t);
                    }
                    Stmt::Touch(t) => {
                        if let Some(g) = expected.get_mut(&t) {
                            g.touched_by = Some(seq);
                        }
                    }
                }
                tally.in_flight_applied += 1;
            } else {
                tally.in_flight_absent += 1;
            }
        }
        assert_eq!(
            observed, expected,
            "iteration {it} (killed after {delay:?}, {} acknowledged): the store differs from the acknowledged statements",
            acked.len()
        );
        model = expected;
        tally.iterations += 1;
    }
    tally
}

fn long() -> bool {
    std::env::var_os("FACTGRAPH_RELIABILITY_LONG").is_some_and(|v| v == "1")
}

#[test]
fn sigkill_at_random_points_loses_no_acknowledged_statement() {
    let iterations = if long() { 500 } else { 40 };
    report(
        "run --commit-each",
        iterations,
        crash_kill(iterations, Runner::Run),
    );
}

#[test]
fn sigkill_of_the_shell_loses_no_acknowledged_statement() {
    let iterations = if long() { 200 } else { 15 };
    report("repl", iterations, crash_kill(iterations, Runner::Repl));
}

fn report(what: &str, iterations: usize, t: Tally) {
    assert_eq!(t.iterations, iterations);
    assert!(t.acknowledged > 0, "no statement was ever acknowledged");
    println!(
        "crash-kill ({what}): {} runs, {} killed with SIGKILL, {} acknowledged statements all present, 0 lost; \
         in-flight statement durable {} times, absent {} times; {} runs finished before the kill; \
         {} torn log tails dropped",
        t.iterations,
        t.killed,
        t.acknowledged,
        t.in_flight_applied,
        t.in_flight_absent,
        t.completed_runs,
        t.torn_tails
    );
}
