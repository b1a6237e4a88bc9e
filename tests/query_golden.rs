//! Golden-file tests of the query language: `tests/queries/<feature>.test`.
//!
//! # The format
//!
//! ```text
//! ## A line starting with `##` is a comment.
//! # name of the case
//! graph: seed | empty        (optional; `seed` by default; `empty` is an open-schema graph)
//! params: {name: 'x', n: 3}  (optional; a Cypher map literal)
//! setup: CREATE (:A {x: 1})  (optional, repeatable; must succeed)
//! query: MATCH (n) RETURN n.x AS x
//!   indented lines continue the query (joined with newlines), as for setup
//! expect (any order):        (or: expect (in order):)
//! | x |
//! | 1 |
//! ```
//!
//! After a `query:` come its expectations, any of:
//! - `expect (any order):` / `expect (in order):` and a table whose first row
//!   is the header; cells are in [`Val::render`] notation (strings quoted,
//!   nodes as `(:Label {k: v})`), and compared cell by cell after rendering
//!   the actual value (whitespace outside quotes does not matter);
//! - `expect empty`: no rows;
//! - `expect error: Code` (the stable [`QueryError::code`]), optionally followed
//!   by `message contains: text`;
//! - `expect changes: nodes_created=2 properties_set=1`: those counters, and
//!   zero for every counter not named (`expect changes: none` for no change).
//!
//! A case may hold several `query:` steps, each with its own expectations;
//! they run one after another on the same graph.
//!
//! `FACTGRAPH_BLESS=1 cargo test --test query_golden -- --nocapture` prints
//! every case's actual results in this format (files are never rewritten);
//! `FACTGRAPH_CASE=text` runs only the cases whose name contains `text`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use factgraph::model::Schema;
use factgraph::query::{self, Counters, Params, QueryResult, Val};
use factgraph::store::Graph;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/queries");

#[derive(Clone, Copy, Debug, PartialEq)]
enum GraphKind {
    Seed,
    Empty,
}

#[derive(Debug, Default)]
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    /// Line of the header in the file.
    line: usize,
}

#[derive(Debug)]
enum Expect {
    Rows { ordered: bool, table: Table },
    Empty,
    Error { code: String, contains: Vec<String> },
    Changes(BTreeMap<String, u64>),
}

#[derive(Debug)]
struct Step {
    query: String,
    line: usize,
    expects: Vec<Expect>,
}

#[derive(Debug)]
struct Case {
    name: String,
    line: usize,
    graph: GraphKind,
    params: Option<String>,
    setup: Vec<(String, usize)>,
    steps: Vec<Step>,
}

fn seed() -> &'static Graph {
    static SEED: OnceLock<Graph> = OnceLock::new();
    SEED.get_or_init(|| factgraph::seed::graph().expect("the seed graph loads"))
}

// ---------------------------------------------------------------- parsing

