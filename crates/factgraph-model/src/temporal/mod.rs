//! Temporal values as openCypher computes with them: local times, times with
//! an offset, local date-times, date-times with an offset or a named zone,
//! and durations, with their ISO text, construction from text or component
//! maps, arithmetic, truncation and ordering. Calendar and time-zone
//! arithmetic come from `chrono` and `chrono-tz` (the IANA database) rather
//! than a hand-written calendar.
//!
//! The code lives in the model, below the store and the query layer, because
//! both need it: the store to check and render stored temporals, the query
//! layer to evaluate temporal functions. It computes with [`Operand`], the
//! part of a query value that temporal functions read and produce; the query
//! layer converts its own values to and from it.
//!
//! This module holds the values and their conversions; [`render`] writes them
//! as ISO text, [`construct`] builds them from component maps and text,
//! [`durations`] makes and combines durations, [`arithmetic`] adds them to
//! values and measures between values, and [`components`] truncates values
//! and reads their components.

mod arithmetic;
mod components;
mod construct;
mod durations;
mod render;

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Timelike};
use chrono_tz::Tz;

use super::{Date, Temporal};

pub use arithmetic::{arithmetic, between};
pub use components::{component, truncate};
pub use construct::{construct, from_epoch, model_date, naive_date, now_utc, Kind};
pub use durations::duration;
pub use render::{fmt_date, fmt_offset, fmt_time, render};

/// A value as the temporal functions see it: the scalar and temporal kinds
/// they read or return, maps of them (component arguments such as
/// `{year: 2020, month: 3}`), and anything else by its type name alone (for
/// the error that names it).
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    /// null
    Null,
    /// integer
    Int(i64),
    /// float
    Float(f64),
    /// string
    Str(String),
    /// date
    Date(Date),
    /// local time
    LocalTime(NaiveTime),
    /// time with an offset
    Time(Time),
    /// local date-time
    LocalDateTime(NaiveDateTime),
    /// date-time with an offset or a named zone
    DateTime(ZonedDateTime),
    /// duration
    Duration(Duration),
    /// a map of component names to values
    Map(BTreeMap<String, Operand>),
    /// a value of another type, by its openCypher type name
    Other(&'static str),
}

impl Operand {
    /// The openCypher type name, as error messages print it.
    pub fn type_name(&self) -> &'static str {
        match self {
            Operand::Null => "NULL",
            Operand::Int(_) => "INTEGER",
            Operand::Float(_) => "FLOAT",
            Operand::Str(_) => "STRING",
            Operand::Date(_) => "DATE",
            Operand::LocalTime(_) => "LOCAL TIME",
            Operand::Time(_) => "TIME",
            Operand::LocalDateTime(_) => "LOCAL DATETIME",
            Operand::DateTime(_) => "DATETIME",
            Operand::Duration(_) => "DURATION",
            Operand::Map(_) => "MAP",
            Operand::Other(name) => name,
        }
    }

    /// Whether this is null.
    pub fn is_null(&self) -> bool {
        matches!(self, Operand::Null)
    }

    /// The value of a stored temporal, or `None` when its fields are out of
    /// range (a corrupt snapshot) or a named zone does not allow its offset.
    pub fn from_temporal(t: &Temporal) -> Option<Operand> {
        Some(match t {
            Temporal::LocalTime { secs, nanos } => Operand::LocalTime(naive_time(*secs, *nanos)?),
            Temporal::Time {
                secs,
                nanos,
                offset,
            } => Operand::Time(Time {
                time: naive_time(*secs, *nanos)?,
                offset: valid_offset(*offset)?,
            }),
            Temporal::LocalDateTime { days, secs, nanos } => {
                Operand::LocalDateTime(naive_datetime(*days, *secs, *nanos)?)
            }
            Temporal::DateTime {
                days,
                secs,
                nanos,
                offset,
                zone,
            } => {
                let local = naive_datetime(*days, *secs, *nanos)?;
                let offset = valid_offset(*offset)?;
                if let Some(z) = zone {
                    // A named zone must exist and its offset must be one in force here.
                    let tz: Tz = z.parse().ok()?;
                    let ok = tz
                        .offset_from_local_datetime(&local)
                        .earliest()
                        .into_iter()
                        .chain(tz.offset_from_local_datetime(&local).latest())
                        .any(|o| o.fix().local_minus_utc() == offset);
                    if !ok {
                        return None;
                    }
                }
                Operand::DateTime(ZonedDateTime {
                    local,
                    offset,
                    zone: zone.clone(),
                })
            }
            Temporal::Duration {
                months,
                days,
                secs,
                nanos,
            } => {
                if !(0..1_000_000_000).contains(nanos) {
                    return None;
                }
                Operand::Duration(Duration {
                    months: *months,
                    days: *days,
                    secs: *secs,
                    nanos: *nanos,
                })
            }
        })
    }

    /// The stored form of a temporal value other than a date; `None` for
    /// every other kind.
    pub fn to_temporal(&self) -> Option<Temporal> {
        Some(match self {
            Operand::LocalTime(t) => local_time_temporal(t),
            Operand::Time(t) => time_temporal(t),
            Operand::LocalDateTime(dt) => local_datetime_temporal(dt),
            Operand::DateTime(z) => datetime_temporal(z),
            Operand::Duration(d) => duration_temporal(d),
            _ => return None,
        })
    }
}

