//! Exact-match index keys.
//!
//! A property index maps a value to the nodes that carry it. Floats are not
//! `Eq`, so values are turned into [`IndexKey`]s where numbers that compare
//! equal in Cypher (`1 = 1.0`) share one key and NaN has none (it equals nothing).

use crate::model::{Date, Temporal, Value};

/// A hashable, totally comparable form of an indexable [`Value`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IndexKey {
    /// A boolean.
    Bool(bool),
    /// An integer, or a float with an exact integer value.
    Int(i64),
    /// Any other float, by its bits (never NaN).
    Float(u64),
    /// Text.
    String(String),
    /// A date.
    Date(Date),
    /// A list of keys.
    List(Vec<IndexKey>),
    /// A time, date-time or duration by its canonical fields (equal exactly
    /// when Cypher's `=` holds; appended last so existing keys keep their order).
    Temporal(Temporal),
}

impl IndexKey {
    /// The key for `value`, or `None` when the value can equal nothing (null, NaN).
    pub fn of(value: &Value) -> Option<IndexKey> {
        Some(match value {
            Value::Null => return None,
            Value::Bool(b) => IndexKey::Bool(*b),
            Value::Int(i) => IndexKey::Int(*i),
            Value::Float(x) if x.is_nan() => return None,
            Value::Float(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => IndexKey::Int(*x as i64),
            // -0.0 and 0.0 are equal and both handled by the integer arm.
            Value::Float(x) => IndexKey::Float(x.to_bits()),
            Value::String(s) => IndexKey::String(s.clone()),
            Value::Date(d) => IndexKey::Date(*d),
            Value::Temporal(t) => IndexKey::Temporal(t.clone()),
            Value::List(items) => {
                IndexKey::List(items.iter().map(IndexKey::of).collect::<Option<Vec<_>>>()?)
            }
        })
    }
}
