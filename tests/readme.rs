//! The README documents the data model; this keeps it in step with the schema.

use factgraph::model::Schema;

#[test]
fn readme_tables_name_every_label_and_relationship_type() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let schema = Schema::news();
    for name in schema.labels.keys().chain(schema.rel_types.keys()) {
        assert!(
            readme.contains(&format!("| `:{name}` |")),
            "README's data model table lacks :{name}"
        );
    }
    let model = readme.split("## The data model").nth(1).unwrap_or_default();
    let model = model.split("\n## ").next().unwrap_or_default();
    for line in model.lines().filter(|l| l.starts_with("| `:")) {
        let name = line
            .trim_start_matches("| `:")
            .split('`')
            .next()
            .unwrap_or_default();
        assert!(
            schema.labels.contains_key(name) || schema.rel_types.contains_key(name),
            "README documents :{name}, which the schema does not declare"
        );
    }
}
