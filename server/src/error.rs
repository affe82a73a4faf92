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
    /// 500: a database failure. Logged; the client learns nothing more. A database that
    /// cannot be reached for a moment (see [`is_unavailable`]) gives 503 with
    /// `Retry-After` instead.
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
            Self::Database(e) if is_unavailable(e) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Database(_) | Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The seconds a client should wait before retrying, for 429 and 503.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            Self::TooManyRequests { retry_after } => Some(*retry_after),
            Self::Database(e) if is_unavailable(e) => Some(UNAVAILABLE_RETRY_AFTER_SECS),
            _ => None,
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
            Self::Database(e) if is_unavailable(e) => (
                Some(format!(
                    "The database cannot be reached just now; try again in {UNAVAILABLE_RETRY_AFTER_SECS} s."
                )),
                vec![],
            ),
            Self::Database(_) | Self::Internal(_) => (None, vec![]),
        };
        problem(status, detail, errors)
    }
}

/// How long a client is told to wait (`Retry-After`) when the database is unavailable:
/// about the pool's acquire timeout, so that a retry meets a pool that has tried again.
pub const UNAVAILABLE_RETRY_AFTER_SECS: u64 = 5;

/// Whether a database error means "the database cannot be reached for a moment" (503,
/// worth retrying) rather than a fault of the statement or the data (500):
///
/// - no connection within the pool's acquire timeout (the server refuses connections or
///   is slow to accept them), or the pool is closed (the process is shutting down);
/// - an I/O error on the connection (reset, broken pipe, refused, end of stream);
/// - PostgreSQL: SQLSTATE class 08 (connection exception), 57P01 `admin_shutdown`,
///   57P02 `crash_shutdown`, 57P03 `cannot_connect_now` (starting up or shutting down,
///   in recovery), 53300 `too_many_connections`;
/// - SQLite: `SQLITE_BUSY` ("database is locked") with any extended code, i.e. another
///   writer held the lock past `busy_timeout`.
pub fn is_unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => true,
        sqlx::Error::Database(d) => {
            if let Some(pg) = d.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
                pg_code_unavailable(pg.code())
            } else if let Some(lite) = d.try_downcast_ref::<sqlx::sqlite::SqliteError>() {
                sqlx::error::DatabaseError::code(lite)
                    .and_then(|c| c.parse::<i32>().ok())
                    .is_some_and(sqlite_code_unavailable)
            } else {
                false
            }
        }
        _ => false,
    }
}

/// Whether a PostgreSQL SQLSTATE means the server is unavailable for now.
fn pg_code_unavailable(code: &str) -> bool {
    code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03" | "53300")
}

/// Whether a SQLite (extended) result code is `SQLITE_BUSY` (5) or one of its extended
/// codes (`SQLITE_BUSY_RECOVERY`, `_SNAPSHOT`, `_TIMEOUT`).
fn sqlite_code_unavailable(code: i32) -> bool {
    code & 0xff == 5
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
        let status = self.status();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            tracing::warn!(error = %self, "database unavailable");
        } else if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let mut res = problem_response(&self.problem());
        if let Some(secs) = self.retry_after() {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unavailable_database_errors() {
        let io = |k| sqlx::Error::Io(std::io::Error::from(k));
        for e in [
            sqlx::Error::PoolTimedOut,
            sqlx::Error::PoolClosed,
            io(std::io::ErrorKind::ConnectionRefused),
            io(std::io::ErrorKind::ConnectionReset),
            io(std::io::ErrorKind::UnexpectedEof),
        ] {
            let api = ApiError::Database(e);
            assert_eq!(api.status(), StatusCode::SERVICE_UNAVAILABLE, "{api}");
            assert_eq!(api.retry_after(), Some(UNAVAILABLE_RETRY_AFTER_SECS));
            let res = api.into_response();
            assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
            assert_eq!(res.headers()[header::CONTENT_TYPE], PROBLEM_JSON);
            assert_eq!(res.headers()[header::RETRY_AFTER], "5");
        }
        for e in [
            sqlx::Error::RowNotFound,
            sqlx::Error::Protocol("x".into()),
            sqlx::Error::ColumnNotFound("c".into()),
        ] {
            let api = ApiError::Database(e);
            assert_eq!(api.status(), StatusCode::INTERNAL_SERVER_ERROR);
            assert_eq!(api.retry_after(), None);
            assert!(
                api.into_response()
                    .headers()
                    .get(header::RETRY_AFTER)
                    .is_none()
            );
        }
        for code in [
            "08000", "08003", "08006", "08P01", "57P01", "57P02", "57P03", "53300",
        ] {
            assert!(pg_code_unavailable(code), "{code}");
        }
        for code in ["23505", "40001", "42P01", "57014", "53100"] {
            assert!(!pg_code_unavailable(code), "{code}");
        }
        // SQLITE_BUSY, _RECOVERY, _SNAPSHOT, _TIMEOUT; not LOCKED, CONSTRAINT_UNIQUE, IOERR.
        for code in [5, 261, 517, 773] {
            assert!(sqlite_code_unavailable(code), "{code}");
        }
        for code in [6, 2067, 10, 1] {
            assert!(!sqlite_code_unavailable(code), "{code}");
        }
    }

    #[tokio::test]
    async fn sqlite_busy_is_unavailable() {
        // A second connection that wants to write while the first holds the write lock,
        // with no busy timeout: "database is locked".
        sqlx::any::install_default_drivers();
        let dir = std::env::temp_dir().join(format!("hromada-busy-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.join("b.db").display());
        use sqlx::{Connection, Executor};
        let mut a = sqlx::AnyConnection::connect(&url).await.unwrap();
        let mut b = sqlx::AnyConnection::connect(&url).await.unwrap();
        b.execute("PRAGMA busy_timeout = 0").await.unwrap();
        a.execute("CREATE TABLE t (x INTEGER)").await.unwrap();
        a.execute("BEGIN IMMEDIATE").await.unwrap();
        a.execute("INSERT INTO t VALUES (1)").await.unwrap();
        let e = b.execute("INSERT INTO t VALUES (2)").await.unwrap_err();
        a.execute("ROLLBACK").await.unwrap();
        let api = ApiError::Database(e);
        assert_eq!(api.status(), StatusCode::SERVICE_UNAVAILABLE, "{api}");
        drop((a, b));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
