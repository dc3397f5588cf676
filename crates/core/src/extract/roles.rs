//! Whether a country or body named in an activity took part in it or was only discussed,
//! decided by the words around the name in its clause (`data/extract/roles.tsv`): the nearest
//! cue before the name (`met Slovenië`, `avec ses homologues de`, `tijdens de vergadering
//! van` -> took part; `over de situatie in Oekraïne`, `soutien à l'Ukraine` -> discussed), else
//! a cue just after it (`Slovenië nam deel`), else the title of the item (which names who
//! met: `Benelux – Grande Région`). A name the text only mentions is a topic, not a partner.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::model::Lang;
use crate::text::fold;

/// What a named country or body was to an activity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// It met, hosted, co-signed, was represented or was the forum.
    TookPart,
    /// It was discussed or mentioned.
    Discussed,
}

/// How many words before a name a cue may stand.
const BEFORE_WINDOW: usize = 8;
/// How many words after a name a cue may start.
const AFTER_WINDOW: usize = 3;
/// The longest cue, in words.
const LONGEST_CUE: usize = 4;

struct Cues {
    before: HashMap<Lang, Vec<(Vec<String>, Role)>>,
    after: HashMap<Lang, Vec<(Vec<String>, Role)>>,
}

fn cues() -> &'static Cues {
    static CUES: OnceLock<Cues> = OnceLock::new();
    CUES.get_or_init(|| {
        let mut c = Cues {
            before: HashMap::new(),
            after: HashMap::new(),
        };
        for line in include_str!("../../data/extract/roles.tsv").lines() {
            let cols: Vec<&str> = line.split('\t').collect();
            if line.starts_with('#') || cols.len() != 4 {
                continue;
            }
            let Ok(lang) = Lang::parse(cols[0]) else {
                continue;
            };
            let role = if cols[1] == "took-part" {
                Role::TookPart
            } else {
                Role::Discussed
            };
            let words = cols[3].split(' ').map(str::to_owned).collect();
            let table = if cols[2] == "after" {
                &mut c.after
            } else {
                &mut c.before
            };
            table.entry(lang).or_default().push((words, role));
        }
        c
    })
}

/// The words of a stretch of text, folded, without the punctuation around them.
fn words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|w| fold(w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')))
        .map(|w| w.replace('’', "'"))
        .filter(|w| !w.is_empty())
        .collect()
}

/// Words that continue a list of names after a name (`, Finland, IJsland en Zweden`): the
/// cue after the list speaks for every name in it.
const LIST_WORDS: &[&str] = &[
    "en", "et", "and", "und", "of", "ou", "or", "oder", "de", "het", "le", "la", "les", "l'",
    "the", "die", "der", "das",
];

/// How many words at the start of `rest` continue a list of names (capitalised words, commas,
/// conjunctions and articles).
fn list_length(rest: &str) -> usize {
    rest.split_whitespace()
        .take_while(|w| {
            let bare = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’');
            bare.is_empty()
                || bare.chars().next().is_some_and(char::is_uppercase)
                || LIST_WORDS.contains(&fold(bare).as_str())
                || bare.starts_with("l'")
                || bare.starts_with("l’")
        })
        .filter(|w| {
            !w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
                .is_empty()
        })
        .count()
}

fn word_matches(cue: &str, word: &str) -> bool {
    match cue.strip_suffix('*') {
        Some(prefix) => word.starts_with(prefix),
        None => cue == word,
    }
}

fn cue_at(table: &[(Vec<String>, Role)], words: &[String]) -> Option<Role> {
    table
        .iter()
        .filter(|(cue, _)| cue.len() == words.len())
        .find(|(cue, _)| cue.iter().zip(words).all(|(c, w)| word_matches(c, w)))
        .map(|(_, role)| *role)
}

/// The role of the name at `start..end` of `text` (one block), written in `lang`; `in_title`
/// when the block is the activity's title.
pub(crate) fn role(text: &str, start: usize, end: usize, lang: Lang, in_title: bool) -> Role {
    let boundary = |c: char| {
        matches!(
            c,
            '.' | ';' | ':' | '(' | ')' | '[' | ']' | '\n' | '?' | '!'
        )
    };
    let clause_start = text[..start].rfind(boundary).map_or(0, |i| i + 1);
    let clause_end = text[end..].find(boundary).map_or(text.len(), |i| end + i);
    let before = words(&text[clause_start..start]);
    let before = &before[before.len().saturating_sub(BEFORE_WINDOW)..];
    let cues = cues();
    if let Some(table) = cues.before.get(&lang) {
        for stop in (1..=before.len()).rev() {
            for len in (1..=LONGEST_CUE.min(stop)).rev() {
                if let Some(role) = cue_at(table, &before[stop - len..stop]) {
                    return role;
                }
            }
        }
    }
    let rest = &text[end..clause_end];
    let after = words(rest);
    let first = list_length(rest);
    if let Some(table) = cues.after.get(&lang) {
        for from in first..(first + AFTER_WINDOW).min(after.len()) {
            for len in (1..=LONGEST_CUE.min(after.len() - from)).rev() {
                if let Some(role) = cue_at(table, &after[from..from + len]) {
                    return role;
                }
            }
        }
    }
    if in_title {
        Role::TookPart
    } else {
        Role::Discussed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role_of(text: &str, name: &str, lang: Lang) -> Role {
        let start = text.find(name).unwrap();
        role(text, start, start + name.len(), lang, false)
    }

    #[test]
    fn meeting_words_make_partners_and_discussing_words_topics() {
        use Role::*;
        let nl = "De ministers ontmoetten hun collega's uit Slovenië en bespraken de oorlog in Oekraïne.";
        assert_eq!(role_of(nl, "Slovenië", Lang::NL), TookPart);
        assert_eq!(role_of(nl, "Oekraïne", Lang::NL), Discussed);
        let fr = "Les ministres se sont entretenus avec le président de la Bosnie-Herzégovine sur la situation en Ukraine.";
        assert_eq!(role_of(fr, "Bosnie-Herzégovine", Lang::FR), TookPart);
        assert_eq!(role_of(fr, "Ukraine", Lang::FR), Discussed);
        assert_eq!(
            role_of(
                "Les pays ont exprimé leur soutien à l'Ukraine.",
                "Ukraine",
                Lang::FR
            ),
            Discussed
        );
        assert_eq!(
            role_of(
                "De landen betuigden hun solidariteit met Oekraïne.",
                "Oekraïne",
                Lang::NL
            ),
            Discussed
        );
        assert_eq!(
            role_of(
                "The ministers met their counterparts from Estonia on energy.",
                "Estonia",
                Lang::EN
            ),
            TookPart
        );
        assert_eq!(
            role_of("Die Minister sprachen über Russland.", "Russland", Lang::DE),
            Discussed
        );
        assert_eq!(
            role_of("Slovenië nam deel aan het overleg.", "Slovenië", Lang::NL),
            TookPart
        );
    }

    #[test]
    fn without_a_cue_the_title_names_partners_and_the_text_topics() {
        let t = "Benelux – Grande Région";
        let start = t.find("Grande").unwrap();
        assert_eq!(role(t, start, t.len(), Lang::FR, true), Role::TookPart);
        let s = "De Russische agressie blijft een bedreiging.";
        assert_eq!(role_of(s, "Russische", Lang::NL), Role::Discussed);
    }

    #[test]
    fn a_cue_does_not_reach_across_a_clause() {
        let s = "De ministers vergaderden met Estland; daarna volgde Oekraïne.";
        assert_eq!(role_of(s, "Oekraïne", Lang::NL), Role::Discussed);
    }
}
