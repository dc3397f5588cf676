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
//! `limit` is at most [`crate::Limits::max_results`] (100 by default), `q` at most
//! [`crate::Limits::max_query_chars`] characters (500), `page` at most [`MAX_PAGE`], `offset`
//! at most [`MAX_OFFSET`]. Each handler carries its OpenAPI description (`#[utoipa::path]`);
//! [`crate::openapi`] gathers them.

use std::sync::Arc;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query as QueryString, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use diptych_core::model::Level;
use diptych_core::{Activity, Finding, Lang};
use diptych_index::{
    count_by_year_and_level, parse_level, sort_records, ActivityFilter, ActivityRecord,
    ActivitySource, BeadRecord, DocumentInfo, Grouping, Hit, Page, Query, SortKey, YearCount,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{ApiError, ErrorBody, Limits, Served};

/// The highest page number of a search (the hits are the best of a window of
/// [`diptych_index::WINDOW`] matches, so later pages are empty).
pub const MAX_PAGE: usize = diptych_index::WINDOW;
/// The largest `offset` of a document's beads or of the activities view.
pub const MAX_OFFSET: usize = 1_000_000_000;

type Api<T> = Result<Json<T>, ApiError>;
type Params<T> = Result<QueryString<T>, QueryRejection>;
type PathOf<T> = Result<Path<T>, PathRejection>;

/// The API routes, mounted under `/api`.
pub fn routes() -> Router<Arc<Served>> {
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
        .route("/openapi.json", get(crate::openapi::serve_description))
        .fallback(crate::error::not_found)
        .method_not_allowed_fallback(crate::error::method_not_allowed)
}

/// Search parameters as they come in a query string: all text, checked by [`to_query`] (the
/// OpenAPI description gives the types they must parse as).
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// The query text: words (all must occur), `"a phrase"`, `prefix*`; everything else is
    /// searched literally.
    #[param(required = true, value_type = String, min_length = 1, max_length = 500)]
    pub q: Option<String>,
    /// Only hits in this language (`nl`, `fr`, ...).
    #[param(value_type = Option<String>, example = "nl")]
    pub lang: Option<String>,
    /// Only hits in this document.
    #[param(value_type = Option<String>)]
    pub doc: Option<String>,
    /// Only documents reporting on this year.
    #[param(value_type = Option<i32>)]
    pub year: Option<String>,
    /// Only sentences under a section heading holding this text.
    #[param(value_type = Option<String>)]
    pub section: Option<String>,
    /// Only sentences of activities of this level.
    #[param(value_type = Option<Level>)]
    pub level: Option<String>,
    /// `1`, `true`, `on` or `yes` for a substring search (at least 3 characters).
    #[param(value_type = Option<bool>)]
    pub substring: Option<String>,
    /// Hits per page (default 20).
    #[param(value_type = Option<usize>, minimum = 1, maximum = 100)]
    pub limit: Option<String>,
    /// Page number from 1.
    #[param(value_type = Option<usize>, minimum = 1, maximum = 1000)]
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

/// A whole number in `min..=max`, or `default` when absent.
fn bounded(
    name: &str,
    value: &Option<String>,
    default: usize,
    (min, max): (usize, usize),
) -> Result<usize, ApiError> {
    let n = number(name, value)?.unwrap_or(default);
    if n < min || n > max {
        return Err(ApiError::bad_request(format!(
            "{name} must be between {min} and {max}, got {n}"
        )));
    }
    Ok(n)
}

/// A page size: 1 to the server's [`Limits::max_results`].
fn bounded_limit(
    value: &Option<String>,
    default: usize,
    limits: &Limits,
) -> Result<usize, ApiError> {
    bounded(
        "limit",
        value,
        default.min(limits.max_results),
        (1, limits.max_results),
    )
}

/// Checks search parameters and turns them into a [`Query`].
pub fn to_query(p: &SearchParams, limits: &Limits) -> Result<Query, ApiError> {
    let text = given(&p.q).ok_or_else(|| ApiError::bad_request("missing query: add q=..."))?;
    if text.chars().count() > limits.max_query_chars {
        return Err(ApiError::bad_request(format!(
            "query too long (at most {} characters)",
            limits.max_query_chars
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
    query.limit = bounded_limit(&p.limit, 20, limits)?;
    query.page = bounded("page", &p.page, 1, (1, MAX_PAGE))?;
    Ok(query)
}

fn params<T>(p: Params<T>) -> Result<T, ApiError> {
    p.map(|QueryString(t)| t)
        .map_err(|e| ApiError::bad_request(e.body_text()))
}

/// A path's fields, or a 400 naming what is wrong with them (bad percent-encoding).
fn path_of<T>(p: PathOf<T>) -> Result<T, ApiError> {
    p.map(|Path(t)| t)
        .map_err(|e| ApiError::bad_request(e.body_text()))
}

/// A search: one page of hits, each with its aligned counterpart.
#[utoipa::path(get, path = "/api/search", tag = "search", params(SearchParams),
    responses(
        (status = 200, description = "One page of hits, best first", body = Page<Hit>),
        (status = 400, description = "A missing, malformed or unsearchable parameter", body = ErrorBody),
        (status = 414, description = "The URL is too long", body = ErrorBody),
        (status = 503, description = "The query ran past the server's time budget", body = ErrorBody),
    ))]
pub(crate) async fn search(
    State(served): State<Arc<Served>>,
    p: Params<SearchParams>,
) -> Api<Page<Hit>> {
    let query = to_query(&params(p)?, served.limits())?;
    served.query(move |a| Ok(a.search(&query)?)).await.map(Json)
}

/// How the other language rendered the query: renderings counted per language.
#[utoipa::path(get, path = "/api/group", tag = "search", params(SearchParams),
    responses(
        (status = 200, description = "One grouping per language the query was found in", body = Vec<Grouping>),
        (status = 400, description = "A missing, malformed or unsearchable parameter", body = ErrorBody),
        (status = 414, description = "The URL is too long", body = ErrorBody),
        (status = 503, description = "The query ran past the server's time budget", body = ErrorBody),
    ))]
pub(crate) async fn group(
    State(served): State<Arc<Served>>,
    p: Params<SearchParams>,
) -> Api<Vec<Grouping>> {
    let query = to_query(&params(p)?, served.limits())?;
    served.query(move |a| Ok(a.group(&query)?)).await.map(Json)
}

/// The documents in the archive, by name, with their counts of beads, findings and
/// activities.
#[utoipa::path(get, path = "/api/documents", tag = "documents",
    responses(
        (status = 200, description = "Every document, by name", body = Vec<DocumentInfo>),
        (status = 503, description = "The query ran past the server's time budget", body = ErrorBody),
    ))]
