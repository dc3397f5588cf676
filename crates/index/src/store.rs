//! The archive as the front ends see it: [`Archive`], one type over two backends, each behind
//! the [`Store`] trait. A location that is a `postgres://` (or `postgresql://`) URL opens the
//! shared archive on a PostgreSQL server (`crate::pg`); anything else is a SQLite file
//! (`crate::archive`). The command line and the server only ever hold an [`Archive`].
//!
//! What both backends share lives here and in `search.rs` / `group.rs`: checking documents
//! before they are stored, paging and ranking a search window, grouping renderings. A
//! backend answers the primitive questions (which sentences match, one hit, one count).

use std::cell::{Cell, RefCell};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use diptych_core::Finding;

use crate::activities::{ActivityFilter, ActivityRecord, ActivitySource};
use crate::archive::{BeadRecord, DocumentInfo, SqliteArchive};
use crate::cache::{SearchCache, Searches, WindowCache};
use crate::group::{Grouping, Matched};
use crate::search::{Hit, Page, Query};
use crate::write::{validate, NewDocument};
use crate::{AddOptions, Result};

/// Searches whose count and ranking `diptych serve` keeps, shared by its connections
/// ([`Archive::share_searches`]): about 16 KB each at most.
pub const SEARCH_CACHE: usize = 256;

/// What a backend of the archive answers. Methods are the primitives the shared code in
/// [`Archive`] builds on; each backend implements them with its own SQL.
pub(crate) trait Store: Send {
    /// The file path, or the server URL with any password left out (for messages).
    fn location(&self) -> &Path;
    /// All documents by name (byte order), with their stored counts.
    fn list(&self) -> Result<Vec<DocumentInfo>>;
    /// A document's sentence beads from `offset`, at most `limit`.
    fn beads(&self, name: &str, offset: usize, limit: usize) -> Result<Vec<BeadRecord>>;
    /// A document's findings in the order they were added.
    fn findings(&self, name: &str) -> Result<Vec<Finding>>;
    /// A document's stored review page.
    fn report_html(&self, name: &str) -> Result<Option<String>>;
    /// Stores already validated documents in one transaction (same name = replace).
    fn add_batch(&mut self, docs: &[NewDocument]) -> Result<()>;
    /// Removes one document and everything stored with it.
    fn remove(&mut self, name: &str) -> Result<()>;
    /// Compacts the full-text indexes after a bulk add.
    fn optimize(&mut self) -> Result<()>;
    /// Checks the stored data; `Ok(())` when sound.
    fn check_integrity(&self) -> Result<()>;
    /// (sentence id, rank: lower is better) of the most recently added matches of `query`,
    /// newest first, at most `limit`.
    fn window(&self, query: &Query, limit: usize) -> Result<Vec<(i64, f64)>>;
    /// The hits of one page, `(id, rank)` each, in that order, each sentence (a match of
    /// `query`) with its highlights and counterpart; read together (one statement).
    fn hits(&self, query: &Query, page: &[(i64, f64)]) -> Result<Vec<Hit>>;
    /// (bead id, match) of the sentences matching `query`, at most `limit`.
    fn matching_beads(&self, query: &Query, limit: usize) -> Result<Vec<(i64, Matched)>>;
    /// Number of beads with a sentence holding the words of `key` in a row, under the filters
    /// of `scope`.
    fn beads_containing(&self, scope: &Query, key: &str) -> Result<usize>;
    /// The activities the SQL filters of an already checked `filter` admit (partner, dates,
    /// level, document; places and title words are left to [`Archive`]), in date order, at
    /// most `limit` (`None`: all).
    fn activities(
        &self,
        filter: &ActivityFilter,
        limit: Option<usize>,
    ) -> Result<Vec<ActivityRecord>>;
    /// The activity `index` of document `name` with the beads whose source or target block is
    /// one of the activity's blocks, in order.
    fn activity_source(&self, name: &str, index: usize) -> Result<ActivitySource>;
    /// Stops the queries run from now on once `budget` has passed (`None`: no limit); a
    /// stopped query fails with [`crate::Error::TimedOut`].
    fn set_time_budget(&self, budget: Option<Duration>) -> Result<()>;
    /// A number that moves whenever another connection commits a change to the archive
    /// (read before a cached search window is used; see `crate::cache`).
    fn version(&self) -> Result<i64>;
}

