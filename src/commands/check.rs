//! `diptych check DIR`: runs the bilingual checks over the output of `diptych run` and writes
//! `findings.jsonl` and `report.html` into DIR.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use diptych_core::check::{self, CheckOptions, Dictionaries, Glossary, IgnoreList};
use diptych_core::{extract, pipeline, Severity};

/// Flags of `diptych check`.
#[derive(clap::Args)]
pub struct Args {
    /// A folder written by `diptych run`.
    pub dir: PathBuf,
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
    };
    options.validate()?;
    Ok(options)
}

/// Runs the checks and writes their outputs; exit 1 when findings reach `--fail-on`.
pub fn execute(args: Args) -> anyhow::Result<ExitCode> {
    let options = options(&args)?;
    let bitext = pipeline::load_run_dir(&args.dir).with_context(|| {
        format!(
            "{}: not a folder written by diptych run",
            args.dir.display()
        )
    })?;
    let mut report = check::run_checks(&bitext, &options);
    // As in `diptych run`: the activities, their timeline, and where the two versions'
    // activities disagree (only when all checks run).
    let activities = extract::activities(&bitext);
    if options.only.is_empty() {
        for f in extract::agreement_findings(&bitext, &activities) {
            if options.ignore.matches(&f) {
                report.ignored += 1;
            } else {
                report.findings.push(f);
            }
        }
        report
            .findings
            .sort_by_key(|f| f.bead.unwrap_or(usize::MAX));
    }
    let timeline = extract::timeline_svg(&activities);
    check::write_outputs(&args.dir, &bitext, &report.findings, Some(&timeline))?;
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
        args.dir.join("findings.jsonl").display(),
        args.dir.join("report.html").display()
    );
    let failed = report.worst().is_some_and(|w| w >= args.fail_on);
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