pub(crate) async fn documents(State(served): State<Arc<Served>>) -> Api<Vec<DocumentInfo>> {
    served.query(|a| Ok(a.list()?)).await.map(Json)
}

/// Paging of a document's beads.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct BeadParams {
    /// Beads to skip (default 0).
    #[param(value_type = Option<usize>, minimum = 0, maximum = 1_000_000_000)]
    offset: Option<String>,
    /// Beads to return (default and most: 100).
    #[param(value_type = Option<usize>, minimum = 1, maximum = 100)]
    limit: Option<String>,
}

/// A document's sentence beads, both sides' text, from `offset`.
#[utoipa::path(get, path = "/api/documents/{name}/beads", tag = "documents",
    params(("name" = String, Path, description = "The document's name"), BeadParams),
    responses(
        (status = 200, description = "The beads, in document order", body = Vec<BeadRecord>),
        (status = 400, description = "A malformed parameter", body = ErrorBody),
        (status = 404, description = "No document of that name", body = ErrorBody),
        (status = 414, description = "The URL is too long", body = ErrorBody),
        (status = 503, description = "The query ran past the server's time budget", body = ErrorBody),
    ))]
pub(crate) async fn beads(
    State(served): State<Arc<Served>>,
    name: PathOf<String>,
    p: Params<BeadParams>,
) -> Api<Vec<BeadRecord>> {
    let name = path_of(name)?;
    let p = params(p)?;
    let offset = bounded("offset", &p.offset, 0, (0, MAX_OFFSET))?;
    let limit = bounded_limit(&p.limit, served.limits().max_results, served.limits())?;
    served
        .query(move |a| Ok(a.beads(&name, offset, limit)?))
        .await
        .map(Json)
}

