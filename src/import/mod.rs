//! Bulk import: neo4j-admin style CSV and JSON lines into a typed store.
//!
//! [`import`] builds (or, with `append`, extends) a store file from input
//! files; [`import_into`] does the same to a graph in memory. Both are
//! all-or-nothing: a bad row that no skip option covers fails the import and
//! nothing is written (the store file keeps its bytes; an in-memory graph is
//! rolled back). [`ImportOptions`] mirrors the `factgraph import` flags one
//! to one.
//!
//! # CSV
//!
//! Files follow the header conventions of `neo4j-admin database import`.
//! Inputs come in *groups* (`--nodes=Person a.csv,b.csv`): the first line of
//! the first file of a group is the header, every other line of every file
//! of the group is data, so a separate header file is simply a first file
//! holding only the header. Header cells:
//!
//! | cell | meaning |
//! |---|---|
//! | `personId:ID(Person)` | node id in the ID space `Person`; named, so also stored as property `personId` when the schema declares it |
//! | `:ID` | node id in the global ID space, not stored |
//! | `:ID(Person){id-type:integer}` | ids of this space are integers (`--id-type` sets the default) |
//! | `:LABEL` | labels, split by the array delimiter (`Person;Envoy`) |
//! | `:START_ID(Person)`, `:END_ID(Role)` | relationship endpoints, looked up in the ID spaces |
//! | `:TYPE` | relationship type (may be absent when the group names one: `--relationships=HOLDS`) |
//! | `born:int`, `score:float`, `active:boolean`, `day:date`, `name:string` | typed properties (`int`, `long`, `short`, `byte`: 64-bit integers; `float`, `double`; `char` is a string) |
//! | `aliases:string[]` | arrays, items split by the array delimiter |
//! | `name` | no type: the schema's type for the property, else string |
//! | `x:IGNORE` | skipped |
//! | `provenance` (any type) | factgraph provenance as JSON, see below |
//!
//! An empty unquoted field is no property; a quoted empty field (`""`) is an
//! empty string. Booleans are `true` or `false` in any case; dates are
//! `YYYY`, `YYYY-MM` or `YYYY-MM-DD` and keep their precision; floats accept
//! `NaN`, `Infinity` and `-Infinity`. Values of non-string columns may be
//! surrounded by spaces. neo4j's other types (`point`, `duration`, times
//! and datetimes) are refused at the header: factgraph cannot store them.
//!
//! Fields may be quoted (with `--quote`), holding delimiters, doubled quotes
//! and line breaks; lines end in LF or CRLF; a UTF-8 byte-order mark is
//! skipped; gzip files are read transparently (recognised by their first
//! bytes). A quoted field that is never closed, text after a closing quote,
//! bytes that are not UTF-8 and rows with more or fewer fields than the
//! header are errors.
//!
//! **Provenance column.** A column whose property name is `provenance`
//! (`provenance:string` in factgraph's own CSV export) holds the element's
//! sources as a JSON array:
//! `[{"document":"doc1","sentence":3,"start":120,"end":141,"method":"facts"}]`
//! (`method` defaults to `import`; other fields, such as the `text` of the
//! JSON export, are ignored). neo4j-admin imports it as a plain string
//! property. The documents it names must be in the store already or be
//! given as `document` lines of a JSON lines input (see below), which
//! [`write_documents_jsonl`] writes for a subgraph.
//!
//! # JSON lines
//!
//! One object per line, in APOC's `apoc.export.json` shape plus factgraph's
//! provenance and documents. Files ending in `.jsonl`, `.ndjson` or `.json`
//! (optionally `.gz`) are JSON lines unless `--format` says otherwise.
//!
//! ```text
//! {"type":"document","id":"doc1","title":"...","source":"...","date":"2025-11","text":"...","sentences":[[0,57],[58,140]]}
//! {"type":"node","id":"n1","labels":["Person"],"properties":{"name":"Steve Witkoff","aliases":["Witkoff"]},"provenance":[{"document":"doc1","sentence":1,"start":4,"end":17,"method":"facts"}]}
//! {"type":"relationship","id":"r0","label":"HOLDS","start":{"id":"n1","labels":["Person"]},"end":{"id":"n2","labels":["Role"]},"properties":{"date":"2025-11"}}
//! ```
//!
//! - `node`: `id` (string or integer, required), `labels`, `properties`,
//!   optional `provenance`.
//! - `relationship`: `label` is the type (as in APOC), `start` and `end` are
//!   node ids or APOC's `{"id": ..., "labels": [...]}`, optional
//!   `properties` and `provenance`; `id` is ignored.
//! - `document`: a source text provenance points into: `id`, `text`,
//!   optional `title` (default: the id), `source`, `date` and `sentences`
//!   (character spans; default: split from the text).
//!
//! Property values are JSON; dates are strings and become dates where the
//! schema declares DATE; non-finite floats are the strings `NaN`,
//! `Infinity`, `-Infinity` where the schema declares FLOAT. JSON ids live in
//! the global ID space (that of `:ID` without a space). All documents and
//! nodes of every input are imported before any relationship, so a JSON
//! lines file may list them in any order; give each file once.
//! [`write_jsonl`] writes exactly this shape.
//!
//! # Ids, duplicates and appending
//!
//! Ids are unique within their ID space. A store keeps no import ids: a
//! node's lasting handle is its `key` property. So when the graph already
//! holds nodes (`--append`), an imported id equal to the `key` of an
//! existing node is a duplicate, and a relationship endpoint that is not
//! among the imported ids is looked up as the `key` of an existing node.
//!
//! # Schema
//!
//! New stores get the news schema ([`Schema::news`]) unless `--schema FILE`
//! names a schema file (format in [`schema_file`]) or `--infer-schema`
//! derives one from the headers and the labels and types in the data (see
//! [`infer_schema`]). Every row is checked against it.
//!
//! # Bad rows
//!
//! Errors read `people.csv:18204: column born: "19x4" is not an int`. With
//! `--skip-duplicate-nodes`, nodes whose id is taken are skipped; with
//! `--skip-bad-relationships`, every relationship row that cannot be
//! imported (dangling endpoint, schema violation, bad value, ragged row) is
//! skipped. Skipped rows are written to the report file, one line each in
//! the error format, and counted in the summary; more than `--bad-tolerance`
//! of them fails the import. Broken quoting and bad headers are never skipped.

