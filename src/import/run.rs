//! The import itself: every input, row by row, into the graph.

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::Instant;

use serde::Deserialize;
use serde_json::{Map, Value as Json};

use crate::model::{Date, PropType, Provenance, SchemaError, Value};
use crate::store::{DocumentRecord, Graph, NodeId, StoreError};

use super::csv_reader::{CsvError, CsvReader};
use super::error::{BadKind, BadRow, ImportError};
use super::header::{parse_header, Column, FieldType, FileKind, Header, Scalar};
use super::ids::{IdRef, IdSpaces};
use super::source::{self, count_lines, file_size};
use super::values::{json_provenance, json_value, parse_provenance, parse_scalar, scalar_of};
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

/// What a CSV header says, resolved against the ID spaces.
struct FileCtx {
    header: Header,
    kind: FileKind,
    group_labels: Vec<String>,
    group_type: Option<String>,
    id_col: Option<usize>,
    id_space: usize,
    id_property: Option<String>,
    label_col: Option<usize>,
    start_col: usize,
    start_space: usize,
    end_col: usize,
    end_space: usize,
    type_col: Option<usize>,
    prov_col: Option<usize>,
    /// `(column, key, declared type)`
    props: Vec<(usize, String, Option<FieldType>)>,
    any_untyped: bool,
}

impl FileCtx {
    /// The column holding property `key`.
    fn col_of(&self, key: &str) -> Option<usize> {
        self.props
            .iter()
            .find(|(_, k, _)| k == key)
            .map(|(i, _, _)| *i)
            .or_else(|| {
                self.id_col
                    .filter(|_| self.id_property.as_deref() == Some(key))
            })
    }
}

