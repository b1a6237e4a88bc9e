//! ID spaces: the map from input ids to the nodes they created.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};

use crate::store::NodeId;

use super::header::IdType;

/// The Fx hash (as in rustc): much faster than SipHash for short keys, and
/// import ids come from the user's own files, so flooding is not a concern.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0xf135_7aea_2e62_a9c5;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = self.hash.wrapping_add(word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 59));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_i64(&mut self, i: i64) {
        self.add(i as u64);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.hash.rotate_left(26)
    }
}

pub(crate) type FxBuild = BuildHasherDefault<FxHasher>;

/// A text id as a map key: short ids (most are) are stored inside the
/// table itself, so a lookup compares bytes already in cache instead of
/// chasing a pointer per probe.
#[derive(Clone)]
enum Key {
    Inline { len: u8, bytes: [u8; 22] },
    Heap(Box<[u8]>),
}

impl Key {
    fn new(text: &str) -> Key {
        let b = text.as_bytes();
        if b.len() <= 22 {
            let mut bytes = [0u8; 22];
            bytes[..b.len()].copy_from_slice(b);
            Key::Inline {
                len: b.len() as u8,
                bytes,
            }
        } else {
            Key::Heap(b.into())
        }
    }
}

impl Borrow<[u8]> for Key {
    fn borrow(&self) -> &[u8] {
        match self {
            Key::Inline { len, bytes } => &bytes[..*len as usize],
            Key::Heap(b) => b,
        }
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        Borrow::<[u8]>::borrow(self) == Borrow::<[u8]>::borrow(other)
    }
}
impl Eq for Key {}

impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        Borrow::<[u8]>::borrow(self).hash(state);
    }
}

/// An id as read from a file: text, or an integer in an integer ID space.
#[derive(Clone, Copy, Debug)]
pub(crate) enum IdRef<'a> {
    Str(&'a str),
    Int(i64),
}

/// Numbers below this are looked up in an array rather than a hash table.
const DENSE_LIMIT: u64 = 1 << 24;
const EMPTY: u32 = u32::MAX;

/// Non-negative numeric ids: an array for small ones (the common case:
/// `0, 1, 2...` or `n0, n1, n2...`), a hash table for the rest.
#[derive(Default)]
struct Numbers {
    dense: Vec<u32>,
    sparse: HashMap<u64, NodeId, FxBuild>,
}

impl Numbers {
    fn get(&self, n: u64) -> Option<NodeId> {
        if n < DENSE_LIMIT {
            match self.dense.get(n as usize) {
                Some(&v) if v != EMPTY => Some(NodeId(v)),
                _ => None,
            }
        } else {
            self.sparse.get(&n).copied()
        }
    }

    fn insert(&mut self, n: u64, id: NodeId) {
        if n < DENSE_LIMIT {
            let i = n as usize;
            if self.dense.len() <= i {
                self.dense.resize(i + 1, EMPTY);
            }
            self.dense[i] = id.0;
        } else {
            self.sparse.insert(n, id);
        }
    }
}

/// Splits a text id into a prefix and a number when it ends in digits
/// written canonically (no leading zero, at most 18 digits), so that the
/// number gives the text back: `n42` is `("n", 42)`, `n042` has no split.
fn split_number(text: &str) -> Option<(&[u8], u64)> {
    let b = text.as_bytes();
    let digits = b.iter().rev().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || digits > 18 {
        return None;
    }
    let (prefix, num) = b.split_at(b.len() - digits);
    if num.len() > 1 && num[0] == b'0' {
        return None;
    }
    let n = num
        .iter()
        .fold(0u64, |acc, d| acc * 10 + u64::from(d - b'0'));
    Some((prefix, n))
}

/// One ID space.
pub(crate) struct IdSpace {
    pub name: String,
    pub id_type: IdType,
    /// Text ids are `prefix` + a number take the `numbers` path; the prefix is the first one seen.
    prefix: Option<Box<[u8]>>,
    numbers: Numbers,
    strings: HashMap<Key, NodeId, FxBuild>,
    negative: HashMap<i64, NodeId, FxBuild>,
}

