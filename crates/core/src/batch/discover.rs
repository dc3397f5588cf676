//! Command-line paths to documents: a file is one document; a folder is searched recursively
//! for woven text (`.txt`), bilingual PDFs (`.pdf`) and pairs of one-language files named
//! `NAME.xx.EXT` and `NAME.yy.EXT` (or just `xx.EXT`, `yy.EXT`), `xx` and `yy` two language
//! codes and `EXT` one of `txt`, `md`, `pdf`. A lone `.md` file (a README) is not a document.
//! Hidden entries, symbolic links to folders and run folders (holding `run.json`) are left
//! out; a file that cannot be read is still listed, so that the batch names it as a failure.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::Job;
use crate::pipeline::Input;
use crate::{Error, Lang, Result};

/// Extensions a folder search looks at.
const EXTENSIONS: [&str; 3] = ["txt", "md", "pdf"];

/// The documents a command-line path names: the file itself, or what a folder holds.
pub fn jobs_of_path(path: &Path) -> Result<Vec<Job>> {
    let meta = std::fs::metadata(path);
    if meta.as_ref().is_ok_and(std::fs::Metadata::is_dir) {
        let mut files = Vec::new();
        collect_files(path, &mut files)?;
        return Ok(jobs_of_files(files));
    }
    Ok(vec![single_file_job(path)])
}

/// One named file: a PDF by extension or content, anything else woven text (a TMX or XLIFF
/// memory is recognised later, as for a run of one document).
pub(crate) fn single_file_job(path: &Path) -> Job {
    let input = if has_extension(path, "pdf") || crate::ingest::pdf::is_pdf(path) {
        Input::Pdf(path.to_owned())
    } else {
        Input::Woven(path.to_owned())
    };
    job(input, stem_of(path))
}

fn job(input: Input, stem: String) -> Job {
    Job {
        input,
        name: None,
        stem,
        langs: Vec::new(),
        year: None,
    }
}

/// The files under `dir` with one of [`EXTENSIONS`], recursively, in name order.
fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let mut entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .collect::<std::io::Result<_>>()
        .map_err(|e| Error::io(dir, e))?;
    entries.sort_by_key(std::fs::DirEntry::file_name);
    if entries
        .iter()
        .any(|e| e.file_name() == crate::export::run_folder::MANIFEST)
    {
        return Ok(());
    }
    for entry in entries {
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let kind = entry.file_type().map_err(|e| Error::io(&path, e))?;
        if kind.is_dir() {
            collect_files(&path, out)?;
        } else if EXTENSIONS.iter().any(|ext| has_extension(&path, ext)) {
            out.push(path);
        }
    }
    Ok(())
}

/// Pairs the one-language files of each folder; the other `.txt` and `.pdf` files are one
/// document each.
fn jobs_of_files(files: Vec<PathBuf>) -> Vec<Job> {
    let mut groups: BTreeMap<(PathBuf, String, String), Vec<(Lang, PathBuf)>> = BTreeMap::new();
    let mut jobs = Vec::new();
    for path in files {
        match language_part(&path) {
            Some((base, lang)) => {
                let dir = path.parent().unwrap_or(Path::new("")).to_owned();
                let ext = extension(&path);
                groups
                    .entry((dir, base, ext))
                    .or_default()
                    .push((lang, path));
            }
            None => jobs.extend(lone_file_job(&path)),
        }
    }
    for ((dir, base, ext), mut members) in groups {
        members.sort();
        match members.as_slice() {
            [(a, src), (b, tgt)] if a != b => jobs.push(pair_job(&dir, &base, &ext, src, tgt)),
            _ => jobs.extend(members.iter().filter_map(|(_, p)| lone_file_job(p))),
        }
    }
    jobs
}

/// A file outside any pair: woven text or a bilingual PDF; `None` for Markdown.
fn lone_file_job(path: &Path) -> Option<Job> {
    (!has_extension(path, "md")).then(|| single_file_job(path))
}