fn article(word: &str) -> &'static str {
    match word.chars().next().map(|c| c.to_ascii_lowercase()) {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

/// One row's value for a property column, or why it has none.
fn field_value(
    text: &str,
    scalar: Scalar,
    array: bool,
    array_delim: char,
) -> Result<Value, String> {
    if !array {
        return parse_scalar(text, scalar).ok_or_else(String::new);
    }
    let mut items = Vec::new();
    for item in text.split(array_delim) {
        match parse_scalar(item, scalar) {
            Some(v) => items.push(v),
            None => return Err(format!("item {item:?} of ")),
        }
    }
    Ok(Value::List(items))
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
    /// Labels the current JSON lines group adds to its nodes.
    json_labels: Vec<String>,
    /// The type the current JSON lines group gives relationships without one.
    json_type: Option<String>,
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
        json_labels: Vec::new(),
        json_type: None,
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

    // ---- CSV ----

    fn csv_group(&mut self, group: &InputGroup, kind: FileKind) -> Result<(), ImportError> {
        let mut ctx: Option<FileCtx> = None;
        let mut rows = 0u64;
        for (fi, path) in group.files.iter().enumerate() {
            let input = source::open(path).map_err(|error| ImportError::Input {
                path: path.clone(),
                error,
            })?;
            let counter = input.bytes_read.clone();
            let mut r: Reader = CsvReader::new(input.reader, self.opts.delimiter, self.opts.quote);
            self.tick(path, 0);
            loop {
                match r.read_record() {
                    Ok(true) => {}
                    Ok(false) => break,
                    Err(CsvError::Io(error)) => {
                        return Err(ImportError::Input {
                            path: path.clone(),
                            error,
                        })
                    }
                    Err(CsvError::Quote {
                        line,
                        field,
                        message,
                    }) => {
                        return Err(BadRow {
                            file: path.clone(),
                            line,
                            column: ctx
                                .as_ref()
                                .and_then(|c| c.header.names.get(field).cloned()),
                            kind: BadKind::Quoting,
                            reason: message,
                            json: false,
                        }
                        .into())
                    }
                }
                let Some(c) = &ctx else {
                    ctx = Some(self.header(path, &r, group, kind)?);
                    continue;
                };
                rows += 1;
                let result = match kind {
                    FileKind::Nodes => self.node_row(c, path, &r),
                    FileKind::Relationships => self.rel_row(c, path, &r),
                };
                if let Err(bad) = result {
                    self.bad(*bad, kind)?;
                }
                self.row_done(path, &counter);
            }
            if fi == 0 && ctx.is_none() {
                return Err(BadRow {
                    file: path.clone(),
                    line: 1,
                    column: None,
                    kind: BadKind::Empty,
                    reason:
                        "the file is empty: the first file of a group must start with a header line"
                            .into(),
                    json: false,
                }
                .into());
            }
            self.bytes_done += counter.get();
            self.tick(path, 0);
        }
        if rows == 0 {
            self.summary.warnings.push(format!(
                "{}:1: header only, no rows",
                group.files[0].display()
            ));
        }
        Ok(())
    }

    /// Reads the header record `r` of a group.
    fn header(
        &mut self,
        path: &Path,
        r: &Reader,
        group: &InputGroup,
        kind: FileKind,
    ) -> Result<FileCtx, ImportError> {
        let at = |column: Option<String>, kind: BadKind, reason: String| -> ImportError {
            BadRow {
                file: path.to_path_buf(),
                line: r.line(),
                column,
                kind,
                reason,
                json: false,
            }
            .into()
        };
        let mut cells = Vec::with_capacity(r.len());
        for i in 0..r.len() {
            match std::str::from_utf8(r.field(i)) {
                Ok(s) => cells.push(s.to_string()),
                Err(e) => {
                    return Err(at(
                        Some(format!("{}", i + 1)),
                        BadKind::Utf8,
                        format!(
                            "the header cell is not valid UTF-8 (bad byte after {:?})",
                            String::from_utf8_lossy(&r.field(i)[..e.valid_up_to()])
                        ),
                    ))
                }
            }
        }
        let group_type = match kind {
            FileKind::Relationships => group.labels.first().cloned(),
            FileKind::Nodes => None,
        };
        let header = parse_header(&cells, kind, group_type.is_some()).map_err(|e| {
            at(
                (e.index < cells.len()).then(|| e.cell.clone()),
                BadKind::Header,
                e.message,
            )
        })?;
        let mut ctx = FileCtx {
            kind,
            group_labels: match kind {
                FileKind::Nodes => group.labels.clone(),
                FileKind::Relationships => Vec::new(),
            },
            group_type,
            id_col: None,
            id_space: 0,
            id_property: None,
            label_col: None,
            start_col: 0,
            start_space: 0,
            end_col: 0,
            end_space: 0,
            type_col: None,
            prov_col: None,
            props: Vec::new(),
            any_untyped: false,
            header: Header {
                columns: Vec::new(),
                names: Vec::new(),
            },
        };
        for (i, col) in header.columns.iter().enumerate() {
            match col {
                Column::Id {
                    property,
                    space,
                    id_type,
                } => {
                    let ty = id_type.unwrap_or(self.opts.id_type);
                    ctx.id_space = self.spaces.declare(space, ty).map_err(|have| {
                        at(
                            Some(header.names[i].clone()),
                            BadKind::Header,
                            format!(
                                "ID space {} holds {have} ids (so an earlier input says), not {ty} ids",
                                self.spaces.get(self.spaces.find(space).unwrap_or(0)).shown()
                            ),
                        )
                    })?;
                    ctx.id_col = Some(i);
                    ctx.id_property = property.clone();
                }
                Column::Label => ctx.label_col = Some(i),
                Column::StartId { space } | Column::EndId { space } => {
                    let s = match self.spaces.find(space) {
                        Some(s) => s,
                        None if self.had_nodes => {
                            self.spaces.find_or_create(space, self.opts.id_type)
                        }
                        None => {
                            let shown = if space.is_empty() {
                                "the global ID space (an :ID column without a space)".to_string()
                            } else {
                                format!("ID space {space}")
                            };
                            return Err(at(
                                Some(header.names[i].clone()),
                                BadKind::Header,
                                format!("no nodes input declares {shown}"),
                            ));
                        }
                    };
                    if matches!(col, Column::StartId { .. }) {
                        ctx.start_col = i;
                        ctx.start_space = s;
                    } else {
                        ctx.end_col = i;
                        ctx.end_space = s;
                    }
                }
                Column::Type => ctx.type_col = Some(i),
                Column::Ignore => {}
                Column::Property { key, ty } => {
                    ctx.any_untyped |= ty.is_none();
                    ctx.props.push((i, key.clone(), ty.clone()));
                }
                Column::Provenance => ctx.prov_col = Some(i),
            }
        }
        ctx.header = header;
        Ok(ctx)
    }

    /// A node row.
    fn node_row(&mut self, c: &FileCtx, path: &Path, r: &Reader) -> Result<(), Box<BadRow>> {
        let bad = |col: Option<usize>, kind: BadKind, reason: String| {
            csv_bad_row(c, path, r, col, kind, reason)
        };
        check_width(c, r).map_err(|m| bad(None, BadKind::Ragged, m))?;
        let text = |i: usize| utf8(r, i).map_err(|m| bad(Some(i), BadKind::Utf8, m));
        let array_delim = self.opts.array_delimiter as char;

        let mut labels = c.group_labels.clone();
        if let Some(i) = c.label_col {
            labels.extend(
                text(i)?
                    .split(array_delim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_string),
            );
        }
        let schema = self.graph.schema();
        let refs: Vec<&str> = if c.any_untyped || c.id_property.is_some() {
            labels.iter().map(String::as_str).collect()
        } else {
            Vec::new()
        };

        let mut props = BTreeMap::new();
        for (i, key, ty) in &c.props {
            if r.field(*i).is_empty() && !r.quoted(*i) {
                continue;
            }
            let t = text(*i)?;
            let (scalar, array) = match ty {
                Some(ft) => (ft.scalar, ft.array),
                None => scalar_of(schema.node_property_type(&refs, key)),
            };
            let v = field_value(t, scalar, array, array_delim).map_err(|item| {
                bad(
                    Some(*i),
                    BadKind::WrongType,
                    type_message(t, &item, ty, scalar, array),
                )
            })?;
            props.insert(key.clone(), v);
        }

        let mut id = None;
        if let Some(i) = c.id_col {
            let t = text(i)?;
            if t.is_empty() {
                return Err(bad(Some(i), BadKind::MissingId, "the id is empty".into()));
            }
            let parsed = self
                .spaces
                .get(c.id_space)
                .parse(t)
                .map_err(|m| bad(Some(i), BadKind::WrongType, m))?;
            if let Some(m) = self.duplicate(c.id_space, parsed, t) {
                return Err(bad(Some(i), BadKind::DuplicateId, m));
            }
            if let Some(p) = &c.id_property {
                if schema.open || schema.node_property_type(&refs, p).is_some() {
                    let v = match parsed {
                        IdRef::Int(n) => Value::Int(n),
                        IdRef::Str(s) => Value::String(s.to_string()),
                    };
                    props.insert(p.clone(), v);
                }
            }
            id = Some((parsed, t));
        }
        drop(refs);

        let sources = match c.prov_col {
            Some(i) if !r.field(i).is_empty() => {
                parse_provenance(text(i)?).map_err(|m| bad(Some(i), BadKind::Provenance, m))?
            }
            _ => Vec::new(),
        };

        let node = self.graph.add_node(labels, props, sources).map_err(|e| {
            let (col, kind, reason) = store_error(c, e);
            bad(col, kind, reason)
        })?;
        if let Some((parsed, _)) = id {
            self.spaces.get_mut(c.id_space).insert(parsed, node);
        }
        self.mark_imported(node);
        self.summary.nodes += 1;
        Ok(())
    }

    /// A relationship row.
    fn rel_row(&mut self, c: &FileCtx, path: &Path, r: &Reader) -> Result<(), Box<BadRow>> {
        let bad = |col: Option<usize>, kind: BadKind, reason: String| {
            csv_bad_row(c, path, r, col, kind, reason)
        };
        check_width(c, r).map_err(|m| bad(None, BadKind::Ragged, m))?;
        let text = |i: usize| utf8(r, i).map_err(|m| bad(Some(i), BadKind::Utf8, m));
        let array_delim = self.opts.array_delimiter as char;

        let mut ends = [NodeId(0); 2];
        for (k, (col, space)) in [(c.start_col, c.start_space), (c.end_col, c.end_space)]
            .into_iter()
            .enumerate()
        {
            let t = text(col)?;
            if t.is_empty() {
                return Err(bad(Some(col), BadKind::MissingId, "the id is empty".into()));
            }
            let s = self.spaces.get(space);
            let parsed = s
                .parse(t)
                .map_err(|m| bad(Some(col), BadKind::WrongType, m))?;
            ends[k] = self.resolve(space, parsed, t).ok_or_else(|| {
                bad(
                    Some(col),
                    BadKind::DanglingEndpoint,
                    format!("no node has id {t:?} in ID space {}", s.shown()),
                )
            })?;
        }

        let rel_type: &str = match c.type_col {
            Some(i) if !r.field(i).is_empty() => text(i)?,
            _ => match &c.group_type {
                Some(t) => t,
                None => {
                    return Err(bad(
                        c.type_col,
                        BadKind::Schema,
                        "the relationship type is empty".into(),
                    ))
                }
            },
        };

        let schema = self.graph.schema();
        let mut props = BTreeMap::new();
        for (i, key, ty) in &c.props {
            if r.field(*i).is_empty() && !r.quoted(*i) {
                continue;
            }
            let t = text(*i)?;
            let (scalar, array) = match ty {
                Some(ft) => (ft.scalar, ft.array),
                None => scalar_of(schema.edge_property_type(rel_type, key)),
            };
            let v = field_value(t, scalar, array, array_delim).map_err(|item| {
                bad(
                    Some(*i),
                    BadKind::WrongType,
                    type_message(t, &item, ty, scalar, array),
                )
            })?;
            props.insert(key.clone(), v);
        }

        let sources = match c.prov_col {
            Some(i) if !r.field(i).is_empty() => {
                parse_provenance(text(i)?).map_err(|m| bad(Some(i), BadKind::Provenance, m))?
            }
            _ => Vec::new(),
        };

        self.graph
            .add_edge(ends[0], ends[1], rel_type, props, sources)
            .map_err(|e| {
                let (col, kind, reason) = store_error(c, e);
                bad(col, kind, reason)
            })?;
        self.summary.relationships += 1;
        Ok(())
    }

    // ---- JSON lines ----

    /// The lines of a group's files that `pass` imports; a nodes group's
    /// labels go on every node, a relationships group's type on every
    /// relationship without a `label`.
    fn jsonl_group(
        &mut self,
        group: &InputGroup,
        kind: FileKind,
        pass: Pass,
    ) -> Result<(), ImportError> {
        (self.json_labels, self.json_type) = match kind {
            FileKind::Nodes => (group.labels.clone(), None),
            FileKind::Relationships => (Vec::new(), group.labels.first().cloned()),
        };
        for f in &group.files {
            self.jsonl_file(f, pass)?;
        }
        Ok(())
    }

    fn jsonl_file(&mut self, path: &Path, pass: Pass) -> Result<(), ImportError> {
        let mut input = source::open(path).map_err(|error| ImportError::Input {
            path: path.to_path_buf(),
            error,
        })?;
        let counter = input.bytes_read.clone();
        let space = self.spaces.find_or_create("", self.opts.id_type);
        self.tick(path, 0);
        input.for_each_line(path, |line, bytes| {
            let at = |column: Option<&str>, kind: BadKind, reason: String| BadRow {
                file: path.to_path_buf(),
                line,
                column: column.map(str::to_string),
                kind,
                reason,
                json: true,
            };
            let text = std::str::from_utf8(bytes).map_err(|e| {
                at(
                    None,
                    BadKind::Utf8,
                    format!(
                        "the line is not valid UTF-8 (bad byte after {:?})",
                        String::from_utf8_lossy(&bytes[..e.valid_up_to()])
                    ),
                )
            })?;
            #[derive(Deserialize)]
            struct Head<'a> {
                #[serde(rename = "type", borrow, default)]
                kind: Option<Cow<'a, str>>,
            }
            let head: Head = serde_json::from_str(text).map_err(|e| json_syntax(&at, &e))?;
            let kind = head.kind.as_deref().unwrap_or("");
            match (kind, pass) {
                ("node", Pass::Nodes) => {
                    let v: Json = serde_json::from_str(text).map_err(|e| json_syntax(&at, &e))?;
                    if let Err(b) = self.json_node(&v, space, &at) {
                        self.bad(*b, FileKind::Nodes)?;
                    }
                    self.row_done(path, &counter);
                }
                ("document", Pass::Nodes) => {
                    let v: Json = serde_json::from_str(text).map_err(|e| json_syntax(&at, &e))?;
                    self.json_document(&v, &at).map_err(ImportError::Bad)?;
                }
                ("relationship", Pass::Relationships) => {
                    let v: Json = serde_json::from_str(text).map_err(|e| json_syntax(&at, &e))?;
                    if let Err(b) = self.json_rel(&v, space, &at) {
                        self.bad(*b, FileKind::Relationships)?;
                    }
                    self.row_done(path, &counter);
                }
                ("node" | "document", Pass::Relationships) | ("relationship", Pass::Nodes) => {}
                (other, _) => {
                    return Err(at(
                        Some("type"),
                        BadKind::Json,
                        if other.is_empty() {
                            "a line needs \"type\": \"node\", \"relationship\" or \"document\""
                                .into()
                        } else {
                            format!(
                                "unknown type {other:?} (expected node, relationship or document)"
                            )
                        },
                    )
                    .into())
                }
            }
            Ok(())
        })?;
        self.bytes_done += counter.get();
        self.tick(path, 0);
        Ok(())
    }

    fn json_node(
        &mut self,
        v: &Json,
        space: usize,
        at: &dyn Fn(Option<&str>, BadKind, String) -> BadRow,
    ) -> Result<(), Box<BadRow>> {
        let bad = |f: &str, k: BadKind, m: String| Box::new(at(Some(f), k, m));
        let obj = v
            .as_object()
            .ok_or_else(|| bad("type", BadKind::Json, "not an object".into()))?;
        let id_text = json_id(obj.get("id")).map_err(|(k, m)| bad("id", k, m))?;
        let mut labels: Vec<String> = match obj.get("labels") {
            None | Some(Json::Null) => Vec::new(),
            Some(Json::Array(items)) => items
                .iter()
                .map(|l| l.as_str().map(str::to_string))
                .collect::<Option<_>>()
                .ok_or_else(|| {
                    bad(
                        "labels",
                        BadKind::Json,
                        "labels must be an array of strings".into(),
                    )
                })?,
            Some(_) => {
                return Err(bad(
                    "labels",
                    BadKind::Json,
                    "labels must be an array of strings".into(),
                ))
            }
        };
        labels.extend(self.json_labels.iter().cloned());
        let schema = self.graph.schema();
        let refs: Vec<&str> = labels.iter().map(String::as_str).collect();
        let mut props = BTreeMap::new();
        for (k, val) in
            json_object(obj.get("properties")).map_err(|m| bad("properties", BadKind::Json, m))?
        {
            let ty = schema.node_property_type(&refs, k);
            let field = format!("properties.{k}");
            if let Some(value) =
                json_value(val, ty).map_err(|m| bad(&field, BadKind::WrongType, m))?
            {
                props.insert(k.clone(), value);
            }
        }
        drop(refs);
        let sources = json_sources(obj.get("provenance"))
            .map_err(|m| bad("provenance", BadKind::Provenance, m))?;
        let parsed = self
            .spaces
            .get(space)
            .parse(&id_text)
            .map_err(|m| bad("id", BadKind::WrongType, m))?;
        if let Some(m) = self.duplicate(space, parsed, &id_text) {
            return Err(bad("id", BadKind::DuplicateId, m));
        }
        let node = self.graph.add_node(labels, props, sources).map_err(|e| {
            let (f, k, m) = json_store_error(e);
            Box::new(at(f.as_deref(), k, m))
        })?;
        self.spaces.get_mut(space).insert(parsed, node);
        self.mark_imported(node);
        self.summary.nodes += 1;
        Ok(())
    }

    fn json_rel(
        &mut self,
        v: &Json,
        space: usize,
        at: &dyn Fn(Option<&str>, BadKind, String) -> BadRow,
    ) -> Result<(), Box<BadRow>> {
        let bad = |f: &str, k: BadKind, m: String| Box::new(at(Some(f), k, m));
        let obj = v
            .as_object()
            .ok_or_else(|| bad("type", BadKind::Json, "not an object".into()))?;
        let rel_type = match (obj.get("label"), &self.json_type) {
            (Some(Json::String(s)), _) if !s.is_empty() => s.as_str(),
            (None | Some(Json::Null), Some(t)) => t.as_str(),
            _ => {
                return Err(bad(
                    "label",
                    BadKind::Schema,
                    "a relationship needs \"label\": its type (as APOC writes it)".into(),
                ))
            }
        };
        let mut ends = [NodeId(0); 2];
        for (k, field) in ["start", "end"].into_iter().enumerate() {
            let endpoint = match obj.get(field) {
                Some(Json::Object(o)) => o.get("id"),
                other => other,
            };
            let t = json_id(endpoint).map_err(|(kind, m)| bad(field, kind, m))?;
            let s = self.spaces.get(space);
            let parsed = s.parse(&t).map_err(|m| bad(field, BadKind::WrongType, m))?;
            ends[k] = self.resolve(space, parsed, &t).ok_or_else(|| {
                bad(
                    field,
                    BadKind::DanglingEndpoint,
                    format!("no node has id {t:?}"),
                )
            })?;
        }
        let schema = self.graph.schema();
        let mut props = BTreeMap::new();
        for (k, val) in
            json_object(obj.get("properties")).map_err(|m| bad("properties", BadKind::Json, m))?
        {
            let ty = schema.edge_property_type(rel_type, k);
            let field = format!("properties.{k}");
            if let Some(value) =
                json_value(val, ty).map_err(|m| bad(&field, BadKind::WrongType, m))?
            {
                props.insert(k.clone(), value);
            }
        }
        let sources = json_sources(obj.get("provenance"))
            .map_err(|m| bad("provenance", BadKind::Provenance, m))?;
        self.graph
            .add_edge(ends[0], ends[1], rel_type, props, sources)
            .map_err(|e| {
                let (f, k, m) = json_store_error(e);
                Box::new(at(f.as_deref(), k, m))
            })?;
        self.summary.relationships += 1;
        Ok(())
    }

    fn json_document(
        &mut self,
        v: &Json,
        at: &dyn Fn(Option<&str>, BadKind, String) -> BadRow,
    ) -> Result<(), Box<BadRow>> {
        let bad = |f: &str, m: String| Box::new(at(Some(f), BadKind::Json, m));
        let obj = v
            .as_object()
            .ok_or_else(|| bad("type", "not an object".into()))?;
        let string = |f: &str, required: bool| -> Result<Option<String>, Box<BadRow>> {
            match obj.get(f) {
                Some(Json::String(s)) => Ok(Some(s.clone())),
                None | Some(Json::Null) if !required => Ok(None),
                None | Some(Json::Null) => Err(bad(f, format!("a document needs {f:?}"))),
                Some(_) => Err(bad(f, format!("{f} must be a string"))),
            }
        };
        let id = string("id", true)?.unwrap_or_default();
        let text = string("text", true)?.unwrap_or_default();
        let title = string("title", false)?.unwrap_or_else(|| id.clone());
        let mut record = DocumentRecord::new(&id, &title, &text);
        record.source = string("source", false)?;
        record.date = match string("date", false)? {
            Some(d) => Some(Date::parse(&d).map_err(|e| bad("date", e.to_string()))?),
            None => None,
        };
        match obj.get("sentences") {
            None | Some(Json::Null) => {}
            Some(s) => {
                record.sentences = Vec::<(u32, u32)>::deserialize(s).map_err(|e| {
                    bad(
                        "sentences",
                        format!("sentences must be [[start, end], ...]: {e}"),
                    )
                })?;
            }
        }
        if let Some(old) = self.graph.document(&id) {
            if *old == record {
                return Ok(());
            }
            return Err(bad(
                "id",
                format!("document {id:?} is already in the store with a different text, title, source, date or sentences"),
            ));
        }
        self.graph.add_document(record);
        self.summary.documents += 1;
        Ok(())
    }
}

