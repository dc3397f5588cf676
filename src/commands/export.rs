//! `diptych export INPUT --format tmx|xliff|tsv|jsonl`: writes an aligned bitext as a
//! translation memory (TMX), a review file (XLIFF), a corpus (TSV) or records (JSONL).

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use diptych_core::export::{self, ExportOptions, Format, Unit};
use diptych_core::{edit, fsio, Bitext, Error, Finding};

/// Flags of `diptych export`.
#[derive(clap::Args)]
pub struct Args {
    /// What to export: the output folder of `diptych run`, a bitext as JSON (the data model's
    /// serialised form), or a TMX or XLIFF file (to convert or filter a memory).
    pub input: PathBuf,
    /// Output format: tmx, xliff, tsv or jsonl.
    #[arg(long, short)]
    pub format: String,
    /// Output file (written atomically); standard output when absent.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Language codes to write for the source and target side, e.g. nl-BE,fr-BE.
    #[arg(long)]
    pub lang_codes: Option<String>,
    /// Keep only 1:1 beads (a strict memory).
    #[arg(long = "only-1to1")]
    pub only_1to1: bool,
    /// Export sentence beads or block (paragraph) beads.
    #[arg(long, default_value = "sentence")]
    pub unit: String,
    /// TMX creation date to record, YYYYMMDDThhmmssZ (none by default, for reproducible files).
    #[arg(long)]
    pub creation_date: Option<String>,
    /// Findings to carry into TMX props, XLIFF notes and JSONL records (a JSON array, or JSON
    /// Lines as in a run folder's findings.jsonl; by default, for a run folder, its findings
    /// with the review's decisions: dismissed ones left out).
    #[arg(long)]
    pub findings: Option<PathBuf>,
}

/// Reads the input, then writes it in the chosen format.
pub fn execute(args: Args) -> anyhow::Result<ExitCode> {
    let format = Format::parse(&args.format)?;
    let Loaded {
        bitext,
        findings: reviewed,
        approved,
    } = load_bitext(&args.input)?;
    let findings = match &args.findings {
        Some(path) => load_findings(path)?,
        None => reviewed,
    };
    let mut options = options(&args, &bitext)?;
    options.approved = approved;
    let fill = |w: &mut dyn Write| export::write(format, &bitext, &findings, &options, w);
    match &args.out {
        Some(path) => fsio::write_atomic(path, fill)?,
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            fill(&mut w)
                .and_then(|()| w.flush())
                .context("writing to standard output")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn options(args: &Args, bitext: &Bitext) -> anyhow::Result<ExportOptions> {
    let mut options = ExportOptions {
        unit: Unit::parse(&args.unit)?,
        only_one_to_one: args.only_1to1,
        ..Default::default()
    };
    if let Some(codes) = &args.lang_codes {
        options = options.with_lang_codes(codes, bitext.langs())?;
    }
    if let Some(date) = &args.creation_date {
        options = options.with_creation_date(date)?;
    }
    Ok(options)
}

/// What an export starts from.
struct Loaded {
    bitext: Bitext,
    /// For a run folder: its findings on the corrected beads, dismissed ones left out.
    findings: Vec<Finding>,
    /// For a run folder: the beads a reviser approved.
    approved: BTreeSet<usize>,
}

/// A bitext from a run folder (with its review edits replayed), a JSON file, or a TMX or
/// XLIFF memory.
fn load_bitext(path: &Path) -> anyhow::Result<Loaded> {
    if path.is_dir() {
        let history = edit::run_dir::load(path)?;
        let review = history.current();
        return Ok(Loaded {
            bitext: review.bitext.clone(),
            findings: review.findings_kept(),
            approved: review.approved_beads(),
        });
    }
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let bitext = if is_json {
        let text = fsio::read_text(path)?;
        serde_json::from_str(&text).map_err(|e| json_error(path, e))?
    } else {
        export::read_memory(path)?
    };
    Ok(Loaded {
        bitext,
        findings: vec![],
        approved: BTreeSet::new(),
    })
}

/// Findings from a JSON array or from JSON Lines (one finding a line); an empty file holds
/// none.
fn load_findings(path: &Path) -> anyhow::Result<Vec<Finding>> {
    let text = match fsio::read_text(path) {
        Err(Error::Empty { .. }) => return Ok(vec![]),
        other => other?,
    };
    if text.trim_start().starts_with('[') {
        return Ok(serde_json::from_str(&text).map_err(|e| json_error(path, e))?);
    }
    let mut findings = Vec::new();
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let finding = serde_json::from_str(line).map_err(|e| Error::Malformed {
            path: path.into(),
            line: i + 1,
            message: format!("not a finding: {e}"),
        })?;
        findings.push(finding);
    }
    Ok(findings)
}

fn json_error(path: &Path, e: serde_json::Error) -> Error {
    Error::Malformed {
        path: path.into(),
        line: e.line(),
        message: format!("not the expected JSON: {e}"),
    }
}
