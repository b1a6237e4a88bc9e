//! Membership and ownership: `member.*`, `group.*`, `org.owns`.

use crate::doc::{Doc, Eid, IK};
use crate::lexicon as lx;
use crate::pattern;

use super::{label, span};

/// Runs the membership and ownership rules on sentence `s`.
pub fn membership(doc: &mut Doc, s: usize) {
    let n = doc.sents[s].items.len();
    for i in 0..n {
        let w = doc.sents[s].word(i).unwrap_or("").to_string();
        match w.as_str() {
            "including" => {
                let Some(g) = (i >= 2)
                    .then(|| doc.sents[s].ent(i - 2).or(doc.sents[s].ent(i - 1)))
                    .flatten()
                else {
                    continue;
                };
                if label(doc, g) != "Group" {
                    continue;
                }
                if let Some((members, end)) = pattern::actors_at(doc, s, i + 1) {
                    let gi = (0..i)
                        .rev()
                        .find(|&k| doc.sents[s].ent(k) == Some(g))
                        .unwrap_or(i);
                    let (t0, t1) = span(doc, s, gi, end - 1);
                    for m in members.into_iter().filter(|&m| m != g) {
                        doc.relate(m, "MEMBER_OF", g, vec![], s, t0, t1, "member.including");
                    }
                }
            }
            "of" | "from" | "at" => {
                let Some(x) = i.checked_sub(1).and_then(|k| doc.sents[s].ent(k)) else {
                    continue;
                };
                let mut k = i + 1;
                if doc.sents[s].word(k) == Some("the") {
                    k += 1;
                }
                let targets = pattern::actors_of(doc, s, k);
                let (t0, t1) = span(doc, s, i - 1, k);
                for t in targets {
                    match (label(doc, x), label(doc, t), w.as_str()) {
                        ("Group", "Country" | "Organization", "from")
                            if doc.ents[x].class.starts_with("rep:")
                                || doc.ents[x].class == "observers" =>
                        {
                            doc.relate(x, "REPRESENTS", t, vec![], s, t0, t1, "group.from");
                        }
                        ("Group", "Organization", "at" | "of" | "from") => {
                            doc.relate(x, "MEMBER_OF", t, vec![], s, t0, t1, "group.at")
                        }
                        ("Person", "Organization", "of") if is_party(doc, t) => {
                            doc.relate(x, "MEMBER_OF", t, vec![], s, t0, t1, "member.of_org")
                        }
                        _ => {}
                    }
                }
                // "negotiators from the EU and Indonesia"
                if label(doc, x) == "Group" && w == "from" {
                    if let Some((more, end)) = pattern::actors_at(doc, s, k) {
                        let (t0, t1) = span(doc, s, i - 1, end - 1);
                        let more: Vec<Eid> = more
                            .into_iter()
                            .filter(|&t| matches!(label(doc, t), "Country" | "Organization"))
                            .collect();
                        for t in more {
                            if doc.ents[x].class.starts_with("rep:")
                                || doc.ents[x].class == "observers"
                            {
                                doc.relate(x, "REPRESENTS", t, vec![], s, t0, t1, "group.from");
                            }
                        }
                    }
                }
            }
            "candidate" | "leader" | "member"
                if i >= 3 && doc.sents[s].word(i + 1) == Some("of") =>
            {
                let Some(p) = (0..i)
                    .rev()
                    .find_map(|k| doc.sents[s].ent(k).filter(|&e| label(doc, e) == "Person"))
                else {
                    continue;
                };
                let k = if doc.sents[s].word(i + 2) == Some("the") {
                    i + 3
                } else {
                    i + 2
                };
                let org = (k..n.min(k + 4)).find_map(|j| {
                    doc.sents[s]
                        .ent(j)
                        .filter(|&e| label(doc, e) == "Organization")
                });
                if let Some(o) = org {
                    let oi = (k..n)
                        .find(|&j| doc.sents[s].ent(j) == Some(o))
                        .unwrap_or(k);
                    let pi = (0..i)
                        .rev()
                        .find(|&j| doc.sents[s].ent(j) == Some(p))
                        .unwrap_or(0);
                    let (t0, t1) = span(doc, s, pi, oi);
                    doc.relate(p, "MEMBER_OF", o, vec![], s, t0, t1, "member.of_org");
                }
            }
            // "An IMF mission led by Carlos Herrera"
            "led" | "headed"
                if i >= 1
                    && doc.sents[s].word(i + 1) == Some("by")
                    && doc.sents[s]
                        .ent(i - 1)
                        .is_some_and(|e| label(doc, e) == "Group") =>
            {
                let g = doc.sents[s].ent(i - 1).unwrap_or_default();
                if let Some(p) = doc.sents[s]
                    .ent(i + 2)
                    .filter(|&e| label(doc, e) == "Person")
                {
                    let (t0, t1) = span(doc, s, i - 1, i + 2);
                    doc.relate(p, "MEMBER_OF", g, vec![], s, t0, t1, "member.led");
                }
            }
            "led" | "leads" | "heads" | "headed"
                if i >= 2 && doc.sents[s].word(i - 1) == Some("who") =>
            {
                let Some(p) = doc.sents[s]
                    .ent(i - 3)
                    .filter(|&e| label(doc, e) == "Person")
                else {
                    continue;
                };
                let g = (i + 1..n.min(i + 3))
                    .find_map(|k| doc.sents[s].ent(k).filter(|&e| label(doc, e) == "Group"));
                if let Some(g) = g {
                    let (t0, t1) = span(doc, s, i - 3, i + 1);
                    doc.relate(p, "MEMBER_OF", g, vec![], s, t0, t1, "member.led");
                }
            }
            _ => {}
        }
        // "his social media platform Truth Social"
        if let IK::Pron(p) = &doc.sents[s].items[i].kind.clone() {
            if matches!(p.as_str(), "his" | "her" | "its") {
                let owns = (i + 1..n.min(i + 6)).find_map(|k| {
                    let is_kind = doc.sents[s]
                        .word(k - 1)
                        .is_some_and(|w| lx::ORG_KIND_NOUNS.iter().any(|(n, _)| *n == w));
                    doc.sents[s]
                        .ent(k)
                        .filter(|&e| label(doc, e) == "Organization" && is_kind)
                        .map(|e| (e, k))
                });
                let all_words = owns.is_some_and(|(_, k)| {
                    (i + 1..k).all(|j| {
                        doc.sents[s]
                            .word(j)
                            .is_some_and(|w| w.chars().all(char::is_alphabetic))
                    })
                });
                if let (Some((o, k)), true) = (owns, all_words) {
                    if let Some(owner) = pattern::resolve_pron(doc, s, i)
                        .filter(|&e| matches!(label(doc, e), "Person" | "Organization"))
                    {
                        let (t0, t1) = span(doc, s, i, k);
                        doc.relate(owner, "OWNS", o, vec![], s, t0, t1, "org.owns");
                    }
                }
            }
        }
    }
}

fn is_party(doc: &Doc, o: Eid) -> bool {
    matches!(
        doc.ents[o].str_prop("kind"),
        Some("political party" | "political coalition" | "trade union" | "union")
    )
}
