//! SQL for the rate limits on sign-ups (per client address) and signatures (per person).

use sqlx::Row;

use super::Db;

impl Db {
    /// Accounts created from client address `ip` after `since` (RFC 3339): how many, and
    /// the time of the oldest.
    pub async fn signups_by_ip_since(
        &self,
        ip: &str,
        since: &str,
    ) -> Result<(i64, Option<String>), sqlx::Error> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n, MIN(at) AS oldest FROM signups WHERE ip = $1 AND at > $2",
        )
        .bind(ip)
        .bind(since)
        .fetch_one(&self.pool)
        .await?;
        Ok((row.try_get("n")?, row.try_get("oldest")?))
    }

    /// Records an account created from `ip` at `at` and forgets those before `forget_before`.
    pub async fn record_signup(
        &self,
        ip: &str,
        at: &str,
        forget_before: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO signups (id, ip, at) VALUES ($1, $2, $3)")
            .bind(crate::domain::ids::new_id())
            .bind(ip)
            .bind(at)
            .execute(&self.pool)
            .await?;
        sqlx::query("DELETE FROM signups WHERE at <= $1")
            .bind(forget_before)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Signatures `user_id` gave after `since` (RFC 3339), the author's own at publication
    /// included: how many, and the time of the oldest.
    pub async fn signatures_by_user_since(
        &self,
        user_id: &str,
        since: &str,
    ) -> Result<(i64, Option<String>), sqlx::Error> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n, MIN(signed_at) AS oldest FROM petition_signatures \
             WHERE user_id = $1 AND signed_at > $2",
        )
        .bind(user_id)
        .bind(since)
        .fetch_one(&self.pool)
        .await?;
        Ok((row.try_get("n")?, row.try_get("oldest")?))
    }
}
