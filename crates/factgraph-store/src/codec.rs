//! The snapshot file format, and the only module that calls bincode.
//!
//! Layout (all integers little-endian):
//!
//! | bytes | content |
//! |---|---|
//! | 0..8 | magic `FACTGRPH` |
//! | 8..12 | format version (`u32`) |
//! | 12..20 | payload length in bytes (`u64`) |
//! | 20..24 | CRC-32 of the payload (`u32`) |
//! | 24.. | payload: bincode (standard config) of schema, documents and the petgraph `StableGraph` |
//!
//! Saving writes a temporary file beside the target, fsyncs it, renames it
//! over the target and fsyncs the directory, so a crash leaves either the old
//! file or the new one, never a mix. Loading checks magic, version, length
//! and checksum before decoding, and never writes.
//!
//! A file whose checksum matches can still be hostile (crafted with a valid
//! header) or simply written by a buggy build, so decoding trusts nothing:
//! a length read from the payload never makes the decoder allocate for data
//! it has not read yet (beyond serde's capped size hints), nesting is bounded
//! so that a deep list cannot overflow the stack, and the decoded graph is
//! checked (relationships end at live nodes, every element satisfies the
//! stored schema, dates exist, provenance names stored documents) before it
//! is used. Any such failure is [`SnapshotError::Corrupt`].

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use petgraph::stable_graph::StableGraph;
use serde::{Deserialize, Serialize};

use factgraph_model::{Date, PropType, Props, Provenance, Schema, Value};

use super::document::DocumentRecord;
use super::error::SnapshotError;
use super::graph::{Edge, Graph, GraphParts, Node, NodeId};

/// First eight bytes of every snapshot.
pub const MAGIC: &[u8; 8] = b"FACTGRPH";
/// The format version this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;
/// Size of the fixed header.
pub const HEADER_LEN: usize = 24;
/// How deeply lists may nest in a stored value (`[[1]]` nests 2 deep), and
/// `LIST<...>` types in a stored schema. Saving refuses deeper values, so that
/// every file this build writes is one it can read back.
pub const MAX_LIST_NESTING: usize = 64;

#[derive(Serialize)]
struct PayloadRef<'a> {
    schema: &'a Schema,
    documents: &'a BTreeMap<String, DocumentRecord>,
    graph: &'a StableGraph<Node, Edge>,
}

#[derive(Deserialize)]
struct Payload {
    schema: Schema,
    documents: BTreeMap<String, DocumentRecord>,
    graph: StableGraph<Node, Edge>,
}

fn config() -> impl bincode::config::Config {
    bincode::config::standard()
}

/// Encodes `graph` as a complete snapshot (header and payload).
///
/// Fails with [`SnapshotError::Encode`] when a value or schema type nests
/// lists deeper than [`MAX_LIST_NESTING`], which [`decode`] would refuse.
pub fn encode(graph: &Graph) -> Result<Vec<u8>, SnapshotError> {
    let mut out = Vec::new();
    out.extend_from_slice(&header(0, 0));
    let (len, crc) = write_payload(graph, &mut out).map_err(|e| match e {
        WriteError::Encode(m) => SnapshotError::Encode(m),
        // Writing into memory does not fail.
        WriteError::Io(e) => SnapshotError::Encode(e.to_string()),
    })?;
    out[..HEADER_LEN].copy_from_slice(&header(len, crc));
    Ok(out)
}

fn header(payload_len: u64, crc: u32) -> [u8; HEADER_LEN] {
    let mut h = [0u8; HEADER_LEN];
    h[..8].copy_from_slice(MAGIC);
    h[8..12].copy_from_slice(&FORMAT_VERSION.to_le_bytes());
    h[12..20].copy_from_slice(&payload_len.to_le_bytes());
    h[20..24].copy_from_slice(&crc.to_le_bytes());
    h
}

enum WriteError {
    Encode(String),
    Io(std::io::Error),
}

/// Passes bytes through to `inner`, counting them and computing their CRC-32.
struct Summing<W> {
    inner: W,
    len: u64,
    crc: crc32fast::Hasher,
}

impl<W: Write> Write for Summing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.crc.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Streams the payload of `graph` into `out`, returning its length and CRC-32.
/// Nothing of the size of the payload is held in memory, which for a graph
/// of millions of elements is hundreds of megabytes saved at the peak.
fn write_payload<W: Write>(graph: &Graph, out: W) -> Result<(u64, u32), WriteError> {
    let (schema, g, documents) = graph.parts();
    check_nesting(schema, g).map_err(WriteError::Encode)?;
    let mut w = Summing {
        inner: out,
        len: 0,
        crc: crc32fast::Hasher::new(),
    };
    bincode::serde::encode_into_std_write(
        PayloadRef {
            schema,
            documents,
            graph: g,
        },
        &mut w,
        config(),
    )
    .map_err(|e| match e {
        bincode::error::EncodeError::Io { inner, .. } => WriteError::Io(inner),
        other => WriteError::Encode(other.to_string()),
    })?;
    w.flush().map_err(WriteError::Io)?;
    Ok((w.len, w.crc.finalize()))
}

