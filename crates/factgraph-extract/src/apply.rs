//! Writing an analysis into the graph, all or nothing, merging with what the
//! graph already holds.
//!
//! An extracted entity merges into a node with the same label when:
//! - it is a person, country, city, organization or role, or a proposal,
//!   event or issue with a proper name, and its name or one of its aliases
//!   equals (after [`normalize`]) the node's name or an alias; a person also
//!   merges with a node whose surname is the same or a spelling variant
//!   ("Zelensky", "Zelenskyy") when their first names do not disagree;
//! - it only makes sense inside its document (an unnamed group, a
//!   position, a generically named event) and the node has the same name and
//!   comes from the same document (so extracting a text twice changes
//!   nothing);
//! - it is a position and the node is a position with the same stance taken
//!   by the same actors on the same targets.
//!
//! A relationship merges into one with the same type, endpoints and no
//! property that disagrees. Disagreeing facts are kept side by side, each
//! with its sources, and listed in [`ExtractReport::conflicts`].

use std::collections::BTreeMap;

use petgraph::Direction;

use factgraph_model::Props;
use factgraph_model::{Date, Provenance, Value, KEY_PROPERTY};
use factgraph_store::{DocumentRecord, Graph, NodeId};

use super::doc::{normalize, Doc, Eid};
use super::{
    ExtractError, ExtractOptions, ExtractReport, ExtractedEdge, ExtractedNode, RuleFiring,
};

/// A key made of the name: lower-case ASCII letters, digits and `_`.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        let c = match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'Á' | 'À' | 'Ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' => 'e',
            'í' | 'ì' | 'î' | 'ï' | 'Í' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'Ó' | 'Ö' => 'o',
            'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ü' => 'u',
            'ñ' | 'Ñ' => 'n',
            'ç' | 'Ç' => 'c',
            'ş' | 'Ş' => 's',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if c == '\'' || c == '’' || c == '.' {
            continue;
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    let out = out.trim_end_matches('_').to_string();
    match out.chars().next() {
        None => "x".into(),
        Some(c) if c.is_ascii_digit() => format!("n{out}"),
        _ => out,
    }
}

fn provenance(doc_id: &str, src: &super::doc::Src) -> Provenance {
    Provenance {
        document: doc_id.into(),
        sentence: src.sentence as u32 + 1,
        start: src.start,
        end: src.end,
        method: src.rule.into(),
    }
}

fn names_of(props: &Props) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(Value::String(n)) = props.get("name") {
        out.push(normalize(n));
    }
    if let Some(Value::List(l)) = props.get("aliases") {
        out.extend(l.iter().filter_map(Value::as_str).map(normalize));
    }
    out
}

/// The properties an entity is stored with.
fn node_props(doc: &Doc, e: Eid) -> BTreeMap<String, Value> {
    let ent = &doc.ents[e];
    let mut props = ent.props.clone();
    if ent.label != "Position" {
        props.insert("name".into(), Value::from(ent.name.as_str()));
        let aliases: Vec<Value> = ent
            .aliases
            .iter()
            .map(|a| Value::from(a.as_str()))
            .collect();
        if !aliases.is_empty() {
            props.insert("aliases".into(), Value::List(aliases));
        }
    }
    props
}

/// Whether an entity keeps only its name when matched across documents.
fn proper_only(doc: &Doc, e: Eid) -> bool {
    matches!(doc.ents[e].label, "Proposal" | "Event" | "Issue")
}

fn has_source_in(graph: &Graph, id: NodeId, doc_id: &str) -> bool {
    graph
        .node(id)
        .is_some_and(|n| n.sources.iter().any(|p| *p.document == *doc_id))
}

pub(super) fn same_person(a: &str, b: &str) -> bool {
    let (a, b) = (normalize(a), normalize(b));
    if a == b {
        return true;
    }
    let last = |s: &str| s.rsplit(' ').next().unwrap_or("").to_string();
    let first = |s: &str| s.split(' ').next().unwrap_or("").to_string();
    let similar = |x: &str, y: &str| {
        x == y
            || (x.len() > 4
                && y.len() > 4
                && strsim::jaro_winkler(x, y) >= 0.94
                && x[..3] == y[..3])
    };
    similar(&last(&a), &last(&b))
        && (!a.contains(' ') || !b.contains(' ') || similar(&first(&a), &first(&b)))
}

