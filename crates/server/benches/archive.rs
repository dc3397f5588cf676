//! Archive benchmark: builds an archive of N beads (default 1,000,000) from the reference
//! report's sentences and the Text+Berg de/fr benchmark text, repeated as documents with
//! varied names and years, then prints:
//!
//! * the indexing rate (beads/s) and the database size;
//! * query latency p50/p99 for 100 fixed queries (words, prefixes, phrases, substrings)
//!   through the library, 5 rounds after a warm-up round;
//! * the same queries through HTTP on loopback: a bounded load of 2,000 requests by 8
//!   concurrent keep-alive clients, then stop;
//! * a baseline measured in the same run: the substring queries answered by a full scan
//!   (`LIKE '%...%'`) instead of the trigram index.
//!
//! * a baseline for the indexing rate measured in the same run: the first
//!   [`BASELINE_BEADS`] beads added one document per transaction (as `index add` did before
//!   batches), into a separate archive.
//!
//! * then the same on PostgreSQL (in a schema of its own, dropped at the end), when the server
//!   answers: `DIPTYCH_BENCH_POSTGRES`, else the test server of `scripts/setup`
//!   (`postgres://diptych:diptych@127.0.0.1:5432/diptych`); `DIPTYCH_BENCH_POSTGRES=off`
//!   skips it, `DIPTYCH_BENCH_SQLITE=off` skips SQLite, `DIPTYCH_BENCH_KEEP_SCHEMA=1` keeps
//!   the archive's schema (named in the output) for a look with `psql`. Its indexing rate is printed against the SQLite rate of the same run and its
//!   own one-document-per-transaction baseline.
//!
//! Run: `cargo bench -p diptych-server --bench archive` (env `DIPTYCH_BENCH_BEADS` sets N,
//! `DIPTYCH_TEXTBERG` the Text+Berg folder, default `../shared/data/textberg-de-fr` beside the
//! repository).
//! Text+Berg is read from that folder at run time, never copied into the repository.

#[path = "../../index/tests/common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use diptych_core::{Bead, Bitext, Block, BlockKind, Document, Lang, Sentence};
use diptych_index::{AddOptions, Archive, NewDocument, Query};
use diptych_testkit::load::{self, Plan};

/// Text+Berg in the shared data folder beside the repository (`DIPTYCH_TEXTBERG` overrides).
const DEFAULT_TEXTBERG: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/textberg-de-fr"
);

const ROUNDS: usize = 5;
const HTTP_REQUESTS: usize = 2000;
const HTTP_CLIENTS: usize = 8;
/// Beads indexed one document per transaction for the indexing baseline.
const BASELINE_BEADS: usize = 30_000;
/// Beads per transaction in the bulk build (as `diptych index add` batches run folders).
const BATCH_BEADS: usize = 50_000;
/// The four kinds of the fixed queries, in the order they are generated.
const KINDS: [&str; 4] = ["words", "prefix", "phrase", "substring"];

fn main() {
    let target: usize = env_or("DIPTYCH_BENCH_BEADS", 1_000_000);
    let textberg = std::env::var_os("DIPTYCH_TEXTBERG")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(DEFAULT_TEXTBERG));
    let sources = sources(&textberg);
    let per_copy: usize = sources.iter().map(|b| b.beads.len()).sum();
    println!(
        "sources: {} documents, {per_copy} beads per copy; target {target} beads",
        sources.len()
    );
    println!("machine: {}", machine());
    println!("load average at start: {}", load_average());

    let queries = queries(&sources);
    // DIPTYCH_BENCH_SQLITE=off measures PostgreSQL only.
    let sqlite_rate = if std::env::var("DIPTYCH_BENCH_SQLITE").as_deref() == Ok("off") {
        None
    } else {
        bench_sqlite(&sources, target, &queries)
    };
    if let Some(server) = postgres_server() {
        bench_postgres(&server, &sources, target, &queries, sqlite_rate);
        println!("load average at end: {}", load_average());
    }
}