/// Decodes a snapshot; `path` only names the source in errors.
pub fn decode(bytes: &[u8], path: &Path) -> Result<Graph, SnapshotError> {
    let path_buf = || path.to_path_buf();
    let truncated = |expected: u64, found: u64| SnapshotError::Truncated {
        path: path_buf(),
        expected,
        found,
    };
    // A non-empty file that starts like the magic but stops early is a store
    // cut short, not a foreign file; an empty file is nothing at all.
    let magic_seen = bytes.len().min(MAGIC.len());
    if bytes.is_empty() || bytes[..magic_seen] != MAGIC[..magic_seen] {
        return Err(SnapshotError::NotAStore { path: path_buf() });
    }
    let u32_at =
        |at: usize| u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    // Each header field is checked as soon as it is complete, so a cut inside
    // the header still reports the most specific error the bytes allow.
    let header_cut = || SnapshotError::TruncatedHeader {
        path: path_buf(),
        found: bytes.len() as u64,
        header: HEADER_LEN as u64,
    };
    if bytes.len() < 12 {
        return Err(header_cut());
    }
    let version = u32_at(8);
    if version != FORMAT_VERSION {
        return Err(SnapshotError::WrongVersion {
            path: path_buf(),
            found: version,
            supported: FORMAT_VERSION,
        });
    }
    if bytes.len() < 20 {
        return Err(header_cut());
    }
    let mut len_bytes = [0u8; 8];
    len_bytes.copy_from_slice(&bytes[12..20]);
    let expected_len = u64::from_le_bytes(len_bytes);
    if bytes.len() < HEADER_LEN {
        return Err(truncated(expected_len, 0));
    }
    let payload = &bytes[HEADER_LEN..];
    if payload.len() as u64 != expected_len {
        return Err(truncated(expected_len, payload.len() as u64));
    }
    let expected_crc = u32_at(20);
    let found_crc = crc32fast::hash(payload);
    if found_crc != expected_crc {
        return Err(SnapshotError::ChecksumMismatch {
            path: path_buf(),
            expected: expected_crc,
            found: found_crc,
        });
    }
    let corrupt = |detail: String| SnapshotError::Corrupt {
        path: path_buf(),
        detail,
    };
    let (decoded, used) = decode_payload(payload).map_err(corrupt)?;
    if used != payload.len() {
        return Err(corrupt(format!(
            "{} undecoded bytes after the graph",
            payload.len() - used
        )));
    }
    check_payload(&decoded).map_err(corrupt)?;
    Graph::from_parts(GraphParts {
        schema: decoded.schema,
        graph: decoded.graph,
        documents: decoded.documents,
    })
    .map_err(corrupt)
}

/// Decodes the payload through [`guard::Guarded`], returning it and the number of bytes used.
fn decode_payload(payload: &[u8]) -> Result<(Payload, usize), String> {
    struct GuardedPayload;
    impl<'de> serde::de::DeserializeSeed<'de> for GuardedPayload {
        type Value = Payload;
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Payload, D::Error> {
            Payload::deserialize(guard::Guarded::new(d))
        }
    }
    bincode::serde::seed_decode_from_slice(GuardedPayload, payload, config())
        .map_err(|e| e.to_string())
}

/// Refuses schemas and values that nest lists deeper than [`MAX_LIST_NESTING`].
fn check_nesting(schema: &Schema, g: &StableGraph<Node, Edge>) -> Result<(), String> {
    fn type_depth(t: &PropType, limit: usize) -> usize {
        match t {
            PropType::List(inner) if limit > 0 => 1 + type_depth(inner, limit - 1),
            PropType::List(_) => 1,
            _ => 0,
        }
    }
    let too_deep = |what: String| {
        format!(
            "{what} nests lists more than {MAX_LIST_NESTING} deep, which snapshots do not support"
        )
    };
    let defs = schema
        .labels
        .iter()
        .flat_map(|(l, d)| {
            d.properties
                .iter()
                .map(move |(k, p)| (format!(":{l}"), k, p))
        })
        .chain(schema.rel_types.iter().flat_map(|(t, d)| {
            d.properties
                .iter()
                .map(move |(k, p)| (format!("[:{t}]"), k, p))
        }));
    for (owner, key, def) in defs {
        if type_depth(&def.ty, MAX_LIST_NESTING) > MAX_LIST_NESTING {
            return Err(too_deep(format!(
                "the schema's type of {owner} property {key:?}"
            )));
        }
    }
    for ix in g.node_indices() {
        for (key, value) in &g[ix].props {
            if value.list_depth(MAX_LIST_NESTING) > MAX_LIST_NESTING {
                return Err(too_deep(format!(
                    "property {key:?} of node {}",
                    NodeId(ix.index() as u32)
                )));
            }
        }
    }
    for ix in g.edge_indices() {
        for (key, value) in &g[ix].props {
            if value.list_depth(MAX_LIST_NESTING) > MAX_LIST_NESTING {
                return Err(too_deep(format!(
                    "property {key:?} of relationship r{}",
                    ix.index()
                )));
            }
        }
    }
    Ok(())
}

