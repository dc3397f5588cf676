//! The PostgreSQL backend: one archive in one schema of a PostgreSQL database, shared by many
//! users and machines. Opened with a `postgres://` URL (the `postgres` crate, no TLS: a server
//! on loopback or a trusted network with `sslmode=disable`); the archive lives in the first
//! schema of the connection's `search_path` (`public` unless the URL says
//! `?options=-csearch_path%3Dname,public`).
//!
//! The schema (`migrations/postgres/`) holds the tables of the SQLite schema, each sentence's
//! words as a `tsvector` (GIN index, `unaccent` + `simple`) and its folded text under a
//! `pg_trgm` index. `schema.rs` creates and upgrades it; `write.rs` adds and removes
//! documents (one transaction per batch, one statement per table and document, names locked
//! so concurrent writers never lose a document); `search.rs` answers searches and grouping,
//! `activities.rs` the activities and the beads each comes from.

mod activities;
mod schema;
mod search;
mod write;

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use diptych_core::Finding;
use postgres::{Client, NoTls};

use crate::archive::{BeadRecord, DocumentInfo};
use crate::{Error, Result};

/// An archive in a PostgreSQL database.
pub(crate) struct PgArchive {
    client: RefCell<Client>,
    /// The URL without its password, for messages.
    location: PathBuf,
    /// The document list as last read, with the change count it was read at.
    documents: RefCell<Option<(i64, Vec<DocumentInfo>)>>,
    /// The reading statements prepared on this connection, by their SQL: a search runs the
    /// same few statements many times, and a prepared one is one round trip instead of two.
    prepared: RefCell<HashMap<String, postgres::Statement>>,
    /// The `statement_timeout` last set on the connection, in ms (0: none).
    timeout_ms: std::cell::Cell<u128>,
}

impl PgArchive {
    /// Connects to the server named by `url` and opens the archive: creating or upgrading it
    /// when `writable`, else only checking its version (and refusing writes on the connection).
    pub(crate) fn open(url: &Path, writable: bool) -> Result<PgArchive> {
        let raw = url.to_str().unwrap_or_default();
        let location = PathBuf::from(redact(raw));
        let connect_error = |message: String| Error::Connect {
            path: location.clone(),
            message,
        };
        let config: postgres::Config = raw.parse().map_err(|e| connect_error(message_of(&e)))?;
        let client = config
            .connect(NoTls)
            .map_err(|e| connect_error(message_of(&e)))?;
        let archive = PgArchive {
            client: RefCell::new(client),
            location,
            documents: RefCell::new(None),
            prepared: RefCell::new(HashMap::new()),
            timeout_ms: std::cell::Cell::new(0),
        };
        // The archive's queries are short and many: compiling them to machine code (JIT, on by
        // default when the server has it) costs more than it saves.
        archive.batch("SET jit = off")?;
        // Searches are prepared once and run with many arguments: a plan made for one word
        // (or one range of a window, `search.rs`) is wrong for another, so each run is planned
        // for its own arguments (a fraction of a millisecond).
        archive.batch("SET plan_cache_mode = force_custom_plan")?;
        if writable {
            archive.create_or_upgrade()?;
        } else {
            archive.check_readable()?;
            archive.batch("SET default_transaction_read_only = on")?;
        }
        Ok(archive)
    }

    /// Maps a statement's error to ours, naming the archive.
    fn fail(&self, e: postgres::Error) -> Error {
        if e.code() == Some(&postgres::error::SqlState::QUERY_CANCELED) {
            return Error::TimedOut {
                path: self.location.clone(),
            };
        }
        Error::Postgres {
            path: self.location.clone(),
            message: message_of(&e),
        }
    }

    /// Runs statements without parameters (one simple-query round trip).
    fn batch(&self, sql: &str) -> Result<()> {
        self.client
            .borrow_mut()
            .batch_execute(sql)
            .map_err(|e| self.fail(e))
    }

