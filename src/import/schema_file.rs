//! The schema file format of `factgraph import --schema FILE`.
//!
//! A line-based text format; [`format_schema`] writes it and
//! [`parse_schema`] reads it back, so `format_schema(&Schema::news())` is a
//! starting point for a schema of your own.
//!
//! ```text
//! # Comments start with #; blank lines are ignored. Keywords are case-insensitive.
//! node Person "a named individual"
//!     name: STRING required "canonical name"
//!     aliases: LIST<STRING>
//!     born: INTEGER
//! node Role
//!     name: STRING required
//! rel HOLDS from Person to Role "the person holds the role"
//!     since: DATE
//! rel REPORTED_BY from * to Organization|Person
//! ```
//!
//! - `node LABEL ["description"]` declares a label; `rel TYPE from LABELS to
//!   LABELS ["description"]` a relationship type, where `LABELS` is `*`
//!   (any label) or labels joined by `|`, each declared by a `node` line.
//! - An indented line `key: TYPE [required] ["description"]` declares a
//!   property of the `node` or `rel` above it. Types: `STRING`, `INTEGER`
//!   (or `INT`, `LONG`), `FLOAT` (or `DOUBLE`), `BOOLEAN` (or `BOOL`), `DATE`,
//!   `ANY`, and lists `LIST<T>` (or `T[]`).
//! - A file holding only the line `open` is the open schema, which accepts
//!   any label, type and property.
//! - Names are letters, digits and `_` (not starting with a digit), or any
//!   text in backticks.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use crate::model::{closest, LabelDef, PropDef, PropType, RelTypeDef, Schema};

use super::error::ImportError;

/// Reads and parses a schema file.
pub fn read_schema_file(path: &Path) -> Result<Schema, ImportError> {
    let text = std::fs::read_to_string(path).map_err(|e| ImportError::SchemaFile {
        path: path.to_path_buf(),
        line: 0,
        column: 0,
        message: format!("cannot read the schema file: {e}"),
    })?;
    parse_schema(&text).map_err(|e| ImportError::SchemaFile {
        path: path.to_path_buf(),
        line: e.line,
        column: e.column,
        message: e.message,
    })
}

/// Where and why a schema text does not parse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaSyntaxError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column (characters).
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

struct Cursor<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
}

impl<'a> Cursor<'a> {
    fn err(&self, message: impl Into<String>) -> SchemaSyntaxError {
        SchemaSyntaxError {
            line: self.line,
            column: self.text[..self.pos].chars().count() + 1,
            message: message.into(),
        }
    }

    fn skip_space(&mut self) {
        while let Some(c) = self.text[self.pos..].chars().next() {
            if c == ' ' || c == '\t' {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    fn at_end(&mut self) -> bool {
        self.skip_space();
        self.pos >= self.text.len() || self.text[self.pos..].starts_with('#')
    }

    fn peek(&mut self) -> Option<char> {
        self.skip_space();
        self.text[self.pos..].chars().next()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: char) -> Result<(), SchemaSyntaxError> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(self.err(format!("expected {c:?}")))
        }
    }

    /// A name: an identifier or backtick-quoted text.
    fn name(&mut self, what: &str) -> Result<String, SchemaSyntaxError> {
        self.skip_space();
        let rest = &self.text[self.pos..];
        if let Some(body) = rest.strip_prefix('`') {
            let end = body
                .find('`')
                .ok_or_else(|| self.err("a backtick-quoted name is not closed"))?;
            if end == 0 {
                return Err(self.err(format!("empty {what}")));
            }
            self.pos += end + 2;
            return Ok(body[..end].to_string());
        }
        let len = rest
            .char_indices()
            .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
            .map_or(rest.len(), |(i, _)| i);
        if len == 0 || rest.starts_with(|c: char| c.is_ascii_digit()) {
            return Err(self.err(format!("expected {what}")));
        }
        self.pos += len;
        Ok(rest[..len].to_string())
    }

    /// A keyword, case-insensitive; false (and nothing consumed) when another word follows.
    fn keyword(&mut self, word: &str) -> bool {
        self.skip_space();
        let rest = &self.text[self.pos..];
        let len = rest
            .char_indices()
            .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
            .map_or(rest.len(), |(i, _)| i);
        if rest[..len].eq_ignore_ascii_case(word) {
            self.pos += len;
            true
        } else {
            false
        }
    }

    /// An optional `"description"`.
    fn description(&mut self) -> Result<String, SchemaSyntaxError> {
        if self.peek() != Some('"') {
            return Ok(String::new());
        }
        self.pos += 1;
        let mut out = String::new();
        let mut chars = self.text[self.pos..].char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    self.pos += i + 1;
                    return Ok(out);
                }
                '\\' => match chars.next() {
                    Some((_, 'n')) => out.push('\n'),
                    Some((_, c)) => out.push(c),
                    None => break,
                },
                c => out.push(c),
            }
        }
        Err(self.err("a description is not closed with \""))
    }

    fn prop_type(&mut self) -> Result<PropType, SchemaSyntaxError> {
        let start = self.pos;
        let word = self.name("a type")?;
        let mut ty = match word.to_ascii_uppercase().as_str() {
            "STRING" => PropType::String,
            "INTEGER" | "INT" | "LONG" => PropType::Int,
            "FLOAT" | "DOUBLE" => PropType::Float,
            "BOOLEAN" | "BOOL" => PropType::Bool,
            "DATE" => PropType::Date,
            "LOCALTIME" => PropType::LocalTime,
            "TIME" => PropType::Time,
            "LOCALDATETIME" => PropType::LocalDateTime,
            "DATETIME" => PropType::DateTime,
            "DURATION" => PropType::Duration,
            "ANY" => PropType::Any,
            "LIST" => {
                self.expect('<')?;
                let inner = self.prop_type()?;
                self.expect('>')?;
                PropType::List(Box::new(inner))
            }
            _ => {
                self.pos = start;
                self.skip_space();
                return Err(self.err(format!(
                    "unknown type {word:?} (expected STRING, INTEGER, FLOAT, BOOLEAN, DATE, ANY or LIST<...>)"
                )));
            }
        };
        while self.text[self.pos..].starts_with("[]") {
            self.pos += 2;
            ty = PropType::List(Box::new(ty));
        }
        Ok(ty)
    }

    /// `*` or `A|B|C`.
    fn labels(&mut self) -> Result<Vec<(String, usize)>, SchemaSyntaxError> {
        if self.eat('*') {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        loop {
            self.skip_space();
            let at = self.pos;
            out.push((self.name("a label or *")?, at));
            if !self.eat('|') {
                return Ok(out);
            }
        }
    }
}

