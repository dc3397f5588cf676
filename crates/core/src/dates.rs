//! Finding dates in text and normalising them, for the languages diptych ships month names
//! for (`data/months.tsv`: nl, fr, de, en).
//!
//! `1 december 2022`, `1er décembre 2022`, `1. Dezember 2022` and `December 1, 2022` all give the
//! same [`PartialDate`]; `in april` gives a month-only date, `begin 2020` a year-only one.

use std::ops::Range;
use std::sync::OnceLock;

use regex::{Captures, Regex};
use serde::{Deserialize, Serialize};

use crate::Lang;

/// A date as precise as the text gives it: any of year, month and day may be missing.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub struct PartialDate {
    /// The year, when written.
    pub year: Option<i32>,
    /// The month (1-12), when written.
    pub month: Option<u8>,
    /// The day of the month (1-31), when written.
    pub day: Option<u8>,
}

impl PartialDate {
    /// ISO 8601 form as precise as known (`2022-12-01`, `2022-04`, `2022`), taking the year from
    /// `default_year` when the text gave none. `None` when no year is known, or for a day
    /// without a month.
    pub fn iso(&self, default_year: Option<i32>) -> Option<String> {
        let year = self.year.or(default_year)?;
        match (self.month, self.day) {
            (Some(m), Some(d)) => Some(format!("{year:04}-{m:02}-{d:02}")),
            (Some(m), None) => Some(format!("{year:04}-{m:02}")),
            (None, None) => Some(format!("{year:04}")),
            (None, Some(_)) => None,
        }
    }

    /// Whether two partial dates can denote the same day: every field known on both sides is
    /// equal. `28 november` agrees with `28 novembre 2022`.
    pub fn agrees_with(&self, other: &PartialDate) -> bool {
        fn same<T: PartialEq>(a: Option<T>, b: Option<T>) -> bool {
            match (a, b) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            }
        }
        same(self.year, other.year) && same(self.month, other.month) && same(self.day, other.day)
    }
}

/// A date found in a text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateMention {
    /// Byte range of the date in the text.
    pub span: Range<usize>,
    /// The date it denotes.
    pub date: PartialDate,
}

/// Finds the dates in `text` written in `lang`, in text order, without overlaps. Numeric
/// dates (`12/10/2022`, `12.10.2022`, `2022-10-12`) and bare years (1800-2099) are found in
/// any language; month names only for the languages in `data/months.tsv`.
pub fn find_dates(text: &str, lang: Lang) -> Vec<DateMention> {
    let mut found: Vec<DateMention> = Vec::new();
    if let Some(rules) = rules_for(lang) {
        for re in [&rules.month_first, &rules.day_first] {
            for caps in re.captures_iter(text) {
                if let Some(m) = rules.mention(&caps) {
                    add_unless_overlapping(&mut found, m);
                }
            }
        }
    }
    for caps in numeric_regex().captures_iter(text) {
        if let Some(m) = numeric_mention(&caps) {
            add_unless_overlapping(&mut found, m);
        }
    }
    for m in year_regex()
        .find_iter(text)
        .filter(|m| is_bare_year(text, &m.range()))
    {
        let year = m.as_str().parse().ok();
        let date = PartialDate {
            year,
            month: None,
            day: None,
        };
        add_unless_overlapping(
            &mut found,
            DateMention {
                span: m.range(),
                date,
            },
        );
    }
    found.sort_by_key(|m| m.span.start);
    found
}

fn add_unless_overlapping(found: &mut Vec<DateMention>, m: DateMention) {
    if !found
        .iter()
        .any(|f| f.span.start < m.span.end && m.span.start < f.span.end)
    {
        found.push(m);
    }
}

/// The month-name patterns of one language.
struct MonthRules {
    /// Day (optional), month name, year (optional): `1er décembre 2022`, `in april`.
    day_first: Regex,
    /// English order: `December 1, 2022`.
    month_first: Regex,
    /// Folded month form -> month number.
    months: Vec<(String, u8)>,
}

impl MonthRules {
    fn month_number(&self, name: &str) -> Option<u8> {
        let folded = crate::text::fold(name.trim_end_matches('.'));
        self.months
            .iter()
            .find(|(n, _)| *n == folded)
            .map(|&(_, m)| m)
    }

