//! Shard independence: a corpus extracted in one process and the same
//! corpus split into shards, extracted separately in reverse order and
//! merged, give the same store, element for element.

use std::io;

use factgraph::corpus::extract_corpus;
use factgraph::corpus::gen::{generate, CorpusConfig};
use factgraph::extract::jsonl::{document_facts, extract_stream, parse_document_line, BadLine};
use factgraph::extract::ExtractOptions;
use factgraph::import::merge::Merger;
use factgraph::model::Value;
use factgraph::store::Graph;

fn corpus_lines(articles: usize, seed: u64) -> Vec<String> {
    generate(&CorpusConfig { articles, seed })
        .map(|a| a.document.to_line())
        .collect()
}

fn extract_lines(lines: &[String]) -> (Vec<u8>, Vec<BadLine>) {
    let input = lines.join("\n");
    let mut out = Vec::new();
    let mut bad = Vec::new();
    extract_stream(
        &mut input.as_bytes(),
        &mut out,
        &ExtractOptions::default(),
        &mut |b| {
            bad.push(b.clone());
            Ok(())
        },
    )
    .expect("extraction into memory");
    (out, bad)
}

fn single_process(lines: &[String]) -> Graph {
    let input = lines.join("\n");
    let (graph, summary, _) = extract_corpus(
        &mut input.as_bytes(),
        &ExtractOptions::default(),
        &mut |b| Err(io::Error::other(b.to_string())),
    )
    .expect("single-process extraction");
    assert_eq!(summary.documents as usize, lines.len());
    graph
}

fn person_named<'g>(g: &'g Graph, name: &str) -> Vec<&'g factgraph::store::Node> {
    g.nodes_with_label("Person")
        .filter_map(|id| g.node(id))
        .filter(|n| n.props.get("name").and_then(Value::as_str) == Some(name))
        .collect()
}

#[test]
fn four_shards_in_reverse_order_merge_into_the_single_process_store() {
    let lines = corpus_lines(2000, 7);
    let reference = single_process(&lines);

    // Four shards, each processed on its own with its documents reversed,
    // the shards themselves taken last to first.
    let shards: Vec<Vec<String>> = lines.chunks(500).map(|c| c.to_vec()).collect();
    let mut outputs = Vec::new();
    for shard in shards.iter().rev() {
        let reversed: Vec<String> = shard.iter().rev().cloned().collect();
        let (facts, bad) = extract_lines(&reversed);
        assert!(bad.is_empty(), "{bad:?}");
        outputs.push(facts);
    }
    let mut merger = Merger::new();
    for (i, facts) in outputs.iter().enumerate() {
        merger
            .read(&format!("shard {i}"), &mut facts.as_slice())
            .expect("shard reads");
    }
    let (merged, summary) = merger.finish().expect("merge");
    assert_eq!(summary.documents, 2000);
    assert!(
        merged.same_as(&reference),
        "the merged store differs from the single-process store: {} vs {} nodes, {} vs {} relationships",
        merged.node_count(),
        reference.node_count(),
        merged.edge_count(),
        reference.edge_count()
    );
    // The merge did merge: far fewer people than person lines, and people
    // named in several shards are one node with every mention.
    assert!(summary.node_lines > 3 * merged.node_count(), "{summary}");
    let mut spanning = 0;
    for id in merged.nodes_with_label("Person") {
        let node = merged.node(id).expect("node");
        let docs: std::collections::BTreeSet<&str> =
            node.sources.iter().map(|p| &*p.document).collect();
        let first = docs.iter().next().copied().unwrap_or_default();
        let last = docs.iter().next_back().copied().unwrap_or_default();
        // Documents art_000001..art_000500 are shard 0, and so on.
        if first < "art_000501" && last > "art_001500" {
            spanning += 1;
        }
    }
    assert!(
        spanning >= 20,
        "only {spanning} people span the first and last shard"
    );
}

#[test]
fn a_document_gives_the_same_bytes_alone_or_among_others() {
    let lines = corpus_lines(60, 11);
    let (together, _) = extract_lines(&lines);
    let mut alone = Vec::new();
    for line in lines.iter().rev() {
        let doc = parse_document_line(line).expect("generated line parses");
        alone.push(document_facts(&doc, &ExtractOptions::default()).expect("extracts"));
    }
    alone.reverse();
    assert_eq!(String::from_utf8(together).expect("utf-8"), alone.concat());
}

