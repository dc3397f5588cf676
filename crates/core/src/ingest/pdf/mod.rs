//! Reading bilingual PDFs directly, in process: the same two [`Document`]s as the woven-text
//! reader, with the page and box of every block piece (`Block::regions`).
//!
//! * [`glyphs`]: the PDF library behind one trait (page -> positioned glyphs, page size);
//! * [`layout`]: lines, the gutter, column regions in reading order, paragraphs;
//! * [`furniture`]: running heads, feet and folios out; footnotes marked;
//! * [`reading`]: language per paragraph and page layout, joins across columns and pages,
//!   line-end hyphens, blocks with regions.
//!
//! A third language (German notices in a Belgian journal) becomes blocks of its own
//! ([`PdfRead::others`]); `--langs` chooses the pair.

pub mod furniture;
pub mod glyphs;
pub mod layout;
pub mod notes;
pub mod reading;

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;

use self::layout::{Para, Side};
use self::reading::{Label, Placed};
use super::IngestOptions;
use crate::{Block, BlockKind, Document, Error, Lang, Result};

/// What reading a PDF gives: the two documents, blocks in other languages, and the layout
/// drawn in `layout.html`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PdfRead {
    /// The two language versions, the one read first first.
    pub docs: [Document; 2],
    /// Blocks in a language outside the pair.
    pub others: Vec<Block>,
    /// What was read where, page by page.
    pub layout: LayoutMap,
}

/// The layout of the pages read, for `layout.html`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LayoutMap {
    /// The input's file name.
    pub file: String,
    /// One entry per page.
    pub pages: Vec<PageMap>,
    /// Pages with characters left out because their font could not be read as text, with
    /// how many (a font whose codes come out as one repeated sign).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub undecoded: Vec<(u32, usize)>,
}

/// What was read on one page.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PageMap {
    /// 1-based page.
    pub number: u32,
    /// Width in points.
    pub width: f32,
    /// Height in points.
    pub height: f32,
    /// Column regions `[x0, y0, x1, y1]` with their side (`full`, `left`, `right`).
    pub columns: Vec<(String, [f32; 4])>,
    /// Paragraphs read, with the block they went into.
    pub boxes: Vec<BoxMap>,
    /// Lines removed as running heads, feet or folios.
    pub removed: Vec<BoxMap>,
}

/// One box drawn on a page.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct BoxMap {
    /// `[x0, y0, x1, y1]`, top-left origin, points.
    pub bbox: [f32; 4],
    /// Language code, when known.
    pub lang: String,
    /// Block kind (`paragraph`, `heading`, ...), or `removed`.
    pub kind: String,
    /// Block id, when the box went into a block.
    pub block: String,
    /// The start of its text.
    pub text: String,
}

/// Everything read from one file before languages are decided.
struct Pages {
    paras: Vec<Para>,
    regions: HashMap<(u32, usize), layout::Region>,
    removed: Vec<furniture::Removed>,
    sizes: Vec<(u32, f32, f32)>,
    /// Pages with characters left out, and how many ([`LayoutMap::undecoded`]).
    undecoded: Vec<(u32, usize)>,
    body_size: f32,
    /// The words the file writes whole, which decide its line-end hyphens.
    seen: std::collections::HashSet<String>,
}

/// Whether a file starts like a PDF (`%PDF-` within its first KiB).
pub fn is_pdf(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 1024];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    head[..n].windows(5).any(|w| w == b"%PDF-")
}

/// The lines of every page, each page's gutter found on its own or, for a page too short
/// to show one, taken from the file's other pages.
pub fn page_texts(source: &dyn glyphs::GlyphSource) -> Result<Vec<layout::PageText>> {
    let mut glyphs = Vec::with_capacity(source.page_count());
    let mut texts = Vec::with_capacity(source.page_count());
    for i in 0..source.page_count() {
        let page = source.page(i)?;
        texts.push(layout::page_text(&page));
        glyphs.push(page);
    }
    if let Some(shared) = layout::shared_gutter(&texts) {
        for (text, page) in texts.iter_mut().zip(&glyphs) {
            if text.gutter.is_none() {
                *text = layout::page_text_with(page, Some(shared));
            }
        }
    }
    Ok(texts)
}

