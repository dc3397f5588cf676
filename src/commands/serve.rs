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
    /// Largest request body accepted, in bytes (larger: 413).
    #[arg(long, default_value_t = diptych_server::MAX_BODY_BYTES as u64,
          value_parser = clap::value_parser!(u64).range(1..=1 << 30))]
    pub max_body_bytes: u64,
    /// Longest URL accepted (path and query string), in bytes (longer: 414).
    #[arg(long, default_value_t = diptych_server::MAX_URL_BYTES as u64, value_parser = clap::value_parser!(u64).range(64..=1 << 20))]
    pub max_url_bytes: u64,
    /// Longest query text (`q`), in characters (longer: 400).
    #[arg(long, default_value_t = diptych_server::MAX_QUERY_CHARS as u64, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub max_query_chars: u64,
    /// Most hits, beads or activities one page can hold (`limit`; more: 400).
    #[arg(long, default_value_t = diptych_server::MAX_RESULTS as u64,
          value_parser = clap::value_parser!(u64).range(1..=diptych_index::MAX_LIMIT as u64))]
    pub max_results: u64,
    /// Time the queries of one request may take, in milliseconds; a query past it is stopped
    /// and the request answered 503.
    #[arg(long, default_value_t = diptych_server::QUERY_TIME.as_millis() as u64, value_parser = clap::value_parser!(u64).range(1..=3_600_000))]
    pub query_timeout_ms: u64,
}

impl Args {
    /// The limits the flags give.
    fn limits(&self) -> diptych_server::Limits {
        diptych_server::Limits {
            max_body_bytes: self.max_body_bytes as usize,
            max_url_bytes: self.max_url_bytes as usize,
            max_query_chars: self.max_query_chars as usize,
            max_results: self.max_results as usize,
            query_time: std::time::Duration::from_millis(self.query_timeout_ms),
        }
    }
}

/// Runs `diptych serve` until Ctrl-C.
pub fn execute(args: Args) -> anyhow::Result<ExitCode> {
    let limits = args.limits();
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
    config.limits = limits;
    diptych_server::run(&config, |addr| {
        println!("serving {shown} on http://{addr}/ (Ctrl-C to stop)");
    })?;
    Ok(ExitCode::SUCCESS)
}
