//! Changing the graph: nodes, relationships and their properties, labels
//! and sources, each checked against the schema, journaled, and kept in step
//! with the indexes.

use std::collections::{BTreeSet, HashMap};

use petgraph::visit::EdgeRef;
use petgraph::Direction;

use factgraph_model::{add_source, Props, Provenance, Value, KEY_PROPERTY};

use crate::error::StoreError;
use crate::index::{self, IdSet};

use super::{
    edge_id, intern_source, node_id, normalise_labels, prepare_props, type_index_insert, Edge,
    EdgeId, Graph, Node, NodeId, Undo,
};

impl Graph {
    // ---- index maintenance ----

    pub(super) fn index_node(&mut self, id: NodeId, node: &Node) {
        for label in &node.labels {
            match self.by_label.get_mut(label) {
                Some(set) => {
                    set.insert(id);
                }
                None => {
                    self.by_label.insert(label.clone(), BTreeSet::from([id]));
                }
            }
            for (key, value) in &node.props {
                self.index_prop(label, key, value, id);
            }
        }
    }

    pub(super) fn unindex_node(&mut self, id: NodeId, node: &Node) {
        for label in &node.labels {
            if let Some(s) = self.by_label.get_mut(label) {
                s.remove(&id);
            }
            for (key, value) in &node.props {
                self.unindex_prop(label, key, value, id);
            }
        }
    }

    fn index_prop(&mut self, label: &str, key: &str, value: &Value, id: NodeId) {
        let Some(k) = index::digest(value) else {
            return;
        };
        // Look up before inserting: `entry` would allocate the label and key
        // for every property of every node, and they are almost always there.
        if !self.by_property.contains_key(label) {
            self.by_property.insert(label.to_string(), HashMap::new());
        }
        let Some(by_key) = self.by_property.get_mut(label) else {
            return;
        };
        if !by_key.contains_key(key) {
            by_key.insert(key.to_string(), HashMap::new());
        }
        if let Some(by_value) = by_key.get_mut(key) {
            match by_value.get_mut(&k) {
                Some(ids) => ids.insert(id),
                None => {
                    by_value.insert(k, IdSet::One(id));
                }
            }
        }
    }

    pub(super) fn type_index_insert(&mut self, rel_type: &str, id: EdgeId) {
        type_index_insert(&mut self.by_type, rel_type, id);
    }

    fn unindex_prop(&mut self, label: &str, key: &str, value: &Value, id: NodeId) {
        let Some(k) = index::digest(value) else {
            return;
        };
        if let Some(by_value) = self.by_property.get_mut(label).and_then(|m| m.get_mut(key)) {
            if by_value.get_mut(&k).is_some_and(|ids| ids.remove(id)) {
                by_value.remove(&k);
            }
        }
    }

    pub(super) fn claim_key(&self, props: &Props, owner: Option<NodeId>) -> Result<(), StoreError> {
        if let Some(Value::String(key)) = props.get(KEY_PROPERTY) {
            if let Some(existing) = self.by_key.get(key) {
                if Some(*existing) != owner {
                    return Err(StoreError::DuplicateKey {
                        key: key.clone(),
                        existing: *existing,
                    });
                }
            }
        }
        Ok(())
    }

    pub(super) fn set_key_index(&mut self, old: &Node, new: &Node, id: NodeId) {
        if let Some(Value::String(k)) = old.props.get(KEY_PROPERTY) {
            self.by_key.remove(k);
        }
        if let Some(Value::String(k)) = new.props.get(KEY_PROPERTY) {
            self.by_key.insert(k.clone(), id);
        }
    }

    // ---- node mutations ----

    /// Adds a node after checking it against the schema.
    pub fn add_node(
        &mut self,
        labels: Vec<String>,
        props: impl Into<Props>,
        sources: Vec<Provenance>,
    ) -> Result<NodeId, StoreError> {
        let labels = normalise_labels(labels);
        let mut props = prepare_props(props)?;
        let refs: Vec<&str> = labels.iter().map(String::as_str).collect();
        self.schema.check_node(&refs, &props)?;
        self.schema.coerce_node_props(&refs, &mut props);
        self.claim_key(&props, None)?;
        self.check_sources(&sources)?;
        let mut node = Node {
            labels,
            props,
            sources: Vec::new(),
        };
        for p in sources {
            add_source(&mut node.sources, intern_source(&mut self.strings, p));
        }
        let id = node_id(self.graph.add_node(node.clone()));
        self.record(Undo::NodeAdded(id));
        self.set_key_index(&Node::default(), &node, id);
        self.index_node(id, &node);
        Ok(id)
    }

