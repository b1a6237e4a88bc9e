//! Limits on what one statement may cost: rows held at once, wall time, and a
//! cancellation flag (Ctrl-C in the shell). Pattern matching and the clause
//! loops call [`Guard::tick`] and [`Guard::rows`] as they go, so a statement
//! that would run for hours or fill memory stops with a typed error instead,
//! and its changes are rolled back like those of any failed statement.

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::error::{QResult, QueryError};

/// Rows a statement may hold in one intermediate table or pattern buffer
/// unless told otherwise. A row of a few values takes around 100 bytes, so
/// this bounds a runaway cartesian product or `*` expansion near a gigabyte.
pub const DEFAULT_MAX_ROWS: u64 = 10_000_000;

/// Values one intermediate result may hold per allowed row. Rows of
/// variable-length matches carry whole lists of relationships, so the row
/// count alone would let a `*` expansion over a dense graph hold paths of
/// thousands of edges each; counting the values bounds the memory instead.
pub const VALUES_PER_ROW: u64 = 4;

/// What one statement may cost. The default has [`DEFAULT_MAX_ROWS`], no
/// time limit and no cancellation flag.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Most rows one intermediate result may hold; `None` for no limit.
    pub max_rows: Option<u64>,
    /// Longest a statement may run; `None` for no limit.
    pub timeout: Option<Duration>,
    /// Set (by a signal handler, another thread...) to stop the statement.
    pub cancel: Option<Arc<AtomicBool>>,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_rows: Some(DEFAULT_MAX_ROWS),
            timeout: None,
            cancel: None,
        }
    }
}

impl Limits {
    /// No row limit, no time limit, no cancellation.
    pub fn unlimited() -> Limits {
        Limits {
            max_rows: None,
            timeout: None,
            cancel: None,
        }
    }
}

/// How many ticks pass between looks at the clock and the flag: reading
/// them is cheap but not free, and a few thousand steps take microseconds.
const TICKS_PER_CHECK: u32 = 1024;

/// The limits of one running statement, as the executor checks them.
#[derive(Debug)]
pub struct Guard {
    max_rows: Option<u64>,
    deadline: Option<Instant>,
    timeout: Option<Duration>,
    cancel: Option<Arc<AtomicBool>>,
    ticks: Cell<u32>,
}

impl Default for Guard {
    fn default() -> Guard {
        Guard::new(&Limits::default())
    }
}

impl Guard {
    /// Starts the clock for a statement under `limits`.
    pub fn new(limits: &Limits) -> Guard {
        Guard {
            max_rows: limits.max_rows,
            deadline: limits.timeout.map(|t| Instant::now() + t),
            timeout: limits.timeout,
            cancel: limits.cancel.clone(),
            ticks: Cell::new(0),
        }
    }

    /// One step of work: every [`TICKS_PER_CHECK`] steps, fails if the
    /// statement was cancelled or ran out of time.
    pub fn tick(&self) -> QResult<()> {
        let t = self.ticks.get().wrapping_add(1);
        self.ticks.set(t);
        if t.is_multiple_of(TICKS_PER_CHECK) {
            self.check_now()?;
        }
        Ok(())
    }

