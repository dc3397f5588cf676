//! The structure of a document: the kind of each block (title, heading with level, item,
//! paragraph) from its markup and layout.

use super::weave::{clearly_cut, ends_sentence, word_count, Piece, HEADING_MAX_WORDS};
use crate::{Block, BlockKind, Lang};

/// A kind before heading levels are settled.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Draft {
    Title,
    Heading(Option<u8>),
    Item,
    Paragraph,
}

/// Builds the blocks of two language versions. Heading levels without markup are decided on
/// both versions together when they have as many headings, so that they agree.
pub fn blocks_of_pair(pieces: [Vec<Piece>; 2], langs: [Lang; 2]) -> [Vec<Block>; 2] {
    let drafts = [draft_kinds(&pieces[0]), draft_kinds(&pieces[1])];
    let margins = [
        level_margins(&pieces[0], &drafts[0]),
        level_margins(&pieces[1], &drafts[1]),
    ];
    let joint = margins[0].len() == margins[1].len();
    let [p0, p1] = pieces;
    let [d0, d1] = drafts;
    let levels0 = settle(&margins[0], joint.then_some(&margins[1]));
    let levels1 = settle(&margins[1], joint.then_some(&margins[0]));
    [
        build(p0, &d0, &levels0, langs[0]),
        build(p1, &d1, &levels1, langs[1]),
    ]
}

/// Builds the blocks of one document on its own.
pub fn blocks_of(pieces: Vec<Piece>, lang: Lang) -> Vec<Block> {
    let drafts = draft_kinds(&pieces);
    let margins = level_margins(&pieces, &drafts);
    let levels = settle(&margins, None);
    build(pieces, &drafts, &levels, lang)
}

fn base_kind(piece: &Piece) -> Draft {
    let mark = piece.mark;
    if mark.bullet {
        Draft::Item
    } else if mark.bold || is_heading_like(&piece.text) {
        Draft::Heading(mark.size_level)
    } else {
        Draft::Paragraph
    }
}

/// In a Markdown document headings are explicit: an unmarked line is a paragraph.
fn markdown_kind(piece: &Piece) -> Draft {
    match piece.mark.md_level {
        Some(1) => Draft::Title,
        Some(h) => Draft::Heading(Some(h - 1)),
        None if piece.mark.bullet => Draft::Item,
        None => Draft::Paragraph,
    }
}

/// Most words a piece of a title page holds: a longer one (a text whose lines are not
/// separated by blank lines, read as one piece that ends on a heading) is body text.
const TITLE_MAX_WORDS: usize = 4 * HEADING_MAX_WORDS;

fn is_heading_like(text: &str) -> bool {
    !ends_sentence(text)
        && !clearly_cut(text)
        && !ends_broken_off(text)
        && word_count(text) <= HEADING_MAX_WORDS
}

/// Whether text ends on a dash (`--`, `—`), closing quotes aside: speech broken off
/// (`Then Mrs. Reed subjoined --`), which a heading never is.
fn ends_broken_off(text: &str) -> bool {
    let text = text.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '"' | '\'' | '”' | '’' | '»' | '“' | '«')
    });
    text.ends_with("--") || text.ends_with('—')
}

/// Kinds from markup, then the cover: without Markdown headings, everything before the
/// first item, finished paragraph or long piece (more words than [`TITLE_MAX_WORDS`]) is
/// the title page, and its last short line (when there are several) is the first heading.
/// The kind of each piece as a block (heading levels left aside), to compare structures.
pub fn kinds(pieces: &[Piece]) -> Vec<BlockKind> {
    draft_kinds(pieces)
        .into_iter()
        .map(|d| match d {
            Draft::Title => BlockKind::Title,
            Draft::Heading(_) => BlockKind::Heading,
            Draft::Item => BlockKind::Item,
            Draft::Paragraph => BlockKind::Paragraph,
        })
        .collect()
}

