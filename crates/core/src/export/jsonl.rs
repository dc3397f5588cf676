//! JSONL: one JSON object a line.
//!
//! * [`write`]: `diptych export --format jsonl`, one line per bead with everything known about
//!   the bead (document, index, unit, shape, score, semantic similarity when the aligner had
//!   a sentence encoder, section, each side's language code, text
//!   and pieces, and the findings as the data model serialises them);
//! * [`write_beads`]: the run folder's `bitext.jsonl`, one sentence bead a line keyed by
//!   language code, which [`super::run_folder::load`] reads back;
//! * [`write_lines`]: any list of model values (blocks, sentences, findings, activities), one
//!   value a line as the data model serialises it.

use std::io::{self, Write};
use std::ops::Range;

use serde::Serialize;

use super::{pairs, ExportOptions, Pair, Piece};
use crate::model::{Bead, Document};
use crate::{Bitext, Finding};

/// One line of the JSONL output.
#[derive(Debug, Serialize)]
pub struct Record<'a> {
    /// The document's name.
    pub document: &'a str,
    /// `sentence` or `block`.
    pub unit: &'static str,
    /// Index of the bead in the bitext's sentence or block beads.
    pub bead: usize,
    /// The bead's shape, e.g. `2:1`.
    pub shape: String,
    /// The alignment score, rounded to three decimals.
    pub score: f64,
    /// The cosine of the two sides' sentence vectors, rounded to three decimals, when the
    /// aligner ran with a sentence encoder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub semantic: Option<f64>,
    /// The source-side heading of the bead's section, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<&'a str>,
    /// The source side.
    pub src: SideRecord<'a>,
    /// The target side.
    pub tgt: SideRecord<'a>,
    /// Findings about the bead.
    pub findings: Vec<&'a Finding>,
}

/// One side of a [`Record`].
#[derive(Debug, Serialize)]
pub struct SideRecord<'a> {
    /// The language code as configured (e.g. `nl-BE`).
    pub lang: String,
    /// The pieces' texts joined by a space.
    pub text: String,
    /// The pieces (sentences or blocks).
    pub pieces: Vec<PieceRecord<'a>>,
}

/// One sentence or block of a side.
#[derive(Debug, Serialize)]
pub struct PieceRecord<'a> {
    /// Sentence or block id.
    pub id: &'a str,
    /// Id of its block.
    pub block: &'a str,
    /// Kind of its block.
    pub kind: &'static str,
    /// The text.
    pub text: &'a str,
}

