//! Fuzz target `pdf`: see `diptych_fuzz::core_targets::pdf`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| diptych_fuzz::core_targets::pdf(data));
