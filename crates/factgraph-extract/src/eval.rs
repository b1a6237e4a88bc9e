//! Measuring extraction against hand-written gold facts.
//!
//! A gold folder holds, for each article, a facts file (the format of
//! `factgraph load`, see `tests/gold/README.md`) whose `document` statement
//! names the article's text file. [`evaluate`] loads each facts file into an
//! empty graph, extracts the article into another, and compares them:
//!
//! - **Entities** (every node except documents and positions) match when they
//!   have the same label and share a name: the name or an alias of one
//!   equals the name or an alias of the other after [`normalize`] (case,
//!   apostrophes, dots and a leading article ignored); people also match on
//!   surname with compatible first names. Proposals, events, issues and
//!   groups, which both sides name by a description in their own words,
//!   also match when a gold quote and an extracted source overlap in the
//!   same sentence. Matching is one-to-one, best overlap first.
//! - **Positions** (a reified "actor takes a stance on a target") have no
//!   name: a gold and an extracted position match when at least one actor
//!   taking it and one target it is on are matched entities. They are
//!   counted in their own row, not in the entity total; their TAKES and ON
//!   relationships count as relations.
//! - **Relations** (every relationship except the derived MENTIONED_IN) match
//!   when they have the same type and both endpoints are matched to each
//!   other. Properties and the stance wording are not compared.
//! - **Roles** are scored as (person, title, country) triples, one per
//!   `HOLDS`: the matched person, the Role's `title` (normalised, British and
//!   American spellings alike) and the Country or Organization its `ROLE_OF`
//!   points to, or none. A role with the right title but a guessed country
//!   is one spurious and one missed triple.
//! - **Polarity**: a matched pair of positions counts as correct only when
//!   both carry the same `polarity` (support, oppose, mixed, neutral);
//!   every other extracted position is spurious and every other gold one
//!   missed.
//!
//! Precision, recall and F1 are micro-averaged over the facts of a kind.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::path::Path;

use petgraph::Direction;

use factgraph_facts as facts;
use factgraph_model::Value;
use factgraph_store::{Graph, NodeId};

use super::doc::normalize;
use super::{extract_document, ExtractError, ExtractOptions};

/// Correct, spurious and missed facts of one kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Extracted and in the gold.
    pub correct: usize,
    /// Extracted but not in the gold.
    pub spurious: usize,
    /// In the gold but not extracted.
    pub missed: usize,
}

impl Counts {
    /// correct / extracted (1 when nothing was extracted).
    pub fn precision(&self) -> f64 {
        let n = self.correct + self.spurious;
        if n == 0 {
            1.0
        } else {
            self.correct as f64 / n as f64
        }
    }
    /// correct / gold (1 when the gold is empty).
    pub fn recall(&self) -> f64 {
        let n = self.correct + self.missed;
        if n == 0 {
            1.0
        } else {
            self.correct as f64 / n as f64
        }
    }
    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, other: Counts) {
        self.correct += other.correct;
        self.spurious += other.spurious;
        self.missed += other.missed;
    }
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "P {:.2} R {:.2} F1 {:.2} ({} correct, {} spurious, {} missed)",
            self.precision(),
            self.recall(),
            self.f1(),
            self.correct,
            self.spurious,
            self.missed
        )
    }
}

/// The comparison for one article.
#[derive(Clone, Debug, Default)]
pub struct ArticleEval {
    /// Document id.
    pub document: String,
    /// The gold facts file.
    pub file: String,
    /// Named entities (all labels but Document and Position).
    pub entities: Counts,
    /// Positions, matched by actor and target.
    pub positions: Counts,
    /// Relationships (all types but MENTIONED_IN).
    pub relations: Counts,
    /// (person, title, country or organization) triples of `HOLDS`.
    pub roles: Counts,
    /// Positions matched by actor and target that also have the gold's polarity.
    pub polarity: Counts,
    /// Per label.
    pub by_label: BTreeMap<String, Counts>,
    /// Per relationship type.
    pub by_type: BTreeMap<String, Counts>,
    /// Gold facts not extracted.
    pub missed: Vec<String>,
    /// Extracted facts not in the gold.
    pub spurious: Vec<String>,
}

/// The comparison for every article of a gold folder.
#[derive(Clone, Debug, Default)]
pub struct EvalReport {
    /// One per facts file, in file-name order.
    pub articles: Vec<ArticleEval>,
}

impl EvalReport {
    /// The article whose document id is `id`.
    pub fn article(&self, id: &str) -> Option<&ArticleEval> {
        self.articles.iter().find(|a| a.document == id)
    }
}

