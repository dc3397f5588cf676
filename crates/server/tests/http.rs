//! The server over a real archive, through real HTTP on loopback.

#[path = "../../index/tests/common/mod.rs"]
mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;

use diptych_index::{AddOptions, Archive};
use diptych_server::{Config, Limits, Pool};
use serde_json::Value;

/// Builds an archive of the two test documents and serves it on a free loopback port.
fn start() -> (tempfile::TempDir, SocketAddr) {
    start_with(Limits::default())
}

/// [`start`] with the server held to `limits`.
fn start_with(limits: Limits) -> (tempfile::TempDir, SocketAddr) {
    start_with_copies(limits, 0)
}

/// [`start_with`] on an archive that also holds `copies` copies of the reference under other
/// names (enough rows for a query to take many SQLite steps).
fn start_with_copies(limits: Limits, copies: usize) -> (tempfile::TempDir, SocketAddr) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.sqlite");
    let mut archive = Archive::open(&path).unwrap();
    let report = AddOptions {
        year: None,
        report_html: Some("<html><body><h1>Review of benelux-2022</h1></body></html>".into()),
    };
    archive
        .add_with(
            &common::benelux_2022(),
            &common::benelux_2022_findings(),
            &common::benelux_2022_activities(),
            &report,
        )
        .unwrap();
    archive
        .add(&common::own_2021(), &[], &common::own_2021_activities())
        .unwrap();
    add_copies(&mut archive, copies);
    drop(archive);
    let mut config = Config::new(&path);
    config.port = 0;
    let pool = Arc::new(Pool::open(&path, 2).unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let (listener, addr) = diptych_server::bind(&config).await.unwrap();
            tx.send(addr).unwrap();
            diptych_server::serve_with(listener, pool, limits)
                .await
                .unwrap();
        });
    });
    (dir, rx.recv().unwrap())
}

/// Adds `copies` copies of the reference report, named `copy-N`.
fn add_copies(archive: &mut Archive, copies: usize) {
    let bitexts: Vec<_> = (0..copies)
        .map(|i| {
            let mut b = common::benelux_2022();
            b.name = format!("copy-{i}");
            b
        })
        .collect();
    let options = AddOptions::default();
    let docs: Vec<_> = bitexts
        .iter()
        .map(|bitext| diptych_index::NewDocument {
            bitext,
            findings: &[],
            activities: &[],
            options: &options,
        })
        .collect();
    archive.add_batch(&docs).unwrap();
}

/// Sends one raw request; returns the status, the headers and the body.
fn request(addr: SocketAddr, raw: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.write_all(raw.as_bytes()).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let response = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_owned(), body.to_owned())
}

fn get(addr: SocketAddr, path: &str) -> (u16, String, String) {
    request(
        addr,
        &format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
    )
}

fn get_json(addr: SocketAddr, path: &str) -> (u16, Value) {
    let (status, head, body) = get(addr, path);
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: application/json"),
        "{path}: {head}"
    );
    (
        status,
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}")),
    )
}

#[test]
fn search_api_returns_hits_with_counterparts() {
    let (_dir, addr) = start();
    let (status, page) = get_json(addr, "/api/search?q=NAVO&lang=nl");
    assert_eq!(status, 200);
    assert_eq!(page["total"], 5);
    let hit = &page["items"][0];
    assert_eq!(hit["lang"], "nl");
    assert_eq!(hit["counterpart_lang"], "fr");
    assert!(
        hit["counterpart"].as_str().unwrap().contains("OTAN"),
        "{hit}"
    );
    let [a, b] = [
        hit["highlights"][0][0].as_u64().unwrap() as usize,
        hit["highlights"][0][1].as_u64().unwrap() as usize,
    ];
    assert_eq!(&hit["text"].as_str().unwrap()[a..b], "NAVO");

    let (status, page) = get_json(
        addr,
        "/api/search?q=%22Conseil%20Affaires%20etrangeres%22&year=2021",
    );
    assert_eq!(status, 200);
    assert_eq!(page["total"], 2);
    assert_eq!(page["items"][0]["document"], "own-report-2021");

    let (_, groups) = get_json(addr, "/api/group?q=NAVO");
    assert_eq!(groups[0]["renderings"][0]["text"], "OTAN");
}

