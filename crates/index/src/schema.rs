//! The archive's tables, how a file is recognised as an archive, and how an archive of an
//! older schema is upgraded.
//!
//! A diptych archive is a SQLite file whose `application_id` is [`APPLICATION_ID`] and whose
//! `user_version` is the schema version. Each version is one SQL file in `migrations/`:
//! `v1.sql` creates the first schema, `v2.sql` takes a version 1 archive to version 2, and so
//! on. A new archive runs them all; an older one runs those it lacks, in one transaction with
//! the version bump, so an upgrade is all or nothing. The files of released versions are never
//! edited (`tests/migrations.rs` opens an archive written by version 1).
//!
//! Sentences are indexed twice with FTS5: in the archive, as external content, with `unicode61
//! remove_diacritics 2` and prefix indexes (words, phrases, prefixes; case- and
//! accent-insensitive), and with `trigram` (substrings) in a second file beside the archive
//! (since version 3, `substrings.rs`), which a second thread fills. The code fills both per
//! batch of added documents and empties them before deleting (see `write.rs`).

/// Marks a SQLite file as a diptych archive (`PRAGMA application_id`): "DPTY" in ASCII.
pub const APPLICATION_ID: i64 = 0x4450_5459;

/// The schema version this build writes and reads (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The migrations in order: `MIGRATIONS[v]` takes an archive of version `v` to `v + 1`
/// (version 0 being the empty file).
pub const MIGRATIONS: [&str; 3] = [
    include_str!("../migrations/v1.sql"),
    include_str!("../migrations/v2.sql"),
    include_str!("../migrations/v3.sql"),
];

/// The SQL that takes an archive of version `from` to [`SCHEMA_VERSION`] (all of it for a
/// new archive, `from` = 0).
pub fn upgrade_sql(from: i64) -> String {
    let from = usize::try_from(from).unwrap_or(0).min(MIGRATIONS.len());
    MIGRATIONS[from..].join("\n")
}
