//! JSON lines inputs: each line by its `type`, read into the shared row
//! path (nodes and relationships) or stored as a document.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::{Map, Value as Json};

use crate::model::{Date, PropType, Provenance, Value};
use crate::store::{DocumentRecord, NodeId};

use crate::import::error::{BadKind, BadRow, ImportError};
use crate::import::header::FileKind;
use crate::import::source;
use crate::import::values::{json_provenance, json_value};
use crate::import::InputGroup;

use super::rows::{Fault, Place};
use super::{Pass, Run};

/// What a group of JSON lines files adds to its lines.
#[derive(Clone, Copy)]
struct JsonGroup<'g> {
    /// Labels for every node.
    labels: &'g [String],
    /// The type of every relationship without a `label`.
    rel_type: Option<&'g str>,
}

impl Run<'_> {
    /// The lines of a group's files that `pass` imports; a nodes group's
    /// labels go on every node, a relationships group's type on every
    /// relationship without a `label`.
    pub(super) fn jsonl_group(
        &mut self,
        group: &InputGroup,
        kind: FileKind,
        pass: Pass,
    ) -> Result<(), ImportError> {
        let adds = match kind {
            FileKind::Nodes => JsonGroup {
                labels: &group.labels,
                rel_type: None,
            },
            FileKind::Relationships => JsonGroup {
                labels: &[],
                rel_type: group.labels.first().map(String::as_str),
            },
        };
        for f in &group.files {
            self.jsonl_file(f, pass, adds)?;
        }
        Ok(())
    }

    fn jsonl_file(
        &mut self,
        path: &Path,
        pass: Pass,
        group: JsonGroup<'_>,
    ) -> Result<(), ImportError> {
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
                ("node", Pass::Nodes) | ("relationship", Pass::Relationships) => {
                    let v: Json = serde_json::from_str(text).map_err(|e| json_syntax(&at, &e))?;
                    let row = JsonRow {
                        at: &at,
                        space,
                        group,
                    };
                    let added = match (pass, v.as_object()) {
                        (_, None) => Err(row.not_an_object()),
                        (Pass::Nodes, Some(obj)) => self.json_node(obj, &row),
                        (Pass::Relationships, Some(obj)) => self.json_rel(obj, &row),
                    };
                    if let Err(b) = added {
                        self.bad(*b, pass.kind())?;
                    }
                    self.row_done(path, &counter);
                }
                ("document", Pass::Nodes) => {
                    let v: Json = serde_json::from_str(text).map_err(|e| json_syntax(&at, &e))?;
                    self.json_document(&v, &at).map_err(ImportError::Bad)?;
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

    fn json_node(&mut self, obj: &Map<String, Json>, row: &JsonRow<'_>) -> Result<(), Box<BadRow>> {
        let id_text = json_id(obj.get("id")).map_err(|(k, m)| row.bad("id", k, m))?;
        let mut labels: Vec<String> = match obj.get("labels") {
            None | Some(Json::Null) => Vec::new(),
            Some(Json::Array(items)) => items
                .iter()
                .map(|l| l.as_str().map(str::to_string))
                .collect::<Option<_>>()
                .ok_or_else(|| {
                    row.bad(
                        "labels",
                        BadKind::Json,
                        "labels must be an array of strings".into(),
                    )
                })?,
            Some(_) => {
                return Err(row.bad(
                    "labels",
                    BadKind::Json,
                    "labels must be an array of strings".into(),
                ))
            }
        };
        labels.extend(row.group.labels.iter().cloned());
        let schema = self.graph.schema();
        let refs: Vec<&str> = labels.iter().map(String::as_str).collect();
        let props = row.props(obj, |k| schema.node_property_type(&refs, k))?;
        drop(refs);
        let sources = row.sources(obj)?;
        let id = self.new_id(row.space, &id_text).map_err(|f| row.fault(f))?;
        self.add_node_row(labels, props, sources, Some((row.space, id)))
            .map_err(|f| row.fault(f))
    }

    fn json_rel(&mut self, obj: &Map<String, Json>, row: &JsonRow<'_>) -> Result<(), Box<BadRow>> {
        let rel_type = match (obj.get("label"), row.group.rel_type) {
            (Some(Json::String(s)), _) if !s.is_empty() => s.as_str(),
            (None | Some(Json::Null), Some(t)) => t,
            _ => {
                return Err(row.bad(
                    "label",
                    BadKind::Schema,
                    "a relationship needs \"label\": its type (as APOC writes it)".into(),
                ))
            }
        };
        let mut ends = [NodeId(0); 2];
        for (k, (end, field)) in [(Place::Start, "start"), (Place::End, "end")]
            .into_iter()
            .enumerate()
        {
            let endpoint = match obj.get(field) {
                Some(Json::Object(o)) => o.get("id"),
                other => other,
            };
            let t = json_id(endpoint).map_err(|(kind, m)| row.bad(field, kind, m))?;
            ends[k] = self
                .endpoint(row.space, &t, end, || format!("no node has id {t:?}"))
                .map_err(|f| row.fault(f))?;
        }
        let schema = self.graph.schema();
        let props = row.props(obj, |k| schema.edge_property_type(rel_type, k))?;
        let sources = row.sources(obj)?;
        self.add_rel_row(ends, rel_type, props, sources)
            .map_err(|f| row.fault(f))
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

/// A node or relationship line being read, and where what is wrong with it
/// stands.
struct JsonRow<'a> {
    at: &'a dyn Fn(Option<&str>, BadKind, String) -> BadRow,
    /// The ID space of every JSON lines input.
    space: usize,
    group: JsonGroup<'a>,
}

impl JsonRow<'_> {
    /// The line as a bad row, naming `field`.
    fn bad(&self, field: &str, kind: BadKind, reason: String) -> Box<BadRow> {
        Box::new((self.at)(Some(field), kind, reason))
    }

    fn not_an_object(&self) -> Box<BadRow> {
        self.bad("type", BadKind::Json, "not an object".into())
    }

    /// A fault of the shared row path, at the field that holds its place.
    fn fault(&self, (place, kind, reason): Fault) -> Box<BadRow> {
        let field = match place {
            Place::Row => None,
            Place::Id => Some("id".into()),
            Place::Labels => Some("labels".into()),
            Place::Type => Some("label".into()),
            Place::Start => Some("start".into()),
            Place::End => Some("end".into()),
            Place::Property(key) => Some(format!("properties.{key}")),
            Place::Provenance => Some("provenance".into()),
        };
        Box::new((self.at)(field.as_deref(), kind, reason))
    }

    /// The `properties`, typed by `schema_type` where it gives a type.
    fn props<'s>(
        &self,
        obj: &Map<String, Json>,
        schema_type: impl Fn(&str) -> Option<&'s PropType>,
    ) -> Result<BTreeMap<String, Value>, Box<BadRow>> {
        let mut props = BTreeMap::new();
        for (k, val) in json_object(obj.get("properties"))
            .map_err(|m| self.bad("properties", BadKind::Json, m))?
        {
            let field = format!("properties.{k}");
            if let Some(value) = json_value(val, schema_type(k))
                .map_err(|m| self.bad(&field, BadKind::WrongType, m))?
            {
                props.insert(k.clone(), value);
            }
        }
        Ok(props)
    }

    /// The `provenance`.
    fn sources(&self, obj: &Map<String, Json>) -> Result<Vec<Provenance>, Box<BadRow>> {
        match obj.get("provenance") {
            None | Some(Json::Null) => Ok(Vec::new()),
            Some(v) => {
                json_provenance(v).map_err(|m| self.bad("provenance", BadKind::Provenance, m))
            }
        }
    }
}
