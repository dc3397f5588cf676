//! From glyphs to paragraphs on one page: lines (glyphs on one baseline), the gutter between
//! two columns (a vertical strip that many lines jump over at the same place), bands (a line
//! that crosses the gutter, such as a full-width title, cuts the page into bands read top to
//! bottom, each band's left column before its right one), and paragraphs inside each column
//! from line spacing, indentation, short lines, size, weight and bullets.

use super::glyphs::{Glyph, PageGlyphs};

/// Where a line sits relative to the page's gutter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    /// The page has one column, or the line crosses the gutter.
    Full,
    /// Left of the gutter.
    Left,
    /// Right of the gutter.
    Right,
}

/// One line of text in one column.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// The words, separated by single spaces.
    pub text: String,
    /// `[x0, y0, x1, y1]`, top-left origin.
    pub bbox: [f32; 4],
    /// Median glyph size.
    pub size: f32,
    /// Most letters are bold.
    pub bold: bool,
    /// Width of the first word (to tell whether it would have fitted on the line before).
    pub first_word: f32,
    /// Which column.
    pub side: Side,
    /// Byte ranges of `text` holding raised, smaller digits set right after a word
    /// (`Agreement¹`): footnote calls when a note of that number sits on the page.
    pub calls: Vec<std::ops::Range<usize>>,
}

/// A paragraph read on one page, in one column region.
#[derive(Clone, Debug, PartialEq)]
pub struct Para {
    /// 1-based page.
    pub page: u32,
    /// Index of its column region on the page, in reading order.
    pub region: usize,
    /// The column of that region.
    pub side: Side,
    /// Its lines, top to bottom.
    pub lines: Vec<Line>,
    /// Set by the furniture pass: a footnote at the foot of its column.
    pub footnote: bool,
    /// Set by the notes pass: the numbers of the footnotes this paragraph calls (the call
    /// marks are taken out of its lines' text), or for a footnote, its own number.
    pub notes: Vec<String>,
}

impl Para {
    /// The union of its lines' boxes.
    pub fn bbox(&self) -> [f32; 4] {
        union(self.lines.iter().map(|l| l.bbox))
    }

    /// Median size of its lines.
    pub fn size(&self) -> f32 {
        median(self.lines.iter().map(|l| l.size).collect())
    }

    /// All its lines are bold.
    pub fn bold(&self) -> bool {
        self.lines.iter().all(|l| l.bold)
    }

    /// It starts with a bullet or a list label (`•`, `-`, `1°`, `a)`, `(2)`).
    pub fn bullet(&self) -> bool {
        self.lines.first().is_some_and(|l| is_item_start(&l.text))
    }

    /// It is an entry of a table of contents or an index: a line of it ends in a dot leader
    /// and page references.
    pub fn entry(&self) -> bool {
        self.lines.iter().any(|l| leader_start(&l.text).is_some())
    }

