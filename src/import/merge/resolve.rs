//! Entity resolution across documents: which node records are one entity.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{Map, Value as Json};

use crate::extract::jsonl::same_person;
use crate::extract::normalize;

use super::{str_field, Merger, Reach};

/// Union-find over node records.
pub(super) struct Sets(Vec<usize>);

impl Sets {
    pub(super) fn find(&mut self, mut x: usize) -> usize {
        while self.0[x] != x {
            self.0[x] = self.0[self.0[x]];
            x = self.0[x];
        }
        x
    }
    /// Joins two sets; the smaller root wins, so roots do not depend on the call order.
    pub(super) fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            let (lo, hi) = (a.min(b), a.max(b));
            self.0[hi] = lo;
        }
    }
}

pub(super) fn name_of(props: &Map<String, Json>) -> Option<&str> {
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

/// Which records are one entity.
pub(super) fn resolve(m: &Merger) -> Sets {
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
