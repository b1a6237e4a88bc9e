//! Pattern matching: binds node and relationship patterns to the graph.
//!
//! Each pattern part starts from an *anchor* (a bound variable, a property
//! index seek, a label scan, or, as a last resort, all nodes), chosen by
//! [`choose_anchor`], then expands along the chain in both directions.
//! Relationships are never reused within one MATCH (openCypher's
//! relationship isomorphism).

use std::collections::{HashMap, HashSet, VecDeque};

use petgraph::Direction;

use factgraph_store::{EdgeId, Graph, NodeId};

use super::ast::{
    BinOp, Dir, Expr, MapProjItem, NodePattern, PatternPart, Quantifier, RelPattern, Shortest,
};
use super::error::{QResult, QueryError};
use super::eval::{eval, Ctx, Env, WorkCounters};
use super::value::{Path, Val};

/// How a pattern part finds its first node.
#[derive(Clone, Debug, PartialEq)]
pub enum Anchor {
    /// Node `pos` is already bound.
    Bound {
        /// Position in the chain.
        pos: usize,
    },
    /// Property index lookup on node `pos`.
    IndexSeek {
        /// Position in the chain.
        pos: usize,
        /// The label.
        label: String,
        /// The property.
        key: String,
        /// The value to look up.
        value: Expr,
    },
    /// Every node with a label.
    LabelScan {
        /// Position in the chain.
        pos: usize,
        /// The label.
        label: String,
    },
    /// Every node.
    AllNodes {
        /// Position in the chain.
        pos: usize,
    },
}

impl Anchor {
    /// The position in the chain of the node the match starts from.
    pub fn pos(&self) -> usize {
        match self {
            Anchor::Bound { pos }
            | Anchor::IndexSeek { pos, .. }
            | Anchor::LabelScan { pos, .. }
            | Anchor::AllNodes { pos } => *pos,
        }
    }
}