    /// The rows of one statement, prepared once per connection.
    fn rows(
        &self,
        sql: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Vec<postgres::Row>> {
        let mut client = self.client.borrow_mut();
        let statement = self.prepare(&mut client, sql)?;
        client.query(&statement, params).map_err(|e| self.fail(e))
    }

    /// [`PgArchive::rows`], planned with bitmap index scans only: no walk of an index in its
    /// order and no sequential scan (`SET LOCAL` in a transaction of its own). For a search
    /// in a range of row ids: the index's matches intersected with the range.
    fn rows_by_bitmaps(
        &self,
        sql: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Vec<postgres::Row>> {
        let mut client = self.client.borrow_mut();
        let statement = self.prepare(&mut client, sql)?;
        let mut tx = client.transaction().map_err(|e| self.fail(e))?;
        tx.batch_execute("SET LOCAL enable_indexscan = off; SET LOCAL enable_seqscan = off")
            .map_err(|e| self.fail(e))?;
        let rows = tx.query(&statement, params).map_err(|e| self.fail(e))?;
        tx.commit().map_err(|e| self.fail(e))?;
        Ok(rows)
    }

    /// The statement `sql`, prepared on this connection once.
    fn prepare(&self, client: &mut Client, sql: &str) -> Result<postgres::Statement> {
        let mut prepared = self.prepared.borrow_mut();
        if let Some(statement) = prepared.get(sql) {
            return Ok(statement.clone());
        }
        let statement = client.prepare(sql).map_err(|e| self.fail(e))?;
        prepared.insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }

    /// How many writes the archive has seen (bumped by every committed add or remove).
    fn changes(&self) -> Result<i64> {
        let rows = self.rows("SELECT value FROM diptych_meta WHERE key = 'changes'", &[])?;
        Ok(rows.first().map_or(0, |r| r.get(0)))
    }

    /// The documents by name, read again only when another writer has committed since.
    pub(crate) fn list(&self) -> Result<Vec<DocumentInfo>> {
        let version = self.changes()?;
        if let Some((seen, docs)) = self.documents.borrow().as_ref() {
            if *seen == version {
                return Ok(docs.clone());
            }
        }
        let rows = self.rows(
            "SELECT name, year, src_lang, tgt_lang, title, n_beads, n_findings, n_activities,
                    report_html IS NOT NULL
             FROM documents ORDER BY name",
            &[],
        )?;
        let docs: Vec<DocumentInfo> = rows
            .iter()
            .map(|r| DocumentInfo {
                name: r.get(0),
                year: r.get::<_, Option<i64>>(1).map(|y| y as i32),
                langs: [r.get(2), r.get(3)],
                title: r.get(4),
                beads: r.get::<_, i64>(5) as usize,
                findings: r.get::<_, i64>(6) as usize,
                activities: r.get::<_, i64>(7) as usize,
                has_report: r.get(8),
            })
            .collect();
        *self.documents.borrow_mut() = Some((version, docs.clone()));
        Ok(docs)
    }

    /// The row id of the document named `name`.
    fn document(&self, name: &str) -> Result<i64> {
        let rows = self.rows("SELECT id FROM documents WHERE name = $1", &[&name])?;
        rows.first()
            .map(|r| r.get(0))
            .ok_or_else(|| Error::NoSuchDocument(name.to_owned()))
    }

    pub(crate) fn beads(&self, name: &str, offset: usize, limit: usize) -> Result<Vec<BeadRecord>> {
        let doc = self.document(name)?;
        let rows = self.rows(
            "SELECT ord, src_text, tgt_text, shape, score FROM beads
             WHERE doc = $1 AND ord >= $2 ORDER BY ord LIMIT $3",
            &[&doc, &(offset as i64), &(limit as i64)],
        )?;
        Ok(rows.iter().map(bead_record).collect())
    }

    pub(crate) fn findings(&self, name: &str) -> Result<Vec<Finding>> {
        let doc = self.document(name)?;
        let rows = self.rows(
            "SELECT json FROM findings WHERE doc = $1 ORDER BY id",
            &[&doc],
        )?;
        rows.iter().map(|r| self.decode(r.get(0))).collect()
    }

    pub(crate) fn report_html(&self, name: &str) -> Result<Option<String>> {
        let doc = self.document(name)?;
        let rows = self.rows("SELECT report_html FROM documents WHERE id = $1", &[&doc])?;
        Ok(rows.first().and_then(|r| r.get(0)))
    }

    /// Reads a record stored as JSON.
    fn decode<T: serde::de::DeserializeOwned>(&self, json: &str) -> Result<T> {
        serde_json::from_str(json).map_err(|e| Error::Postgres {
            path: self.location.clone(),
            message: format!("a stored record cannot be read: {e}"),
        })
    }

    /// Vacuums and analyses the tables: the GIN indexes' pending entries are merged and the
    /// planner's statistics (which decide index or scan per query) are renewed.
    pub(crate) fn optimize(&mut self) -> Result<()> {
        for table in [
            "documents",
            "blocks",
            "beads",
            "sentences",
            "findings",
            "activities",
            "activity_partners",
            "activity_blocks",
        ] {
            // VACUUM cannot run inside a transaction block: one statement per call.
            self.batch(&format!("VACUUM ANALYZE {table}"))?;
        }
        Ok(())
    }

    /// Checks that every row belongs to a stored document, every sentence to a stored bead
    /// and block of it, and that the stored counts agree with the rows.
    pub(crate) fn check_integrity(&self) -> Result<()> {
        let checks = [
            (
                "sentences without their bead or block",
                "SELECT count(*) FROM sentences s
              WHERE NOT EXISTS (SELECT 1 FROM beads b WHERE b.id = s.bead AND b.doc = s.doc)
                 OR NOT EXISTS (SELECT 1 FROM blocks k WHERE k.id = s.block AND k.doc = s.doc)",
            ),
            (
                "rows without their document",
                "SELECT (SELECT count(*) FROM beads WHERE doc NOT IN (SELECT id FROM documents))
                   + (SELECT count(*) FROM blocks WHERE doc NOT IN (SELECT id FROM documents))
                   + (SELECT count(*) FROM findings WHERE doc NOT IN (SELECT id FROM documents))
                   + (SELECT count(*) FROM activities WHERE doc NOT IN (SELECT id FROM documents))",
            ),
            (
                "documents whose counts disagree with their rows",
                "SELECT count(*) FROM documents d
              WHERE d.n_beads <> (SELECT count(*) FROM beads WHERE doc = d.id)
                 OR d.n_findings <> (SELECT count(*) FROM findings WHERE doc = d.id)
                 OR d.n_activities <> (SELECT count(*) FROM activities WHERE doc = d.id)",
            ),
        ];
        for (what, sql) in checks {
            let bad: i64 = self.rows(sql, &[])?[0].get(0);
            if bad > 0 {
                return Err(Error::Invalid(format!(
                    "{}: integrity check failed: {bad} {what}",
                    self.location.display()
                )));
            }
        }
        Ok(())
    }
}

/// The URL with its password replaced by `***`, for messages.
pub(crate) fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((user, host)) if user.contains(':') => {
            let name = user.split(':').next().unwrap_or_default();
            format!("{scheme}://{name}:***@{host}")
        }
        _ => url.to_owned(),
    }
}

