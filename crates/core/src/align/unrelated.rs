//! Text that is not a translation: finding the runs of beads whose evidence is no better than
//! that of random pairs, so that they can be left unpaired.
//!
//! The aligner pairs whatever faces it when leaving it unpaired costs more, so two passages
//! that do not translate each other (an official journal's notices, each published in one
//! language) come out as beads of unrelated sentences. Each paired bead is compared with
//! random pairs drawn from the same alignment: its source side against the target sides of
//! other beads, and the reverse. A bead whose shared evidence (anchors, cognates, the learned
//! lexicon; with an encoder, also the cosine of its vectors) is no higher than most random
//! pairs' is *weak*. One weak bead is a free translation; a run of them, with at most an
//! isolated bead that beat chance, is a passage with no counterpart, and its sentences are
//! left unpaired.

use std::ops::Range;

use rayon::prelude::*;

/// What the detector needs to know of one bead: its two sides' ranges of units.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Sides {
    /// Source units.
    pub(crate) src: Range<usize>,
    /// Target units.
    pub(crate) tgt: Range<usize>,
}

impl Sides {
    fn is_paired(&self) -> bool {
        !self.src.is_empty() && !self.tgt.is_empty()
    }
}

/// How a bead's evidence compares with random pairs'.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    /// An unpaired bead, or one with nothing to compare: it neither makes nor breaks a run.
    Neutral,
    /// No better than random pairs.
    Weak,
    /// Better than random pairs.
    Strong,
}

/// Distances (in paired beads) of the beads whose sides make a bead's random pairs: near ones
/// (which share a passage's topic, so a true pair must beat them) and far ones.
const NULL_OFFSETS: [usize; 8] = [1, 2, 3, 5, 8, 13, 21, 34];

/// Fewest random pairs a bead is judged against; with fewer it is neutral.
const MIN_NULL_SAMPLES: usize = 8;

/// A bead is weak when at most this share of its random pairs score below it (so a bead of
/// two unrelated sentences, one more random pair, is weak three times in four, and a true
/// pair whose sentence recurs in a few of its random pairs, repeated boilerplate, is not).
const NULL_QUANTILE: f64 = 0.75;

/// What a bead that beats chance subtracts from a run of weak beads (each adds one), so that
/// a run survives an isolated chance match but not two true pairs close together.
const STRONG_PENALTY: f64 = 2.0;

/// Score a run must reach to be left unpaired: at least this many weak beads in a row (and
/// more where beads that beat chance lie inside it). On Text+Berg, whose texts are all
/// translations, literary passages with few anchors and OCR-broken stretches give runs of
/// four to seven weak beads; a passage that translates nothing is longer.
const MIN_RUN_SCORE: f64 = 8.0;

/// What tells a translation from a random pair, for [`unrelated_runs`].
pub(crate) struct Evidence<L, S, C, R> {
    /// Shared words and anchors (0 to 1, higher is more alike), `None` when there is none.
    pub(crate) lexical: L,
    /// The cosine of the two sides' sentence vectors, when they were encoded; when there is
    /// one, it must agree that a bead is weak.
    pub(crate) semantic: S,
    /// Whether the two sides contradict each other (both hold numbers, and mostly different
    /// ones): such a bead is weak whatever its words share, since a translation keeps its
    /// numbers and two notices written from one template share their wording, not their
    /// numbers.
    pub(crate) contradicts: C,
    /// Whether both sides of a bead are text found elsewhere on their side, word for word
    /// (a notice's template lines: its heading, `Aanstelling` / `Désignation`, a standard
    /// disclaimer): such a bead is neutral, since a template line translates its twin in
    /// every notice and says nothing of whether the notices around it correspond.
    pub(crate) recurs: R,
}

