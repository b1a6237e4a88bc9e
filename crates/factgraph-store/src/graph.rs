//! The in-memory graph: a petgraph `StableGraph` (ids survive deletions)
//! plus the indexes that keep lookups off full scans. Every mutation goes
//! through the schema and keeps the indexes in step.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;
use std::sync::Arc;

use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableGraph};
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use serde::{Deserialize, Serialize};

use factgraph_model::{add_source, Props, Provenance, Schema, Value, KEY_PROPERTY};

use super::document::DocumentRecord;
use super::error::StoreError;
use super::index::{self, IdSet, IndexKey};

/// Identifies a node for as long as it exists; never reused while it does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct NodeId(pub u32);

/// Identifies a relationship for as long as it exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EdgeId(pub u32);

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "n{}", self.0)
    }
}
impl fmt::Display for EdgeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "r{}", self.0)
    }
}

impl NodeId {
    fn ix(self) -> NodeIndex {
        NodeIndex::new(self.0 as usize)
    }
}
impl EdgeId {
    fn ix(self) -> EdgeIndex {
        EdgeIndex::new(self.0 as usize)
    }
}
fn node_id(ix: NodeIndex) -> NodeId {
    NodeId(ix.index() as u32)
}
fn edge_id(ix: EdgeIndex) -> EdgeId {
    EdgeId(ix.index() as u32)
}

/// A node: labels, properties and the text that supports it.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct Node {
    /// Labels, sorted, without duplicates.
    pub labels: Vec<String>,
    /// Properties; never holds a null.
    pub props: Props,
    /// Every mention that supports the node, sorted.
    pub sources: Vec<Provenance>,
}

impl Node {
    /// Whether the node has `label`.
    pub fn has_label(&self, label: &str) -> bool {
        self.labels.iter().any(|l| l == label)
    }
    fn label_refs(&self) -> Vec<&str> {
        self.labels.iter().map(String::as_str).collect()
    }
    /// The `name` property, or the `key`, for messages.
    pub fn display_name(&self) -> String {
        self.props
            .get("name")
            .or_else(|| self.props.get(KEY_PROPERTY))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    }
}

/// A relationship: its type, properties and supporting text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Edge {
    /// The relationship type.
    pub rel_type: String,
    /// Properties; never holds a null.
    pub props: Props,
    /// Every mention that supports the relationship, sorted.
    pub sources: Vec<Provenance>,
}

/// Label → property key → digest of the value (see [`index::digest`]) → nodes.
type PropIndex = HashMap<String, HashMap<String, HashMap<u64, IdSet>>>;

/// The graph with its schema, its source documents and its indexes.
#[derive(Clone, Debug)]
pub struct Graph {
    schema: Schema,
    graph: StableGraph<Node, Edge>,
    documents: BTreeMap<String, DocumentRecord>,
    by_label: HashMap<String, BTreeSet<NodeId>>,
    by_property: PropIndex,
    by_key: HashMap<String, NodeId>,
    by_type: HashMap<String, BTreeSet<EdgeId>>,
    /// One shared copy of each document id and method name that provenance
    /// cites: millions of facts cite a handful of them.
    strings: HashSet<Arc<str>>,
    /// Inverse operations since the oldest open checkpoint; `None` when none is open.
    journal: Option<Vec<Undo>>,
    /// Elements changed since the write-ahead log last took them; `None` when not tracked.
    touched: Option<Touched>,
}

/// How to undo one change (see [`Graph::checkpoint`]).
#[derive(Clone, Debug)]
enum Undo {
    NodeAdded(NodeId),
    NodeRemoved(NodeId, Node),
    NodeReplaced(NodeId, Node),
    EdgeAdded(EdgeId),
    EdgeRemoved(EdgeId, NodeId, NodeId, Edge),
    EdgeReplaced(EdgeId, Edge),
    DocumentSet(String, Option<DocumentRecord>),
}

/// A point a graph can be rolled back to; see [`Graph::checkpoint`].
#[must_use = "a checkpoint must be committed or rolled back"]
#[derive(Debug)]
pub struct Checkpoint {
    at: usize,
    outermost: bool,
}

/// The part of a graph that is stored; indexes are derived on load.
pub(crate) struct GraphParts {
    pub schema: Schema,
    pub graph: StableGraph<Node, Edge>,
    pub documents: BTreeMap<String, DocumentRecord>,
}

