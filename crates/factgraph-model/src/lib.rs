//! factgraph's model layer: property values and the temporal calendar code
//! behind them, the schema of labels and relationship types, provenance, the
//! sentence splitter that numbers the sentences provenance cites, and the
//! located syntax errors every parser reports.
//!
//! May use: no other factgraph crate. Used by: every other factgraph crate
//! (`factgraph-store`, `factgraph-query`, `factgraph-facts`,
//! `factgraph-extract`, `factgraph`).

mod news_schema;
mod props;
mod provenance;
mod schema;
pub mod syntax;
pub mod temporal;
pub mod text;
mod value;

pub use props::Props;
pub use provenance::{add_source, Provenance};
pub use schema::{closest, LabelDef, PropDef, RelTypeDef, Schema, SchemaError, KEY_PROPERTY};
pub use value::{fmt_float, write_quoted, Date, DateError, PropType, Temporal, Value};
