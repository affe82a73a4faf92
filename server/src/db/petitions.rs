//! SQL for local petitions and their signatures. A signature and the count it raises are
//! written in one transaction (the count is never out of step with the rows), and every
//! step of a petition is written with the notifications it makes.

use sqlx::any::AnyRow;
use sqlx::{Any, Connection, Row, Transaction};

use super::appeals::insert_appeal;
use super::notifications::{NotificationWrite, insert_notification, insert_notifications};
use super::{Db, FileWrite, NewAppealRow, StepWrite, get_bool, get_u32};

/// A stored petition, with its hromada's current rule on who may sign.
#[derive(Debug, Clone)]
pub struct PetitionRow {
    pub id: String,
    pub katottg: String,
    pub author_id: String,
    pub author_name: String,
    pub author_email: String,
    pub title: String,
    /// Empty in lists (they do not read the text).
    pub body: String,
    pub status: String,
    pub signatures: u32,
    pub needed: u32,
    pub submitted_at: String,
    pub published_at: Option<String>,
    pub ends_at: Option<String>,
    pub listed_at: String,
    pub due_at: Option<String>,
    pub reached_at: Option<String>,
    pub decision: Option<String>,
    pub answer_text: Option<String>,
    pub answered_at: Option<String>,
    pub answered_by_name: Option<String>,
    pub rejection_reason: Option<String>,
    pub appeal_id: Option<String>,
    /// The hromada's setting now: only verified residents may sign.
    pub verified_only: bool,
}

/// A new petition, in moderation.
#[derive(Debug, Clone)]
pub struct NewPetitionRow<'a> {
    pub id: &'a str,
    pub katottg: &'a str,
    pub author_id: &'a str,
    pub author_name: &'a str,
    pub author_email: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub search_text: &'a str,
    /// The hromada's number now (frozen again at publication).
    pub needed: u32,
    pub submitted_at: &'a str,
    pub due_at: &'a str,
}

/// What publication writes: the numbers frozen from the hromada's settings and the
/// author's own signature, the first.
#[derive(Debug, Clone)]
pub struct PublishWrite<'a> {
    pub at: &'a str,
    pub needed: u32,
    pub ends_at: &'a str,
    pub author_id: &'a str,
    pub author_name: &'a str,
}

/// One signer of the public list.
#[derive(Debug, Clone)]
pub struct SignerRow {
    pub seq: i64,
    pub full_name: String,
    pub signed_at: String,
}

/// What signing did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignOutcome {
    /// Signed: the count now, and, when this signature reached the number, the people
    /// notified (author and signers) with their notifications' ids.
    Signed {
        signatures: u32,
        reached: Option<Vec<(String, String)>>,
    },
    /// This person had signed already (the unique constraint said so).
    AlreadySigned,
    /// The petition is not collecting signatures (any more).
    NotCollecting,
}

/// The order of a list, with the column its keyset runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListOrder {
    /// `listed_at` (publication, or submission before it) descending.
    Newest,
    /// `signatures` descending.
    MostSigned,
    /// A deadline ascending: `ends_at` or `due_at`.
    Soonest(&'static str),
}

/// The sort value of the last item of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListKey {
    Text(String),
    Number(i64),
}

const COLS: &str = "p.id, p.katottg, p.author_id, p.author_name, p.author_email, p.title, \
     p.status, p.signatures, p.needed, p.submitted_at, p.published_at, p.ends_at, p.listed_at, \
     p.due_at, p.reached_at, p.decision, p.answer_text, p.answered_at, p.answered_by_name, \
     p.rejection_reason, p.appeal_id, h.petition_verified_only";
const FROM: &str = "FROM petitions p JOIN hromadas h ON h.katottg = p.katottg";

