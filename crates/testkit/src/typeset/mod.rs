//! A tiny PDF writer for tests: pages of text lines in the base-14 fonts Helvetica and
//! Helvetica-Bold (WinAnsi encoding, no embedded font), one uncompressed content stream per
//! page (`BT /F1 10 Tf x y Td (text) Tj ET`), a cross-reference table. Enough to make PDFs
//! whose geometry a test controls exactly: [`two_columns`] lays two languages' blocks out
//! side by side, flowing from page to page, with a running header and a folio.
//!
//! ```
//! use diptych_testkit::typeset::{write_pdf, Font, Line, Page};
//! let page = Page {
//!     width: 595.0,
//!     height: 842.0,
//!     lines: vec![Line { x: 72.0, y: 770.0, size: 10.0, font: Font::Regular, text: "Café".into() }],
//! };
//! let bytes = write_pdf(&[page]);
//! assert!(bytes.starts_with(b"%PDF-1.4") && bytes.ends_with(b"%%EOF\n"));
//! ```

mod metrics;

use std::fmt::Write as _;

/// A face of the writer: the base-14 Helvetica, regular (`/F1`) or bold (`/F2`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Font {
    /// Helvetica.
    Regular,
    /// Helvetica-Bold.
    Bold,
}

impl Font {
    fn resource(self) -> &'static str {
        match self {
            Font::Regular => "F1",
            Font::Bold => "F2",
        }
    }
}

/// One line of text at a place on a page: PDF user space, points, origin at the bottom left,
/// `(x, y)` the start of the baseline.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// Left end of the baseline.
    pub x: f64,
    /// Height of the baseline above the page's bottom edge.
    pub y: f64,
    /// Font size in points.
    pub size: f64,
    /// The face.
    pub font: Font,
    /// The text (characters outside WinAnsi are written as `?`).
    pub text: String,
}

/// One page: its size in points and its lines.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    /// Width in points (A4: 595.3).
    pub width: f64,
    /// Height in points (A4: 841.9).
    pub height: f64,
    /// The text lines, drawn in this order.
    pub lines: Vec<Line>,
}

/// The WinAnsi (Windows-1252) code of a character, if it has one.
pub fn win_ansi_code(c: char) -> Option<u8> {
    const HIGH: [(char, u8); 27] = [
        ('€', 0x80),
        ('‚', 0x82),
        ('ƒ', 0x83),
        ('„', 0x84),
        ('…', 0x85),
        ('†', 0x86),
        ('‡', 0x87),
        ('ˆ', 0x88),
        ('‰', 0x89),
        ('Š', 0x8A),
        ('‹', 0x8B),
        ('Œ', 0x8C),
        ('Ž', 0x8E),
        ('‘', 0x91),
        ('’', 0x92),
        ('“', 0x93),
        ('”', 0x94),
        ('•', 0x95),
        ('–', 0x96),
        ('—', 0x97),
        ('˜', 0x98),
        ('™', 0x99),
        ('š', 0x9A),
        ('›', 0x9B),
        ('œ', 0x9C),
        ('ž', 0x9E),
        ('Ÿ', 0x9F),
    ];
    match c as u32 {
        0x20..=0x7E | 0xA0..=0xFF => Some(c as u8),
        _ => HIGH.iter().find(|(h, _)| *h == c).map(|(_, code)| *code),
    }
}

/// Whether every character of `text` can be written by this writer.
pub fn is_writable(text: &str) -> bool {
    text.chars().all(|c| win_ansi_code(c).is_some())
}

/// The width of `text` in points when set in `font` at `size`.
pub fn text_width(text: &str, font: Font, size: f64) -> f64 {
    let table = match font {
        Font::Regular => &metrics::HELVETICA,
        Font::Bold => &metrics::HELVETICA_BOLD,
    };
    let units: u32 = text
        .chars()
        .map(|c| {
            let code = win_ansi_code(c).unwrap_or(b'?');
            u32::from(table[usize::from(code) - 32])
        })
        .sum();
    f64::from(units) * size / 1000.0
}

/// A PDF literal string `( ... )` holding `text` in WinAnsi, with `(`, `)`, `\` escaped and
/// bytes above 126 as octal escapes.
fn literal(text: &str) -> String {
    let mut out = String::from("(");
    for c in text.chars() {
        let code = win_ansi_code(c).unwrap_or(b'?');
        match code {
            b'(' | b')' | b'\\' => {
                out.push('\\');
                out.push(code as char);
            }
            0x20..=0x7E => out.push(code as char),
            _ => {
                let _ = write!(out, "\\{code:03o}");
            }
        }
    }
    out.push(')');
    out
}

