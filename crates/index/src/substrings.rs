//! The substring (trigram) index of a SQLite archive, kept in a second SQLite file beside it
//! (`PATH-substrings`) so that a second thread can fill it while the first writes the rows and
//! the word index: FTS5 tokenises and hashes inside the statement that inserts, one thread
//! per database file, and the trigram index is about half of that work.
//!
//! The side file is derived data. It records which documents it holds (`indexed`: document
//! row id, the document's random `stamp`, its first and last sentence id), and every writer
//! brings it in step with the archive under the archive's write lock before writing
//! ([`reconcile`]): documents it holds that the archive lacks (a batch whose archive commit
//! never happened) are taken out, documents it lacks (a missing or older side file, an archive
//! just upgraded) are indexed from the archive's sentences. A batch commits the side file
//! first and the archive second, so a crash between the two leaves extra entries, which
//! searches never show (hits are joined with the archive's sentences) and the next writer
//! removes. Readers attach the file read-only as schema [`SCHEMA`]; the table keeps the name
//! `sentences_tri`, so queries name it as before.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;

use rusqlite::{params, Connection, OptionalExtension};

use crate::{Error, Result};

/// Marks a SQLite file as a diptych substring index (`PRAGMA application_id`): "DPTS".
const APPLICATION_ID: i64 = 0x4450_5453;

/// The side file's schema version (`PRAGMA user_version`): 2 keeps no trigram positions.
const VERSION: i64 = 2;

/// The version before, whose index also kept each trigram's positions (`detail=full`):
/// still read and written as it is, since a search asks only which rows hold the trigrams.
const VERSION_WITH_POSITIONS: i64 = 1;

/// The schema name the side file is attached under.
pub(crate) const SCHEMA: &str = "substrings";

/// The side file's tables: the trigram index and the list of documents it holds. The index
/// keeps no copy of the text (`content=''`; the text is the archive's), can delete entries by
/// row id alone (`contentless_delete`), and its matches are marked by `words::spans` instead
/// of `highlight()`. It records which rows hold each trigram but not where (`detail=none`):
/// building it takes about a fifth less CPU than with positions and it is a third of the
/// size, and a search checks the substring in the rows it finds
/// ([`crate::query::substring_fts`]). It buffers 32 MB before writing a segment and merges
/// 8 segments at a time, as the word index does.
const CREATE: &str = "
    CREATE VIRTUAL TABLE sentences_tri USING fts5(
        text, tokenize='trigram remove_diacritics 1', content='', contentless_delete=1,
        detail=none
    );
    INSERT INTO sentences_tri(sentences_tri, rank) VALUES ('hashsize', 33554432);
    INSERT INTO sentences_tri(sentences_tri, rank) VALUES ('automerge', 8);
    CREATE TABLE indexed(
        doc INTEGER PRIMARY KEY,
        stamp INTEGER NOT NULL,
        first_id INTEGER NOT NULL,
        last_id INTEGER NOT NULL
    );";

/// Sentences gathered before one insert statement: FTS5 writes a segment per statement, so
/// few large statements keep the index to a few large segments.
const CHUNK: usize = 32_768;

/// Where the substring index of the archive at `archive` lives.
pub(crate) fn side_path(archive: &Path) -> PathBuf {
    let mut name = archive.as_os_str().to_owned();
    name.push("-substrings");
    PathBuf::from(name)
}

/// The `file:` URI that attaches `path` read-only (`%`, `?` and `#` escaped).
pub(crate) fn read_only_uri(path: &Path) -> String {
    let escaped = path
        .to_string_lossy()
        .replace('%', "%25")
        .replace('?', "%3f")
        .replace('#', "%23");
    format!("file:{escaped}?mode=ro")
}

