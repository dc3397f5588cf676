//! Dutch grammar rules over the tags of a tagger (Frog's CGN tags), so each rule is tested
//! with hand-written tags. What each rule needs from the tags:
//!
//! | rule | family | needs |
//! |---|---|---|
//! | `nl-adj-inflection` | agreement | determiner kind (`LID(bep)`, `VNW(aanw,det)`, `VNW(bez,det)`, `LID(onbep)`), adjective form (`ADJ(..,zonder)` / `met-e`), noun number and gender (`N(soort,ev,..,onz)`: a het-word lets a relational adjective stay bare), entity labels (an official name keeps its form) |
//! | `nl-adj-list` | agreement | a list of adjectives before a noun, some with `met-e` and one `zonder` |
//! | `nl-compound-apart` | compound | a determiner, names (`SPEC(deeleigen)`, `N(eigen)`) labelled as places, organisations or products (`B-LOC`, `B-ORG`, `B-PRO`), then a lower-case common noun ending the noun group |
//! | `nl-foreign-word` | foreign | `SPEC(vreemd)` (or `SPEC` on a lower-case word) on an English or French function word, outside quotes and capitalised titles |
//! | `nl-subject-verb` | verb | a sentence-initial noun group (determiner, adjectives, noun) directly followed by a finite verb (`WW(pv,..,ev|mv)`) of the other number |

use super::frog::{Tagger, Token};
use super::{GrammarChecker, GrammarIssue};
use crate::Lang;

/// The Dutch rules over a tagger's output.
pub struct DutchRules {
    tagger: Box<dyn Tagger>,
}

impl DutchRules {
    /// The rules over `tagger` (Frog, or hand-written tags in tests).
    pub fn new(tagger: impl Tagger + 'static) -> DutchRules {
        DutchRules {
            tagger: Box::new(tagger),
        }
    }
}

impl GrammarChecker for DutchRules {
    fn name(&self) -> &str {
        self.tagger.name()
    }

    fn check(&self, lang: Lang, paragraphs: &[&str]) -> Result<Vec<GrammarIssue>, String> {
        if lang != Lang::NL {
            return Ok(Vec::new());
        }
        let tagged = if paragraphs.len() >= ENTITY_PASS_MIN_SENTENCES {
            self.tag_in_two_passes(paragraphs)?
        } else {
            self.tagger.tag(paragraphs, true)?
        };
        Ok(tagged
            .iter()
            .enumerate()
            .flat_map(|(k, tokens)| check_sentence(k, paragraphs[k], tokens))
            .collect())
    }
}

/// Documents of at least this many sentences are tagged in two passes: all of them without
/// entity labels, then again with labels only the sentences whose findings could depend on
/// them ([`needs_entities`]). The second pass starts the tagger again (~4 s of CPU for Frog),
/// which the entity recogniser's ~9 ms a sentence saved on the rest pays for from about 500
/// sentences (measured: README, "Grammar").
pub const ENTITY_PASS_MIN_SENTENCES: usize = 500;

impl DutchRules {
    /// Tags every sentence without entities, then re-tags with entities those that need them.
    fn tag_in_two_passes(&self, paragraphs: &[&str]) -> Result<Vec<Vec<Token>>, String> {
        let mut tagged = self.tagger.tag(paragraphs, false)?;
        let wanted: Vec<usize> = (0..tagged.len())
            .filter(|&k| needs_entities(&tagged[k]))
            .collect();
        if wanted.is_empty() {
            return Ok(tagged);
        }
        let texts: Vec<&str> = wanted.iter().map(|&k| paragraphs[k]).collect();
        let retagged = self.tagger.tag(&texts, true)?;
        for (k, tokens) in wanted.into_iter().zip(retagged) {
            tagged[k] = tokens;
        }
        Ok(tagged)
    }
}

/// Whether a sentence tagged without entity labels could get another finding with them.
/// Only two rules read the labels, each in one direction: a label can only stop
/// `nl-adj-inflection` (the noun ends an official name) and only allow `nl-compound-apart`
/// (the names are places, organisations or products). So the rules are run with every label
/// `O` and with every label an organisation: when neither fires, no labelling can make them.
pub fn needs_entities(tokens: &[Token]) -> bool {
    if tokens.iter().all(|t| !t.ner.is_empty()) {
        return false;
    }
    let labelled = |label: &str| -> Vec<Token> {
        tokens
            .iter()
            .map(|t| Token {
                ner: label.to_owned(),
                ..t.clone()
            })
            .collect()
    };
    let mut found = Vec::new();
    adjective_inflection(&labelled("O"), &mut found);
    compounds_apart(&labelled("I-ORG"), &mut found);
    !found.is_empty()
}

