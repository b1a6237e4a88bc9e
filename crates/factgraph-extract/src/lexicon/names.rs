//! Given names, from public data (`lexicons/given_names.txt`: the US Social
//! Security Administration's baby names and the 1990 US Census first names,
//! both public domain) and a short hand supplement of international names
//! that list lacks (`lexicons/given_names_supplement.txt`). `lexicons/SOURCES.md`
//! says how to regenerate them. A capitalised run that starts with one is a
//! person's name unless something better is known about it.

use std::sync::OnceLock;

const GIVEN_NAMES: &str = include_str!("../../lexicons/given_names.txt");
const GIVEN_NAMES_SUPPLEMENT: &str = include_str!("../../lexicons/given_names_supplement.txt");

/// The word with its Latin diacritics removed and in lower case: the form
/// the name list is searched in, so "Tomás" finds "Tomas".
pub fn fold(word: &str) -> String {
    word.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
            'ç' | 'ć' | 'č' => 'c',
            'ď' | 'đ' => 'd',
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
            'ğ' => 'g',
            'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' => 'i',
            'ł' | 'ľ' => 'l',
            'ñ' | 'ń' | 'ň' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
            'ř' => 'r',
            'ś' | 'š' | 'ş' | 'ș' => 's',
            'ť' | 'ț' | 'ţ' => 't',
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
            'ý' | 'ÿ' => 'y',
            'ź' | 'ż' | 'ž' => 'z',
            other => other,
        })
        .collect()
}

fn given_names() -> &'static [String] {
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names: Vec<String> = [GIVEN_NAMES, GIVEN_NAMES_SUPPLEMENT]
            .iter()
            .flat_map(|text| text.lines())
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .map(fold)
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    })
}

/// Whether `word` is a given name ("Ingrid", "Tomás"); for a hyphenated
/// one ("Jean-Pierre") its first part decides.
pub fn is_given_name(word: &str) -> bool {
    let names = given_names();
    let folded = fold(word);
    let first = folded.split('-').next().unwrap_or("");
    names.binary_search(&folded).is_ok()
        || (!first.is_empty() && names.binary_search_by(|n| n.as_str().cmp(first)).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn given_names_come_from_the_lists_and_fold_diacritics() {
        for name in [
            "Ingrid",
            "Donald",
            "Tomás",
            "Volodymyr",
            "Jean-Pierre",
            "MARK",
        ] {
            assert!(is_given_name(name), "{name}");
        }
        for word in [
            "Commerzbank",
            "Train",
            "Managing",
            "Social",
            "Ayatollah",
            "Sea",
        ] {
            assert!(!is_given_name(word), "{word}");
        }
        assert!(given_names().len() > 30_000);
    }
}
