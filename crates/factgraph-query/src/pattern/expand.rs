//! Matching pattern parts node by node: the anchor's candidates, then each
//! relationship step, single or of variable length.

use petgraph::Direction;

use factgraph_store::{EdgeId, NodeId};

use crate::ast::{Dir, NodePattern, PatternPart, RelPattern};
use crate::error::{QResult, QueryError};
use crate::eval::WorkCounters;
use crate::value::Val;

use super::plan::{choose_anchor, Anchor};
use super::{build_path, node_at, reverse, Matcher, RelBinding};

impl Matcher<'_, '_> {
    pub(super) fn parts(&mut self, parts: &[PatternPart], i: usize) -> QResult<()> {
        let Some(part) = parts.get(i) else {
            let row: Vec<Val> = self
                .slots
                .iter()
                .map(|v| v.clone().unwrap_or(Val::Null))
                .collect();
            self.out_values += crate::limits::row_weight(&row);
            self.out.push(row);
            return self.ctx.work.guard.hold(self.out.len(), self.out_values);
        };
        if part.shortest.is_some() {
            return self.shortest(parts, i);
        }
        let len = part.steps.len() + 1;
        let mut nodes: Vec<Option<NodeId>> = vec![None; len];
        let mut rels: Vec<Option<RelBinding>> = vec![None; len - 1];
        let anchor = {
            let bound = |v: &str| self.bound(v) || self.input.get(v).is_some();
            choose_anchor(self.ctx, part, &bound, self.hints)
        };
        let start = anchor.pos();
        let np = node_at(part, start);
        for id in self.candidates(&anchor, np)? {
            self.ctx.work.guard.tick()?;
            if !self.node_ok(id, np)? {
                continue;
            }
            let Some(new) = self.bind(&np.var, Val::Node(id)) else {
                continue;
            };
            nodes[start] = Some(id);
            self.extend(parts, i, start, start, &mut nodes, &mut rels)?;
            nodes[start] = None;
            self.unbind(&np.var, new);
        }
        Ok(())
    }

    pub(super) fn candidates(&self, anchor: &Anchor, np: &NodePattern) -> QResult<Vec<NodeId>> {
        let g = self.graph();
        let work: &WorkCounters = self.ctx.work;
        Ok(match anchor {
            Anchor::Bound { .. } => {
                let var = np.var.as_deref().unwrap_or_default();
                let val = self
                    .slot(var)
                    .and_then(|s| self.slots[s].clone())
                    .or_else(|| self.input.get(var).cloned());
                match val {
                    Some(Val::Node(id)) => vec![id],
                    Some(Val::Null) | None => Vec::new(),
                    Some(other) => {
                        return Err(QueryError::type_error(format!(
                            "variable `{var}` holds a value of type {}, not a node",
                            other.type_name()
                        )))
                    }
                }
            }
            Anchor::IndexSeek {
                label, key, value, ..
            } => {
                WorkCounters::add(&work.index_lookups, 1);
                match self.eval_now(value)?.to_value() {
                    Some(v) => g.find_nodes(label, key, &v),
                    None => Vec::new(),
                }
            }
            Anchor::LabelScan { label, .. } => {
                let ids: Vec<NodeId> = g.nodes_with_label(label).collect();
                WorkCounters::add(&work.nodes_scanned, ids.len() as u64);
                ids
            }
            Anchor::AllNodes { .. } => {
                let ids: Vec<NodeId> = g.node_ids().collect();
                WorkCounters::add(&work.nodes_scanned, ids.len() as u64);
                ids
            }
        })
    }