/// Every rule over one sentence's tokens.
pub fn check_sentence(paragraph: usize, text: &str, tokens: &[Token]) -> Vec<GrammarIssue> {
    let mut out = Vec::new();
    adjective_inflection(tokens, &mut out);
    adjective_lists(tokens, &mut out);
    compounds_apart(tokens, &mut out);
    foreign_words(text, tokens, &mut out);
    subject_verb(tokens, &mut out);
    for issue in &mut out {
        issue.paragraph = paragraph;
    }
    out.sort_by_key(|i| i.spans.first().map(|s| s[0]));
    out.dedup_by(|a, b| a.spans == b.spans);
    out
}

fn issue(
    spans: Vec<[usize; 2]>,
    rule: &str,
    family: &str,
    message: String,
    suggestions: Vec<String>,
) -> GrammarIssue {
    GrammarIssue {
        paragraph: 0,
        spans,
        rule: rule.to_owned(),
        family: family.to_owned(),
        message,
        suggestions,
    }
}

/// A definite determiner: article, demonstrative or possessive used before a noun.
fn is_definite(t: &Token) -> bool {
    (t.pos() == "LID" && t.has("bep"))
        || (t.pos() == "VNW" && t.has("det") && (t.has("aanw") || t.has("bez")))
}

fn is_indefinite_article(t: &Token) -> bool {
    t.pos() == "LID" && t.has("onbep")
}

fn is_common_noun(t: &Token) -> bool {
    t.pos() == "N" && t.has("soort")
}

fn is_name(t: &Token) -> bool {
    (t.pos() == "SPEC" && t.has("deeleigen")) || (t.pos() == "N" && t.has("eigen"))
}

/// Whether an adjective takes the `-e` at all: not those in `-en` (`gouden`, `gesloten`), nor
/// those ending in a vowel (`extra`, `oranje`), nor the invariable quantity words.
fn inflectable(word: &str) -> bool {
    let w = word.to_lowercase();
    let last = w.chars().last().unwrap_or('a');
    !(w.ends_with("en")
        || "aeiouy".contains(last)
        || matches!(
            w.as_str(),
            "gratis" | "meer" | "minder" | "weinig" | "veel" | "genoeg"
        ))
}

/// Whether a noun is the end of a name its adjective starts (`het Europees Parlement`: the
/// tagger labels the noun inside an organisation or place, `I-ORG`, `I-LOC`); a capitalised
/// common noun it labels `B-MISC` (`het Luxemburgs Voorzitterschap`) is no name.
fn in_official_name(noun: &Token) -> bool {
    noun.ner.starts_with("I-") || ["ORG", "LOC", "PER"].iter().any(|e| noun.ner.ends_with(e))
}

/// A lower-case relational adjective (`buitenlands`, `internationaal`, `gemeenschappelijk`,
/// `economisch`, `administratief`), which Dutch lets stay bare before a het-word when the two
/// form a naming unit (`het administratief statuut`). Adjectives made from names
/// (`Luxemburgs`, `Belgisch`) are not exempt.
fn naming_unit(adj: &Token) -> bool {
    let w = &adj.word;
    let lower = w.chars().next().is_some_and(char::is_lowercase);
    lower
        && ["s", "isch", "aal", "eel", "lijk", "air", "ief"]
            .iter()
            .any(|s| w.ends_with(s))
}

/// An uninflected adjective (`zonder` the `-e`) that could take it.
fn bare_adjective(t: &Token) -> bool {
    t.pos() == "ADJ" && t.has("zonder") && inflectable(&t.word)
}

/// The noun group after position `from`: adjectives, adverbs, commas and `en`/`of` up to the
/// first common noun. Returns the noun's index.
fn head_noun(tokens: &[Token], from: usize) -> Option<usize> {
    for (k, t) in tokens.iter().enumerate().skip(from) {
        match t.pos() {
            "ADJ" | "BW" => continue,
            "LET" if t.word == "," => continue,
            "VG" if t.has("neven") => continue,
            "TW" if t.has("rang") => continue,
            "N" if t.has("soort") => return Some(k),
            _ => return None,
        }
    }
    None
}

