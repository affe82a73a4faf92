//! SQL for the services catalogue (services, answers to frequent questions, the service
//! centre) and for consultations. A message, the consultation's count and status, and the
//! author's notification (for a staff reply) are written in one transaction.

use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use super::notifications::insert_notification;
use super::{Db, NotificationWrite, get_bool, get_u32};

/// The stored description of a hromada's service centre.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CentreRow {
    pub name: String,
    pub address: String,
    pub hours: String,
    pub phone: String,
    pub email: String,
}

/// A stored service.
#[derive(Debug, Clone)]
pub struct ServiceRow {
    pub id: String,
    pub katottg: String,
    pub situation: String,
    pub situation_pos: i64,
    pub title: String,
    pub sort_key: String,
    pub purpose: String,
    pub who: String,
    /// JSON array of strings.
    pub documents: String,
    /// JSON array of strings.
    pub keywords: String,
    pub fee: Option<i64>,
    pub fee_note: String,
    pub term_days: i64,
    pub term_working: bool,
    pub term_note: String,
    pub online_url: Option<String>,
    pub updated_at: String,
}

/// What creating or changing a service writes.
#[derive(Debug, Clone)]
pub struct ServiceWrite<'a> {
    pub situation: &'a str,
    pub situation_pos: i64,
    pub title: &'a str,
    pub sort_key: &'a str,
    pub purpose: &'a str,
    pub who: &'a str,
    pub documents: &'a str,
    pub keywords: &'a str,
    pub fee: Option<i64>,
    pub fee_note: &'a str,
    pub term_days: i64,
    pub term_working: bool,
    pub term_note: &'a str,
    pub online_url: Option<&'a str>,
    pub now: &'a str,
}

/// A stored answer to a frequent question, with the title of its service.
#[derive(Debug, Clone)]
pub struct AnswerRow {
    pub id: String,
    pub katottg: String,
    pub question: String,
    pub sort_key: String,
    pub answer: String,
    pub service_id: Option<String>,
    pub service_title: Option<String>,
    pub updated_at: String,
}

/// What creating or changing an answer writes.
#[derive(Debug, Clone)]
pub struct AnswerWrite<'a> {
    pub question: &'a str,
    pub sort_key: &'a str,
    pub answer: &'a str,
    pub service_id: Option<&'a str>,
    pub now: &'a str,
}

/// A stored consultation with its author's name.
#[derive(Debug, Clone)]
pub struct ConsultationRow {
    pub id: String,
    pub katottg: String,
    pub user_id: String,
    pub author: String,
    pub subject: String,
    pub status: String,
    pub messages: u32,
    pub created_at: String,
    pub updated_at: String,
    pub waiting_since: Option<String>,
}

/// A stored message with its writer's name.
#[derive(Debug, Clone)]
pub struct MessageRow {
    pub id: String,
    pub sender: String,
    pub name: String,
    pub text: String,
    /// JSON array of the contract's `Link`s.
    pub links: String,
    pub at: String,
}

/// One message to store.
#[derive(Debug, Clone)]
pub struct MessageWrite<'a> {
    pub id: &'a str,
    /// `resident` or `staff`.
    pub sender: &'a str,
    pub author_id: &'a str,
    pub text: &'a str,
    pub links: &'a str,
    pub at: &'a str,
}

/// Which consultations a staff list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueOrder {
    /// Waiting ones, oldest waiting first; keyset `(waiting_since, id)`.
    Waiting,
    /// Answered or closed ones (the status given), most recently updated first; keyset
    /// `(updated_at, id)`.
    Latest(&'static str),
}

const SERVICE_COLS: &str = "id, katottg, situation, situation_pos, title, sort_key, purpose, \
     who, documents, keywords, fee, fee_note, term_days, term_working, term_note, online_url, \
     updated_at";

fn service(r: &AnyRow) -> Result<ServiceRow, sqlx::Error> {
    Ok(ServiceRow {
        id: r.try_get("id")?,
        katottg: r.try_get("katottg")?,
        situation: r.try_get("situation")?,
        situation_pos: r.try_get("situation_pos")?,
        title: r.try_get("title")?,
        sort_key: r.try_get("sort_key")?,
        purpose: r.try_get("purpose")?,
        who: r.try_get("who")?,
        documents: r.try_get("documents")?,
        keywords: r.try_get("keywords")?,
        fee: r.try_get("fee")?,
        fee_note: r.try_get("fee_note")?,
        term_days: r.try_get("term_days")?,
        term_working: get_bool(r, "term_working")?,
        term_note: r.try_get("term_note")?,
        online_url: r.try_get("online_url")?,
        updated_at: r.try_get("updated_at")?,
    })
}

