//! Export: writes an aligned [`Bitext`] in the exchange formats translators and MT corpus
//! builders use, and reads translation memories made elsewhere back into a [`Bitext`].
//!
//! * [`tmx`]: TMX 1.4b, one `<tu>` per bead, provenance and quality as `x-` props;
//! * [`xliff`]: XLIFF 2.1, one `<unit>` per bead, grouped by section, metadata in the `mda`
//!   module and findings as notes;
//! * [`tsv`]: Moses-style two-column text, one bead a row;
//! * [`jsonl`]: one JSON record per bead with everything known about it, and JSON Lines of
//!   any model values;
//! * [`markdown`]: each language's clean document;
//! * [`activities`]: the activity record as CSV.
//!
//! [`run_folder`] names the files of a run folder and the writer of each (one writer per
//! format), writes them and reads the bitext back.
//!
//! Every writer works over `impl Write` from the same list of [`Pair`]s, so that the unit
//! (sentence or block beads), the language codes and the `only 1:1` filter mean the same in
//! every format. [`read_memory`] reads TMX or XLIFF (detected from the root element).

use std::io::Write;
use std::path::Path;

use crate::model::{Bead, BlockKind, Document};
use crate::{Bitext, Error, Finding, Lang, Result};

pub mod activities;
pub mod jsonl;
pub mod markdown;
mod memory;
pub mod run_folder;
pub mod tmx;
pub mod tsv;
pub mod xliff;
mod xml;

/// An output format of `diptych export`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// TMX 1.4b translation memory.
    Tmx,
    /// XLIFF 2.1 bilingual review file.
    Xliff,
    /// Tab-separated, one bead a row (Moses style).
    Tsv,
    /// One JSON record a line.
    Jsonl,
}

impl Format {
    /// Parses `tmx`, `xliff` (or `xlf`), `tsv` or `jsonl`.
    pub fn parse(name: &str) -> Result<Format> {
        match name.trim().to_ascii_lowercase().as_str() {
            "tmx" => Ok(Format::Tmx),
            "xliff" | "xlf" => Ok(Format::Xliff),
            "tsv" => Ok(Format::Tsv),
            "jsonl" => Ok(Format::Jsonl),
            other => Err(Error::Invalid(format!(
                "unknown export format {other:?} (expected tmx, xliff, tsv or jsonl)"
            ))),
        }
    }

    /// The usual file extension, without the dot.
    pub fn extension(&self) -> &'static str {
        match self {
            Format::Tmx => "tmx",
            Format::Xliff => "xlf",
            Format::Tsv => "tsv",
            Format::Jsonl => "jsonl",
        }
    }
}

/// What one exported pair is made of.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Unit {
    /// Sentence beads ([`Bitext::beads`]); TMX `segtype="sentence"`.
    #[default]
    Sentence,
    /// Block beads ([`Bitext::block_beads`]): whole paragraphs, headings and items; TMX
    /// `segtype="paragraph"`.
    Block,
}

impl Unit {
    /// Parses `sentence` or `block` (`paragraph` is accepted for `block`).
    pub fn parse(name: &str) -> Result<Unit> {
        match name.trim().to_ascii_lowercase().as_str() {
            "sentence" => Ok(Unit::Sentence),
            "block" | "paragraph" => Ok(Unit::Block),
            other => Err(Error::Invalid(format!(
                "unknown unit {other:?} (expected sentence or block)"
            ))),
        }
    }

    /// The name used in files (`sentence` or `block`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Unit::Sentence => "sentence",
            Unit::Block => "block",
        }
    }
}

/// Choices shared by every writer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExportOptions {
    /// Sentence or block beads.
    pub unit: Unit,
    /// Language codes to write for the source and target side (e.g. `nl-BE`, `fr-BE`);
    /// `None` writes the bitext's two-letter codes. See [`ExportOptions::with_lang_codes`].
    pub lang_codes: Option<[String; 2]>,
    /// Keep only 1:1 beads (a strict memory for CAT tools and MT training).
    pub only_one_to_one: bool,
    /// Creation date written in TMX headers, `YYYYMMDDThhmmssZ`. `None` writes none, which
    /// keeps the output byte-for-byte reproducible.
    pub creation_date: Option<String>,
    /// Sentence beads a reviser approved (`diptych review`): TMX `x-status` prop `approved`,
    /// XLIFF `state="final"`. Block beads carry no approval.
    pub approved: std::collections::BTreeSet<usize>,
}

