//! Evaluating an expression against a row: variables, properties, lists,
//! maps, comprehensions, subqueries and the logical operators.

use std::collections::BTreeMap;

use crate::ast::{BinOp, Expr, MapProjItem};
use crate::error::{QResult, QueryError};
use crate::pattern;
use crate::temporal;
use crate::value::Val;

use super::functions::call;
use super::operators::apply_binary;
use super::{from_truth, function_name, truth, Ctx, Env, AGGREGATES};

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
                values += crate::limits::row_weight(&out[out.len() - 1..]);
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
            use crate::ast::Quantifier;
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
        Expr::ExistsSubquery(clauses) => Val::Bool(crate::exec::subquery_has_rows(
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
pub(super) fn deleted(ctx: &Ctx, target: &Val) -> QueryError {
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
