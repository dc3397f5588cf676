//! Turning sentences into the tokens the aligner compares across languages: words folded to
//! lower case without accents, digit runs, and the punctuation that survives translation
//! (question and exclamation marks, brackets, quotes, colons, per cent signs).

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;

use crate::text::fold;

/// Words at least this long also carry a cognate key (their first `COGNATE_PREFIX` letters),
/// so that `Expedition`/`expédition` or `Nationalpark`/`national` can meet.
const COGNATE_MIN_LEN: usize = 5;
/// Length of the cognate key.
const COGNATE_PREFIX: usize = 4;

/// A token of one sentence, as its side sees it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Token {
    /// Interned id of the folded form (shared by both languages).
    pub(crate) id: u32,
    /// Interned id of the cognate key, if the word is long enough to have one.
    cognate: Option<u32>,
    /// Whether the token is a word (as opposed to a number or punctuation): only words enter
    /// the learned lexicon.
    pub(crate) is_word: bool,
    /// Whether the token is a run of digits (a number, or part of one).
    pub(crate) is_number: bool,
    /// How informative the token is: rare tokens weigh more (inverse sentence frequency).
    pub(crate) weight: f32,
}

impl Token {
    /// Interned id of the cognate key, if the word is long enough to have one.
    pub(crate) fn cognate(&self) -> Option<u32> {
        self.cognate
    }
}

/// What every token id stands for, whatever the side: its cognate key and whether it is a
/// word (both depend on the form alone).
#[derive(Debug, Default)]
struct Forms {
    /// Per id: the cognate key's id plus one, 0 for none.
    cognate_plus_one: Vec<u32>,
    /// Per id: whether the form is a word.
    is_word: Vec<bool>,
    /// Per id: whether the form is a run of digits.
    is_number: Vec<bool>,
}

/// The bags of one side's sentences (or runs of sentences), stored flat: four bytes per
/// token and a few per bag, since there are millions of both.
#[derive(Clone, Debug)]
pub(crate) struct Bags {
    /// Each bag's distinct token ids in order of first appearance, bag after bag.
    ids: Vec<u32>,
    /// Where each bag ends in `ids`.
    ends: Vec<usize>,
    /// Each bag's total weight.
    totals: Vec<f32>,
    /// Whether each bag holds the same tokens as the bag before it.
    repeats: Vec<bool>,
    /// Per id: the token's weight on this side.
    weights: Arc<Vec<f32>>,
    forms: Arc<Forms>,
}

/// One bag of [`Bags`]: a sentence's (or a run's) tokens, each distinct form once.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Bag<'a> {
    ids: &'a [u32],
    /// Sum of the tokens' weights.
    pub(crate) weight: f32,
    side: &'a Bags,
}

impl<'a> Bag<'a> {
    /// The tokens in order of first appearance.
    pub(crate) fn tokens(&self) -> impl Iterator<Item = Token> + 'a {
        let side = self.side;
        self.ids.iter().map(move |&id| side.token(id))
    }

    /// Number of tokens.
    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether the bag holds the token id.
    pub(crate) fn has(&self, id: u32) -> bool {
        self.ids.contains(&id)
    }

    /// Whether the bag holds a word with this cognate key.
    pub(crate) fn has_cognate(&self, key: u32) -> bool {
        self.tokens().any(|t| t.cognate == Some(key))
    }

    /// The token ids, sorted.
    pub(crate) fn sorted_ids(&self) -> Vec<u32> {
        sorted(self.ids)
    }

    /// The cognate keys of the bag's words, sorted, each once.
    pub(crate) fn sorted_cognates(&self) -> Vec<u32> {
        let mut keys: Vec<u32> = self.tokens().filter_map(|t| t.cognate).collect();
        keys.sort_unstable();
        keys.dedup();
        keys
    }
}

/// A sorted copy of some ids.
fn sorted(ids: &[u32]) -> Vec<u32> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids
}

impl Bags {
    /// Bags given flat: each bag's distinct ids in the order it keeps them, and where each
    /// bag ends.
    fn from_flat(
        mut ids: Vec<u32>,
        ends: Vec<usize>,
        weights: Arc<Vec<f32>>,
        forms: Arc<Forms>,
    ) -> Self {
        ids.shrink_to_fit();
        let mut bags = Bags {
            ids,
            ends,
            totals: Vec::new(),
            repeats: Vec::new(),
            weights,
            forms,
        };
        bags.totals = (0..bags.len())
            .map(|i| {
                bags.slice(i)
                    .iter()
                    .map(|&id| bags.weights[id as usize])
                    .sum()
            })
            .collect();
        bags.repeats = (0..bags.len())
            .map(|i| i > 0 && sorted(bags.slice(i)) == sorted(bags.slice(i - 1)))
            .collect();
        bags
    }

