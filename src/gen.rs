//! A deterministic synthetic graph under the news schema, for benchmarks
//! and tests that need a big, realistic graph.
//!
//! The shape imitates what extraction from many news articles produces: many
//! people, each a citizen of one of a few countries, holding roles, taking
//! positions on proposals and issues, meeting each other. Popularity is
//! skewed the way news is: a handful of countries, proposals and people
//! attract most of the relationships, while most nodes have one or two.
//!
//! The generator uses its own small PRNG (splitmix64), so the same
//! [`GenConfig`] yields the same graph — the same ids, properties and
//! provenance — on every run, platform and version of any dependency.

pub mod files;

use std::collections::BTreeMap;

use crate::model::{Date, Provenance, Schema, Value, KEY_PROPERTY};
use crate::store::{DocumentRecord, Graph, NodeId};

/// What to generate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenConfig {
    /// Number of `:Person` nodes; every other label is sized from it (see
    /// [`GenConfig::node_count`]).
    pub people: usize,
    /// Seed of the PRNG: equal configs give equal graphs.
    pub seed: u64,
    /// Relationships to aim for per node. Every node first gets the
    /// relationships that give it meaning (a role belongs to a country, a
    /// position is taken by someone and is about something), about 1.4 per
    /// node; the rest are meetings, memberships, briefings and the like,
    /// added until `edges_per_node × nodes` is reached.
    pub edges_per_node: usize,
}

impl Default for GenConfig {
    fn default() -> GenConfig {
        GenConfig {
            people: 1000,
            seed: 0x5eed,
            edges_per_node: 5,
        }
    }
}

/// How many nodes of each label a config asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Counts {
    people: usize,
    countries: usize,
    organizations: usize,
    roles: usize,
    proposals: usize,
    issues: usize,
    positions: usize,
    quantities: usize,
}

impl Counts {
    fn of(people: usize) -> Counts {
        Counts {
            people,
            countries: (people / 300).clamp(3, 200),
            organizations: people / 25 + 2,
            roles: people / 5 + 1,
            proposals: people / 80 + 2,
            issues: people / 150 + 2,
            positions: people / 2,
            quantities: people / 40,
        }
    }

    fn total(&self) -> usize {
        self.people
            + self.countries
            + self.organizations
            + self.roles
            + self.proposals
            + self.issues
            + self.positions
            + self.quantities
    }
}

impl GenConfig {
    /// A config whose graph has about `nodes` nodes (at least that many, and
    /// as few more as possible), with the default edges per node.
    pub fn with_nodes(nodes: usize, seed: u64) -> GenConfig {
        // node_count grows with people, so search for the smallest that suffices.
        let (mut lo, mut hi) = (0, nodes);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if Counts::of(mid).total() >= nodes {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        GenConfig {
            people: lo,
            seed,
            ..GenConfig::default()
        }
    }

    /// The exact number of nodes [`generate`] makes for this config.
    pub fn node_count(&self) -> usize {
        Counts::of(self.people).total()
    }
}

/// splitmix64: tiny, fast, and good enough to make test data.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        // Multiply-shift: unbiased enough for test data and free of division.
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }

    /// Whether an event of probability `p` happens.
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// In `0..n`, skewed towards 0: index `i` is picked with probability
    /// falling like a power law. `power` 1 is uniform; 3 gives the first 10%
    /// of indices almost half the picks.
    fn skewed(&mut self, n: usize, power: i32) -> usize {
        ((self.unit().powi(power) * n as f64) as usize).min(n - 1)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn date(&mut self) -> Date {
        let year = 2014 + self.below(12) as i32;
        let month = 1 + self.below(12) as u8;
        match self.below(10) {
            0 => Date {
                year,
                month: None,
                day: None,
            },
            1..=3 => Date::ym(year, month).expect("month is in range"),
            _ => Date::ymd(year, month, 1 + self.below(28) as u8).expect("day is in range"),
        }
    }
}