/// Attaches the side file of the archive at `archive` to `conn`, read-only, as [`SCHEMA`].
/// Read-only, so that a write transaction on `conn` never takes the side file's write lock
/// (the writer's second connection writes it).
pub(crate) fn attach(conn: &Connection, archive: &Path) -> Result<()> {
    let side = side_path(archive);
    if !side.exists() {
        return Err(Error::MissingSubstringIndex { path: side });
    }
    let sql = format!(
        "ATTACH DATABASE ?1 AS {SCHEMA}; PRAGMA {SCHEMA}.mmap_size = 4294967296;
         PRAGMA {SCHEMA}.cache_size = -32000;"
    );
    let mut statements = sql.split_inclusive(';');
    let attach = statements.next().unwrap_or_default();
    conn.execute(attach, [read_only_uri(&side)])
        .and_then(|_| conn.execute_batch(&statements.collect::<String>()))
        .map_err(|e| crate::archive::sqlite_error(&side, e))
}

/// Detaches the side file from `conn`, when it is attached.
pub(crate) fn detach(conn: &Connection) -> rusqlite::Result<()> {
    let attached: bool = conn.query_row(
        "SELECT count(*) > 0 FROM pragma_database_list WHERE name = ?1",
        [SCHEMA],
        |r| r.get(0),
    )?;
    if attached {
        conn.execute_batch(&format!("DETACH DATABASE {SCHEMA}"))?;
    }
    Ok(())
}

/// Opens (creating when missing) the side file of the archive at `archive` for writing.
pub(crate) fn open_writer(archive: &Path) -> Result<Connection> {
    let side = side_path(archive);
    let wrap = |e| crate::archive::sqlite_error(&side, e);
    let conn = Connection::open(&side).map_err(wrap)?;
    conn.busy_timeout(crate::archive::WRITER_PATIENCE)
        .map_err(wrap)?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY;
         PRAGMA cache_size = -64000; PRAGMA wal_autocheckpoint = 0;",
    )
    .map_err(wrap)?;
    create_if_new(&conn, &side)?;
    Ok(conn)
}

/// Creates the side file's tables in an empty file (under its write lock, so two writers
/// create them once); refuses a file of another program or version.
fn create_if_new(conn: &Connection, side: &Path) -> Result<()> {
    let wrap = |e| crate::archive::sqlite_error(side, e);
    let header = |conn: &Connection| -> rusqlite::Result<(i64, i64)> {
        let read = |p: &str| conn.query_row(&format!("PRAGMA {p}"), [], |r| r.get::<_, i64>(0));
        Ok((read("application_id")?, read("user_version")?))
    };
    let known = |(id, version)| {
        id == APPLICATION_ID && (version == VERSION || version == VERSION_WITH_POSITIONS)
    };
    if known(header(conn).map_err(wrap)?) {
        return Ok(());
    }
    conn.execute_batch("BEGIN IMMEDIATE").map_err(wrap)?;
    let outcome = match header(conn) {
        Ok(found) if known(found) => Ok(()),
        Ok((0, 0)) => conn
            .execute_batch(&format!(
                "{CREATE} PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {VERSION};"
            ))
            .map_err(wrap),
        Ok(_) => Err(Error::Foreign { path: side.into() }),
        Err(e) => Err(wrap(e)),
    };
    finish(conn, outcome, side)
}