/// Splits a table row `| a | 'b|c' |` into trimmed cells, respecting quotes.
fn split_row(line: &str) -> Result<Vec<String>, String> {
    let body = line.trim();
    let body = body
        .strip_prefix('|')
        .ok_or_else(|| format!("a table row starts with |: {line}"))?;
    let mut cells = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut chars = body.chars();
    let mut closed = false;
    while let Some(c) = chars.next() {
        closed = false;
        match quote {
            Some(q) => {
                cur.push(c);
                if c == '\\' {
                    if let Some(n) = chars.next() {
                        cur.push(n);
                    }
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                '\'' | '"' | '`' => {
                    quote = Some(c);
                    cur.push(c);
                }
                '|' => {
                    cells.push(cur.trim().to_string());
                    cur.clear();
                    closed = true;
                }
                _ => cur.push(c),
            },
        }
    }
    if quote.is_some() {
        return Err(format!("unterminated quote in table row: {line}"));
    }
    if !closed {
        return Err(format!("a table row ends with |: {line}"));
    }
    Ok(cells)
}

fn parse_changes(text: &str) -> Result<BTreeMap<String, u64>, String> {
    let mut out = BTreeMap::new();
    if text.trim() == "none" {
        return Ok(out);
    }
    for item in text.split_whitespace() {
        let (k, v) = item
            .split_once('=')
            .ok_or_else(|| format!("expected name=number, got {item:?}"))?;
        if counter(&Counters::default(), k).is_none() {
            return Err(format!("unknown counter {k:?}"));
        }
        let v = v.parse().map_err(|_| format!("bad number in {item:?}"))?;
        out.insert(k.to_string(), v);
    }
    Ok(out)
}

const COUNTERS: &[&str] = &[
    "nodes_created",
    "nodes_deleted",
    "relationships_created",
    "relationships_deleted",
    "properties_set",
    "labels_added",
    "labels_removed",
];

fn counter(c: &Counters, name: &str) -> Option<u64> {
    Some(match name {
        "nodes_created" => c.nodes_created,
        "nodes_deleted" => c.nodes_deleted,
        "relationships_created" => c.relationships_created,
        "relationships_deleted" => c.relationships_deleted,
        "properties_set" => c.properties_set,
        "labels_added" => c.labels_added,
        "labels_removed" => c.labels_removed,
        _ => return None,
    })
}

fn parse_file(text: &str) -> Result<Vec<Case>, String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut cases: Vec<Case> = Vec::new();
    let mut i = 0;
    // Reads a `key: value` whose value may go on over indented lines.
    let continued = |first: &str, i: &mut usize| -> String {
        let mut s = first.trim().to_string();
        while *i + 1 < lines.len() {
            let next = lines[*i + 1];
            if !next.is_empty() && next.starts_with([' ', '\t']) {
                s.push('\n');
                s.push_str(next.trim_start());
                *i += 1;
            } else {
                break;
            }
        }
        s
    };
    while i < lines.len() {
        let line = lines[i];
        let lineno = i + 1;
        let err = |m: String| format!("line {lineno}: {m}");
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with("##") {
            i += 1;
            continue;
        }
        if let Some(name) = trimmed.strip_prefix('#') {
            cases.push(Case {
                name: name.trim().to_string(),
                line: lineno,
                graph: GraphKind::Seed,
                params: None,
                setup: Vec::new(),
                steps: Vec::new(),
            });
            i += 1;
            continue;
        }
        let case = cases
            .last_mut()
            .ok_or_else(|| err("expected `# case name` first".into()))?;
        if let Some(v) = trimmed.strip_prefix("graph:") {
            case.graph = match v.trim() {
                "seed" => GraphKind::Seed,
                "empty" => GraphKind::Empty,
                other => return Err(err(format!("unknown graph {other:?}"))),
            };
        } else if let Some(v) = trimmed.strip_prefix("params:") {
            case.params = Some(continued(v, &mut i));
        } else if let Some(v) = trimmed.strip_prefix("setup:") {
            if !case.steps.is_empty() {
                return Err(err("setup must come before the first query".into()));
            }
            let s = continued(v, &mut i);
            case.setup
                .push((s.trim_end_matches(';').to_string(), lineno));
        } else if let Some(v) = trimmed.strip_prefix("query:") {
            case.steps.push(Step {
                query: continued(v, &mut i),
                line: lineno,
                expects: Vec::new(),
            });
        } else if let Some(v) = trimmed.strip_prefix("expect") {
            let step = case
                .steps
                .last_mut()
                .ok_or_else(|| err("`expect` needs a `query:` before it".into()))?;
            let v = v.trim();
            if let Some(order) = v.strip_suffix(':').map(str::trim) {
                let ordered = match order {
                    "(in order)" => true,
                    "(any order)" => false,
                    other => return Err(err(format!("unknown expectation {other:?}"))),
                };
                let mut table = Table {
                    line: lineno + 1,
                    ..Table::default()
                };
                let mut first = true;
                while i + 1 < lines.len() && lines[i + 1].trim_start().starts_with('|') {
                    i += 1;
                    let cells = split_row(lines[i]).map_err(|m| format!("line {}: {m}", i + 1))?;
                    if first {
                        table.header = cells;
                        first = false;
                    } else {
                        if cells.len() != table.header.len() {
                            return Err(format!(
                                "line {}: {} cells, but the header has {}",
                                i + 1,
                                cells.len(),
                                table.header.len()
                            ));
                        }
                        table.rows.push(cells);
                    }
                }
                if first {
                    return Err(err("a table needs at least a header row".into()));
                }
                step.expects.push(Expect::Rows { ordered, table });
            } else if v == "empty" {
                step.expects.push(Expect::Empty);
            } else if let Some(code) = v.strip_prefix("error:") {
                let mut contains = Vec::new();
                while i + 1 < lines.len() {
                    let Some(m) = lines[i + 1].trim().strip_prefix("message contains:") else {
                        break;
                    };
                    contains.push(m.trim().to_string());
                    i += 1;
                }
                step.expects.push(Expect::Error {
                    code: code.trim().to_string(),
                    contains,
                });
            } else if let Some(c) = v.strip_prefix("changes:") {
                step.expects
                    .push(Expect::Changes(parse_changes(c).map_err(err)?));
            } else {
                return Err(err(format!("unknown expectation `expect {v}`")));
            }
        } else {
            return Err(err(format!("unexpected line {trimmed:?}")));
        }
        i += 1;
    }
    for c in &cases {
        if c.steps.is_empty() {
            return Err(format!("line {}: case {:?} has no query", c.line, c.name));
        }
    }
    Ok(cases)
}