const ANSWER_SELECT: &str = "SELECT a.id, a.katottg, a.question, a.sort_key, a.answer, \
     a.service_id, s.title AS service_title, a.updated_at FROM service_answers a \
     LEFT JOIN services s ON s.id = a.service_id";

fn answer(r: &AnyRow) -> Result<AnswerRow, sqlx::Error> {
    Ok(AnswerRow {
        id: r.try_get("id")?,
        katottg: r.try_get("katottg")?,
        question: r.try_get("question")?,
        sort_key: r.try_get("sort_key")?,
        answer: r.try_get("answer")?,
        service_id: r.try_get("service_id")?,
        service_title: r.try_get("service_title")?,
        updated_at: r.try_get("updated_at")?,
    })
}

const CONSULTATION_SELECT: &str = "SELECT c.id, c.katottg, c.user_id, u.full_name, c.subject, \
     c.status, c.messages, c.created_at, c.updated_at, c.waiting_since FROM consultations c \
     JOIN users u ON u.id = c.user_id";

fn consultation(r: &AnyRow) -> Result<ConsultationRow, sqlx::Error> {
    Ok(ConsultationRow {
        id: r.try_get("id")?,
        katottg: r.try_get("katottg")?,
        user_id: r.try_get("user_id")?,
        author: r.try_get("full_name")?,
        subject: r.try_get("subject")?,
        status: r.try_get("status")?,
        messages: get_u32(r, "messages")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        waiting_since: r.try_get("waiting_since")?,
    })
}