    fn mention(&self, caps: &Captures) -> Option<DateMention> {
        let whole = caps.get(0)?;
        let month = self.month_number(caps.name("m")?.as_str())?;
        let day = match caps.name("d") {
            Some(d) => Some(
                d.as_str()
                    .parse::<u8>()
                    .ok()
                    .filter(|d| (1..=31).contains(d))?,
            ),
            None => None,
        };
        let year = caps.name("y").and_then(|y| y.as_str().parse().ok());
        let is_abbreviation = caps.name("abbr").is_some();
        if is_abbreviation && day.is_none() && year.is_none() {
            return None;
        }
        let date = PartialDate {
            year,
            month: Some(month),
            day,
        };
        Some(DateMention {
            span: whole.range(),
            date,
        })
    }
}

fn rules_for(lang: Lang) -> Option<&'static MonthRules> {
    static RULES: OnceLock<Vec<(Lang, MonthRules)>> = OnceLock::new();
    RULES
        .get_or_init(build_all_rules)
        .iter()
        .find(|(l, _)| *l == lang)
        .map(|(_, r)| r)
}

/// The month names of one language as read from the data file.
#[derive(Default)]
struct MonthNames {
    full: Vec<String>,
    abbreviations: Vec<String>,
    /// Folded form (full or abbreviated) -> month number.
    numbers: Vec<(String, u8)>,
}

fn build_all_rules() -> Vec<(Lang, MonthRules)> {
    let mut per_lang: std::collections::BTreeMap<Lang, MonthNames> = Default::default();
    for line in include_str!("../data/months.tsv").lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let lang = cols.first().and_then(|c| Lang::parse(c).ok());
        let month = cols.get(1).and_then(|c| c.parse::<u8>().ok());
        let (Some(lang), Some(month)) = (lang, month) else {
            continue;
        };
        let split = |i: usize| -> Vec<String> {
            let col = cols.get(i).copied().unwrap_or("");
            col.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let (full, abbreviations) = (split(2), split(3));
        let names = per_lang.entry(lang).or_default();
        for name in full.iter().chain(&abbreviations) {
            names.numbers.push((crate::text::fold(name), month));
        }
        names.full.extend(full);
        names.abbreviations.extend(abbreviations);
    }
    per_lang
        .into_iter()
        .map(|(lang, names)| (lang, compile_rules(lang, names)))
        .collect()
}

fn alternation(names: &[String]) -> String {
    let mut names: Vec<&String> = names.iter().collect();
    // Longest first, so that `sept` does not stop at `sep`.
    names.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
    names
        .iter()
        .map(|n| regex::escape(n))
        .collect::<Vec<_>>()
        .join("|")
}

fn compile_rules(lang: Lang, names: MonthNames) -> MonthRules {
    // English month names double as ordinary words (`may`, `march`): only capitalised ones count.
    let case = if lang == Lang::EN { "" } else { "(?i)" };
    let month = format!(
        r"(?:(?P<full>{})|(?P<abbr>(?:{})\.?))",
        alternation(&names.full),
        alternation(&names.abbreviations)
    );
    let ordinal = r"(?:\^\{?(?:er|re|ère|e|ème|ste|de|st|nd|rd|th)\}?|er|re|ère|ème|e|ste|de|st|nd|rd|th|\.)?";
    let day_first = format!(
        r"{case}\b(?:(?P<d>[0-3]?\d){ordinal}\s+)?(?P<m>{month})(?:\s+(?P<y>(?:1[89]|20)\d\d))?\b"
    );
    // Month first (`October 1, 2011`) is English usage, where the year may be left out
    // (`on October 1`); elsewhere only with a year (a number after a month name is rarely its
    // day in Dutch or French: `in april 2 keer`).
    let year = r"(?P<y>(?:1[89]|20)\d\d)";
    let year_part = if lang == Lang::EN {
        format!(r"(?:,?\s+{year})?")
    } else {
        format!(r",?\s+{year}")
    };
    let month_first =
        format!(r"{case}\b(?P<m>{month})\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?{year_part}\b");
    MonthRules {
        day_first: Regex::new(&day_first).expect("valid day-first date pattern"),
        month_first: Regex::new(&month_first).expect("valid month-first date pattern"),
        months: names.numbers,
    }
}

fn numeric_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"\b(?:(?P<d>[0-3]?\d)[./](?P<m>[01]?\d)[./](?P<y>(?:1[89]|20)\d\d)|(?P<iy>(?:1[89]|20)\d\d)-(?P<im>[01]\d)-(?P<id>[0-3]\d))\b")
            .expect("valid numeric date pattern")
    })
}

fn year_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\b(?:1[89]|20)\d\d\b").expect("valid year pattern"))
}

