//! Glossary and acronyms: a term of the bilingual glossary on one side whose counterpart is
//! missing on the other (`NAVO` needs `OTAN` or `Organisation du traité de l'Atlantique Nord`),
//! an acronym on one side only, and (check `expansion`) an acronym spelled out differently
//! from its glossary name (`... (PSDC)` after something else than `politique de sécurité et de
//! défense commune`). Legitimate pairs such as RBZ/CAE or AVVN/AGNU are what the glossary
//! says is right, so they are never findings.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::OnceLock;

use regex::Regex;

use super::context::{BeadText, Context, FindingBuilder, SideText};
use super::text::{fold, fold_with_map, is_acronym, words};
use crate::{Error, Finding, Lang, Result};

/// One concept with its accepted terms per language.
#[derive(Clone, Debug, PartialEq)]
pub struct GlossaryEntry {
    /// A short id, e.g. `nato`.
    pub id: String,
    /// Accepted terms per language: acronyms and full names.
    pub terms: BTreeMap<Lang, Vec<String>>,
}

impl GlossaryEntry {
    /// The full names (not acronyms) in a language.
    pub fn names(&self, lang: Lang) -> impl Iterator<Item = &str> {
        self.terms
            .get(&lang)
            .into_iter()
            .flatten()
            .map(String::as_str)
            .filter(|t| !is_acronym(t))
    }
}

/// The bilingual glossary: the shipped entries plus the user's.
#[derive(Debug, Default)]
pub struct Glossary {
    entries: Vec<GlossaryEntry>,
    matchers: OnceLock<HashMap<Lang, Matcher>>,
    words: OnceLock<HashSet<String>>,
}

/// Finds a language's glossary terms in a text.
#[derive(Debug)]
struct Matcher {
    /// Acronyms, matched case-sensitively on the raw text.
    acronyms: Option<Regex>,
    acronym_entries: HashMap<String, Vec<usize>>,
    /// Full names, matched on folded text; capture group k+1 is `name_entries[k]`.
    names: Option<Regex>,
    name_entries: Vec<usize>,
}

/// A glossary term found in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TermMention {
    /// Byte range in the text.
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
    /// Index of the entry in the glossary.
    pub entry: usize,
}

impl Glossary {
    /// The glossary shipped with diptych (`crates/core/data/glossary.tsv`).
    pub fn shipped() -> Glossary {
        let mut g = Glossary::default();
        g.add_tsv(
            include_str!("../../data/glossary.tsv"),
            Path::new("glossary.tsv"),
        )
        .expect("the shipped glossary parses");
        g
    }

    /// Adds the entries of a user glossary file (same form as the shipped one).
    pub fn add_file(&mut self, path: &Path) -> Result<()> {
        let text = crate::fsio::read_text(path)?;
        self.add_tsv(&text, path)
    }

    /// Adds entries from glossary text: a header `id<TAB>lang<TAB>lang...`, then one entry per
    /// line with `|`-separated terms; `#` lines are comments.
    pub fn add_tsv(&mut self, text: &str, path: &Path) -> Result<()> {
        let mut header: Option<Vec<Option<Lang>>> = None;
        for (k, line) in text.lines().enumerate() {
            let malformed = |message: String| Error::Malformed {
                path: path.to_owned(),
                line: k + 1,
                message,
            };
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            let Some(langs) = &header else {
                if cols.len() < 3 || cols[0].trim() != "id" {
                    return Err(malformed(
                        "the first line must be a header: id<TAB>nl<TAB>fr...".into(),
                    ));
                }
                header = Some(cols[1..].iter().map(|c| Lang::parse(c).ok()).collect());
                continue;
            };
            if cols.len() < 2 {
                return Err(malformed(
                    "an entry needs an id and at least one language column (tab-separated)".into(),
                ));
            }
            let mut terms = BTreeMap::new();
            for (lang, cell) in langs.iter().zip(&cols[1..]) {
                let Some(lang) = lang else { continue };
                let t: Vec<String> = cell
                    .split('|')
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(String::from)
                    .collect();
                if !t.is_empty() {
                    terms.insert(*lang, t);
                }
            }
            self.entries.push(GlossaryEntry {
                id: cols[0].trim().to_owned(),
                terms,
            });
        }
        self.matchers = OnceLock::new();
        self.words = OnceLock::new();
        Ok(())
    }

