//! Language identification per paragraph (lingua, offline), and the layout smoothing that
//! turns noisy per-paragraph guesses into runs: a short or name-heavy paragraph carries
//! little weight, and each switch of language costs, so it cannot flip a run on its own.

use std::sync::OnceLock;

use lingua::{Language, LanguageDetector, LanguageDetectorBuilder};

use crate::{Error, Lang, Result};

/// Letters of text it takes for a paragraph's guess to count fully.
const FULL_WEIGHT_LETTERS: f64 = 150.0;
/// Characters of a paragraph given to the detector: enough to decide, and it bounds the
/// time spent on long paragraphs.
const SAMPLE_CHARS: usize = 200;
/// Cost of a language switch, in the units of a paragraph's weighted log-probability. A
/// paragraph that is clearly in one language (ln 0.99/0.01 = 4.6) outweighs the two
/// switches it takes to stand alone from about 30 letters on (weight 0.45); a heading or
/// a name of 20 letters (weight 0.37) never does.
const SWITCH_COST: f64 = 1.0;
/// After a paragraph that stops mid-sentence the costs are the other way round: a column
/// that ends inside a sentence is where the other language takes over, and staying in the
/// same language costs what a switch costs elsewhere. Staying also costs this much when
/// the next paragraph starts in lower case: it continues the other language's cut
/// paragraph rather than starting a new one.
const STAY_AFTER_CUT_COST: f64 = SWITCH_COST;
/// Typesetters keep headings and item titles with the text that follows them, so a column
/// rarely ends right after one: switching there costs more.
const SWITCH_AFTER_HEADING_COST: f64 = 2.0;

/// What the layout says about a paragraph for the run smoothing.
#[derive(Clone, Copy, Debug, Default)]
pub struct Layout {
    /// It stops inside a sentence (a cut at a column end).
    pub cut: bool,
    /// It is a heading, an item title or other marked line kept with the next paragraph.
    pub keep_with_next: bool,
    /// It starts in lower case without markup (the continuation of a cut paragraph).
    pub continuation: bool,
}

/// The (stay, switch) costs of the step into paragraph `i` from paragraph `i - 1`.
fn step_costs(before: &Layout, here: &Layout) -> (f64, f64) {
    if before.cut {
        (STAY_AFTER_CUT_COST, 0.0)
    } else if here.continuation {
        (STAY_AFTER_CUT_COST, SWITCH_COST)
    } else if before.keep_with_next {
        (0.0, SWITCH_AFTER_HEADING_COST)
    } else {
        (0.0, SWITCH_COST)
    }
}

/// The detector's view of one paragraph.
#[derive(Clone, Debug)]
pub struct Guess {
    /// Confidence per candidate language, in the order of the candidates.
    pub confidence: Vec<f64>,
    /// How much the guess counts, from 0 (no letters) to 1 (a long paragraph): the square
    /// root of the share of [`FULL_WEIGHT_LETTERS`], as evidence grows slower than length.
    pub weight: f64,
}

/// Maps a language to lingua's, for the languages diptych can identify.
fn lingua_language(lang: Lang) -> Option<Language> {
    match lang.as_str() {
        "nl" => Some(Language::Dutch),
        "fr" => Some(Language::French),
        "de" => Some(Language::German),
        "en" => Some(Language::English),
        _ => None,
    }
}

/// The most likely language of a text among those diptych can identify, with the detector's
/// confidence (0 to 1); `None` when the text gives no evidence (no letters).
pub fn identify(text: &str) -> Option<(Lang, f64)> {
    let values = detector().compute_language_confidence_values(text);
    let (language, confidence) = values.first()?;
    let lang = Lang::KNOWN
        .into_iter()
        .find(|l| lingua_language(*l) == Some(*language))?;
    Some((lang, *confidence))
}

/// Checks that every requested language can be identified.
pub fn check_candidates(langs: &[Lang]) -> Result<()> {
    if let Some(bad) = langs.iter().find(|l| lingua_language(**l).is_none()) {
        return Err(Error::Invalid(format!(
            "cannot identify language {bad}: diptych identifies nl, fr, de and en"
        )));
    }
    Ok(())
}

