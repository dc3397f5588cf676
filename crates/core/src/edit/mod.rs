//! The edit log: a reviser's corrections and decisions as data, applied by pure functions.
//!
//! A [`Review`] is a bitext (see [`crate::Bitext`]) with what a person decided about it: which
//! beads are approved, which findings are confirmed, dismissed or fixed, and which sentences'
//! text was corrected (in the memory only; the clean documents keep their text). An [`Op`] is
//! one action (merge, split, move, no counterpart, correct, confirm, dismiss, fix, approve,
//! undo, redo); [`apply`] turns a review and an op into the next review, or refuses the op
//! with the field at fault ([`Rejected`]) and changes nothing. Every op keeps the bitext's
//! invariants: beads are monotone and every sentence of both sides is in exactly one bead.
//!
//! [`History`] adds undo and redo over a list of ops; [`log`] keeps them in the run folder's
//! append-only `edits.jsonl` (one line per action, fsync'd before it is acknowledged);
//! [`run_dir`] loads a run folder with its log replayed, which is what `export`, `check`,
//! `index add` and the review server read. [`request`] holds the JSON types of the review
//! server's API, shared with it.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::{Bead, Bitext, Finding, Lang};

pub mod diff;
mod history;
pub mod log;
pub mod request;
pub mod run_dir;
#[cfg(test)]
mod tests;

pub use history::{BeadRef, FindingKey, History, LogEntry, Stale};

/// One action of a reviser, as sent to the API and stored in `edits.jsonl`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    /// Merge consecutive beads (at least two) into one.
    Merge {
        /// The beads' indices, ascending and consecutive.
        beads: Vec<usize>,
    },
    /// Split a bead in two: the first `at[lang]` sentences of each side stay in the first part.
    Split {
        /// The bead's index.
        bead: usize,
        /// Per language, how many of the bead's sentences go to the first part.
        at: BTreeMap<Lang, usize>,
    },
    /// Move one sentence of one side to the neighbouring bead: the side's first sentence to
    /// the end of the previous bead, or its last sentence to the start of the next one.
    Move {
        /// The bead's index.
        bead: usize,
        /// The side whose sentence moves.
        lang: Lang,
        /// Where it goes.
        to: Direction,
    },
    /// Mark a bead's two sides as having no counterpart in each other: the bead becomes a
    /// source-only bead (n:0) followed by a target-only bead (0:m).
    NoCounterpart {
        /// The bead's index.
        bead: usize,
    },
    /// Correct a sentence's text in the memory (the clean documents keep the original).
    Correct {
        /// The side.
        lang: Lang,
        /// Index of the sentence in that side's sentences.
        sentence: usize,
        /// The corrected text.
        text: String,
    },
    /// Confirm a finding: a real defect, still to be fixed at the source.
    Confirm {
        /// Index of the finding (in the run's `findings.jsonl`).
        finding: usize,
    },
    /// Dismiss a finding as a false alarm; it joins the run's ignore list.
    Dismiss {
        /// Index of the finding.
        finding: usize,
        /// Why it is a false alarm.
        reason: String,
    },
    /// Mark a finding as fixed.
    Fix {
        /// Index of the finding.
        finding: usize,
    },
    /// Approve beads (one, or a whole section's).
    Approve {
        /// The beads' indices.
        beads: Vec<usize>,
    },
    /// Withdraw the approval of beads.
    Unapprove {
        /// The beads' indices.
        beads: Vec<usize>,
    },
    /// Undo the last action not yet undone.
    Undo,
    /// Redo the last undone action.
    Redo,
}

/// Where a moved sentence goes.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// To the end of the previous bead.
    Previous,
    /// To the start of the next bead.
    Next,
}

