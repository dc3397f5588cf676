//! `diptych run INPUT --out DIR`: the main job.

use std::path::PathBuf;
use std::process::ExitCode;

/// Flags of `diptych run`.
#[derive(clap::Args)]
pub struct Args {
    /// The bilingual input: woven two-column text.
    pub input: Option<PathBuf>,
    /// Output folder.
    #[arg(long, short)]
    pub out: PathBuf,
}

/// Runs the pipeline and writes its outputs.
pub fn execute(args: Args) -> anyhow::Result<ExitCode> {
    let _ = args;
    anyhow::bail!("run: the ingest stage is being written")
}
