//! The archive on real sentences: adding, replacing, searching both languages, grouping,
//! activities, bad queries and bad files. Every test but the file-level ones runs on both
//! backends (`sqlite::NAME`, `postgres::NAME`; see `backend/mod.rs`).

mod backend;
mod common;

use backend::{Backend, Fresh};
use common::*;
use diptych_core::model::Level;
use diptych_core::Lang;
use diptych_index::{
    count_by_year_and_level, sort_records, write_csv, write_json, ActivityFilter, ActivityRecord,
    AddOptions, Archive, Error, NewDocument, Query, SearchCache, SortKey, CSV_HEADER,
};

on_both_backends!(
    lists_documents_with_years_and_counts,
    dutch_query_finds_dutch_sentence_with_french_counterpart,
    french_query_finds_french_sentences_in_both_documents,
    accentless_query_finds_accented_text,
    prefix_phrase_and_substring_searches,
    a_substring_is_found_only_where_its_characters_are_together,
    filters_and_paging,
    grouping_finds_navo_as_otan_and_the_council,
    activities_across_documents,
    activities_by_place_and_title_words,
    activities_sorted_and_counted,
    an_activity_comes_with_its_beads,
    activities_written_as_csv_and_json,
    adding_again_replaces_and_remove_removes,
    stored_findings_and_beads_come_back,
    tabs_newlines_and_backslashes_are_stored_as_they_are,
    fts_syntax_is_searched_literally_or_refused_clearly,
    frequent_words_are_counted_and_ranked_within_the_window,
    a_batch_is_stored_whole_or_not_at_all,
    a_second_connection_sees_documents_added_by_the_first,
    cached_searches_answer_as_uncached_and_follow_changes,
    concurrent_writers_lose_nothing,
    processes_adding_at_once_lose_nothing,
    a_time_budget_cuts_queries_and_lifts,
);

/// A fresh archive on `backend` holding the two reports, or `None` when the backend's server
/// is not there (outside CI).
fn archive_with_both(backend: Backend) -> Option<(Fresh, Archive)> {
    let fresh = backend.fresh()?;
    let mut archive = Archive::open(&fresh.location).unwrap();
    archive
        .add(
            &benelux_2022(),
            &benelux_2022_findings(),
            &benelux_2022_activities(),
        )
        .unwrap();
    archive
        .add(&own_2021(), &[], &own_2021_activities())
        .unwrap();
    Some((fresh, archive))
}

fn lists_documents_with_years_and_counts(backend: Backend) {
    let Some((_fresh, archive)) = archive_with_both(backend) else {
        return;
    };
    let docs = archive.list().unwrap();
    let names: Vec<&str> = docs.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["benelux-2022", "own-report-2021"]);
    assert_eq!(docs[0].year, Some(2022));
    assert_eq!(docs[1].year, Some(2021));
    assert_eq!(docs[0].langs, ["nl".to_string(), "fr".to_string()]);
    assert_eq!(docs[0].beads, 13);
    assert_eq!(docs[0].findings, 1);
    assert_eq!(docs[0].activities, 2);
    assert!(docs[0].title.starts_with("66e gemeenschappelijk verslag"));
}

fn dutch_query_finds_dutch_sentence_with_french_counterpart(backend: Backend) {
    let Some((_fresh, archive)) = archive_with_both(backend) else {
        return;
    };
    let mut q = Query::new("Baltische ambtsgenoten");
    q.lang = Some(Lang::NL);
    // All words, anywhere: both documents have them.
    assert_eq!(archive.search(&q).unwrap().total, 2);
    let mut q = Query::new("\"Baltische ambtsgenoten\"");
    q.lang = Some(Lang::NL);
    let page = archive.search(&q).unwrap();
    assert_eq!(page.total, 1);
    let hit = &page.items[0];
    assert_eq!(hit.document, "benelux-2022");
    assert_eq!(hit.lang, Lang::NL);
    assert_eq!(hit.block, "nl-b6");
    assert_eq!(hit.section, "Ministerieel niveau");
    assert!(hit
        .counterpart
        .starts_with("En avril, les ministres se sont rencontrés avec leur homologues baltes"));
    assert_eq!(hit.counterpart_lang, Lang::FR);
    let marked: Vec<&str> = hit
        .highlights
        .iter()
        .map(|[a, b]| &hit.text[*a..*b])
        .collect();
    assert_eq!(marked, ["Baltische ambtsgenoten"]);
}

fn french_query_finds_french_sentences_in_both_documents(backend: Backend) {
    let Some((_fresh, archive)) = archive_with_both(backend) else {
        return;
    };
    let page = archive
        .search(&Query::new("\"Conseil Affaires étrangères\""))
        .unwrap();
    let docs: Vec<&str> = page.items.iter().map(|h| h.document.as_str()).collect();
    assert_eq!(page.total, 3, "{docs:?}");
    assert!(docs.contains(&"benelux-2022") && docs.contains(&"own-report-2021"));
    for hit in &page.items {
        assert_eq!(hit.lang, Lang::FR);
        assert!(
            hit.counterpart.contains("Raad Buitenlandse Zaken"),
            "{}",
            hit.counterpart
        );
        let marked: Vec<&str> = hit
            .highlights
            .iter()
            .map(|[a, b]| &hit.text[*a..*b])
            .collect();
        assert_eq!(marked, ["Conseil Affaires étrangères"]);
    }
}

