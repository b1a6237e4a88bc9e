//! The data model: property values, the schema of labels and relationship
//! types, and provenance. This module depends on nothing else in the crate.

mod news_schema;
mod props;
mod provenance;
mod schema;
mod value;

pub use props::Props;
pub use provenance::{add_source, Provenance};
pub use schema::{closest, LabelDef, PropDef, RelTypeDef, Schema, SchemaError, KEY_PROPERTY};
pub use value::{fmt_float, write_quoted, Date, DateError, PropType, Temporal, Value};
