//! Positions: who takes which stance on which proposal, issue or event.
//!
//! - `stance.verb`: "<actor> (tentatively) agreed to / rejected / criticised /
//!   expressed reservations about / supports <object>"; issues named later in
//!   the same clause are targets too ("reservations about any deal that would
//!   roll back Moscow's more ambitious demands").
//! - `stance.drawn`: "<proposal> has drawn criticism from <actors>".
//! - `stance.passive`: "<proposal> was approved by <actors>".
//! - `stance.backed_compound`: "a U.S.-backed peace proposal" (in pass 2).
//! - `stance.seeks_resolution`: "<actor> ... interest in finding a resolution to <event>".
//! - `stance.divided`: "both sides maintain deep divisions over key issues".
//! - `stance.speech`: "<actor> said / noted / cautioned (that) <clause>": a
//!   position on the proposals, issues, talks or elections the clause names,
//!   unless the clause states a stance, meeting or draft of its own, in which
//!   case the speaker only reports it (`report.speaker`, REPORTED_BY).
//! - `report.according_to`: "According to reports from the Financial Times,"
//!   (REPORTED_BY for the proposals, positions and events the sentence introduces).

use factgraph_model::Value;

use super::doc::{Doc, Eid, IK};
use super::lexicon as lx;
use super::nps;
use super::pattern;
use super::polarity::{self, Polarity};

/// Rules whose firing in a reported clause means the clause states its own fact.
const CLAUSE_RULES: &[&str] = &[
    "event.verb",
    "stance.verb",
    "stance.passive",
    "stance.drawn",
    "stance.divided",
    "stance.seeks_resolution",
    "meeting.travel",
    "meeting.will_meet",
    "meeting.met",
    "meeting.discussions",
    "meeting.briefed",
    "proposal.drafted_by",
    "proposal.drafted",
    "proposal.input_from",
    "proposal.brokered_by",
    "event.invaded",
    "event.host",
    "role.takes_office",
];

/// States that `actors` take `stance` on `targets`; merges with a position
/// of the same stance on the same targets. Returns the position.
#[allow(clippy::too_many_arguments)]
pub fn position(
    doc: &mut Doc,
    actors: &[Eid],
    stance: &str,
    tentative: bool,
    targets: &[Eid],
    s: usize,
    t0: usize,
    t1: usize,
    rule: &'static str,
) -> Option<Eid> {
    let mut actors: Vec<Eid> = actors
        .iter()
        .copied()
        .filter(|&a| doc.is_actor(a))
        .collect();
    actors.dedup();
    let mut targets: Vec<Eid> = targets
        .iter()
        .copied()
        .filter(|&t| matches!(doc.ents[t].label, "Proposal" | "Issue" | "Event"))
        .collect();
    targets.dedup();
    if actors.is_empty() || targets.is_empty() {
        return None;
    }
    let existing = doc.with_label("Position").into_iter().find(|&p| {
        let same_targets = doc.targets(p, "ON").iter().any(|t| targets.contains(t));
        let holders = doc.sources_of(p, "TAKES");
        let same_actors = holders.iter().any(|a| actors.contains(a));
        let same_sentence = doc.ents[p].sources.iter().any(|x| x.sentence == s);
        same_targets
            && ((doc.ents[p].name == stance && same_actors)
                || (same_sentence && same_actors && rule == "stance.speech"))
    });
    let p = match existing {
        Some(p) => p,
        None => {
            let p = doc.add_ent("Position", stance, 0, stance, true);
            doc.set_prop(p, "stance", Value::from(stance));
            let (a, b) = doc.sents[s].span(t0, t1);
            let summary: String = doc.chars[a as usize..b as usize].iter().collect();
            doc.set_prop(p, "summary", Value::from(summary));
            if tentative {
                doc.set_prop(p, "tentative", Value::Bool(true));
            }
            p
        }
    };
    doc.source(p, s, t0, t1, rule);
    // What is said runs to the end of the sentence: a quote after "called
    // it", a "but" that takes part of it back.
    let toks = &doc.sents[s].toks;
    let said = polarity::of_clause(&polarity::words(&toks[t0.min(toks.len())..]));
    let stated = match polarity::of_stance(stance) {
        Some(p) if rule != "stance.speech" => p,
        _ => said,
    };
    let polarity = match doc.ents[p].str_prop("polarity") {
        Some(before) => Polarity::parse(before).and(stated),
        None => stated,
    };
    doc.set_prop(p, "polarity", Value::from(polarity.as_str()));
    for a in actors {
        doc.relate(a, "TAKES", p, vec![], s, t0, t1, rule);
    }
    for t in targets {
        doc.relate(p, "ON", t, vec![], s, t0, t1, rule);
    }
    Some(p)
}

