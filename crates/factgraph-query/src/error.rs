//! Errors of the query layer, each with a stable code for tests and scripts.

use std::fmt;

use factgraph_model::syntax::{locate, write_caret, Position, SyntaxError};
use factgraph_store::StoreError;

use super::ast::Span;

/// Where an error points in the query text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// Line and column.
    pub position: Position,
    /// The line, for the caret.
    pub line_text: String,
}

impl Location {
    /// The location of `span` in `text`.
    pub fn of(text: &str, span: Span) -> Location {
        let (position, line_text) = locate(text, span.start);
        Location {
            position,
            line_text,
        }
    }
}

/// A query that could not be parsed, checked or run. A failed statement changes nothing.
#[derive(Clone, Debug, PartialEq)]
pub enum QueryError {
    /// The text is not valid query syntax.
    Syntax(SyntaxError),
    /// The query is well-formed but meaningless: an unknown variable, function, label...
    Semantic {
        /// Stable code, e.g. `Semantic.UnknownVariable`.
        code: &'static str,
        /// What is wrong.
        message: String,
        /// Where, when known.
        location: Option<Location>,
    },
    /// Running the query failed: a type mismatch, a missing parameter, an overflow...
    Runtime {
        /// Stable code, e.g. `Runtime.TypeError`.
        code: &'static str,
        /// What is wrong.
        message: String,
    },
    /// The store refused a change (schema violation, node still connected...).
    Store(StoreError),
}

impl QueryError {
    /// The stable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            QueryError::Syntax(_) => "Syntax",
            QueryError::Semantic { code, .. } | QueryError::Runtime { code, .. } => code,
            QueryError::Store(StoreError::Schema(_)) => "Store.SchemaViolation",
            QueryError::Store(StoreError::NodeHasRelationships { .. }) => {
                "Store.DeleteConnectedNode"
            }
            QueryError::Store(StoreError::DuplicateKey { .. }) => "Store.DuplicateKey",
            QueryError::Store(_) => "Store.Error",
        }
    }

    /// The openCypher TCK's error class for this error (`SyntaxError`,
    /// `TypeError`, `ArgumentError`, ...), as the conformance suite names it
    /// in `Then a <class> should be raised at <phase>: <detail>`.
    ///
    /// The phase is not a property of the error but of where it was raised:
    /// an error from [`check`](super::check_query) (parsing and the semantic
    /// checks, before any row is read or any change made) is a *compile
    /// time* error; one that only [`run`](super::run) raises is a *runtime*
    /// error. The TCK files its compile-time semantic errors (undefined
    /// variables, misplaced aggregates, ...) under `SyntaxError`, and so
    /// does this mapping:
    ///
    /// | codes | TCK class |
    /// |---|---|
    /// | `Syntax`, `Semantic.*` (except below), `Runtime.InvalidSkipLimit` | `SyntaxError` |
    /// | `Semantic.UnknownProcedure` | `ProcedureError` |
    /// | `Semantic.TypeError`, `Runtime.TypeError` | `TypeError` |
    /// | `Runtime.InvalidArgument`, `Runtime.InvalidRegex` | `ArgumentError` |
    /// | `Runtime.MissingParameter`, `Semantic.MissingParameter` | `ParameterMissing` |
    /// | `Runtime.MergeNullProperty` | `SemanticError` |
    /// | `Runtime.DeletedEntity` | `EntityNotFound` |
    /// | `Runtime.DivisionByZero`, `Runtime.Overflow` | `ArithmeticError` |
    /// | `Store.DeleteConnectedNode` | `ConstraintVerificationFailed` |
    /// | other `Runtime.*` and `Store.*` | `DatabaseError` |
    pub fn tck_class(&self) -> &'static str {
        match self.code() {
            "Semantic.UnknownProcedure" => "ProcedureError",
            "Semantic.TypeError" | "Runtime.TypeError" => "TypeError",
            "Runtime.InvalidArgument" | "Runtime.InvalidRegex" => "ArgumentError",
            "Runtime.MissingParameter" | "Semantic.MissingParameter" => "ParameterMissing",
            "Runtime.MergeNullProperty" => "SemanticError",
            "Runtime.DeletedEntity" => "EntityNotFound",
            "Runtime.DivisionByZero" | "Runtime.Overflow" => "ArithmeticError",
            "Store.DeleteConnectedNode" => "ConstraintVerificationFailed",
            "Syntax" | "Runtime.InvalidSkipLimit" => "SyntaxError",
            code if code.starts_with("Semantic.") => "SyntaxError",
            _ => "DatabaseError",
        }
    }

    /// The message without its position (for callers that print their own, like batch scripts).
    pub fn message(&self) -> String {
        match self {
            QueryError::Syntax(e) => format!("syntax error: {}", e.message),
            QueryError::Semantic { message, .. } | QueryError::Runtime { message, .. } => {
                message.clone()
            }
            QueryError::Store(e) => e.to_string(),
        }
    }

    /// The offending line of the query and the 1-based column, when the error has a position.
    pub fn snippet(&self) -> Option<(String, usize)> {
        match self {
            QueryError::Syntax(e) => Some((e.line_text.clone(), e.position.column)),
            QueryError::Semantic {
                location: Some(l), ..
            } => Some((l.line_text.clone(), l.position.column)),
            _ => None,
        }
    }

    pub(crate) fn semantic(code: &'static str, message: impl Into<String>) -> QueryError {
        QueryError::Semantic {
            code,
            message: message.into(),
            location: None,
        }
    }

    pub(crate) fn runtime(code: &'static str, message: impl Into<String>) -> QueryError {
        QueryError::Runtime {
            code,
            message: message.into(),
        }
    }

    pub(crate) fn type_error(message: impl Into<String>) -> QueryError {
        QueryError::runtime("Runtime.TypeError", message)
    }

    /// Attaches a location in `text` to a semantic error that has none.
    pub(crate) fn at(self, text: &str, span: Span) -> QueryError {
        match self {
            QueryError::Semantic {
                code,
                message,
                location: None,
            } => QueryError::Semantic {
                code,
                message,
                location: Some(Location::of(text, span)),
            },
            other => other,
        }
    }
}

impl From<StoreError> for QueryError {
    fn from(e: StoreError) -> QueryError {
        QueryError::Store(e)
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryError::Syntax(e) => write!(f, "syntax error: {e}"),
            QueryError::Semantic {
                message, location, ..
            } => {
                write!(f, "{message}")?;
                if let Some(l) = location {
                    write!(f, " at {}", l.position)?;
                    write_caret(f, &l.line_text, l.position.column)?;
                }
                Ok(())
            }
            QueryError::Runtime { message, .. } => write!(f, "{message}"),
            QueryError::Store(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for QueryError {}

/// Shorthand for query results.
pub type QResult<T> = Result<T, QueryError>;
