//! Export: writes results in standard formats.