/// The SQLite figures; returns the bulk indexing rate when the archive was built.
fn bench_sqlite(sources: &[Bitext], target: usize, queries: &[Query]) -> Option<f64> {
    let dir = tempfile::tempdir().expect("temp dir");
    // DIPTYCH_BENCH_ARCHIVE names an archive to keep: built when missing, reused otherwise.
    let kept = std::env::var_os("DIPTYCH_BENCH_ARCHIVE").map(PathBuf::from);
    let path = kept
        .clone()
        .unwrap_or_else(|| dir.path().join("bench.sqlite"));
    let mut sqlite_rate = None;
    if kept.is_some() && path.exists() {
        println!("indexing: reusing {}", path.display());
    } else {
        let base = dir.path().join("baseline.sqlite");
        let (base_beads, base_secs) = build(&base, sources, BASELINE_BEADS.min(target), 1);
        let base_rate = base_beads as f64 / base_secs;
        println!(
            "indexing baseline (one document per transaction): {base_beads} beads in {base_secs:.1} s = {base_rate:.0} beads/s"
        );
        let cpu = thread_cpu_seconds();
        let queued = thread_queued_seconds();
        let process_cpu = process_cpu_seconds();
        let (beads, secs) = build(&path, sources, target, BATCH_BEADS);
        let queued = thread_queued_seconds()
            .zip(queued)
            .map(|(end, start)| end - start);
        let cpu = thread_cpu_seconds()
            .zip(cpu)
            .map(|(end, start)| end - start);
        let process_cpu = process_cpu_seconds()
            .zip(process_cpu)
            .map(|(end, start)| end - start);
        let rate = beads as f64 / secs;
        sqlite_rate = Some(rate);
        println!(
            "indexing (batches of {BATCH_BEADS} beads): {beads} beads in {secs:.1} s = {rate:.0} beads/s = {:.1}x the baseline",
            rate / base_rate
        );
        if let Some(cpu) = cpu {
            println!(
                "indexing CPU time (this thread: the rows and the word index): {cpu:.1} s = {:.0} beads per CPU second",
                beads as f64 / cpu
            );
        }
        if let Some((cpu, queued)) = cpu.zip(queued) {
            println!(
                "indexing, this thread: {cpu:.1} s running, {queued:.1} s ready but waiting for a core (the machine's load), {:.1} s blocked (waiting for the substring thread, a lock or the disk)",
                secs - cpu - queued
            );
        }
        if let Some(all) = process_cpu {
            println!(
                "indexing CPU time (all threads, with the substring indexer): {all:.1} s = {:.0} beads per CPU second, {:.2} cores busy on average",
                beads as f64 / all,
                all / secs
            );
        }
    }
    let beads: usize = Archive::open_read_only(&path)
        .expect("open")
        .list()
        .expect("list")
        .iter()
        .map(|d| d.beads)
        .sum();
    let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
    let wal = path.with_extension("sqlite-wal");
    let side = substrings_file(&path);
    let total = size(&path) + size(&side);
    println!(
        "database: {:.1} MB (+ {:.1} MB WAL) + substring index {:.1} MB = {:.0} bytes/bead",
        size(&path) as f64 / 1e6,
        size(&wal) as f64 / 1e6,
        size(&side) as f64 / 1e6,
        total as f64 / beads as f64
    );

    let archive = Archive::open_read_only(&path).expect("open");
    library_latency("library", &archive, queries);
    drop(archive);
    let start = Instant::now();
    Archive::open(&path)
        .expect("open")
        .optimize()
        .expect("optimize");
    println!(
        "optimize: {:.1} s, database {:.1} MB + substring index {:.1} MB",
        start.elapsed().as_secs_f64(),
        size(&path) as f64 / 1e6,
        size(&substrings_file(&path)) as f64 / 1e6
    );
    let archive = Archive::open_read_only(&path).expect("open");
    library_latency("library after optimize", &archive, queries);
    scan_baseline(&path, queries);
    http_latency("http", &path, queries, diptych_index::SEARCH_CACHE);
    http_latency("http uncached", &path, queries, 0);
    println!("load average after SQLite: {}", load_average());
    sqlite_rate
}

/// The PostgreSQL server to measure, if one answers (see the module doc).
fn postgres_server() -> Option<String> {
    let url = std::env::var("DIPTYCH_BENCH_POSTGRES")
        .unwrap_or_else(|_| "postgres://diptych:diptych@127.0.0.1:5432/diptych".into());
    if url == "off" {
        return None;
    }
    match postgres::Client::connect(&url, postgres::NoTls) {
        Ok(_) => Some(url),
        Err(e) => {
            println!("postgres: skipped, {url} does not answer ({e})");
            None
        }
    }
}

