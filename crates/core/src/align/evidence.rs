//! Lexical evidence that two runs of sentences translate each other: shared tokens (names,
//! numbers, punctuation, identical words with accents folded), cognates, and linked words of
//! the lexicon. Sentence-pair overlaps are computed once for the cells of the search band and
//! summed per bead, so pricing a bead costs at most nine look-ups.

use std::ops::Range;

use rayon::prelude::*;

use super::dp::Band;
use super::lexicon::Lexicon;
use super::tokens::{Bag, Bags, Token};

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

/// Overlaps of the sentence pairs that beads ending in a few rows of a band can contain:
/// a window over the band's rows that [`PairTable::prepare`] moves down, so that memory
/// grows with the window, not with the text.
pub(crate) struct PairTable<'a> {
    src: &'a Bags,
    tgt: &'a Bags,
    band: &'a Band,
    lexicon: &'a Lexicon,
    weights: MatchWeights,
    /// The source units whose overlaps are stored.
    units: Range<usize>,
    /// For each stored unit: the first target unit stored.
    first: Vec<usize>,
    /// For each stored unit: where its overlaps start in `cells` (and one past the last).
    offsets: Vec<usize>,
    cells: Vec<Overlap>,
}

/// Longest run of sentences a bead may hold on one side (the longest side of
/// [`super::dp::SHAPES`] and of the encoder's 1-4 beads).
pub(crate) const MAX_RUN: usize = 4;

impl<'a> PairTable<'a> {
    /// A table for beads ending in `band`, holding nothing until [`PairTable::prepare`].
    pub(crate) fn new(
        src: &'a Bags,
        tgt: &'a Bags,
        band: &'a Band,
        lexicon: &'a Lexicon,
        weights: MatchWeights,
    ) -> Self {
        PairTable {
            src,
            tgt,
            band,
            lexicon,
            weights,
            units: 0..0,
            first: Vec::new(),
            offsets: vec![0],
            cells: Vec::new(),
        }
    }

    /// Holds the overlaps that beads ending in band rows `rows` need (rows come in order),
    /// dropping those of earlier rows.
    pub(crate) fn prepare(&mut self, rows: Range<usize>) {
        let n = self.src.len();
        let keep_from = rows.start.saturating_sub(MAX_RUN).min(n);
        let end = rows.end.saturating_sub(1).min(n);
        self.drop_units_before(keep_from);
        let start = self.units.end.max(keep_from);
        if start < end {
            self.compute_units(start..end);
        }
    }

    /// Forgets the overlaps of source units before `unit`.
    fn drop_units_before(&mut self, unit: usize) {
        if unit >= self.units.end {
            self.units = unit..unit;
            self.first.clear();
            self.offsets = vec![0];
            self.cells.clear();
            return;
        }
        let k = unit.saturating_sub(self.units.start);
        let base = self.offsets[k];
        self.cells.drain(..base);
        self.first.drain(..k);
        self.offsets.drain(..k);
        self.offsets.iter_mut().for_each(|o| *o -= base);
        self.units.start += k;
    }

    /// Computes and appends the overlaps of source units `units` (which follow the stored
    /// ones), their rows in parallel.
    fn compute_units(&mut self, units: Range<usize>) {
        let ranges: Vec<(usize, usize)> = units
            .clone()
            .map(|i| target_range(self.band, i, self.src.len(), self.tgt.len()))
            .collect();
        let columns = ranges.iter().map(|r| r.0).min().unwrap_or(0)
            ..ranges.iter().map(|r| r.1).max().unwrap_or(0);
        let lexicon = self.lexicon;
        let (src, tgt, weights) = (self.src, self.tgt, self.weights);
        let targets: Vec<Prepared> = columns
            .clone()
            .into_par_iter()
            .map(|j| Prepared::new(tgt.get(j), |id| lexicon.sources(id)))
            .collect();
        let before = self.cells.len();
        let mut total = before;
        for &(lo, hi) in &ranges {
            total += hi - lo;
            self.offsets.push(total);
        }
        self.first.extend(ranges.iter().map(|r| r.0));
        self.cells.resize(total, Overlap::default());
        let mut rows: Vec<&mut [Overlap]> = Vec::with_capacity(ranges.len());
        let mut rest = &mut self.cells[before..];
        for &(lo, hi) in &ranges {
            let (row, tail) = rest.split_at_mut(hi - lo);
            rows.push(row);
            rest = tail;
        }
        rows.into_par_iter()
            .zip(ranges.par_iter())
            .zip(units.clone().into_par_iter())
            .for_each(|((row, &(lo, _)), i)| {
                let mut scratch = Vec::new();
                let source = Prepared::new(src.get(i), |id| lexicon.targets(id));
                for (j, cell) in (lo..).zip(row.iter_mut()) {
                    let target = &targets[j - columns.start];
                    *cell = fast_overlap(&source, target, weights, &mut scratch);
                }
            });
        self.units.end = units.end;
    }

