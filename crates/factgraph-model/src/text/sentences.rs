//! Sentence splitting that survives abbreviations, initials and quotes.
//!
//! News text puts periods inside names ("U.S. Army Secretary", "Gen. Smith")
//! and closing quotes after a sentence's final period, so a split on `. ` is
//! wrong both ways. The rules here are deterministic and explainable.

/// A half-open range of character (Unicode scalar) offsets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CharSpan {
    /// First character.
    pub start: u32,
    /// One past the last character.
    pub end: u32,
}

/// Words after which a period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sgt", "adm", "cmdr",
    "sen", "rep", "gov", "pres", "rev", "st", "jr", "sr", "inc", "corp", "co", "ltd", "no", "vs",
    "etc", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "approx", "dept", "est", "fig", "mt", "ft",
];

/// Abbreviations and acronyms that often end a sentence ("...drafted by
/// the U.S. It was..."): they end one when the next word is a common
/// sentence opener. Titles such as "Gen." or "Mr." never do.
const FINAL_ABBREVIATIONS: &[&str] = &[
    "inc", "corp", "co", "ltd", "jr", "sr", "etc", "u.s", "u.k", "u.n", "e.u", "d.c", "u.s.a",
];

/// Words that start sentences and rarely follow an abbreviation inside one.
const SENTENCE_OPENERS: &[&str] = &[
    "The",
    "A",
    "An",
    "It",
    "Its",
    "He",
    "She",
    "They",
    "We",
    "I",
    "This",
    "That",
    "These",
    "Those",
    "But",
    "And",
    "In",
    "On",
    "At",
    "As",
    "If",
    "When",
    "While",
    "After",
    "Before",
    "There",
    "Their",
    "His",
    "Her",
    "Our",
    "However",
    "Meanwhile",
    "Still",
    "Yet",
    "So",
    "Some",
    "Many",
    "Most",
    "Both",
    "All",
    "No",
];

const CLOSERS: &[char] = &['"', '\'', '”', '’', ')', ']', '»'];
const OPENERS: &[char] = &['"', '\'', '“', '‘', '(', '[', '«'];

/// Splits `text` into sentences, returning their character spans with
/// surrounding whitespace trimmed. A line break always ends a sentence;
/// `.`, `!` and `?` end one when followed by white space and a capital
/// letter, digit or opening quote, unless the period closes an abbreviation,
/// an initial or a dotted acronym such as `U.S.`.
pub fn split_sentences(text: &str) -> Vec<CharSpan> {
    let chars: Vec<char> = text.chars().collect();
    let mut spans = Vec::new();
    let mut start = 0usize;
    let mut i = 0usize;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            push_trimmed(&chars, start, i, &mut spans);
            start = i + 1;
        } else if matches!(c, '.' | '!' | '?' | '…') {
            let mut end = i + 1;
            while end < chars.len() && (CLOSERS.contains(&chars[end]) || chars[end] == '.') {
                end += 1;
            }
            if ends_sentence(&chars, i, end) {
                push_trimmed(&chars, start, end, &mut spans);
                start = end;
                i = end;
                continue;
            }
        }
        i += 1;
    }
    push_trimmed(&chars, start, chars.len(), &mut spans);
    spans
}

