//! diptych-server: HTTP front end over an archive.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