/// What the server said (message, detail, hint), or the client's own error.
fn message_of(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => {
            let mut message = db.message().to_owned();
            for extra in [db.detail(), db.hint()].into_iter().flatten() {
                message.push_str(" (");
                message.push_str(extra);
                message.push(')');
            }
            message
        }
        None => {
            let mut message = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(cause) = source {
                message.push_str(&format!(": {cause}"));
                source = cause.source();
            }
            message
        }
    }
}

/// A bead from a row of (ord, src_text, tgt_text, shape, score).
fn bead_record(r: &postgres::Row) -> BeadRecord {
    BeadRecord {
        index: r.get::<_, i64>(0) as usize,
        src: r.get(1),
        tgt: r.get(2),
        shape: r.get(3),
        score: r.get(4),
    }
}

impl PgArchive {
    /// Sets the connection's `statement_timeout` to `budget` (0: none), unless already set.
    fn set_time_budget(&self, budget: Option<std::time::Duration>) -> Result<()> {
        let ms = budget.map_or(0, |b| b.as_millis().max(1));
        if ms != self.timeout_ms.get() {
            self.batch(&format!("SET statement_timeout = {ms}"))?;
            self.timeout_ms.set(ms);
        }
        Ok(())
    }
}

impl crate::store::Store for PgArchive {
    fn location(&self) -> &Path {
        &self.location
    }
    fn set_time_budget(&self, budget: Option<std::time::Duration>) -> Result<()> {
        PgArchive::set_time_budget(self, budget)
    }
    fn version(&self) -> Result<i64> {
        self.changes()
    }
    fn list(&self) -> Result<Vec<DocumentInfo>> {
        PgArchive::list(self)
    }
    fn beads(&self, name: &str, offset: usize, limit: usize) -> Result<Vec<BeadRecord>> {
        PgArchive::beads(self, name, offset, limit)
    }
    fn findings(&self, name: &str) -> Result<Vec<Finding>> {
        PgArchive::findings(self, name)
    }
    fn report_html(&self, name: &str) -> Result<Option<String>> {
        PgArchive::report_html(self, name)
    }
    fn add_batch(&mut self, docs: &[crate::NewDocument]) -> Result<()> {
        PgArchive::add_batch(self, docs)
    }
    fn remove(&mut self, name: &str) -> Result<()> {
        PgArchive::remove(self, name)
    }
    fn optimize(&mut self) -> Result<()> {
        PgArchive::optimize(self)
    }
    fn check_integrity(&self) -> Result<()> {
        PgArchive::check_integrity(self)
    }
    fn window(&self, query: &crate::Query, limit: usize) -> Result<Vec<(i64, f64)>> {
        PgArchive::window(self, query, limit)
    }
    fn hits(&self, query: &crate::Query, page: &[(i64, f64)]) -> Result<Vec<crate::Hit>> {
        PgArchive::hits(self, query, page)
    }
    fn matching_beads(
        &self,
        query: &crate::Query,
        limit: usize,
    ) -> Result<Vec<(i64, crate::group::Matched)>> {
        PgArchive::matching_beads(self, query, limit)
    }
    fn beads_containing(&self, scope: &crate::Query, key: &str) -> Result<usize> {
        PgArchive::beads_containing(self, scope, key)
    }
    fn activities(
        &self,
        filter: &crate::ActivityFilter,
        limit: Option<usize>,
    ) -> Result<Vec<crate::ActivityRecord>> {
        PgArchive::activities(self, filter, limit)
    }
    fn activity_source(&self, name: &str, index: usize) -> Result<crate::ActivitySource> {
        PgArchive::activity_source(self, name, index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_left_out_of_messages() {
        assert_eq!(
            redact("postgres://diptych:secret@127.0.0.1:5432/diptych"),
            "postgres://diptych:***@127.0.0.1:5432/diptych"
        );
        assert_eq!(redact("postgresql://me@host/db"), "postgresql://me@host/db");
    }
}
