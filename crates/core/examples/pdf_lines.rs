//! Prints what the PDF reader sees on some pages: each line in reading order with its column,
//! box, size and weight, and where paragraphs start. A tool for reading a layout bug report:
//! `cargo run -p diptych-core --example pdf_lines -- FILE.pdf [FIRST_PAGE [LAST_PAGE]]`.

use std::path::PathBuf;

use diptych_core::ingest::pdf::{furniture, glyphs, layout};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next().map(PathBuf::from) else {
        eprintln!("usage: pdf_lines FILE.pdf [FIRST_PAGE [LAST_PAGE]]");
        std::process::exit(2);
    };
    let first: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    let last: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(first);
    if let Err(e) = dump(&path, first, last) {
        eprintln!("pdf_lines: {e}");
        std::process::exit(2);
    }
}

fn dump(path: &std::path::Path, first: u32, last: u32) -> diptych_core::Result<()> {
    let bytes = std::fs::read(path).map_err(|e| diptych_core::Error::io(path, e))?;
    let source = glyphs::open(bytes, path)?;
    if let Ok(word) = std::env::var("PDF_LINES_GLYPHS") {
        // Every glyph of the pages asked for whose line holds `word`, as the library gives it.
        for i in (first - 1) as usize..(last as usize).min(source.page_count()) {
            let page = source.page(i)?;
            let line = layout::page_text(&page);
            for l in line.lines.iter().filter(|l| l.text.contains(&word)) {
                for g in page
                    .glyphs
                    .iter()
                    .filter(|g| g.bbox[1] < l.bbox[3] && g.bbox[3] > l.bbox[1])
                {
                    println!("{:?} {:?} {} {}", g.ch, g.bbox, g.size, g.bold);
                }
            }
        }
        return Ok(());
    }
    let pages = diptych_core::ingest::pdf::page_texts(source.as_ref())?;
    let (kept, removed) = furniture::remove(&pages);
    for (page, lines) in pages.iter().zip(&kept) {
        if page.number < first || page.number > last {
            continue;
        }
        println!(
            "== page {} ({}x{}) gutter {:?}",
            page.number, page.width, page.height, page.gutter
        );
        for r in removed.iter().filter(|r| r.page == page.number) {
            println!("   removed: {}", r.line.text);
        }
        let (_, paras) = layout::paragraphs(page, lines);
        for p in paras {
            for (i, l) in p.lines.iter().enumerate() {
                let b = l.bbox;
                println!(
                    "{} r{} {:?} [{:6.1} {:6.1} {:6.1} {:6.1}] {:4.1}{} {}",
                    if i == 0 { "¶" } else { " " },
                    p.region,
                    l.side,
                    b[0],
                    b[1],
                    b[2],
                    b[3],
                    l.size,
                    if l.bold { "b" } else { " " },
                    l.text
                );
            }
        }
    }
    Ok(())
}
