//! Fuzz target `xliff`: see `diptych_fuzz::core_targets::xliff`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| diptych_fuzz::core_targets::xliff(data));