/// A schema of its own on `server`, dropped when this is dropped.
struct Schema {
    server: String,
    name: String,
}

impl Schema {
    fn create(server: &str, name: &str) -> Schema {
        let mut client = postgres::Client::connect(server, postgres::NoTls).expect("connect");
        client
            .batch_execute(&format!(
                "DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name}"
            ))
            .expect("create schema");
        Schema {
            server: server.to_owned(),
            name: name.to_owned(),
        }
    }

    /// The archive URL: the server with this schema first on the search path.
    fn url(&self) -> PathBuf {
        let sep = if self.server.contains('?') { '&' } else { '?' };
        PathBuf::from(format!(
            "{}{sep}options=-csearch_path%3D{},public",
            self.server, self.name
        ))
    }

    fn size_mb(&self) -> f64 {
        let mut client = postgres::Client::connect(&self.server, postgres::NoTls).expect("connect");
        let bytes: i64 = client
            .query_one(
                "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint
                 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = $1 AND c.relkind = 'r'",
                &[&self.name],
            )
            .expect("size")
            .get(0);
        bytes as f64 / 1e6
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        // DIPTYCH_BENCH_KEEP_SCHEMA=1 keeps the archive for a look with psql (EXPLAIN).
        let keep = std::env::var("DIPTYCH_BENCH_KEEP_SCHEMA").as_deref() == Ok("1");
        if keep && !self.name.contains("_base_") {
            println!("postgres: kept schema {}", self.name);
            return;
        }
        if let Ok(mut client) = postgres::Client::connect(&self.server, postgres::NoTls) {
            let _ = client.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name));
        }
    }
}

/// The PostgreSQL half: indexing rate (against its own one-document-per-transaction baseline
/// and SQLite's rate in this run), size, query latency in process and over HTTP.
fn bench_postgres(
    server: &str,
    sources: &[Bitext],
    target: usize,
    queries: &[Query],
    sqlite_rate: Option<f64>,
) {
    println!(
        "postgres: {}",
        diptych_index::display_location(Path::new(server))
    );
    let pid = std::process::id();
    let base = Schema::create(server, &format!("diptych_bench_base_{pid}"));
    let (base_beads, base_secs) = build(&base.url(), sources, BASELINE_BEADS.min(target), 1);
    let base_rate = base_beads as f64 / base_secs;
    drop(base);
    println!(
        "postgres indexing baseline (one document per transaction): {base_beads} beads in {base_secs:.1} s = {base_rate:.0} beads/s"
    );
    let schema = Schema::create(server, &format!("diptych_bench_{pid}"));
    let url = schema.url();
    let (beads, secs) = build(&url, sources, target, BATCH_BEADS);
    let rate = beads as f64 / secs;
    let vs_sqlite = sqlite_rate.map_or(String::new(), |s| format!(", {:.2}x SQLite's", rate / s));
    println!(
        "postgres indexing (batches of {BATCH_BEADS} beads): {beads} beads in {secs:.1} s = {rate:.0} beads/s = {:.1}x the baseline{vs_sqlite}",
        rate / base_rate
    );
    let start = Instant::now();
    Archive::open(&url)
        .expect("open")
        .optimize()
        .expect("optimize");
    println!(
        "postgres optimize (VACUUM ANALYZE): {:.1} s, tables and indexes {:.1} MB",
        start.elapsed().as_secs_f64(),
        schema.size_mb()
    );
    let archive = Archive::open_read_only(&url).expect("open");
    library_latency("postgres library", &archive, queries);
    drop(archive);
    http_latency("postgres http", &url, queries, diptych_index::SEARCH_CACHE);
    http_latency("postgres http uncached", &url, queries, 0);
}

/// CPU time the calling thread has used, in seconds (`/proc/thread-self/schedstat`): on a
/// shared machine the indexing rate per CPU second is what does not depend on the load.
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(nanos / 1e9)
}

/// Time the calling thread has spent ready to run but waiting for a core, in seconds (the
/// second field of `/proc/thread-self/schedstat`): what the machine's load took from it.
fn thread_queued_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: f64 = stat.split_whitespace().nth(1)?.parse().ok()?;
    Some(nanos / 1e9)
}

