//! Building temporal values: zones and offsets, the components of a value,
//! the constructor functions over component maps and ISO text, and epochs.

use std::collections::BTreeMap;
use std::str::FromStr;
use std::sync::OnceLock;

use chrono::{
    Datelike, Duration as CDur, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Timelike,
    Weekday,
};
use chrono_tz::Tz;
use regex::Regex;

use crate::Date;

use super::{bad, Operand, TResult, TemporalError, Time, ZonedDateTime, NANOS};

/// A zone: a fixed offset or a named IANA zone.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Zone {
    Offset(i32),
    Named(Tz),
}

impl Zone {
    pub(super) fn parse(text: &str) -> TResult<Zone> {
        if let Some(off) = parse_offset(text) {
            return Ok(Zone::Offset(off));
        }
        Tz::from_str(text)
            .map(Zone::Named)
            .map_err(|_| bad(format!("unknown time zone {text:?}")))
    }

    /// The offset in force at a local date-time, and the local time
    /// (moved forward out of a gap).
    pub(super) fn resolve(&self, local: NaiveDateTime) -> (NaiveDateTime, i32) {
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
    pub(super) fn offset_at_utc(&self, utc: NaiveDateTime) -> i32 {
        match self {
            Zone::Offset(o) => *o,
            Zone::Named(tz) => tz.from_utc_datetime(&utc).offset().fix().local_minus_utc(),
        }
    }

    pub(super) fn name(&self) -> Option<String> {
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
pub(super) struct Parts {
    pub(super) date: Option<NaiveDate>,
    pub(super) time: Option<NaiveTime>,
    pub(super) zone: Option<Zone>,
    /// The offset actually in force (for a named zone, at this date-time).
    pub(super) offset: Option<i32>,
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

pub(super) fn parts_of(v: &Operand) -> Option<Parts> {
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
    pub(super) fn has_date(self) -> bool {
        matches!(self, Kind::Date | Kind::LocalDateTime | Kind::DateTime)
    }
    pub(super) fn has_time(self) -> bool {
        !matches!(self, Kind::Date)
    }
    pub(super) fn name(self) -> &'static str {
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
pub(super) fn build(kind: Kind, mut p: Parts, map: &BTreeMap<String, Operand>) -> TResult<Operand> {
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

pub(super) fn today() -> NaiveDate {
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

pub(super) fn weekday(n: i64) -> TResult<Weekday> {
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

pub(super) fn day_of_quarter(d: NaiveDate) -> i64 {
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
