//! End-to-end tests of `diptych run`: the reference report against golden files read by
//! eye, the other input forms, and every kind of bad input.
//!
//! `BLESS=1 cargo test --test run_cli` rewrites the golden files; review the diff in git.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn diptych(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_diptych"))
        .args(args)
        .output()
        .expect("the diptych binary runs")
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn reference() -> PathBuf {
    root().join("examples/benelux-2022/report.nl-fr.txt")
}

fn run_ok(args: &[&str]) -> String {
    let out = diptych(&[&["run"], args].concat());
    let stderr = String::from_utf8(out.stderr.clone()).unwrap();
    assert!(out.status.success(), "diptych {args:?} failed: {stderr}");
    assert!(out.stdout.is_empty(), "run writes nothing on stdout");
    stderr
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn jsonl(dir: &Path, name: &str) -> Vec<Value> {
    read(dir, name)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

const OUTPUTS: [&str; 7] = [
    "nl.md",
    "fr.md",
    "blocks.jsonl",
    "sentences.jsonl",
    "bitext.jsonl",
    "bitext.tsv",
    "run.json",
];

#[test]
fn reference_report_matches_the_golden_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run_ok(&[
        reference().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let golden = root().join("tests/golden/benelux-2022");
    for name in OUTPUTS {
        let got = read(&out, name);
        if std::env::var_os("BLESS").is_some() {
            std::fs::write(golden.join(name), &got).unwrap();
            continue;
        }
        let want = read(&golden, name);
        if got != want {
            let line = got
                .lines()
                .zip(want.lines())
                .position(|(a, b)| a != b)
                .map_or(got.lines().count().min(want.lines().count()), |i| i);
            panic!(
                "{name} differs from the golden file at line {}:\n got: {:?}\nwant: {:?}\n(BLESS=1 rewrites)",
                line + 1,
                got.lines().nth(line),
                want.lines().nth(line)
            );
        }
    }
}

#[test]
fn reference_report_has_the_same_structure_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let stderr = run_ok(&[
        reference().to_str().unwrap(),
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    let blocks = jsonl(dir.path(), "blocks.jsonl");
    let shape = |lang: &str| -> Vec<(String, u64)> {
        blocks
            .iter()
            .filter(|b| b["lang"] == lang)
            .map(|b| {
                (
                    b["kind"].as_str().unwrap().to_owned(),
                    b["level"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let (nl, fr) = (shape("nl"), shape("fr"));
    assert_eq!(
        nl, fr,
        "same titles, headings, items and paragraphs in the same order"
    );
    assert!(nl.len() > 60 && nl.iter().filter(|k| k.0 == "heading").count() >= 10);

    // Every paragraph cut by a page break is rejoined; the example verbatim.
    let joined = |needle: &str| {
        blocks
            .iter()
            .find(|b| b["text"].as_str().unwrap().contains(needle))
            .unwrap_or_else(|| panic!("no block contains {needle:?}"))
    };
    let b =
        joined("en van de voorzitter van de regionale Raad van de Grand Est en huidig voorzitter");
    assert_eq!(b["joined_from"].as_array().unwrap().len(), 2);
    joined("Hendrik Wüst et du président du conseil régional Grand Est");
    joined("Cette réunion est la première en son genre.");
    joined("de hervormingen ter versterking van de rechtsstaat voort te zetten");
    for b in &blocks {
        let text = b["text"].as_str().unwrap();
        assert!(
            !text.contains("**") && !text.contains('^') && !text.starts_with('•'),
            "{text}"
        );
        assert!(!text.contains('*'), "markup left: {text}");
    }

    // No sentence breaks inside honorifics or document symbols.
    let sentences = jsonl(dir.path(), "sentences.jsonl");
    let has = |needle: &str| {
        sentences
            .iter()
            .any(|s| s["text"].as_str().unwrap().contains(needle))
    };
    assert!(has(
        "waarbij Z.Exc. de heer Olivier Maes, Permanent Vertegenwoordiger"
    ));
    assert!(has(
        "pendant lequel S.E. M. Olivier Maes, Représentant permanent"
    ));
    assert!(has("ontwerpresolutie A/76/L.52"));
    assert!(has("projet de résolution A/76/L.52"));

    // The summary on stderr.
    assert!(
        stderr.contains("languages: nl (Dutch), fr (French)"),
        "{stderr}"
    );
    assert!(stderr.contains("page-break joins: nl 5, fr 5"), "{stderr}");
    assert!(stderr.contains("beads by shape (nl:fr): 1:1"), "{stderr}");
    assert_eq!(stderr.lines().count(), 5, "{stderr}");
}

#[test]
fn two_files_and_presegmented_input_give_the_same_documents() {
    let dir = tempfile::tempdir().unwrap();
    let woven = dir.path().join("woven");
    run_ok(&[
        reference().to_str().unwrap(),
        "--out",
        woven.to_str().unwrap(),
    ]);
    let pair = dir.path().join("pair");
    let (nl_md, fr_md) = (woven.join("nl.md"), woven.join("fr.md"));
    run_ok(&[
        "--src",
        nl_md.to_str().unwrap(),
        "--tgt",
        fr_md.to_str().unwrap(),
        "--out",
        pair.to_str().unwrap(),
    ]);
    assert_eq!(read(&woven, "nl.md"), read(&pair, "nl.md"));
    assert_eq!(read(&woven, "fr.md"), read(&pair, "fr.md"));
    assert_eq!(read(&woven, "bitext.tsv"), read(&pair, "bitext.tsv"));

    // One sentence per line, as the woven run cut them.
    let sentences = jsonl(&woven, "sentences.jsonl");
    let side = |lang: &str| -> String {
        sentences
            .iter()
            .filter(|s| s["lang"] == lang)
            .map(|s| format!("{}\n", s["text"].as_str().unwrap()))
            .collect()
    };
    let (nl, fr) = (dir.path().join("nl.txt"), dir.path().join("fr.txt"));
    std::fs::write(&nl, side("nl")).unwrap();
    std::fs::write(&fr, side("fr")).unwrap();
    let pre = dir.path().join("pre");
    let stderr = run_ok(&[
        "--presegmented",
        "--src",
        nl.to_str().unwrap(),
        "--tgt",
        fr.to_str().unwrap(),
        "--out",
        pre.to_str().unwrap(),
    ]);
    assert!(stderr.contains("sentences: nl 118, fr 118"), "{stderr}");
    let texts = |dir: &Path| -> Vec<String> {
        jsonl(dir, "sentences.jsonl")
            .iter()
            .map(|s| s["text"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(texts(&woven), texts(&pre));
}

/// Runs diptych on `input` (written to a file named `name`) and checks the one-line error,
/// exit code 2 and an output folder left empty.
fn bad_input(name: &str, input: &[u8], expect: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, input).unwrap();
    let out_dir = dir.path().join("out");
    let out = diptych(&[
        "run",
        path.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert_one_line_error(&out, expect);
    assert_no_outputs(&out_dir);
}

fn assert_one_line_error(out: &Output, expect: &[&str]) {
    let stderr = String::from_utf8(out.stderr.clone()).unwrap();
    assert_eq!(out.status.code(), Some(2), "exit code 2: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.starts_with("diptych: error: "), "{stderr}");
    for part in expect {
        assert!(stderr.contains(part), "{stderr:?} should contain {part:?}");
    }
}

fn assert_no_outputs(dir: &Path) {
    let left: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.map(|e| e.unwrap().file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "nothing may be written: {left:?}");
}

#[test]
fn empty_input() {
    bad_input("empty.txt", b"\n  \n", &["empty.txt: the input is empty"]);
}

#[test]
fn binary_input() {
    bad_input(
        "scan.dat",
        b"Dit is\nLe texte\n\x00\x01\x02\xff\xfe",
        &["scan.dat:3: binary data, not text"],
    );
}

#[test]
fn a_truncated_pdf_is_named_as_such() {
    bad_input(
        "scan.pdf",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00\x01\x02",
        &["scan.pdf: not a readable PDF"],
    );
}

#[test]
fn invalid_utf8() {
    bad_input(
        "latin1.txt",
        b"Dit verslag geeft een overzicht.\nLe pr\xe9sent rapport.\n",
        &["latin1.txt:2: not valid UTF-8"],
    );
}

#[test]
fn one_language_only() {
    let nl = "Dit verslag geeft een overzicht van de Benelux-samenwerking op het gebied van het buitenlands beleid.\n\n\
              De ministers van Defensie van de Benelux zijn op 21 maart 2022 in Brussel bijeengekomen om te overleggen.\n\n\
              De drie ministers bespraken de situatie in Oekraïne en informeerden elkaar over hun inspanningen.\n";
    bad_input(
        "nl-only.txt",
        nl.as_bytes(),
        &["nl-only.txt: only one language found (nl)"],
    );
}

#[test]
fn three_languages() {
    let text = "Dit verslag geeft een overzicht van de Benelux-samenwerking op het gebied van het buitenlands beleid.\n\n\
                De ministers van Defensie van de Benelux zijn op 21 maart 2022 in Brussel bijeengekomen om te overleggen.\n\n\
                Le présent rapport donne un aperçu de la coopération Benelux dans le domaine de la politique étrangère.\n\n\
                Les ministres de la Défense du Benelux se sont rencontrés le 21 mars 2022 à Bruxelles pour se concerter.\n\n\
                Dieser Bericht gibt einen Überblick über die Zusammenarbeit der Benelux-Staaten in der Außenpolitik.\n\n\
                Die Verteidigungsminister der Benelux-Staaten sind am 21. März 2022 in Brüssel zusammengekommen.\n";
    bad_input(
        "three.txt",
        text.as_bytes(),
        &["three.txt: 3 languages found (nl, fr, de); choose two with --langs"],
    );
}

#[test]
fn missing_input() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out");
    let missing = dir.path().join("nowhere.txt");
    let out = diptych(&[
        "run",
        missing.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert_one_line_error(&out, &["nowhere.txt: No such file or directory"]);
    assert!(
        !out_dir.exists(),
        "no output folder is created for a failed run"
    );
}

#[test]
fn unwritable_output_folder() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("a-file");
    std::fs::write(&blocker, "not a folder").unwrap();
    let out_dir = blocker.join("out");
    let out = diptych(&[
        "run",
        reference().to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert_one_line_error(&out, &["cannot write the outputs to", "a-file/out"]);
    assert_eq!(std::fs::read_to_string(&blocker).unwrap(), "not a folder");
}

#[test]
fn unknown_flag_and_bad_language_code() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out");
    let out = diptych(&[
        "run",
        reference().to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
        "--colour",
    ]);
    assert_one_line_error(&out, &["unexpected argument '--colour'"]);
    let out = diptych(&[
        "run",
        reference().to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
        "--langs",
        "nl,french",
    ]);
    assert_one_line_error(&out, &["unknown language code \"french\""]);
    let out = diptych(&[
        "run",
        reference().to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
        "--langs",
        "nl,es",
    ]);
    assert_one_line_error(&out, &["cannot identify language es"]);
    assert!(!out_dir.exists());
}

/// Every output file gets the permissions of an ordinary file under the caller's umask
/// (0644 under 022, 0600 under 077), not the private mode of a temporary file.
#[cfg(unix)]
#[test]
fn outputs_have_ordinary_permissions_under_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = root().join("tests/data/en-fr");
    for (umask, mode) in [("022", 0o644), ("077", 0o600), ("002", 0o664)] {
        let out_dir = dir.path().join(format!("out-{umask}"));
        let status = Command::new("sh")
            .arg("-c")
            .arg(format!("umask {umask} && exec \"$0\" \"$@\""))
            .arg(env!("CARGO_BIN_EXE_diptych"))
            .args(["run", "--src"])
            .arg(data.join("en.md"))
            .arg("--tgt")
            .arg(data.join("fr.md"))
            .arg("--out")
            .arg(&out_dir)
            .output()
            .expect("sh runs diptych");
        assert!(status.status.success(), "{status:?}");
        let entries: Vec<_> = std::fs::read_dir(&out_dir).unwrap().collect();
        assert!(entries.len() >= 10, "{entries:?}");
        for entry in entries {
            let entry = entry.unwrap();
            let got = entry.metadata().unwrap().permissions().mode() & 0o777;
            assert_eq!(
                got,
                mode,
                "{} under umask {umask}: {got:o}",
                entry.file_name().to_string_lossy()
            );
        }
    }
}

/// Runs `diptych run INPUT --out DIR --max-input-mb MB` with the grammar programs left out.
fn run_with_ceiling(input: &Path, out_dir: &Path, mb: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_diptych"))
        .args([
            "run",
            input.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
        ])
        .args(["--max-input-mb", mb])
        .env("DIPTYCH_FROG", "/nonexistent")
        .env("DIPTYCH_GRAMMALECTE", "/nonexistent")
        .output()
        .expect("the diptych binary runs")
}

#[test]
fn an_input_over_the_ceiling_is_refused_until_the_ceiling_is_raised() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out");
    let size = std::fs::metadata(reference()).unwrap().len();
    assert!(size > 20_000, "the reference report is {size} bytes");
    let out = run_with_ceiling(&reference(), &out_dir, "0.02");
    assert_one_line_error(
        &out,
        &[
            "report.nl-fr.txt: the input is 0.039 MB, over the limit of 0.02 MB",
            "--max-input-mb",
        ],
    );
    assert_no_outputs(&out_dir);
    let pdf = root().join("examples/benelux-2022/report.nl-fr.pdf");
    let out = run_with_ceiling(&pdf, &out_dir, "0.1");
    assert_one_line_error(
        &out,
        &["report.nl-fr.pdf: the input is 0.148 MB, over the limit of 0.1 MB"],
    );
    assert_no_outputs(&out_dir);
    let out = run_with_ceiling(&reference(), &out_dir, "0");
    assert_one_line_error(
        &out,
        &["--max-input-mb must be a positive number of MB, got 0"],
    );
    let out = run_with_ceiling(&reference(), &out_dir, "0.05");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out_dir.join("bitext.jsonl").is_file());
}
