-- Schema version 3, from version 2 (run in the same transaction as the version bump).
--
-- * The substring (trigram) index moves out of the archive into a file of its own beside it
--   (`PATH-substrings`, see `src/substrings.rs`), filled by a second thread while the first
--   writes the rows and the word index: about half of indexing is FTS5 tokenising, and SQLite
--   writes one file from one thread. The first writing open after this upgrade builds it.
-- * Each document gets a random stamp, which the side file records with the documents it
--   holds, so a writer can tell the side file's entries of a rolled-back batch from the
--   document that later reuses the same row id.
ALTER TABLE documents ADD COLUMN stamp INTEGER NOT NULL DEFAULT 0;
DROP TABLE sentences_tri;
