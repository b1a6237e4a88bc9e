//! RETURN and WITH: projection, grouping with aggregates, DISTINCT, ORDER BY, SKIP and LIMIT.

use std::collections::{HashMap, HashSet};

use super::ast::{Expr, MapProjItem, ProjItem, Projection, Walk};
use super::error::{QResult, QueryError};
use super::eval::{eval, Ctx, Env, AGGREGATES};
use super::value::Val;

/// One aggregate call found in a projection.
#[derive(Clone, Debug)]
struct AggSpec {
    func: String,
    distinct: bool,
    arg: Option<Expr>,
    /// The percentile of `percentileDisc`/`percentileCont`.
    param: Option<Expr>,
}

/// Replaces aggregate calls in `e` by [`Expr::Aggregate`] references, collecting them in `aggs`.
fn extract_aggregates(e: &Expr, aggs: &mut Vec<AggSpec>) -> QResult<Expr> {
    Ok(match e {
        Expr::CountStar => {
            aggs.push(AggSpec {
                func: "count".into(),
                distinct: false,
                arg: None,
                param: None,
            });
            Expr::Aggregate(aggs.len() - 1)
        }
        Expr::Call {
            name,
            distinct,
            args,
            ..
        } if AGGREGATES.contains(&name.as_str()) => {
            let wanted = if name.starts_with("percentile") { 2 } else { 1 };
            if args.len() != wanted {
                return Err(QueryError::semantic(
                    "Semantic.WrongArgumentCount",
                    format!("{name}() takes {wanted} argument(s), got {}", args.len()),
                ));
            }
            let mut inner = Vec::new();
            for a in args {
                extract_aggregates(a, &mut inner)?;
            }
            if !inner.is_empty() {
                return Err(QueryError::semantic(
                    "Semantic.NestedAggregate",
                    format!("aggregate {name}() cannot contain another aggregate"),
                ));
            }
            aggs.push(AggSpec {
                func: name.clone(),
                distinct: *distinct,
                arg: Some(args[0].clone()),
                param: args.get(1).cloned(),
            });
            Expr::Aggregate(aggs.len() - 1)
        }
        Expr::Property(a, k) => Expr::Property(Box::new(extract_aggregates(a, aggs)?), k.clone()),
        Expr::Index(a, b) => Expr::Index(
            Box::new(extract_aggregates(a, aggs)?),
            Box::new(extract_aggregates(b, aggs)?),
        ),
        Expr::Binary(op, a, b) => Expr::Binary(
            *op,
            Box::new(extract_aggregates(a, aggs)?),
            Box::new(extract_aggregates(b, aggs)?),
        ),
        Expr::Slice(a, lo, hi) => Expr::Slice(
            Box::new(extract_aggregates(a, aggs)?),
            lo.as_ref()
                .map(|x| extract_aggregates(x, aggs).map(Box::new))
                .transpose()?,
            hi.as_ref()
                .map(|x| extract_aggregates(x, aggs).map(Box::new))
                .transpose()?,
        ),
        Expr::HasLabels(a, labels) => {
            Expr::HasLabels(Box::new(extract_aggregates(a, aggs)?), labels.clone())
        }
        // `[x IN collect(n) | ...]` and `any(x IN collect(n) WHERE ...)`: the
        // list may aggregate (the checker keeps aggregates out of the rest).
        Expr::ListComprehension {
            var,
            list,
            filter,
            map,
        } => Expr::ListComprehension {
            var: var.clone(),
            list: Box::new(extract_aggregates(list, aggs)?),
            filter: filter.clone(),
            map: map.clone(),
        },
        Expr::ListPredicate {
            kind,
            var,
            list,
            filter,
        } => Expr::ListPredicate {
            kind: *kind,
            var: var.clone(),
            list: Box::new(extract_aggregates(list, aggs)?),
            filter: filter.clone(),
        },
        Expr::MapProjection { target, items } => Expr::MapProjection {
            target: target.clone(),
            items: items
                .iter()
                .map(|it| {
                    Ok(match it {
                        MapProjItem::Entry(k, e) => {
                            MapProjItem::Entry(k.clone(), extract_aggregates(e, aggs)?)
                        }
                        other => other.clone(),
                    })
                })
                .collect::<QResult<_>>()?,
        },
        Expr::Not(a) => Expr::Not(Box::new(extract_aggregates(a, aggs)?)),
        Expr::Neg(a) => Expr::Neg(Box::new(extract_aggregates(a, aggs)?)),
        Expr::IsNull(a, n) => Expr::IsNull(Box::new(extract_aggregates(a, aggs)?), *n),
        Expr::List(items) => Expr::List(
            items
                .iter()
                .map(|x| extract_aggregates(x, aggs))
                .collect::<QResult<_>>()?,
        ),
        Expr::Map(entries) => Expr::Map(
            entries
                .iter()
                .map(|(k, x)| Ok((k.clone(), extract_aggregates(x, aggs)?)))
                .collect::<QResult<_>>()?,
        ),
        Expr::Call {
            name,
            distinct,
            args,
            span,
        } => Expr::Call {
            name: name.clone(),
            distinct: *distinct,
            args: args
                .iter()
                .map(|x| extract_aggregates(x, aggs))
                .collect::<QResult<_>>()?,
            span: *span,
        },
        Expr::Case {
            subject,
            whens,
            otherwise,
        } => Expr::Case {
            subject: subject
                .as_ref()
                .map(|s| extract_aggregates(s, aggs).map(Box::new))
                .transpose()?,
            whens: whens
                .iter()
                .map(|(a, b)| Ok((extract_aggregates(a, aggs)?, extract_aggregates(b, aggs)?)))
                .collect::<QResult<_>>()?,
            otherwise: otherwise
                .as_ref()
                .map(|s| extract_aggregates(s, aggs).map(Box::new))
                .transpose()?,
        },
        other => other.clone(),
    })
}