fn accentless_query_finds_accented_text(backend: Backend) {
    let Some((_fresh, archive)) = archive_with_both(backend) else {
        return;
    };
    let page = archive.search(&Query::new("ministerielle")).unwrap();
    assert_eq!(page.total, 3);
    assert!(page.items.iter().all(|h| h.text.contains("ministérielle")));
    let energie = archive.search(&Query::new("energie")).unwrap();
    assert!(energie.items.iter().any(|h| h.text.contains("l'Énergie")));
    let oekraine = archive.search(&Query::new("Oekraine")).unwrap();
    assert_eq!(oekraine.total, 1);
    assert!(oekraine.items[0].text.contains("Oekraïne"));
}

fn prefix_phrase_and_substring_searches(backend: Backend) {
    let Some((_fresh, archive)) = archive_with_both(backend) else {
        return;
    };
    let prefix = archive.search(&Query::new("energiedata*")).unwrap();
    assert_eq!(prefix.total, 1);
    assert!(prefix.items[0].text.contains("energiedataplatformen"));
    // The phrase must be adjacent: "Baltische staten" but not "Baltische ambtsgenoten".
    let phrase = archive.search(&Query::new("\"Baltische staten\"")).unwrap();
    assert_eq!(phrase.total, 4);
    let mut sub = Query::new("landse");
    assert_eq!(archive.search(&sub).unwrap().total, 0, "not a word");
    sub.substring = true;
    let page = archive.search(&sub).unwrap();
    assert!(page.total >= 2);
    for hit in &page.items {
        let marked: Vec<String> = hit
            .highlights
            .iter()
            .map(|[a, b]| hit.text[*a..*b].to_lowercase())
            .collect();
        assert!(marked.iter().all(|m| m == "landse"), "{marked:?}");
    }
}

/// The substring index tells which sentences hold all of a substring's trigrams, not where:
/// sentences holding them apart (`lan`, `and`, `nds`, `dse` in four words) are no hits, in
/// the count, the ranked page, the estimate behind a filtered search, and the groups.
fn a_substring_is_found_only_where_its_characters_are_together(backend: Backend) {
    let Some(fresh) = backend.fresh() else {
        return;
    };
    let mut archive = Archive::open(&fresh.location).unwrap();
    const SCATTERED: &str = "Het land, de band, de ronde nds-code en de dse-lijst.";
    let scattered = SCATTERED;
    let pairs = [
        para(
            &["Buitenlandse Zaken vergadert."],
            &["Les Affaires étrangères se réunissent."],
        ),
        para(&[SCATTERED], &["Le pays, la bande, le code et la liste."]),
        para(&["Binnenlandse zaken."], &["Les affaires intérieures."]),
    ];
    let doc = bitext("scattered", [Lang::NL, Lang::FR], &pairs);
    let options = AddOptions {
        year: Some(2024),
        report_html: None,
    };
    archive.add_with(&doc, &[], &[], &options).unwrap();
    let mut query = Query::new("landse");
    query.substring = true;
    let page = archive.search(&query).unwrap();
    let texts: Vec<&str> = page.items.iter().map(|h| h.text.as_str()).collect();
    assert_eq!(page.total, 2, "{texts:?}");
    assert!(page.exact);
    assert!(!texts.contains(&scattered), "{texts:?}");
    query.year = Some(2024);
    query.lang = Some(Lang::NL);
    assert_eq!(archive.search(&query).unwrap().total, 2, "filtered");
    query.lang = None;
    query.year = None;
    let groups = archive.group(&query).unwrap();
    let grouped: usize = groups.iter().map(|g| g.beads).sum();
    assert_eq!(grouped, 2, "{groups:?}");
}

fn filters_and_paging(backend: Backend) {
    let Some((_fresh, archive)) = archive_with_both(backend) else {
        return;
    };
    let mut q = Query::new("ministers");
    let all = archive.search(&q).unwrap().total;
    q.year = Some(2021);
    let page = archive.search(&q).unwrap();
    assert!(page.total > 0 && page.total < all);
    assert!(page.items.iter().all(|h| h.document == "own-report-2021"));
    q.year = None;
    q.document = Some("benelux-2022".into());
    assert!(archive
        .search(&q)
        .unwrap()
        .items
        .iter()
        .all(|h| h.document == "benelux-2022"));
    q.document = None;
    q.level = Some(Level::Ministerial);
    let ministerial = archive.search(&q).unwrap();
    assert!(ministerial.total > 0);
    q.level = Some(Level::HeadsOfGovernment);
    assert_eq!(archive.search(&q).unwrap().total, 0);
    q.level = None;
    q.section = Some("ministériel".into());
    assert!(
        archive.search(&q).unwrap().total > 0,
        "section matched on the other side"
    );
    q.section = Some("Europese zaken".into());
    assert_eq!(archive.search(&q).unwrap().total, 0);
    // Paging: two pages of 2 hold 4 distinct hits in rank order.
    let mut q = Query::new("ministers");
    q.limit = 2;
    let first = archive.search(&q).unwrap();
    q.page = 2;
    let second = archive.search(&q).unwrap();
    assert_eq!(first.items.len(), 2);
    assert!(first.items[1].score >= second.items[0].score);
    assert_ne!(first.items[0].sentence, second.items[0].sentence);
    q.limit = 0;
    assert!(matches!(archive.search(&q), Err(Error::Invalid(_))));
}

fn grouping_finds_navo_as_otan_and_the_council(backend: Backend) {
    let Some((_fresh, archive)) = archive_with_both(backend) else {
        return;
    };
    let groups = archive.group(&Query::new("NAVO")).unwrap();
    assert_eq!(groups.len(), 1);
    assert_eq!((groups[0].lang, groups[0].other_lang), (Lang::NL, Lang::FR));
    assert_eq!(groups[0].renderings[0].text, "OTAN");
    assert_eq!(groups[0].renderings[0].count, groups[0].beads);
    let council = archive
        .group(&Query::new("\"Raad Buitenlandse Zaken\""))
        .unwrap();
    assert_eq!(council[0].renderings[0].text, "Conseil Affaires étrangères");
    assert_eq!(council[0].renderings[0].count, 3);
    // And the other way round.
    let back = archive.group(&Query::new("OTAN")).unwrap();
    assert_eq!(back[0].lang, Lang::FR);
    assert_eq!(back[0].renderings[0].text, "NAVO");
}

