//! Scoring an alignment against a gold one: strict and lax precision, recall and F1 as
//! defined by Sennrich and Volk (2011) and implemented by vecalign's `score.py`, the measure
//! papers report on the Text+Berg benchmark.
//!
//! * Precision looks at every test bead (1-0 and 0-1 included): a strict hit is a bead that is
//!   in the gold; a lax hit is a strict hit or a bead one of whose source sentences is linked
//!   in the gold to one of its target sentences. A wrong 1-0 or 0-1 bead always misses.
//! * Recall drops the beads that are empty on one side from both alignments, then asks the
//!   same of each gold bead against the test. Insertions and deletions never affect recall.
//! * Over several documents the hit counts are added first (micro-average).

use std::collections::HashSet;

use super::format::IndexBead;

/// Hits among the beads looked at, strict and lax.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Beads looked at.
    pub total: usize,
    /// Beads found identically on the other side.
    pub strict: usize,
    /// Beads found identically or sharing a sentence link with the other side.
    pub lax: usize,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.total += other.total;
        self.strict += other.strict;
        self.lax += other.lax;
    }
}

/// The counts behind precision (over test beads) and recall (over gold beads).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Test beads found in the gold.
    pub precision: Tally,
    /// Gold beads (both sides non-empty) found in the test.
    pub recall: Tally,
}

/// Precision, recall and F1 (each 0 to 1; a 0/0 ratio counts as 0).
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize)]
pub struct Prf {
    /// Share of test beads that are right.
    pub precision: f64,
    /// Share of gold beads that were found.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
}

/// Strict and lax scores of one document or of a pooled set.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize)]
pub struct Scores {
    /// Identical beads only.
    pub strict: Prf,
    /// Beads sharing at least one sentence link count too.
    pub lax: Prf,
}

impl Counts {
    /// Counts the hits of `test` against `gold` (one document).
    pub fn new(gold: &[IndexBead], test: &[IndexBead]) -> Self {
        let gold = distinct(gold, false);
        let test_all = distinct(test, false);
        let precision = tally(&test_all, &gold);
        let gold_pairs = distinct(&gold, true);
        let test_pairs = distinct(&test_all, true);
        let recall = tally(&gold_pairs, &test_pairs);
        Counts { precision, recall }
    }

    /// Adds another document's counts (micro-average).
    pub fn add(&mut self, other: &Counts) {
        self.precision.add(other.precision);
        self.recall.add(other.recall);
    }

    /// Precision, recall and F1, strict and lax.
    pub fn scores(&self) -> Scores {
        let prf = |p_hits: usize, r_hits: usize| {
            let precision = ratio(p_hits, self.precision.total);
            let recall = ratio(r_hits, self.recall.total);
            let f1 = if precision + recall > 0.0 {
                2.0 * precision * recall / (precision + recall)
            } else {
                0.0
            };
            Prf {
                precision,
                recall,
                f1,
            }
        };
        Scores {
            strict: prf(self.precision.strict, self.recall.strict),
            lax: prf(self.precision.lax, self.recall.lax),
        }
    }
}

fn ratio(hits: usize, total: usize) -> f64 {
    if total == 0 {
        0.0
    } else {
        hits as f64 / total as f64
    }
}

/// The beads without duplicates (in first-seen order) and without beads empty on both sides;
/// with `pairs_only`, also without beads empty on one side.
fn distinct(beads: &[IndexBead], pairs_only: bool) -> Vec<IndexBead> {
    let mut seen = HashSet::new();
    beads
        .iter()
        .filter(|(s, t)| !(s.is_empty() && t.is_empty()))
        .filter(|(s, t)| !pairs_only || (!s.is_empty() && !t.is_empty()))
        .filter(|b| seen.insert((*b).clone()))
        .cloned()
        .collect()
}

/// How many of `beads` are found in `reference`, strictly and laxly.
fn tally(beads: &[IndexBead], reference: &[IndexBead]) -> Tally {
    let exact: HashSet<&IndexBead> = reference.iter().collect();
    let links: HashSet<(usize, usize)> = reference
        .iter()
        .flat_map(|(s, t)| s.iter().flat_map(move |&i| t.iter().map(move |&j| (i, j))))
        .collect();
    let mut result = Tally {
        total: beads.len(),
        ..Tally::default()
    };
    for bead in beads {
        if exact.contains(bead) {
            result.strict += 1;
            result.lax += 1;
        } else if bead
            .0
            .iter()
            .any(|&i| bead.1.iter().any(|&j| links.contains(&(i, j))))
        {
            result.lax += 1;
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn beads(spec: &[(&[usize], &[usize])]) -> Vec<IndexBead> {
        spec.iter().map(|(s, t)| (s.to_vec(), t.to_vec())).collect()
    }

    #[test]
    fn gold_against_itself_scores_one() {
        let gold = beads(&[(&[0], &[0]), (&[1, 2], &[1]), (&[], &[2]), (&[3], &[3, 4])]);
        let s = Counts::new(&gold, &gold).scores();
        for prf in [s.strict, s.lax] {
            assert_eq!((prf.precision, prf.recall, prf.f1), (1.0, 1.0, 1.0));
        }
    }

    #[test]
    fn strict_lax_and_unpaired_beads_count_as_defined() {
        let gold = beads(&[(&[0], &[0]), (&[1, 2], &[1]), (&[], &[2]), (&[3], &[3])]);
        // [1]:[1] and [2]:[] split the gold 2-1: a lax hit and a miss; [3]:[2,3] overlaps.
        let test = beads(&[
            (&[0], &[0]),
            (&[1], &[1]),
            (&[2], &[]),
            (&[3], &[2, 3]),
            (&[0], &[0]),
        ]);
        let c = Counts::new(&gold, &test);
        assert_eq!(
            c.precision,
            Tally {
                total: 4,
                strict: 1,
                lax: 3
            }
        );
        // Recall ignores the gold 0-1 and the test 1-0.
        assert_eq!(
            c.recall,
            Tally {
                total: 3,
                strict: 1,
                lax: 3
            }
        );
        let s = c.scores();
        assert!((s.strict.precision - 0.25).abs() < 1e-12);
        assert!((s.strict.recall - 1.0 / 3.0).abs() < 1e-12);
        assert!((s.lax.f1 - 2.0 * 0.75 / 1.75).abs() < 1e-12);
    }

    #[test]
    fn pooling_adds_counts_before_dividing() {
        let gold = beads(&[(&[0], &[0]), (&[1], &[1])]);
        let good = Counts::new(&gold, &gold);
        let bad = Counts::new(&gold, &beads(&[(&[0, 1], &[0, 1])]));
        let mut pooled = good;
        pooled.add(&bad);
        assert_eq!(
            pooled.precision,
            Tally {
                total: 3,
                strict: 2,
                lax: 3
            }
        );
        assert!((pooled.scores().strict.recall - 0.5).abs() < 1e-12);
        assert_eq!(Counts::default().scores().strict.f1, 0.0);
    }
}
