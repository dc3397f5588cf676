//! The sentence-break rules and the per-language data they use.

use std::collections::HashSet;
use std::sync::OnceLock;

use crate::Lang;

/// The language data the break rules consult: abbreviations that never end a sentence and
/// month names (a day number before one is an ordinal, `1. Oktober`).
#[derive(Debug, Default)]
pub struct Rules {
    abbreviations: HashSet<String>,
    months: HashSet<String>,
    /// Words that label an article with the number after them (`art.`, `artikel`).
    article_labels: HashSet<String>,
}

impl Rules {
    /// The rules for `lang`; languages without data get the language-neutral rules only.
    pub fn for_lang(lang: Lang) -> &'static Rules {
        static CACHE: OnceLock<Vec<(Lang, Rules)>> = OnceLock::new();
        static NEUTRAL: OnceLock<Rules> = OnceLock::new();
        let all = CACHE.get_or_init(|| Lang::KNOWN.iter().map(|&l| (l, Rules::load(l))).collect());
        all.iter()
            .find(|(l, _)| *l == lang)
            .map(|(_, r)| r)
            .unwrap_or_else(|| NEUTRAL.get_or_init(Rules::default))
    }

    fn load(lang: Lang) -> Rules {
        let list = match lang.as_str() {
            "nl" => include_str!("../../data/abbreviations/nl.txt"),
            "fr" => include_str!("../../data/abbreviations/fr.txt"),
            "de" => include_str!("../../data/abbreviations/de.txt"),
            "en" => include_str!("../../data/abbreviations/en.txt"),
            _ => "",
        };
        let abbreviations = list
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_owned)
            .collect();
        let months = include_str!("../../data/months.tsv")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| l.split('\t').collect::<Vec<_>>())
            .filter(|cols| cols.len() >= 3 && cols[0] == lang.as_str())
            .flat_map(|cols| {
                cols[2]
                    .split(',')
                    .map(str::to_lowercase)
                    .collect::<Vec<_>>()
            })
            .collect();
        let article_labels = include_str!("../../data/article-labels.tsv")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once('\t'))
            .filter(|(code, _)| *code == lang.as_str())
            .flat_map(|(_, words)| words.split(',').map(str::to_owned).collect::<Vec<_>>())
            .collect();
        Rules {
            article_labels,
            abbreviations,
            months,
        }
    }

    /// Whether the word `token` (ending with its period) is a listed abbreviation. A capital
    /// first letter (sentence start) matches a lower-case entry; an elided article or
    /// preposition before it (`l'art.`, `d'art.`) is left aside.
    fn is_listed(&self, token: &str) -> bool {
        if let Some((_, word)) = token.rsplit_once(['\'', '’']) {
            if !word.is_empty() && self.is_listed(word) {
                return true;
            }
        }
        if self.abbreviations.contains(token) {
            return true;
        }
        let mut chars = token.chars();
        match chars.next() {
            Some(first) if first.is_uppercase() => {
                let lowered: String = first.to_lowercase().chain(chars).collect();
                self.abbreviations.contains(&lowered)
            }
            _ => false,
        }
    }

    /// Whether the sentence so far, `before`, is only an article label and its number
    /// (`Art. 7.`, `Artikel 1.`, `Article 1er.`, `Art. 32/22.`): the label of what follows,
    /// not a sentence of its own. In running text (`zie art. 5.`) the period still ends one.
    fn labels_an_article(&self, before: &str) -> bool {
        let words: Vec<&str> = before.split_whitespace().collect();
        let [label, number] = words.as_slice() else {
            return false;
        };
        let number = number.strip_suffix('.').unwrap_or("");
        let numbered = number.starts_with(|c: char| c.is_ascii_digit())
            && number.chars().count() <= 8
            && number
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '/' || c == '-');
        numbered && self.article_labels.contains(&label.to_lowercase())
    }

    fn is_month(&self, word: &str) -> bool {
        let word: String = word
            .trim_end_matches(|c: char| !c.is_alphabetic())
            .to_lowercase();
        self.months.contains(&word)
    }
}

/// Splits `text` into sentences: byte ranges `[start, end)` without surrounding white space,
/// in order, covering every non-space character of `text`.
pub fn split_sentences(text: &str, lang: Lang) -> Vec<[usize; 2]> {
    let rules = Rules::for_lang(lang);
    let mut spans = Vec::new();
    let mut start = skip_space(text, 0);
    for end in break_candidates(text) {
        if end <= start || !is_break(text, start, end, rules) {
            continue;
        }
        spans.push([start, trim_end(text, end)]);
        start = skip_space(text, end);
    }
    if start < text.len() {
        spans.push([start, trim_end(text, text.len())]);
    }
    spans.retain(|s| s[0] < s[1]);
    spans
}

const TERMINAL: &[char] = &['.', '!', '?', '…'];
const CLOSING: &[char] = &['"', '\'', '”', '’', '»', ')', ']'];
const OPENING: &[char] = &['"', '\'', '“', '‘', '«', '(', '[', '„'];

/// Byte offsets just after a run of terminal punctuation (and closing marks) that is
/// followed by white space.
fn break_candidates(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        if !TERMINAL.contains(&c) {
            continue;
        }
        let mut end = text.len();
        while let Some(&(i, next)) = chars.peek() {
            if TERMINAL.contains(&next) || CLOSING.contains(&next) {
                chars.next();
            } else {
                end = i;
                break;
            }
        }
        if text[end..].starts_with(char::is_whitespace) {
            out.push(end);
        }
    }
    out
}

