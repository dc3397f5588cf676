//! A timeline of activities as a self-contained SVG: a dated axis with month ticks, one mark
//! per activity (a dot for a day, a bar for a month) coloured by level, each a link to the
//! activity's first block (`#nl-b12`) in the review page, or wherever the caller says
//! ([`timeline_svg_linked`]: the archive's activities page links each mark to its record).
//! Activities without a date are drawn in a row of their own so that none is left out.

use std::fmt::Write;

use crate::model::{Activity, Level};

const WIDTH: f64 = 960.0;
const LEFT: f64 = 70.0;
const RIGHT: f64 = 20.0;
const LANE: f64 = 16.0;
const TOP: f64 = 40.0;

/// The colour and legend label of each level.
const LEVELS: [(Level, &str, &str); 4] = [
    (Level::HeadsOfGovernment, "#b2182b", "heads of government"),
    (Level::Ministerial, "#ef8a62", "ministerial"),
    (Level::SeniorOfficials, "#2166ac", "senior officials"),
    (Level::Other, "#7f7f7f", "other"),
];

/// A mark to draw: the first and last day it covers (days since 1970-01-01).
struct Mark<'a> {
    activity: &'a Activity,
    /// The activity's position in the slice drawn (what the link is made from).
    index: usize,
    label: String,
    first: i64,
    last: i64,
}

/// Draws the activities as an SVG document (no external resources, all text escaped), each
/// mark linked to the activity's first block in the review page (`#nl-b12`).
pub fn timeline_svg(activities: &[Activity]) -> String {
    let refs: Vec<&Activity> = activities.iter().collect();
    timeline_svg_linked(&refs, &|i| block_link(refs[i]))
}

/// Draws the activities as [`timeline_svg`] does, each mark linked to `link(i)`, `i` being
/// the activity's position in `activities` (the link is escaped here).
pub fn timeline_svg_linked(activities: &[&Activity], link: &dyn Fn(usize) -> String) -> String {
    let marks: Vec<Mark> = activities
        .iter()
        .enumerate()
        .filter_map(|(i, a)| mark_of(i, a))
        .collect();
    let undated: Vec<(usize, &Activity)> = activities
        .iter()
        .enumerate()
        .filter(|(_, a)| a.dates.iter().all(|d| day_range(d).is_none()))
        .map(|(i, a)| (i, *a))
        .collect();
    let lanes = assign_lanes(&marks);
    let lane_count = lanes.iter().copied().max().map_or(0, |m| m + 1);
    let axis_y = TOP + lane_count as f64 * LANE + 10.0;
    let undated_y = axis_y + 45.0;
    let height = if undated.is_empty() {
        axis_y + 35.0
    } else {
        undated_y + 20.0
    };

    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="diptych-timeline" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="11" role="img" aria-label="Timeline of {} activities">"#,
        activities.len()
    );
    svg.push('\n');
    legend(&mut svg);
    if let (Some(start), Some(end)) = (
        marks.iter().map(|m| m.first).min(),
        marks.iter().map(|m| m.last).max(),
    ) {
        let scale = Scale::new(month_start(start), month_end(end));
        axis(&mut svg, &scale, axis_y);
        for (mark, lane) in marks.iter().zip(&lanes) {
            draw_mark(
                &mut svg,
                &scale,
                mark,
                &link(mark.index),
                TOP + *lane as f64 * LANE,
            );
        }
    } else {
        let _ = writeln!(
            svg,
            r#"<text x="{LEFT}" y="{axis_y}">no dated activities</text>"#
        );
    }
    undated_row(&mut svg, &undated, link, undated_y);
    svg.push_str("</svg>\n");
    svg
}

fn mark_of(index: usize, activity: &Activity) -> Option<Mark<'_>> {
    let (date, (first, last)) = activity
        .dates
        .iter()
        .find_map(|d| day_range(d).map(|r| (d, r)))?;
    Some(Mark {
        activity,
        index,
        label: format!("{date} – {}{}", title_of(activity), with_partners(activity)),
        first,
        last,
    })
}