#[test]
fn bad_lines_are_reported_with_line_and_id_and_nothing_else_is_lost() {
    let lines = corpus_lines(40, 3);
    let mut with_bad = lines.clone();
    // Inserted from the back so the line numbers below hold.
    with_bad.insert(30, r#"{"id": "art_bad_types", "text": 42}"#.into());
    with_bad.insert(
        20,
        // A control character in an id (here a tab) is refused; dashes are not.
        r#"{"id": "has\ttab", "text": "Norway backed the plan."}"#.into(),
    );
    with_bad.insert(10, r#"{"id": "art_no_text"}"#.into());
    with_bad.insert(5, r#"{"id": "art_trunc", "text": "Norway backed"#.into());
    with_bad.insert(2, r#"{"id": "art_empty", "text": "   "}"#.into());
    let (facts, bad) = extract_lines(&with_bad);
    let got: Vec<(u64, Option<&str>)> = bad
        .iter()
        .map(|b| (b.line, b.document.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![
            (3, Some("art_empty")),
            (7, None),
            (13, Some("art_no_text")),
            (24, Some("has\ttab")),
            (35, Some("art_bad_types")),
        ],
        "{bad:#?}"
    );
    assert!(bad[1].error.contains("invalid JSON"), "{}", bad[1].error);
    assert!(
        bad[2].error.contains("missing \"text\""),
        "{}",
        bad[2].error
    );
    assert!(
        bad[4].error.contains("\"text\" must be a string"),
        "{}",
        bad[4].error
    );
    // The good documents give exactly what they give without the bad lines.
    let (clean, none) = extract_lines(&lines);
    assert!(none.is_empty());
    assert!(facts == clean, "the good documents' facts changed");
    let mut merger = Merger::new();
    merger.read("facts", &mut facts.as_slice()).expect("reads");
    let (graph, _) = merger.finish().expect("merge");
    assert!(graph.same_as(&single_process(&lines)));
}

fn facts_of(id: &str, text: &str) -> String {
    let doc = parse_document_line(
        &serde_json::json!({"id": id, "text": text, "date": "2025-11-25"}).to_string(),
    )
    .expect("line");
    document_facts(&doc, &ExtractOptions::default()).expect("extracts")
}

fn merge(parts: &[&str]) -> Graph {
    let mut merger = Merger::new();
    for (i, p) in parts.iter().enumerate() {
        merger
            .read(&format!("part {i}"), &mut p.as_bytes())
            .expect("reads");
    }
    merger.finish().expect("merge").0
}

#[test]
fn a_surname_in_one_shard_resolves_to_the_full_name_in_another() {
    let full = facts_of(
        "full",
        "Secretary of State Marco Rubio met with Russian President Vladimir Putin in Moscow on Tuesday.",
    );
    let surname = facts_of(
        "surname",
        "Ukrainian President Volodymyr Zelensky met with Rubio in Kyiv on Wednesday.",
    );
    assert!(surname.contains("\"name\":\"Rubio\""), "{surname}");
    for order in [[&full, &surname], [&surname, &full]] {
        let g = merge(&[order[0].as_str(), order[1].as_str()]);
        let rubio = person_named(&g, "Marco Rubio");
        assert_eq!(rubio.len(), 1);
        let docs: Vec<&str> = rubio[0].sources.iter().map(|p| &*p.document).collect();
        assert!(
            docs.contains(&"full") && docs.contains(&"surname"),
            "{docs:?}"
        );
        assert!(person_named(&g, "Rubio").is_empty());
    }
    // With two full-named Rubios, a lone "Rubio" could be either: it stays apart.
    let other = facts_of(
        "other",
        "Senator Ana Rubio met with Kenyan President Samuel Tordeski in Nairobi.",
    );
    let g = merge(&[&full, &surname, &other]);
    assert_eq!(person_named(&g, "Rubio").len(), 1);
    assert_eq!(person_named(&g, "Marco Rubio").len(), 1);
    assert_eq!(person_named(&g, "Ana Rubio").len(), 1);
}

#[test]
fn a_document_given_twice_counts_once_and_another_text_under_its_id_is_refused() {
    let a = facts_of(
        "twice",
        "Norwegian Foreign Minister Ida Velmar backed the Lisbon Accord.",
    );
    let b = facts_of(
        "other",
        "Kenyan President Samuel Tordeski rejected the Lisbon Accord.",
    );
    let once = merge(&[&a, &b]);
    let twice = merge(&[&a, &b, &a]);
    assert!(once.same_as(&twice));
    let changed = facts_of(
        "twice",
        "Kenyan President Samuel Tordeski backed the Lisbon Accord.",
    );
    let mut merger = Merger::new();
    merger.read("a", &mut a.as_bytes()).expect("reads");
    let err = merger
        .read("changed", &mut changed.as_bytes())
        .expect_err("another text under the same id");
    assert!(err.to_string().starts_with("changed:1:"), "{err}");
    assert!(err.to_string().contains("another text"), "{err}");
}

#[test]
fn the_command_line_reports_bad_lines_exits_1_and_merges_from_stdin() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let bin = env!("CARGO_BIN_EXE_factgraph");
    let dir = tempfile::tempdir().expect("temp dir");
    let mut lines = corpus_lines(12, 5);
    lines.insert(4, r#"{"id": "art_x", "text": null}"#.into());
    let errors = dir.path().join("errors.jsonl");
    let mut child = Command::new(bin)
        .args(["extract", "--jsonl", "--errors"])
        .arg(&errors)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = lines.join("\n");
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("finishes");
    writer.join().expect("writer").expect("written");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("line 5: document \"art_x\": \"text\" must be a string"),
        "{stderr}"
    );
    assert!(stderr.contains("extracted 12 document(s)"), "{stderr}");
    let recorded = std::fs::read_to_string(&errors).expect("errors file");
    let record: serde_json::Value = serde_json::from_str(recorded.trim()).expect("one JSON line");
    assert_eq!(record["line"], 5);
    assert_eq!(record["document"], "art_x");

    let db = dir.path().join("g.fg");
    let mut child = Command::new(bin)
        .args(["import", "--merge", "--db"])
        .arg(&db)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let facts = out.stdout.clone();
    let writer = std::thread::spawn(move || stdin.write_all(&facts));
    let merged = child.wait_with_output().expect("finishes");
    writer.join().expect("writer").expect("written");
    assert!(merged.status.success(), "{merged:?}");
    let stored = factgraph::store::codec::load(&db).expect("store loads");
    lines.remove(4);
    assert!(stored.same_as(&single_process(&lines)));
}
