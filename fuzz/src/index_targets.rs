//! The fuzz target over diptych-index's query parser, shared like `core_targets.rs`:
//! `fuzz/fuzz_targets/query.rs` calls it under libFuzzer, and
//! `crates/index/tests/fuzz_replay.rs` includes it to replay the corpus on stable.

use diptych_index::{query, Archive, Error, Query};

/// A query typed by a user: parsed, turned into FTS5 syntax, and run against an (empty)
/// archive in both modes. Whatever is typed, SQLite must never see a syntax error: the only
/// acceptable refusal is [`Error::BadQuery`]. The same query also asks for a translation
/// grouping. The first byte picks word or substring mode and whether the text is also used
/// as the section filter.
pub fn query(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest).into_owned();
    if let Ok(terms) = query::parse(&text) {
        assert!(!terms.is_empty());
        let _ = query::to_fts(&terms);
    }
    let _ = query::substring_fts(&text);
    let mut q = Query::new(text.clone());
    q.substring = mode & 1 == 1;
    if mode & 2 == 2 {
        q.section = Some(text);
    }
    match ARCHIVE.with(|(_, archive)| archive.search(&q)) {
        Ok(_) | Err(Error::BadQuery(_)) => {}
        Err(e) => panic!("query {q:?} failed: {e}"),
    }
    match ARCHIVE.with(|(_, archive)| archive.group(&q)) {
        Ok(_) | Err(Error::BadQuery(_)) => {}
        Err(e) => panic!("grouping {q:?} failed: {e}"),
    }
}

thread_local! {
    /// One empty archive per thread, in a temporary folder kept as long as the thread.
    static ARCHIVE: (tempfile::TempDir, Archive) = {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let archive = Archive::open(dir.path().join("fuzz.sqlite")).expect("a new archive");
        (dir, archive)
    };
}
