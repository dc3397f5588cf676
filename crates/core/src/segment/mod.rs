//! Segment: cuts blocks into sentences with per-language rules.
//!
//! A sentence ends at `.`, `!`, `?` or `…` (with any closing quotes or brackets after it)
//! when white space and then a capital letter, a digit or an opening quote follow. A period
//! does not end a sentence after a listed abbreviation (`data/abbreviations/<lang>.txt`), a
//! capital initial (`J.`), a group of short letter runs with inner periods (`o.a.`,
//! `c.-à-d.`, `S.E.`), or a day number before a month name (`1. Oktober`). Decimals and
//! document symbols (`A/76/L.52`) are never split because no space follows their periods.

mod rules;

pub use rules::{split_sentences, Rules};

use crate::{Document, Sentence};

/// Fills [`Document::sentences`] from its blocks, replacing any sentences already there.
/// Ids are `<lang>-s<n>`, numbered from 1 in document order.
pub fn segment_document(doc: &mut Document) {
    let mut sentences = Vec::new();
    for (block_index, block) in doc.blocks.iter().enumerate() {
        for span in split_sentences(&block.text, block.lang) {
            sentences.push(Sentence {
                id: format!("{}-s{}", block.lang, sentences.len() + 1),
                lang: block.lang,
                block: block.id.clone(),
                block_index,
                span,
                text: block.text[span[0]..span[1]].to_owned(),
            });
        }
    }
    doc.sentences = sentences;
}

/// Fills [`Document::sentences`] with exactly one sentence per block (for pre-segmented
/// input, where every line already is a sentence).
pub fn one_sentence_per_block(doc: &mut Document) {
    doc.sentences = doc
        .blocks
        .iter()
        .enumerate()
        .map(|(block_index, block)| Sentence {
            id: format!("{}-s{}", block.lang, block_index + 1),
            lang: block.lang,
            block: block.id.clone(),
            block_index,
            span: [0, block.text.len()],
            text: block.text.clone(),
        })
        .collect();
}
