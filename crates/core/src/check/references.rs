//! References: document symbols (`A/76/L.52`, `S/RES/2334 (2016)`), numbered acts and
//! resolutions (`resolutie 76/262`, `2022/2065`) and article references (`art. 5, § 2` =
//! `artikel 5, lid 2` = `article 5, paragraphe 2`) must be the same on both sides.

use std::sync::OnceLock;

use regex::Regex;

use super::context::{Context, FindingBuilder};
use crate::Finding;

/// A reference as written, with a key that is equal across languages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    /// Byte range in the text.
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
    /// The normalised reference, e.g. `A/76/L.52`, `76/262`, `art 5 §2`.
    pub key: String,
}

fn patterns() -> &'static [Regex; 3] {
    static RE: OnceLock<[Regex; 3]> = OnceLock::new();
    RE.get_or_init(|| {
        [
            // UN-style document symbols: capital series letters, then slash-separated parts.
            Regex::new(r"\b[A-Z]{1,6}(?:/[A-Z0-9]+(?:\.\d+)*)+(?:\s?\(\d{4}\))?").expect("symbol"),
            // Numbered acts and resolutions: 76/262, 2022/2065, 2006/123/EG.
            Regex::new(r"\b\d{1,4}/\d{1,4}(?:/[A-Z]{2,4})?\b").expect("act number"),
            // Articles (one or several, numbered 5, 5bis or 9.5.6.2; an ordinal's ending, as
            // in `article 1er` = `artikel 1`, is not part of the number) with an optional
            // paragraph.
            Regex::new(concat!(
                r"(?i)\b(?:art(?:ikelen|ikel|icles|icle|ículos|ículo|\.)|art\b|§)\s*",
                r"(\d+(?:\.\d+)*)(?:(?:er|re|ème|e|ste|de|st|nd|rd|th)\b|(bis|ter|quater|[a-z])\b)?",
                r"(?:\s*,?\s*(?:(?:§|lid|par\.|paragraphe|alinéa|alinea|Absatz|Abs\.|paragraph)\s*(\d+)",
                // ... or by an ordinal word: `eerste lid`, `deuxième alinéa`, `alinéa premier`.
                r"|(\p{L}+)\s+(?:lid|alinéa|alinea|Absatz|paragraph)\b|(?:alinéa|alinea)\s+(\p{L}+)\b))?"
            ))
            .expect("article"),
        ]
    })
}

/// Finds the references of a text.
pub fn find_references(text: &str) -> Vec<Reference> {
    let [symbol, act, article] = patterns();
    let mut found: Vec<Reference> = Vec::new();
    let push = |r: Reference, found: &mut Vec<Reference>| {
        if !found.iter().any(|f| r.start < f.end && f.start < r.end) {
            found.push(r);
        }
    };
    for m in symbol.find_iter(text) {
        // One capital and a slash is too loose on its own (`A/B testing`): ask for a digit.
        if m.as_str().contains(|c: char| c.is_ascii_digit()) {
            let key = m.as_str().split_whitespace().collect::<String>();
            push(
                Reference {
                    start: m.start(),
                    end: m.end(),
                    key,
                },
                &mut found,
            );
        }
    }
    for m in act.find_iter(text) {
        if !is_numeric_date(m.as_str()) {
            push(
                Reference {
                    start: m.start(),
                    end: m.end(),
                    key: m.as_str().to_owned(),
                },
                &mut found,
            );
        }
    }
    for c in article.captures_iter(text) {
        let (Some(m), Some(n)) = (c.get(0), c.get(1)) else {
            continue;
        };
        let number = format!(
            "{}{}",
            n.as_str(),
            c.get(2)
                .map_or(String::new(), |x| x.as_str().to_lowercase())
        );
        let paragraph = c.get(3).map(|p| p.as_str().to_owned()).or_else(|| {
            c.get(4)
                .or(c.get(5))
                .and_then(|w| super::numbers::number_word_value(w.as_str()))
                .map(|v| v.to_string())
        });
        let key = match paragraph {
            Some(p) => format!("art {number} §{p}"),
            None => format!("art {number}"),
        };
        push(
            Reference {
                start: m.start(),
                end: m.end(),
                key,
            },
            &mut found,
        );
    }
    found.sort_by_key(|r| r.start);
    found
}

/// `12/10` inside `12/10/2022` is a date, not a reference.
fn is_numeric_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('/').collect();
    parts.len() == 2 && parts.iter().all(|p| p.len() <= 2)
}

/// Reports references present on one side only.
pub fn run(ctx: &Context, out: &mut Vec<Finding>) {
    let all: Vec<[Vec<Reference>; 2]> = ctx
        .beads
        .iter()
        .map(|b| [0, 1].map(|s| find_references(&b.sides[s].text)))
        .collect();
    for bead in ctx.paired() {
        let i = bead.index;
        for side in 0..2 {
            let other = 1 - side;
            let near_keys: Vec<&str> = [Some(i), i.checked_sub(1), Some(i + 1)]
                .into_iter()
                .flatten()
                .filter_map(|k| all.get(k))
                .flat_map(|r| r[other].iter().map(|x| x.key.as_str()))
                .collect();
            for r in &all[i][side] {
                if !near_keys.contains(&r.key.as_str()) {
                    let (s, o) = (&bead.sides[side], &bead.sides[other]);
                    let message = format!(
                        "reference {} on the {} side is missing on the {} side",
                        r.key, s.lang, o.lang
                    );
                    out.push(
                        FindingBuilder::new(Some(i), message)
                            .lang(s.lang)
                            .mark(s, r.start, r.end)
                            .build(),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
pub(super) const EXAMPLES: &[super::examples::Example] = &[
    super::examples::no(
        "Besluit over ontwerpresolutie A/76/L.52",
        "Décision sur le projet de résolution A/76/L.52",
    ),
    super::examples::no(
        "aangenomen als AVVN-resolutie 76/262.",
        "adopté en tant que résolution 76/262 de l'AGNU.",
    ),
    super::examples::no(
        "overeenkomstig art. 5, § 2",
        "conformément à l'article 5, paragraphe 2",
    ),
    super::examples::no("op 12/10/2022", "le 12/10/2022"),
    super::examples::no(
        "van artikel 1 van het besluit en artikel 5bis",
        "de l'article 1er de l'arrêté et l'article 5bis",
    ),
    super::examples::no(
        "tot wijziging van artikel 9.5.6.2",
        "modifiant les articles 9.5.6.2",
    ),
    super::examples::yes(
        "tot wijziging van artikel 9.5.6.2",
        "modifiant l'article 9.5.6.3",
    ),
    super::examples::yes("van artikel 5bis", "de l'article 5ter"),
    super::examples::no(
        "artikel 84, eerste lid, 1°, van de gecoördineerde wetten",
        "article 84, alinéa 1er, 1°, des lois coordonnées",
    ),
    super::examples::no("artikel 2, tweede lid", "l'article 2, deuxième alinéa"),
    super::examples::yes("artikel 2, tweede lid", "l'article 2, alinéa 3"),
    super::examples::yes(
        "Besluit over ontwerpresolutie A/76/L.52",
        "Décision sur le projet de résolution A/76/L.25",
    ),
    super::examples::yes(
        "aangenomen als resolutie 76/262.",
        "adopté en tant que résolution 76/226.",
    ),
    super::examples::yes(
        "overeenkomstig artikel 5, lid 2",
        "conformément à l'article 5, paragraphe 3",
    ),
];
