//! Unit and property tests of the edit ops, the history and the request parser.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::request::EditRequest;
use super::*;
use crate::model::Highlight;
use crate::{Block, BlockKind, Document, Severity};

fn doc(lang: Lang, n: usize) -> Document {
    let blocks = (0..n)
        .map(|i| Block {
            id: format!("{lang}-b{i}"),
            lang,
            kind: if i % 4 == 0 {
                BlockKind::Heading
            } else {
                BlockKind::Paragraph
            },
            level: 1,
            text: format!("{lang} sentence {i}."),
            source_lines: [i + 1, i + 1],
            joined_from: vec![],
            lang_confidence: 1.0,
            regions: vec![],
            note: None,
        })
        .collect();
    let sentences = (0..n)
        .map(|i| crate::Sentence {
            id: format!("{lang}-s{i}"),
            lang,
            block: format!("{lang}-b{i}"),
            block_index: i,
            span: [0, 14],
            text: format!("{lang} sentence {i}."),
        })
        .collect();
    Document {
        lang: Some(lang),
        blocks,
        sentences,
    }
}

/// `n` sentences a side, paired 1:1.
fn bitext(n: usize) -> Bitext {
    Bitext {
        name: "t".into(),
        src: doc(Lang::EN, n),
        tgt: doc(Lang::FR, n),
        block_beads: vec![],
        beads: (0..n).map(|i| Bead::new(i..i + 1, i..i + 1, 0.9)).collect(),
    }
}

fn finding(bead: usize, sentence: Option<usize>) -> Finding {
    Finding {
        check: "spelling".into(),
        severity: Severity::Warning,
        bead: Some(bead),
        lang: Some(Lang::FR),
        message: format!("word {bead}: unknown"),
        evidence: [(Lang::FR, "word".into())].into(),
        highlights: sentence
            .map(|s| Highlight {
                lang: Lang::FR,
                sentence: s,
                span: [0, 2],
            })
            .into_iter()
            .collect(),
        suggestions: vec![],
        rule: None,
    }
}

fn shapes(r: &Review) -> Vec<String> {
    r.bitext.beads.iter().map(Bead::shape_label).collect()
}

fn at(en: usize, fr: usize) -> BTreeMap<Lang, usize> {
    [(Lang::EN, en), (Lang::FR, fr)].into()
}

#[test]
fn merge_split_move_and_no_counterpart_keep_the_cover() {
    let r = Review::new(bitext(4), vec![]);
    let merged = apply(&r, &Op::Merge { beads: vec![1, 2] }).unwrap();
    assert_eq!(shapes(&merged), ["1:1", "2:2", "1:1"]);
    let split = apply(
        &merged,
        &Op::Split {
            bead: 1,
            at: at(1, 1),
        },
    )
    .unwrap();
    let ranges = |r: &Review| -> Vec<_> {
        r.bitext
            .beads
            .iter()
            .map(|b| (b.src.clone(), b.tgt.clone()))
            .collect()
    };
    assert_eq!(ranges(&split), ranges(&r));
    let moved = apply(
        &r,
        &Op::Move {
            bead: 1,
            lang: Lang::FR,
            to: Direction::Previous,
        },
    )
    .unwrap();
    assert_eq!(shapes(&moved), ["1:2", "1:0", "1:1", "1:1"]);
    let back = apply(
        &moved,
        &Op::Move {
            bead: 0,
            lang: Lang::FR,
            to: Direction::Next,
        },
    )
    .unwrap();
    assert_eq!(shapes(&back), ["1:1", "1:1", "1:1", "1:1"]);
    let apart = apply(&r, &Op::NoCounterpart { bead: 3 }).unwrap();
    assert_eq!(shapes(&apart), ["1:1", "1:1", "1:1", "1:0", "0:1"]);
    for state in [&merged, &split, &moved, &back, &apart] {
        check_invariants(state).unwrap();
    }
}

#[test]
fn a_bead_emptied_by_a_move_disappears() {
    let r = Review::new(bitext(3), vec![]);
    let r = apply(&r, &Op::NoCounterpart { bead: 1 }).unwrap();
    assert_eq!(shapes(&r), ["1:1", "1:0", "0:1", "1:1"]);
    let r = apply(
        &r,
        &Op::Move {
            bead: 2,
            lang: Lang::FR,
            to: Direction::Previous,
        },
    )
    .unwrap();
    assert_eq!(shapes(&r), ["1:1", "1:1", "1:1"]);
    check_invariants(&r).unwrap();
}

