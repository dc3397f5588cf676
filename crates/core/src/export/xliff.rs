//! XLIFF 2.1: a bilingual review file, valid against the OASIS core schema.
//!
//! One `<unit>` per bead with one `<segment state="translated">`; units sit in a `<group>` per
//! section (named after its source heading). Score, shape and provenance go into the Metadata
//! module (`mda:metadata`, category `diptych`), with one `metaGroup` per side carrying what
//! [`read`] needs to rebuild sentences and blocks. Findings become core `<note>`s (category
//! the check, priority the severity: 1 error, 2 warning, 5 info; `appliesTo` the side
//! concerned) and, for tools that read ITS, ITS 2.0 Localization Quality Issues of the unit.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

use super::memory::{build_bitext, parse_numbers, SideRecord, UnitRecord};
use super::tmx::{default_name, finding_line};
use super::xml::{esc, esc_attr, Element, Node, XmlReader};
use super::{document_findings, pairs, ExportOptions, Pair, Piece};
use crate::{Bitext, Finding, Lang, Result, Severity};

/// The XLIFF 2 core namespace (2.1 keeps the 2.0 namespace).
pub const XLIFF_NS: &str = "urn:oasis:names:tc:xliff:document:2.0";
/// The XLIFF 2 Metadata module namespace.
pub const MDA_NS: &str = "urn:oasis:names:tc:xliff:metadata:2.0";
/// The W3C ITS 2.0 namespace (XLIFF 2.1's ITS module).
pub const ITS_NS: &str = "http://www.w3.org/2005/11/its";

/// Writes `bitext` as XLIFF 2.1. Fails when there is no bead to write (a file must hold at
/// least one unit).
pub fn write(
    bitext: &Bitext,
    findings: &[Finding],
    options: &ExportOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let pairs = pairs(bitext, findings, options);
    if pairs.is_empty() {
        return Err(io::Error::other(
            "no bead to export: an XLIFF file must hold at least one unit",
        ));
    }
    let [src, tgt] = options.codes(bitext);
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<xliff xmlns="{XLIFF_NS}" xmlns:mda="{MDA_NS}" xmlns:its="{ITS_NS}" version="2.1" srcLang="{}" trgLang="{}">"#,
        esc_attr(&src),
        esc_attr(&tgt)
    )?;
    writeln!(
        out,
        r#"  <file id="f1" original="{}" canResegment="no" xml:space="preserve">"#,
        esc_attr(&bitext.name)
    )?;
    let file_meta = [
        ("document", bitext.name.clone()),
        ("unit", options.unit.as_str().to_owned()),
    ];
    write_metadata(out, 4, &[("diptych", None, &file_meta)])?;
    let doc_findings: Vec<&Finding> = document_findings(findings).collect();
    write_notes(out, 4, &doc_findings, [Lang::NL, Lang::FR], false)?;
    let langs = bitext.langs();
    let mut open_section: Option<usize> = None;
    for pair in &pairs {
        if pair.section != open_section {
            if open_section.is_some() {
                writeln!(out, "    </group>")?;
            }
            if let Some(heading) = pair.section {
                let name = bitext
                    .src
                    .blocks
                    .get(heading)
                    .map_or("", |b| b.text.as_str());
                writeln!(
                    out,
                    r#"    <group id="s{heading}" name="{}">"#,
                    esc_attr(name)
                )?;
            }
            open_section = pair.section;
        }
        let indent = if open_section.is_some() { 6 } else { 4 };
        write_unit(bitext, pair, langs, indent, out)?;
    }
    if open_section.is_some() {
        writeln!(out, "    </group>")?;
    }
    writeln!(out, "  </file>")?;
    writeln!(out, "</xliff>")
}

