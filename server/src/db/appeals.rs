//! SQL for appeals: categories, registration numbers, the appeals themselves, their
//! timeline, files and ratings. Every change of an appeal and the notification it makes
//! are written in one transaction.

use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use super::notifications::{NotificationWrite, insert_notification};
use super::{Db, get_bool, get_u32};

/// A category of a hromada's list.
#[derive(Debug, Clone)]
pub struct CategoryRow {
    pub id: String,
    pub katottg: String,
    pub name: String,
    pub archived: bool,
}

/// A stored appeal with its category's name.
#[derive(Debug, Clone)]
pub struct AppealRow {
    pub id: String,
    pub katottg: String,
    pub number: String,
    pub kind: String,
    pub category_id: String,
    pub category_name: String,
    pub subject: String,
    pub body: String,
    pub location: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub author_id: Option<String>,
    pub author_name: String,
    pub author_address: String,
    pub author_email: String,
    pub is_public: bool,
    pub status: String,
    pub term_days: u32,
    pub registered_at: String,
    pub due_at: String,
    pub assignee: Option<String>,
    pub updated_at: String,
}

/// A photo of an appeal or a file of its answer.
#[derive(Debug, Clone)]
pub struct FileRow {
    pub id: String,
    pub appeal_id: String,
    /// `photo` or `answer`.
    pub role: String,
    pub name: String,
    pub media_type: String,
    pub bytes: i64,
    pub has_thumbnail: bool,
}

/// A step of the timeline, as stored.
#[derive(Debug, Clone)]
pub struct StepRow {
    pub at: String,
    pub by_name: Option<String>,
    /// JSON of the API's `Step`.
    pub data: String,
}

/// The author's rating.
#[derive(Debug, Clone)]
pub struct RatingRow {
    pub stars: i64,
    pub comment: Option<String>,
    pub at: String,
}

/// A new appeal, ready to store (its number is given inside the transaction).
#[derive(Debug, Clone)]
pub struct NewAppealRow<'a> {
    pub id: &'a str,
    pub katottg: &'a str,
    pub kind: &'a str,
    pub category_id: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub location: Option<&'a str>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub author_id: Option<&'a str>,
    pub author_name: &'a str,
    pub author_address: &'a str,
    pub author_email: &'a str,
    pub is_public: bool,
    pub term_days: u32,
    pub registered_at: &'a str,
    pub due_at: &'a str,
    /// The year its number counts in.
    pub year: i64,
}

/// A file to record with an appeal or its answer.
#[derive(Debug, Clone)]
pub struct FileWrite<'a> {
    pub id: &'a str,
    pub role: &'a str,
    pub sort_order: i64,
    pub name: &'a str,
    pub media_type: &'a str,
    pub bytes: i64,
    pub has_thumbnail: bool,
}

/// A step to add to the timeline.
#[derive(Debug, Clone)]
pub struct StepWrite<'a> {
    /// The step's `type`.
    pub kind: &'a str,
    pub at: &'a str,
    pub by_user: Option<&'a str>,
    pub by_name: Option<&'a str>,
    pub data: &'a str,
}

/// What an appeal must still be for a step to apply (optimistic concurrency).
#[derive(Debug, Clone)]
pub struct AppealExpect<'a> {
    pub status: &'a str,
    pub term_days: u32,
    pub updated_at: &'a str,
}

/// What a step changes.
#[derive(Debug, Clone)]
pub struct AppealChange<'a> {
    pub status: &'a str,
    pub term_days: u32,
    pub due_at: &'a str,
    pub assignee: Option<&'a str>,
    pub updated_at: &'a str,
}

/// Which appeals a list shows.
#[derive(Debug, Clone, Default)]
pub struct AppealFilter<'a> {
    /// Only those the author made public.
    pub public_only: bool,
    pub author_id: Option<&'a str>,
    /// A status code; `open` for registered and in progress.
    pub status: Option<&'a str>,
    pub category_id: Option<&'a str>,
    pub kind: Option<&'a str>,
    pub assignee: Option<&'a str>,
}

const OPEN: &str = "a.status IN ('registered', 'in_progress')";

