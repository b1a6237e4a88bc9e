//! Query text to [`ast::Statement`](super::ast::Statement), via the pest grammar in `grammar/query.pest`.
//!
//! This module holds the entry points, the syntax-error messages and the
//! [`Builder`] that turns pest's parse tree into the AST: [`clauses`],
//! [`patterns`] and [`expressions`] each add its methods for their part of the
//! grammar, and [`depth`] bounds the query text before pest reads it.

mod clauses;
mod depth;
mod expressions;
mod patterns;

use pest::iterators::Pair;
use pest::Parser;
use pest_derive::Parser;

use factgraph_model::syntax::{from_pest, locate, SyntaxError};

use super::ast::*;
pub(crate) use depth::with_deep_stack;
use depth::{too_complex, too_deep, MAX_EXPR_DEPTH, MAX_NESTING};

#[derive(Parser)]
#[grammar = "../../../grammar/query.pest"]
struct QueryParser;

fn describe(rule: &Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::EOI => "end of query",
        Rule::match_clause => CLAUSE,
        Rule::MATCH | Rule::OPTIONAL => "MATCH",
        Rule::unwind_clause | Rule::UNWIND => "UNWIND",
        Rule::with_clause | Rule::WITH => "WITH",
        Rule::return_clause | Rule::RETURN => "RETURN",
        Rule::create_clause | Rule::CREATE => "CREATE",
        Rule::merge_clause | Rule::MERGE => "MERGE",
        Rule::set_clause | Rule::SET => "SET",
        Rule::remove_clause | Rule::REMOVE => "REMOVE",
        Rule::delete_clause | Rule::DELETE | Rule::DETACH => "DELETE",
        Rule::call_clause | Rule::CALL => "CALL",
        Rule::show_schema | Rule::SHOW => "SHOW SCHEMA",
        Rule::EXPLAIN | Rule::PROFILE => "EXPLAIN or PROFILE",
        Rule::where_clause | Rule::WHERE => "WHERE",
        Rule::order_by | Rule::ORDER => "ORDER BY",
        Rule::skip | Rule::SKIP => "SKIP",
        Rule::limit | Rule::LIMIT => "LIMIT",
        Rule::union | Rule::UNION => "UNION",
        Rule::AS => "AS",
        Rule::BY => "BY",
        Rule::pattern | Rule::pattern_part | Rule::pattern_chain | Rule::node_pattern => {
            "a node pattern such as (n:Label)"
        }
        Rule::rel_pattern => "a relationship pattern such as -[:TYPE]->",
        Rule::rel_detail => "[",
        Rule::node_labels | Rule::label_name => "a label such as :Person",
        Rule::rel_types => "a relationship type such as :HOLDS",
        Rule::var_length => "a length such as *1..3",
        Rule::properties | Rule::map_literal => "a property map {...}",
        Rule::map_entry => "a map entry such as key: value",
        Rule::property_key | Rule::property_lookup => "a property name",
        Rule::variable | Rule::symbolic_name | Rule::plain_name => "a variable name",
        Rule::expr
        | Rule::or_expr
        | Rule::xor_expr
        | Rule::and_expr
        | Rule::not_expr
        | Rule::comparison
        | Rule::predicate
        | Rule::additive
        | Rule::multiplicative
        | Rule::power
        | Rule::unary
        | Rule::postfix
        | Rule::string
        | Rule::integer
        | Rule::float
        | Rule::parameter
        | Rule::function_call
        | Rule::list_literal
        | Rule::case_expr => "an expression",
        Rule::comp_op | Rule::add_op | Rule::mul_op => "an operator",
        Rule::AND | Rule::OR | Rule::XOR => "AND, OR or XOR",
        Rule::predicate_tail | Rule::IS | Rule::IN | Rule::STARTS | Rule::ENDS | Rule::CONTAINS => {
            "IS NULL, IN, STARTS WITH, ENDS WITH or CONTAINS"
        }
        Rule::postfix_op | Rule::index | Rule::slice => "[ or .",
        Rule::proj_items | Rule::proj_item | Rule::star => "what to return",
        Rule::sort_item => "a sort key",
        Rule::set_item | Rule::property_target => "a property to set, such as n.name = 'x'",
        Rule::remove_item => "n.key or n:Label",
        Rule::merge_action | Rule::ON => "ON CREATE SET or ON MATCH SET",
        Rule::case_when | Rule::WHEN => "WHEN",
        Rule::case_else | Rule::ELSE => "ELSE",
        Rule::END => "END",
        Rule::THEN => "THEN",
        Rule::yield_items | Rule::YIELD => "YIELD",
        Rule::procedure_name => "a procedure name such as db.labels",
        Rule::DISTINCT => "DISTINCT",
        _ => return None,
    })
}