/// An archive: many processed documents, their beads, findings and activities, in one SQLite
/// file or in a PostgreSQL database shared by a team. Which one is told by the location given
/// to [`Archive::open`]; every method answers the same on both.
pub struct Archive {
    store: Box<dyn Store>,
    /// The ranked windows of recent searches, when [`Archive::cache_searches`] or
    /// [`Archive::share_searches`] asked for them.
    searches: Searches,
}

/// Whether `location` names a PostgreSQL server (`postgres://...` or `postgresql://...`)
/// rather than a SQLite file.
pub fn is_postgres(location: &Path) -> bool {
    location
        .to_str()
        .is_some_and(|s| s.starts_with("postgres://") || s.starts_with("postgresql://"))
}

/// `location` as shown in messages: a URL's password is replaced by `***`.
pub fn display_location(location: &Path) -> String {
    if is_postgres(location) {
        crate::pg::redact(&location.to_string_lossy())
    } else {
        location.display().to_string()
    }
}

impl Archive {
    fn over(store: Box<dyn Store>) -> Archive {
        Archive {
            store,
            searches: Searches::none(),
        }
    }

    /// Keeps the count and ranking of the last `searches` distinct searches (text, mode and
    /// filters; any page), so that asking one again, or for another of its pages, reads only
    /// the page's hits. They are dropped whenever the archive changes (another connection
    /// commits, or this one writes), so answers are the same as without. 0 (the default)
    /// keeps none.
    pub fn cache_searches(&mut self, searches: usize) {
        self.searches = Searches::Own(RefCell::new(WindowCache::new(searches)));
    }

    /// Keeps search windows as [`Archive::cache_searches`] does, in `cache`, shared with the
    /// other connections given it (`diptych serve`'s connections share one of
    /// [`SEARCH_CACHE`] searches). Each connection still checks the archive's version
    /// before each search; the first to see a change empties the shared windows.
    pub fn share_searches(&mut self, cache: &Arc<SearchCache>) -> Result<()> {
        let seen = self.store.version()?;
        self.searches = Searches::Shared(cache.clone(), Cell::new(seen));
        Ok(())
    }

    /// Opens the archive at `location`, creating an empty one when there is none and upgrading
    /// one of an older schema in place (in one transaction). A SQLite path, or a
    /// `postgres://user:password@host:port/database` URL (no TLS: `sslmode=disable`; a schema
    /// other than the default through `?options=-csearch_path%3Dname`).
    ///
    /// Refuses files and databases that are not archives, archives of other programs and
    /// archives of a newer schema version, each with its own error.
    pub fn open(location: impl AsRef<Path>) -> Result<Archive> {
        let location = location.as_ref();
        let store: Box<dyn Store> = if is_postgres(location) {
            Box::new(crate::pg::PgArchive::open(location, true)?)
        } else {
            Box::new(SqliteArchive::open(location)?)
        };
        Ok(Archive::over(store))
    }

    /// Opens an existing archive for reading only (the server does this). An archive of an
    /// older schema is refused ([`crate::Error::OlderSchema`]): upgrading needs [`Archive::open`].
    pub fn open_read_only(location: impl AsRef<Path>) -> Result<Archive> {
        let location = location.as_ref();
        let store: Box<dyn Store> = if is_postgres(location) {
            Box::new(crate::pg::PgArchive::open(location, false)?)
        } else {
            Box::new(SqliteArchive::open_read_only(location)?)
        };
        Ok(Archive::over(store))
    }

    /// The archive's file path, or its PostgreSQL URL without the password.
    pub fn path(&self) -> &Path {
        self.store.location()
    }

    /// The documents in the archive, by name, with their counts of beads, findings and
    /// activities.
    pub fn list(&self) -> Result<Vec<DocumentInfo>> {
        self.store.list()
    }

    /// The sentence beads of a document, `offset` first, at most `limit`.
    pub fn beads(&self, name: &str, offset: usize, limit: usize) -> Result<Vec<BeadRecord>> {
        self.store.beads(name, offset, limit)
    }

    /// The findings stored with a document, in the order they were added.
    pub fn findings(&self, name: &str) -> Result<Vec<Finding>> {
        self.store.findings(name)
    }