/// The runs of beads (ranges of indices into `beads`) whose evidence is at the level of
/// random pairs.
pub(crate) fn unrelated_runs<L, S, C, R>(
    beads: &[Sides],
    evidence: Evidence<L, S, C, R>,
) -> Vec<Range<usize>>
where
    L: Fn(&Sides) -> Option<f32> + Sync,
    S: Fn(&Sides) -> Option<f32> + Sync,
    C: Fn(&Sides) -> bool + Sync,
    R: Fn(&Sides) -> bool + Sync,
{
    let Evidence {
        lexical,
        semantic,
        contradicts,
        recurs,
    } = evidence;
    let paired: Vec<usize> = (0..beads.len()).filter(|&k| beads[k].is_paired()).collect();
    let judged: Vec<Verdict> = paired
        .par_iter()
        .enumerate()
        .map(|(p, &k)| {
            if contradicts(&beads[k]) {
                return Verdict::Weak;
            }
            if recurs(&beads[k]) {
                return Verdict::Neutral;
            }
            let samples = random_pairs(beads, &paired, p);
            match judge(&beads[k], &samples, &lexical) {
                Verdict::Neutral => Verdict::Neutral,
                lex => match (lex, judge(&beads[k], &samples, &semantic)) {
                    (v, Verdict::Neutral) => v,
                    (Verdict::Weak, Verdict::Weak) => Verdict::Weak,
                    _ => Verdict::Strong,
                },
            }
        })
        .collect();
    let mut verdicts = vec![Verdict::Neutral; beads.len()];
    for (&k, v) in paired.iter().zip(judged) {
        verdicts[k] = v;
    }
    best_runs(&verdicts)
}

/// The random pairs of the `p`-th paired bead: its source side with the target sides of the
/// paired beads [`NULL_OFFSETS`] away, and their source sides with its target side.
fn random_pairs(beads: &[Sides], paired: &[usize], p: usize) -> Vec<Sides> {
    let this = &beads[paired[p]];
    let others = NULL_OFFSETS
        .iter()
        .flat_map(|&d| [p.checked_sub(d), Some(p + d).filter(|&q| q < paired.len())])
        .flatten()
        .map(|q| &beads[paired[q]]);
    others
        .flat_map(|other| {
            [
                Sides {
                    src: this.src.clone(),
                    tgt: other.tgt.clone(),
                },
                Sides {
                    src: other.src.clone(),
                    tgt: this.tgt.clone(),
                },
            ]
        })
        .collect()
}

/// Whether `bead`'s evidence beats its random pairs' by `evidence`.
fn judge<E>(bead: &Sides, samples: &[Sides], evidence: &E) -> Verdict
where
    E: Fn(&Sides) -> Option<f32> + Sync,
{
    let Some(own) = evidence(bead) else {
        return Verdict::Neutral;
    };
    let null: Vec<f32> = samples.iter().filter_map(evidence).collect();
    if null.len() < MIN_NULL_SAMPLES {
        return Verdict::Neutral;
    }
    let below = null.iter().filter(|&&x| x < own).count();
    if below as f64 > NULL_QUANTILE * null.len() as f64 {
        Verdict::Strong
    } else {
        Verdict::Weak
    }
}

/// The maximal runs whose score (one per weak bead, minus [`STRONG_PENALTY`] per strong
/// one) reaches [`MIN_RUN_SCORE`]; each starts and ends on a weak bead.
fn best_runs(verdicts: &[Verdict]) -> Vec<Range<usize>> {
    let mut runs = Vec::new();
    let mut current: Option<Run> = None;
    for (k, v) in verdicts.iter().enumerate() {
        match current.as_mut() {
            None if *v == Verdict::Weak => current = Some(Run::start(k)),
            None => {}
            Some(run) => {
                run.add(k, *v);
                if run.score < 0.0 {
                    runs.extend(current.take().and_then(Run::kept));
                }
            }
        }
    }
    runs.extend(current.and_then(Run::kept));
    runs
}

/// A run being scored by [`best_runs`].
struct Run {
    start: usize,
    score: f64,
    best: f64,
    best_end: usize,
}

impl Run {
    /// A run opened by the weak bead `k`.
    fn start(k: usize) -> Run {
        Run {
            start: k,
            score: 1.0,
            best: 1.0,
            best_end: k + 1,
        }
    }

    /// Adds bead `k`'s verdict; the run's best end moves to each weak bead that raises its
    /// best score.
    fn add(&mut self, k: usize, v: Verdict) {
        self.score += match v {
            Verdict::Weak => 1.0,
            Verdict::Strong => -STRONG_PENALTY,
            Verdict::Neutral => 0.0,
        };
        if v == Verdict::Weak && self.score > self.best {
            (self.best, self.best_end) = (self.score, k + 1);
        }
    }

    /// The run's beads up to its best end, when its best score is high enough.
    fn kept(self) -> Option<Range<usize>> {
        (self.best >= MIN_RUN_SCORE).then_some(self.start..self.best_end)
    }
}

/// One bead of an alignment after [`unpair`]: a bead kept as it was (its index), or a unit
/// left unpaired.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Piece {
    /// The bead at this index, unchanged.
    Kept(usize),
    /// A one-unit bead with an empty side.
    Unpaired(Sides),
}

