//! TMX 1.4b: a translation memory for CAT tools, valid against the TMX 1.4 DTD.
//!
//! One `<tu>` per bead. The unit-level props say where it comes from and how sure the
//! aligner was (`x-document`, `x-bead`, `x-shape`, `x-score`, `x-semantic` when the aligner
//! had a sentence encoder, one `x-finding` per finding);
//! the props of each `<tuv>` let [`read`] rebuild the sentences and blocks (`x-ids`,
//! `x-blocks`, `x-kinds`, `x-pages` for a PDF source, and `x-starts` for a side of several
//! pieces).
//!
//! Beads with an empty side (1:0 omissions, 0:1 additions) are left out: they are not
//! translations, and a CAT tool takes an empty `<seg/>` for an exact match and deletes the
//! sentence (OmegaT does). The header's `x-gap-beads-left-out` prop counts them; XLIFF and
//! JSONL keep them.

use std::io::{self, Write};
use std::path::Path;

use super::memory::{build_bitext, parse_numbers, SideRecord, UnitRecord};
use super::xml::{esc, esc_attr, Element, Node, XmlReader};
use super::{document_findings, pairs, ExportOptions, Pair, Piece, Unit};
use crate::{Bitext, Finding, Lang, Result};

/// Writes `bitext` as TMX 1.4b.
pub fn write(
    bitext: &Bitext,
    findings: &[Finding],
    options: &ExportOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let codes = options.codes(bitext);
    let (pairs, gaps): (Vec<Pair>, Vec<Pair>) = pairs(bitext, findings, options)
        .into_iter()
        .partition(|p| p.sides.iter().all(|s| !s.is_empty()));
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<tmx version="1.4">"#)?;
    let header = Header {
        srclang: &codes[0],
        gaps: gaps.len(),
    };
    write_header(bitext, findings, options, &header, out)?;
    writeln!(out, "  <body>")?;
    for pair in &pairs {
        write_tu(bitext, pair, &codes, out)?;
    }
    writeln!(out, "  </body>")?;
    writeln!(out, "</tmx>")
}

/// What the header says beyond the options.
struct Header<'a> {
    srclang: &'a str,
    gaps: usize,
}

