//! The glue that runs the stages in order; both the command line and the server call it.
//!
//! ```text
//! input --ingest--> two Documents --segment--> sentences --align blocks--> block beads
//!       --align sentences inside each block bead--> sentence beads = Bitext
//! ```
//!
//! [`analyse`] runs the stages after alignment (checks, activities, their agreement).
//! [`write_run_dir`] hands a run's outputs to the run folder's writers
//! ([`crate::export::run_folder`]) and [`load_run_dir`] reads the bitext back exactly, so that
//! later commands (`check`, `index add`) can start from it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::align::{self, align_classified, align_texts, AlignOptions};
use crate::ingest::{self, IngestOptions};
use crate::{fsio, segment, Bead, Bitext, Block, BlockKind, Document, Error, Lang, Result};

/// What `run` reads.
#[derive(Clone, Debug)]
pub enum Input {
    /// One file of woven bilingual text.
    Woven(PathBuf),
    /// Two files, one language each, plain text or Markdown.
    Pair {
        /// The source-language file.
        src: PathBuf,
        /// The target-language file.
        tgt: PathBuf,
    },
    /// One bilingual PDF (`%PDF-` magic): columns, pages or parts in two languages.
    Pdf(PathBuf),
    /// Two PDFs, one language each.
    PdfPair {
        /// The source-language PDF.
        src: PathBuf,
        /// The target-language PDF.
        tgt: PathBuf,
    },
    /// Two files with one sentence per line.
    Presegmented {
        /// The source-language file.
        src: PathBuf,
        /// The target-language file.
        tgt: PathBuf,
    },
}

impl Input {
    /// The default name of the document: the stem of the (source) file.
    pub fn default_name(&self) -> String {
        let path = match self {
            Input::Woven(p)
            | Input::Pdf(p)
            | Input::Pair { src: p, .. }
            | Input::PdfPair { src: p, .. }
            | Input::Presegmented { src: p, .. } => p,
        };
        path.file_stem()
            .map_or_else(|| "document".into(), |s| s.to_string_lossy().into_owned())
    }

    /// Total size of the input files in bytes (0 when unknown).
    pub fn size(&self) -> u64 {
        self.paths().iter().map(|p| file_size(p)).sum()
    }

    /// The input's files: one, or a pair.
    pub fn paths(&self) -> Vec<&Path> {
        match self {
            Input::Woven(p) | Input::Pdf(p) => vec![p],
            Input::Pair { src, tgt }
            | Input::PdfPair { src, tgt }
            | Input::Presegmented { src, tgt } => vec![src, tgt],
        }
    }

    /// Refuses an input with a file over `max_bytes` ([`Error::TooLarge`]), before it is read.
    pub fn check_size(&self, max_bytes: u64) -> Result<()> {
        match self.paths().into_iter().find(|p| file_size(p) > max_bytes) {
            None => Ok(()),
            Some(path) => Err(Error::TooLarge {
                path: path.to_owned(),
                size: file_size(path),
                limit: max_bytes,
            }),
        }
    }
}

/// A file's size in bytes (0 when it cannot be read: reading it says why).
fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

/// The default ceiling on each input file of a run, in MB (10^6 bytes): `diptych run
/// --max-input-mb` raises or lowers it. A run needs memory of about 30 times its input (README,
/// "Input size and memory"), so this keeps a run within a few GB.
pub const DEFAULT_MAX_INPUT_MB: u64 = 100;

/// Choices for a run.
#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    /// The languages to look for (`--langs`); all known ones when empty.
    pub langs: Vec<Lang>,
    /// The document's name; the input's file stem when `None`.
    pub name: Option<String>,
    /// Settings of the aligner.
    pub align: AlignOptions,
    /// The largest input file accepted, in bytes (`None`: no ceiling). The command line sets
    /// it from `--max-input-mb` ([`DEFAULT_MAX_INPUT_MB`] by default).
    pub max_input_bytes: Option<u64>,
}

pub use crate::model::RunOutput;

/// What ingest reads besides the two documents.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IngestExtras {
    /// Blocks in a language outside the pair (German notices in a Belgian journal), written
    /// to `others.jsonl` and counted in the summary.
    pub others: Vec<Block>,
    /// For a PDF input: what was read where, drawn in `layout.html`.
    pub layout: Option<ingest::pdf::LayoutMap>,
}

