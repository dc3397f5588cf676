//! Translation grouping: for a query term, the distinct renderings on the other side of the
//! beads it occurs in, with counts (`NAVO` -> `OTAN` ×12).
//!
//! Candidates are the word n-grams (1 to 5 words, not starting or ending with a function word)
//! of the counterparts. Each is scored by the Dice coefficient between "the bead matches the
//! query" and "the other side contains the n-gram" over the archive, so that a frequent word
//! such as `Benelux` does not win merely by being everywhere. Each matching bead then votes for
//! the best-scoring candidate it contains; on a tie, the one whose place in its sentence is
//! nearest the query's place in the matching sentence, then the longer one.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;

use diptych_core::Lang;
use rusqlite::types::Value;
use serde::{Deserialize, Serialize};

use crate::archive::SqliteArchive;
use crate::query::quote;
use crate::search::FILTERS;
use crate::store::Store;
use crate::{Query, Result};
use diptych_core::text::fold;

/// At most this many matching beads are read to find renderings.
const MAX_BEADS: usize = 2000;
/// At most this many candidate renderings are scored against the archive.
const MAX_CANDIDATES: usize = 40;
/// Longest rendering considered, in words.
const MAX_WORDS: usize = 5;

/// One way the other side rendered the query.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rendering {
    /// The rendering as most often written.
    pub text: String,
    /// In how many of the matching beads it is the chosen rendering.
    pub count: usize,
}

/// The renderings of a query found in one language, in the other.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Grouping {
    /// The language the query was found in.
    pub lang: Lang,
    /// The language of the renderings.
    pub other_lang: Lang,
    /// Number of beads in which the query was found on the `lang` side (at most 2000 read).
    pub beads: usize,
    /// The renderings, most frequent first.
    pub renderings: Vec<Rendering>,
    /// Beads whose other side is empty (an omission).
    pub no_counterpart: usize,
    /// Beads whose other side holds none of the candidate renderings.
    pub unmatched: usize,
}

/// A word n-gram of a counterpart: its folded key, how it is written there, its length in
/// words and where it starts (0 = start of the text, 1 = end).
struct Gram {
    key: String,
    surface: String,
    words: usize,
    place: f64,
}

/// A matching bead: the other side's text and where the query matched on this side (0 =
/// start of the sentence, 1 = end).
pub(crate) struct Matched {
    /// The language the query matched in.
    pub(crate) lang: Lang,
    /// The language of the other side.
    pub(crate) other: Lang,
    /// The whole other side of the bead.
    pub(crate) counterpart: String,
    /// Where the first match starts, as a fraction of the sentence's length.
    pub(crate) place: f64,
}

/// Groups the beads matching `query` by the way their other side renders it, one group per
/// language the query was found in.
pub(crate) fn group(store: &dyn Store, query: &Query) -> Result<Vec<Grouping>> {
    let beads = matching_beads(store, query)?;
    let mut by_lang: BTreeMap<(Lang, Lang), Vec<Matched>> = BTreeMap::new();
    for bead in beads {
        by_lang
            .entry((bead.lang, bead.other))
            .or_default()
            .push(bead);
    }
    by_lang
        .into_iter()
        .map(|((lang, other), beads)| group_one(store, query, lang, other, &beads))
        .collect()
}

/// Each matching bead once (at most [`MAX_BEADS`]), with its other side and where the query
/// matched.
fn matching_beads(store: &dyn Store, query: &Query) -> Result<Vec<Matched>> {
    let rows = store.matching_beads(query, MAX_BEADS * 2)?;
    // A bead with two matching sentences on one side counts once.
    let mut seen = HashSet::new();
    Ok(rows
        .into_iter()
        .filter(|(bead, m)| seen.insert((*bead, m.lang)))
        .map(|(_, m)| m)
        .take(MAX_BEADS)
        .collect())
}

fn group_one(
    store: &dyn Store,
    query: &Query,
    lang: Lang,
    other: Lang,
    beads: &[Matched],
) -> Result<Grouping> {
    let stop = stopwords(other);
    let grams: Vec<Vec<Gram>> = beads
        .iter()
        .map(|b| grams_of(&b.counterpart, stop))
        .collect();
    let candidates = score_candidates(store, query, other, &grams)?;
    let mut votes: HashMap<&str, usize> = HashMap::new();
    let mut surfaces: HashMap<&str, HashMap<&str, usize>> = HashMap::new();
    let (mut no_counterpart, mut unmatched) = (0, 0);
    for (bead, bead_grams) in beads.iter().zip(&grams) {
        // Scores within 0.01, and places within 0.1, count as ties.
        let rank = |g: &Gram, score: f64| {
            let nearness = -((g.place - bead.place).abs() * 10.0).round() as i64;
            ((score * 100.0).round() as i64, nearness, g.words)
        };
        let best = bead_grams
            .iter()
            .filter_map(|g| candidates.get(&g.key).map(|score| (g, rank(g, *score))))
            .max_by(|a, b| a.1.cmp(&b.1));
        match best {
            Some((gram, _)) => {
                *votes.entry(&gram.key).or_default() += 1;
                *surfaces
                    .entry(&gram.key)
                    .or_default()
                    .entry(&gram.surface)
                    .or_default() += 1;
            }
            None if bead.counterpart.trim().is_empty() => no_counterpart += 1,
            None => unmatched += 1,
        }
    }
    let mut renderings: Vec<Rendering> = votes
        .into_iter()
        .map(|(key, count)| Rendering {
            text: most_common(&surfaces[key]).to_owned(),
            count,
        })
        .collect();
    renderings.sort_by(|a, b| b.count.cmp(&a.count).then(a.text.cmp(&b.text)));
    Ok(Grouping {
        lang,
        other_lang: other,
        beads: beads.len(),
        renderings,
        no_counterpart,
        unmatched,
    })
}