    fn slice(&self, i: usize) -> &[u32] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.ids[start..self.ends[i]]
    }

    /// Number of bags.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Bag `i`.
    pub(crate) fn get(&self, i: usize) -> Bag<'_> {
        Bag {
            ids: self.slice(i),
            weight: self.totals[i],
            side: self,
        }
    }

    /// The bags in order.
    #[cfg(test)]
    pub(crate) fn iter(&self) -> impl Iterator<Item = Bag<'_>> {
        (0..self.len()).map(|i| self.get(i))
    }

    /// Whether bag `i` holds the same tokens as bag `i - 1`.
    pub(crate) fn repeats(&self, i: usize) -> bool {
        self.repeats[i]
    }

    fn token(&self, id: u32) -> Token {
        let k = id as usize;
        Token {
            id,
            cognate: self.forms.cognate_plus_one[k].checked_sub(1),
            is_word: self.forms.is_word[k],
            is_number: self.forms.is_number[k],
            weight: self.weights[k],
        }
    }
}

/// Interns folded token forms, shared by both sides so that equal forms get equal ids.
#[derive(Default)]
pub(crate) struct Vocab {
    ids: HashMap<String, u32>,
    forms: Forms,
}

impl Vocab {
    /// The id of a form, interned now if new (with its cognate key when it is a long word).
    fn id(&mut self, form: &str, is_word: bool) -> u32 {
        if let Some(&id) = self.ids.get(form) {
            return id;
        }
        let id = self.intern(form, false);
        if is_word && form.chars().count() >= COGNATE_MIN_LEN {
            let key: String = form.chars().take(COGNATE_PREFIX).collect();
            let key = format!("~{key}");
            let key_id = match self.ids.get(&key) {
                Some(&k) => k,
                None => self.intern(&key, false),
            };
            self.forms.cognate_plus_one[id as usize] = key_id + 1;
        }
        self.forms.is_word[id as usize] = is_word;
        id
    }

    fn intern(&mut self, form: &str, is_word: bool) -> u32 {
        let id = self.ids.len() as u32;
        self.ids.insert(form.to_owned(), id);
        self.forms.cognate_plus_one.push(0);
        self.forms.is_word.push(is_word);
        self.forms
            .is_number
            .push(form.starts_with(|c: char| c.is_ascii_digit()));
        id
    }

    /// The id of a form if it has been seen.
    pub(crate) fn get(&self, form: &str) -> Option<u32> {
        self.ids.get(form).copied()
    }

