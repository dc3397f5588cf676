//! Spelling: words unknown to the language's Hunspell dictionary (Debian `hunspell-nl`,
//! `hunspell-fr`, ...), read with `spellbook`, with suggestions for the flagged words only.
//! Proper names (capitalised words the dictionary does not know), acronyms, glossary terms,
//! words that also appear on the other side (names, foreign titles) and words inside a stretch
//! of capitalised words (an English title quoted in a Dutch sentence) are not errors. When a
//! dictionary is missing the language is skipped with a note.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use rayon::prelude::*;
use spellbook::Dictionary;

use super::context::{Context, FindingBuilder, SideText};
use super::text::{fold, is_acronym, is_capitalised, words};
use crate::{Finding, Lang};

mod near;

/// How many suggestions a finding carries at most.
const MAX_SUGGESTIONS: usize = 3;

/// Where the Hunspell dictionaries are read from. The dictionaries themselves are loaded once
/// per process, on first use, and shared by every run and every [`Dictionaries`] value that
/// names the same folder (a batch of documents pays the start-up once).
#[derive(Clone, Debug, Default)]
pub struct Dictionaries {
    dir: Option<PathBuf>,
}

/// One cell per dictionary file set (folder and language), filled once per process.
type Loaded = OnceLock<Option<Arc<Lexicon>>>;

/// The cells of the dictionaries asked for so far in this process, by folder and language.
type Cells = Mutex<HashMap<(PathBuf, Lang), Arc<Loaded>>>;

/// The cell of one dictionary, created on the first request in this process.
fn loaded(dir: &Path, lang: Lang) -> Arc<Loaded> {
    static CELLS: OnceLock<Cells> = OnceLock::new();
    let cells = CELLS.get_or_init(Mutex::default);
    let mut cells = cells.lock().unwrap_or_else(|e| e.into_inner());
    cells.entry((dir.to_owned(), lang)).or_default().clone()
}

impl Dictionaries {
    /// The system dictionaries (`/usr/share/hunspell`).
    pub fn system() -> Dictionaries {
        Dictionaries::in_dir(&super::system_dictionary_dir())
    }

    /// Dictionaries read from `dir`: `LANG.aff`/`LANG.dic`, or the first `LANG_*.aff`.
    pub fn in_dir(dir: &Path) -> Dictionaries {
        Dictionaries {
            dir: Some(dir.to_owned()),
        }
    }

    /// The dictionary for a language, or why there is none.
    pub fn get(&self, lang: Lang) -> Result<Arc<Dictionary>, String> {
        self.lexicon(lang).map(|l| l.dict.clone())
    }

    /// The dictionary for a language with its suggestion machinery, or why there is none.
    /// Loaded on the first call in the process; later calls share it.
    pub(crate) fn lexicon(&self, lang: Lang) -> Result<Arc<Lexicon>, String> {
        let Some(dir) = &self.dir else {
            return Err(self.missing(lang));
        };
        loaded(dir, lang)
            .get_or_init(|| Lexicon::load(dir, lang).map(Arc::new))
            .clone()
            .ok_or_else(|| self.missing(lang))
    }

    /// The dictionary's files without extension (`DIR/nl`), if there are some.
    pub(super) fn base(&self, lang: Lang) -> Option<PathBuf> {
        dictionary_base(self.dir.as_ref()?, lang)
    }

    fn missing(&self, lang: Lang) -> String {
        match &self.dir {
            Some(dir) => format!(
                "spelling: no readable Hunspell dictionary for {lang} in {} (Debian package hunspell-{lang}); {lang} not checked",
                dir.display()
            ),
            None => format!("spelling: no dictionary folder given; {lang} not checked"),
        }
    }
}

/// One language's Hunspell dictionary, with what suggestions need: an index of its stems
/// built on first need, and the suggestions already made (a word is looked up once per
/// process).
pub(crate) struct Lexicon {
    dict: Arc<Dictionary>,
    aff: String,
    dic: String,
    near: OnceLock<near::NearStems>,
    suggestions: Mutex<HashMap<String, Vec<String>>>,
}

