//! The store: the graph with its indexes, source documents, and the snapshot
//! file format. Depends only on [`crate::model`].

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
