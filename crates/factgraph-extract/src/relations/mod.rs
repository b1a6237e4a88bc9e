//! Membership, ownership, proposals, meetings and travel.
//!
//! - `member.including`: "senior administration officials—including Vice
//!   President Vance, ...—"; `member.of_org`: "Carla Muñoz of the Broad Front",
//!   "the candidate of the Republican Alliance"; `member.led`: "X, who led the
//!   Indonesian delegation"; `group.from`: "negotiators from the EU and
//!   Indonesia" (REPRESENTS); `group.at`: "analysts at Morgan Stanley".
//! - `org.owns`: "his social media platform Truth Social".
//! - `proposal.drafted_by`, `proposal.drafted`, `proposal.brokered_by`,
//!   `proposal.input_from`, `proposal.aims_to_end`, `proposal.points`,
//!   `proposal.acquisition`.
//! - `meeting.travel`: "X would travel to Moscow to meet directly with Putin";
//!   `meeting.will_meet`, `meeting.met`, `meeting.discussions`,
//!   `meeting.future` ("potential direct meetings with ...", "I look forward
//!   to meeting with ..."), `meeting.spoke`, `meeting.briefed`.

mod meetings;
mod membership;
mod proposals;

use crate::doc::{Doc, Eid, IK};
use crate::pattern;

pub use meetings::meetings;
pub use membership::membership;
pub use proposals::{acquisitions, proposals};

fn label(doc: &Doc, e: Eid) -> &'static str {
    doc.ents[e].label
}

fn proposal_at(doc: &Doc, s: usize, i: usize) -> Option<Eid> {
    match doc.sents[s].items.get(i)?.kind {
        IK::Ent(e, _) if label(doc, e) == "Proposal" => Some(e),
        IK::Pron(ref p) if p == "it" => {
            pattern::resolve_pron(doc, s, i).filter(|&e| label(doc, e) == "Proposal")
        }
        _ => None,
    }
}

/// The proposal a clause at item `v` is about: the nearest one before it.
fn proposal_before(doc: &Doc, s: usize, v: usize) -> Option<(Eid, usize)> {
    (0..v)
        .rev()
        .find_map(|i| proposal_at(doc, s, i).map(|e| (e, i)))
}

fn span(doc: &Doc, s: usize, a: usize, b: usize) -> (usize, usize) {
    let items = &doc.sents[s].items;
    (items[a.min(b)].t0, items[b.max(a).min(items.len() - 1)].t1)
}
