//! Property tests of un-weaving: clean bilingual documents are woven into two-column text
//! the way a bilingual PDF reads after extraction — pages of random length, each holding a
//! column of each language, the last paragraph of a column often cut inside a sentence or
//! inside a word (with a hyphen) and continued on the next page, either language first —
//! and reading the woven text must give the same two documents back.
//!
//! The weaver follows the rules of typesetting that the reader relies on: the title page
//! holds the titles only; a page does not end right after a heading or an item title (they
//! are kept with the next paragraph); and a cut paragraph keeps at least a line on each
//! page (eight words before the cut, four after), so that no piece is a few words with no
//! evidence of their language.
//!
//! Two pairs: the reference report's clean documents (the golden `nl.md`/`fr.md` of
//! `diptych run`) and the project's own English/French text in `tests/data/en-fr`.

use std::path::{Path, PathBuf};

use diptych_core::ingest::{read_pair, read_woven, IngestOptions};
use diptych_core::{Block, BlockKind, Document};
use proptest::prelude::*;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn clean_pair(a: &str, b: &str) -> [Document; 2] {
    let (pa, pb) = (repo().join(a), repo().join(b));
    let (ta, tb) = (
        std::fs::read_to_string(&pa).unwrap(),
        std::fs::read_to_string(&pb).unwrap(),
    );
    read_pair((&ta, &pa), (&tb, &pb), &IngestOptions::default()).unwrap()
}

fn benelux() -> [Document; 2] {
    clean_pair(
        "tests/golden/benelux-2022/nl.md",
        "tests/golden/benelux-2022/fr.md",
    )
}

fn en_fr() -> [Document; 2] {
    clean_pair("tests/data/en-fr/en.md", "tests/data/en-fr/fr.md")
}

/// A small deterministic generator, seeded by proptest.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// The block as the extraction writes it: bold titles, bare headings, bulleted items.
fn raw(block: &Block, index: usize) -> String {
    match block.kind {
        BlockKind::Title => format!("**{}**", block.text),
        BlockKind::Heading | BlockKind::Paragraph | BlockKind::Footnote => block.text.clone(),
        BlockKind::Item if index.is_multiple_of(2) => format!("- **{}**", block.text),
        BlockKind::Item => format!("• {}", block.text),
    }
}

fn ends_sentence(text: &str) -> bool {
    let t = text.trim_end_matches(['"', '\'', '”', '’', '»', ')', ']']);
    t.ends_with(['.', '!', '?', '…', ':', ';'])
}

/// Words that follow a suspended hyphen (`terug- en`): a word cut so that its second half is
/// one of these reads as a suspended compound, so the weaver avoids such cuts.
const COORDINATING: [&str; 11] = [
    "en", "of", "tot", "und", "oder", "bis", "and", "or", "to", "et", "ou",
];

/// Where a paragraph may be cut so that its first piece holds about `room` letters: inside
/// a sentence, so that the first piece does not end with final punctuation, and either the
/// continuation starts in lower case or the first piece is too long (over 15 words) to be a
/// heading; or inside a lower-case word, with a hyphen. At least a line (eight words) stays
/// on each page. `None` when no such place exists.
fn cut(text: &str, room: usize, rng: &mut Rng) -> Option<(String, String)> {
    let words: Vec<&str> = text.split(' ').collect();
    let letters_before: Vec<usize> = words
        .iter()
        .scan(0, |acc, w| {
            let here = *acc;
            *acc += w.chars().filter(|c| c.is_alphabetic()).count();
            Some(here)
        })
        .collect();
    let nearest = |candidates: Vec<usize>| {
        candidates
            .into_iter()
            .min_by_key(|&k| letters_before[k].abs_diff(room))
    };
    let valid = |k: &usize| *k >= 8 && words.len() - *k >= 4;
    if rng.chance(40) {
        let k = nearest(
            (1..words.len())
                .filter(valid)
                .filter(|&k| {
                    let w = words[k];
                    w.chars().count() >= 6
                        && w.chars().all(|c| c.is_lowercase() && c.is_alphabetic())
                })
                .collect(),
        );
        if let Some(k) = k {
            let chars: Vec<char> = words[k].chars().collect();
            let c = 2 + rng.below(chars.len() - 3);
            let (head, tail): (String, String) =
                (chars[..c].iter().collect(), chars[c..].iter().collect());
            if !COORDINATING.contains(&tail.as_str()) {
                let first = format!("{} {head}-", words[..k].join(" "));
                let rest = [&[tail.as_str()], &words[k + 1..]].concat().join(" ");
                return Some((first, rest));
            }
        }
    }
    let k = nearest(
        (1..words.len())
            .filter(valid)
            .filter(|&k| {
                let lower = words[k].chars().next().is_some_and(char::is_lowercase);
                !ends_sentence(&words[..k].join(" ")) && (lower || k > 15)
            })
            .collect(),
    )?;
    Some((words[..k].join(" "), words[k..].join(" ")))
}