fn petition(r: &AnyRow, with_body: bool) -> Result<PetitionRow, sqlx::Error> {
    Ok(PetitionRow {
        id: r.try_get("id")?,
        katottg: r.try_get("katottg")?,
        author_id: r.try_get("author_id")?,
        author_name: r.try_get("author_name")?,
        author_email: r.try_get("author_email")?,
        title: r.try_get("title")?,
        body: if with_body {
            r.try_get("body")?
        } else {
            String::new()
        },
        status: r.try_get("status")?,
        signatures: get_u32(r, "signatures")?,
        needed: get_u32(r, "needed")?,
        submitted_at: r.try_get("submitted_at")?,
        published_at: r.try_get("published_at")?,
        ends_at: r.try_get("ends_at")?,
        listed_at: r.try_get("listed_at")?,
        due_at: r.try_get("due_at")?,
        reached_at: r.try_get("reached_at")?,
        decision: r.try_get("decision")?,
        answer_text: r.try_get("answer_text")?,
        answered_at: r.try_get("answered_at")?,
        answered_by_name: r.try_get("answered_by_name")?,
        rejection_reason: r.try_get("rejection_reason")?,
        appeal_id: r.try_get("appeal_id")?,
        verified_only: get_bool(r, "petition_verified_only")?,
    })
}

/// A bound value of a dynamic query.
enum Arg {
    Text(String),
    Number(i64),
}

fn bind_all<'q>(
    mut q: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    args: &'q [Arg],
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
    for a in args {
        q = match a {
            Arg::Text(t) => q.bind(t.as_str()),
            Arg::Number(n) => q.bind(*n),
        };
    }
    q
}

/// The people a step of a petition tells: its signers (the author is the first) and the
/// author, once each.
async fn audience(
    tx: &mut Transaction<'_, Any>,
    petition_id: &str,
) -> Result<Vec<String>, sqlx::Error> {
    let author: String = sqlx::query("SELECT author_id FROM petitions WHERE id = $1")
        .bind(petition_id)
        .fetch_one(&mut **tx)
        .await?
        .try_get("author_id")?;
    let rows =
        sqlx::query("SELECT user_id FROM petition_signatures WHERE petition_id = $1 ORDER BY seq")
            .bind(petition_id)
            .fetch_all(&mut **tx)
            .await?;
    let mut out = vec![author];
    for r in rows {
        let u: String = r.try_get("user_id")?;
        if !out.contains(&u) {
            out.push(u);
        }
    }
    Ok(out)
}

/// Notifies `users` of a step of a petition; returns `(user, notification id)` pairs.
async fn notify_all(
    tx: &mut Transaction<'_, Any>,
    petition_id: &str,
    users: Vec<String>,
    kind: &str,
    at: &str,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    let made: Vec<(String, String)> = users
        .into_iter()
        .map(|u| (u, crate::domain::ids::new_id()))
        .collect();
    let writes: Vec<NotificationWrite<'_>> = made
        .iter()
        .map(|(u, id)| NotificationWrite {
            id,
            user_id: u,
            kind,
            appeal_id: None,
            petition_id: Some(petition_id),
            project_id: None,
            consultation_id: None,
            at,
        })
        .collect();
    insert_notifications(tx, &writes).await?;
    Ok(made)
}

/// Who signs what, when.
struct Signer<'a> {
    id: &'a str,
    user_id: &'a str,
    full_name: &'a str,
    at: &'a str,
    reached_kind: &'a str,
}

