//! Compounds the dictionary lacks: a word unknown to Hunspell that splits into a first part
//! allowed to start a compound with that linking element and a known last part is a word
//! (`conditionaliteit-s-mechanisme`). Which first parts may start a compound, and with which
//! linking element (none, `s`, `-`, `e`, `en`), is read from the dictionary itself: the
//! OpenTaal Dutch dictionary marks them with suffix flags whose continuation carries its
//! `COMPOUNDBEGIN` flag (`SFX Ch 0 s/Ca...`: "this stem + `s` starts a compound"). A first
//! part the dictionary lacks is allowed when it is a regular derivation of a known word that
//! takes the linking `s` (`conditionaliteit` from `conditioneel`, like `nationaliteit` /
//! `nationaal`). A typo stays a typo: `gedachtwisselingen` does not pass as `gedacht` +
//! `wisselingen`, because the dictionary does not let the participle `gedacht` start a
//! compound.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use super::spelling::Dictionaries;
use crate::Lang;

/// The linking elements between the parts of a compound, longest first.
const LINKS: &[&str] = &["en", "s", "e", "-", ""];

/// The shortest part worth splitting off (shorter ones make typos pass).
const MIN_PART: usize = 4;

/// Which stems may start a compound, with which linking elements.
#[derive(Debug, Default)]
pub struct CompoundRules {
    begins: HashMap<String, Vec<String>>,
}

impl CompoundRules {
    /// Reads the compounding flags of a Hunspell dictionary (`.aff` and `.dic` text). A
    /// dictionary without `COMPOUNDBEGIN` gives rules that accept nothing.
    pub fn from_hunspell(aff: &str, dic: &str) -> CompoundRules {
        let Some(begin) = aff_value(aff, "COMPOUNDBEGIN") else {
            return CompoundRules::default();
        };
        let long = aff_value(aff, "FLAG").as_deref() == Some("long");
        let mut links: HashMap<String, Vec<String>> = HashMap::new();
        for line in aff.lines() {
            let cols: Vec<&str> = line.split_whitespace().collect();
            if cols.len() < 4 || cols[0] != "SFX" || cols[2] != "0" {
                continue;
            }
            let (add, cont) = cols[3].split_once('/').unwrap_or((cols[3], ""));
            let add = if add == "0" { "" } else { add };
            if flags(cont, long).any(|f| f == begin) {
                links
                    .entry(cols[1].to_owned())
                    .or_default()
                    .push(add.to_owned());
            }
        }
        let mut begins: HashMap<String, Vec<String>> = HashMap::new();
        for line in dic.lines().skip(1) {
            let Some((stem, fl)) = line.split_once('/') else {
                continue;
            };
            let fl = fl.split_whitespace().next().unwrap_or("");
            let mut found: Vec<String> = flags(fl, long)
                .filter_map(|f| links.get(f))
                .flatten()
                .cloned()
                .collect();
            if flags(fl, long).any(|f| f == begin) {
                found.push(String::new());
            }
            if !found.is_empty() {
                let entry = begins.entry(stem.replace('ĳ', "ij")).or_default();
                entry.extend(found);
            }
        }
        CompoundRules { begins }
    }

    /// Whether `word` is a compound of an allowed first part, a linking element and a last
    /// part that `known` accepts.
    pub fn knows(&self, word: &str, known: impl Fn(&str) -> bool) -> bool {
        if self.begins.is_empty() {
            return false;
        }
        let lower = word.to_lowercase();
        lower
            .char_indices()
            .map(|(i, _)| i)
            .filter(|&i| lower[..i].chars().count() >= MIN_PART)
            .any(|i| {
                let (first, rest) = lower.split_at(i);
                LINKS.iter().any(|link| {
                    let Some(last) = rest.strip_prefix(link) else {
                        return false;
                    };
                    last.chars().count() >= MIN_PART
                        && self.may_start(first, link, &known)
                        && known(last)
                })
            })
    }

    /// Whether `part` is the first part of a compound with its linking element, as it stands
    /// before a hyphen when the rest of the compound is left to the next word
    /// (`bewakings- en beschermingsopdrachten`: `bewaking` + `s`).
    pub fn starts(&self, part: &str, known: impl Fn(&str) -> bool) -> bool {
        let lower = part.to_lowercase();
        LINKS.iter().filter(|link| **link != "-").any(|link| {
            lower.strip_suffix(link).is_some_and(|first| {
                first.chars().count() >= MIN_PART && self.may_start(first, link, &known)
            })
        })
    }

