//! Semantic evidence from sentence vectors: a bead's two sides are compared as the sums of
//! their sentences' vectors (cosine), so each sentence is encoded once. The dot products of
//! the sentence pairs a band's beads can contain are computed once per band, and those of
//! neighbouring sentences on each side once per text, so pricing a bead costs a few look-ups.
//! Besides Vecalign's global baseline, each unit's local neighbourhood (the mean cosine of
//! its nearest units of the other side within the band) gives a margin (Artetxe and Schwenk
//! 2019): a bead gains from a good cosine only as far as it beats its sides' neighbours.

use std::collections::HashMap;

use rayon::prelude::*;

use super::dp::Band;
use super::encoder::{Embedded, Encoder, DIM};
use super::evidence::{band_ranges, MAX_RUN};

/// The sentence vectors of both texts, [`DIM`] numbers per sentence (zeros for a sentence
/// left unencoded), and the vectors of some runs of several sentences encoded as one text.
pub(crate) struct Vectors {
    pub(crate) src: Vec<f32>,
    pub(crate) tgt: Vec<f32>,
    src_side: Side,
    tgt_side: Side,
}

/// Runs of sentences (`start..end`) of the source and of the target side.
pub(crate) type RunLists = (Vec<(usize, usize)>, Vec<(usize, usize)>);

/// What one side keeps beside its sentence vectors.
#[derive(Default)]
struct Side {
    /// Which sentences were encoded (all when empty).
    known: Vec<bool>,
    /// The encoded sentences' indices, in order, and what encoding runs of them needs.
    rows: Vec<usize>,
    embedded: Option<Embedded>,
    /// Runs encoded as one text.
    runs: HashMap<(usize, usize), Encoded>,
}

impl Side {
    fn is_known(&self, range: std::ops::Range<usize>) -> bool {
        self.known.is_empty() || range.into_iter().all(|i| self.known[i])
    }
}

/// A run of sentences encoded as one text: its unit vector and its baseline (mean of
/// 1 - cosine against the other side's sample).
struct Encoded {
    vector: Box<[f32]>,
    baseline: f32,
}

impl Vectors {
    /// The vectors of the two texts' sentences.
    #[cfg(test)]
    pub(crate) fn new(src: Vec<f32>, tgt: Vec<f32>) -> Self {
        Vectors {
            src,
            tgt,
            src_side: Side::default(),
            tgt_side: Side::default(),
        }
    }

    /// Encodes the sentences `rows` (sorted indices) of each text; the others stay zero.
    pub(crate) fn encode(
        encoder: &Encoder,
        texts: (&[&str], &[&str]),
        rows: (Vec<usize>, Vec<usize>),
    ) -> Self {
        let (src, src_side) = encode_side(encoder, texts.0, rows.0);
        let (tgt, tgt_side) = encode_side(encoder, texts.1, rows.1);
        Vectors {
            src,
            tgt,
            src_side,
            tgt_side,
        }
    }

    /// True when every sentence of source `i0..i1` and target `j0..j1` was encoded.
    pub(crate) fn covers(&self, i0: usize, i1: usize, j0: usize, j1: usize) -> bool {
        self.src_side.is_known(i0..i1) && self.tgt_side.is_known(j0..j1)
    }

    /// Encodes the given runs (`start..end` of several encoded sentences) of each side as
    /// the encoder would their joined text, once each, so that beads over them are compared
    /// by what the encoder makes of the whole text rather than by the sum of its sentences'
    /// vectors.
    pub(crate) fn encode_runs(
        &mut self,
        encoder: &Encoder,
        texts: (&[&str], &[&str]),
        runs: RunLists,
    ) {
        let src_samples = samples(&self.tgt);
        let tgt_samples = samples(&self.src);
        add_runs(encoder, texts.0, runs.0, &src_samples, &mut self.src_side);
        add_runs(encoder, texts.1, runs.1, &tgt_samples, &mut self.tgt_side);
    }

    /// Cosine and baseline of a bead whose sides are each one sentence or an encoded run
    /// (none otherwise); `base` gives a single sentence's baseline per side.
    fn direct(
        &self,
        (i0, i1, j0, j1): (usize, usize, usize, usize),
        base: impl Fn(bool, usize) -> f32,
    ) -> Option<(f32, f32)> {
        let (a, a_base) = side(&self.src, &self.src_side.runs, i0, i1, |i| base(true, i))?;
        let (b, b_base) = side(&self.tgt, &self.tgt_side.runs, j0, j1, |j| base(false, j))?;
        Some((dot(a, b).clamp(-1.0, 1.0), (a_base + b_base) / 2.0))
    }

