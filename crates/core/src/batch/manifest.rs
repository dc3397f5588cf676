//! A batch manifest: JSON Lines, one document per line, paths relative to the manifest's
//! folder:
//!
//! ```text
//! {"input": "1957/verslag.txt", "name": "benelux-1957", "year": 1957, "languages": ["nl", "fr"]}
//! {"src": "2001/nl.pdf", "tgt": "2001/fr.pdf", "name": "benelux-2001"}
//! ```
//!
//! `input` (one bilingual file) or `src` and `tgt` (one file per language) is required;
//! `name`, `year` and `languages` are optional. Unknown fields are refused, naming the line.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::Job;
use crate::pipeline::Input;
use crate::{Error, Lang, Result};

/// One line of a manifest as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    input: Option<PathBuf>,
    src: Option<PathBuf>,
    tgt: Option<PathBuf>,
    name: Option<String>,
    year: Option<i32>,
    #[serde(default)]
    languages: Vec<String>,
}

/// Reads a manifest file into jobs.
pub fn read(path: &Path) -> Result<Vec<Job>> {
    let text = crate::fsio::read_text(path)?;
    parse(path, &text)
}

/// Parses a manifest's text (`path` names it in errors and anchors relative paths).
pub fn parse(path: &Path, text: &str) -> Result<Vec<Job>> {
    let base = path.parent().unwrap_or(Path::new(""));
    let mut jobs = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        if raw.trim().is_empty() {
            continue;
        }
        let malformed = |message: String| Error::Malformed {
            path: path.to_owned(),
            line: i + 1,
            message,
        };
        let line: Line = serde_json::from_str(raw)
            .map_err(|e| malformed(format!("not a manifest line: {e}")))?;
        jobs.push(job_of(base, line).map_err(malformed)?);
    }
    Ok(jobs)
}

/// Checks one line and makes its job.
fn job_of(base: &Path, line: Line) -> std::result::Result<Job, String> {
    let rel = |p: &PathBuf| super::relative_to(base, p);
    let mut job = match (&line.input, &line.src, &line.tgt) {
        (Some(input), None, None) => {
            let path = rel(input);
            if path.is_dir() {
                return Err(format!("{}: a folder, not a document", path.display()));
            }
            super::discover::single_file_job(&path)
        }
        (None, Some(src), Some(tgt)) => pair(rel(src), rel(tgt))?,
        _ => return Err("give either \"input\", or \"src\" and \"tgt\"".into()),
    };
    job.langs = line
        .languages
        .iter()
        .map(|l| Lang::parse(l))
        .collect::<Result<Vec<_>>>()
        .map_err(|e| e.to_string())?;
    if job.langs.len() == 1 {
        return Err("\"languages\" needs at least two languages".into());
    }
    job.name = line.name;
    job.year = line.year;
    Ok(job)
}

/// Two one-language files: both PDFs or both text.
fn pair(src: PathBuf, tgt: PathBuf) -> std::result::Result<Job, String> {
    let is_pdf = |p: &Path| {
        p.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
            || crate::ingest::pdf::is_pdf(p)
    };
    let input = match (is_pdf(&src), is_pdf(&tgt)) {
        (true, true) => Input::PdfPair { src, tgt },
        (false, false) => Input::Pair { src, tgt },
        _ => return Err("\"src\" and \"tgt\" must both be PDFs or both be text".into()),
    };
    let stem = input.default_name();
    Ok(Job {
        input,
        name: None,
        stem,
        langs: Vec::new(),
        year: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_give_documents_with_names_years_and_languages() {
        let text = r#"{"input": "1957/verslag.txt", "name": "benelux-1957", "year": 1957, "languages": ["nl", "fr"]}

{"src": "2001/a.md", "tgt": "2001/b.md"}
"#;
        let jobs = parse(Path::new("/corpus/list.jsonl"), text).unwrap();
        assert_eq!(jobs.len(), 2);
        assert!(
            matches!(&jobs[0].input, Input::Woven(p) if p == Path::new("/corpus/1957/verslag.txt"))
        );
        assert_eq!(jobs[0].name.as_deref(), Some("benelux-1957"));
        assert_eq!(jobs[0].year, Some(1957));
        assert_eq!(jobs[0].langs, [Lang::NL, Lang::FR]);
        assert!(
            matches!(&jobs[1].input, Input::Pair { src, .. } if src == Path::new("/corpus/2001/a.md"))
        );
        assert_eq!(jobs[1].name, None);
    }

    #[test]
    fn a_bad_line_is_named() {
        for (text, want) in [
            (
                "{\"input\": \"a.txt\", \"nmae\": \"x\"}",
                "unknown field `nmae`",
            ),
            (
                "{\"src\": \"a.txt\"}",
                "give either \"input\", or \"src\" and \"tgt\"",
            ),
            (
                "{\"src\": \"a.pdf\", \"tgt\": \"b.txt\"}",
                "both be PDFs or both be text",
            ),
            (
                "{\"input\": \"a.txt\", \"languages\": [\"nl\"]}",
                "at least two languages",
            ),
            (
                "{\"input\": \"a.txt\", \"languages\": [\"dutch\"]}",
                "unknown language code",
            ),
            ("not json", "not a manifest line"),
        ] {
            let err = parse(Path::new("m.jsonl"), &format!("\n{text}\n"))
                .unwrap_err()
                .to_string();
            assert!(err.starts_with("m.jsonl:2: "), "{err}");
            assert!(err.contains(want), "{err} lacks {want}");
        }
    }
}
