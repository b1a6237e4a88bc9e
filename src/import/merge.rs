//! Folding fact shards into one store: `factgraph import --merge`.
//!
//! The input is what `factgraph extract --jsonl` writes ([`crate::extract::jsonl`]):
//! per document, a `document` line then its `node` and `relationship`
//! lines, each document extracted alone. The merge resolves entities across
//! documents and builds the store. It is the reference for extracting a
//! corpus: `factgraph extract --jsonl --db g.fg < corpus.jsonl` (one process)
//! runs the very same merge, so any split of the corpus over processes, in
//! any order, gives the same store, element for element.
//!
//! The result depends on the set of documents only, never on their order:
//! - A document given twice with the same text counts once (a retried task);
//!   with another text it is an error.
//! - Entities known by name (`person:...` ids, see the extract module) merge
//!   when they have the same label and share a name or alias, after
//!   normalisation. People share only full names (a lone surname could be
//!   anyone's); a person named by one word ("Rubio") then merges with the
//!   one full-named person whose name fits it ("Marco Rubio": same surname or
//!   a spelling variant), and stays apart when several fit. Full names that
//!   are spelling variants of each other ("Volodymyr Zelensky",
//!   "Volodymyr Zelenskyy") merge too. Proposals, events and issues merge
//!   by their name only (one's name being another's name or alias).
//! - Entities that only make sense inside their document (ids with `@`)
//!   never merge across documents.
//! - Positions merge when they have the same stance, the same actors and
//!   the same targets, after the entities are merged.
//! - The merged node's name is the fullest (most words, then most mentions,
//!   then alphabetical); every other name becomes an alias. Other
//!   properties: when documents disagree, the value from the first
//!   document by id is kept and the disagreement is listed in
//!   [`MergeSummary::conflicts`], with the documents that state each value.
//! - Relationships with the same type and endpoints merge when their
//!   properties agree; a relationship whose properties are a subset of
//!   another's folds into it; disagreeing ones are kept side by side.
//!   `MENTIONED_IN` counts the mentions of the merged node in the document.
//! - Every source of every merged record is kept; every node points to each
//!   document that mentions it (`MENTIONED_IN {mentions}`, derived from the
//!   node's provenance there).
//!
//! Keys: the slug of the merged name (`marco_rubio`); a clash takes the
//! document id (document-bound entities) or a number.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{self, BufRead};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value as Json};

use crate::extract::jsonl::{name_slug, same_person};
use crate::extract::normalize;
use crate::model::{Date, Provenance, Value, KEY_PROPERTY};
use crate::store::{DocumentRecord, Graph, NodeId, StoreError};

use super::values::{json_provenance, json_value};

/// Why a merge stopped (nothing is written then).
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// A line that is not a fact line.
    #[error("{file}:{line}: {reason}")]
    BadLine {
        /// The input.
        file: String,
        /// 1-based line.
        line: u64,
        /// Why.
        reason: String,
    },
    /// An input that cannot be read.
    #[error("{file}: {error}")]
    Io {
        /// The input.
        file: String,
        /// The OS error.
        error: io::Error,
    },
    /// The store refused a merged fact.
    #[error("cannot store a merged fact: {0}")]
    Store(#[from] StoreError),
}

/// What a merge did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MergeSummary {
    /// Documents merged.
    pub documents: usize,
    /// Documents given more than once with the same text (counted once).
    pub repeated_documents: usize,
    /// Node lines read (document nodes included).
    pub node_lines: usize,
    /// Relationship lines read.
    pub relationship_lines: usize,
    /// Nodes in the result.
    pub nodes: usize,
    /// Relationships in the result.
    pub relationships: usize,
    /// Property disagreements between documents, one line each.
    pub conflicts: Vec<String>,
}

impl std::fmt::Display for MergeSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "merged {} document(s): {} node line(s) and {} relationship line(s) into {} node(s) and {} relationship(s)",
            self.documents, self.node_lines, self.relationship_lines, self.nodes, self.relationships
        )?;
        if self.repeated_documents > 0 {
            writeln!(
                f,
                "{} repeated document(s) counted once",
                self.repeated_documents
            )?;
        }
        for c in &self.conflicts {
            writeln!(f, "conflict: {c}")?;
        }
        Ok(())
    }
}

/// How far a node reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Reach {
    Document,
    Global,
    Local,
    Position,
}

#[derive(Clone, Debug)]
struct NodeRec {
    doc: usize,
    reach: Reach,
    label: String,
    labels: Vec<String>,
    props: Map<String, Json>,
    sources: Vec<Provenance>,
}