impl Op {
    /// The op's name as written in requests and in `edits.jsonl`, e.g. `merge`.
    pub fn name(&self) -> &'static str {
        match self {
            Op::Merge { .. } => "merge",
            Op::Split { .. } => "split",
            Op::Move { .. } => "move",
            Op::NoCounterpart { .. } => "no_counterpart",
            Op::Correct { .. } => "correct",
            Op::Confirm { .. } => "confirm",
            Op::Dismiss { .. } => "dismiss",
            Op::Fix { .. } => "fix",
            Op::Approve { .. } => "approve",
            Op::Unapprove { .. } => "unapprove",
            Op::Undo => "undo",
            Op::Redo => "redo",
        }
    }

    /// The finding the op decides about, if it is a decision.
    pub fn finding(&self) -> Option<usize> {
        match self {
            Op::Confirm { finding } | Op::Dismiss { finding, .. } | Op::Fix { finding } => {
                Some(*finding)
            }
            _ => None,
        }
    }
}

/// Why an op was refused: the request field at fault and a one-line message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct Rejected {
    /// The field of the request at fault (`beads`, `bead`, `at`, `finding`, ...).
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

impl Rejected {
    /// A refusal naming `field`.
    pub fn new(field: &str, message: impl Into<String>) -> Rejected {
        Rejected {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

/// What a reviser decided about a finding.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// A real defect.
    Confirmed,
    /// A false alarm.
    Dismissed,
    /// A real defect, now fixed.
    Fixed,
}

/// A decision about one finding.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// Confirmed, dismissed or fixed.
    pub status: Status,
    /// Why (given when dismissing).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

/// A bitext with a reviser's decisions about it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Review {
    /// The bitext, with merged/split/moved beads and corrected sentence texts.
    pub bitext: Bitext,
    /// One flag per bead of `bitext.beads`: approved by a reviser.
    pub approved: Vec<bool>,
    /// The findings about the bitext as it was aligned (their `bead` fields refer to the
    /// original beads; [`Review::findings`] gives them placed on the current beads).
    pub base_findings: Vec<Finding>,
    /// Decisions per finding index.
    pub decisions: BTreeMap<usize, Decision>,
    /// Original texts of corrected sentences: `(side, sentence index)` -> text before.
    pub originals: BTreeMap<(usize, usize), String>,
    /// Where each finding sits: `(side, sentence index)`, or `None` for the whole document.
    anchors: Vec<Option<(usize, usize)>>,
}

impl Review {
    /// A review of an aligned bitext and the findings about it (their `bead` fields refer to
    /// `bitext.beads`), with nothing decided yet.
    pub fn new(bitext: Bitext, findings: Vec<Finding>) -> Review {
        let anchors = findings.iter().map(|f| anchor(&bitext, f)).collect();
        Review {
            approved: vec![false; bitext.beads.len()],
            bitext,
            base_findings: findings,
            decisions: BTreeMap::new(),
            originals: BTreeMap::new(),
            anchors,
        }
    }

    /// The bead that now holds finding `k`, if the finding is about one bead.
    pub fn finding_bead(&self, k: usize) -> Option<usize> {
        let (side, sentence) = (*self.anchors.get(k)?)?;
        bead_of(&self.bitext.beads, side, sentence)
    }

    /// The findings placed on the current beads (their `bead` fields updated).
    pub fn findings(&self) -> Vec<Finding> {
        (0..self.base_findings.len())
            .map(|k| {
                let mut f = self.base_findings[k].clone();
                if f.bead.is_some() {
                    f.bead = self.finding_bead(k);
                }
                f
            })
            .collect()
    }

    /// The findings to carry into exports: all but the dismissed ones, on the current beads.
    pub fn findings_kept(&self) -> Vec<Finding> {
        let mut kept = self.findings();
        let mut k = 0;
        kept.retain(|_| {
            k += 1;
            self.decisions.get(&(k - 1)).map(|d| d.status) != Some(Status::Dismissed)
        });
        kept
    }

    /// Indices of the approved beads.
    pub fn approved_beads(&self) -> std::collections::BTreeSet<usize> {
        (0..self.approved.len())
            .filter(|&i| self.approved[i])
            .collect()
    }