fn row(f: &mut fmt::Formatter<'_>, name: &str, c: &Counts) -> fmt::Result {
    writeln!(
        f,
        "  {name:<22} {:>5.2} {:>5.2} {:>5.2}   {:>4} {:>4} {:>4}",
        c.precision(),
        c.recall(),
        c.f1(),
        c.correct,
        c.spurious,
        c.missed
    )
}

/// The rows of the summary table: the kinds the issue tracker's targets name.
const SUMMARY_LABELS: [(&str, &str); 3] = [
    ("persons", "Person"),
    ("organizations", "Organization"),
    ("countries", "Country"),
];

fn summary_rows(
    f: &mut fmt::Formatter<'_>,
    entities: &Counts,
    relations: &Counts,
    by_label: &BTreeMap<String, Counts>,
    roles: &Counts,
    positions: &Counts,
    polarity: &Counts,
) -> fmt::Result {
    row(f, "ENTITIES", entities)?;
    row(f, "RELATIONS", relations)?;
    for (title, label) in SUMMARY_LABELS {
        row(f, title, &by_label.get(label).copied().unwrap_or_default())?;
    }
    row(f, "roles (person-title-c)", roles)?;
    row(f, "positions", positions)?;
    row(f, "positions + polarity", polarity)
}

fn header(f: &mut fmt::Formatter<'_>) -> fmt::Result {
    writeln!(
        f,
        "  {:<22} {:>5} {:>5} {:>5}   {:>4} {:>4} {:>4}",
        "", "P", "R", "F1", "ok", "+", "-"
    )
}

impl EvalReport {
    /// Every article's counts added up.
    pub fn total(&self) -> ArticleEval {
        let mut all = ArticleEval {
            document: "all articles".into(),
            ..ArticleEval::default()
        };
        for a in &self.articles {
            all.entities.add(a.entities);
            all.relations.add(a.relations);
            all.positions.add(a.positions);
            all.roles.add(a.roles);
            all.polarity.add(a.polarity);
            for (l, c) in &a.by_label {
                all.by_label.entry(l.clone()).or_default().add(*c);
            }
            for (t, c) in &a.by_type {
                all.by_type.entry(t.clone()).or_default().add(*c);
            }
        }
        all
    }
}

impl fmt::Display for EvalReport {
    /// A table per article (the summary rows, then per label and type); the
    /// alternate form (`{:#}`) also lists every missed and spurious fact.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for a in &self.articles {
            writeln!(f, "{} ({})", a.document, a.file)?;
            header(f)?;
            summary_rows(
                f,
                &a.entities,
                &a.relations,
                &a.by_label,
                &a.roles,
                &a.positions,
                &a.polarity,
            )?;
            for (l, c) in &a.by_label {
                row(f, &format!(":{l}"), c)?;
            }
            for (t, c) in &a.by_type {
                row(f, &format!("[:{t}]"), c)?;
            }
            if f.alternate() {
                for m in &a.missed {
                    writeln!(f, "  missed   {m}")?;
                }
                for s in &a.spurious {
                    writeln!(f, "  spurious {s}")?;
                }
            }
        }
        let all = self.total();
        writeln!(f, "all articles")?;
        header(f)?;
        summary_rows(
            f,
            &all.entities,
            &all.relations,
            &all.by_label,
            &all.roles,
            &all.positions,
            &all.polarity,
        )
    }
}

/// Evaluates extraction on every `*.facts` file of `gold_dir`.
pub fn evaluate(gold_dir: &Path) -> Result<EvalReport, ExtractError> {
    let io = |path: &Path, error| ExtractError::Io {
        path: path.to_path_buf(),
        error,
    };
    let mut files: Vec<_> = std::fs::read_dir(gold_dir)
        .map_err(|e| io(gold_dir, e))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "facts"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(ExtractError::Gold(format!(
            "{} holds no .facts files",
            gold_dir.display()
        )));
    }
    let mut report = EvalReport::default();
    for path in files {
        let text = std::fs::read_to_string(&path).map_err(|e| io(&path, e))?;
        let mut gold = Graph::default();
        let name = path.display().to_string();
        facts::load(&mut gold, &text, &name, &|file| {
            std::fs::read_to_string(gold_dir.join(file))
        })
        .map_err(|e| ExtractError::Gold(e.to_string()))?;
        let docs: Vec<_> = gold.documents().cloned().collect();
        let [doc] = docs.as_slice() else {
            return Err(ExtractError::Gold(format!(
                "{name}: a gold file must describe exactly one document, not {}",
                docs.len()
            )));
        };
        let mut extracted = Graph::default();
        extract_document(
            &mut extracted,
            &doc.id,
            &doc.title,
            &doc.text,
            doc.date,
            &ExtractOptions::default(),
        )?;
        let mut article = evaluate_article(&gold, &extracted, &doc.id);
        article.file = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        report.articles.push(article);
    }
    Ok(report)
}

