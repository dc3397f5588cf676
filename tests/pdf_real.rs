//! The PDF reader on real bilingual PDFs, read in place from `../shared/data/bilingual-pdfs/`
//! (override with `DIPTYCH_BILINGUAL_PDFS`; never copied into the repository): every known
//! pair listed in that folder's README must come out in one bead. Prints, per file, how many
//! sentences are left unpaired. Skipped with a note when the folder is absent; a failure
//! under `CI`.

use std::path::{Path, PathBuf};

use diptych_core::pipeline::{self, Input, RunOptions};
use diptych_core::{Bitext, Lang};

fn folder() -> Option<PathBuf> {
    let dir = std::env::var_os("DIPTYCH_BILINGUAL_PDFS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/bilingual-pdfs"),
        PathBuf::from,
    );
    if dir.join("README.md").is_file() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{} is missing (the shared data folder is required under CI)",
        dir.display()
    );
    eprintln!("note: {} not found; real-PDF test skipped", dir.display());
    None
}

/// One known pair: the file, and the sentence in each language (code, text).
#[derive(Debug)]
struct Known {
    file: String,
    sides: Vec<(String, String)>,
}

/// The pairs of the README: under each `## N. \`file\`` heading, each numbered item's
/// `* XX: \`text\`` lines.
fn known_pairs(readme: &str) -> Vec<Known> {
    let mut out: Vec<Known> = Vec::new();
    let mut file = String::new();
    for line in readme.lines() {
        let t = line.trim();
        if let Some(rest) = t.strip_prefix("## ") {
            file = rest.split('`').nth(1).unwrap_or("").to_owned();
        } else if t.chars().next().is_some_and(|c| c.is_ascii_digit()) && t.contains(". p.") {
            out.push(Known {
                file: file.clone(),
                sides: Vec::new(),
            });
        } else if let Some(rest) = t.strip_prefix("* ") {
            let (code, text) = match rest.split_once(": `") {
                Some(x) => x,
                None => continue,
            };
            if code.len() == 2 && code.chars().all(|c| c.is_ascii_uppercase()) {
                if let Some(k) = out.last_mut().filter(|k| k.file == file) {
                    let text = text.strip_suffix('`').unwrap_or(text);
                    k.sides.push((code.to_ascii_lowercase(), text.to_owned()));
                }
            }
        }
    }
    out
}