#[derive(Clone, Debug)]
struct RelRec {
    doc: usize,
    from: usize,
    to: usize,
    rel_type: String,
    props: Map<String, Json>,
    sources: Vec<Provenance>,
}

#[derive(Clone, Debug)]
struct DocRec {
    record: DocumentRecord,
}

/// Collects fact lines from any number of shards.
#[derive(Default)]
pub struct Merger {
    docs: Vec<DocRec>,
    doc_index: HashMap<String, usize>,
    nodes: Vec<NodeRec>,
    rels: Vec<RelRec>,
    repeated: usize,
}

fn str_field<'a>(obj: &'a Map<String, Json>, field: &str) -> Option<&'a str> {
    obj.get(field).and_then(Json::as_str)
}

fn endpoint(v: Option<&Json>) -> Option<String> {
    match v? {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        Json::Object(o) => endpoint(o.get("id")),
        _ => None,
    }
}

impl Merger {
    /// An empty merge.
    pub fn new() -> Merger {
        Merger::default()
    }

    /// Reads the fact lines of one shard (`name` is for messages).
    pub fn read(&mut self, name: &str, input: &mut dyn BufRead) -> Result<(), MergeError> {
        // The document whose lines follow, with its node ids; None while
        // skipping a repeated document.
        let mut current: Option<(usize, HashMap<String, usize>)> = None;
        let mut skipping = false;
        let mut buf = Vec::new();
        let mut line_no = 0u64;
        loop {
            buf.clear();
            let n = input
                .read_until(b'\n', &mut buf)
                .map_err(|error| MergeError::Io {
                    file: name.to_string(),
                    error,
                })?;
            if n == 0 {
                break;
            }
            line_no += 1;
            let bad = |reason: String| MergeError::BadLine {
                file: name.to_string(),
                line: line_no,
                reason,
            };
            let text = std::str::from_utf8(&buf).map_err(|_| bad("not UTF-8".into()))?;
            if text.trim().is_empty() {
                continue;
            }
            let v: Json =
                serde_json::from_str(text).map_err(|e| bad(format!("invalid JSON: {e}")))?;
            let Json::Object(obj) = v else {
                return Err(bad("a fact line must be a JSON object".into()));
            };
            match str_field(&obj, "type") {
                Some("document") => {
                    let record = document_record(&obj).map_err(bad)?;
                    match self.doc_index.get(&record.id) {
                        Some(&i) if self.docs[i].record.text == record.text => {
                            self.repeated += 1;
                            skipping = true;
                            current = None;
                        }
                        Some(_) => {
                            return Err(bad(format!(
                                "document {:?} was given before with another text",
                                record.id
                            )))
                        }
                        None => {
                            let i = self.docs.len();
                            self.doc_index.insert(record.id.clone(), i);
                            self.docs.push(DocRec { record });
                            skipping = false;
                            current = Some((i, HashMap::new()));
                        }
                    }
                }
                Some(kind @ ("node" | "relationship")) => {
                    if skipping {
                        continue;
                    }
                    let Some((doc, ids)) = current.as_mut() else {
                        return Err(bad(format!(
                            "a {kind} line before any document line: merge reads what `factgraph extract --jsonl` writes"
                        )));
                    };
                    let props = match obj.get("properties") {
                        None | Some(Json::Null) => Map::new(),
                        Some(Json::Object(p)) => p.clone(),
                        Some(_) => return Err(bad("\"properties\" must be an object".into())),
                    };
                    let sources = match obj.get("provenance") {
                        None | Some(Json::Null) => Vec::new(),
                        Some(p) => json_provenance(p).map_err(bad)?,
                    };
                    if kind == "node" {
                        let id = endpoint(obj.get("id"))
                            .ok_or_else(|| bad("a node needs an \"id\"".into()))?;
                        let labels: Vec<String> = match obj.get("labels") {
                            Some(Json::Array(l)) => l
                                .iter()
                                .map(|x| x.as_str().map(str::to_string))
                                .collect::<Option<_>>()
                                .ok_or_else(|| bad("\"labels\" must be strings".into()))?,
                            _ => return Err(bad("a node needs \"labels\"".into())),
                        };
                        let Some(label) = labels.first().cloned() else {
                            return Err(bad("a node needs a label".into()));
                        };
                        let reach = if label == "Document" {
                            Reach::Document
                        } else if label == "Position" {
                            Reach::Position
                        } else if id.contains('@') {
                            Reach::Local
                        } else {
                            Reach::Global
                        };
                        if ids.insert(id.clone(), self.nodes.len()).is_some() {
                            return Err(bad(format!("node id {id:?} twice in one document")));
                        }
                        self.nodes.push(NodeRec {
                            doc: *doc,
                            reach,
                            label,
                            labels,
                            props,
                            sources,
                        });
                    } else {
                        let rel_type = str_field(&obj, "label")
                            .ok_or_else(|| bad("a relationship needs a \"label\"".into()))?
                            .to_string();
                        let end = |field: &str| {
                            let id = endpoint(obj.get(field))
                                .ok_or_else(|| bad(format!("a relationship needs \"{field}\"")))?;
                            ids.get(&id).copied().ok_or_else(|| {
                                bad(format!("\"{field}\" {id:?} is no node of this document"))
                            })
                        };
                        let (from, to) = (end("start")?, end("end")?);
                        self.rels.push(RelRec {
                            doc: *doc,
                            from,
                            to,
                            rel_type,
                            props,
                            sources,
                        });
                    }
                }
                other => {
                    return Err(bad(format!(
                        "unknown line type {other:?} (document, node or relationship)"
                    )))
                }
            }
        }
        Ok(())
    }

