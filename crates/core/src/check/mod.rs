//! Check: compares the two sides of each sentence bead and reports [`Finding`]s.
//!
//! Each check lives in its own file and carries its own positive and negative examples
//! (`EXAMPLES`), which one shared test runs. The checks:
//!
//! | check | what it finds | default severity |
//! |---|---|---|
//! | `numbers` | a number on one side only, after locale normalisation | error |
//! | `dates` | a date on one side only, after normalising month names and ordinals | error |
//! | `references` | document symbols and legal references that do not match | error |
//! | `glossary` | a glossary term or acronym whose counterpart is missing | warning |
//! | `expansion` | an acronym expanded differently from the glossary | warning |
//! | `names` | a proper name on one side only or spelled differently | warning |
//! | `consistency` | the same name written two ways within one language version | warning |
//! | `omission` | a sentence with no counterpart (1:0 / 0:1 beads) | error |
//! | `length` | a length ratio outside the band calibrated on the document | warning |
//! | `untranslated` | the same text on both sides | warning |
//! | `language` | a sentence in the other language | warning |
//! | `spelling` | words unknown to the Hunspell dictionary, with suggestions | warning |
//! | `repetition` | doubled words | warning |
//! | `punctuation` | unpaired brackets or quotes | info |
//! | `debris` | extraction leftovers: markup, hyphenation, page numbers, ligatures | info |
//!
//! Entry point: [`run_checks`] with [`CheckOptions`].

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::{Bitext, Finding, Lang, Severity};
use context::Context;

mod consistency;
mod context;
mod dates;
mod debris;
mod glossary;
mod ignore;
mod lang_id;
mod length;
mod names;
mod numbers;
mod omission;
mod punctuation;
mod references;
mod repetition;
pub(crate) mod spelling;
mod text;
mod untranslated;

#[cfg(test)]
mod examples;

pub use glossary::{Glossary, GlossaryEntry};
pub use ignore::IgnoreList;
pub use spelling::Dictionaries;

/// One check: its name, default severity and the function that runs it.
struct CheckDef {
    name: &'static str,
    severity: Severity,
    run: fn(&Context, &mut Vec<Finding>),
}

/// Every check, in the order findings are reported.
const CHECKS: &[CheckDef] = &[
    CheckDef {
        name: "omission",
        severity: Severity::Error,
        run: omission::run,
    },
    CheckDef {
        name: "numbers",
        severity: Severity::Error,
        run: numbers::run,
    },
    CheckDef {
        name: "dates",
        severity: Severity::Error,
        run: dates::run,
    },
    CheckDef {
        name: "references",
        severity: Severity::Error,
        run: references::run,
    },
    CheckDef {
        name: "glossary",
        severity: Severity::Warning,
        run: glossary::run,
    },
    CheckDef {
        name: "expansion",
        severity: Severity::Warning,
        run: glossary::run_expansion,
    },
    CheckDef {
        name: "names",
        severity: Severity::Warning,
        run: names::run,
    },
    CheckDef {
        name: "consistency",
        severity: Severity::Warning,
        run: consistency::run,
    },
    CheckDef {
        name: "length",
        severity: Severity::Warning,
        run: length::run,
    },
    CheckDef {
        name: "untranslated",
        severity: Severity::Warning,
        run: untranslated::run,
    },
    CheckDef {
        name: "language",
        severity: Severity::Warning,
        run: lang_id::run,
    },
    CheckDef {
        name: "spelling",
        severity: Severity::Warning,
        run: spelling::run,
    },
    CheckDef {
        name: "repetition",
        severity: Severity::Warning,
        run: repetition::run,
    },
    CheckDef {
        name: "punctuation",
        severity: Severity::Info,
        run: punctuation::run,
    },
    CheckDef {
        name: "debris",
        severity: Severity::Info,
        run: debris::run,
    },
];

/// The names of all checks, in report order.
pub fn check_names() -> Vec<&'static str> {
    CHECKS.iter().map(|c| c.name).collect()
}

/// Findings that other stages add to the same list (the extract stage compares the activities
/// of the two versions): the ignore list may name them too.
pub const OTHER_FINDINGS: &[&str] = &["activity-agreement"];

/// The default severity of a check, if the name is known.
pub fn default_severity(check: &str) -> Option<Severity> {
    CHECKS.iter().find(|c| c.name == check).map(|c| c.severity)
}

