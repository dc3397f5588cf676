//! The evaluation of the grammar, ordinal and spelling checks on the project's own document
//! (`tests/data/grammar-eval/`, nl and fr, one sentence per line): recall on the errors that
//! `scripts/seed-errors` seeded (answer key `key.tsv`), and false alarms on the clean version.
//! Prints the figures (README, "Grammar"); fails when they fall below what was measured, and
//! under `CI` when Grammalecte or Frog is missing (skips with a note otherwise).

use std::path::PathBuf;

use diptych_core::check::{run_checks, CheckOptions, GrammarOptions};
use diptych_core::pipeline::{build_bitext, Input, RunOptions};
use diptych_core::{Finding, Lang};

/// The checks evaluated here.
const CHECKS: &[&str] = &["grammar", "ordinals", "spelling"];
/// The recall measured when the set was made (README); the test guards it.
const MIN_RECALL: f64 = 0.8;
/// At most this many false alarms per 50 sentences (both languages counted) on the clean text.
const MAX_ALARMS_PER_50: f64 = 1.0;

fn folder() -> PathBuf {
    std::env::var_os("DIPTYCH_GRAMMAR_EVAL").map_or_else(
        || {
            PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../tests/data/grammar-eval"
            ))
        },
        PathBuf::from,
    )
}

fn findings(version: &str) -> (Vec<Finding>, usize) {
    let dir = folder();
    let input = Input::Presegmented {
        src: dir.join(format!("{version}.nl.txt")),
        tgt: dir.join(format!("{version}.fr.txt")),
    };
    let opts = RunOptions {
        langs: vec![Lang::NL, Lang::FR],
        ..RunOptions::default()
    };
    let bitext = build_bitext(&input, &opts).expect("the evaluation document reads");
    let sentences = bitext.src.sentences.len() + bitext.tgt.sentences.len();
    let options = CheckOptions {
        only: CHECKS.iter().map(|c| c.to_string()).collect(),
        ..CheckOptions::standard()
    };
    (run_checks(&bitext, &options).findings, sentences)
}

/// One row of the answer key: 1-based line, language, kind, expected check.
struct Seeded {
    line: usize,
    lang: Lang,
    kind: String,
    check: String,
}

fn key() -> Vec<Seeded> {
    let text = std::fs::read_to_string(folder().join("key.tsv")).expect("key.tsv");
    text.lines()
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            Seeded {
                line: c[0].parse().expect("line number"),
                lang: Lang::parse(c[1]).expect("language"),
                kind: c[2].to_owned(),
                check: c[3].to_owned(),
            }
        })
        .collect()
}

fn found(s: &Seeded, findings: &[Finding]) -> bool {
    findings.iter().any(|f| {
        f.check == s.check
            && f.highlights
                .iter()
                .any(|h| h.lang == s.lang && h.sentence + 1 == s.line)
    })
}

#[test]
fn seeded_errors_are_found_and_the_clean_text_stays_quiet() {
    let tools = GrammarOptions::system(false);
    if let Some(why) = tools.missing.values().next() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{why} (required under CI)"
        );
        eprintln!("skipped: {why}");
        return;
    }
    let key = key();
    assert!(key.len() >= 40, "the key holds {} errors", key.len());
    let (seeded, _) = findings("seeded");
    let mut by_kind: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    for s in &key {
        let e = by_kind.entry(s.kind.as_str()).or_default();
        e.1 += 1;
        if found(s, &seeded) {
            e.0 += 1;
        } else {
            eprintln!("missed: line {} {} {}", s.line, s.lang, s.kind);
        }
    }
    let hits: usize = by_kind.values().map(|v| v.0).sum();
    let recall = hits as f64 / key.len() as f64;
    for (kind, (h, n)) in &by_kind {
        eprintln!("{kind:<15} {h}/{n}");
    }
    let (clean, sentences) = findings("clean");
    for f in &clean {
        eprintln!("false alarm: {} {:?} {}", f.check, f.evidence, f.message);
    }
    let per_50 = clean.len() as f64 * 50.0 / sentences as f64;
    eprintln!(
        "recall {hits}/{} = {recall:.2}; false alarms on the clean text: {} in {sentences} sentences = {per_50:.2} per 50",
        key.len(),
        clean.len()
    );
    assert!(recall >= MIN_RECALL, "recall {recall:.2} < {MIN_RECALL}");
    assert!(
        per_50 <= MAX_ALARMS_PER_50,
        "{per_50:.2} false alarms per 50 sentences"
    );
}

/// A long Dutch document is tagged without entity labels first and again with them only where
/// a rule could depend on them: on the seeded text repeated past that length, the Dutch rules
/// find exactly what they find over one tagging with entities.
#[test]
fn two_tagging_passes_find_what_one_pass_finds() {
    use diptych_core::check::grammar::frog::{Frog, Tagger};
    use diptych_core::check::grammar::rules_nl::{
        check_sentence, DutchRules, ENTITY_PASS_MIN_SENTENCES,
    };
    use diptych_core::check::grammar::GrammarChecker;
    let Some(frog) = Frog::find() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "Frog is required under CI"
        );
        eprintln!("skipped: Frog not found");
        return;
    };
    let text = std::fs::read_to_string(folder().join("seeded.nl.txt")).expect("seeded.nl.txt");
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let copies = ENTITY_PASS_MIN_SENTENCES.div_ceil(lines.len());
    let sentences: Vec<&str> = lines.repeat(copies);
    let one_pass: Vec<_> = frog
        .tag(&sentences, true)
        .expect("Frog tags")
        .iter()
        .enumerate()
        .flat_map(|(k, tokens)| check_sentence(k, sentences[k], tokens))
        .collect();
    let two_passes = DutchRules::new(frog)
        .check(Lang::NL, &sentences)
        .expect("Frog tags");
    assert!(!one_pass.is_empty());
    assert_eq!(two_passes, one_pass);
}