/// The negation of a stance: "accepts" -> "does not accept".
fn negate(stance: &str) -> String {
    if let Some(rest) = stance.strip_prefix("will ") {
        return format!("will not {rest}");
    }
    if let Some(rest) = stance.strip_prefix("has ") {
        return format!("does not have {rest}");
    }
    let (verb, rest) = stance.split_once(' ').unwrap_or((stance, ""));
    let base = verb
        .strip_suffix("es")
        .filter(|b| b.ends_with("ss") || b.ends_with('h'))
        .or_else(|| verb.strip_suffix('s'))
        .unwrap_or(verb);
    format!(
        "does not {base}{}{rest}",
        if rest.is_empty() { "" } else { " " }
    )
}

/// The targets an object phrase at item `i` names: a proposal, issue or
/// event; "it"; a generic "any deal" (the most salient proposal).
fn object_targets(doc: &Doc, s: usize, i: usize, generic_to_talks: bool) -> Vec<Eid> {
    let sent = &doc.sents[s];
    let Some(it) = sent.items.get(i) else {
        return Vec::new();
    };
    match &it.kind {
        IK::Ent(e, _) if matches!(doc.ents[*e].label, "Proposal" | "Issue" | "Event") => vec![*e],
        IK::Pron(p) if p == "it" => pattern::resolve_pron(doc, s, i).into_iter().collect(),
        IK::Generic("Proposal") if generic_to_talks => talks(doc).into_iter().collect(),
        IK::Generic("Proposal") => {
            let head = sent.toks[it.t1 - 1].lower.clone();
            nps::salient_with(doc, "Proposal", "agreement", s, Some(&head))
                .into_iter()
                .collect()
        }
        _ => Vec::new(),
    }
}

/// Words too common to tie a phrase to an issue.
const NOT_CONTENT: &[&str] = &[
    "the", "a", "an", "of", "on", "in", "for", "to", "and", "or", "any", "its", "their", "his",
    "her", "new", "proposed", "binding", "other", "more", "some", "this", "that", "these",
];

/// The known issue an object phrase at item `i` is about, by the issue's
/// first or last content word ("any cap on production", "the proposed
/// limits" for "Production limits"; "the financing provisions" for
/// "Financing of waste systems"). Only plain words up to the next break or
/// entity count, so a phrase never reaches into another clause.
fn issue_by_words(doc: &Doc, s: usize, i: usize) -> Option<Eid> {
    let sent = &doc.sents[s];
    let mut words: Vec<&str> = Vec::new();
    for k in i..sent.items.len().min(i + 8) {
        if sent.is_break(k) {
            break;
        }
        let Some(w) = sent.word(k) else { break };
        let clause_word = matches!(
            w,
            "that"
                | "which"
                | "and"
                | "but"
                | "as"
                | "because"
                | "while"
                | "to"
                | "would"
                | "will"
                | "could"
                | "should"
                | "is"
                | "are"
                | "was"
                | "were"
                | "has"
                | "have"
                | "had"
        );
        if clause_word && k > i {
            break;
        }
        words.push(w);
    }
    let issues = doc.with_label("Issue");
    issues.into_iter().find(|&e| {
        let name = super::doc::normalize(&doc.ents[e].name);
        let content: Vec<&str> = name
            .split(' ')
            .filter(|w| !NOT_CONTENT.contains(w) && w.len() > 2)
            .collect();
        let (Some(first), Some(last)) = (content.first(), content.last()) else {
            return false;
        };
        words.iter().any(|w| w == first || w == last)
    })
}