/// Commits the side file's transaction when `outcome` is `Ok`, rolls it back otherwise.
pub(crate) fn finish<T>(conn: &Connection, outcome: Result<T>, side: &Path) -> Result<T> {
    match outcome {
        Ok(value) => {
            conn.execute_batch("COMMIT")
                .map_err(|e| crate::archive::sqlite_error(side, e))?;
            Ok(value)
        }
        Err(e) => {
            // The rollback of a failed transaction: its own failure adds nothing to `e`.
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

/// What the writer's second thread is told to do, in order.
pub(crate) enum Work<'a> {
    /// Take a document out of the index (replaced or removed).
    Forget(i64),
    /// Index a document's sentences: its row id, stamp and (sentence id, text) pairs.
    Index {
        /// The document's row id.
        doc: i64,
        /// Its random stamp (`documents.stamp`).
        stamp: i64,
        /// Its sentences, in id order.
        sentences: Vec<(i64, &'a str)>,
    },
}

/// Runs the work sent on `inbox` against the side file (inside the caller's transaction on
/// `conn`) until the sender hangs up; sentences go in by [`CHUNK`]s.
pub(crate) fn work(conn: &Connection, inbox: Receiver<Work>) -> rusqlite::Result<()> {
    let mut pending: Vec<(i64, &str)> = Vec::with_capacity(CHUNK);
    for job in inbox {
        match job {
            Work::Forget(doc) => {
                insert_texts(conn, &mut pending)?;
                forget(conn, doc)?;
            }
            Work::Index {
                doc,
                stamp,
                sentences,
            } => {
                record(conn, doc, stamp, &sentences)?;
                pending.extend(sentences);
                if pending.len() >= CHUNK {
                    insert_texts(conn, &mut pending)?;
                }
            }
        }
    }
    insert_texts(conn, &mut pending)?;
    flush(conn)
}

/// Writes the index's pending entries (FTS5 keeps up to 32 MB in memory) as a segment now,
/// on this thread: at the commit it would be done by the committing thread, after the
/// writer's own work, with the other core idle.
fn flush(conn: &Connection) -> rusqlite::Result<()> {
    conn.prepare_cached("INSERT INTO sentences_tri(sentences_tri) VALUES ('flush')")?
        .execute([])?;
    Ok(())
}

/// Notes that document `doc` (with `stamp`) is indexed, with the range of its sentence ids.
fn record(
    conn: &Connection,
    doc: i64,
    stamp: i64,
    sentences: &[(i64, &str)],
) -> rusqlite::Result<()> {
    let first = sentences.iter().map(|s| s.0).min().unwrap_or(1);
    let last = sentences.iter().map(|s| s.0).max().unwrap_or(0);
    conn.prepare_cached(
        "INSERT OR REPLACE INTO indexed(doc, stamp, first_id, last_id) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![doc, stamp, first, last])?;
    Ok(())
}

/// Inserts the pending sentences in one statement and empties the list.
fn insert_texts(conn: &Connection, pending: &mut Vec<(i64, &str)>) -> rusqlite::Result<()> {
    if pending.is_empty() {
        return Ok(());
    }
    let json = serde_json::to_string(&pending)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    conn.prepare_cached(
        "INSERT INTO sentences_tri(rowid, text) SELECT value ->> 0, value ->> 1 FROM json_each(?1)",
    )?
    .execute([json])?;
    pending.clear();
    Ok(())
}

/// Takes document `doc`'s sentences out of the index, if it is there.
pub(crate) fn forget(conn: &Connection, doc: i64) -> rusqlite::Result<()> {
    let range: Option<(i64, i64)> = conn
        .prepare_cached("SELECT first_id, last_id FROM indexed WHERE doc = ?1")?
        .query_row([doc], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some((first, last)) = range {
        conn.prepare_cached("DELETE FROM sentences_tri WHERE rowid BETWEEN ?1 AND ?2")?
            .execute([first, last])?;
        conn.prepare_cached("DELETE FROM indexed WHERE doc = ?1")?
            .execute([doc])?;
    }
    Ok(())
}

/// The documents of the archive (row id -> stamp), read through `main`.
fn archive_documents(main: &Connection) -> rusqlite::Result<HashMap<i64, i64>> {
    let mut stmt = main.prepare_cached("SELECT id, stamp FROM main.documents")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

/// The documents the side file holds (row id -> stamp).
fn indexed_documents(side: &Connection) -> rusqlite::Result<HashMap<i64, i64>> {
    let mut stmt = side.prepare_cached("SELECT doc, stamp FROM indexed")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

/// Whether the side file holds exactly the archive's documents (read without locks: a
/// quick test before [`reconcile`] takes them).
pub(crate) fn in_step(main: &Connection, side: &Connection) -> rusqlite::Result<bool> {
    Ok(archive_documents(main)? == indexed_documents(side)?)
}

/// Brings the side file in step with the archive: run by a writer holding both write
/// transactions (`main` on the archive, `side` on the side file), before it writes. Returns
/// how many documents were taken out and indexed.
pub(crate) fn reconcile(main: &Connection, side: &Connection) -> rusqlite::Result<(usize, usize)> {
    let archive = archive_documents(main)?;
    let indexed = indexed_documents(side)?;
    let stale: Vec<i64> = indexed
        .iter()
        .filter(|(doc, stamp)| archive.get(doc) != Some(stamp))
        .map(|(doc, _)| *doc)
        .collect();
    for &doc in &stale {
        forget(side, doc)?;
    }
    let mut missing: Vec<(i64, i64)> = archive
        .into_iter()
        .filter(|(doc, stamp)| indexed.get(doc) != Some(stamp))
        .collect();
    missing.sort_unstable();
    let mut select =
        main.prepare_cached("SELECT id, text FROM main.sentences WHERE doc = ?1 ORDER BY id")?;
    let mut pending: Vec<(i64, String)> = Vec::new();
    for &(doc, stamp) in &missing {
        let rows: Vec<(i64, String)> = select
            .query_map([doc], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let borrowed: Vec<(i64, &str)> = rows.iter().map(|(id, t)| (*id, t.as_str())).collect();
        record(side, doc, stamp, &borrowed)?;
        pending.extend(rows);
        if pending.len() >= CHUNK {
            insert_owned(side, &mut pending)?;
        }
    }
    insert_owned(side, &mut pending)?;
    Ok((stale.len(), missing.len()))
}

fn insert_owned(side: &Connection, pending: &mut Vec<(i64, String)>) -> rusqlite::Result<()> {
    let mut borrowed: Vec<(i64, &str)> = pending.iter().map(|(id, t)| (*id, t.as_str())).collect();
    insert_texts(side, &mut borrowed)?;
    pending.clear();
    Ok(())
}

/// Whether the side file holds the documents the archive holds, and FTS5 finds its index
/// sound (for [`crate::Archive::check_integrity`]); the message says what is wrong.
pub(crate) fn check(main: &Connection, side: &Connection) -> rusqlite::Result<Option<String>> {
    if !in_step(main, side)? {
        return Ok(Some(
            "the substring index does not hold the archive's documents".into(),
        ));
    }
    side.execute(
        "INSERT INTO sentences_tri(sentences_tri, rank) VALUES ('integrity-check', 1)",
        [],
    )?;
    let counted: i64 = side.query_row(
        "SELECT coalesce(sum(last_id - first_id + 1), 0) FROM indexed",
        [],
        |r| r.get(0),
    )?;
    let rows: i64 = side.query_row("SELECT count(*) FROM sentences_tri", [], |r| r.get(0))?;
    Ok((counted != rows)
        .then(|| format!("the substring index holds {rows} sentences, its list {counted}")))
}

/// A new document's stamp: random, so that a document row id reused after a rolled-back
/// batch is never mistaken for the one the side file may still hold.
pub(crate) fn new_stamp(name: &str, salt: usize) -> i64 {
    use std::hash::BuildHasher;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    std::collections::hash_map::RandomState::new().hash_one((name, salt, nanos)) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_side_file_sits_beside_the_archive_and_attaches_by_an_escaped_uri() {
        let side = side_path(Path::new("/data/my archive.sqlite"));
        assert_eq!(side, Path::new("/data/my archive.sqlite-substrings"));
        assert_eq!(
            read_only_uri(Path::new("/d/a?b#c%d-substrings")),
            "file:/d/a%3fb%23c%25d-substrings?mode=ro"
        );
    }
}
