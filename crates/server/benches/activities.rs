//! Activities page benchmark: a generated archive of 10,000 activities (100 documents of 100
//! activities, 25 years, partners and places from a fixed list, written in Dutch and French),
//! served over HTTP on loopback as `diptych serve` serves it. Prints the median and worst of
//! each request (keep-alive, one client, as the page's script asks):
//!
//! * the baseline: the unfiltered list query `/api/activities?limit=100`;
//! * the first render: the page itself, then `/api/activities/view` unfiltered (answer time
//!   and payload size: one page of rows, the counts, the timeline of all 10,000);
//! * each filter change: partner, place, level, year range, document, title words, a sort,
//!   the next page, partner and year range together;
//! * the click on an activity (its beads).
//!
//! Each figure is printed with its ratio to the baseline and against the 200 ms aim.
//! Run: `cargo bench -p diptych-server --bench activities` (env `DIPTYCH_BENCH_ACTIVITIES`
//! sets the number of activities, default 10,000).

#[path = "../../index/tests/common/mod.rs"]
mod common;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use diptych_core::model::{Level, Place};
use diptych_core::{Activity, Bitext, Lang};
use diptych_index::{AddOptions, Archive, NewDocument};
use diptych_testkit::load::Client;

const PER_DOCUMENT: usize = 100;
const ROUNDS: usize = 21;
const AIM: Duration = Duration::from_millis(200);

/// Partners and places: canonical name, Dutch, French, whether the gazetteer knows it.
const NAMES: [(&str, &str, &str, bool); 16] = [
    ("Baltic states", "Baltische staten", "États baltes", true),
    ("Nordic countries", "Noordse landen", "pays nordiques", true),
    ("Slovenia", "Slovenië", "Slovénie", true),
    (
        "North Rhine-Westphalia",
        "Noordrijn-Westfalen",
        "Rhénanie-du-Nord-Westphalie",
        true,
    ),
    (
        "Western Balkans",
        "Westelijke Balkan",
        "Balkans occidentaux",
        true,
    ),
    ("United Nations", "Verenigde Naties", "Nations unies", true),
    (
        "European Council",
        "Europese Raad",
        "Conseil européen",
        true,
    ),
    ("Greater Region", "Grande Regio", "Grande Région", true),
    ("Brussels", "Brussel", "Bruxelles", true),
    ("The Hague", "Den Haag", "La Haye", true),
    ("Luxembourg City", "Luxemburg", "Luxembourg", true),
    ("Geneva", "Genève", "Genève", true),
    ("New York", "New York", "New York", true),
    ("Vilnius", "Vilnius", "Vilnius", true),
    ("Senningen", "Senningen", "Senningen", true),
    ("Esch-Belval", "Esch-Belval", "Esch-Belval", false),
];
const SUBJECTS: [(&str, &str); 8] = [
    ("Energie", "l'Énergie"),
    ("Buitenlandse Zaken", "Affaires étrangères"),
    ("Justitie", "Justice"),
    ("Mobiliteit", "Mobilité"),
    ("Economie", "Économie"),
    ("Defensie", "Défense"),
    ("Gezondheid", "Santé"),
    ("Klimaat", "Climat"),
];
const LEVELS: [Level; 4] = [
    Level::HeadsOfGovernment,
    Level::Ministerial,
    Level::SeniorOfficials,
    Level::Other,
];