impl Default for Graph {
    fn default() -> Graph {
        Graph::new(Schema::news())
    }
}

fn normalise_labels(labels: Vec<String>) -> Vec<String> {
    let set: BTreeSet<String> = labels.into_iter().collect();
    set.into_iter().collect()
}

/// Drops nulls (a null property is an absent one) and refuses lists nested
/// deeper than snapshots can hold.
fn prepare_props(props: impl Into<Props>) -> Result<Props, StoreError> {
    let mut props = props.into();
    props.retain(|_, v| !matches!(v, Value::Null));
    props.shrink();
    let limit = super::codec::MAX_LIST_NESTING;
    if let Some((key, _)) = props.iter().find(|(_, v)| v.list_depth(limit) > limit) {
        return Err(StoreError::TooDeep {
            key: key.clone(),
            limit,
        });
    }
    Ok(props)
}

fn intern(strings: &mut HashSet<Arc<str>>, s: Arc<str>) -> Arc<str> {
    match strings.get(&*s) {
        Some(shared) => shared.clone(),
        None => {
            strings.insert(s.clone());
            s
        }
    }
}

fn intern_source(strings: &mut HashSet<Arc<str>>, mut p: Provenance) -> Provenance {
    p.document = intern(strings, p.document);
    p.method = intern(strings, p.method);
    p
}

fn intern_sources(strings: &mut HashSet<Arc<str>>, sources: &mut [Provenance]) {
    for p in sources {
        p.document = intern(strings, p.document.clone());
        p.method = intern(strings, p.method.clone());
    }
}

fn type_index_insert(by_type: &mut HashMap<String, BTreeSet<EdgeId>>, rel_type: &str, id: EdgeId) {
    match by_type.get_mut(rel_type) {
        Some(set) => {
            set.insert(id);
        }
        None => {
            by_type.insert(rel_type.to_string(), BTreeSet::from([id]));
        }
    }
}

impl Graph {
    /// An empty graph under `schema`.
    pub fn new(schema: Schema) -> Graph {
        Graph {
            schema,
            graph: StableGraph::new(),
            documents: BTreeMap::new(),
            by_label: HashMap::new(),
            by_property: HashMap::new(),
            by_key: HashMap::new(),
            by_type: HashMap::new(),
            strings: HashSet::new(),
            journal: None,
            touched: None,
        }
    }

    // ---- checkpoints ----

    /// Starts recording changes so that they can be undone. Checkpoints nest;
    /// each must end in [`Graph::commit`] or [`Graph::rollback`]. This is what
    /// makes a query statement all-or-nothing without copying the graph.
    pub fn checkpoint(&mut self) -> Checkpoint {
        let outermost = self.journal.is_none();
        let journal = self.journal.get_or_insert_with(Vec::new);
        Checkpoint {
            at: journal.len(),
            outermost,
        }
    }

    /// Keeps the changes made since `cp`.
    pub fn commit(&mut self, cp: Checkpoint) {
        if cp.outermost {
            self.journal = None;
        }
    }

    /// Undoes every change made since `cp`, restoring the same ids.
    pub fn rollback(&mut self, cp: Checkpoint) {
        let Some(mut journal) = self.journal.take() else {
            return;
        };
        while journal.len() > cp.at {
            if let Some(op) = journal.pop() {
                self.undo(op);
            }
        }
        if !cp.outermost {
            self.journal = Some(journal);
        }
    }

    fn record(&mut self, op: Undo) {
        if let Some(t) = &mut self.touched {
            t.note(&op);
        }
        if let Some(j) = &mut self.journal {
            j.push(op);
        }
    }

