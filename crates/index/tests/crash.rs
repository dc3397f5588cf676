//! Killing the process (SIGKILL) in the middle of `add` leaves the archive readable and
//! consistent: the previous state, or the new document complete, never half of it.
//!
//! The test re-runs its own test binary as the child that adds documents in a loop, and kills
//! it at different moments.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use diptych_core::Bitext;
use diptych_index::{Archive, Query};

const CHILD_ENV: &str = "DIPTYCH_INDEX_CRASH_CHILD";

fn big_document(copies: usize) -> Bitext {
    common::repeated(&common::benelux_2022(), "big", copies)
}

/// The child: adds the big document again and again, saying when each add starts.
#[test]
fn crash_child() {
    let Some(path) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let mut archive = Archive::open(path).unwrap();
    let big = big_document(400);
    loop {
        println!("adding");
        archive.add(&big, &[], &[]).unwrap();
    }
}

#[test]
fn sigkill_during_add_leaves_the_previous_state() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crash.sqlite");
    let mut archive = Archive::open(&path).unwrap();
    archive.add(&common::benelux_2022(), &[], &[]).unwrap();
    let before = archive.list().unwrap();
    drop(archive);
    let big_beads = big_document(400).beads.len();

    for delay_ms in [0, 30, 120, 400, 900] {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "crash_child", "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let started = lines.find(|l| l.as_ref().is_ok_and(|l| l.contains("adding")));
        assert!(started.is_some(), "the child never started adding");
        std::thread::sleep(Duration::from_millis(delay_ms));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();

        let archive = Archive::open(&path).unwrap();
        archive.check_integrity().unwrap();
        let docs = archive.list().unwrap();
        assert_eq!(docs[0], before[0], "the document added before is untouched");
        match docs.get(1) {
            None => {}
            Some(big) => {
                assert_eq!(big.name, "big");
                assert_eq!(
                    big.beads, big_beads,
                    "a document is there whole or not at all"
                );
            }
        }
        let hits = archive.search(&Query::new("Oekraine")).unwrap().total;
        let expected = 1 + docs.get(1).map_or(0, |_| 400);
        assert_eq!(hits, expected, "the full-text index agrees with the tables");
    }
}