fn read_pages(path: &Path) -> Result<Pages> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let source = glyphs::open(bytes, path)?;
    let texts = page_texts(source.as_ref())?;
    let letters: usize = texts
        .iter()
        .flat_map(|p| &p.lines)
        .map(|l| l.text.chars().filter(|c| c.is_alphabetic()).count())
        .sum();
    if letters == 0 {
        return Err(Error::NoTextLayer { path: path.into() });
    }
    let (kept, mut removed) = furniture::remove(&texts);
    let mut paras = Vec::new();
    let mut regions = HashMap::new();
    for (page, lines) in texts.iter().zip(&kept) {
        let (page_regions, page_paras) = layout::paragraphs(page, lines);
        for (i, r) in page_regions.into_iter().enumerate() {
            regions.insert((page.number, i), r);
        }
        paras.extend(page_paras);
    }
    furniture::take_out_rules(&mut paras, &mut removed);
    furniture::mark_footnotes(&mut paras);
    notes::link_calls(&mut paras);
    let body_size = furniture::body_size(&paras);
    let seen = reading::seen_words(&paras);
    Ok(Pages {
        seen,
        paras,
        regions,
        removed,
        sizes: texts
            .iter()
            .map(|p| (p.number, p.width, p.height))
            .collect(),
        undecoded: texts
            .iter()
            .filter(|p| p.undecoded > 0)
            .map(|p| (p.number, p.undecoded))
            .collect(),
        body_size,
    })
}

/// Reads a bilingual PDF into its two language versions.
pub fn read_pdf(path: &Path, opts: &IngestOptions) -> Result<PdfRead> {
    let pages = read_pages(path)?;
    let known = Lang::KNOWN.to_vec();
    let guesses = reading::guesses(&pages.paras, &known);
    let pair = choose_pair(path, &pages.paras, &guesses, opts)?;
    let present = present_languages(&pages.paras, &guesses);
    let mut allowed: Vec<Lang> = present.clone();
    for l in pair {
        if !allowed.contains(&l) {
            allowed.push(l);
        }
    }
    let labels = reading::label(&pages.paras, &guesses, pair, &allowed);
    let first = labels
        .iter()
        .find(|l| pair.contains(&l.lang))
        .map_or(pair[0], |l| l.lang);
    let pair = if first == pair[0] {
        pair
    } else {
        [pair[1], pair[0]]
    };
    build(path, &pages, &labels, pair)
}

/// Reads two one-language PDFs; their languages are identified and must differ.
pub fn read_pdf_pair(src: &Path, tgt: &Path, opts: &IngestOptions) -> Result<PdfRead> {
    let candidates = opts.candidates()?;
    let mut sides = Vec::new();
    for path in [src, tgt] {
        let pages = read_pages(path)?;
        let guesses = reading::guesses(&pages.paras, &candidates);
        let lang = dominant(&guesses).unwrap_or(candidates[0]);
        let labels: Vec<Label> = guesses
            .iter()
            .map(|g| Label {
                lang,
                confidence: if g.0 == lang { g.1 } else { 1.0 - g.1 },
            })
            .collect();
        sides.push((pages, labels, lang));
    }
    if sides[0].2 == sides[1].2 {
        return Err(Error::OneLanguage {
            path: tgt.into(),
            lang: sides[0].2.to_string(),
        });
    }
    let (p1, l1, lang1) = sides.pop().expect("two sides");
    let (p0, l0, lang0) = sides.pop().expect("two sides");
    let a = build_side(&p0, &l0, lang0, 0);
    let b = build_side(&p1, &l1, lang1, a.last_line);
    let [b0, b1] = super::structure::blocks_of_pair([a.pieces, b.pieces], [lang0, lang1]);
    let mut docs = [document(lang0, b0), document(lang1, b1)];
    reading::place_blocks(&mut docs[0].blocks, &p0.paras, &a.by_first_line);
    reading::place_blocks(&mut docs[1].blocks, &p1.paras, &b.by_first_line);
    let mut layout = layout_map(src, &p0, &l0, &a.by_first_line, &docs[0].blocks);
    let other = layout_map(tgt, &p1, &l1, &b.by_first_line, &docs[1].blocks);
    layout.file = format!("{} + {}", layout.file, other.file);
    layout.pages.extend(other.pages);
    layout.undecoded.extend(other.undecoded);
    Ok(PdfRead {
        docs,
        others: Vec::new(),
        layout,
    })
}