#[test]
fn documents_beads_findings_and_activities() {
    let (_dir, addr) = start();
    let (_, docs) = get_json(addr, "/api/documents");
    assert_eq!(docs.as_array().unwrap().len(), 2);
    assert_eq!(docs[0]["has_report"], true);
    let (_, beads) = get_json(addr, "/api/documents/benelux-2022/beads?offset=3&limit=1");
    assert!(beads[0]["src"]
        .as_str()
        .unwrap()
        .starts_with("Raad Buitenlandse Zaken"));
    let (_, findings) = get_json(addr, "/api/documents/benelux-2022/findings");
    assert_eq!(findings[0]["check"], "spelling");
    let (_, activities) = get_json(
        addr,
        "/api/activities?partner=Baltic%20states&from=2022&level=ministerial",
    );
    assert_eq!(activities.as_array().unwrap().len(), 2);
    assert_eq!(activities[0]["document"], "benelux-2022");
    let (status, missing) = get_json(addr, "/api/documents/nope/beads");
    assert_eq!(status, 404);
    assert!(missing["error"].as_str().unwrap().contains("nope"));
}

#[test]
fn search_page_shows_highlighted_bilingual_hits_escaped() {
    let (_dir, addr) = start();
    let (status, _, html) = get(addr, "/?q=ministerielle&lang=fr");
    assert_eq!(status, 200);
    assert!(html.contains("<mark>ministérielle</mark>"), "{html}");
    assert!(
        html.contains("ministeriële vergadering van de NAVO"),
        "counterpart shown"
    );
    assert!(html.contains("href=\"/documents/benelux-2022/report.html\""));
    // What the user typed comes back escaped, never as markup.
    let (_, _, html) = get(addr, "/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
    assert!(!html.contains("<script>"));
    assert!(html.contains("&lt;script&gt;"));
    let (status, _, html) = get(addr, "/");
    assert_eq!(status, 200);
    assert!(html.contains("own-report-2021"));
}

#[test]
fn bad_requests_get_json_errors_not_crashes() {
    let (_dir, addr) = start();
    for path in [
        "/api/search?q=%22",
        "/api/search?q=NEAR(NAVO%20OTAN)",
        "/api/search?q=*",
        "/api/search?q=ab&substring=1",
        "/api/search?q=NAVO%22%20AND%20%22",
        "/api/search?q=NAVO&year=abc",
        "/api/search?q=NAVO&limit=100000",
        "/api/search?q=NAVO&lang=dutch",
        "/api/search?q=NAVO&level=royal",
        "/api/search?q=NAVO&page=0",
        "/api/search",
        "/api/activities?from=yesterday",
        "/api/nothing",
    ] {
        let (status, body) = get_json(addr, path);
        assert!(
            status == 200 || (400..500).contains(&status),
            "{path}: {status} {body}"
        );
        if status != 200 {
            let message = body["error"].as_str().unwrap();
            assert!(
                !message.is_empty()
                    && !message.contains("backtrace")
                    && !message.contains("panicked"),
                "{path}: {message}"
            );
        }
    }
    let (status, _, html) = get(addr, "/?q=%22%22%22");
    assert_eq!(status, 400);
    assert!(html.contains("no letters or digits"));
    let long = "x".repeat(600);
    let (status, body) = get_json(addr, &format!("/api/search?q={long}"));
    assert_eq!(
        (status, body["error"].as_str().unwrap().contains("too long")),
        (400, true)
    );
}

#[test]
fn only_stored_pages_are_served() {
    let (_dir, addr) = start();
    let (status, head, body) = get(addr, "/documents/benelux-2022/report.html");
    assert_eq!(status, 200);
    assert!(head.to_ascii_lowercase().contains("text/html"));
    assert!(body.contains("Review of benelux-2022"));
    for path in [
        "/documents/own-report-2021/report.html",
        "/documents/..%2F..%2F..%2Fetc%2Fpasswd/report.html",
        "/documents/benelux-2022/../../../../etc/passwd",
        "/../../etc/passwd",
        "/a.sqlite",
        "/Cargo.toml",
    ] {
        let (status, _, body) = get(addr, path);
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("root:"), "{path}");
    }
}

