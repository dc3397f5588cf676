//! People named by an activity.
//!
//! A bilingual report gives a strong signal: a person's name is written the same in both
//! language versions, while institutions and common words are translated. A name is taken when
//! it is written in Title Case (`Hendrik Wüst`, `Šefik Džaferović`), follows a comma or a title
//! (`de heer`, `M.`, `ministre`, `Botschafter`), is not a gazetteer name, and appears in both
//! versions. A single word (`Gafoor`) counts only after a title.

use std::collections::HashSet;
use std::sync::OnceLock;

use regex::Regex;

use super::gazetteer::{words, Gazetteer};
use crate::text::fold;
use crate::Lang;

/// Words that announce a person's name, folded, any of the shipped languages.
const TITLES: &[&str] = &[
    // nl
    "heer",
    "mevrouw",
    "mevr",
    "dhr",
    "minister",
    "minister-president",
    "premier",
    "president",
    "voorzitter",
    "ambassadeur",
    "staatssecretaris",
    "commissaris",
    "secretaris-generaal",
    "koning",
    "koningin",
    "groothertog",
    // fr
    "m",
    "mme",
    "monsieur",
    "madame",
    "ministre",
    "ministre-president",
    "president",
    "presidente",
    "ambassadrice",
    "commissaire",
    "secretaire",
    "roi",
    "reine",
    "grand-duc",
    // de
    "herr",
    "frau",
    "ministerin",
    "ministerprasident",
    "ministerprasidentin",
    "prasident",
    "prasidentin",
    "botschafter",
    "botschafterin",
    "bundeskanzler",
    "bundeskanzlerin",
    "kommissar",
    // en
    "mr",
    "mrs",
    "ms",
    "dr",
    "ambassador",
    "king",
    "queen",
    "secretary-general",
];

/// What comes before a candidate name.
#[derive(Debug, PartialEq)]
enum Cue {
    Comma,
    Title,
    None,
}

fn name_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let word = r"\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?";
        let particle = r"(?:van|de|der|den|von|le|la|du|di)";
        // Names do not run across lines (a title block ends with the name).
        let space = r"[ \t\u{a0}]+";
        Regex::new(&format!(
            r"\b{word}(?:{space}(?:{particle}{space})*{word}){{0,2}}\b"
        ))
        .expect("valid name pattern")
    })
}

/// The people named in `text` (written in `lang`) whose names also occur in `other` (the
/// same activity in the other language), in order of first mention, each once; a surname
/// alone is dropped when the full name was already found.
pub fn people(text: &str, lang: Lang, other: &str) -> Vec<String> {
    let gazetteer = Gazetteer::builtin();
    let named: Vec<std::ops::Range<usize>> = gazetteer
        .find(text, lang)
        .into_iter()
        .map(|m| m.span)
        .collect();
    let other_words: Vec<String> = words(other).map(|(_, w)| fold(w)).collect();
    let mut found: Vec<String> = Vec::new();
    for m in name_regex().find_iter(text) {
        if named.iter().any(|n| n.start < m.end() && m.start() < n.end) {
            continue;
        }
        let (cue, name) = split_title(m.as_str(), cue_before(&text[..m.start()]));
        // `Hendrik Wüst Jean` may run into a following capitalised word: try shorter.
        let Some(name) = longest_shared_prefix(name, &other_words) else {
            continue;
        };
        let several_words = name.split_whitespace().count() > 1;
        let cued = cue == Cue::Title || (cue == Cue::Comma && several_words);
        if cued && !already_named(&found, name) {
            found.push(name.to_owned());
        }
    }
    found
}

/// A capitalised title at the start of a candidate (`Ambassadeur Gafoor`, `Président Macron`)
/// is a cue, not part of the name.
fn split_title(candidate: &str, cue: Cue) -> (Cue, &str) {
    match candidate.split_once(char::is_whitespace) {
        Some((first, rest)) if is_title(first) => (Cue::Title, rest.trim_start()),
        _ => (cue, candidate),
    }
}

fn is_title(word: &str) -> bool {
    TITLES.contains(&fold(word.trim_end_matches('.')).as_str())
}

fn cue_before(before: &str) -> Cue {
    let trimmed = before.trim_end();
    if trimmed.ends_with(',') {
        return Cue::Comma;
    }
    let last = trimmed.rsplit(char::is_whitespace).next().unwrap_or("");
    // `l'Ambassadeur` -> `ambassadeur`; `M.` -> `m`.
    let last = last.rsplit(['\'', '’']).next().unwrap_or("");
    if is_title(last) {
        Cue::Title
    } else {
        Cue::None
    }
}

/// The longest run of the candidate's first words that also occurs in the other language.
fn longest_shared_prefix<'a>(name: &'a str, other_words: &[String]) -> Option<&'a str> {
    let ends: Vec<usize> = words(name).map(|(r, _)| r.end).collect();
    ends.iter()
        .rev()
        .map(|&end| &name[..end])
        .find(|prefix| occurs_in(prefix, other_words))
}

fn occurs_in(name: &str, other_words: &[String]) -> bool {
    let name_words: Vec<String> = words(name).map(|(_, w)| fold(w)).collect();
    !name_words.is_empty()
        && other_words
            .windows(name_words.len())
            .any(|w| w == name_words.as_slice())
}

fn already_named(found: &[String], name: &str) -> bool {
    let folded: HashSet<String> = found
        .iter()
        .flat_map(|f| f.split_whitespace().map(fold))
        .collect();
    found.iter().any(|f| fold(f) == fold(name))
        || (!name.contains(' ') && folded.contains(&fold(name)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_after_a_comma_or_a_title_in_both_languages() {
        let nl = "in aanwezigheid van de minister-president van de deelstaat Noordrijn-Westfalen, \
                  Hendrik Wüst, en van de voorzitter van de Grande Région, Jean Rottner. \
                  Later sprak Z.Exc. de heer Olivier Maes en daarna de heer Maes opnieuw, \
                  met ambassadeur Gafoor en de studie Hydrogen Backbone.";
        let fr = "en présence du ministre-président de Rhénanie-du-Nord-Westphalie, Hendrik Wüst \
                  et du président de la Grande Région, Jean Rottner. S.E. M. Olivier Maes, puis \
                  M. Maes, avec l'Ambassadeur Gafoor et l'étude Hydrogen Backbone.";
        assert_eq!(
            people(nl, Lang::NL, fr),
            ["Hendrik Wüst", "Jean Rottner", "Olivier Maes", "Gafoor"]
        );
        assert_eq!(
            people(fr, Lang::FR, nl),
            ["Hendrik Wüst", "Jean Rottner", "Olivier Maes", "Gafoor"]
        );
    }

    #[test]
    fn accented_names_and_places_after_commas() {
        let nl = "met de president van Bosnië-Herzegovina, Šefik Džaferović\nTijdens de zitting";
        let fr = "avec le Président de la Bosnie-Herzégovine, Šefik Džaferović";
        assert_eq!(people(nl, Lang::NL, fr), ["Šefik Džaferović"]);
    }

    #[test]
    fn a_name_in_one_language_only_is_not_taken() {
        // Translated phrases in Title Case are not names: they differ between the versions.
        let nl = "tijdens de vergadering, Raad Buitenlandse Zaken";
        let fr = "lors de la réunion, Conseil Affaires étrangères";
        assert!(people(nl, Lang::NL, fr).is_empty());
    }
}
