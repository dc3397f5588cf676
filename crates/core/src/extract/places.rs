//! Places, partners and topics of an activity: gazetteer names sorted into where it happened
//! (cities, and unknown names after a locative preposition such as `te`, `in`, `à`), who took
//! part and what was discussed (countries, regions, groups, organisations other than the
//! report's own, by the words around them: [`super::roles`]).

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use super::gazetteer::{Gazetteer, Kind, Mention};
use super::roles::{role, Role};
use crate::dates::DateMention;
use crate::model::{Lang, Place};
use crate::text::fold;

/// A place or partner as found in one language.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct NameFound {
    /// Canonical English name, or the name as written when unknown.
    pub(crate) name: String,
    /// `country`, `city`... or `unknown`.
    pub(crate) kind: String,
    /// As written in the text.
    pub(crate) written: String,
    /// Whether the gazetteer knows it.
    pub(crate) in_gazetteer: bool,
    /// Index of the block it was found in, and its byte range there.
    pub(crate) block: usize,
    pub(crate) span: Range<usize>,
}

impl NameFound {
    /// What identifies the name across languages.
    pub(crate) fn key(&self) -> String {
        if self.in_gazetteer {
            self.name.clone()
        } else {
            fold(&self.name)
        }
    }

    fn known(m: &Mention, kind_entry: &super::gazetteer::Entry, block: usize) -> NameFound {
        NameFound {
            name: kind_entry.name.clone(),
            kind: kind_entry.kind.as_str().to_owned(),
            written: m.written.clone(),
            in_gazetteer: true,
            block,
            span: m.span.clone(),
        }
    }
}

/// Prepositions after which a name is where something happened.
fn is_locative(word: &str, lang: Lang) -> bool {
    let w = fold(word);
    match lang.as_str() {
        "nl" => matches!(w.as_str(), "in" | "te" | "naar"),
        "fr" => matches!(w.as_str(), "a" | "au" | "aux" | "en"),
        "de" => matches!(w.as_str(), "in" | "im" | "nach"),
        "en" => matches!(w.as_str(), "in" | "at"),
        _ => false,
    }
}

fn word_before(text: &str, at: usize) -> &str {
    let before = text[..at].trim_end();
    let last = before.rsplit(char::is_whitespace).next().unwrap_or("");
    last.rsplit(['\'', '’']).next().unwrap_or("")
}

/// What one block names: places, partners (who took part) and topics (what was discussed).
#[derive(Debug, Default)]
pub(crate) struct Named {
    pub(crate) places: Vec<NameFound>,
    pub(crate) partners: Vec<NameFound>,
    pub(crate) topics: Vec<NameFound>,
}

/// The places, partners and topics named in one block's text, in text order; `in_title` when
/// the block is the activity's title. Whether a country or body took part or was discussed
/// comes from the words around it ([`super::roles`]). `dates` are the dates found in the
/// text (names inside them are no places).
pub(crate) fn classify(
    text: &str,
    lang: Lang,
    block: usize,
    home: &HashSet<String>,
    dates: &[DateMention],
    in_title: bool,
) -> Named {
    let mentions = Gazetteer::builtin().find(text, lang);
    let mut places = Vec::new();
    let mut partners = Vec::new();
    let mut topics = Vec::new();
    for m in &mentions {
        let locative = is_locative(word_before(text, m.span.start), lang);
        let city = std::iter::once(m.entry)
            .chain(m.also.iter().copied())
            .find(|e| e.kind == Kind::City);
        match (m.entry.kind, city) {
            (Kind::Sea, _) => {}
            (Kind::City, Some(c)) => places.push(NameFound::known(m, c, block)),
            (_, Some(c)) if locative => places.push(NameFound::known(m, c, block)),
            _ if home.contains(&m.entry.name) => {}
            _ => {
                let found = NameFound::known(m, m.entry, block);
                match role(text, m.span.start, m.span.end, lang, in_title) {
                    Role::TookPart => partners.push(found),
                    Role::Discussed => topics.push(found),
                }
            }
        }
    }
    places.extend(unknown_places(text, lang, block, &mentions, dates));
    places.sort_by_key(|p| p.span.start);
    Named {
        places,
        partners,
        topics,
    }
}