/// The findings stored with a document.
#[utoipa::path(get, path = "/api/documents/{name}/findings", tag = "documents",
    params(("name" = String, Path, description = "The document's name")),
    responses(
        (status = 200, description = "The findings, in the order they were added", body = Vec<Finding>),
        (status = 400, description = "A malformed path", body = ErrorBody),
        (status = 404, description = "No document of that name", body = ErrorBody),
        (status = 414, description = "The URL is too long", body = ErrorBody),
        (status = 503, description = "The query ran past the server's time budget", body = ErrorBody),
    ))]
pub(crate) async fn findings(
    State(served): State<Arc<Served>>,
    name: PathOf<String>,
) -> Api<Vec<Finding>> {
    let name = path_of(name)?;
    served
        .query(move |a| Ok(a.findings(&name)?))
        .await
        .map(Json)
}

/// Most activities one download (`/api/activities.csv`, `.json`) holds.
pub const MAX_EXPORT: usize = 100_000;

/// Activity filters, sort and paging as they come in a query string (the activities page's
/// URL carries the same fields).
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActivityParams {
    /// Part of a partner's name (one who took part), any language.
    #[param(value_type = Option<String>)]
    pub partner: Option<String>,
    /// Part of a place's name, any language.
    #[param(value_type = Option<String>)]
    pub place: Option<String>,
    /// Words of the title, either language.
    #[param(value_type = Option<String>)]
    pub text: Option<String>,
    /// From this date (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`).
    #[param(value_type = Option<String>, example = "2022")]
    pub from: Option<String>,
    /// Up to this date, inclusive (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`).
    #[param(value_type = Option<String>, example = "2024-06")]
    pub to: Option<String>,
    /// A level.
    #[param(value_type = Option<Level>)]
    pub level: Option<String>,
    /// A document name.
    #[param(value_type = Option<String>)]
    pub doc: Option<String>,
    /// The sort key (the view only).
    #[param(value_type = Option<SortKey>)]
    pub sort: Option<String>,
    /// `1`, `true`, `on` or `yes` to sort in descending order (the view only).
    #[param(value_type = Option<bool>)]
    pub desc: Option<String>,
    /// Rows to skip (the view only).
    #[param(value_type = Option<usize>, minimum = 0, maximum = 1_000_000_000)]
    pub offset: Option<String>,
    /// Rows to return (default and most: 100; the downloads ignore it).
    #[param(value_type = Option<usize>, minimum = 1, maximum = 100)]
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

/// The activities matching the filters, in date order.
#[utoipa::path(get, path = "/api/activities", tag = "activities", params(ActivityParams),
    responses(
        (status = 200, description = "At most `limit` activities, in date order", body = Vec<ActivityRecord>),
        (status = 400, description = "A malformed parameter", body = ErrorBody),
        (status = 414, description = "The URL is too long", body = ErrorBody),
        (status = 503, description = "The query ran past the server's time budget", body = ErrorBody),
    ))]
pub(crate) async fn activities(
    State(served): State<Arc<Served>>,
    p: Params<ActivityParams>,
) -> Api<Vec<ActivityRecord>> {
    let p = params(p)?;
    let filter = to_filter(&p)?;
    let limit = bounded_limit(&p.limit, served.limits().max_results, served.limits())?;
    served
        .query(move |a| Ok(a.activities(&filter, limit)?))
        .await
        .map(Json)
}

/// What the activities page shows for one filter: one page of the filtered set (sorted),
/// and, over the whole set, its size, its counts per year and level and its timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
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

