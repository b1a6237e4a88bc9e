//! Property values and their types.
//!
//! A [`Value`] is what a node or relationship can store. Query-time values
//! (nodes, paths, maps) live in the query layer; this module knows nothing
//! about them.

use std::cmp::Ordering;
use std::fmt;

use serde::{Deserialize, Serialize};

/// A calendar date whose precision may be a year, a month or a day.
///
/// News text often dates an event only to the month ("February 2022"), and
/// inventing a day would state a fact the source never gave.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Date {
    /// Proleptic Gregorian year.
    pub year: i32,
    /// 1..=12, or `None` when only the year is known.
    pub month: Option<u8>,
    /// 1..=31, or `None` when the day is not known.
    pub day: Option<u8>,
}

/// Why a text could not be read as a [`Date`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid date {text:?}: {reason} (expected YYYY, YYYY-MM or YYYY-MM-DD)")]
pub struct DateError {
    /// The text that was given.
    pub text: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl Date {
    /// A date known to the day; `None` when the day does not exist.
    pub fn ymd(year: i32, month: u8, day: u8) -> Option<Date> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)).then_some(
            Date {
                year,
                month: Some(month),
                day: Some(day),
            },
        )
    }

    /// A date known to the month.
    pub fn ym(year: i32, month: u8) -> Option<Date> {
        (1..=12).contains(&month).then_some(Date {
            year,
            month: Some(month),
            day: None,
        })
    }

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Result<Date, DateError> {
        let err = |reason| DateError {
            text: text.to_string(),
            reason,
        };
        let mut parts = text.split('-');
        let year_text = parts.next().unwrap_or_default();
        if year_text.len() != 4 || !year_text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err("the year must have four digits"));
        }
        let year: i32 = year_text.parse().map_err(|_| err("bad year"))?;
        let mut two_digits = |what| -> Result<Option<u8>, DateError> {
            match parts.next() {
                None => Ok(None),
                Some(p) if p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()) => {
                    p.parse().map(Some).map_err(|_| err(what))
                }
                Some(_) => Err(err(what)),
            }
        };
        let month = two_digits("the month must have two digits")?;
        let day = two_digits("the day must have two digits")?;
        if parts.next().is_some() {
            return Err(err("too many parts"));
        }
        match (month, day) {
            (None, _) => Ok(Date {
                year,
                month: None,
                day: None,
            }),
            (Some(m), None) => Date::ym(year, m).ok_or_else(|| err("the month is out of range")),
            (Some(m), Some(d)) => {
                Date::ymd(year, m, d).ok_or_else(|| err("the day does not exist in that month"))
            }
        }
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

/// A stored property value.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Value {
    /// The absence of a value. Never stored: setting a property to null removes it.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A 64-bit signed integer.
    Int(i64),
    /// A 64-bit float.
    Float(f64),
    /// UTF-8 text.
    String(String),
    /// A calendar date of year, month or day precision.
    Date(Date),
    /// A list of values.
    List(Vec<Value>),
    /// A time, date-time or duration (appended last so that snapshots
    /// written before it existed still decode).
    Temporal(Temporal),
}

/// A stored temporal value other than a [`Date`], in canonical fields.
///
/// Times are seconds from midnight plus nanoseconds (`nanos` may reach
/// 1_999_999_999 only for a leap second, as chrono allows); dates are days
/// from 0001-01-01 (day 1, chrono's `num_days_from_ce`); offsets are seconds
/// east of UTC. Equality is field by field, as Cypher's `=` sees these values
/// (the same instant at two offsets is not equal). The query layer converts
/// these to and from its chrono-based values (`query::value`), and the text
/// form is the query layer's ISO rendering.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Temporal {
    /// A local time of day.
    LocalTime {
        /// Seconds from midnight.
        secs: u32,
        /// Nanoseconds of the second.
        nanos: u32,
    },
    /// A time of day with an offset.
    Time {
        /// Seconds from midnight (local).
        secs: u32,
        /// Nanoseconds of the second.
        nanos: u32,
        /// Offset from UTC in seconds.
        offset: i32,
    },
    /// A local date and time.
    LocalDateTime {
        /// Days from the common era (0001-01-01 is day 1).
        days: i32,
        /// Seconds from midnight.
        secs: u32,
        /// Nanoseconds of the second.
        nanos: u32,
    },
    /// A date and time with an offset and possibly a named zone.
    DateTime {
        /// Days from the common era of the local date.
        days: i32,
        /// Seconds from midnight (local).
        secs: u32,
        /// Nanoseconds of the second.
        nanos: u32,
        /// Offset from UTC in seconds.
        offset: i32,
        /// The IANA zone name, when the value has a named zone.
        zone: Option<String>,
    },
    /// A duration of months, days, seconds and nanoseconds (`0 <= nanos < 1e9`).
    Duration {
        /// Months.
        months: i64,
        /// Days.
        days: i64,
        /// Seconds.
        secs: i64,
        /// Nanoseconds of the second.
        nanos: i32,
    },
}

