//! Property tests of un-weaving: clean bilingual documents are woven into two-column text
//! the way a bilingual PDF reads after extraction — pages of random length, each holding a
//! column of each language, the last paragraph of a column often cut inside a sentence or
//! inside a word (with a hyphen) and continued on the next page, either language first —
//! and reading the woven text must give the same two documents back.
//!
//! The weaver follows the rules of typesetting that the reader relies on: the title page
//! holds the titles only; a page does not end right after a heading or an item title (they
//! are kept with the next paragraph); and a cut paragraph keeps at least a line on each
//! page (four words here), so that no piece is a lone word with no evidence of its
//! language.
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
        BlockKind::Heading | BlockKind::Paragraph => block.text.clone(),
        BlockKind::Item if index % 2 == 0 => format!("- **{}**", block.text),
        BlockKind::Item => format!("• {}", block.text),
    }
}

fn keep_with_next(block: &Block) -> bool {
    block.kind != BlockKind::Paragraph
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

/// Cuts a paragraph where a page could end: inside a sentence, so that the first piece does
/// not end with final punctuation, and either the continuation starts in lower case or the
/// first piece is too long (over 15 words) to be a heading; or inside a lower-case word,
/// with a hyphen. `None` when no such place exists.
fn cut(text: &str, rng: &mut Rng) -> Option<(String, String)> {
    let words: Vec<&str> = text.split(' ').collect();
    if rng.chance(40) {
        let candidates: Vec<usize> = (1..words.len())
            .filter(|&k| k >= 3 && words.len() - k >= 4)
            .filter(|&k| {
                let w = words[k];
                w.chars().count() >= 6 && w.chars().all(|c| c.is_lowercase() && c.is_alphabetic())
            })
            .collect();
        if !candidates.is_empty() {
            let k = candidates[rng.below(candidates.len())];
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
    let candidates: Vec<usize> = (1..words.len())
        .filter(|&k| {
            let piece = words[..k].join(" ");
            let lower = words[k].chars().next().is_some_and(char::is_lowercase);
            !ends_sentence(&piece) && (lower || k > 15) && k >= 4 && words.len() - k >= 4
        })
        .collect();
    if candidates.is_empty() {
        return None;
    }
    let k = candidates[rng.below(candidates.len())];
    Some((words[..k].join(" "), words[k..].join(" ")))
}

/// Weaves two parallel documents (as many blocks each) into two-column text.
fn weave(docs: &[Document; 2], seed: u64, second_first: bool) -> String {
    let mut rng = Rng(seed | 1);
    let n = docs[0].blocks.len();
    assert_eq!(n, docs[1].blocks.len(), "the clean documents are parallel");
    let order = if second_first { [1, 0] } else { [0, 1] };
    let letters = |b: &Block| b.text.chars().filter(|c| c.is_alphabetic()).count();
    let mut carry: [Option<String>; 2] = [None, None];
    let mut paragraphs: Vec<String> = Vec::new();
    let mut i = 0;
    let cover = docs[0]
        .blocks
        .iter()
        .take_while(|b| b.kind == BlockKind::Title)
        .count();
    while i < n {
        let target = if i < cover { 0 } else { 300 + rng.below(1500) };
        let mut j = i;
        let mut filled = 0;
        while j < n
            && (j == i
                || (j < cover && i < cover)
                || (i >= cover && (filled < target || keep_with_next(&docs[0].blocks[j - 1]))))
        {
            filled += letters(&docs[0].blocks[j]);
            j += 1;
        }
        for &lang in &order {
            paragraphs.extend(carry[lang].take());
            for (k, block) in docs[lang].blocks.iter().enumerate().take(j).skip(i) {
                let may_cut = k + 1 == j && j < n && block.kind == BlockKind::Paragraph;
                let pieces = if may_cut && rng.chance(70) {
                    cut(&block.text, &mut rng)
                } else {
                    None
                };
                match pieces {
                    Some((first, rest)) => {
                        paragraphs.push(first);
                        carry[lang] = Some(rest);
                    }
                    None => paragraphs.push(raw(block, k)),
                }
            }
        }
        i = j;
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
        .unwrap_or_else(|e| panic!("{e}\n--- woven ---\n{woven}"));
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