impl ExportOptions {
    /// Sets the language codes from a `SRC,TGT` list such as `nl-BE,fr-BE`, checking that each
    /// is a plausible BCP 47 tag whose primary language is the bitext's language on that side.
    pub fn with_lang_codes(mut self, list: &str, langs: [Lang; 2]) -> Result<Self> {
        let codes: Vec<&str> = list.split(',').map(str::trim).collect();
        let [src, tgt] = codes.as_slice() else {
            return Err(Error::Invalid(format!(
                "--lang-codes {list:?}: expected two codes separated by a comma, e.g. nl-BE,fr-BE"
            )));
        };
        for (code, lang) in [(src, langs[0]), (tgt, langs[1])] {
            check_lang_code(code, lang)?;
        }
        self.lang_codes = Some([src.to_string(), tgt.to_string()]);
        Ok(self)
    }

    /// Sets the creation date, checking the TMX form `YYYYMMDDThhmmssZ`.
    pub fn with_creation_date(mut self, date: &str) -> Result<Self> {
        let ok = date.len() == 16
            && date.char_indices().all(|(i, c)| match i {
                8 => c == 'T',
                15 => c == 'Z',
                _ => c.is_ascii_digit(),
            });
        if !ok {
            return Err(Error::Invalid(format!(
                "creation date {date:?}: expected the TMX form YYYYMMDDThhmmssZ, e.g. 20230617T000000Z"
            )));
        }
        self.creation_date = Some(date.to_owned());
        Ok(self)
    }

    /// The codes to write for the source and target side.
    pub fn codes(&self, bitext: &Bitext) -> [String; 2] {
        match &self.lang_codes {
            Some(codes) => codes.clone(),
            None => bitext.langs().map(|l| l.as_str().to_owned()),
        }
    }
}

fn check_lang_code(code: &str, lang: Lang) -> Result<()> {
    let well_formed = !code.is_empty()
        && code.split('-').all(|part| {
            (1..=8).contains(&part.len()) && part.chars().all(|c| c.is_ascii_alphanumeric())
        });
    if !well_formed {
        return Err(Error::Invalid(format!(
            "language code {code:?} is not a BCP 47 tag such as nl-BE"
        )));
    }
    if Lang::parse(code)? != lang {
        return Err(Error::Invalid(format!(
            "language code {code:?} does not name {} ({lang}), the language of that side",
            lang.english_name()
        )));
    }
    Ok(())
}

/// Writes `bitext` (and the findings about it) in `format`.
pub fn write(
    format: Format,
    bitext: &Bitext,
    findings: &[Finding],
    options: &ExportOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        Format::Tmx => tmx::write(bitext, findings, options, out),
        Format::Xliff => xliff::write(bitext, findings, options, out),
        Format::Tsv => tsv::write(bitext, options, out),
        Format::Jsonl => jsonl::write(bitext, findings, options, out),
    }
}

/// One unit of one side of a pair: a sentence, or a whole block.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Piece<'a> {
    /// The sentence or block id.
    pub id: &'a str,
    /// The id of the block it belongs to (its own id for a block).
    pub block: &'a str,
    /// The kind of that block.
    pub kind: BlockKind,
    /// Index of that block in its document.
    pub block_index: usize,
    /// The text.
    pub text: &'a str,
    /// The page its block starts on, for a paged (PDF) source.
    pub page: Option<u32>,
}

impl Piece<'_> {
    /// The pages of `pieces` as written in TMX and XLIFF (`4 4 5`), when any is known.
    pub fn pages(pieces: &[Piece]) -> Option<String> {
        pieces.iter().any(|p| p.page.is_some()).then(|| {
            pieces
                .iter()
                .map(|p| p.page.map_or("-".to_owned(), |n| n.to_string()))
                .collect::<Vec<_>>()
                .join(" ")
        })
    }
}

