//! The JSON API. Every answer is JSON; parameters are query-string fields, all optional
//! except `q`:
//!
//! | route | parameters | answer |
//! |---|---|---|
//! | `/api/search` | `q`, `lang`, `doc`, `year`, `section`, `level`, `substring`, `limit`, `page` | a page of hits |
//! | `/api/group` | same as search | renderings of `q` per language |
//! | `/api/documents` | — | the documents |
//! | `/api/documents/{name}/beads` | `offset`, `limit` | beads, both sides' text |
//! | `/api/documents/{name}/findings` | — | the findings |
//! | `/api/activities` | `partner`, `place`, `text`, `from`, `to`, `level`, `doc`, `limit` | activities |
//! | `/api/activities/view` | the same filters, `sort`, `desc`, `offset`, `limit` | [`ActivityView`]: one page of the filtered set, its counts per year and level, its timeline |
//! | `/api/activities.csv`, `/api/activities.json` | the same filters | the whole filtered set, as `diptych activities --csv` / `--json` |
//! | `/api/documents/{name}/activities/{index}` | — | [`ActivitySource`]: an activity and the beads it comes from |
//!
//! `limit` is at most [`crate::MAX_RESULTS`]; `q` at most [`MAX_QUERY_CHARS`] characters.

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query as QueryString, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use diptych_core::{Activity, Finding, Lang};
use diptych_index::{
    count_by_year_and_level, parse_level, sort_records, ActivityFilter, ActivityRecord,
    ActivitySource, BeadRecord, DocumentInfo, Grouping, Hit, Page, Query, SortKey, YearCount,
};
use serde::{Deserialize, Serialize};

use crate::{ApiError, Pool, MAX_RESULTS};

/// The longest query text accepted.
pub const MAX_QUERY_CHARS: usize = 500;

type Api<T> = Result<Json<T>, ApiError>;
type Params<T> = Result<QueryString<T>, QueryRejection>;

/// The API routes, mounted under `/api`.
pub fn routes() -> Router<Arc<Pool>> {
    Router::new()
        .route("/search", get(search))
        .route("/group", get(group))
        .route("/documents", get(documents))
        .route("/documents/{name}/beads", get(beads))
        .route("/documents/{name}/findings", get(findings))
        .route("/activities", get(activities))
        .route("/activities/view", get(activity_view_route))
        .route("/activities.csv", get(activities_csv))
        .route("/activities.json", get(activities_json))
        .route("/documents/{name}/activities/{index}", get(activity_source))
        .fallback(crate::error::not_found)
}

/// Search parameters as they come in a query string: all text, checked by [`to_query`].
#[derive(Clone, Debug, Default, Deserialize)]
pub struct SearchParams {
    /// The query text.
    pub q: Option<String>,
    /// A language code.
    pub lang: Option<String>,
    /// A document name.
    pub doc: Option<String>,
    /// A year.
    pub year: Option<String>,
    /// Part of a section heading.
    pub section: Option<String>,
    /// An activity level.
    pub level: Option<String>,
    /// `1`, `true` or `on` for a substring search.
    pub substring: Option<String>,
    /// Hits per page.
    pub limit: Option<String>,
    /// Page number from 1.
    pub page: Option<String>,
}

/// A parameter's value, with empty fields (as HTML forms send them) taken as absent.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn number<T: std::str::FromStr>(name: &str, value: &Option<String>) -> Result<Option<T>, ApiError> {
    given(value)
        .map(|v| {
            v.parse()
                .map_err(|_| ApiError::bad_request(format!("{name} must be a number, got {v:?}")))
        })
        .transpose()
}

fn bounded_limit(value: &Option<String>, default: usize) -> Result<usize, ApiError> {
    let limit = number("limit", value)?.unwrap_or(default);
    if limit == 0 || limit > MAX_RESULTS {
        return Err(ApiError::bad_request(format!(
            "limit must be between 1 and {MAX_RESULTS}, got {limit}"
        )));
    }
    Ok(limit)
}

