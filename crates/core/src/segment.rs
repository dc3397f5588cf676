//! Segment: cuts blocks into sentences with per-language rules.
