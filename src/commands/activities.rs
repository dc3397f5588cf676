//! `diptych activities`: reported activities across the archive, as a table or CSV.

use std::path::PathBuf;
use std::process::ExitCode;

use diptych_core::Lang;
use diptych_index::{level_name, parse_level, ActivityFilter, ActivityRecord};

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
        from: args.from,
        to: args.to,
        level: args.level.as_deref().map(parse_level).transpose()?,
        document: args.doc,
    };
    let records = archive.activities(&filter, args.limit)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&records)?);
    } else if args.csv {
        let mut w = csv::Writer::from_writer(std::io::stdout().lock());
        w.write_record([
            "document",
            "dates",
            "level",
            "title_src",
            "title_tgt",
            "partners",
            "topics",
            "places",
            "people",
        ])?;
        for r in &records {
            w.write_record(row(r))?;
        }
        w.flush()?;
    } else {
        println!(
            "{:<10} {:<19} {:<20} title / partners",
            "dates", "level", "document"
        );
        for r in &records {
            let [_, dates, level, title, _, partners, ..] = row(r);
            println!("{dates:<10} {level:<19} {:<20} {title}", r.document);
            if !partners.is_empty() {
                println!("{:52}with {partners}", "");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// An activity as CSV fields; titles in the document's first and second language.
fn row(r: &ActivityRecord) -> [String; 9] {
    let a = &r.activity;
    let mut titles = a.titles.iter();
    let title = |t: Option<(&Lang, &String)>| t.map(|(_, s)| s.clone()).unwrap_or_default();
    let names = |places: &[diptych_core::model::Place]| {
        places
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    };
    [
        r.document.clone(),
        a.dates.join(" "),
        level_name(a.level).to_owned(),
        title(titles.next()),
        title(titles.next()),
        names(&a.partners),
        names(&a.topics),
        names(&a.places),
        a.people.join("; "),
    ]
}