/// Lays one language's blocks out in columns of `capacity[p]` letters: the titles fill the
/// first column alone; a paragraph that does not fit is cut (or moved to the next column
/// when it cannot be cut there); a heading or item never ends a column.
fn columns(doc: &Document, capacity: &[usize], rng: &mut Rng) -> Vec<Vec<String>> {
    let letters = |t: &str| t.chars().filter(|c| c.is_alphabetic()).count();
    let blocks = &doc.blocks;
    let cover = blocks
        .iter()
        .take_while(|b| b.kind == BlockKind::Title)
        .count();
    let mut out = vec![blocks[..cover]
        .iter()
        .enumerate()
        .map(|(k, b)| raw(b, k))
        .collect::<Vec<_>>()];
    let mut column: Vec<String> = Vec::new();
    let mut filled = 0;
    let mut carry: Option<String> = None;
    let mut k = cover;
    while k < blocks.len() || carry.is_some() {
        let cap = capacity[out.len() % capacity.len()];
        let (text, kind, index) = match carry.take() {
            Some(rest) => (rest, BlockKind::Paragraph, usize::MAX),
            None => {
                k += 1;
                (blocks[k - 1].text.clone(), blocks[k - 1].kind, k - 1)
            }
        };
        let rendered = if index == usize::MAX {
            text.clone()
        } else {
            raw(&blocks[index], index)
        };
        let size = letters(&text);
        let fits = filled + size <= cap;
        if fits || (column.is_empty() && kind != BlockKind::Paragraph) {
            column.push(rendered);
            filled += size;
            continue;
        }
        if kind == BlockKind::Paragraph && filled < cap {
            if let Some((first, rest)) = cut(&text, cap - filled, rng) {
                column.push(first);
                out.push(std::mem::take(&mut column));
                filled = 0;
                carry = Some(rest);
                continue;
            }
        }
        // The column is full: headings and items at its end go with the block that follows.
        let mut moved = Vec::new();
        while column.len() > 1 && !is_paragraph_text(column.last().unwrap(), doc) {
            moved.insert(0, column.pop().unwrap());
        }
        out.push(std::mem::take(&mut column));
        filled = moved.iter().map(|t| letters(t)).sum::<usize>() + size;
        column.extend(moved);
        column.push(rendered);
    }
    if !column.is_empty() {
        out.push(column);
    }
    out
}

/// Whether a rendered line is running text (not a title, heading or item of `doc`).
fn is_paragraph_text(rendered: &str, doc: &Document) -> bool {
    !doc.blocks.iter().any(|b| {
        b.kind != BlockKind::Paragraph
            && rendered.ends_with(b.text.as_str())
            && (rendered.len() - b.text.len()) <= 6
    })
}

