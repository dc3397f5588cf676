//! A gazetteer of countries, cities, regions, groups of countries and international bodies in
//! English, Dutch, French and German, loaded from `crates/core/data/gazetteer/*.tsv`.
//!
//! Names are matched accent- and case-tolerantly, and exonyms are variants of one entry:
//! `Brussel`, `Bruxelles`, `Brüssel` and `Brussels` are all [`Gazetteer::lookup`]ed to the
//! entry whose canonical name is `Brussels`.
//!
//! ```
//! use diptych_core::extract::gazetteer::Gazetteer;
//! use diptych_core::Lang;
//!
//! let g = Gazetteer::builtin();
//! assert_eq!(g.lookup("Bruxelles", Lang::FR).unwrap().name, "Brussels");
//! let found = g.find("De ministers kwamen in Den Haag bijeen met de NAVO.", Lang::NL);
//! let names: Vec<&str> = found.iter().map(|m| m.entry.name.as_str()).collect();
//! assert_eq!(names, ["The Hague", "North Atlantic Treaty Organization"]);
//! ```

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::OnceLock;

use crate::{Error, Lang, Result};

/// What a gazetteer entry names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A sovereign country.
    Country,
    /// An international organisation or one of its bodies.
    Organisation,
    /// A group of countries (the Benelux, the Baltic states).
    Group,
    /// A region inside or across countries (Grande Région, North Rhine-Westphalia).
    Region,
    /// A city or town.
    City,
    /// A sea (listed so that `Baltische Zee` is not read as the Baltic states).
    Sea,
}

impl Kind {
    /// The lower-case name used in files: `country`, `organisation`, `group`, `region`,
    /// `city`, `sea`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Kind::Country => "country",
            Kind::Organisation => "organisation",
            Kind::Group => "group",
            Kind::Region => "region",
            Kind::City => "city",
            Kind::Sea => "sea",
        }
    }
}

/// One named thing with its names in each language.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// Canonical English name.
    pub name: String,
    /// What it is.
    pub kind: Kind,
    /// Names per language, the preferred first; acronyms included.
    pub names: BTreeMap<Lang, Vec<String>>,
    /// For a group its members, for a city or region its country (canonical names).
    pub links: Vec<String>,
}

/// A name of an entry found in a text.
#[derive(Clone, Debug, PartialEq)]
pub struct Mention<'g> {
    /// Byte range of the name in the text.
    pub span: Range<usize>,
    /// The name as written in the text.
    pub written: String,
    /// The entry the name most likely means (a country before a city of the same name).
    pub entry: &'g Entry,
    /// Other entries with exactly the same name (`Luxembourg` the city when `entry` is the
    /// country).
    pub also: Vec<&'g Entry>,
}

/// One written form of an entry, cut into folded words.
#[derive(Debug)]
struct Variant {
    entry: usize,
    lang: Lang,
    words: Vec<String>,
    /// Per word: must the text's word be capitalised (`Cap`) or all capitals (`Acronym`)?
    case: Vec<Case>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Case {
    Any,
    Cap,
    Acronym,
}

/// Names of places, groups and organisations, with lookup and mention finding.
#[derive(Debug, Default)]
pub struct Gazetteer {
    entries: Vec<Entry>,
    variants: Vec<Variant>,
    /// Folded first word -> indices into `variants`.
    by_first_word: HashMap<String, Vec<usize>>,
}

/// The data files shipped with diptych: (kind, file name, contents).
const BUILTIN: [(Kind, &str, &str); 6] = [
    (
        Kind::Country,
        "countries.tsv",
        include_str!("../../data/gazetteer/countries.tsv"),
    ),
    (
        Kind::Organisation,
        "organisations.tsv",
        include_str!("../../data/gazetteer/organisations.tsv"),
    ),
    (
        Kind::Group,
        "groups.tsv",
        include_str!("../../data/gazetteer/groups.tsv"),
    ),
    (
        Kind::Region,
        "regions.tsv",
        include_str!("../../data/gazetteer/regions.tsv"),
    ),
    (
        Kind::City,
        "cities.tsv",
        include_str!("../../data/gazetteer/cities.tsv"),
    ),
    (
        Kind::Sea,
        "seas.tsv",
        include_str!("../../data/gazetteer/seas.tsv"),
    ),
];

impl Gazetteer {
    /// The gazetteer built from the data files shipped with diptych (parsed once).
    pub fn builtin() -> &'static Gazetteer {
        static BUILT: OnceLock<Gazetteer> = OnceLock::new();
        BUILT.get_or_init(|| {
            let mut g = Gazetteer::default();
            for (kind, file, text) in BUILTIN {
                g.add_tsv(kind, file, text)
                    .expect("the built-in gazetteer parses (checked by its tests)");
            }
            g
        })
    }

