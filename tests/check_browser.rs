//! Browser test of the review page: headless Chromium opens the `report.html` that
//! `diptych check` writes for the reference report, checks that highlights, the message on
//! click and the filters work, and looks at screenshots (non-blank, highlights visible, two
//! columns of text). Needs Debian `chromium` and `chromium-driver`: skipped with a note when
//! they are missing, a failure when `CI` is set.

use std::path::Path;
use std::process::Command;

use diptych_testkit::fantoccini::{Client, Locator};
use diptych_testkit::{file_url, Browser};

type Result<T = ()> = std::result::Result<T, diptych_testkit::Error>;

fn diptych(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_diptych"))
        .args(args)
        .output()
        .expect("the diptych binary runs")
}

async fn count(c: &Client, css: &str) -> Result<usize> {
    Ok(c.find_all(Locator::Css(css)).await?.len())
}

async fn js(c: &Client, script: &str) -> Result<serde_json::Value> {
    Ok(c.execute(script, vec![]).await?)
}

async fn click_box(c: &Client, name: &str, value: &str) -> Result {
    c.find(Locator::Css(&format!("input[name={name}][value={value}]")))
        .await?
        .click()
        .await?;
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn review_page_highlights_filters_and_renders_two_columns() -> Result {
    let Some(browser) = Browser::start("review_page_browser_test").await? else {
        return Ok(());
    };
    let outcome = exercise(&browser.client).await;
    browser.close().await?;
    outcome
}

async fn exercise(c: &Client) -> Result {
    let dir = tempfile::tempdir()?;
    let d = dir.path().to_str().ok_or("temp path")?;
    let input =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/benelux-2022/report.nl-fr.txt");
    assert!(diptych(&["run", input.to_str().ok_or("path")?, "--out", d])
        .status
        .success());
    diptych(&["check", d]);
    let findings = std::fs::read_to_string(dir.path().join("findings.jsonl"))?
        .lines()
        .count();
    c.goto(&file_url(&dir.path().join("report.html"))?).await?;

    // Counts at the top and one lit highlight per highlighted span.
    let total: String = c.find(Locator::Id("total")).await?.text().await?;
    assert_eq!(total, findings.to_string());
    let lit = count(c, "mark.on").await?;
    assert!(
        lit >= findings,
        "{lit} lit highlights for {findings} findings"
    );

    // The exact span is marked, and a click shows its message.
    let mark = c
        .find(Locator::XPath("//mark[text()='besprekkingen']"))
        .await?;
    mark.click().await?;
    let popup = c.find(Locator::Id("popup")).await?;
    assert!(popup.is_displayed().await?);
    let text = popup.text().await?;
    assert!(
        text.contains("spelling: besprekkingen: unknown to the Dutch dictionary"),
        "{text}"
    );
    assert!(text.contains("besprekingen"), "suggestion shown: {text}");

    // Screenshot with the highlight in view: not blank, and the highlight colour is on screen.
    js(c, "document.querySelector('mark.on').scrollIntoView({block: 'center'}); document.getElementById('popup').hidden = true;").await?;
    let shot = diptych_browser_shot(c, "check-report-highlights.png").await?;
    assert!(!shot.is_blank(), "blank screenshot");
    let yellow = (0..shot.height)
        .flat_map(|y| (0..shot.width).map(move |x| (x, y)))
        .filter(|&(x, y)| shot.pixel(x, y) == [255, 224, 102])
        .count();
    assert!(
        yellow > 50,
        "highlight colour not on screen ({yellow} pixels)"
    );

    // Filters: by check, then by severity.
    click_box(c, "check", "spelling").await?;
    let still = js(c, "return document.evaluate(\"//mark[text()='besprekkingen']\", document).iterateNext().classList.contains('on')").await?;
    assert_eq!(still, serde_json::json!(false), "spelling filtered out");
    let grand = js(c, "return [...document.querySelectorAll('mark.on')].some(m => m.textContent === 'Grand Région')").await?;
    assert_eq!(grand, serde_json::json!(true), "consistency still shown");
    click_box(c, "check", "spelling").await?;
    click_box(c, "severity", "warning").await?;
    click_box(c, "severity", "info").await?;
    assert_eq!(
        count(c, "mark.on").await?,
        0,
        "no finding is shown with warnings and notes filtered out"
    );
    assert_eq!(c.find(Locator::Id("total")).await?.text().await?, "0");
    assert_eq!(count(c, "li.finding:not(.hidden)").await?, 0);

    // With no finding shown the notes rows are hidden: the page is the two columns of text.
    js(c, "window.scrollTo(0, document.body.scrollHeight / 2)").await?;
    let shot = diptych_browser_shot(c, "check-report-columns.png").await?;
    assert!(!shot.is_blank());
    let header: f64 = js(c, "return document.querySelector('header').getBoundingClientRect().bottom * window.devicePixelRatio").await?.as_f64().ok_or("header")?;
    let columns = shot.text_columns(header as usize + 10, shot.height - 10, 12);
    assert_eq!(
        columns.len(),
        2,
        "two columns of text expected, found {columns:?}"
    );
    let (left, right) = (columns[0], columns[1]);
    assert!(
        left.1 < shot.width / 2 + 20 && right.0 > shot.width / 2 - 20,
        "columns side by side: {columns:?}"
    );

    // Only beads with findings.
    click_box(c, "severity", "warning").await?;
    click_box(c, "severity", "info").await?;
    c.find(Locator::Id("only-findings")).await?.click().await?;
    let rows = count(c, "#beads tbody tr:not(.hidden):not(.notes)").await?;
    assert!(rows > 0 && rows < 118, "{rows} rows shown");
    Ok(())
}

/// Takes a screenshot, saves it under the target folder for a human to look at, decodes it.
async fn diptych_browser_shot(c: &Client, name: &str) -> Result<diptych_testkit::Screenshot> {
    let png = c.screenshot().await?;
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, &png)?;
    eprintln!("screenshot: {}", path.display());
    diptych_testkit::Screenshot::decode(&png)
}
