//! French grammar through Grammalecte (Debian `grammalecte-cli`, GPL-3), run as a separate
//! program: one call per language version, over a temporary file holding one sentence per
//! line, with JSON output (`grammalecte-cli -f FILE -j -owe`). Grammalecte's character offsets
//! become byte offsets; the pieces of one rule firing (both words of `leur homologues`) become
//! one issue with several spans. The program is looked up on `PATH`, or taken from the
//! `DIPTYCH_GRAMMALECTE` environment variable.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use super::{char_to_byte, GrammarChecker, GrammarIssue};
use crate::Lang;

/// The note when the program is missing.
pub const MISSING: &str =
    "Grammalecte not found (Debian package grammalecte-cli, or DIPTYCH_GRAMMALECTE)";

/// Grammalecte's option families that are typography, switched off unless asked for.
const TYPOGRAPHY_OPTIONS: &[&str] = &[
    "apos", "typo", "nbsp", "esp", "unit", "nf", "maj", "minis", "eepi", "num", "tu",
];

/// Two pieces of one rule firing further apart than this (in bytes) are two issues.
const SAME_ISSUE_GAP: usize = 40;

/// The `grammalecte-cli` program.
#[derive(Clone, Debug)]
pub struct Grammalecte {
    program: PathBuf,
    typography: bool,
}

impl Grammalecte {
    /// The program from `DIPTYCH_GRAMMALECTE` or `PATH`, if there is one.
    pub fn find(typography: bool) -> Option<Grammalecte> {
        let program = match std::env::var_os("DIPTYCH_GRAMMALECTE") {
            Some(p) => PathBuf::from(p),
            None => find_on_path("grammalecte-cli")?,
        };
        program.is_file().then_some(Grammalecte {
            program,
            typography,
        })
    }

    fn command(&self, file: &Path) -> Command {
        let mut cmd = Command::new(&self.program);
        cmd.arg("-f").arg(file).args(["-j", "-owe"]);
        if !self.typography {
            cmd.arg("-off").args(TYPOGRAPHY_OPTIONS);
        }
        cmd
    }
}

/// The first file called `name` in the folders of `PATH`.
pub(crate) fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

impl GrammarChecker for Grammalecte {
    fn name(&self) -> &str {
        "Grammalecte"
    }

    fn check(&self, lang: Lang, paragraphs: &[&str]) -> Result<Vec<GrammarIssue>, String> {
        if lang != Lang::FR || paragraphs.is_empty() {
            return Ok(Vec::new());
        }
        let mut file = tempfile::NamedTempFile::new().map_err(|e| e.to_string())?;
        for p in paragraphs {
            writeln!(file, "{}", one_line(p)).map_err(|e| e.to_string())?;
        }
        file.flush().map_err(|e| e.to_string())?;
        let output = self
            .command(file.path())
            .output()
            .map_err(|e| format!("{}: {e}", self.program.display()))?;
        if !output.status.success() {
            let err = String::from_utf8_lossy(&output.stderr);
            return Err(format!(
                "{} exited with {}: {}",
                self.program.display(),
                output.status,
                err.lines().last().unwrap_or("")
            ));
        }
        parse_json(&String::from_utf8_lossy(&output.stdout), paragraphs)
    }
}

/// A paragraph on one line, byte for byte the same length (line breaks become spaces).
fn one_line(p: &str) -> String {
    p.replace(['\n', '\r'], " ")
}

/// One piece of Grammalecte's answer: one underlined stretch.
struct Piece {
    paragraph: usize,
    span: [usize; 2],
    line_id: String,
    rule: String,
    family: String,
    message: String,
    suggestions: Vec<String>,
}

/// Reads Grammalecte's JSON (`{"data": [{"iParagraph": 1, "lGrammarErrors": [...]}]}`, 1-based
/// paragraphs, character offsets) into issues with byte spans in `paragraphs`.
pub fn parse_json(json: &str, paragraphs: &[&str]) -> Result<Vec<GrammarIssue>, String> {
    let v: Value = serde_json::from_str(json.trim_start_matches(|c| c != '{'))
        .map_err(|e| format!("unreadable Grammalecte output: {e}"))?;
    let mut pieces = Vec::new();
    for p in v["data"].as_array().into_iter().flatten() {
        let Some(n) = p["iParagraph"]
            .as_u64()
            .and_then(|n| (n as usize).checked_sub(1))
        else {
            continue;
        };
        let Some(text) = paragraphs.get(n) else {
            continue;
        };
        for e in p["lGrammarErrors"].as_array().into_iter().flatten() {
            if let Some(piece) = piece(n, text, e) {
                pieces.push(piece);
            }
        }
    }
    pieces.sort_by_key(|p| (p.paragraph, p.span[0]));
    Ok(group(pieces))
}

