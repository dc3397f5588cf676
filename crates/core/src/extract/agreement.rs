//! Cross-language agreement: a date, place or partner that one language version of an activity
//! gives and the other does not.

use std::ops::Range;

use super::places::NameFound;
use super::side::{DateFound, SideRecord};
use super::{records, AGREEMENT_CHECK};
use crate::model::{Activity, Bitext, Document, Finding, Highlight, Lang, Severity};
use crate::text::{edit_distance, fold};

/// One finding per date, place or partner of an activity found in one language and not in the
/// other (check [`AGREEMENT_CHECK`]). Dates agree when every field both give is equal
/// (`28 november` and `28 novembre 2022`); names when they mean the same gazetteer entry
/// (`Brussel` and `Bruxelles`), or, for unknown names, when written alike. Missing dates and
/// places are warnings, missing partners notes (a translation may name a body differently).
pub fn agreement_findings(bitext: &Bitext, activities: &[Activity]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (i, pair) in records(bitext).iter().enumerate() {
        let (Some(src), Some(tgt)) = (&pair.src, &pair.tgt) else {
            continue;
        };
        let title = activities
            .get(i)
            .and_then(|a| a.titles.get(&src.lang))
            .unwrap_or(&src.title);
        for (a, b) in [(src, tgt), (tgt, src)] {
            let where_ = Where { bitext, title };
            findings.extend(missing_dates(a, b).map(|d| where_.date(a, b, d)));
            for n in missing_names(&a.places, &b.places) {
                findings.push(where_.name(a, b, n, "place", Severity::Warning));
            }
            // A name one version gives as a partner may be a topic in the other: the roles
            // come from each version's wording, so names are compared across both lists.
            let named = |r: &SideRecord| -> Vec<NameFound> {
                r.partners.iter().chain(&r.topics).cloned().collect()
            };
            let (named_a, named_b) = (named(a), named(b));
            for n in missing_names(&named_a, &named_b) {
                let what = if a.partners.contains(n) {
                    "partner"
                } else {
                    "topic"
                };
                findings.push(where_.name(a, b, n, what, Severity::Info));
            }
        }
    }
    findings
}

fn missing_dates<'a>(a: &'a SideRecord, b: &'a SideRecord) -> impl Iterator<Item = &'a DateFound> {
    a.dates
        .iter()
        .filter(move |d| !b.dates.iter().any(|e| e.date.agrees_with(&d.date)))
}

fn missing_names<'a>(a: &'a [NameFound], b: &'a [NameFound]) -> Vec<&'a NameFound> {
    let mut missing: Vec<&NameFound> = Vec::new();
    for n in a {
        let key = n.key();
        if b.iter().all(|m| !same_name(n, m)) && missing.iter().all(|m| m.key() != key) {
            missing.push(n);
        }
    }
    missing
}

/// Whether two names found are one: the same gazetteer entry or the same unknown name, or a
/// name the gazetteer does not know written one letter away from the other (`Grand Région`
/// for `Grande Région`): a misspelling, which the spelling and consistency checks report, not
/// a partner or place missing from a version.
fn same_name(a: &NameFound, b: &NameFound) -> bool {
    if a.key() == b.key() {
        return true;
    }
    let (x, y) = (fold(&a.written), fold(&b.written));
    let unknown = !a.in_gazetteer || !b.in_gazetteer;
    unknown && x.chars().count() >= 8 && edit_distance(&x, &y, 2) <= 1
}

/// The context a finding is written in.
struct Where<'a> {
    bitext: &'a Bitext,
    title: &'a str,
}

impl Where<'_> {
    fn date(&self, a: &SideRecord, b: &SideRecord, d: &DateFound) -> Finding {
        let message = format!(
            "date \"{}\" ({}) in the {} version of activity \"{}\" is missing from the {} version",
            d.written,
            d.iso,
            a.lang.english_name(),
            self.title,
            b.lang.english_name()
        );
        self.finding(
            a.lang,
            Severity::Warning,
            message,
            &d.written,
            d.block,
            &d.span,
        )
    }

    fn name(
        &self,
        a: &SideRecord,
        b: &SideRecord,
        n: &NameFound,
        what: &str,
        severity: Severity,
    ) -> Finding {
        let message = format!(
            "{what} \"{}\" ({}) in the {} version of activity \"{}\" is missing from the {} version",
            n.written,
            n.name,
            a.lang.english_name(),
            self.title,
            b.lang.english_name()
        );
        self.finding(a.lang, severity, message, &n.written, n.block, &n.span)
    }

    fn finding(
        &self,
        lang: Lang,
        severity: Severity,
        message: String,
        evidence: &str,
        block: usize,
        span: &Range<usize>,
    ) -> Finding {
        let is_src = self.bitext.src.lang == Some(lang) || self.bitext.langs()[0] == lang;
        let doc = if is_src {
            &self.bitext.src
        } else {
            &self.bitext.tgt
        };
        let highlight = highlight(doc, lang, block, span);
        let bead = highlight.as_ref().and_then(|h| {
            self.bitext.beads.iter().position(|b| {
                let range = if is_src { &b.src } else { &b.tgt };
                range.contains(&h.sentence)
            })
        });
        Finding {
            check: AGREEMENT_CHECK.to_owned(),
            severity,
            bead,
            lang: Some(lang),
            message,
            evidence: [(lang, evidence.to_owned())].into(),
            highlights: highlight.into_iter().collect(),
            suggestions: Vec::new(),
            rule: None,
        }
    }
}

/// The sentence holding `span` of block `block`, and the span inside that sentence.
fn highlight(doc: &Document, lang: Lang, block: usize, span: &Range<usize>) -> Option<Highlight> {
    doc.sentences_of_block(block).find_map(|i| {
        let s = &doc.sentences[i];
        (s.span[0] <= span.start && span.end <= s.span[1]).then(|| Highlight {
            lang,
            sentence: i,
            span: [span.start - s.span[0], span.end - s.span[0]],
        })
    })
}
