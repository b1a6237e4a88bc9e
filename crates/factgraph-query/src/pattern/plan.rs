//! Planning a match: which node each pattern part starts from, what the
//! WHERE clause lends the search (equality hints, path conditions), and
//! what an expression needs bound before it can be evaluated.

use factgraph_store::Graph;

use crate::ast::{BinOp, Dir, Expr, MapProjItem, NodePattern, PatternPart, Quantifier, RelPattern};
use crate::eval::{eval, Ctx, Env};

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
