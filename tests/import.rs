//! Bulk import: round trips through the CSV and JSON lines exports, one
//! test per class of bad input (each checks the `file:line` of the message
//! and that neither the store file nor an in-memory graph changed), the skip
//! options and their report, appending, schemas, and a hand-made Neo4j-style
//! CSV set in `tests/import_fixtures/`.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use factgraph::export::{self, Subgraph};
use factgraph::gen::{generate, GenConfig};
use factgraph::import::{
    self, schema_file, BadKind, IdType, ImportError, ImportOptions, ImportSummary, InputGroup,
    Phase, Progress,
};
use factgraph::model::{Date, PropType, Schema, Value};
use factgraph::store::{codec, Graph, NodeId};
use tempfile::TempDir;

// ---- helpers ----

fn seed() -> Graph {
    factgraph::seed::graph().unwrap_or_else(|e| panic!("seed graph does not load:\n{e}"))
}

fn tmp() -> TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    fs::write(&p, bytes).expect("write a test file");
    p
}

fn gzip(path: &Path) -> PathBuf {
    let out = PathBuf::from(format!("{}.gz", path.display()));
    let mut enc = flate2::write::GzEncoder::new(
        fs::File::create(&out).expect("create gz"),
        flate2::Compression::fast(),
    );
    enc.write_all(&fs::read(path).expect("read"))
        .expect("compress");
    enc.finish().expect("finish gz");
    out
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/import_fixtures")
        .join(name)
}

fn quiet() -> impl FnMut(&Progress) {
    |_: &Progress| {}
}

fn nodes(files: &[&Path]) -> InputGroup {
    InputGroup::new(files.iter().map(|p| p.to_path_buf()))
}

/// Options for a CSV export's files: the documents, then the nodes, then the relationships.
fn csv_options(db: &Path, (docs, n, r): &(PathBuf, PathBuf, PathBuf)) -> ImportOptions {
    let mut o = options(db, &[docs], &[r]);
    o.nodes.push(nodes(&[n]));
    o
}

/// Options for the store `db` with the given node and relationship files (one group each).
fn options(db: &Path, node_files: &[&Path], rel_files: &[&Path]) -> ImportOptions {
    let mut o = ImportOptions::new(db);
    if !node_files.is_empty() {
        o.nodes.push(nodes(node_files));
    }
    if !rel_files.is_empty() {
        o.relationships.push(nodes(rel_files));
    }
    o
}

fn run(o: &ImportOptions) -> Result<ImportSummary, ImportError> {
    import::import(o, &mut quiet())
}

/// Exports the whole of `g` as CSV (nodes.csv, relationships.csv) plus the
/// documents its provenance cites (documents.jsonl).
fn export_csv(g: &Graph, dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let sub = Subgraph::whole(g);
    let files = export::write_csv_files(g, &sub, &dir.join("csv/")).expect("CSV export");
    let docs = dir.join("csv/documents.jsonl");
    let mut out = Vec::new();
    import::write_documents_jsonl(g, &sub, &mut out).expect("documents");
    fs::write(&docs, out).expect("write documents");
    (docs, files[0].clone(), files[1].clone())
}

fn export_jsonl(g: &Graph, dir: &Path) -> PathBuf {
    let mut out = Vec::new();
    import::write_jsonl(g, &Subgraph::whole(g), &mut out).expect("JSONL export");
    write(dir, "graph.jsonl", out)
}

/// A test-friendly description of every difference that matters, so a failed
/// round trip says what differs instead of just `false`.
fn assert_same(a: &Graph, b: &Graph) {
    assert_eq!(a.node_count(), b.node_count(), "node counts");
    assert_eq!(a.edge_count(), b.edge_count(), "relationship counts");
    assert_eq!(a.label_counts(), b.label_counts(), "label counts");
    assert_eq!(a.type_counts(), b.type_counts(), "type counts");
    for id in a.node_ids() {
        assert_eq!(a.node(id), b.node(id), "node {id}");
    }
    for id in a.edge_ids() {
        assert_eq!(a.edge(id), b.edge(id), "relationship {id}");
        assert_eq!(a.endpoints(id), b.endpoints(id), "endpoints of {id}");
    }
    let docs = |g: &Graph| g.documents().cloned().collect::<Vec<_>>();
    assert_eq!(docs(a), docs(b), "documents");
    assert!(a.same_as(b), "same_as (schema or indexes differ)");
}

/// A store holding the seed graph, and its bytes.
fn seed_store(dir: &Path) -> (PathBuf, Vec<u8>) {
    let db = dir.join("seed.fg");
    codec::save(&seed(), &db).expect("save the seed store");
    let bytes = fs::read(&db).expect("read the store");
    (db, bytes)
}

