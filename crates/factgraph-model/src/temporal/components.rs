//! Reading temporal values by their components: truncation to a unit and
//! the component accessors (`d.year`, `dur.minutes`).

use std::collections::BTreeMap;

use chrono::{Datelike, Duration as CDur, NaiveDate, NaiveTime, Timelike, Weekday};

use super::construct::{build, day_of_quarter, parts_of, Kind, Zone};
use super::render::offset_text;
use super::{bad, Duration, Operand, TResult, TemporalError, NANOS};

/// `date.truncate(unit, value[, map])` and the like.
pub fn truncate(kind: Kind, unit: &str, v: &Operand, map: Option<&Operand>) -> TResult<Operand> {
    if v.is_null() {
        return Ok(Operand::Null);
    }
    let Some(mut p) = parts_of(v) else {
        return Err(TemporalError::type_error(format!(
            "{}.truncate() expects a temporal value, got {}",
            kind.name(),
            v.type_name()
        )));
    };
    if kind.has_date() && p.date.is_none() {
        return Err(bad(format!(
            "cannot truncate {} to {}",
            v.type_name(),
            kind.name()
        )));
    }
    let map = match map {
        None | Some(Operand::Null) => BTreeMap::new(),
        Some(Operand::Map(m)) => m.clone(),
        Some(other) => {
            return Err(TemporalError::type_error(format!(
                "truncate() expects a map, got {}",
                other.type_name()
            )))
        }
    };
    if let Some(d) = p.date {
        let y = d.year();
        let ymd = |y: i32, m: u32, day: u32| NaiveDate::from_ymd_opt(y, m, day).unwrap_or(d);
        let nd = match unit {
            "millennium" => Some(ymd(y.div_euclid(1000) * 1000, 1, 1)),
            "century" => Some(ymd(y.div_euclid(100) * 100, 1, 1)),
            "decade" => Some(ymd(y.div_euclid(10) * 10, 1, 1)),
            "year" => Some(ymd(y, 1, 1)),
            "weekYear" => {
                NaiveDate::from_isoywd_opt(d.iso_week().year(), 1, Weekday::Mon).or(Some(d))
            }
            "quarter" => Some(ymd(y, d.month0() / 3 * 3 + 1, 1)),
            "month" => Some(ymd(y, d.month(), 1)),
            "week" => Some(d - CDur::days(d.weekday().num_days_from_monday() as i64)),
            _ => None,
        };
        if let Some(nd) = nd {
            p.date = Some(nd);
            if p.time.is_some() {
                p.time = Some(NaiveTime::default());
            }
        } else if unit == "day" && p.time.is_some() {
            p.time = Some(NaiveTime::default());
        }
    }
    if let Some(t) = p.time {
        let ns = t.nanosecond();
        let nt = match unit {
            "day" => None,
            "hour" => NaiveTime::from_hms_opt(t.hour(), 0, 0),
            "minute" => NaiveTime::from_hms_opt(t.hour(), t.minute(), 0),
            "second" => NaiveTime::from_hms_opt(t.hour(), t.minute(), t.second()),
            "millisecond" => t.with_nanosecond(ns / 1_000_000 * 1_000_000),
            "microsecond" => t.with_nanosecond(ns / 1000 * 1000),
            _ => None,
        };
        if let Some(nt) = nt {
            p.time = Some(nt);
        } else if !matches!(
            unit,
            "millennium"
                | "century"
                | "decade"
                | "year"
                | "weekYear"
                | "quarter"
                | "month"
                | "week"
                | "day"
        ) {
            return Err(bad(format!("unknown truncation unit {unit:?}")));
        }
    }
    if kind.has_date()
        && !matches!(
            unit,
            "millennium"
                | "century"
                | "decade"
                | "year"
                | "weekYear"
                | "quarter"
                | "month"
                | "week"
                | "day"
        )
        && kind == Kind::Date
    {
        return Err(bad(format!("cannot truncate a date to {unit}")));
    }
    // Recompute a named zone's offset at the truncated time.
    if let (Some(Zone::Named(_)), Some(d), Some(t)) = (&p.zone, p.date, p.time) {
        p.offset = p.zone.as_ref().map(|z| z.resolve(d.and_time(t)).1);
    }
    // A zone given to truncate() replaces the value's zone (no conversion).
    if map.get("timezone").is_some_and(|v| !v.is_null()) {
        p.offset = None;
    }
    if kind.has_time() && p.time.is_none() {
        p.time = Some(NaiveTime::default());
    }
    build(kind, p, &map)
}

