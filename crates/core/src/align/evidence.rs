//! Lexical evidence that two runs of sentences translate each other: shared tokens (names,
//! numbers, punctuation, identical words with accents folded), cognates, and linked words of
//! the lexicon. Sentence-pair overlaps are computed once for the cells of the search band and
//! summed per bead, so pricing a bead costs at most nine look-ups.

use rayon::prelude::*;

use super::dp::Band;
use super::lexicon::Lexicon;
use super::tokens::{Bag, Token};

/// What counts as a match between tokens of the two sides.
#[derive(Clone, Copy, Debug)]
pub(crate) struct MatchWeights {
    /// Credit for a word matched only through its cognate key (0 to 1).
    pub(crate) cognate: f32,
    /// Credit for a word matched through the lexicon (0 to 1).
    pub(crate) lexicon: f32,
}

/// How much of sentence `i`'s weight is matched in target sentence `j`, and the reverse.
#[derive(Clone, Copy, Debug, Default)]
struct Overlap {
    src: f32,
    tgt: f32,
}

/// Overlaps of the sentence pairs a band's beads can contain.
pub(crate) struct PairTable<'a> {
    src: &'a [Bag],
    tgt: &'a [Bag],
    /// For source sentence `i`: first target sentence stored.
    first: Vec<usize>,
    /// For source sentence `i`: where its overlaps start in `cells`.
    offsets: Vec<usize>,
    cells: Vec<Overlap>,
}

/// Longest run of sentences a bead may hold on one side.
const MAX_RUN: usize = 4;

impl<'a> PairTable<'a> {
    /// Computes the overlaps of every sentence pair that a bead ending in `band` may contain.
    pub(crate) fn new(
        src: &'a [Bag],
        tgt: &'a [Bag],
        band: &Band,
        lexicon: &Lexicon,
        weights: MatchWeights,
    ) -> Self {
        let ranges = band_ranges(band, src.len(), tgt.len());
        let mut offsets = Vec::with_capacity(src.len() + 1);
        let mut total = 0;
        for &(lo, hi) in &ranges {
            offsets.push(total);
            total += hi - lo;
        }
        offsets.push(total);
        let src_keys: Vec<Keys> = src
            .par_iter()
            .map(|b| keys(b, |id| lexicon.targets(id)))
            .collect();
        let tgt_keys: Vec<Keys> = tgt
            .par_iter()
            .map(|b| keys(b, |id| lexicon.sources(id)))
            .collect();
        // Filled in place, row by row: collecting rows and then flattening them held the
        // band's cells twice at the peak.
        let mut cells = vec![Overlap::default(); total];
        let mut rows: Vec<&mut [Overlap]> = Vec::with_capacity(ranges.len());
        let mut rest = cells.as_mut_slice();
        for &(lo, hi) in &ranges {
            let (row, tail) = rest.split_at_mut(hi - lo);
            rows.push(row);
            rest = tail;
        }
        rows.into_par_iter()
            .zip(ranges.par_iter())
            .enumerate()
            .for_each(|(i, (row, &(lo, _)))| {
                let mut scratch = Vec::new();
                for (j, cell) in (lo..).zip(row.iter_mut()) {
                    let s = (&src[i], &src_keys[i]);
                    let t = (&tgt[j], &tgt_keys[j]);
                    *cell = fast_overlap(s, t, weights, &mut scratch);
                }
            });
        PairTable {
            src,
            tgt,
            first: ranges.iter().map(|r| r.0).collect(),
            offsets,
            cells,
        }
    }

    fn get(&self, i: usize, j: usize) -> Overlap {
        let k = self.offsets[i] + j.wrapping_sub(self.first[i]);
        if j >= self.first[i] && k < self.offsets[i + 1] {
            self.cells[k]
        } else {
            Overlap::default()
        }
    }

    /// Share (0 to 1) of the two runs' token weight that is matched on the other side, or
    /// `None` when neither run holds any token.
    pub(crate) fn similarity(&self, i0: usize, i1: usize, j0: usize, j1: usize) -> Option<f32> {
        combine(self.src, self.tgt, (i0, i1, j0, j1), |i, j| self.get(i, j))
    }
}

