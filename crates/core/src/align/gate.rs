//! Confidence-gated encoding: the encoder is costly, so after a model-free alignment only
//! the regions where that alignment is unsure (beads that are not 1-1, 1-1 beads whose
//! evidence is weak, and a few beads around them) are encoded and aligned again with the
//! semantic cost. Outside those regions the model-free beads stay as they are.

use std::collections::HashSet;

use super::dp::{Band, Step};

/// A rectangle of the grid, from path corner `(r0, c0)` to path corner `(r1, c1)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Region {
    pub(crate) r0: usize,
    pub(crate) r1: usize,
    pub(crate) c0: usize,
    pub(crate) c1: usize,
}

/// The regions to align again, and the beads kept from the model-free path elsewhere.
pub(crate) struct Gate {
    regions: Vec<Region>,
    /// Model-free beads outside every region, as (i0, i1, j0, j1).
    kept: HashSet<(usize, usize, usize, usize)>,
    /// Beads (indices into the path) inside each region.
    spans: Vec<std::ops::Range<usize>>,
}

/// What the gated pass may do with a candidate bead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Inside a region: priced with every kind of evidence.
    Open,
    /// One of the kept model-free beads.
    Kept,
    /// Anything else.
    Closed,
}

impl Gate {
    /// Regions around the beads of `path` that `unsure` flags, each widened by `around`
    /// beads either way; overlapping or touching regions are merged.
    pub(crate) fn new(path: &[Step], unsure: impl Fn(&Step) -> bool, around: usize) -> Self {
        let mut spans: Vec<std::ops::Range<usize>> = Vec::new();
        for (k, step) in path.iter().enumerate() {
            if !unsure(step) {
                continue;
            }
            let span = k.saturating_sub(around)..(k + around + 1).min(path.len());
            match spans.last_mut() {
                Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
                _ => spans.push(span),
            }
        }
        let regions = spans
            .iter()
            .map(|s| Region {
                r0: path[s.start].i0,
                r1: path[s.end - 1].i1,
                c0: path[s.start].j0,
                c1: path[s.end - 1].j1,
            })
            .collect();
        let mut inside = vec![false; path.len()];
        spans
            .iter()
            .flat_map(Clone::clone)
            .for_each(|k| inside[k] = true);
        let kept = path
            .iter()
            .zip(&inside)
            .filter(|(_, &inside)| !inside)
            .map(|(s, _)| (s.i0, s.i1, s.j0, s.j1))
            .collect();
        Gate {
            regions,
            kept,
            spans,
        }
    }

    /// True when no bead needs another look.
    pub(crate) fn is_empty(&self) -> bool {
        self.regions.is_empty()
    }

    /// The regions, in order.
    #[cfg(test)]
    pub(crate) fn regions(&self) -> &[Region] {
        &self.regions
    }

    /// The source and target sentences inside the regions, each list sorted.
    pub(crate) fn sentences(&self) -> (Vec<usize>, Vec<usize>) {
        let src = self.regions.iter().flat_map(|r| r.r0..r.r1).collect();
        let tgt = self.regions.iter().flat_map(|r| r.c0..r.c1).collect();
        (src, tgt)
    }

    /// The search band of the gated pass: inside each region, `w` sentences either side of
    /// the model-free path (clipped to the region); elsewhere the path's own beads.
    pub(crate) fn band(&self, path: &[Step], n: usize, m: usize, w: usize) -> Band {
        let mut lo = vec![usize::MAX; n + 1];
        let mut hi = vec![0; n + 1];
        let mut widen = |rows: std::ops::RangeInclusive<usize>, from: usize, to: usize| {
            for i in rows {
                lo[i] = lo[i].min(from);
                hi[i] = hi[i].max(to);
            }
        };
        for s in path {
            widen(s.i0..=s.i1, s.j0, s.j1);
        }
        for (region, span) in self.regions.iter().zip(&self.spans) {
            for s in &path[span.clone()] {
                let rows = s.i0.saturating_sub(w).max(region.r0)..=(s.i1 + w).min(region.r1);
                let from = s.j0.saturating_sub(w).max(region.c0);
                widen(rows, from, (s.j1 + w).min(region.c1));
            }
        }
        Band::connected(lo, hi, m)
    }

    /// Whether the gated pass may use the bead over source `i0..i1` and target `j0..j1`.
    pub(crate) fn verdict(&self, i0: usize, i1: usize, j0: usize, j1: usize) -> Verdict {
        let k = self.regions.partition_point(|r| r.r0 <= i0);
        let open = k > 0 && {
            let r = &self.regions[k - 1];
            i1 <= r.r1 && j0 >= r.c0 && j1 <= r.c1
        };
        if open {
            Verdict::Open
        } else if self.kept.contains(&(i0, i1, j0, j1)) {
            Verdict::Kept
        } else {
            Verdict::Closed
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(i0: usize, i1: usize, j0: usize, j1: usize) -> Step {
        Step {
            i0,
            i1,
            j0,
            j1,
            cost: 0.0,
        }
    }

    fn diagonal_with_a_merge() -> Vec<Step> {
        // 1-1 beads, except a 2-1 bead over source 4..6 and target 4..5.
        let mut path: Vec<Step> = (0..4).map(|k| step(k, k + 1, k, k + 1)).collect();
        path.push(step(4, 6, 4, 5));
        path.extend((0..4).map(|k| step(6 + k, 7 + k, 5 + k, 6 + k)));
        path
    }

    #[test]
    fn regions_surround_the_unsure_beads() {
        let path = diagonal_with_a_merge();
        let gate = Gate::new(&path, |s| s.i1 - s.i0 != 1, 1);
        let region = Region {
            r0: 3,
            r1: 7,
            c0: 3,
            c1: 6,
        };
        assert_eq!(gate.regions(), &[region]);
        assert_eq!(gate.sentences(), (vec![3, 4, 5, 6], vec![3, 4, 5]));
        assert_eq!(gate.verdict(4, 5, 4, 5), Verdict::Open);
        assert_eq!(gate.verdict(0, 1, 0, 1), Verdict::Kept);
        assert_eq!(gate.verdict(0, 1, 1, 2), Verdict::Closed);
        // A bead leaving the region is closed even where it starts inside.
        assert_eq!(gate.verdict(6, 8, 5, 7), Verdict::Closed);
        assert!(Gate::new(&path, |_| false, 1).is_empty());
    }

    #[test]
    fn the_gated_band_holds_the_path_and_the_regions() {
        let path = diagonal_with_a_merge();
        let gate = Gate::new(&path, |s| s.i1 - s.i0 != 1, 1);
        let band = gate.band(&path, 10, 9, 16);
        for s in &path {
            assert!(band.lo[s.i0] <= s.j0 && s.j1 <= band.hi[s.i1], "{s:?}");
        }
        assert_eq!((band.lo[4], band.hi[4]), (3, 6));
        // Outside the region the band is the path alone.
        assert_eq!((band.lo[1], band.hi[1]), (0, 2));
        assert_eq!((band.lo[9], band.hi[9]), (7, 9));
    }

    #[test]
    fn touching_regions_merge() {
        let path: Vec<Step> = (0..10).map(|k| step(k, k + 1, k, k + 1)).collect();
        let gate = Gate::new(&path, |s| s.i0 == 2 || s.i0 == 5, 1);
        assert_eq!(gate.regions().len(), 1);
        assert_eq!((gate.regions()[0].r0, gate.regions()[0].r1), (1, 7));
    }
}
