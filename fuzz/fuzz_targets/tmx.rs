//! Fuzz target `tmx`: see `diptych_fuzz::core_targets::tmx`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| diptych_fuzz::core_targets::tmx(data));
