//! What a run produces, as one value: the input of the run folder's writers
//! ([`crate::export::run_folder`]).

use serde::{Deserialize, Serialize};

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
    /// Where the run came from, recorded in `run.json` when known (batch runs): lets a later
    /// batch skip a document whose input and options are unchanged.
    pub provenance: Provenance,
}

/// What `run.json` records about a run's origin besides the bitext; empty for a run of one
/// document, so that its `run.json` stays as it always was.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Provenance {
    /// The content hashes of the input and of the options the run used.
    pub source: Option<SourceStamp>,
    /// The year the document reports on, when a batch manifest gives it.
    pub year: Option<i32>,
}

/// The content hashes of a run's input bytes and options (SHA-256, lower-case hex): two runs
/// with the same stamp give the same outputs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceStamp {
    /// SHA-256 over the input files' bytes, each preceded by its length.
    pub input_sha256: String,
    /// SHA-256 over the run's options as text (program version, languages, name, checkers).
    pub options_sha256: String,
}
