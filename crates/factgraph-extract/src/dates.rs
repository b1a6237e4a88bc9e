//! Dates in text: "February 2022", "Feb. 24, 2022", "in November", "since
//! 2019", "next month", and day names ("Tuesday") resolved against the
//! document date: the most recent such day on or before it, or the next one
//! after it when the clause speaks of the future ("will meet ... on Tuesday").
//! Without a document date, only dates that carry their year are read.

use factgraph_model::Date;

use super::doc::Doc;
use super::lexicon::{MONTHS, WEEKDAYS};
use super::tokens::{Kind, Token};

const MONTH_ABBREVIATIONS: &[&str] = &[
    "jan.", "feb.", "mar.", "apr.", "may", "jun.", "jul.", "aug.", "sep.", "oct.", "nov.", "dec.",
];

fn month_of(t: &Token) -> Option<u8> {
    if !t.is_capitalised() {
        return None;
    }
    let l = t.lower.as_str();
    MONTHS
        .iter()
        .position(|m| *m == l)
        .or_else(|| MONTH_ABBREVIATIONS.iter().position(|m| *m == l))
        .or_else(|| (l == "sept.").then_some(8))
        .map(|m| m as u8 + 1)
}

fn year_of(t: &Token) -> Option<i32> {
    if t.kind != Kind::Number || t.text.len() != 4 {
        return None;
    }
    t.text.parse().ok().filter(|y| (1800..=2100).contains(y))
}

