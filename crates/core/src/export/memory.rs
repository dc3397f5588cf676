//! Turns the translation units read from a TMX or XLIFF file into a [`Bitext`].
//!
//! A unit written by diptych carries, per side, the ids of its pieces, their blocks, the kinds
//! of those blocks and where each piece starts in the text; with them the sentences, blocks
//! and bead shapes come back as they were. A unit from another tool has none of these: each
//! side becomes one sentence in a block of its own, and the unit a 1:1 bead.

use std::path::Path;

use crate::model::{Bead, Block, BlockKind, Document, Sentence};
use crate::{Bitext, Error, Lang, Result};

/// One side of a unit as read.
#[derive(Debug, Default)]
pub(crate) struct SideRecord {
    /// The text (all pieces, joined by a space).
    pub text: String,
    /// Piece ids (`x-ids` / `ids`), if written by diptych.
    pub ids: Vec<String>,
    /// The block id of each piece.
    pub blocks: Vec<String>,
    /// The block kind of each piece.
    pub kinds: Vec<String>,
    /// Where each piece starts in `text`, in characters.
    pub starts: Vec<usize>,
    /// 1-based line of the side's element (`<tuv>`, `<source>`, `<target>`).
    pub line: usize,
}

/// One translation unit as read.
#[derive(Debug, Default)]
pub(crate) struct UnitRecord {
    /// The alignment score, if written.
    pub score: Option<f32>,
    /// Source and target side.
    pub sides: [SideRecord; 2],
}

/// Parses a space-separated list of numbers written by diptych.
pub(crate) fn parse_numbers(
    path: &Path,
    line: usize,
    what: &str,
    text: &str,
) -> Result<Vec<usize>> {
    text.split_whitespace()
        .map(|n| {
            n.parse().map_err(|_| Error::Malformed {
                path: path.into(),
                line,
                message: format!("{what}: {n:?} is not a number"),
            })
        })
        .collect()
}

/// Builds the bitext. `langs` are the source and target languages; `name` the document name.
pub(crate) fn build_bitext(
    path: &Path,
    name: String,
    langs: [Lang; 2],
    units: Vec<UnitRecord>,
) -> Result<Bitext> {
    let mut docs = langs.map(|lang| Document {
        lang: Some(lang),
        ..Default::default()
    });
    let mut beads = Vec::with_capacity(units.len());
    let mut touched = Vec::with_capacity(units.len());
    for (u, unit) in units.iter().enumerate() {
        let mut ranges = [0..0, 0..0];
        let mut block_ranges = [0..0, 0..0];
        for side in 0..2 {
            let doc = &mut docs[side];
            let before = (doc.sentences.len(), doc.blocks.len());
            add_side(path, doc, langs[side], u, &unit.sides[side])?;
            ranges[side] = before.0..doc.sentences.len();
            // A piece that continues the previous unit's block touches that block too.
            let first_block = doc.sentences[before.0..]
                .first()
                .map_or(doc.blocks.len(), |s| s.block_index);
            block_ranges[side] = first_block.min(before.1)..doc.blocks.len();
            if ranges[side].is_empty() {
                block_ranges[side] = doc.blocks.len()..doc.blocks.len();
            }
        }
        let [src, tgt] = ranges;
        beads.push(Bead::new(src, tgt, unit.score.unwrap_or(1.0)));
        touched.push(block_ranges);
    }
    let [src, tgt] = docs;
    Ok(Bitext {
        name,
        block_beads: block_beads(&touched),
        src,
        tgt,
        beads,
    })
}

/// Adds the pieces of one side of unit `u` to `doc`.
fn add_side(
    path: &Path,
    doc: &mut Document,
    lang: Lang,
    u: usize,
    side: &SideRecord,
) -> Result<()> {
    let pieces = split_pieces(path, side)?;
    for (i, piece) in pieces.into_iter().enumerate() {
        let block_id = side
            .blocks
            .get(i)
            .cloned()
            .unwrap_or_else(|| format!("{lang}-u{u}"));
        let continues = doc.blocks.last().is_some_and(|b| b.id == block_id);
        if !continues {
            let kind = side
                .kinds
                .get(i)
                .and_then(|k| kind_from_name(k))
                .unwrap_or(BlockKind::Paragraph);
            doc.blocks.push(Block {
                id: block_id.clone(),
                lang,
                kind,
                level: u8::from(kind == BlockKind::Heading),
                text: String::new(),
                source_lines: [side.line, side.line],
                joined_from: vec![],
                lang_confidence: 1.0,
                regions: vec![],
                note: None,
            });
        }
        let block_index = doc.blocks.len() - 1;
        let block = &mut doc.blocks[block_index];
        if !block.text.is_empty() {
            block.text.push(' ');
        }
        let start = block.text.len();
        block.text.push_str(&piece);
        block.source_lines[1] = side.line;
        let id = side
            .ids
            .get(i)
            .cloned()
            .unwrap_or_else(|| format!("{lang}-s{}", doc.sentences.len()));
        doc.sentences.push(Sentence {
            id,
            lang,
            block: block_id,
            block_index,
            span: [start, start + piece.len()],
            text: piece,
        });
    }
    Ok(())
}

