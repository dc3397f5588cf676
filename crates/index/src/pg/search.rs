//! Searching the PostgreSQL archive: words, phrases and prefixes through the `tsvector` GIN
//! index (`@@`), substrings through the `pg_trgm` index (`LIKE` over the folded text), with
//! the same filters, window and answers as the SQLite backend. Matches are marked by
//! `crate::words::spans` on the sentence read back.

use diptych_core::Lang;
use postgres::types::ToSql;

use super::PgArchive;
use crate::archive::level_name;
use crate::group::Matched;
use crate::query::{parse, substring_fts};
use crate::search::score_of;
use crate::words::{phrase_tsquery, spans, tsquery};
use crate::{Hit, Query, Result};
use diptych_core::text::fold;

/// The joins and filters shared by search, grouping and counting; `{match}` is the match
/// condition on `s` with its argument `$1`, `$2..$6` the filters (NULL = no filter).
const FILTERS: &str = "
    FROM sentences s
    JOIN documents d ON d.id = s.doc
    JOIN beads b ON b.id = s.bead
    JOIN blocks k ON k.id = s.block
    WHERE {match}
      AND ($2::text IS NULL OR s.lang = $2)
      AND ($3::text IS NULL OR d.name = $3)
      AND ($4::bigint IS NULL OR d.year = $4)
      AND ($5::text IS NULL OR strpos(lower(k.section), lower($5)) > 0
           OR EXISTS (SELECT 1 FROM blocks o WHERE o.doc = s.doc AND o.side = 1 - s.side
                      AND o.block_id = CASE s.side WHEN 0 THEN b.tgt_block ELSE b.src_block END
                      AND strpos(lower(o.section), lower($5)) > 0))
      AND ($6::text IS NULL OR EXISTS (SELECT 1 FROM activity_blocks ab
                                       JOIN activities a ON a.id = ab.activity
                                       WHERE ab.doc = s.doc AND ab.block_id = s.block_id
                                         AND a.level = $6))";

/// The word index's match condition, and its rank (lower is better) of a row `t` of the
/// window.
const WORDS_MATCH: &str = "s.words @@ to_tsquery('diptych_words', $1)";
const WORDS_RANK: &str = "-ts_rank(t.words, to_tsquery('diptych_words', $1))::float8";
/// The trigram index's match condition; every substring match ranks the same.
const SUBSTRING_MATCH: &str = "s.folded LIKE $1";
const SUBSTRING_RANK: &str = "-1.0::float8";

/// The row ids the first range of a window search covers (see [`PgArchive::window`]): a
/// word in one sentence in 20 fills a window of 1,000 from it.
const FIRST_SPAN: i64 = 20_000;

/// How many times larger each range is than the one before.
const SPAN_GROWTH: i64 = 16;

/// The ranges a window search tries (20,000 and 320,000 rows) before all older rows.
const RANGES: usize = 2;

/// The statement of one part of a window search: the matches with `low < id <= high` when
/// `ranged` (parameters `low`, `high`, `wanted` after `$1`, and after the filters `$2..$6`
/// when `filtered`), else with `id <= high` (parameters `high`, `wanted`), newest first, at
/// most `wanted`, with their rank.
///
/// A range is run with bitmap scans only (`rows_by_bitmaps`): the index's matches
/// intersected with the range of the primary key (`BitmapAnd`), so it reads only the
/// matching rows of the range. Left to itself the planner walked the primary key backwards
/// for a match it wrongly guessed frequent (EXPLAIN on a 200,000-bead archive: a substring
/// read 50,000 rows that way; over a large range, a search was stopped by the server's time
/// limit). The rest (`s.id + 0`) is found by the index alone, as before ranges.
fn window_sql(matcher: &Matcher, filtered: bool, ranged: bool) -> String {
    let (from, next) = if filtered {
        (matcher.filters(), 7)
    } else {
        (format!("FROM sentences s WHERE {}", matcher.condition), 2)
    };
    let (bounds, wanted) = if ranged {
        (
            format!("s.id > ${next} AND s.id <= ${}", next + 1),
            next + 2,
        )
    } else {
        (format!("s.id + 0 <= ${next}"), next + 1)
    };
    format!(
        "SELECT t.id, {rank} FROM (SELECT s.id, s.words {from} AND {bounds}
                                   ORDER BY s.id + 0 DESC LIMIT ${wanted}) t
         ORDER BY t.id DESC",
        rank = matcher.rank,
    )
}

