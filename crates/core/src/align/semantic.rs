//! Semantic evidence from sentence vectors: a bead's two sides are compared as the sums of
//! their sentences' vectors (cosine), so each sentence is encoded once. The dot products of
//! the sentence pairs a band's beads can contain are computed once per band, and those of
//! neighbouring sentences on each side once per text, so pricing a bead costs a few look-ups.

use rayon::prelude::*;

use super::dp::Band;
use super::encoder::DIM;
use super::evidence::band_ranges;

/// The sentence vectors of both texts, [`DIM`] numbers per sentence.
pub(crate) struct Vectors {
    pub(crate) src: Vec<f32>,
    pub(crate) tgt: Vec<f32>,
}

impl Vectors {
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

/// Longest run of sentences a bead may hold on one side.
const MAX_RUN: usize = 3;

/// Dot products for pricing the beads of one band.
pub(crate) struct SemanticTable {
    /// For unit `i` and `d` in 0..MAX_RUN: dot of unit `i` with unit `i + d`, per side.
    src_self: Vec<[f32; MAX_RUN]>,
    tgt_self: Vec<[f32; MAX_RUN]>,
    first: Vec<usize>,
    offsets: Vec<usize>,
    cells: Vec<f32>,
}

impl SemanticTable {
    /// Computes the dot products a band's beads need, for units given as [`DIM`]-long rows.
    pub(crate) fn new(src: &[f32], tgt: &[f32], band: &Band) -> Self {
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
        SemanticTable {
            src_self: self_dots(src),
            tgt_self: self_dots(tgt),
            first: ranges.iter().map(|r| r.0).collect(),
            offsets,
            cells,
        }
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
        let norm = |dots: &[[f32; MAX_RUN]], a: usize, b: usize| {
            let mut sq = 0.0;
            for x in a..b {
                sq += dots[x][0];
                for y in x + 1..b {
                    sq += 2.0 * dots[x][y - x];
                }
            }
            sq.max(0.0).sqrt()
        };
        let denom = norm(&self.src_self, i0, i1) * norm(&self.tgt_self, j0, j1);
        if denom > 0.0 {
            (cross / denom).clamp(-1.0, 1.0)
        } else {
            0.0
        }
    }
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
        let vectors = Vectors {
            src: src.clone(),
            tgt: tgt.clone(),
        };
        let table = SemanticTable::new(&src, &tgt, &Band::full(4, 3));
        for (i0, i1, j0, j1) in [(0, 1, 0, 1), (1, 2, 1, 2), (1, 4, 1, 2), (0, 2, 0, 3)] {
            let direct = vectors.cosine(i0, i1, j0, j1);
            let fast = table.cosine(i0, i1, j0, j1);
            assert!((direct - fast).abs() < 1e-5, "{direct} {fast}");
        }
        assert!((table.cosine(0, 1, 0, 1) - 1.0).abs() < 1e-6);
        assert!(table.cosine(0, 1, 1, 2).abs() < 1e-6);
        let (runs, _) = vectors.runs(2);
        assert_eq!(runs.len(), 2 * DIM);
        assert_eq!(runs[1], 1.0);
    }
}