/// For each of `n` source units, the target units `lo..hi` it can share a bead with when
/// the bead ends inside `band` (target length `m`).
pub(crate) fn band_ranges(band: &Band, n: usize, m: usize) -> Vec<(usize, usize)> {
    (0..n)
        .map(|i| {
            let lo = band.lo[i + 1].saturating_sub(MAX_RUN);
            let hi = band.hi[(i + MAX_RUN).min(n)].min(m);
            (lo, hi.max(lo))
        })
        .collect()
}

/// [`PairTable::similarity`] without a table, for pricing a few beads.
pub(crate) fn similarity(
    src: &[Bag],
    tgt: &[Bag],
    bead: (usize, usize, usize, usize),
    lexicon: &Lexicon,
    weights: MatchWeights,
) -> Option<f32> {
    combine(src, tgt, bead, |i, j| {
        overlap(&src[i], &tgt[j], lexicon, weights)
    })
}

/// Sums the sentence-pair overlaps of a bead, each sentence's matched weight capped at its
/// own weight, into the matched share of the bead's total weight.
fn combine<F>(
    src: &[Bag],
    tgt: &[Bag],
    (i0, i1, j0, j1): (usize, usize, usize, usize),
    get: F,
) -> Option<f32>
where
    F: Fn(usize, usize) -> Overlap,
{
    let (mut src_matched_total, mut src_total) = (0.0, 0.0);
    let mut tgt_matched = [0.0f32; MAX_RUN];
    for (i, bag) in src.iter().enumerate().take(i1).skip(i0) {
        let mut src_matched = 0.0;
        let src_repeated = i > i0 && same_tokens(bag, &src[i - 1]);
        for (k, j) in (j0..j1).enumerate() {
            let o = get(i, j);
            // A sentence repeated inside the bead matches the same words twice: counting both
            // would make a bead of repeated sentences look better than its 1-1 parts.
            if !(j > j0 && same_tokens(&tgt[j], &tgt[j - 1])) {
                src_matched += o.src;
            }
            if !src_repeated {
                tgt_matched[k] += o.tgt;
            }
        }
        src_matched_total += src_matched.min(bag.weight);
        src_total += bag.weight;
    }
    let (mut tgt_matched_total, mut tgt_total) = (0.0, 0.0);
    for (k, bag) in tgt.iter().enumerate().take(j1).skip(j0) {
        tgt_matched_total += tgt_matched[k - j0].min(bag.weight);
        tgt_total += bag.weight;
    }
    // Each word finds one counterpart: one side cannot match more weight than the other side
    // holds (a sentence whose words all recur in its neighbour is not thereby translated).
    let matched = src_matched_total.min(tgt_total) + tgt_matched_total.min(src_total);
    let total = src_total + tgt_total;
    (total > 0.0).then(|| (matched / total).clamp(0.0, 1.0))
}

/// Whether two sentences hold the same tokens.
fn same_tokens(a: &Bag, b: &Bag) -> bool {
    a.ids == b.ids
}

/// A bag's look-up keys sorted: each token's own id, then the ids it is linked to in the
/// lexicon, with the token's index and whether the key came from the lexicon.
type Keys = Vec<(u32, u32, bool)>;

fn keys<'l>(bag: &Bag, links: impl Fn(u32) -> &'l [u32]) -> Keys {
    let mut keys: Keys = Vec::with_capacity(bag.tokens.len());
    for (k, tok) in bag.tokens.iter().enumerate() {
        keys.push((tok.id, k as u32, false));
        keys.extend(links(tok.id).iter().map(|&l| (l, k as u32, true)));
    }
    keys.sort_unstable();
    keys
}

/// [`overlap`] by merging sorted key lists, for the many pairs of a band.
fn fast_overlap(
    s: (&Bag, &Keys),
    t: (&Bag, &Keys),
    weights: MatchWeights,
    scratch: &mut Vec<f32>,
) -> Overlap {
    Overlap {
        src: matched_weight(s, t.0, weights, scratch),
        tgt: matched_weight(t, s.0, weights, scratch),
    }
}