/// What a query asks of the indexes: the argument `$1` and the match and rank expressions.
struct Matcher {
    argument: String,
    condition: &'static str,
    rank: &'static str,
}

impl Matcher {
    fn of(query: &Query) -> Result<Matcher> {
        if query.substring {
            // The same check (at least 3 characters) as the SQLite backend's.
            substring_fts(&query.text)?;
            Ok(Matcher {
                argument: format!("%{}%", like_escape(&fold(query.text.trim()))),
                condition: SUBSTRING_MATCH,
                rank: SUBSTRING_RANK,
            })
        } else {
            Ok(Matcher {
                argument: tsquery(&parse(&query.text)?),
                condition: WORDS_MATCH,
                rank: WORDS_RANK,
            })
        }
    }

    /// The shared joins and filters with this match condition.
    fn filters(&self) -> String {
        FILTERS.replace("{match}", self.condition)
    }
}

/// `text` with `LIKE`'s wildcards and its escape character taken literally.
fn like_escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// The filter parameters `$2..$6` of [`FILTERS`].
struct Filters {
    lang: Option<String>,
    document: Option<String>,
    year: Option<i64>,
    section: Option<String>,
    level: Option<String>,
}

impl Filters {
    fn of(query: &Query) -> Filters {
        Filters {
            lang: query.lang.map(|l| l.as_str().to_owned()),
            document: query.document.clone(),
            year: query.year.map(i64::from),
            section: query.section.clone(),
            level: query.level.map(|l| level_name(l).to_owned()),
        }
    }

    /// `$1` and the filters, in order.
    fn params<'a>(&'a self, argument: &'a String) -> [&'a (dyn ToSql + Sync); 6] {
        [
            argument,
            &self.lang,
            &self.document,
            &self.year,
            &self.section,
            &self.level,
        ]
    }
}

impl PgArchive {
    /// (sentence id, rank) of the most recently added matches, at most `limit`, newest
    /// first. The rank is computed for the window's rows only, not for every match.
    ///
    /// The matches are looked for among the newest [`FIRST_SPAN`] rows first, then among
    /// [`SPAN_GROWTH`] times as many older ones, then, when fewer than `limit` are there, among
    /// all older rows. The GIN indexes give every match
    /// of a query, in no order; reading each matching row to keep the newest was the whole
    /// cost of a frequent word or prefix (hundreds of thousands of rows read at 1M beads, for
    /// a window of 1,000), and such a query now reads only the matching rows of the first
    /// range. The answer is the same: the newest `limit` matches.
    pub(crate) fn window(&self, query: &Query, limit: usize) -> Result<Vec<(i64, f64)>> {
        self.window_in_ranges(query, limit, FIRST_SPAN)
    }

    /// [`PgArchive::window`] with the first range's size given.
    fn window_in_ranges(
        &self,
        query: &Query,
        limit: usize,
        first_span: i64,
    ) -> Result<Vec<(i64, f64)>> {
        let matcher = Matcher::of(query)?;
        let filters = query.has_filters().then(|| Filters::of(query));
        let mut window = Vec::new();
        let (mut high, mut span) = (self.newest_sentence()?, first_span);
        for _ in 0..RANGES {
            let low = high.saturating_sub(span).max(0);
            let wanted = limit - window.len();
            window.extend(self.window_part(&matcher, filters.as_ref(), Some(low), high, wanted)?);
            if window.len() >= limit || low == 0 {
                return Ok(window);
            }
            (high, span) = (low, span.saturating_mul(SPAN_GROWTH));
        }
        let wanted = limit - window.len();
        window.extend(self.window_part(&matcher, filters.as_ref(), None, high, wanted)?);
        Ok(window)
    }