    /// Fails at once if the statement was cancelled or ran out of time.
    pub fn check_now(&self) -> QResult<()> {
        if self
            .cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::Relaxed))
        {
            return Err(QueryError::runtime(
                "Runtime.Cancelled",
                "query cancelled; nothing was changed",
            ));
        }
        if let (Some(deadline), Some(timeout)) = (self.deadline, self.timeout) {
            if Instant::now() >= deadline {
                return Err(QueryError::runtime(
                    "Runtime.Timeout",
                    format!(
                        "query stopped after the time limit of {}; nothing was changed (raise it with --timeout or :set timeout)",
                        describe_duration(timeout)
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Fails if a result being built has grown past the row limit; also a tick.
    pub fn rows(&self, held: usize) -> QResult<()> {
        self.hold(held, 0)
    }

    /// Fails if a result being built holds more than the row limit in rows,
    /// or more than [`VALUES_PER_ROW`] times it in values; also a tick.
    pub fn hold(&self, rows: usize, values: usize) -> QResult<()> {
        if let Some(max) = self.max_rows {
            if rows as u64 > max || values as u64 > max.saturating_mul(VALUES_PER_ROW) {
                return Err(QueryError::runtime(
                    "Runtime.RowLimit",
                    format!(
                        "query stopped: an intermediate result grew past {max} rows or {} values; nothing was changed (add LIMIT or a more selective pattern, or raise the limit with --max-rows or :set max-rows)",
                        max.saturating_mul(VALUES_PER_ROW)
                    ),
                ));
            }
        }
        self.tick()
    }
}

/// What a row costs in values: one per value, plus the elements of lists
/// and paths (the relationships of a variable-length match).
pub fn row_weight(row: &[super::value::Val]) -> usize {
    use super::value::Val;
    row.iter()
        .map(|v| match v {
            Val::List(items) => 1 + items.len(),
            Val::Path(p) => 1 + p.nodes.len() + p.rels.len(),
            _ => 1,
        })
        .sum()
}

/// `90s` as `90 s`, `1.5s` as `1.5 s`.
fn describe_duration(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs.fract() == 0.0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{secs} s")
    }
}

/// Reads a time limit as written on a command line or in `:set timeout`:
/// seconds (`30`, `2.5`), or `0`/`none`/`off` for no limit.
pub fn parse_timeout(text: &str) -> Result<Option<Duration>, String> {
    let t = text.trim().trim_end_matches('s').trim();
    if matches!(t, "0" | "none" | "off") {
        return Ok(None);
    }
    match t.parse::<f64>() {
        Ok(secs) if secs.is_finite() && secs > 0.0 && secs < 1e9 => {
            Ok(Some(Duration::from_secs_f64(secs)))
        }
        _ => Err(format!(
            "{text:?} is not a time limit: give seconds such as 30 or 2.5, or 0 for none"
        )),
    }
}

/// Reads a row limit as written on a command line or in `:set max-rows`:
/// a positive count, or `0`/`none`/`off` for no limit.
pub fn parse_max_rows(text: &str) -> Result<Option<u64>, String> {
    let t = text.trim().replace('_', "");
    if matches!(t.as_str(), "0" | "none" | "off") {
        return Ok(None);
    }
    match t.parse::<u64>() {
        Ok(n) => Ok(Some(n)),
        Err(_) => Err(format!(
            "{text:?} is not a row limit: give a count such as 1000000, or 0 for none"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_parse_from_their_command_line_forms() {
        assert_eq!(parse_timeout("30"), Ok(Some(Duration::from_secs(30))));
        assert_eq!(parse_timeout("2.5s"), Ok(Some(Duration::from_millis(2500))));
        assert_eq!(parse_timeout("off"), Ok(None));
        assert!(parse_timeout("-1").is_err());
        assert!(parse_timeout("soon").is_err());
        assert_eq!(parse_max_rows("1_000"), Ok(Some(1000)));
        assert_eq!(parse_max_rows("0"), Ok(None));
        assert!(parse_max_rows("many").is_err());
    }

    #[test]
    fn a_set_flag_cancels_at_the_next_check() {
        let flag = Arc::new(AtomicBool::new(false));
        let guard = Guard::new(&Limits {
            cancel: Some(flag.clone()),
            ..Limits::unlimited()
        });
        assert!(guard.check_now().is_ok());
        flag.store(true, Ordering::Relaxed);
        let err = (0..TICKS_PER_CHECK)
            .map(|_| guard.tick())
            .find_map(Result::err)
            .map(|e| e.code());
        assert_eq!(err, Some("Runtime.Cancelled"));
    }

    #[test]
    fn the_row_limit_allows_exactly_max_rows() {
        let guard = Guard::new(&Limits {
            max_rows: Some(5),
            ..Limits::unlimited()
        });
        assert!(guard.rows(5).is_ok());
        assert_eq!(guard.rows(6).map_err(|e| e.code()), Err("Runtime.RowLimit"));
        assert!(guard.hold(1, 5 * VALUES_PER_ROW as usize).is_ok());
        assert_eq!(
            guard
                .hold(1, 5 * VALUES_PER_ROW as usize + 1)
                .map_err(|e| e.code()),
            Err("Runtime.RowLimit")
        );
    }
}