impl Lexicon {
    fn load(dir: &Path, lang: Lang) -> Option<Lexicon> {
        let base = dictionary_base(dir, lang)?;
        let aff = std::fs::read_to_string(base.with_extension("aff")).ok()?;
        let dic = std::fs::read_to_string(base.with_extension("dic")).ok()?;
        let dict = Dictionary::new(&aff, &dic).ok()?;
        Some(Lexicon {
            dict: Arc::new(dict),
            aff,
            dic,
            near: OnceLock::new(),
            suggestions: Mutex::default(),
        })
    }

    /// Suggestions for each word, best first, at most [`MAX_SUGGESTIONS`] each; the words not
    /// seen before in this process are worked out in parallel.
    fn suggest_all(&self, words: &[&str]) -> HashMap<String, Vec<String>> {
        let known = self
            .suggestions
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let mut todo: Vec<&str> = words
            .iter()
            .copied()
            .filter(|w| !known.contains_key(*w))
            .collect();
        todo.sort_unstable();
        todo.dedup();
        let fresh: Vec<(String, Vec<String>)> = todo
            .par_iter()
            .map(|w| (w.to_string(), self.suggest(w)))
            .collect();
        let mut cache = self.suggestions.lock().unwrap_or_else(|e| e.into_inner());
        cache.extend(fresh);
        words
            .iter()
            .filter_map(|w| Some((w.to_string(), cache.get(*w)?.clone())))
            .collect()
    }

    /// Hunspell's suggestions (edit-based: swapped, missing, extra, wrong or moved letters,
    /// the replacement table, two words; then n-gram similarity) from a small dictionary of
    /// the stems nearest to the word (see [`near`]) with the full dictionary's affix rules,
    /// instead of a search of the whole dictionary.
    fn suggest(&self, word: &str) -> Vec<String> {
        let near = self
            .near
            .get_or_init(|| near::NearStems::build(&self.aff, &self.dic));
        let mut out = near.suggest(word);
        out.truncate(MAX_SUGGESTIONS);
        out
    }
}

fn dictionary_base(dir: &Path, lang: Lang) -> Option<PathBuf> {
    let exact = dir.join(format!("{lang}.aff"));
    if exact.is_file() {
        return Some(dir.join(lang.as_str()));
    }
    let mut regional: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.starts_with(&format!("{lang}_")) && name.ends_with(".aff")
        })
        .collect();
    regional.sort();
    regional.first().map(|p| p.with_extension(""))
}

/// French (and Italian, Catalan) elided articles and pronouns.
const ELISIONS: &[&str] = &[
    "l'", "d'", "j'", "m'", "n'", "s'", "t'", "c'", "qu'", "jusqu'", "lorsqu'", "puisqu'",
    "quoiqu'",
];

/// A word checker with memory: a long document repeats its words.
struct Speller<'a> {
    dict: &'a Dictionary,
    compounds: &'a super::compound::CompoundRules,
    known: HashMap<String, bool>,
}

impl Speller<'_> {
    fn knows(&mut self, word: &str) -> bool {
        if let Some(&k) = self.known.get(word) {
            return k;
        }
        let k = self.dict.check(word)
            || self.knows_parts(word)
            || self.compounds.knows(word, |w| self.dict.check(w));
        self.known.insert(word.to_owned(), k);
        k
    }

    /// Hyphenated words whose parts are all words, names or acronyms; a first part may be a
    /// combining form in `-o` (`civilo-militaire`, `franco-belge`).
    fn knows_parts(&self, word: &str) -> bool {
        let parts: Vec<&str> = word.split('-').collect();
        parts.len() > 1
            && parts.iter().enumerate().all(|(k, p)| {
                p.is_empty()
                    || self.dict.check(p)
                    || is_capitalised(p)
                    || is_acronym(p)
                    || (k == 0 && p.len() >= 4 && p.ends_with('o'))
            })
    }
}

/// A word unknown to the dictionary: where it is and what it says.
struct Unknown {
    bead: usize,
    start: usize,
    word: String,
}

