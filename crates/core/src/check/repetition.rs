//! Doubled words: `de de`, `la la`. Grammatical doublings are allowed: French `nous nous`,
//! `vous vous`; Dutch `dat dat`, `die die`, `had had`; German `die die`, `das das`; English
//! `had had`, `that that`.

use std::sync::OnceLock;

use regex::Regex;

use super::context::{Context, FindingBuilder};
use crate::{Finding, Lang};

fn allowed(lang: Lang, word: &str) -> bool {
    let w = word.to_lowercase();
    let list: &[&str] = match lang.as_str() {
        "fr" => &["nous", "vous"],
        "nl" => &["dat", "die", "had", "er"],
        "de" => &["die", "der", "das", "dass"],
        "en" => &["had", "that"],
        _ => &[],
    };
    list.contains(&w.as_str())
}

/// Reports words written twice in a row.
pub fn run(ctx: &Context, out: &mut Vec<Finding>) {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r"\b(\p{L}+)\s+(\p{L}+)\b").expect("word pair"));
    for bead in &ctx.beads {
        for side in &bead.sides {
            let mut at = 0;
            while let Some(c) = re.captures_at(&side.text, at) {
                let (Some(whole), Some(a), Some(b)) = (c.get(0), c.get(1), c.get(2)) else {
                    break;
                };
                // Step to the second word so that `de de de` yields two pairs.
                at = b.start();
                if a.as_str().to_lowercase() != b.as_str().to_lowercase()
                    || allowed(side.lang, a.as_str())
                {
                    continue;
                }
                let message = format!("doubled word \"{}\"", a.as_str());
                out.push(
                    FindingBuilder::new(Some(bead.index), message)
                        .lang(side.lang)
                        .mark(side, whole.start(), whole.end())
                        .build(),
                );
            }
        }
    }
}

#[cfg(test)]
pub(super) const EXAMPLES: &[super::examples::Example] = &[
    super::examples::no("Hij zei dat dat niet klopte.", "Nous nous sommes réunis."),
    super::examples::no("De ministers kwamen bijeen.", "Vous vous êtes engagés."),
    super::examples::yes(
        "De ministers van de de Benelux kwamen bijeen.",
        "Les ministres se sont réunis.",
    ),
    super::examples::yes(
        "De ministers kwamen bijeen.",
        "Les ministres se sont sont réunis.",
    ),
];
