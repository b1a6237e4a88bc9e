//! The bundled seed graph: what it holds, exactly, and where each fact comes
//! from. Counts are pinned so that any change to the seed facts, the schema or
//! the loader that adds, drops or merges an element shows up here.

use std::collections::BTreeMap;

use factgraph::facts;
use factgraph::model::{Date, Provenance, Value, KEY_PROPERTY};
use factgraph::seed;
use factgraph::store::{DocumentRecord, EdgeId, Graph, NodeId};
use petgraph::Direction;

const DOC: &str = "ukraine_peace_plan_2025_11";

// ---- helpers ----

fn seed_graph() -> Graph {
    seed::graph().unwrap_or_else(|e| panic!("seed graph does not load:\n{e}"))
}

fn doc(g: &Graph) -> &DocumentRecord {
    g.document(DOC).expect("the seed document is in the store")
}

/// The one node with `label` whose `name` is `name`.
fn node(g: &Graph, label: &str, name: &str) -> NodeId {
    let found = g.find_nodes(label, "name", &Value::from(name));
    match found.as_slice() {
        [one] => *one,
        [] => panic!("no :{label} named {name:?}"),
        many => panic!("{} :{label} nodes named {name:?}", many.len()),
    }
}

/// The relationship `from -[rel_type]-> to`, which must exist.
fn edge(g: &Graph, from: NodeId, rel_type: &str, to: NodeId) -> EdgeId {
    g.find_edge(from, to, rel_type).unwrap_or_else(|| {
        panic!(
            "no ({})-[:{rel_type}]->({})",
            name_of(g, from),
            name_of(g, to)
        )
    })
}

/// The nodes `from -[rel_type]-> ?`.
fn targets(g: &Graph, from: NodeId, rel_type: &str) -> Vec<NodeId> {
    g.edges_of(from, Direction::Outgoing)
        .filter(|(e, _)| g.edge(*e).is_some_and(|e| e.rel_type == rel_type))
        .map(|(_, n)| n)
        .collect()
}

/// The one node `from -[rel_type]-> ?`.
fn target(g: &Graph, from: NodeId, rel_type: &str) -> NodeId {
    match targets(g, from, rel_type).as_slice() {
        [one] => *one,
        other => panic!(
            "({})-[:{rel_type}]->() has {} targets, expected one",
            name_of(g, from),
            other.len()
        ),
    }
}

fn name_of(g: &Graph, id: NodeId) -> String {
    g.node(id).map(|n| n.display_name()).unwrap_or_default()
}

fn node_prop(g: &Graph, id: NodeId, key: &str) -> Option<Value> {
    g.node(id).and_then(|n| n.props.get(key).cloned())
}

fn edge_prop(g: &Graph, id: EdgeId, key: &str) -> Option<Value> {
    g.edge(id).and_then(|e| e.props.get(key).cloned())
}

fn text(s: &str) -> Option<Value> {
    Some(Value::from(s))
}

/// Asserts that `sources` hold the quote `quote` from sentence `sentence`.
fn assert_quoted(g: &Graph, sources: &[Provenance], sentence: u32, quote: &str) {
    let d = doc(g);
    let found = sources
        .iter()
        .any(|p| p.sentence == sentence && d.span_text(p.start, p.end) == quote);
    let have: Vec<String> = sources
        .iter()
        .map(|p| format!("@{} {:?}", p.sentence, d.span_text(p.start, p.end)))
        .collect();
    assert!(
        found,
        "expected @{sentence} {quote:?} among the sources: {have:#?}"
    );
}

fn assert_node_quoted(g: &Graph, id: NodeId, sentence: u32, quote: &str) {
    assert_quoted(g, &g.node(id).expect("node").sources, sentence, quote);
}

fn assert_edge_quoted(g: &Graph, id: EdgeId, sentence: u32, quote: &str) {
    assert_quoted(g, &g.edge(id).expect("edge").sources, sentence, quote);
}

/// The one Position that `actor` TAKES with `stance`.
fn position(g: &Graph, actor: NodeId, stance: &str) -> NodeId {
    let found: Vec<NodeId> = targets(g, actor, "TAKES")
        .into_iter()
        .filter(|p| node_prop(g, *p, "stance") == text(stance))
        .collect();
    match found.as_slice() {
        [one] => *one,
        other => panic!(
            "({}) takes {} positions with stance {stance:?}, expected one",
            name_of(g, actor),
            other.len()
        ),
    }
}

