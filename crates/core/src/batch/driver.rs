//! Runs a planned batch: [`triage`] sorts the documents into up to date (skipped), to do and
//! failed (an input that cannot even be read); [`process`] runs the ones to do in parallel,
//! each through the same stages as a run of one document, with the checkers, dictionaries
//! and encoder of [`Shared`] built once for the whole batch. A failing document is reported
//! and the others go on.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use super::{stamp, Planned};
use crate::check::CheckOptions;
use crate::pipeline::{self, RunOptions};
use crate::{Error, Provenance, Result, RunOutput, Severity, SourceStamp};

/// What every document of a batch shares, built once: the aligner's settings (with its
/// encoder), the checks (glossary, dictionaries, grammar checkers) and where the run folders go.
pub struct Shared {
    /// The batch's run options; each document gets its own name and, from a manifest, its
    /// languages.
    pub run: RunOptions,
    /// The checks, shared by all documents.
    pub check: CheckOptions,
    /// The folder holding one run folder per document.
    pub out: PathBuf,
}

/// A document that could not be done, and why (one line).
#[derive(Clone, Debug)]
pub struct Failure {
    /// Its run folder's name.
    pub folder: String,
    /// Its (source) input file.
    pub input: PathBuf,
    /// The error, on one line.
    pub reason: String,
}

/// A document done: what it holds and how long it took.
#[derive(Clone, Debug)]
pub struct Done {
    /// Its run folder's name.
    pub folder: String,
    /// Sentence beads written.
    pub beads: usize,
    /// Findings by severity: errors, warnings, information.
    pub findings: SeverityCounts,
    /// What the checks could not do (a missing grammar checker), for the user.
    pub notes: Vec<String>,
    /// Seconds from reading the input to the last file written.
    pub seconds: f64,
}

/// Findings counted by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SeverityCounts {
    /// Errors.
    pub error: usize,
    /// Warnings.
    pub warning: usize,
    /// Information.
    pub info: usize,
}

impl SeverityCounts {
    /// Counts a run's findings.
    pub fn of(findings: &[crate::Finding]) -> SeverityCounts {
        let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
        SeverityCounts {
            error: count(Severity::Error),
            warning: count(Severity::Warning),
            info: count(Severity::Info),
        }
    }
}

impl std::ops::Add for SeverityCounts {
    type Output = SeverityCounts;

    /// The sum of two counts.
    fn add(self, other: SeverityCounts) -> SeverityCounts {
        SeverityCounts {
            error: self.error + other.error,
            warning: self.warning + other.warning,
            info: self.info + other.info,
        }
    }
}