/// The demand a "called for" object phrase at item `k` states, as an issue
/// named by the phrase: it ends at a break, a date, a clause word, a
/// preposition of time or place, or a second verb.
fn demand(doc: &mut Doc, s: usize, k: usize) -> Option<Eid> {
    let sent = &doc.sents[s];
    let n = sent.items.len();
    let mut end = k;
    while end < n && end < k + 14 {
        let stop = sent.is_break(end)
            || matches!(sent.items[end].kind, IK::Date(_) | IK::Pron(_))
            || sent.word(end).is_some_and(|w| {
                matches!(
                    w,
                    "that"
                        | "which"
                        | "who"
                        | "and"
                        | "but"
                        | "in"
                        | "at"
                        | "during"
                        | "after"
                        | "before"
                        | "since"
                        | "until"
                        | "by"
                        | "from"
                        | "with"
                        | "when"
                        | "while"
                        | "because"
                        | "to"
                        | "as"
                        | "last"
                        | "next"
                )
            });
        if stop {
            break;
        }
        end += 1;
    }
    let mut a = k;
    while a < end
        && sent
            .word(a)
            .is_some_and(|w| matches!(w, "a" | "an" | "the"))
    {
        a += 1;
    }
    // A bare determiner or a lone word is no demand.
    if end < a + 2 {
        return None;
    }
    let (t0, t1) = (sent.items[a].t0, sent.items[end - 1].t1);
    let name = super::doc::capitalise(&sent.text(t0, t1));
    let e = doc
        .find("Issue", &name)
        .unwrap_or_else(|| doc.add_ent("Issue", &name, 0, "demands", true));
    doc.mention(e, s, t0, t1, "mention.issue");
    Some(e)
}

/// The negotiations the document is about, if any.
pub fn talks(doc: &Doc) -> Option<Eid> {
    doc.with_label("Event")
        .into_iter()
        .filter(|&e| doc.ents[e].class == "negotiations")
        .max_by_key(|&e| doc.ents[e].sources.len())
}

/// Runs the stance rules on sentence `s`.
/// [`lx::STANCE_VERBS`] with each form split into words, built once.
fn stance_forms() -> &'static [(Vec<&'static str>, &'static str)] {
    static FORMS: std::sync::OnceLock<Vec<(Vec<&'static str>, &'static str)>> =
        std::sync::OnceLock::new();
    FORMS.get_or_init(|| {
        lx::STANCE_VERBS
            .iter()
            .map(|(form, stance)| (form.split(' ').collect(), *stance))
            .collect()
    })
}

pub fn run(doc: &mut Doc, s: usize) {
    let n = doc.sents[s].items.len();
    let mut v = 0;
    while v < n {
        let mut matched = None;
        for (words, stance) in stance_forms() {
            if doc.sents[s].words_at(v, words)
                && matched
                    .as_ref()
                    .is_none_or(|(l, _): &(usize, &str)| words.len() > *l)
            {
                matched = Some((words.len(), *stance));
            }
        }
        if let Some((len, stance)) = matched {
            stance_verb(doc, s, v, len, stance);
            v += len;
            continue;
        }
        v += 1;
    }
    drawn_and_passive(doc, s);
    seeks_resolution(doc, s);
    divided(doc, s);
}

