//! End-to-end tests of `diptych run` on many documents: a batch over the project's own
//! documents with a corrupt and an unreadable file, the re-run that skips what is done, a
//! changed input and --force, a manifest (names, years, languages) merged by `index add`, and
//! shards that split the list without overlap.
//!
//! The grammar programs are switched off (`DIPTYCH_FROG`, `DIPTYCH_GRAMMALECTE` pointing
//! nowhere): they are not what these tests are about, and they would make them slow.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn diptych(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_diptych"))
        .args(args)
        .env("DIPTYCH_FROG", "/nonexistent/frog")
        .env("DIPTYCH_GRAMMALECTE", "/nonexistent/grammalecte-cli")
        .output()
        .expect("the diptych binary runs")
}

/// Runs `diptych run ARGS`; returns the exit code and stderr.
fn run(args: &[&str]) -> (Option<i32>, String) {
    let out = diptych(&[&["run"], args].concat());
    assert!(out.stdout.is_empty(), "a batch writes nothing on stdout");
    (out.status.code(), String::from_utf8(out.stderr).unwrap())
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Each run folder's `run.json`, by folder name.
fn manifests(out: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("run.json").is_file())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(p.join("run.json")).unwrap())
        })
        .collect()
}

/// The number in `N word` of the summary line `documents: N done, N skipped ..., N failed`.
fn count(stderr: &str, word: &str) -> usize {
    let line = stderr
        .lines()
        .find(|l| l.starts_with("documents: "))
        .unwrap_or_else(|| panic!("no summary in:\n{stderr}"));
    let before = line
        .split(',')
        .find(|part| part.contains(word))
        .unwrap_or_else(|| panic!("no {word} in {line}"));
    before
        .split_whitespace()
        .rev()
        .find_map(|w| w.parse().ok())
        .or_else(|| before.split_whitespace().find_map(|w| w.parse().ok()))
        .unwrap_or_else(|| panic!("no count of {word} in {line}"))
}

/// A folder with a corrupt PDF and an unreadable text: a file the caller may not read, or,
/// when running as root (who reads anyway), a link that leads nowhere.
fn bad_inputs(dir: &Path) -> PathBuf {
    let bad = dir.join("bad");
    std::fs::create_dir_all(&bad).unwrap();
    std::fs::write(
        bad.join("corrupt.pdf"),
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog",
    )
    .unwrap();
    let unreadable = bad.join("unreadable.txt");
    std::fs::write(&unreadable, "Dit is tekst.\n\nCeci est du texte.\n").unwrap();
    make_unreadable(&unreadable);
    bad
}

#[cfg(unix)]
fn make_unreadable(file: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(file).is_ok() {
        // Root reads a file of mode 000: a dangling link is unreadable for everyone.
        std::fs::remove_file(file).unwrap();
        std::os::unix::fs::symlink(file.with_extension("gone"), file).unwrap();
    }
}

#[test]
fn a_batch_does_the_good_documents_names_the_bad_ones_and_skips_them_next_time() {
    let dir = tempfile::tempdir().unwrap();
    let bad = bad_inputs(dir.path());
    let out = dir.path().join("out");
    // The project's documents: a folder (searched: the reference as woven text and as PDF),
    // two pairs, a woven text and a PDF (the other PDF fixtures are the same texts laid out
    // otherwise, and slow in a debug build).
    let inputs = [
        "examples",
        "tests/data/en-fr",
        "tests/data/en-fr-misaligned",
        "tests/data/benelux-2024-fr-nl",
        "tests/data/pdf/en-fr.fr-en.columns.a4.pdf",
    ]
    .map(|p| root().join(p));
    let mut args: Vec<&str> = inputs.iter().map(|p| path(p)).collect();
    args.extend([path(&bad), "--out", path(&out)]);

    let (code, stderr) = run(&args);
    assert_eq!(code, Some(1), "some failed:\n{stderr}");
    assert_eq!(count(&stderr, "failed"), 2, "{stderr}");
    for bad in ["corrupt", "unreadable"] {
        assert!(
            stderr
                .lines()
                .any(|l| l.starts_with(&format!("failed: {bad} ("))),
            "{bad} named in the summary:\n{stderr}"
        );
    }
    assert!(stderr.contains("not a readable PDF"), "{stderr}");
    let first = manifests(&out);
    let done = count(&stderr, "done");
    assert_eq!(first.len(), done, "{stderr}");
    // `examples/benelux-2022/` holds the reference as woven text and as PDF: one stem, so
    // the folder's name is added and the second gets `-2`.
    for name in [
        "benelux-2022-report.nl-fr",
        "benelux-2022-report.nl-fr-2",
        "report.fr-nl",
        "en-fr",
        "en-fr-misaligned",
    ] {
        let manifest = first
            .get(name)
            .unwrap_or_else(|| panic!("{name} done: {:?}", first.keys()));
        assert!(manifest.contains("\"input_sha256\""), "{manifest}");
    }
    assert!(
        first.contains_key("en-fr.fr-en.columns.a4"),
        "{:?}",
        first.keys()
    );
    assert_eq!(done, 6, "{stderr}");

    let (code, stderr) = run(&args);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(count(&stderr, "done"), 0, "{stderr}");
    assert_eq!(count(&stderr, "skipped"), done, "{stderr}");
    assert_eq!(manifests(&out), first, "skipped folders are left alone");
}

