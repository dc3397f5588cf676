//! The run folder: the files `diptych run` writes, and the reading back of its bitext.
//!
//! Each file is one entry of [`FILES`]: its name and the writer of its format (Markdown,
//! JSON Lines, TSV, TMX, XLIFF, CSV, the review page). Adding a file to the run folder is one
//! line there. [`write`] computes every file in memory before the first write, then writes each
//! atomically; [`load`] reads back the bitext exactly, so that later commands (`check`,
//! `index add`) start from it.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{activities, jsonl, markdown, tsv, ExportOptions, Format};
use crate::model::{
    Bead, Bitext, Block, Document, Lang, Provenance, RunOutput, Sentence, SourceStamp,
};
use crate::{fsio, Error, Result};

/// Writes one file's content.
type Writer = fn(&RunOutput, &mut dyn Write) -> io::Result<()>;

/// How a run folder's file is named.
#[derive(Clone, Copy, Debug)]
enum Name {
    /// Always the same name, e.g. `bitext.tsv`.
    Fixed(&'static str),
    /// The language code of the source (0) or target (1) side, then an extension: `nl.md`.
    Side(usize, &'static str),
}

/// One file of a run folder: its name, its writer, and whether a run has anything to put in
/// it.
#[derive(Clone, Copy)]
pub struct RunFile {
    name: Name,
    write: Writer,
    wanted: fn(&RunOutput) -> bool,
}

impl RunFile {
    /// A file with a fixed name.
    const fn named(name: &'static str, write: Writer) -> RunFile {
        RunFile {
            name: Name::Fixed(name),
            write,
            wanted: always,
        }
    }

    /// A file named after the language of one side (0 source, 1 target): `<lang>.<extension>`.
    const fn per_side(side: usize, extension: &'static str, write: Writer) -> RunFile {
        RunFile {
            name: Name::Side(side, extension),
            write,
            wanted: always,
        }
    }

    /// The same file, written only when `wanted` holds for the run.
    const fn when(self, wanted: fn(&RunOutput) -> bool) -> RunFile {
        RunFile { wanted, ..self }
    }

    /// The file's name for a run of these languages.
    pub fn name(&self, langs: [Lang; 2]) -> String {
        match self.name {
            Name::Fixed(name) => name.to_owned(),
            Name::Side(side, extension) => format!("{}.{extension}", langs[side]),
        }
    }

    /// The file's content for a run, or `None` when the run has nothing to put in it.
    pub fn contents(&self, out: &RunOutput) -> Result<Option<Vec<u8>>> {
        if !(self.wanted)(out) {
            return Ok(None);
        }
        let mut bytes = Vec::new();
        (self.write)(out, &mut bytes).map_err(|e| {
            Error::Invalid(format!(
                "cannot write {}: {e}",
                self.name(out.bitext.langs())
            ))
        })?;
        Ok(Some(bytes))
    }
}

/// Every run has something to put in most files.
fn always(_: &RunOutput) -> bool {
    true
}

/// The name of the manifest, `run.json`.
pub const MANIFEST: &str = "run.json";

/// Every file of a run folder, in the order they are written (the manifest last, so that a
/// folder with a manifest is complete).
pub const FILES: &[RunFile] = &[
    RunFile::per_side(0, "md", |o, w| markdown::write(&o.bitext.src, w)),
    RunFile::per_side(1, "md", |o, w| markdown::write(&o.bitext.tgt, w)),
    RunFile::named("blocks.jsonl", |o, w| {
        jsonl::write_lines(both(o, |d| &d.blocks), w)
    }),
    RunFile::named("sentences.jsonl", |o, w| {
        jsonl::write_lines(both(o, |d| &d.sentences), w)
    }),
    RunFile::named("bitext.jsonl", |o, w| jsonl::write_beads(&o.bitext, w)),
    RunFile::named("bitext.tsv", |o, w| {
        tsv::write(&o.bitext, &ExportOptions::default(), w)
    }),
    RunFile::named("findings.jsonl", |o, w| jsonl::write_lines(&o.findings, w)),
    RunFile::named("report.html", write_review_page),
    RunFile::named("memory.tmx", |o, w| memory(Format::Tmx, o, w)),
    RunFile::named("review.xlf", |o, w| memory(Format::Xliff, o, w)).when(has_beads),
    RunFile::named("activities.jsonl", |o, w| {
        jsonl::write_lines(&o.activities, w)
    }),
    RunFile::named("activities.csv", |o, w| {
        activities::write_csv(&o.activities, o.bitext.langs(), w)
    }),
    RunFile::named("others.jsonl", |o, w| {
        jsonl::write_lines(&o.extras.others, w)
    })
    .when(|o| !o.extras.others.is_empty()),
    RunFile::named("layout.html", write_layout_page).when(|o| o.extras.layout.is_some()),
    RunFile::named(MANIFEST, write_manifest),
];

/// `layout.html`: what the PDF reader read where (only for a PDF input).
fn write_layout_page(out: &RunOutput, w: &mut dyn Write) -> io::Result<()> {
    match &out.extras.layout {
        Some(layout) => w.write_all(crate::report::layout::layout_page(layout).as_bytes()),
        None => Ok(()),
    }
}

/// The files `diptych check` writes: the findings and the review page.
pub const CHECK_FILES: &[&str] = &["findings.jsonl", "report.html"];

/// The items of both documents, source first.
fn both<'a, T: 'a>(
    out: &'a RunOutput,
    items: fn(&'a Document) -> &'a Vec<T>,
) -> impl Iterator<Item = &'a T> {
    items(&out.bitext.src).iter().chain(items(&out.bitext.tgt))
}

fn write_review_page(out: &RunOutput, w: &mut dyn Write) -> io::Result<()> {
    let page = crate::report::review(&out.bitext, &out.findings, &out.activities);
    w.write_all(page.as_bytes())
}

/// The translation memory (sentence beads, default options) with the findings carried.
fn memory(format: Format, out: &RunOutput, w: &mut dyn Write) -> io::Result<()> {
    let options = ExportOptions::default();
    super::write(format, &out.bitext, &out.findings, &options, w)
}

/// An XLIFF file must hold a unit: a bitext without any bead gets no `review.xlf`.
fn has_beads(out: &RunOutput) -> bool {
    !out.bitext.beads.is_empty()
}

/// The manifest of a run folder (`run.json`): what [`load`] needs besides the JSONL files.
#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    /// Always `diptych-run`.
    format: String,
    /// Version of the folder layout.
    version: u32,
    /// The document's name.
    name: String,
    /// Source language, then target language.
    langs: [Lang; 2],
    /// Block alignment (indices into each language's blocks in `blocks.jsonl`).
    block_beads: Vec<Bead>,
    /// The hashes of the input and options (batch runs only; absent from older folders).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    source: Option<SourceStamp>,
    /// The year the document reports on, when a batch manifest gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    year: Option<i32>,
}

const FORMAT: &str = "diptych-run";
const LAYOUT_VERSION: u32 = 1;

fn write_manifest(out: &RunOutput, w: &mut dyn Write) -> io::Result<()> {
    let bitext = &out.bitext;
    let manifest = Manifest {
        format: FORMAT.into(),
        version: LAYOUT_VERSION,
        name: bitext.name.clone(),
        langs: bitext.langs(),
        block_beads: bitext.block_beads.clone(),
        source: out.provenance.source.clone(),
        year: out.provenance.year,
    };
    serde_json::to_writer(&mut *w, &manifest)?;
    w.write_all(b"\n")
}

/// Every file of the run folder, name and content, computed in memory.
pub fn files(out: &RunOutput) -> Result<Vec<(String, Vec<u8>)>> {
    select(out, |_| true)
}

/// The files whose name passes `keep`, name and content, computed in memory.
fn select(out: &RunOutput, keep: impl Fn(&str) -> bool) -> Result<Vec<(String, Vec<u8>)>> {
    let langs = out.bitext.langs();
    let mut files = Vec::new();
    for file in FILES {
        let name = file.name(langs);
        if !keep(&name) {
            continue;
        }
        if let Some(bytes) = file.contents(out)? {
            files.push((name, bytes));
        }
    }
    Ok(files)
}

/// Writes a run's outputs under `dir` (created if needed): every file of [`FILES`].
/// Everything is computed before the first write, and each file is written atomically.
pub fn write(out: &RunOutput, dir: &Path) -> Result<()> {
    let files = files(out)?;
    write_files(dir, files)
}

/// Writes only the named files of [`FILES`] under `dir` (created if needed), e.g.
/// [`CHECK_FILES`].
pub fn write_only(out: &RunOutput, dir: &Path, names: &[&str]) -> Result<()> {
    let files = select(out, |name| names.contains(&name))?;
    write_files(dir, files)
}

fn write_files(dir: &Path, files: Vec<(String, Vec<u8>)>) -> Result<()> {
    fsio::ensure_dir(dir)?;
    for (name, bytes) in files {
        fsio::write_atomic(&dir.join(name), |w| w.write_all(&bytes))?;
    }
    Ok(())
}

/// Reads a run folder's `run.json`, refusing other formats and layout versions.
fn read_manifest(dir: &Path) -> Result<Manifest> {
    let manifest_path = dir.join(MANIFEST);
    let manifest: Manifest = serde_json::from_str(&fsio::read_text(&manifest_path)?)
        .map_err(|e| malformed(&manifest_path, e.line(), e.to_string()))?;
    if manifest.format != FORMAT || manifest.version != LAYOUT_VERSION {
        return Err(malformed(
            &manifest_path,
            1,
            format!("not a diptych run folder of layout version {LAYOUT_VERSION}"),
        ));
    }
    Ok(manifest)
}

/// What a run folder's `run.json` records about the run's origin (empty for a run of one
/// document and for folders written before batches existed).
pub fn provenance(dir: &Path) -> Result<Provenance> {
    let manifest = read_manifest(dir)?;
    Ok(Provenance {
        source: manifest.source,
        year: manifest.year,
    })
}

/// Reads back the bitext that [`write`] wrote, exactly.
pub fn load(dir: &Path) -> Result<Bitext> {
    let manifest = read_manifest(dir)?;
    let [a, b] = manifest.langs;
    let blocks: Vec<Block> = read_jsonl(&dir.join("blocks.jsonl"))?;
    let sentences: Vec<Sentence> = read_jsonl(&dir.join("sentences.jsonl"))?;
    let side = |lang: Lang| Document {
        lang: Some(lang),
        blocks: blocks.iter().filter(|x| x.lang == lang).cloned().collect(),
        sentences: sentences
            .iter()
            .filter(|s| s.lang == lang)
            .cloned()
            .collect(),
    };
    let (src, tgt) = (side(a), side(b));
    let beads = read_beads(&dir.join("bitext.jsonl"), [&src, &tgt])?;
    Ok(Bitext {
        name: manifest.name,
        src,
        tgt,
        block_beads: manifest.block_beads,
        beads,
    })
}

fn malformed(path: &Path, line: usize, message: String) -> Error {
    Error::Malformed {
        path: path.into(),
        line: line.max(1),
        message,
    }
}

fn read_jsonl<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Vec<T>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    jsonl::parse_lines(path, &text, "a record of this folder")
}