fn dominant(guesses: &[(Lang, f64, f64)]) -> Option<Lang> {
    let mut score: HashMap<Lang, f64> = HashMap::new();
    for (l, p, w) in guesses {
        *score.entry(*l).or_default() += p * w;
    }
    score
        .into_iter()
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.as_str().cmp(a.0.as_str())))
        .map(|(l, _)| l)
}

/// The languages clearly present, most letters first.
fn present_languages(paras: &[Para], guesses: &[(Lang, f64, f64)]) -> Vec<Lang> {
    let mut letters: HashMap<Lang, (usize, usize)> = HashMap::new();
    for (para, (lang, p, w)) in paras.iter().zip(guesses) {
        if *w >= 0.7 && *p >= 0.8 {
            let e = letters.entry(*lang).or_default();
            e.0 += para
                .raw_text()
                .chars()
                .filter(|c| c.is_alphabetic())
                .count();
            e.1 += 1;
        }
    }
    let total: usize = letters.values().map(|v| v.0).sum();
    let mut present: Vec<(Lang, usize)> = letters
        .into_iter()
        .filter(|(_, (n, count))| *n * 100 >= total * 3 && (*count >= 3 || *n * 100 >= total * 10))
        .map(|(l, (n, _))| (l, n))
        .collect();
    present.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.as_str().cmp(b.0.as_str())));
    present.into_iter().map(|(l, _)| l).collect()
}

