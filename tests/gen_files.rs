//! `factgraph gen` writes files that `factgraph import` reads back into the
//! very graph the generator made: same nodes by key with the same labels,
//! properties and provenance, same relationships between the same keys, the
//! same documents. The benchmark suite relies on it to feed one file set to
//! factgraph, Kuzu and networkx.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use factgraph::gen::files::{write_files, FilesError, FilesFormat};
use factgraph::gen::{generate, GenConfig};
use factgraph::model::{Provenance, Value, KEY_PROPERTY};
use factgraph::store::{codec, Graph};

fn factgraph(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_factgraph"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run factgraph");
    assert!(
        out.status.success(),
        "factgraph {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

type NodeView = (Vec<String>, factgraph::model::Props, Vec<Provenance>);
type EdgeView = (
    String,
    String,
    String,
    factgraph::model::Props,
    Vec<Provenance>,
);

fn key(g: &Graph, id: factgraph::store::NodeId) -> String {
    match g.node(id).and_then(|n| n.props.get(KEY_PROPERTY)) {
        Some(Value::String(k)) => k.clone(),
        other => panic!("node {id} has key {other:?}"),
    }
}

/// Nodes by key and relationships as a sorted list: what must survive the files.
fn view(g: &Graph) -> (BTreeMap<String, NodeView>, Vec<EdgeView>) {
    let nodes = g
        .node_ids()
        .map(|id| {
            let n = g.node(id).expect("live node");
            (
                key(g, id),
                (n.labels.clone(), n.props.clone(), n.sources.clone()),
            )
        })
        .collect();
    let mut edges: Vec<EdgeView> = g
        .edge_ids()
        .map(|id| {
            let e = g.edge(id).expect("live edge");
            let (a, b) = g.endpoints(id).expect("endpoints");
            (
                e.rel_type.clone(),
                key(g, a),
                key(g, b),
                e.props.clone(),
                e.sources.clone(),
            )
        })
        .collect();
    edges.sort_by(|x, y| format!("{x:?}").cmp(&format!("{y:?}")));
    (nodes, edges)
}

#[test]
fn generated_csv_files_import_into_the_generated_graph() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("g");
    let printed = factgraph(
        dir.path(),
        &["gen", "--people", "400", "--seed", "11", "--out", "g"],
    );
    assert!(printed.contains("nodes"), "{printed}");
    let cfg = GenConfig {
        people: 400,
        seed: 11,
        edges_per_node: 5,
    };
    let expected = generate(&cfg);

    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("manifest.json")).expect("manifest"),
    )
    .expect("manifest is JSON");
    assert_eq!(manifest["nodes"], expected.node_count());
    assert_eq!(manifest["relationships"], expected.edge_count());
    assert_eq!(manifest["generator"]["people"], 400);
    for (label, count) in expected.label_counts() {
        assert_eq!(manifest["labels"][&label], count, ":{label}");
    }
    for (t, count) in expected.type_counts() {
        assert_eq!(manifest["types"][&t], count, "[:{t}]");
    }
    // Every listed file exists with a header naming the listed columns, and its row count.
    let files = manifest["node_files"]
        .as_array()
        .expect("node files")
        .iter()
        .chain(
            manifest["relationship_files"]
                .as_array()
                .expect("rel files"),
        );
    let mut listed_rows = 0;
    for f in files {
        let text = std::fs::read_to_string(out.join(f["file"].as_str().expect("file")))
            .expect("listed file exists");
        let mut lines = text.lines();
        let header = lines.next().expect("header");
        for c in f["columns"].as_array().expect("columns") {
            let cell = format!(
                "{}:{}",
                c["name"].as_str().unwrap(),
                c["type"].as_str().unwrap()
            );
            assert!(header.contains(&cell), "{header} lacks {cell}");
        }
        assert_eq!(lines.count() as u64, f["rows"].as_u64().unwrap(), "{f}");
        listed_rows += f["rows"].as_u64().unwrap();
    }
    assert_eq!(
        listed_rows as usize,
        expected.node_count() + expected.edge_count()
    );
    let multi_pair = manifest["relationship_files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["type"] == "TAKES")
        .count();
    assert!(
        multi_pair > 1,
        "TAKES links several labels, so several files"
    );

    let args: Vec<String> = serde_json::from_value(manifest["import_args"].clone()).unwrap();
    let mut import = vec!["import", "--db", "../g.fg"];
    import.extend(args.iter().map(String::as_str));
    factgraph(&out, &import);
    let imported = codec::load(&dir.path().join("g.fg")).expect("store loads");

    assert_eq!(imported.label_counts(), expected.label_counts());
    assert_eq!(imported.type_counts(), expected.type_counts());
    let (want_nodes, want_edges) = view(&expected);
    let (got_nodes, got_edges) = view(&imported);
    assert_eq!(got_nodes.len(), want_nodes.len());
    for (k, want) in &want_nodes {
        assert_eq!(got_nodes.get(k), Some(want), "node {k}");
    }
    assert_eq!(got_edges.len(), want_edges.len());
    for (got, want) in got_edges.iter().zip(&want_edges) {
        assert_eq!(got, want);
    }
    let docs = |g: &Graph| g.documents().cloned().collect::<Vec<_>>();
    assert_eq!(docs(&imported), docs(&expected));
}

#[test]
fn the_same_seed_writes_the_same_bytes_and_jsonl_imports_too() {
    let dir = tempfile::tempdir().expect("temp dir");
    let g = generate(&GenConfig {
        people: 120,
        seed: 3,
        edges_per_node: 4,
    });
    let a = write_files(&g, &dir.path().join("a"), FilesFormat::Csv, None).expect("write a");
    write_files(&g, &dir.path().join("b"), FilesFormat::Csv, None).expect("write b");
    for f in a
        .node_files
        .iter()
        .map(|f| &f.file)
        .chain(a.relationship_files.iter().map(|f| &f.file))
    {
        let read = |d: &str| std::fs::read(dir.path().join(d).join(f)).expect("read");
        assert_eq!(read("a"), read("b"), "{f} differs between runs");
    }

    let m = write_files(&g, &dir.path().join("j"), FilesFormat::Jsonl, None).expect("jsonl");
    let mut import = vec!["import".to_string(), "--db".into(), "../j.fg".into()];
    import.extend(m.import_args.iter().cloned());
    let import: Vec<&str> = import.iter().map(String::as_str).collect();
    factgraph(&dir.path().join("j"), &import);
    let back = codec::load(&dir.path().join("j.fg")).expect("store loads");
    assert_eq!(back.label_counts(), g.label_counts());
    assert_eq!(back.type_counts(), g.type_counts());
}

#[test]
fn a_node_with_two_labels_is_refused_by_name() {
    let mut g = generate(&GenConfig {
        people: 10,
        seed: 1,
        edges_per_node: 2,
    });
    let someone = g.nodes_with_label("Person").next().expect("a person");
    let name = key(&g, someone);
    g.add_label(someone, "Group").expect("add a label");
    let dir = tempfile::tempdir().expect("temp dir");
    match write_files(&g, dir.path(), FilesFormat::Csv, None) {
        Err(FilesError::Labels { key, labels }) => {
            assert_eq!(key, name);
            assert_eq!(labels, ["Group", "Person"]);
        }
        other => panic!("expected a labels error, got {other:?}"),
    }
}
