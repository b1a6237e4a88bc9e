//! The write-ahead log's file format: its header and its checksummed
//! records, read and written for `crate::wal`.

use serde::{Deserialize, Serialize};

use factgraph_model::Value;

use super::validate::{check_date, check_element};
use super::{config, HEADER_LEN, MAX_LIST_NESTING};

// ==== Write-ahead log format (records for `crate::wal`) ====
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
    Changes(crate::graph::ChangeSet),
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
            LogEntry::deserialize(super::guard::Guarded::new(d))
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