fn read_seed_document(name: &str) -> std::io::Result<String> {
    if name == seed::ARTICLE_FILE {
        Ok(seed::ARTICLE.to_string())
    } else {
        Err(std::io::Error::new(std::io::ErrorKind::NotFound, name))
    }
}

// ---- shape ----

#[test]
fn node_counts_per_label_are_exact() {
    let g = seed_graph();
    let expected: BTreeMap<String, usize> = [
        ("City", 1),
        ("Country", 3),
        ("Document", 1),
        ("Event", 6),
        ("Group", 10),
        ("Issue", 6),
        ("Organization", 4),
        ("Person", 9),
        ("Position", 14),
        ("Proposal", 2),
        ("Role", 9),
    ]
    .into_iter()
    .map(|(l, n)| (l.to_string(), n))
    .collect();
    assert_eq!(g.label_counts(), expected);
    assert_eq!(g.node_count(), 65);
    for id in g.node_ids() {
        assert_eq!(g.node(id).unwrap().labels.len(), 1, "one label per node");
    }
}

#[test]
fn edge_counts_per_type_are_exact() {
    let g = seed_graph();
    let expected: BTreeMap<String, usize> = [
        ("ADDRESSES", 3),
        ("AIMS_TO_END", 1),
        ("BRIEFED_ON", 5),
        ("CAPITAL_OF", 1),
        ("CAUSED", 3),
        ("CONTRIBUTED_TO", 2),
        ("DEFERRED_TO", 2),
        ("DRAFTED", 1),
        ("HOLDS", 9),
        ("INVADED", 1),
        ("MEETS", 2),
        ("MEMBER_OF", 3),
        ("MENTIONED_IN", 64),
        ("ON", 17),
        ("OWNS", 1),
        ("PARTICIPATES_IN", 10),
        ("REPORTED_BY", 4),
        ("REPRESENTS", 5),
        ("ROLE_OF", 8),
        ("SERVES", 1),
        ("TAKES", 17),
        ("TAKES_PLACE_IN", 3),
        ("TRAVELS_TO", 1),
        ("VERSION_OF", 1),
        ("WILL_MEET", 4),
    ]
    .into_iter()
    .map(|(t, n)| (t.to_string(), n))
    .collect();
    assert_eq!(g.type_counts(), expected);
    assert_eq!(g.edge_count(), 169);
}

#[test]
fn the_document_is_the_article_split_into_its_sentences() {
    let g = seed_graph();
    let d = doc(&g);
    assert_eq!(d.text, seed::ARTICLE);
    assert_eq!(d.sentences.len(), 17);
    assert_eq!(d.date, Date::ym(2025, 11));
    assert_eq!(
        d.sentence_text(3).as_deref(),
        Some("He said his special envoy, Steve Witkoff, would travel to Moscow to meet directly with Putin, while U.S. Army Secretary Dan Driscoll would meet with Ukrainian representatives.")
    );
    let doc_node = g.node_by_key(DOC).expect("document node");
    assert_eq!(g.node(doc_node).unwrap().labels, vec!["Document"]);
    assert_eq!(node_prop(&g, doc_node, "sentences"), Some(Value::Int(17)));
    assert_eq!(
        node_prop(&g, doc_node, "date"),
        Date::ym(2025, 11).map(Value::Date)
    );
}

// ---- provenance everywhere ----

#[test]
fn every_node_but_the_document_has_a_source() {
    let g = seed_graph();
    for id in g.node_ids() {
        let n = g.node(id).unwrap();
        if n.has_label("Document") {
            assert!(n.sources.is_empty());
        } else {
            assert!(
                !n.sources.is_empty(),
                "({}) has no source",
                n.display_name()
            );
        }
    }
}

#[test]
fn every_relationship_has_a_source() {
    let g = seed_graph();
    for id in g.edge_ids() {
        let e = g.edge(id).unwrap();
        let (a, b) = g.endpoints(id).unwrap();
        assert!(
            !e.sources.is_empty(),
            "({})-[:{}]->({}) has no source",
            name_of(&g, a),
            e.rel_type,
            name_of(&g, b)
        );
    }
}