    /// Replaces a node's labels and properties in one checked step.
    fn replace_node(
        &mut self,
        id: NodeId,
        labels: Vec<String>,
        props: impl Into<Props>,
    ) -> Result<(), StoreError> {
        let old = self.node(id).ok_or(StoreError::NoSuchNode(id))?.clone();
        let labels = normalise_labels(labels);
        let mut props = prepare_props(props)?;
        let refs: Vec<&str> = labels.iter().map(String::as_str).collect();
        self.schema.check_node(&refs, &props)?;
        self.schema.coerce_node_props(&refs, &mut props);
        self.claim_key(&props, Some(id))?;
        // Endpoint rules of existing relationships must still hold under the new labels.
        if labels != old.labels && !self.schema.open {
            for dir in [Direction::Outgoing, Direction::Incoming] {
                let touching: Vec<(EdgeId, NodeId)> = self.edges_of(id, dir).collect();
                for (eid, other) in touching {
                    let edge = &self.graph[eid.ix()];
                    let other_labels = if other == id {
                        refs.clone()
                    } else {
                        self.graph[other.ix()].label_refs()
                    };
                    let (from, to) = if dir == Direction::Outgoing {
                        (refs.as_slice(), other_labels.as_slice())
                    } else {
                        (other_labels.as_slice(), refs.as_slice())
                    };
                    self.schema
                        .check_edge(&edge.rel_type, from, to, &edge.props)?;
                }
            }
        }
        let new = Node {
            labels,
            props,
            sources: old.sources.clone(),
        };
        self.unindex_node(id, &old);
        self.set_key_index(&old, &new, id);
        self.index_node(id, &new);
        let old = std::mem::replace(&mut self.graph[id.ix()], new);
        self.record(Undo::NodeReplaced(id, old));
        Ok(())
    }

    /// Sets (or, with `Value::Null`, removes) a node property.
    pub fn set_node_property(
        &mut self,
        id: NodeId,
        key: &str,
        value: Value,
    ) -> Result<(), StoreError> {
        let node = self.node(id).ok_or(StoreError::NoSuchNode(id))?;
        let mut props = node.props.clone();
        let labels = node.labels.clone();
        if matches!(value, Value::Null) {
            if props.remove(key).is_none() {
                return Ok(());
            }
        } else {
            props.insert(key.to_string(), value);
        }
        self.replace_node(id, labels, props)
    }

    /// Replaces all properties of a node.
    pub fn set_node_properties(
        &mut self,
        id: NodeId,
        props: impl Into<Props>,
    ) -> Result<(), StoreError> {
        let labels = self
            .node(id)
            .ok_or(StoreError::NoSuchNode(id))?
            .labels
            .clone();
        self.replace_node(id, labels, props)
    }

    /// Adds a label to a node.
    pub fn add_label(&mut self, id: NodeId, label: &str) -> Result<(), StoreError> {
        let node = self.node(id).ok_or(StoreError::NoSuchNode(id))?;
        if node.has_label(label) {
            return Ok(());
        }
        let mut labels = node.labels.clone();
        labels.push(label.to_string());
        let props = node.props.clone();
        self.replace_node(id, labels, props)
    }

    /// Removes a label from a node.
    pub fn remove_label(&mut self, id: NodeId, label: &str) -> Result<(), StoreError> {
        let node = self.node(id).ok_or(StoreError::NoSuchNode(id))?;
        if !node.has_label(label) {
            return Ok(());
        }
        let labels = node
            .labels
            .iter()
            .filter(|l| *l != label)
            .cloned()
            .collect();
        let props = node.props.clone();
        self.replace_node(id, labels, props)
    }

    /// Records one more mention supporting a node.
    pub fn add_node_source(&mut self, id: NodeId, p: Provenance) -> Result<(), StoreError> {
        self.check_sources(std::slice::from_ref(&p))?;
        let node = self
            .graph
            .node_weight_mut(id.ix())
            .ok_or(StoreError::NoSuchNode(id))?;
        let old = (self.journal.is_some() || self.touched.is_some()).then(|| node.clone());
        add_source(&mut node.sources, intern_source(&mut self.strings, p));
        if let Some(old) = old {
            self.record(Undo::NodeReplaced(id, old));
        }
        Ok(())
    }

    /// Deletes a node; with `detach`, its relationships too, otherwise it must have none.
    pub fn remove_node(&mut self, id: NodeId, detach: bool) -> Result<Node, StoreError> {
        let degree = self
            .node(id)
            .map(|_| self.degree(id))
            .ok_or(StoreError::NoSuchNode(id))?;
        if degree > 0 && !detach {
            return Err(StoreError::NodeHasRelationships {
                node: id,
                count: degree,
            });
        }
        let touching: BTreeSet<EdgeId> = [Direction::Outgoing, Direction::Incoming]
            .into_iter()
            .flat_map(|d| self.edges_of(id, d).map(|(e, _)| e).collect::<Vec<_>>())
            .collect();
        for e in touching {
            self.remove_edge(e)?;
        }
        let node = self
            .graph
            .remove_node(id.ix())
            .ok_or(StoreError::NoSuchNode(id))?;
        self.unindex_node(id, &node);
        self.set_key_index(&node, &Node::default(), id);
        self.record(Undo::NodeRemoved(id, node.clone()));
        Ok(node)
    }