/// The detector, in its full (high-accuracy) mode for every text. Its low-accuracy mode
/// (trigrams only) is certain and wrong on ordinary text that holds one rare name: `De heer
/// Abgrall is een deskundige bij het hof van beroep van Brussel` came out French at 1.0.
fn detector() -> &'static LanguageDetector {
    static FULL: OnceLock<LanguageDetector> = OnceLock::new();
    FULL.get_or_init(|| {
        let langs: Vec<Language> = Lang::KNOWN
            .iter()
            .filter_map(|l| lingua_language(*l))
            .collect();
        LanguageDetectorBuilder::from_languages(&langs).build()
    })
}

/// The detector's confidence values for each sample.
fn confidence_values(samples: &[&str]) -> Vec<Vec<(Language, f64)>> {
    detector().compute_language_confidence_values_in_parallel(samples)
}

/// The detector's guesses for each text, over `candidates`.
pub fn guess_all(texts: &[&str], candidates: &[Lang]) -> Vec<Guess> {
    let samples: Vec<&str> = texts.iter().map(|t| sample(t)).collect();
    let values = confidence_values(&samples);
    values
        .into_iter()
        .zip(texts)
        .map(|(vals, text)| {
            let raw: Vec<f64> = candidates
                .iter()
                .map(|c| {
                    let lang = lingua_language(*c);
                    vals.iter()
                        .find(|(l, _)| Some(*l) == lang)
                        .map_or(0.0, |(_, v)| *v)
                })
                .collect();
            let total: f64 = raw.iter().sum();
            let confidence = if total > 0.0 {
                raw.iter().map(|v| v / total).collect()
            } else {
                vec![1.0 / candidates.len() as f64; candidates.len()]
            };
            let letters = text.chars().filter(|c| c.is_alphabetic()).count() as f64;
            let weight = if total > 0.0 {
                (letters / FULL_WEIGHT_LETTERS).min(1.0).sqrt()
            } else {
                0.0
            };
            Guess { confidence, weight }
        })
        .collect()
}

fn sample(text: &str) -> &str {
    match text.char_indices().nth(SAMPLE_CHARS) {
        Some((i, _)) => text[..i].rfind(' ').map_or(&text[..i], |j| &text[..j]),
        None => text,
    }
}

/// The languages clearly present, with the letters of their confident paragraphs: those
/// that are the confident choice (at least 0.8) of weighty paragraphs holding at least 3 %
/// of the letters of such paragraphs, in at least two paragraphs or 10 % of the letters (so
/// one quoted paragraph does not count). In candidate order.
pub fn languages_present(
    guesses: &[Guess],
    texts: &[&str],
    candidates: &[Lang],
) -> Vec<(Lang, usize)> {
    let mut paragraphs = vec![0usize; candidates.len()];
    let mut letters = vec![0usize; candidates.len()];
    for (guess, text) in guesses.iter().zip(texts) {
        let (best, p) = best_of(&guess.confidence);
        if guess.weight >= 0.7 && p >= 0.8 {
            paragraphs[best] += 1;
            letters[best] += text.chars().filter(|c| c.is_alphabetic()).count();
        }
    }
    let total: usize = letters.iter().sum();
    (0..candidates.len())
        .filter(|&i| {
            let share = letters[i] * 100;
            total > 0 && share >= total * 3 && (paragraphs[i] >= 2 || share >= total * 10)
        })
        .map(|i| (candidates[i], letters[i]))
        .collect()
}

/// The language a paragraph is confidently in: the detector's choice among `candidates`
/// when it is at least 0.8 sure and the paragraph has at least `min_weight`.
pub fn confident_choice(guess: &Guess, candidates: &[Lang], min_weight: f64) -> Option<Lang> {
    let (best, p) = best_of(&guess.confidence);
    (guess.weight >= min_weight && p >= 0.8).then(|| candidates[best])
}

/// Guesses made over `all` languages, restricted to `some` of them (renormalised): what
/// [`guess_all`] over `some` gives, without asking the detector again.
pub fn restrict(guesses: &[Guess], all: &[Lang], some: &[Lang]) -> Vec<Guess> {
    let index: Vec<Option<usize>> = some
        .iter()
        .map(|l| all.iter().position(|a| a == l))
        .collect();
    guesses
        .iter()
        .map(|g| {
            let raw: Vec<f64> = index
                .iter()
                .map(|i| i.map_or(0.0, |i| g.confidence[i]))
                .collect();
            let total: f64 = raw.iter().sum();
            if total > 0.0 {
                Guess {
                    confidence: raw.iter().map(|v| v / total).collect(),
                    weight: g.weight,
                }
            } else {
                Guess {
                    confidence: vec![1.0 / some.len() as f64; some.len()],
                    weight: 0.0,
                }
            }
        })
        .collect()
}

