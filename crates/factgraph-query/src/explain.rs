//! EXPLAIN: the plan of each clause in words, with the anchor each pattern starts from.

use std::fmt::Write;

use super::ast::{Clause, Dir, Expr, NodePattern, PatternPart, RelPattern};
use super::eval::Ctx;
use super::pattern::{choose_anchor, equality_hints, pattern_vars, Anchor};

/// A one-line name for a clause.
pub fn clause_name(c: &Clause) -> String {
    match c {
        Clause::Match { optional: true, .. } => "OptionalMatch".into(),
        Clause::Match { .. } => "Match".into(),
        Clause::Unwind { var, .. } => format!("Unwind AS {var}"),
        Clause::With { .. } => "With".into(),
        Clause::Return(_) => "Return".into(),
        Clause::Create(_) => "Create".into(),
        Clause::Merge { .. } => "Merge".into(),
        Clause::Set(_) => "Set".into(),
        Clause::Remove(_) => "Remove".into(),
        Clause::Delete { detach: true, .. } => "DetachDelete".into(),
        Clause::Delete { .. } => "Delete".into(),
        Clause::Call { name, .. } => format!("Call {name}"),
    }
}

fn node_text(n: &NodePattern) -> String {
    let mut s = String::from("(");
    s.push_str(n.var.as_deref().unwrap_or(""));
    for l in &n.labels {
        let _ = write!(s, ":{l}");
    }
    if let Some(Expr::Map(entries)) = &n.props {
        let keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
        let _ = write!(s, " {{{}}}", keys.join(", "));
    }
    s.push(')');
    s
}

fn rel_text(r: &RelPattern) -> String {
    let mut inner = String::new();
    inner.push_str(r.var.as_deref().unwrap_or(""));
    if !r.types.is_empty() {
        let _ = write!(inner, ":{}", r.types.join("|"));
    }
    if let Some((lo, hi)) = r.length {
        let _ = write!(
            inner,
            "*{lo}..{}",
            hi.map_or(String::new(), |h| h.to_string())
        );
    }
    match r.dir {
        Dir::Out => format!("-[{inner}]->"),
        Dir::In => format!("<-[{inner}]-"),
        Dir::Both => format!("-[{inner}]-"),
    }
}

fn anchor_text(a: &Anchor, part: &PatternPart) -> String {
    let node = |pos: usize| {
        if pos == 0 {
            node_text(&part.start)
        } else {
            node_text(&part.steps[pos - 1].1)
        }
    };
    match a {
        Anchor::Bound { pos } => format!("Argument {} (already bound)", node(*pos)),
        Anchor::IndexSeek {
            pos, label, key, ..
        } => format!("NodeIndexSeek {} using index :{label}({key})", node(*pos)),
        Anchor::LabelScan { pos, label } => {
            format!("NodeByLabelScan {} using label :{label}", node(*pos))
        }
        Anchor::AllNodes { pos } => format!("AllNodesScan {}", node(*pos)),
    }
}

/// The plan of `clauses`, one operator per line.
pub fn explain(ctx: &Ctx, clauses: &[Clause]) -> String {
    let mut out = String::new();
    let mut scope: Vec<String> = Vec::new();
    for (i, c) in clauses.iter().enumerate() {
        let _ = writeln!(out, "{}. {}", i + 1, clause_name(c));
        match c {
            Clause::Match {
                pattern, filter, ..
            } => {
                let hints = equality_hints(filter.as_ref());
                let mut bound_now = scope.clone();
                for part in pattern {
                    let bound = |v: &str| bound_now.iter().any(|b| b == v);
                    if part.shortest.is_some() {
                        let _ = writeln!(
                            out,
                            "   ShortestPath (breadth-first search) {}",
                            chain_text(part)
                        );
                    } else {
                        let anchor = choose_anchor(ctx, part, &bound, &hints);
                        let _ = writeln!(out, "   {}", anchor_text(&anchor, part));
                        // The matcher expands rightwards from the anchor, then leftwards.
                        let pos = anchor.pos();
                        let rightwards = part.steps[pos..].iter().map(|(rp, np)| (rp.clone(), np));
                        let leftwards = (0..pos).rev().map(|i| {
                            let mut rp = part.steps[i].0.clone();
                            rp.dir = match rp.dir {
                                Dir::Out => Dir::In,
                                Dir::In => Dir::Out,
                                Dir::Both => Dir::Both,
                            };
                            let np = if i == 0 {
                                &part.start
                            } else {
                                &part.steps[i - 1].1
                            };
                            (rp, np)
                        });
                        for (rp, np) in rightwards.chain(leftwards) {
                            let kind = if rp.length.is_some() {
                                "VarLengthExpand"
                            } else {
                                "Expand"
                            };
                            let _ = writeln!(out, "   {kind} {}{}", rel_text(&rp), node_text(np));
                        }
                    }
                    for v in pattern_vars(std::slice::from_ref(part)) {
                        if !bound_now.contains(&v) {
                            bound_now.push(v);
                        }
                    }
                }
                if filter.is_some() {
                    let _ = writeln!(out, "   Filter (WHERE)");
                }
                scope = bound_now;
            }
            Clause::With { projection, .. } | Clause::Return(projection) => {
                let items: Vec<&str> = projection.items.iter().map(|i| i.name.as_str()).collect();
                let _ = writeln!(out, "   Projection {}", items.join(", "));
                if !projection.order.is_empty() {
                    let _ = writeln!(out, "   Sort");
                }
                if projection.skip.is_some() || projection.limit.is_some() {
                    let _ = writeln!(out, "   Skip/Limit");
                }
                scope = super::project::expand_items(projection, &scope)
                    .into_iter()
                    .map(|i| i.name)
                    .collect();
            }
            Clause::Unwind { var, .. } => scope.push(var.clone()),
            Clause::Create(pattern) => scope.extend(pattern_vars(pattern)),
            Clause::Merge { part, .. } => scope.extend(pattern_vars(std::slice::from_ref(part))),
            _ => {}
        }
    }
    out
}

fn chain_text(part: &PatternPart) -> String {
    let mut s = node_text(&part.start);
    for (r, n) in &part.steps {
        s.push_str(&rel_text(r));
        s.push_str(&node_text(n));
    }
    s
}