/// Checks search parameters and turns them into a [`Query`].
pub fn to_query(p: &SearchParams) -> Result<Query, ApiError> {
    let text = given(&p.q).ok_or_else(|| ApiError::bad_request("missing query: add q=..."))?;
    if text.chars().count() > MAX_QUERY_CHARS {
        return Err(ApiError::bad_request(format!(
            "query too long (at most {MAX_QUERY_CHARS} characters)"
        )));
    }
    let mut query = Query::new(text);
    query.substring = given(&p.substring).is_some_and(|v| matches!(v, "1" | "true" | "on" | "yes"));
    query.lang = given(&p.lang)
        .map(|l| Lang::parse(l).map_err(|e| ApiError::bad_request(e.to_string())))
        .transpose()?;
    query.document = given(&p.doc).map(str::to_owned);
    query.year = number("year", &p.year)?;
    query.section = given(&p.section).map(str::to_owned);
    query.level = given(&p.level).map(parse_level).transpose()?;
    query.limit = bounded_limit(&p.limit, 20)?;
    query.page = number("page", &p.page)?.unwrap_or(1);
    Ok(query)
}

fn params<T>(p: Params<T>) -> Result<T, ApiError> {
    p.map(|QueryString(t)| t)
        .map_err(|e| ApiError::bad_request(e.body_text()))
}

async fn search(State(pool): State<Arc<Pool>>, p: Params<SearchParams>) -> Api<Page<Hit>> {
    let query = to_query(&params(p)?)?;
    pool.with(move |a| Ok(a.search(&query)?)).await.map(Json)
}

async fn group(State(pool): State<Arc<Pool>>, p: Params<SearchParams>) -> Api<Vec<Grouping>> {
    let query = to_query(&params(p)?)?;
    pool.with(move |a| Ok(a.group(&query)?)).await.map(Json)
}

async fn documents(State(pool): State<Arc<Pool>>) -> Api<Vec<DocumentInfo>> {
    pool.with(|a| Ok(a.list()?)).await.map(Json)
}

/// Paging of a document's beads.
#[derive(Debug, Default, Deserialize)]
struct BeadParams {
    offset: Option<String>,
    limit: Option<String>,
}

async fn beads(
    State(pool): State<Arc<Pool>>,
    Path(name): Path<String>,
    p: Params<BeadParams>,
) -> Api<Vec<BeadRecord>> {
    let p = params(p)?;
    let offset = number("offset", &p.offset)?.unwrap_or(0);
    let limit = bounded_limit(&p.limit, MAX_RESULTS)?;
    pool.with(move |a| Ok(a.beads(&name, offset, limit)?))
        .await
        .map(Json)
}

async fn findings(State(pool): State<Arc<Pool>>, Path(name): Path<String>) -> Api<Vec<Finding>> {
    pool.with(move |a| Ok(a.findings(&name)?)).await.map(Json)
}

/// Most activities one download (`/api/activities.csv`, `.json`) holds.
pub const MAX_EXPORT: usize = 100_000;

/// Activity filters, sort and paging as they come in a query string (the activities page's
/// URL carries the same fields).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ActivityParams {
    /// Part of a partner's name, any language.
    pub partner: Option<String>,
    /// Part of a place's name, any language.
    pub place: Option<String>,
    /// Words of the title, either language.
    pub text: Option<String>,
    /// From this date (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`).
    pub from: Option<String>,
    /// Up to this date, inclusive.
    pub to: Option<String>,
    /// A level name.
    pub level: Option<String>,
    /// A document name.
    pub doc: Option<String>,
    /// A [`SortKey`] name (the view only).
    pub sort: Option<String>,
    /// `1`, `true` or `on` to sort in descending order (the view only).
    pub desc: Option<String>,
    /// Rows to skip (the view only).
    pub offset: Option<String>,
    /// Rows to return.
    pub limit: Option<String>,
}

/// Checks the filter fields of activity parameters.
pub fn to_filter(p: &ActivityParams) -> Result<ActivityFilter, ApiError> {
    Ok(ActivityFilter {
        partner: given(&p.partner).map(str::to_owned),
        place: given(&p.place).map(str::to_owned),
        text: given(&p.text).map(str::to_owned),
        from: given(&p.from).map(str::to_owned),
        to: given(&p.to).map(str::to_owned),
        level: given(&p.level).map(parse_level).transpose()?,
        document: given(&p.doc).map(str::to_owned),
    })
}

async fn activities(
    State(pool): State<Arc<Pool>>,
    p: Params<ActivityParams>,
) -> Api<Vec<ActivityRecord>> {
    let p = params(p)?;
    let filter = to_filter(&p)?;
    let limit = bounded_limit(&p.limit, MAX_RESULTS)?;
    pool.with(move |a| Ok(a.activities(&filter, limit)?))
        .await
        .map(Json)
}

