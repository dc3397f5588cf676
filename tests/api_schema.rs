//! Property-based tests of the HTTP APIs against their OpenAPI descriptions: Schemathesis
//! (PyPI `schemathesis`, installed by `scripts/setup`) generates requests from
//! `/api/openapi.json` of a running `diptych serve` (the reference report in an archive) and
//! of a running `diptych review` (the reference's run folder), valid and invalid ones, and
//! checks every answer: no 5xx, a status the description lists, its content type and its
//! body's schema. Fixed seed, a bounded number of examples per operation and a time budget
//! per server keep it under two minutes. Without Schemathesis the test is skipped with a note;
//! under `CI` it fails.

use std::path::Path;
use std::process::Command;

use diptych_testkit::{in_ci, reference_archive, which, ServerProcess};

/// The checks run on every answer.
const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance";

/// The Schemathesis command line program, or `None` after a note (a panic under `CI`).
fn schemathesis() -> Option<std::path::PathBuf> {
    let found = which("schemathesis");
    if found.is_none() {
        let message = "schemathesis not found (pip install schemathesis; scripts/setup does it)";
        assert!(!in_ci(), "{message}");
        eprintln!("skipped: {message}");
    }
    found
}

/// Runs Schemathesis against the description served at `base/api/openapi.json`, in `work`
/// (where it keeps its example database); panics with its report unless every check passed.
fn run_schemathesis(program: &Path, base: &str, work: &Path, budget_s: u32) {
    let output = Command::new(program)
        .current_dir(work)
        .args(["run", &format!("{base}/api/openapi.json")])
        .args(["--checks", CHECKS])
        .args(["--max-examples", "25", "--seed", "1", "--workers", "1"])
        .args(["--max-time", &budget_s.to_string()])
        .args(["--request-timeout", "10", "--wait-for-schema", "10"])
        .env("NO_COLOR", "1")
        .output()
        .expect("schemathesis runs");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    println!("{report}");
    assert!(
        output.status.success(),
        "schemathesis on {base} failed:\n{report}"
    );
    assert!(
        !report.contains("Unresolvable references"),
        "the description of {base} has references Schemathesis cannot resolve:\n{report}"
    );
}

#[test]
fn both_apis_answer_as_their_openapi_descriptions_say() {
    let Some(program) = schemathesis() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let binary = Path::new(env!("CARGO_BIN_EXE_diptych"));
    let (archive, run) = reference_archive(binary, dir.path()).unwrap();
    {
        let server = ServerProcess::serve(binary, &archive, &[]).unwrap();
        run_schemathesis(&program, &server.url, dir.path(), 45);
    }
    let review = ServerProcess::review(binary, &run).unwrap();
    run_schemathesis(&program, &review.url, dir.path(), 25);
}
