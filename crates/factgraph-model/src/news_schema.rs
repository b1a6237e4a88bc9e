//! The built-in schema for facts about news: who holds which role, who backs
//! or opposes which proposal, who meets whom. Declared as tables so that the
//! README, `CALL db.schema()` and the checks all read the same source.

use std::collections::BTreeMap;

use super::schema::{LabelDef, PropDef, RelTypeDef, Schema, KEY_PROPERTY};
use super::value::PropType;

use PropType::{Bool, Date, Float, Int, String as Str};

fn strings() -> PropType {
    PropType::List(Box::new(Str))
}

/// `(name, type, required, description)`
type PropRow = (&'static str, PropType, bool, &'static str);

/// Properties every node label carries besides its own.
fn common_node_props() -> Vec<PropRow> {
    vec![
        (
            KEY_PROPERTY,
            Str,
            false,
            "stable handle from the facts file or the extractor",
        ),
        ("aliases", strings(), false, "other names used in the text"),
        ("description", Str, false, "one line for humans"),
    ]
}

/// Properties every relationship type carries besides its own.
fn common_rel_props() -> Vec<PropRow> {
    vec![
        (
            "status",
            Str,
            false,
            "e.g. planned, held, ongoing, reported, conditional",
        ),
        ("date", Date, false, "when it happened or is due"),
        ("description", Str, false, "one line for humans"),
    ]
}

fn props(rows: Vec<PropRow>) -> BTreeMap<String, PropDef> {
    rows.into_iter()
        .map(|(name, ty, required, description)| {
            (
                name.to_string(),
                PropDef {
                    ty,
                    required,
                    description: description.to_string(),
                },
            )
        })
        .collect()
}

fn named(extra: Vec<PropRow>) -> Vec<PropRow> {
    let mut rows = vec![("name", Str, true, "canonical name")];
    rows.extend(extra);
    rows
}

/// `(label, description, own properties)`
fn label_rows() -> Vec<(&'static str, &'static str, Vec<PropRow>)> {
    vec![
        ("Person", "a named individual", named(vec![])),
        (
            "Role",
            "an office or function, held by people, of a country or organization",
            named(vec![(
                "title",
                Str,
                false,
                "the title as used before a name, e.g. President",
            )]),
        ),
        (
            "Country",
            "a sovereign state, or its government acting as one",
            named(vec![(
                "demonyms",
                strings(),
                false,
                "adjectives of nationality, e.g. Russian",
            )]),
        ),
        ("City", "a city or town", named(vec![])),
        (
            "Organization",
            "a named institution, party, company, outlet or platform",
            named(vec![(
                "kind",
                Str,
                false,
                "e.g. political party, newspaper, platform",
            )]),
        ),
        (
            "Group",
            "an unnamed collective the text speaks of, e.g. lawmakers, Ukrainian representatives",
            named(vec![]),
        ),
        (
            "Proposal",
            "a plan, draft, deal or agreement under discussion",
            named(vec![
                ("points", Int, false, "number of points or articles"),
                ("status", Str, false, "e.g. draft, final"),
            ]),
        ),
        (
            "Position",
            "a stance an actor takes on a proposal, issue or event",
            vec![
                (
                    "stance",
                    Str,
                    true,
                    "supports, opposes, agrees, tentatively agrees, has reservations, criticizes, ...",
                ),
                (
                    "polarity",
                    Str,
                    false,
                    "support, oppose, mixed or neutral: which way the stance points",
                ),
                ("summary", Str, false, "the stance in a sentence"),
                ("tentative", Bool, false, "whether the text hedges it"),
            ],
        ),
        (
            "Issue",
            "a contested topic, e.g. territorial concessions",
            named(vec![("status", Str, false, "e.g. contested, settled")]),
        ),
        (
            "Event",
            "something that happened, happens or is planned: a war, an invasion, a meeting, talks",
            named(vec![
                ("kind", Str, false, "e.g. war, invasion, meeting, negotiations"),
                ("date", Date, false, "when it happened or began"),
                ("status", Str, false, "e.g. past, ongoing, planned"),
            ]),
        ),
        (
            "Document",
            "a source text; provenance points into it",
            named(vec![
                ("source", Str, false, "publisher or file the text came from"),
                ("date", Date, false, "publication date"),
                ("sentences", Int, false, "number of sentences"),
            ]),
        ),
        (
            "Quantity",
            "a measured amount mentioned in the text",
            vec![
                ("value", Float, true, "the amount"),
                ("unit", Str, false, "the unit"),
            ],
        ),
    ]
}

const ACTORS: &[&str] = &["Person", "Country", "Organization", "Group"];

/// `(type, from, to, description, own properties)`
type RelRow = (
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    &'static str,
    Vec<PropRow>,
);

