//! factgraph: a typed knowledge-graph store for facts extracted from news
//! text, queried with an openCypher subset.
//!
//! Layers, each depending only on those before it:
//! [`model`] (values, schema, provenance) ← [`store`] (graph, indexes,
//! snapshots) ← [`facts`] (the curated facts-file format) ← the command line.

pub mod batch;
pub mod corpus;
pub mod export;
pub mod extract;
pub mod facts;
pub mod gen;
pub mod import;
pub mod model;
pub mod query;
pub mod render;
pub mod seed;
pub mod shell;
pub mod statement;
pub mod stats;
pub mod store;
pub mod syntax;
pub mod text;