impl Temporal {
    /// The schema type of this value.
    pub fn prop_type(&self) -> PropType {
        match self {
            Temporal::LocalTime { .. } => PropType::LocalTime,
            Temporal::Time { .. } => PropType::Time,
            Temporal::LocalDateTime { .. } => PropType::LocalDateTime,
            Temporal::DateTime { .. } => PropType::DateTime,
            Temporal::Duration { .. } => PropType::Duration,
        }
    }

    /// The Cypher function that builds this kind from its text (`datetime` ...).
    pub fn function(&self) -> &'static str {
        match self {
            Temporal::LocalTime { .. } => "localtime",
            Temporal::Time { .. } => "time",
            Temporal::LocalDateTime { .. } => "localdatetime",
            Temporal::DateTime { .. } => "datetime",
            Temporal::Duration { .. } => "duration",
        }
    }

    /// Reads ISO text as a value of the temporal schema type `ty` (as the
    /// Cypher function of that type reads a string); `None` when the text does
    /// not parse or `ty` is not temporal.
    pub fn parse(ty: &PropType, text: &str) -> Option<Temporal> {
        use super::temporal::{construct, duration, now_utc, Kind, Operand};
        let arg = Operand::Str(text.trim().to_string());
        let kind = match ty {
            PropType::LocalTime => Kind::LocalTime,
            PropType::Time => Kind::Time,
            PropType::LocalDateTime => Kind::LocalDateTime,
            PropType::DateTime => Kind::DateTime,
            PropType::Duration => return duration(&arg).ok()?.to_temporal(),
            _ => return None,
        };
        construct(kind, &[arg], now_utc()).ok()?.to_temporal()
    }

    /// The ISO text (`12:30:00+01:00`, `P1DT2H` ...); empty for an invalid value.
    pub fn iso(&self) -> String {
        super::temporal::Operand::from_temporal(self)
            .and_then(|v| super::temporal::render(&v))
            .unwrap_or_default()
    }

    /// A total order consistent with the query layer's `ORDER BY` within a
    /// kind (instants for zoned values); kinds order by their position here.
    pub fn total_cmp(&self, other: &Temporal) -> Ordering {
        fn key(t: &Temporal) -> (u8, i64, i64, i64, i64) {
            match t {
                Temporal::LocalTime { secs, nanos } => (0, *secs as i64, *nanos as i64, 0, 0),
                Temporal::Time {
                    secs,
                    nanos,
                    offset,
                } => (
                    1,
                    *secs as i64 - *offset as i64,
                    *nanos as i64,
                    -(*offset as i64),
                    0,
                ),
                Temporal::LocalDateTime { days, secs, nanos } => {
                    (2, *days as i64 * 86_400 + *secs as i64, *nanos as i64, 0, 0)
                }
                Temporal::DateTime {
                    days,
                    secs,
                    nanos,
                    offset,
                    ..
                } => (
                    3,
                    *days as i64 * 86_400 + *secs as i64 - *offset as i64,
                    *nanos as i64,
                    0,
                    0,
                ),
                Temporal::Duration {
                    months,
                    days,
                    secs,
                    nanos,
                } => (4, *months, *days, *secs, *nanos as i64),
            }
        }
        key(self)
            .cmp(&key(other))
            .then_with(|| match (self, other) {
                (Temporal::DateTime { zone: a, .. }, Temporal::DateTime { zone: b, .. }) => {
                    a.cmp(b).then_with(|| self.cmp(other))
                }
                _ => self.cmp(other),
            })
    }
}

