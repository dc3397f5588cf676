//! Adding and removing documents (what both backends store, and the SQLite backend's writes).
//! A batch of documents is one transaction on the archive and one on its substring index
//! (`crate::substrings`). Row ids are given out before anything is written ([`place`]), so
//! the whole batch's sentences go to a second thread, which fills the substring index from
//! the start, while the first inserts the rows with cached prepared statements and then fills
//! the word index in one `INSERT ... SELECT` over the batch's id range. A crash leaves the
//! archive as before the batch, and a bulk `index add` writes few, large index segments on
//! two cores.

use std::collections::{HashMap, HashSet};
use std::sync::mpsc::{channel, Sender};

use diptych_core::{Activity, Bitext, BlockKind, Document, Finding, Sentence};
use rusqlite::{params, Connection, Transaction};

use crate::archive::{document_id, level_name, sqlite_error, SqliteArchive};
use crate::substrings::{self, side_path, Work};
use crate::{infer_year, AddOptions, Error, Result};
use diptych_core::text::fold;

/// The full-text index over `sentences` in the archive file (external content); the
/// substring index lives beside it (`crate::substrings`).
const WORD_INDEX: &str = "sentences_fts";

/// One document to add with [`Archive::add_batch`]: its bitext and what is stored with it.
#[derive(Clone, Copy, Debug)]
pub struct NewDocument<'a> {
    /// The aligned document; its name is its key in the archive.
    pub bitext: &'a Bitext,
    /// Its findings.
    pub findings: &'a [Finding],
    /// Its activities.
    pub activities: &'a [Activity],
    /// Year and review page.
    pub options: &'a AddOptions,
}

impl SqliteArchive {
    /// Adds many validated documents in one transaction (each replacing a document of the
    /// same name; within the batch, the last of one name wins). The substring index is
    /// filled by a second thread meanwhile.
    pub(crate) fn add_batch(&mut self, docs: &[NewDocument]) -> Result<()> {
        let path = self.path.clone();
        self.with_side(|tx, side| {
            let plan = place(tx, docs).map_err(|e| sqlite_error(&path, e))?;
            std::thread::scope(|scope| {
                let (sender, inbox) = channel();
                let worker = scope.spawn(move || substrings::work(side, inbox));
                // The whole batch goes to the substring thread before a row is written, so
                // both cores work from the start.
                let sent = send_batch(&sender, docs, &plan);
                drop(sender);
                let words = sent
                    .and_then(|()| insert_batch(tx, docs, &plan))
                    .and_then(|()| index_sentences(tx, &plan));
                let substrings = worker.join().map_err(|_| {
                    Error::Invalid(format!(
                        "{}: the substring indexing thread failed",
                        side_path(&path).display()
                    ))
                })?;
                // The indexer's own error first: when it stops, sending to it fails too.
                substrings.map_err(|e| sqlite_error(&side_path(&path), e))?;
                words.map_err(|e| sqlite_error(&path, e))
            })
        })
    }

    /// Removes the document named `name` and everything stored with it.
    pub(crate) fn remove(&mut self, name: &str) -> Result<()> {
        let path = self.path.clone();
        self.with_side(|tx, side| {
            let doc = document_id(tx, name)
                .map_err(|e| sqlite_error(&path, e))?
                .ok_or_else(|| Error::NoSuchDocument(name.to_owned()))?;
            substrings::forget(side, doc).map_err(|e| sqlite_error(&side_path(&path), e))?;
            delete_document(tx, doc, true).map_err(|e| sqlite_error(&path, e))
        })
    }
}

/// Where one document of a batch goes, decided before anything is written: its row id, the
/// row id of the document of the same name it replaces, its stamp and its first sentence's
/// row id (its sentences take the ids that follow, in [`bead_sentences`] order).
struct Placement {
    id: i64,
    replaces: Option<i64>,
    stamp: i64,
    first_sentence: i64,
}

/// Places every document of the batch after the archive's last document and sentence row
/// ids, so that row ids are known before the rows are written and never reuse the ids of
/// rows the batch deletes. Within the batch, a later document of one name replaces the
/// earlier one.
fn place(tx: &Transaction, docs: &[NewDocument]) -> rusqlite::Result<Vec<Placement>> {
    let last = |table: &str| -> rusqlite::Result<i64> {
        tx.query_row(
            &format!("SELECT coalesce(max(id), 0) FROM {table}"),
            [],
            |r| r.get(0),
        )
    };
    let (mut next_doc, mut next_sentence) = (last("documents")? + 1, last("sentences")? + 1);
    let mut placed: HashMap<&str, i64> = HashMap::new();
    let mut plan = Vec::with_capacity(docs.len());
    for (i, doc) in docs.iter().enumerate() {
        let name = doc.bitext.name.as_str();
        let replaces = match placed.get(name) {
            Some(&earlier) => Some(earlier),
            None => document_id(tx, name)?,
        };
        placed.insert(name, next_doc);
        plan.push(Placement {
            id: next_doc,
            replaces,
            stamp: substrings::new_stamp(name, i),
            first_sentence: next_sentence,
        });
        next_doc += 1;
        next_sentence += bead_sentences(doc.bitext).count() as i64;
    }
    Ok(plan)
}