    fn undo(&mut self, op: Undo) {
        match op {
            Undo::NodeAdded(id) => {
                if let Some(node) = self.graph.remove_node(id.ix()) {
                    self.unindex_node(id, &node);
                    self.set_key_index(&node, &Node::default(), id);
                }
            }
            Undo::NodeRemoved(id, node) => {
                self.set_key_index(&Node::default(), &node, id);
                self.index_node(id, &node);
                self.place_node(id, node);
            }
            Undo::NodeReplaced(id, old) => {
                let current = std::mem::replace(&mut self.graph[id.ix()], old.clone());
                self.unindex_node(id, &current);
                self.set_key_index(&current, &old, id);
                self.index_node(id, &old);
            }
            Undo::EdgeAdded(id) => {
                if let Some(edge) = self.graph.remove_edge(id.ix()) {
                    if let Some(s) = self.by_type.get_mut(&edge.rel_type) {
                        s.remove(&id);
                    }
                }
            }
            Undo::EdgeRemoved(id, from, to, edge) => {
                self.type_index_insert(&edge.rel_type, id);
                self.place_edge(id, from, to, edge);
            }
            Undo::EdgeReplaced(id, old) => {
                self.graph[id.ix()] = old;
            }
            Undo::DocumentSet(id, old) => match old {
                Some(doc) => {
                    self.documents.insert(id, doc);
                }
                None => {
                    self.documents.remove(&id);
                }
            },
        }
    }

