//! `diptych run INPUT --out DIR`: the main job. Several inputs, a folder or a manifest make a
//! batch, run by [`super::batch`].

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{bail, Context};
use diptych_core::check::{CheckOptions, GrammarOptions};
use diptych_core::pipeline::{self, Input, RunOptions, RunOutput, Stage, Summary};
use diptych_core::{edit, Lang};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Inputs at least this large (bytes) show a progress bar when stderr is a terminal.
const LARGE_INPUT: u64 = 1 << 20;

/// Flags of `diptych run`.
#[derive(clap::Args)]
pub struct Args {
    /// The bilingual input: a PDF (two languages side by side, on alternating pages or one
    /// after the other), woven two-column text, or a TMX/XLIFF memory. Several inputs or a
    /// folder (searched recursively for .txt, .pdf and pairs NAME.xx.EXT + NAME.yy.EXT) make a
    /// batch: one run folder per document under --out.
    #[arg(
        value_name = "INPUT",
        required_unless_present_any = ["src", "manifest"],
        conflicts_with_all = ["src", "tgt"]
    )]
    pub inputs: Vec<PathBuf>,
    /// Source-language file (with --tgt): plain text, Markdown or PDF.
    #[arg(long, requires = "tgt")]
    pub src: Option<PathBuf>,
    /// Target-language file (with --src).
    #[arg(long, requires = "src")]
    pub tgt: Option<PathBuf>,
    /// --src and --tgt hold one sentence per line.
    #[arg(long, requires = "src")]
    pub presegmented: bool,
    /// The languages to look for, e.g. nl,fr (default: nl, fr, de, en).
    #[arg(long, value_delimiter = ',')]
    pub langs: Vec<String>,
    /// The document's name in the outputs (default: the input's file stem).
    #[arg(long)]
    pub name: Option<String>,
    /// Output folder.
    #[arg(long, short)]
    pub out: PathBuf,
    /// Align with the multilingual sentence encoder read from this folder (without a value:
    /// $DIPTYCH_ENCODER or ~/.cache/diptych/usem3, where scripts/setup puts it).
    #[arg(long, value_name = "PATH")]
    #[allow(clippy::option_option)]
    pub encoder: Option<Option<PathBuf>>,
    /// Pair everything the aligner pairs, even runs of sentences whose evidence is no better
    /// than random pairs' (by default such text, which is not a translation, stays unpaired).
    #[arg(long)]
    pub pair_everything: bool,
    /// Print each stage as it starts and where the outputs went.
    #[arg(long, short)]
    pub verbose: bool,
    /// Report typography too in the grammar check (apostrophes, spaces, ordinal superscripts).
    #[arg(long)]
    pub typography: bool,
    /// A batch manifest: JSON Lines, one document per line ({"input": FILE} or {"src": FILE,
    /// "tgt": FILE}, optional "name", "year", "languages"), paths relative to the manifest.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["src", "tgt"])]
    pub manifest: Vec<PathBuf>,
    /// Documents of a batch processed at the same time [default: the number of cores].
    #[arg(long, short)]
    pub jobs: Option<std::num::NonZeroUsize>,
    /// Redo the documents of a batch whose run folder records the same input and options.
    #[arg(long)]
    pub force: bool,
    /// Process only the I-th of N disjoint parts of the sorted document list (a batch on
    /// many machines), e.g. --shard 2/8.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<diptych_core::batch::Shard>,
    /// The largest input file accepted, in MB (text or PDF; each file of a pair or a batch).
    /// A run takes memory of about 30 times its input.
    #[arg(long, value_name = "MB", default_value_t = pipeline::DEFAULT_MAX_INPUT_MB as f64)]
    pub max_input_mb: f64,
}

impl Args {
    /// The `--max-input-mb` ceiling in bytes.
    pub fn max_input_bytes(&self) -> anyhow::Result<u64> {
        if !(self.max_input_mb.is_finite() && self.max_input_mb > 0.0) {
            bail!(
                "--max-input-mb must be a positive number of MB, got {}",
                self.max_input_mb
            );
        }
        Ok((self.max_input_mb * 1e6) as u64)
    }

    /// Whether the flags make a batch: several inputs, a folder, a manifest or a shard.
    fn is_batch(&self) -> bool {
        self.inputs.len() > 1
            || self.inputs.iter().any(|p| p.is_dir())
            || !self.manifest.is_empty()
            || self.shard.is_some()
    }
}

