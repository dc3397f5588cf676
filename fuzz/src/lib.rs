//! The bodies of diptych's fuzz targets, one function per target (see `scripts/fuzz` and the
//! README's "Fuzzing" section). The two modules are plain files so that the workspace crates'
//! `tests/fuzz_replay.rs` can include them and replay the corpora on stable.

pub mod core_targets;
pub mod index_targets;
