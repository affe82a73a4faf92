//! SQL for `Idempotency-Key`: the first response to a key is stored and replayed.

use sqlx::Row;

use super::Db;

/// A stored successful response.
#[derive(Debug, Clone)]
pub struct StoredResponse {
    pub status: u16,
    pub body: String,
}

/// What claiming a key found.
#[derive(Debug, Clone)]
pub enum Claim {
    /// The key is new and now belongs to this request.
    Claimed,
    /// The key was used before, for the request with this fingerprint.
    Existing {
        fingerprint: String,
        /// `None` while the first request is still running.
        response: Option<StoredResponse>,
    },
}

impl Db {
    /// Claims `(scope, key)` for a request, or reports who holds it. A claim made before
    /// `stale_before` that never got a response (its process died, or dropped the request)
    /// is taken over by the same request.
    pub async fn claim_idempotency_key(
        &self,
        scope: &str,
        key: &str,
        fingerprint: &str,
        now: &str,
        stale_before: &str,
    ) -> Result<Claim, sqlx::Error> {
        let done = sqlx::query(
            "INSERT INTO idempotency_keys (scope, idem_key, fingerprint, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (scope, idem_key) DO NOTHING",
        )
        .bind(scope)
        .bind(key)
        .bind(fingerprint)
        .bind(now)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 1 {
            return Ok(Claim::Claimed);
        }
        let taken_over = sqlx::query(
            "UPDATE idempotency_keys SET created_at = $1 WHERE scope = $2 AND idem_key = $3 \
             AND fingerprint = $4 AND status IS NULL AND created_at < $5",
        )
        .bind(now)
        .bind(scope)
        .bind(key)
        .bind(fingerprint)
        .bind(stale_before)
        .execute(&self.pool)
        .await?;
        if taken_over.rows_affected() == 1 {
            return Ok(Claim::Claimed);
        }
        let row = sqlx::query(
            "SELECT fingerprint, status, body FROM idempotency_keys WHERE scope = $1 AND idem_key = $2",
        )
        .bind(scope)
        .bind(key)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            // Released between our insert and select: treat as still running.
            return Ok(Claim::Existing {
                fingerprint: fingerprint.to_owned(),
                response: None,
            });
        };
        let status: Option<i64> = row.try_get("status")?;
        let body: Option<String> = row.try_get("body")?;
        Ok(Claim::Existing {
            fingerprint: row.try_get("fingerprint")?,
            response: match (status, body) {
                (Some(s), Some(b)) => Some(StoredResponse {
                    status: u16::try_from(s).unwrap_or(200),
                    body: b,
                }),
                _ => None,
            },
        })
    }

    /// Stores the successful response of the request holding a key.
    pub async fn complete_idempotency_key(
        &self,
        scope: &str,
        key: &str,
        status: u16,
        body: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE idempotency_keys SET status = $1, body = $2 WHERE scope = $3 AND idem_key = $4",
        )
        .bind(i64::from(status))
        .bind(body)
        .bind(scope)
        .bind(key)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Releases a key whose request failed, so a corrected retry can use it.
    pub async fn release_idempotency_key(&self, scope: &str, key: &str) -> Result<(), sqlx::Error> {
        sqlx::query(
            "DELETE FROM idempotency_keys WHERE scope = $1 AND idem_key = $2 AND status IS NULL",
        )
        .bind(scope)
        .bind(key)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