/// The `-e` form of an adjective, as well as simple spelling rules allow
/// (`Belgisch` -> `Belgische`, `groot` -> `grote`, `Europees` -> `Europese`, `wit` -> `witte`).
pub fn with_e(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    let n = chars.len();
    if n >= 3 {
        let (a, b, c) = (chars[n - 3], chars[n - 2], chars[n - 1]);
        let vowel = |x: char| "aeiou".contains(x);
        if a == b && vowel(a) && !vowel(c) {
            let stem: String = chars[..n - 2].iter().collect();
            let c = match c {
                'f' => 'v',
                's' => 's',
                c => c,
            };
            return format!("{stem}{c}e");
        }
        // `f` after a long vowel written with two letters is voiced: `administratief` ->
        // `administratieve`, `stijf` -> `stijve`.
        let long_vowel = ["ie", "ij", "ei", "ui", "ou", "oe", "eu", "au"]
            .iter()
            .any(|v| chars[n - 3..n - 1].iter().collect::<String>() == *v);
        if c == 'f' && long_vowel {
            let stem: String = chars[..n - 1].iter().collect();
            return format!("{stem}ve");
        }
        let short = vowel(b) && !vowel(a) && !vowel(c) && !"wxyh".contains(c);
        if short && n <= 4 {
            return format!("{word}{c}e");
        }
    }
    format!("{word}e")
}

fn span_of(t: &Token) -> Option<[usize; 2]> {
    t.span
}

/// After a definite determiner (and after `een` before a singular de-word or any plural) an
/// attributive adjective takes `-e`: `het Luxemburgs voorzitterschap` -> `Luxemburgse`. A noun
/// inside a named entity keeps its official form (`het Europees Parlement`), and before a
/// het-word a relational adjective may stay bare when the two name one thing (`het buitenlands
/// beleid`, `het internationaal recht`: the naming units of Dutch grammar).
fn adjective_inflection(tokens: &[Token], out: &mut Vec<GrammarIssue>) {
    for (d, det) in tokens.iter().enumerate() {
        let definite = is_definite(det);
        if !definite && !is_indefinite_article(det) {
            continue;
        }
        let Some(n) = head_noun(tokens, d + 1) else {
            continue;
        };
        let noun = &tokens[n];
        if in_official_name(noun) {
            continue;
        }
        let needs_e = definite || noun.has("mv") || noun.has("zijd");
        if !needs_e {
            continue;
        }
        // Before a het-word a naming unit may keep its adjectives bare, and adjectives
        // coordinated with one share its form (`het buitenlands en Europees beleid`).
        let het_word = noun.has("onz") && noun.has("ev");
        if het_word
            && tokens[d + 1..n]
                .iter()
                .any(|a| bare_adjective(a) && naming_unit(a))
        {
            continue;
        }
        for (a, adj) in tokens.iter().enumerate().take(n).skip(d + 1) {
            // A bare adjective before an inflected one modifies it, as an adverb would: `de
            // kortst mogelijke tijd`, `de best bewaarde stukken`.
            let adverbial = tokens[a + 1].pos() == "ADJ" && tokens[a + 1].has("met-e");
            if !bare_adjective(adj) || adverbial {
                continue;
            }
            let Some(span) = span_of(adj) else { continue };
            let why = if definite {
                format!("after `{}`", det.word)
            } else {
                format!("before `{}`", noun.word)
            };
            out.push(issue(
                vec![span],
                "nl-adj-inflection",
                "agreement",
                format!(
                    "adjective `{}` without -e {why}: `{}`",
                    adj.word,
                    with_e(&adj.word)
                ),
                vec![with_e(&adj.word)],
            ));
        }
    }
}

/// In a list of adjectives before one noun, all take the same form: `de Luxemburgse, Belgisch
/// en Nederlandse ministers` -> `Belgische`.
fn adjective_lists(tokens: &[Token], out: &mut Vec<GrammarIssue>) {
    let mut k = 0;
    while k < tokens.len() {
        if tokens[k].pos() != "ADJ" {
            k += 1;
            continue;
        }
        let start = k;
        let mut adjs = vec![k];
        let mut j = k + 1;
        while j + 1 < tokens.len() {
            let sep = &tokens[j];
            let joins =
                (sep.pos() == "LET" && sep.word == ",") || (sep.pos() == "VG" && sep.has("neven"));
            if joins && tokens[j + 1].pos() == "ADJ" {
                adjs.push(j + 1);
                j += 2;
            } else {
                break;
            }
        }
        k = j.max(start + 1);
        let ends_in_noun = tokens.get(j).is_some_and(is_common_noun);
        let inflected = adjs.iter().any(|&a| tokens[a].has("met-e"));
        if adjs.len() < 2 || !ends_in_noun || !inflected {
            continue;
        }
        for &a in &adjs {
            let adj = &tokens[a];
            if !bare_adjective(adj) {
                continue;
            }
            let Some(span) = span_of(adj) else { continue };
            out.push(issue(
                vec![span],
                "nl-adj-list",
                "agreement",
                format!(
                    "`{}` without -e among inflected adjectives of one noun: `{}`",
                    adj.word,
                    with_e(&adj.word)
                ),
                vec![with_e(&adj.word)],
            ));
        }
    }
}