const COLS: &str = "a.id, a.katottg, a.number, a.kind, a.category_id, c.name AS category_name, \
     a.subject, a.body, a.location, a.latitude, a.longitude, a.author_id, a.author_name, \
     a.author_address, a.author_email, a.is_public, a.status, a.term_days, a.registered_at, \
     a.due_at, a.assignee, a.updated_at";
const FROM: &str = "FROM appeals a JOIN appeal_categories c ON c.id = a.category_id";

fn appeal(r: &AnyRow) -> Result<AppealRow, sqlx::Error> {
    Ok(AppealRow {
        id: r.try_get("id")?,
        katottg: r.try_get("katottg")?,
        number: r.try_get("number")?,
        kind: r.try_get("kind")?,
        category_id: r.try_get("category_id")?,
        category_name: r.try_get("category_name")?,
        subject: r.try_get("subject")?,
        body: r.try_get("body")?,
        location: r.try_get("location")?,
        latitude: r.try_get("latitude")?,
        longitude: r.try_get("longitude")?,
        author_id: r.try_get("author_id")?,
        author_name: r.try_get("author_name")?,
        author_address: r.try_get("author_address")?,
        author_email: r.try_get("author_email")?,
        is_public: get_bool(r, "is_public")?,
        status: r.try_get("status")?,
        term_days: get_u32(r, "term_days")?,
        registered_at: r.try_get("registered_at")?,
        due_at: r.try_get("due_at")?,
        assignee: r.try_get("assignee")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn category(r: &AnyRow) -> Result<CategoryRow, sqlx::Error> {
    Ok(CategoryRow {
        id: r.try_get("id")?,
        katottg: r.try_get("katottg")?,
        name: r.try_get("name")?,
        archived: get_bool(r, "archived")?,
    })
}

fn file(r: &AnyRow) -> Result<FileRow, sqlx::Error> {
    Ok(FileRow {
        id: r.try_get("id")?,
        appeal_id: r.try_get("appeal_id")?,
        role: r.try_get("role")?,
        name: r.try_get("name")?,
        media_type: r.try_get("media_type")?,
        bytes: r.try_get("bytes")?,
        has_thumbnail: get_bool(r, "has_thumbnail")?,
    })
}

async fn insert_step(
    tx: &mut Transaction<'_, Any>,
    appeal_id: &str,
    s: &StepWrite<'_>,
) -> Result<(), sqlx::Error> {
    let seq: i64 =
        sqlx::query("SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM appeal_steps WHERE appeal_id = $1")
            .bind(appeal_id)
            .fetch_one(&mut **tx)
            .await?
            .try_get("n")?;
    sqlx::query(
        "INSERT INTO appeal_steps (appeal_id, seq, kind, step_at, by_user, by_name, data) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(appeal_id)
    .bind(seq)
    .bind(s.kind)
    .bind(s.at)
    .bind(s.by_user)
    .bind(s.by_name)
    .bind(s.data)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn insert_files(
    tx: &mut Transaction<'_, Any>,
    appeal_id: &str,
    files: &[FileWrite<'_>],
    now: &str,
) -> Result<(), sqlx::Error> {
    for f in files {
        sqlx::query(
            "INSERT INTO appeal_files (id, appeal_id, role, sort_order, name, media_type, bytes, \
             has_thumbnail, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(f.id)
        .bind(appeal_id)
        .bind(f.role)
        .bind(f.sort_order)
        .bind(f.name)
        .bind(f.media_type)
        .bind(f.bytes)
        .bind(i64::from(f.has_thumbnail))
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Registers an appeal inside a transaction: the next number of its hromada and year, the
/// appeal, its photos and the `registered` step. Returns the number.
pub(super) async fn insert_appeal(
    tx: &mut Transaction<'_, Any>,
    a: &NewAppealRow<'_>,
    number: impl Fn(i64) -> String,
    files: &[FileWrite<'_>],
    step: &StepWrite<'_>,
) -> Result<String, sqlx::Error> {
    let seq: i64 = sqlx::query(
        "INSERT INTO appeal_counters (katottg, reg_year, last_seq) VALUES ($1, $2, 1) \
         ON CONFLICT (katottg, reg_year) DO UPDATE SET last_seq = appeal_counters.last_seq + 1 \
         RETURNING last_seq",
    )
    .bind(a.katottg)
    .bind(a.year)
    .fetch_one(&mut **tx)
    .await?
    .try_get("last_seq")?;
    let number = number(seq);
    sqlx::query(
        "INSERT INTO appeals (id, katottg, number, kind, category_id, subject, body, location, \
         latitude, longitude, author_id, author_name, author_address, author_email, is_public, \
         status, term_days, registered_at, due_at, assignee, updated_at) VALUES ($1, $2, $3, $4, \
         $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 'registered', $16, $17, $18, NULL, $17)",
    )
    .bind(a.id)
    .bind(a.katottg)
    .bind(&number)
    .bind(a.kind)
    .bind(a.category_id)
    .bind(a.subject)
    .bind(a.body)
    .bind(a.location)
    .bind(a.latitude)
    .bind(a.longitude)
    .bind(a.author_id)
    .bind(a.author_name)
    .bind(a.author_address)
    .bind(a.author_email)
    .bind(i64::from(a.is_public))
    .bind(i64::from(a.term_days))
    .bind(a.registered_at)
    .bind(a.due_at)
    .execute(&mut **tx)
    .await?;
    insert_files(tx, a.id, files, a.registered_at).await?;
    insert_step(tx, a.id, step).await?;
    super::delivery::insert_staff_notice(
        tx,
        "staff_appeal",
        a.katottg,
        a.id,
        &format!("{number} {}", a.subject),
        step.at,
    )
    .await?;
    Ok(number)
}

/// Appends the keyset condition and order of a newest-first list.
fn newest_first(sql: &mut String, args: &mut Vec<String>, after: Option<(&str, &str)>) {
    if let Some((at, id)) = after {
        args.push(at.to_owned());
        let a = args.len();
        args.push(id.to_owned());
        let i = args.len();
        sql.push_str(&format!(
            " AND (a.registered_at < ${a} OR (a.registered_at = ${a} AND a.id < ${i}))"
        ));
    }
    sql.push_str(" ORDER BY a.registered_at DESC, a.id DESC");
}

impl Db {
    /// A hromada's categories in list order, archived ones too when asked.
    pub async fn appeal_categories(
        &self,
        katottg: &str,
        with_archived: bool,
    ) -> Result<Vec<CategoryRow>, sqlx::Error> {
        let sql = if with_archived {
            "SELECT id, katottg, name, archived FROM appeal_categories WHERE katottg = $1 \
             ORDER BY sort_order, id"
        } else {
            "SELECT id, katottg, name, archived FROM appeal_categories WHERE katottg = $1 \
             AND archived = 0 ORDER BY sort_order, id"
        };
        let rows = sqlx::query(sql).bind(katottg).fetch_all(&self.pool).await?;
        rows.iter().map(category).collect()
    }

    /// How many categories a hromada has, archived ones included.
    pub async fn appeal_category_count(&self, katottg: &str) -> Result<i64, sqlx::Error> {
        sqlx::query("SELECT COUNT(*) AS n FROM appeal_categories WHERE katottg = $1")
            .bind(katottg)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")
    }

    /// One category.
    pub async fn appeal_category(&self, id: &str) -> Result<Option<CategoryRow>, sqlx::Error> {
        let r =
            sqlx::query("SELECT id, katottg, name, archived FROM appeal_categories WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        r.as_ref().map(category).transpose()
    }

    /// The category of a hromada with this lower-case name, if any.
    pub async fn appeal_category_by_key(
        &self,
        katottg: &str,
        name_key: &str,
    ) -> Result<Option<CategoryRow>, sqlx::Error> {
        let r = sqlx::query(
            "SELECT id, katottg, name, archived FROM appeal_categories \
             WHERE katottg = $1 AND name_key = $2",
        )
        .bind(katottg)
        .bind(name_key)
        .fetch_optional(&self.pool)
        .await?;
        r.as_ref().map(category).transpose()
    }

    /// Adds categories `(id, name, name_key)` in this order after the last one; names a
    /// hromada already has are skipped (so concurrent callers add each once).
    pub async fn insert_appeal_categories(
        &self,
        katottg: &str,
        items: &[(String, String, String)],
        now: &str,
    ) -> Result<u64, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let mut added = 0;
        for (id, name, key) in items {
            added += sqlx::query(
                "INSERT INTO appeal_categories (id, katottg, name, name_key, sort_order, archived, created_at) \
                 VALUES ($1, $2, $3, $4, (SELECT COALESCE(MAX(sort_order), 0) + 1 FROM appeal_categories \
                 WHERE katottg = $2), 0, $5) ON CONFLICT (katottg, name_key) DO NOTHING",
            )
            .bind(id)
            .bind(katottg)
            .bind(name)
            .bind(key)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        }
        tx.commit().await?;
        Ok(added)
    }

    /// Renames a category; a name taken in its hromada is a unique violation.
    pub async fn rename_appeal_category(
        &self,
        id: &str,
        name: &str,
        name_key: &str,
    ) -> Result<bool, sqlx::Error> {
        let done =
            sqlx::query("UPDATE appeal_categories SET name = $1, name_key = $2 WHERE id = $3")
                .bind(name)
                .bind(name_key)
                .bind(id)
                .execute(&self.pool)
                .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Archives or restores a category.
    pub async fn set_appeal_category_archived(
        &self,
        id: &str,
        archived: bool,
    ) -> Result<bool, sqlx::Error> {
        let done = sqlx::query("UPDATE appeal_categories SET archived = $1 WHERE id = $2")
            .bind(i64::from(archived))
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Registers an appeal in one transaction: the next number of its hromada and year,
    /// the appeal, its photos, the `registered` step and the author's notification.
    /// Returns the number.
    pub async fn create_appeal(
        &self,
        a: &NewAppealRow<'_>,
        number: impl Fn(i64) -> String,
        files: &[FileWrite<'_>],
        step: &StepWrite<'_>,
        notification: Option<&NotificationWrite<'_>>,
    ) -> Result<String, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let number = insert_appeal(&mut tx, a, number, files, step).await?;
        if let Some(n) = notification {
            insert_notification(&mut tx, n).await?;
        }
        tx.commit().await?;
        Ok(number)
    }

    /// Applies a step in one transaction: the change (only if the appeal is still as
    /// `expect` says), the timeline entry, its files and the author's notification.
    /// `false` if the appeal changed meanwhile (nothing is written then).
    pub async fn apply_appeal_step(
        &self,
        id: &str,
        expect: &AppealExpect<'_>,
        change: &AppealChange<'_>,
        step: &StepWrite<'_>,
        files: &[FileWrite<'_>],
        notification: Option<&NotificationWrite<'_>>,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE appeals SET status = $1, term_days = $2, due_at = $3, assignee = $4, \
             updated_at = $5 WHERE id = $6 AND status = $7 AND term_days = $8 AND updated_at = $9",
        )
        .bind(change.status)
        .bind(i64::from(change.term_days))
        .bind(change.due_at)
        .bind(change.assignee)
        .bind(change.updated_at)
        .bind(id)
        .bind(expect.status)
        .bind(i64::from(expect.term_days))
        .bind(expect.updated_at)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            tx.rollback().await?;
            return Ok(false);
        }
        insert_files(&mut tx, id, files, change.updated_at).await?;
        insert_step(&mut tx, id, step).await?;
        if let Some(n) = notification {
            insert_notification(&mut tx, n).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// One appeal.
    pub async fn appeal(&self, id: &str) -> Result<Option<AppealRow>, sqlx::Error> {
        let sql = format!("SELECT {COLS} {FROM} WHERE a.id = $1");
        let r = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        r.as_ref().map(appeal).transpose()
    }

    /// The files of an appeal (photos and answer files), in order.
    pub async fn appeal_files(&self, appeal_id: &str) -> Result<Vec<FileRow>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT id, appeal_id, role, name, media_type, bytes, has_thumbnail FROM appeal_files \
             WHERE appeal_id = $1 ORDER BY role DESC, sort_order",
        )
        .bind(appeal_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(file).collect()
    }

    /// One file of an appeal.
    pub async fn appeal_file(
        &self,
        appeal_id: &str,
        file_id: &str,
    ) -> Result<Option<FileRow>, sqlx::Error> {
        let r = sqlx::query(
            "SELECT id, appeal_id, role, name, media_type, bytes, has_thumbnail FROM appeal_files \
             WHERE appeal_id = $1 AND id = $2",
        )
        .bind(appeal_id)
        .bind(file_id)
        .fetch_optional(&self.pool)
        .await?;
        r.as_ref().map(file).transpose()
    }

    /// The timeline of an appeal, oldest first.
    pub async fn appeal_steps(&self, appeal_id: &str) -> Result<Vec<StepRow>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT step_at, by_name, data FROM appeal_steps WHERE appeal_id = $1 ORDER BY seq",
        )
        .bind(appeal_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(StepRow {
                    at: r.try_get("step_at")?,
                    by_name: r.try_get("by_name")?,
                    data: r.try_get("data")?,
                })
            })
            .collect()
    }

    /// The rating of an appeal, if the author gave one.
    pub async fn appeal_rating(&self, appeal_id: &str) -> Result<Option<RatingRow>, sqlx::Error> {
        let r =
            sqlx::query("SELECT stars, comment, rated_at FROM appeal_ratings WHERE appeal_id = $1")
                .bind(appeal_id)
                .fetch_optional(&self.pool)
                .await?;
        r.map(|r| {
            Ok(RatingRow {
                stars: r.try_get("stars")?,
                comment: r.try_get("comment")?,
                at: r.try_get("rated_at")?,
            })
        })
        .transpose()
    }

    /// Gives or changes the rating of an appeal.
    pub async fn upsert_appeal_rating(
        &self,
        appeal_id: &str,
        stars: i64,
        comment: Option<&str>,
        now: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO appeal_ratings (appeal_id, stars, comment, rated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (appeal_id) DO UPDATE SET stars = excluded.stars, \
             comment = excluded.comment, rated_at = excluded.rated_at",
        )
        .bind(appeal_id)
        .bind(stars)
        .bind(comment)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Shows or hides an appeal in the public list.
    pub async fn set_appeal_public(&self, id: &str, public: bool) -> Result<bool, sqlx::Error> {
        let done = sqlx::query("UPDATE appeals SET is_public = $1 WHERE id = $2")
            .bind(i64::from(public))
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// A page of appeals, newest first, after the keyset `(registered_at, id)`.
    pub async fn appeals_newest_first(
        &self,
        katottg: Option<&str>,
        f: &AppealFilter<'_>,
        after: Option<(&str, &str)>,
        limit: i64,
    ) -> Result<Vec<AppealRow>, sqlx::Error> {
        let mut sql = format!("SELECT {COLS} {FROM} WHERE 1 = 1");
        let mut args: Vec<String> = Vec::new();
        if let Some(k) = katottg {
            args.push(k.to_owned());
            sql.push_str(&format!(" AND a.katottg = ${}", args.len()));
        }
        filters(&mut sql, &mut args, f);
        newest_first(&mut sql, &mut args, after);
        sql.push_str(&format!(" LIMIT ${}", args.len() + 1));
        let mut q = sqlx::query(&sql);
        for a in &args {
            q = q.bind(a.as_str());
        }
        let rows = q.bind(limit).fetch_all(&self.pool).await?;
        rows.iter().map(appeal).collect()
    }

    /// A page of a hromada's inbox: open appeals first, nearest deadline first, then the
    /// rest, last changed first. `after` is `(open, due_at or updated_at, id)` of the
    /// previous page's last item.
    pub async fn appeal_inbox(
        &self,
        katottg: &str,
        f: &AppealFilter<'_>,
        after: Option<(bool, &str, &str)>,
        limit: i64,
    ) -> Result<Vec<AppealRow>, sqlx::Error> {
        let mut sql = format!("SELECT {COLS} {FROM} WHERE a.katottg = $1");
        let mut args: Vec<String> = vec![katottg.to_owned()];
        filters(&mut sql, &mut args, f);
        if let Some((open, key, id)) = after {
            args.push(key.to_owned());
            let k = args.len();
            args.push(id.to_owned());
            let i = args.len();
            if open {
                sql.push_str(&format!(
                    " AND (({OPEN} AND (a.due_at > ${k} OR (a.due_at = ${k} AND a.id > ${i}))) \
                     OR NOT {OPEN})"
                ));
            } else {
                sql.push_str(&format!(
                    " AND NOT {OPEN} AND (a.updated_at < ${k} OR (a.updated_at = ${k} AND a.id > ${i}))"
                ));
            }
        }
        sql.push_str(&format!(
            " ORDER BY CASE WHEN {OPEN} THEN 0 ELSE 1 END, \
             CASE WHEN {OPEN} THEN a.due_at ELSE '' END, \
             CASE WHEN {OPEN} THEN '' ELSE a.updated_at END DESC, a.id LIMIT ${}",
            args.len() + 1
        ));
        let mut q = sqlx::query(&sql);
        for a in &args {
            q = q.bind(a.as_str());
        }
        let rows = q.bind(limit).fetch_all(&self.pool).await?;
        rows.iter().map(appeal).collect()
    }

    /// `(overdue, due soon)` among a hromada's open appeals: due at or before `now`, and
    /// due after `now` and at or before `soon`.
    pub async fn appeal_deadline_counts(
        &self,
        katottg: &str,
        now: &str,
        soon: &str,
    ) -> Result<(i64, i64), sqlx::Error> {
        let sql = format!(
            "SELECT COUNT(CASE WHEN a.due_at <= $2 THEN 1 END) AS overdue, \
             COUNT(CASE WHEN a.due_at > $2 AND a.due_at <= $3 THEN 1 END) AS soon \
             FROM appeals a WHERE a.katottg = $1 AND {OPEN}"
        );
        let r = sqlx::query(&sql)
            .bind(katottg)
            .bind(now)
            .bind(soon)
            .fetch_one(&self.pool)
            .await?;
        Ok((r.try_get("overdue")?, r.try_get("soon")?))
    }

    /// Every assignee named on a hromada's appeals.
    pub async fn appeal_assignees(&self, katottg: &str) -> Result<Vec<String>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT DISTINCT assignee FROM appeals WHERE katottg = $1 AND assignee IS NOT NULL",
        )
        .bind(katottg)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| r.try_get("assignee")).collect()
    }

    /// Appeals a person registered since `since`: how many, and the earliest time.
    pub async fn appeals_by_author_since(
        &self,
        author_id: &str,
        since: &str,
    ) -> Result<(i64, Option<String>), sqlx::Error> {
        let r = sqlx::query(
            "SELECT COUNT(*) AS n, MIN(registered_at) AS oldest FROM appeals \
             WHERE author_id = $1 AND registered_at > $2",
        )
        .bind(author_id)
        .bind(since)
        .fetch_one(&self.pool)
        .await?;
        Ok((r.try_get("n")?, r.try_get("oldest")?))
    }

    /// How many appeals a hromada has (demo content checks it).
    pub async fn appeal_count(&self, katottg: &str) -> Result<i64, sqlx::Error> {
        sqlx::query("SELECT COUNT(*) AS n FROM appeals WHERE katottg = $1")
            .bind(katottg)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")
    }
}

fn filters(sql: &mut String, args: &mut Vec<String>, f: &AppealFilter<'_>) {
    if f.public_only {
        sql.push_str(" AND a.is_public = 1");
    }
    let mut eq = |col: &str, v: Option<&str>| {
        if let Some(v) = v {
            args.push(v.to_owned());
            sql.push_str(&format!(" AND {col} = ${}", args.len()));
        }
    };
    eq("a.author_id", f.author_id);
    eq("a.category_id", f.category_id);
    eq("a.kind", f.kind);
    eq("a.assignee", f.assignee);
    match f.status {
        Some("open") => sql.push_str(&format!(" AND {OPEN}")),
        Some(s) => {
            args.push(s.to_owned());
            sql.push_str(&format!(" AND a.status = ${}", args.len()));
        }
        None => {}
    }
}
