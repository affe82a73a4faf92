//! SQL for failed sign-ins, which throttling counts.

use sqlx::Row;

use super::Db;

impl Db {
    /// Failures for `email` since `since` (epoch seconds): how many, and the oldest time.
    pub async fn failures_by_email(
        &self,
        email: &str,
        since: i64,
    ) -> Result<(i64, Option<i64>), sqlx::Error> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n, MIN(at_epoch) AS oldest FROM login_failures WHERE email = $1 AND at_epoch > $2",
        )
        .bind(email)
        .bind(since)
        .fetch_one(&self.pool)
        .await?;
        Ok((row.try_get("n")?, row.try_get("oldest")?))
    }

    /// Failures from client address `ip` since `since`: how many, and the oldest time.
    pub async fn failures_by_ip(
        &self,
        ip: &str,
        since: i64,
    ) -> Result<(i64, Option<i64>), sqlx::Error> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n, MIN(at_epoch) AS oldest FROM login_failures WHERE ip = $1 AND at_epoch > $2",
        )
        .bind(ip)
        .bind(since)
        .fetch_one(&self.pool)
        .await?;
        Ok((row.try_get("n")?, row.try_get("oldest")?))
    }

    /// Records a failed sign-in and forgets failures older than `forget_before`.
    pub async fn record_failure(
        &self,
        email: &str,
        ip: &str,
        now: i64,
        forget_before: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO login_failures (id, email, ip, at_epoch) VALUES ($1, $2, $3, $4)")
            .bind(crate::domain::ids::new_id())
            .bind(email)
            .bind(ip)
            .bind(now)
            .execute(&self.pool)
            .await?;
        sqlx::query("DELETE FROM login_failures WHERE at_epoch <= $1")
            .bind(forget_before)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Forgets the failures for `email` (after a successful sign-in).
    pub async fn clear_failures(&self, email: &str) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM login_failures WHERE email = $1")
            .bind(email)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
