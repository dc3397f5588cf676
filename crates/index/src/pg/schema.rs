//! The PostgreSQL archive's schema: recognising it, creating it, upgrading it.
//!
//! An archive is a schema holding `diptych_meta`, whose rows say `application_id` (the same
//! mark as SQLite's, "DPTY"), `schema_version` and `changes` (a count of committed writes, so
//! readers know when to list the documents again). Each version is one SQL file in
//! `migrations/postgres/`; a new archive runs them all and an older one those it lacks, in one
//! transaction under an advisory lock, so several processes opening one archive at once
//! create or upgrade it once.

use postgres::GenericClient;

use super::PgArchive;
use crate::schema::APPLICATION_ID;
use crate::{Error, Result};

/// The PostgreSQL migrations in order: `MIGRATIONS[v]` takes version `v` to `v + 1`.
const MIGRATIONS: [&str; 1] = [include_str!("../../migrations/postgres/v1.sql")];

/// The PostgreSQL schema version this build writes and reads.
const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The advisory lock (two-key form, apart from the one-key locks on document names) held
/// while the schema is created or upgraded.
const SCHEMA_LOCK: (i32, i32) = (APPLICATION_ID as i32, 0);

/// What the archive's schema holds.
enum Header {
    /// No tables at all: a new archive can be made here.
    Empty,
    /// Tables, but no `diptych_meta`: another program's.
    Foreign,
    /// An archive: its application id and schema version.
    Archive(i64, i64),
}

fn read_header(client: &mut impl GenericClient) -> Result<Header, postgres::Error> {
    let tables: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()",
            &[],
        )?
        .get(0);
    let has_meta: bool = client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_tables
                            WHERE schemaname = current_schema() AND tablename = 'diptych_meta')",
            &[],
        )?
        .get(0);
    if !has_meta {
        return Ok(if tables == 0 {
            Header::Empty
        } else {
            Header::Foreign
        });
    }
    let mut read = |key: &str| -> Result<i64, postgres::Error> {
        let row = client.query_opt("SELECT value FROM diptych_meta WHERE key = $1", &[&key])?;
        Ok(row.map_or(0, |r| r.get(0)))
    };
    let app = read("application_id")?;
    let version = read("schema_version")?;
    Ok(Header::Archive(app, version))
}

impl PgArchive {
    /// Creates the archive in an empty schema, or brings an older one to this build's version;
    /// refuses another program's tables and a newer archive.
    pub(super) fn create_or_upgrade(&self) -> Result<()> {
        let mut client = self.client.borrow_mut();
        let mut tx = client.transaction().map_err(|e| self.fail(e))?;
        tx.execute(
            "SELECT pg_advisory_xact_lock($1, $2)",
            &[&SCHEMA_LOCK.0, &SCHEMA_LOCK.1],
        )
        .map_err(|e| self.fail(e))?;
        let from = match read_header(&mut tx).map_err(|e| self.fail(e))? {
            Header::Empty => 0,
            Header::Archive(APPLICATION_ID, v) if v == SCHEMA_VERSION => return Ok(()),
            Header::Archive(APPLICATION_ID, v) if v > SCHEMA_VERSION => {
                return Err(self.newer(v));
            }
            Header::Archive(APPLICATION_ID, v) => v,
            _ => return Err(self.foreign()),
        };
        let mut sql = MIGRATIONS[from as usize..].join("\n");
        if from == 0 {
            sql.push_str(&format!(
                "\nINSERT INTO diptych_meta VALUES ('application_id', {APPLICATION_ID}), ('changes', 0);"
            ));
        }
        sql.push_str(&format!(
            "\nINSERT INTO diptych_meta VALUES ('schema_version', {SCHEMA_VERSION})
             ON CONFLICT (key) DO UPDATE SET value = excluded.value;"
        ));
        tx.batch_execute(&sql)
            .and_then(|_| tx.commit())
            .map_err(|e| self.fail(e))
    }

    /// Checks that the schema holds an archive of this build's version (a reading open
    /// neither creates nor upgrades).
    pub(super) fn check_readable(&self) -> Result<()> {
        let header = read_header(&mut *self.client.borrow_mut()).map_err(|e| self.fail(e))?;
        match header {
            Header::Empty => Err(Error::NoArchive {
                path: self.location.clone(),
            }),
            Header::Archive(APPLICATION_ID, v) if v == SCHEMA_VERSION => Ok(()),
            Header::Archive(APPLICATION_ID, v) if v > SCHEMA_VERSION => Err(self.newer(v)),
            Header::Archive(APPLICATION_ID, v) => Err(Error::OlderSchema {
                path: self.location.clone(),
                found: v,
                current: SCHEMA_VERSION,
            }),
            _ => Err(self.foreign()),
        }
    }

    fn newer(&self, found: i64) -> Error {
        Error::NewerSchema {
            path: self.location.clone(),
            found,
            supported: SCHEMA_VERSION,
        }
    }

    fn foreign(&self) -> Error {
        Error::Foreign {
            path: self.location.clone(),
        }
    }
}
