//! Corpora for scale-out: extracting JSON-lines corpora in one process or
//! many ([`run_extract_stream`]), and generating synthetic news corpora with
//! gold facts ([`gen`]).
//!
//! The reference store for a corpus is the merge of its documents' facts
//! ([`crate::import::merge`]): `factgraph extract --jsonl --db g.fg <
//! corpus.jsonl` in one process, or `factgraph extract --jsonl` on any split
//! of the corpus, anywhere, followed by `factgraph import --merge`. Both run
//! the same merge, so they give the same store.

pub mod gen;

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use crate::extract::jsonl::{extract_stream, BadLine, StreamSummary};
use crate::extract::ExtractOptions;
use crate::import::merge::{MergeError, MergeSummary, Merger};

/// Why a corpus run stopped.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    /// Reading the corpus or writing facts, errors or the store failed.
    #[error("{what}: {error}")]
    Io {
        /// What was being read or written.
        what: String,
        /// The OS error.
        error: io::Error,
    },
    /// The facts could not be merged.
    #[error(transparent)]
    Merge(#[from] MergeError),
    /// The store could not be written.
    #[error(transparent)]
    Save(#[from] crate::store::SnapshotError),
}

fn io_err(what: impl Into<String>) -> impl FnOnce(io::Error) -> CorpusError {
    let what = what.into();
    move |error| CorpusError::Io { what, error }
}

/// Extracts a whole corpus in this process and merges its facts: the
/// reference store for the corpus (see the module docs).
pub fn extract_corpus(
    input: &mut dyn io::BufRead,
    options: &ExtractOptions,
    on_bad: &mut dyn FnMut(&BadLine) -> io::Result<()>,
) -> Result<(crate::store::Graph, StreamSummary, MergeSummary), CorpusError> {
    let mut facts = Vec::new();
    let summary =
        extract_stream(input, &mut facts, options, on_bad).map_err(io_err("the corpus"))?;
    let mut merger = Merger::new();
    merger.read("facts", &mut facts.as_slice())?;
    let (graph, merged) = merger.finish()?;
    Ok((graph, summary, merged))
}

/// `factgraph extract --jsonl [--db FILE] [--errors FILE]`: documents from
/// stdin; facts to stdout, or merged into a new store at `db`. Refused lines
/// are reported on stderr (and as JSON lines in `errors`); returns how many
/// there were.
pub fn run_extract_stream(
    db: Option<&Path>,
    errors: Option<&Path>,
    options: &ExtractOptions,
) -> Result<u64, CorpusError> {
    let mut error_file = match errors {
        Some(p) => Some(BufWriter::new(
            File::create(p).map_err(io_err(p.display().to_string()))?,
        )),
        None => None,
    };
    let mut on_bad = |bad: &BadLine| -> io::Result<()> {
        eprintln!("factgraph extract: stdin: {bad}");
        if let Some(f) = error_file.as_mut() {
            serde_json::to_writer(&mut *f, bad)?;
            f.write_all(b"\n")?;
        }
        Ok(())
    };
    let stdin = io::stdin();
    let mut input = stdin.lock();
    let bad = match db {
        Some(path) => {
            let (graph, summary, merged) = extract_corpus(&mut input, options, &mut on_bad)?;
            crate::store::codec::save(&graph, path)?;
            eprintln!("{summary}");
            eprint!("{merged}");
            eprintln!(
                "{}: {} nodes, {} relationships",
                path.display(),
                graph.node_count(),
                graph.edge_count()
            );
            summary.bad_lines
        }
        None => {
            let stdout = io::stdout();
            let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
            let summary = extract_stream(&mut input, &mut out, options, &mut on_bad)
                .map_err(io_err("stdin/stdout"))?;
            eprintln!("{summary}");
            summary.bad_lines
        }
    };
    if let Some(mut f) = error_file {
        let what = errors.map(|p| p.display().to_string()).unwrap_or_default();
        f.flush().map_err(io_err(what))?;
    }
    Ok(bad)
}
