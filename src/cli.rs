//! Command-line arguments: every subcommand and flag, documented once here.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use factgraph::export::{CypherDialect, ExportFormat};
use factgraph::render::Format;

/// factgraph: a typed knowledge graph of facts from news text, queried with openCypher.
///
/// With no command, opens the bundled seed graph (the Ukraine peace plan article of
/// November 2025).
#[derive(Debug, Parser)]
#[command(name = "factgraph", version, about, long_about)]
pub struct Args {
    /// What to do; none opens the bundled seed graph.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Open the store without the write lock, even while another process writes it:
    /// the log is replayed in memory, no file is changed, and statements that change
    /// the graph are refused.
    #[arg(long, global = true)]
    pub read_only: bool,
}

/// What `extract` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExtractFormat {
    /// Counts and the extracted facts in short.
    Summary,
    /// The facts-file format (loadable with `factgraph load`).
    Facts,
    /// JSON: nodes, relationships, sources, rule trace.
    Json,
}

/// Limits on each query, for the commands that run queries.
#[derive(Clone, Copy, Debug, clap::Args)]
pub struct LimitArgs {
    /// Stop a query that runs longer than SECS seconds (0: no limit); nothing it changed is kept.
    #[arg(long, value_name = "SECS", value_parser = |s: &str| factgraph::query::parse_timeout(s).map(Limit))]
    pub timeout: Option<Limit<std::time::Duration>>,
    /// Stop a query when one intermediate result holds more than N rows (0: no limit).
    #[arg(long, value_name = "N", value_parser = |s: &str| factgraph::query::parse_max_rows(s).map(Limit))]
    pub max_rows: Option<Limit<u64>>,
}

/// A limit given on the command line, `None` when it was 0 (no limit). (A
/// plain `Option<Option<T>>` field would mean "a flag with an optional value" to clap.)
#[derive(Clone, Copy, Debug)]
pub struct Limit<T>(pub Option<T>);

impl LimitArgs {
    /// The limits these flags ask for, the defaults where a flag is absent.
    pub fn limits(&self) -> factgraph::query::Limits {
        let defaults = factgraph::query::Limits::default();
        factgraph::query::Limits {
            timeout: self.timeout.map_or(defaults.timeout, |l| l.0),
            max_rows: self.max_rows.map_or(defaults.max_rows, |l| l.0),
            cancel: None,
        }
    }
}