/// A small batch: the project's en/fr pair and woven report under names of their own.
fn small_corpus(dir: &Path) -> PathBuf {
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(corpus.join("pair")).unwrap();
    for lang in ["en", "fr"] {
        let text = std::fs::read(root().join(format!("tests/data/en-fr/{lang}.md"))).unwrap();
        std::fs::write(corpus.join(format!("pair/{lang}.md")), text).unwrap();
    }
    let woven = std::fs::read(root().join("tests/data/benelux-2024-fr-nl/report.fr-nl.txt"));
    std::fs::write(corpus.join("benelux-2024.txt"), woven.unwrap()).unwrap();
    corpus
}

#[test]
fn a_changed_input_is_redone_and_force_redoes_everything() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = small_corpus(dir.path());
    let out = dir.path().join("out");
    let args = [path(&corpus), "--out", path(&out), "--jobs", "2"];
    let (code, stderr) = run(&args);
    assert_eq!((code, count(&stderr, "done")), (Some(0), 2), "{stderr}");

    let en = corpus.join("pair/en.md");
    let mut text = std::fs::read_to_string(&en).unwrap();
    text.push_str("\nOne more sentence at the end.\n");
    std::fs::write(&en, text).unwrap();
    let (code, stderr) = run(&args);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        (count(&stderr, "done"), count(&stderr, "skipped")),
        (1, 1),
        "{stderr}"
    );
    assert!(stderr.contains("done pair:"), "{stderr}");

    let (_, stderr) = run(&args);
    assert_eq!(
        (count(&stderr, "done"), count(&stderr, "skipped")),
        (0, 2),
        "{stderr}"
    );
    let (_, stderr) = run(&[&args[..], &["--force"]].concat());
    assert_eq!(count(&stderr, "done"), 2, "{stderr}");
    let (_, stderr) = run(&[&args[..], &["--typography"]].concat());
    assert_eq!(count(&stderr, "done"), 2, "other options redo: {stderr}");
}

#[test]
fn a_manifest_names_documents_and_index_add_merges_their_folders() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = small_corpus(dir.path());
    let list = corpus.join("list.jsonl");
    std::fs::write(
        &list,
        "{\"input\": \"benelux-2024.txt\", \"name\": \"benelux-2024\", \"year\": 2024, \"languages\": [\"fr\", \"nl\"]}\n\
         {\"src\": \"pair/fr.md\", \"tgt\": \"pair/en.md\", \"name\": \"guide\"}\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let (code, stderr) = run(&["--manifest", path(&list), "--out", path(&out)]);
    assert_eq!(code, Some(0), "{stderr}");
    let names: Vec<String> = manifests(&out).into_keys().collect();
    assert_eq!(names, ["benelux-2024", "guide"]);
    let guide = std::fs::read_to_string(out.join("guide/bitext.tsv")).unwrap();
    assert!(guide.starts_with("fr\ten\n"), "src first: {guide}");

    let archive = dir.path().join("a.sqlite");
    let folders = [out.join("benelux-2024"), out.join("guide")];
    let add = diptych(&[
        "index",
        "--archive",
        path(&archive),
        "add",
        path(&folders[0]),
        path(&folders[1]),
    ]);
    assert!(
        add.status.success(),
        "{}",
        String::from_utf8_lossy(&add.stderr)
    );
    let list = diptych(&["index", "--archive", path(&archive), "list", "--json"]);
    let docs: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    let year_of = |name: &str| {
        docs.as_array()
            .unwrap()
            .iter()
            .find(|d| d["name"] == name)
            .map(|d| d["year"].clone())
    };
    assert_eq!(year_of("benelux-2024"), Some(serde_json::json!(2024)));
    assert!(year_of("guide").is_some(), "{docs}");
}

#[test]
fn shards_split_the_batch_without_overlap() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = small_corpus(dir.path());
    std::fs::create_dir_all(corpus.join("misaligned")).unwrap();
    for lang in ["en", "fr"] {
        let from = root().join(format!("tests/data/en-fr-misaligned/{lang}.md"));
        std::fs::copy(from, corpus.join(format!("misaligned/{lang}.md"))).unwrap();
    }
    let out = dir.path().join("out");
    let mut seen = Vec::new();
    for shard in ["1/2", "2/2"] {
        let part = dir.path().join(shard.replace('/', "-of-"));
        let (code, stderr) = run(&[path(&corpus), "--out", path(&part), "--shard", shard]);
        assert_eq!(code, Some(0), "{stderr}");
        seen.extend(manifests(&part).into_keys());
    }
    seen.sort();
    assert_eq!(seen, ["benelux-2024", "misaligned", "pair"]);
    let (code, stderr) = run(&[path(&corpus), "--out", path(&out), "--shard", "3/2"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("not a shard I/N"), "{stderr}");
}

#[test]
fn a_batch_with_nothing_to_do_says_so() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("README.md"), "# Notes\n").unwrap();
    let out = dir.path().join("out");
    let (code, stderr) = run(&[path(dir.path()), "--out", path(&out)]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.starts_with("diptych: error: no documents found in "),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}
