//! `diptych review DIR`: one run folder served as an editor, on loopback only.
//!
//! | route | answer |
//! |---|---|
//! | `GET /` | the review page with the editor's controls (`data-editable`) |
//! | `GET /api/beads` | [`BeadsView`]: the current beads, findings, approvals and version |
//! | `POST /api/edits` | an [`EditRequest`] body; [`EditAnswer`] (200), or `{"error", "field"}` (400), or `{"error", "version"}` (409, the version is stale), or 415 without `Content-Type: application/json`, or 413 over [`MAX_EDIT_BYTES`] |
//! | `GET /api/openapi.json` | the OpenAPI description of these routes ([`crate::openapi::review`]) |
//!
//! Every accepted edit is appended to the folder's `edits.jsonl` and fsync'd before the
//! answer. Edits are applied one at a time (a mutex), so two clients editing the same version
//! get one 200 and one 409. The server reads and writes only the run folder's own files
//! (`run.json`, `blocks.jsonl`, `sentences.jsonl`, `bitext.jsonl`, `findings.jsonl`,
//! `activities.jsonl`, `edits.jsonl`, `.diptych-ignore`); no path comes from a request. It
//! answers only requests whose `Host` is a loopback name, so a web page elsewhere cannot
//! reach it through DNS rebinding.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::SystemTime;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use diptych_core::edit::log::{timestamp, EditLog};
use diptych_core::edit::request::{BeadsView, EditAnswer, EditRequest};
use diptych_core::edit::{run_dir, History, Op};
use diptych_core::Activity;
use serde::Serialize;
use utoipa::openapi::schema::{AllOfBuilder, ObjectBuilder, Schema, Type};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{PartialSchema, ToSchema};

use crate::Error;

/// Largest edit request accepted, in bytes (a corrected sentence is at most 8 KiB).
pub const MAX_EDIT_BYTES: usize = 64 * 1024;

/// What to serve and as whom.
#[derive(Clone, Debug)]
pub struct ReviewConfig {
    /// The run folder.
    pub dir: PathBuf,
    /// The port on 127.0.0.1 (0 picks a free one).
    pub port: u16,
    /// The name written in `edits.jsonl`.
    pub user: String,
}

/// The run being reviewed: its history and its open log.
pub struct Session {
    dir: PathBuf,
    user: String,
    history: History,
    log: EditLog,
    timeline: String,
}

impl Session {
    /// Loads run folder `dir` with its edits and opens its log for appending.
    pub fn open(dir: &Path, user: &str) -> Result<Session, diptych_core::Error> {
        let history = run_dir::load(dir)?;
        let log = EditLog::open(dir)?;
        let activities = read_activities(dir)?;
        Ok(Session {
            dir: dir.to_owned(),
            user: user.to_owned(),
            history,
            log,
            timeline: diptych_core::extract::timeline_svg(&activities),
        })
    }

    /// The current history (for the command's summary).
    pub fn history(&self) -> &History {
        &self.history
    }
}

fn read_activities(dir: &Path) -> Result<Vec<Activity>, diptych_core::Error> {
    let path = dir.join("activities.jsonl");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(vec![]);
    };
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| diptych_core::Error::Malformed {
                path: path.clone(),
                line: i + 1,
                message: e.to_string(),
            })
        })
        .collect()
}

type Shared = Arc<Mutex<Session>>;

fn lock(state: &Shared) -> MutexGuard<'_, Session> {
    // A panic while holding the lock cannot leave a half-applied edit (edits are applied to
    // a copy first), so a poisoned lock is still usable.
    state.lock().unwrap_or_else(|p| p.into_inner())
}

/// The review routes over an open session.
pub fn router(session: Session) -> Router {
    let state: Shared = Arc::new(Mutex::new(session));
    Router::new()
        .route("/", get(page))
        .route("/api/beads", get(beads))
        .route("/api/edits", post(edits))
        .route("/api/openapi.json", get(description))
        .fallback(crate::error::not_found)
        .method_not_allowed_fallback(crate::error::method_not_allowed)
        .layer(middleware::from_fn(loopback_host))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            MAX_EDIT_BYTES,
        ))
        .with_state(state)
}

/// Refuses requests whose `Host` header is not a loopback name (DNS rebinding).
async fn loopback_host(request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let name = host.rsplit_once(':').map_or(host, |(name, _)| name);
    if matches!(name, "127.0.0.1" | "localhost" | "[::1]") {
        next.run(request).await
    } else {
        json_error(
            StatusCode::FORBIDDEN,
            "only loopback hosts are served",
            None,
            None,
        )
    }
}

/// The body of every error answer of `diptych review`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewError {
    /// What went wrong, in one line.
    pub error: String,
    /// The request field at fault (400).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The run's current version (409).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<u64>,
}

/// The body of `POST /api/edits` as the OpenAPI description gives it: an [`Op`] with its
/// fields inline (`{"op": "merge", "beads": [12, 13]}`) and an optional `version`. The server
/// reads it with [`EditRequest::parse`], whose refusals name the field at fault.
pub struct EditBody;

impl PartialSchema for EditBody {
    fn schema() -> RefOr<Schema> {
        let version = ObjectBuilder::new()
            .schema_type(Type::Integer)
            .minimum(Some(0))
            .description(Some(
                "The version the edit applies to; a stale one is answered 409 and nothing is applied",
            ));
        AllOfBuilder::new()
            .item(Ref::from_schema_name("Op"))
            .item(ObjectBuilder::new().property("version", version))
            .into()
    }
}

impl ToSchema for EditBody {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push(("Op".into(), Op::schema()));
        Op::schemas(schemas);
    }
}

