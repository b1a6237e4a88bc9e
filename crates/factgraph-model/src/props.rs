//! The properties of one node or relationship.
//!
//! A graph holds millions of small property sets (most elements have zero to
//! five properties), so they are kept as one sorted vector rather than a
//! `BTreeMap`, whose every non-empty map allocates a node sized for eleven
//! entries: on a generated graph of 1M nodes and 5M relationships that was
//! about 2 GB of a 4 GB heap. Lookups are a binary search, iteration is in key
//! order, and the serialized form is a map, exactly as a `BTreeMap` writes it,
//! so snapshots are unchanged.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Value;

/// Properties: keys unique and sorted, each with its value.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Props(Vec<(String, Value)>);

impl Props {
    /// No properties.
    pub fn new() -> Props {
        Props(Vec::new())
    }

    /// Number of properties.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn position(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.position(key).ok().map(|i| &self.0[i].1)
    }

    /// The value of `key`, to change in place.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        match self.position(key) {
            Ok(i) => Some(&mut self.0[i].1),
            Err(_) => None,
        }
    }

    /// Whether `key` is set.
    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_ok()
    }

    /// Sets `key`, returning the value it replaces.
    pub fn insert(&mut self, key: String, value: Value) -> Option<Value> {
        match self.position(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                self.0.insert(i, (key, value));
                None
            }
        }
    }

    /// Removes `key`, returning its value.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.position(key).ok().map(|i| self.0.remove(i).1)
    }

    /// Keeps only the properties `keep` accepts.
    pub fn retain(&mut self, mut keep: impl FnMut(&String, &mut Value) -> bool) {
        self.0.retain_mut(|(k, v)| keep(k, v));
    }

    /// Key and value pairs, in key order.
    pub fn iter(&self) -> Iter<'_> {
        Iter(self.0.iter())
    }

    /// Values with their keys, to change in place, in key order.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&String, &mut Value)> {
        self.0.iter_mut().map(|(k, v)| (&*k, v))
    }

    /// Keys, in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &String> + ExactSizeIterator {
        self.0.iter().map(|(k, _)| k)
    }

    /// Values, in key order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &Value> + ExactSizeIterator {
        self.0.iter().map(|(_, v)| v)
    }

    /// Gives back spare capacity; stored property sets never grow again.
    pub fn shrink(&mut self) {
        self.0.shrink_to_fit();
    }
}

/// Iterator over `(&key, &value)` in key order.
#[derive(Clone, Debug)]
pub struct Iter<'a>(std::slice::Iter<'a, (String, Value)>);

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a String, &'a Value);
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (k, v))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(k, v)| (k, v))
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a Props {
    type Item = (&'a String, &'a Value);
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl IntoIterator for Props {
    type Item = (String, Value);
    type IntoIter = std::vec::IntoIter<(String, Value)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl FromIterator<(String, Value)> for Props {
    /// Later pairs win over earlier ones with the same key, as in a map.
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Props {
        let mut pairs: Vec<(String, Value)> = iter.into_iter().collect();
        // A stable sort keeps equal keys in arrival order, so the last one is kept.
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out: Vec<(String, Value)> = Vec::with_capacity(pairs.len());
        for (k, v) in pairs {
            match out.last_mut() {
                Some(last) if last.0 == k => last.1 = v,
                _ => out.push((k, v)),
            }
        }
        Props(out)
    }
}

impl Extend<(String, Value)> for Props {
    fn extend<I: IntoIterator<Item = (String, Value)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl From<BTreeMap<String, Value>> for Props {
    fn from(map: BTreeMap<String, Value>) -> Props {
        // Already sorted and unique.
        Props(map.into_iter().collect())
    }
}

impl From<Props> for BTreeMap<String, Value> {
    fn from(props: Props) -> BTreeMap<String, Value> {
        props.0.into_iter().collect()
    }
}

impl std::ops::Index<&str> for Props {
    type Output = Value;
    /// Panics when `key` is not set, like a map's index.
    fn index(&self, key: &str) -> &Value {
        match self.get(key) {
            Some(v) => v,
            None => panic!("no property {key:?}"),
        }
    }
}

impl Serialize for Props {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Props {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Props, D::Error> {
        struct PropsVisitor;
        impl<'de> Visitor<'de> for PropsVisitor {
            type Value = Props;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of properties")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Props, A::Error> {
                // The size hint comes from the input: cap it so a hostile
                // length cannot make us allocate for entries never read.
                let mut pairs = Vec::with_capacity(access.size_hint().unwrap_or(0).min(64));
                let mut sorted = true;
                while let Some((k, v)) = access.next_entry::<String, Value>()? {
                    if let Some((last, _)) = pairs.last() {
                        sorted &= *last < k;
                    }
                    pairs.push((k, v));
                }
                if sorted {
                    pairs.shrink_to_fit();
                    Ok(Props(pairs))
                } else {
                    Ok(pairs.into_iter().collect())
                }
            }
        }
        d.deserialize_map(PropsVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Value {
        Value::String(x.into())
    }

    #[test]
    fn behaves_like_a_sorted_map() {
        let mut p = Props::new();
        assert_eq!(p.insert("b".into(), s("1")), None);
        assert_eq!(p.insert("a".into(), s("2")), None);
        assert_eq!(p.insert("c".into(), s("3")), None);
        assert_eq!(p.insert("b".into(), s("4")), Some(s("1")));
        let keys: Vec<&String> = p.keys().collect();
        assert_eq!(keys, ["a", "b", "c"]);
        assert_eq!(p.get("b"), Some(&s("4")));
        assert_eq!(p.remove("a"), Some(s("2")));
        assert_eq!(p.remove("a"), None);
        assert!(!p.contains_key("a"));
        assert_eq!(p.len(), 2);
        let map: BTreeMap<String, Value> = p.clone().into();
        assert_eq!(Props::from(map), p);
    }

    #[test]
    fn later_pairs_win_when_collected() {
        let p: Props = [
            ("k".to_string(), s("first")),
            ("a".to_string(), s("x")),
            ("k".to_string(), s("last")),
        ]
        .into_iter()
        .collect();
        assert_eq!(p.len(), 2);
        assert_eq!(p.get("k"), Some(&s("last")));
    }

    #[test]
    fn serializes_exactly_as_a_btreemap() {
        let map: BTreeMap<String, Value> = [
            ("name".to_string(), s("Marco Rubio")),
            ("born".to_string(), Value::Int(1971)),
            ("aliases".to_string(), Value::List(vec![s("Rubio")])),
        ]
        .into_iter()
        .collect();
        let as_map = serde_json::to_string(&map).expect("map");
        let as_props = serde_json::to_string(&Props::from(map.clone())).expect("props");
        assert_eq!(as_map, as_props);
        let back: Props = serde_json::from_str(&as_map).expect("decode");
        assert_eq!(back, Props::from(map));
        let int = |i: i64| serde_json::to_string(&Value::Int(i)).expect("int");
        let text = format!(r#"{{"z":{},"a":{},"z":{}}}"#, int(1), int(2), int(3));
        let unsorted: Props = serde_json::from_str(&text).expect("decode");
        assert_eq!(unsorted.keys().collect::<Vec<_>>(), ["a", "z"]);
        assert_eq!(unsorted.get("z"), Some(&Value::Int(3)));
    }
}
