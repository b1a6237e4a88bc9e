//! The write-ahead log on real files: replaying it reproduces the writer's
//! graph with the same ids (also ids reused after deletes), and every
//! truncation and hundreds of byte flips of a real log are either recovered
//! (a torn last record dropped with a warning, leaving exactly the records
//! before it) or refused with an error, never a panic or a wrong graph.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use factgraph::gen::{generate, GenConfig};
use factgraph::model::Value;
use factgraph::store::codec::{self, LogEntry, LOG_HEADER_LEN};
use factgraph::store::wal::{log_path, Access, Opened, StoreFile, WalError};
use factgraph::store::{EdgeId, Graph, NodeId};

/// A small deterministic generator (64-bit LCG, high bits).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
}

/// Mixed changes: deletions with and without detach (which free ids that
/// later insertions reuse), insertions, property edits, new relationships.
fn churn(g: &mut Graph, rng: &mut Rng, steps: usize) {
    for _ in 0..steps {
        let nodes: Vec<NodeId> = g.node_ids().collect();
        let edges: Vec<EdgeId> = g.edge_ids().collect();
        if nodes.is_empty() {
            let _ = g.add_node(vec!["Person".into()], name(rng.next()), Vec::new());
            continue;
        }
        let n = nodes[rng.next() % nodes.len()];
        match rng.next() % 7 {
            0 => {
                let _ = g.remove_node(n, true);
            }
            1 if !edges.is_empty() => {
                let _ = g.remove_edge(edges[rng.next() % edges.len()]);
            }
            2 | 3 => {
                let _ = g.add_node(vec!["Person".into()], name(rng.next()), Vec::new());
            }
            4 => {
                let text = format!("changed {}", rng.next());
                let _ = g.set_node_property(n, "description", Value::from(text));
            }
            5 => {
                let m = nodes[rng.next() % nodes.len()];
                let _ = g.add_edge(n, m, "MEETS", BTreeMap::new(), Vec::new());
            }
            _ => {
                let _ = g.set_node_property(n, "description", Value::Null);
            }
        }
    }
}

fn name(n: usize) -> BTreeMap<String, Value> {
    BTreeMap::from([("name".to_string(), Value::from(format!("person {n}")))])
}

fn open(path: &Path, access: Access) -> Result<Opened, WalError> {
    StoreFile::open(path, access)
}

#[test]
fn replay_reproduces_the_writers_graph_with_the_same_ids() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("g.fg");
    let mut g = generate(&GenConfig::with_nodes(300, 5));
    let mut store = StoreFile::create(&mut g, &path).expect("create");
    let mut rng = Rng(17);
    for unit in 0..58 {
        if unit % 9 == 4 {
            // A unit that fails and is undone touches elements without changing them.
            let cp = g.checkpoint();
            churn(&mut g, &mut rng, 10);
            g.rollback(cp);
        }
        churn(&mut g, &mut rng, 12);
        store.append(&mut g).expect("append");
        if unit % 20 == 19 {
            store.fold(&mut g).expect("fold");
        }
        let reader = open(&path, Access::ReadOnly).expect("read-only open");
        assert!(
            reader.graph.same_as(&g),
            "after unit {unit} the replayed graph differs from the writer's"
        );
        assert!(reader.warnings.is_empty(), "{:?}", reader.warnings);
    }
    drop(store);
    let reopened = open(&path, Access::Write).expect("open for writing");
    assert!(reopened.graph.same_as(&g));
    assert!(reopened.replayed > 0, "the last units come from the log");
}

/// A store with a snapshot and a log of `units` records, the writer's graph
/// after each record, and where each record ends in the log.
struct Fixture {
    _dir: tempfile::TempDir,
    path: PathBuf,
    snapshot: Vec<u8>,
    log: Vec<u8>,
    graphs: Vec<Graph>,
    ends: Vec<usize>,
}

fn fixture(units: usize) -> Fixture {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("g.fg");
    let mut g = generate(&GenConfig::with_nodes(60, 9));
    let mut store = StoreFile::create(&mut g, &path).expect("create");
    let mut rng = Rng(3);
    let mut graphs = vec![g.clone()];
    let mut ends = vec![LOG_HEADER_LEN];
    for _ in 0..units {
        churn(&mut g, &mut rng, 3);
        assert!(store.append(&mut g).expect("append"));
        graphs.push(g.clone());
        let len = fs::metadata(log_path(&path)).expect("log").len() as usize;
        ends.push(len);
    }
    drop(store);
    Fixture {
        snapshot: fs::read(&path).expect("snapshot"),
        log: fs::read(log_path(&path)).expect("log"),
        _dir: dir,
        path,
        graphs,
        ends,
    }
}

