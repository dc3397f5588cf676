//! HTTP load on loopback for the server's benchmarks and load test: a minimal keep-alive
//! client, a bounded run of many clients (a fixed number of requests, stopped early when a
//! duration has passed), its latencies and errors, and a process's resident memory.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A minimal HTTP/1.1 keep-alive client: GET, read the headers and `Content-Length` bytes.
pub struct Client {
    reader: BufReader<TcpStream>,
    addr: SocketAddr,
}

impl Client {
    /// Connects to `addr`.
    pub fn connect(addr: SocketAddr) -> std::io::Result<Client> {
        let stream = TcpStream::connect(addr)?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(Duration::from_secs(60)))?;
        Ok(Client {
            reader: BufReader::new(stream),
            addr,
        })
    }

    /// Sends `GET path`; returns the status and the body's size.
    pub fn get(&mut self, path: &str) -> std::io::Result<(u16, usize)> {
        let request = format!("GET {path} HTTP/1.1\r\nHost: {}\r\n\r\n", self.addr);
        self.reader.get_mut().write_all(request.as_bytes())?;
        let (status, length) = self.read_head()?;
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body)?;
        Ok((status, length))
    }

    /// Reads a response's status line and headers: the status and the `Content-Length`.
    fn read_head(&mut self) -> std::io::Result<(u16, usize)> {
        let mut status = 0;
        let mut length = 0;
        let mut line = String::new();
        loop {
            line.clear();
            if self.reader.read_line(&mut line)? == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            let l = line.trim_end();
            if l.is_empty() {
                return Ok((status, length));
            }
            if let Some(code) = l.strip_prefix("HTTP/1.1 ") {
                status = code.get(..3).and_then(|c| c.parse().ok()).unwrap_or(0);
            } else if let Some((k, v)) = l.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
        }
    }
}

/// How much load to send: `requests` in all from `clients` concurrent connections, stopped
/// early once `duration` has passed.
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    /// Concurrent clients, each on its own keep-alive connection.
    pub clients: usize,
    /// Requests in all (the paths in turn).
    pub requests: usize,
    /// The longest the run may take.
    pub duration: Duration,
}

/// What a run measured.
#[derive(Clone, Debug)]
pub struct Report {
    /// Requests answered (any status).
    pub answered: usize,
    /// Requests that failed: no answer (connection error) or a status other than 2xx.
    pub errors: usize,
    /// The first few failures, for the message of a failed test.
    pub first_errors: Vec<String>,
    /// Every answered request's time, sorted.
    pub latencies: Vec<Duration>,
    /// Every answered request's index in the paths and time, in no particular order.
    pub by_path: Vec<(usize, Duration)>,
    /// The run's wall time.
    pub elapsed: Duration,
}

impl Report {
    /// The latency below which a fraction `p` (0 to 1) of the answered requests fall.
    pub fn percentile(&self, p: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let rank = ((self.latencies.len() - 1) as f64 * p).round() as usize;
        self.latencies[rank]
    }