fn piece(paragraph: usize, text: &str, e: &Value) -> Option<Piece> {
    let start = char_to_byte(text, e["nStart"].as_u64()? as usize);
    let end = char_to_byte(text, e["nEnd"].as_u64()? as usize);
    (start < end).then(|| Piece {
        paragraph,
        span: [start, end],
        line_id: e["sLineId"].as_str().unwrap_or("").to_owned(),
        rule: e["sRuleId"].as_str().unwrap_or("").to_owned(),
        family: e["sType"].as_str().unwrap_or("").to_owned(),
        message: e["sMessage"].as_str().unwrap_or("").to_owned(),
        suggestions: e["aSuggestions"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s.as_str().map(str::to_owned))
            .collect(),
    })
}

/// The rule id without its action suffix (`g3__gn_leur_1m__b2_a1_1` -> `g3__gn_leur_1m__b2`):
/// the pieces of one firing share it.
fn rule_base(rule: &str) -> &str {
    match rule.rfind("_a") {
        Some(i)
            if rule[i + 2..]
                .chars()
                .all(|c| c.is_ascii_digit() || c == '_') =>
        {
            &rule[..i]
        }
        _ => rule,
    }
}

/// Joins the pieces of one rule firing (same paragraph, rule line and base, close together).
fn group(pieces: Vec<Piece>) -> Vec<GrammarIssue> {
    let mut out: Vec<GrammarIssue> = Vec::new();
    let mut last_line = String::new();
    for p in pieces {
        let base = rule_base(&p.rule).to_owned();
        if let Some(prev) = out.last_mut() {
            let near = prev
                .spans
                .last()
                .is_some_and(|s| p.span[0] <= s[1] + SAME_ISSUE_GAP);
            if prev.paragraph == p.paragraph && prev.rule == base && last_line == p.line_id && near
            {
                prev.spans.push(p.span);
                for s in p.suggestions {
                    if !prev.suggestions.contains(&s) {
                        prev.suggestions.push(s);
                    }
                }
                continue;
            }
        }
        last_line = p.line_id;
        out.push(GrammarIssue {
            paragraph: p.paragraph,
            spans: vec![p.span],
            rule: base,
            family: p.family,
            message: p.message,
            suggestions: p.suggestions,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANSWER: &str = r##"Python v3.11.2
{ "grammalecte": "2.1.2", "lang": "fr", "data" : [
{"iParagraph": 2, "lGrammarErrors": [{"nStart": 44, "nEnd": 48, "sLineId": "#1", "sRuleId": "g3__gn_leur_1m__b2_a1_1", "sType": "gn", "sMessage": "Accord de nombre erroné avec « homologues ».", "aSuggestions": ["leurs"]}, {"nStart": 49, "nEnd": 59, "sLineId": "#1", "sRuleId": "g3__gn_leur_1m__b2_a2_1", "sType": "gn", "sMessage": "Accord de nombre erroné avec « leur ».", "aSuggestions": ["homologue"]}], "lSpellingErrors": []}
]}"##;

    #[test]
    fn pieces_of_one_firing_are_one_issue_with_byte_spans() {
        let paras = [
            "Première phrase.",
            "Les ministres réunis à Genève ont rencontré leur homologues.",
        ];
        let issues = parse_json(ANSWER, &paras).unwrap();
        assert_eq!(issues.len(), 1, "{issues:?}");
        let i = &issues[0];
        assert_eq!(i.paragraph, 1);
        assert_eq!(i.rule, "g3__gn_leur_1m__b2");
        assert_eq!(i.family, "gn");
        // `è` and `é` take two bytes: the character offsets 44..48 are bytes 48..52.
        let spans: Vec<&str> = i.spans.iter().map(|&[s, e]| &paras[1][s..e]).collect();
        assert_eq!(spans, ["leur", "homologues"]);
        assert_eq!(i.suggestions, ["leurs", "homologue"]);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(parse_json("Traceback (most recent call last)", &["x"]).is_err());
    }
}
