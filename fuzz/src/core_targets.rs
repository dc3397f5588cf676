//! One function per fuzz target over diptych-core's parsers and stages: each takes the raw
//! bytes libFuzzer (or a replayed corpus file) gives, feeds them to the parser, and panics only
//! when the parser broke a promise (a panic inside it, an out-of-bounds result, a broken
//! invariant). An `Err` is the right answer to bad input and is ignored.
//!
//! This file is shared: `fuzz/fuzz_targets/*.rs` call it under libFuzzer (nightly), and
//! `crates/core/tests/fuzz_replay.rs` includes it with `#[path]` to replay the committed
//! corpora and regressions on stable, so every crash found stays a test.

use std::path::Path;

use diptych_core::align::format::parse_vecalign;
use diptych_core::align::{align_texts, parse_dictionary, read_dictionary, AlignOptions};
use diptych_core::batch::manifest;
use diptych_core::check::{Glossary, IgnoreList};
use diptych_core::edit::{self, request::EditRequest, History, LogEntry, Review};
use diptych_core::export::{jsonl, read_memory_str, tmx, xliff};
use diptych_core::ingest::{read_pdf, read_woven, IngestOptions};
use diptych_core::segment::{segment_document, split_sentences};
use diptych_core::{fsio, Bitext, Finding, Lang};

/// The name every parser is given for its input (it only appears in error messages).
const NAME: &str = "fuzz-input";

/// Most sentences a side the aligner target builds (the aligner is linear; this keeps each run
/// short enough for many runs a second).
pub const MAX_SENTENCES: usize = 64;

/// The bytes as text the way `diptych run` reads a file (binary and invalid UTF-8 refused).
fn text(data: &[u8]) -> Option<String> {
    fsio::text_from_bytes(Path::new(NAME), data.to_vec()).ok()
}

/// Woven two-column text: ingest (language per paragraph, structure) then segmenting.
pub fn woven(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let Ok(mut woven) = read_woven(&text, Path::new(NAME), &IngestOptions::default()) else {
        return;
    };
    for doc in &mut woven.docs {
        segment_document(doc);
        for s in &doc.sentences {
            assert!(!s.text.trim().is_empty(), "empty sentence {}", s.id);
        }
    }
}

/// The sentence splitter in each language: spans in order, on character boundaries, trimmed,
/// and covering every non-space character.
pub fn segment(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for lang in Lang::KNOWN {
        let spans = split_sentences(&text, lang);
        let mut covered = 0;
        for [start, end] in &spans {
            assert!(covered <= *start && start < end && *end <= text.len());
            assert!(text.is_char_boundary(*start) && text.is_char_boundary(*end));
            assert!(text[covered..*start].trim().is_empty(), "text left out");
            let piece = &text[*start..*end];
            assert_eq!(piece, piece.trim(), "span not trimmed");
            covered = *end;
        }
        assert!(text[covered..].trim().is_empty(), "tail left out");
    }
}

