//! Adding and removing documents in the PostgreSQL archive. A batch is one transaction: the
//! names it writes are locked first (advisory locks, in name order, so two writers of one name
//! take turns and writers of different names never wait for each other), then each table gets
//! one `INSERT ... SELECT FROM unnest(arrays)` per document: a round trip per table, not per
//! row. Sentences carry their words as a `tsvector`, filled in the same statement.

use diptych_core::text::fold;
use diptych_core::{Activity, Bitext, Document, Finding};
use postgres::types::ToSql;
use postgres::Transaction;

use super::PgArchive;
use crate::archive::level_name;
use crate::words::index_text;
use crate::write::{sections, title_of, NewDocument};
use crate::{infer_year, Error, Result};

type Params<'a> = [&'a (dyn ToSql + Sync)];

impl PgArchive {
    /// Adds validated documents in one transaction (same name = replace; within the batch the
    /// last of one name wins).
    pub(crate) fn add_batch(&mut self, docs: &[NewDocument]) -> Result<()> {
        let mut names: Vec<&str> = docs.iter().map(|d| d.bitext.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        self.write(|tx| {
            lock_names(tx, &names)?;
            for doc in docs {
                if let Some(old) = document_id(tx, &doc.bitext.name)? {
                    delete_document(tx, old)?;
                }
                insert_all(tx, doc)?;
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

fn insert_all(tx: &mut Transaction, doc: &NewDocument) -> Result<(), postgres::Error> {
    let year = doc
        .options
        .year
        .or_else(|| infer_year(doc.bitext, doc.activities));
    let id = insert_document(tx, doc, year)?;
    insert_blocks(tx, id, doc.bitext)?;
    insert_beads(tx, id, doc.bitext)?;
    insert_sentences(tx, id, doc.bitext)?;
    insert_findings(tx, id, doc.findings)?;
    insert_activities(tx, id, doc.activities)
}

fn insert_document(
    tx: &mut Transaction,
    doc: &NewDocument,
    year: Option<i32>,
) -> Result<i64, postgres::Error> {
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

/// Both sides' blocks, each with the heading of its section.
fn insert_blocks(tx: &mut Transaction, doc: i64, bitext: &Bitext) -> Result<(), postgres::Error> {
    let langs = bitext.langs();
    let mut side = Vec::new();
    let mut ord = Vec::new();
    let mut id = Vec::new();
    let mut lang = Vec::new();
    let mut kind = Vec::new();
    let mut level = Vec::new();
    let mut section = Vec::new();
    let mut text = Vec::new();
    for (s, document) in [&bitext.src, &bitext.tgt].into_iter().enumerate() {
        let sections = sections(document);
        for (o, block) in document.blocks.iter().enumerate() {
            side.push(s as i64);
            ord.push(o as i64);
            id.push(block.id.as_str());
            lang.push(langs[s].as_str());
            kind.push(block.kind.as_str());
            level.push(i64::from(block.level));
            section.push(sections[o]);
            text.push(block.text.as_str());
        }
    }
    let params: &Params<'_> = &[
        &doc, &side, &ord, &id, &lang, &kind, &level, &section, &text,
    ];
    tx.execute(
        "INSERT INTO blocks(doc, side, ord, block_id, lang, kind, level, section, text)
         SELECT $1, u.* FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::text[],
                                    $6::text[], $7::bigint[], $8::text[], $9::text[]) AS u",
        params,
    )?;
    Ok(())
}

/// The sentence beads with both sides' text and first blocks.
fn insert_beads(tx: &mut Transaction, doc: i64, bitext: &Bitext) -> Result<(), postgres::Error> {
    let first_block = |document: &Document, r: &std::ops::Range<usize>| {
        document
            .sentences
            .get(r.start)
            .filter(|_| !r.is_empty())
            .map(|s| s.block.clone())
    };
    let n = bitext.beads.len();
    let (mut ord, mut src, mut tgt) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    let (mut src_block, mut tgt_block) = (Vec::with_capacity(n), Vec::with_capacity(n));
    let (mut shape, mut score) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for (o, bead) in bitext.beads.iter().enumerate() {
        let [s, t] = bitext.bead_texts(bead);
        ord.push(o as i64);
        src.push(s);
        tgt.push(t);
        src_block.push(first_block(&bitext.src, &bead.src));
        tgt_block.push(first_block(&bitext.tgt, &bead.tgt));
        shape.push(bead.shape_label());
        score.push(f64::from(bead.score));
    }
    let params: &Params<'_> = &[
        &doc, &ord, &src, &tgt, &src_block, &tgt_block, &shape, &score,
    ];
    tx.execute(
        "INSERT INTO beads(doc, ord, src_text, tgt_text, src_block, tgt_block, shape, score)
         SELECT $1, u.* FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[],
                                    $6::text[], $7::text[], $8::float8[]) AS u",
        params,
    )?;
    Ok(())
}

/// The sentences of each bead, source side first, with their words and folded text for the
/// indexes; bead and block rows are found by their order in the document.
fn insert_sentences(
    tx: &mut Transaction,
    doc: i64,
    bitext: &Bitext,
) -> Result<(), postgres::Error> {
    let langs = bitext.langs();
    let mut bead_ord = Vec::new();
    let mut side = Vec::new();
    let mut id = Vec::new();
    let mut lang = Vec::new();
    let mut block_ord = Vec::new();
    let mut block_id = Vec::new();
    let mut text = Vec::new();
    let mut folded = Vec::new();
    let mut words = Vec::new();
    for (o, bead) in bitext.beads.iter().enumerate() {
        let sides = [(&bitext.src, &bead.src), (&bitext.tgt, &bead.tgt)];
        for (s, (document, range)) in sides.into_iter().enumerate() {
            for sentence in &document.sentences[range.clone()] {
                bead_ord.push(o as i64);
                side.push(s as i64);
                id.push(sentence.id.as_str());
                lang.push(langs[s].as_str());
                block_ord.push(sentence.block_index as i64);
                block_id.push(sentence.block.as_str());
                text.push(sentence.text.as_str());
                folded.push(fold(&sentence.text));
                words.push(index_text(&sentence.text));
            }
        }
    }
    let params: &Params<'_> = &[
        &doc, &bead_ord, &side, &id, &lang, &block_ord, &block_id, &text, &folded, &words,
    ];
    tx.execute(
        "INSERT INTO sentences(doc, bead, side, sentence_id, lang, block, block_id, text,
                               folded, words)
         SELECT $1, b.id, u.side, u.sentence_id, u.lang, k.id, u.block_id, u.text, u.folded,
                to_tsvector('diptych_words', u.words)
         FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::bigint[],
                     $7::text[], $8::text[], $9::text[], $10::text[])
              WITH ORDINALITY
              AS u(bead_ord, side, sentence_id, lang, block_ord, block_id, text, folded, words, n)
         JOIN beads b ON b.doc = $1 AND b.ord = u.bead_ord
         JOIN blocks k ON k.doc = $1 AND k.side = u.side AND k.ord = u.block_ord
         ORDER BY u.n",
        params,
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