fn names(g: &Graph, id: NodeId) -> BTreeSet<String> {
    let node = g.node(id).expect("node exists");
    let mut out = BTreeSet::new();
    if let Some(Value::String(n)) = node.props.get("name") {
        out.insert(normalize(n));
    }
    if let Some(Value::List(l)) = node.props.get("aliases") {
        out.extend(l.iter().filter_map(Value::as_str).map(normalize));
    }
    out
}

/// Labels whose nodes are named by a description ("Interest rate cut",
/// "Talks with the Transport Ministry"), which an extractor words its own
/// way: they also match when both cite overlapping text.
const DESCRIBED: &[&str] = &["Proposal", "Event", "Issue", "Group"];

/// Whether a source of gold node `g` and one of extracted node `e` overlap
/// in the same sentence of the document.
fn cites_same_text(gold: &Graph, g: NodeId, extracted: &Graph, e: NodeId) -> bool {
    let (Some(gn), Some(en)) = (gold.node(g), extracted.node(e)) else {
        return false;
    };
    gn.sources.iter().any(|a| {
        en.sources
            .iter()
            .any(|b| a.sentence == b.sentence && a.start < b.end && b.start < a.end)
    })
}

fn name(g: &Graph, id: NodeId) -> String {
    let node = g.node(id).expect("node exists");
    if node.has_label("Position") {
        return format!(
            "position {:?}",
            node.props
                .get("stance")
                .and_then(Value::as_str)
                .unwrap_or("")
        );
    }
    node.display_name()
}

fn label(g: &Graph, id: NodeId) -> String {
    g.node(id)
        .and_then(|n| n.labels.first().cloned())
        .unwrap_or_default()
}

fn person_like(a: &str, b: &str) -> bool {
    let (a, b) = (normalize(a), normalize(b));
    let last = |s: &str| s.rsplit(' ').next().unwrap_or("").to_string();
    let first = |s: &str| s.split(' ').next().unwrap_or("").to_string();
    last(&a) == last(&b) && (!a.contains(' ') || !b.contains(' ') || first(&a) == first(&b))
}

fn neighbours(g: &Graph, id: NodeId, rel: &str, dir: Direction) -> Vec<NodeId> {
    g.edges_of(id, dir)
        .filter(|(e, _)| g.edge(*e).is_some_and(|x| x.rel_type == rel))
        .map(|(_, n)| n)
        .collect()
}

/// 0 to 2: how alike two positions' stances read (only breaks ties).
fn stance_affinity(a: &Graph, x: NodeId, b: &Graph, y: NodeId) -> usize {
    let stance = |g: &Graph, id: NodeId| normalize(&text_prop(g, id, "stance").unwrap_or_default());
    let (sa, sb) = (stance(a, x), stance(b, y));
    if sa == sb {
        return 2;
    }
    let stems = |s: &str| {
        s.split(' ')
            .filter(|w| w.len() > 3)
            .map(|w| w.chars().take(5).collect::<String>())
            .collect::<BTreeSet<_>>()
    };
    usize::from(!stems(&sa).is_disjoint(&stems(&sb)))
}

/// Greedy one-to-one matching of scored pairs, best first.
fn assign(mut pairs: Vec<(usize, NodeId, NodeId)>, map: &mut HashMap<NodeId, NodeId>) {
    pairs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut used: BTreeSet<NodeId> = map.values().copied().collect();
    for (_, e, g) in pairs {
        if !map.contains_key(&e) && !used.contains(&g) {
            map.insert(e, g);
            used.insert(g);
        }
    }
}

