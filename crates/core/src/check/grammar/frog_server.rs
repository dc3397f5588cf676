//! Frog's server mode (`frog -S PORT`), so that Frog's model loading (7-9 s idle, ~30 s on a
//! loaded machine) is paid once per process instead of once per document.
//!
//! - [`shared_address`] starts one server per process, lazily, on the first Dutch document,
//!   and hands its address to every later one (a batch run shares it). The server runs under a
//!   small shell watchdog (`frog-server.sh`) whose standard input is a pipe only this process
//!   writes to: when the process ends, however it ends, the pipe closes and the watchdog stops
//!   Frog, so no Frog outlives diptych.
//! - A server started elsewhere is used instead when `DIPTYCH_FROG_SERVER=HOST:PORT` is set
//!   (the test suite shares one that way); it must run with [`FROG_OPTIONS`].
//! - [`tag_over`] sends the sentences in batches, one line per batch with the sentences
//!   separated by Frog's utterance marker (each request costs Frog ~65 ms of CPU whatever its
//!   size, so one request per sentence would cost ten times the tagging itself), all batches
//!   down one connection while a second thread reads the answers, each closed by `READY`.
//!
//! Frog forks one process per connection, so connections from several documents are served
//! side by side. Frog listens on every interface (it has no option to listen on one), on a
//! free port picked at random, for as long as the process lives.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The environment variable naming a running Frog server (`127.0.0.1:PORT`) to use instead of
/// starting one.
pub const SERVER_ENV: &str = "DIPTYCH_FROG_SERVER";

/// What separates two sentences inside one request line.
pub const MARKER: &str = "<utt>";

/// Frog's options for diptych: skip the modules the rules do not read (multi-word units,
/// parser, morphology, chunker, lemmatizer), keeping the tokenizer, the POS tagger and the
/// named entities; sentences inside a line separated by [`MARKER`].
pub const FROG_OPTIONS: &[&str] = &["-n", "--skip=mpacl", "--uttmarker=<utt>"];

/// Sentences per request line (README, "Grammar": the batch size measured).
pub const BATCH: usize = 50;

/// How long Frog may take to load its models before the start counts as failed.
const START_TIMEOUT: Duration = Duration::from_secs(300);

/// How long one read or write on the connection may block (a loaded machine is slow).
const IO_TIMEOUT: Duration = Duration::from_secs(300);

/// The watchdog script the server runs under.
const WATCHDOG: &str = include_str!("frog-server.sh");

/// A Frog server this process started, stopped when dropped or when the process ends.
pub struct Server {
    address: String,
    frog_pid: u32,
    watchdog: Child,
    lifeline: Option<ChildStdin>,
}

