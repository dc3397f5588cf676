//! Wrong language: a sentence written in another language than its side's (most often the
//! other side's language, pasted in the wrong column). Names and addresses fool language
//! identification, so only sentences long enough, mostly made of ordinary words, and
//! identified with high confidence are reported.

use std::collections::HashMap;

use super::context::{Context, FindingBuilder};
use super::text::words;
use crate::{Finding, Lang};

/// Shorter sentences (in characters) are not judged.
const MIN_CHARS: usize = 40;
/// Confidence the detector must give the other language.
const MIN_CONFIDENCE: f64 = 0.9;

/// Reports sentences that read as another language than their side's.
pub fn run(ctx: &Context, out: &mut Vec<Finding>) {
    let sides = [&ctx.bitext.src, &ctx.bitext.tgt];
    let mut cache: HashMap<&str, Option<(Lang, f64)>> = HashMap::new();
    for (k, doc) in sides.iter().enumerate() {
        let own = ctx.langs()[k];
        if !own.is_known() {
            continue;
        }
        for (si, s) in doc.sentences.iter().enumerate() {
            if !judgeable(&s.text) {
                continue;
            }
            let found = *cache
                .entry(s.text.as_str())
                .or_insert_with(|| crate::ingest::identify_language(&s.text));
            let Some((lang, confidence)) = found else {
                continue;
            };
            if lang == own || confidence < MIN_CONFIDENCE {
                continue;
            }
            let Some(bead) = ctx.bead_of(k, si) else {
                continue;
            };
            let side = &ctx.beads[bead].sides[k];
            let Some(start) = side.offset_of(si) else {
                continue;
            };
            let message = format!(
                "this {} sentence reads as {} ({:.0} % sure)",
                own.english_name(),
                lang.english_name(),
                confidence * 100.0
            );
            out.push(
                FindingBuilder::new(Some(bead), message)
                    .lang(own)
                    .mark(side, start, start + s.text.len())
                    .build(),
            );
        }
    }
}

/// Long enough, and mostly ordinary lower-case words rather than names and acronyms.
fn judgeable(text: &str) -> bool {
    if text.chars().count() < MIN_CHARS {
        return false;
    }
    let w = words(text);
    let lower = w
        .iter()
        .filter(|(_, w)| w.chars().next().is_some_and(char::is_lowercase))
        .count();
    w.len() >= 6 && lower * 2 > w.len()
}

#[cfg(test)]
pub(super) const EXAMPLES: &[super::examples::Example] = &[
    super::examples::no(
        "De ministers stemden hun standpunten op elkaar af met het oog op de komende debatten.",
        "Les ministres ont aligné leurs positions en vue des débats à venir.",
    ),
    super::examples::no(
        "Hendrik Wüst, Jean Rottner, Claude Turmes en Olivier Maes.",
        "Hendrik Wüst, Jean Rottner, Claude Turmes et Olivier Maes.",
    ),
    super::examples::yes(
        "Les ministres ont aligné leurs positions en vue des débats à venir au niveau de l'OTAN.",
        "Les ministres ont aligné leurs positions en vue des débats à venir au niveau de l'OTAN.",
    ),
];
