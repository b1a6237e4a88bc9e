//! The openCypher TCK (Technology Compatibility Kit), run in process.
//!
//! The suite is read from `$FACTGRAPH_TCK` or from `../shared/tck` next to
//! the crate (it is not copied into the project). When it is missing the
//! test says "TCK not found" and passes, except under `CI=true`, where a
//! missing suite is a failure, so that it is never counted as a pass.
//!
//! Every scenario runs on a fresh open-schema graph. Expected results are
//! parsed from the suite's value notation and compared structurally (see
//! `tck/values.rs`). An expected error is checked by its class (see
//! [`QueryError::tck_class`]) and its phase: *compile time* means that
//! [`query::check_query`] (parse and semantic checks) already refuses the
//! query, *runtime* that only running it does, *any time* accepts both.
//! The detail (`VariableAlreadyBound`, ...) is not compared: factgraph's
//! error codes are its own, and the class and phase already say whether
//! the query was refused for the right reason at the right moment.
//! Side effects are, as the TCK defines them, the difference between the
//! graph before and after the query: nodes and relationships (by id), label
//! names in use, and (entity, key, value) property triples. (The store
//! reuses the id of a deleted element; the journal of an outer checkpoint
//! tells a new element in a freed slot from the deleted one.)
//!
//! `tests/tck/skip.txt` lists every scenario that does not pass, with a
//! reason. The test fails when a scenario fails that is not listed, when a
//! listed one passes, and when the README's conformance table is out of
//! date. Regenerate both with
//!
//! ```text
//! FACTGRAPH_TCK_WRITE_SKIPS=1 cargo test --test tck
//! ```
//!
//! For work on the engine: `FACTGRAPH_TCK_FILTER=text` runs only scenarios
//! whose id (`clauses/match/Match1.feature:[1] ...`) contains `text`, and
//! `FACTGRAPH_TCK_VERBOSE=1` prints each failure in detail.

#[path = "tck/gherkin.rs"]
mod gherkin;
#[path = "tck/values.rs"]
mod values;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Instant;

use factgraph::model::Schema;
use factgraph::query::{self, Params, QueryError, QueryResult, TableProcedure, Val};
use factgraph::store::Graph;

use gherkin::{Scenario, Step};
use values::{bag_match, TVal};

const MANIFEST: &str = env!("CARGO_MANIFEST_DIR");
const SKIP_FILE: &str = "tests/tck/skip.txt";
const README: &str = "README.md";
const TABLE_START: &str = "<!-- tck-table:start -->";
const TABLE_END: &str = "<!-- tck-table:end -->";
/// How long the run may go without any scenario finishing.
const SCENARIO_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

fn tck_dir() -> PathBuf {
    match std::env::var_os("FACTGRAPH_TCK") {
        Some(d) => PathBuf::from(d),
        None => Path::new(MANIFEST).join("../shared/tck"),
    }
}

fn feature_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            feature_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "feature") {
            out.push(p);
        }
    }
}

// ---------------------------------------------------------------- outcomes

/// Why a scenario did not pass: a short, stable reason (for the skip list)
/// and the details (for the developer).
struct Failure {
    reason: String,
    detail: String,
}

fn fail<T>(reason: impl Into<String>, detail: impl Into<String>) -> Result<T, Failure> {
    Err(Failure {
        reason: reason.into(),
        detail: detail.into(),
    })
}

/// What the graph holds, for side effects: nodes, relationships, label
/// names in use and property triples. An element is its id and a
/// generation: 1 when its id belonged to an element this query deleted (ids
/// are reused), so that a deleted node and a new one in its slot differ.
#[derive(Default)]
struct State {
    nodes: BTreeSet<(u32, u8)>,
    rels: BTreeSet<(u32, u8)>,
    labels: BTreeSet<String>,
    props: BTreeSet<(char, u32, u8, String, String)>,
}

