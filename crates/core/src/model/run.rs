//! What a run produces, as one value: the input of the run folder's writers
//! ([`crate::export::run_folder`]).

use super::{Activity, Bitext, Finding};

/// Everything a run produces. Other stages add their results here.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunOutput {
    /// The two documents and their alignment.
    pub bitext: Bitext,
    /// What the bilingual checks found ([`crate::pipeline::analyse`]) and where the
    /// activities of the two versions disagree; written as `findings.jsonl` and shown in
    /// `report.html`.
    pub findings: Vec<Finding>,
    /// The activities the document records (see [`crate::extract::activities`]).
    pub activities: Vec<Activity>,
    /// What the reader found besides the pair: blocks in other languages and, for a PDF,
    /// the page layout.
    pub extras: crate::pipeline::IngestExtras,
}
