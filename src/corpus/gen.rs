//! Synthetic news corpora with gold facts (filled in by the generator step).