    /// The vectors of runs of `scale` sentences (sums of their sentences' vectors).
    pub(crate) fn runs(&self, scale: usize) -> (Vec<f32>, Vec<f32>) {
        (sum_runs(&self.src, scale), sum_runs(&self.tgt, scale))
    }

    /// Cosine of the summed vectors of source `i0..i1` and target `j0..j1`.
    pub(crate) fn cosine(&self, i0: usize, i1: usize, j0: usize, j1: usize) -> f32 {
        let a = sum_rows(&self.src, i0..i1);
        let b = sum_rows(&self.tgt, j0..j1);
        super::encoder::cosine(&a, &b)
    }
}

/// Encodes sentences `rows` of `text`: the text's vectors (zeros elsewhere) and its side.
fn encode_side(encoder: &Encoder, text: &[&str], rows: Vec<usize>) -> (Vec<f32>, Side) {
    let chosen: Vec<&str> = rows.iter().map(|&i| text[i]).collect();
    let embedded = encoder.embed_with_parts(&chosen);
    let mut vectors = vec![0f32; text.len() * DIM];
    let mut known = vec![false; text.len()];
    for (&i, v) in rows.iter().zip(embedded.vectors.chunks_exact(DIM)) {
        vectors[i * DIM..(i + 1) * DIM].copy_from_slice(v);
        known[i] = true;
    }
    let side = Side {
        known,
        rows,
        embedded: Some(embedded),
        runs: HashMap::new(),
    };
    (vectors, side)
}

/// One side of a bead as a unit vector with its baseline: a sentence's own vector, or an
/// encoded run's.
fn side<'a>(
    rows: &'a [f32],
    runs: &'a HashMap<(usize, usize), Encoded>,
    start: usize,
    end: usize,
    base: impl Fn(usize) -> f32,
) -> Option<(&'a [f32], f32)> {
    if end == start + 1 {
        return Some((row(rows, start), base(start)));
    }
    runs.get(&(start, end)).map(|e| (&e.vector[..], e.baseline))
}

/// Encodes the runs not encoded yet whose sentences were all encoded, and stores them with
/// their baselines.
fn add_runs(
    encoder: &Encoder,
    text: &[&str],
    mut runs: Vec<(usize, usize)>,
    samples: &[Vec<f32>],
    side: &mut Side,
) {
    let Some(embedded) = &side.embedded else {
        return;
    };
    runs.retain(|&(a, b)| {
        b > a + 1 && b <= text.len() && !side.runs.contains_key(&(a, b)) && side.is_known(a..b)
    });
    runs.sort_unstable();
    runs.dedup();
    // Positions of the runs among the encoded sentences (consecutive, as all are encoded).
    let at = |i: usize| side.rows.binary_search(&i).expect("an encoded sentence");
    let local: Vec<_> = runs.iter().map(|&(a, b)| at(a)..at(a) + (b - a)).collect();
    let texts: Vec<&str> = side.rows.iter().map(|&i| text[i]).collect();
    let vectors = encoder.run_vectors(&texts, embedded, &local);
    for (run, v) in runs.into_iter().zip(vectors.chunks_exact(DIM)) {
        let baseline = mean_distance(v, samples);
        side.runs.insert(
            run,
            Encoded {
                vector: v.into(),
                baseline,
            },
        );
    }
}

/// Mean of 1 - cosine between unit vector `v` and the unit `samples`.
fn mean_distance(v: &[f32], samples: &[Vec<f32>]) -> f32 {
    if samples.is_empty() {
        return 1.0;
    }
    let total: f32 = samples.iter().map(|s| 1.0 - dot(v, s)).sum();
    total / samples.len() as f32
}

/// The [`SAMPLES`] sentences of a text of `m` sentences, spread evenly over it, that the
/// other text's sentences are compared with for their baselines (so they must be encoded).
pub(crate) fn sample_rows(m: usize) -> Vec<usize> {
    let count = SAMPLES.min(m);
    (0..count).map(|k| (2 * k + 1) * m / (2 * count)).collect()
}

/// The [`sample_rows`] of `other`, scaled to unit length.
fn samples(other: &[f32]) -> Vec<Vec<f32>> {
    sample_rows(other.len() / DIM)
        .into_iter()
        .map(|i| {
            let r = row(other, i);
            let len = dot(r, r).sqrt().max(f32::MIN_POSITIVE);
            r.iter().map(|x| x / len).collect()
        })
        .collect()
}

