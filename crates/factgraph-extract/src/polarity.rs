//! Which way a position points: `support`, `oppose`, `mixed` or `neutral`.
//!
//! A stance stated by a verb ("backs", "rejects") takes the polarity the
//! table [`lx::STANCE_POLARITY`] gives its canonical form, flipped when the
//! stance is negated ("does not accept", "refuses to back"), and `mixed`
//! when the sentence goes on with "but" and cues of the other way
//! ("welcomed the package but said it did not go far enough"). A position
//! taken by reported speech ("X said the plan would hurt farmers") takes the
//! polarity of the cue words of what is said ([`lx::POLARITY_CUES`]), each
//! flipped by a negation just before it: cues of one way make it that way,
//! cues of both ways make it `mixed`, none make it `neutral`.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::lexicon as lx;
use super::tokens::Token;

/// A position's polarity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Polarity {
    /// backs, welcomes, agrees, calls for ...
    Support,
    /// rejects, criticizes, has reservations, vetoes ...
    Oppose,
    /// both at once ("accepts but calls it painful")
    Mixed,
    /// takes a position that points neither way ("will study the plan")
    Neutral,
}

impl Polarity {
    /// The property value: `support`, `oppose`, `mixed` or `neutral`.
    pub fn as_str(self) -> &'static str {
        match self {
            Polarity::Support => "support",
            Polarity::Oppose => "oppose",
            Polarity::Mixed => "mixed",
            Polarity::Neutral => "neutral",
        }
    }

    fn flip(self) -> Polarity {
        match self {
            Polarity::Support => Polarity::Oppose,
            Polarity::Oppose => Polarity::Support,
            other => other,
        }
    }

    /// The polarity a property value names (`neutral` for anything else).
    pub fn parse(text: &str) -> Polarity {
        match text {
            "support" => Polarity::Support,
            "oppose" => Polarity::Oppose,
            "mixed" => Polarity::Mixed,
            _ => Polarity::Neutral,
        }
    }

    /// Both polarities together: the same one, or `mixed` when they differ
    /// (a neutral one adds nothing).
    pub fn and(self, other: Polarity) -> Polarity {
        match (self, other) {
            (a, Polarity::Neutral) => a,
            (Polarity::Neutral, b) => b,
            (a, b) if a == b => a,
            _ => Polarity::Mixed,
        }
    }
}

/// Negated forms of a canonical stance and what they negate: "does not
/// accept" negates "accept", "will not respect" negates "will respect".
const NEGATED_STANCE: &[(&str, &str)] = &[
    ("does not ", ""),
    ("do not ", ""),
    ("will not ", "will "),
    ("would not ", "will "),
    ("refuses to ", ""),
    ("not ", ""),
];

/// The polarity of a canonical stance ("backs", "does not accept"); `None`
/// when the table does not know it (speech verbs such as "says").
pub fn of_stance(stance: &str) -> Option<Polarity> {
    let (negated, base) = NEGATED_STANCE
        .iter()
        .find_map(|(p, keep)| {
            stance
                .strip_prefix(p)
                .map(|rest| (true, format!("{keep}{rest}")))
        })
        .unwrap_or((false, stance.to_string()));
    let base = base.trim();
    let found = lx::STANCE_POLARITY
        .iter()
        .find(|(s, _)| *s == base || stem(s) == stem(base) || base.starts_with(&format!("{s} ")))?;
    let p = Polarity::parse(found.1);
    Some(if negated { p.flip() } else { p })
}

/// The verb of a stance without its third-person ending: "accepts" and
/// "accept" compare alike.
fn stem(stance: &str) -> String {
    let (verb, rest) = stance.split_once(' ').unwrap_or((stance, ""));
    let verb = verb
        .strip_suffix("es")
        .filter(|v| v.ends_with("ss") || v.ends_with("sh") || v.ends_with("ch") || v.ends_with('x'))
        .or_else(|| verb.strip_suffix('s'))
        .unwrap_or(verb);
    format!("{verb} {rest}").trim().to_string()
}

