//! Archives of older schema versions keep opening. `tests/data/archive-v1.sqlite` was written
//! by diptych's schema version 1 (the benelux-2022 and own-report-2021 test documents, with
//! findings, activities and one review page) and is never rewritten: each test upgrades a copy.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use diptych_index::schema::SCHEMA_VERSION;
use diptych_index::{ActivityFilter, Archive, Error, Query};

fn v1_copy(dir: &Path) -> PathBuf {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/archive-v1.sqlite");
    let copy = dir.join("old.sqlite");
    std::fs::copy(fixture, &copy).unwrap();
    copy
}

fn user_version(path: &Path) -> i64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

/// How many sentences the full-text table `table` matches for `expr`, asked directly.
fn matches_in(path: &Path, table: &str, expr: &str) -> usize {
    let conn = rusqlite::Connection::open(path).unwrap();
    let sql = format!("SELECT count(*) FROM {table} WHERE {table} MATCH ?1");
    let n: i64 = conn.query_row(&sql, [expr], |r| r.get(0)).unwrap();
    n as usize
}

/// Every table, index and trigger as SQLite stores its definition, by name.
fn schema_of(path: &Path) -> Vec<(String, Option<String>)> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT name, sql FROM sqlite_master ORDER BY name")
        .unwrap();
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    rows.collect::<rusqlite::Result<_>>().unwrap()
}

#[test]
fn a_version_1_archive_is_upgraded_in_place_and_answers_as_before() {
    let dir = tempfile::tempdir().unwrap();
    let path = v1_copy(dir.path());
    assert_eq!(user_version(&path), 1);
    let navo = matches_in(&path, "sentences_fts", "navo");
    let prefix = matches_in(&path, "sentences_fts", "energiedata*");
    let substring = matches_in(&path, "sentences_tri", "landse");
    assert!(navo > 0 && prefix > 0 && substring > 0);
    let e = Archive::open_read_only(&path).err().unwrap();
    assert!(matches!(e, Error::OlderSchema { found: 1, .. }), "{e}");
    assert!(e.to_string().contains("older"), "{e}");

    let archive = Archive::open(&path).unwrap();
    assert_eq!(user_version(&path), SCHEMA_VERSION);
    let docs = archive.list().unwrap();
    let summary: Vec<_> = docs
        .iter()
        .map(|d| {
            (
                d.name.as_str(),
                d.beads,
                d.findings,
                d.activities,
                d.has_report,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("benelux-2022", 13, 1, 2, false),
            (
                "own-report-2021",
                own_2021().beads.len(),
                0,
                own_2021_activities().len(),
                true
            )
        ]
    );
    assert_eq!(archive.search(&Query::new("NAVO")).unwrap().total, navo);
    assert_eq!(
        archive.search(&Query::new("energiedata*")).unwrap().total,
        prefix
    );
    let mut sub = Query::new("landse");
    sub.substring = true;
    assert_eq!(archive.search(&sub).unwrap().total, substring);
    assert_eq!(
        archive.group(&Query::new("NAVO")).unwrap()[0].renderings[0].text,
        "OTAN"
    );
    let baltic = ActivityFilter {
        partner: Some("Baltic states".into()),
        ..Default::default()
    };
    assert_eq!(archive.activities(&baltic, 10).unwrap().len(), 3);
    assert_eq!(
        archive.findings("benelux-2022").unwrap(),
        benelux_2022_findings()
    );
    archive.check_integrity().unwrap();
    drop(archive);
    // Upgraded for good: a read-only open now works, and the schema is a new archive's.
    drop(Archive::open_read_only(&path).unwrap());
    assert_eq!(schema_of(&path), schema_of_fresh(dir.path()));
}

fn schema_of_fresh(dir: &Path) -> Vec<(String, Option<String>)> {
    let fresh = dir.join("fresh.sqlite");
    drop(Archive::open(&fresh).unwrap());
    schema_of(&fresh)
}

#[test]
fn an_upgraded_archive_keeps_working_for_adds_and_removes() {
    let dir = tempfile::tempdir().unwrap();
    let path = v1_copy(dir.path());
    let mut archive = Archive::open(&path).unwrap();
    let mut shorter = benelux_2022();
    shorter.beads.truncate(3);
    archive.add(&shorter, &[], &[]).unwrap();
    assert_eq!(archive.search(&Query::new("Oekraine")).unwrap().total, 0);
    archive.remove("own-report-2021").unwrap();
    assert_eq!(archive.list().unwrap().len(), 1);
    assert_eq!(
        archive.search(&Query::new("ambtsgenoten")).unwrap().total,
        0
    );
    archive.check_integrity().unwrap();
}

#[test]
fn a_failed_upgrade_leaves_the_version_1_archive_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = v1_copy(dir.path());
    let navo = matches_in(&path, "sentences_fts", "navo");
    // An obstacle half-way through the migration: its second column already exists.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("ALTER TABLE documents ADD COLUMN n_findings INTEGER")
        .unwrap();
    drop(conn);
    let before = schema_of(&path);
    assert!(Archive::open(&path).is_err());
    assert_eq!(user_version(&path), 1);
    assert_eq!(
        schema_of(&path),
        before,
        "nothing of the migration was kept"
    );
    assert_eq!(
        matches_in(&path, "sentences_fts", "navo"),
        navo,
        "the version 1 index is still there"
    );
}

#[test]
fn two_processes_opening_an_old_archive_upgrade_it_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = v1_copy(dir.path());
    let openers: Vec<_> = (0..4)
        .map(|_| {
            let path = path.clone();
            std::thread::spawn(move || Archive::open(&path).map(|a| a.list().unwrap().len()))
        })
        .collect();
    for opener in openers {
        assert_eq!(opener.join().unwrap().unwrap(), 2);
    }
    assert_eq!(user_version(&path), SCHEMA_VERSION);
}