    /// The entries.
    pub fn entries(&self) -> &[GlossaryEntry] {
        &self.entries
    }

    /// Whether a word (as written) is one of the glossary's terms or a word of one, in any
    /// language: such words are not spelling errors.
    pub fn knows_word(&self, word: &str) -> bool {
        self.words
            .get_or_init(|| {
                self.entries
                    .iter()
                    .flat_map(|e| e.terms.values().flatten())
                    .flat_map(|t| {
                        words(t)
                            .into_iter()
                            .map(|(_, w)| fold(w))
                            .collect::<Vec<_>>()
                    })
                    .collect()
            })
            .contains(&fold(word))
    }

    fn matcher(&self, lang: Lang) -> Option<&Matcher> {
        self.matchers
            .get_or_init(|| build_matchers(&self.entries))
            .get(&lang)
    }

    /// The glossary terms in a text written in `lang`, in text order, not overlapping.
    pub fn find(&self, text: &str, lang: Lang) -> Vec<TermMention> {
        let Some(m) = self.matcher(lang) else {
            return Vec::new();
        };
        let mut found = Vec::new();
        if let Some(re) = &m.acronyms {
            for hit in re.find_iter(text) {
                for &entry in m.acronym_entries.get(hit.as_str()).into_iter().flatten() {
                    found.push(TermMention {
                        start: hit.start(),
                        end: hit.end(),
                        entry,
                    });
                }
            }
        }
        if let Some(re) = &m.names {
            let (folded, map) = fold_with_map(text);
            for c in re.captures_iter(&folded) {
                let Some(whole) = c.get(0) else { continue };
                let Some(k) = (1..c.len()).find(|&k| c.get(k).is_some()) else {
                    continue;
                };
                let (start, end) = (map[whole.start()], map[whole.end()]);
                if !found
                    .iter()
                    .any(|f: &TermMention| f.start < end && start < f.end)
                {
                    found.push(TermMention {
                        start,
                        end,
                        entry: m.name_entries[k - 1],
                    });
                }
            }
        }
        found.sort_by_key(|f| f.start);
        found
    }
}

fn build_matchers(entries: &[GlossaryEntry]) -> HashMap<Lang, Matcher> {
    let mut langs: HashSet<Lang> = HashSet::new();
    for e in entries {
        langs.extend(e.terms.keys().copied());
    }
    langs
        .into_iter()
        .map(|lang| (lang, build_matcher(entries, lang)))
        .collect()
}

fn build_matcher(entries: &[GlossaryEntry], lang: Lang) -> Matcher {
    let mut acronym_entries: HashMap<String, Vec<usize>> = HashMap::new();
    let mut names: Vec<(String, usize)> = Vec::new();
    for (k, e) in entries.iter().enumerate() {
        for t in e.terms.get(&lang).into_iter().flatten() {
            if is_acronym(t) {
                acronym_entries.entry(t.clone()).or_default().push(k);
            } else {
                names.push((name_pattern(t), k));
            }
        }
    }
    let mut acronyms: Vec<&String> = acronym_entries.keys().collect();
    acronyms.sort_by_key(|a| std::cmp::Reverse(a.len()));
    let acronyms = (!acronyms.is_empty()).then(|| {
        let alt: Vec<String> = acronyms.iter().map(|a| regex::escape(a)).collect();
        Regex::new(&format!(r"\b(?:{})\b", alt.join("|"))).expect("acronym pattern")
    });
    // Longer names first, so that `Raad van de Europese Unie` wins over `Europese Unie`.
    names.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
    let name_entries = names.iter().map(|(_, k)| *k).collect();
    let names = (!names.is_empty()).then(|| {
        let alt: Vec<String> = names.iter().map(|(p, _)| format!("({p})")).collect();
        Regex::new(&format!(r"\b(?:{})\b", alt.join("|"))).expect("glossary pattern")
    });
    Matcher {
        acronyms,
        acronym_entries,
        names,
        name_entries,
    }
}

/// A full name as a pattern over folded text: words separated by spaces or hyphens, each
/// allowing a plural or agreement ending, apostrophes of either kind.
fn name_pattern(term: &str) -> String {
    let folded = fold(term);
    let parts: Vec<String> = folded
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .map(|w| {
            format!(
                "{}(?:s|x|e|es|en|n)?",
                regex::escape(w).replace('\'', "['’]")
            )
        })
        .collect();
    parts.join(r"[\s\-]+")
}

