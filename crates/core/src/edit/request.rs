//! The JSON of the review server's API: the edit request (parsed by hand so that a refusal
//! names the field at fault) and the answers, shared by the server and its tests.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Decision, Direction, History, LogEntry, Op, Rejected, Review};
use crate::{Finding, Lang};

/// A `POST /api/edits` body: an op and, optionally, the version it was made on.
#[derive(Clone, Debug, PartialEq)]
pub struct EditRequest {
    /// The action.
    pub op: Op,
    /// The version the client saw; a different current version answers 409.
    pub version: Option<u64>,
}

impl EditRequest {
    /// Parses a body such as `{"op":"merge","beads":[12,13],"version":7}`.
    pub fn parse(body: &[u8]) -> Result<EditRequest, Rejected> {
        let value: Value = serde_json::from_slice(body)
            .map_err(|e| Rejected::new("body", format!("not JSON: {e}")))?;
        let Value::Object(fields) = value else {
            return Err(Rejected::new("body", "expected a JSON object"));
        };
        let name = fields
            .get("op")
            .and_then(Value::as_str)
            .ok_or_else(|| Rejected::new("op", "give the op as a string, e.g. \"merge\""))?;
        let f = Fields(&fields);
        let (op, allowed): (Op, &[&str]) = match name {
            "merge" => (Op::Merge { beads: f.list("beads")? }, &["beads"]),
            "split" => (Op::Split { bead: f.number("bead")?, at: f.counts("at")? }, &["bead", "at"]),
            "move" => (
                Op::Move { bead: f.number("bead")?, lang: f.lang("lang")?, to: f.direction("to")? },
                &["bead", "lang", "to"],
            ),
            "no_counterpart" => (Op::NoCounterpart { bead: f.number("bead")? }, &["bead"]),
            "correct" => (
                Op::Correct {
                    lang: f.lang("lang")?,
                    sentence: f.number("sentence")?,
                    text: f.text("text")?,
                },
                &["lang", "sentence", "text"],
            ),
            "confirm" => (Op::Confirm { finding: f.number("finding")? }, &["finding"]),
            "dismiss" => (
                Op::Dismiss { finding: f.number("finding")?, reason: f.text("reason")? },
                &["finding", "reason"],
            ),
            "fix" => (Op::Fix { finding: f.number("finding")? }, &["finding"]),
            "approve" => (Op::Approve { beads: f.list("beads")? }, &["beads"]),
            "unapprove" => (Op::Unapprove { beads: f.list("beads")? }, &["beads"]),
            "undo" => (Op::Undo, &[]),
            "redo" => (Op::Redo, &[]),
            other => {
                return Err(Rejected::new(
                    "op",
                    format!("unknown op {other:?} (merge, split, move, no_counterpart, correct, confirm, dismiss, fix, approve, unapprove, undo, redo)"),
                ))
            }
        };
        if let Some(extra) = fields
            .keys()
            .find(|k| !["op", "version"].contains(&k.as_str()) && !allowed.contains(&k.as_str()))
        {
            return Err(Rejected::new(extra, format!("not a field of {name}")));
        }
        let version = match fields.get("version") {
            None | Some(Value::Null) => None,
            Some(v) => Some(
                v.as_u64()
                    .ok_or_else(|| Rejected::new("version", "expected a whole number"))?,
            ),
        };
        Ok(EditRequest { op, version })
    }
}

/// Typed access to the fields of a request, each refusal naming its field.
struct Fields<'a>(&'a Map<String, Value>);

impl Fields<'_> {
    fn get(&self, name: &str) -> Result<&Value, Rejected> {
        self.0
            .get(name)
            .ok_or_else(|| Rejected::new(name, "missing"))
    }

    fn number(&self, name: &str) -> Result<usize, Rejected> {
        as_index(self.get(name)?).ok_or_else(|| Rejected::new(name, "expected a whole number"))
    }

    fn list(&self, name: &str) -> Result<Vec<usize>, Rejected> {
        let bad = || Rejected::new(name, "expected a list of whole numbers");
        let items = self.get(name)?.as_array().ok_or_else(bad)?;
        if items.len() > super::MAX_BEADS_PER_OP {
            return Err(Rejected::new(
                name,
                format!("at most {} beads at once", super::MAX_BEADS_PER_OP),
            ));
        }
        items.iter().map(|v| as_index(v).ok_or_else(bad)).collect()
    }

    fn text(&self, name: &str) -> Result<String, Rejected> {
        self.get(name)?
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| Rejected::new(name, "expected a string"))
    }

    fn lang(&self, name: &str) -> Result<Lang, Rejected> {
        let code = self.text(name)?;
        Lang::parse(&code).map_err(|e| Rejected::new(name, e.to_string()))
    }

    fn direction(&self, name: &str) -> Result<Direction, Rejected> {
        match self.text(name)?.as_str() {
            "previous" => Ok(Direction::Previous),
            "next" => Ok(Direction::Next),
            other => Err(Rejected::new(
                name,
                format!("{other:?}: expected \"previous\" or \"next\""),
            )),
        }
    }

    fn counts(&self, name: &str) -> Result<BTreeMap<Lang, usize>, Rejected> {
        let bad = || {
            Rejected::new(
                name,
                "expected counts per language, e.g. {\"nl\":1,\"fr\":1}",
            )
        };
        let map = self.get(name)?.as_object().ok_or_else(bad)?;
        map.iter()
            .map(|(code, v)| {
                let lang = Lang::parse(code).map_err(|e| Rejected::new(name, e.to_string()))?;
                Ok((lang, as_index(v).ok_or_else(bad)?))
            })
            .collect()
    }
}