#[test]
fn every_truncation_of_a_log_is_recovered_or_refused() {
    let f = fixture(8);
    let (mut exact, mut torn, mut refused) = (0, 0, 0);
    for len in 0..=f.log.len() {
        fs::write(log_path(&f.path), &f.log[..len]).expect("write log");
        match open(&f.path, Access::ReadOnly) {
            Err(e) => {
                assert!(len < LOG_HEADER_LEN, "a log cut at {len} was refused: {e}");
                assert!(matches!(e, WalError::BadHeader { .. }), "{e}");
                refused += 1;
            }
            Ok(o) => {
                let records = f.ends.iter().filter(|&&end| end <= len).count() - 1;
                assert!(
                    o.graph.same_as(&f.graphs[records]),
                    "a log cut at {len} does not give the graph of its {records} whole records"
                );
                if f.ends.contains(&len) {
                    assert!(o.warnings.is_empty(), "{:?}", o.warnings);
                    exact += 1;
                } else {
                    let w = o.warnings.join("\n");
                    assert!(
                        w.contains("g.fg.wal") && w.contains(&format!("byte {}", f.ends[records])),
                        "cut at {len}: {w}"
                    );
                    torn += 1;
                }
            }
        }
    }
    // A file system that extended the log but never wrote the data leaves zeros.
    let mut zeroed = f.log.clone();
    let last = f.ends.len() - 2;
    zeroed[f.ends[last]..].fill(0);
    zeroed.extend([0u8; 512]);
    fs::write(log_path(&f.path), &zeroed).expect("write log");
    let o = open(&f.path, Access::ReadOnly).expect("zero tail");
    assert!(o.graph.same_as(&f.graphs[last]) && o.warnings.len() == 1);
    // Opening for writing cuts the torn record off, so the next record follows intact ones.
    let cut = f.ends[5] + 7;
    fs::write(log_path(&f.path), &f.log[..cut]).expect("write log");
    let o = open(&f.path, Access::Write).expect("open for writing");
    assert!(o.graph.same_as(&f.graphs[5]));
    drop(o);
    assert_eq!(
        fs::metadata(log_path(&f.path)).expect("log").len() as usize,
        f.ends[5]
    );
    println!(
        "log truncations: {} lengths of a {}-byte log: {exact} whole, {torn} torn tails dropped with a warning, {refused} refused (inside the header)",
        f.log.len() + 1,
        f.log.len()
    );
}

#[test]
fn byte_flips_in_a_log_are_recovered_or_refused() {
    let f = fixture(8);
    let mut rng = Rng(99);
    let (mut recovered, mut refused) = (0, 0);
    let flips = 600;
    for case in 0..flips {
        let mut log = f.log.clone();
        // Mostly single bytes; every fourth case damages up to four places.
        let places = if case % 4 == 3 { 2 + rng.next() % 3 } else { 1 };
        let mut first = usize::MAX;
        for _ in 0..places {
            let at = rng.next() % log.len();
            log[at] ^= 1 + (rng.next() % 255) as u8;
            first = first.min(at);
        }
        if log == f.log {
            // Two edits of one byte cancelled out.
            continue;
        }
        fs::write(log_path(&f.path), &log).expect("write log");
        let damaged_record = f
            .ends
            .iter()
            .filter(|&&end| end <= first)
            .count()
            .saturating_sub(1);
        match open(&f.path, Access::ReadOnly) {
            Err(e) => {
                let text = e.to_string();
                assert!(text.contains("g.fg.wal"), "{text}");
                if first >= LOG_HEADER_LEN && places == 1 && damaged_record + 1 < f.ends.len() - 1 {
                    assert!(
                        matches!(e, WalError::Corrupt { offset, .. } if offset as usize == f.ends[damaged_record]),
                        "flip at {first}: {e}"
                    );
                }
                refused += 1;
            }
            Ok(o) => {
                // Only damage to the last record can be taken for a torn write.
                assert!(
                    first >= f.ends[f.ends.len() - 2],
                    "damage at byte {first} (record {damaged_record}) was accepted"
                );
                assert!(!o.warnings.is_empty());
                assert!(o.graph.same_as(&f.graphs[f.graphs.len() - 2]));
                recovered += 1;
            }
        }
    }
    assert!(recovered > 0 && refused > 0);
    println!(
        "log byte flips: {flips} damaged copies of a {}-byte log: {refused} refused with an error, {recovered} recovered by dropping the damaged last record",
        f.log.len()
    );
}

#[test]
fn a_log_is_replayed_only_onto_the_snapshot_it_extends() {
    let f = fixture(4);
    fs::write(log_path(&f.path), &f.log).expect("write log");
    // Another snapshot under the log: refused, naming both files.
    let mut other = generate(&GenConfig::with_nodes(30, 1));
    codec::save(&other, &f.path).expect("save");
    let e = open(&f.path, Access::Write).expect_err("mismatch");
    assert!(matches!(e, WalError::Mismatch { .. }), "{e}");
    let text = e.to_string();
    assert!(
        text.contains("g.fg.wal") && text.contains("does not extend"),
        "{text}"
    );
    // No snapshot at all under a log that extends one: refused too.
    fs::remove_file(&f.path).expect("remove");
    assert!(matches!(
        open(&f.path, Access::ReadOnly),
        Err(WalError::Mismatch { .. })
    ));
    other.track_changes();

    // A crash in a fold after the FoldStarted mark but before the new
    // snapshot replaced the old one: the log still extends the old snapshot.
    let mut marked = f.log.clone();
    marked.extend(codec::encode_log_record(&LogEntry::FoldStarted).expect("encode"));
    fs::write(&f.path, &f.snapshot).expect("snapshot");
    fs::write(log_path(&f.path), &marked).expect("log");
    let last = f.graphs.last().expect("graphs");
    let o = open(&f.path, Access::ReadOnly).expect("open");
    assert!(o.graph.same_as(last));

    // A crash after the new snapshot is in place but before the log is
    // removed: the log names the old snapshot and ends with the mark, so it is
    // not replayed a second time; opening for writing removes it.
    codec::save(last, &f.path).expect("save folded snapshot");
    let o = open(&f.path, Access::Write).expect("open");
    assert!(o.graph.same_as(last));
    assert_eq!(o.replayed, 0);
    drop(o);
    assert!(!log_path(&f.path).exists(), "the folded log is removed");
}
