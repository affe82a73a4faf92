//! `ApiError`: every way a request can fail, rendered as RFC 9457 `application/problem+json`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hromada_api::{FieldError, PROBLEM_JSON, Problem};

/// A failed request. Each variant maps to one status; see [`ApiError::status`].
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the request is malformed (syntax, query, header).
    #[error("bad request: {0}")]
    BadRequest(String),
    /// 400 with field errors (e.g. a bad `cursor` or `limit`).
    #[error("bad parameters")]
    BadParams(Vec<FieldError>),
    /// 401: not signed in, or wrong credentials.
    #[error("unauthorized: {0}")]
    Unauthorized(&'static str),
    /// 403: signed in but not allowed, or a cross-site request.
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    /// 404: no such thing (or one this person may not know about).
    #[error("not found")]
    NotFound,
    /// 409: the request conflicts with the current state.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// 413 with field errors: an upload over its limit.
    #[error("too large")]
    TooLarge(Vec<FieldError>),
    /// 415 with field errors: an upload of a type that is not accepted.
    #[error("unsupported media type")]
    UnsupportedMedia(Vec<FieldError>),
    /// 422: the body is well-formed but its fields are not valid.
    #[error("invalid fields")]
    Validation(Vec<FieldError>),
    /// 429: throttled; retry after this many seconds.
    #[error("too many requests")]
    TooManyRequests { retry_after: u64 },
    /// Any status with a detail: how extractor rejections and layers are reported.
    #[error("{status}: {detail}")]
    Status { status: StatusCode, detail: String },
    /// 500: a database failure. Logged; the client learns nothing more.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// 500: anything else that should not happen.
    #[error("internal: {0}")]
    Internal(String),
}

impl ApiError {
    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) | Self::BadParams(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMedia(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Status { status, .. } => *status,
            Self::Database(_) | Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A 422 with one field error.
    pub fn field(field: &str, code: hromada_api::ErrorCode) -> Self {
        Self::Validation(vec![FieldError::new(field, code)])
    }

    fn problem(&self) -> Problem {
        let status = self.status();
        let (detail, errors) = match self {
            Self::BadRequest(d) => (Some(d.clone()), vec![]),
            Self::BadParams(e)
            | Self::Validation(e)
            | Self::TooLarge(e)
            | Self::UnsupportedMedia(e) => (None, e.clone()),
            Self::Unauthorized(d) | Self::Forbidden(d) | Self::Conflict(d) => {
                (Some((*d).to_owned()), vec![])
            }
            Self::NotFound => (None, vec![]),
            Self::TooManyRequests { retry_after } => (
                Some(format!("Too many attempts; try again in {retry_after} s.")),
                vec![],
            ),
            Self::Status { detail, .. } => (Some(detail.clone()), vec![]),
            Self::Database(_) | Self::Internal(_) => (None, vec![]),
        };
        problem(status, detail, errors)
    }
}

/// A problem document for `status`.
pub fn problem(status: StatusCode, detail: Option<String>, errors: Vec<FieldError>) -> Problem {
    Problem {
        kind: "about:blank".to_owned(),
        title: status.canonical_reason().unwrap_or("Error").to_owned(),
        status: status.as_u16(),
        detail,
        errors,
    }
}

/// A `problem+json` response body for a problem document.
pub fn problem_response(p: &Problem) -> Response {
    let status = StatusCode::from_u16(p.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::to_vec(p).unwrap_or_default();
    let mut res = (status, body).into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    res
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.status().is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let mut res = problem_response(&self.problem());
        if let Self::TooManyRequests { retry_after } = self {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
        }
        res
    }
}

impl From<crate::domain::password::HashError> for ApiError {
    fn from(e: crate::domain::password::HashError) -> Self {
        Self::Internal(e.to_string())
    }
}

/// A result of the API.
pub type ApiResult<T> = Result<T, ApiError>;
