//! The review server over a real run folder, through real HTTP on loopback: stale versions
//! answer 409, bad requests 400 naming the field, and `edits.jsonl` always replays to what
//! the server shows.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};

use diptych_core::check::CheckOptions;
use diptych_core::edit::request::BeadsView;
use diptych_core::edit::run_dir;
use diptych_core::pipeline::{self, Input, RunOptions};
use diptych_server::review::{self, ReviewConfig, Session};
use serde_json::{json, Value};

/// The en/fr test report with a dropped sentence, a merged one and a wrong number.
fn data() -> PathBuf {
    std::env::var_os("DIPTYCH_REVIEW_DATA").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/en-fr-misaligned"),
        PathBuf::from,
    )
}

/// Runs the pipeline on the test report into a fresh folder.
fn run_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let input = Input::Pair {
        src: data().join("en.md"),
        tgt: data().join("fr.md"),
    };
    let bitext = pipeline::build_bitext(&input, &RunOptions::default()).unwrap();
    let analysis = pipeline::analyse(&bitext, &CheckOptions::standard());
    let out = analysis.into_output(bitext);
    pipeline::write_run_dir(&out, dir.path()).unwrap();
    dir
}

/// Serves `dir` as `diptych review` does, on a free loopback port.
fn start(dir: &Path) -> SocketAddr {
    let config = ReviewConfig {
        dir: dir.to_owned(),
        port: 0,
        user: "tester".into(),
    };
    let session = Session::open(dir, "tester").unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let (listener, addr) = review::bind(&config).await.unwrap();
            tx.send(addr).unwrap();
            review::serve(listener, session).await.unwrap();
        });
    });
    rx.recv().unwrap()
}

/// Sends one raw request; returns the status and the body.
fn request(addr: SocketAddr, raw: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    // The server may answer (413) and close before a large body is all sent.
    let _ = stream.write_all(raw.as_bytes());
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let response = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, body.to_owned())
}

