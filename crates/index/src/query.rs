//! The query syntax, and its translation into an FTS5 expression.
//!
//! Users never write FTS5 syntax; everything they type is quoted before it reaches SQLite,
//! so `"`, `*`, `NEAR`, `AND`, `OR`, `(` and unbalanced quotes cannot break a search.
//!
//! | typed | meaning |
//! |---|---|
//! | `raad europa` | every word, anywhere in the sentence, in any order |
//! | `"Raad van Europa"` | the phrase (an unclosed quote runs to the end of the query) |
//! | `navo*` | words starting with `navo` (a `*` at the end of a word) |
//! | `NEAR`, `AND`, `(`... | plain words, searched literally |
//!
//! Matching ignores case and accents (`reunion` finds `réunion`). In substring mode
//! ([`crate::Query::substring`]) the whole text is one substring of at least 3 characters
//! (`buitenland` finds `Buitenlandse`).

use diptych_core::text::fold;

use crate::{Error, Result};

/// One term of a parsed query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Term {
    /// A word to be found as a whole word.
    Word(String),
    /// The start of a word (`navo*`).
    Prefix(String),
    /// Words to be found in this order, next to each other.
    Phrase(String),
}

/// Parses a query typed by a user into terms, all of which must match.
pub fn parse(query: &str) -> Result<Vec<Term>> {
    refuse_nul(query)?;
    let mut terms = Vec::new();
    let mut rest = query;
    while let Some(start) = rest.find(|c: char| !c.is_whitespace()) {
        rest = &rest[start..];
        let (term, next) = if let Some(after) = rest.strip_prefix('"') {
            let end = after.find('"').unwrap_or(after.len());
            let next = after.get(end + 1..).unwrap_or("");
            (Term::Phrase(after[..end].to_owned()), next)
        } else {
            let end = rest
                .find(|c: char| c.is_whitespace() || c == '"')
                .unwrap_or(rest.len());
            (word_term(&rest[..end]), &rest[end..])
        };
        if has_word_chars(term.text()) {
            terms.push(term);
        }
        rest = next;
    }
    if terms.is_empty() {
        return Err(Error::BadQuery(format!(
            "{query:?} has no letters or digits to search for"
        )));
    }
    Ok(terms)
}

fn word_term(word: &str) -> Term {
    match word.strip_suffix('*') {
        Some(stem) => Term::Prefix(stem.trim_end_matches('*').to_owned()),
        None => Term::Word(word.to_owned()),
    }
}

fn has_word_chars(s: &str) -> bool {
    s.chars().any(char::is_alphanumeric)
}

impl Term {
    /// The term's text, without quotes or star.
    pub fn text(&self) -> &str {
        match self {
            Term::Word(t) | Term::Prefix(t) | Term::Phrase(t) => t,
        }
    }

    /// The term as one FTS5 phrase (quoted; a prefix with its star).
    pub(crate) fn to_fts(&self) -> String {
        match self {
            Term::Word(t) | Term::Phrase(t) => quote(t),
            Term::Prefix(t) => format!("{} *", quote(t)),
        }
    }
}

/// The FTS5 expression for a word query: every term quoted, all required.
pub fn to_fts(terms: &[Term]) -> String {
    terms
        .iter()
        .map(Term::to_fts)
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// The FTS5 expression for a substring query against the trigram index: each distinct
/// trigram of the substring, all required. The index records which rows hold a trigram but
/// not where (`detail=none`: a third less work to build than with positions), so a row
/// holding them all may still lack the substring; the searches keep only the rows where
/// [`crate::words`] finds it. Characters the tokenizer skips (combining accents) are left
/// out, so that each quoted window of three characters is exactly one trigram.
pub fn substring_fts(query: &str) -> Result<String> {
    refuse_nul(query)?;
    let text = query.trim();
    let kept: Vec<char> = text
        .chars()
        .filter(|c| !fold(c.encode_utf8(&mut [0; 4])).is_empty())
        .collect();
    if kept.len() < 3 {
        return Err(Error::BadQuery(format!(
            "a substring search needs at least 3 characters, got {text:?}"
        )));
    }
    let mut seen = std::collections::HashSet::new();
    let trigrams: Vec<String> = kept
        .windows(3)
        .map(|w| w.iter().collect::<String>())
        .filter(|t| seen.insert(fold(t)))
        .map(|t| quote(&t))
        .collect();
    Ok(trigrams.join(" AND "))
}

/// An FTS5 string literal: double quotes around, inner double quotes doubled. A NUL
/// character, which ends FTS5's reading of the expression (`unterminated string`), becomes a
/// space: no stored text holds one.
pub fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\"").replace('\0', " "))
}

/// A NUL character in a query is refused: SQLite's FTS5 and PostgreSQL both stop at it, and
/// no stored text holds one (found by fuzzing, `fuzz/regressions/query/`).
fn refuse_nul(query: &str) -> Result<()> {
    if query.contains('\0') {
        return Err(Error::BadQuery(
            "a query cannot hold a NUL character".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_phrases_and_prefixes() {
        let terms = parse(r#"  raad "Raad van Europa" navo* "#).unwrap();
        assert_eq!(
            terms,
            vec![
                Term::Word("raad".into()),
                Term::Phrase("Raad van Europa".into()),
                Term::Prefix("navo".into()),
            ]
        );
        assert_eq!(
            to_fts(&terms),
            r#""raad" AND "Raad van Europa" AND "navo" *"#
        );
    }

    #[test]
    fn a_nul_character_is_refused_and_never_reaches_fts5() {
        for query in ["bu\0itenland", "\0", "raad \"van\0\""] {
            assert!(matches!(parse(query), Err(Error::BadQuery(_))), "{query:?}");
            assert!(
                matches!(substring_fts(query), Err(Error::BadQuery(_))),
                "{query:?}"
            );
        }
        assert_eq!(quote("a\0b"), "\"a b\"");
    }

    #[test]
    fn fts_operators_become_plain_words() {
        let terms = parse("NATO NEAR OTAN AND (x)").unwrap();
        assert_eq!(
            to_fts(&terms),
            r#""NATO" AND "NEAR" AND "OTAN" AND "AND" AND "(x)""#
        );
    }

    #[test]
    fn unbalanced_quotes_and_stray_stars_are_harmless() {
        assert_eq!(
            parse(r#"Raad "Buitenlandse Zaken"#).unwrap(),
            vec![
                Term::Word("Raad".into()),
                Term::Phrase("Buitenlandse Zaken".into())
            ]
        );
        assert_eq!(parse(r#"a"b"#).unwrap().len(), 2);
        assert!(matches!(parse(r#" " * "" ** "#), Err(Error::BadQuery(_))));
        assert_eq!(quote(r#"say "hi""#), r#""say ""hi""""#);
    }

    #[test]
    fn substrings_need_three_characters() {
        assert!(substring_fts("ab").is_err());
        assert!(
            substring_fts("e\u{301}\u{301}b").is_err(),
            "accents are no characters"
        );
        assert_eq!(
            substring_fts(" landse ").unwrap(),
            r#""lan" AND "and" AND "nds" AND "dse""#
        );
        assert_eq!(
            substring_fts("Anana\u{301}s").unwrap(),
            r#""Ana" AND "nan" AND "nas""#,
            "one trigram per distinct window, the combining accent left out"
        );
    }
}
