//! Expression evaluation with Cypher's null semantics and the function library.
//!
//! This module holds what evaluation runs in ([`Ctx`], [`Env`], the work
//! counters) and the names of the functions and aggregates; [`expr`] evaluates
//! an expression, [`operators`] applies the binary operators and [`functions`]
//! is the scalar function library. The aggregates themselves are computed in
//! `project`.

mod expr;
mod functions;
mod operators;

use std::cell::Cell;
use std::collections::BTreeMap;

use factgraph_store::Graph;

use super::error::{QResult, QueryError};
use super::temporal;
use super::value::Val;

pub use expr::{eval, holds};

/// Counters that show how much work a query did (for PROFILE and tests).
#[derive(Debug, Default)]
pub struct WorkCounters {
    /// Nodes read by label scans and all-node scans.
    pub nodes_scanned: Cell<u64>,
    /// Property-index lookups.
    pub index_lookups: Cell<u64>,
    /// Relationships followed during expansion.
    pub rels_expanded: Cell<u64>,
    /// The statement's clock: `datetime()` and friends read it, so every
    /// call in one statement sees the same instant.
    pub clock: Cell<Option<chrono::NaiveDateTime>>,
    /// The statement's row and time limits and its cancellation flag.
    pub guard: super::limits::Guard,
}

impl WorkCounters {
    /// The statement's current UTC time, fixed at the first reading.
    pub fn now(&self) -> chrono::NaiveDateTime {
        match self.clock.get() {
            Some(t) => t,
            None => {
                let t = temporal::now_utc();
                self.clock.set(Some(t));
                t
            }
        }
    }
}

impl WorkCounters {
    pub(crate) fn add(cell: &Cell<u64>, n: u64) {
        cell.set(cell.get() + n);
    }
}

/// What evaluation reads: the graph, the parameters, the work counters.
pub struct Ctx<'g> {
    /// The graph.
    pub graph: &'g Graph,
    /// Query parameters.
    pub params: &'g BTreeMap<String, Val>,
    /// Work done so far.
    pub work: &'g WorkCounters,
}

/// Variables in scope and their values for one row.
#[derive(Clone, Copy)]
pub struct Env<'a> {
    /// Variable names.
    pub names: &'a [String],
    /// Values, aligned with `names`.
    pub row: &'a [Val],
    /// Values of the aggregates of the projection being computed.
    pub aggs: &'a [Val],
}

impl<'a> Env<'a> {
    /// An environment without aggregates.
    pub fn new(names: &'a [String], row: &'a [Val]) -> Env<'a> {
        Env {
            names,
            row,
            aggs: &[],
        }
    }

    /// The value of a variable.
    pub fn get(&self, name: &str) -> Option<&'a Val> {
        self.names
            .iter()
            .rposition(|n| n == name)
            .and_then(|i| self.row.get(i))
    }
}

/// Names of the aggregate functions.
pub const AGGREGATES: &[&str] = &[
    "count",
    "collect",
    "sum",
    "avg",
    "min",
    "max",
    "stdev",
    "stdevp",
    "percentiledisc",
    "percentilecont",
];

/// Every scalar function, for checks and completion.
pub const FUNCTIONS: &[&str] = &[
    "abs",
    "localtime",
    "time",
    "localdatetime",
    "datetime",
    "duration",
    "date.truncate",
    "localtime.truncate",
    "time.truncate",
    "localdatetime.truncate",
    "datetime.truncate",
    "datetime.fromepoch",
    "datetime.fromepochmillis",
    "duration.between",
    "duration.inmonths",
    "duration.indays",
    "duration.inseconds",
    "date.statement",
    "date.transaction",
    "date.realtime",
    "localtime.statement",
    "localtime.transaction",
    "localtime.realtime",
    "time.statement",
    "time.transaction",
    "time.realtime",
    "localdatetime.statement",
    "localdatetime.transaction",
    "localdatetime.realtime",
    "datetime.statement",
    "datetime.transaction",
    "datetime.realtime",
    "ceil",
    "coalesce",
    "date",
    "endnode",
    "exists",
    "floor",
    "head",
    "id",
    "elementid",
    "keys",
    "labels",
    "last",
    "left",
    "length",
    "tolower",
    "lower",
    "ltrim",
    "nodes",
    "properties",
    "provenance",
    "range",
    "relationships",
    "replace",
    "reverse",
    "right",
    "round",
    "rtrim",
    "sign",
    "size",
    "split",
    "sqrt",
    "startnode",
    "substring",
    "tail",
    "toboolean",
    "tofloat",
    "tointeger",
    "tostring",
    "toupper",
    "upper",
    "trim",
    "type",
    "isempty",
    "e",
    "pi",
    "rand",
    "log",
    "log10",
    "exp",
    "sin",
    "cos",
    "tan",
    "atan",
    "asin",
    "acos",
    "degrees",
    "radians",
    "tostringornull",
    "tointegerornull",
    "tofloatornull",
    "tobooleanornull",
];

fn truth(v: &Val) -> QResult<Option<bool>> {
    match v {
        Val::Null => Ok(None),
        Val::Bool(b) => Ok(Some(*b)),
        other => Err(QueryError::type_error(format!(
            "expected a boolean, got {} {}",
            other.type_name(),
            short(other)
        ))),
    }
}

fn short(v: &Val) -> String {
    match v {
        Val::Str(s) => format!("'{s}'"),
        Val::Int(i) => i.to_string(),
        Val::Float(x) => x.to_string(),
        Val::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

/// A value's type with the value itself when it is short: `STRING 'a'`, `LIST`.
fn typed(v: &Val) -> String {
    match short(v) {
        s if s.is_empty() => v.type_name().to_string(),
        s => format!("{} {s}", v.type_name()),
    }
}

fn from_truth(b: Option<bool>) -> Val {
    b.map_or(Val::Null, Val::Bool)
}

/// How a function is conventionally written (`toLower`), from its
/// lower-cased name (`tolower`); function names are case-insensitive.
pub fn function_name(lower: &str) -> &str {
    const CAMEL: &[&str] = &[
        "datetime.fromEpoch",
        "datetime.fromEpochMillis",
        "duration.inMonths",
        "duration.inDays",
        "duration.inSeconds",
        "elementId",
        "endNode",
        "isEmpty",
        "startNode",
        "stDev",
        "stDevP",
        "percentileDisc",
        "percentileCont",
        "toBoolean",
        "toBooleanOrNull",
        "toFloat",
        "toFloatOrNull",
        "toInteger",
        "toIntegerOrNull",
        "toLower",
        "toString",
        "toStringOrNull",
        "toUpper",
    ];
    CAMEL
        .iter()
        .find(|c| c.eq_ignore_ascii_case(lower))
        .copied()
        .unwrap_or(lower)
}
