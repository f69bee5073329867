//! Errors as HTTP answers: a status and a JSON body `{"code", "message", "parameter"}`, with
//! OSRM's codes (`InvalidUrl`, `InvalidQuery`, `InvalidValue`, `NoRoute`, `NoSegment`,
//! `TooBig`) so OSRM clients understand them, and `parameter` naming what to fix.

use std::time::Duration;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// An error answer.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: StatusCode,
    /// OSRM-style code: `InvalidUrl`, `InvalidQuery`, `InvalidValue`, `NoRoute`, `NoSegment`,
    /// `TooBig`, `Timeout`, `InternalError`.
    pub code: &'static str,
    pub message: String,
    /// The query parameter (or path part) at fault, when one is.
    pub parameter: Option<String>,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            parameter: None,
        }
    }
    /// A parameter with a wrong value (400 `InvalidValue`).
    pub fn value(parameter: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            parameter: Some(parameter.to_string()),
            ..ApiError::new(StatusCode::BAD_REQUEST, "InvalidValue", message)
        }
    }
    /// A request that cannot be answered as asked (400 `InvalidQuery`).
    pub fn query(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "InvalidQuery", message)
    }
    /// A request over a limit (400 `TooBig`, as OSRM answers for too many coordinates).
    pub fn too_big(parameter: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            parameter: Some(parameter.to_string()),
            ..ApiError::new(StatusCode::BAD_REQUEST, "TooBig", message)
        }
    }
    /// No route between the points (400 `NoRoute`, as OSRM).
    pub fn no_route(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "NoRoute", message)
    }
    /// A coordinate with no place to snap to (400 `NoSegment`, as OSRM).
    pub fn no_segment(parameter: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            parameter: Some(parameter.to_string()),
            ..ApiError::new(StatusCode::BAD_REQUEST, "NoSegment", message)
        }
    }
    /// A search that ran past the time limit (504 `Timeout`).
    pub fn timeout(limit: Duration) -> ApiError {
        ApiError::new(
            StatusCode::GATEWAY_TIMEOUT,
            "Timeout",
            format!(
                "the search took longer than the limit of {:.1} s; ask for fewer points",
                limit.as_secs_f64()
            ),
        )
    }
    /// A fault of the server (500 `InternalError`).
    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "InternalError", message)
    }
    /// A library error raised while answering, blamed on `parameter` when it is about input.
    pub fn from_lib(e: crate::Error, parameter: &str) -> ApiError {
        use crate::Error as E;
        match e {
            E::UnknownPlace { .. } | E::AmbiguousPlace { .. } => {
                ApiError::value(parameter, e.to_string())
            }
            E::Param { ref key, .. } => ApiError::value(&format!("param {key}"), e.to_string()),
            E::Request(m) => ApiError {
                parameter: (!parameter.is_empty()).then(|| parameter.to_string()),
                ..ApiError::query(m)
            },
            other => ApiError::internal(other.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = json!({"code": self.code, "message": self.message});
        if let Some(p) = &self.parameter {
            body["parameter"] = json!(p);
        }
        (self.status, axum::Json(body)).into_response()
    }
}

/// A request body as bytes, or the reason it was refused (too large: 413 `TooBig`) as JSON.
pub fn body(
    b: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<axum::body::Bytes, ApiError> {
    b.map_err(|r| ApiError {
        status: r.status(),
        code: if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            "TooBig"
        } else {
            "InvalidQuery"
        },
        message: r.body_text(),
        parameter: Some("body".into()),
    })
}

/// Answer to a path no service has (400 `InvalidUrl`, as OSRM).
pub async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "InvalidUrl",
        format!(
            "no service at {}; use /route/v1/{{profile}}/{{coordinates}}, /table/v1/..., /nearest/v1/..., /v1/route, /v1/places, /v1/matrix or /",
            uri.path()
        ),
    )
}

/// The answer when a handler panicked (the server goes on).
pub fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError::internal("the server failed while answering; the request was dropped").into_response()
}
