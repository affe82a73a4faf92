//! SQL for the participatory budget: cycles, projects with their cost lines, images and
//! milestones, and ballots. A project's step is written with the notification it makes,
//! and a ballot is replaced in one transaction that first takes its row (so concurrent
//! replacements of one person's ballot follow each other, never mix).

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, Connection, Row, Transaction};

use super::notifications::{NotificationWrite, insert_notification};
use super::{Db, get_bool, get_u32};

/// A stored cycle with its counts.
#[derive(Debug, Clone)]
pub struct CycleRow {
    pub id: String,
    pub katottg: String,
    pub year: i32,
    pub title: String,
    pub total: i64,
    /// The first days of submission, review, voting, results and implementation.
    pub submission_on: String,
    pub review_on: String,
    pub voting_on: String,
    pub results_on: String,
    pub implementation_on: String,
    /// `choose` or `fit_budget`.
    pub rule_kind: String,
    pub rule_max: Option<i64>,
    pub one_per_category: bool,
    /// Accepted and rejected projects (those the public sees).
    pub projects: u32,
    /// People with a ballot.
    pub voters: u32,
}

/// A cycle as staff write it.
#[derive(Debug, Clone)]
pub struct CycleWrite<'a> {
    pub year: i32,
    pub title: &'a str,
    pub total: i64,
    pub submission_on: &'a str,
    pub review_on: &'a str,
    pub voting_on: &'a str,
    pub results_on: &'a str,
    pub implementation_on: &'a str,
    pub rule_kind: &'a str,
    pub rule_max: Option<i64>,
    pub one_per_category: bool,
    pub now: &'a str,
}

/// A stored project, with its cycle's hromada and its first image.
#[derive(Debug, Clone)]
pub struct ProjectRow {
    pub id: String,
    pub cycle_id: String,
    pub katottg: String,
    pub author_id: String,
    pub author_name: String,
    pub title: String,
    pub description: String,
    pub category: String,
    pub address: String,
    pub status: String,
    pub cost: i64,
    pub original_cost: Option<i64>,
    pub cost_note: Option<String>,
    pub review_note: Option<String>,
    pub reviewed_at: Option<String>,
    pub progress: Option<i64>,
    pub submitted_at: String,
    /// The id of its first image, if it has one.
    pub first_image: Option<String>,
}

/// What a project's author writes (at submission and when resubmitting).
#[derive(Debug, Clone)]
pub struct ProjectWrite<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub category: &'a str,
    pub address: &'a str,
    /// `(item, amount)` in order.
    pub lines: &'a [(String, i64)],
    /// The sum of the lines: the cost.
    pub total: i64,
    pub at: &'a str,
}

/// An image of a project.
#[derive(Debug, Clone)]
pub struct ProjectImageRow {
    pub id: String,
    pub project_id: String,
    pub bytes: i64,
}

/// A stage of a funded project.
#[derive(Debug, Clone)]
pub struct MilestoneRow {
    pub title: String,
    pub date: String,
    pub done: bool,
}

/// A person's ballot: the projects in the order chosen.
#[derive(Debug, Clone)]
pub struct BallotRow {
    pub project_ids: Vec<String>,
    pub updated_at: String,
}

/// Which projects of a cycle a list reads.
#[derive(Debug, Clone, Default)]
pub struct ProjectFilter<'a> {
    pub category: Option<&'a str>,
    pub status: Option<&'a str>,
    pub author_id: Option<&'a str>,
}

const CYCLE_COLS: &str = "c.id, c.katottg, c.year, c.title, c.total, c.submission_on, \
     c.review_on, c.voting_on, c.results_on, c.implementation_on, c.rule_kind, c.rule_max, \
     c.one_per_category, \
     (SELECT COUNT(*) FROM budget_projects p WHERE p.cycle_id = c.id \
      AND p.status IN ('accepted', 'rejected')) AS project_count, \
     (SELECT COUNT(*) FROM budget_ballots b WHERE b.cycle_id = c.id) AS voter_count";

