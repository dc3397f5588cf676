//! Export speed: writes the reference report's bitext, repeated to a large memory, in every
//! format and reads the TMX and XLIFF back. The baseline, measured in the same run, is
//! serde_json writing the same bitext (the run folder's own serialisation), so the figures
//! read as "how many times slower than plain JSON".
//!
//! Run with `cargo bench -p diptych-core --bench export` (optionally `-- COPIES`, default 200).

use std::path::Path;
use std::time::{Duration, Instant};

use diptych_core::export::{self, ExportOptions, Format};
use diptych_core::pipeline::{self, Input, RunOptions};
use diptych_core::{Bead, Bitext, Document, Finding, Severity};

fn main() {
    let copies: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(200);
    let report =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/benelux-2022/report.nl-fr.txt");
    let one = pipeline::build_bitext(&Input::Woven(report), &RunOptions::default())
        .expect("the reference report runs");
    let bitext = repeat(&one, copies);
    println!(
        "bitext: the reference report x{copies}: {} sentence beads, {} + {} sentences",
        bitext.beads.len(),
        bitext.src.sentences.len(),
        bitext.tgt.sentences.len()
    );
    let (json_time, json_len) = best_of(5, || {
        let mut out = Vec::new();
        serde_json::to_writer(&mut out, &bitext).unwrap();
        out
    });
    report_line(
        "serde_json (baseline)",
        json_time,
        json_len,
        bitext.beads.len(),
        json_time,
    );
    // One finding on every third bead, so that carrying findings is part of the cost.
    let findings: Vec<Finding> = (0..bitext.beads.len())
        .step_by(3)
        .map(|bead| Finding {
            check: "numbers".into(),
            severity: Severity::Warning,
            bead: Some(bead),
            lang: None,
            message: "a number differs".into(),
            evidence: Default::default(),
            highlights: vec![],
            suggestions: vec![],
            rule: None,
        })
        .collect();
    println!("findings: {}", findings.len());
    let options = ExportOptions::default();
    let mut outputs = Vec::new();
    for (label, format) in [
        ("write tmx", Format::Tmx),
        ("write xliff", Format::Xliff),
        ("write tsv", Format::Tsv),
        ("write jsonl", Format::Jsonl),
    ] {
        let (time, out) = best_of_bytes(5, || {
            let mut out = Vec::new();
            export::write(format, &bitext, &findings, &options, &mut out).unwrap();
            out
        });
        report_line(label, time, out.len(), bitext.beads.len(), json_time);
        outputs.push((format, out));
    }
    for (format, bytes) in outputs {
        let label = match format {
            Format::Tmx => "read tmx",
            Format::Xliff => "read xliff",
            _ => continue,
        };
        let text = String::from_utf8(bytes).unwrap();
        let (time, beads) = best_of(3, || {
            export::read_memory_str(Path::new("bench"), &text)
                .unwrap()
                .beads
        });
        assert_eq!(beads, bitext.beads.len(), "{label} lost beads");
        report_line(label, time, text.len(), bitext.beads.len(), json_time);
    }
}

/// The fastest of `runs` runs of `f`, and the length of what it made.
fn best_of<T: Lenish>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, usize) {
    let mut best = Duration::MAX;
    let mut len = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let made = f();
        best = best.min(start.elapsed());
        len = made.len_of();
    }
    (best, len)
}

fn best_of_bytes(runs: usize, mut f: impl FnMut() -> Vec<u8>) -> (Duration, Vec<u8>) {
    let mut best = Duration::MAX;
    let mut last = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        last = f();
        best = best.min(start.elapsed());
    }
    (best, last)
}

trait Lenish {
    fn len_of(&self) -> usize;
}

impl<T> Lenish for Vec<T> {
    fn len_of(&self) -> usize {
        self.len()
    }
}

fn report_line(label: &str, time: Duration, bytes: usize, beads: usize, baseline: Duration) {
    let secs = time.as_secs_f64();
    println!(
        "{label:<22} {:>8.1} ms  {:>7.1} MB  {:>7.1} MB/s  {:>9.0} beads/s  {:>5.2}x baseline",
        secs * 1e3,
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / secs,
        beads as f64 / secs,
        secs / baseline.as_secs_f64()
    );
}

/// The bitext `n` times over, as one long document (ids and indices renumbered).
fn repeat(one: &Bitext, n: usize) -> Bitext {
    let mut out = Bitext {
        name: format!("{}-x{n}", one.name),
        src: Document {
            lang: one.src.lang,
            ..Default::default()
        },
        tgt: Document {
            lang: one.tgt.lang,
            ..Default::default()
        },
        ..Default::default()
    };
    for copy in 0..n {
        let offsets = [
            (out.src.blocks.len(), out.src.sentences.len()),
            (out.tgt.blocks.len(), out.tgt.sentences.len()),
        ];
        append(&mut out.src, &one.src, copy);
        append(&mut out.tgt, &one.tgt, copy);
        let shift = |b: &Bead, side: usize, blocks: bool| {
            let off = if blocks {
                offsets[side].0
            } else {
                offsets[side].1
            };
            let r = if side == 0 { &b.src } else { &b.tgt };
            r.start + off..r.end + off
        };
        for b in &one.beads {
            out.beads
                .push(Bead::new(shift(b, 0, false), shift(b, 1, false), b.score));
        }
        for b in &one.block_beads {
            out.block_beads
                .push(Bead::new(shift(b, 0, true), shift(b, 1, true), b.score));
        }
    }
    out
}

fn append(into: &mut Document, from: &Document, copy: usize) {
    let block_offset = into.blocks.len();
    for b in &from.blocks {
        let mut b = b.clone();
        b.id = format!("{}-c{copy}", b.id);
        into.blocks.push(b);
    }
    for s in &from.sentences {
        let mut s = s.clone();
        s.id = format!("{}-c{copy}", s.id);
        s.block = format!("{}-c{copy}", s.block);
        s.block_index += block_offset;
        into.sentences.push(s);
    }
}
