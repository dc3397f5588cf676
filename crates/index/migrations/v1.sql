-- Schema version 1 (diptych 0.1): the archive as first written. Never edit: archives of
-- this version exist; later versions upgrade from it (v2.sql, ...).
CREATE TABLE documents(
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    year INTEGER,
    src_lang TEXT NOT NULL,
    tgt_lang TEXT NOT NULL,
    title TEXT NOT NULL,
    report_html TEXT
);
CREATE TABLE blocks(
    id INTEGER PRIMARY KEY,
    doc INTEGER NOT NULL,
    side INTEGER NOT NULL,
    ord INTEGER NOT NULL,
    block_id TEXT NOT NULL,
    lang TEXT NOT NULL,
    kind TEXT NOT NULL,
    level INTEGER NOT NULL,
    section TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX blocks_by_doc ON blocks(doc, block_id);
CREATE TABLE beads(
    id INTEGER PRIMARY KEY,
    doc INTEGER NOT NULL,
    ord INTEGER NOT NULL,
    src_text TEXT NOT NULL,
    tgt_text TEXT NOT NULL,
    src_block TEXT,
    tgt_block TEXT,
    shape TEXT NOT NULL,
    score REAL NOT NULL
);
CREATE INDEX beads_by_doc ON beads(doc, ord);
CREATE TABLE sentences(
    id INTEGER PRIMARY KEY,
    doc INTEGER NOT NULL,
    bead INTEGER NOT NULL,
    side INTEGER NOT NULL,
    sentence_id TEXT NOT NULL,
    lang TEXT NOT NULL,
    block INTEGER NOT NULL,
    block_id TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX sentences_by_doc ON sentences(doc);
CREATE TABLE findings(
    id INTEGER PRIMARY KEY,
    doc INTEGER NOT NULL,
    bead INTEGER,
    check_name TEXT NOT NULL,
    severity TEXT NOT NULL,
    json TEXT NOT NULL
);
CREATE INDEX findings_by_doc ON findings(doc);
CREATE TABLE activities(
    id INTEGER PRIMARY KEY,
    doc INTEGER NOT NULL,
    ord INTEGER NOT NULL,
    level TEXT NOT NULL,
    first_date TEXT,
    last_date TEXT,
    json TEXT NOT NULL
);
CREATE INDEX activities_by_doc ON activities(doc);
CREATE TABLE activity_partners(
    activity INTEGER NOT NULL,
    folded TEXT NOT NULL
);
CREATE INDEX activity_partners_by_activity ON activity_partners(activity);
CREATE TABLE activity_blocks(
    activity INTEGER NOT NULL,
    doc INTEGER NOT NULL,
    block_id TEXT NOT NULL
);
CREATE INDEX activity_blocks_by_block ON activity_blocks(doc, block_id);
CREATE INDEX activity_blocks_by_activity ON activity_blocks(activity);

CREATE VIRTUAL TABLE sentences_fts USING fts5(
    text, content='sentences', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE sentences_tri USING fts5(
    text, content='sentences', content_rowid='id',
    tokenize='trigram remove_diacritics 1'
);
CREATE TRIGGER sentences_ai AFTER INSERT ON sentences BEGIN
    INSERT INTO sentences_fts(rowid, text) VALUES (new.id, new.text);
    INSERT INTO sentences_tri(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER sentences_ad AFTER DELETE ON sentences BEGIN
    INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO sentences_tri(sentences_tri, rowid, text) VALUES ('delete', old.id, old.text);
END;
