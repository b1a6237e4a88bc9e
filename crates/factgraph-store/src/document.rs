//! Source documents kept in the store, so that provenance can show the
//! sentence a fact came from.

use serde::{Deserialize, Serialize};

use factgraph_model::text::split_sentences;
use factgraph_model::Date;

/// A source text and its sentence boundaries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRecord {
    /// Identifier that provenance refers to.
    pub id: String,
    /// Title or headline.
    pub title: String,
    /// Publisher, feed or file the text came from.
    pub source: Option<String>,
    /// Publication date.
    pub date: Option<Date>,
    /// The full text.
    pub text: String,
    /// Character spans of the sentences, in order; sentence `n` is `sentences[n - 1]`.
    pub sentences: Vec<(u32, u32)>,
}

impl DocumentRecord {
    /// A record for `text`, with its sentences split.
    pub fn new(id: &str, title: &str, text: &str) -> DocumentRecord {
        DocumentRecord {
            id: id.to_string(),
            title: title.to_string(),
            source: None,
            date: None,
            text: text.to_string(),
            sentences: split_sentences(text)
                .into_iter()
                .map(|s| (s.start, s.end))
                .collect(),
        }
    }

    /// The characters `start..end` of the text (clamped to its length).
    pub fn span_text(&self, start: u32, end: u32) -> String {
        self.text
            .chars()
            .skip(start as usize)
            .take(end.saturating_sub(start) as usize)
            .collect()
    }

    /// The text of sentence `n` (1-based).
    pub fn sentence_text(&self, n: u32) -> Option<String> {
        let (start, end) = *self.sentences.get((n as usize).checked_sub(1)?)?;
        Some(self.span_text(start, end))
    }

    /// The 1-based number of the sentence holding character `offset`.
    pub fn sentence_at(&self, offset: u32) -> Option<u32> {
        self.sentences
            .iter()
            .position(|&(s, e)| s <= offset && offset < e)
            .map(|i| i as u32 + 1)
    }
}
