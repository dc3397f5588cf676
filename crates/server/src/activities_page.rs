//! The activities page (`GET /activities`): every activity in the archive as a filterable,
//! sortable table with counts per year and level, a timeline across years and the reporting
//! beads of the activity clicked. The server renders the form (filled from the URL, so a
//! link carries its filter) and the page's script asks `/api/activities/view` for each
//! filter: all filtering, sorting and counting happen on the server; the script only renders.

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query as QueryString, State};
use axum::response::{Html, IntoResponse, Response};
use diptych_index::DocumentInfo;
use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::api::ActivityParams;
use crate::Served;

const STYLE: &str = include_str!("activities.css");
const SCRIPT: &str = include_str!("activities.js");

/// The level names and labels of the level filter, in rank order.
const LEVELS: [(&str, &str); 4] = [
    ("heads_of_government", "heads of government"),
    ("ministerial", "ministerial"),
    ("senior_officials", "senior officials"),
    ("other", "other"),
];

/// The sortable columns: sort key and header text.
const COLUMNS: [(&str, &str); 6] = [
    ("date", "Dates"),
    ("level", "Level"),
    ("title", "Title (both languages)"),
    ("place", "Places"),
    ("partner", "Partners"),
    ("document", "Document"),
];

/// `GET /activities`: the page, its form filled from the query string.
pub async fn activities_page(
    State(served): State<Arc<Served>>,
    params: Result<QueryString<ActivityParams>, QueryRejection>,
) -> Response {
    let form = params.map(|p| p.0).unwrap_or_default();
    match served.query(|archive| Ok(archive.list()?)).await {
        Ok(documents) => Html(render(&form, &documents).into_string()).into_response(),
        Err(e) => e.into_response(),
    }
}

fn render(form: &ActivityParams, documents: &[DocumentInfo]) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                title { "diptych — activities" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                nav { a href="/" { "search" } " · " strong { "activities" } }
                h1 { "Activities in the archive" }
                (filter_form(form, documents))
                p #summary .meta { "loading…" }
                p #error .error hidden {}
                p #downloads { "Download the filtered set: " a #csv href="/api/activities.csv" { "CSV" } " · " a #json href="/api/activities.json" { "JSON" } }
                div #overview {
                    section { h2 { "Per year and level" } table #counts {} }
                    section #timeline-box { h2 { "Timeline" } div #timeline {} }
                }
                table #activities {
                    thead { tr { @for (key, label) in COLUMNS { th { button type="button" data-sort=(key) { (label) } } } } }
                    tbody {}
                }
                div #pager { button #prev type="button" { "previous" } " " span #range {} " " button #next type="button" { "next" } }
                aside #detail hidden {
                    button #close type="button" title="close" { "×" }
                    h2 #detail-title {}
                    p #detail-meta .meta {}
                    p { a #review-link { "open the document's review page" } }
                    table #beads {}
                }
                script type="application/json" #reports { (PreEscaped(reports_json(documents))) }
                script { (PreEscaped(SCRIPT)) }
            }
        }
    }
}

fn filter_form(form: &ActivityParams, documents: &[DocumentInfo]) -> Markup {
    let value = |v: &Option<String>| v.clone().unwrap_or_default();
    html! {
        form #filters method="get" action="/activities" {
            label { "Partner (took part)" input name="partner" placeholder="e.g. Baltic states" value=(value(&form.partner)); }
            label { "Place" input name="place" placeholder="e.g. Brussel" value=(value(&form.place)); }
            label { "Title words" input type="search" name="text" value=(value(&form.text)); }
            label { "From" input name="from" size="10" placeholder="YYYY" value=(value(&form.from)); }
            label { "To" input name="to" size="10" placeholder="YYYY" value=(value(&form.to)); }
            label { "Level"
                select name="level" {
                    option value="" { "any" }
                    @for (v, text) in LEVELS {
                        option value=(v) selected[form.level.as_deref() == Some(v)] { (text) }
                    }
                }
            }
            label { "Document"
                select name="doc" {
                    option value="" { "all" }
                    @for d in documents {
                        option value=(d.name) selected[form.doc.as_deref() == Some(d.name.as_str())] { (d.name) }
                    }
                }
            }
            input type="hidden" name="sort" value=(value(&form.sort));
            input type="hidden" name="desc" value=(value(&form.desc));
            input type="hidden" name="offset" value=(value(&form.offset));
            button type="submit" { "Filter" }
        }
    }
}

/// The names of the documents whose review page is stored, as a JSON array (`<` escaped so
/// that no name can end the script element).
fn reports_json(documents: &[DocumentInfo]) -> String {
    let names: Vec<&str> = documents
        .iter()
        .filter(|d| d.has_report)
        .map(|d| d.name.as_str())
        .collect();
    serde_json::to_string(&names)
        .unwrap_or_else(|_| "[]".into())
        .replace('<', "\\u003c")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(name: &str, has_report: bool) -> DocumentInfo {
        DocumentInfo {
            name: name.into(),
            year: Some(2022),
            langs: ["nl".into(), "fr".into()],
            title: "t".into(),
            beads: 1,
            findings: 0,
            activities: 1,
            has_report,
        }
    }

    #[test]
    fn the_form_carries_the_url_filter_escaped() {
        let form = ActivityParams {
            partner: Some("Baltic \"states\"".into()),
            level: Some("ministerial".into()),
            doc: Some("b".into()),
            ..Default::default()
        };
        let html = render(&form, &[doc("a", true), doc("b", false)]).into_string();
        assert!(html.contains(r#"name="partner" placeholder="e.g. Baltic states" value="Baltic &quot;states&quot;""#), "{html}");
        assert!(html.contains(r#"<option value="ministerial" selected>"#));
        assert!(html.contains(r#"<option value="b" selected>"#));
        assert!(!html.contains(r#"<option value="a" selected>"#));
    }

    #[test]
    fn report_names_cannot_close_the_script() {
        let json = reports_json(&[doc("x</script><b>", true), doc("none", false)]);
        assert_eq!(json, r#"["x\u003c/script>\u003cb>"]"#);
    }
}