/// A ragged row's message, if the row is ragged.
fn check_width(c: &FileCtx, r: &Reader) -> Result<(), String> {
    let (n, m) = (r.len(), c.header.columns.len());
    if n == m {
        return Ok(());
    }
    let kind = match c.kind {
        FileKind::Nodes => "nodes",
        FileKind::Relationships => "relationships",
    };
    Err(if n < m {
        format!(
            "the row has {n} field(s) but the {kind} header has {m}: column {} and after are missing",
            c.header.names[n]
        )
    } else {
        format!("the row has {n} field(s) but the {kind} header has {m}")
    })
}

fn utf8(r: &Reader, i: usize) -> Result<&str, String> {
    let bytes = r.field(i);
    std::str::from_utf8(bytes).map_err(|e| {
        format!(
            "the field is not valid UTF-8 (bad byte 0x{:02x} after {:?})",
            bytes[e.valid_up_to()],
            String::from_utf8_lossy(&bytes[..e.valid_up_to()])
        )
    })
}

/// `"19x4" is not an int`
fn type_message(
    text: &str,
    item_prefix: &str,
    declared: &Option<FieldType>,
    scalar: Scalar,
    array: bool,
) -> String {
    match declared {
        Some(ft) => {
            let shown = if array {
                ft.written.trim_end_matches("[]").to_string()
            } else {
                ft.written.clone()
            };
            format!("{item_prefix}{text:?} is not {} {shown}", article(&shown))
        }
        None => {
            let ty = scalar.prop_type();
            let ty = if array {
                PropType::List(Box::new(ty))
            } else {
                ty
            };
            let shown = if array && !item_prefix.is_empty() {
                scalar.prop_type().to_string()
            } else {
                ty.to_string()
            };
            format!(
                "{item_prefix}{text:?} is not {} {shown} (the schema's type; the header gives none)",
                article(&shown)
            )
        }
    }
}