/// Writes one record per bead.
pub fn write(
    bitext: &Bitext,
    findings: &[Finding],
    options: &ExportOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let codes = options.codes(bitext);
    for pair in pairs(bitext, findings, options) {
        let record = record(bitext, &pair, &codes, options);
        serde_json::to_writer(&mut *out, &record)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// Writes each item as one line of compact JSON, as the data model serialises it.
pub fn write_lines<T: Serialize>(
    items: impl IntoIterator<Item = T>,
    out: &mut dyn Write,
) -> io::Result<()> {
    for item in items {
        serde_json::to_writer(&mut *out, &item)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// Writes the sentence beads of `bitext` one a line: each language's sentences under its
/// code, then the score, the semantic similarity (only when the aligner ran with a sentence
/// encoder), the shape and the sentence ids per language, in that order, e.g.
/// `{"nl":["..."],"fr":["..."],"score":0.93,"shape":"1:1","ids":{"nl":["nl-s0"],"fr":["fr-s0"]}}`.
pub fn write_beads(bitext: &Bitext, out: &mut dyn Write) -> io::Result<()> {
    for bead in &bitext.beads {
        out.write_all(bead_line(bitext, bead)?.as_bytes())?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

fn bead_line(bitext: &Bitext, bead: &Bead) -> io::Result<String> {
    let [a, b] = bitext.langs();
    let texts = |d: &Document, r: &Range<usize>| -> io::Result<String> {
        let texts: Vec<&str> = d.sentences[r.clone()]
            .iter()
            .map(|s| s.text.as_str())
            .collect();
        Ok(serde_json::to_string(&texts)?)
    };
    let ids = |d: &Document, r: &Range<usize>| -> io::Result<String> {
        let ids: Vec<&str> = d.sentences[r.clone()]
            .iter()
            .map(|s| s.id.as_str())
            .collect();
        Ok(serde_json::to_string(&ids)?)
    };
    let semantic = match bead.semantic {
        Some(c) => format!(r#","semantic":{}"#, serde_json::to_string(&c)?),
        None => String::new(),
    };
    Ok(format!(
        r#"{{"{a}":{},"{b}":{},"score":{}{semantic},"shape":"{}","ids":{{"{a}":{},"{b}":{}}}}}"#,
        texts(&bitext.src, &bead.src)?,
        texts(&bitext.tgt, &bead.tgt)?,
        serde_json::to_string(&bead.score)?,
        bead.shape_label(),
        ids(&bitext.src, &bead.src)?,
        ids(&bitext.tgt, &bead.tgt)?,
    ))
}

fn three_decimals(x: f32) -> f64 {
    (f64::from(x) * 1000.0).round() / 1000.0
}

fn record<'a>(
    bitext: &'a Bitext,
    pair: &Pair<'a>,
    codes: &[String; 2],
    options: &ExportOptions,
) -> Record<'a> {
    let side = |i: usize| SideRecord {
        lang: codes[i].clone(),
        text: pair.text(i),
        pieces: pair.sides[i].iter().map(piece).collect(),
    };
    Record {
        document: &bitext.name,
        unit: options.unit.as_str(),
        bead: pair.index,
        shape: pair.shape(),
        score: three_decimals(pair.bead.score),
        semantic: pair.bead.semantic.map(three_decimals),
        section: pair
            .section
            .and_then(|h| bitext.src.blocks.get(h))
            .map(|b| b.text.as_str()),
        src: side(0),
        tgt: side(1),
        findings: pair.findings.clone(),
    }
}

fn piece<'a>(p: &Piece<'a>) -> PieceRecord<'a> {
    PieceRecord {
        id: p.id,
        block: p.block,
        kind: p.kind.as_str(),
        text: p.text,
    }
}

/// Parses JSON Lines read from `path` (named in errors): one `T` per non-blank line; a line
/// that is not a `T` is an error naming the line and `what` was expected (`"an edit"`).
pub fn parse_lines<T: serde::de::DeserializeOwned>(
    path: &std::path::Path,
    text: &str,
    what: &str,
) -> crate::Result<Vec<T>> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| crate::Error::Malformed {
                path: path.into(),
                line: i + 1,
                message: format!("not {what}: {e}"),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::testdata::{finding, reference_bitext};

    #[test]
    fn one_full_record_per_bead() {
        let mut bitext = reference_bitext();
        bitext.beads[6].semantic = Some(0.8714);
        let mut out = Vec::new();
        write(&bitext, &[finding(3)], &ExportOptions::default(), &mut out).unwrap();
        let lines: Vec<serde_json::Value> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), bitext.beads.len());
        let omission = &lines[3];
        assert_eq!(omission["shape"], "1:0");
        assert_eq!(omission["score"], 0.12);
        assert_eq!(omission["section"], "Inleiding");
        assert_eq!(omission["tgt"]["pieces"].as_array().unwrap().len(), 0);
        assert_eq!(omission["findings"][0]["check"], "numbers");
        let merged = &lines[8];
        assert_eq!(merged["shape"], "2:1");
        assert_eq!(
            merged["src"]["pieces"][1]["text"],
            "De kosten bleven < 5 %."
        );
        assert_eq!(lines[6]["score"], 0.893);
        assert_eq!(lines[6]["semantic"], 0.871);
        assert!(lines[5].get("semantic").is_none());
        assert_eq!(
            lines[5]["src"]["text"],
            "Gedachtenwisseling met de president van Bosnië-Herzegovina, Šefik Džaferović"
        );
    }
}
