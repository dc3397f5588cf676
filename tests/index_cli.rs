//! `diptych index`, `search`, `activities` end to end: run folders on disk, the binary, its
//! output and exit codes.

#[path = "../crates/index/tests/common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use diptych_core::{Activity, Bitext, Finding};

fn diptych(archive: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_diptych"))
        .args(args)
        .arg("--archive")
        .arg(archive)
        .env_remove("DIPTYCH_ARCHIVE")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn jsonl<T: serde::Serialize>(items: impl IntoIterator<Item = T>) -> String {
    items
        .into_iter()
        .map(|i| serde_json::to_string(&i).unwrap() + "\n")
        .collect()
}

/// Writes a run folder in the layout of `diptych run` (run.json, blocks.jsonl,
/// sentences.jsonl, bitext.jsonl) plus findings, activities and a review page.
fn write_run_dir(
    dir: &Path,
    bitext: &Bitext,
    findings: &[Finding],
    activities: &[Activity],
    report: bool,
) -> PathBuf {
    let out = dir.join(&bitext.name);
    std::fs::create_dir_all(&out).unwrap();
    let [a, b] = bitext.langs();
    let manifest = serde_json::json!({"format": "diptych-run", "version": 1, "name": bitext.name, "langs": [a, b], "block_beads": bitext.block_beads});
    std::fs::write(out.join("run.json"), manifest.to_string()).unwrap();
    let docs = [&bitext.src, &bitext.tgt];
    std::fs::write(
        out.join("blocks.jsonl"),
        jsonl(docs.iter().flat_map(|d| &d.blocks)),
    )
    .unwrap();
    std::fs::write(
        out.join("sentences.jsonl"),
        jsonl(docs.iter().flat_map(|d| &d.sentences)),
    )
    .unwrap();
    let beads = bitext.beads.iter().map(|bead| {
        let ids = |d: &diptych_core::Document, r: &std::ops::Range<usize>| d.sentences[r.clone()].iter().map(|s| s.id.clone()).collect::<Vec<_>>();
        let [x, y] = bitext.bead_texts(bead);
        serde_json::json!({a.as_str(): [x], b.as_str(): [y], "score": bead.score, "shape": bead.shape_label(),
            "ids": {a.as_str(): ids(&bitext.src, &bead.src), b.as_str(): ids(&bitext.tgt, &bead.tgt)}})
    });
    std::fs::write(out.join("bitext.jsonl"), jsonl(beads)).unwrap();
    if !findings.is_empty() {
        std::fs::write(out.join("findings.jsonl"), jsonl(findings)).unwrap();
    }
    if !activities.is_empty() {
        std::fs::write(out.join("activities.jsonl"), jsonl(activities)).unwrap();
    }
    if report {
        std::fs::write(out.join("report.html"), format!("<h1>{}</h1>", bitext.name)).unwrap();
    }
    out
}

fn archive_of_both() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let a = write_run_dir(
        dir.path(),
        &common::benelux_2022(),
        &common::benelux_2022_findings(),
        &common::benelux_2022_activities(),
        true,
    );
    let b = write_run_dir(
        dir.path(),
        &common::own_2021(),
        &[],
        &common::own_2021_activities(),
        false,
    );
    let archive = dir.path().join("archive.sqlite");
    let added = stdout(&diptych(
        &archive,
        &["index", "add", a.to_str().unwrap(), b.to_str().unwrap()],
    ));
    assert_eq!(
        added,
        "added benelux-2022 (13 beads, 1 findings, 2 activities, review page)\nadded own-report-2021 (7 beads, 0 findings, 1 activities)\n"
    );
    (dir, archive)
}

