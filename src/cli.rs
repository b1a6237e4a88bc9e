//! Command-line arguments: every subcommand and flag, documented once here.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
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
    /// Print the schema: labels, relationship types, their properties and endpoints.
    Schema {
        /// The store file; without it, the built-in news schema.
        #[arg(long)]
        db: Option<PathBuf>,
    },
}
