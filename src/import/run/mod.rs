//! The import itself: every input, row by row, into the graph.
//!
//! This module holds the run over all inputs, its progress, bad-row
//! handling and ID spaces; [`csv`] and [`jsonl`] read the two input formats,
//! and both hand each row to [`rows`], the one path by which a row becomes a
//! node or a relationship.

mod csv;
mod jsonl;
mod rows;

use std::cell::Cell;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::Instant;

use crate::store::{Graph, NodeId};

use super::csv_reader::CsvReader;
use super::error::{BadKind, BadRow, ImportError};
use super::header::FileKind;
use super::ids::{IdRef, IdSpaces};
use super::source::{count_lines, file_size};
use super::{
    ImportOptions, ImportSummary, InputFormat, InputGroup, Phase, Progress, SKIPPED_ROWS_KEPT,
};

/// Progress is reported every this many rows.
const TICK: u64 = 4096;

pub(crate) type Reader = CsvReader<BufReader<Box<dyn Read>>>;

/// Refuses options that cannot work together, before anything is read.
pub(crate) fn check_options(opts: &ImportOptions) -> Result<(), ImportError> {
    let usage = |m: String| Err(ImportError::Usage(m));
    if opts.nodes.is_empty() && opts.relationships.is_empty() {
        return usage("nothing to import: give --nodes and/or --relationships files".into());
    }
    for (flag, groups) in [
        ("--nodes", &opts.nodes),
        ("--relationships", &opts.relationships),
    ] {
        for g in groups {
            if g.files.is_empty() {
                return usage(format!("a {flag} group names no file"));
            }
            let first = opts.format_of(&g.files[0]);
            if let Some(other) = g.files.iter().find(|f| opts.format_of(f) != first) {
                return usage(format!(
                    "{} and {} are in one {flag} group but are not both CSV or both JSON lines",
                    g.files[0].display(),
                    other.display()
                ));
            }
            if g.labels.iter().any(|l| l.is_empty()) {
                return usage(format!("a {flag} group names an empty label or type"));
            }
        }
    }
    if let Some(g) = opts.relationships.iter().find(|g| g.labels.len() > 1) {
        return usage(format!(
            "a --relationships group names one type, not {}",
            g.labels.join(":")
        ));
    }
    let (d, a, q) = (opts.delimiter, opts.array_delimiter, opts.quote);
    if [d, a, q].iter().any(|c| matches!(c, b'\n' | b'\r')) {
        return usage("the delimiter, array delimiter and quote cannot be line breaks".into());
    }
    if d == q || a == q || d == a {
        return usage(format!(
            "the delimiter ({:?}), array delimiter ({:?}) and quote ({:?}) must differ",
            d as char, a as char, q as char
        ));
    }
    if opts.schema.is_some() && opts.infer_schema {
        return usage("give --schema or --infer-schema, not both".into());
    }
    Ok(())
}

/// Which lines of a JSON lines file a pass imports.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pass {
    Nodes,
    Relationships,
}

impl Pass {
    /// The kind of element the pass adds.
    fn kind(self) -> FileKind {
        match self {
            Pass::Nodes => FileKind::Nodes,
            Pass::Relationships => FileKind::Relationships,
        }
    }
}

struct Run<'a> {
    graph: &'a mut Graph,
    opts: &'a ImportOptions,
    progress: &'a mut dyn FnMut(&Progress),
    started: Instant,
    spaces: IdSpaces,
    /// Bit per node id: created by this import.
    imported: Vec<u64>,
    /// The graph held nodes before the import (`--append`).
    had_nodes: bool,
    report: Option<BufWriter<File>>,
    summary: ImportSummary,
    phase: Phase,
    phase_started: Instant,
    phase_rows: u64,
    bytes_done: u64,
    total_bytes: u64,
}