/// Reports glossary terms without counterpart and acronyms on one side only.
pub fn run(ctx: &Context, out: &mut Vec<Finding>) {
    let g = &ctx.options.glossary;
    let all: Vec<[Vec<TermMention>; 2]> = ctx
        .beads
        .iter()
        .map(|b| [0, 1].map(|s| g.find(&b.sides[s].text, b.sides[s].lang)))
        .collect();
    for bead in ctx.paired() {
        let i = bead.index;
        let near = |side: usize| -> HashSet<usize> {
            [Some(i), i.checked_sub(1), Some(i + 1)]
                .into_iter()
                .flatten()
                .filter_map(|k| all.get(k))
                .flat_map(|m| m[side].iter().map(|t| t.entry))
                .collect()
        };
        for (side, mentions) in all[i].iter().enumerate() {
            let other = 1 - side;
            let there = near(other);
            let mut seen = HashSet::new();
            for t in mentions {
                let entry = &g.entries()[t.entry];
                let olang = bead.sides[other].lang;
                let Some(expected) = entry.terms.get(&olang) else {
                    continue;
                };
                if there.contains(&t.entry)
                    || !seen.insert(t.entry)
                    || same_entry_written(entry, &bead.sides[other].text)
                {
                    continue;
                }
                let s = &bead.sides[side];
                let message = format!(
                    "{} ({}) has no counterpart on the {} side (expected {})",
                    &s.text[t.start..t.end],
                    s.lang,
                    olang,
                    expected.join(" or ")
                );
                out.push(
                    FindingBuilder::new(Some(i), message)
                        .lang(s.lang)
                        .mark(s, t.start, t.end)
                        .evidence(olang, "")
                        .build(),
                );
            }
        }
    }
    let defined = defined_pairs(ctx, &all);
    for bead in ctx.paired() {
        lone_acronyms(ctx, bead, &all, &defined, out);
    }
}

/// Per side, each acronym the document defines in parallel with the acronyms that stand for
/// it on the other side (all folded), from [`defined_pairs`].
type DefinedPairs = [HashMap<String, HashSet<String>>; 2];

/// Acronyms the document defines in parallel: a bead whose two sides each bring in brackets
/// exactly one acronym that the glossary does not know and the other side does not write
/// (`het Gerechtelijk Wetboek (GW)` / `le code judiciaire (CJ)`). From there on, anywhere in
/// the document, each stands for the other, as the translator's own glossary says.
fn defined_pairs(ctx: &Context, all: &[[Vec<TermMention>; 2]]) -> DefinedPairs {
    let mut pairs: DefinedPairs = Default::default();
    for bead in ctx.paired() {
        let sides = [0, 1].map(|side| bracketed_acronyms(bead, side, &all[bead.index][side]));
        if let ([a], [b]) = (&sides[0][..], &sides[1][..]) {
            pairs[0].entry(a.clone()).or_default().insert(b.clone());
            pairs[1].entry(b.clone()).or_default().insert(a.clone());
        }
    }
    pairs
}

/// The acronyms (folded) that `side` of `bead` writes in brackets, `(GW)`, that are not
/// glossary terms (`known`) and that the other side does not write too.
fn bracketed_acronyms(bead: &BeadText, side: usize, known: &[TermMention]) -> Vec<String> {
    let text = &bead.sides[side].text;
    let other: HashSet<String> = words(&bead.sides[1 - side].text)
        .into_iter()
        .map(|(_, w)| fold(w))
        .collect();
    let mut found: Vec<String> = acronym_words(text)
        .into_iter()
        .filter(|&(start, w)| {
            let end = start + w.len();
            text[..start].ends_with('(')
                && text[end..].starts_with(')')
                && !known.iter().any(|t| start < t.end && t.start < end)
        })
        .map(|(_, w)| fold(w))
        .filter(|w| !other.contains(w))
        .collect();
    found.sort();
    found.dedup();
    found
}

