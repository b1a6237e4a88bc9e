//! Counting without rows: `MATCH (n) RETURN count(*)`, `MATCH (n:L) RETURN
//! count(n)` and `MATCH (n) RETURN labels(n) | labels(n)[k], count(*)` are
//! answered from the label index (or one pass over the nodes' labels for
//! the grouped forms, each label set keyed once) instead of binding a row
//! per node and aggregating them. Any other shape, down to a WHERE, a
//! property map or DISTINCT, takes the general path, so the answers are the
//! same by construction; the order of the groups is the general path's too
//! (first appearance in id order).

use std::collections::HashMap;

use factgraph_model::Value;
use factgraph_store::Graph;

use crate::ast::{Clause, Expr, Projection};
use crate::exec::Table;
use crate::Val;

/// What one RETURN item of a countable query is.
enum Item {
    Count,
    /// `labels(n)`
    Labels,
    /// `labels(n)[k]`
    LabelAt(i64),
}

/// The table of `clauses` when they are a count over one node pattern, or
/// `None` for every other query.
pub(crate) fn count_nodes(graph: &Graph, clauses: &[Clause]) -> Option<Table> {
    let [Clause::Match {
        optional: false,
        pattern,
        filter: None,
    }, Clause::Return(projection)] = clauses
    else {
        return None;
    };
    let [part] = pattern.as_slice() else {
        return None;
    };
    if part.path_var.is_some() || part.shortest.is_some() || !part.steps.is_empty() {
        return None;
    }
    let node = &part.start;
    if node.props.is_some() || node.labels.len() > 1 {
        return None;
    }
    let items = countable(projection, node.var.as_deref())?;
    let label = node.labels.first();
    let names: Vec<String> = projection.items.iter().map(|i| i.name.clone()).collect();
    let key_of = |labels: &[String]| -> Vec<Val> {
        items
            .iter()
            .filter_map(|item| match item {
                Item::Count => None,
                Item::Labels => Some(Val::List(
                    labels.iter().map(|l| Val::Str(l.clone())).collect(),
                )),
                Item::LabelAt(k) => {
                    let at = if *k < 0 { labels.len() as i64 + k } else { *k };
                    Some(
                        usize::try_from(at)
                            .ok()
                            .and_then(|i| labels.get(i))
                            .map_or(Val::Null, |l| Val::Str(l.clone())),
                    )
                }
            })
            .collect()
    };
    let row = |mut key: std::vec::IntoIter<Val>, n: usize| -> Vec<Val> {
        items
            .iter()
            .map(|item| match item {
                Item::Count => Val::Int(n as i64),
                _ => key.next().unwrap_or(Val::Null),
            })
            .collect()
    };
    if items.iter().all(|i| matches!(i, Item::Count)) {
        let n = label.map_or_else(|| graph.node_count(), |l| graph.label_count(l));
        return Some(Table {
            names,
            rows: vec![row(Vec::new().into_iter(), n)],
        });
    }
    // Grouped by the label values, in the order the general path meets the
    // groups: first appearance in id order.
    let mut groups: Vec<(Vec<Val>, usize)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut by_labels: HashMap<&[String], usize> = HashMap::new();
    let ids: Box<dyn Iterator<Item = _>> = match label {
        Some(l) => Box::new(graph.nodes_with_label(l)),
        None => Box::new(graph.node_ids()),
    };
    // The group of the node before: nodes made together share their labels,
    // so most nodes skip the hash lookup.
    let mut last: Option<(&[String], usize)> = None;
    for id in ids {
        let labels = graph.node(id)?.labels.as_slice();
        if let Some((l, g)) = last {
            if l == labels {
                groups[g].1 += 1;
                continue;
            }
        }
        // Nodes with the same label set fall in the same group: look it up once.
        let g = match by_labels.get(labels) {
            Some(&g) => g,
            None => {
                let key = key_of(labels);
                let text: String = key.iter().map(|v| v.group_key() + "\u{1f}").collect();
                let g = *index.entry(text).or_insert_with(|| {
                    groups.push((key, 0));
                    groups.len() - 1
                });
                by_labels.insert(labels, g);
                g
            }
        };
        groups[g].1 += 1;
        last = Some((labels, g));
    }
    let rows = groups
        .into_iter()
        .map(|(key, n)| row(key.into_iter(), n))
        .collect();
    Some(Table { names, rows })
}

