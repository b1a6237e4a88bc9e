//! What can go wrong in an import, and how it is reported.

use std::fmt;
use std::path::PathBuf;

use crate::store::SnapshotError;

/// The class of a bad row: what `--skip-*` options look at and what the
/// summary counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BadKind {
    /// A header cell that cannot be read (an unknown type, a missing `:START_ID`...).
    Header,
    /// A value that does not parse as its column's type.
    WrongType,
    /// A row the schema refuses: unknown label, relationship type or
    /// property, endpoint labels the type does not allow, a missing required property.
    Schema,
    /// An empty id field, or a JSON line without an id.
    MissingId,
    /// An id already used in its ID space, or a `key` another node has.
    DuplicateId,
    /// A relationship endpoint id that names no node.
    DanglingEndpoint,
    /// A row with more or fewer fields than its header.
    Ragged,
    /// A quoted field that is never closed, or text after a closing quote.
    Quoting,
    /// Bytes that are not UTF-8.
    Utf8,
    /// An empty file where a header belongs, or an import with no rows at all.
    Empty,
    /// A JSON line that is not JSON, or not one of the documented objects.
    Json,
    /// Provenance that is not the documented JSON, or names a document the store lacks.
    Provenance,
}

impl BadKind {
    /// A short name, for summaries: `wrong type`, `duplicate id`...
    pub fn name(self) -> &'static str {
        match self {
            BadKind::Header => "bad header",
            BadKind::WrongType => "wrong type",
            BadKind::Schema => "schema violation",
            BadKind::MissingId => "missing id",
            BadKind::DuplicateId => "duplicate id",
            BadKind::DanglingEndpoint => "dangling endpoint",
            BadKind::Ragged => "ragged row",
            BadKind::Quoting => "bad quoting",
            BadKind::Utf8 => "bad UTF-8",
            BadKind::Empty => "empty input",
            BadKind::Json => "bad JSON line",
            BadKind::Provenance => "bad provenance",
        }
    }
}

impl fmt::Display for BadKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One bad row (or header): where it is and what is wrong.
///
/// Displayed as `FILE:LINE: column NAME: REASON` (CSV), `FILE:LINE: field
/// PATH: REASON` (JSON lines) or `FILE:LINE: REASON` when no single column
/// is to blame. `LINE` is the line the row starts on, counting from 1 in the
/// file itself (a header file and each data file count separately).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadRow {
    /// The input file, as it was given.
    pub file: PathBuf,
    /// The line the row starts on (1-based).
    pub line: u64,
    /// The column's name as the header gives it (`born`, `:START_ID`,
    /// `personId`), or the JSON field (`properties.born`); `None` for the whole row.
    pub column: Option<String>,
    /// The class of problem.
    pub kind: BadKind,
    /// What is wrong, for a person.
    pub reason: String,
    /// Whether the file is JSON lines (the locator then says `field`).
    pub json: bool,
}

impl fmt::Display for BadRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: ", self.file.display(), self.line)?;
        if let Some(c) = &self.column {
            write!(f, "{} {c}: ", if self.json { "field" } else { "column" })?;
        }
        f.write_str(&self.reason)
    }
}

/// Why an import failed. Nothing was written to the store in every case.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A bad row (or header) that no `--skip-*` option covers.
    #[error("{0}")]
    Bad(Box<BadRow>),
    /// More rows were skipped than `--bad-tolerance` allows.
    #[error("more than {tolerance} bad rows (--bad-tolerance); the last one: {last}")]
    TooManyBad {
        /// The tolerance.
        tolerance: u64,
        /// The row that went over it.
        last: Box<BadRow>,
    },
    /// An input file could not be opened or read (missing, unreadable, corrupt gzip).
    #[error("{}: {error}", path.display())]
    Input {
        /// The file.
        path: PathBuf,
        /// The error.
        error: std::io::Error,
    },
    /// The store exists and neither `--append` nor `--force` was given.
    #[error("{} already exists; add --append to import into it, or --force to replace it", .0.display())]
    StoreExists(PathBuf),
    /// The existing store could not be read (`--append`).
    #[error(transparent)]
    LoadStore(SnapshotError),
    /// The new store could not be written.
    #[error(transparent)]
    SaveStore(SnapshotError),
    /// The schema file could not be read or parsed.
    #[error("{}:{line}:{column}: {message}", path.display())]
    SchemaFile {
        /// The schema file.
        path: PathBuf,
        /// 1-based line (0 when the file cannot be read).
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// The report file could not be written.
    #[error("cannot write the report file {}: {error}", path.display())]
    Report {
        /// The report file.
        path: PathBuf,
        /// The error.
        error: std::io::Error,
    },
    /// Options that do not fit together, or no input at all.
    #[error("{0}")]
    Usage(String),
}

impl ImportError {
    /// The bad row behind the error, if it is one.
    pub fn bad_row(&self) -> Option<&BadRow> {
        match self {
            ImportError::Bad(b) => Some(b),
            ImportError::TooManyBad { last, .. } => Some(last),
            _ => None,
        }
    }

    /// Whether the user can fix it (exit code 1) rather than a system failure (2):
    /// everything but a store or report file that cannot be written.
    pub fn is_user_error(&self) -> bool {
        !matches!(self, ImportError::SaveStore(_) | ImportError::Report { .. })
    }
}

impl From<BadRow> for ImportError {
    fn from(b: BadRow) -> ImportError {
        ImportError::Bad(Box::new(b))
    }
}