fn activities_across_documents(backend: Backend) {
    let Some((_fresh, archive)) = archive_with_both(backend) else {
        return;
    };
    let baltic = ActivityFilter {
        partner: Some("Baltic states".into()),
        ..Default::default()
    };
    let found = archive.activities(&baltic, 100).unwrap();
    let docs: Vec<&str> = found.iter().map(|a| a.document.as_str()).collect();
    assert_eq!(docs, ["own-report-2021", "benelux-2022", "benelux-2022"]);
    let from_2022 = ActivityFilter {
        from: Some("2022".into()),
        to: Some("2022".into()),
        ..baltic.clone()
    };
    assert_eq!(archive.activities(&from_2022, 100).unwrap().len(), 2);
    let in_june = ActivityFilter {
        from: Some("2022-05".into()),
        ..baltic.clone()
    };
    let june = archive.activities(&in_june, 100).unwrap();
    assert_eq!(june.len(), 1);
    assert_eq!(june[0].activity.people, ["Claude Turmes"]);
    let dutch_name = ActivityFilter {
        partner: Some("baltische STATEN".into()),
        ..Default::default()
    };
    assert_eq!(archive.activities(&dutch_name, 100).unwrap().len(), 2);
    let accentless = ActivityFilter {
        partner: Some("etats baltes".into()),
        ..Default::default()
    };
    assert_eq!(archive.activities(&accentless, 100).unwrap().len(), 2);
    let summit = ActivityFilter {
        level: Some(Level::HeadsOfGovernment),
        ..Default::default()
    };
    assert!(archive.activities(&summit, 100).unwrap().is_empty());
    let bad = ActivityFilter {
        from: Some("last year".into()),
        ..Default::default()
    };
    assert!(matches!(
        archive.activities(&bad, 10),
        Err(Error::Invalid(_))
    ));
}

fn adding_again_replaces_and_remove_removes(backend: Backend) {
    let Some((fresh, mut archive)) = archive_with_both(backend) else {
        return;
    };
    let mut shorter = benelux_2022();
    shorter.beads.truncate(3);
    let options = AddOptions {
        year: Some(2030),
        report_html: Some("<p>review</p>".into()),
    };
    archive.add_with(&shorter, &[], &[], &options).unwrap();
    let docs = archive.list().unwrap();
    assert_eq!(docs.len(), 2);
    assert_eq!(
        (
            docs[0].beads,
            docs[0].findings,
            docs[0].year,
            docs[0].has_report
        ),
        (3, 0, Some(2030), true)
    );
    assert_eq!(
        archive.search(&Query::new("Oekraine")).unwrap().total,
        0,
        "old sentences are gone from the index"
    );
    assert_eq!(
        archive.search(&Query::new("ambtsgenoten")).unwrap().total,
        1,
        "the other document keeps its own"
    );
    assert_eq!(
        archive.report_html("benelux-2022").unwrap().as_deref(),
        Some("<p>review</p>")
    );
    archive.optimize().unwrap();
    assert_eq!(
        archive.search(&Query::new("ambtsgenoten")).unwrap().total,
        1,
        "same answers after optimize"
    );
    archive.remove("benelux-2022").unwrap();
    assert_eq!(archive.list().unwrap().len(), 1);
    assert!(matches!(
        archive.remove("benelux-2022"),
        Err(Error::NoSuchDocument(_))
    ));
    archive.check_integrity().unwrap();
    drop(archive);
    let reopened = Archive::open(&fresh.location).unwrap();
    assert_eq!(reopened.list().unwrap().len(), 1);
}

fn tabs_newlines_and_backslashes_are_stored_as_they_are(backend: Backend) {
    let Some(fresh) = backend.fresh() else {
        return;
    };
    let mut archive = Archive::open(&fresh.location).unwrap();
    let mut odd = benelux_2022();
    let text = "Zeldzaamwoord\tmet tab,\nnieuwe regel, \\N en \\ \r slash";
    odd.src.sentences[0].text = text.into();
    odd.src.blocks[0].text = text.into();
    archive.add(&odd, &[], &[]).unwrap();
    let page = archive.search(&Query::new("zeldzaamwoord")).unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.items[0].text, text);
    let beads = archive.beads("benelux-2022", 0, 1).unwrap();
    assert!(beads[0].src.contains(text), "{:?}", beads[0].src);
}

fn stored_findings_and_beads_come_back(backend: Backend) {
    let Some((_fresh, archive)) = archive_with_both(backend) else {
        return;
    };
    assert_eq!(
        archive.findings("benelux-2022").unwrap(),
        benelux_2022_findings()
    );
    let beads = archive.beads("benelux-2022", 3, 2).unwrap();
    assert_eq!(beads.len(), 2);
    assert_eq!(beads[0].index, 3);
    assert!(beads[0].src.starts_with("Raad Buitenlandse Zaken"));
    assert!(beads[0].tgt.starts_with("Conseil Affaires étrangères"));
    assert!(matches!(
        archive.beads("nope", 0, 5),
        Err(Error::NoSuchDocument(_))
    ));
}

