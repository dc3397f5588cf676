//! End-to-end tests of the activity record: `diptych run` on the reference report and on a
//! second report written for these tests (French first, a period across two years), each
//! against a golden `activities.jsonl` read by eye against the text, plus the facts that
//! matter asserted one by one. `BLESS=1 cargo test --test extract` rewrites the golden files
//! for review in the git diff.

use std::path::{Path, PathBuf};
use std::process::Command;

use diptych_core::model::Level;
use diptych_core::{Activity, Lang};

const REFERENCE: &str = "examples/benelux-2022/report.nl-fr.txt";
const REFERENCE_GOLDEN: &str = "tests/golden/benelux-2022/activities.jsonl";
const SECOND: &str = "tests/data/benelux-2024-fr-nl/report.fr-nl.txt";
const SECOND_GOLDEN: &str = "tests/data/benelux-2024-fr-nl/activities.expected.jsonl";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `diptych run INPUT --out TMP` and returns the run folder.
fn run(input: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let status = Command::new(env!("CARGO_BIN_EXE_diptych"))
        .args(["run", input, "--out", out.to_str().unwrap()])
        .current_dir(root())
        .output()
        .expect("the diptych binary runs");
    assert!(
        status.status.success(),
        "diptych run {input} failed: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    (dir, out)
}

/// Compares a produced file with its golden copy, or rewrites the copy under `BLESS=1`.
fn golden(produced: &Path, golden: &str) -> String {
    let text = std::fs::read_to_string(produced).unwrap();
    let path = root().join(golden);
    if std::env::var_os("BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &text).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap();
    for (i, (got, want)) in text.lines().zip(expected.lines()).enumerate() {
        assert_eq!(got, want, "{golden}: line {} differs", i + 1);
    }
    assert_eq!(text.lines().count(), expected.lines().count(), "{golden}");
    text
}

fn parse(jsonl: &str) -> Vec<Activity> {
    jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn names(list: &[diptych_core::model::Place]) -> Vec<&str> {
    list.iter().map(|p| p.name.as_str()).collect()
}

/// Bullet items of one language in a woven file: lines starting with `- ` or `• `.
fn bullet_items(input: &str) -> usize {
    std::fs::read_to_string(root().join(input))
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("- ") || l.starts_with("• "))
        .count()
}

#[test]
fn reference_report_gives_one_activity_per_bullet_item() {
    let (_dir, out) = run(REFERENCE);
    let acts = parse(&golden(&out.join("activities.jsonl"), REFERENCE_GOLDEN));
    // Every bullet item of both languages, paired: 24 per language.
    assert_eq!(acts.len() * 2, bullet_items(REFERENCE));
    assert!(acts.iter().all(|a| a.titles.len() == 2));

    let top = &acts[0];
    assert_eq!(top.titles[&Lang::NL], "Benelux-Top");
    assert_eq!(top.titles[&Lang::FR], "Sommet Benelux");
    assert_eq!(top.level, Level::HeadsOfGovernment);
    assert_eq!(
        top.dates,
        ["2022-11-28"],
        "`28 november`, year from the period"
    );
    assert_eq!(names(&top.places), ["Bourglinster"]);
    // Partners took part (`en présence du ministre-président du Land de ...`); Ukraine was
    // only discussed (`soutien à l'Ukraine`): a topic.
    assert_eq!(
        names(&top.partners),
        ["Greater Region", "North Rhine-Westphalia", "Grand Est"]
    );
    assert_eq!(names(&top.topics), ["Ukraine"]);
    assert_eq!(top.people, ["Hendrik Wüst", "Jean Rottner"]);

    let nato = &acts[3];
    assert_eq!(nato.level, Level::Ministerial);
    assert_eq!(
        nato.dates,
        ["2022-04"],
        "`In april` / `En avril`: month only"
    );
    assert!(names(&nato.partners).contains(&"Baltic states"));

    let hague = &acts[18];
    assert_eq!(hague.level, Level::SeniorOfficials);
    assert_eq!(hague.dates, ["2022-11-17"]);
    assert_eq!(hague.places[0].written[&Lang::NL], "Den Haag");
    assert_eq!(hague.places[0].written[&Lang::FR], "la Haye");

    let bosnia = &acts[23];
    assert_eq!(bosnia.people, ["Šefik Džaferović"]);
    assert_eq!(bosnia.dates, ["2022-05-25"]);
    assert_eq!(names(&bosnia.partners)[0], "Bosnia and Herzegovina");
    // `gevolgen voor ... de Westelijke Balkan`: discussed, not met.
    assert!(names(&bosnia.topics).contains(&"Western Balkans"));
    assert!(!names(&bosnia.partners).contains(&"Russia"));

    // The report's own countries (named in its title) are never partners.
    for a in &acts {
        for p in &a.partners {
            assert!(
                !["Benelux", "Belgium", "Netherlands", "Luxembourg"].contains(&p.name.as_str()),
                "{} in {:?}",
                p.name,
                a.titles
            );
        }
    }
}

#[test]
fn activities_csv_has_a_row_per_activity() {
    let (_dir, out) = run(REFERENCE);
    let csv = std::fs::read_to_string(out.join("activities.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "title_nl,title_fr,section_nl,section_fr,level,dates,places,partners,topics,people,blocks"
    );
    assert_eq!(lines.count(), 24);
    assert!(csv.contains(",heads_of_government,2022-11-28,Bourglinster,"));
    assert!(csv.contains("nl-b9; nl-b10; fr-b9; fr-b10"));
}

#[test]
fn second_report_french_first_gives_the_right_records() {
    let (_dir, out) = run(SECOND);
    let acts = parse(&golden(&out.join("activities.jsonl"), SECOND_GOLDEN));
    assert_eq!(acts.len() * 2, bullet_items(SECOND));
    assert!(
        acts[0].blocks[0].starts_with("fr-"),
        "French is the source side"
    );

    let expected: [(&str, Level, &[&str], &[&str]); 8] = [
        (
            "Sommet Benelux au château de Senningen",
            Level::HeadsOfGovernment,
            &["2023-11-14"],
            &["Senningen"],
        ),
        (
            "Réunion des ministres des Affaires étrangères avec les pays des Balkans occidentaux",
            Level::Ministerial,
            &["2024-03-05"],
            &["Skopje"],
        ),
        (
            "Concertation en marge du Conseil Affaires étrangères",
            Level::Ministerial,
            &["2023-10"],
            &["Luxembourg City"],
        ),
        (
            "Réunion des directeurs politiques à Esch-Belval",
            Level::SeniorOfficials,
            &["2024-01-09"],
            &["Esch-Belval"],
        ),
        (
            "Benelux – pays nordiques",
            Level::Ministerial,
            &["2024-04-22"],
            &["Copenhagen"],
        ),
        (
            "Déclaration commune au Conseil des droits de l'homme",
            Level::SeniorOfficials,
            &["2023-10-02"],
            &["Geneva"],
        ),
        (
            "Intervention Benelux lors du débat public du Conseil de sécurité",
            Level::Other,
            &["2024-06"],
            &["New York"],
        ),
        (
            "Visite des ministres de la Défense à Vilnius",
            Level::Ministerial,
            &["2024-02-28"],
            &["Vilnius"],
        ),
    ];
    assert_eq!(acts.len(), expected.len());
    for (a, (title, level, dates, places)) in acts.iter().zip(expected) {
        assert_eq!(a.titles[&Lang::FR], title);
        assert_eq!(a.level, level, "{title}");
        assert_eq!(a.dates, dates, "{title}");
        assert_eq!(names(&a.places), places, "{title}");
    }
    // Esch-Belval is not in the gazetteer: kept as written in both languages.
    let esch = &acts[3].places[0];
    assert!(!esch.in_gazetteer);
    assert_eq!(esch.kind, "unknown");
    assert_eq!(esch.written.len(), 2);
    assert_eq!(names(&acts[1].partners), ["Western Balkans"]);
    assert_eq!(names(&acts[4].partners), ["Nordic countries"]);
    assert_eq!(names(&acts[0].topics), ["Ukraine"]);
    assert_eq!(acts[0].people, ["Hendrik Wüst"]);
    assert_eq!(acts[5].people, ["Anna Dekker"]);
}
