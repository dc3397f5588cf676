//! The stems nearest to a misspelled word, found through an index of letter trigrams built
//! once per dictionary, so that Hunspell's n-gram suggestions need not scan every stem.
//!
//! Hunspell (and spellbook) make n-gram suggestions by scoring every stem of the dictionary
//! against the word, keeping the best hundred, expanding their affixes and scoring again: on a
//! Dutch dictionary of 180,000 stems that is a tenth of a second per word. Here the stems that
//! share the most trigrams with the word are taken from the index (a few hundred), put in a
//! small dictionary with the same affix rules, and spellbook's own n-gram suggestion runs on
//! that: the same scoring, over the stems that can score well.

use std::collections::HashMap;

use spellbook::Dictionary;

/// How many of the nearest stems the small dictionary holds.
const NEAREST: usize = 1000;

/// A stem's trigrams, as keys: three characters packed into 63 bits.
type Gram = u64;

/// The trigram index of one dictionary's stems.
pub(crate) struct NearStems {
    /// The affix rules with no word: cloned and filled with the nearest stems per word.
    seed: Dictionary,
    /// The `.dic` lines (stem and flags), in file order.
    lines: Vec<String>,
    /// How many distinct trigrams each stem has.
    gram_counts: Vec<u16>,
    /// For each trigram, the stems (indices into `lines`) that have it.
    postings: HashMap<Gram, Vec<u32>>,
}

impl NearStems {
    /// Indexes the stems of a dictionary given as the text of its `.aff` and `.dic` files.
    pub(crate) fn build(aff: &str, dic: &str) -> NearStems {
        let seed = Dictionary::new(aff, "0\n")
            .unwrap_or_else(|_| Dictionary::new("", "0\n").expect("an empty dictionary parses"));
        let lines: Vec<String> = dic
            .lines()
            .skip(1)
            .filter(|l| !stem_of(l).is_empty())
            .map(str::to_owned)
            .collect();
        let mut postings: HashMap<Gram, Vec<u32>> = HashMap::new();
        let mut gram_counts = Vec::with_capacity(lines.len());
        for (i, line) in lines.iter().enumerate() {
            let grams = trigrams(stem_of(line));
            gram_counts.push(u16::try_from(grams.len()).unwrap_or(u16::MAX));
            for g in grams {
                postings.entry(g).or_default().push(i as u32);
            }
        }
        NearStems {
            seed,
            lines,
            gram_counts,
            postings,
        }
    }

    /// Hunspell's n-gram suggestions for `word`, drawn from the stems nearest to it.
    pub(crate) fn suggest(&self, word: &str) -> Vec<String> {
        let mut small = self.seed.clone();
        for i in self.nearest(word, NEAREST) {
            // A line the full dictionary accepted parses here too; one that does not is skipped.
            let _ = small.add(&self.lines[i]);
        }
        let mut out = Vec::new();
        small.suggest(word, &mut out);
        out
    }

    /// The `n` stems most similar to `word` by shared trigrams (Dice coefficient), best first.
    fn nearest(&self, word: &str, n: usize) -> Vec<usize> {
        let grams = trigrams(&word.to_lowercase());
        let mut shared: HashMap<u32, u16> = HashMap::new();
        for g in &grams {
            for &stem in self.postings.get(g).map(Vec::as_slice).unwrap_or_default() {
                *shared.entry(stem).or_default() += 1;
            }
        }
        let total = grams.len() as f32;
        let mut scored: Vec<(f32, u32)> = shared
            .into_iter()
            .map(|(stem, common)| {
                let own = f32::from(self.gram_counts[stem as usize]);
                (2.0 * f32::from(common) / (total + own), stem)
            })
            .collect();
        let by_score = |a: &(f32, u32), b: &(f32, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        if scored.len() > n {
            scored.select_nth_unstable_by(n, by_score);
            scored.truncate(n);
        }
        scored.sort_unstable_by(by_score);
        scored.into_iter().map(|(_, stem)| stem as usize).collect()
    }
}

/// The stem of a `.dic` line: what comes before the flags (`/`) or the morphology (a tab or
/// space).
fn stem_of(line: &str) -> &str {
    line.split(['/', '\t', ' ']).next().unwrap_or("")
}

/// The distinct bigrams and trigrams of a word, lower-cased, with its start and end marked
/// so that the first and last letters count as much as the others.
fn trigrams(word: &str) -> Vec<Gram> {
    let chars: Vec<char> = std::iter::once('\u{2}')
        .chain(word.chars().flat_map(char::to_lowercase))
        .chain(std::iter::once('\u{3}'))
        .collect();
    let pack = |w: &[char]| w.iter().fold(0u64, |key, &c| (key << 21) | u64::from(c));
    let mut grams: Vec<Gram> = chars
        .windows(3)
        .map(pack)
        .chain(chars.windows(2).map(|w| (1 << 62) | pack(w)))
        .collect();
    grams.sort_unstable();
    grams.dedup();
    grams
}

#[cfg(test)]
mod tests {
    use super::*;

    const AFF: &str = "SET UTF-8\nTRY esianrtolcdugmphbyfvkwz\nSFX S Y 1\nSFX S 0 en .\n";
    const DIC: &str = "5\nbespreking/S\nverwezenlijking/S\nwisseling/S\nkasteel\nverslag\n";

    #[test]
    fn nearest_stems_share_the_most_trigrams() {
        let near = NearStems::build(AFF, DIC);
        let nearest = near.nearest("verwesenlijkingen", 2);
        assert_eq!(near.lines[nearest[0]], "verwezenlijking/S");
        assert!(near.nearest("qqqq", 3).is_empty());
    }

    #[test]
    fn suggestions_come_from_the_affixed_forms_of_near_stems() {
        let near = NearStems::build(AFF, DIC);
        let suggestions = near.suggest("verwesenlijkingen");
        assert_eq!(
            suggestions.first().map(String::as_str),
            Some("verwezenlijkingen"),
            "{suggestions:?}"
        );
    }

    #[test]
    fn trigrams_mark_both_ends() {
        assert_eq!(trigrams("ab").len(), 2 + 3);
        assert_eq!(trigrams("Ab"), trigrams("ab"));
    }
}