    /// Reads a shard file (`-` is stdin; gzip is read transparently).
    pub fn read_path(&mut self, path: &Path) -> Result<(), MergeError> {
        let name = path.display().to_string();
        if name == "-" {
            let stdin = io::stdin();
            return self.read(&name, &mut stdin.lock());
        }
        let mut input = super::source::open(path).map_err(|error| MergeError::Io {
            file: name.clone(),
            error,
        })?;
        self.read(&name, &mut input.reader)
    }

    /// Resolves entities across documents and builds the store (see the
    /// module docs).
    pub fn finish(self) -> Result<(Graph, MergeSummary), MergeError> {
        build(self)
    }
}

fn document_record(obj: &Map<String, Json>) -> Result<DocumentRecord, String> {
    let id = str_field(obj, "id").ok_or("a document needs a string \"id\"")?;
    let text = str_field(obj, "text").ok_or("a document needs a string \"text\"")?;
    let mut record = DocumentRecord::new(id, str_field(obj, "title").unwrap_or(id), text);
    record.source = str_field(obj, "source").map(str::to_string);
    record.date = str_field(obj, "date")
        .map(Date::parse)
        .transpose()
        .map_err(|e| format!("\"date\": {e}"))?;
    if let Some(Json::Array(spans)) = obj.get("sentences") {
        let parsed: Option<Vec<(u32, u32)>> = spans
            .iter()
            .map(|s| {
                let pair = s.as_array()?;
                Some((
                    u32::try_from(pair.first()?.as_u64()?).ok()?,
                    u32::try_from(pair.get(1)?.as_u64()?).ok()?,
                ))
            })
            .collect();
        record.sentences = parsed.ok_or("\"sentences\" must be [start, end] pairs")?;
    }
    Ok(record)
}

/// Union-find over node records.
struct Sets(Vec<usize>);

impl Sets {
    fn find(&mut self, mut x: usize) -> usize {
        while self.0[x] != x {
            self.0[x] = self.0[self.0[x]];
            x = self.0[x];
        }
        x
    }
    /// Joins two sets; the smaller root wins, so roots do not depend on the call order.
    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            let (lo, hi) = (a.min(b), a.max(b));
            self.0[hi] = lo;
        }
    }
}

fn name_of(props: &Map<String, Json>) -> Option<&str> {
    str_field(props, "name")
}

fn aliases_of(props: &Map<String, Json>) -> Vec<&str> {
    match props.get("aliases") {
        Some(Json::Array(l)) => l.iter().filter_map(Json::as_str).collect(),
        _ => Vec::new(),
    }
}

fn proper_only(label: &str) -> bool {
    matches!(label, "Proposal" | "Event" | "Issue")
}

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