fn rel_rows() -> Vec<RelRow> {
    let place: &[&str] = &["City", "Country"];
    vec![
        (
            "HOLDS",
            &["Person"],
            &["Role"],
            "the person holds the role",
            vec![],
        ),
        (
            "ROLE_OF",
            &["Role"],
            &["Country", "Organization"],
            "the role belongs to the country or organization",
            vec![],
        ),
        (
            "CITIZEN_OF",
            &["Person"],
            &["Country"],
            "the person is a national of the country",
            vec![],
        ),
        (
            "REPRESENTS",
            &["Person", "Group"],
            &["Country", "Organization"],
            "acts on behalf of the country or organization",
            vec![],
        ),
        (
            "MEMBER_OF",
            &["Person", "Group", "Organization"],
            &["Organization", "Group"],
            "belongs to the organization or group",
            vec![],
        ),
        (
            "SERVES",
            &["Person"],
            &["Person"],
            "works for or on behalf of the other person (an envoy, an aide)",
            vec![],
        ),
        (
            "DRAFTED",
            ACTORS,
            &["Proposal"],
            "wrote or proposed the proposal",
            vec![],
        ),
        (
            "CONTRIBUTED_TO",
            ACTORS,
            &["Proposal"],
            "gave input to the proposal or to a revision of it, without drafting it",
            vec![],
        ),
        (
            "VERSION_OF",
            &["Proposal"],
            &["Proposal"],
            "a revised version of the other proposal",
            vec![],
        ),
        (
            "AIMS_TO_END",
            &["Proposal"],
            &["Event"],
            "the proposal is meant to end the event",
            vec![],
        ),
        (
            "ADDRESSES",
            &["Proposal", "Event"],
            &["Issue"],
            "the proposal or talks deal with the issue",
            vec![],
        ),
        (
            "TAKES",
            ACTORS,
            &["Position"],
            "the actor takes the position",
            vec![],
        ),
        (
            "ON",
            &["Position"],
            &["Proposal", "Issue", "Event"],
            "what the position is about",
            vec![],
        ),
        (
            "REPORTED_BY",
            &[],
            &["Organization", "Person"],
            "the fact is reported by this outlet or person",
            vec![],
        ),
        (
            "MEETS",
            &["Person", "Group"],
            &["Person", "Group"],
            "met or holds talks with",
            vec![("location", Str, false, "where")],
        ),
        (
            "WILL_MEET",
            &["Person", "Group"],
            &["Person", "Group"],
            "is planned or expected to meet",
            vec![
                ("location", Str, false, "where"),
                ("condition", Str, false, "what the meeting waits for"),
            ],
        ),
        (
            "TRAVELS_TO",
            &["Person", "Group"],
            place,
            "goes, or will go, to the place",
            vec![("purpose", Str, false, "why")],
        ),
        (
            "PARTICIPATES_IN",
            ACTORS,
            &["Event"],
            "takes part in the event",
            vec![("role", Str, false, "e.g. mediator, party")],
        ),
        (
            "BRIEFED_ON",
            &["Person", "Group"],
            &["Event", "Proposal", "Issue"],
            "is kept informed about",
            vec![],
        ),
        (
            "INVADED",
            &["Country"],
            &["Country"],
            "the first country invaded the second",
            vec![],
        ),
        (
            "TAKES_PLACE_IN",
            &["Event"],
            place,
            "where the event happens",
            vec![],
        ),
        (
            "LOCATED_IN",
            &["City"],
            &["Country"],
            "the city lies in the country",
            vec![],
        ),
        (
            "CAPITAL_OF",
            &["City"],
            &["Country"],
            "the city is the capital (and often a metonym) of the country",
            vec![],
        ),
        (
            "OWNS",
            &["Person", "Organization"],
            &["Organization"],
            "owns or controls",
            vec![],
        ),
        (
            "DEFERRED_TO",
            &["Issue"],
            &["Event"],
            "the issue is left for this later event",
            vec![],
        ),
        (
            "CAUSED",
            &["Event"],
            &["Event"],
            "the first event started or caused the second",
            vec![],
        ),
        (
            "MENTIONED_IN",
            &[],
            &["Document"],
            "the node is mentioned in the document",
            vec![("mentions", Int, false, "how many times")],
        ),
    ]
}

impl Schema {
    /// The built-in schema for news facts (documented in the README).
    pub fn news() -> Schema {
        let labels = label_rows()
            .into_iter()
            .map(|(name, description, own)| {
                let mut rows = common_node_props();
                rows.extend(own);
                (
                    name.to_string(),
                    LabelDef {
                        description: description.to_string(),
                        properties: props(rows),
                    },
                )
            })
            .collect();
        let rel_types = rel_rows()
            .into_iter()
            .map(|(name, from, to, description, own)| {
                let mut rows = common_rel_props();
                rows.extend(own);
                let names = |ls: &[&str]| ls.iter().map(|s| s.to_string()).collect();
                (
                    name.to_string(),
                    RelTypeDef {
                        description: description.to_string(),
                        from: names(from),
                        to: names(to),
                        properties: props(rows),
                    },
                )
            })
            .collect();
        Schema {
            open: false,
            labels,
            rel_types,
        }
    }
}