fn best_of(values: &[f64]) -> (usize, f64) {
    values.iter().copied().enumerate().fold(
        (0, f64::MIN),
        |acc, (i, v)| if v > acc.1 { (i, v) } else { acc },
    )
}

/// The most likely language of each paragraph, as an index into `pair`, given that
/// languages come in runs: a Viterbi path over two states where each paragraph contributes
/// its weighted log-probability and each switch costs [`SWITCH_COST`], with the layout
/// exceptions of [`step_costs`]. `probs[i]` is the probability of
/// `pair[0]` for paragraph i (already restricted to the pair) and its weight.
pub fn smooth_runs(probs: &[(f64, f64)], layout: &[Layout]) -> Vec<usize> {
    if probs.is_empty() {
        return Vec::new();
    }
    let emit = |&(p, w): &(f64, f64), state: usize| {
        let p = if state == 0 { p } else { 1.0 - p };
        w * p.clamp(0.01, 0.99).ln()
    };
    let mut score = [emit(&probs[0], 0), emit(&probs[0], 1)];
    let mut back: Vec<[usize; 2]> = Vec::with_capacity(probs.len());
    for (i, obs) in probs.iter().enumerate().skip(1) {
        let (stay_cost, switch_cost) = step_costs(&layout[i - 1], &layout[i]);
        let mut next = [0.0; 2];
        let mut from = [0usize; 2];
        for state in 0..2 {
            let stay = score[state] - stay_cost;
            let switch = score[1 - state] - switch_cost;
            (next[state], from[state]) = if stay >= switch {
                (stay, state)
            } else {
                (switch, 1 - state)
            };
            next[state] += emit(obs, state);
        }
        back.push(from);
        score = next;
    }
    let mut state = if score[0] >= score[1] { 0 } else { 1 };
    let mut path = vec![state; probs.len()];
    for (i, from) in back.iter().enumerate().rev() {
        state = from[state];
        path[i] = state;
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_rare_name_does_not_decide_a_long_paragraph() {
        let texts = [
            "2. De heer Abgrall (psychiater, criminoloog, deskundige bij het hof van beroep van Aix-en-Provence en de rechtbanken) ........ 99",
            "2. M. Abgrall (psychiatre, criminologue, expert près la cour d'appel d'Aix-en-Provence et les tribunaux) ........ 99",
        ];
        let guesses = guess_all(&texts, &[Lang::NL, Lang::FR]);
        assert!(guesses[0].confidence[0] > 0.9, "{:?}", guesses[0]);
        assert!(guesses[1].confidence[1] > 0.9, "{:?}", guesses[1]);
    }

    #[test]
    fn a_short_paragraph_cannot_flip_a_run() {
        // Long Dutch, short "French-looking" name, long Dutch, then a French run.
        let obs = [
            (0.99, 1.0),
            (0.05, 0.15),
            (0.98, 1.0),
            (0.02, 1.0),
            (0.03, 0.9),
        ];
        assert_eq!(smooth_runs(&obs, &[Layout::default(); 5]), [0, 0, 0, 1, 1]);
    }

    #[test]
    fn a_long_paragraph_alone_makes_its_own_run() {
        let obs = [(0.99, 1.0), (0.01, 1.0), (0.99, 1.0)];
        assert_eq!(smooth_runs(&obs, &[Layout::default(); 3]), [0, 1, 0]);
        let weak = [(0.99, 1.0), (0.8, 0.5), (0.01, 1.0)];
        let cut = Layout {
            cut: true,
            ..Layout::default()
        };
        assert_eq!(smooth_runs(&weak, &[Layout::default(); 3]), [0, 0, 1]);
        assert_eq!(
            smooth_runs(&weak, &[cut, Layout::default(), Layout::default()]),
            [0, 1, 1]
        );
    }

    #[test]
    fn identifies_dutch_and_french_paragraphs() {
        let texts = [
            "De ministers van Defensie van de Benelux zijn op 21 maart 2022 in Brussel bijeengekomen.",
            "Les Ministres de la Défense du Benelux se sont rencontrés le 21 mars 2022 à Bruxelles.",
        ];
        let guesses = guess_all(&texts, &[Lang::NL, Lang::FR]);
        assert!(guesses[0].confidence[0] > 0.9, "{guesses:?}");
        assert!(guesses[1].confidence[1] > 0.9, "{guesses:?}");
        assert!(guesses[0].weight > 0.4 && guesses[0].weight <= 1.0);
    }
}