/// Whitespace collapsed, quotes and dashes made plain, soft hyphens dropped.
fn norm(s: &str) -> String {
    let s: String = s
        .chars()
        .filter(|c| *c != '\u{ad}')
        .map(|c| match c {
            '’' | '‘' | '´' | '`' => '\'',
            '“' | '”' => '"',
            '\u{a0}' | '\u{202f}' => ' ',
            _ => c,
        })
        .collect();
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn side_text(doc: &diptych_core::Document, range: &std::ops::Range<usize>) -> String {
    norm(
        &doc.sentences[range.clone()]
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// Whether one bead holds both sentences (each side containing its sentence).
fn paired(bitext: &Bitext, a: (&str, &str), b: (&str, &str)) -> bool {
    let langs = bitext.langs();
    let (src, tgt) = if langs[0].as_str() == a.0 {
        (a.1, b.1)
    } else {
        (b.1, a.1)
    };
    let (src, tgt) = (norm(src), norm(tgt));
    bitext.beads.iter().any(|bead| {
        side_text(&bitext.src, &bead.src).contains(&src)
            && side_text(&bitext.tgt, &bead.tgt).contains(&tgt)
    })
}

fn unpaired(bitext: &Bitext) -> [usize; 2] {
    let mut n = [0, 0];
    for bead in &bitext.beads {
        if bead.tgt.is_empty() {
            n[0] += bead.src.len();
        }
        if bead.src.is_empty() {
            n[1] += bead.tgt.len();
        }
    }
    n
}

/// The bitext and the blocks left out of it, read from the shared folder's `file`.
fn read_pdf(dir: &Path, file: &str) -> (Bitext, pipeline::IngestExtras) {
    pipeline::build_with_extras(&Input::Pdf(dir.join(file)), &RunOptions::default(), &|_| {})
        .unwrap_or_else(|e| panic!("{file}: {e}"))
}

#[test]
fn known_pairs_of_the_real_pdfs_come_out_in_one_bead() {
    let Some(dir) = folder() else { return };
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    let known = known_pairs(&readme);
    assert!(known.len() >= 20, "the README lists its pairs: {known:?}");
    let mut files: Vec<&str> = known.iter().map(|k| k.file.as_str()).collect();
    files.dedup();
    let mut failures = Vec::new();
    for file in files {
        let (bitext, extras) = read_pdf(&dir, file);
        let [a, b] = unpaired(&bitext);
        let [la, lb] = bitext.langs();
        eprintln!(
            "{file}: {la} {} / {lb} {} sentences, unpaired {la} {a}, {lb} {b}; other blocks {}",
            bitext.src.sentences.len(),
            bitext.tgt.sentences.len(),
            extras.others.len()
        );
        let signs = words_of_signs(&bitext);
        if !signs.is_empty() {
            failures.push(format!("{file}: blocks of signs only: {signs:?}"));
        }
        let rules = rules_as_text(&bitext);
        if !rules.is_empty() {
            failures.push(format!("{file}: rules read as text: {rules:?}"));
        }
        for k in known.iter().filter(|k| k.file == file) {
            let pair: Vec<(&str, &str)> = k
                .sides
                .iter()
                .filter(|(l, _)| Lang::parse(l).is_ok_and(|l| bitext.langs().contains(&l)))
                .map(|(l, t)| (l.as_str(), t.as_str()))
                .collect();
            let ok = pair.len() == 2 && paired(&bitext, pair[0], pair[1]);
            if !ok {
                failures.push(format!("{file}: {:?}", k.sides));
            }
            for (l, t) in k
                .sides
                .iter()
                .filter(|(l, _)| !pair.iter().any(|p| p.0 == l))
            {
                let kept = extras
                    .others
                    .iter()
                    .any(|b| b.lang.as_str() == l && norm(&b.text).contains(&norm(t)));
                if !kept {
                    failures.push(format!("{file}: {l} not kept apart: {t}"));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "pairs not in one bead:\n{}",
        failures.join("\n")
    );
}

/// Blocks of several words made of signs only (`! ! !!`): what a font whose codes were not
/// read as text leaves, rather than a rule (`______`) or a stray mark.
fn words_of_signs(bitext: &Bitext) -> Vec<String> {
    [&bitext.src, &bitext.tgt]
        .iter()
        .flat_map(|d| &d.blocks)
        .filter(|b| !b.text.chars().any(char::is_alphanumeric))
        .filter(|b| b.text.split_whitespace().count() >= 2)
        .map(|b| b.text.clone())
        .collect()
}

/// Blocks that are only a rule drawn with text (`______`, the Chamber's scanned pages set
/// one under each heading): furniture, not text.
fn rules_as_text(bitext: &Bitext) -> Vec<String> {
    [&bitext.src, &bitext.tgt]
        .iter()
        .flat_map(|d| &d.blocks)
        .filter(|b| {
            let signs: Vec<char> = b.text.chars().filter(|c| !c.is_whitespace()).collect();
            signs.len() >= 3 && signs.iter().all(|c| "_-–—=".contains(*c))
        })
        .map(|b| b.text.clone())
        .collect()
}

/// Share of each side's sentences on pages `pages` that are in one-sided beads.
fn unpaired_share(bitext: &Bitext, pages: std::ops::Range<u32>) -> [f64; 2] {
    let page_of = |doc: &diptych_core::Document, i: usize| {
        doc.blocks[doc.sentences[i].block_index]
            .regions
            .first()
            .map_or(0, |r| r.page)
    };
    let mut counts = [[0usize; 2]; 2];
    for bead in &bitext.beads {
        let one_sided = bead.src.is_empty() || bead.tgt.is_empty();
        for (side, doc, range) in [(0, &bitext.src, &bead.src), (1, &bitext.tgt, &bead.tgt)] {
            for _ in range.clone().filter(|&i| pages.contains(&page_of(doc, i))) {
                counts[side][0] += usize::from(one_sided);
                counts[side][1] += 1;
            }
        }
    }
    counts.map(|[unpaired, all]| unpaired as f64 / all.max(1) as f64)
}

#[test]
fn the_single_language_notices_of_the_moniteur_stay_unpaired() {
    let Some(dir) = folder() else { return };
    let file = "be-moniteur-2026-01-06-nl-fr.pdf";
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    let bitext = read_pdf(&dir, file).0;
    // The README: pages 1-18 are NL | FR translations, pages 19-34 mostly notices each in
    // one language, a Dutch notice translating no French one (page 19 still opens with a
    // bilingual notice, and the reader leaves some French notices on the Dutch side, where
    // they meet their French twins).
    let bilingual = unpaired_share(&bitext, 1..19);
    let single = unpaired_share(&bitext, 19..35);
    eprintln!("{file}: unpaired share, pages 1-18 {bilingual:?}, pages 19-34 {single:?}");
    assert!(single.iter().all(|&s| s >= 0.6), "{single:?}");
    assert!(bilingual.iter().all(|&s| s <= 0.2), "{bilingual:?}");
    for k in known_pairs(&readme).iter().filter(|k| k.file == file) {
        let (a, b) = (&k.sides[0], &k.sides[1]);
        assert!(
            paired(&bitext, (&a.0, &a.1), (&b.0, &b.1)),
            "not paired: {:?}",
            k.sides
        );
    }
    // Pages 19-34 hold notices each in one language, written from shared templates: their
    // headings and formulas translate one another (`Aanstelling` / `Désignation`), the
    // notices do not. Before template lines counted as evidence, 82 beads there were paired.
    let notices_paired = paired_beads_on(&bitext, 19..=34);
    eprintln!("{file}: paired beads on pages 19-34: {notices_paired}");
    assert!(
        notices_paired <= 10,
        "{notices_paired} paired beads among one-language notices"
    );
    // The short lines of a French notice set in the column read as Dutch are French.
    for start in ["Référence :", "Numéro d’entreprise :"] {
        let langs = langs_of_blocks(&bitext, |t| t.starts_with(start));
        assert!(
            !langs.is_empty() && langs.iter().all(|l| l == "fr"),
            "{start} {langs:?}"
        );
    }
    let report = diptych_core::check::run_checks(&bitext, &Default::default());
    let regions: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.check == "unpaired")
        .map(|f| f.message.as_str())
        .collect();
    assert!(
        regions.iter().any(|m| m.starts_with("pages ")),
        "{regions:?}"
    );
}

/// Paired beads (both sides non-empty) whose first sentence sits on `pages`.
fn paired_beads_on(bitext: &Bitext, pages: std::ops::RangeInclusive<u32>) -> usize {
    let page_of = |doc: &diptych_core::Document, i: usize| {
        doc.blocks[doc.sentences[i].block_index]
            .regions
            .first()
            .map_or(0, |r| r.page)
    };
    bitext
        .beads
        .iter()
        .filter(|b| !b.src.is_empty() && !b.tgt.is_empty())
        .filter(|b| {
            let first = page_of(&bitext.src, b.src.start).min(page_of(&bitext.tgt, b.tgt.start));
            pages.contains(&first)
        })
        .count()
}

/// The languages of the blocks, in either document, whose text `text_is` accepts.
fn langs_of_blocks(bitext: &Bitext, text_is: impl Fn(&str) -> bool) -> Vec<String> {
    [&bitext.src, &bitext.tgt]
        .iter()
        .flat_map(|d| &d.blocks)
        .filter(|b| text_is(&b.text))
        .map(|b| b.lang.to_string())
        .collect()
}

#[test]
fn the_chamber_compilation_reads_as_printed() {
    let Some(dir) = folder() else { return };
    let file = "be-chamber-1998-sects-inquiry-nl-fr.pdf";
    let bitext = read_pdf(&dir, file).0;
    // p.2: the French table of contents under `SOMMAIRE`, then the Dutch one under
    // `INHOUDSTABEL`, both full width: a full-width heading takes the language of its words.
    let langs = |text: &str| langs_of_blocks(&bitext, |t| t == text);
    assert_eq!(langs("SOMMAIRE"), ["fr"]);
    assert_eq!(langs("INHOUDSTABEL"), ["nl"]);
    // Entries naming people with their institutions in the other language: a French entry
    // quoting a Dutch name (`« Comité voor bijzondere jeugdzorg »`) stays French, and a
    // Dutch entry with a French place name (`Aix-en-Provence`) stays Dutch.
    let starting = |text: &str| langs_of_blocks(&bitext, |t| t.starts_with(text));
    assert_eq!(starting("3. M. De Geest (conseiller"), ["fr"]);
    assert_eq!(starting("2. De heer Abgrall (psychiater"), ["nl"]);
    // Each document's number heads its pages (`- 313 / 7 - 95 / 96`, with the folio `[ 2 ]`
    // beside it on the following pages): furniture. The same number in the text (`Voir :
    // - 313 - 95 / 96 :`) stays.
    let heads = langs_of_blocks(&bitext, |t| t.contains("313 / "));
    assert!(heads.is_empty(), "running heads left: {heads:?}");
    assert_eq!(
        langs_of_blocks(&bitext, |t| t == "313 - 95 / 96 :").len(),
        6
    );
    // With the running head gone, the last entry of a page of the table of contents meets
    // the first of the next page: an entry that opens with its number, or follows one that
    // ends with leaders, stays apart.
    assert_eq!(
        langs_of_blocks(&bitext, |t| t.starts_with("4. Mevr. Morelli")),
        ["nl"]
    );
    assert_eq!(
        langs_of_blocks(&bitext, |t| t.starts_with("Afdeling 2 : Praktische")),
        ["nl"]
    );
    // A French entry's page number stands near the gutter, left of the Dutch entries: it
    // stays with the French leaders, not at the start of the Dutch entry (`5 INLEIDING`).
    let numbered = langs_of_blocks(&bitext, |t| {
        ["5 INLEIDING", "8 I. Oprichting", "119 Afdeling"]
            .iter()
            .any(|s| t.starts_with(s))
    });
    assert!(numbered.is_empty(), "{numbered:?}");
    // Nor when the Dutch entry opens with a number of its own (`285 1. Sekte`).
    let numbered = langs_of_blocks(&bitext, |t| {
        [
            "285 1. Sekte",
            "292 3. Aoum",
            "301 9. De Groep",
            // a French entry without leaders, on a contents page
            "109 8. Zwitserland",
            "48 4. De heer Van Espen",
        ]
        .iter()
        .any(|s| t.starts_with(s))
    });
    assert!(numbered.is_empty(), "{numbered:?}");
    assert_eq!(
        langs_of_blocks(&bitext, |t| t == "1. Sekte van de Engel Albert"),
        ["nl"]
    );
    assert_eq!(
        langs_of_blocks(&bitext, |t| t
            == "8. Zwitserland : het verslag van een groep deskundigen"),
        ["nl"]
    );
    // A title set in capitals over two short lines is one block.
    let title = "DEEL DRIE : AMBTELIJKE OPDRACHT IN VERBAND MET DE ORDE VAN DE ZONNETEMPEL.";
    assert!(langs_of_blocks(&bitext, |t| t == title).contains(&"nl".to_string()));
    let entry = langs_of_blocks(&bitext, |t| t == "I. Oprichting van de onderzoekscommissie");
    assert!(entry.contains(&"nl".to_string()), "{entry:?}");
}

#[test]
fn the_readme_parser_reads_pairs() {
    let readme = "## 2. `x.pdf`\n* **Pairs:**\n  1. p.5\n     * NL: `Een.`\n     * FR: `Un.`\n  2. p.7\n     * NL: `Twee.`\n     * FR: `Deux.`\n";
    let k = known_pairs(readme);
    assert_eq!(k.len(), 2);
    assert_eq!(
        k[1].sides,
        [("nl".into(), "Twee.".into()), ("fr".into(), "Deux.".into())]
    );
    assert_eq!(k[0].file, "x.pdf");
    assert!(Path::new("x.pdf").extension().is_some());
}
