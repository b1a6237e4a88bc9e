//! Times queries and snapshot save/load on one store, inside one process, so
//! that process start and store loading are not counted in query times.
//! `bench/compare.py` runs it and compares the numbers with Kuzu and networkx.
//!
//! ```text
//! cargo run --release --example bench_queries -- --db g.fg --queries q.json [--runs 7] [--snapshot-runs 3]
//! ```
//!
//! `q.json` is a JSON array of `{"name": "...", "cypher": "..."}`. Prints one
//! JSON object on standard output: the store's load time, snapshot encode,
//! decode and save times and size, and per query the wall times of every
//! timed run (after one untimed warm-up run) and the rows of the last run
//! (numbers as numbers, text as text, anything else as its rendering).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use factgraph::query::{self, Params, Val};
use factgraph::store::{codec, Graph};
use serde_json::{json, Value as Json};

struct Options {
    db: PathBuf,
    queries: PathBuf,
    runs: usize,
    snapshot_runs: usize,
}

fn parse_args() -> Result<Options, String> {
    let mut db = None;
    let mut queries = None;
    let mut runs = 7;
    let mut snapshot_runs = 3;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--db" => db = Some(PathBuf::from(value()?)),
            "--queries" => queries = Some(PathBuf::from(value()?)),
            "--runs" => runs = value()?.parse().map_err(|e| format!("--runs: {e}"))?,
            "--snapshot-runs" => {
                snapshot_runs = value()?
                    .parse()
                    .map_err(|e| format!("--snapshot-runs: {e}"))?
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(Options {
        db: db.ok_or("--db is required")?,
        queries: queries.ok_or("--queries is required")?,
        runs: runs.max(1),
        snapshot_runs,
    })
}

fn cell(v: &Val, g: &Graph) -> Json {
    match v {
        Val::Null => Json::Null,
        Val::Bool(b) => json!(b),
        Val::Int(i) => json!(i),
        Val::Float(x) => json!(x),
        Val::Str(s) => json!(s),
        Val::List(items) => Json::Array(items.iter().map(|i| cell(i, g)).collect()),
        other => json!(other.render(g)),
    }
}

fn seconds(times: &[Duration]) -> Vec<f64> {
    times.iter().map(Duration::as_secs_f64).collect()
}

/// Runs `f` `n` times and returns each wall time.
fn timed<T>(n: usize, mut f: impl FnMut() -> Result<T, String>) -> Result<Vec<Duration>, String> {
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let start = Instant::now();
        let result = f()?;
        out.push(start.elapsed());
        drop(result);
    }
    Ok(out)
}

fn run(o: &Options) -> Result<Json, String> {
    let text = std::fs::read_to_string(&o.queries)
        .map_err(|e| format!("cannot read {}: {e}", o.queries.display()))?;
    let queries: Vec<Json> =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", o.queries.display()))?;

    let start = Instant::now();
    let mut graph = codec::load(&o.db).map_err(|e| e.to_string())?;
    let load = start.elapsed();

    let mut snapshot = json!({ "file_bytes": std::fs::metadata(&o.db).map(|m| m.len()).ok() });
    if o.snapshot_runs > 0 {
        let encode = timed(o.snapshot_runs, || {
            codec::encode(&graph).map_err(|e| e.to_string())
        })?;
        let bytes = codec::encode(&graph).map_err(|e| e.to_string())?;
        let decode = timed(o.snapshot_runs, || {
            codec::decode(&bytes, &o.db).map_err(|e| e.to_string())
        })?;
        let copy = std::env::temp_dir().join(format!("bench_queries_{}.fg", std::process::id()));
        let save = timed(o.snapshot_runs, || {
            codec::save(&graph, &copy).map_err(|e| e.to_string())
        })?;
        let load_file = timed(o.snapshot_runs, || {
            codec::load(&copy).map_err(|e| e.to_string())
        })?;
        let _ = std::fs::remove_file(&copy);
        snapshot["encoded_bytes"] = json!(bytes.len());
        snapshot["encode_s"] = json!(seconds(&encode));
        snapshot["decode_s"] = json!(seconds(&decode));
        snapshot["save_s"] = json!(seconds(&save));
        snapshot["load_s"] = json!(seconds(&load_file));
    }

    let params = Params::new();
    let mut results = Vec::new();
    for q in &queries {
        let name = q["name"].as_str().unwrap_or("?").to_string();
        let cypher = q["cypher"]
            .as_str()
            .ok_or(format!("query {name} has no cypher text"))?;
        let mut last = None;
        let mut once = |g: &mut Graph| -> Result<(), String> {
            let r = query::run(g, cypher, &params).map_err(|e| format!("{name}: {e}"))?;
            last = Some(r);
            Ok(())
        };
        once(&mut graph)?;
        let times = timed(o.runs, || once(&mut graph))?;
        let r = last.ok_or("no result")?;
        let rows: Vec<Json> = r
            .rows
            .iter()
            .map(|row| Json::Array(row.iter().map(|v| cell(v, &graph)).collect()))
            .collect();
        results.push(json!({
            "name": name,
            "times_s": seconds(&times),
            "rows": rows,
            "nodes_scanned": r.nodes_scanned,
            "index_lookups": r.index_lookups,
            "rels_expanded": r.rels_expanded,
        }));
    }
    Ok(json!({
        "db": o.db.display().to_string(),
        "nodes": graph.node_count(),
        "relationships": graph.edge_count(),
        "store_load_s": load.as_secs_f64(),
        "snapshot": snapshot,
        "queries": results,
    }))
}

fn main() -> ExitCode {
    let result = parse_args().and_then(|o| run(&o));
    match result {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("bench_queries: {e}");
            ExitCode::from(1)
        }
    }
}
