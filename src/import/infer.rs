//! `--infer-schema`: a schema from the headers and the labels and types in the data.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Instant;

use serde_json::Value as Json;

use crate::model::{LabelDef, PropDef, PropType, RelTypeDef, Schema};

use super::csv_reader::{CsvError, CsvReader};
use super::error::{BadKind, BadRow, ImportError};
use super::header::{parse_header, Column, FileKind, IdType};
use super::source::{self, file_size};
use super::values::{json_type, merge_types};
use super::{ImportOptions, InputFormat, InputGroup, Phase, Progress};

/// A header as inference reads it: the label or type column, and the property declarations.
type HeaderDecls = (Option<usize>, Vec<(String, PropType)>);

/// Declared properties per label or type, and where each was first seen.
type Decls = BTreeMap<String, (String, BTreeMap<String, PropType>)>;

fn declare(decls: &mut Decls, name: &str, file: &Path, props: &[(String, PropType)]) {
    let entry = decls
        .entry(name.to_string())
        .or_insert_with(|| (format!("inferred from {}", file.display()), BTreeMap::new()));
    for (k, t) in props {
        let merged = match entry.1.remove(k) {
            Some(prev) => merge_types(prev, t.clone()),
            None => t.clone(),
        };
        entry.1.insert(k.clone(), merged);
    }
}

struct Infer<'a> {
    opts: &'a ImportOptions,
    progress: &'a mut dyn FnMut(&Progress),
    started: Instant,
    rows: u64,
    bytes_done: u64,
    total_bytes: u64,
    labels: Decls,
    rels: Decls,
}

