//! Page furniture: running heads, running feet and folios are taken out of the text (and
//! kept, for `layout.html`); footnotes are marked so that they become blocks of their own.
//!
//! A line is furniture when it sits among the first or last lines of its page, in the top
//! or bottom tenth, and either holds no letters at all (a folio such as `149` or `- 3 -`) or
//! its letters recur at about the same height on other pages (digits are ignored, so
//! `37824 BELGISCH STAATSBLAD` and `BELGISCH STAATSBLAD 37825` are the same head; a line of
//! numbers that is no folio recurs whole: `- 313 / 7 - 95 / 96`). A
//! paragraph that is only a rule drawn with text (`______`) is taken out too.

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;

use super::layout::{Line, PageText, Para};

/// How far from the page's edge furniture may sit, as a share of its height.
const MARGIN_SHARE: f32 = 0.1;
/// How many lines from the top or the bottom are looked at.
const EDGE_LINES: usize = 3;

/// A line taken out as furniture.
#[derive(Clone, Debug, PartialEq)]
pub struct Removed {
    /// 1-based page.
    pub page: u32,
    /// The line.
    pub line: Line,
}

/// Splits each page's lines into the text and the furniture.
pub fn remove(pages: &[PageText]) -> (Vec<Vec<Line>>, Vec<Removed>) {
    let keys: Vec<Vec<Option<(bool, String)>>> = pages.iter().map(edge_keys).collect();
    let mut seen: HashMap<(bool, &str), Vec<(usize, f32)>> = HashMap::new();
    for (p, page_keys) in keys.iter().enumerate() {
        for (i, key) in page_keys.iter().enumerate() {
            if let Some((top, k)) = key {
                if !k.is_empty() {
                    seen.entry((*top, k.as_str()))
                        .or_default()
                        .push((p, pages[p].lines[i].bbox[1]));
                }
            }
        }
    }
    let needed = ((pages.len() as f32 * 0.25).ceil() as usize).max(2);
    let folios = numbering_offsets(pages, &keys);
    let mut kept = Vec::with_capacity(pages.len());
    let mut removed = Vec::new();
    for (p, page) in pages.iter().enumerate() {
        let mut lines = Vec::new();
        for (i, line) in page.lines.iter().enumerate() {
            let furniture = match &keys[p][i] {
                None => false,
                Some((_, k)) if k.is_empty() => {
                    folio_offset(p, &line.text).is_some_and(|o| folios.contains(&o))
                }
                Some((top, k)) => {
                    let y = line.bbox[1];
                    let others = seen[&(*top, k.as_str())]
                        .iter()
                        .filter(|(q, y2)| *q != p && (y - y2).abs() < 20.0)
                        .map(|(q, _)| *q)
                        .collect::<std::collections::BTreeSet<_>>();
                    let letterless = !k.chars().all(char::is_alphabetic);
                    let needed = if letterless {
                        needed.min(EXACT_PAGES)
                    } else {
                        needed
                    };
                    others.len() + 1 >= needed
                }
            };
            if furniture {
                removed.push(Removed {
                    page: page.number,
                    line: line.clone(),
                });
            } else {
                lines.push(line.clone());
            }
        }
        kept.push(lines);
    }
    (kept, removed)
}

/// For each line of a page: `Some((at_top, letters))` when it may be furniture.
fn edge_keys(page: &PageText) -> Vec<Option<(bool, String)>> {
    let n = page.lines.len();
    let mut rows: Vec<f32> = page.lines.iter().map(|l| l.bbox[1]).collect();
    rows.dedup_by(|a, b| (*a - *b).abs() < 2.0);
    let top_rows: Vec<f32> = rows.iter().take(EDGE_LINES).copied().collect();
    let bottom_rows: Vec<f32> = rows.iter().rev().take(EDGE_LINES).copied().collect();
    let near = |rows: &[f32], y: f32| rows.iter().any(|r| (r - y).abs() < 2.0);
    (0..n)
        .map(|i| {
            let line = &page.lines[i];
            let top = line.bbox[1] < page.height * MARGIN_SHARE && near(&top_rows, line.bbox[1]);
            let bottom = line.bbox[3] > page.height * (1.0 - MARGIN_SHARE)
                && near(&bottom_rows, line.bbox[1]);
            (top || bottom).then(|| (top, recurrence_key(&line.text)))
        })
        .collect()
}

/// What must recur on other pages for an edge line to be furniture: its letters, lower-cased
/// (digits ignored); for a line without letters that is not a page number alone, its whole
/// text but a bracketed folio (`- 313 / 7 - 95 / 96 [2]`, a parliamentary document's number
/// heading each of its pages), which [`EXACT_PAGES`] pages must share; empty for a page
/// number, which the numbering decides.
fn recurrence_key(text: &str) -> String {
    let letters = letters_of(text);
    if !letters.is_empty() || is_folio(text) {
        return letters;
    }
    let whole: String = text.split_whitespace().collect();
    without_bracketed_numbers(&whole)
}

