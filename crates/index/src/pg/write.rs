//! Adding and removing documents in the PostgreSQL archive. A batch is one transaction: the
//! names it writes are locked first (advisory locks, in name order, so two writers of one name
//! take turns and writers of different names never wait for each other), then the documents'
//! rows go in with `COPY`, one per table for the whole batch: blocks and beads straight into
//! their tables, sentences into a temporary table first, from which one `INSERT ... SELECT`
//! gives them their bead and block rows and their words as a `tsvector`. Findings and
//! activities (a few rows a document) go in by one `INSERT ... SELECT FROM unnest(arrays)` per
//! document and table.

use diptych_core::text::fold;
use diptych_core::{Activity, Document, Finding};
use postgres::Transaction;

use super::PgArchive;
use crate::archive::level_name;
use crate::words::index_text;
use crate::write::{sections, title_of, NewDocument};
use crate::{infer_year, Error, Result};

impl PgArchive {
    /// Adds validated documents in one transaction (same name = replace; within the batch the
    /// last of one name wins).
    pub(crate) fn add_batch(&mut self, docs: &[NewDocument]) -> Result<()> {
        let mut names: Vec<&str> = docs.iter().map(|d| d.bitext.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        let docs = last_of_each_name(docs);
        self.write(|tx| {
            lock_names(tx, &names)?;
            let mut batch = Vec::with_capacity(docs.len());
            for doc in docs {
                if let Some(old) = document_id(tx, &doc.bitext.name)? {
                    delete_document(tx, old)?;
                }
                batch.push((insert_document(tx, doc)?, doc));
            }
            copy_blocks(tx, &batch)?;
            copy_beads(tx, &batch)?;
            copy_sentences(tx, &batch)?;
            for (id, doc) in &batch {
                insert_findings(tx, *id, doc.findings)?;
                insert_activities(tx, *id, doc.activities)?;
            }
            Ok(())
        })
    }

    /// Removes the document named `name` and everything stored with it.
    pub(crate) fn remove(&mut self, name: &str) -> Result<()> {
        let mut missing = false;
        self.write(|tx| {
            lock_names(tx, &[name])?;
            match document_id(tx, name)? {
                Some(doc) => delete_document(tx, doc),
                None => {
                    missing = true;
                    Ok(())
                }
            }
        })?;
        if missing {
            return Err(Error::NoSuchDocument(name.to_owned()));
        }
        Ok(())
    }

    /// Runs `work` in one transaction and counts the change, so readers list again.
    fn write(
        &mut self,
        work: impl FnOnce(&mut Transaction) -> Result<(), postgres::Error>,
    ) -> Result<()> {
        let outcome = {
            let mut client = self.client.borrow_mut();
            client.transaction().and_then(|mut tx| {
                work(&mut tx)?;
                // Last, so concurrent writers hold this row's lock only while committing.
                tx.execute(
                    "UPDATE diptych_meta SET value = value + 1 WHERE key = 'changes'",
                    &[],
                )?;
                tx.commit()
            })
        };
        self.documents.replace(None);
        outcome.map_err(|e| self.fail(e))
    }
}

/// Locks each name for the rest of the transaction (names sorted: no two writers wait on
/// each other in a cycle).
fn lock_names(tx: &mut Transaction, names: &[&str]) -> Result<(), postgres::Error> {
    for name in names {
        tx.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
            &[name],
        )?;
    }
    Ok(())
}

fn document_id(tx: &mut Transaction, name: &str) -> Result<Option<i64>, postgres::Error> {
    let row = tx.query_opt("SELECT id FROM documents WHERE name = $1", &[&name])?;
    Ok(row.map(|r| r.get(0)))
}

fn delete_document(tx: &mut Transaction, doc: i64) -> Result<(), postgres::Error> {
    for sql in [
        "DELETE FROM sentences WHERE doc = $1",
        "DELETE FROM beads WHERE doc = $1",
        "DELETE FROM blocks WHERE doc = $1",
        "DELETE FROM findings WHERE doc = $1",
        "DELETE FROM activity_partners WHERE activity IN (SELECT id FROM activities WHERE doc = $1)",
        "DELETE FROM activity_blocks WHERE doc = $1",
        "DELETE FROM activities WHERE doc = $1",
        "DELETE FROM documents WHERE id = $1",
    ] {
        tx.execute(sql, &[&doc])?;
    }
    Ok(())
}

/// The documents of a batch to store: the last of each name, in batch order (an earlier one
/// of the same name would be replaced within the batch).
fn last_of_each_name<'b, 'a>(docs: &'b [NewDocument<'a>]) -> Vec<&'b NewDocument<'a>> {
    docs.iter()
        .enumerate()
        .filter(|(i, doc)| {
            !docs[i + 1..]
                .iter()
                .any(|later| later.bitext.name == doc.bitext.name)
        })
        .map(|(_, doc)| doc)
        .collect()
}

