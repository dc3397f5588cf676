//! What every check reads: the bitext seen bead by bead, with each side's sentences joined
//! into one text whose byte offsets map back to sentence spans.

use std::sync::Mutex;

use super::CheckOptions;
use crate::model::Highlight;
use crate::{Bead, Bitext, Document, Finding, Lang, Severity};

/// One side of one bead: its sentences joined by a space.
#[derive(Debug)]
pub struct SideText {
    /// The side's language.
    pub lang: Lang,
    /// The joined text.
    pub text: String,
    /// For each sentence of the bead: its index in the document and its start in `text`.
    starts: Vec<(usize, usize)>,
}

impl SideText {
    fn new(doc: &Document, lang: Lang, range: std::ops::Range<usize>) -> SideText {
        let mut text = String::new();
        let mut starts = Vec::with_capacity(range.len());
        for i in range {
            if !text.is_empty() {
                text.push(' ');
            }
            starts.push((i, text.len()));
            text.push_str(&doc.sentences[i].text);
        }
        SideText { lang, text, starts }
    }

    /// Whether the side has no sentence.
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// Indices (in the document) of the side's sentences.
    pub fn sentences(&self) -> impl Iterator<Item = usize> + '_ {
        self.starts.iter().map(|&(i, _)| i)
    }

    /// The highlight for a byte range of `text` (clipped to the sentence it starts in).
    pub fn highlight(&self, start: usize, end: usize) -> Option<Highlight> {
        let k = self
            .starts
            .partition_point(|&(_, s)| s <= start)
            .checked_sub(1)?;
        let (sentence, offset) = self.starts[k];
        let sentence_end = self
            .starts
            .get(k + 1)
            .map(|&(_, s)| s - 1)
            .unwrap_or(self.text.len());
        Some(Highlight {
            lang: self.lang,
            sentence,
            span: [start - offset, end.min(sentence_end) - offset],
        })
    }
}

/// One sentence bead, both sides as text.
#[derive(Debug)]
pub struct BeadText {
    /// Index of the bead in [`Bitext::beads`].
    pub index: usize,
    /// Source side, then target side.
    pub sides: [SideText; 2],
}

/// The bitext as the checks see it, with the options and a place for notes.
pub struct Context<'a> {
    /// The bitext checked.
    pub bitext: &'a Bitext,
    /// The options of the run.
    pub options: &'a CheckOptions,
    /// Every sentence bead as text.
    pub beads: Vec<BeadText>,
    notes: Mutex<Vec<String>>,
    stage_seconds: Mutex<Vec<(String, f64)>>,
}

impl<'a> Context<'a> {
    /// Prepares the bead texts of a bitext.
    pub fn new(bitext: &'a Bitext, options: &'a CheckOptions) -> Context<'a> {
        let [sl, tl] = super::pair(bitext);
        let beads = bitext
            .beads
            .iter()
            .enumerate()
            .map(|(index, b): (usize, &Bead)| BeadText {
                index,
                sides: [
                    SideText::new(
                        &bitext.src,
                        sl,
                        clamp(b.src.clone(), bitext.src.sentences.len()),
                    ),
                    SideText::new(
                        &bitext.tgt,
                        tl,
                        clamp(b.tgt.clone(), bitext.tgt.sentences.len()),
                    ),
                ],
            })
            .collect();
        Context {
            bitext,
            options,
            beads,
            notes: Mutex::new(Vec::new()),
            stage_seconds: Mutex::new(Vec::new()),
        }
    }

    /// The two languages, source first.
    pub fn langs(&self) -> [Lang; 2] {
        super::pair(self.bitext)
    }

    /// Records a note for the user (e.g. a check skipped for want of a dictionary).
    pub fn note(&self, note: String) {
        if let Ok(mut notes) = self.notes.lock() {
            if !notes.contains(&note) {
                notes.push(note);
            }
        }
    }

    /// The notes recorded so far.
    pub fn notes(&self) -> Vec<String> {
        self.notes.lock().map(|n| n.clone()).unwrap_or_default()
    }

    /// Records how long a stage took (a check, or one language of the grammar check).
    pub fn record_time(&self, stage: String, seconds: f64) {
        if let Ok(mut times) = self.stage_seconds.lock() {
            times.push((stage, seconds));
        }
    }

    /// The stage times recorded so far, sorted by stage name.
    pub fn stage_seconds(&self) -> Vec<(String, f64)> {
        let mut times = self
            .stage_seconds
            .lock()
            .map(|t| t.clone())
            .unwrap_or_default();
        times.sort_by(|a, b| a.0.cmp(&b.0));
        times
    }

    /// Beads whose both sides hold text: the ones a comparison can judge.
    pub fn paired(&self) -> impl Iterator<Item = &BeadText> {
        self.beads
            .iter()
            .filter(|b| !b.sides[0].is_empty() && !b.sides[1].is_empty())
    }

    /// The texts of side `side` of the beads next to bead `index` (before and after), used to
    /// forgive a counterpart that the aligner put one bead away.
    pub fn neighbours(&self, index: usize, side: usize) -> [&str; 2] {
        let get = |i: Option<usize>| {
            i.and_then(|i| self.beads.get(i))
                .map(|b| b.sides[side].text.as_str())
                .unwrap_or("")
        };
        [get(index.checked_sub(1)), get(Some(index + 1))]
    }
}

