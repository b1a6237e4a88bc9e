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

use std::collections::BTreeMap;
use std::fmt::Write;
use std::str::FromStr;
use std::sync::OnceLock;

use chrono::{
    Datelike, Duration as CDur, Months, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone,
    Timelike, Weekday,
};
use chrono_tz::Tz;
use regex::Regex;

use super::{Date, Temporal};

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

// ---------------------------------------------------------------- rendering

/// `YYYY-MM-DD` (years beyond four digits get a sign).
pub fn fmt_date(d: NaiveDate, s: &mut String) {
    let y = d.year();
    if y > 9999 {
        let _ = write!(s, "+{y}");
    } else if y < 0 {
        let _ = write!(s, "-{:04}", -y);
    } else {
        let _ = write!(s, "{y:04}");
    }
    let _ = write!(s, "-{:02}-{:02}", d.month(), d.day());
}

/// `HH:MM[:SS[.fff]]`
pub fn fmt_time(t: NaiveTime, s: &mut String) {
    let _ = write!(s, "{:02}:{:02}", t.hour(), t.minute());
    let ns = t.nanosecond();
    if t.second() != 0 || ns != 0 {
        let _ = write!(s, ":{:02}", t.second());
        if ns != 0 {
            let f = format!("{ns:09}");
            s.push('.');
            s.push_str(f.trim_end_matches('0'));
        }
    }
}

/// `Z`, `+01:00` or `+00:53:28`.
pub fn fmt_offset(off: i32, s: &mut String) {
    if off == 0 {
        s.push('Z');
        return;
    }
    let sign = if off < 0 { '-' } else { '+' };
    let a = off.abs();
    let _ = write!(s, "{sign}{:02}:{:02}", a / 3600, a / 60 % 60);
    if a % 60 != 0 {
        let _ = write!(s, ":{:02}", a % 60);
    }
}

/// An offset as Java's `ZoneOffset` writes it (`Z` for UTC).
fn offset_text(off: i32) -> String {
    let mut s = String::new();
    fmt_offset(off, &mut s);
    s
}

/// The ISO text of a temporal value (`None` for other values).
pub fn render(v: &Operand) -> Option<String> {
    let mut s = String::new();
    match v {
        Operand::LocalTime(t) => fmt_time(*t, &mut s),
        Operand::Time(t) => {
            fmt_time(t.time, &mut s);
            fmt_offset(t.offset, &mut s);
        }
        Operand::LocalDateTime(dt) => {
            fmt_date(dt.date(), &mut s);
            s.push('T');
            fmt_time(dt.time(), &mut s);
        }
        Operand::DateTime(z) => {
            fmt_date(z.local.date(), &mut s);
            s.push('T');
            fmt_time(z.local.time(), &mut s);
            fmt_offset(z.offset, &mut s);
            if let Some(zone) = &z.zone {
                let _ = write!(s, "[{zone}]");
            }
        }
        Operand::Duration(d) => fmt_duration(d, &mut s),
        _ => return None,
    }
    Some(s)
}

fn fmt_duration(d: &Duration, s: &mut String) {
    s.push('P');
    let (y, m) = (d.months / 12, d.months % 12);
    if y != 0 {
        let _ = write!(s, "{y}Y");
    }
    if m != 0 {
        let _ = write!(s, "{m}M");
    }
    if d.days != 0 {
        let _ = write!(s, "{}D", d.days);
    }
    let total = d.secs as i128 * NANOS + d.nanos as i128;
    if total != 0 {
        s.push('T');
        let sign = if total < 0 { "-" } else { "" };
        let a = total.abs();
        let h = a / (3600 * NANOS);
        let mi = a / (60 * NANOS) % 60;
        let sec = a / NANOS % 60;
        let ns = a % NANOS;
        if h != 0 {
            let _ = write!(s, "{sign}{h}H");
        }
        if mi != 0 {
            let _ = write!(s, "{sign}{mi}M");
        }
        if sec != 0 || ns != 0 {
            let _ = write!(s, "{sign}{sec}");
            if ns != 0 {
                let f = format!("{ns:09}");
                s.push('.');
                s.push_str(f.trim_end_matches('0'));
            }
            s.push('S');
        }
    } else if s.len() == 1 {
        s.push_str("T0S");
    }
}

