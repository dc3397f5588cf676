//! Fuzz target `align`: see `diptych_fuzz::core_targets::align`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| diptych_fuzz::core_targets::align(data));