fn clamp(r: std::ops::Range<usize>, len: usize) -> std::ops::Range<usize> {
    r.start.min(len)..r.end.min(len)
}

/// A value on one side of a bead (a date, a number) that found no equal on the other side.
pub struct Lost {
    start: usize,
    end: usize,
    label: String,
}

impl Lost {
    /// The value at byte range `start..end` of its side's text, named `label` in messages.
    pub fn new(start: usize, end: usize, label: String) -> Self {
        Lost { start, end, label }
    }
}

/// Reports the values of one kind (`date`, `number`) left unmatched on the two sides of a
/// bead: the k-th lost value of one side is paired with the k-th of the other ("differs"),
/// the rest are missing on the other side.
pub fn report_lost(
    kind: &str,
    bead: &BeadText,
    lost_a: &[Lost],
    lost_b: &[Lost],
    out: &mut Vec<Finding>,
) {
    let [sa, sb] = &bead.sides;
    for k in 0..lost_a.len().max(lost_b.len()) {
        let (x, y) = (lost_a.get(k), lost_b.get(k));
        let message = match (x, y) {
            (Some(x), Some(y)) => format!(
                "{kind} {} ({}) differs from {} ({})",
                x.label, sa.lang, y.label, sb.lang
            ),
            (Some(x), None) => format!(
                "{kind} {} on the {} side is missing on the {} side",
                x.label, sa.lang, sb.lang
            ),
            (None, Some(y)) => format!(
                "{kind} {} on the {} side is missing on the {} side",
                y.label, sb.lang, sa.lang
            ),
            (None, None) => continue,
        };
        let mut f = FindingBuilder::new(Some(bead.index), message);
        if let Some(x) = x {
            f = f.mark(sa, x.start, x.end);
        }
        if let Some(y) = y {
            f = f.mark(sb, y.start, y.end);
        }
        out.push(f.build());
    }
}

/// Builds a finding step by step: evidence and highlights are added per side.
pub struct FindingBuilder {
    finding: Finding,
}

impl FindingBuilder {
    /// A finding about bead `bead` with a message; check name and severity are set by the
    /// runner.
    pub fn new(bead: Option<usize>, message: impl Into<String>) -> Self {
        FindingBuilder {
            finding: Finding {
                check: String::new(),
                severity: Severity::Warning,
                bead,
                lang: None,
                message: message.into(),
                evidence: Default::default(),
                highlights: Vec::new(),
                suggestions: Vec::new(),
                rule: None,
            },
        }
    }

    /// Marks the finding as concerning one language only.
    pub fn lang(mut self, lang: Lang) -> Self {
        self.finding.lang = Some(lang);
        self
    }

    /// Adds the text at `start..end` of a side as evidence and highlight. Several pieces on
    /// one side are joined with ` | `.
    pub fn mark(mut self, side: &SideText, start: usize, end: usize) -> Self {
        let piece = &side.text[start..end];
        let entry = self.finding.evidence.entry(side.lang).or_default();
        if !entry.split(" | ").any(|p| p == piece) {
            if !entry.is_empty() {
                entry.push_str(" | ");
            }
            entry.push_str(piece);
        }
        if let Some(h) = side.highlight(start, end) {
            self.finding.highlights.push(h);
        }
        self
    }

    /// Adds evidence text for a language without a highlight (e.g. the expected counterpart).
    pub fn evidence(mut self, lang: Lang, text: impl Into<String>) -> Self {
        self.finding
            .evidence
            .entry(lang)
            .or_insert_with(|| text.into());
        self
    }

    /// Adds suggested replacements.
    pub fn suggestions(mut self, s: Vec<String>) -> Self {
        self.finding.suggestions = s;
        self
    }

    /// The finished finding.
    pub fn build(self) -> Finding {
        self.finding
    }
}

impl SideText {
    /// Start in `text` of document sentence `sentence`, if the bead holds it.
    pub fn offset_of(&self, sentence: usize) -> Option<usize> {
        self.starts
            .iter()
            .find(|&&(i, _)| i == sentence)
            .map(|&(_, s)| s)
    }
}

impl Context<'_> {
    /// The bead holding sentence `sentence` of side `side` (0 source, 1 target).
    pub fn bead_of(&self, side: usize, sentence: usize) -> Option<usize> {
        let k = self.beads.partition_point(|b| {
            let r = if side == 0 {
                &self.bitext.beads[b.index].src
            } else {
                &self.bitext.beads[b.index].tgt
            };
            r.end <= sentence
        });
        let r = self
            .bitext
            .beads
            .get(k)
            .map(|b| if side == 0 { &b.src } else { &b.tgt })?;
        r.contains(&sentence).then_some(k)
    }
}
