//! Undo and redo over a list of ops, and the log entries that record them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{apply_in_place, bead_of, Op, Rejected, Review};
use crate::{Bead, Lang};

/// One line of `edits.jsonl`: who did what when, to which beads, on which version.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogEntry {
    /// When, as an ISO 8601 UTC time (`2026-11-29T11:04:05Z`).
    pub time: String,
    /// Who (the `--user` of `diptych review`).
    pub user: String,
    /// The version the action applied to: the number of log lines before it.
    pub version: u64,
    /// The action (its fields inline: `"op":"merge","beads":[12,13]`).
    #[serde(flatten)]
    pub op: Op,
    /// The beads concerned, as they were before.
    #[serde(default)]
    pub before: Vec<BeadRef>,
    /// The beads concerned, as they are after.
    #[serde(default)]
    pub after: Vec<BeadRef>,
    /// For a decision about a finding: which finding, by content (indices change when the
    /// checks are run again); written as `about`.
    #[serde(default, rename = "about", skip_serializing_if = "Option::is_none")]
    pub finding: Option<FindingKey>,
}

/// A bead as recorded in the log: its index, its sentence ids per language, and a
/// fingerprint of its text, so that a replay can tell whether it is still the same bead.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BeadRef {
    /// Index in the bitext's sentence beads at that time.
    pub index: usize,
    /// Sentence ids per language.
    pub ids: BTreeMap<Lang, Vec<String>>,
    /// FNV-1a hash of both sides' text, 16 hex digits.
    pub hash: String,
}

/// A finding named by content.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingKey {
    /// The check that found it.
    pub check: String,
    /// Its message.
    pub message: String,
}

/// A log line that no longer applies (after the input was run again, or the checks were).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stale {
    /// 1-based line in `edits.jsonl`.
    pub line: usize,
    /// The op's name.
    pub op: String,
    /// Why it was skipped.
    pub reason: String,
}

/// A review with its history: the aligned state, the ops done (undoable), the ops undone
/// (redoable), and the current state.
#[derive(Clone, Debug)]
pub struct History {
    base: Review,
    done: Vec<Op>,
    undone: Vec<Op>,
    current: Review,
    version: u64,
    stale: Vec<Stale>,
}

impl History {
    /// A history with nothing done yet.
    pub fn new(base: Review) -> History {
        History {
            current: base.clone(),
            base,
            done: vec![],
            undone: vec![],
            version: 0,
            stale: vec![],
        }
    }

    /// The review as it stands.
    pub fn current(&self) -> &Review {
        &self.current
    }

    /// The number of log lines so far; a request made on an older version is stale.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Log lines skipped by [`History::replay`] because they no longer apply.
    pub fn stale(&self) -> &[Stale] {
        &self.stale
    }

    /// Whether there is an action to undo / to redo.
    pub fn can_undo_redo(&self) -> (bool, bool) {
        (!self.done.is_empty(), !self.undone.is_empty())
    }

    /// Applies a new action and returns the log line that records it; a refused action
    /// changes nothing.
    pub fn record(&mut self, op: Op, user: &str, time: String) -> Result<LogEntry, Rejected> {
        let finding = op.finding().and_then(|k| {
            self.current.base_findings.get(k).map(|f| FindingKey {
                check: f.check.clone(),
                message: f.message.clone(),
            })
        });
        // What the log needs of the state before: the beads, and the refs of the beads the op
        // names (their text may change: a correction).
        let beads_before = self.current.bitext.beads.clone();
        let named = named_beads(&self.current, &op);
        let named_before = refs(&self.current, &beads_before, &named);
        self.step(op.clone())?;
        let (before, after) = match changed(&beads_before, &self.current.bitext.beads) {
            // An op that moves bead boundaries changes no text: the refs of the beads before
            // read the same sentences.
            Some((ra, rb)) => (
                refs(&self.current, &beads_before, &ra),
                refs(&self.current, &self.current.bitext.beads, &rb),
            ),
            None => (
                named_before,
                refs(&self.current, &self.current.bitext.beads, &named),
            ),
        };
        let entry = LogEntry {
            time,
            user: user.to_owned(),
            version: self.version,
            op,
            before,
            after,
            finding,
        };
        self.version += 1;
        Ok(entry)
    }

    /// Rebuilds a history from the lines of `edits.jsonl`. A line whose beads or finding are
    /// no longer there (the input or the checks were run again) is skipped and listed in
    /// [`History::stale`]; the others apply in order.
    pub fn replay(base: Review, entries: Vec<LogEntry>) -> History {
        let mut history = History::new(base);
        for (k, entry) in entries.into_iter().enumerate() {
            history.version += 1;
            let name = entry.op.name().to_owned();
            let outcome = history
                .resolve(entry)
                .and_then(|op| history.step(op).map_err(|r| r.to_string()));
            if let Err(reason) = outcome {
                history.stale.push(Stale {
                    line: k + 1,
                    op: name,
                    reason,
                });
            }
        }
        history
    }

