//! Dates: a date on one side that the other side lacks, after normalising month names,
//! ordinals (`1er`, `1^{er}`, `1e`) and formats. Partial dates count: `28 november` equals
//! `28 novembre`, `in april` equals `en avril`, `eind 2022` equals `fin 2022`.

use super::context::{report_lost, Context, Lost};
use crate::{Finding, Lang};

/// A date as written: where, and which parts it gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateMention {
    /// Byte range in the text.
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
    /// The year, when given.
    pub year: Option<i32>,
    /// The month (1-12), when given.
    pub month: Option<u8>,
    /// The day, when given.
    pub day: Option<u8>,
}

impl DateMention {
    fn label(&self) -> String {
        let part = |v: Option<i64>, w: usize| v.map(|v| format!("{v:0w$}")).unwrap_or("??".into());
        format!(
            "{}-{}-{}",
            part(self.year.map(i64::from), 4),
            part(self.month.map(i64::from), 2),
            part(self.day.map(i64::from), 2)
        )
    }

    /// Whether two mentions can be the same date: every part both give is equal.
    fn compatible(&self, o: &DateMention) -> bool {
        let eq = |a: Option<i64>, b: Option<i64>| a.is_none() || b.is_none() || a == b;
        eq(self.year.map(i64::from), o.year.map(i64::from))
            && eq(self.month.map(i64::from), o.month.map(i64::from))
            && eq(self.day.map(i64::from), o.day.map(i64::from))
    }

    fn same(&self, o: &DateMention) -> bool {
        (self.year, self.month, self.day) == (o.year, o.month, o.day)
    }
}

/// Finds the dates of a text written in `lang` (with [`crate::dates::find_dates`]).
pub fn find_dates(text: &str, lang: Lang) -> Vec<DateMention> {
    crate::dates::find_dates(text, lang)
        .into_iter()
        .map(|m| DateMention {
            start: m.span.start,
            end: m.span.end,
            year: m.date.year,
            month: m.date.month,
            day: m.date.day,
        })
        .collect()
}

/// Reports, per bead, the dates of each side that the other side lacks.
pub fn run(ctx: &Context, out: &mut Vec<Finding>) {
    let all: Vec<[Vec<DateMention>; 2]> = ctx
        .beads
        .iter()
        .map(|b| [0, 1].map(|s| find_dates(&b.sides[s].text, b.sides[s].lang)))
        .collect();
    for bead in ctx.paired() {
        let i = bead.index;
        let [a, b] = &all[i];
        let (lost_a, lost_b) = unmatched(a, b);
        let near = |side: usize| -> Vec<DateMention> {
            [i.checked_sub(1), Some(i + 1)]
                .into_iter()
                .flatten()
                .filter_map(|k| all.get(k))
                .flat_map(|d| d[side].iter().copied())
                .collect()
        };
        let lost_a: Vec<&DateMention> = lost_a
            .into_iter()
            .filter(|d| !near(1).iter().any(|n| n.same(d)))
            .collect();
        let lost_b: Vec<&DateMention> = lost_b
            .into_iter()
            .filter(|d| !near(0).iter().any(|n| n.same(d)))
            .collect();
        let lost = |ds: &[&DateMention]| -> Vec<Lost> {
            ds.iter()
                .map(|d| Lost::new(d.start, d.end, d.label()))
                .collect()
        };
        report_lost("date", bead, &lost(&lost_a), &lost(&lost_b), out);
    }
}

