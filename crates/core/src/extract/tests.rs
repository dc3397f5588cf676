//! Tests of the activity record over small hand-built bitexts.

use super::*;
use crate::model::{Block, BlockKind, Place, Sentence};

/// The places or partners of an activity as canonical names.
fn names(list: &[Place]) -> Vec<&str> {
    list.iter().map(|p| p.name.as_str()).collect()
}

use BlockKind::{Heading as H, Item as I, Paragraph as P, Title as T};

/// A document with one sentence per block.
fn doc(lang: Lang, blocks: &[(BlockKind, &str)]) -> Document {
    let blocks: Vec<Block> = blocks
        .iter()
        .enumerate()
        .map(|(i, (kind, text))| Block {
            id: format!("{lang}-b{i}"),
            lang,
            kind: *kind,
            level: 0,
            text: text.to_string(),
            source_lines: [i + 1, i + 1],
            joined_from: vec![],
            lang_confidence: 1.0,
            regions: vec![],
            note: None,
        })
        .collect();
    let sentences = blocks
        .iter()
        .enumerate()
        .map(|(i, b)| Sentence {
            id: format!("{lang}-s{i}"),
            lang,
            block: b.id.clone(),
            block_index: i,
            span: [0, b.text.len()],
            text: b.text.clone(),
        })
        .collect();
    Document {
        lang: Some(lang),
        blocks,
        sentences,
    }
}

fn bitext(src: Document, tgt: Document) -> Bitext {
    let n = src.sentences.len().min(tgt.sentences.len());
    Bitext {
        name: "test".into(),
        beads: (0..n)
            .map(|i| crate::Bead::new(i..i + 1, i..i + 1, 1.0))
            .collect(),
        src,
        tgt,
        block_beads: vec![],
    }
}

/// A French-first report of another year, whose period spans two calendar years.
fn report() -> Bitext {
    let fr = doc(
        Lang::FR,
        &[
            (T, "Rapport commun Benelux (1er juillet 2023 – 30 juin 2024)"),
            (H, "Coopération avec les pays voisins"),
            (H, "Niveau ministériel"),
            (I, "Réunion des ministres à Bruxelles"),
            (P, "Les ministres se sont réunis le 3 février à Bruxelles avec leurs homologues baltes, en présence du ministre, Anna Schmidt."),
            (I, "Visite à Esch-Belval"),
            (P, "En décembre, les ministres ont visité le site à Esch-Belval avec la Grande Région."),
            (H, "Coopération aux Nations Unies"),
            (I, "Débat public du Conseil de sécurité"),
            (P, "Le 12 octobre 2023, l'Ambassadeur Gafoor a parlé à New York."),
        ],
    );
    let nl = doc(
        Lang::NL,
        &[
            (T, "Gemeenschappelijk Benelux-verslag (1 juli 2023 – 30 juni 2024)"),
            (H, "Samenwerking met de buurlanden"),
            (H, "Ministerieel niveau"),
            (I, "Vergadering van de ministers in Brussel"),
            (P, "De ministers kwamen op 3 februari in Brussel bijeen met hun Baltische ambtsgenoten, in aanwezigheid van de minister, Anna Schmidt."),
            (I, "Bezoek aan Esch-Belval"),
            (P, "In december bezochten de ministers de site te Esch-Belval met de Grande Région."),
            (H, "Samenwerking in de Verenigde Naties"),
            (I, "Open debat van de Veiligheidsraad"),
            (P, "Op 12 oktober 2023 sprak ambassadeur Gafoor in New York."),
        ],
    );
    bitext(fr, nl)
}

#[test]
fn one_activity_per_item_with_sections_levels_and_blocks() {
    let acts = activities(&report());
    assert_eq!(acts.len(), 3);
    let a = &acts[0];
    assert_eq!(a.titles[&Lang::FR], "Réunion des ministres à Bruxelles");
    assert_eq!(
        a.titles[&Lang::NL],
        "Vergadering van de ministers in Brussel"
    );
    assert_eq!(a.section[&Lang::FR], "Coopération avec les pays voisins");
    assert_eq!(a.section[&Lang::NL], "Samenwerking met de buurlanden");
    assert_eq!(a.level, Level::Ministerial);
    assert_eq!(a.blocks, ["fr-b3", "fr-b4", "nl-b3", "nl-b4"]);
    // Not under a level heading: the level comes from the words (an ambassador).
    assert_eq!(acts[2].section[&Lang::FR], "Coopération aux Nations Unies");
    assert_eq!(acts[2].level, Level::SeniorOfficials);
}

#[test]
fn dates_take_the_year_of_the_period_they_fall_in() {
    let acts = activities(&report());
    // 3 February falls in 2024 of a July 2023 - June 2024 period; December in 2023.
    assert_eq!(acts[0].dates, ["2024-02-03"]);
    assert_eq!(acts[1].dates, ["2023-12"]);
    assert_eq!(acts[2].dates, ["2023-10-12"]);
}