const FIRST_NAMES: &[&str] = &[
    "Anna", "Boris", "Carla", "Dmytro", "Elena", "Farid", "Greta", "Hassan", "Ines", "Jonas",
    "Kateryna", "Luca", "Maya", "Nikolai", "Olga", "Pavel", "Quentin", "Rosa", "Sergei", "Tamar",
    "Umar", "Vera", "Walter", "Xenia", "Yusuf", "Zofia",
];
const LAST_NAMES: &[&str] = &[
    "Petrenko",
    "Novak",
    "Schmidt",
    "Rossi",
    "Kowalski",
    "Haddad",
    "Larsen",
    "Moreau",
    "Ivanova",
    "Tanaka",
    "Okafor",
    "Silva",
    "Dubois",
    "Horvat",
    "Jensen",
    "Kuznetsov",
    "Lindqvist",
    "Marin",
    "Nagy",
    "Ozturk",
];
const SYLLABLES: &[&str] = &[
    "va", "lor", "ia", "ken", "dra", "mos", "tel", "sar", "bu", "rin", "gal", "os", "ne", "ter",
    "ma", "lu",
];
const MINISTRIES: &[&str] = &[
    "Foreign Affairs",
    "Defence",
    "Finance",
    "Energy",
    "Justice",
    "Trade",
    "Security",
];
const ORG_KINDS: &[&str] = &[
    "political party",
    "newspaper",
    "news agency",
    "ministry",
    "alliance",
    "company",
    "think tank",
];
const STANCES: &[&str] = &[
    "supports",
    "opposes",
    "agrees",
    "tentatively agrees",
    "has reservations",
    "criticizes",
];
const PROPOSAL_STATUS: &[&str] = &["draft", "revised", "final", "rejected"];
const ISSUE_STATUS: &[&str] = &["contested", "settled", "deferred"];
const TOPICS: &[&str] = &[
    "territorial concessions",
    "security guarantees",
    "sanctions relief",
    "prisoner exchange",
    "energy transit",
    "reconstruction funds",
    "troop limits",
    "elections",
];
const UNITS: &[&str] = &["troops", "USD billion", "km", "percent", "days"];
const CITIES: &[&str] = &[
    "Geneva",
    "Istanbul",
    "Riyadh",
    "Abu Dhabi",
    "Warsaw",
    "Vienna",
    "Oslo",
    "Doha",
];
const REL_STATUS: &[&str] = &["held", "planned", "reported", "ongoing", "conditional"];

/// The generator's state: the graph, the PRNG, and the document.
struct Gen {
    g: Graph,
    rng: Rng,
    doc_id: String,
    sentences: Vec<(u32, u32)>,
}

type Props = BTreeMap<String, Value>;

