//! Property test of the PDF reader: parallel blocks of the project's en/fr text
//! (`tests/data/en-fr/`) are laid out as a PDF by the test writer
//! (`diptych_testkit::typeset`: base-14 Helvetica, every glyph placed by the test) in two text
//! columns, one per language, flowing independently from page to page — random paragraph
//! lengths (neighbouring paragraphs merged), random page heights and font sizes so that
//! paragraphs break across pages at random places, either language on the left, a running
//! header and a folio on every page — and `diptych run` must give the blocks back: the same
//! texts in the same order per language, headings as headings, and no header or page number
//! in any block. One ambiguity is allowed: a paragraph whose sentence ends on a column's last
//! line may come back as two (nothing on the page tells them apart).
//!
//! It goes through the command line (`diptych run X.pdf --out DIR`) and the run folder's
//! `blocks.jsonl`, so it does not depend on the reader's internals.

use std::path::{Path, PathBuf};
use std::process::Command;

use diptych_testkit::typeset::{is_writable, two_columns, write_pdf, Block, Layout};
use proptest::prelude::*;
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The parallel headings and paragraphs of the en/fr text (titles and items left out), in
/// order; the two versions have the same structure.
fn source() -> Vec<(Block, Block)> {
    let read = |lang: &str| -> Vec<Block> {
        let text = std::fs::read_to_string(root().join(format!("tests/data/en-fr/{lang}.md")))
            .expect("the en/fr text");
        text.split("\n\n")
            .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|p| !p.is_empty() && !p.starts_with("# ") && !p.starts_with("- "))
            .map(
                |p| match p.strip_prefix("## ").or_else(|| p.strip_prefix("### ")) {
                    Some(h) => Block {
                        text: h.to_owned(),
                        heading: true,
                    },
                    None => Block {
                        text: p,
                        heading: false,
                    },
                },
            )
            .collect()
    };
    let (en, fr) = (read("en"), read("fr"));
    assert_eq!(en.len(), fr.len(), "the en/fr text is parallel");
    assert!(en.iter().chain(&fr).all(|b| is_writable(&b.text)));
    en.into_iter().zip(fr).collect()
}

/// A document drawn from the source: a run of consecutive blocks from `start`, each
/// paragraph merged with the next one when its bit in `merges` is set (both languages
/// alike), so that paragraph lengths vary.
fn document(source: &[(Block, Block)], start: usize, merges: u64) -> Vec<(Block, Block)> {
    let mut out: Vec<(Block, Block)> = Vec::new();
    let mut merge_next = false;
    for (i, (a, b)) in source
        .iter()
        .cycle()
        .skip(start)
        .take(source.len())
        .enumerate()
    {
        let mergeable = merge_next && !a.heading && out.last().is_some_and(|(p, _)| !p.heading);
        if mergeable {
            let (pa, pb) = out.last_mut().expect("a previous block");
            pa.text = format!("{} {}", pa.text, a.text);
            pb.text = format!("{} {}", pb.text, b.text);
        } else {
            out.push((a.clone(), b.clone()));
        }
        merge_next = (merges >> (i % 64)) & 1 == 1;
    }
    // A document does not end on a heading.
    while out.last().is_some_and(|(a, _)| a.heading) {
        out.pop();
    }
    out
}