/// The graph's state; `reused` says which ids now hold a new element.
fn state(g: &Graph, reused: &dyn Fn(char, u32) -> bool) -> State {
    let mut s = State::default();
    for id in g.node_ids() {
        let generation = reused('n', id.0) as u8;
        s.nodes.insert((id.0, generation));
        if let Some(n) = g.node(id) {
            s.labels.extend(n.labels.iter().cloned());
            for (k, v) in &n.props {
                s.props
                    .insert(('n', id.0, generation, k.clone(), Val::from(v).group_key()));
            }
        }
    }
    for id in g.edge_ids() {
        let generation = reused('r', id.0) as u8;
        s.rels.insert((id.0, generation));
        if let Some(e) = g.edge(id) {
            for (k, v) in &e.props {
                s.props
                    .insert(('r', id.0, generation, k.clone(), Val::from(v).group_key()));
            }
        }
    }
    s
}

struct Run<'a> {
    tck: &'a Path,
    graph: Graph,
    params: Params,
    procedures: Vec<TableProcedure>,
    /// The last query: its text, its result, and the graph's state before and after it.
    last: Option<(String, Result<QueryResult, QueryError>, State, State)>,
}

fn tval_to_val(v: &TVal) -> Result<Val, String> {
    Ok(match v {
        TVal::Null => Val::Null,
        TVal::Bool(b) => Val::Bool(*b),
        TVal::Int(i) => Val::Int(*i),
        TVal::Float(x) => Val::Float(*x),
        TVal::Str(s) => Val::Str(s.clone()),
        TVal::List(items) => Val::List(items.iter().map(tval_to_val).collect::<Result<_, _>>()?),
        TVal::Map(m) => Val::Map(
            m.iter()
                .map(|(k, x)| Ok((k.clone(), tval_to_val(x)?)))
                .collect::<Result<_, String>>()?,
        ),
        other => return Err(format!("cannot pass {other} as a value")),
    })
}

/// `test.my.proc(in :: INTEGER?) :: (out :: STRING?):` → name, inputs, outputs.
type Signature = (String, Vec<(String, String)>, Vec<(String, String)>);

fn parse_signature(text: &str) -> Result<Signature, String> {
    let rest = text
        .strip_prefix("there exists a procedure ")
        .ok_or("not a procedure step")?
        .trim()
        .trim_end_matches(':')
        .trim();
    let open = rest.find('(').ok_or("no (")?;
    let name = rest[..open].trim().to_string();
    let close = rest[open..].find(')').ok_or("no )")? + open;
    let params = |s: &str| -> Vec<(String, String)> {
        s.split(',')
            .filter(|p| !p.trim().is_empty())
            .map(|p| {
                let (n, t) = p.split_once("::").unwrap_or((p, "ANY?"));
                (n.trim().to_string(), t.trim().to_string())
            })
            .collect()
    };
    let inputs = params(&rest[open + 1..close]);
    let after = rest[close + 1..].trim().trim_start_matches("::").trim();
    let outputs = params(after.trim_start_matches('(').trim_end_matches(')'));
    Ok((name, inputs, outputs))
}

fn is_temporal(scenario: &Scenario, feature: &str) -> bool {
    if feature.starts_with("expressions/temporal/") {
        return true;
    }
    let re = regex::Regex::new(
        r"(?i)\b(date|datetime|localdatetime|localtime|time|duration)\s*(\.\s*\w+\s*)?\(",
    )
    .expect("regex");
    scenario
        .steps
        .iter()
        .any(|s| s.doc.as_deref().is_some_and(|d| re.is_match(d)))
}

