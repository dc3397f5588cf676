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
    /// Characters left out because their font's codes could not be turned into text
    /// ([`undecoded_fonts`]).
    pub undecoded: usize,
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
    if !ends_like_a_pdf(&bytes) {
        return Err(bad_pdf(
            path,
            "the file is cut short (no %%EOF at its end: an interrupted download or copy?)",
        ));
    }
    let unreadable = || bad_pdf(path, "the PDF library could not parse it");
    let doc = guarded(move || pdf_oxide::PdfDocument::from_bytes(bytes))
        .ok_or_else(unreadable)?
        .map_err(|e| bad_pdf(path, &e.to_string()))?;
    let locked = guarded(|| doc.is_encrypted() && !doc.authenticate(b"").unwrap_or(false))
        .ok_or_else(unreadable)?;
    if locked {
        return Err(Error::Encrypted { path: path.into() });
    }
    let pages = guarded(|| doc.page_count())
        .ok_or_else(unreadable)?
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

/// Whether the file ends as a whole PDF does: with the `%%EOF` marker within its last KiB
/// (readers such as pdf.js and poppler look there too; some writers add padding after it).
/// A file cut short, by an interrupted download or copy, has lost it; the PDF library would
/// still recover the pages it can find, and the run would quietly hold part of the document.
fn ends_like_a_pdf(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    tail.windows(5).any(|w| w == b"%%EOF")
}

/// Runs a call into the PDF library, `None` when it panics (a bug of the library on a
/// malformed file, found by fuzzing: `fuzz/regressions/pdf/`). The panic's message is kept
/// off standard error, so the user sees only the one-line error made of the `None`.
fn guarded<T>(call: impl FnOnce() -> T) -> Option<T> {
    install_quiet_hook();
    QUIET.with(|q| q.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(call));
    QUIET.with(|q| q.set(false));
    result.ok()
}

thread_local! {
    /// Whether this thread is inside [`guarded`].
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Wraps the process's panic hook once so that it stays silent inside [`guarded`] and
/// reports every other panic as before.
fn install_quiet_hook() {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
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
        let doc = &self.doc;
        let unreadable = || bad_pdf(&self.path, &format!("page {}: unreadable", index + 1));
        let (x0, y0, x1, y1) = guarded(|| doc.get_page_media_box(index))
            .ok_or_else(unreadable)?
            .unwrap_or((0.0, 0.0, 612.0, 792.0));
        let (width, height) = ((x1 - x0).abs(), (y1 - y0).abs());
        let chars = guarded(|| doc.extract_chars(index))
            .ok_or_else(unreadable)?
            .map_err(|e| bad_pdf(&self.path, &format!("page {}: {e}", index + 1)))?;
        let mut glyphs = Vec::with_capacity(chars.len());
        let to_top_left = |bbox: &pdf_oxide::geometry::Rect| {
            let top = height - (bbox.y + bbox.height - y0);
            let bottom = height - (bbox.y - y0);
            [
                bbox.x - x0,
                top.min(bottom),
                bbox.x + bbox.width - x0,
                top.max(bottom),
            ]
        };
        let undecoded: std::collections::HashSet<String> =
            undecoded_fonts(chars.iter().map(|c| (c.font_name.as_str(), c.char)))
                .into_iter()
                .map(str::to_owned)
                .collect();
        let (chars, left_out): (Vec<_>, Vec<_>) = chars
            .into_iter()
            .partition(|c| !undecoded.contains(&c.font_name));
        // Glyphs come in runs of one font: its name is read once per run.
        let mut font: (String, bool) = (String::new(), false);
        for c in chars {
            if c.font_name != font.0 {
                font = (c.font_name.clone(), is_bold_name(&c.font_name));
            }
            let bold = c.font_weight as u32 >= 600 || font.1;
            // pdf_oxide gives boxes with a bottom-left origin; turn them to top-left.
            push_expanded(&mut glyphs, c.char, to_top_left(&c.bbox), c.font_size, bold);
        }
        if widths_missing(&glyphs) {
            // The library may panic on a malformed page: the glyphs read so far stay then.
            if let Some(Ok(mut runs)) = guarded(|| doc.extract_spans(index)) {
                runs.sort_by_key(|r| r.sequence);
                let runs: Vec<Run> = runs
                    .iter()
                    .map(|r| Run {
                        text: &r.text,
                        bbox: to_top_left(&r.bbox),
                        size: r.font_size,
                        bold: r.font_weight as u32 >= 600 || is_bold_name(&r.font_name),
                    })
                    .collect();
                glyphs = glyphs_of_runs(&runs);
            }
        }
        Ok(PageGlyphs {
            number: index as u32 + 1,
            width,
            height,
            glyphs,
            undecoded: left_out.iter().filter(|c| !c.char.is_whitespace()).count(),
        })
    }
}

