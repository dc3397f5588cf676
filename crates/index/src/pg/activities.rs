//! Activities in the PostgreSQL archive: the SQL filters of a listing, and one activity with
//! the beads it comes from.

use super::PgArchive;
use crate::activities::{ActivityFilter, ActivityRecord, ActivitySource};
use crate::archive::{level_name, BeadRecord};
use crate::{Error, Result};
use diptych_core::text::fold;

impl PgArchive {
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
        let level = filter.level.map(level_name);
        let limit = limit.map(|l| l as i64);
        let rows = self.rows(
            "SELECT d.name, d.year, a.ord, a.json FROM activities a JOIN documents d ON d.id = a.doc
             WHERE ($1::text IS NULL OR EXISTS (SELECT 1 FROM activity_partners p
                                                WHERE p.activity = a.id
                                                  AND strpos(p.folded, $1) > 0))
               AND ($2::text IS NULL OR a.last_date >= $2)
               AND ($3::text IS NULL OR a.first_date <= $3)
               AND ($4::text IS NULL OR a.level = $4)
               AND ($5::text IS NULL OR d.name = $5)
             ORDER BY a.first_date IS NULL, a.first_date, d.name, a.ord
             LIMIT $6",
            &[
                &partner,
                &filter.from,
                &to,
                &level,
                &filter.document,
                &limit,
            ],
        )?;
        rows.iter()
            .map(|r| {
                Ok(ActivityRecord {
                    document: r.get(0),
                    year: r.get::<_, Option<i64>>(1).map(|y| y as i32),
                    index: r.get::<_, i64>(2) as usize,
                    activity: self.decode(r.get(3))?,
                })
            })
            .collect()
    }

    /// The activity `index` of document `name` with the beads it comes from.
    pub(crate) fn activity_source(&self, name: &str, index: usize) -> Result<ActivitySource> {
        let doc = self.document(name)?;
        let rows = self.rows(
            "SELECT a.id, a.json, d.year, d.src_lang, d.tgt_lang
             FROM activities a JOIN documents d ON d.id = a.doc
             WHERE a.doc = $1 AND a.ord = $2",
            &[&doc, &(index as i64)],
        )?;
        let row = rows
            .first()
            .ok_or_else(|| Error::Invalid(format!("{name} has no activity number {index}")))?;
        Ok(ActivitySource {
            record: ActivityRecord {
                document: name.to_owned(),
                year: row.get::<_, Option<i64>>(2).map(|y| y as i32),
                index,
                activity: self.decode(row.get(1))?,
            },
            langs: [row.get(3), row.get(4)],
            beads: self.beads_of_activity(doc, row.get(0))?,
        })
    }

    /// The beads of document `doc` with a side in one of activity `id`'s blocks, in order.
    fn beads_of_activity(&self, doc: i64, id: i64) -> Result<Vec<BeadRecord>> {
        let rows = self.rows(
            "SELECT ord, src_text, tgt_text, shape, score FROM beads
             WHERE doc = $1
               AND (src_block IN (SELECT block_id FROM activity_blocks WHERE activity = $2)
                    OR tgt_block IN (SELECT block_id FROM activity_blocks WHERE activity = $2))
             ORDER BY ord",
            &[&doc, &id],
        )?;
        Ok(rows.iter().map(super::bead_record).collect())
    }
}