impl fmt::Display for Temporal {
    /// The ISO text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

impl Value {
    /// The type of this value, as the schema names it.
    pub fn value_type(&self) -> Option<PropType> {
        Some(match self {
            Value::Null => return None,
            Value::Bool(_) => PropType::Bool,
            Value::Int(_) => PropType::Int,
            Value::Float(_) => PropType::Float,
            Value::String(_) => PropType::String,
            Value::Date(_) => PropType::Date,
            Value::Temporal(t) => t.prop_type(),
            Value::List(items) => {
                let mut types = items.iter().filter_map(Value::value_type);
                let first = types.next().unwrap_or(PropType::Any);
                if types.all(|t| t == first) {
                    PropType::List(Box::new(first))
                } else {
                    PropType::List(Box::new(PropType::Any))
                }
            }
        })
    }

    /// How deeply lists nest in this value (0 for a scalar), counting at most `limit + 1` levels.
    pub fn list_depth(&self, limit: usize) -> usize {
        match self {
            Value::List(items) if limit > 0 => {
                1 + items
                    .iter()
                    .map(|i| i.list_depth(limit - 1))
                    .max()
                    .unwrap_or(0)
            }
            Value::List(_) => 1,
            _ => 0,
        }
    }

    /// The text, when this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// A total order used for sorting and for index keys: values of different
    /// types order by type, floats by IEEE total order.
    pub fn total_cmp(&self, other: &Value) -> Ordering {
        fn rank(v: &Value) -> u8 {
            match v {
                Value::Null => 0,
                Value::Bool(_) => 1,
                Value::Int(_) | Value::Float(_) => 2,
                Value::String(_) => 3,
                Value::Date(_) => 4,
                Value::List(_) => 5,
                Value::Temporal(_) => 6,
            }
        }
        match (self, other) {
            (Value::Bool(a), Value::Bool(b)) => a.cmp(b),
            (Value::Int(a), Value::Int(b)) => a.cmp(b),
            (Value::Float(a), Value::Float(b)) => a.total_cmp(b),
            (Value::Int(a), Value::Float(b)) => (*a as f64).total_cmp(b),
            (Value::Float(a), Value::Int(b)) => a.total_cmp(&(*b as f64)),
            (Value::String(a), Value::String(b)) => a.cmp(b),
            (Value::Date(a), Value::Date(b)) => a.cmp(b),
            (Value::Temporal(a), Value::Temporal(b)) => a.total_cmp(b),
            (Value::List(a), Value::List(b)) => {
                for (x, y) in a.iter().zip(b) {
                    match x.total_cmp(y) {
                        Ordering::Equal => continue,
                        other => return other,
                    }
                }
                a.len().cmp(&b.len())
            }
            _ => rank(self).cmp(&rank(other)),
        }
    }
}

/// Equality as Cypher's `=` sees stored values: `1 = 1.0`, and NaN is not equal to itself.
impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a == b,
            (Value::Int(a), Value::Float(b)) | (Value::Float(b), Value::Int(a)) => *a as f64 == *b,
            (Value::String(a), Value::String(b)) => a == b,
            (Value::Date(a), Value::Date(b)) => a == b,
            (Value::Temporal(a), Value::Temporal(b)) => a == b,
            (Value::List(a), Value::List(b)) => a == b,
            _ => false,
        }
    }
}

impl fmt::Display for Value {
    /// Cypher literal notation: strings quoted, lists bracketed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => fmt_float(*x, f),
            Value::String(s) => write_quoted(s, f),
            Value::Date(d) => write!(f, "date('{d}')"),
            Value::Temporal(t) => {
                write!(f, "{}(", t.function())?;
                write_quoted(&t.iso(), f)?;
                f.write_str(")")
            }
            Value::List(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
        }
    }
}

/// Writes a float so that it always reads back as a float (`1.0`, not `1`).
pub fn fmt_float(x: f64, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    if x.is_nan() {
        f.write_str("NaN")
    } else if x.is_infinite() {
        f.write_str(if x > 0.0 { "Infinity" } else { "-Infinity" })
    } else if x == x.trunc() && x.abs() < 1e16 {
        write!(f, "{x:.1}")
    } else {
        write!(f, "{x}")
    }
}