fn stance_verb(doc: &mut Doc, s: usize, v: usize, len: usize, stance: &'static str) {
    let Some((mut actors, first)) = pattern::clause_subject(doc, s, v) else {
        return;
    };
    // "Environmental groups, including Greenpeace, criticised": the members named take it too.
    let verb_at = doc.sents[s].toks[doc.sents[s].items[v].t0].start;
    let subject_from = doc.sents[s].toks[doc.sents[s].items[first].t0].start;
    let named_members: Vec<Eid> = doc
        .rels
        .iter()
        .filter(|r| {
            r.rel_type == "MEMBER_OF"
                && actors.contains(&r.to)
                && r.sources.iter().any(|x| {
                    x.sentence == s
                        && x.rule == "member.including"
                        && x.start >= subject_from
                        && x.end <= verb_at
                })
        })
        .map(|r| r.from)
        .collect();
    for m in named_members {
        if !actors.contains(&m) {
            actors.push(m);
        }
    }
    let tentative = (first..v).any(|k| doc.sents[s].word(k) == Some("tentatively"));
    let negated = (first.max(v.saturating_sub(4))..v).any(|k| {
        doc.sents[s].word(k).is_some_and(|w| {
            matches!(
                w,
                "not"
                    | "never"
                    | "won't"
                    | "don't"
                    | "doesn't"
                    | "didn't"
                    | "cannot"
                    | "can't"
                    | "refused"
                    | "refuses"
                    | "failed"
                    | "fails"
            )
        })
    });
    let stance: String = if tentative {
        "tentatively agrees".into()
    } else if negated {
        negate(stance)
    } else {
        stance.into()
    };
    let stance = stance.as_str();
    let n = doc.sents[s].items.len();
    let mut k = v + len;
    while doc.sents[s].word(k).is_some_and(|w| {
        matches!(
            w,
            "to" | "on" | "the" | "outline" | "of" | "about" | "terms"
        )
    }) || matches!(
        doc.sents[s].items.get(k).map(|it| &it.kind),
        Some(IK::Date(_))
    ) {
        k += 1;
    }
    // "backed management's offer": the possessor is not the object.
    if doc.sents[s].word(k).is_some()
        && doc.sents[s].items.get(k + 1).is_some_and(|it| {
            it.kind == IK::Tok && doc.sents[s].toks[it.t0].kind == super::tokens::Kind::Possessive
        })
    {
        k += 2;
    }
    let mut targets = object_targets(doc, s, k, false);
    if targets.is_empty() && stance != "calls it" {
        targets.extend(issue_by_words(doc, s, k));
    }
    // "a rule that some generic manufacturers have opposed", "an increase,
    // which the union called an insult": the object is the relative
    // clause's antecedent.
    let relative = first >= 1 && matches!(doc.sents[s].word(first - 1), Some("that" | "which"));
    let gapped = targets.is_empty()
        && relative
        && (doc.sents[s].is_break(k)
            || k >= n
            || matches!(doc.sents[s].word(k), Some("as" | "a" | "an")));
    if gapped {
        let from = first - 1;
        let at = doc.sents[s].toks[doc.sents[s].items[from].t0].start;
        let antecedent = (from.saturating_sub(8)..from)
            .rev()
            .find_map(|i| object_targets(doc, s, i, false).first().copied())
            .or_else(|| {
                // A proposal a rule found in the text before ("offered a 3.5 percent increase").
                doc.with_label("Proposal")
                    .into_iter()
                    .filter_map(|e| {
                        doc.ents[e]
                            .sources
                            .iter()
                            .filter(|x| x.sentence == s && x.end <= at && at - x.end <= 3)
                            .map(|x| x.end)
                            .max()
                            .map(|end| (end, e))
                    })
                    .max()
                    .map(|(_, e)| e)
            });
        if let Some(e) = antecedent {
            targets.push(e);
            if stance == "calls it" && matches!(doc.sents[s].word(k), Some("a" | "an")) {
                k = k.saturating_sub(1);
            }
        }
    }
    // "called the outcome a failure", "called the outcome “deeply disappointing”".
    if stance == "calls it"
        && !(targets.len() == 1
            && (matches!(doc.sents[s].word(k + 1), Some("a" | "an"))
                || doc.sents[s].punct(k + 1, "“")
                || (gapped && doc.sents[s].word(k + 1).is_some())))
    {
        return;
    }
    if targets.is_empty() && matches!(stance, "concedes defeat" | "blames") {
        let kind = if stance == "concedes defeat" {
            "election"
        } else {
            "clashes"
        };
        targets = nps::salient(doc, "Event", kind, s).into_iter().collect();
    }
    // "criticised the government for failing to prevent the strike"
    if targets.is_empty() && !doc.sents[s].is_break(k) {
        let end = pattern::clause_end(doc, s, k + 1);
        // "... the government for attacking the bank and called for a review":
        // the reason ends where a second verb begins.
        let end = (k + 1..end.min(n))
            .find(|&i| {
                doc.sents[s].word(i) == Some("and")
                    && doc.sents[s].word(i + 1).is_some_and(|w| {
                        w.ends_with("ed") || lx::STANCE_VERBS.iter().any(|(f, _)| f.starts_with(w))
                    })
            })
            .unwrap_or(end);
        if let Some(f) = (k + 1..end.min(n))
            .find(|&i| matches!(doc.sents[s].word(i), Some("for" | "over" | "of")))
        {
            targets = (f + 1..end.min(n))
                .flat_map(|i| object_targets(doc, s, i, false))
                .collect();
        }
    }
    // "voted for Valdés", "supported Ribeiro": a stance on the election a candidate stands in.
    if targets.is_empty() && matches!(stance, "votes for" | "votes against" | "supports" | "backs")
    {
        if let Some(candidate) = doc.sents[s]
            .ent(k)
            .filter(|&e| doc.ents[e].label == "Person")
        {
            targets.extend(
                doc.targets(candidate, "PARTICIPATES_IN")
                    .into_iter()
                    .filter(|&e| doc.ents[e].class == "election"),
            );
            // A candidate the story does not place in a vote: the vote it is about.
            if targets.is_empty() {
                targets.extend(nps::salient(doc, "Event", "election", s));
            }
        }
    }
    // "called for stricter checks on medicines": what is demanded is an issue.
    if targets.is_empty() && stance == "calls for" && doc.sents[s].word(v + 1) == Some("for") {
        targets.extend(demand(doc, s, k));
    }
    if targets.is_empty() {
        return;
    }
    // Issues later in the same clause are targets too.
    let end = pattern::clause_end(doc, s, k + 1);
    for i in k + 1..end.min(n) {
        if let Some(e) = doc.sents[s]
            .ent(i)
            .filter(|&e| doc.ents[e].label == "Issue")
        {
            targets.push(e);
        }
    }
    let (t0, t1) = (
        doc.sents[s].items[first].t0,
        doc.sents[s].items[k.min(n - 1)].t1,
    );
    // A capital as subject stands for its country: "Jakarta was ready to sign".
    if let Some(city) = doc.sents[s]
        .ent(first)
        .filter(|&e| doc.ents[e].label == "City")
    {
        if let Some(&c) = actors.first() {
            doc.relate(
                city,
                "CAPITAL_OF",
                c,
                vec![],
                s,
                t0,
                doc.sents[s].items[first].t1,
                "metonym.capital_subject",
            );
        }
    }
    position(
        doc,
        &actors,
        stance,
        tentative,
        &targets,
        s,
        t0,
        t1,
        "stance.verb",
    );
}

