//! Fuzz target `manifest`: see `diptych_fuzz::core_targets::manifest`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| diptych_fuzz::core_targets::manifest(data));