fn draft_kinds(pieces: &[Piece]) -> Vec<Draft> {
    if pieces.iter().any(|p| p.mark.md_level.is_some()) {
        return pieces.iter().map(markdown_kind).collect();
    }
    let mut kinds: Vec<Draft> = pieces.iter().map(base_kind).collect();
    let body = pieces
        .iter()
        .position(|p| {
            p.mark.bullet || ends_sentence(&p.text) || word_count(&p.text) > TITLE_MAX_WORDS
        })
        .unwrap_or(pieces.len());
    for (i, kind) in kinds.iter_mut().enumerate().take(body) {
        let last_short =
            body >= 2 && i == body - 1 && word_count(&pieces[i].text) <= HEADING_MAX_WORDS;
        *kind = if last_short {
            Draft::Heading(Some(1))
        } else {
            Draft::Title
        };
    }
    kinds
}

/// For each heading in order: its level when the layout fixes it, or a margin (positive
/// for level 1) when it must be guessed. A heading directly followed by another heading
/// opens a section (level 1) and the next is a sub-section (level 2); those pairs are the
/// examples a lone heading is compared to, by length.
fn level_margins(pieces: &[Piece], drafts: &[Draft]) -> Vec<Result<u8, f64>> {
    let mut fixed: Vec<Option<u8>> = drafts
        .iter()
        .map(|d| match d {
            Draft::Heading(level) => *level,
            _ => None,
        })
        .collect();
    let is_heading = |i: usize| matches!(drafts.get(i), Some(Draft::Heading(_)));
    let mut example: Vec<Option<u8>> = vec![None; drafts.len()];
    for i in 0..drafts.len() {
        if is_heading(i) && is_heading(i + 1) && fixed[i].is_none() {
            fixed[i] = Some(1);
            example[i] = Some(1);
            if fixed[i + 1].is_none() {
                fixed[i + 1] = Some(2);
                example[i + 1] = Some(2);
            }
        }
    }
    let log_len = |i: usize| (pieces[i].text.chars().count().max(1) as f64).ln();
    let mean_of = |level: u8| {
        let xs: Vec<f64> = (0..drafts.len())
            .filter(|&i| example[i] == Some(level))
            .map(log_len)
            .collect();
        (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
    };
    let means = (mean_of(1), mean_of(2));
    (0..drafts.len())
        .filter(|&i| is_heading(i))
        .map(|i| match (fixed[i], means) {
            (Some(level), _) => Ok(level),
            (None, (Some(m1), Some(m2))) => Err((log_len(i) - m2).abs() - (log_len(i) - m1).abs()),
            (None, _) => Ok(1),
        })
        .collect()
}

fn settle(own: &[Result<u8, f64>], other: Option<&Vec<Result<u8, f64>>>) -> Vec<u8> {
    own.iter()
        .enumerate()
        .map(|(i, m)| match m {
            Ok(level) => *level,
            Err(margin) => {
                let extra = match other.map(|o| &o[i]) {
                    Some(Err(m)) => *m,
                    _ => 0.0,
                };
                if margin + extra >= 0.0 {
                    1
                } else {
                    2
                }
            }
        })
        .collect()
}

fn build(pieces: Vec<Piece>, drafts: &[Draft], levels: &[u8], lang: Lang) -> Vec<Block> {
    let mut heading_levels = levels.iter();
    pieces
        .into_iter()
        .zip(drafts)
        .enumerate()
        .map(|(i, (piece, draft))| {
            let (kind, level) = match draft {
                Draft::Title => (BlockKind::Title, 0),
                Draft::Heading(_) => (BlockKind::Heading, *heading_levels.next().unwrap_or(&1)),
                Draft::Item => (BlockKind::Item, 0),
                Draft::Paragraph => (BlockKind::Paragraph, 0),
            };
            Block {
                id: format!("{lang}-b{}", i + 1),
                lang,
                kind,
                level,
                text: piece.text,
                source_lines: piece.lines,
                joined_from: if piece.parts.len() > 1 {
                    piece.parts
                } else {
                    Vec::new()
                },
                lang_confidence: ((piece.confidence * 1000.0).round() / 1000.0) as f32,
                regions: Vec::new(),
                note: None,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::markup::paragraphs;
    use super::*;

    fn blocks(text: &str) -> Vec<Block> {
        let pieces = paragraphs(text)
            .into_iter()
            .map(|p| Piece::new(p, 1.0))
            .collect();
        blocks_of(pieces, Lang::NL)
    }

    fn kinds(blocks: &[Block]) -> Vec<(BlockKind, u8)> {
        blocks.iter().map(|b| (b.kind, b.level)).collect()
    }

    #[test]
    fn reads_cover_headings_items_and_paragraphs() {
        let text = "**BENELUX ASSEMBLEE**\n\n17 juni 2023\n\nVerslag 2022\n\nInleiding\n\nDit verslag geeft een overzicht.\n\n\
                    Samenwerking op het gebied van Europese zaken\n\nMinisterieel niveau\n\n- **Benelux-Top**\n\nDe regeringsleiders kwamen bijeen.\n\n\
                    Hoogambtelijk niveau\n\n• Vergadering\n\nTekst.\n\nSamenwerking met andere regionale verbanden\n\nTekst.";
        use BlockKind::*;
        assert_eq!(
            kinds(&blocks(text)),
            [
                (Title, 0),
                (Title, 0),
                (Title, 0),
                (Heading, 1),
                (Paragraph, 0),
                (Heading, 1),
                (Heading, 2),
                (Item, 0),
                (Paragraph, 0),
                (Heading, 2),
                (Item, 0),
                (Paragraph, 0),
                (Heading, 1),
                (Paragraph, 0),
            ]
        );
    }

    #[test]
    fn a_long_text_ending_on_a_heading_is_no_title() {
        let sentence =
            "Emma Woodhouse , handsome , clever , and rich , had lived nearly twenty-one years .";
        // One line: the whole text, its last words a chapter title run into it.
        let text = format!("EMMA\n\n{} CHAPTER III", [sentence; 8].join(" "));
        use BlockKind::*;
        assert_eq!(kinds(&blocks(&text)), [(Title, 0), (Paragraph, 0)]);
        // A cover of short lines reads as before: title, then its last line as a heading.
        assert_eq!(
            kinds(&blocks("EMMA\n\nBy Jane Austen")),
            [(Title, 0), (Heading, 1)]
        );
    }

    #[test]
    fn a_text_one_sentence_per_line_gives_a_block_per_line_and_headings() {
        let text = "EMMA By Jane Austen\nVOLUME I\nCHAPTER I\n\
                    Emma Woodhouse , handsome , clever , and rich , seemed happy .\n\
                    She was the youngest of the two daughters .\n\
                    CHAPTER II\n\
                    Mr. Weston was a native of Highbury .";
        let b = blocks(text);
        use BlockKind::*;
        // The lines before the first sentence are the title page, its last one a heading.
        assert_eq!(
            kinds(&b),
            [
                (Title, 0),
                (Title, 0),
                (Heading, 1),
                (Paragraph, 0),
                (Paragraph, 0),
                (Heading, 1),
                (Paragraph, 0)
            ]
        );
        assert_eq!(
            b[3].text,
            "Emma Woodhouse , handsome , clever , and rich , seemed happy ."
        );
        assert_eq!(b[6].source_lines, [7, 7]);
        // A line broken off on a dash is speech, not a heading.
        let text = "Emma was happy.\nThen she said --\n« Mais —\nCHAPTER II\nShe left.";
        assert_eq!(
            kinds(&blocks(text)),
            [
                (Paragraph, 0),
                (Paragraph, 0),
                (Paragraph, 0),
                (Heading, 1),
                (Paragraph, 0)
            ]
        );
    }

    #[test]
    fn markdown_headings_give_kinds_and_levels() {
        let b = blocks("# Titel\n\n## Deel\n\n### Sub\n\nTekst zonder punt\n\n- punt");
        use BlockKind::*;
        assert_eq!(
            kinds(&b),
            [
                (Title, 0),
                (Heading, 1),
                (Heading, 2),
                (Paragraph, 0),
                (Item, 0)
            ]
        );
        assert_eq!(b[0].id, "nl-b1");
    }
}
