//! Ingest: turns an input into one [`crate::Document`] per language made of blocks.
//!
//! Three inputs give the same two documents:
//! * woven text ([`read_woven`]): runs of paragraphs alternate between two languages, as
//!   text extracted from a two-column bilingual PDF reads. Each paragraph's language is
//!   identified offline (lingua), smoothed by the layout (runs alternate; a short paragraph
//!   cannot flip a run); paragraphs cut at a run end are joined with their continuation in
//!   the next run of the same language. Paragraphs in a third language (German notices in
//!   a French/Dutch journal) are set apart as blocks of their own ([`Woven::others`]);
//! * two files, one per language ([`read_pair`]), plain text or Markdown: hard-wrapped,
//!   or one paragraph or sentence per line without blank lines (`linebreaks`);
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
mod linebreaks;

pub use langid::identify as identify_language;
mod markup;
mod others;
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

/// A woven input read: the two paired language versions and, apart, what is in any other
/// language (German notices in a French/Dutch journal).
#[derive(Clone, Debug)]
pub struct Woven {
    /// The two main languages' documents, the language that comes first in the input first.
    pub docs: [Document; 2],
    /// The paragraphs in other languages, one block each in input order (ids `de-o1`, ...).
    pub others: Vec<Block>,
}

/// Reads woven bilingual text (`path` only names it in errors) into its two language
/// versions, the language that comes first in the input first. Paragraphs clearly in a
/// third language are set apart ([`Woven::others`]) when that language has less than half
/// the text of the second one; `--langs` with two languages chooses the pair whatever the
/// amounts.
pub fn read_woven(text: &str, path: &Path, opts: &IngestOptions) -> Result<Woven> {
    let all_paras = markup::paragraphs(text);
    if all_paras.is_empty() {
        return Err(Error::Empty { path: path.into() });
    }
    let candidates = opts.candidates()?;
    let detectable = detectable(&candidates);
    let all_texts: Vec<&str> = all_paras.iter().map(|p| p.text.as_str()).collect();
    let all_guesses = langid::guess_all(&all_texts, &detectable);
    let pair_guesses = langid::restrict(&all_guesses, &detectable, &candidates);
    let (pair, other_langs) = choose_pair(
        &langid::languages_present(&pair_guesses, &all_texts, &candidates),
        &langid::languages_present(&all_guesses, &all_texts, &detectable),
        path,
        &pair_guesses,
        &candidates,
    )?;
    let (is_other, others) = others::set_apart(&all_paras, &all_guesses, &detectable, &other_langs);
    let (paras, guesses): (Vec<markup::RawPara>, Vec<langid::Guess>) = all_paras
        .into_iter()
        .zip(pair_guesses)
        .zip(&is_other)
        .filter(|(_, other)| !**other)
        .map(|(pg, _)| pg)
        .unzip();
    let docs = read_pair_of_runs(&paras, &guesses, &candidates, pair, path)?;
    Ok(Woven { docs, others })
}

/// The languages the detector is asked about: the candidates, and every other language it
/// knows, so that a third language can be recognised and set apart.
fn detectable(candidates: &[Lang]) -> Vec<Lang> {
    let mut langs = candidates.to_vec();
    langs.extend(Lang::KNOWN.iter().filter(|l| !candidates.contains(l)));
    langs
}

