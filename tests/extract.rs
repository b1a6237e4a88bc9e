//! Fact extraction: measured quality against the gold articles in
//! `tests/gold/`, the analyst questions on the seed article answered from an
//! extracted graph as from the hand-written facts, provenance and trace,
//! merging across documents, conflicts, atomicity and the output formats.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use factgraph::extract::{
    document_id, evaluate, extract_document, normalize, to_facts_text, to_json, EvalReport,
    ExtractError, ExtractOptions, RULES,
};
use factgraph::facts;
use factgraph::model::{Date, Value};
use factgraph::query::{self, Val};
use factgraph::seed;
use factgraph::store::Graph;

const SEED_ID: &str = "ukraine_peace_plan_2025_11";

fn seed_extracted() -> Graph {
    let mut g = Graph::default();
    extract_document(
        &mut g,
        SEED_ID,
        "Trump says few points of disagreement remain",
        seed::ARTICLE,
        Some(Date::ym(2025, 11).unwrap()),
        &ExtractOptions::default(),
    )
    .expect("the seed article extracts");
    g
}

fn facts_graph() -> Graph {
    seed::graph().expect("the seed facts load")
}

/// Rows of a query, each value rendered as plain text.
fn rows(g: &mut Graph, q: &str) -> Vec<Vec<String>> {
    let r = query::run(g, q, &Default::default()).unwrap_or_else(|e| panic!("{q}\n{e}"));
    let mut out: Vec<Vec<String>> = r
        .rows
        .iter()
        .map(|row| row.iter().map(|v| v.render_plain(g)).collect())
        .collect();
    out.sort();
    out
}

fn eval_report() -> EvalReport {
    evaluate(Path::new("tests/gold")).unwrap_or_else(|e| panic!("evaluation failed: {e}"))
}

// ---- measured quality ----

fn gold_seed_graph() -> Graph {
    let text = std::fs::read_to_string("tests/gold/ukraine-peace-plan-2025-11.facts").unwrap();
    let mut g = Graph::default();
    facts::load(
        &mut g,
        &text,
        "tests/gold/ukraine-peace-plan-2025-11.facts",
        &|f| std::fs::read_to_string(Path::new("tests/gold").join(f)),
    )
    .expect("the gold copy of the seed loads");
    g
}

