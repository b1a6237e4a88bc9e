//! The extractor's knowledge of the world, as plain data tables.
//!
//! Every table is a list of rows; matching is case-insensitive unless a
//! comment says otherwise, and multi-word entries are matched longest first.
//! The places (countries, cities, regions) and given names are generated from
//! open data (`lexicons/`, see its `SOURCES.md`) and loaded by [`places`] and
//! `names`. To teach the extractor something new:
//!
//! - a country, city or region: a correction or supplement row in
//!   `lexicons/generate.py`, then run it (a country's capital becomes a city
//!   and a metonym for the government: "Oslo said ...");
//! - a title: `("Fisheries Minister", "{title} of {of}", Scope::Government)` in
//!   [`TITLES`] (`{of}` is the country or organization, `{title}` the title in
//!   title case); a policy area such as `"fisheries"` in [`MINISTRY_AREAS`] is
//!   enough for "Fisheries Minister" and "Minister of Fisheries"; a title that
//!   is also a common word ("head") is listed in [`CONTEXT_TITLES`] too, and read
//!   as a title only in "Its head, <Name>";
//! - an organization: `("Reuters", &[], "news agency")` in [`ORGANIZATIONS`];
//! - a word that ends a company or institution name ("Steel", "Bank") in
//!   [`ORG_SUFFIXES`];
//! - a noun for a collective ("officials"), a plan ("accord"), an event
//!   ("summit") or a stance verb ("endorsed") in the tables below.

mod names;
mod places;
mod stance_words;

pub use names::{fold, is_given_name};
pub use places::{cities, countries, regions, CountryRow, COUNTRIES_WITH_ARTICLE};
pub use stance_words::{POLARITY_CUES, SPEECH_VERBS, STANCE_NOUNS, STANCE_POLARITY, STANCE_VERBS};

/// Capitals that stand for something else when used as an actor.
#[rustfmt::skip]
pub const METONYMS: &[(&str, &str)] = &[("Brussels", "European Union")];

/// What a title belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// An office of a state ("President", "Foreign Minister").
    Government,
    /// A post in a company or institution ("chief executive", "chairman").
    Organization,
    /// Either ("commissioner", "spokesperson").
    Any,
    /// A personal post whose holder serves another person ("special envoy").
    Personal,
    /// A local office ("mayor"): its place is a city.
    Local,
}

