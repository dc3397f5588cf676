//! `edits.jsonl`: the append-only log of a run folder's edits, one [`LogEntry`] a line.
//!
//! A line is acknowledged only after it is written and fsync'd ([`EditLog::append`]), so an
//! acknowledged edit survives a crash or a kill. A kill in the middle of a write can leave a
//! last line without its newline: it was never acknowledged, so [`read`] ignores it and
//! [`EditLog::open`] cuts it off before appending.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use super::LogEntry;
use crate::{Error, Result};

/// The log's file name in a run folder.
pub const FILE: &str = "edits.jsonl";

/// Reads the log of run folder `dir` (no file: no edits). A malformed line is an error naming
/// the line, except an unfinished last line (a write cut short), which is ignored.
pub fn read(dir: &Path) -> Result<Vec<LogEntry>> {
    let path = dir.join(FILE);
    let text = match std::fs::read(&path) {
        Ok(bytes) => String::from_utf8_lossy(complete_part(&bytes)).into_owned(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(vec![]),
        Err(e) => return Err(Error::io(&path, e)),
    };
    crate::export::jsonl::parse_lines(&path, &text, "an edit")
}

/// The bytes up to and including the last newline.
fn complete_part(bytes: &[u8]) -> &[u8] {
    let end = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    &bytes[..end]
}

/// The log opened for appending.
#[derive(Debug)]
pub struct EditLog {
    path: PathBuf,
    file: File,
}

impl EditLog {
    /// Opens (or creates) the log of run folder `dir`, cutting off an unfinished last line.
    pub fn open(dir: &Path) -> Result<EditLog> {
        let path = dir.join(FILE);
        let existed = path.exists();
        let file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
        let complete = complete_part(&bytes).len();
        if complete != bytes.len() {
            file.set_len(complete as u64)
                .and_then(|()| file.sync_all())
                .map_err(|e| Error::io(&path, e))?;
        }
        if !existed {
            sync_dir(dir).map_err(|e| Error::io(dir, e))?;
        }
        Ok(EditLog { path, file })
    }

    /// Appends one line and waits until it is on disk. A failed write (a full disk) is cut
    /// off again, so that the next line starts on a line of its own.
    pub fn append(&mut self, entry: &LogEntry) -> Result<()> {
        let mut line = serde_json::to_vec(entry).expect("serialisable");
        line.push(b'\n');
        let before = self
            .file
            .metadata()
            .map_err(|e| Error::io(&self.path, e))?
            .len();
        self.file
            .write_all(&line)
            .and_then(|()| self.file.sync_data())
            .map_err(|e| {
                let _ = self.file.set_len(before);
                Error::io(&self.path, e)
            })
    }
}

/// Makes a new file's directory entry durable.
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

/// A time as written in the log: ISO 8601 UTC to the second, e.g. `2026-11-29T11:04:05Z`.
pub fn timestamp(time: SystemTime) -> String {
    let secs = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Year, month, day of a count of days since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_iso_utc() {
        assert_eq!(timestamp(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        let t = UNIX_EPOCH + std::time::Duration::from_secs(1_709_251_199);
        assert_eq!(timestamp(t), "2024-02-29T23:59:59Z");
    }

    #[test]
    fn an_unfinished_last_line_is_ignored_and_cut_off() {
        let dir = tempfile::tempdir().unwrap();
        let entry = r#"{"time":"t","user":"u","version":0,"op":"undo","before":[],"after":[]}"#;
        std::fs::write(dir.path().join(FILE), format!("{entry}\n{{\"time\":\"t")).unwrap();
        assert_eq!(read(dir.path()).unwrap().len(), 1);
        drop(EditLog::open(dir.path()).unwrap());
        let text = std::fs::read_to_string(dir.path().join(FILE)).unwrap();
        assert_eq!(text, format!("{entry}\n"));
        std::fs::write(dir.path().join(FILE), "{\"nonsense\":1}\n").unwrap();
        let err = read(dir.path()).unwrap_err().to_string();
        assert!(err.contains("edits.jsonl:1: not an edit"), "{err}");
    }
}
