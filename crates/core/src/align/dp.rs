//! The dynamic programme: the cheapest monotone path of beads through a band of the
//! (source × target) grid. Only cells inside the band are stored, so time and memory grow
//! with the band's area, not with n × m.

/// Bead shapes the aligner may use, as (source sentences, target sentences).
pub(crate) const SHAPES: [(usize, usize); 10] = [
    (1, 1),
    (1, 0),
    (0, 1),
    (1, 2),
    (2, 1),
    (2, 2),
    (1, 3),
    (3, 1),
    (2, 3),
    (3, 2),
];

/// A band: for each row `i` in `0..=n` (source boundary), the inclusive range of target
/// boundaries `lo[i]..=hi[i]` the path may pass through.
#[derive(Clone, Debug)]
pub(crate) struct Band {
    pub(crate) lo: Vec<usize>,
    pub(crate) hi: Vec<usize>,
    /// Target length (the last column).
    pub(crate) m: usize,
}

impl Band {
    /// The whole grid.
    pub(crate) fn full(n: usize, m: usize) -> Self {
        Band {
            lo: vec![0; n + 1],
            hi: vec![m; n + 1],
            m,
        }
    }

    /// A band of half-width `w` around a path given as bead corner points (monotone, from
    /// (0, 0) to (n, m)), each segment widened to the rectangle between its two corners.
    pub(crate) fn around(corners: &[(usize, usize)], n: usize, m: usize, w: usize) -> Self {
        let mut lo = vec![usize::MAX; n + 1];
        let mut hi = vec![0; n + 1];
        for pair in corners.windows(2) {
            let ((r0, c0), (r1, c1)) = (pair[0], pair[1]);
            for i in r0.saturating_sub(w)..=(r1 + w).min(n) {
                lo[i] = lo[i].min(c0.saturating_sub(w));
                hi[i] = hi[i].max((c1 + w).min(m));
            }
        }
        Band::connected(lo, hi, m)
    }

    /// The band whose rows cover at least `lo[i]..=hi[i]` (rows never widened are
    /// `usize::MAX..=0`), made connected and monotone by running minima and maxima, from
    /// (0, 0) to (n, m).
    pub(crate) fn connected(mut lo: Vec<usize>, mut hi: Vec<usize>, m: usize) -> Self {
        let n = lo.len() - 1;
        for i in (0..n).rev() {
            lo[i] = lo[i].min(lo[i + 1]);
        }
        for i in 1..=n {
            hi[i] = hi[i].max(hi[i - 1]);
        }
        lo[0] = 0;
        hi[n] = m;
        Band { lo, hi, m }
    }

    /// Number of cells in the band.
    #[cfg(test)]
    pub(crate) fn area(&self) -> usize {
        self.lo.iter().zip(&self.hi).map(|(l, h)| h + 1 - l).sum()
    }

    /// True when the band is the whole grid.
    pub(crate) fn is_full(&self) -> bool {
        self.lo.iter().all(|&l| l == 0) && self.hi.iter().all(|&h| h == self.m)
    }

    /// True when the path corner (i, j) lies on an edge of the band that is not an edge of
    /// the grid: the best path may have wanted to leave the band there.
    pub(crate) fn touches_edge(&self, i: usize, j: usize) -> bool {
        (j == self.lo[i] && j > 0) || (j == self.hi[i] && j < self.m)
    }
}

/// One step of the best path: the bead covers source `i0..i1` and target `j0..j1`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Step {
    pub(crate) i0: usize,
    pub(crate) i1: usize,
    pub(crate) j0: usize,
    pub(crate) j1: usize,
    pub(crate) cost: f64,
}

