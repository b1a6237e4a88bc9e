//! CSV inputs: a group's files, their header, and each row read into the
//! shared row path.

use std::collections::BTreeMap;
use std::path::Path;

use crate::model::{PropType, Provenance, Value};
use crate::store::NodeId;

use crate::import::csv_reader::{CsvError, CsvReader};
use crate::import::error::{BadKind, BadRow, ImportError};
use crate::import::header::{parse_header, Column, FieldType, FileKind, Header, Scalar};
use crate::import::ids::IdRef;
use crate::import::source;
use crate::import::values::{parse_provenance, parse_scalar, scalar_of};
use crate::import::InputGroup;

use super::rows::{Fault, Place};
use super::{Reader, Run};

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
    /// The column that holds `place`.
    fn column(&self, place: &Place) -> Option<usize> {
        match place {
            Place::Row => None,
            Place::Id => self.id_col,
            Place::Labels => self.label_col,
            Place::Type => self.type_col,
            Place::Start => Some(self.start_col),
            Place::End => Some(self.end_col),
            Place::Property(key) => self.col_of(key),
            Place::Provenance => self.prov_col,
        }
    }

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

impl Run<'_> {
    pub(super) fn csv_group(
        &mut self,
        group: &InputGroup,
        kind: FileKind,
    ) -> Result<(), ImportError> {
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
                let row = CsvRow { c, path, r: &r };
                let result = check_width(c, &r)
                    .map_err(|m| row.bad(None, BadKind::Ragged, m))
                    .and_then(|()| match kind {
                        FileKind::Nodes => self.node_row(&row),
                        FileKind::Relationships => self.rel_row(&row),
                    });
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
    fn node_row(&mut self, row: &CsvRow<'_>) -> Result<(), Box<BadRow>> {
        let c = row.c;
        let array_delim = self.opts.array_delimiter as char;
        let mut labels = c.group_labels.clone();
        if let Some(i) = c.label_col {
            labels.extend(
                row.text(i)?
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
        let mut props = row.props(array_delim, |key| schema.node_property_type(&refs, key))?;

        let mut id = None;
        if let Some(i) = c.id_col {
            let t = row.text(i)?;
            if t.is_empty() {
                return Err(row.bad(Some(i), BadKind::MissingId, "the id is empty".into()));
            }
            let parsed = self.new_id(c.id_space, t).map_err(|f| row.fault(f))?;
            if let Some(p) = &c.id_property {
                if schema.open || schema.node_property_type(&refs, p).is_some() {
                    let v = match parsed {
                        IdRef::Int(n) => Value::Int(n),
                        IdRef::Str(s) => Value::String(s.to_string()),
                    };
                    props.insert(p.clone(), v);
                }
            }
            id = Some((c.id_space, parsed));
        }
        drop(refs);

        let sources = row.sources()?;
        self.add_node_row(labels, props, sources, id)
            .map_err(|f| row.fault(f))
    }

    /// A relationship row.
    fn rel_row(&mut self, row: &CsvRow<'_>) -> Result<(), Box<BadRow>> {
        let CsvRow { c, r, .. } = *row;
        let mut ends = [NodeId(0); 2];
        for (k, (end, col, space)) in [
            (Place::Start, c.start_col, c.start_space),
            (Place::End, c.end_col, c.end_space),
        ]
        .into_iter()
        .enumerate()
        {
            let t = row.text(col)?;
            if t.is_empty() {
                return Err(row.bad(Some(col), BadKind::MissingId, "the id is empty".into()));
            }
            ends[k] = self
                .endpoint(space, t, end, || {
                    let shown = self.spaces.get(space).shown();
                    format!("no node has id {t:?} in ID space {shown}")
                })
                .map_err(|f| row.fault(f))?;
        }

        let rel_type: &str = match c.type_col {
            Some(i) if !r.field(i).is_empty() => row.text(i)?,
            _ => match &c.group_type {
                Some(t) => t,
                None => {
                    return Err(row.bad(
                        c.type_col,
                        BadKind::Schema,
                        "the relationship type is empty".into(),
                    ))
                }
            },
        };

        let schema = self.graph.schema();
        let array_delim = self.opts.array_delimiter as char;
        let props = row.props(array_delim, |key| schema.edge_property_type(rel_type, key))?;
        let sources = row.sources()?;
        self.add_rel_row(ends, rel_type, props, sources)
            .map_err(|f| row.fault(f))
    }
}

/// A row of a CSV file being read, and where what is wrong with it stands.
#[derive(Clone, Copy)]
struct CsvRow<'a> {
    c: &'a FileCtx,
    path: &'a Path,
    r: &'a Reader,
}

impl<'a> CsvRow<'a> {
    /// The row as a bad row, naming column `col` when one is at fault.
    fn bad(&self, col: Option<usize>, kind: BadKind, reason: String) -> Box<BadRow> {
        Box::new(BadRow {
            file: self.path.to_path_buf(),
            line: self.r.line(),
            column: col.map(|i| self.c.header.names[i].clone()),
            kind,
            reason,
            json: false,
        })
    }

    /// A fault of the shared row path, at the column that holds its place.
    fn fault(&self, (place, kind, reason): Fault) -> Box<BadRow> {
        self.bad(self.c.column(&place), kind, reason)
    }

    /// Field `i` as text.
    fn text(&self, i: usize) -> Result<&'a str, Box<BadRow>> {
        utf8(self.r, i).map_err(|m| self.bad(Some(i), BadKind::Utf8, m))
    }

    /// The property columns, typed by the header or else by `schema_type`.
    fn props<'s>(
        &self,
        array_delim: char,
        schema_type: impl Fn(&str) -> Option<&'s PropType>,
    ) -> Result<BTreeMap<String, Value>, Box<BadRow>> {
        let mut props = BTreeMap::new();
        for (i, key, ty) in &self.c.props {
            if self.r.field(*i).is_empty() && !self.r.quoted(*i) {
                continue;
            }
            let t = self.text(*i)?;
            let (scalar, array) = match ty {
                Some(ft) => (ft.scalar, ft.array),
                None => scalar_of(schema_type(key)),
            };
            let v = field_value(t, scalar, array, array_delim).map_err(|item| {
                self.bad(
                    Some(*i),
                    BadKind::WrongType,
                    type_message(t, &item, ty, scalar, array),
                )
            })?;
            props.insert(key.clone(), v);
        }
        Ok(props)
    }

    /// The provenance column.
    fn sources(&self) -> Result<Vec<Provenance>, Box<BadRow>> {
        match self.c.prov_col {
            Some(i) if !self.r.field(i).is_empty() => parse_provenance(self.text(i)?)
                .map_err(|m| self.bad(Some(i), BadKind::Provenance, m)),
            _ => Ok(Vec::new()),
        }
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
