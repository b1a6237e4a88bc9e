//! The part of a graph to export.

use std::collections::{BTreeSet, VecDeque};

use petgraph::Direction;

use crate::query::Val;
use crate::store::{Edge, EdgeId, Graph, Node, NodeId};

/// A set of nodes and relationships of one graph. Every relationship's two
/// endpoints are in the node set (inserting a relationship brings them).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Subgraph {
    nodes: BTreeSet<NodeId>,
    edges: BTreeSet<EdgeId>,
}

impl Subgraph {
    /// An empty subgraph.
    pub fn new() -> Subgraph {
        Subgraph::default()
    }

    /// Every node and relationship of `graph`.
    pub fn whole(graph: &Graph) -> Subgraph {
        Subgraph {
            nodes: graph.node_ids().collect(),
            edges: graph.edge_ids().collect(),
        }
    }

    /// Every node and relationship bound anywhere in a query result: in a
    /// column, inside lists and maps, and along paths. A relationship brings
    /// its two endpoints. Ids no longer in `graph` are skipped.
    pub fn from_rows(graph: &Graph, rows: &[Vec<Val>]) -> Subgraph {
        let mut sub = Subgraph::new();
        for row in rows {
            for v in row {
                sub.add_value(graph, v);
            }
        }
        sub
    }

    /// Adds every node and relationship found in `v` (recursively).
    pub fn add_value(&mut self, graph: &Graph, v: &Val) {
        match v {
            Val::Node(id) => {
                self.insert_node(graph, *id);
            }
            Val::Rel(id) => {
                self.insert_edge(graph, *id);
            }
            Val::Path(p) => {
                for n in &p.nodes {
                    self.insert_node(graph, *n);
                }
                for r in &p.rels {
                    self.insert_edge(graph, *r);
                }
            }
            Val::List(items) => {
                for item in items {
                    self.add_value(graph, item);
                }
            }
            Val::Map(m) => {
                for item in m.values() {
                    self.add_value(graph, item);
                }
            }
            Val::Null
            | Val::Bool(_)
            | Val::Int(_)
            | Val::Float(_)
            | Val::Str(_)
            | Val::Date(_)
            | Val::LocalTime(_)
            | Val::Time(_)
            | Val::LocalDateTime(_)
            | Val::DateTime(_)
            | Val::Duration(_) => {}
        }
    }

    /// Adds a node; false when `graph` has no such node or it was already there.
    pub fn insert_node(&mut self, graph: &Graph, id: NodeId) -> bool {
        graph.node(id).is_some() && self.nodes.insert(id)
    }

    /// Adds a relationship and its two endpoints; false when `graph` has no
    /// such relationship or it was already there.
    pub fn insert_edge(&mut self, graph: &Graph, id: EdgeId) -> bool {
        let Some((a, b)) = graph.endpoints(id) else {
            return false;
        };
        self.nodes.insert(a);
        self.nodes.insert(b);
        self.edges.insert(id)
    }

    /// Grows the subgraph by its `hops`-hop neighbourhood, following
    /// relationships in both directions, then adds every relationship of
    /// `graph` between two of its nodes (so the result is the subgraph
    /// induced by the grown node set). `hops == 0` changes nothing.
    pub fn expand(&mut self, graph: &Graph, hops: u32) {
        self.expand_filtered(graph, hops, &|_, _| true);
    }

    /// Like [`Subgraph::expand`], but a node reached by the expansion is
    /// added (and expanded further) only when `keep` accepts it: for example
    /// `|_, n| !n.has_label("Document")` stops at the source-document hub that
    /// every mentioned node links to. Nodes already in the subgraph stay.
    pub fn expand_filtered(
        &mut self,
        graph: &Graph,
        hops: u32,
        keep: &dyn Fn(NodeId, &Node) -> bool,
    ) {
        if hops == 0 {
            return;
        }
        let mut queue: VecDeque<(NodeId, u32)> = self.nodes.iter().map(|n| (*n, 0)).collect();
        while let Some((node, depth)) = queue.pop_front() {
            if depth >= hops {
                continue;
            }
            for dir in [Direction::Outgoing, Direction::Incoming] {
                for (_, other) in graph.edges_of(node, dir) {
                    if self.nodes.contains(&other) {
                        continue;
                    }
                    let Some(n) = graph.node(other) else { continue };
                    if keep(other, n) {
                        self.nodes.insert(other);
                        queue.push_back((other, depth + 1));
                    }
                }
            }
        }
        for &node in &self.nodes {
            for (edge, other) in graph.edges_of(node, Direction::Outgoing) {
                if self.nodes.contains(&other) {
                    self.edges.insert(edge);
                }
            }
        }
    }

    /// The node ids, in order.
    pub fn nodes(&self) -> &BTreeSet<NodeId> {
        &self.nodes
    }

    /// The relationship ids, in order.
    pub fn edges(&self) -> &BTreeSet<EdgeId> {
        &self.edges
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// Number of relationships.
    pub fn edge_count(&self) -> usize {
        self.edges.len()
    }

    /// Whether it holds nothing.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty() && self.edges.is_empty()
    }

    /// The nodes still in `graph`, in id order.
    pub(crate) fn live_nodes<'g>(&self, graph: &'g Graph) -> Vec<(NodeId, &'g Node)> {
        self.nodes
            .iter()
            .filter_map(|id| graph.node(*id).map(|n| (*id, n)))
            .collect()
    }

    /// The relationships still in `graph` whose endpoints are both in the
    /// subgraph, in id order, with their endpoints.
    pub(crate) fn live_edges<'g>(&self, graph: &'g Graph) -> Vec<LiveEdge<'g>> {
        self.edges
            .iter()
            .filter_map(|id| {
                let edge = graph.edge(*id)?;
                let (from, to) = graph.endpoints(*id)?;
                (self.nodes.contains(&from)
                    && self.nodes.contains(&to)
                    && graph.node(from).is_some()
                    && graph.node(to).is_some())
                .then_some(LiveEdge {
                    id: *id,
                    edge,
                    from,
                    to,
                })
            })
            .collect()
    }
}

/// A relationship with its endpoints, as the writers use it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LiveEdge<'g> {
    pub id: EdgeId,
    pub edge: &'g Edge,
    pub from: NodeId,
    pub to: NodeId,
}
