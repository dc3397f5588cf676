//! `diptych activities`: reported activities across the archive, as a table or CSV.

use std::path::PathBuf;
use std::process::ExitCode;

use diptych_index::{csv_row, parse_level, ActivityFilter};

/// Flags of `diptych activities`.
#[derive(clap::Args)]
pub struct Args {
    /// The archive: a SQLite file, or a PostgreSQL URL (postgres://user:password@host/db)
    /// [default: $DIPTYCH_ARCHIVE, else ./diptych.sqlite].
    #[arg(long)]
    pub archive: Option<PathBuf>,
    /// Activities a partner took part in (met, hosted, co-signed, was represented): its name
    /// or part of it, in any language (e.g. "Baltic states"). Topics only discussed do not count.
    #[arg(long)]
    pub partner: Option<String>,
    /// Activities held at a place: its name or part of it, in any language (e.g. "Brussel").
    #[arg(long)]
    pub place: Option<String>,
    /// Words that must all occur in the activity's title, in either language.
    #[arg(long)]
    pub text: Option<String>,
    /// From this date: YYYY, YYYY-MM or YYYY-MM-DD.
    #[arg(long)]
    pub from: Option<String>,
    /// Up to this date (inclusive): YYYY, YYYY-MM or YYYY-MM-DD.
    #[arg(long)]
    pub to: Option<String>,
    /// Only this level (heads_of_government, ministerial, senior_officials, other).
    #[arg(long)]
    pub level: Option<String>,
    /// Only this document.
    #[arg(long)]
    pub doc: Option<String>,
    /// At most this many activities.
    #[arg(long, default_value_t = 1000)]
    pub limit: usize,
    /// Print CSV.
    #[arg(long, conflicts_with = "json")]
    pub csv: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs `diptych activities`.
pub fn execute(args: Args) -> anyhow::Result<ExitCode> {
    let archive = super::index::open_existing(args.archive)?;
    let filter = ActivityFilter {
        partner: args.partner,
        place: args.place,
        text: args.text,
        from: args.from,
        to: args.to,
        level: args.level.as_deref().map(parse_level).transpose()?,
        document: args.doc,
    };
    let records = archive.activities(&filter, args.limit)?;
    if args.json {
        diptych_index::write_json(&records, std::io::stdout().lock())?;
    } else if args.csv {
        diptych_index::write_csv(&records, std::io::stdout().lock())?;
    } else {
        println!(
            "{:<10} {:<19} {:<20} title / partners",
            "dates", "level", "document"
        );
        for r in &records {
            let [_, dates, level, title, _, partners, ..] = csv_row(r);
            println!("{dates:<10} {level:<19} {:<20} {title}", r.document);
            if !partners.is_empty() {
                println!("{:52}with {partners}", "");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
