//! Header lines in the conventions of `neo4j-admin database import`.
//!
//! A header cell is `name:type`, `name` alone (a string property, or the
//! schema's type for it), or `:type` for the structural columns:
//! `:ID` / `name:ID(Space){id-type:integer}`, `:LABEL`, `:START_ID(Space)`,
//! `:END_ID(Space)`, `:TYPE` and `:IGNORE`. Property types are `int`,
//! `long`, `short`, `byte` (all 64-bit integers here), `float`, `double`,
//! `boolean`, `char`, `string`, `date`, and arrays of them (`string[]`).
//! Type names are case-insensitive. A property named `provenance` holds
//! factgraph provenance as JSON (see the module documentation).

use std::collections::BTreeSet;
use std::fmt;

use crate::model::PropType;

/// The scalar type of a property column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scalar {
    Int,
    Float,
    Bool,
    Str,
    Date,
    LocalTime,
    Time,
    LocalDateTime,
    DateTime,
    Duration,
}

impl Scalar {
    /// The schema type a value of this column has.
    pub(crate) fn prop_type(self) -> PropType {
        match self {
            Scalar::Int => PropType::Int,
            Scalar::Float => PropType::Float,
            Scalar::Bool => PropType::Bool,
            Scalar::Str => PropType::String,
            Scalar::Date => PropType::Date,
            Scalar::LocalTime => PropType::LocalTime,
            Scalar::Time => PropType::Time,
            Scalar::LocalDateTime => PropType::LocalDateTime,
            Scalar::DateTime => PropType::DateTime,
            Scalar::Duration => PropType::Duration,
        }
    }
}

/// A declared property column type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FieldType {
    pub scalar: Scalar,
    pub array: bool,
    /// The type as the header wrote it (`int`, `string[]`), for messages.
    pub written: String,
}

impl FieldType {
    pub(crate) fn prop_type(&self) -> PropType {
        let t = self.scalar.prop_type();
        if self.array {
            PropType::List(Box::new(t))
        } else {
            t
        }
    }
}

/// How the ids of an ID space are compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum IdType {
    /// Ids are text, compared as written (the default).
    #[default]
    String,
    /// Ids are 64-bit integers: `007` and `7` are the same id.
    Integer,
}

impl fmt::Display for IdType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            IdType::String => "string",
            IdType::Integer => "integer",
        })
    }
}

impl std::str::FromStr for IdType {
    type Err = String;
    fn from_str(s: &str) -> Result<IdType, String> {
        match s.to_ascii_lowercase().as_str() {
            "string" => Ok(IdType::String),
            "integer" | "int" | "long" => Ok(IdType::Integer),
            "actual" => Err("id type \"actual\" (neo4j's internal node ids) is not supported; use string or integer".into()),
            other => Err(format!("unknown id type {other:?} (expected string or integer)")),
        }
    }
}

/// What one column holds.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Column {
    /// The node id; `property` when the column is named (`personId:ID`).
    Id {
        property: Option<String>,
        space: String,
        id_type: Option<IdType>,
    },
    /// Labels, split by the array delimiter.
    Label,
    /// Relationship start node id, in `space`.
    StartId { space: String },
    /// Relationship end node id, in `space`.
    EndId { space: String },
    /// Relationship type.
    Type,
    /// Skipped.
    Ignore,
    /// A property; `ty` is `None` when the header gives no type.
    Property { key: String, ty: Option<FieldType> },
    /// factgraph provenance as JSON text.
    Provenance,
}

/// Which kind of file a header heads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FileKind {
    Nodes,
    Relationships,
}

/// A parsed header: one column per field, and how to name each in messages.
#[derive(Clone, Debug)]
pub(crate) struct Header {
    pub columns: Vec<Column>,
    pub names: Vec<String>,
}

/// A header cell that cannot be read: its 0-based index and the reason.
#[derive(Debug)]
pub(crate) struct HeaderError {
    pub index: usize,
    pub cell: String,
    pub message: String,
}

/// The name of the property `provenance` columns use.
pub(crate) const PROVENANCE: &str = "provenance";

const UNSUPPORTED: &[&str] = &["point", "vector"];

fn scalar(word: &str) -> Option<Scalar> {
    Some(match word {
        "int" | "long" | "short" | "byte" | "integer" => Scalar::Int,
        "float" | "double" => Scalar::Float,
        "boolean" => Scalar::Bool,
        "string" | "char" => Scalar::Str,
        "date" => Scalar::Date,
        "localtime" => Scalar::LocalTime,
        "time" => Scalar::Time,
        "localdatetime" => Scalar::LocalDateTime,
        "datetime" => Scalar::DateTime,
        "duration" => Scalar::Duration,
        _ => return None,
    })
}