/// The aligner on arbitrary sentence lists: the first byte says how many of the lines are
/// source sentences, the other lines are target sentences (at most [`MAX_SENTENCES`] a side).
/// The beads must cover every sentence of both sides once, in order.
pub fn align(data: &[u8]) {
    let Some((&split, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let lines: Vec<&str> = text.lines().collect();
    let cut = usize::from(split).min(lines.len()).min(MAX_SENTENCES);
    let src = &lines[..cut];
    let tgt = &lines[cut..lines.len().min(cut + MAX_SENTENCES)];
    let beads = align_texts(src, tgt, &AlignOptions::default());
    let (mut i, mut j) = (0, 0);
    for b in &beads {
        assert!(b.src.start == i && b.tgt.start == j, "beads out of order");
        assert!(b.src.len() + b.tgt.len() > 0, "empty bead");
        assert!((0.0..=1.0).contains(&b.score), "score {}", b.score);
        (i, j) = (b.src.end, b.tgt.end);
    }
    assert_eq!((i, j), (src.len(), tgt.len()), "sentences left out");
}

/// Beads that point past the sentences would make every later stage index out of bounds.
fn check_bitext(b: &Bitext) {
    let (n, m) = (b.src.sentences.len(), b.tgt.sentences.len());
    for bead in &b.beads {
        assert!(
            bead.src.start <= bead.src.end && bead.src.end <= n,
            "bead past source"
        );
        assert!(
            bead.tgt.start <= bead.tgt.end && bead.tgt.end <= m,
            "bead past target"
        );
    }
}

/// The TMX reader.
pub fn tmx(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(b) = tmx::read(Path::new(NAME), &text) {
        check_bitext(&b);
    }
}

/// The XLIFF reader (and the root-element dispatch in front of both memory readers).
pub fn xliff(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(b) = xliff::read(Path::new(NAME), &text) {
        check_bitext(&b);
    }
    if let Ok(b) = read_memory_str(Path::new(NAME), &text) {
        check_bitext(&b);
    }
}

/// The batch manifest (JSON Lines of inputs).
pub fn manifest(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = manifest::parse(Path::new("fuzz/manifest.jsonl"), &text);
}

/// The ignore list (`.diptych-ignore`: `CHECK: REGEX` rules); a parsed list is also matched
/// against a few findings.
pub fn ignore(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(list) = IgnoreList::parse(&text, Path::new(NAME)) {
        for f in sample_findings() {
            let _ = list.matches(f);
        }
    }
}

/// A user glossary (TSV); the terms it gives are then looked for in the same text. (Not added
/// to the shipped glossary: building that one's matchers takes most of a second a run.)
pub fn glossary(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut g = Glossary::default();
    if g.add_tsv(&text, Path::new(NAME)).is_ok() {
        for lang in Lang::KNOWN {
            for m in g.find(&text, lang) {
                assert!(m.start <= m.end && m.end <= text.len() && m.entry < g.entries().len());
                assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
            }
        }
    }
}

/// A `source<TAB>target` dictionary for the aligner, and an alignment file in the vecalign
/// format (`diptych align --eval`): both are small line-based text formats.
pub fn dictionary(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = parse_dictionary(&text, Path::new(NAME));
    let _ = parse_vecalign(&text, Path::new(NAME));
}

/// A dictd dictionary (FreeDict's `.index` + `.dict.dz`): the input up to the first NUL byte is
/// the index, the rest the dictionary text, gzip-compressed here so that the reader gets past
/// decompression (an odd first byte hands the rest over raw, to fuzz the decompression too).
pub fn dictd(data: &[u8]) {
    use std::io::Write;
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let cut = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
    let (index, dict) = (&rest[..cut], rest.get(cut + 1..).unwrap_or(&[]));
    let dict = if mode % 2 == 0 {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(dict).expect("gzip to memory");
        gz.finish().expect("gzip to memory")
    } else {
        dict.to_vec()
    };
    let dir = tempfile::tempdir().expect("a temporary folder");
    let index_path = dir.path().join("fuzz-aaa-bbb.index");
    std::fs::write(&index_path, index).expect("write the index");
    std::fs::write(dir.path().join("fuzz-aaa-bbb.dict.dz"), dict).expect("write the dict");
    let _ = read_dictionary(&index_path);
}

/// The PDF reader on arbitrary bytes (written to a temporary file, as it reads paths), then
/// segmenting. No block may come out with empty text (a mutated fixture once gave headings
/// of nothing: `fuzz/regressions/pdf/empty-block.pdf`).
pub fn pdf(data: &[u8]) {
    let mut file = tempfile::NamedTempFile::new().expect("a temporary file");
    std::io::Write::write_all(&mut file, data).expect("write the PDF");
    if let Ok(mut read) = read_pdf(file.path(), &IngestOptions::default()) {
        let blocks = read.docs.iter().flat_map(|d| &d.blocks).chain(&read.others);
        for block in blocks {
            assert!(
                !block.text.trim().is_empty(),
                "a block with no text: {block:?}"
            );
        }
        for doc in &mut read.docs {
            segment_document(doc);
        }
    }
}

/// `edits.jsonl` and the review API's edit requests: the lines are read as log entries and
/// replayed over a small reviewed run (the sample bitext of `tests/data/export`), then each
/// line is also tried as a `POST /api/edits` body and recorded. The review must keep its
/// invariants (every sentence in exactly one bead, in order) whatever the edits.
pub fn edits(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let entries: Vec<LogEntry> = match jsonl::parse_lines(Path::new(NAME), &text, "an edit") {
        Ok(entries) => entries,
        Err(_) => text
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect(),
    };
    let replayed = History::replay(sample_review(), entries);
    edit::check_invariants(replayed.current()).expect("replayed edits keep the invariants");
    let mut history = History::new(sample_review());
    for line in text.lines() {
        let Ok(request) = EditRequest::parse(line.as_bytes()) else {
            continue;
        };
        if history
            .record(request.op, "fuzz", "2026-01-01T00:00:00Z".into())
            .is_ok()
        {
            edit::check_invariants(history.current()).expect("an accepted edit keeps them");
        }
    }
    let _: diptych_core::Result<Vec<Finding>> =
        jsonl::parse_lines(Path::new(NAME), &text, "a finding");
}

/// The sample run the edit target works on.
fn sample_review() -> Review {
    let bitext: Bitext = serde_json::from_str(include_str!(
        "../../tests/data/export/benelux-sample.bitext.json"
    ))
    .expect("the sample bitext parses");
    Review::new(bitext, sample_findings().to_vec())
}

/// The sample run's findings.
fn sample_findings() -> &'static [Finding] {
    static FINDINGS: std::sync::OnceLock<Vec<Finding>> = std::sync::OnceLock::new();
    FINDINGS.get_or_init(|| {
        serde_json::from_str(include_str!(
            "../../tests/data/export/benelux-sample.findings.json"
        ))
        .expect("the sample findings parse")
    })
}