// ---------------------------------------------------------------- parts

/// A zone: a fixed offset or a named IANA zone.
#[derive(Clone, Debug, PartialEq)]
enum Zone {
    Offset(i32),
    Named(Tz),
}

impl Zone {
    fn parse(text: &str) -> TResult<Zone> {
        if let Some(off) = parse_offset(text) {
            return Ok(Zone::Offset(off));
        }
        Tz::from_str(text)
            .map(Zone::Named)
            .map_err(|_| bad(format!("unknown time zone {text:?}")))
    }

    /// The offset in force at a local date-time, and the local time
    /// (moved forward out of a gap).
    fn resolve(&self, local: NaiveDateTime) -> (NaiveDateTime, i32) {
        match self {
            Zone::Offset(o) => (local, *o),
            Zone::Named(tz) => {
                let mut l = local;
                for _ in 0..4 {
                    if let Some(dt) = tz.from_local_datetime(&l).earliest() {
                        return (l, dt.offset().fix().local_minus_utc());
                    }
                    l += CDur::minutes(30);
                }
                (local, 0)
            }
        }
    }

    /// The offset at a UTC instant.
    fn offset_at_utc(&self, utc: NaiveDateTime) -> i32 {
        match self {
            Zone::Offset(o) => *o,
            Zone::Named(tz) => tz.from_utc_datetime(&utc).offset().fix().local_minus_utc(),
        }
    }

    fn name(&self) -> Option<String> {
        match self {
            Zone::Named(tz) => Some(tz.name().to_string()),
            Zone::Offset(_) => None,
        }
    }
}

fn parse_offset(text: &str) -> Option<i32> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"^(?:(Z)|([+-])(\d{2})(?::?(\d{2})(?::?(\d{2}))?)?)$").expect("regex")
    });
    let c = re.captures(text)?;
    if c.get(1).is_some() {
        return Some(0);
    }
    let n = |i: usize| {
        c.get(i)
            .map_or(0, |m| m.as_str().parse::<i32>().unwrap_or(0))
    };
    let v = n(3) * 3600 + n(4) * 60 + n(5);
    if n(3) > 18 || n(4) > 59 || n(5) > 59 {
        return None;
    }
    Some(if &c[2] == "-" { -v } else { v })
}

/// The date, time and zone a temporal value contributes.
#[derive(Clone, Debug, Default)]
struct Parts {
    date: Option<NaiveDate>,
    time: Option<NaiveTime>,
    zone: Option<Zone>,
    /// The offset actually in force (for a named zone, at this date-time).
    offset: Option<i32>,
}

/// A full date as chrono's date (a partial model date counts from its first day).
pub fn naive_date(d: &Date) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(
        d.year,
        d.month.unwrap_or(1) as u32,
        d.day.unwrap_or(1) as u32,
    )
}

/// The model date of a chrono date.
pub fn model_date(d: NaiveDate) -> Operand {
    match u8::try_from(d.month())
        .ok()
        .zip(u8::try_from(d.day()).ok())
        .and_then(|(m, day)| Date::ymd(d.year(), m, day))
    {
        Some(x) => Operand::Date(x),
        None => Operand::Null,
    }
}

