//! SQL for reaching people when the app is closed: push devices and alert
//! subscriptions, notification settings, one-time account tokens, sealed server
//! secrets, and the delivery table the worker sends from.

use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use super::{Backend, Db, get_bool};

/// A row of `deliveries` to write.
#[derive(Debug, Clone, Default)]
pub struct DeliveryWrite<'a> {
    pub id: &'a str,
    /// `alert`, `notification`, `push`, `email`, `digest` or `digest_item`.
    pub job: &'a str,
    pub kind: &'a str,
    pub alert_id: Option<&'a str>,
    pub notification_id: Option<&'a str>,
    pub subscription_id: Option<&'a str>,
    pub user_id: Option<&'a str>,
    pub appeal_id: Option<&'a str>,
    pub recipient: Option<&'a str>,
    pub payload: Option<&'a str>,
    pub dedup: &'a str,
    pub unique_key: &'a str,
    pub urgency: Option<&'a str>,
    pub expires_at: Option<&'a str>,
    pub due_at: &'a str,
    pub created_at: &'a str,
}

/// A row of `deliveries` taken by a worker.
#[derive(Debug, Clone)]
pub struct DeliveryRow {
    pub id: String,
    pub job: String,
    pub kind: String,
    pub alert_id: Option<String>,
    pub notification_id: Option<String>,
    pub subscription_id: Option<String>,
    pub user_id: Option<String>,
    pub appeal_id: Option<String>,
    pub recipient: Option<String>,
    pub payload: Option<String>,
    pub dedup: String,
    pub urgency: Option<String>,
    pub expires_at: Option<String>,
    pub attempts: i64,
    pub due_at: String,
}

const DELIVERY_COLS: &str = "id, job, kind, alert_id, notification_id, subscription_id, user_id, \
     appeal_id, recipient, payload, dedup, urgency, expires_at, attempts, due_at";

fn delivery(r: &AnyRow) -> Result<DeliveryRow, sqlx::Error> {
    Ok(DeliveryRow {
        id: r.try_get("id")?,
        job: r.try_get("job")?,
        kind: r.try_get("kind")?,
        alert_id: r.try_get("alert_id")?,
        notification_id: r.try_get("notification_id")?,
        subscription_id: r.try_get("subscription_id")?,
        user_id: r.try_get("user_id")?,
        appeal_id: r.try_get("appeal_id")?,
        recipient: r.try_get("recipient")?,
        payload: r.try_get("payload")?,
        dedup: r.try_get("dedup")?,
        urgency: r.try_get("urgency")?,
        expires_at: r.try_get("expires_at")?,
        attempts: r.try_get("attempts")?,
        due_at: r.try_get("due_at")?,
    })
}

/// An alert to fan out to the devices subscribed to its hromada.
#[derive(Debug, Clone, Copy)]
pub struct FanOut<'a> {
    pub alert_id: &'a str,
    pub katottg: &'a str,
    /// Only the devices that asked for information too.
    pub info_only: bool,
    pub dedup: &'a str,
    pub urgency: &'a str,
    pub expires_at: &'a str,
    pub now: &'a str,
}

/// A one-time token to store (its hash) with the email that carries it.
#[derive(Debug, Clone, Copy)]
pub struct TokenWrite<'a> {
    pub token_hash: &'a str,
    pub user_id: &'a str,
    /// `reset` or `confirm`.
    pub purpose: &'a str,
    /// The address it proves.
    pub email: &'a str,
    pub now: &'a str,
    pub expires_at: &'a str,
}

/// A push device as stored.
#[derive(Debug, Clone)]
pub struct DeviceRow {
    pub id: String,
    pub endpoint: String,
    pub origin: String,
    pub p256dh: String,
    pub auth: String,
    pub user_id: Option<String>,
    pub language: String,
    pub created_at: String,
}

const DEVICE_COLS: &str = "id, endpoint, origin, p256dh, auth, user_id, language, created_at";

fn device(r: &AnyRow) -> Result<DeviceRow, sqlx::Error> {
    Ok(DeviceRow {
        id: r.try_get("id")?,
        endpoint: r.try_get("endpoint")?,
        origin: r.try_get("origin")?,
        p256dh: r.try_get("p256dh")?,
        auth: r.try_get("auth")?,
        user_id: r.try_get("user_id")?,
        language: r.try_get("language")?,
        created_at: r.try_get("created_at")?,
    })
}

