//! Accent- and case-folding for matching names typed by users against names as written.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Lower-cases `s` and removes accents: `Émile Zoé` becomes `emile zoe`.
pub fn fold(s: &str) -> String {
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_and_case() {
        assert_eq!(fold("Élysée Oekraïne"), "elysee oekraine");
        assert_eq!(fold("Baltic States"), "baltic states");
    }
}
