//! Grammar: agreement, fixed expressions, verb forms and confusions inside one language
//! version, found by outside programs run as separate processes (never linked: both are
//! GPL-3), each started once per run over the whole document:
//!
//! - French: Grammalecte (Debian `grammalecte-cli`), see [`grammalecte`];
//! - Dutch: rules over the tags of the Frog tagger (Debian `frog` + `frogdata`), see
//!   [`frog`] for the tagger and [`rules_nl`] for the rules.
//!
//! A checker is anything implementing [`GrammarChecker`], so the filtering and reporting here
//! are tested without the programs. What official texts make checkers say wrongly (verbless
//! headings, acronyms whose gender a checker guesses, quoted titles) is filtered by rule and
//! block kind in [`keep`], never by string. A language without a checker is skipped with a note.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::context::{Context, FindingBuilder};
use super::text::{is_acronym, is_capitalised};
use crate::{BlockKind, Document, Finding, Lang};

pub mod frog;
pub mod frog_server;
pub mod grammalecte;
pub mod rules_nl;

/// One problem an outside checker found in one paragraph (here: one sentence).
#[derive(Clone, Debug, PartialEq)]
pub struct GrammarIssue {
    /// Index of the paragraph in the list given to [`GrammarChecker::check`].
    pub paragraph: usize,
    /// Byte ranges in the paragraph that the issue points at (one or more words).
    pub spans: Vec<[usize; 2]>,
    /// The checker's rule id (e.g. Grammalecte's `g3__gn_leur_1m__b2_a1_1`).
    pub rule: String,
    /// The rule's family as the checker names it (Grammalecte's `gn`, `loc`, `conj` ...).
    pub family: String,
    /// The checker's explanation.
    pub message: String,
    /// Suggested replacements, best first.
    pub suggestions: Vec<String>,
}

/// An outside grammar checker for one or more languages.
pub trait GrammarChecker: Send + Sync {
    /// A short name for notes and messages (`Grammalecte`, `Frog`).
    fn name(&self) -> &str;
    /// Checks the paragraphs of one language version in one go (one process start).
    fn check(&self, lang: Lang, paragraphs: &[&str]) -> Result<Vec<GrammarIssue>, String>;
}

/// The groups of rules a reviser of official texts wants, by checker family name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Family {
    /// Gender and number agreement, past participles.
    Agreement,
    /// Fixed expressions and pleonasms (`entre autres`).
    Expression,
    /// Verb forms and moods: conjugation, infinitive, imperative, subjunctive.
    Verb,
    /// Confusions between words (`a`/`à`, `ce`/`se`), elisions, impossible dates.
    Confusion,
    /// Compounds written apart (Dutch `Benelux-Slovenië bijeenkomst`).
    Compound,
    /// A foreign word in place of a function word of the language.
    Foreign,
    /// Typography: apostrophes, spaces, non-breaking spaces, capitals, ordinal superscripts.
    Typography,
}

impl Family {
    /// The family of a checker's family name; `None` for the ones never reported (style).
    pub fn of(name: &str) -> Option<Family> {
        Some(match name {
            "gn" | "ppas" | "agreement" => Family::Agreement,
            "loc" | "pleo" | "expression" => Family::Expression,
            "conj" | "vmode" | "infi" | "imp" | "inte" | "verb" => Family::Verb,
            "conf" | "eleu" | "date" | "confusion" => Family::Confusion,
            "compound" => Family::Compound,
            "foreign" => Family::Foreign,
            "apos" | "typo" | "nbsp" | "esp" | "unit" | "num" | "maj" | "minis" | "nf" | "eepi"
            | "tu" | "liga" | "typography" => Family::Typography,
            _ => return None,
        })
    }
}

/// The grammar checkers of a run and what they report.
#[derive(Clone, Default)]
pub struct GrammarOptions {
    /// One checker per language.
    pub checkers: BTreeMap<Lang, Arc<dyn GrammarChecker>>,
    /// Report typography too (apostrophes, spaces, ordinal superscripts); off by default.
    pub typography: bool,
    /// Why a language has no checker, per language (for the note).
    pub missing: BTreeMap<Lang, String>,
}

impl GrammarOptions {
    /// The programs found on this system: Grammalecte for French, Frog for Dutch.
    pub fn system(typography: bool) -> GrammarOptions {
        let mut o = GrammarOptions {
            typography,
            ..GrammarOptions::default()
        };
        match grammalecte::Grammalecte::find(typography) {
            Some(g) => {
                o.checkers.insert(Lang::FR, Arc::new(g));
            }
            None => {
                o.missing.insert(Lang::FR, grammalecte::MISSING.to_owned());
            }
        }
        match frog::Frog::find() {
            Some(f) => {
                o.checkers
                    .insert(Lang::NL, Arc::new(rules_nl::DutchRules::new(f)));
            }
            None => {
                o.missing.insert(Lang::NL, frog::MISSING.to_owned());
            }
        }
        o
    }
}