fn sum_rows(vectors: &[f32], rows: std::ops::Range<usize>) -> Vec<f32> {
    let mut sum = vec![0f32; DIM];
    for r in rows {
        let v = &vectors[r * DIM..(r + 1) * DIM];
        sum.iter_mut().zip(v).for_each(|(s, x)| *s += x);
    }
    sum
}

fn sum_runs(vectors: &[f32], scale: usize) -> Vec<f32> {
    if scale == 1 {
        return vectors.to_vec();
    }
    let n = vectors.len() / DIM;
    (0..n.div_ceil(scale))
        .flat_map(|u| sum_rows(vectors, u * scale..((u + 1) * scale).min(n)))
        .collect()
}

/// Row `i` of a matrix of [`DIM`]-long rows.
fn row(v: &[f32], i: usize) -> &[f32] {
    &v[i * DIM..(i + 1) * DIM]
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Dot products for pricing the beads of one band.
pub(crate) struct SemanticTable {
    /// For unit `i` and `d` in 0..MAX_RUN: dot of unit `i` with unit `i + d`, per side.
    src_self: Vec<[f32; MAX_RUN]>,
    tgt_self: Vec<[f32; MAX_RUN]>,
    /// For unit `i` and run length `l + 1`: mean of (1 - cosine) between the run starting at
    /// `i` and a sample of the other side's units, per side.
    src_base: Vec<[f32; MAX_RUN]>,
    tgt_base: Vec<[f32; MAX_RUN]>,
    first: Vec<usize>,
    offsets: Vec<usize>,
    cells: Vec<f32>,
    /// Per unit and side: the mean cosine of its nearest units of the other side within the
    /// band (none for a unit without a vector, or without margin scoring).
    src_near: Vec<Option<f32>>,
    tgt_near: Vec<Option<f32>>,
}

impl SemanticTable {
    /// Computes the dot products a band's beads need, for units given as [`DIM`]-long rows,
    /// and each unit's mean cosine to its `neighbours` nearest units of the other side within
    /// the band (none when `neighbours` is 0).
    pub(crate) fn new(src: &[f32], tgt: &[f32], band: &Band, neighbours: usize) -> Self {
        let (n, m) = (src.len() / DIM, tgt.len() / DIM);
        let ranges = band_ranges(band, n, m);
        let mut offsets = Vec::with_capacity(n + 1);
        let mut total = 0;
        for &(lo, hi) in &ranges {
            offsets.push(total);
            total += hi - lo;
        }
        offsets.push(total);
        let cells: Vec<f32> = ranges
            .par_iter()
            .enumerate()
            .flat_map_iter(|(i, &(lo, hi))| (lo..hi).map(move |j| dot(row(src, i), row(tgt, j))))
            .collect();
        let src_self = self_dots(src);
        let tgt_self = self_dots(tgt);
        let mut table = SemanticTable {
            src_base: baselines(src, &src_self, tgt),
            tgt_base: baselines(tgt, &tgt_self, src),
            src_self,
            tgt_self,
            first: ranges.iter().map(|r| r.0).collect(),
            offsets,
            cells,
            src_near: Vec::new(),
            tgt_near: Vec::new(),
        };
        if neighbours > 0 {
            table.src_near = table.nearest_of_sources(neighbours);
            table.tgt_near = table.nearest_of_targets(neighbours);
        }
        table
    }

    /// Cosines of the band's cells of source unit `i`, with their target units, skipping
    /// units without a vector.
    fn row_cosines(&self, i: usize) -> impl Iterator<Item = (usize, f32)> + '_ {
        let src_len = self.src_self[i][0].max(0.0).sqrt();
        let cells = &self.cells[self.offsets[i]..self.offsets[i + 1]];
        cells
            .iter()
            .enumerate()
            .filter(move |_| src_len > 0.0)
            .filter_map(move |(d, &x)| {
                let j = self.first[i] + d;
                let len = src_len * self.tgt_self[j][0].max(0.0).sqrt();
                (len > 0.0).then(|| (j, x / len))
            })
    }

    /// For each source unit, the mean cosine of its `k` nearest target units in the band.
    fn nearest_of_sources(&self, k: usize) -> Vec<Option<f32>> {
        (0..self.first.len())
            .into_par_iter()
            .map(|i| {
                let mut best = Nearest::new(k);
                self.row_cosines(i).for_each(|(_, c)| best.offer(c));
                best.mean()
            })
            .collect()
    }

    /// For each target unit, the mean cosine of its `k` nearest source units in the band.
    fn nearest_of_targets(&self, k: usize) -> Vec<Option<f32>> {
        let mut best: Vec<Nearest> = (0..self.tgt_self.len()).map(|_| Nearest::new(k)).collect();
        for i in 0..self.first.len() {
            self.row_cosines(i).for_each(|(j, c)| best[j].offer(c));
        }
        best.iter().map(Nearest::mean).collect()
    }

    fn get(&self, i: usize, j: usize) -> f32 {
        let k = self.offsets[i] + j.wrapping_sub(self.first[i]);
        if j >= self.first[i] && k < self.offsets[i + 1] {
            self.cells[k]
        } else {
            0.0
        }
    }

    /// Cosine of the summed vectors of source units `i0..i1` and target units `j0..j1`.
    pub(crate) fn cosine(&self, i0: usize, i1: usize, j0: usize, j1: usize) -> f32 {
        let mut cross = 0.0;
        for i in i0..i1 {
            for j in j0..j1 {
                cross += self.get(i, j);
            }
        }
        let denom = run_norm(&self.src_self, i0, i1) * run_norm(&self.tgt_self, j0, j1);
        if denom > 0.0 {
            (cross / denom).clamp(-1.0, 1.0)
        } else {
            0.0
        }
    }
}

