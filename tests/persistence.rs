//! Snapshot files: round trips, damaged files, hostile payloads and atomic saves.
//!
//! Every failure must be the specific [`SnapshotError`] for what is wrong,
//! name the file, never panic, never allocate what the file does not hold,
//! and never touch the file. Hostile payloads are made by patching the bytes
//! of real encoded graphs and giving them a valid header, so they reach the
//! decoder instead of stopping at the checksum.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use factgraph::gen::{generate, GenConfig};
use factgraph::model::{Date, LabelDef, PropDef, PropType, Provenance, Schema, Temporal, Value};
use factgraph::seed;
use factgraph::store::codec::{self, FORMAT_VERSION, HEADER_LEN, MAGIC};
use factgraph::store::{DocumentRecord, Graph, NodeId, SnapshotError};
use tempfile::TempDir;

// ---- helpers ----

fn seed_graph() -> Graph {
    seed::graph().unwrap_or_else(|e| panic!("seed graph does not load:\n{e}"))
}

fn tmp() -> TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

/// The names in `dir`, sorted.
fn listing(dir: &Path) -> BTreeSet<String> {
    fs::read_dir(dir)
        .expect("readable directory")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

/// A complete snapshot around `payload`, with a header that matches it.
fn with_payload(payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());
    out.extend_from_slice(payload);
    out
}

fn payload_of(g: &Graph) -> Vec<u8> {
    codec::encode(g).unwrap()[HEADER_LEN..].to_vec()
}

fn variant(e: &SnapshotError) -> &'static str {
    match e {
        SnapshotError::Io { .. } => "Io",
        SnapshotError::NotAStore { .. } => "NotAStore",
        SnapshotError::WrongVersion { .. } => "WrongVersion",
        SnapshotError::Truncated { .. } => "Truncated",
        SnapshotError::TruncatedHeader { .. } => "TruncatedHeader",
        SnapshotError::ChecksumMismatch { .. } => "ChecksumMismatch",
        SnapshotError::Corrupt { .. } => "Corrupt",
        SnapshotError::Encode(_) => "Encode",
    }
}

/// Writes `bytes` to `path`, loads it, and checks that loading failed
/// without touching the file and with a message naming it.
fn load_fails(path: &Path, bytes: &[u8]) -> SnapshotError {
    fs::write(path, bytes).unwrap();
    let err = match codec::load(path) {
        Ok(g) => panic!(
            "{} bytes loaded as a graph of {} nodes",
            bytes.len(),
            g.node_count()
        ),
        Err(e) => e,
    };
    assert_eq!(fs::read(path).unwrap(), bytes, "loading changed the file");
    let message = err.to_string();
    assert!(
        message.contains(&path.display().to_string()),
        "the message does not name the file: {message}"
    );
    err
}

/// Decodes `bytes` (no file involved) and returns the `Corrupt` detail.
fn corrupt_detail(bytes: &[u8]) -> String {
    match codec::decode(bytes, Path::new("crafted.fgs")) {
        Err(SnapshotError::Corrupt { path, detail }) => {
            assert_eq!(path, Path::new("crafted.fgs"));
            detail
        }
        Err(e) => panic!("expected Corrupt, got {}: {e}", variant(&e)),
        Ok(g) => panic!("decoded a graph of {} nodes", g.node_count()),
    }
}

/// Replaces the `nth` occurrence (0-based; `usize::MAX` for the last) of `find` in `bytes`.
fn patch(bytes: &[u8], find: &[u8], nth: usize, replace: &[u8]) -> Vec<u8> {
    let hits: Vec<usize> = bytes
        .windows(find.len())
        .enumerate()
        .filter(|(_, w)| *w == find)
        .map(|(i, _)| i)
        .collect();
    let at = if nth == usize::MAX {
        *hits.last().unwrap_or_else(|| panic!("{find:?} not found"))
    } else {
        *hits
            .get(nth)
            .unwrap_or_else(|| panic!("{find:?} occurs {} times, not {}", hits.len(), nth + 1))
    };
    let mut out = bytes[..at].to_vec();
    out.extend_from_slice(replace);
    out.extend_from_slice(&bytes[at + find.len()..]);
    out
}

fn position(bytes: &[u8], find: &[u8]) -> usize {
    bytes
        .windows(find.len())
        .position(|w| w == find)
        .unwrap_or_else(|| panic!("{find:?} not found"))
}

