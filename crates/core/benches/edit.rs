//! Speed of the review editor's work on long documents: one recorded edit (merge, split,
//! approve, correct), an undo after 200 edits (a replay from the aligned state), replaying a
//! 200-line `edits.jsonl` (what `export`, `check` and the server do at start), and rendering
//! what a reload shows (the page, the API's JSON). The baseline, measured in the same run, is
//! one copy of the review (the bitext and its decisions): an edit is applied in place, so it
//! must cost far less than a copy (`ratio` = edit / copy); an undo replays from a copy of the
//! aligned state. Synthetic bitexts of 1,000 and 10,000 1:1 beads (about 100 and 1,000 pages).
//!
//! `cargo bench -p diptych-core --bench edit`

use std::collections::BTreeMap;
use std::time::Instant;

use diptych_core::edit::request::BeadsView;
use diptych_core::edit::{History, LogEntry, Op, Review};
use diptych_core::{Bead, Bitext, Block, BlockKind, Document, Lang, Sentence};

/// A document of `n` one-sentence paragraphs of about 120 bytes.
fn document(lang: Lang, n: usize) -> Document {
    let text = |i: usize| {
        format!("{lang} sentence {i} of the synthetic report on the cooperation between the partners of the region in {}.", 2000 + i % 25)
    };
    Document {
        lang: Some(lang),
        blocks: (0..n)
            .map(|i| Block {
                id: format!("{lang}-b{i}"),
                lang,
                kind: if i % 20 == 0 {
                    BlockKind::Heading
                } else {
                    BlockKind::Paragraph
                },
                level: 1,
                text: text(i),
                source_lines: [i + 1, i + 1],
                joined_from: vec![],
                lang_confidence: 1.0,
                regions: vec![],
                note: None,
            })
            .collect(),
        sentences: (0..n)
            .map(|i| Sentence {
                id: format!("{lang}-s{i}"),
                lang,
                block: format!("{lang}-b{i}"),
                block_index: i,
                span: [0, text(i).len()],
                text: text(i),
            })
            .collect(),
    }
}

fn bitext(n: usize) -> Bitext {
    Bitext {
        name: "synthetic".into(),
        src: document(Lang::NL, n),
        tgt: document(Lang::FR, n),
        block_beads: (0..n).map(|i| Bead::new(i..i + 1, i..i + 1, 0.9)).collect(),
        beads: (0..n).map(|i| Bead::new(i..i + 1, i..i + 1, 0.9)).collect(),
    }
}

/// 200 edits spread over the document; each applies (a merge is split back at once).
fn edits(n: usize) -> Vec<Op> {
    (0..50)
        .flat_map(|k| {
            let b = (k * 7919) % (n - 2);
            let at: BTreeMap<Lang, usize> = [(Lang::NL, 1), (Lang::FR, 1)].into();
            [
                Op::Merge {
                    beads: vec![b, b + 1],
                },
                Op::Split { bead: b, at },
                Op::Approve { beads: vec![b] },
                Op::Correct {
                    lang: Lang::FR,
                    sentence: b,
                    text: format!("corrected {k}"),
                },
            ]
        })
        .collect()
}

/// Mean milliseconds of `f` over `rounds` runs.
fn ms(rounds: usize, mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..rounds {
        f();
    }
    start.elapsed().as_secs_f64() * 1000.0 / rounds as f64
}

fn main() {
    println!(
        "{:>7} {:>10} {:>10} {:>7} {:>9} {:>11} {:>9} {:>9}",
        "beads", "copy ms", "edit ms", "ratio", "undo ms", "replay ms", "page ms", "json ms"
    );
    for n in [1_000, 10_000] {
        let base = Review::new(bitext(n), vec![]);
        let copy = ms(20, || drop(std::hint::black_box(base.clone())));
        let ops = edits(n);
        let mut history = History::new(base.clone());
        let mut log: Vec<LogEntry> = Vec::new();
        let start = Instant::now();
        for op in &ops {
            log.push(
                history
                    .record(op.clone(), "bench", "t".into())
                    .expect("each edit applies"),
            );
        }
        let edit = start.elapsed().as_secs_f64() * 1000.0 / ops.len() as f64;
        let undo = ms(1, || {
            let mut h = history.clone();
            h.record(Op::Undo, "bench", "t".into()).expect("undo");
        });
        let lines: String = log
            .iter()
            .map(|e| serde_json::to_string(e).expect("json") + "\n")
            .collect();
        let replay = ms(3, || {
            let entries: Vec<LogEntry> = lines
                .lines()
                .map(|l| serde_json::from_str(l).expect("line"))
                .collect();
            let h = History::replay(base.clone(), entries);
            assert!(h.stale().is_empty());
        });
        let page = ms(3, || {
            drop(diptych_core::report::editor_page(&history, None))
        });
        let json = ms(3, || {
            drop(serde_json::to_vec(&BeadsView::of(&history)).expect("json"))
        });
        println!(
            "{n:>7} {copy:>10.2} {edit:>10.3} {:>7.3} {undo:>9.1} {replay:>11.1} {page:>9.1} {json:>9.1}",
            edit / copy
        );
    }
}
