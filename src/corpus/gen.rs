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

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::extract::jsonl::CorpusDocument;
use crate::extract::lexicon::countries;
use crate::model::Date;
use crate::text::split_sentences;

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

/// SplitMix64: small, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
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

const QUOTES: &[&str] = &[
    "We had a frank conversation",
    "There is still a lot of work to do",
    "Nobody should expect miracles this week",
    "The details matter more than the headlines",
];

const WEEKDAYS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];

const MONTHS: &[&str] = &[
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
struct Country {
    name: &'static str,
    demonym: &'static str,
    capital: &'static str,
}

#[derive(Clone, Debug)]
struct Person {
    first: &'static str,
    last: String,
    female: bool,
    country: usize,
    title: &'static str,
}

impl Person {
    fn full(&self) -> String {
        format!("{} {}", self.first, self.last)
    }
    fn pronoun(&self) -> &'static str {
        if self.female {
            "She"
        } else {
            "He"
        }
    }
}

#[derive(Clone, Debug)]
struct Proposal {
    /// As written after "the": "Lisbon Accord".
    name: String,
    /// The definite reference: "accord", "plan".
    noun: &'static str,
}

struct World {
    countries: Vec<Country>,
    people: Vec<Person>,
    proposals: Vec<Proposal>,
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn world(cfg: &CorpusConfig, rng: &mut Rng) -> World {
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

/// A gold entity: label, properties in facts notation, and its mentions
/// as (generated sentence, quote).
struct GoldEnt {
    label: &'static str,
    name: String,
    extra: Vec<(String, String)>,
    aliases: Vec<String>,
    demonyms: Vec<String>,
    mentions: Vec<(usize, String)>,
}

/// A gold relationship: start handle, type, end handle, quotes by sentence.
type GoldRel = (String, &'static str, String, Vec<(usize, String)>);

/// An article being written: its sentences and gold facts.
#[derive(Default)]
struct Writer {
    sents: Vec<String>,
    ents: BTreeMap<String, GoldEnt>,
    order: Vec<String>,
    rels: Vec<GoldRel>,
    positions: usize,
}

impl Writer {
    fn sentence(&mut self, s: String) -> usize {
        self.sents.push(s);
        self.sents.len() - 1
    }
    fn ent(&mut self, handle: &str, label: &'static str, name: &str) -> String {
        if !self.ents.contains_key(handle) {
            self.order.push(handle.to_string());
            self.ents.insert(
                handle.to_string(),
                GoldEnt {
                    label,
                    name: name.to_string(),
                    extra: Vec::new(),
                    aliases: Vec::new(),
                    demonyms: Vec::new(),
                    mentions: Vec::new(),
                },
            );
        }
        handle.to_string()
    }
    fn mention(&mut self, handle: &str, s: usize, quote: &str) {
        if let Some(e) = self.ents.get_mut(handle) {
            e.mentions.push((s, quote.to_string()));
            if quote != e.name && e.label == "Person" && !e.aliases.iter().any(|a| a == quote) {
                e.aliases.push(quote.to_string());
            }
        }
    }
    fn rel(&mut self, from: &str, t: &'static str, to: &str, s: usize, quote: &str) {
        self.rels.push((
            from.to_string(),
            t,
            to.to_string(),
            vec![(s, quote.to_string())],
        ));
    }
    fn country(&mut self, w: &World, c: usize, s: usize, quote: &str) -> String {
        let country = &w.countries[c];
        let h = self.ent(&handle(country.name), "Country", country.name);
        if quote == country.demonym {
            if let Some(e) = self.ents.get_mut(&h) {
                if !e.demonyms.iter().any(|d| d == quote) {
                    e.demonyms.push(quote.to_string());
                }
            }
        }
        self.mention(&h, s, quote);
        h
    }
    fn city(&mut self, name: &str, s: usize) -> String {
        let h = self.ent(&handle(name), "City", name);
        self.mention(&h, s, name);
        h
    }
    /// A person with the office they hold, as stated in sentence `s`.
    fn holder(
        &mut self,
        w: &World,
        p: usize,
        s: usize,
        name_quote: &str,
        country_quote: &str,
        span: &str,
    ) -> String {
        let person = &w.people[p];
        let country = &w.countries[person.country];
        let h = self.ent(&handle(&person.full()), "Person", &person.full());
        self.mention(&h, s, name_quote);
        let c = self.country(w, person.country, s, country_quote);
        let role_name = format!("{} of {}", person.title, country.name);
        let r = self.ent(&handle(&role_name), "Role", &role_name);
        if let Some(e) = self.ents.get_mut(&r) {
            if e.extra.is_empty() {
                e.extra.push(("title".into(), quoted(person.title)));
            }
        }
        if !self.rels.iter().any(|x| x.0 == h && x.1 == "HOLDS") {
            self.rel(&h, "HOLDS", &r, s, span);
            self.rel(&r, "ROLE_OF", &c, s, span);
        }
        h
    }
    fn person(&mut self, w: &World, p: usize, s: usize, quote: &str) -> String {
        let h = handle(&w.people[p].full());
        self.mention(&h, s, quote);
        h
    }
    fn proposal(&mut self, pr: &Proposal, s: usize, quote: &str) -> String {
        let h = self.ent(&handle(&pr.name), "Proposal", &pr.name);
        if quote != pr.name {
            if let Some(e) = self.ents.get_mut(&h) {
                if !e.aliases.iter().any(|a| a == quote) {
                    e.aliases.push(quote.to_string());
                }
            }
        }
        self.mention(&h, s, quote);
        h
    }
    fn stance(&mut self, actor: &str, stance: &str, target: &str, s: usize, quote: &str) {
        self.positions += 1;
        let h = format!("pos_{}", self.positions);
        self.ent(&h, "Position", "");
        if let Some(e) = self.ents.get_mut(&h) {
            e.extra.push(("stance".into(), quoted(stance)));
        }
        self.rel(actor, "TAKES", &h, s, quote);
        self.rel(&h, "ON", target, s, quote);
    }
}

fn handle(name: &str) -> String {
    crate::extract::jsonl::name_slug(name)
}

fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Picks `n` different people.
fn cast(rng: &mut Rng, w: &World, n: usize) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    while out.len() < n.min(w.people.len()) {
        let p = rng.below(w.people.len());
        if !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

fn article(rng: &mut Rng, w: &World, index: usize) -> GeneratedArticle {
    let id = format!("art_{index:06}");
    let year = 2024 + rng.below(2) as i32;
    let month = 1 + rng.below(12) as u8;
    let day = 1 + rng.below(28) as u8;
    let date = Date::parse(&format!("{year:04}-{month:02}-{day:02}")).ok();
    let pr = rng.pick(&w.proposals).clone();
    let the_p = format!("the {}", pr.name);
    let the_ref = format!("the {}", pr.noun);
    let people = cast(rng, w, 3);
    let (a, b, c) = (people[0], people[1], people[2]);
    let pa = &w.people[a];
    let pb = &w.people[b];
    let pc = &w.people[c];
    let (ca, cb, cc) = (
        &w.countries[pa.country],
        &w.countries[pb.country],
        &w.countries[pc.country],
    );
    let mut wr = Writer::default();

    // Lead: who, in which office, stands where on the proposal.
    let day_name = *rng.pick(WEEKDAYS);
    let stance_a = match rng.below(3) {
        0 => {
            let span = format!("{} {} {}", ca.demonym, pa.title, pa.full());
            let s = wr.sentence(format!("{span} backed {the_p} on {day_name}."));
            let h = wr.holder(w, a, s, &pa.full(), ca.demonym, &span);
            let p = wr.proposal(&pr, s, &pr.name);
            wr.stance(&h, "backs", &p, s, &format!("{} backed {the_p}", pa.full()));
            "backs"
        }
        1 => {
            let span = format!("{}, the {} of {}", pa.full(), pa.title, ca.name);
            let s = wr.sentence(format!("{span}, rejected {the_p} on {day_name}."));
            let h = wr.holder(w, a, s, &pa.full(), ca.name, &span);
            let p = wr.proposal(&pr, s, &pr.name);
            wr.stance(&h, "rejects", &p, s, &format!("rejected {the_p}"));
            "rejects"
        }
        _ => {
            let span = format!("{}'s {}, {}", ca.name, pa.title.to_lowercase(), pa.full());
            let s = wr.sentence(format!("{span}, expressed reservations about {the_p}."));
            let h = wr.holder(w, a, s, &pa.full(), ca.name, &span);
            let p = wr.proposal(&pr, s, &pr.name);
            wr.stance(&h, "has reservations", &p, s, "expressed reservations");
            "has reservations about"
        }
    };
    let ha = handle(&pa.full());
    // A meeting, held or planned.
    let hb = match rng.below(3) {
        0 => {
            let span = format!("{} {} {}", cb.demonym, pb.title, pb.full());
            let day_name = *rng.pick(WEEKDAYS);
            let s = wr.sentence(format!(
                "{} met with {span} in {} on {day_name}.",
                pa.last, cb.capital
            ));
            wr.person(w, a, s, &pa.last);
            let hb = wr.holder(w, b, s, &pb.full(), cb.demonym, &span);
            wr.city(cb.capital, s);
            wr.rel(
                &ha,
                "MEETS",
                &hb,
                s,
                &format!("{} met with {span}", pa.last),
            );
            hb
        }
        1 => {
            let span = format!("{}, the {} of {}", pb.full(), pb.title, cb.name);
            let s = wr.sentence(format!(
                "{} will travel to {} to meet with {span}.",
                pa.last, cb.capital
            ));
            wr.person(w, a, s, &pa.last);
            let hb = wr.holder(w, b, s, &pb.full(), cb.name, &span);
            let city = wr.city(cb.capital, s);
            wr.rel(
                &ha,
                "TRAVELS_TO",
                &city,
                s,
                &format!("{} will travel to {}", pa.last, cb.capital),
            );
            wr.rel(
                &ha,
                "WILL_MEET",
                &hb,
                s,
                &format!("to meet with {}", pb.full()),
            );
            hb
        }
        _ => {
            let span = format!("{} {} {}", cb.demonym, pb.title, pb.full());
            let day_name = *rng.pick(WEEKDAYS);
            let s = wr.sentence(format!(
                "{span} met {} in {} on {day_name}.",
                pa.full(),
                ca.capital
            ));
            wr.person(w, a, s, &pa.full());
            let hb = wr.holder(w, b, s, &pb.full(), cb.demonym, &span);
            wr.city(ca.capital, s);
            wr.rel(
                &hb,
                "MEETS",
                &ha,
                s,
                &format!("{} met {}", pb.full(), pa.full()),
            );
            hb
        }
    };
    // A quote, attributed by surname.
    let quote = *rng.pick(QUOTES);
    let s = match rng.below(3) {
        0 => wr.sentence(format!("“{quote},” {} told reporters.", pa.last)),
        1 => wr.sentence(format!("“{quote},” said {}.", pa.last)),
        _ => wr.sentence(format!("{} told reporters: “{quote}.”", pa.last)),
    };
    wr.person(w, a, s, &pa.last);
    // The second person's stance, by surname or through the country.
    let s_b = {
        let (verb, stance, by_country) = *rng.pick(&[
            ("criticised", "criticizes", false),
            ("tentatively agreed to", "tentatively agrees", false),
            ("expressed reservations about", "has reservations", false),
            ("rejected", "rejects", true),
            ("backed", "backs", true),
        ]);
        let target = if rng.chance(50) { &the_ref } else { &the_p };
        let subject = if by_country {
            cb.name
        } else {
            pb.last.as_str()
        };
        let s = wr.sentence(format!("{subject} {verb} {target}."));
        let actor = if by_country {
            wr.country(w, pb.country, s, cb.name)
        } else {
            wr.person(w, b, s, &pb.last)
        };
        let quote_p = target.strip_prefix("the ").unwrap_or(target);
        let p = wr.proposal(&pr, s, if target == &the_ref { target } else { quote_p });
        wr.stance(&actor, stance, &p, s, &format!("{subject} {verb}"));
        (s, by_country)
    };
    // A pronoun for the second person, meeting a third.
    if !s_b.1 && rng.chance(70) {
        let span = format!("{} {} {}", cc.demonym, pc.title, pc.full());
        let s = wr.sentence(format!("{} later met with {span}.", pb.pronoun()));
        let hc = wr.holder(w, c, s, &pc.full(), cc.demonym, &span);
        wr.rel(
            &hb,
            "MEETS",
            &hc,
            s,
            &format!("{} later met with {span}", pb.pronoun()),
        );
        if rng.chance(50) {
            let s = wr.sentence(format!("{} backed {the_ref}.", pc.last));
            wr.person(w, c, s, &pc.last);
            let p = wr.proposal(&pr, s, &the_ref);
            wr.stance(&hc, "backs", &p, s, &format!("{} backed", pc.last));
        }
    }
    // Who drafted it.
    let drafter = rng.below(w.countries.len());
    let cd = w.countries[drafter].name;
    let (s, written) = match rng.below(2) {
        0 => {
            let r = capitalise(&the_ref);
            (wr.sentence(format!("{r} was drafted by {cd}.")), r)
        }
        _ => (
            wr.sentence(format!("{cd} drafted {the_ref}.")),
            the_ref.clone(),
        ),
    };
    let d = wr.country(w, drafter, s, cd);
    let p = wr.proposal(&pr, s, &written);
    wr.rel(&d, "DRAFTED", &p, s, "drafted");
    // When it was proposed.
    if rng.chance(60) {
        let month = *rng.pick(MONTHS);
        let year = 2019 + rng.below(5);
        let s = wr.sentence(format!(
            "{} was first proposed in {month} {year}.",
            capitalise(&the_ref)
        ));
        wr.proposal(&pr, s, &capitalise(&the_ref));
    }
    let title = format!("{} {} {}", pa.full(), stance_a, the_p);
    finish(wr, id, title, date)
}

/// Joins the sentences and writes the gold facts, numbering sentences as
/// the extractor's splitter does (a quote is cited from the sentence that
/// holds it).
fn finish(wr: Writer, id: String, title: String, date: Option<Date>) -> GeneratedArticle {
    let text = wr.sents.join(" ");
    let mut starts = Vec::new();
    let mut at = 0usize;
    for s in &wr.sents {
        starts.push(at);
        at += s.chars().count() + 1;
    }
    let chars: Vec<char> = text.chars().collect();
    let spans = split_sentences(&text);
    let cite = |s: usize, quote: &str| -> Option<String> {
        let (n, span) = spans
            .iter()
            .enumerate()
            .find(|(_, sp)| (sp.start as usize) <= starts[s] && starts[s] < sp.end as usize)?;
        let sentence: String = chars[span.start as usize..span.end as usize]
            .iter()
            .collect();
        sentence
            .contains(quote)
            .then(|| format!("@{} {}", n + 1, quoted(quote)))
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Generated by factgraph gen-corpus: gold facts of {id}."
    );
    let _ = write!(
        out,
        "document {id} {{file: {}, title: {}",
        quoted(&format!("{id}.txt")),
        quoted(&title)
    );
    if let Some(d) = date {
        let _ = write!(out, ", date: {d}");
    }
    out.push_str("}\n");
    for h in &wr.order {
        let e = &wr.ents[h];
        let mut props: Vec<String> = Vec::new();
        if e.label != "Position" {
            props.push(format!("name: {}", quoted(&e.name)));
        }
        if !e.aliases.is_empty() {
            let list: Vec<String> = e.aliases.iter().map(|a| quoted(a)).collect();
            props.push(format!("aliases: [{}]", list.join(", ")));
        }
        if !e.demonyms.is_empty() {
            let list: Vec<String> = e.demonyms.iter().map(|a| quoted(a)).collect();
            props.push(format!("demonyms: [{}]", list.join(", ")));
        }
        for (k, v) in &e.extra {
            props.push(format!("{k}: {v}"));
        }
        let _ = write!(out, "({h}:{} {{{}}})", e.label, props.join(", "));
        for (s, q) in &e.mentions {
            if let Some(c) = cite(*s, q) {
                let _ = write!(out, " {c}");
            }
        }
        out.push('\n');
    }
    for (from, t, to, quotes) in &wr.rels {
        let _ = write!(out, "({from})-[:{t}]->({to})");
        for (s, q) in quotes {
            if let Some(c) = cite(*s, q) {
                let _ = write!(out, " {c}");
            }
        }
        out.push('\n');
    }
    GeneratedArticle {
        document: CorpusDocument {
            id,
            text,
            title: Some(title),
            date,
            source: Some("factgraph gen-corpus".into()),
        },
        gold_facts: out,
    }
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
