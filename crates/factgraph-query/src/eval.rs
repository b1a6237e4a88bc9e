//! Expression evaluation with Cypher's null semantics and the function library.

use std::cell::Cell;
use std::collections::BTreeMap;

use factgraph_store::Graph;

use super::ast::{BinOp, Expr, MapProjItem};
use super::error::{QResult, QueryError};
use super::pattern;
use super::temporal;
use super::value::Val;

/// Counters that show how much work a query did (for PROFILE and tests).
#[derive(Debug, Default)]
pub struct WorkCounters {
    /// Nodes read by label scans and all-node scans.
    pub nodes_scanned: Cell<u64>,
    /// Property-index lookups.
    pub index_lookups: Cell<u64>,
    /// Relationships followed during expansion.
    pub rels_expanded: Cell<u64>,
    /// The statement's clock: `datetime()` and friends read it, so every
    /// call in one statement sees the same instant.
    pub clock: Cell<Option<chrono::NaiveDateTime>>,
    /// The statement's row and time limits and its cancellation flag.
    pub guard: super::limits::Guard,
}

impl WorkCounters {
    /// The statement's current UTC time, fixed at the first reading.
    pub fn now(&self) -> chrono::NaiveDateTime {
        match self.clock.get() {
            Some(t) => t,
            None => {
                let t = temporal::now_utc();
                self.clock.set(Some(t));
                t
            }
        }
    }
}

impl WorkCounters {
    pub(crate) fn add(cell: &Cell<u64>, n: u64) {
        cell.set(cell.get() + n);
    }
}

/// What evaluation reads: the graph, the parameters, the work counters.
pub struct Ctx<'g> {
    /// The graph.
    pub graph: &'g Graph,
    /// Query parameters.
    pub params: &'g BTreeMap<String, Val>,
    /// Work done so far.
    pub work: &'g WorkCounters,
}

/// Variables in scope and their values for one row.
#[derive(Clone, Copy)]
pub struct Env<'a> {
    /// Variable names.
    pub names: &'a [String],
    /// Values, aligned with `names`.
    pub row: &'a [Val],
    /// Values of the aggregates of the projection being computed.
    pub aggs: &'a [Val],
}

impl<'a> Env<'a> {
    /// An environment without aggregates.
    pub fn new(names: &'a [String], row: &'a [Val]) -> Env<'a> {
        Env {
            names,
            row,
            aggs: &[],
        }
    }

    /// The value of a variable.
    pub fn get(&self, name: &str) -> Option<&'a Val> {
        self.names
            .iter()
            .rposition(|n| n == name)
            .and_then(|i| self.row.get(i))
    }
}

/// Names of the aggregate functions.
pub const AGGREGATES: &[&str] = &[
    "count",
    "collect",
    "sum",
    "avg",
    "min",
    "max",
    "stdev",
    "stdevp",
    "percentiledisc",
    "percentilecont",
];

/// Every scalar function, for checks and completion.
pub const FUNCTIONS: &[&str] = &[
    "abs",
    "localtime",
    "time",
    "localdatetime",
    "datetime",
    "duration",
    "date.truncate",
    "localtime.truncate",
    "time.truncate",
    "localdatetime.truncate",
    "datetime.truncate",
    "datetime.fromepoch",
    "datetime.fromepochmillis",
    "duration.between",
    "duration.inmonths",
    "duration.indays",
    "duration.inseconds",
    "date.statement",
    "date.transaction",
    "date.realtime",
    "localtime.statement",
    "localtime.transaction",
    "localtime.realtime",
    "time.statement",
    "time.transaction",
    "time.realtime",
    "localdatetime.statement",
    "localdatetime.transaction",
    "localdatetime.realtime",
    "datetime.statement",
    "datetime.transaction",
    "datetime.realtime",
    "ceil",
    "coalesce",
    "date",
    "endnode",
    "exists",
    "floor",
    "head",
    "id",
    "elementid",
    "keys",
    "labels",
    "last",
    "left",
    "length",
    "tolower",
    "lower",
    "ltrim",
    "nodes",
    "properties",
    "provenance",
    "range",
    "relationships",
    "replace",
    "reverse",
    "right",
    "round",
    "rtrim",
    "sign",
    "size",
    "split",
    "sqrt",
    "startnode",
    "substring",
    "tail",
    "toboolean",
    "tofloat",
    "tointeger",
    "tostring",
    "toupper",
    "upper",
    "trim",
    "type",
    "isempty",
    "e",
    "pi",
    "rand",
    "log",
    "log10",
    "exp",
    "sin",
    "cos",
    "tan",
    "atan",
    "asin",
    "acos",
    "degrees",
    "radians",
    "tostringornull",
    "tointegerornull",
    "tofloatornull",
    "tobooleanornull",
];

fn truth(v: &Val) -> QResult<Option<bool>> {
    match v {
        Val::Null => Ok(None),
        Val::Bool(b) => Ok(Some(*b)),
        other => Err(QueryError::type_error(format!(
            "expected a boolean, got {} {}",
            other.type_name(),
            short(other)
        ))),
    }
}

