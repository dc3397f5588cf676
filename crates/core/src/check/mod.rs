//! Check: compares the two sides of each sentence bead and reports [`Finding`]s.
//!
//! Each check lives in its own file and carries its own positive and negative examples
//! (`EXAMPLES`), which one shared test runs. The checks:
//!
//! | check | what it finds | default severity |
//! |---|---|---|
//! | `numbers` | a number on one side only, after locale normalisation | error |
//! | `ordinals` | an ordinal on one side, a bare cardinal on the other (`30e` / `30`) | warning |
//! | `dates` | a date on one side only, after normalising month names and ordinals | error |
//! | `references` | document symbols and legal references that do not match | error |
//! | `glossary` | a glossary term or acronym whose counterpart is missing | warning |
//! | `expansion` | an acronym expanded differently from the glossary | warning |
//! | `names` | a proper name on one side only or spelled differently | warning |
//! | `consistency` | the same name written two ways within one language version | warning |
//! | `omission` | a sentence with no counterpart (1:0 / 0:1 beads) | error |
//! | `unpaired` | a region of text with no counterpart on either side (not a translation), reported once | info |
//! | `length` | a length ratio outside the band calibrated on the document | warning |
//! | `untranslated` | the same text on both sides | warning |
//! | `language` | a sentence in the other language | warning |
//! | `spelling` | words unknown to the Hunspell dictionary, with suggestions | warning |
//! | `repetition` | doubled words | warning |
//! | `punctuation` | unpaired brackets or quotes | info |
//! | `debris` | extraction leftovers: markup, hyphenation, page numbers, ligatures | info |
//! | `grammar` | agreement, fixed expressions, verb forms, confusions, compounds written apart (Grammalecte for French, rules over Frog's tags for Dutch) | warning |
//!
//! Entry point: [`run_checks`] with [`CheckOptions`].

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::{Bitext, Finding, FindingCounts, Lang, Severity};
use context::Context;

mod compound;
mod consistency;
mod context;
mod dates;
mod debris;
mod glossary;
pub mod grammar;
mod ignore;
mod lang_id;
mod length;
mod names;
mod numbers;
mod omission;
mod ordinals;
mod punctuation;
mod references;
mod repetition;
pub(crate) mod spelling;
mod text;
mod untranslated;

#[cfg(test)]
mod examples;

pub use glossary::{Glossary, GlossaryEntry};
pub use grammar::{GrammarChecker, GrammarIssue, GrammarOptions};
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
        name: "unpaired",
        severity: Severity::Info,
        run: omission::run_regions,
    },
    CheckDef {
        name: "numbers",
        severity: Severity::Error,
        run: numbers::run,
    },
    CheckDef {
        name: "ordinals",
        severity: Severity::Warning,
        run: ordinals::run,
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
    CheckDef {
        name: "grammar",
        severity: Severity::Warning,
        run: grammar::run,
    },
];

/// Checks that run outside programs (started once per run): their examples are tested in one
/// batch per language by their own module, not one run per example.
#[cfg(test)]
const EXTERNAL: &[&str] = &["grammar"];

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
    /// The outside grammar checkers (Grammalecte, Frog) and whether typography is reported.
    pub grammar: GrammarOptions,
}

impl CheckOptions {
    /// The shipped glossary, the system Hunspell dictionaries and grammar checkers (typography
    /// off), no ignore list.
    pub fn standard() -> Self {
        CheckOptions {
            glossary: Glossary::shipped(),
            dictionaries: Dictionaries::system(),
            grammar: GrammarOptions::system(false),
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
    /// Wall-clock seconds per stage, by name: each check, and each language of the grammar
    /// check (`grammar nl (Frog)`). Checks run side by side, so the times overlap.
    pub stage_seconds: Vec<(String, f64)>,
}

impl CheckReport {
    /// Counts per check and severity.
    pub fn summary(&self) -> FindingCounts {
        FindingCounts::of(&self.findings)
    }

    /// The highest severity found, if any finding.
    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
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
                let start = std::time::Instant::now();
                let mut found = Vec::new();
                (c.run)(&ctx, &mut found);
                ctx.record_time(c.name.to_owned(), start.elapsed().as_secs_f64());
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
    report.stage_seconds = ctx.stage_seconds();
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