/// Names the gazetteer does not know, written after a locative preposition: `te Esch-Belval`,
/// `à Mondercange`. Kept as written. Not tried for German, where every noun is capitalised.
fn unknown_places(
    text: &str,
    lang: Lang,
    block: usize,
    known: &[Mention],
    dates: &[DateMention],
) -> Vec<NameFound> {
    let Some(re) = locative_regex(lang) else {
        return Vec::new();
    };
    let overlaps = |r: &Range<usize>, s: &Range<usize>| r.start < s.end && s.start < r.end;
    re.captures_iter(text)
        .filter_map(|c| c.name("name"))
        .filter(|m| !known.iter().any(|k| overlaps(&k.span, &m.range())))
        .filter(|m| !dates.iter().any(|d| overlaps(&d.span, &m.range())))
        .filter(|m| !looks_like_adjective(m.as_str(), lang))
        .map(|m| NameFound {
            name: m.as_str().to_owned(),
            kind: "unknown".to_owned(),
            written: m.as_str().to_owned(),
            in_gazetteer: false,
            block,
            span: m.range(),
        })
        .collect()
}

fn locative_regex(lang: Lang) -> Option<&'static Regex> {
    static RES: OnceLock<Vec<(Lang, Regex)>> = OnceLock::new();
    let all = RES.get_or_init(|| {
        let name = r"(?P<name>\p{Lu}\p{Ll}+(?:-(?:\p{Ll}+-)*\p{Lu}\p{Ll}+)*)";
        [("nl", "te|in"), ("fr", "à"), ("en", "in|at")]
            .iter()
            .map(|(code, preps)| {
                let re = Regex::new(&format!(r"(?:^|[\s(])(?i:{preps})\s+{name}\b"))
                    .expect("valid locative pattern");
                (Lang::parse(code).expect("valid code"), re)
            })
            .collect()
    });
    all.iter().find(|(l, _)| *l == lang).map(|(_, re)| re)
}

/// Capitalised adjectives that follow `in` (`in Europese context`, `in European affairs`).
fn looks_like_adjective(word: &str, lang: Lang) -> bool {
    let w = fold(word);
    match lang.as_str() {
        "nl" => w.ends_with("se") || w.ends_with("sche"),
        "en" => ["ean", "ian", "ish", "ese"].iter().any(|s| w.ends_with(s)),
        _ => false,
    }
}

/// The parties of a title of the form `A – B` (`Benelux – Grande Région`) that the gazetteer
/// does not know, kept as written: a spaced dash pairs two parties, unlike a hyphenated
/// compound (`Benelux-Top`). `known` are the partners already found in the title's block.
pub(crate) fn unknown_title_parties(
    title: &str,
    lang: Lang,
    block: usize,
    known: &[NameFound],
) -> Vec<NameFound> {
    static NAME: OnceLock<Regex> = OnceLock::new();
    let name = NAME.get_or_init(|| {
        // Capitalised words, with lower-case particles between them: `Grand Région`,
        // `Conseil de l'Europe`.
        let word = r"\p{Lu}[\p{L}'’.-]*";
        let particle = r"(?:de|du|des|la|le|l'|d'|van|der|den|von|of|the|and|et|en|und)";
        Regex::new(&format!(r"^{word}(?:\s+(?:{particle}\s+)*{word}){{0,3}}$"))
            .expect("valid party pattern")
    });
    let gazetteer = Gazetteer::builtin();
    let mentions = gazetteer.find(title, lang);
    let mut offset = 0;
    let mut parties = Vec::new();
    for part in title.split(" – ") {
        let start = offset + (part.len() - part.trim_start().len());
        offset += part.len() + " – ".len();
        let part = part.trim();
        let span = start..start + part.len();
        let named = mentions
            .iter()
            .any(|m| m.span.start < span.end && span.start < m.span.end);
        let already = known
            .iter()
            .any(|k| k.block == block && fold(&k.written) == fold(part));
        if title.contains(" – ") && name.is_match(part) && !named && !already {
            parties.push(NameFound {
                name: part.to_owned(),
                kind: "unknown".to_owned(),
                written: part.to_owned(),
                in_gazetteer: false,
                block,
                span,
            });
        }
    }
    parties
}

