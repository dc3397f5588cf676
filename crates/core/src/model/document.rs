//! One language version of a document: blocks and sentences.

use serde::{Deserialize, Serialize};

use super::Lang;

/// What a block is in the document's structure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BlockKind {
    /// The document's title (cover or first line).
    Title,
    /// A section or sub-section heading.
    Heading,
    /// A list item, e.g. the bold bulleted title of one reported activity.
    Item,
    /// Running text.
    Paragraph,
    /// A footnote (PDF input): kept as its own block after the block that calls it.
    Footnote,
}

impl BlockKind {
    /// The lower-case name used in files (`title`, `heading`, `item`, `paragraph`).
    pub fn as_str(&self) -> &'static str {
        match self {
            BlockKind::Title => "title",
            BlockKind::Heading => "heading",
            BlockKind::Item => "item",
            BlockKind::Paragraph => "paragraph",
            BlockKind::Footnote => "footnote",
        }
    }
}

/// A structural unit of one language version: a title, a heading, an item or a paragraph,
/// with its markup removed and any pieces cut by page or column breaks joined again.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Block {
    /// Stable id, unique within a bitext, e.g. `nl-b12`.
    pub id: String,
    /// The block's language.
    pub lang: Lang,
    /// What the block is.
    pub kind: BlockKind,
    /// Heading depth: 1 for a section, 2 for a sub-section; 0 for other kinds.
    #[serde(default)]
    pub level: u8,
    /// The clean text (no markup, no line breaks inside).
    pub text: String,
    /// First and last 1-based line of the input the block comes from.
    pub source_lines: [usize; 2],
    /// When the block was joined across a page or column break: the line ranges of its pieces,
    /// in order. Empty when the block was read in one piece.
    #[serde(default)]
    pub joined_from: Vec<[usize; 2]>,
    /// Confidence (0 to 1) of the language decision for this block.
    #[serde(default = "one")]
    pub lang_confidence: f32,
    /// Where the block sits in a paged source (PDF input): one region per piece, in reading
    /// order. Empty for text inputs, whose provenance is `source_lines`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<Region>,
    /// For a footnote (kind `footnote`): its number and the block that calls it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<NoteLink>,
}

/// A footnote's number and where it is called from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NoteLink {
    /// The number printed on the note and at its call (`1`).
    pub label: String,
    /// Id of the block of the same language whose text carries the call, when it was found
    /// on the note's page. The call mark itself is not kept in that block's text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub called_from: Option<String>,
}

/// A rectangle on one page of a paged source, the provenance of (a piece of) a block.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Region {
    /// 1-based page index in the file (not the printed folio).
    pub page: u32,
    /// `[x0, y0, x1, y1]` in PDF points, origin at the page's top-left corner.
    pub bbox: [f32; 4],
}

fn one() -> f32 {
    1.0
}

/// A sentence: a byte span of one block's text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sentence {
    /// Stable id, unique within a bitext, e.g. `nl-s40`.
    pub id: String,
    /// The sentence's language.
    pub lang: Lang,
    /// Id of the block the sentence belongs to.
    pub block: String,
    /// Index of that block in [`Document::blocks`].
    pub block_index: usize,
    /// Byte range `[start, end)` of the sentence in the block's text.
    pub span: [usize; 2],
    /// The sentence text (equal to the block text at `span`).
    pub text: String,
}

/// One language version of a document.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// The language, when known.
    pub lang: Option<Lang>,
    /// Blocks in document order.
    pub blocks: Vec<Block>,
    /// Sentences in document order; every sentence lies inside one block, and the sentences
    /// of a block are contiguous in this list.
    pub sentences: Vec<Sentence>,
}

impl Document {
    /// Index range into [`Document::sentences`] of the sentences of block `block_index`.
    pub fn sentences_of_block(&self, block_index: usize) -> std::ops::Range<usize> {
        let start = self
            .sentences
            .partition_point(|s| s.block_index < block_index);
        let end = self
            .sentences
            .partition_point(|s| s.block_index <= block_index);
        start..end
    }

    /// Index of the nearest heading at or before `block_index` (the block's section), if any.
    pub fn section_of(&self, block_index: usize) -> Option<usize> {
        (0..=block_index.min(self.blocks.len().saturating_sub(1)))
            .rev()
            .find(|&i| self.blocks[i].kind == BlockKind::Heading)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(i: usize, kind: BlockKind) -> Block {
        Block {
            id: format!("nl-b{i}"),
            lang: Lang::NL,
            kind,
            level: 0,
            text: "x".into(),
            source_lines: [i + 1, i + 1],
            joined_from: vec![],
            lang_confidence: 1.0,
            regions: vec![],
            note: None,
        }
    }

    fn sentence(i: usize, block_index: usize) -> Sentence {
        Sentence {
            id: format!("nl-s{i}"),
            lang: Lang::NL,
            block: format!("nl-b{block_index}"),
            block_index,
            span: [0, 1],
            text: "x".into(),
        }
    }

    #[test]
    fn finds_sentences_of_a_block_and_its_section() {
        let doc = Document {
            lang: Some(Lang::NL),
            blocks: vec![
                block(0, BlockKind::Heading),
                block(1, BlockKind::Paragraph),
                block(2, BlockKind::Paragraph),
            ],
            sentences: vec![
                sentence(0, 0),
                sentence(1, 1),
                sentence(2, 1),
                sentence(3, 2),
            ],
        };
        assert_eq!(doc.sentences_of_block(1), 1..3);
        assert_eq!(doc.sentences_of_block(2), 3..4);
        assert_eq!(doc.section_of(2), Some(0));
    }

    #[test]
    fn block_kind_serialises_lowercase() {
        let json = serde_json::to_string(&block(0, BlockKind::Item)).unwrap();
        assert!(json.contains(r#""kind":"item""#), "{json}");
        assert!(json.contains(r#""source_lines":[1,1]"#), "{json}");
    }
}
