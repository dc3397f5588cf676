//! The search page and the stored review pages.

use std::sync::Arc;

use axum::extract::{Path, Query as QueryString, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use diptych_index::{DocumentInfo, Hit, Page};
use maud::{html, Markup, DOCTYPE};

use crate::api::{to_query, SearchParams};
use crate::{ApiError, Served};

const STYLE: &str = "
body { font-family: sans-serif; margin: 1.5em auto; max-width: 70em; padding: 0 1em; }
form { display: flex; flex-wrap: wrap; gap: .5em; align-items: end; margin-bottom: 1em; }
label { display: flex; flex-direction: column; font-size: .85em; }
input[name=q] { width: 24em; }
table { border-collapse: collapse; width: 100%; }
td { vertical-align: top; padding: .4em .6em; border-top: 1px solid #ddd; width: 50%; }
mark { background: #ffe066; }
.meta { color: #555; font-size: .85em; }
.error { color: #a00; }
";

/// Everything the page needs once the archive has answered.
struct Results {
    documents: Vec<DocumentInfo>,
    page: Option<Result<Page<Hit>, ApiError>>,
}

/// `GET /`: the search form, and the hits when a query is given.
pub async fn search_page(
    State(served): State<Arc<Served>>,
    params: Result<QueryString<SearchParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let params = params
        .map(|p| p.0)
        .map_err(|e| ApiError::bad_request(e.body_text()));
    let form = params.as_ref().cloned().unwrap_or_default();
    let limits = served.limits().clone();
    let results = served
        .query(move |archive| {
            let documents = archive.list()?;
            let page = match params {
                Err(e) => Some(Err(e)),
                Ok(p) if p.q.as_deref().is_some_and(|q| !q.trim().is_empty()) => {
                    Some(to_query(&p, &limits).and_then(|q| Ok(archive.search(&q)?)))
                }
                Ok(_) => None,
            };
            Ok(Results { documents, page })
        })
        .await;
    match results {
        Ok(results) => {
            let status = match &results.page {
                Some(Err(e)) => e.status,
                _ => StatusCode::OK,
            };
            (status, Html(render(&form, &results).into_string())).into_response()
        }
        Err(e) => e.into_response(),
    }
}

fn render(form: &SearchParams, results: &Results) -> Markup {
    let value = |v: &Option<String>| v.clone().unwrap_or_default();
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                title { "diptych — bilingual search" }
                style { (STYLE) }
            }
            body {
                nav { strong { "search" } " · " a href="/activities" { "activities" } }
                h1 { "diptych archive" }
                form #search method="get" action="/" {
                    label { "Search" input type="search" name="q" value=(value(&form.q)) autofocus; }
                    label { "Language" input name="lang" size="3" value=(value(&form.lang)); }
                    label { "Document"
                        select name="doc" {
                            option value="" { "all" }
                            @for d in &results.documents {
                                option value=(d.name) selected[form.doc.as_deref() == Some(d.name.as_str())] { (d.name) }
                            }
                        }
                    }
                    label { "Year" input name="year" size="5" value=(value(&form.year)); }
                    label { "Section" input name="section" value=(value(&form.section)); }
                    label { "Level"
                        select name="level" {
                            @for (v, text) in [("", "any"), ("heads_of_government", "heads of government"), ("ministerial", "ministerial"), ("senior_officials", "senior officials"), ("other", "other")] {
                                option value=(v) selected[form.level.as_deref() == Some(v)] { (text) }
                            }
                        }
                    }
                    label { "Substring" input type="checkbox" name="substring" value="1" checked[form.substring.is_some()]; }
                    button type="submit" { "Search" }
                }
                p .meta { "Words: all must occur; \"…\" a phrase; word* a prefix; accents and case are ignored." }
                @match &results.page {
                    None => { (documents_list(&results.documents)) }
                    Some(Err(e)) => { p .error #error { (e.message) } }
                    Some(Ok(page)) => { (hits_table(form, page, &results.documents)) }
                }
            }
        }
    }
}

fn documents_list(documents: &[DocumentInfo]) -> Markup {
    html! {
        h2 { (documents.len()) " documents" }
        ul {
            @for d in documents {
                li {
                    (report_link(d)) " "
                    span .meta { (d.title) " · " (d.langs[0]) "/" (d.langs[1]) " · " (d.beads) " beads" }
                }
            }
        }
    }
}

fn report_link(d: &DocumentInfo) -> Markup {
    html! {
        @if d.has_report {
            a href=(format!("/documents/{}/report.html", encode(&d.name))) { (d.name) }
        } @else {
            (d.name)
        }
    }
}

fn hits_table(form: &SearchParams, page: &Page<Hit>, documents: &[DocumentInfo]) -> Markup {
    let pages = page.total.div_ceil(page.per_page.max(1));
    html! {
        p #count { (page.total) @if !page.exact { "+" } " hits" @if pages > 1 { ", page " (page.page) " of " (pages) } }
        table #hits {
            @for hit in &page.items {
                tr .hit {
                    td lang=(hit.lang) .match { (marked(&hit.text, &hit.highlights)) }
                    td lang=(hit.counterpart_lang) .counterpart { (hit.counterpart) }
                }
                tr {
                    td .meta colspan="2" {
                        @match documents.iter().find(|d| d.name == hit.document) {
                            Some(d) => (report_link(d)),
                            None => (hit.document),
                        }
                        " · " (hit.block) " · bead " (hit.bead)
                        @if !hit.section.is_empty() { " · " (hit.section) }
                    }
                }
            }
        }
        @if page.page < pages {
            a #next href=(next_page_link(form, page.page + 1)) { "next page" }
        }
    }
}

/// The sentence with its matches in `<mark>`; text escaped by maud.
fn marked(text: &str, spans: &[[usize; 2]]) -> Markup {
    let mut pieces = Vec::new();
    let mut at = 0;
    for &[start, end] in spans {
        if let (Some(before), Some(inside)) = (text.get(at..start), text.get(start..end)) {
            pieces.push((before, false));
            pieces.push((inside, true));
            at = end;
        }
    }
    pieces.push((text.get(at..).unwrap_or(""), false));
    html! {
        @for (piece, hit) in pieces {
            @if hit { mark { (piece) } } @else { (piece) }
        }
    }
}

fn next_page_link(form: &SearchParams, page: usize) -> String {
    let fields = [
        ("q", &form.q),
        ("lang", &form.lang),
        ("doc", &form.doc),
        ("year", &form.year),
        ("section", &form.section),
        ("level", &form.level),
        ("substring", &form.substring),
        ("limit", &form.limit),
    ];
    let mut query: Vec<String> = fields
        .iter()
        .filter_map(|(k, v)| v.as_deref().map(|v| format!("{k}={}", encode(v))))
        .collect();
    query.push(format!("page={page}"));
    format!("/?{}", query.join("&"))
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
pub(crate) fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `GET /documents/{name}/report.html`: the review page stored with the document.
pub async fn report(
    State(served): State<Arc<Served>>,
    name: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> Response {
    let name = match name {
        Ok(Path(name)) => name,
        Err(e) => return ApiError::bad_request(e.body_text()).into_response(),
    };
    let page = served.query(move |a| Ok(a.report_html(&name)?)).await;
    match page {
        Ok(Some(html)) => (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            ],
            html,
        )
            .into_response(),
        Ok(None) => ApiError {
            status: StatusCode::NOT_FOUND,
            message: "no review page is stored for this document".into(),
        }
        .into_response(),
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_matches_and_escapes_text() {
        let html = marked("<b>NAVO</b> & OTAN", &[[3, 7]]).into_string();
        assert_eq!(html, "&lt;b&gt;<mark>NAVO</mark>&lt;/b&gt; &amp; OTAN");
        let bad_span = marked("é", &[[0, 1]]).into_string();
        assert_eq!(bad_span, "é", "a span off a character boundary is ignored");
    }

    #[test]
    fn encodes_query_values() {
        assert_eq!(encode("Raad \"BZ\"&x"), "Raad%20%22BZ%22%26x");
    }
}