/// The node an entity merges into, if any.
fn find_node(
    graph: &Graph,
    doc: &Doc,
    e: Eid,
    doc_id: &str,
    taken: &BTreeMap<Eid, NodeId>,
) -> Option<NodeId> {
    let used: Vec<NodeId> = taken.values().copied().collect();
    find_free(graph, doc, e, doc_id)
        .into_iter()
        .find(|id| !used.contains(id))
}

/// The nodes an entity could merge into, best first.
fn find_free(graph: &Graph, doc: &Doc, e: Eid, doc_id: &str) -> Vec<NodeId> {
    let ent = &doc.ents[e];
    let props = node_props(doc, e);
    let mine = if proper_only(doc, e) {
        vec![normalize(&ent.name)]
    } else {
        names_of(&Props::from(props.clone()))
    };
    let candidates: Vec<NodeId> = graph.nodes_with_label(ent.label).collect();
    let mut out = Vec::new();
    for id in &candidates {
        let Some(node) = graph.node(*id) else {
            continue;
        };
        let theirs = names_of(&node.props);
        if ent.scoped {
            if has_source_in(graph, *id, doc_id) && theirs.first() == Some(&normalize(&ent.name)) {
                out.push(*id);
            }
            continue;
        }
        // The same name first, then a shared alias.
        if theirs.first() == mine.first() {
            out.insert(0, *id);
        } else if mine.iter().any(|m| theirs.contains(m)) {
            out.push(*id);
        }
    }
    if ent.label == "Person" && !ent.scoped {
        for id in candidates {
            let name = graph
                .node(id)
                .and_then(|n| n.props.get("name"))
                .and_then(Value::as_str)
                .unwrap_or("");
            if same_person(name, &ent.name) && !out.contains(&id) {
                out.push(id);
            }
        }
    }
    out
}

/// A key not yet used in `graph`.
fn fresh_key(graph: &Graph, base: &str, doc_id: &str) -> String {
    if graph.node_by_key(base).is_none() {
        return base.to_string();
    }
    let with_doc = format!("{base}_{}", slug(doc_id));
    if graph.node_by_key(&with_doc).is_none() {
        return with_doc;
    }
    (2..)
        .map(|i| format!("{with_doc}_{i}"))
        .find(|k| graph.node_by_key(k).is_none())
        .unwrap_or_default()
}

fn key_base(doc: &Doc, e: Eid) -> String {
    let ent = &doc.ents[e];
    if ent.label != "Position" {
        return slug(&ent.name);
    }
    let actor = doc
        .sources_of(e, "TAKES")
        .first()
        .map(|&a| slug(&doc.ents[a].name))
        .unwrap_or_default();
    let target = doc
        .targets(e, "ON")
        .first()
        .map(|&t| slug(&doc.ents[t].name))
        .unwrap_or_default();
    let target: String = target.split('_').take(3).collect::<Vec<_>>().join("_");
    format!("pos_{actor}_{}_{target}", slug(&ent.name))
}

/// Merges `props` into node `id`: missing properties are added, aliases
/// united, disagreements reported and the old value kept.
fn merge_props(
    graph: &mut Graph,
    id: NodeId,
    props: BTreeMap<String, Value>,
    conflicts: &mut Vec<String>,
) -> Result<(), ExtractError> {
    let node = graph.node(id).expect("merged node exists");
    let mut merged = node.props.clone();
    let display = node.display_name();
    for (k, v) in props {
        match (k.as_str(), merged.get(&k).cloned()) {
            (_, None) => {
                merged.insert(k, v);
            }
            ("name" | "summary" | "description", Some(_)) => {}
            ("aliases" | "demonyms", Some(Value::List(old))) => {
                let mut list = old.clone();
                let name = merged.get("name").and_then(Value::as_str).map(normalize);
                if let Value::List(new) = v {
                    for a in new {
                        let n = a.as_str().map(normalize);
                        if n != name && !list.iter().any(|x| x.as_str().map(normalize) == n) {
                            list.push(a);
                        }
                    }
                }
                merged.insert(k, Value::List(list));
            }
            (_, Some(old)) if old != v => conflicts.push(format!(
                "({display}).{k}: the graph says {old}, this document says {v}; kept {old}"
            )),
            _ => {}
        }
    }
    if let Some(name) = merged.get("name").and_then(Value::as_str).map(normalize) {
        if let Some(Value::List(l)) = merged.get_mut("aliases") {
            l.retain(|a| a.as_str().map(normalize).as_deref() != Some(name.as_str()));
        }
    }
    graph.set_node_properties(id, merged)?;
    Ok(())
}