#[test]
fn every_source_lies_inside_the_sentence_it_names() {
    let g = seed_graph();
    let d = doc(&g);
    let all = g
        .node_ids()
        .flat_map(|id| g.node(id).unwrap().sources.clone())
        .chain(
            g.edge_ids()
                .flat_map(|id| g.edge(id).unwrap().sources.clone()),
        );
    let mut count = 0;
    for p in all {
        count += 1;
        assert_eq!(&*p.document, DOC);
        assert_eq!(&*p.method, facts::METHOD);
        let (start, end) = d.sentences[p.sentence as usize - 1];
        assert!(
            start <= p.start && p.start < p.end && p.end <= end,
            "{p} is not inside sentence {}",
            p.sentence
        );
        let quote = d.span_text(p.start, p.end);
        assert_eq!(quote.trim(), quote, "{p}: quote has stray white space");
    }
    assert!(count > 300, "only {count} sources");
}

#[test]
fn every_sourced_node_is_mentioned_in_the_document() {
    let g = seed_graph();
    let doc_node = g.node_by_key(DOC).unwrap();
    for id in g.node_ids() {
        let n = g.node(id).unwrap();
        if n.sources.is_empty() {
            assert!(g.find_edge(id, doc_node, "MENTIONED_IN").is_none());
            continue;
        }
        let m = edge(&g, id, "MENTIONED_IN", doc_node);
        let e = g.edge(m).unwrap();
        assert_eq!(e.sources, n.sources, "({})", n.display_name());
        assert_eq!(
            edge_prop(&g, m, "mentions"),
            Some(Value::Int(n.sources.len() as i64))
        );
    }
    assert_eq!(
        g.edges_with_type("MENTIONED_IN").count(),
        g.node_count() - 1
    );
}

#[test]
fn every_node_has_a_snake_case_handle() {
    let g = seed_graph();
    for id in g.node_ids() {
        let key = node_prop(&g, id, KEY_PROPERTY).expect("every node has a key");
        let key = key.as_str().expect("keys are strings").to_string();
        assert!(
            key.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                && key.chars().next().is_some_and(|c| c.is_ascii_lowercase()),
            "handle {key:?} is not snake_case"
        );
        assert_eq!(g.node_by_key(&key), Some(id));
    }
}

#[test]
fn loading_the_seed_facts_again_changes_nothing() {
    let mut g = seed_graph();
    let before = g.clone();
    let report = facts::load(&mut g, seed::FACTS, seed::FACTS_FILE, &read_seed_document)
        .expect("second load succeeds");
    assert_eq!(report.nodes_created, 0);
    assert_eq!(report.edges_created, 0);
    assert_eq!(report.documents, 1);
    assert!(report.merged > 0);
    assert!(g.same_as(&before), "the second load changed the graph");
}

#[test]
fn the_seed_is_built_the_same_way_every_time() {
    assert!(seed_graph().same_as(&seed_graph()));
}

// ---- people and their offices ----

/// `person` HOLDS the role named `role`, which is ROLE_OF `country` (when given).
fn assert_holds(
    g: &Graph,
    person: &str,
    role: &str,
    country: Option<&str>,
    (sentence, quote): (u32, &str),
) -> NodeId {
    let p = node(g, "Person", person);
    let r = node(g, "Role", role);
    let holds = edge(g, p, "HOLDS", r);
    assert_edge_quoted(g, holds, sentence, quote);
    match country {
        Some(c) => assert_eq!(target(g, r, "ROLE_OF"), node(g, "Country", c)),
        None => assert!(targets(g, r, "ROLE_OF").is_empty()),
    }
    p
}

#[test]
fn presidents_hold_their_countries_presidencies() {
    let g = seed_graph();
    let trump = assert_holds(
        &g,
        "Donald Trump",
        "President of the United States",
        Some("United States"),
        (1, "President Donald Trump"),
    );
    let putin = assert_holds(
        &g,
        "Vladimir Putin",
        "President of Russia",
        Some("Russia"),
        (1, "Russian President Vladimir Putin"),
    );
    assert_holds(
        &g,
        "Volodymyr Zelenskyy",
        "President of Ukraine",
        Some("Ukraine"),
        (5, "President Zelenskyy"),
    );
    let russian_presidency = node(&g, "Role", "President of Russia");
    assert_edge_quoted(
        &g,
        edge(
            &g,
            russian_presidency,
            "ROLE_OF",
            node(&g, "Country", "Russia"),
        ),
        1,
        "Russian President",
    );
    assert_eq!(
        node_prop(&g, russian_presidency, "title"),
        text("President")
    );
    assert_eq!(
        node_prop(&g, trump, "aliases"),
        Some(Value::List(vec![Value::from("Trump")]))
    );
    assert_node_quoted(&g, putin, 3, "Putin");
}

