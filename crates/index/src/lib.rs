//! diptych-index: the archive of processed documents, searched as a bilingual concordance.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
