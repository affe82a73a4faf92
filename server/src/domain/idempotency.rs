//! `Idempotency-Key` for creating requests: the first successful response to a key in a
//! scope (a person, or an email for sign-up) is stored; a retry with the same key and
//! the same request gets it again, and nothing is created twice.

use std::future::Future;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::db::{Claim, Db};
use crate::domain::{clock, ids};
use crate::error::{ApiError, ApiResult};

/// How long a request may hold a key without answering before a retry takes the key over
/// (its process died, or the request was dropped when its client went away). Far longer
/// than any request runs: the database gives up on a connection after 5 s, and a stopping
/// process finishes within 10 s.
pub const CLAIM_LEASE_MS: i64 = 30_000;

/// Longest key accepted.
pub const MAX_KEY_LEN: usize = 255;

/// Whether `key` is acceptable: 1 to 255 visible ASCII characters.
pub fn valid_key(key: &str) -> bool {
    !key.is_empty() && key.len() <= MAX_KEY_LEN && key.bytes().all(|b| b.is_ascii_graphic())
}

/// A fingerprint of a request: SHA-256 of its JSON.
pub fn fingerprint<T: Serialize>(request: &T) -> String {
    ids::sha256_hex(&serde_json::to_vec(request).unwrap_or_default())
}

/// The outcome of [`run`].
#[derive(Debug)]
pub struct Outcome<T> {
    pub status: u16,
    pub value: T,
    /// Whether this is a replay of an earlier response.
    pub replayed: bool,
}

/// Runs `create` at most once per `(scope, key)`. Without a key it simply runs.
/// A key reused for a different request is refused with 422; a key whose first request
/// is still running, with 409 (until [`CLAIM_LEASE_MS`] have passed). Failed requests do
/// not hold the key.
pub async fn run<T, F, Fut>(
    db: &Db,
    scope: &str,
    key: Option<&str>,
    fingerprint: &str,
    create: F,
) -> ApiResult<Outcome<T>>
where
    T: Serialize + DeserializeOwned,
    F: FnOnce() -> Fut,
    Fut: Future<Output = ApiResult<(u16, T)>>,
{
    let Some(key) = key else {
        let (status, value) = create().await?;
        return Ok(Outcome {
            status,
            value,
            replayed: false,
        });
    };
    let now = clock::now_millis();
    match db
        .claim_idempotency_key(
            scope,
            key,
            fingerprint,
            &clock::rfc3339(now),
            &clock::rfc3339(now - CLAIM_LEASE_MS),
        )
        .await?
    {
        Claim::Existing { fingerprint: f, .. } if f != fingerprint => Err(ApiError::Status {
            status: axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            detail: "This Idempotency-Key was already used for a different request.".into(),
        }),
        Claim::Existing { response: None, .. } => Err(ApiError::Conflict(
            "A request with this Idempotency-Key is still being processed.",
        )),
        Claim::Existing {
            response: Some(r), ..
        } => {
            let value = serde_json::from_str(&r.body)
                .map_err(|e| ApiError::Internal(format!("stored idempotent response: {e}")))?;
            Ok(Outcome {
                status: r.status,
                value,
                replayed: true,
            })
        }
        Claim::Claimed => match create().await {
            Ok((status, value)) => {
                let body =
                    serde_json::to_string(&value).map_err(|e| ApiError::Internal(e.to_string()))?;
                db.complete_idempotency_key(scope, key, status, &body)
                    .await?;
                Ok(Outcome {
                    status,
                    value,
                    replayed: false,
                })
            }
            Err(e) => {
                db.release_idempotency_key(scope, key).await?;
                Err(e)
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        assert!(valid_key("3f2a-11"));
        assert!(!valid_key(""));
        assert!(!valid_key("a b"));
        assert!(!valid_key("ключ"));
        assert!(!valid_key(&"k".repeat(256)));
        assert_eq!(fingerprint(&1), fingerprint(&1));
        assert_ne!(fingerprint(&1), fingerprint(&2));
    }
}