/// Weaves two parallel documents into two-column text: page after page, a column of each
/// language, the column sizes random but in proportion to each language's length.
fn weave(docs: &[Document; 2], seed: u64, second_first: bool) -> String {
    let mut rng = Rng(seed | 1);
    let total = |d: &Document| d.blocks.iter().map(|b| b.text.len()).sum::<usize>().max(1);
    let base: Vec<usize> = (0..64).map(|_| 900 + rng.below(2400)).collect();
    let scaled = |d: &Document| -> Vec<usize> {
        base.iter()
            .map(|c| c * total(d) / total(&docs[0]))
            .collect()
    };
    // Both languages end on the same page, as in a real two-column document: the second
    // language's columns are made a little wider or narrower until the page counts agree.
    let first = columns(&docs[0], &scaled(&docs[0]), &mut rng);
    let second = (0..200)
        .map(|step| {
            let factor = 1.0 + 0.01 * (step / 2) as f64 * if step % 2 == 0 { 1.0 } else { -1.0 };
            let caps: Vec<usize> = scaled(&docs[1])
                .iter()
                .map(|&c| (c as f64 * factor) as usize)
                .collect();
            columns(&docs[1], &caps, &mut rng)
        })
        .find(|cols| cols.len() == first.len())
        .expect("some column width gives both languages as many pages");
    let cols = [first, second];
    let order = if second_first { [1, 0] } else { [0, 1] };
    let pages = cols[0].len().max(cols[1].len());
    let mut paragraphs: Vec<String> = Vec::new();
    for p in 0..pages {
        for &lang in &order {
            if let Some(col) = cols[lang].get(p) {
                paragraphs.extend(col.iter().cloned());
            }
        }
    }
    paragraphs.join("\n\n") + "\n"
}

fn shape(doc: &Document) -> Vec<(BlockKind, u8, &str)> {
    doc.blocks
        .iter()
        .map(|b| (b.kind, b.level, b.text.as_str()))
        .collect()
}

fn assert_round_trip(docs: &[Document; 2], seed: u64, second_first: bool) {
    let woven = weave(docs, seed, second_first);
    if let Some(dir) = std::env::var_os("REWEAVE_DUMP") {
        std::fs::write(
            Path::new(&dir).join(format!(
                "{}-{seed}-{second_first}.txt",
                docs[0].lang.unwrap()
            )),
            &woven,
        )
        .unwrap();
    }
    let back = read_woven(&woven, Path::new("woven.txt"), &IngestOptions::default())
        .unwrap_or_else(|e| panic!("{e}\n--- woven ---\n{woven}"))
        .docs;
    let expected = if second_first {
        [&docs[1], &docs[0]]
    } else {
        [&docs[0], &docs[1]]
    };
    for (got, want) in back.iter().zip(expected) {
        assert_eq!(got.lang, want.lang);
        let (g, w) = (shape(got), shape(want));
        if let Some(k) = (0..g.len().min(w.len())).find(|&k| g[k] != w[k]) {
            panic!(
                "{:?} block {k} differs:\n got: {:?}\nwant: {:?}\n--- woven ---\n{woven}",
                want.lang, g[k], w[k]
            );
        }
        assert_eq!(g.len(), w.len(), "block count\n--- woven ---\n{woven}");
    }
}

proptest! {
    // PROPTEST_CASES raises the count for a longer run.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(24),
        ..ProptestConfig::default()
    })]

    #[test]
    fn reference_report_survives_reweaving(seed in any::<u64>(), second_first in any::<bool>()) {
        assert_round_trip(&benelux(), seed, second_first);
    }

    #[test]
    fn english_french_report_survives_reweaving(seed in any::<u64>(), second_first in any::<bool>()) {
        assert_round_trip(&en_fr(), seed, second_first);
    }
}

#[test]
fn the_weaver_cuts_paragraphs_and_words() {
    let docs = benelux();
    let woven = weave(&docs, 7, false);
    let paras: Vec<&str> = woven.split("\n\n").collect();
    assert!(
        paras.len() > docs[0].blocks.len() * 2,
        "cut pieces add paragraphs"
    );
    assert!(
        paras.iter().any(|p| p.ends_with('-')),
        "some word is cut with a hyphen"
    );
    assert!(woven.contains("- **") && woven.contains("• ") && woven.contains("**BENELUX"));
}

#[test]
fn the_english_french_text_reads_as_written() {
    let [en, fr] = en_fr();
    assert_eq!(shape(&en).len(), shape(&fr).len());
    let kinds = |d: &Document| {
        d.blocks
            .iter()
            .map(|b| (b.kind, b.level))
            .collect::<Vec<_>>()
    };
    assert_eq!(kinds(&en), kinds(&fr));
    assert_eq!(en.lang.unwrap().as_str(), "en");
    assert_eq!(fr.lang.unwrap().as_str(), "fr");
}
