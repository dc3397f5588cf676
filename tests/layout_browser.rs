//! Browser test of `layout.html`, the page that shows what the PDF reader read: `diptych run`
//! on the bundled PDF of the reference report (`examples/benelux-2022/report.nl-fr.pdf`, the
//! fixture `tests/data/pdf/benelux-2022.nl-fr.table.a4.pdf` that `scripts/make-pdf-fixtures`
//! writes), then headless Chromium opens the page: one drawn page per PDF page, Dutch boxes
//! left of French ones on the first page, the running header hatched as removed, and ink in
//! both halves of the screenshot. The screenshot (`layout.png` in the test's temporary
//! folder) is the README's `docs/layout.png`. Needs Debian `chromium` and `chromium-driver`:
//! skipped with a note when they are missing, a failure when `CI` is set.

use std::path::{Path, PathBuf};
use std::process::Command;

use diptych_testkit::Browser;
use serde_json::Value;

type Result<T = ()> = std::result::Result<T, diptych_testkit::Error>;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_bundled_pdf_is_the_reference_fixture() {
    let bundled = std::fs::read(root().join("examples/benelux-2022/report.nl-fr.pdf")).unwrap();
    let fixture =
        std::fs::read(root().join("tests/data/pdf/benelux-2022.nl-fr.table.a4.pdf")).unwrap();
    assert!(
        bundled == fixture,
        "examples/benelux-2022/report.nl-fr.pdf differs from the fixture it copies"
    );
}

/// Runs the bundled PDF (grammar left out: this test is about the layout) into `out`.
fn run_bundled_pdf(out: &Path) -> Result {
    let run = Command::new(env!("CARGO_BIN_EXE_diptych"))
        .arg("run")
        .arg(root().join("examples/benelux-2022/report.nl-fr.pdf"))
        .arg("--out")
        .arg(out)
        .env("DIPTYCH_FROG", "/nonexistent")
        .env("DIPTYCH_GRAMMALECTE", "/nonexistent")
        .output()?;
    if !run.status.success() {
        return Err(String::from_utf8_lossy(&run.stderr).into_owned().into());
    }
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn layout_page_draws_each_page_with_its_columns() -> Result {
    let dir = tempfile::tempdir()?;
    run_bundled_pdf(dir.path())?;
    let Some(browser) = Browser::start("layout_browser_test").await? else {
        return Ok(());
    };
    let outcome = look(&browser, &dir.path().join("layout.html")).await;
    browser.close().await?;
    outcome
}

async fn look(browser: &Browser, page: &Path) -> Result {
    let c = &browser.client;
    c.goto(&diptych_testkit::file_url(page)?).await?;
    let seen: Value = c
        .execute(
            "const first = document.querySelector('figure.page');
             const boxes = (lang) => [...first.querySelectorAll('rect.b')]
                 .filter(r => r.querySelector('title').textContent.startsWith(lang + '-'));
             const x0 = (r) => parseFloat(r.getAttribute('x'));
             const x1 = (r) => x0(r) + parseFloat(r.getAttribute('width'));
             return {
               pages: document.querySelectorAll('figure.page').length,
               removed: document.querySelectorAll('rect.removed').length,
               columns: first.querySelectorAll('rect.col').length,
               nl: boxes('nl').length,
               fr: boxes('fr').length,
               nl_right: Math.max(...boxes('nl').map(x1)),
               fr_left: Math.min(...boxes('fr').map(x0)),
             };",
            vec![],
        )
        .await?;
    // The bundled PDF has 8 pages, each with the running header and a folio.
    assert_eq!(seen["pages"], 8, "{seen}");
    assert!(
        seen["removed"].as_u64() >= Some(16),
        "header and folios: {seen}"
    );
    assert_eq!(seen["columns"], 2, "{seen}");
    assert!(
        seen["nl"].as_u64() >= Some(5) && seen["nl"] == seen["fr"],
        "boxes per language on page 1: {seen}"
    );
    let (nl_right, fr_left) = (seen["nl_right"].as_f64(), seen["fr_left"].as_f64());
    assert!(
        nl_right.zip(fr_left).is_some_and(|(r, l)| r < l),
        "Dutch drawn left of French: {seen}"
    );
    let png = c.screenshot().await?;
    let screenshot = diptych_testkit::Screenshot::decode(&png)?;
    assert!(!screenshot.is_blank());
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("layout.png");
    std::fs::write(&shot, &png)?;
    eprintln!("screenshot: {}", shot.display());
    Ok(())
}