/// What the stages after alignment found in a bitext.
#[derive(Clone, Debug, Default)]
pub struct Analysis {
    /// The checks' report, with the activities' cross-language agreement findings joined in
    /// bead order (and filtered by the same ignore list).
    pub report: crate::check::CheckReport,
    /// The activities the document records.
    pub activities: Vec<crate::Activity>,
}

impl Analysis {
    /// The run's outputs: the bitext with what was found in it, ready for the run folder's
    /// writers.
    pub fn into_output(self, bitext: Bitext) -> RunOutput {
        RunOutput {
            bitext,
            findings: self.report.findings,
            activities: self.activities,
            extras: IngestExtras::default(),
            provenance: crate::model::Provenance::default(),
        }
    }
}

/// Runs the stages after alignment on a bitext: the checks, the activity record, and the
/// cross-language agreement of the activities. `run` and `check` both call this, so that they
/// report the same findings.
pub fn analyse(bitext: &Bitext, options: &crate::check::CheckOptions) -> Analysis {
    let mut report = crate::check::run_checks(bitext, options);
    let activities = crate::extract::activities(bitext);
    if options.only.is_empty() {
        for finding in crate::extract::agreement_findings(bitext, &activities) {
            if options.ignore.matches(&finding) {
                report.ignored += 1;
            } else {
                report.findings.push(finding);
            }
        }
        // Stable: keeps the checks' own order within a bead.
        report
            .findings
            .sort_by_key(|f| f.bead.unwrap_or(usize::MAX));
    }
    Analysis { report, activities }
}

/// The stages of a run, reported to a progress callback as they start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Reading and un-weaving the input, identifying languages.
    Ingest,
    /// Cutting blocks into sentences.
    Segment,
    /// Aligning blocks, then sentences.
    Align,
}

/// Reads the input and builds the aligned bitext.
pub fn build_bitext(input: &Input, opts: &RunOptions) -> Result<Bitext> {
    build_bitext_with_progress(input, opts, &|_| {})
}

/// [`build_bitext`], calling `progress` as each stage starts.
pub fn build_bitext_with_progress(
    input: &Input,
    opts: &RunOptions,
    progress: &dyn Fn(Stage),
) -> Result<Bitext> {
    build_with_extras(input, opts, progress).map(|(bitext, _)| bitext)
}

/// [`build_bitext_with_progress`], also returning what ingest found besides the pair.
pub fn build_with_extras(
    input: &Input,
    opts: &RunOptions,
    progress: &dyn Fn(Stage),
) -> Result<(Bitext, IngestExtras)> {
    if let Some(max) = opts.max_input_bytes {
        input.check_size(max)?;
    }
    progress(Stage::Ingest);
    // Export stage, read side: a TMX or XLIFF memory is already aligned; keep its beads.
    if let Input::Woven(path) = input {
        if crate::export::is_memory_file(path) {
            let mut bitext = crate::export::read_memory(path)?;
            bitext.name = opts.name.clone().unwrap_or(bitext.name);
            return Ok((bitext, IngestExtras::default()));
        }
    }
    let ingest_opts = IngestOptions {
        langs: opts.langs.clone(),
    };
    let presegmented = matches!(input, Input::Presegmented { .. });
    let mut extras = IngestExtras::default();
    let docs = match input {
        Input::Pdf(path) => {
            let read = ingest::read_pdf(path, &ingest_opts)?;
            extras = IngestExtras {
                others: read.others,
                layout: Some(read.layout),
            };
            read.docs
        }
        Input::PdfPair { src, tgt } => {
            let read = ingest::read_pdf_pair(src, tgt, &ingest_opts)?;
            extras.layout = Some(read.layout);
            read.docs
        }
        Input::Woven(path) => {
            let woven = ingest::read_woven(&fsio::read_text(path)?, path, &ingest_opts)?;
            extras.others = woven.others;
            woven.docs
        }
        Input::Pair { src, tgt } => {
            let (a, b) = (fsio::read_text(src)?, fsio::read_text(tgt)?);
            ingest::read_pair((&a, src), (&b, tgt), &ingest_opts)?
        }
        Input::Presegmented { src, tgt } => {
            let (a, b) = (fsio::read_text(src)?, fsio::read_text(tgt)?);
            ingest::read_presegmented((&a, src), (&b, tgt), &ingest_opts)?
        }
    };
    let name = opts.name.clone().unwrap_or_else(|| input.default_name());
    let bitext = bitext_from_documents(name, docs, presegmented, opts, progress);
    Ok((bitext, extras))
}

