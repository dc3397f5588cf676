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
//! | `/api/activities` | `partner`, `from`, `to`, `level`, `doc`, `limit` | activities |
//!
//! `limit` is at most [`crate::MAX_RESULTS`]; `q` at most [`MAX_QUERY_CHARS`] characters.

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query as QueryString, State};
use axum::routing::get;
use axum::{Json, Router};
use diptych_core::{Finding, Lang};
use diptych_index::{
    parse_level, ActivityFilter, ActivityRecord, BeadRecord, DocumentInfo, Grouping, Hit, Page,
    Query,
};
use serde::Deserialize;

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

/// Activity filters as they come in a query string.
#[derive(Debug, Default, Deserialize)]
struct ActivityParams {
    partner: Option<String>,
    from: Option<String>,
    to: Option<String>,
    level: Option<String>,
    doc: Option<String>,
    limit: Option<String>,
}

async fn activities(
    State(pool): State<Arc<Pool>>,
    p: Params<ActivityParams>,
) -> Api<Vec<ActivityRecord>> {
    let p = params(p)?;
    let filter = ActivityFilter {
        partner: given(&p.partner).map(str::to_owned),
        from: given(&p.from).map(str::to_owned),
        to: given(&p.to).map(str::to_owned),
        level: given(&p.level).map(parse_level).transpose()?,
        document: given(&p.doc).map(str::to_owned),
    };
    let limit = bounded_limit(&p.limit, MAX_RESULTS)?;
    pool.with(move |a| Ok(a.activities(&filter, limit)?))
        .await
        .map(Json)
}