/// The alignment with the beads of `runs` left unpaired: in each run, every source unit
/// alone, then every target unit alone (so each side's passage stays one run of one-sided
/// beads); the other beads kept.
pub(crate) fn unpair(beads: &[Sides], runs: &[Range<usize>]) -> Vec<Piece> {
    let mut out = Vec::with_capacity(beads.len());
    let mut next = 0;
    for run in runs {
        out.extend((next..run.start).map(Piece::Kept));
        let (first, last) = (&beads[run.start], &beads[run.end - 1]);
        let (src, tgt) = (first.src.start..last.src.end, first.tgt.start..last.tgt.end);
        out.extend(src.clone().map(|i| {
            Piece::Unpaired(Sides {
                src: i..i + 1,
                tgt: tgt.start..tgt.start,
            })
        }));
        out.extend(tgt.map(|j| {
            Piece::Unpaired(Sides {
                src: src.end..src.end,
                tgt: j..j + 1,
            })
        }));
        next = run.end;
    }
    out.extend((next..beads.len()).map(Piece::Kept));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(pattern: &str) -> Vec<Verdict> {
        pattern
            .chars()
            .map(|c| match c {
                'w' => Verdict::Weak,
                's' => Verdict::Strong,
                _ => Verdict::Neutral,
            })
            .collect()
    }

    #[test]
    fn runs_of_weak_beads_are_found_and_single_ones_are_not() {
        assert_eq!(best_runs(&v("sssswssss")), Vec::<Range<usize>>::new());
        assert_eq!(best_runs(&v("ssswwwwwwwsss")), Vec::<Range<usize>>::new());
        assert_eq!(best_runs(&v("sswwwwwwwwss")), vec![2..10]);
        // An isolated chance match inside a long run does not cut it; unpaired beads inside
        // a run neither count nor cut.
        assert_eq!(best_runs(&v("sswwwwwswwww.wwss")), vec![2..15]);
        // Several true pairs close together do.
        assert_eq!(best_runs(&v("wwwwwwwwsswww")), vec![0..8]);
        assert_eq!(best_runs(&v("wwwwwwwwwssssswwwwwwwww")), vec![0..9, 14..23]);
    }

    /// Judges 1:1 beads, one of every four a template line (its own sides match well,
    /// and recur when `template_recurs`), the others no better than their random pairs.
    fn runs_of_notices(template_recurs: bool) -> Vec<Range<usize>> {
        let beads: Vec<Sides> = (0..20)
            .map(|i| Sides {
                src: i..i + 1,
                tgt: i..i + 1,
            })
            .collect();
        let template = |s: &Sides| s.src.start.is_multiple_of(4) && s.src.start == s.tgt.start;
        let evidence = Evidence {
            lexical: |s: &Sides| Some(if template(s) { 0.9 } else { 0.1 }),
            semantic: |_: &Sides| None,
            contradicts: |_: &Sides| false,
            recurs: |s: &Sides| template_recurs && template(s),
        };
        unrelated_runs(&beads, evidence)
    }

    #[test]
    fn template_lines_recurring_on_both_sides_do_not_break_a_run() {
        // Five notices of four beads: a template line that translates its twin (strong),
        // then three weak beads. Counted as strong, the template lines break the run.
        assert_eq!(runs_of_notices(false), Vec::<Range<usize>>::new());
        assert_eq!(runs_of_notices(true), vec![1..20]);
    }

    #[test]
    fn a_run_left_unpaired_gives_its_source_units_then_its_target_units() {
        let b = |i: usize, j: usize, a: usize, c: usize| Sides {
            src: i..i + a,
            tgt: j..j + c,
        };
        let beads = [
            b(0, 0, 1, 1),
            b(1, 1, 2, 1),
            b(3, 2, 0, 1),
            b(3, 3, 1, 1),
            b(4, 4, 1, 1),
        ];
        let runs = [Range { start: 1, end: 4 }];
        let pieces = unpair(&beads, &runs);
        let unpaired: Vec<(Range<usize>, Range<usize>)> = pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Unpaired(s) => Some((s.src.clone(), s.tgt.clone())),
                Piece::Kept(_) => None,
            })
            .collect();
        assert_eq!(
            unpaired,
            vec![
                (1..2, 1..1),
                (2..3, 1..1),
                (3..4, 1..1),
                (4..4, 1..2),
                (4..4, 2..3),
                (4..4, 3..4)
            ]
        );
        assert_eq!(pieces.first(), Some(&Piece::Kept(0)));
        assert_eq!(pieces.last(), Some(&Piece::Kept(4)));
    }
}