fn drawn_and_passive(doc: &mut Doc, s: usize) {
    let n = doc.sents[s].items.len();
    for v in 0..n {
        let w = doc.sents[s].word(v).unwrap_or("").to_string();
        // "has drawn criticism from both Democrats and Republicans"
        if matches!(
            w.as_str(),
            "drawn" | "drew" | "faces" | "faced" | "attracted"
        ) {
            let Some((_, stance)) = doc.sents[s]
                .word(v + 1)
                .and_then(|x| lx::STANCE_NOUNS.iter().find(|(noun, _)| *noun == x))
            else {
                continue;
            };
            if doc.sents[s].word(v + 2) != Some("from") {
                continue;
            }
            let Some((actors, end)) = pattern::actors_at(doc, s, v + 3) else {
                continue;
            };
            let Some((p, pi)) = (0..v)
                .rev()
                .find_map(|i| object_targets(doc, s, i, false).first().map(|&e| (e, i)))
            else {
                continue;
            };
            let (t0, t1) = (doc.sents[s].items[pi].t0, doc.sents[s].items[end - 1].t1);
            position(doc, &actors, stance, false, &[p], s, t0, t1, "stance.drawn");
        }
        // "was approved by the board"
        if matches!(w.as_str(), "was" | "were" | "been") && doc.sents[s].word(v + 2) == Some("by") {
            let Some(&(_, stance)) = doc.sents[s]
                .word(v + 1)
                .and_then(|x| lx::STANCE_VERBS.iter().find(|(f, _)| *f == x))
            else {
                continue;
            };
            let Some((actors, end)) = pattern::actors_at(doc, s, v + 3) else {
                continue;
            };
            let Some((p, pi)) = (0..v)
                .rev()
                .find_map(|i| object_targets(doc, s, i, false).first().map(|&e| (e, i)))
            else {
                continue;
            };
            let (t0, t1) = (doc.sents[s].items[pi].t0, doc.sents[s].items[end - 1].t1);
            position(
                doc,
                &actors,
                stance,
                false,
                &[p],
                s,
                t0,
                t1,
                "stance.passive",
            );
        }
    }
}

fn seeks_resolution(doc: &mut Doc, s: usize) {
    let n = doc.sents[s].items.len();
    for i in 0..n {
        if !matches!(
            doc.sents[s].word(i),
            Some("resolution" | "end" | "settlement" | "solution")
        ) || doc.sents[s].word(i + 1) != Some("to")
        {
            continue;
        }
        let intro = (i.saturating_sub(4)..i).any(|k| {
            matches!(
                doc.sents[s].word(k),
                Some("interest" | "seeks" | "seeking" | "push" | "bid" | "finding" | "find")
            )
        });
        let Some(ev) = doc.sents[s]
            .ent(i + 2)
            .filter(|&e| doc.ents[e].label == "Event")
        else {
            continue;
        };
        if !intro {
            continue;
        }
        let Some(actor) = pattern::subject_of(doc, s) else {
            continue;
        };
        let a = pattern::main_clause_start(doc, s);
        let (t0, t1) = (doc.sents[s].items[a].t0, doc.sents[s].items[i + 2].t1);
        position(
            doc,
            &[actor],
            "seeks a resolution",
            false,
            &[ev],
            s,
            t0,
            t1,
            "stance.seeks_resolution",
        );
    }
}

