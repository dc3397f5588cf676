//! Errors of the server, and how they reach HTTP clients: JSON with a message, no backtrace.

use std::net::SocketAddr;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

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
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        ApiError {
            status,
            message: e.to_string(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.message });
        (self.status, Json(body)).into_response()
    }
}

/// The answer to any path the server does not serve.
pub async fn not_found() -> ApiError {
    ApiError {
        status: StatusCode::NOT_FOUND,
        message: "no such page".into(),
    }
}
