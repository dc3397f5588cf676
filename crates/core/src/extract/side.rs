//! One language side of an activity: where it lies in the document and what it says.

use std::collections::HashSet;
use std::ops::Range;

use super::gazetteer::{Gazetteer, Kind};
use super::level::{level_in_text, level_of_heading};
use super::places::{self, NameFound};
use crate::dates::{find_dates, DateMention, PartialDate};
use crate::model::{Bitext, BlockKind, Document, Lang, Level};

/// Where one activity lies in one language version.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ItemSpan {
    /// Index of the item block (the activity's title).
    pub(crate) item: usize,
    /// The item block and the paragraphs under it.
    pub(crate) blocks: Range<usize>,
    /// The nearest heading before it that is not a level heading.
    pub(crate) section: Option<usize>,
    /// The level of the level heading it falls under, if any.
    pub(crate) heading_level: Option<Level>,
}

/// The items of a document, each with the paragraphs under it until the next item or heading.
pub(crate) fn item_spans(doc: &Document, lang: Lang) -> Vec<ItemSpan> {
    let mut spans: Vec<ItemSpan> = Vec::new();
    let mut section = None;
    let mut heading_level = None;
    let mut open = false;
    for (i, block) in doc.blocks.iter().enumerate() {
        match block.kind {
            BlockKind::Item => {
                spans.push(ItemSpan {
                    item: i,
                    blocks: i..i + 1,
                    section,
                    heading_level,
                });
                open = true;
            }
            BlockKind::Paragraph if open => {
                if let Some(last) = spans.last_mut() {
                    last.blocks.end = i + 1;
                }
            }
            BlockKind::Paragraph | BlockKind::Footnote => {}
            BlockKind::Heading | BlockKind::Title => {
                open = false;
                match level_of_heading(&block.text, lang) {
                    Some(level) => heading_level = Some(level),
                    None => {
                        section = Some(i);
                        heading_level = None;
                    }
                }
            }
        }
    }
    spans
}

/// A date an activity gives, as found in one language.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct DateFound {
    /// ISO 8601, the year completed from the report's period.
    pub(crate) iso: String,
    /// The date as written (no year added).
    pub(crate) date: PartialDate,
    /// The text of the date.
    pub(crate) written: String,
    /// Index of the block it was found in, and its byte range there.
    pub(crate) block: usize,
    pub(crate) span: Range<usize>,
}

/// What one language version says about one activity.
#[derive(Clone, Debug)]
pub(crate) struct SideRecord {
    pub(crate) lang: Lang,
    pub(crate) title: String,
    pub(crate) section: Option<String>,
    pub(crate) heading_level: Option<Level>,
    pub(crate) title_level: Option<Level>,
    pub(crate) text_level: Option<Level>,
    pub(crate) dates: Vec<DateFound>,
    pub(crate) places: Vec<NameFound>,
    pub(crate) partners: Vec<NameFound>,
    pub(crate) topics: Vec<NameFound>,
    pub(crate) people: Vec<String>,
    pub(crate) blocks: Range<usize>,
}

/// What the whole document tells about every activity: the report's period, and the
/// countries and groups whose report it is (named in its title), which are not partners.
pub(crate) struct Context {
    period: Option<(PartialDate, PartialDate)>,
    fallback_year: Option<i32>,
    home: HashSet<String>,
}

impl Context {
    pub(crate) fn of(bitext: &Bitext) -> Context {
        let sides = [
            (&bitext.src, bitext.langs()[0]),
            (&bitext.tgt, bitext.langs()[1]),
        ];
        let period = sides.iter().find_map(|(d, l)| report_period(d, *l));
        Context {
            period,
            // Reading every date of the document is only needed without a period.
            fallback_year: period.map_or_else(|| most_frequent_year(&sides), |_| None),
            home: home_entities(&sides),
        }
    }