/// Runs `o` against an existing store (with `--append`) and against an
/// in-memory copy of the seed graph, expects both to fail with a message
/// containing `expected`, and checks that neither the store's bytes nor the
/// graph changed. Returns the error of the store import.
fn assert_fails(dir: &Path, o: &ImportOptions, expected: &str, kind: BadKind) -> ImportError {
    let (db, before) = seed_store(dir);
    let mut o = o.clone();
    o.db = db.clone();
    o.append = true;
    let err = run(&o).expect_err("the import must fail");
    let msg = err.to_string();
    assert!(msg.contains(expected), "message {msg:?} lacks {expected:?}");
    assert_eq!(err.bad_row().map(|b| b.kind), Some(kind), "{msg}");
    assert!(err.is_user_error());
    assert_eq!(fs::read(&db).unwrap(), before, "the store file changed");

    let mut g = seed();
    let mut g_before = seed();
    // A graph that took some changes keeps them when an import fails.
    for graph in [&mut g, &mut g_before] {
        graph
            .add_node(
                vec!["City".into()],
                BTreeMap::from([("name".into(), Value::from("Geneva"))]),
                vec![],
            )
            .unwrap();
    }
    let err2 = import::import_into(&mut g, &o, &mut quiet()).expect_err("import_into must fail");
    assert!(err2.to_string().contains(expected), "{err2}");
    assert_same(&g, &g_before);

    // Into a new store: nothing is created.
    let fresh = dir.join("fresh.fg");
    o.db = fresh.clone();
    o.append = false;
    let err3 = run(&o).expect_err("a fresh import must fail");
    assert!(err3.to_string().contains(expected), "{err3}");
    assert!(!fresh.exists(), "a failed import created the store");
    err
}

const PEOPLE: &str = "id:ID,:LABEL,name\na,Person,Anna\nb,Person,Boris\n";

// ---- round trips ----

#[test]
fn seed_graph_round_trips_through_csv_exactly() {
    let dir = tmp();
    let g = seed();
    let files = export_csv(&g, dir.path());
    let header = fs::read_to_string(&files.1).unwrap();
    assert!(header
        .lines()
        .next()
        .unwrap()
        .ends_with(",provenance:string"));
    let db = dir.path().join("g.fg");
    let o = csv_options(&db, &files);
    let summary = run(&o).expect("import");
    assert_eq!(summary.nodes as usize, g.node_count());
    assert_eq!(summary.relationships as usize, g.edge_count());
    assert_eq!(summary.documents, 1);
    assert_eq!(summary.skipped, 0);
    let per_label: BTreeMap<String, u64> = g
        .label_counts()
        .into_iter()
        .map(|(k, v)| (k, v as u64))
        .collect();
    assert_eq!(summary.nodes_by_label, per_label);
    let back = codec::load(&db).expect("load the imported store");
    assert_same(&g, &back);
    // The summary prints counts per label and type.
    let text = summary.to_string();
    assert!(
        text.contains(":Person") && text.contains("[:HOLDS]"),
        "{text}"
    );
}

#[test]
fn generated_graph_round_trips_through_gzipped_csv() {
    let dir = tmp();
    let g = generate(&GenConfig::with_nodes(3000, 11));
    let (docs, n, r) = export_csv(&g, dir.path());
    let files = (docs, gzip(&n), gzip(&r));
    let mut back = Graph::new(Schema::news());
    let o = csv_options(&dir.path().join("unused.fg"), &files);
    let s = import::import_into(&mut back, &o, &mut quiet()).expect("import");
    assert_eq!(s.nodes as usize, g.node_count());
    assert_same(&g, &back);
}

#[test]
fn seed_and_generated_graphs_round_trip_through_json_lines() {
    for (name, g) in [
        ("seed", seed()),
        ("generated", generate(&GenConfig::with_nodes(2000, 5))),
    ] {
        let dir = tmp();
        let file = export_jsonl(&g, dir.path());
        let first = fs::read_to_string(&file).unwrap();
        assert!(first.starts_with("{\"type\":\"document\""), "{name}");
        let db = dir.path().join("g.fg");
        // A JSON lines file may be given as nodes or as relationships.
        let mut o = ImportOptions::new(&db);
        o.relationships.push(nodes(&[&file]));
        run(&o).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_same(&g, &codec::load(&db).unwrap());
    }
}

#[test]
fn json_lines_keep_empty_lists_non_finite_floats_and_partial_dates() {
    let mut g = Graph::default();
    let mut p = BTreeMap::new();
    p.insert("name".to_string(), Value::from("Nowhere"));
    p.insert("demonyms".to_string(), Value::List(vec![]));
    g.add_node(vec!["Country".into()], p, vec![]).unwrap();
    for x in [f64::NAN, f64::INFINITY, 1e300, -0.5] {
        let p = BTreeMap::from([("value".to_string(), Value::Float(x))]);
        g.add_node(vec!["Quantity".into()], p, vec![]).unwrap();
    }
    let p = BTreeMap::from([
        ("name".to_string(), Value::from("War")),
        ("date".to_string(), Value::Date(Date::ym(2022, 2).unwrap())),
    ]);
    g.add_node(vec!["Event".into()], p, vec![]).unwrap();
    let dir = tmp();
    let file = export_jsonl(&g, dir.path());
    let mut back = Graph::default();
    import::import_into(
        &mut back,
        &options(Path::new("x"), &[&file], &[]),
        &mut quiet(),
    )
    .expect("import");
    // NaN is not equal to itself, so compare the text of every node.
    for id in g.node_ids() {
        assert_eq!(
            format!("{:?}", g.node(id)),
            format!("{:?}", back.node(id)),
            "{id}"
        );
    }
}

