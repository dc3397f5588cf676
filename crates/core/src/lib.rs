//! diptych-core: the data model and the pipeline stages of diptych.
//!
//! A bilingual document goes through these stages, each in its own module:
//!
//! ```text
//! ingest -> segment -> align -> check -> extract -> export
//! ```
//!
//! * [`ingest`] turns an input (woven two-column text, two files, a pre-segmented pair) into
//!   one [`Document`] per language made of [`Block`]s;
//! * [`segment`] cuts each block into [`Sentence`]s with per-language rules;
//! * [`align`] pairs blocks, then sentences inside aligned blocks, into [`Bead`]s;
//! * [`check`] compares the two sides of each bead and reports [`Finding`]s;
//! * [`extract`] reads the record the report carries: one [`Activity`] per reported event;
//! * [`export`] writes the results in standard formats (Markdown, JSONL, TSV, TMX, XLIFF, HTML).
//!
//! Stages talk only through the data model in [`model`]; [`pipeline`] is the glue that the
//! command line and the server both call. No stage here knows about the command line or HTTP.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod align;
pub mod batch;
pub mod check;
pub mod dates;
pub mod edit;
pub mod error;
pub mod export;
pub mod extract;
pub mod fsio;
pub mod ingest;
pub mod model;
pub mod pipeline;
pub mod report;
pub mod segment;
pub mod text;

pub use error::{Error, Result};
pub use model::{
    Activity, Bead, Bitext, Block, BlockKind, Document, Finding, FindingCounts, Lang, NoteLink,
    Provenance, Region, RunOutput, Sentence, Severity, SourceStamp,
};