/// The content stream of one page.
fn content(page: &Page) -> String {
    let mut out = String::new();
    for line in &page.lines {
        let _ = writeln!(
            out,
            "BT /{} {} Tf {:.2} {:.2} Td {} Tj ET",
            line.font.resource(),
            line.size,
            line.x,
            line.y,
            literal(&line.text)
        );
    }
    out
}

/// Writes `pages` as a PDF 1.4 file: catalog, page tree, the two fonts, then a page object
/// and its content stream per page, and the cross-reference table.
pub fn write_pdf(pages: &[Page]) -> Vec<u8> {
    let font = |name: &str| {
        format!("<< /Type /Font /Subtype /Type1 /BaseFont /{name} /Encoding /WinAnsiEncoding >>")
    };
    let page_id = |i: usize| 5 + 2 * i;
    let kids: Vec<String> = (0..pages.len())
        .map(|i| format!("{} 0 R", page_id(i)))
        .collect();
    let mut objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            pages.len()
        )
        .into_bytes(),
        font("Helvetica").into_bytes(),
        font("Helvetica-Bold").into_bytes(),
    ];
    for (i, page) in pages.iter().enumerate() {
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {:.2} {:.2}] \
                 /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {} 0 R >>",
                page.width,
                page.height,
                page_id(i) + 1
            )
            .into_bytes(),
        );
        let stream = content(page);
        objects.push(
            format!("<< /Length {} >>\nstream\n{stream}endstream", stream.len()).into_bytes(),
        );
    }
    assemble(&objects)
}

/// Numbers the objects from 1, writes them and the cross-reference table and trailer.
fn assemble(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out: Vec<u8> = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        let _ = writeln!(table, "{offset:010} 00000 n ");
    }
    let _ = write!(
        table,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    );
    out.extend_from_slice(table.as_bytes());
    out
}

/// A block for [`two_columns`]: a heading (bold, larger, kept with what follows) or a
/// paragraph (regular, wrapped, may break across pages).
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    /// The text, on one line.
    pub text: String,
    /// Whether it is set as a heading.
    pub heading: bool,
}

/// Page geometry and furniture for [`two_columns`].
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// Page width in points.
    pub width: f64,
    /// Page height in points.
    pub height: f64,
    /// Margin on every side, in points; the header and the folio sit inside it.
    pub margin: f64,
    /// Space between the two columns, in points.
    pub gutter: f64,
    /// Body font size in points (headings are 1.2 times larger).
    pub size: f64,
    /// Distance between baselines as a multiple of the font size.
    pub leading: f64,
    /// Extra space between blocks, as a multiple of the line distance.
    pub block_gap: f64,
    /// A running header centred at the top of every page.
    pub header: Option<String>,
    /// Whether every page carries its number centred at the bottom.
    pub folio: bool,
}

impl Default for Layout {
    /// An A4 page, 10-point text, header and folio.
    fn default() -> Self {
        Layout {
            width: 595.3,
            height: 841.9,
            margin: 56.0,
            gutter: 24.0,
            size: 10.0,
            leading: 1.25,
            block_gap: 0.6,
            header: Some("Running header".into()),
            folio: true,
        }
    }
}

impl Layout {
    fn column_width(&self) -> f64 {
        (self.width - 2.0 * self.margin - self.gutter) / 2.0
    }
    fn top(&self) -> f64 {
        self.height - self.margin
    }
}

