//! The level an activity took place at: from a sub-heading such as `Ministerieel niveau` /
//! `Niveau ministériel` / `Ministerebene` / `Ministerial level`, or from the words of the text
//! (`regeringsleiders`, `ministres`, `directeurs`...) when there is none.

use std::sync::OnceLock;

use regex::Regex;

use crate::model::Level;
use crate::text::fold;
use crate::Lang;

/// Words per language that show each level, as patterns over folded text (lower case, no
/// accents), strongest level first.
const PATTERNS: [(&str, Level, &str); 12] = [
    (
        "nl",
        Level::HeadsOfGovernment,
        r"\b(regeringsleider\w*|regeringshoofd\w*|staatshoofd\w*|premiers?|eerste ministers?|top|\w*topontmoeting\w*)\b",
    ),
    (
        "nl",
        Level::Ministerial,
        r"\b(\w*ministers?|ministerieel|ministeriele)\b",
    ),
    (
        "nl",
        Level::SeniorOfficials,
        r"\b(hoogambtelijk\w*|ambtelijk\w*|ambtena\w*|\w*directeur\w*|directies?-generaal|ambassadeur\w*|permanente? vertegenwoordiger\w*|\w*stafchef\w*|correspondent\w*)\b",
    ),
    (
        "fr",
        Level::HeadsOfGovernment,
        r"\b(chefs? d'etat(?:$|[^-\w])|chefs? de gouvernement\w*|premiers? ministres?|sommet\w*)",
    ),
    ("fr", Level::Ministerial, r"\b(ministres?|ministeriel\w*)\b"),
    (
        "fr",
        Level::SeniorOfficials,
        r"\b(hauts? fonctionnaires?|fonctionnaires?|directeurs?|directrices?|directions? generales?|ambassad\w*|representant\w* permanent\w*|chefs? d'etat-major|correspondants?)\b",
    ),
    (
        "de",
        Level::HeadsOfGovernment,
        r"\b(\w*regierungschef\w*|staatschef\w*|\w*gipfel\w*|premierminister\w*|bundeskanzler\w*)\b",
    ),
    (
        "de",
        Level::Ministerial,
        r"\b(\w*minister(in|innen|n)?|ministeriell\w*|ministerebene|ministerrat\w*)\b",
    ),
    (
        "de",
        Level::SeniorOfficials,
        r"\b(\w*beamt\w*|\w*direktor\w*|botschafter\w*|standige[nr]? vertreter\w*)\b",
    ),
    (
        "en",
        Level::HeadsOfGovernment,
        r"\b(heads? of (state|government)|prime ministers?|summit\w*|premiers?)\b",
    ),
    ("en", Level::Ministerial, r"\b(ministers?|ministerial)\b"),
    (
        "en",
        Level::SeniorOfficials,
        r"\b(senior officials?|officials?|directors?(-general)?|ambassadors?|permanent representatives?)\b",
    ),
];

/// Words that name a level in a heading (`niveau`, `level`, `Ebene`, also at the end of a
/// compound such as `Regeringsleidersniveau` or `Ministerebene`).
const LEVEL_WORD: &str = r"(niveau|level|ebene)\b";

fn compiled() -> &'static [(Lang, Level, Regex)] {
    static RULES: OnceLock<Vec<(Lang, Level, Regex)>> = OnceLock::new();
    RULES.get_or_init(|| {
        PATTERNS
            .iter()
            .filter_map(|(lang, level, pattern)| {
                let lang = Lang::parse(lang).ok()?;
                Some((
                    lang,
                    *level,
                    Regex::new(pattern).expect("valid level pattern"),
                ))
            })
            .collect()
    })
}

/// The strongest level the words of `text` (written in `lang`) show, if any: heads of
/// government before ministers before senior officials.
pub fn level_in_text(text: &str, lang: Lang) -> Option<Level> {
    let folded = fold(text);
    compiled()
        .iter()
        .filter(|(l, _, _)| *l == lang)
        .find(|(_, _, re)| re.is_match(&folded))
        .map(|(_, level, _)| *level)
}

