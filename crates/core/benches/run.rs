//! Throughput and peak memory of the whole `run` pipeline (ingest, segment, align, write) on
//! the reference report repeated to large sizes, against a baseline measured in the same
//! run: reading the same file as text and splitting it into lines.
//!
//! `cargo bench -p diptych-core --bench run` (sizes in MB: `DIPTYCH_BENCH_MB=12.5,25,50`).
//! Sizes run in increasing order, so the process's peak resident memory (VmHWM) after each
//! size is that size's peak.

use std::path::Path;
use std::time::Instant;

use diptych_core::pipeline::{build_bitext, write_run_dir, Input, RunOptions, RunOutput};

const REFERENCE: &str = include_str!("../../../examples/benelux-2022/report.nl-fr.txt");

fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

fn write_input(path: &Path, megabytes: f64) -> usize {
    let copies = ((megabytes * 1e6) / REFERENCE.len() as f64).ceil() as usize;
    let mut text = String::with_capacity(copies * (REFERENCE.len() + 2));
    for _ in 0..copies {
        text.push_str(REFERENCE.trim_end());
        text.push_str("\n\n");
    }
    std::fs::write(path, &text).expect("write the bench input");
    copies
}

fn main() {
    let sizes: Vec<f64> = std::env::var("DIPTYCH_BENCH_MB")
        .unwrap_or_else(|_| "12.5,25,50".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let dir = tempfile::tempdir().expect("a temporary folder");
    println!("run: ingest + segment + align + write, reference report repeated");
    println!(
        "{:>8} {:>7} {:>14} {:>11} {:>8} {:>10} {:>10} {:>9}",
        "input_MB",
        "copies",
        "baseline_MB/s",
        "run_MB/s",
        "ratio",
        "peak_MiB",
        "peak/input",
        "beads"
    );
    for mb in sizes {
        let input = dir.path().join(format!("woven-{mb}.txt"));
        let copies = write_input(&input, mb);
        let bytes = std::fs::metadata(&input).map(|m| m.len()).unwrap_or(0) as f64;

        let start = Instant::now();
        let text = diptych_core::fsio::read_text(&input).expect("read");
        let lines = text.lines().count();
        drop(text);
        let baseline = start.elapsed().as_secs_f64();
        assert!(lines > copies);

        let start = Instant::now();
        let bitext = build_bitext(&Input::Woven(input.clone()), &RunOptions::default())
            .expect("the pipeline runs");
        let out = dir.path().join(format!("out-{mb}"));
        let beads = bitext.beads.len();
        assert_eq!(bitext.src.blocks.len(), bitext.tgt.blocks.len());
        write_run_dir(
            &RunOutput {
                bitext,
                ..RunOutput::default()
            },
            &out,
        )
        .expect("outputs written");
        let run = start.elapsed().as_secs_f64();

        let peak = peak_rss_mib();
        let input_mib = bytes / (1024.0 * 1024.0);
        println!(
            "{:>8.1} {:>7} {:>14.1} {:>11.2} {:>8.0} {:>10.0} {:>10.1} {:>9}",
            bytes / 1e6,
            copies,
            bytes / 1e6 / baseline,
            bytes / 1e6 / run,
            run / baseline,
            peak,
            peak / input_mib,
            beads
        );
        std::fs::remove_dir_all(&out).ok();
        std::fs::remove_file(&input).ok();
    }
}