/// Where a refused CSV row went wrong.
fn store_error(c: &FileCtx, e: StoreError) -> (Option<usize>, BadKind, String) {
    let message = e.to_string();
    match e {
        StoreError::Schema(se) => match se {
            SchemaError::UnknownLabel { .. } | SchemaError::NoLabel => {
                (c.label_col, BadKind::Schema, message)
            }
            SchemaError::UnknownRelType { .. } => (c.type_col, BadKind::Schema, message),
            SchemaError::UnknownProperty { key, .. } => (c.col_of(&key), BadKind::Schema, message),
            SchemaError::WrongType { key, .. } => (c.col_of(&key), BadKind::WrongType, message),
            SchemaError::MissingProperty { .. } => (None, BadKind::Schema, message),
            SchemaError::BadEndpoint { side, .. } => (
                Some(if side == "start at" {
                    c.start_col
                } else {
                    c.end_col
                }),
                BadKind::Schema,
                message,
            ),
        },
        StoreError::DuplicateKey { .. } => (
            c.col_of(crate::model::KEY_PROPERTY),
            BadKind::DuplicateId,
            message,
        ),
        StoreError::UnknownDocument(_) => {
            (c.prov_col, BadKind::Provenance, unknown_document(&message))
        }
        _ => (None, BadKind::Schema, message),
    }
}

