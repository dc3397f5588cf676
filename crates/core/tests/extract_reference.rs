//! The activity record's cross-language agreement and timeline on the reference report, read
//! through the real pipeline (ingest, segment, align).

use std::path::Path;

use diptych_core::extract::{activities, agreement_findings, timeline_svg};
use diptych_core::pipeline::{build_bitext, Input, RunOptions};
use diptych_core::{Bitext, Lang, Severity};

fn reference() -> Bitext {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/benelux-2022/report.nl-fr.txt");
    build_bitext(&Input::Woven(path), &RunOptions::default()).unwrap()
}

/// Replaces `from` by `to` in the block of `lang` that holds it, and in its sentence.
fn edit(bitext: &mut Bitext, lang: Lang, from: &str, to: &str) {
    let doc = if bitext.src.lang == Some(lang) {
        &mut bitext.src
    } else {
        &mut bitext.tgt
    };
    let block = doc
        .blocks
        .iter_mut()
        .find(|b| b.text.contains(from))
        .unwrap();
    assert_eq!(from.len(), to.len(), "keep spans valid");
    block.text = block.text.replacen(from, to, 1);
    let id = block.id.clone();
    for s in doc.sentences.iter_mut().filter(|s| s.block == id) {
        s.text = s.text.replacen(from, to, 1);
    }
}

#[test]
fn the_reference_versions_agree() {
    let b = reference();
    let acts = activities(&b);
    let findings = agreement_findings(&b, &acts);
    // Every date, place and partner agrees (`de Russische agressie` and `l'agression de la
    // Russie` both name Russia). The French title misspells the Greater Region (`Grand
    // Région`, unknown to the gazetteer) where the Dutch has `Grande Région`: one letter
    // away, the same partner; the misspelling is the consistency check's finding.
    assert!(findings.is_empty(), "{findings:#?}");
    assert!(acts
        .iter()
        .any(|a| a.titles[&Lang::FR].contains("Grand Région")));
}

#[test]
fn a_changed_date_or_place_in_one_version_is_found() {
    let mut b = reference();
    edit(&mut b, Lang::FR, "le 28 novembre", "le 29 novembre");
    edit(
        &mut b,
        Lang::NL,
        "in Den Haag bijeengekomen",
        "in Lelystad bijeengekomen",
    );
    let acts = activities(&b);
    let findings = agreement_findings(&b, &acts);
    let dates: Vec<_> = findings
        .iter()
        .filter(|f| f.message.starts_with("date"))
        .collect();
    assert_eq!(dates.len(), 2, "{findings:#?}");
    assert_eq!(dates[0].evidence[&Lang::NL], "28 november");
    assert_eq!(dates[1].evidence[&Lang::FR], "29 novembre");
    assert!(dates.iter().all(|f| f.severity == Severity::Warning));
    assert!(
        dates[0].message.contains("Benelux-Top"),
        "{}",
        dates[0].message
    );
    // `Lelystad` is not in the gazetteer: the unknown place is kept and reported as written.
    let places: Vec<&str> = findings
        .iter()
        .filter(|f| f.message.starts_with("place"))
        .map(|f| f.evidence.values().next().unwrap().as_str())
        .collect();
    assert!(places.contains(&"Lelystad"), "{findings:#?}");
}

#[test]
fn the_timeline_links_every_activity_to_its_block() {
    let b = reference();
    let acts = activities(&b);
    let svg = timeline_svg(&acts);
    assert_eq!(svg.matches("<a href=\"#").count(), acts.len());
    for a in &acts {
        assert!(svg.contains(&format!("<a href=\"#{}\">", a.blocks[0])));
    }
    let undated = acts.iter().filter(|a| a.dates.is_empty()).count();
    assert_eq!(undated, 5);
    assert_eq!(svg.matches("<title>undated – ").count(), undated);
    assert!(svg.contains(">2022-02<") && svg.contains(">2022-12<"));
}
