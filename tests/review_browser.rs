//! Browser test of the review editor: `diptych review` serves a run of the en/fr test report
//! with a dropped sentence, a merged one and a wrong number (`tests/data/en-fr-misaligned/`);
//! headless Chromium merges, undoes, redoes, splits, moves, corrects, approves and dismisses
//! with the keyboard only; a reload shows every change; `diptych export` then holds the
//! corrected, approved units; undo takes a change back. Needs Debian `chromium` and
//! `chromium-driver`: skipped with a note when they are missing, a failure when `CI` is set.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use diptych_testkit::fantoccini::{Client, Locator};
use diptych_testkit::Browser;
use serde_json::Value;

type Result<T = ()> = std::result::Result<T, diptych_testkit::Error>;

fn diptych(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_diptych"))
        .args(args)
        .output()
        .expect("the diptych binary runs")
}

/// `diptych review DIR` on a free port; ended by its PID when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(dir: &Path) -> Result<Server> {
        let mut child = Command::new(env!("CARGO_BIN_EXE_diptych"))
            .args(["review", "--user", "browser-test"])
            .arg(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let mut line = String::new();
        BufReader::new(child.stdout.take().ok_or("no stdout")?).read_line(&mut line)?;
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .ok_or_else(|| format!("no address in {line:?}"))?
            .to_owned();
        Ok(Server { child, addr })
    }

    /// `GET /api/beads`, straight from the server.
    fn beads(&self) -> Result<Value> {
        let mut stream = TcpStream::connect(&self.addr)?;
        write!(
            stream,
            "GET /api/beads HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )?;
        let mut response = String::new();
        stream.read_to_string(&mut response)?;
        let body = response.split_once("\r\n\r\n").ok_or("no body")?.1;
        Ok(serde_json::from_str(body)?)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test(flavor = "current_thread")]
async fn review_editor_corrects_and_approves_with_the_keyboard() -> Result {
    let Some(browser) = Browser::start("review_editor_browser_test").await? else {
        return Ok(());
    };
    let outcome = exercise(&browser.client).await;
    browser.close().await?;
    outcome
}

async fn js(c: &Client, script: &str) -> Result<Value> {
    Ok(c.execute(script, vec![]).await?)
}

/// Types keys into the focused element (the page body, or the open form's field).
async fn keys(c: &Client, keys: &str) -> Result {
    c.active_element().await?.send_keys(keys).await?;
    Ok(())
}

/// Waits until the page reloaded at `version` (each saved edit reloads the page).
async fn at_version(c: &Client, version: u64) -> Result {
    let start = Instant::now();
    loop {
        let seen = c
            .execute("return document.body.dataset.version", vec![])
            .await
            .ok()
            .and_then(|v| v.as_str().and_then(|s| s.parse::<u64>().ok()));
        let ready = c
            .execute("return document.readyState", vec![])
            .await
            .ok()
            .is_some_and(|v| v == "complete");
        if seen == Some(version) && ready {
            return Ok(());
        }
        if start.elapsed() > Duration::from_secs(15) {
            let status = js(c, "return document.getElementById('status').textContent").await?;
            return Err(
                format!("version {version} not reached (at {seen:?}; status {status})").into(),
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Moves the focus to bead `target` with j/k.
async fn go_to(c: &Client, target: usize) -> Result {
    let now = js(
        c,
        "return Number(document.querySelector('tr.focused').dataset.bead)",
    )
    .await?;
    let now = now.as_u64().ok_or("no focused bead")? as usize;
    let key = if target > now { "j" } else { "k" };
    keys(c, &key.repeat(target.abs_diff(now))).await?;
    let now = js(
        c,
        "return Number(document.querySelector('tr.focused').dataset.bead)",
    )
    .await?;
    assert_eq!(now.as_u64(), Some(target as u64));
    Ok(())
}

/// The beads as (shape, first English sentence) for comparisons.
fn shapes(view: &Value) -> Vec<(String, String)> {
    view["beads"]
        .as_array()
        .map(|beads| {
            beads
                .iter()
                .map(|b| {
                    let first = b["sides"]["en"][0]["text"]
                        .as_str()
                        .unwrap_or("")
                        .to_owned();
                    (b["shape"].as_str().unwrap_or("").to_owned(), first)
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Index of the bead whose English side contains `text`.
fn bead_with(view: &Value, text: &str) -> usize {
    view["beads"]
        .as_array()
        .and_then(|beads| {
            beads.iter().position(|b| {
                b["sides"]["en"].as_array().is_some_and(|s| {
                    s.iter()
                        .any(|x| x["text"].as_str().is_some_and(|t| t.contains(text)))
                })
            })
        })
        .unwrap_or_else(|| panic!("no bead with {text:?}"))
}

async fn exercise(c: &Client) -> Result {
    let dir = tempfile::tempdir()?;
    let d = dir.path().to_str().ok_or("temp path")?;
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/en-fr-misaligned");
    let run = diptych(&[
        "run",
        "--src",
        data.join("en.md").to_str().ok_or("path")?,
        "--tgt",
        data.join("fr.md").to_str().ok_or("path")?,
        "--out",
        d,
    ]);
    assert!(run.status.success());
    let server = Server::start(dir.path())?;
    c.goto(&format!("http://{}/", server.addr)).await?;
    let editable = js(c, "return document.body.dataset.editable").await?;
    assert_eq!(editable, "true");
    let initial = server.beads()?;
    let total = initial["total"].as_u64().ok_or("total")? as usize;

    // Merge beads 3 and 4, undo, redo, then split the merged bead back (form, Enter).
    go_to(c, 3).await?;
    keys(c, "m").await?;
    at_version(c, 1).await?;
    let merged = server.beads()?;
    assert_eq!(merged["beads"][3]["shape"], "2:2");
    assert_eq!(merged["total"].as_u64(), Some(total as u64 - 1));
    keys(c, "u").await?;
    at_version(c, 2).await?;
    assert_eq!(shapes(&server.beads()?), shapes(&initial), "undo restores");
    keys(c, "r").await?;
    at_version(c, 3).await?;
    assert_eq!(server.beads()?["beads"][3]["shape"], "2:2", "redo");
    keys(c, "s").await?;
    assert!(
        c.find(Locator::Id("edit-form"))
            .await?
            .is_displayed()
            .await?
    );
    keys(c, "\u{E007}").await?; // Enter: one sentence a side in the first part
    at_version(c, 4).await?;
    assert_eq!(shapes(&server.beads()?), shapes(&initial), "split back");

    // The dropped French sentence: the English sentence has no counterpart.
    let dropped = bead_with(&initial, "This contribution comes on top");
    let shape = initial["beads"][dropped]["shape"].as_str().unwrap_or("");
    let mut version = 4;
    go_to(c, dropped).await?;
    if shape == "2:1" {
        // The aligner paired both English sentences with the one French sentence: split.
        // The form proposes half of each side (rounded up) for the first part: 1 and 1.
        keys(c, "s").await?;
        keys(c, "\u{E007}").await?;
        version += 1;
        at_version(c, version).await?;
    }
    let view = server.beads()?;
    let alone = bead_with(&view, "This contribution comes on top");
    assert_eq!(view["beads"][alone]["shape"], "1:0", "{shape}");

    // Move the French sentence of a 1:1 bead to the next bead and back.
    let before_move = server.beads()?;
    go_to(c, 6).await?;
    keys(c, "}").await?;
    version += 1;
    at_version(c, version).await?;
    let moved = server.beads()?;
    assert_eq!(moved["beads"][6]["shape"], "1:0");
    assert_eq!(moved["beads"][7]["shape"], "1:2");
    go_to(c, 7).await?;
    keys(c, "{").await?;
    version += 1;
    at_version(c, version).await?;
    assert_eq!(shapes(&server.beads()?), shapes(&before_move), "moved back");

    // Correct the English of the merged French sentence's bead; approve it and the 1:0 bead.
    let view = server.beads()?;
    let merged_fr = bead_with(&view, "They discussed offshore wind energy");
    go_to(c, merged_fr).await?;
    keys(c, "e").await?;
    let text = c.find(Locator::Css("#edit-form input[name=text]")).await?;
    text.clear().await?;
    text.send_keys("They discussed offshore wind power, hydrogen networks and the interconnection of electricity grids.\u{E007}").await?;
    version += 1;
    at_version(c, version).await?;
    keys(c, "a").await?;
    version += 1;
    at_version(c, version).await?;
    go_to(c, alone).await?;
    keys(c, "a").await?;
    version += 1;
    at_version(c, version).await?;

    // Dismiss the wrong-number finding with a reason.
    let view = server.beads()?;
    let finding = view["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["check"] == "numbers"))
        .ok_or("the wrong number is found")?
        .clone();
    let bead = finding["bead"].as_u64().ok_or("bead")? as usize;
    go_to(c, bead).await?;
    keys(c, "d").await?;
    keys(c, "the source says 112 too\u{E007}").await?;
    version += 1;
    at_version(c, version).await?;

    // A reload shows every change.
    c.refresh().await?;
    at_version(c, version).await?;
    let approved_rows = js(
        c,
        "return [...document.querySelectorAll('tr.approved')].map(r => Number(r.dataset.bead))",
    )
    .await?;
    assert_eq!(
        approved_rows,
        serde_json::json!([alone.min(merged_fr), alone.max(merged_fr)])
    );
    let total = server.beads()?["total"].as_u64().ok_or("total")? as usize;
    let progress = c.find(Locator::Id("progress")).await?.text().await?;
    assert_eq!(progress, format!("2 / {total} beads approved"));
    let diff = js(c, "return [document.querySelector('.corrected del').textContent, document.querySelector('.corrected ins').textContent]").await?;
    assert_eq!(diff, serde_json::json!(["energy,", "power,"]));
    let decision = js(
        c,
        "return document.querySelector('.decision.dismissed').textContent",
    )
    .await?;
    assert_eq!(decision, "dismissed: the source says 112 too");
    let listed = c.find(Locator::Id("keys")).await?.text().await?;
    assert!(listed.contains("Keyboard shortcuts"));

    // The filter "only beads not yet approved" hides the two approved beads.
    c.find(Locator::Id("only-unapproved"))
        .await?
        .click()
        .await?;
    let shown = js(
        c,
        "return document.querySelectorAll('#beads tr[data-bead]:not(.hidden)').length",
    )
    .await?;
    assert_eq!(shown.as_u64(), Some(total as u64 - 2));
    c.find(Locator::Id("only-unapproved"))
        .await?
        .click()
        .await?;

    // A screenshot for the README: the corrected, approved bead in view.
    go_to(c, merged_fr).await?;
    let png = c.screenshot().await?;
    let shot_path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("review-editor.png");
    std::fs::write(&shot_path, &png)?;
    eprintln!("screenshot: {}", shot_path.display());
    assert!(!diptych_testkit::Screenshot::decode(&png)?.is_blank());

    // The export holds the corrected, approved units; the dismissed finding is left out.
    let tmx = String::from_utf8(diptych(&["export", d, "--format", "tmx"]).stdout)?;
    assert_eq!(
        tmx.matches(r#"<prop type="x-status">approved</prop>"#)
            .count(),
        1,
        "the 1:0 bead is not in a TMX"
    );
    assert!(tmx.contains("offshore wind power, hydrogen"));
    let numbers_prop = |tmx: &str| {
        tmx.lines()
            .any(|l| l.contains("\"x-finding\"") && l.contains(" numbers"))
    };
    assert!(!numbers_prop(&tmx), "the dismissed finding is left out");
    let xliff = String::from_utf8(diptych(&["export", d, "--format", "xliff"]).stdout)?;
    assert_eq!(xliff.matches(r#"<segment state="final">"#).count(), 2);

    // Undo takes the dismissal back, then the approval.
    keys(c, "u").await?;
    version += 1;
    at_version(c, version).await?;
    assert_eq!(
        js(
            c,
            "return document.querySelectorAll('.decision.dismissed').length"
        )
        .await?,
        0
    );
    keys(c, "u").await?;
    version += 1;
    at_version(c, version).await?;
    assert_eq!(server.beads()?["approved"], 1);
    let tmx = String::from_utf8(diptych(&["export", d, "--format", "tmx"]).stdout)?;
    assert!(numbers_prop(&tmx), "the finding is back after the undo");
    Ok(())
}