    /// The record of one side of an activity; `other` is the same activity in the other
    /// language, if paired (people are names written the same in both).
    pub(crate) fn record(
        &self,
        doc: &Document,
        lang: Lang,
        span: &ItemSpan,
        other: Option<&ItemSpan>,
        other_doc: &Document,
    ) -> SideRecord {
        let blocks = &doc.blocks[span.blocks.clone()];
        let title = blocks[0].text.clone();
        let body: Vec<&str> = blocks[1..].iter().map(|b| b.text.as_str()).collect();
        let other_text = other
            .map(|o| text_of(&other_doc.blocks[o.blocks.clone()]))
            .unwrap_or_default();
        let mut found_places = Vec::new();
        let mut found_partners = Vec::new();
        let mut found_topics = Vec::new();
        let block_dates: Vec<Vec<DateMention>> =
            blocks.iter().map(|b| find_dates(&b.text, lang)).collect();
        for (i, block) in blocks.iter().enumerate() {
            let index = span.blocks.start + i;
            let named = places::classify(
                &block.text,
                lang,
                index,
                &self.home,
                &block_dates[i],
                i == 0,
            );
            found_places.extend(named.places);
            found_partners.extend(named.partners);
            found_topics.extend(named.topics);
        }
        found_partners.extend(places::unknown_title_parties(
            &title,
            lang,
            span.blocks.start,
            &found_partners,
        ));
        SideRecord {
            lang,
            title: title.clone(),
            section: span.section.map(|i| doc.blocks[i].text.clone()),
            heading_level: span.heading_level,
            title_level: level_in_text(&title, lang),
            text_level: level_in_text(&body.join("\n"), lang),
            dates: self.dates(blocks, span.blocks.start, &block_dates),
            places: found_places,
            partners: found_partners,
            topics: found_topics,
            people: super::people::people(&text_of(blocks), lang, &other_text),
            blocks: span.blocks.clone(),
        }
    }

    /// The dates of an activity at least as precise as a month, in text order, each once.
    /// `dates[i]` are the dates found in `blocks[i]`, block `first + i` of the document.
    fn dates(
        &self,
        blocks: &[crate::model::Block],
        first: usize,
        dates: &[Vec<DateMention>],
    ) -> Vec<DateFound> {
        let mut found: Vec<DateFound> = Vec::new();
        for (i, (block, mentions)) in blocks.iter().zip(dates).enumerate() {
            for m in mentions.iter().filter(|m| m.date.month.is_some()) {
                let year = self.year_for(&m.date);
                let Some(iso) = m.date.iso(year) else {
                    continue;
                };
                if found.iter().all(|d| d.iso != iso) {
                    found.push(DateFound {
                        iso,
                        date: m.date,
                        written: block.text[m.span.clone()].to_owned(),
                        block: first + i,
                        span: m.span.clone(),
                    });
                }
            }
        }
        found
    }

    /// The year of a date written without one: the year of the report's period in which the
    /// day falls (a period may span two years), else the year the document mentions most.
    fn year_for(&self, date: &PartialDate) -> Option<i32> {
        if date.year.is_some() {
            return date.year;
        }
        let Some((start, end)) = self.period else {
            return self.fallback_year;
        };
        let (first, last) = (start.year?, end.year?);
        let key = |y: i32, d: &PartialDate| (y, d.month.unwrap_or(1), d.day.unwrap_or(1));
        (first..=last)
            .find(|&y| {
                let k = key(y, date);
                k >= key(first, &start) && k <= key(last, &end)
            })
            .or(Some(first))
    }
}

fn text_of(blocks: &[crate::model::Block]) -> String {
    blocks
        .iter()
        .map(|b| b.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The period a report covers: the first title block that gives two full dates, e.g.
/// `(1 januari 2022 – 31 december 2022)`.
fn report_period(doc: &Document, lang: Lang) -> Option<(PartialDate, PartialDate)> {
    doc.blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Title)
        .find_map(|b| {
            let full: Vec<PartialDate> = find_dates(&b.text, lang)
                .into_iter()
                .map(|m| m.date)
                .filter(|d| d.year.is_some() && d.month.is_some())
                .collect();
            (full.len() >= 2).then(|| (full[0], full[full.len() - 1]))
        })
}

/// The year written most often in the documents (ties: the earlier year).
fn most_frequent_year(sides: &[(&Document, Lang)]) -> Option<i32> {
    let mut counts: std::collections::BTreeMap<i32, usize> = Default::default();
    for (doc, lang) in sides {
        for b in &doc.blocks {
            for m in find_dates(&b.text, *lang) {
                if let Some(y) = m.date.year {
                    *counts.entry(y).or_default() += 1;
                }
            }
        }
    }
    let best = counts.values().copied().max()?;
    counts.into_iter().find(|&(_, c)| c == best).map(|(y, _)| y)
}

/// Canonical names of the countries and groups named in the document's title blocks, and of
/// their members: the authors of the report, not its partners.
fn home_entities(sides: &[(&Document, Lang)]) -> HashSet<String> {
    let g = Gazetteer::builtin();
    let mut home = HashSet::new();
    for (doc, lang) in sides {
        for b in doc.blocks.iter().filter(|b| b.kind == BlockKind::Title) {
            for m in g.find(&b.text, *lang) {
                if matches!(m.entry.kind, Kind::Country | Kind::Group) {
                    home.insert(m.entry.name.clone());
                    home.extend(m.entry.links.iter().cloned());
                }
            }
        }
    }
    home
}
