//! `diptych run A B DIR... --out OUT`, `diptych run --manifest LIST --out OUT`: a batch, one
//! run folder per document under OUT. The documents are found and planned by
//! `diptych_core::batch`; this file adds the command line's side: the settings shared by the
//! whole batch, progress, the summary and the exit code (0 all done, 1 some failed, 2 nothing
//! could run).

use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use diptych_core::align::AlignOptions;
use diptych_core::batch::driver::{self, Done, Event, Failure, SeverityCounts, Shared};
use diptych_core::batch::{self, discover, manifest, Job};
use diptych_core::check::{CheckOptions, GrammarOptions};
use diptych_core::pipeline::RunOptions;
use diptych_core::Lang;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::run::Args;

/// Exit code of a batch in which some documents failed.
const EXIT_SOME_FAILED: u8 = 1;

/// Runs a batch.
pub fn execute(args: &Args) -> anyhow::Result<ExitCode> {
    if args.name.is_some() {
        bail!("--name names one document; in a batch give names in a --manifest");
    }
    let langs = super::run::parse_langs(&args.langs)?;
    diptych_core::fsio::probe_writable(&args.out)
        .with_context(|| format!("cannot write the outputs to {}", args.out.display()))?;
    let planned = batch::plan(gather(&args.inputs, &args.manifest)?, args.shard)?;
    if planned.is_empty() {
        bail!(
            "no documents found in {} (a folder is searched for .txt, .pdf and pairs \
             NAME.xx.EXT + NAME.yy.EXT)",
            inputs_named(args)
        );
    }
    let start = Instant::now();
    let grammar = GrammarOptions::system(args.typography);
    let encoder = super::align::encoder_folder(args.encoder.as_ref().map(Option::as_deref))?;
    let mut options = batch_options(&langs, args.typography, encoder.as_deref(), &grammar);
    if args.pair_everything {
        options.push_str("\npair_everything=true");
    }
    let total = planned.len();
    let triage = driver::triage(planned, &args.out, &options, args.force);
    let progress = Progress::new(triage.todo.len(), args.verbose);
    progress.opening(total, &triage);
    let mut failed = triage.failed;
    let mut done = Vec::new();
    if !triage.todo.is_empty() {
        std::fs::create_dir_all(&args.out)
            .with_context(|| format!("cannot write the outputs to {}", args.out.display()))?;
        let shared = Shared {
            run: RunOptions {
                langs,
                name: None,
                align: AlignOptions {
                    encoder: super::align::load_encoder(encoder.as_deref().map(Some))?,
                    // Documents are short: every sentence encoded, so every bead of the bitext
                    // carries its semantic similarity.
                    gate_encoder: false,
                    unpair_unrelated: !args.pair_everything,
                    ..Default::default()
                },
                max_input_bytes: Some(args.max_input_bytes()?),
            },
            check: CheckOptions {
                grammar,
                ..CheckOptions::standard()
            },
            out: args.out.clone(),
        };
        let jobs = args
            .jobs
            .map_or_else(default_jobs, std::num::NonZeroUsize::get);
        let (d, f) = driver::process(triage.todo, &shared, jobs, &|e| progress.event(e))?;
        done = d;
        failed.extend(f);
    }
    progress.finish();
    let summary = Summary {
        done,
        skipped: triage.skipped.len(),
        failed,
        seconds: start.elapsed().as_secs_f64(),
    };
    eprint!("{summary}");
    Ok(summary.exit_code())
}

/// The documents of the command-line paths and manifests.
fn gather(inputs: &[PathBuf], manifests: &[PathBuf]) -> anyhow::Result<Vec<Job>> {
    let mut jobs = Vec::new();
    for path in inputs {
        jobs.extend(discover::jobs_of_path(path)?);
    }
    for path in manifests {
        jobs.extend(manifest::read(path)?);
    }
    Ok(jobs)
}

fn inputs_named(args: &Args) -> String {
    let names: Vec<String> = args
        .inputs
        .iter()
        .chain(&args.manifest)
        .map(|p| p.display().to_string())
        .collect();
    names.join(", ")
}

