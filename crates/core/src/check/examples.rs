//! The shared test: every check's own positive and negative examples, run through the same
//! machinery as a real document.

use super::{CheckOptions, CHECKS};
use crate::{Bead, Bitext, Block, BlockKind, Document, Lang, Sentence};

/// A pair of texts and whether the check must fire on it. Each line of `src` and `tgt` is one
/// sentence bead; an empty line is an empty side (an omission).
pub struct Example {
    /// Source side (Dutch unless `langs` says otherwise).
    pub src: &'static str,
    /// Target side (French unless `langs` says otherwise).
    pub tgt: &'static str,
    /// Whether the check must report at least one finding.
    pub fires: bool,
    /// The two languages.
    pub langs: [Lang; 2],
}

/// An example the check must report.
pub const fn yes(src: &'static str, tgt: &'static str) -> Example {
    Example {
        src,
        tgt,
        fires: true,
        langs: [Lang::NL, Lang::FR],
    }
}

/// An example the check must leave alone.
pub const fn no(src: &'static str, tgt: &'static str) -> Example {
    Example {
        src,
        tgt,
        fires: false,
        langs: [Lang::NL, Lang::FR],
    }
}

/// An example in another language pair.
pub const fn in_langs(
    langs: [Lang; 2],
    fires: bool,
    src: &'static str,
    tgt: &'static str,
) -> Example {
    Example {
        src,
        tgt,
        fires,
        langs,
    }
}

fn document(lang: Lang, lines: &[&str]) -> (Document, Vec<std::ops::Range<usize>>) {
    let mut doc = Document {
        lang: Some(lang),
        ..Document::default()
    };
    let mut ranges = Vec::new();
    for line in lines {
        let start = doc.sentences.len();
        if !line.is_empty() {
            let b = doc.blocks.len();
            doc.blocks.push(Block {
                id: format!("{lang}-b{b}"),
                lang,
                kind: BlockKind::Paragraph,
                level: 0,
                text: (*line).to_owned(),
                source_lines: [b + 1, b + 1],
                joined_from: vec![],
                lang_confidence: 1.0,
                regions: vec![],
                note: None,
            });
            doc.sentences.push(Sentence {
                id: format!("{lang}-s{start}"),
                lang,
                block: format!("{lang}-b{b}"),
                block_index: b,
                span: [0, line.len()],
                text: (*line).to_owned(),
            });
        }
        ranges.push(start..doc.sentences.len());
    }
    (doc, ranges)
}

/// A bitext with one sentence bead per line of the example.
pub fn bitext(e: &Example) -> Bitext {
    let src_lines: Vec<&str> = e.src.split('\n').collect();
    let tgt_lines: Vec<&str> = e.tgt.split('\n').collect();
    assert_eq!(
        src_lines.len(),
        tgt_lines.len(),
        "example sides need as many lines: {:?}",
        e.src
    );
    let (src, sr) = document(e.langs[0], &src_lines);
    let (tgt, tr) = document(e.langs[1], &tgt_lines);
    let beads = sr
        .into_iter()
        .zip(tr)
        .map(|(s, t)| Bead::new(s, t, 1.0))
        .collect();
    Bitext {
        name: "example".into(),
        src,
        tgt,
        block_beads: vec![],
        beads,
    }
}

fn examples_of(check: &str) -> &'static [Example] {
    match check {
        "numbers" => super::numbers::EXAMPLES,
        "dates" => super::dates::EXAMPLES,
        "ordinals" => super::ordinals::EXAMPLES,
        "references" => super::references::EXAMPLES,
        "glossary" => super::glossary::EXAMPLES,
        "expansion" => super::glossary::EXPANSION_EXAMPLES,
        "names" => super::names::EXAMPLES,
        "consistency" => super::consistency::EXAMPLES,
        "omission" => super::omission::EXAMPLES,
        "unpaired" => super::omission::REGION_EXAMPLES,
        "length" => super::length::EXAMPLES,
        "untranslated" => super::untranslated::EXAMPLES,
        "language" => super::lang_id::EXAMPLES,
        "spelling" => super::spelling::EXAMPLES,
        "repetition" => super::repetition::EXAMPLES,
        "punctuation" => super::punctuation::EXAMPLES,
        "debris" => super::debris::EXAMPLES,
        other => panic!("check {other} has no examples"),
    }
}

