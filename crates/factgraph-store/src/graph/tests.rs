use super::*;

/// An open-schema graph of `nodes` people, countries and organizations
/// with names, descriptions, one document's provenance and a few edges
/// per node, chosen by `seed`.
fn generate(nodes: usize, seed: u64) -> Graph {
    let mut g = Graph::new(factgraph_model::Schema::open());
    let text = "Officials met in the capital. Talks went on.";
    g.add_document(DocumentRecord::new("generated", "Synthetic", text));
    let source = |sentence| factgraph_model::Provenance {
        document: "generated".into(),
        sentence,
        start: 0,
        end: 9,
        method: "facts".into(),
    };
    let mut state = seed;
    let mut next = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    let mut ids = Vec::new();
    for i in 0..nodes {
        let label = ["Person", "Country", "Organization"][i % 3];
        let props = BTreeMap::from([
            ("name".to_string(), Value::from(format!("{label} {i}"))),
            (
                "description".to_string(),
                Value::from(format!("number {}", next())),
            ),
        ]);
        let id = g
            .add_node(vec![label.into()], props, vec![source(1 + (i % 2) as u32)])
            .expect("a valid node");
        ids.push(id);
    }
    for (i, &from) in ids.iter().enumerate() {
        for _ in 0..2 {
            let to = ids[next() % ids.len()];
            let props = BTreeMap::from([("status".to_string(), Value::from(format!("{i}")))]);
            g.add_edge(from, to, "MEETS", props, vec![source(1)])
                .expect("a valid edge");
        }
    }
    g
}

/// A few hundred mixed changes: deletions (with and without detach),
/// insertions that reuse freed ids, property, label and provenance edits.
fn churn(g: &mut Graph, seed: u64) {
    let mut state = seed;
    let mut next = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    for _ in 0..300 {
        let nodes: Vec<NodeId> = g.node_ids().collect();
        let edges: Vec<EdgeId> = g.edge_ids().collect();
        let n = nodes[next() % nodes.len()];
        match next() % 7 {
            0 => {
                let _ = g.remove_node(n, true);
            }
            1 if !edges.is_empty() => {
                let _ = g.remove_edge(edges[next() % edges.len()]);
            }
            2 => {
                let _ = g.add_node(
                    vec!["Person".into()],
                    BTreeMap::from([("name".into(), Value::from(format!("new {}", next())))]),
                    Vec::new(),
                );
            }
            3 => {
                let _ = g.set_node_property(n, "description", Value::from("changed"));
            }
            4 if !edges.is_empty() => {
                let e = edges[next() % edges.len()];
                let _ = g.set_edge_property(e, "status", Value::from("edited"));
            }
            5 => {
                let m = nodes[next() % nodes.len()];
                let _ = g.add_edge(n, m, "MEETS", BTreeMap::new(), Vec::new());
            }
            _ => {
                let _ = g.set_node_property(n, "name", Value::Null);
            }
        }
    }
}

#[test]
fn rollback_restores_the_graph_with_the_same_ids_and_indexes() {
    let mut g = generate(400, 7);
    // Free some slots first, so that later insertions reuse ids.
    for id in g.node_ids().step_by(17).collect::<Vec<_>>() {
        g.remove_node(id, true).expect("remove");
    }
    let before = g.clone();
    let cp = g.checkpoint();
    churn(&mut g, 11);
    assert!(!g.same_as(&before));
    g.rollback(cp);
    assert!(g.same_as(&before));
    // The restored graph still takes changes.
    let id = g
        .add_node(
            vec!["Country".into()],
            BTreeMap::from([("name".into(), Value::from("Freedonia"))]),
            Vec::new(),
        )
        .expect("add");
    assert!(g.node(id).is_some());
}

#[test]
fn nested_checkpoints_keep_or_drop_their_own_changes() {
    let mut g = generate(200, 3);
    let start = g.clone();
    let outer = g.checkpoint();
    churn(&mut g, 1);
    let middle = g.clone();
    let inner = g.checkpoint();
    churn(&mut g, 2);
    g.rollback(inner);
    assert!(g.same_as(&middle));
    let inner = g.checkpoint();
    churn(&mut g, 3);
    g.commit(inner);
    let kept = g.clone();
    assert!(!kept.same_as(&middle));
    g.rollback(outer);
    assert!(g.same_as(&start));
    let cp = g.checkpoint();
    churn(&mut g, 4);
    g.commit(cp);
    assert!(g.journal.is_none(), "the outermost commit stops recording");
}