/// Times, date-times and durations survive a CSV export and import: the
/// header names neo4j-admin's types (`datetime`, `duration[]` ...) and the
/// fields are ISO text.
#[test]
fn temporal_properties_round_trip_through_csv() {
    let mut g = Graph::new(Schema::open());
    factgraph::query::run(
        &mut g,
        "CREATE (:T {key: 'a', lt: localtime('12:30:00.5'), t: time('12:30+01:00'), \
         ldt: localdatetime('2015-07-21T21:40'), \
         dt: datetime('2017-10-29T04:00[Europe/Stockholm]'), \
         utc: datetime('2015-01-01T00:00Z'), \
         d: [duration('P1Y2M3DT4H'), duration('-PT0.5S')]})-[:R {at: datetime('2020-02-29T23:59:59.999999999-05:00')}]->(:T {key: 'b'})",
        &factgraph::query::Params::new(),
    )
    .expect("create");
    let dir = tmp();
    let files = export_csv(&g, dir.path());
    let header = fs::read_to_string(&files.1).unwrap();
    let first = header.lines().next().unwrap().to_string();
    for col in [
        "d:duration[]",
        "dt:datetime",
        "ldt:localdatetime",
        "lt:localtime",
        "t:time",
    ] {
        assert!(first.contains(col), "{col} in {first}");
    }
    assert!(
        header.contains("2017-10-29T04:00+01:00[Europe/Stockholm]"),
        "{header}"
    );
    let mut back = Graph::new(Schema::open());
    import::import_into(
        &mut back,
        &csv_options(Path::new("x"), &files),
        &mut quiet(),
    )
    .expect("import");
    // An open schema keeps the `id` column as a property; everything else is as it was.
    assert_eq!(g.node_count(), back.node_count());
    for id in g.node_ids() {
        let mut props = back.node(id).unwrap().props.clone();
        props.remove("id");
        assert_eq!(g.node(id).unwrap().props, props, "node {id}");
    }
    for id in g.edge_ids() {
        assert_eq!(g.edge(id), back.edge(id), "relationship {id}");
    }
}

// ---- a hand-made Neo4j-style set ----

/// The movie set: a separate header file, multi-label nodes, two ID spaces
/// (integer and string), arrays, quoted commas and line breaks, `:IGNORE`,
/// a BOM and CRLF line ends, a group type, and a declared schema.
fn movie_options(db: &Path) -> ImportOptions {
    let mut o = ImportOptions::new(db);
    o.schema = Some(fixture("movies/schema.txt"));
    o.nodes.push(InputGroup::new([
        fixture("movies/movies-header.csv"),
        fixture("movies/movies.csv"),
    ]));
    o.nodes.push(InputGroup::with_labels(
        &["Person"],
        [fixture("movies/people.csv")],
    ));
    o.relationships
        .push(InputGroup::new([fixture("movies/roles.csv")]));
    o.relationships.push(InputGroup::with_labels(
        &["DIRECTED"],
        [fixture("movies/directed.csv")],
    ));
    o
}

fn node_by(g: &Graph, label: &str, key: &str, value: Value) -> NodeId {
    let found = g.find_nodes(label, key, &value);
    assert_eq!(found.len(), 1, ":{label} {{{key}: {value}}}");
    found[0]
}

#[test]
fn neo4j_style_csv_set_imports_with_the_right_counts_and_types() {
    let dir = tmp();
    let db = dir.path().join("movies.fg");
    let s = run(&movie_options(&db)).expect("import the movie set");
    assert_eq!(s.nodes, 9);
    assert_eq!(s.relationships, 7);
    assert_eq!(
        s.nodes_by_label,
        BTreeMap::from([
            ("Actor".into(), 4),
            ("Director".into(), 2),
            ("Movie".into(), 3),
            ("Person".into(), 6),
            ("Sequel".into(), 2),
        ])
    );
    assert_eq!(
        s.relationships_by_type,
        BTreeMap::from([("ACTED_IN".into(), 5), ("DIRECTED".into(), 2)])
    );
    let g = codec::load(&db).unwrap();
    let reloaded = node_by(&g, "Movie", "title", Value::from("The Matrix, Reloaded"));
    let m = g.node(reloaded).unwrap();
    assert_eq!(m.labels, vec!["Movie".to_string(), "Sequel".to_string()]);
    assert_eq!(
        m.props["movieId"],
        Value::Int(2),
        "named integer id is stored"
    );
    assert_eq!(
        m.props["released"],
        Value::Date(Date::ymd(2003, 5, 15).unwrap())
    );
    assert!(matches!(m.props["rating"], Value::Float(x) if x == 7.2));
    assert!(!m.props.contains_key("budget"), ":IGNORE column");
    let keanu = node_by(&g, "Person", "name", Value::from("Keanu Reeves"));
    let k = g.node(keanu).unwrap();
    assert_eq!(
        k.props["aliases"],
        Value::List(vec!["Neo".into(), "John Wick".into()])
    );
    assert_eq!(k.props["born"], Value::Int(1964));
    assert_eq!(k.props["active"], Value::Bool(true));
    assert_eq!(k.labels, vec!["Actor".to_string(), "Person".to_string()]);
    let carrie = node_by(&g, "Person", "name", Value::from("Carrie-Anne Moss"));
    assert_eq!(g.node(carrie).unwrap().props["active"], Value::Bool(false));
    assert!(!g.node(carrie).unwrap().props.contains_key("aliases"));
    let bio = &g
        .node(node_by(&g, "Person", "name", Value::from("Lana Wachowski")))
        .unwrap()
        .props["bio"];
    assert_eq!(bio, &Value::from("Writer, director\nand \"producer\""));
    let roles: Vec<Value> = g
        .edges_with_type("ACTED_IN")
        .filter_map(|e| g.edge(e).unwrap().props.get("roles").cloned())
        .collect();
    assert!(roles.contains(&Value::List(vec![
        "Neo".into(),
        "Thomas A. Anderson".into()
    ])));
}