/// Imports every input of `opts` into `graph`. On error the graph may hold
/// part of the import: the callers drop it or roll it back.
pub(crate) fn run(
    graph: &mut Graph,
    opts: &ImportOptions,
    progress: &mut dyn FnMut(&Progress),
    started: Instant,
) -> Result<ImportSummary, ImportError> {
    let report = match &opts.report_file {
        Some(p) => Some(BufWriter::new(File::create(p).map_err(|error| {
            ImportError::Report {
                path: p.clone(),
                error,
            }
        })?)),
        None => None,
    };
    let labels_before = graph.label_counts();
    let types_before = graph.type_counts();
    let had_nodes = graph.node_count() > 0;
    let mut run = Run {
        graph,
        opts,
        progress,
        started,
        spaces: IdSpaces::default(),
        imported: Vec::new(),
        had_nodes,
        report,
        summary: ImportSummary {
            report_file: opts.report_file.clone(),
            ..ImportSummary::default()
        },
        phase: Phase::Nodes,
        phase_started: started,
        phase_rows: 0,
        bytes_done: 0,
        total_bytes: 0,
    };
    let result = run.all();
    if let Some(w) = &mut run.report {
        let flushed = w.flush();
        if let (Ok(()), Err(error)) = (&result, flushed) {
            return Err(ImportError::Report {
                path: opts.report_file.clone().unwrap_or_default(),
                error,
            });
        }
    }
    result?;
    let mut summary = run.summary;
    let graph = run.graph;
    let diff = |after: BTreeMap<String, usize>, before: &BTreeMap<String, usize>| {
        after
            .into_iter()
            .filter_map(|(k, n)| {
                let d = n.saturating_sub(before.get(&k).copied().unwrap_or(0)) as u64;
                (d > 0).then_some((k, d))
            })
            .collect()
    };
    summary.nodes_by_label = diff(graph.label_counts(), &labels_before);
    summary.relationships_by_type = diff(graph.type_counts(), &types_before);
    summary.elapsed = started.elapsed();
    Ok(summary)
}