fn parts_of(v: &Operand) -> Option<Parts> {
    Some(match v {
        Operand::Date(d) => Parts {
            date: Some(naive_date(d)?),
            ..Parts::default()
        },
        Operand::LocalTime(t) => Parts {
            time: Some(*t),
            ..Parts::default()
        },
        Operand::Time(t) => Parts {
            time: Some(t.time),
            zone: Some(Zone::Offset(t.offset)),
            offset: Some(t.offset),
            ..Parts::default()
        },
        Operand::LocalDateTime(dt) => Parts {
            date: Some(dt.date()),
            time: Some(dt.time()),
            ..Parts::default()
        },
        Operand::DateTime(z) => Parts {
            date: Some(z.local.date()),
            time: Some(z.local.time()),
            zone: Some(match z.zone.as_deref().and_then(|n| Tz::from_str(n).ok()) {
                Some(tz) => Zone::Named(tz),
                None => Zone::Offset(z.offset),
            }),
            offset: Some(z.offset),
        },
        _ => return None,
    })
}

/// The kinds of temporal values a constructor can build.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// date
    Date,
    /// localtime
    LocalTime,
    /// time
    Time,
    /// localdatetime
    LocalDateTime,
    /// datetime
    DateTime,
}

impl Kind {
    /// The kind a function name constructs.
    pub fn of_function(name: &str) -> Option<Kind> {
        Some(match name {
            "date" => Kind::Date,
            "localtime" => Kind::LocalTime,
            "time" => Kind::Time,
            "localdatetime" => Kind::LocalDateTime,
            "datetime" => Kind::DateTime,
            _ => return None,
        })
    }
    fn has_date(self) -> bool {
        matches!(self, Kind::Date | Kind::LocalDateTime | Kind::DateTime)
    }
    fn has_time(self) -> bool {
        !matches!(self, Kind::Date)
    }
    fn name(self) -> &'static str {
        match self {
            Kind::Date => "date",
            Kind::LocalTime => "localtime",
            Kind::Time => "time",
            Kind::LocalDateTime => "localdatetime",
            Kind::DateTime => "datetime",
        }
    }
}

