//! End-to-end tests of `diptych export`: the binary's outputs against the format schemas,
//! against two real consumers (translate-toolkit and the OmegaT CAT tool), against golden files
//! read by eye, and back through diptych's own reader.
//!
//! The input is `tests/data/export/benelux-sample.bitext.json`: real sentences of the
//! reference report (plus one made-up paragraph with `&` and `<`, which the report lacks),
//! kept in step with the core crate's test data by a core unit test.
//!
//! Tests that need an external tool fail when `CI` is set and the tool is missing, and are
//! skipped with a note otherwise.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use diptych_core::Bitext;

const SAMPLE: &str = "tests/data/export/benelux-sample.bitext.json";
const FINDINGS: &str = "tests/data/export/benelux-sample.findings.json";
const GOLDEN: &str = "tests/data/export/golden";
const REPORT: &str = "examples/benelux-2022/report.nl-fr.txt";
const SPECIAL: [&str; 6] = ["’", "–", "Š", "ë", "&", "<"];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs diptych with the test binary's shared Frog server (started once, not per command).
fn diptych(args: &[&str]) -> Output {
    diptych_testkit::frog::with_frog(&mut Command::new(env!("CARGO_BIN_EXE_diptych")))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the diptych binary runs")
}

/// Runs `diptych export SAMPLE --format FORMAT ARGS.. --out DIR/NAME` and returns the path.
fn export(dir: &Path, name: &str, format: &str, args: &[&str]) -> PathBuf {
    let out = dir.join(name);
    let mut all = vec!["export", SAMPLE, "--format", format];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--out", out.to_str().unwrap()]);
    let run = diptych(&all);
    assert!(
        run.status.success(),
        "diptych {all:?} failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    out
}

/// `diptych run` on the reference report: the run folder (inside the returned temp dir).
fn real_run() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let run = diptych(&["run", REPORT, "--out", out.to_str().unwrap()]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    (dir, out)
}

fn sample() -> Bitext {
    let text = std::fs::read_to_string(root().join(SAMPLE)).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Whether an external tool is usable (`probe` succeeds): missing fails under CI, and skips
/// otherwise.
fn have(tool: &str, probe: &mut Command) -> bool {
    let ok = probe.output().is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "{tool} is required under CI (scripts/setup installs it)"
        );
        eprintln!("skipped: {tool} is not installed");
    }
    ok
}

