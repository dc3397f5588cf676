//! Fuzz target `query`: see `diptych_fuzz::index_targets::query`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| diptych_fuzz::index_targets::query(data));
