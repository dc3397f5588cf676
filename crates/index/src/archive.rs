//! Opening an archive and adding, listing and removing documents.

use std::path::{Path, PathBuf};

use diptych_core::model::Level;
use diptych_core::{Activity, Bitext, BlockKind, Document, Finding};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use crate::schema::{APPLICATION_ID, CREATE, SCHEMA_VERSION};
use crate::{Error, Result};
use diptych_core::text::fold;

/// An archive: one SQLite file holding many documents, their beads, findings and activities.
pub struct Archive {
    pub(crate) conn: Connection,
    pub(crate) path: PathBuf,
}

/// What is stored with a document besides its bitext, findings and activities.
#[derive(Clone, Debug, Default)]
pub struct AddOptions {
    /// The year the document reports on; inferred from its name or title when `None`.
    pub year: Option<i32>,
    /// The document's review page (`report.html` of its run folder), served by `diptych serve`.
    pub report_html: Option<String>,
}

/// One document as listed by [`Archive::list`].
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

impl Archive {
    /// Opens the archive at `path`, creating an empty one when the file does not exist.
    ///
    /// Refuses files that are not SQLite databases, SQLite databases of other programs and
    /// archives of a newer schema version, each with its own error.
    pub fn open(path: impl AsRef<Path>) -> Result<Archive> {
        let path = path.as_ref().to_path_buf();
        let conn = Connection::open(&path).map_err(|e| sqlite_error(&path, e))?;
        let mut archive = Archive { conn, path };
        archive.check_or_create()?;
        archive.configure(true)?;
        Ok(archive)
    }

    /// Opens an existing archive for reading only (the server does this).
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<Archive> {
        let path = path.as_ref().to_path_buf();
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(&path, flags).map_err(|e| sqlite_error(&path, e))?;
        let archive = Archive { conn, path };
        match archive.header()? {
            (APPLICATION_ID, _) => archive.check_version()?,
            _ => return Err(Error::Foreign { path: archive.path }),
        }
        archive.configure(false)?;
        Ok(archive)
    }

