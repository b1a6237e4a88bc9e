//! The facts-file parser: pest pairs to [`Statement`]s with positions.

use std::collections::BTreeMap;

use pest::iterators::Pair;
use pest::Parser;
use pest_derive::Parser;

use factgraph_model::syntax::{from_pest, locate, Position, SyntaxError};
use factgraph_model::{Date, PropType, Temporal, Value};

#[derive(Parser)]
#[grammar = "../../../grammar/facts.pest"]
struct FactsParser;

/// A quote from the current document that supports a fact.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceQuote {
    /// The sentence to look in (1-based); without it the quote must be unique in the document.
    pub sentence: Option<u32>,
    /// The exact text.
    pub quote: String,
    /// Where the quote is written in the facts file.
    pub at: Position,
}

/// One statement of a facts file.
#[derive(Clone, Debug, PartialEq)]
pub enum Statement {
    /// `document handle {file: ..., title: ..., date: ..., source: ...}`
    Document {
        /// The document id.
        handle: String,
        /// Its attributes.
        props: BTreeMap<String, Value>,
        /// Where it is written.
        at: Position,
    },
    /// `(handle:Label {..}) @n "quote"`
    Node {
        /// The node's key.
        handle: String,
        /// Its labels.
        labels: Vec<String>,
        /// Its properties.
        props: BTreeMap<String, Value>,
        /// Supporting quotes.
        sources: Vec<SourceQuote>,
        /// Where it is written.
        at: Position,
    },
    /// `(a)-[:TYPE {..}]->(b) @n "quote"`
    Edge {
        /// Start node handle.
        from: String,
        /// End node handle.
        to: String,
        /// Relationship type.
        rel_type: String,
        /// Its properties.
        props: BTreeMap<String, Value>,
        /// Supporting quotes.
        sources: Vec<SourceQuote>,
        /// Where it is written.
        at: Position,
    },
}

fn describe(rule: &Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::EOI => "end of file",
        Rule::document_decl => "a document declaration",
        Rule::node_decl | Rule::edge_decl => "a statement such as (handle:Label {...})",
        Rule::node_ref => "a node such as (handle)",
        Rule::out_rel | Rule::in_rel => "a relationship such as -[:TYPE]->",
        Rule::labels => "a label such as :Person",
        Rule::handle => "a handle (letters, digits, _)",
        Rule::name => "a name (letters, digits, _)",
        Rule::map => "a property map {...}",
        Rule::pair => "a property such as name: \"...\"",
        Rule::temporal
        | Rule::temporal_kind
        | Rule::date
        | Rule::float
        | Rule::int
        | Rule::boolean
        | Rule::string
        | Rule::list => "a value (string, number, date, true/false or list)",
        Rule::source => "a source such as @3 \"quoted text\"",
        Rule::sentence => "a sentence number",
        Rule::rparen => "')'",
        Rule::lbracket => "'['",
        Rule::rbracket => "']'",
        Rule::rbrace => "'}'",
        Rule::comma => "','",
        Rule::colon => "':'",
        Rule::arrow => "'->'",
        Rule::dash => "'-'",
        Rule::dquote => "a closing '\"' (a string stays on one line; write \\n for a line break)",
        _ => return None,
    })
}

/// Parses a facts file.
pub fn parse(text: &str) -> Result<Vec<Statement>, SyntaxError> {
    let file = FactsParser::parse(Rule::file, text)
        .map_err(|e| from_pest(&e, text, describe))?
        .next();
    let mut out = Vec::new();
    for pair in file.into_iter().flat_map(Pair::into_inner) {
        let at = locate(text, pair.as_span().start()).0;
        let fail = |message: String| SyntaxError {
            position: at,
            message,
            line_text: locate(text, pair.as_span().start()).1,
        };
        match pair.as_rule() {
            Rule::document_decl => {
                let mut inner = children(pair.clone());
                let handle = match inner.next() {
                    Some(id) if id.as_rule() == Rule::string => string(id, text)?,
                    Some(id) => id.as_str().to_string(),
                    None => String::new(),
                };
                let props = inner
                    .next()
                    .map(|p| map(p, text))
                    .transpose()?
                    .unwrap_or_default();
                out.push(Statement::Document { handle, props, at });
            }
            Rule::node_decl => {
                let mut handle = String::new();
                let mut labels = Vec::new();
                let mut props = BTreeMap::new();
                let mut sources = Vec::new();
                for p in children(pair.clone()) {
                    match p.as_rule() {
                        Rule::handle => handle = p.as_str().to_string(),
                        Rule::labels => {
                            labels = p.into_inner().map(|l| l.as_str().to_string()).collect()
                        }
                        Rule::map => props = map(p, text)?,
                        Rule::source => sources.push(source(p, text)?),
                        _ => {}
                    }
                }
                out.push(Statement::Node {
                    handle,
                    labels,
                    props,
                    sources,
                    at,
                });
            }
            Rule::edge_decl => {
                let mut ends = Vec::new();
                let mut rel = None;
                let mut sources = Vec::new();
                for p in children(pair.clone()) {
                    match p.as_rule() {
                        Rule::node_ref => ends.push(next_str(&mut children(p))),
                        Rule::out_rel | Rule::in_rel => {
                            let outgoing = p.as_rule() == Rule::out_rel;
                            let mut inner = children(p);
                            let name = next_str(&mut inner);
                            let props = inner
                                .next()
                                .map(|m| map(m, text))
                                .transpose()?
                                .unwrap_or_default();
                            rel = Some((outgoing, name, props));
                        }
                        Rule::source => sources.push(source(p, text)?),
                        _ => {}
                    }
                }
                let (Some((outgoing, rel_type, props)), [a, b]) = (rel, ends.as_slice()) else {
                    return Err(fail("malformed relationship statement".into()));
                };
                let (from, to) = if outgoing {
                    (a.clone(), b.clone())
                } else {
                    (b.clone(), a.clone())
                };
                out.push(Statement::Edge {
                    from,
                    to,
                    rel_type,
                    props,
                    sources,
                    at,
                });
            }
            _ => {}
        }
    }
    Ok(out)
}