    fn get(&self, i: usize, j: usize) -> Overlap {
        let Some(u) = i
            .checked_sub(self.units.start)
            .filter(|&u| u < self.first.len())
        else {
            debug_assert!(false, "source unit {i} outside the prepared rows");
            return Overlap::default();
        };
        let k = self.offsets[u] + j.wrapping_sub(self.first[u]);
        if j >= self.first[u] && k < self.offsets[u + 1] {
            self.cells[k]
        } else {
            Overlap::default()
        }
    }

    /// Share (0 to 1) of the two runs' token weight that is matched on the other side, or
    /// `None` when neither run holds any token; the bead must end in the prepared rows.
    pub(crate) fn similarity(&self, i0: usize, i1: usize, j0: usize, j1: usize) -> Option<f32> {
        combine(self.src, self.tgt, (i0, i1, j0, j1), |i, j| self.get(i, j))
    }

    /// [`PairTable::similarity`] for a bead anywhere in the band, computed afresh (the same
    /// number the prepared rows give).
    pub(crate) fn similarity_anywhere(
        &self,
        i0: usize,
        i1: usize,
        j0: usize,
        j1: usize,
    ) -> Option<f32> {
        let (n, m) = (self.src.len(), self.tgt.len());
        let lexicon = self.lexicon;
        combine(self.src, self.tgt, (i0, i1, j0, j1), |i, j| {
            let (lo, hi) = target_range(self.band, i, n, m);
            if !(lo..hi).contains(&j) {
                return Overlap::default();
            }
            let s = Prepared::new(self.src.get(i), |id| lexicon.targets(id));
            let t = Prepared::new(self.tgt.get(j), |id| lexicon.sources(id));
            fast_overlap(&s, &t, self.weights, &mut Vec::new())
        })
    }
}

/// The target units `lo..hi` that source unit `i` (of `n`) can share a bead with when the
/// bead ends inside `band` (target length `m`).
fn target_range(band: &Band, i: usize, n: usize, m: usize) -> (usize, usize) {
    let lo = band.lo[i + 1].saturating_sub(MAX_RUN);
    let hi = band.hi[(i + MAX_RUN).min(n)].min(m);
    (lo, hi.max(lo))
}

/// For each of `n` source units, the target units `lo..hi` it can share a bead with when
/// the bead ends inside `band` (target length `m`).
pub(crate) fn band_ranges(band: &Band, n: usize, m: usize) -> Vec<(usize, usize)> {
    (0..n).map(|i| target_range(band, i, n, m)).collect()
}

/// [`PairTable::similarity`] without a table, for pricing a few beads.
pub(crate) fn similarity(
    src: &Bags,
    tgt: &Bags,
    bead: (usize, usize, usize, usize),
    lexicon: &Lexicon,
    weights: MatchWeights,
) -> Option<f32> {
    combine(src, tgt, bead, |i, j| {
        overlap(src.get(i), tgt.get(j), lexicon, weights)
    })
}