    /// The side (0 source, 1 target) written in `lang`.
    pub fn side_of(&self, lang: Lang, field: &str) -> Result<usize, Rejected> {
        let langs = self.bitext.langs();
        langs.iter().position(|&l| l == lang).ok_or_else(|| {
            Rejected::new(
                field,
                format!(
                    "{lang} is not a language of this run ({}, {})",
                    langs[0], langs[1]
                ),
            )
        })
    }
}

/// Where a finding sits: its first highlighted sentence, else the first sentence of its bead
/// (source side first).
fn anchor(bitext: &Bitext, f: &Finding) -> Option<(usize, usize)> {
    let bead = bitext.beads.get(f.bead?)?;
    let langs = bitext.langs();
    if let Some(h) = f.highlights.first() {
        if let Some(side) = langs.iter().position(|&l| l == h.lang) {
            return Some((side, h.sentence));
        }
    }
    if !bead.src.is_empty() {
        Some((0, bead.src.start))
    } else {
        Some((1, bead.tgt.start))
    }
}

/// The bead holding sentence `sentence` of side `side` (beads are monotone and cover every
/// sentence once, so a binary search finds it).
pub fn bead_of(beads: &[Bead], side: usize, sentence: usize) -> Option<usize> {
    let range = |b: &Bead| {
        if side == 0 {
            b.src.clone()
        } else {
            b.tgt.clone()
        }
    };
    let i = beads.partition_point(|b| range(b).end <= sentence);
    (i < beads.len() && range(&beads[i]).contains(&sentence)).then_some(i)
}

/// Applies one op to a review and returns the next review; a refused op changes nothing.
/// Undo and redo are not ops on a review: [`History`] handles them.
pub fn apply(review: &Review, op: &Op) -> Result<Review, Rejected> {
    let mut next = review.clone();
    apply_in_place(&mut next, op)?;
    Ok(next)
}

/// [`apply`] on a review owned by the caller: every check is made before the first change, so
/// a refused op leaves `review` as it was.
pub fn apply_in_place(review: &mut Review, op: &Op) -> Result<(), Rejected> {
    match op {
        Op::Merge { beads } => merge(review, beads),
        Op::Split { bead, at } => split(review, *bead, at),
        Op::Move { bead, lang, to } => move_sentence(review, *bead, *lang, *to),
        Op::NoCounterpart { bead } => no_counterpart(review, *bead),
        Op::Correct {
            lang,
            sentence,
            text,
        } => correct(review, *lang, *sentence, text),
        Op::Confirm { finding } => decide(review, *finding, Status::Confirmed, ""),
        Op::Dismiss { finding, reason } => {
            if reason.trim().is_empty() {
                return Err(Rejected::new(
                    "reason",
                    "say why the finding is a false alarm",
                ));
            }
            decide(review, *finding, Status::Dismissed, reason.trim())
        }
        Op::Fix { finding } => decide(review, *finding, Status::Fixed, ""),
        Op::Approve { beads } => approve(review, beads, true),
        Op::Unapprove { beads } => approve(review, beads, false),
        Op::Undo | Op::Redo => Err(Rejected::new(
            "op",
            "undo and redo apply to a history, not to one review",
        )),
    }
}

fn check_bead(review: &Review, field: &str, bead: usize) -> Result<(), Rejected> {
    let n = review.bitext.beads.len();
    if bead >= n {
        return Err(Rejected::new(
            field,
            format!("no bead {bead} (there are {n}, numbered from 0)"),
        ));
    }
    Ok(())
}

/// Replaces beads `range` by `new` (all unapproved; a person made them: score 1).
fn replace(review: &mut Review, range: Range<usize>, new: Vec<Bead>) {
    let flags = vec![false; new.len()];
    review.bitext.beads.splice(range.clone(), new);
    review.approved.splice(range, flags);
}

fn merge(review: &mut Review, beads: &[usize]) -> Result<(), Rejected> {
    if beads.len() < 2 {
        return Err(Rejected::new("beads", "give at least two beads to merge"));
    }
    for &b in beads {
        check_bead(review, "beads", b)?;
    }
    if beads.windows(2).any(|w| w[1] != w[0] + 1) {
        return Err(Rejected::new(
            "beads",
            "beads to merge must be consecutive, in ascending order",
        ));
    }
    let (first, last) = (beads[0], beads[beads.len() - 1]);
    let all = &review.bitext.beads;
    let merged = Bead::new(
        all[first].src.start..all[last].src.end,
        all[first].tgt.start..all[last].tgt.end,
        1.0,
    );
    replace(review, first..last + 1, vec![merged]);
    Ok(())
}

fn split(review: &mut Review, bead: usize, at: &BTreeMap<Lang, usize>) -> Result<(), Rejected> {
    check_bead(review, "bead", bead)?;
    let langs = review.bitext.langs();
    if let Some(other) = at.keys().find(|l| !langs.contains(l)) {
        return Err(Rejected::new(
            "at",
            format!("{other} is not a language of this run"),
        ));
    }
    let b = review.bitext.beads[bead].clone();
    let mut cut = [0usize; 2];
    for (side, range) in [&b.src, &b.tgt].into_iter().enumerate() {
        let k = *at.get(&langs[side]).ok_or_else(|| {
            Rejected::new(
                "at",
                format!("give a count for {} (0 to {})", langs[side], range.len()),
            )
        })?;
        if k > range.len() {
            return Err(Rejected::new(
                "at",
                format!(
                    "{}: {k} is more than the bead's {} sentences",
                    langs[side],
                    range.len()
                ),
            ));
        }
        cut[side] = range.start + k;
    }
    let first = Bead::new(b.src.start..cut[0], b.tgt.start..cut[1], 1.0);
    let second = Bead::new(cut[0]..b.src.end, cut[1]..b.tgt.end, 1.0);
    if is_empty(&first) || is_empty(&second) {
        return Err(Rejected::new(
            "at",
            "both parts of a split must hold a sentence",
        ));
    }
    replace(review, bead..bead + 1, vec![first, second]);
    Ok(())
}

fn is_empty(b: &Bead) -> bool {
    b.src.is_empty() && b.tgt.is_empty()
}

fn move_sentence(
    review: &mut Review,
    bead: usize,
    lang: Lang,
    to: Direction,
) -> Result<(), Rejected> {
    check_bead(review, "bead", bead)?;
    let side = review.side_of(lang, "lang")?;
    let n = review.bitext.beads.len();
    let neighbour = match to {
        Direction::Previous if bead > 0 => bead - 1,
        Direction::Next if bead + 1 < n => bead + 1,
        _ => {
            return Err(Rejected::new(
                "to",
                "there is no bead on that side to move to",
            ))
        }
    };
    let pick = |b: &Bead| {
        if side == 0 {
            b.src.clone()
        } else {
            b.tgt.clone()
        }
    };
    if pick(&review.bitext.beads[bead]).is_empty() {
        return Err(Rejected::new(
            "lang",
            format!("bead {bead} has no {lang} sentence"),
        ));
    }
    let (mut this, mut other) = (
        review.bitext.beads[bead].clone(),
        review.bitext.beads[neighbour].clone(),
    );
    let (r, o) = if side == 0 {
        (&mut this.src, &mut other.src)
    } else {
        (&mut this.tgt, &mut other.tgt)
    };
    match to {
        Direction::Previous => {
            r.start += 1;
            o.end += 1;
        }
        Direction::Next => {
            r.end -= 1;
            o.start -= 1;
        }
    }
    this.score = 1.0;
    other.score = 1.0;
    let lo = bead.min(neighbour);
    let mut pair = if to == Direction::Previous {
        vec![other, this]
    } else {
        vec![this, other]
    };
    pair.retain(|b| !is_empty(b));
    replace(review, lo..lo + 2, pair);
    Ok(())
}

fn no_counterpart(review: &mut Review, bead: usize) -> Result<(), Rejected> {
    check_bead(review, "bead", bead)?;
    let b = review.bitext.beads[bead].clone();
    if b.src.is_empty() || b.tgt.is_empty() {
        return Err(Rejected::new(
            "bead",
            format!(
                "bead {bead} already has one side empty ({})",
                b.shape_label()
            ),
        ));
    }
    let source_only = Bead::new(b.src.clone(), b.tgt.start..b.tgt.start, 1.0);
    let target_only = Bead::new(b.src.end..b.src.end, b.tgt.clone(), 1.0);
    replace(review, bead..bead + 1, vec![source_only, target_only]);
    Ok(())
}

/// The longest corrected text accepted, in bytes.
pub const MAX_TEXT_BYTES: usize = 8 * 1024;

fn correct(review: &mut Review, lang: Lang, sentence: usize, text: &str) -> Result<(), Rejected> {
    let side = review.side_of(lang, "lang")?;
    let doc = if side == 0 {
        &mut review.bitext.src
    } else {
        &mut review.bitext.tgt
    };
    let count = doc.sentences.len();
    let Some(s) = doc.sentences.get_mut(sentence) else {
        return Err(Rejected::new(
            "sentence",
            format!("no {lang} sentence {sentence} (there are {count})"),
        ));
    };
    let text = text.trim();
    if text.is_empty() || text.len() > MAX_TEXT_BYTES || text.contains(['\n', '\r']) {
        return Err(Rejected::new(
            "text",
            format!("give one line of text, 1 to {MAX_TEXT_BYTES} bytes"),
        ));
    }
    if text == s.text {
        return Err(Rejected::new("text", "the text is unchanged"));
    }
    let old = std::mem::replace(&mut s.text, text.to_owned());
    let original = review.originals.entry((side, sentence)).or_insert(old);
    if *original == text {
        review.originals.remove(&(side, sentence));
    }
    if let Some(b) = bead_of(&review.bitext.beads, side, sentence) {
        review.approved[b] = false;
    }
    Ok(())
}

fn decide(
    review: &mut Review,
    finding: usize,
    status: Status,
    reason: &str,
) -> Result<(), Rejected> {
    let n = review.base_findings.len();
    if finding >= n {
        return Err(Rejected::new(
            "finding",
            format!("no finding {finding} (there are {n}, numbered from 0)"),
        ));
    }
    let decision = Decision {
        status,
        reason: reason.to_owned(),
    };
    if review.decisions.get(&finding) == Some(&decision) {
        return Err(Rejected::new(
            "finding",
            format!("finding {finding} is already so"),
        ));
    }
    review.decisions.insert(finding, decision);
    Ok(())
}

fn approve(review: &mut Review, beads: &[usize], on: bool) -> Result<(), Rejected> {
    if beads.is_empty() {
        return Err(Rejected::new("beads", "give at least one bead"));
    }
    for &b in beads {
        check_bead(review, "beads", b)?;
    }
    for &b in beads {
        review.approved[b] = on;
    }
    Ok(())
}

/// Checks the bitext invariants: beads monotone, every sentence of both sides in exactly one
/// bead, no empty bead. Returns the first violation.
pub fn check_invariants(review: &Review) -> Result<(), String> {
    let b = &review.bitext;
    let mut at = [0usize; 2];
    for (i, bead) in b.beads.iter().enumerate() {
        if is_empty(bead) {
            return Err(format!("bead {i} is empty"));
        }
        if bead.src.start != at[0] || bead.tgt.start != at[1] {
            return Err(format!(
                "bead {i} does not follow bead {}",
                i.wrapping_sub(1)
            ));
        }
        at = [bead.src.end, bead.tgt.end];
    }
    if at != [b.src.sentences.len(), b.tgt.sentences.len()] {
        return Err(format!("beads end at {at:?}, not at the last sentences"));
    }
    if review.approved.len() != b.beads.len() {
        return Err("approval flags do not match the beads".into());
    }
    Ok(())
}

/// The most beads one request may name (a section's approval included).
pub const MAX_BEADS_PER_OP: usize = 10_000;

/// The section of each sentence bead: the index of the nearest source heading block at or
/// before its first source sentence; a bead without a source side stays in the section of
/// the bead before it.
pub fn sections(bitext: &Bitext) -> Vec<Option<usize>> {
    let mut heading = None;
    let section_of_block: Vec<Option<usize>> = bitext
        .src
        .blocks
        .iter()
        .enumerate()
        .map(|(i, b)| {
            if b.kind == crate::BlockKind::Heading {
                heading = Some(i);
            }
            heading
        })
        .collect();
    let mut current = None;
    bitext
        .beads
        .iter()
        .map(|bead| {
            if let Some(s) = bitext
                .src
                .sentences
                .get(bead.src.start)
                .filter(|_| !bead.src.is_empty())
            {
                current = section_of_block.get(s.block_index).copied().flatten();
            }
            current
        })
        .collect()
}