pub(crate) fn infer(
    opts: &ImportOptions,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Schema, ImportError> {
    let total_bytes = opts
        .nodes
        .iter()
        .chain(&opts.relationships)
        .flat_map(|g| &g.files)
        .map(|f| file_size(f))
        .sum();
    let mut inf = Infer {
        opts,
        progress,
        started: Instant::now(),
        rows: 0,
        bytes_done: 0,
        total_bytes,
        labels: Decls::new(),
        rels: Decls::new(),
    };
    for (groups, kind) in [
        (&opts.nodes, FileKind::Nodes),
        (&opts.relationships, FileKind::Relationships),
    ] {
        for g in groups {
            if opts.format_of(&g.files[0]) == InputFormat::Jsonl {
                for f in &g.files {
                    inf.jsonl(f)?;
                }
            } else {
                inf.csv_group(g, kind)?;
            }
        }
    }
    let props = |m: BTreeMap<String, PropType>| {
        m.into_iter()
            .map(|(k, ty)| {
                (
                    k,
                    PropDef {
                        ty,
                        required: false,
                        description: String::new(),
                    },
                )
            })
            .collect()
    };
    Ok(Schema {
        open: false,
        labels: inf
            .labels
            .into_iter()
            .map(|(l, (description, p))| {
                (
                    l,
                    LabelDef {
                        description,
                        properties: props(p),
                    },
                )
            })
            .collect(),
        rel_types: inf
            .rels
            .into_iter()
            .map(|(t, (description, p))| {
                (
                    t,
                    RelTypeDef {
                        description,
                        from: Vec::new(),
                        to: Vec::new(),
                        properties: props(p),
                    },
                )
            })
            .collect(),
    })
}

impl Infer<'_> {
    fn tick(&mut self, file: &Path, file_bytes: u64) {
        let elapsed = self.started.elapsed();
        (self.progress)(&Progress {
            phase: Phase::Schema,
            file: Some(file),
            rows: self.rows,
            nodes: 0,
            relationships: 0,
            skipped: 0,
            bytes_read: self.bytes_done + file_bytes,
            total_bytes: self.total_bytes,
            phase_elapsed: elapsed,
            elapsed,
        });
    }

    fn csv_group(&mut self, group: &InputGroup, kind: FileKind) -> Result<(), ImportError> {
        // (label or type column, property declarations) once the header is read
        let mut header: Option<HeaderDecls> = None;
        let mut seen: BTreeSet<String> = BTreeSet::new();
        let group_labels: Vec<String> = group.labels.clone();
        for path in &group.files {
            let input = source::open(path).map_err(|error| ImportError::Input {
                path: path.clone(),
                error,
            })?;
            let counter = input.bytes_read.clone();
            let mut r = CsvReader::new(input.reader, self.opts.delimiter, self.opts.quote);
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
                    Err(CsvError::Quote { line, message, .. }) => {
                        return Err(BadRow {
                            file: path.clone(),
                            line,
                            column: None,
                            kind: BadKind::Quoting,
                            reason: message,
                            json: false,
                        }
                        .into())
                    }
                }
                let Some((col, _)) = &header else {
                    let cells: Vec<String> = (0..r.len())
                        .map(|i| String::from_utf8_lossy(r.field(i)).into_owned())
                        .collect();
                    let h = parse_header(&cells, kind, !group.labels.is_empty()).map_err(|e| {
                        ImportError::from(BadRow {
                            file: path.clone(),
                            line: r.line(),
                            column: (e.index < cells.len()).then(|| e.cell.clone()),
                            kind: BadKind::Header,
                            reason: e.message,
                            json: false,
                        })
                    })?;
                    let mut col = None;
                    let mut props = Vec::new();
                    for (i, c) in h.columns.iter().enumerate() {
                        match c {
                            Column::Label | Column::Type => col = Some(i),
                            Column::Property { key, ty } => props.push((
                                key.clone(),
                                ty.as_ref().map_or(PropType::String, |t| t.prop_type()),
                            )),
                            Column::Id {
                                property: Some(p),
                                id_type,
                                ..
                            } => props.push((
                                p.clone(),
                                match id_type.unwrap_or(self.opts.id_type) {
                                    IdType::String => PropType::String,
                                    IdType::Integer => PropType::Int,
                                },
                            )),
                            _ => {}
                        }
                    }
                    header = Some((col, props));
                    continue;
                };
                if let Some(i) = *col {
                    if i < r.len() {
                        let text = String::from_utf8_lossy(r.field(i));
                        match kind {
                            FileKind::Nodes => seen.extend(
                                text.split(self.opts.array_delimiter as char)
                                    .filter(|l| !l.is_empty())
                                    .map(str::to_string),
                            ),
                            FileKind::Relationships if !text.is_empty() => {
                                seen.insert(text.into_owned());
                            }
                            FileKind::Relationships => {}
                        }
                    }
                }
                self.rows += 1;
                if self.rows.is_multiple_of(4096) {
                    self.tick(path, counter.get());
                }
            }
            self.bytes_done += counter.get();
        }
        let Some((_, props)) = header else {
            return Ok(());
        };
        seen.extend(group_labels);
        let decls = match kind {
            FileKind::Nodes => &mut self.labels,
            FileKind::Relationships => &mut self.rels,
        };
        for name in &seen {
            declare(decls, name, &group.files[0], &props);
        }
        Ok(())
    }

    fn jsonl(&mut self, path: &Path) -> Result<(), ImportError> {
        let mut input = source::open(path).map_err(|error| ImportError::Input {
            path: path.to_path_buf(),
            error,
        })?;
        let counter = input.bytes_read.clone();
        input.for_each_line(path, |line, bytes| {
            let v: Json = serde_json::from_slice(bytes).map_err(|e| {
                ImportError::from(BadRow {
                    file: path.to_path_buf(),
                    line,
                    column: None,
                    kind: BadKind::Json,
                    reason: format!("not valid JSON (at character {}): {e}", e.column()),
                    json: true,
                })
            })?;
            let props: Vec<(String, PropType)> = v
                .get("properties")
                .and_then(Json::as_object)
                .map(|m| {
                    m.iter()
                        .filter_map(|(k, v)| json_type(v).map(|t| (k.clone(), t)))
                        .collect()
                })
                .unwrap_or_default();
            match v.get("type").and_then(Json::as_str) {
                Some("node") => {
                    for l in v
                        .get("labels")
                        .and_then(Json::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(Json::as_str)
                    {
                        declare(&mut self.labels, l, path, &props);
                    }
                }
                Some("relationship") => {
                    if let Some(t) = v.get("label").and_then(Json::as_str) {
                        declare(&mut self.rels, t, path, &props);
                    }
                }
                _ => {}
            }
            self.rows += 1;
            if self.rows.is_multiple_of(4096) {
                self.tick(path, counter.get());
            }
            Ok(())
        })?;
        self.bytes_done += counter.get();
        Ok(())
    }
}