impl IdSpace {
    /// Reads `text` as an id of this space; `Err` when an integer space gets text.
    pub fn parse<'a>(&self, text: &'a str) -> Result<IdRef<'a>, String> {
        match self.id_type {
            IdType::String => Ok(IdRef::Str(text)),
            IdType::Integer => text.trim().parse::<i64>().map(IdRef::Int).map_err(|_| {
                format!(
                    "{text:?} is not an integer id (ID space {} holds integer ids)",
                    self.shown()
                )
            }),
        }
    }

    /// The number of a text id, when it takes the numeric path.
    fn numeric(&self, s: &str) -> Option<u64> {
        let (prefix, n) = split_number(s)?;
        (self.prefix.as_deref() == Some(prefix)).then_some(n)
    }

    pub fn get(&self, id: IdRef<'_>) -> Option<NodeId> {
        match id {
            IdRef::Str(s) => match self.numeric(s) {
                Some(n) => self.numbers.get(n),
                None => self.strings.get(s.as_bytes()).copied(),
            },
            IdRef::Int(i) if i >= 0 => self.numbers.get(i as u64),
            IdRef::Int(i) => self.negative.get(&i).copied(),
        }
    }

    pub fn insert(&mut self, id: IdRef<'_>, node: NodeId) {
        match id {
            IdRef::Str(s) => {
                if self.prefix.is_none() {
                    if let Some((prefix, _)) = split_number(s) {
                        self.prefix = Some(prefix.into());
                    }
                }
                match self.numeric(s) {
                    Some(n) => self.numbers.insert(n, node),
                    None => {
                        self.strings.insert(Key::new(s), node);
                    }
                }
            }
            IdRef::Int(i) if i >= 0 => self.numbers.insert(i as u64, node),
            IdRef::Int(i) => {
                self.negative.insert(i, node);
            }
        }
    }

    /// The space's name for messages: `Person`, or `(global)`.
    pub fn shown(&self) -> String {
        if self.name.is_empty() {
            "(global)".into()
        } else {
            self.name.clone()
        }
    }
}

/// All ID spaces of an import, by index.
#[derive(Default)]
pub(crate) struct IdSpaces {
    spaces: Vec<IdSpace>,
    by_name: HashMap<String, usize>,
}

impl IdSpaces {
    /// The index of space `name`, creating it with `id_type` when new.
    /// `Err` names the type it already has when that differs.
    pub fn declare(&mut self, name: &str, id_type: IdType) -> Result<usize, IdType> {
        if let Some(&i) = self.by_name.get(name) {
            let have = self.spaces[i].id_type;
            return if have == id_type { Ok(i) } else { Err(have) };
        }
        Ok(self.create(name, id_type))
    }

    fn create(&mut self, name: &str, id_type: IdType) -> usize {
        self.spaces.push(IdSpace {
            name: name.to_string(),
            id_type,
            prefix: None,
            numbers: Numbers::default(),
            strings: HashMap::default(),
            negative: HashMap::default(),
        });
        self.by_name.insert(name.to_string(), self.spaces.len() - 1);
        self.spaces.len() - 1
    }

    /// The index of space `name`, if any node input declared it.
    pub fn find(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }

    /// The index of space `name`, created empty (with `id_type`) when no input declared it.
    pub fn find_or_create(&mut self, name: &str, id_type: IdType) -> usize {
        match self.find(name) {
            Some(i) => i,
            None => self.create(name, id_type),
        }
    }

    pub fn get(&self, i: usize) -> &IdSpace {
        &self.spaces[i]
    }

    pub fn get_mut(&mut self, i: usize) -> &mut IdSpace {
        &mut self.spaces[i]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_ids_with_numbers_keep_their_identity() {
        let mut spaces = IdSpaces::default();
        let i = spaces.declare("", IdType::String).unwrap();
        let s = spaces.get_mut(i);
        for (k, id) in [
            "n1",
            "n01",
            "x1",
            "1",
            "n",
            "n99999999999",
            "n18446744073709551615",
            "ab7",
        ]
        .into_iter()
        .enumerate()
        {
            assert!(s.get(IdRef::Str(id)).is_none(), "{id}");
            s.insert(IdRef::Str(id), NodeId(k as u32));
        }
        for (k, id) in [
            "n1",
            "n01",
            "x1",
            "1",
            "n",
            "n99999999999",
            "n18446744073709551615",
            "ab7",
        ]
        .into_iter()
        .enumerate()
        {
            assert_eq!(s.get(IdRef::Str(id)), Some(NodeId(k as u32)), "{id}");
        }
        assert_eq!(s.get(IdRef::Str("n2")), None);
        let j = spaces.declare("Int", IdType::Integer).unwrap();
        let s = spaces.get_mut(j);
        for (k, n) in [0i64, 5, -3, 1 << 40, i64::MIN].into_iter().enumerate() {
            s.insert(IdRef::Int(n), NodeId(k as u32));
        }
        assert_eq!(s.get(IdRef::Int(-3)), Some(NodeId(2)));
        assert_eq!(s.get(IdRef::Int(1 << 40)), Some(NodeId(3)));
        assert_eq!(s.get(IdRef::Int(4)), None);
        assert_eq!(spaces.declare("Int", IdType::String), Err(IdType::Integer));
    }
}
