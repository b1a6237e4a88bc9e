//! Arithmetic on temporal values: adding and subtracting durations, and
//! the duration between two values.

use std::str::FromStr;

use chrono::{Datelike, Duration as CDur, Months, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use chrono_tz::Tz;

use super::construct::{model_date, naive_date, parts_of, today, Parts, Zone};
use super::durations::{dur_add, dur_from_nanos, dur_neg, dur_scale, dur_scale_int};
use super::{Duration, Operand, TResult, TemporalError, Time, ZonedDateTime, DAY_NANOS, NANOS};

/// Adds a duration to a temporal value.
fn plus(v: &Operand, d: &Duration) -> TResult<Option<Operand>> {
    let ov = || TemporalError::runtime("Runtime.Overflow", "temporal value out of range");
    let add_date = |date: NaiveDate| -> TResult<NaiveDate> {
        let m = if d.months >= 0 {
            date.checked_add_months(Months::new(d.months as u32))
        } else {
            date.checked_sub_months(Months::new(d.months.unsigned_abs() as u32))
        };
        m.and_then(|x| x.checked_add_signed(CDur::days(d.days)))
            .ok_or_else(ov)
    };
    let nanos = d.total_nanos();
    let add_nanos = |dt: NaiveDateTime| -> TResult<NaiveDateTime> {
        dt.checked_add_signed(CDur::nanoseconds(i64::try_from(nanos).map_err(|_| ov())?))
            .ok_or_else(ov)
    };
    let add_time = |t: NaiveTime| -> NaiveTime {
        let day = nanos.rem_euclid(DAY_NANOS);
        t + CDur::nanoseconds(day as i64)
    };
    Ok(Some(match v {
        Operand::Date(x) => {
            let Some(date) = naive_date(x) else {
                return Ok(None);
            };
            let date = add_date(date)?;
            let days = (nanos / DAY_NANOS) as i64;
            model_date(date.checked_add_signed(CDur::days(days)).ok_or_else(ov)?)
        }
        Operand::LocalTime(t) => Operand::LocalTime(add_time(*t)),
        Operand::Time(t) => Operand::Time(Time {
            time: add_time(t.time),
            offset: t.offset,
        }),
        Operand::LocalDateTime(dt) => {
            let date = add_date(dt.date())?;
            Operand::LocalDateTime(add_nanos(date.and_time(dt.time()))?)
        }
        Operand::DateTime(z) => {
            let date = add_date(z.local.date())?;
            let zone = match z.zone.as_deref().and_then(|n| Tz::from_str(n).ok()) {
                Some(tz) => Zone::Named(tz),
                None => Zone::Offset(z.offset),
            };
            let (local, off) = zone.resolve(date.and_time(z.local.time()));
            let utc = add_nanos(local - CDur::seconds(off as i64))?;
            let off = zone.offset_at_utc(utc);
            Operand::DateTime(ZonedDateTime {
                local: utc + CDur::seconds(off as i64),
                offset: off,
                zone: z.zone.clone(),
            })
        }
        _ => return Ok(None),
    }))
}

/// `+`, `-`, `*`, `/` on temporal values and durations; `None` when the
/// operands are not temporal.
pub fn arithmetic(op: char, l: &Operand, r: &Operand) -> TResult<Option<Operand>> {
    Ok(Some(match (op, l, r) {
        ('+', Operand::Duration(a), Operand::Duration(b)) => Operand::Duration(dur_add(a, b)?),
        ('-', Operand::Duration(a), Operand::Duration(b)) => {
            Operand::Duration(dur_add(a, &dur_neg(b))?)
        }
        ('+', t, Operand::Duration(d)) | ('+', Operand::Duration(d), t) => return plus(t, d),
        ('-', t, Operand::Duration(d)) => return plus(t, &dur_neg(d)),
        ('*', Operand::Duration(d), Operand::Int(i))
        | ('*', Operand::Int(i), Operand::Duration(d)) => Operand::Duration(dur_scale_int(d, *i)?),
        ('*', Operand::Duration(d), Operand::Float(x))
        | ('*', Operand::Float(x), Operand::Duration(d)) => Operand::Duration(dur_scale(d, *x)),
        ('/', Operand::Duration(d), Operand::Int(i)) => {
            if *i == 0 {
                return Err(TemporalError::runtime(
                    "Runtime.DivisionByZero",
                    "division by zero",
                ));
            }
            Operand::Duration(dur_scale(d, 1.0 / *i as f64))
        }
        ('/', Operand::Duration(d), Operand::Float(x)) => Operand::Duration(dur_scale(d, 1.0 / *x)),
        _ => return Ok(None),
    }))
}

// ---------------------------------------------------------------- between

/// `duration.between`, `duration.inMonths`, `duration.inDays`, `duration.inSeconds`.
///
/// A value without a date takes the other's date, one without a time is at
/// midnight, and one without a zone is read in the other's zone. Months and
/// days count on the first value's local calendar (the second seen in the
/// first's zone); the rest is the difference of the instants.
pub fn between(unit: &str, a: &Operand, b: &Operand) -> TResult<Operand> {
    if a.is_null() || b.is_null() {
        return Ok(Operand::Null);
    }
    let (Some(mut pa), Some(mut pb)) = (parts_of(a), parts_of(b)) else {
        return Err(TemporalError::type_error(format!(
            "duration.{unit}() expects temporal values, got {} and {}",
            a.type_name(),
            b.type_name()
        )));
    };
    if pa.date.is_none() {
        pa.date = pb.date;
    }
    if pb.date.is_none() {
        pb.date = pa.date;
    }
    if pa.zone.is_none() {
        pa.zone = pb.zone.clone();
    }
    if pb.zone.is_none() {
        pb.zone = pa.zone.clone();
    }
    let ta = pa.time.unwrap_or_default();
    let tb = pb.time.unwrap_or_default();
    let Some((da, db)) = pa.date.zip(pb.date) else {
        // Times only: compare them in UTC.
        let off = |p: &Parts| match &p.zone {
            Some(Zone::Offset(o)) => *o as i128,
            Some(z @ Zone::Named(_)) => z.resolve(today().and_time(NaiveTime::default())).1 as i128,
            None => 0,
        };
        let na = ta.num_seconds_from_midnight() as i128 * NANOS + ta.nanosecond() as i128
            - off(&pa) * NANOS;
        let nb = tb.num_seconds_from_midnight() as i128 * NANOS + tb.nanosecond() as i128
            - off(&pb) * NANOS;
        return Ok(Operand::Duration(match unit {
            "inmonths" | "indays" => dur_from_nanos(0, 0, 0),
            _ => dur_from_nanos(0, 0, nb - na),
        }));
    };
    let zone_a = pa.zone.clone().unwrap_or(Zone::Offset(0));
    let zone_b = pb.zone.clone().unwrap_or(Zone::Offset(0));
    let instant = |z: &Zone, l: NaiveDateTime| l - CDur::seconds(z.resolve(l).1 as i64);
    let la = da.and_time(ta);
    let ia = instant(&zone_a, la);
    let ib = instant(&zone_b, db.and_time(tb));
    let nanos_between = |x: NaiveDateTime, y: NaiveDateTime| -> i128 {
        let d = y - x;
        d.num_nanoseconds()
            .map(|n| n as i128)
            .unwrap_or_else(|| d.num_seconds() as i128 * NANOS)
    };
    if unit == "inseconds" {
        return Ok(Operand::Duration(dur_from_nanos(
            0,
            0,
            nanos_between(ia, ib),
        )));
    }
    // The second value on the first's local calendar.
    let lb = ib + CDur::seconds(zone_a.offset_at_utc(ib) as i64);
    // Java's until(): the end date moves back a day when its time of day is
    // before the start's (and forward in the other direction).
    let until_date = |start: NaiveDateTime| -> NaiveDate {
        let mut end_date = lb.date();
        if end_date > start.date() && lb.time() < start.time() {
            end_date = end_date.pred_opt().unwrap_or(end_date);
        } else if end_date < start.date() && lb.time() > start.time() {
            end_date = end_date.succ_opt().unwrap_or(end_date);
        }
        end_date
    };
    let months = if unit == "indays" {
        0
    } else {
        let pm = |d: NaiveDate| d.year() as i64 * 12 + d.month0() as i64;
        let packed = |d: NaiveDate| pm(d) * 32 + d.day() as i64;
        (packed(until_date(la)) - packed(da)) / 32
    };
    if unit == "inmonths" {
        return Ok(Operand::Duration(dur_from_nanos(months, 0, 0)));
    }
    let shifted = if months >= 0 {
        da.checked_add_months(Months::new(months as u32))
    } else {
        da.checked_sub_months(Months::new(months.unsigned_abs() as u32))
    }
    .unwrap_or(da)
    .and_time(ta);
    let days = (until_date(shifted) - shifted.date()).num_days();
    if unit == "indays" {
        return Ok(Operand::Duration(dur_from_nanos(0, days, 0)));
    }
    let from = shifted + CDur::days(days);
    let rest = nanos_between(instant(&zone_a, from), ib);
    Ok(Operand::Duration(dur_from_nanos(months, days, rest)))
}
