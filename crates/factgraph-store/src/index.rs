//! Exact-match index keys.
//!
//! A property index maps a value to the nodes that carry it. Floats are not
//! `Eq`, so values are turned into [`IndexKey`]s where numbers that compare
//! equal in Cypher (`1 = 1.0`) share one key and NaN has none (it equals nothing).

use std::collections::BTreeSet;

use super::graph::NodeId;
use factgraph_model::{Date, Temporal, Value};

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

/// A 64-bit digest of a value's [`IndexKey`], computed without building the
/// key: values with equal keys have equal digests. The property index is
/// keyed by digests so that it holds no copy of the indexed text; a lookup
/// checks its candidates against their values, so a collision costs time,
/// never a wrong answer. `None` where [`IndexKey::of`] is `None`.
pub(crate) fn digest(value: &Value) -> Option<u64> {
    use std::hash::{Hash, Hasher};
    fn feed(value: &Value, h: &mut std::hash::DefaultHasher) -> Option<()> {
        match value {
            Value::Null => return None,
            Value::Bool(b) => (0u8, *b).hash(h),
            Value::Int(i) => (1u8, *i).hash(h),
            Value::Float(x) if x.is_nan() => return None,
            Value::Float(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => (1u8, *x as i64).hash(h),
            Value::Float(x) => (2u8, x.to_bits()).hash(h),
            Value::String(s) => (3u8, s.as_str()).hash(h),
            Value::Date(d) => (4u8, d).hash(h),
            Value::Temporal(t) => (5u8, t).hash(h),
            Value::List(items) => {
                (6u8, items.len()).hash(h);
                for item in items {
                    feed(item, h)?;
                }
            }
        }
        Some(())
    }
    let mut h = std::hash::DefaultHasher::new();
    feed(value, &mut h)?;
    Some(h.finish())
}

/// The nodes under one index entry. Most indexed values (names, keys)
/// belong to a single node, and that case allocates nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum IdSet {
    One(NodeId),
    Many(BTreeSet<NodeId>),
}

impl IdSet {
    pub(crate) fn insert(&mut self, id: NodeId) {
        match self {
            IdSet::One(existing) if *existing == id => {}
            IdSet::One(existing) => *self = IdSet::Many(BTreeSet::from([*existing, id])),
            IdSet::Many(set) => {
                set.insert(id);
            }
        }
    }

    /// Removes `id`; returns whether the set is now empty.
    pub(crate) fn remove(&mut self, id: NodeId) -> bool {
        match self {
            IdSet::One(existing) => *existing == id,
            IdSet::Many(set) => {
                set.remove(&id);
                if set.len() == 1 {
                    if let Some(&last) = set.iter().next() {
                        *self = IdSet::One(last);
                    }
                }
                false
            }
        }
    }

    /// The ids, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = NodeId> + '_ {
        let (one, many) = match self {
            IdSet::One(id) => (Some(*id), None),
            IdSet::Many(set) => (None, Some(set.iter().copied())),
        };
        one.into_iter().chain(many.into_iter().flatten())
    }

    pub(crate) fn len(&self) -> usize {
        match self {
            IdSet::One(_) => 1,
            IdSet::Many(set) => set.len(),
        }
    }
}

#[cfg(test)]
mod digest_tests {
    use super::*;

    #[test]
    fn equal_keys_have_equal_digests() {
        let same = [
            (Value::Int(1), Value::Float(1.0)),
            (Value::Float(-0.0), Value::Int(0)),
            (
                Value::List(vec![Value::Int(2), Value::String("a".into())]),
                Value::List(vec![Value::Float(2.0), Value::String("a".into())]),
            ),
        ];
        for (a, b) in same {
            assert_eq!(IndexKey::of(&a), IndexKey::of(&b));
            assert_eq!(digest(&a), digest(&b), "{a:?} vs {b:?}");
        }
        let different = [
            (Value::Int(1), Value::String("1".into())),
            (Value::Float(1.5), Value::Int(1)),
            (Value::Bool(true), Value::Int(1)),
            (
                Value::List(vec![Value::String("ab".into())]),
                Value::List(vec![Value::String("a".into()), Value::String("b".into())]),
            ),
        ];
        for (a, b) in different {
            assert_ne!(digest(&a), digest(&b), "{a:?} vs {b:?}");
        }
        assert_eq!(digest(&Value::Float(f64::NAN)), None);
        assert_eq!(digest(&Value::List(vec![Value::Null])), None);
    }

    #[test]
    fn id_sets_shrink_back_to_one() {
        let mut s = IdSet::One(NodeId(3));
        s.insert(NodeId(1));
        assert_eq!(s.iter().collect::<Vec<_>>(), [NodeId(1), NodeId(3)]);
        assert!(!s.remove(NodeId(3)));
        assert_eq!(s, IdSet::One(NodeId(1)));
        assert!(s.remove(NodeId(1)));
    }
}