fn run_ok(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn tmx_is_valid_against_the_tmx14_dtd() {
    if !have("xmllint", Command::new("xmllint").arg("--version")) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for (name, args) in [
        (
            "s.tmx",
            vec!["--findings", FINDINGS, "--lang-codes", "nl-BE,fr-BE"],
        ),
        (
            "b.tmx",
            vec!["--unit", "block", "--creation-date", "20230617T000000Z"],
        ),
        ("strict.tmx", vec!["--only-1to1"]),
    ] {
        let tmx = export(dir.path(), name, "tmx", &args);
        xmllint_dtd(&tmx);
    }
    // What `diptych run` writes by default on the reference report.
    let (_keep, run) = real_run();
    xmllint_dtd(&run.join("memory.tmx"));
}

fn xmllint_dtd(tmx: &Path) {
    run_ok(Command::new("xmllint").current_dir(root()).args([
        "--noout",
        "--dtdvalid",
        "tests/data/schemas/tmx14.dtd",
        tmx.to_str().unwrap(),
    ]));
}

#[test]
fn xliff_is_valid_against_the_core_and_metadata_schemas() {
    if !have("xmllint", Command::new("xmllint").arg("--version")) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let xlf = export(dir.path(), "r.xlf", "xliff", &["--findings", FINDINGS]);
    let blocks = export(dir.path(), "b.xlf", "xliff", &["--unit", "block"]);
    let (_keep, run) = real_run();
    for file in [&xlf, &blocks, &run.join("review.xlf")] {
        for schema in [
            "tests/data/schemas/xliff-2.1/xliff_core_2.0.xsd",
            // The core schema skips module content (lax); this bundle adds the mda schema.
            "tests/data/xliff-2.1-with-modules.xsd",
        ] {
            run_ok(Command::new("xmllint").current_dir(root()).args([
                "--noout",
                "--schema",
                schema,
                file.to_str().unwrap(),
            ]));
        }
    }
}

/// What translate-toolkit reads: languages and (source, target) of every unit, as JSON.
const TT_READ: &str = r#"
import json, sys
from translate.storage import tmx, xliff2
path = sys.argv[1]
if path.endswith(".tmx"):
    store = tmx.tmxfile.parsefile(path)
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    langs = sorted({n.get(xml_lang) for u in store.units for n in u.getlanguageNodes()})
    src = store.getsourcelanguage()
else:
    store = xliff2.Xliff2File.parsefile(path)
    langs = sorted([store.getsourcelanguage(), store.gettargetlanguage()])
    src = store.getsourcelanguage()
units = [[str(u.source), str(u.target)] for u in store.units]
print(json.dumps({"src": src, "langs": langs, "units": units}))
"#;

/// Bead texts of a bitext: all beads, and only those with two sides (what TMX holds).
fn bead_texts(bitext: &Bitext) -> (Vec<[String; 2]>, Vec<[String; 2]>) {
    let all: Vec<[String; 2]> = bitext.beads.iter().map(|b| bitext.bead_texts(b)).collect();
    let pairs = all
        .iter()
        .filter(|t| t.iter().all(|s| !s.is_empty()))
        .cloned()
        .collect();
    (all, pairs)
}

/// translate-toolkit reads `file` with source language `src`, languages `langs` (sorted) and
/// exactly the `expected` units.
fn translate_toolkit_reads(file: &Path, src: &str, langs: [&str; 2], expected: &[[String; 2]]) {
    let json = run_ok(Command::new("python3").args(["-c", TT_READ, file.to_str().unwrap()]));
    let read: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(read["src"], src, "{}", file.display());
    assert_eq!(
        read["langs"],
        serde_json::json!(langs),
        "{}",
        file.display()
    );
    let units: Vec<[String; 2]> = serde_json::from_value(read["units"].clone()).unwrap();
    assert_eq!(units.len(), expected.len(), "{}", file.display());
    assert_eq!(units, expected, "{}", file.display());
}

#[test]
fn translate_toolkit_reads_our_tmx_and_xliff() {
    let probe = "import translate.storage.tmx, translate.storage.xliff2";
    if !have(
        "translate-toolkit",
        Command::new("python3").args(["-c", probe]),
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let codes = ["--lang-codes", "nl-BE,fr-BE"];
    let tmx = export(dir.path(), "m.tmx", "tmx", &codes);
    // With findings: notes and ITS quality issues must not disturb a reader.
    let with_findings = [&codes[..], &["--findings", FINDINGS]].concat();
    let xlf = export(dir.path(), "r.xlf", "xliff", &with_findings);
    // TMX leaves out the beads with an empty side; XLIFF keeps every bead.
    let (all, pairs) = bead_texts(&sample());
    translate_toolkit_reads(&tmx, "nl-BE", ["fr-BE", "nl-BE"], &pairs);
    translate_toolkit_reads(&xlf, "nl-BE", ["fr-BE", "nl-BE"], &all);
    let text = all.concat().concat();
    for special in SPECIAL {
        assert!(text.contains(special), "{special} missing from the sample");
    }
    // The default exports of a run on the reference report.
    let (_keep, run) = real_run();
    let (all, pairs) = bead_texts(&diptych_core::pipeline::load_run_dir(&run).unwrap());
    assert!(pairs.len() > 100, "{} beads", pairs.len());
    translate_toolkit_reads(&run.join("memory.tmx"), "nl", ["fr", "nl"], &pairs);
    translate_toolkit_reads(&run.join("review.xlf"), "nl", ["fr", "nl"], &all);
}

/// The Dutch document as OmegaT sees it: one paragraph per block.
fn dutch_document(bitext: &Bitext) -> String {
    let blocks: Vec<&str> = bitext.src.blocks.iter().map(|b| b.text.as_str()).collect();
    blocks.join("\n\n") + "\n"
}

/// The 1:1 pairs of some bitexts as a memory: Dutch sentence -> French sentence.
fn exact_matches(bitexts: &[&Bitext]) -> HashMap<String, String> {
    let mut memory = HashMap::new();
    for bitext in bitexts {
        for bead in bitext.beads.iter().filter(|b| b.shape() == (1, 1)) {
            let dutch = bitext.src.sentences[bead.src.start].text.clone();
            let french = bitext.tgt.sentences[bead.tgt.start].text.clone();
            let previous = memory.insert(dutch, french.clone());
            assert!(previous.is_none_or(|p| p == french), "conflicting memories");
        }
    }
    memory
}

/// The Dutch document with every sentence found in `memory` replaced by its French: what a
/// CAT tool should produce by exact matches alone.
fn expected_translation(bitext: &Bitext, memory: &HashMap<String, String>) -> String {
    let mut blocks: Vec<String> = bitext.src.blocks.iter().map(|b| b.text.clone()).collect();
    for s in bitext.src.sentences.iter().rev() {
        if let Some(french) = memory.get(&s.text) {
            blocks[s.block_index].replace_range(s.span[0]..s.span[1], french);
        }
    }
    blocks.join("\n\n") + "\n"
}

const OMEGAT_PROJECT: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
    <project version="1.0">
        <source_dir>__DEFAULT__</source_dir>
        <target_dir>__DEFAULT__</target_dir>
        <tm_dir>__DEFAULT__</tm_dir>
        <glossary_dir>__DEFAULT__</glossary_dir>
        <glossary_file>__DEFAULT__</glossary_file>
        <dictionary_dir>__DEFAULT__</dictionary_dir>
        <source_lang>nl</source_lang>
        <target_lang>fr</target_lang>
        <sentence_seg>true</sentence_seg>
        <support_default_translations>true</support_default_translations>
        <remove_tags>false</remove_tags>
    </project>
</omegat>
"#;

/// The one OmegaT run of this test binary (a JVM start takes seconds): a project whose
/// sources are the Dutch side of the sample and of the reference report (as `diptych run`
/// reads it), and whose `tm/auto/` holds our TMX of each, translated in console mode with
/// exact matches from those memories.
#[test]
fn omegat_fills_the_french_target_from_our_tmx() {
    if !have(
        "omegat",
        Command::new("sh").args(["-c", "command -v omegat"]),
    ) {
        return;
    }
    let sample = sample();
    let (_keep, run) = real_run();
    let report = diptych_core::pipeline::load_run_dir(&run).unwrap();
    let project = tempfile::tempdir().unwrap();
    let p = project.path();
    for dir in [
        "source",
        "target",
        "tm/auto",
        "glossary",
        "dictionary",
        "omegat",
    ] {
        std::fs::create_dir_all(p.join(dir)).unwrap();
    }
    std::fs::write(p.join("omegat.project"), OMEGAT_PROJECT).unwrap();
    std::fs::write(p.join("source/sample.txt"), dutch_document(&sample)).unwrap();
    std::fs::write(p.join("source/report.txt"), dutch_document(&report)).unwrap();
    export(
        &p.join("tm/auto"),
        "sample.tmx",
        "tmx",
        &["--lang-codes", "nl-BE,fr-BE"],
    );
    std::fs::copy(run.join("memory.tmx"), p.join("tm/auto/report.tmx")).unwrap();
    let home = tempfile::tempdir().unwrap();
    run_ok(
        Command::new("omegat")
            .arg("--mode=console-translate")
            .arg(p)
            // A fresh home keeps the user's OmegaT settings out; a heap cap keeps Java small.
            .env("HOME", home.path())
            .env("JAVA_TOOL_OPTIONS", "-Xmx512m"),
    );
    // Both memories serve both files: the sample's 2:2 and 1:0 sentences are 1:1 pairs in
    // the report's memory. The sample's 2:1 paragraph is in neither and stays Dutch.
    let memory = exact_matches(&[&sample, &report]);
    let target = std::fs::read_to_string(p.join("target/sample.txt")).unwrap();
    assert_eq!(target, expected_translation(&sample, &memory));
    assert!(target.contains("Šefik Džaferović") && target.contains("l’énergie"));
    assert!(target.contains("Zie de artikelen 5 & 6 van het Verdrag. De kosten bleven < 5 %."));

    // On the real report OmegaT segments the Dutch with its own rules, so a sentence it cuts
    // differently (e.g. after "Z.Exc.") finds no exact match and stays Dutch.
    let target = std::fs::read_to_string(p.join("target/report.txt")).unwrap();
    let ones: Vec<&diptych_core::Bead> = report
        .beads
        .iter()
        .filter(|b| b.shape() == (1, 1))
        .collect();
    let filled = ones
        .iter()
        .filter(|b| target.contains(&report.tgt.sentences[b.tgt.start].text))
        .count();
    eprintln!(
        "OmegaT filled {filled} of {} 1:1 sentences of the report",
        ones.len()
    );
    assert!(
        filled * 100 >= ones.len() * 95,
        "only {filled} of {} filled",
        ones.len()
    );
    for bead in &ones {
        let french = &report.tgt.sentences[bead.tgt.start].text;
        let dutch = &report.src.sentences[bead.src.start].text;
        assert!(
            target.contains(french) || target.contains(dutch),
            "lost: {dutch}"
        );
    }
}

fn golden_check(name: &str, actual: &str) {
    let path = root().join(GOLDEN).join(name);
    if std::env::var_os("BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == actual,
        "{} differs from the output (BLESS=1 rewrites it; review the diff)",
        path.display()
    );
}

#[test]
fn outputs_match_the_golden_files() {
    let dir = tempfile::tempdir().unwrap();
    let findings = ["--findings", FINDINGS];
    let cases: [(&str, &str, Vec<&str>); 5] = [
        (
            "benelux-sample.tmx",
            "tmx",
            [&findings[..], &["--lang-codes", "nl-BE,fr-BE"]].concat(),
        ),
        ("benelux-sample.xlf", "xliff", findings.to_vec()),
        (
            "benelux-sample.blocks.xlf",
            "xliff",
            vec!["--unit", "block"],
        ),
        (
            "benelux-sample.tsv",
            "tsv",
            vec!["--lang-codes", "nl-BE,fr-BE"],
        ),
        ("benelux-sample.jsonl", "jsonl", findings.to_vec()),
    ];
    for (name, format, args) in cases {
        let out = export(dir.path(), name, format, &args);
        golden_check(name, &std::fs::read_to_string(out).unwrap());
    }
}

#[test]
fn special_characters_survive_every_format() {
    let dir = tempfile::tempdir().unwrap();
    for format in ["tsv", "jsonl"] {
        let out = export(dir.path(), &format!("x.{format}"), format, &[]);
        let text = std::fs::read_to_string(out).unwrap();
        for special in SPECIAL {
            assert!(text.contains(special), "{special} lost in {format}");
        }
    }
    // In XML the markup characters are escaped: read the files back to see them.
    for (format, name) in [("tmx", "x.tmx"), ("xliff", "x.xlf")] {
        let out = export(dir.path(), name, format, &[]);
        let back = diptych_core::export::read_memory(&out).unwrap();
        let text: String = back
            .src
            .sentences
            .iter()
            .chain(&back.tgt.sentences)
            .map(|s| s.text.as_str())
            .collect();
        for special in SPECIAL {
            assert!(text.contains(special), "{special} lost in {format}");
        }
    }
}

#[test]
fn round_trip_through_the_binary_gives_back_the_beads() {
    let bitext = sample();
    let dir = tempfile::tempdir().unwrap();
    let xlf = export(dir.path(), "r.xlf", "xliff", &[]);
    // XLIFF -> JSONL: every bead, same sentences, shapes and order.
    let again = dir.path().join("again.jsonl");
    let run = diptych(&[
        "export",
        xlf.to_str().unwrap(),
        "-f",
        "jsonl",
        "-o",
        again.to_str().unwrap(),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let first = export(dir.path(), "first.jsonl", "jsonl", &[]);
    let strip = |path: &Path| -> Vec<serde_json::Value> {
        std::fs::read_to_string(path)
            .unwrap()
            .lines()
            .map(|l| {
                let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
                v.as_object_mut().unwrap().remove("document");
                v
            })
            .collect()
    };
    assert_eq!(strip(&again), strip(&first));
    assert_eq!(strip(&first).len(), bitext.beads.len());
    // TMX -> TMX: the same memory again (TMX had already left the 1:0 bead out).
    let tmx = export(dir.path(), "m.tmx", "tmx", &["--lang-codes", "nl-BE,fr-BE"]);
    let tmx2 = dir.path().join("m2.tmx");
    let run = diptych(&[
        "export",
        tmx.to_str().unwrap(),
        "-f",
        "tmx",
        "--lang-codes",
        "nl-BE,fr-BE",
        "-o",
        tmx2.to_str().unwrap(),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let tus = |p: &Path| {
        let text = std::fs::read_to_string(p).unwrap();
        let body = text[text.find("<body>").unwrap()..].to_owned();
        // Bead indices and tuids are renumbered without the gap bead; the rest is identical.
        body.lines()
            .filter(|l| !l.contains("x-bead") && !l.contains("tuid") && !l.contains("x-ids"))
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert_eq!(tus(&tmx2), tus(&tmx));
}

#[test]
fn exports_of_a_run_folder_read_back_to_its_beads() {
    let (keep, run) = real_run();
    let bitext = diptych_core::pipeline::load_run_dir(&run).unwrap();
    for (format, name) in [("xliff", "r.xlf"), ("tmx", "m.tmx")] {
        let out = keep.path().join(name);
        let args = [
            "export",
            run.to_str().unwrap(),
            "-f",
            format,
            "-o",
            out.to_str().unwrap(),
        ];
        let done = diptych(&args);
        assert!(
            done.status.success(),
            "{}",
            String::from_utf8_lossy(&done.stderr)
        );
        let back = diptych_core::export::read_memory(&out).unwrap();
        let shapes = |b: &Bitext| {
            b.beads
                .iter()
                .map(|b| (b.src.clone(), b.tgt.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(shapes(&back), shapes(&bitext), "{format}");
        assert_eq!(back.src.sentences, bitext.src.sentences, "{format}");
        assert_eq!(back.tgt.sentences, bitext.tgt.sentences, "{format}");
    }
    // The run's own memory.tmx is what `export --format tmx` writes.
    let exported = std::fs::read_to_string(keep.path().join("m.tmx")).unwrap();
    assert_eq!(
        std::fs::read_to_string(run.join("memory.tmx")).unwrap(),
        exported
    );
}

#[test]
fn run_accepts_a_memory_and_keeps_its_beads() {
    let dir = tempfile::tempdir().unwrap();
    let xlf = export(dir.path(), "sample.xlf", "xliff", &[]);
    let out = dir.path().join("again");
    let done = diptych(&["run", xlf.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let again = diptych_core::pipeline::load_run_dir(&out).unwrap();
    let sample = sample();
    assert_eq!(again.beads.len(), sample.beads.len());
    let texts = |b: &Bitext| b.beads.iter().map(|x| b.bead_texts(x)).collect::<Vec<_>>();
    assert_eq!(texts(&again), texts(&sample));
    assert_eq!(again.src.sentences, sample.src.sentences);
    // The run folder's own memory, read by run, gives the same TMX again (the 1:0 bead was
    // already left out of the first one).
    let out2 = dir.path().join("twice");
    let memory = out.join("memory.tmx");
    let done = diptych(&[
        "run",
        memory.to_str().unwrap(),
        "--out",
        out2.to_str().unwrap(),
        "--name",
        "benelux-2022",
    ]);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let tus = |p: &Path| {
        let text = std::fs::read_to_string(p).unwrap();
        text.lines()
            .filter(|l| {
                !l.contains("x-bead")
                    && !l.contains("tuid")
                    && !l.contains("x-ids")
                    && !l.contains("x-gap")
            })
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert_eq!(tus(&out2.join("memory.tmx")), tus(&memory));
}

/// The real checks' findings on the reference report travel into valid TMX and XLIFF, and a
/// memory read back is checked exactly like the bitext it was made from.
#[test]
fn real_findings_are_carried_and_memories_check_like_the_original() {
    use diptych_core::check::{check_names, run_checks, CheckOptions};
    let (keep, run) = real_run();
    let bitext = diptych_core::pipeline::load_run_dir(&run).unwrap();
    // Spelling suggestions take most of the time in a debug build; its findings are like the
    // others' for export.
    let options = || CheckOptions {
        only: check_names()
            .into_iter()
            .filter(|&c| c != "spelling")
            .map(str::to_owned)
            .collect(),
        ..CheckOptions::standard()
    };
    let report = run_checks(&bitext, &options());
    assert!(!report.findings.is_empty());
    eprintln!("{} findings on the report", report.findings.len());
    let findings = keep.path().join("findings.json");
    std::fs::write(&findings, serde_json::to_string(&report.findings).unwrap()).unwrap();
    let exported = |format: &str, name: &str| {
        let out = keep.path().join(name);
        let args = [
            "export",
            run.to_str().unwrap(),
            "-f",
            format,
            "--findings",
            findings.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ];
        let done = diptych(&args);
        assert!(
            done.status.success(),
            "{}",
            String::from_utf8_lossy(&done.stderr)
        );
        out
    };
    let xlf = exported("xliff", "r.xlf");
    let tmx = exported("tmx", "m.tmx");
    let xliff_text = std::fs::read_to_string(&xlf).unwrap();
    assert_eq!(xliff_text.matches("<note ").count(), report.findings.len());
    let tmx_text = std::fs::read_to_string(&tmx).unwrap();
    let about_beads = report.findings.iter().filter(|f| f.bead.is_some()).count();
    assert_eq!(
        tmx_text.matches(r#"<prop type="x-finding">"#).count(),
        about_beads
    );
    if have("xmllint", Command::new("xmllint").arg("--version")) {
        xmllint_dtd(&tmx);
        run_ok(Command::new("xmllint").current_dir(root()).args([
            "--noout",
            "--schema",
            "tests/data/xliff-2.1-with-modules.xsd",
            xlf.to_str().unwrap(),
        ]));
    }
    for memory in [&xlf, &tmx] {
        let back = diptych_core::export::read_memory(memory).unwrap();
        let again = run_checks(&back, &options());
        assert_eq!(again.findings, report.findings, "{}", memory.display());
    }
}

/// Runs diptych and expects the one-line error and exit code 2.
fn fails_with(args: &[&str], expected: &str) {
    let run = diptych(args);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("diptych: error: "), "{stderr}");
    assert!(
        stderr.contains(expected),
        "{stderr} should say {expected:?}"
    );
}

#[test]
fn bad_memories_and_options_give_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let broken = write("broken.tmx", "<tmx version=\"1.4\">\n<header srclang=\"nl\"/>\n<body>\n<tu><tuv xml:lang=\"nl\"><seg>a</seg></tuv>\n<tuv xml:lang=\"fr\"><seg>b</tuv></tu>\n</body></tmx>\n");
    fails_with(
        &["export", &broken, "-f", "tsv"],
        "broken.tmx:5: malformed XML",
    );
    let no_lang = write("nolang.tmx", "<tmx version=\"1.4\">\n<header srclang=\"nl\"/>\n<body>\n<tu><tuv xml:lang=\"nl\"><seg>a</seg></tuv>\n<tuv><seg>b</seg></tuv></tu>\n</body></tmx>\n");
    fails_with(
        &["export", &no_lang, "-f", "tsv"],
        "nolang.tmx:5: <tuv> without xml:lang",
    );
    let one = write("one.xlf", "<?xml version=\"1.0\"?>\n<xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" version=\"2.1\" srcLang=\"nl\">\n<file id=\"f\"><unit id=\"u\"><segment><source>a</source></segment></unit></file>\n</xliff>\n");
    fails_with(
        &["export", &one, "-f", "tsv"],
        "one.xlf:2: only one language (nl)",
    );
    fails_with(
        &["export", SAMPLE, "-f", "docx"],
        "unknown export format \"docx\"",
    );
    fails_with(
        &["export", SAMPLE, "-f", "tmx", "--lang-codes", "fr-BE,nl-BE"],
        "does not name Dutch",
    );
    fails_with(
        &["export", SAMPLE, "-f", "tmx", "--unit", "page"],
        "unknown unit \"page\"",
    );
    let out = dir.path().join("no/such/dir/m.tmx");
    fails_with(
        &["export", SAMPLE, "-f", "tmx", "-o", out.to_str().unwrap()],
        "no/such/dir",
    );
}

#[test]
fn writes_to_standard_output_without_out() {
    let run = diptych(&["export", SAMPLE, "--format", "tsv", "--only-1to1"]);
    assert!(run.status.success());
    let text = String::from_utf8(run.stdout).unwrap();
    let ones = sample()
        .beads
        .iter()
        .filter(|b| b.shape() == (1, 1))
        .count();
    assert_eq!(text.lines().count(), 1 + ones);
    assert_eq!(text.lines().next(), Some("nl\tfr"));
}
