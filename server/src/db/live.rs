//! SQL for live events shared by every process (see `domain::live`) and the scheduler's
//! marks (`domain::scheduler`).

use sqlx::Row;

use super::{Backend, Db};

/// The PostgreSQL channel a process is woken on when another has written an event.
pub const CHANNEL: &str = "hromada_live";

/// A live event as written down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveRow {
    pub id: i64,
    /// `hromada`, `user` or `staff`.
    pub audience: String,
    pub target: String,
    /// The event's JSON.
    pub payload: String,
}

impl Db {
    /// Writes an event down under the next number and, on PostgreSQL, wakes every process
    /// listening (when the transaction commits). Returns its number.
    pub async fn insert_live_event(
        &self,
        audience: &str,
        target: &str,
        payload: &str,
        at: &str,
    ) -> Result<i64, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query("UPDATE live_seq SET n = n + 1 RETURNING n")
            .fetch_one(&mut *tx)
            .await?
            .try_get("n")?;
        sqlx::query(
            "INSERT INTO live_events (id, audience, target, payload, at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(audience)
        .bind(target)
        .bind(payload)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(CHANNEL)
                .bind(id.to_string())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// The events after number `after`, oldest first, at most `limit`.
    pub async fn live_events_after(
        &self,
        after: i64,
        limit: i64,
    ) -> Result<Vec<LiveRow>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT id, audience, target, payload FROM live_events WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(LiveRow {
                    id: r.try_get("id")?,
                    audience: r.try_get("audience")?,
                    target: r.try_get("target")?,
                    payload: r.try_get("payload")?,
                })
            })
            .collect()
    }

    /// The number of the last event written.
    pub async fn last_live_event(&self) -> Result<i64, sqlx::Error> {
        sqlx::query("SELECT n FROM live_seq")
            .fetch_one(&self.pool)
            .await?
            .try_get("n")
    }

    /// Forgets the events written before `before` (RFC 3339); returns how many.
    pub async fn prune_live_events(&self, before: &str) -> Result<u64, sqlx::Error> {
        Ok(sqlx::query("DELETE FROM live_events WHERE at < $1")
            .bind(before)
            .execute(&self.pool)
            .await?
            .rows_affected())
    }

    /// How far the scheduler's job `name` has gone (RFC 3339), if it ever ran.
    pub async fn scheduler_mark(&self, name: &str) -> Result<Option<String>, sqlx::Error> {
        sqlx::query("SELECT until FROM scheduler_marks WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?
            .map(|r| r.try_get("until"))
            .transpose()
    }

    /// Records how far the scheduler's job `name` has gone.
    pub async fn set_scheduler_mark(&self, name: &str, until: &str) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO scheduler_marks (name, until) VALUES ($1, $2) \
             ON CONFLICT (name) DO UPDATE SET until = excluded.until",
        )
        .bind(name)
        .bind(until)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The database's address (a PostgreSQL listener connects to it on its own).
    pub(crate) fn url(&self) -> &str {
        &self.url
    }
}
