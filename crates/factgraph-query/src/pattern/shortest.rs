//! `shortestPath` and `allShortestPaths`: breadth-first search between the
//! endpoints, with the path conditions applied while searching.

use std::collections::{HashMap, HashSet, VecDeque};

use factgraph_store::{EdgeId, NodeId};

use crate::ast::{NodePattern, PatternPart, RelPattern, Shortest};
use crate::error::{QResult, QueryError};
use crate::eval::{eval, Env};
use crate::value::Val;

use super::plan::{choose_anchor, evaluable, PathFilter};
use super::{build_path, Matcher};

impl Matcher<'_, '_> {
    /// `shortestPath((a)-[*]-(b))` and `allShortestPaths(...)`: breadth-first search between every candidate pair.
    pub(super) fn shortest(&mut self, parts: &[PatternPart], i: usize) -> QResult<()> {
        let part = &parts[i];
        let [(rp, end_np)] = part.steps.as_slice() else {
            return Err(QueryError::semantic(
                "Semantic.InvalidShortestPath",
                "shortestPath() needs a pattern with exactly one relationship, e.g. (a)-[*]-(b)",
            ));
        };
        let start_np = &part.start;
        let starts = self.endpoint_candidates(start_np)?;
        let ends = self.endpoint_candidates(end_np)?;
        let (min, max) = rp.length.unwrap_or((1, Some(1)));
        let all_filters: Vec<&PathFilter> = self
            .path_filters
            .iter()
            .filter(|f| part.path_var.as_deref() == Some(f.path_var.as_str()))
            .collect();
        for &s in &starts {
            let Some(new_s) = self.bind(&start_np.var, Val::Node(s)) else {
                continue;
            };
            for &t in &ends {
                self.ctx.work.guard.tick()?;
                let Some(new_t) = self.bind(&end_np.var, Val::Node(t)) else {
                    continue;
                };
                // Conditions that read only what is bound by now (the endpoints
                // included) apply during the search; the WHERE clause still
                // checks the rest once the whole pattern is bound.
                let filters: Vec<&PathFilter> = all_filters
                    .iter()
                    .copied()
                    .filter(|f| {
                        evaluable(&f.pred, &|v| {
                            v == f.var || self.bound(v) || self.input.get(v).is_some()
                        })
                    })
                    .collect();
                let paths = if self.path_elem_ok(&filters, true, Val::Node(s))? {
                    self.bfs(
                        s,
                        t,
                        rp,
                        min,
                        max,
                        part.shortest == Some(Shortest::All),
                        &filters,
                    )?
                } else {
                    Vec::new()
                };
                for edges in paths {
                    let rel_val = Val::List(edges.iter().map(|e| Val::Rel(*e)).collect());
                    let path =
                        build_path(self.graph(), &[Some(s), Some(t)], &[Some(edges.clone())]);
                    let new_r = self.bind(&rp.var, rel_val);
                    let new_p = self.bind(&part.path_var, Val::Path(path));
                    if let (Some(_), Some(_)) = (new_r, new_p) {
                        self.parts(parts, i + 1)?;
                    }
                    if let Some(n) = new_p {
                        self.unbind(&part.path_var, n);
                    }
                    if let Some(n) = new_r {
                        self.unbind(&rp.var, n);
                    }
                }
                self.unbind(&end_np.var, new_t);
            }
            self.unbind(&start_np.var, new_s);
        }
        Ok(())
    }

    fn endpoint_candidates(&self, np: &NodePattern) -> QResult<Vec<NodeId>> {
        let anchor_part = PatternPart {
            path_var: None,
            shortest: None,
            start: np.clone(),
            steps: Vec::new(),
            span: np.span,
        };
        let bound = |v: &str| self.bound(v) || self.input.get(v).is_some();
        let anchor = choose_anchor(self.ctx, &anchor_part, &bound, self.hints);
        let mut out = Vec::new();
        for id in self.candidates(&anchor, np)? {
            if self.node_ok(id, np)? {
                out.push(id);
            }
        }
        Ok(out)
    }

    /// Whether a node or relationship on a path passes the path's conditions.
    fn path_elem_ok(&self, filters: &[&PathFilter], node: bool, val: Val) -> QResult<bool> {
        for f in filters.iter().filter(|f| f.nodes == node) {
            let mut names = Vec::new();
            let mut row = Vec::new();
            for (n, v) in self.names.iter().zip(&self.slots) {
                if let Some(v) = v {
                    names.push(n.clone());
                    row.push(v.clone());
                }
            }
            names.push(f.var.clone());
            row.push(val.clone());
            if eval(self.ctx, &f.pred, Env::new(&names, &row))? != Val::Bool(f.want) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    #[allow(clippy::too_many_arguments)]
    fn bfs(
        &self,
        s: NodeId,
        t: NodeId,
        rp: &RelPattern,
        min: u32,
        max: Option<u32>,
        all: bool,
        filters: &[&PathFilter],
    ) -> QResult<Vec<Vec<EdgeId>>> {
        if s == t {
            return Ok(if min == 0 {
                vec![Vec::new()]
            } else {
                Vec::new()
            });
        }
        // Level-synchronous BFS keeping every parent edge on a shortest route.
        let mut parents: HashMap<NodeId, Vec<(EdgeId, NodeId)>> = HashMap::new();
        let mut seen: HashSet<NodeId> = HashSet::from([s]);
        let mut frontier = vec![s];
        let mut depth = 0u32;
        let mut found = false;
        while !frontier.is_empty() && !found && max.is_none_or(|m| depth < m) {
            depth += 1;
            let mut next: Vec<NodeId> = Vec::new();
            let mut reached: HashMap<NodeId, Vec<(EdgeId, NodeId)>> = HashMap::new();
            for &u in &frontier {
                for (e, v) in self.neighbours(u, rp.dir) {
                    self.ctx.work.guard.tick()?;
                    if seen.contains(&v) || self.used.contains(&e) || !self.rel_ok(e, rp)? {
                        continue;
                    }
                    if !filters.is_empty()
                        && (!self.path_elem_ok(filters, false, Val::Rel(e))?
                            || !self.path_elem_ok(filters, true, Val::Node(v))?)
                    {
                        continue;
                    }
                    let entry = reached.entry(v).or_default();
                    if entry.is_empty() {
                        next.push(v);
                    }
                    entry.push((e, u));
                }
            }
            for (v, ps) in reached {
                seen.insert(v);
                if v == t {
                    found = true;
                }
                parents.insert(v, ps);
            }
            next.sort();
            frontier = next;
        }
        if !found || depth < min {
            return Ok(Vec::new());
        }
        // Walk parents back from t.
        let mut paths = Vec::new();
        let mut stack: VecDeque<(NodeId, Vec<EdgeId>)> = VecDeque::from([(t, Vec::new())]);
        while let Some((v, suffix)) = stack.pop_back() {
            if v == s {
                let mut p = suffix;
                p.reverse();
                paths.push(p);
                if !all {
                    break;
                }
                continue;
            }
            for (e, u) in parents.get(&v).into_iter().flatten() {
                let mut next = suffix.clone();
                next.push(*e);
                stack.push_back((*u, next));
                if !all {
                    break;
                }
            }
        }
        paths.sort();
        Ok(paths)
    }
}
