//! The one row path of an import: a CSV row and a JSON line are read by
//! their own readers (`csv` and `jsonl`) into labels or a type, properties,
//! sources and ids, and from there on go the same way into the graph. What
//! is wrong with a row is a [`Fault`], placed by what it is about
//! ([`Place`]); each reader names the place in its own terms, a header
//! column or a JSON field.

use std::collections::BTreeMap;

use crate::model::{Provenance, SchemaError, Value, KEY_PROPERTY};
use crate::store::{NodeId, StoreError};

use super::Run;
use crate::import::error::BadKind;
use crate::import::ids::IdRef;

/// What in a row a fault is about.
pub(super) enum Place {
    /// The row as a whole.
    Row,
    /// The node's id.
    Id,
    /// The node's labels.
    Labels,
    /// The relationship's type.
    Type,
    /// The relationship's start node.
    Start,
    /// The relationship's end node.
    End,
    /// A property, by key.
    Property(String),
    /// The provenance.
    Provenance,
}

/// What is wrong with a row, and where.
pub(super) type Fault = (Place, BadKind, String);

impl Run<'_> {
    /// The id `text` for a new node in ID space `space`: parsed, and refused
    /// when it names a node already.
    pub(super) fn new_id<'t>(&self, space: usize, text: &'t str) -> Result<IdRef<'t>, Fault> {
        let parsed = self
            .spaces
            .get(space)
            .parse(text)
            .map_err(|m| (Place::Id, BadKind::WrongType, m))?;
        match self.duplicate(space, parsed, text) {
            Some(m) => Err((Place::Id, BadKind::DuplicateId, m)),
            None => Ok(parsed),
        }
    }

    /// The node that the id `text` of endpoint `end` ([`Place::Start`] or
    /// [`Place::End`]) names in ID space `space`; `dangling` says why there
    /// is none.
    pub(super) fn endpoint(
        &self,
        space: usize,
        text: &str,
        end: Place,
        dangling: impl FnOnce() -> String,
    ) -> Result<NodeId, Fault> {
        match self.spaces.get(space).parse(text) {
            Err(m) => Err((end, BadKind::WrongType, m)),
            Ok(parsed) => match self.resolve(space, parsed, text) {
                Some(node) => Ok(node),
                None => Err((end, BadKind::DanglingEndpoint, dangling())),
            },
        }
    }

    /// Adds a node that a row gives: its labels, properties and sources, and
    /// the ID space and id that name it to the rows after it, if any.
    pub(super) fn add_node_row(
        &mut self,
        labels: Vec<String>,
        props: BTreeMap<String, Value>,
        sources: Vec<Provenance>,
        id: Option<(usize, IdRef<'_>)>,
    ) -> Result<(), Fault> {
        let node = self
            .graph
            .add_node(labels, props, sources)
            .map_err(store_fault)?;
        if let Some((space, id)) = id {
            self.spaces.get_mut(space).insert(id, node);
        }
        self.mark_imported(node);
        self.summary.nodes += 1;
        Ok(())
    }

    /// Adds a relationship that a row gives, its endpoints resolved.
    pub(super) fn add_rel_row(
        &mut self,
        [from, to]: [NodeId; 2],
        rel_type: &str,
        props: BTreeMap<String, Value>,
        sources: Vec<Provenance>,
    ) -> Result<(), Fault> {
        self.graph
            .add_edge(from, to, rel_type, props, sources)
            .map_err(store_fault)?;
        self.summary.relationships += 1;
        Ok(())
    }
}

/// What a row the store refused is about.
fn store_fault(e: StoreError) -> Fault {
    let message = e.to_string();
    match e {
        StoreError::Schema(se) => match se {
            SchemaError::UnknownLabel { .. } | SchemaError::NoLabel => {
                (Place::Labels, BadKind::Schema, message)
            }
            SchemaError::UnknownRelType { .. } => (Place::Type, BadKind::Schema, message),
            SchemaError::UnknownProperty { key, .. } => {
                (Place::Property(key), BadKind::Schema, message)
            }
            SchemaError::WrongType { key, .. } => {
                (Place::Property(key), BadKind::WrongType, message)
            }
            SchemaError::MissingProperty { .. } => (Place::Row, BadKind::Schema, message),
            SchemaError::BadEndpoint { side, .. } => (
                if side == "start at" {
                    Place::Start
                } else {
                    Place::End
                },
                BadKind::Schema,
                message,
            ),
        },
        StoreError::DuplicateKey { .. } => (
            Place::Property(KEY_PROPERTY.into()),
            BadKind::DuplicateId,
            message,
        ),
        StoreError::UnknownDocument(_) => (
            Place::Provenance,
            BadKind::Provenance,
            format!("{message}; give it as a document line of a JSON lines input (--nodes documents.jsonl)"),
        ),
        _ => (Place::Row, BadKind::Schema, message),
    }
}