fn short(v: &Val) -> String {
    match v {
        Val::Str(s) => format!("'{s}'"),
        Val::Int(i) => i.to_string(),
        Val::Float(x) => x.to_string(),
        Val::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

/// A value's type with the value itself when it is short: `STRING 'a'`, `LIST`.
fn typed(v: &Val) -> String {
    match short(v) {
        s if s.is_empty() => v.type_name().to_string(),
        s => format!("{} {s}", v.type_name()),
    }
}

fn from_truth(b: Option<bool>) -> Val {
    b.map_or(Val::Null, Val::Bool)
}

/// Evaluates `e` in `env`.
pub fn eval(ctx: &Ctx, e: &Expr, env: Env) -> QResult<Val> {
    Ok(match e {
        Expr::Literal(v) => Val::from(v),
        Expr::Param(name) => ctx.params.get(name).cloned().ok_or_else(|| {
            QueryError::runtime(
                "Runtime.MissingParameter",
                format!("parameter ${name} is not set"),
            )
        })?,
        Expr::Var(name, _) => env.get(name).cloned().ok_or_else(|| {
            QueryError::semantic(
                "Semantic.UnknownVariable",
                format!("variable `{name}` is not defined"),
            )
        })?,
        Expr::Aggregate(i) => env.aggs.get(*i).cloned().unwrap_or(Val::Null),
        Expr::Property(target, key) => property(ctx, &eval(ctx, target, env)?, key)?,
        Expr::Index(target, index) => {
            match (eval(ctx, target, env)?, eval(ctx, index, env)?) {
                // `n['name']`: a property by a computed key.
                (t @ (Val::Node(_) | Val::Rel(_)), Val::Str(key)) => property(ctx, &t, &key)?,
                (t, i) => index_value(&t, &i)?,
            }
        }
        Expr::Slice(target, lo, hi) => {
            let t = eval(ctx, target, env)?;
            let lo = lo.as_ref().map(|x| eval(ctx, x, env)).transpose()?;
            let hi = hi.as_ref().map(|x| eval(ctx, x, env)).transpose()?;
            slice(&t, lo, hi)?
        }
        Expr::List(items) => Val::List(
            items
                .iter()
                .map(|x| eval(ctx, x, env))
                .collect::<QResult<_>>()?,
        ),
        Expr::Map(entries) => Val::Map(
            entries
                .iter()
                .map(|(k, x)| Ok((k.clone(), eval(ctx, x, env)?)))
                .collect::<QResult<_>>()?,
        ),
        Expr::Not(x) => from_truth(truth(&eval(ctx, x, env)?)?.map(|b| !b)),
        Expr::Neg(x) => match eval(ctx, x, env)? {
            Val::Null => Val::Null,
            Val::Int(i) => Val::Int(i.checked_neg().ok_or_else(|| {
                QueryError::runtime("Runtime.Overflow", "integer overflow in negation")
            })?),
            Val::Float(f) => Val::Float(-f),
            other => {
                return Err(QueryError::type_error(format!(
                    "cannot negate {}",
                    other.type_name()
                )))
            }
        },
        Expr::Binary(op, a, b) => binary(ctx, *op, a, b, env)?,
        Expr::IsNull(x, negated) => Val::Bool(eval(ctx, x, env)?.is_null() != *negated),
        Expr::HasLabels(x, labels) => match eval(ctx, x, env)? {
            Val::Null => Val::Null,
            Val::Node(id) => Val::Bool(
                ctx.graph
                    .node(id)
                    .is_some_and(|n| labels.iter().all(|l| n.has_label(l))),
            ),
            Val::Rel(id) => Val::Bool(
                ctx.graph
                    .edge(id)
                    .is_some_and(|r| labels.len() == 1 && r.rel_type == labels[0]),
            ),
            other => {
                return Err(QueryError::type_error(format!(
                    "cannot test labels of {}",
                    other.type_name()
                )))
            }
        },
        Expr::CountStar => {
            return Err(QueryError::semantic(
                "Semantic.MisplacedAggregate",
                "count(*) can only be used in RETURN or WITH",
            ))
        }
        Expr::Call {
            name,
            args,
            distinct,
            span,
        } => {
            if AGGREGATES.contains(&name.as_str()) {
                let shown = function_name(name);
                return Err(QueryError::semantic(
                    "Semantic.MisplacedAggregate",
                    format!("aggregate {shown}() can only be used in RETURN or WITH"),
                ));
            }
            let _ = (distinct, span);
            let vals = args
                .iter()
                .map(|a| eval(ctx, a, env))
                .collect::<QResult<Vec<_>>>()?;
            call(ctx, name, vals)?
        }
        Expr::Case {
            subject,
            whens,
            otherwise,
        } => {
            let subject = subject.as_ref().map(|s| eval(ctx, s, env)).transpose()?;
            for (w, t) in whens {
                let hit = match &subject {
                    Some(s) => s.cypher_eq(&eval(ctx, w, env)?) == Some(true),
                    None => truth(&eval(ctx, w, env)?)? == Some(true),
                };
                if hit {
                    return eval(ctx, t, env);
                }
            }
            match otherwise {
                Some(o) => eval(ctx, o, env)?,
                None => Val::Null,
            }
        }
        Expr::ListComprehension {
            var,
            list,
            filter,
            map,
        } => {
            let mut out = Vec::new();
            let mut values = 0;
            let complete = for_each_item(ctx, list, var, env, |item, inner| {
                if let Some(f) = filter {
                    if truth(&eval(ctx, f, inner)?)? != Some(true) {
                        return Ok(());
                    }
                }
                out.push(match map {
                    Some(m) => eval(ctx, m, inner)?,
                    None => item.clone(),
                });
                // Nested comprehensions multiply: bound what one list holds.
                values += super::limits::row_weight(&out[out.len() - 1..]);
                ctx.work.guard.hold(out.len(), values)
            })?;
            if complete {
                Val::List(out)
            } else {
                Val::Null
            }
        }
        Expr::ListPredicate {
            kind,
            var,
            list,
            filter,
        } => {
            let (mut trues, mut nulls, mut falses) = (0usize, 0usize, 0usize);
            let complete = for_each_item(ctx, list, var, env, |_, inner| {
                match truth(&eval(ctx, filter, inner)?)? {
                    Some(true) => trues += 1,
                    None => nulls += 1,
                    Some(false) => falses += 1,
                }
                Ok(())
            })?;
            if !complete {
                return Ok(Val::Null);
            }
            use super::ast::Quantifier;
            match kind {
                Quantifier::All if falses > 0 => Val::Bool(false),
                Quantifier::All if nulls > 0 => Val::Null,
                Quantifier::All => Val::Bool(true),
                Quantifier::Any if trues > 0 => Val::Bool(true),
                Quantifier::Any if nulls > 0 => Val::Null,
                Quantifier::Any => Val::Bool(false),
                Quantifier::None if trues > 0 => Val::Bool(false),
                Quantifier::None if nulls > 0 => Val::Null,
                Quantifier::None => Val::Bool(true),
                Quantifier::Single if trues > 1 => Val::Bool(false),
                Quantifier::Single if nulls > 0 => Val::Null,
                Quantifier::Single => Val::Bool(trues == 1),
            }
        }
        Expr::PatternComprehension { part, filter, map } => {
            let (names, rows) =
                pattern::match_parts(ctx, std::slice::from_ref(part.as_ref()), env.names, env.row)?;
            let mut out = Vec::new();
            for row in rows {
                let inner = Env {
                    names: &names,
                    row: &row,
                    aggs: env.aggs,
                };
                if let Some(f) = filter {
                    if truth(&eval(ctx, f, inner)?)? != Some(true) {
                        continue;
                    }
                }
                out.push(eval(ctx, map, inner)?);
            }
            Val::List(out)
        }
        Expr::MapProjection { target, items } => {
            let base = eval(ctx, target, env)?;
            let props: BTreeMap<String, Val> = match &base {
                Val::Null => return Ok(Val::Null),
                Val::Node(_) | Val::Rel(_) | Val::Map(_) => {
                    match call(ctx, "properties", vec![base.clone()])? {
                        Val::Map(m) => m,
                        _ => BTreeMap::new(),
                    }
                }
                other => {
                    return Err(QueryError::type_error(format!(
                        "a map projection needs a node, relationship or map, got {}",
                        other.type_name()
                    )))
                }
            };
            let mut out = BTreeMap::new();
            for it in items {
                match it {
                    MapProjItem::All => out.extend(props.clone()),
                    MapProjItem::Property(k) => {
                        out.insert(k.clone(), props.get(k).cloned().unwrap_or(Val::Null));
                    }
                    MapProjItem::Entry(k, e) => {
                        out.insert(k.clone(), eval(ctx, e, env)?);
                    }
                    MapProjItem::Var(v, span) => {
                        out.insert(v.clone(), eval(ctx, &Expr::Var(v.clone(), *span), env)?);
                    }
                }
            }
            Val::Map(out)
        }
        Expr::ExistsSubquery(clauses) => Val::Bool(super::exec::subquery_has_rows(
            ctx, clauses, env.names, env.row,
        )?),
        Expr::Exists {
            pattern: parts,
            filter,
            ..
        } => {
            let (names, rows) = pattern::match_parts(ctx, parts, env.names, env.row)?;
            let mut found = false;
            for row in rows {
                match filter {
                    Some(f) => {
                        let inner = Env {
                            names: &names,
                            row: &row,
                            aggs: env.aggs,
                        };
                        if truth(&eval(ctx, f, inner)?)? == Some(true) {
                            found = true;
                            break;
                        }
                    }
                    None => {
                        found = true;
                        break;
                    }
                }
            }
            Val::Bool(found)
        }
    })
}

/// Evaluates `list` and calls `f` for each item with `var` bound to it, as
/// list comprehensions and quantifiers do. Returns false when the list is null.
fn for_each_item(
    ctx: &Ctx,
    list: &Expr,
    var: &str,
    env: Env,
    mut f: impl FnMut(&Val, Env) -> QResult<()>,
) -> QResult<bool> {
    let items = match eval(ctx, list, env)? {
        Val::Null => return Ok(false),
        Val::List(items) => items,
        other => {
            return Err(QueryError::type_error(format!(
                "IN expects a list, got {}",
                other.type_name()
            )))
        }
    };
    let mut names = env.names.to_vec();
    names.push(var.to_string());
    let mut row = env.row.to_vec();
    row.push(Val::Null);
    for item in &items {
        ctx.work.guard.tick()?;
        if let Some(slot) = row.last_mut() {
            *slot = item.clone();
        }
        let inner = Env {
            names: &names,
            row: &row,
            aggs: env.aggs,
        };
        f(item, inner)?;
    }
    Ok(true)
}

/// Whether a filter holds for a row: only `true` passes; null and false do not.
pub fn holds(ctx: &Ctx, e: &Expr, env: Env) -> QResult<bool> {
    Ok(truth(&eval(ctx, e, env)?)? == Some(true))
}

/// `target.key`
pub fn property(ctx: &Ctx, target: &Val, key: &str) -> QResult<Val> {
    Ok(match target {
        Val::Null => Val::Null,
        Val::Node(id) => match ctx.graph.node(*id) {
            Some(n) => n.props.get(key).map_or(Val::Null, Val::from),
            None => return Err(deleted(ctx, target)),
        },
        Val::Rel(id) => match ctx.graph.edge(*id) {
            Some(r) => r.props.get(key).map_or(Val::Null, Val::from),
            None => return Err(deleted(ctx, target)),
        },
        Val::Map(m) => m.get(key).cloned().unwrap_or(Val::Null),
        Val::Date(d) if d.day.is_none() => match key {
            "year" => Val::Int(d.year as i64),
            "month" => d.month.map_or(Val::Null, |m| Val::Int(m as i64)),
            "day" => Val::Null,
            _ => Val::Null,
        },
        Val::Date(_)
        | Val::LocalTime(_)
        | Val::Time(_)
        | Val::LocalDateTime(_)
        | Val::DateTime(_)
        | Val::Duration(_) => match temporal::component(target, key) {
            Some(v) => v,
            None => {
                return Err(QueryError::type_error(format!(
                    "{} has no property {key:?}",
                    target.type_name()
                )))
            }
        },
        other => {
            return Err(QueryError::type_error(format!(
                "cannot read property {key:?} of {}",
                other.type_name()
            )))
        }
    })
}

/// The error for reading a node or relationship that this statement deleted.
fn deleted(ctx: &Ctx, target: &Val) -> QueryError {
    let what = match target {
        Val::Node(id) if ctx.graph.deleted_node(*id).is_some() => "node",
        Val::Rel(id) if ctx.graph.deleted_edge(*id).is_some() => "relationship",
        Val::Node(_) => "missing node",
        _ => "missing relationship",
    };
    QueryError::runtime(
        "Runtime.DeletedEntity",
        format!("cannot read the {what}: it has been deleted"),
    )
}

fn index_value(target: &Val, index: &Val) -> QResult<Val> {
    Ok(match (target, index) {
        (Val::Null, _) | (_, Val::Null) => Val::Null,
        (Val::List(items), Val::Int(i)) => {
            let len = items.len() as i64;
            let at = if *i < 0 { len + i } else { *i };
            if at < 0 || at >= len {
                Val::Null
            } else {
                items[at as usize].clone()
            }
        }
        (Val::Map(m), Val::Str(k)) => m.get(k).cloned().unwrap_or(Val::Null),
        (t, i) => {
            return Err(QueryError::type_error(format!(
                "cannot index {} with {}",
                t.type_name(),
                i.type_name()
            )))
        }
    })
}

fn slice(target: &Val, lo: Option<Val>, hi: Option<Val>) -> QResult<Val> {
    let items = match target {
        Val::Null => return Ok(Val::Null),
        Val::List(items) => items,
        other => {
            return Err(QueryError::type_error(format!(
                "cannot slice {}",
                other.type_name()
            )))
        }
    };
    let len = items.len() as i64;
    let bound = |v: Option<Val>, default: i64| -> QResult<Option<i64>> {
        match v {
            None => Ok(Some(default)),
            Some(Val::Null) => Ok(None),
            Some(Val::Int(i)) => Ok(Some(if i < 0 { (len + i).max(0) } else { i.min(len) })),
            Some(other) => Err(QueryError::type_error(format!(
                "slice bounds must be integers, got {}",
                other.type_name()
            ))),
        }
    };
    let (Some(a), Some(b)) = (bound(lo, 0)?, bound(hi, len)?) else {
        return Ok(Val::Null);
    };
    Ok(Val::List(if a < b {
        items[a as usize..b as usize].to_vec()
    } else {
        Vec::new()
    }))
}

fn binary(ctx: &Ctx, op: BinOp, a: &Expr, b: &Expr, env: Env) -> QResult<Val> {
    // Three-valued logic, short-circuiting where the result is decided.
    match op {
        BinOp::And => {
            let l = truth(&eval(ctx, a, env)?)?;
            if l == Some(false) {
                return Ok(Val::Bool(false));
            }
            let r = truth(&eval(ctx, b, env)?)?;
            return Ok(match (l, r) {
                (_, Some(false)) => Val::Bool(false),
                (Some(true), Some(true)) => Val::Bool(true),
                _ => Val::Null,
            });
        }
        BinOp::Or => {
            let l = truth(&eval(ctx, a, env)?)?;
            if l == Some(true) {
                return Ok(Val::Bool(true));
            }
            let r = truth(&eval(ctx, b, env)?)?;
            return Ok(match (l, r) {
                (_, Some(true)) => Val::Bool(true),
                (Some(false), Some(false)) => Val::Bool(false),
                _ => Val::Null,
            });
        }
        BinOp::Xor => {
            let l = truth(&eval(ctx, a, env)?)?;
            let r = truth(&eval(ctx, b, env)?)?;
            return Ok(match (l, r) {
                (Some(x), Some(y)) => Val::Bool(x != y),
                _ => Val::Null,
            });
        }
        _ => {}
    }
    let l = eval(ctx, a, env)?;
    let r = eval(ctx, b, env)?;
    apply_binary(op, &l, &r)
}

/// Applies a non-logical binary operator to two values.
pub fn apply_binary(op: BinOp, l: &Val, r: &Val) -> QResult<Val> {
    use std::cmp::Ordering::*;
    Ok(match op {
        BinOp::Eq => from_truth(l.cypher_eq(r)),
        BinOp::Ne => from_truth(l.cypher_eq(r).map(|b| !b)),
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
            if l.is_null() || r.is_null() {
                return Ok(Val::Null);
            }
            // NaN is neither smaller nor greater than any number, nor equal to it.
            let nan = |v: &Val| matches!(v, Val::Float(x) if x.is_nan());
            if (nan(l) || nan(r))
                && matches!(l, Val::Int(_) | Val::Float(_))
                && matches!(r, Val::Int(_) | Val::Float(_))
            {
                return Ok(Val::Bool(false));
            }
            match l.cypher_cmp(r) {
                None => Val::Null,
                Some(o) => Val::Bool(match op {
                    BinOp::Lt => o == Less,
                    BinOp::Le => o != Greater,
                    BinOp::Gt => o == Greater,
                    _ => o != Less,
                }),
            }
        }
        BinOp::StartsWith | BinOp::EndsWith | BinOp::Contains => match (l, r) {
            (Val::Str(s), Val::Str(t)) => Val::Bool(match op {
                BinOp::StartsWith => s.starts_with(t.as_str()),
                BinOp::EndsWith => s.ends_with(t.as_str()),
                _ => s.contains(t.as_str()),
            }),
            _ => Val::Null,
        },
        BinOp::Regex => match (l, r) {
            (Val::Str(s), Val::Str(pattern)) => {
                let re = regex::Regex::new(&format!("^(?:{pattern})$")).map_err(|e| {
                    QueryError::runtime(
                        "Runtime.InvalidRegex",
                        format!("invalid regular expression {pattern:?}: {e}"),
                    )
                })?;
                Val::Bool(re.is_match(s))
            }
            _ => Val::Null,
        },
        BinOp::In => match r {
            Val::Null => Val::Null,
            Val::List(items) => {
                let mut unknown = false;
                for item in items {
                    match l.cypher_eq(item) {
                        Some(true) => return Ok(Val::Bool(true)),
                        None => unknown = true,
                        Some(false) => {}
                    }
                }
                if unknown {
                    Val::Null
                } else {
                    Val::Bool(false)
                }
            }
            other => {
                return Err(QueryError::type_error(format!(
                    "IN expects a list, got {}",
                    other.type_name()
                )))
            }
        },
        BinOp::Add => match (l, r) {
            (Val::Null, _) | (_, Val::Null) => Val::Null,
            (Val::List(a), Val::List(b)) => Val::List(a.iter().chain(b).cloned().collect()),
            (Val::List(a), x) => Val::List(
                a.iter()
                    .cloned()
                    .chain(std::iter::once(x.clone()))
                    .collect(),
            ),
            (x, Val::List(b)) => Val::List(
                std::iter::once(x.clone())
                    .chain(b.iter().cloned())
                    .collect(),
            ),
            (Val::Str(a), Val::Str(b)) => Val::Str(format!("{a}{b}")),
            (Val::Str(a), b @ (Val::Int(_) | Val::Float(_) | Val::Bool(_))) => {
                Val::Str(format!("{a}{}", to_string(b)))
            }
            (a @ (Val::Int(_) | Val::Float(_) | Val::Bool(_)), Val::Str(b)) => {
                Val::Str(format!("{}{b}", to_string(a)))
            }
            _ => arithmetic(op, l, r)?,
        },
        _ => arithmetic(op, l, r)?,
    })
}

fn to_string(v: &Val) -> String {
    match v {
        Val::Str(s) => s.clone(),
        Val::Int(i) => i.to_string(),
        Val::Float(x) => {
            let mut s = String::new();
            let _ = std::fmt::write(&mut s, format_args!("{}", FloatText(*x)));
            s
        }
        Val::Bool(b) => b.to_string(),
        Val::Date(d) => d.to_string(),
        other => temporal::render(other).unwrap_or_else(|| format!("{other:?}")),
    }
}

struct FloatText(f64);
impl std::fmt::Display for FloatText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        factgraph_model::fmt_float(self.0, f)
    }
}

