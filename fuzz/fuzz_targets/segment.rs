//! Fuzz target `segment`: see `diptych_fuzz::core_targets::segment`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| diptych_fuzz::core_targets::segment(data));