// ---------------------------------------------------------------- running

/// Removes whitespace outside quotes, so `[1,2]` matches `[1, 2]`.
fn canonical(cell: &str) -> String {
    let mut out = String::new();
    let mut quote: Option<char> = None;
    let mut chars = cell.chars();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                out.push(c);
                if c == '\\' {
                    if let Some(n) = chars.next() {
                        out.push(n);
                    }
                } else if c == q {
                    quote = None;
                }
            }
            None if c.is_whitespace() => {}
            None => {
                if matches!(c, '\'' | '"' | '`') {
                    quote = Some(c);
                }
                out.push(c);
            }
        }
    }
    out
}

fn render_table(header: &[String], rows: &[Vec<String>]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "| {} |", header.join(" | "));
    for r in rows {
        let _ = writeln!(s, "| {} |", r.join(" | "));
    }
    s
}

fn parse_params(text: &str) -> Result<Params, String> {
    let mut g = Graph::new(Schema::open());
    let r = query::run(&mut g, &format!("RETURN {text} AS p"), &Params::new())
        .map_err(|e| format!("bad params {text}: {e}"))?;
    match r.rows.first().and_then(|r| r.first()) {
        Some(Val::Map(m)) => Ok(m.clone().into_iter().collect()),
        _ => Err(format!("params must be a map: {text}")),
    }
}

fn changes_text(c: &Counters) -> String {
    let parts: Vec<String> = COUNTERS
        .iter()
        .filter_map(|k| {
            let v = counter(c, k).unwrap_or(0);
            (v > 0).then(|| format!("{k}={v}"))
        })
        .collect();
    if parts.is_empty() {
        "none".into()
    } else {
        parts.join(" ")
    }
}

/// What `FACTGRAPH_BLESS` prints for a step.
fn bless_text(
    outcome: &Result<QueryResult, query::QueryError>,
    g: &Graph,
    ordered: bool,
    step: &Step,
) -> String {
    let with_changes = step.expects.iter().any(|e| matches!(e, Expect::Changes(_)));
    match outcome {
        Err(e) => {
            let mut s = format!("expect error: {}\n", e.code());
            // Keep the message checks already written; else show the message.
            let contains: Vec<&String> = step
                .expects
                .iter()
                .flat_map(|x| match x {
                    Expect::Error { contains, .. } => contains.iter().collect(),
                    _ => Vec::new(),
                })
                .collect();
            for c in &contains {
                let _ = writeln!(s, "message contains: {c}");
            }
            if contains.is_empty() {
                for line in e.to_string().lines() {
                    let _ = writeln!(s, "## {line}");
                }
            }
            s
        }
        Ok(r) => {
            let mut s = String::new();
            if r.counters.any() || with_changes {
                let _ = writeln!(s, "expect changes: {}", changes_text(&r.counters));
            }
            if r.rows.is_empty() {
                if !r.counters.any() && !with_changes {
                    s.push_str("expect empty\n");
                }
            } else {
                let rows: Vec<Vec<String>> = r
                    .rows
                    .iter()
                    .map(|row| row.iter().map(|v| v.render(g)).collect())
                    .collect();
                let _ = writeln!(
                    s,
                    "expect ({}):",
                    if ordered { "in order" } else { "any order" }
                );
                s.push_str(&render_table(&r.columns, &rows));
            }
            s
        }
    }
}

