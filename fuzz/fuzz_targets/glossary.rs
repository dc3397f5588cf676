//! Fuzz target `glossary`: see `diptych_fuzz::core_targets::glossary`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| diptych_fuzz::core_targets::glossary(data));
