//! The OpenAPI 3 descriptions of the two servers, generated from the handlers' annotations and
//! the types they answer with (`utoipa`): [`archive`] for `diptych serve` (served at
//! `/api/openapi.json`, with the server's own limits), [`review`] for `diptych review` (served
//! at its `/api/openapi.json`). Both are committed as `docs/openapi.json` and
//! `docs/openapi-review.json`; a test fails when those are stale
//! (`BLESS=1 cargo test --workspace --test openapi` rewrites them).

use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use utoipa::openapi::path::Operation;
use utoipa::openapi::schema::Schema;
use utoipa::openapi::{OpenApi as Document, RefOr};
use utoipa::OpenApi;

use crate::{api, review, Limits, Served};

/// `diptych serve`'s JSON API.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "diptych serve",
        description = "The JSON API over a diptych archive: a bilingual concordance (search, renderings), the documents with their beads and findings, and the activities they report. Every error is `{\"error\": \"...\"}`. Limits (defaults; `diptych serve` flags change them): `limit` at most 100, `q` at most 500 characters, the URL at most 8 KiB, a body at most 16 KiB, 2 s of queries per request (past it: 503).",
    ),
    paths(
        api::search,
        api::group,
        api::documents,
        api::beads,
        api::findings,
        api::activities,
        api::activity_view_route,
        api::activities_csv,
        api::activities_json,
        api::activity_source,
    ),
    // Named only by parameters, which do not carry their schemas along.
    components(schemas(diptych_index::SortKey, diptych_core::model::Level)),
    tags(
        (name = "search", description = "The archive as a bilingual concordance"),
        (name = "documents", description = "The stored documents, their beads and findings"),
        (name = "activities", description = "The activities the documents report"),
    )
)]
struct ArchiveApi;

/// `diptych review`'s editor API.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "diptych review",
        description = "The editor API of one run folder served by `diptych review` on 127.0.0.1: the current beads, and edits recorded in `edits.jsonl` before they are answered. Only requests whose `Host` is a loopback name are served (403 otherwise).",
    ),
    paths(review::beads, review::edits),
    tags((name = "review", description = "Correcting and approving one run"))
)]
struct ReviewApi;

/// The description of `diptych serve`'s API with the default [`Limits`].
pub fn archive() -> Document {
    ArchiveApi::openapi()
}

/// The description of `diptych serve`'s API as held to `limits`: the bounds of `limit` and
/// `q` are the server's own.
pub fn archive_with(limits: &Limits) -> Document {
    let mut doc = archive();
    for item in doc.paths.paths.values_mut() {
        if let Some(operation) = item.get.as_mut() {
            bound_parameters(operation, limits);
        }
    }
    doc
}

/// Sets the maximum of `limit` and the longest `q` of an operation to `limits`.
fn bound_parameters(operation: &mut Operation, limits: &Limits) {
    for parameter in operation.parameters.iter_mut().flatten() {
        let Some(RefOr::T(Schema::Object(schema))) = parameter.schema.as_mut() else {
            continue;
        };
        match parameter.name.as_str() {
            "limit" => schema.maximum = Some(limits.max_results.into()),
            "q" => schema.max_length = Some(limits.max_query_chars),
            _ => {}
        }
    }
}

/// The description of `diptych review`'s API.
pub fn review() -> Document {
    ReviewApi::openapi()
}

/// `GET /api/openapi.json` of `diptych serve`: the description, with this server's limits.
pub(crate) async fn serve_description(State(served): State<Arc<Served>>) -> Json<Document> {
    Json(archive_with(served.limits()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parameter_schema(doc: &Document, path: &str, name: &str) -> serde_json::Value {
        let json = serde_json::to_value(doc).unwrap();
        let parameters = json["paths"][path]["get"]["parameters"].as_array().unwrap();
        parameters
            .iter()
            .find(|p| p["name"] == name)
            .map(|p| p["schema"].clone())
            .unwrap()
    }

    #[test]
    fn the_served_description_carries_the_servers_limits() {
        let limits = Limits {
            max_results: 7,
            max_query_chars: 42,
            ..Limits::default()
        };
        let doc = archive_with(&limits);
        assert_eq!(parameter_schema(&doc, "/api/search", "limit")["maximum"], 7);
        assert_eq!(parameter_schema(&doc, "/api/search", "q")["maxLength"], 42);
        let default = archive();
        assert_eq!(
            parameter_schema(&default, "/api/activities", "limit")["maximum"],
            100
        );
    }
}