fn divided(doc: &mut Doc, s: usize) {
    let n = doc.sents[s].items.len();
    for v in 0..n {
        if !matches!(
            doc.sents[s].word(v),
            Some("divisions" | "divided" | "disagree" | "differ")
        ) {
            continue;
        }
        let Some(o) =
            (v + 1..n.min(v + 3)).find(|&k| matches!(doc.sents[s].word(k), Some("over" | "on")))
        else {
            continue;
        };
        let verb = (0..v)
            .rev()
            .take(3)
            .find(|&k| {
                matches!(
                    doc.sents[s].word(k),
                    Some("maintain" | "maintained" | "have" | "are" | "remain" | "were")
                )
            })
            .unwrap_or(v);
        let Some((actors, first)) = pattern::actors_before(doc, s, verb) else {
            continue;
        };
        let mut targets: Vec<Eid> = (o + 1..pattern::clause_end(doc, s, o + 1))
            .filter_map(|k| {
                doc.sents[s]
                    .ent(k)
                    .filter(|&e| doc.ents[e].label == "Issue")
            })
            .collect();
        if targets.is_empty() && doc.sents[s].word(o + 2) == Some("issues") {
            // "key issues": the contested issues listed nearest to this sentence.
            let mut best: Option<(usize, Vec<Eid>)> = None;
            for e in doc.with_label("Issue") {
                if doc.ents[e].str_prop("status") != Some("contested") {
                    continue;
                }
                let Some(first_s) = doc.ents[e].sources.iter().map(|x| x.sentence).min() else {
                    continue;
                };
                let d = if first_s >= s {
                    (first_s - s) * 2
                } else {
                    (s - first_s) * 2 + 1
                };
                match &mut best {
                    Some((bd, list)) if *bd == d => list.push(e),
                    Some((bd, _)) if *bd < d => {}
                    _ => best = Some((d, vec![e])),
                }
            }
            targets = best.map(|(_, l)| l).unwrap_or_default();
        }
        let (t0, t1) = (
            doc.sents[s].items[first].t0,
            doc.sents[s].items[(o + 2).min(n - 1)].t1,
        );
        position(
            doc,
            &actors,
            "deeply divided",
            false,
            &targets,
            s,
            t0,
            t1,
            "stance.divided",
        );
    }
}

/// Whether a rule in [`CLAUSE_RULES`] fired on characters `a..b` of sentence `s`.
fn clause_has_fact(doc: &Doc, s: usize, a: u32, b: u32) -> bool {
    doc.firings
        .iter()
        .any(|f| f.sentence == s && CLAUSE_RULES.contains(&f.rule) && f.start >= a && f.start < b)
}

/// Positions introduced on characters `a..b` of sentence `s`.
fn positions_in(doc: &Doc, s: usize, a: u32, b: u32) -> Vec<Eid> {
    doc.with_label("Position")
        .into_iter()
        .filter(|&p| {
            doc.ents[p]
                .sources
                .iter()
                .any(|x| x.sentence == s && x.start >= a && x.start < b)
        })
        .collect()
}

