//! Query text -> parse and check against the seed graph's schema, then run
//! with small limits. Any panic (including an overflowed stack) is a bug;
//! errors are fine but must name a position inside the text.
#![no_main]

use std::sync::OnceLock;
use std::time::Duration;

use factgraph::query::{self, Limits, Params, QueryError};
use factgraph::store::Graph;
use libfuzzer_sys::fuzz_target;

fn seed() -> &'static Graph {
    static SEED: OnceLock<Graph> = OnceLock::new();
    SEED.get_or_init(|| factgraph::seed::graph().expect("seed graph"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut g = seed().clone();
    let limits = Limits {
        max_rows: Some(10_000),
        timeout: Some(Duration::from_millis(500)),
        cancel: None,
    };
    if let Err(e) = query::run_limited(&mut g, text, &Params::new(), &[], &limits) {
        let _ = e.to_string();
        let lines = text.split('\n').count();
        let position = match &e {
            QueryError::Syntax(s) => Some(s.position),
            QueryError::Semantic {
                location: Some(l), ..
            } => Some(l.position),
            _ => None,
        };
        if let Some(p) = position {
            assert!(p.line >= 1 && p.line <= lines && p.column >= 1, "{e}");
        }
        assert_ne!(e.code(), "Runtime.Internal", "{e}");
    }
});
