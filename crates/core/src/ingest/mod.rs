//! Ingest: turns an input into one [`crate::Document`] per language made of blocks.
//!
//! Three inputs give the same two documents:
//! * woven text ([`read_woven`]): runs of paragraphs alternate between two languages, as
//!   text extracted from a two-column bilingual PDF reads. Each paragraph's language is
//!   identified offline (lingua), smoothed by the layout (runs alternate; a short paragraph
//!   cannot flip a run); paragraphs cut at a run end are joined with their continuation in
//!   the next run of the same language;
//! * two files, one per language ([`read_pair`]), plain text or Markdown;
//! * a pre-segmented pair ([`read_presegmented`]): one sentence per line.
//!
//! Each block keeps the confidence of its language decision (`Block::lang_confidence`): the
//! detector's probability of the chosen language against the other one (weighted over the
//! pieces of a joined block). Below 0.5 the layout overrode the detector, as it does for
//! short lines such as `BENELUX INTERPARLEMENTAIRE ASSEMBLEE` inside a Dutch run. When the
//! runs give the two versions different structures, run boundaries are moved across such
//! weak paragraphs until the structures agree (`repair`).
//!
//! Block kinds (title, heading with level, item, paragraph) come from the markup
//! (`# `, `- **...**`, `• ...`) and the layout (short lines without final punctuation are
//! headings; the lines before the first paragraph are the title page). Markup is removed.

mod langid;

pub use langid::identify as identify_language;
mod markup;
pub mod pdf;
mod repair;
mod structure;
mod weave;

use std::path::Path;

use crate::{Block, BlockKind, Document, Error, Lang, Result};

pub use markup::{glue, strip_markup};
pub use pdf::{read_pdf, read_pdf_pair, PdfRead};

/// Choices for reading an input.
#[derive(Clone, Debug, Default)]
pub struct IngestOptions {
    /// The languages to look for (`--langs nl,fr`); all that diptych can identify when empty.
    pub langs: Vec<Lang>,
}

impl IngestOptions {
    fn candidates(&self) -> Result<Vec<Lang>> {
        let langs = if self.langs.is_empty() {
            Lang::KNOWN.to_vec()
        } else {
            self.langs.clone()
        };
        langid::check_candidates(&langs)?;
        Ok(langs)
    }
}

/// Reads woven bilingual text (`path` only names it in errors) into its two language
/// versions, the language that comes first in the input first.
pub fn read_woven(text: &str, path: &Path, opts: &IngestOptions) -> Result<[Document; 2]> {
    let paras = markup::paragraphs(text);
    if paras.is_empty() {
        return Err(Error::Empty { path: path.into() });
    }
    let candidates = opts.candidates()?;
    let texts: Vec<&str> = paras.iter().map(|p| p.text.as_str()).collect();
    let guesses = langid::guess_all(&texts, &candidates);
    let pair = two_languages(
        &langid::languages_present(&guesses, &texts, &candidates),
        path,
        &guesses,
        &candidates,
    )?;
    let index = |l: Lang| candidates.iter().position(|c| *c == l).unwrap_or(0);
    let (a, b) = (index(pair[0]), index(pair[1]));
    let probs: Vec<(f64, f64)> = guesses
        .iter()
        .map(|g| {
            let total = g.confidence[a] + g.confidence[b];
            let p = if total > 0.0 {
                g.confidence[a] / total
            } else {
                0.5
            };
            (p, g.weight)
        })
        .collect();
    let layout: Vec<langid::Layout> = paras.iter().map(weave::layout_of).collect();
    let mut labels = langid::smooth_runs(&probs, &layout);
    repair::agree(&paras, &mut labels, &probs);
    let confidence: Vec<f64> = labels
        .iter()
        .zip(&probs)
        .map(|(&l, &(p, _))| if l == 0 { p } else { 1.0 - p })
        .collect();
    let first = labels[0];
    let langs = if first == 0 { pair } else { [pair[1], pair[0]] };
    let [p0, p1] = weave::unweave(&paras, &labels, &confidence);
    let pieces = if first == 0 { [p0, p1] } else { [p1, p0] };
    if pieces.iter().any(Vec::is_empty) {
        return Err(Error::OneLanguage {
            path: path.into(),
            lang: langs[first].to_string(),
        });
    }
    let [b0, b1] = structure::blocks_of_pair(pieces, langs);
    Ok([document(langs[0], b0), document(langs[1], b1)])
}

