//! Browser test of the archive's activities page: the reference report and the project's
//! second report (`tests/data/benelux-2024-fr-nl/`) go through `diptych run` into one
//! archive, `diptych serve` serves it, and headless Chromium filters the activities by a
//! partner and a year range. The rows must be those `diptych activities` gives for the same
//! filter, the URL must carry the filter (and a fresh visit to it must show the same rows), a
//! click must show the reporting beads in both languages, and the CSV download must equal
//! `diptych activities --csv`. Needs Debian `chromium` and `chromium-driver`: skipped with a
//! note when they are missing, a failure when `CI` is set.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use diptych_testkit::fantoccini::{Client, Locator};
use diptych_testkit::{Browser, ServerProcess};
use serde_json::Value;

type Result<T = ()> = std::result::Result<T, diptych_testkit::Error>;

/// The filter exercised: a partner, and a year range over both reports.
const PARTNER: &str = "Baltic";
const FROM: &str = "2022";
const TO: &str = "2024";

fn diptych(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_diptych"))
        .args(args)
        .env_remove("DIPTYCH_ARCHIVE")
        // The grammar programs play no part in the activities: skipped, to keep the test short.
        .env("DIPTYCH_FROG", "/nonexistent")
        .env("DIPTYCH_GRAMMALECTE", "/nonexistent")
        .output()
        .expect("the diptych binary runs")
}

fn ok(output: std::process::Output) -> Result<String> {
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned().into());
    }
    Ok(String::from_utf8(output.stdout)?)
}

#[tokio::test(flavor = "current_thread")]
async fn activities_page_filters_links_and_exports() -> Result {
    let Some(browser) = Browser::start("activities_page_browser_test").await? else {
        return Ok(());
    };
    let outcome = exercise(&browser.client).await;
    browser.close().await?;
    outcome
}

/// Runs both reports into run folders and adds them to a new archive.
fn archive_of_both(dir: &Path) -> Result<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let archive = dir.join("archive.sqlite");
    let archive = archive.to_str().ok_or("temp path")?.to_owned();
    for (name, input) in [
        ("benelux-2022", "examples/benelux-2022/report.nl-fr.txt"),
        (
            "benelux-2024",
            "tests/data/benelux-2024-fr-nl/report.fr-nl.txt",
        ),
    ] {
        let out = dir.join(name);
        let out = out.to_str().ok_or("temp path")?;
        let input = root.join(input);
        ok(diptych(&[
            "run",
            input.to_str().ok_or("path")?,
            "--name",
            name,
            "--out",
            out,
        ]))?;
        ok(diptych(&["index", "add", out, "--archive", &archive]))?;
    }
    Ok(archive)
}

/// `diptych activities` with the test's filter and `extra` flags.
fn cli(archive: &str, extra: &str) -> Result<String> {
    ok(diptych(&[
        "activities",
        "--partner",
        PARTNER,
        "--from",
        FROM,
        "--to",
        TO,
        extra,
        "--archive",
        archive,
    ]))
}

async fn js(c: &Client, script: &str) -> Result<Value> {
    Ok(c.execute(script, vec![]).await?)
}

/// How many answers the page has rendered so far.
async fn loads(c: &Client) -> Result<u64> {
    let v = js(c, "return document.body.dataset.loads || '0'").await?;
    Ok(v.as_str().and_then(|s| s.parse().ok()).unwrap_or(0))
}