/// Tells the substring indexer, in order, which documents to forget and which sentences to
/// index for the whole batch.
fn send_batch<'a>(
    substrings: &Sender<Work<'a>>,
    docs: &[NewDocument<'a>],
    plan: &[Placement],
) -> rusqlite::Result<()> {
    for (doc, place) in docs.iter().zip(plan) {
        if let Some(old) = place.replaces {
            send(substrings, Work::Forget(old))?;
        }
        let sentences = (place.first_sentence..)
            .zip(bead_sentences(doc.bitext).map(|(_, _, s)| s.text.as_str()))
            .collect();
        send(
            substrings,
            Work::Index {
                doc: place.id,
                stamp: place.stamp,
                sentences,
            },
        )?;
    }
    Ok(())
}

/// Inserts the rows of every document of the batch where [`place`] put them, deleting the
/// documents they replace (not yet their index entries for those added earlier in the
/// batch, which are not in the word index yet).
fn insert_batch(
    tx: &Transaction,
    docs: &[NewDocument],
    plan: &[Placement],
) -> rusqlite::Result<()> {
    let batch: HashSet<i64> = plan.iter().map(|p| p.id).collect();
    for (doc, place) in docs.iter().zip(plan) {
        if let Some(old) = place.replaces {
            delete_document(tx, old, !batch.contains(&old))?;
        }
        insert_all(tx, doc, place)?;
    }
    Ok(())
}

/// Hands `work` to the substring indexer; fails when it has stopped (its own error is
/// reported when it is joined).
fn send<'a>(substrings: &Sender<Work<'a>>, work: Work<'a>) -> rusqlite::Result<()> {
    substrings.send(work).map_err(|_| {
        let stopped = std::io::Error::other("the substring indexer stopped");
        rusqlite::Error::ToSqlConversionFailure(Box::new(stopped))
    })
}

/// Inserts a document's rows (not yet its index entries) where `place` says.
fn insert_all(tx: &Transaction, doc: &NewDocument, place: &Placement) -> rusqlite::Result<()> {
    let year = doc
        .options
        .year
        .or_else(|| infer_year(doc.bitext, doc.activities));
    insert_document(tx, doc, year, place)?;
    insert_bitext(tx, place, doc.bitext)?;
    insert_findings(tx, place.id, doc.findings)?;
    insert_activities(tx, place.id, doc.activities)?;
    Ok(())
}

/// Adds the batch's sentences (the rows from the first one [`place`] gave out) to the word
/// index, one statement for the whole batch, in row id order. FTS5 writes its pending
/// entries to disk as a new segment at the start of every statement that writes to it, so
/// one statement per document would leave one small segment per document to be merged later
/// (most of the indexing time in a profile); one statement leaves a few large ones.
fn index_sentences(tx: &Transaction, plan: &[Placement]) -> rusqlite::Result<()> {
    let Some(first) = plan.first() else {
        return Ok(());
    };
    let sql = format!(
        "INSERT INTO {WORD_INDEX}(rowid, text) SELECT id, text FROM sentences
         WHERE id >= ?1 ORDER BY id"
    );
    tx.prepare_cached(&sql)?.execute([first.first_sentence])?;
    // Its pending entries written now, while the substring thread may still be working,
    // rather than by the commit.
    tx.prepare_cached(&format!(
        "INSERT INTO {WORD_INDEX}({WORD_INDEX}) VALUES ('flush')"
    ))?
    .execute([])?;
    Ok(())
}

/// Takes a document's sentences out of the word index (before their rows go).
fn unindex_sentences(tx: &Connection, doc: i64) -> rusqlite::Result<()> {
    let sql = format!(
        "INSERT INTO {WORD_INDEX}({WORD_INDEX}, rowid, text)
         SELECT 'delete', id, text FROM sentences WHERE doc = ?1"
    );
    tx.prepare_cached(&sql)?.execute([doc])?;
    Ok(())
}

/// Refuses a document whose beads or sentences point outside what it holds.
pub(crate) fn validate(bitext: &Bitext) -> Result<()> {
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

/// Deletes a document's rows; `indexed` when its sentences are in the full-text indexes.
fn delete_document(tx: &Connection, doc: i64, indexed: bool) -> rusqlite::Result<()> {
    if indexed {
        unindex_sentences(tx, doc)?;
    }
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
        tx.prepare_cached(sql)?.execute([doc])?;
    }
    Ok(())
}

