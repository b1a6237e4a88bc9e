//! The bundled seed graph: the first corpus's article and its curated facts,
//! compiled into the binary so that `factgraph` works from any directory.

use crate::facts::{self, FactsError};
use crate::store::Graph;

/// File name of the seed article, as the facts file names it.
pub const ARTICLE_FILE: &str = "ukraine-peace-plan-2025-11.txt";
/// The seed article.
pub const ARTICLE: &str = include_str!("../seeds/ukraine-peace-plan-2025-11.txt");
/// File name of the seed facts.
pub const FACTS_FILE: &str = "ukraine-peace-plan-2025-11.facts";
/// The curated facts about the seed article.
pub const FACTS: &str = include_str!("../seeds/ukraine-peace-plan-2025-11.facts");

/// Builds the seed graph from the bundled facts.
pub fn graph() -> Result<Graph, FactsError> {
    let mut graph = Graph::default();
    facts::load(&mut graph, FACTS, &format!("seeds/{FACTS_FILE}"), &|name| {
        if name == ARTICLE_FILE {
            Ok(ARTICLE.to_string())
        } else {
            Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "the bundled seed holds only its own article",
            ))
        }
    })?;
    Ok(graph)
}
