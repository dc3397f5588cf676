//! Consistency: the same name written two ways within one language version (`Grande Région`
//! and `Grand Région`; `Džaferović` and `Dzaferovic`; `Benelux-Top` and `Benelux Top`).
//! Names are runs of capitalised words; two runs are variants when they have as many words
//! and differ in one word by accents or a hyphen, or (for names of two words or more) by one or
//! two letters that are not a plural ending. The rarer variant is reported at each of its occurrences.

use std::collections::BTreeMap;

use super::context::{Context, FindingBuilder};
use super::names::sentence_initial;
use super::text::{edit_distance, fold, is_acronym, is_capitalised, words};
use crate::Finding;

/// Articles and prepositions that start a sentence without being part of the name after it.
const LEADING: &[&str] = &[
    "de", "het", "een", "la", "le", "les", "l", "un", "une", "the", "a", "der", "die", "das",
    "ein", "eine", "in", "op", "en", "et", "dans", "au", "aux", "du", "des", "bij", "van", "met",
    "tijdens", "lors", "sur", "pour", "als", "zoals", "na", "voor",
];

/// One run of capitalised words: where it is and its words.
struct Run {
    bead: usize,
    start: usize,
    end: usize,
    words: Vec<String>,
}

fn runs(ctx: &Context, side: usize) -> Vec<Run> {
    let mut out = Vec::new();
    for bead in &ctx.beads {
        let text = &bead.sides[side].text;
        let ws = words(text);
        let mut k = 0;
        while k < ws.len() {
            if !is_capitalised(ws[k].1) {
                k += 1;
                continue;
            }
            let first = k;
            while k + 1 < ws.len()
                && is_capitalised(ws[k + 1].1)
                && only_space_between(text, ws[k], ws[k + 1])
            {
                k += 1;
            }
            let mut from = first;
            while from < k
                && sentence_initial(text, ws[from].0)
                && LEADING.contains(&fold(ws[from].1).as_str())
            {
                from += 1;
            }
            let (start, end) = (ws[from].0, ws[k].0 + ws[k].1.len());
            let parts: Vec<String> = text[start..end]
                .split([' ', '-', '\u{a0}'])
                .filter(|p| !p.is_empty())
                .map(String::from)
                .collect();
            let single_initial = parts.len() == 1 && sentence_initial(text, start);
            if !single_initial && parts.iter().map(|p| p.chars().count()).sum::<usize>() >= 5 {
                out.push(Run {
                    bead: bead.index,
                    start,
                    end,
                    words: parts,
                });
            }
            k += 1;
        }
    }
    out
}

fn only_space_between(text: &str, a: (usize, &str), b: (usize, &str)) -> bool {
    text[a.0 + a.1.len()..b.0]
        .chars()
        .all(|c| c == ' ' || c == '\u{a0}')
}

/// `Raad`/`Raden`, `Conseil`/`Conseils`, `Staat`/`Staten`: number, not spelling.
fn plural_pair(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let endings = ["s", "x", "n", "en", "es"];
    if endings.iter().any(|e| long.strip_suffix(e) == Some(short)) {
        return true;
    }
    // Dutch open-syllable plural: a doubled vowel in the singular is written once (raad/raden).
    ["aa", "ee", "oo", "uu"].iter().any(|v| {
        short.rfind(v).is_some_and(|i| {
            let single = format!("{}{}{}", &short[..i], &v[..1], &short[i + 2..]);
            long == format!("{single}en")
        })
    })
}