enum Owner {
    None,
    Label(String),
    Rel(String),
}

/// Parses a schema text (format in the module documentation).
pub fn parse_schema(text: &str) -> Result<Schema, SchemaSyntaxError> {
    let mut schema = Schema {
        open: false,
        labels: BTreeMap::new(),
        rel_types: BTreeMap::new(),
    };
    let mut owner = Owner::None;
    // Endpoint labels are checked once every node line is known.
    let mut endpoints: Vec<(String, usize, usize)> = Vec::new();
    let mut saw_open = false;
    let mut saw_other = false;
    for (n, raw) in text.lines().enumerate() {
        let mut c = Cursor {
            text: raw,
            pos: 0,
            line: n + 1,
        };
        if c.at_end() {
            continue;
        }
        let indented = raw.starts_with([' ', '\t']);
        if indented {
            let key = c.name("a property name")?;
            c.expect(':')?;
            let ty = c.prop_type()?;
            let required = c.keyword("required");
            let description = c.description()?;
            if !c.at_end() {
                return Err(c.err("unexpected text after the property"));
            }
            let def = PropDef {
                ty,
                required,
                description,
            };
            let props = match &owner {
                Owner::Label(l) => &mut schema.labels.get_mut(l).expect("declared").properties,
                Owner::Rel(t) => &mut schema.rel_types.get_mut(t).expect("declared").properties,
                Owner::None => {
                    c.pos = 0;
                    return Err(c.err("a property line must follow a node or rel line"));
                }
            };
            if props.insert(key.clone(), def).is_some() {
                c.pos = 0;
                return Err(c.err(format!("property {key:?} is declared twice")));
            }
            continue;
        }
        if c.keyword("open") {
            if !c.at_end() {
                return Err(c.err("unexpected text after open"));
            }
            saw_open = true;
            continue;
        }
        saw_other = true;
        if c.keyword("node") {
            let label = c.name("a label")?;
            let description = c.description()?;
            if !c.at_end() {
                return Err(c.err("unexpected text after the label"));
            }
            if schema.labels.contains_key(&label) {
                return Err(c.err(format!("label {label} is declared twice")));
            }
            schema.labels.insert(
                label.clone(),
                LabelDef {
                    description,
                    properties: BTreeMap::new(),
                },
            );
            owner = Owner::Label(label);
        } else if c.keyword("rel") {
            let rel = c.name("a relationship type")?;
            if !c.keyword("from") {
                return Err(c.err("expected from"));
            }
            let from = c.labels()?;
            if !c.keyword("to") {
                return Err(c.err("expected to"));
            }
            let to = c.labels()?;
            let description = c.description()?;
            if !c.at_end() {
                return Err(c.err("unexpected text after the relationship type"));
            }
            if schema.rel_types.contains_key(&rel) {
                return Err(c.err(format!("relationship type {rel} is declared twice")));
            }
            for (l, at) in from.iter().chain(&to) {
                endpoints.push((l.clone(), n + 1, raw[..*at].chars().count() + 1));
            }
            let names = |v: Vec<(String, usize)>| v.into_iter().map(|(l, _)| l).collect();
            schema.rel_types.insert(
                rel.clone(),
                RelTypeDef {
                    description,
                    from: names(from),
                    to: names(to),
                    properties: BTreeMap::new(),
                },
            );
            owner = Owner::Rel(rel);
        } else {
            return Err(c.err("expected node, rel, open, or an indented property line"));
        }
    }
    if saw_open {
        if saw_other {
            return Err(SchemaSyntaxError {
                line: 1,
                column: 1,
                message: "an open schema declares nothing else: remove open or the declarations"
                    .into(),
            });
        }
        return Ok(Schema::open());
    }
    for (label, line, column) in endpoints {
        if !schema.labels.contains_key(&label) {
            let hint = closest(&label, schema.labels.keys().map(String::as_str))
                .map(|s| format!(" (did you mean {s}?)"))
                .unwrap_or_default();
            return Err(SchemaSyntaxError {
                line,
                column,
                message: format!("label {label} is not declared by a node line{hint}"),
            });
        }
    }
    Ok(schema)
}

