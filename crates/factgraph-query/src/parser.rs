//! Query text to [`ast::Statement`](super::ast::Statement), via the pest grammar in `grammar/query.pest`.

use pest::iterators::Pair;
use pest::Parser;
use pest_derive::Parser;

use factgraph_model::syntax::{from_pest, locate, SyntaxError};
use factgraph_model::Value;

use super::ast::*;

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

/// How deeply brackets may nest, and how many operators may follow one
/// another in a chain. Parsing and evaluation recurse once per level, so
/// these bound the stack a statement needs (see [`with_deep_stack`]).
const MAX_NESTING: usize = 100;
const MAX_CHAIN: usize = 1000;
/// How many operators, keywords and brackets may wrap one another on one
/// path through a statement's expression tree. Brackets and chains each stay
/// within their own limits, yet multiply: 100 brackets each holding a chain
/// of 1000 operators build a tree 100,000 deep, which overflows even the
/// deep stack. Checking, evaluating and dropping the tree recurse once per
/// level; a debug build still has room for twice this many.
const MAX_EXPR_DEPTH: usize = 2500;

/// Stack size for parsing and running a statement: deep enough for
/// [`MAX_NESTING`] levels even in a debug build, whatever thread calls.
const DEEP_STACK: usize = 256 * 1024 * 1024;

/// Runs `f` on a thread with a [`DEEP_STACK`], so that a deeply nested
/// query is an error or a result, never a stack overflow of the caller's
/// (possibly small) stack. (The stack is reserved, not used, until needed.)
pub(crate) fn with_deep_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| {
        match std::thread::Builder::new()
            .name("query".into())
            .stack_size(DEEP_STACK)
            .spawn_scoped(scope, f)
        {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(e) => panic!("cannot start a query thread: {e}"),
        }
    })
}

/// Consumes the string, quoted name or comment that `c` opens, so that the
/// brackets and operators inside it are not counted; false when `c` opens none.
fn skip_literal_or_comment(
    c: char,
    chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>,
) -> bool {
    match c {
        '\'' | '"' | '`' => {
            while let Some((_, d)) = chars.next() {
                if d == '\\' && c != '`' {
                    chars.next();
                } else if d == c {
                    break;
                }
            }
        }
        '/' if chars.peek().is_some_and(|(_, d)| *d == '/') => {
            for (_, d) in chars.by_ref() {
                if d == '\n' {
                    break;
                }
            }
        }
        '/' if chars.peek().is_some_and(|(_, d)| *d == '*') => {
            chars.next();
            let mut star = false;
            for (_, d) in chars.by_ref() {
                if star && d == '/' {
                    break;
                }
                star = d == '*';
            }
        }
        _ => return false,
    }
    true
}