#[test]
fn an_inferred_schema_reads_the_same_set_without_a_schema_file() {
    let dir = tmp();
    let db = dir.path().join("movies.fg");
    let mut o = movie_options(&db);
    o.schema = None;
    o.infer_schema = true;
    let schema = import::infer_schema(&o, &mut quiet()).expect("infer");
    assert_eq!(
        schema.labels.keys().cloned().collect::<Vec<_>>(),
        ["Actor", "Director", "Movie", "Person", "Sequel"]
    );
    let movie = &schema.labels["Movie"].properties;
    assert_eq!(movie["movieId"].ty, PropType::Int);
    assert_eq!(movie["released"].ty, PropType::Date);
    assert_eq!(
        movie["title"].ty,
        PropType::String,
        "untyped columns are strings"
    );
    assert_eq!(
        schema.labels["Person"].properties["aliases"].ty,
        PropType::List(Box::new(PropType::String))
    );
    assert!(schema.rel_types["ACTED_IN"].from.is_empty());
    let s = run(&o).expect("import with the inferred schema");
    assert_eq!((s.nodes, s.relationships), (9, 7));
    assert_eq!(codec::load(&db).unwrap().schema(), &schema);
    // The inferred schema can be written as a schema file and read back.
    let text = schema_file::format_schema(&schema);
    assert_eq!(schema_file::parse_schema(&text).unwrap(), schema);
}

#[test]
fn news_schema_types_untyped_columns_and_integer_ids() {
    let dir = tmp();
    let n = write(
        dir.path(),
        "plans.csv",
        "pid:ID(Plan),:LABEL,name,points,date\n7,Proposal,Plan,28,\n007,Event,Talks,,2025-11\n",
    );
    let mut o = options(&dir.path().join("g.fg"), &[&n], &[]);
    o.id_type = IdType::Integer;
    let err = run(&o).expect_err("007 and 7 are one integer id");
    assert!(
        err.to_string()
            .contains("plans.csv:3: column pid: id \"007\" is already used in ID space Plan"),
        "{err}"
    );
    o.id_type = IdType::String;
    run(&o).expect("string ids differ");
    let g = codec::load(&o.db).unwrap();
    let plan = node_by(&g, "Proposal", "name", Value::from("Plan"));
    assert_eq!(g.node(plan).unwrap().props["points"], Value::Int(28));
    let talks = node_by(&g, "Event", "name", Value::from("Talks"));
    assert_eq!(
        g.node(talks).unwrap().props["date"],
        Value::Date(Date::ym(2025, 11).unwrap())
    );
    assert!(
        !g.node(plan).unwrap().props.contains_key("pid"),
        "pid is not in the news schema"
    );
}

// ---- one test per class of bad input ----

#[test]
fn wrong_type_names_file_line_column_and_value() {
    let dir = tmp();
    let f = write(
        dir.path(),
        "plans.csv",
        "id:ID,:LABEL,name,points:int\np1,Proposal,Plan A,28\np2,Proposal,Plan B,19x4\n",
    );
    assert_fails(
        dir.path(),
        &options(Path::new(""), &[&f], &[]),
        "plans.csv:3: column points: \"19x4\" is not an int",
        BadKind::WrongType,
    );
    // A column whose type the schema refuses.
    let f = write(
        dir.path(),
        "plans2.csv",
        "id:ID,:LABEL,name,points:string\np1,Proposal,Plan A,many\n",
    );
    assert_fails(
        dir.path(),
        &options(Path::new(""), &[&f], &[]),
        "plans2.csv:2: column points: property \"points\" of :Proposal must be INTEGER",
        BadKind::WrongType,
    );
}

#[test]
fn unknown_label_is_an_error_with_a_suggestion() {
    let dir = tmp();
    let f = write(
        dir.path(),
        "people.csv",
        "id:ID,:LABEL,name\na,Person,Anna\nb,Persn,Boris\n",
    );
    assert_fails(
        dir.path(),
        &options(Path::new(""), &[&f], &[]),
        "people.csv:3: column :LABEL: unknown label :Persn (did you mean :Person?)",
        BadKind::Schema,
    );
}