/// Another entry sharing a term with this one may have matched instead (`UN Women`).
fn same_entry_written(entry: &GlossaryEntry, other_text: &str) -> bool {
    let folded = fold(other_text);
    entry
        .terms
        .values()
        .flatten()
        .any(|t| t.len() > 3 && folded.contains(&fold(t)))
}

/// Acronyms that the glossary does not know must appear as such on the other side, or as
/// the acronym the document defines in parallel with them ([`defined_pairs`]).
fn lone_acronyms(
    ctx: &Context,
    bead: &BeadText,
    all: &[[Vec<TermMention>; 2]],
    defined: &DefinedPairs,
    out: &mut Vec<Finding>,
) {
    let i = bead.index;
    // Both sides set in capitals (a heading, a signature: `INHOUD` / `SOMMAIRE`, `FILIP` /
    // `PHILIPPE`) are words in capitals, not acronyms.
    if bead.sides.iter().all(|s| set_in_capitals(&s.text)) {
        return;
    }
    for (side, s) in bead.sides.iter().enumerate() {
        let other = 1 - side;
        let mut others = String::from(&bead.sides[other].text);
        for t in ctx.neighbours(i, other) {
            others.push(' ');
            others.push_str(t);
        }
        let other_words: HashSet<String> = words(&others)
            .into_iter()
            .flat_map(|(_, w)| w.split('-').map(fold).collect::<Vec<_>>())
            .collect();
        // Terms of the glossary, and dates (a month set in capitals, `19 MAI 2025`, is the
        // dates check's to compare).
        let known: Vec<(usize, usize)> = all[i][side]
            .iter()
            .map(|t| (t.start, t.end))
            .chain(
                super::dates::find_dates(&s.text, s.lang)
                    .into_iter()
                    .filter(|d| d.month.is_some())
                    .map(|d| (d.start, d.end)),
            )
            .collect();
        for (start, w) in acronym_words(&s.text) {
            let end = start + w.len();
            let partner_there = defined[side]
                .get(&fold(w))
                .is_some_and(|ps| ps.iter().any(|p| other_words.contains(p)));
            if known.iter().any(|&(a, b)| start < b && a < end)
                || other_words.contains(&fold(w))
                || partner_there
                || is_honorific(&s.text, end, w, s.lang)
            {
                continue;
            }
            let message = format!(
                "acronym {w} ({}) does not appear on the {} side",
                s.lang, bead.sides[other].lang
            );
            out.push(
                FindingBuilder::new(Some(i), message)
                    .lang(s.lang)
                    .mark(s, start, end)
                    .build(),
            );
        }
    }
}

/// Plural forms of address abbreviated in capitals, with their period: French `MM.`
/// (Messieurs), Dutch `HH.` (de heren), as before the names of members in parliamentary
/// texts.
const HONORIFICS: &[(Lang, &str)] = &[(Lang::FR, "MM"), (Lang::NL, "HH")];

/// Whether the capitals `w` ending at `end` are such a form of address (see [`HONORIFICS`]).
fn is_honorific(text: &str, end: usize, w: &str, lang: Lang) -> bool {
    text[end..].starts_with('.') && HONORIFICS.iter().any(|&(l, h)| h == w && l == lang)
}

/// Whether every word of two letters or more in `text` is written in capitals (and there is
/// one).
fn set_in_capitals(text: &str) -> bool {
    let mut lettered = words(text)
        .into_iter()
        .filter(|(_, w)| w.chars().filter(|c| c.is_alphabetic()).count() >= 2)
        .peekable();
    lettered.peek().is_some() && lettered.all(|(_, w)| is_acronym(w))
}

/// Acronyms of a text: 2 to 7 capitals, not inside a run of capitalised words, and none in
/// a text set in capitals (a title in capitals, `TABLE OF CONTENTS`, is not a row of
/// acronyms).
pub fn acronym_words(text: &str) -> Vec<(usize, &str)> {
    let parts: Vec<(usize, &str)> = words(text)
        .into_iter()
        .flat_map(|(at, w)| split_hyphens(at, w))
        .collect();
    let caps: Vec<bool> = parts
        .iter()
        .map(|(_, w)| is_acronym(w) && w.chars().count() >= 2)
        .collect();
    let lettered = parts
        .iter()
        .filter(|(_, w)| w.chars().filter(|c| c.is_alphabetic()).count() >= 2)
        .count();
    let in_caps = caps.iter().filter(|&&c| c).count();
    if in_caps >= 3 && in_caps * 4 >= lettered * 3 {
        return Vec::new();
    }
    let read = super::text::with_ocr_numerals_read(text);
    parts
        .iter()
        .enumerate()
        .filter(|&(k, (_, w))| {
            let run = (k > 0 && caps[k - 1]) || caps.get(k + 1).copied().unwrap_or(false);
            let numbered = numeral_follows(&read, parts[k].0 + w.len());
            let code = is_code_prefix(text, parts[k].0 + w.len());
            caps[k]
                && w.chars().count() <= 7
                && !(run && w.chars().count() > 4)
                && !numbered
                && !code
        })
        .map(|(_, &p)| p)
        .collect()
}