impl Run<'_> {
    fn all(&mut self) -> Result<(), ImportError> {
        let opts = self.opts;
        let is_jsonl = |g: &InputGroup| opts.format_of(&g.files[0]) == InputFormat::Jsonl;
        let jsonl_files: Vec<&PathBuf> = opts
            .nodes
            .iter()
            .chain(&opts.relationships)
            .filter(|g| is_jsonl(g))
            .flat_map(|g| &g.files)
            .collect();
        let node_csv: Vec<&PathBuf> = opts
            .nodes
            .iter()
            .filter(|g| !is_jsonl(g))
            .flat_map(|g| &g.files)
            .collect();
        let rel_csv: Vec<&PathBuf> = opts
            .relationships
            .iter()
            .filter(|g| !is_jsonl(g))
            .flat_map(|g| &g.files)
            .collect();
        let size = |files: &[&PathBuf]| files.iter().map(|f| file_size(f)).sum::<u64>();

        let lines = |files: &[&PathBuf]| -> usize {
            let n: u64 = files.iter().filter_map(|f| count_lines(f)).sum();
            usize::try_from(n).unwrap_or(0)
        };
        self.graph.reserve(lines(&node_csv), lines(&rel_csv));

        self.start_phase(Phase::Nodes, size(&node_csv) + size(&jsonl_files));
        for g in &opts.nodes {
            if is_jsonl(g) {
                self.jsonl_group(g, FileKind::Nodes, Pass::Nodes)?;
            } else {
                self.csv_group(g, FileKind::Nodes)?;
            }
        }
        for g in opts.relationships.iter().filter(|g| is_jsonl(g)) {
            self.jsonl_group(g, FileKind::Relationships, Pass::Nodes)?;
        }

        self.start_phase(Phase::Relationships, size(&rel_csv) + size(&jsonl_files));
        for g in opts.nodes.iter().filter(|g| is_jsonl(g)) {
            self.jsonl_group(g, FileKind::Nodes, Pass::Relationships)?;
        }
        for g in &opts.relationships {
            if is_jsonl(g) {
                self.jsonl_group(g, FileKind::Relationships, Pass::Relationships)?;
            } else {
                self.csv_group(g, FileKind::Relationships)?;
            }
        }

        let s = &self.summary;
        if s.nodes == 0 && s.relationships == 0 && s.documents == 0 && s.skipped == 0 {
            let first = opts
                .nodes
                .iter()
                .chain(&opts.relationships)
                .map(|g| g.files[0].clone())
                .next()
                .unwrap_or_default();
            return Err(BadRow {
                file: first,
                line: 1,
                column: None,
                kind: BadKind::Empty,
                reason: "header only: the inputs hold no rows, so there is nothing to import"
                    .into(),
                json: false,
            }
            .into());
        }
        Ok(())
    }

    // ---- progress ----

    fn start_phase(&mut self, phase: Phase, total_bytes: u64) {
        self.phase = phase;
        self.phase_started = Instant::now();
        self.phase_rows = 0;
        self.bytes_done = 0;
        self.total_bytes = total_bytes;
    }

    fn tick(&mut self, file: &Path, file_bytes: u64) {
        let p = Progress {
            phase: self.phase,
            file: Some(file),
            rows: self.phase_rows,
            nodes: self.summary.nodes,
            relationships: self.summary.relationships,
            skipped: self.summary.skipped,
            bytes_read: self.bytes_done + file_bytes,
            total_bytes: self.total_bytes,
            phase_elapsed: self.phase_started.elapsed(),
            elapsed: self.started.elapsed(),
        };
        (self.progress)(&p);
    }

    fn row_done(&mut self, file: &Path, counter: &Rc<Cell<u64>>) {
        self.phase_rows += 1;
        self.summary.rows += 1;
        if self.phase_rows.is_multiple_of(TICK) {
            self.tick(file, counter.get());
        }
    }

    // ---- bad rows ----

    /// Skips and reports `row` when an option covers it, else fails with it.
    fn bad(&mut self, row: BadRow, kind: FileKind) -> Result<(), ImportError> {
        let skippable = match kind {
            FileKind::Nodes => row.kind == BadKind::DuplicateId && self.opts.skip_duplicate_nodes,
            FileKind::Relationships => {
                self.opts.skip_bad_relationships
                    && !matches!(
                        row.kind,
                        BadKind::Quoting | BadKind::Header | BadKind::Empty
                    )
            }
        };
        if !skippable {
            return Err(row.into());
        }
        self.summary.skipped += 1;
        *self.summary.skipped_by_kind.entry(row.kind).or_default() += 1;
        if let Some(w) = &mut self.report {
            writeln!(w, "{row}").map_err(|error| ImportError::Report {
                path: self.opts.report_file.clone().unwrap_or_default(),
                error,
            })?;
        }
        if self.summary.skipped > self.opts.bad_tolerance {
            return Err(ImportError::TooManyBad {
                tolerance: self.opts.bad_tolerance,
                last: Box::new(row),
            });
        }
        if self.summary.skipped_rows.len() < SKIPPED_ROWS_KEPT {
            self.summary.skipped_rows.push(row);
        }
        Ok(())
    }

    // ---- ids ----

    fn mark_imported(&mut self, id: NodeId) {
        let (word, bit) = (id.0 as usize / 64, id.0 % 64);
        if self.imported.len() <= word {
            self.imported.resize(word + 1, 0);
        }
        self.imported[word] |= 1 << bit;
    }

    fn is_imported(&self, id: NodeId) -> bool {
        self.imported
            .get(id.0 as usize / 64)
            .is_some_and(|w| w & (1 << (id.0 % 64)) != 0)
    }

    /// A node of the store from before the import whose key is `text`.
    fn existing_by_key(&self, text: &str) -> Option<NodeId> {
        if !self.had_nodes {
            return None;
        }
        self.graph
            .node_by_key(text.trim())
            .filter(|n| !self.is_imported(*n))
    }

    /// Why `id` cannot name a new node, if it cannot.
    fn duplicate(&self, space: usize, id: IdRef<'_>, text: &str) -> Option<String> {
        let s = self.spaces.get(space);
        if let Some(n) = s.get(id) {
            return Some(format!(
                "id {text:?} is already used in ID space {} (by node {n})",
                s.shown()
            ));
        }
        self.existing_by_key(text)
            .map(|n| format!("id {text:?} is the key of node {n}, which is already in the store"))
    }

    /// The node an endpoint id names.
    fn resolve(&self, space: usize, id: IdRef<'_>, text: &str) -> Option<NodeId> {
        self.spaces
            .get(space)
            .get(id)
            .or_else(|| self.existing_by_key(text))
    }
}
