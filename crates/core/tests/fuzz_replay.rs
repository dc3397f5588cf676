//! Replays the fuzz corpora of diptych-core's targets on stable, as ordinary tests: every
//! file of `fuzz/corpus/<target>/` and `fuzz/regressions/<target>/` goes through the same
//! target function libFuzzer calls (`fuzz/src/core_targets.rs`), so each crash the fuzzer
//! found stays a test. `DIPTYCH_FUZZ_DIR` points at another `fuzz/` folder.

#[allow(dead_code)]
#[path = "../../../fuzz/src/core_targets.rs"]
mod core_targets;

use std::path::PathBuf;

/// The `fuzz/` folder of the repository, or `$DIPTYCH_FUZZ_DIR`.
fn fuzz_dir() -> PathBuf {
    std::env::var_os("DIPTYCH_FUZZ_DIR").map_or_else(
        || PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fuzz")),
        PathBuf::from,
    )
}

/// Runs `target` on every committed input of its corpus and regressions; returns how many.
fn replay(target: &str, run: fn(&[u8])) -> usize {
    let mut count = 0;
    for kind in ["corpus", "regressions"] {
        let dir = fuzz_dir().join(kind).join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries.map(|e| e.expect("a folder entry").path()).collect();
        files.sort();
        for file in files {
            let data = std::fs::read(&file).expect("a corpus file");
            eprintln!("{target}: {}", file.display());
            run(&data);
            count += 1;
        }
    }
    count
}

macro_rules! replay_tests {
    ($($target:ident),* $(,)?) => {$(
        #[test]
        fn $target() {
            let n = replay(stringify!($target), core_targets::$target);
            assert!(n > 0, "no corpus for {} under {}", stringify!($target), fuzz_dir().display());
        }
    )*};
}

// The PDF target's committed inputs are small (a hand-made page, fuzzer finds, regressions);
// the fixtures of `tests/data/pdf`, its other seeds under `scripts/fuzz`, are read by the PDF
// tests already.
replay_tests!(
    woven, segment, align, tmx, xliff, manifest, ignore, glossary, dictionary, dictd, edits, pdf,
);
