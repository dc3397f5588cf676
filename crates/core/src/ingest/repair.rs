//! Agreement of structure: both language versions of a document have the same titles,
//! headings, items and paragraphs in the same order. When the runs found by the language
//! smoothing give the two versions different structures, the cause is nearly always a short
//! paragraph at a run boundary whose language the detector cannot tell (`Introduction`, a
//! cover line, a name): moving that run boundary by one or two such paragraphs is tried, and
//! kept when the structures then agree further.

use super::markup::RawPara;
use super::{structure, weave};
use crate::BlockKind;

/// Paragraphs whose evidence for either language (weight times log-odds) is below this may
/// change sides: a shared word like `Introduction`, a cover line, a name; not a sentence.
const WEAK_EVIDENCE: f64 = 1.0;
/// How many boundaries, the nearest to the first disagreement first, are tried per repair.
const MAX_BOUNDARIES: usize = 12;
/// Most repairs tried on one document; each costs one un-weaving.
const MAX_REPAIRS: usize = 32;

/// Moves run boundaries across weak paragraphs while that makes the two structures agree
/// further. `probs[i]` is (probability of language 0, weight) for paragraph i.
pub fn agree(paras: &[RawPara], labels: &mut [usize], probs: &[(f64, f64)]) {
    let mut current = evaluate(paras, labels, probs);
    for _ in 0..MAX_REPAIRS {
        if current.identical {
            return;
        }
        // Among equally good structures, the one that goes least against the detector.
        let best = candidates(paras, labels, probs, &current)
            .into_iter()
            .map(|cand| {
                let eval = evaluate(paras, &cand, probs);
                let cost = evidence_against(&cand, probs) - evidence_against(labels, probs);
                (eval, cost, cand)
            })
            .max_by(|(a, ca, _), (b, cb, _)| a.rank().cmp(&b.rank()).then(cb.total_cmp(ca)));
        match best {
            Some((eval, _, cand)) if eval.rank() > current.rank() => {
                labels.copy_from_slice(&cand);
                current = eval;
            }
            _ => return,
        }
    }
}

/// How well the two structures agree.
struct Evaluation {
    identical: bool,
    /// Number of leading blocks of the same kind on both sides.
    common_prefix: usize,
    /// Difference in block counts.
    count_gap: usize,
    /// First input line of the first disagreeing block on each side.
    first_lines: [Option<usize>; 2],
}

impl Evaluation {
    fn rank(&self) -> (usize, std::cmp::Reverse<usize>) {
        (self.common_prefix, std::cmp::Reverse(self.count_gap))
    }
}

fn evaluate(paras: &[RawPara], labels: &[usize], probs: &[(f64, f64)]) -> Evaluation {
    let confidence: Vec<f64> = probs.iter().map(|p| p.0).collect();
    let pieces = weave::unweave(paras, labels, &confidence);
    let kinds: [Vec<BlockKind>; 2] = [structure::kinds(&pieces[0]), structure::kinds(&pieces[1])];
    let common_prefix = kinds[0]
        .iter()
        .zip(&kinds[1])
        .take_while(|(a, b)| a == b)
        .count();
    Evaluation {
        identical: kinds[0] == kinds[1],
        common_prefix,
        count_gap: kinds[0].len().abs_diff(kinds[1].len()),
        first_lines: [0, 1].map(|l| pieces[l].get(common_prefix).map(|p| p.lines[0])),
    }
}

/// Label sequences with one run boundary near the first disagreement moved by one or two
/// weak paragraphs.
fn candidates(
    paras: &[RawPara],
    labels: &[usize],
    probs: &[(f64, f64)],
    eval: &Evaluation,
) -> Vec<Vec<usize>> {
    let centres: Vec<usize> = eval
        .first_lines
        .iter()
        .flatten()
        .map(|&line| paras.partition_point(|p| p.lines[0] < line))
        .collect();
    let distance = |i: usize| centres.iter().map(|&c| c.abs_diff(i)).min().unwrap_or(0);
    let weak = |i: usize| {
        let (p, weight) = probs[i];
        let p = p.clamp(0.01, 0.99);
        weight * (p / (1.0 - p)).ln().abs() < WEAK_EVIDENCE
    };
    let mut boundaries: Vec<usize> = (1..labels.len())
        .filter(|&b| labels[b] != labels[b - 1] && (weak(b - 1) || weak(b)))
        .collect();
    boundaries.sort_by_key(|&b| distance(b));
    boundaries.truncate(MAX_BOUNDARIES);
    let mut out = Vec::new();
    for b in boundaries {
        let (before, after) = (labels[b - 1], labels[b]);
        // Give the last one or two paragraphs before the boundary to the next run.
        for k in 1..=2 {
            let moved = (b.saturating_sub(k)..b).collect::<Vec<_>>();
            if moved.len() == k && moved.iter().all(|&i| labels[i] == before && weak(i)) {
                out.push(relabel(labels, &moved, after));
            }
        }
        // Give the first one or two paragraphs after it to the previous run.
        for k in 1..=2 {
            let moved = (b..(b + k).min(labels.len())).collect::<Vec<_>>();
            if moved.len() == k && moved.iter().all(|&i| labels[i] == after && weak(i)) {
                out.push(relabel(labels, &moved, before));
            }
        }
    }
    out
}

/// How much the detector's evidence speaks against a labelling (weighted log-odds of the
/// paragraphs given the other language than their guess).
fn evidence_against(labels: &[usize], probs: &[(f64, f64)]) -> f64 {
    labels
        .iter()
        .zip(probs)
        .map(|(&label, &(p, weight))| {
            let p = p.clamp(0.01, 0.99);
            let odds = (p / (1.0 - p)).ln();
            let against = if label == 0 { -odds } else { odds };
            weight * against.max(0.0)
        })
        .sum()
}

fn relabel(labels: &[usize], moved: &[usize], to: usize) -> Vec<usize> {
    let mut out = labels.to_vec();
    for &i in moved {
        out[i] = to;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::markup::paragraphs;
    use super::*;

    #[test]
    fn a_heading_both_languages_share_goes_where_the_structure_needs_it() {
        // "Introduction" is French and English alike; the detector leaves it with the
        // French cover, which gives English no heading before its first paragraph.
        let text = "**Rapport commun**\n\nIntroduction\n\nLe présent rapport donne un aperçu.\n\n\
                    **Joint report**\n\nIntroduction\n\nThis report gives an overview.";
        let paras = paragraphs(text);
        let probs = [
            (0.9, 0.4),
            (0.8, 0.3),
            (0.99, 1.0),
            (0.1, 0.5),
            (0.6, 0.3),
            (0.01, 1.0),
        ];
        let mut labels = vec![0, 0, 0, 1, 0, 1];
        agree(&paras, &mut labels, &probs);
        assert_eq!(labels, [0, 0, 0, 1, 1, 1]);
    }
}
