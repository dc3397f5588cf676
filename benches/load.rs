//! Load and soak of `diptych serve` on loopback: the reference report in an archive, the
//! API's routes in turn (`diptych_testkit::reference_requests`) from 1, 8 and 64 keep-alive
//! clients, a fixed number of requests each (stopped early after a time cap), then a soak at
//! 8 clients while the server's resident memory is sampled every second. Prints p50/p99,
//! errors, requests/s and each level's p50 against the baseline measured first in the same
//! run (one client asking for the document list, the cheapest route); the soak's memory is
//! steady when the last third's peak is within 10 % of the first third's. Stops by itself.
//!
//! `cargo bench --workspace --bench load` (release). `DIPTYCH_LOAD_REQUESTS` (default 2,000
//! per level), `DIPTYCH_SOAK_SECS` (default 180).

use std::path::Path;
use std::time::Duration;

use diptych_testkit::load::{self, Plan, Report};
use diptych_testkit::{reference_archive, reference_requests, ServerProcess};

/// The soak's tolerance: the last third's peak memory over the first third's.
const STEADY: f64 = 0.10;

fn main() {
    let requests = env_number("DIPTYCH_LOAD_REQUESTS", 2000);
    let soak_secs = env_number("DIPTYCH_SOAK_SECS", 180) as u64;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let binary = Path::new(env!("CARGO_BIN_EXE_diptych"));
    let (archive, _run) = reference_archive(binary, dir.path()).expect("the reference archive");
    let server = ServerProcess::serve(binary, &archive, &[]).expect("diptych serve");
    let paths = reference_requests();
    println!(
        "load bench: diptych serve on {}, {} routes in turn, {requests} requests per level, load average {}",
        server.addr,
        paths.len(),
        load_average()
    );
    let baseline_plan = Plan {
        clients: 1,
        requests,
        duration: Duration::from_secs(120),
    };
    let baseline = load::run(server.addr, &["/api/documents".to_owned()], baseline_plan);
    print_header();
    print_row("baseline: 1 client, /api/documents", &baseline, &baseline);
    for clients in [1, 8, 64] {
        let plan = Plan {
            clients,
            requests,
            duration: Duration::from_secs(300),
        };
        let report = load::run(server.addr, &paths, plan);
        print_row(
            &format!("{clients} clients, all routes"),
            &report,
            &baseline,
        );
    }
    soak(&server, &paths, soak_secs);
}

/// Loads the server for `secs` seconds at 8 clients, sampling its memory every second.
fn soak(server: &ServerProcess, paths: &[String], secs: u64) {
    let plan = Plan {
        clients: 8,
        requests: usize::MAX,
        duration: Duration::from_secs(secs),
    };
    let before = load::rss_kib(server.pid()).unwrap_or(0);
    let (report, samples) = load::soak(
        server.addr,
        paths,
        plan,
        server.pid(),
        Duration::from_secs(1),
    );
    let third = (samples.len() / 3).max(1);
    let peak = |s: &[u64]| s.iter().max().copied().unwrap_or(0) / 1024;
    println!(
        "soak: {secs} s at 8 clients, {} requests ({:.0}/s), {} errors, p50 {:.1} ms, p99 {:.1} ms",
        report.answered,
        report.throughput(),
        report.errors,
        ms(report.percentile(0.5)),
        ms(report.percentile(0.99))
    );
    println!(
        "soak memory (RSS): {} MiB before, peak of first third {} MiB, of last third {} MiB, {} samples: {}",
        before / 1024,
        peak(&samples[..third.min(samples.len())]),
        peak(&samples[samples.len().saturating_sub(third)..]),
        samples.len(),
        match load::is_steady(&samples, STEADY) {
            Some(true) => "steady",
            Some(false) => "GROWING",
            None => "too few samples",
        }
    );
}

fn print_header() {
    println!(
        "{:<36} {:>9} {:>7} {:>9} {:>9} {:>11} {:>8}",
        "run", "answered", "errors", "p50 ms", "p99 ms", "requests/s", "x base"
    );
}

fn print_row(label: &str, r: &Report, baseline: &Report) {
    println!(
        "{label:<36} {:>9} {:>7} {:>9.2} {:>9.2} {:>11.0} {:>8.1}",
        r.answered,
        r.errors,
        ms(r.percentile(0.5)),
        ms(r.percentile(0.99)),
        r.throughput(),
        ms(r.percentile(0.5)) / ms(baseline.percentile(0.5)).max(1e-6)
    );
    for e in &r.first_errors {
        println!("  error: {e}");
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}