fn pair_job(dir: &Path, base: &str, ext: &str, src: &Path, tgt: &Path) -> Job {
    let (src, tgt) = (src.to_owned(), tgt.to_owned());
    let input = if ext == "pdf" {
        Input::PdfPair { src, tgt }
    } else {
        Input::Pair { src, tgt }
    };
    let stem = if base.is_empty() {
        let folder = dir.file_name().map(|n| n.to_string_lossy().into_owned());
        folder.unwrap_or_else(|| "document".to_owned())
    } else {
        base.to_owned()
    };
    job(input, stem)
}

/// For `NAME.xx.EXT` or `xx.EXT`: the name (empty for the latter) and the language `xx`, a
/// code of exactly two letters.
fn language_part(path: &Path) -> Option<(String, Lang)> {
    let stem = path.file_stem()?.to_str()?;
    let (base, code) = match stem.rsplit_once('.') {
        Some((base, code)) => (base, code),
        None => ("", stem),
    };
    let two_letters = code.len() == 2 && code.bytes().all(|b| b.is_ascii_alphabetic());
    if !two_letters {
        return None;
    }
    Some((base.to_owned(), Lang::parse(code).ok()?))
}

fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

fn extension(path: &Path) -> String {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

fn stem_of(path: &Path) -> String {
    path.file_stem()
        .map_or_else(|| "document".into(), |s| s.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(dir: &Path, name: &str) {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "x").unwrap();
    }

    fn describe(jobs: &[Job], root: &Path) -> Vec<String> {
        let rel = |p: &Path| p.strip_prefix(root).unwrap().display().to_string();
        let mut out: Vec<String> = jobs
            .iter()
            .map(|j| match &j.input {
                Input::Woven(p) => format!("woven {} ({})", rel(p), j.stem),
                Input::Pdf(p) => format!("pdf {} ({})", rel(p), j.stem),
                Input::Pair { src, tgt } => format!("pair {} {} ({})", rel(src), rel(tgt), j.stem),
                Input::PdfPair { src, tgt } => {
                    format!("pdf pair {} {} ({})", rel(src), rel(tgt), j.stem)
                }
                Input::Presegmented { .. } => "presegmented".into(),
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn a_folder_gives_woven_texts_pdfs_and_pairs() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for name in [
            "a/report.nl-fr.txt",
            "a/README.md",
            "b/en.md",
            "b/fr.md",
            "c/law.nl.pdf",
            "c/law.fr.pdf",
            "c/gazette.a4.pdf",
            "d/notes.json",
            "e/three.nl.txt",
            "e/three.fr.txt",
            "e/three.de.txt",
            ".hidden/x.txt",
            "out/doc/nl.md",
            "out/doc/fr.md",
            "out/doc/run.json",
        ] {
            touch(root, name);
        }
        let jobs = jobs_of_path(root).unwrap();
        assert_eq!(
            describe(&jobs, root),
            [
                "pair b/en.md b/fr.md (b)",
                "pdf c/gazette.a4.pdf (gazette.a4)",
                "pdf pair c/law.fr.pdf c/law.nl.pdf (law)",
                "woven a/report.nl-fr.txt (report.nl-fr)",
                "woven e/three.de.txt (three.de)",
                "woven e/three.fr.txt (three.fr)",
                "woven e/three.nl.txt (three.nl)",
            ]
        );
    }

    #[test]
    fn a_named_file_is_one_document_even_when_it_cannot_be_read() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("gone.pdf");
        let jobs = jobs_of_path(&missing).unwrap();
        assert_eq!(describe(&jobs, dir.path()), ["pdf gone.pdf (gone)"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_dangling_link_in_a_folder_is_listed_to_fail_later() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(dir.path().join("nowhere"), dir.path().join("lost.txt"))
            .unwrap();
        let jobs = jobs_of_path(dir.path()).unwrap();
        assert_eq!(describe(&jobs, dir.path()), ["woven lost.txt (lost)"]);
    }
}