/// One exported bead: its pieces on each side, where it sits and what was found about it.
#[derive(Clone, Debug)]
pub struct Pair<'a> {
    /// Index of the bead in [`Bitext::beads`] or [`Bitext::block_beads`].
    pub index: usize,
    /// The bead.
    pub bead: &'a Bead,
    /// Source pieces, then target pieces.
    pub sides: [Vec<Piece<'a>>; 2],
    /// Index of the source-side heading block of the bead's section, if any.
    pub section: Option<usize>,
    /// Findings about this bead (for block beads: about any sentence bead inside it).
    pub findings: Vec<&'a Finding>,
    /// Approved by a reviser ([`ExportOptions::approved`]).
    pub approved: bool,
}

impl Pair<'_> {
    /// The text of side `side` (0 source, 1 target): its pieces joined by a space.
    pub fn text(&self, side: usize) -> String {
        let texts: Vec<&str> = self.sides[side].iter().map(|p| p.text).collect();
        texts.join(" ")
    }

    /// Where each piece of side `side` starts in [`Pair::text`], in characters (not bytes,
    /// so that other tools can use them).
    pub fn starts(&self, side: usize) -> Vec<usize> {
        let mut starts = Vec::new();
        let mut at = 0;
        for piece in &self.sides[side] {
            starts.push(at);
            at += piece.text.chars().count() + 1;
        }
        starts
    }

    /// The bead's shape, e.g. `2:1`.
    pub fn shape(&self) -> String {
        self.bead.shape_label()
    }

    /// The score rounded to three decimals, as written in every format.
    pub fn score(&self) -> String {
        format!("{:.3}", self.bead.score)
    }

    /// The cosine of the two sides' sentence vectors, rounded to three decimals, when the
    /// aligner ran with a sentence encoder (see [`Bead::semantic`]).
    pub fn semantic(&self) -> Option<String> {
        self.bead.semantic.map(|c| format!("{c:.3}"))
    }
}

/// The pairs to export, in document order, after the unit choice and the 1:1 filter.
pub fn pairs<'a>(
    bitext: &'a Bitext,
    findings: &'a [Finding],
    options: &ExportOptions,
) -> Vec<Pair<'a>> {
    let beads = match options.unit {
        Unit::Sentence => &bitext.beads,
        Unit::Block => &bitext.block_beads,
    };
    let mut findings_of = findings_by_bead(bitext, findings, options.unit, beads.len());
    let mut section = None;
    let mut out = Vec::with_capacity(beads.len());
    for (index, bead) in beads.iter().enumerate() {
        let sides = match options.unit {
            Unit::Sentence => [
                sentence_pieces(&bitext.src, bead.src.clone()),
                sentence_pieces(&bitext.tgt, bead.tgt.clone()),
            ],
            Unit::Block => [
                block_pieces(&bitext.src, bead.src.clone()),
                block_pieces(&bitext.tgt, bead.tgt.clone()),
            ],
        };
        // A bead with no source side (0:1) stays in the section of the bead before it.
        if let Some(first) = sides[0].first() {
            section = bitext.src.section_of(first.block_index);
        }
        if options.only_one_to_one && bead.shape() != (1, 1) {
            continue;
        }
        let findings = std::mem::take(&mut findings_of[index]);
        let approved = options.unit == Unit::Sentence && options.approved.contains(&index);
        out.push(Pair {
            index,
            bead,
            sides,
            section,
            findings,
            approved,
        });
    }
    out
}

/// Findings that concern the whole document rather than one bead.
pub fn document_findings(findings: &[Finding]) -> impl Iterator<Item = &Finding> {
    findings.iter().filter(|f| f.bead.is_none())
}

fn sentence_pieces(doc: &Document, range: std::ops::Range<usize>) -> Vec<Piece<'_>> {
    doc.sentences
        .get(range)
        .unwrap_or_default()
        .iter()
        .map(|s| {
            let block = doc.blocks.get(s.block_index);
            Piece {
                id: &s.id,
                block: &s.block,
                kind: block.map_or(BlockKind::Paragraph, |b| b.kind),
                block_index: s.block_index,
                text: &s.text,
                page: block.and_then(first_page),
            }
        })
        .collect()
}

