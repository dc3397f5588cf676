//! Reading and writing sentence alignments: the vecalign bead format (`[9, 10]:[9]`, used by
//! vecalign, Bertalign, SentAlign and the Text+Berg gold files), TSV and JSONL.

use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use crate::{Bead, Error, Result};

/// One bead as sentence index lists, the way alignment files write it.
pub type IndexBead = (Vec<usize>, Vec<usize>);

/// Writes beads one per line as `[i,j]:[k]`, with `:score` appended when `scores` is set.
pub fn write_vecalign(w: &mut dyn Write, beads: &[Bead], scores: bool) -> io::Result<()> {
    for bead in beads {
        write!(w, "{}:{}", index_list(&bead.src), index_list(&bead.tgt))?;
        if scores {
            write!(w, ":{:.3}", bead.score)?;
        }
        writeln!(w)?;
    }
    Ok(())
}

fn index_list(range: &std::ops::Range<usize>) -> String {
    let items: Vec<String> = range.clone().map(|i| i.to_string()).collect();
    format!("[{}]", items.join(","))
}

/// Writes beads as TSV with a header: source indices, target indices, score, source text,
/// target text (the sentences of each side joined by a space).
pub fn write_tsv(w: &mut dyn Write, beads: &[Bead], src: &[&str], tgt: &[&str]) -> io::Result<()> {
    writeln!(w, "src\ttgt\tscore\tsrc_text\ttgt_text")?;
    for bead in beads {
        let [src_text, tgt_text] = bead_texts(bead, src, tgt);
        writeln!(
            w,
            "{}\t{}\t{:.3}\t{}\t{}",
            joined_indices(&bead.src),
            joined_indices(&bead.tgt),
            bead.score,
            tsv_field(&src_text),
            tsv_field(&tgt_text)
        )?;
    }
    Ok(())
}

fn joined_indices(range: &std::ops::Range<usize>) -> String {
    let items: Vec<String> = range.clone().map(|i| i.to_string()).collect();
    items.join(",")
}

/// TSV has no quoting: tabs and line breaks inside a field become spaces.
fn tsv_field(text: &str) -> String {
    text.replace(['\t', '\n', '\r'], " ")
}

fn bead_texts(bead: &Bead, src: &[&str], tgt: &[&str]) -> [String; 2] {
    let join = |side: &[&str], r: &std::ops::Range<usize>| {
        side[r.clone()]
            .iter()
            .map(|s| s.trim())
            .collect::<Vec<_>>()
            .join(" ")
    };
    [join(src, &bead.src), join(tgt, &bead.tgt)]
}

#[derive(Serialize)]
struct JsonBead<'a> {
    src: Vec<usize>,
    tgt: Vec<usize>,
    score: f32,
    #[serde(skip_serializing_if = "Option::is_none")]
    semantic: Option<f32>,
    src_text: &'a str,
    tgt_text: &'a str,
}

/// Writes beads as JSON lines: `{"src":[..],"tgt":[..],"score":..,"src_text":..,"tgt_text":..}`,
/// with `"semantic":..` (the sides' vector cosine) after the score when an encoder was used.
pub fn write_jsonl(
    w: &mut dyn Write,
    beads: &[Bead],
    src: &[&str],
    tgt: &[&str],
) -> io::Result<()> {
    for bead in beads {
        let [src_text, tgt_text] = bead_texts(bead, src, tgt);
        let line = JsonBead {
            src: bead.src.clone().collect(),
            tgt: bead.tgt.clone().collect(),
            score: (bead.score * 1000.0).round() / 1000.0,
            semantic: bead.semantic,
            src_text: &src_text,
            tgt_text: &tgt_text,
        };
        serde_json::to_writer(&mut *w, &line)?;
        writeln!(w)?;
    }
    Ok(())
}

/// Parses an alignment in the vecalign format, one bead per line (`[9, 10]:[9]`, `[]:[15]`,
/// an optional third `:score` field is ignored; blank lines are skipped). `path` names the
/// input in errors.
pub fn parse_vecalign(text: &str, path: &Path) -> Result<Vec<IndexBead>> {
    let mut beads = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let malformed = |message: String| Error::Malformed {
            path: path.into(),
            line: n + 1,
            message,
        };
        let (src, rest) = split_list(line).map_err(&malformed)?;
        let rest = rest
            .strip_prefix(':')
            .ok_or_else(|| malformed(format!("expected ':' after the source list in {line:?}")))?;
        let (tgt, rest) = split_list(rest).map_err(&malformed)?;
        if !(rest.is_empty() || rest.starts_with(':')) {
            return Err(malformed(format!(
                "unexpected text after the bead in {line:?}"
            )));
        }
        beads.push((src, tgt));
    }
    Ok(beads)
}

/// Splits `[1, 2]rest` into the numbers and the rest.
fn split_list(text: &str) -> std::result::Result<(Vec<usize>, &str), String> {
    let inner = text
        .strip_prefix('[')
        .ok_or_else(|| format!("expected '[' at {text:?}"))?;
    let close = inner
        .find(']')
        .ok_or_else(|| format!("missing ']' in {text:?}"))?;
    let numbers = inner[..close]
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<usize>()
                .map_err(|_| format!("{s:?} is not a sentence number"))
        })
        .collect::<std::result::Result<Vec<_>, _>>()?;
    Ok((numbers, &inner[close + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vecalign_round_trip() {
        let beads = vec![
            Bead::new(0..2, 0..1, 0.5),
            Bead::new(2..2, 1..2, 0.0),
            Bead::new(2..3, 2..2, 0.0),
        ];
        let mut out = Vec::new();
        write_vecalign(&mut out, &beads, true).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, "[0,1]:[0]:0.500\n[]:[1]:0.000\n[2]:[]:0.000\n");
        let parsed = parse_vecalign(&text, Path::new("x")).unwrap();
        assert_eq!(parsed[0], (vec![0, 1], vec![0]));
        assert_eq!(parsed[1], (vec![], vec![1]));
        assert_eq!(parsed[2], (vec![2], vec![]));
    }

    #[test]
    fn parses_gold_spacing_and_reports_bad_lines() {
        let parsed = parse_vecalign("[9, 10]:[9]\n\n[12]:[11, 12]\n", Path::new("g")).unwrap();
        assert_eq!(
            parsed,
            vec![(vec![9, 10], vec![9]), (vec![12], vec![11, 12])]
        );
        let err = parse_vecalign("[1]:[1]\n[2]-[2]\n", Path::new("g")).unwrap_err();
        assert!(matches!(err, Error::Malformed { line: 2, .. }), "{err}");
        let err = parse_vecalign("[x]:[1]\n", Path::new("g")).unwrap_err();
        assert!(err.to_string().contains("not a sentence number"));
    }

    #[test]
    fn tsv_and_jsonl_carry_the_sentences() {
        let beads = vec![Bead::new(0..2, 0..1, 0.75)];
        let (src, tgt) = (["Eins.", "Zwei\tdrei."], ["Un, deux, trois."]);
        let mut out = Vec::new();
        write_tsv(&mut out, &beads, &src, &tgt).unwrap();
        let tsv = String::from_utf8(out).unwrap();
        assert_eq!(
            tsv.lines().nth(1).unwrap(),
            "0,1\t0\t0.750\tEins. Zwei drei.\tUn, deux, trois."
        );
        let mut out = Vec::new();
        write_jsonl(&mut out, &beads, &src, &tgt).unwrap();
        let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(value["src"], serde_json::json!([0, 1]));
        assert_eq!(value["tgt_text"], "Un, deux, trois.");
    }
}
