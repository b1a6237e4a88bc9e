//! The in-memory graph: a petgraph `StableGraph` (ids survive deletions)
//! plus the indexes that keep lookups off full scans. Every mutation goes
//! through the schema and keeps the indexes in step.
//!
//! This module holds the graph's types, its reads and its indexes' lookups;
//! [`mutation`] changes it, and [`journal`] records the changes for
//! checkpoints (undo) and for the write-ahead log (redo).

mod journal;
mod mutation;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;
use std::sync::Arc;

use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableGraph};
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use serde::{Deserialize, Serialize};

use factgraph_model::{Props, Provenance, Schema, Value, KEY_PROPERTY};

use super::document::DocumentRecord;
use super::error::StoreError;
use super::index::{self, IdSet, IndexKey};

pub use journal::ChangeSet;
use journal::Touched;

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