/// Whether two runs are two ways of writing one name.
fn variants(a: &[String], b: &[String]) -> bool {
    if a.len() != b.len() || a == b {
        return false;
    }
    let differing: Vec<(&String, &String)> = a.iter().zip(b).filter(|(x, y)| x != y).collect();
    let [(x, y)] = differing.as_slice() else {
        return false;
    };
    let (fx, fy) = (fold(x), fold(y));
    if fx == fy {
        // A word set in capitals (`BRUXELLES`, `Isabelle PATRIS`, `ETAT` without its
        // accent) is typography: headings, addresses and surnames in official notices.
        return !(is_acronym(x) || is_acronym(y));
    }
    // A single word one or two letters away from another is most often another word
    // (`Europees`/`Europese`, `Président`/`Présidence`): only names of two words or more.
    a.len() >= 2
        && fx.chars().count() >= 4
        && !plural_pair(&fx, &fy)
        && edit_distance(&fx, &fy, 2) <= 2
        && fx.chars().next() == fy.chars().next()
}

/// Reports the rarer way of writing a name that is written two ways in one language.
pub fn run(ctx: &Context, out: &mut Vec<Finding>) {
    for side in 0..2 {
        let all = runs(ctx, side);
        let mut counts: BTreeMap<Vec<String>, usize> = BTreeMap::new();
        for r in &all {
            *counts.entry(r.words.clone()).or_default() += 1;
        }
        // Variants are looked for among runs of the same length with the same first letter.
        let forms: Vec<(&Vec<String>, usize)> = counts.iter().map(|(k, v)| (k, *v)).collect();
        let mut rarer: BTreeMap<&Vec<String>, (&Vec<String>, usize)> = BTreeMap::new();
        for (i, &(a, na)) in forms.iter().enumerate() {
            for &(b, nb) in &forms[i + 1..] {
                if !variants(a, b) {
                    continue;
                }
                let (minor, major, n) = if na < nb || (na == nb && a > b) {
                    (a, b, nb)
                } else {
                    (b, a, na)
                };
                rarer.entry(minor).or_insert((major, n));
            }
        }
        for r in &all {
            let Some(&(major, n)) = rarer.get(&r.words) else {
                continue;
            };
            let s = &ctx.beads[r.bead].sides[side];
            let message = format!(
                "\"{}\" is written \"{}\" elsewhere in the {} version ({n}×)",
                &s.text[r.start..r.end],
                major.join(" "),
                s.lang
            );
            out.push(
                FindingBuilder::new(Some(r.bead), message)
                    .lang(s.lang)
                    .mark(s, r.start, r.end)
                    .build(),
            );
        }
    }
}

#[cfg(test)]
pub(super) const EXAMPLES: &[super::examples::Example] = &[
    super::examples::no(
        "de Raad Algemene Zaken\nde Raden Algemene Zaken\nde Raad Algemene Zaken",
        "le Conseil Affaires générales\nles Conseils Affaires générales\nle Conseil Affaires générales",
    ),
    super::examples::no(
        "de Grande Région\nde Regio Grand Est\nde Grande Région",
        "la Grande Région\nla Région Grand Est\nla Grande Région",
    ),
    super::examples::yes(
        "Benelux – Grande Région\nde Grande Région en de Benelux\nde Grande Région",
        "Benelux – Grand Région\nLa Grand Région et le Benelux\nde la Grande Région le 30 juin, la Grande Région et la Grande Région",
    ),
    super::examples::yes("met Šefik Džaferović\nmet Šefik Dzaferović", "avec Šefik Džaferović\navec le Président Džaferović"),
    super::examples::no(
        "Vredegerecht van het kanton Brussel\nVREDEGERECHT BRUSSEL\nmevrouw Isabelle Patris en mevrouw Isabelle PATRIS",
        "Justice de paix du canton de Bruxelles\nJUSTICE DE PAIX BRUXELLES\nmadame Isabelle Patris et madame Isabelle PATRIS",
    ),
    super::examples::yes(
        "de Regio Brussel-Hoofdstad\nde REGIO BRUSSEL-HOOFDSTAD\nde Regio Brussel-Hoofdstad",
        "la Région de Bruxelles-Capitale\nla RÉGION DE BRUXELLES-CAPITALE\nla Région de Bruxelles-Capital",
    ),
];