fn day_of(t: &Token) -> Option<u8> {
    if t.kind != Kind::Number || t.text.len() > 2 {
        return None;
    }
    t.text.parse().ok().filter(|d| (1..=31).contains(d))
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub fn days_from_civil(y: i32, m: u8, d: u8) -> i64 {
    let y = if m <= 2 { y - 1 } else { y } as i64;
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// The date `days` after 1970-01-01.
pub fn civil_from_days(z: i64) -> Date {
    let z = z + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let y = if m <= 2 { y + 1 } else { y } as i32;
    Date::ymd(y, m, d).expect("civil_from_days yields valid dates")
}

/// Monday = 0.
pub fn weekday(days: i64) -> i64 {
    (days + 3).rem_euclid(7)
}

/// Resolves day name `wd` (Monday = 0) against `doc_date`, forward if `future`.
pub fn resolve_weekday(doc_date: Date, wd: i64, future: bool) -> Option<Date> {
    let (m, d) = (doc_date.month?, doc_date.day?);
    let today = days_from_civil(doc_date.year, m, d);
    let delta = (wd - weekday(today)).rem_euclid(7);
    let days = if future {
        today + if delta == 0 { 7 } else { delta }
    } else {
        today - (7 - delta) % 7
    };
    Some(civil_from_days(days))
}

fn clause_is_future(toks: &[Token], i: usize) -> bool {
    toks[..i]
        .iter()
        .rev()
        .take_while(|t| !matches!(t.text.as_str(), "." | ";"))
        .take(12)
        .any(|t| matches!(t.lower.as_str(), "will" | "'ll" | "next" | "shall" | "due"))
}

/// Whether the clause before token `i` is plainly in the past ("was", "had", a verb in -ed).
fn past_clause(toks: &[Token], i: usize) -> bool {
    toks[..i]
        .iter()
        .rev()
        .take_while(|t| !matches!(t.text.as_str(), "." | ";" | ","))
        .take(8)
        .any(|t| matches!(t.lower.as_str(), "was" | "were" | "had" | "did"))
}

/// A date starting at token `i`: the date and how many tokens it takes.
pub fn date_at(doc: &Doc, toks: &[Token], i: usize) -> Option<(Date, usize)> {
    let t = &toks[i];
    let doc_date = doc.date;
    if let Some(m) = month_of(t) {
        // "May" is also a verb; read it only before a day or a year.
        let may = t.lower == "may";
        match (toks.get(i + 1), toks.get(i + 2), toks.get(i + 3)) {
            (Some(d), Some(c), Some(y))
                if day_of(d).is_some() && c.text == "," && year_of(y).is_some() =>
            {
                return Date::ymd(year_of(y)?, m, day_of(d)?).map(|x| (x, 4));
            }
            (Some(y), _, _) if year_of(y).is_some() => {
                return Date::ym(year_of(y)?, m).map(|x| (x, 2))
            }
            (Some(d), _, _) if day_of(d).is_some() => {
                return Date::ymd(doc_date?.year, m, day_of(d)?).map(|x| (x, 2));
            }
            _ if !may => {
                // A month alone is the nearest one in the clause's direction:
                // "will be held in January" after May is next January,
                // "was suspended in November" before March is last November.
                let dd = doc_date?;
                let year = match dd.month {
                    Some(now) if clause_is_future(toks, i) && m < now => dd.year + 1,
                    Some(now) if !clause_is_future(toks, i) && m > now && past_clause(toks, i) => {
                        dd.year - 1
                    }
                    _ => dd.year,
                };
                return Date::ym(year, m).map(|x| (x, 1));
            }
            _ => return None,
        }
    }
    if let (Some(d), Some(next)) = (day_of(t), toks.get(i + 1)) {
        if let Some(m) = month_of(next) {
            if let Some(y) = toks.get(i + 2).and_then(year_of) {
                return Date::ymd(y, m, d).map(|x| (x, 3));
            }
        }
    }
    if let Some(wd) = WEEKDAYS.iter().position(|w| *w == t.lower) {
        if !t.is_capitalised() {
            return None;
        }
        return resolve_weekday(doc_date?, wd as i64, clause_is_future(toks, i)).map(|x| (x, 1));
    }
    if let Some(y) = year_of(t) {
        let before = i
            .checked_sub(1)
            .map(|k| toks[k].lower.as_str())
            .unwrap_or("");
        let unit_after = toks
            .get(i + 1)
            .is_some_and(|n| n.kind == Kind::Word && !n.is_capitalised() && n.lower != "and");
        if matches!(
            before,
            "in" | "since" | "of" | "by" | "until" | "from" | "before" | "after" | "early" | "late"
        ) && !unit_after
        {
            return Some((
                Date {
                    year: y,
                    month: None,
                    day: None,
                },
                1,
            ));
        }
    }
    if let Some(step) = match t.lower.as_str() {
        "yesterday" => Some(-1),
        "today" => Some(0),
        "tomorrow" => Some(1),
        _ => None,
    } {
        let dd = doc_date?;
        let today = days_from_civil(dd.year, dd.month?, dd.day?);
        return Some((civil_from_days(today + step), 1));
    }
    if matches!(t.lower.as_str(), "next" | "last") {
        let dd = doc_date?;
        let step: i32 = if t.lower == "next" { 1 } else { -1 };
        match toks.get(i + 1).map(|n| n.lower.as_str()) {
            Some("month") => {
                let m = dd.month? as i32 - 1 + step;
                return Date::ym(dd.year + m.div_euclid(12), (m.rem_euclid(12) + 1) as u8)
                    .map(|x| (x, 2));
            }
            Some("year") => {
                return Some((
                    Date {
                        year: dd.year + step,
                        month: None,
                        day: None,
                    },
                    2,
                ))
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekdays_resolve_back_or_forward() {
        // 2025-09-26 is a Friday.
        let doc = Date::ymd(2025, 9, 26).unwrap();
        assert_eq!(resolve_weekday(doc, 3, false), Date::ymd(2025, 9, 25)); // Thursday
        assert_eq!(resolve_weekday(doc, 4, false), Date::ymd(2025, 9, 26)); // Friday: today
        assert_eq!(resolve_weekday(doc, 1, true), Date::ymd(2025, 9, 30)); // next Tuesday
        assert_eq!(resolve_weekday(Date::ym(2025, 11).unwrap(), 1, false), None);
        assert_eq!(
            civil_from_days(days_from_civil(2025, 3, 1) - 1),
            Date::ymd(2025, 2, 28).unwrap()
        );
        assert_eq!(
            civil_from_days(days_from_civil(2024, 2, 29)),
            Date::ymd(2024, 2, 29).unwrap()
        );
    }
}