/// Un-weaves the paragraphs of the pair `pair` (with their guesses over `candidates`).
fn read_pair_of_runs(
    paras: &[markup::RawPara],
    guesses: &[langid::Guess],
    candidates: &[Lang],
    pair: [Lang; 2],
    path: &Path,
) -> Result<[Document; 2]> {
    if paras.is_empty() {
        return Err(Error::OneLanguage {
            path: path.into(),
            lang: pair[0].to_string(),
        });
    }
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
    repair::agree(paras, &mut labels, &probs);
    let confidence: Vec<f64> = labels
        .iter()
        .zip(&probs)
        .map(|(&l, &(p, _))| if l == 0 { p } else { 1.0 - p })
        .collect();
    let first = labels[0];
    let langs = if first == 0 { pair } else { [pair[1], pair[0]] };
    let [p0, p1] = weave::unweave(paras, &labels, &confidence);
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

/// The pair of languages to un-weave and the other languages present. `pair_present` are
/// the languages found among the candidates (`--langs`, or all known ones), `all_present`
/// those found among every language the detector knows. The pair is the two candidates
/// found; when there are more, the two with most text, provided the third has less than
/// half the text of the second (otherwise which two is the user's choice: `--langs`). Every
/// other language found is set apart.
fn choose_pair(
    pair_present: &[(Lang, usize)],
    all_present: &[(Lang, usize)],
    path: &Path,
    guesses: &[langid::Guess],
    candidates: &[Lang],
) -> Result<([Lang; 2], Vec<Lang>)> {
    let mut ranked = pair_present.to_vec();
    ranked.sort_by_key(|&(_, letters)| std::cmp::Reverse(letters));
    let minor_third = ranked.len() > 2 && ranked[2].1 * 2 < ranked[1].1;
    let langs: Vec<Lang> = pair_present
        .iter()
        .map(|(l, _)| *l)
        .filter(|l| !minor_third || ranked[..2].iter().any(|(r, _)| r == l))
        .collect();
    let pair = two_languages(&langs, path, guesses, candidates)?;
    let others = all_present
        .iter()
        .map(|(l, _)| *l)
        .filter(|l| !pair.contains(l))
        .collect();
    Ok((pair, others))
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
                note: None,
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

#[cfg(test)]
mod tests {
    use super::*;

    const NL: [&str; 3] = [
        "Dit verslag geeft een overzicht van de Benelux-samenwerking op het gebied van het buitenlands beleid.",
        "De ministers van Defensie van de Benelux zijn op 21 maart 2022 in Brussel bijeengekomen om te overleggen.",
        "De drie ministers bespraken de situatie in Oekraïne en informeerden elkaar over hun inspanningen.",
    ];
    const FR: [&str; 3] = [
        "Le présent rapport donne un aperçu de la coopération Benelux dans le domaine de la politique étrangère.",
        "Les ministres de la Défense du Benelux se sont rencontrés le 21 mars 2022 à Bruxelles pour se concerter.",
        "Les trois ministres ont discuté de la situation en Ukraine et se sont informés de leurs efforts.",
    ];
    const DE: [&str; 2] = [
        "Dieser Bericht gibt einen Überblick über die Zusammenarbeit der Benelux-Staaten in der Außenpolitik.",
        "Die Verteidigungsminister der Benelux-Staaten sind am 21. März 2022 in Brüssel zusammengekommen.",
    ];

    fn read(text: &str, langs: &[Lang]) -> Result<Woven> {
        let opts = IngestOptions {
            langs: langs.to_vec(),
        };
        read_woven(text, Path::new("t.txt"), &opts)
    }

    fn texts(doc: &Document) -> Vec<&str> {
        doc.blocks.iter().map(|b| b.text.as_str()).collect()
    }

    #[test]
    fn a_minor_third_language_is_set_apart_not_an_error() {
        // A Dutch and a French page, then a German notice (less than half the text of
        // either): the pair is nl/fr, the German lines are kept as blocks of their own.
        let text = format!(
            "{}\n\n{}\n\n{}\n\n{}\n\n{}\n\n{}\n\nMitteilung\n\n{}\n",
            NL[0], NL[1], NL[2], FR[0], FR[1], FR[2], DE[0]
        );
        let woven = read(&text, &[]).unwrap();
        let [nl, fr] = &woven.docs;
        assert_eq!((nl.lang, fr.lang), (Some(Lang::NL), Some(Lang::FR)));
        assert_eq!(texts(nl), NL);
        assert_eq!(texts(fr), FR);
        let others: Vec<(&str, &str, BlockKind)> = woven
            .others
            .iter()
            .map(|b| (b.id.as_str(), b.text.as_str(), b.kind))
            .collect();
        assert_eq!(
            others,
            [
                ("de-o1", "Mitteilung", BlockKind::Heading),
                ("de-o2", DE[0], BlockKind::Paragraph),
            ]
        );
        assert_eq!(woven.others[1].source_lines, [15, 15]);
        assert!(woven.others.iter().all(|b| b.lang == Lang::DE));
    }

    #[test]
    fn three_languages_in_like_amounts_need_langs_which_chooses_the_pair() {
        let text = format!(
            "{}\n\n{}\n\n{}\n\n{}\n\n{}\n\n{}\n",
            NL[0], NL[1], FR[0], FR[1], DE[0], DE[1]
        );
        let err = read(&text, &[]).unwrap_err().to_string();
        assert!(err.contains("3 languages found (nl, fr, de)"), "{err}");
        let woven = read(&text, &[Lang::FR, Lang::DE]).unwrap();
        let langs = woven.docs.each_ref().map(|d| d.lang);
        assert_eq!(langs, [Some(Lang::FR), Some(Lang::DE)]);
        assert_eq!(texts(&woven.docs[0]), FR[..2]);
        assert_eq!(texts(&woven.docs[1]), DE);
        let others: Vec<&str> = woven.others.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(others, NL[..2]);
        assert!(woven.others.iter().all(|b| b.lang == Lang::NL));
    }

    #[test]
    fn two_languages_give_no_others() {
        let text = format!("{}\n\n{}\n\n{}\n\n{}\n", NL[0], NL[1], FR[0], FR[1]);
        let woven = read(&text, &[]).unwrap();
        assert!(woven.others.is_empty());
        assert_eq!(texts(&woven.docs[0]), NL[..2]);
    }
}