fn props<const N: usize>(pairs: [(&str, Value); N]) -> BTreeMap<String, Value> {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

/// A small open-schema graph with markers that are easy to find in its bytes.
///
/// Nodes n0 (labels AAA, BBB; key zkey1), n1 (deleted), n2 (key zkey2); one
/// relationship n0 -[:ZZREL]-> n2; one document `docAA` that n0 cites.
fn marked_graph() -> Graph {
    let mut g = Graph::new(Schema::open());
    g.add_document(DocumentRecord::new(
        "docAA",
        "A marked document",
        "One sentence. Two sentences.",
    ));
    let cite = Provenance {
        document: "docAA".into(),
        sentence: 1,
        start: 0,
        end: 3,
        method: "test".into(),
    };
    let n0 = g
        .add_node(
            vec!["AAA".into(), "BBB".into()],
            props([
                ("key", Value::from("zkey1")),
                ("zzint", Value::Int(5)),
                ("zzdate", Value::Date(Date::ymd(2025, 11, 30).unwrap())),
                (
                    "zzdeep",
                    Value::List(vec![Value::List(vec![Value::Int(7)])]),
                ),
            ]),
            vec![cite],
        )
        .unwrap();
    let n1 = g
        .add_node(vec!["CCC".into()], BTreeMap::new(), vec![])
        .unwrap();
    let n2 = g
        .add_node(
            vec!["CCC".into()],
            props([("key", Value::from("zkey2"))]),
            vec![],
        )
        .unwrap();
    g.remove_node(n1, false).unwrap();
    g.add_edge(n0, n2, "ZZREL", BTreeMap::new(), vec![])
        .unwrap();
    g
}

// ---- (a) round trips ----

#[test]
fn the_seed_graph_round_trips() {
    let dir = tmp();
    let path = dir.path().join("seed.fgs");
    let g = seed_graph();
    codec::save(&g, &path).unwrap();
    let back = codec::load(&path).unwrap();
    assert!(back.same_as(&g));
    // Encoding is deterministic: the loaded graph encodes to the same bytes.
    assert_eq!(codec::encode(&back).unwrap(), fs::read(&path).unwrap());
    assert_eq!(
        listing(dir.path()),
        BTreeSet::from(["seed.fgs".to_string()])
    );
}

/// A version-1 store written before temporal properties existed (the marked
/// graph, saved by commit eb7832b) still loads, and today's encoder writes
/// the very same bytes for it: appending `Value::Temporal` changed nothing
/// for the values that were already there.
#[test]
fn a_version_1_store_from_before_temporal_values_still_loads() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshot_fixtures/marked-v1.fgs");
    let back = codec::load(&path).unwrap();
    assert!(back.same_as(&marked_graph()));
    assert_eq!(
        codec::encode(&marked_graph()).unwrap(),
        fs::read(&path).unwrap()
    );
}

fn temporals() -> Vec<Temporal> {
    vec![
        Temporal::LocalTime {
            secs: 45_296,
            nanos: 5,
        },
        Temporal::Time {
            secs: 0,
            nanos: 0,
            offset: -3_600,
        },
        Temporal::LocalDateTime {
            days: 739_000,
            secs: 86_399,
            nanos: 999_999_999,
        },
        // 2024-01-01T12:00+01:00[Europe/Stockholm]
        Temporal::DateTime {
            days: 738_886,
            secs: 43_200,
            nanos: 0,
            offset: 3_600,
            zone: Some("Europe/Stockholm".into()),
        },
        Temporal::DateTime {
            days: 1,
            secs: 0,
            nanos: 0,
            offset: 0,
            zone: None,
        },
        Temporal::Duration {
            months: -14,
            days: 3,
            secs: -5,
            nanos: 500,
        },
    ]
}

#[test]
fn temporal_properties_round_trip() {
    let mut g = Graph::new(Schema::open());
    let all: Vec<Value> = temporals().into_iter().map(Value::Temporal).collect();
    g.add_node(
        vec!["T".into()],
        props([("one", all[3].clone()), ("all", Value::List(all.clone()))]),
        vec![],
    )
    .unwrap();
    let dir = tmp();
    let path = dir.path().join("t.fgs");
    codec::save(&g, &path).unwrap();
    let back = codec::load(&path).unwrap();
    assert!(back.same_as(&g));
    assert_eq!(codec::encode(&back).unwrap(), fs::read(&path).unwrap());
}

