//! The content hashes that let a batch skip a document done before: SHA-256 over the input
//! files' bytes, and over the run's options written out as text. A run folder whose
//! `run.json` records both is up to date.

use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::pipeline::Input;
use crate::{Error, Result, SourceStamp};

/// The input files of a run, in a fixed order (source before target).
pub fn input_files(input: &Input) -> Vec<&Path> {
    match input {
        Input::Woven(p) | Input::Pdf(p) => vec![p],
        Input::Pair { src, tgt }
        | Input::PdfPair { src, tgt }
        | Input::Presegmented { src, tgt } => vec![src, tgt],
    }
}

/// The stamp of an input read with options described by `options` (any text that changes
/// whenever an option that changes the outputs does).
pub fn stamp(input: &Input, options: &str) -> Result<SourceStamp> {
    let mut hasher = Sha256::new();
    for path in input_files(input) {
        hash_file(path, &mut hasher)?;
    }
    Ok(SourceStamp {
        input_sha256: hex(&hasher.finalize()),
        options_sha256: hex(&Sha256::digest(options.as_bytes())),
    })
}

/// Feeds a file's length, then its bytes, to the hasher (the length keeps `ab`+`c` apart
/// from `a`+`bc` in a pair).
fn hash_file(path: &Path, hasher: &mut Sha256) -> Result<()> {
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    hasher.update((bytes.len() as u64).to_le_bytes());
    hasher.update(&bytes);
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether the run folder `dir` holds a complete run (its `run.json`) of this stamp.
pub fn up_to_date(dir: &Path, stamp: &SourceStamp) -> bool {
    crate::export::run_folder::provenance(dir).is_ok_and(|p| p.source.as_ref() == Some(stamp))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn the_stamp_follows_the_bytes_and_the_options() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "abc").unwrap();
        let input = Input::Woven(path.clone());
        let first = stamp(&input, "langs=nl,fr").unwrap();
        assert_eq!(first, stamp(&input, "langs=nl,fr").unwrap());
        assert_eq!(first.input_sha256.len(), 64);
        assert_ne!(
            first.options_sha256,
            stamp(&input, "langs=nl,de").unwrap().options_sha256
        );
        std::fs::write(&path, "abd").unwrap();
        assert_ne!(
            first.input_sha256,
            stamp(&input, "langs=nl,fr").unwrap().input_sha256
        );
    }

    #[test]
    fn a_pair_is_not_the_same_as_its_bytes_moved_across() {
        let dir = tempfile::tempdir().unwrap();
        let file = |name: &str, text: &str| {
            let p = dir.path().join(name);
            std::fs::write(&p, text).unwrap();
            p
        };
        let pair = |src: PathBuf, tgt: PathBuf| stamp(&Input::Pair { src, tgt }, "").unwrap();
        let one = pair(file("1", "ab"), file("2", "c"));
        let two = pair(file("3", "a"), file("4", "bc"));
        assert_ne!(one.input_sha256, two.input_sha256);
    }

    #[test]
    fn an_unreadable_input_names_the_file() {
        let err = stamp(&Input::Woven("/nonexistent/x.txt".into()), "")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("/nonexistent/x.txt: "), "{err}");
    }
}