impl SemanticTable {
    /// What (1 - cosine) a bead over source units `i0..i1` and target units `j0..j1` would
    /// have between unrelated texts: the mean of both sides' (1 - cosine) against a sample
    /// of the other side (Vecalign's normalisation: sentences close to everything, such as
    /// short titles, do not look like good pairs).
    pub(crate) fn baseline(&self, i0: usize, i1: usize, j0: usize, j1: usize) -> f32 {
        let s = self.src_base[i0][i1 - i0 - 1];
        let t = self.tgt_base[j0][j1 - j0 - 1];
        ((s + t) / 2.0).max(MIN_BASELINE)
    }

    /// The semantic distance of a bead: 1 - cosine, divided by its [`Self::baseline`] when
    /// `baseline` is set, times its [`Self::margin`].
    pub(crate) fn distance(
        &self,
        vectors: Option<&Vectors>,
        bead: (usize, usize, usize, usize),
        baseline: bool,
    ) -> f64 {
        let (c, base) = self.measure(vectors, bead);
        let mut distance = 1.0 - f64::from(c);
        if baseline {
            distance /= f64::from(base);
        }
        distance * f64::from(self.margin(c, bead))
    }

    /// The factor margin scoring puts on a bead of cosine `c`: the mean of its two sides'
    /// neighbourhoods (each the mean of its units' nearest-neighbour cosines) over `c`, both
    /// at least [`MIN_COSINE`]; below 1 when the bead beats its sides' neighbours. 1 when a
    /// side has no neighbourhood.
    pub(crate) fn margin(&self, c: f32, (i0, i1, j0, j1): (usize, usize, usize, usize)) -> f32 {
        let side = |near: &[Option<f32>], range: std::ops::Range<usize>| {
            let (sum, count) = near
                .get(range)?
                .iter()
                .flatten()
                .fold((0.0, 0), |(sum, count), x| (sum + x, count + 1));
            (count > 0).then(|| sum / count as f32)
        };
        match (side(&self.src_near, i0..i1), side(&self.tgt_near, j0..j1)) {
            (Some(s), Some(t)) => ((s + t) / 2.0).max(MIN_COSINE) / c.max(MIN_COSINE),
            _ => 1.0,
        }
    }

    /// Cosine and baseline of a bead; with the sentence `vectors` (at the sentence level
    /// only), beads whose multi-sentence sides were encoded as one text use those vectors.
    pub(crate) fn measure(
        &self,
        vectors: Option<&Vectors>,
        (i0, i1, j0, j1): (usize, usize, usize, usize),
    ) -> (f32, f32) {
        let single = i1 == i0 + 1 && j1 == j0 + 1;
        let direct = vectors.filter(|_| !single).and_then(|v| {
            v.direct((i0, i1, j0, j1), |src, k| {
                if src {
                    self.src_base[k][0]
                } else {
                    self.tgt_base[k][0]
                }
            })
        });
        match direct {
            Some((c, b)) => (c, b.max(MIN_BASELINE)),
            None => (self.cosine(i0, i1, j0, j1), self.baseline(i0, i1, j0, j1)),
        }
    }
}