/// Builds the value of `kind` from parts, applying overrides from a map.
fn build(kind: Kind, mut p: Parts, map: &BTreeMap<String, Operand>) -> TResult<Operand> {
    let num = |k: &str| -> TResult<Option<i64>> {
        match map.get(k) {
            None | Some(Operand::Null) => Ok(None),
            Some(Operand::Int(i)) => Ok(Some(*i)),
            Some(other) => Err(TemporalError::type_error(format!(
                "{}() expects an integer {k}, got {}",
                kind.name(),
                other.type_name()
            ))),
        }
    };
    // A new zone converts a zoned base to it (a base with a date after the
    // other fields are applied, in its own zone); an unzoned base just takes it.
    let mut convert_from: Option<Zone> = None;
    if let Some(tz) = map.get("timezone").filter(|v| !v.is_null()) {
        let Operand::Str(text) = tz else {
            return Err(TemporalError::type_error("timezone must be a string"));
        };
        let zone = Zone::parse(text)?;
        if let (Some(old), Some(t)) = (p.offset, p.time) {
            match p.date {
                Some(_) => convert_from = Some(p.zone.clone().unwrap_or(Zone::Offset(old))),
                None => {
                    let off = match &zone {
                        Zone::Offset(o) => *o,
                        Zone::Named(_) => zone.offset_at_utc(NaiveDate::default().and_time(t)),
                    };
                    p.time = Some(t - CDur::seconds(old as i64) + CDur::seconds(off as i64));
                }
            }
        }
        p.zone = Some(zone);
    }
    // The date.
    let date = if kind.has_date() {
        let year = num("year")?;
        let base = p.date;
        let d = if num("week")?.is_some() || (num("dayOfWeek")?.is_some() && base.is_some()) {
            let iso = base.map(|b| b.iso_week());
            let y = year.or(iso.map(|w| w.year() as i64)).unwrap_or(1);
            let w = num("week")?.or(iso.map(|w| w.week() as i64)).unwrap_or(1);
            let dow = num("dayOfWeek")?
                .or(base.map(|b| b.weekday().number_from_monday() as i64))
                .unwrap_or(1);
            let wd = weekday(dow)?;
            NaiveDate::from_isoywd_opt(y as i32, w as u32, wd)
        } else if let Some(o) = num("ordinalDay")? {
            let y = year.or(base.map(|b| b.year() as i64)).unwrap_or(1);
            NaiveDate::from_yo_opt(y as i32, o as u32)
        } else if num("quarter")?.is_some() || num("dayOfQuarter")?.is_some() {
            let y = year.or(base.map(|b| b.year() as i64)).unwrap_or(1);
            let q = num("quarter")?
                .or(base.map(|b| (b.month0() / 3 + 1) as i64))
                .unwrap_or(1);
            let dq = num("dayOfQuarter")?
                .or(base.map(day_of_quarter))
                .unwrap_or(1);
            if !(1..=4).contains(&q) {
                return Err(bad(format!("invalid quarter {q}")));
            }
            NaiveDate::from_ymd_opt(y as i32, (q as u32 - 1) * 3 + 1, 1)
                .and_then(|s| s.checked_add_signed(CDur::days(dq - 1)))
                .filter(|d| dq >= 1 && (d.month0() / 3 + 1) as i64 == q)
        } else {
            let m = num("month")?;
            let day = num("day")?;
            match base {
                Some(b) if year.is_none() && m.is_none() && day.is_none() => Some(b),
                _ => {
                    let Some(y) = year.or(base.map(|b| b.year() as i64)) else {
                        return Err(bad(format!("{}() of a map needs a year", kind.name())));
                    };
                    let m = m.or(base.map(|b| b.month() as i64)).unwrap_or(1);
                    let day = day.or(base.map(|b| b.day() as i64)).unwrap_or(1);
                    NaiveDate::from_ymd_opt(
                        i32::try_from(y).map_err(|_| bad("year out of range"))?,
                        u32::try_from(m).unwrap_or(0),
                        u32::try_from(day).unwrap_or(0),
                    )
                }
            }
        };
        Some(d.ok_or_else(|| bad(format!("invalid date for {}()", kind.name())))?)
    } else {
        None
    };
    // The time.
    let time = if kind.has_time() {
        let base = p.time;
        let h = num("hour")?;
        let mi = num("minute")?;
        let s = num("second")?;
        let (ms, us, ns) = (num("millisecond")?, num("microsecond")?, num("nanosecond")?);
        let any = h.is_some() || mi.is_some() || s.is_some();
        let sub = ms.is_some() || us.is_some() || ns.is_some();
        let b = base.unwrap_or_default();
        if base.is_none() && (mi.is_some() && h.is_none() || s.is_some() && mi.is_none()) {
            return Err(bad("a time field is missing a larger field"));
        }
        let h = h.unwrap_or(b.hour() as i64);
        let mi = mi.unwrap_or(if base.is_some() { b.minute() as i64 } else { 0 });
        let s = s.unwrap_or(if base.is_some() { b.second() as i64 } else { 0 });
        let nanos = if sub {
            // Each given field replaces its own digits of the base's fraction.
            let bn = if base.is_some() {
                b.nanosecond() as i64
            } else {
                0
            };
            let (bms, bus, bns) = (bn / 1_000_000, bn / 1000 % 1000, bn % 1000);
            if (us.is_some_and(|u| u.abs() >= 1000) && ms.is_some())
                || (ns.is_some_and(|n| n.abs() >= 1000) && (ms.is_some() || us.is_some()))
            {
                return Err(bad("sub-second fields out of range"));
            }
            match (ms, us, ns) {
                (_, _, Some(n)) if n.abs() >= 1000 => n,
                (_, Some(u), n) if u.abs() >= 1000 => u * 1000 + n.unwrap_or(bns),
                _ => ms.unwrap_or(bms) * 1_000_000 + us.unwrap_or(bus) * 1000 + ns.unwrap_or(bns),
            }
        } else {
            b.nanosecond() as i64
        };
        let _ = any;
        let t = NaiveTime::from_hms_nano_opt(
            u32::try_from(h).unwrap_or(99),
            u32::try_from(mi).unwrap_or(99),
            u32::try_from(s).unwrap_or(99),
            u32::try_from(nanos).unwrap_or(2_000_000_000),
        )
        .filter(|_| nanos < 1_000_000_000)
        .ok_or_else(|| bad(format!("invalid time for {}()", kind.name())))?;
        Some(t)
    } else {
        None
    };
    let zone = p.zone.clone().unwrap_or(Zone::Offset(0));
    let (date, time) = match (&convert_from, date.or(p.date), time) {
        (Some(old_zone), Some(d), Some(t)) => {
            let local = d.and_time(t);
            let utc = local - CDur::seconds(old_zone.resolve(local).1 as i64);
            let l = utc + CDur::seconds(zone.offset_at_utc(utc) as i64);
            (date.map(|_| l.date()), Some(l.time()))
        }
        _ => (date, time),
    };
    Ok(match kind {
        Kind::Date => model_date(date.unwrap_or_default()),
        Kind::LocalTime => Operand::LocalTime(time.unwrap_or_default()),
        Kind::LocalDateTime => {
            Operand::LocalDateTime(date.unwrap_or_default().and_time(time.unwrap_or_default()))
        }
        Kind::Time => {
            let t = time.unwrap_or_default();
            let offset = match &zone {
                Zone::Offset(o) => *o,
                Zone::Named(_) => {
                    let day = p.date.unwrap_or_else(today);
                    zone.resolve(day.and_time(t)).1
                }
            };
            Operand::Time(Time { time: t, offset })
        }
        Kind::DateTime => {
            let (local, offset) =
                zone.resolve(date.unwrap_or_default().and_time(time.unwrap_or_default()));
            Operand::DateTime(ZonedDateTime {
                local,
                offset,
                zone: zone.name(),
            })
        }
    })
}

