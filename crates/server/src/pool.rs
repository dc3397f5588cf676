//! A few read-only connections to the archive, shared by the request handlers. SQLite
//! connections are not shareable between threads, so each handler borrows one for the length
//! of a query, on a blocking thread.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use diptych_index::Archive;

use crate::ApiError;

/// Read-only archive connections, handed out in turn.
pub struct Pool {
    connections: Vec<Mutex<Archive>>,
    next: AtomicUsize,
}

/// One connection per core, at least 2 and at most 8.
pub fn default_size() -> usize {
    std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(2, 8)
}

impl Pool {
    /// Opens `size` read-only connections to the archive at `path`.
    pub fn open(path: &Path, size: usize) -> Result<Pool, diptych_index::Error> {
        let connections = (0..size.max(1))
            .map(|_| Archive::open_read_only(path).map(Mutex::new))
            .collect::<Result<_, _>>()?;
        Ok(Pool {
            connections,
            next: AtomicUsize::new(0),
        })
    }

    /// Runs `job` with a connection on a blocking thread.
    pub async fn with<T, F>(self: &std::sync::Arc<Self>, job: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Archive) -> Result<T, ApiError> + Send + 'static,
    {
        let pool = self.clone();
        let outcome = tokio::task::spawn_blocking(move || {
            let slot = pool.next.fetch_add(1, Ordering::Relaxed) % pool.connections.len();
            // A connection whose holder panicked is still a sound read-only connection.
            let archive = pool.connections[slot]
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            job(&archive)
        })
        .await;
        outcome.unwrap_or_else(|_| Err(ApiError::internal("the request failed unexpectedly")))
    }
}