fn check_step(
    step: &Step,
    outcome: &Result<QueryResult, query::QueryError>,
    g: &Graph,
) -> Vec<String> {
    let mut problems = Vec::new();
    let wants_error = step
        .expects
        .iter()
        .any(|e| matches!(e, Expect::Error { .. }));
    if let (Err(e), false) = (outcome, wants_error) {
        problems.push(format!("unexpected error [{}]: {e}", e.code()));
        return problems;
    }
    for expect in &step.expects {
        match (expect, outcome) {
            (Expect::Error { code, contains }, Err(e)) => {
                if e.code() != code {
                    problems.push(format!("expected error {code}, got [{}]: {e}", e.code()));
                }
                let text = e.to_string();
                for c in contains {
                    if !text.contains(c.as_str()) {
                        problems.push(format!("error message does not contain {c:?}:\n{text}"));
                    }
                }
            }
            (Expect::Error { code, .. }, Ok(r)) => {
                problems.push(format!(
                    "expected error {code}, but the query succeeded with {} row(s)",
                    r.rows.len()
                ));
            }
            (_, Err(_)) => {}
            (Expect::Empty, Ok(r)) => {
                if !r.rows.is_empty() {
                    let rows: Vec<Vec<String>> = r
                        .rows
                        .iter()
                        .map(|row| row.iter().map(|v| v.render(g)).collect())
                        .collect();
                    problems.push(format!(
                        "expected no rows, got {}:\n{}",
                        r.rows.len(),
                        render_table(&r.columns, &rows)
                    ));
                }
            }
            (Expect::Changes(want), Ok(r)) => {
                let mut diffs = Vec::new();
                for k in COUNTERS {
                    let have = counter(&r.counters, k).unwrap_or(0);
                    let expected = want.get(*k).copied().unwrap_or(0);
                    if have != expected {
                        diffs.push(format!("{k}: expected {expected}, got {have}"));
                    }
                }
                if !diffs.is_empty() {
                    problems.push(format!(
                        "changes differ ({}); actual: {}",
                        diffs.join(", "),
                        changes_text(&r.counters)
                    ));
                }
            }
            (Expect::Rows { ordered, table }, Ok(r)) => {
                problems.extend(compare_rows(*ordered, table, r, g));
            }
        }
    }
    problems
}

fn compare_rows(ordered: bool, table: &Table, r: &QueryResult, g: &Graph) -> Vec<String> {
    let mut problems = Vec::new();
    let actual: Vec<Vec<String>> = r
        .rows
        .iter()
        .map(|row| row.iter().map(|v| v.render(g)).collect())
        .collect();
    if table.header != r.columns {
        problems.push(format!(
            "columns differ:\n  expected | {} |\n  actual   | {} |",
            table.header.join(" | "),
            r.columns.join(" | ")
        ));
        return problems;
    }
    let canon = |row: &Vec<String>| row.iter().map(|c| canonical(c)).collect::<Vec<_>>();
    let want: Vec<Vec<String>> = table.rows.iter().map(canon).collect();
    let have: Vec<Vec<String>> = actual.iter().map(canon).collect();
    let mut report = String::new();
    let mut bad = false;
    if ordered {
        for i in 0..want.len().max(have.len()) {
            let expected = table.rows.get(i).map(|r| r.join(" | "));
            let got = actual.get(i).map(|r| r.join(" | "));
            if want.get(i).is_some() && want.get(i) == have.get(i) {
                let _ = writeln!(report, "    | {} |", got.unwrap_or_default());
                continue;
            }
            bad = true;
            if let Some(e) = expected {
                let _ = writeln!(report, "  - | {e} |");
            }
            if let Some(g) = got {
                let _ = writeln!(report, "  + | {g} |");
            }
        }
    } else {
        // Multiset difference.
        let mut unmatched: Vec<Option<usize>> = (0..have.len()).map(Some).collect();
        let mut missing = Vec::new();
        for (wi, w) in want.iter().enumerate() {
            match unmatched
                .iter_mut()
                .find(|slot| slot.is_some_and(|h| &have[h] == w))
            {
                Some(slot) => *slot = None,
                None => missing.push(wi),
            }
        }
        let extra: Vec<usize> = unmatched.into_iter().flatten().collect();
        bad = !missing.is_empty() || !extra.is_empty();
        for wi in missing {
            let _ = writeln!(report, "  - | {} |", table.rows[wi].join(" | "));
        }
        for hi in extra {
            let _ = writeln!(report, "  + | {} |", actual[hi].join(" | "));
        }
    }
    if bad {
        problems.push(format!(
            "rows differ (table at line {}; - expected, + actual{}):\n{report}",
            table.line,
            if ordered { ", in order" } else { "" }
        ));
    }
    problems
}

