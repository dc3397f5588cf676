//! Activities across documents: who met whom, when, at what level; filtered, sorted and
//! counted for the archive's activities page, and written as CSV or JSON in one shape for the
//! command line and the page's downloads.

use std::collections::BTreeMap;
use std::io::Write;

use diptych_core::model::{Level, Place};
use diptych_core::Activity;
use serde::{Deserialize, Serialize};

use crate::archive::level_name;
use crate::archive::SqliteArchive;
use crate::store::Store;
use crate::{BeadRecord, Error, Result};
use diptych_core::text::fold;

/// Which activities to list. Every field left `None` is no restriction.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ActivityFilter {
    /// A partner's name, or part of it, in any language (`Baltic states`, `Baltische staten`);
    /// case and accents are ignored. A partner took part (met, hosted, co-signed, was
    /// represented); a country or body only discussed is a topic and does not match.
    #[serde(default)]
    pub partner: Option<String>,
    /// A place's name, or part of it, in any language (`Brussel`, `Bruxelles`, `Brussels`);
    /// case and accents are ignored.
    #[serde(default)]
    pub place: Option<String>,
    /// Words that must all occur in the activity's title, in either language (case and
    /// accents ignored).
    #[serde(default)]
    pub text: Option<String>,
    /// Activities on or after this date: `2020`, `2020-03` or `2020-03-15`.
    #[serde(default)]
    pub from: Option<String>,
    /// Activities on or before this date (same forms; `2022` means to the end of 2022).
    #[serde(default)]
    pub to: Option<String>,
    /// Only this level.
    #[serde(default)]
    pub level: Option<Level>,
    /// Only this document.
    #[serde(default)]
    pub document: Option<String>,
}

/// An activity with the document it was reported in.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActivityRecord {
    /// The document's name.
    pub document: String,
    /// The year the document reports on.
    pub year: Option<i32>,
    /// The activity's position among its document's activities (with `document`, its key:
    /// [`crate::Archive::activity_source`]).
    #[serde(default)]
    pub index: usize,
    /// The activity.
    pub activity: Activity,
}

/// What a list of activities can be sorted by.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    /// The first date (undated last), then document and position: the archive's own order.
    #[default]
    Date,
    /// Level, from heads of government down to other.
    Level,
    /// Document name.
    Document,
    /// Title in the document's first language.
    Title,
    /// The first place's canonical name.
    Place,
    /// The first partner's canonical name.
    Partner,
}

impl SortKey {
    /// Parses a sort key as written in a URL (`date`, `level`, ...).
    pub fn parse(s: &str) -> Result<SortKey> {
        serde_json::from_value(serde_json::Value::String(s.trim().to_owned())).map_err(|_| {
            Error::Invalid(format!(
                "unknown sort {s:?} (expected date, level, document, title, place or partner)"
            ))
        })
    }
}

/// Activities of one year, counted per level.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct YearCount {
    /// The year of the activity's first date; `None` for undated activities.
    pub year: Option<i32>,
    /// Activities per level name (`heads_of_government`, `ministerial`, ...); absent levels
    /// are left out.
    pub levels: BTreeMap<String, usize>,
    /// All activities of the year.
    pub total: usize,
}

/// An activity with the beads that report it, both languages: what a click on an activity
/// in the activities page shows.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActivitySource {
    /// The activity and its document.
    pub record: ActivityRecord,
    /// The document's two languages, source first (the sides of each bead).
    pub langs: [String; 2],
    /// The sentence beads whose source or target block is one of the activity's blocks.
    pub beads: Vec<BeadRecord>,
}

/// Checks a date bound: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
pub(crate) fn check_date(bound: &str) -> Result<()> {
    let ok = matches!(bound.len(), 4 | 7 | 10)
        && bound.char_indices().all(|(i, c)| match i {
            4 | 7 => c == '-',
            _ => c.is_ascii_digit(),
        });
    if ok {
        Ok(())
    } else {
        Err(Error::Invalid(format!(
            "bad date {bound:?}: expected YYYY, YYYY-MM or YYYY-MM-DD"
        )))
    }
}

/// The activities matching `filter`, in date order, at most `limit` (`None`: all). The
/// backend applies the filters its SQL knows (partner, dates, level, document); places and
/// title words are matched here, on the decoded activities, the same for every backend.
pub(crate) fn activities(
    store: &dyn Store,
    filter: &ActivityFilter,
    limit: Option<usize>,
) -> Result<Vec<ActivityRecord>> {
    for bound in filter.from.iter().chain(&filter.to) {
        check_date(bound)?;
    }
    let in_sql = filter.place.is_none() && filter.text.is_none();
    let stored = store.activities(filter, limit.filter(|_| in_sql))?;
    let place = filter.place.as_deref().map(|p| fold(p.trim()));
    let words = filter.text.as_deref().map(title_words).unwrap_or_default();
    let admitted = stored.into_iter().filter(|r| {
        place
            .as_deref()
            .is_none_or(|p| names_match(&r.activity.places, p))
            && titles_match(&r.activity, &words)
    });
    Ok(admitted.take(limit.unwrap_or(usize::MAX)).collect())
}