/// Sums the sentence-pair overlaps of a bead, each sentence's matched weight capped at its
/// own weight, into the matched share of the bead's total weight.
fn combine<F>(
    src: &Bags,
    tgt: &Bags,
    (i0, i1, j0, j1): (usize, usize, usize, usize),
    get: F,
) -> Option<f32>
where
    F: Fn(usize, usize) -> Overlap,
{
    let (mut src_matched_total, mut src_total) = (0.0, 0.0);
    let mut tgt_matched = [0.0f32; MAX_RUN];
    for i in i0..i1 {
        let bag = src.get(i);
        let mut src_matched = 0.0;
        let src_repeated = i > i0 && src.repeats(i);
        for (k, j) in (j0..j1).enumerate() {
            let o = get(i, j);
            // A sentence repeated inside the bead matches the same words twice: counting both
            // would make a bead of repeated sentences look better than its 1-1 parts.
            if !(j > j0 && tgt.repeats(j)) {
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
    for j in j0..j1 {
        let weight = tgt.get(j).weight;
        tgt_matched_total += tgt_matched[j - j0].min(weight);
        tgt_total += weight;
    }
    // Each word finds one counterpart: one side cannot match more weight than the other side
    // holds (a sentence whose words all recur in its neighbour is not thereby translated).
    let matched = src_matched_total.min(tgt_total) + tgt_matched_total.min(src_total);
    let total = src_total + tgt_total;
    (total > 0.0).then(|| (matched / total).clamp(0.0, 1.0))
}

/// A bag's look-up keys sorted: each token's own id, then the ids it is linked to in the
/// lexicon, with the token's index and whether the key came from the lexicon.
type Keys = Vec<(u32, u32, bool)>;

/// A bag readied for comparison with many others: its look-up keys, its ids sorted and its
/// cognate keys sorted.
struct Prepared<'b> {
    bag: Bag<'b>,
    keys: Keys,
    ids: Vec<u32>,
    cognates: Vec<u32>,
}

impl<'b> Prepared<'b> {
    /// `links` gives a token's lexicon links towards the other side.
    fn new<'l>(bag: Bag<'b>, links: impl Fn(u32) -> &'l [u32]) -> Self {
        let mut keys: Keys = Vec::with_capacity(bag.len());
        for (k, tok) in bag.tokens().enumerate() {
            keys.push((tok.id, k as u32, false));
            keys.extend(links(tok.id).iter().map(|&l| (l, k as u32, true)));
        }
        keys.sort_unstable();
        Prepared {
            bag,
            keys,
            ids: bag.sorted_ids(),
            cognates: bag.sorted_cognates(),
        }
    }
}

/// [`overlap`] by merging sorted key lists, for the many pairs of a band.
fn fast_overlap(
    s: &Prepared,
    t: &Prepared,
    weights: MatchWeights,
    scratch: &mut Vec<f32>,
) -> Overlap {
    Overlap {
        src: matched_weight(s, t, weights, scratch),
        tgt: matched_weight(t, s, weights, scratch),
    }
}

/// Weight of `bag`'s tokens found in `other` (same form, lexicon link or cognate).
fn matched_weight(
    bag: &Prepared,
    other: &Prepared,
    weights: MatchWeights,
    credit: &mut Vec<f32>,
) -> f32 {
    credit.clear();
    credit.resize(bag.bag.len(), 0.0);
    let (keys, ids) = (&bag.keys, &other.ids);
    let (mut a, mut b) = (0, 0);
    while a < keys.len() && b < ids.len() {
        let (key, k, via_lexicon) = keys[a];
        match key.cmp(&ids[b]) {
            std::cmp::Ordering::Less => a += 1,
            std::cmp::Ordering::Greater => b += 1,
            std::cmp::Ordering::Equal => {
                let c = if via_lexicon { weights.lexicon } else { 1.0 };
                credit[k as usize] = credit[k as usize].max(c);
                a += 1;
            }
        }
    }
    let has_cognate = |g: u32| other.cognates.binary_search(&g).is_ok();
    bag.bag
        .tokens()
        .zip(credit.iter())
        .map(|(tok, &c)| {
            let c = if c < weights.cognate && tok.cognate().is_some_and(has_cognate) {
                weights.cognate
            } else {
                c
            };
            tok.weight * c
        })
        .sum()
}

/// Matched weight of `s` in `t` and of `t` in `s`.
fn overlap(s: Bag, t: Bag, lexicon: &Lexicon, weights: MatchWeights) -> Overlap {
    let src = s
        .tokens()
        .map(|tok| tok.weight * credit(&tok, t, lexicon.targets(tok.id), weights))
        .sum();
    let tgt = t
        .tokens()
        .map(|tok| tok.weight * credit(&tok, s, lexicon.sources(tok.id), weights))
        .sum();
    Overlap { src, tgt }
}

/// How well `tok` is matched in `other`: 1 for the same form, less for a lexicon or cognate
/// match, 0 for none.
fn credit(tok: &Token, other: Bag, links: &[u32], weights: MatchWeights) -> f32 {
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

    /// Cognates and lexicon links at their default credits.
    const WEIGHTS: MatchWeights = MatchWeights {
        cognate: 0.5,
        lexicon: 0.8,
    };

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

        let lexicon = Lexicon::default();
        let mut table = PairTable::new(&s, &t, &band, &lexicon, WEIGHTS);
        table.prepare(0..3);
        let right = table.similarity(0, 1, 0, 1).unwrap();
        let wrong = table.similarity(0, 1, 1, 2).unwrap();
        assert!(right > 0.2 && wrong < 0.05, "{right} {wrong}");
        let merged = table.similarity(0, 2, 0, 1).unwrap();
        let direct = similarity(&s, &t, (0, 2, 0, 1), &lexicon, WEIGHTS).unwrap();
        assert!((merged - direct).abs() < 1e-6);
        assert!(merged < right);
    }

    #[test]
    fn repeated_sentences_do_not_count_their_matches_twice() {
        let title = ("Der Piz Buin im Winter", "Le Piz Buin en hiver");
        let (s, t, _) = bags(&[title.0, title.0], &[title.1, title.1]);

        let band = Band::full(2, 2);
        let lexicon = Lexicon::default();
        let mut table = PairTable::new(&s, &t, &band, &lexicon, WEIGHTS);
        table.prepare(0..3);
        let one = table.similarity(0, 1, 0, 1).unwrap();
        let both = table.similarity(0, 2, 0, 2).unwrap();
        assert!(one > 0.1 && one < 0.9, "{one}");
        assert!((both - one).abs() < 1e-6, "{both} {one}");
    }

    #[test]
    fn a_window_moved_down_the_band_gives_the_overlaps_of_the_whole_table() {
        let words = [
            "Gipfel Hütte",
            "Everest 1953",
            "Tenzing Hillary",
            "Nebel Regen",
            "Lhotse",
        ];
        let src: Vec<String> = (0..40).map(|i| format!("{} {i}", words[i % 5])).collect();
        let src: Vec<&str> = src.iter().map(String::as_str).collect();
        let (s, t, _) = bags(&src, &src);
        let diagonal: Vec<_> = (0..=40).map(|k| (k, k)).collect();
        let band = Band::around(&diagonal, 40, 40, 2);

        let lexicon = Lexicon::default();
        let mut whole = PairTable::new(&s, &t, &band, &lexicon, WEIGHTS);
        whole.prepare(0..41);
        let mut window = PairTable::new(&s, &t, &band, &lexicon, WEIGHTS);
        for start in (0..41).step_by(5) {
            let rows = start..(start + 5).min(41);
            window.prepare(rows.clone());
            assert!(window.cells.len() < whole.cells.len() / 2);
            for i1 in rows {
                for (a, b) in [(1, 1), (2, 1), (1, 3), (3, 2)] {
                    let j1 = i1.min(band.hi[i1]);
                    if a > i1 || b > j1 || j1 - b < band.lo[i1 - a] {
                        continue;
                    }
                    let bead = (i1 - a, i1, j1 - b, j1);
                    let got = window.similarity(bead.0, bead.1, bead.2, bead.3);
                    let all = whole.similarity(bead.0, bead.1, bead.2, bead.3);
                    let fresh = window.similarity_anywhere(bead.0, bead.1, bead.2, bead.3);
                    assert_eq!(got, all, "{bead:?}");
                    assert_eq!(fresh, all, "{bead:?}");
                }
            }
        }
        assert!(whole.similarity(3, 4, 3, 4).unwrap() > 0.9);
    }
}