async fn insert_message(
    tx: &mut Transaction<'_, Any>,
    consultation_id: &str,
    m: &MessageWrite<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO consultation_messages (id, consultation_id, sender, author_id, text, links, \
         written_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(m.id)
    .bind(consultation_id)
    .bind(m.sender)
    .bind(m.author_id)
    .bind(m.text)
    .bind(m.links)
    .bind(m.at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Runs a `COUNT(*) AS n, MIN(…) AS oldest` query of one person's rows since a time.
async fn count_since(
    db: &Db,
    sql: &str,
    user_id: &str,
    since: &str,
) -> Result<(i64, Option<String>), sqlx::Error> {
    let r = sqlx::query(sql)
        .bind(user_id)
        .bind(since)
        .fetch_one(&db.pool)
        .await?;
    Ok((r.try_get("n")?, r.try_get("oldest")?))
}

impl Db {
    // -----------------------------------------------------------------------------------
    // The service centre

    /// The description of a hromada's service centre, if it has one.
    pub async fn service_centre(&self, katottg: &str) -> Result<Option<CentreRow>, sqlx::Error> {
        let r = sqlx::query(
            "SELECT name, address, hours, phone, email FROM service_centres WHERE katottg = $1",
        )
        .bind(katottg)
        .fetch_optional(&self.pool)
        .await?;
        r.map(|r| {
            Ok(CentreRow {
                name: r.try_get("name")?,
                address: r.try_get("address")?,
                hours: r.try_get("hours")?,
                phone: r.try_get("phone")?,
                email: r.try_get("email")?,
            })
        })
        .transpose()
    }

    /// Writes (or replaces) the description of a hromada's service centre.
    pub async fn put_service_centre(
        &self,
        katottg: &str,
        c: &CentreRow,
        now: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO service_centres (katottg, name, address, hours, phone, email, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (katottg) DO UPDATE SET \
             name = excluded.name, address = excluded.address, hours = excluded.hours, \
             phone = excluded.phone, email = excluded.email, updated_at = excluded.updated_at",
        )
        .bind(katottg)
        .bind(c.name.as_str())
        .bind(c.address.as_str())
        .bind(c.hours.as_str())
        .bind(c.phone.as_str())
        .bind(c.email.as_str())
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    // -----------------------------------------------------------------------------------
    // Services

    /// A page of a hromada's catalogue in its order, after the keyset
    /// `(situation_pos, sort_key, id)`.
    pub async fn services_page(
        &self,
        katottg: &str,
        after: Option<(i64, &str, &str)>,
        limit: i64,
    ) -> Result<Vec<ServiceRow>, sqlx::Error> {
        let order = "ORDER BY situation_pos, sort_key, id";
        let rows = match after {
            Some((pos, key, id)) => {
                let sql = format!(
                    "SELECT {SERVICE_COLS} FROM services WHERE katottg = $1 AND \
                     (situation_pos > $2 OR (situation_pos = $2 AND (sort_key > $3 OR \
                     (sort_key = $3 AND id > $4)))) {order} LIMIT $5"
                );
                sqlx::query(&sql)
                    .bind(katottg)
                    .bind(pos)
                    .bind(key)
                    .bind(id)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?
            }
            None => {
                let sql = format!(
                    "SELECT {SERVICE_COLS} FROM services WHERE katottg = $1 {order} LIMIT $2"
                );
                sqlx::query(&sql)
                    .bind(katottg)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?
            }
        };
        rows.iter().map(service).collect()
    }

    /// The whole catalogue of a hromada, in its order (for the search).
    pub async fn all_services(&self, katottg: &str) -> Result<Vec<ServiceRow>, sqlx::Error> {
        let sql = format!(
            "SELECT {SERVICE_COLS} FROM services WHERE katottg = $1 \
             ORDER BY situation_pos, sort_key, id"
        );
        let rows = sqlx::query(&sql)
            .bind(katottg)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(service).collect()
    }

    /// One service.
    pub async fn service(&self, id: &str) -> Result<Option<ServiceRow>, sqlx::Error> {
        let sql = format!("SELECT {SERVICE_COLS} FROM services WHERE id = $1");
        let r = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        r.as_ref().map(service).transpose()
    }

    /// Stores a new service.
    pub async fn insert_service(
        &self,
        id: &str,
        katottg: &str,
        w: &ServiceWrite<'_>,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO services (id, katottg, situation, situation_pos, title, sort_key, \
             purpose, who, documents, keywords, fee, fee_note, term_days, term_working, \
             term_note, online_url, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, \
             $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)",
        )
        .bind(id)
        .bind(katottg)
        .bind(w.situation)
        .bind(w.situation_pos)
        .bind(w.title)
        .bind(w.sort_key)
        .bind(w.purpose)
        .bind(w.who)
        .bind(w.documents)
        .bind(w.keywords)
        .bind(w.fee)
        .bind(w.fee_note)
        .bind(w.term_days)
        .bind(i64::from(w.term_working))
        .bind(w.term_note)
        .bind(w.online_url)
        .bind(w.now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Changes a service; `false` if it is gone.
    pub async fn update_service(
        &self,
        id: &str,
        w: &ServiceWrite<'_>,
    ) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(
            "UPDATE services SET situation = $1, situation_pos = $2, title = $3, sort_key = $4, \
             purpose = $5, who = $6, documents = $7, keywords = $8, fee = $9, fee_note = $10, \
             term_days = $11, term_working = $12, term_note = $13, online_url = $14, \
             updated_at = $15 WHERE id = $16",
        )
        .bind(w.situation)
        .bind(w.situation_pos)
        .bind(w.title)
        .bind(w.sort_key)
        .bind(w.purpose)
        .bind(w.who)
        .bind(w.documents)
        .bind(w.keywords)
        .bind(w.fee)
        .bind(w.fee_note)
        .bind(w.term_days)
        .bind(i64::from(w.term_working))
        .bind(w.term_note)
        .bind(w.online_url)
        .bind(w.now)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Deletes a service (answers about it lose their link); `false` if it was gone.
    pub async fn delete_service(&self, id: &str) -> Result<bool, sqlx::Error> {
        let done = sqlx::query("DELETE FROM services WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    // -----------------------------------------------------------------------------------
    // Answers to frequent questions

    /// A page of a hromada's answers by question, after the keyset `(sort_key, id)`.
    pub async fn answers_page(
        &self,
        katottg: &str,
        after: Option<(&str, &str)>,
        limit: i64,
    ) -> Result<Vec<AnswerRow>, sqlx::Error> {
        let order = "ORDER BY a.sort_key, a.id";
        let rows = match after {
            Some((key, id)) => {
                let sql = format!(
                    "{ANSWER_SELECT} WHERE a.katottg = $1 AND (a.sort_key > $2 OR \
                     (a.sort_key = $2 AND a.id > $3)) {order} LIMIT $4"
                );
                sqlx::query(&sql)
                    .bind(katottg)
                    .bind(key)
                    .bind(id)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?
            }
            None => {
                let sql = format!("{ANSWER_SELECT} WHERE a.katottg = $1 {order} LIMIT $2");
                sqlx::query(&sql)
                    .bind(katottg)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?
            }
        };
        rows.iter().map(answer).collect()
    }

    /// Every answer of a hromada, by question (for the search).
    pub async fn all_answers(&self, katottg: &str) -> Result<Vec<AnswerRow>, sqlx::Error> {
        let sql = format!("{ANSWER_SELECT} WHERE a.katottg = $1 ORDER BY a.sort_key, a.id");
        let rows = sqlx::query(&sql)
            .bind(katottg)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(answer).collect()
    }

    /// The answers about one service, by question.
    pub async fn answers_of_service(
        &self,
        service_id: &str,
    ) -> Result<Vec<AnswerRow>, sqlx::Error> {
        let sql = format!("{ANSWER_SELECT} WHERE a.service_id = $1 ORDER BY a.sort_key, a.id");
        let rows = sqlx::query(&sql)
            .bind(service_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(answer).collect()
    }

    /// One answer.
    pub async fn answer(&self, id: &str) -> Result<Option<AnswerRow>, sqlx::Error> {
        let sql = format!("{ANSWER_SELECT} WHERE a.id = $1");
        let r = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        r.as_ref().map(answer).transpose()
    }

    /// Stores a new answer.
    pub async fn insert_answer(
        &self,
        id: &str,
        katottg: &str,
        w: &AnswerWrite<'_>,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO service_answers (id, katottg, question, sort_key, answer, service_id, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
        )
        .bind(id)
        .bind(katottg)
        .bind(w.question)
        .bind(w.sort_key)
        .bind(w.answer)
        .bind(w.service_id)
        .bind(w.now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Changes an answer; `false` if it is gone.
    pub async fn update_answer(&self, id: &str, w: &AnswerWrite<'_>) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(
            "UPDATE service_answers SET question = $1, sort_key = $2, answer = $3, \
             service_id = $4, updated_at = $5 WHERE id = $6",
        )
        .bind(w.question)
        .bind(w.sort_key)
        .bind(w.answer)
        .bind(w.service_id)
        .bind(w.now)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Deletes an answer; `false` if it was gone.
    pub async fn delete_answer(&self, id: &str) -> Result<bool, sqlx::Error> {
        let done = sqlx::query("DELETE FROM service_answers WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    // -----------------------------------------------------------------------------------
    // Consultations

    /// Stores a new consultation with its first message, waiting for staff.
    pub async fn insert_consultation(
        &self,
        id: &str,
        katottg: &str,
        subject: &str,
        first: &MessageWrite<'_>,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO consultations (id, katottg, user_id, subject, status, messages, \
             created_at, updated_at, waiting_since) VALUES ($1, $2, $3, $4, 'waiting', 1, $5, $5, $5)",
        )
        .bind(id)
        .bind(katottg)
        .bind(first.author_id)
        .bind(subject)
        .bind(first.at)
        .execute(&mut *tx)
        .await?;
        insert_message(&mut tx, id, first).await?;
        super::delivery::insert_staff_notice(
            &mut tx,
            "staff_consultation",
            katottg,
            id,
            subject,
            first.at,
        )
        .await?;
        tx.commit().await
    }

    /// One consultation.
    pub async fn consultation(&self, id: &str) -> Result<Option<ConsultationRow>, sqlx::Error> {
        let sql = format!("{CONSULTATION_SELECT} WHERE c.id = $1");
        let r = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        r.as_ref().map(consultation).transpose()
    }

    /// The messages of a consultation, oldest first.
    pub async fn consultation_messages(&self, id: &str) -> Result<Vec<MessageRow>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT m.id, m.sender, u.full_name, m.text, m.links, m.written_at \
             FROM consultation_messages m JOIN users u ON u.id = m.author_id \
             WHERE m.consultation_id = $1 ORDER BY m.written_at, m.id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(MessageRow {
                    id: r.try_get("id")?,
                    sender: r.try_get("sender")?,
                    name: r.try_get("full_name")?,
                    text: r.try_get("text")?,
                    links: r.try_get("links")?,
                    at: r.try_get("written_at")?,
                })
            })
            .collect()
    }

    /// Adds a message and sets the consultation's status (`waiting` keeps the earliest
    /// time staff have been awaited since), with the author's notification when there is
    /// one, in one transaction; `false` if the consultation is gone.
    pub async fn add_message(
        &self,
        consultation_id: &str,
        m: &MessageWrite<'_>,
        status: &str,
        notification: Option<&NotificationWrite<'_>>,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE consultations SET messages = messages + 1, status = $1, updated_at = $2, \
             waiting_since = CASE WHEN $1 = 'waiting' THEN COALESCE(waiting_since, $2) \
             ELSE NULL END WHERE id = $3",
        )
        .bind(status)
        .bind(m.at)
        .bind(consultation_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            tx.rollback().await?;
            return Ok(false);
        }
        insert_message(&mut tx, consultation_id, m).await?;
        if let Some(n) = notification {
            insert_notification(&mut tx, n).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Closes a consultation; `false` if it is gone.
    pub async fn close_consultation(&self, id: &str, now: &str) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(
            "UPDATE consultations SET status = 'closed', waiting_since = NULL, \
             updated_at = CASE WHEN status = 'closed' THEN updated_at ELSE $1 END WHERE id = $2",
        )
        .bind(now)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// A page of a hromada's consultations for its staff, after the keyset of `order`.
    pub async fn consultation_queue(
        &self,
        katottg: &str,
        order: QueueOrder,
        after: Option<(&str, &str)>,
        limit: i64,
    ) -> Result<Vec<ConsultationRow>, sqlx::Error> {
        let (status, col, cmp, dir) = match order {
            QueueOrder::Waiting => ("waiting", "c.waiting_since", ">", "ASC"),
            QueueOrder::Latest(status) => (status, "c.updated_at", "<", "DESC"),
        };
        let base = format!("{CONSULTATION_SELECT} WHERE c.katottg = $1 AND c.status = $2");
        let order_by = format!("ORDER BY {col} {dir}, c.id {dir}");
        let rows = match after {
            Some((at, id)) => {
                let sql = format!(
                    "{base} AND ({col} {cmp} $3 OR ({col} = $3 AND c.id {cmp} $4)) {order_by} LIMIT $5"
                );
                sqlx::query(&sql)
                    .bind(katottg)
                    .bind(status)
                    .bind(at)
                    .bind(id)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?
            }
            None => {
                let sql = format!("{base} {order_by} LIMIT $3");
                sqlx::query(&sql)
                    .bind(katottg)
                    .bind(status)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?
            }
        };
        rows.iter().map(consultation).collect()
    }

    /// A page of a person's consultations, most recently updated first, after the keyset
    /// `(updated_at, id)`.
    pub async fn consultations_of(
        &self,
        user_id: &str,
        after: Option<(&str, &str)>,
        limit: i64,
    ) -> Result<Vec<ConsultationRow>, sqlx::Error> {
        let order_by = "ORDER BY c.updated_at DESC, c.id DESC";
        let rows = match after {
            Some((at, id)) => {
                let sql = format!(
                    "{CONSULTATION_SELECT} WHERE c.user_id = $1 AND (c.updated_at < $2 OR \
                     (c.updated_at = $2 AND c.id < $3)) {order_by} LIMIT $4"
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
                let sql = format!("{CONSULTATION_SELECT} WHERE c.user_id = $1 {order_by} LIMIT $2");
                sqlx::query(&sql)
                    .bind(user_id)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?
            }
        };
        rows.iter().map(consultation).collect()
    }

    /// How many consultations a person started since `since`, and the oldest's time.
    pub async fn consultations_by_user_since(
        &self,
        user_id: &str,
        since: &str,
    ) -> Result<(i64, Option<String>), sqlx::Error> {
        count_since(
            self,
            "SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM consultations \
             WHERE user_id = $1 AND created_at > $2",
            user_id,
            since,
        )
        .await
    }

    /// How many consultation messages a person wrote since `since`, and the oldest's time.
    pub async fn messages_by_author_since(
        &self,
        user_id: &str,
        since: &str,
    ) -> Result<(i64, Option<String>), sqlx::Error> {
        count_since(
            self,
            "SELECT COUNT(*) AS n, MIN(written_at) AS oldest FROM consultation_messages \
             WHERE author_id = $1 AND written_at > $2",
            user_id,
            since,
        )
        .await
    }
}
