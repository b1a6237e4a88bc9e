//! Plain-text utilities shared by the facts loader and the extractor:
//! sentence splitting with character offsets.

mod sentences;

pub use sentences::{split_sentences, CharSpan};