fn today() -> NaiveDate {
    now_utc().date()
}

/// The current UTC time.
pub fn now_utc() -> NaiveDateTime {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    chrono::DateTime::from_timestamp(d.as_secs() as i64, d.subsec_nanos())
        .unwrap_or_default()
        .naive_utc()
}

fn weekday(n: i64) -> TResult<Weekday> {
    Ok(match n {
        1 => Weekday::Mon,
        2 => Weekday::Tue,
        3 => Weekday::Wed,
        4 => Weekday::Thu,
        5 => Weekday::Fri,
        6 => Weekday::Sat,
        7 => Weekday::Sun,
        _ => return Err(bad(format!("invalid dayOfWeek {n}"))),
    })
}

fn day_of_quarter(d: NaiveDate) -> i64 {
    let start = NaiveDate::from_ymd_opt(d.year(), d.month0() / 3 * 3 + 1, 1).unwrap_or(d);
    (d - start).num_days() + 1
}

// ---------------------------------------------------------------- constructors

/// `date(...)`, `localtime(...)`, `time(...)`, `localdatetime(...)`, `datetime(...)`.
pub fn construct(kind: Kind, args: &[Operand], now: NaiveDateTime) -> TResult<Operand> {
    let Some(arg) = args.first() else {
        let p = Parts {
            date: Some(now.date()),
            time: Some(now.time()),
            zone: Some(Zone::Offset(0)),
            offset: Some(0),
        };
        return build(kind, p, &BTreeMap::new());
    };
    match arg {
        Operand::Null => Ok(Operand::Null),
        // The model's own partial dates (`'2022-02'`, `'2022'`) stay partial,
        // so that a Cypher export of the store reads back as it was written.
        Operand::Str(s) if kind == Kind::Date && partial_model_date(s).is_some() => {
            Ok(partial_model_date(s).map_or(Operand::Null, Operand::Date))
        }
        Operand::Str(s) => build(kind, parse_parts(kind, s)?, &BTreeMap::new()),
        Operand::Map(m) => {
            let mut p = Parts::default();
            // {epochSeconds: s} or {epochMillis: ms}: an instant, in UTC unless a timezone is given.
            let epoch = match (m.get("epochSeconds"), m.get("epochMillis")) {
                (Some(Operand::Int(s)), _) => Some((*s, 0)),
                (_, Some(Operand::Int(ms))) => {
                    Some((ms.div_euclid(1000), ms.rem_euclid(1000) * 1_000_000))
                }
                (Some(Operand::Float(x)), _) => {
                    Some((x.floor() as i64, ((x - x.floor()) * 1e9).round() as i64))
                }
                _ => None,
            };
            if let Some((secs, nanos)) = epoch {
                if let Operand::DateTime(z) = from_epoch(secs, nanos)? {
                    p = Parts {
                        date: Some(z.local.date()),
                        time: Some(z.local.time()),
                        zone: Some(Zone::Offset(0)),
                        offset: Some(0),
                    };
                }
            }
            if let Some(v) = m.get("datetime").filter(|v| !v.is_null()) {
                p = parts_of(v).ok_or_else(|| bad("datetime must be a temporal value"))?;
            }
            if let Some(v) = m.get("date").filter(|v| !v.is_null()) {
                let q = parts_of(v).ok_or_else(|| bad("date must be a temporal value"))?;
                p.date = q.date;
                if p.time.is_none() && !m.contains_key("time") && q.time.is_some() {
                    // date: of a date-time keeps only the date.
                }
            }
            if let Some(v) = m.get("time").filter(|v| !v.is_null()) {
                let q = parts_of(v).ok_or_else(|| bad("time must be a temporal value"))?;
                p.time = q.time;
                p.zone = q.zone;
                p.offset = q.offset;
            }
            if p.date.is_some() && p.zone.is_some() && p.time.is_some() {
                // The offset of a named zone is the one in force then.
                if let Some(Zone::Named(_)) = &p.zone {
                    let local = p
                        .date
                        .unwrap_or_default()
                        .and_time(p.time.unwrap_or_default());
                    p.offset = p.zone.as_ref().map(|z| z.resolve(local).1);
                }
            }
            build(kind, p, m)
        }
        v => match parts_of(v) {
            Some(p)
                if (!kind.has_date() || p.date.is_some())
                    && (kind.has_date() || p.time.is_some()) =>
            {
                build(kind, p, &BTreeMap::new())
            }
            _ => Err(TemporalError::type_error(format!(
                "{}() cannot convert {}",
                kind.name(),
                v.type_name()
            ))),
        },
    }
}

