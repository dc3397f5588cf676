//! Concordance search: the matching sentence, highlighted, with its aligned counterpart.

use diptych_core::model::Level;
use diptych_core::Lang;
use rusqlite::types::Value;
use serde::{Deserialize, Serialize};

use std::collections::HashMap;

use crate::archive::level_name;
use crate::archive::SqliteArchive;
use crate::cache::Searches;
use crate::query::{parse, substring_fts, to_fts};
use crate::store::Store;
use crate::{Error, Result};

/// The most hits one page may hold.
pub const MAX_LIMIT: usize = 1000;

/// At most this many matches are counted and ranked: the most recently added ones. Ranking
/// costs time per match (BM25 reads each matching row's length), so without a window a
/// frequent word in a large archive would take seconds; with it a search stays in
/// milliseconds, and [`Page::exact`] tells when the count stopped at the window.
pub const WINDOW: usize = 1000;

/// Marks the start and end of a match in SQLite's `highlight()` output: private-use
/// characters, which never occur in our text, so no escaping is needed.
#[cfg(test)]
const OPEN: char = '\u{E000}';
#[cfg(test)]
const CLOSE: char = '\u{E001}';

/// A search: the query text (see [`crate::query`] for its syntax), filters and paging.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Query {
    /// What to look for.
    pub text: String,
    /// Search the text as a substring (trigram index) instead of words.
    #[serde(default)]
    pub substring: bool,
    /// Only sentences in this language.
    #[serde(default)]
    pub lang: Option<Lang>,
    /// Only this document (by name).
    #[serde(default)]
    pub document: Option<String>,
    /// Only documents on this year.
    #[serde(default)]
    pub year: Option<i32>,
    /// Only beads whose section heading (either language) contains this text.
    #[serde(default)]
    pub section: Option<String>,
    /// Only sentences of activities at this level.
    #[serde(default)]
    pub level: Option<Level>,
    /// Hits per page (1 to [`MAX_LIMIT`]).
    #[serde(default = "default_limit")]
    pub limit: usize,
    /// The page wanted, from 1.
    #[serde(default = "first_page")]
    pub page: usize,
}

fn default_limit() -> usize {
    20
}

fn first_page() -> usize {
    1
}

impl Query {
    /// A word query with no filters, first page of 20.
    pub fn new(text: impl Into<String>) -> Query {
        Query {
            text: text.into(),
            substring: false,
            lang: None,
            document: None,
            year: None,
            section: None,
            level: None,
            limit: default_limit(),
            page: first_page(),
        }
    }

    /// The FTS5 expression and the index it runs against.
    pub(crate) fn fts(&self) -> Result<(String, &'static str)> {
        if self.substring {
            Ok((substring_fts(&self.text)?, "sentences_tri"))
        } else {
            Ok((to_fts(&parse(&self.text)?), "sentences_fts"))
        }
    }

    fn check_paging(&self) -> Result<()> {
        if self.limit == 0 || self.limit > MAX_LIMIT {
            return Err(Error::Invalid(format!(
                "limit must be between 1 and {MAX_LIMIT}, got {}",
                self.limit
            )));
        }
        if self.page == 0 {
            return Err(Error::Invalid("pages are numbered from 1".into()));
        }
        Ok(())
    }

    /// Whether any filter is set.
    pub(crate) fn has_filters(&self) -> bool {
        self.lang.is_some()
            || self.document.is_some()
            || self.year.is_some()
            || self.section.is_some()
            || self.level.is_some()
    }

    /// The filter parameters ?2..?6 of [`FILTERS`], in order.
    pub(crate) fn filter_params(&self) -> Vec<Value> {
        let text = |s: Option<&str>| s.map_or(Value::Null, |s| Value::Text(s.to_owned()));
        vec![
            text(self.lang.as_ref().map(Lang::as_str)),
            text(self.document.as_deref()),
            self.year.map_or(Value::Null, |y| Value::Integer(y.into())),
            text(self.section.as_deref()),
            text(self.level.map(level_name)),
        ]
    }
}

