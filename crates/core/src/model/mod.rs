//! The data model every stage speaks.
//!
//! * [`Lang`]: a language code.
//! * [`Document`]: one language version, as [`Block`]s (title, heading, item, paragraph) and
//!   the [`Sentence`]s cut from them. Sentences point into their block by index and byte span.
//! * [`Bitext`]: two documents and their alignment, as [`Bead`]s that map a range of sentences
//!   (or blocks) on one side to a range on the other (n:m, 1:0 and 0:1 all expressible).
//! * [`Finding`]: one disagreement between the two versions, found by a check.
//! * [`Activity`]: one reported event (meeting, summit, intervention) as data.
//! * [`RunOutput`]: all of the above for one document, as a run leaves it.
//!
//! Ids and indices, not references: everything here is plain data that serialises with serde
//! into the one form used by files, golden tests and the HTTP API.

mod activity;
mod bitext;
mod document;
mod finding;
mod lang;
mod run;

pub use activity::{Activity, Level, Place};
pub use bitext::{Bead, Bitext};
pub use document::{Block, BlockKind, Document, NoteLink, Region, Sentence};
pub use finding::{Finding, FindingCounts, Highlight, Severity};
pub use lang::Lang;
pub use run::{Provenance, RunOutput, SourceStamp};