/// Dice score of the most frequent candidates, by folded key.
fn score_candidates(
    store: &dyn Store,
    query: &Query,
    other: Lang,
    grams: &[Vec<Gram>],
) -> Result<HashMap<String, f64>> {
    let mut joint: HashMap<&str, (usize, usize)> = HashMap::new();
    for bead_grams in grams {
        let unique: HashSet<(&str, usize)> = bead_grams
            .iter()
            .map(|g| (g.key.as_str(), g.words))
            .collect();
        for (key, words) in unique {
            joint.entry(key).or_insert((0, words)).0 += 1;
        }
    }
    let min_joint = if grams.len() >= 3 { 2 } else { 1 };
    let mut ranked: Vec<(&str, usize, usize)> = joint
        .into_iter()
        .filter(|(_, (j, _))| *j >= min_joint)
        .map(|(k, (j, w))| (k, j, w))
        .collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(b.0)));
    ranked.truncate(MAX_CANDIDATES);
    let n = grams.len() as f64;
    // Counted over the other language, under the document and year filters only.
    let mut scope = query.clone();
    scope.lang = Some(other);
    scope.section = None;
    scope.level = None;
    let mut scores = HashMap::new();
    for (key, j, _) in ranked {
        let g = store.beads_containing(&scope, key)?.max(j) as f64;
        scores.insert(key.to_owned(), 2.0 * j as f64 / (n + g));
    }
    Ok(scores)
}

/// Where the first match of `query` starts in `text`, as a fraction of its length (0 when
/// none is found).
fn first_match_place(text: &str, query: &Query) -> f64 {
    crate::words::spans(text, query)
        .ok()
        .and_then(|spans| spans.first().map(|s| s[0]))
        .map_or(0.0, |at| at as f64 / text.len().max(1) as f64)
}

impl SqliteArchive {
    /// (bead id, match) of the sentences matching `query`, at most `limit`.
    pub(crate) fn matching_beads(
        &self,
        query: &Query,
        limit: usize,
    ) -> Result<Vec<(i64, Matched)>> {
        let (expr, table) = query.fts()?;
        // The substring index keeps no text for `highlight()`: its matches are found here.
        let marks = if query.substring {
            "NULL".to_owned()
        } else {
            format!("highlight({table}, 0, char(57344), '')")
        };
        let sql = format!(
            "SELECT b.id, s.lang,
                    CASE s.side WHEN 0 THEN d.tgt_lang ELSE d.src_lang END,
                    CASE s.side WHEN 0 THEN b.tgt_text ELSE b.src_text END,
                    {marks}, s.text
             {}",
            FILTERS.replace("{fts}", table),
        );
        // A substring query's rows from the index hold all its trigrams, not necessarily
        // the substring: those that do not are skipped.
        let phrases = crate::words::Phrases::of(query)?;
        let mut params = vec![Value::Text(expr)];
        params.extend(query.filter_params());
        let mut stmt = self.sql(self.conn.prepare_cached(&sql))?;
        let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| {
            let lang: String = r.get(1)?;
            let other: String = r.get(2)?;
            let marked: Option<String> = r.get(4)?;
            let place = match marked {
                Some(marked) => marked
                    .find('\u{E000}')
                    .map_or(0.0, |at| at as f64 / marked.len().max(1) as f64),
                None => first_match_place(&r.get::<_, String>(5)?, query),
            };
            let bead: i64 = r.get(0)?;
            let found = phrases.found_in(&r.get::<_, String>(5)?);
            let matched = Matched {
                lang: Lang::parse(&lang).unwrap_or(Lang::NL),
                other: Lang::parse(&other).unwrap_or(Lang::FR),
                counterpart: r.get(3)?,
                place,
            };
            Ok(found.then_some((bead, matched)))
        });
        let found =
            rows.and_then(|rows| rows.filter_map(|row| row.transpose()).take(limit).collect());
        self.sql(found)
    }

    /// Number of beads with a sentence holding the phrase `key`, under the filters of `scope`.
    pub(crate) fn beads_containing(&self, scope: &Query, key: &str) -> Result<usize> {
        let sql = format!(
            "SELECT count(DISTINCT s.bead) {}",
            FILTERS.replace("{fts}", "sentences_fts")
        );
        let mut params = vec![Value::Text(quote(key))];
        params.extend(scope.filter_params());
        let mut stmt = self.sql(self.conn.prepare_cached(&sql))?;
        let n: i64 = self.sql(stmt.query_row(rusqlite::params_from_iter(params), |r| r.get(0)))?;
        Ok(n as usize)
    }
}