#[test]
fn out_of_range_temporal_fields_are_corrupt() {
    let bad = [
        Temporal::LocalTime {
            secs: 86_400,
            nanos: 0,
        },
        Temporal::Time {
            secs: 0,
            nanos: 0,
            offset: 19 * 3_600,
        },
        Temporal::LocalDateTime {
            days: i32::MAX,
            secs: 0,
            nanos: 0,
        },
        Temporal::DateTime {
            days: 739_000,
            secs: 0,
            nanos: 0,
            offset: 0,
            zone: Some("Nowhere/Atlantis".into()),
        },
        // Stockholm is never at +05:00.
        Temporal::DateTime {
            days: 739_000,
            secs: 0,
            nanos: 0,
            offset: 5 * 3_600,
            zone: Some("Europe/Stockholm".into()),
        },
        Temporal::Duration {
            months: 0,
            days: 0,
            secs: 0,
            nanos: 1_000_000_000,
        },
    ];
    for t in bad {
        let mut g = Graph::new(Schema::open());
        g.add_node(vec![], props([("t", Value::Temporal(t.clone()))]), vec![])
            .unwrap();
        let dir = tmp();
        let path = dir.path().join("bad.fgs");
        let e = load_fails(&path, &codec::encode(&g).unwrap());
        assert_eq!(variant(&e), "Corrupt", "{t:?}: {e}");
    }
}

#[test]
fn a_generated_graph_of_100k_nodes_round_trips() {
    let dir = tmp();
    let path = dir.path().join("big.fgs");
    let g = generate(&GenConfig::with_nodes(100_000, 2025));
    assert!(g.node_count() >= 100_000);
    codec::save(&g, &path).unwrap();
    let back = codec::load(&path).unwrap();
    assert!(back.same_as(&g));
    assert_eq!(back.node_count(), g.node_count());
    assert_eq!(back.edge_count(), g.edge_count());
}

#[test]
fn ids_survive_deletions_and_insertions_work_after_loading() {
    let dir = tmp();
    let path = dir.path().join("holes.fgs");
    let mut g = generate(&GenConfig {
        people: 1500,
        seed: 11,
        edges_per_node: 4,
    });
    let nodes: Vec<NodeId> = g.node_ids().collect();
    for id in nodes.iter().step_by(7) {
        g.remove_node(*id, true).unwrap();
    }
    let edges: Vec<_> = g.edge_ids().collect();
    for id in edges.iter().step_by(5) {
        g.remove_edge(*id).unwrap();
    }
    // The last node and edge are gone too, so the id space ends in a hole.
    let last = *nodes.last().unwrap();
    if g.node(last).is_some() {
        g.remove_node(last, true).unwrap();
    }
    codec::save(&g, &path).unwrap();
    let mut back = codec::load(&path).unwrap();
    assert!(back.same_as(&g));
    assert_eq!(
        back.node_ids().collect::<Vec<_>>(),
        g.node_ids().collect::<Vec<_>>()
    );
    assert_eq!(
        back.edge_ids().collect::<Vec<_>>(),
        g.edge_ids().collect::<Vec<_>>()
    );
    for id in g.edge_ids() {
        assert_eq!(back.endpoints(id), g.endpoints(id));
    }

    // New elements go into the loaded graph without disturbing the old ones.
    let before: BTreeSet<NodeId> = back.node_ids().collect();
    let mut added = Vec::new();
    for i in 0..300 {
        let id = back
            .add_node(
                vec!["Person".into()],
                props([
                    ("name", Value::String(format!("New Person {i}"))),
                    ("key", Value::String(format!("new_person_{i}"))),
                ]),
                vec![],
            )
            .unwrap();
        assert!(!before.contains(&id), "{id} was already in use");
        added.push(id);
    }
    let country = back.nodes_with_label("Country").next().unwrap();
    for &p in &added {
        back.add_edge(p, country, "CITIZEN_OF", BTreeMap::new(), vec![])
            .unwrap();
    }
    assert_eq!(back.node_count(), g.node_count() + added.len());
    assert_eq!(back.edge_count(), g.edge_count() + added.len());
    for id in g.node_ids() {
        assert_eq!(back.node(id), g.node(id));
    }
    assert_eq!(back.node_by_key("new_person_7"), Some(added[7]));
    codec::save(&back, &path).unwrap();
    assert!(codec::load(&path).unwrap().same_as(&back));
}

// ---- (b) damaged files ----