mod csv_reader;
mod error;
mod header;
mod ids;
mod infer;
mod jsonl;
pub mod merge;
mod run;
pub mod schema_file;
mod source;
mod values;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::model::Schema;
use crate::store::{codec, Graph};

pub use error::{BadKind, BadRow, ImportError};
pub use header::IdType;
pub use jsonl::{write_documents_jsonl, write_jsonl};

/// The format of an input file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum InputFormat {
    /// neo4j-admin style CSV with a header line.
    Csv,
    /// JSON lines: one document, node or relationship object per line.
    Jsonl,
}

impl InputFormat {
    /// The format a file's name suggests: `.jsonl`, `.ndjson` and `.json`
    /// (each optionally followed by `.gz`) are JSON lines, anything else CSV.
    pub fn from_path(path: &Path) -> InputFormat {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let name = name.strip_suffix(".gz").unwrap_or(&name);
        if [".jsonl", ".ndjson", ".json"]
            .iter()
            .any(|e| name.ends_with(e))
        {
            InputFormat::Jsonl
        } else {
            InputFormat::Csv
        }
    }
}

/// One `--nodes` or `--relationships` group: files read as one input.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct InputGroup {
    /// For nodes: labels every row of the group gets besides those of its
    /// `:LABEL` column (`--nodes=Person:Envoy` gives `["Person", "Envoy"]`).
    /// For relationships: at most one entry, the type of rows whose `:TYPE`
    /// is empty or absent (`--relationships=HOLDS`).
    pub labels: Vec<String>,
    /// The files, in order; for CSV the first line of the first file is the header.
    pub files: Vec<PathBuf>,
}

impl InputGroup {
    /// A group of `files` with no labels or type of its own.
    pub fn new(files: impl IntoIterator<Item = impl Into<PathBuf>>) -> InputGroup {
        InputGroup {
            labels: Vec::new(),
            files: files.into_iter().map(Into::into).collect(),
        }
    }

    /// A group of `files` whose rows all get `labels` (nodes) or the type `labels[0]`.
    pub fn with_labels(
        labels: &[&str],
        files: impl IntoIterator<Item = impl Into<PathBuf>>,
    ) -> InputGroup {
        InputGroup {
            labels: labels.iter().map(|l| l.to_string()).collect(),
            files: files.into_iter().map(Into::into).collect(),
        }
    }

