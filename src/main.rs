//! The `diptych` command line: a thin front end over diptych-core, diptych-index and
//! diptych-server. Each subcommand lives in `commands/<verb>.rs`; this file only parses flags
//! and turns errors into one line on stderr with exit code 2.

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

mod commands;

/// Separate, align, check and search bilingual documents.
#[derive(Parser)]
#[command(name = "diptych", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Process a bilingual document: clean documents, sentences, aligned bitext, checks,
    /// activities, translation memory.
    Run(commands::run::Args),
    /// Align two pre-segmented texts (one sentence per line) into beads.
    Align(commands::align::Args),
    /// Score sentence alignments against gold ones (strict and lax P/R/F1).
    Eval(commands::eval::Args),
    /// Check where the two language versions disagree (a run folder or a TMX/XLIFF memory);
    /// write findings and a review page.
    Check(commands::check::Args),
    /// Correct and approve a run in the browser: merge, split and move beads, decide on
    /// findings, approve; every edit saved in the run folder's edits.jsonl.
    Review(commands::review::Args),
    /// Write an aligned bitext as TMX, XLIFF, TSV or JSONL.
    Export(commands::export::Args),
    /// Add, list and remove documents of the archive.
    Index(commands::index::Args),
    /// Search the archive as a bilingual concordance.
    Search(commands::search::Args),
    /// List reported activities across the archive.
    Activities(commands::activities::Args),
    /// Serve the archive: a search page and a JSON API.
    Serve(commands::serve::Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let args: Vec<String> = std::env::args_os()
                .skip(1)
                .map(|a| a.to_string_lossy().into_owned())
                .collect();
            return commands::usage_error(e, &Cli::command(), &args);
        }
    };
    let outcome = match cli.command {
        Command::Run(args) => commands::run::execute(args),
        Command::Align(args) => commands::align::execute(args),
        Command::Eval(args) => commands::eval::execute(args),
        Command::Check(args) => commands::check::execute(args),
        Command::Review(args) => commands::review::execute(args),
        Command::Export(args) => commands::export::execute(args),
        Command::Index(args) => commands::index::execute(args),
        Command::Search(args) => commands::search::execute(args),
        Command::Activities(args) => commands::activities::execute(args),
        Command::Serve(args) => commands::serve::execute(args),
    };
    match outcome {
        Ok(code) => code,
        Err(e) => commands::report_error(&e),
    }
}