fn block_pieces(doc: &Document, range: std::ops::Range<usize>) -> Vec<Piece<'_>> {
    let start = range.start;
    doc.blocks
        .get(range)
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(i, b)| Piece {
            id: &b.id,
            block: &b.id,
            kind: b.kind,
            block_index: start + i,
            text: &b.text,
            page: first_page(b),
        })
        .collect()
}

fn first_page(block: &crate::Block) -> Option<u32> {
    block.regions.first().map(|r| r.page)
}

/// The findings about each exported bead, in their order.
fn findings_by_bead<'a>(
    bitext: &Bitext,
    findings: &'a [Finding],
    unit: Unit,
    beads: usize,
) -> Vec<Vec<&'a Finding>> {
    let owner = FindingOwner::new(bitext, unit);
    let mut by_bead = vec![Vec::new(); beads];
    for f in findings {
        if let Some(slot) = f
            .bead
            .and_then(|b| owner.owner(b))
            .and_then(|i| by_bead.get_mut(i))
        {
            slot.push(f);
        }
    }
    by_bead
}

/// Maps a finding's sentence bead to the exported bead that holds it.
struct FindingOwner<'a> {
    /// For block export: the block bead of each source block and of each target block.
    block_bead_of: Option<[Vec<Option<usize>>; 2]>,
    sentence_beads: &'a [Bead],
    sentence_block: [Vec<usize>; 2],
}

impl<'a> FindingOwner<'a> {
    fn new(bitext: &'a Bitext, unit: Unit) -> Self {
        let block_bead_of = (unit == Unit::Block).then(|| {
            let mut of = [
                vec![None; bitext.src.blocks.len()],
                vec![None; bitext.tgt.blocks.len()],
            ];
            for (i, bead) in bitext.block_beads.iter().enumerate() {
                for (side, range) in [(0, &bead.src), (1, &bead.tgt)] {
                    for b in range.clone() {
                        if let Some(slot) = of[side].get_mut(b) {
                            *slot = Some(i);
                        }
                    }
                }
            }
            of
        });
        let block_of = |doc: &Document| doc.sentences.iter().map(|s| s.block_index).collect();
        FindingOwner {
            block_bead_of,
            sentence_beads: &bitext.beads,
            sentence_block: [block_of(&bitext.src), block_of(&bitext.tgt)],
        }
    }

    fn owner(&self, sentence_bead: usize) -> Option<usize> {
        let Some(of) = &self.block_bead_of else {
            return Some(sentence_bead);
        };
        let bead = self.sentence_beads.get(sentence_bead)?;
        [
            (0, bead.src.start, bead.src.len()),
            (1, bead.tgt.start, bead.tgt.len()),
        ]
        .into_iter()
        .filter(|&(_, _, len)| len > 0)
        .find_map(|(side, first, _)| {
            let block = *self.sentence_block[side].get(first)?;
            *of[side].get(block)?
        })
    }
}

/// Whether `path` names a translation memory by its extension (`.tmx`, `.xlf`, `.xliff`),
/// which [`read_memory`] reads instead of the text readers.
pub fn is_memory_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ["tmx", "xlf", "xliff"].contains(&e.to_ascii_lowercase().as_str()))
}

/// Reads a translation memory in TMX or XLIFF (1.2 or 2.x), detected from its root element,
/// into a [`Bitext`] that the checks can run on. Beads written by diptych come back with their
/// sentences, blocks, shapes and scores; other tools' units become 1:1 beads.
///
/// Malformed XML, a unit without a language, or a memory with one language only is an
/// [`Error::Malformed`] naming the line.
pub fn read_memory(path: &Path) -> Result<Bitext> {
    let text = crate::fsio::read_text(path)?;
    read_memory_str(path, &text)
}

