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
        /// A query parameter as NAME=VALUE; VALUE is a Cypher literal or plain text. Repeatable.
        #[arg(long = "param", value_name = "NAME=VALUE")]
        params: Vec<String>,
    },
    /// Open the interactive shell on a store (created on first save if missing).
    Repl {
        /// The store file; without it, the bundled seed graph.
        #[arg(long)]
        db: Option<PathBuf>,
        /// Turn off syntax colouring.
        #[arg(long)]
        no_color: bool,
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
        /// A query parameter as NAME=VALUE; VALUE is a Cypher literal or plain text. Repeatable.
        #[arg(long = "param", value_name = "NAME=VALUE")]
        params: Vec<String>,
        /// Run the remaining statements after a failure (the exit code is still 1).
        #[arg(long)]
        continue_on_error: bool,
        /// Save after each successful statement that changed the graph.
        #[arg(long)]
        commit_each: bool,
    },
    /// Export the subgraph a query returns: DOT, JSON (node-link), GraphML, Cypher or Neo4j-import CSV.
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
        #[arg(required = true)]
        files: Vec<PathBuf>,
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
    Eval {
        /// The folder with the gold articles and facts.
        #[arg(long)]
        gold: PathBuf,
        /// Also list missed and spurious facts.
        #[arg(long)]
        verbose: bool,
    },
    /// Print the schema: labels, relationship types, their properties and endpoints.
    Schema {
        /// The store file; without it, the built-in news schema.
        #[arg(long)]
        db: Option<PathBuf>,
    },
}