/// Segments (unless `presegmented`) and aligns two documents into a bitext.
pub fn bitext_from_documents(
    name: String,
    docs: [Document; 2],
    presegmented: bool,
    opts: &RunOptions,
    progress: &dyn Fn(Stage),
) -> Bitext {
    progress(Stage::Segment);
    let [mut src, mut tgt] = docs;
    for doc in [&mut src, &mut tgt] {
        if presegmented {
            segment::one_sentence_per_block(doc);
        } else {
            segment::segment_document(doc);
        }
    }
    progress(Stage::Align);
    // Runs of text that is not a translation are judged once, over the whole document's
    // sentences, after the piecewise searches (blocks, then sentences inside each block bead).
    let piecewise = AlignOptions {
        unpair_unrelated: false,
        ..opts.align.clone()
    };
    let mut block_beads = align_blocks(&src, &tgt, &piecewise);
    let mut beads = align_sentences(&src, &tgt, &block_beads, &piecewise);
    if opts.align.judges_relatedness() {
        beads = align::unpair_unrelated(&texts(&src), &texts(&tgt), beads, &opts.align);
        block_beads = unpair_emptied_blocks(&src, &tgt, block_beads, &beads);
    }
    Bitext {
        name,
        src,
        tgt,
        block_beads,
        beads,
    }
}

/// The document's sentences' texts.
fn texts(doc: &Document) -> Vec<&str> {
    doc.sentences.iter().map(|s| s.text.as_str()).collect()
}

/// The block beads with each paired one whose sentences are all unpaired (on both sides)
/// replaced by its blocks unpaired: source blocks first, then target blocks, as in the
/// sentence beads.
fn unpair_emptied_blocks(
    src: &Document,
    tgt: &Document,
    block_beads: Vec<Bead>,
    beads: &[Bead],
) -> Vec<Bead> {
    let mut paired = (
        vec![false; src.sentences.len()],
        vec![false; tgt.sentences.len()],
    );
    for b in beads
        .iter()
        .filter(|b| !b.src.is_empty() && !b.tgt.is_empty())
    {
        b.src.clone().for_each(|i| paired.0[i] = true);
        b.tgt.clone().for_each(|j| paired.1[j] = true);
    }
    let any_paired = |doc: &Document, flags: &[bool], blocks: &std::ops::Range<usize>| {
        blocks
            .clone()
            .any(|k| doc.sentences_of_block(k).any(|i| flags[i]))
    };
    block_beads
        .into_iter()
        .flat_map(|bb| {
            let emptied = !bb.src.is_empty()
                && !bb.tgt.is_empty()
                && !any_paired(src, &paired.0, &bb.src)
                && !any_paired(tgt, &paired.1, &bb.tgt);
            if !emptied {
                return vec![bb];
            }
            let (s, t) = (bb.src.clone(), bb.tgt.clone());
            let (s_end, t_start) = (s.end, t.start);
            s.map(|i| Bead::new(i..i + 1, t_start..t_start, 0.0))
                .chain(t.map(|j| Bead::new(s_end..s_end, j..j + 1, 0.0)))
                .collect()
        })
        .collect()
}

/// Cost of each further block in a run of unpaired blocks, as a share of the first one's
/// (the aligner's `skip_cost`): a passage published in one language only, between parallel
/// ones, is left unpaired as a whole instead of being paired with whatever lies across from
/// it. Kept well above what a true pair of blocks costs per block, so that parallel text is
/// never cheaper to leave unpaired on both sides.
const BLOCK_GAP_EXTENSION: f64 = 0.9;

