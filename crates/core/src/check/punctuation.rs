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
        } else if PAIRS.iter().any(|&(_, cl)| cl == c) && !closes_a_label(text, i) {
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

/// Whether the `)` at `at` closes an enumerator's label after the start of the text or a
/// space: a letter (`a)`), a number (`2)`), a number and a letter (`alinéas 68b) et c)`, as
/// French cites a paragraph), or a Roman numeral (`iv)`).
fn closes_a_label(text: &str, at: usize) -> bool {
    if !text[at..].starts_with(')') {
        return false;
    }
    let before = &text[..at];
    let label_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| !c.is_alphanumeric())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let after_space = before[..label_start]
        .chars()
        .next_back()
        .is_none_or(char::is_whitespace);
    after_space && is_label(&before[label_start..])
}

/// Whether a word is an enumerator's label: see [`closes_a_label`].
fn is_label(label: &str) -> bool {
    let digits = label.chars().take_while(char::is_ascii_digit).count();
    let rest = &label[digits..];
    let letter = rest.chars().count() == 1 && rest.chars().all(char::is_alphabetic);
    let roman = super::numbers::roman_value(&label.to_uppercase()).is_some();
    match digits {
        0 => letter || roman,
        1..=3 => rest.is_empty() || letter,
        _ => false,
    }
}

/// Whether a pair of [`PAIRS`] is of quotation marks, which may open in one paragraph and
/// close in a later one: the text an amending law inserts (`“Art. 332. § 1. …` … `… van
/// toepassing.”`) runs over several. Brackets close in their paragraph.
fn is_quotation(&(open, _): &(char, char)) -> bool {
    !matches!(open, '(' | '[' | '{')
}

/// How many blocks apart an opening quotation mark and its closing one may be.
const QUOTED_BLOCKS: usize = 40;

/// Drops from `marks` (a document's unpaired marks, in order, as block, offset and
/// character) the quotation marks that pair across paragraphs: an opening one left open and
/// the next closing one of its kind, within [`QUOTED_BLOCKS`] blocks, with no other unpaired
/// quotation mark between them.
fn pair_across_paragraphs(marks: Vec<(usize, usize, char)>) -> Vec<(usize, usize, char)> {
    let mut keep = vec![true; marks.len()];
    let mut open: Option<usize> = None;
    for (k, &(block, _, c)) in marks.iter().enumerate() {
        let mut quotes = PAIRS.iter().filter(|p| is_quotation(p));
        let closes = open.filter(|&o| {
            let (ob, _, oc) = marks[o];
            quotes.clone().any(|&p| p == (oc, c)) && block - ob <= QUOTED_BLOCKS
        });
        if let Some(o) = closes {
            keep[o] = false;
            keep[k] = false;
            open = None;
        } else if quotes.clone().any(|&(o, cl)| o == c || cl == c) {
            open = quotes.any(|&(o, _)| o == c).then_some(k);
        }
    }
    marks
        .into_iter()
        .zip(keep)
        .filter_map(|(m, kept)| kept.then_some(m))
        .collect()
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
        let marks: Vec<(usize, usize, char)> = units(doc)
            .into_iter()
            .flat_map(|unit| unpaired_in(doc, unit))
            .map(|(bi, offset)| {
                let c = doc.blocks[bi].text[offset..].chars().next().unwrap_or(' ');
                (bi, offset, c)
            })
            .collect();
        for (bi, offset, _) in pair_across_paragraphs(marks) {
            report_mark(ctx, k, doc, bi, offset, out);
        }
    }
}

/// Reports the unpaired mark at `offset` of block `bi` of side `k` at the bead of the
/// sentence holding it.
fn report_mark(
    ctx: &Context,
    k: usize,
    doc: &Document,
    bi: usize,
    offset: usize,
    out: &mut Vec<Finding>,
) {
    let sentences = doc.sentences_of_block(bi);
    let Some(si) = sentences.clone().find(|&s| {
        let [a, b] = doc.sentences[s].span;
        a <= offset && offset < b
    }) else {
        return;
    };
    let Some(bead) = ctx.bead_of(k, si) else {
        return;
    };
    let side = &ctx.beads[bead].sides[k];
    let Some(start) = side.offset_of(si) else {
        return;
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
    super::examples::no(
        "a) gespecialiseerde colleges op te richten;\nb) bijdragen tot een vermindering (met 2) van de geschillen;",
        "a) constituer des collèges spécialisés ;\nb) contribuer à réduire (de 2) les litiges ;",
    ),
    super::examples::yes(
        "de Raad zie hoger) besloot",
        "le Conseil (voir plus haut) a décidé",
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

    /// The marks [`all_unpaired`] finds with their characters, as [`run`] pairs them.
    fn marks(doc: &Document) -> Vec<(usize, usize, char)> {
        all_unpaired(doc)
            .into_iter()
            .map(|(b, o)| (b, o, doc.blocks[b].text[o..].chars().next().unwrap()))
            .collect()
    }

    #[test]
    fn enumerators_labels_are_letters_numbers_and_roman_numerals() {
        for label in ["a", "2", "12", "68b", "iv", "XII"] {
            assert!(is_label(label), "{label}");
        }
        for word in ["les", "ten", "1234", "ab", "b2"] {
            assert!(!is_label(word), "{word}");
        }
        assert!(closes_a_label("a) x", 1));
        assert!(!closes_a_label("Bruxel- les) et", 11));
    }

    #[test]
    fn a_quotation_over_paragraphs_pairs_its_first_and_last_marks() {
        let inserted = [
            "“Art. 332. § 1. De rechter beslist. Hij doet dat snel.",
            "§ 2. Het hof beslist in hoger beroep. Het doet dat binnen de maand.",
            "§ 3. Dit artikel is van toepassing op de lopende zaken.”",
            "Art. 2. Deze wet treedt in werking op de dag van de bekendmaking (zie hoger.",
        ];
        let doc = document(&inserted, 3);
        assert_eq!(marks(&doc).len(), 3);
        let left = pair_across_paragraphs(marks(&doc));
        assert_eq!(left.iter().map(|m| m.2).collect::<String>(), "(");
        // A closing mark of another kind, or one too far away, pairs nothing.
        let guillemet = vec![(0, 0, '“'), (2, 5, '»')];
        assert_eq!(pair_across_paragraphs(guillemet.clone()), guillemet);
        let far = vec![(0, 0, '«'), (QUOTED_BLOCKS + 1, 5, '»')];
        assert_eq!(pair_across_paragraphs(far.clone()), far);
    }
}
