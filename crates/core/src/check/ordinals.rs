//! Ordinals: a number written as an ordinal on one side and as a bare cardinal on the other
//! (`30e verjaardag` / `30 anniversaire`, `the 30th anniversary` / `30. Jahrestag` are
//! ordinals; `30 anniversaire` is not). The numbers check compares values only, so it sees
//! no difference there. Ordinal endings per language: Dutch `e`/`ste`/`de`, French
//! `e`/`er`/`re`/`ère`/`ème`, English `st`/`nd`/`rd`/`th`, German a full stop before a word;
//! also the superscript markup `30^{e}`. Dates are left to the dates check; a cardinal that
//! starts a compound (`30-jarig`) or a quantity (`30 %`) is not a bare ordinal's counterpart.

use std::sync::OnceLock;

use regex::Regex;

use super::context::{Context, FindingBuilder, SideText};
use crate::{Finding, Lang};

/// A whole number in a text, and whether it is written as an ordinal.
#[derive(Clone, Debug, PartialEq)]
pub struct Count {
    /// Byte range in the text (digits and ending).
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
    /// The number.
    pub value: u64,
    /// Whether it carries an ordinal ending.
    pub ordinal: bool,
}

fn count_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(\d+)(?:\^\{?([\p{L}]+)\}?|([\p{L}]+)|(\.)\s+\p{L})?").expect("count pattern")
    })
}

/// The ordinal endings of a language.
fn endings(lang: Lang) -> &'static [&'static str] {
    match lang.as_str() {
        "nl" => &["e", "ste", "de"],
        "fr" => &["e", "er", "re", "ère", "ème", "eme", "nd", "nde"],
        "en" => &["st", "nd", "rd", "th"],
        "de" => &["te", "ste"],
        _ => &[],
    }
}

/// The whole numbers of a text written in `lang` (up to 9999, outside `skip`), ordinals marked.
pub fn find_counts(text: &str, lang: Lang, skip: &[(usize, usize)]) -> Vec<Count> {
    let mut out = Vec::new();
    for c in count_regex().captures_iter(text) {
        let (Some(whole), Some(digits)) = (c.get(0), c.get(1)) else {
            continue;
        };
        let start = whole.start();
        if skip.iter().any(|&(s, e)| start < e && s < digits.end())
            || super::numbers::glued(text, start)
            || part_of_bigger_number(text, digits.end())
            || after_separator(text, start)
        {
            continue;
        }
        let Ok(value) = digits.as_str().parse::<u64>() else {
            continue;
        };
        if value > 9999 {
            continue;
        }
        let ending = c.get(2).or(c.get(3)).map(|m| m.as_str().to_lowercase());
        let ordinal = match (&ending, c.get(4)) {
            (Some(e), _) => endings(lang).contains(&e.as_str()),
            (None, Some(_)) => lang == Lang::DE,
            (None, None) => false,
        };
        if ending.is_some() && !ordinal {
            continue; // `30kg`, `5G`: not a bare number either
        }
        let end = match (ordinal, c.get(4)) {
            (false, _) => digits.end(),
            (true, Some(stop)) => stop.end(),
            (true, None) => whole.end(),
        };
        if !ordinal && starts_compound_or_quantity(text, end) {
            continue;
        }
        out.push(Count {
            start,
            end,
            value,
            ordinal,
        });
    }
    out
}

/// `1.234` or `2,5`: the digits continue after a separator.
fn part_of_bigger_number(text: &str, end: usize) -> bool {
    let mut rest = text[end..].chars();
    matches!(rest.next(), Some('.' | ',' | '\u{a0}' | '\u{202f}' | '/'))
        && rest.next().is_some_and(|c| c.is_ascii_digit())
}

/// The decimals or thousands of a bigger number: `5` in `1.234,5`.
fn after_separator(text: &str, start: usize) -> bool {
    let mut before = text[..start].chars().rev();
    matches!(before.next(), Some('.' | ',' | '\u{a0}' | '\u{202f}'))
        && before.next().is_some_and(|c| c.is_ascii_digit())
}

/// `30-jarig`, `30 %`, `30 euro`-like quantities written with a symbol.
fn starts_compound_or_quantity(text: &str, end: usize) -> bool {
    let rest = text[end..].trim_start_matches([' ', '\u{a0}', '\u{202f}']);
    rest.starts_with(['-', '%', '€', '$', '°'])
}