#[test]
fn places_partners_people_and_unknown_names() {
    let acts = activities(&report());
    assert_eq!(names(&acts[0].places), ["Brussels"]);
    assert_eq!(acts[0].places[0].written[&Lang::FR], "Bruxelles");
    assert_eq!(acts[0].places[0].written[&Lang::NL], "Brussel");
    assert_eq!(names(&acts[0].partners), ["Baltic states"]);
    assert_eq!(acts[0].people, ["Anna Schmidt"]);
    // An unknown place is kept as written, in both languages, not in the gazetteer.
    assert_eq!(names(&acts[1].places), ["Esch-Belval"]);
    assert!(!acts[1].places[0].in_gazetteer);
    assert_eq!(acts[1].places[0].written.len(), 2);
    assert_eq!(names(&acts[1].partners), ["Greater Region"]);
    // The report's own countries are not partners; the UN body is.
    assert_eq!(names(&acts[2].places), ["New York"]);
    assert_eq!(names(&acts[2].partners), ["UN Security Council"]);
    assert_eq!(acts[2].people, ["Gafoor"]);
}

#[test]
fn agreement_findings_name_what_one_side_lacks() {
    let mut b = report();
    // The Dutch says 4 February and drops the Baltic colleagues.
    b.tgt.blocks[4].text = "De ministers kwamen op 4 februari in Brussel bijeen, in aanwezigheid van de minister, Anna Schmidt.".into();
    b.tgt.sentences[4].text = b.tgt.blocks[4].text.clone();
    b.tgt.sentences[4].span = [0, b.tgt.blocks[4].text.len()];
    let acts = activities(&b);
    assert_eq!(acts[0].dates, ["2024-02-03", "2024-02-04"]);
    let findings = agreement_findings(&b, &acts);
    let messages: Vec<&str> = findings.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(findings.len(), 3, "{messages:#?}");
    assert!(findings.iter().all(|f| f.check == AGREEMENT_CHECK));
    let date = &findings[0];
    assert_eq!(date.lang, Some(Lang::FR));
    assert_eq!(date.evidence[&Lang::FR], "3 février");
    assert_eq!(date.severity, crate::Severity::Warning);
    assert_eq!(date.bead, Some(4));
    assert_eq!(date.highlights[0].sentence, 4);
    let partner = findings
        .iter()
        .find(|f| f.message.starts_with("partner"))
        .unwrap();
    assert_eq!(partner.evidence[&Lang::FR], "baltes");
    assert!(findings
        .iter()
        .any(|f| f.lang == Some(Lang::NL) && f.evidence[&Lang::NL] == "4 februari"));
    // The untouched report agrees with itself.
    assert!(agreement_findings(&report(), &activities(&report())).is_empty());
}

#[test]
fn items_without_a_counterpart_are_kept() {
    let mut b = report();
    b.tgt.blocks.truncate(7);
    b.tgt.sentences.truncate(7);
    b.block_beads = (0..7)
        .map(|i| crate::Bead::new(i..i + 1, i..i + 1, 1.0))
        .collect();
    let acts = activities(&b);
    assert_eq!(acts.len(), 3);
    assert_eq!(acts[2].titles.len(), 1);
    assert_eq!(acts[2].blocks, ["fr-b8", "fr-b9"]);
}

#[test]
fn no_items_no_activities() {
    let b = bitext(
        doc(Lang::NL, &[(T, "Verslag"), (P, "Tekst.")]),
        doc(Lang::FR, &[(T, "Rapport"), (P, "Texte.")]),
    );
    assert!(activities(&b).is_empty());
    assert!(agreement_findings(&b, &[]).is_empty());
}