#[test]
fn witkoff_is_trumps_special_envoy_and_will_meet_putin_in_moscow() {
    let g = seed_graph();
    let witkoff = assert_holds(
        &g,
        "Steve Witkoff",
        "Special envoy of Donald Trump",
        None,
        (3, "his special envoy, Steve Witkoff"),
    );
    let trump = node(&g, "Person", "Donald Trump");
    let putin = node(&g, "Person", "Vladimir Putin");
    let moscow = node(&g, "City", "Moscow");
    assert_edge_quoted(
        &g,
        edge(&g, witkoff, "SERVES", trump),
        3,
        "his special envoy, Steve Witkoff",
    );
    let meet = edge(&g, witkoff, "WILL_MEET", putin);
    assert_eq!(edge_prop(&g, meet, "location"), text("Moscow"));
    assert_eq!(edge_prop(&g, meet, "status"), text("planned"));
    assert_edge_quoted(
        &g,
        meet,
        3,
        "would travel to Moscow to meet directly with Putin",
    );
    let travel = edge(&g, witkoff, "TRAVELS_TO", moscow);
    assert_eq!(
        edge_prop(&g, travel, "purpose"),
        text("to meet directly with Putin")
    );
    assert_edge_quoted(
        &g,
        travel,
        3,
        "would travel to Moscow to meet directly with Putin",
    );
}

#[test]
fn driscoll_is_army_secretary_and_will_meet_ukrainian_representatives() {
    let g = seed_graph();
    let driscoll = assert_holds(
        &g,
        "Dan Driscoll",
        "United States Secretary of the Army",
        Some("United States"),
        (3, "U.S. Army Secretary Dan Driscoll"),
    );
    let reps = node(&g, "Group", "Ukrainian representatives");
    assert_edge_quoted(
        &g,
        edge(&g, driscoll, "WILL_MEET", reps),
        3,
        "Dan Driscoll would meet with Ukrainian representatives",
    );
    assert_eq!(
        target(&g, reps, "REPRESENTS"),
        node(&g, "Country", "Ukraine")
    );
}

#[test]
fn vance_rubio_and_hegseth_are_senior_officials_briefed_on_the_negotiations() {
    let g = seed_graph();
    let negotiations = node(&g, "Event", "Negotiations on the peace plan");
    let senior = node(&g, "Group", "senior administration officials");
    for (person, role, quote) in [
        (
            "Vance",
            "Vice President of the United States",
            "Vice President Vance",
        ),
        (
            "Marco Rubio",
            "United States Secretary of State",
            "Secretary of State Marco Rubio",
        ),
        (
            "Pete Hegseth",
            "United States Secretary of Defense",
            "Secretary of Defense Pete Hegseth",
        ),
    ] {
        let p = assert_holds(&g, person, role, Some("United States"), (6, quote));
        edge(&g, p, "MEMBER_OF", senior);
        let briefed = edge(&g, p, "BRIEFED_ON", negotiations);
        assert_edge_quoted(
            &g,
            briefed,
            6,
            "would be briefed on negotiations in real time",
        );
    }
    let trump = node(&g, "Person", "Donald Trump");
    assert_edge_quoted(
        &g,
        edge(&g, trump, "BRIEFED_ON", negotiations),
        6,
        "he and senior administration officials",
    );
    // The article never gives Vance a first name.
    assert!(g
        .find_nodes("Person", "name", &Value::from("JD Vance"))
        .is_empty());
}

#[test]
fn russias_unnamed_top_diplomat_has_reservations() {
    let g = seed_graph();
    let diplomat = assert_holds(
        &g,
        "Russia's top diplomat",
        "Top diplomat of Russia",
        Some("Russia"),
        (11, "Russia’s top diplomat"),
    );
    let stance = position(&g, diplomat, "has reservations");
    assert_edge_quoted(
        &g,
        edge(&g, diplomat, "TAKES", stance),
        11,
        "Russia’s top diplomat expressed reservations",
    );
    let on = targets(&g, stance, "ON");
    assert!(on.contains(&node(&g, "Proposal", "28-Point Peace Plan")));
    let demands = node(&g, "Issue", "Russia's more ambitious demands");
    assert!(on.contains(&demands));
    assert_node_quoted(&g, demands, 11, "Moscow’s more ambitious demands");
}