/// Which records are one entity.
fn resolve(m: &Merger) -> Sets {
    let n = m.nodes.len();
    let mut sets = Sets((0..n).collect());
    // Records are visited in the canonical order of their documents, so the
    // first record of an index entry does not depend on the input order;
    // the unions themselves are order-free.
    let mut order: Vec<usize> = (0..n)
        .filter(|&i| m.nodes[i].reach == Reach::Global)
        .collect();
    order.sort_by(|&a, &b| {
        (&m.docs[m.nodes[a].doc].record.id, a).cmp(&(&m.docs[m.nodes[b].doc].record.id, b))
    });
    let mut by_name: HashMap<(String, String), usize> = HashMap::new();
    let mut join = |sets: &mut Sets, key: (&str, String), i: usize| {
        let key = (key.0.to_string(), key.1);
        match by_name.get(&key) {
            Some(&j) => sets.union(i, j),
            None => {
                by_name.insert(key, i);
            }
        }
    };
    // Names, then aliases for labels matched by every name.
    for &i in &order {
        let r = &m.nodes[i];
        let primary = name_of(&r.props).map(normalize).unwrap_or_default();
        let person = r.label == "Person";
        if !person || primary.contains(' ') {
            join(&mut sets, (r.label.as_str(), primary), i);
        }
        if proper_only(&r.label) {
            continue;
        }
        for a in aliases_of(&r.props) {
            let a = normalize(a);
            if !person || a.contains(' ') {
                join(&mut sets, (r.label.as_str(), a), i);
            }
        }
    }
    // A proposal, event or issue whose name is another's alias.
    let primaries: HashMap<(&str, String), usize> = order
        .iter()
        .filter(|&&i| proper_only(&m.nodes[i].label))
        .map(|&i| {
            let r = &m.nodes[i];
            (
                (
                    r.label.as_str(),
                    name_of(&r.props).map(normalize).unwrap_or_default(),
                ),
                i,
            )
        })
        .collect();
    for &i in &order {
        let r = &m.nodes[i];
        if proper_only(&r.label) {
            for a in aliases_of(&r.props) {
                if let Some(&j) = primaries.get(&(r.label.as_str(), normalize(a))) {
                    sets.union(i, j);
                }
            }
        }
    }
    // People: full names that are spelling variants, then lone names.
    let people: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&i| m.nodes[i].label == "Person")
        .collect();
    let mut full: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut lone: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for &i in &people {
        let name = name_of(&m.nodes[i].props)
            .map(normalize)
            .unwrap_or_default();
        if name.contains(' ') {
            full.entry(name).or_default().push(i);
        } else {
            lone.entry(name).or_default().push(i);
        }
    }
    // same_person needs the first three letters of the surnames to agree.
    let bucket = |name: &str| -> String {
        name.rsplit(' ')
            .next()
            .unwrap_or("")
            .chars()
            .take(3)
            .collect()
    };
    let mut full_by_bucket: BTreeMap<String, Vec<&String>> = BTreeMap::new();
    for name in full.keys() {
        full_by_bucket.entry(bucket(name)).or_default().push(name);
    }
    for names in full_by_bucket.values() {
        for (x, a) in names.iter().enumerate() {
            for b in &names[x + 1..] {
                if same_person(a, b) {
                    sets.union(full[*a][0], full[*b][0]);
                }
            }
        }
    }
    let mut lone_left: Vec<&String> = Vec::new();
    for (name, recs) in &lone {
        let mut roots: BTreeSet<usize> = BTreeSet::new();
        for cand in full_by_bucket.get(&bucket(name)).into_iter().flatten() {
            if same_person(name, cand) {
                roots.insert(sets.find(full[*cand][0]));
            }
        }
        if roots.len() == 1 {
            let root = roots.into_iter().next().unwrap_or(recs[0]);
            for &r in recs {
                sets.union(r, root);
            }
        } else if roots.is_empty() {
            for w in recs.windows(2) {
                sets.union(w[0], w[1]);
            }
            lone_left.push(name);
        }
    }
    for (x, a) in lone_left.iter().enumerate() {
        for b in &lone_left[x + 1..] {
            if same_person(a, b) {
                sets.union(lone[*a][0], lone[*b][0]);
            }
        }
    }
    sets
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

fn build(m: Merger) -> Result<(Graph, MergeSummary), MergeError> {
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

/// Merges fact files into a new store at `db` (`-` reads stdin); with
/// `force`, an existing store is replaced, else refused.
pub fn merge_files(
    files: &[PathBuf],
    db: &Path,
    force: bool,
) -> Result<MergeSummary, MergeFileError> {
    if db.exists() && !force {
        return Err(MergeFileError::StoreExists(db.to_path_buf()));
    }
    let mut merger = Merger::new();
    for f in files {
        merger.read_path(f)?;
    }
    let (graph, summary) = merger.finish()?;
    crate::store::codec::save(&graph, db).map_err(MergeFileError::Save)?;
    Ok(summary)
}

/// Why `import --merge` wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum MergeFileError {
    /// The merge failed.
    #[error(transparent)]
    Merge(#[from] MergeError),
    /// The store exists.
    #[error("{} already exists; add --force to replace it (a merge builds a new store)", .0.display())]
    StoreExists(PathBuf),
    /// The store could not be written.
    #[error(transparent)]
    Save(crate::store::SnapshotError),
}