/// Splits `ID(Person)` into `ID` and `Person`.
fn split_space(spec: &str) -> Result<(&str, Option<&str>), String> {
    match spec.find('(') {
        None => Ok((spec, None)),
        Some(open) => {
            let inner = spec[open + 1..].strip_suffix(')').ok_or_else(|| {
                format!("{spec:?} opens an ID space with ( but does not close it")
            })?;
            Ok((&spec[..open], Some(inner)))
        }
    }
}

fn parse_options(text: &str) -> Result<Option<IdType>, String> {
    let mut id_type = None;
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (k, v) = part
            .split_once(':')
            .ok_or_else(|| format!("option {part:?} is not key:value"))?;
        match k.trim() {
            "id-type" => id_type = Some(v.trim().trim_matches('\'').trim_matches('"').parse()?),
            other => {
                return Err(format!(
                    "unknown option {other:?} (factgraph understands id-type on :ID columns)"
                ))
            }
        }
    }
    Ok(id_type)
}

fn parse_cell(cell: &str, kind: FileKind) -> Result<(Column, String), String> {
    if cell.trim().is_empty() {
        return Err("empty header cell (name the column, or write :IGNORE)".into());
    }
    let (rest, options) = match (cell.rfind('{'), cell.ends_with('}')) {
        (Some(open), true) => (&cell[..open], Some(&cell[open + 1..cell.len() - 1])),
        _ => (cell, None),
    };
    let (name, spec) = match rest.rfind(':') {
        Some(p) => (&rest[..p], Some(&rest[p + 1..])),
        None => (rest, None),
    };
    let named = |fallback: &str| {
        if name.is_empty() {
            fallback.to_string()
        } else {
            name.to_string()
        }
    };
    let Some(spec) = spec else {
        if options.is_some() {
            return Err("options {...} belong to :ID columns".into());
        }
        return Ok(property(name, None));
    };
    let (word, space) = split_space(spec)?;
    let upper = word.to_ascii_uppercase();
    let lower = word.to_ascii_lowercase();
    let id_type = match options {
        Some(o) if upper == "ID" => parse_options(o)?,
        Some(_) => return Err("options {...} belong to :ID columns".into()),
        None => None,
    };
    if space.is_some() && !matches!(upper.as_str(), "ID" | "START_ID" | "END_ID") {
        return Err(format!(
            "only ID, START_ID and END_ID take an ID space, not {word}"
        ));
    }
    let space = space.unwrap_or("").to_string();
    let wrong_file = |what: &str| {
        Err(format!(
            "{what} belongs in a {} file, and this is a {} file",
            if kind == FileKind::Nodes {
                "relationships"
            } else {
                "nodes"
            },
            if kind == FileKind::Nodes {
                "nodes"
            } else {
                "relationships"
            },
        ))
    };
    let column = match upper.as_str() {
        "ID" if kind == FileKind::Nodes => Column::Id {
            property: (!name.is_empty()).then(|| name.to_string()),
            space,
            id_type,
        },
        "LABEL" if kind == FileKind::Nodes => Column::Label,
        "START_ID" if kind == FileKind::Relationships => Column::StartId { space },
        "END_ID" if kind == FileKind::Relationships => Column::EndId { space },
        "TYPE" if kind == FileKind::Relationships => Column::Type,
        "ID" | "LABEL" => return wrong_file(&format!(":{upper}")),
        "START_ID" | "END_ID" | "TYPE" => return wrong_file(&format!(":{upper}")),
        "IGNORE" => Column::Ignore,
        _ => {
            let (base, array) = match lower.strip_suffix("[]") {
                Some(b) => (b, true),
                None => (lower.as_str(), false),
            };
            if let Some(s) = scalar(base) {
                if name.is_empty() {
                    return Err(format!(
                        "a {word} column needs a property name before the colon"
                    ));
                }
                return Ok(property(
                    name,
                    Some(FieldType {
                        scalar: s,
                        array,
                        written: word.to_string(),
                    }),
                ));
            }
            if UNSUPPORTED.contains(&base) {
                return Err(format!(
                    "type {word} is not supported: factgraph stores no {base} values \
                     (read the column as string, or skip it with :IGNORE)"
                ));
            }
            return Err(format!(
                "unknown type {word:?} (expected int, long, float, double, boolean, string, \
                 date, an array such as string[], or ID, LABEL, START_ID, END_ID, TYPE, IGNORE)"
            ));
        }
    };
    let shown = match &column {
        Column::Id { .. } => named(":ID"),
        Column::Label => named(":LABEL"),
        Column::StartId { .. } => named(":START_ID"),
        Column::EndId { .. } => named(":END_ID"),
        Column::Type => named(":TYPE"),
        _ => named(":IGNORE"),
    };
    Ok((column, shown))
}

fn property(name: &str, ty: Option<FieldType>) -> (Column, String) {
    if name == PROVENANCE {
        return (Column::Provenance, name.to_string());
    }
    (
        Column::Property {
            key: name.to_string(),
            ty,
        },
        name.to_string(),
    )
}

