//! The one error type of the library. Each variant carries what a user needs to find the
//! problem (a path, a line); the front ends print it as one line.

use std::path::PathBuf;

/// Everything that can go wrong in diptych-core.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The input holds no text at all.
    #[error("{path}: the input is empty")]
    Empty {
        /// The empty input.
        path: PathBuf,
    },
    /// The input is not text (it holds NUL or other control bytes).
    #[error("{path}:{line}: binary data, not text")]
    Binary {
        /// The input.
        path: PathBuf,
        /// 1-based line of the first binary byte.
        line: usize,
    },
    /// The input is not valid UTF-8.
    #[error("{path}:{line}: not valid UTF-8 (byte offset {offset})")]
    InvalidUtf8 {
        /// The input.
        path: PathBuf,
        /// 1-based line of the first invalid byte.
        line: usize,
        /// 0-based byte offset of the first invalid byte.
        offset: usize,
    },
    /// A bilingual input in which only one language was found.
    #[error("{path}: only one language found ({lang}); a bilingual input needs two")]
    OneLanguage {
        /// The input.
        path: PathBuf,
        /// The one language found.
        lang: String,
    },
    /// A bilingual input in which more than two languages were found.
    #[error("{path}: {count} languages found ({langs}); choose two with --langs")]
    TooManyLanguages {
        /// The input.
        path: PathBuf,
        /// How many languages were found.
        count: usize,
        /// The languages, comma-separated.
        langs: String,
    },
    /// A structured input (XML, JSON, TSV, an alignment file) is malformed.
    #[error("{path}:{line}: {message}")]
    Malformed {
        /// The input.
        path: PathBuf,
        /// 1-based line where the problem was found.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A language code that is not a two-letter ISO 639-1 code.
    #[error("unknown language code {0:?} (expected a two-letter ISO 639-1 code such as nl or fr)")]
    BadLanguage(String),
    /// A PDF that cannot be read: truncated, corrupt, or not a PDF at all.
    #[error("{path}: not a readable PDF: {reason}")]
    BadPdf {
        /// The input.
        path: PathBuf,
        /// What the PDF library said.
        reason: String,
    },
    /// A PDF encrypted with a user password (an empty one is tried first).
    #[error("{path}: the PDF is encrypted; give a decrypted copy")]
    Encrypted {
        /// The input.
        path: PathBuf,
    },
    /// A PDF whose pages carry no text, such as a scan without OCR.
    #[error("{path}: no text layer: OCR it first")]
    NoTextLayer {
        /// The input.
        path: PathBuf,
    },
    /// The languages asked for with `--langs` are not the ones the input holds.
    #[error(
        "{path}: the languages asked for ({asked}) are not both in the input (found: {found})"
    )]
    LanguagesNotFound {
        /// The input.
        path: PathBuf,
        /// The languages asked for, comma-separated.
        asked: String,
        /// The languages found, comma-separated.
        found: String,
    },
    /// An input file larger than the run's ceiling ([`crate::pipeline::RunOptions::max_input_bytes`]).
    #[error(
        "{path}: the input is {} MB, over the limit of {} MB; raise it with --max-input-mb",
        megabytes(*size),
        megabytes(*limit)
    )]
    TooLarge {
        /// The input.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
        /// The ceiling in bytes.
        limit: u64,
    },
    /// An option or argument value that cannot be used.
    #[error("{0}")]
    Invalid(String),
}

/// A size in MB (10^6 bytes) for a message: whole MB from 10 up, else up to three decimals.
fn megabytes(bytes: u64) -> String {
    let mb = bytes as f64 / 1e6;
    if mb >= 10.0 {
        return format!("{mb:.0}");
    }
    let text = format!("{mb:.3}");
    match text.trim_end_matches('0').trim_end_matches('.') {
        "" => "0".to_owned(),
        short => short.to_owned(),
    }
}

/// The result type of diptych-core.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