#[test]
fn every_check_passes_its_own_examples_both_ways() {
    let options = CheckOptions::standard();
    let mut failures = Vec::new();
    for check in CHECKS.iter().filter(|c| !super::EXTERNAL.contains(&c.name)) {
        let examples = examples_of(check.name);
        assert!(
            examples.iter().any(|e| e.fires),
            "{}: no positive example",
            check.name
        );
        assert!(
            examples.iter().any(|e| !e.fires),
            "{}: no negative example",
            check.name
        );
        for e in examples {
            let bitext = bitext(e);
            let only = CheckOptions {
                only: vec![check.name.to_owned()],
                ..CheckOptions::standard()
            };
            let found = super::run_checks(&bitext, &only).findings;
            let _ = &options;
            if found.is_empty() == e.fires {
                failures.push(format!(
                    "{}: expected {} on\n  {:?}\n  {:?}\n  got {:?}",
                    check.name,
                    if e.fires { "a finding" } else { "none" },
                    e.src,
                    e.tgt,
                    found.iter().map(|f| &f.message).collect::<Vec<_>>()
                ));
            }
            for f in &found {
                assert_eq!(f.check, check.name);
                for h in &f.highlights {
                    let side = if Some(h.lang) == bitext.src.lang {
                        &bitext.src
                    } else {
                        &bitext.tgt
                    };
                    let text = &side.sentences[h.sentence].text;
                    assert!(
                        h.span[0] < h.span[1] && text.get(h.span[0]..h.span[1]).is_some(),
                        "{}: bad span {h:?} in {text:?}",
                        check.name
                    );
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} example(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

mod robustness {
    use super::*;
    use proptest::prelude::*;

    /// Text made of the pieces checks react to: digits, separators, brackets, quotes, markup,
    /// accents, capitals, month names, acronyms.
    fn text() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "1.234,56",
            "43 miljoen",
            "66^{e}",
            "1er",
            "décembre",
            "(",
            ")",
            "«",
            "»",
            "\"",
            "**",
            "A/76/L.52",
            "76/262",
            "art. 5, § 2",
            "NAVO",
            "OTAN",
            "Grande",
            "Grand",
            "Région",
            "Džaferović",
            "l’Ukraine",
            "de",
            "de",
            "la",
            "samen-",
            "werking",
            "ﬁ",
            "2022",
            "Raad",
            "nous",
            "é",
            "-",
            ".",
            ",",
            " ",
            "  ",
            "\u{a0}",
            "12",
            "PSDC",
            "(PSDC)",
            "Bourglinster",
        ]);
        prop::collection::vec(pieces, 0..14).prop_map(|v| v.join(" "))
    }

    /// All checks but spelling (its suggestions take 40-150 ms a word) and those running
    /// outside programs (seconds per start), built once.
    fn options() -> &'static CheckOptions {
        static OPTIONS: std::sync::OnceLock<CheckOptions> = std::sync::OnceLock::new();
        OPTIONS.get_or_init(|| {
            let only = CHECKS
                .iter()
                .map(|c| c.name.to_owned())
                .filter(|n| n != "spelling" && !super::super::EXTERNAL.contains(&n.as_str()))
                .collect();
            CheckOptions {
                only,
                ..CheckOptions::standard()
            }
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// No input makes a check panic, and every highlight is a valid span of its sentence.
        #[test]
        fn checks_never_panic_and_highlights_are_valid(
            lines in prop::collection::vec((text(), text()), 1..12)
        ) {
            let src: Vec<&str> = lines.iter().map(|(a, _)| a.as_str()).collect();
            let tgt: Vec<&str> = lines.iter().map(|(_, b)| b.as_str()).collect();
            let (src, tgt) = (src.join("\n"), tgt.join("\n"));
            let e = Example { src: Box::leak(src.into_boxed_str()), tgt: Box::leak(tgt.into_boxed_str()), fires: false, langs: [Lang::NL, Lang::FR] };
            let bitext = bitext(&e);
            let options = options();
            for f in super::super::run_checks(&bitext, options).findings {
                for h in &f.highlights {
                    let side = if h.lang == Lang::NL { &bitext.src } else { &bitext.tgt };
                    let s = &side.sentences[h.sentence].text;
                    prop_assert!(h.span[0] < h.span[1] && s.get(h.span[0]..h.span[1]).is_some(), "{} {:?} in {:?}", f.check, h, s);
                }
            }
        }
    }
}
