//! Turning sentences into the tokens the aligner compares across languages: words folded to
//! lower case without accents, digit runs, and the punctuation that survives translation
//! (question and exclamation marks, brackets, quotes, colons, per cent signs).

use std::collections::HashMap;
use std::num::NonZeroU32;

use rayon::prelude::*;

use crate::text::fold;

/// Words at least this long also carry a cognate key (their first `COGNATE_PREFIX` letters),
/// so that `Expedition`/`expédition` or `Nationalpark`/`national` can meet.
const COGNATE_MIN_LEN: usize = 5;
/// Length of the cognate key.
const COGNATE_PREFIX: usize = 4;

/// A token of one sentence.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Token {
    /// Interned id of the folded form (shared by both languages).
    pub(crate) id: u32,
    /// Interned id of the cognate key plus one, if the word is long enough to have one
    /// (non-zero so that the option costs no space: there are millions of tokens).
    cognate_plus_one: Option<NonZeroU32>,
    /// Whether the token is a word (as opposed to a number or punctuation): only words enter
    /// the learned lexicon.
    pub(crate) is_word: bool,
    /// How informative the token is: rare tokens weigh more (inverse sentence frequency).
    pub(crate) weight: f32,
}

impl Token {
    /// Interned id of the cognate key, if the word is long enough to have one.
    pub(crate) fn cognate(&self) -> Option<u32> {
        self.cognate_plus_one.map(|c| c.get() - 1)
    }
}

/// One sentence's tokens, each distinct form once, plus sorted id lists for quick look-up.
#[derive(Clone, Debug, Default)]
pub(crate) struct Bag {
    pub(crate) tokens: Vec<Token>,
    /// Sorted ids of `tokens`.
    pub(crate) ids: Vec<u32>,
    /// Sorted cognate keys of `tokens`.
    pub(crate) cognates: Vec<u32>,
    /// Sum of the tokens' weights.
    pub(crate) weight: f32,
}

impl Bag {
    /// Whether the bag holds the token id.
    pub(crate) fn has(&self, id: u32) -> bool {
        self.ids.binary_search(&id).is_ok()
    }

    /// Whether the bag holds a word with this cognate key.
    pub(crate) fn has_cognate(&self, key: u32) -> bool {
        self.cognates.binary_search(&key).is_ok()
    }
}

/// Interns folded token forms, shared by both sides so that equal forms get equal ids.
#[derive(Default)]
pub(crate) struct Vocab {
    ids: HashMap<String, u32>,
}

impl Vocab {
    fn id(&mut self, form: &str) -> u32 {
        if let Some(&id) = self.ids.get(form) {
            return id;
        }
        let id = self.ids.len() as u32;
        self.ids.insert(form.to_owned(), id);
        id
    }

    /// The id of a form if it has been seen.
    pub(crate) fn get(&self, form: &str) -> Option<u32> {
        self.ids.get(form).copied()
    }
}

/// The raw pieces of a sentence: (folded form, is a word).
fn pieces(sentence: &str) -> Vec<(String, bool)> {
    let folded = fold(sentence);
    let mut out = Vec::new();
    let mut word = String::new();
    let mut digits = String::new();
    for c in folded.chars() {
        if c.is_alphabetic() {
            flush(&mut digits, false, &mut out);
            word.push(c);
        } else if c.is_ascii_digit() {
            flush(&mut word, true, &mut out);
            digits.push(c);
        } else {
            flush(&mut word, true, &mut out);
            flush(&mut digits, false, &mut out);
            if let Some(p) = anchor_punctuation(c) {
                out.push((p.to_string(), false));
            }
        }
    }
    flush(&mut word, true, &mut out);
    flush(&mut digits, false, &mut out);
    out
}

fn flush(buf: &mut String, is_word: bool, out: &mut Vec<(String, bool)>) {
    if !buf.is_empty() {
        out.push((std::mem::take(buf), is_word));
    }
}

/// Punctuation that translations keep, with the language-specific quote marks made equal.
fn anchor_punctuation(c: char) -> Option<char> {
    match c {
        '?' | '!' | '(' | ')' | '[' | ']' | ':' | ';' | '%' | '/' | '§' | '€' | '$' => Some(c),
        '"' | '«' | '»' | '“' | '”' | '„' | '‹' | '›' => Some('"'),
        _ => None,
    }
}

