//! Fuzz target `edits`: see `diptych_fuzz::core_targets::edits`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| diptych_fuzz::core_targets::edits(data));
