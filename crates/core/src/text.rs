//! Text normalisation shared by the stages that compare words across languages or spellings
//! (cognates in the aligner, names and glossary terms in the checks, gazetteer look-ups).

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Folds text for comparison: lower case, diacritics removed, ligatures and typographic
/// apostrophes and dashes replaced by their plain forms.
///
/// ```
/// assert_eq!(diptych_core::text::fold("Bosnië-Herzégovine’s Œuvre"), "bosnie-herzegovine's oeuvre");
/// assert_eq!(diptych_core::text::fold("Šefik Džaferović"), "sefik dzaferovic");
/// ```
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'œ' | 'Œ' => out.push_str("oe"),
            'æ' | 'Æ' => out.push_str("ae"),
            'ß' => out.push_str("ss"),
            'ø' | 'Ø' => out.push('o'),
            'đ' | 'Đ' => out.push('d'),
            'ł' | 'Ł' => out.push('l'),
            '’' | '‘' | 'ʼ' | '`' => out.push('\''),
            '–' | '—' | '‑' | '‐' => out.push('-'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Levenshtein distance over characters, giving up (returning `limit + 1`) once the distance
/// is known to exceed `limit`.
pub fn edit_distance(a: &str, b: &str, limit: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > limit {
        return limit + 1;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        if cur.iter().min().copied().unwrap_or(0) > limit {
            return limit + 1;
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folds_accents_case_and_ligatures() {
        assert_eq!(fold("Région"), "region");
        assert_eq!(
            fold("Rhénanie-du-Nord–Westphalie"),
            "rhenanie-du-nord-westphalie"
        );
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("l’Ukraine"), "l'ukraine");
        assert_eq!(fold(""), "");
    }
}