#[test]
fn a_german_english_report_gives_the_same_kind_of_record() {
    let de = doc(
        Lang::DE,
        &[
            (T, "Gemeinsamer Bericht über die Zusammenarbeit (1. Januar 2021 – 31. Dezember 2021)"),
            (H, "Zusammenarbeit mit den Nachbarländern"),
            (H, "Ministerebene"),
            (I, "Treffen der Außenminister mit den baltischen Staaten"),
            (P, "Am 3. Mai trafen sich die Außenminister in Brüssel mit der Großregion und der NATO."),
            (H, "Ebene hoher Beamter"),
            (I, "Treffen der politischen Direktoren"),
            (P, "Im September berieten die Direktoren in Den Haag."),
        ],
    );
    let en = doc(
        Lang::EN,
        &[
            (
                T,
                "Joint report on cooperation (1 January 2021 – 31 December 2021)",
            ),
            (H, "Cooperation with neighbouring countries"),
            (H, "Ministerial level"),
            (I, "Meeting of foreign ministers with the Baltic states"),
            (
                P,
                "On 3 May the foreign ministers met in Brussels with the Greater Region and NATO.",
            ),
            (H, "Senior officials level"),
            (I, "Meeting of political directors"),
            (P, "In September the directors met in The Hague."),
        ],
    );
    let b = bitext(de, en);
    let acts = activities(&b);
    assert_eq!(acts.len(), 2);
    assert_eq!(acts[0].level, Level::Ministerial);
    assert_eq!(acts[0].dates, ["2021-05-03"]);
    assert_eq!(names(&acts[0].places), ["Brussels"]);
    assert_eq!(acts[0].places[0].written[&Lang::DE], "Brüssel");
    assert_eq!(
        names(&acts[0].partners),
        [
            "Baltic states",
            "Greater Region",
            "North Atlantic Treaty Organization"
        ]
    );
    assert_eq!(
        acts[0].section[&Lang::EN],
        "Cooperation with neighbouring countries"
    );
    assert_eq!(acts[1].level, Level::SeniorOfficials);
    assert_eq!(acts[1].dates, ["2021-09"]);
    assert_eq!(names(&acts[1].places), ["The Hague"]);
    assert!(agreement_findings(&b, &acts).is_empty());
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Pieces of report text, awkward ones included (empty, dashes, accents, lone dates).
    const PIECES: [&str; 12] = [
        "",
        "Ministerieel niveau",
        "Niveau ministériel",
        "Benelux – Grand Région",
        "Le 1er décembre, à Bruxelles, M. Olivier Maes",
        "op 31 februari te Ééntje-Twee",
        "(1 januari 2022 – 31 december 2022)",
        "Šefik Džaferović, ",
        "in ,,, – – ",
        "Luxemburg, Luxembourg",
        "À l’OTAN",
        "28",
    ];

    fn blocks() -> impl Strategy<Value = Vec<(u8, Vec<usize>)>> {
        prop::collection::vec(
            (0u8..4, prop::collection::vec(0..PIECES.len(), 0..4)),
            0..12,
        )
    }

    fn build(lang: Lang, spec: &[(u8, Vec<usize>)]) -> Document {
        let kinds = [T, H, I, P];
        let texts: Vec<(BlockKind, String)> = spec
            .iter()
            .map(|(k, pieces)| {
                let text: Vec<&str> = pieces.iter().map(|&i| PIECES[i]).collect();
                (kinds[*k as usize], text.join(" "))
            })
            .collect();
        let refs: Vec<(BlockKind, &str)> = texts.iter().map(|(k, t)| (*k, t.as_str())).collect();
        doc(lang, &refs)
    }

    proptest! {
        #[test]
        fn any_bitext_gives_at_most_one_record_per_item_without_panicking(a in blocks(), b in blocks()) {
            let bitext = bitext(build(Lang::NL, &a), build(Lang::FR, &b));
            let acts = activities(&bitext);
            let items = |d: &Document| d.blocks.iter().filter(|b| b.kind == BlockKind::Item).count();
            let (na, nb) = (items(&bitext.src), items(&bitext.tgt));
            prop_assert!(acts.len() <= na + nb);
            for act in &acts {
                prop_assert!(!act.blocks.is_empty());
                prop_assert!(!act.titles.is_empty());
                prop_assert!(act.is_recorded());
            }
            let _ = agreement_findings(&bitext, &acts);
            let svg = timeline_svg(&acts);
            prop_assert!(svg.trim_end().ends_with("</svg>"));
        }
    }
}

#[test]
fn entries_with_nothing_of_an_activity_are_no_record() {
    let src = doc(
        Lang::NL,
        &[
            (H, "Index"),
            (I, "Dienst voor de belastingen"),
            (I, "Vergadering van de ministers op 3 mei 2022 in Brussel"),
        ],
    );
    let tgt = doc(
        Lang::FR,
        &[
            (H, "Index"),
            (I, "Agence du revenu"),
            (I, "Réunion des ministres le 3 mai 2022 à Bruxelles"),
        ],
    );
    let acts = activities(&bitext(src, tgt));
    assert_eq!(acts.len(), 1, "{acts:?}");
    assert_eq!(acts[0].dates, ["2022-05-03"]);
}

#[test]
fn a_name_misspelt_by_one_letter_is_no_missing_partner() {
    let src = doc(
        Lang::NL,
        &[
            (H, "Ministerieel niveau"),
            (I, "Benelux – Grande Région"),
            (P, "De ministers ontmoetten op 3 mei 2022 de Grande Région."),
        ],
    );
    let tgt = doc(
        Lang::FR,
        &[
            (H, "Niveau ministériel"),
            (I, "Benelux – Grand Région"),
            (
                P,
                "Les ministres ont rencontré la Grand Région le 3 mai 2022.",
            ),
        ],
    );
    let b = bitext(src, tgt);
    let acts = activities(&b);
    let findings = agreement_findings(&b, &acts);
    let messages: Vec<&str> = findings.iter().map(|f| f.message.as_str()).collect();
    assert!(messages.is_empty(), "{messages:#?}");
}
