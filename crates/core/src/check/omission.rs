//! Omissions and additions: a sentence bead with text on one side only (1:0, 0:1).
//! Headings and list titles are included: a missing heading is as much a defect. A run of
//! more than [`MAX_SENTENCE_FINDINGS`] such beads on the same side is one finding for the
//! passage: a page in one language only (an official journal's one-language notices, an
//! index set per language) or a passage left out, which a reviser judges once.
//!
//! A run of one-sided beads with more than [`MAX_SENTENCE_FINDINGS`] sentences on *each*
//! side is neither: it is text in two languages that does not translate each other (the
//! aligner leaves such runs unpaired), reported once as information by the `unpaired` check
//! ([`run_regions`]) and not as omissions.

use std::collections::BTreeSet;
use std::ops::Range;

use super::context::{BeadText, Context, FindingBuilder, SideText};
use crate::{Document, Finding};

/// Runs of one-sided beads up to this long are reported bead by bead.
pub const MAX_SENTENCE_FINDINGS: usize = 3;

/// Reports the beads that are empty on one side, a long run of them as one passage; the
/// beads of a region without counterpart on either side are left to [`run_regions`].
pub fn run(ctx: &Context, out: &mut Vec<Finding>) {
    let regions = regions(ctx);
    let in_region = |k: usize| regions.iter().any(|r| r.contains(&k));
    let mut run: Vec<(&BeadText, usize)> = Vec::new();
    for bead in &ctx.beads {
        match full_side(bead) {
            _ if in_region(bead.index) => {
                report_run(&run, out);
                run.clear();
            }
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

/// Reports each region of text with no counterpart on either side once, as information:
/// where it is (pages when the blocks carry them, else beads) and how many paragraphs and
/// sentences of each language it holds.
pub fn run_regions(ctx: &Context, out: &mut Vec<Finding>) {
    let docs = [&ctx.bitext.src, &ctx.bitext.tgt];
    for region in regions(ctx) {
        let beads = &ctx.beads[region.clone()];
        let counts: Vec<String> = (0..2)
            .map(|side| {
                let sentences = side_sentences(beads, side);
                let blocks = blocks_of(docs[side], &sentences);
                format!(
                    "{} paragraphs ({} sentences) in {}",
                    blocks.len(),
                    sentences.len(),
                    ctx.langs()[side]
                )
            })
            .collect();
        let message = format!(
            "{}: {} and {} have no counterpart: text in one language on each side, not a translation of the other",
            place(ctx, &region),
            counts[0],
            counts[1]
        );
        let mut finding = FindingBuilder::new(Some(region.start), message);
        for side in 0..2 {
            if let Some(first) = beads.iter().find(|b| !b.sides[side].is_empty()) {
                let text = &first.sides[side];
                finding = finding.mark(text, 0, text.text.len());
            }
        }
        out.push(finding.build());
    }
}

/// The runs of beads (indices into [`Context::beads`]) that are one-sided with more than
/// [`MAX_SENTENCE_FINDINGS`] sentences on each side; extraction debris inside a run neither
/// counts nor cuts it, a paired bead ends it.
fn regions(ctx: &Context) -> Vec<Range<usize>> {
    let mut regions = Vec::new();
    let mut start = None;
    let mut counts = [0usize; 2];
    let mut close = |start: Option<usize>, end: usize, counts: [usize; 2]| {
        if let Some(s) = start.filter(|_| counts.iter().all(|&c| c > MAX_SENTENCE_FINDINGS)) {
            regions.push(s..end);
        }
    };
    let mut end = 0;
    for bead in &ctx.beads {
        let one_sided = bead.sides.iter().any(SideText::is_empty);
        if !one_sided {
            close(start.take(), end, counts);
            counts = [0, 0];
            continue;
        }
        if let Some(side) = full_side(bead) {
            start.get_or_insert(bead.index);
            counts[side] += bead.sides[side].sentences().count();
            end = bead.index + 1;
        }
    }
    close(start, end, counts);
    regions
}

/// Indices of the sentences on `side` of `beads`.
fn side_sentences(beads: &[BeadText], side: usize) -> Vec<usize> {
    beads
        .iter()
        .filter(|b| full_side(b) == Some(side))
        .flat_map(|b| b.sides[side].sentences())
        .collect()
}

/// The blocks the sentences belong to.
fn blocks_of(doc: &Document, sentences: &[usize]) -> BTreeSet<usize> {
    sentences
        .iter()
        .filter_map(|&i| doc.sentences.get(i))
        .map(|s| s.block_index)
        .collect()
}

/// Where a region lies: its pages when its blocks come from a paged source, else its beads.
fn place(ctx: &Context, region: &Range<usize>) -> String {
    let beads = &ctx.beads[region.clone()];
    let docs = [&ctx.bitext.src, &ctx.bitext.tgt];
    let pages: BTreeSet<u32> = (0..2)
        .flat_map(|side| {
            blocks_of(docs[side], &side_sentences(beads, side))
                .into_iter()
                .filter_map(move |k| docs[side].blocks.get(k))
                .flat_map(|b| b.regions.iter().map(|r| r.page))
        })
        .collect();
    match (pages.first(), pages.last()) {
        (Some(a), Some(b)) if a == b => format!("page {a}"),
        (Some(a), Some(b)) => format!("pages {a}\u{2013}{b}"),
        _ => format!("beads {} to {}", region.start, region.end - 1),
    }
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
pub(super) const REGION_EXAMPLES: &[super::examples::Example] = &[
    super::examples::yes(
        "Een.\nTwee.\nDrie.\nVier.\n\n\n\n",
        "\n\n\n\nUn.\nDeux.\nTrois.\nQuatre.",
    ),
    super::examples::no("Een.\nTwee.\nDrie.\nVier.\nVijf.", "\n\n\n\n"),
    super::examples::no("Een.\nTwee.\nDrie.\n\n\n", "\n\n\nUn.\nDeux.\nTrois."),
    super::examples::no(
        "De ministers kwamen bijeen.",
        "Les ministres se sont réunis.",
    ),
];

#[cfg(test)]
mod tests {
    use super::super::examples::{bitext, in_langs};
    use super::super::{run_checks, CheckOptions};
    use crate::Lang;

    fn findings(check: &str, src: &'static str, tgt: &'static str) -> Vec<String> {
        let e = in_langs([Lang::NL, Lang::FR], true, src, tgt);
        let options = CheckOptions {
            only: vec![check.into()],
            ..CheckOptions::default()
        };
        run_checks(&bitext(&e), &options)
            .findings
            .into_iter()
            .map(|f| f.message)
            .collect()
    }

    fn omissions(src: &'static str, tgt: &'static str) -> Vec<String> {
        findings("omission", src, tgt)
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

    #[test]
    fn text_without_counterpart_on_both_sides_is_one_region_not_omissions() {
        // Four Dutch sentences, then four French ones, none paired; a page number between
        // them neither counts nor cuts the region.
        let src = "Een.\nTwee.\nDrie.\nVier.\n12\n\n\n\n\nVijf.";
        let tgt = "\n\n\n\n\nUn.\nDeux.\nTrois.\nQuatre.\nCinq.";
        assert_eq!(findings("omission", src, tgt), Vec::<String>::new());
        let region = findings("unpaired", src, tgt);
        assert_eq!(region.len(), 1, "{region:?}");
        assert!(
            region[0].starts_with(
                "beads 0 to 8: 4 paragraphs (4 sentences) in nl and 4 paragraphs (4 sentences) in fr have no counterpart"
            ),
            "{region:?}"
        );
    }
}
