//! Criterion micro-benchmarks of the engine's hot paths, for changes too
//! small to show in the end-to-end comparison (`bench/run.sh`):
//!
//! - query parse + check + plan (EXPLAIN, so no row is read);
//! - a 2-hop pattern with a filter on a generated 10k-node graph;
//! - snapshot encode and decode of that graph;
//! - rebuilding the seed graph from its facts file against decoding its
//!   snapshot (the "snapshot load >= 5x faster than rebuild").
//!
//! Run with `cargo bench --bench engine` (add `-- <filter>` for one group).

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use factgraph::gen::{generate, GenConfig};
use factgraph::query::{self, Params};
use factgraph::store::{codec, Graph};

const TWO_HOP: &str = "MATCH (p:Person)-[:TAKES]->(pos:Position)-[:ON]->(pr:Proposal) \
                       WHERE pos.stance = 'opposes' RETURN count(*)";

fn graph_10k() -> Graph {
    generate(&GenConfig::with_nodes(10_000, 0x5eed))
}

fn seed() -> Graph {
    factgraph::seed::graph().unwrap_or_else(|e| panic!("the seed graph does not load: {e}"))
}

fn queries(c: &mut Criterion) {
    let mut g = graph_10k();
    let params = Params::new();
    let explain = format!("EXPLAIN {TWO_HOP}");
    c.bench_function("query/parse", |b| {
        b.iter(|| query::parse(black_box(TWO_HOP)).map(|_| ()))
    });
    c.bench_function("query/parse+check+plan (EXPLAIN)", |b| {
        b.iter(|| query::run(&mut g, black_box(&explain), &params).map(|r| r.plan))
    });
    c.bench_function("query/2-hop scan + filter, 10k nodes", |b| {
        b.iter(|| query::run(&mut g, black_box(TWO_HOP), &params).map(|r| r.rows.len()))
    });
    c.bench_function("query/point lookup by name, 10k nodes", |b| {
        b.iter(|| {
            query::run(
                &mut g,
                black_box("MATCH (p:Person {name: 'Anna Horvat'}) RETURN p.key"),
                &params,
            )
            .map(|r| r.rows.len())
        })
    });
}

/// Counting from the label index against the same count through rows (a
/// `WHERE true` keeps the general path), in the same run.
fn counting(c: &mut Criterion) {
    let mut g = graph_10k();
    let params = Params::new();
    for (name, q) in [
        (
            "count/label index: MATCH (n:Person) RETURN count(n)",
            "MATCH (n:Person) RETURN count(n)",
        ),
        (
            "count/through rows: MATCH (n:Person) WHERE true RETURN count(n)",
            "MATCH (n:Person) WHERE true RETURN count(n)",
        ),
        (
            "count/label groups: MATCH (n) RETURN labels(n), count(*)",
            "MATCH (n) RETURN labels(n), count(*)",
        ),
        (
            "count/label groups through rows (WHERE true)",
            "MATCH (n) WHERE true RETURN labels(n), count(*)",
        ),
    ] {
        c.bench_function(name, |b| {
            b.iter(|| query::run(&mut g, black_box(q), &params).map(|r| r.rows.len()))
        });
    }
}

fn snapshots(c: &mut Criterion) {
    let g = graph_10k();
    let bytes = codec::encode(&g).unwrap_or_else(|e| panic!("encode: {e}"));
    let origin = Path::new("bench-10k.fg");
    c.bench_function("snapshot/encode 10k nodes", |b| {
        b.iter(|| codec::encode(black_box(&g)).map(|v| v.len()))
    });
    c.bench_function("snapshot/decode 10k nodes", |b| {
        b.iter(|| codec::decode(black_box(&bytes), origin).map(|g| g.node_count()))
    });
}

fn seed_rebuild(c: &mut Criterion) {
    let bytes = codec::encode(&seed()).unwrap_or_else(|e| panic!("encode: {e}"));
    let origin = Path::new("seed.fg");
    c.bench_function("seed/rebuild from the facts file", |b| {
        b.iter_batched(|| (), |_| seed().node_count(), BatchSize::SmallInput)
    });
    c.bench_function("seed/decode its snapshot", |b| {
        b.iter(|| codec::decode(black_box(&bytes), origin).map(|g| g.node_count()))
    });
}

criterion_group!(benches, queries, counting, snapshots, seed_rebuild);
criterion_main!(benches);