/// Parses a header line of a `kind` file. `group_type` says whether the
/// relationship group names a default type (then `:TYPE` may be absent).
pub(crate) fn parse_header(
    cells: &[String],
    kind: FileKind,
    group_type: bool,
) -> Result<Header, HeaderError> {
    let err = |index: usize, message: String| HeaderError {
        index,
        cell: cells.get(index).cloned().unwrap_or_default(),
        message,
    };
    let mut columns = Vec::with_capacity(cells.len());
    let mut names = Vec::with_capacity(cells.len());
    let mut keys = BTreeSet::new();
    for (i, cell) in cells.iter().enumerate() {
        let (column, name) = parse_cell(cell, kind).map_err(|m| err(i, m))?;
        let single = match &column {
            Column::Id { .. } => Some(":ID"),
            Column::Label => Some(":LABEL"),
            Column::StartId { .. } => Some(":START_ID"),
            Column::EndId { .. } => Some(":END_ID"),
            Column::Type => Some(":TYPE"),
            Column::Provenance => Some("provenance"),
            _ => None,
        };
        if let Some(s) = single {
            if columns
                .iter()
                .any(|c: &Column| std::mem::discriminant(c) == std::mem::discriminant(&column))
            {
                return Err(err(i, format!("a second {s} column")));
            }
        }
        let property_name = match &column {
            Column::Property { key, .. } => Some(key.clone()),
            Column::Id {
                property: Some(p), ..
            } => Some(p.clone()),
            _ => None,
        };
        if let Some(key) = property_name {
            if !keys.insert(key.clone()) {
                return Err(err(i, format!("a second column for property {key:?}")));
            }
        }
        columns.push(column);
        names.push(name);
    }
    if kind == FileKind::Relationships {
        let has = |f: fn(&Column) -> bool| columns.iter().any(f);
        if !has(|c| matches!(c, Column::StartId { .. })) {
            return Err(err(
                cells.len(),
                "a relationships header needs a :START_ID column".into(),
            ));
        }
        if !has(|c| matches!(c, Column::EndId { .. })) {
            return Err(err(
                cells.len(),
                "a relationships header needs an :END_ID column".into(),
            ));
        }
        if !group_type && !has(|c| matches!(c, Column::Type)) {
            return Err(err(
                cells.len(),
                "a relationships header needs a :TYPE column, or the group must name the type (--relationships=TYPE)".into(),
            ));
        }
    }
    Ok(Header { columns, names })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(s: &[&str]) -> Vec<String> {
        s.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn neo4j_headers_parse() {
        let h = parse_header(
            &cells(&[
                "personId:ID(Person){id-type:long}",
                "name",
                "born:int",
                "aliases:string[]",
                ":LABEL",
                "x:IGNORE",
                "provenance:string",
            ]),
            FileKind::Nodes,
            false,
        )
        .unwrap();
        assert_eq!(
            h.columns[0],
            Column::Id {
                property: Some("personId".into()),
                space: "Person".into(),
                id_type: Some(IdType::Integer)
            }
        );
        assert!(matches!(&h.columns[1], Column::Property { key, ty: None } if key == "name"));
        assert!(
            matches!(&h.columns[3], Column::Property { ty: Some(t), .. } if t.array && t.scalar == Scalar::Str)
        );
        assert_eq!(h.columns[4], Column::Label);
        assert_eq!(h.columns[5], Column::Ignore);
        assert_eq!(h.columns[6], Column::Provenance);
        assert_eq!(h.names[0], "personId");
        assert_eq!(h.names[4], ":LABEL");
    }

    #[test]
    fn bad_headers_name_the_cell() {
        let e =
            parse_header(&cells(&["id:ID", "born:integr"]), FileKind::Nodes, false).unwrap_err();
        assert_eq!(e.index, 1);
        assert!(
            e.message.contains("unknown type \"integr\""),
            "{}",
            e.message
        );
        let e = parse_header(
            &cells(&[":START_ID", ":END_ID"]),
            FileKind::Relationships,
            false,
        )
        .unwrap_err();
        assert!(e.message.contains(":TYPE"), "{}", e.message);
        assert!(parse_header(
            &cells(&[":START_ID", ":END_ID"]),
            FileKind::Relationships,
            true
        )
        .is_ok());
        let e = parse_header(&cells(&["p:point"]), FileKind::Nodes, false).unwrap_err();
        assert!(e.message.contains("not supported"), "{}", e.message);
        let e = parse_header(&cells(&[":ID", ":TYPE"]), FileKind::Nodes, false).unwrap_err();
        assert!(e.message.contains("relationships file"), "{}", e.message);
        let e = parse_header(&cells(&["a", "a:int"]), FileKind::Nodes, false).unwrap_err();
        assert!(e.message.contains("second column"), "{}", e.message);
    }
}
