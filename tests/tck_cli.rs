//! A sample of the openCypher TCK through the binary, the way an outside
//! tool would run it: `factgraph init --schema open`, the scenario's setup
//! with `factgraph run`, its query with `factgraph query --format json`.
//! Each answer must be the one the in-process engine gives (which
//! `tests/tck.rs` checks against the suite's expected results), so what the
//! command line adds (store files, scripts, JSON output) is checked on
//! every clause family.
//!
//! The sample: in every `clauses/*` family (but CALL, whose scenarios declare
//! test procedures) and a few expression families,
//! the first scenarios (in file order) that need only an empty graph,
//! setup queries, one query and its result table, and that `tests/tck/skip.txt`
//! does not list. The suite is found as `tests/tck.rs` finds it; without it
//! the test passes, except under `CI=true`.

// Shared with tests/tck.rs, which reads fields this sample does not.
#[allow(dead_code)]
#[path = "tck/gherkin.rs"]
mod gherkin;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use factgraph::model::Schema;
use factgraph::query::{self, Params};
use factgraph::render::{self, Format};
use factgraph::store::Graph;

use gherkin::Scenario;

const MANIFEST: &str = env!("CARGO_MANIFEST_DIR");
const BIN: &str = env!("CARGO_BIN_EXE_factgraph");
/// Scenarios taken from each family.
const PER_FAMILY: usize = 3;
const EXPRESSION_FAMILIES: &[&str] = &[
    "expressions/aggregation",
    "expressions/list",
    "expressions/map",
    "expressions/string",
    "expressions/null",
    "expressions/comparison",
    "expressions/pattern",
    "expressions/path",
];

fn tck_dir() -> PathBuf {
    match std::env::var_os("FACTGRAPH_TCK") {
        Some(d) => PathBuf::from(d),
        None => Path::new(MANIFEST).join("../shared/tck"),
    }
}

fn feature_files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    out.retain(|p| p.extension().is_some_and(|e| e == "feature"));
    out.sort();
    out
}

/// The setup queries and the query of a scenario this test can run, or `None`.
fn runnable(s: &Scenario) -> Option<(Vec<String>, String)> {
    let mut setup = Vec::new();
    let mut query = None;
    let mut has_result = false;
    for step in &s.steps {
        let t = step.text.as_str();
        match t {
            "an empty graph" | "any graph" | "no side effects" => {}
            "having executed:" if query.is_none() => setup.push(step.doc.clone()?),
            "executing query:" if query.is_none() => query = Some(step.doc.clone()?),
            _ if t.starts_with("the result should be") => has_result = true,
            _ if t.starts_with("the side effects should be") => {}
            _ => return None,
        }
    }
    let query = query?;
    (has_result && !query.contains('$')).then_some((setup, query))
}

fn factgraph(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

/// The in-process answer, as `query --format json` prints it.
fn in_process(setup: &[String], q: &str) -> Result<serde_json::Value, String> {
    let mut g = Graph::new(Schema::open());
    for s in setup {
        query::run(&mut g, s, &Params::new()).map_err(|e| format!("setup: {e}"))?;
    }
    let r = query::run(&mut g, q, &Params::new()).map_err(|e| e.to_string())?;
    serde_json::from_str(&render::render(&r, &g, Format::Json)).map_err(|e| e.to_string())
}

fn through_the_binary(dir: &Path, setup: &[String], q: &str) -> Result<serde_json::Value, String> {
    let init = factgraph(dir, &["init", "--db", "g.fg", "--schema", "open"]);
    if !init.status.success() {
        return Err(String::from_utf8_lossy(&init.stderr).into_owned());
    }
    for (i, s) in setup.iter().enumerate() {
        let file = format!("setup{i}.cypher");
        std::fs::write(dir.join(&file), format!("{s}\n;\n")).map_err(|e| e.to_string())?;
        let run = factgraph(dir, &["run", &file, "--db", "g.fg"]);
        if !run.status.success() {
            return Err(format!("run: {}", String::from_utf8_lossy(&run.stderr)));
        }
    }
    let out = factgraph(dir, &["query", q, "--db", "g.fg", "--format", "json"]);
    if !out.status.success() {
        return Err(format!("query: {}", String::from_utf8_lossy(&out.stderr)));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| e.to_string())
}

#[test]
fn a_sample_of_the_tck_through_the_binary_matches_the_engine() {
    let tck = tck_dir();
    let features = tck.join("features");
    if !features.is_dir() {
        assert!(
            std::env::var("CI").is_err(),
            "TCK not found at {} (CI=true requires it)",
            tck.display()
        );
        eprintln!("TCK not found at {}: skipped", tck.display());
        return;
    }
    let skipped: BTreeSet<String> =
        std::fs::read_to_string(Path::new(MANIFEST).join("tests/tck/skip.txt"))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.split(':').next().map(str::to_string))
            .collect();
    let mut families: Vec<String> = std::fs::read_dir(features.join("clauses"))
        .expect("clauses/")
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| format!("clauses/{}", e.file_name().to_string_lossy()))
        .collect();
    families.sort();
    families.extend(EXPRESSION_FAMILIES.iter().map(|f| f.to_string()));
    let mut checked = 0;
    let mut failures = Vec::new();
    for family in &families {
        let mut taken = 0;
        for file in feature_files(&features.join(family)) {
            let rel = file
                .strip_prefix(&features)
                .unwrap_or(&file)
                .display()
                .to_string();
            if skipped.contains(&rel) {
                continue;
            }
            let text = std::fs::read_to_string(&file).expect("feature file");
            let scenarios = gherkin::parse(&text).expect("feature parses");
            for s in scenarios.iter() {
                if taken == PER_FAMILY {
                    break;
                }
                let Some((setup, q)) = runnable(s) else {
                    continue;
                };
                let Ok(expected) = in_process(&setup, &q) else {
                    continue;
                };
                taken += 1;
                checked += 1;
                let dir = tempfile::tempdir().expect("temp dir");
                match through_the_binary(dir.path(), &setup, &q) {
                    Ok(got) if got == expected => {}
                    Ok(got) => failures.push(format!(
                        "{rel}: {}\n{q}\nbinary: {got}\nengine: {expected}",
                        s.id()
                    )),
                    Err(e) => failures.push(format!("{rel}: {}\n{q}\n{e}", s.id())),
                }
            }
        }
        // CALL's scenarios declare test procedures, which only the in-process harness can.
        assert!(
            taken > 0 || family == "clauses/call",
            "{family}: no runnable scenario in the sample"
        );
    }
    eprintln!(
        "{checked} TCK scenarios through the binary, {} families",
        families.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {checked} scenarios differ through the binary:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    assert!(checked >= 2 * families.len(), "{checked} scenarios");
}