/// [`read_memory`] over text already read; `path` names the input in errors and gives the
/// bitext its default name.
pub fn read_memory_str(path: &Path, text: &str) -> Result<Bitext> {
    match xml::root_name(path, text)?.as_str() {
        "tmx" => tmx::read(path, text),
        "xliff" => xliff::read(path, text),
        other => Err(Error::Malformed {
            path: path.into(),
            line: xml::line_of(text, text.find('<').unwrap_or(0)),
            message: format!("root element <{other}> is neither <tmx> nor <xliff>"),
        }),
    }
}

#[cfg(test)]
pub(crate) mod testdata;

#[cfg(test)]
mod tests {
    use super::*;
    use testdata::reference_bitext;

    #[test]
    fn lang_codes_must_match_the_sides() {
        let langs = [Lang::NL, Lang::FR];
        let opts = ExportOptions::default()
            .with_lang_codes("nl-BE, fr-BE", langs)
            .unwrap();
        assert_eq!(opts.lang_codes.unwrap(), ["nl-BE", "fr-BE"]);
        let swapped = ExportOptions::default().with_lang_codes("fr-BE,nl-BE", langs);
        assert!(swapped.unwrap_err().to_string().contains("Dutch"));
        assert!(ExportOptions::default()
            .with_lang_codes("nl-BE", langs)
            .is_err());
        assert!(ExportOptions::default()
            .with_lang_codes("nl BE,fr", langs)
            .is_err());
    }

    #[test]
    fn creation_date_has_the_tmx_form() {
        assert!(ExportOptions::default()
            .with_creation_date("20230617T120000Z")
            .is_ok());
        assert!(ExportOptions::default()
            .with_creation_date("2023-06-17")
            .is_err());
    }

    #[test]
    fn pairs_follow_unit_and_filter() {
        let bitext = reference_bitext();
        let all = pairs(&bitext, &[], &ExportOptions::default());
        assert_eq!(all.len(), bitext.beads.len());
        let strict = ExportOptions {
            only_one_to_one: true,
            ..Default::default()
        };
        let strict = pairs(&bitext, &[], &strict);
        assert!(strict.len() < all.len());
        assert!(strict.iter().all(|p| p.shape() == "1:1"));
        let blocks = ExportOptions {
            unit: Unit::Block,
            ..Default::default()
        };
        let blocks = pairs(&bitext, &[], &blocks);
        assert_eq!(blocks.len(), bitext.block_beads.len());
        assert_eq!(blocks[2].text(0), bitext.src.blocks[2].text);
    }

    #[test]
    fn pairs_know_their_section_and_piece_starts() {
        let bitext = reference_bitext();
        let all = pairs(&bitext, &[], &ExportOptions::default());
        let merged = all.iter().find(|p| p.shape() == "2:1").unwrap();
        let second = merged.sides[0][1].text;
        let starts = merged.starts(0);
        let text = merged.text(0);
        let at: String = text.chars().skip(starts[1]).collect();
        assert_eq!(at, second);
        let heading = merged.section.unwrap();
        assert_eq!(bitext.src.blocks[heading].kind, BlockKind::Heading);
    }

    #[test]
    fn findings_go_to_the_block_bead_that_holds_their_sentence_bead() {
        let bitext = reference_bitext();
        let last = bitext.beads.len() - 1;
        let finding = testdata::finding(last);
        let blocks = ExportOptions {
            unit: Unit::Block,
            ..Default::default()
        };
        let found = pairs(&bitext, std::slice::from_ref(&finding), &blocks);
        let holders: Vec<usize> = found
            .iter()
            .filter(|p| !p.findings.is_empty())
            .map(|p| p.index)
            .collect();
        assert_eq!(holders, vec![bitext.block_beads.len() - 1]);
    }