fn arithmetic(op: BinOp, l: &Val, r: &Val) -> QResult<Val> {
    let c = match op {
        BinOp::Add => '+',
        BinOp::Sub => '-',
        BinOp::Mul => '*',
        BinOp::Div => '/',
        _ => ' ',
    };
    if !l.is_null() && !r.is_null() {
        if let Some(v) = temporal::arithmetic(c, l, r)? {
            return Ok(v);
        }
    }
    let overflow = || QueryError::runtime("Runtime.Overflow", "integer overflow");
    Ok(match (l, r) {
        (Val::Null, _) | (_, Val::Null) => Val::Null,
        (Val::Int(a), Val::Int(b)) => Val::Int(match op {
            BinOp::Add => a.checked_add(*b).ok_or_else(overflow)?,
            BinOp::Sub => a.checked_sub(*b).ok_or_else(overflow)?,
            BinOp::Mul => a.checked_mul(*b).ok_or_else(overflow)?,
            BinOp::Div => {
                if *b == 0 {
                    return Err(QueryError::runtime(
                        "Runtime.DivisionByZero",
                        "division by zero",
                    ));
                }
                a.checked_div(*b).ok_or_else(overflow)?
            }
            BinOp::Mod => {
                if *b == 0 {
                    return Err(QueryError::runtime(
                        "Runtime.DivisionByZero",
                        "modulo by zero",
                    ));
                }
                a.checked_rem(*b).ok_or_else(overflow)?
            }
            _ => return Ok(Val::Float((*a as f64).powf(*b as f64))),
        }),
        (Val::Int(_) | Val::Float(_), Val::Int(_) | Val::Float(_)) => {
            let (a, b) = (num(l), num(r));
            Val::Float(match op {
                BinOp::Add => a + b,
                BinOp::Sub => a - b,
                BinOp::Mul => a * b,
                BinOp::Div => a / b,
                BinOp::Mod => a % b,
                _ => a.powf(b),
            })
        }
        _ => {
            return Err(QueryError::type_error(format!(
                "cannot apply {} to {} and {}",
                op.symbol(),
                typed(l),
                typed(r)
            )))
        }
    })
}

