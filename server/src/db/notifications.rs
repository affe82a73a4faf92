//! SQL for notifications: what changed for a person, newest first, read or not.

use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use super::Db;
use super::delivery::{DeliveryWrite, insert_delivery};

/// A new notification (written in the transaction of the change it tells about).
#[derive(Debug, Clone)]
pub struct NotificationWrite<'a> {
    pub id: &'a str,
    pub user_id: &'a str,
    /// A `NotificationKind` code.
    pub kind: &'a str,
    /// What it is about: an appeal, a petition, a budget project or a consultation
    /// (exactly one).
    pub appeal_id: Option<&'a str>,
    pub petition_id: Option<&'a str>,
    pub project_id: Option<&'a str>,
    pub consultation_id: Option<&'a str>,
    pub at: &'a str,
}

/// A stored notification with what its appeal, petition or project is.
#[derive(Debug, Clone)]
pub struct NotificationRow {
    pub id: String,
    pub kind: String,
    pub at: String,
    pub read: bool,
    pub about: About,
}

/// What a notification is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum About {
    Appeal {
        id: String,
        number: String,
        subject: String,
    },
    Petition {
        id: String,
        title: String,
    },
    Project {
        id: String,
        title: String,
    },
    Consultation {
        id: String,
        subject: String,
    },
}

const SELECT: &str = "SELECT n.id, n.kind, n.notified_at, n.read_at, n.appeal_id, \
     a.number, a.subject, n.petition_id, p.title, n.project_id, b.title AS project_title, n.consultation_id, \
     c.subject AS consultation_subject \
     FROM notifications n LEFT JOIN appeals a ON a.id = n.appeal_id \
     LEFT JOIN petitions p ON p.id = n.petition_id \
     LEFT JOIN budget_projects b ON b.id = n.project_id \
     LEFT JOIN consultations c ON c.id = n.consultation_id";

fn row(r: &AnyRow) -> Result<NotificationRow, sqlx::Error> {
    let read_at: Option<String> = r.try_get("read_at")?;
    let appeal_id: Option<String> = r.try_get("appeal_id")?;
    let petition_id: Option<String> = r.try_get("petition_id")?;
    let project_id: Option<String> = r.try_get("project_id")?;
    let consultation_id: Option<String> = r.try_get("consultation_id")?;
    // A CHECK keeps exactly one of the four set, and the foreign keys keep them existing.
    let about = match (appeal_id, petition_id, project_id, consultation_id) {
        (Some(id), _, _, _) => About::Appeal {
            id,
            number: r.try_get("number")?,
            subject: r.try_get("subject")?,
        },
        (None, Some(id), _, _) => About::Petition {
            id,
            title: r.try_get("title")?,
        },
        (None, None, Some(id), _) => About::Project {
            id,
            title: r.try_get("project_title")?,
        },
        (None, None, None, Some(id)) => About::Consultation {
            id,
            subject: r.try_get("consultation_subject")?,
        },
        (None, None, None, None) => {
            return Err(sqlx::Error::Protocol("a notification about nothing".into()));
        }
    };
    Ok(NotificationRow {
        id: r.try_get("id")?,
        kind: r.try_get("kind")?,
        at: r.try_get("notified_at")?,
        read: read_at.is_some(),
        about,
    })
}

/// Records a notification inside a transaction.
pub(super) async fn insert_notification(
    tx: &mut Transaction<'_, Any>,
    n: &NotificationWrite<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO notifications (id, user_id, kind, appeal_id, petition_id, project_id, \
         consultation_id, notified_at, read_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL)",
    )
    .bind(n.id)
    .bind(n.user_id)
    .bind(n.kind)
    .bind(n.appeal_id)
    .bind(n.petition_id)
    .bind(n.project_id)
    .bind(n.consultation_id)
    .bind(n.at)
    .execute(&mut **tx)
    .await?;
    insert_delivery(tx, &delivery_of(n, &format!("notification:{}", n.id))).await
}

/// The delivery that sends a notification by the channels its person chose, written
/// with it: the worker decides on push and email when it takes it.
fn delivery_of<'a>(n: &'a NotificationWrite<'a>, key: &'a str) -> DeliveryWrite<'a> {
    DeliveryWrite {
        id: n.id,
        job: "notification",
        kind: n.kind,
        notification_id: Some(n.id),
        user_id: Some(n.user_id),
        appeal_id: n.appeal_id,
        dedup: key,
        unique_key: key,
        due_at: n.at,
        created_at: n.at,
        ..DeliveryWrite::default()
    }
}