/// Whether `e` contains an aggregate call.
pub fn has_aggregate(e: &Expr) -> bool {
    let mut aggs = Vec::new();
    extract_aggregates(e, &mut aggs)
        .map(|_| !aggs.is_empty())
        .unwrap_or(true)
}

enum AggState {
    Count(i64),
    Collect(Vec<Val>),
    Sum(Option<Val>),
    Avg(f64, i64),
    Min(Option<Val>),
    Max(Option<Val>),
    Dev(Vec<f64>),
    /// Values seen and the percentile (from the first row).
    Percentile(Vec<Val>, Option<f64>),
}

impl AggState {
    fn new(func: &str) -> AggState {
        match func {
            "count" => AggState::Count(0),
            "collect" => AggState::Collect(Vec::new()),
            "sum" => AggState::Sum(None),
            "avg" => AggState::Avg(0.0, 0),
            "min" => AggState::Min(None),
            "max" => AggState::Max(None),
            "percentiledisc" | "percentilecont" => AggState::Percentile(Vec::new(), None),
            _ => AggState::Dev(Vec::new()),
        }
    }

    fn add(&mut self, func: &str, v: Option<Val>) -> QResult<()> {
        let v = match v {
            None => {
                // count(*)
                if let AggState::Count(n) = self {
                    *n += 1;
                }
                return Ok(());
            }
            Some(Val::Null) => return Ok(()),
            Some(v) => v,
        };
        let numeric = |v: &Val| -> QResult<f64> {
            match v {
                Val::Int(i) => Ok(*i as f64),
                Val::Float(x) => Ok(*x),
                other => Err(QueryError::type_error(format!(
                    "{func}() expects numbers, got {}",
                    other.type_name()
                ))),
            }
        };
        match self {
            AggState::Count(n) => *n += 1,
            AggState::Collect(items) => items.push(v),
            AggState::Sum(acc) => {
                numeric(&v)?;
                *acc = Some(match (acc.take(), v) {
                    (None, v) => v,
                    (Some(Val::Int(a)), Val::Int(b)) => {
                        Val::Int(a.checked_add(b).ok_or_else(|| {
                            QueryError::runtime("Runtime.Overflow", "integer overflow in sum()")
                        })?)
                    }
                    (Some(a), b) => Val::Float(numeric(&a)? + numeric(&b)?),
                });
            }
            AggState::Avg(sum, n) => {
                *sum += numeric(&v)?;
                *n += 1;
            }
            AggState::Min(acc) => {
                if acc.as_ref().is_none_or(|a| v.order_cmp(a).is_lt()) {
                    *acc = Some(v);
                }
            }
            AggState::Max(acc) => {
                if acc.as_ref().is_none_or(|a| v.order_cmp(a).is_gt()) {
                    *acc = Some(v);
                }
            }
            AggState::Dev(xs) => xs.push(numeric(&v)?),
            AggState::Percentile(xs, _) => {
                numeric(&v)?;
                xs.push(v);
            }
        }
        Ok(())
    }