fn write_unit(
    bitext: &Bitext,
    pair: &Pair,
    langs: [Lang; 2],
    indent: usize,
    out: &mut dyn Write,
) -> io::Result<()> {
    let pad = " ".repeat(indent);
    writeln!(out, r#"{pad}<unit id="u{}">"#, pair.index + 1)?;
    let mut bead_meta = vec![
        ("document", bitext.name.clone()),
        ("bead", pair.index.to_string()),
        ("shape", pair.shape()),
        ("score", pair.score()),
    ];
    bead_meta.extend(pair.semantic().map(|s| ("semantic", s)));
    let sides = [0, 1].map(|side| side_meta(&pair.sides[side], &pair.starts(side)));
    write_metadata(
        out,
        indent + 2,
        &[
            ("diptych", None, &bead_meta),
            ("diptych", Some("source"), &sides[0]),
            ("diptych", Some("target"), &sides[1]),
        ],
    )?;
    write_quality_issues(out, indent + 2, pair)?;
    write_notes(out, indent + 2, &pair.findings, langs, true)?;
    let state = if pair.approved { "final" } else { "translated" };
    writeln!(out, r#"{pad}  <segment state="{state}">"#)?;
    writeln!(out, "{pad}    <source>{}</source>", esc(&pair.text(0)))?;
    writeln!(out, "{pad}    <target>{}</target>", esc(&pair.text(1)))?;
    writeln!(out, "{pad}  </segment>")?;
    writeln!(out, "{pad}</unit>")
}

fn side_meta(pieces: &[Piece], starts: &[usize]) -> Vec<(&'static str, String)> {
    if pieces.is_empty() {
        return vec![];
    }
    let list = |f: &dyn Fn(&Piece) -> String| pieces.iter().map(f).collect::<Vec<_>>().join(" ");
    let mut meta = vec![
        ("ids", list(&|p| p.id.to_owned())),
        ("blocks", list(&|p| p.block.to_owned())),
        ("kinds", list(&|p| p.kind.as_str().to_owned())),
    ];
    if let Some(pages) = Piece::pages(pieces) {
        meta.push(("pages", pages));
    }
    if pieces.len() > 1 {
        let starts: Vec<String> = starts.iter().map(usize::to_string).collect();
        meta.push(("starts", starts.join(" ")));
    }
    meta
}

type MetaGroup<'a> = (&'a str, Option<&'a str>, &'a [(&'a str, String)]);

fn write_metadata(out: &mut dyn Write, indent: usize, groups: &[MetaGroup]) -> io::Result<()> {
    let pad = " ".repeat(indent);
    writeln!(out, "{pad}<mda:metadata>")?;
    // A metaGroup must hold at least one meta: empty sides are left out.
    for (category, applies_to, metas) in groups.iter().filter(|g| !g.2.is_empty()) {
        let applies = applies_to
            .map(|a| format!(r#" appliesTo="{a}""#))
            .unwrap_or_default();
        writeln!(
            out,
            r#"{pad}  <mda:metaGroup category="{category}"{applies}>"#
        )?;
        for (kind, value) in metas.iter() {
            writeln!(
                out,
                r#"{pad}    <mda:meta type="{kind}">{}</mda:meta>"#,
                esc(value)
            )?;
        }
        writeln!(out, "{pad}  </mda:metaGroup>")?;
    }
    writeln!(out, "{pad}</mda:metadata>")
}

/// The findings as ITS 2.0 Localization Quality Issues, for tools that read ITS; the notes
/// that follow say the same for people.
fn write_quality_issues(out: &mut dyn Write, indent: usize, pair: &Pair) -> io::Result<()> {
    if pair.findings.is_empty() {
        return Ok(());
    }
    let pad = " ".repeat(indent);
    writeln!(
        out,
        r#"{pad}<its:locQualityIssues xml:id="lqi-u{}">"#,
        pair.index + 1
    )?;
    for f in &pair.findings {
        writeln!(
            out,
            r#"{pad}  <its:locQualityIssue locQualityIssueType="{}" locQualityIssueComment="{}" locQualityIssueSeverity="{}"/>"#,
            its_issue_type(&f.check),
            esc_attr(&finding_line(f)),
            its_severity(f.severity)
        )?;
    }
    writeln!(out, "{pad}</its:locQualityIssues>")
}

/// The ITS 2.0 issue type closest to a check.
fn its_issue_type(check: &str) -> &'static str {
    match check {
        "omission" | "alignment" => "omission",
        "numbers" => "numbers",
        "dates" => "mistranslation",
        "references" | "names" => "inconsistent-entities",
        "glossary" | "expansion" => "terminology",
        "consistency" => "inconsistency",
        "length" => "length",
        "untranslated" => "untranslated",
        "spelling" => "misspelling",
        "repetition" => "duplication",
        "punctuation" => "typographical",
        "whitespace" => "whitespace",
        "debris" => "formatting",
        _ => "other",
    }
}

/// ITS severity: 0 (none) to 100 (most severe).
fn its_severity(severity: Severity) -> u8 {
    match severity {
        Severity::Error => 90,
        Severity::Warning => 50,
        Severity::Info => 10,
    }
}

fn write_notes(
    out: &mut dyn Write,
    indent: usize,
    findings: &[&Finding],
    langs: [Lang; 2],
    per_side: bool,
) -> io::Result<()> {
    if findings.is_empty() {
        return Ok(());
    }
    let pad = " ".repeat(indent);
    writeln!(out, "{pad}<notes>")?;
    for f in findings {
        let priority = match f.severity {
            Severity::Error => 1,
            Severity::Warning => 2,
            Severity::Info => 5,
        };
        let applies = match f.lang.and_then(|l| langs.iter().position(|&x| x == l)) {
            Some(0) if per_side => r#" appliesTo="source""#,
            Some(1) if per_side => r#" appliesTo="target""#,
            _ => "",
        };
        writeln!(
            out,
            r#"{pad}  <note category="{}" priority="{priority}"{applies}>{}</note>"#,
            esc_attr(&f.check),
            esc(&finding_line(f))
        )?;
    }
    writeln!(out, "{pad}</notes>")
}

/// Reads an XLIFF 2.x file (or XLIFF 1.2) into a bitext; see [`super::read_memory`].
/// Each segment becomes a bead; a unit written by diptych comes back with its pieces.
pub fn read(path: &Path, text: &str) -> Result<Bitext> {
    let mut reader = XmlReader::new(path, text);
    let mut state = ReadState::default();
    loop {
        match reader.next()? {
            Node::Start(el) => state.start(&mut reader, el)?,
            Node::End(name) => state.end(&name, &reader)?,
            Node::Text(_) => {}
            Node::Eof => break,
        }
    }
    state.into_bitext(path, &reader)
}

#[derive(Default)]
struct ReadState {
    langs: [Option<(String, usize)>; 2],
    root_line: usize,
    name: Option<String>,
    units: Vec<UnitRecord>,
    /// Segments of the unit being read.
    segments: Vec<UnitRecord>,
    /// The segment being read (XLIFF 2) or the trans-unit (XLIFF 1.2).
    current: Option<UnitRecord>,
    /// `(appliesTo, type) -> value` of the unit being read.
    meta: BTreeMap<(String, String), String>,
    applies_to: Vec<String>,
    unit_line: usize,
}

impl ReadState {
    fn start(&mut self, reader: &mut XmlReader, el: Element) -> Result<()> {
        match el.name.as_str() {
            "xliff" => {
                self.root_line = el.line;
                self.set_langs(&el, "srcLang", "trgLang");
            }
            "file" => {
                if self.langs[0].is_none() {
                    self.set_langs(&el, "source-language", "target-language");
                }
                if self.name.is_none() {
                    self.name = el.attr("original").map(str::to_owned);
                }
            }
            "unit" => {
                self.unit_line = el.line;
                self.meta.clear();
                self.segments.clear();
            }
            "trans-unit" => {
                self.unit_line = el.line;
                self.meta.clear();
                self.current = Some(self.new_record(el.line));
            }
            "segment" => self.current = Some(self.new_record(el.line)),
            "metaGroup" => {
                let parent = self.applies_to.last().cloned().unwrap_or_default();
                let applies = el.attr("appliesTo").map_or(parent, str::to_owned);
                self.applies_to.push(applies);
            }
            "meta" => {
                let kind = el.attr("type").unwrap_or_default().to_owned();
                let value = reader.text_until_end(&|_| false)?;
                let applies = self.applies_to.last().cloned().unwrap_or_default();
                self.meta.insert((applies, kind), value);
            }
            "source" | "target" => {
                let side = usize::from(el.name == "target");
                // Inline codes of XLIFF 1.2 (and 2's empty placeholders) are not text.
                let text = reader.text_until_end(&|e| {
                    matches!(e.name.as_str(), "ph" | "bpt" | "ept" | "it" | "sc" | "ec")
                })?;
                if let Some(record) = self.current.as_mut() {
                    record.sides[side].text = text;
                    record.sides[side].line = el.line;
                }
            }
            // Content that is not part of the bilingual text.
            "alt-trans" | "seg-source" | "notes" | "originalData" | "ignorable" | "skeleton"
                if !el.empty =>
            {
                reader.text_until_end(&|_| true)?;
            }
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, name: &str, reader: &XmlReader) -> Result<()> {
        match name {
            "segment" => self.segments.extend(self.current.take()),
            "metaGroup" => {
                self.applies_to.pop();
            }
            "unit" => {
                let mut segments = std::mem::take(&mut self.segments);
                if let [only] = segments.as_mut_slice() {
                    self.apply_meta(only, reader)?;
                }
                self.units.extend(segments);
            }
            "trans-unit" => {
                if let Some(mut record) = self.current.take() {
                    self.apply_meta(&mut record, reader)?;
                    self.units.push(record);
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn new_record(&self, line: usize) -> UnitRecord {
        UnitRecord {
            sides: [0, 1].map(|_| SideRecord {
                line,
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    fn set_langs(&mut self, el: &Element, src: &str, tgt: &str) {
        for (i, attr) in [src, tgt].into_iter().enumerate() {
            if let Some(code) = el.attr(attr) {
                self.langs[i] = Some((code.to_owned(), el.line));
            }
        }
    }

    fn apply_meta(&self, record: &mut UnitRecord, reader: &XmlReader) -> Result<()> {
        let get = |applies: &str, kind: &str| self.meta.get(&(applies.to_owned(), kind.to_owned()));
        record.score = get("", "score").and_then(|s| s.trim().parse().ok());
        for (i, applies) in ["source", "target"].into_iter().enumerate() {
            let words = |kind| {
                get(applies, kind)
                    .map(|v| v.split_whitespace().map(str::to_owned).collect())
                    .unwrap_or_default()
            };
            let side = &mut record.sides[i];
            side.ids = words("ids");
            side.blocks = words("blocks");
            side.kinds = words("kinds");
            if let Some(starts) = get(applies, "starts") {
                side.starts = parse_numbers(reader.path(), self.unit_line, "starts", starts)?;
            }
        }
        Ok(())
    }

    fn into_bitext(self, path: &Path, reader: &XmlReader) -> Result<Bitext> {
        let line = self.root_line.max(1);
        let Some((src_code, src_line)) = &self.langs[0] else {
            return Err(reader.malformed_line(line, "no source language (srcLang) on <xliff>"));
        };
        let src = Lang::parse(src_code).map_err(|_| {
            reader.malformed_line(
                *src_line,
                format!("srcLang {src_code:?} is not a language code"),
            )
        })?;
        let tgt = match &self.langs[1] {
            None => None,
            Some((code, line)) => Some(Lang::parse(code).map_err(|_| {
                reader.malformed_line(*line, format!("trgLang {code:?} is not a language code"))
            })?),
        };
        let tgt = tgt.filter(|&t| t != src).ok_or_else(|| {
            reader.malformed_line(
                line,
                format!(
                    "only one language ({src}) found; a translation memory needs two (set trgLang)"
                ),
            )
        })?;
        if self.units.is_empty() {
            return Err(reader.malformed_line(line, "no translation units found"));
        }
        let name = self.name.clone().unwrap_or_else(|| default_name(path));
        build_bitext(path, name, [src, tgt], self.units)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::testdata::{finding, reference_bitext};
    use crate::export::{read_memory_str, ExportOptions, Unit};
    use crate::Error;

    fn xliff(bitext: &Bitext, findings: &[Finding], options: &ExportOptions) -> String {
        let mut out = Vec::new();
        write(bitext, findings, options, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn units_groups_metadata_and_notes() {
        let bitext = reference_bitext();
        let mut doc_finding = finding(0);
        doc_finding.bead = None;
        let out = xliff(
            &bitext,
            &[finding(3), doc_finding],
            &ExportOptions::default(),
        );
        assert!(out.contains(r#"version="2.1" srcLang="nl" trgLang="fr""#));
        assert_eq!(out.matches("<unit ").count(), bitext.beads.len());
        assert_eq!(
            out.matches(r#"<segment state="translated">"#).count(),
            bitext.beads.len()
        );
        assert!(out.contains(r#"<group id="s1" name="Inleiding">"#));
        assert!(
            out.contains(r#"<group id="s3" name="Samenwerking op het gebied van Europese zaken">"#)
        );
        assert_eq!(
            out.matches("<group ").count(),
            2,
            "the title stays outside any section"
        );
        assert!(out.contains(r#"<mda:meta type="shape">1:0</mda:meta>"#));
        assert!(out.contains(r#"<note category="numbers" priority="2" appliesTo="target">"#));
        assert_eq!(out.matches("<note ").count(), 2);
        assert!(
            out.contains(r#"<its:locQualityIssues xml:id="lqi-u4">"#),
            "{out}"
        );
        assert!(out.contains(r#"<its:locQualityIssue locQualityIssueType="numbers" locQualityIssueComment="warning numbers (fr): number &quot;6&quot; &amp; &lt;5 %&gt; differ" locQualityIssueSeverity="50"/>"#));
        assert!(
            out.contains("<target></target>"),
            "the 1:0 bead has an empty target"
        );
        assert!(
            out.contains("Šefik Džaferović")
                && out.contains("l’énergie")
                && out.contains("&lt; 5 %")
        );
    }

    #[test]
    fn round_trip_gives_back_the_beads() {
        let bitext = reference_bitext();
        for unit in [Unit::Sentence, Unit::Block] {
            let options = ExportOptions {
                unit,
                ..Default::default()
            };
            let out = xliff(&bitext, &[], &options);
            let back = read_memory_str(Path::new("x.xlf"), &out).unwrap();
            let beads = match unit {
                Unit::Sentence => &bitext.beads,
                Unit::Block => &bitext.block_beads,
            };
            assert_eq!(back.beads.len(), beads.len());
            let shapes = |b: &[crate::Bead]| b.iter().map(|b| b.shape()).collect::<Vec<_>>();
            assert_eq!(shapes(&back.beads), shapes(beads));
            let blocks = |b: &Bitext| {
                b.tgt
                    .blocks
                    .iter()
                    .map(|b| (b.id.clone(), b.kind, b.text.clone()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(blocks(&back), blocks(&bitext));
            if unit == Unit::Sentence {
                let texts =
                    |b: &Bitext| b.beads.iter().map(|x| b.bead_texts(x)).collect::<Vec<_>>();
                assert_eq!(texts(&back), texts(&bitext));
                assert_eq!(back.src.sentences, bitext.src.sentences);
            }
        }
    }

    #[test]
    fn reads_xliff_1_2_and_other_tools_xliff_2() {
        let v12 = r#"<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
<file original="a.txt" source-language="nl-BE" target-language="fr-BE" datatype="plaintext"><body>
<trans-unit id="1"><source>De kosten &amp; <bpt id="1">&lt;b&gt;</bpt>baten<ept id="1">&lt;/b&gt;</ept></source><target>Les coûts</target>
<alt-trans><source>x</source><target>y</target></alt-trans></trans-unit>
</body></file></xliff>"#;
        let back = read_memory_str(Path::new("a.xlf"), v12).unwrap();
        assert_eq!(back.name, "a.txt");
        assert_eq!(
            back.bead_texts(&back.beads[0]),
            ["De kosten & baten".to_string(), "Les coûts".to_string()]
        );
        assert_eq!(back.beads.len(), 1);
        let v2 = r#"<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="fr" trgLang="nl">
<file id="f"><unit id="u"><segment><source>Un<ph id="1"/>.</source><target>Een.</target></segment><ignorable><source> </source></ignorable><segment><source>Deux.</source><target>Twee.</target></segment></unit></file></xliff>"#;
        let back = read_memory_str(Path::new("b.xlf"), v2).unwrap();
        assert_eq!(back.langs(), [Lang::FR, Lang::NL]);
        assert_eq!(back.beads.len(), 2);
        assert_eq!(back.src.sentences[0].text, "Un.");
    }

    #[test]
    fn malformed_or_one_language_files_are_refused_with_their_line() {
        let line_of = |text: &str| match read_memory_str(Path::new("bad.xlf"), text) {
            Err(Error::Malformed { line, message, .. }) => (line, message),
            other => panic!("expected Malformed, got {other:?}"),
        };
        let (line, message) = line_of("<?xml version=\"1.0\"?>\n<xliff version=\"2.1\" srcLang=\"nl\">\n<file id=\"f\"/></xliff>");
        assert_eq!(line, 2);
        assert!(message.contains("only one language (nl)"), "{message}");
        let (_, message) =
            line_of("<xliff version=\"2.1\" trgLang=\"fr\"><file id=\"f\"/></xliff>");
        assert!(message.contains("srcLang"), "{message}");
        let (line, _) = line_of("<xliff version=\"2.1\" srcLang=\"nl\" trgLang=\"fr\">\n<file id=\"f\">\n<unit id=\"u\"><segment><source>a</source>\n</segment></unit>\n</xliff>");
        assert_eq!(line, 5);
        let (_, message) = line_of(
            "<xliff version=\"2.1\" srcLang=\"nl\" trgLang=\"fr\"><file id=\"f\"/></xliff>",
        );
        assert!(message.contains("no translation units"), "{message}");
    }
}