fn get(addr: SocketAddr, path: &str) -> (u16, Value) {
    let (status, body) = request(
        addr,
        &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
    );
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

fn post_raw(addr: SocketAddr, body: &str, content_type: &str) -> (u16, Value) {
    let (status, body) = request(
        addr,
        &format!(
            "POST /api/edits HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    );
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

fn post(addr: SocketAddr, body: Value) -> (u16, Value) {
    post_raw(addr, &body.to_string(), "application/json")
}

fn view(addr: SocketAddr) -> BeadsView {
    let (status, body) = get(addr, "/api/beads");
    assert_eq!(status, 200);
    serde_json::from_value(body).unwrap()
}

fn log_lines(dir: &Path) -> usize {
    std::fs::read_to_string(dir.join("edits.jsonl")).map_or(0, |t| t.lines().count())
}

#[test]
fn two_clients_on_one_version_get_one_200_and_one_409() {
    let dir = run_folder();
    let addr = start(dir.path());
    let first = view(addr);
    assert_eq!(first.version, 0);
    let n = first.total;

    // Two tabs saw version 0; the first edit wins, the second is told the new version.
    let (a, body_a) = post(addr, json!({"op": "merge", "beads": [3, 4], "version": 0}));
    assert_eq!(a, 200, "{body_a}");
    let (b, body_b) = post(addr, json!({"op": "approve", "beads": [3], "version": 0}));
    assert_eq!(b, 409, "{body_b}");
    assert_eq!(body_b["version"], 1);
    assert_eq!(view(addr).total, n - 1);

    // Conflicting posts at the same moment: exactly one is applied.
    let answers: Vec<u16> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|k| {
                s.spawn(move || post(addr, json!({"op": "approve", "beads": [k], "version": 1})).0)
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(
        answers.iter().filter(|&&s| s == 200).count(),
        1,
        "{answers:?}"
    );
    assert_eq!(
        answers.iter().filter(|&&s| s == 409).count(),
        3,
        "{answers:?}"
    );

    // Edits without a version apply to whatever is current.
    let (s, _) = post(
        addr,
        json!({"op": "split", "bead": 3, "at": {"en": 1, "fr": 1}}),
    );
    assert_eq!(s, 200);
    let (s, body) = post(addr, json!({"op": "undo"}));
    assert_eq!(s, 200);
    assert_eq!(body["entry"]["op"], "undo");
    assert_eq!(body["entry"]["user"], "tester");

    // The log has one line per acknowledged edit and replays to what the server shows.
    let shown = view(addr);
    assert_eq!(shown.version, 4);
    assert_eq!(log_lines(dir.path()), 4);
    let replayed = run_dir::load(dir.path()).unwrap();
    assert!(replayed.stale().is_empty());
    assert_eq!(BeadsView::of(&replayed), shown);
    assert_eq!(shown.approved, 1);
    assert_eq!(shown.beads[3].shape, "2:2");
}

#[test]
fn bad_requests_answer_400_with_the_field_and_change_nothing() {
    let dir = run_folder();
    let addr = start(dir.path());
    let n = view(addr).total;
    let cases = [
        (json!({"op": "merge", "beads": [1]}), "beads"),
        (json!({"op": "merge", "beads": [1, 3]}), "beads"),
        (json!({"op": "merge", "beads": "1,2"}), "beads"),
        (
            json!({"op": "split", "bead": n, "at": {"en": 1, "fr": 0}}),
            "bead",
        ),
        (json!({"op": "split", "bead": 0, "at": {"en": 1}}), "at"),
        (
            json!({"op": "move", "bead": 0, "lang": "en", "to": "previous"}),
            "to",
        ),
        (
            json!({"op": "move", "bead": 1, "lang": "nl", "to": "next"}),
            "lang",
        ),
        (json!({"op": "dismiss", "finding": 0}), "reason"),
        (
            json!({"op": "dismiss", "finding": 99999, "reason": "x"}),
            "finding",
        ),
        (
            json!({"op": "approve", "beads": [0], "version": "zero"}),
            "version",
        ),
        (
            json!({"op": "approve", "beads": [0], "colour": "red"}),
            "colour",
        ),
        (json!({"op": "rotate"}), "op"),
        (json!({"op": "undo"}), "op"),
    ];
    for (body, field) in cases {
        let (status, answer) = post(addr, body.clone());
        assert_eq!(status, 400, "{body}: {answer}");
        assert_eq!(answer["field"], field, "{body}: {answer}");
        assert!(answer["error"].as_str().is_some_and(|e| !e.is_empty()));
    }
    let (status, answer) = post_raw(addr, "{\"op\":", "application/json");
    assert_eq!((status, answer["field"].as_str()), (400, Some("body")));
    let (status, _) = post_raw(addr, r#"{"op":"approve","beads":[0]}"#, "text/plain");
    assert_eq!(status, 415, "a form on another site cannot post JSON");
    let big = format!(
        r#"{{"op":"correct","lang":"en","sentence":0,"text":"{}"}}"#,
        "a".repeat(100_000)
    );
    assert_eq!(post(addr, serde_json::from_str(&big).unwrap()).0, 413);
    let (status, _) = request(
        addr,
        "GET /api/beads HTTP/1.1\r\nHost: evil.example:80\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status, 403, "a foreign Host is refused (DNS rebinding)");
    assert_eq!(get(addr, "/../run.json").0, 404);
    assert_eq!(log_lines(dir.path()), 0, "no refused edit is logged");
    assert_eq!(view(addr).version, 0);
}

#[test]
fn decisions_join_the_ignore_list_and_exports_carry_approvals() {
    let dir = run_folder();
    let addr = start(dir.path());
    let first = view(addr);
    let numbers = first
        .findings
        .iter()
        .find(|f| f.finding.check == "numbers")
        .expect("the wrong number is found");
    let (s, body) = post(
        addr,
        json!({"op": "dismiss", "finding": numbers.index, "reason": "checked: a typo in the source"}),
    );
    assert_eq!(s, 200, "{body}");
    let ignore = std::fs::read_to_string(dir.path().join(".diptych-ignore")).unwrap();
    assert!(ignore.contains(run_dir::IGNORE_MARK), "{ignore}");
    assert!(
        ignore.contains("# checked: a typo in the source\nnumbers: ^"),
        "{ignore}"
    );
    let list = diptych_core::check::IgnoreList::load(&dir.path().join(".diptych-ignore")).unwrap();
    assert!(
        list.matches(&numbers.finding),
        "the rule drops the dismissed finding"
    );
    let (s, _) = post(addr, json!({"op": "undo"}));
    assert_eq!(s, 200);
    let ignore = std::fs::read_to_string(dir.path().join(".diptych-ignore")).unwrap();
    assert!(
        !ignore.contains("numbers:"),
        "undo takes the rule back: {ignore}"
    );

    let (s, _) = post(addr, json!({"op": "approve", "beads": [0, 1]}));
    assert_eq!(s, 200);
    let review = run_dir::load(dir.path()).unwrap();
    assert_eq!(
        review
            .current()
            .approved_beads()
            .into_iter()
            .collect::<Vec<_>>(),
        [0, 1]
    );
}