#[test]
fn moscow_is_russias_capital() {
    let g = seed_graph();
    let moscow = node(&g, "City", "Moscow");
    let capital = edge(&g, moscow, "CAPITAL_OF", node(&g, "Country", "Russia"));
    assert_edge_quoted(&g, capital, 11, "Moscow’s more ambitious demands");
    assert_node_quoted(&g, moscow, 3, "Moscow");
}

#[test]
fn trump_will_meet_both_presidents_only_when_the_deal_is_final() {
    let g = seed_graph();
    let trump = node(&g, "Person", "Donald Trump");
    for other in ["Vladimir Putin", "Volodymyr Zelenskyy"] {
        let meet = edge(&g, trump, "WILL_MEET", node(&g, "Person", other));
        assert_eq!(edge_prop(&g, meet, "status"), text("conditional"));
        assert_eq!(
            edge_prop(&g, meet, "condition"),
            text("only when the deal to end the war is final or in its final stages")
        );
        assert_edge_quoted(
            &g,
            meet,
            5,
            "I look forward to hopefully meeting with President Zelenskyy and President Putin soon, but ONLY when the deal to end this War is FINAL or, in its final stages",
        );
        assert_edge_quoted(
            &g,
            meet,
            17,
            "direct engagement with both leaders once the deal nears completion",
        );
    }
}

// ---- the plan ----

#[test]
fn the_united_states_drafted_the_28_point_plan() {
    let g = seed_graph();
    let plan = node(&g, "Proposal", "28-Point Peace Plan");
    let us = node(&g, "Country", "United States");
    assert_eq!(node_prop(&g, plan, "points"), Some(Value::Int(28)));
    assert_eq!(node_prop(&g, plan, "status"), text("draft"));
    let drafted = edge(&g, us, "DRAFTED", plan);
    assert_edge_quoted(&g, drafted, 4, "which was drafted by the United States");
    assert_edge_quoted(&g, drafted, 7, "initially drafted by the United States");
    assert_node_quoted(&g, plan, 7, "28 points");
    assert_node_quoted(&g, plan, 9, "the draft is not a final agreement");
    // Only the United States drafted it; both sides gave input.
    assert_eq!(
        g.edges_of(plan, Direction::Incoming)
            .filter(|(e, _)| g.edge(*e).unwrap().rel_type == "DRAFTED")
            .count(),
        1
    );
    for side in ["Russia", "Ukraine"] {
        let input = edge(&g, node(&g, "Country", side), "CONTRIBUTED_TO", plan);
        assert_edge_quoted(
            &g,
            input,
            4,
            "has been fine-tuned, with additional input from both sides",
        );
    }
}

#[test]
fn the_plan_aims_to_end_the_war_the_invasion_caused() {
    let g = seed_graph();
    let plan = node(&g, "Proposal", "28-Point Peace Plan");
    let war = node(&g, "Event", "War in Ukraine");
    let invasion = node(&g, "Event", "Russian invasion of Ukraine");
    let ukraine = node(&g, "Country", "Ukraine");
    assert_edge_quoted(
        &g,
        edge(&g, plan, "AIMS_TO_END", war),
        1,
        "peace proposal aimed at ending the war in Ukraine",
    );
    assert_edge_quoted(
        &g,
        edge(&g, invasion, "CAUSED", war),
        7,
        "the conflict that began in February 2022 when Russia invaded Ukraine",
    );
    let feb_2022 = Date::ym(2022, 2).map(Value::Date);
    assert_eq!(node_prop(&g, invasion, "date"), feb_2022);
    assert_eq!(node_prop(&g, invasion, "kind"), text("invasion"));
    assert_eq!(node_prop(&g, war, "date"), feb_2022);
    assert_eq!(target(&g, war, "TAKES_PLACE_IN"), ukraine);
    let caused: Vec<String> = targets(&g, war, "CAUSED")
        .into_iter()
        .map(|n| name_of(&g, n))
        .collect();
    assert_eq!(caused.len(), 2);
    assert!(caused.contains(&"Strained international relations".to_string()));
}