fn fts_syntax_is_searched_literally_or_refused_clearly(backend: Backend) {
    let Some((_fresh, archive)) = archive_with_both(backend) else {
        return;
    };
    for q in [
        "\"",
        "\"NAVO",
        "NAVO\"",
        "NEAR(NAVO OTAN)",
        "NAVO AND",
        "OR",
        "*",
        "NAVO*)",
        "a:b",
        "^NAVO",
        "-NAVO",
        "\"\"\"",
        "{NAVO}",
        "NAVO NEAR/2 OTAN",
        "'",
    ] {
        match archive.search(&Query::new(q)) {
            Ok(_) => {}
            Err(Error::BadQuery(message)) => assert!(!message.is_empty()),
            Err(e) => panic!("{q:?} gave {e}"),
        }
        let mut sub = Query::new(q);
        sub.substring = true;
        match archive.search(&sub) {
            Ok(_) | Err(Error::BadQuery(_)) => {}
            Err(e) => panic!("substring {q:?} gave {e}"),
        }
    }
    assert_eq!(
        archive.search(&Query::new("\"NAVO")).unwrap().total,
        archive.search(&Query::new("NAVO")).unwrap().total
    );
    let near = archive.search(&Query::new("NAVO NEAR OTAN")).unwrap();
    assert_eq!(near.total, 0, "NEAR is a word here, and no sentence has it");
}

fn a_time_budget_cuts_queries_and_lifts(backend: Backend) {
    let Some((_fresh, mut archive)) = archive_with_both(backend) else {
        return;
    };
    // Enough rows for a search to take many SQLite steps (one clock check per 1,000).
    let copies: Vec<_> = (0..200)
        .map(|i| {
            let mut b = benelux_2022();
            b.name = format!("copy-{i}");
            b
        })
        .collect();
    let options = AddOptions::default();
    let docs: Vec<_> = copies
        .iter()
        .map(|bitext| NewDocument {
            bitext,
            findings: &[],
            activities: &[],
            options: &options,
        })
        .collect();
    archive.add_batch(&docs).unwrap();
    let expected = archive.search(&Query::new("NAVO")).unwrap().total;
    archive
        .set_time_budget(Some(std::time::Duration::from_secs(30)))
        .unwrap();
    assert_eq!(archive.search(&Query::new("NAVO")).unwrap().total, expected);
    if matches!(backend, Backend::Sqlite) {
        // A budget already spent: the first clock check stops the statement.
        archive
            .set_time_budget(Some(std::time::Duration::ZERO))
            .unwrap();
        let mut substring = Query::new("NAV");
        substring.substring = true;
        match archive.search(&substring) {
            Err(Error::TimedOut { .. }) => {}
            other => panic!("expected a cut query, got {other:?}"),
        }
    }
    archive.set_time_budget(None).unwrap();
    assert_eq!(archive.search(&Query::new("NAVO")).unwrap().total, expected);
}

#[test]
fn foreign_corrupt_and_newer_files_are_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.sqlite");
    std::fs::write(
        &text,
        "this is not a database, just some text that is long enough to look like a header and more",
    )
    .unwrap();
    let e = Archive::open(&text).err().unwrap();
    assert!(matches!(e, Error::NotADatabase { .. }), "{e}");
    assert!(e.to_string().contains("not a diptych archive"));

    let foreign = dir.path().join("other.sqlite");
    let conn = rusqlite::Connection::open(&foreign).unwrap();
    conn.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
        .unwrap();
    drop(conn);
    assert!(matches!(
        Archive::open(&foreign),
        Err(Error::Foreign { .. })
    ));

    let newer = dir.path().join("newer.sqlite");
    drop(Archive::open(&newer).unwrap());
    let conn = rusqlite::Connection::open(&newer).unwrap();
    conn.execute_batch("PRAGMA user_version = 99;").unwrap();
    drop(conn);
    let e = Archive::open(&newer).err().unwrap();
    assert!(matches!(e, Error::NewerSchema { found: 99, .. }), "{e}");

    // A real archive with its pages overwritten in the middle.
    let damaged = dir.path().join("damaged.sqlite");
    let mut archive = Archive::open(&damaged).unwrap();
    archive.add(&benelux_2022(), &[], &[]).unwrap();
    drop(archive);
    let _ = std::fs::remove_file(damaged.with_extension("sqlite-wal"));
    let mut bytes = std::fs::read(&damaged).unwrap();
    let len = bytes.len();
    for b in &mut bytes[4096..len.min(4096 * 6)] {
        *b = 0xA5;
    }
    std::fs::write(&damaged, bytes).unwrap();
    let outcome = Archive::open(&damaged)
        .and_then(|a| a.search(&Query::new("NAVO")).map(|_| a.check_integrity()));
    match outcome {
        Err(e) => assert!(!e.to_string().is_empty()),
        Ok(Err(e)) => assert!(!e.to_string().is_empty()),
        Ok(Ok(())) => panic!("a damaged archive passed the integrity check"),
    }
}

/// A batch of many documents is indexed by one statement per full-text index, so it leaves
/// a segment or two per index, not one per document (the merges of those were most of the
/// indexing time). SQLite only: FTS5's segments are counted in its `_idx` shadow tables.
#[test]
fn a_batch_of_many_documents_writes_few_index_segments() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("segments.sqlite");
    let mut archive = Archive::open(&path).unwrap();
    let options = AddOptions::default();
    let copies: Vec<_> = (0..30)
        .map(|i| {
            let mut bitext = benelux_2022();
            bitext.name = format!("copy-{i:02}");
            bitext
        })
        .collect();
    let docs: Vec<NewDocument> = copies
        .iter()
        .map(|bitext| NewDocument {
            bitext,
            findings: &[],
            activities: &[],
            options: &options,
        })
        .collect();
    archive.add_batch(&docs).unwrap();
    drop(archive);
    // The word index is in the archive, the substring index in the file beside it.
    let side = dir.path().join("segments.sqlite-substrings");
    for (file, table) in [(&path, "sentences_fts_idx"), (&side, "sentences_tri_idx")] {
        let conn = rusqlite::Connection::open(file).unwrap();
        let segments: i64 = conn
            .query_row(
                &format!("SELECT count(DISTINCT segid) FROM {table}"),
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(
            (1..=2).contains(&segments),
            "{table}: {segments} segments for one batch of 30 documents"
        );
    }
    let archive = Archive::open(&path).unwrap();
    assert_eq!(archive.search(&Query::new("Oekraine")).unwrap().total, 30);
    archive.check_integrity().unwrap();
}