/// Reports unknown words with suggestions.
pub fn run(ctx: &Context, out: &mut Vec<Finding>) {
    let langs = ctx.langs();
    let dicts = &ctx.options.dictionaries;
    // Both languages' dictionaries load at once, on the two cores.
    let lexicons: [Result<Arc<Lexicon>, String>; 2] = {
        let (a, b) = rayon::join(|| dicts.lexicon(langs[0]), || dicts.lexicon(langs[1]));
        [a, b]
    };
    for (k, lexicon) in lexicons.into_iter().enumerate() {
        match lexicon {
            Ok(lexicon) => check_language(ctx, k, &lexicon, out),
            Err(note) => ctx.note(note),
        }
    }
}

/// Finds the unknown words of side `k`, then the suggestions for each distinct one.
fn check_language(ctx: &Context, k: usize, lexicon: &Lexicon, out: &mut Vec<Finding>) {
    let compounds = super::compound::rules_for(&ctx.options.dictionaries, ctx.langs()[k]);
    let mut speller = Speller {
        dict: &lexicon.dict,
        compounds: &compounds,
        known: HashMap::new(),
    };
    let mut unknown = Vec::new();
    for bead in &ctx.beads {
        let other = &bead.sides[1 - k].text;
        unknown_words(
            ctx,
            &mut speller,
            bead.index,
            &bead.sides[k],
            other,
            &mut unknown,
        );
    }
    let words: Vec<&str> = unknown.iter().map(|u| u.word.as_str()).collect();
    let suggestions = lexicon.suggest_all(&words);
    for u in &unknown {
        let side = &ctx.beads[u.bead].sides[k];
        let message = format!(
            "{}: unknown to the {} dictionary",
            u.word,
            side.lang.english_name()
        );
        let suggested = suggestions.get(&u.word).cloned();
        out.push(
            FindingBuilder::new(Some(u.bead), message)
                .lang(side.lang)
                .mark(side, u.start, u.start + u.word.len())
                .suggestions(suggested.unwrap_or_default())
                .build(),
        );
    }
}

fn unknown_words(
    ctx: &Context,
    sp: &mut Speller,
    bead: usize,
    side: &SideText,
    other: &str,
    out: &mut Vec<Unknown>,
) {
    let ws = words(&side.text);
    let other_folded = fold(other);
    let addresses = super::text::web_addresses(&side.text);
    for (n, &(at, raw)) in ws.iter().enumerate() {
        let (skip, word) = strip_elision(raw);
        let in_address = addresses.iter().any(|&(a, b)| a <= at && at < b);
        if word.chars().count() < 3
            || in_address
            || is_acronym(word)
            || in_title_stretch(&ws, n)
            || glued_to_number(&side.text, at)
        {
            continue;
        }
        let after = &side.text[at + raw.len()..];
        let abbreviation = after.starts_with('.') && sp.knows(&format!("{word}."));
        let suspended =
            suspends_a_compound(after) && sp.compounds.starts(word, |w| sp.dict.check(w));
        if is_capitalised(word) || sp.knows(word) || abbreviation || suspended {
            continue;
        }
        if ctx.options.glossary.knows_word(word) || other_folded.contains(&fold(word)) {
            continue;
        }
        out.push(Unknown {
            bead,
            start: at + skip,
            word: word.to_owned(),
        });
    }
}

/// Whether the text after a word shows it as the first part of a compound whose rest is
/// left to the next word: a hyphen, a space and a conjunction (`bewakings- en
/// beschermingsopdrachten`, `Ein- und Ausfuhr`, `pre- and post-war`).
fn suspends_a_compound(after: &str) -> bool {
    let Some(rest) = after.strip_prefix('-') else {
        return false;
    };
    let next = rest.trim_start_matches([' ', '\u{a0}']);
    rest.len() > next.len()
        && [
            "en ", "of ", "tot ", "et ", "ou ", "and ", "or ", "to ", "und ", "oder ", "bis ",
        ]
        .iter()
        .any(|c| next.starts_with(c))
}

/// `ème` in `11ème`, `e` in `66e`: ordinal endings, not words.
fn glued_to_number(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_ascii_digit() || c == '^' || c == '{')
}