/// The `k` largest cosines offered so far.
struct Nearest {
    k: usize,
    best: Vec<f32>,
}

impl Nearest {
    fn new(k: usize) -> Self {
        Nearest {
            k,
            best: Vec::with_capacity(k),
        }
    }

    /// Keeps `c` when it is among the `k` largest so far.
    fn offer(&mut self, c: f32) {
        if self.best.len() < self.k {
            self.best.push(c);
            return;
        }
        let lowest = self
            .best
            .iter()
            .enumerate()
            .min_by(|a, b| a.1.total_cmp(b.1));
        if let Some((low, &value)) = lowest {
            if c > value {
                self.best[low] = c;
            }
        }
    }

    /// Mean of the kept cosines (none when nothing was offered).
    fn mean(&self) -> Option<f32> {
        (!self.best.is_empty()).then(|| self.best.iter().sum::<f32>() / self.best.len() as f32)
    }
}

/// Smallest cosine margin scoring divides by or multiplies with (so a bead of cosine near
/// zero or below gets a large but finite factor).
const MIN_COSINE: f32 = 0.05;

/// Smallest baseline (1 - cosine) a bead is divided by.
const MIN_BASELINE: f32 = 0.05;

/// Units of the other side each unit is compared with for its baseline.
const SAMPLES: usize = 16;

/// Length of the sum of units `a..b` from their neighbour dot products.
fn run_norm(dots: &[[f32; MAX_RUN]], a: usize, b: usize) -> f32 {
    let mut sq = 0.0;
    for x in a..b {
        sq += dots[x][0];
        for y in x + 1..b {
            sq += 2.0 * dots[x][y - x];
        }
    }
    sq.max(0.0).sqrt()
}

/// For each unit of `v` and each run length, the mean (1 - cosine) of the run starting there
/// against [`SAMPLES`] units of `other` spread evenly over it.
fn baselines(v: &[f32], self_dots: &[[f32; MAX_RUN]], other: &[f32]) -> Vec<[f32; MAX_RUN]> {
    let n = v.len() / DIM;
    let samples = samples(other);
    let count = samples.len();
    let dots: Vec<Vec<f32>> = (0..n)
        .into_par_iter()
        .map(|i| samples.iter().map(|s| dot(row(v, i), s)).collect())
        .collect();
    (0..n)
        .map(|i| {
            let mut base = [1f32; MAX_RUN];
            for (l, slot) in base.iter_mut().enumerate() {
                let end = (i + l + 1).min(n);
                let len = run_norm(self_dots, i, end);
                if count == 0 || len <= 0.0 {
                    continue;
                }
                let total: f32 = (0..count)
                    .map(|s| 1.0 - (i..end).map(|k| dots[k][s]).sum::<f32>() / len)
                    .sum();
                *slot = total / count as f32;
            }
            base
        })
        .collect()
}