/// Cuts a side's text at its piece starts; no starts means one piece (none if empty).
fn split_pieces(path: &Path, side: &SideRecord) -> Result<Vec<String>> {
    if side.starts.len() <= 1 {
        return Ok(if side.text.is_empty() {
            vec![]
        } else {
            vec![side.text.clone()]
        });
    }
    let chars: Vec<char> = side.text.chars().collect();
    let bad = |message: String| Error::Malformed {
        path: path.into(),
        line: side.line,
        message,
    };
    let mut pieces = Vec::with_capacity(side.starts.len());
    for (i, &start) in side.starts.iter().enumerate() {
        let end = match side.starts.get(i + 1) {
            // Pieces are joined by one space, which is not part of either piece.
            Some(&next) if next > start && next <= chars.len() && chars[next - 1] == ' ' => {
                next - 1
            }
            Some(&next) => {
                return Err(bad(format!(
                    "piece start {next} does not follow a space after {start} in a text of {} characters",
                    chars.len()
                )))
            }
            None if start <= chars.len() => chars.len(),
            None => return Err(bad(format!("piece start {start} is past the end of the text"))),
        };
        pieces.push(chars[start..end].iter().collect());
    }
    Ok(pieces)
}

fn kind_from_name(name: &str) -> Option<BlockKind> {
    [
        BlockKind::Title,
        BlockKind::Heading,
        BlockKind::Item,
        BlockKind::Paragraph,
    ]
    .into_iter()
    .find(|k| k.as_str() == name)
}

/// Block beads from the block ranges each unit touched: units that share a block on either
/// side fall into the same block bead.
fn block_beads(touched: &[[std::ops::Range<usize>; 2]]) -> Vec<Bead> {
    let mut beads: Vec<Bead> = Vec::new();
    for [src, tgt] in touched {
        match beads.last_mut() {
            Some(last) if src.start < last.src.end || tgt.start < last.tgt.end => {
                last.src.end = last.src.end.max(src.end);
                last.tgt.end = last.tgt.end.max(tgt.end);
            }
            _ => {
                let start = |r: &std::ops::Range<usize>, prev: usize| r.start.max(prev);
                let (ps, pt) = beads.last().map_or((0, 0), |b| (b.src.end, b.tgt.end));
                beads.push(Bead::new(
                    start(src, ps)..src.end.max(ps),
                    start(tgt, pt)..tgt.end.max(pt),
                    1.0,
                ));
            }
        }
    }
    beads.retain(|b| !(b.src.is_empty() && b.tgt.is_empty()));
    beads
}

#[cfg(test)]
mod tests {
    use super::*;

    fn side(text: &str, blocks: &[&str], starts: &[usize]) -> SideRecord {
        SideRecord {
            text: text.into(),
            blocks: blocks.iter().map(|s| s.to_string()).collect(),
            starts: starts.to_vec(),
            line: 3,
            ..Default::default()
        }
    }

    #[test]
    fn splits_pieces_and_rejects_bad_starts() {
        let p = Path::new("m.tmx");
        let ok = side("Één zin. Šefik – twee.", &[], &[0, 9]);
        assert_eq!(split_pieces(p, &ok).unwrap(), ["Één zin.", "Šefik – twee."]);
        let bad = side("Één zin. Twee.", &[], &[0, 5]);
        let err = split_pieces(p, &bad).unwrap_err();
        assert!(matches!(err, Error::Malformed { line: 3, .. }), "{err}");
        assert!(split_pieces(p, &side("", &[], &[])).unwrap().is_empty());
    }

    #[test]
    fn sentences_of_one_block_across_units_join_again() {
        let units = vec![
            UnitRecord {
                sides: [side("A.", &["nl-b0"], &[0]), side("X.", &["fr-b0"], &[0])],
                ..Default::default()
            },
            UnitRecord {
                sides: [side("B.", &["nl-b0"], &[0]), side("Y.", &["fr-b0"], &[0])],
                ..Default::default()
            },
            UnitRecord {
                sides: [side("C.", &[], &[]), side("", &[], &[])],
                ..Default::default()
            },
        ];
        let b = build_bitext(Path::new("m"), "m".into(), [Lang::NL, Lang::FR], units).unwrap();
        assert_eq!(b.src.blocks[0].text, "A. B.");
        assert_eq!(b.src.sentences[1].span, [3, 5]);
        assert_eq!(b.beads[2].shape(), (1, 0));
        assert_eq!(
            b.block_beads,
            vec![Bead::new(0..1, 0..1, 1.0), Bead::new(1..2, 1..1, 1.0)]
        );
    }
}