    /// The lines joined by single spaces, line-end hyphens left as they are.
    pub fn raw_text(&self) -> String {
        self.lines
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A column region of a page: the rectangle its paragraphs fill.
#[derive(Clone, Debug, PartialEq)]
pub struct Region {
    /// Which column.
    pub side: Side,
    /// `[x0, y0, x1, y1]`, top-left origin.
    pub bbox: [f32; 4],
}

/// One page after layout analysis.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PageText {
    /// 1-based page.
    pub number: u32,
    /// Page width in points.
    pub width: f32,
    /// Page height in points.
    pub height: f32,
    /// The gutter `[x0, x1]` when the page has two columns.
    pub gutter: Option<[f32; 2]>,
    /// All lines, top to bottom (before furniture is taken out).
    pub lines: Vec<Line>,
    /// Characters left out because their font could not be read as text.
    pub undecoded: usize,
}

/// Groups a page's glyphs into lines and finds its gutter.
pub fn page_text(page: &PageGlyphs) -> PageText {
    page_text_with(page, None)
}

/// [`page_text`], with the gutter the file's other pages share: a page too short to show its
/// own (the last lines of a text) takes it when its lines jump that strip rather than cross it.
pub fn page_text_with(page: &PageGlyphs, shared_gutter: Option<[f32; 2]>) -> PageText {
    let clusters = clusters(&page.glyphs);
    let gutter = find_gutter(&clusters, page.width)
        .or_else(|| shared_gutter.filter(|g| lines_jump(&clusters, *g)));
    let mut lines = Vec::new();
    for (side, glyphs) in lines_by_column(&clusters, gutter) {
        if let Some(line) = line_of(&glyphs, side) {
            lines.push(line);
        }
    }
    lines.sort_by(|a, b| {
        a.bbox[1]
            .total_cmp(&b.bbox[1])
            .then(a.bbox[0].total_cmp(&b.bbox[0]))
    });
    PageText {
        number: page.number,
        width: page.width,
        height: page.height,
        gutter,
        lines,
        undecoded: page.undecoded,
    }
}

/// Glyphs on one baseline: sorted by vertical centre, a glyph joins the current line while
/// its centre is within 0.55 of a size of the line's first glyph (superscripts stay on their
/// line); each line sorted left to right.
fn clusters(glyphs: &[Glyph]) -> Vec<Vec<Glyph>> {
    let mut sorted: Vec<&Glyph> = glyphs
        .iter()
        .filter(|g| !g.ch.is_control() && g.bbox[2] >= g.bbox[0] && g.size > 0.0)
        .collect();
    let centre = |g: &Glyph| (g.bbox[1] + g.bbox[3]) / 2.0;
    sorted.sort_by(|a, b| centre(a).total_cmp(&centre(b)));
    let mut out: Vec<Vec<Glyph>> = Vec::new();
    let mut anchor = f32::MIN;
    let mut tolerance: f32 = 0.0;
    for g in sorted {
        let c = centre(g);
        if out.is_empty() || c - anchor > tolerance.max(0.55 * g.size) {
            out.push(Vec::new());
            anchor = c;
            tolerance = 0.0;
        }
        tolerance = tolerance.max(0.55 * g.size.max(1.0));
        out.last_mut().expect("pushed").push(g.clone());
    }
    for line in &mut out {
        line.sort_by(|a, b| a.bbox[0].total_cmp(&b.bbox[0]));
    }
    out
}

/// The gutter of a two-column page: the x (in the middle half of the page) that the most
/// lines jump over with text on both sides, or that separates lines on its left from lines
/// on its right (two columns whose baselines do not line up are read as lines of one side
/// each, when such lines are a fifth of the page's); accepted when at least two lines, and
/// 40 % of the lines that do not cross it, do so. Returns the strip `[x0, x1]` of that jump.
fn find_gutter(clusters: &[Vec<Glyph>], width: f32) -> Option<[f32; 2]> {
    let w = width.max(1.0).ceil() as usize;
    let (lo, hi) = (w / 4, w * 3 / 4);
    let mut both = vec![0usize; w + 1];
    let mut cover = vec![0usize; w + 1];
    let mut left_only = vec![0usize; w + 1];
    let mut right_only = vec![0usize; w + 1];
    let mut counted = 0usize;
    for cluster in clusters {
        let ink: Vec<&Glyph> = cluster.iter().filter(|g| !g.ch.is_whitespace()).collect();
        if ink.len() < 3 {
            continue;
        }
        counted += 1;
        let mut covered = vec![false; w + 1];
        for g in &ink {
            // Widened by 0.28 of a size each side, so that word spaces do not count as gaps.
            let pad = 0.28 * g.size;
            let (a, b) = (
                (g.bbox[0] - pad).max(0.0) as usize,
                ((g.bbox[2] + pad).max(0.0) as usize).min(w),
            );
            for c in covered.iter_mut().take(b + 1).skip(a) {
                *c = true;
            }
        }
        let first = ink[0].bbox[0].max(0.0) as usize;
        let last = (ink[ink.len() - 1].bbox[2].max(0.0) as usize).min(w);
        for x in lo..=hi {
            if covered[x] {
                cover[x] += 1;
            } else if (first..=last).contains(&x) {
                both[x] += 1;
            } else if x > last {
                left_only[x] += 1;
            } else {
                right_only[x] += 1;
            }
        }
    }
    // Lines on one side only are weaker evidence than lines that jump the gutter: a
    // full-width page has short last lines on the left and right-aligned ones (signatures,
    // reference numbers) on the right. They count when they make a fifth of the lines.
    let one_side = |x: usize| {
        let n = left_only[x].min(right_only[x]);
        if n * 5 >= counted {
            n
        } else {
            0
        }
    };
    let separated = |x: usize| both[x] + one_side(x);
    let best = (lo..=hi).max_by_key(|&x| (separated(x), usize::MAX - cover[x]))?;
    let lines_not_crossing = counted.saturating_sub(cover[best]);
    // A short page (the end of a text) may have only a few lines in two columns.
    let few = separated(best) < 2;
    if few || (separated(best) as f32) < 0.4 * lines_not_crossing as f32 {
        return None;
    }
    let good = |x: usize| separated(x) * 10 >= separated(best) * 9 && cover[x] <= cover[best];
    let mut a = best;
    while a > lo && good(a - 1) {
        a -= 1;
    }
    let mut b = best;
    while b < hi && good(b + 1) {
        b += 1;
    }
    Some([a as f32, b as f32 + 1.0])
}

/// Whether the lines that have text on both sides of the strip `[g0, g1]` mostly leave it
/// empty (at least one does, and no fewer than cross it with a glyph).
fn lines_jump(clusters: &[Vec<Glyph>], [g0, g1]: [f32; 2]) -> bool {
    let (mut jump, mut cross) = (0, 0);
    for cluster in clusters {
        let ink: Vec<&Glyph> = cluster.iter().filter(|g| !g.ch.is_whitespace()).collect();
        let both_sides = ink.iter().any(|g| g.bbox[2] <= g0) && ink.iter().any(|g| g.bbox[0] >= g1);
        if ink.len() < 3 || !both_sides {
            continue;
        }
        if ink.iter().any(|g| g.bbox[2] > g0 && g.bbox[0] < g1) {
            cross += 1;
        } else {
            jump += 1;
        }
    }
    jump >= 1 && jump >= cross
}

/// The gutter most two-column pages of a file share (the median strip), when at least two
/// pages have one.
pub fn shared_gutter(pages: &[PageText]) -> Option<[f32; 2]> {
    let gutters: Vec<[f32; 2]> = pages.iter().filter_map(|p| p.gutter).collect();
    (gutters.len() >= 2).then(|| {
        [
            median(gutters.iter().map(|g| g[0]).collect()),
            median(gutters.iter().map(|g| g[1]).collect()),
        ]
    })
}

/// The page's lines with their column: a line that crosses the gutter stays whole; the
/// glyphs of the others are grouped into lines again within each column, since the two
/// columns' baselines need not line up (a superscript in one column may sit nearer a line
/// of the other).
fn lines_by_column(clusters: &[Vec<Glyph>], gutter: Option<[f32; 2]>) -> Vec<(Side, Vec<Glyph>)> {
    let mut out = Vec::new();
    let mut columns: [Vec<Glyph>; 2] = [Vec::new(), Vec::new()];
    let mut splits: Vec<Split> = clusters
        .iter()
        .map(|c| split_at_gutter(c, gutter, false))
        .collect();
    // On a contents page, an entry too long for leaders (`8. La Suisse : le rapport d'un
    // groupe d'experts  109`) still has its page number near the gutter.
    if splits.iter().filter(|s| s.folio).count() >= CONTENTS_LINES {
        for (split, cluster) in splits.iter_mut().zip(clusters) {
            if !split.folio {
                *split = split_at_gutter(cluster, gutter, true);
            }
        }
    }
    for split in splits {
        for (side, glyphs) in split.parts {
            match side {
                Side::Full => out.push((side, glyphs)),
                Side::Left => columns[0].extend(glyphs),
                Side::Right => columns[1].extend(glyphs),
            }
        }
    }
    for (side, glyphs) in [Side::Left, Side::Right].into_iter().zip(columns) {
        out.extend(self::clusters(&glyphs).into_iter().map(|line| (side, line)));
    }
    out
}

/// How many lines of a page must end in leaders and a page number for the page to be read
/// as a table of contents.
const CONTENTS_LINES: usize = 3;

/// A line split at the gutter: its parts, and whether a page number after the gutter was its
/// left part's ([`leader_folio`]).
struct Split {
    parts: Vec<(Side, Vec<Glyph>)>,
    folio: bool,
}

/// Splits a line at the gutter, unless it crosses it (a glyph over the middle of the gutter,
/// or only a word space there). A page number after the gutter that belongs to the left part
/// goes back to it when the left part ends in leaders (the reader takes both off together);
/// on a `contents` page, the page number of a left entry without leaders is left out, as
/// the reader leaves out those after leaders, instead of opening the right entry.
fn split_at_gutter(cluster: &[Glyph], gutter: Option<[f32; 2]>, contents: bool) -> Split {
    let whole = || Split {
        parts: vec![(Side::Full, cluster.to_vec())],
        folio: false,
    };
    let Some([g0, g1]) = gutter else {
        return whole();
    };
    let mid = (g0 + g1) / 2.0;
    let ink = || cluster.iter().filter(|g| !g.ch.is_whitespace());
    let left_end = ink()
        .filter(|g| g.bbox[0] + g.bbox[2] < 2.0 * mid)
        .map(|g| g.bbox[2])
        .fold(f32::MIN, f32::max);
    let right_start = ink()
        .filter(|g| g.bbox[0] + g.bbox[2] >= 2.0 * mid)
        .map(|g| g.bbox[0])
        .fold(f32::MAX, f32::min);
    let size = median(ink().map(|g| g.size).collect()).max(1.0);
    let crosses = ink().any(|g| g.bbox[0] < mid - 0.5 && g.bbox[2] > mid + 0.5);
    let narrow = left_end > f32::MIN
        && right_start < f32::MAX
        && right_start - left_end < (0.45 * size).max(0.5 * (g1 - g0));
    if crosses || narrow {
        return whole();
    }
    let (mut left, mut right): (Vec<Glyph>, Vec<Glyph>) = cluster
        .iter()
        .cloned()
        .partition(|g| g.bbox[0] + g.bbox[2] < 2.0 * mid);
    let leaders = ends_in_leaders(&left);
    let folio = if leaders || (contents && left.iter().any(|g| !g.ch.is_whitespace())) {
        leader_folio(&right, size)
    } else {
        0
    };
    // Without leaders to be taken off with it, the number is left out.
    let number: Vec<Glyph> = right.drain(..folio).collect();
    if leaders {
        left.extend(number);
    }
    let parts = [(Side::Left, left), (Side::Right, right)]
        .into_iter()
        .filter(|(_, g)| g.iter().any(|g| !g.ch.is_whitespace()))
        .collect();
    Split {
        parts,
        folio: folio > 0,
    }
}

/// Whether a line's left part ends in leader dots, as [`leader_start`] reads them, with no
/// page number after them yet.
fn ends_in_leaders(left: &[Glyph]) -> bool {
    let text: String = left.iter().map(|g| g.ch).collect();
    leader_start(&text).is_some_and(|start| {
        text[start..]
            .chars()
            .all(|c| matches!(c, '.' | '…') || c.is_whitespace())
    })
}

/// How many glyphs at the start of a line's right part are the page number of its left part,
/// a table-of-contents entry (`INTRODUCTION ..... 5` beside `INLEIDING ..... 5`): digits
/// right after the gutter, alone or followed by a gap of more than a size. A page of such
/// entries has two white strips, after the leaders and after their numbers, and its gutter
/// may be found in the first. 0 for any other line.
fn leader_folio(right: &[Glyph], size: f32) -> usize {
    // The number's digits, set close together: a digit further away starts something else
    // (the right column's own entry, `285 1. Sekte ...`).
    let mut digits = 0;
    let mut end: Option<f32> = None;
    for (k, g) in right.iter().enumerate() {
        if g.ch.is_whitespace() {
            continue;
        }
        let close = end.is_none_or(|e| g.bbox[0] - e < 0.3 * size);
        if !g.ch.is_ascii_digit() || !close {
            break;
        }
        digits = k + 1;
        end = Some(g.bbox[2]);
    }
    let Some(end) = end else {
        return 0;
    };
    let apart = right[digits..]
        .iter()
        .find(|g| !g.ch.is_whitespace())
        .is_none_or(|g| g.bbox[0] - end > size);
    if apart {
        digits
    } else {
        0
    }
}

/// The text and geometry of glyphs on one line: a space where the PDF has one or where the
/// gap between two glyphs is over 0.15 of a size.
fn line_of(glyphs: &[Glyph], side: Side) -> Option<Line> {
    let ink: Vec<&Glyph> = glyphs.iter().filter(|g| !g.ch.is_whitespace()).collect();
    if ink.is_empty() {
        return None;
    }
    let size = median(ink.iter().map(|g| g.size).collect());
    let base = median(
        ink.iter()
            .filter(|g| g.size >= 0.9 * size)
            .map(|g| g.bbox[3])
            .collect(),
    );
    let mut text = String::new();
    let mut calls: Vec<std::ops::Range<usize>> = Vec::new();
    let mut last_x1 = f32::MIN;
    let mut pending_space = false;
    let mut first_word_end: Option<f32> = None;
    for g in glyphs {
        if g.ch.is_whitespace() || g.ch == '\u{a0}' {
            pending_space = !text.is_empty();
            continue;
        }
        let gap = g.bbox[0] - last_x1;
        let spaced = pending_space || gap > 0.15 * size.min(g.size.max(size * 0.5));
        if !text.is_empty() && spaced {
            if first_word_end.is_none() {
                first_word_end = Some(last_x1);
            }
            text.push(' ');
        }
        let raised =
            g.ch.is_ascii_digit() && g.size <= 0.85 * size && g.bbox[3] < base - 0.2 * size;
        match calls.last_mut() {
            Some(call) if raised && !spaced && call.end == text.len() => call.end += 1,
            _ if raised && !spaced && text.ends_with(is_call_host) => {
                calls.push(text.len()..text.len() + 1)
            }
            _ => {}
        }
        pending_space = false;
        text.push(g.ch);
        last_x1 = last_x1.max(g.bbox[2]);
    }
    // Weight by the letters; a line of digits and signs (`2023)`) by all its glyphs.
    let mut letters: Vec<&&Glyph> = ink.iter().filter(|g| g.ch.is_alphabetic()).collect();
    if letters.is_empty() {
        letters = ink.iter().collect();
    }
    let bold =
        !letters.is_empty() && letters.iter().filter(|g| g.bold).count() * 5 >= letters.len() * 4;
    let bbox = union(ink.iter().map(|g| g.bbox));
    Some(Line {
        text,
        bbox,
        size,
        bold,
        first_word: first_word_end.unwrap_or(bbox[2]) - bbox[0],
        side,
        calls,
    })
}

/// What a footnote call can follow: a letter, or the punctuation that ends a word or
/// clause (`Agreement¹`, `1998),²`).
fn is_call_host(c: char) -> bool {
    c.is_alphabetic()
        || matches!(
            c,
            ')' | '.' | ',' | ';' | ':' | '’' | '\'' | '"' | '”' | '»'
        )
}

/// The column regions of a page in reading order and the paragraphs of each: lines that
/// cross the gutter cut the page into bands; in each band the left column comes first.
pub fn paragraphs(page: &PageText, lines: &[Line]) -> (Vec<Region>, Vec<Para>) {
    let mut regions: Vec<(Side, Vec<Line>)> = Vec::new();
    let mut band: [Vec<Line>; 2] = [Vec::new(), Vec::new()];
    let flush = |band: &mut [Vec<Line>; 2], regions: &mut Vec<(Side, Vec<Line>)>| {
        for (side, lines) in [Side::Left, Side::Right].into_iter().zip(band.iter_mut()) {
            if !lines.is_empty() {
                regions.push((side, std::mem::take(lines)));
            }
        }
    };
    for line in lines {
        match line.side {
            Side::Full => {
                flush(&mut band, &mut regions);
                match regions.last_mut() {
                    Some((Side::Full, last)) => last.push(line.clone()),
                    _ => regions.push((Side::Full, vec![line.clone()])),
                }
            }
            Side::Left => band[0].push(line.clone()),
            Side::Right => band[1].push(line.clone()),
        }
    }
    flush(&mut band, &mut regions);
    let mut out_regions = Vec::new();
    let mut paras = Vec::new();
    for (index, (side, lines)) in regions.into_iter().enumerate() {
        out_regions.push(Region {
            side,
            bbox: union(lines.iter().map(|l| l.bbox)),
        });
        for group in split_paragraphs(&lines) {
            paras.push(Para {
                page: page.number,
                region: index,
                side,
                lines: group,
                footnote: false,
                notes: Vec::new(),
            });
        }
    }
    (out_regions, paras)
}

/// Cuts the lines of one column into paragraphs.
fn split_paragraphs(lines: &[Line]) -> Vec<Vec<Line>> {
    if lines.is_empty() {
        return Vec::new();
    }
    let geometry = Geometry::of(lines);
    let mut out: Vec<Vec<Line>> = vec![vec![lines[0].clone()]];
    for i in 1..lines.len() {
        let first = &out.last().expect("pushed")[0];
        if starts_paragraph(lines, i, first, &geometry) {
            out.push(Vec::new());
        }
        out.last_mut().expect("pushed").push(lines[i].clone());
    }
    out
}

/// What a column's lines have in common: its left and right edges and its line pitch.
struct Geometry {
    left: f32,
    right: f32,
    /// The usual baseline-to-baseline step, per point of type size (about 1.15-1.2).
    leading: f32,
    /// The usual baseline-to-baseline step, in points.
    pitch: f32,
}

impl Geometry {
    fn of(lines: &[Line]) -> Geometry {
        let leadings: Vec<f32> = lines
            .windows(2)
            .map(|w| (w[1].bbox[3] - w[0].bbox[3]) / w[0].size.max(w[1].size).max(1.0))
            .filter(|d| *d > 0.0)
            .collect();
        let pitches: Vec<f32> = lines
            .windows(2)
            .map(|w| w[1].bbox[3] - w[0].bbox[3])
            .filter(|d| *d > 0.0)
            .collect();
        Geometry {
            pitch: if pitches.is_empty() {
                lines[0].size * 1.2
            } else {
                median(pitches)
            },
            left: percentile(lines.iter().map(|l| l.bbox[0]).collect(), 0.1),
            right: percentile(lines.iter().map(|l| l.bbox[2]).collect(), 0.9),
            leading: if leadings.is_empty() {
                1.2
            } else {
                median(leadings)
            },
        }
    }
}

/// Whether line `i` starts a new paragraph; `first` is the first line of the paragraph it
/// would continue.
fn starts_paragraph(lines: &[Line], i: usize, first: &Line, g: &Geometry) -> bool {
    let (prev, line) = (&lines[i - 1], &lines[i]);
    let size = line.size.max(prev.size).max(1.0);
    let step = line.bbox[3] - prev.bbox[3];
    // Spaced: a step well over the column's usual one, or over the step this type size
    // takes at the column's leading (large title lines step more than body lines).
    let spaced = step > (g.pitch * 1.3 + 0.5).max(size * g.leading * 1.15) || step > 2.2 * size;
    let restyled = (line.size - prev.size).abs() > 0.12 * size || line.bold != prev.bold;
    let hanging = is_item_start(&first.text) && line.bbox[0] > first.bbox[0] + 0.3 * size;
    let centred = is_centred_pair(prev, line, g);
    let indented = !hanging
        && !centred
        && line.bbox[0] > g.left + 0.8 * size
        && line.bbox[0] > prev.bbox[0] + 0.8 * size;
    let back_left = lines
        .get(i + 1)
        .is_none_or(|next| next.bbox[0] < line.bbox[0] - 0.5 * size);
    let prev_short = prev.bbox[2] + line.first_word + 0.3 * size < g.right - 0.3 * size;
    let prev_ends = super::super::weave::ends_sentence(&prev.text);
    // In a title set in capitals every line starts with one, which says nothing.
    let in_capitals = is_in_capitals(&prev.text) && is_in_capitals(&line.text);
    let starts_upper = !in_capitals
        && line
            .text
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || c == '«' || c == '"');
    let after_leader = leader_start(&prev.text).is_some() && !is_page_refs(&line.text);
    // An entry of a table of contents wrapped under a hanging indent: its leader is on the
    // indented line.
    let wrapped_entry = leader_start(&prev.text).is_none()
        && leader_start(&line.text).is_some()
        && line.bbox[0] > prev.bbox[0] + 0.3 * size;
    if wrapped_entry && !spaced && !restyled {
        return false;
    }
    // A line ending in a comma leaves its clause open (`ALBERT II, Roi des Belges,` over
    // `A tous, présents et à venir, Salut.`): only spacing, style or a label cuts there.
    let open_clause = prev.text.trim_end().ends_with(',');
    spaced
        || restyled
        || after_leader
        || is_item_start(&line.text)
        || starts_with_note_number(&line.text)
        || (!open_clause && indented && (back_left || prev_short))
        || (!open_clause
            && prev_short
            && !centred
            && (prev_ends || starts_upper)
            && !is_item_label_only(&prev.text))
}