const CLAUSE: &str = "a clause such as MATCH, WITH or RETURN";

/// Rules that start a clause, and rules that continue an expression.
const CLAUSE_STARTS: &[Rule] = &[
    Rule::match_clause,
    Rule::unwind_clause,
    Rule::with_clause,
    Rule::return_clause,
    Rule::create_clause,
    Rule::merge_clause,
    Rule::set_clause,
    Rule::remove_clause,
    Rule::delete_clause,
    Rule::call_clause,
    Rule::MATCH,
    Rule::OPTIONAL,
    Rule::UNWIND,
    Rule::WITH,
    Rule::RETURN,
    Rule::CREATE,
    Rule::MERGE,
    Rule::SET,
    Rule::REMOVE,
    Rule::DELETE,
    Rule::DETACH,
    Rule::CALL,
];
const OPERATORS: &[Rule] = &[
    Rule::AND,
    Rule::OR,
    Rule::XOR,
    Rule::comp_op,
    Rule::add_op,
    Rule::mul_op,
    Rule::predicate_tail,
    Rule::IS,
    Rule::IN,
    Rule::STARTS,
    Rule::ENDS,
    Rule::CONTAINS,
    Rule::postfix_op,
    Rule::index,
    Rule::slice,
];

/// Where a query may go on in many ways (after a complete expression, say),
/// names every clause as one item and every operator as another, so that the
/// message lists a handful of choices rather than thirty.
fn summarised(mut e: pest::error::Error<Rule>) -> pest::error::Error<Rule> {
    if let pest::error::ErrorVariant::ParsingError { positives, .. } = &mut e.variant {
        for (group, representative) in [
            (CLAUSE_STARTS, Rule::match_clause),
            (OPERATORS, Rule::comp_op),
        ] {
            if positives.iter().filter(|r| group.contains(r)).count() >= 3 {
                positives.retain(|r| !group.contains(r));
                positives.push(representative);
            }
        }
    }
    e
}

/// Parses one statement (an optional trailing `;` is allowed).
pub fn parse(text: &str) -> Result<Statement, SyntaxError> {
    with_deep_stack(|| parse_here(text))
}

/// [`parse`] on the current thread (which must have a deep stack).
pub(crate) fn parse_here(text: &str) -> Result<Statement, SyntaxError> {
    if let Some(at) = too_deep(text) {
        return Err(syntax_error(
            text,
            at,
            format!("brackets nest more than {MAX_NESTING} levels deep here"),
        ));
    }
    if let Some(at) = too_complex(text) {
        return Err(syntax_error(
            text,
            at,
            format!(
                "expression nests too deeply: here more than {MAX_EXPR_DEPTH} operators and brackets enclose one another"
            ),
        ));
    }
    let statement = QueryParser::parse(Rule::statement, text)
        .map_err(|e| {
            let offset = match e.location {
                pest::error::InputLocation::Pos(p) => p,
                pest::error::InputLocation::Span((p, _)) => p,
            };
            let mut err = from_pest(&summarised(e), text, describe);
            if let Some(quote) = unclosed_quote(text, offset) {
                err.message = format!("string starting here is never closed (no matching {quote})");
            }
            err
        })?
        .next()
        .ok_or_else(|| syntax_error(text, 0, "empty query".into()))?;
    let b = Builder { text };
    b.statement(statement)
}

/// The quote character at `offset` when the string it opens is never closed.
fn unclosed_quote(text: &str, offset: usize) -> Option<char> {
    let rest = text.get(offset..)?;
    let quote = rest.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let mut chars = rest.chars().skip(1);
    while let Some(c) = chars.next() {
        if c == '\\' {
            chars.next();
        } else if c == quote {
            return None;
        }
    }
    Some(quote)
}

fn syntax_error(text: &str, offset: usize, message: String) -> SyntaxError {
    let (position, line_text) = locate(text, offset);
    SyntaxError {
        position,
        message,
        line_text,
    }
}

fn span(p: &Pair<Rule>) -> Span {
    Span {
        start: p.as_span().start(),
        end: p.as_span().end(),
    }
}

struct Builder<'t> {
    text: &'t str,
}

type R<T> = Result<T, SyntaxError>;

impl<'t> Builder<'t> {
    fn err(&self, p: &Pair<Rule>, message: impl Into<String>) -> SyntaxError {
        syntax_error(self.text, p.as_span().start(), message.into())
    }
}