#[test]
fn every_single_byte_flip_is_caught_by_the_right_check() {
    let dir = tmp();
    let good_path = dir.path().join("seed.fgs");
    codec::save(&seed_graph(), &good_path).unwrap();
    let good = fs::read(&good_path).unwrap();
    let payload_len = (good.len() - HEADER_LEN) as u64;
    let crc = u32::from_le_bytes(good[20..24].try_into().unwrap());
    let path = dir.path().join("flipped.fgs");

    // All header bytes, and about 300 payload bytes from first to last.
    let step = ((good.len() - HEADER_LEN) / 300).max(1);
    let mut positions: Vec<usize> = (0..HEADER_LEN).collect();
    positions.extend((HEADER_LEN..good.len()).step_by(step));
    positions.push(good.len() - 1);
    let mut checked = 0;
    for &at in &positions {
        for mask in [0x01u8, 0x80, 0xff] {
            let mut bytes = good.clone();
            bytes[at] ^= mask;
            let err = load_fails(&path, &bytes);
            let field = |r: std::ops::Range<usize>| {
                let mut b = [0u8; 8];
                b[..r.len()].copy_from_slice(&bytes[r]);
                u64::from_le_bytes(b)
            };
            match (at, &err) {
                (0..=7, SnapshotError::NotAStore { .. }) => {}
                (
                    8..=11,
                    SnapshotError::WrongVersion {
                        found, supported, ..
                    },
                ) => {
                    assert_eq!(*found as u64, field(8..12));
                    assert_eq!(*supported, FORMAT_VERSION);
                }
                (
                    12..=19,
                    SnapshotError::Truncated {
                        expected, found, ..
                    },
                ) => {
                    assert_eq!(*expected, field(12..20));
                    assert_eq!(*found, payload_len);
                }
                (
                    20..=23,
                    SnapshotError::ChecksumMismatch {
                        expected, found, ..
                    },
                ) => {
                    assert_eq!(*expected as u64, field(20..24));
                    assert_eq!(*found, crc);
                }
                (24.., SnapshotError::ChecksumMismatch { expected, .. }) => {
                    assert_eq!(*expected, crc);
                }
                _ => panic!("flip {mask:#x} at byte {at} gave {}: {err}", variant(&err)),
            }
            checked += 1;
        }
    }
    assert!(checked > 900, "only {checked} flips");
    assert_eq!(fs::read(&good_path).unwrap(), good);
}

#[test]
fn truncations_and_trailing_bytes_are_reported_as_truncated() {
    let dir = tmp();
    let good_path = dir.path().join("seed.fgs");
    codec::save(&seed_graph(), &good_path).unwrap();
    let good = fs::read(&good_path).unwrap();
    let len = good.len();
    let payload_len = (len - HEADER_LEN) as u64;
    let path = dir.path().join("cut.fgs");

    let mut cuts: Vec<usize> = (0..=HEADER_LEN + 8).collect();
    cuts.extend((HEADER_LEN..len).step_by((len / 50).max(1)));
    cuts.extend([len / 2, len - 2, len - 1]);
    for cut in cuts {
        let err = load_fails(&path, &good[..cut]);
        match (cut, &err) {
            // An empty file is nothing at all...
            (0, SnapshotError::NotAStore { .. }) => {}
            // ...but the start of a store, cut short, is a truncated store.
            (1..=19, SnapshotError::TruncatedHeader { found, .. }) => {
                assert_eq!(*found, cut as u64)
            }
            (
                20..=23,
                SnapshotError::Truncated {
                    expected, found: 0, ..
                },
            ) => {
                assert_eq!(*expected, payload_len);
            }
            (
                24..,
                SnapshotError::Truncated {
                    expected, found, ..
                },
            ) => {
                assert_eq!(*expected, payload_len);
                assert_eq!(*found, (cut - HEADER_LEN) as u64);
            }
            _ => panic!("cut at {cut} of {len} gave {}: {err}", variant(&err)),
        }
    }

    for tail in [
        &b"x"[..],
        b"\0\0\0\0",
        b"trailing garbage after the payload",
    ] {
        let mut bytes = good.clone();
        bytes.extend_from_slice(tail);
        match load_fails(&path, &bytes) {
            SnapshotError::Truncated {
                expected, found, ..
            } => {
                assert_eq!(expected, payload_len);
                assert_eq!(found, payload_len + tail.len() as u64);
            }
            e => panic!("trailing bytes gave {}: {e}", variant(&e)),
        }
    }
}