/// Whether a line is set in capitals like a title: no lower-case letter, at least eight
/// letters (so that `N. 98 — 3121 [C − 98/09893]` is none) and no number after its first
/// word (a list of names and addresses in capitals, `PEETERS STEPHANE ... 1200 WOLUWE`, is
/// one entry per line).
fn is_in_capitals(text: &str) -> bool {
    let letters = text.chars().filter(|c| c.is_alphabetic());
    let after_first_word = text
        .trim_start()
        .split_once(' ')
        .map_or("", |(_, rest)| rest);
    letters.clone().count() >= 8
        && !letters.clone().any(char::is_lowercase)
        && !after_first_word.chars().any(|c| c.is_ascii_digit())
}

/// Two lines each centred in the column (as far from its left edge as from its right) and
/// not both full: the lines of one centred title, whose shortness says nothing about where
/// it ends (an indented full line under a centred heading is not one).
fn is_centred_pair(a: &Line, b: &Line, g: &Geometry) -> bool {
    let centre = |l: &Line| (l.bbox[0] + l.bbox[2]) / 2.0;
    let size = a.size.max(b.size).max(1.0);
    let centred = |l: &Line| ((l.bbox[0] - g.left) - (g.right - l.bbox[2])).abs() < 0.6 * size;
    (centre(a) - centre(b)).abs() < 0.6 * size
        && centred(a)
        && centred(b)
        && (a.bbox[0] - b.bbox[0]).abs() > 0.3 * size
}

