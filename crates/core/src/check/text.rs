//! Text helpers shared by the checks: accent folding with an offset map, words, distances.

use unicode_normalization::UnicodeNormalization;

pub use crate::text::{edit_distance, fold};

/// [`fold`] (the same folding), plus for each byte of the folded text the byte offset in `s`
/// of the character it comes from (and one last entry for the end), so that matches on folded
/// text map back to the original.
pub fn fold_with_map(s: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(s.len());
    let mut map = Vec::with_capacity(s.len() + 1);
    for (at, c) in s.char_indices() {
        if c.is_ascii() && c != '`' {
            out.push(c.to_ascii_lowercase());
            map.push(at);
            continue;
        }
        for d in fold_char(c) {
            let before = out.len();
            out.push(d);
            map.extend(std::iter::repeat_n(at, out.len() - before));
        }
    }
    map.push(s.len());
    (out, map)
}

fn fold_char(c: char) -> impl Iterator<Item = char> {
    let special = match c {
        '’' | '‘' | 'ʼ' | '`' => Some("'"),
        'ø' | 'Ø' => Some("o"),
        'đ' | 'Đ' => Some("d"),
        'ł' | 'Ł' => Some("l"),
        'œ' | 'Œ' => Some("oe"),
        'æ' | 'Æ' => Some("ae"),
        'ß' => Some("ss"),
        '–' | '—' | '‑' | '‐' => Some("-"),
        _ => None,
    };
    let decomposed: Vec<char> = match special {
        Some(d) => d.chars().collect(),
        None => c
            .nfd()
            .filter(|d| !unicode_normalization::char::is_combining_mark(*d))
            .flat_map(char::to_lowercase)
            .collect(),
    };
    decomposed.into_iter()
}

/// Words of a text with their byte ranges: letters (any script), inner apostrophes and
/// hyphens kept (`aujourd'hui`, `Benelux-landen`).
pub fn words(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let inner = matches!(c, '\'' | '’' | '-')
            && start.is_some()
            && chars.get(k + 1).is_some_and(|&(_, n)| n.is_alphabetic());
        if c.is_alphabetic() || inner {
            start.get_or_insert(i);
        } else if let Some(st) = start.take() {
            out.push((st, &s[st..i]));
        }
    }
    if let Some(st) = start {
        out.push((st, &s[st..]));
    }
    out
}

/// Byte ranges of the web and mail addresses in a text (`www.regsol.be`,
/// `https://example.org/a`, `hsb@cabinet.law`, `fedweb.belgium.be`): names of sites and
/// mailboxes, not words of the language. A bare domain needs one of the common endings of
/// the institutions' countries: French inclusive writing (`candidat.es`, `le.la`) looks
/// like a domain otherwise.
pub fn web_addresses(text: &str) -> Vec<(usize, usize)> {
    static ADDRESS: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let address = ADDRESS.get_or_init(|| {
        regex::Regex::new(
            r"(?ix)
            \b(?:https?|ftp)://[^\s<>«»()\[\]]*[^\s<>«»()\[\].,;:!?]
            | \bwww\.[^\s<>«»()\[\]]*[^\s<>«»()\[\].,;:!?]
            | [\w.+-]+@[\w-]+(?:\.[\w-]+)+
            | \b[a-z0-9][a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|int|edu|gov|info|law|eu|be
                |nl|lu|fr|de|ch|at|it|uk|ca|gc|us|brussels|vlaanderen|wallonie)\b",
        )
        .expect("a valid pattern")
    });
    address
        .find_iter(text)
        .filter(|m| !m.as_str().contains(char::is_uppercase) || !is_bare_domain(m.as_str()))
        .map(|m| (m.start(), m.end()))
        .collect()
}

/// Whether an address is a bare domain (`belgium.be`), which must then be in lower case:
/// `Zie.Het` is a missing space, not a site.
fn is_bare_domain(s: &str) -> bool {
    !s.contains("://") && !s.contains('@') && !s.to_lowercase().starts_with("www.")
}

/// The text with the Roman numerals that OCR read with a lower-case `l` for `I` (`PARTIE Il`,
/// `DEEL lll`, `TITRE Vl`) written in capitals again, byte for byte the same length, so that
/// spans found on it hold in the text. Only a word of two letters or more right after a
/// label in capitals, read as a numeral once its `l`s are `I`s, and not followed by a word in
/// lower case: `RÉSUMÉ Il est` keeps its pronoun.
pub fn with_ocr_numerals_read(text: &str) -> std::borrow::Cow<'_, str> {
    let words = words(text);
    let misread = |k: usize| {
        let (_, w) = words[k];
        let label = k > 0 && is_acronym(words[k - 1].1) && words[k - 1].1.chars().count() >= 3;
        let pronoun_next = words
            .get(k + 1)
            .is_some_and(|(_, next)| next.starts_with(char::is_lowercase));
        label
            && !pronoun_next
            && w.len() >= 2
            && w.contains('l')
            && super::numbers::roman_value(&w.replace('l', "I")).is_some()
    };
    let mut out = std::borrow::Cow::Borrowed(text);
    for (start, w) in (0..words.len()).filter(|&k| misread(k)).map(|k| words[k]) {
        out.to_mut()
            .replace_range(start..start + w.len(), &w.replace('l', "I"));
    }
    out
}

