//! Browser test of the archive's search page: the reference report goes through `diptych
//! run` and `diptych check`, into an archive, and `diptych serve` serves it; headless Chromium
//! types an accent-less query into the search box, submits it, and must see the bilingual hits
//! with the match highlighted, then follow the link to the stored review page. Needs Debian
//! `chromium` and `chromium-driver`: skipped with a note when they are missing, a failure when
//! `CI` is set.

use std::path::Path;
use std::process::Command;

use diptych_testkit::fantoccini::{Client, Locator};
use diptych_testkit::{Browser, ServerProcess};

type Result<T = ()> = std::result::Result<T, diptych_testkit::Error>;

fn diptych(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_diptych"))
        .args(args)
        .env_remove("DIPTYCH_ARCHIVE")
        .output()
        .expect("the diptych binary runs")
}

#[tokio::test(flavor = "current_thread")]
async fn search_page_shows_highlighted_bilingual_hits() -> Result {
    let Some(browser) = Browser::start("search_page_browser_test").await? else {
        return Ok(());
    };
    let outcome = exercise(&browser.client).await;
    browser.close().await?;
    outcome
}

async fn exercise(c: &Client) -> Result {
    let dir = tempfile::tempdir()?;
    let run = dir.path().join("benelux-2022");
    let run_dir = run.to_str().ok_or("temp path")?;
    let input =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/benelux-2022/report.nl-fr.txt");
    let input = input.to_str().ok_or("path")?;
    assert!(
        diptych(&["run", input, "--name", "benelux-2022", "--out", run_dir])
            .status
            .success()
    );
    diptych(&["check", run_dir]);
    assert!(
        run.join("report.html").is_file(),
        "diptych check writes the review page"
    );
    let archive = dir.path().join("archive.sqlite");
    let added = diptych(&[
        "index",
        "add",
        run_dir,
        "--archive",
        archive.to_str().ok_or("path")?,
    ]);
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let cli = diptych(&[
        "search",
        "Oekraine",
        "--doc",
        "benelux-2022",
        "--json",
        "--archive",
        archive.to_str().ok_or("path")?,
    ]);
    let expected: serde_json::Value = serde_json::from_slice(&cli.stdout)?;
    let expected = expected["total"].as_u64().ok_or("no total")? as usize;
    assert!(
        (10..=20).contains(&expected),
        "{expected} hits for Oekraine on the command line"
    );
    let server = ServerProcess::serve(env!("CARGO_BIN_EXE_diptych").as_ref(), &archive, &[])?;

    c.goto(&server.url).await?;
    let q = c.find(Locator::Css("input[name=q]")).await?;
    q.send_keys("Oekraine").await?;
    c.find(Locator::Css("select[name=doc] option[value=benelux-2022]"))
        .await?
        .click()
        .await?;
    c.find(Locator::Css("#search button[type=submit]"))
        .await?
        .click()
        .await?;
    c.wait().for_element(Locator::Id("hits")).await?;

    let count = c.find(Locator::Id("count")).await?.text().await?;
    assert!(count.starts_with(&format!("{expected} hits")), "{count}");
    let rows = c.find_all(Locator::Css("#hits tr.hit")).await?;
    assert_eq!(rows.len(), expected);
    for row in rows {
        let matched = row.find(Locator::Css("td.match")).await?;
        let counterpart = row.find(Locator::Css("td.counterpart")).await?;
        assert_eq!(matched.attr("lang").await?.as_deref(), Some("nl"));
        assert_eq!(counterpart.attr("lang").await?.as_deref(), Some("fr"));
        let marks = matched.find_all(Locator::Css("mark")).await?;
        assert!(!marks.is_empty());
        for mark in marks {
            assert_eq!(mark.text().await?, "Oekraïne");
        }
        let other = counterpart.text().await?;
        assert!(other.contains("Ukraine"), "{other}");
    }
    // The highlight is visible: a coloured background, not the page's white.
    let background = c
        .execute(
            "return getComputedStyle(document.querySelector('#hits mark')).backgroundColor",
            vec![],
        )
        .await?;
    assert_eq!(background, "rgb(255, 224, 102)");

    // The document link opens the review page stored in the archive.
    c.find(Locator::Css(
        "#hits a[href='/documents/benelux-2022/report.html']",
    ))
    .await?
    .click()
    .await?;
    let url = c.current_url().await?;
    assert!(
        url.as_str()
            .ends_with("/documents/benelux-2022/report.html"),
        "{url}"
    );
    let body = c.find(Locator::Css("body")).await?.text().await?;
    assert!(
        body.contains("besprekkingen"),
        "the review page of the reference report"
    );
    Ok(())
}