#[test]
fn add_list_search_both_languages_and_remove() {
    let (_dir, archive) = archive_of_both();
    let list = stdout(&diptych(&archive, &["index", "list"]));
    assert!(
        list.contains(
            "benelux-2022             2022 nl/fr     13        1          2  66e gemeenschappelijk"
        ),
        "{list}"
    );
    assert!(
        list.contains("own-report-2021          2021 nl/fr"),
        "{list}"
    );

    let nl = stdout(&diptych(&archive, &["search", "Oekraine"]));
    assert_eq!(
        nl.lines().collect::<Vec<_>>()[..4],
        [
            "1 hits, page 1 of 1",
            "",
            "benelux-2022 · nl-b6 · bead 6 · Ministerieel niveau · score 1.986",
            "  nl  In april ontmoetten de ministers hun Baltische ambtsgenoten in marge van de ministeriële vergadering van de NAVO om van gedachten te wisselen over de situatie in [Oekraïne] en om de impact van het EU-beleid op de grensgebieden te beoordelen.",
        ]
    );
    assert!(nl
        .lines()
        .nth(4)
        .unwrap()
        .starts_with("  fr  En avril, les ministres"));

    let fr = stdout(&diptych(
        &archive,
        &["search", "\"Conseil Affaires\"", "--lang", "fr", "--json"],
    ));
    let page: serde_json::Value = serde_json::from_str(&fr).unwrap();
    assert_eq!(page["total"], 3);
    assert!(page["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["counterpart"]
            .as_str()
            .unwrap()
            .contains("Raad Buitenlandse Zaken")));

    let group = stdout(&diptych(&archive, &["search", "NAVO", "--group"]));
    assert!(
        group.starts_with("nl -> fr (5 beads)\n      5×  OTAN\n"),
        "{group}"
    );

    stdout(&diptych(&archive, &["index", "remove", "own-report-2021"]));
    let list = stdout(&diptych(&archive, &["index", "list", "--json"]));
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&list)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn activities_as_table_and_csv() {
    let (_dir, archive) = archive_of_both();
    let csv = stdout(&diptych(
        &archive,
        &[
            "activities",
            "--partner",
            "Baltic states",
            "--from",
            "2020",
            "--to",
            "2022",
            "--level",
            "ministerial",
            "--csv",
        ],
    ));
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "document,dates,level,title_src,title_tgt,partners,topics,places,people"
    );
    assert_eq!(lines.len(), 4, "{csv}");
    assert!(lines[1].starts_with("own-report-2021,2021-10,ministerial,"));
    assert_eq!(lines[3], "benelux-2022,2022-06-27,ministerial,Réunion des Ministres de l'Énergie Benelux avec les États baltes,Bijeenkomst van de Benelux-ministers van Energie met de Baltische Staten,Baltic states,,Luxembourg,Claude Turmes");
    let table = stdout(&diptych(
        &archive,
        &["activities", "--partner", "baltes", "--from", "2022"],
    ));
    assert!(
        table.contains("2022-04    ministerial         benelux-2022"),
        "{table}"
    );
}

#[test]
fn bad_queries_and_bad_files_give_one_line_errors() {
    let (dir, archive) = archive_of_both();
    for (args, needle) in [
        (vec!["search", "\"\""], "has no letters or digits"),
        (vec!["search", "ab", "--substring"], "at least 3 characters"),
        (vec!["search", "NAVO", "--level", "royal"], "unknown level"),
        (
            vec!["search", "NAVO", "--limit", "0"],
            "limit must be between",
        ),
        (vec!["activities", "--from", "yesterday"], "bad date"),
        (
            vec!["index", "remove", "nope"],
            "no document named \"nope\"",
        ),
    ] {
        let o = diptych(&archive, &args);
        let err = String::from_utf8(o.stderr).unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(
            err.starts_with("diptych: error: ") && err.contains(needle) && err.lines().count() == 1,
            "{args:?}: {err}"
        );
    }
    for q in ["\"NAVO", "NEAR(NAVO, OTAN)", "NAVO AND OR", "*", "NAVO*"] {
        let o = diptych(&archive, &["search", q]);
        assert!(
            o.status.code() == Some(0) || o.status.code() == Some(2),
            "{q}"
        );
        assert!(
            !String::from_utf8_lossy(&o.stderr).contains("panicked"),
            "{q}"
        );
    }
    let text = dir.path().join("notes.txt");
    std::fs::write(
        &text,
        "Dit is geen archief maar een tekstbestand met genoeg tekens voor een kop.",
    )
    .unwrap();
    let o = diptych(&text, &["index", "list"]);
    let err = String::from_utf8(o.stderr).unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(err.contains("notes.txt: not a diptych archive"), "{err}");
    let missing = dir.path().join("missing.sqlite");
    let o = diptych(&missing, &["search", "NAVO"]);
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(err.contains("missing.sqlite: no such archive"), "{err}");
    assert!(!missing.exists(), "a search never creates an archive");
    let not_a_run = dir.path().join("empty-run");
    std::fs::create_dir(&not_a_run).unwrap();
    let o = diptych(&archive, &["index", "add", not_a_run.to_str().unwrap()]);
    assert!(String::from_utf8(o.stderr).unwrap().contains("run.json"));
}