fn frequent_words_are_counted_and_ranked_within_the_window(backend: Backend) {
    let Some(fresh) = backend.fresh() else {
        return;
    };
    let mut archive = Archive::open(&fresh.location).unwrap();
    // "ministers" is in 5 Dutch sentences per copy: 300 copies give 1500 matches.
    archive
        .add(&repeated(&benelux_2022(), "big", 300), &[], &[])
        .unwrap();
    let mut q = Query::new("ministers");
    q.lang = Some(Lang::NL);
    let page = archive.search(&q).unwrap();
    assert_eq!((page.total, page.exact), (diptych_index::WINDOW, false));
    assert_eq!(page.items.len(), 20);
    assert!(page.items.windows(2).all(|w| w[0].score >= w[1].score));
    q.page = diptych_index::WINDOW / 20 + 1;
    assert!(
        archive.search(&q).unwrap().items.is_empty(),
        "no page past the window"
    );
    let rare = archive.search(&Query::new("Oekraine")).unwrap();
    assert_eq!((rare.total, rare.exact), (300, true));
}

fn a_batch_is_stored_whole_or_not_at_all(backend: Backend) {
    let Some(fresh) = backend.fresh() else {
        return;
    };
    let mut archive = Archive::open(&fresh.location).unwrap();
    let options = AddOptions::default();
    let (benelux, own) = (benelux_2022(), own_2021());
    let mut shorter = benelux_2022();
    shorter.beads.truncate(2);
    let doc = |bitext| NewDocument {
        bitext,
        findings: &[],
        activities: &[],
        options: &options,
    };
    // The same name twice in one batch: the last one wins, and the index holds only it.
    archive
        .add_batch(&[doc(&benelux), doc(&own), doc(&shorter)])
        .unwrap();
    let beads: Vec<(String, usize)> = archive
        .list()
        .unwrap()
        .into_iter()
        .map(|d| (d.name, d.beads))
        .collect();
    assert_eq!(
        beads,
        [
            ("benelux-2022".to_string(), 2),
            ("own-report-2021".to_string(), own.beads.len())
        ]
    );
    assert_eq!(archive.search(&Query::new("Oekraine")).unwrap().total, 0);
    archive.check_integrity().unwrap();
    // Replacing documents stored by an earlier batch, the last one removed first: the
    // sentences get new row ids, and both indexes hold the new text only.
    archive.remove("own-report-2021").unwrap();
    archive
        .add_batch(&[doc(&own), doc(&benelux), doc(&own)])
        .unwrap();
    let mut substring = Query::new("ekrain");
    substring.substring = true;
    let words = archive.search(&Query::new("Oekraine")).unwrap().total;
    assert!(words > 0);
    assert_eq!(archive.search(&substring).unwrap().total, words);
    assert_eq!(archive.list().unwrap().len(), 2);
    archive.check_integrity().unwrap();
    archive.add_batch(&[doc(&shorter), doc(&own)]).unwrap();
    assert_eq!(archive.search(&substring).unwrap().total, 0);
    archive.check_integrity().unwrap();
    // A bad document fails the whole batch before anything is written.
    let mut broken = benelux_2022();
    broken.name = "broken".into();
    broken.beads[0].src = 0..10_000;
    let e = archive
        .add_batch(&[doc(&benelux), doc(&broken)])
        .err()
        .unwrap();
    assert!(matches!(e, Error::BadDocument { .. }), "{e}");
    assert_eq!(
        archive.list().unwrap()[0].beads,
        2,
        "benelux-2022 unchanged"
    );
}

fn a_second_connection_sees_documents_added_by_the_first(backend: Backend) {
    let Some((fresh, mut writer)) = archive_with_both(backend) else {
        return;
    };
    let reader = Archive::open_read_only(&fresh.location).unwrap();
    assert_eq!(reader.list().unwrap().len(), 2);
    writer.remove("own-report-2021").unwrap();
    assert_eq!(writer.list().unwrap().len(), 1);
    assert_eq!(
        reader.list().unwrap().len(),
        1,
        "the cached list is renewed"
    );
    writer.add(&own_2021(), &[], &[]).unwrap();
    assert_eq!(reader.list().unwrap().len(), 2);
}