/// The transaction of [`Db::sign_petition`].
async fn sign_tx(
    mut tx: Transaction<'_, Any>,
    s: &Signer<'_>,
    answer_due: impl FnOnce() -> String,
) -> Result<SignOutcome, sqlx::Error> {
    let counted = sqlx::query(
        "UPDATE petitions SET signatures = signatures + 1 \
         WHERE id = $1 AND status = 'collecting' AND ends_at > $2 \
         RETURNING signatures, needed",
    )
    .bind(s.id)
    .bind(s.at)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(counted) = counted else {
        tx.rollback().await?;
        return Ok(SignOutcome::NotCollecting);
    };
    let signatures: i64 = counted.try_get("signatures")?;
    let needed: i64 = counted.try_get("needed")?;
    let added = sqlx::query(
        "INSERT INTO petition_signatures (petition_id, seq, user_id, full_name, signed_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (petition_id, user_id) DO NOTHING",
    )
    .bind(s.id)
    .bind(signatures)
    .bind(s.user_id)
    .bind(s.full_name)
    .bind(s.at)
    .execute(&mut *tx)
    .await?;
    if added.rows_affected() != 1 {
        tx.rollback().await?;
        return Ok(SignOutcome::AlreadySigned);
    }
    let mut reached = None;
    if signatures >= needed {
        sqlx::query(
            "UPDATE petitions SET status = 'consideration', reached_at = $1, due_at = $2 \
             WHERE id = $3 AND status = 'collecting'",
        )
        .bind(s.at)
        .bind(answer_due())
        .bind(s.id)
        .execute(&mut *tx)
        .await?;
        let users = audience(&mut tx, s.id).await?;
        reached = Some(notify_all(&mut tx, s.id, users, s.reached_kind, s.at).await?);
    }
    tx.commit().await?;
    Ok(SignOutcome::Signed {
        signatures: u32::try_from(signatures).unwrap_or(u32::MAX),
        reached,
    })
}

