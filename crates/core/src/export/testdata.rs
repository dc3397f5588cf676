//! A small bitext built from real sentences of the reference report
//! (`examples/benelux-2022/report.nl-fr.txt`) for the writer and reader tests.
//!
//! What is not in the report: the 1:0 bead (the French counterpart of one Dutch sentence is
//! left out to simulate an omission) and the last paragraph, made up to carry `&` and `<`,
//! which the report does not contain.

use std::collections::BTreeMap;

use crate::model::{Bead, Block, BlockKind, Document, Sentence};
use crate::{Bitext, Finding, Lang, Severity};

/// Blocks of one side: kind and sentences.
type Blocks<'a> = &'a [(BlockKind, &'a [&'a str])];

const NL: Blocks = &[
    (
        BlockKind::Title,
        &["66e gemeenschappelijk verslag over de Benelux-samenwerking op het gebied van het buitenlands beleid (1 januari 2022 – 31 december 2022)"],
    ),
    (BlockKind::Heading, &["Inleiding"]),
    (
        BlockKind::Paragraph,
        &[
            "Dit verslag geeft een overzicht van de Benelux-samenwerking op het gebied van het buitenlands en Europees beleid tijdens het Luxemburgse voorzitterschap van het Comité van Ministers van de Benelux Unie in 2022.",
            "In tegenstelling tot de samenwerkingsgebieden die ressorteren onder het Benelux-Verdrag, vond de samenwerking ten aanzien van het buitenlands beleid plaats op intergouvernementeel niveau.",
            "Onderstaand verslag is niet uitputtend, maar verschafft een overzicht van de meest markante voorbeelden van de samenwerking op dit terrein.",
        ],
    ),
    (BlockKind::Heading, &["Samenwerking op het gebied van Europese zaken"]),
    (
        BlockKind::Item,
        &["Gedachtenwisseling met de president van Bosnië-Herzegovina, Šefik Džaferović"],
    ),
    (
        BlockKind::Paragraph,
        &[
            "Er werd ook gesproken over de moeilijke situatie als gevolg van de Russische agressie in Oekraïne en er werd wederzijdse steun uitgesproken om elkaar te helpen de energievoorziening veilig te stellen.",
            "De ministers reisden vervolgens samen naar de Europese Energieraad, die dezelfde dag in Luxemburg plaatsvond.",
        ],
    ),
    (
        BlockKind::Paragraph,
        &["Zie de artikelen 5 & 6 van het Verdrag.", "De kosten bleven < 5 %."],
    ),
];

const FR: Blocks = &[
    (
        BlockKind::Title,
        &["66e rapport commun concernant la coopération Benelux dans le domaine de la politique étrangère (1er janvier 2022 – 31 décembre 2022)"],
    ),
    (BlockKind::Heading, &["Introduction"]),
    (
        BlockKind::Paragraph,
        &[
            "Le présent rapport donne un aperçu de la coopération Benelux dans le domaine de la politique étrangère et européenne au cours de la Présidence luxembourgeoise du Comité de Ministres de l'Union Benelux en 2022.",
            "Contrairement aux domaines de coopération régis par le Traité Benelux, la coopération en matière de politique étrangère a lieu au niveau intergouvernemental.",
        ],
    ),
    (BlockKind::Heading, &["Coopération dans le domaine des affaires européennes"]),
    (
        BlockKind::Item,
        &["Échange de vues avec le Président de la Bosnie-Herzégovine, Šefik Džaferović"],
    ),
    (
        BlockKind::Paragraph,
        &[
            "La situation difficile résultant de l’agression russe en Ukraine a également été abordée et un soutien mutuel a été exprimé en vue de s’épauler mutuellement afin de garantir les approvisionnements énergétiques.",
            "Ensuite, les ministres se sont rendus ensemble au Conseil européen de l’énergie, qui avait lieu le même jour à Luxembourg.",
        ],
    ),
    (
        BlockKind::Paragraph,
        &["Voir les articles 5 & 6 du Traité : les coûts sont restés < 5 %."],
    ),
];

/// Sentence beads: source range, target range, score.
const BEADS: &[([usize; 2], [usize; 2], f32)] = &[
    ([0, 1], [0, 1], 0.97),
    ([1, 2], [1, 2], 1.0),
    ([2, 4], [2, 4], 0.88),
    ([4, 5], [4, 4], 0.12),
    ([5, 6], [4, 5], 0.95),
    ([6, 7], [5, 6], 0.91),
    ([7, 8], [6, 7], 0.8934),
    ([8, 9], [7, 8], 0.9),
    ([9, 11], [8, 9], 0.75),
];

fn document(lang: Lang, blocks: Blocks) -> Document {
    let mut doc = Document {
        lang: Some(lang),
        ..Default::default()
    };
    for (b, (kind, sentences)) in blocks.iter().enumerate() {
        let block_id = format!("{lang}-b{b}");
        let mut text = String::new();
        for s in sentences.iter() {
            if !text.is_empty() {
                text.push(' ');
            }
            let start = text.len();
            text.push_str(s);
            doc.sentences.push(Sentence {
                id: format!("{lang}-s{}", doc.sentences.len()),
                lang,
                block: block_id.clone(),
                block_index: b,
                span: [start, text.len()],
                text: (*s).to_owned(),
            });
        }
        doc.blocks.push(Block {
            id: block_id,
            lang,
            kind: *kind,
            level: u8::from(*kind == BlockKind::Heading),
            text,
            source_lines: [b * 2 + 1, b * 2 + 1],
            joined_from: vec![],
            lang_confidence: 1.0,
            regions: vec![],
            note: None,
        });
    }
    doc
}

/// The test bitext: 7 blocks a side, 9 sentence beads (1:1, 2:2, 1:0, 2:1).
pub(crate) fn reference_bitext() -> Bitext {
    let src = document(Lang::NL, NL);
    let tgt = document(Lang::FR, FR);
    let block_beads = (0..src.blocks.len())
        .map(|i| Bead::new(i..i + 1, i..i + 1, 0.9))
        .collect();
    let beads = BEADS
        .iter()
        .map(|&(s, t, score)| Bead::new(s[0]..s[1], t[0]..t[1], score))
        .collect();
    Bitext {
        name: "benelux-2022".into(),
        src,
        tgt,
        block_beads,
        beads,
    }
}

/// A finding about sentence bead `bead`, with characters that need escaping in XML.
pub(crate) fn finding(bead: usize) -> Finding {
    Finding {
        check: "numbers".into(),
        severity: Severity::Warning,
        bead: Some(bead),
        lang: Some(Lang::FR),
        message: "number \"6\" & <5 %> differ".into(),
        evidence: BTreeMap::from([(Lang::NL, "5 & 6".into()), (Lang::FR, "< 5 %".into())]),
        highlights: vec![],
        suggestions: vec![],
        rule: None,
    }
}
