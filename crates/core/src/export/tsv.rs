//! Moses-style TSV for MT corpus builders: a header row with the two language codes, then one
//! bead a row, each side's sentences joined by a space. Tabs and line breaks inside the text
//! become spaces, so a row is always one line of exactly two fields; nothing is quoted.

use std::io::{self, Write};

use super::{pairs, ExportOptions};
use crate::Bitext;

/// Writes `bitext` as two-column TSV.
pub fn write(bitext: &Bitext, options: &ExportOptions, out: &mut dyn Write) -> io::Result<()> {
    let mut tsv = csv::WriterBuilder::new()
        .delimiter(b'\t')
        .quote_style(csv::QuoteStyle::Never)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    tsv.write_record(options.codes(bitext))?;
    for pair in pairs(bitext, &[], options) {
        tsv.write_record([neutralise(&pair.text(0)), neutralise(&pair.text(1))])?;
    }
    tsv.flush()
}

/// Replaces tabs and line breaks (including the Unicode line and paragraph separators) by a
/// space.
pub fn neutralise(text: &str) -> String {
    text.replace(['\t', '\n', '\r', '\u{2028}', '\u{2029}', '\u{85}'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::testdata::reference_bitext;

    #[test]
    fn one_bead_a_row_with_a_header_and_special_characters_kept() {
        let bitext = reference_bitext();
        let mut out = Vec::new();
        let options = ExportOptions::default()
            .with_lang_codes("nl-BE,fr-BE", bitext.langs())
            .unwrap();
        write(&bitext, &options, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let rows: Vec<&str> = text.lines().collect();
        assert_eq!(rows.len(), 1 + bitext.beads.len());
        assert_eq!(rows[0], "nl-BE\tfr-BE");
        assert!(rows.iter().all(|r| r.matches('\t').count() == 1));
        assert!(
            rows[3].starts_with("Dit verslag geeft") && rows[3].contains("2022. In tegenstelling")
        );
        assert!(
            rows[4].ends_with("terrein.\t"),
            "1:0 bead keeps an empty target: {}",
            rows[4]
        );
        for special in ["’", "–", "Š", "ë", "&", "<"] {
            assert!(text.contains(special), "{special} lost");
        }
    }

    #[test]
    fn tabs_and_line_breaks_never_split_a_row() {
        let mut bitext = reference_bitext();
        bitext.src.sentences[0].text = "een\ttab en\neen regel".into();
        let mut out = Vec::new();
        write(&bitext, &ExportOptions::default(), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text.lines().nth(1).unwrap().split('\t').next(),
            Some("een tab en een regel")
        );
        assert_eq!(text.lines().count(), 1 + bitext.beads.len());
    }
}
