//! The dynamic programme: the cheapest monotone path of beads through a band of the
//! (source × target) grid. Only cells inside the band are stored, so time and memory grow
//! with the band's area, not with n × m.

use std::ops::Range;

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
            cover_segment((&mut lo, &mut hi), (pair[0], pair[1]), w, m);
        }
        Band::connected(lo, hi, m)
    }

    /// This band, widened to half-width `w` around the segments of `corners` (as in
    /// [`Band::around`]) that come within `2 w` rows of a place where a path touched its
    /// edge (`touches`, in row order); elsewhere it stays as it is.
    pub(crate) fn widened_near(
        &self,
        touches: &[(usize, usize)],
        corners: &[(usize, usize)],
        w: usize,
    ) -> Self {
        let n = self.lo.len() - 1;
        let mut near = vec![false; n + 1];
        let mut marked = 0;
        for &(i, _) in touches {
            // Rows already marked are skipped, so marking costs O(n) in all.
            let rows = i.saturating_sub(2 * w).max(marked)..(i + 2 * w + 1).min(n + 1);
            if rows.start < rows.end {
                near[rows.clone()].iter_mut().for_each(|r| *r = true);
                marked = rows.end;
            }
        }
        let (mut lo, mut hi) = (self.lo.clone(), self.hi.clone());
        for pair in corners.windows(2) {
            let ((r0, _), (r1, _)) = (pair[0], pair[1]);
            if near[r0..=r1.min(n)].iter().any(|&r| r) {
                cover_segment((&mut lo, &mut hi), (pair[0], pair[1]), w, self.m);
            }
        }
        Band::connected(lo, hi, self.m)
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

/// Widens rows `lo`/`hi` to cover the rectangle between two path corners, `w` more on
/// every side (clipped to the grid, `m` columns).
fn cover_segment(
    (lo, hi): (&mut [usize], &mut [usize]),
    ((r0, c0), (r1, c1)): ((usize, usize), (usize, usize)),
    w: usize,
    m: usize,
) {
    let n = lo.len() - 1;
    for i in r0.saturating_sub(w)..=(r1 + w).min(n) {
        lo[i] = lo[i].min(c0.saturating_sub(w));
        hi[i] = hi[i].max((c1 + w).min(m));
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

/// Prices the beads of a search. The search asks for the beads ending in a few rows at a
/// time, so a pricer may keep tables for those rows only.
pub(crate) trait Pricer {
    /// Called before the search prices beads ending in `rows` (source boundaries); the
    /// calls come in order and together cover `0..=n`.
    fn prepare(&mut self, rows: Range<usize>);
    /// Cost of the bead over source `i0..i1` and target `j0..j1`, `i1` in the rows last
    /// prepared.
    fn cost(&self, i0: usize, i1: usize, j0: usize, j1: usize) -> f64;
    /// The same cost for a bead of the best path, anywhere in the grid (asked once per bead
    /// after the search).
    fn path_cost(&self, i0: usize, i1: usize, j0: usize, j1: usize) -> f64;
}

/// A cost function that needs no tables prices every bead alike.
impl<F> Pricer for F
where
    F: Fn(usize, usize, usize, usize) -> f64,
{
    fn prepare(&mut self, _rows: Range<usize>) {}

    fn cost(&self, i0: usize, i1: usize, j0: usize, j1: usize) -> f64 {
        self(i0, i1, j0, j1)
    }

    fn path_cost(&self, i0: usize, i1: usize, j0: usize, j1: usize) -> f64 {
        self(i0, i1, j0, j1)
    }
}

/// The cheapest path a search found, and where it ran along the band's edge.
#[derive(Debug)]
pub(crate) struct Path {
    /// The beads in order.
    pub(crate) steps: Vec<Step>,
    /// Bead corners `(i, j)` on an edge of the band that is not an edge of the grid: where
    /// the path may have wanted to leave the band.
    pub(crate) touches: Vec<(usize, usize)>,
}

/// Rows of the grid the search asks a [`Pricer`] to prepare at a time.
const PREPARED_ROWS: usize = 2048;

/// Finds the cheapest path from (0, 0) to (n, m) inside `band` with beads of the given
/// `shapes` (fewer than 255; [`SHAPES`] for sentences), priced by `pricer`.
///
/// Memory: one byte per band cell (the shape of the best bead ending there); the costs of
/// the cheapest paths are kept only for the few rows a bead can span.
pub(crate) fn best_path<P: Pricer>(band: &Band, shapes: &[(usize, usize)], pricer: &mut P) -> Path {
    assert!(shapes.len() < usize::from(u8::MAX), "too many bead shapes");
    let n = band.lo.len() - 1;
    let mut offsets = Vec::with_capacity(n + 1);
    let mut total = 0usize;
    for i in 0..=n {
        offsets.push(total);
        total += band.hi[i] + 1 - band.lo[i];
    }
    let mut back = vec![u8::MAX; total];
    let span = shapes.iter().map(|s| s.0).max().unwrap_or(0) + 1;
    let mut window = CostWindow::new(span);
    for start in (0..=n).step_by(PREPARED_ROWS) {
        let rows = start..(start + PREPARED_ROWS).min(n + 1);
        pricer.prepare(rows.clone());
        for i in rows {
            let row = &mut back[offsets[i]..offsets[i] + band.hi[i] + 1 - band.lo[i]];
            fill_row(band, shapes, &*pricer, &mut window, i, row);
        }
    }
    trace_back(band, shapes, &*pricer, &offsets, &back)
}

/// The cheapest path costs of the last few rows of the band: row `i` in slot `i % slots`,
/// each slot holding its row's cells from the band's `lo` on. In double precision: at a
/// million sentences a path costs about a million nats, where single precision steps by a
/// tenth of a nat.
struct CostWindow {
    rows: Vec<Vec<f64>>,
}

impl CostWindow {
    fn new(slots: usize) -> Self {
        CostWindow {
            rows: vec![Vec::new(); slots],
        }
    }

    /// The cheapest cost of reaching (i, j) (a row still in the window), infinite outside
    /// the band.
    fn at(&self, band: &Band, i: usize, j: usize) -> f64 {
        if j < band.lo[i] || j > band.hi[i] {
            return f64::INFINITY;
        }
        self.rows[i % self.rows.len()][j - band.lo[i]]
    }
}

/// Fills row `i`: the cheapest cost of reaching each of its cells (into `window`) and the
/// shape of the last bead of that cheapest path (into `back`).
fn fill_row<P: Pricer>(
    band: &Band,
    shapes: &[(usize, usize)],
    pricer: &P,
    window: &mut CostWindow,
    i: usize,
    back: &mut [u8],
) {
    let slot = i % window.rows.len();
    let mut acc = std::mem::take(&mut window.rows[slot]);
    acc.clear();
    acc.resize(back.len(), f64::INFINITY);
    let lo = band.lo[i];
    if i == 0 {
        acc[0] = 0.0;
    }
    for (x, j) in (lo..=band.hi[i]).enumerate() {
        for (k, &(a, b)) in shapes.iter().enumerate() {
            if a > i || b > j {
                continue;
            }
            let before = if a == 0 {
                // The same row: the cells to the left are final.
                if j - b < lo {
                    continue;
                }
                acc[x - b]
            } else {
                window.at(band, i - a, j - b)
            };
            if !before.is_finite() {
                continue;
            }
            let c = before + pricer.cost(i - a, i, j - b, j);
            if c < acc[x] {
                acc[x] = c;
                back[x] = k as u8;
            }
        }
    }
    window.rows[slot] = acc;
}

/// Follows the shapes back from (n, m), pricing each bead of the path again.
fn trace_back<P: Pricer>(
    band: &Band,
    shapes: &[(usize, usize)],
    pricer: &P,
    offsets: &[usize],
    back: &[u8],
) -> Path {
    let n = band.lo.len() - 1;
    let (mut i, mut j) = (n, band.m);
    let mut steps = Vec::new();
    let mut touches = Vec::new();
    while i > 0 || j > 0 {
        let shape = back[offsets[i] + j - band.lo[i]];
        let (a, b) = shapes[usize::from(shape)];
        steps.push(Step {
            i0: i - a,
            i1: i,
            j0: j - b,
            j1: j,
            cost: pricer.path_cost(i - a, i, j - b, j),
        });
        i -= a;
        j -= b;
        if band.touches_edge(i, j) {
            touches.push((i, j));
        }
    }
    steps.reverse();
    touches.reverse();
    Path { steps, touches }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_band_finds_the_cheapest_path() {
        // Cheap 1-1 everywhere except that target 1 is an insertion.
        let band = Band::full(3, 4);
        let path = best_path(
            &band,
            &SHAPES,
            &mut |i0, i1, j0, j1| match (i1 - i0, j1 - j0) {
                (1, 1) if i0 == 0 && j0 == 0 => 0.0,
                (1, 1) if i0 >= 1 && j0 == i0 + 1 => 0.0,
                (0, 1) if j0 == 1 => 1.0,
                _ => 10.0,
            },
        );
        assert!(path.touches.is_empty());
        let shapes: Vec<_> = path
            .steps
            .iter()
            .map(|s| (s.i1 - s.i0, s.j1 - s.j0))
            .collect();
        assert_eq!(shapes, vec![(1, 1), (0, 1), (1, 1), (1, 1)]);
        assert_eq!(path.steps[1].cost, 1.0);
    }

    #[test]
    fn band_around_a_path_is_connected_and_reports_its_edge() {
        let diagonal: Vec<_> = (0..=10).map(|k| (k, k)).collect();
        let band = Band::around(&diagonal, 10, 10, 1);
        assert_eq!(band.lo[0], 0);
        assert_eq!(band.hi[10], 10);
        assert!(band.area() < 11 * 11);
        assert!(band.hi[5] < 10 && band.touches_edge(5, band.hi[5]));
        let path = best_path(&band, &SHAPES, &mut |i0, i1, j0, j1| {
            if i1 - i0 == 1 && j1 - j0 == 1 {
                0.0
            } else {
                5.0
            }
        });
        assert_eq!(path.steps.len(), 10);
        assert!(path.touches.is_empty());
    }

    /// Counts the rows it is asked to prepare and refuses beads ending elsewhere.
    struct RowChecker {
        prepared: Range<usize>,
        calls: usize,
    }

    impl Pricer for RowChecker {
        fn prepare(&mut self, rows: Range<usize>) {
            assert_eq!(rows.start, self.prepared.end, "rows prepared out of order");
            self.prepared = rows;
            self.calls += 1;
        }

        fn cost(&self, i0: usize, i1: usize, j0: usize, j1: usize) -> f64 {
            assert!(
                self.prepared.contains(&i1),
                "bead ending in row {i1} not prepared"
            );
            self.path_cost(i0, i1, j0, j1)
        }

        fn path_cost(&self, i0: usize, i1: usize, j0: usize, j1: usize) -> f64 {
            // The diagonal shifted by one target sentence after source 3000.
            let shift = usize::from(i0 >= 3000);
            match (i1 - i0, j1 - j0) {
                (1, 1) if j0 == i0 + shift => 0.0,
                (0, 1) => 2.0,
                _ => 6.0,
            }
        }
    }

    #[test]
    fn long_searches_prepare_rows_in_order_and_keep_the_cheapest_path() {
        let n = 5000;
        let mut corners: Vec<_> = (0..=n).map(|k| (k, k)).collect();
        corners.push((n, n + 1));
        let band = Band::around(&corners, n, n + 1, 4);
        let mut pricer = RowChecker {
            prepared: 0..0,
            calls: 0,
        };
        let path = best_path(&band, &SHAPES, &mut pricer);
        assert_eq!(pricer.calls, (n + 1).div_ceil(PREPARED_ROWS));
        assert_eq!(pricer.prepared.end, n + 1);
        let skipped: Vec<_> = path.steps.iter().filter(|s| s.i0 == s.i1).collect();
        assert_eq!(skipped.len(), 1);
        assert_eq!((skipped[0].j0, skipped[0].cost), (3000, 2.0));
        assert_eq!(path.steps.len(), n + 1);
    }

    #[test]
    fn a_path_pushed_off_its_band_reports_where_it_touched() {
        // The band follows the diagonal but from row 20 to row 30 the cheap beads lie five
        // columns to its right, beyond its edge.
        let diagonal: Vec<_> = (0..=40).map(|k| (k, k)).collect();
        let band = Band::around(&diagonal, 40, 40, 1);
        assert!(band.hi[25] < 30);
        let path = best_path(&band, &SHAPES, &mut |i0: usize, i1, j0, j1| {
            let want = if (20..30).contains(&i0) { i0 + 5 } else { i0 };
            if i1 - i0 == 1 && j1 - j0 == 1 {
                0.5 * want.abs_diff(j0) as f64
            } else {
                (i1 - i0 + j1 - j0) as f64
            }
        });
        assert!(!path.touches.is_empty());
        assert!(
            path.touches.iter().all(|&(i, _)| (15..35).contains(&i)),
            "{:?}",
            path.touches
        );
    }

    #[test]
    fn a_band_widens_only_near_where_the_path_touched_it() {
        let diagonal: Vec<_> = (0..=400).map(|k| (k, k)).collect();
        let band = Band::around(&diagonal, 400, 400, 2);
        let wider = band.widened_near(&[(100, band.hi[100])], &diagonal, 8);
        for i in 0..=400 {
            assert!(wider.lo[i] <= band.lo[i] && wider.hi[i] >= band.hi[i]);
        }
        assert!(wider.hi[100] >= 108 && wider.lo[100] <= 92);
        assert_eq!((wider.lo[300], wider.hi[300]), (band.lo[300], band.hi[300]));
        assert_eq!((wider.lo[20], wider.hi[20]), (band.lo[20], band.hi[20]));
        assert!(wider.area() < Band::around(&diagonal, 400, 400, 8).area() / 2);
        let everywhere: Vec<_> = (0..=400).map(|i| (i, band.hi[i])).collect();
        let all = band.widened_near(&everywhere, &diagonal, 8);
        assert_eq!(all.area(), Band::around(&diagonal, 400, 400, 8).area());
    }
}
