//! diptych-index: the archive of processed documents, searched as a bilingual concordance.
//!
//! An [`Archive`] is one SQLite file, or a PostgreSQL database shared by a team (open it with a
//! `postgres://` URL); both backends sit behind one trait and answer alike. [`Archive::add`] stores a document's [`Bitext`], its
//! findings and activities (replacing a document of the same name, in one transaction;
//! [`Archive::add_batch`] stores many in one);
//! [`Archive::search`] answers a [`Query`] with a [`Page`] of [`Hit`]s: each the matching
//! sentence with its matches marked, and the whole other side of its bead;
//! [`Archive::group`] lists how the other language rendered a term; [`Archive::activities`]
//! lists reported activities across documents. The query syntax is described in [`query`].
//!
//! ```no_run
//! use diptych_index::{Archive, Query};
//! # fn main() -> diptych_index::Result<()> {
//! let archive = Archive::open("diptych.sqlite")?;
//! for hit in archive.search(&Query::new("navo*"))?.items {
//!     println!("{} | {}", hit.text, hit.counterpart);
//! }
//! # Ok(()) }
//! ```
//!
//! [`Bitext`]: diptych_core::Bitext
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod activities;
mod archive;
mod cache;
mod checkpoint;
mod error;
mod group;
mod pg;
pub mod query;
mod rank;
pub mod schema;
mod search;
mod store;
mod substrings;
mod words;
mod write;

pub use activities::{
    count_by_year_and_level, csv_row, sort_records, write_csv, write_json, ActivityFilter,
    ActivityRecord, ActivitySource, SortKey, YearCount, CSV_HEADER,
};
pub use archive::{infer_year, level_name, parse_level, AddOptions, BeadRecord, DocumentInfo};
pub use cache::SearchCache;
pub use error::{Error, Result};
pub use group::{Grouping, Rendering};
pub use search::{Hit, Page, Query, MAX_LIMIT, WINDOW};
pub use store::{display_location, is_postgres, Archive, SEARCH_CACHE};
pub use write::NewDocument;

/// The archive used when none is given: `$DIPTYCH_ARCHIVE` (a path or a `postgres://` URL), else
/// `diptych.sqlite` in the current folder.
pub fn default_path() -> std::path::PathBuf {
    std::env::var_os("DIPTYCH_ARCHIVE")
        .filter(|p| !p.is_empty())
        .map(Into::into)
        .unwrap_or_else(|| "diptych.sqlite".into())
}