/// The joins and filters shared by search, counting and grouping; `{fts}` is the FTS table,
/// ?1 the match expression, ?2..?6 the filters (NULL = no filter).
pub(crate) const FILTERS: &str = "
    FROM {fts} f
    JOIN sentences s ON s.id = f.rowid
    JOIN documents d ON d.id = s.doc
    JOIN beads b ON b.id = s.bead
    JOIN blocks k ON k.id = s.block
    WHERE {fts} MATCH ?1
      AND (?2 IS NULL OR s.lang = ?2)
      AND (?3 IS NULL OR d.name = ?3)
      AND (?4 IS NULL OR d.year = ?4)
      AND (?5 IS NULL OR instr(lower(k.section), lower(?5)) > 0
           OR EXISTS (SELECT 1 FROM blocks o WHERE o.doc = s.doc AND o.side = 1 - s.side
                      AND o.block_id = CASE s.side WHEN 0 THEN b.tgt_block ELSE b.src_block END
                      AND instr(lower(o.section), lower(?5)) > 0))
      AND (?6 IS NULL OR EXISTS (SELECT 1 FROM activity_blocks ab
                                 JOIN activities a ON a.id = ab.activity
                                 WHERE ab.doc = s.doc AND ab.block_id = s.block_id
                                   AND a.level = ?6))";

/// One concordance line.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// The document's name.
    pub document: String,
    /// The year the document reports on.
    pub year: Option<i32>,
    /// Index of the sentence bead in the document.
    pub bead: usize,
    /// Language of the matching sentence.
    pub lang: Lang,
    /// Id of the matching sentence, e.g. `nl-s40`.
    pub sentence: String,
    /// Id of its block, e.g. `nl-b12`.
    pub block: String,
    /// The heading of its section (empty before the first heading).
    pub section: String,
    /// The matching sentence.
    pub text: String,
    /// Byte ranges `[start, end)` of the matches in `text`.
    pub highlights: Vec<[usize; 2]>,
    /// Language of the counterpart.
    pub counterpart_lang: Lang,
    /// The whole other side of the bead (empty when the sentence has no counterpart).
    pub counterpart: String,
    /// Relevance (BM25, higher is better), rounded to 3 decimals.
    pub score: f64,
}

/// One page of results.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    /// How many results there are in all, or [`WINDOW`] when `exact` is false.
    pub total: usize,
    /// False when more than [`WINDOW`] sentences match: `total` is then a lower bound, and
    /// the hits are the best of the [`WINDOW`] most recently added matches.
    pub exact: bool,
    /// This page's number, from 1.
    pub page: usize,
    /// Results per page.
    pub per_page: usize,
    /// The results on this page, best first.
    pub items: Vec<T>,
}

/// Searches `store`: hits ranked (best first) among the [`WINDOW`] most recently added
/// matches; only the hits of the page are read in full.
pub(crate) fn search(store: &dyn Store, searches: &Searches, query: &Query) -> Result<Page<Hit>> {
    query.check_paging()?;
    // One pass over the index gives both the count and the ranked window.
    let mut window = searches.window(store, query, WINDOW + 1)?;
    let exact = window.len() <= WINDOW;
    window.truncate(WINDOW);
    let total = window.len();
    window.sort_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
    let page: Vec<(i64, f64)> = window
        .into_iter()
        .skip((query.page - 1) * query.limit)
        .take(query.limit)
        .collect();
    let items = store.hits(query, &page)?;
    Ok(Page {
        total,
        exact,
        page: query.page,
        per_page: query.limit,
        items,
    })
}

impl SqliteArchive {
    /// (sentence row id, bm25) of the most recently added matches, at most `limit`, ranked
    /// as FTS5's `bm25()` ranks them (see [`crate::rank`] for why not by it).
    pub(crate) fn window(&self, query: &Query, limit: usize) -> Result<Vec<(i64, f64)>> {
        self.ranked_window(query, limit)
    }

