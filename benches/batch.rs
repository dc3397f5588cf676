//! A batch against separate processes: N documents (the project's woven reports, copied
//! under distinct names) run once as one `diptych run DIR` batch and once as N `diptych run
//! FILE` processes, the same number at a time as the batch has workers; then the re-run of
//! the batch, which skips every document, scaled to a hundred documents.
//!
//! `cargo bench --bench batch` (N = 100; `DIPTYCH_BENCH_DOCS=20` for fewer). The grammar
//! programs are off unless `DIPTYCH_BENCH_GRAMMAR=1`: they are separate processes started
//! per document either way, and they would hide what the batch saves.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn main() {
    let docs: usize = env_number("DIPTYCH_BENCH_DOCS", 100);
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let grammar = std::env::var_os("DIPTYCH_BENCH_GRAMMAR").is_some();
    let dir = tempfile::tempdir().expect("a temporary folder");
    let corpus = corpus(dir.path(), docs);
    println!(
        "batch bench: {docs} documents ({} KB), {workers} workers, grammar {}",
        folder_bytes(&corpus) / 1024,
        if grammar { "on" } else { "off" }
    );

    let separate =
        time(|| separate_processes(&corpus, &dir.path().join("separate"), workers, grammar));
    let out = dir.path().join("batch");
    let batch = time(|| {
        check(
            diptych(grammar)
                .arg("run")
                .arg(&corpus)
                .arg("--out")
                .arg(&out),
        )
    });
    let rerun = time(|| {
        check(
            diptych(grammar)
                .arg("run")
                .arg(&corpus)
                .arg("--out")
                .arg(&out),
        )
    });

    println!(
        "  {docs} separate processes: {separate:8.2} s ({:.3} s per document)",
        separate / docs as f64
    );
    println!(
        "  one batch:              {batch:8.2} s ({:.3} s per document)",
        batch / docs as f64
    );
    println!("  batch / separate:       {:8.2}x faster", separate / batch);
    println!(
        "  re-run, all skipped:    {rerun:8.3} s = {:.3} s per hundred documents (the process's own start included)",
        rerun * 100.0 / docs as f64
    );
}

/// `name` from the environment, else `default`.
fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The binary, with the grammar programs switched off unless asked for.
fn diptych(grammar: bool) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_diptych"));
    if !grammar {
        cmd.env("DIPTYCH_FROG", "/nonexistent/frog")
            .env("DIPTYCH_GRAMMALECTE", "/nonexistent/grammalecte-cli");
    }
    cmd
}

/// Runs a command to its end; a failure stops the bench with its stderr.
fn check(cmd: &mut Command) {
    let out = cmd.output().expect("diptych runs");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn time(f: impl FnOnce()) -> f64 {
    let start = Instant::now();
    f();
    start.elapsed().as_secs_f64()
}

/// `docs` woven reports under distinct names, cycling through the project's own.
fn corpus(dir: &Path, docs: usize) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let sources = [
        root.join("examples/benelux-2022/report.nl-fr.txt"),
        root.join("tests/data/benelux-2024-fr-nl/report.fr-nl.txt"),
    ];
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).expect("corpus folder");
    for i in 0..docs {
        let source = &sources[i % sources.len()];
        std::fs::copy(source, corpus.join(format!("report-{i:04}.txt"))).expect("copy");
    }
    corpus
}

fn folder_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .expect("corpus")
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum()
}

/// One `diptych run FILE --out DIR` per document, `workers` at a time.
fn separate_processes(corpus: &Path, out: &Path, workers: usize, grammar: bool) {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus)
        .expect("corpus")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    let mut running = Vec::new();
    for file in files {
        if running.len() == workers {
            wait_first(&mut running);
        }
        let stem = file.file_stem().expect("a stem").to_owned();
        let child = diptych(grammar)
            .arg("run")
            .arg(&file)
            .arg("--out")
            .arg(out.join(stem))
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("diptych starts");
        running.push(child);
    }
    while !running.is_empty() {
        wait_first(&mut running);
    }
}

/// Waits until one child has ended (whichever first) and checks it succeeded.
fn wait_first(running: &mut Vec<std::process::Child>) {
    loop {
        let ended = running
            .iter_mut()
            .position(|c| c.try_wait().expect("diptych is waited for").is_some());
        if let Some(i) = ended {
            let status = running.remove(i).wait().expect("diptych ends");
            assert!(status.success(), "a separate run failed: {status}");
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}
