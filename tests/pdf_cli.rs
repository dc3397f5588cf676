//! `diptych run` on PDFs written by the test itself (`diptych_testkit::pdf`): two languages
//! side by side in either order, two one-language PDFs, a third language kept apart, and
//! every kind of bad PDF (one line on stderr, exit 2, nothing written).

use std::path::Path;
use std::process::{Command, Output};

use diptych_testkit::pdf::{column, encrypted_pdf, pdf, TextLine};
use serde_json::Value;

fn diptych(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_diptych"))
        .args(args)
        .output()
        .expect("the diptych binary runs")
}

const NL: [&str; 4] = [
    "Samenwerking tussen de drie landen",
    "De ministers van Buitenlandse Zaken kwamen in het voorjaar bijeen om de samenwerking tussen de drie landen te bespreken. Zij spraken over de toekomst van de Europese Unie en over de gevolgen van de oorlog voor de economie van de regio.",
    "Het parlement heeft het verslag aangenomen na een lange vergadering waarin alle fracties het woord hebben gevoerd. De voorzitter dankte de leden voor hun inzet tijdens het afgelopen jaar.",
    "De volgende vergadering zal plaatsvinden in de hoofdstad van het land dat het voorzitterschap waarneemt, in het najaar van het volgende jaar.",
];

const FR: [&str; 4] = [
    "Coopération entre les trois pays",
    "Les ministres des Affaires étrangères se sont réunis au printemps pour discuter de la coopération entre les trois pays. Ils ont parlé de l'avenir de l'Union européenne et des conséquences de la guerre pour l'économie de la région.",
    "Le parlement a adopté le rapport après une longue réunion au cours de laquelle tous les groupes ont pris la parole. Le président a remercié les membres pour leur engagement au cours de l'année écoulée.",
    "La prochaine réunion aura lieu dans la capitale du pays qui exerce la présidence, à l'automne de l'année suivante.",
];

const DE: &str = "Die Minister der drei Länder haben sich im Frühjahr getroffen, um über die Zusammenarbeit zu sprechen. Sie haben über die Zukunft der Europäischen Union und über die Folgen des Krieges für die Wirtschaft der Region gesprochen.";

/// Two pages, `left` in the left column and `right` in the right one, a running head and a
/// folio on each page; the last paragraph of each language is cut after its tenth word and
/// ends on page 2.
fn side_by_side(left: &[&str], right: &[&str]) -> Vec<u8> {
    let cut = |paras: &[&str]| {
        let last: Vec<&str> = paras[paras.len() - 1].split(' ').collect();
        let mut first: Vec<String> = paras[..paras.len() - 1]
            .iter()
            .map(|p| p.to_string())
            .collect();
        first.push(last[..10].join(" "));
        (first, vec![last[10..].join(" ")])
    };
    let (l1, l2) = cut(left);
    let (r1, r2) = cut(right);
    let page = |n: usize, l: &[String], r: &[String]| {
        let l: Vec<&str> = l.iter().map(String::as_str).collect();
        let r: Vec<&str> = r.iter().map(String::as_str).collect();
        let mut lines = vec![TextLine::new(
            150.0,
            30.0,
            "BENELUX JOURNAL - JOURNAL BENELUX",
        )];
        lines.extend(column(&l, 40.0, 80.0, 40));
        lines.extend(column(&r, 310.0, 80.0, 40));
        lines.push(TextLine::new(290.0, 800.0, &n.to_string()));
        lines
    };
    pdf(&[page(1, &l1, &r1), page(2, &l2, &r2)])
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_owned()
}

fn run_ok(args: &[&str]) -> String {
    let out = diptych(&[&["run"], args].concat());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        out.status.success(),
        "diptych run {args:?} failed: {stderr}"
    );
    stderr
}

