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

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use petgraph::stable_graph::StableGraph;
use serde::{Deserialize, Serialize};

use crate::model::Schema;

use super::document::DocumentRecord;
use super::error::SnapshotError;
use super::graph::{Edge, Graph, GraphParts, Node};

/// First eight bytes of every snapshot.
pub const MAGIC: &[u8; 8] = b"FACTGRPH";
/// The format version this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;
/// Size of the fixed header.
pub const HEADER_LEN: usize = 24;

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
pub fn encode(graph: &Graph) -> Result<Vec<u8>, SnapshotError> {
    let (schema, g, documents) = graph.parts();
    let payload = bincode::serde::encode_to_vec(
        PayloadRef {
            schema,
            documents,
            graph: g,
        },
        config(),
    )
    .map_err(|e| SnapshotError::Encode(e.to_string()))?;
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
    out.extend_from_slice(&payload);
    Ok(out)
}

/// Decodes a snapshot; `path` only names the source in errors.
pub fn decode(bytes: &[u8], path: &Path) -> Result<Graph, SnapshotError> {
    let path_buf = || path.to_path_buf();
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(SnapshotError::NotAStore { path: path_buf() });
    }
    if bytes.len() < HEADER_LEN {
        return Err(SnapshotError::Truncated {
            path: path_buf(),
            expected: 0,
            found: 0,
        });
    }
    let u32_at =
        |at: usize| u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    let version = u32_at(8);
    if version != FORMAT_VERSION {
        return Err(SnapshotError::WrongVersion {
            path: path_buf(),
            found: version,
            supported: FORMAT_VERSION,
        });
    }
    let mut len_bytes = [0u8; 8];
    len_bytes.copy_from_slice(&bytes[12..20]);
    let expected_len = u64::from_le_bytes(len_bytes);
    let payload = &bytes[HEADER_LEN..];
    if payload.len() as u64 != expected_len {
        return Err(SnapshotError::Truncated {
            path: path_buf(),
            expected: expected_len,
            found: payload.len() as u64,
        });
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
    let (decoded, used): (Payload, usize) =
        bincode::serde::decode_from_slice(payload, config()).map_err(|e| corrupt(e.to_string()))?;
    if used != payload.len() {
        return Err(corrupt(format!(
            "{} undecoded bytes after the graph",
            payload.len() - used
        )));
    }
    Graph::from_parts(GraphParts {
        schema: decoded.schema,
        graph: decoded.graph,
        documents: decoded.documents,
    })
    .map_err(corrupt)
}

/// Reads and decodes the snapshot at `path`.
pub fn load(path: &Path) -> Result<Graph, SnapshotError> {
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .map_err(|source| SnapshotError::Io {
            action: "cannot read",
            path: path.to_path_buf(),
            source,
        })?;
    decode(&bytes, path)
}

/// Atomically replaces the file at `path` with a snapshot of `graph`.
pub fn save(graph: &Graph, path: &Path) -> Result<(), SnapshotError> {
    let bytes = encode(graph)?;
    let io = |action, p: &Path| {
        let p = p.to_path_buf();
        move |source| SnapshotError::Io {
            action,
            path: p,
            source,
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
    let tmp = dir.join(format!(".{file_name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&tmp)
            .map_err(io("cannot create", &tmp))?;
        f.write_all(&bytes).map_err(io("cannot write", &tmp))?;
        f.sync_all().map_err(io("cannot sync", &tmp))?;
        drop(f);
        fs::rename(&tmp, path).map_err(io("cannot replace", path))?;
        // The rename is durable only once the directory entry is on disk.
        if let Ok(d) = File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}
