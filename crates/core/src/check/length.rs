//! Length: a bead whose length ratio falls outside the band calibrated on the document itself.
//! The band is the median log ratio of the document's beads plus or minus a multiple of their
//! median absolute deviation, so it adapts to the language pair (nl/fr is not de/fr) and to the
//! translator's style; a fixed 30-250 % band would not.

use super::context::{Context, FindingBuilder};
use crate::Finding;

/// Beads shorter than this (on both sides, in characters) carry too little to judge.
const MIN_CHARS: usize = 40;
/// How many median absolute deviations from the median count as outside the band.
const BAND: f64 = 5.0;
/// Below this many measurable beads the document cannot calibrate a band.
const MIN_BEADS: usize = 8;

fn log_ratio(a: &str, b: &str) -> f64 {
    let (la, lb) = (a.chars().count() as f64, b.chars().count() as f64);
    (lb / la).ln()
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Reports beads far outside the document's length band.
pub fn run(ctx: &Context, out: &mut Vec<Finding>) {
    let measurable: Vec<(usize, f64)> = ctx
        .paired()
        .filter(|b| b.sides.iter().all(|s| s.text.chars().count() >= MIN_CHARS))
        .map(|b| (b.index, log_ratio(&b.sides[0].text, &b.sides[1].text)))
        .collect();
    if measurable.len() < MIN_BEADS {
        return;
    }
    let mut ratios: Vec<f64> = measurable.iter().map(|m| m.1).collect();
    let mid = median(&mut ratios);
    let mut dev: Vec<f64> = ratios.iter().map(|r| (r - mid).abs()).collect();
    // A floor keeps a very regular document from flagging ordinary variation.
    let mad = median(&mut dev).max(0.08);
    for &(i, r) in &measurable {
        if (r - mid).abs() <= BAND * mad {
            continue;
        }
        let bead = &ctx.beads[i];
        let [a, b] = &bead.sides;
        let expected = mid.exp();
        let message = format!(
            "{} is {:.0} % of {} where this document's usual ratio is {:.0} %: part of one side may be missing",
            b.lang,
            r.exp() * 100.0,
            a.lang,
            expected * 100.0
        );
        let shorter = if r < mid { b } else { a };
        out.push(
            FindingBuilder::new(Some(i), message)
                .lang(shorter.lang)
                .mark(a, 0, a.text.len())
                .mark(b, 0, b.text.len())
                .build(),
        );
    }
}

#[cfg(test)]
macro_rules! calibration_nl {
    () => {
        "De ministers van Defensie van de Benelux zijn in Brussel bijeengekomen.\nDe drie ministers bespraken de situatie in Oekraïne en hun inspanningen.\nDe ministers stemden hun standpunten op elkaar af met het oog op de debatten.\nDeze bijeenkomst is de eerste in zijn soort en bracht veel deelnemers samen.\nEr werd ook gesproken over de moeilijke situatie als gevolg van de agressie.\nDe ministers reisden vervolgens samen naar de Europese Energieraad in Luxemburg.\nDe Benelux-landen hebben de inspanningen van de Golfstaten verwelkomd.\nSlimme en groene steden zijn andere gebieden waar ontwikkelingskansen liggen.\n"
    };
}

#[cfg(test)]
macro_rules! calibration_fr {
    () => {
        "Les Ministres de la Défense du Benelux se sont rencontrés à Bruxelles.\nLes trois ministres ont échangé sur la situation en Ukraine et leurs efforts.\nLes ministres ont aligné leurs positions en vue des débats à venir.\nCette réunion est la première en son genre et a réuni de nombreux participants.\nLa situation difficile résultant de l'agression russe a également été abordée.\nLes ministres se sont ensuite rendus ensemble au Conseil européen de l'énergie.\nLes pays du Benelux ont salué les efforts des pays du Golfe en la matière.\nLes villes intelligentes et vertes sont d'autres sujets porteurs de partenariats.\n"
    };
}

#[cfg(test)]
pub(super) const EXAMPLES: &[super::examples::Example] = &[
    super::examples::no(
        concat!(calibration_nl!(), "De drie landen maakten van de gelegenheid gebruik om hun steun aan Oekraïne te herhalen."),
        concat!(calibration_fr!(), "Les trois pays ont profité de l'occasion pour réitérer leur soutien à l'Ukraine."),
    ),
    super::examples::yes(
        concat!(calibration_nl!(), "De drie landen maakten van de gelegenheid gebruik om hun steun aan Oekraïne te herhalen en bespraken hun respectieve standpunten over de toetreding van Oekraïne tot de EU."),
        concat!(calibration_fr!(), "Les trois pays ont réitéré leur soutien à l'Ukraine."),
    ),
];