/// Whether a word is written in capitals only (two letters or more): an acronym.
pub fn is_acronym(w: &str) -> bool {
    let letters = w.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 2 && w.chars().all(|c| !c.is_lowercase())
}

/// Whether a word starts with a capital letter.
pub fn is_capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// Rows of a shipped `lang<TAB>value<TAB>word|word` table; `#` lines are comments.
pub fn value_table(src: &'static str) -> Vec<(crate::Lang, u32, Vec<&'static str>)> {
    src.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let mut cols = l.split('\t');
            let lang = crate::Lang::parse(cols.next()?).ok()?;
            let value = cols.next()?.trim().parse().ok()?;
            let words = cols.next()?.split('|').map(str::trim).collect();
            Some((lang, value, words))
        })
        .collect()
}

/// Start offsets of the words that belong to a title-like stretch: three or more capitalised
/// words joined only by short lower-case words (`of`, `and`, `for`, `de`) and commas, as in a
/// quoted title (`Code of Conduct Regarding Security Council Action`, `New Agenda for Peace`).
pub fn title_stretch_words(text: &str) -> std::collections::HashSet<usize> {
    let ws = words(text);
    let mut out = std::collections::HashSet::new();
    let mut k = 0;
    while k < ws.len() {
        if !is_capitalised(ws[k].1) {
            k += 1;
            continue;
        }
        let mut end = k;
        let mut caps = 1;
        let mut j = k + 1;
        while j < ws.len() {
            let gap = &text[ws[j - 1].0 + ws[j - 1].1.len()..ws[j].0];
            if !gap.chars().all(|c| c == ' ' || c == ',') {
                break;
            }
            if is_capitalised(ws[j].1) {
                caps += 1;
                end = j;
            } else if ws[j].1.chars().count() > 3 {
                break;
            }
            j += 1;
        }
        if caps >= 3 {
            out.extend(ws[k..=end].iter().map(|w| w.0));
        }
        k = end + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_and_maps_offsets_back() {
        let (f, map) = fold_with_map("Grande Région’s");
        assert_eq!(f, "grande region's");
        let at = f.find("region").unwrap();
        assert_eq!(&"Grande Région’s"[map[at]..map[at + 6]], "Région");
        assert_eq!(fold("Džaferović"), "dzaferovic");
        for s in ["Œuvre – l’Ukraine", "Straße Bosnië-Herzégovine"] {
            assert_eq!(fold_with_map(s).0, fold(s), "{s}");
        }
    }

    #[test]
    fn words_keep_inner_apostrophes_and_hyphens() {
        let w: Vec<&str> = words("l’Ukraine, Benelux-landen (x) - en")
            .into_iter()
            .map(|x| x.1)
            .collect();
        assert_eq!(w, ["l’Ukraine", "Benelux-landen", "x", "en"]);
    }

    #[test]
    fn web_and_mail_addresses_are_found_whole() {
        let found = |t: &str| -> Vec<String> {
            web_addresses(t)
                .into_iter()
                .map(|(a, b)| t[a..b].to_owned())
                .collect()
        };
        assert_eq!(
            found("via de site www.regsol.be. Mail: hsb@deschaetzen.law, of (https://example.org/a?b=1)."),
            ["www.regsol.be", "hsb@deschaetzen.law", "https://example.org/a?b=1"]
        );
        assert_eq!(
            found("zie fedweb.belgium.be voor meer"),
            ["fedweb.belgium.be"]
        );
        for prose in [
            "Het einde.Daarna",
            "i.e. dit",
            "z.g. nog",
            "1.234,56 euro",
            "art. 5.2 van",
            "les candidat.es et le.la président.e",
        ] {
            assert!(found(prose).is_empty(), "{prose}: {:?}", found(prose));
        }
    }

    #[test]
    fn numerals_misread_by_ocr_after_a_label_are_read_again() {
        for (text, read) in [
            ("PARTIE Il Arrêté royal", "PARTIE II Arrêté royal"),
            ("DEEL lll", "DEEL III"),
            ("TITRE Vl. Dispositions", "TITRE VI. Dispositions"),
            ("RÉSUMÉ Il est entendu", "RÉSUMÉ Il est entendu"),
            ("Partie Il Arrêté", "Partie Il Arrêté"),
            ("PARTIE l'Etat", "PARTIE l'Etat"),
            ("ANNEXE Ill", "ANNEXE III"),
        ] {
            assert_eq!(with_ocr_numerals_read(text), read, "{text}");
        }
    }

    #[test]
    fn title_stretches_need_three_capitalised_words() {
        let t = "aan de New Agenda for Peace en de heer Olivier Maes voor";
        let s = title_stretch_words(t);
        assert!(s.contains(&t.find("Peace").unwrap()));
        assert!(!s.contains(&t.find("Maes").unwrap()));
    }

    #[test]
    fn edit_distance_with_limit() {
        assert_eq!(edit_distance("grand", "grande", 2), 1);
        assert_eq!(edit_distance("abc", "xyzabc", 2), 3);
    }
}
