//! Tokens with character offsets.
//!
//! A token is a word, a number, a dotted acronym ("U.S."), an initial or
//! abbreviation with its period ("J.", "Gen."), a possessive ending ("’s",
//! or "’" after a plural) or one punctuation character. Hyphens split words
//! ("U.S.-backed" is "U.S.", "-", "backed"), and `space_before` says whether
//! white space separates a token from the previous one, so that hyphenated
//! compounds can be put back together.

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Letters, possibly with an inner apostrophe ("don't", "O'Brien").
    Word,
    /// Digits, possibly with inner `,` or `.`.
    Number,
    /// A dotted acronym ("U.S."), an initial ("J.") or an abbreviation ("Gen.").
    Dotted,
    /// "’s", "'s", or a lone "’" closing a plural possessive.
    Possessive,
    /// Any other single character.
    Punct,
}

/// One token of a sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// The text as written.
    pub text: String,
    /// Lower case, with typographic apostrophes made straight.
    pub lower: String,
    /// First character, counted from the start of the document.
    pub start: u32,
    /// One past the last character.
    pub end: u32,
    /// What the token is.
    pub kind: Kind,
    /// Whether white space comes before it.
    pub space_before: bool,
}

impl Token {
    /// Whether the token starts with an upper-case letter.
    pub fn is_capitalised(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_uppercase)
    }
}

/// Abbreviations that keep their period (compared in lower case, without it).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sgt", "adm", "sen", "rep",
    "gov", "st", "jr", "sr", "corp", "inc", "ltd", "co", "no", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "p.m", "a.m",
];

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

fn lower(text: &str) -> String {
    text.to_lowercase().replace('’', "'")
}

/// Splits `chars[start..end]` into tokens; offsets are absolute.
pub fn tokenize(chars: &[char], start: usize, end: usize) -> Vec<Token> {
    let mut out = Vec::new();
    let mut i = start;
    let mut space = false;
    while i < end {
        let c = chars[i];
        if c.is_whitespace() {
            space = true;
            i += 1;
            continue;
        }
        let (j, kind) = scan(chars, i, end);
        let text: String = chars[i..j].iter().collect();
        out.push(Token {
            lower: lower(&text),
            text,
            start: i as u32,
            end: j as u32,
            kind,
            space_before: space || out.is_empty(),
        });
        space = false;
        i = j;
    }
    out
}

/// The end of the token starting at `i`, and its kind.
fn scan(chars: &[char], i: usize, end: usize) -> (usize, Kind) {
    let c = chars[i];
    let at = |k: usize| if k < end { Some(chars[k]) } else { None };
    if is_apostrophe(c) {
        let prev_letter = i > 0 && chars[i - 1].is_alphabetic();
        if prev_letter
            && matches!(at(i + 1), Some('s' | 'S'))
            && !at(i + 2).is_some_and(char::is_alphanumeric)
        {
            return (i + 2, Kind::Possessive);
        }
        if prev_letter
            && matches!(chars[i - 1], 's' | 'S')
            && !at(i + 1).is_some_and(char::is_alphanumeric)
        {
            return (i + 1, Kind::Possessive);
        }
        return (i + 1, Kind::Punct);
    }
    if c.is_ascii_digit() {
        let mut j = i + 1;
        while j < end {
            let d = chars[j];
            if d.is_ascii_digit()
                || (matches!(d, ',' | '.') && at(j + 1).is_some_and(|n| n.is_ascii_digit()))
            {
                j += 1;
            } else {
                break;
            }
        }
        // "20th", "1st": an ordinal is one word, an adjective like "fifth".
        let suffix: String = (j..(j + 2).min(end))
            .map(|k| chars[k].to_ascii_lowercase())
            .collect();
        if matches!(suffix.as_str(), "st" | "nd" | "rd" | "th")
            && !at(j + 2).is_some_and(char::is_alphanumeric)
        {
            return (j + 2, Kind::Word);
        }
        return (j, Kind::Number);
    }
    if !c.is_alphabetic() {
        return (i + 1, Kind::Punct);
    }
    // Dotted acronym: letter '.' letter '.' ...
    if c.is_uppercase()
        && at(i + 1) == Some('.')
        && at(i + 2).is_some_and(char::is_uppercase)
        && at(i + 3) == Some('.')
    {
        let mut j = i;
        while at(j).is_some_and(char::is_alphabetic) && at(j + 1) == Some('.') {
            j += 2;
        }
        return (j, Kind::Dotted);
    }
    let mut j = i + 1;
    while j < end {
        let d = chars[j];
        // An apostrophe stays inside a word ("don't") unless it starts a possessive "'s".
        let possessive =
            matches!(at(j + 1), Some('s' | 'S')) && !at(j + 2).is_some_and(char::is_alphanumeric);
        let inner_apostrophe =
            is_apostrophe(d) && at(j + 1).is_some_and(char::is_alphabetic) && !possessive;
        if d.is_alphabetic() || d.is_ascii_digit() || inner_apostrophe {
            j += 1;
        } else {
            break;
        }
    }
    if at(j) == Some('.') {
        let word: String = chars[i..j].iter().collect::<String>().to_lowercase();
        let initial = j == i + 1 && c.is_uppercase();
        if initial || ABBREVIATIONS.contains(&word.as_str()) {
            return (j + 1, Kind::Dotted);
        }
    }
    (j, Kind::Word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        let chars: Vec<char> = s.chars().collect();
        tokenize(&chars, 0, chars.len())
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    #[test]
    fn acronyms_possessives_and_hyphens() {
        assert_eq!(
            texts("a U.S.-backed plan, Russia’s top diplomat and farmers’ groups"),
            vec![
                "a", "U.S.", "-", "backed", "plan", ",", "Russia", "’s", "top", "diplomat", "and",
                "farmers", "’", "groups"
            ]
        );
        assert_eq!(
            texts("Gen. J. R. Doe paid $4.2 billion"),
            vec!["Gen.", "J.", "R.", "Doe", "paid", "$", "4.2", "billion"]
        );
        assert_eq!(
            texts("don't O'Brien 21,000."),
            vec!["don't", "O'Brien", "21,000", "."]
        );
    }

    #[test]
    fn offsets_and_spacing() {
        let chars: Vec<char> = "“Ünï” 28-Point".chars().collect();
        let t = tokenize(&chars, 0, chars.len());
        assert_eq!((t[1].start, t[1].end), (1, 4));
        assert!(!t[4].space_before && t[3].space_before);
        assert_eq!(t[1].lower, "ünï");
    }
}
