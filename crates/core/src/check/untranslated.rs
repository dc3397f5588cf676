//! Untranslated text: a bead whose two sides are the same text (ignoring case and accents).
//! Beads made only of names, acronyms or numbers are legitimately the same.

use super::context::{Context, FindingBuilder};
use super::text::{fold, words};
use crate::Finding;

/// Reports beads whose two sides read the same and hold ordinary words.
pub fn run(ctx: &Context, out: &mut Vec<Finding>) {
    for bead in ctx.paired() {
        let [a, b] = &bead.sides;
        if fold(a.text.trim()) != fold(b.text.trim()) {
            continue;
        }
        let ordinary = words(&a.text)
            .iter()
            .filter(|(_, w)| w.chars().next().is_some_and(char::is_lowercase))
            .count();
        if ordinary < 2 {
            continue;
        }
        let message = format!(
            "the {} and {} sides are the same text: left untranslated?",
            a.lang, b.lang
        );
        out.push(
            FindingBuilder::new(Some(bead.index), message)
                .mark(a, 0, a.text.len())
                .mark(b, 0, b.text.len())
                .build(),
        );
    }
}

#[cfg(test)]
pub(super) const EXAMPLES: &[super::examples::Example] = &[
    super::examples::no("Benelux Steering Group", "Benelux Steering Group"),
    super::examples::no("A/76/L.52", "A/76/L.52"),
    super::examples::no(
        "De ministers kwamen bijeen.",
        "Les ministres se sont réunis.",
    ),
    super::examples::yes(
        "De ministers kwamen op 21 maart bijeen.",
        "De ministers kwamen op 21 maart bijeen.",
    ),
];
