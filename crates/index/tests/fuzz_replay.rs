//! Replays the query parser's fuzz corpus on stable (see `crates/core/tests/fuzz_replay.rs`):
//! every file of `fuzz/corpus/query/` and `fuzz/regressions/query/` goes through the function
//! libFuzzer calls (`fuzz/src/index_targets.rs`). `DIPTYCH_FUZZ_DIR` points at another `fuzz/`.

#[path = "../../../fuzz/src/index_targets.rs"]
mod index_targets;

use std::path::PathBuf;

/// The `fuzz/` folder of the repository, or `$DIPTYCH_FUZZ_DIR`.
fn fuzz_dir() -> PathBuf {
    std::env::var_os("DIPTYCH_FUZZ_DIR").map_or_else(
        || PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fuzz")),
        PathBuf::from,
    )
}

#[test]
fn query() {
    let mut count = 0;
    for kind in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(fuzz_dir().join(kind).join("query")) else {
            continue;
        };
        for entry in entries {
            let data = std::fs::read(entry.expect("a folder entry").path()).expect("a file");
            index_targets::query(&data);
            count += 1;
        }
    }
    assert!(count > 0, "no query corpus under {}", fuzz_dir().display());
}
