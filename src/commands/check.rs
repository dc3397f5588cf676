//! `diptych check INPUT`: runs the bilingual checks over the output folder of `diptych run`, or
//! over a translation memory made elsewhere (TMX or XLIFF), and writes `findings.jsonl` and
//! `report.html`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use diptych_core::check::{CheckOptions, Dictionaries, Glossary, GrammarOptions, IgnoreList};
use diptych_core::export::{self, run_folder};
use diptych_core::{edit, pipeline, Severity};

/// Flags of `diptych check`.
#[derive(clap::Args)]
pub struct Args {
    /// A folder written by `diptych run`, or a TMX or XLIFF file.
    #[arg(value_name = "INPUT")]
    pub dir: PathBuf,
    /// Where to write findings.jsonl and report.html (default: the run folder itself, or for
    /// a TMX/XLIFF file a folder `<name>.check` beside it).
    #[arg(long, short, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// More glossary entries (TSV: id, then one column per language; may be repeated).
    #[arg(long, value_name = "FILE")]
    pub glossary: Vec<PathBuf>,
    /// Ignore rules, `CHECK: REGEX` per line (default: DIR/.diptych-ignore when present).
    #[arg(long, value_name = "FILE")]
    pub ignore: Option<PathBuf>,
    /// Exit with 1 when a finding has this severity or a higher one: info, warning, error.
    #[arg(long, value_name = "SEVERITY", default_value = "info", value_parser = parse_severity)]
    pub fail_on: Severity,
    /// Folder of the Hunspell dictionaries (LANG.aff and LANG.dic).
    #[arg(long, value_name = "DIR")]
    pub dictionaries: Option<PathBuf>,
    /// Run only these checks (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "CHECKS")]
    pub only: Vec<String>,
    /// Change a check's severity, e.g. `--severity spelling=info` (may be repeated).
    #[arg(long, value_name = "CHECK=SEVERITY", value_parser = parse_override)]
    pub severity: Vec<(String, Severity)>,
    /// Print every finding, not only the summary.
    #[arg(long, short)]
    pub verbose: bool,
    /// Report typography too in the grammar check (apostrophes, spaces, ordinal superscripts).
    #[arg(long)]
    pub typography: bool,
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    Severity::parse(s).ok_or_else(|| format!("{s:?} is not a severity (info, warning, error)"))
}

fn parse_override(s: &str) -> Result<(String, Severity), String> {
    let (check, sev) = s
        .split_once('=')
        .ok_or_else(|| format!("{s:?}: expected CHECK=SEVERITY"))?;
    Ok((check.trim().to_owned(), parse_severity(sev)?))
}

/// Builds the check options from the flags; errors name the file concerned.
pub fn options(args: &Args) -> anyhow::Result<CheckOptions> {
    let mut glossary = Glossary::shipped();
    for path in &args.glossary {
        glossary.add_file(path)?;
    }
    let default_ignore = args.dir.join(".diptych-ignore");
    let ignore = match &args.ignore {
        Some(path) => IgnoreList::load(path)?,
        None if default_ignore.is_file() => IgnoreList::load(&default_ignore)?,
        None => IgnoreList::default(),
    };
    let dictionaries = match &args.dictionaries {
        Some(dir) => Dictionaries::in_dir(dir),
        None => Dictionaries::system(),
    };
    let options = CheckOptions {
        glossary,
        ignore,
        dictionaries,
        only: args.only.clone(),
        severity: args.severity.iter().cloned().collect::<BTreeMap<_, _>>(),
        grammar: GrammarOptions::system(args.typography),
    };
    options.validate()?;
    Ok(options)
}

/// Runs the checks and writes their outputs; exit 1 when findings reach `--fail-on`.
pub fn execute(args: Args) -> anyhow::Result<ExitCode> {
    let options = options(&args)?;
    let (bitext, out_dir) = read_input(&args)?;
    let analysis = pipeline::analyse(&bitext, &options);
    let report = analysis.report.clone();
    let output = analysis.into_output(bitext);
    run_folder::write_only(&output, &out_dir, run_folder::CHECK_FILES)?;
    keep_findings_on_aligned_beads(&args, &out_dir, &output.bitext, &report.findings)?;
    for note in &report.notes {
        eprintln!("diptych: note: {note}");
    }
    if args.verbose {
        for f in &report.findings {
            let bead = f
                .bead
                .map(|b| format!("bead {b}"))
                .unwrap_or_else(|| "document".into());
            println!(
                "{:<8} {:<12} {bead:<9} {}",
                f.severity.as_str(),
                f.check,
                f.message
            );
        }
    }
    print!("{}", report.summary().to_text());
    if report.ignored > 0 {
        println!("({} findings ignored by the ignore list)", report.ignored);
    }
    println!(
        "wrote {} and {}",
        out_dir.join("findings.jsonl").display(),
        out_dir.join("report.html").display()
    );
    let failed = report.worst().is_some_and(|w| w >= args.fail_on);
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Reads the bitext to check and decides where the outputs go.
fn read_input(args: &Args) -> anyhow::Result<(diptych_core::Bitext, PathBuf)> {
    if !args.dir.exists() {
        anyhow::bail!("{}: no such file or folder", args.dir.display());
    }
    if args.dir.is_file() && export::is_memory_file(&args.dir) {
        let bitext = export::read_memory(&args.dir)?;
        let out = args.out.clone().unwrap_or_else(|| {
            let mut name = args.dir.file_stem().unwrap_or_default().to_os_string();
            name.push(".check");
            args.dir.with_file_name(name)
        });
        return Ok((bitext, out));
    }
    let bitext = pipeline::load_run_dir(&args.dir).with_context(|| {
        format!(
            "{}: not a folder written by diptych run, nor a TMX or XLIFF file",
            args.dir.display()
        )
    })?;
    Ok((bitext, args.out.clone().unwrap_or_else(|| args.dir.clone())))
}

/// In a run folder with review edits, `findings.jsonl` refers to the aligned beads of
/// `bitext.jsonl` (the review places them on the corrected ones): the checks ran on the
/// corrected bitext, so their findings are placed back on the aligned beads.
fn keep_findings_on_aligned_beads(
    args: &Args,
    out_dir: &std::path::Path,
    corrected: &diptych_core::Bitext,
    findings: &[diptych_core::Finding],
) -> anyhow::Result<()> {
    if !args.dir.is_dir() || !args.dir.join(edit::log::FILE).is_file() {
        return Ok(());
    }
    let base = pipeline::load_run_base(&args.dir)?;
    let on_base = edit::run_dir::findings_on_base(findings, corrected, &base);
    diptych_core::fsio::write_atomic(&out_dir.join("findings.jsonl"), |w| {
        export::jsonl::write_lines(&on_base, w)
    })?;
    Ok(())
}