    /// Adds the entries of one data file (format in `data/gazetteer/README.md`); `file`
    /// names it in errors.
    pub fn add_tsv(&mut self, kind: Kind, file: &str, text: &str) -> Result<()> {
        let mut header: Option<Vec<Option<Lang>>> = None;
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let cells: Vec<&str> = line.split('\t').collect();
            let malformed = |message: String| Error::Malformed {
                path: PathBuf::from(file),
                line: n + 1,
                message,
            };
            let Some(columns) = &header else {
                header = Some(parse_header(&cells).map_err(malformed)?);
                continue;
            };
            let entry = parse_row(kind, columns, &cells).map_err(malformed)?;
            self.push(entry);
        }
        Ok(())
    }

    /// All entries, in the order they were loaded.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry whose canonical English name is `name`.
    pub fn get(&self, name: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.name == name)
    }

    /// The entry a name means, accent- and case-tolerantly, in any of the shipped languages
    /// (a name written in `lang` wins a tie, then a country before a city of the same name).
    pub fn lookup(&self, name: &str, lang: Lang) -> Option<&Entry> {
        let words: Vec<String> = words(name).map(|(_, w)| fold(w)).collect();
        let first = words.first()?;
        self.by_first_word
            .get(first)?
            .iter()
            .map(|&v| &self.variants[v])
            .filter(|v| v.words == words)
            .min_by_key(|v| (v.lang != lang, self.entries[v.entry].kind))
            .map(|v| &self.entries[v.entry])
    }

    /// Whether two names (in any languages) can mean the same entry: `Brussel` and
    /// `Bruxelles` do.
    pub fn same(&self, a: &str, b: &str) -> bool {
        let ids = |name: &str| {
            let words: Vec<String> = words(name).map(|(_, w)| fold(w)).collect();
            let mut ids: Vec<usize> = words
                .first()
                .and_then(|f| self.by_first_word.get(f))
                .into_iter()
                .flatten()
                .map(|&v| &self.variants[v])
                .filter(|v| v.words == words)
                .map(|v| v.entry)
                .collect();
            ids.sort_unstable();
            ids
        };
        let b_ids = ids(b);
        ids(a).iter().any(|i| b_ids.binary_search(i).is_ok())
    }

    /// Every name of an entry in `text`, in order, longest name first where names overlap
    /// (`Bosnië-Herzegovina` is one country, not two). A capitalised word of a name must be
    /// capitalised in the text and an acronym written in capitals, so common words do not
    /// match. `lang` breaks ties between entries of the same name.
    pub fn find(&self, text: &str, lang: Lang) -> Vec<Mention<'_>> {
        let tokens: Vec<(Range<usize>, &str)> = words(text).collect();
        let folded: Vec<String> = tokens.iter().map(|(_, w)| fold(w)).collect();
        let mut found = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            match self.longest_match(&tokens[i..], &folded[i..], lang) {
                Some((len, entries)) => {
                    let span = tokens[i].0.start..tokens[i + len - 1].0.end;
                    found.push(Mention {
                        written: text[span.clone()].to_owned(),
                        span,
                        entry: entries[0],
                        also: entries[1..].to_vec(),
                    });
                    i += len;
                }
                None => i += 1,
            }
        }
        found
    }

    /// The longest variant starting at the first token, and the entries it names (best first).
    fn longest_match(
        &self,
        tokens: &[(Range<usize>, &str)],
        folded: &[String],
        lang: Lang,
    ) -> Option<(usize, Vec<&Entry>)> {
        let candidates = self.by_first_word.get(&folded[0])?;
        let matching: Vec<&Variant> = candidates
            .iter()
            .map(|&v| &self.variants[v])
            .filter(|v| matches_at(v, tokens, folded))
            .collect();
        let len = matching.iter().map(|v| v.words.len()).max()?;
        let mut best: Vec<&Variant> = matching
            .into_iter()
            .filter(|v| v.words.len() == len)
            .collect();
        best.sort_by_key(|v| (self.entries[v.entry].kind, v.lang != lang));
        let mut entries: Vec<&Entry> = Vec::new();
        for v in best {
            let e = &self.entries[v.entry];
            if !entries.iter().any(|x| std::ptr::eq(*x, e)) {
                entries.push(e);
            }
        }
        Some((len, entries))
    }

    fn push(&mut self, entry: Entry) {
        let index = self.entries.len();
        for (&lang, names) in &entry.names {
            for name in names {
                let variant = variant_of(index, lang, name);
                if variant.words.is_empty() {
                    continue;
                }
                self.by_first_word
                    .entry(variant.words[0].clone())
                    .or_default()
                    .push(self.variants.len());
                self.variants.push(variant);
            }
        }
        self.entries.push(entry);
    }
}

