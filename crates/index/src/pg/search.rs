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

/// How much larger each next range is than the one before (four ranges cover 10 million ids).
const SPAN_GROWTH: i64 = 8;

/// The statement of one range of a window search: the matches with `low < id <= high`,
/// newest first, at most `wanted`, with their rank. Its last three parameters are `low`,
/// `high` and `wanted`, after `$1` (and the filters `$2..$6` when `filtered`).
fn window_sql(matcher: &Matcher, filtered: bool) -> String {
    let (from, next) = if filtered {
        (matcher.filters(), 7)
    } else {
        (format!("FROM sentences s WHERE {}", matcher.condition), 2)
    };
    format!(
        "SELECT t.id, {rank} FROM (SELECT s.id, s.words {from}
                                     AND s.id > ${low} AND s.id <= ${high}
                                   ORDER BY s.id DESC LIMIT ${wanted}) t
         ORDER BY t.id DESC",
        rank = matcher.rank,
        low = next,
        high = next + 1,
        wanted = next + 2,
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
    /// The matches are looked for in ranges of row ids, newest first: the last
    /// [`FIRST_SPAN`] ids, then spans [`SPAN_GROWTH`] times larger, until `limit` are found
    /// or the oldest row is passed. The GIN indexes give every match of a query, in no order;
    /// reading each matching row to keep the newest was the whole cost of a frequent word or
    /// prefix (hundreds of thousands of rows read at 1M beads, for a window of 1,000). With a
    /// range, PostgreSQL reads only the matching rows in it (the index's matches intersected
    /// with the primary key's range). The answer is the same: the newest `limit` matches.
    pub(crate) fn window(&self, query: &Query, limit: usize) -> Result<Vec<(i64, f64)>> {
        let matcher = Matcher::of(query)?;
        let filters = query.has_filters().then(|| Filters::of(query));
        let sql = window_sql(&matcher, filters.is_some());
        let newest = self.newest_sentence()?;
        let mut window: Vec<(i64, f64)> = Vec::new();
        let (mut high, mut span) = (newest, FIRST_SPAN);
        while window.len() < limit && high > 0 {
            let low = high.saturating_sub(span).max(0);
            let wanted = (limit - window.len()) as i64;
            let bounds: [&(dyn ToSql + Sync); 3] = [&low, &high, &wanted];
            let rows = match &filters {
                Some(filters) => {
                    let mut params = filters.params(&matcher.argument).to_vec();
                    params.extend(bounds);
                    self.rows(&sql, &params)?
                }
                None => {
                    let mut params: Vec<&(dyn ToSql + Sync)> = vec![&matcher.argument];
                    params.extend(bounds);
                    self.rows(&sql, &params)?
                }
            };
            window.extend(
                rows.iter()
                    .map(|r| (r.get::<_, i64>(0), r.get::<_, f64>(1))),
            );
            high = low;
            span = span.saturating_mul(SPAN_GROWTH);
        }
        Ok(window)
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