/// Breaks `text` into lines no wider than `width` (a word longer than a line stands alone).
pub fn wrap(text: &str, font: Font, size: f64, width: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() {
            word.to_owned()
        } else {
            format!("{current} {word}")
        };
        if !current.is_empty() && text_width(&candidate, font, size) > width {
            lines.push(std::mem::replace(&mut current, word.to_owned()));
        } else {
            current = candidate;
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// Lays one column's blocks out from page to page: the lines of each page, placed at
/// horizontal offset `x`.
fn flow(blocks: &[Block], x: f64, layout: &Layout) -> Vec<Vec<Line>> {
    let step = layout.size * layout.leading;
    let bottom = layout.margin;
    let mut pages: Vec<Vec<Line>> = vec![Vec::new()];
    let mut y = layout.top();
    for (i, block) in blocks.iter().enumerate() {
        let (font, size) = if block.heading {
            (Font::Bold, layout.size * 1.2)
        } else {
            (Font::Regular, layout.size)
        };
        let lines = wrap(&block.text, font, size, layout.column_width());
        let gap = if i == 0 || y == layout.top() {
            0.0
        } else {
            step * layout.block_gap
        };
        // A heading keeps two lines of what follows with it.
        let needed = if block.heading {
            (lines.len() + 2) as f64 * step
        } else {
            step
        };
        if y - gap - needed < bottom && y < layout.top() {
            pages.push(Vec::new());
            y = layout.top();
        } else {
            y -= gap;
        }
        for text in lines {
            if y - step < bottom {
                pages.push(Vec::new());
                y = layout.top();
            }
            y -= step;
            let page = pages.last_mut().expect("a page");
            page.push(Line {
                x,
                y,
                size,
                font,
                text,
            });
        }
    }
    pages
}

/// Lays two languages' blocks out side by side: `left` in the left column and `right` in
/// the right one, each flowing independently from page to page (a paragraph that reaches the
/// foot of a column continues at the top of the next page's column), with the layout's
/// running header and folio on every page.
pub fn two_columns(left: &[Block], right: &[Block], layout: &Layout) -> Vec<Page> {
    let left_pages = flow(left, layout.margin, layout);
    let right_x = layout.margin + layout.column_width() + layout.gutter;
    let right_pages = flow(right, right_x, layout);
    let count = left_pages.len().max(right_pages.len());
    (0..count)
        .map(|i| {
            let mut lines = Vec::new();
            if let Some(header) = &layout.header {
                lines.push(centred(
                    header,
                    layout.top() + 0.5 * layout.margin,
                    8.0,
                    layout,
                ));
            }
            lines.extend(left_pages.get(i).cloned().unwrap_or_default());
            lines.extend(right_pages.get(i).cloned().unwrap_or_default());
            if layout.folio {
                let folio = (i + 1).to_string();
                lines.push(centred(&folio, 0.5 * layout.margin, 9.0, layout));
            }
            Page {
                width: layout.width,
                height: layout.height,
                lines,
            }
        })
        .collect()
}

fn centred(text: &str, y: f64, size: f64, layout: &Layout) -> Line {
    let width = text_width(text, Font::Regular, size);
    Line {
        x: (layout.width - width) / 2.0,
        y,
        size,
        font: Font::Regular,
        text: text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_are_helvetica_s() {
        // "Hello" in Helvetica: H 722, e 556, l 222, l 222, o 556 = 2278 units.
        assert!((text_width("Hello", Font::Regular, 10.0) - 22.78).abs() < 1e-9);
        assert!(text_width("Hello", Font::Bold, 10.0) > 22.78);
        assert!((text_width("é–", Font::Regular, 1.0) - 1.112).abs() < 1e-9);
    }

    #[test]
    fn strings_are_escaped_in_win_ansi() {
        assert_eq!(literal("a(b)\\"), "(a\\(b\\)\\\\)");
        assert_eq!(literal("é – €"), "(\\351 \\226 \\200)");
        assert_eq!(literal("日"), "(?)");
        assert!(!is_writable("日本") && is_writable("Noël – « oui »"));
    }

    #[test]
    fn the_cross_reference_table_points_at_the_objects() {
        let pages = two_columns(
            &[Block {
                text: "Een korte alinea.".into(),
                heading: false,
            }],
            &[Block {
                text: "Un court paragraphe.".into(),
                heading: false,
            }],
            &Layout::default(),
        );
        let pdf = write_pdf(&pages);
        let text = String::from_utf8_lossy(&pdf);
        let xref: usize = text
            .rsplit("startxref\n")
            .next()
            .and_then(|t| t.lines().next())
            .and_then(|n| n.parse().ok())
            .unwrap();
        assert!(pdf[xref..].starts_with(b"xref\n0 7\n"));
        // The table is ASCII; offsets count bytes (the header's binary comment included).
        let table = String::from_utf8_lossy(&pdf[xref..]);
        let entries: Vec<usize> = table
            .lines()
            .skip(3)
            .take(6)
            .map(|l| l[..10].parse().unwrap())
            .collect();
        for (i, offset) in entries.iter().enumerate() {
            assert!(pdf[*offset..].starts_with(format!("{} 0 obj", i + 1).as_bytes()));
        }
        assert!(text.contains("BT /F1 10 Tf 56.00 "));
    }

    #[test]
    fn long_paragraphs_flow_onto_the_next_page_and_headings_keep_with_text() {
        let sentence = "Dit is een zin die de kolom vult met woorden. ";
        let blocks = vec![
            Block {
                text: "Titel".into(),
                heading: true,
            },
            Block {
                text: sentence.repeat(200),
                heading: false,
            },
        ];
        let layout = Layout::default();
        let pages = two_columns(&blocks, &blocks[..1], &layout);
        assert!(pages.len() >= 3, "{} pages", pages.len());
        let right_edge = layout.margin + layout.column_width() + 0.01;
        for page in &pages {
            for line in page
                .lines
                .iter()
                .filter(|l| l.x < layout.width / 2.0 - 40.0)
            {
                assert!(line.x + text_width(&line.text, line.font, line.size) <= right_edge);
                assert!(line.y >= layout.margin - 0.01, "{line:?}");
            }
            assert!(page.lines.iter().any(|l| l.text == "Running header"));
        }
        assert_eq!(pages[2].lines.last().unwrap().text, "3");
    }
}
