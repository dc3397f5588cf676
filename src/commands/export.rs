//! `diptych export INPUT --format tmx|xliff|tsv|jsonl`: writes an aligned bitext as a
//! translation memory (TMX), a review file (XLIFF), a corpus (TSV) or records (JSONL).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use diptych_core::export::{self, ExportOptions, Format, Unit};
use diptych_core::{fsio, pipeline, Bitext, Error, Finding};

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
    /// Lines as in a run folder's findings.jsonl, which is read by default for a run folder).
    #[arg(long)]
    pub findings: Option<PathBuf>,
}

/// Reads the input, then writes it in the chosen format.
pub fn execute(args: Args) -> anyhow::Result<ExitCode> {
    let format = Format::parse(&args.format)?;
    let bitext = load_bitext(&args.input)?;
    let run_findings = args.input.join("findings.jsonl");
    let findings = match &args.findings {
        Some(path) => load_findings(path)?,
        None if args.input.is_dir() && run_findings.is_file() => load_findings(&run_findings)?,
        None => vec![],
    };
    let options = options(&args, &bitext)?;
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

/// A bitext from a run folder, a JSON file, or a TMX or XLIFF memory.
fn load_bitext(path: &Path) -> anyhow::Result<Bitext> {
    if path.is_dir() {
        return Ok(pipeline::load_run_dir(path)?);
    }
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if is_json {
        let text = fsio::read_text(path)?;
        Ok(serde_json::from_str(&text).map_err(|e| json_error(path, e))?)
    } else {
        Ok(export::read_memory(path)?)
    }
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
