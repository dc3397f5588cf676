//! diptych-server: the HTTP front end over an archive.
//!
//! * `GET /` — a search page: a search box, filters, and the bilingual hits with the matches
//!   highlighted, each linked to its document's review page.
//! * `GET /activities` — the activities page: every activity in the archive, filtered,
//!   sorted and counted on the server, on a timeline, with the beads that report each one.
//! * `GET /api/search`, `/api/group`, `/api/documents`, `/api/documents/{name}/beads`,
//!   `/api/documents/{name}/findings`, `/api/activities` — the JSON API (see [`api`]).
//! * `GET /documents/{name}/report.html` — a document's review page, as stored in the archive
//!   by `diptych index add`; nothing else on disk is ever read.
//!
//! * `GET /api/openapi.json` — the OpenAPI 3 description of the JSON API ([`openapi`]).
//!
//! The archive is opened read-only; errors are JSON objects `{"error": "..."}`. Every request
//! is held to [`Limits`]: body size, URI length, query length, page size and a time budget
//! for its queries (a query past it is cut and answered 503).
//!
//! [`review`] is the other server: one run folder served as an editor (`diptych review`),
//! its routes apart from the archive's.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod activities_page;
pub mod api;
mod error;
mod limits;
pub mod openapi;
mod page;
mod pool;
pub mod review;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use axum::routing::get;
use axum::Router;

pub use error::{ApiError, Error, ErrorBody};
pub use limits::{Limits, Served, MAX_QUERY_CHARS, MAX_URL_BYTES, QUERY_TIME};
pub use pool::{default_size, size_for, Pool, POSTGRES_SIZE};

/// Largest request body accepted by default (the API takes none; this bounds what a client
/// can send).
pub const MAX_BODY_BYTES: usize = 16 * 1024;
/// Most hits, beads or activities one request can ask for, by default.
pub const MAX_RESULTS: usize = 100;

/// Where to serve which archive.
#[derive(Clone, Debug)]
pub struct Config {
    /// The archive file.
    pub archive: PathBuf,
    /// The address to listen on; 127.0.0.1 unless told otherwise.
    pub bind: IpAddr,
    /// The port (0 picks a free one).
    pub port: u16,
    /// What each request is held to.
    pub limits: Limits,
}

impl Config {
    /// Serves `archive` on 127.0.0.1:8080.
    pub fn new(archive: impl Into<PathBuf>) -> Config {
        Config {
            archive: archive.into(),
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 8080,
            limits: Limits::default(),
        }
    }
}

/// The routes over an open pool of read-only archive connections, with the default [`Limits`].
pub fn router(pool: Arc<Pool>) -> Router {
    router_with(pool, Limits::default())
}

/// The routes over an open pool of read-only archive connections, holding every request to
/// `limits`.
pub fn router_with(pool: Arc<Pool>, limits: Limits) -> Router {
    let served = Arc::new(Served::new(pool, limits.clone()));
    Router::new()
        .route("/", get(page::search_page))
        .route("/activities", get(activities_page::activities_page))
        .route("/documents/{name}/report.html", get(page::report))
        .nest("/api", api::routes())
        .fallback(error::not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            limits.max_body_bytes,
        ))
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(limits),
            limits::guard,
        ))
        .with_state(served)
}

/// Binds the configured address; returns the listener and the address actually bound.
pub async fn bind(config: &Config) -> Result<(tokio::net::TcpListener, SocketAddr), Error> {
    let addr = SocketAddr::new(config.bind, config.port);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| Error::Bind { addr, source })?;
    let local = listener
        .local_addr()
        .map_err(|source| Error::Bind { addr, source })?;
    Ok((listener, local))
}

/// Serves on `listener` until Ctrl-C, with the default [`Limits`].
pub async fn serve(listener: tokio::net::TcpListener, pool: Arc<Pool>) -> Result<(), Error> {
    serve_with(listener, pool, Limits::default()).await
}

/// Serves on `listener` until Ctrl-C, holding every request to `limits`.
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    pool: Arc<Pool>,
    limits: Limits,
) -> Result<(), Error> {
    let addr = listener.local_addr().ok();
    axum::serve(listener, router_with(pool, limits))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|source| Error::Serve { addr, source })
}

/// Opens the archive and serves it until Ctrl-C; `on_ready` is told the bound address.
pub fn run(config: &Config, on_ready: impl FnOnce(SocketAddr)) -> Result<(), Error> {
    let pool = Arc::new(Pool::open(
        &config.archive,
        pool::size_for(&config.archive),
    )?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(Error::Runtime)?;
    runtime.block_on(async {
        let (listener, addr) = bind(config).await?;
        on_ready(addr);
        serve_with(listener, pool, config.limits.clone()).await
    })
}