/// Runs the reported-speech rule on sentence `s`.
pub fn speech(doc: &mut Doc, s: usize) {
    let n = doc.sents[s].items.len();
    for v in 0..n {
        let Some(verb) = doc.sents[s].word(v).map(str::to_string) else {
            continue;
        };
        let Some(&(_, stance)) = lx::SPEECH_VERBS.iter().find(|(f, _)| *f == verb) else {
            continue;
        };
        let trailing = pattern::attribution(doc, s).filter(|(_, av)| *av == v);
        let (speakers, first, a, b) = if let Some((who, _)) = trailing {
            let start = pattern::main_clause_start(doc, s);
            // The clause ends at the comma or quote before the speaker (or before the verb).
            let stop = (0..v)
                .rev()
                .find(|&i| doc.sents[s].punct(i, ",") || doc.sents[s].punct(i, "”"))
                .unwrap_or(v);
            let stop = if stop > 0 && doc.sents[s].punct(stop - 1, "”") {
                stop - 1
            } else {
                stop
            };
            (vec![who], start, start, stop)
        } else {
            let found = pattern::clause_subject(doc, s, v).or_else(|| {
                // "X criticised the deal, arguing that ...": the main clause's subject.
                let participle = verb.ends_with("ing") && v > 0 && doc.sents[s].punct(v - 1, ",");
                let start = pattern::main_clause_start(doc, s);
                participle
                    .then(|| {
                        (start..v).find_map(|i| pattern::actors_at(doc, s, i).map(|(a, _)| (a, i)))
                    })
                    .flatten()
            });
            let Some((who, first)) = found else { continue };
            let mut a = pattern::skip_filler(doc, s, v + 1);
            // "told a news conference in Accra that ...": what follows "that" is the clause.
            if verb == "told" {
                if let Some(t) = (a..n.min(a + 8)).find(|&i| doc.sents[s].word(i) == Some("that")) {
                    a = t + 1;
                }
            }
            (who, first, a, pattern::clause_end(doc, s, a))
        };
        if a >= b || b > n {
            continue;
        }
        let (ca, cb) = (
            doc.sents[s].toks[doc.sents[s].items[a].t0].start,
            doc.sents[s].toks[doc.sents[s].items[b - 1].t1 - 1].end,
        );
        if clause_has_fact(doc, s, ca, cb) {
            // Events the clause reports by a verb ("Poland expelled ...") are reported by the speaker too.
            let reported: Vec<Eid> = doc
                .with_label("Event")
                .into_iter()
                .filter(|&e| {
                    doc.ents[e].sources.iter().any(|x| {
                        x.sentence == s && x.rule == "event.verb" && x.start >= ca && x.start < cb
                    })
                })
                .collect();
            let future = (a..b).any(|i| matches!(doc.sents[s].word(i), Some("will" | "would")));
            for e in reported {
                let (t0, t1) = (
                    doc.sents[s].items[a.min(first)].t0,
                    doc.sents[s].items[v].t1,
                );
                // "Ribeiro said she would appeal to the court": her own
                // intention is her position on the event, not a report.
                let own = future
                    && speakers
                        .iter()
                        .any(|&sp| doc.targets(sp, "PARTICIPATES_IN").contains(&e));
                if own {
                    let t1 = doc.sents[s].items[b - 1].t1;
                    position(
                        doc,
                        &speakers,
                        stance,
                        false,
                        &[e],
                        s,
                        t0,
                        t1,
                        "stance.speech",
                    );
                    continue;
                }
                for &sp in &speakers {
                    doc.relate(e, "REPORTED_BY", sp, vec![], s, t0, t1, "report.speaker");
                }
            }
            for p in positions_in(doc, s, ca, cb) {
                if doc
                    .sources_of(p, "TAKES")
                    .iter()
                    .any(|x| speakers.contains(x))
                {
                    continue;
                }
                let (t0, t1) = (
                    doc.sents[s].items[a.min(first)].t0,
                    doc.sents[s].items[v].t1,
                );
                for &sp in &speakers {
                    doc.relate(p, "REPORTED_BY", sp, vec![], s, t0, t1, "report.speaker");
                }
            }
            continue;
        }
        // "The decision ... was taken by five votes to two, the central bank
        // said": an event stated as fact is reported by the speaker.
        let quoted = doc.sents[s].punct(0, "“") || doc.sents[s].punct(0, "\"");
        if trailing.is_some() && !quoted {
            let first_item = if doc.sents[s].word(a) == Some("the") {
                a + 1
            } else {
                a
            };
            if let Some(ev) = doc.sents[s]
                .ent(first_item)
                .filter(|&e| doc.ents[e].label == "Event")
            {
                let (t0, t1) = (doc.sents[s].items[a].t0, doc.sents[s].items[v].t1);
                for &sp in &speakers {
                    doc.relate(ev, "REPORTED_BY", sp, vec![], s, t0, t1, "report.speaker");
                }
                continue;
            }
        }
        let mut targets = clause_targets(doc, s, a, b);
        if targets.is_empty() && b < n {
            targets = clause_targets(doc, s, b, n);
        }
        if targets.is_empty() {
            continue;
        }
        let (t0, t1) = (
            doc.sents[s].items[first.min(a)].t0,
            doc.sents[s].items[b.max(v + 1) - 1].t1,
        );
        // "Lima said the confederation would withhold its fees until the
        // dispute was resolved": the confederation's stance, reported by Lima.
        let subject_at = if doc.sents[s].word(a) == Some("the") {
            a + 1
        } else {
            a
        };
        let reported_actor = doc.sents[s]
            .ent(subject_at)
            .filter(|&e| {
                matches!(doc.ents[e].label, "Organization" | "Country") && !speakers.contains(&e)
            })
            .filter(|_| matches!(doc.sents[s].word(subject_at + 1), Some("would" | "will")));
        if let Some(actor) = reported_actor {
            if let Some(p) = position(
                doc,
                &[actor],
                stance,
                false,
                &targets,
                s,
                t0,
                t1,
                "stance.speech",
            ) {
                for &sp in &speakers {
                    doc.relate(p, "REPORTED_BY", sp, vec![], s, t0, t1, "report.speaker");
                }
            }
            continue;
        }
        position(
            doc,
            &speakers,
            stance,
            false,
            &targets,
            s,
            t0,
            t1,
            "stance.speech",
        );
    }
}

