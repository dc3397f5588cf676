//! diptych-testkit: helpers for diptych's own tests (not published).
//!
//! [`Browser`] drives a headless Chromium through `chromedriver` (Debian packages `chromium`
//! and `chromium-driver`), so tests can open the HTML pages diptych writes (the review page,
//! the archive's search page), click, read the DOM and take screenshots; [`Screenshot`] decodes
//! a screenshot so a test can look at its pixels. [`typeset`] writes PDFs of text set in the
//! base-14 Helvetica at positions the test controls (two flowing columns, header, folio).
//! [`ServerProcess`] runs `diptych serve` or `diptych review` on a free loopback port;
//! [`load`] sends it bounded HTTP load and samples its memory.
//!
//! ```no_run
//! # async fn demo() -> Result<(), diptych_testkit::Error> {
//! let Some(browser) = diptych_testkit::Browser::start("my_test").await? else {
//!     return Ok(()); // tools missing outside CI: skipped with a note
//! };
//! browser.client.goto(&diptych_testkit::file_url(std::path::Path::new("/tmp/report.html"))?).await?;
//! let shot = browser.screenshot().await?;
//! assert!(!shot.is_blank());
//! browser.close().await?;
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod frog;
pub mod load;
pub mod pdf;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub use fantoccini;
use fantoccini::{Client, ClientBuilder};

mod served;
pub mod typeset;

pub use served::{reference_archive, reference_requests, reference_text, ServerProcess};

/// Errors of the harness.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// Whether the tests run in CI (environment variable `CI` set): missing tools are then a
/// failure, not a skip.
pub fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

/// Finds an executable on `PATH`.
pub fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// Decides what to do about a missing tool: in CI, an error; elsewhere a note on stderr and
/// `Ok(None)` so the test can return.
pub fn missing_tool<T>(test: &str, tool: &str) -> Result<Option<T>, Error> {
    let message = format!(
        "{test}: {tool} not found (install the Debian packages chromium and chromium-driver)"
    );
    if in_ci() {
        Err(message.into())
    } else {
        eprintln!("skipped: {message}");
        Ok(None)
    }
}

/// A `file://` URL for a local file.
pub fn file_url(path: &Path) -> Result<String, Error> {
    let abs = std::fs::canonicalize(path)?;
    let s = abs.to_str().ok_or("path is not UTF-8")?;
    let mut url = String::from("file://");
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                url.push(b as char)
            }
            _ => url.push_str(&format!("%{b:02X}")),
        }
    }
    Ok(url)
}

/// A headless Chromium session: the chromedriver process (ended by its PID on close or
/// drop), a fresh profile folder, and the WebDriver client.
pub struct Browser {
    /// The WebDriver client.
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

/// Chromium flags for a quiet, isolated, headless session.
const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--window-size=1400,1000",
];

impl Browser {
    /// Starts chromedriver on a free port and opens a headless Chromium session. Returns
    /// `Ok(None)` (after a note) when the tools are missing outside CI.
    pub async fn start(test: &str) -> Result<Option<Browser>, Error> {
        let Some(driver_bin) = which("chromedriver") else {
            return missing_tool(test, "chromedriver");
        };
        let Some(chromium) = ["chromium", "chromium-browser", "google-chrome"]
            .iter()
            .find_map(|b| which(b))
        else {
            return missing_tool(test, "chromium");
        };
        let port = free_port()?;
        let driver = Command::new(driver_bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let mut guard = DriverGuard(Some(driver));
        wait_for_port(port, Duration::from_secs(20))?;
        let profile = tempfile::tempdir()?;
        let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|s| s.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.path().display()));
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({ "binary": chromium, "args": args }),
        );
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await?;
        let driver = guard.0.take().ok_or("driver lost")?;
        Ok(Some(Browser {
            client,
            driver,
            _profile: profile,
        }))
    }

    /// Takes a screenshot of the viewport and decodes it.
    pub async fn screenshot(&self) -> Result<Screenshot, Error> {
        let png = self.client.screenshot().await?;
        Screenshot::decode(&png)
    }

    /// Ends the session and the driver.
    pub async fn close(mut self) -> Result<(), Error> {
        let closed = self.client.clone().close().await;
        stop(&mut self.driver);
        closed?;
        Ok(())
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        stop(&mut self.driver);
    }
}

/// Ends the driver started here, by its PID, if `start` fails half-way.
struct DriverGuard(Option<Child>);

impl Drop for DriverGuard {
    fn drop(&mut self) {
        if let Some(child) = self.0.as_mut() {
            stop(child);
        }
    }
}

fn stop(child: &mut Child) {
    if let Ok(None) = child.try_wait() {
        let _ = child.kill();
    }
    let _ = child.wait();
}

