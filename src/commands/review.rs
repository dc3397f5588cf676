//! `diptych review DIR`: serves a run folder's review page as an editor on 127.0.0.1.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

/// Flags of `diptych review`.
#[derive(clap::Args)]
pub struct Args {
    /// A folder written by `diptych run`.
    pub dir: PathBuf,
    /// Port on 127.0.0.1 (default: a free one).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// The name written with each edit in edits.jsonl [default: $USER, else "reviewer"].
    #[arg(long)]
    pub user: Option<String>,
}

/// Runs the editor until Ctrl-C.
pub fn execute(args: Args) -> anyhow::Result<ExitCode> {
    if !args.dir.join("run.json").is_file() {
        anyhow::bail!(
            "{}: not a folder written by diptych run (no run.json)",
            args.dir.display()
        );
    }
    let user = args
        .user
        .or_else(|| std::env::var("USER").ok())
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| "reviewer".into());
    let config = diptych_server::review::ReviewConfig {
        dir: args.dir.clone(),
        port: args.port,
        user,
    };
    diptych_server::review::run(&config, |session, addr| {
        let history = session.history();
        let review = history.current();
        println!(
            "reviewing {} on http://{addr}/ ({} beads, {} approved, {} edits; Ctrl-C to stop)",
            args.dir.display(),
            review.approved.len(),
            review.approved.iter().filter(|a| **a).count(),
            history.version()
        );
        for s in history.stale() {
            eprintln!(
                "diptych: edits.jsonl:{}: {} no longer applies: {}",
                s.line, s.op, s.reason
            );
        }
        use std::io::Write;
        let _ = std::io::stdout().flush();
    })
    .with_context(|| format!("cannot review {}", args.dir.display()))?;
    Ok(ExitCode::SUCCESS)
}
