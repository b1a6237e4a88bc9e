//! What a graph records of its own changes: the undo journal behind
//! checkpoints, and the redo capture the write-ahead log stores.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use factgraph_model::Props;

use crate::document::DocumentRecord;

use super::{Checkpoint, Edge, EdgeId, Graph, Node, NodeId, Undo};

impl Graph {
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

    pub(super) fn record(&mut self, op: Undo) {
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
}

// ==== Redo capture for the write-ahead log (see `crate::wal`) ====
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
pub(super) struct Touched {
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
    pub(super) fn recording(&self) -> bool {
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
