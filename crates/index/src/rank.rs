//! Ranking a search window (SQLite) without paying for every match of a frequent phrase.
//!
//! FTS5's `bm25()` weighs each phrase of a query by its inverse document frequency, which it
//! finds by reading every match of the phrase in the whole index, on every search: a frequent
//! word in an archive of a million beads costs tens of milliseconds however small the window.
//! So when a phrase has more than [`EXACT_COUNT`] matches, the window is ranked here with the
//! same formula (BM25, k1 = 1.2, b = 0.75), the same row lengths (FTS5's `_docsize` table) and
//! table totals (its averages record); the phrase frequencies are counted on the sentence text
//! by [`crate::words`], and the frequent phrase's number of matches is estimated from how
//! densely its newest [`EXACT_COUNT`] matches lie among the row ids. With fewer matches FTS5
//! ranks as before, exactly.

use rusqlite::types::Value;

use crate::archive::SqliteArchive;
use crate::query::{parse, substring_fts};
use crate::search::{Query, FILTERS};
use crate::words::Phrases;
use crate::Result;

/// A phrase with at most this many matches is weighed by its exact count (FTS5's `bm25()`
/// counts them quickly); above it, by an estimate.
pub(crate) const EXACT_COUNT: usize = 2000;

/// BM25's term-frequency saturation (FTS5's value).
const K1: f64 = 1.2;
/// BM25's length normalisation (FTS5's value).
const B: f64 = 0.75;
/// The row id of FTS5's averages record (rows and tokens in the table) in its `_data` table.
const AVERAGES_ROWID: i64 = 1;

/// How many rows of the index match one phrase of a query, and whether that is exact.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct PhraseHits {
    /// The count, or the estimate when `exact` is false.
    pub(crate) hits: f64,
    /// False when the phrase has more than [`EXACT_COUNT`] matches.
    pub(crate) exact: bool,
}

/// The rows and tokens of a full-text index (FTS5's own totals).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Totals {
    rows: f64,
    tokens: f64,
}

/// The FTS5 expression of each phrase of `query` on its own (one per term, or the substring).
fn phrase_expressions(query: &Query) -> Result<Vec<String>> {
    if query.substring {
        return Ok(vec![substring_fts(&query.text)?]);
    }
    Ok(parse(&query.text)?.iter().map(|t| t.to_fts()).collect())
}

