//! Punctuation: brackets and quotes left unpaired within a paragraph (`(ACT` without `)`,
//! `“groene partnerschappen` without `”`). Paragraphs, not sentences, are the unit: a
//! bracket may open in one sentence and close in the next.

use super::context::{Context, FindingBuilder};
use crate::{Document, Finding};

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

/// Reports unpaired brackets and quotes, per block, at the bead of the sentence holding them.
pub fn run(ctx: &Context, out: &mut Vec<Finding>) {
    let docs: [&Document; 2] = [&ctx.bitext.src, &ctx.bitext.tgt];
    for (k, doc) in docs.iter().enumerate() {
        for (bi, block) in doc.blocks.iter().enumerate() {
            for offset in unpaired(&block.text) {
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