fn unknown_document(message: &str) -> String {
    format!("{message}; give it as a document line of a JSON lines input (--nodes documents.jsonl)")
}

/// Where a refused JSON line went wrong.
fn json_store_error(e: StoreError) -> (Option<String>, BadKind, String) {
    let message = e.to_string();
    let prop = |k: &str| Some(format!("properties.{k}"));
    match e {
        StoreError::Schema(se) => match se {
            SchemaError::UnknownLabel { .. } | SchemaError::NoLabel => {
                (Some("labels".into()), BadKind::Schema, message)
            }
            SchemaError::UnknownRelType { .. } => (Some("label".into()), BadKind::Schema, message),
            SchemaError::UnknownProperty { key, .. } => (prop(&key), BadKind::Schema, message),
            SchemaError::WrongType { key, .. } => (prop(&key), BadKind::WrongType, message),
            SchemaError::MissingProperty { .. } => (None, BadKind::Schema, message),
            SchemaError::BadEndpoint { side, .. } => (
                Some(if side == "start at" { "start" } else { "end" }.into()),
                BadKind::Schema,
                message,
            ),
        },
        StoreError::DuplicateKey { .. } => (
            prop(crate::model::KEY_PROPERTY),
            BadKind::DuplicateId,
            message,
        ),
        StoreError::UnknownDocument(_) => (
            Some("provenance".into()),
            BadKind::Provenance,
            unknown_document(&message),
        ),
        _ => (None, BadKind::Schema, message),
    }
}

