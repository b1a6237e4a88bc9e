//! Line-editor support: schema-aware completion, keyword hints, syntax
//! colouring, and the validator that keeps reading until a statement ends with `;`.

use std::borrow::Cow;

use rustyline::completion::{Completer, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::Hinter;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Helper};

use crate::query;
use crate::store::Graph;

use super::session::META_COMMANDS;
use super::split;

/// Keywords offered by completion and coloured by the highlighter.
pub const KEYWORDS: &[&str] = &[
    "MATCH", "OPTIONAL", "WHERE", "RETURN", "WITH", "UNWIND", "AS", "ORDER", "BY", "ASC", "DESC",
    "SKIP", "LIMIT", "DISTINCT", "CREATE", "MERGE", "ON", "SET", "REMOVE", "DELETE", "DETACH",
    "CALL", "YIELD", "UNION", "ALL", "AND", "OR", "XOR", "NOT", "IN", "IS", "NULL", "TRUE",
    "FALSE", "STARTS", "ENDS", "CONTAINS", "CASE", "WHEN", "THEN", "ELSE", "END", "EXISTS",
    "EXPLAIN", "PROFILE", "SHOW", "SCHEMA", "COUNT", "ANY", "NONE", "SINGLE",
];

/// What completion can offer, refreshed from the graph before each input.
#[derive(Default)]
pub struct ShellHelper {
    labels: Vec<String>,
    rel_types: Vec<String>,
    property_keys: Vec<String>,
    params: Vec<String>,
    color: bool,
}

impl ShellHelper {
    /// A helper; `color` turns syntax colouring on.
    pub fn new(color: bool) -> ShellHelper {
        ShellHelper {
            color,
            ..ShellHelper::default()
        }
    }

    /// Takes labels, relationship types and property keys from the schema and the data.
    pub fn refresh(&mut self, graph: &Graph, params: impl Iterator<Item = String>) {
        let schema = graph.schema();
        let mut labels: Vec<String> = schema
            .labels
            .keys()
            .cloned()
            .chain(graph.label_counts().into_keys())
            .collect();
        labels.sort();
        labels.dedup();
        let mut types: Vec<String> = schema
            .rel_types
            .keys()
            .cloned()
            .chain(graph.type_counts().into_keys())
            .collect();
        types.sort();
        types.dedup();
        let mut keys: Vec<String> = schema
            .labels
            .values()
            .flat_map(|l| l.properties.keys().cloned())
            .chain(
                schema
                    .rel_types
                    .values()
                    .flat_map(|t| t.properties.keys().cloned()),
            )
            .chain(graph.node_property_keys())
            .collect();
        keys.sort();
        keys.dedup();
        self.labels = labels;
        self.rel_types = types;
        self.property_keys = keys;
        self.params = params.collect();
    }

    /// Candidates for the word ending at `pos`: returns where the word starts and the choices.
    pub fn candidates(&self, line: &str, pos: usize) -> (usize, Vec<String>) {
        let before = &line[..pos];
        let start = before
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphanumeric() || *c == '_')
            .last()
            .map_or(pos, |(i, _)| i);
        let word = &before[start..];
        let prev = before[..start].chars().last();
        let lower = word.to_lowercase();
        let matching = |items: &mut dyn Iterator<Item = String>| -> Vec<String> {
            let mut v: Vec<String> = items
                .filter(|c| c.to_lowercase().starts_with(&lower))
                .collect();
            v.sort();
            v.dedup();
            v
        };
        let choices = match prev {
            Some(':') if before.trim_start().len() == word.len() + 1 => {
                matching(&mut META_COMMANDS.iter().map(|c| c.name.to_string()))
            }
            Some(':') | Some('|') => {
                // After `[r:` or `|` a relationship type; after `(n:` a label.
                let open = before[..start].rfind(['(', '[']);
                if open.is_some_and(|i| before.as_bytes()[i] == b'[') {
                    matching(&mut self.rel_types.iter().cloned())
                } else {
                    matching(&mut self.labels.iter().cloned())
                }
            }
            Some('.') => matching(&mut self.property_keys.iter().cloned()),
            Some('$') => matching(&mut self.params.iter().cloned()),
            _ => {
                let vars = variables_in(line);
                let keywords = KEYWORDS.iter().map(|k| {
                    if word.chars().next().is_some_and(char::is_lowercase) {
                        k.to_lowercase()
                    } else {
                        k.to_string()
                    }
                });
                let functions = query::FUNCTIONS
                    .iter()
                    .chain(query::AGGREGATES)
                    .map(|f| f.to_string());
                let mut all = keywords.chain(functions).chain(vars);
                matching(&mut all)
            }
        };
        (start, choices)
    }
}

/// Variables the input binds: names after `(` or `[`, and after AS.
fn variables_in(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let bytes: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == '(' || bytes[i] == '[' {
            let name: String = bytes[i + 1..]
                .iter()
                .take_while(|c| c.is_alphanumeric() || **c == '_')
                .collect();
            if !name.is_empty() && name.chars().next().is_some_and(|c| !c.is_ascii_digit()) {
                out.push(name);
            }
        }
        i += 1;
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    for w in words.windows(2) {
        if w[0].eq_ignore_ascii_case("as") {
            out.push(
                w[1].trim_matches(|c: char| !c.is_alphanumeric() && c != '_')
                    .to_string(),
            );
        }
    }
    out.retain(|v| !v.is_empty());
    out
}

impl Completer for ShellHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let (start, choices) = self.candidates(line, pos);
        Ok((
            start,
            choices
                .into_iter()
                .map(|c| Pair {
                    display: c.clone(),
                    replacement: c,
                })
                .collect(),
        ))
    }
}

