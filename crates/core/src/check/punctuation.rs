//! Punctuation: brackets and quotes left unpaired within a paragraph (`(ACT` without `)`,
//! `“groene partnerschappen` without `”`). Paragraphs, not sentences, are the unit: a
//! bracket may open in one sentence and close in the next. Consecutive paragraphs of one
//! sentence or one input line each (a text written a sentence or a paragraph per line) are
//! read as one unit, since there a quotation runs over several lines.

use super::context::{Context, FindingBuilder};
use crate::{BlockKind, Document, Finding};

const PAIRS: &[(char, char)] = &[
    ('(', ')'),
    ('[', ']'),
    ('{', '}'),
    ('“', '”'),
    ('«', '»'),
    ('„', '“'),
];

/// Byte offsets of the unpaired brackets and quotes of a text.
pub fn unpaired(text: &str) -> Vec<usize> {
    let mut stack: Vec<(char, usize)> = Vec::new();
    let mut bad = Vec::new();
    for (i, c) in text.char_indices() {
        // `„…“` (German) closes with the character that opens in English.
        if let Some(&(open, _)) = stack.last() {
            if PAIRS.iter().any(|&(o, cl)| o == open && cl == c) {
                stack.pop();
                continue;
            }
        }
        if PAIRS.iter().any(|&(o, _)| o == c) {
            stack.push((c, i));
        } else if PAIRS.iter().any(|&(_, cl)| cl == c) {
            bad.push(i);
        }
    }
    bad.extend(stack.into_iter().map(|(_, i)| i));
    // Straight double quotes have no direction: an odd count leaves one unpaired.
    let straight: Vec<usize> = text.match_indices('"').map(|(i, _)| i).collect();
    if straight.len() % 2 == 1 {
        bad.push(*straight.last().unwrap_or(&0));
    }
    bad.sort_unstable();
    bad
}

/// The blocks checked together: a block alone, or a run of consecutive paragraphs of one
/// sentence or one input line each (a text written a sentence or a paragraph per line,
/// where a quotation runs over several lines).
fn units(doc: &Document) -> Vec<std::ops::Range<usize>> {
    let line_or_sentence = |bi: usize| {
        let block = &doc.blocks[bi];
        let one_line =
            block.source_lines[0] == block.source_lines[1] && block.joined_from.is_empty();
        block.kind == BlockKind::Paragraph && (one_line || doc.sentences_of_block(bi).len() == 1)
    };
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    for bi in 0..doc.blocks.len() {
        match out.last_mut() {
            Some(last) if line_or_sentence(bi) && line_or_sentence(last.start) => last.end = bi + 1,
            _ => out.push(bi..bi + 1),
        }
    }
    out
}

/// The unpaired brackets and quotes of a unit of blocks, as (block, byte offset in it).
fn unpaired_in(doc: &Document, unit: std::ops::Range<usize>) -> Vec<(usize, usize)> {
    let mut joined = String::new();
    let mut starts = Vec::with_capacity(unit.len());
    for bi in unit.clone() {
        starts.push(joined.len());
        joined.push_str(&doc.blocks[bi].text);
        joined.push('\n');
    }
    unpaired(&joined)
        .into_iter()
        .map(|at| {
            let i = starts.partition_point(|&s| s <= at) - 1;
            (unit.start + i, at - starts[i])
        })
        .collect()
}

/// Reports unpaired brackets and quotes, per unit of blocks ([`units`]), at the bead of the
/// sentence holding them.
pub fn run(ctx: &Context, out: &mut Vec<Finding>) {
    let docs: [&Document; 2] = [&ctx.bitext.src, &ctx.bitext.tgt];
    for (k, doc) in docs.iter().enumerate() {
        for unit in units(doc) {
            for (bi, offset) in unpaired_in(doc, unit) {
                let sentences = doc.sentences_of_block(bi);
                let Some(si) = sentences.clone().find(|&s| {
                    let [a, b] = doc.sentences[s].span;
                    a <= offset && offset < b
                }) else {
                    continue;
                };
                let Some(bead) = ctx.bead_of(k, si) else {
                    continue;
                };
                let side = &ctx.beads[bead].sides[k];
                let Some(start) = side.offset_of(si) else {
                    continue;
                };
                let at = start + offset - doc.sentences[si].span[0];
                let len = side.text[at..].chars().next().map_or(1, char::len_utf8);
                let message = format!("unpaired {} in this paragraph", &side.text[at..at + len]);
                out.push(
                    FindingBuilder::new(Some(bead), message)
                        .lang(side.lang)
                        .mark(side, at, at + len)
                        .build(),
                );
            }
        }
    }
}

#[cfg(test)]
pub(super) const EXAMPLES: &[super::examples::Example] = &[
    super::examples::no(
        "door middel van “groene partnerschappen” (met name havens).",
        "à travers des « partenariats verts » (en particulier les ports).",
    ),
    super::examples::no(
        "het \"Code of Conduct\" en de ACT-groep",
        "le \"Code de conduite\" et le Groupe ACT",
    ),
    super::examples::yes(
        "de Accountability, Coherence and Transparency (ACT group.",
        "le Groupe Responsabilité, cohérence et transparence (Groupe ACT).",
    ),
    super::examples::yes(
        "door middel van “groene partnerschappen vanuit",
        "à travers des « partenariats verts » serait",
    ),
];

#[cfg(test)]
mod unit_tests {
    use super::*;
    use crate::{Block, Lang};

    /// A document of `paragraphs`, each written over `lines` input lines.
    fn document(paragraphs: &[&str], lines: usize) -> Document {
        let mut doc = Document {
            lang: Some(Lang::EN),
            blocks: paragraphs
                .iter()
                .enumerate()
                .map(|(i, text)| Block {
                    id: format!("en-b{}", i + 1),
                    lang: Lang::EN,
                    kind: BlockKind::Paragraph,
                    level: 0,
                    text: (*text).to_owned(),
                    source_lines: [i * lines + 1, (i + 1) * lines],
                    joined_from: vec![],
                    lang_confidence: 1.0,
                    regions: vec![],
                    note: None,
                })
                .collect(),
            sentences: vec![],
        };
        crate::segment::segment_document(&mut doc);
        doc
    }

    fn all_unpaired(doc: &Document) -> Vec<(usize, usize)> {
        units(doc)
            .into_iter()
            .flat_map(|u| unpaired_in(doc, u))
            .collect()
    }

    #[test]
    fn a_quotation_over_lines_of_one_sentence_is_paired_across_them() {
        let sentences = ["“I will go.", "It is late.", "Good night,” she said."];
        assert_eq!(all_unpaired(&document(&sentences, 1)), []);
        assert_eq!(
            all_unpaired(&document(&sentences, 2)),
            [],
            "one sentence each"
        );
        let paragraphs = [
            "“I will go. It is late.",
            "We stayed. Good night,” she said.",
        ];
        assert_eq!(all_unpaired(&document(&paragraphs, 1)), [], "one line each");
        // Paragraphs of several sentences and lines are still checked one by one.
        assert_eq!(all_unpaired(&document(&paragraphs, 3)), [(0, 0), (1, 22)]);
    }
}