fn cached_searches_answer_as_uncached_and_follow_changes(backend: Backend) {
    let Some((fresh, mut writer)) = archive_with_both(backend) else {
        return;
    };
    writer.cache_searches(4);
    let mut reader = Archive::open_read_only(&fresh.location).unwrap();
    reader.cache_searches(4);
    let plain = Archive::open_read_only(&fresh.location).unwrap();
    // Two connections sharing their windows, as the server's do.
    let shared = std::sync::Arc::new(SearchCache::new(4));
    let sharing: Vec<Archive> = (0..2)
        .map(|_| {
            let mut a = Archive::open_read_only(&fresh.location).unwrap();
            a.share_searches(&shared).unwrap();
            a
        })
        .collect();
    let mut query = Query::new("ministers");
    query.limit = 2;
    let pages = |archive: &Archive, query: &mut Query| {
        (1..=3)
            .map(|page| {
                query.page = page;
                archive.search(query).unwrap()
            })
            .collect::<Vec<_>>()
    };
    let uncached = pages(&plain, &mut query);
    assert!(uncached[0].total >= 3, "{:?}", uncached[0]);
    assert_eq!(pages(&reader, &mut query), uncached, "first time");
    assert_eq!(
        pages(&reader, &mut query),
        uncached,
        "from the cache, any page"
    );
    assert_eq!(pages(&writer, &mut query), uncached);
    assert_eq!(pages(&sharing[0], &mut query), uncached);
    assert_eq!(
        pages(&sharing[1], &mut query),
        uncached,
        "the other's window"
    );
    writer.remove("own-report-2021").unwrap();
    let after_remove = pages(&plain, &mut query);
    assert!(after_remove[0].total < uncached[0].total);
    assert_eq!(pages(&writer, &mut query), after_remove, "its own write");
    assert_eq!(pages(&reader, &mut query), after_remove, "another's write");
    assert_eq!(pages(&sharing[1], &mut query), after_remove, "shared");
    assert_eq!(pages(&sharing[0], &mut query), after_remove);
    writer.add(&own_2021(), &[], &[]).unwrap();
    let after_add = pages(&plain, &mut query);
    assert_eq!(after_add[0].total, uncached[0].total);
    assert_eq!(pages(&reader, &mut query), after_add);
    assert_eq!(pages(&writer, &mut query), after_add);
    assert_eq!(pages(&sharing[0], &mut query), after_add);
    assert_eq!(pages(&sharing[1], &mut query), after_add);
}

fn concurrent_writers_lose_nothing(backend: Backend) {
    let Some(fresh) = backend.fresh() else {
        return;
    };
    let path = fresh.location.clone();
    drop(Archive::open(&path).unwrap());
    let writers: Vec<_> = (0..3)
        .map(|w| {
            let path = path.clone();
            std::thread::spawn(move || {
                let mut archive = Archive::open(&path).unwrap();
                for d in 0..4 {
                    let doc = repeated(&benelux_2022(), &format!("w{w}-d{d}"), 20);
                    archive.add(&doc, &[], &[]).unwrap();
                }
            })
        })
        .collect();
    for writer in writers {
        writer.join().unwrap();
    }
    let archive = Archive::open(&path).unwrap();
    let docs = archive.list().unwrap();
    assert_eq!(docs.len(), 12);
    assert!(docs.iter().all(|d| d.beads == 13 * 20), "{docs:?}");
    assert_eq!(
        archive.search(&Query::new("Oekraine")).unwrap().total,
        12 * 20
    );
    archive.check_integrity().unwrap();
}

/// The document and position of each record.
fn keys(records: &[ActivityRecord]) -> Vec<(String, usize)> {
    records
        .iter()
        .map(|r| (r.document.clone(), r.index))
        .collect()
}

/// A filter on place and title words only.
fn place_or_words(place: Option<&str>, text: Option<&str>) -> ActivityFilter {
    ActivityFilter {
        place: place.map(str::to_owned),
        text: text.map(str::to_owned),
        ..Default::default()
    }
}

fn activities_by_place_and_title_words(backend: Backend) {
    let Some((_fresh, archive)) = archive_with_both(backend) else {
        return;
    };
    let found = |filter: ActivityFilter| keys(&archive.activities(&filter, 100).unwrap());
    let luxembourg_meeting = [("benelux-2022".to_owned(), 1)];
    assert_eq!(
        found(place_or_words(Some("luxemburg"), None)),
        luxembourg_meeting
    );
    assert_eq!(
        found(place_or_words(None, Some("ENERGIE benelux"))),
        luxembourg_meeting
    );
    assert_eq!(
        found(place_or_words(None, Some("baltes rencontre"))),
        [("own-report-2021".to_owned(), 0)],
        "the other language's title"
    );
    let ministers = place_or_words(None, Some("ministres"));
    assert_eq!(archive.activities(&ministers, 100).unwrap().len(), 2);
    assert_eq!(
        archive.activities(&ministers, 1).unwrap().len(),
        1,
        "the limit applies after the text filter"
    );
    let meetings = place_or_words(None, Some("rencontre"));
    assert_eq!(archive.activities(&meetings, 100).unwrap().len(), 2);
    let in_benelux = ActivityFilter {
        document: Some("benelux-2022".into()),
        ..meetings
    };
    assert_eq!(
        found(in_benelux),
        [("benelux-2022".to_owned(), 0)],
        "SQL and Rust filters combine"
    );
}

fn activities_sorted_and_counted(backend: Backend) {
    let Some((_fresh, archive)) = archive_with_both(backend) else {
        return;
    };
    let mut all = archive.all_activities(&ActivityFilter::default()).unwrap();
    assert_eq!(all.len(), 3);
    let counts = count_by_year_and_level(&all);
    assert_eq!(
        counts.iter().map(|c| (c.year, c.total)).collect::<Vec<_>>(),
        [(Some(2021), 1), (Some(2022), 2)]
    );
    assert_eq!(counts[1].levels["ministerial"], 2);
    sort_records(&mut all, SortKey::Date, true);
    assert_eq!(all[0].activity.dates, ["2022-06-27"]);
    sort_records(&mut all, SortKey::Document, true);
    assert_eq!(all[0].document, "own-report-2021");
    sort_records(&mut all, SortKey::Place, false);
    assert_eq!(
        all[0].activity.places[0].name, "Luxembourg",
        "empty lists sort last"
    );
    assert_eq!(SortKey::parse("partner").unwrap(), SortKey::Partner);
    assert!(matches!(SortKey::parse("size"), Err(Error::Invalid(_))));
}