/// `(title, role name template, scope)`. `{of}` is replaced by the country,
/// organization, person or city the role belongs to and `{title}` by the
/// title in title case. Matching ignores case.
#[rustfmt::skip]
pub const TITLES: &[(&str, &str, Scope)] = &[
    ("President", "{title} of {of}", Scope::Any),
    ("Vice President", "{title} of {of}", Scope::Any),
    ("Vice-President", "{title} of {of}", Scope::Any),
    ("Premier", "{title} of {of}", Scope::Government),
    ("Crown Prince", "{title} of {of}", Scope::Government),
    ("Prince", "{title} of {of}", Scope::Government),
    ("Emir", "{title} of {of}", Scope::Government),
    ("Sheikh", "{title} of {of}", Scope::Government),
    ("Minister-President", "{title} of {of}", Scope::Government),
    ("Vice-Chancellor", "{title} of {of}", Scope::Government),
    ("Vice Chancellor", "{title} of {of}", Scope::Government),
    ("Judge", "{title} of {of}", Scope::Any),
    ("Chief Justice", "{title} of {of}", Scope::Any),
    ("permanent representative", "{title} of {of}", Scope::Government),
    ("managing director", "{title} of {of}", Scope::Organization),
    ("director general", "{title} of {of}", Scope::Organization),
    ("foreign policy chief", "{title} of {of}", Scope::Any),
    ("central bank chief", "{title} of {of}", Scope::Government),
    ("co-leader", "{title} of {of}", Scope::Any),
    ("Prime Minister", "{title} of {of}", Scope::Government),
    ("Deputy Prime Minister", "{title} of {of}", Scope::Government),
    ("Chancellor", "{title} of {of}", Scope::Government),
    ("King", "{title} of {of}", Scope::Government),
    ("Queen", "{title} of {of}", Scope::Government),
    ("Foreign Minister", "{title} of {of}", Scope::Government),
    ("Secretary of State", "{of} Secretary of State", Scope::Government),
    ("Secretary of Defense", "{of} Secretary of Defense", Scope::Government),
    ("Defense Secretary", "{of} Secretary of Defense", Scope::Government),
    ("Secretary of the Army", "{of} Secretary of the Army", Scope::Government),
    ("Army Secretary", "{of} Secretary of the Army", Scope::Government),
    ("Secretary of the Treasury", "{of} Secretary of the Treasury", Scope::Government),
    ("Treasury Secretary", "{of} Secretary of the Treasury", Scope::Government),
    ("Commerce Secretary", "{of} Secretary of Commerce", Scope::Government),
    ("Trade Representative", "{of} Trade Representative", Scope::Government),
    ("Attorney General", "{of} Attorney General", Scope::Government),
    ("National Security Adviser", "{title} of {of}", Scope::Government),
    ("Foreign Secretary", "{title} of {of}", Scope::Government),
    ("Home Secretary", "{title} of {of}", Scope::Government),
    ("top diplomat", "{title} of {of}", Scope::Government),
    ("ambassador", "{title} of {of}", Scope::Government),
    ("Senator", "{title} of {of}", Scope::Government),
    ("Speaker", "{title} of {of}", Scope::Any),
    ("General", "{title} of {of}", Scope::Government),
    ("Gen.", "General of {of}", Scope::Government),
    ("army chief", "{title} of {of}", Scope::Government),
    ("special envoy", "{title} of {of}", Scope::Personal),
    ("envoy", "{title} of {of}", Scope::Personal),
    ("spokesperson", "{title} of {of}", Scope::Any),
    ("diplomat", "{title} of {of}", Scope::Government),
    ("delegate", "{title} of {of}", Scope::Any),
    ("chief negotiator", "{title} of {of}", Scope::Any),
    ("chargé d'affaires", "{title} of {of}", Scope::Government),
    ("executive director", "{title} of {of}", Scope::Organization),
    ("director-general", "{title} of {of}", Scope::Organization),
    ("spokesman", "{title} of {of}", Scope::Any),
    ("spokeswoman", "{title} of {of}", Scope::Any),
    ("commissioner", "{title} of {of}", Scope::Any),
    ("chief executive officer", "Chief executive of {of}", Scope::Organization),
    ("chief executive", "{title} of {of}", Scope::Organization),
    ("CEO", "Chief executive of {of}", Scope::Organization),
    ("chief financial officer", "{title} of {of}", Scope::Organization),
    ("chairman", "{title} of {of}", Scope::Organization),
    ("chairwoman", "{title} of {of}", Scope::Organization),
    ("chair", "{title} of {of}", Scope::Organization),
    ("founder", "{title} of {of}", Scope::Organization),
    ("co-founder", "{title} of {of}", Scope::Organization),
    ("director", "{title} of {of}", Scope::Organization),
    ("secretary-general", "{title} of {of}", Scope::Organization),
    ("secretary general", "{title} of {of}", Scope::Organization),
    ("general secretary", "{title} of {of}", Scope::Organization),
    ("opposition leader", "{title} of {of}", Scope::Government),
    ("official", "{title} of {of}", Scope::Any),
    ("coach", "{title} of {of}", Scope::Organization),
    ("head", "{title} of {of}", Scope::Organization),
    ("leader", "{title} of {of}", Scope::Any),
    ("mayor", "{title} of {of}", Scope::Local),
    ("governor", "{title} of {of}", Scope::Local),
];