fn parse_header(cells: &[&str]) -> std::result::Result<Vec<Option<Lang>>, String> {
    let columns: Vec<Option<Lang>> = cells
        .iter()
        .map(|c| match c.trim() {
            "links" => Ok(None),
            code => Lang::parse(code).map(Some).map_err(|e| e.to_string()),
        })
        .collect::<std::result::Result<_, _>>()?;
    if columns.first() != Some(&Some(Lang::EN)) {
        return Err("the header must start with the `en` column".into());
    }
    Ok(columns)
}

fn parse_row(
    kind: Kind,
    columns: &[Option<Lang>],
    cells: &[&str],
) -> std::result::Result<Entry, String> {
    if cells.len() > columns.len() {
        return Err(format!(
            "{} cells, but the header has {} columns",
            cells.len(),
            columns.len()
        ));
    }
    let mut names = BTreeMap::new();
    let mut links = Vec::new();
    for (column, cell) in columns.iter().zip(cells) {
        match column {
            Some(lang) => {
                let variants: Vec<String> = split_list(cell, '|');
                if !variants.is_empty() {
                    names.insert(*lang, variants);
                }
            }
            None => links = split_list(cell, ';'),
        }
    }
    let name = names
        .get(&Lang::EN)
        .and_then(|v| v.first())
        .cloned()
        .ok_or("an entry needs an English name")?;
    Ok(Entry {
        name,
        kind,
        names,
        links,
    })
}

fn split_list(cell: &str, separator: char) -> Vec<String> {
    cell.split(separator)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn variant_of(entry: usize, lang: Lang, name: &str) -> Variant {
    let (words, case) = words(name).map(|(_, w)| (fold(w), case_of(w))).unzip();
    Variant {
        entry,
        lang,
        words,
        case,
    }
}

fn case_of(word: &str) -> Case {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    if letters >= 2 && word.chars().all(|c| !c.is_lowercase()) {
        Case::Acronym
    } else if word.chars().next().is_some_and(char::is_uppercase) {
        Case::Cap
    } else {
        Case::Any
    }
}

fn matches_at(v: &Variant, tokens: &[(Range<usize>, &str)], folded: &[String]) -> bool {
    v.words.len() <= tokens.len()
        && v.words.iter().zip(folded).all(|(a, b)| a == b)
        && v.case.iter().zip(tokens).all(|(case, (_, w))| match case {
            Case::Any => true,
            Case::Cap => w.chars().next().is_some_and(char::is_uppercase),
            Case::Acronym => !w.chars().any(char::is_lowercase),
        })
}

/// The words of a text (maximal runs of letters and digits) with their byte ranges.
/// Hyphens and apostrophes separate words, so `Benelux-landen` holds `Benelux` and
/// `l'OTAN` holds `OTAN`.
pub(crate) fn words(text: &str) -> impl Iterator<Item = (Range<usize>, &str)> {
    let mut rest = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, _) = rest.find(|(_, c)| c.is_alphanumeric())?;
        let mut end = text.len();
        while let Some(&(i, c)) = rest.peek() {
            if !c.is_alphanumeric() {
                end = i;
                break;
            }
            rest.next();
        }
        Some((start..end, &text[start..end]))
    })
}

