//! Synthetic news corpora with their gold facts, for measuring extraction
//! at scale and for testing shard independence.
//!
//! A world of invented people (each holding one office of a real country:
//! president, prime minister, foreign, trade, finance or energy minister)
//! and invented proposals ("the Lisbon Accord", "the Baltic fisheries
//! plan") is drawn from a seed; every article picks a proposal and two or
//! three people and tells, in varied sentence structures, who backs or
//! rejects it, who meets whom, who drafted it and when it was proposed:
//! titles before names ("Kenyan President Samuel Tordeski"), after them
//! ("Ida Velmar, the Foreign Minister of Norway"), possessive appositions
//! ("Kenya's finance minister, Ruth Okafor"), surname-only repeats,
//! pronouns, quotes, stances (backed, rejected, criticised, expressed
//! reservations, tentatively agreed), meetings held and planned, travel,
//! drafting, weekdays and months.
//!
//! The gold facts of each article are written as it is generated, under
//! the annotation rules of `tests/gold/README.md`, in the facts-file format
//! `factgraph eval --gold DIR` reads (one `NAME.txt` and `NAME.facts` per
//! article). The generator is deterministic: the same configuration gives
//! the same bytes, on any machine (its own PRNG, no hash-order iteration).
//!
//! This module holds the configuration and the generator's entry points;
//! [`world`] draws the invented world, [`article`] tells each article, and
//! [`writer`] writes its sentences and gold facts.

mod article;
mod world;
mod writer;

use crate::extract::jsonl::CorpusDocument;

use article::article;
use world::{world, Rng};

/// What to generate.
#[derive(Clone, Debug)]
pub struct CorpusConfig {
    /// Number of articles.
    pub articles: usize,
    /// Seed: the same seed gives the same corpus.
    pub seed: u64,
}

/// One generated article: the corpus document and its gold facts.
#[derive(Clone, Debug)]
pub struct GeneratedArticle {
    /// The document, as a corpus line holds it.
    pub document: CorpusDocument,
    /// Its gold facts in the facts-file format; the `document` statement
    /// names the text file `<id>.txt`.
    pub gold_facts: String,
}

/// Generates the corpus, article by article, lazily: the world (people,
/// proposals) is sized from the number of articles, and each article is
/// drawn from its own stream of the seed.
pub fn generate(cfg: &CorpusConfig) -> impl Iterator<Item = GeneratedArticle> {
    let mut rng = Rng(cfg.seed ^ 0x636f_7270_7573);
    let w = world(cfg, &mut rng);
    let seed = cfg.seed;
    (0..cfg.articles).map(move |i| {
        let mut rng =
            Rng(seed.wrapping_mul(0x2545_f491_4f6c_dd1d) ^ (i as u64).wrapping_mul(0x9e37_79b9));
        article(&mut rng, &w, i + 1)
    })
}

/// Writes the corpus as JSON lines to `out` and, with `gold`, the folder
/// `factgraph eval --gold` reads (`<id>.txt` and `<id>.facts` per article).
pub fn write_corpus(
    cfg: &CorpusConfig,
    out: &mut dyn std::io::Write,
    gold: Option<&std::path::Path>,
) -> std::io::Result<usize> {
    if let Some(dir) = gold {
        std::fs::create_dir_all(dir)?;
    }
    let mut n = 0;
    for a in generate(cfg) {
        out.write_all(a.document.to_line().as_bytes())?;
        out.write_all(b"\n")?;
        if let Some(dir) = gold {
            std::fs::write(dir.join(format!("{}.txt", a.document.id)), &a.document.text)?;
            std::fs::write(dir.join(format!("{}.facts", a.document.id)), &a.gold_facts)?;
        }
        n += 1;
    }
    out.flush()?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(articles: usize, seed: u64) -> Vec<String> {
        generate(&CorpusConfig { articles, seed })
            .map(|a| a.document.to_line())
            .collect()
    }

    /// Large corpora want more proposals than there are distinct names;
    /// the generator must still finish, with every article.
    #[test]
    fn a_large_corpus_is_generated_in_full_and_deterministically() {
        let a = lines(5000, 3);
        assert_eq!(a.len(), 5000);
        assert!(a == lines(5000, 3), "the same seed gave another corpus");
        assert!(a != lines(5000, 4), "another seed gave the same corpus");
    }
}