#[test]
fn sigkill_during_index_add_leaves_the_archive_valid() {
    let dir = tempfile::tempdir().unwrap();
    let small = write_run_dir(dir.path(), &common::benelux_2022(), &[], &[], false);
    let mut big = common::benelux_2022();
    big.name = "big".into();
    let one = big.clone();
    for _ in 1..300 {
        let (ns, nt, nb) = (
            big.src.sentences.len(),
            big.tgt.sentences.len(),
            big.src.blocks.len(),
        );
        for (doc, add) in [(&mut big.src, &one.src), (&mut big.tgt, &one.tgt)] {
            let n = doc.sentences.len();
            doc.blocks.extend(add.blocks.iter().cloned());
            doc.sentences
                .extend(add.sentences.iter().enumerate().map(|(i, s)| {
                    let mut s = s.clone();
                    s.block_index += nb;
                    s.id = format!("{}-s{}", s.lang, n + i);
                    s
                }));
        }
        big.beads.extend(one.beads.iter().map(|b| {
            diptych_core::Bead::new(
                b.src.start + ns..b.src.end + ns,
                b.tgt.start + nt..b.tgt.end + nt,
                b.score,
            )
        }));
    }
    let big_dir = write_run_dir(dir.path(), &big, &[], &[], false);
    let archive = dir.path().join("crash.sqlite");
    stdout(&diptych(
        &archive,
        &["index", "add", small.to_str().unwrap()],
    ));
    for delay_ms in [5, 40, 150, 600] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_diptych"))
            .args(["index", "add", big_dir.to_str().unwrap(), "--archive"])
            .arg(&archive)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let list = stdout(&diptych(&archive, &["index", "list", "--json"]));
        let docs: serde_json::Value = serde_json::from_str(&list).unwrap();
        assert_eq!(docs[0]["name"], "benelux-2022");
        assert_eq!(docs[0]["beads"], 13);
        if let Some(big_doc) = docs.get(1) {
            assert_eq!(big_doc["beads"], big.beads.len(), "whole or not at all");
        }
        let hits = stdout(&diptych(&archive, &["search", "Oekraine", "--json"]));
        let total = serde_json::from_str::<serde_json::Value>(&hits).unwrap()["total"]
            .as_u64()
            .unwrap();
        assert_eq!(total, if docs.get(1).is_some() { 301 } else { 1 });
    }
    let a = diptych_index::Archive::open(&archive).unwrap();
    a.check_integrity().unwrap();
}

/// The test PostgreSQL server (`scripts/setup` starts it; `$DIPTYCH_TEST_POSTGRES` overrides).
fn postgres_url() -> String {
    std::env::var("DIPTYCH_TEST_POSTGRES")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "postgres://diptych:diptych@127.0.0.1:5432/diptych".into())
}

