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
//!
//! This module holds the snapshot header, encoding, decoding, loading and
//! saving; [`validate`] checks a decoded snapshot, [`guard`] bounds what the
//! decoder allocates and how deep it recurses, and [`log`] is the
//! write-ahead log's record format.

mod guard;
mod log;
#[cfg(test)]
mod tests;
mod validate;

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use petgraph::stable_graph::StableGraph;
use serde::{Deserialize, Serialize};

use factgraph_model::Schema;

use super::document::DocumentRecord;
use super::error::SnapshotError;
use super::graph::{Edge, Graph, GraphParts, Node};

pub use log::{
    decode_log_header, decode_log_record, encode_log_header, encode_log_record, log_frame_at,
    log_tail_is_torn, LogEntry, RecordFault, SnapshotId, LOG_HEADER_LEN, LOG_MAGIC, LOG_VERSION,
    MAX_RECORD_LEN, RECORD_HEADER_LEN,
};
use validate::{check_nesting, check_payload};

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