    /// Requests answered per second.
    pub fn throughput(&self) -> f64 {
        self.answered as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// One client's share of a run.
struct Share {
    by_path: Vec<(usize, Duration)>,
    errors: usize,
    first_errors: Vec<String>,
}

/// Sends `plan.requests` GETs of `paths` (in turn) to `addr` from `plan.clients` threads.
pub fn run(addr: SocketAddr, paths: &[String], plan: Plan) -> Report {
    let paths: Arc<Vec<String>> = Arc::new(paths.to_vec());
    let deadline = Instant::now() + plan.duration;
    let start = Instant::now();
    let clients = plan.clients.max(1);
    let workers: Vec<_> = (0..clients)
        .map(|w| {
            let paths = paths.clone();
            let requests = plan.requests;
            std::thread::spawn(move || {
                one_client(addr, &paths, (w..requests).step_by(clients), deadline)
            })
        })
        .collect();
    let mut report = Report {
        answered: 0,
        errors: 0,
        first_errors: vec![],
        latencies: vec![],
        by_path: vec![],
        elapsed: Duration::ZERO,
    };
    for worker in workers {
        let share = worker.join().unwrap_or_else(|_| Share {
            by_path: vec![],
            errors: 1,
            first_errors: vec!["a client thread panicked".into()],
        });
        report.answered += share.by_path.len();
        report.errors += share.errors;
        report.latencies.extend(share.by_path.iter().map(|s| s.1));
        report.by_path.extend(share.by_path);
        for e in share.first_errors {
            if report.first_errors.len() < 5 {
                report.first_errors.push(e);
            }
        }
    }
    report.elapsed = start.elapsed();
    report.latencies.sort();
    report
}

/// One client: requests `indices` of `paths` in turn until done or past `deadline`,
/// reconnecting after a failed request.
fn one_client(
    addr: SocketAddr,
    paths: &[String],
    indices: impl Iterator<Item = usize>,
    deadline: Instant,
) -> Share {
    let mut share = Share {
        by_path: vec![],
        errors: 0,
        first_errors: vec![],
    };
    let mut client: Option<Client> = None;
    for i in indices {
        if Instant::now() >= deadline || paths.is_empty() {
            break;
        }
        let index = i % paths.len();
        let path = &paths[index];
        let t = Instant::now();
        let outcome = match client.as_mut() {
            Some(c) => c.get(path),
            None => Client::connect(addr).and_then(|mut c| {
                let answer = c.get(path);
                client = Some(c);
                answer
            }),
        };
        let failure = match outcome {
            Ok((status, _)) => {
                share.by_path.push((index, t.elapsed()));
                (!(200..300).contains(&status)).then(|| format!("{path}: HTTP {status}"))
            }
            Err(e) => {
                client = None;
                Some(format!("{path}: {e}"))
            }
        };
        if let Some(failure) = failure {
            share.errors += 1;
            if share.first_errors.len() < 5 {
                share.first_errors.push(failure);
            }
        }
    }
    share
}

/// The resident memory of process `pid` in KiB (`VmRSS` of `/proc/PID/status`), if readable.
pub fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|n| n.parse().ok())
}

/// Whether memory sampled over a soak is steady: the largest sample of the last third is at
/// most `tolerance` (0.2 = 20 %) above the largest of the first third. `None` with fewer
/// than three samples.
pub fn is_steady(samples_kib: &[u64], tolerance: f64) -> Option<bool> {
    let third = samples_kib.len() / 3;
    if third == 0 {
        return None;
    }
    let first = samples_kib[..third].iter().max().copied().unwrap_or(0);
    let last = samples_kib[samples_kib.len() - third..]
        .iter()
        .max()
        .copied()
        .unwrap_or(0);
    Some(last as f64 <= first as f64 * (1.0 + tolerance))
}

/// A soak: `plan`'s load on `addr` while the memory of process `pid` is sampled every
/// `every`; the run's report and the samples (KiB), in order.
pub fn soak(
    addr: SocketAddr,
    paths: &[String],
    plan: Plan,
    pid: u32,
    every: Duration,
) -> (Report, Vec<u64>) {
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = {
        let done = done.clone();
        std::thread::spawn(move || {
            let mut samples = vec![];
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                samples.extend(rss_kib(pid));
                std::thread::sleep(every);
            }
            samples
        })
    };
    let report = run(addr, paths, plan);
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let samples = sampler.join().unwrap_or_default();
    (report, samples)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_of_sorted_latencies() {
        let report = Report {
            answered: 100,
            errors: 0,
            first_errors: vec![],
            latencies: (1..=100).map(Duration::from_millis).collect(),
            by_path: vec![],
            elapsed: Duration::from_secs(1),
        };
        assert_eq!(report.percentile(0.5), Duration::from_millis(51));
        assert_eq!(report.percentile(0.99), Duration::from_millis(99));
        assert_eq!(report.throughput(), 100.0);
    }

    #[test]
    fn steady_memory_is_the_last_thirds_peak_near_the_firsts() {
        assert_eq!(is_steady(&[100, 110, 105, 108, 109, 112], 0.1), Some(true));
        assert_eq!(is_steady(&[100, 100, 150, 160, 170, 180], 0.1), Some(false));
        assert_eq!(is_steady(&[100, 100], 0.1), None);
    }

    #[test]
    fn own_memory_is_readable() {
        assert!(rss_kib(std::process::id()).is_some_and(|kib| kib > 0));
    }
}
