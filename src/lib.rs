//! factgraph: a typed knowledge-graph store for facts extracted from news
//! text, queried with an openCypher subset.
//!
//! This crate is the top layer: the command line, the interactive shell,
//! batch scripts, import and export, the seed graph and the generators. The
//! layers below are crates of their own, each depending only on those before
//! it, and re-exported here under their module names:
//! [`model`] (values, temporal code, schema, provenance, [`text`],
//! [`syntax`]) ← [`store`] (graph, indexes, snapshots, WAL) ← [`query`]
//! (openCypher) and [`facts`] (the curated facts-file format) ← [`extract`]
//! (facts from text) ← this crate.

pub use factgraph_extract as extract;
pub use factgraph_facts as facts;
pub use factgraph_model as model;
pub use factgraph_model::{syntax, text};
pub use factgraph_query as query;
pub use factgraph_store as store;

pub mod batch;
pub mod corpus;
pub mod export;
pub mod gen;
pub mod import;
pub mod render;
pub mod seed;
pub mod shell;
pub mod statement;
pub mod stats;
