//! The scalar function library.

use std::collections::BTreeMap;

use crate::error::{QResult, QueryError};
use crate::temporal;
use crate::value::Val;

use super::expr::deleted;
use super::operators::{num, to_string};
use super::{function_name, Ctx, AGGREGATES, FUNCTIONS};

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
