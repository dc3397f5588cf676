//! The grammar check without the programs (a checker answering fixed issues), and with them
//! (Grammalecte, Frog) on the check's own examples, one process per language for all of them.

use std::sync::Arc;

use super::*;
use crate::check::examples::{bitext, Example};
use crate::check::{run_checks, CheckOptions};

/// A checker that reports every occurrence of one word, as a real checker would.
struct WordChecker {
    word: &'static str,
    family: &'static str,
}

impl GrammarChecker for WordChecker {
    fn name(&self) -> &str {
        "word checker"
    }

    fn check(&self, _lang: Lang, paragraphs: &[&str]) -> Result<Vec<GrammarIssue>, String> {
        Ok(paragraphs
            .iter()
            .enumerate()
            .flat_map(|(k, p)| {
                p.match_indices(self.word).map(move |(at, w)| GrammarIssue {
                    paragraph: k,
                    spans: vec![[at, at + w.len()]],
                    rule: "test-rule".into(),
                    family: self.family.into(),
                    message: format!("{w}: wrong"),
                    suggestions: vec!["right".into()],
                })
            })
            .collect())
    }
}

fn options_with(lang: Lang, checker: WordChecker) -> CheckOptions {
    let mut grammar = GrammarOptions::default();
    grammar.checkers.insert(lang, Arc::new(checker));
    CheckOptions {
        only: vec!["grammar".into()],
        grammar,
        ..CheckOptions::default()
    }
}

#[test]
fn issues_become_findings_with_rule_and_exact_spans() {
    let e = crate::check::examples::yes(
        "Eerste zin.\nTweede zin.",
        "Première phrase.\nLes ministres ont rencontré leur homologues.",
    );
    let b = bitext(&e);
    let options = options_with(
        Lang::FR,
        WordChecker {
            word: "leur",
            family: "gn",
        },
    );
    let report = run_checks(&b, &options);
    assert_eq!(report.findings.len(), 1, "{:?}", report.findings);
    let f = &report.findings[0];
    assert_eq!(
        (f.check.as_str(), f.bead, f.lang),
        ("grammar", Some(1), Some(Lang::FR))
    );
    assert_eq!(f.rule.as_deref(), Some("test-rule"));
    assert_eq!(f.suggestions, ["right"]);
    let h = &f.highlights[0];
    assert_eq!(
        &b.tgt.sentences[h.sentence].text[h.span[0]..h.span[1]],
        "leur"
    );
    assert!(
        report.notes.iter().any(|n| n.contains("nl not checked")),
        "{:?}",
        report.notes
    );
}

#[test]
fn the_checker_reads_a_numeral_misread_by_ocr_as_a_numeral() {
    let e = crate::check::examples::yes(
        "DEEL Il Koninklijk besluit.",
        "PARTIE Il Arrêté royal. Il est entendu.",
    );
    let b = bitext(&e);
    let options = options_with(
        Lang::FR,
        WordChecker {
            word: "Il ",
            family: "conj",
        },
    );
    let findings = run_checks(&b, &options).findings;
    assert_eq!(findings.len(), 1, "{findings:?}");
    let h = &findings[0].highlights[0];
    let sentence = &b.tgt.sentences[h.sentence].text;
    assert_eq!(&sentence[h.span[0]..], "Il est entendu.");
}

#[test]
fn typography_is_reported_only_when_asked() {
    let e = crate::check::examples::yes("Een zin.", "Le 30e anniversaire.");
    let b = bitext(&e);
    let mut options = options_with(
        Lang::FR,
        WordChecker {
            word: "30e",
            family: "typo",
        },
    );
    assert!(run_checks(&b, &options).findings.is_empty());
    options.grammar.typography = true;
    assert_eq!(run_checks(&b, &options).findings.len(), 1);
}

fn issue(rule: &str, family: &str, spans: &[[usize; 2]]) -> GrammarIssue {
    GrammarIssue {
        paragraph: 0,
        spans: spans.to_vec(),
        rule: rule.into(),
        family: family.into(),
        message: String::new(),
        suggestions: vec![],
    }
}

#[test]
fn the_noise_of_official_texts_is_filtered_by_rule_and_block_kind() {
    let heading = "Niveau hauts fonctionnaires";
    let start = issue("g3__gn_start_2m__b1", "gn", &[[0, 6], [7, 12]]);
    assert!(!keep(&start, heading, BlockKind::Heading, false));
    assert!(keep(&start, heading, BlockKind::Paragraph, false));
    let s = "les Directeurs UE adjoints des trois pays";
    let acronym = issue("g3__gn_les_2m__b1", "gn", &[[4, 14], [15, 17]]);
    assert!(!keep(&acronym, s, BlockKind::Paragraph, false));
    let s = "le rapport « Les femme et la paix » a été lu";
    let at = s.find("femme").unwrap();
    let quoted = issue("g3__gn_les_1m__b1", "gn", &[[at, at + 5]]);
    assert!(!keep(&quoted, s, BlockKind::Paragraph, false));
    let s = "abordant entre autre le sujet";
    let loc = issue("g2__loc_entre_autres__b1", "loc", &[[15, 20]]);
    assert!(keep(&loc, s, BlockKind::Heading, false));
    let s = "aux niveaux ministériel et des hauts fonctionnaires";
    let at = s.find("ministériel").unwrap();
    let distributive = issue("g3__gn_det_epi_plur_2m__b1", "gn", &[[at, at + 12]]);
    assert!(!keep(&distributive, s, BlockKind::Paragraph, false));
    let s = "aux niveaux ministériel des hauts fonctionnaires";
    let lone = issue("g3__gn_det_epi_plur_2m__b1", "gn", &[[at, at + 12]]);
    assert!(keep(&lone, s, BlockKind::Paragraph, false));
    let row = "EAFC Grâce-Hollogne 10487 Espagnol CG - DI 120 Alleur";
    let at = row.find("Espagnol").unwrap();
    let code = issue("g3__gn_nombre_chiffres_1m__b2", "gn", &[[at, at + 8]]);
    assert!(!keep(&code, row, BlockKind::Paragraph, false));
    let count = "pour 12 chaise de bureau";
    let at = count.find("chaise").unwrap();
    let plural = issue("g3__gn_nombre_chiffres_1m__b2", "gn", &[[at, at + 6]]);
    assert!(keep(&plural, count, BlockKind::Paragraph, false));
    let style = issue("g1__virg_x__b1", "virg", &[[0, 8]]);
    assert!(!keep(&style, s, BlockKind::Paragraph, true));
}

