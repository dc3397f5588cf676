//! Words as the archive's full-text index cuts them (runs of letters and digits, as SQLite's
//! `unicode61` tokenizer does), and where a query matches in a sentence. The PostgreSQL backend
//! indexes the words cut here, so both backends find the same words; matches are marked with
//! [`spans`] on both backends (for SQLite the same ranges as FTS5's `highlight()`, tested),
//! and BM25's phrase frequencies and row lengths are counted here (`Phrases`).

use diptych_core::text::fold;

use crate::query::{parse, Term};
use crate::{Query, Result};

/// One word of a text: its byte range and its folded form (lower case, no accents).
#[derive(Debug)]
struct Word {
    start: usize,
    end: usize,
    folded: String,
}

/// The words of `text`, in order.
fn words(text: &str) -> Vec<Word> {
    word_ranges(text)
        .map(|(start, end)| Word {
            start,
            end,
            folded: fold(&text[start..end]),
        })
        .collect()
}

/// Byte ranges of the runs of letters and digits of `text`.
fn word_ranges(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut start = None;
    text.char_indices()
        .chain(std::iter::once((text.len(), ' ')))
        .filter_map(move |(i, c)| match (c.is_alphanumeric(), start) {
            (true, None) => {
                start = Some(i);
                None
            }
            (false, Some(s)) => {
                start = None;
                Some((s, i))
            }
            _ => None,
        })
}

/// The words of `text` separated by single spaces: what the PostgreSQL backend hands to
/// `to_tsvector`, so its parser sees exactly the words SQLite's tokenizer would.
pub(crate) fn index_text(text: &str) -> String {
    word_ranges(text)
        .map(|(s, e)| &text[s..e])
        .collect::<Vec<_>>()
        .join(" ")
}

/// The words of one query term (folded), and whether the last one is a prefix.
fn term_words(term: &Term) -> (Vec<String>, bool) {
    let folded = words(term.text()).into_iter().map(|w| w.folded).collect();
    (folded, matches!(term, Term::Prefix(_)))
}

/// A `tsquery` (PostgreSQL) for a parsed word query: each term's words in a row (`<->`), a
/// prefix term's last word with `:*`, all terms required (`&`). Words are runs of letters and
/// digits, quoted, so nothing typed can be read as an operator; they are left as typed for the
/// server's text search configuration to fold, as it folds the indexed text.
pub(crate) fn tsquery(terms: &[Term]) -> String {
    terms
        .iter()
        .map(|term| {
            let text = term.text();
            let words: Vec<&str> = word_ranges(text).map(|(s, e)| &text[s..e]).collect();
            let prefix = matches!(term, Term::Prefix(_));
            let last = words.len().saturating_sub(1);
            words
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    let star = if prefix && i == last { ":*" } else { "" };
                    format!("'{w}'{star}")
                })
                .collect::<Vec<_>>()
                .join(" <-> ")
        })
        .collect::<Vec<_>>()
        .join(" & ")
}

/// A `tsquery` for a phrase of folded words (translation grouping's candidates).
pub(crate) fn phrase_tsquery(key: &str) -> String {
    tsquery(&[Term::Phrase(key.to_owned())])
}

/// Byte ranges `[start, end)` in `text` of the matches of `query`: for a word query each run
/// of words matching a term (a phrase is one range), for a substring query each occurrence,
/// case and accents ignored; overlapping ranges are merged.
pub(crate) fn spans(text: &str, query: &Query) -> Result<Vec<[usize; 2]>> {
    let mut found = if query.substring {
        substring_spans(text, &fold(query.text.trim()))
    } else {
        let terms = parse(&query.text)?;
        let words = words(text);
        terms.iter().flat_map(|t| term_spans(&words, t)).collect()
    };
    found.sort_unstable();
    Ok(merge(found))
}

/// What a query looks for, ready to count in many texts: how often each phrase of the query
/// (each term, or the one substring) occurs, as FTS5 counts a phrase's instances for BM25.
/// Each text is folded once and its words cut from the folded text (ranking a window counts
/// in a thousand sentences per search).
pub(crate) enum Phrases {
    /// The folded words of each term of a word query, in order, and whether the last one is a
    /// prefix.
    Terms(Vec<(Vec<String>, bool)>),
    /// The folded text of a substring query.
    Substring(String),
}