/// Runs the pipeline and writes its outputs.
pub fn execute(args: Args) -> anyhow::Result<ExitCode> {
    if args.is_batch() {
        return super::batch::execute(&args);
    }
    let input = input_of(&args)?;
    diptych_core::fsio::probe_writable(&args.out)
        .with_context(|| format!("cannot write the outputs to {}", args.out.display()))?;
    let langs = parse_langs(&args.langs)?;
    let opts = RunOptions {
        langs,
        name: args.name.clone(),
        align: diptych_core::align::AlignOptions {
            encoder: super::align::load_encoder(args.encoder.as_ref().map(Option::as_deref))?,
            // Documents are short: every sentence encoded, so every bead of the bitext
            // carries its semantic similarity.
            gate_encoder: false,
            unpair_unrelated: !args.pair_everything,
            ..Default::default()
        },
        max_input_bytes: Some(args.max_input_bytes()?),
    };
    let bar = progress_bar(input.size());
    let verbose = args.verbose;
    let on_stage = |stage: Stage| {
        let label = match stage {
            Stage::Ingest => "reading and separating languages",
            Stage::Segment => "cutting sentences",
            Stage::Align => "aligning blocks and sentences",
        };
        bar.inc(1);
        bar.set_message(label);
        if verbose {
            bar.suspend(|| eprintln!("diptych: {label}"));
        }
    };
    let (bitext, extras) = pipeline::build_with_extras(&input, &opts, &on_stage)?;
    bar.set_message("checking and extracting activities");
    let check_options = CheckOptions {
        grammar: GrammarOptions::system(args.typography),
        ..CheckOptions::standard()
    };
    let analysis = pipeline::analyse(&bitext, &check_options);
    for note in &analysis.report.notes {
        bar.suspend(|| eprintln!("diptych: note: {note}"));
    }
    let output = RunOutput {
        bitext,
        findings: analysis.report.findings,
        activities: analysis.activities,
        extras,
        provenance: Default::default(),
    };
    bar.set_message("writing outputs");
    pipeline::write_run_dir(&output, &args.out)
        .with_context(|| format!("cannot write the outputs to {}", args.out.display()))?;
    bar.finish_and_clear();
    eprintln!("{}", Summary::of_run(&output));
    report_kept_edits(&args.out)?;
    if verbose {
        eprintln!("diptych: outputs written to {}", args.out.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// The languages of `--langs`: none (look for all), or at least two.
pub fn parse_langs(codes: &[String]) -> anyhow::Result<Vec<Lang>> {
    let langs = codes
        .iter()
        .map(|l| Lang::parse(l))
        .collect::<Result<Vec<_>, _>>()?;
    if !langs.is_empty() && langs.len() < 2 {
        bail!("--langs needs at least two languages, e.g. --langs nl,fr");
    }
    Ok(langs)
}

/// A run into a folder that was reviewed keeps its `edits.jsonl`: says how many edits still
/// apply to the new alignment, and which no longer do.
fn report_kept_edits(dir: &std::path::Path) -> anyhow::Result<()> {
    if !dir.join(edit::log::FILE).is_file() {
        return Ok(());
    }
    let history = edit::run_dir::load(dir)?;
    let stale = history.stale();
    eprintln!(
        "review edits: {} of {} still apply",
        history.version() as usize - stale.len(),
        history.version()
    );
    for s in stale {
        eprintln!(
            "  edits.jsonl:{}: {} no longer applies: {}",
            s.line, s.op, s.reason
        );
    }
    Ok(())
}

fn input_of(args: &Args) -> anyhow::Result<Input> {
    Ok(match (args.inputs.first(), &args.src, &args.tgt) {
        (Some(path), None, None) if !args.presegmented && is_pdf(path) => Input::Pdf(path.clone()),
        (Some(path), None, None) if !args.presegmented => Input::Woven(path.clone()),
        (None, Some(src), Some(tgt)) if !args.presegmented && (is_pdf(src) || is_pdf(tgt)) => {
            if !(is_pdf(src) && is_pdf(tgt)) {
                bail!("--src and --tgt must both be PDFs or both be text");
            }
            Input::PdfPair { src: src.clone(), tgt: tgt.clone() }
        }
        (None, Some(src), Some(tgt)) if args.presegmented => {
            Input::Presegmented { src: src.clone(), tgt: tgt.clone() }
        }
        (None, Some(src), Some(tgt)) => Input::Pair { src: src.clone(), tgt: tgt.clone() },
        _ => bail!("give either INPUT, or --src FILE --tgt FILE (with --presegmented for one sentence per line)"),
    })
}

/// A PDF by its content (`%PDF-`), whatever its name; a file named `.pdf` goes to the PDF
/// reader too, which says why it cannot read it.
fn is_pdf(path: &std::path::Path) -> bool {
    let named = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    named || diptych_core::ingest::pdf::is_pdf(path)
}

/// A bar over the stages, drawn only for large inputs and only when stderr is a terminal
/// (indicatif hides it otherwise).
fn progress_bar(input_size: u64) -> ProgressBar {
    if input_size < LARGE_INPUT {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(4), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} [{bar:20}] {pos}/{len} {msg} ({elapsed})")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}