/// Weight of `bag`'s tokens found in `other` (same form, lexicon link or cognate).
fn matched_weight(
    (bag, keys): (&Bag, &Keys),
    other: &Bag,
    weights: MatchWeights,
    credit: &mut Vec<f32>,
) -> f32 {
    credit.clear();
    credit.resize(bag.tokens.len(), 0.0);
    let (mut a, mut b) = (0, 0);
    while a < keys.len() && b < other.ids.len() {
        let (key, k, via_lexicon) = keys[a];
        match key.cmp(&other.ids[b]) {
            std::cmp::Ordering::Less => a += 1,
            std::cmp::Ordering::Greater => b += 1,
            std::cmp::Ordering::Equal => {
                let c = if via_lexicon { weights.lexicon } else { 1.0 };
                credit[k as usize] = credit[k as usize].max(c);
                a += 1;
            }
        }
    }
    bag.tokens
        .iter()
        .zip(credit.iter())
        .map(|(tok, &c)| {
            let c = if c < weights.cognate && tok.cognate().is_some_and(|g| other.has_cognate(g)) {
                weights.cognate
            } else {
                c
            };
            tok.weight * c
        })
        .sum()
}

/// Matched weight of `s` in `t` and of `t` in `s`.
fn overlap(s: &Bag, t: &Bag, lexicon: &Lexicon, weights: MatchWeights) -> Overlap {
    let src = s
        .tokens
        .iter()
        .map(|tok| tok.weight * credit(tok, t, lexicon.targets(tok.id), weights))
        .sum();
    let tgt = t
        .tokens
        .iter()
        .map(|tok| tok.weight * credit(tok, s, lexicon.sources(tok.id), weights))
        .sum();
    Overlap { src, tgt }
}

/// How well `tok` is matched in `other`: 1 for the same form, less for a lexicon or cognate
/// match, 0 for none.
fn credit(tok: &Token, other: &Bag, links: &[u32], weights: MatchWeights) -> f32 {
    if other.has(tok.id) {
        1.0
    } else if links.iter().any(|&l| other.has(l)) {
        weights.lexicon
    } else if tok.cognate().is_some_and(|c| other.has_cognate(c)) {
        weights.cognate
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::super::tokens::bags;
    use super::*;

    #[test]
    fn translations_overlap_more_than_strangers() {
        let (s, t, _) = bags(
            &[
                "Am 3. August erreichten Hillary und Tenzing den Gipfel.",
                "Es regnete.",
            ],
            &[
                "Le 3 août, Hillary et Tenzing atteignirent le sommet.",
                "Il pleuvait.",
            ],
        );
        let band = Band::full(2, 2);
        let weights = MatchWeights {
            cognate: 0.5,
            lexicon: 0.8,
        };
        let table = PairTable::new(&s, &t, &band, &Lexicon::default(), weights);
        let right = table.similarity(0, 1, 0, 1).unwrap();
        let wrong = table.similarity(0, 1, 1, 2).unwrap();
        assert!(right > 0.2 && wrong < 0.05, "{right} {wrong}");
        let merged = table.similarity(0, 2, 0, 1).unwrap();
        let direct = similarity(&s, &t, (0, 2, 0, 1), &Lexicon::default(), weights).unwrap();
        assert!((merged - direct).abs() < 1e-6);
        assert!(merged < right);
    }

    #[test]
    fn repeated_sentences_do_not_count_their_matches_twice() {
        let title = ("Der Piz Buin im Winter", "Le Piz Buin en hiver");
        let (s, t, _) = bags(&[title.0, title.0], &[title.1, title.1]);
        let weights = MatchWeights {
            cognate: 0.5,
            lexicon: 0.8,
        };
        let table = PairTable::new(&s, &t, &Band::full(2, 2), &Lexicon::default(), weights);
        let one = table.similarity(0, 1, 0, 1).unwrap();
        let both = table.similarity(0, 2, 0, 2).unwrap();
        assert!(one > 0.1 && one < 0.9, "{one}");
        assert!((both - one).abs() < 1e-6, "{both} {one}");
    }
}
