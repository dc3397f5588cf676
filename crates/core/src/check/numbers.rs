//! Numbers: a number on one side that the other side lacks, after locale normalisation
//! (`1.234,56` = `1 234,56` = `1,234.56`; `43 miljoen` = `43 millions`; `66e` = `66^{e}`;
//! `5 %` = `5%`). Digits inside dates and document references are left to those checks; a
//! digit on one side written out as a word on the other (`3` / `trois`) or as a Roman numeral
//! (`CHAPTER 1` / `CHAPITRE I`) is not a finding.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use regex::Regex;

use super::context::{report_lost, Context, Lost};
use crate::{Finding, Lang};

/// A number as written, with its value in thousandths (so `1,5` and `1.5` compare equal).
#[derive(Clone, Debug, PartialEq)]
pub struct NumberMention {
    /// Byte range in the text.
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
    /// The value times 1000, rounded.
    pub milli: i128,
}

fn number_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"\b(\d{1,3}(?:[.,\u{a0}\u{202f} ]\d{3}\b)+(?:[.,]\d+)?|\d+(?:\.\d+){2,}|\d+(?:[.,]\d+)?)",
            r"(?:\^\{?(?:er|re|e|ème|eme|ste|de|st|nd|rd|th)\}?|(?:er|re|ème|eme|ste|de|st|nd|rd|th|e)\b)?",
            r"(?:[\s\u{a0}\u{202f}]*(miljoen|miljard|millions?|milliards?|Millionen|Million|Milliarden|Milliarde|billions?|mln\.?|mrd\.?|mio\.?)\b)?",
        ))
        .expect("number pattern")
    })
}

/// Parses the digits of a number written in `lang` into thousandths.
fn value_of(digits: &str, lang: Lang) -> Option<i128> {
    let decimal = if lang == Lang::EN { '.' } else { ',' };
    let mut int = String::new();
    let mut frac = String::new();
    let mut in_frac = false;
    let groups: Vec<&str> = digits.split(|c: char| !c.is_ascii_digit()).collect();
    let seps: Vec<char> = digits.chars().filter(|c| !c.is_ascii_digit()).collect();
    for (k, g) in groups.iter().enumerate() {
        if k > 0 {
            let sep = seps[k - 1];
            // A separator is decimal when it is the locale's, or when it is the last one and
            // not followed by exactly three digits (`2.5` in a Dutch text).
            let last = k == groups.len() - 1;
            if sep == decimal
                || (last && g.len() != 3 && sep != ' ' && sep != '\u{a0}' && sep != '\u{202f}')
            {
                in_frac = true;
            }
        }
        if in_frac {
            frac.push_str(g)
        } else {
            int.push_str(g)
        }
    }
    let int: i128 = int.parse().ok()?;
    let frac_milli: i128 = format!("{:0<3}", &frac[..frac.len().min(3)])
        .parse()
        .unwrap_or(0);
    int.checked_mul(1000)?.checked_add(frac_milli)
}

fn scale_of(word: &str) -> i128 {
    let w = word.to_lowercase();
    let billions = ["miljard", "milliard", "mrd", "billion"];
    if billions.iter().any(|b| w.starts_with(b)) {
        1_000_000_000
    } else {
        1_000_000
    }
}

/// The numbers of a text written in `lang`, leaving out the byte ranges in `skip`.
pub fn find_numbers(text: &str, lang: Lang, skip: &[(usize, usize)]) -> Vec<NumberMention> {
    number_regex()
        .captures_iter(text)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let (start, end) = (whole.start(), whole.end());
            if skip.iter().any(|&(s, e)| start < e && s < end) || glued(text, start) {
                return None;
            }
            let digits = c.get(1)?.as_str();
            if is_section_number(digits) {
                let key = section_key(digits);
                return Some(NumberMention {
                    start,
                    end: c.get(1)?.end(),
                    milli: key,
                });
            }
            let mut milli = value_of(digits, lang)?;
            if let Some(scale) = c.get(2) {
                milli = milli.checked_mul(scale_of(scale.as_str()))?;
            }
            Some(NumberMention { start, end, milli })
        })
        .collect()
}