/// What the activities page shows for one filter: one page of the filtered set (sorted),
/// and, over the whole set, its size, its counts per year and level and its timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActivityView {
    /// Activities in the filtered set.
    pub total: usize,
    /// Position of the first row in the sorted set.
    pub offset: usize,
    /// Rows per page.
    pub limit: usize,
    /// The rows of this page.
    pub rows: Vec<ActivityRecord>,
    /// The filtered set counted per year and level.
    pub counts: Vec<YearCount>,
    /// The filtered set on a timeline (SVG, all text escaped), coloured by level; each mark
    /// links to `#a/{document}/{index}`.
    pub timeline: String,
}

/// Builds the view of `records` (the whole filtered set, in date order).
pub fn activity_view(
    mut records: Vec<ActivityRecord>,
    sort: SortKey,
    descending: bool,
    offset: usize,
    limit: usize,
) -> ActivityView {
    let counts = count_by_year_and_level(&records);
    let timeline = timeline_of(&records);
    sort_records(&mut records, sort, descending);
    let total = records.len();
    let rows = records.into_iter().skip(offset).take(limit).collect();
    ActivityView {
        total,
        offset,
        limit,
        rows,
        counts,
        timeline,
    }
}

/// The timeline of records, each mark linked to `#a/{document}/{index}` (percent-encoded).
fn timeline_of(records: &[ActivityRecord]) -> String {
    let activities: Vec<&Activity> = records.iter().map(|r| &r.activity).collect();
    diptych_core::extract::timeline_svg_linked(&activities, &|i| {
        let r = &records[i];
        format!("#a/{}/{}", crate::page::encode(&r.document), r.index)
    })
}

async fn activity_view_route(
    State(pool): State<Arc<Pool>>,
    p: Params<ActivityParams>,
) -> Api<ActivityView> {
    let p = params(p)?;
    let filter = to_filter(&p)?;
    let sort = given(&p.sort)
        .map(SortKey::parse)
        .transpose()?
        .unwrap_or_default();
    let descending = given(&p.desc).is_some_and(|v| matches!(v, "1" | "true" | "on" | "yes"));
    let offset = number("offset", &p.offset)?.unwrap_or(0);
    let limit = bounded_limit(&p.limit, MAX_RESULTS)?;
    pool.with(move |a| {
        let records = a.all_activities(&filter)?;
        Ok(activity_view(records, sort, descending, offset, limit))
    })
    .await
    .map(Json)
}

/// The whole filtered set, for a download.
async fn export_records(
    pool: Arc<Pool>,
    p: Params<ActivityParams>,
) -> Result<Vec<ActivityRecord>, ApiError> {
    let filter = to_filter(&params(p)?)?;
    pool.with(move |a| Ok(a.activities(&filter, MAX_EXPORT)?))
        .await
}

/// A download: the body with its type, as an attachment (`disposition`).
fn download(body: Vec<u8>, content_type: &'static str, disposition: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}

async fn activities_csv(State(pool): State<Arc<Pool>>, p: Params<ActivityParams>) -> Response {
    match export_records(pool, p).await {
        Ok(records) => {
            let mut body = Vec::new();
            match diptych_index::write_csv(&records, &mut body) {
                Ok(()) => download(
                    body,
                    "text/csv; charset=utf-8",
                    "attachment; filename=\"activities.csv\"",
                ),
                Err(e) => ApiError::internal(format!("writing the CSV: {e}")).into_response(),
            }
        }
        Err(e) => e.into_response(),
    }
}

async fn activities_json(State(pool): State<Arc<Pool>>, p: Params<ActivityParams>) -> Response {
    match export_records(pool, p).await {
        Ok(records) => {
            let mut body = Vec::new();
            match diptych_index::write_json(&records, &mut body) {
                Ok(()) => download(
                    body,
                    "application/json",
                    "attachment; filename=\"activities.json\"",
                ),
                Err(e) => ApiError::internal(format!("writing the JSON: {e}")).into_response(),
            }
        }
        Err(e) => e.into_response(),
    }
}

async fn activity_source(
    State(pool): State<Arc<Pool>>,
    Path((name, index)): Path<(String, String)>,
) -> Api<ActivitySource> {
    let index: usize = index
        .parse()
        .map_err(|_| ApiError::bad_request(format!("index must be a number, got {index:?}")))?;
    pool.with(move |a| Ok(a.activity_source(&name, index)?))
        .await
        .map(Json)
}