/// Tokenises both sides with one vocabulary and weighs each token by its rarity on its side.
pub(crate) fn bags(src: &[&str], tgt: &[&str]) -> (Vec<Bag>, Vec<Bag>, Vocab) {
    let mut vocab = Vocab::default();
    let src = side_bags(src, &mut vocab);
    let tgt = side_bags(tgt, &mut vocab);
    (src, tgt, vocab)
}

fn side_bags(sentences: &[&str], vocab: &mut Vocab) -> Vec<Bag> {
    // Folding and splitting run in parallel; interning needs the one vocabulary.
    let pieces: Vec<Vec<(String, bool)>> = sentences.par_iter().map(|s| pieces(s)).collect();
    let mut bags: Vec<Bag> = pieces.into_iter().map(|p| raw_bag(p, vocab)).collect();
    let mut df: HashMap<u32, u32> = HashMap::new();
    for bag in &bags {
        for t in &bag.tokens {
            *df.entry(t.id).or_default() += 1;
        }
    }
    let n = bags.len() as f32;
    for bag in &mut bags {
        for t in &mut bag.tokens {
            t.weight = ((n + 1.0) / df[&t.id] as f32).ln().max(0.05);
        }
        bag.weight = bag.tokens.iter().map(|t| t.weight).sum();
    }
    bags
}

/// How many tokens a run of sentences keeps at a coarse level: its rarest ones, which are
/// the telling ones, so that comparing runs costs no more than comparing sentences.
const RUN_TOKENS: usize = 24;

/// Bags of runs of `scale` consecutive sentences: each distinct token once, with its weight,
/// the [`RUN_TOKENS`] heaviest kept.
pub(crate) fn merge_runs(bags: &[Bag], scale: usize) -> Vec<Bag> {
    bags.par_chunks(scale.max(1))
        .map(|run| {
            let mut tokens: Vec<Token> =
                run.iter().flat_map(|b| b.tokens.iter().copied()).collect();
            tokens.sort_by_key(|t| t.id);
            tokens.dedup_by_key(|t| t.id);
            tokens.sort_by(|a, b| b.weight.total_cmp(&a.weight));
            tokens.truncate(RUN_TOKENS);
            finish_bag(tokens)
        })
        .collect()
}

fn raw_bag(pieces: Vec<(String, bool)>, vocab: &mut Vocab) -> Bag {
    let mut tokens: Vec<Token> = Vec::new();
    for (form, is_word) in pieces {
        let id = vocab.id(&form);
        if tokens.iter().any(|t| t.id == id) {
            continue;
        }
        let cognate_plus_one = (is_word && form.chars().count() >= COGNATE_MIN_LEN)
            .then(|| {
                let key: String = form.chars().take(COGNATE_PREFIX).collect();
                NonZeroU32::new(vocab.id(&format!("~{key}")) + 1)
            })
            .flatten();
        tokens.push(Token {
            id,
            cognate_plus_one,
            is_word,
            weight: 0.0,
        });
    }
    finish_bag(tokens)
}

/// A bag of distinct tokens with its look-up lists and total weight.
fn finish_bag(tokens: Vec<Token>) -> Bag {
    let mut ids: Vec<u32> = tokens.iter().map(|t| t.id).collect();
    ids.sort_unstable();
    let mut cognates: Vec<u32> = tokens.iter().filter_map(Token::cognate).collect();
    cognates.sort_unstable();
    cognates.dedup();
    let weight = tokens.iter().map(|t| t.weight).sum();
    Bag {
        tokens,
        ids,
        cognates,
        weight,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_words_splits_numbers_and_keeps_telling_punctuation() {
        let got = pieces("Die Expedition (1956) erreichte «Gipfel» 8.611 m?");
        let forms: Vec<&str> = got.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            forms,
            [
                "die",
                "expedition",
                "(",
                "1956",
                ")",
                "erreichte",
                "\"",
                "gipfel",
                "\"",
                "8",
                "611",
                "m",
                "?"
            ]
        );
        assert!(got[1].1 && !got[3].1);
    }

    #[test]
    fn equal_forms_share_ids_and_rare_tokens_weigh_more() {
        let (src, tgt, _) = bags(
            &["Die Expédition am Everest.", "Die Leute.", "Die Leute."],
            &["L'expedition à l'Everest.", "Les gens."],
        );
        let everest = src[0].tokens[3];
        assert!(tgt[0].has(everest.id));
        let die = src[0].tokens[0];
        assert!(everest.weight > die.weight);
        let expedition = src[0].tokens[1];
        assert!(tgt[0].has_cognate(expedition.cognate().unwrap()));
        // Duplicates count once.
        assert_eq!(src[1].tokens.len(), 2);
    }
}