/// Whether the punctuation ending at `end` closes the sentence begun at `start`.
fn is_break(text: &str, start: usize, end: usize, rules: &Rules) -> bool {
    let next_word = text[end..].split_whitespace().next().unwrap_or("");
    let Some(first) = next_word.chars().next() else {
        return false;
    };
    let opens = first.is_uppercase() || first.is_ascii_digit() || OPENING.contains(&first);
    if !opens {
        return false;
    }
    let before = &text[start..end];
    let token = before
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or("")
        .trim_start_matches(OPENING);
    if !token.ends_with('.') || token.ends_with("..") {
        return true;
    }
    !(rules.is_listed(token)
        || rules.labels_an_article(before)
        || is_initial(token)
        || is_dotted_abbreviation(token)
        || (is_day_number(token) && rules.is_month(next_word)))
}

/// `J.`, `M.`: one capital letter and a period.
fn is_initial(token: &str) -> bool {
    let mut chars = token.chars();
    matches!((chars.next(), chars.next(), chars.next()), (Some(c), Some('.'), None) if c.is_uppercase())
}

/// `o.a.`, `c.-à-d.`, `S.E.`, `Z.Exc.`, `U.S.`: two or more short letter groups, each ended
/// by a period.
fn is_dotted_abbreviation(token: &str) -> bool {
    let body = token.strip_suffix('.').unwrap_or(token);
    let groups: Vec<&str> = body.split('.').collect();
    groups.len() >= 2
        && groups.iter().all(|g| {
            let letters = g.chars().filter(|c| c.is_alphabetic()).count();
            (1..=4).contains(&letters) && g.chars().all(|c| c.is_alphabetic() || c == '-')
        })
}

/// `1.` to `31.`: a day number written as an ordinal.
fn is_day_number(token: &str) -> bool {
    let digits = token.strip_suffix('.').unwrap_or("");
    (1..=2).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit())
}

fn skip_space(text: &str, from: usize) -> usize {
    text[from..]
        .char_indices()
        .find(|(_, c)| !c.is_whitespace())
        .map_or(text.len(), |(i, _)| from + i)
}

fn trim_end(text: &str, end: usize) -> usize {
    text[..end].trim_end().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str, lang: Lang) -> Vec<&str> {
        split_sentences(text, lang)
            .into_iter()
            .map(|[a, b]| &text[a..b])
            .collect()
    }

    #[test]
    fn splits_at_terminal_punctuation_before_a_capital() {
        let text =
            "De drie ministers bespraken de situatie. Nu is het tijd! Waarom? \"Daarom.\" Einde";
        assert_eq!(
            sentences(text, Lang::NL),
            [
                "De drie ministers bespraken de situatie.",
                "Nu is het tijd!",
                "Waarom?",
                "\"Daarom.\"",
                "Einde"
            ]
        );
    }

    #[test]
    fn honorifics_do_not_end_a_sentence() {
        let nl = "Op 28 juni voerde Z.Exc. de heer Olivier Maes het woord. Dhr. Jansen en mevr. Peeters waren er.";
        assert_eq!(sentences(nl, Lang::NL).len(), 2);
        let fr = "Pendant ce débat, S.E. M. Olivier Maes a tenu une intervention. MM. Dupont et Mme Martin aussi.";
        assert_eq!(
            sentences(fr, Lang::FR),
            [
                "Pendant ce débat, S.E. M. Olivier Maes a tenu une intervention.",
                "MM. Dupont et Mme Martin aussi."
            ]
        );
    }

    #[test]
    fn references_symbols_and_numbers_do_not_end_a_sentence() {
        let nl = "Zie art. 5 en blz. 12 van nr. 3, o.a. Frankrijk, bijv. België. Besluit A/76/L.52 werd aangenomen met 3.5 procent.";
        assert_eq!(
            sentences(nl, Lang::NL).len(),
            2,
            "{:?}",
            sentences(nl, Lang::NL)
        );
        let fr = "Le mécanisme, c.-à-d. Le Conseil, etc. a été saisi au titre de l'art. 7 du règlement. Voir p. 4 et art. 2.";
        assert_eq!(
            sentences(
                "Art. 7. L’article 336 est abrogé. Article 1er. La loi règle une matière.",
                Lang::FR
            ),
            [
                "Art. 7. L’article 336 est abrogé.",
                "Article 1er. La loi règle une matière."
            ]
        );
        assert_eq!(
            sentences(
                "Art. 32/22. De identiteit wordt niet geverifieerd. Zie art. 5. Dat volstaat.",
                Lang::NL
            )
            .len(),
            3
        );
        assert_eq!(
            sentences(fr, Lang::FR).len(),
            2,
            "{:?}",
            sentences(fr, Lang::FR)
        );
        let de = "Die Sitzung fand am 1. Oktober statt. Dr. Weber sprach z.B. über Art. 5.";
        assert_eq!(
            sentences(de, Lang::DE).len(),
            2,
            "{:?}",
            sentences(de, Lang::DE)
        );
        let en = "Mr. J. Smith spoke, e.g. On trade. The U.S. Congress agreed.";
        assert_eq!(
            sentences(en, Lang::EN).len(),
            2,
            "{:?}",
            sentences(en, Lang::EN)
        );
    }

    #[test]
    fn a_year_or_a_word_before_a_period_still_ends_a_sentence() {
        let nl = "Dit gebeurde in 2022. Het was een succes, enz. De volgende stap volgt.";
        assert_eq!(sentences(nl, Lang::NL).len(), 3);
    }

    #[test]
    fn spans_are_trimmed_and_cover_the_text() {
        let text = "  Eén.  Twee?\tDrie  ";
        let spans = split_sentences(text, Lang::NL);
        assert_eq!(spans, vec![[2, 7], [9, 14], [15, 19]]);
        assert!(split_sentences("   ", Lang::NL).is_empty());
    }
}
