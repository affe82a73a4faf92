//! SQL for urgent alerts.

use hromada_api::news::{Alert, Severity};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::Db;

/// What an alert is saved with.
#[derive(Debug, Clone)]
pub struct AlertWrite<'a> {
    pub severity: Severity,
    pub text: &'a str,
    pub area: Option<&'a str>,
    pub starts_at: &'a str,
    pub expires_at: &'a str,
    pub updated_at: &'a str,
}

/// The code and rank of a severity.
pub fn severity_code(s: Severity) -> (&'static str, i64) {
    match s {
        Severity::Info => ("info", 1),
        Severity::Warning => ("warning", 2),
        Severity::Danger => ("danger", 3),
    }
}

fn severity(code: &str) -> Severity {
    match code {
        "danger" => Severity::Danger,
        "warning" => Severity::Warning,
        _ => Severity::Info,
    }
}

const COLS: &str =
    "id, katottg, severity, severity_rank, body, area, starts_at, expires_at, ended_at";

/// An alert and the keyset its lists are ordered by: (rank, starts_at, id).
pub type AlertKey = (i64, String, String);

fn row(r: &AnyRow) -> Result<(Alert, i64), sqlx::Error> {
    let code: String = r.try_get("severity")?;
    Ok((
        Alert {
            id: r.try_get("id")?,
            katottg: r.try_get("katottg")?,
            severity: severity(&code),
            text: r.try_get("body")?,
            area: r.try_get("area")?,
            starts_at: r.try_get("starts_at")?,
            expires_at: r.try_get("expires_at")?,
            ended_at: r.try_get("ended_at")?,
        },
        r.try_get("severity_rank")?,
    ))
}

impl Db {
    /// Saves a new alert, and (in the same transaction) the delivery that pushes it to
    /// the devices subscribed to its hromada when it starts.
    pub async fn insert_alert(
        &self,
        id: &str,
        katottg: &str,
        created_by: Option<&str>,
        w: &AlertWrite<'_>,
    ) -> Result<(), sqlx::Error> {
        let (code, rank) = severity_code(w.severity);
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO alerts (id, katottg, severity, severity_rank, body, area, starts_at, \
             expires_at, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(id)
        .bind(katottg)
        .bind(code)
        .bind(rank)
        .bind(w.text)
        .bind(w.area)
        .bind(w.starts_at)
        .bind(w.expires_at)
        .bind(created_by)
        .bind(w.updated_at)
        .bind(w.updated_at)
        .execute(&mut *tx)
        .await?;
        let key = format!("alert:{id}");
        super::delivery::insert_delivery(
            &mut tx,
            &super::DeliveryWrite {
                id,
                job: "alert",
                kind: "alert",
                alert_id: Some(id),
                dedup: &key,
                unique_key: &key,
                expires_at: Some(w.expires_at),
                due_at: w.starts_at,
                created_at: w.updated_at,
                ..super::DeliveryWrite::default()
            },
        )
        .await?;
        tx.commit().await
    }

    /// Replaces an alert's content.
    pub async fn update_alert(&self, id: &str, w: &AlertWrite<'_>) -> Result<bool, sqlx::Error> {
        let (code, rank) = severity_code(w.severity);
        let done = sqlx::query(
            "UPDATE alerts SET severity = $1, severity_rank = $2, body = $3, area = $4, \
             starts_at = $5, expires_at = $6, updated_at = $7 WHERE id = $8",
        )
        .bind(code)
        .bind(rank)
        .bind(w.text)
        .bind(w.area)
        .bind(w.starts_at)
        .bind(w.expires_at)
        .bind(w.updated_at)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Ends an alert now, unless it has ended already.
    pub async fn end_alert(&self, id: &str, now: &str) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(
            "UPDATE alerts SET ended_at = $1, updated_at = $1 WHERE id = $2 AND ended_at IS NULL",
        )
        .bind(now)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// One alert.
    pub async fn alert(&self, id: &str) -> Result<Option<Alert>, sqlx::Error> {
        let sql = format!("SELECT {COLS} FROM alerts WHERE id = $1");
        let r = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        r.as_ref().map(|r| row(r).map(|(a, _)| a)).transpose()
    }

    /// A page of a hromada's alerts, most severe first, then newest: only those active at
    /// `active_at` when given.
    pub async fn alerts(
        &self,
        katottg: &str,
        active_at: Option<&str>,
        after: Option<(i64, &str, &str)>,
        limit: i64,
    ) -> Result<Vec<(Alert, AlertKey)>, sqlx::Error> {
        let mut sql = format!("SELECT {COLS} FROM alerts WHERE katottg = $1");
        let mut n = 1;
        if active_at.is_some() {
            n += 1;
            sql.push_str(&format!(
                " AND ended_at IS NULL AND starts_at <= ${n} AND expires_at > ${n}"
            ));
        }
        if after.is_some() {
            let (r, s, i) = (n + 1, n + 2, n + 3);
            n += 3;
            sql.push_str(&format!(
                " AND (severity_rank < ${r} OR (severity_rank = ${r} AND (starts_at < ${s} \
                 OR (starts_at = ${s} AND id < ${i}))))"
            ));
        }
        sql.push_str(&format!(
            " ORDER BY severity_rank DESC, starts_at DESC, id DESC LIMIT ${}",
            n + 1
        ));
        let mut q = sqlx::query(&sql).bind(katottg);
        if let Some(now) = active_at {
            q = q.bind(now);
        }
        if let Some((r, s, i)) = after {
            q = q.bind(r).bind(s).bind(i);
        }
        let rows = q.bind(limit).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                let (a, rank) = row(r)?;
                let key = (rank, a.starts_at.clone(), a.id.clone());
                Ok((a, key))
            })
            .collect()
    }

    /// Alerts (not ended) whose start came in `(since, until]` and that have not expired.
    pub async fn alerts_started(
        &self,
        since: &str,
        until: &str,
    ) -> Result<Vec<Alert>, sqlx::Error> {
        let sql = format!(
            "SELECT {COLS} FROM alerts WHERE starts_at > $1 AND starts_at <= $2 \
             AND expires_at > $2 AND ended_at IS NULL AND created_at < starts_at"
        );
        let rows = sqlx::query(&sql)
            .bind(since)
            .bind(until)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| row(r).map(|(a, _)| a)).collect()
    }

    /// `(katottg, id)` of alerts (not ended by staff) that expired in `(since, until]`.
    pub async fn alerts_expired(
        &self,
        since: &str,
        until: &str,
    ) -> Result<Vec<(String, String)>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT katottg, id FROM alerts WHERE expires_at > $1 AND expires_at <= $2 \
             AND ended_at IS NULL",
        )
        .bind(since)
        .bind(until)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("katottg")?, r.try_get("id")?)))
            .collect()
    }
}
