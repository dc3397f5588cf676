//! The SQLite backend: opening an archive file (creating or upgrading its schema), and reading
//! documents back. Also the helpers both backends share (levels, the year of a document).

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use diptych_core::model::Level;
use diptych_core::{Activity, Bitext, BlockKind, Finding};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};

use crate::checkpoint::Checkpointer;
use crate::schema::{upgrade_sql, APPLICATION_ID, SCHEMA_VERSION};
use crate::substrings;
use crate::{Error, Result};

/// How long a writer waits for another writer's transaction (a batch of 50,000 beads takes
/// seconds on a loaded machine) before giving up with "database is locked". Readers in WAL
/// mode never wait for writers.
pub(crate) const WRITER_PATIENCE: std::time::Duration = std::time::Duration::from_secs(120);

/// The SQLite backend: one file holding many documents, their beads, findings and activities.
pub(crate) struct SqliteArchive {
    /// Checkpoints the two files' write-ahead logs after each commit, on a thread of its own
    /// (`crate::checkpoint`); `None` when opened read-only.
    checkpoints: Option<Checkpointer>,
    pub(crate) conn: Connection,
    pub(crate) path: PathBuf,
    /// The writer's own connection to the substring index beside the archive
    /// (`crate::substrings`); `None` when opened read-only (`conn` attaches it read-only).
    pub(crate) side: Option<Connection>,
    /// The document list as last read, with the `data_version` it was read at: listing is
    /// asked for on every page view, and the archive rarely changes under a server.
    pub(crate) documents: RefCell<Option<(i64, Vec<DocumentInfo>)>>,
    /// When the running statements are to be stopped ([`crate::Archive::set_time_budget`]),
    /// read by the connection's progress handler.
    deadline: Arc<Mutex<Option<Instant>>>,
}

/// What is stored with a document besides its bitext, findings and activities.
#[derive(Clone, Debug, Default)]
pub struct AddOptions {
    /// The year the document reports on; inferred from its name or title when `None`.
    pub year: Option<i32>,
    /// The document's review page (`report.html` of its run folder), served by `diptych serve`.
    pub report_html: Option<String>,
}

/// One document as listed by [`crate::Archive::list`].
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocumentInfo {
    /// The document's name (its key in the archive).
    pub name: String,
    /// The year it reports on, when known.
    pub year: Option<i32>,
    /// Its two languages, source first.
    pub langs: [String; 2],
    /// Its title (the first title or heading block of the source side).
    pub title: String,
    /// Number of sentence beads.
    pub beads: usize,
    /// Number of findings stored.
    pub findings: usize,
    /// Number of activities stored.
    pub activities: usize,
    /// Whether a review page is stored for it.
    pub has_report: bool,
}

/// One stored sentence bead: both sides' text.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BeadRecord {
    /// Index of the bead in its document.
    pub index: usize,
    /// Source-side text (its sentences joined by spaces).
    pub src: String,
    /// Target-side text.
    pub tgt: String,
    /// Shape, e.g. `1:1`, `2:1`, `0:1`.
    pub shape: String,
    /// The aligner's confidence.
    pub score: f64,
}

impl SqliteArchive {
    /// Opens the archive at `path`, creating an empty one when the file does not exist and
    /// upgrading one of an older schema in place (in one transaction).
    ///
    /// Refuses files that are not SQLite databases, SQLite databases of other programs and
    /// archives of a newer schema version, each with its own error.
    pub(crate) fn open(path: impl AsRef<Path>) -> Result<SqliteArchive> {
        let path = path.as_ref().to_path_buf();
        let conn = Connection::open(&path).map_err(|e| sqlite_error(&path, e))?;
        let mut archive = SqliteArchive::wrap(conn, path);
        // Another process may be adding a batch or upgrading: wait for it rather than fail.
        archive.sql(archive.conn.busy_timeout(WRITER_PATIENCE))?;
        archive.create_or_upgrade()?;
        archive.configure(true)?;
        let side = substrings::side_path(&archive.path);
        archive.checkpoints = Some(Checkpointer::start(vec![archive.path.clone(), side]));
        archive.open_side()?;
        Ok(archive)
    }