/// Whether the capitals ending at `end` begin a code with digits glued to them, directly or
/// after a hyphen (`HA-2011-013`, `NL11-01`: a notice or call number, compared by `numbers`).
fn is_code_prefix(text: &str, end: usize) -> bool {
    let rest = &text[end..];
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    rest.starts_with(|c: char| c.is_ascii_digit())
}

/// Whether the token after `end` in `text`, past some white space, is a numeral
/// ([`is_numeral`]); digits are not words, so the next word cannot tell.
fn numeral_follows(text: &str, end: usize) -> bool {
    let rest = &text[end..];
    let token = rest
        .trim_start()
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    rest.starts_with(char::is_whitespace) && is_numeral(token)
}

/// Whether a word is a numeral that numbers a division (`II`, `XIV`, `3`, `1er`): the word in
/// capitals before it is a label set in capitals (`PARTIE I`, `DEEL II`, `HOOFDSTUK 3`), not
/// an acronym.
fn is_numeral(w: &str) -> bool {
    let roman = super::numbers::roman_value(w).is_some();
    let digits = w.trim_end_matches(char::is_alphabetic);
    let arabic = !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
        && matches!(
            &w[digits.len()..],
            "" | "er" | "e" | "ste" | "de" | "st" | "nd" | "rd" | "th"
        );
    roman || arabic
}

fn split_hyphens(at: usize, w: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for part in w.split('-') {
        if !part.is_empty() {
            out.push((at + offset, part));
        }
        offset += part.len() + 1;
    }
    out
}

/// Words that carry no meaning for comparing an expansion with its glossary name.
const MINOR: &[&str] = &[
    "van", "het", "der", "den", "voor", "en", "de", "la", "le", "les", "des", "du", "et", "pour",
    "the", "and", "of", "for", "die", "das", "und", "fur", "von", "au", "aux", "in", "et",
];

fn content_words(s: &str) -> Vec<String> {
    words(s)
        .into_iter()
        .flat_map(|(_, w)| w.split('-').map(fold).collect::<Vec<_>>())
        .filter(|w| w.chars().count() > 2 && !MINOR.contains(&w.as_str()))
        .collect()
}

fn stem(w: &str) -> String {
    w.chars().take(5).collect()
}

/// Check `expansion`: `Long Name (ACR)` where the glossary gives ACR another name.
pub fn run_expansion(ctx: &Context, out: &mut Vec<Finding>) {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r"\(([A-Z][A-Z/]{1,7})\)").expect("acronym in brackets"));
    let g = &ctx.options.glossary;
    for bead in &ctx.beads {
        for s in &bead.sides {
            for c in re.captures_iter(&s.text) {
                let (Some(whole), Some(acr)) = (c.get(0), c.get(1)) else {
                    continue;
                };
                if let Some(f) = judge_expansion(g, s, bead.index, whole.start(), acr.as_str()) {
                    out.push(f);
                }
            }
        }
    }
}

