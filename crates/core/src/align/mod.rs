//! Align: pairs blocks, then sentences inside aligned blocks, into beads.
//!
//! The sentence aligner needs no model: it scores candidate beads from evidence the two texts
//! carry (sentence lengths, Gale-Church style) and finds the cheapest monotone path of beads
//! with a dynamic programme. Long texts are aligned coarse to fine: the texts are first
//! aligned as runs of 2, 4, 8 … sentences, and each finer level searches only a band around
//! the coarser path, widened and retried when the path runs along the band's edge. Time and
//! memory therefore grow linearly with the texts' length.

mod dp;
pub mod format;
mod length;

use crate::Bead;
use dp::{Band, Step};
use length::LengthModel;

/// Settings of the sentence aligner. The default needs no model and no dictionary.
#[derive(Clone, Debug)]
pub struct AlignOptions {
    /// Gale and Church's variance of target length per source character.
    pub length_variance: f64,
    /// Cost of leaving one sentence unpaired (a 1-0 or 0-1 bead), in nats.
    pub skip_cost: f64,
    /// Half-width of the search band around the coarser level's path, in sentences; it is
    /// doubled (up to `max_band`) while the best path runs along the band's edge.
    pub band: usize,
    /// Largest half-width the band may be widened to.
    pub max_band: usize,
    /// Texts whose grid has at most this many cells are aligned in one full search.
    pub full_search_cells: usize,
}

impl Default for AlignOptions {
    fn default() -> Self {
        AlignOptions {
            length_variance: 6.8,
            skip_cost: 5.0,
            band: 8,
            max_band: 512,
            full_search_cells: 1 << 20,
        }
    }
}

/// Aligns two texts given as one sentence per item. Returns beads in order that cover every
/// sentence of both sides exactly once; each bead holds up to three sentences a side, and its
/// `score` (0 to 1) says how well its two sides fit.
pub fn align_texts(src: &[&str], tgt: &[&str], opts: &AlignOptions) -> Vec<Bead> {
    let pair = TextPair::new(src, tgt, opts);
    if src.is_empty() || tgt.is_empty() {
        return unpaired(src.len(), tgt.len());
    }
    let steps = solve(&pair, 1, opts);
    steps
        .into_iter()
        .map(|s| Bead::new(s.i0..s.i1, s.j0..s.j1, pair.score(s.i0, s.i1, s.j0, s.j1)))
        .collect()
}

/// All sentences of a text facing an empty one: one 1-0 or 0-1 bead each.
fn unpaired(n: usize, m: usize) -> Vec<Bead> {
    let src = (0..n).map(|i| Bead::new(i..i + 1, 0..0, 0.0));
    let tgt = (0..m).map(|j| Bead::new(n..n, j..j + 1, 0.0));
    src.chain(tgt).collect()
}

/// What the aligner knows about the two texts.
struct TextPair {
    /// Prefix sums of sentence lengths in characters: `src_chars[i]` = length of `src[..i]`.
    src_chars: Vec<u64>,
    tgt_chars: Vec<u64>,
    length: LengthModel,
    skip_cost: f64,
}

impl TextPair {
    fn new(src: &[&str], tgt: &[&str], opts: &AlignOptions) -> Self {
        let src_chars = prefix_lengths(src);
        let tgt_chars = prefix_lengths(tgt);
        let length = LengthModel::from_totals(
            *src_chars.last().unwrap_or(&0),
            *tgt_chars.last().unwrap_or(&0),
            opts.length_variance,
        );
        TextPair {
            src_chars,
            tgt_chars,
            length,
            skip_cost: opts.skip_cost,
        }
    }

    fn n(&self) -> usize {
        self.src_chars.len() - 1
    }

    fn m(&self) -> usize {
        self.tgt_chars.len() - 1
    }

    /// Cost of a bead over sentences `i0..i1` and `j0..j1`.
    fn cost(&self, i0: usize, i1: usize, j0: usize, j1: usize) -> f64 {
        let (a, b) = (i1 - i0, j1 - j0);
        if a == 0 || b == 0 {
            return self.skip_cost * (a + b) as f64;
        }
        let src_len = self.src_chars[i1] - self.src_chars[i0];
        let tgt_len = self.tgt_chars[j1] - self.tgt_chars[j0];
        shape_cost(a, b) + self.length.cost(src_len, tgt_len)
    }

    /// A bead's fit as a number from 0 to 1.
    fn score(&self, i0: usize, i1: usize, j0: usize, j1: usize) -> f32 {
        if i0 == i1 || j0 == j1 {
            return 0.0;
        }
        let src_len = self.src_chars[i1] - self.src_chars[i0];
        let tgt_len = self.tgt_chars[j1] - self.tgt_chars[j0];
        let cost = self.length.cost(src_len, tgt_len);
        ((-cost / 4.0).exp() as f32).clamp(0.0, 1.0)
    }
}