    /// Opens an existing archive for reading only (the server does this). An archive of an
    /// older schema is refused ([`Error::OlderSchema`]): upgrading needs [`crate::Archive::open`].
    pub(crate) fn open_read_only(path: impl AsRef<Path>) -> Result<SqliteArchive> {
        let path = path.as_ref().to_path_buf();
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(&path, flags).map_err(|e| sqlite_error(&path, e))?;
        let archive = SqliteArchive::wrap(conn, path);
        match archive.header()? {
            (APPLICATION_ID, version) if version < SCHEMA_VERSION => Err(Error::OlderSchema {
                path: archive.path.clone(),
                found: version,
                current: SCHEMA_VERSION,
            }),
            (APPLICATION_ID, _) => archive.check_version(),
            _ => Err(Error::Foreign {
                path: archive.path.clone(),
            }),
        }?;
        archive.configure(false)?;
        substrings::attach(&archive.conn, &archive.path)?;
        Ok(archive)
    }

    fn wrap(mut conn: Connection, path: PathBuf) -> SqliteArchive {
        let deadline: Arc<Mutex<Option<Instant>>> = Arc::default();
        let watched = deadline.clone();
        // Fails only when SQLite's handle is gone; the archive then has no time budget.
        let _ = conn.progress_handler(STEPS_PER_CLOCK_CHECK, Some(move || past(&watched)));
        SqliteArchive {
            checkpoints: None,
            conn,
            path,
            side: None,
            documents: RefCell::new(None),
            deadline,
        }
    }

    pub(crate) fn sql<T>(&self, r: rusqlite::Result<T>) -> Result<T> {
        r.map_err(|e| sqlite_error(&self.path, e))
    }

    fn header(&self) -> Result<(i64, i64)> {
        self.sql(read_header(&self.conn))
    }