/// CPU time the whole process has used, in seconds (`/proc/self/stat`, user + system, in
/// clock ticks of 1/100 s): with the substring indexer on a second thread, what indexing
/// costs in all.
fn process_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name (which may hold spaces) end with ')'.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i)?.parse::<f64>().ok();
    // utime and stime: fields 14 and 15 of the line, 11 and 12 (from 0) after the name.
    Some((ticks(11)? + ticks(12)?) / 100.0)
}

/// The substring index beside the archive at `path` (`PATH-substrings`).
fn substrings_file(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push("-substrings");
    PathBuf::from(name)
}

/// The machine's load average (shared machines make every figure here relative).
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg").map_or("unknown".into(), |l| {
        l.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
    })
}

/// The processor's model name and the cores this process may use, so that figures from
/// different machines are not compared as if they came from one.
fn machine() -> String {
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, name)| name.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown processor".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{model}, {cores} cores")
}

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Adds copies of the sources, each document under its own name and year, until `target`
/// beads are stored, committing after every `batch_beads` beads (1: after every document).
/// Returns the beads stored and the seconds taken.
fn build(path: &Path, sources: &[Bitext], target: usize, batch_beads: usize) -> (usize, f64) {
    let mut archive = Archive::open(path).expect("create archive");
    let start = Instant::now();
    let mut stored = 0;
    let mut batch: Vec<(Bitext, AddOptions)> = Vec::new();
    let mut pending = 0;
    'copies: for copy in 0.. {
        for source in sources {
            if stored + pending >= target {
                break 'copies;
            }
            let mut doc = source.clone();
            doc.name = format!("{}-{copy:05}", source.name);
            if stored + pending + doc.beads.len() > target {
                doc.beads.truncate(target - stored - pending);
            }
            let options = AddOptions {
                year: Some(1990 + copy % 33),
                report_html: None,
            };
            pending += doc.beads.len();
            batch.push((doc, options));
            if pending >= batch_beads {
                stored += add_all(&mut archive, &mut batch);
                pending = 0;
            }
        }
        if copy % 50 == 0 {
            eprintln!("  {stored} beads, {:.0} s", start.elapsed().as_secs_f64());
        }
    }
    stored += add_all(&mut archive, &mut batch);
    // Closing waits for the last checkpoints of the write-ahead logs: part of the time.
    drop(archive);
    (stored, start.elapsed().as_secs_f64())
}

/// Adds the documents of `batch` in one transaction and empties it; returns the beads added.
fn add_all(archive: &mut Archive, batch: &mut Vec<(Bitext, AddOptions)>) -> usize {
    let docs: Vec<NewDocument> = batch
        .iter()
        .map(|(bitext, options)| NewDocument {
            bitext,
            findings: &[],
            activities: &[],
            options,
        })
        .collect();
    archive.add_batch(&docs).expect("add");
    let beads = batch.iter().map(|(b, _)| b.beads.len()).sum();
    batch.clear();
    beads
}

/// The Text+Berg dev and test documents (gold beads) and the two hand-built reports.
fn sources(textberg: &Path) -> Vec<Bitext> {
    let mut out = vec![common::benelux_2022(), common::own_2021()];
    for name in [
        "dev", "test0", "test1", "test2", "test3", "test4", "test5", "test6",
    ] {
        let read = |ext: &str| {
            let file = textberg.join(format!("{name}.{ext}"));
            std::fs::read_to_string(&file)
                .unwrap_or_else(|e| panic!("{}: {e} (set DIPTYCH_TEXTBERG)", file.display()))
        };
        out.push(textberg_bitext(
            &format!("textberg-{name}"),
            &read("de"),
            &read("fr"),
            &read("defr"),
        ));
    }
    out
}