impl Server {
    /// Starts `frog -S` on a free port and waits until it accepts connections.
    pub fn start(program: &Path) -> Result<Server, String> {
        let dir = tempfile::Builder::new()
            .prefix("diptych-frog-")
            .tempdir()
            .map_err(|e| format!("temporary folder for Frog: {e}"))?
            .keep();
        let port = free_port()?;
        let mut watchdog = Command::new("sh")
            .arg("-c")
            .arg(WATCHDOG)
            .arg("diptych-frog-server")
            .arg(program)
            .arg(port.to_string())
            .arg(&dir)
            .args(FROG_OPTIONS)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("sh (to run {}): {e}", program.display()))?;
        let lifeline = watchdog.stdin.take();
        let frog_pid = read_pid(&mut watchdog)?;
        let mut server = Server {
            address: format!("127.0.0.1:{port}"),
            frog_pid,
            watchdog,
            lifeline,
        };
        server.wait_until_listening(program)?;
        Ok(server)
    }

    /// The address to connect to (`127.0.0.1:PORT`).
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The process id of Frog itself (not of its watchdog).
    pub fn frog_pid(&self) -> u32 {
        self.frog_pid
    }

    /// Whether the server still runs.
    pub fn is_running(&mut self) -> bool {
        matches!(self.watchdog.try_wait(), Ok(None))
    }

    /// Stops Frog (by closing the lifeline) and waits for the watchdog to clean up.
    pub fn stop(mut self) {
        self.close();
    }

    fn close(&mut self) {
        drop(self.lifeline.take());
        let _ = self.watchdog.wait();
    }

    fn wait_until_listening(&mut self, program: &Path) -> Result<(), String> {
        let started = Instant::now();
        while started.elapsed() < START_TIMEOUT {
            if TcpStream::connect(&self.address).is_ok() {
                return Ok(());
            }
            if let Ok(Some(status)) = self.watchdog.try_wait() {
                return Err(format!(
                    "{} -S stopped with {status} while starting: {}",
                    program.display(),
                    last_words(&mut self.watchdog)
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        self.close();
        Err(format!(
            "{} -S did not listen within {} s",
            program.display(),
            START_TIMEOUT.as_secs()
        ))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.close();
    }
}

/// The first line the watchdog prints: Frog's process id.
fn read_pid(watchdog: &mut Child) -> Result<u32, String> {
    let mut line = String::new();
    if let Some(out) = watchdog.stdout.take() {
        let _ = BufReader::new(out).read_line(&mut line);
    }
    line.trim()
        .parse()
        .map_err(|_| format!("the Frog watchdog did not start: {}", last_words(watchdog)))
}

/// The last line the watchdog wrote on standard error (Frog's last words), once it has ended.
fn last_words(watchdog: &mut Child) -> String {
    let mut err = String::new();
    if let Some(mut e) = watchdog.stderr.take() {
        let _ = e.read_to_string(&mut err);
    }
    err.lines().last().unwrap_or("no message").to_owned()
}

fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port for Frog: {e}"))
}

/// The process-wide server: started once, or the reason it could not be.
enum Shared {
    Running(Server),
    Failed(String),
}

static SHARED: Mutex<Option<Shared>> = Mutex::new(None);

/// The address of this process's Frog server, started on first use with `program` (later
/// callers wait for that start and share it; a server that died is started again once a
/// call finds it gone). A failed start is remembered, so a batch does not retry it per
/// document.
pub fn shared_address(program: &Path) -> Result<String, String> {
    let mut shared = SHARED.lock().unwrap_or_else(PoisonError::into_inner);
    match shared.as_mut() {
        Some(Shared::Running(server)) => {
            let running = server.is_running();
            let address = server.address().to_owned();
            if running {
                return Ok(address);
            }
        }
        Some(Shared::Failed(why)) => return Err(why.clone()),
        None => {}
    }
    let started = Server::start(program);
    let address = started
        .as_ref()
        .map(|s| s.address().to_owned())
        .map_err(String::clone);
    *shared = Some(match started {
        Ok(server) => Shared::Running(server),
        Err(why) => Shared::Failed(why),
    });
    address
}

/// Stops this process's server, if one was started (the end of the process does it too).
pub fn stop_shared() {
    let taken = SHARED.lock().unwrap_or_else(PoisonError::into_inner).take();
    if let Some(Shared::Running(server)) = taken {
        server.stop();
    }
}

/// Frog's raw answer for each batch of [`BATCH`] sentences, from the server at `address`.
pub fn tag_over(address: &str, sentences: &[&str]) -> Result<Vec<String>, String> {
    let lines: Vec<String> = sentences.chunks(BATCH).map(request_line).collect();
    let stream = connect(address)?;
    let writer = stream
        .try_clone()
        .map_err(|e| format!("Frog server {address}: {e}"))?;
    let answers = std::thread::scope(|scope| {
        let sending = scope.spawn(|| send(writer, &lines));
        let answers = read_answers(&stream, lines.len());
        let sent = sending
            .join()
            .unwrap_or_else(|_| Err("sending failed".into()));
        answers.and_then(|a| sent.map(|()| a))
    });
    answers.map_err(|e| format!("Frog server {address}: {e}"))
}

/// One request: the sentences on one line, separated by the marker (a marker or line break
/// inside a sentence becomes spaces; tokens are matched back to the original text).
fn request_line(batch: &[&str]) -> String {
    let blank = " ".repeat(MARKER.len());
    let cleaned: Vec<String> = batch
        .iter()
        .map(|s| s.replace(['\n', '\r'], " ").replace(MARKER, &blank))
        .collect();
    cleaned.join(&format!(" {MARKER} "))
}

fn connect(address: &str) -> Result<TcpStream, String> {
    let fail = |e: std::io::Error| format!("Frog server {address}: {e}");
    let target = address
        .to_socket_addrs()
        .map_err(fail)?
        .next()
        .ok_or_else(|| format!("Frog server {address}: no such address"))?;
    let stream = TcpStream::connect_timeout(&target, Duration::from_secs(10)).map_err(fail)?;
    stream.set_read_timeout(Some(IO_TIMEOUT)).map_err(fail)?;
    stream.set_write_timeout(Some(IO_TIMEOUT)).map_err(fail)?;
    Ok(stream)
}

fn send(mut stream: TcpStream, lines: &[String]) -> Result<(), String> {
    let mut all = String::new();
    for line in lines {
        all.push_str(line);
        all.push('\n');
    }
    stream.write_all(all.as_bytes()).map_err(|e| e.to_string())
}

/// Reads `count` answers, each ended by a line `READY`.
fn read_answers(stream: &TcpStream, count: usize) -> Result<Vec<String>, String> {
    let mut reader = BufReader::new(stream);
    let mut answers = Vec::with_capacity(count);
    let mut current = String::new();
    let mut line = String::new();
    while answers.len() < count {
        line.clear();
        let n = reader.read_line(&mut line).map_err(|e| e.to_string())?;
        if n == 0 {
            return Err(format!(
                "connection closed after {} of {count} answers",
                answers.len()
            ));
        }
        if line.trim_end() == "READY" {
            answers.push(std::mem::take(&mut current));
        } else {
            current.push_str(&line);
        }
    }
    Ok(answers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_keeps_each_sentence_apart_on_one_line() {
        let line = request_line(&["Eén zin.\nMet een regel", "De <utt> blijft"]);
        assert_eq!(line, "Eén zin. Met een regel <utt> De       blijft");
        assert!(!line.contains('\n'));
    }

    /// A listener standing in for the far end of the connection: checks the reading of the
    /// protocol (answers closed by `READY`, a connection closed early) without Frog.
    fn answer_with(reply: &'static str, requests: usize) -> Result<Vec<String>, String> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap().to_string();
        let far = std::thread::spawn(move || {
            let (mut conn, _) = listener.accept().unwrap();
            let mut got = String::new();
            let mut reader = BufReader::new(conn.try_clone().unwrap());
            for _ in 0..requests {
                reader.read_line(&mut got).unwrap();
            }
            conn.write_all(reply.as_bytes()).unwrap();
            got
        });
        let sentences: Vec<&str> = (0..BATCH * requests).map(|_| "Zin.").collect();
        let answers = tag_over(&address, &sentences);
        let got = far.join().unwrap();
        assert_eq!(got.lines().count(), requests);
        answers
    }

    #[test]
    fn answers_end_at_ready_and_an_early_close_is_an_error() {
        let answers = answer_with("1\tZin\tN()\n\nREADY\n\n1\tTwee\tN()\nREADY\n", 2).unwrap();
        assert_eq!(answers.len(), 2);
        assert!(answers[0].contains("Zin") && answers[1].contains("Twee"));
        let early = answer_with("1\tZin\tN()\n\nREADY\n", 2).unwrap_err();
        assert!(early.contains("after 1 of 2 answers"), "{early}");
    }

    #[test]
    fn nothing_listening_is_an_error_naming_the_address() {
        let port = free_port().unwrap();
        let err = tag_over(&format!("127.0.0.1:{port}"), &["Zin."]).unwrap_err();
        assert!(err.contains(&format!("127.0.0.1:{port}")), "{err}");
    }

    /// Whether a process is still there (Linux `/proc`), not counting a zombie.
    fn alive(pid: u32) -> bool {
        std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| {
            !s.rsplit(')')
                .next()
                .unwrap_or("")
                .trim_start()
                .starts_with('Z')
        })
    }

    #[test]
    fn a_started_server_tags_and_leaves_no_frog_when_stopped() {
        let Some(program) = super::super::grammalecte::find_on_path("frog") else {
            assert!(std::env::var_os("CI").is_none(), "frog required under CI");
            eprintln!("skipped: frog not installed");
            return;
        };
        let server = Server::start(&program).unwrap();
        let pid = server.frog_pid();
        assert!(alive(pid));
        let answers = tag_over(server.address(), &["De Benelux vergadert.", "Het is goed."]);
        let answer = &answers.unwrap()[0];
        assert!(
            answer.contains("Benelux") && answer.contains("WW(pv"),
            "{answer}"
        );
        server.stop();
        let stopped = Instant::now();
        while alive(pid) && stopped.elapsed() < Duration::from_secs(20) {
            std::thread::sleep(Duration::from_millis(100));
        }
        assert!(!alive(pid), "frog {pid} outlived its server");
    }
}