    fn check_version(&self) -> Result<()> {
        let (_, version) = self.header()?;
        if version > SCHEMA_VERSION {
            return Err(Error::NewerSchema {
                path: self.path.clone(),
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        Ok(())
    }

    /// Creates the schema in an empty file, or brings an older archive to the current schema.
    /// The version is read again inside the write transaction, so two processes opening the
    /// same old archive upgrade it once.
    fn create_or_upgrade(&mut self) -> Result<()> {
        match self.header()? {
            (APPLICATION_ID, v) if v == SCHEMA_VERSION => return Ok(()),
            (APPLICATION_ID, _) => self.check_version()?,
            (0, 0) if self.is_empty_database()? => {}
            _ => {
                return Err(Error::Foreign {
                    path: self.path.clone(),
                })
            }
        }
        let path = self.path.clone();
        let wrap = |e| sqlite_error(&path, e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(wrap)?;
        let (app, version) = read_header(&tx).map_err(wrap)?;
        if version > SCHEMA_VERSION {
            drop(tx);
            return self.check_version();
        }
        let fresh = app == 0 && version == 0;
        let mut sql = upgrade_sql(version);
        if fresh {
            sql.push_str(&format!("\nPRAGMA application_id = {APPLICATION_ID};"));
        }
        sql.push_str(&format!("\nPRAGMA user_version = {SCHEMA_VERSION};"));
        tx.execute_batch(&sql)
            .and_then(|_| tx.commit())
            .map_err(wrap)
    }

    /// Opens the substring index beside the archive for writing (creating it when missing),
    /// brings it in step with the archive when it is not (a new or older file, a crash
    /// between the two commits of a batch), and attaches it read-only to `conn`.
    fn open_side(&mut self) -> Result<()> {
        let side_path = substrings::side_path(&self.path);
        let side = substrings::open_writer(&self.path)?;
        let in_step =
            substrings::in_step(&self.conn, &side).map_err(|e| sqlite_error(&side_path, e))?;
        self.side = Some(side);
        if !in_step {
            self.with_side(|_, _| Ok(()))?;
        } else {
            substrings::attach(&self.conn, &self.path)?;
        }
        Ok(())
    }

    /// Runs `write` inside a write transaction on the archive and one on the substring index,
    /// after bringing the index in step with the archive; commits the index, then the archive
    /// (see `crate::substrings` for why that order), or neither when `write` fails.
    ///
    /// `conn` lets go of the substring index for the while (and attaches it again after):
    /// otherwise its write transaction would hold a read snapshot of that file, and the file's
    /// WAL could never start over during a bulk add.
    pub(crate) fn with_side<T>(
        &mut self,
        write: impl FnOnce(&rusqlite::Transaction, &mut Connection) -> Result<T>,
    ) -> Result<T> {
        substrings::detach(&self.conn).map_err(|e| sqlite_error(&self.path, e))?;
        let outcome = self.write_both(write);
        let attached = substrings::attach(&self.conn, &self.path);
        let value = outcome?;
        attached.map(|_| value)
    }

    /// [`SqliteArchive::with_side`]'s transactions, with the substring index detached.
    fn write_both<T>(
        &mut self,
        write: impl FnOnce(&rusqlite::Transaction, &mut Connection) -> Result<T>,
    ) -> Result<T> {
        let path = self.path.clone();
        let side_path = substrings::side_path(&path);
        if let Some(checkpoints) = &self.checkpoints {
            checkpoints.bound();
        }
        let side = self
            .side
            .as_mut()
            .ok_or_else(|| Error::Invalid(format!("{}: opened read-only", path.display())))?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| sqlite_error(&path, e))?;
        side.execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| sqlite_error(&side_path, e))?;
        let outcome = substrings::reconcile(&tx, side)
            .map_err(|e| sqlite_error(&side_path, e))
            .and_then(|_| write(&tx, side));
        let value = substrings::finish(side, outcome, &side_path)?;
        tx.commit().map_err(|e| sqlite_error(&path, e))?;
        if let Some(checkpoints) = &self.checkpoints {
            checkpoints.ask();
        }
        self.documents.replace(None);
        Ok(value)
    }

    fn is_empty_database(&self) -> Result<bool> {
        let tables: i64 = self.sql(self.conn.query_row(
            "SELECT count(*) FROM sqlite_master",
            [],
            |r| r.get(0),
        ))?;
        Ok(tables == 0)
    }

    fn configure(&self, writable: bool) -> Result<()> {
        // Reads go through the memory map instead of copies into SQLite's page cache.
        let mut pragmas =
            String::from("PRAGMA cache_size = -64000; PRAGMA mmap_size = 4294967296;");
        // WAL: readers (the server) never block the writer, and a killed writer leaves the
        // last committed state; NORMAL sync is crash-safe in WAL mode. Sorting for the bulk
        // full-text fill stays in memory. Checkpoints run on a thread of their own
        // (`crate::checkpoint`), not in the committing thread.
        if writable {
            self.use_wal()?;
            pragmas.push_str(
                "PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY;
                 PRAGMA wal_autocheckpoint = 0;",
            );
        } else {
            pragmas.push_str("PRAGMA busy_timeout = 5000;");
        }
        self.sql(self.conn.execute_batch(&pragmas))
    }

    /// Puts the archive in WAL mode (kept in the file, so done once). Switching needs the
    /// file to itself and SQLite does not wait for that, so a process that finds another one
    /// switching at the same moment tries again for a while.
    fn use_wal(&self) -> Result<()> {
        let mode = || {
            self.conn
                .query_row("PRAGMA journal_mode", [], |r| r.get::<_, String>(0))
        };
        let mut tries = 0;
        loop {
            match mode().and_then(|m| {
                if m.eq_ignore_ascii_case("wal") {
                    Ok(m)
                } else {
                    self.conn
                        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))
                }
            }) {
                Ok(m) if m.eq_ignore_ascii_case("wal") => return Ok(()),
                Ok(_) | Err(_) if tries < 100 => {
                    tries += 1;
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                other => return self.sql(other.map(|_| ())),
            }
        }
    }

    /// The documents in the archive, by name. Read once per change of the archive: the
    /// counts are kept in the documents table, and the list is cached until another
    /// connection commits (`PRAGMA data_version`) or this one writes.
    pub(crate) fn list(&self) -> Result<Vec<DocumentInfo>> {
        let version = self.data_version()?;
        if let Some((seen, docs)) = self.documents.borrow().as_ref() {
            if *seen == version {
                return Ok(docs.clone());
            }
        }
        let docs = self.read_list()?;
        *self.documents.borrow_mut() = Some((version, docs.clone()));
        Ok(docs)
    }

    /// SQLite's `PRAGMA data_version`: moves whenever another connection commits.
    pub(crate) fn data_version(&self) -> Result<i64> {
        let mut stmt = self.sql(self.conn.prepare_cached("PRAGMA data_version"))?;
        self.sql(stmt.query_row([], |r| r.get(0)))
    }

    fn read_list(&self) -> Result<Vec<DocumentInfo>> {
        let mut stmt = self.sql(self.conn.prepare_cached(
            "SELECT d.name, d.year, d.src_lang, d.tgt_lang, d.title,
                    d.n_beads, d.n_findings, d.n_activities, d.report_html IS NOT NULL
             FROM documents d ORDER BY d.name",
        ))?;
        let rows = stmt.query_map([], |r| {
            Ok(DocumentInfo {
                name: r.get(0)?,
                year: r.get(1)?,
                langs: [r.get(2)?, r.get(3)?],
                title: r.get(4)?,
                beads: r.get::<_, i64>(5)? as usize,
                findings: r.get::<_, i64>(6)? as usize,
                activities: r.get::<_, i64>(7)? as usize,
                has_report: r.get(8)?,
            })
        });
        self.sql(rows.and_then(|rows| rows.collect()))
    }

    /// The sentence beads of a document, `offset` first, at most `limit`.
    pub(crate) fn beads(&self, name: &str, offset: usize, limit: usize) -> Result<Vec<BeadRecord>> {
        let doc = self.document(name)?;
        let mut stmt = self.sql(self.conn.prepare_cached(
            "SELECT ord, src_text, tgt_text, shape, score FROM beads
             WHERE doc = ?1 AND ord >= ?2 ORDER BY ord LIMIT ?3",
        ))?;
        let rows = stmt.query_map(params![doc, offset as i64, limit as i64], |r| {
            Ok(BeadRecord {
                index: r.get::<_, i64>(0)? as usize,
                src: r.get(1)?,
                tgt: r.get(2)?,
                shape: r.get(3)?,
                score: r.get(4)?,
            })
        });
        self.sql(rows.and_then(|rows| rows.collect()))
    }

    /// The findings stored with a document, in the order they were added.
    pub(crate) fn findings(&self, name: &str) -> Result<Vec<Finding>> {
        let doc = self.document(name)?;
        let mut stmt = self.sql(
            self.conn
                .prepare_cached("SELECT json FROM findings WHERE doc = ?1 ORDER BY id"),
        )?;
        let json: Vec<String> = self.sql(
            stmt.query_map([doc], |r| r.get(0))
                .and_then(|r| r.collect()),
        )?;
        json.iter().map(|j| self.decode(j)).collect()
    }

    /// The review page stored with a document, if any.
    pub(crate) fn report_html(&self, name: &str) -> Result<Option<String>> {
        let doc = self.document(name)?;
        self.sql(self.conn.query_row(
            "SELECT report_html FROM documents WHERE id = ?1",
            [doc],
            |r| r.get(0),
        ))
    }

    /// The row id of the document named `name`.
    pub(crate) fn document(&self, name: &str) -> Result<i64> {
        self.sql(document_id(&self.conn, name))?
            .ok_or_else(|| Error::NoSuchDocument(name.to_owned()))
    }

    pub(crate) fn decode<T: serde::de::DeserializeOwned>(&self, json: &str) -> Result<T> {
        serde_json::from_str(json).map_err(|e| Error::Sqlite {
            path: self.path.clone(),
            source: rusqlite::Error::ToSqlConversionFailure(Box::new(e)),
        })
    }

    /// Merges each full-text index into one segment. Adding documents one transaction at a
    /// time leaves many small segments, which every query must visit; after a bulk
    /// `index add` this makes searches faster (see the benchmark). Takes a while on a large
    /// archive; a crash during it leaves the archive as it was.
    pub(crate) fn optimize(&mut self) -> Result<()> {
        let side_path = substrings::side_path(&self.path);
        let (conn, side) = (&self.conn, self.side.as_mut());
        // The two files' indexes are merged at once, one thread each.
        let (words, substrings) = std::thread::scope(|scope| {
            let substrings = side.map(|side| {
                scope.spawn(move || {
                    side.execute_batch(
                        "INSERT INTO sentences_tri(sentences_tri) VALUES ('optimize');
                         PRAGMA optimize;",
                    )
                })
            });
            let words = conn.execute_batch(
                "INSERT INTO sentences_fts(sentences_fts) VALUES ('optimize'); PRAGMA main.optimize;",
            );
            (words, substrings.map(|job| job.join()))
        });
        if let Some(checkpoints) = &self.checkpoints {
            checkpoints.ask();
        }
        self.sql(words)?;
        match substrings {
            None => Ok(()),
            Some(Ok(done)) => done.map_err(|e| sqlite_error(&side_path, e)),
            Some(Err(_)) => Err(Error::Invalid(format!(
                "{}: the thread merging the substring index failed",
                side_path.display()
            ))),
        }
    }

    /// Runs SQLite's integrity check; `Ok(())` when the file is sound.
    pub(crate) fn check_integrity(&self) -> Result<()> {
        let verdict: String = self.sql(
            self.conn
                .query_row("PRAGMA integrity_check", [], |r| r.get(0)),
        )?;
        let fts: rusqlite::Result<usize> = self.conn.execute(
            "INSERT INTO sentences_fts(sentences_fts, rank) VALUES ('integrity-check', 1)",
            [],
        );
        let side_path = substrings::side_path(&self.path);
        let side = substrings::check(&self.conn, self.side.as_ref().unwrap_or(&self.conn))
            .map_err(|e| sqlite_error(&side_path, e))?;
        if let Some(problem) = side {
            return Err(Error::Invalid(format!(
                "{}: {problem}",
                side_path.display()
            )));
        }
        match (verdict.as_str(), fts) {
            ("ok", Ok(_)) => Ok(()),
            ("ok", Err(e)) => Err(sqlite_error(&self.path, e)),
            (other, _) => Err(Error::Invalid(format!(
                "{}: integrity check failed: {other}",
                self.path.display()
            ))),
        }
    }
}

/// SQLite virtual-machine steps between two looks at the clock while a budget is set.
const STEPS_PER_CLOCK_CHECK: i32 = 1000;

/// Whether the deadline in `cell` has passed (the progress handler's test: `true` stops the
/// running statement).
fn past(cell: &Mutex<Option<Instant>>) -> bool {
    let deadline = *cell.lock().unwrap_or_else(|p| p.into_inner());
    deadline.is_some_and(|d| Instant::now() >= d)
}

impl SqliteArchive {
    /// Interrupts every statement still running once `budget` from now has passed.
    fn set_time_budget(&self, budget: Option<std::time::Duration>) {
        let deadline = budget.map(|b| Instant::now() + b);
        *self.deadline.lock().unwrap_or_else(|p| p.into_inner()) = deadline;
    }
}

impl crate::store::Store for SqliteArchive {
    fn location(&self) -> &Path {
        &self.path
    }
    fn set_time_budget(&self, budget: Option<std::time::Duration>) -> Result<()> {
        SqliteArchive::set_time_budget(self, budget);
        Ok(())
    }
    fn version(&self) -> Result<i64> {
        self.data_version()
    }
    fn list(&self) -> Result<Vec<DocumentInfo>> {
        SqliteArchive::list(self)
    }
    fn beads(&self, name: &str, offset: usize, limit: usize) -> Result<Vec<BeadRecord>> {
        SqliteArchive::beads(self, name, offset, limit)
    }
    fn findings(&self, name: &str) -> Result<Vec<Finding>> {
        SqliteArchive::findings(self, name)
    }
    fn report_html(&self, name: &str) -> Result<Option<String>> {
        SqliteArchive::report_html(self, name)
    }
    fn add_batch(&mut self, docs: &[crate::NewDocument]) -> Result<()> {
        SqliteArchive::add_batch(self, docs)
    }
    fn remove(&mut self, name: &str) -> Result<()> {
        SqliteArchive::remove(self, name)
    }
    fn optimize(&mut self) -> Result<()> {
        SqliteArchive::optimize(self)
    }
    fn check_integrity(&self) -> Result<()> {
        SqliteArchive::check_integrity(self)
    }
    fn window(&self, query: &crate::Query, limit: usize) -> Result<Vec<(i64, f64)>> {
        SqliteArchive::window(self, query, limit)
    }
    fn hits(&self, query: &crate::Query, page: &[(i64, f64)]) -> Result<Vec<crate::Hit>> {
        SqliteArchive::hits(self, query, page)
    }
    fn matching_beads(
        &self,
        query: &crate::Query,
        limit: usize,
    ) -> Result<Vec<(i64, crate::group::Matched)>> {
        SqliteArchive::matching_beads(self, query, limit)
    }
    fn beads_containing(&self, scope: &crate::Query, key: &str) -> Result<usize> {
        SqliteArchive::beads_containing(self, scope, key)
    }
    fn activities(
        &self,
        filter: &crate::ActivityFilter,
        limit: Option<usize>,
    ) -> Result<Vec<crate::ActivityRecord>> {
        SqliteArchive::activities(self, filter, limit)
    }
    fn activity_source(&self, name: &str, index: usize) -> Result<crate::ActivitySource> {
        SqliteArchive::activity_source(self, name, index)
    }
}

/// Maps a SQLite error to ours, recognising files that are not databases.
pub(crate) fn sqlite_error(path: &Path, e: rusqlite::Error) -> Error {
    let code = e.sqlite_error_code();
    if code == Some(rusqlite::ErrorCode::OperationInterrupted) {
        return Error::TimedOut { path: path.into() };
    }
    if matches!(
        code,
        Some(rusqlite::ErrorCode::NotADatabase) | Some(rusqlite::ErrorCode::DatabaseCorrupt)
    ) {
        return Error::NotADatabase { path: path.into() };
    }
    Error::Sqlite {
        path: path.into(),
        source: e,
    }
}

/// The `application_id` and `user_version` of a database.
fn read_header(conn: &Connection) -> rusqlite::Result<(i64, i64)> {
    let read =
        |pragma: &str| conn.query_row(&format!("PRAGMA {pragma}"), [], |r| r.get::<_, i64>(0));
    Ok((read("application_id")?, read("user_version")?))
}

pub(crate) fn document_id(conn: &Connection, name: &str) -> rusqlite::Result<Option<i64>> {
    conn.query_row("SELECT id FROM documents WHERE name = ?1", [name], |r| {
        r.get(0)
    })
    .optional()
}

/// The name a level is stored and typed as: `heads_of_government`, `ministerial`, ...
pub fn level_name(level: Level) -> &'static str {
    match level {
        Level::HeadsOfGovernment => "heads_of_government",
        Level::Ministerial => "ministerial",
        Level::SeniorOfficials => "senior_officials",
        Level::Other => "other",
    }
}