/// What a reported clause is about: proposals, issues, and talks or elections.
fn clause_targets(doc: &Doc, s: usize, a: usize, b: usize) -> Vec<Eid> {
    let mut out = Vec::new();
    // "said the proposed limits would hurt ...": a known issue as the clause's subject.
    if let Some(e) = issue_by_words(doc, s, a) {
        out.push(e);
    }
    let specific = (a..b).any(|i| {
        !matches!(doc.sents[s].items[i].kind, IK::Generic(_))
            && !object_targets(doc, s, i, false).is_empty()
    });
    for i in a..b {
        if specific && matches!(doc.sents[s].items[i].kind, IK::Generic(_)) {
            continue;
        }
        // "... to rebuild their balance sheets after the debt restructuring":
        // an event named only as a time is background, not the topic.
        let background = (i.saturating_sub(2)..i).any(|j| {
            matches!(
                doc.sents[s].word(j),
                Some("after" | "before" | "since" | "during" | "until")
            )
        });
        if background {
            continue;
        }
        for e in object_targets(doc, s, i, true) {
            // Comments on fighting are reports, not stances.
            let ok = match doc.ents[e].label {
                "Event" => !matches!(
                    doc.ents[e].class.as_str(),
                    "war" | "clashes" | "invasion" | "consequence"
                ),
                _ => true,
            };
            if ok && !out.contains(&e) {
                out.push(e);
            }
        }
    }
    out
}

/// Runs `report.according_to` on sentence `s`; also "results from <source>"
/// (`report.results_from`), which makes the sentence's events reported by it.
pub fn according_to(doc: &mut Doc, s: usize) {
    let n = doc.sents[s].items.len();
    for i in 0..n {
        let last = doc.sents[s].toks[doc.sents[s].items[i].t1 - 1]
            .lower
            .as_str();
        if !(matches!(last, "results" | "figures" | "estimates" | "data" | "polls")
            && doc.sents[s].word(i + 1) == Some("from"))
        {
            continue;
        }
        let k = if doc.sents[s].word(i + 2) == Some("the") {
            i + 3
        } else {
            i + 2
        };
        let Some(source) = doc.sents[s]
            .ent(k)
            .filter(|&e| doc.ents[e].label == "Organization")
        else {
            continue;
        };
        let events: Vec<Eid> = (0..n)
            .filter_map(|j| doc.sents[s].ent(j))
            .filter(|&e| doc.ents[e].label == "Event")
            .collect();
        let (t0, t1) = (doc.sents[s].items[i].t0, doc.sents[s].items[k].t1);
        for e in events {
            doc.relate(
                e,
                "REPORTED_BY",
                source,
                vec![],
                s,
                t0,
                t1,
                "report.results_from",
            );
        }
    }
    let Some(at) = (0..n).find(|&i| doc.sents[s].words_at(i, &["according", "to"])) else {
        return;
    };
    let mut k = at + 2;
    if doc.sents[s].words_at(k, &["reports", "from"]) {
        k += 2;
    }
    if doc.sents[s].word(k) == Some("the") {
        k += 1;
    }
    let Some(source) = doc.sents[s]
        .ent(k)
        .filter(|&e| matches!(doc.ents[e].label, "Organization" | "Person"))
    else {
        return;
    };
    let mut reported: Vec<Eid> = (0..doc.ents.len())
        .filter(|&e| matches!(doc.ents[e].label, "Proposal" | "Position" | "Event"))
        .filter(|&e| doc.ents[e].sources.iter().map(|x| x.sentence).min() == Some(s))
        .collect();
    // A trailing "according to" also covers the event the sentence is about.
    if at > 0 {
        if let Some(e) = (0..at)
            .find_map(|i| doc.sents[s].ent(i))
            .filter(|&e| doc.ents[e].label == "Event")
        {
            if !reported.contains(&e) {
                reported.push(e);
            }
        }
    }
    let (t0, t1) = (doc.sents[s].items[at].t0, doc.sents[s].items[k].t1);
    for e in reported {
        doc.relate(
            e,
            "REPORTED_BY",
            source,
            vec![],
            s,
            t0,
            t1,
            "report.according_to",
        );
    }
}