/// Records many notifications inside a transaction, a few hundred rows a statement.
pub(super) async fn insert_notifications(
    tx: &mut Transaction<'_, Any>,
    items: &[NotificationWrite<'_>],
) -> Result<(), sqlx::Error> {
    // 8 values a row: 120 rows stay under SQLite's oldest limit of 999 parameters.
    for chunk in items.chunks(120) {
        let mut sql = String::from(
            "INSERT INTO notifications (id, user_id, kind, appeal_id, petition_id, project_id, \
             consultation_id, notified_at, read_at) VALUES ",
        );
        for i in 0..chunk.len() {
            let b = i * 8;
            if i > 0 {
                sql.push(',');
            }
            let cells: Vec<String> = (1..=8).map(|j| format!("${}", b + j)).collect();
            sql.push_str(&format!("({}, NULL)", cells.join(", ")));
        }
        let mut q = sqlx::query(&sql);
        for n in chunk {
            q = q
                .bind(n.id)
                .bind(n.user_id)
                .bind(n.kind)
                .bind(n.appeal_id)
                .bind(n.petition_id)
                .bind(n.project_id)
                .bind(n.consultation_id)
                .bind(n.at);
        }
        q.execute(&mut **tx).await?;
    }
    // The deliveries of the same notifications, 7 values a row.
    for chunk in items.chunks(120) {
        let mut sql = String::from(
            "INSERT INTO deliveries (id, job, kind, notification_id, user_id, appeal_id, dedup, \
             unique_key, state, attempts, due_at, created_at) VALUES ",
        );
        for i in 0..chunk.len() {
            let b = i * 6;
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!(
                "(${}, 'notification', ${}, ${}, ${}, ${}, ${}, ${}, 'pending', 0, ${}, ${})",
                b + 1,
                b + 2,
                b + 1,
                b + 3,
                b + 4,
                b + 5,
                b + 5,
                b + 6,
                b + 6
            ));
        }
        sql.push_str(" ON CONFLICT (unique_key) DO NOTHING");
        let mut q = sqlx::query(&sql);
        for n in chunk {
            q = q
                .bind(n.id)
                .bind(n.kind)
                .bind(n.user_id)
                .bind(n.appeal_id)
                .bind(format!("notification:{}", n.id))
                .bind(n.at);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

impl Db {
    /// A page of a person's notifications, newest first, after the keyset `(at, id)`.
    pub async fn notifications(
        &self,
        user_id: &str,
        after: Option<(&str, &str)>,
        limit: i64,
    ) -> Result<Vec<NotificationRow>, sqlx::Error> {
        let rows = match after {
            Some((at, id)) => {
                let sql = format!(
                    "{SELECT} WHERE n.user_id = $1 AND (n.notified_at < $2 OR \
                     (n.notified_at = $2 AND n.id < $3)) ORDER BY n.notified_at DESC, n.id DESC LIMIT $4"
                );
                sqlx::query(&sql)
                    .bind(user_id)
                    .bind(at)
                    .bind(id)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?
            }
            None => {
                let sql = format!(
                    "{SELECT} WHERE n.user_id = $1 ORDER BY n.notified_at DESC, n.id DESC LIMIT $2"
                );
                sqlx::query(&sql)
                    .bind(user_id)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?
            }
        };
        rows.iter().map(row).collect()
    }

    /// One notification of a person.
    pub async fn notification(
        &self,
        user_id: &str,
        id: &str,
    ) -> Result<Option<NotificationRow>, sqlx::Error> {
        let sql = format!("{SELECT} WHERE n.user_id = $1 AND n.id = $2");
        let r = sqlx::query(&sql)
            .bind(user_id)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        r.as_ref().map(row).transpose()
    }

    /// How many of a person's notifications are unread.
    pub async fn unread_notifications(&self, user_id: &str) -> Result<i64, sqlx::Error> {
        sqlx::query(
            "SELECT COUNT(*) AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL",
        )
        .bind(user_id)
        .fetch_one(&self.pool)
        .await?
        .try_get("n")
    }

    /// Marks one of a person's notifications read; `false` if the person has no such one.
    pub async fn mark_notification_read(
        &self,
        user_id: &str,
        id: &str,
        now: &str,
    ) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(
            "UPDATE notifications SET read_at = COALESCE(read_at, $1) WHERE user_id = $2 AND id = $3",
        )
        .bind(now)
        .bind(user_id)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Marks all of a person's notifications read.
    pub async fn mark_all_notifications_read(
        &self,
        user_id: &str,
        now: &str,
    ) -> Result<u64, sqlx::Error> {
        Ok(sqlx::query(
            "UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL",
        )
        .bind(now)
        .bind(user_id)
        .execute(&self.pool)
        .await?
        .rows_affected())
    }

    /// Marks read a person's notifications made before `before` (demo content).
    pub async fn mark_notifications_read_before(
        &self,
        user_id: &str,
        before: &str,
        now: &str,
    ) -> Result<u64, sqlx::Error> {
        Ok(sqlx::query(
            "UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL \
             AND notified_at < $3",
        )
        .bind(now)
        .bind(user_id)
        .bind(before)
        .execute(&self.pool)
        .await?
        .rows_affected())
    }
}