/// A device to register (the same endpoint again updates its row).
#[derive(Debug, Clone)]
pub struct DeviceWrite<'a> {
    pub id: &'a str,
    pub endpoint: &'a str,
    pub origin: &'a str,
    pub p256dh: &'a str,
    pub auth: &'a str,
    pub expires_at: Option<&'a str>,
    pub user_id: Option<&'a str>,
    pub language: &'a str,
    pub now: &'a str,
}

/// One topic's channels as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingRow {
    pub topic: String,
    pub in_app: bool,
    pub push: bool,
    pub email: bool,
}

/// Writes a delivery inside a transaction; a row with the same `unique_key` already
/// there is left as it is.
pub(super) async fn insert_delivery(
    tx: &mut Transaction<'_, Any>,
    d: &DeliveryWrite<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO deliveries (id, job, kind, alert_id, notification_id, subscription_id, \
         user_id, appeal_id, recipient, payload, dedup, unique_key, urgency, expires_at, state, \
         attempts, due_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
         $12, $13, $14, 'pending', 0, $15, $16) ON CONFLICT (unique_key) DO NOTHING",
    )
    .bind(d.id)
    .bind(d.job)
    .bind(d.kind)
    .bind(d.alert_id)
    .bind(d.notification_id)
    .bind(d.subscription_id)
    .bind(d.user_id)
    .bind(d.appeal_id)
    .bind(d.recipient)
    .bind(d.payload)
    .bind(d.dedup)
    .bind(d.unique_key)
    .bind(d.urgency)
    .bind(d.expires_at)
    .bind(d.due_at)
    .bind(d.created_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Tells a hromada's staff (those who chose to be emailed) of new work, in the
/// transaction that makes it: `kind` is `staff_appeal`, `staff_petition` or
/// `staff_consultation`; `label` names it (a number and subject, a title).
pub(super) async fn insert_staff_notice(
    tx: &mut Transaction<'_, Any>,
    kind: &str,
    katottg: &str,
    id: &str,
    label: &str,
    at: &str,
) -> Result<(), sqlx::Error> {
    let key = format!("staff:{kind}:{id}");
    let payload = serde_json::json!({"katottg": katottg, "id": id, "label": label}).to_string();
    insert_delivery(
        tx,
        &DeliveryWrite {
            id: &crate::domain::ids::new_id(),
            job: "staff",
            kind,
            payload: Some(&payload),
            dedup: &key,
            unique_key: &key,
            due_at: at,
            created_at: at,
            ..DeliveryWrite::default()
        },
    )
    .await
}

/// A member of staff who chose email for a topic.
#[derive(Debug, Clone)]
pub struct StaffRecipient {
    pub user_id: String,
    pub email: String,
    pub full_name: String,
    pub language: String,
    pub email_frequency: String,
}

impl Db {
    /// The staff of a hromada (and no one else) who switched email on for `topic`, with
    /// a confirmed address that does not bounce.
    pub async fn staff_recipients(
        &self,
        katottg: &str,
        topic: &str,
    ) -> Result<Vec<StaffRecipient>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT u.id, u.email, u.full_name, u.language, u.email_frequency FROM staff s \
             JOIN users u ON u.id = s.user_id JOIN notification_settings n ON n.user_id = u.id \
             WHERE s.katottg = $1 AND n.topic = $2 AND n.email = 1 \
             AND u.email_confirmed_at IS NOT NULL AND u.email_failing_at IS NULL ORDER BY u.id",
        )
        .bind(katottg)
        .bind(topic)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(StaffRecipient {
                    user_id: r.try_get("id")?,
                    email: r.try_get("email")?,
                    full_name: r.try_get("full_name")?,
                    language: r.try_get("language")?,
                    email_frequency: r.try_get("email_frequency")?,
                })
            })
            .collect()
    }

    /// Writes deliveries in one transaction (rows already there are kept).
    pub async fn insert_deliveries(&self, items: &[DeliveryWrite<'_>]) -> Result<(), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        for d in items {
            insert_delivery(&mut tx, d).await?;
        }
        tx.commit().await
    }

    /// Takes up to `limit` due deliveries for this worker until `lease_until`: pending,
    /// due, and not held by another worker. On PostgreSQL rows locked by another
    /// process's claim are skipped (`FOR UPDATE SKIP LOCKED`); SQLite has one writer.
    pub async fn claim_deliveries(
        &self,
        now: &str,
        lease_until: &str,
        limit: i64,
    ) -> Result<Vec<DeliveryRow>, sqlx::Error> {
        let lock = if self.backend == Backend::Postgres {
            " FOR UPDATE SKIP LOCKED"
        } else {
            ""
        };
        let sql = format!(
            "UPDATE deliveries SET leased_until = $1, attempts = attempts + 1 WHERE id IN \
             (SELECT id FROM deliveries WHERE state = 'pending' AND job <> 'digest_item' \
             AND due_at <= $2 AND (leased_until IS NULL OR leased_until < $2) \
             ORDER BY due_at, id LIMIT $3{lock}) RETURNING {DELIVERY_COLS}"
        );
        let rows = sqlx::query(&sql)
            .bind(lease_until)
            .bind(now)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(delivery).collect()
    }

    /// When the next pending delivery is due (none: `None`).
    pub async fn next_delivery_due(&self) -> Result<Option<String>, sqlx::Error> {
        sqlx::query(
            "SELECT MIN(due_at) AS due FROM deliveries WHERE state = 'pending' AND job <> 'digest_item'",
        )
        .fetch_one(&self.pool)
        .await?
        .try_get("due")
    }

    /// Marks deliveries sent (and forgets their payload: a sealed link is not kept).
    pub async fn mark_sent(&self, ids: &[String], now: &str) -> Result<(), sqlx::Error> {
        for chunk in ids.chunks(500) {
            let marks: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
            let sql = format!(
                "UPDATE deliveries SET state = 'sent', sent_at = $1, leased_until = NULL, \
                 payload = CASE WHEN job = 'email' THEN NULL ELSE payload END, last_error = NULL \
                 WHERE id IN ({})",
                marks.join(", ")
            );
            let mut q = sqlx::query(&sql).bind(now);
            for id in chunk {
                q = q.bind(id);
            }
            q.execute(&self.pool).await?;
        }
        Ok(())
    }

    /// Takes every pending delivery as sent (the demo's history, made at first start).
    pub async fn settle_all_deliveries(&self, now: &str) -> Result<u64, sqlx::Error> {
        Ok(sqlx::query(
            "UPDATE deliveries SET state = 'sent', sent_at = $1, payload = NULL WHERE state = 'pending'",
        )
        .bind(now)
        .execute(&self.pool)
        .await?
        .rows_affected())
    }

    /// Tries a delivery again at `due_at`.
    pub async fn retry_delivery(
        &self,
        id: &str,
        due_at: &str,
        error: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE deliveries SET due_at = $1, leased_until = NULL, last_error = $2 WHERE id = $3",
        )
        .bind(due_at)
        .bind(error)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Gives a delivery up.
    pub async fn fail_delivery(&self, id: &str, error: &str) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE deliveries SET state = 'failed', leased_until = NULL, last_error = $1, \
             payload = NULL WHERE id = $2",
        )
        .bind(error)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The pending items of a person's digest (marks nothing).
    pub async fn digest_items(&self, dedup: &str) -> Result<Vec<DeliveryRow>, sqlx::Error> {
        let sql = format!(
            "SELECT {DELIVERY_COLS} FROM deliveries WHERE job = 'digest_item' AND dedup = $1 \
             AND state = 'pending' ORDER BY created_at, id"
        );
        let rows = sqlx::query(&sql).bind(dedup).fetch_all(&self.pool).await?;
        rows.iter().map(delivery).collect()
    }

    /// Fans an alert out: one push delivery for every device subscribed to the
    /// hromada's alerts (`info`: only those that asked for information too), in one
    /// statement; rows made before (by a worker that died) are kept.
    pub async fn fan_out_alert(&self, f: &FanOut<'_>) -> Result<u64, sqlx::Error> {
        let FanOut {
            alert_id,
            katottg,
            info_only,
            dedup,
            urgency,
            expires_at,
            now,
        } = *f;
        let done = sqlx::query(
            "INSERT INTO deliveries (id, job, kind, alert_id, subscription_id, recipient, dedup, \
             unique_key, urgency, expires_at, state, attempts, due_at, created_at) \
             SELECT $1 || p.id, 'push', 'alert', $2, p.id, p.origin, $3, 'push:' || $3 || ':' || p.id, \
             $4, $5, 'pending', 0, $6, $6 FROM alert_subscriptions s \
             JOIN push_subscriptions p ON p.id = s.subscription_id \
             WHERE s.katottg = $7 AND (s.info = 1 OR $8 = 0) \
             ON CONFLICT (unique_key) DO NOTHING",
        )
        .bind(&alert_id[..alert_id.len().min(16)])
        .bind(alert_id)
        .bind(dedup)
        .bind(urgency)
        .bind(expires_at)
        .bind(now)
        .bind(katottg)
        .bind(i64::from(info_only))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }

    /// Marks digest items and their digest sent, in one transaction.
    pub async fn finish_digest(
        &self,
        digest_id: &str,
        item_ids: &[String],
        now: &str,
    ) -> Result<(), sqlx::Error> {
        let mut ids = item_ids.to_vec();
        ids.push(digest_id.to_owned());
        self.mark_sent(&ids, now).await
    }

    /// The deliveries about an appeal, oldest first.
    pub async fn appeal_deliveries(
        &self,
        appeal_id: &str,
    ) -> Result<Vec<AppealDeliveryRow>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT job, kind, recipient, state, created_at, sent_at, last_error FROM deliveries \
             WHERE appeal_id = $1 AND job IN ('push', 'email') ORDER BY created_at, id",
        )
        .bind(appeal_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AppealDeliveryRow {
                    job: r.try_get("job")?,
                    kind: r.try_get("kind")?,
                    recipient: r.try_get("recipient")?,
                    state: r.try_get("state")?,
                    created_at: r.try_get("created_at")?,
                    sent_at: r.try_get("sent_at")?,
                    error: r.try_get("last_error")?,
                })
            })
            .collect()
    }

    /// The author of a petition.
    pub async fn petition_author(&self, id: &str) -> Result<Option<String>, sqlx::Error> {
        let r = sqlx::query("SELECT author_id FROM petitions WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(r.and_then(|r| r.try_get::<Option<String>, _>("author_id").ok().flatten()))
    }

    /// A petition's official answer, when given.
    pub async fn petition_answer(&self, id: &str) -> Result<Option<String>, sqlx::Error> {
        let r = sqlx::query("SELECT answer_text FROM petitions WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(r.and_then(|r| r.try_get::<Option<String>, _>("answer_text").ok().flatten()))
    }

    /// The address and name an appeal gives (the law's channel for its answer), and the
    /// answer's step data (JSON), when answered.
    pub async fn appeal_contact_and_answer(
        &self,
        id: &str,
    ) -> Result<Option<(String, String, Option<String>)>, sqlx::Error> {
        let r = sqlx::query(
            "SELECT a.author_email, a.author_name, (SELECT s.data FROM appeal_steps s \
             WHERE s.appeal_id = a.id AND s.kind = 'answered' ORDER BY s.seq DESC LIMIT 1) AS answer \
             FROM appeals a WHERE a.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        r.map(|r| {
            Ok((
                r.try_get("author_email")?,
                r.try_get("author_name")?,
                r.try_get("answer")?,
            ))
        })
        .transpose()
    }

    // --- devices -------------------------------------------------------------------

    /// Registers a device, or updates the row of the same endpoint; returns its id. A
    /// signed-in registration takes the device for that person; an anonymous one leaves
    /// its person as it was.
    pub async fn upsert_device(&self, d: &DeviceWrite<'_>) -> Result<String, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO push_subscriptions (id, endpoint, origin, p256dh, auth, expires_at, \
             user_id, language, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) \
             ON CONFLICT (endpoint) DO UPDATE SET p256dh = excluded.p256dh, auth = excluded.auth, \
             expires_at = excluded.expires_at, \
             user_id = COALESCE(excluded.user_id, push_subscriptions.user_id), \
             language = excluded.language, updated_at = excluded.updated_at",
        )
        .bind(d.id)
        .bind(d.endpoint)
        .bind(d.origin)
        .bind(d.p256dh)
        .bind(d.auth)
        .bind(d.expires_at)
        .bind(d.user_id)
        .bind(d.language)
        .bind(d.now)
        .execute(&mut *tx)
        .await?;
        let id: String = sqlx::query("SELECT id FROM push_subscriptions WHERE endpoint = $1")
            .bind(d.endpoint)
            .fetch_one(&mut *tx)
            .await?
            .try_get("id")?;
        tx.commit().await?;
        Ok(id)
    }

    /// Subscribes a device to a hromada's alerts (again: updates `info`).
    pub async fn subscribe_alerts(
        &self,
        device_id: &str,
        katottg: &str,
        info: bool,
        now: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO alert_subscriptions (subscription_id, katottg, info, created_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (katottg, subscription_id) DO UPDATE SET info = excluded.info",
        )
        .bind(device_id)
        .bind(katottg)
        .bind(i64::from(info))
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Stops a device's alerts of a hromada; `false` when it had none. A device left
    /// with no person and no alerts is forgotten.
    pub async fn unsubscribe_alerts(
        &self,
        endpoint: &str,
        katottg: &str,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "DELETE FROM alert_subscriptions WHERE katottg = $1 AND subscription_id IN \
             (SELECT id FROM push_subscriptions WHERE endpoint = $2)",
        )
        .bind(katottg)
        .bind(endpoint)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "DELETE FROM push_subscriptions WHERE endpoint = $1 AND user_id IS NULL AND NOT EXISTS \
             (SELECT 1 FROM alert_subscriptions s WHERE s.subscription_id = push_subscriptions.id)",
        )
        .bind(endpoint)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(done.rows_affected() > 0)
    }

    /// One device.
    pub async fn device(&self, id: &str) -> Result<Option<DeviceRow>, sqlx::Error> {
        let sql = format!("SELECT {DEVICE_COLS} FROM push_subscriptions WHERE id = $1");
        let r = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        r.as_ref().map(device).transpose()
    }

    /// Devices by id (the worker's batch).
    pub async fn devices_by_id(&self, ids: &[String]) -> Result<Vec<DeviceRow>, sqlx::Error> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let marks: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 1)).collect();
            let sql = format!(
                "SELECT {DEVICE_COLS} FROM push_subscriptions WHERE id IN ({})",
                marks.join(", ")
            );
            let mut q = sqlx::query(&sql);
            for id in chunk {
                q = q.bind(id);
            }
            for r in q.fetch_all(&self.pool).await? {
                out.push(device(&r)?);
            }
        }
        Ok(out)
    }

    /// A person's devices, newest first.
    pub async fn user_devices(&self, user_id: &str) -> Result<Vec<DeviceRow>, sqlx::Error> {
        let sql = format!(
            "SELECT {DEVICE_COLS} FROM push_subscriptions WHERE user_id = $1 ORDER BY created_at DESC, id"
        );
        let rows = sqlx::query(&sql)
            .bind(user_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(device).collect()
    }

    /// The hromadas (code and name) whose alerts a device gets.
    pub async fn device_alerts(
        &self,
        device_id: &str,
    ) -> Result<Vec<(String, String)>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT h.katottg, h.name FROM alert_subscriptions s JOIN hromadas h ON h.katottg = s.katottg \
             WHERE s.subscription_id = $1 ORDER BY h.sort_key",
        )
        .bind(device_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("katottg")?, r.try_get("name")?)))
            .collect()
    }

    /// Removes a person's device; `false` when it is not theirs.
    pub async fn delete_user_device(&self, user_id: &str, id: &str) -> Result<bool, sqlx::Error> {
        let done = sqlx::query("DELETE FROM push_subscriptions WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Forgets a device its push service says is gone (404, 410).
    pub async fn delete_device(&self, id: &str) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM push_subscriptions WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Counts a registration of an alert subscription from `ip`; returns how many there
    /// were since `since` before this one.
    pub async fn count_push_registration(
        &self,
        id: &str,
        ip: &str,
        now: &str,
        since: &str,
    ) -> Result<i64, sqlx::Error> {
        // Counted before, written after, outside one transaction: on SQLite a read that
        // turns into a write inside a transaction fails at once when another writes.
        let n: i64 =
            sqlx::query("SELECT COUNT(*) AS n FROM push_registrations WHERE ip = $1 AND at >= $2")
                .bind(ip)
                .bind(since)
                .fetch_one(&self.pool)
                .await?
                .try_get("n")?;
        sqlx::query("INSERT INTO push_registrations (id, ip, at) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(ip)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(n)
    }

    // --- settings ------------------------------------------------------------------

    /// The topics a person changed (the rest keep their defaults), and their email
    /// frequency.
    pub async fn notification_settings(
        &self,
        user_id: &str,
    ) -> Result<(Vec<SettingRow>, String), sqlx::Error> {
        let rows = sqlx::query(
            "SELECT topic, in_app, push, email FROM notification_settings WHERE user_id = $1",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        let settings = rows
            .iter()
            .map(|r| {
                Ok(SettingRow {
                    topic: r.try_get("topic")?,
                    in_app: get_bool(r, "in_app")?,
                    push: get_bool(r, "push")?,
                    email: get_bool(r, "email")?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        let freq: String = sqlx::query("SELECT email_frequency FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(&self.pool)
            .await?
            .try_get("email_frequency")?;
        Ok((settings, freq))
    }

    /// Saves a person's settings of the topics given, and the frequency.
    pub async fn put_notification_settings(
        &self,
        user_id: &str,
        rows: &[SettingRow],
        frequency: &str,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        for s in rows {
            sqlx::query(
                "INSERT INTO notification_settings (user_id, topic, in_app, push, email) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id, topic) DO UPDATE SET \
                 in_app = excluded.in_app, push = excluded.push, email = excluded.email",
            )
            .bind(user_id)
            .bind(&s.topic)
            .bind(i64::from(s.in_app))
            .bind(i64::from(s.push))
            .bind(i64::from(s.email))
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("UPDATE users SET email_frequency = $1 WHERE id = $2")
            .bind(frequency)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    }

    /// Switches email of one topic off (the one-click unsubscribe).
    pub async fn email_off(
        &self,
        user_id: &str,
        topic: &str,
        default: &SettingRow,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO notification_settings (user_id, topic, in_app, push, email) \
             VALUES ($1, $2, $3, $4, 0) ON CONFLICT (user_id, topic) DO UPDATE SET email = 0",
        )
        .bind(user_id)
        .bind(topic)
        .bind(i64::from(default.in_app))
        .bind(i64::from(default.push))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    // --- account tokens, language, email state -----------------------------------

    /// Stores a token's hash and the email that carries it, in one transaction.
    pub async fn insert_token_with_email(
        &self,
        t: &TokenWrite<'_>,
        mail: &DeliveryWrite<'_>,
    ) -> Result<(), sqlx::Error> {
        let TokenWrite {
            token_hash,
            user_id,
            purpose,
            email,
            now,
            expires_at,
        } = *t;
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO account_tokens (token_hash, user_id, purpose, email, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(purpose)
        .bind(email)
        .bind(now)
        .bind(expires_at)
        .execute(&mut *tx)
        .await?;
        insert_delivery(&mut tx, mail).await?;
        tx.commit().await
    }

    /// Uses a token: `(user id, email)` when it exists for `purpose`, is unused and not
    /// expired at `now`; it cannot be used again.
    pub async fn use_token(
        &self,
        token_hash: &str,
        purpose: &str,
        now: &str,
    ) -> Result<Option<(String, String)>, sqlx::Error> {
        let r = sqlx::query(
            "UPDATE account_tokens SET used_at = $1 WHERE token_hash = $2 AND purpose = $3 \
             AND used_at IS NULL AND expires_at > $1 RETURNING user_id, email",
        )
        .bind(now)
        .bind(token_hash)
        .bind(purpose)
        .fetch_optional(&self.pool)
        .await?;
        r.map(|r| Ok((r.try_get("user_id")?, r.try_get("email")?)))
            .transpose()
    }

    /// Sets a new password from a reset: voids every reset link of the person, ends
    /// every session, and writes the "password changed" email, in one transaction.
    pub async fn reset_password(
        &self,
        user_id: &str,
        hash: &str,
        mail: &DeliveryWrite<'_>,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM account_tokens WHERE user_id = $1 AND purpose = 'reset'")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        insert_delivery(&mut tx, mail).await?;
        tx.commit().await
    }

    /// Voids a person's reset links (their password changed).
    pub async fn void_reset_tokens(&self, user_id: &str) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM account_tokens WHERE user_id = $1 AND purpose = 'reset'")
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Confirms an address: the account's own (marks it confirmed) or a new one
    /// waiting (it replaces the old). `false` when the address is taken meanwhile.
    pub async fn confirm_email(
        &self,
        user_id: &str,
        email: &str,
        now: &str,
    ) -> Result<bool, sqlx::Error> {
        let r = sqlx::query(
            "UPDATE users SET email = $1, email_confirmed_at = $2, email_failing_at = NULL, \
             pending_email = CASE WHEN pending_email = $1 THEN NULL ELSE pending_email END, \
             search_text = $1 || substr(search_text, length(email) + 1) \
             WHERE id = $3 AND (email = $1 OR pending_email = $1)",
        )
        .bind(email)
        .bind(now)
        .bind(user_id)
        .execute(&self.pool)
        .await;
        match r {
            Ok(done) => Ok(done.rows_affected() == 1),
            Err(e) if super::is_unique_violation(&e) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Records a new address waiting for its confirmation.
    pub async fn set_pending_email(
        &self,
        user_id: &str,
        email: Option<&str>,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE users SET pending_email = $1 WHERE id = $2")
            .bind(email)
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Sets the language of a person's emails and pushes (and their devices').
    pub async fn set_language(&self, user_id: &str, language: &str) -> Result<(), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE users SET language = $1 WHERE id = $2")
            .bind(language)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE push_subscriptions SET language = $1 WHERE user_id = $2")
            .bind(language)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    }

    /// Marks the accounts with this address as failing (mail bounced for good).
    pub async fn mark_email_failing(&self, email: &str, now: &str) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE users SET email_failing_at = $1 WHERE email = $2")
            .bind(now)
            .bind(email)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Counts a request for a reset link; returns how many there were since `since`
    /// from the address and for the email, before this one.
    pub async fn count_reset_request(
        &self,
        id: &str,
        ip: &str,
        email: &str,
        now: &str,
        since: &str,
    ) -> Result<(i64, i64), sqlx::Error> {
        // As in `count_push_registration`: read, then write, not in one transaction.
        let by_ip: i64 =
            sqlx::query("SELECT COUNT(*) AS n FROM reset_requests WHERE ip = $1 AND at >= $2")
                .bind(ip)
                .bind(since)
                .fetch_one(&self.pool)
                .await?
                .try_get("n")?;
        let by_email: i64 =
            sqlx::query("SELECT COUNT(*) AS n FROM reset_requests WHERE email = $1 AND at >= $2")
                .bind(email)
                .bind(since)
                .fetch_one(&self.pool)
                .await?
                .try_get("n")?;
        sqlx::query("INSERT INTO reset_requests (id, ip, email, at) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(ip)
            .bind(email)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok((by_ip, by_email))
    }

    // --- sealed secrets --------------------------------------------------------------

    /// A sealed secret and its public part.
    pub async fn secret(
        &self,
        name: &str,
    ) -> Result<Option<(String, Option<String>)>, sqlx::Error> {
        let r = sqlx::query("SELECT sealed, public_part FROM server_secrets WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        r.map(|r| Ok((r.try_get("sealed")?, r.try_get("public_part")?)))
            .transpose()
    }

    /// Stores a secret unless one of that name is there already (the first process to
    /// start wins; the others read its).
    pub async fn insert_secret_once(
        &self,
        name: &str,
        sealed: &str,
        public_part: Option<&str>,
        now: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO server_secrets (name, sealed, public_part, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(sealed)
        .bind(public_part)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

/// A delivery about an appeal, for its log.
#[derive(Debug, Clone)]
pub struct AppealDeliveryRow {
    pub job: String,
    pub kind: String,
    pub recipient: Option<String>,
    pub state: String,
    pub created_at: String,
    pub sent_at: Option<String>,
    pub error: Option<String>,
}
