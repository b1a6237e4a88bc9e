//! Pattern matching: binds node and relationship patterns to the graph.
//!
//! Each pattern part starts from an *anchor* (a bound variable, a property
//! index seek, a label scan, or, as a last resort, all nodes), chosen by
//! [`choose_anchor`], then expands along the chain in both directions.
//! Relationships are never reused within one MATCH (openCypher's
//! relationship isomorphism).
//!
//! This module holds the entry points and the [`Matcher`]'s bindings;
//! [`plan`] chooses anchors and reads what WHERE lends the search, [`expand`]
//! matches parts step by step, and [`shortest`] finds shortest paths.

mod expand;
mod plan;
mod shortest;

use factgraph_store::{EdgeId, Graph, NodeId};

use super::ast::{Dir, Expr, NodePattern, PatternPart, RelPattern};
use super::error::{QResult, QueryError};
use super::eval::{eval, Ctx, Env};
use super::value::{Path, Val};

pub(crate) use plan::vars_of;
pub use plan::{choose_anchor, equality_hints, path_filters, Anchor, PathFilter};

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