// ---------------------------------------------------------------- accessors

/// `temporal.key`; `None` when the key is not a component of the value.
pub fn component(v: &Operand, key: &str) -> Option<Operand> {
    if let Operand::Duration(d) = v {
        return duration_component(d, key);
    }
    let p = parts_of(v)?;
    let int = |i: i64| Some(Operand::Int(i));
    if let Some(d) = p.date {
        match key {
            "year" => return int(d.year() as i64),
            "quarter" => return int((d.month0() / 3 + 1) as i64),
            "month" => return int(d.month() as i64),
            "week" => return int(d.iso_week().week() as i64),
            "weekYear" => return int(d.iso_week().year() as i64),
            "day" => return int(d.day() as i64),
            "ordinalDay" => return int(d.ordinal() as i64),
            "weekDay" | "dayOfWeek" => return int(d.weekday().number_from_monday() as i64),
            "dayOfQuarter" => return int(day_of_quarter(d)),
            _ => {}
        }
    }
    if let Some(t) = p.time {
        let ns = t.nanosecond() as i64;
        match key {
            "hour" => return int(t.hour() as i64),
            "minute" => return int(t.minute() as i64),
            "second" => return int(t.second() as i64),
            "millisecond" => return int(ns / 1_000_000),
            "microsecond" => return int(ns / 1000),
            "nanosecond" => return int(ns),
            _ => {}
        }
    }
    if let Some(off) = p.offset {
        match key {
            "timezone" => {
                return Some(Operand::Str(
                    p.zone
                        .as_ref()
                        .and_then(Zone::name)
                        .unwrap_or_else(|| offset_text(off)),
                ))
            }
            "offset" => return Some(Operand::Str(offset_text(off))),
            "offsetMinutes" => return int(off as i64 / 60),
            "offsetSeconds" => return int(off as i64),
            _ => {}
        }
        if let (Some(d), Some(t)) = (p.date, p.time) {
            let utc = d.and_time(t) - CDur::seconds(off as i64);
            let secs = utc.and_utc().timestamp();
            match key {
                "epochSeconds" => return int(secs),
                "epochMillis" => return int(utc.and_utc().timestamp_millis()),
                _ => {}
            }
        }
    }
    None
}

fn duration_component(d: &Duration, key: &str) -> Option<Operand> {
    let n = d.total_nanos();
    let secs = n.div_euclid(NANOS) as i64;
    // Seconds truncate towards zero for the larger units.
    let whole_secs = (n / NANOS) as i64;
    let sub = (n - whole_secs as i128 * NANOS) as i64;
    let v = match key {
        "years" => d.months / 12,
        "quarters" => d.months / 3,
        "months" => d.months,
        "weeks" => d.days / 7,
        "days" => d.days,
        "hours" => whole_secs / 3600,
        "minutes" => whole_secs / 60,
        "seconds" => secs,
        "milliseconds" => (n.div_euclid(1_000_000)) as i64,
        "microseconds" => (n.div_euclid(1000)) as i64,
        "nanoseconds" => n as i64,
        "quartersOfYear" => d.months / 3 % 4,
        "monthsOfQuarter" => d.months % 3,
        "monthsOfYear" => d.months % 12,
        "daysOfWeek" => d.days % 7,
        "minutesOfHour" => whole_secs / 60 % 60,
        "secondsOfMinute" => whole_secs % 60,
        "millisecondsOfSecond" => d.nanos as i64 / 1_000_000,
        "microsecondsOfSecond" => d.nanos as i64 / 1000,
        "nanosecondsOfSecond" => d.nanos as i64,
        _ => return None,
    };
    let _ = sub;
    Some(Operand::Int(v))
}