#[test]
fn wrong_endpoint_labels_are_an_error() {
    let dir = tmp();
    let n = write(
        dir.path(),
        "nodes.csv",
        "id:ID,:LABEL,name\na,Person,Anna\nr,Role,Envoy\n",
    );
    let r = write(
        dir.path(),
        "rels.csv",
        ":START_ID,:END_ID,:TYPE\na,r,HOLDS\nr,a,HOLDS\n",
    );
    assert_fails(
        dir.path(),
        &options(Path::new(""), &[&n], &[&r]),
        "rels.csv:3: column :START_ID: [:HOLDS] cannot start at a node labelled :Role",
        BadKind::Schema,
    );
}

#[test]
fn missing_id_is_an_error() {
    let dir = tmp();
    let f = write(
        dir.path(),
        "people.csv",
        "id:ID,:LABEL,name\na,Person,Anna\n,Person,Boris\n",
    );
    assert_fails(
        dir.path(),
        &options(Path::new(""), &[&f], &[]),
        "people.csv:3: column id: the id is empty",
        BadKind::MissingId,
    );
}

#[test]
fn duplicate_id_is_an_error() {
    let dir = tmp();
    let f = write(
        dir.path(),
        "people.csv",
        "id:ID(P),:LABEL,name\na,Person,Anna\nb,Person,Boris\na,Person,Anna again\n",
    );
    assert_fails(
        dir.path(),
        &options(Path::new(""), &[&f], &[]),
        "people.csv:4: column id: id \"a\" is already used in ID space P",
        BadKind::DuplicateId,
    );
}

#[test]
fn dangling_endpoint_is_an_error() {
    let dir = tmp();
    let n = write(dir.path(), "people.csv", PEOPLE);
    let r = write(
        dir.path(),
        "meets.csv",
        ":START_ID,:END_ID,:TYPE\na,b,MEETS\na,zz,MEETS\n",
    );
    assert_fails(
        dir.path(),
        &options(Path::new(""), &[&n], &[&r]),
        "meets.csv:3: column :END_ID: no node has id \"zz\" in ID space (global)",
        BadKind::DanglingEndpoint,
    );
}

#[test]
fn ragged_row_is_an_error() {
    let dir = tmp();
    let f = write(
        dir.path(),
        "people.csv",
        "id:ID,:LABEL,name\na,Person,Anna\nb,Person\n",
    );
    assert_fails(
        dir.path(),
        &options(Path::new(""), &[&f], &[]),
        "people.csv:3: the row has 2 field(s) but the nodes header has 3: column name and after are missing",
        BadKind::Ragged,
    );
    let f = write(
        dir.path(),
        "wide.csv",
        "id:ID,:LABEL,name\na,Person,Anna,extra\n",
    );
    assert_fails(
        dir.path(),
        &options(Path::new(""), &[&f], &[]),
        "wide.csv:2: the row has 4 field(s) but the nodes header has 3",
        BadKind::Ragged,
    );
}

#[test]
fn bad_quoting_is_an_error() {
    let dir = tmp();
    let f = write(
        dir.path(),
        "people.csv",
        "id:ID,:LABEL,name\na,Person,Anna\nb,Person,\"Boris\nc,Person,Carla\n",
    );
    assert_fails(
        dir.path(),
        &options(Path::new(""), &[&f], &[]),
        "people.csv:3: column name: a quoted field is never closed",
        BadKind::Quoting,
    );
    let f = write(
        dir.path(),
        "after.csv",
        "id:ID,:LABEL,name\na,Person,\"Anna\"x\n",
    );
    assert_fails(
        dir.path(),
        &options(Path::new(""), &[&f], &[]),
        "after.csv:2: column name: unexpected 'x' after the closing quote",
        BadKind::Quoting,
    );
}

#[test]
fn bad_utf8_is_an_error() {
    let dir = tmp();
    let f = write(
        dir.path(),
        "people.csv",
        b"id:ID,:LABEL,name\na,Person,Anna\nb,Person,Bor\xefs\n".as_slice(),
    );
    assert_fails(
        dir.path(),
        &options(Path::new(""), &[&f], &[]),
        "people.csv:3: column name: the field is not valid UTF-8",
        BadKind::Utf8,
    );
    let j = write(
        dir.path(),
        "g.jsonl",
        b"{\"type\":\"node\",\"id\":\"a\",\"labels\":[\"Person\"],\"properties\":{\"name\":\"A\xff\"}}\n"
            .as_slice(),
    );
    assert_fails(
        dir.path(),
        &options(Path::new(""), &[&j], &[]),
        "g.jsonl:1: the line is not valid UTF-8",
        BadKind::Utf8,
    );
}

#[test]
fn empty_file_is_an_error() {
    let dir = tmp();
    let f = write(dir.path(), "people.csv", "");
    assert_fails(
        dir.path(),
        &options(Path::new(""), &[&f], &[]),
        "people.csv:1: the file is empty: the first file of a group must start with a header line",
        BadKind::Empty,
    );
}

