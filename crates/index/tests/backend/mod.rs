//! The two archive backends for tests: a fresh SQLite file in a temporary folder, or a fresh
//! schema in the test PostgreSQL database (dropped at the end), so tests run in parallel.
//!
//! The PostgreSQL server is the one `scripts/setup` starts: `$DIPTYCH_TEST_POSTGRES`, else
//! [`DEFAULT_URL`]. When it does not answer, PostgreSQL tests print a note and pass without
//! testing, except under `CI`, where they fail.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The test database `scripts/setup` creates (role and password `diptych`, no TLS, loopback).
pub const DEFAULT_URL: &str = "postgres://diptych:diptych@127.0.0.1:5432/diptych";

/// Which backend a test runs on.
#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh, empty archive location; its folder or schema goes when it is dropped.
pub struct Fresh {
    /// What `Archive::open` takes: a file path or a URL.
    pub location: PathBuf,
    dir: tempfile::TempDir,
    /// The server URL and the schema made for this test.
    schema: Option<(String, String)>,
}

impl Drop for Fresh {
    fn drop(&mut self) {
        if let Some((url, schema)) = &self.schema {
            if let Ok(mut client) = postgres::Client::connect(url, postgres::NoTls) {
                let _ = client.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
            }
        }
    }
}

/// The test server's URL.
pub fn server_url() -> String {
    std::env::var("DIPTYCH_TEST_POSTGRES")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| DEFAULT_URL.to_owned())
}

/// A client of the test server, or `None` (after a note) when it does not answer and `CI` is
/// not set.
pub fn admin() -> Option<postgres::Client> {
    let url = server_url();
    match postgres::Client::connect(&url, postgres::NoTls) {
        Ok(client) => Some(client),
        Err(e) if std::env::var_os("CI").is_some() => {
            panic!("PostgreSQL at {url} does not answer under CI (scripts/setup starts it): {e}")
        }
        Err(e) => {
            eprintln!("note: skipping a PostgreSQL test: {url} does not answer ({e}); run scripts/setup or set DIPTYCH_TEST_POSTGRES");
            None
        }
    }
}

/// `url` with the connection's search_path set to `schema` (then `public`, where the
/// extensions live).
pub fn url_with_schema(url: &str, schema: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}options=-csearch_path%3D{schema},public")
}

impl Backend {
    /// A fresh location on this backend, or `None` when PostgreSQL is not there (not under CI).
    pub fn fresh(self) -> Option<Fresh> {
        let dir = tempfile::tempdir().unwrap();
        match self {
            Backend::Sqlite => Some(Fresh {
                location: dir.path().join("a.sqlite"),
                dir,
                schema: None,
            }),
            Backend::Postgres => {
                let mut client = admin()?;
                let schema = unique_schema();
                client
                    .batch_execute(&format!("CREATE SCHEMA {schema}"))
                    .unwrap();
                let url = server_url();
                Some(Fresh {
                    location: PathBuf::from(url_with_schema(&url, &schema)),
                    dir,
                    schema: Some((url, schema)),
                })
            }
        }
    }
}

impl Fresh {
    /// A scratch folder that lives as long as the location.
    pub fn dir(&self) -> &std::path::Path {
        self.dir.path()
    }

    /// The schema made for this test (PostgreSQL only).
    pub fn schema(&self) -> Option<&str> {
        self.schema.as_ref().map(|(_, s)| s.as_str())
    }
}

/// A schema name no other test (of this or another process) uses.
fn unique_schema() -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "diptych_test_{}_{}_{nanos}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// Declares each named test, a function taking a [`Backend`], once per backend:
/// `sqlite::NAME` and `postgres::NAME`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[test]
            fn $name() {
                super::$name($crate::backend::Backend::Sqlite)
            })*
        }
        mod postgres {
            $(#[test]
            fn $name() {
                super::$name($crate::backend::Backend::Postgres)
            })*
        }
    };
}