/// Text with its bracketed numbers (`[2]`, `(14)`) taken out: a folio set beside a running
/// head on the same line.
fn without_bracketed_numbers(text: &str) -> String {
    static BRACKETED: OnceLock<Regex> = OnceLock::new();
    BRACKETED
        .get_or_init(|| Regex::new(r"\[\d+\]|\(\d+\)").expect("bracketed number pattern"))
        .replace_all(text, "")
        .into_owned()
}

/// How many pages must share a line of numbers (no letters, no folio) at the same height
/// for it to be furniture, when fewer than a quarter of the pages would do: such a line is
/// the same on the pages of one document of a compilation (the last one may have only
/// two), and a notice's number (`2025/123733`), which starts a column now and then, never
/// recurs. A table's header row of years repeated at the top of its next page goes too.
const EXACT_PAGES: usize = 2;

fn letters_of(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The page numbering of a file, as offsets between printed folio and page index: an
/// offset that the number-only edge lines of at least two pages share (any, for a file of
/// one page). A number alone at a column's edge whose offset no other page shares is text
/// (`14.` ending a sentence cut at a page break).
fn numbering_offsets(pages: &[PageText], keys: &[Vec<Option<(bool, String)>>]) -> Vec<i64> {
    let mut count: HashMap<i64, std::collections::BTreeSet<usize>> = HashMap::new();
    for (p, page) in pages.iter().enumerate() {
        for (line, key) in page.lines.iter().zip(&keys[p]) {
            if let (Some((_, k)), Some(offset)) = (key, folio_offset(p, &line.text)) {
                if k.is_empty() {
                    count.entry(offset).or_default().insert(p);
                }
            }
        }
    }
    count
        .into_iter()
        .filter(|(_, pages_with)| pages_with.len() >= 2 || pages.len() == 1)
        .map(|(offset, _)| offset)
        .collect()
}

/// For a page-number line on page index `p`: its number less the page's 1-based index.
fn folio_offset(p: usize, text: &str) -> Option<i64> {
    if !is_folio(text) {
        return None;
    }
    let digits: String = text
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse::<i64>().ok().map(|n| n - (p as i64 + 1))
}

/// A page number alone: digits with at most dashes, dots and brackets around them.
fn is_folio(text: &str) -> bool {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    (1..=6).contains(&digits)
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_whitespace() || "-–—.()[]/|".contains(c))
}

/// Characters a rule drawn with text is made of.
const RULE_SIGNS: &str = "_-‐–—―=";

/// Whether a paragraph's text is a rule drawn with text (`______`, `———`): at least three
/// rule signs and nothing else but spaces.
fn is_rule(text: &str) -> bool {
    let signs: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    signs.len() >= 3 && signs.iter().all(|c| RULE_SIGNS.contains(*c))
}

/// Takes the paragraphs that are rules drawn with text out of `paras` (a scanned page's OCR
/// layer turns the rule under each heading into `______`) and adds their lines to
/// `removed`, so that `layout.html` still shows them. Done after the columns and bands are
/// found, which a full-width rule may help cut.
pub fn take_out_rules(paras: &mut Vec<Para>, removed: &mut Vec<Removed>) {
    paras.retain(|para| {
        let rule = is_rule(&para.raw_text());
        if rule {
            removed.extend(para.lines.iter().map(|line| Removed {
                page: para.page,
                line: line.clone(),
            }));
        }
        !rule
    });
}

/// Marks footnotes: at the foot of a column region, the paragraphs below the last one in the
/// page's body size, set at most 0.9 of that size.
pub fn mark_footnotes(paras: &mut [Para]) {
    let body = body_size(paras);
    if body <= 0.0 {
        return;
    }
    let mut by_region: HashMap<(u32, usize), Vec<usize>> = HashMap::new();
    for (i, p) in paras.iter().enumerate() {
        by_region.entry((p.page, p.region)).or_default().push(i);
    }
    for indices in by_region.values() {
        let tail: Vec<usize> = indices
            .iter()
            .rev()
            .take_while(|&&i| paras[i].size() <= 0.9 * body)
            .copied()
            .collect();
        let whole_region_below = tail.len() == indices.len() && below_the_body(paras, indices);
        if tail.len() < indices.len() || whole_region_below {
            for i in tail {
                paras[i].footnote = true;
            }
        }
    }
}

/// Whether the paragraphs `indices` (one region) all sit below every other paragraph of
/// their page: notes set full width under two columns form a region of their own.
fn below_the_body(paras: &[Para], indices: &[usize]) -> bool {
    let Some(&first) = indices.first() else {
        return false;
    };
    let (page, region) = (paras[first].page, paras[first].region);
    let top = indices
        .iter()
        .map(|&i| paras[i].bbox()[1])
        .fold(f32::MAX, f32::min);
    let others: Vec<&Para> = paras
        .iter()
        .filter(|p| p.page == page && p.region != region)
        .collect();
    !others.is_empty() && others.iter().all(|p| p.bbox()[3] <= top)
}