fn num(v: &Val) -> f64 {
    match v {
        Val::Int(i) => *i as f64,
        Val::Float(x) => *x,
        _ => f64::NAN,
    }
}

fn arity(name: &str, args: &[Val], n: usize) -> QResult<()> {
    let shown = function_name(name);
    if args.len() == n {
        Ok(())
    } else {
        Err(QueryError::semantic(
            "Semantic.WrongArgumentCount",
            format!("{shown}() takes {n} argument(s), got {}", args.len()),
        ))
    }
}

fn expect_str<'v>(name: &str, v: &'v Val) -> QResult<&'v str> {
    let shown = function_name(name);
    match v {
        Val::Str(s) => Ok(s),
        other => Err(QueryError::type_error(format!(
            "{shown}() expects a string, got {}",
            other.type_name()
        ))),
    }
}

fn expect_int(name: &str, v: &Val) -> QResult<i64> {
    let shown = function_name(name);
    match v {
        Val::Int(i) => Ok(*i),
        other => Err(QueryError::type_error(format!(
            "{shown}() expects an integer, got {}",
            other.type_name()
        ))),
    }
}

/// Calls a scalar function.
pub fn call(ctx: &Ctx, name: &str, args: Vec<Val>) -> QResult<Val> {
    let shown = function_name(name);
    let g = ctx.graph;
    let first = args.first().cloned().unwrap_or(Val::Null);
    let one = |args: &[Val]| arity(name, args, 1);
    // Most functions return null for a null argument.
    let null_in = |args: &[Val]| args.first().is_some_and(Val::is_null);
    let math = |f: fn(f64) -> f64| -> QResult<Val> {
        one(&args)?;
        match &first {
            Val::Null => Ok(Val::Null),
            Val::Int(_) | Val::Float(_) => Ok(Val::Float(f(num(&first)))),
            other => Err(QueryError::type_error(format!(
                "{shown}() expects a number, got {}",
                other.type_name()
            ))),
        }
    };
    Ok(match name {
        "coalesce" => {
            if args.is_empty() {
                return Err(QueryError::semantic(
                    "Semantic.WrongArgumentCount",
                    "coalesce() needs at least one argument",
                ));
            }
            args.into_iter().find(|v| !v.is_null()).unwrap_or(Val::Null)
        }
        "date" | "localtime" | "time" | "localdatetime" | "datetime" => {
            if args.len() > 1 {
                return Err(QueryError::semantic(
                    "Semantic.WrongArgumentCount",
                    format!("{shown}() takes at most 1 argument"),
                ));
            }
            let kind = temporal::Kind::of_function(name).unwrap_or(temporal::Kind::Date);
            temporal::construct(kind, &args, ctx.work.now())?
        }
        _ if name.ends_with(".statement")
            || name.ends_with(".transaction")
            || name.ends_with(".realtime") =>
        {
            let base = name.split('.').next().unwrap_or_default();
            let kind = temporal::Kind::of_function(base).unwrap_or(temporal::Kind::Date);
            temporal::construct(kind, &args, ctx.work.now())?
        }
        _ if name.ends_with(".truncate") => {
            if args.len() < 2 || args.len() > 3 {
                return Err(QueryError::semantic(
                    "Semantic.WrongArgumentCount",
                    format!("{shown}() takes 2 or 3 arguments"),
                ));
            }
            let base = name.split('.').next().unwrap_or_default();
            let kind = temporal::Kind::of_function(base).ok_or_else(|| unknown_function(name))?;
            let unit = expect_str(name, &args[0])?;
            temporal::truncate(kind, unit, &args[1], args.get(2))?
        }
        "duration" => {
            one(&args)?;
            temporal::duration(&first)?
        }
        "duration.between" | "duration.inmonths" | "duration.indays" | "duration.inseconds" => {
            arity(name, &args, 2)?;
            let unit = name.trim_start_matches("duration.");
            temporal::between(unit, &args[0], &args[1])?
        }
        "datetime.fromepoch" => {
            arity(name, &args, 2)?;
            if args.iter().any(Val::is_null) {
                return Ok(Val::Null);
            }
            temporal::from_epoch(expect_int(name, &args[0])?, expect_int(name, &args[1])?)?
        }
        "datetime.fromepochmillis" => {
            one(&args)?;
            if first.is_null() {
                return Ok(Val::Null);
            }
            let ms = expect_int(name, &first)?;
            temporal::from_epoch(ms.div_euclid(1000), ms.rem_euclid(1000) * 1_000_000)?
        }
        "e" => Val::Float(std::f64::consts::E),
        "pi" => Val::Float(std::f64::consts::PI),
        "rand" => Val::Float(0.5),
        "range" => {
            if args.len() < 2 || args.len() > 3 {
                return Err(QueryError::semantic(
                    "Semantic.WrongArgumentCount",
                    "range() takes 2 or 3 arguments",
                ));
            }
            // A bound that is not an integer is a bad argument (TCK List11 [5]).
            let int = |v: &Val| {
                expect_int(name, v)
                    .map_err(|e| QueryError::runtime("Runtime.InvalidArgument", e.message()))
            };
            let a = int(&args[0])?;
            let b = int(&args[1])?;
            let step = if args.len() == 3 { int(&args[2])? } else { 1 };
            if step == 0 {
                return Err(QueryError::runtime(
                    "Runtime.InvalidArgument",
                    "range() step cannot be 0",
                ));
            }
            let mut out = Vec::new();
            let mut i = a;
            while (step > 0 && i <= b) || (step < 0 && i >= b) {
                out.push(Val::Int(i));
                if out.len() > 10_000_000 {
                    return Err(QueryError::runtime(
                        "Runtime.InvalidArgument",
                        "range() would exceed 10 million items",
                    ));
                }
                i = match i.checked_add(step) {
                    Some(n) => n,
                    None => break,
                };
            }
            Val::List(out)
        }
        _ if null_in(&args) && name != "exists" => {
            if args.is_empty() {
                return Err(QueryError::semantic(
                    "Semantic.WrongArgumentCount",
                    format!("{shown}() needs an argument"),
                ));
            }
            if !FUNCTIONS.contains(&name) {
                return Err(unknown_function(name));
            }
            Val::Null
        }
        "id" => {
            one(&args)?;
            match first {
                Val::Node(n) => Val::Int(n.0 as i64),
                Val::Rel(r) => Val::Int(r.0 as i64),
                other => {
                    return Err(QueryError::type_error(format!(
                        "id() expects a node or relationship, got {}",
                        other.type_name()
                    )))
                }
            }
        }
        "elementid" => {
            one(&args)?;
            match first {
                Val::Node(n) => Val::Str(n.to_string()),
                Val::Rel(r) => Val::Str(r.to_string()),
                other => {
                    return Err(QueryError::type_error(format!(
                        "elementId() expects a node or relationship, got {}",
                        other.type_name()
                    )))
                }
            }
        }
        "labels" => {
            one(&args)?;
            match first {
                Val::Node(n) => match g.node(n) {
                    Some(n) => Val::List(n.labels.iter().map(|l| Val::Str(l.clone())).collect()),
                    None => return Err(deleted(ctx, &Val::Node(n))),
                },
                other => {
                    return Err(QueryError::type_error(format!(
                        "labels() expects a node, got {}",
                        other.type_name()
                    )))
                }
            }
        }
        "type" => {
            one(&args)?;
            match first {
                // The type of a relationship deleted by this statement is still known.
                Val::Rel(r) => g
                    .edge(r)
                    .or_else(|| g.deleted_edge(r))
                    .map_or(Val::Null, |e| Val::Str(e.rel_type.clone())),
                other => {
                    return Err(QueryError::type_error(format!(
                        "type() expects a relationship, got {}",
                        other.type_name()
                    )))
                }
            }
        }
        "properties" => {
            one(&args)?;
            match first {
                Val::Node(n) => Val::Map(
                    g.node(n)
                        .map(|n| {
                            n.props
                                .iter()
                                .map(|(k, v)| (k.clone(), Val::from(v)))
                                .collect()
                        })
                        .unwrap_or_default(),
                ),
                Val::Rel(r) => Val::Map(
                    g.edge(r)
                        .map(|e| {
                            e.props
                                .iter()
                                .map(|(k, v)| (k.clone(), Val::from(v)))
                                .collect()
                        })
                        .unwrap_or_default(),
                ),
                Val::Map(m) => Val::Map(m),
                other => {
                    return Err(QueryError::type_error(format!(
                        "properties() expects a node, relationship or map, got {}",
                        other.type_name()
                    )))
                }
            }
        }
        "keys" => {
            one(&args)?;
            let keys: Vec<String> = match first {
                Val::Node(n) => g
                    .node(n)
                    .map(|n| n.props.keys().cloned().collect())
                    .unwrap_or_default(),
                Val::Rel(r) => g
                    .edge(r)
                    .map(|e| e.props.keys().cloned().collect())
                    .unwrap_or_default(),
                Val::Map(m) => m.keys().cloned().collect(),
                other => {
                    return Err(QueryError::type_error(format!(
                        "keys() expects a node, relationship or map, got {}",
                        other.type_name()
                    )))
                }
            };
            Val::List(keys.into_iter().map(Val::Str).collect())
        }
        "exists" => {
            one(&args)?;
            Val::Bool(!first.is_null())
        }
        "provenance" => {
            one(&args)?;
            let sources = match first {
                Val::Node(n) => g.node(n).map(|n| n.sources.clone()).unwrap_or_default(),
                Val::Rel(r) => g.edge(r).map(|e| e.sources.clone()).unwrap_or_default(),
                other => {
                    return Err(QueryError::type_error(format!(
                        "provenance() expects a node or relationship, got {}",
                        other.type_name()
                    )))
                }
            };
            Val::List(
                sources
                    .into_iter()
                    .map(|p| {
                        let doc = g.document(&p.document);
                        let quote = doc.map(|d| d.span_text(p.start, p.end)).unwrap_or_default();
                        let sentence = doc
                            .and_then(|d| d.sentence_text(p.sentence))
                            .unwrap_or_default();
                        Val::Map(BTreeMap::from([
                            ("document".to_string(), Val::Str(p.document.to_string())),
                            ("sentence".to_string(), Val::Int(p.sentence as i64)),
                            ("start".to_string(), Val::Int(p.start as i64)),
                            ("end".to_string(), Val::Int(p.end as i64)),
                            ("quote".to_string(), Val::Str(quote)),
                            ("text".to_string(), Val::Str(sentence)),
                            ("method".to_string(), Val::Str(p.method.to_string())),
                        ]))
                    })
                    .collect(),
            )
        }
        "size" => {
            one(&args)?;
            match first {
                Val::List(l) => Val::Int(l.len() as i64),
                Val::Str(s) => Val::Int(s.chars().count() as i64),
                Val::Map(m) => Val::Int(m.len() as i64),
                Val::Path(p) => Val::Int(p.rels.len() as i64),
                other => {
                    return Err(QueryError::type_error(format!(
                        "size() expects a list or string, got {}",
                        other.type_name()
                    )))
                }
            }
        }
        "length" => {
            one(&args)?;
            match first {
                Val::Path(p) => Val::Int(p.rels.len() as i64),
                Val::List(l) => Val::Int(l.len() as i64),
                Val::Str(s) => Val::Int(s.chars().count() as i64),
                other => {
                    return Err(QueryError::type_error(format!(
                        "length() expects a path, got {}",
                        other.type_name()
                    )))
                }
            }
        }
        "isempty" => {
            one(&args)?;
            match first {
                Val::List(l) => Val::Bool(l.is_empty()),
                Val::Str(s) => Val::Bool(s.is_empty()),
                Val::Map(m) => Val::Bool(m.is_empty()),
                other => {
                    return Err(QueryError::type_error(format!(
                        "isEmpty() expects a list, string or map, got {}",
                        other.type_name()
                    )))
                }
            }
        }
        "nodes" | "relationships" => {
            one(&args)?;
            match first {
                Val::Path(p) if name == "nodes" => {
                    Val::List(p.nodes.into_iter().map(Val::Node).collect())
                }
                Val::Path(p) => Val::List(p.rels.into_iter().map(Val::Rel).collect()),
                other => {
                    return Err(QueryError::type_error(format!(
                        "{shown}() expects a path, got {}",
                        other.type_name()
                    )))
                }
            }
        }
        "startnode" | "endnode" => {
            one(&args)?;
            match first {
                Val::Rel(r) => g.endpoints(r).map_or(Val::Null, |(a, b)| {
                    Val::Node(if name == "startnode" { a } else { b })
                }),
                other => {
                    return Err(QueryError::type_error(format!(
                        "{shown}() expects a relationship, got {}",
                        other.type_name()
                    )))
                }
            }
        }
        "head" | "last" | "tail" | "reverse" => {
            one(&args)?;
            match (name, first) {
                ("head", Val::List(l)) => l.into_iter().next().unwrap_or(Val::Null),
                ("last", Val::List(l)) => l.into_iter().last().unwrap_or(Val::Null),
                ("tail", Val::List(l)) => Val::List(l.into_iter().skip(1).collect()),
                ("reverse", Val::List(mut l)) => {
                    l.reverse();
                    Val::List(l)
                }
                ("reverse", Val::Str(s)) => Val::Str(s.chars().rev().collect()),
                (_, other) => {
                    return Err(QueryError::type_error(format!(
                        "{shown}() expects a list, got {}",
                        other.type_name()
                    )))
                }
            }
        }
        "tolower" | "lower" => {
            one(&args)?;
            Val::Str(expect_str(name, &first)?.to_lowercase())
        }
        "toupper" | "upper" => {
            one(&args)?;
            Val::Str(expect_str(name, &first)?.to_uppercase())
        }
        "trim" | "ltrim" | "rtrim" => {
            one(&args)?;
            let s = expect_str(name, &first)?;
            Val::Str(
                match name {
                    "trim" => s.trim(),
                    "ltrim" => s.trim_start(),
                    _ => s.trim_end(),
                }
                .to_string(),
            )
        }
        "replace" => {
            arity(name, &args, 3)?;
            if args.iter().any(Val::is_null) {
                return Ok(Val::Null);
            }
            Val::Str(
                expect_str(name, &args[0])?
                    .replace(expect_str(name, &args[1])?, expect_str(name, &args[2])?),
            )
        }
        "split" => {
            arity(name, &args, 2)?;
            if args[1].is_null() {
                return Ok(Val::Null);
            }
            let s = expect_str(name, &args[0])?;
            let sep = expect_str(name, &args[1])?;
            if sep.is_empty() {
                // An empty separator splits into characters (not ["", "a", ..., ""]).
                return Ok(Val::List(
                    s.chars().map(|c| Val::Str(c.to_string())).collect(),
                ));
            }
            Val::List(s.split(sep).map(|p| Val::Str(p.to_string())).collect())
        }
        "substring" | "left" | "right" => {
            let s: Vec<char> = expect_str(name, &first)?.chars().collect();
            let len = s.len() as i64;
            let (from, count) = match name {
                "left" => {
                    arity(name, &args, 2)?;
                    (0, expect_int(name, &args[1])?)
                }
                "right" => {
                    arity(name, &args, 2)?;
                    let n = expect_int(name, &args[1])?;
                    ((len - n).max(0), n)
                }
                _ => {
                    if args.len() < 2 || args.len() > 3 {
                        return Err(QueryError::semantic(
                            "Semantic.WrongArgumentCount",
                            "substring() takes 2 or 3 arguments",
                        ));
                    }
                    let from = expect_int(name, &args[1])?;
                    let count = if args.len() == 3 {
                        expect_int(name, &args[2])?
                    } else {
                        len
                    };
                    (from, count)
                }
            };
            if from < 0 || count < 0 {
                return Err(QueryError::runtime(
                    "Runtime.InvalidArgument",
                    format!("{shown}() takes non-negative positions"),
                ));
            }
            let start = from.min(len) as usize;
            let end = (from.saturating_add(count)).min(len) as usize;
            Val::Str(s[start..end.max(start)].iter().collect())
        }
        "tostring" | "tostringornull" => {
            one(&args)?;
            match first {
                v @ (Val::Str(_)
                | Val::Int(_)
                | Val::Float(_)
                | Val::Bool(_)
                | Val::Date(_)
                | Val::LocalTime(_)
                | Val::Time(_)
                | Val::LocalDateTime(_)
                | Val::DateTime(_)
                | Val::Duration(_)) => Val::Str(to_string(&v)),
                _ if name == "tostringornull" => Val::Null,
                other => {
                    return Err(QueryError::type_error(format!(
                        "toString() cannot convert {}",
                        other.type_name()
                    )))
                }
            }
        }
        "tointeger" | "tointegerornull" => {
            one(&args)?;
            match first {
                Val::Int(i) => Val::Int(i),
                Val::Float(x) if x.is_finite() && x.abs() < 9.2e18 => Val::Int(x.trunc() as i64),
                Val::Str(s) => s
                    .trim()
                    .parse::<i64>()
                    .ok()
                    .or_else(|| {
                        s.trim()
                            .parse::<f64>()
                            .ok()
                            .filter(|x| x.is_finite())
                            .map(|x| x.trunc() as i64)
                    })
                    .map_or(Val::Null, Val::Int),
                Val::Bool(b) => Val::Int(b as i64),
                _ if name == "tointegerornull" => Val::Null,
                other => {
                    return Err(QueryError::type_error(format!(
                        "toInteger() cannot convert {}",
                        other.type_name()
                    )))
                }
            }
        }
        "tofloat" | "tofloatornull" => {
            one(&args)?;
            match first {
                Val::Int(i) => Val::Float(i as f64),
                Val::Float(x) => Val::Float(x),
                Val::Str(s) => s.trim().parse::<f64>().map_or(Val::Null, Val::Float),
                _ if name == "tofloatornull" => Val::Null,
                other => {
                    return Err(QueryError::type_error(format!(
                        "toFloat() cannot convert {}",
                        other.type_name()
                    )))
                }
            }
        }
        "toboolean" | "tobooleanornull" => {
            one(&args)?;
            match first {
                Val::Bool(b) => Val::Bool(b),
                Val::Str(s) => match s.trim().to_lowercase().as_str() {
                    "true" => Val::Bool(true),
                    "false" => Val::Bool(false),
                    _ => Val::Null,
                },
                Val::Int(i) => Val::Bool(i != 0),
                _ if name == "tobooleanornull" => Val::Null,
                other => {
                    return Err(QueryError::type_error(format!(
                        "toBoolean() cannot convert {}",
                        other.type_name()
                    )))
                }
            }
        }
        "abs" => {
            one(&args)?;
            match first {
                Val::Int(i) => Val::Int(i.checked_abs().ok_or_else(|| {
                    QueryError::runtime("Runtime.Overflow", "integer overflow in abs()")
                })?),
                Val::Float(x) => Val::Float(x.abs()),
                other => {
                    return Err(QueryError::type_error(format!(
                        "abs() expects a number, got {}",
                        other.type_name()
                    )))
                }
            }
        }
        "sign" => {
            one(&args)?;
            match first {
                Val::Int(i) => Val::Int(i.signum()),
                Val::Float(x) => Val::Int(if x > 0.0 {
                    1
                } else if x < 0.0 {
                    -1
                } else {
                    0
                }),
                other => {
                    return Err(QueryError::type_error(format!(
                        "sign() expects a number, got {}",
                        other.type_name()
                    )))
                }
            }
        }
        "ceil" => math(f64::ceil)?,
        "floor" => math(f64::floor)?,
        "round" => math(|x| {
            // Cypher rounds half away from zero... towards positive infinity for .5
            (x + 0.5).floor()
        })?,
        "sqrt" => math(f64::sqrt)?,
        "log" => math(f64::ln)?,
        "log10" => math(f64::log10)?,
        "exp" => math(f64::exp)?,
        "sin" => math(f64::sin)?,
        "cos" => math(f64::cos)?,
        "tan" => math(f64::tan)?,
        "asin" => math(f64::asin)?,
        "acos" => math(f64::acos)?,
        "atan" => math(f64::atan)?,
        "degrees" => math(f64::to_degrees)?,
        "radians" => math(f64::to_radians)?,
        _ => return Err(unknown_function(name)),
    })
}