#[test]
fn foreign_files_and_other_versions_are_refused() {
    let dir = tmp();
    let good_path = dir.path().join("seed.fgs");
    codec::save(&seed_graph(), &good_path).unwrap();
    let good = fs::read(&good_path).unwrap();
    let path = dir.path().join("other");

    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend_from_slice(&[0; 64]);
    let mut lower = good.clone();
    lower[..8].copy_from_slice(b"factgrph");
    let foreign: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("text", b"MATCH (n) RETURN n;\nnot a store\n".to_vec()),
        ("png", png),
        ("facts file", seed::FACTS.as_bytes().to_vec()),
        ("lower-case magic", lower),
        ("one byte", vec![0]),
        ("zeros", vec![0; 4096]),
    ];
    for (what, bytes) in foreign {
        match load_fails(&path, &bytes) {
            SnapshotError::NotAStore { .. } => {}
            e => panic!("{what} gave {}: {e}", variant(&e)),
        }
    }

    for version in [0, FORMAT_VERSION + 1, u32::MAX] {
        let mut bytes = good.clone();
        bytes[8..12].copy_from_slice(&version.to_le_bytes());
        match load_fails(&path, &bytes) {
            SnapshotError::WrongVersion {
                found, supported, ..
            } => {
                assert_eq!(found, version);
                assert_eq!(supported, FORMAT_VERSION);
            }
            e => panic!("version {version} gave {}: {e}", variant(&e)),
        }
    }
}

#[test]
fn directories_and_missing_files_are_io_errors() {
    let dir = tmp();
    let sub = dir.path().join("a directory");
    fs::create_dir(&sub).unwrap();
    let missing = dir.path().join("missing.fgs");
    for path in [&sub, &missing] {
        let err = codec::load(path).expect_err("loading fails");
        match &err {
            SnapshotError::Io { path: p, .. } => assert_eq!(p, path),
            e => panic!("{} gave {}: {e}", path.display(), variant(e)),
        }
        assert!(err.to_string().contains(&path.display().to_string()));
    }
    match codec::load(&missing) {
        Err(SnapshotError::Io { error: source, .. }) => {
            assert_eq!(source.kind(), std::io::ErrorKind::NotFound)
        }
        _ => unreachable!(),
    }
    assert!(!missing.exists());
    assert!(sub.is_dir());
    assert_eq!(listing(&sub), BTreeSet::new());
}

// ---- (c) hostile payloads behind a valid header ----

#[test]
fn the_crafting_helpers_make_valid_files() {
    // The smallest valid payload: closed empty schema, no documents, a
    // directed graph with no nodes, holes or edges.
    let minimal = [0u8, 0, 0, 0, 0, 0, 1, 0];
    let g = codec::decode(&with_payload(&minimal), Path::new("min")).unwrap();
    assert_eq!((g.node_count(), g.edge_count()), (0, 0));
    // Re-wrapping a real payload gives back the real file.
    let g = marked_graph();
    let bytes = with_payload(&payload_of(&g));
    assert_eq!(bytes, codec::encode(&g).unwrap());
    assert!(codec::decode(&bytes, Path::new("m")).unwrap().same_as(&g));
}

#[test]
fn garbage_payloads_are_corrupt() {
    let mut state = 0x1234_5678_9abc_def0u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for len in [1usize, 2, 3, 7, 8, 9, 31, 64, 255, 1000, 4096, 100_000] {
        for _ in 0..8 {
            let garbage: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            corrupt_detail(&with_payload(&garbage));
        }
    }
    // Bytes that are all "large" (0xff), all "continue" (0xfb..0xfd varint
    // prefixes), or all zeros but not the exact empty layout.
    for fill in [0xffu8, 0xfb, 0xfc, 0xfd, 0x00, 0x01] {
        for len in [1usize, 9, 100, 10_000] {
            corrupt_detail(&with_payload(&vec![fill; len]));
        }
    }
}

#[test]
fn mutated_payloads_decode_or_are_corrupt_but_never_panic() {
    let payload = payload_of(&seed_graph());
    let step = (payload.len() / 400).max(1);
    let mut decoded = 0;
    for at in (0..payload.len()).step_by(step) {
        for mask in [0x01u8, 0x7f, 0x80, 0xff] {
            let mut p = payload.clone();
            p[at] ^= mask;
            match codec::decode(&with_payload(&p), Path::new("mutant")) {
                Err(SnapshotError::Corrupt { .. }) => {}
                Err(e) => panic!("byte {at} ^ {mask:#x}: {}: {e}", variant(&e)),
                // A changed letter in a name is still a valid graph; it must
                // be a consistent one, that saves and loads again.
                Ok(g) => {
                    decoded += 1;
                    let again = codec::decode(&codec::encode(&g).unwrap(), Path::new("again"));
                    assert!(again.unwrap().same_as(&g));
                }
            }
        }
    }
    assert!(decoded > 0, "no mutation kept the payload valid");
    // Every cut of the payload, even with a matching header, is corrupt.
    for cut in (0..payload.len()).step_by((payload.len() / 200).max(1)) {
        corrupt_detail(&with_payload(&payload[..cut]));
    }
    let mut longer = payload.clone();
    longer.push(0);
    assert!(corrupt_detail(&with_payload(&longer)).contains("undecoded"));
}