    /// Parses neo4j-admin's `[Label[:Label2...]=]FILE[,FILE...]`
    /// (for relationships `[TYPE=]FILE[,FILE...]`).
    pub fn parse(spec: &str) -> Result<InputGroup, String> {
        let (labels, files) = match spec.split_once('=') {
            Some((l, f)) => (
                l.split(':')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect(),
                f,
            ),
            None => (Vec::new(), spec),
        };
        let files: Vec<PathBuf> = files
            .split(',')
            .filter(|s| !s.is_empty())
            .map(PathBuf::from)
            .collect();
        if files.is_empty() {
            return Err(format!("{spec:?} names no file"));
        }
        Ok(InputGroup { labels, files })
    }
}

/// Everything `factgraph import` takes, one field per flag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportOptions {
    /// `--db FILE`: the store file to create, or with `--append` to add to.
    pub db: PathBuf,
    /// `--nodes[=Label[:Label2...]] FILE[,FILE...]` (repeatable): node
    /// files; each occurrence is one group whose first CSV line is the header.
    /// The optional labels are added to every node of the group.
    pub nodes: Vec<InputGroup>,
    /// `--relationships[=TYPE] FILE[,FILE...]` (repeatable): relationship
    /// files; the optional type is used for rows without a `:TYPE` value.
    pub relationships: Vec<InputGroup>,
    /// `--format csv|jsonl`: read every input file in this format. Default:
    /// by extension (`.jsonl`, `.ndjson`, `.json`, optionally `.gz`, are
    /// JSON lines; anything else CSV).
    pub format: Option<InputFormat>,
    /// `--delimiter C`: the CSV field delimiter, one ASCII character; `TAB`
    /// or `\t` for a tab (see [`parse_char_option`]). Default `,`.
    pub delimiter: u8,
    /// `--array-delimiter C`: splits array values and `:LABEL` fields.
    /// Default `;`.
    pub array_delimiter: u8,
    /// `--quote C`: the CSV quote character; a quote inside a quoted field
    /// is written twice. Default `"`.
    pub quote: u8,
    /// `--id-type string|integer`: how ids compare in ID spaces whose
    /// header does not say (`{id-type:...}`). Integer ids are 64-bit and
    /// stored as integers in a named id property. Default `string`.
    pub id_type: IdType,
    /// `--skip-bad-relationships`: skip (and report) relationship rows that
    /// cannot be imported, such as those whose endpoint ids name no node,
    /// instead of failing the import.
    pub skip_bad_relationships: bool,
    /// `--skip-duplicate-nodes`: skip (and report) nodes whose id is already
    /// used in their ID space (or whose `key` another node has) instead of
    /// failing the import.
    pub skip_duplicate_nodes: bool,
    /// `--bad-tolerance N`: the import fails when more than N rows are
    /// skipped. Default 1000; `u64::MAX` for no limit.
    pub bad_tolerance: u64,
    /// `--report-file FILE`: where skipped rows are listed, one line each
    /// (`file:line: column NAME: reason`). Created (empty) at the start of
    /// every import that names it. Default: none, and the summary keeps the
    /// first 100.
    pub report_file: Option<PathBuf>,
    /// `--schema FILE`: the schema of a new store, in the format of
    /// [`schema_file`]. Default: the built-in news schema.
    pub schema: Option<PathBuf>,
    /// `--infer-schema`: give a new store a schema built from the input
    /// headers and the labels and types found in the data ([`infer_schema`]).
    pub infer_schema: bool,
    /// `--append`: import into the existing store (created if missing) as
    /// one atomic step; ids equal to existing nodes' keys are duplicates.
    pub append: bool,
    /// `--force`: replace an existing store (atomically, once the import
    /// has succeeded).
    pub force: bool,
}

impl ImportOptions {
    /// Options with neo4j-admin's defaults for the store `db` and no inputs.
    pub fn new(db: impl Into<PathBuf>) -> ImportOptions {
        ImportOptions {
            db: db.into(),
            nodes: Vec::new(),
            relationships: Vec::new(),
            format: None,
            delimiter: b',',
            array_delimiter: b';',
            quote: b'"',
            id_type: IdType::String,
            skip_bad_relationships: false,
            skip_duplicate_nodes: false,
            bad_tolerance: 1000,
            report_file: None,
            schema: None,
            infer_schema: false,
            append: false,
            force: false,
        }
    }

