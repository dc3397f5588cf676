//! Align: pairs blocks, then sentences inside aligned blocks, into beads.