fn insert_document(tx: &mut Transaction, doc: &NewDocument) -> Result<i64, postgres::Error> {
    let year = doc
        .options
        .year
        .or_else(|| infer_year(doc.bitext, doc.activities));
    let bitext = doc.bitext;
    let [src, tgt] = bitext.langs();
    let row = tx.query_one(
        "INSERT INTO documents(name, year, src_lang, tgt_lang, title, report_html,
                               n_beads, n_findings, n_activities)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        &[
            &bitext.name,
            &year.map(i64::from),
            &src.as_str(),
            &tgt.as_str(),
            &title_of(bitext),
            &doc.options.report_html,
            &(bitext.beads.len() as i64),
            &(doc.findings.len() as i64),
            &(doc.activities.len() as i64),
        ],
    )?;
    Ok(row.get(0))
}

/// Rows in PostgreSQL's `COPY` text format: fields separated by tabs, rows by newlines,
/// `\N` for NULL, and backslash, tab, newline and carriage return escaped.
#[derive(Default)]
struct CopyRows {
    text: String,
    fields_in_row: usize,
}

impl CopyRows {
    /// Adds a text field (`None`: NULL).
    fn text(&mut self, value: Option<&str>) -> &mut Self {
        if self.fields_in_row > 0 {
            self.text.push('\t');
        }
        self.fields_in_row += 1;
        match value {
            None => self.text.push_str("\\N"),
            Some(value) => {
                for c in value.chars() {
                    match c {
                        '\\' => self.text.push_str("\\\\"),
                        '\t' => self.text.push_str("\\t"),
                        '\n' => self.text.push_str("\\n"),
                        '\r' => self.text.push_str("\\r"),
                        c => self.text.push(c),
                    }
                }
            }
        }
        self
    }

    /// Adds a number field.
    fn number(&mut self, value: impl std::fmt::Display) -> &mut Self {
        self.text(Some(&value.to_string()))
    }

    /// Ends the row.
    fn end(&mut self) {
        self.text.push('\n');
        self.fields_in_row = 0;
    }

    /// Sends the rows with `COPY target FROM STDIN`.
    fn send(self, tx: &mut Transaction, target: &str) -> Result<(), postgres::Error> {
        let mut writer = tx.copy_in(&format!("COPY {target} FROM STDIN"))?;
        // Writing into the COPY stream only fails when the connection does: `finish` then
        // reports it as the server's error.
        let _ = std::io::Write::write_all(&mut writer, self.text.as_bytes());
        writer.finish()?;
        Ok(())
    }
}

/// Both sides' blocks of every document of the batch, each with the heading of its section.
fn copy_blocks(tx: &mut Transaction, batch: &[(i64, &NewDocument)]) -> Result<(), postgres::Error> {
    let mut rows = CopyRows::default();
    for (doc, new) in batch {
        let langs = new.bitext.langs();
        for (s, document) in [&new.bitext.src, &new.bitext.tgt].into_iter().enumerate() {
            let sections = sections(document);
            for (o, block) in document.blocks.iter().enumerate() {
                rows.number(doc)
                    .number(s)
                    .number(o)
                    .text(Some(&block.id))
                    .text(Some(langs[s].as_str()))
                    .text(Some(block.kind.as_str()))
                    .number(block.level)
                    .text(Some(sections[o]))
                    .text(Some(&block.text))
                    .end();
            }
        }
    }
    rows.send(
        tx,
        "blocks(doc, side, ord, block_id, lang, kind, level, section, text)",
    )
}

/// The sentence beads of every document of the batch, with both sides' text and first blocks.
fn copy_beads(tx: &mut Transaction, batch: &[(i64, &NewDocument)]) -> Result<(), postgres::Error> {
    fn first_block<'d>(document: &'d Document, r: &std::ops::Range<usize>) -> Option<&'d str> {
        document
            .sentences
            .get(r.start)
            .filter(|_| !r.is_empty())
            .map(|s| s.block.as_str())
    }
    let mut rows = CopyRows::default();
    for (doc, new) in batch {
        let bitext = new.bitext;
        for (o, bead) in bitext.beads.iter().enumerate() {
            let [src, tgt] = bitext.bead_texts(bead);
            rows.number(doc)
                .number(o)
                .text(Some(&src))
                .text(Some(&tgt))
                .text(first_block(&bitext.src, &bead.src))
                .text(first_block(&bitext.tgt, &bead.tgt))
                .text(Some(&bead.shape_label()))
                .number(f64::from(bead.score))
                .end();
        }
    }
    rows.send(
        tx,
        "beads(doc, ord, src_text, tgt_text, src_block, tgt_block, shape, score)",
    )
}

