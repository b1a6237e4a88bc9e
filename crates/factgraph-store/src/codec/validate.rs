//! Checking a decoded snapshot before it is used: nesting depth, the
//! graph's structure, every element against the stored schema, dates and
//! provenance.

use std::collections::{HashMap, HashSet};

use petgraph::stable_graph::StableGraph;

use factgraph_model::{Date, PropType, Props, Provenance, Schema, Value};

use crate::graph::{Edge, Node, NodeId};

use super::{Payload, MAX_LIST_NESTING};

/// Refuses schemas and values that nest lists deeper than [`MAX_LIST_NESTING`].
pub(super) fn check_nesting(schema: &Schema, g: &StableGraph<Node, Edge>) -> Result<(), String> {
    fn type_depth(t: &PropType, limit: usize) -> usize {
        match t {
            PropType::List(inner) if limit > 0 => 1 + type_depth(inner, limit - 1),
            PropType::List(_) => 1,
            _ => 0,
        }
    }
    let too_deep = |what: String| {
        format!(
            "{what} nests lists more than {MAX_LIST_NESTING} deep, which snapshots do not support"
        )
    };
    let defs = schema
        .labels
        .iter()
        .flat_map(|(l, d)| {
            d.properties
                .iter()
                .map(move |(k, p)| (format!(":{l}"), k, p))
        })
        .chain(schema.rel_types.iter().flat_map(|(t, d)| {
            d.properties
                .iter()
                .map(move |(k, p)| (format!("[:{t}]"), k, p))
        }));
    for (owner, key, def) in defs {
        if type_depth(&def.ty, MAX_LIST_NESTING) > MAX_LIST_NESTING {
            return Err(too_deep(format!(
                "the schema's type of {owner} property {key:?}"
            )));
        }
    }
    for ix in g.node_indices() {
        for (key, value) in &g[ix].props {
            if value.list_depth(MAX_LIST_NESTING) > MAX_LIST_NESTING {
                return Err(too_deep(format!(
                    "property {key:?} of node {}",
                    NodeId(ix.index() as u32)
                )));
            }
        }
    }
    for ix in g.edge_indices() {
        for (key, value) in &g[ix].props {
            if value.list_depth(MAX_LIST_NESTING) > MAX_LIST_NESTING {
                return Err(too_deep(format!(
                    "property {key:?} of relationship r{}",
                    ix.index()
                )));
            }
        }
    }
    Ok(())
}

/// Checks what [`Graph::from_parts`] relies on and the store otherwise
/// guarantees on every insert: relationships end at live nodes (petgraph
/// accepts an edge to a vacant slot, which corrupts its free list),
/// elements satisfy the stored schema, stored properties are not null, dates
/// exist, provenance lists are sorted sets, and lists nest no deeper than
/// saving allows.
pub(super) fn check_payload(p: &Payload) -> Result<(), String> {
    let g = &p.graph;
    // The decoder's own depth bound is looser; this makes every loaded graph
    // one that can be saved again.
    check_nesting(&p.schema, g)?;
    let node = |ix| format!("node {}", NodeId(ix));
    for doc in p.documents.values() {
        if let Some(d) = &doc.date {
            check_date(d).map_err(|e| format!("document {:?}: {e}", doc.id))?;
        }
    }
    for ix in g.node_indices() {
        let n = &g[ix];
        let what = || node(ix.index() as u32);
        check_element(&n.props, &n.sources).map_err(|e| format!("{}: {e}", what()))?;
        p.schema
            .check_node(&n.labels, &n.props)
            .map_err(|e| format!("{}: {e}", what()))?;
    }
    // Endpoint rules depend only on the type and the two label sets, and a
    // graph has few label sets: number them, and check each combination once
    // rather than reading both endpoints' labels for every relationship.
    let mut label_sets: HashMap<&[String], u32> = HashMap::new();
    let mut set_of = vec![u32::MAX; petgraph::visit::NodeIndexable::node_bound(g)];
    for ix in g.node_indices() {
        let next = label_sets.len() as u32;
        set_of[ix.index()] = *label_sets.entry(g[ix].labels.as_slice()).or_insert(next);
    }
    let mut endpoints_ok: HashSet<(&str, u32, u32)> = HashSet::new();
    for ix in g.edge_indices() {
        let what = || format!("relationship r{}", ix.index());
        let (a, b) = g
            .edge_endpoints(ix)
            .ok_or_else(|| format!("{} has no endpoints", what()))?;
        for end in [a, b] {
            if !g.contains_node(end) {
                return Err(format!(
                    "{} ends at {}, which does not exist",
                    what(),
                    node(end.index() as u32)
                ));
            }
        }
        let e = &g[ix];
        check_element(&e.props, &e.sources).map_err(|err| format!("{}: {err}", what()))?;
        let shape = (e.rel_type.as_str(), set_of[a.index()], set_of[b.index()]);
        let checked = if endpoints_ok.contains(&shape) {
            p.schema.check_edge_properties(&e.rel_type, &e.props)
        } else {
            p.schema
                .check_edge(&e.rel_type, &g[a].labels, &g[b].labels, &e.props)
                .map(|()| {
                    endpoints_ok.insert(shape);
                })
        };
        checked.map_err(|err| format!("{}: {err}", what()))?;
    }
    Ok(())
}

pub(super) fn check_element(props: &Props, sources: &[Provenance]) -> Result<(), String> {
    fn check_value(v: &Value) -> Result<(), String> {
        match v {
            Value::Date(d) => check_date(d),
            Value::Temporal(t) => match factgraph_model::temporal::Operand::from_temporal(t) {
                Some(_) => Ok(()),
                None => Err(format!("invalid temporal value {t:?}")),
            },
            Value::List(items) => items.iter().try_for_each(check_value),
            _ => Ok(()),
        }
    }
    for (key, value) in props {
        if matches!(value, Value::Null) {
            return Err(format!("property {key:?} is stored as null"));
        }
        check_value(value).map_err(|e| format!("property {key:?}: {e}"))?;
    }
    if sources.windows(2).any(|w| w[0] >= w[1]) {
        return Err("provenance is unsorted or repeated".into());
    }
    Ok(())
}

pub(super) fn check_date(d: &Date) -> Result<(), String> {
    let valid = match (d.month, d.day) {
        (None, None) => true,
        (Some(m), None) => Date::ym(d.year, m).is_some(),
        (Some(m), Some(day)) => Date::ymd(d.year, m, day).is_some(),
        (None, Some(_)) => false,
    };
    if valid {
        Ok(())
    } else {
        Err(format!(
            "impossible date (year {}, month {:?}, day {:?})",
            d.year, d.month, d.day
        ))
    }
}
