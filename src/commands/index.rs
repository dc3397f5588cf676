//! `diptych index add|list|remove`: the archive of processed documents.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use diptych_core::{fsio, Activity, Finding};
use diptych_index::{AddOptions, Archive, NewDocument};
use serde::de::DeserializeOwned;

/// Flags of `diptych index`.
#[derive(clap::Args)]
pub struct Args {
    /// The archive: a SQLite file, or a PostgreSQL URL (postgres://user:password@host/db)
    /// [default: $DIPTYCH_ARCHIVE, else ./diptych.sqlite].
    #[arg(long, global = true)]
    pub archive: Option<PathBuf>,
    #[command(subcommand)]
    pub action: Action,
}

/// What to do with the archive.
#[derive(clap::Subcommand)]
pub enum Action {
    /// Add the output folders of `diptych run` (a document already there is replaced).
    Add {
        /// Run folders.
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// The year the documents report on [default: from the name or title].
        #[arg(long)]
        year: Option<i32>,
    },
    /// List the documents in the archive.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Merge the full-text indexes into one segment each (faster searches after a bulk add).
    Optimize,
    /// Remove a document from the archive.
    Remove {
        /// The document's name, as `index list` shows it.
        name: String,
    },
}

/// The archive path from `--archive` or the default.
pub fn archive_path(flag: Option<PathBuf>) -> PathBuf {
    flag.unwrap_or_else(diptych_index::default_path)
}

/// Opens an archive that must already exist (reading commands never create one), upgrading
/// one of an older schema.
pub fn open_existing(flag: Option<PathBuf>) -> anyhow::Result<Archive> {
    let path = archive_path(flag);
    if diptych_index::is_postgres(&path) {
        // Only checks that an archive is there (NoArchive otherwise); the open below upgrades.
        match Archive::open_read_only(&path) {
            Ok(_) | Err(diptych_index::Error::OlderSchema { .. }) => {}
            Err(e) => return Err(e.into()),
        }
        return Ok(Archive::open(path)?);
    }
    if !path.exists() {
        anyhow::bail!(
            "{}: no such archive (create one with diptych index add, or give --archive)",
            path.display()
        );
    }
    Ok(Archive::open(path)?)
}

