//! Speed and peak memory of the PDF reader (`ingest::read_pdf`) on 100-page two-column PDFs,
//! against poppler's `pdftotext` (run as a separate process, GPL) on the same files in the
//! same run. Two inputs:
//! * the en/fr text set by the test typesetter (`diptych_testkit::typeset`: base-14
//!   Helvetica, two flowing columns, header and folio) to exactly 100 pages;
//! * the reference report repeated in two text columns by LibreOffice
//!   (`scripts/make-pdf-fixtures --long 100`: embedded subset fonts, hyphenation), when
//!   `soffice` is present.
//!
//! Prints pages per second of each, the ratio (reader time / pdftotext time; the aim is
//! within 2x), and the peak resident memory (VmHWM) of this process and of pdftotext
//! (`/usr/bin/time -f %M`), and the reader's time per stage. Skips what it cannot measure,
//! with a note.
//!
//! `cargo bench -p diptych-core --bench pdf`

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use diptych_core::ingest::{read_pdf, IngestOptions};
use diptych_testkit::typeset::{two_columns, write_pdf, Block, Layout};

const PAGES: usize = 100;
const ROUNDS: usize = 3;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The en/fr text's headings and paragraphs, one language.
fn blocks(lang: &str) -> Vec<Block> {
    let text = std::fs::read_to_string(repo().join(format!("tests/data/en-fr/{lang}.md")))
        .expect("tests/data/en-fr");
    text.split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .map(|p| {
            let heading = p.starts_with('#') || p.starts_with("- ");
            Block {
                text: p.trim_start_matches(['#', '-', ' ']).to_owned(),
                heading,
            }
        })
        .collect()
}

/// A PDF of exactly `pages` pages: the en/fr text repeated in two flowing columns.
fn typeset_pdf(pages: usize) -> Vec<u8> {
    let (en, fr) = (blocks("en"), blocks("fr"));
    let layout = Layout {
        header: Some("Upper Rhine — joint report 2023 | Rhin supérieur — rapport commun".into()),
        ..Layout::default()
    };
    let one = two_columns(&en, &fr, &layout).len().max(1);
    let copies = pages.div_ceil(one) + 1;
    let repeat = |blocks: &[Block]| -> Vec<Block> {
        (0..copies).flat_map(|_| blocks.iter().cloned()).collect()
    };
    let (en, fr) = (repeat(&en), repeat(&fr));
    let mut laid = two_columns(&en, &fr, &layout);
    laid.truncate(pages);
    write_pdf(&laid)
}

/// The LibreOffice-made long document, or why there is none.
fn libreoffice_pdf(dir: &Path) -> Result<PathBuf, String> {
    let script = repo().join("scripts/make-pdf-fixtures");
    let out = Command::new(&script)
        .args(["--long", &PAGES.to_string(), "--out"])
        .arg(dir)
        .output()
        .map_err(|e| format!("{}: {e}", script.display()))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_owned());
    }
    Ok(dir.join("long.nl-fr.columns.a4.pdf"))
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn time_reader(path: &Path) -> (Duration, usize) {
    let opts = IngestOptions::default();
    let mut blocks = 0;
    let times = (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            let read = read_pdf(path, &opts).expect("the reader reads the benchmark PDF");
            let elapsed = start.elapsed();
            blocks = read.docs[0].blocks.len() + read.docs[1].blocks.len();
            elapsed
        })
        .collect();
    (median(times), blocks)
}

/// Where the reader's time goes: the PDF library's glyphs alone, then glyphs plus lines,
/// columns and gutters (`page_texts`); the rest of `read_pdf` (furniture, paragraphs,
/// language, joins, blocks) is the whole minus these. Medians of `ROUNDS`.
fn time_stages(path: &Path) -> [Duration; 2] {
    use diptych_core::ingest::pdf::{glyphs, page_texts};
    let bytes = std::fs::read(path).expect("reads the benchmark PDF");
    let glyphs_only = (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            let source = glyphs::open(bytes.clone(), path).expect("opens");
            for i in 0..source.page_count() {
                std::hint::black_box(source.page(i).expect("a page"));
            }
            start.elapsed()
        })
        .collect();
    let with_layout = (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            let source = glyphs::open(bytes.clone(), path).expect("opens");
            std::hint::black_box(page_texts(source.as_ref()).expect("lays out"));
            start.elapsed()
        })
        .collect();
    [median(glyphs_only), median(with_layout)]
}