/// The level a heading announces when it is a level sub-heading (`Hoogambtelijk niveau`,
/// `Niveau des chefs de gouvernement`), `None` for any other heading. A level heading whose
/// level is not recognised gives [`Level::Other`].
pub fn level_of_heading(text: &str, lang: Lang) -> Option<Level> {
    static WORD: OnceLock<Regex> = OnceLock::new();
    let word = WORD.get_or_init(|| Regex::new(LEVEL_WORD).expect("valid level-word pattern"));
    let folded = fold(text);
    let short = folded.split_whitespace().count() <= 8;
    if short && word.is_match(&folded) {
        Some(level_in_text(text, lang).unwrap_or(Level::Other))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_headings_in_four_languages() {
        let cases = [
            ("Regeringsleidersniveau", Lang::NL, Level::HeadsOfGovernment),
            ("Ministerieel niveau", Lang::NL, Level::Ministerial),
            ("Hoogambtelijk niveau", Lang::NL, Level::SeniorOfficials),
            (
                "Niveau des chefs de gouvernement",
                Lang::FR,
                Level::HeadsOfGovernment,
            ),
            ("Niveau ministériel", Lang::FR, Level::Ministerial),
            (
                "Niveau hauts fonctionnaires",
                Lang::FR,
                Level::SeniorOfficials,
            ),
            ("Ministerebene", Lang::DE, Level::Ministerial),
            (
                "Ebene der Regierungschefs",
                Lang::DE,
                Level::HeadsOfGovernment,
            ),
            ("Ebene hoher Beamter", Lang::DE, Level::SeniorOfficials),
            ("Senior officials level", Lang::EN, Level::SeniorOfficials),
            ("Niveau technique", Lang::FR, Level::Other),
        ];
        for (heading, lang, level) in cases {
            assert_eq!(level_of_heading(heading, lang), Some(level), "{heading}");
        }
    }

    #[test]
    fn other_headings_are_not_level_headings() {
        assert_eq!(level_of_heading("Sectoraal beleid", Lang::NL), None);
        assert_eq!(
            level_of_heading("Coopération Benelux aux Nations Unies", Lang::FR),
            None
        );
        // A long sentence that happens to say `niveau` is no heading of levels.
        assert_eq!(
            level_of_heading(
                "Als grensoverschrijdende samenwerkingsgebieden willen zij op hoog niveau hun samenwerking verdiepen",
                Lang::NL
            ),
            None
        );
    }

    #[test]
    fn levels_from_running_text() {
        assert_eq!(
            level_in_text("De ministers van Defensie van de Benelux", Lang::NL),
            Some(Level::Ministerial)
        );
        assert_eq!(
            level_in_text("De Energieministers van de Benelux", Lang::NL),
            Some(Level::Ministerial)
        );
        assert_eq!(
            level_in_text(
                "het Luxemburgse ministerie van Buitenlandse Zaken en de adjunct-directeur",
                Lang::NL
            ),
            Some(Level::SeniorOfficials)
        );
        assert_eq!(
            level_in_text(
                "Les Chefs d'État-Major adjoints et les Directeurs de la défense",
                Lang::FR
            ),
            Some(Level::SeniorOfficials)
        );
        assert_eq!(
            level_in_text("pour la première fois", Lang::FR),
            None,
            "`première` is not `premier ministre`"
        );
        assert_eq!(
            level_in_text("Le Sommet Benelux", Lang::FR),
            Some(Level::HeadsOfGovernment)
        );
        assert_eq!(
            level_in_text("Treffen der Außenminister", Lang::DE),
            Some(Level::Ministerial)
        );
        assert_eq!(
            level_in_text("De ministers", Lang::parse("it").unwrap()),
            None
        );
    }
}