#[test]
fn relationships_to_missing_or_deleted_nodes_are_corrupt() {
    let payload = payload_of(&marked_graph());
    // An edge is Some (1), source, target, then its type as length + bytes.
    let at = position(&payload, b"\x05ZZREL");
    assert_eq!(payload[at - 3..at], [1, 0, 2], "edge layout changed");
    let retarget = |target: &[u8]| {
        let mut p = payload[..at - 1].to_vec();
        p.extend_from_slice(target);
        p.extend_from_slice(&payload[at..]);
        with_payload(&p)
    };
    // n1 was deleted: petgraph accepts an edge to its vacant slot and
    // corrupts its free list, so the codec must refuse it.
    let detail = corrupt_detail(&retarget(&[1]));
    assert!(detail.contains("does not exist"), "{detail}");
    // Past the last node, and the largest index (varint 252 + u32).
    corrupt_detail(&retarget(&[3]));
    corrupt_detail(&retarget(&[200]));
    corrupt_detail(&retarget(&[252, 0xff, 0xff, 0xff, 0xff]));
    corrupt_detail(&retarget(&[252, 0xfe, 0xff, 0xff, 0xff]));
}

#[test]
fn huge_lengths_are_corrupt_without_allocating_them() {
    let payload = payload_of(&marked_graph());
    let huge: Vec<Vec<u8>> = [u64::MAX, u64::MAX / 2, 1 << 40, 1 << 33]
        .into_iter()
        .map(|n| {
            let mut v = vec![253];
            v.extend_from_slice(&n.to_le_bytes());
            v
        })
        .chain([vec![252, 0xff, 0xff, 0xff, 0x7f], vec![252, 0, 0, 0, 0x40]])
        .collect();
    // Where a length is written: a string (the relationship type), a list
    // (n0's labels: 2 of them, then "AAA"), a map (n0's 4 properties, right
    // after its labels) and a long string (the document's text).
    let text = b"One sentence. Two sentences.";
    let places = [
        ("string", position(&payload, b"\x05ZZREL"), 5),
        ("list", position(&payload, b"\x02\x03AAA"), 2),
        ("map", position(&payload, b"\x03BBB\x04") + 4, 4),
        ("text", position(&payload, text) - 1, text.len()),
    ];
    for (what, at, len) in places {
        assert_eq!(payload[at] as usize, len, "{what} layout changed");
        for huge_len in &huge {
            let mut p = payload[..at].to_vec();
            p.extend_from_slice(huge_len);
            p.extend_from_slice(&payload[at + 1..]);
            corrupt_detail(&with_payload(&p));
        }
    }
}

#[test]
fn deeply_nested_values_are_corrupt_not_a_stack_overflow() {
    // [[7]] is List (6), length 1, List (6), length 1, Int (2), zigzag 7 (14).
    let payload = payload_of(&marked_graph());
    let nested = [6u8, 1, 6, 1, 2, 14];
    position(&payload, &nested);
    for depth in [codec::MAX_LIST_NESTING + 1, 1000, 1_000_000] {
        let mut deep = [6u8, 1].repeat(depth);
        deep.extend_from_slice(&[2, 14]);
        let detail = corrupt_detail(&with_payload(&patch(&payload, &nested, 0, &deep)));
        assert!(detail.contains("nest"), "{detail}");
    }
    // As deep as saving allows still loads.
    let mut deep = [6u8, 1].repeat(codec::MAX_LIST_NESTING);
    deep.extend_from_slice(&[2, 14]);
    codec::decode(
        &with_payload(&patch(&payload, &nested, 0, &deep)),
        Path::new("ok"),
    )
    .unwrap();
    // The same through a schema type: LIST<LIST<...<INT>>>.
    let mut schema = Schema::open();
    schema.open = false;
    schema.labels.insert(
        "Deep".into(),
        LabelDef {
            description: String::new(),
            properties: BTreeMap::from([(
                "zztype".to_string(),
                PropDef {
                    ty: PropType::List(Box::new(PropType::Int)),
                    required: false,
                    description: String::new(),
                },
            )]),
        },
    );
    let payload = payload_of(&Graph::new(schema));
    let at = position(&payload, b"zztype") + 6;
    assert_eq!(payload[at..at + 2], [6, 2], "PropType layout changed");
    let mut p = payload[..at].to_vec();
    p.resize(p.len() + 1_000_000, 6);
    p.extend_from_slice(&payload[at + 1..]);
    assert!(corrupt_detail(&with_payload(&p)).contains("nested"));
    // One level too deep for saving is refused by the same check as values.
    let mut p = payload[..at].to_vec();
    p.extend_from_slice(&[6u8; codec::MAX_LIST_NESTING + 1]);
    p.extend_from_slice(&payload[at + 1..]);
    assert!(corrupt_detail(&with_payload(&p)).contains("nests lists"));
}