fn partial_model_date(s: &str) -> Option<Date> {
    Date::parse(s).ok().filter(|d| d.day.is_none())
}

fn parse_parts(kind: Kind, s: &str) -> TResult<Parts> {
    let err = || bad(format!("invalid {} {s:?}", kind.name()));
    let (date_text, time_text) = if kind.has_date() {
        match s.split_once('T') {
            Some((d, t)) => (Some(d), Some(t)),
            None => (Some(s), None),
        }
    } else {
        (None, Some(s))
    };
    let mut p = Parts::default();
    if let Some(d) = date_text {
        p.date = Some(parse_date(d).ok_or_else(err)?);
    }
    if let Some(t) = time_text {
        let (t, zone) = parse_time(t).ok_or_else(err)?;
        p.time = Some(t);
        if let Some(z) = zone {
            p.offset = Some(match &z {
                Zone::Offset(o) => *o,
                Zone::Named(_) => z.resolve(p.date.unwrap_or_else(today).and_time(t)).1,
            });
            p.zone = Some(z);
        }
    }
    Ok(p)
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r"^([+-]?\d{4})(?:-?W(\d{2})(?:-?(\d))?|-?(\d{3})|-?(\d{2})(?:-?(\d{2}))?|-?Q(\d)(?:-?(\d{2}))?)?$",
        )
        .expect("regex")
    });
    let c = re.captures(s)?;
    let n = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<i64>().ok());
    let y = n(1)? as i32;
    if let Some(w) = n(2) {
        return NaiveDate::from_isoywd_opt(y, w as u32, weekday(n(3).unwrap_or(1)).ok()?);
    }
    if let Some(o) = n(4) {
        return NaiveDate::from_yo_opt(y, o as u32);
    }
    if let Some(q) = n(7) {
        let start = NaiveDate::from_ymd_opt(y, (q as u32).checked_sub(1)? * 3 + 1, 1)?;
        return start.checked_add_signed(CDur::days(n(8).unwrap_or(1) - 1));
    }
    NaiveDate::from_ymd_opt(y, n(5).unwrap_or(1) as u32, n(6).unwrap_or(1) as u32)
}