/// Where a table-of-contents or index line's dot leader begins (`Finance ....... 12`,
/// `Notices . . . . . 3528, 3543`): the byte offset of a run of at least four leader dots
/// followed by nothing but page references. `None` for any other line.
pub fn leader_start(text: &str) -> Option<usize> {
    let text = text.trim_end();
    let refs_start = text
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit() || matches!(c, ',' | ' ' | '-' | '–'))
        .last()
        .map_or(text.len(), |(i, _)| i);
    let before = &text[..refs_start];
    let mut dots = 0;
    let mut start = before.len();
    for (i, c) in before.char_indices().rev() {
        match c {
            '.' => dots += 1,
            '…' => dots += 3,
            ' ' | '\u{a0}' => {}
            _ => break,
        }
        start = i;
    }
    (dots >= 4).then_some(start)
}

/// A line holding only page references (`3528, 3543, 3639`), the wrapped end of a leader
/// line.
pub fn is_page_refs(text: &str) -> bool {
    let text = text.trim();
    text.chars().any(|c| c.is_ascii_digit())
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ',' | ' ' | '-' | '–'))
}

/// `•`, `-`, `–`, `▪`, `1°`, `a)`, `(2)`, `1)` followed by a space.
pub fn is_item_start(text: &str) -> bool {
    let first = text.split_whitespace().next().unwrap_or("");
    if text.len() == first.len() {
        return false;
    }
    matches!(first, "•" | "-" | "–" | "▪" | "·" | "◦" | "‣" | "*" | "—") || is_list_label(first)
}