/// Applies the analysis `doc` of `text` to `graph` (see the module docs).
pub fn apply(
    graph: &mut Graph,
    doc_id: &str,
    title: &str,
    text: &str,
    date: Option<Date>,
    options: &ExtractOptions,
    doc: &Doc,
) -> Result<ExtractReport, ExtractError> {
    let mut work = graph.clone();
    let mut report = ExtractReport {
        document: doc_id.to_string(),
        title: title.to_string(),
        date,
        sentences: doc.sents.len(),
        dry_run: options.dry_run,
        ..ExtractReport::default()
    };
    if work.document(doc_id).is_none() {
        let mut record = DocumentRecord::new(doc_id, title, text);
        record.date = date;
        record.source = options.source.clone();
        work.add_document(record);
    }
    let doc_node = match work.node_by_key(doc_id) {
        Some(id) if work.node(id).is_some_and(|n| n.has_label("Document")) => id,
        Some(_) => return Err(ExtractError::KeyTaken(doc_id.to_string())),
        None => {
            let mut props = BTreeMap::from([
                (KEY_PROPERTY.to_string(), Value::from(doc_id)),
                ("name".to_string(), Value::from(title)),
                ("sentences".to_string(), Value::Int(doc.sents.len() as i64)),
            ]);
            if let Some(d) = date {
                props.insert("date".into(), Value::Date(d));
            }
            if let Some(s) = &options.source {
                props.insert("source".into(), Value::from(s.as_str()));
            }
            report.nodes_created += 1;
            work.add_node(vec!["Document".into()], props, Vec::new())?
        }
    };
    // Unnamed groups the text says nothing about are left out.
    let keep: Vec<Eid> = (0..doc.ents.len())
        .filter(|&e| {
            doc.ents[e].label != "Group" || doc.rels.iter().any(|r| r.from == e || r.to == e)
        })
        .collect();
    let mut ids: BTreeMap<Eid, NodeId> = BTreeMap::new();
    let mut ordered: Vec<Eid> = keep
        .iter()
        .copied()
        .filter(|&e| doc.ents[e].label != "Position")
        .collect();
    ordered.extend(
        keep.iter()
            .copied()
            .filter(|&e| doc.ents[e].label == "Position"),
    );
    for e in ordered {
        let ent = &doc.ents[e];
        let sources: Vec<Provenance> = ent.sources.iter().map(|s| provenance(doc_id, s)).collect();
        let props = node_props(doc, e);
        let found = if ent.label == "Position" {
            find_position(&work, doc, e, &ids)
        } else {
            find_node(&work, doc, e, doc_id, &ids)
        };
        let (id, merged) = match found {
            Some(id) => {
                merge_props(&mut work, id, props.clone(), &mut report.conflicts)?;
                report.nodes_merged += 1;
                (id, true)
            }
            None => {
                let mut p = props.clone();
                p.insert(
                    KEY_PROPERTY.into(),
                    Value::from(fresh_key(&work, &key_base(doc, e), doc_id)),
                );
                report.nodes_created += 1;
                (
                    work.add_node(vec![ent.label.to_string()], p, Vec::new())?,
                    false,
                )
            }
        };
        for p in &sources {
            work.add_node_source(id, p.clone())?;
        }
        ids.insert(e, id);
        let key = work
            .node(id)
            .and_then(|n| n.props.get(KEY_PROPERTY))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        report.nodes.push(ExtractedNode {
            key,
            label: ent.label.to_string(),
            props,
            sources,
            merged,
        });
    }
    let key_of = |g: &Graph, id: NodeId| {
        g.node(id)
            .and_then(|n| n.props.get(KEY_PROPERTY))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    for r in &doc.rels {
        let (Some(&a), Some(&b)) = (ids.get(&r.from), ids.get(&r.to)) else {
            continue;
        };
        let sources: Vec<Provenance> = r.sources.iter().map(|s| provenance(doc_id, s)).collect();
        let same_type: Vec<_> = work
            .edges_of(a, Direction::Outgoing)
            .filter(|(eid, other)| {
                *other == b && work.edge(*eid).is_some_and(|x| x.rel_type == r.rel_type)
            })
            .map(|(eid, _)| eid)
            .collect();
        let compatible = same_type.iter().copied().find(|&eid| {
            let old = &work.edge(eid).expect("edge exists").props;
            r.props.iter().all(|(k, v)| {
                matches!(k.as_str(), "description" | "purpose") || old.get(k).is_none_or(|o| o == v)
            })
        });
        let (eid, merged) = match compatible {
            Some(eid) => {
                let mut props = work.edge(eid).expect("edge exists").props.clone();
                for (k, v) in &r.props {
                    if !props.contains_key(k) {
                        props.insert(k.clone(), v.clone());
                    }
                }
                work.set_edge_properties(eid, props)?;
                report.edges_merged += 1;
                (eid, true)
            }
            None => {
                if let Some(&other) = same_type.first() {
                    let old = &work.edge(other).expect("edge exists").props;
                    report.conflicts.push(format!(
                        "({})-[:{}]->({}): the graph has {}, this document says {}; both kept",
                        key_of(&work, a),
                        r.rel_type,
                        key_of(&work, b),
                        props_text(old),
                        props_text(&r.props)
                    ));
                }
                report.edges_created += 1;
                (
                    work.add_edge(a, b, r.rel_type, r.props.clone(), Vec::new())?,
                    false,
                )
            }
        };
        for p in &sources {
            work.add_edge_source(eid, p.clone())?;
        }
        report.edges.push(ExtractedEdge {
            from: key_of(&work, a),
            rel_type: r.rel_type.to_string(),
            to: key_of(&work, b),
            props: r.props.clone(),
            sources,
            merged,
        });
    }
    // Every node mentioned here points to the document, in entity order, so
    // that the same text always gives the same relationship ids.
    for (&e, &id) in &ids {
        let sources: Vec<Provenance> = doc.ents[e]
            .sources
            .iter()
            .map(|s| provenance(doc_id, s))
            .collect();
        if sources.is_empty() {
            continue;
        }
        let eid = match work.find_edge(id, doc_node, "MENTIONED_IN") {
            Some(eid) => eid,
            None => {
                report.edges_created += 1;
                work.add_edge(id, doc_node, "MENTIONED_IN", BTreeMap::new(), Vec::new())?
            }
        };
        for p in sources {
            work.add_edge_source(eid, p)?;
        }
        let mentions = work.edge(eid).map_or(0, |x| x.sources.len()) as i64;
        work.set_edge_property(eid, "mentions", Value::Int(mentions))?;
    }
    let mut trace: Vec<RuleFiring> = doc
        .firings
        .iter()
        .map(|f| RuleFiring {
            rule: f.rule.to_string(),
            sentence: f.sentence as u32 + 1,
            start: f.start,
            end: f.end,
            text: doc.chars[f.start as usize..f.end as usize].iter().collect(),
            produced: f.produced.clone(),
        })
        .collect();
    trace.sort_by_key(|f| (f.sentence, f.start, f.end));
    report.trace = trace;
    if !options.dry_run {
        *graph = work;
    }
    Ok(report)
}

fn props_text<'a>(props: impl IntoIterator<Item = (&'a String, &'a Value)>) -> String {
    let parts: Vec<String> = props
        .into_iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect();
    format!("{{{}}}", parts.join(", "))
}