fn cycle(r: &AnyRow) -> Result<CycleRow, sqlx::Error> {
    let year: i64 = r.try_get("year")?;
    Ok(CycleRow {
        id: r.try_get("id")?,
        katottg: r.try_get("katottg")?,
        year: i32::try_from(year).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
        title: r.try_get("title")?,
        total: r.try_get("total")?,
        submission_on: r.try_get("submission_on")?,
        review_on: r.try_get("review_on")?,
        voting_on: r.try_get("voting_on")?,
        results_on: r.try_get("results_on")?,
        implementation_on: r.try_get("implementation_on")?,
        rule_kind: r.try_get("rule_kind")?,
        rule_max: r.try_get("rule_max")?,
        one_per_category: get_bool(r, "one_per_category")?,
        projects: get_u32(r, "project_count")?,
        voters: get_u32(r, "voter_count")?,
    })
}

const PROJECT_COLS: &str = "p.id, p.cycle_id, c.katottg, p.author_id, p.author_name, p.title, \
     p.description, p.category, p.address, p.status, p.cost, p.original_cost, p.cost_note, \
     p.review_note, p.reviewed_at, p.progress, p.submitted_at, \
     (SELECT i.id FROM budget_project_images i WHERE i.project_id = p.id \
      ORDER BY i.sort_order LIMIT 1) AS first_image";
const PROJECT_FROM: &str = "FROM budget_projects p JOIN budget_cycles c ON c.id = p.cycle_id";

fn project(r: &AnyRow) -> Result<ProjectRow, sqlx::Error> {
    Ok(ProjectRow {
        id: r.try_get("id")?,
        cycle_id: r.try_get("cycle_id")?,
        katottg: r.try_get("katottg")?,
        author_id: r.try_get("author_id")?,
        author_name: r.try_get("author_name")?,
        title: r.try_get("title")?,
        description: r.try_get("description")?,
        category: r.try_get("category")?,
        address: r.try_get("address")?,
        status: r.try_get("status")?,
        cost: r.try_get("cost")?,
        original_cost: r.try_get("original_cost")?,
        cost_note: r.try_get("cost_note")?,
        review_note: r.try_get("review_note")?,
        reviewed_at: r.try_get("reviewed_at")?,
        progress: r.try_get("progress")?,
        submitted_at: r.try_get("submitted_at")?,
        first_image: r.try_get("first_image")?,
    })
}

