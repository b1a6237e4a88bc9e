//! Temporal values as ISO text.

use std::fmt::Write;

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};

use super::{Duration, Operand, NANOS};

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
pub(super) fn offset_text(off: i32) -> String {
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