/// Runs each side's checker once over the whole side (the two programs at the same time) and
/// reports what it keeps.
pub fn run(ctx: &Context, out: &mut Vec<Finding>) {
    let found: Vec<Vec<Finding>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..2)
            .map(|side| scope.spawn(move || check_side(ctx, side)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    out.extend(found.into_iter().flatten());
}

/// One side: its checker over all its sentences, or a note saying why not.
fn check_side(ctx: &Context, side: usize) -> Vec<Finding> {
    let grammar = &ctx.options.grammar;
    let lang = ctx.langs()[side];
    let mut out = Vec::new();
    let Some(checker) = grammar.checkers.get(&lang) else {
        let why = grammar
            .missing
            .get(&lang)
            .cloned()
            .unwrap_or_else(|| format!("no grammar checker for {}", lang.english_name()));
        ctx.note(format!("grammar: {why}; {lang} not checked"));
        return out;
    };
    let doc = if side == 0 {
        &ctx.bitext.src
    } else {
        &ctx.bitext.tgt
    };
    // The checker reads `PARTIE Il` as the numeral it is, not the pronoun `Il`.
    let read: Vec<_> = doc
        .sentences
        .iter()
        .map(|s| super::text::with_ocr_numerals_read(&s.text))
        .collect();
    let paragraphs: Vec<&str> = read.iter().map(|s| s.as_ref()).collect();
    let start = std::time::Instant::now();
    let checked = checker.check(lang, &paragraphs);
    let stage = format!("grammar {lang} ({})", checker.name());
    ctx.record_time(stage, start.elapsed().as_secs_f64());
    match checked {
        Ok(issues) => report(ctx, side, doc, issues, &mut out),
        Err(e) => ctx.note(format!(
            "grammar: {} failed: {e}; {lang} not checked",
            checker.name()
        )),
    }
    out
}

fn report(
    ctx: &Context,
    side: usize,
    doc: &Document,
    issues: Vec<GrammarIssue>,
    out: &mut Vec<Finding>,
) {
    let typography = ctx.options.grammar.typography;
    for issue in issues {
        let Some(sentence) = doc.sentences.get(issue.paragraph) else {
            continue;
        };
        let kind = doc
            .blocks
            .get(sentence.block_index)
            .map(|b| b.kind)
            .unwrap_or(BlockKind::Paragraph);
        if !keep(&issue, &sentence.text, kind, typography) {
            continue;
        }
        let Some(bead) = ctx.bead_of(side, issue.paragraph) else {
            continue;
        };
        let side_text = &ctx.beads[bead].sides[side];
        let Some(offset) = side_text.offset_of(issue.paragraph) else {
            continue;
        };
        let mut f = FindingBuilder::new(Some(bead), issue.message.clone()).lang(side_text.lang);
        for [s, e] in &issue.spans {
            f = f.mark(side_text, offset + s, offset + e);
        }
        let mut finding = f.suggestions(issue.suggestions.clone()).build();
        finding.rule = Some(issue.rule.clone());
        out.push(finding);
    }
}

/// Whether an issue is worth a reviser's time: its family is reported, and it is not one of
/// the kinds official texts make checkers get wrong (measured on the reference report):
/// agreement across a verbless heading (Grammalecte's sentence-start rules read
/// `Niveau hauts fonctionnaires` as a noun group), agreement with an acronym (whose gender and
/// number a checker guesses: `les Directeurs UE adjoints`), a singular adjective coordinated
/// after a plural noun (distributive: `aux niveaux ministériel et ...`), and anything inside
/// quotes (a quoted title keeps its own wording).
pub fn keep(issue: &GrammarIssue, sentence: &str, kind: BlockKind, typography: bool) -> bool {
    let Some(family) = Family::of(&issue.family) else {
        return false;
    };
    if family == Family::Typography && !typography {
        return false;
    }
    let texts: Vec<&str> = issue
        .spans
        .iter()
        .filter_map(|&[s, e]| sentence.get(s..e))
        .collect();
    if texts.len() != issue.spans.len() {
        return false;
    }
    let verbless = matches!(kind, BlockKind::Title | BlockKind::Heading);
    if family == Family::Agreement {
        if verbless && issue.rule.contains("_start_") {
            return false;
        }
        if texts.iter().any(|t| is_acronym(t)) {
            return false;
        }
        if distributive(issue, sentence) || coded_label(issue, &texts) {
            return false;
        }
    }
    !issue.spans.iter().any(|&[s, _]| inside_quotes(sentence, s))
}

/// A singular adjective coordinated with another modifier after a plural noun is distributive
/// and correct in French (`aux niveaux ministériel et des hauts fonctionnaires`, `les langues
/// française et allemande`): one word flagged, followed by `et`.
fn distributive(issue: &GrammarIssue, sentence: &str) -> bool {
    let [[_, end]] = issue.spans[..] else {
        return false;
    };
    sentence[end..].starts_with(" et ")
}

/// A number before a capitalised word asks no plural: it is a code and its label (`10487
/// Espagnol`, `2425 Informatique`, the rows of a table read as text), not a count of things.
fn coded_label(issue: &GrammarIssue, texts: &[&str]) -> bool {
    issue.rule.contains("nombre_chiffres") && texts.iter().all(|t| is_capitalised(t))
}

/// Whether byte `at` lies between an opening and a closing quotation mark.
fn inside_quotes(text: &str, at: usize) -> bool {
    let before = &text[..at];
    let guillemets = before.matches('«').count() > before.matches('»').count();
    let curly = before.matches('“').count() > before.matches('”').count();
    let straight = before.matches('"').count() % 2 == 1;
    guillemets || curly || straight
}

/// Converts a character offset of `text` to a byte offset (clamped to the end).
pub(crate) fn char_to_byte(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map(|(i, _)| i)
        .unwrap_or(text.len())
}

#[cfg(test)]
mod tests;