/// The fonts of a page whose characters did not come out as text: at least
/// [`UNDECODED_MIN`] visible characters, not one letter or digit among them, and nine in ten
/// of them one ASCII punctuation sign. That is what a font gives when its codes are read
/// with the wrong width or map (a two-byte font read byte by byte comes out as runs of `!`),
/// while a font set apart for signs (`°`, `§`, bullets) or for rules and dot leaders uses
/// other characters or one of [`MARKS`].
pub fn undecoded_fonts<'a>(
    chars: impl Iterator<Item = (&'a str, char)>,
) -> std::collections::HashSet<&'a str> {
    let mut by_font: std::collections::HashMap<&str, Vec<char>> = Default::default();
    for (font, ch) in chars.filter(|(_, ch)| !ch.is_whitespace()) {
        by_font.entry(font).or_default().push(ch);
    }
    by_font
        .into_iter()
        .filter(|(_, chars)| looks_undecoded(chars))
        .map(|(font, _)| font)
        .collect()
}

/// The fewest visible characters a font must have on a page to be judged undecoded.
const UNDECODED_MIN: usize = 8;

/// Characters a font may legitimately repeat alone: bullets, dashes, rules, leaders.
const MARKS: &[char] = &[
    '.', '-', '_', '·', '…', '•', '–', '—', '=', '*', '◦', '▪', '■', '●', '○', '□',
];

fn looks_undecoded(chars: &[char]) -> bool {
    if chars.len() < UNDECODED_MIN || chars.iter().any(|c| c.is_alphanumeric()) {
        return false;
    }
    let mut counts: std::collections::HashMap<char, usize> = Default::default();
    for &c in chars {
        *counts.entry(c).or_default() += 1;
    }
    let (&top, &n) = counts.iter().max_by_key(|(_, n)| **n).unwrap_or((&' ', &0));
    top.is_ascii_punctuation() && !MARKS.contains(&top) && n * 10 >= chars.len() * 9
}

/// Whether a page's glyphs overlap as they do when its fonts carry no widths (the OCR layer
/// of a scan, set in fonts without a width table): every glyph then gets one default width,
/// each word is placed where it starts, and a long word runs into the next, so that sorted by
/// position the letters of two words interleave (`Kondigend ezew eta f`). Measured as the
/// share of letters, in position order along a line, that start before the previous letter's
/// middle: about none in a well-made PDF; more than one in twenty here.
pub fn widths_missing(glyphs: &[Glyph]) -> bool {
    let mut sorted: Vec<&Glyph> = glyphs.iter().filter(|g| g.ch.is_alphanumeric()).collect();
    if sorted.len() < 50 {
        return false;
    }
    sorted.sort_by(|a, b| {
        a.bbox[1]
            .total_cmp(&b.bbox[1])
            .then(a.bbox[0].total_cmp(&b.bbox[0]))
    });
    let overlapping = sorted
        .windows(2)
        .filter(|w| {
            let same_line = (w[0].bbox[1] - w[1].bbox[1]).abs() < 0.2 * w[0].size.max(1.0);
            let middle = (w[0].bbox[0] + w[0].bbox[2]) / 2.0;
            same_line && w[1].bbox[0] < middle
        })
        .count();
    overlapping * 20 > sorted.len()
}

/// A run of text as the PDF draws it with one show operator: its text, its box (top-left
/// origin) and font.
pub struct Run<'a> {
    /// The run's characters.
    pub text: &'a str,
    /// `[x0, y0, x1, y1]`, its width computed from the font's widths (wrong when they miss).
    pub bbox: [f32; 4],
    /// Font size in points.
    pub size: f32,
    /// Whether the font is bold.
    pub bold: bool,
}