/// Every relationship of `g` as (start key, type, end key).
fn keyed_relationships(g: &Graph) -> BTreeSet<(String, String, String)> {
    let key = |id| {
        g.node(id)
            .and_then(|n| n.props.get("key"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    g.edge_ids()
        .filter_map(|e| {
            let (a, b) = g.endpoints(e)?;
            Some((key(a), g.edge(e)?.rel_type.clone(), key(b)))
        })
        .collect()
}

/// The gold copy of the seed follows the extraction rules, the curated seed
/// may add what a curator knows: the two share the article and every node
/// and relationship, except the `ROLE_OF` of titles the text gives no
/// country for (tests/gold/README.md, "Re-annotation").
#[test]
fn gold_seed_is_the_curated_seed_without_world_knowledge() {
    let gold_text = std::fs::read_to_string("tests/gold/ukraine-peace-plan-2025-11.txt").unwrap();
    assert_eq!(
        gold_text,
        seed::ARTICLE,
        "tests/gold must hold the seed's own article"
    );
    let (gold, curated) = (gold_seed_graph(), facts_graph());
    let keys = |g: &Graph| -> BTreeSet<String> {
        g.node_ids()
            .filter_map(|id| Some(g.node(id)?.props.get("key")?.as_str()?.to_string()))
            .collect()
    };
    assert_eq!(keys(&gold), keys(&curated));
    let (gold_rels, curated_rels) = (keyed_relationships(&gold), keyed_relationships(&curated));
    let only_curated: Vec<_> = curated_rels.difference(&gold_rels).collect();
    assert!(
        gold_rels.is_subset(&curated_rels),
        "{:?}",
        gold_rels.difference(&curated_rels)
    );
    assert_eq!(
        only_curated,
        [
            "us_president",
            "us_secretary_of_defense",
            "us_secretary_of_state",
            "us_vice_president"
        ]
        .iter()
        .map(|r| (r.to_string(), "ROLE_OF".to_string(), "us".to_string()))
        .collect::<Vec<_>>()
        .iter()
        .collect::<Vec<_>>()
    );
}

#[test]
fn seed_article_meets_its_targets() {
    let report = eval_report();
    let seed = report
        .article(SEED_ID)
        .expect("the seed article is evaluated");
    assert!(
        seed.entities.f1() >= 0.95,
        "seed entity F1 {:.3} < 0.95\n{report:#}",
        seed.entities.f1()
    );
    assert!(
        seed.relations.f1() >= 0.85,
        "seed relation F1 {:.3} < 0.85\n{report:#}",
        seed.relations.f1()
    );
}

#[test]
fn other_articles_meet_their_targets() {
    let report = eval_report();
    let others: Vec<_> = report
        .articles
        .iter()
        .filter(|a| a.document != SEED_ID)
        .collect();
    assert!(others.len() >= 4, "at least four articles besides the seed");
    for a in others {
        meets_targets(&report, a, 0.70);
    }
}

/// Entity F1 >= 0.85 and relation F1 >= `relations` for article `a`.
fn meets_targets(report: &EvalReport, a: &factgraph::extract::ArticleEval, relations: f64) {
    assert!(
        a.entities.f1() >= 0.85,
        "{}: entity F1 {:.3} < 0.85\n{report:#}",
        a.document,
        a.entities.f1()
    );
    assert!(
        a.relations.f1() >= relations,
        "{}: relation F1 {:.3} < {relations}\n{report:#}",
        a.document,
        a.relations.f1()
    );
}

/// Floors for the held-out articles (`tests/gold/heldout/`, scores in
/// `SCORES.md` there): `(document, entity F1, relation F1)`, a little below
/// what the extractor measures now, so that a regression fails. Every
/// held-out article must have a row.
const HELD_OUT_FLOORS: &[(&str, f64, f64)] = &[
    ("plastics_treaty_geneva", 0.92, 0.80),
    ("carmaker_strike", 0.92, 0.84),
    ("poland_belarus_expulsions", 0.98, 0.87),
    // 0.68: issue 18's re-annotation took four correct ROLE_OF facts out
    // of this article (titles the text gives no owner for).
    ("central_bank_ghana", 0.86, 0.68),
    ("drug_recall_vireon", 0.86, 0.70),
    ("handball_federation_election", 0.85, 0.70),
];

fn held_out_report() -> EvalReport {
    evaluate(Path::new("tests/gold/heldout")).unwrap_or_else(|e| panic!("evaluation failed: {e}"))
}

/// The held-out articles meet the targets of the other gold articles (entity
/// F1 >= 0.85, relation F1 >= 0.70). They were scored blind first; the
/// rules were then improved in general ways, never for an article's strings.
#[test]
fn held_out_articles_meet_the_targets() {
    let report = held_out_report();
    assert!(report.articles.len() >= 6, "six held-out articles");
    for a in &report.articles {
        // Where the re-annotation of issue 18 lowered an article's floor, that floor.
        let target = HELD_OUT_FLOORS
            .iter()
            .find(|(d, _, _)| *d == a.document)
            .map_or(0.70, |&(_, _, floor)| floor.min(0.70));
        meets_targets(&report, a, target);
    }
}

#[test]
fn held_out_articles_do_not_regress() {
    let report = held_out_report();
    for a in &report.articles {
        let Some(&(_, entity_floor, relation_floor)) =
            HELD_OUT_FLOORS.iter().find(|(d, _, _)| *d == a.document)
        else {
            panic!(
                "{}: held-out article without a floor in HELD_OUT_FLOORS",
                a.document
            );
        };
        assert!(
            a.entities.f1() >= entity_floor,
            "{}: entity F1 {:.3} < {entity_floor}\n{report:#}",
            a.document,
            a.entities.f1()
        );
        assert!(
            a.relations.f1() >= relation_floor,
            "{}: relation F1 {:.3} < {relation_floor}\n{report:#}",
            a.document,
            a.relations.f1()
        );
    }
}

/// Floors for the blind set (`tests/gold/blind/`, first-run and current
/// scores in `SCORES.md` there): `(document, entity F1, relation F1,
/// positions-with-polarity F1)`, a little below what the extractor measures
/// now. Every blind article must have a row.
const BLIND_FLOORS: &[(&str, f64, f64, f64)] = &[
    ("central_bank_ecb_hold", 0.86, 0.67, 0.60),
    ("court_icj_ruling", 0.82, 0.62, 0.51),
    ("election_germany_coalition", 0.75, 0.38, 0.29),
    ("nato_defence_spending", 0.88, 0.53, 0.37),
    ("opec_output_cut", 0.84, 0.59, 0.49),
    ("sanctions_eu_package", 0.84, 0.63, 0.50),
    ("strike_france_rail", 0.78, 0.43, 0.47),
    ("summit_g20_johannesburg", 0.86, 0.54, 0.34),
    ("un_security_council_vote", 0.78, 0.49, 0.35),
    ("who_pandemic_agreement", 0.81, 0.61, 0.23),
];

/// Floors of each gold set as a whole: `(folder, person precision, person
/// F1, role-triple F1, positions-with-polarity F1)`.
const SET_FLOORS: &[(&str, f64, f64, f64, f64)] = &[
    ("tests/gold", 1.00, 1.00, 1.00, 0.76),
    ("tests/gold/heldout", 0.97, 0.98, 0.97, 0.54),
    ("tests/gold/blind", 0.92, 0.94, 0.86, 0.42),
];

/// The blind set meets the person and role targets of issue 18 (person
/// precision >= 0.90 and F1 >= 0.93, role triples F1 >= 0.85), and no article
/// falls below its floor.
#[test]
fn blind_articles_meet_the_targets_and_do_not_regress() {
    let report = evaluate(Path::new("tests/gold/blind"))
        .unwrap_or_else(|e| panic!("evaluation failed: {e}"));
    assert!(report.articles.len() >= 10, "ten blind articles");
    let all = report.total();
    let persons = all.by_label.get("Person").copied().unwrap_or_default();
    assert!(
        persons.precision() >= 0.90,
        "person precision {persons}\n{report:#}"
    );
    assert!(persons.f1() >= 0.93, "person F1 {persons}\n{report:#}");
    assert!(
        all.roles.f1() >= 0.85,
        "role triples {}\n{report:#}",
        all.roles
    );
    for a in &report.articles {
        let Some(&(_, entities, relations, polarity)) =
            BLIND_FLOORS.iter().find(|(d, ..)| *d == a.document)
        else {
            panic!(
                "{}: blind article without a floor in BLIND_FLOORS",
                a.document
            );
        };
        for (what, got, floor) in [
            ("entity", a.entities.f1(), entities),
            ("relation", a.relations.f1(), relations),
            ("polarity", a.polarity.f1(), polarity),
        ] {
            assert!(
                got >= floor,
                "{}: {what} F1 {got:.3} < {floor}\n{report:#}",
                a.document
            );
        }
    }
}

#[test]
fn every_gold_set_stays_above_its_floors() {
    for &(dir, person_p, person_f1, roles_f1, polarity_f1) in SET_FLOORS {
        let report = evaluate(Path::new(dir)).unwrap_or_else(|e| panic!("{dir}: {e}"));
        let all = report.total();
        let persons = all.by_label.get("Person").copied().unwrap_or_default();
        for (what, got, floor) in [
            ("person precision", persons.precision(), person_p),
            ("person F1", persons.f1(), person_f1),
            ("role-triple F1", all.roles.f1(), roles_f1),
            ("positions-with-polarity F1", all.polarity.f1(), polarity_f1),
        ] {
            assert!(got >= floor, "{dir}: {what} {got:.3} < {floor}\n{report:#}");
        }
    }
}

/// `cargo test --test extract -- --nocapture eval_table` prints the tables.
#[test]
fn eval_table() {
    let report = eval_report();
    println!("{report}");
    println!(
        "held out:\n{}",
        evaluate(Path::new("tests/gold/heldout")).unwrap()
    );
    let text = report.to_string();
    assert!(
        text.contains("ENTITIES") && text.contains("[:HOLDS]") && text.contains("all articles")
    );
}

#[test]
fn evaluation_reports_a_folder_without_gold() {
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(evaluate(dir.path()), Err(ExtractError::Gold(_))));
    assert!(matches!(
        evaluate(&dir.path().join("missing")),
        Err(ExtractError::Io { .. })
    ));
}

// ---- the analyst questions, answered from the extracted seed ----

/// Names and aliases of the node bound to `var`, as a query fragment.
const NAMES: &str = "coalesce(x.aliases, []) + [x.name]";

/// Whether every answer in `a` has one in `b` sharing a normalised name, and back.
fn same_actors(a: &[Vec<String>], b: &[Vec<String>]) -> Result<(), String> {
    let sets = |rows: &[Vec<String>]| -> Vec<BTreeSet<String>> {
        rows.iter()
            .map(|r| {
                r[0].trim_matches(['[', ']'])
                    .split(", ")
                    .map(normalize)
                    .collect()
            })
            .collect()
    };
    let (sa, sb) = (sets(a), sets(b));
    for x in &sa {
        if !sb.iter().any(|y| !x.is_disjoint(y)) {
            return Err(format!(
                "{x:?} is in the facts' answer but not the extraction's"
            ));
        }
    }
    for y in &sb {
        if !sa.iter().any(|x| !x.is_disjoint(y)) {
            return Err(format!(
                "{y:?} is in the extraction's answer but not the facts'"
            ));
        }
    }
    Ok(())
}

#[test]
fn who_holds_which_role_for_which_country() {
    let q =
        "MATCH (p:Person)-[:HOLDS]->(r:Role)-[:ROLE_OF]->(c:Country) RETURN p.name, r.name, c.name";
    let norm = |rows: Vec<Vec<String>>| -> BTreeSet<Vec<String>> {
        rows.into_iter()
            .map(|r| r.iter().map(|v| normalize(v)).collect())
            .collect()
    };
    let gold = norm(rows(&mut gold_seed_graph(), q));
    let extracted = norm(rows(&mut seed_extracted(), q));
    assert_eq!(extracted, gold);
    assert_eq!(gold.len(), 4);
    // "President Donald Trump": the text never says whose president, so the
    // role has no country rather than the one the article names most.
    let bare =
        "MATCH (p:Person)-[:HOLDS]->(r:Role) WHERE NOT (r)-[:ROLE_OF]->() RETURN p.name, r.name";
    let bare_gold = norm(rows(&mut gold_seed_graph(), bare));
    assert_eq!(norm(rows(&mut seed_extracted(), bare)), bare_gold);
    assert!(bare_gold.contains(&vec!["donald trump".to_string(), "president".to_string()]));
}

#[test]
fn every_actors_position_on_the_28_point_plan() {
    let q = format!(
        "MATCH (x)-[:TAKES]->(:Position)-[:ON]->(:Proposal {{points: 28}}) RETURN DISTINCT {NAMES} AS names"
    );
    let facts = rows(&mut facts_graph(), &q);
    let extracted = rows(&mut seed_extracted(), &q);
    same_actors(&facts, &extracted).unwrap();
    assert!(facts.len() >= 8);
}

#[test]
fn who_will_meet_whom_and_where() {
    let q = "MATCH (a)-[m:WILL_MEET]->(b) RETURN a.name, b.name, coalesce(m.location, '')";
    let facts = rows(&mut facts_graph(), q);
    let extracted = rows(&mut seed_extracted(), q);
    let norm = |rows: Vec<Vec<String>>| -> Vec<Vec<String>> {
        rows.into_iter()
            .map(|r| r.iter().map(|v| normalize(v)).collect())
            .collect()
    };
    assert_eq!(norm(extracted), norm(facts));
}

#[test]
fn shortest_chain_between_witkoff_and_zelenskyy() {
    let q = "MATCH p = shortestPath((a:Person {name: 'Steve Witkoff'})-[*]-(b:Person {name: 'Volodymyr Zelenskyy'})) \
             WHERE none(n IN nodes(p) WHERE n:Document) RETURN [n IN nodes(p) | n.name] AS chain";
    let facts = rows(&mut facts_graph(), q);
    let extracted = rows(&mut seed_extracted(), q);
    assert_eq!(extracted, facts);
    assert_eq!(
        extracted,
        vec![vec![
            "['Steve Witkoff', 'Donald Trump', 'Volodymyr Zelenskyy']".to_string()
        ]]
    );
}

#[test]
fn contested_issues_and_who_is_on_each_side() {
    let q = "MATCH (i:Issue {status: 'contested'}) OPTIONAL MATCH (a)-[:TAKES]->(:Position)-[:ON]->(i) \
             WITH i, a ORDER BY a.name RETURN i.name, collect(DISTINCT a.name)";
    let norm = |rows: Vec<Vec<String>>| -> BTreeMap<String, String> {
        rows.into_iter()
            .map(|r| (normalize(&r[0]), r[1].clone()))
            .collect()
    };
    let facts = norm(rows(&mut facts_graph(), q));
    let extracted = norm(rows(&mut seed_extracted(), q));
    assert_eq!(extracted, facts);
    assert_eq!(
        extracted.get("territorial integrity").map(String::as_str),
        Some("['Russia', 'Ukraine']")
    );
}

#[test]
fn every_fact_comes_with_its_sentence() {
    let mut g = seed_extracted();
    let q = "MATCH (a)-[r]->(b) WHERE type(r) <> 'MENTIONED_IN' \
             RETURN a.name, type(r), b.name, size(provenance(r)) AS n, provenance(r)[0].text AS sentence, provenance(r)[0].quote AS quote";
    let r = query::run(&mut g, q, &Default::default()).unwrap();
    assert!(r.rows.len() > 90);
    for row in &r.rows {
        let (Val::Int(n), Val::Str(sentence), Val::Str(quote)) = (&row[3], &row[4], &row[5]) else {
            panic!("no provenance: {row:?}");
        };
        assert!(
            *n >= 1 && !quote.is_empty() && sentence.contains(quote.as_str()),
            "{row:?}"
        );
    }
}

// ---- provenance and trace ----

#[test]
fn every_source_is_a_span_of_its_sentence_and_names_a_rule_that_fired() {
    let mut g = Graph::default();
    let report = extract_document(
        &mut g,
        SEED_ID,
        "t",
        seed::ARTICLE,
        None,
        &ExtractOptions::default(),
    )
    .unwrap();
    let doc = g.document(SEED_ID).unwrap().clone();
    let rules: BTreeSet<&str> = report.trace.iter().map(|f| f.rule.as_str()).collect();
    let check = |sources: &[factgraph::model::Provenance], what: &str| {
        assert!(!sources.is_empty(), "{what} has no source");
        for p in sources {
            let (lo, hi) = doc.sentences[p.sentence as usize - 1];
            assert!(
                lo <= p.start && p.end <= hi && p.start < p.end,
                "{what}: {p} is not inside sentence {}",
                p.sentence
            );
            assert!(
                RULES.iter().any(|(r, _)| *r == &*p.method),
                "{what}: method {} is not in extract::RULES",
                p.method
            );
        }
    };
    for n in &report.nodes {
        check(&n.sources, &format!("node {}", n.key));
    }
    for e in &report.edges {
        check(
            &e.sources,
            &format!("({})-[:{}]->({})", e.from, e.rel_type, e.to),
        );
        for p in &e.sources {
            assert!(
                rules.contains(&*p.method),
                "{} is not in the trace",
                p.method
            );
        }
    }
    let chars: Vec<char> = seed::ARTICLE.chars().collect();
    for f in &report.trace {
        let text: String = chars[f.start as usize..f.end as usize].iter().collect();
        assert_eq!(text, f.text);
        assert!(!f.produced.is_empty());
    }
    let shown = format!("{report:#}");
    assert!(
        shown.contains("role.title_name") && shown.contains("\"Russian President Vladimir Putin\""),
        "{shown}"
    );
}

#[test]
fn the_pronoun_he_resolves_to_the_salient_person() {
    let mut g = seed_extracted();
    // "He said his special envoy, Steve Witkoff, ..." (sentence 3): his = Trump's.
    let r = rows(&mut g, "MATCH (:Person {name: 'Steve Witkoff'})-[s:SERVES]->(p) RETURN p.name, provenance(s)[0].sentence");
    assert_eq!(r, vec![vec!["Donald Trump".to_string(), "3".to_string()]]);
}

// ---- merging, conflicts, atomicity ----

const SECOND: &str = "Ukrainian President Volodymyr Zelensky met Trump in Washington on Friday. \
Zelensky said Ukraine supports the 28-Point Peace Plan. Hungary rejected the plan.";
const THIRD: &str = "Hungary supports the 28-Point Peace Plan, its foreign minister said.";

#[test]
fn the_same_entities_merge_across_documents_with_every_mention() {
    let mut g = seed_extracted();
    let before = g
        .find_nodes("Person", "name", &Value::from("Donald Trump"))
        .len();
    assert_eq!(before, 1);
    let report = extract_document(
        &mut g,
        "second",
        "second",
        SECOND,
        Some(Date::ymd(2025, 11, 28).unwrap()),
        &ExtractOptions::default(),
    )
    .unwrap();
    assert!(report.nodes_merged > 0);
    for name in ["Donald Trump", "Volodymyr Zelenskyy"] {
        let found = g.find_nodes("Person", "name", &Value::from(name));
        assert_eq!(found.len(), 1, "{name}");
        let docs: BTreeSet<&str> = g
            .node(found[0])
            .unwrap()
            .sources
            .iter()
            .map(|p| &*p.document)
            .collect();
        assert_eq!(docs, BTreeSet::from([SEED_ID, "second"]), "{name}");
    }
    assert_eq!(
        g.find_nodes("Proposal", "name", &Value::from("28-Point Peace Plan"))
            .len(),
        1
    );
    assert_eq!(
        g.label_count("Person"),
        rows(&mut seed_extracted(), "MATCH (p:Person) RETURN p.name").len()
    );
    let met = rows(&mut g, "MATCH (a:Person)-[m:MEETS]->(b:Person) RETURN a.name, b.name, m.location, toString(m.date)");
    assert_eq!(
        met,
        vec![[
            "Volodymyr Zelenskyy",
            "Donald Trump",
            "Washington",
            "2025-11-28"
        ]
        .map(String::from)
        .to_vec()]
    );
    // The spelling of this document is an alias now.
    let aliases = rows(
        &mut g,
        "MATCH (p:Person {name: 'Volodymyr Zelenskyy'}) RETURN p.aliases",
    );
    assert!(aliases[0][0].contains("'Zelensky'"), "{aliases:?}");
}

#[test]
fn conflicting_positions_are_kept_with_their_sources() {
    let mut g = Graph::default();
    extract_document(
        &mut g,
        "second",
        "second",
        SECOND,
        None,
        &ExtractOptions::default(),
    )
    .unwrap();
    extract_document(
        &mut g,
        "third",
        "third",
        THIRD,
        None,
        &ExtractOptions::default(),
    )
    .unwrap();
    let q = "MATCH (:Country {name: 'Hungary'})-[:TAKES]->(p:Position)-[:ON]->(:Proposal) \
             RETURN p.stance, [s IN provenance(p) | s.document]";
    let r = rows(&mut g, q);
    assert_eq!(
        r,
        vec![
            vec!["rejects".to_string(), "['second']".to_string()],
            vec!["supports".to_string(), "['third']".to_string()]
        ]
    );
}

#[test]
fn extracting_twice_changes_nothing() {
    let mut g = seed_extracted();
    let before = g.clone();
    let report = extract_document(
        &mut g,
        SEED_ID,
        "Trump says few points of disagreement remain",
        seed::ARTICLE,
        Some(Date::ym(2025, 11).unwrap()),
        &ExtractOptions::default(),
    )
    .unwrap();
    assert_eq!(
        (report.nodes_created, report.edges_created),
        (0, 0),
        "{report}"
    );
    assert!(g.same_as(&before));
}

#[test]
fn extracting_into_the_curated_seed_merges_with_its_facts() {
    let mut g = facts_graph();
    let people = g.label_count("Person");
    extract_document(
        &mut g,
        SEED_ID,
        "t",
        seed::ARTICLE,
        None,
        &ExtractOptions::default(),
    )
    .unwrap();
    assert_eq!(g.label_count("Person"), people, "no person is duplicated");
    let trump = g.node_by_key("trump").unwrap();
    let methods: BTreeSet<&str> = g
        .node(trump)
        .unwrap()
        .sources
        .iter()
        .map(|p| &*p.method)
        .collect();
    assert!(
        methods.contains("facts") && methods.contains("mention.person"),
        "{methods:?}"
    );
}

#[test]
fn a_failed_extraction_changes_nothing() {
    let mut g = seed_extracted();
    let before = g.clone();
    let err = extract_document(
        &mut g,
        SEED_ID,
        "t",
        "A different text.",
        None,
        &ExtractOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(err, ExtractError::DocumentChanged(_)), "{err}");
    assert!(matches!(
        extract_document(
            &mut g,
            "a line\nbreak",
            "t",
            "Text.",
            None,
            &ExtractOptions::default()
        ),
        Err(ExtractError::BadDocumentId(_))
    ));
    assert!(matches!(
        extract_document(&mut g, " ", "t", "Text.", None, &ExtractOptions::default()),
        Err(ExtractError::BadDocumentId(_))
    ));
    assert!(matches!(
        extract_document(
            &mut g,
            "empty",
            "t",
            "  \n",
            None,
            &ExtractOptions::default()
        ),
        Err(ExtractError::EmptyText(_))
    ));
    assert!(g.same_as(&before));
}

#[test]
fn a_dry_run_reports_without_storing() {
    let mut g = Graph::default();
    let options = ExtractOptions {
        dry_run: true,
        ..ExtractOptions::default()
    };
    let report = extract_document(&mut g, SEED_ID, "t", seed::ARTICLE, None, &options).unwrap();
    assert!(report.nodes.len() > 50 && report.edges.len() > 90);
    assert_eq!(g.node_count(), 0);
    assert!(report.to_string().contains("dry run"));
}

// ---- output formats ----

#[test]
fn facts_output_loads_back_into_the_same_graph() {
    let mut g = Graph::default();
    let report = extract_document(
        &mut g,
        SEED_ID,
        "Trump \"few points\"",
        seed::ARTICLE,
        Some(Date::ym(2025, 11).unwrap()),
        &ExtractOptions::default(),
    )
    .unwrap();
    let text = to_facts_text(&report, seed::ARTICLE, "article.txt");
    let mut loaded = Graph::default();
    facts::load(&mut loaded, &text, "extracted.facts", &|_| {
        Ok(seed::ARTICLE.to_string())
    })
    .unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(loaded.label_counts(), g.label_counts());
    assert_eq!(loaded.type_counts(), g.type_counts());
    let q = "MATCH (a)-[r]->(b) WHERE type(r) <> 'MENTIONED_IN' RETURN a.key, type(r), b.key, size(provenance(r))";
    assert_eq!(rows(&mut loaded, q), rows(&mut g, q));
}

#[test]
fn json_output_holds_nodes_relationships_sources_and_trace() {
    let mut g = Graph::default();
    let report = extract_document(
        &mut g,
        SEED_ID,
        "t",
        seed::ARTICLE,
        None,
        &ExtractOptions::default(),
    )
    .unwrap();
    let json = to_json(&report, seed::ARTICLE);
    let text = serde_json::to_string(&json).unwrap();
    let back: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(back["document"], SEED_ID);
    assert_eq!(back["nodes"].as_array().unwrap().len(), report.nodes.len());
    let putin_role = back["relationships"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["from"] == "vladimir_putin" && r["type"] == "HOLDS")
        .expect("Putin holds a role");
    assert_eq!(putin_role["to"], "president_of_russia");
    assert_eq!(
        putin_role["sources"][0]["text"],
        "Russian President Vladimir Putin"
    );
    assert_eq!(putin_role["sources"][0]["method"], "role.title_name");
    assert!(back["trace"].as_array().unwrap().len() == report.trace.len());
}

// ---- a few rules on their own ----

fn extract(text: &str, date: Option<Date>) -> Graph {
    let mut g = Graph::default();
    extract_document(&mut g, "doc", "t", text, date, &ExtractOptions::default()).unwrap();
    g
}

#[test]
fn day_names_resolve_against_the_document_date() {
    // 2025-12-15 is a Monday.
    let mut g = extract(
        "Tomás Herrera won Chile’s presidential runoff on Sunday. Outgoing President Rafael Soto will meet with Herrera on Tuesday.",
        Some(Date::ymd(2025, 12, 15).unwrap()),
    );
    assert_eq!(
        rows(&mut g, "MATCH (e:Event) RETURN toString(e.date)"),
        vec![vec!["2025-12-14".to_string()]]
    );
    assert_eq!(
        rows(&mut g, "MATCH ()-[m:WILL_MEET]->() RETURN toString(m.date)"),
        vec![vec!["2025-12-16".to_string()]]
    );
    // Without a document date, "Sunday" is left undated.
    let mut g = extract(
        "Tomás Herrera won Chile’s presidential runoff on Sunday.",
        None,
    );
    assert_eq!(
        rows(&mut g, "MATCH (e:Event) RETURN e.date IS NULL"),
        vec![vec!["true".to_string()]]
    );
}

/// The same text into an empty store gives the same nodes and relationships
/// with the same ids, run after run (the JSON-lines output relies on it).
#[test]
fn extraction_is_deterministic_down_to_relationship_ids() {
    let listing = |g: &Graph| -> Vec<String> {
        g.edge_ids()
            .map(|e| {
                let edge = g.edge(e).expect("a listed edge exists");
                let (a, b) = g.endpoints(e).expect("a listed edge has endpoints");
                format!("{e:?} {a:?}-[{}]->{b:?}", edge.rel_type)
            })
            .collect()
    };
    let first = listing(&seed_extracted());
    for _ in 0..3 {
        assert_eq!(listing(&seed_extracted()), first);
    }
}

#[test]
fn months_and_relative_days_resolve_in_the_clause_direction() {
    // 2025-05-18: "in January" ahead is January 2026, "yesterday" is 2025-05-17.
    let mut g = extract(
        "The federation will hold the Pan-American Championship in Santiago in January. Sergio Valdés won the election yesterday.",
        Some(Date::ymd(2025, 5, 18).unwrap()),
    );
    assert_eq!(
        rows(
            &mut g,
            "MATCH (e:Event) RETURN e.name, toString(e.date) ORDER BY e.name"
        ),
        vec![
            vec!["Election".to_string(), "2025-05-17".to_string()],
            vec![
                "Pan-American Championship".to_string(),
                "2026-01".to_string()
            ],
        ]
    );
}

#[test]
fn titles_countries_and_organizations_from_the_lexicon() {
    let mut g = extract(
        "EU Competition Commissioner Elena Rossi met Dutch Economy Minister Mark de Vries and Norland chief executive Helen Marsh of Norland Steel.",
        None,
    );
    let r = rows(
        &mut g,
        "MATCH (p:Person)-[:HOLDS]->(r:Role)-[:ROLE_OF]->(o) RETURN p.name, r.name, o.name",
    );
    assert_eq!(
        r,
        vec![
            vec![
                "Elena Rossi".to_string(),
                "Competition Commissioner of the European Union".to_string(),
                "European Union".to_string()
            ],
            vec![
                "Mark de Vries".to_string(),
                "Economy Minister of the Netherlands".to_string(),
                "Netherlands".to_string()
            ],
        ]
    );
}

// ---- robustness ----

/// Deterministic word salads from the gold articles, and every cut of them,
/// never make extraction panic or break the schema.
#[test]
fn arbitrary_text_never_breaks_extraction() {
    let mut words: Vec<String> = Vec::new();
    let mut texts: Vec<String> = Vec::new();
    for dir in ["tests/gold", "tests/gold/heldout"] {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "txt") {
                let t = std::fs::read_to_string(p).unwrap();
                words.extend(t.split_whitespace().map(String::from));
                texts.push(t);
            }
        }
    }
    let mut state: u64 = 2025;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    let mut inputs: Vec<String> = (0..400)
        .map(|_| {
            let len = 3 + next() % 40;
            (0..len)
                .map(|_| words[next() % words.len()].as_str())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    for t in &texts {
        let chars: Vec<char> = t.chars().collect();
        for k in (0..chars.len()).step_by(97) {
            inputs.push(chars[k..(k + 150).min(chars.len())].iter().collect());
        }
    }
    inputs.extend(
        [
            "“I,” I said.",
            "He said he said.",
            ", said",
            "X, whose",
            "’s",
            "— — —",
            "28-Point",
            "version of",
        ]
        .map(String::from),
    );
    for text in inputs.iter().filter(|t| !t.trim().is_empty()) {
        let mut g = Graph::default();
        extract_document(
            &mut g,
            "d",
            "t",
            text,
            Some(Date::ymd(2025, 3, 14).unwrap()),
            &ExtractOptions::default(),
        )
        .unwrap_or_else(|e| panic!("{e}\n{text:?}"));
    }
}

#[test]
fn a_document_id_that_names_another_node_is_refused() {
    let mut g = Graph::default();
    query::run(
        &mut g,
        "CREATE (:Country {name: 'Narnia', key: 'narnia'})",
        &Default::default(),
    )
    .unwrap();
    let before = g.clone();
    let err = extract_document(
        &mut g,
        "narnia",
        "t",
        "Russia invaded Ukraine.",
        None,
        &ExtractOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(err, ExtractError::KeyTaken(_)), "{err}");
    assert!(g.same_as(&before));
}

#[test]
fn conflicting_relationship_properties_are_kept_side_by_side() {
    let mut g = Graph::default();
    let a =
        "Foreign Minister Ana Pereira will meet with Russian President Vladimir Putin in Geneva.";
    let b =
        "Foreign Minister Ana Pereira will meet with Russian President Vladimir Putin in Vienna.";
    extract_document(&mut g, "a", "a", a, None, &ExtractOptions::default()).unwrap();
    let report = extract_document(&mut g, "b", "b", b, None, &ExtractOptions::default()).unwrap();
    let q =
        "MATCH (:Person {name: 'Ana Pereira'})-[m:WILL_MEET]->(:Person {name: 'Vladimir Putin'}) \
             RETURN m.location, [s IN provenance(m) | s.document]";
    assert_eq!(
        rows(&mut g, q),
        vec![
            vec!["Geneva".to_string(), "['a']".to_string()],
            vec!["Vienna".to_string(), "['b']".to_string()]
        ]
    );
    assert!(
        report
            .conflicts
            .iter()
            .any(|c| c.contains("WILL_MEET") && c.contains("both kept")),
        "{report}"
    );
}

#[test]
fn document_ids_from_file_names() {
    assert_eq!(
        document_id("articles/Ukraine peace plan (Nov).txt"),
        "ukraine_peace_plan_nov"
    );
    assert_eq!(
        document_id("2025-11-25-ukraine.txt"),
        "doc_2025_11_25_ukraine"
    );
    assert_eq!(
        document_id("ukraine-peace-plan-2025-11.txt"),
        "ukraine_peace_plan_2025_11"
    );
}

/// Document ids are any non-empty string (URLs, dashes, slashes, Unicode):
/// the store, provenance and the facts output keep them exactly, and the
/// facts output loads back under the same id.
#[test]
fn document_ids_are_urls_file_names_or_any_text() {
    for id in [
        "https://example.com/news/a-b?id=7&lang=\"en\"",
        "2025-11-25-ap",
        "archive/2025/ünïcode—article.txt",
    ] {
        let mut g = Graph::default();
        let report = extract_document(
            &mut g,
            id,
            "t",
            "Ukrainian President Volodymyr Zelenskyy met Marco Rubio in Geneva on Sunday.",
            Some(Date::ymd(2025, 11, 23).unwrap()),
            &ExtractOptions::default(),
        )
        .unwrap_or_else(|e| panic!("{id}: {e}"));
        assert!(g.document(id).is_some(), "{id}");
        let zelenskyy = g.find_nodes("Person", "name", &Value::from("Volodymyr Zelenskyy"));
        let node = g.node(zelenskyy[0]).unwrap();
        assert!(node.sources.iter().all(|p| &*p.document == id), "{id}");
        let text = to_facts_text(
            &report,
            "Ukrainian President Volodymyr Zelenskyy met Marco Rubio in Geneva on Sunday.",
            "a.txt",
        );
        let mut back = Graph::default();
        facts::load(&mut back, &text, "out.facts", &|_| {
            Ok(
                "Ukrainian President Volodymyr Zelenskyy met Marco Rubio in Geneva on Sunday."
                    .to_string(),
            )
        })
        .unwrap_or_else(|e| panic!("{id}: {e}\n{text}"));
        assert!(back.document(id).is_some(), "{id}: {text}");
    }
}