    /// The format `path` is read in.
    pub fn format_of(&self, path: &Path) -> InputFormat {
        self.format.unwrap_or_else(|| InputFormat::from_path(path))
    }
}

/// Reads a one-character option as neo4j-admin does: a single ASCII
/// character, or `TAB` / `\t` for a tab.
pub fn parse_char_option(text: &str) -> Result<u8, String> {
    match text {
        "TAB" | "tab" | "\\t" | "\t" => Ok(b'\t'),
        t if t.len() == 1 && t.is_ascii() && t != "\n" && t != "\r" => Ok(t.as_bytes()[0]),
        t => Err(format!(
            "{t:?} is not a single ASCII character (write TAB or \\t for a tab)"
        )),
    }
}

/// What the import is doing, for progress reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Reading the inputs to infer a schema (`--infer-schema`).
    Schema,
    /// Importing documents and nodes.
    Nodes,
    /// Importing relationships.
    Relationships,
    /// Writing the store file.
    Saving,
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Phase::Schema => "inferring schema",
            Phase::Nodes => "nodes",
            Phase::Relationships => "relationships",
            Phase::Saving => "saving",
        })
    }
}

/// A progress report, sent at the start of each file and every few thousand rows.
#[derive(Clone, Copy, Debug)]
pub struct Progress<'a> {
    /// What is being done.
    pub phase: Phase,
    /// The file being read (`None` while saving).
    pub file: Option<&'a Path>,
    /// Data rows read in this phase so far.
    pub rows: u64,
    /// Nodes created so far.
    pub nodes: u64,
    /// Relationships created so far.
    pub relationships: u64,
    /// Rows skipped so far.
    pub skipped: u64,
    /// Bytes of this phase's input files read so far, as stored (compressed for gzip).
    pub bytes_read: u64,
    /// Total size of this phase's input files (for a progress bar's length).
    pub total_bytes: u64,
    /// Time since this phase started.
    pub phase_elapsed: Duration,
    /// Time since the import started.
    pub elapsed: Duration,
}

impl Progress<'_> {
    /// Rows per second in this phase.
    pub fn rows_per_sec(&self) -> f64 {
        let s = self.phase_elapsed.as_secs_f64();
        if s > 0.0 {
            self.rows as f64 / s
        } else {
            0.0
        }
    }
}

/// How many skipped rows [`ImportSummary::skipped_rows`] keeps.
pub const SKIPPED_ROWS_KEPT: usize = 100;

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportSummary {
    /// Nodes created per label (a node with two labels counts under both).
    pub nodes_by_label: BTreeMap<String, u64>,
    /// Relationships created per type.
    pub relationships_by_type: BTreeMap<String, u64>,
    /// Nodes created.
    pub nodes: u64,
    /// Relationships created.
    pub relationships: u64,
    /// Documents added (from JSON lines `document` objects).
    pub documents: u64,
    /// Data rows read (CSV rows and JSON lines, in the node and relationship phases).
    pub rows: u64,
    /// Rows skipped.
    pub skipped: u64,
    /// Rows skipped, by class.
    pub skipped_by_kind: BTreeMap<BadKind, u64>,
    /// The first [`SKIPPED_ROWS_KEPT`] skipped rows (all are in the report file).
    pub skipped_rows: Vec<BadRow>,
    /// The report file, when one was written.
    pub report_file: Option<PathBuf>,
    /// Things worth knowing that are not errors (a group with a header and no rows).
    pub warnings: Vec<String>,
    /// Time taken, saving included.
    pub elapsed: Duration,
}

impl fmt::Display for ImportSummary {
    /// A few lines: totals and time, counts per label and type, skipped rows.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.elapsed.as_secs_f64();
        write!(
            f,
            "imported {} node(s) and {} relationship(s)",
            self.nodes, self.relationships
        )?;
        if self.documents > 0 {
            write!(f, " and {} document(s)", self.documents)?;
        }
        write!(f, " in {secs:.2} s")?;
        if secs > 0.0 {
            write!(f, " ({:.0} rows/s)", self.rows as f64 / secs)?;
        }
        writeln!(f)?;
        for (label, n) in &self.nodes_by_label {
            writeln!(f, "  :{label}  {n}")?;
        }
        for (t, n) in &self.relationships_by_type {
            writeln!(f, "  [:{t}]  {n}")?;
        }
        if self.skipped > 0 {
            let kinds: Vec<String> = self
                .skipped_by_kind
                .iter()
                .map(|(k, n)| format!("{n} {k}"))
                .collect();
            write!(
                f,
                "skipped {} bad row(s): {}",
                self.skipped,
                kinds.join(", ")
            )?;
            match &self.report_file {
                Some(p) => writeln!(f, " (listed in {})", p.display())?,
                None => writeln!(f)?,
            }
        }
        for w in &self.warnings {
            writeln!(f, "warning: {w}")?;
        }
        Ok(())
    }
}

