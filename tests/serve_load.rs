//! A short, bounded load and soak of `diptych serve` on loopback (the long one is
//! `cargo bench --workspace --bench load`): the reference report in an archive, the API's
//! routes in turn from 1, 8 and 64 keep-alive clients (a fixed number of requests, stopped
//! after a few seconds at most), then a soak of a few seconds while the server's resident
//! memory is sampled. Every request must be answered with a 2xx, and memory must stay steady
//! (the last third's peak within 50 % of the first third's: a short soak on a loaded machine).

use std::path::Path;
use std::time::Duration;

use diptych_testkit::load::{self, Client, Plan};
use diptych_testkit::{reference_archive, reference_requests, ServerProcess};

#[test]
fn serve_answers_1_8_and_64_clients_without_errors_and_steady_memory() {
    let dir = tempfile::tempdir().unwrap();
    let binary = Path::new(env!("CARGO_BIN_EXE_diptych"));
    let (archive, _run) = reference_archive(binary, dir.path()).unwrap();
    let server = ServerProcess::serve(binary, &archive, &[]).unwrap();
    let paths = reference_requests();
    for clients in [1, 8, 64] {
        let plan = Plan {
            clients,
            requests: 20 * clients.max(10),
            duration: Duration::from_secs(20),
        };
        let report = load::run(server.addr, &paths, plan);
        println!(
            "{clients:>2} clients: {} answered, {} errors, p50 {:.1} ms, p99 {:.1} ms, {:.0} requests/s",
            report.answered,
            report.errors,
            ms(report.percentile(0.5)),
            ms(report.percentile(0.99)),
            report.throughput()
        );
        assert_eq!(report.errors, 0, "{:?}", report.first_errors);
        assert!(report.answered > 0);
    }
    let plan = Plan {
        clients: 8,
        requests: usize::MAX,
        duration: Duration::from_secs(6),
    };
    let (report, samples) = load::soak(
        server.addr,
        &paths,
        plan,
        server.pid(),
        Duration::from_millis(100),
    );
    println!(
        "soak: {} requests in {:.1} s, RSS samples (KiB) {:?}",
        report.answered,
        report.elapsed.as_secs_f64(),
        samples
    );
    assert_eq!(report.errors, 0, "{:?}", report.first_errors);
    assert_eq!(
        load::is_steady(&samples, 0.5),
        Some(true),
        "memory grew over the soak: {samples:?}"
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[test]
fn serve_flags_set_the_limits() {
    let dir = tempfile::tempdir().unwrap();
    let binary = Path::new(env!("CARGO_BIN_EXE_diptych"));
    let (archive, _run) = reference_archive(binary, dir.path()).unwrap();
    let flags = [
        "--max-results",
        "5",
        "--max-url-bytes",
        "100",
        "--max-query-chars",
        "8",
        "--query-timeout-ms",
        "5000",
    ];
    let server = ServerProcess::serve(binary, &archive, &flags).unwrap();
    let mut client = Client::connect(server.addr).unwrap();
    let status = |client: &mut Client, path: &str| client.get(path).unwrap().0;
    assert_eq!(status(&mut client, "/api/search?q=NAVO&limit=5"), 200);
    assert_eq!(status(&mut client, "/api/search?q=NAVO&limit=6"), 400);
    assert_eq!(status(&mut client, "/api/search?q=Benelux%20NAVO"), 400);
    let long = format!("/api/search?q=NAVO&doc={}", "x".repeat(100));
    assert_eq!(status(&mut client, &long), 414);
    let (status, bytes) = client.get("/api/openapi.json").unwrap();
    assert_eq!(status, 200);
    assert!(bytes > 1000);
}