/// Writes a project's cost lines (after deleting the old ones).
async fn write_lines(
    tx: &mut Transaction<'_, Any>,
    project_id: &str,
    lines: &[(String, i64)],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM budget_cost_lines WHERE project_id = $1")
        .bind(project_id)
        .execute(&mut **tx)
        .await?;
    for (seq, (item, amount)) in lines.iter().enumerate() {
        sqlx::query(
            "INSERT INTO budget_cost_lines (project_id, seq, item, amount) VALUES ($1, $2, $3, $4)",
        )
        .bind(project_id)
        .bind(seq as i64)
        .bind(item.as_str())
        .bind(*amount)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// The transaction of [`Db::replace_ballot`]: the ballot's row first (inserted, or
/// updated and so locked until the end on PostgreSQL; on SQLite the first write takes
/// the database's write lock), then its items replaced.
async fn replace_ballot_tx(
    mut tx: Transaction<'_, Any>,
    cycle_id: &str,
    user_id: &str,
    project_ids: &[String],
    at: &str,
) -> Result<(), sqlx::Error> {
    let ballot_id: String = sqlx::query(
        "INSERT INTO budget_ballots (id, cycle_id, user_id, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (cycle_id, user_id) DO UPDATE SET updated_at = excluded.updated_at \
         RETURNING id",
    )
    .bind(crate::domain::ids::new_id())
    .bind(cycle_id)
    .bind(user_id)
    .bind(at)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    sqlx::query("DELETE FROM budget_ballot_items WHERE ballot_id = $1")
        .bind(&ballot_id)
        .execute(&mut *tx)
        .await?;
    insert_items(&mut tx, &ballot_id, cycle_id, project_ids).await?;
    tx.commit().await
}

/// Inserts a ballot's items in one statement (a ballot has at most a few tens).
async fn insert_items(
    tx: &mut Transaction<'_, Any>,
    ballot_id: &str,
    cycle_id: &str,
    project_ids: &[String],
) -> Result<(), sqlx::Error> {
    // 4 values a row: 200 rows stay under SQLite's oldest limit of 999 parameters.
    for (n, chunk) in project_ids.chunks(200).enumerate() {
        let mut sql = String::from(
            "INSERT INTO budget_ballot_items (ballot_id, cycle_id, project_id, seq) VALUES ",
        );
        for i in 0..chunk.len() {
            let b = i * 4;
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!("(${}, ${}, ${}, ${})", b + 1, b + 2, b + 3, b + 4));
        }
        let mut q = sqlx::query(&sql);
        for (i, p) in chunk.iter().enumerate() {
            q = q
                .bind(ballot_id)
                .bind(cycle_id)
                .bind(p.as_str())
                .bind((n * 200 + i) as i64);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Binds a cycle's twelve values, from its year to the time of the change, in that order.
fn bind_cycle<'q>(
    q: Query<'q, Any, AnyArguments<'q>>,
    c: &CycleWrite<'q>,
) -> Query<'q, Any, AnyArguments<'q>> {
    q.bind(i64::from(c.year))
        .bind(c.title)
        .bind(c.total)
        .bind(c.submission_on)
        .bind(c.review_on)
        .bind(c.voting_on)
        .bind(c.results_on)
        .bind(c.implementation_on)
        .bind(c.rule_kind)
        .bind(c.rule_max)
        .bind(i64::from(c.one_per_category))
        .bind(c.now)
}

impl Db {
    /// Stores a new cycle.
    pub async fn insert_cycle(
        &self,
        id: &str,
        katottg: &str,
        c: &CycleWrite<'_>,
    ) -> Result<(), sqlx::Error> {
        let insert = sqlx::query(
            "INSERT INTO budget_cycles (id, katottg, year, title, total, submission_on, review_on, \
             voting_on, results_on, implementation_on, rule_kind, rule_max, one_per_category, \
             created_at, updated_at) VALUES \
             ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)",
        )
        .bind(id)
        .bind(katottg);
        bind_cycle(insert, c).execute(&self.pool).await?;
        Ok(())
    }

    /// Changes a cycle; `false` if there is none.
    pub async fn update_cycle(&self, id: &str, c: &CycleWrite<'_>) -> Result<bool, sqlx::Error> {
        let update = sqlx::query(
            "UPDATE budget_cycles SET year = $1, title = $2, total = $3, submission_on = $4, \
             review_on = $5, voting_on = $6, results_on = $7, implementation_on = $8, \
             rule_kind = $9, rule_max = $10, one_per_category = $11, updated_at = $12 \
             WHERE id = $13",
        );
        let done = bind_cycle(update, c).bind(id).execute(&self.pool).await?;
        Ok(done.rows_affected() == 1)
    }

    /// One cycle.
    pub async fn cycle(&self, id: &str) -> Result<Option<CycleRow>, sqlx::Error> {
        let sql = format!("SELECT {CYCLE_COLS} FROM budget_cycles c WHERE c.id = $1");
        let r = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        r.as_ref().map(cycle).transpose()
    }

    /// A hromada's cycles, newest year first, then the newest submission date.
    pub async fn cycles(&self, katottg: &str) -> Result<Vec<CycleRow>, sqlx::Error> {
        let sql = format!(
            "SELECT {CYCLE_COLS} FROM budget_cycles c WHERE c.katottg = $1 \
             ORDER BY c.year DESC, c.submission_on DESC, c.id DESC"
        );
        let rows = sqlx::query(&sql)
            .bind(katottg)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(cycle).collect()
    }

    /// How many cycles a hromada has (demo content checks it).
    pub async fn cycle_count(&self, katottg: &str) -> Result<i64, sqlx::Error> {
        sqlx::query("SELECT COUNT(*) AS n FROM budget_cycles WHERE katottg = $1")
            .bind(katottg)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")
    }

    /// Stores a submitted project with its cost lines and images, in one transaction.
    pub async fn insert_project(
        &self,
        id: &str,
        cycle_id: &str,
        author: (&str, &str),
        p: &ProjectWrite<'_>,
        images: &[(String, i64)],
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO budget_projects (id, cycle_id, author_id, author_name, title, description, \
             category, address, status, cost, submitted_at, updated_at) VALUES \
             ($1, $2, $3, $4, $5, $6, $7, $8, 'submitted', $9, $10, $10)",
        )
        .bind(id)
        .bind(cycle_id)
        .bind(author.0)
        .bind(author.1)
        .bind(p.title)
        .bind(p.description)
        .bind(p.category)
        .bind(p.address)
        .bind(p.total)
        .bind(p.at)
        .execute(&mut *tx)
        .await?;
        write_lines(&mut tx, id, p.lines).await?;
        for (i, (image_id, bytes)) in images.iter().enumerate() {
            sqlx::query(
                "INSERT INTO budget_project_images (id, project_id, sort_order, bytes, created_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(image_id.as_str())
            .bind(id)
            .bind(i as i64)
            .bind(*bytes)
            .bind(p.at)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await
    }

    /// The author's new version of a project waiting for review or with changes requested:
    /// back to review, the cost the new total (any change staff made to it is dropped with
    /// the old estimate), the lines replaced, the images kept. `false` if it was in
    /// another status.
    pub async fn resubmit_project(
        &self,
        id: &str,
        p: &ProjectWrite<'_>,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE budget_projects SET title = $1, description = $2, category = $3, address = $4, \
             cost = $5, original_cost = NULL, cost_note = NULL, status = 'submitted', \
             updated_at = $6 WHERE id = $7 AND status IN ('submitted', 'changes_requested')",
        )
        .bind(p.title)
        .bind(p.description)
        .bind(p.category)
        .bind(p.address)
        .bind(p.total)
        .bind(p.at)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            tx.rollback().await?;
            return Ok(false);
        }
        write_lines(&mut tx, id, p.lines).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Records staff's review (status, note; `reviewed_at`) and the author's notification,
    /// in one transaction.
    pub async fn review_project(
        &self,
        id: &str,
        status: &str,
        note: Option<&str>,
        notification: &NotificationWrite<'_>,
    ) -> Result<bool, sqlx::Error> {
        let update = sqlx::query(
            "UPDATE budget_projects SET status = $1, review_note = $2, reviewed_at = $3, \
             updated_at = $3 WHERE id = $4",
        )
        .bind(status)
        .bind(note)
        .bind(notification.at)
        .bind(id);
        self.update_project_notifying(update, notification).await
    }

    /// Sets the cost staff decided (the author's total is kept the first time) and notifies
    /// the author, in one transaction.
    pub async fn adjust_project_cost(
        &self,
        id: &str,
        cost: i64,
        note: &str,
        notification: &NotificationWrite<'_>,
    ) -> Result<bool, sqlx::Error> {
        let update = sqlx::query(
            "UPDATE budget_projects SET original_cost = COALESCE(original_cost, cost), \
             cost = $1, cost_note = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(cost)
        .bind(note)
        .bind(notification.at)
        .bind(id);
        self.update_project_notifying(update, notification).await
    }

    /// Runs `update` (of one project) and, when it changed the project, writes the
    /// author's notification, in one transaction. `false` (nothing written) when no project
    /// matched.
    async fn update_project_notifying<'q>(
        &self,
        update: Query<'q, Any, AnyArguments<'q>>,
        notification: &NotificationWrite<'_>,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        if update.execute(&mut *tx).await?.rows_affected() != 1 {
            tx.rollback().await?;
            return Ok(false);
        }
        insert_notification(&mut tx, notification).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Replaces a project's progress and milestones, in one transaction.
    pub async fn set_implementation(
        &self,
        id: &str,
        progress: i64,
        milestones: &[MilestoneRow],
        at: &str,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE budget_projects SET progress = $1, updated_at = $2 WHERE id = $3")
            .bind(progress)
            .bind(at)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM budget_milestones WHERE project_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        for (seq, m) in milestones.iter().enumerate() {
            sqlx::query(
                "INSERT INTO budget_milestones (project_id, seq, title, due_on, done) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(seq as i64)
            .bind(m.title.as_str())
            .bind(m.date.as_str())
            .bind(i64::from(m.done))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await
    }

    /// One project.
    pub async fn project(&self, id: &str) -> Result<Option<ProjectRow>, sqlx::Error> {
        let sql = format!("SELECT {PROJECT_COLS} {PROJECT_FROM} WHERE p.id = $1");
        let r = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        r.as_ref().map(project).transpose()
    }

    /// A cycle's projects, filtered, newest submitted first.
    pub async fn projects(
        &self,
        cycle_id: &str,
        f: &ProjectFilter<'_>,
    ) -> Result<Vec<ProjectRow>, sqlx::Error> {
        let mut sql = format!("SELECT {PROJECT_COLS} {PROJECT_FROM} WHERE p.cycle_id = $1");
        let mut args: Vec<&str> = vec![cycle_id];
        for (col, v) in [
            ("p.category", f.category),
            ("p.status", f.status),
            ("p.author_id", f.author_id),
        ] {
            if let Some(v) = v {
                args.push(v);
                sql.push_str(&format!(" AND {col} = ${}", args.len()));
            }
        }
        sql.push_str(" ORDER BY p.submitted_at DESC, p.id DESC");
        let mut q = sqlx::query(&sql);
        for a in args {
            q = q.bind(a);
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter().map(project).collect()
    }

    /// Projects a person submitted since `since`: how many, and the earliest time.
    pub async fn projects_by_author_since(
        &self,
        author_id: &str,
        since: &str,
    ) -> Result<(i64, Option<String>), sqlx::Error> {
        let r = sqlx::query(
            "SELECT COUNT(*) AS n, MIN(submitted_at) AS oldest FROM budget_projects \
             WHERE author_id = $1 AND submitted_at > $2",
        )
        .bind(author_id)
        .bind(since)
        .fetch_one(&self.pool)
        .await?;
        Ok((r.try_get("n")?, r.try_get("oldest")?))
    }

    /// A project's cost lines `(item, amount)`, in order.
    pub async fn cost_lines(&self, project_id: &str) -> Result<Vec<(String, i64)>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT item, amount FROM budget_cost_lines WHERE project_id = $1 ORDER BY seq",
        )
        .bind(project_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("item")?, r.try_get("amount")?)))
            .collect()
    }

    /// A project's images, in order.
    pub async fn project_images(
        &self,
        project_id: &str,
    ) -> Result<Vec<ProjectImageRow>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT id, project_id, bytes FROM budget_project_images WHERE project_id = $1 \
             ORDER BY sort_order",
        )
        .bind(project_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ProjectImageRow {
                    id: r.try_get("id")?,
                    project_id: r.try_get("project_id")?,
                    bytes: r.try_get("bytes")?,
                })
            })
            .collect()
    }

    /// Whether a project has this image.
    pub async fn has_project_image(
        &self,
        project_id: &str,
        image_id: &str,
    ) -> Result<bool, sqlx::Error> {
        Ok(sqlx::query(
            "SELECT 1 AS one FROM budget_project_images WHERE project_id = $1 AND id = $2",
        )
        .bind(project_id)
        .bind(image_id)
        .fetch_optional(&self.pool)
        .await?
        .is_some())
    }

    /// A project's milestones, in order.
    pub async fn milestones(&self, project_id: &str) -> Result<Vec<MilestoneRow>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT title, due_on, done FROM budget_milestones WHERE project_id = $1 ORDER BY seq",
        )
        .bind(project_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(MilestoneRow {
                    title: r.try_get("title")?,
                    date: r.try_get("due_on")?,
                    done: get_bool(r, "done")?,
                })
            })
            .collect()
    }

    /// The votes of a cycle's projects, counted by the database: `(project id, votes)`
    /// for every project with at least one.
    pub async fn votes(&self, cycle_id: &str) -> Result<Vec<(String, u32)>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT project_id, COUNT(*) AS n FROM budget_ballot_items WHERE cycle_id = $1 \
             GROUP BY project_id",
        )
        .bind(cycle_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("project_id")?, get_u32(r, "n")?)))
            .collect()
    }

    /// A person's ballot in a cycle, if they have one.
    pub async fn ballot(
        &self,
        cycle_id: &str,
        user_id: &str,
    ) -> Result<Option<BallotRow>, sqlx::Error> {
        let Some(b) = sqlx::query(
            "SELECT id, updated_at FROM budget_ballots WHERE cycle_id = $1 AND user_id = $2",
        )
        .bind(cycle_id)
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let id: String = b.try_get("id")?;
        let items = sqlx::query(
            "SELECT project_id FROM budget_ballot_items WHERE ballot_id = $1 ORDER BY seq",
        )
        .bind(&id)
        .fetch_all(&self.pool)
        .await?;
        Ok(Some(BallotRow {
            project_ids: items
                .iter()
                .map(|r| r.try_get("project_id"))
                .collect::<Result<_, _>>()?,
            updated_at: b.try_get("updated_at")?,
        }))
    }

    /// Replaces a person's selection (not empty) in one transaction, made or changed at
    /// `at`. Concurrent replacements of one ballot follow each other: the row of the
    /// ballot is written first, which waits for any other transaction holding it (a row
    /// lock on PostgreSQL; on SQLite this process's writer, then the database's write
    /// lock), so the items stored are exactly one request's.
    pub async fn replace_ballot(
        &self,
        cycle_id: &str,
        user_id: &str,
        project_ids: &[String],
        at: &str,
    ) -> Result<(), sqlx::Error> {
        let mut writer = self.writer().await?;
        let result = async {
            match writer.as_deref_mut() {
                Some(Some(conn)) => {
                    replace_ballot_tx(conn.begin().await?, cycle_id, user_id, project_ids, at).await
                }
                _ => {
                    replace_ballot_tx(self.pool.begin().await?, cycle_id, user_id, project_ids, at)
                        .await
                }
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

    /// Withdraws a person's vote: deletes the ballot and (by cascade) its items.
    pub async fn delete_ballot(&self, cycle_id: &str, user_id: &str) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM budget_ballots WHERE cycle_id = $1 AND user_id = $2")
            .bind(cycle_id)
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Stores many ballots `(user id, project ids, time)` at once, in one transaction
    /// (demo content).
    pub async fn insert_ballots(
        &self,
        cycle_id: &str,
        ballots: &[(String, Vec<String>, String)],
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        for (user, projects, at) in ballots {
            let id = crate::domain::ids::new_id();
            sqlx::query(
                "INSERT INTO budget_ballots (id, cycle_id, user_id, updated_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(&id)
            .bind(cycle_id)
            .bind(user.as_str())
            .bind(at.as_str())
            .execute(&mut *tx)
            .await?;
            insert_items(&mut tx, &id, cycle_id, projects).await?;
        }
        tx.commit().await
    }
}
