//! Paragraphs in a language other than the pair (German notices in a French/Dutch journal):
//! found, taken out before un-weaving, and kept as blocks of their own.

use super::langid::{confident_choice, Guess};
use super::markup::RawPara;
use super::weave::{clearly_cut, ends_sentence, word_count, HEADING_MAX_WORDS};
use crate::{Block, BlockKind, Lang};

/// A paragraph's guess counts as evidence from this weight on (about 30 letters): shorter
/// lines (a heading, a name) take the language of the paragraphs around them.
const MIN_WEIGHT: f64 = 0.45;

/// The language each paragraph is confidently in, if any (`guesses` over `langs`).
fn decisions(guesses: &[Guess], langs: &[Lang]) -> Vec<Option<Lang>> {
    guesses
        .iter()
        .map(|g| confident_choice(g, langs, MIN_WEIGHT))
        .collect()
}

/// The other language of each paragraph that is in one of `others`: a paragraph confidently
/// in one of them, or a weak one (short, or unsure) that takes the language of its nearest
/// confident neighbours when they agree; where they differ, a heading-like line goes with
/// what follows it (a notice's title) and anything else with what precedes it.
fn other_language(
    paras: &[RawPara],
    guesses: &[Guess],
    langs: &[Lang],
    others: &[Lang],
) -> Vec<Option<Lang>> {
    let decided = decisions(guesses, langs);
    let is_other = |l: Lang| others.contains(&l).then_some(l);
    (0..decided.len())
        .map(|i| {
            let lang = match decided[i] {
                Some(l) => Some(l),
                None => {
                    let before = decided[..i].iter().rev().find_map(|d| *d);
                    let after = decided[i + 1..].iter().find_map(|d| *d);
                    if kind_of(&paras[i]) == BlockKind::Heading {
                        after.or(before)
                    } else {
                        before.or(after)
                    }
                }
            };
            lang.and_then(is_other)
        })
        .collect()
}

/// Sets apart the paragraphs in one of the `others` languages (`guesses` over `langs`):
/// which paragraphs they are, and their blocks, one each in input order, with ids `de-o1`,
/// `de-o2`, ... per language and kinds from markup and layout (a bullet is an item, a short
/// line without final punctuation a heading).
pub fn set_apart(
    paras: &[RawPara],
    guesses: &[Guess],
    langs: &[Lang],
    others: &[Lang],
) -> (Vec<bool>, Vec<Block>) {
    if others.is_empty() {
        return (vec![false; paras.len()], Vec::new());
    }
    let lang_of = other_language(paras, guesses, langs, others);
    let mut counts: Vec<(Lang, usize)> = Vec::new();
    let mut blocks = Vec::new();
    for (i, para) in paras.iter().enumerate() {
        let Some(lang) = lang_of[i] else { continue };
        let n = match counts.iter_mut().find(|(l, _)| *l == lang) {
            Some((_, n)) => {
                *n += 1;
                *n
            }
            None => {
                counts.push((lang, 1));
                1
            }
        };
        let at = langs.iter().position(|l| *l == lang).unwrap_or(0);
        blocks.push(Block {
            id: format!("{lang}-o{n}"),
            lang,
            kind: kind_of(para),
            level: 0,
            text: para.text.clone(),
            source_lines: para.lines,
            joined_from: Vec::new(),
            lang_confidence: ((guesses[i].confidence[at] * 1000.0).round() / 1000.0) as f32,
            regions: Vec::new(),
            note: None,
        });
    }
    (lang_of.iter().map(Option::is_some).collect(), blocks)
}

fn kind_of(para: &RawPara) -> BlockKind {
    let text = &para.text;
    if para.mark.bullet {
        BlockKind::Item
    } else if para.mark.bold
        || (!ends_sentence(text) && !clearly_cut(text) && word_count(text) <= HEADING_MAX_WORDS)
    {
        BlockKind::Heading
    } else {
        BlockKind::Paragraph
    }
}