/// Rebuilds sentence beads from the ids in `bitext.jsonl`; each side's ids must be
/// consecutive and follow the previous bead.
fn read_beads(path: &Path, docs: [&Document; 2]) -> Result<Vec<Bead>> {
    #[derive(Deserialize)]
    struct Line {
        score: f32,
        #[serde(default)]
        semantic: Option<f32>,
        ids: BTreeMap<Lang, Vec<String>>,
    }
    let index: [HashMap<&str, usize>; 2] = docs.map(|d| {
        d.sentences
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect()
    });
    let mut cursor = [0usize; 2];
    let mut beads = Vec::new();
    for (n, line) in read_jsonl::<Line>(path)?.into_iter().enumerate() {
        let mut ranges = [0..0, 0..0];
        for side in 0..2 {
            let lang = docs[side].lang.unwrap_or(Lang::NL);
            let ids = line.ids.get(&lang).map(Vec::as_slice).unwrap_or_default();
            let start = cursor[side];
            for (k, id) in ids.iter().enumerate() {
                if index[side].get(id.as_str()) != Some(&(start + k)) {
                    return Err(malformed(
                        path,
                        n + 1,
                        format!("sentence {id} is unknown or out of order"),
                    ));
                }
            }
            cursor[side] = start + ids.len();
            ranges[side] = start..cursor[side];
        }
        let [s, t] = ranges;
        let mut bead = Bead::new(s, t, line.score);
        bead.semantic = line.semantic;
        beads.push(bead);
    }
    Ok(beads)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::testdata::{finding, reference_bitext};

    fn output() -> RunOutput {
        let bitext = reference_bitext();
        RunOutput {
            findings: vec![finding(3)],
            bitext,
            activities: vec![],
            extras: Default::default(),
            provenance: Provenance::default(),
        }
    }

    #[test]
    fn every_file_has_a_distinct_name_and_the_manifest_comes_last() {
        let out = output();
        let names: Vec<String> = files(&out).unwrap().into_iter().map(|f| f.0).collect();
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), names.len(), "{names:?}");
        assert_eq!(names.first().map(String::as_str), Some("nl.md"));
        assert_eq!(names.last().map(String::as_str), Some(MANIFEST));
        for name in CHECK_FILES {
            assert!(names.iter().any(|n| n == name), "{name} is a run file");
        }
    }

    #[test]
    fn the_semantic_similarity_is_written_where_the_aligner_gave_one_and_read_back() {
        let mut out = output();
        out.bitext.beads[0].semantic = Some(0.8714);
        let files = files(&out).unwrap();
        let text = |name: &str| {
            let (_, bytes) = files.iter().find(|f| f.0 == name).unwrap();
            String::from_utf8(bytes.clone()).unwrap()
        };
        let beads = text("bitext.jsonl");
        let lines: Vec<&str> = beads.lines().collect();
        assert!(lines[0].contains(r#""score":"#) && lines[0].contains(r#""semantic":0.8714"#));
        assert!(lines[1..].iter().all(|l| !l.contains("semantic")));
        let tmx = text("memory.tmx");
        assert_eq!(
            tmx.matches(r#"<prop type="x-semantic">0.871</prop>"#)
                .count(),
            1
        );
        assert_eq!(tmx.matches("x-semantic").count(), 1);
        let xliff = text("review.xlf");
        assert_eq!(
            xliff.matches(r#"type="semantic">0.871<"#).count(),
            1,
            "{xliff}"
        );

        let dir = tempfile::tempdir().unwrap();
        write(&out, dir.path()).unwrap();
        let back = load(dir.path()).unwrap();
        assert_eq!(back.beads[0].semantic, Some(0.8714));
        assert!(back.beads[1..].iter().all(|b| b.semantic.is_none()));
    }

    #[test]
    fn a_bitext_without_beads_gets_no_xliff_file() {
        let mut out = output();
        out.bitext.beads.clear();
        let names: Vec<String> = files(&out).unwrap().into_iter().map(|f| f.0).collect();
        assert!(!names.iter().any(|n| n == "review.xlf"), "{names:?}");
        assert!(names.iter().any(|n| n == "memory.tmx"));
    }

    #[test]
    fn write_only_writes_the_named_files() {
        let dir = tempfile::tempdir().unwrap();
        write_only(&output(), dir.path(), CHECK_FILES).unwrap();
        let mut written: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        written.sort();
        assert_eq!(written, ["findings.jsonl", "report.html"]);
        let findings = std::fs::read_to_string(dir.path().join("findings.jsonl")).unwrap();
        assert_eq!(findings.lines().count(), 1);
    }
}
