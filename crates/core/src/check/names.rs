//! Names: a proper name on one side that the other side lacks, or spells differently.
//! A name here is a capitalised word that neither language's dictionary knows (a person, a
//! small place: `Bourglinster`, `Rottner`, `Džaferović`): exonyms (`Brussel` / `Bruxelles`)
//! and country names are in the dictionaries, and so are not compared letter by letter.
//! Accents do not count (`Dzaferovic` = `Džaferović`); a counterpart one bead away is accepted.
//! Words of a quoted title (`Code of Conduct Regarding ...`) are not names.

use super::context::{BeadText, Context, FindingBuilder};
use super::text::{edit_distance, fold, is_acronym, is_capitalised, words};
use crate::Finding;

/// Capitalised words of a side that are not sentence-initial, with their offsets.
fn capitalised(text: &str) -> Vec<(usize, &str)> {
    words(text)
        .into_iter()
        .flat_map(|(at, w)| {
            let mut offset = 0;
            w.split('-')
                .map(|p| {
                    let item = (at + offset, p);
                    offset += p.len() + 1;
                    item
                })
                .collect::<Vec<_>>()
        })
        .filter(|&(at, w)| {
            w.chars().count() >= 3
                && is_capitalised(w)
                && !is_acronym(w)
                && !sentence_initial(text, at)
        })
        .collect()
}

/// Whether the word at `at` starts a sentence, a heading or a list item.
pub fn sentence_initial(text: &str, at: usize) -> bool {
    let before =
        text[..at].trim_end_matches([' ', '\u{a0}', '*', '“', '"', '«', '(', '-', '–', '•']);
    before.is_empty() || before.ends_with(['.', '!', '?', ':', ';'])
}

/// A capitalised compound ending in a known word (`Raadsinstellingen`: `instellingen`) is an
/// ordinary noun, not a name.
fn compound_of_known(lower: &str, known: &dyn Fn(&str) -> bool) -> bool {
    lower
        .char_indices()
        .skip(3)
        .any(|(i, _)| lower[i..].chars().count() >= 6 && known(&lower[i..]))
}

/// Reports names present on one side only or spelled differently.
pub fn run(ctx: &Context, out: &mut Vec<Finding>) {
    let langs = ctx.langs();
    let dicts = match (
        ctx.options.dictionaries.get(langs[0]),
        ctx.options.dictionaries.get(langs[1]),
    ) {
        (Ok(a), Ok(b)) => [a, b],
        (Err(note), _) | (_, Err(note)) => {
            ctx.note(note.replace("spelling:", "names:"));
            return;
        }
    };
    let known = |w: &str| dicts.iter().any(|d| d.check(w));
    let unknown = |w: &str| {
        let lower = w.to_lowercase();
        !known(w)
            && !known(&lower)
            && !compound_of_known(&lower, &known)
            && !ctx.options.glossary.knows_word(w)
    };
    for bead in ctx.paired() {
        for side in 0..2 {
            compare(ctx, bead, side, &unknown, out);
        }
    }
}

fn compare(
    ctx: &Context,
    bead: &BeadText,
    side: usize,
    unknown: &dyn Fn(&str) -> bool,
    out: &mut Vec<Finding>,
) {
    let s = &bead.sides[side];
    let o = &bead.sides[1 - side];
    let mut others: Vec<(Option<usize>, String, usize, &str)> = capitalised(&o.text)
        .into_iter()
        .chain(words(&o.text))
        .map(|(at, w)| (Some(at), fold(w), at, w))
        .collect();
    for t in ctx.neighbours(bead.index, 1 - side) {
        others.extend(words(t).into_iter().flat_map(|(_, w)| {
            w.split('-')
                .map(|p| (None, fold(p), 0, ""))
                .collect::<Vec<_>>()
        }));
    }
    let mut reported = Vec::new();
    let titles = super::text::title_stretch_words(&s.text);
    for (at, w) in capitalised(&s.text) {
        let in_title = titles
            .iter()
            .any(|&t| t <= at && at < t + 1 + s.text[t..].find([' ', ',']).unwrap_or(0));
        if in_title || !unknown(w) || reported.contains(&w) {
            continue;
        }
        let f = fold(w);
        if others
            .iter()
            .any(|(_, o, _, _)| *o == f || o.split('-').any(|p| p == f))
        {
            continue;
        }
        let limit = (f.chars().count() / 6).max(1);
        let near = others
            .iter()
            .filter(|(pos, _, _, ow)| pos.is_some() && is_capitalised(ow))
            .find(|(_, o, _, _)| edit_distance(&f, o, limit) <= limit);
        reported.push(w);
        let finding = match near {
            Some(&(_, _, oat, ow)) => {
                // Report a differing spelling once, from the source side.
                if side == 1 {
                    continue;
                }
                let message = format!("name spelled {w} ({}) but {ow} ({})", s.lang, o.lang);
                FindingBuilder::new(Some(bead.index), message)
                    .mark(s, at, at + w.len())
                    .mark(o, oat, oat + ow.len())
            }
            None => {
                let message = format!(
                    "name {w} on the {} side does not appear on the {} side",
                    s.lang, o.lang
                );
                FindingBuilder::new(Some(bead.index), message)
                    .lang(s.lang)
                    .mark(s, at, at + w.len())
            }
        };
        out.push(finding.build());
    }
}

#[cfg(test)]
pub(super) const EXAMPLES: &[super::examples::Example] = &[
    super::examples::no(
        "in het kasteel van Bourglinster, in aanwezigheid van Hendrik Wüst",
        "au château Bourglinster, en présence de Hendrik Wüst",
    ),
    super::examples::no(
        "met de president, Šefik Džaferović",
        "avec le Président, Sefik Dzaferovic",
    ),
    super::examples::no(
        "een Benelux-Slovenië Top in Brussel",
        "un sommet Benelux-Slovénie à Bruxelles",
    ),
    super::examples::no(
        "binnen de Raadsinstellingen van de Unie",
        "dans les instances du Conseil de l'Union",
    ),
    super::examples::yes(
        "in aanwezigheid van ambassadeur Gafoor, de voorzitter",
        "en présence de l'Ambassadeur, le Président",
    ),
    super::examples::yes(
        "in aanwezigheid van ambassadeur Gafoor, de voorzitter",
        "en présence de l'Ambassadeur Gaffour, le Président",
    ),
];