/// For each unit, its dot products with itself and the next `MAX_RUN - 1` units.
fn self_dots(v: &[f32]) -> Vec<[f32; MAX_RUN]> {
    let n = v.len() / DIM;
    (0..n)
        .into_par_iter()
        .map(|i| {
            let mut d = [0f32; MAX_RUN];
            for (k, slot) in d.iter_mut().enumerate() {
                if i + k < n {
                    *slot = dot(
                        &v[i * DIM..(i + 1) * DIM],
                        &v[(i + k) * DIM..(i + k + 1) * DIM],
                    );
                }
            }
            d
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vector_close_to_everything_has_a_low_baseline() {
        // Target 0 points between all source directions (a "hub", like a short title);
        // target 1 is one of them.
        let src: Vec<f32> = (0..4).flat_map(unit).collect();
        let mut hub = vec![0f32; DIM];
        hub[..4].fill(0.5);
        let tgt: Vec<f32> = hub.into_iter().chain(unit(2)).collect();
        let table = SemanticTable::new(&src, &tgt, &Band::full(4, 2), 0);
        let hub_base = table.baseline(0, 1, 0, 1);
        let plain_base = table.baseline(0, 1, 1, 2);
        assert!(hub_base < plain_base, "{hub_base} {plain_base}");
        assert!((0.05..=2.0).contains(&hub_base));
    }

    /// A unit vector with the given (index, value) entries and the rest of its length on
    /// one spare axis.
    fn mixed(entries: &[(usize, f32)], spare: usize) -> Vec<f32> {
        let mut v = vec![0f32; DIM];
        for &(k, x) in entries {
            v[k] = x;
        }
        let rest: f32 = entries.iter().map(|(_, x)| x * x).sum();
        v[spare] = (1.0 - rest).max(0.0).sqrt();
        v
    }

    #[test]
    fn a_local_hub_loses_to_the_true_pair_only_with_the_margin() {
        // 64 source sentences on their own axes. Target 0 is a hub: close to source 12 and
        // as close to its neighbours 10 and 11 (a sentence that looks like everything
        // nearby, but unlike most of the text, so the global baseline does not catch it);
        // target 1 is source 12's true pair, a little less close, and close to nothing else.
        let src: Vec<f32> = (0..64).flat_map(unit).collect();
        let hub = mixed(&[(10, 0.55), (11, 0.55), (12, 0.55)], 200);
        let pair = mixed(&[(12, 0.5)], 201);
        let tgt: Vec<f32> = hub.into_iter().chain(pair).collect();
        let band = Band::full(64, 2);
        let (to_hub, to_pair) = ((12, 13, 0, 1), (12, 13, 1, 2));
        let global = SemanticTable::new(&src, &tgt, &band, 0);
        assert!(global.distance(None, to_hub, true) < global.distance(None, to_pair, true));
        let margin = SemanticTable::new(&src, &tgt, &band, 3);
        assert!(margin.distance(None, to_pair, true) < margin.distance(None, to_hub, true));
        // The hub's neighbourhood is its three nearest sources, the pair's one close source
        // and two orthogonal ones.
        assert!((margin.tgt_near[0].unwrap() - 0.55).abs() < 1e-5);
        assert!((margin.tgt_near[1].unwrap() - 0.5 / 3.0).abs() < 1e-5);
        assert_eq!(global.margin(0.5, to_pair), 1.0);
    }

    #[test]
    fn units_without_a_vector_have_no_neighbourhood_and_no_margin() {
        // Source 1 was not encoded (zeros): it has no neighbourhood, is nobody's neighbour,
        // and a bead of it alone is left as the baseline makes it.
        let src: Vec<f32> = [unit(0), vec![0f32; DIM], unit(2)].concat();
        let tgt: Vec<f32> = [unit(0), mixed(&[(0, 0.6)], 2)].concat();
        let table = SemanticTable::new(&src, &tgt, &Band::full(3, 2), 2);
        assert_eq!(table.src_near[1], None);
        assert!((table.src_near[0].unwrap() - 0.8).abs() < 1e-5);
        assert!((table.tgt_near[1].unwrap() - 0.7).abs() < 1e-5);
        assert_eq!(table.margin(0.3, (1, 2, 0, 1)), 1.0);
        // A two-sentence side's neighbourhood is its encoded sentences'.
        let two = table.margin(0.5, (0, 2, 0, 1));
        let one = table.margin(0.5, (0, 1, 0, 1));
        assert!((two - one).abs() < 1e-6, "{two} {one}");
    }

    fn unit(k: usize) -> Vec<f32> {
        let mut v = vec![0f32; DIM];
        v[k] = 1.0;
        v
    }

    #[test]
    fn table_cosines_equal_the_cosines_of_summed_vectors() {
        let src: Vec<f32> = [0, 1, 2, 3].iter().flat_map(|&k| unit(k)).collect();
        let mut tgt: Vec<f32> = [0, 1, 2].iter().flat_map(|&k| unit(k)).collect();
        tgt[DIM + 3] = 1.0; // target 1 mixes units 1 and 3.
        let vectors = Vectors::new(src.clone(), tgt.clone());
        let table = SemanticTable::new(&src, &tgt, &Band::full(4, 3), 0);
        for (i0, i1, j0, j1) in [(0, 1, 0, 1), (1, 2, 1, 2), (1, 4, 1, 2), (0, 2, 0, 3)] {
            let direct = vectors.cosine(i0, i1, j0, j1);
            let fast = table.cosine(i0, i1, j0, j1);
            assert!((direct - fast).abs() < 1e-5, "{direct} {fast}");
        }
        assert!((table.cosine(0, 1, 0, 1) - 1.0).abs() < 1e-6);
        assert!(table.cosine(0, 1, 1, 2).abs() < 1e-6);
        // Without encoded runs, measuring falls back to the summed vectors.
        let (c, _) = table.measure(Some(&vectors), (1, 4, 1, 2));
        assert!((c - vectors.cosine(1, 4, 1, 2)).abs() < 1e-5);
        let (runs, _) = vectors.runs(2);
        assert_eq!(runs.len(), 2 * DIM);
        assert_eq!(runs[1], 1.0);
    }
}