fn props<const N: usize>(pairs: [(&str, Value); N]) -> Props {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

fn strings(items: &[String]) -> Value {
    Value::List(items.iter().map(|s| Value::String(s.clone())).collect())
}

impl Gen {
    /// Provenance for one generated element: a short span in a random sentence.
    fn source(&mut self) -> Provenance {
        let n = self.rng.below(self.sentences.len());
        let (start, end) = self.sentences[n];
        let from = start + self.rng.below((end - start).max(1) as usize) as u32;
        Provenance {
            document: self.doc_id.as_str().into(),
            sentence: n as u32 + 1,
            start: from,
            end: (from + 1 + self.rng.below(12) as u32).min(end.max(from + 1)),
            method: "generated".into(),
        }
    }

    fn sources(&mut self, p: f64) -> Vec<Provenance> {
        if self.rng.chance(p) {
            vec![self.source()]
        } else {
            Vec::new()
        }
    }

    fn node(&mut self, label: &str, key: String, mut props: Props) -> NodeId {
        props.insert(KEY_PROPERTY.to_string(), Value::String(key));
        if self.rng.chance(0.05) {
            props.insert(
                "description".into(),
                Value::String(format!("generated {} node", label.to_lowercase())),
            );
        }
        let sources = self.sources(0.8);
        self.g
            .add_node(vec![label.to_string()], props, sources)
            .expect("generated nodes satisfy the news schema")
    }

    fn edge(&mut self, from: NodeId, to: NodeId, rel_type: &str, mut props: Props) {
        if self.rng.chance(0.4) {
            props.insert("date".into(), Value::Date(self.rng.date()));
        }
        if self.rng.chance(0.2) {
            let status = *self.rng.pick(REL_STATUS);
            props.insert("status".into(), Value::from(status));
        }
        let sources = self.sources(0.5);
        self.g
            .add_edge(from, to, rel_type, props, sources)
            .expect("generated relationships satisfy the news schema");
    }

    fn word(&mut self, syllables: usize) -> String {
        let mut w: String = (0..syllables).map(|_| *self.rng.pick(SYLLABLES)).collect();
        if let Some(first) = w.get_mut(..1) {
            first.make_ascii_uppercase();
        }
        w
    }
}

/// Sentences of the generated source document that provenance points into.
fn document_text(seed: u64) -> String {
    let mut text = format!("Synthetic news report {seed:#x}.");
    for i in 1..40 {
        text.push_str(&format!(
            " Officials from several countries discussed point {i} of the proposal, and the envoy said talks would continue."
        ));
    }
    text
}

/// Generates the graph `cfg` describes, under [`Schema::news`].
pub fn generate(cfg: &GenConfig) -> Graph {
    let c = Counts::of(cfg.people);
    let doc_id = format!("generated-{:016x}", cfg.seed);
    let mut doc = DocumentRecord::new(&doc_id, "Synthetic news corpus", &document_text(cfg.seed));
    doc.source = Some("factgraph::gen".into());
    doc.date = Date::ymd(2025, 11, 25);
    let sentences = doc.sentences.clone();
    let mut graph = Graph::new(Schema::news());
    graph.add_document(doc);
    let mut gen = Gen {
        g: graph,
        rng: Rng(cfg.seed),
        doc_id,
        sentences,
    };

    // ---- nodes ----
    let countries: Vec<NodeId> = (0..c.countries)
        .map(|i| {
            let stem = gen.word(2 + i % 2);
            let p = props([
                ("name", Value::String(format!("{stem}ia"))),
                ("demonyms", strings(&[format!("{stem}ian")])),
            ]);
            gen.node("Country", format!("country_{i}"), p)
        })
        .collect();
    let organizations: Vec<NodeId> = (0..c.organizations)
        .map(|i| {
            let kind = *gen.rng.pick(ORG_KINDS);
            let name = format!("{} {}", gen.word(2), kind);
            let p = props([("name", Value::String(name)), ("kind", Value::from(kind))]);
            gen.node("Organization", format!("org_{i}"), p)
        })
        .collect();
    let people: Vec<NodeId> = (0..c.people)
        .map(|i| {
            let first = *gen.rng.pick(FIRST_NAMES);
            let last = *gen.rng.pick(LAST_NAMES);
            let mut p = props([("name", Value::String(format!("{first} {last}")))]);
            if gen.rng.chance(0.2) {
                p.insert("aliases".into(), strings(&[last.to_string()]));
            }
            gen.node("Person", format!("person_{i}"), p)
        })
        .collect();
    let roles: Vec<NodeId> = (0..c.roles)
        .map(|i| {
            let (name, title) = match gen.rng.below(3) {
                0 => ("Head of State".to_string(), "President"),
                1 => (
                    format!("Minister of {}", gen.rng.pick(MINISTRIES)),
                    "Minister",
                ),
                _ => ("Special Envoy".to_string(), "Envoy"),
            };
            let p = props([("name", Value::String(name)), ("title", Value::from(title))]);
            gen.node("Role", format!("role_{i}"), p)
        })
        .collect();
    let proposals: Vec<NodeId> = (0..c.proposals)
        .map(|i| {
            let points = 5 + gen.rng.below(36) as i64;
            let status = *gen.rng.pick(PROPOSAL_STATUS);
            let p = props([
                (
                    "name",
                    Value::String(format!("{points}-point plan no. {i}")),
                ),
                ("points", Value::Int(points)),
                ("status", Value::from(status)),
            ]);
            gen.node("Proposal", format!("proposal_{i}"), p)
        })
        .collect();
    let issues: Vec<NodeId> = (0..c.issues)
        .map(|i| {
            let topic = *gen.rng.pick(TOPICS);
            let status = *gen.rng.pick(ISSUE_STATUS);
            let p = props([
                ("name", Value::String(format!("{topic} ({i})"))),
                ("status", Value::from(status)),
            ]);
            gen.node("Issue", format!("issue_{i}"), p)
        })
        .collect();
    let positions: Vec<NodeId> = (0..c.positions)
        .map(|i| {
            let stance = *gen.rng.pick(STANCES);
            let mut p = props([("stance", Value::from(stance))]);
            if gen.rng.chance(0.3) {
                p.insert("tentative".into(), Value::Bool(gen.rng.chance(0.5)));
            }
            if gen.rng.chance(0.2) {
                p.insert(
                    "summary".into(),
                    Value::String(format!("{stance} the plan, with conditions")),
                );
            }
            gen.node("Position", format!("position_{i}"), p)
        })
        .collect();
    let quantities: Vec<NodeId> = (0..c.quantities)
        .map(|i| {
            let value = (gen.rng.unit() * 1e5).round() / 10.0;
            let unit = *gen.rng.pick(UNITS);
            let p = props([("value", Value::Float(value)), ("unit", Value::from(unit))]);
            gen.node("Quantity", format!("quantity_{i}"), p)
        })
        .collect();

    // ---- the relationships every node needs ----
    let country = |gen: &mut Gen| countries[gen.rng.skewed(countries.len(), 3)];
    let organization = |gen: &mut Gen| organizations[gen.rng.skewed(organizations.len(), 2)];
    let person = |gen: &mut Gen| people[gen.rng.skewed(people.len(), 2)];
    let proposal = |gen: &mut Gen| proposals[gen.rng.skewed(proposals.len(), 3)];
    let issue = |gen: &mut Gen| issues[gen.rng.skewed(issues.len(), 2)];
    let anyone = |gen: &mut Gen| match gen.rng.below(10) {
        0..=6 if !people.is_empty() => person(gen),
        7 | 8 => country(gen),
        _ => organization(gen),
    };

    for &p in &people {
        let to = country(&mut gen);
        gen.edge(p, to, "CITIZEN_OF", Props::new());
    }
    for &role in &roles {
        let owner = if gen.rng.chance(0.7) {
            country(&mut gen)
        } else {
            organization(&mut gen)
        };
        gen.edge(role, owner, "ROLE_OF", Props::new());
        if !people.is_empty() {
            let holders = if gen.rng.chance(0.1) { 2 } else { 1 };
            for _ in 0..holders {
                let who = people[gen.rng.below(people.len())];
                gen.edge(who, role, "HOLDS", Props::new());
            }
        }
    }
    for &position in &positions {
        let who = anyone(&mut gen);
        gen.edge(who, position, "TAKES", Props::new());
        let about = if gen.rng.chance(0.75) {
            proposal(&mut gen)
        } else {
            issue(&mut gen)
        };
        gen.edge(position, about, "ON", Props::new());
    }
    for (i, &plan) in proposals.iter().enumerate() {
        for _ in 0..1 + gen.rng.below(3) {
            let author = if gen.rng.chance(0.6) {
                country(&mut gen)
            } else {
                anyone(&mut gen)
            };
            gen.edge(author, plan, "DRAFTED", Props::new());
        }
        if i > 0 && gen.rng.chance(0.3) {
            let earlier = proposals[gen.rng.below(i)];
            gen.edge(plan, earlier, "VERSION_OF", Props::new());
        }
        for _ in 0..1 + gen.rng.below(2) {
            let topic = issue(&mut gen);
            gen.edge(plan, topic, "ADDRESSES", Props::new());
        }
    }
    for &q in &quantities {
        let outlet = organization(&mut gen);
        gen.edge(q, outlet, "REPORTED_BY", Props::new());
    }

    // ---- the rest: meetings, memberships, briefings ----
    let target = cfg.edges_per_node.saturating_mul(c.total());
    while gen.g.edge_count() < target && people.len() > 1 {
        let a = people[gen.rng.below(people.len())];
        match gen.rng.below(20) {
            0..=6 => {
                let b = person(&mut gen);
                if a != b {
                    let mut p = Props::new();
                    if gen.rng.chance(0.3) {
                        p.insert("location".into(), Value::from(*gen.rng.pick(CITIES)));
                    }
                    gen.edge(a, b, "MEETS", p);
                }
            }
            7 => {
                let b = person(&mut gen);
                if a != b {
                    let p = props([("condition", Value::from("once the plan is agreed"))]);
                    gen.edge(a, b, "WILL_MEET", p);
                }
            }
            8..=10 => {
                let org = organization(&mut gen);
                gen.edge(a, org, "MEMBER_OF", Props::new());
            }
            11..=13 => {
                let about = if gen.rng.chance(0.7) {
                    proposal(&mut gen)
                } else {
                    issue(&mut gen)
                };
                gen.edge(a, about, "BRIEFED_ON", Props::new());
            }
            14 | 15 => {
                let to = country(&mut gen);
                gen.edge(a, to, "REPRESENTS", Props::new());
            }
            16 | 17 => {
                let boss = person(&mut gen);
                if a != boss {
                    gen.edge(a, boss, "SERVES", Props::new());
                }
            }
            _ => {
                let position = positions[gen.rng.below(positions.len())];
                let outlet = if gen.rng.chance(0.8) {
                    organization(&mut gen)
                } else {
                    a
                };
                gen.edge(position, outlet, "REPORTED_BY", Props::new());
            }
        }
    }
    gen.g
}

#[cfg(test)]
mod tests {
    use super::*;
    use petgraph::Direction;

    fn small(seed: u64) -> GenConfig {
        GenConfig {
            people: 2000,
            seed,
            edges_per_node: 5,
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_graph() {
        let a = generate(&small(7));
        let b = generate(&small(7));
        assert!(a.same_as(&b));
        let c = generate(&small(8));
        assert!(!a.same_as(&c));
    }

    #[test]
    fn the_graph_satisfies_the_news_schema() {
        let cfg = small(1);
        let g = generate(&cfg);
        assert_eq!(g.schema(), &Schema::news());
        assert_eq!(g.node_count(), cfg.node_count());
        let docs: Vec<_> = g.documents().map(|d| d.id.clone()).collect();
        assert_eq!(docs.len(), 1);
        let schema = g.schema();
        for id in g.node_ids() {
            let n = g.node(id).unwrap();
            let labels: Vec<&str> = n.labels.iter().map(String::as_str).collect();
            schema.check_node(&labels, &n.props).unwrap();
            assert!(n
                .sources
                .iter()
                .all(|p| docs.iter().any(|d| *d == *p.document)));
            assert!(n.sources.iter().all(|p| p.start < p.end));
        }
        for id in g.edge_ids() {
            let e = g.edge(id).unwrap();
            let (a, b) = g.endpoints(id).unwrap();
            let labels = |n: NodeId| -> Vec<&str> {
                g.node(n)
                    .unwrap()
                    .labels
                    .iter()
                    .map(String::as_str)
                    .collect()
            };
            schema
                .check_edge(&e.rel_type, &labels(a), &labels(b), &e.props)
                .unwrap();
        }
        for label in [
            "Person",
            "Country",
            "Role",
            "Proposal",
            "Position",
            "Issue",
            "Organization",
            "Quantity",
        ] {
            assert!(g.label_count(label) > 0, "no :{label}");
        }
        for t in [
            "HOLDS",
            "ROLE_OF",
            "CITIZEN_OF",
            "TAKES",
            "ON",
            "DRAFTED",
            "MEETS",
            "MEMBER_OF",
        ] {
            assert!(g.edges_with_type(t).next().is_some(), "no [:{t}]");
        }
    }

    #[test]
    fn the_graph_has_the_asked_size_and_skew() {
        let cfg = small(3);
        let g = generate(&cfg);
        let per_node = g.edge_count() as f64 / g.node_count() as f64;
        assert!((4.9..5.2).contains(&per_node), "{per_node} edges per node");
        // A few countries carry most citizens; most people have few links.
        let mut country_degrees: Vec<usize> = g
            .nodes_with_label("Country")
            .map(|c| g.edges_of(c, Direction::Incoming).count())
            .collect();
        country_degrees.sort_unstable();
        let top = *country_degrees.last().unwrap();
        let median_person = {
            let mut d: Vec<usize> = g.nodes_with_label("Person").map(|p| g.degree(p)).collect();
            d.sort_unstable();
            d[d.len() / 2]
        };
        assert!(
            top > 20 * median_person,
            "top country {top}, median person {median_person}"
        );
        assert!(top > 5 * country_degrees[country_degrees.len() / 2]);
    }

    #[test]
    fn with_nodes_hits_the_asked_size() {
        for n in [0, 1, 10, 1000, 100_000] {
            let cfg = GenConfig::with_nodes(n, 1);
            assert!(cfg.node_count() >= n);
            // The smallest graph has 10 nodes: a few countries, organizations, plans...
            assert!(
                cfg.node_count() < n.max(10) + 10,
                "{n} -> {}",
                cfg.node_count()
            );
        }
    }

    #[test]
    fn tiny_configs_work() {
        for people in [0, 1, 2, 3] {
            let g = generate(&GenConfig {
                people,
                seed: 1,
                edges_per_node: 5,
            });
            assert_eq!(g.node_count(), Counts::of(people).total());
        }
    }
}