/// Punctuation rules exist only so that errors point at the right place.
fn is_punctuation(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::rparen
            | Rule::lbracket
            | Rule::rbracket
            | Rule::rbrace
            | Rule::comma
            | Rule::colon
            | Rule::arrow
            | Rule::dash
            | Rule::dquote
    )
}

/// The inner pairs of `pair` without punctuation.
fn children(pair: Pair<'_, Rule>) -> impl Iterator<Item = Pair<'_, Rule>> {
    pair.into_inner().filter(|p| !is_punctuation(p.as_rule()))
}

fn next_str<'i>(inner: &mut impl Iterator<Item = Pair<'i, Rule>>) -> String {
    inner
        .next()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default()
}

fn error_at(pair: &Pair<Rule>, text: &str, message: String) -> SyntaxError {
    let (position, line_text) = locate(text, pair.as_span().start());
    SyntaxError {
        position,
        message,
        line_text,
    }
}

fn map(pair: Pair<Rule>, text: &str) -> Result<BTreeMap<String, Value>, SyntaxError> {
    let mut props = BTreeMap::new();
    for p in children(pair) {
        let key_pair = p.clone();
        let mut inner = children(p);
        let key = next_str(&mut inner);
        let Some(v) = inner.next() else { continue };
        let v = value(v, text)?;
        if props.insert(key.clone(), v).is_some() {
            return Err(error_at(
                &key_pair,
                text,
                format!("property {key:?} is given twice"),
            ));
        }
    }
    Ok(props)
}

fn value(pair: Pair<Rule>, text: &str) -> Result<Value, SyntaxError> {
    let s = pair.as_str();
    Ok(match pair.as_rule() {
        Rule::date => {
            Value::Date(Date::parse(s).map_err(|e| error_at(&pair, text, e.to_string()))?)
        }
        Rule::temporal => {
            let mut inner = pair.clone().into_inner();
            let kind = inner.next().map(|k| k.as_str()).unwrap_or_default();
            let iso = match inner.next() {
                Some(p) => string(p, text)?,
                None => String::new(),
            };
            let ty = match kind {
                "localtime" => PropType::LocalTime,
                "time" => PropType::Time,
                "localdatetime" => PropType::LocalDateTime,
                "datetime" => PropType::DateTime,
                _ => PropType::Duration,
            };
            Value::Temporal(Temporal::parse(&ty, &iso).ok_or_else(|| {
                error_at(
                    &pair,
                    text,
                    format!("{kind}({iso:?}) is not a valid {kind}"),
                )
            })?)
        }
        Rule::int => Value::Int(
            s.parse()
                .map_err(|_| error_at(&pair, text, format!("integer {s} is out of range")))?,
        ),
        Rule::float => Value::Float(
            s.parse()
                .map_err(|_| error_at(&pair, text, format!("bad number {s}")))?,
        ),
        Rule::boolean => Value::Bool(s == "true"),
        Rule::string => Value::String(string(pair, text)?),
        Rule::list => Value::List(
            children(pair)
                .map(|p| value(p, text))
                .collect::<Result<_, _>>()?,
        ),
        _ => return Err(error_at(&pair, text, format!("unexpected value {s}"))),
    })
}

fn string(pair: Pair<Rule>, text: &str) -> Result<String, SyntaxError> {
    let inner = pair
        .clone()
        .into_inner()
        .next()
        .map(|p| p.as_str())
        .unwrap_or("");
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('u') => {
                let hex: String = chars.by_ref().skip(1).take_while(|c| *c != '}').collect();
                let c = u32::from_str_radix(&hex, 16)
                    .ok()
                    .and_then(char::from_u32)
                    .ok_or_else(|| {
                        error_at(&pair, text, format!("\\u{{{hex}}} is not a character"))
                    })?;
                out.push(c);
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    Ok(out)
}

fn source(pair: Pair<Rule>, text: &str) -> Result<SourceQuote, SyntaxError> {
    let at = locate(text, pair.as_span().start()).0;
    let mut sentence = None;
    let mut quote = String::new();
    for p in children(pair.clone()) {
        match p.as_rule() {
            Rule::sentence => {
                let n: u32 = p
                    .as_str()
                    .parse()
                    .map_err(|_| error_at(&p, text, "sentence number out of range".into()))?;
                if n == 0 {
                    return Err(error_at(&p, text, "sentences are numbered from 1".into()));
                }
                sentence = Some(n);
            }
            Rule::string => quote = string(p, text)?,
            _ => {}
        }
    }
    if quote.is_empty() {
        return Err(error_at(
            &pair,
            text,
            "a source quote cannot be empty".into(),
        ));
    }
    Ok(SourceQuote {
        sentence,
        quote,
        at,
    })
}