fn parse_time(s: &str) -> Option<(NaiveTime, Option<Zone>)> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r"^(\d{2})(?::?(\d{2})(?::?(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)?(?:\[([^\]]+)\])?$",
        )
        .expect("regex")
    });
    let c = re.captures(s)?;
    let n = |i: usize| c.get(i).map_or(Some(0), |m| m.as_str().parse::<u32>().ok());
    let frac = c.get(4).map_or(0, |m| {
        let f = format!("{:0<9}", m.as_str());
        f.parse::<u32>().unwrap_or(0)
    });
    let t = NaiveTime::from_hms_nano_opt(n(1)?, n(2)?, n(3)?, frac)?;
    let zone = match (c.get(6), c.get(5)) {
        (Some(name), _) => Some(Zone::Named(Tz::from_str(name.as_str()).ok()?)),
        (None, Some(off)) => Some(Zone::Offset(parse_offset(off.as_str())?)),
        (None, None) => None,
    };
    Some((t, zone))
}

/// `datetime.fromepoch(seconds, nanos)` and `datetime.fromepochmillis(millis)`.
pub fn from_epoch(secs: i64, nanos: i64) -> TResult<Operand> {
    let total = secs as i128 * NANOS + nanos as i128;
    let dt = chrono::DateTime::from_timestamp(
        total.div_euclid(NANOS) as i64,
        total.rem_euclid(NANOS) as u32,
    )
    .ok_or_else(|| bad("epoch out of range"))?;
    Ok(Operand::DateTime(ZonedDateTime {
        local: dt.naive_utc(),
        offset: 0,
        zone: None,
    }))
}

// ---------------------------------------------------------------- durations

fn dur_from_nanos(months: i64, days: i64, nanos: i128) -> Duration {
    Duration {
        months,
        days,
        secs: nanos.div_euclid(NANOS) as i64,
        nanos: nanos.rem_euclid(NANOS) as i32,
    }
}

impl Duration {
    fn total_nanos(&self) -> i128 {
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

fn dur_neg(d: &Duration) -> Duration {
    dur_from_nanos(-d.months, -d.days, -d.total_nanos())
}

fn dur_add(a: &Duration, b: &Duration) -> TResult<Duration> {
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

fn dur_scale(d: &Duration, f: f64) -> Duration {
    dur_from_fractions(
        d.months as f64 * f,
        d.days as f64 * f,
        d.total_nanos() as f64 * f,
    )
}

fn dur_scale_int(d: &Duration, f: i64) -> TResult<Duration> {
    let ov = || TemporalError::runtime("Runtime.Overflow", "duration overflow");
    Ok(dur_from_nanos(
        d.months.checked_mul(f).ok_or_else(ov)?,
        d.days.checked_mul(f).ok_or_else(ov)?,
        d.total_nanos().checked_mul(f as i128).ok_or_else(ov)?,
    ))
}

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

// ---------------------------------------------------------------- truncate

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
