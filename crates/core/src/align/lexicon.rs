//! A word-translation lexicon learned from the text pair itself (IBM Model 1 over the
//! confident beads of a first pass, as Moore 2002 does), optionally extended with a bilingual
//! dictionary file.

use std::collections::HashMap;
use std::path::Path;

use super::tokens::{Bag, Vocab};
use crate::text::fold;
use crate::{Error, Result};

/// Word links in both directions: source word id → target word ids, and back.
#[derive(Clone, Debug, Default)]
pub(crate) struct Lexicon {
    forward: HashMap<u32, Vec<u32>>,
    backward: HashMap<u32, Vec<u32>>,
}

impl Lexicon {
    /// Target words linked to a source word.
    pub(crate) fn targets(&self, src_word: u32) -> &[u32] {
        self.forward.get(&src_word).map_or(&[], Vec::as_slice)
    }

    /// Source words linked to a target word.
    pub(crate) fn sources(&self, tgt_word: u32) -> &[u32] {
        self.backward.get(&tgt_word).map_or(&[], Vec::as_slice)
    }

    fn link(&mut self, s: u32, t: u32) {
        let fwd = self.forward.entry(s).or_default();
        if !fwd.contains(&t) {
            fwd.push(t);
            self.backward.entry(t).or_default().push(s);
        }
    }

    /// Adds the dictionary pairs whose two words both occur in the texts, in both
    /// directions, so that a German-French dictionary also serves a French-German text pair.
    pub(crate) fn add_dictionary(&mut self, pairs: &[(String, String)], vocab: &Vocab) {
        for (s, t) in pairs {
            if let (Some(s), Some(t)) = (vocab.get(&fold(s)), vocab.get(&fold(t))) {
                if s != t {
                    self.link(s, t);
                    self.link(t, s);
                }
            }
        }
    }
}

/// Settings of lexicon learning.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LearnSettings {
    /// EM iterations of Model 1 in each direction.
    pub(crate) iterations: usize,
    /// A link is kept when its translation probability in either direction reaches this.
    pub(crate) min_probability: f32,
    /// At most this many sentence pairs are used (evenly spread), which bounds time and memory.
    pub(crate) max_pairs: usize,
}

/// Learns word links from sentence pairs believed to be translations.
pub(crate) fn learn(pairs: &[(Bag, Bag)], settings: LearnSettings) -> Lexicon {
    let step = pairs.len().div_ceil(settings.max_pairs.max(1)).max(1);
    let words =
        |bag: &Bag| -> Vec<u32> { bag.tokens().filter(|t| t.is_word).map(|t| t.id).collect() };
    let sample: Vec<(Vec<u32>, Vec<u32>)> = pairs
        .iter()
        .step_by(step)
        .map(|(s, t)| (words(s), words(t)))
        .collect();
    let forward = model1(&sample, settings.iterations);
    let flipped: Vec<(Vec<u32>, Vec<u32>)> =
        sample.iter().map(|(s, t)| (t.clone(), s.clone())).collect();
    let backward = model1(&flipped, settings.iterations);
    let mut lexicon = Lexicon::default();
    for (&(s, t), &p) in &forward {
        if s != t && p >= settings.min_probability {
            lexicon.link(s, t);
        }
    }
    for (&(t, s), &p) in &backward {
        if s != t && p >= settings.min_probability {
            lexicon.link(s, t);
        }
    }
    lexicon
}

/// The "empty word" that absorbs target words with no counterpart.
const NULL: u32 = u32::MAX;

