use super::*;
use factgraph_model::{PropDef, PropType, Props, Value};

fn nested_value(depth: usize) -> Value {
    (0..depth).fold(Value::Int(7), |v, _| Value::List(vec![v]))
}

fn nested_type(depth: usize) -> PropType {
    (0..depth).fold(PropType::Int, |t, _| PropType::List(Box::new(t)))
}

/// A graph with a value nested `depth` lists deep in a node property, a
/// relationship property and a schema type: the deepest places a snapshot has.
fn deep_graph(depth: usize) -> Graph {
    let mut schema = Schema::open();
    schema.labels.insert(
        "Deep".into(),
        factgraph_model::LabelDef {
            description: String::new(),
            properties: BTreeMap::from([(
                "v".to_string(),
                PropDef {
                    ty: nested_type(depth),
                    required: false,
                    description: String::new(),
                },
            )]),
        },
    );
    let mut g = Graph::new(schema);
    let props = BTreeMap::from([("v".to_string(), nested_value(depth))]);
    let a = g
        .add_node(vec!["Deep".into()], props.clone(), vec![])
        .unwrap();
    let b = g
        .add_node(vec!["Deep".into()], props.clone(), vec![])
        .unwrap();
    g.add_edge(a, b, "R", props, vec![]).unwrap();
    g
}

#[test]
fn the_deepest_values_saving_allows_load_back() {
    let g = deep_graph(MAX_LIST_NESTING);
    let bytes = encode(&g).unwrap();
    let back = decode(&bytes, Path::new("deep")).unwrap();
    assert!(back.same_as(&g));
}

#[test]
fn values_too_deep_to_load_are_refused_on_insert_and_types_on_save() {
    let mut g = deep_graph(MAX_LIST_NESTING);
    let too_deep = BTreeMap::from([("v".to_string(), nested_value(MAX_LIST_NESTING + 1))]);
    assert!(matches!(
        g.add_node(vec!["Deep".into()], too_deep, vec![]),
        Err(crate::StoreError::TooDeep { .. })
    ));
    let mut schema = g.schema().clone();
    if let Some(def) = schema.labels.get_mut("Deep") {
        if let Some(p) = def.properties.get_mut("v") {
            p.ty = nested_type(MAX_LIST_NESTING + 1);
        }
    }
    match encode(&Graph::new(schema)) {
        Err(SnapshotError::Encode(m)) => assert!(m.contains("nests lists"), "{m}"),
        other => panic!("expected an encode error, got {other:?}"),
    }
}
/// A payload whose relationships the store itself would never accept,
/// encoded with a valid header, as a crafted file would be.
fn crafted(
    edit: impl FnOnce(&mut StableGraph<Node, Edge>, [petgraph::graph::NodeIndex; 3]),
) -> Vec<u8> {
    let mut g = Graph::new(Schema::news());
    let name = |n: &str| BTreeMap::from([("name".to_string(), Value::String(n.into()))]);
    let person = g
        .add_node(vec!["Person".into()], name("A"), vec![])
        .unwrap();
    let role = g
        .add_node(vec!["Role".into()], name("envoy"), vec![])
        .unwrap();
    let country = g
        .add_node(vec!["Country".into()], name("C"), vec![])
        .unwrap();
    g.add_edge(person, role, "HOLDS", BTreeMap::new(), vec![])
        .unwrap();
    let (schema, graph, documents) = g.parts();
    let mut graph = graph.clone();
    edit(
        &mut graph,
        [person, role, country].map(|n| petgraph::graph::NodeIndex::new(n.0 as usize)),
    );
    let payload = bincode::serde::encode_to_vec(
        PayloadRef {
            schema,
            documents,
            graph: &graph,
        },
        config(),
    )
    .unwrap();
    let mut out = header(payload.len() as u64, crc32fast::hash(&payload)).to_vec();
    out.extend_from_slice(&payload);
    out
}

#[test]
fn relationships_the_schema_refuses_are_corrupt_even_after_valid_ones_of_their_type() {
    let plain = |rel_type: &str| Edge {
        rel_type: rel_type.into(),
        props: Props::new(),
        sources: vec![],
    };
    // A second HOLDS between the same label sets as a valid one, with an
    // undeclared property: the endpoint check is remembered, the property one is not.
    let bad_prop = crafted(|g, [p, r, _]| {
        let mut e = plain("HOLDS");
        e.props.insert("colour".into(), Value::String("red".into()));
        g.add_edge(p, r, e);
    });
    // HOLDS ending at a country: a label set combination never seen valid.
    let bad_end = crafted(|g, [p, _, c]| {
        g.add_edge(p, c, plain("HOLDS"));
    });
    for (bytes, expected) in [(bad_prop, "colour"), (bad_end, "end at")] {
        match decode(&bytes, Path::new("crafted")) {
            Err(SnapshotError::Corrupt { detail, .. }) => {
                assert!(
                    detail.contains("relationship r1") && detail.contains(expected),
                    "{detail}"
                )
            }
            other => panic!("expected Corrupt, got {other:?}"),
        }
    }
    let fine = crafted(|_, _| {});
    assert!(decode(&fine, Path::new("crafted")).is_ok());
}