/// Compares the extraction of document `doc_id` in `extracted` with `gold`.
pub fn evaluate_article(gold: &Graph, extracted: &Graph, doc_id: &str) -> ArticleEval {
    let is_entity = |g: &Graph, id: NodeId| {
        g.node(id)
            .is_some_and(|n| !n.has_label("Document") && !n.has_label("Position"))
    };
    let gold_ents: Vec<NodeId> = gold.node_ids().filter(|&i| is_entity(gold, i)).collect();
    let ext_ents: Vec<NodeId> = extracted
        .node_ids()
        .filter(|&i| is_entity(extracted, i))
        .collect();
    // extracted id -> gold id
    let mut map: HashMap<NodeId, NodeId> = HashMap::new();
    let mut pairs = Vec::new();
    for &e in &ext_ents {
        let (el, en) = (label(extracted, e), names(extracted, e));
        for &g in &gold_ents {
            if label(gold, g) != el {
                continue;
            }
            let gn = names(gold, g);
            let shared = en.intersection(&gn).count();
            let same_name = normalize(&name(extracted, e)) == normalize(&name(gold, g));
            let same_mention =
                DESCRIBED.contains(&el.as_str()) && cites_same_text(gold, g, extracted, e);
            let score = shared * 2 + usize::from(same_name) * 10 + usize::from(same_mention);
            if score > 0 || (el == "Person" && person_like(&name(extracted, e), &name(gold, g))) {
                pairs.push((score.max(1), e, g));
            }
        }
    }
    assign(pairs, &mut map);
    // Positions by actors and targets.
    let positions = |g: &Graph| g.nodes_with_label("Position").collect::<Vec<_>>();
    let (gold_pos, ext_pos) = (positions(gold), positions(extracted));
    let mut pairs = Vec::new();
    for &e in &ext_pos {
        let actors: Vec<NodeId> = neighbours(extracted, e, "TAKES", Direction::Incoming)
            .iter()
            .filter_map(|a| map.get(a).copied())
            .collect();
        let targets: Vec<NodeId> = neighbours(extracted, e, "ON", Direction::Outgoing)
            .iter()
            .filter_map(|t| map.get(t).copied())
            .collect();
        for &g in &gold_pos {
            let ga = neighbours(gold, g, "TAKES", Direction::Incoming);
            let gt = neighbours(gold, g, "ON", Direction::Outgoing);
            let a = actors.iter().filter(|x| ga.contains(x)).count();
            let t = targets.iter().filter(|x| gt.contains(x)).count();
            if a > 0 && t > 0 {
                pairs.push(((a + t) * 4 + stance_affinity(extracted, e, gold, g), e, g));
            }
        }
    }
    assign(pairs, &mut map);
    let mut out = ArticleEval {
        document: doc_id.to_string(),
        ..ArticleEval::default()
    };
    // Node counts per label.
    let matched_gold: BTreeSet<NodeId> = map.values().copied().collect();
    for (g, ids, is_gold) in [
        (
            gold,
            gold_ents
                .iter()
                .chain(&gold_pos)
                .copied()
                .collect::<Vec<_>>(),
            true,
        ),
        (
            extracted,
            ext_ents.iter().chain(&ext_pos).copied().collect(),
            false,
        ),
    ] {
        for id in ids {
            let l = label(g, id);
            let c = out.by_label.entry(l.clone()).or_default();
            let hit = if is_gold {
                matched_gold.contains(&id)
            } else {
                map.contains_key(&id)
            };
            match (is_gold, hit) {
                (true, true) => c.correct += 1,
                (true, false) => {
                    c.missed += 1;
                    out.missed.push(format!(":{l} {}", name(g, id)));
                }
                (false, true) => {}
                (false, false) => {
                    c.spurious += 1;
                    out.spurious.push(format!(":{l} {}", name(g, id)));
                }
            }
        }
    }
    for (l, c) in &out.by_label {
        if l == "Position" {
            out.positions.add(*c);
        } else {
            out.entities.add(*c);
        }
    }
    // Relations.
    let facts =
        |g: &Graph, to_gold: &dyn Fn(NodeId) -> End| -> BTreeMap<(String, End, End), String> {
            g.edge_ids()
                .filter_map(|id| {
                    let e = g.edge(id)?;
                    if e.rel_type == "MENTIONED_IN" {
                        return None;
                    }
                    let (a, b) = g.endpoints(id)?;
                    let text = format!("({})-[:{}]->({})", name(g, a), e.rel_type, name(g, b));
                    Some(((e.rel_type.clone(), to_gold(a), to_gold(b)), text))
                })
                .collect()
        };
    let gold_facts = facts(gold, &End::Gold);
    let ext_facts = facts(extracted, &|id| matched_end(&map, id));
    let by_type = &mut out.by_type;
    tally(
        &gold_facts,
        &ext_facts,
        &mut out.missed,
        &mut out.spurious,
        |k, bump| bump(by_type.entry(k.0.clone()).or_default()),
    );
    for c in out.by_type.values() {
        out.relations.add(*c);
    }
    out.roles = role_triples(gold, extracted, &map, &mut out.missed, &mut out.spurious);
    out.polarity = polarity_counts(gold, &gold_pos, extracted, &ext_pos, &map, &mut out.missed);
    out
}