/// Rewrites neo4j-admin's `--nodes=Label FILES` (label attached, files in the next
/// argument) into the single value `--nodes=Label=FILES` that the parser takes.
pub fn join_import_groups(args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    let mut out = Vec::with_capacity(args.len());
    let mut iter = args.into_iter().peekable();
    while let Some(arg) = iter.next() {
        let text = arg.to_string_lossy().into_owned();
        let grouped = ["--nodes=", "--relationships="]
            .iter()
            .any(|flag| text.strip_prefix(flag).is_some_and(|v| !v.contains('=')));
        let next_is_files = iter
            .peek()
            .is_some_and(|n| !n.to_string_lossy().starts_with("--"));
        match (grouped, next_is_files) {
            (true, true) => {
                let files = iter.next().unwrap_or_default();
                out.push(format!("{text}={}", files.to_string_lossy()).into());
            }
            _ => out.push(arg),
        }
    }
    out
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load a facts file into a store, creating the store if it does not exist.
    ///
    /// The whole file is applied or nothing is: on any error the store is left
    /// as it was. Loading the same file twice adds nothing the second time.
    Load {
        /// The facts file (see the README's "The facts file").
        facts: PathBuf,
        /// The store file to create or update.
        #[arg(long)]
        db: PathBuf,
    },
    /// Print node counts per label and relationship counts per type.
    Stats {
        /// The store file; without it, the bundled seed graph.
        #[arg(long)]
        db: Option<PathBuf>,
    },
    /// Run one query and print its result.
    ///
    /// A query that changes the graph is saved to --db only when it succeeds.
    Query {
        /// The query text, e.g. "MATCH (p:Person) RETURN p.name".
        query: String,
        /// The store file; without it, the bundled seed graph (changes are not saved).
        #[arg(long)]
        db: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
        /// A query parameter as NAME=VALUE; VALUE is a Cypher literal (`42`, `[1, 2]`, `{a: 1}`), else JSON (`{"a": 1}`), else plain text. Repeatable.
        #[arg(long = "param", value_name = "NAME=VALUE")]
        params: Vec<String>,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Open the interactive shell on a store (created on first save if missing).
    Repl {
        /// The store file; without it, the bundled seed graph.
        #[arg(long)]
        db: Option<PathBuf>,
        /// Turn off syntax colouring.
        #[arg(long)]
        no_color: bool,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Run a script of statements separated by `;` (a file, or - for standard input).
    ///
    /// Each result is printed in order. The run stops at the first failed statement
    /// (exit code 1), which is reported as FILE:LINE:COLUMN. Changes are saved to --db
    /// only when every statement succeeded, unless --commit-each is given.
    Run {
        /// The script file, or - to read standard input.
        script: PathBuf,
        /// The store file; without it, the bundled seed graph (changes are not saved).
        #[arg(long)]
        db: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
        /// A query parameter as NAME=VALUE; VALUE is a Cypher literal (`42`, `[1, 2]`, `{a: 1}`), else JSON (`{"a": 1}`), else plain text. Repeatable.
        #[arg(long = "param", value_name = "NAME=VALUE")]
        params: Vec<String>,
        /// Run the remaining statements after a failure (the exit code is still 1).
        #[arg(long)]
        continue_on_error: bool,
        /// Save after each successful statement that changed the graph.
        #[arg(long)]
        commit_each: bool,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Export the subgraph a query returns: DOT, JSON (node-link), GraphML, Cypher, Neo4j-import CSV or JSON lines.
    ///
    /// The subgraph is every node and relationship the result binds, also inside
    /// paths and lists, with their properties (and provenance, where the format can
    /// carry it). The same is available inside queries as
    /// EXPORT (MATCH ... RETURN ...) TO 'file' FORMAT f HOPS n.
    Export {
        /// The store file; without it, the bundled seed graph.
        #[arg(long)]
        db: Option<PathBuf>,
        /// A read-only query, e.g. "MATCH p=(:Person {name:'Steve Witkoff'})-[*..2]-() RETURN p".
        #[arg(long)]
        query: String,
        /// Output format; by default taken from the output file's extension.
        #[arg(long, value_enum)]
        format: Option<ExportFormat>,
        /// The output file; for csv, a folder or a file-name prefix (writes nodes.csv and relationships.csv).
        #[arg(short, long)]
        output: PathBuf,
        /// Also include the N-hop neighbourhood of the matched nodes (not through Document nodes).
        #[arg(long, default_value_t = 0)]
        hops: u32,
        /// Cypher flavour: opencypher (Neo4j, factgraph) or kuzu (with CREATE NODE/REL TABLE).
        #[arg(long, value_enum, default_value = "opencypher")]
        dialect: CypherDialect,
        /// A query parameter as NAME=VALUE. Repeatable.
        #[arg(long = "param", value_name = "NAME=VALUE")]
        params: Vec<String>,
    },
    /// Draw the subgraph a query returns as SVG, PNG or PDF with Graphviz (which must be installed).
    Render {
        /// The store file; without it, the bundled seed graph.
        #[arg(long)]
        db: Option<PathBuf>,
        /// A read-only query whose result is drawn.
        #[arg(long)]
        query: String,
        /// The picture to write: .svg, .png or .pdf.
        #[arg(short, long)]
        output: PathBuf,
        /// Also include the N-hop neighbourhood of the matched nodes.
        #[arg(long, default_value_t = 0)]
        hops: u32,
        /// A query parameter as NAME=VALUE. Repeatable.
        #[arg(long = "param", value_name = "NAME=VALUE")]
        params: Vec<String>,
    },
    /// Extract facts from plain news text into a store (or just show them).
    ///
    /// Each file becomes a document; its people, roles, countries, organizations,
    /// proposals, positions, issues, events and their relationships are added with
    /// provenance (sentence, characters and the rule that found them), merged with
    /// what the store already holds. All or nothing per run.
    Extract {
        /// Plain-text articles.
        #[arg(required_unless_present = "jsonl")]
        files: Vec<PathBuf>,
        /// Read documents as JSON lines on stdin (`{"id", "text", "date"?, "source"?, "title"?}`)
        /// and write their facts as JSON lines on stdout, for `factgraph import --merge`; with
        /// --db, merge them into the store in this process instead (see README, Scale-out).
        #[arg(long, conflicts_with_all = ["files", "dry_run", "format", "trace", "date"])]
        jsonl: bool,
        /// With --jsonl: also write refused input lines here, as JSON lines.
        #[arg(long, requires = "jsonl")]
        errors: Option<PathBuf>,
        /// The store to add to (created if missing); without it, nothing is saved.
        #[arg(long)]
        db: Option<PathBuf>,
        /// Show what would be extracted; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// What to print: a summary, the facts in the facts-file format, or JSON.
        #[arg(long, value_enum, default_value = "summary")]
        format: ExtractFormat,
        /// Also print which rule fired on which text.
        #[arg(long)]
        trace: bool,
        /// The publication date (YYYY, YYYY-MM or YYYY-MM-DD), to resolve "Tuesday" and the like.
        #[arg(long)]
        date: Option<String>,
        /// The country unqualified titles belong to when the text does not say.
        #[arg(long, default_value = "United States")]
        home_country: String,
    },
    /// Measure extraction against gold annotations: precision, recall and F1 per type.
    ///
    /// GOLD is a folder of articles (NAME.txt) with their curated facts (NAME.facts).
    /// Each folder gets a table per article and one for all its articles: all
    /// entities and relations, then persons, organizations, countries,
    /// (person, title, country) role triples, positions, and positions with
    /// the right polarity. Example: `factgraph eval --gold tests/gold --gold
    /// tests/gold/heldout --gold tests/gold/blind`.
    Eval {
        /// A folder with gold articles and facts; repeat it for several sets.
        #[arg(long, required = true)]
        gold: Vec<PathBuf>,
        /// Also list missed and spurious facts.
        #[arg(long)]
        verbose: bool,
    },
    /// Bulk-import nodes and relationships from Neo4j-style CSV or JSON lines (optionally gzipped).
    ///
    /// Headers follow neo4j-admin's importer: `personId:ID(Person)`, `:LABEL`, typed
    /// columns (`born:int`, `day:date`, `aliases:string[]`), `:IGNORE`,
    /// `:START_ID(Person)`, `:END_ID(Role)`, `:TYPE`. All or nothing: one bad row and the
    /// store is left untouched, unless the skip options allow it.
    Import {
        /// The store file to create, or with --append to add to.
        #[arg(long)]
        db: PathBuf,
        /// Node files, as `--nodes FILE[,FILE...]`, `--nodes=LABEL[:LABEL2] FILE[,FILE...]` or
        /// `--nodes LABEL=FILE[,FILE...]` (repeatable); each occurrence is one group whose first
        /// CSV line is the header; the labels are added to every node of the group.
        #[arg(long = "nodes", value_name = "[LABELS=]FILES")]
        nodes: Vec<String>,
        /// Relationship files, as `--relationships[=TYPE] FILE[,FILE...]` or `TYPE=FILES`
        /// (repeatable); TYPE is used for rows without a :TYPE value.
        #[arg(long = "relationships", value_name = "[TYPE=]FILES")]
        relationships: Vec<String>,
        /// Read every input in this format; by default by extension (.jsonl/.ndjson/.json are JSON lines).
        #[arg(long, value_enum)]
        format: Option<factgraph::import::InputFormat>,
        /// The CSV field delimiter: one character, or TAB.
        #[arg(long, default_value = ",")]
        delimiter: String,
        /// Splits array values and :LABEL fields.
        #[arg(long, default_value = ";")]
        array_delimiter: String,
        /// The CSV quote character.
        #[arg(long, default_value = "\"")]
        quote: String,
        /// How ids compare in ID spaces whose header does not say: string or integer.
        #[arg(long, default_value = "string")]
        id_type: String,
        /// Skip (and report) relationship rows that cannot be imported, e.g. with dangling endpoints.
        #[arg(long)]
        skip_bad_relationships: bool,
        /// Skip (and report) nodes whose id is already used in their ID space.
        #[arg(long)]
        skip_duplicate_nodes: bool,
        /// Fail when more than N rows are skipped.
        #[arg(long, default_value_t = 1000)]
        bad_tolerance: u64,
        /// Where skipped rows are listed, one line each (FILE:LINE: reason).
        #[arg(long)]
        report_file: Option<PathBuf>,
        /// The schema of a new store, in the schema-file format (see the README); default: the news schema.
        #[arg(long)]
        schema: Option<PathBuf>,
        /// Build the schema of a new store from the input headers and data.
        #[arg(long)]
        infer_schema: bool,
        /// Import into the existing store as one atomic step.
        #[arg(long)]
        append: bool,
        /// Replace an existing store once the import has succeeded.
        #[arg(long)]
        force: bool,
        /// Fold fact shards written by `factgraph extract --jsonl` (the FILES; `-` is stdin)
        /// into a new store, resolving entities across documents (see README, Scale-out).
        #[arg(long, requires = "shards", conflicts_with_all = ["nodes", "relationships", "append"])]
        merge: bool,
        /// With --merge: the fact shards.
        #[arg(requires = "merge")]
        shards: Vec<PathBuf>,
    },
    /// Write a synthetic news corpus as JSON lines (for `extract --jsonl`), with gold facts.
    ///
    /// Invented people holding offices of real countries, invented proposals, and
    /// articles about stances, meetings and drafting in varied sentence structures.
    /// The same seed gives the same bytes.
    GenCorpus {
        /// Number of articles.
        #[arg(long)]
        articles: usize,
        /// Seed of the generator.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The corpus file (`-`: standard output).
        #[arg(long)]
        out: PathBuf,
        /// Also write the gold folder `factgraph eval --gold` reads (NAME.txt, NAME.facts).
        #[arg(long)]
        gold: Option<PathBuf>,
    },
    /// Write a generated news-schema graph as files that `factgraph import`, Kuzu and networkx read.
    ///
    /// CSV: `nodes/<Label>.csv`, `relationships/<TYPE>__<From>__<To>.csv`,
    /// `documents.jsonl` and `manifest.json` (counts, columns, and the import arguments).
    Gen {
        /// Number of :Person nodes (other labels are sized from it).
        #[arg(long, conflicts_with = "nodes", required_unless_present = "nodes")]
        people: Option<usize>,
        /// Instead of --people: the total number of nodes to reach (e.g. 100000).
        #[arg(long)]
        nodes: Option<usize>,
        /// Seed of the generator: the same seed gives the same files.
        #[arg(long, default_value_t = 0x5eed)]
        seed: u64,
        /// Relationships per node to aim for.
        #[arg(long, default_value_t = 5)]
        edges_per_node: usize,
        /// The folder to write (created if missing).
        #[arg(long)]
        out: PathBuf,
        /// csv (read by all three engines) or jsonl (one graph.jsonl for factgraph import).
        #[arg(long, value_enum, default_value = "csv")]
        format: factgraph::gen::files::FilesFormat,
    },
    /// Print the schema: labels, relationship types, their properties and endpoints.
    ///
    /// The first line says which schema the store has: the built-in news
    /// schema, an open one (any label, type and property) or its own.
    Schema {
        /// The store file; without it, the built-in news schema.
        #[arg(long)]
        db: Option<PathBuf>,
    },
    /// Create an empty store.
    ///
    /// `--schema news` (the default) is the built-in schema of extracted news
    /// facts; `--schema open` accepts any label, relationship type and
    /// property, as Neo4j does, for general openCypher work; any other value
    /// is a schema file (the format `factgraph import --schema` reads, see
    /// Bulk import). Refuses a path that already holds a store.
    Init {
        /// The store file to create.
        #[arg(long)]
        db: PathBuf,
        /// news, open, or a schema file.
        #[arg(long, default_value = "news", value_name = "news|open|FILE")]
        schema: String,
    },
}