/// Whether digits in dotted groups are a section or article number (`9.5.6.2`, `12.1.1`),
/// not a number with thousands separators (`1.234.567`): three groups or more, and a later
/// group not of three digits.
fn is_section_number(digits: &str) -> bool {
    let groups: Vec<&str> = digits.split('.').collect();
    groups.len() >= 3 && groups[1..].iter().any(|g| g.len() != 3)
}

/// A section number as a value no number has (numbers are never negative): equal section
/// numbers compare equal, different ones differ.
fn section_key(digits: &str) -> i128 {
    let hash = digits.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    -1 - i128::from(hash)
}

/// Digits glued to a symbol or word part (`A/76`, `COVID-19`, `G7`) are identifiers.
pub(super) fn glued(text: &str, start: usize) -> bool {
    text[..start]
        .chars()
        .next_back()
        .is_some_and(|c| matches!(c, '/' | '-' | '.' | '_') || c.is_alphanumeric())
}

fn number_words() -> &'static HashMap<Lang, HashMap<String, u32>> {
    static WORDS: OnceLock<HashMap<Lang, HashMap<String, u32>>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut m: HashMap<Lang, HashMap<String, u32>> = HashMap::new();
        for (lang, value, words) in
            super::text::value_table(include_str!("../../data/check/number-words.tsv"))
        {
            for w in words {
                m.entry(lang).or_default().insert(w.to_lowercase(), value);
            }
        }
        m
    })
}

/// The value of a number word in any language of the table (`eerste`, `premier`, `third`).
pub(super) fn number_word_value(word: &str) -> Option<u32> {
    let word = word.to_lowercase();
    number_words().values().find_map(|t| t.get(&word).copied())
}

/// Values written out as words in a text.
fn spelled_values(text: &str, lang: Lang) -> HashSet<i128> {
    let Some(table) = number_words().get(&lang) else {
        return HashSet::new();
    };
    super::text::words(text)
        .into_iter()
        .filter_map(|(_, w)| table.get(&w.to_lowercase()).map(|&v| i128::from(v) * 1000))
        .collect()
}

/// Values written as Roman numerals in a text (`CHAPITRE I`, `DEEL XIV`, `Part II`): words
/// in capitals made of I, V, X, L and C in their proper order. English `I` followed by a
/// word in lower case is the pronoun (`I went`), not a numeral.
fn roman_values(text: &str, lang: Lang) -> HashSet<i128> {
    let words = super::text::words(text);
    words
        .iter()
        .enumerate()
        .filter(|&(k, &(_, w))| {
            let pronoun = lang == Lang::EN
                && w == "I"
                && words
                    .get(k + 1)
                    .is_some_and(|(_, next)| next.starts_with(char::is_lowercase));
            !pronoun
        })
        .filter_map(|(_, &(_, w))| roman_value(w).map(|v| i128::from(v) * 1000))
        .collect()
}

/// The value of a Roman numeral up to 399 written in capitals (`XIV` = 14), `None` for
/// anything else (`IIII`, `VX`, `IC`).
pub(super) fn roman_value(word: &str) -> Option<u32> {
    const TENS: [&str; 10] = ["", "X", "XX", "XXX", "XL", "L", "LX", "LXX", "LXXX", "XC"];
    const UNITS: [&str; 10] = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"];
    if word.is_empty()
        || !word
            .chars()
            .all(|c| matches!(c, 'I' | 'V' | 'X' | 'L' | 'C'))
    {
        return None;
    }
    let hundreds = word.chars().take_while(|&c| c == 'C').count();
    if hundreds > 3 {
        return None;
    }
    let rest = &word[hundreds..];
    (0..10).rev().find_map(|t| {
        let units = rest.strip_prefix(TENS[t])?;
        let u = UNITS.iter().position(|&u| u == units)?;
        Some((hundreds * 100 + t * 10 + u) as u32)
    })
}