fn as_index(v: &Value) -> Option<usize> {
    v.as_u64().and_then(|n| usize::try_from(n).ok())
}

/// The answer to `GET /api/beads`: the current beads and findings, with the version.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BeadsView {
    /// The document's name.
    pub name: String,
    /// Source and target language.
    pub langs: [Lang; 2],
    /// The version: send it back with an edit.
    pub version: u64,
    /// How many beads are approved.
    pub approved: usize,
    /// How many beads there are.
    pub total: usize,
    /// Whether an undo / a redo is possible.
    pub can_undo: bool,
    /// Whether a redo is possible.
    pub can_redo: bool,
    /// The beads in order.
    pub beads: Vec<BeadView>,
    /// The findings, with their current bead and any decision.
    pub findings: Vec<FindingView>,
}

/// One bead in [`BeadsView`].
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BeadView {
    /// Its index (what the edit bodies name).
    pub index: usize,
    /// Its shape, e.g. `2:1`.
    pub shape: String,
    /// The aligner's score (1 for a bead a person made).
    pub score: f32,
    /// Approved by a reviser.
    pub approved: bool,
    /// Index of the source heading block of its section, if any.
    pub section: Option<usize>,
    /// The sentences of each side.
    pub sides: BTreeMap<Lang, Vec<SentenceView>>,
    /// Indices of the findings about it.
    pub findings: Vec<usize>,
}

/// One sentence in a [`BeadView`].
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SentenceView {
    /// Index in its side's sentences (what `correct` names).
    pub index: usize,
    /// Its id, e.g. `nl-s12`.
    pub id: String,
    /// Its text (corrected, if it was).
    pub text: String,
    /// The text before correction, when it was corrected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original: Option<String>,
}

/// One finding in [`BeadsView`].
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FindingView {
    /// Its index (what the decision bodies name).
    pub index: usize,
    /// The finding, its `bead` the current one.
    #[serde(flatten)]
    pub finding: Finding,
    /// What a reviser decided, if anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<Decision>,
}

/// The answer to an accepted `POST /api/edits`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditAnswer {
    /// The new version.
    pub version: u64,
    /// The log line written.
    pub entry: LogEntry,
}

impl BeadsView {
    /// The view of a history's current review.
    pub fn of(history: &History) -> BeadsView {
        let review = history.current();
        let (can_undo, can_redo) = history.can_undo_redo();
        let findings = review.findings();
        let mut by_bead: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (k, f) in findings.iter().enumerate() {
            if let Some(b) = f.bead {
                by_bead.entry(b).or_default().push(k);
            }
        }
        let sections = super::sections(&review.bitext);
        let beads = review
            .bitext
            .beads
            .iter()
            .enumerate()
            .map(|(i, bead)| BeadView {
                index: i,
                shape: bead.shape_label(),
                score: bead.score,
                approved: review.approved[i],
                section: sections[i],
                sides: sentence_views(review, bead),
                findings: by_bead.remove(&i).unwrap_or_default(),
            })
            .collect();
        BeadsView {
            name: review.bitext.name.clone(),
            langs: review.bitext.langs(),
            version: history.version(),
            approved: review.approved.iter().filter(|a| **a).count(),
            total: review.approved.len(),
            can_undo,
            can_redo,
            beads,
            findings: findings
                .into_iter()
                .enumerate()
                .map(|(index, finding)| FindingView {
                    index,
                    finding,
                    decision: review.decisions.get(&index).cloned(),
                })
                .collect(),
        }
    }
}

fn sentence_views(review: &Review, bead: &crate::Bead) -> BTreeMap<Lang, Vec<SentenceView>> {
    let b = &review.bitext;
    let langs = b.langs();
    [(0, &b.src, &bead.src), (1, &b.tgt, &bead.tgt)]
        .into_iter()
        .map(|(side, doc, range)| {
            let views = range
                .clone()
                .filter_map(|i| {
                    let s = doc.sentences.get(i)?;
                    Some(SentenceView {
                        index: i,
                        id: s.id.clone(),
                        text: s.text.clone(),
                        original: review.originals.get(&(side, i)).cloned(),
                    })
                })
                .collect();
            (langs[side], views)
        })
        .collect()
}