/// The offset of the bracket that opens nesting level `MAX_NESTING + 1`, if any
/// (strings and comments do not count).
fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if skip_literal_or_comment(c, &mut chars) {
            continue;
        }
        match c {
            '(' | '[' | '{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(i);
                }
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// The offset of the token at which operators wrapping one another (see
/// [`MAX_EXPR_DEPTH`]) first exceed the limit, if they do.
///
/// This reads tokens, not the grammar, and overestimates: every operator
/// character, operator keyword and bracket on the way down counts, and a
/// comma or a clause keyword starts a sibling that does not add to the
/// depth of what came before it.
fn too_complex(text: &str) -> Option<usize> {
    #[derive(Default)]
    struct Level {
        /// Operators since the last sibling boundary.
        ops: usize,
        /// The deepest bracketed child since then.
        child: usize,
        /// The deepest sibling so far.
        best: usize,
    }
    const OPERATOR_WORDS: &[&str] = &[
        "NOT", "AND", "OR", "XOR", "IS", "IN", "STARTS", "ENDS", "CONTAINS", "CASE", "WHEN",
        "THEN", "ELSE",
    ];
    const SIBLING_WORDS: &[&str] = &[
        "MATCH", "OPTIONAL", "WHERE", "RETURN", "WITH", "SET", "CREATE", "MERGE", "DELETE",
        "DETACH", "REMOVE", "UNWIND", "ORDER", "SKIP", "LIMIT", "UNION", "CALL", "YIELD", "AS",
    ];
    let mut levels = vec![Level::default()];
    // Operators counted on the current path: the sum of `ops` over `levels`.
    let mut on_path = 0usize;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if skip_literal_or_comment(c, &mut chars) {
            continue;
        }
        let mut counted = false;
        match c {
            '(' | '[' | '{' => {
                // An index `x[0]` wraps what precedes it, like an operator.
                if let (Some(l), '[') = (levels.last_mut(), c) {
                    l.ops += 1;
                    on_path += 1;
                }
                levels.push(Level::default());
                counted = true;
            }
            ')' | ']' | '}' if levels.len() > 1 => {
                if let Some(done) = levels.pop() {
                    on_path -= done.ops;
                    let depth = done.best.max(done.ops + done.child) + 1;
                    if let Some(parent) = levels.last_mut() {
                        parent.child = parent.child.max(depth);
                    }
                    counted = true;
                }
            }
            ',' | ';' => {
                if let Some(l) = levels.last_mut() {
                    l.best = l.best.max(l.ops + l.child);
                    on_path -= l.ops;
                    l.ops = 0;
                    l.child = 0;
                }
            }
            '+' | '-' | '*' | '/' | '%' | '^' | '=' | '<' | '>' | '.' | '|' | ':' => {
                if let Some(l) = levels.last_mut() {
                    l.ops += 1;
                    on_path += 1;
                    counted = true;
                }
            }
            c if c.is_alphabetic() || c == '_' => {
                let start = i;
                let mut end = i + c.len_utf8();
                while let Some(&(j, d)) = chars.peek() {
                    if !(d.is_alphanumeric() || d == '_') {
                        break;
                    }
                    end = j + d.len_utf8();
                    chars.next();
                }
                let word = text[start..end].to_ascii_uppercase();
                if let Some(l) = levels.last_mut() {
                    if OPERATOR_WORDS.contains(&word.as_str()) {
                        l.ops += 1;
                        on_path += 1;
                        counted = true;
                    } else if SIBLING_WORDS.contains(&word.as_str()) {
                        l.best = l.best.max(l.ops + l.child);
                        on_path -= l.ops;
                        l.ops = 0;
                        l.child = 0;
                    }
                }
            }
            _ => {}
        }
        if counted {
            let child = levels.last().map_or(0, |l| l.child);
            if on_path + child + levels.len() > MAX_EXPR_DEPTH {
                return Some(i);
            }
        }
    }
    None
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

    fn statement(&self, p: Pair<Rule>) -> R<Statement> {
        let mut mode = Mode::Run;
        let mut query = None;
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::EXPLAIN => mode = Mode::Explain,
                Rule::PROFILE => mode = Mode::Profile,
                Rule::show_schema => query = Some(Query::ShowSchema),
                Rule::regular_query => query = Some(self.regular(c)?),
                _ => {}
            }
        }
        let query = query.ok_or_else(|| syntax_error(self.text, 0, "empty query".into()))?;
        Ok(Statement { mode, query })
    }

    fn regular(&self, p: Pair<Rule>) -> R<Query> {
        let mut parts = Vec::new();
        let mut all = Vec::new();
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::single_query => parts.push(self.single(c)?),
                Rule::union => {
                    let mut is_all = false;
                    for u in c.into_inner() {
                        match u.as_rule() {
                            Rule::ALL => is_all = true,
                            Rule::single_query => parts.push(self.single(u)?),
                            _ => {}
                        }
                    }
                    all.push(is_all);
                }
                _ => {}
            }
        }
        Ok(Query::Regular { parts, all })
    }

    fn single(&self, p: Pair<Rule>) -> R<Vec<Clause>> {
        p.into_inner().map(|c| self.clause(c)).collect()
    }

    fn clause(&self, p: Pair<Rule>) -> R<Clause> {
        let rule = p.as_rule();
        let whole = p.clone();
        let mut inner = p.into_inner().peekable();
        Ok(match rule {
            Rule::match_clause => {
                let mut optional = false;
                let mut pattern = Vec::new();
                let mut filter = None;
                for c in inner {
                    match c.as_rule() {
                        Rule::OPTIONAL => optional = true,
                        Rule::pattern => pattern = self.pattern(c)?,
                        Rule::where_clause => filter = Some(self.where_clause(c)?),
                        _ => {}
                    }
                }
                Clause::Match {
                    optional,
                    pattern,
                    filter,
                }
            }
            Rule::unwind_clause => {
                let mut expr = None;
                let mut var = String::new();
                for c in inner {
                    match c.as_rule() {
                        Rule::expr => expr = Some(self.expr(c)?),
                        Rule::variable => var = self.name(c),
                        _ => {}
                    }
                }
                Clause::Unwind {
                    expr: expr.ok_or_else(|| self.err(&whole, "UNWIND needs a list"))?,
                    var,
                }
            }
            Rule::with_clause => {
                let mut projection = None;
                let mut filter = None;
                for c in inner {
                    match c.as_rule() {
                        Rule::projection => projection = Some(self.projection(c)?),
                        Rule::where_clause => filter = Some(self.where_clause(c)?),
                        _ => {}
                    }
                }
                Clause::With {
                    projection: projection.ok_or_else(|| self.err(&whole, "WITH needs items"))?,
                    filter,
                }
            }
            Rule::return_clause => {
                let proj = inner
                    .find(|c| c.as_rule() == Rule::projection)
                    .ok_or_else(|| self.err(&whole, "RETURN needs items"))?;
                Clause::Return(self.projection(proj)?)
            }
            Rule::create_clause => {
                let pat = inner
                    .find(|c| c.as_rule() == Rule::pattern)
                    .ok_or_else(|| self.err(&whole, "CREATE needs a pattern"))?;
                Clause::Create(self.pattern(pat)?)
            }
            Rule::merge_clause => {
                let mut part = None;
                let mut on_create = Vec::new();
                let mut on_match = Vec::new();
                for c in inner {
                    match c.as_rule() {
                        Rule::pattern_part => part = Some(self.pattern_part(c)?),
                        Rule::merge_action => {
                            let mut is_create = false;
                            for a in c.into_inner() {
                                match a.as_rule() {
                                    Rule::CREATE => is_create = true,
                                    Rule::set_clause => {
                                        let items = self.set_items(a)?;
                                        if is_create {
                                            on_create.extend(items);
                                        } else {
                                            on_match.extend(items);
                                        }
                                    }
                                    _ => {}
                                }
                            }
                        }
                        _ => {}
                    }
                }
                Clause::Merge {
                    part: part.ok_or_else(|| self.err(&whole, "MERGE needs a pattern"))?,
                    on_create,
                    on_match,
                }
            }
            Rule::set_clause => Clause::Set(self.set_items(whole)?),
            Rule::remove_clause => {
                let mut items = Vec::new();
                for c in inner.filter(|c| c.as_rule() == Rule::remove_item) {
                    let Some(item) = c.into_inner().next() else {
                        continue;
                    };
                    items.push(match item.as_rule() {
                        Rule::set_labels => {
                            let (var, labels) = self.var_labels(item);
                            RemoveItem::Labels { var, labels }
                        }
                        _ => {
                            let (var, key) = self.property_target(item)?;
                            RemoveItem::Property { var, key }
                        }
                    });
                }
                Clause::Remove(items)
            }
            Rule::delete_clause => {
                let mut detach = false;
                let mut exprs = Vec::new();
                for c in inner {
                    match c.as_rule() {
                        Rule::DETACH => detach = true,
                        Rule::expr => exprs.push(self.expr(c)?),
                        _ => {}
                    }
                }
                Clause::Delete { detach, exprs }
            }
            Rule::call_clause => {
                let mut name = String::new();
                let mut args = Vec::new();
                let mut yields = None;
                let mut filter = None;
                let mut implicit_args = true;
                let mut yield_star = false;
                for c in inner {
                    match c.as_rule() {
                        Rule::procedure_name => name = c.as_str().to_string(),
                        Rule::call_args => {
                            implicit_args = false;
                            for a in c.into_inner() {
                                args.push(self.expr(a)?);
                            }
                        }
                        Rule::yield_items => {
                            let mut list = Vec::new();
                            let mut star = false;
                            for y in c.into_inner() {
                                match y.as_rule() {
                                    Rule::star => star = true,
                                    Rule::yield_item => {
                                        let mut parts = y.into_inner();
                                        let field = parts
                                            .next()
                                            .map(|f| unquote(f.as_str()))
                                            .unwrap_or_default();
                                        let alias = parts
                                            .find(|a| a.as_rule() == Rule::variable)
                                            .map(|a| self.name(a))
                                            .unwrap_or_else(|| field.clone());
                                        list.push((field, alias));
                                    }
                                    Rule::where_clause => filter = Some(self.where_clause(y)?),
                                    _ => {}
                                }
                            }
                            if star {
                                yield_star = true;
                            } else {
                                yields = Some(list);
                            }
                        }
                        _ => {}
                    }
                }
                Clause::Call {
                    name,
                    args,
                    implicit_args,
                    yields,
                    yield_star,
                    filter,
                    span: span(&whole),
                }
            }
            _ => return Err(self.err(&whole, "unexpected clause")),
        })
    }

    fn where_clause(&self, p: Pair<Rule>) -> R<Expr> {
        let e = p
            .clone()
            .into_inner()
            .find(|c| c.as_rule() == Rule::expr)
            .ok_or_else(|| self.err(&p, "WHERE needs a condition"))?;
        self.expr(e)
    }

    fn set_items(&self, p: Pair<Rule>) -> R<Vec<SetItem>> {
        let mut items = Vec::new();
        for c in p.into_inner().filter(|c| c.as_rule() == Rule::set_item) {
            let Some(item) = c.into_inner().next() else {
                continue;
            };
            let rule = item.as_rule();
            let parts: Vec<Pair<Rule>> = item.clone().into_inner().collect();
            items.push(match rule {
                Rule::set_property => {
                    let (var, key) = self.property_target(parts[0].clone())?;
                    SetItem::Property {
                        var,
                        key,
                        value: self.expr(parts[1].clone())?,
                    }
                }
                Rule::set_all => SetItem::Replace {
                    var: self.name(parts[0].clone()),
                    value: self.expr(parts[1].clone())?,
                },
                Rule::set_add => SetItem::Merge {
                    var: self.name(parts[0].clone()),
                    value: self.expr(parts[1].clone())?,
                },
                _ => {
                    let (var, labels) = self.var_labels(item);
                    SetItem::Labels { var, labels }
                }
            });
        }
        Ok(items)
    }

    fn var_labels(&self, p: Pair<Rule>) -> (String, Vec<String>) {
        let mut var = String::new();
        let mut labels = Vec::new();
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::variable => var = self.name(c),
                Rule::node_labels => labels = self.labels(c),
                _ => {}
            }
        }
        (var, labels)
    }

    fn property_target(&self, p: Pair<Rule>) -> R<(String, String)> {
        let whole = p.clone();
        let mut inner = p.into_inner();
        let var = inner.next().map(|v| self.name(v)).unwrap_or_default();
        let keys: Vec<String> = inner.map(|k| unquote(k.as_str())).collect();
        if keys.len() != 1 {
            return Err(self.err(&whole, "only one level of property can be set, as n.key"));
        }
        Ok((var, keys.into_iter().next().unwrap_or_default()))
    }

    fn name(&self, p: Pair<Rule>) -> String {
        unquote(p.as_str())
    }

    fn labels(&self, p: Pair<Rule>) -> Vec<String> {
        p.into_inner().map(|l| unquote(l.as_str())).collect()
    }

    fn projection(&self, p: Pair<Rule>) -> R<Projection> {
        let mut proj = Projection {
            distinct: false,
            star: false,
            items: Vec::new(),
            order: Vec::new(),
            skip: None,
            limit: None,
        };
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::DISTINCT => proj.distinct = true,
                Rule::proj_items => {
                    for item in c.into_inner() {
                        match item.as_rule() {
                            Rule::star => proj.star = true,
                            Rule::proj_item => {
                                let text = item.as_str().trim().to_string();
                                let mut parts = item.into_inner();
                                let Some(e) = parts.next() else { continue };
                                let expr_text = e.as_str().trim().to_string();
                                let expr = self.expr(e)?;
                                let alias = parts
                                    .find(|a| a.as_rule() == Rule::variable)
                                    .map(|a| self.name(a));
                                let _ = text;
                                proj.items.push(ProjItem {
                                    aliased: alias.is_some(),
                                    name: alias.unwrap_or(expr_text),
                                    expr,
                                });
                            }
                            _ => {}
                        }
                    }
                }
                Rule::order_by => {
                    for s in c.into_inner().filter(|s| s.as_rule() == Rule::sort_item) {
                        let mut parts = s.into_inner();
                        let Some(e) = parts.next() else { continue };
                        let expr = self.expr(e)?;
                        let descending =
                            parts.any(|d| matches!(d.as_rule(), Rule::DESC | Rule::DESCENDING));
                        proj.order.push(SortItem { expr, descending });
                    }
                }
                Rule::skip => proj.skip = self.last_expr(c)?,
                Rule::limit => proj.limit = self.last_expr(c)?,
                _ => {}
            }
        }
        Ok(proj)
    }

    fn last_expr(&self, p: Pair<Rule>) -> R<Option<Expr>> {
        p.into_inner()
            .filter(|c| c.as_rule() == Rule::expr)
            .map(|c| self.expr(c))
            .next()
            .transpose()
    }

    // ---- patterns ----

    fn pattern(&self, p: Pair<Rule>) -> R<Vec<PatternPart>> {
        p.into_inner().map(|c| self.pattern_part(c)).collect()
    }

    fn pattern_part(&self, p: Pair<Rule>) -> R<PatternPart> {
        let sp = span(&p);
        let mut path_var = None;
        let mut shortest = None;
        let mut chain = None;
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::variable => path_var = Some(self.name(c)),
                Rule::pattern_chain => chain = Some(c),
                Rule::shortest_path => {
                    for s in c.into_inner() {
                        match s.as_rule() {
                            Rule::SHORTEST_PATH => shortest = Some(Shortest::One),
                            Rule::ALL_SHORTEST_PATHS => shortest = Some(Shortest::All),
                            Rule::pattern_chain => chain = Some(s),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        let chain =
            chain.ok_or_else(|| syntax_error(self.text, sp.start, "empty pattern".into()))?;
        let (start, steps) = self.chain(chain)?;
        Ok(PatternPart {
            path_var,
            shortest,
            start,
            steps,
            span: sp,
        })
    }

    fn chain(&self, p: Pair<Rule>) -> R<(NodePattern, Vec<(RelPattern, NodePattern)>)> {
        let mut inner = p.into_inner();
        let start = match inner.next() {
            Some(n) => self.node_pattern(n)?,
            None => NodePattern::default(),
        };
        let mut steps = Vec::new();
        while let (Some(r), Some(n)) = (inner.next(), inner.next()) {
            steps.push((self.rel_pattern(r)?, self.node_pattern(n)?));
        }
        Ok((start, steps))
    }

    fn node_pattern(&self, p: Pair<Rule>) -> R<NodePattern> {
        let mut node = NodePattern {
            span: span(&p),
            ..NodePattern::default()
        };
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::variable => node.var = Some(self.name(c)),
                Rule::node_labels => node.labels = self.labels(c),
                Rule::properties => node.props = Some(self.properties(c)?),
                _ => {}
            }
        }
        Ok(node)
    }

    fn properties(&self, p: Pair<Rule>) -> R<Expr> {
        let inner = p
            .clone()
            .into_inner()
            .next()
            .ok_or_else(|| self.err(&p, "expected a property map"))?;
        self.atom(inner)
    }

    fn rel_pattern(&self, p: Pair<Rule>) -> R<RelPattern> {
        let sp = span(&p);
        let mut left = false;
        let mut right = false;
        let mut rel = RelPattern {
            var: None,
            types: Vec::new(),
            dir: Dir::Both,
            length: None,
            props: None,
            span: sp,
        };
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::left_arrow => left = true,
                Rule::right_arrow => right = true,
                Rule::rel_detail => {
                    for d in c.into_inner() {
                        match d.as_rule() {
                            Rule::variable => rel.var = Some(self.name(d)),
                            Rule::rel_types => {
                                rel.types = d.into_inner().map(|t| unquote(t.as_str())).collect()
                            }
                            Rule::properties => rel.props = Some(self.properties(d)?),
                            Rule::var_length => {
                                let mut lo = None;
                                let mut hi = None;
                                let mut dots = false;
                                for v in d.clone().into_inner() {
                                    let n = || {
                                        v.as_str()
                                            .parse::<u32>()
                                            .map_err(|_| self.err(&v, "path length is too large"))
                                    };
                                    match v.as_rule() {
                                        Rule::range_lo => lo = Some(n()?),
                                        Rule::range_hi => hi = Some(n()?),
                                        Rule::range_dots => dots = true,
                                        _ => {}
                                    }
                                }
                                rel.length = Some(match (lo, dots, hi) {
                                    (Some(n), false, _) => (n, Some(n)),
                                    (lo, _, hi) => (lo.unwrap_or(1), hi),
                                });
                            }
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        rel.dir = match (left, right) {
            (true, false) => Dir::In,
            (false, true) => Dir::Out,
            // `<-->` is openCypher's other spelling of `--`: either direction.
            (false, false) | (true, true) => Dir::Both,
        };
        Ok(rel)
    }

    // ---- expressions ----

    fn expr(&self, p: Pair<Rule>) -> R<Expr> {
        match p.as_rule() {
            Rule::expr => {
                let inner = p
                    .clone()
                    .into_inner()
                    .next()
                    .ok_or_else(|| self.err(&p, "empty expression"))?;
                self.expr(inner)
            }
            Rule::or_expr => self.left_assoc(p, |_| BinOp::Or),
            Rule::xor_expr => self.left_assoc(p, |_| BinOp::Xor),
            Rule::and_expr => self.left_assoc(p, |_| BinOp::And),
            Rule::not_expr => {
                let mut nots = 0;
                let mut inner = None;
                for c in p.into_inner() {
                    match c.as_rule() {
                        Rule::NOT => nots += 1,
                        _ => inner = Some(self.expr(c)?),
                    }
                }
                let mut e = inner.unwrap_or(Expr::Literal(Value::Null));
                for _ in 0..nots {
                    e = Expr::Not(Box::new(e));
                }
                Ok(e)
            }
            Rule::comparison => {
                let mut inner = p.clone().into_inner();
                let first = inner
                    .next()
                    .ok_or_else(|| self.err(&p, "empty comparison"))?;
                let mut left = self.expr(first)?;
                let mut result: Option<Expr> = None;
                // a < b < c means a < b AND b < c.
                while let (Some(op), Some(rhs)) = (inner.next(), inner.next()) {
                    let op = match op.as_str() {
                        "=" => BinOp::Eq,
                        "<>" | "!=" => BinOp::Ne,
                        "<" => BinOp::Lt,
                        "<=" => BinOp::Le,
                        ">" => BinOp::Gt,
                        ">=" => BinOp::Ge,
                        _ => BinOp::Regex,
                    };
                    let right = self.expr(rhs)?;
                    let cmp = Expr::Binary(op, Box::new(left), Box::new(right.clone()));
                    result = Some(match result {
                        None => cmp,
                        Some(prev) => Expr::Binary(BinOp::And, Box::new(prev), Box::new(cmp)),
                    });
                    left = right;
                }
                Ok(result.unwrap_or(left))
            }
            Rule::predicate => {
                let mut inner = p.clone().into_inner();
                let first = inner
                    .next()
                    .ok_or_else(|| self.err(&p, "empty expression"))?;
                let mut e = self.expr(first)?;
                for tail in inner {
                    let Some(t) = tail.into_inner().next() else {
                        continue;
                    };
                    let rule = t.as_rule();
                    let operand = || -> R<Expr> {
                        let a = t
                            .clone()
                            .into_inner()
                            .find(|c| c.as_rule() == Rule::additive)
                            .ok_or_else(|| self.err(&t, "missing operand"))?;
                        self.expr(a)
                    };
                    e = match rule {
                        Rule::is_null => Expr::IsNull(Box::new(e), false),
                        Rule::is_not_null => Expr::IsNull(Box::new(e), true),
                        Rule::starts_with => {
                            Expr::Binary(BinOp::StartsWith, Box::new(e), Box::new(operand()?))
                        }
                        Rule::ends_with => {
                            Expr::Binary(BinOp::EndsWith, Box::new(e), Box::new(operand()?))
                        }
                        Rule::contains => {
                            Expr::Binary(BinOp::Contains, Box::new(e), Box::new(operand()?))
                        }
                        Rule::in_list => Expr::Binary(BinOp::In, Box::new(e), Box::new(operand()?)),
                        _ => {
                            let labels = t
                                .clone()
                                .into_inner()
                                .next()
                                .map(|l| self.labels(l))
                                .unwrap_or_default();
                            let labels = if labels.is_empty() {
                                self.labels(t)
                            } else {
                                labels
                            };
                            Expr::HasLabels(Box::new(e), labels)
                        }
                    };
                }
                Ok(e)
            }
            Rule::additive => {
                self.left_assoc(p, |op| if op == "+" { BinOp::Add } else { BinOp::Sub })
            }
            Rule::multiplicative => self.left_assoc(p, |op| match op {
                "*" => BinOp::Mul,
                "/" => BinOp::Div,
                _ => BinOp::Mod,
            }),
            Rule::power => self.left_assoc(p, |_| BinOp::Pow),
            Rule::unary => {
                let mut negations = 0;
                let mut inner = None;
                for c in p.into_inner() {
                    match c.as_rule() {
                        Rule::unary_op => {
                            if c.as_str() == "-" {
                                negations += 1
                            }
                        }
                        _ => inner = Some(c),
                    }
                }
                let Some(inner) = inner else {
                    return Ok(Expr::Literal(Value::Null));
                };
                // -9223372036854775808 is a valid literal only with its sign.
                if negations % 2 == 1 {
                    if let Some(lit) = self.negative_integer_literal(&inner) {
                        return lit;
                    }
                }
                let mut e = self.expr(inner)?;
                for _ in 0..negations {
                    e = Expr::Neg(Box::new(e));
                }
                Ok(e)
            }
            Rule::postfix => {
                let mut inner = p.clone().into_inner();
                let first = inner
                    .next()
                    .ok_or_else(|| self.err(&p, "empty expression"))?;
                let mut e = self.atom(first)?;
                for op in inner {
                    let Some(op) = op.into_inner().next() else {
                        continue;
                    };
                    e = match op.as_rule() {
                        Rule::property_lookup => {
                            let key = op
                                .into_inner()
                                .next()
                                .map(|k| unquote(k.as_str()))
                                .unwrap_or_default();
                            Expr::Property(Box::new(e), key)
                        }
                        Rule::index => {
                            let i = op
                                .clone()
                                .into_inner()
                                .next()
                                .ok_or_else(|| self.err(&op, "empty index"))?;
                            Expr::Index(Box::new(e), Box::new(self.expr(i)?))
                        }
                        _ => {
                            // slice: [a..b], either side optional; tell them apart by position.
                            let dots = op.as_str().find("..").unwrap_or(0) + op.as_span().start();
                            let mut lo = None;
                            let mut hi = None;
                            for c in op.into_inner() {
                                let boxed = Box::new(self.expr(c.clone())?);
                                if c.as_span().start() < dots {
                                    lo = Some(boxed);
                                } else {
                                    hi = Some(boxed);
                                }
                            }
                            Expr::Slice(Box::new(e), lo, hi)
                        }
                    };
                }
                Ok(e)
            }
            _ => self.atom(p),
        }
    }

    fn negative_integer_literal(&self, postfix: &Pair<Rule>) -> Option<R<Expr>> {
        let mut inner = postfix.clone().into_inner();
        let atom = inner.next()?;
        if inner.next().is_some() || atom.as_rule() != Rule::integer {
            return None;
        }
        Some(
            parse_integer(&format!("-{}", atom.as_str()))
                .map(|i| Expr::Literal(Value::Int(i)))
                .ok_or_else(|| self.err(&atom, format!("integer -{} is too large", atom.as_str()))),
        )
    }

    fn left_assoc(&self, p: Pair<Rule>, op_of: impl Fn(&str) -> BinOp) -> R<Expr> {
        let mut inner = p.clone().into_inner();
        let first = inner
            .next()
            .ok_or_else(|| self.err(&p, "empty expression"))?;
        let mut e = self.expr(first)?;
        let mut rest = Vec::new();
        while let Some(next) = inner.next() {
            match next.as_rule() {
                Rule::add_op | Rule::mul_op => {
                    let op = op_of(next.as_str());
                    let rhs = inner
                        .next()
                        .ok_or_else(|| self.err(&next, "missing operand"))?;
                    rest.push((op, self.expr(rhs)?));
                }
                Rule::OR | Rule::XOR | Rule::AND => {}
                _ => rest.push((op_of(""), self.expr(next)?)),
            }
        }
        if rest.len() > MAX_CHAIN {
            return Err(self.err(
                &p,
                format!(
                    "expression has {} operators in a row; at most {MAX_CHAIN} are allowed",
                    rest.len()
                ),
            ));
        }
        // All of these operators are left-associative, ^ too (2^3^2 = 64).
        for (op, rhs) in rest {
            e = Expr::Binary(op, Box::new(e), Box::new(rhs));
        }
        Ok(e)
    }

    fn atom(&self, p: Pair<Rule>) -> R<Expr> {
        let sp = span(&p);
        Ok(match p.as_rule() {
            Rule::null_lit => Expr::Literal(Value::Null),
            Rule::true_lit => Expr::Literal(Value::Bool(true)),
            Rule::false_lit => Expr::Literal(Value::Bool(false)),
            Rule::integer => {
                Expr::Literal(Value::Int(parse_integer(p.as_str()).ok_or_else(|| {
                    self.err(&p, format!("integer {} is too large", p.as_str()))
                })?))
            }
            Rule::float => {
                let x: f64 = p
                    .as_str()
                    .parse()
                    .map_err(|_| self.err(&p, format!("bad number {}", p.as_str())))?;
                if x.is_infinite() {
                    return Err(self.err(&p, format!("number {} is too large", p.as_str())));
                }
                Expr::Literal(Value::Float(x))
            }
            Rule::string => {
                let inner = p
                    .clone()
                    .into_inner()
                    .next()
                    .map(|i| i.as_str())
                    .unwrap_or("");
                Expr::Literal(Value::String(unescape(inner).map_err(|m| self.err(&p, m))?))
            }
            Rule::parameter => Expr::Param(
                p.clone()
                    .into_inner()
                    .next()
                    .map(|n| unquote(n.as_str()))
                    .unwrap_or_default(),
            ),
            Rule::variable => Expr::Var(self.name(p), sp),
            Rule::paren_expr => {
                let inner = p
                    .clone()
                    .into_inner()
                    .next()
                    .ok_or_else(|| self.err(&p, "empty parentheses"))?;
                self.expr(inner)?
            }
            Rule::expr => self.expr(p)?,
            Rule::count_star => Expr::CountStar,
            Rule::list_literal => {
                Expr::List(p.into_inner().map(|c| self.expr(c)).collect::<R<_>>()?)
            }
            Rule::map_literal => {
                let mut entries = Vec::new();
                for e in p.into_inner() {
                    let mut parts = e.into_inner();
                    let (Some(k), Some(v)) = (parts.next(), parts.next()) else {
                        continue;
                    };
                    entries.push((unquote(k.as_str()), self.expr(v)?));
                }
                Expr::Map(entries)
            }
            Rule::function_call => {
                let mut name = String::new();
                let mut distinct = false;
                let mut args = Vec::new();
                for c in p.into_inner() {
                    match c.as_rule() {
                        Rule::function_name => name = c.as_str().to_lowercase(),
                        Rule::DISTINCT => distinct = true,
                        _ => args.push(self.expr(c)?),
                    }
                }
                Expr::Call {
                    name,
                    distinct,
                    args,
                    span: sp,
                }
            }
            Rule::case_expr => {
                let mut subject = None;
                let mut whens = Vec::new();
                let mut otherwise = None;
                for c in p.into_inner() {
                    match c.as_rule() {
                        Rule::expr => subject = Some(Box::new(self.expr(c)?)),
                        Rule::case_when => {
                            let mut parts =
                                c.clone().into_inner().filter(|x| x.as_rule() == Rule::expr);
                            let (Some(w), Some(t)) = (parts.next(), parts.next()) else {
                                return Err(self.err(&c, "WHEN needs a THEN"));
                            };
                            whens.push((self.expr(w)?, self.expr(t)?));
                        }
                        Rule::case_else => {
                            if let Some(e) = c.into_inner().find(|x| x.as_rule() == Rule::expr) {
                                otherwise = Some(Box::new(self.expr(e)?));
                            }
                        }
                        _ => {}
                    }
                }
                Expr::Case {
                    subject,
                    whens,
                    otherwise,
                }
            }
            Rule::list_comprehension => {
                let mut var = String::new();
                let mut list = None;
                let mut filter = None;
                let mut map = None;
                for c in p.into_inner() {
                    match c.as_rule() {
                        Rule::variable => var = self.name(c),
                        Rule::expr if list.is_none() => list = Some(Box::new(self.expr(c)?)),
                        Rule::expr => map = Some(Box::new(self.expr(c)?)),
                        Rule::where_clause => filter = Some(Box::new(self.where_clause(c)?)),
                        _ => {}
                    }
                }
                Expr::ListComprehension {
                    var,
                    list: list.unwrap_or_else(|| Box::new(Expr::List(Vec::new()))),
                    filter,
                    map,
                }
            }
            Rule::list_predicate => {
                let mut kind = Quantifier::All;
                let mut var = String::new();
                let mut list = None;
                let mut filter = None;
                for c in p.clone().into_inner() {
                    match c.as_rule() {
                        Rule::ANY_KW => kind = Quantifier::Any,
                        Rule::NONE => kind = Quantifier::None,
                        Rule::SINGLE => kind = Quantifier::Single,
                        Rule::variable => var = self.name(c),
                        Rule::expr => list = Some(Box::new(self.expr(c)?)),
                        Rule::where_clause => filter = Some(Box::new(self.where_clause(c)?)),
                        _ => {}
                    }
                }
                Expr::ListPredicate {
                    kind,
                    var,
                    list: list.ok_or_else(|| self.err(&p, "expected a list"))?,
                    filter: filter.ok_or_else(|| self.err(&p, "expected WHERE and a condition"))?,
                }
            }
            Rule::pattern_comprehension => {
                let mut path_var = None;
                let mut chain = None;
                let mut filter = None;
                let mut map = None;
                for c in p.clone().into_inner() {
                    match c.as_rule() {
                        Rule::variable => path_var = Some(self.name(c)),
                        Rule::pattern_chain => chain = Some(self.chain(c)?),
                        Rule::where_clause => filter = Some(Box::new(self.where_clause(c)?)),
                        Rule::expr => map = Some(Box::new(self.expr(c)?)),
                        _ => {}
                    }
                }
                let (start, steps) = chain.ok_or_else(|| self.err(&p, "expected a pattern"))?;
                Expr::PatternComprehension {
                    part: Box::new(PatternPart {
                        path_var,
                        shortest: None,
                        start,
                        steps,
                        span: sp,
                    }),
                    filter,
                    map: map.ok_or_else(|| self.err(&p, "expected | and an expression"))?,
                }
            }
            Rule::map_projection => {
                let mut inner = p.clone().into_inner();
                let var = inner
                    .next()
                    .ok_or_else(|| self.err(&p, "expected a variable"))?;
                let target = Box::new(Expr::Var(self.name(var.clone()), span(&var)));
                let mut items = Vec::new();
                for item in inner {
                    let Some(it) = item.into_inner().next() else {
                        continue;
                    };
                    items.push(match it.as_rule() {
                        Rule::proj_all => MapProjItem::All,
                        Rule::proj_property => MapProjItem::Property(
                            it.into_inner()
                                .next()
                                .map(|k| unquote(k.as_str()))
                                .unwrap_or_default(),
                        ),
                        Rule::proj_entry => {
                            let mut parts = it.clone().into_inner();
                            let (Some(k), Some(v)) = (parts.next(), parts.next()) else {
                                return Err(self.err(&it, "expected key: value"));
                            };
                            MapProjItem::Entry(unquote(k.as_str()), self.expr(v)?)
                        }
                        _ => MapProjItem::Var(self.name(it.clone()), span(&it)),
                    });
                }
                Expr::MapProjection { target, items }
            }
            Rule::pattern_predicate => {
                let (start, steps) = self.chain(p)?;
                Expr::Exists {
                    pattern: vec![PatternPart {
                        path_var: None,
                        shortest: None,
                        start,
                        steps,
                        span: sp,
                    }],
                    filter: None,
                    bare: true,
                }
            }
            Rule::exists_subquery => {
                let mut pattern = Vec::new();
                let mut filter = None;
                for c in p.into_inner() {
                    match c.as_rule() {
                        Rule::pattern => pattern = self.pattern(c)?,
                        Rule::where_clause => filter = Some(Box::new(self.where_clause(c)?)),
                        Rule::single_query => return Ok(Expr::ExistsSubquery(self.single(c)?)),
                        _ => {}
                    }
                }
                Expr::Exists {
                    pattern,
                    filter,
                    bare: false,
                }
            }
            _ => return Err(self.err(&p, format!("unexpected {:?}", p.as_rule()))),
        })
    }
}

fn parse_integer(text: &str) -> Option<i64> {
    let (neg, body) = match text.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, text),
    };
    let lower = body.to_ascii_lowercase();
    let magnitude = if let Some(hex) = lower.strip_prefix("0x") {
        i128::from_str_radix(hex, 16).ok()?
    } else if let Some(oct) = lower.strip_prefix("0o") {
        i128::from_str_radix(oct, 8).ok()?
    } else {
        lower.parse::<i128>().ok()?
    };
    i64::try_from(if neg { -magnitude } else { magnitude }).ok()
}

/// Removes backticks from an escaped name.
fn unquote(name: &str) -> String {
    match name.strip_prefix('`').and_then(|n| n.strip_suffix('`')) {
        Some(inner) => inner.replace("``", "`"),
        None => name.to_string(),
    }
}

fn unescape(s: &str) -> Result<String, String> {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('0') => out.push('\0'),
            Some('\'') => out.push('\''),
            Some('"') => out.push('"'),
            Some('\\') => out.push('\\'),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                let bad = || format!("\\u{hex} is not a valid escape (expected four hex digits)");
                let unit = u32::from_str_radix(&hex, 16)
                    .ok()
                    .filter(|_| hex.len() == 4 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
                    .ok_or_else(bad)?;
                // Above U+FFFF, \u escapes come in UTF-16 surrogate pairs, as
                // Neo4j (a Java program) writes and reads them.
                let c = if (0xD800..0xDC00).contains(&unit) {
                    let rest = chars.as_str();
                    let low = rest
                        .strip_prefix("\\u")
                        .and_then(|r| r.get(..4))
                        .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .filter(|low| (0xDC00..0xE000).contains(low))
                        .ok_or_else(|| {
                            format!("\\u{hex} is half of a surrogate pair and must be followed by its low half (\\uDC00 to \\uDFFF)")
                        })?;
                    chars = rest[6..].chars();
                    char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
                } else {
                    char::from_u32(unit)
                };
                out.push(
                    c.ok_or_else(|| format!("\\u{hex} is not a character: a lone low surrogate"))?,
                );
            }
            Some('U') => {
                let hex: String = chars.by_ref().take(8).collect();
                let c = u32::from_str_radix(&hex, 16)
                    .ok()
                    .filter(|_| hex.len() == 8 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
                    .and_then(char::from_u32)
                    .ok_or_else(|| {
                        format!("\\U{hex} is not a valid escape (expected eight hex digits of a character)")
                    })?;
                out.push(c);
            }
            Some(other) => return Err(format!("unknown escape \\{other} in string")),
            None => return Err("string ends with a lone backslash".into()),
        }
    }
    Ok(out)
}