#[test]
fn header_only_is_an_error_when_nothing_else_has_rows() {
    let dir = tmp();
    let f = write(dir.path(), "people.csv", "id:ID,:LABEL,name\n");
    assert_fails(
        dir.path(),
        &options(Path::new(""), &[&f], &[]),
        "people.csv:1: header only: the inputs hold no rows",
        BadKind::Empty,
    );
    // Beside a group with rows, a header-only group is only a warning.
    let n = write(dir.path(), "more.csv", PEOPLE);
    let r = write(dir.path(), "rels.csv", ":START_ID,:END_ID,:TYPE\n");
    let s = run(&options(&dir.path().join("ok.fg"), &[&n], &[&r])).expect("import");
    assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
    assert!(s.warnings[0].ends_with("rels.csv:1: header only, no rows"));
}

#[test]
fn bad_headers_and_json_lines_name_their_place() {
    let dir = tmp();
    let f = write(dir.path(), "people.csv", "id:ID,:LABEL,born:integr\n");
    assert_fails(
        dir.path(),
        &options(Path::new(""), &[&f], &[]),
        "people.csv:1: column born:integr: unknown type \"integr\"",
        BadKind::Header,
    );
    let j = write(
        dir.path(),
        "g.jsonl",
        "{\"type\":\"node\",\"id\":\"a\",\"labels\":[\"Person\"],\"properties\":{\"name\":\"A\"}}\n\n{\"type\":\"node\",\"id\":\"b\",\n",
    );
    assert_fails(
        dir.path(),
        &options(Path::new(""), &[&j], &[]),
        "g.jsonl:3: not valid JSON",
        BadKind::Json,
    );
    let j = write(
        dir.path(),
        "h.jsonl",
        "{\"type\":\"node\",\"id\":\"a\",\"labels\":[\"Event\"],\"properties\":{\"name\":\"A\",\"date\":\"soon\"}}\n",
    );
    assert_fails(
        dir.path(),
        &options(Path::new(""), &[&j], &[]),
        "h.jsonl:1: field properties.date: invalid date \"soon\"",
        BadKind::WrongType,
    );
}

#[test]
fn provenance_naming_a_missing_document_is_an_error() {
    let dir = tmp();
    let f = write(
        dir.path(),
        "people.csv",
        "id:ID,:LABEL,name,provenance:string\na,Person,Anna,\"[{\"\"document\"\":\"\"nope\"\",\"\"sentence\"\":1,\"\"start\"\":0,\"\"end\"\":4,\"\"method\"\":\"\"x\"\"}]\"\n",
    );
    assert_fails(
        dir.path(),
        &options(Path::new(""), &[&f], &[]),
        "people.csv:2: column provenance: provenance names document \"nope\", which is not in the store",
        BadKind::Provenance,
    );
}

// ---- skipping bad rows ----

#[test]
fn skip_bad_relationships_reports_exactly_the_bad_rows() {
    let dir = tmp();
    let n = write(
        dir.path(),
        "nodes.csv",
        "id:ID,:LABEL,name\na,Person,Anna\nb,Person,Boris\nr,Role,Envoy\n",
    );
    let r = write(
        dir.path(),
        "rels.csv",
        ":START_ID,:END_ID,:TYPE,date:date\n\
         a,b,MEETS,2025-11\n\
         a,zz,MEETS,\n\
         r,a,HOLDS,\n\
         a,r,HOLDS,\n\
         b,a,MEETS,next week\n\
         b,a,MEETS\n\
         a,r,HOLDS,2024\n",
    );
    let report = dir.path().join("import.report");
    let mut o = options(&dir.path().join("g.fg"), &[&n], &[&r]);
    o.skip_bad_relationships = true;
    o.report_file = Some(report.clone());
    let s = run(&o).expect("bad relationships are skipped");
    assert_eq!((s.nodes, s.relationships, s.skipped), (3, 3, 4));
    let rp = r.display();
    let expected = vec![
        format!("{rp}:3: column :END_ID: no node has id \"zz\" in ID space (global)"),
        format!("{rp}:4: column :START_ID: [:HOLDS] cannot start at a node labelled :Role; allowed: :Person"),
        format!("{rp}:6: column date: \"next week\" is not a date"),
        format!("{rp}:7: the row has 3 field(s) but the relationships header has 4: column date and after are missing"),
    ];
    let lines: Vec<String> = fs::read_to_string(&report)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(lines, expected);
    assert_eq!(
        s.skipped_rows
            .iter()
            .map(|b| b.to_string())
            .collect::<Vec<_>>(),
        expected
    );
    assert_eq!(s.skipped_by_kind[&BadKind::DanglingEndpoint], 1);
    assert!(s.to_string().contains("skipped 4 bad row(s)"), "{s}");
    assert_eq!(codec::load(&o.db).unwrap().edge_count(), 3);

    // One fewer tolerated than there are: the import fails and writes nothing.
    let mut o2 = o.clone();
    o2.db = dir.path().join("g2.fg");
    o2.bad_tolerance = 3;
    let err = run(&o2).expect_err("over the tolerance");
    assert!(
        matches!(err, ImportError::TooManyBad { tolerance: 3, .. }),
        "{err}"
    );
    assert!(
        err.to_string().contains(":7: the row has 3 field(s)"),
        "{err}"
    );
    assert!(!o2.db.exists());

    // Without the option the first bad row fails the import.
    let mut o3 = o.clone();
    o3.db = dir.path().join("g3.fg");
    o3.skip_bad_relationships = false;
    let err = run(&o3).expect_err("strict");
    assert!(
        err.to_string().contains("rels.csv:3: column :END_ID"),
        "{err}"
    );
}