/// Checks what [`Graph::from_parts`] relies on and the store otherwise
/// guarantees on every insert: relationships end at live nodes (petgraph
/// accepts an edge to a vacant slot, which corrupts its free list),
/// elements satisfy the stored schema, stored properties are not null, dates
/// exist, provenance lists are sorted sets, and lists nest no deeper than
/// saving allows.
fn check_payload(p: &Payload) -> Result<(), String> {
    let g = &p.graph;
    // The decoder's own depth bound is looser; this makes every loaded graph
    // one that can be saved again.
    check_nesting(&p.schema, g)?;
    let node = |ix| format!("node {}", NodeId(ix));
    for doc in p.documents.values() {
        if let Some(d) = &doc.date {
            check_date(d).map_err(|e| format!("document {:?}: {e}", doc.id))?;
        }
    }
    for ix in g.node_indices() {
        let n = &g[ix];
        let what = || node(ix.index() as u32);
        check_element(&n.props, &n.sources).map_err(|e| format!("{}: {e}", what()))?;
        p.schema
            .check_node(&n.labels, &n.props)
            .map_err(|e| format!("{}: {e}", what()))?;
    }
    // Endpoint rules depend only on the type and the two label sets, and a
    // graph has few label sets: number them, and check each combination once
    // rather than reading both endpoints' labels for every relationship.
    let mut label_sets: HashMap<&[String], u32> = HashMap::new();
    let mut set_of = vec![u32::MAX; petgraph::visit::NodeIndexable::node_bound(g)];
    for ix in g.node_indices() {
        let next = label_sets.len() as u32;
        set_of[ix.index()] = *label_sets.entry(g[ix].labels.as_slice()).or_insert(next);
    }
    let mut endpoints_ok: HashSet<(&str, u32, u32)> = HashSet::new();
    for ix in g.edge_indices() {
        let what = || format!("relationship r{}", ix.index());
        let (a, b) = g
            .edge_endpoints(ix)
            .ok_or_else(|| format!("{} has no endpoints", what()))?;
        for end in [a, b] {
            if !g.contains_node(end) {
                return Err(format!(
                    "{} ends at {}, which does not exist",
                    what(),
                    node(end.index() as u32)
                ));
            }
        }
        let e = &g[ix];
        check_element(&e.props, &e.sources).map_err(|err| format!("{}: {err}", what()))?;
        let shape = (e.rel_type.as_str(), set_of[a.index()], set_of[b.index()]);
        let checked = if endpoints_ok.contains(&shape) {
            p.schema.check_edge_properties(&e.rel_type, &e.props)
        } else {
            p.schema
                .check_edge(&e.rel_type, &g[a].labels, &g[b].labels, &e.props)
                .map(|()| {
                    endpoints_ok.insert(shape);
                })
        };
        checked.map_err(|err| format!("{}: {err}", what()))?;
    }
    Ok(())
}

fn check_element(props: &Props, sources: &[Provenance]) -> Result<(), String> {
    fn check_value(v: &Value) -> Result<(), String> {
        match v {
            Value::Date(d) => check_date(d),
            Value::Temporal(t) => match factgraph_model::temporal::Operand::from_temporal(t) {
                Some(_) => Ok(()),
                None => Err(format!("invalid temporal value {t:?}")),
            },
            Value::List(items) => items.iter().try_for_each(check_value),
            _ => Ok(()),
        }
    }
    for (key, value) in props {
        if matches!(value, Value::Null) {
            return Err(format!("property {key:?} is stored as null"));
        }
        check_value(value).map_err(|e| format!("property {key:?}: {e}"))?;
    }
    if sources.windows(2).any(|w| w[0] >= w[1]) {
        return Err("provenance is unsorted or repeated".into());
    }
    Ok(())
}

fn check_date(d: &Date) -> Result<(), String> {
    let valid = match (d.month, d.day) {
        (None, None) => true,
        (Some(m), None) => Date::ym(d.year, m).is_some(),
        (Some(m), Some(day)) => Date::ymd(d.year, m, day).is_some(),
        (None, Some(_)) => false,
    };
    if valid {
        Ok(())
    } else {
        Err(format!(
            "impossible date (year {}, month {:?}, day {:?})",
            d.year, d.month, d.day
        ))
    }
}

/// Reads and decodes the snapshot at `path`.
pub fn load(path: &Path) -> Result<Graph, SnapshotError> {
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .map_err(|error| SnapshotError::Io {
            action: "cannot read",
            path: path.to_path_buf(),
            error,
        })?;
    decode(&bytes, path)
}