    /// The end-to-end tests of the binary export this bitext from its JSON form; it must stay
    /// what the test data builds (`BLESS=1` rewrites it).
    #[test]
    fn fixture_for_the_binary_tests_is_current() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/data/export/benelux-sample.bitext.json");
        let json = serde_json::to_string_pretty(&reference_bitext()).unwrap() + "\n";
        if std::env::var_os("BLESS").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &json).unwrap();
        }
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            on_disk == json,
            "{} is stale: run with BLESS=1",
            path.display()
        );
    }

    mod round_trip {
        use super::*;
        use crate::model::{Block, Sentence};
        use proptest::prelude::*;

        /// A document side made of `sentences`, one block per bead.
        fn side(lang: Lang, beads: &[Vec<String>]) -> Document {
            let mut doc = Document {
                lang: Some(lang),
                ..Default::default()
            };
            for sentences in beads.iter().filter(|s| !s.is_empty()) {
                let b = doc.blocks.len();
                let mut text = String::new();
                for s in sentences {
                    if !text.is_empty() {
                        text.push(' ');
                    }
                    doc.sentences.push(Sentence {
                        id: format!("{lang}-s{}", doc.sentences.len()),
                        lang,
                        block: format!("{lang}-b{b}"),
                        block_index: b,
                        span: [text.len(), text.len() + s.len()],
                        text: s.clone(),
                    });
                    text.push_str(s);
                }
                doc.blocks.push(Block {
                    id: format!("{lang}-b{b}"),
                    lang,
                    kind: BlockKind::Paragraph,
                    level: 0,
                    text,
                    source_lines: [1, 1],
                    joined_from: vec![],
                    lang_confidence: 1.0,
                    regions: vec![],
                    note: None,
                });
            }
            doc
        }

        fn bitext(beads: &[(Vec<String>, Vec<String>)]) -> Bitext {
            let (src, tgt): (Vec<_>, Vec<_>) = beads.iter().cloned().unzip();
            let (mut s, mut t) = (0, 0);
            let beads = beads
                .iter()
                .map(|(a, b)| {
                    let bead = Bead::new(s..s + a.len(), t..t + b.len(), 0.5);
                    (s, t) = (s + a.len(), t + b.len());
                    bead
                })
                .collect();
            Bitext {
                name: "prop".into(),
                src: side(Lang::NL, &src),
                tgt: side(Lang::FR, &tgt),
                block_beads: vec![],
                beads,
            }
        }

        fn sentences(max: usize) -> impl Strategy<Value = Vec<String>> {
            prop::collection::vec("[a-zé ’–Šë&<>\"'\t\n\r;]{1,12}", 0..=max)
        }

        fn same_beads(a: &Bitext, b: &Bitext) -> Result<(), TestCaseError> {
            let texts = |x: &Bitext| x.beads.iter().map(|b| b.shape()).collect::<Vec<_>>();
            prop_assert_eq!(texts(a), texts(b));
            let all = |d: &Document| {
                d.sentences
                    .iter()
                    .map(|s| s.text.clone())
                    .collect::<Vec<_>>()
            };
            prop_assert_eq!(all(&a.src), all(&b.src));
            prop_assert_eq!(all(&a.tgt), all(&b.tgt));
            Ok(())
        }

        fn through(format: Format, bitext: &Bitext) -> Bitext {
            let mut out = Vec::new();
            write(format, bitext, &[], &ExportOptions::default(), &mut out).unwrap();
            let text = String::from_utf8(out).unwrap();
            read_memory_str(Path::new("p"), &text).unwrap()
        }

        proptest! {
            #[test]
            fn xliff_gives_back_any_beads(beads in prop::collection::vec((sentences(3), sentences(3)), 1..8)) {
                let beads: Vec<_> = beads.into_iter().filter(|(a, b)| !(a.is_empty() && b.is_empty())).collect();
                prop_assume!(!beads.is_empty());
                let bitext = bitext(&beads);
                same_beads(&through(Format::Xliff, &bitext), &bitext)?;
            }

            #[test]
            fn tmx_gives_back_any_beads_with_two_sides(beads in prop::collection::vec((sentences(3), sentences(3)), 1..8)) {
                let beads: Vec<_> = beads.into_iter().filter(|(a, b)| !a.is_empty() && !b.is_empty()).collect();
                prop_assume!(!beads.is_empty());
                let bitext = bitext(&beads);
                same_beads(&through(Format::Tmx, &bitext), &bitext)?;
            }
        }
    }
}
