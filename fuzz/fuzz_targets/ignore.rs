//! Fuzz target `ignore`: see `diptych_fuzz::core_targets::ignore`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| diptych_fuzz::core_targets::ignore(data));