/// Atomically replaces the file at `path` with a snapshot of `graph`.
///
/// The snapshot is written to a new temporary file beside `path` (named
/// uniquely, so concurrent saves never share one), synced, and renamed over
/// `path`; on any failure the temporary file is removed and `path` is left as
/// it was. A replaced file's permissions carry over to the new one. Errors
/// name `path`, the file the caller asked for.
pub fn save(graph: &Graph, path: &Path) -> Result<(), SnapshotError> {
    let io = |action| {
        move |error| SnapshotError::Io {
            action,
            path: path.to_path_buf(),
            error,
        }
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "store".into());
    let (tmp, mut f) = create_temp(&dir, &file_name).map_err(io("cannot create"))?;
    let written = (|| {
        if let Ok(meta) = fs::metadata(path) {
            if meta.is_file() {
                // Best effort: a store the user made private stays private.
                let _ = f.set_permissions(meta.permissions());
            }
        }
        // The header's length and checksum are known only at the end: write a
        // placeholder, stream the payload, then fill the header in.
        let mut w = std::io::BufWriter::with_capacity(1 << 20, &mut f);
        w.write_all(&header(0, 0)).map_err(io("cannot write"))?;
        let (len, crc) = write_payload(graph, &mut w).map_err(|e| match e {
            WriteError::Encode(m) => SnapshotError::Encode(m),
            WriteError::Io(error) => SnapshotError::Io {
                action: "cannot write",
                path: path.to_path_buf(),
                error,
            },
        })?;
        w.flush().map_err(io("cannot write"))?;
        drop(w);
        f.seek(std::io::SeekFrom::Start(0))
            .and_then(|_| f.write_all(&header(len, crc)))
            .map_err(io("cannot write"))?;
        f.sync_all().map_err(io("cannot sync"))
    })();
    drop(f);
    let result = written.and_then(|()| {
        fs::rename(&tmp, path).map_err(io("cannot replace"))?;
        // The rename is durable only once the directory entry is on disk.
        if let Ok(d) = File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    });
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Creates a new, empty temporary file in `dir` for a save of `file_name`.
///
/// `create_new` never opens an existing file, so two saves (in two threads,
/// or in a process that reuses a crashed one's pid) cannot write into the
/// same temporary file.
fn create_temp(dir: &Path, file_name: &str) -> std::io::Result<(PathBuf, File)> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut attempts = 0;
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{file_name}.tmp-{}-{n}", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempts < 100 => {
                attempts += 1;
            }
            Err(e) => return Err(e),
        }
    }
}

/// A serde `Deserializer` adapter that makes a decoder safe on hostile input.
///
/// bincode trusts the lengths and nesting it reads: a string announcing
/// 2^60 bytes is allocated before it is read, and a list nested a million
/// levels deep recurses a million times. [`Guarded`] wraps every deserializer,
/// visitor and access object serde hands down, counting how deep the value
/// being decoded is and failing past [`MAX_DEPTH`]; and it reads owned strings
/// and byte buffers as borrowed slices of the input, which fail on a length
/// the input cannot hold, before anything is allocated.
mod guard {
    use std::fmt;

    use serde::de::{
        self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess,
        Visitor,
    };

    use super::MAX_LIST_NESTING;

    /// Deepest nesting of serde values accepted. A snapshot's structure needs
    /// about ten levels, each list level of a property value two, and each
    /// `LIST<...>` of a schema type one.
    pub const MAX_DEPTH: usize = 16 + 2 * MAX_LIST_NESTING;

    fn deeper<E: de::Error>(depth: usize) -> Result<usize, E> {
        if depth >= MAX_DEPTH {
            Err(E::custom(format_args!(
                "values nested more than {MAX_DEPTH} levels deep"
            )))
        } else {
            Ok(depth + 1)
        }
    }

    /// A deserializer at a known depth.
    pub struct Guarded<D> {
        inner: D,
        depth: usize,
    }

    impl<D> Guarded<D> {
        /// Wraps the top-level deserializer.
        pub fn new(inner: D) -> Guarded<D> {
            Guarded { inner, depth: 0 }
        }
    }

    struct Wrap<T> {
        inner: T,
        depth: usize,
    }

    fn wrap<T>(inner: T, depth: usize) -> Wrap<T> {
        Wrap { inner, depth }
    }

