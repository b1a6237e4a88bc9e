//! A facts file -> load into an empty graph: loads, or fails at a position
//! inside the file leaving the graph empty.
#![no_main]

use factgraph::facts;
use factgraph::store::Graph;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut g = Graph::default();
    let no_files = |_: &str| -> std::io::Result<String> {
        Err(std::io::Error::new(std::io::ErrorKind::NotFound, "fuzzing"))
    };
    if let Err(e) = facts::load(&mut g, text, "fuzz.facts", &no_files) {
        let _ = e.to_string();
        let lines = text.split('\n').count();
        assert!(
            e.position.line >= 1 && e.position.line <= lines && e.position.column >= 1,
            "{e}"
        );
        assert_eq!(g.node_count(), 0);
    }
});