fn most_common<'a>(counts: &HashMap<&'a str, usize>) -> &'a str {
    counts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(s, _)| *s)
        .unwrap_or("")
}

/// The word n-grams of `text` that do not cross punctuation and do not start or end with a
/// stop word. Words are runs of letters and digits, as FTS5's unicode61 tokenizer cuts them.
fn grams_of(text: &str, stop: &HashSet<String>) -> Vec<Gram> {
    let mut grams = Vec::new();
    let length = text.len().max(1) as f64;
    for clause in text.split(is_clause_break) {
        // `split` yields slices of `text`: their address gives their offset.
        let offset = clause.as_ptr() as usize - text.as_ptr() as usize;
        let words = words_of(clause);
        for start in 0..words.len() {
            for end in start + 1..=(start + MAX_WORDS).min(words.len()) {
                let (first, last) = (&words[start], &words[end - 1]);
                if stop.contains(&first.1) || stop.contains(&last.1) {
                    continue;
                }
                let key = words[start..end]
                    .iter()
                    .map(|w| w.1.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                grams.push(Gram {
                    key,
                    surface: clause[first.0..last.0 + last.2].to_owned(),
                    words: end - start,
                    place: (offset + first.0) as f64 / length,
                });
            }
        }
    }
    grams
}

/// (byte offset, folded word, byte length) of each word of a clause.
fn words_of(clause: &str) -> Vec<(usize, String, usize)> {
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in clause
        .char_indices()
        .chain(std::iter::once((clause.len(), ' ')))
    {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                words.push((s, fold(&clause[s..i]), i - s));
                start = None;
            }
            _ => {}
        }
    }
    words
}

fn is_clause_break(c: char) -> bool {
    matches!(
        c,
        '.' | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | '('
            | ')'
            | '['
            | ']'
            | '«'
            | '»'
            | '"'
            | '“'
            | '”'
            | '–'
            | '—'
    )
}

/// The stop words of `lang` (folded), empty for languages without a list.
fn stopwords(lang: Lang) -> &'static HashSet<String> {
    static LISTS: OnceLock<HashMap<Lang, HashSet<String>>> = OnceLock::new();
    static EMPTY: OnceLock<HashSet<String>> = OnceLock::new();
    let lists = LISTS.get_or_init(|| {
        let load = |text: &str| {
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(fold)
                .collect()
        };
        HashMap::from([
            (
                Lang::NL,
                load(include_str!("../../core/data/stopwords/nl.txt")),
            ),
            (
                Lang::FR,
                load(include_str!("../../core/data/stopwords/fr.txt")),
            ),
            (
                Lang::DE,
                load(include_str!("../../core/data/stopwords/de.txt")),
            ),
            (
                Lang::EN,
                load(include_str!("../../core/data/stopwords/en.txt")),
            ),
        ])
    });
    lists
        .get(&lang)
        .unwrap_or_else(|| EMPTY.get_or_init(HashSet::new))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grams_skip_function_words_and_keep_surface() {
        let grams = grams_of("Le sommet de l'OTAN à Madrid.", stopwords(Lang::FR));
        let keys: Vec<&str> = grams.iter().map(|g| g.key.as_str()).collect();
        assert!(keys.contains(&"otan"), "{keys:?}");
        assert!(keys.contains(&"sommet de l otan"), "{keys:?}");
        assert!(
            !keys
                .iter()
                .any(|k| k.starts_with("l ") || k.starts_with("de ")),
            "{keys:?}"
        );
        let otan = grams.iter().find(|g| g.key == "otan").unwrap();
        assert_eq!(otan.surface, "OTAN");
        let long = grams.iter().find(|g| g.key == "sommet de l otan").unwrap();
        assert_eq!(long.surface, "sommet de l'OTAN");
    }

    #[test]
    fn grams_do_not_cross_punctuation() {
        let grams = grams_of(
            "Conseil Affaires étrangères (CAE), Bruxelles",
            stopwords(Lang::FR),
        );
        let keys: Vec<&str> = grams.iter().map(|g| g.key.as_str()).collect();
        assert!(keys.contains(&"conseil affaires etrangeres"));
        assert!(!keys
            .iter()
            .any(|k| k.contains("cae bruxelles") || k.contains("etrangeres cae")));
    }
}