/// IBM Model 1: t(target word | source word), keyed by (source, target).
fn model1(pairs: &[(Vec<u32>, Vec<u32>)], iterations: usize) -> HashMap<(u32, u32), f32> {
    // Each (source, target) word pair gets a slot once; EM then runs over plain arrays.
    let mut slot_of: HashMap<(u32, u32), u32> = HashMap::new();
    let mut keys: Vec<(u32, u32)> = Vec::new();
    let mut sources: HashMap<u32, u32> = HashMap::new();
    let mut source_of_slot: Vec<u32> = Vec::new();
    // Per target word occurrence: the slots of its candidate sources (NULL included).
    let mut groups: Vec<Vec<u32>> = Vec::new();
    for (src, tgt) in pairs {
        for &f in tgt {
            let group = src
                .iter()
                .chain(std::iter::once(&NULL))
                .map(|&e| {
                    *slot_of.entry((e, f)).or_insert_with(|| {
                        keys.push((e, f));
                        let next = sources.len() as u32;
                        source_of_slot.push(*sources.entry(e).or_insert(next));
                        (keys.len() - 1) as u32
                    })
                })
                .collect();
            groups.push(group);
        }
    }
    drop(slot_of);
    let mut t = vec![1.0f32; keys.len()];
    for _ in 0..iterations {
        let mut counts = vec![0.0f32; keys.len()];
        let mut totals = vec![0.0f32; sources.len()];
        for group in &groups {
            let z: f32 = group.iter().map(|&k| t[k as usize]).sum();
            for &k in group {
                let c = t[k as usize] / z;
                counts[k as usize] += c;
                totals[source_of_slot[k as usize] as usize] += c;
            }
        }
        for (k, c) in counts.into_iter().enumerate() {
            t[k] = c / totals[source_of_slot[k] as usize];
        }
    }
    keys.into_iter()
        .zip(t)
        .filter(|((e, _), _)| *e != NULL)
        .collect()
}

/// Reads a bilingual dictionary: one `source word<TAB>target word` pair a line; blank lines
/// and lines starting with `#` are skipped. `path` names the file in errors.
pub fn parse_dictionary(text: &str, path: &Path) -> Result<Vec<(String, String)>> {
    let mut pairs = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((s, t)) = line.split_once('\t') else {
            return Err(Error::Malformed {
                path: path.into(),
                line: n + 1,
                message: "expected two words separated by a tab".into(),
            });
        };
        let t = t.split('\t').next().unwrap_or(t);
        if s.trim().is_empty() || t.trim().is_empty() {
            return Err(Error::Malformed {
                path: path.into(),
                line: n + 1,
                message: "a dictionary line needs a word on each side of the tab".into(),
            });
        }
        pairs.push((s.trim().to_owned(), t.trim().to_owned()));
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::super::tokens::bags;
    use super::*;

    #[test]
    fn model1_links_words_that_keep_appearing_together() {
        let src = [
            "der Gipfel ist hoch",
            "der Gletscher ist weit",
            "ein Gipfel im Nebel",
            "ein Gletscher im Tal",
            "der Gipfel im Tal",
        ];
        let tgt = [
            "le sommet est haut",
            "le glacier est loin",
            "un sommet dans le brouillard",
            "un glacier dans la vallée",
            "le sommet dans la vallée",
        ];
        let (s, t, vocab) = bags(&src, &tgt);
        let pairs: Vec<_> = s.iter().zip(t.iter()).collect();
        let settings = LearnSettings {
            iterations: 5,
            min_probability: 0.3,
            max_pairs: 100,
        };
        let lexicon = learn(&pairs, settings);
        let gipfel = vocab.get("gipfel").unwrap();
        let sommet = vocab.get("sommet").unwrap();
        let glacier = vocab.get("glacier").unwrap();
        assert!(lexicon.targets(gipfel).contains(&sommet));
        assert!(!lexicon.targets(gipfel).contains(&glacier));
        assert!(lexicon.sources(sommet).contains(&gipfel));
    }

    #[test]
    fn dictionary_lines_are_checked() {
        let p = Path::new("d.tsv");
        let pairs =
            parse_dictionary("# de\tfr\nGipfel\tsommet\n\nGletscher\tglacier\textra\n", p).unwrap();
        assert_eq!(pairs[1], ("Gletscher".into(), "glacier".into()));
        let err = parse_dictionary("Gipfel sommet\n", p).unwrap_err();
        assert!(matches!(err, Error::Malformed { line: 1, .. }));
    }

    #[test]
    fn dictionary_links_only_words_of_the_texts() {
        let (_, _, vocab) = bags(&["Der Gipfel."], &["Le sommet."]);
        let mut lexicon = Lexicon::default();
        let pairs = [
            ("Gipfel".into(), "Sommet".into()),
            ("Tal".into(), "vallée".into()),
        ];
        lexicon.add_dictionary(&pairs, &vocab);
        let gipfel = vocab.get("gipfel").unwrap();
        assert_eq!(lexicon.targets(gipfel), &[vocab.get("sommet").unwrap()]);
        assert!(vocab.get("tal").is_none());
    }
}