impl Phrases {
    /// The phrases of `query`.
    pub(crate) fn of(query: &Query) -> Result<Phrases> {
        Ok(if query.substring {
            Phrases::Substring(fold(query.text.trim()))
        } else {
            Phrases::Terms(parse(&query.text)?.iter().map(term_words).collect())
        })
    }

    /// Whether a row whose phrase counts ([`Phrases::frequencies`]) are `frequencies` holds
    /// what the query looks for, as far as the index cannot tell: a word query's matches
    /// are exact, a substring query's are rows holding all of its trigrams (see
    /// [`crate::query::substring_fts`]), which this checks.
    pub(crate) fn found(&self, frequencies: &[f64]) -> bool {
        match self {
            Phrases::Terms(_) => true,
            Phrases::Substring(_) => frequencies.first().is_some_and(|&f| f > 0.0),
        }
    }

    /// [`Phrases::found`] for `text`.
    pub(crate) fn found_in(&self, text: &str) -> bool {
        self.found(&self.frequencies(text).0)
    }

    /// How many times each phrase occurs in `text`, in the order of the query, and the
    /// length of `text` in the index's tokens (BM25's row length): its words for a word
    /// query, its trigrams for a substring query (FTS5's `_docsize`, which a window of a
    /// thousand rows would otherwise read row by row; tested against it).
    pub(crate) fn frequencies(&self, text: &str) -> (Vec<f64>, f64) {
        let (folded, characters) = fold_counting(text);
        match self {
            Phrases::Substring(needle) => (
                vec![occurrences(&folded, needle) as f64],
                characters.saturating_sub(2) as f64,
            ),
            Phrases::Terms(terms) => {
                let words: Vec<&str> = word_ranges(&folded).map(|(s, e)| &folded[s..e]).collect();
                let counts = terms
                    .iter()
                    .map(|(wanted, prefix)| runs(&words, wanted, *prefix) as f64)
                    .collect();
                (counts, words.len() as f64)
            }
        }
    }
}

/// [`fold`] character by character, ASCII lower-cased directly (most characters of the
/// archive's languages): the same text, several times faster; with the number of characters
/// of `text` that fold to something (the trigram tokenizer skips the others, combining
/// accents).
fn fold_counting(text: &str) -> (String, usize) {
    let mut out = String::with_capacity(text.len());
    let mut characters = 0;
    let mut buf = [0; 4];
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            characters += 1;
        } else {
            let folded = fold(c.encode_utf8(&mut buf));
            characters += usize::from(!folded.is_empty());
            out.push_str(&folded);
        }
    }
    (out, characters)
}

/// How many times `needle` occurs in `hay`, overlapping occurrences included (as FTS5 counts
/// a phrase of trigrams).
fn occurrences(hay: &str, needle: &str) -> usize {
    if needle.is_empty() {
        return 0;
    }
    let mut count = 0;
    let mut from = 0;
    while let Some(at) = hay[from..].find(needle) {
        count += 1;
        let start = from + at;
        from = start + hay[start..].chars().next().map_or(1, char::len_utf8);
    }
    count
}

/// How many runs of `words` match `wanted` (the last one as a prefix when `prefix`).
fn runs(words: &[&str], wanted: &[String], prefix: bool) -> usize {
    if wanted.is_empty() || wanted.len() > words.len() {
        return 0;
    }
    let last = wanted.len() - 1;
    (0..=words.len() - wanted.len())
        .filter(|&at| {
            wanted.iter().enumerate().all(|(i, w)| {
                if prefix && i == last {
                    words[at + i].starts_with(w.as_str())
                } else {
                    words[at + i] == w
                }
            })
        })
        .count()
}

fn term_spans(words: &[Word], term: &Term) -> Vec<[usize; 2]> {
    let (wanted, prefix) = term_words(term);
    if wanted.is_empty() || wanted.len() > words.len() {
        return Vec::new();
    }
    let last = wanted.len() - 1;
    let matches_at = |at: usize| {
        wanted.iter().enumerate().all(|(i, w)| {
            let have = &words[at + i].folded;
            if prefix && i == last {
                have.starts_with(w.as_str())
            } else {
                have == w
            }
        })
    };
    (0..=words.len() - wanted.len())
        .filter(|&at| matches_at(at))
        .map(|at| [words[at].start, words[at + last].end])
        .collect()
}