fn is_list_label(word: &str) -> bool {
    let inner = word.trim_start_matches('(');
    let body = inner.trim_end_matches([')', '°']);
    let closed = inner.ends_with(')') || inner.ends_with('°');
    closed
        && !body.is_empty()
        && body.len() <= 3
        && (body.chars().all(|c| c.is_ascii_digit())
            || body.chars().all(|c| c.is_ascii_lowercase()))
}

/// A footnote's first line: its number set against the first word (`1Agreement`, `12Voir`).
pub fn starts_with_note_number(text: &str) -> bool {
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    let mut rest = text.chars().skip(digits);
    (1..=3).contains(&digits)
        && rest.next().is_some_and(char::is_uppercase)
        && rest.next().is_some_and(char::is_lowercase)
}

/// A line that is only a list label (the text follows on the next line).
fn is_item_label_only(text: &str) -> bool {
    is_list_label(text.trim())
}

/// The smallest box holding all `boxes`.
pub fn union(boxes: impl Iterator<Item = [f32; 4]>) -> [f32; 4] {
    boxes
        .reduce(|a, b| {
            [
                a[0].min(b[0]),
                a[1].min(b[1]),
                a[2].max(b[2]),
                a[3].max(b[3]),
            ]
        })
        .unwrap_or([0.0; 4])
}

