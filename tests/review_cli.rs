//! `diptych review` as a process: an edit acknowledged before a SIGKILL is there after a
//! restart; `export` and a re-`run` see the edits.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::{json, Value};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn diptych(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_diptych"))
        .args(args)
        .output()
        .expect("the diptych binary runs")
}

/// `diptych run` on an en/fr pair into `out`; returns stderr.
fn run(fr_dir: &str, out: &Path) -> String {
    let out = diptych(&[
        "run",
        "--src",
        data("en-fr-misaligned/en.md").to_str().unwrap(),
        "--tgt",
        data(fr_dir).join("fr.md").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    stderr
}

/// Starts `diptych review DIR --port 0` and reads the address it prints.
fn review(dir: &Path) -> (Child, SocketAddr) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_diptych"))
        .args(["review", dir.to_str().unwrap(), "--user", "kill-test"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    (child, addr)
}

fn request(addr: SocketAddr, method: &str, path: &str, body: &str) -> Option<(u16, Value)> {
    let mut stream = TcpStream::connect(addr).ok()?;
    let raw = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(raw.as_bytes()).ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let (head, body) = response.split_once("\r\n\r\n")?;
    let status = head.split(' ').nth(1)?.parse().ok()?;
    Some((status, serde_json::from_str(body).unwrap_or(Value::Null)))
}

fn beads(addr: SocketAddr) -> Value {
    request(addr, "GET", "/api/beads", "")
        .expect("the server answers")
        .1
}

/// The i-th edit of the kill test: approve bead i % n on even rounds, unapprove on odd ones.
fn nth_edit(i: usize, n: usize) -> Value {
    let op = ["approve", "unapprove"][(i / n) % 2];
    json!({"op": op, "beads": [i % n]})
}

/// The approvals after the first `m` edits of [`nth_edit`].
fn approvals_after(m: usize, n: usize) -> Vec<bool> {
    let mut on = vec![false; n];
    for i in 0..m {
        on[i % n] = [true, false][(i / n) % 2];
    }
    on
}

#[test]
fn an_acknowledged_edit_survives_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    run("en-fr-misaligned", dir.path());
    let (mut child, addr) = review(dir.path());
    let n = beads(addr)["total"].as_u64().unwrap() as usize;
    let acknowledged = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let writer = {
        let acknowledged = acknowledged.clone();
        std::thread::spawn(move || {
            for i in 0..100_000 {
                match request(addr, "POST", "/api/edits", &nth_edit(i, n).to_string()) {
                    Some((200, _)) => {
                        acknowledged.store(i + 1, std::sync::atomic::Ordering::SeqCst)
                    }
                    _ => return,
                }
            }
        })
    };
    while acknowledged.load(std::sync::atomic::Ordering::SeqCst) < 30 {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL, in the middle of the writes
    child.wait().unwrap();
    writer.join().unwrap();
    let acked = acknowledged.load(std::sync::atomic::Ordering::SeqCst);

    let (mut child, addr) = review(dir.path());
    let view = beads(addr);
    child.kill().unwrap();
    child.wait().unwrap();
    let version = view["version"].as_u64().unwrap() as usize;
    // The edit in flight at the kill may or may not have reached the disk; none before it
    // may be missing.
    assert!(
        version == acked || version == acked + 1,
        "version {version}, {acked} acknowledged"
    );
    let approved: Vec<bool> = view["beads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["approved"].as_bool().unwrap())
        .collect();
    assert_eq!(approved, approvals_after(version, n));
}

#[test]
fn export_and_a_new_run_see_the_edits() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    run("en-fr-misaligned", dir.path());
    let (mut child, addr) = review(dir.path());
    let first = beads(addr);
    let total = first["total"].as_u64().unwrap();
    let post = |body: Value| request(addr, "POST", "/api/edits", &body.to_string()).unwrap();
    assert_eq!(post(json!({"op": "merge", "beads": [3, 4]})).0, 200);
    assert_eq!(post(json!({"op": "approve", "beads": [3, 5]})).0, 200);
    let fixed = post(
        json!({"op": "correct", "lang": "fr", "sentence": 0, "text": "Rapport commun (corrigé)"}),
    );
    assert_eq!(fixed.0, 200, "{}", fixed.1);
    child.kill().unwrap();
    child.wait().unwrap();

    let tmx = diptych(&["export", d, "--format", "tmx"]);
    assert!(tmx.status.success());
    let tmx = String::from_utf8(tmx.stdout).unwrap();
    assert_eq!(
        tmx.matches(r#"<prop type="x-status">approved</prop>"#)
            .count(),
        2,
        "{tmx}"
    );
    assert!(tmx.contains("<seg>Rapport commun (corrigé)</seg>"));
    assert!(tmx.contains(r#"<prop type="x-shape">2:2</prop>"#));
    let xliff = String::from_utf8(diptych(&["export", d, "--format", "xliff"]).stdout).unwrap();
    assert_eq!(xliff.matches(r#"<segment state="final">"#).count(), 2);
    let jsonl = String::from_utf8(diptych(&["export", d, "--format", "jsonl"]).stdout).unwrap();
    assert_eq!(
        jsonl.lines().count() as u64,
        total - 1,
        "one bead fewer after the merge"
    );

    // `check` reads the corrected bitext; its findings.jsonl keeps pointing at the aligned
    // beads, so the review still finds every edit.
    let check = diptych(&["check", d]);
    assert!(
        check.status.code().is_some_and(|c| c < 2),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let aligned = std::fs::read_to_string(dir.path().join("bitext.jsonl"))
        .unwrap()
        .lines()
        .count();
    for line in std::fs::read_to_string(dir.path().join("findings.jsonl"))
        .unwrap()
        .lines()
    {
        let f: Value = serde_json::from_str(line).unwrap();
        assert!(
            f["bead"].as_u64().is_none_or(|b| (b as usize) < aligned),
            "{line}"
        );
    }
    // `index add` stores the run as reviewed.
    let archive = dir.path().join("archive.sqlite");
    let added = diptych(&["index", "add", d, "--archive", archive.to_str().unwrap()]);
    let added = String::from_utf8_lossy(&added.stdout).into_owned();
    assert!(added.contains(&format!("({} beads", total - 1)), "{added}");

    // The same input again: every edit still applies.
    let again = run("en-fr-misaligned", dir.path());
    assert!(
        again.contains("review edits: 3 of 3 still apply"),
        "{again}"
    );
    // Another French text: the beads after the changed paragraphs moved; the edits on the
    // first beads keep, the text correction of the first sentence too.
    let other = run("en-fr", dir.path());
    assert!(other.contains("review edits:"), "{other}");
    let tmx = String::from_utf8(diptych(&["export", d, "--format", "tmx"]).stdout).unwrap();
    assert!(
        tmx.contains("<seg>Rapport commun (corrigé)</seg>"),
        "{other}"
    );
}