/// Reports, per bead, a value that is an ordinal on one side and only a cardinal on the other.
pub fn run(ctx: &Context, out: &mut Vec<Finding>) {
    for bead in ctx.paired() {
        let [a, b] = &bead.sides;
        let ca = counts(a);
        let cb = counts(b);
        for (x, y, sx, sy) in [(&ca, &cb, a, b), (&cb, &ca, b, a)] {
            for o in x.iter().filter(|c| c.ordinal) {
                let other_ordinal = y.iter().any(|c| c.ordinal && c.value == o.value);
                let bare = y.iter().find(|c| !c.ordinal && c.value == o.value);
                let (false, Some(bare)) = (other_ordinal, bare) else {
                    continue;
                };
                let message = format!(
                    "ordinal {} ({}) is the cardinal {} ({})",
                    &sx.text[o.start..o.end],
                    sx.lang,
                    &sy.text[bare.start..bare.end],
                    sy.lang
                );
                out.push(
                    FindingBuilder::new(Some(bead.index), message)
                        .lang(sy.lang)
                        .mark(sx, o.start, o.end)
                        .mark(sy, bare.start, bare.end)
                        .build(),
                );
            }
        }
    }
}

fn counts(side: &SideText) -> Vec<Count> {
    find_counts(
        &side.text,
        side.lang,
        &super::numbers::claimed(&side.text, side.lang),
    )
}

#[cfg(test)]
pub(super) const EXAMPLES: &[super::examples::Example] = &[
    super::examples::yes(
        "ter gelegenheid van de 30e verjaardag van het verdrag",
        "à l'occasion du 30 anniversaire du traité",
    ),
    super::examples::yes(
        "de 66 gemeenschappelijke vergadering",
        "la 66^{e} réunion commune",
    ),
    super::examples::yes("voor de 2de keer dit jaar", "pour la 2 fois cette année"),
    super::examples::no(
        "ter gelegenheid van de 30ste verjaardag van het verdrag",
        "à l'occasion du 30ème anniversaire du traité",
    ),
    super::examples::no("het 30-jarig bestaan", "le 30e anniversaire"),
    super::examples::no(
        "op 1 december 2022 in 3 landen",
        "le 1er décembre 2022 dans 3 pays",
    ),
    super::examples::no(
        "de 1e minister van de 27 lidstaten",
        "le 1er ministre des 27 États membres",
    ),
    super::examples::in_langs(
        [Lang::EN, Lang::DE],
        true,
        "the 30th anniversary of the treaty",
        "der 30 Jahrestag des Vertrags",
    ),
    super::examples::in_langs(
        [Lang::EN, Lang::DE],
        false,
        "the 30th anniversary of the treaty",
        "der 30. Jahrestag des Vertrags",
    ),
    super::examples::in_langs(
        [Lang::DE, Lang::FR],
        true,
        "der 30. Jahrestag des Vertrags",
        "le 30 anniversaire du traité",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinal_endings_per_language() {
        let ords = |t: &str, l: Lang| -> Vec<(u64, bool)> {
            find_counts(t, l, &[])
                .into_iter()
                .map(|c| (c.value, c.ordinal))
                .collect()
        };
        assert_eq!(
            ords("de 30e, 1ste en 2de en 4", Lang::NL),
            [(30, true), (1, true), (2, true), (4, false)]
        );
        assert_eq!(
            ords("la 1ère, le 1er, la 11^{ème}, 3 pays", Lang::FR),
            [(1, true), (1, true), (11, true), (3, false)]
        );
        assert_eq!(
            ords("the 21st and 3rd, 12 states", Lang::EN),
            [(21, true), (3, true), (12, false)]
        );
        assert_eq!(
            ords("am 30. Jahrestag, 5 Staaten", Lang::DE),
            [(30, true), (5, false)]
        );
        assert!(ords("1.234,5 en 30kg en A/76", Lang::NL).is_empty());
        let text = "la 11^{ème} session";
        let c = &find_counts(text, Lang::FR, &[])[0];
        assert_eq!(&text[c.start..c.end], "11^{ème}");
    }
}