fn judge_expansion(
    g: &Glossary,
    s: &SideText,
    bead: usize,
    paren: usize,
    acr: &str,
) -> Option<Finding> {
    let entries: Vec<&GlossaryEntry> = g
        .entries()
        .iter()
        .filter(|e| {
            e.terms
                .get(&s.lang)
                .is_some_and(|t| t.iter().any(|x| x == acr))
        })
        .collect();
    let names: Vec<&str> = entries.iter().flat_map(|e| e.names(s.lang)).collect();
    if names.is_empty() {
        return None;
    }
    let before = &s.text[..paren];
    let window_words: Vec<(usize, &str)> = words(before).into_iter().rev().take(12).collect();
    let window: HashSet<String> = window_words
        .iter()
        .flat_map(|(_, w)| content_words(w))
        .map(|w| stem(&w))
        .collect();
    let best = names
        .iter()
        .map(|n| {
            let want = content_words(n);
            let have = want.iter().filter(|w| window.contains(&stem(w))).count();
            (have as f32 / want.len().max(1) as f32, *n)
        })
        .fold((0.0f32, names[0]), |a, b| if b.0 > a.0 { b } else { a });
    if best.0 >= 0.5 {
        return None;
    }
    // Highlight the words the text gives as the expansion: from the first capitalised word of
    // the window's last stretch up to the bracket.
    let n_words = content_words(best.1).len() + 3;
    let start = window_words
        .iter()
        .take(n_words)
        .next_back()
        .map(|&(at, _)| at)
        .unwrap_or(paren);
    let end = paren + acr.len() + 2;
    let message = format!(
        "{acr} is spelled out here as something else than its glossary name \"{}\"",
        best.1
    );
    Some(
        FindingBuilder::new(Some(bead), message)
            .lang(s.lang)
            .mark(s, start, end.min(s.text.len()))
            .build(),
    )
}

#[cfg(test)]
pub(super) const EXAMPLES: &[super::examples::Example] = &[
    super::examples::no(
        "verslag namens de onderzoekscommissie door de heren Duquesne en Willems",
        "rapport fait au nom de la commission d'enquête par MM. Duquesne et Willems",
    ),
    super::examples::no(
        "Leden: HH. De Crem en Willems",
        "Membres : MM. De Crem et Willems",
    ),
    super::examples::yes("volgens het programma", "selon le programme MM"),
    super::examples::no(
        "de ministeriële vergadering van de NAVO",
        "la rencontre ministérielle de l'OTAN",
    ),
    super::examples::no(
        "Raad Buitenlandse Zaken (RBZ) en Raden Algemene Zaken (RAZ)",
        "Conseil Affaires étrangères (CAE) et Conseils Affaires générales (CAG)",
    ),
    super::examples::no(
        "in de Algemene Vergadering van de Verenigde Naties (AVVN)",
        "à l'Assemblée générale des Nations Unies (AGNU)",
    ),
    super::examples::no(
        "het Politiek en Veiligheidscomité (PVC)",
        "le Comité de politique et de sécurité (COPS)",
    ),
    super::examples::no("op NAVO- en EU-niveau", "au niveau de l'OTAN et de l'UE"),
    super::examples::no("een CONUN-bijeenkomst", "une réunion CONUN"),
    super::examples::yes(
        "de ministeriële vergadering van de NAVO",
        "la rencontre ministérielle de l'UE",
    ),
    super::examples::yes("het Politiek en Veiligheidscomité", "le Conseil européen"),
    super::examples::yes("een XYZ-bijeenkomst", "une réunion"),
    super::examples::no(
        "DEEL I Wet van 2 juni 1998 houdende oprichting van een centrum",
        "PARTIE I Loi du 2 juin 1998 portant création d'un centre",
    ),
    super::examples::no(
        "artikel 202 van het Gerechtelijk Wetboek (GW).\nartikel 293 van het GW",
        "article 202 du code judiciaire (CJ).\narticle 293 du CJ",
    ),
    super::examples::yes("artikel 293 van het GW", "article 293 du CJ"),
    super::examples::no("aan de nv Fluxys Belgium", "à la SA Fluxys Belgium"),
    super::examples::in_langs(
        [Lang::EN, Lang::FR],
        false,
        "Appeal No. HA-2011-013 and Call for Bids No. NL11-01 (NAFTA Countries)",
        "Appel no HA-2011-013 et appel d'offres no NL11-01 (pays ALÉNA)",
    ),
    super::examples::no(
        "0,15 VTE per 50 personeelsleden, BCSD-lid bij het OCMW",
        "0,15 ETP par tranche de 50 membres, membre d'un CSSS dans un CPAS",
    ),
    super::examples::yes("aan de nv Fluxys Belgium", "à la SRL Fluxys Belgium"),
    super::examples::no(
        "DEEL Il Koninklijk besluit van 8 november 1998",
        "PARTIE Il Arrêté royal du 8 novembre 1998",
    ),
    super::examples::no(
        "TITEL 3 Slotbepalingen van de wet",
        "TITRE 3 Dispositions finales de la loi",
    ),
    super::examples::no(
        "19 MEI 2025. — Verordening tot wijziging van de verordening",
        "19 MAI 2025. — Règlement modifiant le règlement",
    ),
    super::examples::yes(
        "19 MEI 2025. — Verordening van het RIZIV",
        "19 MAI 2025. — Règlement",
    ),
    super::examples::no("FOD Justitie", "SPF Justice"),
    super::examples::no(
        "de Federale Overheidsdienst Buitenlandse Zaken",
        "le Service public fédéral Affaires étrangères",
    ),
    super::examples::yes("FOD Justitie", "SPP Intégration sociale"),
    super::examples::no("INHOUD", "SOMMAIRE"),
    super::examples::no("FILIP", "PHILIPPE"),
    super::examples::yes("INHOUD van het verslag", "SOMMAIRE"),
    super::examples::in_langs(
        [Lang::DE, Lang::FR],
        false,
        "auf dem NATO-Gipfel und im Rat für Auswärtige Angelegenheiten",
        "au sommet de l'OTAN et au Conseil des affaires étrangères",
    ),
    super::examples::in_langs(
        [Lang::EN, Lang::FR],
        true,
        "at the NATO summit",
        "au sommet de l'UE",
    ),
];

