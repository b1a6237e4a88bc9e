//! Times `factgraph::import` on a generated graph.
//!
//! ```text
//! cargo run --release --example import_bench -- [NODES] [csv|jsonl|both] [gz]
//! ```
//!
//! Generates a graph of about NODES nodes (default 100000) and five
//! relationships per node with [`factgraph::gen`], exports it as
//! neo4j-admin CSV (plus the documents as JSON lines) and/or as JSON lines
//! into a temporary folder (gzipped with `gz`), then imports it into a new
//! store and prints the time of each step, the input sizes and rows per second.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use factgraph::export::{self, Subgraph};
use factgraph::gen::{generate, GenConfig};
use factgraph::import::{self, ImportOptions, InputGroup, Progress};

fn size(files: &[&Path]) -> f64 {
    files
        .iter()
        .map(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0))
        .sum::<u64>() as f64
        / 1e6
}

fn gzip(path: &Path) -> PathBuf {
    let out = PathBuf::from(format!("{}.gz", path.display()));
    let mut enc = flate2::write::GzEncoder::new(
        std::fs::File::create(&out).expect("create"),
        flate2::Compression::fast(),
    );
    enc.write_all(&std::fs::read(path).expect("read"))
        .expect("compress");
    enc.finish().expect("finish");
    out
}

fn run(name: &str, opts: &ImportOptions, inputs: &[&Path]) {
    let t = Instant::now();
    let mut phases: Vec<(String, f64, u64)> = Vec::new();
    let summary = import::import(opts, &mut |p: &Progress| {
        let name = p.phase.to_string();
        match phases.last_mut() {
            Some(last) if last.0 == name => {
                last.1 = p.phase_elapsed.as_secs_f64();
                last.2 = p.rows;
            }
            _ => phases.push((name, p.phase_elapsed.as_secs_f64(), p.rows)),
        }
    })
    .unwrap_or_else(|e| panic!("{name} import failed: {e}"));
    let secs = t.elapsed().as_secs_f64();
    let rows = summary.nodes + summary.relationships;
    println!(
        "{name}: imported {} nodes + {} relationships from {:.1} MB in {secs:.2} s \
         ({:.0} rows/s overall; store {:.1} MB)",
        summary.nodes,
        summary.relationships,
        size(inputs),
        rows as f64 / secs,
        size(&[&opts.db]),
    );
    let mut at = 0.0;
    for (phase, secs, rows) in &phases {
        if phase == "saving" {
            println!(
                "  saving: {:.2} s",
                t.elapsed().as_secs_f64() - summary.elapsed.as_secs_f64()
                    + (summary.elapsed.as_secs_f64() - at)
            );
        } else {
            println!(
                "  {phase}: {rows} rows in {secs:.2} s ({:.0} rows/s)",
                *rows as f64 / secs.max(1e-9)
            );
            at += secs;
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let nodes: usize = args
        .first()
        .and_then(|a| a.replace('_', "").parse().ok())
        .unwrap_or(100_000);
    let which = args.get(1).map(String::as_str).unwrap_or("both");
    let gz = args.iter().any(|a| a == "gz");

    let t = Instant::now();
    let g = generate(&GenConfig::with_nodes(nodes, 1));
    println!(
        "generated {} nodes, {} relationships in {:.2} s",
        g.node_count(),
        g.edge_count(),
        t.elapsed().as_secs_f64()
    );
    // The floor: the same elements inserted through the Graph API alone.
    let t = Instant::now();
    let mut copy = factgraph::store::Graph::new(g.schema().clone());
    for d in g.documents() {
        copy.add_document(d.clone());
    }
    let mut ids = std::collections::HashMap::new();
    for id in g.node_ids() {
        let n = g.node(id).expect("node");
        let new = copy
            .add_node(n.labels.clone(), n.props.clone(), n.sources.clone())
            .expect("add_node");
        ids.insert(id, new);
    }
    let nodes_secs = t.elapsed().as_secs_f64();
    for id in g.edge_ids() {
        let e = g.edge(id).expect("edge");
        let (a, b) = g.endpoints(id).expect("endpoints");
        copy.add_edge(
            ids[&a],
            ids[&b],
            &e.rel_type,
            e.props.clone(),
            e.sources.clone(),
        )
        .expect("add_edge");
    }
    println!(
        "Graph API alone (add_node, add_edge of the same elements): nodes {nodes_secs:.2} s, \
         relationships {:.2} s",
        t.elapsed().as_secs_f64() - nodes_secs
    );
    drop(copy);
    let dir = tempfile::tempdir().expect("temporary directory");
    let sub = Subgraph::whole(&g);

    if which == "csv" || which == "both" {
        let t = Instant::now();
        let files = export::write_csv_files(&g, &sub, &dir.path().join("csv/")).expect("export");
        let docs = dir.path().join("csv/documents.jsonl");
        let mut out = Vec::new();
        import::write_documents_jsonl(&g, &sub, &mut out).expect("documents");
        std::fs::write(&docs, out).expect("write");
        let (mut n, mut r) = (files[0].clone(), files[1].clone());
        if gz {
            n = gzip(&n);
            r = gzip(&r);
        }
        println!("exported CSV in {:.2} s", t.elapsed().as_secs_f64());
        let mut o = ImportOptions::new(dir.path().join("csv.fg"));
        o.nodes.push(InputGroup::new([docs.clone()]));
        o.nodes.push(InputGroup::new([n.clone()]));
        o.relationships.push(InputGroup::new([r.clone()]));
        run("CSV", &o, &[&docs, &n, &r]);
    }
    if which == "jsonl" || which == "both" {
        let t = Instant::now();
        let mut out = Vec::new();
        import::write_jsonl(&g, &sub, &mut out).expect("export");
        let mut file = dir.path().join("graph.jsonl");
        std::fs::write(&file, out).expect("write");
        if gz {
            file = gzip(&file);
        }
        println!("exported JSON lines in {:.2} s", t.elapsed().as_secs_f64());
        let mut o = ImportOptions::new(dir.path().join("jsonl.fg"));
        o.nodes.push(InputGroup::new([file.clone()]));
        run("JSON lines", &o, &[&file]);
    }
}
