//! The ignore list: findings a reviser has judged and does not want to see again.
//!
//! A `.diptych-ignore` file holds one rule per line, `CHECK: PATTERN`, where CHECK is a check
//! name or `*` for any, and PATTERN a regular expression searched in the finding's evidence
//! (any language) and message. `#` starts a comment line. For example:
//!
//! ```text
//! # Names of places that the dictionary does not know
//! spelling: ^(Bourglinster|Rottner)$
//! glossary: \bCONUN\b
//! *: Hydrogen Backbone
//! ```

use std::path::Path;

use regex::Regex;

use crate::{Error, Finding, Result};

/// Rules that drop findings, per check.
#[derive(Debug, Default)]
pub struct IgnoreList {
    rules: Vec<(Option<String>, Regex)>,
}

impl IgnoreList {
    /// Reads an ignore file; errors name the file and line.
    pub fn load(path: &Path) -> Result<IgnoreList> {
        let text = crate::fsio::read_text(path)?;
        IgnoreList::parse(&text, path)
    }

    /// Parses ignore rules (`path` is only used in error messages).
    pub fn parse(text: &str, path: &Path) -> Result<IgnoreList> {
        let mut rules = Vec::new();
        for (k, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let malformed = |message: String| Error::Malformed {
                path: path.to_owned(),
                line: k + 1,
                message,
            };
            let Some((check, pattern)) = line.split_once(':') else {
                return Err(malformed("expected CHECK: PATTERN".into()));
            };
            let check = check.trim();
            let re =
                Regex::new(pattern.trim()).map_err(|e| malformed(format!("bad pattern: {e}")))?;
            let known =
                super::default_severity(check).is_some() || super::OTHER_FINDINGS.contains(&check);
            if check != "*" && !known {
                return Err(malformed(format!("unknown check {check:?}")));
            }
            rules.push(((check != "*").then(|| check.to_owned()), re));
        }
        Ok(IgnoreList { rules })
    }

    /// Whether a rule drops this finding.
    pub fn matches(&self, f: &Finding) -> bool {
        self.rules.iter().any(|(check, re)| {
            check.as_deref().is_none_or(|c| c == f.check)
                && (f.evidence.values().any(|e| re.is_match(e)) || re.is_match(&f.message))
        })
    }

    /// Number of rules.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Whether there are no rules.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Lang, Severity};

    fn finding(check: &str, nl: &str) -> Finding {
        Finding {
            check: check.into(),
            severity: Severity::Warning,
            bead: Some(0),
            lang: None,
            message: "m".into(),
            evidence: [(Lang::NL, nl.to_owned())].into(),
            highlights: vec![],
            suggestions: vec![],
            rule: None,
        }
    }

    #[test]
    fn drops_per_check_and_reports_bad_lines() {
        let list = IgnoreList::parse(
            "# c\nspelling: ^Bourglinster$\n*: Backbone\n",
            Path::new(".diptych-ignore"),
        )
        .unwrap();
        assert!(list.matches(&finding("spelling", "Bourglinster")));
        assert!(!list.matches(&finding("names", "Bourglinster")));
        assert!(list.matches(&finding("names", "Hydrogen Backbone")));
        let err = IgnoreList::parse("spelling ^x", Path::new(".diptych-ignore")).unwrap_err();
        assert_eq!(
            err.to_string(),
            ".diptych-ignore:1: expected CHECK: PATTERN"
        );
        let err = IgnoreList::parse("speling: x", Path::new("i")).unwrap_err();
        assert_eq!(err.to_string(), "i:1: unknown check \"speling\"");
    }
}