/// Imports the inputs of `opts` into the store file `opts.db`, which is
/// written only when the whole import succeeds (atomically, by
/// [`codec::save`]). Without `append` or `force` an existing store is
/// refused; with `append` it is loaded (or created when missing) and keeps
/// its schema.
pub fn import(
    opts: &ImportOptions,
    progress: &mut dyn FnMut(&Progress),
) -> Result<ImportSummary, ImportError> {
    let started = std::time::Instant::now();
    run::check_options(opts)?;
    let exists = opts.db.exists();
    if exists && !opts.append && !opts.force {
        return Err(ImportError::StoreExists(opts.db.clone()));
    }
    let mut graph = if exists && opts.append {
        if opts.schema.is_some() || opts.infer_schema {
            return Err(ImportError::Usage(format!(
                "{} already has a schema: --schema and --infer-schema apply to new stores only",
                opts.db.display()
            )));
        }
        codec::load(&opts.db).map_err(ImportError::LoadStore)?
    } else {
        Graph::new(new_store_schema(opts, progress)?)
    };
    let mut summary = run::run(&mut graph, opts, progress, started)?;
    progress(&Progress {
        phase: Phase::Saving,
        file: None,
        rows: summary.rows,
        nodes: summary.nodes,
        relationships: summary.relationships,
        skipped: summary.skipped,
        bytes_read: 0,
        total_bytes: 0,
        phase_elapsed: Duration::ZERO,
        elapsed: started.elapsed(),
    });
    codec::save(&graph, &opts.db).map_err(ImportError::SaveStore)?;
    summary.elapsed = started.elapsed();
    // Freeing a graph of millions of elements takes seconds, and a command-line
    // import exits right after: free it off the caller's path.
    std::thread::spawn(move || drop(graph));
    Ok(summary)
}

/// The schema a new store gets: from `--schema`, inferred, or the news schema.
fn new_store_schema(
    opts: &ImportOptions,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Schema, ImportError> {
    if let Some(path) = &opts.schema {
        return schema_file::read_schema_file(path);
    }
    if opts.infer_schema {
        return infer_schema(opts, progress);
    }
    Ok(Schema::news())
}

/// Imports the inputs of `opts` into `graph` under its own schema, all or
/// nothing: on error the graph is rolled back to what it was. Only the
/// input, format and bad-row fields of `opts` are used (`db`, `append`,
/// `force`, `schema` and `infer_schema` are the store's business, see
/// [`import`]). Nodes already in `graph` are treated as `--append` treats
/// the store's nodes.
pub fn import_into(
    graph: &mut Graph,
    opts: &ImportOptions,
    progress: &mut dyn FnMut(&Progress),
) -> Result<ImportSummary, ImportError> {
    let started = std::time::Instant::now();
    run::check_options(opts)?;
    let cp = graph.checkpoint();
    match run::run(graph, opts, progress, started) {
        Ok(mut summary) => {
            graph.commit(cp);
            summary.elapsed = started.elapsed();
            Ok(summary)
        }
        Err(e) => {
            graph.rollback(cp);
            Err(e)
        }
    }
}

/// The schema `--infer-schema` builds: every label found in a node group
/// (its group labels and `:LABEL` values, or a JSON node's `labels`) declares
/// the group's property columns with their header types (untyped: STRING;
/// a named id column: STRING, or INTEGER for integer ids); every
/// relationship type declares its group's columns and allows any endpoint
/// labels. JSON lines declare the types of the values they hold (dates stay
/// strings). A property seen with different types is FLOAT when they are
/// INTEGER and FLOAT, else ANY. Nothing is required. Reads every input once.
pub fn infer_schema(
    opts: &ImportOptions,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Schema, ImportError> {
    run::check_options(opts)?;
    infer::infer(opts, progress)
}