    /// The newest matches with `low < id <= high` (no lower bound when `low` is `None`), at
    /// most `wanted`, newest first, with their rank (see [`window_sql`]).
    fn window_part(
        &self,
        matcher: &Matcher,
        filters: Option<&Filters>,
        low: Option<i64>,
        high: i64,
        wanted: usize,
    ) -> Result<Vec<(i64, f64)>> {
        let sql = window_sql(matcher, filters.is_some(), low.is_some());
        let wanted = wanted as i64;
        let mut params: Vec<&(dyn ToSql + Sync)> = match filters {
            Some(filters) => filters.params(&matcher.argument).to_vec(),
            None => vec![&matcher.argument],
        };
        if let Some(low) = &low {
            params.push(low);
        }
        params.extend([&high as &(dyn ToSql + Sync), &wanted]);
        let rows = match low {
            Some(_) => self.rows_by_bitmaps(&sql, &params)?,
            None => self.rows(&sql, &params)?,
        };
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    /// The largest sentence row id (0 when there is none).
    fn newest_sentence(&self) -> Result<i64> {
        let rows = self.rows("SELECT coalesce(max(id), 0) FROM sentences", &[])?;
        Ok(rows.first().map_or(0, |r| r.get(0)))
    }

    /// The hits of one page in one statement, in the order of `page`.
    pub(crate) fn hits(&self, query: &Query, page: &[(i64, f64)]) -> Result<Vec<Hit>> {
        let ids: Vec<i64> = page.iter().map(|&(id, _)| id).collect();
        let rows = self.rows(
            "SELECT d.name, d.year, b.ord, s.lang, s.sentence_id, s.block_id, k.section, s.text,
                    CASE s.side WHEN 0 THEN b.tgt_text ELSE b.src_text END,
                    CASE s.side WHEN 0 THEN d.tgt_lang ELSE d.src_lang END, s.id
             FROM sentences s
             JOIN documents d ON d.id = s.doc
             JOIN beads b ON b.id = s.bead
             JOIN blocks k ON k.id = s.block
             WHERE s.id = ANY($1)",
            &[&ids],
        )?;
        page.iter()
            .map(
                |&(id, rank)| match rows.iter().find(|r| r.get::<_, i64>(10) == id) {
                    Some(row) => hit_of(row, query, rank),
                    None => Err(self.vanished(id)),
                },
            )
            .collect()
    }
}

/// A hit from a row of [`PgArchive::hits`].
fn hit_of(r: &postgres::Row, query: &Query, rank: f64) -> Result<Hit> {
    let text: String = r.get(7);
    let lang: String = r.get(3);
    let other: String = r.get(9);
    Ok(Hit {
        document: r.get(0),
        year: r.get::<_, Option<i64>>(1).map(|y| y as i32),
        bead: r.get::<_, i64>(2) as usize,
        lang: Lang::parse(&lang).unwrap_or(Lang::NL),
        sentence: r.get(4),
        block: r.get(5),
        section: r.get(6),
        highlights: spans(&text, query)?,
        text,
        counterpart_lang: Lang::parse(&other).unwrap_or(Lang::FR),
        counterpart: r.get(8),
        score: score_of(rank),
    })
}

impl PgArchive {
    /// A sentence found by the window but removed by another writer before it was read.
    fn vanished(&self, id: i64) -> crate::Error {
        crate::Error::Postgres {
            path: self.location.clone(),
            message: format!("sentence {id} was removed while it was being read; search again"),
        }
    }

    /// (bead id, match) of the sentences matching `query`, at most `limit`.
    pub(crate) fn matching_beads(
        &self,
        query: &Query,
        limit: usize,
    ) -> Result<Vec<(i64, Matched)>> {
        let matcher = Matcher::of(query)?;
        let filters = Filters::of(query);
        let sql = format!(
            "SELECT b.id, s.lang,
                    CASE s.side WHEN 0 THEN d.tgt_lang ELSE d.src_lang END,
                    CASE s.side WHEN 0 THEN b.tgt_text ELSE b.src_text END,
                    s.text
             {} LIMIT {limit}",
            matcher.filters()
        );
        let rows = self.rows(&sql, &filters.params(&matcher.argument))?;
        rows.iter()
            .map(|r| {
                let text: String = r.get(4);
                let first = spans(&text, query)?.first().map_or(0, |s| s[0]);
                let (lang, other): (String, String) = (r.get(1), r.get(2));
                Ok((
                    r.get(0),
                    Matched {
                        lang: Lang::parse(&lang).unwrap_or(Lang::NL),
                        other: Lang::parse(&other).unwrap_or(Lang::FR),
                        counterpart: r.get(3),
                        place: first as f64 / text.len().max(1) as f64,
                    },
                ))
            })
            .collect()
    }

