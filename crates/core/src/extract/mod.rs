//! Extract: the record the report carries, one [`Activity`] per reported event.
//!
//! An activity is an item block (the bold or bulleted title of one reported event) and the
//! paragraphs under it until the next item or heading, in both languages. Its level comes from
//! the level sub-heading it falls under (`Ministerieel niveau`, `Niveau ministériel`, see
//! [`level`]) or from its words; its dates from [`crate::dates::find_dates`], completed with the
//! year of the report's period (`(1 januari 2022 – 31 december 2022)` in the title) when the
//! text gives none; its places, partners and topics from the [`gazetteer`] (names it does not
//! know are kept as written), a partner being a country or body that took part and a topic
//! one that was only discussed, told apart by the words around the name (`roles`); its
//! people from [`people`].
//!
//! [`agreement_findings`] reports what one language version says and the other does not, and
//! [`timeline_svg`] draws the activities on a dated axis.

mod agreement;
pub mod gazetteer;
pub mod level;
pub mod people;
mod places;
mod roles;
mod side;
mod timeline;

use std::collections::BTreeMap;

use crate::model::{Activity, Bitext, Document, Lang, Level};

pub use agreement::agreement_findings;
pub use timeline::{timeline_svg, timeline_svg_linked};

use side::{ItemSpan, SideRecord};

/// The check name of the findings of [`agreement_findings`].
pub const AGREEMENT_CHECK: &str = "activity-agreement";

/// One record per reported activity, in document order (source side order; an item found on
/// the target side only comes after the source items around it). Items with nothing of an
/// activity ([`Activity::is_recorded`]) are left out.
pub fn activities(bitext: &Bitext) -> Vec<Activity> {
    records(bitext)
        .into_iter()
        .map(|pair| merge(bitext, &pair))
        .collect()
}

/// The two sides of one activity, before they are merged into an [`Activity`].
pub(crate) struct RecordPair {
    pub(crate) src: Option<SideRecord>,
    pub(crate) tgt: Option<SideRecord>,
}

/// The activities of both sides, paired: the items that read as activities
/// ([`Activity::is_recorded`]), so that [`activities`] and the agreement findings see the
/// same list.
pub(crate) fn records(bitext: &Bitext) -> Vec<RecordPair> {
    all_records(bitext)
        .into_iter()
        .filter(|pair| merge(bitext, pair).is_recorded())
        .collect()
}

/// Every item of both sides, paired.
fn all_records(bitext: &Bitext) -> Vec<RecordPair> {
    let context = side::Context::of(bitext);
    let src_spans = side::item_spans(&bitext.src, bitext.langs()[0]);
    let tgt_spans = side::item_spans(&bitext.tgt, bitext.langs()[1]);
    pair_items(bitext, &src_spans, &tgt_spans)
        .into_iter()
        .map(|(s, t)| {
            let s = s.map(|i| &src_spans[i]);
            let t = t.map(|i| &tgt_spans[i]);
            let src =
                s.map(|span| context.record(&bitext.src, bitext.langs()[0], span, t, &bitext.tgt));
            let tgt =
                t.map(|span| context.record(&bitext.tgt, bitext.langs()[1], span, s, &bitext.src));
            RecordPair { src, tgt }
        })
        .collect()
}

/// Pairs source items with target items: in order when both sides have as many, otherwise
/// through the block alignment, leaving an item without counterpart alone.
fn pair_items(
    bitext: &Bitext,
    src: &[ItemSpan],
    tgt: &[ItemSpan],
) -> Vec<(Option<usize>, Option<usize>)> {
    if src.len() == tgt.len() {
        return (0..src.len()).map(|i| (Some(i), Some(i))).collect();
    }
    let mut pairs = Vec::new();
    let mut next_tgt = 0;
    for (i, s) in src.iter().enumerate() {
        let partner = bitext
            .block_beads
            .iter()
            .find(|b| b.src.contains(&s.item))
            .and_then(|b| (next_tgt..tgt.len()).find(|&j| b.tgt.contains(&tgt[j].item)));
        if let Some(j) = partner {
            pairs.extend((next_tgt..j).map(|k| (None, Some(k))));
            pairs.push((Some(i), Some(j)));
            next_tgt = j + 1;
        } else {
            pairs.push((Some(i), None));
        }
    }
    pairs.extend((next_tgt..tgt.len()).map(|k| (None, Some(k))));
    pairs
}

fn merge(bitext: &Bitext, pair: &RecordPair) -> Activity {
    let sides: Vec<&SideRecord> = [&pair.src, &pair.tgt].into_iter().flatten().collect();
    let mut titles = BTreeMap::new();
    let mut section = BTreeMap::new();
    for s in &sides {
        titles.insert(s.lang, s.title.clone());
        if let Some(heading) = &s.section {
            section.insert(s.lang, heading.clone());
        }
    }
    let mut dates: Vec<String> = Vec::new();
    for iso in sides.iter().flat_map(|s| s.dates.iter().map(|d| &d.iso)) {
        if !dates.contains(iso) {
            dates.push(iso.clone());
        }
    }
    let mut people: Vec<String> = Vec::new();
    for p in sides.iter().flat_map(|s| &s.people) {
        if !people
            .iter()
            .any(|q| crate::text::fold(q) == crate::text::fold(p))
        {
            people.push(p.clone());
        }
    }
    let partners = places::merge(sides.iter().map(|s| (s.lang, &s.partners)));
    Activity {
        titles,
        section,
        level: level_of(&sides),
        dates,
        places: places::merge(sides.iter().map(|s| (s.lang, &s.places))),
        partners: partners.clone(),
        topics: places::merge(sides.iter().map(|s| (s.lang, &s.topics)))
            .into_iter()
            .filter(|t| !partners.iter().any(|p| p.name == t.name))
            .collect(),
        people,
        blocks: sides
            .iter()
            .flat_map(|s| block_ids(side_doc(bitext, s.lang), &s.blocks))
            .collect(),
    }
}

/// The level from a level heading on either side; else the strongest level the title shows,
/// else the strongest the text shows.
fn level_of(sides: &[&SideRecord]) -> Level {
    let strongest =
        |levels: Vec<Option<Level>>| levels.into_iter().flatten().min_by_key(|l| level_rank(*l));
    strongest(sides.iter().map(|s| s.heading_level).collect())
        .or_else(|| strongest(sides.iter().map(|s| s.title_level).collect()))
        .or_else(|| strongest(sides.iter().map(|s| s.text_level).collect()))
        .unwrap_or(Level::Other)
}

fn level_rank(level: Level) -> u8 {
    match level {
        Level::HeadsOfGovernment => 0,
        Level::Ministerial => 1,
        Level::SeniorOfficials => 2,
        Level::Other => 3,
    }
}

fn side_doc(bitext: &Bitext, lang: Lang) -> &Document {
    bitext.side(lang).unwrap_or(&bitext.src)
}

fn block_ids(doc: &Document, blocks: &std::ops::Range<usize>) -> Vec<String> {
    doc.blocks[blocks.clone()]
        .iter()
        .map(|b| b.id.clone())
        .collect()
}

#[cfg(test)]
mod tests;