impl SqliteArchive {
    /// The activities the SQL filters (partner, dates, level, document; already checked)
    /// admit, in date order, at most `limit` (`None`: all).
    pub(crate) fn activities(
        &self,
        filter: &ActivityFilter,
        limit: Option<usize>,
    ) -> Result<Vec<ActivityRecord>> {
        let partner = filter.partner.as_deref().map(|p| fold(p.trim()));
        // "2022" as an upper bound must admit "2022-12-31": '~' sorts after '-' and digits.
        let to = filter.to.as_ref().map(|t| format!("{t}~"));
        let mut stmt = self.sql(self.conn.prepare_cached(
            "SELECT d.name, d.year, a.ord, a.json FROM activities a JOIN documents d ON d.id = a.doc
             WHERE (?1 IS NULL OR EXISTS (SELECT 1 FROM activity_partners p
                                          WHERE p.activity = a.id AND instr(p.folded, ?1) > 0))
               AND (?2 IS NULL OR a.last_date >= ?2)
               AND (?3 IS NULL OR a.first_date <= ?3)
               AND (?4 IS NULL OR a.level = ?4)
               AND (?5 IS NULL OR d.name = ?5)
             ORDER BY a.first_date IS NULL, a.first_date, d.name, a.ord
             LIMIT ?6",
        ))?;
        let sql_limit = limit.map_or(-1, |l| l as i64);
        let rows = stmt.query_map(
            rusqlite::params![
                partner,
                filter.from,
                to,
                filter.level.map(level_name),
                filter.document,
                sql_limit
            ],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<i32>>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, String>(3)?,
                ))
            },
        );
        let rows: Vec<(String, Option<i32>, i64, String)> =
            self.sql(rows.and_then(|rows| rows.collect()))?;
        rows.into_iter()
            .map(|(document, year, ord, json)| {
                Ok(ActivityRecord {
                    document,
                    year,
                    index: ord as usize,
                    activity: self.decode(&json)?,
                })
            })
            .collect()
    }

    /// The activity `index` of document `name` with the beads it comes from.
    pub(crate) fn activity_source(&self, name: &str, index: usize) -> Result<ActivitySource> {
        let doc = self.document(name)?;
        let row = self.sql(
            self.conn
                .query_row(
                    "SELECT a.id, a.json, d.year, d.src_lang, d.tgt_lang
                     FROM activities a JOIN documents d ON d.id = a.doc
                     WHERE a.doc = ?1 AND a.ord = ?2",
                    rusqlite::params![doc, index as i64],
                    |r| {
                        Ok((
                            r.get::<_, i64>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, Option<i32>>(2)?,
                            [r.get::<_, String>(3)?, r.get::<_, String>(4)?],
                        ))
                    },
                )
                .map(Some)
                .or_else(|e| match e {
                    rusqlite::Error::QueryReturnedNoRows => Ok(None),
                    e => Err(e),
                }),
        )?;
        let (id, json, year, langs) =
            row.ok_or_else(|| Error::Invalid(format!("{name} has no activity number {index}")))?;
        Ok(ActivitySource {
            record: ActivityRecord {
                document: name.to_owned(),
                year,
                index,
                activity: self.decode(&json)?,
            },
            langs,
            beads: self.beads_of_activity(doc, id)?,
        })
    }

    /// The beads of document `doc` with a side in one of activity `id`'s blocks, in order.
    fn beads_of_activity(&self, doc: i64, id: i64) -> Result<Vec<BeadRecord>> {
        let mut stmt = self.sql(self.conn.prepare_cached(
            "SELECT ord, src_text, tgt_text, shape, score FROM beads
             WHERE doc = ?1 AND (src_block IN (SELECT block_id FROM activity_blocks WHERE activity = ?2)
                              OR tgt_block IN (SELECT block_id FROM activity_blocks WHERE activity = ?2))
             ORDER BY ord",
        ))?;
        let rows = stmt.query_map(rusqlite::params![doc, id], |r| {
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
}

/// The folded words of a free-text title filter.
fn title_words(text: &str) -> Vec<String> {
    fold(text).split_whitespace().map(str::to_owned).collect()
}

/// Whether every word occurs in one of the activity's titles (folded).
fn titles_match(activity: &Activity, words: &[String]) -> bool {
    if words.is_empty() {
        return true;
    }
    let titles: Vec<String> = activity.titles.values().map(|t| fold(t)).collect();
    words
        .iter()
        .all(|w| titles.iter().any(|t| t.contains(w.as_str())))
}

/// Whether a place's canonical name or a name as written contains `folded`.
fn names_match(places: &[Place], folded: &str) -> bool {
    places.iter().any(|p| {
        std::iter::once(&p.name)
            .chain(p.written.values())
            .any(|n| fold(n).contains(folded))
    })
}

/// Sorts records by `key` (ties keep the archive's date order), reversed when `descending`.
pub fn sort_records(records: &mut [ActivityRecord], key: SortKey, descending: bool) {
    match key {
        SortKey::Date => records.sort_by(|a, b| date_order(a).cmp(&date_order(b))),
        SortKey::Level => records.sort_by_key(|r| level_rank(r.activity.level)),
        SortKey::Document => records.sort_by(|a, b| a.document.cmp(&b.document)),
        SortKey::Title => records.sort_by_cached_key(first_title),
        SortKey::Place => records.sort_by_cached_key(|r| first_name(&r.activity.places)),
        SortKey::Partner => records.sort_by_cached_key(|r| first_name(&r.activity.partners)),
    }
    if descending {
        records.reverse();
    }
}

/// The archive's order: first date (undated last), document, position.
fn date_order(r: &ActivityRecord) -> (bool, Option<&String>, &str, usize) {
    let first = r.activity.dates.iter().min();
    (first.is_none(), first, r.document.as_str(), r.index)
}

fn level_rank(level: Level) -> u8 {
    match level {
        Level::HeadsOfGovernment => 0,
        Level::Ministerial => 1,
        Level::SeniorOfficials => 2,
        Level::Other => 3,
    }
}

/// The folded title in the first language that has one (empty titles sort first).
fn first_title(r: &ActivityRecord) -> String {
    r.activity
        .titles
        .values()
        .next()
        .map(|t| fold(t))
        .unwrap_or_default()
}

/// The first name of a list, folded; empty lists sort last.
fn first_name(list: &[Place]) -> (bool, String) {
    list.first()
        .map_or((true, String::new()), |p| (false, fold(&p.name)))
}

/// Counts records per year of their first date and per level, years in order, undated last.
pub fn count_by_year_and_level(records: &[ActivityRecord]) -> Vec<YearCount> {
    let mut years: BTreeMap<(bool, Option<i32>), YearCount> = BTreeMap::new();
    for r in records {
        let year = r
            .activity
            .dates
            .iter()
            .min()
            .and_then(|d| d.get(..4))
            .and_then(|y| y.parse().ok());
        let count = years.entry((year.is_none(), year)).or_insert(YearCount {
            year,
            levels: BTreeMap::new(),
            total: 0,
        });
        *count
            .levels
            .entry(level_name(r.activity.level).to_owned())
            .or_default() += 1;
        count.total += 1;
    }
    years.into_values().collect()
}

/// The CSV header of [`write_csv`]: the shape of `diptych activities --csv` and of the
/// activities page's CSV download.
pub const CSV_HEADER: [&str; 9] = [
    "document",
    "dates",
    "level",
    "title_src",
    "title_tgt",
    "partners",
    "topics",
    "places",
    "people",
];

/// Writes records as CSV, one row per activity ([`CSV_HEADER`]; canonical names, lists
/// joined with `; `, dates with a space; the two titles in the order of their language codes).
pub fn write_csv(records: &[ActivityRecord], out: impl Write) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CSV_HEADER)?;
    for r in records {
        w.write_record(csv_row(r))?;
    }
    w.flush()
}

/// Writes records as a pretty-printed JSON array: the shape of `diptych activities --json`,
/// of `/api/activities` and of the activities page's JSON download.
pub fn write_json(records: &[ActivityRecord], mut out: impl Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut out, records)?;
    writeln!(out)
}

/// An activity as CSV fields, in [`CSV_HEADER`] order.
pub fn csv_row(r: &ActivityRecord) -> [String; 9] {
    let a = &r.activity;
    let mut titles = a.titles.values();
    let names = |places: &[Place]| {
        places
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    };
    [
        r.document.clone(),
        a.dates.join(" "),
        level_name(a.level).to_owned(),
        titles.next().cloned().unwrap_or_default(),
        titles.next().cloned().unwrap_or_default(),
        names(&a.partners),
        names(&a.topics),
        names(&a.places),
        a.people.join("; "),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_bounds_are_checked() {
        assert!(check_date("2020").is_ok());
        assert!(check_date("2020-03").is_ok());
        assert!(check_date("2020-03-15").is_ok());
        assert!(check_date("20").is_err());
        assert!(check_date("2020/03").is_err());
        assert!(check_date("'; DROP").is_err());
    }
}
