//! Omissions and additions: a sentence bead with text on one side only (1:0, 0:1).
//! Headings and list titles are included: a missing heading is as much a defect.

use super::context::{Context, FindingBuilder};
use crate::Finding;

/// Reports every bead that is empty on one side.
pub fn run(ctx: &Context, out: &mut Vec<Finding>) {
    for bead in &ctx.beads {
        let [a, b] = &bead.sides;
        let (full, empty) = match (a.is_empty(), b.is_empty()) {
            (false, true) => (a, b),
            (true, false) => (b, a),
            _ => continue,
        };
        // Extraction leftovers such as a lone page number are the debris check's business.
        if !full.text.chars().any(char::is_alphabetic) {
            continue;
        }
        let message = format!(
            "text on the {} side has no counterpart on the {} side (omission or addition)",
            full.lang, empty.lang
        );
        out.push(
            FindingBuilder::new(Some(bead.index), message)
                .lang(full.lang)
                .mark(full, 0, full.text.len())
                .build(),
        );
    }
}

#[cfg(test)]
pub(super) const EXAMPLES: &[super::examples::Example] = &[
    super::examples::no(
        "De ministers kwamen bijeen.",
        "Les ministres se sont réunis.",
    ),
    super::examples::no(
        "De ministers kwamen bijeen.\n12",
        "Les ministres se sont réunis.\n",
    ),
    super::examples::yes(
        "De ministers kwamen bijeen.\nZe maakten ook de balans op.",
        "Les ministres se sont réunis.\n",
    ),
    super::examples::yes(
        "De ministers kwamen bijeen.\n",
        "Les ministres se sont réunis.\nCette réunion est la première.",
    ),
];