/// The median (0 for none).
pub fn median(values: Vec<f32>) -> f32 {
    percentile(values, 0.5)
}

fn percentile(mut values: Vec<f32>, q: f32) -> f32 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f32::total_cmp);
    let i = ((values.len() - 1) as f32 * q).round() as usize;
    values[i.min(values.len() - 1)]
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Glyphs for `text` set from `(x, y)` (top of the line) in 10-point type, 5 points a
    /// character.
    pub fn set(text: &str, x: f32, y: f32, out: &mut Vec<Glyph>) {
        for (i, ch) in text.chars().enumerate() {
            let x0 = x + 5.0 * i as f32;
            out.push(Glyph {
                ch,
                bbox: [x0, y, x0 + 5.0, y + 10.0],
                size: 10.0,
                bold: false,
            });
        }
    }

    fn page(glyphs: Vec<Glyph>) -> PageGlyphs {
        PageGlyphs {
            number: 1,
            width: 600.0,
            height: 800.0,
            glyphs,
            undecoded: 0,
        }
    }

    #[test]
    fn two_columns_are_split_at_the_gutter_and_read_left_first() {
        let mut g = Vec::new();
        set(
            "A TITLE THAT RUNS OVER THE WHOLE WIDTH OF THE PAGE AND MORE TEXT",
            50.0,
            40.0,
            &mut g,
        );
        for row in 0..8 {
            let y = 80.0 + 12.0 * row as f32;
            set("links een regel tekst van de kolom", 50.0, y, &mut g);
            set("droite une ligne de texte en colonne", 320.0, y, &mut g);
        }
        let text = page_text(&page(g));
        let gutter = text.gutter.expect("a gutter");
        assert!(gutter[0] >= 220.0 && gutter[1] <= 320.0, "{gutter:?}");
        let (regions, paras) = paragraphs(&text, &text.lines);
        let sides: Vec<Side> = regions.iter().map(|r| r.side).collect();
        assert_eq!(
            sides,
            [Side::Full, Side::Left, Side::Right],
            "{gutter:?} {:?}",
            text.lines[0]
        );
        assert!(paras[1].raw_text().starts_with("links een regel"));
        assert_eq!(paras[1].lines.len(), 8);
    }

    #[test]
    fn a_contents_entrys_page_number_stays_with_its_leaders() {
        // The leaders end well before the page number, which stands near the gutter: the
        // page has two white strips, and its gutter may be found in the first.
        let text_of = |glyphs: &[Glyph]| -> String { glyphs.iter().map(|g| g.ch).collect() };
        let split = |left: &str, number: &str, right: &str| {
            let mut g = Vec::new();
            set(left, 40.0, 80.0, &mut g);
            set(number, 280.0 - 5.0 * number.len() as f32, 80.0, &mut g);
            set(right, 296.0, 80.0, &mut g);
            split_at_gutter(&g, Some([245.0, 262.0]), false)
                .parts
                .into_iter()
                .map(|(side, glyphs)| (side, text_of(&glyphs)))
                .collect::<Vec<_>>()
        };
        let leaders = "INTRODUCTION ......................";
        assert_eq!(
            split(leaders, "114", "INLEIDING ...... 114"),
            [
                (Side::Left, format!("{leaders}114")),
                (Side::Right, "INLEIDING ...... 114".to_string())
            ]
        );
        assert_eq!(
            split(leaders, "5", "")[0],
            (Side::Left, format!("{leaders}5"))
        );
        // The right column's entry opening with its own number (`1. Sekte`) is no part of it.
        assert_eq!(
            split(leaders, "285", "1. Sekte ...... 285"),
            [
                (Side::Left, format!("{leaders}285")),
                (Side::Right, "1. Sekte ...... 285".to_string())
            ]
        );
        // Without leaders on the left, a number after the gutter opens the right column.
        let text = "een gewone regel tekst in de kolom";
        assert_eq!(
            split(text, "5", "INLEIDING")[1],
            (Side::Right, "5INLEIDING".into())
        );
    }

    #[test]
    fn on_a_contents_page_an_entry_without_leaders_keeps_its_page_number() {
        let read = |leader_lines: usize| -> Vec<(Side, String)> {
            let mut g = Vec::new();
            for row in 0..leader_lines {
                let y = 80.0 + 12.0 * row as f32;
                set("ENTRY ......................", 40.0, y, &mut g);
                set("12", 270.0, y, &mut g);
                set("ITEM ...... 12", 296.0, y, &mut g);
            }
            let y = 80.0 + 12.0 * leader_lines as f32;
            set("Een lange titel zonder leiders", 40.0, y, &mut g);
            set("14", 270.0, y, &mut g);
            set("1. Lange titel", 296.0, y, &mut g);
            lines_by_column(&clusters(&g), Some([245.0, 262.0]))
                .into_iter()
                .map(|(side, glyphs)| (side, glyphs.iter().map(|g| g.ch).collect()))
                .collect()
        };
        // Its number is left out, as the reader leaves out those after leaders.
        let contents = read(3);
        assert!(contents.contains(&(Side::Left, "Een lange titel zonder leiders".into())));
        assert!(contents.contains(&(Side::Right, "1. Lange titel".into())));
        assert!(contents.contains(&(Side::Left, "ENTRY ......................12".into())));
        // Two lines with leaders do not make a contents page: the number stays on the right.
        let body = read(2);
        assert!(
            body.contains(&(Side::Right, "141. Lange titel".into())),
            "{body:?}"
        );
    }

    #[test]
    fn one_column_has_no_gutter() {
        let mut g = Vec::new();
        for row in 0..10 {
            let words = [
                "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht",
            ];
            let line: Vec<&str> = words.iter().cycle().skip(row).take(12).copied().collect();
            set(&line.join(" "), 50.0, 80.0 + 12.0 * row as f32, &mut g);
        }
        assert_eq!(page_text(&page(g)).gutter, None);
    }

    /// A full-width notice: paragraphs whose last lines are short, and right-aligned lines
    /// (a reference number, a signature) that leave the middle of their line empty.
    #[test]
    fn short_last_lines_and_right_aligned_signatures_make_no_gutter() {
        let mut g = Vec::new();
        let full = "een volle regel die over de hele breedte van de bladzijde loopt, van links tot rechts, en verder";
        let mut y = 80.0;
        for _ in 0..4 {
            set("[C - 2025/004233]", 430.0, y, &mut g);
            y += 12.0;
            for _ in 0..2 {
                for _ in 0..6 {
                    set(full, 50.0, y, &mut g);
                    y += 12.0;
                }
                set("een korte laatste regel.", 50.0, y, &mut g);
                y += 12.0;
            }
            set("De griffier,", 460.0, y, &mut g);
            set("Nicolas Dupont", 450.0, y + 12.0, &mut g);
            y += 30.0;
        }
        assert_eq!(page_text(&page(g)).gutter, None);
    }

    #[test]
    fn spacing_short_lines_and_items_start_paragraphs() {
        let mut g = Vec::new();
        set(
            "De eerste alinea loopt over twee regels en",
            50.0,
            80.0,
            &mut g,
        );
        set("eindigt hier.", 50.0, 92.0, &mut g);
        set(
            "Een tweede alinea begint na een korte regel",
            50.0,
            104.0,
            &mut g,
        );
        set("en gaat door.", 50.0, 116.0, &mut g);
        set("- een punt van een lijst", 50.0, 128.0, &mut g);
        set(
            "Na een witregel komt nog een alinea tekst",
            50.0,
            160.0,
            &mut g,
        );
        let text = page_text(&page(g));
        let (_, paras) = paragraphs(&text, &text.lines);
        let texts: Vec<String> = paras.iter().map(Para::raw_text).collect();
        assert_eq!(texts.len(), 4, "{texts:?}");
        assert!(paras[2].bullet());
    }

    #[test]
    fn a_title_in_capitals_runs_over_its_short_lines() {
        let mut g = Vec::new();
        let full = "Een gewone regel tekst die de kolom tot het einde vult en";
        for row in 0..4 {
            set(full, 50.0, 44.0 + 12.0 * row as f32, &mut g);
        }
        set("zo verder.", 50.0, 92.0, &mut g);
        set(
            "DEEL DRIE : AMBTELIJKE OPDRACHT IN VERBAND",
            50.0,
            104.0,
            &mut g,
        );
        set("MET DE ORDE VAN DE ZONNETEMPEL.", 50.0, 116.0, &mut g);
        set(
            "DEEL VIER : VERSLAG VAN DE HEER TROUSSE OVER",
            50.0,
            128.0,
            &mut g,
        );
        set("HET GERECHTELIJKE DOSSIER.", 50.0, 140.0, &mut g);
        set("MINISTERIE VAN JUSTITIE", 50.0, 164.0, &mut g);
        set("N. 98 — 3121 [C − 98/09893]", 50.0, 176.0, &mut g);
        set(
            "KISLATI YETER SCHOONAERDE 91 3290 DIEST",
            50.0,
            200.0,
            &mut g,
        );
        set(
            "PEETERS STEPHANE LOUIS 179 1200 WOLUWE",
            50.0,
            212.0,
            &mut g,
        );
        let text = page_text(&page(g));
        let (_, paras) = paragraphs(&text, &text.lines);
        let texts: Vec<String> = paras.iter().map(Para::raw_text).collect();
        assert_eq!(
            texts[1..],
            [
                "DEEL DRIE : AMBTELIJKE OPDRACHT IN VERBAND MET DE ORDE VAN DE ZONNETEMPEL.",
                "DEEL VIER : VERSLAG VAN DE HEER TROUSSE OVER HET GERECHTELIJKE DOSSIER.",
                "MINISTERIE VAN JUSTITIE",
                "N. 98 — 3121 [C − 98/09893]",
                "KISLATI YETER SCHOONAERDE 91 3290 DIEST",
                "PEETERS STEPHANE LOUIS 179 1200 WOLUWE",
            ]
        );
    }

    #[test]
    fn superscripts_stay_on_their_line() {
        let mut g = Vec::new();
        set("le 1", 50.0, 80.0, &mut g);
        g.push(Glyph {
            ch: 'e',
            bbox: [70.0, 77.0, 73.0, 83.0],
            size: 6.0,
            bold: false,
        });
        set(" mai", 73.0, 80.0, &mut g);
        let text = page_text(&page(g));
        assert_eq!(text.lines.len(), 1);
        assert_eq!(text.lines[0].text, "le 1e mai");
    }

    #[test]
    fn a_short_line_ending_in_a_comma_keeps_its_clause_open() {
        let mut g = Vec::new();
        set(
            "Une longue ligne de texte pour donner sa largeur",
            50.0,
            80.0,
            &mut g,
        );
        set("à la colonne entière.", 50.0, 92.0, &mut g);
        set("ALBERT II, Roi des Belges,", 90.0, 104.0, &mut g);
        set("A tous, présents et à venir, Salut.", 70.0, 116.0, &mut g);
        set("Les Chambres ont adopté ce qui suit.", 50.0, 128.0, &mut g);
        let text = page_text(&page(g));
        let (_, paras) = paragraphs(&text, &text.lines);
        let texts: Vec<String> = paras.iter().map(Para::raw_text).collect();
        assert_eq!(
            texts[1], "ALBERT II, Roi des Belges, A tous, présents et à venir, Salut.",
            "{texts:?}"
        );
    }

    #[test]
    fn leaders_and_their_page_references_are_found() {
        let line = "Canada Revenue Agency.......................... 1";
        assert_eq!(leader_start(line), Some("Canada Revenue Agency".len()));
        let spaced = "Notices . . . . . . 3528, 3543";
        assert_eq!(leader_start(spaced), Some("Notices".len()));
        assert_eq!(
            leader_start("Decisions 2011-593.................."),
            Some(18)
        );
        assert_eq!(leader_start("He waited... 3 days."), None);
        assert_eq!(leader_start("Art. 3. Dit is een zin."), None);
        assert!(is_page_refs(" 3528, 3543, 3639, 3713"));
        assert!(!is_page_refs("Commission"));
    }

    #[test]
    fn list_labels_are_items() {
        assert!(is_item_start("1° de wet"));
        assert!(is_item_start("a) la loi"));
        assert!(is_item_start("• point"));
        assert!(!is_item_start("Art. 7. Artikel"));
        assert!(!is_item_start("-"));
    }
}
