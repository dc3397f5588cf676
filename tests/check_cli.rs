//! End-to-end tests of `diptych check` on the reference report: the findings a reviser gets,
//! the exit codes, the ignore file and the errors.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn diptych(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_diptych"))
        .args(args)
        .output()
        .expect("the diptych binary runs")
}

fn reference() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/benelux-2022/report.nl-fr.txt")
}

/// Runs `diptych run` on the reference report into a fresh folder.
fn run_reference() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = diptych(&[
        "run",
        reference().to_str().unwrap(),
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "run failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir
}

fn findings(dir: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(dir.join("findings.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON finding per line"))
        .collect()
}

/// One line per finding: severity, check, bead, message (the form the README shows).
fn listing(findings: &[serde_json::Value]) -> String {
    findings
        .iter()
        .map(|f| {
            format!(
                "{}\t{}\t{}\t{}\n",
                f["severity"].as_str().unwrap(),
                f["check"].as_str().unwrap(),
                f["bead"],
                f["message"].as_str().unwrap()
            )
        })
        .collect()
}

fn evidence_of(findings: &[serde_json::Value], check: &str) -> Vec<String> {
    findings
        .iter()
        .filter(|f| f["check"] == check)
        .flat_map(|f| {
            f["evidence"]
                .as_object()
                .unwrap()
                .values()
                .map(|v| v.as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Whether the grammar programs the reviewed list was made with are installed: missing fails
/// under `CI` and skips otherwise.
fn have_grammar_programs() -> bool {
    let missing: Vec<&str> = ["grammalecte-cli", "frog"]
        .into_iter()
        .filter(|p| {
            let path = std::env::var_os("PATH").unwrap_or_default();
            !std::env::split_paths(&path).any(|d| d.join(p).is_file())
        })
        .collect();
    if missing.is_empty() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{missing:?} required under CI (scripts/setup installs them)"
    );
    eprintln!("skipped: {missing:?} not installed");
    false
}

#[test]
fn reference_report_findings_match_the_reviewed_list() {
    if !have_grammar_programs() {
        return;
    }
    let dir = run_reference();
    let out = diptych(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "findings reach the default --fail-on info"
    );
    let found = findings(dir.path());

    // The defects the issue names are found ...
    let spelling = evidence_of(&found, "spelling");
    for typo in [
        "besprekkingen",
        "gevraalijker",
        "verschafft",
        "wreerdheden",
        "benadrukkten",
    ] {
        assert!(
            spelling.iter().any(|e| e == typo),
            "{typo} not reported: {spelling:?}"
        );
    }
    let consistency = evidence_of(&found, "consistency");
    assert!(
        consistency.iter().any(|e| e == "Grand Région"),
        "{consistency:?}"
    );
    assert!(found
        .iter()
        .any(|f| f["check"] == "expansion" && f["message"].as_str().unwrap().starts_with("PSDC")));
    // ... and the legitimate pairs and differently written dates are not.
    let all_evidence: Vec<String> = found
        .iter()
        .flat_map(|f| {
            f["evidence"]
                .as_object()
                .unwrap()
                .values()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    for legit in [
        "RBZ",
        "CAE",
        "NAVO",
        "OTAN",
        "AVVN",
        "AGNU",
        "PVC",
        "COPS",
        "december",
        "décembre",
    ] {
        assert!(
            !all_evidence.iter().any(|e| e.contains(legit)),
            "{legit} reported"
        );
    }
    assert!(
        !found.iter().any(|f| f["check"] == "dates"),
        "dates written differently are equal"
    );

    // Every finding has the fields of the issue, and evidence is exact text of its bead.
    for f in &found {
        for key in ["check", "severity", "bead", "message", "evidence"] {
            assert!(!f[key].is_null(), "{key} missing in {f}");
        }
    }

    // The whole list, as read and judged by hand (README, "Checks"); BLESS=1 rewrites it.
    let golden =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/check/benelux-2022.findings.tsv");
    let got = listing(&found);
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&golden, &got).unwrap();
    }
    let want = std::fs::read_to_string(&golden).unwrap();
    assert_eq!(got, want, "findings changed; review and rerun with BLESS=1");

    let page = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(
        page.contains("<mark data-f="),
        "highlights in the review page"
    );
}

#[test]
fn fail_on_ignore_file_and_only() {
    let dir = run_reference();
    let d = dir.path().to_str().unwrap();
    // All findings on the reference are warnings: --fail-on error passes.
    assert_eq!(
        diptych(&["check", d, "--fail-on", "error"]).status.code(),
        Some(0)
    );
    // The ignore file in DIR drops what it names.
    std::fs::write(
        dir.path().join(".diptych-ignore"),
        "# judged\nspelling: ^(hoogambtelijk|niet-gealloceerde)$\n",
    )
    .unwrap();
    let out = diptych(&["check", d, "--only", "spelling"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("(2 findings ignored by the ignore list)"),
        "{stdout}"
    );
    let spelling = evidence_of(&findings(dir.path()), "spelling");
    assert!(!spelling.iter().any(|e| e == "hoogambtelijk"));
    assert!(spelling.iter().any(|e| e == "besprekkingen"));
    // A severity override changes the exit code.
    let out = diptych(&[
        "check",
        d,
        "--only",
        "spelling",
        "--severity",
        "spelling=error",
        "--fail-on",
        "error",
    ]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_user_glossary_is_used_and_bad_input_is_one_line_exit_2() {
    let dir = run_reference();
    let d = dir.path().to_str().unwrap();
    let glossary = dir.path().join("extra.tsv");
    std::fs::write(
        &glossary,
        "id\tnl\tfr\nenergy-council\tEuropese Energieraad\tConseil européen de l'énergie\n",
    )
    .unwrap();
    let out = diptych(&[
        "check",
        d,
        "--only",
        "glossary",
        "--glossary",
        glossary.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    // With the Energy Council in the glossary only the PSDC finding is left.
    let messages: Vec<String> = findings(dir.path())
        .iter()
        .map(|f| f["message"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0].starts_with("PSDC (fr) has no counterpart"),
        "{messages:?}"
    );

    std::fs::write(&glossary, "id\tnl\tfr\nbroken\n").unwrap();
    for (args, want) in [
        (
            vec!["check", d, "--glossary", glossary.to_str().unwrap()],
            "extra.tsv:2: an entry needs an id",
        ),
        (
            vec!["check", "/nonexistent/run"],
            "/nonexistent/run: no such file or folder",
        ),
        (
            vec!["check", d, "--only", "speling"],
            "unknown check \"speling\"",
        ),
        (vec!["check", d, "--fail-on", "fatal"], "is not a severity"),
    ] {
        let out = diptych(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.starts_with("diptych: error: ") && err.contains(want),
            "{err}"
        );
    }
}

/// A translation memory made elsewhere goes through the same checks: the run's own TMX, read
/// back, gives the same findings as the run folder, written beside the memory by default.
#[test]
fn a_tmx_memory_is_checked_like_a_run_folder() {
    let run = run_reference();
    let from_run = listing(&findings(run.path()));
    let memory_dir = tempfile::tempdir().unwrap();
    let memory = memory_dir.path().join("benelux.tmx");
    std::fs::copy(run.path().join("memory.tmx"), &memory).unwrap();
    let out = diptych(&["check", memory.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "findings reach the default --fail-on info: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let from_memory = listing(&findings(&memory_dir.path().join("benelux.check")));
    assert_eq!(from_memory, from_run);

    let bad = memory_dir.path().join("bad.tmx");
    std::fs::write(
        &bad,
        "<tmx version=\"1.4\"><header/><body><tu><tuv xml:lang=\"nl\"><seg>a</seg></tuv>\n<tuv><seg>b</seg></tuv></tu></body></tmx>",
    )
    .unwrap();
    let out = diptych(&["check", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("bad.tmx:2:") && stderr.contains("xml:lang"),
        "{stderr}"
    );
}

/// The process ids whose environment holds `mark` and whose program is `name` (Linux `/proc`).
fn processes_marked(mark: &str, name: &str) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
            let environ = std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
            comm.trim() == name && environ.split(|&b| b == 0).any(|v| v == mark.as_bytes())
        })
        .collect()
}

/// Waits until `done` holds, up to `secs` seconds; whether it did.
fn wait_for(secs: u64, mut done: impl FnMut() -> bool) -> bool {
    let start = std::time::Instant::now();
    while start.elapsed() < std::time::Duration::from_secs(secs) {
        if done() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    done()
}

#[test]
fn a_killed_check_leaves_no_frog_behind() {
    if !have_grammar_programs() || !Path::new("/proc/self/environ").exists() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let memory = dir.path().join("short.tmx");
    std::fs::write(
        &memory,
        "<tmx version=\"1.4\"><header srclang=\"nl\"/><body>\n\
         <tu><tuv xml:lang=\"nl\"><seg>De ministers kwamen in Brussel bijeen.</seg></tuv>\
         <tuv xml:lang=\"fr\"><seg>Les ministres se sont réunis à Bruxelles.</seg></tuv></tu>\n\
         <tu><tuv xml:lang=\"nl\"><seg>Zij bespraken de nieuwe samenwerking.</seg></tuv>\
         <tuv xml:lang=\"fr\"><seg>Ils ont discuté de la nouvelle coopération.</seg></tuv></tu>\n\
         </body></tmx>",
    )
    .unwrap();
    // Frog's working folder goes into a temporary folder of this test's own.
    let scratch = dir.path().join("tmp");
    std::fs::create_dir(&scratch).unwrap();
    // A mark every process started by this diptych inherits, so its Frog can be found.
    let mark = format!("DIPTYCH_TEST_MARK=frog-orphan-{}", std::process::id());
    let (key, value) = mark.split_once('=').unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_diptych"))
        .args(["check", memory.to_str().unwrap()])
        .env_remove(diptych_testkit::frog::SERVER_ENV)
        .env(key, value)
        .env("TMPDIR", &scratch)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // diptych starts its own Frog server for this short document ...
    let started = wait_for(300, || !processes_marked(&mark, "frog").is_empty());
    let _ = child.kill();
    let _ = child.wait();
    assert!(started, "diptych check started no Frog server");
    // ... and, killed, leaves no Frog behind.
    let gone = wait_for(60, || processes_marked(&mark, "frog").is_empty());
    assert!(
        gone,
        "Frog outlived diptych: {:?}",
        processes_marked(&mark, "frog")
    );
}
