//! Checkpoints of a writing SQLite archive's write-ahead logs, on a thread of their own.
//!
//! In WAL mode a commit appends the transaction's pages to the log (`PRAGMA synchronous =
//! NORMAL`: no fsync), and a checkpoint copies them into the database file and syncs both.
//! SQLite runs that checkpoint in the committing thread by default, once the log holds 1,000
//! pages: after every batch of a bulk `index add` (about 90 MB), with both cores idle while
//! it syncs (a third of the wall-clock time at 1M beads). The writer's connections turn that
//! off (`wal_autocheckpoint = 0`) and a [`Checkpointer`] checkpoints each file (`PASSIVE`:
//! never waiting for, nor blocking, readers or the writer) after each commit, while the
//! writer goes on with the next batch. Nothing about durability changes: a checkpoint only
//! moves committed pages from the log into the database file.
//!
//! A log starts over from its beginning only when a write transaction begins after a
//! checkpoint has copied all of it; the writer's next batch usually begins first, so during a
//! bulk add the log grows. [`Checkpointer::bound`] keeps it under [`WAL_BOUND`]: the writer
//! waits for the running checkpoint before a batch when a log has grown past it.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;

use rusqlite::Connection;

/// How large a write-ahead log may grow before the writer waits for the checkpoint in
/// progress (so that its next transaction writes the log from its beginning again).
pub(crate) const WAL_BOUND: u64 = 1 << 30;

/// What the checkpointing thread has been asked to do, and has done (commits are counted).
#[derive(Default)]
struct Progress {
    asked: u64,
    done: u64,
    stop: bool,
}

/// The state shared with the checkpointing thread.
#[derive(Default)]
struct Shared {
    progress: Mutex<Progress>,
    changed: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Progress> {
        self.progress.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A thread that checkpoints the write-ahead logs of some SQLite files when asked (after
/// each commit of the archive's writer), on connections of its own.
pub(crate) struct Checkpointer {
    shared: Arc<Shared>,
    files: Vec<PathBuf>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts the thread for `files` (the archive and its substring index).
    pub(crate) fn start(files: Vec<PathBuf>) -> Checkpointer {
        let shared = Arc::new(Shared::default());
        let worker = (shared.clone(), files.clone());
        let thread = std::thread::Builder::new()
            .name("diptych-checkpoint".into())
            .spawn(move || run(&worker.0, &worker.1))
            .ok();
        Checkpointer {
            shared,
            files,
            thread,
        }
    }

    /// Asks for a checkpoint of every file (after a commit); returns at once.
    pub(crate) fn ask(&self) {
        if self.thread.is_none() {
            // No thread could be started: checkpoint here, as SQLite would have.
            checkpoint_all(&mut open_all(&self.files));
            return;
        }
        self.shared.lock().asked += 1;
        self.shared.changed.notify_all();
    }

    /// Waits until every checkpoint asked for is done.
    pub(crate) fn wait(&self) {
        let mut progress = self.shared.lock();
        while self.thread.is_some() && progress.done < progress.asked {
            progress = self
                .shared
                .changed
                .wait(progress)
                .unwrap_or_else(|p| p.into_inner());
        }
    }

    /// Before a write transaction: when a file's log has grown past [`WAL_BOUND`], waits for
    /// the checkpoint in progress, so that the transaction writes the log from its start.
    pub(crate) fn bound(&self) {
        self.bound_at(WAL_BOUND);
    }

    /// [`Checkpointer::bound`] with the bound given.
    fn bound_at(&self, limit: u64) {
        if self.files.iter().any(|f| wal_size(f) > limit) {
            self.wait();
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.shared.lock().stop = true;
        self.shared.changed.notify_all();
        if let Some(thread) = self.thread.take() {
            // A panic in the thread has nothing to report here: the logs stay valid.
            let _ = thread.join();
        }
    }
}

/// The checkpointing thread: one round per request (requests made during a round are served
/// by the next), until stopped with nothing left to do.
fn run(shared: &Shared, files: &[PathBuf]) {
    // Opened at the first request, once the writer has created the files.
    let mut connections: Option<Vec<Connection>> = None;
    loop {
        let target = {
            let mut progress = shared.lock();
            while progress.asked == progress.done && !progress.stop {
                progress = shared
                    .changed
                    .wait(progress)
                    .unwrap_or_else(|p| p.into_inner());
            }
            if progress.asked == progress.done {
                return;
            }
            progress.asked
        };
        checkpoint_all(connections.get_or_insert_with(|| open_all(files)));
        shared.lock().done = target;
        shared.changed.notify_all();
    }
}

/// Connections to `files` (a file that cannot be opened is left out: its log is then
/// checkpointed by SQLite when its last connection closes).
fn open_all(files: &[PathBuf]) -> Vec<Connection> {
    files
        .iter()
        .filter_map(|f| Connection::open(f).ok())
        .collect()
}

/// A `PASSIVE` checkpoint of each connection's file. A checkpoint that fails (another
/// process checkpointing, a reader holding old pages) leaves the log longer, and valid; the
/// next round copies what it could not.
fn checkpoint_all(connections: &mut [Connection]) {
    for conn in connections {
        let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
    }
}

/// The size of the write-ahead log of the SQLite file at `path` (0 when it has none).
pub(crate) fn wal_size(path: &Path) -> u64 {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::metadata(PathBuf::from(wal)).map_or(0, |m| m.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A WAL-mode file with automatic checkpoints off and `rows` rows committed.
    fn logged_file(path: &Path, rows: i64) -> Connection {
        let conn = Connection::open(path).unwrap();
        conn.execute_batch(&format!(
            "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE t(x);
             WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < {rows})
             INSERT INTO t SELECT printf('%040d', x) FROM n;"
        ))
        .unwrap();
        conn
    }

    fn size(path: &Path) -> u64 {
        std::fs::metadata(path).map_or(0, |m| m.len())
    }

    #[test]
    fn checkpoints_every_file_when_asked_and_waits_for_them() {
        let dir = tempfile::tempdir().unwrap();
        let files = [dir.path().join("a.sqlite"), dir.path().join("b.sqlite")];
        let _conns: Vec<Connection> = files.iter().map(|f| logged_file(f, 20_000)).collect();
        let before: Vec<u64> = files.iter().map(|f| size(f)).collect();
        assert!(files.iter().all(|f| wal_size(f) > 500_000));
        let checkpointer = Checkpointer::start(files.to_vec());
        checkpointer.ask();
        checkpointer.wait();
        // The rows reached the database files themselves.
        for (f, b) in files.iter().zip(&before) {
            assert!(size(f) > b + 500_000, "{} not checkpointed", f.display());
        }
    }

    #[test]
    fn bound_waits_for_the_checkpoint_only_when_a_log_is_past_it() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.sqlite");
        let _conn = logged_file(&file, 20_000);
        let checkpointer = Checkpointer::start(vec![file.clone()]);
        checkpointer.bound_at(u64::MAX);
        assert_eq!(checkpointer.shared.lock().asked, 0);
        checkpointer.ask();
        checkpointer.bound_at(100_000);
        let progress = checkpointer.shared.lock();
        assert_eq!((progress.asked, progress.done), (1, 1));
        drop(progress);
        assert!(size(&file) > 500_000);
        assert_eq!(wal_size(&dir.path().join("none.sqlite")), 0);
    }
}
