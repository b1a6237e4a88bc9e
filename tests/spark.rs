//! The Spark example (examples/spark/job.py) on Spark's local mode: the
//! corpus extracted through `rdd.pipe` and merged gives the single-process
//! store, and the 3-hop query over the CSV export in Spark DataFrames gives
//! factgraph's answer.
//!
//! Needs python3 with pyspark and Java 17. Without them the test says so and
//! passes, except under CI (`CI=true`), where `.ci/run` installs them and
//! their absence is a failure.

use std::path::Path;
use std::process::Command;

use factgraph::corpus::extract_corpus;
use factgraph::corpus::gen::{write_corpus, CorpusConfig};
use factgraph::extract::ExtractOptions;

/// Why Spark cannot run here, if it cannot.
fn spark_missing() -> Option<String> {
    let python = Command::new("python3")
        .args(["-c", "import pyspark"])
        .output();
    match python {
        Ok(o) if o.status.success() => {}
        Ok(o) => {
            return Some(format!(
                "python3 cannot import pyspark: {}",
                String::from_utf8_lossy(&o.stderr).trim()
            ))
        }
        Err(e) => return Some(format!("python3 does not run: {e}")),
    }
    match Command::new("java").arg("-version").output() {
        Ok(o) if o.status.success() => None,
        Ok(o) => Some(format!(
            "java -version failed: {}",
            String::from_utf8_lossy(&o.stderr).trim()
        )),
        Err(e) => Some(format!("java does not run: {e}")),
    }
}

fn job(args: &[&str], factgraph: &str) -> String {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/spark/job.py");
    let out = Command::new("python3")
        .arg(&script)
        .args(["--master", "local[2]", "--factgraph", factgraph])
        .args(args)
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "job.py {args:?} failed\nstdout:\n{stdout}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[test]
fn the_spark_job_gives_the_single_process_store_and_the_same_query_answer() {
    if let Some(why) = spark_missing() {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("Spark is needed under CI=true (.ci/run installs it): {why}");
        }
        println!("SKIPPED: the Spark example needs pyspark and Java 17: {why}");
        return;
    }
    let bin = env!("CARGO_BIN_EXE_factgraph");
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = dir.path().join("corpus.jsonl");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&corpus).expect("corpus file"));
    write_corpus(
        &CorpusConfig {
            articles: 2000,
            seed: 13,
        },
        &mut file,
        None,
    )
    .expect("corpus written");
    drop(file);
    let text = std::fs::read(&corpus).expect("corpus reads");
    let (reference, _, _) =
        extract_corpus(&mut text.as_slice(), &ExtractOptions::default(), &mut |b| {
            Err(std::io::Error::other(b.to_string()))
        })
        .expect("single-process extraction");

    let path = |name: &str| dir.path().join(name).display().to_string();
    let out = job(
        &[
            "extract",
            "--corpus",
            &path("corpus.jsonl"),
            "--facts",
            &path("facts"),
            "--db",
            &path("g.fg"),
        ],
        bin,
    );
    assert!(out.contains("extracted 2000 document line(s)"), "{out}");
    let parts = std::fs::read_dir(dir.path().join("facts"))
        .expect("part files")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("part-"))
        .count();
    assert!(
        parts >= 2,
        "local[2] should write at least 2 part files, not {parts}"
    );
    let merged = factgraph::store::codec::load(&dir.path().join("g.fg")).expect("store loads");
    assert!(
        merged.same_as(&reference),
        "the Spark store differs from the single-process store: {} vs {} nodes, {} vs {} relationships",
        merged.node_count(),
        reference.node_count(),
        merged.edge_count(),
        reference.edge_count()
    );

    let out = job(
        &["query", "--csv", &path("csv"), "--db", &path("g.fg")],
        bin,
    );
    assert!(out.contains("same answer as factgraph"), "{out}");
}
