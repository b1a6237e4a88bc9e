//! Building the store from the resolved records: one node per entity with
//! its merged names, properties and sources, then the relationships.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{Map, Value as Json};

use crate::extract::jsonl::name_slug;
use crate::extract::normalize;
use crate::model::{Provenance, Value, KEY_PROPERTY};
use crate::store::{Graph, NodeId};

use crate::import::values::json_value;

use super::resolve::{name_of, resolve};
use super::{str_field, DocRec, MergeError, MergeSummary, Merger, Reach, RelRec};

/// A canonical ordering key for a set of sources.
fn first_source(sources: &[Provenance]) -> (String, u32, u32, u32) {
    sources
        .iter()
        .map(|p| (p.document.to_string(), p.sentence, p.start, p.end))
        .min()
        .unwrap_or_default()
}

fn sorted_sources(mut all: Vec<Provenance>) -> Vec<Provenance> {
    all.sort_by(|a, b| {
        (&a.document, a.sentence, a.start, a.end, &a.method).cmp(&(
            &b.document,
            b.sentence,
            b.start,
            b.end,
            &b.method,
        ))
    });
    all.dedup();
    all
}

/// The merged node for a set of records.
struct Merged {
    label: String,
    labels: Vec<String>,
    reach: Reach,
    name: Option<String>,
    props: Map<String, Json>,
    sources: Vec<Provenance>,
    key_base: String,
    first_doc: String,
}

fn merge_group(m: &Merger, recs: &[usize], conflicts: &mut Vec<String>) -> Merged {
    let doc_id = |i: usize| m.docs[m.nodes[i].doc].record.id.as_str();
    let mut recs = recs.to_vec();
    recs.sort_by(|&a, &b| (doc_id(a), a).cmp(&(doc_id(b), b)));
    let first = &m.nodes[recs[0]];
    let reach = first.reach;
    let mut labels: Vec<String> = Vec::new();
    for &i in &recs {
        for l in &m.nodes[i].labels {
            if !labels.contains(l) {
                labels.push(l.clone());
            }
        }
    }
    // The fullest name: most words, most mentions, then alphabetical.
    let mut mentions: BTreeMap<&str, usize> = BTreeMap::new();
    for &i in &recs {
        if let Some(n) = name_of(&m.nodes[i].props) {
            *mentions.entry(n).or_default() += m.nodes[i].sources.len();
        }
    }
    let name = mentions
        .iter()
        .max_by(|(a, ca), (b, cb)| {
            (a.split_whitespace().count(), *ca, std::cmp::Reverse(*a)).cmp(&(
                b.split_whitespace().count(),
                *cb,
                std::cmp::Reverse(*b),
            ))
        })
        .map(|(n, _)| n.to_string());
    let mut props = Map::new();
    let mut stated: BTreeMap<String, Vec<(Json, &str)>> = BTreeMap::new();
    let mut aliases: BTreeMap<String, String> = BTreeMap::new();
    let mut demonyms: BTreeMap<String, String> = BTreeMap::new();
    let keep_shortest = |map: &mut BTreeMap<String, String>, written: &str| {
        let norm = normalize(written);
        match map.get(&norm) {
            Some(old) if old.as_str() <= written => {}
            _ => {
                map.insert(norm, written.to_string());
            }
        }
    };
    for &i in &recs {
        let r = &m.nodes[i];
        for (k, v) in &r.props {
            match k.as_str() {
                "name" => {
                    if let Some(n) = v.as_str() {
                        keep_shortest(&mut aliases, n);
                    }
                }
                "aliases" | "demonyms" => {
                    let map = if k == "aliases" {
                        &mut aliases
                    } else {
                        &mut demonyms
                    };
                    if let Json::Array(l) = v {
                        for a in l.iter().filter_map(Json::as_str) {
                            keep_shortest(map, a);
                        }
                    }
                }
                _ if k == KEY_PROPERTY => {}
                _ => stated
                    .entry(k.clone())
                    .or_default()
                    .push((v.clone(), doc_id(i))),
            }
        }
    }
    let display = name.clone().unwrap_or_else(|| first.label.clone());
    for (k, values) in stated {
        let kept = values[0].0.clone();
        let differs = values.iter().any(|(v, _)| *v != kept);
        if differs && !matches!(k.as_str(), "summary" | "description") {
            let mut by_value: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
            for (v, d) in &values {
                by_value.entry(v.to_string()).or_default().insert(d);
            }
            let parts: Vec<String> = by_value
                .iter()
                .map(|(v, ds)| {
                    format!(
                        "{v} ({})",
                        ds.iter().copied().collect::<Vec<_>>().join(", ")
                    )
                })
                .collect();
            conflicts.push(format!(
                "({display}:{}).{k}: {}; kept {kept}",
                first.label,
                parts.join(" vs ")
            ));
        }
        props.insert(k, kept);
    }
    if let Some(n) = &name {
        props.insert("name".into(), Json::from(n.as_str()));
        aliases.remove(&normalize(n));
    }
    if !aliases.is_empty() && first.label != "Position" {
        let mut list: Vec<&String> = aliases.values().collect();
        list.sort();
        props.insert(
            "aliases".into(),
            Json::from(list.into_iter().cloned().collect::<Vec<_>>()),
        );
    }
    if !demonyms.is_empty() {
        let mut list: Vec<String> = demonyms.into_values().collect();
        list.sort();
        props.insert("demonyms".into(), Json::from(list));
    }
    let sources = sorted_sources(
        recs.iter()
            .flat_map(|&i| m.nodes[i].sources.iter().cloned())
            .collect(),
    );
    let local_keys: Vec<&str> = recs
        .iter()
        .filter_map(|&i| str_field(&m.nodes[i].props, KEY_PROPERTY))
        .collect();
    let key_base = match reach {
        Reach::Document => doc_id(recs[0]).to_string(),
        Reach::Global => name_slug(name.as_deref().unwrap_or(&first.label)),
        Reach::Local | Reach::Position => local_keys
            .iter()
            .min()
            .map(|k| k.to_string())
            .unwrap_or_else(|| name_slug(&display)),
    };
    Merged {
        label: first.label.clone(),
        labels,
        reach,
        name,
        props,
        sources,
        key_base,
        first_doc: doc_id(recs[0]).to_string(),
    }
}