#[test]
fn request_bodies_are_limited() {
    let (_dir, addr) = start();
    let body = "x".repeat(64 * 1024);
    let raw = format!("GET /api/search?q=NAVO HTTP/1.1\r\nHost: localhost\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
    let (status, _, body) = request(addr, &raw);
    assert_eq!(status, 413, "{body}");
    let error: Value = serde_json::from_str(&body).unwrap();
    assert!(error["error"]
        .as_str()
        .unwrap()
        .contains("at most 16384 bytes"));
    let raw = "POST /api/search?q=NAVO HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}";
    let (status, _, body) = request(addr, raw);
    assert_eq!(status, 405, "{body}");
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["error"],
        "method not allowed"
    );
}

#[test]
fn long_urls_queries_and_pages_are_refused_with_json() {
    let limits = Limits {
        max_url_bytes: 200,
        max_query_chars: 10,
        max_results: 5,
        ..Limits::default()
    };
    let (_dir, addr) = start_with(limits);
    let long = format!("/api/search?q=NAVO&section={}", "x".repeat(200));
    let (status, body) = get_json(addr, &long);
    assert_eq!(status, 414, "{body}");
    assert!(body["error"].as_str().unwrap().contains("at most 200"));
    let (status, body) = get_json(addr, "/api/search?q=NAVO%20OTAN%20Raad");
    assert_eq!(status, 400);
    assert!(body["error"]
        .as_str()
        .unwrap()
        .contains("at most 10 characters"));
    let (status, body) = get_json(addr, "/api/search?q=NAVO&limit=6");
    assert_eq!(status, 400);
    assert!(body["error"].as_str().unwrap().contains("between 1 and 5"));
    let (status, page) = get_json(addr, "/api/search?q=NAVO&limit=5");
    assert_eq!((status, page["per_page"].as_u64()), (200, Some(5)));
    for path in [
        "/api/documents/benelux-2022/beads",
        "/api/activities",
        "/api/activities/view",
    ] {
        let (status, rows) = get_json(addr, path);
        assert_eq!(status, 200, "{path}");
        let rows = rows.get("rows").unwrap_or(&rows);
        assert!(rows.as_array().unwrap().len() <= 5, "{path}: {rows}");
    }
    let (status, body) = get_json(addr, "/api/search?q=NAVO&page=1001");
    assert_eq!(status, 400, "{body}");
    let (status, body) = get_json(addr, "/api/documents/benelux-2022/beads?offset=99999999999");
    assert_eq!(status, 400, "{body}");
    let (status, body) = get_json(addr, "/api/documents/%FF/beads");
    assert_eq!(status, 400, "{body}");
}

#[test]
fn a_query_past_the_time_budget_is_cut_with_a_503() {
    let limits = Limits {
        query_time: std::time::Duration::ZERO,
        ..Limits::default()
    };
    let (_dir, addr) = start_with_copies(limits, 200);
    let (status, body) = get_json(addr, "/api/search?q=NAV&substring=1");
    assert_eq!(status, 503, "{body}");
    let message = body["error"].as_str().unwrap();
    assert!(message.contains("took longer than 0 ms"), "{message}");
}