fn ends_sentence(chars: &[char], mark: usize, after: usize) -> bool {
    // What follows: end of text, or spaces then a sentence opener.
    let mut j = after;
    let mut saw_space = false;
    while j < chars.len() && chars[j].is_whitespace() && chars[j] != '\n' {
        saw_space = true;
        j += 1;
    }
    if j < chars.len() && chars[j] != '\n' {
        let next = chars[j];
        if !saw_space || !(next.is_uppercase() || next.is_ascii_digit() || OPENERS.contains(&next))
        {
            return false;
        }
    }
    if chars[mark] != '.' {
        return true;
    }
    // The word the period closes.
    let mut k = mark;
    while k > 0 && !chars[k - 1].is_whitespace() && !OPENERS.contains(&chars[k - 1]) {
        k -= 1;
    }
    let word: String = chars[k..mark].iter().collect();
    let letters = word.trim_matches(|c: char| !c.is_alphanumeric());
    if letters.is_empty() {
        return true;
    }
    let is_initial = letters.chars().count() == 1 && letters.chars().all(char::is_uppercase);
    let is_dotted_acronym =
        letters.contains('.') && letters.split('.').all(|p| p.chars().count() <= 2);
    let is_abbreviation = ABBREVIATIONS.contains(&letters.to_lowercase().as_str());
    // A dotted acronym at the very end of a line or text still ends the sentence.
    let at_end = j >= chars.len() || chars[j] == '\n';
    // "...drafted by the U.S. It was": a final abbreviation before an opener.
    let next_word: String = chars[j.min(chars.len())..]
        .iter()
        .take_while(|c| c.is_alphabetic())
        .collect();
    let final_abbreviation = FINAL_ABBREVIATIONS.contains(&letters.to_lowercase().as_str())
        && SENTENCE_OPENERS.contains(&next_word.as_str());
    at_end || final_abbreviation || !(is_initial || is_dotted_acronym || is_abbreviation)
}

fn push_trimmed(chars: &[char], mut start: usize, mut end: usize, spans: &mut Vec<CharSpan>) {
    while start < end && chars[start].is_whitespace() {
        start += 1;
    }
    while end > start && chars[end - 1].is_whitespace() {
        end -= 1;
    }
    if start < end {
        spans.push(CharSpan {
            start: start as u32,
            end: end as u32,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        split_sentences(text)
            .iter()
            .map(|s| chars[s.start as usize..s.end as usize].iter().collect())
            .collect()
    }

    #[test]
    fn keeps_abbreviations_initials_and_acronyms_inside() {
        assert_eq!(
            texts("U.S. Army Secretary Dan Driscoll met Gen. Smith. J. R. Doe agreed. It ended."),
            vec![
                "U.S. Army Secretary Dan Driscoll met Gen. Smith.",
                "J. R. Doe agreed.",
                "It ended."
            ]
        );
    }

    #[test]
    fn final_abbreviations_end_a_sentence_before_an_opener() {
        assert_eq!(
            texts("The plan was drafted by the U.S. It was revised. Vestra Metals Inc. The deal closed."),
            vec!["The plan was drafted by the U.S.", "It was revised.", "Vestra Metals Inc.", "The deal closed."]
        );
        assert_eq!(
            texts(
                "U.S. Army Secretary Dan Driscoll spoke. Acme Corp. Chief Executive Jo Li agreed."
            ),
            vec![
                "U.S. Army Secretary Dan Driscoll spoke.",
                "Acme Corp. Chief Executive Jo Li agreed."
            ]
        );
        assert_eq!(
            texts("Gen. The Hague is a title? No."),
            vec!["Gen. The Hague is a title?", "No."]
        );
    }

    #[test]
    fn closing_quotes_stay_with_their_sentence() {
        assert_eq!(
            texts("“It is final,” Trump wrote. “I look forward to it.” Then he left."),
            vec![
                "“It is final,” Trump wrote.",
                "“I look forward to it.”",
                "Then he left."
            ]
        );
    }

    #[test]
    fn lines_and_lowercase_continuations() {
        assert_eq!(
            texts("First line without stop\nSecond one. see lowercase. Third?  Yes!"),
            vec![
                "First line without stop",
                "Second one. see lowercase.",
                "Third?",
                "Yes!"
            ]
        );
        assert!(split_sentences("   \n\n ").is_empty());
    }

    #[test]
    fn offsets_count_characters_not_bytes() {
        let spans = split_sentences("“Ünïcode” is fine. Next.");
        assert_eq!(spans[1], CharSpan { start: 19, end: 24 });
    }
}
