//! The record a report carries: one reported activity as data.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Lang;

/// The level at which an activity took place.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Heads of state or government.
    HeadsOfGovernment,
    /// Ministers.
    Ministerial,
    /// Senior officials (directors-general, political directors, ambassadors).
    SeniorOfficials,
    /// Anything else, or not stated.
    Other,
}

/// A place or partner named by an activity: its canonical (English) name and the names as
/// written in each language. Names not in the gazetteer are kept as written.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Place {
    /// Canonical English name from the gazetteer, or the name as written when unknown.
    pub name: String,
    /// What it is: `country`, `city`, `region`, `organisation`, `group`, or `unknown`.
    pub kind: String,
    /// The names as written in each language version.
    pub written: BTreeMap<Lang, String>,
    /// Whether the gazetteer knows the name.
    pub in_gazetteer: bool,
}

/// One reported activity (a meeting, a summit, an intervention).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    /// The activity's title in each language.
    pub titles: BTreeMap<Lang, String>,
    /// The section heading it falls under, in each language.
    pub section: BTreeMap<Lang, String>,
    /// The level it took place at.
    pub level: Level,
    /// ISO 8601 dates: `2022-11-28`, or `2022-04` when only a month is given.
    pub dates: Vec<String>,
    /// Where it took place.
    pub places: Vec<Place>,
    /// Countries, regions and organisations that took part: met, hosted, co-signed, were
    /// represented, or were the forum.
    pub partners: Vec<Place>,
    /// Countries, regions and organisations only discussed or mentioned.
    #[serde(default)]
    pub topics: Vec<Place>,
    /// People named.
    pub people: Vec<String>,
    /// Ids of the blocks it comes from, both languages.
    pub blocks: Vec<String>,
}

impl Activity {
    /// Whether the item reads as an activity at all: it has a date, a place, a partner, or a
    /// level of meeting. An entry of an index or a list of bodies (`Canada Revenue Agency`)
    /// has none of these, and is no record of an activity.
    pub fn is_recorded(&self) -> bool {
        !self.dates.is_empty()
            || !self.places.is_empty()
            || !self.partners.is_empty()
            || self.level != Level::Other
    }
}