/// Runs `diptych index`.
pub fn execute(args: Args) -> anyhow::Result<ExitCode> {
    let mut archive = match args.action {
        Action::Add { .. } => Archive::open(archive_path(args.archive))?,
        _ => open_existing(args.archive)?,
    };
    match args.action {
        Action::Add { dirs, year } => {
            add_run_dirs(&mut archive, &dirs, year)?;
        }
        Action::List { json } => list(&archive, json)?,
        Action::Optimize => {
            archive.optimize()?;
            println!("optimized {}", archive.path().display());
        }
        Action::Remove { name } => {
            archive.remove(&name)?;
            println!("removed {name}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A bulk add commits after this many beads (or [`BATCH_DOCUMENTS`] documents): large enough
/// that the full-text indexes are written in few segments, small enough to bound memory.
const BATCH_BEADS: usize = 50_000;
/// A bulk add commits after at most this many documents.
const BATCH_DOCUMENTS: usize = 200;

/// One run folder read back, ready to add.
struct Loaded {
    dir: PathBuf,
    bitext: diptych_core::Bitext,
    findings: Vec<Finding>,
    activities: Vec<Activity>,
    options: AddOptions,
}

/// Adds the run folders in batches, one transaction each. A folder that cannot be read stops
/// the command after the folders before it are stored. After a bulk add (at least
/// [`BATCH_BEADS`] beads) the full-text indexes are merged, so searches are fast at once.
fn add_run_dirs(archive: &mut Archive, dirs: &[PathBuf], year: Option<i32>) -> anyhow::Result<()> {
    let mut batch: Vec<Loaded> = Vec::new();
    let mut added = 0;
    for dir in dirs {
        let loaded = match load_run_dir(dir, year) {
            Ok(loaded) => loaded,
            Err(e) => {
                add_batch(archive, &batch)?;
                return Err(e);
            }
        };
        batch.push(loaded);
        let beads: usize = batch.iter().map(|l| l.bitext.beads.len()).sum();
        if beads >= BATCH_BEADS || batch.len() >= BATCH_DOCUMENTS {
            added += add_batch(archive, &std::mem::take(&mut batch))?;
        }
    }
    added += add_batch(archive, &batch)?;
    if added >= BATCH_BEADS {
        let start = std::time::Instant::now();
        archive.optimize()?;
        println!(
            "merged the full-text indexes after adding {added} beads ({:.1} s)",
            start.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

fn load_run_dir(dir: &Path, year: Option<i32>) -> anyhow::Result<Loaded> {
    // The run as reviewed: corrected beads, dismissed findings left out.
    let history = diptych_core::edit::run_dir::load(dir)?;
    let bitext = history.current().bitext.clone();
    let findings: Vec<Finding> = history.current().findings_kept();
    let activities: Vec<Activity> = read_jsonl_if_present(&dir.join("activities.jsonl"))?;
    let report = dir.join("report.html");
    let report_html = if history.version() > 0 {
        let timeline = diptych_core::extract::timeline_svg(&activities);
        Some(diptych_core::report::review_page(
            &bitext,
            &findings,
            Some(&timeline),
        ))
    } else {
        report
            .is_file()
            .then(|| fsio::read_text(&report))
            .transpose()?
    };
    Ok(Loaded {
        dir: dir.to_path_buf(),
        bitext,
        findings,
        activities,
        options: AddOptions {
            // A batch manifest's year, recorded in run.json, unless --year says otherwise.
            year: year.or(diptych_core::export::run_folder::provenance(dir)?.year),
            report_html,
        },
    })
}

/// Adds one batch in one transaction and says so; returns the beads added.
fn add_batch(archive: &mut Archive, batch: &[Loaded]) -> anyhow::Result<usize> {
    if batch.is_empty() {
        return Ok(0);
    }
    let docs: Vec<NewDocument> = batch
        .iter()
        .map(|l| NewDocument {
            bitext: &l.bitext,
            findings: &l.findings,
            activities: &l.activities,
            options: &l.options,
        })
        .collect();
    archive.add_batch(&docs).with_context(|| {
        let dirs: Vec<String> = batch.iter().map(|l| l.dir.display().to_string()).collect();
        dirs.join(", ")
    })?;
    for l in batch {
        println!(
            "added {} ({} beads, {} findings, {} activities{})",
            l.bitext.name,
            l.bitext.beads.len(),
            l.findings.len(),
            l.activities.len(),
            if l.options.report_html.is_some() {
                ", review page"
            } else {
                ""
            }
        );
    }
    Ok(batch.iter().map(|l| l.bitext.beads.len()).sum())
}

fn list(archive: &Archive, json: bool) -> anyhow::Result<()> {
    let docs = archive.list()?;
    if json {
        println!("{}", serde_json::to_string_pretty(&docs)?);
        return Ok(());
    }
    println!(
        "{:<24} {:>4} {:<5} {:>6} {:>8} {:>10}  title",
        "name", "year", "langs", "beads", "findings", "activities"
    );
    for d in docs {
        let year = d.year.map_or("-".into(), |y| y.to_string());
        let title: String = d.title.chars().take(60).collect();
        println!(
            "{:<24} {:>4} {:<5} {:>6} {:>8} {:>10}  {title}",
            d.name,
            year,
            format!("{}/{}", d.langs[0], d.langs[1]),
            d.beads,
            d.findings,
            d.activities
        );
    }
    Ok(())
}

fn read_jsonl_if_present<T: DeserializeOwned>(path: &Path) -> diptych_core::Result<Vec<T>> {
    if path.exists() {
        read_jsonl(path)
    } else {
        Ok(Vec::new())
    }
}

fn read_jsonl<T: DeserializeOwned>(path: &Path) -> diptych_core::Result<Vec<T>> {
    let text = std::fs::read_to_string(path).map_err(|e| diptych_core::Error::io(path, e))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| diptych_core::Error::Malformed {
                path: path.into(),
                line: i + 1,
                message: e.to_string(),
            })
        })
        .collect()
}