#[test]
fn refusals_name_the_field_and_change_nothing() {
    let r = Review::new(bitext(3), vec![finding(1, None)]);
    let refused = |op: Op| apply(&r, &op).unwrap_err().field;
    assert_eq!(refused(Op::Merge { beads: vec![0, 2] }), "beads");
    assert_eq!(refused(Op::Merge { beads: vec![2, 3] }), "beads");
    assert_eq!(
        refused(Op::Split {
            bead: 0,
            at: at(1, 1)
        }),
        "at"
    );
    assert_eq!(
        refused(Op::Split {
            bead: 0,
            at: [(Lang::EN, 1)].into()
        }),
        "at"
    );
    assert_eq!(
        refused(Op::Move {
            bead: 0,
            lang: Lang::EN,
            to: Direction::Previous
        }),
        "to"
    );
    assert_eq!(
        refused(Op::Move {
            bead: 0,
            lang: Lang::NL,
            to: Direction::Next
        }),
        "lang"
    );
    assert_eq!(
        refused(Op::Dismiss {
            finding: 0,
            reason: " ".into()
        }),
        "reason"
    );
    assert_eq!(refused(Op::Fix { finding: 1 }), "finding");
    assert_eq!(refused(Op::Approve { beads: vec![] }), "beads");
    assert_eq!(
        refused(Op::Correct {
            lang: Lang::FR,
            sentence: 9,
            text: "x".into()
        }),
        "sentence"
    );
    assert_eq!(
        refused(Op::Correct {
            lang: Lang::FR,
            sentence: 0,
            text: "a\nb".into()
        }),
        "text"
    );
}

#[test]
fn findings_follow_their_sentence_and_approvals_reset_on_change() {
    let r = Review::new(bitext(4), vec![finding(2, Some(2)), finding(3, None)]);
    let r = apply(
        &r,
        &Op::Approve {
            beads: vec![0, 1, 3],
        },
    )
    .unwrap();
    let r = apply(&r, &Op::Merge { beads: vec![0, 1] }).unwrap();
    assert_eq!(r.approved, [false, false, true]);
    assert_eq!(r.finding_bead(0), Some(1));
    assert_eq!(r.finding_bead(1), Some(2));
    let r = apply(
        &r,
        &Op::Dismiss {
            finding: 0,
            reason: "a name".into(),
        },
    )
    .unwrap();
    let kept = r.findings_kept();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].bead, Some(2));
}

#[test]
fn corrections_keep_the_original_and_can_be_reverted() {
    let r = Review::new(bitext(2), vec![]);
    let fixed = apply(
        &r,
        &Op::Correct {
            lang: Lang::FR,
            sentence: 1,
            text: "fr phrase 1.".into(),
        },
    )
    .unwrap();
    assert_eq!(fixed.bitext.tgt.sentences[1].text, "fr phrase 1.");
    assert_eq!(fixed.originals[&(1, 1)], "fr sentence 1.");
    let back = apply(
        &fixed,
        &Op::Correct {
            lang: Lang::FR,
            sentence: 1,
            text: "fr sentence 1.".into(),
        },
    )
    .unwrap();
    assert!(back.originals.is_empty());
    assert_eq!(back.bitext, r.bitext);
}

#[test]
fn undo_redo_and_replay_give_the_same_states() {
    let base = Review::new(bitext(5), vec![finding(4, Some(4))]);
    let mut h = History::new(base.clone());
    let mut log = vec![];
    for op in [
        Op::Merge { beads: vec![0, 1] },
        Op::Approve { beads: vec![0] },
        Op::Dismiss {
            finding: 0,
            reason: "fine".into(),
        },
        Op::Undo,
        Op::Undo,
        Op::Redo,
        Op::Split {
            bead: 2,
            at: at(1, 0),
        },
    ] {
        log.push(h.record(op, "ann", "t".into()).unwrap());
    }
    assert_eq!(h.version(), 7);
    assert!(h.current().approved[0]);
    assert!(h.current().decisions.is_empty());
    assert_eq!(h.can_undo_redo(), (true, false));
    assert_eq!(log[0].before.len(), 2);
    assert_eq!(log[0].after.len(), 1);
    assert_eq!(log[0].after[0].ids[&Lang::EN], ["en-s0", "en-s1"]);
    let replayed = History::replay(base.clone(), log.clone());
    assert!(replayed.stale().is_empty(), "{:?}", replayed.stale());
    assert_eq!(replayed.current(), h.current());
    assert_eq!(replayed.version(), 7);
    assert_eq!(
        h.record(Op::Redo, "ann", "t".into()).unwrap_err().field,
        "op"
    );
    // The same log over a different alignment: the merge finds other beads and is skipped.
    let mut other = base.clone();
    other.bitext.beads = vec![Bead::new(0..2, 0..2, 0.5), Bead::new(2..5, 2..5, 0.5)];
    other.approved = vec![false; 2];
    let stale = History::replay(other, log);
    assert_eq!(stale.stale()[0].line, 1);
    assert_eq!(stale.stale()[0].op, "merge");
}