/// A bitext of one Text+Berg document: one block per sentence, beads from the gold file
/// (`[0,1]:[0]` lines).
fn textberg_bitext(name: &str, de: &str, fr: &str, gold: &str) -> Bitext {
    let side = |text: &str, lang: Lang| {
        let mut doc = Document {
            lang: Some(lang),
            ..Default::default()
        };
        for (i, line) in text.lines().enumerate() {
            let text = line.trim().to_owned();
            doc.blocks.push(Block {
                id: format!("{lang}-b{i}"),
                lang,
                kind: BlockKind::Paragraph,
                level: 0,
                text: text.clone(),
                source_lines: [i + 1, i + 1],
                joined_from: vec![],
                lang_confidence: 1.0,
                regions: vec![],
                note: None,
            });
            doc.sentences.push(Sentence {
                id: format!("{lang}-s{i}"),
                lang,
                block: format!("{lang}-b{i}"),
                block_index: i,
                span: [0, text.len()],
                text,
            });
        }
        doc
    };
    let range = |list: &str| -> std::ops::Range<usize> {
        let ids: Vec<usize> = list
            .trim_matches(['[', ']'])
            .split(',')
            .filter_map(|s| s.trim().parse().ok())
            .collect();
        match (ids.first(), ids.last()) {
            (Some(&a), Some(&b)) => a..b + 1,
            _ => 0..0,
        }
    };
    let mut beads: Vec<Bead> = gold
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(s, t)| Bead::new(range(s), range(t), 1.0))
        .filter(|b| !b.src.is_empty() || !b.tgt.is_empty())
        .collect();
    // Gold files list only aligned beads; empty ranges sit at 0..0 and are dropped above.
    beads.retain(|b| !b.src.is_empty() && !b.tgt.is_empty());
    Bitext {
        name: name.into(),
        src: side(de, Lang::DE),
        tgt: side(fr, Lang::FR),
        block_beads: vec![],
        beads,
    }
}

/// 100 fixed queries drawn deterministically from the sources: 25 each of two words,
/// prefixes, three-word phrases and substrings, in every language of the sources.
fn queries(sources: &[Bitext]) -> Vec<Query> {
    let sentences: Vec<&str> = sources
        .iter()
        .flat_map(|b| b.src.sentences.iter().chain(&b.tgt.sentences))
        .map(|s| s.text.as_str())
        .filter(|s| s.split_whitespace().filter(|w| is_word(w)).count() >= 6)
        .collect();
    let pick = |k: usize| sentences[(k * 7919) % sentences.len()];
    let words = |s: &str| {
        s.split_whitespace()
            .filter(|w| is_word(w))
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let mut out = Vec::new();
    for k in 0..25 {
        let w = words(pick(k));
        let mut long: Vec<&String> = w.iter().filter(|x| x.chars().count() >= 5).collect();
        long.sort_by_key(|x| std::cmp::Reverse(x.chars().count()));
        let two = long
            .iter()
            .take(2)
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        out.push(Query::new(two));
        let w = words(pick(k + 100));
        let stem: String = w
            .iter()
            .max_by_key(|x| x.chars().count())
            .unwrap()
            .chars()
            .take(5)
            .collect();
        out.push(Query::new(format!("{stem}*")));
        let w = words(pick(k + 200));
        let mid = w.len() / 2;
        out.push(Query::new(format!("\"{}\"", w[mid - 1..mid + 2].join(" "))));
        let w = words(pick(k + 300));
        let longest: Vec<char> = w
            .iter()
            .max_by_key(|x| x.chars().count())
            .unwrap()
            .chars()
            .collect();
        let from = longest.len().saturating_sub(6) / 2;
        let mut sub = Query::new(
            longest[from..(from + 6).min(longest.len())]
                .iter()
                .collect::<String>(),
        );
        sub.substring = true;
        out.push(sub);
    }
    out
}

fn is_word(w: &str) -> bool {
    w.chars().all(char::is_alphabetic) && !w.is_empty()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn print_latency(label: &str, mut samples: Vec<Duration>) {
    samples.sort();
    println!(
        "{label}: n={} p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        samples.len(),
        percentile(&samples, 0.5).as_secs_f64() * 1e3,
        percentile(&samples, 0.99).as_secs_f64() * 1e3,
        samples.last().unwrap().as_secs_f64() * 1e3
    );
}

fn library_latency(label: &str, archive: &Archive, queries: &[Query]) {
    for q in queries {
        archive.search(q).expect("warm-up");
    }
    let mut by_kind: Vec<Vec<Duration>> = vec![Vec::new(); 4];
    let mut hits = 0;
    for _ in 0..ROUNDS {
        for (i, q) in queries.iter().enumerate() {
            let t = Instant::now();
            hits += archive.search(q).expect("search").total;
            by_kind[i % 4].push(t.elapsed());
        }
    }
    println!(
        "{label}: {} queries x {ROUNDS} rounds, {} hits per query on average (counted up to the window)",
        queries.len(),
        hits / ROUNDS / queries.len()
    );
    print_latency(&format!("{label} all"), by_kind.concat());
    for (kind, samples) in KINDS.iter().zip(by_kind) {
        print_latency(&format!("{label} {kind}"), samples);
    }
}

/// Baseline: the substring queries as a full scan of the sentences, no index.
fn scan_baseline(path: &Path, queries: &[Query]) {
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let mut samples = Vec::new();
    for q in queries.iter().filter(|q| q.substring).take(5) {
        let t = Instant::now();
        let _: i64 = conn
            .query_row(
                "SELECT count(*) FROM sentences WHERE text LIKE '%' || ?1 || '%'",
                [&q.text],
                |r| r.get(0),
            )
            .unwrap();
        samples.push(t.elapsed());
    }
    print_latency("baseline substring by full scan (5 queries)", samples);
}

/// The queries over HTTP; `searches` is how many searches the connections keep counted and
/// ranked (`diptych serve` keeps [`diptych_index::SEARCH_CACHE`]; 0 measures every search in
/// full). The requests repeat the 100 queries, so with the cache most are answered from it;
/// with the cache the load runs twice, the second time ("warm") with every query asked
/// before.
fn http_latency(label: &str, path: &Path, queries: &[Query], searches: usize) {
    // As many connections as `diptych serve` opens to this archive on this machine.
    let connections = diptych_server::size_for(path);
    let pool =
        Arc::new(diptych_server::Pool::open_caching(path, connections, searches).expect("pool"));
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let mut config = diptych_server::Config::new("unused");
            config.port = 0;
            let (listener, addr) = diptych_server::bind(&config).await.unwrap();
            tx.send(addr).unwrap();
            diptych_server::serve(listener, pool).await.unwrap();
        });
    });
    let addr = rx.recv().unwrap();
    let paths: Vec<String> = queries.iter().map(search_path).collect();
    http_load(label, addr, &paths, connections);
    if searches > 0 {
        // The same load again: every query has been asked before, so every window is kept.
        http_load(&format!("{label} warm"), addr, &paths, connections);
    }
}

