//! The non-logical binary operators: comparison, arithmetic, string and
//! list operators, with Cypher's null semantics.

use crate::ast::BinOp;
use crate::error::{QResult, QueryError};
use crate::temporal;
use crate::value::Val;

use super::{from_truth, typed};

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

pub(super) fn to_string(v: &Val) -> String {
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

pub(super) fn num(v: &Val) -> f64 {
    match v {
        Val::Int(i) => *i as f64,
        Val::Float(x) => *x,
        _ => f64::NAN,
    }
}