/// The spans the numbers check leaves to others: dates and references.
pub(super) fn claimed(text: &str, lang: Lang) -> Vec<(usize, usize)> {
    let mut spans: Vec<(usize, usize)> = super::dates::find_dates(text, lang)
        .into_iter()
        .filter(|d| d.day.is_some() || d.month.is_some() || d.year.is_some())
        .map(|d| (d.start, d.end))
        .collect();
    spans.extend(
        super::references::find_references(text)
            .into_iter()
            .map(|r| (r.start, r.end)),
    );
    spans
}

/// Reports, per bead, the numbers of each side that the other side lacks.
pub fn run(ctx: &Context, out: &mut Vec<Finding>) {
    let all: Vec<[Vec<NumberMention>; 2]> = ctx
        .beads
        .iter()
        .map(|b| {
            [0, 1].map(|s| {
                let side = &b.sides[s];
                find_numbers(&side.text, side.lang, &claimed(&side.text, side.lang))
            })
        })
        .collect();
    for bead in ctx.paired() {
        let i = bead.index;
        let near = |side: usize| -> HashSet<i128> {
            [i.checked_sub(1), Some(i + 1)]
                .into_iter()
                .flatten()
                .filter_map(|k| all.get(k))
                .flat_map(|n| n[side].iter().map(|m| m.milli))
                .collect()
        };
        let [a, b] = &all[i];
        let words = [0, 1].map(|s| {
            let (text, lang) = (&bead.sides[s].text, bead.sides[s].lang);
            let mut values = spelled_values(text, lang);
            values.extend(roman_values(
                &super::text::with_ocr_numerals_read(text),
                lang,
            ));
            values
        });
        let (lost_a, lost_b) = unmatched(a, b);
        let lost_a: Vec<&NumberMention> = lost_a
            .into_iter()
            .filter(|m| !words[1].contains(&m.milli) && !near(1).contains(&m.milli))
            .collect();
        let lost_b: Vec<&NumberMention> = lost_b
            .into_iter()
            .filter(|m| !words[0].contains(&m.milli) && !near(0).contains(&m.milli))
            .collect();
        let lost = |side: usize, ms: &[&NumberMention]| -> Vec<Lost> {
            let text = &bead.sides[side].text;
            ms.iter()
                .map(|m| Lost::new(m.start, m.end, text[m.start..m.end].to_owned()))
                .collect()
        };
        report_lost("number", bead, &lost(0, &lost_a), &lost(1, &lost_b), out);
    }
}

fn unmatched<'a>(
    a: &'a [NumberMention],
    b: &'a [NumberMention],
) -> (Vec<&'a NumberMention>, Vec<&'a NumberMention>) {
    let mut used = vec![false; b.len()];
    let mut left_a = Vec::new();
    for m in a {
        match b
            .iter()
            .enumerate()
            .position(|(k, n)| !used[k] && n.milli == m.milli)
        {
            Some(k) => used[k] = true,
            None => left_a.push(m),
        }
    }
    let left_b = b
        .iter()
        .enumerate()
        .filter(|(k, _)| !used[*k])
        .map(|(_, n)| n)
        .collect();
    (left_a, left_b)
}

