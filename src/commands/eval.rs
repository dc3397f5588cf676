//! `diptych eval --gold G... --test T...`: strict and lax P/R/F1 of sentence alignments.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use diptych_core::align::eval::{Counts, Scores};
use diptych_core::align::format::{parse_vecalign, IndexBead};
use diptych_core::fsio;

/// Flags of `diptych eval`.
#[derive(clap::Args)]
pub struct Args {
    /// Gold alignments in the vecalign format, one file per document.
    #[arg(long, short, num_args = 1.., required = true)]
    pub gold: Vec<PathBuf>,
    /// Alignments to score, in the same order as the gold files.
    #[arg(long, short, num_args = 1.., required = true)]
    pub test: Vec<PathBuf>,
    /// Print JSON (per file and pooled) instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Scores each test file against its gold file, then all pooled.
pub fn execute(args: Args) -> anyhow::Result<ExitCode> {
    if args.gold.len() != args.test.len() {
        anyhow::bail!(
            "{} gold files but {} test files; give one test file per gold file",
            args.gold.len(),
            args.test.len()
        );
    }
    let mut pooled = Counts::default();
    let mut rows = Vec::new();
    for (gold, test) in args.gold.iter().zip(&args.test) {
        let counts = Counts::new(&read_beads(gold)?, &read_beads(test)?);
        pooled.add(&counts);
        rows.push((test.display().to_string(), counts.scores()));
    }
    if args.json {
        print_json(&rows, &pooled.scores());
    } else {
        print_table(&rows, &pooled.scores());
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads an alignment file; an empty file is an empty alignment, not an error.
fn read_beads(path: &Path) -> anyhow::Result<Vec<IndexBead>> {
    let text = match fsio::read_text(path) {
        Err(diptych_core::Error::Empty { .. }) => String::new(),
        other => other?,
    };
    Ok(parse_vecalign(&text, path)?)
}

fn print_table(rows: &[(String, Scores)], pooled: &Scores) {
    println!("file\tstrict_p\tstrict_r\tstrict_f1\tlax_p\tlax_r\tlax_f1");
    let line = |name: &str, s: &Scores| {
        println!(
            "{name}\t{:.4}\t{:.4}\t{:.4}\t{:.4}\t{:.4}\t{:.4}",
            s.strict.precision,
            s.strict.recall,
            s.strict.f1,
            s.lax.precision,
            s.lax.recall,
            s.lax.f1
        );
    };
    for (name, scores) in rows {
        line(name, scores);
    }
    line("pooled", pooled);
}

fn print_json(rows: &[(String, Scores)], pooled: &Scores) {
    let files: Vec<_> = rows
        .iter()
        .map(|(name, s)| serde_json::json!({ "file": name, "scores": s }))
        .collect();
    let doc = serde_json::json!({ "files": files, "pooled": pooled });
    println!("{doc}");
}