#[test]
fn the_openapi_description_is_served_with_the_servers_limits() {
    let limits = Limits {
        max_results: 7,
        ..Limits::default()
    };
    let (_dir, addr) = start_with(limits);
    let (status, doc) = get_json(addr, "/api/openapi.json");
    assert_eq!(status, 200);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let search = &doc["paths"]["/api/search"]["get"];
    let limit = search["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "limit")
        .unwrap();
    assert_eq!(limit["schema"]["maximum"], 7);
    for path in [
        "/api/group",
        "/api/documents",
        "/api/documents/{name}/beads",
        "/api/documents/{name}/findings",
        "/api/activities",
        "/api/activities/view",
        "/api/activities.csv",
        "/api/activities.json",
        "/api/documents/{name}/activities/{index}",
    ] {
        assert!(doc["paths"][path]["get"].is_object(), "{path}");
    }
}

#[test]
fn binds_loopback_by_default() {
    let config = Config::new("x.sqlite");
    assert!(config.bind.is_loopback());
}

/// A version 1 archive is upgraded once when the pool opens it, then served read-only; the
/// pool lends its connections to more concurrent queries than it has.
#[test]
fn pool_upgrades_an_old_archive_and_serves_more_queries_than_connections() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite");
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../index/tests/data/archive-v1.sqlite"
    );
    std::fs::copy(fixture, &path).unwrap();
    assert!(matches!(
        Archive::open_read_only(&path),
        Err(diptych_index::Error::OlderSchema { .. })
    ));
    let pool = Arc::new(Pool::open(&path, 2).unwrap());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let totals = rt.block_on(async {
        let queries = (0..16).map(|_| {
            let pool = pool.clone();
            tokio::spawn(async move {
                pool.with(|a| Ok(a.search(&diptych_index::Query::new("NAVO"))?.total))
                    .await
                    .unwrap()
            })
        });
        let mut totals = Vec::new();
        for q in queries.collect::<Vec<_>>() {
            totals.push(q.await.unwrap());
        }
        totals
    });
    assert_eq!(totals.len(), 16);
    assert!(
        totals.iter().all(|&t| t > 0 && t == totals[0]),
        "{totals:?}"
    );
    drop(Archive::open_read_only(&path).unwrap());
}

#[test]
fn activities_view_source_downloads_and_page() {
    let (_dir, addr) = start();
    let (status, view) = get_json(
        addr,
        "/api/activities/view?partner=baltes&sort=date&desc=1&limit=2",
    );
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["total"], 3);
    assert_eq!(view["rows"].as_array().unwrap().len(), 2);
    assert_eq!(view["rows"][0]["activity"]["dates"][0], "2022-06-27");
    assert_eq!(view["counts"][0]["year"], 2021);
    assert_eq!(view["counts"][1]["levels"]["ministerial"], 2);
    let timeline = view["timeline"].as_str().unwrap();
    assert_eq!(timeline.matches("<a href=\"#a/").count(), 3, "{timeline}");
    assert!(timeline.contains("href=\"#a/own-report-2021/0\""));
    let (_, next) = get_json(addr, "/api/activities/view?partner=baltes&offset=2&limit=2");
    assert_eq!(next["rows"].as_array().unwrap().len(), 1);

    let (status, source) = get_json(addr, "/api/documents/benelux-2022/activities/1");
    assert_eq!(status, 200);
    assert_eq!(source["langs"], serde_json::json!(["nl", "fr"]));
    assert_eq!(source["beads"].as_array().unwrap().len(), 2);
    for path in [
        "/api/documents/benelux-2022/activities/x",
        "/api/documents/benelux-2022/activities/9",
        "/api/activities/view?sort=size",
        "/api/activities/view?limit=0",
        "/api/activities.csv?from=soon",
    ] {
        let (status, body) = get_json(addr, path);
        assert_eq!(status, 400, "{path}: {body}");
        assert!(body["error"].is_string());
    }

    let (status, head, csv) = get(addr, "/api/activities.csv?place=Luxembourg");
    assert_eq!(status, 200);
    assert!(
        head.to_ascii_lowercase().contains("content-type: text/csv"),
        "{head}"
    );
    assert!(head.contains("attachment; filename=\"activities.csv\""));
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(csv.starts_with("document,dates,level,"));
    let (status, _, json) = get(addr, "/api/activities.json?partner=baltes");
    assert_eq!(status, 200);
    let records: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(records.as_array().unwrap().len(), 3);

    let (status, _, html) = get(addr, "/activities?partner=%3Cb%3E&level=ministerial");
    assert_eq!(status, 200);
    assert!(
        html.contains("value=\"&lt;b&gt;\""),
        "the URL's filter fills the form, escaped"
    );
    assert!(html.contains("<option value=\"ministerial\" selected>"));
    assert!(
        html.contains("[\"benelux-2022\"]"),
        "documents with a review page"
    );
}