    fn may_start(&self, first: &str, link: &str, known: &impl Fn(&str) -> bool) -> bool {
        if let Some(links) = self.begins.get(first) {
            return links.iter().any(|l| l == link);
        }
        link == "s" && derived_noun_in_s(first, known)
    }
}

/// The compounding rules of a language's dictionary, read once per process and file.
pub(super) fn rules_for(dictionaries: &Dictionaries, lang: Lang) -> Arc<CompoundRules> {
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, Arc<CompoundRules>>>> = OnceLock::new();
    let Some(base) = dictionaries.base(lang) else {
        return Arc::default();
    };
    let mut cache = CACHE
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    cache
        .entry(base.clone())
        .or_insert_with(|| {
            let read =
                |ext: &str| std::fs::read_to_string(base.with_extension(ext)).unwrap_or_default();
            Arc::new(CompoundRules::from_hunspell(&read("aff"), &read("dic")))
        })
        .clone()
}

/// Nouns in `-aliteit` made from a known adjective in `-eel` or `-aal`
/// (`conditionaliteit` <- `conditioneel`, `nationaliteit` <- `nationaal`): the dictionary lets
/// every such noun it knows start a compound with `s`.
fn derived_noun_in_s(first: &str, known: &impl Fn(&str) -> bool) -> bool {
    let Some(root) = first.strip_suffix("aliteit") else {
        return false;
    };
    !root.is_empty() && (known(&format!("{root}eel")) || known(&format!("{root}aal")))
}

fn aff_value(aff: &str, key: &str) -> Option<String> {
    aff.lines().find_map(|l| {
        let mut cols = l.split_whitespace();
        (cols.next() == Some(key)).then(|| cols.next().unwrap_or("").to_owned())
    })
}

/// The flags of a flag string: two characters each with `FLAG long`, else one.
fn flags(s: &str, long: bool) -> impl Iterator<Item = &str> {
    let step = if long { 2 } else { 1 };
    let cut: Vec<usize> = s.char_indices().map(|(i, _)| i).chain([s.len()]).collect();
    (0..cut.len().saturating_sub(1))
        .step_by(step)
        .filter_map(move |k| s.get(cut[k]..cut[(k + step).min(cut.len() - 1)]))
}

#[cfg(test)]
mod tests {
    use super::*;

    const AFF: &str = "FLAG long\nCOMPOUNDBEGIN Ca\nSFX Ch Y 1\nSFX Ch 0 s/CaCbCxCp .\nSFX Ce Y 2\nSFX Ce 0 /CaCbCp .\nSFX Ce 0 -/CaCbCcCp .\nSFX Zb Y 1\nSFX Zb 0 en .\n";
    const DIC: &str = "6\nveiligheid/ZdCcCh\nmechanisme/CeCcZaZi\ngedacht/PpPrPsPt\nwisseling/CcZbCh\nconditioneel/AlAq\nbeleid/CcCh\n";

    fn known(w: &str) -> bool {
        [
            "veiligheid",
            "mechanisme",
            "mechanismen",
            "gedacht",
            "wisseling",
            "wisselingen",
            "conditioneel",
            "beleid",
            "beleidsmedewerker",
        ]
        .contains(&w)
    }

    #[test]
    fn compounds_pass_with_the_dictionary_s_linking_and_derivations() {
        let rules = CompoundRules::from_hunspell(AFF, DIC);
        assert!(rules.knows("veiligheidsbeleid", known));
        assert!(rules.knows("mechanismewisseling", known));
        assert!(rules.knows("conditionaliteitsmechanisme", known));
        assert!(rules.knows("conditionaliteitsmechanismen", known));
    }

    #[test]
    fn typos_stay_unknown() {
        let rules = CompoundRules::from_hunspell(AFF, DIC);
        // `gedacht` may not start a compound; `veiligheid` needs its `s`.
        assert!(!rules.knows("gedachtwisselingen", known));
        assert!(!rules.knows("veiligheidbeleid", known));
        assert!(!rules.knows("conditionaliteitmechanisme", known));
        assert!(!rules.knows("besprekkingen", known));
    }

    #[test]
    fn a_first_part_left_before_a_hyphen_keeps_its_linking_element() {
        let rules = CompoundRules::from_hunspell(AFF, DIC);
        // `veiligheids- en defensiebeleid`
        assert!(rules.starts("veiligheids", known));
        assert!(!rules.starts("veiligheid", known));
        assert!(!rules.starts("gedachts", known));
    }

    #[test]
    fn a_dictionary_without_compounding_accepts_nothing() {
        let rules = CompoundRules::from_hunspell("SET UTF-8\n", DIC);
        assert!(!rules.knows("veiligheidsbeleid", known));
    }
}
