//! The archive end to end on real input: the reference report and a second report of the
//! project's own (`crates/index/tests/data/`), each through `diptych run`, with the activities
//! the extract stage finds, then `index add`, `search` in both languages, grouping and
//! `activities`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn diptych(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_diptych"))
        .args(args)
        .env_remove("DIPTYCH_ARCHIVE")
        .output()
        .unwrap()
}

fn ok(o: Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

/// Runs the pipeline on `input` into `dir/name` and adds the activities found there.
fn run(dir: &Path, input: &str, name: &str) -> PathBuf {
    let out = dir.join(name);
    ok(diptych(&[
        "run",
        input,
        "--name",
        name,
        "--out",
        out.to_str().unwrap(),
    ]));
    let bitext = diptych_core::pipeline::load_run_dir(&out).unwrap();
    let activities = diptych_core::extract::activities(&bitext);
    let lines: String = activities
        .iter()
        .map(|a| serde_json::to_string(a).unwrap() + "\n")
        .collect();
    std::fs::write(out.join("activities.jsonl"), lines).unwrap();
    out
}

fn archive() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let a = run(
        dir.path(),
        "examples/benelux-2022/report.nl-fr.txt",
        "benelux-2022",
    );
    let b = run(
        dir.path(),
        "crates/index/tests/data/own-report-2021.nl-fr.txt",
        "own-report-2021",
    );
    let archive = dir
        .path()
        .join("archive.sqlite")
        .to_str()
        .unwrap()
        .to_owned();
    ok(diptych(&[
        "index",
        "add",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--archive",
        &archive,
    ]));
    (dir, archive)
}

fn search(archive: &str, args: &[&str]) -> Value {
    let mut all = vec!["search"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--json", "--archive", archive]);
    serde_json::from_str(&ok(diptych(&all))).unwrap()
}

fn marked(hit: &Value) -> Vec<String> {
    let text = hit["text"].as_str().unwrap();
    hit["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| text[s[0].as_u64().unwrap() as usize..s[1].as_u64().unwrap() as usize].to_owned())
        .collect()
}

#[test]
fn both_languages_with_counterparts_grouping_and_accents() {
    let (_dir, archive) = archive();
    let list: Value = serde_json::from_str(&ok(diptych(&[
        "index",
        "list",
        "--json",
        "--archive",
        &archive,
    ])))
    .unwrap();
    assert_eq!(list[0]["name"], "benelux-2022");
    assert_eq!(list[0]["year"], 2022);
    assert_eq!(list[1]["year"], 2021);

    let nl = search(&archive, &["NAVO", "--lang", "nl", "--limit", "50"]);
    let hits = nl["items"].as_array().unwrap();
    assert_eq!(nl["total"], 6, "5 in the reference, 1 in the second report");
    assert!(hits.iter().any(|h| h["document"] == "own-report-2021"));
    for hit in hits {
        assert_eq!(marked(hit), ["NAVO"]);
        assert!(
            hit["counterpart"].as_str().unwrap().contains("OTAN"),
            "{hit}"
        );
    }

    let fr = search(
        &archive,
        &["\"Conseil Affaires étrangères\"", "--lang", "fr"],
    );
    assert_eq!(fr["total"], 3, "{fr}");
    for hit in fr["items"].as_array().unwrap() {
        assert!(
            hit["counterpart"]
                .as_str()
                .unwrap()
                .contains("Raad Buitenlandse Zaken"),
            "{hit}"
        );
    }

    let groups: Value = serde_json::from_str(&ok(diptych(&[
        "search",
        "NAVO",
        "--group",
        "--json",
        "--archive",
        &archive,
    ])))
    .unwrap();
    assert_eq!(groups[0]["renderings"][0]["text"], "OTAN");
    assert_eq!(groups[0]["renderings"][0]["count"], 6);
    let council: Value = serde_json::from_str(&ok(diptych(&[
        "search",
        "\"Raad Buitenlandse Zaken\"",
        "--group",
        "--json",
        "--archive",
        &archive,
    ])))
    .unwrap();
    assert_eq!(
        council[0]["renderings"][0]["text"],
        "Conseil Affaires étrangères"
    );

    let accentless = search(&archive, &["Oekraine"]);
    assert!(accentless["total"].as_u64().unwrap() >= 10);
    for hit in accentless["items"].as_array().unwrap() {
        let marks = marked(hit);
        assert!(
            !marks.is_empty() && marks.iter().all(|m| m == "Oekraïne"),
            "{hit}"
        );
    }
    let reunion = search(&archive, &["reunion", "--doc", "own-report-2021"]);
    assert_eq!(reunion["total"], 1);
    assert_eq!(marked(&reunion["items"][0]), ["réunion"]);
    assert_eq!(
        reunion["items"][0]["counterpart"],
        "De vergadering vond plaats in het Europees Congrescentrum in Luxemburg."
    );
}

#[test]
fn activities_across_both_reports() {
    let (_dir, archive) = archive();
    let csv = ok(diptych(&[
        "activities",
        "--partner",
        "Baltic",
        "--csv",
        "--archive",
        &archive,
    ]));
    let docs: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert!(
        docs.contains(&"benelux-2022") && docs.contains(&"own-report-2021"),
        "{csv}"
    );
    let all = search(&archive, &["ministers", "--doc", "benelux-2022"])["total"]
        .as_u64()
        .unwrap();
    let ministerial = search(
        &archive,
        &[
            "ministers",
            "--doc",
            "benelux-2022",
            "--level",
            "ministerial",
        ],
    )["total"]
        .as_u64()
        .unwrap();
    let summit = search(
        &archive,
        &[
            "ministers",
            "--doc",
            "benelux-2022",
            "--level",
            "heads_of_government",
        ],
    )["total"]
        .as_u64()
        .unwrap();
    assert!(
        ministerial > 0 && ministerial + summit < all,
        "{ministerial} + {summit} of {all}"
    );
    let only_2021 = ok(diptych(&[
        "activities",
        "--partner",
        "Baltic",
        "--from",
        "2021",
        "--to",
        "2021",
        "--csv",
        "--archive",
        &archive,
    ]));
    assert!(
        only_2021
            .lines()
            .skip(1)
            .all(|l| l.starts_with("own-report-2021,2021-")),
        "{only_2021}"
    );
}