    /// The review page stored with a document, if any.
    pub fn report_html(&self, name: &str) -> Result<Option<String>> {
        self.store.report_html(name)
    }

    /// Adds a document with its findings and activities, replacing any document of the same
    /// name, in one transaction: a crash leaves either the old or the new state.
    pub fn add(
        &mut self,
        bitext: &diptych_core::Bitext,
        findings: &[Finding],
        activities: &[diptych_core::Activity],
    ) -> Result<()> {
        self.add_with(bitext, findings, activities, &AddOptions::default())
    }

    /// [`Archive::add`] with a year and a review page.
    pub fn add_with(
        &mut self,
        bitext: &diptych_core::Bitext,
        findings: &[Finding],
        activities: &[diptych_core::Activity],
        options: &AddOptions,
    ) -> Result<()> {
        self.add_batch(&[NewDocument {
            bitext,
            findings,
            activities,
            options,
        }])
    }

    /// Adds many documents in one transaction (each replacing a document of the same name;
    /// within the batch, the last of one name wins). Nothing is stored unless all are: a
    /// document that cannot be stored fails the batch before anything is written.
    pub fn add_batch(&mut self, docs: &[NewDocument]) -> Result<()> {
        self.searches.clear();
        for doc in docs {
            validate(doc.bitext)?;
        }
        self.store.add_batch(docs)
    }

    /// Removes the document named `name` and everything stored with it.
    pub fn remove(&mut self, name: &str) -> Result<()> {
        self.searches.clear();
        self.store.remove(name)
    }

    /// Compacts the full-text indexes (SQLite: merges each into one segment; PostgreSQL:
    /// `VACUUM ANALYZE`, which also empties the GIN indexes' pending lists). After a bulk
    /// `index add` this makes searches faster; a crash during it leaves the archive as it was.
    pub fn optimize(&mut self) -> Result<()> {
        self.store.optimize()
    }

    /// Checks the stored data (SQLite: its integrity check and the full-text index's;
    /// PostgreSQL: every row points at a stored document, bead and block, and the stored
    /// counts agree with the rows); `Ok(())` when sound.
    pub fn check_integrity(&self) -> Result<()> {
        self.store.check_integrity()
    }

    /// Searches the archive; hits are ranked (best first) among the [`crate::WINDOW`] most
    /// recently added matches. Only the hits of the page are read in full, so the cost is
    /// bounded by the window, not by the size of the archive.
    pub fn search(&self, query: &Query) -> Result<Page<Hit>> {
        crate::search::search(self.store.as_ref(), &self.searches, query)
    }

    /// Groups the beads matching `query` by the way their other side renders it, one group
    /// per language the query was found in.
    pub fn group(&self, query: &Query) -> Result<Vec<Grouping>> {
        crate::group::group(self.store.as_ref(), query)
    }

    /// The activities matching `filter`, in date order, at most `limit`. An activity falls in
    /// a date range when any of its dates does; undated activities are left out of dated
    /// searches.
    pub fn activities(&self, filter: &ActivityFilter, limit: usize) -> Result<Vec<ActivityRecord>> {
        crate::activities::activities(self.store.as_ref(), filter, Some(limit))
    }

    /// Every activity matching `filter`, in date order: what the activities page counts and
    /// draws before showing one page of it.
    pub fn all_activities(&self, filter: &ActivityFilter) -> Result<Vec<ActivityRecord>> {
        crate::activities::activities(self.store.as_ref(), filter, None)
    }

    /// The activity `index` of document `name` (its position among the document's
    /// activities) with the beads it comes from.
    pub fn activity_source(&self, name: &str, index: usize) -> Result<ActivitySource> {
        self.store.activity_source(name, index)
    }

    /// Bounds the time of the queries that follow, so that a slow one is cut instead of holding
    /// a connection (the server sets it before each request). SQLite: every query run until
    /// the next call shares the budget, counted from this call, and is interrupted by a
    /// progress handler once it has passed; PostgreSQL: each statement gets the budget
    /// (`statement_timeout`). A query cut fails with [`crate::Error::TimedOut`]. `None`
    /// lifts the bound.
    pub fn set_time_budget(&self, budget: Option<Duration>) -> Result<()> {
        self.store.set_time_budget(budget)
    }
}
