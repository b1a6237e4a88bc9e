//! Errors of the store layer.

use std::path::PathBuf;

use factgraph_model::SchemaError;

use super::{EdgeId, NodeId};

/// A mutation or lookup the store refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StoreError {
    /// The change would break the schema.
    #[error(transparent)]
    Schema(#[from] SchemaError),
    /// No node has this id (it never existed or was deleted).
    #[error("node {0} does not exist")]
    NoSuchNode(NodeId),
    /// No relationship has this id.
    #[error("relationship {0} does not exist")]
    NoSuchEdge(EdgeId),
    /// `DELETE` of a node that still has relationships.
    #[error("cannot delete node {node}: it still has {count} relationship(s); use DETACH DELETE")]
    NodeHasRelationships {
        /// The node.
        node: NodeId,
        /// How many relationships it has.
        count: usize,
    },
    /// Two nodes cannot share a `key`.
    #[error("key {key:?} already names node {existing}")]
    DuplicateKey {
        /// The key.
        key: String,
        /// The node that has it.
        existing: NodeId,
    },
    /// A property value whose lists nest too deeply to be stored.
    #[error("property {key:?} nests lists more than {limit} deep")]
    TooDeep {
        /// The property.
        key: String,
        /// The deepest nesting allowed.
        limit: usize,
    },
    /// Provenance pointing at a document the store does not hold.
    #[error("provenance names document {0:?}, which is not in the store")]
    UnknownDocument(String),
}

/// A snapshot file that could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    /// The operating system refused (missing file, permissions, full disk...).
    #[error("{action} {path}: {error}")]
    Io {
        /// What was being done: `cannot read`, `cannot write`...
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The OS error (part of the message, not a separate cause, so that it is printed once).
        error: std::io::Error,
    },
    /// The file ends inside the fixed header.
    #[error("{path} is truncated: it holds only {found} of the {header} header bytes")]
    TruncatedHeader {
        /// The file.
        path: PathBuf,
        /// Bytes present.
        found: u64,
        /// Size of the header.
        header: u64,
    },
    /// Not a factgraph file at all.
    #[error("{path} is not a factgraph store (bad magic bytes); refusing to read it")]
    NotAStore {
        /// The file.
        path: PathBuf,
    },
    /// Written by a format version this build cannot read.
    #[error("{path} uses store format version {found}, this build reads version {supported}")]
    WrongVersion {
        /// The file.
        path: PathBuf,
        /// The version in the file.
        found: u32,
        /// The version this build reads.
        supported: u32,
    },
    /// Shorter or longer than its header says: an interrupted copy or write.
    #[error("{path} is truncated or has trailing bytes: header announces {expected} payload bytes, file holds {found}")]
    Truncated {
        /// The file.
        path: PathBuf,
        /// Payload length from the header.
        expected: u64,
        /// Payload bytes present.
        found: u64,
    },
    /// The checksum does not match: the bytes changed after writing.
    #[error("{path} is corrupted: payload checksum {found:08x} does not match the header's {expected:08x}")]
    ChecksumMismatch {
        /// The file.
        path: PathBuf,
        /// Checksum recorded in the header.
        expected: u32,
        /// Checksum of the bytes read.
        found: u32,
    },
    /// The checksum matched but the content does not decode or is inconsistent.
    #[error("{path} is corrupted: {detail}")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What did not decode.
        detail: String,
    },
    /// The graph could not be encoded.
    #[error("cannot encode the graph: {0}")]
    Encode(String),
}