    /// Number of beads with a sentence holding the phrase `key`, under the filters of `scope`.
    pub(crate) fn beads_containing(&self, scope: &Query, key: &str) -> Result<usize> {
        let argument = phrase_tsquery(key);
        let filters = Filters::of(scope);
        let sql = format!(
            "SELECT count(DISTINCT s.bead) {}",
            FILTERS.replace("{match}", WORDS_MATCH)
        );
        let rows = self.rows(&sql, &filters.params(&argument))?;
        Ok(rows.first().map_or(0, |r| r.get::<_, i64>(0)) as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh schema on the test server (`$DIPTYCH_TEST_POSTGRES`, else the one
    /// `scripts/setup` starts) and its archive URL; `None`, after a note, when the server does
    /// not answer and `CI` is not set.
    fn fresh_schema(name: &str) -> Option<(postgres::Client, String)> {
        let url = std::env::var("DIPTYCH_TEST_POSTGRES")
            .ok()
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| "postgres://diptych:diptych@127.0.0.1:5432/diptych".into());
        let mut client = match postgres::Client::connect(&url, postgres::NoTls) {
            Ok(client) => client,
            Err(e) if std::env::var_os("CI").is_some() => {
                panic!("PostgreSQL at {url} does not answer under CI: {e}")
            }
            Err(e) => {
                eprintln!("note: skipping a PostgreSQL test: {url} does not answer ({e})");
                return None;
            }
        };
        let schema = format!("{name}_{}", std::process::id());
        client
            .batch_execute(&format!(
                "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
            ))
            .unwrap();
        let archive = format!("{url}?options=-csearch_path%3D{schema},public");
        Some((client, archive))
    }

    #[test]
    fn a_window_read_in_ranges_is_the_newest_matches() {
        let Some((mut admin, url)) = fresh_schema("diptych_test_ranges") else {
            return;
        };
        // 60 beads; "navo" in every third Dutch sentence, "raad" in the last few only.
        let nl: Vec<String> = (0..60)
            .map(|i| match (i % 3, i) {
                (_, 57..) => format!("de raad zin {i}"),
                (0, _) => format!("de navo zin {i}"),
                _ => format!("een andere zin {i}"),
            })
            .collect();
        let fr: Vec<String> = (0..60).map(|i| format!("une phrase {i}")).collect();
        let nl: Vec<&str> = nl.iter().map(String::as_str).collect();
        let fr: Vec<&str> = fr.iter().map(String::as_str).collect();
        let mut archive = PgArchive::open(std::path::Path::new(&url), true).unwrap();
        crate::rank::tests::add_bead_by_bead(&mut archive, "ranges", &nl, &fr);
        for text in ["navo", "raad", "zin", "nav*", "phrase", "absent"] {
            let mut query = Query::new(text);
            for limit in [1, 5, 19, 20, 21, 200] {
                let whole = archive.window_in_ranges(&query, limit, i64::MAX).unwrap();
                for first_span in [1, 2, 7] {
                    let ranged = archive.window_in_ranges(&query, limit, first_span).unwrap();
                    assert_eq!(ranged, whole, "{text} limit {limit} span {first_span}");
                }
                let ids: Vec<i64> = whole.iter().map(|w| w.0).collect();
                assert!(ids.windows(2).all(|w| w[0] > w[1]), "{text}: newest first");
            }
            query.lang = Some(Lang::NL);
            let filtered = archive.window_in_ranges(&query, 7, 3).unwrap();
            assert_eq!(
                filtered,
                archive.window_in_ranges(&query, 7, i64::MAX).unwrap()
            );
        }
        assert_eq!(archive.window(&Query::new("navo"), 100).unwrap().len(), 19);
        assert_eq!(archive.window(&Query::new("raad"), 100).unwrap().len(), 3);
        let mut substring = Query::new("ndere");
        substring.substring = true;
        assert_eq!(
            archive.window_in_ranges(&substring, 10, 4).unwrap(),
            archive.window_in_ranges(&substring, 10, i64::MAX).unwrap()
        );
        drop(archive);
        let schema = url.rsplit("%3D").next().unwrap().split(',').next().unwrap();
        admin
            .batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
            .unwrap();
    }
}
