//! Bitexts built by hand for the archive tests: real sentences of the reference report
//! (`examples/benelux-2022/report.nl-fr.txt`) and a short second report written by the project.

#![allow(dead_code)]

use std::collections::BTreeMap;

use diptych_core::model::{Level, Place};
use diptych_core::{
    Activity, Bead, Bitext, Block, BlockKind, Document, Finding, Lang, Sentence, Severity,
};

/// One aligned block pair: kind, heading level, the sentences of each side.
pub struct Pair<'a> {
    pub kind: BlockKind,
    pub level: u8,
    pub src: &'a [&'a str],
    pub tgt: &'a [&'a str],
}

pub const fn heading<'a>(level: u8, src: &'a [&'a str], tgt: &'a [&'a str]) -> Pair<'a> {
    Pair {
        kind: BlockKind::Heading,
        level,
        src,
        tgt,
    }
}

pub const fn item<'a>(src: &'a [&'a str], tgt: &'a [&'a str]) -> Pair<'a> {
    Pair {
        kind: BlockKind::Item,
        level: 0,
        src,
        tgt,
    }
}

pub const fn para<'a>(src: &'a [&'a str], tgt: &'a [&'a str]) -> Pair<'a> {
    Pair {
        kind: BlockKind::Paragraph,
        level: 0,
        src,
        tgt,
    }
}

/// A bitext whose blocks pair one to one; sentences pair one to one when both sides have as
/// many, otherwise the block is one n:m bead.
pub fn bitext(name: &str, langs: [Lang; 2], pairs: &[Pair]) -> Bitext {
    let mut docs = [
        Document {
            lang: Some(langs[0]),
            ..Default::default()
        },
        Document {
            lang: Some(langs[1]),
            ..Default::default()
        },
    ];
    let mut beads = Vec::new();
    let mut block_beads = Vec::new();
    for (b, pair) in pairs.iter().enumerate() {
        let starts = [docs[0].sentences.len(), docs[1].sentences.len()];
        for (side, sentences) in [pair.src, pair.tgt].into_iter().enumerate() {
            add_block(&mut docs[side], langs[side], b, pair, sentences);
        }
        block_beads.push(Bead::new(b..b + 1, b..b + 1, 0.9));
        let (n, m) = (pair.src.len(), pair.tgt.len());
        if n == m {
            for i in 0..n {
                beads.push(Bead::new(
                    starts[0] + i..starts[0] + i + 1,
                    starts[1] + i..starts[1] + i + 1,
                    0.8,
                ));
            }
        } else {
            beads.push(Bead::new(
                starts[0]..starts[0] + n,
                starts[1]..starts[1] + m,
                0.5,
            ));
        }
    }
    let [src, tgt] = docs;
    Bitext {
        name: name.into(),
        src,
        tgt,
        block_beads,
        beads,
    }
}

fn add_block(doc: &mut Document, lang: Lang, b: usize, pair: &Pair, sentences: &[&str]) {
    let text = sentences.join(" ");
    let block_id = format!("{lang}-b{b}");
    let mut offset = 0;
    for s in sentences {
        let n = doc.sentences.len();
        doc.sentences.push(Sentence {
            id: format!("{lang}-s{n}"),
            lang,
            block: block_id.clone(),
            block_index: b,
            span: [offset, offset + s.len()],
            text: (*s).into(),
        });
        offset += s.len() + 1;
    }
    doc.blocks.push(Block {
        id: block_id,
        lang,
        kind: pair.kind,
        level: pair.level,
        text,
        source_lines: [b + 1, b + 1],
        joined_from: vec![],
        lang_confidence: 1.0,
        regions: vec![],
        note: None,
    });
}

/// Sentences of the reference report, as the ingest stage would give them.
pub fn benelux_2022() -> Bitext {
    bitext("benelux-2022", [Lang::NL, Lang::FR], &[
        Pair { kind: BlockKind::Title, level: 0,
            src: &["66e gemeenschappelijk verslag over de Benelux-samenwerking op het gebied van het buitenlands beleid (1 januari 2022 – 31 december 2022)"],
            tgt: &["66e rapport commun concernant la coopération Benelux dans le domaine de la politique étrangère (1er janvier 2022 – 31 décembre 2022)"] },
        heading(1, &["Samenwerking op het gebied van Europese zaken"], &["Coopération dans le domaine des affaires européennes"]),
        heading(2, &["Ministerieel niveau"], &["Niveau ministériel"]),
        item(&["Raad Buitenlandse Zaken (RBZ) en Raden Algemene Zaken (RAZ)"], &["Conseil Affaires étrangères (CAE) et Conseils Affaires générales (CAG)"]),
        para(&["Net zoals de voorbije jaren hebben de ministers van Buitenlandse Zaken hun voorbereidende vergaderingen en regelmatig overleg voorafgaand aan de RBZ en RAZ van de EU voortgezet."],
             &["Comme les années précédentes, les ministres des Affaires étrangères ont poursuivi leurs réunions préparatoires et concertations régulières en amont des CAE et CAG de l'UE."]),
        item(&["Vergadering van ministers in marge van de ministeriële vergadering van de NAVO"], &["Rencontre des ministres en marge de la rencontre ministérielle de l'OTAN"]),
        para(&["In april ontmoetten de ministers hun Baltische ambtsgenoten in marge van de ministeriële vergadering van de NAVO om van gedachten te wisselen over de situatie in Oekraïne en om de impact van het EU-beleid op de grensgebieden te beoordelen.",
               "Dit laatste punt werd besproken op basis van het document met het gemeenschappelijk standpunt van de Benelux-landen en de Baltische landen."],
             &["En avril, les ministres se sont rencontrés avec leur homologues baltes en marge de la rencontre ministérielle de l'OTAN pour un échange de vue sur la situation en Ukraine et une évaluation des répercussions de la politique de l'Union européenne sur les régions frontalières.",
               "Ce dernier point a été discuté sur base du document de position commune entre les pays Benelux et les pays baltes."]),
        item(&["Bijeenkomst van de Benelux-ministers van Energie met de Baltische Staten"], &["Réunion des Ministres de l'Énergie Benelux avec les États baltes"]),
        para(&["De Luxemburgse minister van Energie, Claude Turmes, heeft de Energieministers van de Benelux en de Baltische staten op 27 juni in Luxemburg ontvangen om van gedachten te wisselen over offshore windenergie en energiedataplatformen."],
             &["Le ministre luxembourgeois de l'Énergie, Claude Turmes, a reçu les Ministres de l'Énergie du Benelux et des pays baltes le 27 juin au Luxembourg pour discuter de l'énergie éolienne offshore et des plateformes de données énergétiques."]),
        para(&["De ministers van Defensie van de Benelux zijn op 21 maart 2022 in Brussel bijeengekomen.",
               "De ministers stemden hun standpunten op elkaar af met het oog op de komende debatten op NAVO- en EU-niveau."],
             &["Les Ministres de la Défense du Benelux se sont rencontrés le 21 mars 2022 à Bruxelles.",
               "Les ministres ont aligné leurs positions en vue des débats à venir à la fois au niveau de l'OTAN et de l'UE."]),
        item(&["Bijeenkomst van de Benelux-Noordse ministers van Buitenlandse Zaken in marge van de ministeriële NAVO-bijeenkomst in Boekarest in november"],
             &["Réunion des Ministres des affaires étrangères Benelux-Nordiques en marge de la ministérielle de l'OTAN à Bucarest en novembre"]),
    ])
}

/// A second report in the same form, written by the project (not an official text).
pub fn own_2021() -> Bitext {
    bitext("own-report-2021", [Lang::NL, Lang::FR], &[
        Pair { kind: BlockKind::Title, level: 0,
            src: &["Verslag over de samenwerking in 2021"],
            tgt: &["Rapport sur la coopération en 2021"] },
        heading(1, &["Ministerieel niveau"], &["Niveau ministériel"]),
        item(&["Raad Buitenlandse Zaken in Luxemburg"], &["Conseil Affaires étrangères à Luxembourg"]),
        para(&["Op 18 oktober 2021 bespraken de ministers in de Raad Buitenlandse Zaken de toekomst van de NAVO.",
               "De vergadering vond plaats in de Europese Conventie in Luxemburg."],
             &["Le 18 octobre 2021, les ministres ont discuté au Conseil Affaires étrangères de l'avenir de l'OTAN.",
               "La réunion a eu lieu au Centre européen de conférences à Luxembourg."]),
        item(&["Ontmoeting met de Baltische staten"], &["Rencontre avec les États baltes"]),
        para(&["De ministers ontvingen hun ambtsgenoten van de Baltische staten voor een gesprek over de veiligheid in de regio."],
             &["Les ministres ont reçu leurs homologues des États baltes pour un entretien sur la sécurité dans la région."]),
    ])
}

fn place(name: &str, nl: &str, fr: &str, kind: &str) -> Place {
    Place {
        name: name.into(),
        kind: kind.into(),
        written: BTreeMap::from([(Lang::NL, nl.into()), (Lang::FR, fr.into())]),
        in_gazetteer: true,
    }
}

/// The activities of [`benelux_2022`], as the extract stage would give them.
pub fn benelux_2022_activities() -> Vec<Activity> {
    vec![
        Activity {
            titles: BTreeMap::from([(Lang::NL, "Vergadering van ministers in marge van de ministeriële vergadering van de NAVO".into()), (Lang::FR, "Rencontre des ministres en marge de la rencontre ministérielle de l'OTAN".into())]),
            section: BTreeMap::from([(Lang::NL, "Ministerieel niveau".into()), (Lang::FR, "Niveau ministériel".into())]),
            level: Level::Ministerial,
            dates: vec!["2022-04".into()],
            places: vec![],
            partners: vec![place("Baltic states", "Baltische landen", "pays baltes", "group"), place("NATO", "NAVO", "OTAN", "organisation")],
            topics: vec![],
            people: vec![],
            blocks: vec!["nl-b5".into(), "nl-b6".into(), "fr-b5".into(), "fr-b6".into()],
        },
        Activity {
            titles: BTreeMap::from([(Lang::NL, "Bijeenkomst van de Benelux-ministers van Energie met de Baltische Staten".into()), (Lang::FR, "Réunion des Ministres de l'Énergie Benelux avec les États baltes".into())]),
            section: BTreeMap::from([(Lang::NL, "Ministerieel niveau".into()), (Lang::FR, "Niveau ministériel".into())]),
            level: Level::Ministerial,
            dates: vec!["2022-06-27".into()],
            places: vec![place("Luxembourg", "Luxemburg", "Luxembourg", "country")],
            partners: vec![place("Baltic states", "Baltische staten", "États baltes", "group")],
            topics: vec![],
            people: vec!["Claude Turmes".into()],
            blocks: vec!["nl-b7".into(), "nl-b8".into(), "fr-b7".into(), "fr-b8".into()],
        },
    ]
}

/// The activities of [`own_2021`].
pub fn own_2021_activities() -> Vec<Activity> {
    vec![Activity {
        titles: BTreeMap::from([
            (Lang::NL, "Ontmoeting met de Baltische staten".into()),
            (Lang::FR, "Rencontre avec les États baltes".into()),
        ]),
        section: BTreeMap::from([
            (Lang::NL, "Ministerieel niveau".into()),
            (Lang::FR, "Niveau ministériel".into()),
        ]),
        level: Level::Ministerial,
        dates: vec!["2021-10".into()],
        places: vec![],
        partners: vec![place(
            "Baltic states",
            "Baltische staten",
            "États baltes",
            "group",
        )],
        topics: vec![],
        people: vec![],
        blocks: vec![
            "nl-b4".into(),
            "nl-b5".into(),
            "fr-b4".into(),
            "fr-b5".into(),
        ],
    }]
}

/// A finding on the reference report (a real misspelling of the Dutch side).
pub fn benelux_2022_findings() -> Vec<Finding> {
    vec![Finding {
        check: "spelling".into(),
        severity: Severity::Warning,
        bead: None,
        lang: Some(Lang::NL),
        message: "unknown word: verschafft".into(),
        evidence: BTreeMap::from([(Lang::NL, "verschafft".into())]),
        highlights: vec![],
        suggestions: vec!["verschaft".into()],
        rule: None,
    }]
}

/// `one` repeated `copies` times as one document named `name` (sentence ids stay unique).
pub fn repeated(one: &Bitext, name: &str, copies: usize) -> Bitext {
    let mut big = one.clone();
    big.name = name.into();
    for _ in 1..copies {
        let (ns, nt) = (big.src.sentences.len(), big.tgt.sentences.len());
        let (nbs, nbt) = (big.src.blocks.len(), big.tgt.blocks.len());
        for (doc, add, nb) in [(&mut big.src, &one.src, nbs), (&mut big.tgt, &one.tgt, nbt)] {
            let n = doc.sentences.len();
            doc.blocks.extend(add.blocks.iter().cloned());
            doc.sentences
                .extend(add.sentences.iter().enumerate().map(|(i, s)| {
                    let mut s = s.clone();
                    s.block_index += nb;
                    s.id = format!("{}-s{}", s.lang, n + i);
                    s
                }));
        }
        big.beads.extend(one.beads.iter().map(|b| {
            Bead::new(
                b.src.start + ns..b.src.end + ns,
                b.tgt.start + nt..b.tgt.end + nt,
                b.score,
            )
        }));
    }
    big
}
