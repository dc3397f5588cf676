//! Ranking a search window (SQLite) by BM25 without reading every match of a frequent phrase.
//!
//! FTS5's `bm25()` weighs each phrase of a query by its inverse document frequency, which it
//! finds by reading every match of the phrase in the whole index, on every search, after the
//! window has read its own matches: a frequent word in an archive of a million beads costs
//! tens of milliseconds however small the window. The window is ranked here instead, with
//! FTS5's formula (BM25, k1 = 1.2, b = 0.75), its row lengths (the `_docsize` table) and
//! table totals (its averages record), the phrase frequencies counted on the sentence text by
//! [`crate::words`], and each phrase's number of matches counted when the phrase has few and
//! estimated when it has many, from how densely its newest matches lie among the row ids. A
//! query of one phrase without filters takes its count from the window itself, so it reads
//! the index once. With exact counts the ranks are FTS5's (tested against `bm25()`).

use rusqlite::types::Value;

use crate::archive::SqliteArchive;
use crate::query::{parse, substring_fts};
use crate::search::{Query, FILTERS};
use crate::words::Phrases;
use crate::Result;

/// The newest matches of a phrase read to count its matches, or estimate them when it has
/// more.
const SAMPLE: usize = 500;
/// BM25's term-frequency saturation (FTS5's value).
const K1: f64 = 1.2;
/// BM25's length normalisation (FTS5's value).
const B: f64 = 0.75;
/// The row id of FTS5's averages record (rows and tokens in the table) in its `_data` table.
const AVERAGES_ROWID: i64 = 1;

/// How many rows of the index match one phrase of a query, and whether that is exact.
#[derive(Clone, Copy, Debug, PartialEq)]
struct PhraseHits {
    /// The count, or the estimate when `exact` is false.
    hits: f64,
    /// False when only the newest matches were read.
    exact: bool,
}

/// The rows and tokens of a full-text index (FTS5's own totals).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Totals {
    rows: f64,
    tokens: f64,
}

/// One match of the window: its row id, how often each phrase of the query occurs in it and
/// its length in tokens (counted once, on its text, by [`Phrases::frequencies`]).
struct Row {
    id: i64,
    frequencies: Vec<f64>,
    length: f64,
}

/// The FTS5 expression of each phrase of `query` on its own (one per term, or the substring).
fn phrase_expressions(query: &Query) -> Result<Vec<String>> {
    if query.substring {
        return Ok(vec![substring_fts(&query.text)?]);
    }
    Ok(parse(&query.text)?.iter().map(|t| t.to_fts()).collect())
}

/// The inverse document frequency of a phrase matching `hits` of `rows` rows, as FTS5's
/// `bm25()` computes it (never below a millionth, nor undefined when an estimate exceeds
/// the rows).
fn idf(rows: f64, hits: f64) -> f64 {
    let idf = ((rows - hits + 0.5) / (hits + 0.5)).ln();
    if idf > 0.0 {
        idf
    } else {
        1e-6
    }
}

/// FTS5's `bm25()` of one row: `-sum(idf * f * (k1 + 1) / (f + k1 * (1 - b + b * len / avg)))`
/// (lower is better, as FTS5's `rank`).
fn bm25(idfs: &[f64], frequencies: &[f64], length: f64, average_length: f64) -> f64 {
    let norm = K1 * (1.0 - B + B * length / average_length);
    let score: f64 = idfs
        .iter()
        .zip(frequencies)
        .map(|(idf, f)| idf * (f * (K1 + 1.0)) / (f + norm))
        .sum();
    -score
}