/// Runs one SQL statement with `psql` on the test server; false when the server (or psql) is
/// not there.
fn psql(sql: &str) -> bool {
    Command::new("psql")
        .args([&postgres_url(), "-qtA", "-v", "ON_ERROR_STOP=1", "-c", sql])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// A schema of its own on the test server, dropped at the end; `None` (after a note) when the
/// server does not answer, except under `CI`, where that fails the test.
struct PgSchema(String);

impl PgSchema {
    fn create() -> Option<PgSchema> {
        let name = format!("diptych_cli_{}", std::process::id());
        if psql(&format!(
            "DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name}"
        )) {
            return Some(PgSchema(name));
        }
        assert!(
            std::env::var_os("CI").is_none(),
            "PostgreSQL at {} does not answer under CI (scripts/setup starts it)",
            postgres_url()
        );
        eprintln!(
            "note: skipping the PostgreSQL CLI test: no server at {}",
            postgres_url()
        );
        None
    }

    fn url(&self) -> PathBuf {
        PathBuf::from(format!(
            "{}?options=-csearch_path%3D{},public",
            postgres_url(),
            self.0
        ))
    }
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        psql(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.0));
    }
}

/// Four `diptych index add` processes at once into one new PostgreSQL archive, then the same
/// list, search, grouping and activities as the same runs give on SQLite.
#[test]
fn postgres_archive_from_four_processes_answers_like_sqlite() {
    let Some(schema) = PgSchema::create() else {
        return;
    };
    let url = schema.url();
    let dir = tempfile::tempdir().unwrap();
    let mut runs: Vec<PathBuf> = (0..4)
        .map(|i| {
            let doc = common::repeated(&common::benelux_2022(), &format!("copy-{i}"), 3);
            write_run_dir(
                dir.path(),
                &doc,
                &[],
                &common::benelux_2022_activities(),
                false,
            )
        })
        .collect();
    runs.push(write_run_dir(
        dir.path(),
        &common::own_2021(),
        &[],
        &common::own_2021_activities(),
        false,
    ));
    let adders: Vec<_> = (0..4)
        .map(|i| {
            // Each adds its own copy and the shared second report.
            Command::new(env!("CARGO_BIN_EXE_diptych"))
                .args(["index", "add"])
                .arg(&runs[i])
                .arg(&runs[4])
                .arg("--archive")
                .arg(&url)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for adder in adders {
        let out = adder.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let sqlite = dir.path().join("same.sqlite");
    for run in &runs {
        stdout(&diptych(&sqlite, &["index", "add", run.to_str().unwrap()]));
    }
    let same = |args: &[&str]| {
        let on_postgres = stdout(&diptych(&url, args));
        assert_eq!(on_postgres, stdout(&diptych(&sqlite, args)), "{args:?}");
        on_postgres
    };
    let list = same(&["index", "list"]);
    assert_eq!(list.lines().count(), 1 + 5, "{list}");
    same(&["search", "NAVO", "--group"]);
    same(&["search", "Baltische staten", "--group", "--year", "2022"]);
    same(&["activities", "--partner", "baltes", "--csv"]);
    let count = |args: &[&str]| {
        let page: serde_json::Value = serde_json::from_str(&stdout(&diptych(&url, args))).unwrap();
        page["total"].as_u64().unwrap()
    };
    assert_eq!(count(&["search", "Oekraine", "--json"]), 4 * 3);
    assert_eq!(
        count(&["search", "landse", "--substring", "--json"]),
        count_sqlite(&sqlite)
    );
    stdout(&diptych(&url, &["index", "remove", "own-report-2021"]));
    assert_eq!(
        stdout(&diptych(&url, &["index", "list"])).lines().count(),
        1 + 4
    );
}

fn count_sqlite(archive: &Path) -> u64 {
    let out = stdout(&diptych(
        archive,
        &["search", "landse", "--substring", "--json"],
    ));
    serde_json::from_str::<serde_json::Value>(&out).unwrap()["total"]
        .as_u64()
        .unwrap()
}