fn blocks(out: &Path) -> Vec<Value> {
    std::fs::read_to_string(out.join("blocks.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn texts(blocks: &[Value], lang: &str) -> Vec<String> {
    blocks
        .iter()
        .filter(|b| b["lang"] == lang)
        .map(|b| b["text"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn two_columns_give_both_documents_with_pages_and_boxes() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "report.pdf", &side_by_side(&NL, &FR));
    let out = dir.path().join("out");
    let summary = run_ok(&[&input, "--out", out.to_str().unwrap()]);
    assert!(
        summary.contains("languages: nl (Dutch), fr (French)"),
        "{summary}"
    );
    let blocks = blocks(&out);
    assert_eq!(texts(&blocks, "nl"), NL, "{blocks:?}");
    assert_eq!(texts(&blocks, "fr"), FR);
    assert!(blocks
        .iter()
        .all(|b| !b["text"].as_str().unwrap().contains("JOURNAL")));
    let regions = blocks[1]["regions"].as_array().unwrap();
    assert_eq!(regions[0]["page"], 1);
    assert_eq!(regions[0]["bbox"].as_array().unwrap().len(), 4);
    let last = blocks.iter().rfind(|b| b["lang"] == "nl").unwrap();
    let pages: Vec<&Value> = last["regions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["page"])
        .collect();
    assert_eq!(pages, [1, 2], "the cut paragraph keeps both pieces");
    let tmx = std::fs::read_to_string(out.join("memory.tmx")).unwrap();
    assert!(
        tmx.contains(r#"<prop type="x-pages">"#),
        "TMX carries the pages"
    );
    let review = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(review.contains("report.pdf#page=1"));
    let layout = std::fs::read_to_string(out.join("layout.html")).unwrap();
    assert!(layout.contains("<svg") && layout.contains("class=\"removed\""));
    assert!(layout.contains("nl-b1 nl"));
}

#[test]
fn french_on_the_left_comes_first() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "fr-nl.pdf", &side_by_side(&FR, &NL));
    let out = dir.path().join("out");
    let summary = run_ok(&[&input, "--out", out.to_str().unwrap()]);
    assert!(
        summary.contains("languages: fr (French), nl (Dutch)"),
        "{summary}"
    );
    assert_eq!(texts(&blocks(&out), "nl"), NL);
}

#[test]
fn a_third_language_is_kept_apart_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let mut pages = vec![];
    let mut first = column(&NL[..3], 40.0, 80.0, 40);
    first.extend(column(&FR[..3], 310.0, 80.0, 40));
    pages.push(first);
    let second = "Das Parlament hat den Bericht nach einer langen Sitzung angenommen, in der alle Fraktionen das Wort ergriffen haben.";
    pages.push(column(&[DE, second], 40.0, 80.0, 90));
    let input = write(dir.path(), "three.pdf", &pdf(&pages));
    let out = dir.path().join("out");
    let summary = run_ok(&[&input, "--out", out.to_str().unwrap()]);
    assert!(
        summary.contains("other languages: de 2 blocks"),
        "{summary}"
    );
    let others = std::fs::read_to_string(out.join("others.jsonl")).unwrap();
    assert_eq!(others.lines().count(), 2);
    assert!(others.contains("\"lang\":\"de\""));
    assert!(others.contains("\"page\":2"));
}

#[test]
fn two_one_language_pdfs_are_a_pair() {
    let dir = tempfile::tempdir().unwrap();
    let src = write(dir.path(), "nl.pdf", &pdf(&[column(&NL, 40.0, 80.0, 80)]));
    let tgt = write(dir.path(), "fr.pdf", &pdf(&[column(&FR, 40.0, 80.0, 80)]));
    let out = dir.path().join("out");
    let summary = run_ok(&["--src", &src, "--tgt", &tgt, "--out", out.to_str().unwrap()]);
    assert!(
        summary.contains("languages: nl (Dutch), fr (French)"),
        "{summary}"
    );
    assert_eq!(texts(&blocks(&out), "fr"), FR);
}

/// Runs on a bad PDF: exit 2, one line on stderr containing `expected`, no output folder.
fn refused(name: &str, bytes: &[u8], extra: &[&str], expected: &str) {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), name, bytes);
    let out = dir.path().join("out");
    let output = diptych(&[&["run", &input, "--out", out.to_str().unwrap()], extra].concat());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2), "{name}: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{name}: {stderr}");
    assert!(stderr.contains(expected), "{name}: {stderr}");
    assert!(!out.exists(), "{name}: nothing is written");
}

#[test]
fn bad_pdfs_are_refused_with_one_line() {
    let good = side_by_side(&NL, &FR);
    refused(
        "cut.pdf",
        &good[..good.len() / 3],
        &[],
        "not a readable PDF",
    );
    refused(
        "downloading.pdf",
        &good[..good.len() - 20],
        &[],
        "not a readable PDF: the file is cut short",
    );
    refused(
        "fake.pdf",
        b"this is not a PDF at all",
        &[],
        "not a readable PDF",
    );
    refused(
        "locked.pdf",
        &encrypted_pdf(&[column(&NL, 40.0, 80.0, 40)]),
        &[],
        "encrypted",
    );
    refused(
        "scan.pdf",
        &pdf(&[vec![], vec![]]),
        &[],
        "no text layer: OCR it first",
    );
    refused(
        "dutch.pdf",
        &pdf(&[column(&NL, 40.0, 80.0, 80)]),
        &[],
        "only one language found (nl)",
    );
    refused(
        "pair.pdf",
        &good,
        &["--langs", "en,de"],
        "the languages asked for (en,de) are not both in the input",
    );
    // A file on which the PDF library itself panics (found by fuzzing): one line too.
    let panics = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fuzz/regressions/pdf/library-panic-object-header.pdf"),
    )
    .unwrap();
    refused("panics.pdf", &panics, &[], "not a readable PDF");
}
