//! Snapshot bytes -> decode. The header's length and checksum are rewritten
//! to match the fuzzed payload (libFuzzer cannot guess a CRC), so the bincode
//! decoder and the graph checks behind it are what gets attacked. A decoded
//! graph must save and load again.
#![no_main]

use std::path::Path;

use factgraph::store::codec;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut bytes = Vec::with_capacity(codec::HEADER_LEN + data.len());
    bytes.extend_from_slice(codec::MAGIC);
    bytes.extend_from_slice(&codec::FORMAT_VERSION.to_le_bytes());
    bytes.extend_from_slice(&(data.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&crc32fast::hash(data).to_le_bytes());
    bytes.extend_from_slice(data);
    if let Ok(g) = codec::decode(&bytes, Path::new("fuzz.fg")) {
        let again = codec::encode(&g).expect("a decoded graph encodes");
        let back = codec::decode(&again, Path::new("fuzz.fg")).expect("and decodes again");
        assert_eq!(back.node_count(), g.node_count());
        assert_eq!(back.edge_count(), g.edge_count());
    }
});