/// The mentions of each side left without a counterpart: exact matches first, then
/// compatible partial ones; a bare year or month is satisfied by any date that contains it.
fn unmatched<'a>(
    a: &'a [DateMention],
    b: &'a [DateMention],
) -> (Vec<&'a DateMention>, Vec<&'a DateMention>) {
    let mut used_b = vec![false; b.len()];
    let mut left_a = Vec::new();
    for pass in 0..2 {
        let todo: Vec<&DateMention> = if pass == 0 {
            a.iter().collect()
        } else {
            std::mem::take(&mut left_a)
        };
        for d in todo {
            let hit = b.iter().enumerate().position(|(k, e)| {
                !used_b[k]
                    && if pass == 0 {
                        e.same(d)
                    } else {
                        e.compatible(d) && overlap_enough(d, e)
                    }
            });
            match hit {
                Some(k) => used_b[k] = true,
                None => left_a.push(d),
            }
        }
    }
    let left_b: Vec<&DateMention> = b
        .iter()
        .enumerate()
        .filter(|(k, _)| !used_b[*k])
        .map(|(_, e)| e)
        .collect();
    let covered = |d: &DateMention, other: &[DateMention]| other.iter().any(|o| o.compatible(d));
    let left_a = left_a
        .into_iter()
        .filter(|d| !(is_partial(d) && covered(d, b)))
        .collect();
    let left_b = left_b
        .into_iter()
        .filter(|d| !(is_partial(d) && covered(d, a)))
        .collect();
    (left_a, left_b)
}

/// A bare year or month.
fn is_partial(d: &DateMention) -> bool {
    d.day.is_none() && (d.month.is_none() || d.year.is_none())
}

/// Compatible mentions count as one date only when they share a day or a month.
fn overlap_enough(a: &DateMention, b: &DateMention) -> bool {
    (a.day.is_some() && a.day == b.day)
        || (a.month.is_some() && a.month == b.month && (a.day.is_none() || b.day.is_none()))
}

#[cfg(test)]
pub(super) const EXAMPLES: &[super::examples::Example] = &[
    super::examples::no(
        "Op 1 december 2022 kwamen zij bijeen.",
        "Ils se sont réunis le 1^{er} décembre 2022.",
    ),
    super::examples::no(
        "Op 1 december 2022 kwamen zij bijeen.",
        "Ils se sont réunis le 1er décembre 2022.",
    ),
    super::examples::no(
        "In april ontmoetten de ministers elkaar.",
        "En avril, les ministres se sont rencontrés.",
    ),
    super::examples::no("aan het einde van 2022", "en fin d'année 2022"),
    super::examples::no(
        "de Europese Raad in maart 2023",
        "le Conseil européen de mars 2023",
    ),
    super::examples::no("op 28 november in het kasteel", "le 28 novembre au château"),
    super::examples::no("op 12.10.2022", "le 12 octobre 2022"),
    super::examples::yes(
        "Op 12 oktober 2022 verwelkomden zij het.",
        "Le 13 octobre 2022, ils ont salué.",
    ),
    super::examples::yes(
        "Op 12 oktober 2022 verwelkomden zij het.",
        "En 2022, ils ont salué.",
    ),
    super::examples::yes("in juni 2022", "en juillet 2022"),
    super::examples::yes(
        "tijdens de bijeenkomst in 2021",
        "lors de la réunion de 2022",
    ),
    super::examples::in_langs(
        [Lang::DE, Lang::FR],
        false,
        "am 12. Oktober 2022",
        "le 12 octobre 2022",
    ),
    super::examples::in_langs(
        [Lang::FR, Lang::EN],
        true,
        "le 1er décembre 2022",
        "on 12 December 2022",
    ),
    super::examples::in_langs(
        [Lang::EN, Lang::FR],
        false,
        "Volume 145, No. 40, October 1, 2011",
        "Vol. 145, no 40, le 1er octobre 2011",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_full_partial_and_numeric_dates() {
        let d = find_dates(
            "op 1 december 2022, in april en eind 2020; 12.10.2022",
            Lang::NL,
        );
        let parts: Vec<_> = d.iter().map(|m| (m.year, m.month, m.day)).collect();
        assert_eq!(
            parts,
            [
                (Some(2022), Some(12), Some(1)),
                (None, Some(4), None),
                (Some(2020), None, None),
                (Some(2022), Some(10), Some(12))
            ]
        );
        let fr = find_dates("le 1^{er} janvier 2022", Lang::FR);
        assert_eq!(
            (fr[0].year, fr[0].month, fr[0].day),
            (Some(2022), Some(1), Some(1))
        );
        assert!(find_dates("you may go", Lang::EN).is_empty());
    }
}