fn pdftotext_present() -> bool {
    Command::new("pdftotext")
        .arg("-v")
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn time_pdftotext(path: &Path) -> Duration {
    let times = (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            let status = Command::new("pdftotext")
                .arg(path)
                .arg("-")
                .stdout(Stdio::null())
                .status()
                .expect("pdftotext runs");
            assert!(status.success(), "pdftotext {}", path.display());
            start.elapsed()
        })
        .collect();
    median(times)
}

/// Peak resident memory of `pdftotext` on `path` in KiB, from `/usr/bin/time -f %M`.
fn pdftotext_peak_kib(path: &Path) -> Option<u64> {
    let out = Command::new("/usr/bin/time")
        .args(["-f", "%M", "pdftotext"])
        .arg(path)
        .arg("-")
        .stdout(Stdio::null())
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .last()?
        .trim()
        .parse()
        .ok()
}

/// This process's peak resident memory (VmHWM) in KiB.
fn own_peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn page_count(path: &Path) -> usize {
    let out = Command::new("pdfinfo").arg(path).output();
    out.ok()
        .and_then(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().ok()))
                .flatten()
        })
        .unwrap_or(PAGES)
}

fn measure(label: &str, path: &Path, pages: usize) {
    let (ours, blocks) = time_reader(path);
    let rate = |d: Duration| pages as f64 / d.as_secs_f64();
    println!(
        "{label}: {pages} pages, {} KB; diptych read_pdf {:.0} ms ({:.1} pages/s, {blocks} blocks)",
        std::fs::metadata(path).map_or(0, |m| m.len() / 1024),
        ours.as_secs_f64() * 1000.0,
        rate(ours)
    );
    let [glyphs, layout] = time_stages(path);
    let share = |d: Duration| 100.0 * d.as_secs_f64() / ours.as_secs_f64();
    println!(
        "{label}: stages: glyphs (pdf_oxide) {:.0} ms ({:.0} %), lines and columns {:.0} ms ({:.0} %), the rest {:.0} ms ({:.0} %)",
        glyphs.as_secs_f64() * 1000.0,
        share(glyphs),
        (layout - glyphs.min(layout)).as_secs_f64() * 1000.0,
        share(layout - glyphs.min(layout)),
        (ours - layout.min(ours)).as_secs_f64() * 1000.0,
        share(ours - layout.min(ours)),
    );
    if pdftotext_present() {
        let theirs = time_pdftotext(path);
        println!(
            "{label}: pdftotext {:.0} ms ({:.1} pages/s); ratio diptych/pdftotext {:.2}x; pdftotext peak {}",
            theirs.as_secs_f64() * 1000.0,
            rate(theirs),
            ours.as_secs_f64() / theirs.as_secs_f64(),
            pdftotext_peak_kib(path).map_or("unknown".into(), |k| format!("{} MiB", k / 1024))
        );
    } else {
        println!("{label}: pdftotext not found (Debian poppler-utils): no baseline");
    }
}

fn main() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let typeset = dir.path().join("typeset.pdf");
    std::fs::write(&typeset, typeset_pdf(PAGES)).expect("writes the PDF");
    measure("typeset (Helvetica, en/fr)", &typeset, PAGES);
    match libreoffice_pdf(dir.path()) {
        Ok(path) => measure(
            "LibreOffice (reference x14, nl/fr)",
            &path,
            page_count(&path),
        ),
        Err(why) => println!("LibreOffice PDF skipped: {why}"),
    }
    println!(
        "peak memory of this process (VmHWM): {}",
        own_peak_kib().map_or("unknown".into(), |k| format!("{} MiB", k / 1024))
    );
}
