//! Where a fact comes from: a document, a sentence in it, and a span of characters.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// One piece of text that supports a node or a relationship.
///
/// Offsets count Unicode scalar values (Rust `char`s) from the start of the
/// document text, so they are the same whatever the encoding of the consumer;
/// `end` is exclusive. Sentences are numbered from 1, as a reader counts them.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Provenance {
    /// Identifier of the source document (a `DocumentRecord` of the store).
    /// Shared: a graph holds one copy of each document id and method name
    /// however many facts cite them (see `Graph`'s string interning).
    pub document: Arc<str>,
    /// 1-based index of the sentence within the document.
    pub sentence: u32,
    /// First character of the supporting text.
    pub start: u32,
    /// One past the last character of the supporting text.
    pub end: u32,
    /// How the fact was obtained: `"facts"` for a curated facts file, or the
    /// name of an extraction rule.
    pub method: Arc<str>,
}

impl fmt::Display for Provenance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} sentence {} chars {}..{}",
            self.document, self.sentence, self.start, self.end
        )
    }
}

/// Adds `p` to `sources` unless an identical source is already there, keeping
/// the list sorted so that equal graphs compare equal whatever the load order.
pub fn add_source(sources: &mut Vec<Provenance>, p: Provenance) {
    if let Err(at) = sources.binary_search(&p) {
        sources.insert(at, p);
    }
}
