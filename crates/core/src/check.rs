//! Check: compares the two sides of each bead and reports findings.
