//! A `diptych serve` or `diptych review` child process on a free loopback port, for tests and
//! benchmarks that talk to the real binary: started with `--port 0`, its address read from the
//! first line it prints, ended by its PID when dropped.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::Error;

/// A running server process; killed and reaped when dropped.
pub struct ServerProcess {
    child: Child,
    /// The base URL it printed, without the final slash, e.g. `http://127.0.0.1:41234`.
    pub url: String,
    /// The address it listens on.
    pub addr: SocketAddr,
}

impl ServerProcess {
    /// Runs `diptych serve --port 0 --archive ARCHIVE` (`binary` is the `diptych` executable,
    /// `extra` more flags) and waits for the address it prints.
    pub fn serve(binary: &Path, archive: &Path, extra: &[&str]) -> Result<ServerProcess, Error> {
        let mut args: Vec<&OsStr> = ["serve", "--port", "0", "--archive"]
            .iter()
            .map(OsStr::new)
            .collect();
        args.push(archive.as_os_str());
        args.extend(extra.iter().map(OsStr::new));
        ServerProcess::start(binary, &args)
    }

    /// Runs `diptych review --port 0 DIR` and waits for the address it prints.
    pub fn review(binary: &Path, dir: &Path) -> Result<ServerProcess, Error> {
        let args = [
            OsStr::new("review"),
            OsStr::new("--port"),
            OsStr::new("0"),
            dir.as_os_str(),
        ];
        ServerProcess::start(binary, &args)
    }

    /// Runs `binary args...` (flags that make it listen on a free port) and reads the first
    /// `http://` address of its first line of standard output.
    pub fn start(binary: &Path, args: &[&OsStr]) -> Result<ServerProcess, Error> {
        let mut child = Command::new(binary)
            .args(args)
            .env_remove("DIPTYCH_ARCHIVE")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let mut line = String::new();
        let stdout = child.stdout.take().ok_or("no stdout")?;
        BufReader::new(stdout).read_line(&mut line)?;
        let Some(url) = line.split_whitespace().find(|w| w.starts_with("http://")) else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("no address in {line:?}").into());
        };
        let addr = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()?;
        Ok(ServerProcess {
            url: url.trim_end_matches('/').to_owned(),
            addr,
            child,
        })
    }

    /// The process id (to sample its memory).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The bundled reference report's woven text (`examples/benelux-2022/report.nl-fr.txt`).
pub fn reference_text() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/benelux-2022/report.nl-fr.txt")
}

/// Runs the reference report through `diptych run` (grammar programs left out: not what a
/// server test is about) into `dir/benelux-2022`, then `diptych index add` into
/// `dir/archive.sqlite`; returns the archive and the run folder.
pub fn reference_archive(binary: &Path, dir: &Path) -> Result<(PathBuf, PathBuf), Error> {
    let run = dir.join("benelux-2022");
    let archive = dir.join("archive.sqlite");
    let text = reference_text();
    let run_args: [&OsStr; 6] = [
        "run".as_ref(),
        text.as_os_str(),
        "--name".as_ref(),
        "benelux-2022".as_ref(),
        "--out".as_ref(),
        run.as_os_str(),
    ];
    diptych(binary, &run_args)?;
    let add_args: [&OsStr; 5] = [
        "index".as_ref(),
        "add".as_ref(),
        run.as_os_str(),
        "--archive".as_ref(),
        archive.as_os_str(),
    ];
    diptych(binary, &add_args)?;
    Ok((archive, run))
}

/// Runs `binary args...` without the grammar programs; an error with its stderr unless it
/// succeeds.
fn diptych(binary: &Path, args: &[&OsStr]) -> Result<(), Error> {
    let output = Command::new(binary)
        .args(args)
        .env_remove("DIPTYCH_ARCHIVE")
        .env("DIPTYCH_FROG", "/nonexistent")
        .env("DIPTYCH_GRAMMALECTE", "/nonexistent")
        .output()?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "diptych {:?} failed: {}",
            args,
            String::from_utf8_lossy(&output.stderr)
        )
        .into())
    }
}

/// Requests of `diptych serve`'s API that all answer 200 on [`reference_archive`]: searches of
/// each kind, renderings, documents, beads, findings, activities, their view and a source.
pub fn reference_requests() -> Vec<String> {
    [
        "/api/search?q=NAVO",
        "/api/search?q=%22Raad%20Buitenlandse%20Zaken%22",
        "/api/search?q=Oekra*&lang=nl",
        "/api/search?q=ministr&substring=1",
        "/api/search?q=Benelux&page=2&limit=5",
        "/api/group?q=NAVO",
        "/api/documents",
        "/api/documents/benelux-2022/beads?offset=10&limit=50",
        "/api/documents/benelux-2022/findings",
        "/api/activities?partner=Baltic",
        "/api/activities/view?from=2022&sort=title",
        "/api/documents/benelux-2022/activities/0",
    ]
    .iter()
    .map(|p| p.to_string())
    .collect()
}