/// Finds the cheapest path from (0, 0) to (n, m) inside `band` with beads of the given
/// `shapes` (at most 255; [`SHAPES`] for sentences); `cost(i0, i1, j0, j1)` prices one bead.
/// Returns the beads in order and whether the path touched the band's edge.
pub(crate) fn best_path<F>(band: &Band, shapes: &[(usize, usize)], cost: F) -> (Vec<Step>, bool)
where
    F: Fn(usize, usize, usize, usize) -> f64,
{
    let n = band.lo.len() - 1;
    let mut offsets = Vec::with_capacity(n + 2);
    let mut total = 0usize;
    for i in 0..=n {
        offsets.push(total);
        total += band.hi[i] + 1 - band.lo[i];
    }
    let mut acc = vec![f32::INFINITY; total];
    let mut back = vec![u8::MAX; total];
    let cell = |i: usize, j: usize| -> Option<usize> {
        (j >= band.lo[i] && j <= band.hi[i]).then(|| offsets[i] + j - band.lo[i])
    };
    acc[0] = 0.0;
    for (i, &row) in offsets.iter().enumerate() {
        for j in band.lo[i]..=band.hi[i] {
            let here = row + j - band.lo[i];
            for (k, &(a, b)) in shapes.iter().enumerate() {
                if a > i || b > j {
                    continue;
                }
                let Some(prev) = cell(i - a, j - b) else {
                    continue;
                };
                let before = acc[prev];
                if !before.is_finite() {
                    continue;
                }
                let c = before + cost(i - a, i, j - b, j) as f32;
                if c < acc[here] {
                    acc[here] = c;
                    back[here] = k as u8;
                }
            }
        }
    }
    trace_back(band, shapes, &offsets, &acc, &back)
}

fn trace_back(
    band: &Band,
    shapes: &[(usize, usize)],
    offsets: &[usize],
    acc: &[f32],
    back: &[u8],
) -> (Vec<Step>, bool) {
    let n = band.lo.len() - 1;
    let (mut i, mut j) = (n, band.m);
    let mut steps = Vec::new();
    let mut touched = false;
    while i > 0 || j > 0 {
        let here = offsets[i] + j - band.lo[i];
        let (a, b) = shapes[back[here] as usize];
        let prev = offsets[i - a] + (j - b) - band.lo[i - a];
        steps.push(Step {
            i0: i - a,
            i1: i,
            j0: j - b,
            j1: j,
            cost: f64::from(acc[here] - acc[prev]),
        });
        i -= a;
        j -= b;
        touched |= band.touches_edge(i, j);
    }
    steps.reverse();
    (steps, touched)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_band_finds_the_cheapest_path() {
        // Cheap 1-1 everywhere except that target 1 is an insertion.
        let band = Band::full(3, 4);
        let (steps, touched) =
            best_path(&band, &SHAPES, |i0, i1, j0, j1| match (i1 - i0, j1 - j0) {
                (1, 1) if i0 == 0 && j0 == 0 => 0.0,
                (1, 1) if i0 >= 1 && j0 == i0 + 1 => 0.0,
                (0, 1) if j0 == 1 => 1.0,
                _ => 10.0,
            });
        assert!(!touched);
        let shapes: Vec<_> = steps.iter().map(|s| (s.i1 - s.i0, s.j1 - s.j0)).collect();
        assert_eq!(shapes, vec![(1, 1), (0, 1), (1, 1), (1, 1)]);
    }

    #[test]
    fn band_around_a_path_is_connected_and_reports_its_edge() {
        let diagonal: Vec<_> = (0..=10).map(|k| (k, k)).collect();
        let band = Band::around(&diagonal, 10, 10, 1);
        assert_eq!(band.lo[0], 0);
        assert_eq!(band.hi[10], 10);
        assert!(band.area() < 11 * 11);
        assert!(band.hi[5] < 10 && band.touches_edge(5, band.hi[5]));
        let (steps, _) = best_path(&band, &SHAPES, |i0, i1, j0, j1| {
            if i1 - i0 == 1 && j1 - j0 == 1 {
                0.0
            } else {
                5.0
            }
        });
        assert_eq!(steps.len(), 10);
    }
}