/// Pairs blocks. When both versions have the same structure (the same sequence of block
/// kinds and levels), blocks pair one to one; otherwise the aligner pairs them by length.
fn align_blocks(src: &Document, tgt: &Document, opts: &AlignOptions) -> Vec<Bead> {
    let shape = |d: &Document| {
        d.blocks
            .iter()
            .map(|b| (b.kind, b.level))
            .collect::<Vec<_>>()
    };
    let a: Vec<&str> = src.blocks.iter().map(|b| b.text.as_str()).collect();
    let b: Vec<&str> = tgt.blocks.iter().map(|b| b.text.as_str()).collect();
    let beads = if shape(src) == shape(tgt) {
        (0..a.len())
            .into_par_iter()
            .map(|i| {
                let score = align_texts(&a[i..=i], &b[i..=i], opts)
                    .first()
                    .filter(|bead| bead.shape() == (1, 1))
                    .map_or(0.0, |bead| bead.score);
                Bead::new(i..i + 1, i..i + 1, score)
            })
            .collect()
    } else {
        let blocks = AlignOptions {
            gap_extension: Some(BLOCK_GAP_EXTENSION * opts.skip_cost),
            ..opts.clone()
        };
        let (ka, kb) = (kind_classes(src), kind_classes(tgt));
        align_classified(&a, &b, Some((&ka, &kb)), &blocks)
    };
    beads.into_iter().map(rounded).collect()
}

/// Each block's class for the block aligner: headings (and titles), running text (and
/// list items, which the two languages' layouts do not always tell apart), footnotes.
fn kind_classes(doc: &Document) -> Vec<u8> {
    let class = |kind: BlockKind| match kind {
        BlockKind::Title | BlockKind::Heading => 0,
        BlockKind::Paragraph | BlockKind::Item => 1,
        BlockKind::Footnote => 2,
    };
    doc.blocks.iter().map(|b| class(b.kind)).collect()
}

/// Aligns the sentences inside each block bead; the result covers every sentence once.
fn align_sentences(
    src: &Document,
    tgt: &Document,
    block_beads: &[Bead],
    opts: &AlignOptions,
) -> Vec<Bead> {
    let sentence_range = |doc: &Document, blocks: &std::ops::Range<usize>| {
        if blocks.is_empty() {
            let at = doc
                .sentences
                .partition_point(|s| s.block_index < blocks.start);
            at..at
        } else {
            doc.sentences_of_block(blocks.start).start..doc.sentences_of_block(blocks.end - 1).end
        }
    };
    let groups: Vec<Vec<Bead>> = block_beads
        .par_iter()
        .map(|bb| {
            let (sr, tr) = (sentence_range(src, &bb.src), sentence_range(tgt, &bb.tgt));
            let a: Vec<&str> = src.sentences[sr.clone()]
                .iter()
                .map(|s| s.text.as_str())
                .collect();
            let b: Vec<&str> = tgt.sentences[tr.clone()]
                .iter()
                .map(|s| s.text.as_str())
                .collect();
            let shift = |r: std::ops::Range<usize>, by: usize| r.start + by..r.end + by;
            align_texts(&a, &b, opts)
                .into_iter()
                .map(|mut bead| {
                    // Only the indices change: the score and the semantic similarity stay.
                    bead.src = shift(bead.src, sr.start);
                    bead.tgt = shift(bead.tgt, tr.start);
                    rounded(bead)
                })
                .collect()
        })
        .collect();
    groups.into_iter().flatten().collect()
}

/// Scores are kept to three decimals so that files are stable and read back exactly.
fn rounded(mut bead: Bead) -> Bead {
    bead.score = (bead.score * 1000.0).round() / 1000.0;
    bead
}

/// A short account of a run, for the command line's summary.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    /// The two languages, source first.
    pub langs: [Lang; 2],
    /// Blocks per kind and language, e.g. `("heading", [13, 13])`.
    pub blocks_per_kind: Vec<(&'static str, [usize; 2])>,
    /// Blocks joined across a page or column break, per language.
    pub joins: [usize; 2],
    /// Sentences per language.
    pub sentences: [usize; 2],
    /// Sentence beads per shape, e.g. `("1:1", 120)`, most frequent first.
    pub beads_by_shape: Vec<(String, usize)>,
    /// Blocks in other languages, per language, e.g. `("de", 12)`.
    pub others: Vec<(Lang, usize)>,
    /// PDF pages with characters left out because their font could not be read as text.
    pub undecoded: Vec<(u32, usize)>,
}

