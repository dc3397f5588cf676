//! One real Frog server (the Dutch tagger diptych's grammar check uses) shared by every
//! `diptych` command a test binary runs, so that Frog loads its models once per test binary
//! instead of once per command: [`with_frog`] adds `DIPTYCH_FROG_SERVER` to a command.
//!
//! The server is started on first use, under the same watchdog as diptych's own
//! (`crates/core/src/check/grammar/frog-server.sh`): it stops when the test binary ends,
//! however it ends. When `DIPTYCH_FROG_SERVER` is already set (a server for the whole suite),
//! that one is used. Without Frog, commands run unchanged (diptych then skips the Dutch
//! grammar check with a note, and the tests that need Frog say so themselves).

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The variable diptych reads the server's address from.
pub const SERVER_ENV: &str = "DIPTYCH_FROG_SERVER";

/// The options diptych's own server runs with (`frog_server::FROG_OPTIONS` in diptych-core; a
/// server without the utterance marker is refused by diptych with a message saying so).
const FROG_OPTIONS: &[&str] = &["-n", "--skip=mpacl", "--uttmarker=<utt>"];

/// The watchdog script, shared with diptych-core.
const WATCHDOG: &str = include_str!("../../core/src/check/grammar/frog-server.sh");

/// How long Frog may take to load on a loaded machine.
const START_TIMEOUT: Duration = Duration::from_secs(300);

/// The running server: its address, and the watchdog with its lifeline (kept open for the
/// life of the test binary).
struct Shared {
    address: String,
    _watchdog: Child,
    _lifeline: Option<ChildStdin>,
}

static SHARED: OnceLock<Option<Shared>> = OnceLock::new();

/// The address of the suite's or this test binary's Frog server, started on first use;
/// `None` when Frog is not installed or does not start (with a note on stderr).
pub fn frog_server() -> Option<String> {
    if let Some(address) = std::env::var(SERVER_ENV).ok().filter(|a| !a.is_empty()) {
        return Some(address);
    }
    SHARED
        .get_or_init(|| match start() {
            Ok(shared) => Some(shared),
            Err(e) => {
                eprintln!("note: no shared Frog server: {e}");
                None
            }
        })
        .as_ref()
        .map(|s| s.address.clone())
}

/// Points `cmd` at the shared Frog server, if there is one.
pub fn with_frog(cmd: &mut Command) -> &mut Command {
    if let Some(address) = frog_server() {
        cmd.env(SERVER_ENV, address);
    }
    cmd
}

fn start() -> Result<Shared, crate::Error> {
    let program = crate::which("frog").ok_or("frog not installed")?;
    let dir = tempfile::Builder::new()
        .prefix("diptych-test-frog-")
        .tempdir()?
        .keep();
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let mut watchdog = Command::new("sh")
        .arg("-c")
        .arg(WATCHDOG)
        .arg("diptych-test-frog")
        .arg(&program)
        .arg(port.to_string())
        .arg(&dir)
        .args(FROG_OPTIONS)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let lifeline = watchdog.stdin.take();
    let mut pid = String::new();
    if let Some(out) = watchdog.stdout.take() {
        BufReader::new(out).read_line(&mut pid)?;
    }
    let address = format!("127.0.0.1:{port}");
    let started = Instant::now();
    while TcpStream::connect(&address).is_err() {
        if started.elapsed() > START_TIMEOUT || !matches!(watchdog.try_wait(), Ok(None)) {
            return Err(format!("frog (pid {}) did not listen on {address}", pid.trim()).into());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(Shared {
        address,
        _watchdog: watchdog,
        _lifeline: lifeline,
    })
}