#[test]
fn skip_duplicate_nodes_reports_them_and_keeps_the_first() {
    let dir = tmp();
    let n = write(
        dir.path(),
        "people.csv",
        "id:ID,:LABEL,name\na,Person,Anna\nb,Person,Boris\na,Person,Anna again\nc,Person,Carla\nb,Person,Boris again\n",
    );
    let r = write(
        dir.path(),
        "meets.csv",
        ":START_ID,:END_ID,:TYPE\na,b,MEETS\n",
    );
    let report = dir.path().join("dups.report");
    let mut o = options(&dir.path().join("g.fg"), &[&n], &[&r]);
    o.skip_duplicate_nodes = true;
    o.report_file = Some(report.clone());
    let s = run(&o).expect("duplicates are skipped");
    assert_eq!((s.nodes, s.relationships, s.skipped), (3, 1, 2));
    let text = fs::read_to_string(&report).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(
        lines[0].ends_with(
            "people.csv:4: column id: id \"a\" is already used in ID space (global) (by node n0)"
        ),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].contains("people.csv:6: column id: id \"b\""),
        "{}",
        lines[1]
    );
    let g = codec::load(&o.db).unwrap();
    let anna = node_by(&g, "Person", "name", Value::from("Anna"));
    assert_eq!(g.degree(anna), 1);
    // A node with another problem is not a duplicate and still fails the import.
    let bad = write(dir.path(), "bad.csv", "id:ID,:LABEL,name\na,Persn,Anna\n");
    o.nodes = vec![nodes(&[&bad])];
    o.relationships.clear();
    o.force = true;
    assert!(run(&o)
        .unwrap_err()
        .to_string()
        .contains("bad.csv:2: column :LABEL"));
}

// ---- stores: refuse, replace, append ----

#[test]
fn an_existing_store_is_refused_replaced_or_appended_to() {
    let dir = tmp();
    let (db, before) = seed_store(dir.path());
    let n = write(
        dir.path(),
        "people.csv",
        "key:ID,:LABEL,name\nanna,Person,Anna\nboris,Person,Boris\n",
    );
    let mut o = options(&db, &[&n], &[]);
    let err = run(&o).expect_err("refused");
    assert!(matches!(err, ImportError::StoreExists(_)), "{err}");
    assert_eq!(fs::read(&db).unwrap(), before);

    // --append: new nodes, and relationships to existing nodes by their key.
    let r = write(
        dir.path(),
        "meets.csv",
        ":START_ID,:END_ID,:TYPE\nanna,witkoff,MEETS\nanna,boris,MEETS\n",
    );
    o.append = true;
    o.relationships.push(nodes(&[&r]));
    let s = run(&o).expect("append");
    assert_eq!((s.nodes, s.relationships), (2, 2));
    let g = codec::load(&db).unwrap();
    let seed = seed();
    assert_eq!(g.node_count(), seed.node_count() + 2);
    let anna = g.node_by_key("anna").expect("the key column is stored");
    let witkoff = g.node_by_key("witkoff").unwrap();
    assert!(g.find_edge(anna, witkoff, "MEETS").is_some());

    // Appending the same nodes again: their ids are keys already in the store.
    let after = fs::read(&db).unwrap();
    let err = run(&o).expect_err("duplicates");
    assert!(
        err.to_string()
            .contains("people.csv:2: column key: id \"anna\" is the key of node"),
        "{err}"
    );
    assert_eq!(fs::read(&db).unwrap(), after);

    // --append keeps the store's schema.
    let mut o2 = o.clone();
    o2.infer_schema = true;
    assert!(matches!(run(&o2), Err(ImportError::Usage(_))));

    // --force replaces the store, atomically once the import succeeded.
    let mut o3 = options(&db, &[&n], &[]);
    o3.force = true;
    run(&o3).expect("force");
    assert_eq!(codec::load(&db).unwrap().node_count(), 2);
}

#[test]
fn a_schema_file_that_does_not_parse_names_line_and_column() {
    let dir = tmp();
    let schema = write(dir.path(), "s.txt", "node Person\n    name: STRNG\n");
    let n = write(dir.path(), "people.csv", PEOPLE);
    let mut o = options(&dir.path().join("g.fg"), &[&n], &[]);
    o.schema = Some(schema);
    let err = run(&o).expect_err("bad schema");
    assert!(
        err.to_string()
            .contains("s.txt:2:11: unknown type \"STRNG\""),
        "{err}"
    );
    assert!(!o.db.exists());
}

