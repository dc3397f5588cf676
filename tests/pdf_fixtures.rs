//! Golden tests of `diptych run` on the PDF fixtures made by LibreOffice
//! (`tests/data/pdf/`, written by `scripts/make-pdf-fixtures`): each layout of each document
//! must give what the text route gives — the reference report's woven text
//! (`examples/benelux-2022/report.nl-fr.txt`) and the en/fr pair run on its two Markdown files
//! (`tests/data/en-fr/`): the same blocks (kind, level, text, in order) in each language,
//! the same sentence beads by shape (for the reference: 118, all 1:1), and nothing of the
//! running header or the page-number footer in any block.
//!
//! The tests only use the command line and the run folder's files (`nl.md`, `blocks.jsonl`,
//! `bitext.jsonl`), not the PDF reader's internals. The last test regenerates the fixtures
//! when LibreOffice is present and checks that their text is still the committed PDFs'.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> PathBuf {
    root().join("tests/data/pdf").join(format!("{name}.pdf"))
}

/// Runs `diptych run ARGS --out DIR` and returns the run folder (kept for the test's life).
fn run(args: &[&Path]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_diptych"))
        .arg("run")
        // The grammar check is not what this test is about; the programs are left out (they
        // would add their start-up to every run).
        .env("DIPTYCH_FROG", "/nonexistent")
        .env("DIPTYCH_GRAMMALECTE", "/nonexistent")
        .args(args)
        .arg("--out")
        .arg(dir.path())
        .output()
        .expect("the diptych binary runs");
    assert!(
        out.status.success(),
        "diptych run {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir
}

fn jsonl(dir: &Path, name: &str) -> Vec<Value> {
    std::fs::read_to_string(dir.join(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// One block as the tests compare it.
#[derive(Clone, Debug, PartialEq)]
struct Seen {
    kind: String,
    level: u64,
    text: String,
}

/// The blocks of one language in a run folder, footnotes aside.
fn blocks(dir: &Path, lang: &str) -> Vec<Seen> {
    jsonl(dir, "blocks.jsonl")
        .into_iter()
        .filter(|b| b["lang"] == lang && b["kind"] != "footnote")
        .map(|b| Seen {
            kind: b["kind"].as_str().unwrap().to_owned(),
            level: b["level"].as_u64().unwrap_or(0),
            text: b["text"].as_str().unwrap().to_owned(),
        })
        .collect()
}

fn footnotes(dir: &Path, lang: &str) -> Vec<String> {
    jsonl(dir, "blocks.jsonl")
        .into_iter()
        .filter(|b| b["lang"] == lang && b["kind"] == "footnote")
        .map(|b| b["text"].as_str().unwrap().to_owned())
        .collect()
}

/// What the text route gives, per language: its blocks and its bead shapes.
struct Expected {
    langs: [&'static str; 2],
    blocks: BTreeMap<&'static str, Vec<Seen>>,
    /// The shape (`1:1`, `2:1`, ...) of each sentence bead, in order.
    shapes: Vec<String>,
    /// The running header of the fixtures (both halves), which no block may hold.
    header: [&'static str; 2],
}

fn expected_from(dir: &Path, langs: [&'static str; 2], header: [&'static str; 2]) -> Expected {
    Expected {
        langs,
        blocks: langs.iter().map(|l| (*l, blocks(dir, l))).collect(),
        shapes: shapes(dir),
        header,
    }
}

fn shapes(dir: &Path) -> Vec<String> {
    jsonl(dir, "bitext.jsonl")
        .iter()
        .map(|b| b["shape"].as_str().unwrap().to_owned())
        .collect()
}

/// The shapes of the beads whose sentences are not all in footnotes (the text route has no
/// notes; the fixtures' notes are their own beads).
fn shapes_outside_footnotes(dir: &Path) -> Vec<String> {
    let notes: Vec<String> = jsonl(dir, "blocks.jsonl")
        .into_iter()
        .filter(|b| b["kind"] == "footnote")
        .map(|b| b["text"].as_str().unwrap().to_owned())
        .collect();
    let in_notes = |s: &Value| {
        let s = s.as_str().unwrap();
        notes.iter().any(|n| n.contains(s))
    };
    jsonl(dir, "bitext.jsonl")
        .iter()
        .filter(|bead| {
            let sentences: Vec<&Value> = bead
                .as_object()
                .unwrap()
                .values()
                .filter_map(Value::as_array)
                .flatten()
                .collect();
            !sentences.iter().all(|s| in_notes(s))
        })
        .map(|b| b["shape"].as_str().unwrap().to_owned())
        .collect()
}

/// The reference report through the woven-text route.
fn benelux() -> &'static Expected {
    static CELL: OnceLock<Expected> = OnceLock::new();
    CELL.get_or_init(|| {
        let dir = run(&[&root().join("examples/benelux-2022/report.nl-fr.txt")]);
        expected_from(
            dir.path(),
            ["nl", "fr"],
            [
                "66e gemeenschappelijk verslag buitenlands beleid",
                "66e rapport commun politique étrangère",
            ],
        )
    })
}

/// The project's en/fr text through the two-file route.
fn en_fr() -> &'static Expected {
    static CELL: OnceLock<Expected> = OnceLock::new();
    CELL.get_or_init(|| {
        let data = root().join("tests/data/en-fr");
        let dir = run(&[
            Path::new("--src"),
            &data.join("en.md"),
            Path::new("--tgt"),
            &data.join("fr.md"),
        ]);
        expected_from(
            dir.path(),
            ["en", "fr"],
            [
                "Upper Rhine — joint report 2023",
                "Rhin supérieur — rapport commun 2023",
            ],
        )
    })
}

/// The first block where `got` and `want` differ, for a readable failure.
fn first_difference(got: &[Seen], want: &[Seen]) -> String {
    let i = got
        .iter()
        .zip(want)
        .position(|(g, w)| g != w)
        .unwrap_or(got.len().min(want.len()));
    format!(
        "{} blocks, {} expected; first difference at block {}:\n got: {:?}\nwant: {:?}",
        got.len(),
        want.len(),
        i + 1,
        got.get(i),
        want.get(i)
    )
}

fn kind_counts(blocks: &[Seen]) -> BTreeMap<&str, usize> {
    let mut counts = BTreeMap::new();
    for b in blocks {
        *counts.entry(b.kind.as_str()).or_default() += 1;
    }
    counts
}

/// Runs the fixture and compares it with what the text route gives. `calls` are the words
/// that carry a footnote call, which the reader may leave in their block's text (as
/// `Agreement1`); the call is removed before comparing.
fn check_fixture(name: &str, want: &Expected, calls: &[&str]) -> tempfile::TempDir {
    let dir = run(&[&fixture(name)]);
    for lang in want.langs {
        let mut got = blocks(dir.path(), lang);
        for call in calls {
            for b in &mut got {
                b.text = b.text.replace(&format!("{call}1"), call);
            }
        }
        let expected = &want.blocks[lang];
        assert!(
            got == *expected,
            "{name}, {lang}: {}",
            first_difference(&got, expected)
        );
        for b in &got {
            for half in want.header {
                assert!(!b.text.contains(half), "{name}: header in {b:?}");
            }
            assert!(
                !b.text
                    .chars()
                    .all(|c| c.is_ascii_digit() || c.is_whitespace()),
                "{name}: a page number as a block: {b:?}"
            );
        }
    }
    let got = shapes_outside_footnotes(dir.path());
    assert_eq!(got.len(), want.shapes.len(), "{name}: sentence beads");
    assert_eq!(got, want.shapes, "{name}: bead shapes");
    dir
}

#[test]
fn the_text_route_gives_the_reference_counts() {
    // The numbers the PDF fixtures of the reference must reach (issue 10).
    let want = benelux();
    for lang in want.langs {
        let counts = kind_counts(&want.blocks[lang]);
        assert_eq!(
            counts,
            BTreeMap::from([
                ("heading", 12),
                ("item", 24),
                ("paragraph", 31),
                ("title", 4)
            ]),
            "{lang}"
        );
    }
    assert_eq!(want.shapes.len(), 118);
    assert!(want.shapes.iter().all(|s| s == "1:1"));
}

#[test]
fn reference_table_dutch_left_a4() {
    check_fixture("benelux-2022.nl-fr.table.a4", benelux(), &[]);
}

#[test]
fn reference_table_french_left_a4() {
    check_fixture("benelux-2022.fr-nl.table.a4", benelux(), &[]);
}

#[test]
fn reference_table_dutch_left_letter() {
    check_fixture("benelux-2022.nl-fr.table.letter", benelux(), &[]);
}

#[test]
fn reference_table_french_left_letter() {
    check_fixture("benelux-2022.fr-nl.table.letter", benelux(), &[]);
}

#[test]
fn reference_two_text_columns_a4() {
    check_fixture("benelux-2022.nl-fr.columns.a4", benelux(), &[]);
}

#[test]
fn en_fr_table_letter() {
    check_fixture("en-fr.en-fr.table.letter", en_fr(), &[]);
}

#[test]
fn en_fr_two_text_columns_french_left_a4() {
    check_fixture("en-fr.fr-en.columns.a4", en_fr(), &[]);
}

#[test]
fn en_fr_footnotes_are_their_own_blocks() {
    let want = en_fr();
    let dir = check_fixture(
        "en-fr.en-fr.footnotes.a4",
        want,
        &["Agreement", "Karlsruhe"],
    );
    let notes = [
        (
            "en",
            "Agreement of 23 January 1996 on cross-border cooperation between local authorities.",
        ),
        (
            "fr",
            "Accord du 23 janvier 1996 sur la coopération transfrontalière entre collectivités locales.",
        ),
    ];
    let blocks = jsonl(dir.path(), "blocks.jsonl");
    for ((lang, note), call) in notes
        .into_iter()
        .zip(["Karlsruhe Agreement,", "Accord de Karlsruhe,"])
    {
        let got = footnotes(dir.path(), lang);
        assert!(
            got.iter().any(|t| t == note),
            "{lang}: footnote {note:?} (its number taken off) not among {got:?}"
        );
        // The note is linked to the block that calls it, whose text has lost the call mark.
        let block = blocks.iter().find(|b| b["text"] == note).unwrap();
        assert_eq!(block["note"]["label"], "1", "{block}");
        let caller = block["note"]["called_from"].as_str().unwrap();
        let caller = blocks.iter().find(|b| b["id"] == caller).unwrap();
        let text = caller["text"].as_str().unwrap();
        assert!(
            text.contains(call),
            "{lang}: the call {call:?} not in {text:?}"
        );
    }
}

#[test]
fn fixtures_are_small() {
    for entry in std::fs::read_dir(root().join("tests/data/pdf")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "pdf") {
            let size = std::fs::metadata(&path).unwrap().len();
            assert!(size < 200 * 1024, "{}: {size} bytes", path.display());
        }
    }
}

/// Whether an external program answers; under `CI` its absence is a failure.
fn tool_present(program: &str, arg: &str, why: &str) -> bool {
    let ok = Command::new(program)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "{program} is missing (scripts/setup installs it)"
        );
        eprintln!("skipped: {program} not found ({why}; scripts/setup installs it)");
    }
    ok
}

fn pdf_text(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(out.status.success(), "pdftotext {}", path.display());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn regenerated_fixtures_have_the_committed_text() {
    let why = "regenerating the PDF fixtures";
    if !tool_present("soffice", "--version", why)
        || !tool_present("pdftotext", "-v", why)
        || !tool_present("python3", "--version", why)
    {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(root().join("scripts/make-pdf-fixtures"))
        .arg("--out")
        .arg(dir.path())
        .output()
        .expect("scripts/make-pdf-fixtures runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let committed = root().join("tests/data/pdf");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let fresh = entry.unwrap().path();
        let name = fresh.file_name().unwrap().to_owned();
        let old = committed.join(&name);
        match fresh.extension().and_then(|e| e.to_str()) {
            Some("fodt") => assert_eq!(
                std::fs::read_to_string(&fresh).unwrap(),
                std::fs::read_to_string(&old).unwrap_or_default(),
                "{name:?}: the committed .fodt is not what the script writes (run scripts/make-pdf-fixtures)"
            ),
            Some("pdf") => {
                assert_eq!(
                    pdf_text(&fresh),
                    pdf_text(&old),
                    "{name:?}: the regenerated PDF's text differs (run scripts/make-pdf-fixtures)"
                );
                seen += 1;
            }
            _ => {}
        }
    }
    assert_eq!(seen, 8, "fixtures regenerated");
}
