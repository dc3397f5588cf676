//! File input and output shared by the stages: reading text with clear errors about encoding,
//! and writing outputs atomically (a temporary file in the same folder, then a rename), so that
//! a crash never leaves a half-written file behind.

use std::io::Write;
use std::path::Path;

use crate::{Error, Result};

/// Reads a whole file as UTF-8 text, refusing empty, binary and non-UTF-8 input with an error
/// that names the file and the line.
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    text_from_bytes(path, bytes)
}

/// Checks raw bytes the way [`read_text`] does; `path` only names the input in errors.
pub fn text_from_bytes(path: &Path, bytes: Vec<u8>) -> Result<String> {
    let line_of =
        |bytes: &[u8], offset: usize| 1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count();
    if let Some(offset) = bytes.iter().position(|&b| is_binary_byte(b)) {
        return Err(Error::Binary {
            path: path.into(),
            line: line_of(&bytes, offset),
        });
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            return Err(Error::InvalidUtf8 {
                path: path.into(),
                line: line_of(&bytes, offset),
                offset,
            });
        }
    };
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_owned)
        .unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Error::Empty { path: path.into() });
    }
    Ok(text)
}

/// Control bytes that never occur in text files (tab, newline, carriage return and form feed
/// do, so they are allowed).
fn is_binary_byte(b: u8) -> bool {
    matches!(b, 0x00..=0x08 | 0x0e..=0x1a | 0x1c..=0x1f)
}

/// Writes a file atomically: `fill` writes into a temporary file in the target's folder, which
/// is then renamed over `path`. On any error the target is left as it was. The file gets the
/// permissions of an ordinary new file (read-write for all, less the umask: 0644 under umask
/// 022), not the private 0600 of a temporary file, so that a run folder can be shared.
pub fn write_atomic<F>(path: &Path, fill: F) -> Result<()>
where
    F: FnOnce(&mut dyn Write) -> std::io::Result<()>,
{
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".diptych-").suffix(".tmp");
    ordinary_file_permissions(&mut builder);
    let mut tmp = builder.tempfile_in(dir).map_err(|e| Error::io(dir, e))?;
    {
        let mut w = std::io::BufWriter::new(tmp.as_file_mut());
        fill(&mut w).map_err(|e| Error::io(path, e))?;
        w.flush().map_err(|e| Error::io(path, e))?;
    }
    tmp.as_file().sync_all().map_err(|e| Error::io(path, e))?;
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

/// Asks for mode 0666 on Unix, which the system reduces by the umask as it creates the file
/// (tempfile's default, 0600, would make outputs private).
fn ordinary_file_permissions(builder: &mut tempfile::Builder<'_, '_>) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    #[cfg(not(unix))]
    let _ = builder;
}

/// Creates an output folder (and its parents) or explains why it cannot be used.
pub fn ensure_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    // Probe writability now, before any work is done, so the user hears about it at once.
    tempfile::Builder::new()
        .prefix(".diptych-probe-")
        .tempfile_in(dir)
        .map(drop)
        .map_err(|e| Error::io(dir, e))
}

/// Checks, without creating anything, that an output folder could be written: the folder
/// itself when it exists, otherwise its nearest existing ancestor. Lets a long run fail at
/// once on an unwritable destination instead of after all the work.
pub fn probe_writable(dir: &Path) -> Result<()> {
    let existing = dir
        .ancestors()
        .find(|p| p.as_os_str().is_empty() || p.exists())
        .map(|p| {
            if p.as_os_str().is_empty() {
                Path::new(".")
            } else {
                p
            }
        })
        .unwrap_or(Path::new("."));
    if !existing.is_dir() {
        let not_a_dir = std::io::Error::other("not a folder");
        return Err(Error::io(existing, not_a_dir));
    }
    tempfile::Builder::new()
        .prefix(".diptych-probe-")
        .tempfile_in(existing)
        .map(drop)
        .map_err(|e| {
            let why = format!("cannot create files in {}", existing.display());
            Error::io(dir, std::io::Error::new(e.kind(), why))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_empty_binary_and_invalid_utf8_with_line_numbers() {
        let p = Path::new("x.txt");
        assert!(matches!(
            text_from_bytes(p, b"  \n\n".to_vec()),
            Err(Error::Empty { .. })
        ));
        assert!(matches!(
            text_from_bytes(p, b"a\nb\n\0c".to_vec()),
            Err(Error::Binary { line: 3, .. })
        ));
        assert!(matches!(
            text_from_bytes(p, b"caf\xc3\xa9\nna\xefve".to_vec()),
            Err(Error::InvalidUtf8 { line: 2, .. })
        ));
        assert_eq!(
            text_from_bytes(p, "\u{feff}Dag\tà".into()).unwrap(),
            "Dag\tà"
        );
    }

    #[test]
    fn probing_an_output_folder_creates_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a/b/out");
        probe_writable(&target).unwrap();
        assert!(!dir.path().join("a").exists());
        let file = dir.path().join("file");
        std::fs::write(&file, "x").unwrap();
        assert!(probe_writable(&file.join("out")).is_err());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    /// The process's umask, as Linux reports it in `/proc/self/status` (`Umask:\t0022`).
    #[cfg(target_os = "linux")]
    fn umask() -> u32 {
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        let line = status.lines().find(|l| l.starts_with("Umask:")).unwrap();
        u32::from_str_radix(line["Umask:".len()..].trim(), 8).unwrap()
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn atomic_write_gives_ordinary_file_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        write_atomic(&path, |w| w.write_all(b"first")).unwrap();
        assert_eq!(mode(&path), 0o666 & !umask(), "a new file");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        write_atomic(&path, |w| w.write_all(b"second")).unwrap();
        assert_eq!(mode(&path), 0o666 & !umask(), "a replaced file");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "second");
    }

    #[test]
    fn atomic_write_leaves_old_file_on_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        write_atomic(&path, |w| w.write_all(b"first")).unwrap();
        let failed = write_atomic(&path, |w| {
            w.write_all(b"half")?;
            Err(std::io::Error::other("boom"))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "first");
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "the temporary file must be removed");
    }
}
