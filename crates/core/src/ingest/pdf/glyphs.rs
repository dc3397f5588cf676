//! The PDF library behind one small trait: a page becomes positioned glyphs with their font
//! size, weight and box, and the page's size. Nothing else in the reader sees the library.
//!
//! The library is `pdf_oxide` (pure Rust, in process). It was chosen by measuring it against
//! `pdf-extract`'s output device on the project's real PDFs (README, "Reading PDFs").

use std::path::Path;

use crate::{Error, Result};

/// One character on a page, in reading units (a ligature is already split into its letters).
#[derive(Clone, Debug, PartialEq)]
pub struct Glyph {
    /// The character (Unicode, after the font's ToUnicode map).
    pub ch: char,
    /// `[x0, y0, x1, y1]` in points, origin at the page's top-left corner.
    pub bbox: [f32; 4],
    /// The font size in points (as drawn, after the text matrix).
    pub size: f32,
    /// Whether the font is bold (by weight or by name).
    pub bold: bool,
}

/// The glyphs of one page and its size.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PageGlyphs {
    /// 1-based page index in the file.
    pub number: u32,
    /// Page width in points.
    pub width: f32,
    /// Page height in points.
    pub height: f32,
    /// The glyphs, in content-stream order.
    pub glyphs: Vec<Glyph>,
}

/// What the reader needs from a PDF library.
pub trait GlyphSource {
    /// Number of pages.
    fn page_count(&self) -> usize;
    /// The glyphs of page `index` (0-based).
    fn page(&self, index: usize) -> Result<PageGlyphs>;
}

/// Opens a PDF held in memory (`path` only names it in errors). An encrypted file is opened
/// with the empty user password when it has one; otherwise the error says it is encrypted.
pub fn open(bytes: Vec<u8>, path: &Path) -> Result<Box<dyn GlyphSource>> {
    if !bytes.starts_with(b"%PDF-")
        && !bytes[..bytes.len().min(1024)]
            .windows(5)
            .any(|w| w == b"%PDF-")
    {
        return Err(bad_pdf(path, "not a PDF file (no %PDF- header)"));
    }
    let doc = std::panic::catch_unwind(move || pdf_oxide::PdfDocument::from_bytes(bytes))
        .map_err(|_| bad_pdf(path, "the PDF library could not parse it"))?
        .map_err(|e| bad_pdf(path, &e.to_string()))?;
    if doc.is_encrypted() && !doc.authenticate(b"").unwrap_or(false) {
        return Err(Error::Encrypted { path: path.into() });
    }
    let pages = doc
        .page_count()
        .map_err(|e| bad_pdf(path, &e.to_string()))?;
    if pages == 0 {
        return Err(bad_pdf(path, "no pages"));
    }
    Ok(Box::new(Oxide {
        doc,
        pages,
        path: path.into(),
    }))
}

fn bad_pdf(path: &Path, why: &str) -> Error {
    Error::BadPdf {
        path: path.into(),
        reason: why.lines().next().unwrap_or(why).trim().to_owned(),
    }
}

struct Oxide {
    doc: pdf_oxide::PdfDocument,
    pages: usize,
    path: std::path::PathBuf,
}

impl GlyphSource for Oxide {
    fn page_count(&self) -> usize {
        self.pages
    }

    fn page(&self, index: usize) -> Result<PageGlyphs> {
        let (x0, y0, x1, y1) = self
            .doc
            .get_page_media_box(index)
            .unwrap_or((0.0, 0.0, 612.0, 792.0));
        let (width, height) = ((x1 - x0).abs(), (y1 - y0).abs());
        let doc = &self.doc;
        let chars =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| doc.extract_chars(index)))
                .map_err(|_| bad_pdf(&self.path, &format!("page {}: unreadable", index + 1)))?
                .map_err(|e| bad_pdf(&self.path, &format!("page {}: {e}", index + 1)))?;
        let mut glyphs = Vec::with_capacity(chars.len());
        // Glyphs come in runs of one font: its name is read once per run.
        let mut font: (String, bool) = (String::new(), false);
        for c in chars {
            if c.font_name != font.0 {
                font = (c.font_name.clone(), is_bold_name(&c.font_name));
            }
            let bold = c.font_weight as u32 >= 600 || font.1;
            // pdf_oxide gives boxes with a bottom-left origin; turn them to top-left.
            let (bx0, bx1) = (c.bbox.x - x0, c.bbox.x + c.bbox.width - x0);
            let top = height - (c.bbox.y + c.bbox.height - y0);
            let bottom = height - (c.bbox.y - y0);
            push_expanded(
                &mut glyphs,
                c.char,
                [bx0, top.min(bottom), bx1, top.max(bottom)],
                c.font_size,
                bold,
            );
        }
        Ok(PageGlyphs {
            number: index as u32 + 1,
            width,
            height,
            glyphs,
        })
    }
}

/// Whether a font name says bold (`Times-Bold`, `ABCDEF+Arial,Bold`, `...Black`, `...Heavy`).
pub fn is_bold_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ["bold", "black", "heavy", "semibold", "demi"]
        .iter()
        .any(|w| lower.contains(w))
}

/// Pushes a glyph, splitting a ligature (`ﬁ`, `ﬂ`, `ﬀ`, `ﬃ`, `ﬄ`, `ﬅ`, `ﬆ`) into its letters
/// with the box shared out evenly.
pub fn push_expanded(out: &mut Vec<Glyph>, ch: char, bbox: [f32; 4], size: f32, bold: bool) {
    let letters: &str = match ch {
        '\u{FB00}' => "ff",
        '\u{FB01}' => "fi",
        '\u{FB02}' => "fl",
        '\u{FB03}' => "ffi",
        '\u{FB04}' => "ffl",
        '\u{FB05}' | '\u{FB06}' => "st",
        _ => {
            out.push(Glyph {
                ch,
                bbox,
                size,
                bold,
            });
            return;
        }
    };
    let n = letters.chars().count() as f32;
    let step = (bbox[2] - bbox[0]) / n;
    for (i, c) in letters.chars().enumerate() {
        let x0 = bbox[0] + step * i as f32;
        out.push(Glyph {
            ch: c,
            bbox: [x0, bbox[1], x0 + step, bbox[3]],
            size,
            bold,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ligatures_are_split_into_letters() {
        let mut out = Vec::new();
        push_expanded(&mut out, '\u{FB01}', [0.0, 0.0, 10.0, 12.0], 12.0, false);
        push_expanded(&mut out, 'x', [10.0, 0.0, 15.0, 12.0], 12.0, false);
        let text: String = out.iter().map(|g| g.ch).collect();
        assert_eq!(text, "fix");
        assert_eq!(out[1].bbox, [5.0, 0.0, 10.0, 12.0]);
    }

    #[test]
    fn bold_is_read_from_font_names() {
        assert!(is_bold_name("BMEEKN+Palatino-Bold"));
        assert!(is_bold_name("Arial,BoldItalic"));
        assert!(!is_bold_name("Times-Roman"));
    }

    #[test]
    fn text_that_is_not_a_pdf_is_refused() {
        let err = open(b"hello".to_vec(), Path::new("x.pdf")).err().unwrap();
        assert!(err.to_string().contains("not a PDF"), "{err}");
    }
}