/// Writes `s` as a single-quoted Cypher string literal.
pub fn write_quoted(s: &str, f: &mut impl fmt::Write) -> fmt::Result {
    f.write_char('\'')?;
    for c in s.chars() {
        match c {
            '\'' => f.write_str("\\'")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\r' => f.write_str("\\r")?,
            '\t' => f.write_str("\\t")?,
            c => f.write_char(c)?,
        }
    }
    f.write_char('\'')
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_string())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}
impl From<i64> for Value {
    fn from(i: i64) -> Value {
        Value::Int(i)
    }
}
impl From<f64> for Value {
    fn from(x: f64) -> Value {
        Value::Float(x)
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}
impl From<Date> for Value {
    fn from(d: Date) -> Value {
        Value::Date(d)
    }
}

/// The type a schema declares for a property.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PropType {
    /// Any value.
    Any,
    /// `true` / `false`.
    Bool,
    /// 64-bit integer.
    Int,
    /// 64-bit float; an integer given for it is widened.
    Float,
    /// Text.
    String,
    /// A date of year, month or day precision.
    Date,
    /// A list whose items all have the inner type.
    List(Box<PropType>),
    /// A local time of day.
    LocalTime,
    /// A time of day with an offset.
    Time,
    /// A local date-time.
    LocalDateTime,
    /// A date-time with an offset or zone.
    DateTime,
    /// A duration.
    Duration,
}

impl PropType {
    /// Whether `value` may be stored under this type (after [`PropType::coerce`]).
    pub fn accepts(&self, value: &Value) -> bool {
        match (self, value) {
            (PropType::Any, _) => true,
            (PropType::Bool, Value::Bool(_))
            | (PropType::Int, Value::Int(_))
            | (PropType::Float, Value::Float(_) | Value::Int(_))
            | (PropType::String, Value::String(_))
            | (PropType::Date, Value::Date(_)) => true,
            (
                PropType::LocalTime
                | PropType::Time
                | PropType::LocalDateTime
                | PropType::DateTime
                | PropType::Duration,
                Value::Temporal(t),
            ) => t.prop_type() == *self,
            (PropType::List(inner), Value::List(items)) => items.iter().all(|v| inner.accepts(v)),
            _ => false,
        }
    }

    /// Converts an accepted value to its stored form (integers given for floats become floats).
    pub fn coerce(&self, value: Value) -> Value {
        match (self, value) {
            (PropType::Float, Value::Int(i)) => Value::Float(i as f64),
            (PropType::List(inner), Value::List(items)) => {
                Value::List(items.into_iter().map(|v| inner.coerce(v)).collect())
            }
            (_, v) => v,
        }
    }
}

impl fmt::Display for PropType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PropType::Any => f.write_str("ANY"),
            PropType::Bool => f.write_str("BOOLEAN"),
            PropType::Int => f.write_str("INTEGER"),
            PropType::Float => f.write_str("FLOAT"),
            PropType::String => f.write_str("STRING"),
            PropType::Date => f.write_str("DATE"),
            PropType::List(inner) => write!(f, "LIST<{inner}>"),
            PropType::LocalTime => f.write_str("LOCAL TIME"),
            PropType::Time => f.write_str("ZONED TIME"),
            PropType::LocalDateTime => f.write_str("LOCAL DATETIME"),
            PropType::DateTime => f.write_str("ZONED DATETIME"),
            PropType::Duration => f.write_str("DURATION"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_at_three_precisions_and_order_coarse_first() {
        let y = Date::parse("2022").unwrap();
        let ym = Date::parse("2022-02").unwrap();
        let ymd = Date::parse("2022-02-24").unwrap();
        assert_eq!(ym.to_string(), "2022-02");
        assert_eq!(ymd.to_string(), "2022-02-24");
        assert!(y < ym && ym < ymd);
        assert!(Date::parse("2023-02-29").is_err());
        assert!(Date::parse("2024-02-29").is_ok());
        assert!(Date::parse("2022-13").is_err());
        assert!(Date::parse("22-01").is_err());
        assert!(Date::parse("2022-01-01-01").is_err());
    }

    #[test]
    fn types_accept_and_widen() {
        assert!(PropType::Float.accepts(&Value::Int(3)));
        assert_eq!(PropType::Float.coerce(Value::Int(3)), Value::Float(3.0));
        assert!(!PropType::Int.accepts(&Value::Float(3.0)));
        let list = Value::List(vec!["a".into(), "b".into()]);
        assert!(PropType::List(Box::new(PropType::String)).accepts(&list));
        assert!(!PropType::List(Box::new(PropType::Int)).accepts(&list));
        assert_eq!(
            list.value_type(),
            Some(PropType::List(Box::new(PropType::String)))
        );
    }

    #[test]
    fn display_is_cypher_literal() {
        assert_eq!(Value::from("it's").to_string(), "'it\\'s'");
        assert_eq!(Value::Float(2.0).to_string(), "2.0");
        assert_eq!(
            Value::List(vec![Value::Int(1), Value::Null]).to_string(),
            "[1, null]"
        );
    }
}