/// Reads one SQLite varint (as FTS5 writes its sizes); returns it and the bytes it took.
fn read_varint(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value: u64 = 0;
    for (i, &byte) in bytes.iter().enumerate().take(9) {
        if i == 8 {
            return Some(((value << 8) | u64::from(byte), 9));
        }
        value = (value << 7) | u64::from(byte & 0x7f);
        if byte & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

/// The matches of a phrase whose newest matches (row ids, newest first) are `newest`: their
/// number when `all` of them were read, else an estimate from their density over the row ids
/// `ids` (first, last) of a table of `rows` rows.
fn estimate_hits(newest: &[i64], all: bool, ids: (i64, i64), rows: f64) -> PhraseHits {
    let found = newest.len() as f64;
    match newest.last() {
        Some(&oldest) if !all => {
            let (first, last) = ids;
            let span = (last - oldest + 1).max(1) as f64;
            let estimate = found / span * (last - first + 1).max(1) as f64;
            PhraseHits {
                hits: estimate.clamp(found, rows.max(found)),
                exact: false,
            }
        }
        _ => PhraseHits {
            hits: found,
            exact: true,
        },
    }
}

/// `query` without its filters (a phrase's matches in the whole index weigh it for BM25).
fn without_filters(query: &Query) -> Query {
    Query {
        lang: None,
        document: None,
        year: None,
        section: None,
        level: None,
        ..query.clone()
    }
}

impl SqliteArchive {
    /// (sentence row id, rank) of the at most `limit` newest matches of `query`, ranked by
    /// BM25 as FTS5's `rank` (lower is better).
    pub(crate) fn ranked_window(&self, query: &Query, limit: usize) -> Result<Vec<(i64, f64)>> {
        let (_, table) = query.fts()?;
        let phrases = Phrases::of(query)?;
        let rows = self.window_rows(query, &phrases, limit)?;
        let totals = self.totals(table)?;
        let ids = self.sentence_ids()?;
        let expressions = phrase_expressions(query)?;
        let hits = if expressions.len() == 1 && !query.has_filters() {
            let newest: Vec<i64> = rows.iter().map(|r| r.id).collect();
            vec![estimate_hits(&newest, rows.len() < limit, ids, totals.rows)]
        } else if query.substring {
            let newest: Vec<i64> = self
                .window_rows(&without_filters(query), &phrases, SAMPLE + 1)?
                .into_iter()
                .map(|r| r.id)
                .collect();
            vec![estimate_hits(
                &newest,
                newest.len() <= SAMPLE,
                ids,
                totals.rows,
            )]
        } else {
            self.phrase_hits(table, &expressions, ids, totals.rows)?
        };
        let idfs: Vec<f64> = hits.iter().map(|h| idf(totals.rows, h.hits)).collect();
        let average = if totals.rows > 0.0 {
            totals.tokens / totals.rows
        } else {
            1.0
        };
        Ok(rows
            .iter()
            .map(|r| (r.id, bm25(&idfs, &r.frequencies, r.length, average)))
            .collect())
    }

    /// The at most `limit` newest matches of `query` (whose `phrases` are given), newest
    /// first, counted on their text (lengths too, not read from FTS5's `_docsize`: a second
    /// row lookup per match was a fifth of a search's time). A substring query's rows from
    /// the index hold all its trigrams; those that do not hold the substring are skipped,
    /// and rows are read until `limit` do.
    fn window_rows(&self, query: &Query, phrases: &Phrases, limit: usize) -> Result<Vec<Row>> {
        let (expr, table) = query.fts()?;
        let mut params = vec![Value::Text(expr)];
        let from = if query.has_filters() {
            params.extend(query.filter_params());
            FILTERS.replace("{fts}", table)
        } else {
            format!("FROM {table} f JOIN sentences s ON s.id = f.rowid WHERE {table} MATCH ?1")
        };
        let cap = if query.substring {
            String::new()
        } else {
            format!(" LIMIT {limit}")
        };
        let sql = format!("SELECT f.rowid, s.text {from} ORDER BY f.rowid DESC{cap}");
        let mut stmt = self.sql(self.conn.prepare_cached(&sql))?;
        let mut rows = self.sql(stmt.query(rusqlite::params_from_iter(params)))?;
        let mut window = Vec::new();
        while window.len() < limit {
            let Some(row) = self.sql(rows.next())? else {
                break;
            };
            let text: String = self.sql(row.get(1))?;
            let (frequencies, length) = phrases.frequencies(&text);
            if phrases.found(&frequencies) {
                let id = self.sql(row.get(0))?;
                window.push(Row {
                    id,
                    frequencies,
                    length,
                });
            }
        }
        Ok(window)
    }

    /// A row's length in tokens as FTS5 keeps it (`_docsize`), for the tests that check the
    /// lengths counted by [`Phrases::frequencies`].
    #[cfg(test)]
    pub(crate) fn stored_length(&self, table: &str, id: i64) -> Result<f64> {
        let sql = format!("SELECT sz FROM {table}_docsize WHERE id = ?1");
        let size: Vec<u8> = self.sql(self.conn.query_row(&sql, [id], |r| r.get(0)))?;
        Ok(read_varint(&size).map_or(0.0, |(n, _)| n as f64))
    }

    /// The matches of each phrase (`expressions`) in the whole index, counted up to
    /// [`SAMPLE`] and estimated above it.
    fn phrase_hits(
        &self,
        table: &str,
        expressions: &[String],
        ids: (i64, i64),
        rows: f64,
    ) -> Result<Vec<PhraseHits>> {
        let sql = format!(
            "SELECT rowid FROM {table} WHERE {table} MATCH ?1 ORDER BY rowid DESC LIMIT {}",
            SAMPLE + 1
        );
        let mut stmt = self.sql(self.conn.prepare_cached(&sql))?;
        expressions
            .iter()
            .map(|phrase| {
                let newest: Vec<i64> = self.sql(
                    stmt.query_map([phrase], |r| r.get(0))
                        .and_then(|rows| rows.collect()),
                )?;
                Ok(estimate_hits(&newest, newest.len() <= SAMPLE, ids, rows))
            })
            .collect()
    }

    /// FTS5's totals for `table`: its rows and tokens (the averages record).
    fn totals(&self, table: &str) -> Result<Totals> {
        let sql = format!("SELECT block FROM {table}_data WHERE id = {AVERAGES_ROWID}");
        let mut stmt = self.sql(self.conn.prepare_cached(&sql))?;
        let mut rows = self.sql(stmt.query([]))?;
        let block: Vec<u8> = match self.sql(rows.next())? {
            Some(row) => self.sql(row.get(0))?,
            None => Vec::new(),
        };
        let (count, used) = read_varint(&block).unwrap_or((0, 0));
        let tokens = read_varint(&block[used..]).map_or(0, |(n, _)| n);
        Ok(Totals {
            rows: count as f64,
            tokens: tokens as f64,
        })
    }

    /// The smallest and largest sentence row id (the range the estimates spread over). One
    /// statement each: SQLite reads a lone `min()` or `max()` of the key from the end of the
    /// table, but scans the table for both at once.
    fn sentence_ids(&self) -> Result<(i64, i64)> {
        let end = |sql: &str| -> Result<i64> {
            let mut stmt = self.sql(self.conn.prepare_cached(sql))?;
            let id: Option<i64> = self.sql(stmt.query_row([], |r| r.get(0)))?;
            Ok(id.unwrap_or(0))
        };
        Ok((
            end("SELECT min(id) FROM sentences")?,
            end("SELECT max(id) FROM sentences")?,
        ))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    use diptych_core::{Bead, Bitext, Block, BlockKind, Document, Lang, Sentence};

    use crate::write::NewDocument;
    use crate::AddOptions;

    /// One side of a bitext: one block and one sentence per text.
    pub(crate) fn side(lang: Lang, texts: &[&str]) -> Document {
        let mut doc = Document {
            lang: Some(lang),
            ..Default::default()
        };
        for (i, text) in texts.iter().enumerate() {
            doc.blocks.push(Block {
                id: format!("{lang}-b{i}"),
                lang,
                kind: BlockKind::Paragraph,
                level: 0,
                text: (*text).to_owned(),
                source_lines: [i + 1, i + 1],
                joined_from: vec![],
                lang_confidence: 1.0,
                regions: vec![],
                note: None,
            });
            doc.sentences.push(Sentence {
                id: format!("{lang}-s{i}"),
                lang,
                block: format!("{lang}-b{i}"),
                block_index: i,
                span: [0, text.len()],
                text: (*text).to_owned(),
            });
        }
        doc
    }

    /// An archive of one document whose sentences repeat the words searched for in varied
    /// numbers and row lengths, `copies` times over.
    fn archive(dir: &std::path::Path, copies: usize) -> SqliteArchive {
        let nl = [
            "De NAVO en de EU.",
            "De ministers van de NAVO spraken over de NAVO-top en de navolging van de top.",
            "Een lange zin over het Benelux-parlement, de ministers, de regeringen en nog veel meer woorden zonder het gezochte woord.",
            "NAVO NAVO NAVO.",
            "De ministers kwamen bijeen in Brussel.",
            "Over de navo werd kort gesproken door de ministers van Buitenlandse Zaken.",
        ];
        let fr = [
            "L'OTAN et l'UE.",
            "Les ministres de l'OTAN ont parle du sommet de l'OTAN et de sa suite.",
            "Une longue phrase sur le Parlement Benelux, les ministres, les gouvernements et bien d'autres mots encore.",
            "OTAN OTAN OTAN.",
            "Les ministres se sont reunis a Bruxelles.",
            "L'OTAN a ete evoquee brievement par les ministres des Affaires etrangeres.",
        ];
        let nl: Vec<&str> = nl.iter().copied().cycle().take(nl.len() * copies).collect();
        let fr: Vec<&str> = fr.iter().copied().cycle().take(fr.len() * copies).collect();
        archive_of(&dir.join("rank.sqlite"), &nl, &fr)
    }

    /// An archive at `path` of one document of `nl` / `fr` sentences, bead by bead.
    pub(crate) fn archive_of(path: &std::path::Path, nl: &[&str], fr: &[&str]) -> SqliteArchive {
        let mut archive = SqliteArchive::open(path).unwrap();
        add_bead_by_bead(&mut archive, "ranking", nl, fr);
        archive
    }

    /// Adds to `store` the document `name` of `nl` / `fr` sentences, paired bead by bead
    /// (as many beads as Dutch sentences).
    pub(crate) fn add_bead_by_bead(
        store: &mut impl crate::store::Store,
        name: &str,
        nl: &[&str],
        fr: &[&str],
    ) {
        let bitext = Bitext {
            name: name.into(),
            src: side(Lang::NL, nl),
            tgt: side(Lang::FR, fr),
            block_beads: vec![],
            beads: (0..nl.len())
                .map(|i| Bead::new(i..i + 1, i..i + 1, 1.0))
                .collect(),
        };
        let options = AddOptions::default();
        store
            .add_batch(&[NewDocument {
                bitext: &bitext,
                findings: &[],
                activities: &[],
                options: &options,
            }])
            .unwrap();
    }

    #[test]
    fn ranked_here_with_exact_counts_equals_fts5_bm25() {
        let dir = tempfile::tempdir().unwrap();
        let archive = archive(dir.path(), 1);
        let mut queries: Vec<Query> = ["navo", "\"de navo\"", "navo*", "ministers navo", "otan"]
            .into_iter()
            .map(Query::new)
            .collect();
        let mut substring = Query::new("inistr");
        substring.substring = true;
        queries.push(substring);
        let mut filtered = Query::new("ministers");
        filtered.lang = Some(Lang::NL);
        queries.push(filtered);
        for query in &queries {
            let fts5 = archive.window_by_fts5(query, 100).unwrap();
            let here = archive.ranked_window(query, 100).unwrap();
            assert!(fts5.len() >= 2, "{query:?}: {fts5:?}");
            assert_eq!(fts5.len(), here.len(), "{query:?}");
            for ((id_a, rank_a), (id_b, rank_b)) in fts5.iter().zip(&here) {
                assert_eq!(id_a, id_b, "{query:?}");
                assert!(
                    (rank_a - rank_b).abs() < 1e-9,
                    "{query:?}: row {id_a}: FTS5 {rank_a}, here {rank_b}"
                );
            }
        }
    }

    /// Ranks of one window sorted best first, as row ids.
    fn order(mut window: Vec<(i64, f64)>) -> Vec<i64> {
        window.sort_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        window.into_iter().map(|(id, _)| id).collect()
    }

    #[test]
    fn frequent_words_are_ranked_in_the_order_fts5_gives() {
        let dir = tempfile::tempdir().unwrap();
        // "navo" and "ministers" are each in 4 of the 6 Dutch sentences: 2,400 matches each.
        let archive = archive(dir.path(), 600);
        let ids = archive.sentence_ids().unwrap();
        let rows = archive.totals("sentences_fts").unwrap().rows;
        let expressions = ["\"navo\"".to_owned(), "\"ministers\"".to_owned()];
        let hits = archive
            .phrase_hits("sentences_fts", &expressions, ids, rows)
            .unwrap();
        for (h, expected) in hits.iter().zip([2400.0, 2400.0]) {
            assert!(
                !h.exact && (h.hits - expected).abs() < 0.05 * expected,
                "{hits:?}"
            );
        }
        let ids_of = |w: &[(i64, f64)]| w.iter().map(|r| r.0).collect::<Vec<_>>();
        for text in ["navo", "ministers navo"] {
            let query = Query::new(text);
            let here = archive.ranked_window(&query, 1001).unwrap();
            let fts5 = archive.window_by_fts5(&query, 1001).unwrap();
            assert_eq!(here.len(), 1001);
            assert_eq!(ids_of(&here), ids_of(&fts5), "the same newest matches");
            assert_eq!(order(here), order(fts5), "{text}: ranked alike");
        }
    }

    #[test]
    fn varints_as_sqlite_writes_them() {
        assert_eq!(read_varint(&[0x05]), Some((5, 1)));
        assert_eq!(read_varint(&[0x81, 0x00]), Some((128, 2)));
        assert_eq!(read_varint(&[0x82, 0x80, 0x01, 0xff]), Some((32769, 3)));
        assert_eq!(read_varint(&[0xff; 9]), Some((u64::MAX, 9)));
        assert_eq!(read_varint(&[0x81]), None);
    }

    #[test]
    fn bm25_prefers_frequent_rare_phrases_in_short_rows() {
        let idfs = [idf(1000.0, 10.0), idf(1000.0, 500.0)];
        let rare_twice = bm25(&idfs, &[2.0, 0.0], 10.0, 10.0);
        let rare_once = bm25(&idfs, &[1.0, 0.0], 10.0, 10.0);
        let rare_once_long = bm25(&idfs, &[1.0, 0.0], 40.0, 10.0);
        let common_once = bm25(&idfs, &[0.0, 1.0], 10.0, 10.0);
        assert!(rare_twice < rare_once && rare_once < rare_once_long);
        assert!(rare_once < common_once, "lower rank is better");
        assert_eq!(idf(10.0, 9.0), 1e-6, "never zero or negative");
        assert_eq!(idf(10.0, 12.0), 1e-6, "nor undefined");
    }

    #[test]
    fn frequent_phrases_are_estimated_from_the_density_of_their_newest_matches() {
        let few: Vec<i64> = (0..10).rev().collect();
        assert_eq!(
            estimate_hits(&few, true, (0, 99), 100.0),
            PhraseHits {
                hits: 10.0,
                exact: true
            }
        );
        // Every other row among the newest: about half of all rows.
        let many: Vec<i64> = (0..=SAMPLE as i64).map(|i| 100_000 - 2 * i).collect();
        let estimate = estimate_hits(&many, false, (1, 100_000), 100_000.0);
        assert!(!estimate.exact);
        assert!((estimate.hits - 50_000.0).abs() < 100.0, "{estimate:?}");
    }
}
