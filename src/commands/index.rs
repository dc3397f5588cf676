//! `diptych index add|list|remove`: the archive of processed documents.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use diptych_core::{fsio, Activity, Finding};
use diptych_index::{AddOptions, Archive};
use serde::de::DeserializeOwned;

/// Flags of `diptych index`.
#[derive(clap::Args)]
pub struct Args {
    /// The archive file [default: $DIPTYCH_ARCHIVE, else ./diptych.sqlite].
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

/// Opens an archive that must already exist (reading commands never create one).
pub fn open_existing(flag: Option<PathBuf>) -> anyhow::Result<Archive> {
    let path = archive_path(flag);
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
            for dir in dirs {
                add_run_dir(&mut archive, &dir, year)?;
            }
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

fn add_run_dir(archive: &mut Archive, dir: &Path, year: Option<i32>) -> anyhow::Result<()> {
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
    let options = AddOptions { year, report_html };
    archive
        .add_with(&bitext, &findings, &activities, &options)
        .with_context(|| format!("{}", dir.display()))?;
    println!(
        "added {} ({} beads, {} findings, {} activities{})",
        bitext.name,
        bitext.beads.len(),
        findings.len(),
        activities.len(),
        if options.report_html.is_some() {
            ", review page"
        } else {
            ""
        }
    );
    Ok(())
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
