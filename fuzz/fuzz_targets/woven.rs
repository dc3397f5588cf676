//! Fuzz target `woven`: see `diptych_fuzz::core_targets::woven`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| diptych_fuzz::core_targets::woven(data));