    /// Checks that a logged action still finds its beads and finding; returns the op to apply.
    fn resolve(&self, entry: LogEntry) -> Result<Op, String> {
        for r in &entry.before {
            if self
                .current
                .bitext
                .beads
                .get(r.index)
                .map(|b| bead_ref(&self.current, r.index, b))
                != Some(r.clone())
            {
                return Err(format!("bead {} is no longer the same", r.index));
            }
        }
        let mut op = entry.op;
        if let (Some(key), Some(k)) = (&entry.finding, op.finding()) {
            let same = |i: usize| {
                self.current
                    .base_findings
                    .get(i)
                    .is_some_and(|f| f.check == key.check && f.message == key.message)
            };
            let found = if same(k) {
                k
            } else {
                (0..self.current.base_findings.len())
                    .find(|&i| same(i))
                    .ok_or_else(|| format!("finding {k} ({}) is no longer reported", key.check))?
            };
            set_finding(&mut op, found);
        }
        Ok(op)
    }

    fn step(&mut self, op: Op) -> Result<(), Rejected> {
        match op {
            Op::Undo => {
                let last = self
                    .done
                    .pop()
                    .ok_or_else(|| Rejected::new("op", "nothing to undo"))?;
                self.undone.push(last);
                self.current = rebuild(&self.base, &self.done);
            }
            Op::Redo => {
                let next = self
                    .undone
                    .last()
                    .cloned()
                    .ok_or_else(|| Rejected::new("op", "nothing to redo"))?;
                apply_in_place(&mut self.current, &next)?;
                self.undone.pop();
                self.done.push(next);
            }
            op => {
                // All-or-nothing: a refused op leaves the state as it was.
                apply_in_place(&mut self.current, &op)?;
                self.done.push(op);
                self.undone.clear();
            }
        }
        Ok(())
    }
}

fn set_finding(op: &mut Op, k: usize) {
    match op {
        Op::Confirm { finding } | Op::Dismiss { finding, .. } | Op::Fix { finding } => *finding = k,
        _ => {}
    }
}

/// Replays `done` from `base` (each op applied when recorded, so each applies again).
fn rebuild(base: &Review, done: &[Op]) -> Review {
    let mut state = base.clone();
    for op in done {
        // Each op was valid on exactly this sequence of states; a refusal cannot happen.
        let _ = apply_in_place(&mut state, op);
    }
    state
}

/// The beads that changed between two bead lists, as index lists before and after (`None`
/// when the lists are equal).
fn changed(a: &[Bead], b: &[Bead]) -> Option<(Vec<usize>, Vec<usize>)> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let max_suffix = a.len().min(b.len()) - prefix;
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(max_suffix)
        .take_while(|(x, y)| x == y)
        .count();
    let (ra, rb) = (prefix..a.len() - suffix, prefix..b.len() - suffix);
    (!ra.is_empty() || !rb.is_empty()).then(|| (ra.collect(), rb.collect()))
}

/// The log refs of beads `indices` of `beads`, read in `review`'s documents.
fn refs(review: &Review, beads: &[Bead], indices: &[usize]) -> Vec<BeadRef> {
    indices
        .iter()
        .filter_map(|&i| beads.get(i).map(|bead| bead_ref(review, i, bead)))
        .collect()
}

fn named_beads(review: &Review, op: &Op) -> Vec<usize> {
    match op {
        Op::Approve { beads } | Op::Unapprove { beads } => beads.clone(),
        Op::Correct { lang, sentence, .. } => review
            .side_of(*lang, "lang")
            .ok()
            .and_then(|side| bead_of(&review.bitext.beads, side, *sentence))
            .into_iter()
            .collect(),
        op => op
            .finding()
            .and_then(|k| review.finding_bead(k))
            .into_iter()
            .collect(),
    }
}

/// A bead as the log records it.
pub fn bead_ref(review: &Review, index: usize, bead: &Bead) -> BeadRef {
    let b = &review.bitext;
    let langs = b.langs();
    let ids = |doc: &crate::Document, r: &std::ops::Range<usize>| -> Vec<String> {
        doc.sentences
            .get(r.clone())
            .unwrap_or_default()
            .iter()
            .map(|s| s.id.clone())
            .collect()
    };
    let [x, y] = b.bead_texts(bead);
    BeadRef {
        index,
        ids: [
            (langs[0], ids(&b.src, &bead.src)),
            (langs[1], ids(&b.tgt, &bead.tgt)),
        ]
        .into(),
        hash: format!("{:016x}", fnv1a(&[x.as_bytes(), b"\t", y.as_bytes()])),
    }
}

/// FNV-1a, 64 bits: a fingerprint (not a security measure) of a bead's text.
fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &byte in *part {
            h ^= u64::from(byte);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}
