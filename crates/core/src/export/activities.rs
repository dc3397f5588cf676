//! The activity record as CSV: the run folder's `activities.csv`, one row per activity, list
//! fields joined with `; ` (`activities.jsonl` is written by [`super::jsonl::write_lines`]).

use std::io::{self, Write};

use crate::model::{Activity, Lang, Level, Place};

/// One row per activity: titles and sections per language (in `langs` order), level, dates,
/// places, partners (who took part) and topics (what was discussed) (canonical names; names
/// not in the gazetteer as written, marked `?`), people and blocks, lists joined with `; `.
pub fn write_csv(activities: &[Activity], langs: [Lang; 2], out: &mut dyn Write) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let [a, b] = langs;
    let header = [
        format!("title_{a}"),
        format!("title_{b}"),
        format!("section_{a}"),
        format!("section_{b}"),
        "level".into(),
        "dates".into(),
        "places".into(),
        "partners".into(),
        "topics".into(),
        "people".into(),
        "blocks".into(),
    ];
    w.write_record(&header)?;
    for act in activities {
        let get = |m: &std::collections::BTreeMap<Lang, String>, l: Lang| {
            m.get(&l).cloned().unwrap_or_default()
        };
        let row = [
            get(&act.titles, a),
            get(&act.titles, b),
            get(&act.section, a),
            get(&act.section, b),
            level_name(act.level).to_owned(),
            act.dates.join("; "),
            names(&act.places),
            names(&act.partners),
            names(&act.topics),
            act.people.join("; "),
            act.blocks.join("; "),
        ];
        w.write_record(&row)?;
    }
    w.flush()
}

fn names(list: &[Place]) -> String {
    list.iter()
        .map(|p| {
            if p.in_gazetteer {
                p.name.clone()
            } else {
                format!("{}?", p.name)
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The snake_case name of a level, as in the JSON records.
fn level_name(level: Level) -> &'static str {
    match level {
        Level::HeadsOfGovernment => "heads_of_government",
        Level::Ministerial => "ministerial",
        Level::SeniorOfficials => "senior_officials",
        Level::Other => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_has_one_row_per_activity_and_joined_lists() {
        let place = |name: &str, known: bool| Place {
            name: name.into(),
            kind: if known { "city" } else { "unknown" }.into(),
            written: Default::default(),
            in_gazetteer: known,
        };
        let act = Activity {
            titles: [
                (Lang::FR, "Sommet, \"Benelux\"".into()),
                (Lang::NL, "Top".into()),
            ]
            .into(),
            section: [(Lang::NL, "Europese zaken".into())].into(),
            level: Level::HeadsOfGovernment,
            dates: vec!["2022-11-28".into(), "2022-12".into()],
            places: vec![place("Brussels", true), place("Esch-Belval", false)],
            partners: vec![],
            topics: vec![],
            people: vec!["Hendrik Wüst".into()],
            blocks: vec!["fr-b3".into(), "nl-b3".into()],
        };
        let mut csv = Vec::new();
        write_csv(std::slice::from_ref(&act), [Lang::FR, Lang::NL], &mut csv).unwrap();
        let csv = String::from_utf8(csv).unwrap();
        assert_eq!(
            csv,
            "title_fr,title_nl,section_fr,section_nl,level,dates,places,partners,topics,people,blocks\n\
             \"Sommet, \"\"Benelux\"\"\",Top,,Europese zaken,heads_of_government,2022-11-28; 2022-12,\
             Brussels; Esch-Belval?,,,Hendrik Wüst,fr-b3; nl-b3\n"
        );
        let mut jsonl = Vec::new();
        crate::export::jsonl::write_lines([&act], &mut jsonl).unwrap();
        let jsonl = String::from_utf8(jsonl).unwrap();
        let back: Activity = serde_json::from_str(jsonl.trim_end()).unwrap();
        assert_eq!(back, act);
        assert!(jsonl.contains(r#""level":"heads_of_government""#));
    }
}