/// One bounded load of the search paths against the server at `addr`; prints its rate, CPU
/// time and latencies per kind.
fn http_load(label: &str, addr: std::net::SocketAddr, paths: &[String], connections: usize) {
    let plan = Plan {
        clients: HTTP_CLIENTS,
        requests: HTTP_REQUESTS,
        duration: Duration::from_secs(3600),
    };
    let cpu = process_cpu_seconds();
    let report = load::run(addr, paths, plan);
    let cpu = process_cpu_seconds()
        .zip(cpu)
        .map(|(end, start)| end - start);
    assert_eq!(report.errors, 0, "{:?}", report.first_errors);
    let samples: Vec<(usize, Duration)> = report
        .by_path
        .iter()
        .map(|&(path, time)| (path % KINDS.len(), time))
        .collect();
    let secs = report.elapsed.as_secs_f64();
    println!(
        "{label}: {HTTP_REQUESTS} requests, {HTTP_CLIENTS} concurrent clients, {connections} connections, {:.0} requests/s",
        HTTP_REQUESTS as f64 / secs
    );
    if let Some(cpu) = cpu {
        println!(
            "{label}: CPU time (server and clients, one process): {:.2} ms per request, {:.2} cores busy; load average {}",
            cpu * 1e3 / HTTP_REQUESTS as f64,
            cpu / secs,
            load_average()
        );
    }
    print_latency(
        &format!("{label} all"),
        samples.iter().map(|s| s.1).collect(),
    );
    for (k, kind) in KINDS.iter().enumerate() {
        let of_kind = samples.iter().filter(|s| s.0 == k).map(|s| s.1).collect();
        print_latency(&format!("{label} {kind}"), of_kind);
    }
}

fn search_path(q: &Query) -> String {
    let encode = |s: &str| {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect::<String>()
    };
    format!(
        "/api/search?q={}{}",
        encode(&q.text),
        if q.substring { "&substring=1" } else { "" }
    )
}