#[test]
fn options_that_cannot_work_together_are_refused() {
    let dir = tmp();
    let n = write(dir.path(), "people.csv", PEOPLE);
    let mut o = options(&dir.path().join("g.fg"), &[&n], &[]);
    o.delimiter = b';';
    assert!(matches!(run(&o), Err(ImportError::Usage(m)) if m.contains("must differ")));
    let o = ImportOptions::new(dir.path().join("g.fg"));
    assert!(matches!(run(&o), Err(ImportError::Usage(_))));
    assert_eq!(import::parse_char_option("TAB"), Ok(b'\t'));
    assert!(import::parse_char_option("ab").is_err());
    assert_eq!(
        InputGroup::parse("Person:Envoy=a.csv,b.csv").unwrap(),
        InputGroup::with_labels(&["Person", "Envoy"], ["a.csv", "b.csv"])
    );
    assert_eq!(
        InputGroup::parse("r.csv").unwrap(),
        InputGroup::new(["r.csv"])
    );
}

#[test]
fn tab_delimited_files_with_a_custom_quote() {
    let dir = tmp();
    let n = write(
        dir.path(),
        "people.tsv",
        "id:ID\t:LABEL\tname\taliases:string[]\na\tPerson\t'Anna\tthe ''first'''\tAnn|Annie\n",
    );
    let mut o = options(&dir.path().join("g.fg"), &[&n], &[]);
    o.delimiter = b'\t';
    o.quote = b'\'';
    o.array_delimiter = b'|';
    run(&o).expect("import");
    let g = codec::load(&o.db).unwrap();
    let a = node_by(&g, "Person", "name", Value::from("Anna\tthe 'first'"));
    assert_eq!(
        g.node(a).unwrap().props["aliases"],
        Value::List(vec!["Ann".into(), "Annie".into()])
    );
}

#[test]
fn progress_reports_phases_rows_and_bytes() {
    let dir = tmp();
    let g = generate(&GenConfig::with_nodes(12_000, 2));
    let files = export_csv(&g, dir.path());
    let o = csv_options(&dir.path().join("g.fg"), &files);
    let mut seen: Vec<(Phase, u64, u64, u64)> = Vec::new();
    let s = import::import(&o, &mut |p: &Progress| {
        seen.push((p.phase, p.rows, p.bytes_read, p.total_bytes));
        assert!(p.rows_per_sec() >= 0.0);
    })
    .expect("import");
    assert!(seen
        .iter()
        .any(|(ph, rows, ..)| *ph == Phase::Nodes && *rows >= 4096));
    assert!(seen.iter().any(|(ph, ..)| *ph == Phase::Relationships));
    assert_eq!(seen.last().unwrap().0, Phase::Saving);
    let last_nodes = seen.iter().rfind(|x| x.0 == Phase::Nodes).unwrap();
    assert_eq!(last_nodes.2, last_nodes.3, "every node byte was read");
    assert_eq!(s.rows as usize, g.node_count() + g.edge_count());
}

#[test]
fn json_lines_groups_give_labels_and_types_and_format_overrides_the_extension() {
    let dir = tmp();
    let people = write(
        dir.path(),
        "people.txt",
        "{\"type\":\"node\",\"id\":1,\"properties\":{\"name\":\"Anna\",\"aliases\":[\"Ann\"]}}\r\n\
         {\"type\":\"node\",\"id\":\"2\",\"labels\":[\"Person\"],\"properties\":{\"name\":\"Boris\",\"description\":null}}\n",
    );
    let meets = write(
        dir.path(),
        "meets.txt",
        "{\"type\":\"relationship\",\"start\":{\"id\":\"1\"},\"end\":2,\"properties\":{\"date\":\"2025-11\"}}\n\
         {\"type\":\"relationship\",\"label\":\"WILL_MEET\",\"start\":\"2\",\"end\":\"1\"}\n",
    );
    let meets = gzip(&meets);
    let mut o = ImportOptions::new(dir.path().join("g.fg"));
    o.format = Some(import::InputFormat::Jsonl);
    o.nodes.push(InputGroup::with_labels(&["Person"], [people]));
    o.relationships
        .push(InputGroup::with_labels(&["MEETS"], [meets]));
    let s = run(&o).expect("import");
    assert_eq!(s.nodes_by_label, BTreeMap::from([("Person".into(), 2)]));
    assert_eq!(
        s.relationships_by_type,
        BTreeMap::from([("MEETS".into(), 1), ("WILL_MEET".into(), 1)])
    );
    let g = codec::load(&o.db).unwrap();
    let anna = node_by(&g, "Person", "name", Value::from("Anna"));
    let boris = node_by(&g, "Person", "name", Value::from("Boris"));
    let meet = g.find_edge(anna, boris, "MEETS").expect("MEETS");
    assert_eq!(
        g.edge(meet).unwrap().props["date"],
        Value::Date(Date::ym(2025, 11).unwrap())
    );
    assert!(
        !g.node(boris).unwrap().props.contains_key("description"),
        "null is no property"
    );
}