/// Waits until the page has rendered more than `seen` answers and is not waiting for one.
async fn rendered_after(c: &Client, seen: u64) -> Result {
    let start = Instant::now();
    loop {
        let busy = js(c, "return document.body.dataset.busy").await?;
        if loads(c).await? > seen && busy == "0" {
            return Ok(());
        }
        if start.elapsed() > Duration::from_secs(15) {
            let error = js(c, "return document.getElementById('error').textContent").await?;
            return Err(format!("the page did not render (error: {error})").into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The rows shown, as `document/index`.
async fn rows(c: &Client) -> Result<Vec<String>> {
    let v = js(
        c,
        "return [...document.querySelectorAll('#activities tbody tr')]
            .map(tr => tr.dataset.doc + '/' + tr.dataset.index)",
    )
    .await?;
    Ok(serde_json::from_value(v)?)
}

async fn exercise(c: &Client) -> Result {
    let dir = tempfile::tempdir()?;
    let archive = archive_of_both(dir.path())?;
    let expected: Vec<Value> = serde_json::from_str(&cli(&archive, "--json")?)?;
    let expected_rows: Vec<String> = expected
        .iter()
        .map(|r| format!("{}/{}", r["document"].as_str().unwrap_or(""), r["index"]))
        .collect();
    assert!(
        expected_rows.iter().any(|r| r.starts_with("benelux-2022/"))
            && expected_rows.iter().any(|r| r.starts_with("benelux-2024/")),
        "the filter should find activities of both reports: {expected_rows:?}"
    );
    let server = ServerProcess::serve(
        env!("CARGO_BIN_EXE_diptych").as_ref(),
        Path::new(&archive),
        &[],
    )?;

    // Unfiltered, then the filter typed into the form.
    c.goto(&format!("{}/activities", server.url)).await?;
    rendered_after(c, 0).await?;
    let all = rows(c).await?;
    assert!(
        all.len() > expected_rows.len(),
        "{} rows unfiltered",
        all.len()
    );
    let seen = loads(c).await?;
    for (name, value) in [("partner", PARTNER), ("from", FROM), ("to", TO)] {
        c.find(Locator::Css(&format!("#filters input[name={name}]")))
            .await?
            .send_keys(value)
            .await?;
    }
    c.find(Locator::Css("#filters button[type=submit]"))
        .await?
        .click()
        .await?;
    rendered_after(c, seen).await?;
    assert_eq!(rows(c).await?, expected_rows);
    let summary = c.find(Locator::Id("summary")).await?.text().await?;
    assert_eq!(summary, format!("{} activities", expected_rows.len()));

    // The URL keeps the filter; a fresh visit to it shows the same rows and form.
    let url = c.current_url().await?;
    let query = url.query().unwrap_or("").to_owned();
    assert_eq!(
        query,
        format!("partner={PARTNER}&from={FROM}&to={TO}"),
        "{url}"
    );
    c.goto(&format!("{}/activities", server.url)).await?;
    rendered_after(c, 0).await?;
    c.goto(url.as_str()).await?;
    rendered_after(c, 0).await?;
    assert_eq!(rows(c).await?, expected_rows);
    let partner = js(
        c,
        "return document.querySelector('#filters [name=partner]').value",
    )
    .await?;
    assert_eq!(partner, PARTNER);

    // A click on a row shows the beads that report it, both languages side by side.
    let first = &expected[0];
    let row = c
        .find(Locator::Css("#activities tbody tr:first-child td.titles"))
        .await?;
    row.click().await?;
    c.wait()
        .for_element(Locator::Css("#detail:not([hidden]) #beads td"))
        .await?;
    let written = first["activity"]["partners"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["name"] == "Baltic states"))
        .map(|p| p["written"].clone())
        .ok_or("no Baltic states partner")?;
    for lang in ["nl", "fr"] {
        let texts: Vec<String> = serde_json::from_value(
            js(
                c,
                &format!("return [...document.querySelectorAll('#beads td[lang={lang}]')].map(td => td.textContent)"),
            )
            .await?,
        )?;
        assert!(texts.iter().all(|t| !t.is_empty()), "{lang}: {texts:?}");
        // The partner's name as this language's version wrote it is in that side's beads.
        let name = written[lang].as_str().ok_or("written name")?;
        assert!(
            texts.iter().any(|t| t.contains(name)),
            "{lang}: {name:?} not in the beads {texts:?}"
        );
    }
    let review = c.find(Locator::Id("review-link")).await?;
    let href = review.attr("href").await?.unwrap_or_default();
    let block = first["activity"]["blocks"][0].as_str().unwrap_or("");
    assert_eq!(
        href,
        format!(
            "/documents/{}/report.html#{block}",
            first["document"].as_str().unwrap_or("")
        )
    );
    assert!(c.current_url().await?.as_str().contains("#a/"));

    // A screenshot for the README, the beads of the activity in view.
    let png = c.screenshot().await?;
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("activities-page.png");
    std::fs::write(&shot, &png)?;
    eprintln!("screenshot: {}", shot.display());
    assert!(!diptych_testkit::Screenshot::decode(&png)?.is_blank());

    // A mark of the timeline opens its activity too: the last one, the other report's.
    let last = expected.last().ok_or("no rows")?;
    js(
        c,
        "const marks = document.querySelectorAll('#timeline a');
         marks[marks.length - 1].dispatchEvent(new MouseEvent('click', {bubbles: true}));",
    )
    .await?;
    let wanted = format!("{} · ", last["document"].as_str().unwrap_or(""));
    let start = Instant::now();
    while !c
        .find(Locator::Id("detail-meta"))
        .await?
        .text()
        .await?
        .starts_with(&wanted)
    {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "the mark opened nothing"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // The CSV download equals the command line's CSV for the same filter.
    let csv_href = c
        .find(Locator::Id("csv"))
        .await?
        .attr("href")
        .await?
        .unwrap_or_default();
    assert_eq!(csv_href, format!("/api/activities.csv?{query}"));
    let downloaded = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch(document.getElementById('csv').href).then(r => r.text()).then(done);",
            vec![],
        )
        .await?;
    assert_eq!(downloaded.as_str().unwrap_or(""), cli(&archive, "--csv")?);

    // A place the gazetteer does not know is marked, with how each language wrote it.
    c.goto(&format!("{}/activities?place=esch", server.url))
        .await?;
    rendered_after(c, 0).await?;
    let unknown = c
        .find(Locator::Css("#activities td.places .unknown"))
        .await?
        .text()
        .await?;
    assert!(unknown.starts_with("Esch-Belval"), "{unknown}");
    let written = c
        .find(Locator::Css("#activities td.places .written"))
        .await?
        .text()
        .await?;
    assert_eq!(written, "fr: Esch-Belval · nl: Esch-Belval");
    Ok(())
}
