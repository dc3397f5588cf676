//! Omissions and additions: a sentence bead with text on one side only (1:0, 0:1).
//! Headings and list titles are included: a missing heading is as much a defect. A run of
//! more than [`MAX_SENTENCE_FINDINGS`] such beads on the same side is one finding for the
//! passage: a page in one language only (an official journal's one-language notices, an
//! index set per language) or a passage left out, which a reviser judges once.

use super::context::{BeadText, Context, FindingBuilder};
use crate::Finding;

/// Runs of one-sided beads up to this long are reported bead by bead.
pub const MAX_SENTENCE_FINDINGS: usize = 3;

/// Reports the beads that are empty on one side, a long run of them as one passage.
pub fn run(ctx: &Context, out: &mut Vec<Finding>) {
    let mut run: Vec<(&BeadText, usize)> = Vec::new();
    for bead in &ctx.beads {
        match full_side(bead) {
            Some(side) if run.last().is_none_or(|(_, s)| *s == side) => run.push((bead, side)),
            Some(side) => {
                report_run(&run, out);
                run = vec![(bead, side)];
            }
            None => {
                report_run(&run, out);
                run.clear();
            }
        }
    }
    report_run(&run, out);
}

/// The side (0 or 1) that holds the text of a one-sided bead; `None` for a paired bead, and
/// for extraction leftovers such as a lone page number (the debris check's business).
fn full_side(bead: &BeadText) -> Option<usize> {
    let side = match (bead.sides[0].is_empty(), bead.sides[1].is_empty()) {
        (false, true) => 0,
        (true, false) => 1,
        _ => return None,
    };
    bead.sides[side]
        .text
        .chars()
        .any(char::is_alphabetic)
        .then_some(side)
}

/// One finding per bead of a short run, one for the whole of a long one.
fn report_run(run: &[(&BeadText, usize)], out: &mut Vec<Finding>) {
    let Some(&(first, side)) = run.first() else {
        return;
    };
    if run.len() > MAX_SENTENCE_FINDINGS {
        let (full, empty) = (&first.sides[side], &first.sides[1 - side]);
        let last = run[run.len() - 1].0.index;
        let message = format!(
            "{} beads of text on the {} side (beads {} to {last}) have no counterpart on the {} side: a part in one language only, or a passage left out",
            run.len(),
            full.lang,
            first.index,
            empty.lang
        );
        out.push(
            FindingBuilder::new(Some(first.index), message)
                .lang(full.lang)
                .mark(full, 0, full.text.len())
                .build(),
        );
        return;
    }
    for &(bead, side) in run {
        let (full, empty) = (&bead.sides[side], &bead.sides[1 - side]);
        let message = format!(
            "text on the {} side has no counterpart on the {} side (omission or addition)",
            full.lang, empty.lang
        );
        out.push(
            FindingBuilder::new(Some(bead.index), message)
                .lang(full.lang)
                .mark(full, 0, full.text.len())
                .build(),
        );
    }
}

#[cfg(test)]
pub(super) const EXAMPLES: &[super::examples::Example] = &[
    super::examples::no(
        "De ministers kwamen bijeen.",
        "Les ministres se sont réunis.",
    ),
    super::examples::no(
        "De ministers kwamen bijeen.\n12",
        "Les ministres se sont réunis.\n",
    ),
    super::examples::yes(
        "De ministers kwamen bijeen.\nZe maakten ook de balans op.",
        "Les ministres se sont réunis.\n",
    ),
    super::examples::yes(
        "De ministers kwamen bijeen.\n",
        "Les ministres se sont réunis.\nCette réunion est la première.",
    ),
];

#[cfg(test)]
mod tests {
    use super::super::examples::{bitext, in_langs};
    use super::super::{run_checks, CheckOptions};
    use crate::Lang;

    fn omissions(src: &'static str, tgt: &'static str) -> Vec<String> {
        let e = in_langs([Lang::NL, Lang::FR], true, src, tgt);
        let options = CheckOptions {
            only: vec!["omission".into()],
            ..CheckOptions::default()
        };
        run_checks(&bitext(&e), &options)
            .findings
            .into_iter()
            .map(|f| f.message)
            .collect()
    }

    #[test]
    fn a_long_run_on_one_side_is_one_passage_and_a_short_one_is_per_sentence() {
        let long = omissions(
            "Een.\nTwee.\nDrie.\nVier.\nVijf.\nZes.",
            "Un.\n\n\n\n\nSix.",
        );
        assert_eq!(long.len(), 1, "{long:?}");
        assert!(
            long[0].starts_with("4 beads of text on the nl side (beads 1 to 4)"),
            "{long:?}"
        );
        let short = omissions("Een.\nTwee.\nDrie.\nVier.", "Un.\n\n\nQuatre.");
        assert_eq!(short.len(), 2, "{short:?}");
        let both_ways = omissions("Een.\n\nDrie.", "Un.\nDeux.\n");
        assert_eq!(both_ways.len(), 2, "{both_ways:?}");
    }
}