/// What the checks need besides the bitext.
#[derive(Default)]
pub struct CheckOptions {
    /// The bilingual glossary (the shipped one plus any user files).
    pub glossary: Glossary,
    /// Findings to drop, per check.
    pub ignore: IgnoreList,
    /// Where the Hunspell dictionaries are read from.
    pub dictionaries: Dictionaries,
    /// Checks to run; empty means all.
    pub only: Vec<String>,
    /// Severity overrides per check name.
    pub severity: BTreeMap<String, Severity>,
}

impl CheckOptions {
    /// The shipped glossary, the system Hunspell dictionaries, no ignore list.
    pub fn standard() -> Self {
        CheckOptions {
            glossary: Glossary::shipped(),
            dictionaries: Dictionaries::system(),
            ..CheckOptions::default()
        }
    }

    /// Validates check names given by the user (`only`, `severity`), naming the bad one.
    pub fn validate(&self) -> crate::Result<()> {
        let known = check_names();
        for name in self.only.iter().chain(self.severity.keys()) {
            if !known.contains(&name.as_str()) {
                return Err(crate::Error::Invalid(format!(
                    "unknown check {name:?} (known: {})",
                    known.join(", ")
                )));
            }
        }
        Ok(())
    }
}

/// What the checks found, and notes on what they could not do (e.g. a missing dictionary).
#[derive(Clone, Debug, Default)]
pub struct CheckReport {
    /// Findings in bead order, then by check.
    pub findings: Vec<Finding>,
    /// Findings dropped by the ignore list.
    pub ignored: usize,
    /// Notes for the user (skipped checks and why).
    pub notes: Vec<String>,
}

impl CheckReport {
    /// Counts per check and severity.
    pub fn summary(&self) -> Summary {
        Summary::of(&self.findings)
    }

    /// The highest severity found, if any finding.
    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }
}

/// Finding counts per check, per severity, and in total.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Summary {
    /// Total number of findings.
    pub total: usize,
    /// Count per severity (`info`, `warning`, `error`).
    pub by_severity: BTreeMap<String, usize>,
    /// Count per check.
    pub by_check: BTreeMap<String, usize>,
}

impl Summary {
    /// Counts the given findings.
    pub fn of(findings: &[Finding]) -> Summary {
        let mut s = Summary {
            total: findings.len(),
            ..Summary::default()
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

/// Runs the checks over a bitext. The order of findings is deterministic: by bead (findings
/// about the whole document last), then by check order.
pub fn run_checks(bitext: &Bitext, options: &CheckOptions) -> CheckReport {
    let ctx = Context::new(bitext, options);
    let mut report = CheckReport::default();
    let selected: Vec<&CheckDef> = CHECKS
        .iter()
        .filter(|c| options.only.is_empty() || options.only.iter().any(|o| o == c.name))
        .collect();
    let per_check: Vec<Vec<Finding>> = {
        use rayon::prelude::*;
        selected
            .par_iter()
            .map(|c| {
                let mut found = Vec::new();
                (c.run)(&ctx, &mut found);
                let severity = options.severity.get(c.name).copied().unwrap_or(c.severity);
                for f in &mut found {
                    f.check = c.name.to_owned();
                    f.severity = severity;
                }
                found
            })
            .collect()
    };
    for found in per_check {
        for f in found {
            if options.ignore.matches(&f) {
                report.ignored += 1;
            } else {
                report.findings.push(f);
            }
        }
    }
    report
        .findings
        .sort_by_key(|f| f.bead.unwrap_or(usize::MAX));
    report.notes = ctx.notes();
    report
}

/// Where the Debian Hunspell dictionaries live.
pub fn system_dictionary_dir() -> PathBuf {
    PathBuf::from("/usr/share/hunspell")
}

/// The languages a bitext's checks compare, source first.
pub(crate) fn pair(bitext: &Bitext) -> [Lang; 2] {
    bitext.langs()
}

/// Writes findings as JSON Lines: one finding per line.
pub fn write_findings_jsonl(
    findings: &[Finding],
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    for f in findings {
        serde_json::to_writer(&mut *w, f)?;
        w.write_all(b"\n")?;
    }
    Ok(())
}

/// Writes `findings.jsonl` and `report.html` (with the activity timeline when given) into a
/// run folder, each atomically.
pub fn write_outputs(
    dir: &std::path::Path,
    bitext: &Bitext,
    findings: &[Finding],
    timeline_svg: Option<&str>,
) -> crate::Result<()> {
    crate::fsio::write_atomic(&dir.join("findings.jsonl"), |w| {
        write_findings_jsonl(findings, w)
    })?;
    let page = crate::report::review_page(bitext, findings, timeline_svg);
    crate::fsio::write_atomic(&dir.join("report.html"), |w| w.write_all(page.as_bytes()))
}