#[cfg(test)]
pub(super) const EXAMPLES: &[super::examples::Example] = &[
    super::examples::no(
        "een bedrag van 1.234,56 euro",
        "un montant de 1 234,56 euros",
    ),
    super::examples::no(
        "hebben ze hiervoor al 43 miljoen euro beschikbaar gesteld",
        "avaient déjà mis à disposition 43 millions d'euros",
    ),
    super::examples::no(
        "de 66e gemeenschappelijke verslag",
        "le 66^{e} rapport commun",
    ),
    super::examples::no(
        "de 11e speciale spoedzitting",
        "la 11^{ème} session extraordinaire",
    ),
    super::examples::no("een stijging van 5%", "une hausse de 5 %"),
    super::examples::no("de 3 krijgsmachten", "les trois forces armées"),
    super::examples::no(
        "resolutie 76/262 op 1 december 2022",
        "résolution 76/262 le 1er décembre 2022",
    ),
    super::examples::in_langs(
        [Lang::EN, Lang::FR],
        false,
        "Volume 145, No. 40, October 1, 2011",
        "Vol. 145, no 40, le 1er octobre 2011",
    ),
    super::examples::in_langs([Lang::EN, Lang::FR], false, "October 1", "1er octobre"),
    super::examples::yes(
        "door meer dan 120 lidstaten gesteund",
        "soutenu par plus de 102 États membres",
    ),
    super::examples::no(
        "de punten 9.5.6.2 en 12.1.1 van de bijlage",
        "les points 9.5.6.2 et 12.1.1 de l'annexe",
    ),
    super::examples::yes(
        "de punten 9.5.6.2 en 12.1.1 van de bijlage",
        "les points 9.5.6.2 et 12.1.2 de l'annexe",
    ),
    super::examples::no(
        "een bedrag van 1.234.567 euro",
        "un montant de 1 234 567 euros",
    ),
    super::examples::yes("al 43 miljoen euro", "déjà 43 000 euros"),
    super::examples::yes(
        "een bedrag van 1.234,56 euro",
        "un montant de 1 234,65 euros",
    ),
    super::examples::yes("de 3 krijgsmachten", "les forces armées"),
    super::examples::in_langs([Lang::EN, Lang::FR], false, "CHAPTER 1", "CHAPITRE I"),
    super::examples::no("DEEL 14", "PARTIE XIV"),
    super::examples::yes("HOOFDSTUK 2", "CHAPITRE I"),
    super::examples::no("DEEL 2 Koninklijk besluit", "PARTIE Il Arrêté royal"),
    super::examples::in_langs(
        [Lang::EN, Lang::FR],
        false,
        "145 40 October 1 3059 to 3122",
        "145 40 1er octobre 3059 à 3122",
    ),
    super::examples::yes("DEEL 3 Koninklijk besluit", "PARTIE Il Arrêté royal"),
    super::examples::in_langs(
        [Lang::EN, Lang::FR],
        true,
        "Once I went there",
        "J'y suis allé 1 fois",
    ),
    super::examples::in_langs(
        [Lang::EN, Lang::FR],
        false,
        "a total of 1,234.5 million",
        "un total de 1 234,5 millions",
    ),
    super::examples::in_langs(
        [Lang::DE, Lang::FR],
        true,
        "insgesamt 1.234,5 Millionen",
        "un total de 1 234,5 milliards",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_numerals_are_read_in_their_proper_order_only() {
        for (w, v) in [
            ("I", 1),
            ("IV", 4),
            ("XIV", 14),
            ("XL", 40),
            ("XCIX", 99),
            ("CCCL", 350),
        ] {
            assert_eq!(roman_value(w), Some(v), "{w}");
        }
        for w in ["IIII", "VX", "IC", "iv", "XM", "", "CCCC"] {
            assert_eq!(roman_value(w), None, "{w}");
        }
    }

    #[test]
    fn normalises_locale_formats_and_scales() {
        let v = |t: &str, l: Lang| {
            find_numbers(t, l, &[])
                .iter()
                .map(|m| m.milli)
                .collect::<Vec<_>>()
        };
        assert_eq!(v("1.234,56", Lang::NL), [1_234_560]);
        assert_eq!(v("1 234,56", Lang::FR), [1_234_560]);
        assert_eq!(v("1,234.56", Lang::EN), [1_234_560]);
        assert_eq!(v("43 miljoen", Lang::NL), v("43 millions", Lang::FR));
        assert_eq!(v("2,5 miljard", Lang::NL), [2_500_000_000_000]);
        assert!(v("A/76/L.52 en COVID-19", Lang::NL).is_empty());
    }
}