fn name_text(name: &str) -> String {
    let plain = !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_alphanumeric() || c == '_');
    if plain {
        name.to_string()
    } else {
        format!("`{name}`")
    }
}

fn description_text(d: &str) -> String {
    if d.is_empty() {
        return String::new();
    }
    let mut out = String::from(" \"");
    for c in d.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn type_text(t: &PropType) -> String {
    match t {
        PropType::List(inner) => format!("LIST<{}>", type_text(inner)),
        PropType::Any => "ANY".into(),
        PropType::Bool => "BOOLEAN".into(),
        PropType::Int => "INTEGER".into(),
        PropType::Float => "FLOAT".into(),
        PropType::String => "STRING".into(),
        PropType::Date => "DATE".into(),
        PropType::LocalTime => "LOCALTIME".into(),
        PropType::Time => "TIME".into(),
        PropType::LocalDateTime => "LOCALDATETIME".into(),
        PropType::DateTime => "DATETIME".into(),
        PropType::Duration => "DURATION".into(),
    }
}

fn write_props(out: &mut String, props: &BTreeMap<String, PropDef>) {
    for (key, p) in props {
        let _ = writeln!(
            out,
            "    {}: {}{}{}",
            name_text(key),
            type_text(&p.ty),
            if p.required { " required" } else { "" },
            description_text(&p.description)
        );
    }
}

/// Writes `schema` in the schema file format; [`parse_schema`] reads it back unchanged.
pub fn format_schema(schema: &Schema) -> String {
    let mut out = String::from("# factgraph schema (see factgraph::import::schema_file)\n");
    if schema.open {
        out.push_str("open\n");
        return out;
    }
    for (label, def) in &schema.labels {
        let _ = writeln!(
            out,
            "node {}{}",
            name_text(label),
            description_text(&def.description)
        );
        write_props(&mut out, &def.properties);
    }
    let side = |ls: &[String]| {
        if ls.is_empty() {
            "*".to_string()
        } else {
            ls.iter()
                .map(|l| name_text(l))
                .collect::<Vec<_>>()
                .join("|")
        }
    };
    for (t, def) in &schema.rel_types {
        let _ = writeln!(
            out,
            "rel {} from {} to {}{}",
            name_text(t),
            side(&def.from),
            side(&def.to),
            description_text(&def.description)
        );
        write_props(&mut out, &def.properties);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_news_schema_round_trips() {
        let news = Schema::news();
        let text = format_schema(&news);
        assert_eq!(parse_schema(&text).unwrap(), news);
        assert_eq!(
            parse_schema(&format_schema(&Schema::open())).unwrap(),
            Schema::open()
        );
    }

    #[test]
    fn a_hand_written_schema() {
        let s = parse_schema(
            "# people\nnode Person \"a person\"\n  name: STRING required\n  born: int\n  tags: string[]\n\
             NODE `Odd Label`\nrel KNOWS from Person to Person|`Odd Label`\n\tsince: DATE \"when\"\n",
        )
        .unwrap();
        let p = &s.labels["Person"].properties;
        assert!(p["name"].required);
        assert_eq!(p["born"].ty, PropType::Int);
        assert_eq!(p["tags"].ty, PropType::List(Box::new(PropType::String)));
        assert_eq!(s.rel_types["KNOWS"].to, vec!["Person", "Odd Label"]);
        assert_eq!(s.rel_types["KNOWS"].properties["since"].description, "when");
    }

    #[test]
    fn errors_have_line_and_column() {
        let e = parse_schema("node A\n  x: INTEGR\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 6));
        assert!(
            e.message.contains("unknown type \"INTEGR\""),
            "{}",
            e.message
        );
        let e = parse_schema("node Person\nrel R from Persn to *\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 12));
        assert!(e.message.contains("did you mean Person"), "{}", e.message);
        let e = parse_schema("  x: STRING\n").unwrap_err();
        assert_eq!(e.line, 1);
    }
}
