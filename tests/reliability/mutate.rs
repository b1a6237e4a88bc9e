//! Shared by the fuzz tests: byte-level mutation of real inputs, a fixed-seed
//! proptest runner, and the case count (`FACTGRAPH_FUZZ_CASES` raises it).

#![allow(dead_code)]

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// Fragments that make byte edits reach the interesting corners of a parser:
/// brackets and quotes left open, escapes, comments, operators that chain,
/// and text that is hard on whatever prints it.
pub const SPLICES: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "'",
    "\"",
    "`",
    "\\",
    "\\u",
    "\\u00",
    "\\'",
    "//",
    "/*",
    "*/",
    "*",
    "*..",
    "..",
    "-->",
    "<--",
    "-[*]-",
    ":",
    ";",
    ",",
    "$",
    "$p",
    "NOT ",
    " AND ",
    " OR ",
    "[[[[",
    "((((",
    "))))",
    "]]]]",
    "{a:",
    "\u{202e}",
    "\u{0301}",
    "\u{0}",
    "\u{feff}",
    "🦀",
    "\n",
    "\r\n",
    "\t",
    "1e999",
    "-9223372036854775808",
    "9223372036854775807",
    "0x",
    "1.",
    "RETURN ",
    "MATCH ",
    "WITH ",
    "UNWIND ",
    "CREATE ",
    "DELETE ",
    "MERGE ",
    "SET ",
    "CALL ",
    "CASE WHEN ",
    " END",
    "EXISTS {",
    " IN ",
    "null",
    "true",
    "date('",
    "duration('P",
    "\"\"\"",
    "#",
    "@",
    "=",
    "->",
    "<-",
    "|",
    "%",
    "^",
];

/// One edit of a byte string.
#[derive(Clone, Debug)]
pub enum Edit {
    /// Remove the byte at a position (scaled to the input's length).
    Delete(usize),
    /// Put a byte there.
    Insert(usize, u8),
    /// Change the byte there.
    Replace(usize, u8),
    /// Flip one bit there.
    Flip(usize, u8),
    /// Insert one of [`SPLICES`].
    Splice(usize, usize),
    /// Repeat the bytes from there, up to a length, after themselves.
    Duplicate(usize, usize),
    /// Cut everything from there.
    Truncate(usize),
}

/// A strategy for a few edits.
pub fn edits(max: usize) -> impl Strategy<Value = Vec<Edit>> {
    let edit = prop_oneof![
        any::<usize>().prop_map(Edit::Delete),
        (any::<usize>(), any::<u8>()).prop_map(|(p, b)| Edit::Insert(p, b)),
        (any::<usize>(), any::<u8>()).prop_map(|(p, b)| Edit::Replace(p, b)),
        (any::<usize>(), 0u8..8).prop_map(|(p, b)| Edit::Flip(p, b)),
        (any::<usize>(), 0..SPLICES.len()).prop_map(|(p, s)| Edit::Splice(p, s)),
        (any::<usize>(), 1usize..64).prop_map(|(p, n)| Edit::Duplicate(p, n)),
        any::<usize>().prop_map(Edit::Truncate),
    ];
    proptest::collection::vec(edit, 1..=max)
}

/// Applies `edits` to `bytes`; positions wrap around the current length.
pub fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        let len = bytes.len();
        let at = |p: usize| if len == 0 { 0 } else { p % (len + 1) };
        match *e {
            Edit::Delete(p) if len > 0 => {
                bytes.remove(p % len);
            }
            Edit::Delete(_) => {}
            Edit::Insert(p, b) => bytes.insert(at(p), b),
            Edit::Replace(p, b) if len > 0 => bytes[p % len] = b,
            Edit::Flip(p, bit) if len > 0 => bytes[p % len] ^= 1 << bit,
            Edit::Replace(..) | Edit::Flip(..) => {}
            Edit::Splice(p, s) => {
                let at = at(p);
                bytes.splice(at..at, SPLICES[s].bytes());
            }
            Edit::Duplicate(p, n) if len > 0 => {
                let from = p % len;
                let to = (from + n).min(len);
                let copy = bytes[from..to].to_vec();
                bytes.splice(to..to, copy);
            }
            Edit::Duplicate(..) => {}
            // Never cut below a quarter, so that most cases still reach past the start.
            Edit::Truncate(p) if len > 4 => bytes.truncate(len / 4 + p % (len - len / 4)),
            Edit::Truncate(_) => {}
        }
    }
    bytes
}

/// Cases per property: `FACTGRAPH_FUZZ_CASES`, else `default`.
pub fn cases(default: u32) -> u32 {
    std::env::var("FACTGRAPH_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A runner with a fixed seed, so that a failure in CI is the same failure
/// on every machine; shrinking then reduces it to a small input.
pub fn runner(cases: u32) -> TestRunner {
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 2000,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha))
}

/// Runs `test` over `strategy` and panics with the minimal failing input.
pub fn check<S: Strategy>(
    name: &str,
    cases: u32,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) where
    S::Value: std::fmt::Debug,
{
    let mut runner = runner(cases);
    if let Err(e) = runner.run(&strategy, test) {
        panic!("{name}: {e}");
    }
    eprintln!("{name}: {cases} cases passed");
}

/// The repository root.
pub fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}