/// The sentences of each bead of every document of the batch, source side first, with their
/// words and folded text for the indexes: copied into a temporary table, then inserted in
/// one statement that finds their bead and block rows by their order in the document.
fn copy_sentences(
    tx: &mut Transaction,
    batch: &[(i64, &NewDocument)],
) -> Result<(), postgres::Error> {
    tx.batch_execute(
        "CREATE TEMP TABLE IF NOT EXISTS diptych_staged_sentences(
             doc bigint, bead_ord bigint, side bigint, sentence_id text, lang text,
             block_ord bigint, block_id text, text text, folded text, words text, n bigint
         ) ON COMMIT DELETE ROWS",
    )?;
    let mut rows = CopyRows::default();
    let mut n = 0;
    for (doc, new) in batch {
        let bitext = new.bitext;
        let langs = bitext.langs();
        for (o, bead) in bitext.beads.iter().enumerate() {
            let sides = [(&bitext.src, &bead.src), (&bitext.tgt, &bead.tgt)];
            for (s, (document, range)) in sides.into_iter().enumerate() {
                for sentence in &document.sentences[range.clone()] {
                    rows.number(doc)
                        .number(o)
                        .number(s)
                        .text(Some(&sentence.id))
                        .text(Some(langs[s].as_str()))
                        .number(sentence.block_index)
                        .text(Some(&sentence.block))
                        .text(Some(&sentence.text))
                        .text(Some(&fold(&sentence.text)))
                        .text(Some(&index_text(&sentence.text)))
                        .number(n)
                        .end();
                    n += 1;
                }
            }
        }
    }
    rows.send(tx, "diptych_staged_sentences")?;
    // Statistics, so that the planner joins a batch's rows by index rather than by scanning.
    tx.batch_execute("ANALYZE diptych_staged_sentences")?;
    let ids: Vec<i64> = batch.iter().map(|(id, _)| *id).collect();
    tx.execute(
        "INSERT INTO sentences(doc, bead, side, sentence_id, lang, block, block_id, text,
                               folded, words)
         SELECT u.doc, b.id, u.side, u.sentence_id, u.lang, k.id, u.block_id, u.text, u.folded,
                to_tsvector('diptych_words', u.words)
         FROM diptych_staged_sentences u
         JOIN beads b ON b.doc = u.doc AND b.ord = u.bead_ord
         JOIN blocks k ON k.doc = u.doc AND k.side = u.side AND k.ord = u.block_ord
         WHERE b.doc = ANY($1) AND k.doc = ANY($1)
         ORDER BY u.n",
        &[&ids],
    )?;
    Ok(())
}

fn insert_findings(
    tx: &mut Transaction,
    doc: i64,
    findings: &[Finding],
) -> Result<(), postgres::Error> {
    let bead: Vec<Option<i64>> = findings.iter().map(|f| f.bead.map(|b| b as i64)).collect();
    let check: Vec<&str> = findings.iter().map(|f| f.check.as_str()).collect();
    let severity: Vec<&str> = findings.iter().map(|f| f.severity.as_str()).collect();
    let json: Vec<String> = findings.iter().map(to_json).collect();
    tx.execute(
        "INSERT INTO findings(doc, bead, check_name, severity, json)
         SELECT $1, u.bead, u.check_name, u.severity, u.json
         FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY
              AS u(bead, check_name, severity, json, n)
         ORDER BY u.n",
        &[&doc, &bead, &check, &severity, &json],
    )?;
    Ok(())
}

fn to_json<T: serde::Serialize>(value: &T) -> String {
    // Our records are plain data: serialising them cannot fail.
    serde_json::to_string(value).unwrap_or_default()
}

/// The activities, then the folded names of their partners and their blocks, both tied to
/// the activity by its order in the document.
fn insert_activities(
    tx: &mut Transaction,
    doc: i64,
    activities: &[Activity],
) -> Result<(), postgres::Error> {
    let ord: Vec<i64> = (0..activities.len() as i64).collect();
    let level: Vec<&str> = activities.iter().map(|a| level_name(a.level)).collect();
    let first: Vec<Option<&String>> = activities.iter().map(|a| a.dates.iter().min()).collect();
    let last: Vec<Option<&String>> = activities.iter().map(|a| a.dates.iter().max()).collect();
    let json: Vec<String> = activities.iter().map(to_json).collect();
    tx.execute(
        "INSERT INTO activities(doc, ord, level, first_date, last_date, json)
         SELECT $1, u.* FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[],
                                    $6::text[]) AS u",
        &[&doc, &ord, &level, &first, &last, &json],
    )?;
    let (mut partner_ord, mut partner) = (Vec::new(), Vec::new());
    let (mut block_ord, mut block) = (Vec::new(), Vec::new());
    for (o, activity) in activities.iter().enumerate() {
        for place in &activity.partners {
            for name in std::iter::once(&place.name).chain(place.written.values()) {
                partner_ord.push(o as i64);
                partner.push(fold(name));
            }
        }
        for b in &activity.blocks {
            block_ord.push(o as i64);
            block.push(b.as_str());
        }
    }
    tx.execute(
        "INSERT INTO activity_partners(activity, folded)
         SELECT a.id, u.folded FROM unnest($2::bigint[], $3::text[]) AS u(ord, folded)
         JOIN activities a ON a.doc = $1 AND a.ord = u.ord",
        &[&doc, &partner_ord, &partner],
    )?;
    tx.execute(
        "INSERT INTO activity_blocks(activity, doc, block_id)
         SELECT a.id, $1, u.block_id FROM unnest($2::bigint[], $3::text[]) AS u(ord, block_id)
         JOIN activities a ON a.doc = $1 AND a.ord = u.ord",
        &[&doc, &block_ord, &block],
    )?;
    Ok(())
}