fn main() {
    let total: usize = std::env::var("DIPTYCH_BENCH_ACTIVITIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("activities.sqlite");
    let started = Instant::now();
    build(&path, total);
    println!(
        "archive: {total} activities in {} documents, built in {:.1} s; load average {}",
        total.div_ceil(PER_DOCUMENT),
        started.elapsed().as_secs_f64(),
        load_average()
    );
    let addr = serve(&path);
    let mut client = Client::connect(addr).expect("connect");
    let baseline = measure(&mut client, "/api/activities?limit=100");
    print_header();
    print_row("baseline: unfiltered list, 100 rows", &baseline, &baseline);
    let page = measure(&mut client, "/activities");
    print_row("first render: the page", &page, &baseline);
    let view = measure(&mut client, "/api/activities/view?limit=100");
    print_row("first render: view, unfiltered", &view, &baseline);
    let first = Sample {
        median: page.median + view.median,
        worst: page.worst + view.worst,
        bytes: page.bytes + view.bytes,
    };
    print_row("first render: page + view", &first, &baseline);
    let mut slowest = first.median;
    for (label, query) in filter_changes() {
        let s = measure(
            &mut client,
            &format!("/api/activities/view?limit=100&{query}"),
        );
        print_row(label, &s, &baseline);
        slowest = slowest.max(s.median);
    }
    let source = measure(&mut client, "/api/documents/report-042/activities/17");
    print_row("click: an activity's beads", &source, &baseline);
    println!(
        "slowest median of first render and filter changes: {:.1} ms ({} the 200 ms aim)",
        ms(slowest),
        if slowest < AIM { "under" } else { "OVER" }
    );
}

/// The filter changes measured, as the page's script sends them.
fn filter_changes() -> [(&'static str, &'static str); 10] {
    [
        ("filter: partner", "partner=Baltische"),
        ("filter: place", "place=Bruxelles"),
        ("filter: level", "level=heads_of_government"),
        ("filter: year range", "from=2010&to=2014"),
        ("filter: document", "doc=report-042"),
        ("filter: title words", "text=ministres%20energie"),
        (
            "filter: partner + year range",
            "partner=Baltic&from=2010&to=2014",
        ),
        ("sort: by title, descending", "sort=title&desc=1"),
        ("sort: by partner", "sort=partner"),
        ("next page (offset 100)", "offset=100"),
    ]
}

/// A deterministic pseudo-random sequence (64-bit LCG), so every run builds the same archive.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

fn build(path: &std::path::Path, total: usize) {
    let mut archive = Archive::open(path).expect("create archive");
    let mut rng = Lcg(17);
    let mut docs = Vec::new();
    for d in 0..total.div_ceil(PER_DOCUMENT) {
        let count = PER_DOCUMENT.min(total - d * PER_DOCUMENT);
        let year = 2000 + (d % 25) as i32;
        let activities: Vec<Activity> = (0..count).map(|i| activity(&mut rng, year, i)).collect();
        docs.push((document(d, count), activities, year));
    }
    let options: Vec<AddOptions> = docs
        .iter()
        .map(|(_, _, year)| AddOptions {
            year: Some(*year),
            report_html: Some("<p>review page</p>".into()),
        })
        .collect();
    let batch: Vec<NewDocument> = docs
        .iter()
        .zip(&options)
        .map(|((bitext, activities, _), options)| NewDocument {
            bitext,
            findings: &[],
            activities,
            options,
        })
        .collect();
    archive.add_batch(&batch).expect("add");
}

/// A document of `count` items, one per activity, Dutch and French.
fn document(d: usize, count: usize) -> Bitext {
    let texts: Vec<(String, String)> = (0..count)
        .map(|i| {
            (
                format!("Op die dag vergaderden de ministers (punt {i})."),
                format!("Ce jour-là, les ministres se sont réunis (point {i})."),
            )
        })
        .collect();
    let sides: Vec<([&str; 1], [&str; 1])> = texts
        .iter()
        .map(|(nl, fr)| ([nl.as_str()], [fr.as_str()]))
        .collect();
    let pairs: Vec<common::Pair> = sides.iter().map(|(nl, fr)| common::item(nl, fr)).collect();
    common::bitext(&format!("report-{d:03}"), [Lang::NL, Lang::FR], &pairs)
}

fn activity(rng: &mut Lcg, year: i32, i: usize) -> Activity {
    let (subject_nl, subject_fr) = SUBJECTS[rng.below(SUBJECTS.len())];
    let partners: Vec<Place> = (0..1 + rng.below(3))
        .map(|_| place(NAMES[rng.below(8)]))
        .collect();
    let with = &partners[0].written;
    let date = format!("{year}-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28));
    Activity {
        titles: BTreeMap::from([
            (
                Lang::NL,
                format!(
                    "Vergadering van de ministers van {subject_nl} met {}",
                    with[&Lang::NL]
                ),
            ),
            (
                Lang::FR,
                format!(
                    "Réunion des ministres de {subject_fr} avec {}",
                    with[&Lang::FR]
                ),
            ),
        ]),
        section: BTreeMap::new(),
        level: LEVELS[rng.below(LEVELS.len())],
        dates: vec![date],
        places: vec![place(NAMES[8 + rng.below(8)])],
        partners,
        topics: vec![],
        people: vec![],
        blocks: vec![format!("nl-b{i}"), format!("fr-b{i}")],
    }
}

fn place((name, nl, fr, known): (&str, &str, &str, bool)) -> Place {
    Place {
        name: name.into(),
        kind: if known { "group" } else { "unknown" }.into(),
        written: BTreeMap::from([(Lang::NL, nl.into()), (Lang::FR, fr.into())]),
        in_gazetteer: known,
    }
}

/// Serves the archive as `diptych serve` does, on a free loopback port, in its own thread.
fn serve(path: &std::path::Path) -> SocketAddr {
    let pool =
        Arc::new(diptych_server::Pool::open(path, diptych_server::default_size()).expect("pool"));
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
    rx.recv().unwrap()
}

/// One request's figures over [`ROUNDS`] rounds after a warm-up.
struct Sample {
    median: Duration,
    worst: Duration,
    bytes: usize,
}

fn measure(client: &mut Client, path: &str) -> Sample {
    let (status, bytes) = client.get(path).expect("an answer");
    assert_eq!(status, 200, "{path}");
    let mut times: Vec<Duration> = (0..ROUNDS)
        .map(|_| {
            let t = Instant::now();
            client.get(path).expect("an answer");
            t.elapsed()
        })
        .collect();
    times.sort();
    Sample {
        median: times[ROUNDS / 2],
        worst: times[ROUNDS - 1],
        bytes,
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn print_header() {
    println!(
        "{:<38} {:>10} {:>10} {:>11} {:>9}  aim",
        "request", "median ms", "worst ms", "bytes", "x base"
    );
}

fn print_row(label: &str, s: &Sample, baseline: &Sample) {
    println!(
        "{label:<38} {:>10.1} {:>10.1} {:>11} {:>9.1}  {}",
        ms(s.median),
        ms(s.worst),
        s.bytes,
        ms(s.median) / ms(baseline.median).max(1e-6),
        if s.median < AIM { "ok" } else { "OVER 200 ms" }
    );
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}