/// An existing position with the same stance, actors and targets.
fn find_position(graph: &Graph, doc: &Doc, p: Eid, ids: &BTreeMap<Eid, NodeId>) -> Option<NodeId> {
    let stance = doc.ents[p].name.as_str();
    let actors: Vec<NodeId> = doc
        .sources_of(p, "TAKES")
        .iter()
        .filter_map(|a| ids.get(a).copied())
        .collect();
    let targets: Vec<NodeId> = doc
        .targets(p, "ON")
        .iter()
        .filter_map(|t| ids.get(t).copied())
        .collect();
    let first_actor = *actors.first()?;
    graph
        .edges_of(first_actor, Direction::Outgoing)
        .filter(|(eid, _)| graph.edge(*eid).is_some_and(|e| e.rel_type == "TAKES"))
        .map(|(_, pos)| pos)
        .find(|&pos| {
            let node = graph.node(pos);
            let same_stance = node
                .and_then(|n| n.props.get("stance"))
                .and_then(Value::as_str)
                == Some(stance);
            let on: Vec<NodeId> = graph
                .edges_of(pos, Direction::Outgoing)
                .filter(|(eid, _)| graph.edge(*eid).is_some_and(|e| e.rel_type == "ON"))
                .map(|(_, t)| t)
                .collect();
            let by: Vec<NodeId> = graph
                .edges_of(pos, Direction::Incoming)
                .filter(|(eid, _)| graph.edge(*eid).is_some_and(|e| e.rel_type == "TAKES"))
                .map(|(_, a)| a)
                .collect();
            same_stance
                && targets.iter().all(|t| on.contains(t))
                && actors.iter().all(|a| by.contains(a))
        })
}
