//! factgraph's store layer: the property graph with its indexes, source
//! documents, the snapshot file format (every bincode call is in [`codec`]),
//! the write-ahead log and the single-writer lock.
//!
//! May use: `factgraph-model`. Used by: `factgraph-query`, `factgraph-facts`,
//! `factgraph-extract` and `factgraph`.

pub mod codec;
mod document;
mod error;
mod graph;
mod index;
pub mod lock;
pub mod wal;

pub use document::DocumentRecord;
pub use error::{SnapshotError, StoreError};
pub use graph::{ChangeSet, Checkpoint, Edge, EdgeId, Graph, Node, NodeId};
pub use index::IndexKey;