impl Hinter for ShellHelper {
    type Hint = String;

    /// The rest of the only keyword the current word can start, or the brackets left open.
    fn hint(&self, line: &str, pos: usize, _ctx: &Context<'_>) -> Option<String> {
        if pos < line.len() || line.starts_with(':') {
            return None;
        }
        let word: String = line
            .chars()
            .rev()
            .take_while(|c| c.is_alphabetic())
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if word.len() >= 2 {
            let upper = word.to_uppercase();
            let hits: Vec<&&str> = KEYWORDS
                .iter()
                .filter(|k| k.starts_with(&upper) && k.len() > upper.len())
                .collect();
            if let [only] = hits.as_slice() {
                let rest = &only[word.len()..];
                return Some(if word.chars().all(char::is_lowercase) {
                    rest.to_lowercase()
                } else {
                    rest.to_string()
                });
            }
        }
        let closers = open_brackets(line);
        (!closers.is_empty()).then_some(closers)
    }
}

/// The closing brackets that would balance `line` (outside strings).
fn open_brackets(line: &str) -> String {
    let mut stack = Vec::new();
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in line.chars() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' | '`' => quote = Some(c),
            '(' => stack.push(')'),
            '[' => stack.push(']'),
            '{' => stack.push('}'),
            ')' | ']' | '}' if stack.last() == Some(&c) => {
                stack.pop();
            }
            _ => {}
        }
    }
    stack.iter().rev().collect()
}

impl Highlighter for ShellHelper {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        if !self.color || line.starts_with(':') {
            return Cow::Borrowed(line);
        }
        Cow::Owned(colorize(line))
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if self.color {
            Cow::Owned(format!("\x1b[2m{hint}\x1b[0m"))
        } else {
            Cow::Borrowed(hint)
        }
    }

    fn highlight_char(&self, _line: &str, _pos: usize, kind: CmdKind) -> bool {
        self.color && kind != CmdKind::MoveCursor
    }
}

/// Keywords bold blue, strings green, numbers yellow, comments dim.
pub fn colorize(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len() * 2);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' || c == '"' {
            let mut j = i + 1;
            while j < chars.len() && chars[j] != c {
                if chars[j] == '\\' {
                    j += 1;
                }
                j += 1;
            }
            let end = (j + 1).min(chars.len());
            out.push_str("\x1b[32m");
            out.extend(&chars[i..end]);
            out.push_str("\x1b[0m");
            i = end;
        } else if c == '/' && chars.get(i + 1) == Some(&'/') {
            out.push_str("\x1b[2m");
            out.extend(&chars[i..]);
            out.push_str("\x1b[0m");
            break;
        } else if c.is_alphabetic() || c == '_' {
            let mut j = i;
            while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_') {
                j += 1;
            }
            let word: String = chars[i..j].iter().collect();
            let after_colon = i > 0 && matches!(chars[i - 1], ':' | '.' | '$');
            if !after_colon && KEYWORDS.contains(&word.to_uppercase().as_str()) {
                out.push_str("\x1b[1;34m");
                out.push_str(&word);
                out.push_str("\x1b[0m");
            } else {
                out.push_str(&word);
            }
            i = j;
        } else if c.is_ascii_digit() {
            let mut j = i;
            while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '.') {
                j += 1;
            }
            out.push_str("\x1b[33m");
            out.extend(&chars[i..j]);
            out.push_str("\x1b[0m");
            i = j;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

impl Validator for ShellHelper {
    fn validate(&self, ctx: &mut ValidationContext) -> rustyline::Result<ValidationResult> {
        let input = ctx.input();
        if input.trim_start().starts_with(':')
            || split::is_blank(input)
            || split::is_complete(input)
        {
            Ok(ValidationResult::Valid(None))
        } else {
            Ok(ValidationResult::Incomplete)
        }
    }
}

impl Helper for ShellHelper {}

#[cfg(test)]
mod tests {
    use super::*;

    fn helper() -> ShellHelper {
        let mut h = ShellHelper::new(false);
        h.refresh(
            &crate::seed::graph().expect("seed"),
            ["who".to_string()].into_iter(),
        );
        h
    }

    #[test]
    fn completes_labels_types_keys_commands_and_variables() {
        let h = helper();
        let line = "MATCH (p:Pers";
        assert_eq!(
            h.candidates(line, line.len()),
            (9, vec!["Person".to_string()])
        );
        let line = "MATCH (p)-[:HOL";
        assert_eq!(h.candidates(line, line.len()).1, vec!["HOLDS".to_string()]);
        let line = "MATCH (p:Person) RETURN p.na";
        assert_eq!(h.candidates(line, line.len()).1, vec!["name".to_string()]);
        let line = ":sta";
        assert_eq!(h.candidates(line, line.len()).1, vec!["stats".to_string()]);
        let line = "MATCH (person:Person) RETURN pe";
        assert!(h
            .candidates(line, line.len())
            .1
            .contains(&"person".to_string()));
        let line = "mat";
        assert_eq!(h.candidates(line, line.len()).1, vec!["match".to_string()]);
        let line = "RETURN $w";
        assert_eq!(h.candidates(line, line.len()).1, vec!["who".to_string()]);
    }

    #[test]
    fn hints_finish_keywords_and_brackets() {
        assert_eq!(open_brackets("MATCH (n {a: [1, 2"), "]})");
        assert_eq!(open_brackets("RETURN '(' + \"[\""), "");
        assert!(colorize("MATCH (n) RETURN 'x'").contains("\x1b[1;34mMATCH\x1b[0m"));
    }
}