impl Db {
    /// Stores a new petition (in moderation).
    pub async fn insert_petition(&self, p: &NewPetitionRow<'_>) -> Result<(), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO petitions (id, katottg, author_id, author_name, author_email, title, body, \
             search_text, status, signatures, needed, submitted_at, listed_at, due_at) VALUES \
             ($1, $2, $3, $4, $5, $6, $7, $8, 'moderation', 0, $9, $10, $10, $11)",
        )
        .bind(p.id)
        .bind(p.katottg)
        .bind(p.author_id)
        .bind(p.author_name)
        .bind(p.author_email)
        .bind(p.title)
        .bind(p.body)
        .bind(p.search_text)
        .bind(i64::from(p.needed))
        .bind(p.submitted_at)
        .bind(p.due_at)
        .execute(&mut *tx)
        .await?;
        super::delivery::insert_staff_notice(
            &mut tx,
            "staff_petition",
            p.katottg,
            p.id,
            p.title,
            p.submitted_at,
        )
        .await?;
        tx.commit().await
    }

    /// One petition, and whether `reader` (a user id) signed it.
    pub async fn petition(
        &self,
        id: &str,
        reader: Option<&str>,
    ) -> Result<Option<(PetitionRow, bool)>, sqlx::Error> {
        let sql = format!(
            "SELECT {COLS}, p.body, CASE WHEN EXISTS (SELECT 1 FROM petition_signatures s \
             WHERE s.petition_id = p.id AND s.user_id = $2) THEN 1 ELSE 0 END AS signed \
             {FROM} WHERE p.id = $1"
        );
        let r = sqlx::query(&sql)
            .bind(id)
            .bind(reader.unwrap_or(""))
            .fetch_optional(&self.pool)
            .await?;
        r.map(|r| Ok((petition(&r, true)?, get_bool(&r, "signed")?)))
            .transpose()
    }

    /// A page of a hromada's petitions in one status: `pattern` (a `LIKE` pattern with
    /// `\` escapes) searched in the lower-case title and text, after the keyset
    /// `(key, id)` of the previous page's last item.
    pub async fn petitions_list(
        &self,
        katottg: &str,
        status: &str,
        order: ListOrder,
        pattern: Option<&str>,
        after: Option<(&ListKey, &str)>,
        limit: i64,
    ) -> Result<Vec<PetitionRow>, sqlx::Error> {
        let mut sql = format!("SELECT {COLS} {FROM} WHERE p.katottg = $1 AND p.status = $2");
        let mut args = vec![Arg::Text(katottg.to_owned()), Arg::Text(status.to_owned())];
        if let Some(p) = pattern {
            args.push(Arg::Text(p.to_owned()));
            sql.push_str(&format!(
                " AND p.search_text LIKE ${} ESCAPE '\\'",
                args.len()
            ));
        }
        let (col, desc) = match order {
            ListOrder::Newest => ("p.listed_at", true),
            ListOrder::MostSigned => ("p.signatures", true),
            ListOrder::Soonest(c) => (c, false),
        };
        if let Some((key, id)) = after {
            args.push(match key {
                ListKey::Text(t) => Arg::Text(t.clone()),
                ListKey::Number(n) => Arg::Number(*n),
            });
            let k = args.len();
            args.push(Arg::Text(id.to_owned()));
            let i = args.len();
            let cmp = if desc { "<" } else { ">" };
            sql.push_str(&format!(
                " AND ({col} {cmp} ${k} OR ({col} = ${k} AND p.id {cmp} ${i}))"
            ));
        }
        let dir = if desc { "DESC" } else { "ASC" };
        sql.push_str(&format!(
            " ORDER BY {col} {dir}, p.id {dir} LIMIT ${}",
            args.len() + 1
        ));
        let rows = bind_all(sqlx::query(&sql), &args)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| petition(r, false)).collect()
    }

    /// A page of a person's petitions, newest submitted first, after `(submitted_at, id)`.
    pub async fn petitions_by_author(
        &self,
        author_id: &str,
        after: Option<(&str, &str)>,
        limit: i64,
    ) -> Result<Vec<PetitionRow>, sqlx::Error> {
        let rows = match after {
            Some((at, id)) => {
                let sql = format!(
                    "SELECT {COLS} {FROM} WHERE p.author_id = $1 AND (p.submitted_at < $2 OR \
                     (p.submitted_at = $2 AND p.id < $3)) ORDER BY p.submitted_at DESC, p.id DESC \
                     LIMIT $4"
                );
                sqlx::query(&sql)
                    .bind(author_id)
                    .bind(at)
                    .bind(id)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?
            }
            None => {
                let sql = format!(
                    "SELECT {COLS} {FROM} WHERE p.author_id = $1 \
                     ORDER BY p.submitted_at DESC, p.id DESC LIMIT $2"
                );
                sqlx::query(&sql)
                    .bind(author_id)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?
            }
        };
        rows.iter().map(|r| petition(r, false)).collect()
    }

    /// Petitions a person submitted since `since`: how many, and the earliest time.
    pub async fn petitions_by_author_since(
        &self,
        author_id: &str,
        since: &str,
    ) -> Result<(i64, Option<String>), sqlx::Error> {
        let r = sqlx::query(
            "SELECT COUNT(*) AS n, MIN(submitted_at) AS oldest FROM petitions \
             WHERE author_id = $1 AND submitted_at > $2",
        )
        .bind(author_id)
        .bind(since)
        .fetch_one(&self.pool)
        .await?;
        Ok((r.try_get("n")?, r.try_get("oldest")?))
    }

    /// Publishes a petition in moderation, in one transaction: the numbers frozen from
    /// the hromada's settings, the author's signature (the first; the count becomes 1)
    /// and the author's notification. `false` if it was not in moderation.
    pub async fn publish_petition(
        &self,
        id: &str,
        p: &PublishWrite<'_>,
        notification: &NotificationWrite<'_>,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE petitions SET status = 'collecting', published_at = $1, listed_at = $1, \
             moderated_at = $1, needed = $2, ends_at = $3, due_at = NULL, signatures = 1 \
             WHERE id = $4 AND status = 'moderation'",
        )
        .bind(p.at)
        .bind(i64::from(p.needed))
        .bind(p.ends_at)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            tx.rollback().await?;
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO petition_signatures (petition_id, seq, user_id, full_name, signed_at) \
             VALUES ($1, 1, $2, $3, $4)",
        )
        .bind(id)
        .bind(p.author_id)
        .bind(p.author_name)
        .bind(p.at)
        .execute(&mut *tx)
        .await?;
        insert_notification(&mut tx, notification).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Rejects a petition in moderation with a reason, and notifies its author, in one
    /// transaction. `false` if it was not in moderation.
    pub async fn reject_petition(
        &self,
        id: &str,
        reason: &str,
        at: &str,
        notification: &NotificationWrite<'_>,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE petitions SET status = 'rejected', rejection_reason = $1, moderated_at = $2, \
             due_at = NULL WHERE id = $3 AND status = 'moderation'",
        )
        .bind(reason)
        .bind(at)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            tx.rollback().await?;
            return Ok(false);
        }
        insert_notification(&mut tx, notification).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Signs a petition, in one transaction: raises the count (only while it collects
    /// and its period runs), adds the signature under that number (the unique constraint
    /// refuses a second one of the same person, and the whole transaction is undone), and
    /// when the count reaches the number moves the petition to consideration, due at
    /// `answer_due`, notifying its author and every signer.
    ///
    /// The count is raised first: on PostgreSQL the row lock orders concurrent signers
    /// of one petition, and on SQLite a transaction that writes first waits for its turn
    /// (busy timeout) rather than failing on a stale snapshot. On SQLite the process's
    /// signatures go through its one writer connection, in turn ([`Db::writer`]).
    pub async fn sign_petition(
        &self,
        id: &str,
        user_id: &str,
        full_name: &str,
        at: &str,
        answer_due: impl FnOnce() -> String,
        reached_kind: &str,
    ) -> Result<SignOutcome, sqlx::Error> {
        let mut writer = self.writer().await?;
        let signer = Signer {
            id,
            user_id,
            full_name,
            at,
            reached_kind,
        };
        let result = async {
            match writer.as_deref_mut() {
                Some(Some(conn)) => sign_tx(conn.begin().await?, &signer, answer_due).await,
                _ => sign_tx(self.pool.begin().await?, &signer, answer_due).await,
            }
        }
        .await;
        if result.is_err()
            && let Some(w) = writer.as_deref_mut()
        {
            // A writer that failed is made again on the next turn.
            *w = None;
        }
        result
    }

    /// Publishes the answer to a petition under consideration, in one transaction,
    /// notifying its author and every signer. `None` if it was not under consideration;
    /// else `(user, notification id)` of everyone notified.
    #[allow(clippy::too_many_arguments)]
    pub async fn answer_petition(
        &self,
        id: &str,
        decision: &str,
        text: &str,
        at: &str,
        by_user: &str,
        by_name: &str,
        kind: &str,
    ) -> Result<Option<Vec<(String, String)>>, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE petitions SET status = 'answered', decision = $1, answer_text = $2, \
             answered_at = $3, answered_by = $4, answered_by_name = $5, due_at = NULL \
             WHERE id = $6 AND status = 'consideration'",
        )
        .bind(decision)
        .bind(text)
        .bind(at)
        .bind(by_user)
        .bind(by_name)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            tx.rollback().await?;
            return Ok(None);
        }
        let users = audience(&mut tx, id).await?;
        let made = notify_all(&mut tx, id, users, kind, at).await?;
        tx.commit().await?;
        Ok(Some(made))
    }

    /// A page of a petition's signers, in the order they signed, after `seq`.
    pub async fn petition_signers(
        &self,
        id: &str,
        after: Option<i64>,
        limit: i64,
    ) -> Result<Vec<SignerRow>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT seq, full_name, signed_at FROM petition_signatures \
             WHERE petition_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
        )
        .bind(id)
        .bind(after.unwrap_or(0))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(SignerRow {
                    seq: r.try_get("seq")?,
                    full_name: r.try_get("full_name")?,
                    signed_at: r.try_get("signed_at")?,
                })
            })
            .collect()
    }

    /// Adds many signatures `(user id, full name, time)` at once, in one transaction
    /// (demo content), only while the petition collects and stays short of its number.
    /// `false` (nothing written) otherwise.
    pub async fn add_signatures(
        &self,
        id: &str,
        signers: &[(String, String, String)],
    ) -> Result<bool, sqlx::Error> {
        let n = signers.len() as i64;
        if n == 0 {
            return Ok(true);
        }
        let mut tx = self.pool.begin().await?;
        let counted = sqlx::query(
            "UPDATE petitions SET signatures = signatures + $1 \
             WHERE id = $2 AND status = 'collecting' AND signatures + $1 < needed \
             RETURNING signatures",
        )
        .bind(n)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(counted) = counted else {
            tx.rollback().await?;
            return Ok(false);
        };
        let last: i64 = counted.try_get("signatures")?;
        let first = last - n + 1;
        // 5 values a row: 150 rows stay under SQLite's oldest limit of 999 parameters.
        for (c, chunk) in signers.chunks(150).enumerate() {
            let mut sql = String::from(
                "INSERT INTO petition_signatures (petition_id, seq, user_id, full_name, signed_at) \
                 VALUES ",
            );
            for i in 0..chunk.len() {
                let b = i * 5;
                if i > 0 {
                    sql.push(',');
                }
                sql.push_str(&format!(
                    "(${}, ${}, ${}, ${}, ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5
                ));
            }
            let mut q = sqlx::query(&sql);
            for (i, (user, name, at)) in chunk.iter().enumerate() {
                q = q
                    .bind(id)
                    .bind(first + (c * 150 + i) as i64)
                    .bind(user.as_str())
                    .bind(name.as_str())
                    .bind(at.as_str());
            }
            q.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// How many signature rows a petition has (tests and the benchmark compare it with
    /// the count).
    pub async fn petition_signature_rows(&self, id: &str) -> Result<i64, sqlx::Error> {
        sqlx::query("SELECT COUNT(*) AS n FROM petition_signatures WHERE petition_id = $1")
            .bind(id)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")
    }

    /// Collecting petitions whose period ended by `now`, oldest end first.
    pub async fn petitions_ended(
        &self,
        now: &str,
        limit: i64,
    ) -> Result<Vec<PetitionRow>, sqlx::Error> {
        let sql = format!(
            "SELECT {COLS}, p.body {FROM} WHERE p.status = 'collecting' AND p.ends_at <= $1 \
             ORDER BY p.ends_at, p.id LIMIT $2"
        );
        let rows = sqlx::query(&sql)
            .bind(now)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| petition(r, true)).collect()
    }

    /// Hands a petition whose period ended without its number over as an appeal, in one
    /// transaction: the petition becomes `not_supported` (only if it is still collecting
    /// and its end has passed by `now`, so that two processes hand it over once), the
    /// appeal is registered with the next number, and the author is notified. Returns
    /// the appeal's number, or `None` if someone else handed it over (or it was signed
    /// to its number meanwhile).
    pub async fn hand_over_petition(
        &self,
        id: &str,
        now: &str,
        appeal: &NewAppealRow<'_>,
        number: impl Fn(i64) -> String,
        step: &StepWrite<'_>,
        notification: &NotificationWrite<'_>,
    ) -> Result<Option<String>, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE petitions SET status = 'not_supported', closed_at = $1 \
             WHERE id = $2 AND status = 'collecting' AND ends_at <= $1",
        )
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            tx.rollback().await?;
            return Ok(None);
        }
        let files: [FileWrite<'_>; 0] = [];
        let number = insert_appeal(&mut tx, appeal, number, &files, step).await?;
        sqlx::query("UPDATE petitions SET appeal_id = $1 WHERE id = $2")
            .bind(appeal.id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        insert_notification(&mut tx, notification).await?;
        tx.commit().await?;
        Ok(Some(number))
    }

    /// How many petitions a hromada has (demo content checks it).
    pub async fn petition_count(&self, katottg: &str) -> Result<i64, sqlx::Error> {
        sqlx::query("SELECT COUNT(*) AS n FROM petitions WHERE katottg = $1")
            .bind(katottg)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")
    }
}