/// The size most text is set in (weighted by characters).
pub fn body_size(paras: &[Para]) -> f32 {
    let mut weight: HashMap<i32, usize> = HashMap::new();
    for line in paras.iter().flat_map(|p| &p.lines) {
        *weight.entry((line.size * 2.0).round() as i32).or_default() += line.text.len();
    }
    weight
        .into_iter()
        .max_by_key(|&(size, w)| (w, size))
        .map_or(0.0, |(size, _)| size as f32 / 2.0)
}

#[cfg(test)]
mod tests {
    use super::super::layout::Side;
    use super::*;

    fn line(text: &str, y: f32) -> Line {
        Line {
            text: text.into(),
            bbox: [50.0, y, 300.0, y + 10.0],
            size: 10.0,
            bold: false,
            first_word: 20.0,
            side: Side::Full,
            calls: Vec::new(),
        }
    }

    fn page(n: u32, lines: Vec<Line>) -> PageText {
        PageText {
            number: n,
            width: 600.0,
            height: 800.0,
            gutter: None,
            lines,
            undecoded: 0,
        }
    }

    #[test]
    fn running_heads_and_folios_are_removed() {
        let pages: Vec<PageText> = (1..=4)
            .map(|n| {
                page(
                    n,
                    vec![
                        line(&format!("{} STAATSBLAD — MONITEUR", 100 + n), 30.0),
                        line("Gewone tekst op de bladzijde.", 100.0 + n as f32 * 40.0),
                        line(&format!("- {n} -"), 770.0),
                    ],
                )
            })
            .collect();
        let (kept, removed) = remove(&pages);
        assert_eq!(removed.len(), 8);
        assert!(kept
            .iter()
            .all(|l| l.len() == 1 && l[0].text.starts_with("Gewone")));
    }

    #[test]
    fn rules_drawn_with_text_are_taken_out_and_kept_for_the_layout_map() {
        let para = |text: &str| Para {
            page: 3,
            region: 0,
            side: Side::Full,
            lines: vec![line(text, 100.0)],
            footnote: false,
            notes: Vec::new(),
        };
        let mut paras = vec![
            para("A. Introduction"),
            para("______"),
            para("— — —"),
            para("- 3 -"),
            para("Tekst -- met streepjes."),
            para("--"),
        ];
        let mut removed = Vec::new();
        take_out_rules(&mut paras, &mut removed);
        let kept: Vec<String> = paras.iter().map(Para::raw_text).collect();
        assert_eq!(
            kept,
            ["A. Introduction", "- 3 -", "Tekst -- met streepjes.", "--"]
        );
        assert_eq!(removed.len(), 2);
        assert_eq!(removed[0].page, 3);
    }

    #[test]
    fn a_document_number_heading_its_pages_is_removed_and_a_notice_number_stays() {
        // The Chamber's documents carry their number at the head of each page (313/7 on
        // three pages, then 313/8 on three); a notice's number opens a column now and then,
        // each one different.
        let head = |n: u32| format!("- 313 / {} - 95 / 96 [ {n} ]", 7 + (n - 1) / 3);
        let mut pages: Vec<PageText> = (1..=6)
            .map(|n| page(n, vec![line(&head(n), 30.0), line("Tekst.", 100.0)]))
            .collect();
        pages.extend((7..=12).map(|n| {
            page(
                n,
                vec![
                    line(&format!("2025/1237{n:02}"), 30.0),
                    line("Tekst.", 100.0),
                ],
            )
        }));
        let (kept, removed) = remove(&pages);
        assert_eq!(removed.len(), 6, "{removed:?}");
        assert!(kept[..6].iter().all(|l| l.len() == 1));
        assert!(kept[6..].iter().all(|l| l.len() == 2));
    }

    #[test]
    fn bracketed_numbers_are_left_out_of_a_line_of_numbers() {
        assert_eq!(without_bracketed_numbers("-313/7-95/96[2]"), "-313/7-95/96");
        assert_eq!(without_bracketed_numbers("[3]-313/8(12)"), "-313/8");
        assert_eq!(without_bracketed_numbers("(a)[]-[x1]"), "(a)[]-[x1]");
    }

    #[test]
    fn a_heading_at_the_top_of_one_page_stays() {
        let pages = vec![
            page(1, vec![line("Hoofdstuk een", 30.0), line("Tekst.", 100.0)]),
            page(2, vec![line("Hoofdstuk twee", 30.0), line("Tekst.", 100.0)]),
            page(3, vec![line("Hoofdstuk drie", 30.0), line("Tekst.", 100.0)]),
        ];
        let (kept, removed) = remove(&pages);
        assert!(removed.is_empty());
        assert_eq!(kept[0].len(), 2);
    }
}