    // ---- relationship mutations ----

    /// Adds a relationship after checking its type, endpoints and properties.
    pub fn add_edge(
        &mut self,
        from: NodeId,
        to: NodeId,
        rel_type: &str,
        props: impl Into<Props>,
        sources: Vec<Provenance>,
    ) -> Result<EdgeId, StoreError> {
        let from_node = self.node(from).ok_or(StoreError::NoSuchNode(from))?;
        let to_node = self.node(to).ok_or(StoreError::NoSuchNode(to))?;
        let mut props = prepare_props(props)?;
        self.schema
            .check_edge(rel_type, &from_node.labels, &to_node.labels, &props)?;
        self.schema.coerce_edge_props(rel_type, &mut props);
        self.check_sources(&sources)?;
        let mut edge = Edge {
            rel_type: rel_type.to_string(),
            props,
            sources: Vec::new(),
        };
        for p in sources {
            add_source(&mut edge.sources, intern_source(&mut self.strings, p));
        }
        let id = edge_id(self.graph.add_edge(from.ix(), to.ix(), edge));
        self.record(Undo::EdgeAdded(id));
        self.type_index_insert(rel_type, id);
        Ok(id)
    }

    /// The first relationship `from -[rel_type]-> to`, if any.
    pub fn find_edge(&self, from: NodeId, to: NodeId, rel_type: &str) -> Option<EdgeId> {
        self.graph
            .edges_connecting(from.ix(), to.ix())
            .find(|e| e.weight().rel_type == rel_type)
            .map(|e| edge_id(e.id()))
    }

    /// Sets (or, with `Value::Null`, removes) a relationship property.
    pub fn set_edge_property(
        &mut self,
        id: EdgeId,
        key: &str,
        value: Value,
    ) -> Result<(), StoreError> {
        let edge = self.edge(id).ok_or(StoreError::NoSuchEdge(id))?;
        let mut props = edge.props.clone();
        if matches!(value, Value::Null) {
            props.remove(key);
        } else {
            props.insert(key.to_string(), value);
        }
        self.set_edge_properties(id, props)
    }

    /// Replaces all properties of a relationship.
    pub fn set_edge_properties(
        &mut self,
        id: EdgeId,
        props: impl Into<Props>,
    ) -> Result<(), StoreError> {
        let (from, to) = self.endpoints(id).ok_or(StoreError::NoSuchEdge(id))?;
        let rel_type = self.graph[id.ix()].rel_type.clone();
        let mut props = prepare_props(props)?;
        self.schema.check_edge(
            &rel_type,
            &self.graph[from.ix()].label_refs(),
            &self.graph[to.ix()].label_refs(),
            &props,
        )?;
        self.schema.coerce_edge_props(&rel_type, &mut props);
        let old_props = std::mem::replace(&mut self.graph[id.ix()].props, props);
        if self.recording() {
            let mut old = self.graph[id.ix()].clone();
            old.props = old_props;
            self.record(Undo::EdgeReplaced(id, old));
        }
        Ok(())
    }

    /// Records one more mention supporting a relationship.
    pub fn add_edge_source(&mut self, id: EdgeId, p: Provenance) -> Result<(), StoreError> {
        self.check_sources(std::slice::from_ref(&p))?;
        let edge = self
            .graph
            .edge_weight_mut(id.ix())
            .ok_or(StoreError::NoSuchEdge(id))?;
        let old = (self.journal.is_some() || self.touched.is_some()).then(|| edge.clone());
        add_source(&mut edge.sources, intern_source(&mut self.strings, p));
        if let Some(old) = old {
            self.record(Undo::EdgeReplaced(id, old));
        }
        Ok(())
    }

    /// Deletes a relationship.
    pub fn remove_edge(&mut self, id: EdgeId) -> Result<Edge, StoreError> {
        let (from, to) = self.endpoints(id).ok_or(StoreError::NoSuchEdge(id))?;
        let edge = self
            .graph
            .remove_edge(id.ix())
            .ok_or(StoreError::NoSuchEdge(id))?;
        if let Some(s) = self.by_type.get_mut(&edge.rel_type) {
            s.remove(&id);
        }
        self.record(Undo::EdgeRemoved(id, from, to, edge.clone()));
        Ok(edge)
    }
}