/// A document's outcome, reported as soon as it is known.
#[derive(Clone, Copy, Debug)]
pub enum Event<'a> {
    /// Written.
    Done(&'a Done),
    /// Not written.
    Failed(&'a Failure),
}

/// The batch sorted before any work: what is up to date, what is to do (with the stamp its
/// `run.json` will record), and what failed already.
#[derive(Debug, Default)]
pub struct Triage {
    /// Documents whose run folder records the same input and options.
    pub skipped: Vec<Planned>,
    /// Documents to run.
    pub todo: Vec<(Planned, SourceStamp)>,
    /// Documents whose input cannot be read.
    pub failed: Vec<Failure>,
}

/// Hashes each input and compares with its run folder's `run.json` under `out`; `options`
/// describes the batch's settings (see [`options_text`]); `force` skips nothing.
pub fn triage(planned: Vec<Planned>, out: &Path, options: &str, force: bool) -> Triage {
    let stamped: Vec<(Planned, Result<SourceStamp>)> = planned
        .into_par_iter()
        .map(|p| {
            let stamp = stamp::stamp(&p.job.input, &options_text(options, &p));
            (p, stamp)
        })
        .collect();
    let mut triage = Triage::default();
    for (planned, stamp) in stamped {
        match stamp {
            Err(e) => triage.failed.push(failure(&planned, &e.to_string())),
            Ok(s) if !force && stamp::up_to_date(&out.join(&planned.folder), &s) => {
                triage.skipped.push(planned);
            }
            Ok(s) => triage.todo.push((planned, s)),
        }
    }
    triage
}

/// The options of one document as text: the batch's, then its own (input kind, name,
/// languages, year).
pub fn options_text(batch: &str, planned: &Planned) -> String {
    let job = &planned.job;
    let kind = match job.input {
        pipeline::Input::Woven(_) => "woven",
        pipeline::Input::Pdf(_) => "pdf",
        pipeline::Input::Pair { .. } => "pair",
        pipeline::Input::PdfPair { .. } => "pdf-pair",
        pipeline::Input::Presegmented { .. } => "presegmented",
    };
    let langs: Vec<&str> = job.langs.iter().map(|l| l.as_str()).collect();
    format!(
        "{batch}\ninput={kind}\nname={}\nlangs={}\nyear={:?}\n",
        planned.folder,
        langs.join(","),
        job.year
    )
}

/// Runs the documents to do on `jobs` threads, calling `on_event` as each one ends (from
/// the worker threads). Returns what was done and what failed, in list order.
pub fn process(
    todo: Vec<(Planned, SourceStamp)>,
    shared: &Shared,
    jobs: usize,
    on_event: &(dyn Fn(Event) + Sync),
) -> Result<(Vec<Done>, Vec<Failure>)> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .build()
        .map_err(|e| Error::Invalid(format!("cannot start {jobs} worker threads: {e}")))?;
    let outcomes: Vec<std::result::Result<Done, Failure>> = pool.install(|| {
        todo.into_par_iter()
            .with_max_len(1)
            .map(|(planned, stamp)| {
                let outcome = run_guarded(&planned, stamp, shared);
                match &outcome {
                    Ok(done) => on_event(Event::Done(done)),
                    Err(failure) => on_event(Event::Failed(failure)),
                }
                outcome
            })
            .collect()
    });
    let (done, failed): (Vec<_>, Vec<_>) = outcomes.into_iter().partition(|o| o.is_ok());
    Ok((
        done.into_iter().filter_map(|o| o.ok()).collect(),
        failed.into_iter().filter_map(|o| o.err()).collect(),
    ))
}

/// [`run_one`], with a panic in a stage turned into this document's failure so that the
/// batch goes on.
fn run_guarded(
    planned: &Planned,
    stamp: SourceStamp,
    shared: &Shared,
) -> std::result::Result<Done, Failure> {
    let run = std::panic::AssertUnwindSafe(|| run_one(planned, stamp, shared));
    match std::panic::catch_unwind(run) {
        Ok(Ok(done)) => Ok(done),
        Ok(Err(e)) => Err(failure(planned, &e.to_string())),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown".into());
            Err(failure(
                planned,
                &format!("internal error (please report): {what}"),
            ))
        }
    }
}

/// One document through every stage into its run folder, `run.json` recording `stamp`.
fn run_one(planned: &Planned, stamp: SourceStamp, shared: &Shared) -> Result<Done> {
    let start = Instant::now();
    let job = &planned.job;
    let mut options = shared.run.clone();
    options.name = Some(planned.folder.clone());
    if !job.langs.is_empty() {
        options.langs = job.langs.clone();
    }
    let (bitext, extras) = pipeline::build_with_extras(&job.input, &options, &|_| {})?;
    let analysis = pipeline::analyse(&bitext, &shared.check);
    let notes = analysis.report.notes;
    let output = RunOutput {
        bitext,
        findings: analysis.report.findings,
        activities: analysis.activities,
        extras,
        provenance: Provenance {
            source: Some(stamp),
            year: job.year,
        },
    };
    let dir = shared.out.join(&planned.folder);
    forget_previous_run(&dir)?;
    pipeline::write_run_dir(&output, &dir)?;
    Ok(Done {
        folder: planned.folder.clone(),
        beads: output.bitext.beads.len(),
        findings: SeverityCounts::of(&output.findings),
        notes,
        seconds: start.elapsed().as_secs_f64(),
    })
}

/// Removes the `run.json` of an earlier run before new files are written, so that a run cut
/// short never leaves a folder that looks complete with a mix of old and new files.
fn forget_previous_run(dir: &Path) -> Result<()> {
    let manifest = dir.join(crate::export::run_folder::MANIFEST);
    match std::fs::remove_file(&manifest) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(manifest, e)),
        _ => Ok(()),
    }
}

fn failure(planned: &Planned, reason: &str) -> Failure {
    Failure {
        folder: planned.folder.clone(),
        input: planned.job.path().to_owned(),
        reason: reason.replace('\n', " "),
    }
}