fn an_activity_comes_with_its_beads(backend: Backend) {
    let Some((_fresh, archive)) = archive_with_both(backend) else {
        return;
    };
    let source = archive.activity_source("benelux-2022", 1).unwrap();
    assert_eq!(source.langs, ["nl", "fr"]);
    assert_eq!(source.record.year, Some(2022));
    assert_eq!(source.record.activity.people, ["Claude Turmes"]);
    assert_eq!(source.beads.len(), 2, "{:?}", source.beads);
    assert!(source.beads[0]
        .src
        .starts_with("Bijeenkomst van de Benelux-ministers"));
    assert!(source.beads[1].tgt.contains("Claude Turmes"));
    assert!(matches!(
        archive.activity_source("benelux-2022", 9),
        Err(Error::Invalid(_))
    ));
    assert!(matches!(
        archive.activity_source("nope", 0),
        Err(Error::NoSuchDocument(_))
    ));
}

fn activities_written_as_csv_and_json(backend: Backend) {
    let Some((_fresh, archive)) = archive_with_both(backend) else {
        return;
    };
    let records = archive.activities(&ActivityFilter::default(), 100).unwrap();
    let mut csv = Vec::new();
    write_csv(&records, &mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert_eq!(csv.lines().next().unwrap(), CSV_HEADER.join(","));
    assert_eq!(csv.lines().count(), 4);
    let mut json = Vec::new();
    write_json(&records, &mut json).unwrap();
    let back: Vec<ActivityRecord> = serde_json::from_slice(&json).unwrap();
    assert_eq!(back, records);
}

/// Tells a child process of [`processes_adding_at_once_lose_nothing`] which writer it is and
/// where the archive is: `W<TAB>LOCATION`.
const WRITER_ENV: &str = "DIPTYCH_TEST_WRITER";
/// Writer processes started at once.
const WRITERS: usize = 4;

/// Four processes open one new archive at once (so it is created once) and each adds three
/// documents of its own and replaces one document all of them write: every document is there,
/// whole, and the shared one is one writer's.
fn processes_adding_at_once_lose_nothing(backend: Backend) {
    let Some(fresh) = backend.fresh() else {
        return;
    };
    let exe = std::env::current_exe().unwrap();
    let children: Vec<_> = (0..WRITERS)
        .map(|w| {
            std::process::Command::new(&exe)
                .args(["--ignored", "--exact", "writer_process", "--nocapture"])
                .env(WRITER_ENV, format!("{w}\t{}", fresh.location.display()))
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success(), "a writer process failed");
    }
    let archive = Archive::open(&fresh.location).unwrap();
    let docs = archive.list().unwrap();
    assert_eq!(docs.len(), WRITERS * 3 + 1, "{docs:?}");
    for doc in &docs {
        if doc.name == "shared" {
            let copies = doc.beads / own_2021().beads.len();
            assert!((2..2 + WRITERS).contains(&copies), "{doc:?}");
            assert_eq!(doc.beads % own_2021().beads.len(), 0);
        } else {
            assert_eq!(doc.beads, benelux_2022().beads.len() * 10, "{doc:?}");
        }
    }
    let ukraine = archive.search(&Query::new("Oekraine")).unwrap();
    assert_eq!(ukraine.total, WRITERS * 3 * 10);
    archive.check_integrity().unwrap();
}

/// One writer of [`processes_adding_at_once_lose_nothing`], run in its own process.
#[test]
#[ignore = "a child process of processes_adding_at_once_lose_nothing"]
fn writer_process() {
    let spec = std::env::var(WRITER_ENV).expect("started by processes_adding_at_once_lose_nothing");
    let (w, location) = spec.split_once('\t').unwrap();
    let w: usize = w.parse().unwrap();
    let mut archive = Archive::open(location).unwrap();
    for d in 0..3 {
        let own = repeated(&benelux_2022(), &format!("p{w}-d{d}"), 10);
        archive.add(&own, &[], &[]).unwrap();
        let shared = repeated(&own_2021(), "shared", 2 + w);
        archive.add(&shared, &[], &own_2021_activities()).unwrap();
    }
}

#[test]
fn foreign_newer_and_missing_postgres_archives_are_refused_clearly() {
    let Some(fresh) = Backend::Postgres.fresh() else {
        return;
    };
    let schema = fresh.schema().unwrap().to_owned();
    let e = Archive::open_read_only(&fresh.location).err().unwrap();
    assert!(matches!(e, Error::NoArchive { .. }), "{e}");

    let mut admin = backend::admin().unwrap();
    admin
        .batch_execute(&format!("CREATE TABLE {schema}.notes(x int)"))
        .unwrap();
    let e = Archive::open(&fresh.location).err().unwrap();
    assert!(matches!(e, Error::Foreign { .. }), "{e}");
    admin
        .batch_execute(&format!("DROP TABLE {schema}.notes"))
        .unwrap();

    drop(Archive::open(&fresh.location).unwrap());
    let mut reader = Archive::open_read_only(&fresh.location).unwrap();
    let e = reader.add(&own_2021(), &[], &[]).err().unwrap();
    assert!(e.to_string().contains("read-only"), "{e}");
    admin
        .batch_execute(&format!(
            "UPDATE {schema}.diptych_meta SET value = 99 WHERE key = 'schema_version'"
        ))
        .unwrap();
    for e in [
        Archive::open(&fresh.location).err().unwrap(),
        Archive::open_read_only(&fresh.location).err().unwrap(),
    ] {
        assert!(matches!(e, Error::NewerSchema { found: 99, .. }), "{e}");
    }

    let e = Archive::open("postgres://diptych:secret@127.0.0.1:1/diptych")
        .err()
        .unwrap();
    assert!(matches!(e, Error::Connect { .. }), "{e}");
    let message = e.to_string();
    assert!(
        !message.contains("secret") && !message.contains('\n'),
        "{message}"
    );
}

fn substring(text: &str) -> Query {
    let mut query = Query::new(text);
    query.substring = true;
    query
}

/// The substring index is derived data beside the archive (`PATH-substrings`): when it is
/// missing, a reading server refuses clearly and the next writing open rebuilds it with the
/// same answers. SQLite only.
#[test]
fn a_missing_substring_index_is_refused_read_only_and_rebuilt_by_a_writer() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.sqlite");
    let side = dir.path().join("a.sqlite-substrings");
    let mut archive = Archive::open(&path).unwrap();
    archive.add(&benelux_2022(), &[], &[]).unwrap();
    archive.add(&own_2021(), &[], &[]).unwrap();
    let before = archive.search(&substring("landse")).unwrap();
    assert!(before.total > 0);
    drop(archive);
    assert!(side.exists());
    std::fs::remove_file(&side).unwrap();

    let e = Archive::open_read_only(&path).err().unwrap();
    assert!(matches!(e, Error::MissingSubstringIndex { .. }), "{e}");
    assert!(e.to_string().contains("substring index is missing"), "{e}");

    let archive = Archive::open(&path).unwrap();
    assert_eq!(archive.search(&substring("landse")).unwrap(), before);
    archive.check_integrity().unwrap();
    drop(archive);
    let reader = Archive::open_read_only(&path).unwrap();
    assert_eq!(reader.search(&substring("landse")).unwrap(), before);
}

