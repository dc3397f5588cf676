//! Read-only connections to the archive, opened once when the server starts and shared by the
//! request handlers. A SQLite connection serves one query at a time, so each handler takes a
//! free connection for the length of its query, on a blocking thread, and gives it back; when
//! all are busy it waits for the first one returned (never for a particular busy one).

use std::path::Path;
use std::sync::{Arc, Condvar, Mutex};

use diptych_index::{Archive, SearchCache};

use crate::ApiError;

/// Read-only archive connections, each lent to one request at a time.
pub struct Pool {
    free: Mutex<Vec<Archive>>,
    returned: Condvar,
}

/// One connection per core, at least 2 and at most 8.
pub fn default_size() -> usize {
    std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(2, 8)
}

/// Connections kept to a PostgreSQL archive: its queries run in the server's processes, and a
/// request holds its connection while it waits for them, so one connection per core would
/// queue requests behind idle waits (8 clients on 2 connections: see the README's figures).
pub const POSTGRES_SIZE: usize = 8;

/// The pool size for the archive at `location`: [`default_size`] for a SQLite file (its
/// queries run on this machine's cores), [`POSTGRES_SIZE`] for a PostgreSQL URL.
pub fn size_for(location: &Path) -> usize {
    if diptych_index::is_postgres(location) {
        POSTGRES_SIZE
    } else {
        default_size()
    }
}

/// Gives a connection back to the pool when dropped, also when the job panicked.
struct Lent<'a> {
    pool: &'a Pool,
    archive: Option<Archive>,
}

impl Drop for Lent<'_> {
    fn drop(&mut self) {
        if let Some(archive) = self.archive.take() {
            self.pool.lock().push(archive);
            self.pool.returned.notify_one();
        }
    }
}

impl Pool {
    /// Opens `size` read-only connections to the archive at `path`, sharing the count and
    /// ranking of the last [`diptych_index::SEARCH_CACHE`] searches. An archive of an older
    /// schema is first upgraded in place, and a missing substring index rebuilt (the one write
    /// the server ever makes).
    pub fn open(path: &Path, size: usize) -> Result<Pool, diptych_index::Error> {
        Pool::open_caching(path, size, diptych_index::SEARCH_CACHE)
    }

    /// [`Pool::open`] with the connections sharing `searches` searches
    /// ([`Archive::share_searches`]; 0 keeps none, as the benchmark's uncached run does).
    pub fn open_caching(
        path: &Path,
        size: usize,
        searches: usize,
    ) -> Result<Pool, diptych_index::Error> {
        if let Err(
            diptych_index::Error::OlderSchema { .. }
            | diptych_index::Error::MissingSubstringIndex { .. },
        ) = Archive::open_read_only(path)
        {
            drop(Archive::open(path)?);
        }
        let cache = Arc::new(SearchCache::new(searches));
        let connections = (0..size.max(1))
            .map(|_| {
                let mut archive = Archive::open_read_only(path)?;
                if searches > 0 {
                    archive.share_searches(&cache)?;
                }
                Ok(archive)
            })
            .collect::<Result<_, _>>()?;
        Ok(Pool {
            free: Mutex::new(connections),
            returned: Condvar::new(),
        })
    }

    /// The free list; a holder that panicked left it sound (a push or a pop).
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Archive>> {
        self.free
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn take(&self) -> Lent<'_> {
        let mut free = self.lock();
        loop {
            if let Some(archive) = free.pop() {
                return Lent {
                    pool: self,
                    archive: Some(archive),
                };
            }
            free = self
                .returned
                .wait(free)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
    }

    /// Runs `job` with a free connection on a blocking thread.
    pub async fn with<T, F>(self: &std::sync::Arc<Self>, job: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Archive) -> Result<T, ApiError> + Send + 'static,
    {
        let pool = self.clone();
        let outcome = tokio::task::spawn_blocking(move || {
            let lent = pool.take();
            match lent.archive.as_ref() {
                Some(archive) => job(archive),
                None => Err(ApiError::internal("no archive connection")),
            }
        })
        .await;
        outcome.unwrap_or_else(|_| Err(ApiError::internal("the request failed unexpectedly")))
    }
}