    /// The archive's file path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn sql<T>(&self, r: rusqlite::Result<T>) -> Result<T> {
        r.map_err(|e| sqlite_error(&self.path, e))
    }

    fn header(&self) -> Result<(i64, i64)> {
        let read = |pragma: &str| {
            self.conn
                .query_row(&format!("PRAGMA {pragma}"), [], |r| r.get::<_, i64>(0))
        };
        let app = self.sql(read("application_id"))?;
        let version = self.sql(read("user_version"))?;
        Ok((app, version))
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

    fn check_or_create(&mut self) -> Result<()> {
        match self.header()? {
            (APPLICATION_ID, _) => self.check_version(),
            (0, 0) if self.is_empty_database()? => self.create_schema(),
            _ => Err(Error::Foreign {
                path: self.path.clone(),
            }),
        }
    }

    fn is_empty_database(&self) -> Result<bool> {
        let tables: i64 = self.sql(self.conn.query_row(
            "SELECT count(*) FROM sqlite_master",
            [],
            |r| r.get(0),
        ))?;
        Ok(tables == 0)
    }

    fn create_schema(&mut self) -> Result<()> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction()
            .map_err(|e| sqlite_error(&path, e))?;
        let batch = format!(
            "{CREATE}\nPRAGMA application_id = {APPLICATION_ID};\nPRAGMA user_version = {SCHEMA_VERSION};"
        );
        tx.execute_batch(&batch)
            .and_then(|_| tx.commit())
            .map_err(|e| sqlite_error(&path, e))
    }

    fn configure(&self, writable: bool) -> Result<()> {
        // WAL: readers (the server) never block the writer, and a killed writer leaves the
        // last committed state; NORMAL sync is crash-safe in WAL mode.
        let mut pragmas = String::from("PRAGMA busy_timeout = 5000; PRAGMA cache_size = -32000;");
        if writable {
            pragmas.push_str("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
        }
        self.sql(self.conn.execute_batch(&pragmas))
    }

    /// Adds a document with its findings and activities, replacing any document of the same
    /// name, in one transaction: a crash leaves either the old or the new state.
    pub fn add(
        &mut self,
        bitext: &Bitext,
        findings: &[Finding],
        activities: &[Activity],
    ) -> Result<()> {
        self.add_with(bitext, findings, activities, &AddOptions::default())
    }

    /// [`Archive::add`] with a year and a review page.
    pub fn add_with(
        &mut self,
        bitext: &Bitext,
        findings: &[Finding],
        activities: &[Activity],
        options: &AddOptions,
    ) -> Result<()> {
        validate(bitext)?;
        let path = self.path.clone();
        let wrap = |e| sqlite_error(&path, e);
        let tx = self.conn.transaction().map_err(wrap)?;
        if let Some(old) = document_id(&tx, &bitext.name).map_err(wrap)? {
            delete_document(&tx, old).map_err(wrap)?;
        }
        let year = options.year.or_else(|| infer_year(bitext, activities));
        let doc =
            insert_document(&tx, bitext, year, options.report_html.as_deref()).map_err(wrap)?;
        insert_bitext(&tx, doc, bitext).map_err(wrap)?;
        insert_findings(&tx, doc, findings).map_err(wrap)?;
        insert_activities(&tx, doc, activities).map_err(wrap)?;
        tx.commit().map_err(wrap)
    }

    /// Removes the document named `name` and everything stored with it.
    pub fn remove(&mut self, name: &str) -> Result<()> {
        let path = self.path.clone();
        let wrap = |e| sqlite_error(&path, e);
        let tx = self.conn.transaction().map_err(wrap)?;
        let id = document_id(&tx, name)
            .map_err(wrap)?
            .ok_or_else(|| Error::NoSuchDocument(name.to_owned()))?;
        delete_document(&tx, id).map_err(wrap)?;
        tx.commit().map_err(wrap)
    }

    /// The documents in the archive, by name.
    pub fn list(&self) -> Result<Vec<DocumentInfo>> {
        let mut stmt = self.sql(self.conn.prepare_cached(
            "SELECT d.name, d.year, d.src_lang, d.tgt_lang, d.title,
                    (SELECT count(*) FROM beads WHERE doc = d.id),
                    (SELECT count(*) FROM findings WHERE doc = d.id),
                    (SELECT count(*) FROM activities WHERE doc = d.id),
                    d.report_html IS NOT NULL
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
    pub fn beads(&self, name: &str, offset: usize, limit: usize) -> Result<Vec<BeadRecord>> {
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
    pub fn findings(&self, name: &str) -> Result<Vec<Finding>> {
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
    pub fn report_html(&self, name: &str) -> Result<Option<String>> {
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
    pub fn optimize(&mut self) -> Result<()> {
        self.sql(self.conn.execute_batch(
            "INSERT INTO sentences_fts(sentences_fts) VALUES ('optimize');
             INSERT INTO sentences_tri(sentences_tri) VALUES ('optimize');
             PRAGMA optimize;",
        ))
    }

    /// Runs SQLite's integrity check; `Ok(())` when the file is sound.
    pub fn check_integrity(&self) -> Result<()> {
        let verdict: String = self.sql(
            self.conn
                .query_row("PRAGMA integrity_check", [], |r| r.get(0)),
        )?;
        let fts: rusqlite::Result<usize> = self.conn.execute(
            "INSERT INTO sentences_fts(sentences_fts, rank) VALUES ('integrity-check', 1)",
            [],
        );
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

/// Maps a SQLite error to ours, recognising files that are not databases.
pub(crate) fn sqlite_error(path: &Path, e: rusqlite::Error) -> Error {
    let code = e.sqlite_error_code();
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

fn validate(bitext: &Bitext) -> Result<()> {
    let bad = |message: String| {
        Err(Error::BadDocument {
            name: bitext.name.clone(),
            message,
        })
    };
    if bitext.name.trim().is_empty() {
        return bad("the document has no name".into());
    }
    let (ns, nt) = (bitext.src.sentences.len(), bitext.tgt.sentences.len());
    for (i, bead) in bitext.beads.iter().enumerate() {
        if bead.src.end > ns || bead.tgt.end > nt || bead.src.start > bead.src.end {
            return bad(format!("bead {i} points outside the sentences"));
        }
    }
    for doc in [&bitext.src, &bitext.tgt] {
        if doc
            .sentences
            .iter()
            .any(|s| s.block_index >= doc.blocks.len())
        {
            return bad("a sentence points outside the blocks".into());
        }
    }
    Ok(())
}

fn document_id(conn: &Connection, name: &str) -> rusqlite::Result<Option<i64>> {
    conn.query_row("SELECT id FROM documents WHERE name = ?1", [name], |r| {
        r.get(0)
    })
    .optional()
}

fn delete_document(tx: &Transaction, doc: i64) -> rusqlite::Result<()> {
    for sql in [
        "DELETE FROM sentences WHERE doc = ?1",
        "DELETE FROM beads WHERE doc = ?1",
        "DELETE FROM blocks WHERE doc = ?1",
        "DELETE FROM findings WHERE doc = ?1",
        "DELETE FROM activity_partners WHERE activity IN (SELECT id FROM activities WHERE doc = ?1)",
        "DELETE FROM activity_blocks WHERE doc = ?1",
        "DELETE FROM activities WHERE doc = ?1",
        "DELETE FROM documents WHERE id = ?1",
    ] {
        tx.execute(sql, [doc])?;
    }
    Ok(())
}

fn title_of(bitext: &Bitext) -> String {
    let blocks = &bitext.src.blocks;
    blocks
        .iter()
        .find(|b| b.kind == BlockKind::Title)
        .or_else(|| blocks.iter().find(|b| b.kind == BlockKind::Heading))
        .or(blocks.first())
        .map(|b| b.text.clone())
        .unwrap_or_else(|| bitext.name.clone())
}

fn insert_document(
    tx: &Transaction,
    bitext: &Bitext,
    year: Option<i32>,
    report_html: Option<&str>,
) -> rusqlite::Result<i64> {
    let [src, tgt] = bitext.langs();
    tx.execute(
        "INSERT INTO documents(name, year, src_lang, tgt_lang, title, report_html)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            bitext.name,
            year,
            src.as_str(),
            tgt.as_str(),
            title_of(bitext),
            report_html
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

/// Inserts blocks, beads and sentences; returns nothing but fails as a whole.
fn insert_bitext(tx: &Transaction, doc: i64, bitext: &Bitext) -> rusqlite::Result<()> {
    let langs = bitext.langs();
    let block_rows = [
        insert_blocks(tx, doc, 0, &bitext.src, langs[0].as_str())?,
        insert_blocks(tx, doc, 1, &bitext.tgt, langs[1].as_str())?,
    ];
    let mut bead_stmt = tx.prepare_cached(
        "INSERT INTO beads(doc, ord, src_text, tgt_text, src_block, tgt_block, shape, score)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    let mut sentence_stmt = tx.prepare_cached(
        "INSERT INTO sentences(doc, bead, side, sentence_id, lang, block, block_id, text)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for (ord, bead) in bitext.beads.iter().enumerate() {
        let [src_text, tgt_text] = bitext.bead_texts(bead);
        let first_block = |doc: &Document, r: &std::ops::Range<usize>| {
            doc.sentences
                .get(r.start)
                .filter(|_| !r.is_empty())
                .map(|s| s.block.clone())
        };
        bead_stmt.execute(params![
            doc,
            ord as i64,
            src_text,
            tgt_text,
            first_block(&bitext.src, &bead.src),
            first_block(&bitext.tgt, &bead.tgt),
            bead.shape_label(),
            f64::from(bead.score),
        ])?;
        let bead_row = tx.last_insert_rowid();
        let sides = [(&bitext.src, &bead.src), (&bitext.tgt, &bead.tgt)];
        for (side, (document, range)) in sides.into_iter().enumerate() {
            for sentence in &document.sentences[range.clone()] {
                sentence_stmt.execute(params![
                    doc,
                    bead_row,
                    side as i64,
                    sentence.id,
                    langs[side].as_str(),
                    block_rows[side][sentence.block_index],
                    sentence.block,
                    sentence.text,
                ])?;
            }
        }
    }
    Ok(())
}

/// Inserts one side's blocks with the heading of their section; returns their row ids.
fn insert_blocks(
    tx: &Transaction,
    doc: i64,
    side: i64,
    document: &Document,
    lang: &str,
) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO blocks(doc, side, ord, block_id, lang, kind, level, section, text)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    let mut rows = Vec::with_capacity(document.blocks.len());
    for (ord, block) in document.blocks.iter().enumerate() {
        let section = document
            .section_of(ord)
            .map(|i| document.blocks[i].text.as_str())
            .unwrap_or("");
        stmt.execute(params![
            doc,
            side,
            ord as i64,
            block.id,
            lang,
            block.kind.as_str(),
            i64::from(block.level),
            section,
            block.text,
        ])?;
        rows.push(tx.last_insert_rowid());
    }
    Ok(rows)
}

fn insert_findings(tx: &Transaction, doc: i64, findings: &[Finding]) -> rusqlite::Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO findings(doc, bead, check_name, severity, json) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for finding in findings {
        let json = serde_json::to_string(finding)
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        stmt.execute(params![
            doc,
            finding.bead.map(|b| b as i64),
            finding.check,
            finding.severity.as_str(),
            json
        ])?;
    }
    Ok(())
}

fn insert_activities(tx: &Transaction, doc: i64, activities: &[Activity]) -> rusqlite::Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO activities(doc, ord, level, first_date, last_date, json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    let mut partner_stmt =
        tx.prepare_cached("INSERT INTO activity_partners(activity, folded) VALUES (?1, ?2)")?;
    let mut block_stmt = tx.prepare_cached(
        "INSERT INTO activity_blocks(activity, doc, block_id) VALUES (?1, ?2, ?3)",
    )?;
    for (ord, activity) in activities.iter().enumerate() {
        let json = serde_json::to_string(activity)
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        stmt.execute(params![
            doc,
            ord as i64,
            level_name(activity.level),
            activity.dates.iter().min(),
            activity.dates.iter().max(),
            json
        ])?;
        let id = tx.last_insert_rowid();
        for partner in &activity.partners {
            let names = std::iter::once(&partner.name).chain(partner.written.values());
            for name in names {
                partner_stmt.execute(params![id, fold(name)])?;
            }
        }
        for block in &activity.blocks {
            block_stmt.execute(params![id, doc, block])?;
        }
    }
    Ok(())
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