/// The document's title: its first title block, else its first heading, else its first
/// block, else its name.
pub(crate) fn title_of(bitext: &Bitext) -> String {
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
    doc: &NewDocument,
    year: Option<i32>,
    place: &Placement,
) -> rusqlite::Result<()> {
    let bitext = doc.bitext;
    let [src, tgt] = bitext.langs();
    tx.prepare_cached(
        "INSERT INTO documents(id, name, year, src_lang, tgt_lang, title, report_html,
                               n_beads, n_findings, n_activities, stamp)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        place.id,
        bitext.name,
        year,
        src.as_str(),
        tgt.as_str(),
        title_of(bitext),
        doc.options.report_html,
        bitext.beads.len() as i64,
        doc.findings.len() as i64,
        doc.activities.len() as i64,
        place.stamp,
    ])?;
    Ok(())
}

/// The sentences of a bitext in the order they are stored: bead by bead, the source side's
/// then the target side's, each with its bead's index and its side (0 source, 1 target).
fn bead_sentences(bitext: &Bitext) -> impl Iterator<Item = (usize, usize, &Sentence)> {
    bitext
        .beads
        .iter()
        .enumerate()
        .flat_map(move |(ord, bead)| {
            let src = bitext.src.sentences[bead.src.clone()]
                .iter()
                .map(move |s| (ord, 0, s));
            let tgt = bitext.tgt.sentences[bead.tgt.clone()]
                .iter()
                .map(move |s| (ord, 1, s));
            src.chain(tgt)
        })
}

/// Inserts blocks, beads and sentences, the sentences with the row ids from
/// `place.first_sentence` on.
fn insert_bitext(tx: &Transaction, place: &Placement, bitext: &Bitext) -> rusqlite::Result<()> {
    let doc = place.id;
    let langs = bitext.langs();
    let block_rows = [
        insert_blocks(tx, doc, 0, &bitext.src, langs[0].as_str())?,
        insert_blocks(tx, doc, 1, &bitext.tgt, langs[1].as_str())?,
    ];
    let mut bead_stmt = tx.prepare_cached(
        "INSERT INTO beads(doc, ord, src_text, tgt_text, src_block, tgt_block, shape, score)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    let mut bead_rows = Vec::with_capacity(bitext.beads.len());
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
        bead_rows.push(tx.last_insert_rowid());
    }
    let mut sentence_stmt = tx.prepare_cached(
        "INSERT INTO sentences(id, doc, bead, side, sentence_id, lang, block, block_id, text)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for (id, (ord, side, sentence)) in (place.first_sentence..).zip(bead_sentences(bitext)) {
        sentence_stmt.execute(params![
            id,
            doc,
            bead_rows[ord],
            side as i64,
            sentence.id,
            langs[side].as_str(),
            block_rows[side][sentence.block_index],
            sentence.block,
            sentence.text,
        ])?;
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
    for (ord, (block, section)) in document.blocks.iter().zip(sections(document)).enumerate() {
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

/// The heading of each block's section (the nearest heading at or before it; empty before
/// the first), in one pass (`Document::section_of` per block would scan back each time).
pub(crate) fn sections(document: &Document) -> Vec<&str> {
    let mut current = "";
    document
        .blocks
        .iter()
        .map(|block| {
            if block.kind == BlockKind::Heading {
                current = block.text.as_str();
            }
            current
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;
    use diptych_core::{Block, Lang};

    #[test]
    fn sections_are_the_nearest_heading_at_or_before_each_block() {
        let block = |kind, text: &str| Block {
            id: text.into(),
            lang: Lang::NL,
            kind,
            level: 0,
            text: text.into(),
            source_lines: [1, 1],
            joined_from: vec![],
            lang_confidence: 1.0,
            regions: vec![],
            note: None,
        };
        let document = Document {
            lang: Some(Lang::NL),
            blocks: vec![
                block(BlockKind::Title, "t"),
                block(BlockKind::Heading, "h1"),
                block(BlockKind::Paragraph, "p"),
                block(BlockKind::Heading, "h2"),
                block(BlockKind::Item, "i"),
            ],
            ..Default::default()
        };
        let expected: Vec<&str> = (0..5)
            .map(|i| {
                document
                    .section_of(i)
                    .map_or("", |h| document.blocks[h].text.as_str())
            })
            .collect();
        assert_eq!(sections(&document), expected);
        assert_eq!(sections(&document), ["", "h1", "h1", "h2", "h2"]);
    }
}