/// The pair of languages to read: `--langs` when given (each must be present), otherwise
/// the two languages with most text.
fn choose_pair(
    path: &Path,
    paras: &[Para],
    guesses: &[(Lang, f64, f64)],
    opts: &IngestOptions,
) -> Result<[Lang; 2]> {
    let present = present_languages(paras, guesses);
    let found = || {
        present
            .iter()
            .map(Lang::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !opts.langs.is_empty() {
        super::langid::check_candidates(&opts.langs)?;
        let asked: Vec<Lang> = opts
            .langs
            .iter()
            .copied()
            .filter(|l| present.contains(l))
            .collect();
        if asked.len() < 2 {
            return Err(Error::LanguagesNotFound {
                path: path.into(),
                asked: opts
                    .langs
                    .iter()
                    .map(Lang::to_string)
                    .collect::<Vec<_>>()
                    .join(","),
                found: found(),
            });
        }
        return Ok([asked[0], asked[1]]);
    }
    match present.as_slice() {
        [] => Err(Error::OneLanguage {
            path: path.into(),
            lang: dominant(guesses).map_or("unknown".into(), |l| l.to_string()),
        }),
        [one] => Err(Error::OneLanguage {
            path: path.into(),
            lang: one.to_string(),
        }),
        [a, b, ..] => Ok([*a, *b]),
    }
}

/// One language's side of a reading: pieces for the structure code and where their lines
/// came from.
struct SideRead {
    pieces: Vec<crate::ingest::weave::Piece>,
    by_first_line: HashMap<usize, usize>,
    last_line: usize,
}

/// Builds the pieces of the paragraphs labelled `lang`, numbering lines from `line0`.
fn build_side(pages: &Pages, labels: &[Label], lang: Lang, line0: usize) -> SideRead {
    let mut line = line0;
    let mut stream = Vec::new();
    let mut by_first_line = HashMap::new();
    for (i, para) in pages.paras.iter().enumerate() {
        if labels[i].lang != lang {
            continue;
        }
        let text = reading::para_text(para, lang, &pages.seen);
        if text.trim().is_empty() {
            continue;
        }
        let first = line + 1;
        line += para.lines.len();
        by_first_line.insert(first, i);
        stream.push(Placed {
            para: i,
            text,
            lines: [first, line],
        });
    }
    let right: HashMap<(u32, usize), f32> =
        pages.regions.iter().map(|(k, r)| (*k, r.bbox[2])).collect();
    let groups = reading::join_stream(&pages.paras, &stream, &right);
    let pieces = reading::pieces(&pages.paras, &stream, &groups, labels, pages.body_size);
    SideRead {
        pieces,
        by_first_line,
        last_line: line,
    }
}

fn build(path: &Path, pages: &Pages, labels: &[Label], pair: [Lang; 2]) -> Result<PdfRead> {
    let a = build_side(pages, labels, pair[0], 0);
    let b = build_side(pages, labels, pair[1], a.last_line);
    if a.pieces.is_empty() || b.pieces.is_empty() {
        return Err(Error::OneLanguage {
            path: path.into(),
            lang: if a.pieces.is_empty() {
                pair[1]
            } else {
                pair[0]
            }
            .to_string(),
        });
    }
    let [b0, b1] = super::structure::blocks_of_pair([a.pieces, b.pieces], pair);
    let mut docs = [document(pair[0], b0), document(pair[1], b1)];
    let mut by_first_line = a.by_first_line;
    by_first_line.extend(b.by_first_line);
    let mut last_line = b.last_line;
    let mut others = Vec::new();
    let mut third: Vec<Lang> = labels
        .iter()
        .map(|l| l.lang)
        .filter(|l| !pair.contains(l))
        .collect();
    third.sort_by(|x, y| x.as_str().cmp(y.as_str()));
    third.dedup();
    for lang in third {
        let side = build_side(pages, labels, lang, last_line);
        last_line = side.last_line;
        let mut blocks = reading::lone_blocks(side.pieces, lang);
        reading::place_blocks(&mut blocks, &pages.paras, &side.by_first_line);
        by_first_line.extend(side.by_first_line);
        others.extend(blocks);
    }
    for doc in &mut docs {
        reading::place_blocks(&mut doc.blocks, &pages.paras, &by_first_line);
        let paras_of = reading::paras_of(&doc.blocks, &by_first_line);
        notes::link_blocks(&mut doc.blocks, &pages.paras, &paras_of);
    }
    let all: Vec<Block> = docs
        .iter()
        .flat_map(|d| d.blocks.iter().cloned())
        .chain(others.iter().cloned())
        .collect();
    let layout = layout_map(path, pages, labels, &by_first_line, &all);
    Ok(PdfRead {
        docs,
        others,
        layout,
    })
}

fn document(lang: Lang, blocks: Vec<Block>) -> Document {
    Document {
        lang: Some(lang),
        blocks,
        sentences: Vec::new(),
    }
}

/// The layout map: columns, each paragraph with its block and kind, the furniture removed.
fn layout_map(
    path: &Path,
    pages: &Pages,
    labels: &[Label],
    by_first_line: &HashMap<usize, usize>,
    blocks: &[Block],
) -> LayoutMap {
    let mut block_of: HashMap<usize, (&str, BlockKind)> = HashMap::new();
    for block in blocks {
        let parts = if block.joined_from.is_empty() {
            vec![block.source_lines]
        } else {
            block.joined_from.clone()
        };
        for part in parts {
            if let Some(&i) = by_first_line.get(&part[0]) {
                block_of.insert(i, (block.id.as_str(), block.kind));
            }
        }
    }
    let mut map = LayoutMap {
        file: path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
        pages: Vec::new(),
        undecoded: pages.undecoded.clone(),
    };
    for &(number, width, height) in &pages.sizes {
        let mut columns: Vec<(usize, (String, [f32; 4]))> = pages
            .regions
            .iter()
            .filter(|((p, _), _)| *p == number)
            .map(|((_, i), r)| (*i, (side_name(r.side).to_owned(), r.bbox)))
            .collect();
        columns.sort_by_key(|(i, _)| *i);
        let boxes = pages
            .paras
            .iter()
            .enumerate()
            .filter(|(_, p)| p.page == number)
            .map(|(i, p)| {
                let (block, kind) = block_of
                    .get(&i)
                    .map_or(("", "paragraph"), |(id, k)| (*id, k.as_str()));
                BoxMap {
                    bbox: p.bbox(),
                    lang: labels[i].lang.to_string(),
                    kind: kind.to_owned(),
                    block: block.to_owned(),
                    text: p.raw_text().chars().take(80).collect(),
                }
            })
            .collect();
        let removed = pages
            .removed
            .iter()
            .filter(|r| r.page == number)
            .map(|r| BoxMap {
                bbox: r.line.bbox,
                lang: String::new(),
                kind: "removed".into(),
                block: String::new(),
                text: r.line.text.chars().take(80).collect(),
            })
            .collect();
        map.pages.push(PageMap {
            number,
            width,
            height,
            columns: columns.into_iter().map(|(_, c)| c).collect(),
            boxes,
            removed,
        });
    }
    map
}

fn side_name(side: Side) -> &'static str {
    match side {
        Side::Full => "full",
        Side::Left => "left",
        Side::Right => "right",
    }
}
