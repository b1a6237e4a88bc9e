//! Durations: building them from maps and ISO text, and adding,
//! negating and scaling them.

use std::sync::OnceLock;

use regex::Regex;

use super::{bad, Duration, Operand, TResult, TemporalError, DAY_NANOS, NANOS, SECONDS_PER_MONTH};

pub(super) fn dur_from_nanos(months: i64, days: i64, nanos: i128) -> Duration {
    Duration {
        months,
        days,
        secs: nanos.div_euclid(NANOS) as i64,
        nanos: nanos.rem_euclid(NANOS) as i32,
    }
}

impl Duration {
    pub(super) fn total_nanos(&self) -> i128 {
        self.secs as i128 * NANOS + self.nanos as i128
    }
}

/// A number as either an exact integer or a float.
fn as_num(v: &Operand, k: &str) -> TResult<Option<f64>> {
    match v {
        Operand::Null => Ok(None),
        Operand::Int(i) => Ok(Some(*i as f64)),
        Operand::Float(x) => Ok(Some(*x)),
        other => Err(TemporalError::type_error(format!(
            "duration() expects a number for {k}, got {}",
            other.type_name()
        ))),
    }
}

/// Builds a duration from possibly fractional months, days and nanoseconds:
/// fractions of a month become days and seconds (an average month), fractions
/// of a day become seconds; a fraction of a nanosecond is dropped (toward
/// zero, as Neo4j does: `duration * 0.5` of 1ns is 0ns, TCK Temporal8 [7]).
fn dur_from_fractions(months: f64, days: f64, nanos: f64) -> Duration {
    let whole_months = months.trunc();
    let month_frac_nanos = (months - whole_months) * SECONDS_PER_MONTH * 1e9;
    let days_total = days + (month_frac_nanos / (DAY_NANOS as f64)).trunc();
    let rest_nanos = month_frac_nanos % (DAY_NANOS as f64);
    let whole_days = days_total.trunc();
    let nanos = nanos + (days_total - whole_days) * DAY_NANOS as f64 + rest_nanos;
    dur_from_nanos(
        whole_months as i64,
        whole_days as i64,
        nanos.trunc() as i128,
    )
}

/// `duration(map)` and `duration(string)`.
pub fn duration(arg: &Operand) -> TResult<Operand> {
    match arg {
        Operand::Null => Ok(Operand::Null),
        Operand::Duration(d) => Ok(Operand::Duration(*d)),
        Operand::Map(m) => {
            let mut ints = true;
            let get = |k: &str| -> TResult<f64> {
                Ok(m.get(k)
                    .map(|v| as_num(v, k))
                    .transpose()?
                    .flatten()
                    .unwrap_or(0.0))
            };
            for v in m.values() {
                if matches!(v, Operand::Float(_)) {
                    ints = false;
                }
            }
            if ints {
                let i = |k: &str| match m.get(k) {
                    Some(Operand::Int(i)) => *i as i128,
                    _ => 0,
                };
                let months = i("years") * 12 + i("months");
                let days = i("weeks") * 7 + i("days");
                let nanos = i("hours") * 3600 * NANOS
                    + i("minutes") * 60 * NANOS
                    + i("seconds") * NANOS
                    + i("milliseconds") * 1_000_000
                    + i("microseconds") * 1000
                    + i("nanoseconds");
                return Ok(Operand::Duration(dur_from_nanos(
                    months as i64,
                    days as i64,
                    nanos,
                )));
            }
            let months = get("years")? * 12.0 + get("months")?;
            let days = get("weeks")? * 7.0 + get("days")?;
            let nanos = get("hours")? * 3600e9
                + get("minutes")? * 60e9
                + get("seconds")? * 1e9
                + get("milliseconds")? * 1e6
                + get("microseconds")? * 1e3
                + get("nanoseconds")?;
            Ok(Operand::Duration(dur_from_fractions(months, days, nanos)))
        }
        Operand::Str(s) => parse_duration(s)
            .map(Operand::Duration)
            .ok_or_else(|| bad(format!("invalid duration {s:?}"))),
        other => Err(TemporalError::type_error(format!(
            "duration() cannot convert {}",
            other.type_name()
        ))),
    }
}

fn parse_duration(s: &str) -> Option<Duration> {
    static RE: OnceLock<Regex> = OnceLock::new();
    static ALT: OnceLock<Regex> = OnceLock::new();
    let num = r"([+-]?\d+(?:[.,]\d+)?)";
    let re = RE.get_or_init(|| {
        Regex::new(&format!(
            r"^([+-])?P(?:{num}Y)?(?:{num}M)?(?:{num}W)?(?:{num}D)?(?:T(?:{num}H)?(?:{num}M)?(?:{num}S)?)?$"
        ))
        .expect("regex")
    });
    let alt = ALT.get_or_init(|| {
        Regex::new(r"^P(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):?(\d{2}):?(\d{2}(?:[.,]\d+)?)$")
            .expect("regex")
    });
    if let Some(c) = alt.captures(s) {
        let f = |i: usize| c[i].replace(',', ".").parse::<f64>().unwrap_or(0.0);
        return Some(dur_from_fractions(
            f(1) * 12.0 + f(2),
            f(3),
            f(4) * 3600e9 + f(5) * 60e9 + f(6) * 1e9,
        ));
    }
    let c = re.captures(s)?;
    if s.ends_with('T') || s.trim_start_matches(['+', '-']) == "P" {
        return None;
    }
    let f = |i: usize| {
        c.get(i).map_or(0.0, |m| {
            m.as_str().replace(',', ".").parse::<f64>().unwrap_or(0.0)
        })
    };
    let sign = if c.get(1).is_some_and(|m| m.as_str() == "-") {
        -1.0
    } else {
        1.0
    };
    let d = dur_from_fractions(
        sign * (f(2) * 12.0 + f(3)),
        sign * (f(4) * 7.0 + f(5)),
        sign * (f(6) * 3600e9 + f(7) * 60e9 + f(8) * 1e9),
    );
    Some(d)
}

pub(super) fn dur_neg(d: &Duration) -> Duration {
    dur_from_nanos(-d.months, -d.days, -d.total_nanos())
}

pub(super) fn dur_add(a: &Duration, b: &Duration) -> TResult<Duration> {
    let months = a.months.checked_add(b.months);
    let days = a.days.checked_add(b.days);
    let nanos = a.total_nanos() + b.total_nanos();
    match (months, days) {
        (Some(m), Some(d)) if nanos.abs() < (i64::MAX as i128) * NANOS => {
            Ok(dur_from_nanos(m, d, nanos))
        }
        _ => Err(TemporalError::runtime(
            "Runtime.Overflow",
            "duration overflow",
        )),
    }
}

pub(super) fn dur_scale(d: &Duration, f: f64) -> Duration {
    dur_from_fractions(
        d.months as f64 * f,
        d.days as f64 * f,
        d.total_nanos() as f64 * f,
    )
}

pub(super) fn dur_scale_int(d: &Duration, f: i64) -> TResult<Duration> {
    let ov = || TemporalError::runtime("Runtime.Overflow", "duration overflow");
    Ok(dur_from_nanos(
        d.months.checked_mul(f).ok_or_else(ov)?,
        d.days.checked_mul(f).ok_or_else(ov)?,
        d.total_nanos().checked_mul(f as i128).ok_or_else(ov)?,
    ))
}
