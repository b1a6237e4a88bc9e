//! Building expressions: operators by precedence, postfix operators,
//! atoms, and the literals inside them.

use pest::iterators::Pair;

use factgraph_model::Value;

use super::depth::MAX_CHAIN;
use super::Rule;
use super::{span, Builder, R};
use crate::ast::*;

impl Builder<'_> {
    pub(super) fn expr(&self, p: Pair<Rule>) -> R<Expr> {
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

    pub(super) fn atom(&self, p: Pair<Rule>) -> R<Expr> {
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
pub(super) fn unquote(name: &str) -> String {
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