    /// The window ranked by FTS5's `bm25()`, which reads every match of every phrase (what
    /// [`SqliteArchive::window`] is tested against). A substring query runs as a phrase of
    /// trigrams against [`SqliteArchive::trigram_reference`], whose positions tell FTS5
    /// where each trigram is.
    #[cfg(test)]
    pub(crate) fn window_by_fts5(&self, query: &Query, limit: usize) -> Result<Vec<(i64, f64)>> {
        let (expr, table) = if query.substring {
            self.trigram_reference()?;
            (crate::query::quote(query.text.trim()), "reference_tri")
        } else {
            query.fts()?
        };
        let mut params = vec![Value::Text(expr)];
        let sql = if query.has_filters() {
            params.extend(query.filter_params());
            format!(
                "SELECT f.rowid, f.rank {} ORDER BY f.rowid DESC LIMIT {limit}",
                FILTERS.replace("{fts}", table)
            )
        } else {
            format!(
                "SELECT rowid, rank FROM {table} WHERE {table} MATCH ?1
                 ORDER BY rowid DESC LIMIT {limit}"
            )
        };
        let mut stmt = self.sql(self.conn.prepare_cached(&sql))?;
        let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| {
            Ok((r.get(0)?, r.get(1)?))
        });
        self.sql(rows.and_then(|rows| rows.collect()))
    }

    /// The hits of one page, `(id, rank)` each, in that order, read in one statement by row
    /// id (no full-text query per hit): the matches are marked by [`crate::words::spans`],
    /// which cuts words as the index's tokenizer does (as on PostgreSQL; the same ranges as
    /// FTS5's `highlight()`, tested against it).
    pub(crate) fn hits(&self, query: &Query, page: &[(i64, f64)]) -> Result<Vec<Hit>> {
        let ids: Vec<i64> = page.iter().map(|&(id, _)| id).collect();
        let ids = serde_json::to_string(&ids).map_err(|e| Error::Invalid(e.to_string()))?;
        let mut stmt = self.sql(self.conn.prepare_cached(
            "SELECT s.id, d.name, d.year, b.ord, s.lang, s.sentence_id, s.block_id, k.section,
                    s.text,
                    CASE s.side WHEN 0 THEN b.tgt_text ELSE b.src_text END,
                    CASE s.side WHEN 0 THEN d.tgt_lang ELSE d.src_lang END
             FROM sentences s
             JOIN documents d ON d.id = s.doc
             JOIN beads b ON b.id = s.bead
             JOIN blocks k ON k.id = s.block
             WHERE s.id IN (SELECT value FROM json_each(?1))",
        ))?;
        let rows = stmt.query_map([ids], |r| {
            let lang: String = r.get(4)?;
            let other: String = r.get(10)?;
            let hit = Hit {
                document: r.get(1)?,
                year: r.get(2)?,
                bead: r.get::<_, i64>(3)? as usize,
                lang: Lang::parse(&lang).unwrap_or(Lang::NL),
                sentence: r.get(5)?,
                block: r.get(6)?,
                section: r.get(7)?,
                text: r.get(8)?,
                highlights: Vec::new(),
                counterpart_lang: Lang::parse(&other).unwrap_or(Lang::FR),
                counterpart: r.get(9)?,
                score: 0.0,
            };
            Ok((r.get::<_, i64>(0)?, hit))
        });
        let mut found: HashMap<i64, Hit> = self.sql(rows.and_then(|rows| rows.collect()))?;
        page.iter()
            .map(|&(id, rank)| {
                let mut hit = found.remove(&id).ok_or_else(|| {
                    Error::Invalid(format!(
                        "{}: sentence {id} was removed while it was being read; search again",
                        self.path.display()
                    ))
                })?;
                hit.highlights = crate::words::spans(&hit.text, query)?;
                hit.score = score_of(rank);
                Ok(hit)
            })
            .collect()
    }

    /// A trigram index of the archive's sentences that keeps positions (`detail=full`, as
    /// the side file did before version 2), in the connection's temporary schema: FTS5's own
    /// phrase matching and BM25 for substrings, for the tests.
    #[cfg(test)]
    pub(crate) fn trigram_reference(&self) -> Result<()> {
        self.sql(self.conn.execute_batch(
            "DROP TABLE IF EXISTS temp.reference_tri;
             CREATE VIRTUAL TABLE temp.reference_tri USING fts5(
                 text, tokenize='trigram remove_diacritics 1', content='');
             INSERT INTO reference_tri(rowid, text) SELECT id, text FROM sentences;",
        ))
    }

    /// One hit, its matches marked by FTS5's `highlight()` (what [`SqliteArchive::hits`]
    /// is tested against).
    #[cfg(test)]
    pub(crate) fn hit_by_fts5(&self, query: &Query, id: i64, rank: f64) -> Result<Hit> {
        let (expr, table) = query.fts()?;
        let marks = if query.substring {
            "NULL".to_owned()
        } else {
            format!("highlight({table}, 0, char(57344), char(57345))")
        };
        let sql = format!(
            "SELECT d.name, d.year, b.ord, s.lang, s.sentence_id, s.block_id, k.section,
                    {marks}, s.text,
                    CASE s.side WHEN 0 THEN b.tgt_text ELSE b.src_text END,
                    CASE s.side WHEN 0 THEN d.tgt_lang ELSE d.src_lang END
             FROM {table} f
             JOIN sentences s ON s.id = f.rowid
             JOIN documents d ON d.id = s.doc
             JOIN beads b ON b.id = s.bead
             JOIN blocks k ON k.id = s.block
             WHERE {table} MATCH ?1 AND f.rowid = ?2"
        );
        let mut stmt = self.sql(self.conn.prepare_cached(&sql))?;
        let mut hit = self.sql(stmt.query_row(rusqlite::params![expr, id], |r| {
            let marked: Option<String> = r.get(7)?;
            let text: String = r.get(8)?;
            let lang: String = r.get(3)?;
            let other: String = r.get(10)?;
            Ok(Hit {
                document: r.get(0)?,
                year: r.get(1)?,
                bead: r.get::<_, i64>(2)? as usize,
                lang: Lang::parse(&lang).unwrap_or(Lang::NL),
                sentence: r.get(4)?,
                block: r.get(5)?,
                section: r.get(6)?,
                highlights: marked.map_or_else(Vec::new, |m| spans_of(&m, &text)),
                text,
                counterpart_lang: Lang::parse(&other).unwrap_or(Lang::FR),
                counterpart: r.get(9)?,
                score: score_of(rank),
            })
        }))?;
        if query.substring {
            hit.highlights = crate::words::spans(&hit.text, query)?;
        }
        Ok(hit)
    }
}