/// Parses a level as typed by a user (`ministerial`, `heads-of-government`, ...).
pub fn parse_level(s: &str) -> Result<Level> {
    let key = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
    [
        Level::HeadsOfGovernment,
        Level::Ministerial,
        Level::SeniorOfficials,
        Level::Other,
    ]
    .into_iter()
    .find(|l| level_name(*l) == key)
    .ok_or_else(|| {
        Error::Invalid(format!(
            "unknown level {s:?} (expected heads_of_government, ministerial, senior_officials or other)"
        ))
    })
}

/// The year a document reports on: a year in its name (`benelux-2022`), else the year most
/// often written in its title blocks, else the year of most of its activities.
pub fn infer_year(bitext: &Bitext, activities: &[Activity]) -> Option<i32> {
    let from_name = years_in(&bitext.name).into_iter().next();
    let titles = bitext
        .src
        .blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Title)
        .flat_map(|b| years_in(&b.text));
    let dates = activities
        .iter()
        .flat_map(|a| a.dates.iter())
        .flat_map(|d| years_in(d));
    from_name
        .or_else(|| most_frequent(titles))
        .or_else(|| most_frequent(dates))
}

fn years_in(text: &str) -> Vec<i32> {
    let bytes = text.as_bytes();
    let is_digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    (0..bytes.len().saturating_sub(3))
        .filter(|&i| (i == 0 || !is_digit(i - 1)) && (i..i + 4).all(is_digit) && !is_digit(i + 4))
        .filter_map(|i| text[i..i + 4].parse::<i32>().ok())
        .filter(|y| (1900..2100).contains(y))
        .collect()
}

fn most_frequent(years: impl Iterator<Item = i32>) -> Option<i32> {
    let mut counts = std::collections::BTreeMap::new();
    for y in years {
        *counts.entry(y).or_insert(0usize) += 1;
    }
    // Ties go to the earlier year: a report on 2022 published in 2023 names 2022 more often,
    // and when it does not, the period covered comes before the publication date.
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(y, _)| y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_years_in_names_and_titles() {
        assert_eq!(years_in("benelux-2022"), vec![2022]);
        assert_eq!(
            years_in("(1 januari 2022 – 31 december 2022) 17 juni 2023"),
            vec![2022, 2022, 2023]
        );
        assert_eq!(years_in("12345 nummer 1850"), Vec::<i32>::new());
        assert_eq!(most_frequent([2023, 2022, 2022].into_iter()), Some(2022));
    }

    #[test]
    fn parses_levels_as_typed() {
        assert_eq!(parse_level("Ministerial").unwrap(), Level::Ministerial);
        assert_eq!(
            parse_level("heads-of-government").unwrap(),
            Level::HeadsOfGovernment
        );
        assert!(parse_level("royal").is_err());
    }
}
