//! Markdown: each language's clean document (`nl.md`, `fr.md` in a run folder): `#` title,
//! `##`/`###` headings, `-` items, `>` footnotes (with their
//! number), paragraphs, one blank line between blocks.

use std::io::{self, Write};

use crate::model::{BlockKind, Document};

/// The Markdown form of a document.
pub fn to_markdown(doc: &Document) -> String {
    let mut out = String::new();
    for block in &doc.blocks {
        let prefix = match block.kind {
            BlockKind::Title => "# ".to_owned(),
            BlockKind::Heading => {
                format!("{} ", "#".repeat(usize::from(block.level.clamp(1, 5)) + 1))
            }
            BlockKind::Item => "- ".to_owned(),
            BlockKind::Paragraph => String::new(),
            BlockKind::Footnote => match &block.note {
                Some(note) => format!("> {} ", note.label),
                None => "> ".to_owned(),
            },
        };
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&prefix);
        out.push_str(&block.text);
        out.push('\n');
    }
    out
}

/// Writes the Markdown form of a document.
pub fn write(doc: &Document, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(to_markdown(doc).as_bytes())
}