    /// The schema every change is checked against.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    pub(crate) fn parts(
        &self,
    ) -> (
        &Schema,
        &StableGraph<Node, Edge>,
        &BTreeMap<String, DocumentRecord>,
    ) {
        (&self.schema, &self.graph, &self.documents)
    }

    /// Rebuilds a graph from stored parts, deriving every index and checking
    /// that the parts are consistent (a file that decodes can still lie).
    pub(crate) fn from_parts(parts: GraphParts) -> Result<Graph, String> {
        let mut g = Graph::new(parts.schema);
        g.graph = parts.graph;
        g.documents = parts.documents;
        for (id, doc) in &g.documents {
            if id != &doc.id {
                return Err(format!(
                    "document stored under {id:?} says its id is {:?}",
                    doc.id
                ));
            }
        }
        let node_ids: Vec<NodeIndex> = g.graph.node_indices().collect();
        for ix in node_ids {
            let node = &g.graph[ix];
            if node.labels.windows(2).any(|w| w[0] >= w[1]) {
                return Err(format!(
                    "node {} has unsorted or repeated labels",
                    node_id(ix)
                ));
            }
            g.check_sources(&node.sources).map_err(|e| e.to_string())?;
            if let Some(Value::String(key)) = node.props.get(KEY_PROPERTY) {
                if let Some(other) = g.by_key.insert(key.clone(), node_id(ix)) {
                    return Err(format!(
                        "key {key:?} names both {other} and {}",
                        node_id(ix)
                    ));
                }
            }
            // Taken out and put back rather than cloned: indexing borrows the graph mutably.
            let mut node = std::mem::take(&mut g.graph[ix]);
            intern_sources(&mut g.strings, &mut node.sources);
            g.index_node(node_id(ix), &node);
            g.graph[ix] = node;
        }
        let Graph {
            graph,
            documents,
            by_type,
            strings,
            ..
        } = &mut g;
        let edge_ids: Vec<EdgeIndex> = graph.edge_indices().collect();
        for ix in edge_ids {
            let edge = &mut graph[ix];
            intern_sources(strings, &mut edge.sources);
            if let Some(p) = edge
                .sources
                .iter()
                .find(|p| !documents.contains_key(&*p.document))
            {
                return Err(StoreError::UnknownDocument(p.document.to_string()).to_string());
            }
            type_index_insert(by_type, &edge.rel_type, edge_id(ix));
        }
        Ok(g)
    }

    /// Makes room for `nodes` more nodes and `edges` more relationships, so
    /// that a bulk load of known size neither copies the element arrays as
    /// they grow nor leaves up to half of them unused.
    pub fn reserve(&mut self, nodes: usize, edges: usize) {
        self.graph.reserve_exact_nodes(nodes);
        self.graph.reserve_exact_edges(edges);
    }

    // ---- documents ----

    /// Adds or replaces a source document.
    pub fn add_document(&mut self, doc: DocumentRecord) {
        let id = doc.id.clone();
        let old = self.documents.insert(id.clone(), doc);
        self.record(Undo::DocumentSet(id, old));
    }

    /// A source document by id.
    pub fn document(&self, id: &str) -> Option<&DocumentRecord> {
        self.documents.get(id)
    }

    /// All source documents, by id.
    pub fn documents(&self) -> impl Iterator<Item = &DocumentRecord> {
        self.documents.values()
    }

    fn check_sources(&self, sources: &[Provenance]) -> Result<(), StoreError> {
        for p in sources {
            if !self.documents.contains_key(&*p.document) {
                return Err(StoreError::UnknownDocument(p.document.to_string()));
            }
        }
        Ok(())
    }

    // ---- reads ----

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    /// Number of relationships.
    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// A node by id.
    pub fn node(&self, id: NodeId) -> Option<&Node> {
        self.graph.node_weight(id.ix())
    }

    /// A relationship by id.
    pub fn edge(&self, id: EdgeId) -> Option<&Edge> {
        self.graph.edge_weight(id.ix())
    }

    /// A node deleted since the oldest open checkpoint (that is, by the
    /// statement running now), as it was; `None` if it was not.
    pub fn deleted_node(&self, id: NodeId) -> Option<&Node> {
        self.journal.as_ref()?.iter().rev().find_map(|u| match u {
            Undo::NodeRemoved(n, node) if *n == id => Some(node),
            _ => None,
        })
    }

    /// A relationship deleted since the oldest open checkpoint, as it was.
    pub fn deleted_edge(&self, id: EdgeId) -> Option<&Edge> {
        self.journal.as_ref()?.iter().rev().find_map(|u| match u {
            Undo::EdgeRemoved(e, _, _, edge) if *e == id => Some(edge),
            _ => None,
        })
    }

    /// The start and end node of a relationship.
    pub fn endpoints(&self, id: EdgeId) -> Option<(NodeId, NodeId)> {
        self.graph
            .edge_endpoints(id.ix())
            .map(|(a, b)| (node_id(a), node_id(b)))
    }

    /// Every node id, in id order.
    pub fn node_ids(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.graph.node_indices().map(node_id)
    }

    /// Every relationship id, in id order.
    pub fn edge_ids(&self) -> impl Iterator<Item = EdgeId> + '_ {
        self.graph.edge_indices().map(edge_id)
    }

    /// Nodes carrying `label`, in id order (from the label index).
    pub fn nodes_with_label<'a>(&'a self, label: &str) -> impl Iterator<Item = NodeId> + 'a {
        self.by_label.get(label).into_iter().flatten().copied()
    }

    /// How many nodes carry `label`.
    pub fn label_count(&self, label: &str) -> usize {
        self.by_label.get(label).map_or(0, BTreeSet::len)
    }

    /// How many relationships have type `rel_type`.
    pub fn type_count(&self, rel_type: &str) -> usize {
        self.by_type.get(rel_type).map_or(0, BTreeSet::len)
    }

    /// Relationships of `rel_type`, in id order.
    pub fn edges_with_type<'a>(&'a self, rel_type: &str) -> impl Iterator<Item = EdgeId> + 'a {
        self.by_type.get(rel_type).into_iter().flatten().copied()
    }

    /// Nodes with `label` whose property `key` equals `value` (from the property index).
    pub fn find_nodes(&self, label: &str, key: &str, value: &Value) -> Vec<NodeId> {
        let (Some(wanted), Some(ids)) = (IndexKey::of(value), self.index_entry(label, key, value))
        else {
            return Vec::new();
        };
        // Digests can collide: keep the nodes whose value really matches.
        ids.iter()
            .filter(|id| {
                self.node(*id)
                    .and_then(|n| n.props.get(key))
                    .and_then(IndexKey::of)
                    .is_some_and(|k| k == wanted)
            })
            .collect()
    }

    /// How many nodes with `label` carry property `key` equal to `value`,
    /// without collecting them: an estimate for planning, exact unless two
    /// values share a 64-bit digest.
    pub fn count_nodes(&self, label: &str, key: &str, value: &Value) -> usize {
        self.index_entry(label, key, value).map_or(0, IdSet::len)
    }

    fn index_entry(&self, label: &str, key: &str, value: &Value) -> Option<&IdSet> {
        let d = index::digest(value)?;
        self.by_property.get(label)?.get(key)?.get(&d)
    }

    /// The node whose `key` property is `key`.
    pub fn node_by_key(&self, key: &str) -> Option<NodeId> {
        self.by_key.get(key).copied()
    }

    /// Relationships touching `node` in `direction` (`Outgoing`: node is the start).
    pub fn edges_of(
        &self,
        node: NodeId,
        direction: Direction,
    ) -> impl Iterator<Item = (EdgeId, NodeId)> + '_ {
        self.graph
            .edges_directed(node.ix(), direction)
            .map(move |e| {
                let other = if direction == Direction::Outgoing {
                    e.target()
                } else {
                    e.source()
                };
                (edge_id(e.id()), node_id(other))
            })
    }

    /// Number of relationships touching `node`, both directions, a self-loop once.
    pub fn degree(&self, node: NodeId) -> usize {
        let out = self
            .graph
            .edges_directed(node.ix(), Direction::Outgoing)
            .count();
        let inc = self
            .graph
            .edges_directed(node.ix(), Direction::Incoming)
            .filter(|e| e.source() != e.target())
            .count();
        out + inc
    }

    /// Node counts per label, sorted by label.
    pub fn label_counts(&self) -> BTreeMap<String, usize> {
        self.by_label
            .iter()
            .filter(|(_, s)| !s.is_empty())
            .map(|(l, s)| (l.clone(), s.len()))
            .collect()
    }

    /// Relationship counts per type, sorted by type.
    pub fn type_counts(&self) -> BTreeMap<String, usize> {
        self.by_type
            .iter()
            .filter(|(_, s)| !s.is_empty())
            .map(|(t, s)| (t.clone(), s.len()))
            .collect()
    }

    /// Every property key in use on nodes, sorted.
    pub fn node_property_keys(&self) -> BTreeSet<String> {
        self.by_property
            .values()
            .flat_map(|m| {
                m.iter()
                    .filter(|(_, v)| !v.is_empty())
                    .map(|(k, _)| k.clone())
            })
            .collect()
    }

    // ---- index maintenance ----

    fn index_node(&mut self, id: NodeId, node: &Node) {
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

    fn unindex_node(&mut self, id: NodeId, node: &Node) {
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

    fn type_index_insert(&mut self, rel_type: &str, id: EdgeId) {
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

    fn claim_key(&self, props: &Props, owner: Option<NodeId>) -> Result<(), StoreError> {
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

    fn set_key_index(&mut self, old: &Node, new: &Node, id: NodeId) {
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

    // ---- comparison ----

    /// Whether two graphs hold the same schema, documents, elements (with the
    /// same ids, properties and provenance) and indexes.
    pub fn same_as(&self, other: &Graph) -> bool {
        fn sets<K: Ord + Clone>(m: &HashMap<String, BTreeSet<K>>) -> BTreeMap<String, BTreeSet<K>> {
            m.iter()
                .filter(|(_, s)| !s.is_empty())
                .map(|(k, s)| (k.clone(), s.clone()))
                .collect()
        }
        fn props(p: &PropIndex) -> BTreeMap<(String, String, u64), Vec<NodeId>> {
            p.iter()
                .flat_map(|(l, m)| {
                    m.iter().flat_map(move |(k, vs)| {
                        vs.iter()
                            .map(move |(v, s)| ((l.clone(), k.clone(), *v), s.iter().collect()))
                    })
                })
                .collect()
        }
        let nodes = |g: &Graph| -> Vec<(NodeId, Node)> {
            g.node_ids()
                .filter_map(|id| g.node(id).map(|n| (id, n.clone())))
                .collect()
        };
        type EdgeRow = (EdgeId, Option<(NodeId, NodeId)>, Edge);
        let edges = |g: &Graph| -> Vec<EdgeRow> {
            g.edge_ids()
                .filter_map(|id| g.edge(id).map(|e| (id, g.endpoints(id), e.clone())))
                .collect()
        };
        self.schema == other.schema
            && self.documents == other.documents
            && nodes(self) == nodes(other)
            && edges(self) == edges(other)
            && sets(&self.by_label) == sets(&other.by_label)
            && sets(&self.by_type) == sets(&other.by_type)
            && props(&self.by_property) == props(&other.by_property)
            && self.by_key == other.by_key
    }
}

// ==== Redo capture for the write-ahead log (see `super::wal`) ====
//
// Every mutation already reports itself to `record` for the undo journal;
// the same call notes which elements it touched. At the end of a unit of
// work the log stores the final state of each touched element (or its
// absence), which replays to the same ids however the unit got there.

/// The final state of every element one unit of work touched: what a
/// write-ahead-log record holds.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ChangeSet {
    pub(crate) documents: Vec<(String, Option<DocumentRecord>)>,
    pub(crate) nodes: Vec<(NodeId, Option<Node>)>,
    pub(crate) edges: Vec<(EdgeId, Option<EdgeState>)>,
}

/// A relationship's endpoints and content, as a log record stores them.
pub(crate) type EdgeState = (NodeId, NodeId, Edge);

impl ChangeSet {
    /// Whether nothing was touched.
    pub fn is_empty(&self) -> bool {
        self.documents.is_empty() && self.nodes.is_empty() && self.edges.is_empty()
    }
}

#[derive(Clone, Debug, Default)]
struct Touched {
    nodes: BTreeSet<NodeId>,
    edges: BTreeSet<EdgeId>,
    documents: BTreeSet<String>,
}

impl Touched {
    fn note(&mut self, op: &Undo) {
        match op {
            Undo::NodeAdded(id) | Undo::NodeRemoved(id, _) | Undo::NodeReplaced(id, _) => {
                self.nodes.insert(*id);
            }
            Undo::EdgeAdded(id) | Undo::EdgeRemoved(id, ..) | Undo::EdgeReplaced(id, _) => {
                self.edges.insert(*id);
            }
            Undo::DocumentSet(id, _) => {
                self.documents.insert(id.clone());
            }
        }
    }
}

impl Graph {
    /// Whether mutations must report an old state (for the journal or the log).
    fn recording(&self) -> bool {
        self.journal.is_some() || self.touched.is_some()
    }

    /// Starts noting which elements change, for [`Graph::take_changes`].
    pub fn track_changes(&mut self) {
        self.touched.get_or_insert_with(Touched::default);
    }

    /// Whether anything changed since changes were last taken (rolled-back
    /// changes count: their elements were touched).
    pub fn has_changes(&self) -> bool {
        self.touched
            .as_ref()
            .is_some_and(|t| !(t.nodes.is_empty() && t.edges.is_empty() && t.documents.is_empty()))
    }

    /// The final state of everything touched since the last call, and a
    /// fresh start; empty when changes are not tracked.
    pub fn take_changes(&mut self) -> ChangeSet {
        let Some(t) = self.touched.as_mut().map(std::mem::take) else {
            return ChangeSet::default();
        };
        ChangeSet {
            documents: t
                .documents
                .into_iter()
                .map(|id| {
                    let doc = self.documents.get(&id).cloned();
                    (id, doc)
                })
                .collect(),
            nodes: t
                .nodes
                .into_iter()
                .map(|id| (id, self.node(id).cloned()))
                .collect(),
            edges: t
                .edges
                .into_iter()
                .map(|id| {
                    let state = self
                        .endpoints(id)
                        .zip(self.edge(id).cloned())
                        .map(|((a, b), e)| (a, b, e));
                    (id, state)
                })
                .collect(),
        }
    }

    /// Forgets what was touched (the changes were undone or saved otherwise).
    pub fn discard_changes(&mut self) {
        if let Some(t) = &mut self.touched {
            *t = Touched::default();
        }
    }

    /// Puts `node` in slot `id`, which must be vacant. Taking free slots until
    /// `id` comes up and giving the others back in reverse keeps the free list
    /// as it was, so later insertions get the ids they would have got.
    fn place_node(&mut self, id: NodeId, node: Node) {
        let mut placeholders = Vec::new();
        loop {
            let ix = self.graph.add_node(Node::default());
            if ix == id.ix() {
                break;
            }
            placeholders.push(ix);
        }
        for ix in placeholders.into_iter().rev() {
            self.graph.remove_node(ix);
        }
        self.graph[id.ix()] = node;
    }

    /// Puts `edge` in slot `id` (vacant) between two live nodes.
    fn place_edge(&mut self, id: EdgeId, from: NodeId, to: NodeId, edge: Edge) {
        let mut placeholders = Vec::new();
        loop {
            let placeholder = Edge {
                rel_type: String::new(),
                props: Props::new(),
                sources: Vec::new(),
            };
            let ix = self.graph.add_edge(from.ix(), to.ix(), placeholder);
            if ix == id.ix() {
                break;
            }
            placeholders.push(ix);
        }
        for ix in placeholders.into_iter().rev() {
            self.graph.remove_edge(ix);
        }
        self.graph[id.ix()] = edge;
    }

    /// Replays one log record: sets every element it names to its final
    /// state, with the same ids, and re-derives the indexes. Checks what the
    /// mutations would have checked, since a record whose checksum matches
    /// can still be wrong; on error the graph must be discarded.
    pub(crate) fn apply_changes(&mut self, cs: ChangeSet) -> Result<(), String> {
        // A unit can grow the slot range by at most the elements it adds;
        // anything beyond would be a crafted id that makes placement allocate without bound.
        let node_limit = petgraph::visit::NodeIndexable::node_bound(&self.graph) + cs.nodes.len();
        let edge_limit = petgraph::visit::EdgeIndexable::edge_bound(&self.graph) + cs.edges.len();
        for (id, _) in &cs.nodes {
            if id.0 as usize >= node_limit || id.0 == u32::MAX {
                return Err(format!("node id {id} is out of range"));
            }
        }
        for (id, _) in &cs.edges {
            if id.0 as usize >= edge_limit || id.0 == u32::MAX {
                return Err(format!("relationship id {id} is out of range"));
            }
        }
        for (id, doc) in cs.documents {
            match doc {
                Some(d) if d.id != id => {
                    return Err(format!(
                        "document stored under {id:?} says its id is {:?}",
                        d.id
                    ))
                }
                Some(d) => {
                    self.documents.insert(id, d);
                }
                None => {
                    self.documents.remove(&id);
                }
            }
        }
        // Relationships that go away or change endpoints leave first, so
        // that their nodes can be removed.
        for (id, state) in &cs.edges {
            if let Some((a, b)) = self.endpoints(*id) {
                let stays = matches!(state, Some((f, t, _)) if (*f, *t) == (a, b));
                if !stays {
                    if let Some(old) = self.graph.remove_edge(id.ix()) {
                        if let Some(s) = self.by_type.get_mut(&old.rel_type) {
                            s.remove(id);
                        }
                    }
                }
            }
        }
        // Old node states leave the indexes before new ones enter, so that
        // a key can pass from one node to another within a unit.
        for (id, _) in &cs.nodes {
            if let Some(old) = self.graph.node_weight(id.ix()).cloned() {
                self.unindex_node(*id, &old);
                self.set_key_index(&old, &Node::default(), *id);
            }
        }
        for (id, state) in &cs.nodes {
            let present = self.graph.contains_node(id.ix());
            match state {
                None if present => {
                    if self.degree(*id) > 0 {
                        return Err(format!("node {id} is deleted but still has relationships"));
                    }
                    self.graph.remove_node(id.ix());
                }
                None => {}
                Some(node) if present => self.graph[id.ix()] = node.clone(),
                Some(node) => self.place_node(*id, node.clone()),
            }
        }
        for (id, state) in &cs.nodes {
            let Some(node) = state else { continue };
            if node.labels.windows(2).any(|w| w[0] >= w[1]) {
                return Err(format!("node {id} has unsorted or repeated labels"));
            }
            let what = |e: &dyn fmt::Display| format!("node {id}: {e}");
            self.schema
                .check_node(&node.label_refs(), &node.props)
                .map_err(|e| what(&e))?;
            self.check_sources(&node.sources).map_err(|e| what(&e))?;
            self.claim_key(&node.props, Some(*id))
                .map_err(|e| what(&e))?;
            self.set_key_index(&Node::default(), node, *id);
            self.index_node(*id, node);
        }
        for (id, state) in cs.edges {
            let Some((from, to, edge)) = state else {
                continue;
            };
            let (Some(a), Some(b)) = (self.node(from), self.node(to)) else {
                return Err(format!(
                    "relationship {id} ends at a node that does not exist"
                ));
            };
            let what = |e: &dyn fmt::Display| format!("relationship {id}: {e}");
            self.schema
                .check_edge(
                    &edge.rel_type,
                    &a.label_refs(),
                    &b.label_refs(),
                    &edge.props,
                )
                .map_err(|e| what(&e))?;
            self.check_sources(&edge.sources).map_err(|e| what(&e))?;
            let rel_type = edge.rel_type.clone();
            if self.graph.edge_weight(id.ix()).is_some() {
                let old = std::mem::replace(&mut self.graph[id.ix()], edge);
                if let Some(s) = self.by_type.get_mut(&old.rel_type) {
                    s.remove(&id);
                }
            } else {
                self.place_edge(id, from, to, edge);
            }
            self.by_type.entry(rel_type).or_default().insert(id);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An open-schema graph of `nodes` people, countries and organizations
    /// with names, descriptions, one document's provenance and a few edges
    /// per node, chosen by `seed`.
    fn generate(nodes: usize, seed: u64) -> Graph {
        let mut g = Graph::new(factgraph_model::Schema::open());
        let text = "Officials met in the capital. Talks went on.";
        g.add_document(DocumentRecord::new("generated", "Synthetic", text));
        let source = |sentence| factgraph_model::Provenance {
            document: "generated".into(),
            sentence,
            start: 0,
            end: 9,
            method: "facts".into(),
        };
        let mut state = seed;
        let mut next = move || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as usize
        };
        let mut ids = Vec::new();
        for i in 0..nodes {
            let label = ["Person", "Country", "Organization"][i % 3];
            let props = BTreeMap::from([
                ("name".to_string(), Value::from(format!("{label} {i}"))),
                (
                    "description".to_string(),
                    Value::from(format!("number {}", next())),
                ),
            ]);
            let id = g
                .add_node(vec![label.into()], props, vec![source(1 + (i % 2) as u32)])
                .expect("a valid node");
            ids.push(id);
        }
        for (i, &from) in ids.iter().enumerate() {
            for _ in 0..2 {
                let to = ids[next() % ids.len()];
                let props = BTreeMap::from([("status".to_string(), Value::from(format!("{i}")))]);
                g.add_edge(from, to, "MEETS", props, vec![source(1)])
                    .expect("a valid edge");
            }
        }
        g
    }

    /// A few hundred mixed changes: deletions (with and without detach),
    /// insertions that reuse freed ids, property, label and provenance edits.
    fn churn(g: &mut Graph, seed: u64) {
        let mut state = seed;
        let mut next = move || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as usize
        };
        for _ in 0..300 {
            let nodes: Vec<NodeId> = g.node_ids().collect();
            let edges: Vec<EdgeId> = g.edge_ids().collect();
            let n = nodes[next() % nodes.len()];
            match next() % 7 {
                0 => {
                    let _ = g.remove_node(n, true);
                }
                1 if !edges.is_empty() => {
                    let _ = g.remove_edge(edges[next() % edges.len()]);
                }
                2 => {
                    let _ = g.add_node(
                        vec!["Person".into()],
                        BTreeMap::from([("name".into(), Value::from(format!("new {}", next())))]),
                        Vec::new(),
                    );
                }
                3 => {
                    let _ = g.set_node_property(n, "description", Value::from("changed"));
                }
                4 if !edges.is_empty() => {
                    let e = edges[next() % edges.len()];
                    let _ = g.set_edge_property(e, "status", Value::from("edited"));
                }
                5 => {
                    let m = nodes[next() % nodes.len()];
                    let _ = g.add_edge(n, m, "MEETS", BTreeMap::new(), Vec::new());
                }
                _ => {
                    let _ = g.set_node_property(n, "name", Value::Null);
                }
            }
        }
    }

    #[test]
    fn rollback_restores_the_graph_with_the_same_ids_and_indexes() {
        let mut g = generate(400, 7);
        // Free some slots first, so that later insertions reuse ids.
        for id in g.node_ids().step_by(17).collect::<Vec<_>>() {
            g.remove_node(id, true).expect("remove");
        }
        let before = g.clone();
        let cp = g.checkpoint();
        churn(&mut g, 11);
        assert!(!g.same_as(&before));
        g.rollback(cp);
        assert!(g.same_as(&before));
        // The restored graph still takes changes.
        let id = g
            .add_node(
                vec!["Country".into()],
                BTreeMap::from([("name".into(), Value::from("Freedonia"))]),
                Vec::new(),
            )
            .expect("add");
        assert!(g.node(id).is_some());
    }

    #[test]
    fn nested_checkpoints_keep_or_drop_their_own_changes() {
        let mut g = generate(200, 3);
        let start = g.clone();
        let outer = g.checkpoint();
        churn(&mut g, 1);
        let middle = g.clone();
        let inner = g.checkpoint();
        churn(&mut g, 2);
        g.rollback(inner);
        assert!(g.same_as(&middle));
        let inner = g.checkpoint();
        churn(&mut g, 3);
        g.commit(inner);
        let kept = g.clone();
        assert!(!kept.same_as(&middle));
        g.rollback(outer);
        assert!(g.same_as(&start));
        let cp = g.checkpoint();
        churn(&mut g, 4);
        g.commit(cp);
        assert!(g.journal.is_none(), "the outermost commit stops recording");
    }
}