/// A JSON syntax error, without serde's `at line 1 column N` (the file line is known).
fn json_syntax(
    at: &dyn Fn(Option<&str>, BadKind, String) -> BadRow,
    e: &serde_json::Error,
) -> BadRow {
    let text = e.to_string();
    let text = match text.rfind(" at line ") {
        Some(p) => text[..p].to_string(),
        None => text,
    };
    at(
        None,
        BadKind::Json,
        format!("not valid JSON (at character {}): {text}", e.column()),
    )
}

/// An id: a JSON string, or an integer written as text.
fn json_id(v: Option<&Json>) -> Result<String, (BadKind, String)> {
    match v {
        Some(Json::String(s)) if !s.is_empty() => Ok(s.clone()),
        Some(Json::Number(n)) if n.is_i64() || n.is_u64() => Ok(n.to_string()),
        None | Some(Json::Null) => Err((BadKind::MissingId, "the id is missing".into())),
        Some(Json::String(_)) => Err((BadKind::MissingId, "the id is empty".into())),
        Some(other) => Err((
            BadKind::WrongType,
            format!("an id is a string or an integer, not {other}"),
        )),
    }
}

fn json_object(v: Option<&Json>) -> Result<&Map<String, Json>, String> {
    static EMPTY: std::sync::OnceLock<Map<String, Json>> = std::sync::OnceLock::new();
    match v {
        None | Some(Json::Null) => Ok(EMPTY.get_or_init(Map::new)),
        Some(Json::Object(m)) => Ok(m),
        Some(_) => Err("properties must be an object".into()),
    }
}

fn json_sources(v: Option<&Json>) -> Result<Vec<Provenance>, String> {
    match v {
        None | Some(Json::Null) => Ok(Vec::new()),
        Some(v) => json_provenance(v),
    }
}

/// A bad row of a CSV file, naming the column when one is at fault.
fn csv_bad_row(
    c: &FileCtx,
    path: &Path,
    r: &Reader,
    col: Option<usize>,
    kind: BadKind,
    reason: String,
) -> Box<BadRow> {
    Box::new(BadRow {
        file: path.to_path_buf(),
        line: r.line(),
        column: col.map(|i| c.header.names[i].clone()),
        kind,
        reason,
        json: false,
    })
}