/// Runs a case; returns its failures and, in bless mode, what it printed.
fn run_case(case: &Case, bless: bool) -> (Vec<String>, String) {
    let mut g = match case.graph {
        GraphKind::Seed => seed().clone(),
        GraphKind::Empty => Graph::new(Schema::open()),
    };
    let params = match case.params.as_deref().map(parse_params).transpose() {
        Ok(p) => p.unwrap_or_default(),
        Err(e) => return (vec![e], String::new()),
    };
    for (s, line) in &case.setup {
        if let Err(e) = query::run(&mut g, s, &params) {
            return (
                vec![format!("setup at line {line} failed [{}]: {e}", e.code())],
                String::new(),
            );
        }
    }
    let mut failures = Vec::new();
    let mut blessed = format!("# {}\n", case.name);
    if case.graph == GraphKind::Empty {
        blessed.push_str("graph: empty\n");
    }
    if let Some(p) = &case.params {
        let _ = writeln!(blessed, "params: {p}");
    }
    for (s, _) in &case.setup {
        let _ = writeln!(blessed, "setup: {}", s.replace('\n', "\n  "));
    }
    for step in &case.steps {
        let outcome = query::run(&mut g, &step.query, &params);
        if bless {
            let ordered = step
                .expects
                .iter()
                .any(|e| matches!(e, Expect::Rows { ordered: true, .. }))
                || (!step
                    .expects
                    .iter()
                    .any(|e| matches!(e, Expect::Rows { .. }))
                    && step.query.to_uppercase().contains("ORDER BY"));
            let _ = write!(
                blessed,
                "query: {}\n{}",
                step.query.replace('\n', "\n  "),
                bless_text(&outcome, &g, ordered, step)
            );
        }
        if step.expects.is_empty() {
            failures.push(format!("query at line {} has no expectation", step.line));
            continue;
        }
        for p in check_step(step, &outcome, &g) {
            failures.push(format!(
                "query at line {}:\n  {}\n{p}",
                step.line,
                step.query.replace('\n', "\n  ")
            ));
        }
    }
    (failures, blessed)
}

fn run_file(path: &Path) -> usize {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let cases = parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let bless = std::env::var("FACTGRAPH_BLESS").is_ok_and(|v| !v.is_empty() && v != "0");
    let only = std::env::var("FACTGRAPH_CASE").ok();
    let mut report = String::new();
    let mut failed = 0;
    let mut ran = 0;
    for case in &cases {
        if only.as_deref().is_some_and(|o| !case.name.contains(o)) {
            continue;
        }
        ran += 1;
        let (failures, blessed) = run_case(case, bless);
        if bless {
            println!("{blessed}");
        }
        if !failures.is_empty() {
            failed += 1;
            let _ = writeln!(
                report,
                "\n=== {}:{}: {}\n{}",
                path.display(),
                case.line,
                case.name,
                failures.join("\n")
            );
        }
    }
    if failed > 0 {
        panic!(
            "{failed} of {ran} case(s) failed in {}:{report}",
            path.display()
        );
    }
    cases.len()
}

fn file(name: &str) -> PathBuf {
    Path::new(DIR).join(format!("{name}.test"))
}

macro_rules! golden {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                run_file(&file(stringify!($name)));
            }
        )*
        const FILES: &[&str] = &[$(stringify!($name)),*];
    };
}

golden!(
    match_patterns,
    where_predicates,
    paths,
    projection,
    aggregation,
    expressions,
    functions,
    mutations,
    schema_checks,
    explain,
    analyst_questions,
);

/// Every `.test` file is listed above (so none is silently skipped), and
/// together they hold enough cases.
#[test]
fn every_file_runs_and_counts() {
    let mut on_disk: Vec<String> = std::fs::read_dir(DIR)
        .expect("tests/queries exists")
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            name.strip_suffix(".test").map(str::to_string)
        })
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = FILES.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(
        on_disk, listed,
        "tests/queries/*.test and the golden! list differ"
    );
    let total: usize = FILES
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(file(f)).expect("readable");
            parse_file(&text)
                .unwrap_or_else(|e| panic!("{f}.test: {e}"))
                .len()
        })
        .sum();
    assert!(total >= 150, "only {total} golden cases");
}

#[test]
fn table_rows_split_on_bars_outside_quotes() {
    assert_eq!(
        split_row("| 'a|b' | [1, 2] | 'it\\'s' |").unwrap(),
        vec!["'a|b'", "[1, 2]", "'it\\'s'"]
    );
    assert!(split_row("| 'open |").is_err());
    assert_eq!(canonical("[1,  2] "), "[1,2]");
    assert_eq!(canonical("'a  b'"), "'a  b'");
}