    /// Takes the percentile argument of `percentileDisc`/`percentileCont` (from the first row that has one).
    fn set_percentile(&mut self, func: &str, p: Val) -> QResult<()> {
        if let AggState::Percentile(_, slot @ None) = self {
            let x = match p {
                Val::Null => return Ok(()),
                Val::Int(i) => i as f64,
                Val::Float(x) => x,
                other => {
                    return Err(QueryError::type_error(format!(
                        "{func}() expects a number as the percentile, got {}",
                        other.type_name()
                    )))
                }
            };
            if !(0.0..=1.0).contains(&x) {
                return Err(QueryError::runtime(
                    "Runtime.InvalidArgument",
                    format!("{func}() takes a percentile between 0.0 and 1.0, got {x}"),
                ));
            }
            *slot = Some(x);
        }
        Ok(())
    }

    fn finish(self, func: &str) -> Val {
        match self {
            AggState::Count(n) => Val::Int(n),
            AggState::Collect(items) => Val::List(items),
            AggState::Sum(acc) => acc.unwrap_or(Val::Int(0)),
            AggState::Avg(_, 0) => Val::Null,
            AggState::Avg(sum, n) => Val::Float(sum / n as f64),
            AggState::Min(acc) | AggState::Max(acc) => acc.unwrap_or(Val::Null),
            AggState::Percentile(mut xs, p) => {
                let (Some(p), false) = (p, xs.is_empty()) else {
                    return Val::Null;
                };
                xs.sort_by(|a, b| a.order_cmp(b));
                let n = xs.len();
                if func == "percentiledisc" {
                    let i = ((p * n as f64).ceil() as usize)
                        .saturating_sub(1)
                        .min(n - 1);
                    xs.swap_remove(i)
                } else {
                    let num = |v: &Val| match v {
                        Val::Int(i) => *i as f64,
                        Val::Float(x) => *x,
                        _ => f64::NAN,
                    };
                    let at = p * (n - 1) as f64;
                    let (lo, hi) = (at.floor() as usize, at.ceil() as usize);
                    let (a, b) = (num(&xs[lo]), num(&xs[hi]));
                    Val::Float(a + (b - a) * (at - lo as f64))
                }
            }
            AggState::Dev(xs) => {
                let n = xs.len() as f64;
                let sample = func == "stdev";
                if xs.is_empty() || (sample && xs.len() < 2) {
                    return Val::Float(0.0);
                }
                let mean = xs.iter().sum::<f64>() / n;
                let ss: f64 = xs.iter().map(|x| (x - mean).powi(2)).sum();
                Val::Float((ss / if sample { n - 1.0 } else { n }).sqrt())
            }
        }
    }
}

/// The result of a projection: new column names and rows.
pub struct Projected {
    /// Column names.
    pub names: Vec<String>,
    /// Rows.
    pub rows: Vec<Vec<Val>>,
    /// For each row, the input row it came from (the first of its group),
    /// for a `WITH ... WHERE` that reads variables from before the WITH.
    pub sources: Vec<Vec<Val>>,
}

