//! Spelling: words unknown to the language's Hunspell dictionary (Debian `hunspell-nl`,
//! `hunspell-fr`, ...), read with `spellbook`, with suggestions for the flagged words only.
//! Proper names (capitalised words the dictionary does not know), acronyms, glossary terms,
//! words that also appear on the other side (names, foreign titles) and words inside a stretch
//! of capitalised words (an English title quoted in a Dutch sentence) are not errors. When a
//! dictionary is missing the language is skipped with a note.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use spellbook::Dictionary;

use super::context::{Context, FindingBuilder, SideText};
use super::text::{fold, is_acronym, is_capitalised, words};
use crate::{Finding, Lang};

/// How many suggestions a finding carries at most.
const MAX_SUGGESTIONS: usize = 3;

/// The Hunspell dictionaries, loaded on first use from one folder.
#[derive(Debug, Default)]
pub struct Dictionaries {
    dir: Option<PathBuf>,
    loaded: Mutex<HashMap<Lang, Option<Arc<Dictionary>>>>,
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
            loaded: Mutex::default(),
        }
    }

    /// The dictionary for a language, or why there is none.
    pub fn get(&self, lang: Lang) -> Result<Arc<Dictionary>, String> {
        let mut loaded = self.loaded.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(d) = loaded.get(&lang) {
            return d.clone().ok_or_else(|| self.missing(lang));
        }
        let d = self.load(lang).map(Arc::new);
        loaded.insert(lang, d.clone());
        d.ok_or_else(|| self.missing(lang))
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

    fn load(&self, lang: Lang) -> Option<Dictionary> {
        let dir = self.dir.as_ref()?;
        let base = dictionary_base(dir, lang)?;
        let aff = std::fs::read_to_string(base.with_extension("aff")).ok()?;
        let dic = std::fs::read_to_string(base.with_extension("dic")).ok()?;
        Dictionary::new(&aff, &dic).ok()
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
    suggestions: HashMap<String, Vec<String>>,
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

    fn suggest(&mut self, word: &str) -> Vec<String> {
        if let Some(s) = self.suggestions.get(word) {
            return s.clone();
        }
        let mut out = Vec::new();
        self.dict.suggest(word, &mut out);
        out.truncate(MAX_SUGGESTIONS);
        self.suggestions.insert(word.to_owned(), out.clone());
        out
    }
}

/// Reports unknown words with suggestions.
pub fn run(ctx: &Context, out: &mut Vec<Finding>) {
    for k in 0..2 {
        let lang = ctx.langs()[k];
        let dict = match ctx.options.dictionaries.get(lang) {
            Ok(d) => d,
            Err(note) => {
                ctx.note(note);
                continue;
            }
        };
        let compounds = super::compound::rules_for(&ctx.options.dictionaries, lang);
        let mut speller = Speller {
            dict: &dict,
            compounds: &compounds,
            known: HashMap::new(),
            suggestions: HashMap::new(),
        };
        for bead in &ctx.beads {
            let side = &bead.sides[k];
            let other = &bead.sides[1 - k].text;
            check_side(ctx, &mut speller, bead.index, side, other, out);
        }
    }
}

fn check_side(
    ctx: &Context,
    sp: &mut Speller,
    bead: usize,
    side: &SideText,
    other: &str,
    out: &mut Vec<Finding>,
) {
    let ws = words(&side.text);
    let other_folded = fold(other);
    for (n, &(at, raw)) in ws.iter().enumerate() {
        let (skip, word) = strip_elision(raw);
        if word.chars().count() < 3
            || is_acronym(word)
            || in_title_stretch(&ws, n)
            || glued_to_number(&side.text, at)
        {
            continue;
        }
        if is_capitalised(word) || sp.knows(word) {
            continue;
        }
        if ctx.options.glossary.knows_word(word) || other_folded.contains(&fold(word)) {
            continue;
        }
        let start = at + skip;
        let message = format!(
            "{word}: unknown to the {} dictionary",
            side.lang.english_name()
        );
        let suggestions = sp.suggest(word);
        out.push(
            FindingBuilder::new(Some(bead), message)
                .lang(side.lang)
                .mark(side, start, start + word.len())
                .suggestions(suggestions)
                .build(),
        );
    }
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
        "over het conditionaliteitsmechanisme van de Unie",
        "sur le mécanisme de conditionnalité de l'Union",
    ),
    super::examples::yes(
        "na een gedachtwisseling over de toekomst",
        "après un échange de vues sur l'avenir",
    ),
    super::examples::yes(
        "de verwesenlijkingen van het voorzitterschap",
        "les réalisations de la présidence",
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