/// The score shown for a rank (lower rank is better): its negation, rounded to 3 decimals.
pub(crate) fn score_of(rank: f64) -> f64 {
    (-rank * 1000.0).round() / 1000.0 + 0.0
}

/// Byte ranges of the marked matches, as offsets into `text` (the unmarked sentence). When
/// the marked text does not reduce to `text` exactly, no ranges are given rather than wrong ones.
#[cfg(test)]
fn spans_of(marked: &str, text: &str) -> Vec<[usize; 2]> {
    let mut spans = Vec::new();
    let mut clean = String::with_capacity(marked.len());
    let mut start = None;
    for c in marked.chars() {
        match c {
            OPEN => start = Some(clean.len()),
            CLOSE => {
                if let Some(s) = start.take() {
                    spans.push([s, clean.len()]);
                }
            }
            _ => clean.push(c),
        }
    }
    if clean == text {
        spans
    } else {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An archive of one document of `nl` / `fr` sentences, bead by bead.
    fn archive_of(dir: &std::path::Path, nl: &[&str], fr: &[&str]) -> SqliteArchive {
        crate::rank::tests::archive_of(&dir.join("marks.sqlite"), nl, fr)
    }

    /// Sentences with what the tokenizers might count differently: accents precomposed and
    /// combining, ligatures, apostrophes, dashes, digits, symbols, other scripts.
    const AWKWARD_NL: [&str; 5] = [
        "De NAVO-top in Madrid; de navo, de Navo en de NAVO's.",
        "Oekraïne en OEKRAINE en oekraïense steun, 2022-2023, 5½ % en 3² m².",
        "Raad van Europa: de Raad en Europa, raad-europa en de raadszaal… ‘zo’ — of niet?",
        "ÉÉN ministeriële vergadering over Straße en straße, co-operatie, e\u{301}te\u{301}.",
        "Het Benelux-parlement, de Benelux Unie en benelux2022 data: Ελλάδα, Россия, 北京.",
    ];
    const AWKWARD_FR: [&str; 5] = [
        "Le sommet de l'OTAN à Madrid ; l'otan, l'Otan.",
        "L'Ukraine et l'Œuvre des cœurs, l'œuvre, 2022 ; ÆTHER, Øresund.",
        "Le Conseil de l'Europe : le Conseil et l'Europe « ici » ‹ là ›.",
        "Une réunion ministérielle sur l'Énergie et l'énergie @ 10h30 € 5.",
        "Le Parlement Benelux, l'Union Benelux et les données ; ﬁn, ǅ, İstanbul.",
    ];

    #[test]
    fn lengths_counted_on_the_text_equal_the_lengths_fts5_keeps() {
        let dir = tempfile::tempdir().unwrap();
        let archive = archive_of(dir.path(), &AWKWARD_NL, &AWKWARD_FR);
        let mut stmt = archive
            .conn
            .prepare("SELECT id, text FROM sentences")
            .unwrap();
        let rows: Vec<(i64, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(rows.len(), 10);
        let words = crate::words::Phrases::of(&Query::new("navo")).unwrap();
        let mut sub = Query::new("navo");
        sub.substring = true;
        let trigrams = crate::words::Phrases::of(&sub).unwrap();
        for (id, text) in rows {
            let stored = archive.stored_length("sentences_fts", id).unwrap();
            assert_eq!(words.frequencies(&text).1, stored, "words of {text}");
            let stored = archive.stored_length("sentences_tri", id).unwrap();
            assert_eq!(trigrams.frequencies(&text).1, stored, "trigrams of {text}");
        }
    }

    #[test]
    fn hits_read_together_equal_hits_marked_by_fts5_highlight() {
        let dir = tempfile::tempdir().unwrap();
        let archive = archive_of(dir.path(), &AWKWARD_NL, &AWKWARD_FR);
        let queries = [
            "navo",
            "navo*",
            "\"raad van europa\"",
            "raad europa",
            "oekraine",
            "oekra*",
            "straße",
            "strasse",
            "ministeriele",
            "energie",
            "oeuvre",
            "cœur*",
            "\"l otan\"",
            "benelux*",
            "2022",
            "co operatie",
        ];
        let mut compared = 0;
        for text in queries {
            let query = Query::new(text);
            let window = archive.window(&query, 100).unwrap();
            let together = archive.hits(&query, &window).unwrap();
            for ((id, rank), hit) in window.iter().zip(&together) {
                let alone = archive.hit_by_fts5(&query, *id, *rank).unwrap();
                assert_eq!(hit, &alone, "{text}");
                compared += 1;
            }
        }
        assert!(compared >= 15, "{compared} hits compared");
        let vanished = archive.hits(&Query::new("navo"), &[(999_999, -1.0)]);
        assert!(vanished.unwrap_err().to_string().contains("search again"));
    }

    #[test]
    fn spans_from_marked_text() {
        let marked = "de \u{E000}NAVO\u{E001}-top in \u{E000}Madrid\u{E001}";
        let text = "de NAVO-top in Madrid";
        assert_eq!(spans_of(marked, text), vec![[3, 7], [15, 21]]);
        assert_eq!(spans_of(marked, "something else"), Vec::<[usize; 2]>::new());
    }
}