#[test]
fn russia_invaded_ukraine_in_february_2022() {
    let g = seed_graph();
    let invaded = edge(
        &g,
        node(&g, "Country", "Russia"),
        "INVADED",
        node(&g, "Country", "Ukraine"),
    );
    assert_eq!(
        edge_prop(&g, invaded, "date"),
        Date::ym(2022, 2).map(Value::Date)
    );
    assert_edge_quoted(&g, invaded, 7, "February 2022 when Russia invaded Ukraine");
    assert_eq!(g.edges_with_type("INVADED").count(), 1);
}

#[test]
fn ukraine_tentatively_agrees_to_the_streamlined_version_per_the_ft() {
    let g = seed_graph();
    let ukraine = node(&g, "Country", "Ukraine");
    let plan = node(&g, "Proposal", "28-Point Peace Plan");
    let streamlined = node(
        &g,
        "Proposal",
        "Streamlined version of the 28-Point Peace Plan",
    );
    let ft = node(&g, "Organization", "Financial Times");
    assert_edge_quoted(
        &g,
        edge(&g, streamlined, "VERSION_OF", plan),
        10,
        "a streamlined version of the plan",
    );
    let stance = position(&g, ukraine, "tentatively agrees");
    assert_eq!(node_prop(&g, stance, "tentative"), Some(Value::Bool(true)));
    assert_eq!(target(&g, stance, "ON"), streamlined);
    assert_edge_quoted(
        &g,
        edge(&g, stance, "REPORTED_BY", ft),
        10,
        "According to reports from the Financial Times",
    );
    assert_edge_quoted(
        &g,
        edge(&g, ukraine, "TAKES", stance),
        10,
        "Ukraine has tentatively agreed",
    );
}

#[test]
fn the_us_backs_the_plan_and_trump_says_few_points_remain() {
    let g = seed_graph();
    let plan = node(&g, "Proposal", "28-Point Peace Plan");
    let us = node(&g, "Country", "United States");
    let backs = position(&g, us, "backs");
    assert_eq!(target(&g, backs, "ON"), plan);
    assert_edge_quoted(&g, edge(&g, us, "TAKES", backs), 1, "U.S.-backed");

    let trump = node(&g, "Person", "Donald Trump");
    let truth_social = node(&g, "Organization", "Truth Social");
    assert_edge_quoted(
        &g,
        edge(&g, trump, "OWNS", truth_social),
        2,
        "his social media platform Truth Social",
    );
    let few = position(&g, trump, "says few points of disagreement remain");
    assert_eq!(target(&g, few, "ON"), plan);
    assert_eq!(target(&g, few, "REPORTED_BY"), truth_social);
    assert_edge_quoted(
        &g,
        edge(&g, trump, "TAKES", few),
        4,
        "there are only a few remaining points of disagreement,” Trump wrote",
    );
    assert_node_quoted(
        &g,
        few,
        1,
        "only a “few remaining points of disagreement” remain",
    );
}

#[test]
fn democrats_republicans_lawmakers_and_analysts_criticize_the_plan() {
    let g = seed_graph();
    let plan = node(&g, "Proposal", "28-Point Peace Plan");
    let democrats = node(&g, "Organization", "Democrats");
    let republicans = node(&g, "Organization", "Republicans");
    assert_eq!(node_prop(&g, democrats, "kind"), text("political party"));
    let criticism = position(&g, democrats, "criticizes");
    assert_eq!(position(&g, republicans, "criticizes"), criticism);
    assert_eq!(target(&g, criticism, "ON"), plan);
    assert_edge_quoted(
        &g,
        edge(&g, republicans, "TAKES", criticism),
        8,
        "criticism from both Democrats and Republicans",
    );

    let lawmakers = node(&g, "Group", "lawmakers");
    let analysts = node(&g, "Group", "analysts");
    let favors = position(&g, lawmakers, "criticizes");
    assert_ne!(favors, criticism);
    assert!(targets(&g, analysts, "TAKES").contains(&favors));
    assert_eq!(
        node_prop(&g, favors, "summary"),
        text("the proposal favors Russian interests")
    );
    assert_node_quoted(&g, favors, 8, "arguing that it favors Russian interests");
}

#[test]
fn administration_officials_note_the_draft_is_not_final() {
    let g = seed_graph();
    let officials = node(&g, "Group", "administration officials");
    let stance = position(&g, officials, "notes it is not final");
    assert_eq!(
        target(&g, stance, "ON"),
        node(&g, "Proposal", "28-Point Peace Plan")
    );
    assert_edge_quoted(
        &g,
        edge(
            &g,
            stance,
            "ON",
            node(&g, "Proposal", "28-Point Peace Plan"),
        ),
        9,
        "the draft is not a final agreement",
    );
}