/// A substring index written before version 2 (trigram positions kept, `detail=full`) is
/// searched and added to as it is, with the same answers as a new one. SQLite only.
#[test]
fn a_substring_index_with_positions_from_before_is_read_and_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.sqlite");
    let side = dir.path().join("a.sqlite-substrings");
    let mut archive = Archive::open(&path).unwrap();
    archive.add(&benelux_2022(), &[], &[]).unwrap();
    let before = archive.search(&substring("landse")).unwrap();
    drop(archive);
    std::fs::remove_file(&side).unwrap();
    let old = rusqlite::Connection::open(&side).unwrap();
    old.execute_batch(
        "CREATE VIRTUAL TABLE sentences_tri USING fts5(
             text, tokenize='trigram remove_diacritics 1', content='', contentless_delete=1);
         CREATE TABLE indexed(doc INTEGER PRIMARY KEY, stamp INTEGER NOT NULL,
                              first_id INTEGER NOT NULL, last_id INTEGER NOT NULL);
         PRAGMA application_id = 1146115155; PRAGMA user_version = 1;",
    )
    .unwrap();
    drop(old);

    let mut archive = Archive::open(&path).unwrap();
    assert_eq!(archive.search(&substring("landse")).unwrap(), before);
    archive.add(&own_2021(), &[], &[]).unwrap();
    let after = archive.search(&substring("landse")).unwrap();
    assert!(after.total > before.total, "the new document is found too");
    archive.check_integrity().unwrap();
    let kept: String = rusqlite::Connection::open(&side)
        .unwrap()
        .query_row(
            "SELECT sql FROM sqlite_master WHERE name = 'sentences_tri'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(!kept.contains("detail"), "kept as it was: {kept}");
    drop(archive);
    std::fs::remove_file(&side).unwrap();
    let rebuilt = Archive::open(&path).unwrap();
    assert_eq!(rebuilt.search(&substring("landse")).unwrap(), after);
}

/// A crash between the substring index's commit and the archive's leaves the index with a
/// document the archive lacks, whose sentence ids the next batch takes again: the next writer
/// takes those entries out before adding, so they never show. SQLite only.
#[test]
fn substring_entries_of_a_batch_the_archive_never_committed_are_taken_out() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.sqlite");
    let mut archive = Archive::open(&path).unwrap();
    archive.add(&benelux_2022(), &[], &[]).unwrap();
    drop(archive);
    // What the lost batch left: a document row id and the next sentence ids, with a text
    // found nowhere else.
    let conn = rusqlite::Connection::open(dir.path().join("a.sqlite-substrings")).unwrap();
    let next_id: i64 = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("SELECT max(id) + 1 FROM sentences", [], |r| r.get(0))
        .unwrap();
    conn.execute(
        "INSERT INTO indexed(doc, stamp, first_id, last_id) VALUES (2, 7, ?1, ?2)",
        [next_id, next_id + 1],
    )
    .unwrap();
    for id in [next_id, next_id + 1] {
        conn.execute(
            "INSERT INTO sentences_tri(rowid, text) VALUES (?1, 'zzqxv lost batch')",
            [id],
        )
        .unwrap();
    }
    drop(conn);

    let mut archive = Archive::open(&path).unwrap();
    archive.add(&own_2021(), &[], &[]).unwrap();
    assert_eq!(archive.search(&substring("zzqxv")).unwrap().total, 0);
    archive.check_integrity().unwrap();
    // The same answers as an archive that never saw the lost batch.
    let mut fresh = Archive::open(dir.path().join("fresh.sqlite")).unwrap();
    fresh.add(&benelux_2022(), &[], &[]).unwrap();
    fresh.add(&own_2021(), &[], &[]).unwrap();
    for text in ["ambtsgenoten", "landse", "lost batch"] {
        let here = archive.search(&substring(text)).unwrap();
        assert_eq!(here, fresh.search(&substring(text)).unwrap(), "{text}");
    }
    assert!(archive.search(&substring("ambtsgenoten")).unwrap().total > 0);
}
