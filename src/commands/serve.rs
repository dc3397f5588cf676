//! `diptych serve`: the search page and JSON API over an archive.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

/// Flags of `diptych serve`.
#[derive(clap::Args)]
pub struct Args {
    /// The archive: a SQLite file, or a PostgreSQL URL (postgres://user:password@host/db)
    /// [default: $DIPTYCH_ARCHIVE, else ./diptych.sqlite].
    #[arg(long)]
    pub archive: Option<PathBuf>,
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Address to listen on; other machines can connect only if this is not a loopback address.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
}

/// Runs `diptych serve` until Ctrl-C.
pub fn execute(args: Args) -> anyhow::Result<ExitCode> {
    let archive = super::index::archive_path(args.archive);
    if !diptych_index::is_postgres(&archive) && !archive.is_file() {
        anyhow::bail!(
            "{}: no such archive (create one with diptych index add)",
            archive.display()
        );
    }
    let shown = diptych_index::display_location(&archive);
    let mut config = diptych_server::Config::new(&archive);
    config.bind = args.bind;
    config.port = args.port;
    diptych_server::run(&config, |addr| {
        println!("serving {shown} on http://{addr}/ (Ctrl-C to stop)");
    })?;
    Ok(ExitCode::SUCCESS)
}
