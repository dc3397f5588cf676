//! Errors of the server, and how they reach HTTP clients: JSON with a message, no backtrace.

use std::net::SocketAddr;

use std::time::Duration;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

/// What can stop the server from starting or serving.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The archive cannot be opened.
    #[error(transparent)]
    Archive(#[from] diptych_index::Error),
    /// The address cannot be bound (in use, not permitted).
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// Serving failed.
    #[error("serving on {}: {source}", addr.map_or("?".to_string(), |a| a.to_string()))]
    Serve {
        /// The address served on.
        addr: Option<SocketAddr>,
        /// What went wrong.
        source: std::io::Error,
    },
    /// The run folder to review cannot be read.
    #[error(transparent)]
    Run(#[from] diptych_core::Error),
    /// The async runtime could not be started.
    #[error("cannot start the server runtime: {0}")]
    Runtime(std::io::Error),
}

/// An error answer: a status and a one-line message, sent as `{"error": message}`.
#[derive(Debug)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// What went wrong, for the user.
    pub message: String,
}

impl ApiError {
    /// A 400 answer.
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }

    /// A 404 answer.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
        }
    }

    /// A 503 for a request whose queries ran past `budget` says so in words the user can act
    /// on; other answers are kept.
    pub fn explain_timeout(self, budget: Duration) -> ApiError {
        if self.status != StatusCode::SERVICE_UNAVAILABLE {
            return self;
        }
        ApiError {
            status: self.status,
            message: format!(
                "the query took longer than {} ms, the server's budget per request, and was stopped: narrow it (more words, a document, a year) and try again",
                budget.as_millis()
            ),
        }
    }

    /// A 500 answer that says only what the user can act on.
    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: message.into(),
        }
    }
}

impl From<diptych_index::Error> for ApiError {
    fn from(e: diptych_index::Error) -> ApiError {
        use diptych_index::Error as E;
        let status = match &e {
            E::BadQuery(_) | E::Invalid(_) => StatusCode::BAD_REQUEST,
            E::NoSuchDocument(_) => StatusCode::NOT_FOUND,
            E::TimedOut { .. } => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        ApiError {
            status,
            message: e.to_string(),
        }
    }
}

/// The body of every error answer of `diptych serve`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What went wrong, in one line.
    pub error: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: self.message,
        };
        (self.status, Json(body)).into_response()
    }
}

/// The answer to any path the server does not serve.
pub async fn not_found() -> ApiError {
    ApiError::not_found("no such page")
}

/// The answer to a method a path does not take (every route of the archive is `GET`).
pub async fn method_not_allowed() -> ApiError {
    ApiError {
        status: StatusCode::METHOD_NOT_ALLOWED,
        message: "method not allowed".into(),
    }
}