fn to_props(
    graph: &Graph,
    labels: &[String],
    rel_type: Option<&str>,
    props: &Map<String, Json>,
) -> Result<BTreeMap<String, Value>, String> {
    let schema = graph.schema();
    let label_refs: Vec<&str> = labels.iter().map(String::as_str).collect();
    let mut out = BTreeMap::new();
    for (k, v) in props {
        let ty = match rel_type {
            Some(t) => schema.edge_property_type(t, k),
            None => schema.node_property_type(&label_refs, k),
        };
        if let Some(value) = json_value(v, ty).map_err(|e| format!("property {k}: {e}"))? {
            out.insert(k.clone(), value);
        }
    }
    Ok(out)
}

/// `MENTIONED_IN` from every node to its document, with the node's
/// provenance in that document: `extract --jsonl` leaves these lines out.
/// (Given lines are kept; the same edge given and derived is one edge.)
fn derive_mentions(m: &mut Merger) {
    let mut doc_node: HashMap<usize, usize> = HashMap::new();
    for (i, r) in m.nodes.iter().enumerate() {
        if r.reach == Reach::Document {
            doc_node.entry(r.doc).or_insert(i);
        }
    }
    for (i, r) in m.nodes.iter().enumerate() {
        let Some(&d) = doc_node.get(&r.doc) else {
            continue;
        };
        if r.reach == Reach::Document || r.sources.is_empty() {
            continue;
        }
        m.rels.push(RelRec {
            doc: r.doc,
            from: i,
            to: d,
            rel_type: "MENTIONED_IN".into(),
            props: Map::new(),
            sources: r.sources.clone(),
        });
    }
}