fn json_error(
    status: StatusCode,
    message: &str,
    field: Option<&str>,
    version: Option<u64>,
) -> Response {
    let body = ReviewError {
        error: message.to_owned(),
        field: field.map(str::to_owned),
        version,
    };
    (status, Json(body)).into_response()
}

/// `GET /api/openapi.json`: the description of these routes.
async fn description() -> Json<utoipa::openapi::OpenApi> {
    Json(crate::openapi::review())
}

async fn page(State(state): State<Shared>) -> Html<String> {
    let session = lock(&state);
    Html(diptych_core::report::editor_page(
        &session.history,
        Some(&session.timeline),
    ))
}

/// The run as it stands: its beads with both sides' sentences, findings, approvals and version.
#[utoipa::path(get, path = "/api/beads", tag = "review",
    responses(
        (status = 200, description = "The current beads, findings and version", body = BeadsView),
        (status = 403, description = "The `Host` is not a loopback name", body = ReviewError),
    ))]
pub(crate) async fn beads(State(state): State<Shared>) -> Json<BeadsView> {
    Json(BeadsView::of(&lock(&state).history))
}

/// Applies one edit, recorded in `edits.jsonl` (fsync'd) before the answer.
#[utoipa::path(post, path = "/api/edits", tag = "review",
    request_body(content = EditBody, content_type = "application/json"),
    responses(
        (status = 200, description = "Applied and recorded: the new version and the log line", body = EditAnswer),
        (status = 400, description = "A malformed or inapplicable edit; `field` names the field at fault", body = ReviewError),
        (status = 403, description = "The `Host` is not a loopback name", body = ReviewError),
        (status = 409, description = "`version` is not the current one; `version` gives it", body = ReviewError),
        (status = 413, description = "The body is over 64 KiB", body = ReviewError),
        (status = 415, description = "The body is not sent as `application/json`", body = ReviewError),
    ))]
pub(crate) async fn edits(
    State(state): State<Shared>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !json {
        return json_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send the edit as Content-Type: application/json",
            None,
            None,
        );
    }
    let body = match body {
        Ok(body) => body,
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return json_error(
                e.status(),
                &format!("the edit is too large (at most {MAX_EDIT_BYTES} bytes)"),
                None,
                None,
            )
        }
        Err(e) => return json_error(e.status(), &e.body_text(), Some("body"), None),
    };
    let request = match EditRequest::parse(&body) {
        Ok(r) => r,
        Err(r) => {
            return json_error(
                StatusCode::BAD_REQUEST,
                &r.to_string(),
                Some(&r.field),
                None,
            )
        }
    };
    let mut session = lock(&state);
    let current = session.history.version();
    if request.version.is_some_and(|v| v != current) {
        return json_error(
            StatusCode::CONFLICT,
            &format!(
                "the run changed (version {current}, not {}): reload and try again",
                request.version.unwrap_or_default()
            ),
            None,
            Some(current),
        );
    }
    match record(&mut session, request.op) {
        Ok(answer) => Json(answer).into_response(),
        Err(refusal) => json_error(
            refusal.status,
            &refusal.message,
            refusal.field.as_deref(),
            None,
        ),
    }
}

/// Why an edit was not recorded.
struct Refusal {
    status: StatusCode,
    message: String,
    field: Option<String>,
}

impl Refusal {
    fn internal(e: diptych_core::Error) -> Refusal {
        Refusal {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: e.to_string(),
            field: None,
        }
    }
}

/// Applies an op, appends its log line (on disk before the answer), updates the ignore list.
fn record(session: &mut Session, op: Op) -> Result<EditAnswer, Refusal> {
    let touches_findings = matches!(
        op,
        Op::Confirm { .. } | Op::Dismiss { .. } | Op::Fix { .. } | Op::Undo | Op::Redo
    );
    let user = session.user.clone();
    // A refused op leaves the history as it was.
    let entry = session
        .history
        .record(op, &user, timestamp(SystemTime::now()))
        .map_err(|r| Refusal {
            status: StatusCode::BAD_REQUEST,
            message: r.to_string(),
            field: Some(r.field),
        })?;
    if let Err(e) = session.log.append(&entry) {
        // Not on disk, so not done: back to what the log holds.
        session.history = run_dir::load(&session.dir).map_err(Refusal::internal)?;
        return Err(Refusal::internal(e));
    }
    if touches_findings {
        run_dir::write_ignore_list(&session.dir, session.history.current())
            .map_err(Refusal::internal)?;
    }
    Ok(EditAnswer {
        version: session.history.version(),
        entry,
    })
}

/// Binds 127.0.0.1 on the configured port; returns the listener and the address bound.
pub async fn bind(config: &ReviewConfig) -> Result<(tokio::net::TcpListener, SocketAddr), Error> {
    let addr = SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), config.port);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| Error::Bind { addr, source })?;
    let local = listener
        .local_addr()
        .map_err(|source| Error::Bind { addr, source })?;
    Ok((listener, local))
}

/// Serves `session` on `listener` until Ctrl-C.
pub async fn serve(listener: tokio::net::TcpListener, session: Session) -> Result<(), Error> {
    let addr = listener.local_addr().ok();
    axum::serve(listener, router(session))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|source| Error::Serve { addr, source })
}

/// Opens the run folder and serves it until Ctrl-C; `on_ready` is told the session (for a
/// summary) and the address bound.
pub fn run(
    config: &ReviewConfig,
    on_ready: impl FnOnce(&Session, SocketAddr),
) -> Result<(), Error> {
    let session = Session::open(&config.dir, &config.user)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(Error::Runtime)?;
    runtime.block_on(async {
        let (listener, addr) = bind(config).await?;
        on_ready(&session, addr);
        serve(listener, session).await
    })
}