/// Words that negate the cue after them within [`NEGATION_REACH`] words.
const NEGATIONS: &[&str] = &[
    "not",
    "no",
    "never",
    "cannot",
    "can't",
    "won't",
    "don't",
    "doesn't",
    "didn't",
    "isn't",
    "wasn't",
    "aren't",
    "wouldn't",
    "shouldn't",
    "refused",
    "refuses",
    "refuse",
    "declined",
    "declines",
    "nor",
    "neither",
    "without",
];
const NEGATION_REACH: usize = 3;

/// Cue phrases (as words) with their polarity, by first word.
type CueIndex = HashMap<&'static str, Vec<(Vec<&'static str>, Polarity)>>;

/// [`lx::POLARITY_CUES`] split into words, by first word, longest first;
/// built once (this runs for every position of every document).
fn cues_by_first_word() -> &'static CueIndex {
    static CUES: OnceLock<CueIndex> = OnceLock::new();
    CUES.get_or_init(|| {
        let mut by_first = CueIndex::new();
        for (cue, p) in lx::POLARITY_CUES {
            let words: Vec<&'static str> = cue.split(' ').collect();
            by_first
                .entry(words[0])
                .or_default()
                .push((words, Polarity::parse(p)));
        }
        for list in by_first.values_mut() {
            list.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
        }
        by_first
    })
}

/// The polarity of what a clause says, from its cue words (lower-case
/// tokens of the clause).
pub fn of_clause(words: &[&str]) -> Polarity {
    // "would neither block nor support the plan": a refusal to take sides.
    if words.contains(&"neither") && words.contains(&"nor") {
        return Polarity::Neutral;
    }
    let cues = cues_by_first_word();
    let mut found = Polarity::Neutral;
    let mut k = 0;
    while k < words.len() {
        let hit = cues.get(words[k]).and_then(|list| {
            list.iter().find_map(|(cue_words, p)| {
                (words.len() >= k + cue_words.len()
                    && words[k..k + cue_words.len()] == cue_words[..])
                    .then_some((cue_words.len(), *p))
            })
        });
        if let Some((len, p)) = hit {
            let negated = words[k.saturating_sub(NEGATION_REACH)..k]
                .iter()
                .any(|w| NEGATIONS.contains(w));
            found = found.and(if negated { p.flip() } else { p });
            k += len;
        } else {
            k += 1;
        }
    }
    found
}

/// The lower-case words of tokens `toks`.
pub fn words(toks: &[Token]) -> Vec<&str> {
    toks.iter().map(|t| t.lower.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stances_take_their_polarity_and_negation_flips_it() {
        for (stance, p) in [
            ("backs", Polarity::Support),
            ("calls for", Polarity::Support),
            ("welcomes", Polarity::Support),
            ("rejects", Polarity::Oppose),
            ("has reservations", Polarity::Oppose),
            ("votes against", Polarity::Oppose),
            ("does not accept", Polarity::Oppose),
            ("refuses to back", Polarity::Oppose),
            ("will not respect", Polarity::Oppose),
            ("abstains", Polarity::Neutral),
        ] {
            assert_eq!(of_stance(stance), Some(p), "{stance}");
        }
        assert_eq!(of_stance("says"), None);
    }

    #[test]
    fn what_is_said_takes_the_polarity_of_its_cues() {
        let said = |s: &str| of_clause(&s.split(' ').collect::<Vec<_>>());
        assert_eq!(
            said("the plan was a good basis for talks"),
            Polarity::Support
        );
        assert_eq!(said("the deal was unacceptable"), Polarity::Oppose);
        assert_eq!(
            said("his country would not support the plan"),
            Polarity::Oppose
        );
        assert_eq!(
            said("it would neither block nor support the plan"),
            Polarity::Neutral
        );
        assert_eq!(
            said("it welcomed the ruling but called it painful"),
            Polarity::Mixed
        );
        assert_eq!(said("talks would resume on monday"), Polarity::Neutral);
    }
}
