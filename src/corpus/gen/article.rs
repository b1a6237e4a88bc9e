//! One article: the cast it picks and the varied sentences that tell who
//! backs, rejects, meets, drafts and proposes what.

use crate::model::Date;

use super::world::{capitalise, Rng, World, MONTHS, QUOTES, WEEKDAYS};
use super::writer::{finish, handle, Writer};
use super::GeneratedArticle;

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

pub(super) fn article(rng: &mut Rng, w: &World, index: usize) -> GeneratedArticle {
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
