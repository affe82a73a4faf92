//! Page sizes and query parameters shared by every list.

use hromada_api::{ErrorCode, FieldError};

use crate::error::ApiError;

/// Items per page when `limit` is not given.
pub const DEFAULT_LIMIT: i64 = 20;
/// Largest `limit` accepted.
pub const MAX_LIMIT: i64 = 100;
/// Longest search text accepted, in characters.
pub const MAX_QUERY: usize = 200;

/// Parses `?limit=`: 1 to [`MAX_LIMIT`], [`DEFAULT_LIMIT`] when absent.
pub fn limit(raw: Option<&str>) -> Result<i64, ApiError> {
    match raw {
        None => Ok(DEFAULT_LIMIT),
        Some(s) => match s.trim().parse::<i64>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            _ => Err(ApiError::BadParams(vec![FieldError::new(
                "limit",
                ErrorCode::Invalid,
            )])),
        },
    }
}

/// Parses `?q=`: normalised search text, `None` when empty.
pub fn query(raw: Option<&str>) -> Result<Option<String>, ApiError> {
    let Some(raw) = raw else { return Ok(None) };
    if raw.chars().count() > MAX_QUERY {
        return Err(ApiError::BadParams(vec![FieldError::new(
            "q",
            ErrorCode::TooLong,
        )]));
    }
    if raw.chars().any(char::is_control) {
        return Err(ApiError::BadParams(vec![FieldError::new(
            "q",
            ErrorCode::Invalid,
        )]));
    }
    let n = super::search::normalize(raw);
    Ok((!n.is_empty()).then_some(n))
}

/// The error for a cursor the server did not make.
pub fn bad_cursor() -> ApiError {
    ApiError::BadParams(vec![FieldError::new("cursor", ErrorCode::Invalid)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits() {
        assert_eq!(limit(None).unwrap(), 20);
        assert_eq!(limit(Some("100")).unwrap(), 100);
        for bad in ["0", "101", "-1", "x", "", "1e3"] {
            assert!(limit(Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn queries() {
        assert_eq!(query(Some("  ")).unwrap(), None);
        assert_eq!(query(Some("ХЕРС")).unwrap().as_deref(), Some("херс"));
        assert!(query(Some(&"x".repeat(201))).is_err());
        assert!(query(Some("a\u{0}")).is_err());
    }
}