impl Summary {
    /// Counts what a bitext holds.
    pub fn of(bitext: &Bitext) -> Summary {
        let docs = [&bitext.src, &bitext.tgt];
        let count =
            |kind: BlockKind| docs.map(|d| d.blocks.iter().filter(|b| b.kind == kind).count());
        let kinds = [
            BlockKind::Title,
            BlockKind::Heading,
            BlockKind::Item,
            BlockKind::Paragraph,
        ];
        let mut shapes: BTreeMap<String, usize> = BTreeMap::new();
        for bead in &bitext.beads {
            *shapes.entry(bead.shape_label()).or_default() += 1;
        }
        let mut beads_by_shape: Vec<(String, usize)> = shapes.into_iter().collect();
        beads_by_shape.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        Summary {
            langs: bitext.langs(),
            blocks_per_kind: kinds.iter().map(|k| (k.as_str(), count(*k))).collect(),
            joins: docs.map(|d| {
                d.blocks
                    .iter()
                    .filter(|b| !b.joined_from.is_empty())
                    .count()
            }),
            sentences: docs.map(|d| d.sentences.len()),
            beads_by_shape,
            others: Vec::new(),
            undecoded: Vec::new(),
        }
    }

    /// Counts a run's output, the blocks in other languages included.
    pub fn of_run(out: &RunOutput) -> Summary {
        let mut summary = Summary::of(&out.bitext);
        let mut counts: BTreeMap<Lang, usize> = BTreeMap::new();
        for block in &out.extras.others {
            *counts.entry(block.lang).or_default() += 1;
        }
        summary.others = counts.into_iter().collect();
        if let Some(layout) = &out.extras.layout {
            summary.undecoded = layout.undecoded.clone();
        }
        summary
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let [a, b] = self.langs;
        writeln!(
            f,
            "languages: {a} ({}), {b} ({})",
            a.english_name(),
            b.english_name()
        )?;
        let kinds: Vec<String> = self
            .blocks_per_kind
            .iter()
            .map(|(k, [x, y])| format!("{k} {x}/{y}"))
            .collect();
        writeln!(f, "blocks ({a}/{b}): {}", kinds.join(", "))?;
        writeln!(
            f,
            "page-break joins: {a} {}, {b} {}",
            self.joins[0], self.joins[1]
        )?;
        writeln!(
            f,
            "sentences: {a} {}, {b} {}",
            self.sentences[0], self.sentences[1]
        )?;
        let shapes: Vec<String> = self
            .beads_by_shape
            .iter()
            .map(|(s, n)| format!("{s} {n}"))
            .collect();
        write!(f, "beads by shape ({a}:{b}): {}", shapes.join(", "))?;
        if !self.others.is_empty() {
            let others: Vec<String> = self
                .others
                .iter()
                .map(|(l, n)| format!("{l} {n} blocks"))
                .collect();
            write!(f, "\nother languages: {}", others.join(", "))?;
        }
        if !self.undecoded.is_empty() {
            let pages: Vec<String> = self
                .undecoded
                .iter()
                .map(|(page, n)| format!("page {page} ({n})"))
                .collect();
            write!(
                f,
                "\ncharacters left out, their font unreadable as text: {} (see layout.html)",
                pages.join(", ")
            )?;
        }
        Ok(())
    }
}

/// Writes a run's outputs under `dir` (created if needed): the files of
/// [`crate::export::run_folder::FILES`], each computed before the first write and written
/// atomically.
pub fn write_run_dir(out: &RunOutput, dir: &Path) -> Result<()> {
    crate::export::run_folder::write(out, dir)
}

/// Reads the bitext of a run folder with the reviser's edits (`edits.jsonl`, see
/// [`crate::edit`]) applied: what `check`, `export` and `index add` work on.
pub fn load_run_dir(dir: &Path) -> Result<Bitext> {
    crate::edit::run_dir::corrected(dir, load_run_base(dir)?)
}