impl Run<'_> {
    fn execute(&mut self, text: &str) -> Result<QueryResult, QueryError> {
        query::run_with(&mut self.graph, text, &self.params, &self.procedures)
    }

    fn step(&mut self, step: &Step) -> Result<(), Failure> {
        let t = step.text.as_str();
        let doc = || step.doc.clone().unwrap_or_default();
        if t == "an empty graph" || t == "any graph" {
            return Ok(());
        }
        if let Some(name) = t
            .strip_prefix("the ")
            .and_then(|r| r.strip_suffix(" graph"))
        {
            let dir = self.tck.join("graphs").join(name);
            let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
                .map_err(|e| Failure {
                    reason: format!("named graph {name} missing"),
                    detail: e.to_string(),
                })?
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "cypher"))
                .collect();
            files.sort();
            for f in files {
                let text = std::fs::read_to_string(&f).unwrap_or_default();
                if let Err(e) = self.execute(&text) {
                    return fail(
                        format!("loading graph {name} fails: {}", e.code()),
                        e.to_string(),
                    );
                }
            }
            return Ok(());
        }
        if t == "having executed:" {
            let q = doc();
            return match self.execute(&q) {
                Ok(_) => Ok(()),
                Err(e) => fail(
                    format!("setup query fails: {}", e.code()),
                    format!("{q}\n→ {e}"),
                ),
            };
        }
        if t == "parameters are:" {
            for row in step.table.iter().flatten() {
                let [k, v] = row.as_slice() else {
                    return fail("bad parameter table", format!("{row:?}"));
                };
                let val = values::parse(v)
                    .and_then(|x| tval_to_val(&x))
                    .map_err(|e| Failure {
                        reason: "bad parameter value".into(),
                        detail: e,
                    })?;
                self.params.insert(k.clone(), val);
            }
            return Ok(());
        }
        if t.starts_with("there exists a procedure ") {
            let (name, inputs, outputs) = parse_signature(t).map_err(|e| Failure {
                reason: "bad procedure signature".into(),
                detail: e,
            })?;
            let table = step.table.clone().unwrap_or_default();
            let mut rows = Vec::new();
            if let Some((header, body)) = table.split_first() {
                // Cells are given by column name; order them inputs first, then outputs.
                let order: Vec<usize> = inputs
                    .iter()
                    .chain(&outputs)
                    .map(|(n, _)| header.iter().position(|h| h == n).unwrap_or(usize::MAX))
                    .collect();
                for r in body {
                    let mut row = Vec::new();
                    for &i in &order {
                        let cell = r.get(i).map(String::as_str).unwrap_or("null");
                        row.push(values::parse(cell).and_then(|x| tval_to_val(&x)).map_err(
                            |e| Failure {
                                reason: "bad procedure row".into(),
                                detail: e,
                            },
                        )?);
                    }
                    rows.push(row);
                }
            }
            self.procedures.push(TableProcedure {
                name,
                inputs,
                outputs,
                rows,
            });
            return Ok(());
        }
        if t == "executing query:" || t == "executing control query:" {
            let q = doc();
            let before = state(&self.graph, &|_, _| false);
            // An outer checkpoint keeps the statement's journal until we have
            // seen which elements it deleted (see `State`).
            let cp = self.graph.checkpoint();
            let r = self.execute(&q);
            let g = &self.graph;
            let after = state(g, &|kind, id| match kind {
                'n' => {
                    before.nodes.contains(&(id, 0))
                        && g.deleted_node(factgraph::store::NodeId(id)).is_some()
                }
                _ => {
                    before.rels.contains(&(id, 0))
                        && g.deleted_edge(factgraph::store::EdgeId(id)).is_some()
                }
            });
            self.graph.commit(cp);
            self.last = Some((q, r, before, after));
            return Ok(());
        }
        if let Some(mode) = t.strip_prefix("the result should be") {
            let (q, r, _, _) = self.last.as_ref().ok_or(Failure {
                reason: "result step without a query".into(),
                detail: String::new(),
            })?;
            let result = match r {
                Ok(r) => r,
                Err(e) => {
                    return fail(
                        format!("unexpected error {}", e.code()),
                        format!("{q}\n→ {e}"),
                    )
                }
            };
            let mode = mode.trim().trim_end_matches(':');
            if mode == "empty" {
                if !result.rows.is_empty() {
                    return fail(
                        "wrong result: rows where none are expected",
                        format!("{q}\n→ {} row(s)", result.rows.len()),
                    );
                }
                return Ok(());
            }
            let ordered = mode.contains("in order");
            let unordered_lists = mode.contains("ignoring element order for lists");
            return self.compare(q, result, step, ordered, unordered_lists);
        }
        if let Some(rest) = t.strip_prefix("a ") {
            if let Some((class, phase)) = rest.split_once(" should be raised at ") {
                let phase = phase.split(':').next().unwrap_or("").trim();
                return self.expect_error(class, phase);
            }
        }
        if t == "no side effects" {
            return self.side_effects(&BTreeMap::new());
        }
        if t == "the side effects should be:" {
            let mut want = BTreeMap::new();
            for row in step.table.iter().flatten() {
                if let [k, v] = row.as_slice() {
                    want.insert(k.clone(), v.parse::<u64>().unwrap_or(u64::MAX));
                }
            }
            return self.side_effects(&want);
        }
        fail("unsupported step", t.to_string())
    }

    fn compare(
        &self,
        q: &str,
        result: &QueryResult,
        step: &Step,
        ordered: bool,
        unordered_lists: bool,
    ) -> Result<(), Failure> {
        let table = step.table.clone().unwrap_or_default();
        let Some((header, body)) = table.split_first() else {
            return fail("bad expected table", "no header");
        };
        if header != &result.columns {
            return fail(
                "wrong result: different columns",
                format!("{q}\nexpected {header:?}\ngot      {:?}", result.columns),
            );
        }
        let mut expected = Vec::new();
        for row in body {
            let mut r = Vec::new();
            for cell in row {
                r.push(values::parse(cell).map_err(|e| Failure {
                    reason: "unreadable expected value".into(),
                    detail: e,
                })?);
            }
            expected.push(r);
        }
        let actual: Vec<Vec<TVal>> = result
            .rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|v| TVal::from_val(v, Some(&self.graph)))
                    .collect()
            })
            .collect();
        let row_eq = |a: &Vec<TVal>, b: &Vec<TVal>| {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.matches(y, unordered_lists))
        };
        let same = if ordered {
            expected.len() == actual.len()
                && expected.iter().zip(&actual).all(|(a, b)| row_eq(a, b))
        } else {
            bag_match(&expected, &actual, &row_eq)
        };
        if same {
            return Ok(());
        }
        let show = |rows: &[Vec<TVal>]| {
            rows.iter()
                .map(|r| {
                    let cells: Vec<String> = r.iter().map(|v| v.to_string()).collect();
                    format!("  | {} |", cells.join(" | "))
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        fail(
            if expected.len() != actual.len() {
                "wrong result: different number of rows"
            } else if ordered && bag_match(&expected, &actual, &row_eq) {
                "wrong result: wrong order"
            } else {
                "wrong result: different values"
            },
            format!(
                "{q}\nexpected:\n{}\ngot:\n{}",
                show(&expected),
                show(&actual)
            ),
        )
    }

    fn expect_error(&self, class: &str, phase: &str) -> Result<(), Failure> {
        let (q, r, _, _) = self.last.as_ref().ok_or(Failure {
            reason: "error step without a query".into(),
            detail: String::new(),
        })?;
        let e = match r {
            Ok(res) => {
                return fail(
                    format!("no error raised (expected {class})"),
                    format!("{q}\n→ {} row(s)", res.rows.len()),
                )
            }
            Err(e) => e,
        };
        let got_class = e.tck_class();
        let compile_time = query::check_query(
            &Graph::new(Schema::open()),
            q,
            &self.params,
            &self.procedures,
        )
        .is_err();
        let got_phase = if compile_time {
            "compile time"
        } else {
            "runtime"
        };
        if got_class != class {
            return fail(
                format!("wrong error: {got_class} ({}) instead of {class}", e.code()),
                format!("{q}\n→ {e}"),
            );
        }
        if phase != "any time" && phase != got_phase {
            return fail(
                format!(
                    "error raised at {got_phase} instead of {phase} ({})",
                    e.code()
                ),
                format!("{q}\n→ {e}"),
            );
        }
        Ok(())
    }

    fn side_effects(&self, want: &BTreeMap<String, u64>) -> Result<(), Failure> {
        let Some((q, _, before, after)) = &self.last else {
            return fail("side-effect step without a query", "");
        };
        let mut got = BTreeMap::new();
        let mut put = |k: &str, v: usize| {
            if v > 0 {
                got.insert(k.to_string(), v as u64);
            }
        };
        put("+nodes", after.nodes.difference(&before.nodes).count());
        put("-nodes", before.nodes.difference(&after.nodes).count());
        put(
            "+relationships",
            after.rels.difference(&before.rels).count(),
        );
        put(
            "-relationships",
            before.rels.difference(&after.rels).count(),
        );
        put("+labels", after.labels.difference(&before.labels).count());
        put("-labels", before.labels.difference(&after.labels).count());
        put("+properties", after.props.difference(&before.props).count());
        put("-properties", before.props.difference(&after.props).count());
        let want: BTreeMap<String, u64> = want
            .iter()
            .filter(|(_, v)| **v > 0)
            .map(|(k, v)| (k.clone(), *v))
            .collect();
        if got == want {
            Ok(())
        } else {
            fail(
                "wrong side effects",
                format!("{q}\nexpected {want:?}\ngot      {got:?}"),
            )
        }
    }
}

fn run_scenario(tck: &Path, scenario: &Scenario) -> Result<(), Failure> {
    let mut run = Run {
        tck,
        graph: Graph::new(Schema::open()),
        params: Params::new(),
        procedures: Vec::new(),
        last: None,
    };
    for step in &scenario.steps {
        run.step(step).map_err(|mut f| {
            f.detail = format!(
                "scenario at line {}, step at line {}: {}\n{}",
                scenario.line, step.line, step.text, f.detail
            );
            f
        })?;
        // After an expected error, nothing else is checked.
        if step.text.contains(" should be raised at ") {
            break;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------- the test

struct Case {
    id: String,
    family: String,
    scenario: Scenario,
    feature: String,
}

struct Outcome {
    id: String,
    family: String,
    /// The scenario uses temporal values (not implemented).
    temporal: bool,
    failure: Option<Failure>,
}

fn family_of(feature: &str) -> String {
    let parts: Vec<&str> = feature.split('/').collect();
    if parts.len() >= 3 {
        format!("{}/{}", parts[0], parts[1])
    } else {
        parts[0].to_string()
    }
}

fn read_skips(path: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| match l.rsplit_once(" — ") {
            Some((id, reason)) => (id.to_string(), reason.to_string()),
            None => (l.to_string(), String::new()),
        })
        .collect()
}

/// Per family: scenarios, passed, and the same two counts without the
/// scenarios that use temporal values.
fn conformance_table(outcomes: &[Outcome]) -> String {
    #[derive(Default, Clone, Copy)]
    struct Count {
        n: usize,
        passed: usize,
        plain: usize,
        plain_passed: usize,
    }
    let mut per: BTreeMap<&str, Count> = BTreeMap::new();
    for o in outcomes {
        let c = per.entry(o.family.as_str()).or_default();
        let ok = o.failure.is_none() as usize;
        c.n += 1;
        c.passed += ok;
        if !o.temporal {
            c.plain += 1;
            c.plain_passed += ok;
        }
    }
    let pct = |p: usize, n: usize| {
        if n == 0 {
            "–".to_string()
        } else {
            format!("{:.1}%", 100.0 * p as f64 / n as f64)
        }
    };
    let mut s = String::from(
        "| family | scenarios | passed | % | without temporal | passed | % |\n\
         |---|---:|---:|---:|---:|---:|---:|\n",
    );
    let mut all = Count::default();
    for (f, c) in &per {
        s.push_str(&format!(
            "| {f} | {} | {} | {} | {} | {} | {} |\n",
            c.n,
            c.passed,
            pct(c.passed, c.n),
            c.plain,
            c.plain_passed,
            pct(c.plain_passed, c.plain)
        ));
        all.n += c.n;
        all.passed += c.passed;
        all.plain += c.plain;
        all.plain_passed += c.plain_passed;
    }
    s.push_str(&format!(
        "| **all** | **{}** | **{}** | **{}** | **{}** | **{}** | **{}** |\n",
        all.n,
        all.passed,
        pct(all.passed, all.n),
        all.plain,
        all.plain_passed,
        pct(all.plain_passed, all.plain)
    ));
    s
}

fn replace_table(readme: &str, table: &str) -> Option<String> {
    let start = readme.find(TABLE_START)? + TABLE_START.len();
    let end = readme.find(TABLE_END)?;
    Some(format!("{}\n{}{}", &readme[..start], table, &readme[end..]))
}

#[test]
fn opencypher_tck() {
    let tck = tck_dir();
    let features = tck.join("features");
    if !features.is_dir() {
        let msg = format!(
            "TCK not found at {} (set FACTGRAPH_TCK to the suite's folder)",
            features.display()
        );
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{msg}; under CI the suite must be present");
        }
        eprintln!("{msg}");
        return;
    }
    let filter = std::env::var("FACTGRAPH_TCK_FILTER").ok();
    let verbose = std::env::var_os("FACTGRAPH_TCK_VERBOSE").is_some();
    let write = std::env::var_os("FACTGRAPH_TCK_WRITE_SKIPS").is_some();
    let started = Instant::now();

    let mut files = Vec::new();
    feature_files(&features, &mut files);
    let mut cases = Vec::new();
    let mut ids = HashSet::new();
    for f in &files {
        let rel = f
            .strip_prefix(&features)
            .unwrap_or(f)
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(f).expect("read feature");
        let scenarios = gherkin::parse(&text).unwrap_or_else(|e| panic!("{rel}: {e}"));
        for s in scenarios {
            let id = format!("{rel}:{}", s.id());
            assert!(ids.insert(id.clone()), "two scenarios are named {id}");
            cases.push(Case {
                id,
                family: family_of(&rel),
                scenario: s,
                feature: rel.clone(),
            });
        }
    }
    if let Some(f) = &filter {
        cases.retain(|c| c.id.contains(f.as_str()));
    }

    // Run on every core; each scenario is independent. Workers are detached
    // threads, so that a scenario that never ends fails the test (naming the
    // scenario) instead of hanging it.
    let cases = Arc::new(cases);
    let next = Arc::new(AtomicUsize::new(0));
    let running: Arc<Mutex<BTreeMap<usize, String>>> = Arc::default();
    let (tx, rx) = mpsc::channel::<(usize, Outcome)>();
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    for _ in 0..workers {
        let (cases, next, running, tx, tck) = (
            Arc::clone(&cases),
            Arc::clone(&next),
            Arc::clone(&running),
            tx.clone(),
            tck.clone(),
        );
        std::thread::spawn(move || loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(case) = cases.get(i) else { break };
            running.lock().expect("lock").insert(i, case.id.clone());
            let r =
                std::panic::catch_unwind(AssertUnwindSafe(|| run_scenario(&tck, &case.scenario)));
            running.lock().expect("lock").remove(&i);
            let mut failure = match r {
                Ok(Ok(())) => None,
                Ok(Err(f)) => Some(f),
                Err(p) => Some(Failure {
                    reason: "panic".into(),
                    detail: p
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default(),
                }),
            };
            let temporal = is_temporal(&case.scenario, &case.feature);
            if let Some(f) = &mut failure {
                if temporal {
                    f.reason = format!("temporal: {}", f.reason);
                }
            }
            let outcome = Outcome {
                id: case.id.clone(),
                family: case.family.clone(),
                temporal,
                failure,
            };
            if tx.send((i, outcome)).is_err() {
                break;
            }
        });
    }
    drop(tx);
    let mut slots: Vec<Option<Outcome>> = (0..cases.len()).map(|_| None).collect();
    for _ in 0..cases.len() {
        match rx.recv_timeout(SCENARIO_TIMEOUT) {
            Ok((i, o)) => slots[i] = Some(o),
            Err(_) => {
                let stuck: Vec<String> = running.lock().expect("lock").values().cloned().collect();
                panic!(
                    "no scenario finished for {SCENARIO_TIMEOUT:?}; still running: {}",
                    stuck.join(", ")
                );
            }
        }
    }
    let outcomes: Vec<Outcome> = slots.into_iter().flatten().collect();

    let table = conformance_table(&outcomes);
    let passed = outcomes.iter().filter(|o| o.failure.is_none()).count();
    println!("{table}");
    println!(
        "openCypher TCK: {passed} of {} scenarios pass ({:.1?})",
        outcomes.len(),
        started.elapsed()
    );
    if verbose {
        for o in &outcomes {
            if let Some(f) = &o.failure {
                println!("\n✗ {}\n  {}\n{}", o.id, f.reason, f.detail);
            }
        }
    }

    let skip_path = Path::new(MANIFEST).join(SKIP_FILE);
    let readme_path = Path::new(MANIFEST).join(README);
    if write {
        assert!(
            filter.is_none(),
            "write the skip list from a full run (unset FACTGRAPH_TCK_FILTER)"
        );
        let mut text = String::from(
            "# openCypher TCK scenarios that factgraph does not pass, with the reason.\n\
             # Regenerate: FACTGRAPH_TCK_WRITE_SKIPS=1 cargo test --test tck\n",
        );
        for o in &outcomes {
            if let Some(f) = &o.failure {
                text.push_str(&format!("{} — {}\n", o.id, f.reason));
            }
        }
        std::fs::write(&skip_path, text).expect("write skip list");
        let readme = std::fs::read_to_string(&readme_path).expect("README");
        if let Some(new) = replace_table(&readme, &table) {
            std::fs::write(&readme_path, new).expect("write README");
        } else {
            panic!("README.md has no {TABLE_START} ... {TABLE_END} section");
        }
        println!(
            "wrote {} and the README's conformance table",
            skip_path.display()
        );
        return;
    }

    let skips = read_skips(&skip_path);
    let mut problems = Vec::new();
    for o in &outcomes {
        match (&o.failure, skips.contains_key(&o.id)) {
            (Some(f), false) => problems.push(format!(
                "FAILS (not in skip.txt): {}\n  {}\n{}",
                o.id, f.reason, f.detail
            )),
            (None, true) => problems.push(format!(
                "PASSES but is listed in skip.txt (remove it): {}",
                o.id
            )),
            _ => {}
        }
    }
    if filter.is_none() {
        let known: HashSet<&str> = outcomes.iter().map(|o| o.id.as_str()).collect();
        for id in skips.keys() {
            if !known.contains(id.as_str()) {
                problems.push(format!(
                    "skip.txt names a scenario that does not exist: {id}"
                ));
            }
        }
        let readme = std::fs::read_to_string(&readme_path).expect("README");
        if replace_table(&readme, &table).as_deref() != Some(readme.as_str()) {
            problems.push("the README's conformance table is out of date".into());
        }
    }
    if !problems.is_empty() {
        for p in &problems {
            eprintln!("{p}\n");
        }
        panic!(
            "{} TCK problem(s); fix them, or regenerate the list with FACTGRAPH_TCK_WRITE_SKIPS=1 cargo test --test tck",
            problems.len()
        );
    }
}