/// Sentences the programs must flag (`true`) or leave alone (`false`).
const FR_EXAMPLES: &[(&str, bool)] = &[
    (
        "Les ministres se sont rencontrés avec leur homologues baltes.",
        true,
    ),
    (
        "La réunion a abordé entre autre la question des migrations.",
        true,
    ),
    ("Les délégations se sont réunis à Bruxelles le 3 mai.", true),
    ("Les parlements doivent encore ratifié le traité.", true),
    (
        "La coordination entre les pays au vues similaires a été renforcée.",
        true,
    ),
    (
        "Les ministres se sont rencontrés avec leurs homologues baltes.",
        false,
    ),
    (
        "La réunion a abordé entre autres la question des migrations.",
        false,
    ),
    (
        "Les Directeurs UE adjoints des trois pays se sont réunis.",
        false,
    ),
    (
        "Le 30e anniversaire du traité a été célébré à La Haye.",
        false,
    ),
    (
        "Les trois pays ont exprimé leur soutien à l'Ukraine.",
        false,
    ),
];

const NL_EXAMPLES: &[(&str, bool)] = &[
    (
        "Het Luxemburgs Voorzitterschap organiseerde een bijeenkomst.",
        true,
    ),
    (
        "De Luxemburgse, Belgisch en Nederlandse ministers spraken elkaar.",
        true,
    ),
    (
        "De ministers spraken over de Hydrogen Backbone studie.",
        true,
    ),
    ("De ministers bespraken the situatie in Oekraïne.", true),
    ("Deze belangrijk verslag werd goedgekeurd.", true),
    (
        "Het Luxemburgse voorzitterschap organiseerde een bijeenkomst.",
        false,
    ),
    (
        "De ministers spraken over de studie van de Hydrogen Backbone.",
        false,
    ),
    (
        "De leden van het Europees Parlement kwamen samen in Brussel.",
        false,
    ),
    ("De drie landen gaven Oekraïne hun volle steun.", false),
    (
        "Het verslag van de 30e vergadering werd goedgekeurd.",
        false,
    ),
];

/// Whether a missing program skips the test (with a note) or fails it (under `CI`).
fn tool_missing(what: &str, note: &str) -> bool {
    if std::env::var_os("CI").is_some() {
        panic!("{what}: {note} (required under CI)");
    }
    eprintln!("skipped: {what}: {note}");
    true
}

fn examples_fire_as_expected(lang: Lang, examples: &[(&'static str, bool)]) {
    let system = GrammarOptions::system(false);
    if !system.checkers.contains_key(&lang) {
        let note = system.missing.get(&lang).cloned().unwrap_or_default();
        tool_missing("grammar examples", &note);
        return;
    }
    let lines: Vec<&str> = examples.iter().map(|e| e.0).collect();
    let others: Vec<&str> = examples.iter().map(|_| "x").collect();
    let (src, tgt) = (lines.join("\n"), others.join("\n"));
    let e = Example {
        src: Box::leak(src.into_boxed_str()),
        tgt: Box::leak(tgt.into_boxed_str()),
        fires: true,
        langs: [lang, if lang == Lang::NL { Lang::FR } else { Lang::NL }],
    };
    let b = bitext(&e);
    let mut grammar = GrammarOptions::default();
    grammar
        .checkers
        .insert(lang, system.checkers[&lang].clone());
    let options = CheckOptions {
        only: vec!["grammar".into()],
        grammar,
        ..CheckOptions::default()
    };
    let found = run_checks(&b, &options).findings;
    let mut failures = Vec::new();
    for (k, (text, fires)) in examples.iter().enumerate() {
        let here: Vec<&str> = found
            .iter()
            .filter(|f| f.bead == Some(k) && f.lang == Some(lang))
            .map(|f| f.message.as_str())
            .collect();
        if here.is_empty() == *fires {
            failures.push(format!("{text:?}: expected fires={fires}, got {here:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn grammalecte_fires_on_its_examples_both_ways() {
    examples_fire_as_expected(Lang::FR, FR_EXAMPLES);
}

#[test]
fn frog_rules_fire_on_their_examples_both_ways() {
    examples_fire_as_expected(Lang::NL, NL_EXAMPLES);
}
