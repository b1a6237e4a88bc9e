//! The invented world a corpus is drawn from: its seeded PRNG, the name
//! tables, and the countries, office holders and proposals.

use crate::extract::lexicon::countries;

use super::CorpusConfig;

/// SplitMix64: small, fast, and the same everywhere.
pub(super) struct Rng(pub(super) u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    pub(super) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    pub(super) fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Countries the articles use, by their lexicon name (the lexicon gives
/// the demonym and capital, so text and extractor agree).
const COUNTRY_NAMES: &[&str] = &[
    "Norway",
    "Kenya",
    "Japan",
    "Canada",
    "France",
    "Germany",
    "Italy",
    "Spain",
    "Poland",
    "Sweden",
    "Brazil",
    "India",
    "Mexico",
    "Egypt",
    "Indonesia",
    "Australia",
    "Argentina",
    "Chile",
    "Greece",
    "Portugal",
    "Nigeria",
    "Vietnam",
    "Peru",
    "Finland",
];

const TITLES: &[&str] = &[
    "President",
    "Prime Minister",
    "Foreign Minister",
    "Trade Minister",
    "Finance Minister",
    "Energy Minister",
];

const FIRST_NAMES: &[(&str, bool)] = &[
    ("Ida", true),
    ("Samuel", false),
    ("Ruth", true),
    ("Kenji", false),
    ("Amara", true),
    ("Lucas", false),
    ("Elena", true),
    ("Mateo", false),
    ("Sofia", true),
    ("Daniel", false),
    ("Nadia", true),
    ("Victor", false),
    ("Leila", true),
    ("Tomas", false),
    ("Mira", true),
    ("Pavel", false),
    ("Hana", true),
    ("Oscar", false),
    ("Clara", true),
    ("Felix", false),
    ("Irene", true),
    ("Hugo", false),
    ("Alma", true),
    ("Rafael", false),
    ("Greta", true),
    ("Anton", false),
    ("Lina", true),
    ("Marek", false),
    ("Yara", true),
    ("Jonas", false),
];

const SYLLABLES: &[&str] = &[
    "vel", "mar", "tor", "des", "ka", "ro", "lin", "sa", "ben", "ost", "va", "gri", "mon", "del",
    "fer", "an", "ska", "lo", "ter", "quin", "bra", "no", "zel", "har", "pe", "dru",
];

const SURNAME_ENDINGS: &[&str] = &[
    "ski", "ra", "son", "ez", "ova", "elli", "berg", "ani", "os", "ardt",
];

const PROPOSAL_REGIONS: &[&str] = &[
    "Baltic", "Pacific", "Atlantic", "Sahel", "Andean", "Nordic", "Danube", "Arctic", "Mekong",
    "Aegean",
];

const PROPOSAL_TOPICS: &[&str] = &[
    "fisheries",
    "energy",
    "trade",
    "water",
    "climate",
    "transit",
];

pub(super) const QUOTES: &[&str] = &[
    "We had a frank conversation",
    "There is still a lot of work to do",
    "Nobody should expect miracles this week",
    "The details matter more than the headlines",
];

pub(super) const WEEKDAYS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];

pub(super) const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

#[derive(Clone, Debug)]
pub(super) struct Country {
    pub(super) name: &'static str,
    pub(super) demonym: &'static str,
    pub(super) capital: &'static str,
}

#[derive(Clone, Debug)]
pub(super) struct Person {
    pub(super) first: &'static str,
    pub(super) last: String,
    pub(super) female: bool,
    pub(super) country: usize,
    pub(super) title: &'static str,
}

impl Person {
    pub(super) fn full(&self) -> String {
        format!("{} {}", self.first, self.last)
    }
    pub(super) fn pronoun(&self) -> &'static str {
        if self.female {
            "She"
        } else {
            "He"
        }
    }
}

#[derive(Clone, Debug)]
pub(super) struct Proposal {
    /// As written after "the": "Lisbon Accord".
    pub(super) name: String,
    /// The definite reference: "accord", "plan".
    pub(super) noun: &'static str,
}

pub(super) struct World {
    pub(super) countries: Vec<Country>,
    pub(super) people: Vec<Person>,
    pub(super) proposals: Vec<Proposal>,
}

pub(super) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

pub(super) fn world(cfg: &CorpusConfig, rng: &mut Rng) -> World {
    let countries: Vec<Country> = COUNTRY_NAMES
        .iter()
        .filter_map(|name| {
            let row = countries().iter().find(|r| r.0 == *name)?;
            Some(Country {
                name: row.0,
                demonym: row.2.first()?,
                capital: row.3.first()?,
            })
        })
        .collect();
    let people_wanted = (cfg.articles / 5).clamp(30, countries.len() * TITLES.len());
    // Every office is held by at most one person, and surnames are unique:
    // the gold would otherwise need a reader's judgement the text does not give.
    let mut offices: Vec<(usize, &'static str)> = (0..countries.len())
        .flat_map(|c| TITLES.iter().map(move |t| (c, *t)))
        .collect();
    let mut surnames = std::collections::BTreeSet::new();
    let mut people = Vec::new();
    while people.len() < people_wanted && !offices.is_empty() {
        let (country, title) = offices.swap_remove(rng.below(offices.len()));
        let last = loop {
            let mut s = String::new();
            for _ in 0..1 + rng.below(2) {
                s.push_str(rng.pick::<&str>(SYLLABLES));
            }
            s.push_str(rng.pick::<&str>(SURNAME_ENDINGS));
            let s = capitalise(&s);
            if surnames.insert(s.clone()) {
                break s;
            }
        };
        let (first, female) = *rng.pick(FIRST_NAMES);
        people.push(Person {
            first,
            last,
            female,
            country,
            title,
        });
    }
    let mut proposals = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let wanted = (cfg.articles / 20).clamp(8, 200);
    // There are only so many distinct names: stop trying after a while.
    for _ in 0..wanted * 50 {
        if proposals.len() >= wanted {
            break;
        }
        let p = if rng.chance(50) {
            let city = rng.pick(&countries).capital;
            let (kind, noun) = *rng.pick(&[
                ("Accord", "accord"),
                ("Declaration", "declaration"),
                ("Framework Agreement", "agreement"),
            ]);
            Proposal {
                name: format!("{city} {kind}"),
                noun,
            }
        } else {
            Proposal {
                name: format!(
                    "{} {} plan",
                    rng.pick(PROPOSAL_REGIONS),
                    rng.pick(PROPOSAL_TOPICS)
                ),
                noun: "plan",
            }
        };
        if seen.insert(p.name.clone()) {
            proposals.push(p);
        }
    }
    World {
        countries,
        people,
        proposals,
    }
}