pub(super) fn build(m: Merger) -> Result<(Graph, MergeSummary), MergeError> {
    let mut summary = MergeSummary {
        documents: m.docs.len(),
        repeated_documents: m.repeated,
        node_lines: m.nodes.len(),
        relationship_lines: m.rels.len(),
        ..MergeSummary::default()
    };
    let mut m = m;
    derive_mentions(&mut m);
    let mut sets = resolve(&m);
    // Positions: the same stance by the same actors on the same targets.
    let mut actors: HashMap<usize, BTreeSet<usize>> = HashMap::new();
    let mut targets: HashMap<usize, BTreeSet<usize>> = HashMap::new();
    for r in &m.rels {
        if r.rel_type == "TAKES" && m.nodes[r.to].reach == Reach::Position {
            let a = sets.find(r.from);
            actors.entry(r.to).or_default().insert(a);
        } else if r.rel_type == "ON" && m.nodes[r.from].reach == Reach::Position {
            let t = sets.find(r.to);
            targets.entry(r.from).or_default().insert(t);
        }
    }
    let mut by_signature: BTreeMap<(String, Vec<usize>, Vec<usize>), usize> = BTreeMap::new();
    for (i, r) in m.nodes.iter().enumerate() {
        if r.reach != Reach::Position {
            continue;
        }
        let Some(who) = actors.get(&i).filter(|a| !a.is_empty()) else {
            continue;
        };
        let stance = r
            .props
            .get("stance")
            .map(Json::to_string)
            .unwrap_or_default();
        let sig = (
            stance,
            who.iter().copied().collect(),
            targets
                .get(&i)
                .map(|t| t.iter().copied().collect())
                .unwrap_or_default(),
        );
        match by_signature.get(&sig) {
            Some(&j) => sets.union(i, j),
            None => {
                by_signature.insert(sig, i);
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..m.nodes.len() {
        groups.entry(sets.find(i)).or_default().push(i);
    }
    let mut merged: Vec<(Merged, Vec<usize>)> = groups
        .into_values()
        .map(|recs| (merge_group(&m, &recs, &mut summary.conflicts), recs))
        .collect();
    // A canonical order: documents, then by label, key and first source.
    merged.sort_by(|(a, _), (b, _)| {
        (
            a.reach != Reach::Document,
            &a.label,
            &a.key_base,
            &a.name,
            first_source(&a.sources),
            &a.first_doc,
        )
            .cmp(&(
                b.reach != Reach::Document,
                &b.label,
                &b.key_base,
                &b.name,
                first_source(&b.sources),
                &b.first_doc,
            ))
    });
    summary.conflicts.sort();
    let mut graph = Graph::default();
    let mut docs: Vec<&DocRec> = m.docs.iter().collect();
    docs.sort_by(|a, b| a.record.id.cmp(&b.record.id));
    for d in docs {
        graph.add_document(d.record.clone());
    }
    // Keys: documents first, then the rest in the canonical order.
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut node_of: Vec<NodeId> = vec![NodeId(0); m.nodes.len()];
    for (g, recs) in &merged {
        let mut key = g.key_base.clone();
        if used.contains(&key) && matches!(g.reach, Reach::Local | Reach::Position) {
            key = format!("{}_{}", g.key_base, name_slug(&g.first_doc));
        }
        if used.contains(&key) {
            let base = key.clone();
            key = (2..)
                .map(|i| format!("{base}_{i}"))
                .find(|k| !used.contains(k))
                .unwrap_or(base);
        }
        used.insert(key.clone());
        let mut props = g.props.clone();
        props.insert(KEY_PROPERTY.into(), Json::from(key.as_str()));
        let store_props =
            to_props(&graph, &g.labels, None, &props).map_err(|reason| MergeError::BadLine {
                file: g.first_doc.clone(),
                line: 0,
                reason: format!("({}:{}): {reason}", key, g.label),
            })?;
        let id = graph.add_node(g.labels.clone(), store_props, g.sources.clone())?;
        for &r in recs {
            node_of[r] = id;
        }
    }
    summary.nodes = merged.len();
    // Relationships, grouped by type and merged endpoints.
    let mut by_ends: BTreeMap<(NodeId, String, NodeId), Vec<usize>> = BTreeMap::new();
    for (i, r) in m.rels.iter().enumerate() {
        by_ends
            .entry((node_of[r.from], r.rel_type.clone(), node_of[r.to]))
            .or_default()
            .push(i);
    }
    let doc_id = |i: usize| m.docs[m.rels[i].doc].record.id.as_str();
    for ((from, rel_type, to), mut recs) in by_ends {
        recs.sort_by(|&a, &b| (doc_id(a), a).cmp(&(doc_id(b), b)));
        let mentions = rel_type == "MENTIONED_IN";
        // The properties that tell relationships apart.
        let signature = |i: usize| -> BTreeMap<String, String> {
            m.rels[i]
                .props
                .iter()
                .filter(|(k, _)| {
                    let ignored = matches!(k.as_str(), "description" | "purpose")
                        || (mentions && k.as_str() == "mentions");
                    !ignored
                })
                .map(|(k, v)| (k.clone(), v.to_string()))
                .collect()
        };
        let mut sigs: Vec<BTreeMap<String, String>> = recs.iter().map(|&i| signature(i)).collect();
        sigs.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        sigs.dedup();
        // Each signature folds into the first larger one it is part of.
        let home: Vec<usize> = (0..sigs.len())
            .map(|s| {
                (0..s)
                    .find(|&t| {
                        sigs[t].len() > sigs[s].len()
                            && sigs[s].iter().all(|(k, v)| sigs[t].get(k) == Some(v))
                    })
                    .unwrap_or(s)
            })
            .collect();
        let mut parts: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for &i in &recs {
            let sig = signature(i);
            let s = sigs.iter().position(|x| *x == sig).unwrap_or(0);
            let mut h = s;
            while home[h] != h {
                h = home[h];
            }
            parts.entry(h).or_default().push(i);
        }
        for (_, part) in parts {
            let mut props = Map::new();
            for &i in &part {
                for (k, v) in &m.rels[i].props {
                    if !props.contains_key(k) {
                        props.insert(k.clone(), v.clone());
                    }
                }
            }
            let sources = sorted_sources(
                part.iter()
                    .flat_map(|&i| m.rels[i].sources.iter().cloned())
                    .collect(),
            );
            if mentions {
                props.insert("mentions".into(), Json::from(sources.len()));
            }
            let store_props = to_props(&graph, &[], Some(&rel_type), &props).map_err(|reason| {
                MergeError::BadLine {
                    file: doc_id(part[0]).to_string(),
                    line: 0,
                    reason: format!("[:{rel_type}]: {reason}"),
                }
            })?;
            graph.add_edge(from, to, &rel_type, store_props, sources)?;
            summary.relationships += 1;
        }
    }
    Ok((graph, summary))
}