/// What the activities page shows for one filter: a sorted page of rows, and the counts per
/// year and level and the timeline of the whole filtered set.
#[utoipa::path(get, path = "/api/activities/view", tag = "activities", params(ActivityParams),
    responses(
        (status = 200, description = "One page of the filtered set, its counts and timeline", body = ActivityView),
        (status = 400, description = "A malformed parameter", body = ErrorBody),
        (status = 414, description = "The URL is too long", body = ErrorBody),
        (status = 503, description = "The query ran past the server's time budget", body = ErrorBody),
    ))]
pub(crate) async fn activity_view_route(
    State(served): State<Arc<Served>>,
    p: Params<ActivityParams>,
) -> Api<ActivityView> {
    let p = params(p)?;
    let filter = to_filter(&p)?;
    let sort = given(&p.sort)
        .map(SortKey::parse)
        .transpose()?
        .unwrap_or_default();
    let descending = given(&p.desc).is_some_and(|v| matches!(v, "1" | "true" | "on" | "yes"));
    let offset = bounded("offset", &p.offset, 0, (0, MAX_OFFSET))?;
    let limit = bounded_limit(&p.limit, served.limits().max_results, served.limits())?;
    served
        .query(move |a| {
            let records = a.all_activities(&filter)?;
            Ok(activity_view(records, sort, descending, offset, limit))
        })
        .await
        .map(Json)
}

/// The whole filtered set, for a download.
async fn export_records(
    served: Arc<Served>,
    p: Params<ActivityParams>,
) -> Result<Vec<ActivityRecord>, ApiError> {
    let filter = to_filter(&params(p)?)?;
    served
        .query(move |a| Ok(a.activities(&filter, MAX_EXPORT)?))
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

/// The whole filtered set as CSV, as `diptych activities --csv` writes it.
#[utoipa::path(get, path = "/api/activities.csv", tag = "activities", params(ActivityParams),
    responses(
        (status = 200, description = "At most 100,000 activities, in date order, one CSV row each", body = String, content_type = "text/csv"),
        (status = 400, description = "A malformed parameter", body = ErrorBody),
        (status = 414, description = "The URL is too long", body = ErrorBody),
        (status = 503, description = "The query ran past the server's time budget", body = ErrorBody),
    ))]
pub(crate) async fn activities_csv(
    State(served): State<Arc<Served>>,
    p: Params<ActivityParams>,
) -> Response {
    match export_records(served, p).await {
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

/// The whole filtered set as JSON, as `diptych activities --json` writes it.
#[utoipa::path(get, path = "/api/activities.json", tag = "activities", params(ActivityParams),
    responses(
        (status = 200, description = "At most 100,000 activities, in date order", body = Vec<ActivityRecord>),
        (status = 400, description = "A malformed parameter", body = ErrorBody),
        (status = 414, description = "The URL is too long", body = ErrorBody),
        (status = 503, description = "The query ran past the server's time budget", body = ErrorBody),
    ))]
pub(crate) async fn activities_json(
    State(served): State<Arc<Served>>,
    p: Params<ActivityParams>,
) -> Response {
    match export_records(served, p).await {
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

/// An activity with the beads it comes from, both languages.
#[utoipa::path(get, path = "/api/documents/{name}/activities/{index}", tag = "activities",
    params(
        ("name" = String, Path, description = "The document's name"),
        ("index" = usize, Path, description = "The activity's position among its document's activities"),
    ),
    responses(
        (status = 200, description = "The activity and its beads", body = ActivitySource),
        (status = 400, description = "A malformed path", body = ErrorBody),
        (status = 404, description = "No such document or activity", body = ErrorBody),
        (status = 414, description = "The URL is too long", body = ErrorBody),
        (status = 503, description = "The query ran past the server's time budget", body = ErrorBody),
    ))]
pub(crate) async fn activity_source(
    State(served): State<Arc<Served>>,
    path: PathOf<(String, String)>,
) -> Api<ActivitySource> {
    let (name, index) = path_of(path)?;
    let index: usize = index
        .parse()
        .map_err(|_| ApiError::bad_request(format!("index must be a number, got {index:?}")))?;
    served
        .query(move |a| Ok(a.activity_source(&name, index)?))
        .await
        .map(Json)
}