/// Reads back the bitext that [`write_run_dir`] wrote, exactly (without the edits).
pub fn load_run_base(dir: &Path) -> Result<Bitext> {
    crate::export::run_folder::load(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WOVEN: &str = "Inleiding\n\n\
        Dit verslag geeft een overzicht van de samenwerking tussen de drie landen op het gebied van het buitenlands beleid. \
        Z.Exc. de heer Olivier Maes sprak namens de Benelux-landen in de Algemene Vergadering van de\n\n\
        Introduction\n\n\
        Le présent rapport donne un aperçu de la coopération entre les trois pays dans le domaine de la politique étrangère. \
        S.E. M. Olivier Maes a pris la parole au nom des pays du Benelux à l'Assemblée générale des\n\n\
        Verenigde Naties over ontwerpresolutie A/76/L.52.\n\n\
        Nations Unies sur le projet de résolution A/76/L.52.\n";

    fn sample() -> Bitext {
        let docs = ingest::read_woven(WOVEN, Path::new("t.txt"), &IngestOptions::default())
            .unwrap()
            .docs;
        bitext_from_documents("t".into(), docs, false, &RunOptions::default(), &|_| {})
    }

    #[test]
    fn builds_joined_blocks_sentences_and_beads() {
        let bitext = sample();
        assert_eq!(bitext.langs(), [Lang::NL, Lang::FR]);
        assert_eq!(bitext.src.blocks.len(), 2);
        assert_eq!(bitext.src.blocks[1].joined_from, vec![[3, 3], [9, 9]]);
        let nl: Vec<&str> = bitext
            .src
            .sentences
            .iter()
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(nl.len(), 3, "{nl:?}");
        assert!(nl[2].starts_with("Z.Exc. de heer Olivier Maes") && nl[2].ends_with("A/76/L.52."));
        assert_eq!(bitext.beads.len(), 3);
        assert!(bitext.beads.iter().all(|b| b.shape() == (1, 1)));
    }

    #[test]
    fn run_dir_reads_back_exactly() {
        let bitext = sample();
        let dir = tempfile::tempdir().unwrap();
        write_run_dir(
            &RunOutput {
                bitext: bitext.clone(),
                ..RunOutput::default()
            },
            dir.path(),
        )
        .unwrap();
        assert_eq!(load_run_dir(dir.path()).unwrap(), bitext);
        let tsv = std::fs::read_to_string(dir.path().join("bitext.tsv")).unwrap();
        assert!(
            tsv.starts_with("nl\tfr\nInleiding\tIntroduction\n"),
            "{tsv}"
        );
        let md = std::fs::read_to_string(dir.path().join("fr.md")).unwrap();
        assert!(
            md.starts_with("# Introduction\n\nLe présent rapport"),
            "{md}"
        );
    }

    #[test]
    fn with_an_encoder_every_sentence_pair_keeps_its_similarity_through_the_run_folder() {
        let Some(encoder) = crate::align::encoder::Encoder::for_tests() else {
            return;
        };
        let mut opts = RunOptions::default();
        opts.align.encoder = Some(std::sync::Arc::new(encoder));
        opts.align.gate_encoder = false;
        let docs = ingest::read_woven(WOVEN, Path::new("t.txt"), &IngestOptions::default())
            .unwrap()
            .docs;
        let bitext = bitext_from_documents("t".into(), docs, false, &opts, &|_| {});
        assert!(
            bitext
                .beads
                .iter()
                .all(|b| b.semantic.is_some_and(|c| c > 0.5)),
            "{:?}",
            bitext.beads
        );
        let dir = tempfile::tempdir().unwrap();
        let out = RunOutput {
            bitext: bitext.clone(),
            ..RunOutput::default()
        };
        write_run_dir(&out, dir.path()).unwrap();
        assert_eq!(load_run_dir(dir.path()).unwrap(), bitext);
    }

    #[test]
    fn load_refuses_sentences_out_of_order() {
        let bitext = sample();
        let dir = tempfile::tempdir().unwrap();
        write_run_dir(
            &RunOutput {
                bitext,
                ..RunOutput::default()
            },
            dir.path(),
        )
        .unwrap();
        let path = dir.path().join("bitext.jsonl");
        let text = std::fs::read_to_string(&path)
            .unwrap()
            .replace("\"nl-s2\"", "\"nl-s3\"");
        std::fs::write(&path, text).unwrap();
        let err = load_run_dir(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("bitext.jsonl:2: sentence nl-s3 is unknown or out of order"),
            "{err}"
        );
    }
}