/// The stored form of a local time.
pub fn local_time_temporal(t: &NaiveTime) -> Temporal {
    Temporal::LocalTime {
        secs: t.num_seconds_from_midnight(),
        nanos: t.nanosecond(),
    }
}

/// The stored form of a time with an offset.
pub fn time_temporal(t: &Time) -> Temporal {
    Temporal::Time {
        secs: t.time.num_seconds_from_midnight(),
        nanos: t.time.nanosecond(),
        offset: t.offset,
    }
}

/// The stored form of a local date-time.
pub fn local_datetime_temporal(dt: &NaiveDateTime) -> Temporal {
    Temporal::LocalDateTime {
        days: dt.date().num_days_from_ce(),
        secs: dt.time().num_seconds_from_midnight(),
        nanos: dt.time().nanosecond(),
    }
}

/// The stored form of a date-time with an offset or zone.
pub fn datetime_temporal(z: &ZonedDateTime) -> Temporal {
    Temporal::DateTime {
        days: z.local.date().num_days_from_ce(),
        secs: z.local.time().num_seconds_from_midnight(),
        nanos: z.local.time().nanosecond(),
        offset: z.offset,
        zone: z.zone.clone(),
    }
}

/// The stored form of a duration.
pub fn duration_temporal(d: &Duration) -> Temporal {
    Temporal::Duration {
        months: d.months,
        days: d.days,
        secs: d.secs,
        nanos: d.nanos,
    }
}

fn naive_time(secs: u32, nanos: u32) -> Option<NaiveTime> {
    NaiveTime::from_num_seconds_from_midnight_opt(secs, nanos)
}

fn naive_datetime(days: i32, secs: u32, nanos: u32) -> Option<NaiveDateTime> {
    Some(NaiveDate::from_num_days_from_ce_opt(days)?.and_time(naive_time(secs, nanos)?))
}

fn valid_offset(offset: i32) -> Option<i32> {
    (offset.abs() <= 18 * 3600).then_some(offset)
}

/// Why a temporal function failed: an openCypher error code
/// (`Runtime.InvalidArgument`, `Runtime.TypeError`, `Runtime.Overflow`) and
/// a message. The query layer reports it as a runtime error with that code.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct TemporalError {
    /// The openCypher error code.
    pub code: &'static str,
    /// What went wrong.
    pub message: String,
}

impl TemporalError {
    fn runtime(code: &'static str, message: impl Into<String>) -> TemporalError {
        TemporalError {
            code,
            message: message.into(),
        }
    }

    fn type_error(message: impl Into<String>) -> TemporalError {
        TemporalError::runtime("Runtime.TypeError", message)
    }
}

/// The result of a temporal function.
pub type TResult<T> = Result<T, TemporalError>;

const NANOS: i128 = 1_000_000_000;
const DAY_NANOS: i128 = 86_400 * NANOS;
/// Seconds in an average Gregorian month (openCypher's fractional-month rule).
const SECONDS_PER_MONTH: f64 = 2_629_746.0;

/// A time of day with a UTC offset.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Time {
    /// The local time.
    pub time: NaiveTime,
    /// Offset from UTC in seconds.
    pub offset: i32,
}

/// A date and time with an offset, and possibly a named zone.
#[derive(Clone, Debug, PartialEq)]
pub struct ZonedDateTime {
    /// The local date and time.
    pub local: NaiveDateTime,
    /// Offset from UTC in seconds.
    pub offset: i32,
    /// The IANA zone name, when the value has a named zone.
    pub zone: Option<String>,
}

/// A duration: months, days, seconds and nanoseconds (`0 <= nanos < 1e9`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Duration {
    /// Months.
    pub months: i64,
    /// Days.
    pub days: i64,
    /// Seconds.
    pub secs: i64,
    /// Nanoseconds of the second.
    pub nanos: i32,
}

fn bad(msg: impl Into<String>) -> TemporalError {
    TemporalError::runtime("Runtime.InvalidArgument", msg.into())
}
