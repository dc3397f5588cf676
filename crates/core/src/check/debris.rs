//! Extraction debris: what a PDF or Word extraction leaves behind in the text: markup
//! (`**bold**`, `*italic*`, `^{e}`), a word cut by a line-end hyphen and not joined
//! (`samen- werking`), soft hyphens, ligature characters (`ﬁ`), a page number stranded in a
//! sentence or as a block of its own, doubled spaces.

use std::sync::OnceLock;

use regex::Regex;

use super::context::{Context, FindingBuilder};
use crate::Finding;

/// Conjunctions that legitimately follow a hyphen: Dutch and German suspended compounds
/// (`klimaat- en energiebeleid`), French `pré- ou post-`.
const AFTER_HYPHEN: &[&str] = &[
    "en", "of", "tot", "und", "oder", "bis", "et", "ou", "and", "or", "noch",
];

fn patterns() -> &'static [(Regex, &'static str); 6] {
    static RE: OnceLock<[(Regex, &'static str); 6]> = OnceLock::new();
    RE.get_or_init(|| {
        let re = |p: &str| Regex::new(p).expect("debris pattern");
        [
            (
                re(r"\*\*|(?:^|\s)\*\S|\S\*(?:\s|$|[.,;:])|__"),
                "markup left by the extraction",
            ),
            (
                re(r"\^\{?[\p{L}\d]+\}?"),
                "superscript markup left by the extraction",
            ),
            (
                re(r"\p{Ll}{2,}- (\p{Ll}+)"),
                "word cut by a line-end hyphen",
            ),
            (
                re("\u{ad}|[\u{fb00}-\u{fb06}]"),
                "soft hyphen or ligature character",
            ),
            (
                re(r"^\d{1,3}$|\s(?:Pagina|Page|Seite|Blz\.?|p\.)\s?\d{1,3}\b"),
                "page number in the text",
            ),
            (re(r"\S {2,}\S"), "doubled space"),
        ]
    })
}

/// Reports extraction leftovers in each side's sentences.
pub fn run(ctx: &Context, out: &mut Vec<Finding>) {
    for bead in &ctx.beads {
        for side in &bead.sides {
            for (re, what) in patterns() {
                for c in re.captures_iter(&side.text) {
                    let Some(m) = c.get(0) else { continue };
                    if c.get(1).is_some_and(|w| AFTER_HYPHEN.contains(&w.as_str())) {
                        continue;
                    }
                    let message = format!("{what}: {:?}", m.as_str().trim());
                    out.push(
                        FindingBuilder::new(Some(bead.index), message)
                            .lang(side.lang)
                            .mark(side, m.start(), m.end())
                            .build(),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
pub(super) const EXAMPLES: &[super::examples::Example] = &[
    super::examples::no(
        "de klimaat- en energiebeleid en de terug- en overname",
        "la 66e réunion, l'Union européenne",
    ),
    super::examples::no(
        "van dematerialisatie- of conserveringsdienstverleners",
        "de la coopération civilo-militaire",
    ),
    super::examples::yes("**Benelux-Top** kwam bijeen", "Sommet Benelux"),
    super::examples::yes("66e verslag", "66^{e} rapport"),
    super::examples::yes("de samen- werking van de landen", "la coopération"),
    super::examples::yes("de samenwerking\n12", "la coopération\n"),
];
