//! Two language versions and their alignment.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::{Document, Lang};

/// One rung of an alignment: a range of units (sentences or blocks) on the source side paired
/// with a range on the target side. An empty range on one side is an omission (1:0) or an
/// addition (0:1); ranges longer than one are merges (2:1, 1:2, 2:2 ...).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bead {
    /// Half-open index range into the source side's units.
    pub src: Range<usize>,
    /// Half-open index range into the target side's units.
    pub tgt: Range<usize>,
    /// How sure the aligner is of this bead, from 0 (a guess) to 1 (certain).
    pub score: f32,
    /// Cosine similarity of the two sides' sentence vectors, when the aligner ran with a
    /// sentence encoder (absent otherwise, and for beads with an empty side).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub semantic: Option<f32>,
}

impl Bead {
    /// A bead pairing `src` with `tgt`.
    pub fn new(src: Range<usize>, tgt: Range<usize>, score: f32) -> Self {
        Bead {
            src,
            tgt,
            score,
            semantic: None,
        }
    }

    /// Number of units on each side, e.g. `(2, 1)`.
    pub fn shape(&self) -> (usize, usize) {
        (self.src.len(), self.tgt.len())
    }

    /// The shape as written in reports and TMX props, e.g. `"2:1"`.
    pub fn shape_label(&self) -> String {
        let (a, b) = self.shape();
        format!("{a}:{b}")
    }
}

/// Two language versions of one document and their alignment: blocks first, then sentences
/// inside aligned blocks.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Bitext {
    /// A short name for the document (by default the input file's stem), used as provenance
    /// in exports and as its key in an archive.
    pub name: String,
    /// The source-side version (the language that comes first in the input, or as chosen).
    pub src: Document,
    /// The target-side version.
    pub tgt: Document,
    /// Alignment of blocks: indices into `src.blocks` / `tgt.blocks`.
    pub block_beads: Vec<Bead>,
    /// Alignment of sentences: indices into `src.sentences` / `tgt.sentences`. Monotone, and
    /// every sentence of both sides is in exactly one bead.
    pub beads: Vec<Bead>,
}

impl Bitext {
    /// The two languages, source first.
    pub fn langs(&self) -> [Lang; 2] {
        [
            self.src.lang.unwrap_or(Lang::NL),
            self.tgt.lang.unwrap_or(Lang::FR),
        ]
    }

    /// The side written in `lang`, if either is.
    pub fn side(&self, lang: Lang) -> Option<&Document> {
        [&self.src, &self.tgt]
            .into_iter()
            .find(|d| d.lang == Some(lang))
    }

    /// The texts of a sentence bead's source and target sentences, each side joined by a space.
    pub fn bead_texts(&self, bead: &Bead) -> [String; 2] {
        let join = |doc: &Document, r: &Range<usize>| {
            doc.sentences[r.clone()]
                .iter()
                .map(|s| s.text.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        };
        [join(&self.src, &bead.src), join(&self.tgt, &bead.tgt)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_of_merges_and_omissions() {
        assert_eq!(Bead::new(3..5, 2..3, 0.9).shape_label(), "2:1");
        assert_eq!(Bead::new(4..4, 7..8, 0.1).shape(), (0, 1));
    }
}
