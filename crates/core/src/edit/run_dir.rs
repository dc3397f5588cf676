//! A run folder with its edits: the aligned bitext (`bitext.jsonl` ...), the findings about
//! it (`findings.jsonl`), and `edits.jsonl` replayed over them.

use std::path::Path;

use super::{bead_of, log, History, Review, Status};
use crate::{fsio, Bitext, Error, Finding, Result};

/// The run's ignore list, where dismissed findings are written.
pub const IGNORE_FILE: &str = ".diptych-ignore";

/// The line after which `diptych review` keeps the dismissed findings' rules in
/// [`IGNORE_FILE`]; lines above it are the user's and are kept as they are.
pub const IGNORE_MARK: &str =
    "# diptych review: dismissed findings (rewritten by diptych review; edit above this line)";

/// Loads run folder `dir` with its edits replayed: the history's current review is the
/// corrected bitext with its approvals and decisions; [`History::stale`] lists the log lines
/// that no longer apply.
pub fn load(dir: &Path) -> Result<History> {
    let base = crate::pipeline::load_run_base(dir)?;
    with_log(dir, base)
}

/// Replays the log of `dir` over `base`, the bitext read from the same folder.
pub fn with_log(dir: &Path, base: Bitext) -> Result<History> {
    let entries = log::read(dir)?;
    let findings = read_findings(dir)?;
    Ok(History::replay(Review::new(base, findings), entries))
}

/// The bitext of `base`'s folder `dir` with its edits applied (no log: `base` as it is).
pub fn corrected(dir: &Path, base: Bitext) -> Result<Bitext> {
    if !dir.join(log::FILE).exists() {
        return Ok(base);
    }
    Ok(with_log(dir, base)?.current().bitext.clone())
}

/// The findings of a run folder (`findings.jsonl`; none when the file is absent).
pub fn read_findings(dir: &Path) -> Result<Vec<Finding>> {
    let path = dir.join("findings.jsonl");
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(vec![]),
        Err(e) => return Err(Error::io(&path, e)),
    };
    crate::export::jsonl::parse_lines(&path, &text, "a finding")
}

/// Rewrites the dismissed findings' part of the run's ignore list (below [`IGNORE_MARK`]),
/// one `CHECK: ^MESSAGE$` rule per dismissed finding with its reason as a comment. The
/// user's own lines above the mark are kept. Nothing is written when there is nothing to
/// write or remove.
pub fn write_ignore_list(dir: &Path, review: &Review) -> Result<()> {
    let path = dir.join(IGNORE_FILE);
    let existing = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(Error::io(&path, e)),
    };
    let own = existing
        .split_once(IGNORE_MARK)
        .map_or(existing.as_str(), |(above, _)| above);
    let mut rules = String::new();
    for (&k, decision) in &review.decisions {
        let Some(f) = review.base_findings.get(k) else {
            continue;
        };
        if decision.status == Status::Dismissed {
            let reason = decision.reason.replace(['\n', '\r'], " ");
            rules.push_str(&format!(
                "# {reason}\n{}: ^{}$\n",
                f.check,
                regex::escape(&f.message)
            ));
        }
    }
    if rules.is_empty() && !existing.contains(IGNORE_MARK) {
        return Ok(());
    }
    let mut text = own.trim_end().to_owned();
    if !text.is_empty() {
        text.push('\n');
    }
    if !rules.is_empty() {
        text.push_str(IGNORE_MARK);
        text.push('\n');
        text.push_str(&rules);
    }
    fsio::write_atomic(&path, |w| w.write_all(text.as_bytes()))
}

/// Places findings about `corrected`'s beads on the beads of `base` (the aligned bitext the
/// run folder keeps), so that `findings.jsonl` always refers to `bitext.jsonl`: each finding
/// goes to the base bead holding its first highlighted sentence, else its bead's first
/// sentence.
pub fn findings_on_base(findings: &[Finding], corrected: &Bitext, base: &Bitext) -> Vec<Finding> {
    let langs = corrected.langs();
    findings
        .iter()
        .map(|f| {
            let mut f = f.clone();
            let anchor = f
                .highlights
                .first()
                .and_then(|h| Some((langs.iter().position(|&l| l == h.lang)?, h.sentence)))
                .or_else(|| {
                    let bead = corrected.beads.get(f.bead?)?;
                    Some(if bead.src.is_empty() {
                        (1, bead.tgt.start)
                    } else {
                        (0, bead.src.start)
                    })
                });
            if f.bead.is_some() {
                f.bead = anchor.and_then(|(side, s)| bead_of(&base.beads, side, s));
            }
            f
        })
        .collect()
}