/// Glyphs from text runs in content order when the fonts' widths are missing: each run starts
/// where the PDF put it, and its letters share evenly the room up to where the next run on the
/// same line starts. Same line means the same baseline to a twentieth of the size: the words
/// of an OCR layer share theirs exactly, while a patch set over a word (a letter the OCR
/// placed apart) sits a little off it, and the word then keeps its computed width.
pub fn glyphs_of_runs(runs: &[Run]) -> Vec<Glyph> {
    let mut out = Vec::new();
    for (k, run) in runs.iter().enumerate() {
        let n = run.text.chars().count();
        if n == 0 {
            continue;
        }
        let [x0, y0, mut x1, y1] = run.bbox;
        if let Some(next) = runs.get(k + 1) {
            let same_line = (next.bbox[3] - y1).abs() < 0.05 * run.size.max(1.0);
            if same_line && next.bbox[0] > x0 && next.bbox[0] < x1 {
                x1 = next.bbox[0];
            }
        }
        let step = (x1 - x0) / n as f32;
        for (i, ch) in run.text.chars().enumerate() {
            let left = x0 + step * i as f32;
            push_expanded(
                &mut out,
                ch,
                [left, y0, left + step, y1],
                run.size,
                run.bold,
            );
        }
    }
    out
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
    fn a_font_of_one_repeated_sign_is_undecoded_and_marks_or_text_are_not() {
        let chars = |font: &'static str, text: &str| -> Vec<(&'static str, char)> {
            text.chars().map(|c| (font, c)).collect()
        };
        let mut page = chars("Broken-Identity-H", "! ! !! ! !!! ! !! !!");
        page.extend(chars("Text", "Loi du 2 juin 1998 !!!!!!!!!!"));
        page.extend(chars("Bullets", "• • • • • • • • • •"));
        page.extend(chars("Leaders", "......................"));
        page.extend(chars("Few", "! ! !"));
        page.extend(chars("Ordinals", "° ° ° ° ° ° ° ° °"));
        let undecoded = undecoded_fonts(page.into_iter());
        assert_eq!(
            undecoded.into_iter().collect::<Vec<_>>(),
            ["Broken-Identity-H"]
        );
    }

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

    #[test]
    fn a_file_cut_short_is_refused_and_padding_after_the_end_is_not() {
        let whole = diptych_testkit::pdf::pdf(&[diptych_testkit::pdf::column(
            &["Een zin die de pagina vult."],
            40.0,
            80.0,
            40,
        )]);
        let path = Path::new("x.pdf");
        assert!(open(whole.clone(), path).is_ok());
        let cut = whole[..whole.len() - 8].to_vec();
        let err = open(cut, path).err().unwrap();
        assert!(err.to_string().contains("cut short"), "{err}");
        let mut padded = whole;
        padded.extend(std::iter::repeat_n(b'\0', 600));
        assert!(open(padded, path).is_ok());
    }

    /// Words placed where they start, each letter given one default width too wide, as an OCR
    /// layer in fonts without widths draws them.
    fn default_width_runs<'a>(words: &[(&'a str, f32)]) -> Vec<Run<'a>> {
        words
            .iter()
            .map(|&(text, x)| Run {
                text,
                bbox: [x, 100.0, x + 5.5 * text.chars().count() as f32, 110.0],
                size: 10.0,
                bold: false,
            })
            .collect()
    }

    fn text_by_position(glyphs: &[Glyph]) -> String {
        let mut sorted: Vec<&Glyph> = glyphs.iter().collect();
        sorted.sort_by(|a, b| a.bbox[0].total_cmp(&b.bbox[0]));
        sorted.iter().map(|g| g.ch).collect()
    }

    #[test]
    fn words_of_fonts_without_widths_are_rebuilt_in_their_order() {
        let words = [
            ("Kondigen ", 39.4),
            ("deze ", 76.7),
            ("wet ", 95.9),
            ("af, ", 111.4),
        ];
        let runs = default_width_runs(&words);
        // Every letter at its default width: the words run into each other.
        let mut naive = Vec::new();
        for run in &runs {
            for (i, ch) in run.text.chars().enumerate() {
                let x = run.bbox[0] + 5.5 * i as f32;
                naive.push(Glyph {
                    ch,
                    bbox: [x, 100.0, x + 5.5, 110.0],
                    size: 10.0,
                    bold: false,
                });
            }
        }
        assert!(widths_missing(&on_four_lines(&naive)));
        assert_ne!(text_by_position(&naive), "Kondigen deze wet af, ");
        let rebuilt = glyphs_of_runs(&runs);
        assert_eq!(text_by_position(&rebuilt), "Kondigen deze wet af, ");
        assert!(!widths_missing(&on_four_lines(&rebuilt)));
    }

    /// The line repeated on four lines, enough glyphs to judge a page by.
    fn on_four_lines(line: &[Glyph]) -> Vec<Glyph> {
        (0..4)
            .flat_map(|k| {
                line.iter().map(move |g| {
                    let dy = 20.0 * k as f32;
                    Glyph {
                        bbox: [g.bbox[0], g.bbox[1] + dy, g.bbox[2], g.bbox[3] + dy],
                        ..g.clone()
                    }
                })
            })
            .collect()
    }

    #[test]
    fn a_letter_set_apart_off_the_baseline_does_not_squeeze_its_word() {
        let mut runs = default_width_runs(&[("STAATSB AD ", 210.0), ("L", 248.9)]);
        runs[1].bbox[1] += 0.85;
        runs[1].bbox[3] += 0.85;
        let rebuilt = glyphs_of_runs(&runs);
        assert_eq!(rebuilt[0].bbox[2] - rebuilt[0].bbox[0], 5.5);
    }
}
