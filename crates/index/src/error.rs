//! The error type of the archive. Every variant names the archive file or the query concerned,
//! so the front ends can print it as one line.

use std::path::PathBuf;

/// Everything that can go wrong in diptych-index.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file exists but is not a SQLite database (or is damaged beyond opening).
    #[error("{path}: not a diptych archive (the file is not a SQLite database or is damaged)")]
    NotADatabase {
        /// The archive path.
        path: PathBuf,
    },
    /// The file is a SQLite database written by some other program, or the PostgreSQL schema
    /// holds another program's tables.
    #[error("{path}: not a diptych archive (a database of another program)")]
    Foreign {
        /// The archive path (or URL).
        path: PathBuf,
    },
    /// The archive was written by a newer diptych with a schema this version cannot read.
    #[error(
        "{path}: archive schema version {found} is newer than this diptych supports ({supported}); upgrade diptych"
    )]
    NewerSchema {
        /// The archive path.
        path: PathBuf,
        /// The version stored in the file.
        found: i64,
        /// The newest version this build reads.
        supported: i64,
    },
    /// The archive has an older schema and was opened read-only, so it cannot be upgraded.
    #[error(
        "{path}: archive schema version {found} is older than this diptych's ({current}); open it once with a writing command (diptych index list) to upgrade it"
    )]
    OlderSchema {
        /// The archive path.
        path: PathBuf,
        /// The version stored in the file.
        found: i64,
        /// The version this build writes.
        current: i64,
    },
    /// The substring index beside a SQLite archive (`PATH-substrings`) is missing and the
    /// archive was opened read-only, so it cannot be rebuilt.
    #[error(
        "{path}: the archive's substring index is missing; open the archive once with a writing command (diptych index list) to rebuild it"
    )]
    MissingSubstringIndex {
        /// The path of the missing file.
        path: PathBuf,
    },
    /// A database operation failed (a damaged file, a full disk, a locked database).
    #[error("{path}: archive error: {source}")]
    Sqlite {
        /// The archive path.
        path: PathBuf,
        /// What SQLite said.
        source: rusqlite::Error,
    },
    /// The PostgreSQL server cannot be reached, refuses the login, or the URL is malformed.
    #[error("{path}: cannot open the PostgreSQL archive: {message}")]
    Connect {
        /// The URL, without its password.
        path: PathBuf,
        /// What the client or the server said.
        message: String,
    },
    /// A PostgreSQL statement failed (a lost connection, a full disk, a permission).
    #[error("{path}: archive error: {message}")]
    Postgres {
        /// The URL, without its password.
        path: PathBuf,
        /// What the server said.
        message: String,
    },
    /// A PostgreSQL database that holds no archive, opened by a reading command.
    #[error("{path}: no diptych archive in this database (create one with diptych index add)")]
    NoArchive {
        /// The URL, without its password.
        path: PathBuf,
    },
    /// The query cannot be searched (no words in it, a substring shorter than 3 characters).
    #[error("bad query: {0}")]
    BadQuery(String),
    /// A document name that is not in the archive.
    #[error("no document named {0:?} in the archive")]
    NoSuchDocument(String),
    /// A document that cannot be stored as given (no name, inconsistent beads).
    #[error("cannot add document {name:?}: {message}")]
    BadDocument {
        /// The document's name.
        name: String,
        /// What is wrong.
        message: String,
    },
    /// A query ran past the time budget set with [`crate::Archive::set_time_budget`] and was
    /// stopped (SQLite: interrupted by its progress handler; PostgreSQL: `statement_timeout`).
    #[error("{path}: the query ran past its time budget and was stopped")]
    TimedOut {
        /// The archive path (or URL, without its password).
        path: PathBuf,
    },
    /// An argument value that cannot be used (a malformed date, a negative page).
    #[error("{0}")]
    Invalid(String),
}

/// The result type of diptych-index.
pub type Result<T, E = Error> = std::result::Result<T, E>;