/// Occurrences of the folded `needle` in `text` folded character by character, as byte
/// ranges of `text`.
fn substring_spans(text: &str, needle: &str) -> Vec<[usize; 2]> {
    if needle.is_empty() {
        return Vec::new();
    }
    // For each byte of the folded text, the range of the character of `text` it came from.
    let mut folded = String::with_capacity(text.len());
    let mut origin: Vec<(usize, usize)> = Vec::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        let piece = fold(c.encode_utf8(&mut [0; 4]));
        origin.extend(std::iter::repeat_n((i, i + c.len_utf8()), piece.len()));
        folded.push_str(&piece);
    }
    folded
        .match_indices(needle)
        .map(|(at, m)| [origin[at].0, origin[at + m.len() - 1].1])
        .collect()
}

fn merge(sorted: Vec<[usize; 2]>) -> Vec<[usize; 2]> {
    let mut out: Vec<[usize; 2]> = Vec::with_capacity(sorted.len());
    for span in sorted {
        match out.last_mut() {
            Some(last) if span[0] < last[1] => last[1] = last[1].max(span[1]),
            _ => out.push(span),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(text: &str, query: &Query) -> Vec<String> {
        spans(text, query)
            .unwrap()
            .iter()
            .map(|[a, b]| text[*a..*b].to_owned())
            .collect()
    }

    #[test]
    fn words_are_runs_of_letters_and_digits() {
        assert_eq!(
            index_text("l'OTAN, NAVO-top (25e) www.benelux.int"),
            "l OTAN NAVO top 25e www benelux int"
        );
    }

    #[test]
    fn tsquery_quotes_words_and_joins_terms() {
        let terms = parse(r#"Oekraïne "Raad van Europa" navo* a:b&c"#).unwrap();
        assert_eq!(
            tsquery(&terms),
            "'Oekraïne' & 'Raad' <-> 'van' <-> 'Europa' & 'navo':* & 'a' <-> 'b' <-> 'c'"
        );
        assert_eq!(
            phrase_tsquery("sommet de l otan"),
            "'sommet' <-> 'de' <-> 'l' <-> 'otan'"
        );
    }

    #[test]
    fn phrases_prefixes_and_accents_are_marked() {
        let text = "De Baltische ambtsgenoten en de Oekraïne-top, energiedataplatformen.";
        let q = Query::new(r#""baltische AMBTSGENOTEN" oekraine energiedata*"#);
        assert_eq!(
            marked(text, &q),
            [
                "Baltische ambtsgenoten",
                "Oekraïne",
                "energiedataplatformen"
            ]
        );
        assert!(
            marked(text, &Query::new("baltisch")).is_empty(),
            "whole words only"
        );
    }

    #[test]
    fn quick_folding_folds_as_fold_does() {
        for text in [
            "Bosnië-Herzégovine’s Œuvre, Straße ØRESUND İstanbul e\u{301}t\u{e9} 25e",
            "l’Ukraine – NAVO-top",
            "",
        ] {
            assert_eq!(fold_counting(text).0, fold(text), "{text}");
        }
    }

    #[test]
    fn phrase_frequencies_count_each_term_and_substring() {
        let text = "De NAVO-top en de navo: de NAVO-landen, Navolging.";
        let q = Query::new(r#"navo "de navo" navo*"#);
        let phrases = Phrases::of(&q).unwrap();
        assert_eq!(phrases.frequencies(text), (vec![3.0, 3.0, 4.0], 10.0));
        let mut sub = Query::new("AVO");
        sub.substring = true;
        let length = text.chars().count() as f64 - 2.0;
        assert_eq!(
            Phrases::of(&sub).unwrap().frequencies(text),
            (vec![4.0], length)
        );
        sub.text = "aa".into();
        assert_eq!(
            Phrases::of(&sub).unwrap().frequencies("AAAA ä"),
            (vec![3.0], 4.0),
            "overlapping"
        );
        assert_eq!(
            Phrases::of(&sub).unwrap().frequencies("e\u{301}t"),
            (vec![0.0], 0.0),
            "a combining accent is no character of a trigram"
        );
    }

    #[test]
    fn substrings_are_marked_across_case_and_accents() {
        let mut q = Query::new("ENERGIE");
        q.substring = true;
        assert_eq!(marked("l'Énergie et energieën", &q), ["Énergie", "energie"]);
        q.text = "oe".into();
        assert_eq!(
            marked("œuvre", &q),
            ["œ"],
            "a ligature folds to two letters"
        );
    }
}