    macro_rules! forward_deserialize {
        ($($method:ident)*) => {$(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
                self.inner.$method(wrap(visitor, self.depth))
            }
        )*};
    }

    impl<'de, D: Deserializer<'de>> Deserializer<'de> for Guarded<D> {
        type Error = D::Error;

        forward_deserialize! {
            deserialize_any deserialize_bool
            deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
            deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
            deserialize_f32 deserialize_f64 deserialize_char deserialize_str deserialize_bytes
            deserialize_option deserialize_unit deserialize_seq deserialize_map
            deserialize_identifier deserialize_ignored_any
        }

        // Owned text and bytes are read as borrowed slices (and copied by the
        // visitor): a borrowed read checks the length against the input first.
        fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            self.inner.deserialize_str(wrap(visitor, self.depth))
        }
        fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            self.inner.deserialize_bytes(wrap(visitor, self.depth))
        }

        fn deserialize_unit_struct<V: Visitor<'de>>(
            self,
            name: &'static str,
            visitor: V,
        ) -> Result<V::Value, D::Error> {
            self.inner
                .deserialize_unit_struct(name, wrap(visitor, self.depth))
        }
        fn deserialize_newtype_struct<V: Visitor<'de>>(
            self,
            name: &'static str,
            visitor: V,
        ) -> Result<V::Value, D::Error> {
            self.inner
                .deserialize_newtype_struct(name, wrap(visitor, self.depth))
        }
        fn deserialize_tuple<V: Visitor<'de>>(
            self,
            len: usize,
            visitor: V,
        ) -> Result<V::Value, D::Error> {
            self.inner.deserialize_tuple(len, wrap(visitor, self.depth))
        }
        fn deserialize_tuple_struct<V: Visitor<'de>>(
            self,
            name: &'static str,
            len: usize,
            visitor: V,
        ) -> Result<V::Value, D::Error> {
            self.inner
                .deserialize_tuple_struct(name, len, wrap(visitor, self.depth))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            name: &'static str,
            fields: &'static [&'static str],
            visitor: V,
        ) -> Result<V::Value, D::Error> {
            self.inner
                .deserialize_struct(name, fields, wrap(visitor, self.depth))
        }
        fn deserialize_enum<V: Visitor<'de>>(
            self,
            name: &'static str,
            variants: &'static [&'static str],
            visitor: V,
        ) -> Result<V::Value, D::Error> {
            self.inner
                .deserialize_enum(name, variants, wrap(visitor, self.depth))
        }
        fn is_human_readable(&self) -> bool {
            self.inner.is_human_readable()
        }
    }

    /// A seed whose deserializer is guarded at `depth`.
    impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Wrap<S> {
        type Value = S::Value;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
            self.inner.deserialize(Guarded {
                inner: d,
                depth: self.depth,
            })
        }
    }

    macro_rules! forward_visit {
        ($($method:ident($ty:ty))*) => {$(
            fn $method<E: de::Error>(self, v: $ty) -> Result<Self::Value, E> {
                self.inner.$method(v)
            }
        )*};
    }

    impl<'de, V: Visitor<'de>> Visitor<'de> for Wrap<V> {
        type Value = V::Value;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.inner.expecting(f)
        }

        forward_visit! {
            visit_bool(bool)
            visit_i8(i8) visit_i16(i16) visit_i32(i32) visit_i64(i64) visit_i128(i128)
            visit_u8(u8) visit_u16(u16) visit_u32(u32) visit_u64(u64) visit_u128(u128)
            visit_f32(f32) visit_f64(f64) visit_char(char)
            visit_str(&str) visit_borrowed_str(&'de str) visit_string(String)
            visit_bytes(&[u8]) visit_borrowed_bytes(&'de [u8]) visit_byte_buf(Vec<u8>)
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            self.inner.visit_none()
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            self.inner.visit_unit()
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            let depth = deeper(self.depth)?;
            self.inner.visit_some(Guarded { inner: d, depth })
        }
        fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            let depth = deeper(self.depth)?;
            self.inner.visit_newtype_struct(Guarded { inner: d, depth })
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            self.inner.visit_seq(wrap(seq, self.depth))
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            self.inner.visit_map(wrap(map, self.depth))
        }
        fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
            self.inner.visit_enum(wrap(data, self.depth))
        }
    }

    impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Wrap<A> {
        type Error = A::Error;
        fn next_element_seed<T: DeserializeSeed<'de>>(
            &mut self,
            seed: T,
        ) -> Result<Option<T::Value>, A::Error> {
            let depth = deeper(self.depth)?;
            self.inner.next_element_seed(wrap(seed, depth))
        }
        fn size_hint(&self) -> Option<usize> {
            self.inner.size_hint()
        }
    }

    impl<'de, A: MapAccess<'de>> MapAccess<'de> for Wrap<A> {
        type Error = A::Error;
        fn next_key_seed<K: DeserializeSeed<'de>>(
            &mut self,
            seed: K,
        ) -> Result<Option<K::Value>, A::Error> {
            let depth = deeper(self.depth)?;
            self.inner.next_key_seed(wrap(seed, depth))
        }
        fn next_value_seed<V: DeserializeSeed<'de>>(
            &mut self,
            seed: V,
        ) -> Result<V::Value, A::Error> {
            let depth = deeper(self.depth)?;
            self.inner.next_value_seed(wrap(seed, depth))
        }
        fn size_hint(&self) -> Option<usize> {
            self.inner.size_hint()
        }
    }

    impl<'de, A: EnumAccess<'de>> EnumAccess<'de> for Wrap<A> {
        type Error = A::Error;
        type Variant = Wrap<A::Variant>;
        fn variant_seed<V: DeserializeSeed<'de>>(
            self,
            seed: V,
        ) -> Result<(V::Value, Self::Variant), A::Error> {
            let depth = deeper(self.depth)?;
            let (value, variant) = self.inner.variant_seed(wrap(seed, depth))?;
            Ok((value, wrap(variant, self.depth)))
        }
    }

    impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for Wrap<A> {
        type Error = A::Error;
        fn unit_variant(self) -> Result<(), A::Error> {
            self.inner.unit_variant()
        }
        fn newtype_variant_seed<T: DeserializeSeed<'de>>(
            self,
            seed: T,
        ) -> Result<T::Value, A::Error> {
            let depth = deeper(self.depth)?;
            self.inner.newtype_variant_seed(wrap(seed, depth))
        }
        fn tuple_variant<V: Visitor<'de>>(
            self,
            len: usize,
            visitor: V,
        ) -> Result<V::Value, A::Error> {
            let depth = deeper(self.depth)?;
            self.inner.tuple_variant(len, wrap(visitor, depth))
        }
        fn struct_variant<V: Visitor<'de>>(
            self,
            fields: &'static [&'static str],
            visitor: V,
        ) -> Result<V::Value, A::Error> {
            let depth = deeper(self.depth)?;
            self.inner.struct_variant(fields, wrap(visitor, depth))
        }
    }
}