/// One word folded for comparison (the project's shared folding: case, accents, ligatures).
fn fold(word: &str) -> String {
    crate::text::fold(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_found(text: &str, lang: Lang) -> Vec<String> {
        Gazetteer::builtin()
            .find(text, lang)
            .iter()
            .map(|m| m.entry.name.clone())
            .collect()
    }

    #[test]
    fn every_data_file_parses_with_unique_canonical_names() {
        let mut g = Gazetteer::default();
        for (kind, file, text) in BUILTIN {
            g.add_tsv(kind, file, text).unwrap();
        }
        assert!(g.entries().len() > 250, "{}", g.entries().len());
        let mut seen = std::collections::HashSet::new();
        for e in g.entries() {
            assert!(
                seen.insert((e.kind, e.name.clone())),
                "duplicate {:?} {}",
                e.kind,
                e.name
            );
            for lang in Lang::KNOWN {
                assert!(e.names.contains_key(&lang), "{} lacks {lang}", e.name);
            }
        }
    }

    #[test]
    fn links_name_known_entries() {
        let g = Gazetteer::builtin();
        for e in g.entries() {
            for link in &e.links {
                assert!(g.get(link).is_some(), "{} links unknown {link}", e.name);
            }
        }
    }

    #[test]
    fn exonyms_and_accents_are_equal() {
        let g = Gazetteer::builtin();
        for name in ["Brussel", "Bruxelles", "Brüssel", "BRUXELLES", "bruxelles"] {
            assert_eq!(g.lookup(name, Lang::NL).unwrap().name, "Brussels", "{name}");
        }
        assert_eq!(g.lookup("Slovenie", Lang::NL).unwrap().name, "Slovenia");
        assert_eq!(g.lookup("Boekarest", Lang::NL).unwrap().name, "Bucharest");
        assert_eq!(g.lookup("la Haye", Lang::FR).unwrap().name, "The Hague");
        assert!(g.same("Den Haag", "La Haye"));
        assert!(g.same("NAVO", "OTAN"));
        assert!(g.same("Großregion", "Grande Région"));
        assert!(!g.same("Brussel", "Bucarest"));
        assert!(g.lookup("Atlantis", Lang::EN).is_none());
    }

    #[test]
    fn an_ambiguous_name_prefers_the_country_and_keeps_the_city() {
        let g = Gazetteer::builtin();
        assert_eq!(g.lookup("Luxemburg", Lang::NL).unwrap().kind, Kind::Country);
        let found = g.find("in Luxemburg", Lang::NL);
        assert_eq!(found[0].entry.kind, Kind::Country);
        assert_eq!(found[0].also[0].name, "Luxembourg City");
    }

    #[test]
    fn finds_regions_groups_and_bodies_in_four_languages() {
        assert_eq!(
            names_found(
                "de minister-president van de deelstaat Noordrijn-Westfalen en de Grande Région",
                Lang::NL
            ),
            ["North Rhine-Westphalia", "Greater Region"]
        );
        assert_eq!(
            names_found(
                "le Land de Rhénanie-du-Nord-Westphalie, les États baltes et l'OTAN",
                Lang::FR
            ),
            [
                "North Rhine-Westphalia",
                "Baltic states",
                "North Atlantic Treaty Organization"
            ]
        );
        assert_eq!(
            names_found("Die Großregion und die Golfstaaten in Brüssel", Lang::DE),
            ["Greater Region", "Gulf states", "Brussels"]
        );
        assert_eq!(
            names_found("the Western Balkans and the Nordic countries", Lang::EN),
            ["Western Balkans", "Nordic countries"]
        );
    }

    #[test]
    fn longest_name_wins_and_hyphens_split_compounds() {
        assert_eq!(
            names_found("Bosnië-Herzegovina en de Benelux-landen", Lang::NL),
            ["Bosnia and Herzegovina", "Benelux"]
        );
        assert_eq!(
            names_found("de Algemene Vergadering van de Verenigde Naties", Lang::NL),
            ["UN General Assembly"]
        );
        assert_eq!(
            names_found("plannen voor de Baltische Zee", Lang::NL),
            ["Baltic Sea"]
        );
        assert_eq!(
            names_found("à New-York, au siège de l'ONU", Lang::FR),
            ["New York", "United Nations"]
        );
    }

    #[test]
    fn common_words_are_not_names() {
        // `golf` (wave) is not the Gulf; `eu` is no acronym; `unie` needs its capital.
        assert!(names_found("een golf van steun, eu", Lang::NL).is_empty());
        assert!(names_found("une nouvelle france", Lang::FR).is_empty());
        assert_eq!(
            names_found("de Golf en de EU", Lang::NL),
            ["Gulf", "European Union"]
        );
    }

    #[test]
    fn reports_the_written_form_and_its_span() {
        let text = "Op 17 november in Den Haag.";
        let found = Gazetteer::builtin().find(text, Lang::NL);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].written, "Den Haag");
        assert_eq!(&text[found[0].span.clone()], "Den Haag");
    }

    #[test]
    fn a_malformed_file_names_its_line() {
        let mut g = Gazetteer::default();
        let err = g
            .add_tsv(Kind::City, "x.tsv", "# c\nen\tnl\nA\tB\tC\n")
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.tsv:3: 3 cells, but the header has 2 columns"
        );
        let err = g.add_tsv(Kind::City, "y.tsv", "nl\ten\n").unwrap_err();
        assert!(err.to_string().starts_with("y.tsv:1: "), "{err}");
    }
}
