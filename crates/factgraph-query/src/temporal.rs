//! The temporal functions of the query language, over query values: each
//! converts its arguments to the model's [`Operand`], calls the calendar code
//! in [`factgraph_model::temporal`] and converts the answer back.

use std::cmp::Ordering;

use chrono::{Duration as CDur, NaiveDateTime, Timelike};

use factgraph_model::temporal::{self as calendar, Operand, TemporalError};
pub use factgraph_model::temporal::{now_utc, Duration, Kind, Time, ZonedDateTime};

use super::error::{QResult, QueryError};
use super::value::Val;

impl From<TemporalError> for QueryError {
    fn from(e: TemporalError) -> QueryError {
        QueryError::runtime(e.code, e.message)
    }
}

impl Val {
    /// The temporal functions' view of this value: lists, nodes,
    /// relationships, paths and booleans only by their type names.
    pub(crate) fn to_operand(&self) -> Operand {
        match self {
            Val::Null => Operand::Null,
            Val::Int(i) => Operand::Int(*i),
            Val::Float(x) => Operand::Float(*x),
            Val::Str(s) => Operand::Str(s.clone()),
            Val::Date(d) => Operand::Date(*d),
            Val::LocalTime(t) => Operand::LocalTime(*t),
            Val::Time(t) => Operand::Time(*t),
            Val::LocalDateTime(t) => Operand::LocalDateTime(*t),
            Val::DateTime(z) => Operand::DateTime(z.clone()),
            Val::Duration(d) => Operand::Duration(*d),
            Val::Map(m) => {
                Operand::Map(m.iter().map(|(k, v)| (k.clone(), v.to_operand())).collect())
            }
            other => Operand::Other(other.type_name()),
        }
    }
}

impl From<Operand> for Val {
    fn from(o: Operand) -> Val {
        match o {
            Operand::Null | Operand::Other(_) => Val::Null,
            Operand::Int(i) => Val::Int(i),
            Operand::Float(x) => Val::Float(x),
            Operand::Str(s) => Val::Str(s),
            Operand::Date(d) => Val::Date(d),
            Operand::LocalTime(t) => Val::LocalTime(t),
            Operand::Time(t) => Val::Time(t),
            Operand::LocalDateTime(t) => Val::LocalDateTime(t),
            Operand::DateTime(z) => Val::DateTime(z),
            Operand::Duration(d) => Val::Duration(d),
            Operand::Map(m) => Val::Map(m.into_iter().map(|(k, v)| (k, Val::from(v))).collect()),
        }
    }
}

/// The ISO text of a temporal value other than a date; `None` for other kinds.
pub fn render(v: &Val) -> Option<String> {
    calendar::render(&v.to_operand())
}

/// `date(...)`, `time(...)`, ...: a value of `kind` from its arguments.
pub fn construct(kind: Kind, args: &[Val], now: NaiveDateTime) -> QResult<Val> {
    let args: Vec<Operand> = args.iter().map(Val::to_operand).collect();
    Ok(calendar::construct(kind, &args, now)?.into())
}

/// `duration(...)` from text or a map of components.
pub fn duration(arg: &Val) -> QResult<Val> {
    Ok(calendar::duration(&arg.to_operand())?.into())
}

/// The UTC date-time `secs` seconds and `nanos` nanoseconds after the epoch.
pub fn from_epoch(secs: i64, nanos: i64) -> QResult<Val> {
    Ok(calendar::from_epoch(secs, nanos)?.into())
}

/// `+`, `-`, `*` and `/` where a temporal operand is involved; `None` when
/// the operands are not a temporal combination.
pub fn arithmetic(op: char, l: &Val, r: &Val) -> QResult<Option<Val>> {
    Ok(calendar::arithmetic(op, &l.to_operand(), &r.to_operand())?.map(Val::from))
}

/// `duration.between`, `duration.inMonths`, ...: the duration from `a` to `b` in `unit`.
pub fn between(unit: &str, a: &Val, b: &Val) -> QResult<Val> {
    Ok(calendar::between(unit, &a.to_operand(), &b.to_operand())?.into())
}

/// `date.truncate(unit, v, map)` and its siblings.
pub fn truncate(kind: Kind, unit: &str, v: &Val, map: Option<&Val>) -> QResult<Val> {
    let map = map.map(Val::to_operand);
    Ok(calendar::truncate(kind, unit, &v.to_operand(), map.as_ref())?.into())
}

/// A component (`.year`, `.epochSeconds`, ...) of a temporal value.
pub fn component(v: &Val, key: &str) -> Option<Val> {
    calendar::component(&v.to_operand(), key).map(Val::from)
}

/// Ordering of two temporal values of the same kind (`None` otherwise, and
/// for durations). Matches on the values directly: this runs per comparison
/// in `ORDER BY`, where converting would copy zone names.
pub fn compare(a: &Val, b: &Val) -> Option<Ordering> {
    match (a, b) {
        (Val::LocalTime(x), Val::LocalTime(y)) => Some(x.cmp(y)),
        (Val::Time(x), Val::Time(y)) => {
            let ux = x.time.num_seconds_from_midnight() as i64 - x.offset as i64;
            let uy = y.time.num_seconds_from_midnight() as i64 - y.offset as i64;
            Some(
                ux.cmp(&uy)
                    .then(x.time.nanosecond().cmp(&y.time.nanosecond()))
                    .then(y.offset.cmp(&x.offset)),
            )
        }
        (Val::LocalDateTime(x), Val::LocalDateTime(y)) => Some(x.cmp(y)),
        (Val::DateTime(x), Val::DateTime(y)) => {
            let ux = x.local - CDur::seconds(x.offset as i64);
            let uy = y.local - CDur::seconds(y.offset as i64);
            Some(ux.cmp(&uy))
        }
        _ => None,
    }
}

/// A total order for `ORDER BY` among values of one temporal kind.
pub fn order(a: &Val, b: &Val) -> Ordering {
    match (a, b) {
        (Val::Duration(x), Val::Duration(y)) => {
            (x.months, x.days, x.secs, x.nanos).cmp(&(y.months, y.days, y.secs, y.nanos))
        }
        (Val::DateTime(x), Val::DateTime(y)) => compare(a, b)
            .unwrap_or(Ordering::Equal)
            .then_with(|| x.zone.cmp(&y.zone)),
        _ => compare(a, b).unwrap_or(Ordering::Equal),
    }
}