fn prefix_lengths(sentences: &[&str]) -> Vec<u64> {
    let mut sums = Vec::with_capacity(sentences.len() + 1);
    let mut total = 0u64;
    sums.push(0);
    for s in sentences {
        // One extra character stands for the sentence boundary, so that blank lines still
        // weigh something.
        total += s.trim().chars().count() as u64 + 1;
        sums.push(total);
    }
    sums
}

/// Minus the log prior probability of a bead shape: 1-1 is by far the most common.
fn shape_cost(a: usize, b: usize) -> f64 {
    let p: f64 = match (a.min(b), a.max(b)) {
        (1, 1) => 0.89,
        (1, 2) => 0.045,
        (2, 2) => 0.011,
        (1, 3) => 0.005,
        _ => 0.002,
    };
    -p.ln()
}

/// Aligns the texts seen as runs of `scale` sentences; returns steps in sentence indices.
fn solve(pair: &TextPair, scale: usize, opts: &AlignOptions) -> Vec<Step> {
    let (n, m) = (pair.n(), pair.m());
    let (nu, mu) = (n.div_ceil(scale), m.div_ceil(scale));
    let at = |u: usize, len: usize| (u * scale).min(len);
    let cost = |i0, i1, j0, j1| pair.cost(at(i0, n), at(i1, n), at(j0, m), at(j1, m));
    let steps = if nu.saturating_mul(mu) <= opts.full_search_cells {
        dp::best_path(&Band::full(nu, mu), cost).0
    } else {
        let coarse = solve(pair, scale * 2, opts);
        let corners = corners_at_scale(&coarse, scale, nu, mu);
        search_around(&corners, nu, mu, opts, cost)
    };
    steps
        .into_iter()
        .map(|s| Step {
            i0: at(s.i0, n),
            i1: at(s.i1, n),
            j0: at(s.j0, m),
            j1: at(s.j1, m),
            cost: s.cost,
        })
        .collect()
}

/// The coarse path's corners (in sentences) as units of `scale` sentences.
fn corners_at_scale(coarse: &[Step], scale: usize, nu: usize, mu: usize) -> Vec<(usize, usize)> {
    let mut corners = vec![(0, 0)];
    corners.extend(
        coarse
            .iter()
            .map(|s| ((s.i1 / scale).min(nu), (s.j1 / scale).min(mu))),
    );
    corners.push((nu, mu));
    corners
}

/// Searches a band around `corners`, widening it while the best path runs along its edge.
fn search_around<F>(
    corners: &[(usize, usize)],
    nu: usize,
    mu: usize,
    opts: &AlignOptions,
    cost: F,
) -> Vec<Step>
where
    F: Fn(usize, usize, usize, usize) -> f64,
{
    let mut w = opts.band.max(3);
    loop {
        let band = Band::around(corners, nu, mu, w);
        let (steps, touched) = dp::best_path(&band, &cost);
        if !touched || band.is_full() || w >= opts.max_band {
            return steps;
        }
        w *= 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_cover(beads: &[Bead], n: usize, m: usize) {
        let (mut i, mut j) = (0, 0);
        for b in beads {
            assert_eq!(
                (b.src.start, b.tgt.start),
                (i, j),
                "gap or overlap at {b:?}"
            );
            let (a, c) = b.shape();
            assert!(a + c > 0 && a <= 3 && c <= 3, "bad shape {b:?}");
            assert!((0.0..=1.0).contains(&b.score));
            i = b.src.end;
            j = b.tgt.end;
        }
        assert_eq!((i, j), (n, m));
    }

    #[test]
    fn pairs_sentences_of_matching_lengths() {
        let src = [
            "Een korte zin.",
            "Een veel langere zin met heel wat meer woorden erin dan de eerste.",
            "Kort.",
        ];
        let tgt = [
            "Une phrase courte.",
            "Une phrase beaucoup plus longue avec bien plus de mots que la premiere.",
            "Bref.",
        ];
        let beads = align_texts(&src, &tgt, &AlignOptions::default());
        check_cover(&beads, 3, 3);
        assert!(beads.iter().all(|b| b.shape() == (1, 1)));
    }

    #[test]
    fn empty_sides_give_unpaired_beads() {
        let beads = align_texts(&["a", "b"], &[], &AlignOptions::default());
        assert_eq!(beads.len(), 2);
        check_cover(&beads, 2, 0);
        let beads = align_texts(&[], &[], &AlignOptions::default());
        assert!(beads.is_empty());
    }

    #[test]
    fn long_texts_go_through_the_banded_levels() {
        let words = ["alpha", "beta gamma", "delta epsilon zeta eta", "theta"];
        let src: Vec<String> = (0..3000).map(|i| words[i % 4].repeat(1 + i % 7)).collect();
        let src: Vec<&str> = src.iter().map(String::as_str).collect();
        let opts = AlignOptions {
            full_search_cells: 10_000,
            ..AlignOptions::default()
        };
        let beads = align_texts(&src, &src, &opts);
        check_cover(&beads, 3000, 3000);
        assert!(beads.iter().all(|b| b.shape() == (1, 1)));
    }
}