/// The batch's settings as text, hashed into every document's stamp: a change of program
/// version, languages, typography, encoder or available grammar checkers redoes the batch.
fn batch_options(
    langs: &[Lang],
    typography: bool,
    encoder: Option<&Path>,
    grammar: &GrammarOptions,
) -> String {
    let langs: Vec<&str> = langs.iter().map(|l| l.as_str()).collect();
    let checkers: Vec<String> = grammar
        .checkers
        .iter()
        .map(|(lang, c)| format!("{lang}:{}", c.name()))
        .collect();
    format!(
        "diptych {}\nbatch langs={}\ntypography={typography}\nencoder={}\ngrammar={}",
        env!("CARGO_PKG_VERSION"),
        langs.join(","),
        encoder.map_or_else(String::new, |p| p.display().to_string()),
        checkers.join(",")
    )
}

/// One worker per core.
fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

/// What the user sees while a batch runs: a bar on a terminal, one line per document
/// otherwise (and with --verbose); the checks' notes once each.
struct Progress {
    bar: Option<ProgressBar>,
    lines: bool,
    total: usize,
    start: Instant,
    state: Mutex<Tally>,
}

/// Documents finished so far and the beads they held.
#[derive(Default)]
struct Tally {
    finished: usize,
    beads: usize,
    notes: BTreeSet<String>,
}

impl Progress {
    fn new(total: usize, verbose: bool) -> Progress {
        let terminal = std::io::stderr().is_terminal();
        Progress {
            bar: (terminal && total > 0).then(|| bar(total)),
            lines: !terminal || verbose,
            total,
            start: Instant::now(),
            state: Mutex::default(),
        }
    }

    /// Says how the batch divides before the work starts, and names the unreadable inputs.
    fn opening(&self, total: usize, triage: &driver::Triage) {
        self.say(&format!(
            "batch: {total} documents: {} to do, {} up to date, {} unreadable",
            triage.todo.len(),
            triage.skipped.len(),
            triage.failed.len()
        ));
        for f in &triage.failed {
            self.say(&format!("failed {}: {}", f.folder, f.reason));
        }
    }

    /// One document ended.
    fn event(&self, event: Event) {
        let mut tally = self.state.lock().unwrap_or_else(|e| e.into_inner());
        tally.finished += 1;
        let line = match event {
            Event::Done(d) => {
                tally.beads += d.beads;
                done_line(d)
            }
            Event::Failed(f) => format!("failed {}: {}", f.folder, f.reason),
        };
        let rates = self.rates(&tally);
        if let Some(bar) = &self.bar {
            bar.set_position(tally.finished as u64);
            bar.set_message(rates.clone());
        }
        if self.lines || matches!(event, Event::Failed(_)) {
            self.say(&format!(
                "[{}/{}] {line} ({rates})",
                tally.finished, self.total
            ));
        }
        if let Event::Done(d) = event {
            for note in &d.notes {
                if tally.notes.insert(note.clone()) {
                    self.say(&format!("note: {note}"));
                }
            }
        }
    }

    /// Documents and beads per second since the work started, and the time left.
    fn rates(&self, tally: &Tally) -> String {
        let elapsed = self.start.elapsed().as_secs_f64().max(1e-3);
        let per_second = tally.finished as f64 / elapsed;
        let left = (self.total - tally.finished) as f64 / per_second.max(1e-9);
        format!(
            "{per_second:.2} documents/s, {:.0} beads/s, ETA {}",
            tally.beads as f64 / elapsed,
            clock(left)
        )
    }

