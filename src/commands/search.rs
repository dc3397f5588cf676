//! `diptych search QUERY`: the bilingual concordance.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use diptych_core::Lang;
use diptych_index::{parse_level, Grouping, Hit, Page, Query};

/// Flags of `diptych search`.
#[derive(clap::Args)]
pub struct Args {
    /// Words (all must occur), "a phrase", or prefix* ; case and accents are ignored.
    pub query: String,
    /// The archive: a SQLite file, or a PostgreSQL URL (postgres://user:password@host/db)
    /// [default: $DIPTYCH_ARCHIVE, else ./diptych.sqlite].
    #[arg(long)]
    pub archive: Option<PathBuf>,
    /// Only sentences in this language (e.g. nl).
    #[arg(long)]
    pub lang: Option<String>,
    /// Only this document.
    #[arg(long)]
    pub doc: Option<String>,
    /// Only documents on this year.
    #[arg(long)]
    pub year: Option<i32>,
    /// Only sections whose heading contains this text.
    #[arg(long)]
    pub section: Option<String>,
    /// Only activities at this level (heads_of_government, ministerial, senior_officials, other).
    #[arg(long)]
    pub level: Option<String>,
    /// Hits per page.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Page number, from 1.
    #[arg(long, default_value_t = 1)]
    pub page: usize,
    /// Search the text as a substring (at least 3 characters).
    #[arg(long)]
    pub substring: bool,
    /// Show how the other language rendered the query, with counts, instead of hits.
    #[arg(long)]
    pub group: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs `diptych search`.
pub fn execute(args: Args) -> anyhow::Result<ExitCode> {
    let archive = super::index::open_existing(args.archive.clone())?;
    let query = to_query(&args)?;
    if args.group {
        let groups = archive.group(&query)?;
        if args.json {
            println!("{}", serde_json::to_string_pretty(&groups)?);
        } else {
            print_groups(&groups);
        }
    } else {
        let page = archive.search(&query)?;
        if args.json {
            println!("{}", serde_json::to_string_pretty(&page)?);
        } else {
            print_page(&page);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn to_query(args: &Args) -> anyhow::Result<Query> {
    let mut query = Query::new(args.query.clone());
    query.substring = args.substring;
    query.lang = args.lang.as_deref().map(Lang::parse).transpose()?;
    query.document = args.doc.clone();
    query.year = args.year;
    query.section = args.section.clone();
    query.level = args.level.as_deref().map(parse_level).transpose()?;
    query.limit = args.limit;
    query.page = args.page;
    Ok(query)
}

fn print_page(page: &Page<Hit>) {
    let pages = page.total.div_ceil(page.per_page.max(1)).max(1);
    let plus = if page.exact { "" } else { "+" };
    println!("{}{plus} hits, page {} of {pages}", page.total, page.page);
    let color = std::io::stdout().is_terminal();
    for hit in &page.items {
        let section = if hit.section.is_empty() {
            String::new()
        } else {
            format!(" · {}", hit.section)
        };
        println!(
            "\n{} · {} · bead {}{section} · score {}",
            hit.document, hit.block, hit.bead, hit.score
        );
        println!(
            "  {}  {}",
            hit.lang,
            marked(&hit.text, &hit.highlights, color)
        );
        println!("  {}  {}", hit.counterpart_lang, hit.counterpart);
    }
}

/// The text with its matches in bold on a terminal, in [brackets] otherwise.
fn marked(text: &str, spans: &[[usize; 2]], color: bool) -> String {
    let (open, close) = if color {
        ("\x1b[1;33m", "\x1b[0m")
    } else {
        ("[", "]")
    };
    let mut out = String::new();
    let mut at = 0;
    for &[start, end] in spans {
        if let (Some(before), Some(inside)) = (text.get(at..start), text.get(start..end)) {
            out.push_str(before);
            out.push_str(open);
            out.push_str(inside);
            out.push_str(close);
            at = end;
        }
    }
    out.push_str(text.get(at..).unwrap_or(""));
    out
}

fn print_groups(groups: &[Grouping]) {
    if groups.is_empty() {
        println!("no hits");
    }
    for g in groups {
        println!("{} -> {} ({} beads)", g.lang, g.other_lang, g.beads);
        for r in &g.renderings {
            println!("  {:>5}×  {}", r.count, r.text);
        }
        if g.unmatched > 0 {
            println!("  {:>5}×  (no common rendering)", g.unmatched);
        }
        if g.no_counterpart > 0 {
            println!("  {:>5}×  (no counterpart)", g.no_counterpart);
        }
    }
}
