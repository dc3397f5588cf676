//! What every request to `diptych serve` is held to, and the handlers' shared state.
//!
//! A request is refused before any work when its target (path and query string) or its
//! declared body is too long (414, 413); a query text, a page size and an offset are checked by
//! the handlers (400); and the archive queries of one request share a time budget, past which
//! they are cut and the request is answered 503, so a slow query cannot hold a connection.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use diptych_index::Archive;

use crate::{ApiError, Pool, MAX_BODY_BYTES, MAX_RESULTS};

/// The bounds of one request. `diptych serve` flags change each one.
#[derive(Clone, Debug, PartialEq)]
pub struct Limits {
    /// Largest request body, in bytes (`--max-body-bytes`).
    pub max_body_bytes: usize,
    /// Longest request target (path and query string), in bytes (`--max-url-bytes`).
    pub max_url_bytes: usize,
    /// Longest query text (`q`), in characters (`--max-query-chars`).
    pub max_query_chars: usize,
    /// Most results one page can hold (`limit`, `--max-results`).
    pub max_results: usize,
    /// How long the archive queries of one request may take before they are cut
    /// (`--query-timeout-ms`).
    pub query_time: Duration,
}

/// Default longest request target, in bytes.
pub const MAX_URL_BYTES: usize = 8 * 1024;
/// Default longest query text, in characters.
pub const MAX_QUERY_CHARS: usize = 500;
/// Default time budget of one request's queries.
pub const QUERY_TIME: Duration = Duration::from_secs(2);

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_body_bytes: MAX_BODY_BYTES,
            max_url_bytes: MAX_URL_BYTES,
            max_query_chars: MAX_QUERY_CHARS,
            max_results: MAX_RESULTS,
            query_time: QUERY_TIME,
        }
    }
}

/// What the handlers share: the archive's connections and the limits.
pub struct Served {
    pool: Arc<Pool>,
    limits: Limits,
}

impl Served {
    /// The state of a server over `pool`, held to `limits`.
    pub fn new(pool: Arc<Pool>, limits: Limits) -> Served {
        Served { pool, limits }
    }

    /// The limits requests are held to.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Runs `job` with a free connection, its queries cut once the time budget has passed
    /// (answered 503 with a message saying so).
    pub async fn query<T, F>(&self, job: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Archive) -> Result<T, ApiError> + Send + 'static,
    {
        let budget = self.limits.query_time;
        let outcome = self
            .pool
            .with(move |archive| {
                archive.set_time_budget(Some(budget))?;
                job(archive)
            })
            .await;
        outcome.map_err(|e| e.explain_timeout(budget))
    }
}

/// Refuses a request whose target or declared body is longer than the limits allow, before
/// any work is done (414, 413; JSON like every error).
pub(crate) async fn guard(
    State(limits): State<Arc<Limits>>,
    request: Request,
    next: Next,
) -> Response {
    if let Some(refusal) = refusal(&limits, &request) {
        return refusal.into_response();
    }
    next.run(request).await
}

/// Why `request` is refused before it is read, if it is.
fn refusal(limits: &Limits, request: &Request) -> Option<ApiError> {
    let target = request
        .uri()
        .path_and_query()
        .map_or(0, |pq| pq.as_str().len());
    if target > limits.max_url_bytes {
        return Some(ApiError {
            status: StatusCode::URI_TOO_LONG,
            message: format!(
                "the URL is {target} bytes long; at most {} are accepted",
                limits.max_url_bytes
            ),
        });
    }
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    match declared {
        Some(length) if length > limits.max_body_bytes as u64 => Some(too_large(limits)),
        _ => None,
    }
}

/// The 413 answer for a body over the limit.
pub(crate) fn too_large(limits: &Limits) -> ApiError {
    ApiError {
        status: StatusCode::PAYLOAD_TOO_LARGE,
        message: format!(
            "the request body is too large (at most {} bytes)",
            limits.max_body_bytes
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(target: &str, body_length: Option<usize>) -> Request {
        let mut builder = Request::builder().uri(target);
        if let Some(n) = body_length {
            builder = builder.header(header::CONTENT_LENGTH, n.to_string());
        }
        builder.body(axum::body::Body::empty()).unwrap()
    }

    #[test]
    fn long_targets_and_large_bodies_are_refused() {
        let limits = Limits {
            max_url_bytes: 20,
            max_body_bytes: 10,
            ..Limits::default()
        };
        assert!(refusal(&limits, &request("/api/search?q=ab", Some(10))).is_none());
        let long = refusal(&limits, &request("/api/search?q=abcdefgh", None)).unwrap();
        assert_eq!(long.status, StatusCode::URI_TOO_LONG);
        assert!(long.message.contains("at most 20"), "{}", long.message);
        let large = refusal(&limits, &request("/", Some(11))).unwrap();
        assert_eq!(large.status, StatusCode::PAYLOAD_TOO_LARGE);
    }
}