/// Titles that are also common words ("head to Brussels", "the head of
/// state"): read as a title only after a possessive and before a comma,
/// as in "Its head, Rajesh Kumar,".
pub const CONTEXT_TITLES: &[&str] = &["head"];

/// Policy areas that make a title with "Minister", "Secretary" or
/// "Commissioner": "Trade Minister", "Minister of Trade", "trade commissioner".
#[rustfmt::skip]
pub const MINISTRY_AREAS: &[&str] = &[
    "trade", "foreign", "agriculture", "economy", "economic", "finance", "defence", "defense",
    "interior", "labour", "labor", "justice", "health", "energy", "education", "environment",
    "transport", "industry", "competition", "culture", "digital", "home", "climate", "sports",
    "sport", "tourism", "housing", "immigration", "fisheries", "communications", "infrastructure",
    "oil", "petroleum", "budget", "development", "security", "employment", "planning", "water",
    "mining", "mines", "science", "technology", "research", "commerce", "investment", "social",
    "family", "youth", "women", "information", "treasury", "european affairs", "europe",
];

/// Titles that state ownership rather than an office: the holder OWNS the organization.
#[rustfmt::skip]
pub const OWNER_TITLES: &[&str] = &["largest shareholder", "majority shareholder", "owner"];

/// Courtesy titles before a name; they name no office.
#[rustfmt::skip]
pub const HONORIFICS: &[&str] = &["Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "Sir", "Dame"];

/// Words that may qualify a title without changing it, with the status they give.
#[rustfmt::skip]
pub const TITLE_QUALIFIERS: &[(&str, Option<&str>)] = &[
    ("former", Some("former")),
    ("outgoing", Some("outgoing")),
    ("incoming", Some("incoming")),
    ("acting", Some("acting")),
    ("interim", Some("interim")),
    ("then", Some("former")),
    ("current", None),
    ("deputy", None),
];

/// `(name, other names, kind)`. Names keep their capitals.
#[rustfmt::skip]
pub const ORGANIZATIONS: &[(&str, &[&str], &str)] = &[
    ("European Union", &["EU", "E.U."], "supranational union"),
    ("European Commission", &["the Commission"], "executive of the European Union"),
    ("European Parliament", &[], "legislature"),
    ("United Nations", &["UN", "U.N."], "international organization"),
    ("NATO", &["North Atlantic Treaty Organization"], "military alliance"),
    ("Organization of American States", &["OAS"], "international organization"),
    ("Organization for Security and Co-operation in Europe", &[
            "OSCE", "Organization for Security and Cooperation in Europe", ], "international organization"),
    ("International Monetary Fund", &["IMF"], "international organization"),
    ("World Bank", &[], "international organization"),
    ("World Trade Organization", &["WTO"], "international organization"),
    ("Eurostat", &[], "statistics office"),
    ("Congress", &[], "legislature"),
    ("Senate", &[], "legislature"),
    ("Pentagon", &[], "defense department"),
    ("Kremlin", &[], "presidential administration"),
    ("White House", &[], "presidential administration"),
    ("Financial Times", &["FT"], "news outlet"),
    ("Reuters", &[], "news agency"),
    ("Associated Press", &["AP"], "news agency"),
    ("Bloomberg", &[], "news outlet"),
    ("Agence France-Presse", &["AFP"], "news agency"),
    ("New York Times", &[], "news outlet"),
    ("Washington Post", &[], "news outlet"),
    ("Wall Street Journal", &[], "news outlet"),
    ("BBC", &[], "news outlet"),
    ("CNN", &[], "news outlet"),
    ("Al Jazeera", &[], "news outlet"),
    ("Le Monde", &[], "news outlet"),
    ("Politico", &[], "news outlet"),
    ("Axios", &[], "news outlet"),
    ("Truth Social", &[], "social media platform"),
    ("Greenpeace", &[], "environmental group"),
    ("WWF", &["World Wide Fund for Nature"], "environmental group"),
    ("Amnesty International", &[], "human rights group"),
    ("Human Rights Watch", &[], "human rights group"),
    ("Oxfam", &[], "charity"),
    ("International Committee of the Red Cross", &["ICRC", "Red Cross"], "humanitarian organization"),
    ("Doctors Without Borders", &["MSF", "Médecins Sans Frontières"], "humanitarian organization"),
    ("World Health Organization", &["WHO"], "international organization"),
    ("International Atomic Energy Agency", &["IAEA"], "international organization"),
    ("European Central Bank", &["ECB"], "central bank"),
    ("Federal Reserve", &["the Fed"], "central bank"),
    ("African Union", &["AU"], "international organization"),
    ("Association of Southeast Asian Nations", &["ASEAN"], "international organization"),
    ("Group of Seven", &["G7"], "international forum"),
    ("Group of 20", &["G20"], "international forum"),
    ("Telegram", &[], "messaging platform"),
    ("Facebook", &[], "social media platform"),
    ("Morgan Stanley", &[], "bank"),
    ("Goldman Sachs", &[], "bank"),
    ("JPMorgan", &["JPMorgan Chase"], "bank"),
    ("Democratic Party", &["Democrats"], "political party"),
    ("Republican Party", &["Republicans", "GOP"], "political party"),
];

/// Last words of a capitalised name that make it an organization, with its kind.
#[rustfmt::skip]
pub const ORG_SUFFIXES: &[(&str, &str)] = &[
    ("Party", "political party"),
    ("Front", "political party"),
    ("Alliance", "political party"),
    ("Coalition", "political party"),
    ("Movement", "political party"),
    ("Democrats", "political party"),
    ("Republicans", "political party"),
    ("Greens", "political party"),
    ("Socialists", "political party"),
    ("Conservatives", "political party"),
    ("Liberals", "political party"),
    ("Union", "union"),
    ("Service", "public agency"),
    ("Agency", "public agency"),
    ("Commission", "public agency"),
    ("Office", "public agency"),
    ("Ministry", "ministry"),
    ("Department", "ministry"),
    ("Council", "council"),
    ("Committee", "committee"),
    ("Court", "court"),
    ("Parliament", "legislature"),
    ("Assembly", "legislature"),
    ("Bank", "bank"),
    ("Fund", "fund"),
    ("Institute", "institute"),
    ("University", "university"),
    ("Association", "association"),
    ("Federation", "association"),
    ("Organization", "organization"),
    ("Organisation", "organization"),
    ("Times", "news outlet"),
    ("Post", "news outlet"),
    ("Journal", "news outlet"),
    ("News", "news outlet"),
    ("Programme", "international organization"),
    ("Program", "public agency"),
    ("Securities", "company"),
    ("Capital", "company"),
    ("Partners", "company"),
    ("Investments", "company"),
    ("Insurance", "company"),
    ("Industries", "company"),
    ("Electronics", "company"),
    ("Chemicals", "company"),
    ("Airways", "company"),
    ("Shipping", "company"),
    ("Telecom", "company"),
    ("Petroleum", "company"),
    ("Mining", "company"),
    ("Foods", "company"),
    ("Media", "company"),
    ("Corp.", "company"),
    ("Corp", "company"),
    ("Corporation", "company"),
    ("Inc.", "company"),
    ("Ltd", "company"),
    ("Ltd.", "company"),
    ("Group", "company"),
    ("Holdings", "company"),
    ("Steel", "company"),
    ("Metals", "company"),
    ("Motors", "company"),
    ("Airlines", "company"),
    ("Energy", "company"),
    ("Pharmaceuticals", "company"),
    ("Technologies", "company"),
    ("Systems", "company"),
    ("Pharma", "company"),
    ("Research", "company"),
    ("Bancorp", "company"),
    ("Forum", "association"),
    ("Confederation", "association"),
    ("Society", "association"),
    ("Foundation", "foundation"),
    ("Authority", "public agency"),
    ("Board", "public agency"),
    ("Bureau", "public agency"),
    ("Tribunal", "court"),
];

/// Common nouns that say what kind of organization a name is, in appositions
/// ("Copa-Cogeca, the largest EU farm lobby") and before names ("the IG Metall union").
#[rustfmt::skip]
pub const ORG_KIND_NOUNS: &[(&str, &str)] = &[
    ("lobby", "lobby group"),
    ("union", "trade union"),
    ("party", "political party"),
    ("company", "company"),
    ("firm", "company"),
    ("group", "company"),
    ("bank", "bank"),
    ("newspaper", "news outlet"),
    ("broadcaster", "news outlet"),
    ("agency", "agency"),
    ("platform", "platform"),
    ("regulator", "regulator"),
    ("watchdog", "regulator"),
    ("alliance", "alliance"),
    ("coalition", "political coalition"),
];

/// Nouns for unnamed collectives, and whether such a group acts for the
/// country or organization that qualifies it ("Russian representatives" do,
/// "Tajik opposition groups" do not).
#[rustfmt::skip]
pub const GROUP_NOUNS: &[(&str, bool)] = &[
    ("officials", true),
    ("ministers", true),
    ("delegations", true),
    ("representatives", true),
    ("delegation", true),
    ("delegates", true),
    ("negotiators", true),
    ("diplomats", true),
    ("mediators", true),
    ("envoys", true),
    ("forces", true),
    ("troops", true),
    ("soldiers", true),
    ("commanders", true),
    ("authorities", true),
    ("lawmakers", false),
    ("legislators", false),
    ("analysts", false),
    ("observers", false),
    ("experts", false),
    ("economists", false),
    ("critics", false),
    ("groups", false),
    ("unions", false),
    ("employees", false),
    ("workers", false),
    ("residents", false),
    ("investors", false),
    ("shareholders", false),
    ("voters", false),
    ("protesters", false),
    ("rebels", false),
    ("supporters", false),
    ("farmers", false),
    ("leaders", false),
    ("members", false),
    ("advisers", false),
    ("advisors", false),
    ("associations", true),
    ("mission", true),
    ("federations", true),
    ("manufacturers", false),
    ("traders", false),
    ("lenders", false),
];

/// Words that never start a group's name: determiners and quantifiers.
#[rustfmt::skip]
pub const GROUP_DETERMINERS: &[&str] = &[
    "the", "a", "an", "some", "many", "most", "several", "other", "both", "all", "its", "their",
    "his", "her", "our", "these", "those", "few", "more", "two", "three", "four",
];

/// Head nouns of proposals, by class: a later "the deal" can refer to an
/// earlier "peace proposal" of the same class.
#[rustfmt::skip]
pub const PROPOSAL_NOUNS: &[(&str, &str)] = &[
    ("plan", "agreement"),
    ("proposal", "agreement"),
    ("deal", "agreement"),
    ("agreement", "agreement"),
    ("accord", "agreement"),
    ("pact", "agreement"),
    ("treaty", "agreement"),
    ("draft", "agreement"),
    ("ceasefire", "agreement"),
    ("cease-fire", "agreement"),
    ("truce", "agreement"),
    ("armistice", "agreement"),
    ("offer", "agreement"),
    ("merger", "agreement"),
    ("takeover", "agreement"),
    ("acquisition", "agreement"),
    ("combination", "agreement"),
    ("text", "agreement"),
    ("settlement", "agreement"),
    ("bill", "bill"),
    ("law", "bill"),
    ("package", "bill"),
    ("budget", "bill"),
    ("commitments", "commitments"),
    ("demand", "demand"),
    ("pledges", "commitments"),
    ("cut", "measure"),
    ("hike", "measure"),
    ("resolution", "bill"),
    ("measures", "bill"),
    ("motion", "bill"),
    ("amendment", "bill"),
    ("ban", "measure"),
    ("embargo", "measure"),
    ("tariff", "measure"),
    ("levy", "measure"),
    ("target", "measure"),
    ("deadline", "measure"),
    ("annex", "agreement"),
    ("communique", "agreement"),
    ("communiqué", "agreement"),
    ("declaration", "agreement"),
    ("roadmap", "agreement"),
    ("initiative", "agreement"),
];

/// Adjectives that make a proposal phrase generic, not a reference to one
/// proposal: "a lasting peace deal", "a potential agreement".
#[rustfmt::skip]
pub const GENERIC_PROPOSAL_ADJECTIVES: &[&str] = &[
    "final", "lasting", "potential", "possible", "any", "such", "future", "durable", "peaceful",
];

/// Head nouns of events, by kind. Words of one kind corefer ("the war",
/// "the conflict", "this War").
#[rustfmt::skip]
pub const EVENT_NOUNS: &[(&str, &str)] = &[
    ("war", "war"),
    ("conflict", "war"),
    ("invasion", "invasion"),
    ("negotiations", "negotiations"),
    ("negotiation process", "negotiations"),
    ("peace process", "negotiations"),
    ("talks", "negotiations"),
    ("discussions", "negotiations"),
    ("clashes", "clashes"),
    ("fighting", "clashes"),
    ("hostilities", "clashes"),
    ("election", "election"),
    ("runoff", "election"),
    ("vote", "election"),
    ("referendum", "election"),
    ("strike", "strike"),
    ("walkout", "strike"),
    ("protests", "protest"),
    ("protest", "protest"),
    ("demonstrations", "protest"),
    ("expulsion", "expulsion"),
    ("expulsions", "expulsion"),
    ("dispute", "dispute"),
    ("crisis", "dispute"),
    ("summit", "meeting"),
    ("meeting", "meeting"),
    ("conference", "meeting"),
    ("congress", "meeting"),
    ("decision", "decision"),
    ("ruling", "ruling"),
    ("judgment", "ruling"),
    ("judgement", "ruling"),
    ("verdict", "ruling"),
    ("championship", "tournament"),
    ("tournament", "tournament"),
    ("recall", "recall"),
    ("inspection", "inspection"),
    ("investigation", "investigation"),
    ("inquiry", "investigation"),
    ("appeal", "appeal"),
    ("restructuring", "restructuring"),
];

/// Verbs that report an event: `(verb phrase, kind, name, subject's role,
/// object's role)`. `{object}` in the name is the object phrase as written.
/// "Poland expelled two Belarusian diplomats" is an event "Expulsion of two
/// Belarusian diplomats" in which Poland and the diplomats take part.
#[rustfmt::skip]
pub const EVENT_VERBS: &[(&str, &str, &str, &str, &str)] = &[
    ("expelled", "expulsion", "Expulsion of {object}", "expelling state", "expelled"),
    ("expels", "expulsion", "Expulsion of {object}", "expelling state", "expelled"),
    ("arrested", "arrest", "Arrest of {object}", "arresting party", "arrested"),
    ("detained", "arrest", "Detention of {object}", "detaining party", "detained"),
    ("attacked", "attack", "Attack on {object}", "attacker", "attacked"),
    ("sanctioned", "sanctions", "Sanctions on {object}", "sanctioning party", "sanctioned"),
    ("walked off the job", "strike", "Strike", "strikers", ""),
    ("went on strike", "strike", "Strike", "strikers", ""),
    ("staged a walkout", "strike", "Strike", "strikers", ""),
    ("is recalling", "recall", "Recall of {object}", "manufacturer", ""),
    ("appeal to", "appeal", "Appeal to {object}", "appellant", "court"),
    ("appealed to", "appeal", "Appeal to {object}", "appellant", "court"),
    ("recalled", "recall", "Recall of {object}", "manufacturer", ""),
    ("recalls", "recall", "Recall of {object}", "manufacturer", ""),
];

/// Phrases after which a list of issues follows, and phrases a list of
/// issues is the subject of: both make the listed topics contested issues.
#[rustfmt::skip]
pub const ISSUE_INTRODUCERS: &[&str] = &["issues such as", "issues, such as", "issues—such as"];

/// Predicates that make their subject list contested issues.
#[rustfmt::skip]
pub const CONTESTED_PREDICATES: &[&str] = &[
    "remain central points of contention", "remain the central points of contention",
    "remain the main points of contention", "remain points of contention",
    "remain the main sticking points", "remain sticking points", "are the most contentious issues",
    "remain the most contentious issues", "remain contested", "remain unresolved",
];

/// Nouns that head an issue phrase outside a list ("Moscow's more ambitious demands").
#[rustfmt::skip]
pub const ISSUE_NOUNS: &[&str] = &["demands", "claim", "claims"];

/// Words that are never part of a name even when capitalised (sentence starts).
#[rustfmt::skip]
pub const NOT_NAMES: &[&str] = &[
    "the", "a", "an", "and", "or", "but", "if", "while", "when", "as", "at", "in", "on", "of",
    "for", "to", "from", "by", "with", "after", "before", "since", "during", "meanwhile", "however",
    "according", "although", "though", "because", "this", "that", "these", "those", "it", "its",
    "he", "she", "they", "we", "i", "his", "her", "their", "our", "my", "you", "there", "here",
    "both", "all", "some", "many", "most", "several", "other", "such", "no", "not", "only", "also",
    "still", "yet", "even", "then", "now", "today", "yesterday", "tomorrow", "last", "next",
    "earlier", "later", "once", "speaking", "asked", "under", "over", "about", "into", "than",
    "who", "which", "what", "where", "why", "how", "thousands", "hundreds", "dozens", "millions",
    "turnout", "shares", "trade", "president", "preliminary", "outgoing", "former", "observers",
    "analysts", "officials",
];

/// Nouns for what a person is, not an office: "a jailed Polish journalist,
/// Andrzej Nowak" makes Nowak a national (CITIZEN_OF) of Poland.
pub const OCCUPATIONS: &[&str] = &[
    "journalist",
    "reporter",
    "citizen",
    "national",
    "businessman",
    "businesswoman",
    "activist",
    "lawyer",
    "student",
    "tourist",
    "worker",
    "researcher",
    "academic",
    "blogger",
    "photographer",
    "aid worker",
    "dissident",
    "opposition figure",
    "writer",
    "filmmaker",
    "athlete",
    "player",
];

/// Month names, for dates.
#[rustfmt::skip]
pub const MONTHS: &[&str] = &[
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
];

/// Day names, Monday first.
#[rustfmt::skip]
pub const WEEKDAYS: &[&str] = &[
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
];

/// Name particles that may sit between the capitalised parts of a name.
#[rustfmt::skip]
pub const NAME_PARTICLES: &[&str] = &[
    "van", "von", "de", "der", "den", "da", "dos", "del", "bin", "al", "le", "la",
];

/// Last words of a capitalised run that make it a place or an institution
/// rather than a person, when nothing else classifies it: "Caspian Sea",
/// "Peace Palace", "World War". Organization heads are in [`ORG_SUFFIXES`].
#[rustfmt::skip]
pub const NOT_PERSON_HEADS: &[&str] = &[
    "sea", "ocean", "river", "lake", "mountains", "mountain", "valley", "gulf", "bay", "strait",
    "island", "islands", "peninsula", "desert", "region", "province", "county", "district",
    "square", "street", "avenue", "palace", "hall", "building", "tower", "bridge", "airport",
    "station", "port", "canal", "war", "forces", "army", "navy", "guard", "zeitung", "herald",
    "tribune", "gazette", "press", "television", "radio", "group", "caucasus", "basin", "corridor",
    "declaration", "treaty", "accords", "summit", "games", "cup", "prize", "day", "week",
];
