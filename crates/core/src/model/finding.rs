//! What a check reports.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Lang;

/// How much a finding matters to a reviser.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth a look; often a matter of style.
    Info,
    /// Probably a defect.
    Warning,
    /// Almost certainly a defect (a different number, a missing sentence).
    Error,
}

impl Severity {
    /// Parses `info`, `warning` or `error`.
    pub fn parse(s: &str) -> Option<Severity> {
        match s.trim().to_ascii_lowercase().as_str() {
            "info" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }

    /// The lower-case name used in files.
    pub fn as_str(&self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Where in the text a finding points: a byte range of one sentence.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Highlight {
    /// The language side.
    pub lang: Lang,
    /// Index of the sentence in that side's [`crate::Document::sentences`].
    pub sentence: usize,
    /// Byte range `[start, end)` in the sentence text.
    pub span: [usize; 2],
}

/// One place where the two language versions disagree, or one version has a defect.
/// Findings are data, not errors.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// The check that found it, e.g. `numbers`, `spelling`.
    pub check: String,
    /// How much it matters.
    pub severity: Severity,
    /// Index of the sentence bead concerned, if the finding is about one bead.
    pub bead: Option<usize>,
    /// The language concerned, when the finding is about one side only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<Lang>,
    /// A one-line explanation for the reviser.
    pub message: String,
    /// The exact offending text per language (a word, number, name or sentence).
    pub evidence: BTreeMap<Lang, String>,
    /// Where to highlight it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub highlights: Vec<Highlight>,
    /// Suggested replacements (spelling), best first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<String>,
    /// The rule that fired, for checks made of named rules (an outside grammar checker's
    /// rule id such as Grammalecte's `g3__gn_leur_1m__b2`, or diptych's own `nl-adj-inflection`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}

/// Finding counts per check, per severity, and in total: what the command line prints after
/// a check and what the review page shows at its top.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct FindingCounts {
    /// Total number of findings.
    pub total: usize,
    /// Count per severity (`info`, `warning`, `error`).
    pub by_severity: BTreeMap<String, usize>,
    /// Count per check.
    pub by_check: BTreeMap<String, usize>,
}

impl FindingCounts {
    /// Counts the given findings.
    pub fn of(findings: &[Finding]) -> FindingCounts {
        let mut s = FindingCounts {
            total: findings.len(),
            ..FindingCounts::default()
        };
        for f in findings {
            *s.by_severity
                .entry(f.severity.as_str().to_owned())
                .or_default() += 1;
            *s.by_check.entry(f.check.clone()).or_default() += 1;
        }
        s
    }

    /// One line per check, e.g. `spelling  12`, then the total by severity.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for (check, n) in &self.by_check {
            out.push_str(&format!("{check:<13}{n:>5}\n"));
        }
        let sev: Vec<String> = self
            .by_severity
            .iter()
            .map(|(k, v)| format!("{v} {k}"))
            .collect();
        out.push_str(&format!("total{:>13} ({})\n", self.total, sev.join(", ")));
        out
    }
}