#[test]
fn log_entries_read_back_as_written() {
    let mut h = History::new(Review::new(bitext(3), vec![finding(1, None)]));
    let entry = h
        .record(
            Op::Dismiss {
                finding: 0,
                reason: "a name".into(),
            },
            "ann",
            "2026-01-01T00:00:00Z".into(),
        )
        .unwrap();
    let line = serde_json::to_string(&entry).unwrap();
    assert!(line.starts_with(r#"{"time":"2026-01-01T00:00:00Z","user":"ann","version":0,"op":"dismiss","finding":0,"reason":"a name","before":[{"index":1,"#), "{line}");
    assert!(
        line.ends_with(r#""about":{"check":"spelling","message":"word 1: unknown"}}"#),
        "{line}"
    );
    let back: LogEntry = serde_json::from_str(&line).unwrap();
    assert_eq!(back, entry);
}

#[test]
fn requests_parse_and_name_the_bad_field() {
    let ok = EditRequest::parse(br#"{"op":"split","bead":12,"at":{"nl":1,"fr":1},"version":3}"#)
        .unwrap();
    assert_eq!(ok.version, Some(3));
    assert_eq!(
        ok.op,
        Op::Split {
            bead: 12,
            at: [(Lang::NL, 1), (Lang::FR, 1)].into()
        }
    );
    assert_eq!(
        EditRequest::parse(br#"{"op":"undo"}"#).unwrap().op,
        Op::Undo
    );
    let field = |body: &[u8]| EditRequest::parse(body).unwrap_err().field;
    assert_eq!(field(b"[1]"), "body");
    assert_eq!(field(b"{"), "body");
    assert_eq!(field(br#"{"op":"explode"}"#), "op");
    assert_eq!(field(br#"{"op":"merge","beads":"12"}"#), "beads");
    assert_eq!(field(br#"{"op":"merge"}"#), "beads");
    assert_eq!(
        field(br#"{"op":"merge","beads":[1,2],"version":-1}"#),
        "version"
    );
    assert_eq!(
        field(br#"{"op":"move","bead":1,"lang":"nl","to":"up"}"#),
        "to"
    );
    assert_eq!(field(br#"{"op":"approve","beads":[1],"bead":2}"#), "bead");
    assert_eq!(field(br#"{"op":"split","bead":1,"at":{"xx1":1}}"#), "at");
}

/// A random op, its numbers taken modulo the state's sizes so that most apply.
fn op_from(kind: u8, a: usize, b: usize, r: &Review) -> Op {
    let n = r.bitext.beads.len().max(1);
    let (en, fr) = (Lang::EN, Lang::FR);
    match kind % 9 {
        0 => Op::Merge {
            beads: vec![a % n, a % n + 1],
        },
        1 => Op::Split {
            bead: a % n,
            at: at(b % 3, b / 3 % 3),
        },
        2 => Op::Move {
            bead: a % n,
            lang: [en, fr][b % 2],
            to: Direction::Previous,
        },
        3 => Op::Move {
            bead: a % n,
            lang: [en, fr][b % 2],
            to: Direction::Next,
        },
        4 => Op::NoCounterpart { bead: a % n },
        5 => Op::Approve { beads: vec![a % n] },
        6 => Op::Correct {
            lang: fr,
            sentence: a % 6,
            text: format!("text {b}"),
        },
        7 => Op::Undo,
        _ => Op::Redo,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any sequence of ops keeps the beads monotone and covering every sentence once; the
    /// log replays to the same state; undoing everything gives the aligned bitext back.
    #[test]
    fn ops_keep_the_invariants_and_replay(ops in proptest::collection::vec((0u8..9, 0usize..20, 0usize..20), 1..30)) {
        let base = Review::new(bitext(6), vec![finding(2, Some(2)), finding(5, None)]);
        let mut h = History::new(base.clone());
        let mut log = vec![];
        for (kind, a, b) in ops {
            let op = op_from(kind, a, b, h.current());
            if let Ok(entry) = h.record(op, "p", "t".into()) {
                log.push(entry);
            }
            prop_assert!(check_invariants(h.current()).is_ok(), "{:?}", check_invariants(h.current()));
            for k in 0..2 {
                prop_assert!(h.current().finding_bead(k).is_some());
            }
        }
        let replayed = History::replay(base.clone(), log.clone());
        prop_assert!(replayed.stale().is_empty());
        prop_assert_eq!(replayed.current(), h.current());
        while h.can_undo_redo().0 {
            h.record(Op::Undo, "p", "t".into()).unwrap();
        }
        prop_assert_eq!(&h.current().bitext, &base.bitext);
    }
}
