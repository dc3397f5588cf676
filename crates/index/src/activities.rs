//! Activities across documents: who met whom, when, at what level.

use diptych_core::model::Level;
use diptych_core::Activity;
use serde::{Deserialize, Serialize};

use crate::archive::level_name;
use crate::archive::SqliteArchive;
use crate::{Error, Result};
use diptych_core::text::fold;

/// Which activities to list. Every field left `None` is no restriction.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ActivityFilter {
    /// A partner's name, or part of it, in any language (`Baltic states`, `Baltische staten`);
    /// case and accents are ignored. A partner took part (met, hosted, co-signed, was
    /// represented); a country or body only discussed is a topic and does not match.
    #[serde(default)]
    pub partner: Option<String>,
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActivityRecord {
    /// The document's name.
    pub document: String,
    /// The year the document reports on.
    pub year: Option<i32>,
    /// The activity.
    pub activity: Activity,
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

impl SqliteArchive {
    /// The activities matching `filter`, in date order, at most `limit`. An activity falls in
    /// a date range when any of its dates does; undated activities are left out of dated
    /// searches.
    pub fn activities(&self, filter: &ActivityFilter, limit: usize) -> Result<Vec<ActivityRecord>> {
        for bound in filter.from.iter().chain(&filter.to) {
            check_date(bound)?;
        }
        let partner = filter.partner.as_deref().map(|p| fold(p.trim()));
        // "2022" as an upper bound must admit "2022-12-31": '~' sorts after '-' and digits.
        let to = filter.to.as_ref().map(|t| format!("{t}~"));
        let mut stmt = self.sql(self.conn.prepare_cached(
            "SELECT d.name, d.year, a.json FROM activities a JOIN documents d ON d.id = a.doc
             WHERE (?1 IS NULL OR EXISTS (SELECT 1 FROM activity_partners p
                                          WHERE p.activity = a.id AND instr(p.folded, ?1) > 0))
               AND (?2 IS NULL OR a.last_date >= ?2)
               AND (?3 IS NULL OR a.first_date <= ?3)
               AND (?4 IS NULL OR a.level = ?4)
               AND (?5 IS NULL OR d.name = ?5)
             ORDER BY a.first_date IS NULL, a.first_date, d.name, a.ord
             LIMIT ?6",
        ))?;
        let rows = stmt.query_map(
            rusqlite::params![
                partner,
                filter.from,
                to,
                filter.level.map(level_name),
                filter.document,
                limit as i64
            ],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<i32>>(1)?,
                    r.get::<_, String>(2)?,
                ))
            },
        );
        let rows: Vec<(String, Option<i32>, String)> =
            self.sql(rows.and_then(|rows| rows.collect()))?;
        rows.into_iter()
            .map(|(document, year, json)| {
                Ok(ActivityRecord {
                    document,
                    year,
                    activity: self.decode(&json)?,
                })
            })
            .collect()
    }
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
