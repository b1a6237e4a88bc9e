//! Fuzzing the three ways data gets in besides queries, on stable Rust, from
//! real files mutated by byte edits:
//!
//! - the facts file (seeds/*.facts): loads, or fails with a position inside
//!   the file and the graph untouched;
//! - the text extractor (the seed article): extracts, or fails with a typed
//!   error and the graph untouched;
//! - the snapshot decoder (the seed graph, encoded): a file whose checksum
//!   no longer matches is always refused; with the checksum recomputed so
//!   that the bincode payload itself is attacked, decoding gives an error or
//!   a graph that saves and loads again — never a panic or a huge allocation.
//!
//! `FACTGRAPH_FUZZ_CASES=N` raises the number of cases of each property.

#[path = "mutate.rs"]
mod mutate;

use std::path::Path;

use factgraph::extract::{extract_document, ExtractOptions};
use factgraph::facts;
use factgraph::store::{codec, Graph};
use proptest::prelude::*;

const FACTS: &str = "seeds/ukraine-peace-plan-2025-11.facts";
const ARTICLE: &str = "seeds/ukraine-peace-plan-2025-11.txt";

fn read(rel: &str) -> String {
    std::fs::read_to_string(mutate::root().join(rel)).expect("seed file")
}

#[test]
fn mutated_facts_files_load_or_fail_at_a_position_changing_nothing() {
    let text = read(FACTS);
    let article = read(ARTICLE);
    // Only the seed article can be named: a mutated file name must not reach the disk.
    let read_document = |name: &str| {
        if name == "ukraine-peace-plan-2025-11.txt" {
            Ok(article.clone())
        } else {
            Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "not in the fuzz corpus",
            ))
        }
    };
    {
        let mut g = Graph::default();
        facts::load(&mut g, &text, "seed.facts", &read_document).expect("the unmutated file loads");
    }
    mutate::check(
        "mutated facts files",
        mutate::cases(96),
        mutate::edits(8),
        |edits| {
            let bytes = mutate::apply(text.clone().into_bytes(), &edits);
            let mutated = String::from_utf8_lossy(&bytes);
            let mut g = Graph::default();
            if let Err(e) = facts::load(&mut g, &mutated, "seed.facts", &read_document) {
                let lines = mutated.split('\n').count();
                prop_assert!(
                    e.position.line >= 1 && e.position.line <= lines && e.position.column >= 1,
                    "position outside the file: {e}"
                );
                prop_assert!(!e.message.is_empty());
                let _ = e.to_string();
                prop_assert_eq!(g.node_count(), 0, "a failed load left nodes behind: {}", e);
                prop_assert_eq!(g.edge_count(), 0);
            }
            Ok(())
        },
    );
}

#[test]
fn mutated_articles_extract_or_fail_changing_nothing() {
    let text = read(ARTICLE);
    mutate::check(
        "mutated articles",
        mutate::cases(48),
        mutate::edits(12),
        |edits| {
            let bytes = mutate::apply(text.clone().into_bytes(), &edits);
            let mutated = String::from_utf8_lossy(&bytes);
            let mut g = Graph::default();
            match extract_document(
                &mut g,
                "fuzzed_article",
                "Fuzzed",
                &mutated,
                None,
                &ExtractOptions::default(),
            ) {
                Ok(report) => {
                    let _ = report.to_string();
                    // What was stored is a graph the snapshot format accepts.
                    let bytes =
                        codec::encode(&g).map_err(|e| TestCaseError::fail(e.to_string()))?;
                    let back = codec::decode(&bytes, Path::new("extracted"))
                        .map_err(|e| TestCaseError::fail(e.to_string()))?;
                    prop_assert_eq!(back.node_count(), g.node_count());
                }
                Err(e) => {
                    let _ = e.to_string();
                    prop_assert_eq!(g.node_count(), 0, "a failed extraction left nodes: {}", e);
                }
            }
            Ok(())
        },
    );
}

/// Rewrites the header's length and checksum to match the (mutated) payload.
fn reseal(bytes: &mut [u8]) {
    if bytes.len() < codec::HEADER_LEN {
        return;
    }
    let payload_len = (bytes.len() - codec::HEADER_LEN) as u64;
    bytes[12..20].copy_from_slice(&payload_len.to_le_bytes());
    let crc = crc32fast::hash(&bytes[codec::HEADER_LEN..]);
    bytes[20..24].copy_from_slice(&crc.to_le_bytes());
}

#[test]
fn mutated_snapshots_are_refused_or_decode_to_a_valid_graph() {
    let graph = factgraph::seed::graph().expect("seed graph");
    let original = codec::encode(&graph).expect("encode");
    let path = Path::new("fuzzed.fg");
    mutate::check(
        "mutated snapshots",
        mutate::cases(600),
        (mutate::edits(4), any::<bool>()),
        |(edits, resealed)| {
            let mut bytes = mutate::apply(original.clone(), &edits);
            if resealed {
                reseal(&mut bytes);
            }
            match codec::decode(&bytes, path) {
                Err(e) => {
                    prop_assert!(!e.to_string().is_empty());
                }
                Ok(g) if !resealed => {
                    // CRC-32 catches every change of a few edits: a file that
                    // still decodes must be the original.
                    prop_assert!(bytes == original, "a damaged snapshot decoded to a graph");
                    prop_assert_eq!(g.node_count(), graph.node_count());
                }
                Ok(g) => {
                    let again =
                        codec::encode(&g).map_err(|e| TestCaseError::fail(e.to_string()))?;
                    let back = codec::decode(&again, path).map_err(|e| {
                        TestCaseError::fail(format!("re-saved graph unreadable: {e}"))
                    })?;
                    prop_assert_eq!(back.node_count(), g.node_count());
                    prop_assert_eq!(back.edge_count(), g.edge_count());
                }
            }
            Ok(())
        },
    );
}
