//! Fuzz target `dictionary`: see `diptych_fuzz::core_targets::dictionary`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| diptych_fuzz::core_targets::dictionary(data));