/// Equality conjuncts `var.key = value` from a WHERE clause, usable as index seeks.
pub fn equality_hints(filter: Option<&Expr>) -> Vec<(String, String, Expr)> {
    let mut out = Vec::new();
    fn walk(e: &Expr, out: &mut Vec<(String, String, Expr)>) {
        match e {
            Expr::Binary(BinOp::And, a, b) => {
                walk(a, out);
                walk(b, out);
            }
            Expr::Binary(BinOp::Eq, a, b) => {
                for (lhs, rhs) in [(a, b), (b, a)] {
                    if let Expr::Property(target, key) = lhs.as_ref() {
                        if let Expr::Var(v, _) = target.as_ref() {
                            out.push((v.clone(), key.clone(), rhs.as_ref().clone()));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    if let Some(f) = filter {
        walk(f, &mut out);
    }
    out
}

/// A condition on every node or every relationship of a path, from
/// `WHERE all(x IN nodes(p) WHERE ...)` or `none(...)`. Shortest-path search
/// applies it while searching, as Neo4j does, so that the path found is the
/// shortest one that satisfies it (not the shortest one, then discarded).
#[derive(Clone, Debug)]
pub struct PathFilter {
    /// The path variable.
    pub path_var: String,
    /// Over `nodes(p)` (else `relationships(p)`).
    pub nodes: bool,
    /// The item variable.
    pub var: String,
    /// The condition.
    pub pred: Expr,
    /// `true` for `all` (the condition must hold), `false` for `none` (it must be false).
    pub want: bool,
}

/// Path conditions among the top-level conjuncts of a WHERE clause.
pub fn path_filters(filter: Option<&Expr>) -> Vec<PathFilter> {
    fn walk(e: &Expr, out: &mut Vec<PathFilter>) {
        match e {
            Expr::Binary(BinOp::And, a, b) => {
                walk(a, out);
                walk(b, out);
            }
            Expr::ListPredicate {
                kind,
                var,
                list,
                filter,
            } => {
                let want = match kind {
                    Quantifier::All => true,
                    Quantifier::None => false,
                    _ => return,
                };
                if let Expr::Call { name, args, .. } = list.as_ref() {
                    if let [Expr::Var(p, _)] = args.as_slice() {
                        if name == "nodes" || name == "relationships" {
                            out.push(PathFilter {
                                path_var: p.clone(),
                                nodes: name == "nodes",
                                var: var.clone(),
                                pred: filter.as_ref().clone(),
                                want,
                            });
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Some(f) = filter {
        walk(f, &mut out);
    }
    out
}

/// Variables an expression reads (approximately: every `Var` inside it).
pub(crate) fn vars_of(e: &Expr, out: &mut Vec<String>) {
    e.visit(&mut |x| match x {
        Expr::Var(v, _) => {
            out.push(v.clone());
            false
        }
        // Comprehensions and subqueries bind their own names; treat them as opaque.
        Expr::ListComprehension { .. }
        | Expr::ListPredicate { .. }
        | Expr::PatternComprehension { .. }
        | Expr::Exists { .. }
        | Expr::ExistsSubquery(_) => {
            out.push("\u{0}opaque".into());
            false
        }
        Expr::MapProjection { target, items } => {
            vars_of(target, out);
            for it in items {
                match it {
                    MapProjItem::Entry(_, e) => vars_of(e, out),
                    MapProjItem::Var(v, _) => out.push(v.clone()),
                    MapProjItem::All | MapProjItem::Property(_) => {}
                }
            }
            false
        }
        _ => true,
    });
}

/// Whether `e` can be evaluated with only the variables for which `bound` holds.
pub fn evaluable(e: &Expr, bound: &dyn Fn(&str) -> bool) -> bool {
    let mut vars = Vec::new();
    vars_of(e, &mut vars);
    vars.iter().all(|v| bound(v))
}

fn inline_props(np_props: &Option<Expr>) -> Vec<(String, Expr)> {
    match np_props {
        Some(Expr::Map(entries)) => entries.clone(),
        _ => Vec::new(),
    }
}

/// How many relationships a step is expected to follow from one node of
/// `from`: the step's relationships over the nodes that can start them. At
/// least 1, so that a selective step never makes a start look cheaper than
/// its candidates.
fn fan_out(g: &Graph, rel: &RelPattern, from: &NodePattern) -> f64 {
    let rels = if rel.types.is_empty() {
        g.edge_count()
    } else {
        rel.types.iter().map(|t| g.type_count(t)).sum()
    };
    let nodes = from
        .labels
        .iter()
        .map(|l| g.label_count(l))
        .min()
        .unwrap_or_else(|| g.node_count())
        .max(1);
    let per_node = rels as f64 / nodes as f64;
    let per_node = if rel.dir == Dir::Both {
        2.0 * per_node
    } else {
        per_node
    };
    let hops = match rel.length {
        Some((_, max)) => max.unwrap_or(3).clamp(1, 3) as i32,
        None => 1,
    };
    per_node.powi(hops).max(1.0)
}

/// Picks where to start matching `part`: a bound node if any; otherwise the
/// node pattern whose candidates times the expected fan-out of the rest of
/// the pattern is smallest, preferring index seeks. Fan-out matters: 200
/// countries look cheaper than 1,000 people of one name, until each country
/// is expanded through its 3,000 citizens.
pub fn choose_anchor(
    ctx: &Ctx,
    part: &PatternPart,
    bound: &dyn Fn(&str) -> bool,
    hints: &[(String, String, Expr)],
) -> Anchor {
    let nodes: Vec<&NodePattern> = std::iter::once(&part.start)
        .chain(part.steps.iter().map(|(_, n)| n))
        .collect();
    if let Some(pos) = nodes
        .iter()
        .position(|n| n.var.as_deref().is_some_and(bound))
    {
        return Anchor::Bound { pos };
    }
    let g = ctx.graph;
    let empty_env = Env::new(&[], &[]);
    // The expansion cost of starting at each position: the steps to its right
    // are followed forwards from their left node, those to its left backwards.
    let path_factor = |pos: usize| -> f64 {
        let right: f64 = (pos..part.steps.len())
            .map(|i| fan_out(g, &part.steps[i].0, nodes[i]))
            .product();
        let left: f64 = (0..pos)
            .map(|i| fan_out(g, &part.steps[i].0, nodes[i + 1]))
            .product();
        right * left
    };
    let mut best: Option<(f64, Anchor)> = None;
    let mut consider = |candidates: usize, factor: f64, anchor: Anchor| {
        let cost = candidates as f64 * factor;
        if best.as_ref().is_none_or(|(c, _)| cost < *c) {
            best = Some((cost, anchor));
        }
    };
    for (pos, np) in nodes.iter().enumerate() {
        let factor = path_factor(pos);
        let mut equalities = inline_props(&np.props);
        if let Some(v) = &np.var {
            equalities.extend(
                hints
                    .iter()
                    .filter(|(hv, _, _)| hv == v)
                    .map(|(_, k, e)| (k.clone(), e.clone())),
            );
        }
        for label in &np.labels {
            for (key, value) in &equalities {
                if !evaluable(value, bound) {
                    continue;
                }
                // Estimate with the value when it is known before any row (literal, parameter).
                let cost = match eval(ctx, value, empty_env) {
                    Ok(v) => v.to_value().map_or(1, |v| g.count_nodes(label, key, &v)),
                    Err(_) => 1,
                };
                consider(
                    cost,
                    factor,
                    Anchor::IndexSeek {
                        pos,
                        label: label.clone(),
                        key: key.clone(),
                        value: value.clone(),
                    },
                );
            }
            consider(
                g.label_count(label).saturating_add(1),
                factor,
                Anchor::LabelScan {
                    pos,
                    label: label.clone(),
                },
            );
        }
        consider(
            g.node_count().saturating_add(2),
            factor,
            Anchor::AllNodes { pos },
        );
    }
    best.map(|(_, a)| a).unwrap_or(Anchor::AllNodes { pos: 0 })
}

/// Matches `parts` against the graph for one input row. Returns the scope
/// extended with the pattern's new variables, and one row per match.
pub fn match_parts(
    ctx: &Ctx,
    parts: &[PatternPart],
    names: &[String],
    row: &[Val],
) -> QResult<(Vec<String>, Vec<Vec<Val>>)> {
    match_parts_hinted(ctx, parts, names, row, &[], &[])
}

/// [`match_parts`] with index hints from a WHERE clause.
pub fn match_parts_hinted(
    ctx: &Ctx,
    parts: &[PatternPart],
    names: &[String],
    row: &[Val],
    hints: &[(String, String, Expr)],
    path_filters: &[PathFilter],
) -> QResult<(Vec<String>, Vec<Vec<Val>>)> {
    let mut all_names = names.to_vec();
    for v in pattern_vars(parts) {
        if !all_names.contains(&v) {
            all_names.push(v);
        }
    }
    let mut slots: Vec<Option<Val>> = row.iter().cloned().map(Some).collect();
    slots.resize(all_names.len(), None);
    let mut m = Matcher {
        ctx,
        names: &all_names,
        input: Env::new(names, row),
        hints,
        path_filters,
        slots,
        used: Vec::new(),
        out: Vec::new(),
        out_values: 0,
        expansion_values: std::cell::Cell::new(0),
    };
    m.parts(parts, 0)?;
    let out = m.out;
    Ok((all_names, out))
}

/// Variables a pattern names, in order of appearance.
pub fn pattern_vars(parts: &[PatternPart]) -> Vec<String> {
    let mut vars = Vec::new();
    let mut add = |v: &Option<String>| {
        if let Some(v) = v {
            if !vars.contains(v) {
                vars.push(v.clone());
            }
        }
    };
    for p in parts {
        add(&p.path_var);
        add(&p.start.var);
        for (r, n) in &p.steps {
            add(&r.var);
            add(&n.var);
        }
    }
    vars
}

struct Matcher<'a, 'g> {
    ctx: &'a Ctx<'g>,
    names: &'a [String],
    input: Env<'a>,
    hints: &'a [(String, String, Expr)],
    path_filters: &'a [PathFilter],
    slots: Vec<Option<Val>>,
    used: Vec<EdgeId>,
    out: Vec<Vec<Val>>,
    /// Values held in `out`, for the row limit.
    out_values: usize,
    /// Relationships held by the expansion being collected, for the row limit.
    expansion_values: std::cell::Cell<usize>,
}

/// A relationship pattern bound to one relationship or, for variable length, a list.
type RelBinding = Vec<EdgeId>;

impl<'a, 'g> Matcher<'a, 'g> {
    fn graph(&self) -> &'g Graph {
        self.ctx.graph
    }

    fn slot(&self, var: &str) -> Option<usize> {
        self.names.iter().position(|n| n == var)
    }

    fn bound(&self, var: &str) -> bool {
        self.slot(var).is_some_and(|s| self.slots[s].is_some())
    }

    /// Evaluates an expression over the variables bound so far.
    fn eval_now(&self, e: &Expr) -> QResult<Val> {
        let mut names = Vec::new();
        let mut row = Vec::new();
        for (n, v) in self.names.iter().zip(&self.slots) {
            if let Some(v) = v {
                names.push(n.clone());
                row.push(v.clone());
            }
        }
        eval(self.ctx, e, Env::new(&names, &row))
    }

    fn props_match(
        &self,
        props: &Option<Expr>,
        actual: &dyn Fn(&str) -> Option<Val>,
    ) -> QResult<bool> {
        let Some(expr) = props else { return Ok(true) };
        let wanted = match expr {
            Expr::Map(entries) => {
                let mut out = Vec::with_capacity(entries.len());
                for (k, e) in entries {
                    out.push((k.clone(), self.eval_now(e)?));
                }
                out
            }
            other => match self.eval_now(other)? {
                Val::Map(m) => m.into_iter().collect(),
                Val::Null => return Ok(false),
                v => {
                    return Err(QueryError::type_error(format!(
                        "property map expected, got {}",
                        v.type_name()
                    )))
                }
            },
        };
        for (k, want) in wanted {
            match actual(&k) {
                Some(have) if have.cypher_eq(&want) == Some(true) => {}
                _ => return Ok(false),
            }
        }
        Ok(true)
    }

    fn node_ok(&self, id: NodeId, np: &NodePattern) -> QResult<bool> {
        let Some(node) = self.graph().node(id) else {
            return Ok(false);
        };
        if !np.labels.iter().all(|l| node.has_label(l)) {
            return Ok(false);
        }
        self.props_match(&np.props, &|k| node.props.get(k).map(Val::from))
    }

    fn rel_ok(&self, id: EdgeId, rp: &RelPattern) -> QResult<bool> {
        let Some(edge) = self.graph().edge(id) else {
            return Ok(false);
        };
        if !rp.types.is_empty() && !rp.types.contains(&edge.rel_type) {
            return Ok(false);
        }
        self.props_match(&rp.props, &|k| edge.props.get(k).map(Val::from))
    }

    /// Binds `var` to `val`, or checks it equals the value already bound.
    /// Returns `None` on conflict, else whether the slot was newly set.
    fn bind(&mut self, var: &Option<String>, val: Val) -> Option<bool> {
        let Some(v) = var else { return Some(false) };
        let s = self.slot(v)?;
        match &self.slots[s] {
            Some(existing) => (existing == &val).then_some(false),
            None => {
                self.slots[s] = Some(val);
                Some(true)
            }
        }
    }

    fn unbind(&mut self, var: &Option<String>, was_new: bool) {
        if was_new {
            if let Some(s) = var.as_ref().and_then(|v| self.slot(v)) {
                self.slots[s] = None;
            }
        }
    }

    fn parts(&mut self, parts: &[PatternPart], i: usize) -> QResult<()> {
        let Some(part) = parts.get(i) else {
            let row: Vec<Val> = self
                .slots
                .iter()
                .map(|v| v.clone().unwrap_or(Val::Null))
                .collect();
            self.out_values += super::limits::row_weight(&row);
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

    fn candidates(&self, anchor: &Anchor, np: &NodePattern) -> QResult<Vec<NodeId>> {
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
    fn extend(
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

    fn neighbours(&self, node: NodeId, dir: Dir) -> Vec<(EdgeId, NodeId)> {
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

    /// `shortestPath((a)-[*]-(b))` and `allShortestPaths(...)`: breadth-first search between every candidate pair.
    fn shortest(&mut self, parts: &[PatternPart], i: usize) -> QResult<()> {
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

fn node_at(part: &PatternPart, pos: usize) -> &NodePattern {
    if pos == 0 {
        &part.start
    } else {
        &part.steps[pos - 1].1
    }
}

fn reverse(d: Dir) -> Dir {
    match d {
        Dir::Out => Dir::In,
        Dir::In => Dir::Out,
        Dir::Both => Dir::Both,
    }
}

/// Builds a path from the nodes at each pattern position and the relationships between them.
fn build_path(g: &Graph, nodes: &[Option<NodeId>], rels: &[Option<RelBinding>]) -> Path {
    let mut path = Path {
        nodes: Vec::new(),
        rels: Vec::new(),
    };
    let Some(Some(first)) = nodes.first() else {
        return path;
    };
    let mut at = *first;
    path.nodes.push(at);
    for r in rels.iter().flatten() {
        for e in r {
            let next = match g.endpoints(*e) {
                Some((a, b)) if a == at => b,
                Some((a, _)) => a,
                None => at,
            };
            path.rels.push(*e);
            path.nodes.push(next);
            at = next;
        }
    }
    path
}