    /// Number of ids given out.
    fn len(&self) -> usize {
        self.ids.len()
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
pub(crate) fn bags(src: &[&str], tgt: &[&str]) -> (Bags, Bags, Vocab) {
    let mut vocab = Vocab::default();
    let src = side_ids(src, &mut vocab);
    let tgt = side_ids(tgt, &mut vocab);
    // The forms' table moves to the bags; the vocabulary keeps the forms' ids.
    let forms = Arc::new(std::mem::take(&mut vocab.forms));
    let src = side_bags(src, vocab.len(), &forms);
    let tgt = side_bags(tgt, vocab.len(), &forms);
    (src, tgt, vocab)
}

/// Sentences split into pieces at a time (their strings take ~1 kB a sentence).
const PIECES_AT_ONCE: usize = 8192;

/// Each sentence's distinct token ids in order of first appearance, flat, with where each
/// sentence ends.
fn side_ids(sentences: &[&str], vocab: &mut Vocab) -> (Vec<u32>, Vec<usize>) {
    let (mut ids, mut ends) = (Vec::new(), Vec::with_capacity(sentences.len()));
    // Folding and splitting run in parallel; interning needs the one vocabulary. Both go a
    // slice of sentences at a time, so that the pieces' strings are held for that slice only.
    for slice in sentences.chunks(PIECES_AT_ONCE) {
        let pieces: Vec<Vec<(String, bool)>> = slice.par_iter().map(|s| pieces(s)).collect();
        for sentence in pieces {
            let start = ids.len();
            for (form, is_word) in sentence {
                let id = vocab.id(&form, is_word);
                if !ids[start..].contains(&id) {
                    ids.push(id);
                }
            }
            ends.push(ids.len());
        }
    }
    // Growing by doubling may have left up to half the capacity unused.
    ids.shrink_to_fit();
    (ids, ends)
}

/// One side's bags from its sentences' ids, each token weighed by its inverse sentence
/// frequency on this side.
fn side_bags((ids, ends): (Vec<u32>, Vec<usize>), vocab_len: usize, forms: &Arc<Forms>) -> Bags {
    let mut df = vec![0u32; vocab_len];
    for &id in &ids {
        df[id as usize] += 1;
    }
    let n = ends.len() as f32;
    let weights: Vec<f32> = df
        .iter()
        .map(|&d| ((n + 1.0) / d.max(1) as f32).ln().max(0.05))
        .collect();
    Bags::from_flat(ids, ends, Arc::new(weights), Arc::clone(forms))
}

/// How many tokens a run of sentences keeps at a coarse level: its rarest ones, which are
/// the telling ones, so that comparing runs costs no more than comparing sentences.
const RUN_TOKENS: usize = 24;

/// Runs merged at a time (in parallel) by [`merge_runs`].
const RUNS_AT_ONCE: usize = 4096;

/// Bags of runs of `scale` consecutive bags: each distinct token once, the [`RUN_TOKENS`]
/// heaviest kept, heaviest first.
pub(crate) fn merge_runs(bags: &Bags, scale: usize) -> Bags {
    let scale = scale.max(1);
    let runs = bags.len().div_ceil(scale);
    let (mut ids, mut ends) = (Vec::new(), Vec::with_capacity(runs));
    for first in (0..runs).step_by(RUNS_AT_ONCE) {
        let lists: Vec<Vec<u32>> = (first..(first + RUNS_AT_ONCE).min(runs))
            .into_par_iter()
            .map(|r| heaviest_of_run(bags, r * scale..((r + 1) * scale).min(bags.len())))
            .collect();
        for list in lists {
            ids.extend_from_slice(&list);
            ends.push(ids.len());
        }
    }
    Bags::from_flat(
        ids,
        ends,
        Arc::clone(&bags.weights),
        Arc::clone(&bags.forms),
    )
}

/// The distinct tokens of bags `run`, the [`RUN_TOKENS`] heaviest, heaviest first (equal
/// weights by id).
fn heaviest_of_run(bags: &Bags, run: Range<usize>) -> Vec<u32> {
    let mut ids: Vec<u32> = run.flat_map(|i| bags.slice(i).iter().copied()).collect();
    ids.sort_unstable();
    ids.dedup();
    let weight = |id: &u32| bags.weights[*id as usize];
    ids.sort_by(|a, b| weight(b).total_cmp(&weight(a)));
    ids.truncate(RUN_TOKENS);
    ids
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
        let tokens: Vec<Token> = src.get(0).tokens().collect();
        let everest = tokens[3];
        assert!(tgt.get(0).has(everest.id));
        let die = tokens[0];
        assert!(everest.weight > die.weight);
        let expedition = tokens[1];
        assert!(tgt.get(0).has_cognate(expedition.cognate().unwrap()));
        // Duplicates count once.
        assert_eq!(src.get(1).len(), 2);
        assert!(src.repeats(2) && !src.repeats(1));
        assert_eq!(src.get(1).weight, src.get(2).weight);
    }

    #[test]
    fn runs_keep_their_heaviest_tokens_once() {
        let (src, _, _) = bags(
            &[
                "Gipfel und Tal.",
                "Gipfel am Everest.",
                "Tal und Hütte.",
                "Nebel.",
            ],
            &["Sommet."],
        );
        let runs = merge_runs(&src, 2);
        assert_eq!(runs.len(), 2);
        let first: Vec<Token> = runs.get(0).tokens().collect();
        // gipfel, und, tal, am, everest: each once, heaviest first.
        assert_eq!(first.len(), 5);
        assert!(first.windows(2).all(|w| w[0].weight >= w[1].weight));
        let sum: f32 = first.iter().map(|t| t.weight).sum();
        assert_eq!(runs.get(0).weight, sum);
        assert_eq!(runs.get(1).sorted_ids().len(), 4);
    }
}