/// Merges the names found in each language into places, keyed by canonical name (or the
/// folded written form of an unknown name), in order of first appearance.
pub(crate) fn merge<'a>(sides: impl Iterator<Item = (Lang, &'a Vec<NameFound>)>) -> Vec<Place> {
    let mut merged: Vec<(String, Place)> = Vec::new();
    for (lang, found) in sides {
        for f in found {
            let key = f.key();
            let index = match merged.iter().position(|(k, _)| *k == key) {
                Some(i) => i,
                None => {
                    merged.push((
                        key,
                        Place {
                            name: f.name.clone(),
                            kind: f.kind.clone(),
                            written: BTreeMap::new(),
                            in_gazetteer: f.in_gazetteer,
                        },
                    ));
                    merged.len() - 1
                }
            };
            merged[index]
                .1
                .written
                .entry(lang)
                .or_insert_with(|| f.written.clone());
        }
    }
    merged.into_iter().map(|(_, p)| p).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify(
        text: &str,
        lang: Lang,
        block: usize,
        home: &HashSet<String>,
    ) -> (Vec<NameFound>, Vec<NameFound>) {
        let named = super::classify(
            text,
            lang,
            block,
            home,
            &crate::dates::find_dates(text, lang),
            false,
        );
        (named.places, named.partners)
    }

    fn home() -> HashSet<String> {
        ["Benelux", "Belgium", "Netherlands", "Luxembourg"]
            .map(String::from)
            .into()
    }

    fn names(found: &[NameFound]) -> Vec<&str> {
        found.iter().map(|f| f.name.as_str()).collect()
    }

    #[test]
    fn cities_are_places_and_the_rest_partners_except_the_authors() {
        let text = "Op initiatief van Luxemburg vond een Benelux-Slovenië Top in Brussel plaats, \
                    met de NAVO, over de Baltische Zee.";
        let (places, partners) = classify(text, Lang::NL, 3, &home());
        assert_eq!(names(&places), ["Brussels"]);
        assert_eq!(
            names(&partners),
            ["Slovenia", "North Atlantic Treaty Organization"]
        );
        assert_eq!(places[0].block, 3);
        assert_eq!(&text[places[0].span.clone()], "Brussel");
    }

    #[test]
    fn a_country_named_like_its_capital_is_the_city_after_a_preposition() {
        let (places, _) = classify(
            "a reçu les ministres le 27 juin au Luxembourg",
            Lang::FR,
            0,
            &home(),
        );
        assert_eq!(names(&places), ["Luxembourg City"]);
        let (places, partners) =
            classify("op initiatief van Luxemburg", Lang::NL, 0, &HashSet::new());
        assert!(places.is_empty());
        assert_eq!(names(&partners), ["Luxembourg"]);
    }

    #[test]
    fn unknown_names_after_a_preposition_are_kept_as_written() {
        let (places, _) = classify(
            "De ministers kwamen bijeen te Esch-Belval, in Europese context, in april.",
            Lang::NL,
            0,
            &home(),
        );
        assert_eq!(names(&places), ["Esch-Belval"]);
        assert!(!places[0].in_gazetteer);
        assert_eq!(places[0].kind, "unknown");
        let (places, _) = classify("réunis à Mondercange le 3 mai", Lang::FR, 0, &home());
        assert_eq!(names(&places), ["Mondercange"]);
    }

    #[test]
    fn unknown_parties_of_a_paired_title_are_kept_as_written() {
        let found = unknown_title_parties("Benelux – Grand Région", Lang::FR, 7, &[]);
        assert_eq!(names(&found), ["Grand Région"]);
        assert!(!found[0].in_gazetteer);
        assert_eq!(found[0].span, 12..25);
        assert!(unknown_title_parties("Benelux – Grande Région", Lang::FR, 7, &[]).is_empty());
        assert!(unknown_title_parties("Benelux-Top", Lang::NL, 7, &[]).is_empty());
        assert!(unknown_title_parties(
            "Vergadering van ministers – een lange titel die geen naam is",
            Lang::NL,
            7,
            &[]
        )
        .is_empty());
    }

    #[test]
    fn merge_joins_exonyms_and_keeps_unknown_names_per_language() {
        let (nl, _) = classify("in Brussel en te Kleinstad", Lang::NL, 0, &home());
        let (fr, _) = classify("à Bruxelles et à Petiteville", Lang::FR, 0, &home());
        let merged = merge([(Lang::NL, &nl), (Lang::FR, &fr)].into_iter());
        assert_eq!(merged.len(), 3);
        assert_eq!(merged[0].name, "Brussels");
        assert_eq!(merged[0].written[&Lang::NL], "Brussel");
        assert_eq!(merged[0].written[&Lang::FR], "Bruxelles");
        assert_eq!(merged[1].name, "Kleinstad");
        assert!(!merged[2].in_gazetteer);
    }
}