// ==== Write-ahead log format (records for `super::wal`) ====
//
// The log beside a snapshot (`g.fg.wal`), all integers little-endian:
//
// | bytes | content |
// |---|---|
// | 0..8 | magic `FGWALLOG` |
// | 8..12 | log format version (`u32`) |
// | 12..28 | the snapshot the log extends: bytes 8..24 of its header (version, length, checksum); zero when there is none |
// | 28..32 | CRC-32 of bytes 0..28 |
//
// then records, each:
//
// | bytes | content |
// |---|---|
// | 0..4 | payload length (`u32`) |
// | 4..8 | CRC-32 of bytes 0..4, so that a damaged length is told from a short file |
// | 8..12 | CRC-32 of the payload |
// | 12.. | payload: bincode of a [`LogEntry`] |

/// First eight bytes of every write-ahead log.
pub const LOG_MAGIC: &[u8; 8] = b"FGWALLOG";
/// The log format version this build writes and reads.
pub const LOG_VERSION: u32 = 1;
/// Size of the log header.
pub const LOG_HEADER_LEN: usize = 32;
/// Size of each record's frame before its payload.
pub const RECORD_HEADER_LEN: usize = 12;
/// Longest record payload accepted (a unit of work bigger than this is
/// refused when written, so every record written can be read).
pub const MAX_RECORD_LEN: usize = 1 << 30;

/// Which snapshot a log extends: the version, length and checksum fields of
/// the snapshot's header, which change whenever its content does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SnapshotId(pub [u8; 16]);

impl SnapshotId {
    /// The log of a store that has no snapshot file yet (an empty graph).
    pub const NONE: SnapshotId = SnapshotId([0; 16]);

    /// The identity of the snapshot whose bytes (at least its header) are `bytes`.
    pub fn of_snapshot(bytes: &[u8]) -> SnapshotId {
        let mut id = [0u8; 16];
        if let Some(fields) = bytes.get(8..HEADER_LEN) {
            id.copy_from_slice(fields);
        }
        SnapshotId(id)
    }
}

impl std::fmt::Display for SnapshotId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if *self == SnapshotId::NONE {
            return write!(f, "no snapshot");
        }
        let b = &self.0;
        let len = u64::from_le_bytes([b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11]]);
        let crc = u32::from_le_bytes([b[12], b[13], b[14], b[15]]);
        write!(f, "snapshot of {len} payload bytes with checksum {crc:08x}")
    }
}

/// One record of the log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum LogEntry {
    /// One acknowledged unit of work: the final state of what it touched.
    Changes(super::graph::ChangeSet),
    /// Written (and synced) just before a new snapshot replaces the one this
    /// log extends: if the log's header then names another snapshot, the new
    /// one already holds every record, and the log is stale rather than foreign.
    FoldStarted,
}

