//! Article text -> extract into an empty graph: extracts a graph that the
//! snapshot format accepts, or fails leaving the graph empty.
#![no_main]

use factgraph::extract::{extract_document, ExtractOptions};
use factgraph::store::{codec, Graph};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut g = Graph::default();
    match extract_document(
        &mut g,
        "fuzzed",
        "Fuzzed",
        text,
        None,
        &ExtractOptions::default(),
    ) {
        Ok(_) => {
            let bytes = codec::encode(&g).expect("an extracted graph encodes");
            codec::decode(&bytes, std::path::Path::new("fuzz")).expect("and decodes");
        }
        Err(e) => {
            let _ = e.to_string();
            assert_eq!(g.node_count(), 0);
        }
    }
});