fn write_header(
    bitext: &Bitext,
    findings: &[Finding],
    options: &ExportOptions,
    header: &Header,
    out: &mut dyn Write,
) -> io::Result<()> {
    let segtype = match options.unit {
        Unit::Sentence => "sentence",
        Unit::Block => "paragraph",
    };
    let date = options
        .creation_date
        .as_deref()
        .map(|d| format!(r#" creationdate="{d}""#))
        .unwrap_or_default();
    writeln!(
        out,
        r#"  <header creationtool="diptych" creationtoolversion="{}" segtype="{segtype}" o-tmf="diptych" adminlang="en" srclang="{}" datatype="plaintext"{date}>"#,
        env!("CARGO_PKG_VERSION"),
        esc_attr(header.srclang),
    )?;
    prop(out, 4, "x-document", &bitext.name)?;
    prop(out, 4, "x-gap-beads-left-out", &header.gaps.to_string())?;
    for f in document_findings(findings) {
        writeln!(out, "    <note>{}</note>", esc(&finding_line(f)))?;
    }
    writeln!(out, "  </header>")
}

fn write_tu(
    bitext: &Bitext,
    pair: &Pair,
    codes: &[String; 2],
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(out, r#"    <tu tuid="{}">"#, pair.index + 1)?;
    prop(out, 6, "x-document", &bitext.name)?;
    prop(out, 6, "x-bead", &pair.index.to_string())?;
    prop(out, 6, "x-shape", &pair.shape())?;
    prop(out, 6, "x-score", &pair.score())?;
    if let Some(semantic) = pair.semantic() {
        prop(out, 6, "x-semantic", &semantic)?;
    }
    if pair.approved {
        prop(out, 6, "x-status", "approved")?;
    }
    for f in &pair.findings {
        prop(out, 6, "x-finding", &finding_line(f))?;
    }
    for (side, code) in codes.iter().enumerate() {
        writeln!(out, r#"      <tuv xml:lang="{}">"#, esc_attr(code))?;
        write_piece_props(out, &pair.sides[side], &pair.starts(side))?;
        writeln!(out, "        <seg>{}</seg>", esc(&pair.text(side)))?;
        writeln!(out, "      </tuv>")?;
    }
    writeln!(out, "    </tu>")
}

fn write_piece_props(out: &mut dyn Write, pieces: &[Piece], starts: &[usize]) -> io::Result<()> {
    if pieces.is_empty() {
        return Ok(());
    }
    let list = |f: &dyn Fn(&Piece) -> String| pieces.iter().map(f).collect::<Vec<_>>().join(" ");
    prop(out, 8, "x-ids", &list(&|p| p.id.to_owned()))?;
    prop(out, 8, "x-blocks", &list(&|p| p.block.to_owned()))?;
    prop(out, 8, "x-kinds", &list(&|p| p.kind.as_str().to_owned()))?;
    if let Some(pages) = Piece::pages(pieces) {
        prop(out, 8, "x-pages", &pages)?;
    }
    if pieces.len() > 1 {
        let starts: Vec<String> = starts.iter().map(usize::to_string).collect();
        prop(out, 8, "x-starts", &starts.join(" "))?;
    }
    Ok(())
}

fn prop(out: &mut dyn Write, indent: usize, kind: &str, value: &str) -> io::Result<()> {
    writeln!(
        out,
        r#"{:indent$}<prop type="{kind}">{}</prop>"#,
        "",
        esc(value)
    )
}

/// A finding on one line: `warning numbers: message`.
pub(crate) fn finding_line(f: &Finding) -> String {
    let lang = f.lang.map(|l| format!(" ({l})")).unwrap_or_default();
    format!(
        "{} {}{lang}: {}",
        f.severity.as_str(),
        f.check,
        f.message.replace(['\n', '\r', '\t'], " ")
    )
}

/// Reads a TMX file (any 1.x version) into a bitext; see [`super::read_memory`].
pub fn read(path: &Path, text: &str) -> Result<Bitext> {
    let mut reader = XmlReader::new(path, text);
    let mut parsed = Parsed::default();
    loop {
        match reader.next()? {
            Node::Start(el) if el.name == "header" => parsed.header(&el),
            Node::Start(el) if el.name == "prop" && parsed.units.is_empty() => {
                let kind = el.attr("type").unwrap_or_default().to_owned();
                let value = reader.text_until_end(&|_| false)?;
                if kind == "x-document" {
                    parsed.name = Some(value);
                }
            }
            Node::Start(el) if el.name == "tu" => parsed.read_tu(&mut reader, &el)?,
            Node::Eof => break,
            _ => {}
        }
    }
    parsed.into_bitext(path, &reader)
}

/// What the reader collects before the languages are known.
#[derive(Default)]
struct Parsed {
    srclang: Option<String>,
    header_line: usize,
    name: Option<String>,
    /// Each unit with the language code of each variant, in file order.
    units: Vec<TuRecord>,
}

/// A `<tu>` as read: its line, score and variants with their language codes.
struct TuRecord {
    line: usize,
    score: Option<f32>,
    variants: Vec<(String, SideRecord)>,
}

impl Parsed {
    fn header(&mut self, el: &Element) {
        self.header_line = el.line;
        self.srclang = el
            .attr("srclang")
            .filter(|l| !l.eq_ignore_ascii_case("*all*"))
            .map(str::to_owned);
    }

    fn read_tu(&mut self, reader: &mut XmlReader, tu: &Element) -> Result<()> {
        let mut score = None;
        let mut variants = Vec::new();
        loop {
            match reader.next()? {
                Node::Start(el) if el.name == "prop" => {
                    let kind = el.attr("type").unwrap_or_default().to_owned();
                    let value = reader.text_until_end(&|_| false)?;
                    if kind == "x-score" {
                        score = value.trim().parse().ok();
                    }
                }
                Node::Start(el) if el.name == "tuv" => {
                    let lang = el
                        .attr("xml:lang")
                        .or_else(|| el.attr("lang"))
                        .ok_or_else(|| reader.malformed_line(el.line, "<tuv> without xml:lang"))?
                        .to_owned();
                    let side = read_tuv(reader, &el)?;
                    variants.push((lang, side));
                }
                Node::Start(el) if !el.empty => {
                    reader.text_until_end(&|_| true)?;
                }
                Node::End(name) if name == "tu" => break,
                Node::Eof => return Err(reader.malformed_line(tu.line, "<tu> is not closed")),
                _ => {}
            }
        }
        self.units.push(TuRecord {
            line: tu.line,
            score,
            variants,
        });
        Ok(())
    }

    fn into_bitext(self, path: &Path, reader: &XmlReader) -> Result<Bitext> {
        let first_line = self
            .units
            .first()
            .map_or(self.header_line.max(1), |u| u.line);
        let langs = self.languages(reader, first_line)?;
        let mut units = Vec::with_capacity(self.units.len());
        for TuRecord {
            score, variants, ..
        } in self.units
        {
            let mut record = UnitRecord {
                score,
                ..Default::default()
            };
            for (code, side) in variants {
                let lang = Lang::parse(&code).map_err(|_| {
                    reader.malformed_line(
                        side.line,
                        format!("xml:lang {code:?} is not a language code"),
                    )
                })?;
                if let Some(i) = langs.iter().position(|&l| l == lang) {
                    record.sides[i] = side;
                }
            }
            units.push(record);
        }
        let name = self.name.unwrap_or_else(|| default_name(path));
        build_bitext(path, name, langs, units)
    }

    /// Source: the header's srclang, else the first variant's language; target: the first
    /// other language. A third language is refused rather than silently dropped.
    fn languages(&self, reader: &XmlReader, first_line: usize) -> Result<[Lang; 2]> {
        let mut seen: Vec<Lang> = Vec::new();
        let header = self
            .srclang
            .as_deref()
            .map(Lang::parse)
            .transpose()
            .map_err(|_| {
                reader.malformed_line(
                    self.header_line,
                    "the header's srclang is not a language code",
                )
            })?;
        seen.extend(header);
        for TuRecord { variants, .. } in &self.units {
            for (code, side) in variants {
                let lang = Lang::parse(code).map_err(|_| {
                    reader.malformed_line(
                        side.line,
                        format!("xml:lang {code:?} is not a language code"),
                    )
                })?;
                if !seen.contains(&lang) {
                    seen.push(lang);
                }
            }
        }
        match seen.as_slice() {
            [] => Err(reader.malformed_line(first_line, "no translation units (<tu>) found")),
            [one] => Err(reader.malformed_line(
                first_line,
                format!("only one language ({one}) found; a translation memory needs two"),
            )),
            [src, tgt] => Ok([*src, *tgt]),
            more => Err(reader.malformed_line(
                first_line,
                format!(
                    "{} languages found ({}); diptych reads bilingual memories",
                    more.len(),
                    more.iter().map(Lang::as_str).collect::<Vec<_>>().join(", ")
                ),
            )),
        }
    }
}

/// Reads the props and segment of one `<tuv>`.
fn read_tuv(reader: &mut XmlReader, tuv: &Element) -> Result<SideRecord> {
    let mut side = SideRecord {
        line: tuv.line,
        ..Default::default()
    };
    loop {
        match reader.next()? {
            Node::Start(el) if el.name == "prop" => {
                let kind = el.attr("type").unwrap_or_default().to_owned();
                let value = reader.text_until_end(&|_| false)?;
                let words = || value.split_whitespace().map(str::to_owned).collect();
                match kind.as_str() {
                    "x-ids" => side.ids = words(),
                    "x-blocks" => side.blocks = words(),
                    "x-kinds" => side.kinds = words(),
                    "x-starts" => {
                        side.starts = parse_numbers(reader.path(), el.line, "x-starts", &value)?
                    }
                    _ => {}
                }
            }
            // Inline codes hold the original format's markup, not text.
            Node::Start(el) if el.name == "seg" => {
                side.text = reader.text_until_end(&|e| {
                    matches!(e.name.as_str(), "bpt" | "ept" | "it" | "ph" | "ut")
                })?;
            }
            Node::Start(el) if !el.empty => {
                reader.text_until_end(&|_| true)?;
            }
            Node::End(name) if name == "tuv" => return Ok(side),
            _ => {}
        }
    }
}

/// The file's stem, the default document name.
pub(crate) fn default_name(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "memory".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::testdata::{finding, reference_bitext};
    use crate::export::{read_memory_str, ExportOptions, Unit};
    use crate::Error;

    fn tmx(bitext: &Bitext, findings: &[Finding], options: &ExportOptions) -> String {
        let mut out = Vec::new();
        write(bitext, findings, options, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn texts(bitext: &Bitext) -> Vec<[String; 2]> {
        bitext.beads.iter().map(|b| bitext.bead_texts(b)).collect()
    }

    fn sentence_texts(doc: &crate::Document) -> Vec<&str> {
        doc.sentences.iter().map(|s| s.text.as_str()).collect()
    }

    #[test]
    fn header_units_and_props() {
        let bitext = reference_bitext();
        let options = ExportOptions::default()
            .with_lang_codes("nl-BE,fr-BE", bitext.langs())
            .unwrap();
        let out = tmx(&bitext, &[finding(8)], &options);
        assert!(out.contains(r#"segtype="sentence""#));
        assert!(out.contains(r#"srclang="nl-BE""#));
        assert!(!out.contains("creationdate"), "no timestamp unless asked");
        // The 1:0 bead is left out.
        assert_eq!(out.matches("<tu ").count(), bitext.beads.len() - 1);
        let french = out.matches(r#"<tuv xml:lang="fr-BE">"#).count();
        assert_eq!(french, bitext.beads.len() - 1);
        assert!(out.contains(r#"<prop type="x-gap-beads-left-out">1</prop>"#));
        assert!(!out.contains("Onderstaand verslag"));
        assert!(out.contains(r#"<prop type="x-shape">2:1</prop>"#));
        assert!(out.contains(r#"<prop type="x-score">0.893</prop>"#));
        assert!(
            out.contains("Verdrag. De kosten bleven &lt; 5 %.</seg>"),
            "{out}"
        );
        assert!(out.contains("5 &amp; 6") && out.contains("&lt; 5 %"));
        assert!(out.contains(
            r#"<prop type="x-finding">warning numbers (fr): number "6" &amp; &lt;5 %&gt; differ</prop>"#
        ));
    }

    #[test]
    fn output_is_deterministic_and_dates_only_when_given() {
        let bitext = reference_bitext();
        let options = ExportOptions::default();
        assert_eq!(tmx(&bitext, &[], &options), tmx(&bitext, &[], &options));
        let dated = options.with_creation_date("20230617T000000Z").unwrap();
        assert!(tmx(&bitext, &[], &dated).contains(r#"creationdate="20230617T000000Z""#));
    }

    /// The reference bitext without its 1:0 bead, which TMX leaves out.
    fn without_gaps() -> Bitext {
        let mut bitext = reference_bitext();
        let gap = bitext.beads.iter().position(|b| b.tgt.is_empty()).unwrap();
        let sentence = bitext.beads[gap].src.start;
        bitext.beads.remove(gap);
        for bead in &mut bitext.beads[gap..] {
            bead.src = bead.src.start - 1..bead.src.end - 1;
        }
        bitext.src.sentences.remove(sentence);
        let block = &mut bitext.src.blocks[2];
        block
            .text
            .truncate(block.text.find(" Onderstaand").unwrap());
        bitext
    }

    #[test]
    fn round_trip_gives_back_the_beads() {
        let bitext = without_gaps();
        let out = tmx(&bitext, &[], &ExportOptions::default());
        let back = read_memory_str(Path::new("x.tmx"), &out).unwrap();
        assert_eq!(back.name, "benelux-2022");
        assert_eq!(back.langs(), bitext.langs());
        assert_eq!(texts(&back), texts(&bitext));
        let shapes = |b: &Bitext| {
            b.beads
                .iter()
                .map(|b| (b.src.clone(), b.tgt.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(shapes(&back), shapes(&bitext));
        assert_eq!(sentence_texts(&back.src), sentence_texts(&bitext.src));
        assert_eq!(sentence_texts(&back.tgt), sentence_texts(&bitext.tgt));
        assert_eq!(back.src.blocks.len(), bitext.src.blocks.len());
        for (a, b) in back.src.blocks.iter().zip(&bitext.src.blocks) {
            assert_eq!((&a.id, a.kind, &a.text), (&b.id, b.kind, &b.text));
        }
        assert_eq!(back.beads[5].score, 0.893);
        assert_eq!(
            back.block_beads,
            bitext
                .block_beads
                .iter()
                .map(|b| crate::Bead::new(b.src.clone(), b.tgt.clone(), 1.0))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn block_unit_round_trips_as_paragraphs() {
        let bitext = reference_bitext();
        let options = ExportOptions {
            unit: Unit::Block,
            ..Default::default()
        };
        let out = tmx(&bitext, &[], &options);
        assert!(out.contains(r#"segtype="paragraph""#));
        let back = read_memory_str(Path::new("x.tmx"), &out).unwrap();
        let blocks = |b: &Bitext| {
            b.src
                .blocks
                .iter()
                .map(|b| b.text.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(blocks(&back), blocks(&bitext));
        assert_eq!(back.beads.len(), bitext.block_beads.len());
    }

    #[test]
    fn reads_a_memory_from_another_tool() {
        let other = r#"<?xml version="1.0"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4"><header srclang="*all*" segtype="sentence" adminlang="en" datatype="plaintext" o-tmf="x" creationtool="x" creationtoolversion="1"/>
<body>
  <tu><note>checked</note><tuv xml:lang="NL-be"><seg>Inleiding</seg></tuv><tuv xml:lang="fr-BE"><seg>Introduction</seg></tuv></tu>
  <tu><tuv xml:lang="fr-BE"><seg>l’<ph x="1">&lt;b&gt;</ph>énergie &amp; <hi>co</hi></seg></tuv><tuv xml:lang="nl-BE"><seg>energie &amp; co</seg></tuv></tu>
</body></tmx>"#;
        let back = read_memory_str(Path::new("other.tmx"), other).unwrap();
        assert_eq!(back.name, "other");
        assert_eq!(back.langs(), [Lang::NL, Lang::FR]);
        assert_eq!(
            texts(&back)[1],
            ["energie & co".to_string(), "l’énergie & co".to_string()]
        );
        assert_eq!(back.beads.len(), 2);
        assert_eq!(back.src.blocks[1].source_lines, [6, 6]);
    }

    fn error_of(text: &str) -> (usize, String) {
        match read_memory_str(Path::new("bad.tmx"), text) {
            Err(Error::Malformed { line, message, .. }) => (line, message),
            other => panic!("expected Malformed, got {other:?}"),
        }
    }

    #[test]
    fn malformed_memories_are_refused_with_their_line() {
        let (line, message) = error_of("<tmx>\n<header srclang=\"nl\"/>\n<body>\n<tu><tuv xml:lang=\"nl\"><seg>a</seg></tuv>\n<tuv><seg>b</seg></tuv></tu>\n</body></tmx>");
        assert_eq!(line, 5, "{message}");
        assert!(message.contains("xml:lang"));
        let (line, message) = error_of("<tmx>\n<header/>\n<body>\n<tu><tuv xml:lang=\"nl\"><seg>a</seg></tuv></tu>\n<tu><tuv xml:lang=\"nl\"><seg>b</seg></tuv></tu>\n</body></tmx>");
        assert_eq!(line, 4, "{message}");
        assert!(message.contains("only one language (nl)"), "{message}");
        let (line, message) =
            error_of("<tmx>\n<body>\n<tu><tuv xml:lang=\"nl\"><seg>a</tuv></tu>\n</body></tmx>");
        assert_eq!(line, 3, "{message}");
        assert!(message.contains("malformed XML"), "{message}");
        let (line, _) = error_of(
            "<tmx>\n<body>\n<tu><tuv xml:lang=\"nl\"><seg>a &amp b</seg></tuv></tu></body></tmx>",
        );
        assert_eq!(line, 3);
        let (_, message) = error_of("<tmx><body/></tmx>");
        assert!(message.contains("no translation units"), "{message}");
        let (line, message) = error_of("<tmx>\n<body>\n<tu><tuv xml:lang=\"nl\"><prop type=\"x-starts\">0 9</prop><seg>ab cd</seg></tuv><tuv xml:lang=\"fr\"><seg>x</seg></tuv></tu></body></tmx>");
        assert_eq!(line, 3, "{message}");
        let (_, message) = error_of("<?xml version=\"1.0\"?>\n<html/>");
        assert!(message.contains("<html>"), "{message}");
    }
}