#[test]
fn inconsistent_graphs_are_corrupt() {
    let payload = payload_of(&marked_graph());
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "a document stored under another id",
            patch(&payload, b"docAA", 1, b"docBB"),
            "says its id",
        ),
        (
            "provenance naming a missing document",
            patch(&payload, b"docAA", usize::MAX, b"docZZ"),
            "not in the store",
        ),
        (
            "two nodes with one key",
            patch(&payload, b"zkey2", 0, b"zkey1"),
            "names both",
        ),
        (
            "unsorted labels",
            patch(&payload, b"\x03AAA", 0, b"\x03CCC"),
            "labels",
        ),
        (
            "repeated labels",
            patch(&payload, b"\x03BBB", 0, b"\x03AAA"),
            "labels",
        ),
        (
            // zzdate is 2025-11-30: year (zigzag 4050 as 251 + u16), Some(11), Some(30).
            "the 31st of November",
            patch(
                &payload,
                &[251, 0xd2, 0x0f, 1, 11, 1, 30],
                0,
                &[251, 0xd2, 0x0f, 1, 11, 1, 31],
            ),
            "impossible date",
        ),
        (
            "month 13",
            patch(
                &payload,
                &[251, 0xd2, 0x0f, 1, 11, 1, 30],
                0,
                &[251, 0xd2, 0x0f, 1, 13, 0],
            ),
            "impossible date",
        ),
        (
            "a day without a month",
            patch(
                &payload,
                &[251, 0xd2, 0x0f, 1, 11, 1, 30],
                0,
                &[251, 0xd2, 0x0f, 0, 1, 30],
            ),
            "impossible date",
        ),
        (
            // zzint: 5 is Int (2), zigzag 10.
            "a stored null",
            patch(&payload, b"zzint\x02\x0a", 0, b"zzint\x00"),
            "null",
        ),
    ];
    for (what, p, expected) in cases {
        let detail = corrupt_detail(&with_payload(&p));
        assert!(detail.contains(expected), "{what}: {detail}");
    }
}

#[test]
fn graphs_breaking_their_schema_are_corrupt() {
    let mut g = Graph::default();
    let person = g
        .add_node(
            vec!["Person".into()],
            props([
                ("name", Value::from("Zed Zedson")),
                ("description", Value::from("DESCX")),
            ]),
            vec![],
        )
        .unwrap();
    let role = g
        .add_node(
            vec!["Role".into()],
            props([("name", Value::from("Zed's role"))]),
            vec![],
        )
        .unwrap();
    g.add_edge(person, role, "HOLDS", BTreeMap::new(), vec![])
        .unwrap();
    let payload = payload_of(&g);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "an undeclared label",
            patch(&payload, b"\x06Person", usize::MAX, b"\x06Persom"),
        ),
        (
            "an undeclared property",
            patch(
                &payload,
                b"\x0bdescription\x04\x05DESCX",
                0,
                b"\x0bdescriptiox\x04\x05DESCX",
            ),
        ),
        (
            "a wrong property type (a string name made an integer)",
            patch(&payload, b"\x04\x0aZed Zedson", 0, b"\x02\x0a"),
        ),
        (
            "a relationship between labels its type does not allow",
            patch(&payload, b"\x05HOLDS", usize::MAX, b"\x05MEETS"),
        ),
        (
            "an undeclared relationship type",
            patch(&payload, b"\x05HOLDS", usize::MAX, b"\x05HOLDX"),
        ),
    ];
    for (what, p) in cases {
        let detail = corrupt_detail(&with_payload(&p));
        assert!(!detail.is_empty(), "{what}");
    }
}