    fn say(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("diptych: {line}")),
            None => eprintln!("diptych: {line}"),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

fn done_line(d: &Done) -> String {
    format!(
        "done {}: {} beads, {} findings, {:.1} s",
        d.folder,
        d.beads,
        d.findings.error + d.findings.warning + d.findings.info,
        d.seconds
    )
}

/// `1h02m`, `3m05s` or `12s`.
fn clock(seconds: f64) -> String {
    let s = seconds.round() as u64;
    match (s / 3600, s / 60 % 60, s % 60) {
        (0, 0, s) => format!("{s}s"),
        (0, m, s) => format!("{m}m{s:02}s"),
        (h, m, _) => format!("{h}h{m:02}m"),
    }
}

/// An in-place bar over the documents to do.
fn bar(total: usize) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} documents, {msg}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// What a batch did, printed at its end.
struct Summary {
    done: Vec<Done>,
    skipped: usize,
    failed: Vec<Failure>,
    seconds: f64,
}

impl Summary {
    /// 0 when every document is done (or up to date), 1 when some failed, 2 when all failed.
    fn exit_code(&self) -> ExitCode {
        if self.failed.is_empty() {
            ExitCode::SUCCESS
        } else if self.done.is_empty() && self.skipped == 0 {
            ExitCode::from(super::EXIT_ERROR)
        } else {
            ExitCode::from(EXIT_SOME_FAILED)
        }
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let beads: usize = self.done.iter().map(|d| d.beads).sum();
        let findings = self
            .done
            .iter()
            .fold(SeverityCounts::default(), |sum, d| sum + d.findings);
        let seconds = self.seconds.max(1e-3);
        writeln!(
            f,
            "documents: {} done, {} skipped (up to date), {} failed, in {:.1} s ({:.2} documents/s)",
            self.done.len(),
            self.skipped,
            self.failed.len(),
            self.seconds,
            self.done.len() as f64 / seconds
        )?;
        writeln!(f, "beads: {beads} ({:.0} beads/s)", beads as f64 / seconds)?;
        writeln!(
            f,
            "findings: {} errors, {} warnings, {} info",
            findings.error, findings.warning, findings.info
        )?;
        for failure in &self.failed {
            writeln!(
                f,
                "failed: {} ({}): {}",
                failure.folder,
                failure.input.display(),
                failure.reason
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_reads_like_a_clock() {
        assert_eq!(clock(12.4), "12s");
        assert_eq!(clock(185.0), "3m05s");
        assert_eq!(clock(3720.0), "1h02m");
    }

    fn summary(done: usize, skipped: usize, failed: usize) -> Summary {
        let d = Done {
            folder: "a".into(),
            beads: 10,
            findings: SeverityCounts {
                error: 1,
                warning: 2,
                info: 3,
            },
            notes: vec![],
            seconds: 1.0,
        };
        let f = Failure {
            folder: "b".into(),
            input: "in/b.pdf".into(),
            reason: "in/b.pdf: not a readable PDF: truncated".into(),
        };
        Summary {
            done: vec![d; done],
            skipped,
            failed: vec![f; failed],
            seconds: 2.0,
        }
    }

    #[test]
    fn the_exit_code_says_whether_all_some_or_none_were_done() {
        let code = |s: Summary| format!("{:?}", s.exit_code());
        assert_eq!(code(summary(2, 0, 0)), format!("{:?}", ExitCode::SUCCESS));
        assert_eq!(code(summary(0, 3, 0)), format!("{:?}", ExitCode::SUCCESS));
        assert_eq!(code(summary(1, 0, 1)), format!("{:?}", ExitCode::from(1)));
        assert_eq!(code(summary(0, 1, 1)), format!("{:?}", ExitCode::from(1)));
        assert_eq!(code(summary(0, 0, 2)), format!("{:?}", ExitCode::from(2)));
    }

    #[test]
    fn the_summary_counts_beads_findings_and_names_failures() {
        let text = summary(2, 1, 1).to_string();
        assert!(text.starts_with("documents: 2 done, 1 skipped (up to date), 1 failed, in 2.0 s"));
        assert!(text.contains("beads: 20 (10 beads/s)"), "{text}");
        assert!(
            text.contains("findings: 2 errors, 4 warnings, 6 info"),
            "{text}"
        );
        assert!(
            text.contains("failed: b (in/b.pdf): in/b.pdf: not a readable PDF: truncated"),
            "{text}"
        );
    }
}