    /// Extends a part's match from the known range `lo..=hi` of node positions: rightwards first, then leftwards.
    pub(super) fn extend(
        &mut self,
        parts: &[PatternPart],
        i: usize,
        lo: usize,
        hi: usize,
        nodes: &mut Vec<Option<NodeId>>,
        rels: &mut Vec<Option<RelBinding>>,
    ) -> QResult<()> {
        let part = &parts[i];
        let (step, forward) = if hi < part.steps.len() {
            (hi, true)
        } else if lo > 0 {
            (lo - 1, false)
        } else {
            // The part is complete: bind its path, go on with the next part.
            let path = build_path(self.graph(), nodes, rels);
            let Some(new) = self.bind(&part.path_var, Val::Path(path)) else {
                return Ok(());
            };
            self.parts(parts, i + 1)?;
            self.unbind(&part.path_var, new);
            return Ok(());
        };
        let (rp, _) = &part.steps[step];
        let (from_pos, to_pos) = if forward {
            (step, step + 1)
        } else {
            (step + 1, step)
        };
        let from = nodes[from_pos]
            .ok_or_else(|| QueryError::runtime("Runtime.Internal", "unbound pattern node"))?;
        let to_np = node_at(part, to_pos);
        let dir = if forward { rp.dir } else { reverse(rp.dir) };
        for (edges, target) in self.expansions(from, rp, dir)? {
            self.ctx.work.guard.tick()?;
            if !self.node_ok(target, to_np)? {
                continue;
            }
            let rel_val = if rp.length.is_some() {
                let mut ordered = edges.clone();
                if !forward {
                    ordered.reverse();
                }
                Val::List(ordered.iter().map(|e| Val::Rel(*e)).collect())
            } else {
                Val::Rel(edges[0])
            };
            let Some(new_rel) = self.bind(&rp.var, rel_val) else {
                continue;
            };
            let Some(new_node) = self.bind(&to_np.var, Val::Node(target)) else {
                self.unbind(&rp.var, new_rel);
                continue;
            };
            let mut ordered = edges.clone();
            if !forward {
                ordered.reverse();
            }
            rels[step] = Some(ordered);
            nodes[to_pos] = Some(target);
            self.used.extend(&edges);
            let (nlo, nhi) = if forward { (lo, hi + 1) } else { (lo - 1, hi) };
            let result = self.extend(parts, i, nlo, nhi, nodes, rels);
            self.used.truncate(self.used.len() - edges.len());
            nodes[to_pos] = None;
            rels[step] = None;
            self.unbind(&to_np.var, new_node);
            self.unbind(&rp.var, new_rel);
            result?;
        }
        Ok(())
    }

    /// Every way to follow `rp` from `from`: the relationships taken and the node reached.
    fn expansions(
        &self,
        from: NodeId,
        rp: &RelPattern,
        dir: Dir,
    ) -> QResult<Vec<(Vec<EdgeId>, NodeId)>> {
        let mut out = Vec::new();
        match rp.length {
            None => {
                for (e, other) in self.neighbours(from, dir) {
                    if !self.used.contains(&e) && self.rel_ok(e, rp)? {
                        out.push((vec![e], other));
                    }
                }
            }
            Some((min, max)) => {
                let mut trail = Vec::new();
                self.expansion_values.set(0);
                self.var_length(from, rp, dir, min, max, &mut trail, &mut out)?;
            }
        }
        Ok(out)
    }

    #[allow(clippy::too_many_arguments)]
    fn var_length(
        &self,
        at: NodeId,
        rp: &RelPattern,
        dir: Dir,
        min: u32,
        max: Option<u32>,
        trail: &mut Vec<EdgeId>,
        out: &mut Vec<(Vec<EdgeId>, NodeId)>,
    ) -> QResult<()> {
        let depth = trail.len() as u32;
        if depth >= min {
            out.push((trail.clone(), at));
            let held = self.expansion_values.get() + 1 + trail.len();
            self.expansion_values.set(held);
            self.ctx.work.guard.hold(out.len(), held)?;
        }
        if max.is_some_and(|m| depth >= m) {
            return Ok(());
        }
        for (e, other) in self.neighbours(at, dir) {
            self.ctx.work.guard.tick()?;
            if trail.contains(&e) || self.used.contains(&e) || !self.rel_ok(e, rp)? {
                continue;
            }
            trail.push(e);
            self.var_length(other, rp, dir, min, max, trail, out)?;
            trail.pop();
        }
        Ok(())
    }

    pub(super) fn neighbours(&self, node: NodeId, dir: Dir) -> Vec<(EdgeId, NodeId)> {
        let g = self.graph();
        let mut out: Vec<(EdgeId, NodeId)> = Vec::new();
        if matches!(dir, Dir::Out | Dir::Both) {
            out.extend(g.edges_of(node, Direction::Outgoing));
        }
        if matches!(dir, Dir::In | Dir::Both) {
            out.extend(
                g.edges_of(node, Direction::Incoming)
                    .filter(|(_, other)| !(dir == Dir::Both && *other == node)),
            );
        }
        WorkCounters::add(&self.ctx.work.rels_expanded, out.len() as u64);
        out.sort();
        out
    }
}