fn text_prop(g: &Graph, id: NodeId, key: &str) -> Option<String> {
    g.node(id)?.props.get(key)?.as_str().map(str::to_string)
}

/// A title as the role triples compare it: normalised, with the British
/// spellings of office names read as the American ones.
fn title_key(title: &str) -> String {
    normalize(title)
        .split(' ')
        .map(|w| match w {
            "defence" => "defense",
            "labour" => "labor",
            w => w,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A fact's endpoint: a gold node, or an extracted node that matched none.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum End {
    Gold(NodeId),
    Extra(NodeId),
}

type Triple = (End, String, Option<End>);

/// One (person, title, country) triple per `HOLDS` of `g`, with endpoints
/// as `end` gives them; the value is the triple as text.
fn triples(g: &Graph, end: &dyn Fn(NodeId) -> End) -> BTreeMap<Triple, String> {
    let mut out = BTreeMap::new();
    for id in g.edge_ids() {
        let Some(e) = g.edge(id) else { continue };
        if e.rel_type != "HOLDS" {
            continue;
        }
        let Some((person, role)) = g.endpoints(id) else {
            continue;
        };
        let title = text_prop(g, role, "title")
            .or_else(|| text_prop(g, role, "name"))
            .unwrap_or_default();
        let of = neighbours(g, role, "ROLE_OF", Direction::Outgoing)
            .into_iter()
            .min();
        let country = of.map_or("-".to_string(), |c| name(g, c));
        out.insert(
            (end(person), title_key(&title), of.map(end)),
            format!("role ({}, {title}, {country})", name(g, person)),
        );
    }
    out
}

fn role_triples(
    gold: &Graph,
    extracted: &Graph,
    map: &HashMap<NodeId, NodeId>,
    missed: &mut Vec<String>,
    spurious: &mut Vec<String>,
) -> Counts {
    let gold_set = triples(gold, &End::Gold);
    let ext_set = triples(extracted, &|id| matched_end(map, id));
    let mut c = Counts::default();
    tally(&gold_set, &ext_set, missed, spurious, |_, bump| {
        bump(&mut c)
    });
    c
}

/// An extracted node as a fact's endpoint: the gold node it matched, or itself.
fn matched_end(map: &HashMap<NodeId, NodeId>, id: NodeId) -> End {
    map.get(&id).map_or(End::Extra(id), |&g| End::Gold(g))
}

/// Counts keyed facts: a key on both sides is correct, one only in `gold`
/// missed, one only in `extracted` spurious; `count` applies each outcome to
/// the counts of its key. The texts of missed and spurious facts are listed.
fn tally<K: Ord>(
    gold: &BTreeMap<K, String>,
    extracted: &BTreeMap<K, String>,
    missed: &mut Vec<String>,
    spurious: &mut Vec<String>,
    mut count: impl FnMut(&K, &dyn Fn(&mut Counts)),
) {
    for (k, text) in gold {
        if extracted.contains_key(k) {
            count(k, &|c| c.correct += 1);
        } else {
            count(k, &|c| c.missed += 1);
            missed.push(text.clone());
        }
    }
    for (k, text) in extracted {
        if !gold.contains_key(k) {
            count(k, &|c| c.spurious += 1);
            spurious.push(text.clone());
        }
    }
}

fn polarity_counts(
    gold: &Graph,
    gold_pos: &[NodeId],
    extracted: &Graph,
    ext_pos: &[NodeId],
    map: &HashMap<NodeId, NodeId>,
    wrong: &mut Vec<String>,
) -> Counts {
    let mut correct = 0;
    for &e in ext_pos {
        let Some(&g) = map.get(&e) else { continue };
        let (mine, theirs) = (
            text_prop(extracted, e, "polarity"),
            text_prop(gold, g, "polarity"),
        );
        if mine.is_some() && mine == theirs {
            correct += 1;
        } else {
            wrong.push(format!(
                "polarity {} for {}, gold {}",
                mine.as_deref().unwrap_or("none"),
                name(extracted, e),
                theirs.as_deref().unwrap_or("none"),
            ));
        }
    }
    Counts {
        correct,
        spurious: ext_pos.len() - correct,
        missed: gold_pos.len() - correct,
    }
}
