//! Ranked search windows kept between searches on one connection (the server's "cached
//! counts"): a search's count and ranking are the costly part of it (reading up to
//! [`crate::WINDOW`] matches with their text, and counting each phrase), while a page of hits
//! is a few row reads. A window is kept under its query without the paging, so asking the
//! same search again, or for its next page, reads only the page's hits.
//!
//! The windows are dropped whenever the archive may have changed: when another connection
//! has committed (the backend's version, read before each search: SQLite's `PRAGMA
//! data_version`, PostgreSQL's count of writes) and when this connection writes. The version is
//! read before the window is computed, so a window is never kept under a version newer than
//! the data it was computed from. The server's connections share one [`SearchCache`].

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use crate::search::Query;
use crate::store::Store;
use crate::Result;

/// One ranked window: (sentence row id, rank) as the backend returned it, at most the limit
/// asked for plus one.
pub(crate) type Window = Vec<(i64, f64)>;

/// The windows of the most recent distinct searches, at most `capacity`, all computed at
/// one version of the archive.
#[derive(Debug, Default)]
pub(crate) struct WindowCache {
    capacity: usize,
    version: Option<u64>,
    windows: HashMap<String, Window>,
    /// Keys in the order they were kept, oldest first (the first to go when full).
    order: VecDeque<String>,
}

impl WindowCache {
    /// A cache of at most `capacity` windows (0: none kept).
    pub(crate) fn new(capacity: usize) -> WindowCache {
        WindowCache {
            capacity,
            ..WindowCache::default()
        }
    }

    /// Whether windows are kept at all.
    pub(crate) fn is_enabled(&self) -> bool {
        self.capacity > 0
    }

    /// Forgets every window (the archive changed).
    pub(crate) fn clear(&mut self) {
        self.version = None;
        self.windows.clear();
        self.order.clear();
    }

    /// The window kept for `key` at `version`; a different version empties the cache first.
    pub(crate) fn get(&mut self, version: u64, key: &str) -> Option<Window> {
        if self.version != Some(version) {
            self.clear();
            self.version = Some(version);
            return None;
        }
        self.windows.get(key).cloned()
    }

    /// Keeps `window` for `key`, computed at `version` (dropped when the cache has moved to
    /// another version meanwhile), making room by forgetting the oldest window.
    pub(crate) fn put(&mut self, version: u64, key: String, window: Window) {
        if self.capacity == 0 || self.version != Some(version) {
            return;
        }
        while self.windows.len() >= self.capacity {
            match self.order.pop_front() {
                Some(oldest) => {
                    self.windows.remove(&oldest);
                }
                None => break,
            }
        }
        if self.windows.insert(key.clone(), window).is_none() {
            self.order.push_back(key);
        }
    }
}

/// Windows shared by several connections to one archive (the server's pool): a search
/// asked on any connection is then counted and ranked once. Each connection still reads its
/// own version before each search: the first to see the archive change empties the shared
/// windows (a new generation), and a window computed during an older generation is not kept.
#[derive(Debug)]
pub struct SearchCache {
    shared: Mutex<(u64, WindowCache)>,
}

impl SearchCache {
    /// A cache of at most `searches` windows (0: none kept).
    pub fn new(searches: usize) -> SearchCache {
        SearchCache {
            shared: Mutex::new((0, WindowCache::new(searches))),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (u64, WindowCache)> {
        // A holder that panicked left a sound map (every change is one call).
        self.shared.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// How one [`crate::Archive`] keeps search windows.
pub(crate) enum Searches {
    /// Its own windows, checked against its own version.
    Own(RefCell<WindowCache>),
    /// Windows shared with other connections, and the version this one last saw.
    Shared(Arc<SearchCache>, Cell<i64>),
}

impl Searches {
    /// No windows kept.
    pub(crate) fn none() -> Searches {
        Searches::Own(RefCell::new(WindowCache::new(0)))
    }

    /// Forgets every window (this connection wrote).
    pub(crate) fn clear(&self) {
        match self {
            Searches::Own(cache) => cache.borrow_mut().clear(),
            Searches::Shared(cache, _) => {
                let mut shared = cache.lock();
                shared.0 += 1;
            }
        }
    }

    /// `store`'s window of at most `limit` matches for `query`, kept or computed.
    pub(crate) fn window(&self, store: &dyn Store, query: &Query, limit: usize) -> Result<Window> {
        match self {
            Searches::Own(cache) if !cache.borrow().is_enabled() => store.window(query, limit),
            Searches::Own(cache) => {
                // Read before the window: a window is never kept under a newer version
                // than its data.
                let version = store.version()?;
                let key = key(query, limit);
                if let Some(window) = cache.borrow_mut().get(version as u64, &key) {
                    return Ok(window);
                }
                let window = store.window(query, limit)?;
                cache.borrow_mut().put(version as u64, key, window.clone());
                Ok(window)
            }
            Searches::Shared(cache, seen) => {
                let version = store.version()?;
                if version != seen.replace(version) {
                    self.clear();
                }
                let key = key(query, limit);
                let generation = {
                    let mut shared = cache.lock();
                    let generation = shared.0;
                    if let Some(window) = shared.1.get(generation, &key) {
                        return Ok(window);
                    }
                    generation
                };
                let window = store.window(query, limit)?;
                cache.lock().1.put(generation, key, window.clone());
                Ok(window)
            }
        }
    }
}

/// The key of a search's window: everything that decides which sentences match and how
/// they rank (the text, the mode, the filters) and the window's size, not the page.
pub(crate) fn key(query: &Query, limit: usize) -> String {
    let unpaged = Query {
        limit: 1,
        page: 1,
        ..query.clone()
    };
    // A `Query` is plain data: it always serialises.
    let fields = serde_json::to_string(&unpaged).unwrap_or_default();
    format!("{limit} {fields}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_kept_per_version_and_the_oldest_goes_first() {
        let mut cache = WindowCache::new(2);
        assert_eq!(cache.get(1, "a"), None);
        cache.put(1, "a".into(), vec![(1, -1.0)]);
        cache.put(1, "b".into(), vec![(2, -2.0)]);
        assert_eq!(cache.get(1, "a"), Some(vec![(1, -1.0)]));
        cache.put(1, "c".into(), vec![(3, -3.0)]);
        assert_eq!(cache.get(1, "a"), None, "the oldest went");
        assert_eq!(cache.get(1, "c"), Some(vec![(3, -3.0)]));
        assert_eq!(cache.get(2, "c"), None, "a new version empties the cache");
        cache.put(1, "d".into(), vec![(4, -4.0)]);
        assert_eq!(
            cache.get(2, "d"),
            None,
            "a window of an older version is not kept"
        );
    }

    #[test]
    fn a_cache_of_no_windows_keeps_nothing() {
        let mut cache = WindowCache::new(0);
        assert!(!cache.is_enabled());
        assert_eq!(cache.get(1, "a"), None);
        cache.put(1, "a".into(), vec![(1, -1.0)]);
        assert_eq!(cache.get(1, "a"), None);
    }

    #[test]
    fn the_key_leaves_out_the_page_but_not_the_filters() {
        let mut first = Query::new("navo");
        let mut second = first.clone();
        second.page = 3;
        second.limit = 50;
        assert_eq!(key(&first, 1001), key(&second, 1001));
        assert_ne!(key(&first, 1001), key(&first, 11));
        first.year = Some(2022);
        assert_ne!(key(&first, 1001), key(&second, 1001));
        second.substring = true;
        assert_ne!(key(&Query::new("navo"), 1001), key(&second, 1001));
    }
}