/// The two languages found, or the error that says why there are not two.
fn two_languages(
    present: &[Lang],
    path: &Path,
    guesses: &[langid::Guess],
    candidates: &[Lang],
) -> Result<[Lang; 2]> {
    match present {
        [a, b] => Ok([*a, *b]),
        [] | [_] => {
            let lang = present
                .first()
                .copied()
                .unwrap_or_else(|| dominant(guesses, candidates));
            Err(Error::OneLanguage {
                path: path.into(),
                lang: lang.to_string(),
            })
        }
        more => Err(Error::TooManyLanguages {
            path: path.into(),
            count: more.len(),
            langs: more
                .iter()
                .map(Lang::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        }),
    }
}

/// The language with most weighted confidence over all paragraphs.
fn dominant(guesses: &[langid::Guess], candidates: &[Lang]) -> Lang {
    let score = |i: usize| {
        guesses
            .iter()
            .map(|g| g.weight * g.confidence[i])
            .sum::<f64>()
    };
    (0..candidates.len())
        .max_by(|&x, &y| score(x).total_cmp(&score(y)))
        .map_or(Lang::NL, |i| candidates[i])
}

/// Reads two single-language documents (plain text or Markdown); their languages are
/// identified and must differ.
pub fn read_pair(
    src: (&str, &Path),
    tgt: (&str, &Path),
    opts: &IngestOptions,
) -> Result<[Document; 2]> {
    let candidates = opts.candidates()?;
    let read_one = |(text, path): (&str, &Path)| -> Result<(Lang, Vec<weave::Piece>)> {
        let paras = markup::paragraphs(text);
        if paras.is_empty() {
            return Err(Error::Empty { path: path.into() });
        }
        let texts: Vec<&str> = paras.iter().map(|p| p.text.as_str()).collect();
        let lang = dominant(&langid::guess_all(&texts, &candidates), &candidates);
        Ok((
            lang,
            paras
                .into_iter()
                .map(|p| weave::Piece::new(p, 1.0))
                .collect(),
        ))
    };
    let (l0, p0) = read_one(src)?;
    let (l1, p1) = read_one(tgt)?;
    if l0 == l1 {
        return Err(Error::OneLanguage {
            path: tgt.1.into(),
            lang: l1.to_string(),
        });
    }
    let [b0, b1] = structure::blocks_of_pair([p0, p1], [l0, l1]);
    Ok([document(l0, b0), document(l1, b1)])
}

/// Reads a pre-segmented pair: one sentence per line, blank lines ignored. Each line becomes
/// a paragraph block holding exactly one sentence.
pub fn read_presegmented(
    src: (&str, &Path),
    tgt: (&str, &Path),
    opts: &IngestOptions,
) -> Result<[Document; 2]> {
    let candidates = opts.candidates()?;
    let read_one = |(text, path): (&str, &Path)| -> Result<(Lang, Vec<(usize, String)>)> {
        let lines: Vec<(usize, String)> = text
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.split_whitespace().collect::<Vec<_>>().join(" ")))
            .filter(|(_, l)| !l.is_empty())
            .collect();
        if lines.is_empty() {
            return Err(Error::Empty { path: path.into() });
        }
        let texts: Vec<&str> = lines.iter().map(|(_, l)| l.as_str()).collect();
        Ok((
            dominant(&langid::guess_all(&texts, &candidates), &candidates),
            lines,
        ))
    };
    let (l0, s0) = read_one(src)?;
    let (l1, s1) = read_one(tgt)?;
    if l0 == l1 {
        return Err(Error::OneLanguage {
            path: tgt.1.into(),
            lang: l1.to_string(),
        });
    }
    let blocks = |lang: Lang, lines: Vec<(usize, String)>| -> Vec<Block> {
        lines
            .into_iter()
            .enumerate()
            .map(|(i, (line, text))| Block {
                id: format!("{lang}-b{}", i + 1),
                lang,
                kind: BlockKind::Paragraph,
                level: 0,
                text,
                source_lines: [line, line],
                joined_from: Vec::new(),
                lang_confidence: 1.0,
                regions: vec![],
            })
            .collect()
    };
    Ok([document(l0, blocks(l0, s0)), document(l1, blocks(l1, s1))])
}

fn document(lang: Lang, blocks: Vec<Block>) -> Document {
    Document {
        lang: Some(lang),
        blocks,
        sentences: Vec::new(),
    }
}