fn unknown_function(name: &str) -> QueryError {
    let suggestion = factgraph_model::closest(name, FUNCTIONS.iter().chain(AGGREGATES).copied())
        .map(|s| format!(" (did you mean {}()?)", function_name(&s)))
        .unwrap_or_default();
    QueryError::semantic(
        "Semantic.UnknownFunction",
        format!("unknown function {name}(){suggestion}"),
    )
}

/// How a function is conventionally written (`toLower`), from its
/// lower-cased name (`tolower`); function names are case-insensitive.
pub fn function_name(lower: &str) -> &str {
    const CAMEL: &[&str] = &[
        "datetime.fromEpoch",
        "datetime.fromEpochMillis",
        "duration.inMonths",
        "duration.inDays",
        "duration.inSeconds",
        "elementId",
        "endNode",
        "isEmpty",
        "startNode",
        "stDev",
        "stDevP",
        "percentileDisc",
        "percentileCont",
        "toBoolean",
        "toBooleanOrNull",
        "toFloat",
        "toFloatOrNull",
        "toInteger",
        "toIntegerOrNull",
        "toLower",
        "toString",
        "toStringOrNull",
        "toUpper",
    ];
    CAMEL
        .iter()
        .find(|c| c.eq_ignore_ascii_case(lower))
        .copied()
        .unwrap_or(lower)
}