fn blocks_of(dir: &Path, lang: &str) -> Vec<(bool, String)> {
    std::fs::read_to_string(dir.join("blocks.jsonl"))
        .expect("blocks.jsonl")
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|b| b["lang"] == lang && b["kind"] != "footnote")
        .map(|b| {
            let kind = b["kind"].as_str().unwrap();
            (
                kind == "heading" || kind == "title",
                b["text"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// `got` with the paragraphs it split at a sentence end put back together where `want` has
/// them as one: a paragraph whose sentence ends on the last line of a column, with no space
/// or indent to tell, may as well end there (the reader cannot know). Any other difference
/// (a wrong join, a lost or changed word) stays for the comparison to report.
fn rejoin_at_sentence_ends(
    got: Vec<(bool, String)>,
    want: &[(bool, String)],
) -> Vec<(bool, String)> {
    let mut out: Vec<(bool, String)> = Vec::new();
    let mut w: usize = 0;
    for block in got {
        let joinable = |last: &(bool, String)| {
            !last.0
                && !block.0
                && last.1.ends_with(['.', '!', '?'])
                && want
                    .get(w.saturating_sub(1))
                    .is_some_and(|(_, text)| text.starts_with(&format!("{} {}", last.1, block.1)))
        };
        match out.last_mut() {
            Some(last) if joinable(last) => last.1 = format!("{} {}", last.1, block.1),
            _ => {
                out.push(block);
                w += 1;
            }
        }
    }
    out
}

const HEADERS: [&str; 3] = [
    "Upper Rhine — joint report 2023 | Rhin supérieur — rapport commun 2023",
    "JOINT REPORT · RAPPORT COMMUN",
    "Intergovernmental Commission / Commission intergouvernementale",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    #[test]
    fn laid_out_blocks_come_back(
        start in 0usize..40,
        merges in any::<u64>(),
        height in 300.0f64..842.0,
        size in 8.5f64..12.0,
        french_left in any::<bool>(),
        header in 0usize..3,
        folio in any::<bool>(),
    ) {
        lay_out_and_read_back(start, merges, height, size, french_left, header, folio)?;
    }
}

/// Cases the property found failing once (the seed file is not read for an integration
/// test), kept as plain tests.
#[test]
fn a_lone_line_ending_a_paragraph_on_the_last_page_keeps_its_language() {
    lay_out_and_read_back(
        24,
        14480356167048249626,
        519.9125788632081,
        11.240574598298453,
        true,
        0,
        false,
    )
    .unwrap();
}

/// Lays the generated bilingual document out in two columns with the given page geometry,
/// runs `diptych run` on the PDF and checks that every block of both languages comes back.
#[allow(clippy::too_many_arguments)]
fn lay_out_and_read_back(
    start: usize,
    merges: u64,
    height: f64,
    size: f64,
    french_left: bool,
    header: usize,
    folio: bool,
) -> Result<(), TestCaseError> {
    let doc = document(&source(), start, merges);
    let (en, fr): (Vec<Block>, Vec<Block>) = doc.into_iter().unzip();
    let layout = Layout {
        height,
        size,
        header: Some(HEADERS[header].to_owned()),
        folio,
        ..Layout::default()
    };
    let (left, right) = if french_left { (&fr, &en) } else { (&en, &fr) };
    let pages = two_columns(left, right, &layout);
    prop_assume!(pages.len() >= 2);
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("laid-out.pdf");
    std::fs::write(&pdf, write_pdf(&pages)).unwrap();
    let out = dir.path().join("out");
    let run = Command::new(env!("CARGO_BIN_EXE_diptych"))
        .arg("run")
        // The grammar check is not what this test is about; the programs are left out (they
        // would add their start-up to every run).
        .env("DIPTYCH_FROG", "/nonexistent")
        .env("DIPTYCH_GRAMMALECTE", "/nonexistent")
        .arg(&pdf)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("the diptych binary runs");
    prop_assert!(
        run.status.success(),
        "diptych run on a {}-page PDF failed: {}",
        pages.len(),
        String::from_utf8_lossy(&run.stderr)
    );
    for (lang, want) in [("en", &en), ("fr", &fr)] {
        let want: Vec<(bool, String)> = want.iter().map(|b| (b.heading, b.text.clone())).collect();
        let got = rejoin_at_sentence_ends(blocks_of(&out, lang), &want);
        let first = got
            .iter()
            .zip(&want)
            .position(|(g, w)| g != w)
            .unwrap_or(got.len().min(want.len()));
        prop_assert!(
            got == want,
            "{lang}: {} blocks, {} laid out; first difference at {}:\n got: {:?}\nwant: {:?}",
            got.len(),
            want.len(),
            first + 1,
            got.get(first),
            want.get(first)
        );
    }
    Ok(())
}

#[test]
fn the_writer_lays_the_source_out_over_several_pages() {
    // The generator itself: every block of both languages is on some page, once, in order,
    // and the header and folio are on every page.
    let doc = document(&source(), 0, 0);
    let (en, fr): (Vec<Block>, Vec<Block>) = doc.into_iter().unzip();
    let layout = Layout {
        height: 400.0,
        header: Some(HEADERS[0].to_owned()),
        ..Layout::default()
    };
    let pages = two_columns(&en, &fr, &layout);
    assert!(pages.len() >= 4, "{} pages", pages.len());
    let words_of = |blocks: &[Block]| -> Vec<String> {
        blocks
            .iter()
            .flat_map(|b| b.text.split_whitespace().map(str::to_owned))
            .collect()
    };
    let column = |left: bool| -> Vec<String> {
        pages
            .iter()
            .flat_map(|p| {
                p.lines
                    .iter()
                    .filter(move |l| {
                        l.y >= layout.margin
                            && l.y < layout.height - layout.margin
                            && (l.x < layout.width / 2.0) == left
                    })
                    .flat_map(|l| l.text.split_whitespace().map(str::to_owned))
            })
            .collect()
    };
    assert_eq!(column(true), words_of(&en));
    assert_eq!(column(false), words_of(&fr));
    for (i, page) in pages.iter().enumerate() {
        assert!(page.lines.iter().any(|l| l.text == HEADERS[0]));
        assert!(page.lines.iter().any(|l| l.text == (i + 1).to_string()));
    }
    // A real reader reads the file: poppler's pdftotext (a separate process), when present.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("laid-out.pdf");
    std::fs::write(&path, write_pdf(&pages)).unwrap();
    match Command::new("pdftotext").arg(&path).arg("-").output() {
        Ok(out) if out.status.success() => {
            let text = String::from_utf8(out.stdout).unwrap();
            assert_eq!(text.matches(HEADERS[0]).count(), pages.len(), "{text}");
            let first = &fr[0].text;
            assert!(text.contains(first.as_str()), "{first} not in {text}");
        }
        _ => {
            assert!(std::env::var_os("CI").is_none(), "pdftotext is missing");
            eprintln!("skipped: pdftotext not found (poppler-utils; scripts/setup installs it)");
        }
    }
}