/// The days an ISO date covers: one day for `2022-11-28`, the month for `2022-04`.
fn day_range(iso: &str) -> Option<(i64, i64)> {
    let parts: Vec<&str> = iso.split('-').collect();
    let year: i64 = parts.first()?.parse().ok()?;
    let month: u32 = parts
        .get(1)?
        .parse()
        .ok()
        .filter(|m| (1..=12).contains(m))?;
    match parts.get(2) {
        Some(d) => {
            let day: u32 = d.parse().ok().filter(|d| (1..=31).contains(d))?;
            let n = days_from_civil(year, month, day);
            Some((n, n))
        }
        None => {
            let first = days_from_civil(year, month, 1);
            let next = if month == 12 {
                days_from_civil(year + 1, 1, 1)
            } else {
                days_from_civil(year, month + 1, 1)
            };
            Some((first, next - 1))
        }
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`]: (year, month, day).
fn civil_from_days(n: i64) -> (i64, u32, u32) {
    let z = n + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn month_start(n: i64) -> i64 {
    let (y, m, _) = civil_from_days(n);
    days_from_civil(y, m, 1)
}

fn month_end(n: i64) -> i64 {
    let (y, m, _) = civil_from_days(n);
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    days_from_civil(ny, nm, 1)
}

/// Days to x pixels.
struct Scale {
    start: i64,
    end: i64,
}

impl Scale {
    fn new(start: i64, end: i64) -> Scale {
        Scale {
            start,
            end: end.max(start + 1),
        }
    }

    fn x(&self, day: i64) -> f64 {
        let span = (self.end - self.start) as f64;
        LEFT + (day - self.start) as f64 / span * (WIDTH - LEFT - RIGHT)
    }
}

/// Lanes so that marks closer than a dot's width do not overlap: each mark takes the first
/// lane whose last mark ends before it.
fn assign_lanes(marks: &[Mark]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..marks.len()).collect();
    order.sort_by_key(|&i| (marks[i].first, i));
    let mut lane_ends: Vec<i64> = Vec::new();
    let mut lanes = vec![0; marks.len()];
    // About 4 days apart per dot at this width for a year; enough to keep dots apart.
    let gap = 4;
    for i in order {
        let lane = lane_ends
            .iter()
            .position(|&end| end + gap < marks[i].first)
            .unwrap_or(lane_ends.len());
        if lane == lane_ends.len() {
            lane_ends.push(marks[i].last);
        } else {
            lane_ends[lane] = marks[i].last;
        }
        lanes[i] = lane;
    }
    lanes
}

fn legend(svg: &mut String) {
    let mut x = LEFT;
    for (_, colour, label) in LEVELS {
        let _ = writeln!(
            svg,
            r#"<rect x="{x}" y="10" width="10" height="10" fill="{colour}"/><text x="{}" y="19">{label}</text>"#,
            x + 14.0
        );
        x += 30.0 + 7.0 * label.len() as f64;
    }
}

fn axis(svg: &mut String, scale: &Scale, y: f64) {
    let _ = writeln!(
        svg,
        r##"<line x1="{LEFT}" y1="{y}" x2="{}" y2="{y}" stroke="#333"/>"##,
        WIDTH - RIGHT
    );
    let months = months_between(scale.start, scale.end);
    for (k, day) in months.iter().enumerate() {
        let x = scale.x(*day);
        let _ = writeln!(
            svg,
            r##"<line x1="{x:.1}" y1="{y}" x2="{x:.1}" y2="{}" stroke="#333"/>"##,
            y + 5.0
        );
        if let Some(label) = tick_label(k, *day, months.len()) {
            let _ = writeln!(
                svg,
                r#"<text x="{x:.1}" y="{}" text-anchor="middle">{label}</text>"#,
                y + 18.0
            );
        }
    }
}

/// The label of the `k`th month tick of `count`: up to two years, about twelve `YYYY-MM`
/// labels; over a longer span (the archive's timeline across years), the year at each January
/// (every few years when there are more than twelve).
fn tick_label(k: usize, day: i64, count: usize) -> Option<String> {
    let (year, month, _) = civil_from_days(day);
    if count <= 24 {
        let step = count.div_ceil(12).max(1);
        let on_step = k.checked_rem(step) == Some(0);
        return on_step.then(|| format!("{year}-{month:02}"));
    }
    let year_step = count.div_ceil(12 * 12).max(1) as i64;
    (month == 1 && year.rem_euclid(year_step) == 0).then(|| year.to_string())
}

fn months_between(start: i64, end: i64) -> Vec<i64> {
    let mut days = Vec::new();
    let mut day = start;
    while day < end {
        days.push(day);
        day = month_end(day);
    }
    days
}

fn draw_mark(svg: &mut String, scale: &Scale, mark: &Mark, link: &str, y: f64) {
    let colour = colour_of(mark.activity.level);
    let _ = write!(
        svg,
        r#"<a href="{}"><title>{}</title>"#,
        escape(link),
        escape(&mark.label)
    );
    if mark.first == mark.last {
        let _ = write!(
            svg,
            r#"<circle cx="{:.1}" cy="{y}" r="5" fill="{colour}"/>"#,
            scale.x(mark.first)
        );
    } else {
        let (x1, x2) = (scale.x(mark.first), scale.x(mark.last + 1));
        let _ = write!(
            svg,
            r#"<rect x="{x1:.1}" y="{}" width="{:.1}" height="8" rx="4" fill="{colour}" fill-opacity="0.6"/>"#,
            y - 4.0,
            (x2 - x1).max(4.0)
        );
    }
    svg.push_str("</a>\n");
}

fn undated_row(
    svg: &mut String,
    undated: &[(usize, &Activity)],
    link: &dyn Fn(usize) -> String,
    y: f64,
) {
    if undated.is_empty() {
        return;
    }
    let _ = writeln!(svg, r#"<text x="4" y="{}">undated</text>"#, y + 4.0);
    for (k, (i, a)) in undated.iter().enumerate() {
        let x = LEFT + 14.0 * k as f64;
        let _ = writeln!(
            svg,
            r#"<a href="{}"><title>{}</title><circle cx="{x:.1}" cy="{y}" r="5" fill="{}"/></a>"#,
            escape(&link(*i)),
            escape(&format!("undated – {}", title_of(a))),
            colour_of(a.level)
        );
    }
}

fn colour_of(level: Level) -> &'static str {
    LEVELS
        .iter()
        .find(|(l, _, _)| *l == level)
        .map_or("#7f7f7f", |(_, c, _)| c)
}

/// ` – with A, B` naming the partners (those who took part), or nothing.
fn with_partners(a: &Activity) -> String {
    if a.partners.is_empty() {
        return String::new();
    }
    let names: Vec<&str> = a.partners.iter().map(|p| p.name.as_str()).collect();
    format!(" – with {}", names.join(", "))
}

fn title_of(a: &Activity) -> &str {
    a.titles.values().next().map_or("", String::as_str)
}

/// The review page's anchor of the activity's first block.
fn block_link(a: &Activity) -> String {
    format!("#{}", a.blocks.first().map_or("", String::as_str))
}

/// Escapes text for an XML attribute or element.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;

    fn activity(title: &str, dates: &[&str], level: Level, block: &str) -> Activity {
        Activity {
            titles: [(Lang::NL, title.to_owned())].into(),
            section: Default::default(),
            level,
            dates: dates.iter().map(|d| d.to_string()).collect(),
            places: vec![],
            partners: vec![],
            topics: vec![],
            people: vec![],
            blocks: vec![block.to_owned()],
        }
    }

    #[test]
    fn civil_days_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2022, 11, 28), 19324);
        for n in [0, 19324, 20000, -1, 11016] {
            let (y, m, d) = civil_from_days(n);
            assert_eq!(days_from_civil(y, m, d), n);
        }
        assert_eq!(day_range("2022-04"), Some((19083, 19112)));
        assert_eq!(day_range("2022"), None);
        assert_eq!(day_range("2022-13-01"), None);
    }

    #[test]
    fn one_linked_mark_per_activity_coloured_by_level_and_escaped() {
        let acts = [
            activity(
                "Benelux-Top",
                &["2022-11-28"],
                Level::HeadsOfGovernment,
                "nl-b7",
            ),
            activity(
                "Ministers <&> \"NAVO\"",
                &["2022-04"],
                Level::Ministerial,
                "nl-b12",
            ),
            activity("Calls", &[], Level::SeniorOfficials, "nl-b20"),
        ];
        let svg = timeline_svg(&acts);
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert_eq!(svg.matches("<a href=").count(), 3, "{svg}");
        assert!(
            svg.contains(r##"<a href="#nl-b7"><title>2022-11-28 – Benelux-Top</title><circle"##)
        );
        assert!(svg.contains("fill=\"#b2182b\""));
        assert!(svg.contains("Ministers &lt;&amp;&gt; &quot;NAVO&quot;"));
        assert!(!svg.contains("<&>"));
        assert!(svg.contains(">undated<"));
        // Axis from April to November 2022, one tick per month.
        assert!(svg.contains(">2022-04<") && svg.contains(">2022-11<"));
        assert!(!svg.contains(">2022-03<") && !svg.contains(">2022-12<"));
    }

    #[test]
    fn a_label_names_the_partners_not_the_topics() {
        let place = |name: &str| crate::model::Place {
            name: name.into(),
            kind: "country".into(),
            written: Default::default(),
            in_gazetteer: true,
        };
        let mut a = activity("Benelux-Slovenië", &["2022-06-24"], Level::Other, "nl-b3");
        a.partners = vec![place("Slovenia")];
        a.topics = vec![place("Ukraine")];
        let svg = timeline_svg(&[a]);
        assert!(
            svg.contains("<title>2022-06-24 – Benelux-Slovenië – with Slovenia</title>"),
            "{svg}"
        );
        assert!(!svg.contains("Ukraine"));
    }

    #[test]
    fn close_dates_go_to_separate_lanes() {
        let acts = [
            activity("a", &["2022-06-27"], Level::Other, "b1"),
            activity("b", &["2022-06-28"], Level::Other, "b2"),
            activity("c", &["2022-10-01"], Level::Other, "b3"),
        ];
        let marks: Vec<Mark> = acts
            .iter()
            .enumerate()
            .filter_map(|(i, a)| mark_of(i, a))
            .collect();
        assert_eq!(assign_lanes(&marks), [0, 1, 0]);
    }

    #[test]
    fn a_span_of_years_is_labelled_by_year_and_links_are_the_callers() {
        let acts = [
            activity("a", &["2015-03-02"], Level::Other, "b1"),
            activity("b", &["2019-06"], Level::Ministerial, "b2"),
            activity("c", &[], Level::Other, "b3"),
        ];
        let refs: Vec<&Activity> = acts.iter().collect();
        let svg = timeline_svg_linked(&refs, &|i| format!("#doc \"x\"/{i}"));
        for year in ["2016", "2017", "2018", "2019"] {
            assert!(svg.contains(&format!(">{year}<")), "{year}: {svg}");
        }
        assert!(!svg.contains(">2016-01<"));
        for i in 0..3 {
            assert!(
                svg.contains(&format!("href=\"#doc &quot;x&quot;/{i}\"")),
                "{svg}"
            );
        }
        assert!(!svg.contains("#b1"));
    }

    #[test]
    fn no_activities_still_gives_a_valid_svg() {
        let svg = timeline_svg(&[]);
        assert!(svg.contains("no dated activities"));
        assert!(svg.trim_end().ends_with("</svg>"));
    }
}