fn non_negative(ctx: &Ctx, e: &Option<Expr>, what: &str) -> QResult<Option<usize>> {
    let Some(e) = e else { return Ok(None) };
    match eval(ctx, e, Env::new(&[], &[]))? {
        Val::Int(i) if i >= 0 => Ok(Some(i as usize)),
        other => Err(QueryError::runtime(
            "Runtime.InvalidSkipLimit",
            format!(
                "{what} must be a non-negative integer, got {}",
                other.render(ctx.graph)
            ),
        )),
    }
}

/// Items of a projection with `*` expanded into the visible variables.
pub fn expand_items(proj: &Projection, names: &[String]) -> Vec<ProjItem> {
    let mut items = Vec::new();
    if proj.star {
        let mut visible: Vec<&String> = names.iter().filter(|n| !n.starts_with(' ')).collect();
        visible.sort();
        visible.dedup();
        for n in visible {
            items.push(ProjItem {
                expr: Expr::Var(n.clone(), Default::default()),
                name: n.clone(),
                aliased: true,
            });
        }
    }
    items.extend(proj.items.iter().cloned());
    items
}

/// Computes a RETURN or WITH projection over `rows`.
pub fn project(
    ctx: &Ctx,
    proj: &Projection,
    names: &[String],
    rows: Vec<Vec<Val>>,
) -> QResult<Projected> {
    let items = expand_items(proj, names);
    let mut seen = HashSet::new();
    for it in &items {
        if !seen.insert(it.name.as_str()) {
            return Err(QueryError::semantic(
                "Semantic.DuplicateColumn",
                format!(
                    "multiple result columns are named `{}`; use AS to rename one",
                    it.name
                ),
            ));
        }
    }
    let out_names: Vec<String> = items.iter().map(|i| i.name.clone()).collect();
    let mut aggs = Vec::new();
    let exprs: Vec<Expr> = items
        .iter()
        .map(|i| extract_aggregates(&i.expr, &mut aggs))
        .collect::<QResult<_>>()?;
    let n_item_aggs = aggs.len();
    let order_exprs: Vec<Expr> = proj
        .order
        .iter()
        .map(|s| extract_aggregates(&s.expr, &mut aggs))
        .collect::<QResult<_>>()?;
    let aggregating = !aggs.is_empty();
    if aggs.len() > n_item_aggs && n_item_aggs == 0 {
        return Err(QueryError::semantic(
            "Semantic.MisplacedAggregate",
            "ORDER BY can use an aggregate only when the projection aggregates too",
        ));
    }
    // Sort-key scope: the input's variables, then the projected columns (which shadow them).
    let mut sort_names: Vec<String> = names.to_vec();
    sort_names.extend(out_names.iter().cloned());

    // (projected values, input row kept for sort keys, aggregate values)
    let mut produced: Vec<(Vec<Val>, Vec<Val>, Vec<Val>)> = Vec::new();
    if !aggregating {
        for row in rows {
            let env = Env::new(names, &row);
            let vals = exprs
                .iter()
                .map(|e| eval(ctx, e, env))
                .collect::<QResult<Vec<_>>>()?;
            produced.push((vals, row, Vec::new()));
        }
    } else {
        let key_items: Vec<usize> = (0..exprs.len())
            .filter(|&i| !has_aggregate_ref(&exprs[i]))
            .collect();
        // (grouping key values, first input row, aggregate states, distinct values seen per aggregate)
        type Group = (Vec<Val>, Vec<Val>, Vec<AggState>, Vec<HashSet<String>>);
        let mut groups: Vec<Group> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for row in rows {
            let env = Env::new(names, &row);
            let keys = key_items
                .iter()
                .map(|&i| eval(ctx, &exprs[i], env))
                .collect::<QResult<Vec<_>>>()?;
            let key: String = keys
                .iter()
                .map(Val::group_key)
                .collect::<Vec<_>>()
                .join("\u{1}");
            let g = match index.get(&key) {
                Some(&g) => g,
                None => {
                    index.insert(key, groups.len());
                    groups.push((
                        keys,
                        row.clone(),
                        aggs.iter().map(|a| AggState::new(&a.func)).collect(),
                        vec![HashSet::new(); aggs.len()],
                    ));
                    groups.len() - 1
                }
            };
            let group = &mut groups[g];
            for (ai, spec) in aggs.iter().enumerate() {
                if let Some(param) = &spec.param {
                    let p = eval(ctx, param, env)?;
                    group.2[ai].set_percentile(&spec.func, p)?;
                }
                let v = spec.arg.as_ref().map(|a| eval(ctx, a, env)).transpose()?;
                if spec.distinct {
                    if let Some(v) = &v {
                        if v.is_null() || !group.3[ai].insert(v.group_key()) {
                            continue;
                        }
                    }
                }
                group.2[ai].add(&spec.func, v)?;
            }
        }
        if groups.is_empty() && key_items.is_empty() {
            groups.push((
                Vec::new(),
                vec![Val::Null; names.len()],
                aggs.iter().map(|a| AggState::new(&a.func)).collect(),
                Vec::new(),
            ));
        }
        for (keys, first_row, states, _) in groups {
            let agg_vals: Vec<Val> = states
                .into_iter()
                .zip(&aggs)
                .map(|(s, a)| s.finish(&a.func))
                .collect();
            let mut vals = Vec::with_capacity(exprs.len());
            let mut k = keys.into_iter();
            for e in &exprs {
                if has_aggregate_ref(e) {
                    let env = Env {
                        names,
                        row: &first_row,
                        aggs: &agg_vals,
                    };
                    vals.push(eval(ctx, e, env)?);
                } else {
                    vals.push(k.next().unwrap_or(Val::Null));
                }
            }
            produced.push((vals, first_row, agg_vals));
        }
    }

    if proj.distinct {
        let mut seen = HashSet::new();
        produced.retain(|(vals, _, _)| {
            seen.insert(
                vals.iter()
                    .map(Val::group_key)
                    .collect::<Vec<_>>()
                    .join("\u{1}"),
            )
        });
    }

    if !order_exprs.is_empty() {
        let mut keyed = Vec::with_capacity(produced.len());
        for (vals, row, agg_vals) in produced {
            let mut combined = row.clone();
            combined.resize(names.len(), Val::Null);
            combined.extend(vals.iter().cloned());
            let env = Env {
                names: &sort_names,
                row: &combined,
                aggs: &agg_vals,
            };
            let keys = order_exprs
                .iter()
                .map(|e| eval(ctx, e, env))
                .collect::<QResult<Vec<_>>>()?;
            keyed.push((keys, (vals, row, agg_vals)));
        }
        keyed.sort_by(|(a, _), (b, _)| {
            for (i, s) in proj.order.iter().enumerate() {
                let o = a[i].order_cmp(&b[i]);
                let o = if s.descending { o.reverse() } else { o };
                if o.is_ne() {
                    return o;
                }
            }
            std::cmp::Ordering::Equal
        });
        produced = keyed.into_iter().map(|(_, p)| p).collect();
    }

    let skip = non_negative(ctx, &proj.skip, "SKIP")?.unwrap_or(0);
    let limit = non_negative(ctx, &proj.limit, "LIMIT")?;
    let (rows, sources) = produced
        .into_iter()
        .skip(skip)
        .take(limit.unwrap_or(usize::MAX))
        .map(|(vals, source, _)| (vals, source))
        .unzip();
    Ok(Projected {
        names: out_names,
        rows,
        sources,
    })
}

fn has_aggregate_ref(e: &Expr) -> bool {
    e.walk(&mut |x| match x {
        Expr::Aggregate(_) => Walk::Stop(()),
        _ => Walk::Into,
    })
    .is_break()
}