/// The inverse document frequency of a phrase matching `hits` of `rows` rows, as FTS5's
/// `bm25()` computes it (never below a millionth).
fn idf(rows: f64, hits: f64) -> f64 {
    let idf = ((rows - hits + 0.5) / (hits + 0.5)).ln();
    if idf <= 0.0 {
        1e-6
    } else {
        idf
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

/// The number of matches of a phrase whose newest matches (row ids, newest first, at most
/// [`EXACT_COUNT`] + 1) are `newest`, in a table whose row ids run over `ids` and which holds
/// `rows` rows.
fn estimate_hits(newest: &[i64], ids: (i64, i64), rows: f64) -> PhraseHits {
    let found = newest.len();
    match newest.last() {
        Some(&oldest) if found > EXACT_COUNT => {
            let (first, last) = ids;
            let span = (last - oldest + 1).max(1) as f64;
            let density = found as f64 / span;
            let estimate = density * (last - first + 1).max(1) as f64;
            PhraseHits {
                hits: estimate.clamp(found as f64, rows.max(found as f64)),
                exact: false,
            }
        }
        _ => PhraseHits {
            hits: found as f64,
            exact: true,
        },
    }
}

impl SqliteArchive {
    /// The matches of each phrase of `query` in the whole index, counted up to
    /// [`EXACT_COUNT`] and estimated above it.
    pub(crate) fn phrase_hits(&self, query: &Query) -> Result<Vec<PhraseHits>> {
        let (_, table) = query.fts()?;
        let totals = self.totals(table)?;
        let ids = self.sentence_ids()?;
        let sql = format!(
            "SELECT rowid FROM {table} WHERE {table} MATCH ?1 ORDER BY rowid DESC LIMIT {}",
            EXACT_COUNT + 1
        );
        let mut stmt = self.sql(self.conn.prepare_cached(&sql))?;
        phrase_expressions(query)?
            .iter()
            .map(|phrase| {
                let newest: Vec<i64> = self.sql(
                    stmt.query_map([phrase], |r| r.get(0))
                        .and_then(|rows| rows.collect()),
                )?;
                Ok(estimate_hits(&newest, ids, totals.rows))
            })
            .collect()
    }

    /// The window of [`SqliteArchive::window`] (row id and rank, newest matches first),
    /// ranked here by BM25 with the phrase counts `hits` instead of by FTS5's `bm25()`.
    pub(crate) fn window_ranked_here(
        &self,
        query: &Query,
        limit: usize,
        hits: &[PhraseHits],
    ) -> Result<Vec<(i64, f64)>> {
        let (expr, table) = query.fts()?;
        let totals = self.totals(table)?;
        let average = if totals.rows > 0.0 {
            totals.tokens / totals.rows
        } else {
            1.0
        };
        let idfs: Vec<f64> = hits.iter().map(|h| idf(totals.rows, h.hits)).collect();
        let phrases = Phrases::of(query)?;
        let mut params = vec![Value::Text(expr)];
        let from = if query.has_filters() {
            params.extend(query.filter_params());
            FILTERS.replace("{fts}", table)
        } else {
            format!("FROM {table} f JOIN sentences s ON s.id = f.rowid WHERE {table} MATCH ?1")
        };
        let sql = format!(
            "SELECT f.rowid, s.text, (SELECT z.sz FROM {table}_docsize z WHERE z.id = f.rowid)
             {from} ORDER BY f.rowid DESC LIMIT {limit}"
        );
        let mut stmt = self.sql(self.conn.prepare_cached(&sql))?;
        let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| {
            let id: i64 = r.get(0)?;
            let text: String = r.get(1)?;
            let size: Option<Vec<u8>> = r.get(2)?;
            let length = size
                .as_deref()
                .and_then(read_varint)
                .map_or(0.0, |(n, _)| n as f64);
            let rank = bm25(&idfs, &phrases.frequencies(&text), length, average);
            Ok((id, rank))
        });
        self.sql(rows.and_then(|rows| rows.collect()))
    }

    /// FTS5's totals for `table`: its rows and tokens (the averages record).
    fn totals(&self, table: &str) -> Result<Totals> {
        let sql = format!("SELECT block FROM {table}_data WHERE id = {AVERAGES_ROWID}");
        let block: Option<Vec<u8>> = self.sql(
            self.conn
                .prepare_cached(&sql)
                .and_then(|mut s| s.query_row([], |r| r.get(0)))
                .or_else(|e| match e {
                    rusqlite::Error::QueryReturnedNoRows => Ok(None),
                    e => Err(e),
                }),
        )?;
        let block = block.unwrap_or_default();
        let (rows, used) = read_varint(&block).unwrap_or((0, 0));
        let tokens = read_varint(&block[used..]).map_or(0, |(n, _)| n);
        Ok(Totals {
            rows: rows as f64,
            tokens: tokens as f64,
        })
    }

    /// The smallest and largest sentence row id (the range the estimates spread over).
    fn sentence_ids(&self) -> Result<(i64, i64)> {
        let mut stmt = self.sql(
            self.conn
                .prepare_cached("SELECT coalesce(min(id), 0), coalesce(max(id), 0) FROM sentences"),
        )?;
        self.sql(stmt.query_row([], |r| Ok((r.get(0)?, r.get(1)?))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use diptych_core::{Bead, Bitext, Block, BlockKind, Document, Lang, Sentence};

    use crate::write::NewDocument;
    use crate::AddOptions;

    /// One side of a bitext: one block and one sentence per text.
    fn side(lang: Lang, texts: &[&str]) -> Document {
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
        let bitext = Bitext {
            name: "ranking".into(),
            src: side(Lang::NL, &nl),
            tgt: side(Lang::FR, &fr),
            block_beads: vec![],
            beads: (0..nl.len()).map(|i| Bead::new(i..i + 1, i..i + 1, 1.0)).collect(),
        };
        let mut archive = SqliteArchive::open(dir.join("rank.sqlite")).unwrap();
        let options = AddOptions::default();
        archive
            .add_batch(&[NewDocument {
                bitext: &bitext,
                findings: &[],
                activities: &[],
                options: &options,
            }])
            .unwrap();
        archive
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
            let hits = archive.phrase_hits(query).unwrap();
            assert!(hits.iter().all(|h| h.exact), "{query:?}");
            let fts5 = archive.window_by_fts5(query, 100).unwrap();
            let here = archive.window_ranked_here(query, 100, &hits).unwrap();
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
    fn a_frequent_word_is_ranked_here_in_the_order_fts5_gives() {
        let dir = tempfile::tempdir().unwrap();
        // "navo" is in 4 of the 6 Dutch sentences: 2,400 matches.
        let archive = archive(dir.path(), 600);
        let query = Query::new("navo");
        let hits = archive.phrase_hits(&query).unwrap();
        assert!(!hits[0].exact, "{hits:?}");
        assert!((hits[0].hits - 2400.0).abs() < 50.0, "{hits:?}");
        let window = archive.window(&query, 1001).unwrap();
        assert_eq!(window.len(), 1001);
        assert_eq!(
            window,
            archive.window_ranked_here(&query, 1001, &hits).unwrap(),
            "the window of a frequent word is ranked here"
        );
        let fts5 = archive.window_by_fts5(&query, 1001).unwrap();
        let ids = |w: &[(i64, f64)]| w.iter().map(|r| r.0).collect::<Vec<_>>();
        assert_eq!(ids(&window), ids(&fts5), "the same newest matches");
        assert_eq!(order(window), order(fts5), "ranked alike");
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
    }

    #[test]
    fn frequent_phrases_are_estimated_from_the_density_of_their_newest_matches() {
        let few: Vec<i64> = (0..10).rev().collect();
        assert_eq!(
            estimate_hits(&few, (0, 99), 100.0),
            PhraseHits {
                hits: 10.0,
                exact: true
            }
        );
        // Every other row among the newest: about half of all rows.
        let many: Vec<i64> = (0..=EXACT_COUNT as i64)
            .map(|i| 100_000 - 2 * i)
            .collect();
        let estimate = estimate_hits(&many, (1, 100_000), 100_000.0);
        assert!(!estimate.exact);
        assert!((estimate.hits - 50_000.0).abs() < 100.0, "{estimate:?}");
    }
}