/// Whether the four digits at `span` stand alone as a year, not as part of a longer number, a
/// decimal, an amount or a symbol such as `A/76/L.52` or `76/2022`.
fn is_bare_year(text: &str, span: &Range<usize>) -> bool {
    let before = text[..span.start].chars().next_back();
    let mut after = text[span.end..].chars();
    let (next, next2) = (after.next(), after.next());
    let glued_before = matches!(before, Some(c) if c.is_ascii_digit() || "/.,-".contains(c));
    let glued_after = matches!(next, Some('/' | '-'))
        || (matches!(next, Some('.' | ',')) && matches!(next2, Some(c) if c.is_ascii_digit()));
    !glued_before && !glued_after
}

fn numeric_mention(caps: &Captures) -> Option<DateMention> {
    let num = |name: &str| caps.name(name).and_then(|m| m.as_str().parse::<i32>().ok());
    let (year, month, day) = match num("y") {
        Some(y) => (y, num("m")?, num("d")?),
        None => (num("iy")?, num("im")?, num("id")?),
    };
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let date = PartialDate {
        year: Some(year),
        month: Some(month as u8),
        day: Some(day as u8),
    };
    Some(DateMention {
        span: caps.get(0)?.range(),
        date,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(text: &str, lang: Lang) -> Vec<String> {
        find_dates(text, lang)
            .into_iter()
            .map(|m| {
                format!(
                    "{}={}",
                    &text[m.span.clone()],
                    m.date.iso(Some(1999)).unwrap_or_default()
                )
            })
            .collect()
    }

    #[test]
    fn same_date_in_four_languages() {
        assert_eq!(
            dates("bijeen op 1 december 2022 om", Lang::NL),
            ["1 december 2022=2022-12-01"]
        );
        assert_eq!(
            dates("en date du 1er décembre 2022 pour", Lang::FR),
            ["1er décembre 2022=2022-12-01"]
        );
        assert_eq!(
            dates("du 1^{er} décembre 2022", Lang::FR),
            ["1^{er} décembre 2022=2022-12-01"]
        );
        assert_eq!(
            dates("am 1. Dezember 2022", Lang::DE),
            ["1. Dezember 2022=2022-12-01"]
        );
        assert_eq!(
            dates("on December 1, 2022.", Lang::EN),
            ["December 1, 2022=2022-12-01"]
        );
        assert_eq!(
            dates("on 1 December 2022.", Lang::EN),
            ["1 December 2022=2022-12-01"]
        );
    }

    #[test]
    fn month_only_year_only_and_missing_year() {
        assert_eq!(dates("In april ontmoetten", Lang::NL), ["april=1999-04"]);
        assert_eq!(
            dates("En avril, les ministres", Lang::FR),
            ["avril=1999-04"]
        );
        assert_eq!(
            dates("op 28 november in", Lang::NL),
            ["28 november=1999-11-28"]
        );
        assert_eq!(dates("lancée début 2020.", Lang::FR), ["2020=2020"]);
        assert_eq!(
            dates("since October 1, the", Lang::EN),
            ["October 1=1999-10-01"]
        );
        assert_eq!(dates("in april 2 keer", Lang::NL), ["april=1999-04"]);
        assert_eq!(
            dates("le Conseil européen de mars 2023", Lang::FR),
            ["mars 2023=2023-03"]
        );
    }

    #[test]
    fn numeric_dates_and_ranges() {
        assert_eq!(
            dates("le 12/10/2022 et le 2022-10-13", Lang::FR),
            ["12/10/2022=2022-10-12", "2022-10-13=2022-10-13"]
        );
        assert_eq!(
            dates("(1 januari 2022 – 31 december 2022)", Lang::NL),
            ["1 januari 2022=2022-01-01", "31 december 2022=2022-12-31"]
        );
    }

    #[test]
    fn not_dates() {
        assert!(dates("A/76/L.52 en resolutie 76/262", Lang::NL).is_empty());
        assert!(dates("they may agree to march on", Lang::EN).is_empty());
        assert!(dates("43 miljoen euro, 120 lidstaten", Lang::NL).is_empty());
        assert!(dates("Dec alone is not a date", Lang::EN).is_empty());
        assert!(dates("12345 and 3.2022", Lang::EN).is_empty());
    }

    #[test]
    fn agreement_ignores_unknown_fields() {
        let a = find_dates("op 28 november", Lang::NL)[0].date;
        let b = find_dates("le 28 novembre 2022", Lang::FR)[0].date;
        let c = find_dates("le 29 novembre 2022", Lang::FR)[0].date;
        assert!(a.agrees_with(&b));
        assert!(!a.agrees_with(&c));
    }
}
