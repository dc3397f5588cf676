//! Ingest: turns an input into one [`crate::Document`] per language made of blocks.