/// The items of a RETURN that only counts the nodes of `var` (or all rows)
/// and groups them by `labels(var)`; `None` for anything else.
fn countable(p: &Projection, var: Option<&str>) -> Option<Vec<Item>> {
    if p.distinct || p.star || !p.order.is_empty() || p.skip.is_some() || p.limit.is_some() {
        return None;
    }
    let is_var = |args: &[Expr]| matches!(args, [Expr::Var(v, _)] if Some(v.as_str()) == var);
    p.items
        .iter()
        .map(|item| match &item.expr {
            Expr::CountStar => Some(Item::Count),
            Expr::Call {
                name,
                distinct: false,
                args,
                ..
            } if name == "count" && is_var(args) => Some(Item::Count),
            Expr::Call { name, args, .. } if name == "labels" && is_var(args) => Some(Item::Labels),
            Expr::Index(list, at) => match (list.as_ref(), at.as_ref()) {
                (Expr::Call { name, args, .. }, Expr::Literal(Value::Int(k)))
                    if name == "labels" && is_var(args) =>
                {
                    Some(Item::LabelAt(*k))
                }
                _ => None,
            },
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use factgraph_model::{Schema, Value};
    use factgraph_store::Graph;

    use crate::{run, Params};

    /// Nodes with zero, one or two of three labels, a few deleted.
    fn graph() -> Graph {
        let mut g = Graph::new(Schema::open());
        let mut ids = Vec::new();
        for i in 0..300usize {
            let labels: Vec<String> = [(i % 3 == 0, "A"), (i % 5 == 0, "B"), (i % 7 == 1, "C")]
                .iter()
                .filter(|(on, _)| *on)
                .map(|(_, l)| l.to_string())
                .collect();
            let props = BTreeMap::from([("i".to_string(), Value::Int(i as i64))]);
            ids.push(g.add_node(labels, props, Vec::new()).expect("node"));
        }
        for id in ids.iter().step_by(11) {
            g.remove_node(*id, true).expect("remove");
        }
        g
    }

    /// The clauses of a single query.
    fn clauses(q: &str) -> Vec<crate::ast::Clause> {
        match crate::parser::parse(q).expect("parses").query {
            crate::ast::Query::Regular { mut parts, .. } => parts.remove(0),
            crate::ast::Query::ShowSchema => Vec::new(),
        }
    }

    fn rows(g: &mut Graph, q: &str) -> (Vec<String>, Vec<Vec<crate::Val>>) {
        let r = run(g, q, &Params::new()).unwrap_or_else(|e| panic!("{q}: {e}"));
        (r.columns, r.rows)
    }

    #[test]
    fn counts_from_the_index_equal_the_general_path() {
        let mut g = graph();
        for (fast, general) in [
            (
                "MATCH (n) RETURN count(*)",
                "MATCH (n) WHERE true RETURN count(*)",
            ),
            (
                "MATCH (n:A) RETURN count(n) AS c",
                "MATCH (n:A) WHERE true RETURN count(n) AS c",
            ),
            (
                "MATCH (n:Z) RETURN count(*)",
                "MATCH (n:Z) WHERE true RETURN count(*)",
            ),
            (
                "MATCH (n) RETURN labels(n) AS l, count(*) AS c",
                "MATCH (n) WHERE true RETURN labels(n) AS l, count(*) AS c",
            ),
            (
                "MATCH (n:B) RETURN count(*) AS c, labels(n)",
                "MATCH (n:B) WHERE true RETURN count(*) AS c, labels(n)",
            ),
            (
                "MATCH (n) RETURN labels(n)[0] AS label, count(*)",
                "MATCH (n) WHERE true RETURN labels(n)[0] AS label, count(*)",
            ),
            (
                "MATCH (n) RETURN labels(n)[-1] AS last, count(n), labels(n)[5] AS none",
                "MATCH (n) WHERE true RETURN labels(n)[-1] AS last, count(n), labels(n)[5] AS none",
            ),
        ] {
            assert!(super::count_nodes(&g, &clauses(fast)).is_some(), "{fast}");
            assert_eq!(rows(&mut g, fast), rows(&mut g, general), "{fast}");
        }
        // Shapes the index cannot answer take the general path.
        for q in [
            "MATCH (n) WHERE n.i > 3 RETURN count(*)",
            "MATCH (n {i: 3}) RETURN count(*)",
            "MATCH (n:A:B) RETURN count(*)",
            "MATCH (n) RETURN count(DISTINCT n)",
            "MATCH (n)-->() RETURN count(*)",
            "OPTIONAL MATCH (n) RETURN count(n)",
            "MATCH (n) RETURN count(*) ORDER BY count(*) LIMIT 1",
        ] {
            assert!(super::count_nodes(&g, &clauses(q)).is_none(), "{q}");
        }
        let (_, r) = rows(&mut g, "MATCH (n:A) RETURN count(n)");
        assert_eq!(r, vec![vec![crate::Val::Int(g.label_count("A") as i64)]]);
    }
}