// ---- (d) atomic saves ----

#[test]
fn saving_over_a_store_replaces_it_entirely() {
    let dir = tmp();
    let path = dir.path().join("store.fgs");
    let big = generate(&GenConfig {
        people: 300,
        seed: 5,
        edges_per_node: 3,
    });
    codec::save(&big, &path).unwrap();
    // A smaller graph over a bigger file: nothing of the old one may remain.
    let small = seed_graph();
    codec::save(&small, &path).unwrap();
    assert_eq!(fs::read(&path).unwrap(), codec::encode(&small).unwrap());
    assert!(codec::load(&path).unwrap().same_as(&small));
    assert_eq!(
        listing(dir.path()),
        BTreeSet::from(["store.fgs".to_string()])
    );
}

#[cfg(unix)]
#[test]
fn saving_keeps_the_permissions_of_the_replaced_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tmp();
    let path = dir.path().join("private.fgs");
    codec::save(&Graph::default(), &path).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
    codec::save(&seed_graph(), &path).unwrap();
    let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

#[test]
fn a_failed_save_creates_nothing_and_changes_nothing() {
    let dir = tmp();
    let g = seed_graph();

    // Into a directory that does not exist.
    let path = dir
        .path()
        .join("no such dir")
        .join("deeper")
        .join("store.fgs");
    match codec::save(&g, &path) {
        Err(e @ SnapshotError::Io { .. }) => {
            assert!(e.to_string().contains(&path.display().to_string()), "{e}")
        }
        other => panic!("expected an Io error, got {other:?}"),
    }
    assert!(!dir.path().join("no such dir").exists());
    assert_eq!(listing(dir.path()), BTreeSet::new());

    // Under a path whose parent is a file.
    let file = dir.path().join("plain file");
    fs::write(&file, b"keep me").unwrap();
    assert!(matches!(
        codec::save(&g, &file.join("store.fgs")),
        Err(SnapshotError::Io { .. })
    ));
    assert_eq!(fs::read(&file).unwrap(), b"keep me");

    // Over a directory: the temporary file is written, the rename fails, and
    // the temporary file must not stay behind.
    let sub = dir.path().join("store.fgs");
    fs::create_dir(&sub).unwrap();
    fs::write(sub.join("inside"), b"untouched").unwrap();
    match codec::save(&g, &sub) {
        Err(SnapshotError::Io { action, path, .. }) => {
            assert_eq!(action, "cannot replace");
            assert_eq!(path, sub);
        }
        other => panic!("expected an Io error, got {other:?}"),
    }
    assert_eq!(fs::read(sub.join("inside")).unwrap(), b"untouched");
    assert_eq!(
        listing(dir.path()),
        BTreeSet::from(["plain file".to_string(), "store.fgs".to_string()])
    );

    // Values a snapshot could not hold are refused when they are stored, so a
    // graph that was accepted can always be saved.
    let store = dir.path().join("kept.fgs");
    codec::save(&g, &store).unwrap();
    let mut deep = Graph::new(Schema::open());
    let too_deep = (0..=codec::MAX_LIST_NESTING).fold(Value::Int(1), |v, _| Value::List(vec![v]));
    assert!(matches!(
        deep.add_node(vec!["X".into()], props([("v", too_deep)]), vec![]),
        Err(factgraph::store::StoreError::TooDeep { .. })
    ));
    assert_eq!(
        listing(dir.path()),
        BTreeSet::from([
            "kept.fgs".to_string(),
            "plain file".to_string(),
            "store.fgs".to_string()
        ])
    );
}

#[test]
fn concurrent_saves_to_one_path_leave_one_whole_snapshot() {
    let dir = tmp();
    let path: PathBuf = dir.path().join("shared.fgs");
    let graphs: Vec<Graph> = (0..4)
        .map(|seed| {
            generate(&GenConfig {
                people: 200,
                seed,
                edges_per_node: 3,
            })
        })
        .collect();
    std::thread::scope(|s| {
        for g in &graphs {
            let path = &path;
            s.spawn(move || {
                for _ in 0..5 {
                    codec::save(g, path).unwrap();
                }
            });
        }
    });
    let back = codec::load(&path).unwrap();
    assert!(graphs.iter().any(|g| back.same_as(g)));
    assert_eq!(
        listing(dir.path()),
        BTreeSet::from(["shared.fgs".to_string()])
    );
}