/// The header of a new log extending `base`.
pub fn encode_log_header(base: SnapshotId) -> Vec<u8> {
    let mut out = Vec::with_capacity(LOG_HEADER_LEN);
    out.extend_from_slice(LOG_MAGIC);
    out.extend_from_slice(&LOG_VERSION.to_le_bytes());
    out.extend_from_slice(&base.0);
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

/// The snapshot a log extends, from its first [`LOG_HEADER_LEN`] bytes.
pub fn decode_log_header(bytes: &[u8]) -> Result<SnapshotId, String> {
    if bytes.len() < LOG_HEADER_LEN {
        return Err(format!(
            "it holds {} bytes, fewer than the {LOG_HEADER_LEN}-byte log header",
            bytes.len()
        ));
    }
    if &bytes[..8] != LOG_MAGIC {
        return Err("it is not a factgraph write-ahead log (bad magic bytes)".into());
    }
    let u32_at =
        |at: usize| u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    let version = u32_at(8);
    if version != LOG_VERSION {
        return Err(format!(
            "it uses log format version {version}, this build reads version {LOG_VERSION}"
        ));
    }
    if crc32fast::hash(&bytes[..28]) != u32_at(28) {
        return Err("its header is corrupted (checksum mismatch)".into());
    }
    let mut id = [0u8; 16];
    id.copy_from_slice(&bytes[12..28]);
    Ok(SnapshotId(id))
}

/// One framed record holding `entry`.
pub fn encode_log_record(entry: &LogEntry) -> Result<Vec<u8>, String> {
    check_log_entry(entry)?;
    let payload = bincode::serde::encode_to_vec(entry, config()).map_err(|e| e.to_string())?;
    if payload.len() > MAX_RECORD_LEN {
        return Err(format!(
            "one unit of work changed {} bytes of data, more than the {MAX_RECORD_LEN} a log record holds; save in smaller steps",
            payload.len()
        ));
    }
    let len = (payload.len() as u32).to_le_bytes();
    let mut out = Vec::with_capacity(RECORD_HEADER_LEN + payload.len());
    out.extend_from_slice(&len);
    out.extend_from_slice(&crc32fast::hash(&len).to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
    out.extend_from_slice(&payload);
    Ok(out)
}

/// Why the bytes at a record position do not hold a record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecordFault {
    /// The frame is cut short or fails a checksum: what an interrupted write leaves.
    Damaged(String),
    /// The frame is intact but its content does not decode or is inconsistent:
    /// no interrupted write produces that.
    Invalid(String),
}

/// The length of the intact frame at the start of `bytes`, if there is one
/// (checksums match); says nothing about whether its payload decodes.
pub fn log_frame_at(bytes: &[u8]) -> Option<usize> {
    let header = bytes.get(..RECORD_HEADER_LEN)?;
    let u32_at = |at: usize| {
        u32::from_le_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    if crc32fast::hash(&header[..4]) != u32_at(4) {
        return None;
    }
    let len = u32_at(0) as usize;
    if len > MAX_RECORD_LEN {
        return None;
    }
    let payload = bytes.get(RECORD_HEADER_LEN..RECORD_HEADER_LEN + len)?;
    (crc32fast::hash(payload) == u32_at(8)).then_some(RECORD_HEADER_LEN + len)
}

/// Whether the damaged record at the start of `bytes` looks like what an
/// interrupted append leaves: too short for a frame, zeros (space the file
/// system extended but never filled), or an intact length that reaches the end.
/// Anything else is damage to data that was completely written.
pub fn log_tail_is_torn(bytes: &[u8]) -> bool {
    if bytes.len() < RECORD_HEADER_LEN || bytes.iter().all(|&b| b == 0) {
        return true;
    }
    let len_ok = crc32fast::hash(&bytes[..4]).to_le_bytes() == bytes[4..8];
    let len = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize;
    len_ok && RECORD_HEADER_LEN.saturating_add(len) >= bytes.len()
}

/// Decodes the record at the start of `bytes`, returning it and its size.
pub fn decode_log_record(bytes: &[u8]) -> Result<(LogEntry, usize), RecordFault> {
    let Some(size) = log_frame_at(bytes) else {
        let reason = if bytes.len() < RECORD_HEADER_LEN {
            format!("{} bytes, shorter than a record header", bytes.len())
        } else {
            let len = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize;
            let len_ok = crc32fast::hash(&bytes[..4]).to_le_bytes() == bytes[4..8];
            if !len_ok {
                "the record length fails its checksum".to_string()
            } else if RECORD_HEADER_LEN + len > bytes.len() {
                format!(
                    "the record announces {len} bytes but only {} follow",
                    bytes.len() - RECORD_HEADER_LEN
                )
            } else {
                "the record's checksum does not match".to_string()
            }
        };
        return Err(RecordFault::Damaged(reason));
    };
    let payload = &bytes[RECORD_HEADER_LEN..size];
    struct GuardedEntry;
    impl<'de> serde::de::DeserializeSeed<'de> for GuardedEntry {
        type Value = LogEntry;
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<LogEntry, D::Error> {
            LogEntry::deserialize(guard::Guarded::new(d))
        }
    }
    let (entry, used) = bincode::serde::seed_decode_from_slice(GuardedEntry, payload, config())
        .map_err(|e| RecordFault::Invalid(e.to_string()))?;
    if used != payload.len() {
        return Err(RecordFault::Invalid(format!(
            "{} undecoded bytes after the record",
            payload.len() - used
        )));
    }
    check_log_entry(&entry).map_err(RecordFault::Invalid)?;
    Ok((entry, size))
}

/// What [`check_payload`] checks of single elements, for a record's
/// elements (the schema and the graph around them are checked when it is applied).
fn check_log_entry(entry: &LogEntry) -> Result<(), String> {
    let LogEntry::Changes(cs) = entry else {
        return Ok(());
    };
    let too_deep = |v: &Value| v.list_depth(MAX_LIST_NESTING) > MAX_LIST_NESTING;
    for (id, doc) in &cs.documents {
        if let Some(d) = doc.as_ref().and_then(|d| d.date.as_ref()) {
            check_date(d).map_err(|e| format!("document {id:?}: {e}"))?;
        }
    }
    for (id, node) in &cs.nodes {
        if let Some(n) = node {
            check_element(&n.props, &n.sources).map_err(|e| format!("node {id}: {e}"))?;
            if n.props.values().any(too_deep) {
                return Err(format!("node {id}: a property nests lists too deep"));
            }
        }
    }
    for (id, edge) in &cs.edges {
        if let Some((_, _, e)) = edge {
            check_element(&e.props, &e.sources)
                .map_err(|err| format!("relationship {id}: {err}"))?;
            if e.props.values().any(too_deep) {
                return Err(format!(
                    "relationship {id}: a property nests lists too deep"
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use factgraph_model::PropDef;

    fn nested_value(depth: usize) -> Value {
        (0..depth).fold(Value::Int(7), |v, _| Value::List(vec![v]))
    }

    fn nested_type(depth: usize) -> PropType {
        (0..depth).fold(PropType::Int, |t, _| PropType::List(Box::new(t)))
    }

    /// A graph with a value nested `depth` lists deep in a node property, a
    /// relationship property and a schema type: the deepest places a snapshot has.
    fn deep_graph(depth: usize) -> Graph {
        let mut schema = Schema::open();
        schema.labels.insert(
            "Deep".into(),
            factgraph_model::LabelDef {
                description: String::new(),
                properties: BTreeMap::from([(
                    "v".to_string(),
                    PropDef {
                        ty: nested_type(depth),
                        required: false,
                        description: String::new(),
                    },
                )]),
            },
        );
        let mut g = Graph::new(schema);
        let props = BTreeMap::from([("v".to_string(), nested_value(depth))]);
        let a = g
            .add_node(vec!["Deep".into()], props.clone(), vec![])
            .unwrap();
        let b = g
            .add_node(vec!["Deep".into()], props.clone(), vec![])
            .unwrap();
        g.add_edge(a, b, "R", props, vec![]).unwrap();
        g
    }

    #[test]
    fn the_deepest_values_saving_allows_load_back() {
        let g = deep_graph(MAX_LIST_NESTING);
        let bytes = encode(&g).unwrap();
        let back = decode(&bytes, Path::new("deep")).unwrap();
        assert!(back.same_as(&g));
    }

    #[test]
    fn values_too_deep_to_load_are_refused_on_insert_and_types_on_save() {
        let mut g = deep_graph(MAX_LIST_NESTING);
        let too_deep = BTreeMap::from([("v".to_string(), nested_value(MAX_LIST_NESTING + 1))]);
        assert!(matches!(
            g.add_node(vec!["Deep".into()], too_deep, vec![]),
            Err(crate::StoreError::TooDeep { .. })
        ));
        let mut schema = g.schema().clone();
        if let Some(def) = schema.labels.get_mut("Deep") {
            if let Some(p) = def.properties.get_mut("v") {
                p.ty = nested_type(MAX_LIST_NESTING + 1);
            }
        }
        match encode(&Graph::new(schema)) {
            Err(SnapshotError::Encode(m)) => assert!(m.contains("nests lists"), "{m}"),
            other => panic!("expected an encode error, got {other:?}"),
        }
    }
    /// A payload whose relationships the store itself would never accept,
    /// encoded with a valid header, as a crafted file would be.
    fn crafted(
        edit: impl FnOnce(&mut StableGraph<Node, Edge>, [petgraph::graph::NodeIndex; 3]),
    ) -> Vec<u8> {
        let mut g = Graph::new(Schema::news());
        let name = |n: &str| BTreeMap::from([("name".to_string(), Value::String(n.into()))]);
        let person = g
            .add_node(vec!["Person".into()], name("A"), vec![])
            .unwrap();
        let role = g
            .add_node(vec!["Role".into()], name("envoy"), vec![])
            .unwrap();
        let country = g
            .add_node(vec!["Country".into()], name("C"), vec![])
            .unwrap();
        g.add_edge(person, role, "HOLDS", BTreeMap::new(), vec![])
            .unwrap();
        let (schema, graph, documents) = g.parts();
        let mut graph = graph.clone();
        edit(
            &mut graph,
            [person, role, country].map(|n| petgraph::graph::NodeIndex::new(n.0 as usize)),
        );
        let payload = bincode::serde::encode_to_vec(
            PayloadRef {
                schema,
                documents,
                graph: &graph,
            },
            config(),
        )
        .unwrap();
        let mut out = header(payload.len() as u64, crc32fast::hash(&payload)).to_vec();
        out.extend_from_slice(&payload);
        out
    }

    #[test]
    fn relationships_the_schema_refuses_are_corrupt_even_after_valid_ones_of_their_type() {
        let plain = |rel_type: &str| Edge {
            rel_type: rel_type.into(),
            props: Props::new(),
            sources: vec![],
        };
        // A second HOLDS between the same label sets as a valid one, with an
        // undeclared property: the endpoint check is remembered, the property one is not.
        let bad_prop = crafted(|g, [p, r, _]| {
            let mut e = plain("HOLDS");
            e.props.insert("colour".into(), Value::String("red".into()));
            g.add_edge(p, r, e);
        });
        // HOLDS ending at a country: a label set combination never seen valid.
        let bad_end = crafted(|g, [p, _, c]| {
            g.add_edge(p, c, plain("HOLDS"));
        });
        for (bytes, expected) in [(bad_prop, "colour"), (bad_end, "end at")] {
            match decode(&bytes, Path::new("crafted")) {
                Err(SnapshotError::Corrupt { detail, .. }) => {
                    assert!(
                        detail.contains("relationship r1") && detail.contains(expected),
                        "{detail}"
                    )
                }
                other => panic!("expected Corrupt, got {other:?}"),
            }
        }
        let fine = crafted(|_, _| {});
        assert!(decode(&fine, Path::new("crafted")).is_ok());
    }
}