#[cfg(test)]
pub(super) const EXPANSION_EXAMPLES: &[super::examples::Example] = &[
    super::examples::no("het Politiek en Veiligheidscomité (PVC)", "le Comité de politique et de sécurité (COPS)"),
    super::examples::no("Raden Algemene Zaken (RAZ)", "Conseils Affaires générales (CAG)"),
    super::examples::no("het gemeenschappelijk veiligheids- en defensiebeleid (GVDB)", "la politique de sécurité et de défense commune (PSDC)"),
    super::examples::yes("de coördinatie van civiele operaties", "la coordination de Prestataires de Services de Dématérialisation ou de Conservation (PSDC) civile"),
    super::examples::yes("de Noord-Atlantische Raad (RBZ)", "le Conseil de l'Atlantique Nord (OTAN)"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_terms_in_compounds_and_after_elision() {
        let g = Glossary::shipped();
        let ids = |t: &str, l: Lang| -> Vec<String> {
            g.find(t, l)
                .iter()
                .map(|m| g.entries()[m.entry].id.clone())
                .collect()
        };
        assert_eq!(ids("de NAVO-bijeenkomst in Boekarest", Lang::NL), ["nato"]);
        assert_eq!(
            ids("la réunion ministérielle de l’OTAN", Lang::FR),
            ["nato"]
        );
        assert_eq!(ids("aux Conseils Affaires générales", Lang::FR), ["gac"]);
        assert_eq!(ids("Raad van de Europese Unie", Lang::NL), ["council-eu"]);
    }

    #[test]
    fn a_title_set_in_capitals_holds_no_acronyms() {
        fn found(t: &str) -> Vec<&str> {
            acronym_words(t).into_iter().map(|(_, w)| w).collect()
        }
        assert!(found("TABLE OF CONTENTS").is_empty());
        assert!(found("TABLE DES MATIÈRES").is_empty());
        assert_eq!(found("De NAVO en de EU kwamen samen."), ["NAVO", "EU"]);
        assert_eq!(found("Het verslag van de OVSE"), ["OVSE"]);
        // Capitals glued to digits begin a code, not an acronym.
        assert_eq!(
            found("Notice No. HA-2011-013, Call No. NL11-01 and the UN-2 meeting of the UN"),
            ["UN"]
        );
    }

    #[test]
    fn user_glossary_errors_name_the_line() {
        let mut g = Glossary::default();
        let err = g
            .add_tsv("id\tnl\tfr\nfoo\n", Path::new("my.tsv"))
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "my.tsv:2: an entry needs an id and at least one language column (tab-separated)"
        );
        g.add_tsv("id\tnl\tes\nx\tAVVN\tAGNU\n", Path::new("my.tsv"))
            .unwrap();
        assert_eq!(g.find("la AGNU", Lang::parse("es").unwrap()).len(), 1);
    }
}