fn strip_elision(w: &str) -> (usize, &str) {
    let lower = w.to_lowercase().replace('’', "'");
    for e in ELISIONS {
        if lower.starts_with(e) && lower.len() > e.len() {
            // The apostrophe may be the three-byte typographic one.
            let cut = w
                .char_indices()
                .nth(e.chars().count())
                .map(|(i, _)| i)
                .unwrap_or(w.len());
            return (cut, &w[cut..]);
        }
    }
    (0, w)
}

/// Whether word `n` sits among capitalised words (a quoted title such as `Code of Conduct
/// Regarding ...` or `the Global Digital Compact`): at least three of its four neighbours.
fn in_title_stretch(ws: &[(usize, &str)], n: usize) -> bool {
    let lo = n.saturating_sub(2);
    let hi = (n + 3).min(ws.len());
    let caps = (lo..hi)
        .filter(|&k| k != n && is_capitalised(ws[k].1))
        .count();
    caps >= 3
        || (n > 0 && n + 1 < ws.len() && is_capitalised(ws[n - 1].1) && is_capitalised(ws[n + 1].1))
}

#[cfg(test)]
pub(super) const EXAMPLES: &[super::examples::Example] = &[
    super::examples::no(
        "De regeringsleiders hielden op 28 november in het kasteel van Bourglinster hun traditionele Benelux-Top.",
        "Les chefs de gouvernement se sont rencontrés le 28 novembre au château Bourglinster.",
    ),
    super::examples::no(
        "de Code of Conduct Regarding Security Council Action Against Genocide",
        "le Code de conduite relatif à l'action du Conseil de sécurité contre le génocide",
    ),
    super::examples::no("om de gezamenlijke standpunten te bepalen", "l'évaluation des répercussions de l'Union européenne"),
    super::examples::no(
        "de civiel-militaire samenwerking tijdens de 11e zitting",
        "la coopération civilo-militaire lors de la 11ème session",
    ),
    super::examples::yes(
        "met het oog op de besprekkingen in de Europese Raad.",
        "en vue des débats du Conseil européen.",
    ),
    super::examples::yes(
        "maar verschafft een overzicht van de meest markante voorbeelden",
        "vise principalement à présenter les exemples",
    ),
    super::examples::yes("in een gevraalijker geworden internationale context", "dans un contexte international plus dangereux"),
    super::examples::no(
        "wordt mevr. Renson benoemd, zie blz. 4",
        "Mme Renson est nommée, voir p. 4",
    ),
    super::examples::yes("wordt mevr Renson benoemd", "Mme Renson est nommée"),
    super::examples::no(
        "de bewakings- en beschermingsopdrachten en de verblijfs- of werkingskosten",
        "les missions de surveillance et de protection et les frais de séjour ou de fonctionnement",
    ),
    super::examples::yes(
        "de bewakigs- en beschermingsopdrachten",
        "les missions de surveillance et de protection",
    ),
    super::examples::no(
        "via de website www.regsol.be of per mail aan hsb@deschaetzen.law.",
        "via le site du registre ou par courriel au curateur.",
    ),
    super::examples::yes(
        "via de website www.regsol.be aan de curatorr.",
        "via le site www.regsol.be au curateur.",
    ),
];

#[cfg(test)]
mod tests {
    use super::super::{examples, run_checks, CheckOptions};
    use super::*;

    #[test]
    fn a_missing_dictionary_skips_the_language_with_a_note() {
        let empty = tempfile::tempdir().unwrap();
        let bitext = examples::bitext(&examples::yes(
            "met het oog op de besprekkingen",
            "en vue des débats",
        ));
        let options = CheckOptions {
            only: vec!["spelling".into(), "names".into()],
            dictionaries: Dictionaries::in_dir(empty.path()),
            ..CheckOptions::default()
        };
        let report = run_checks(&bitext, &options);
        assert!(report.findings.is_empty());
        assert!(
            report
                .notes
                .iter()
                .any(|n| n.starts_with("spelling: no readable Hunspell dictionary for nl")),
            "{:?}",
            report.notes
        );
    }
}