// ---- issues and negotiations ----

#[test]
fn the_most_contentious_issues_are_deferred_to_zelenskyy_and_trump() {
    let g = seed_graph();
    let direct = node(
        &g,
        "Event",
        "Direct negotiations between Zelenskyy and Trump",
    );
    for issue in ["Territorial concessions", "Security guarantees"] {
        let i = node(&g, "Issue", issue);
        assert_eq!(node_prop(&g, i, "status"), text("contested"));
        assert_eq!(target(&g, i, "DEFERRED_TO"), direct);
    }
    let deferred = edge(
        &g,
        node(&g, "Issue", "Territorial concessions"),
        "DEFERRED_TO",
        direct,
    );
    assert_edge_quoted(
        &g,
        deferred,
        10,
        "leaving some of the most contentious issues—such as territorial concessions and security guarantees—for direct negotiations between Zelenskyy and Trump",
    );
    for person in ["Volodymyr Zelenskyy", "Donald Trump"] {
        let p = node(&g, "Person", person);
        let part = edge(&g, p, "PARTICIPATES_IN", direct);
        assert_eq!(edge_prop(&g, part, "role"), text("party"));
    }
}

#[test]
fn russia_and_ukraine_are_divided_over_the_central_points_of_contention() {
    let g = seed_graph();
    let russia = node(&g, "Country", "Russia");
    let ukraine = node(&g, "Country", "Ukraine");
    let negotiations = node(&g, "Event", "Negotiations on the peace plan");
    let divided = position(&g, russia, "deeply divided");
    assert_eq!(position(&g, ukraine, "deeply divided"), divided);
    let on = targets(&g, divided, "ON");
    assert_eq!(on.len(), 3);
    for (issue, quote) in [
        ("Territorial integrity", "Territorial integrity"),
        ("Military security", "military security"),
        ("International guarantees", "international guarantees"),
    ] {
        let i = node(&g, "Issue", issue);
        assert!(on.contains(&i), "{issue}");
        assert_node_quoted(&g, i, 13, quote);
        assert_edge_quoted(&g, edge(&g, negotiations, "ADDRESSES", i), 13, quote);
    }
    assert_edge_quoted(
        &g,
        edge(&g, russia, "TAKES", divided),
        12,
        "both sides maintain deep divisions",
    );
}

#[test]
fn us_officials_have_held_discussions_with_both_sides_representatives() {
    let g = seed_graph();
    let us_officials = node(&g, "Group", "U.S. officials");
    assert_eq!(
        target(&g, us_officials, "REPRESENTS"),
        node(&g, "Country", "United States")
    );
    for (reps, country) in [
        ("Russian representatives", "Russia"),
        ("Ukrainian representatives", "Ukraine"),
    ] {
        let r = node(&g, "Group", reps);
        assert_eq!(target(&g, r, "REPRESENTS"), node(&g, "Country", country));
        let meets = edge(&g, us_officials, "MEETS", r);
        assert_eq!(edge_prop(&g, meets, "status"), text("held"));
        assert_edge_quoted(
            &g,
            meets,
            8,
            "U.S. officials have recently engaged in discussions with both Russian and Ukrainian representatives",
        );
    }
}

#[test]
fn the_us_facilitates_the_negotiations_between_the_two_sides() {
    let g = seed_graph();
    let negotiations = node(&g, "Event", "Negotiations on the peace plan");
    let role = |country: &str| {
        let part = edge(
            &g,
            node(&g, "Country", country),
            "PARTICIPATES_IN",
            negotiations,
        );
        edge_prop(&g, part, "role")
    };
    assert_eq!(role("United States"), text("facilitator"));
    assert_eq!(role("Russia"), text("party"));
    assert_eq!(role("Ukraine"), text("party"));
    let negotiators = node(&g, "Group", "negotiators");
    let aim = position(&g, negotiators, "aims for a framework");
    assert_eq!(target(&g, aim, "ON"), negotiations);
    assert_node_quoted(
        &g,
        aim,
        13,
        "negotiators aim to bring the two countries closer to a framework that could prevent further escalation",
    );
    let observers = node(&g, "Group", "observers");
    assert_eq!(
        target(&g, position(&g, observers, "cautions"), "ON"),
        negotiations
    );
}