/// A name (a place, organisation or product by the tagger's entity labels; not a person, nor
/// a capitalised common word such as `het Strategisch kompas`) followed by a common noun in
/// one noun group is one compound, joined with a hyphen:
/// `de Hydrogen Backbone studie` -> `Hydrogen Backbone-studie`, `een Benelux-Slovenië
/// bijeenkomst` -> `Benelux-Slovenië-bijeenkomst`. Only where the noun ends the noun group
/// before punctuation, a preposition, a conjunction or a finite verb: before an infinitive
/// (`aan de EU steun geven`) the noun may be an object.
fn compounds_apart(tokens: &[Token], out: &mut Vec<GrammarIssue>) {
    // Where a noun group may start: after a determiner, or at the start of a title-like
    // sentence (`Benelux-Slovenië bijeenkomst`).
    let starts = (0..tokens.len()).filter_map(|d| {
        let det = &tokens[d];
        let is_det = det.pos() == "LID" || (det.pos() == "VNW" && det.has("det") && det.has("bez"));
        if is_det {
            Some(d + 1)
        } else {
            (d == 0 && is_name(det)).then_some(0)
        }
    });
    for first in starts {
        let names: Vec<&Token> = tokens[first..].iter().take_while(|t| is_name(t)).collect();
        let entity = |t: &&Token| ["LOC", "ORG", "PRO"].iter().any(|e| t.ner.ends_with(e));
        if names.is_empty() || !names.iter().all(entity) {
            continue;
        }
        let n = first + names.len();
        let Some(noun) = tokens.get(n) else { continue };
        let lower = noun.word.chars().next().is_some_and(char::is_lowercase);
        if !is_common_noun(noun) || !lower {
            continue;
        }
        let ends_group = match tokens.get(n + 1) {
            None => true,
            Some(t) => matches!(t.pos(), "LET" | "VZ" | "VG") || (t.pos() == "WW" && t.has("pv")),
        };
        let (Some(first), Some(last)) = (names[0].span, noun.span) else {
            continue;
        };
        if !ends_group {
            continue;
        }
        let written = names
            .iter()
            .map(|t| t.word.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let joined = format!("{written}-{}", noun.word);
        out.push(issue(
            vec![[first[0], last[1]]],
            "nl-compound-apart",
            "compound",
            format!("compound written apart: `{joined}`"),
            vec![joined],
        ));
    }
}

/// Function words of English and French, which are never Dutch words.
const FOREIGN_FUNCTION_WORDS: &[&str] = &[
    "the", "and", "for", "with", "from", "to", "by", "on", "an", "this", "these", "le", "la",
    "les", "des", "du", "et", "pour", "avec", "dans", "sur", "une", "au", "aux",
];

/// An English or French function word inside a Dutch sentence (`bespraken the situatie`,
/// `en the Global Digital Compact`), outside quotes and outside a capitalised title or name
/// (`Code of Conduct`, `Agenda for Peace`).
fn foreign_words(text: &str, tokens: &[Token], out: &mut Vec<GrammarIssue>) {
    for (k, t) in tokens.iter().enumerate() {
        // Frog tags a foreign word `SPEC(vreemd)`, or, before a noun, sometimes as part of a
        // name (`SPEC(deeleigen)`): a lower-case function word is no name.
        let lower = t.word.chars().next().is_some_and(char::is_lowercase);
        let foreign = t.pos() == "SPEC" && (t.has("vreemd") || lower);
        if !foreign || !FOREIGN_FUNCTION_WORDS.contains(&t.word.to_lowercase().as_str()) {
            continue;
        }
        let Some(span) = t.span else { continue };
        let capital = |i: Option<usize>| {
            i.and_then(|i| tokens.get(i))
                .is_some_and(|n| n.word.chars().next().is_some_and(char::is_uppercase))
        };
        // Inside a capitalised name or title (`Agenda for Peace`); an article before a title
        // (`en the Global Digital Compact`) stands outside it and is Dutch's to give.
        let in_title = capital(k.checked_sub(1)) || capital(Some(k));
        let neighbours_foreign = [k.checked_sub(1), Some(k + 1)]
            .into_iter()
            .flatten()
            .filter_map(|i| tokens.get(i))
            .all(|n| n.has("vreemd"));
        if in_title || neighbours_foreign || super::inside_quotes(text, span[0]) {
            continue;
        }
        out.push(issue(
            vec![span],
            "nl-foreign-word",
            "foreign",
            format!("foreign word `{}` in a Dutch sentence", t.word),
            vec![],
        ));
    }
}

/// Number of a finite verb: `Some(true)` plural, `Some(false)` singular.
fn verb_plural(t: &Token) -> Option<bool> {
    if t.pos() != "WW" || !t.has("pv") {
        return None;
    }
    if t.has("mv") {
        Some(true)
    } else if t.has("ev") || t.has("met-t") {
        Some(false)
    } else {
        None
    }
}

/// A sentence-initial subject (determiner, adjectives, one common noun) directly followed by a
/// finite verb of the other number: `De ministers heeft` -> `hebben`.
fn subject_verb(tokens: &[Token], out: &mut Vec<GrammarIssue>) {
    for (d, det) in tokens.iter().enumerate() {
        if !(d == 0 || det.starts_sentence) || !(is_definite(det) || is_indefinite_article(det)) {
            continue;
        }
        let Some(n) = head_noun(tokens, d + 1) else {
            continue;
        };
        let only_adjs = tokens[d + 1..n].iter().all(|t| t.pos() == "ADJ");
        let (noun, Some(verb)) = (&tokens[n], tokens.get(n + 1)) else {
            continue;
        };
        let Some(plural) = verb_plural(verb) else {
            continue;
        };
        let noun_plural = noun.has("mv");
        if !only_adjs || !(noun.has("mv") || noun.has("ev")) || plural == noun_plural {
            continue;
        }
        let (Some(a), Some(b)) = (noun.span, verb.span) else {
            continue;
        };
        let number = if noun_plural { "plural" } else { "singular" };
        out.push(issue(
            vec![a, b],
            "nl-subject-verb",
            "verb",
            format!(
                "the {number} subject `{}` does not agree with the verb `{}`",
                noun.word, verb.word
            ),
            vec![],
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tokens from `word/TAG` pieces separated by spaces (`NER` after a second `/`), with
    /// spans in the sentence the words make when joined by spaces.
    pub(crate) fn tagged(spec: &str) -> (String, Vec<Token>) {
        let mut text = String::new();
        let mut tokens = Vec::new();
        for piece in spec.split(' ') {
            let mut parts = piece.splitn(3, '/');
            let word = parts.next().unwrap().replace('_', " ");
            let tag = parts.next().unwrap_or("LET()").to_owned();
            let ner = parts.next().unwrap_or("O").to_owned();
            if !text.is_empty() && word != "," && word != "." {
                text.push(' ');
            }
            let start = text.len();
            text.push_str(&word);
            tokens.push(Token {
                span: Some([start, text.len()]),
                word,
                tag,
                ner,
                starts_sentence: tokens.is_empty(),
            });
        }
        (text, tokens)
    }

    fn rules_fired(spec: &str) -> Vec<(String, String)> {
        let (text, tokens) = tagged(spec);
        check_sentence(0, &text, &tokens)
            .into_iter()
            .map(|i| {
                (
                    i.rule,
                    i.spans
                        .iter()
                        .map(|&[s, e]| &text[s..e])
                        .collect::<Vec<_>>()
                        .join("|"),
                )
            })
            .collect()
    }

    #[test]
    fn adjective_after_a_definite_determiner_takes_e() {
        let got = rules_fired("Het/LID(bep,stan,evon) Luxemburgs/ADJ(prenom,basis,zonder)/B-PRO Voorzitterschap/N(soort,ev,basis,onz,stan)/B-MISC organiseerde/WW(pv,verl,ev) een/LID(onbep,stan,agr) bijeenkomst/N(soort,ev,basis,zijd,stan) ./LET()");
        assert_eq!(got, [("nl-adj-inflection".into(), "Luxemburgs".into())]);
        let got = rules_fired("Deze/VNW(aanw,det,stan,prenom,met-e,rest) nieuw/ADJ(prenom,basis,zonder) verslag/N(soort,ev,basis,onz,stan)");
        assert_eq!(got.len(), 1);
        let got = rules_fired("hun/VNW(bez,det,stan,vol,3,mv,prenom,zonder,agr) jaarlijks/ADJ(prenom,basis,zonder) overleggen/N(soort,mv,basis)");
        assert_eq!(got.len(), 1);
    }

    #[test]
    fn correct_adjectives_and_official_names_pass() {
        for ok in [
            // indefinite article before a het-word: no -e
            "een/LID(onbep,stan,agr) belangrijk/ADJ(prenom,basis,zonder) verslag/N(soort,ev,basis,onz,stan)",
            // inflected
            "het/LID(bep,stan,evon) Luxemburgse/ADJ(prenom,basis,met-e,stan) voorzitterschap/N(soort,ev,basis,onz,stan)",
            // -en adjectives never take -e
            "de/LID(bep,stan,rest) gesloten/ADJ(prenom,vd,zonder) deur/N(soort,ev,basis,zijd,stan)",
            // a named entity keeps its official form
            "het/LID(bep,stan,evon) Europees/ADJ(prenom,basis,zonder)/B-ORG Parlement/N(soort,ev,basis,onz,stan)/I-ORG",
            // a naming unit with a het-word, and an adjective coordinated with it
            "het/LID(bep,stan,evon) buitenlands/ADJ(prenom,basis,zonder) beleid/N(soort,ev,basis,onz,stan)",
            "het/LID(bep,stan,evon) buitenlands/ADJ(prenom,basis,zonder) en/VG(neven) Europees/ADJ(prenom,basis,zonder) beleid/N(soort,ev,basis,onz,stan)",
            // a predicative adjective
            "het/LID(bep,stan,evon) verslag/N(soort,ev,basis,onz,stan) is/WW(pv,tgw,ev) belangrijk/ADJ(vrij,basis,zonder)",
            // a relational adjective in -ief naming one thing with its het-word
            "het/LID(bep,stan,evon) administratief/ADJ(prenom,basis,zonder) statuut/N(soort,ev,basis,onz,stan)",
            // a bare adjective modifying an inflected one
            "de/LID(bep,stan,rest) kortst/ADJ(prenom,sup,zonder) mogelijke/ADJ(prenom,basis,met-e,stan) tijd/N(soort,ev,basis,zijd,stan)",
        ] {
            assert!(rules_fired(ok).is_empty(), "{ok}: {:?}", rules_fired(ok));
        }
    }

    #[test]
    fn indefinite_article_before_a_de_word_or_plural_needs_e() {
        let got = rules_fired("een/LID(onbep,stan,agr) belangrijk/ADJ(prenom,basis,zonder) rol/N(soort,ev,basis,zijd,stan)");
        assert_eq!(got, [("nl-adj-inflection".into(), "belangrijk".into())]);
        // Not exempt: a bare adjective before a bare one, and one in -ief before a de-word.
        let got = rules_fired("de/LID(bep,stan,rest) kortst/ADJ(prenom,sup,zonder) mogelijk/ADJ(prenom,basis,zonder) tijd/N(soort,ev,basis,zijd,stan)");
        assert_eq!(got.len(), 2, "{got:?}");
        let got = rules_fired("de/LID(bep,stan,rest) administratief/ADJ(prenom,basis,zonder) dienst/N(soort,ev,basis,zijd,stan)");
        assert_eq!(got, [("nl-adj-inflection".into(), "administratief".into())]);
    }

    #[test]
    fn a_bare_adjective_in_an_inflected_list_is_found() {
        let got = rules_fired("De/LID(bep,stan,rest) Luxemburgse/ADJ(prenom,basis,met-e,stan) ,/LET() Belgisch/ADJ(vrij,basis,zonder) en/VG(neven) Nederlandse/ADJ(prenom,basis,met-e,stan) ministers/N(soort,mv,basis) spraken/WW(pv,verl,mv)");
        assert_eq!(got, [("nl-adj-inflection".into(), "Belgisch".into())]);
        let got = rules_fired("Luxemburgse/ADJ(prenom,basis,met-e,stan) ,/LET() Belgisch/ADJ(vrij,basis,zonder) en/VG(neven) Nederlandse/ADJ(prenom,basis,met-e,stan) ministers/N(soort,mv,basis)");
        assert_eq!(got, [("nl-adj-list".into(), "Belgisch".into())]);
        assert!(rules_fired("groot/ADJ(prenom,basis,zonder) en/VG(neven) klein/ADJ(prenom,basis,zonder) werk/N(soort,ev,basis,onz,stan)").is_empty());
    }

    #[test]
    fn a_name_and_a_noun_written_apart_are_one_compound() {
        let (text, tokens) = tagged("over/VZ(init) de/LID(bep,stan,rest) Hydrogen/SPEC(deeleigen)/B-ORG Backbone/SPEC(deeleigen)/I-ORG studie/N(soort,ev,basis,zijd,stan) ./LET()");
        let got = check_sentence(0, &text, &tokens);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].rule, "nl-compound-apart");
        assert_eq!(got[0].suggestions, ["Hydrogen Backbone-studie"]);
        assert!(rules_fired("het/LID(bep,stan,evon) Strategisch/SPEC(deeleigen)/B-MISC kompas/N(soort,ev,basis,onz,stan) van/VZ(init)").is_empty());
        let got = rules_fired(
            "Benelux-Slovenië/SPEC(deeleigen)/B-LOC bijeenkomst/N(soort,ev,basis,zijd,stan)",
        );
        assert_eq!(
            got,
            [(
                "nl-compound-apart".into(),
                "Benelux-Slovenië bijeenkomst".into()
            )]
        );
        let got = rules_fired("een/LID(onbep,stan,agr) Benelux-Slovenië/SPEC(deeleigen)/B-LOC bijeenkomst/N(soort,ev,basis,zijd,stan) in/VZ(init)");
        assert_eq!(
            got,
            [(
                "nl-compound-apart".into(),
                "Benelux-Slovenië bijeenkomst".into()
            )]
        );
        for ok in [
            "aan/VZ(init) de/LID(bep,stan,rest) EU/SPEC(deeleigen)/B-ORG steun/N(soort,ev,basis,zijd,stan) geven/WW(inf,vrij,zonder)",
            "de/LID(bep,stan,rest) heer/N(soort,ev,basis,zijd,stan) Jansen/SPEC(deeleigen)/B-PER zei/WW(pv,verl,ev)",
            "de/LID(bep,stan,rest) Benelux-studie/N(soort,ev,basis,zijd,stan) ./LET()",
        ] {
            assert!(rules_fired(ok).is_empty(), "{ok}: {:?}", rules_fired(ok));
        }
    }

    #[test]
    fn a_foreign_function_word_outside_a_title_is_found() {
        let got = rules_fired("De/LID(bep,stan,rest) ministers/N(soort,mv,basis) bespraken/WW(pv,verl,mv) the/SPEC(vreemd) situatie/N(soort,ev,basis,zijd,stan)");
        assert_eq!(got, [("nl-foreign-word".into(), "the".into())]);
        let got = rules_fired("de/LID(bep,stan,rest) gevolgen/N(soort,mv,basis) voor/VZ(init) the/SPEC(deeleigen) gezondheidszorg/N(soort,ev,basis,zijd,stan)");
        assert_eq!(got, [("nl-foreign-word".into(), "the".into())]);
        let got = rules_fired("de/LID(bep,stan,rest) Agenda/SPEC(deeleigen) en/VG(neven) the/SPEC(vreemd) Global/SPEC(deeleigen) Compact/SPEC(deeleigen)");
        assert_eq!(got, [("nl-foreign-word".into(), "the".into())]);
        for ok in [
            "de/LID(bep,stan,rest) Agenda/SPEC(deeleigen) for/SPEC(vreemd) Humanity/SPEC(deeleigen)",
            "de/LID(bep,stan,rest) Accountability/SPEC(deeleigen) ,/LET() Coherence/SPEC(deeleigen) and/SPEC(vreemd) Transparency/SPEC(deeleigen)",
            "het/LID(bep,stan,evon) boek/N(soort,ev,basis,onz,stan) \"in/SPEC(vreemd) the/SPEC(vreemd) mood\"/SPEC(vreemd)",
            "de/LID(bep,stan,rest) werkgroep/N(soort,ev,basis,zijd,stan) voor/VZ(init) de/LID(bep,stan,rest) toekomst/N(soort,ev,basis,zijd,stan)",
        ] {
            assert!(rules_fired(ok).is_empty(), "{ok}: {:?}", rules_fired(ok));
        }
    }

    #[test]
    fn a_subject_and_verb_of_different_number_are_found_at_the_start_only() {
        let got = rules_fired("De/LID(bep,stan,rest) ministers/N(soort,mv,basis) heeft/WW(pv,tgw,met-t) vergaderd/WW(vd,vrij,zonder)");
        assert_eq!(got, [("nl-subject-verb".into(), "ministers|heeft".into())]);
        for ok in [
            "De/LID(bep,stan,rest) ministers/N(soort,mv,basis) hebben/WW(pv,tgw,mv) vergaderd/WW(vd,vrij,zonder)",
            "Daarna/BW() hebben/WW(pv,tgw,mv) de/LID(bep,stan,rest) minister/N(soort,ev,basis,zijd,stan) vergaderd/WW(vd,vrij,zonder)",
            "Het/LID(bep,stan,evon) aantal/N(soort,ev,basis,onz,stan) landen/N(soort,mv,basis) is/WW(pv,tgw,ev) groot/ADJ(vrij,basis,zonder)",
        ] {
            assert!(rules_fired(ok).is_empty(), "{ok}: {:?}", rules_fired(ok));
        }
    }

    #[test]
    fn the_e_form_follows_dutch_spelling() {
        assert_eq!(with_e("Belgisch"), "Belgische");
        assert_eq!(with_e("groot"), "grote");
        assert_eq!(with_e("Europees"), "Europese");
        assert_eq!(with_e("braaf"), "brave");
        assert_eq!(with_e("wit"), "witte");
        assert_eq!(with_e("administratief"), "administratieve");
        assert_eq!(with_e("stijf"), "stijve");
        assert_eq!(with_e("Luxemburgs"), "Luxemburgse");
    }

    /// A tagger over hand-written tags that labels entities only when asked, and records the
    /// sentences of each call.
    struct Recording {
        by_text: std::collections::HashMap<String, Vec<Token>>,
        calls: std::sync::Arc<std::sync::Mutex<Vec<(bool, usize)>>>,
    }

    impl Tagger for Recording {
        fn name(&self) -> &str {
            "recording"
        }

        fn tag(&self, sentences: &[&str], entities: bool) -> Result<Vec<Vec<Token>>, String> {
            self.calls.lock().unwrap().push((entities, sentences.len()));
            Ok(sentences
                .iter()
                .map(|s| {
                    let mut tokens = self.by_text[*s].clone();
                    if !entities {
                        tokens.iter_mut().for_each(|t| t.ner.clear());
                    }
                    tokens
                })
                .collect())
        }
    }

    const NAME_ENDS_IN_NOUN: &str = "het/LID(bep,stan,evon) Europees/ADJ(prenom,basis,zonder)/B-ORG Parlement/N(soort,ev,basis,onz,stan)/I-ORG";
    const COMPOUND_APART: &str =
        "de/LID(bep,stan,rest) Benelux/SPEC(deeleigen)/B-ORG landen/N(soort,mv,basis) ./LET()";
    const PERSON_THEN_NOUN: &str = "de/LID(bep,stan,rest) Lavrov/SPEC(deeleigen)/B-PER verklaring/N(soort,ev,basis,zijd,stan) ./LET()";
    const PLAIN: &str = "De/LID(bep,stan,rest) ministers/N(soort,mv,basis) hebben/WW(pv,tgw,mv) vergaderd/WW(vd,vrij,zonder)";

    #[test]
    fn only_sentences_whose_findings_hang_on_entity_labels_need_them() {
        let unlabelled = |spec: &str| {
            let mut tokens = tagged(spec).1;
            tokens.iter_mut().for_each(|t| t.ner.clear());
            tokens
        };
        for spec in [NAME_ENDS_IN_NOUN, COMPOUND_APART, PERSON_THEN_NOUN] {
            assert!(needs_entities(&unlabelled(spec)), "{spec}");
            assert!(!needs_entities(&tagged(spec).1), "labels known: {spec}");
        }
        assert!(!needs_entities(&unlabelled(PLAIN)));
    }

    #[test]
    fn two_passes_find_what_one_pass_finds_and_label_only_the_candidates() {
        let base = [NAME_ENDS_IN_NOUN, COMPOUND_APART, PERSON_THEN_NOUN, PLAIN];
        let specs: Vec<String> = (0..ENTITY_PASS_MIN_SENTENCES)
            .map(|k| base[k % base.len()].to_owned())
            .collect();
        let texts: Vec<String> = specs.iter().map(|s| tagged(s).0).collect();
        let paragraphs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let one_pass: Vec<GrammarIssue> = specs
            .iter()
            .enumerate()
            .flat_map(|(k, spec)| {
                let (text, tokens) = tagged(spec);
                check_sentence(k, &text, &tokens)
            })
            .collect();
        let calls = std::sync::Arc::default();
        let rules = DutchRules::new(Recording {
            by_text: base.iter().map(|spec| tagged(spec)).collect(),
            calls: std::sync::Arc::clone(&calls),
        });
        let two_passes = rules.check(Lang::NL, &paragraphs).unwrap();
        assert_eq!(two_passes, one_pass);
        let fired: Vec<&str> = two_passes.iter().map(|i| i.rule.as_str()).collect();
        assert!(fired.contains(&"nl-compound-apart"));
        assert!(!fired.contains(&"nl-adj-inflection"), "{fired:?}");
        let candidates = 3 * ENTITY_PASS_MIN_SENTENCES / 4;
        assert_eq!(
            *calls.lock().unwrap(),
            [(false, ENTITY_PASS_MIN_SENTENCES), (true, candidates)]
        );
    }
}
