//! Speed of the extract stage on the reference report, against the pipeline run that feeds
//! it (ingest, segment, align), both measured in this run.
//!
//! `cargo bench -p diptych-core --bench extract`

use std::path::Path;
use std::time::{Duration, Instant};

use diptych_core::extract::gazetteer::Gazetteer;
use diptych_core::extract::{activities, agreement_findings, timeline_svg};
use diptych_core::pipeline::{build_bitext, Input, RunOptions};

/// The median time of `runs` calls of `f`.
fn median<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/benelux-2022/report.nl-fr.txt");
    let input = Input::Woven(path);
    let opts = RunOptions::default();

    let load = Instant::now();
    let entries = Gazetteer::builtin().entries().len();
    let load = load.elapsed();

    let bitext = build_bitext(&input, &opts).expect("the reference report reads");
    let baseline = median(5, || build_bitext(&input, &opts).expect("reads"));
    let acts = activities(&bitext);
    let extract = median(51, || activities(&bitext));
    let agreement = median(51, || agreement_findings(&bitext, &acts));
    let timeline = median(51, || timeline_svg(&acts));
    let total = extract + agreement + timeline;

    println!("reference report: {} activities", acts.len());
    println!(
        "gazetteer load (first use, {entries} entries): {:.2} ms",
        ms(load)
    );
    println!(
        "baseline build_bitext (ingest+segment+align), median of 5: {:.2} ms",
        ms(baseline)
    );
    println!("extract::activities, median of 51: {:.2} ms", ms(extract));
    println!(
        "extract::agreement_findings, median of 51: {:.2} ms",
        ms(agreement)
    );
    println!(
        "extract::timeline_svg, median of 51: {:.3} ms",
        ms(timeline)
    );
    println!(
        "extract stage total / baseline: {:.1} %",
        100.0 * total.as_secs_f64() / baseline.as_secs_f64()
    );
}
