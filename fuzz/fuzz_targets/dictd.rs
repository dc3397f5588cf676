//! Fuzz target `dictd`: see `diptych_fuzz::core_targets::dictd`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| diptych_fuzz::core_targets::dictd(data));