fn free_port() -> Result<u16, Error> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn wait_for_port(port: u16, timeout: Duration) -> Result<(), Error> {
    let start = Instant::now();
    while start.elapsed() < timeout {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err(format!("chromedriver did not listen on port {port} within {timeout:?}").into())
}

/// A decoded screenshot: RGBA pixels, row by row.
pub struct Screenshot {
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// RGBA bytes, `4 * width * height`.
    pub rgba: Vec<u8>,
    /// The PNG as taken, to save for a human to look at.
    pub png: Vec<u8>,
}

impl Screenshot {
    /// Decodes a PNG screenshot.
    pub fn decode(png_bytes: &[u8]) -> Result<Screenshot, Error> {
        let mut decoder = png::Decoder::new(png_bytes);
        decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
        let mut reader = decoder.read_info()?;
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf)?;
        buf.truncate(info.buffer_size());
        let (width, height) = (info.width as usize, info.height as usize);
        let rgba = match info.color_type {
            png::ColorType::Rgba => buf,
            png::ColorType::Rgb => buf
                .chunks(3)
                .flat_map(|p| [p[0], p[1], p[2], 255])
                .collect(),
            png::ColorType::Grayscale => buf.iter().flat_map(|&g| [g, g, g, 255]).collect(),
            png::ColorType::GrayscaleAlpha => buf
                .chunks(2)
                .flat_map(|p| [p[0], p[0], p[0], p[1]])
                .collect(),
            png::ColorType::Indexed => return Err("indexed PNG after EXPAND".into()),
        };
        Ok(Screenshot {
            width,
            height,
            rgba,
            png: png_bytes.to_vec(),
        })
    }

    /// The pixel at (x, y) as RGB.
    pub fn pixel(&self, x: usize, y: usize) -> [u8; 3] {
        let i = 4 * (y * self.width + x);
        [self.rgba[i], self.rgba[i + 1], self.rgba[i + 2]]
    }

    /// Whether nearly every pixel has the same colour (an empty or failed render).
    pub fn is_blank(&self) -> bool {
        let first = self.pixel(0, 0);
        let differing = (0..self.height)
            .step_by(2)
            .flat_map(|y| (0..self.width).step_by(2).map(move |x| (x, y)))
            .filter(|&(x, y)| self.pixel(x, y) != first)
            .count();
        differing * 4 < self.width * self.height / 200
    }

    /// Fraction of "ink" (dark pixels) in each column of the band `y0..y1`.
    pub fn ink_per_column(&self, y0: usize, y1: usize) -> Vec<f32> {
        let (y0, y1) = (y0.min(self.height), y1.min(self.height));
        (0..self.width)
            .map(|x| {
                let dark = (y0..y1)
                    .filter(|&y| self.pixel(x, y).iter().map(|&c| c as u32).sum::<u32>() < 3 * 140)
                    .count();
                dark as f32 / (y1 - y0).max(1) as f32
            })
            .collect()
    }

    /// Number of separate stretches of columns holding text in the band `y0..y1`, ignoring
    /// gaps narrower than `min_gap` pixels (the spaces between words): two for a page with
    /// two columns of text.
    pub fn text_columns(&self, y0: usize, y1: usize, min_gap: usize) -> Vec<(usize, usize)> {
        let ink = self.ink_per_column(y0, y1);
        let mut columns: Vec<(usize, usize)> = Vec::new();
        let mut gap = usize::MAX;
        for (x, &v) in ink.iter().enumerate() {
            if v > 0.0 {
                match columns.last_mut() {
                    Some(last) if gap < min_gap => last.1 = x,
                    _ => columns.push((x, x)),
                }
                gap = 0;
            } else {
                gap = gap.saturating_add(1);
            }
        }
        columns.retain(|&(a, b)| b - a > 40);
        columns
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png_of(width: u32, height: u32, paint: impl Fn(u32, u32) -> [u8; 3]) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut enc = png::Encoder::new(&mut out, width, height);
            enc.set_color(png::ColorType::Rgb);
            let mut w = enc.write_header().unwrap();
            let paint = &paint;
            let data: Vec<u8> = (0..height)
                .flat_map(|y| (0..width).flat_map(move |x| paint(x, y)))
                .collect();
            w.write_image_data(&data).unwrap();
        }
        out
    }

    #[test]
    fn tells_blank_from_two_columns() {
        let blank = Screenshot::decode(&png_of(200, 100, |_, _| [255, 255, 255])).unwrap();
        assert!(blank.is_blank());
        assert!(blank.text_columns(0, 100, 10).is_empty());
        let two = Screenshot::decode(&png_of(400, 100, |x, y| {
            let ink = (20..180).contains(&x) || (220..380).contains(&x);
            if ink && y % 10 < 3 && x % 7 != 0 {
                [0, 0, 0]
            } else {
                [255, 255, 255]
            }
        }))
        .unwrap();
        assert!(!two.is_blank());
        assert_eq!(two.text_columns(0, 100, 20).len(), 2);
    }

    #[test]
    fn file_urls_escape_spaces() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a b.html");
        std::fs::write(&p, "x").unwrap();
        assert!(file_url(&p).unwrap().ends_with("/a%20b.html"));
    }
}
