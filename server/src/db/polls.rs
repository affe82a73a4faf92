//! SQL for polls and surveys. A response, its answers and the poll's count are written in
//! one transaction that first raises the count while the poll is open (its row lock
//! orders concurrent answers and edits of one poll); the unique constraint on
//! `(poll_id, user_id)` has the last word on "once". Results are counted by the database.

use sqlx::any::AnyRow;
use sqlx::{Any, Connection, Row, Transaction};

use super::{Db, get_bool, get_u32};

/// A stored poll, with whether the reader answered it.
#[derive(Debug, Clone)]
pub struct PollRow {
    pub id: String,
    pub katottg: String,
    pub kind: String,
    pub title: String,
    pub intro: String,
    /// The questions as JSON.
    pub questions: String,
    pub audience: String,
    pub results_shown: String,
    pub opens_at: String,
    pub closes_at: String,
    pub published_at: Option<String>,
    pub responses: u32,
    pub created_at: String,
    pub answered: bool,
}

/// What creating or editing a poll writes.
#[derive(Debug, Clone)]
pub struct PollWrite<'a> {
    pub kind: &'a str,
    pub title: &'a str,
    pub intro: &'a str,
    pub questions: &'a str,
    pub question_count: i64,
    pub audience: &'a str,
    pub results_shown: &'a str,
    pub opens_at: &'a str,
    pub closes_at: &'a str,
    pub now: &'a str,
}

/// Which polls a list shows, and the keyset of its next page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PollFilter {
    /// Published and not closed at `now`: soonest closing first.
    Active,
    /// Published and closed at `now`: newest closed first.
    Past,
    /// Not published: newest created first.
    Draft,
}

/// The answers of one response, by question position.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnswerRows {
    /// `(question, option)`: one per chosen option.
    pub choices: Vec<(u32, u32)>,
    /// `(question, value)`.
    pub scales: Vec<(u32, u8)>,
    /// `(question, text)`.
    pub texts: Vec<(u32, String)>,
}

/// One response to store.
#[derive(Debug, Clone)]
pub struct ResponseWrite {
    pub id: String,
    pub user_id: String,
    pub at: String,
    pub answers: AnswerRows,
}

/// What answering did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RespondOutcome {
    /// Stored; the count of responses now.
    Stored(u32),
    /// This person had answered already (the unique constraint said so).
    AlreadyAnswered,
    /// The poll is not open (not published, not yet open, or closed).
    NotOpen,
}

/// The figures of a poll as the database counts them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TallyRows {
    /// `(question, option, people who chose it)`.
    pub choices: Vec<(u32, u32, u32)>,
    /// `(question, people who answered it)` of choice questions.
    pub choice_answered: Vec<(u32, u32)>,
    /// `(question, value, people who gave it)`.
    pub scales: Vec<(u32, u32, u32)>,
    /// `(question, people who answered, average in hundredths rounded half up)`.
    pub averages: Vec<(u32, u32, u32)>,
    /// `(question, people who answered)` of text questions.
    pub texts: Vec<(u32, u32)>,
}

/// One free-text answer.
#[derive(Debug, Clone)]
pub struct TextRow {
    pub response_id: String,
    pub text: String,
    pub answered_at: String,
}

const COLS: &str = "p.id, p.katottg, p.kind, p.title, p.intro, p.questions, p.audience, \
     p.results_shown, p.opens_at, p.closes_at, p.published_at, p.responses, p.created_at, \
     CASE WHEN EXISTS (SELECT 1 FROM poll_responses r WHERE r.poll_id = p.id AND r.user_id = $1) \
     THEN 1 ELSE 0 END AS answered";

fn poll(r: &AnyRow) -> Result<PollRow, sqlx::Error> {
    Ok(PollRow {
        id: r.try_get("id")?,
        katottg: r.try_get("katottg")?,
        kind: r.try_get("kind")?,
        title: r.try_get("title")?,
        intro: r.try_get("intro")?,
        questions: r.try_get("questions")?,
        audience: r.try_get("audience")?,
        results_shown: r.try_get("results_shown")?,
        opens_at: r.try_get("opens_at")?,
        closes_at: r.try_get("closes_at")?,
        published_at: r.try_get("published_at")?,
        responses: get_u32(r, "responses")?,
        created_at: r.try_get("created_at")?,
        answered: get_bool(r, "answered")?,
    })
}

fn pos(r: &AnyRow, col: &str) -> Result<u32, sqlx::Error> {
    get_u32(r, col)
}

/// Writes a response's row and its answers (no checks).
async fn insert_response(
    tx: &mut Transaction<'_, Any>,
    poll_id: &str,
    w: &ResponseWrite,
) -> Result<bool, sqlx::Error> {
    let added = sqlx::query(
        "INSERT INTO poll_responses (id, poll_id, user_id, answered_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (poll_id, user_id) DO NOTHING",
    )
    .bind(w.id.as_str())
    .bind(poll_id)
    .bind(w.user_id.as_str())
    .bind(w.at.as_str())
    .execute(&mut **tx)
    .await?;
    if added.rows_affected() != 1 {
        return Ok(false);
    }
    for (q, o) in &w.answers.choices {
        sqlx::query(
            "INSERT INTO poll_answer_choices (response_id, poll_id, question, option_pos) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(w.id.as_str())
        .bind(poll_id)
        .bind(i64::from(*q))
        .bind(i64::from(*o))
        .execute(&mut **tx)
        .await?;
    }
    for (q, v) in &w.answers.scales {
        sqlx::query(
            "INSERT INTO poll_answer_values (response_id, poll_id, question, scale, text, \
             answered_at) VALUES ($1, $2, $3, $4, NULL, $5)",
        )
        .bind(w.id.as_str())
        .bind(poll_id)
        .bind(i64::from(*q))
        .bind(i64::from(*v))
        .bind(w.at.as_str())
        .execute(&mut **tx)
        .await?;
    }
    for (q, t) in &w.answers.texts {
        sqlx::query(
            "INSERT INTO poll_answer_values (response_id, poll_id, question, scale, text, \
             answered_at) VALUES ($1, $2, $3, NULL, $4, $5)",
        )
        .bind(w.id.as_str())
        .bind(poll_id)
        .bind(i64::from(*q))
        .bind(t.as_str())
        .bind(w.at.as_str())
        .execute(&mut **tx)
        .await?;
    }
    Ok(true)
}

/// The transaction of [`Db::respond_to_poll`].
async fn respond_tx(
    mut tx: Transaction<'_, Any>,
    poll_id: &str,
    w: &ResponseWrite,
) -> Result<RespondOutcome, sqlx::Error> {
    let counted = sqlx::query(
        "UPDATE polls SET responses = responses + 1 WHERE id = $1 AND published_at IS NOT NULL \
         AND opens_at <= $2 AND closes_at > $2 RETURNING responses",
    )
    .bind(poll_id)
    .bind(w.at.as_str())
    .fetch_optional(&mut *tx)
    .await?;
    let Some(counted) = counted else {
        tx.rollback().await?;
        return Ok(RespondOutcome::NotOpen);
    };
    let responses = get_u32(&counted, "responses")?;
    if !insert_response(&mut tx, poll_id, w).await? {
        tx.rollback().await?;
        return Ok(RespondOutcome::AlreadyAnswered);
    }
    tx.commit().await?;
    Ok(RespondOutcome::Stored(responses))
}

impl Db {
    /// Stores a new poll, a draft.
    pub async fn insert_poll(
        &self,
        id: &str,
        katottg: &str,
        created_by: &str,
        w: &PollWrite<'_>,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO polls (id, katottg, kind, title, intro, questions, question_count, \
             audience, results_shown, opens_at, closes_at, published_at, responses, created_by, \
             created_at, updated_at) VALUES \
             ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, NULL, 0, $12, $13, $13)",
        )
        .bind(id)
        .bind(katottg)
        .bind(w.kind)
        .bind(w.title)
        .bind(w.intro)
        .bind(w.questions)
        .bind(w.question_count)
        .bind(w.audience)
        .bind(w.results_shown)
        .bind(w.opens_at)
        .bind(w.closes_at)
        .bind(created_by)
        .bind(w.now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// One poll, with whether `reader` (a user id) answered it.
    pub async fn poll(
        &self,
        id: &str,
        reader: Option<&str>,
    ) -> Result<Option<PollRow>, sqlx::Error> {
        let sql = format!("SELECT {COLS} FROM polls p WHERE p.id = $2");
        sqlx::query(&sql)
            .bind(reader.unwrap_or(""))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .map(|r| poll(&r))
            .transpose()
    }

    /// One page of a hromada's polls: `filter` at `now`, after the keyset `after`
    /// (`(sort value, id)` of the last item of the previous page).
    pub async fn polls_list(
        &self,
        katottg: &str,
        filter: PollFilter,
        now: &str,
        after: Option<(&str, &str)>,
        reader: Option<&str>,
        limit: i64,
    ) -> Result<Vec<PollRow>, sqlx::Error> {
        let (cond, keyset, order) = match filter {
            PollFilter::Active => (
                "p.published_at IS NOT NULL AND p.closes_at > $3",
                "(p.closes_at > $4 OR (p.closes_at = $4 AND p.id > $5))",
                "p.closes_at ASC, p.id ASC",
            ),
            PollFilter::Past => (
                "p.published_at IS NOT NULL AND p.closes_at <= $3",
                "(p.closes_at < $4 OR (p.closes_at = $4 AND p.id < $5))",
                "p.closes_at DESC, p.id DESC",
            ),
            PollFilter::Draft => (
                "p.published_at IS NULL AND $3 = $3",
                "(p.created_at < $4 OR (p.created_at = $4 AND p.id < $5))",
                "p.created_at DESC, p.id DESC",
            ),
        };
        let keyset = if after.is_some() {
            keyset
        } else {
            "$4 = $4 AND $5 = $5"
        };
        let sql = format!(
            "SELECT {COLS} FROM polls p WHERE p.katottg = $2 AND {cond} AND {keyset} \
             ORDER BY {order} LIMIT $6"
        );
        let (k, id) = after.unwrap_or(("", ""));
        let rows = sqlx::query(&sql)
            .bind(reader.unwrap_or(""))
            .bind(katottg)
            .bind(now)
            .bind(k)
            .bind(id)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(poll).collect()
    }

    /// Rewrites a poll nobody has answered. `false` if someone has (or it is gone).
    pub async fn update_poll(&self, id: &str, w: &PollWrite<'_>) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(
            "UPDATE polls SET kind = $1, title = $2, intro = $3, questions = $4, \
             question_count = $5, audience = $6, results_shown = $7, opens_at = $8, \
             closes_at = $9, updated_at = $10 WHERE id = $11 AND responses = 0",
        )
        .bind(w.kind)
        .bind(w.title)
        .bind(w.intro)
        .bind(w.questions)
        .bind(w.question_count)
        .bind(w.audience)
        .bind(w.results_shown)
        .bind(w.opens_at)
        .bind(w.closes_at)
        .bind(w.now)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Moves the closing time of a poll that has not closed at `now`. `false` otherwise.
    pub async fn set_poll_closes_at(
        &self,
        id: &str,
        closes_at: &str,
        now: &str,
    ) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(
            "UPDATE polls SET closes_at = $1, updated_at = $2 WHERE id = $3 AND closes_at > $2 \
             AND opens_at < $1",
        )
        .bind(closes_at)
        .bind(now)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Publishes a draft at `now`. `false` if it was published already.
    pub async fn publish_poll(&self, id: &str, now: &str) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(
            "UPDATE polls SET published_at = $1, updated_at = $1 WHERE id = $2 \
             AND published_at IS NULL",
        )
        .bind(now)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Deletes a draft. `false` if it is published (or gone).
    pub async fn delete_poll(&self, id: &str) -> Result<bool, sqlx::Error> {
        let done = sqlx::query("DELETE FROM polls WHERE id = $1 AND published_at IS NULL")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Stores a response, in one transaction: raises the count while the poll is open at
    /// `w.at`, adds the response (the unique constraint refuses a second one of the same
    /// person, and the whole transaction is undone) and its answers. On SQLite the
    /// process's responses go through its one writer connection, in turn
    /// ([`Db::writer`]).
    pub async fn respond_to_poll(
        &self,
        poll_id: &str,
        w: &ResponseWrite,
    ) -> Result<RespondOutcome, sqlx::Error> {
        let mut writer = self.writer().await?;
        let result = async {
            match writer.as_deref_mut() {
                Some(Some(conn)) => respond_tx(conn.begin().await?, poll_id, w).await,
                _ => respond_tx(self.pool.begin().await?, poll_id, w).await,
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

    /// Stores many responses as given, without checking that the poll is open (demo
    /// content), in one transaction; the count follows. Returns how many were new.
    pub async fn insert_poll_responses(
        &self,
        poll_id: &str,
        responses: &[ResponseWrite],
    ) -> Result<u64, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let mut made = 0;
        for w in responses {
            if insert_response(&mut tx, poll_id, w).await? {
                made += 1;
            }
        }
        sqlx::query(
            "UPDATE polls SET responses = (SELECT COUNT(*) FROM poll_responses r \
             WHERE r.poll_id = polls.id) WHERE id = $1",
        )
        .bind(poll_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(made)
    }

    /// The figures of a poll, counted by the database.
    pub async fn poll_tally(&self, poll_id: &str) -> Result<TallyRows, sqlx::Error> {
        let mut t = TallyRows::default();
        for r in sqlx::query(
            "SELECT question, option_pos, COUNT(*) AS n FROM poll_answer_choices \
             WHERE poll_id = $1 GROUP BY question, option_pos ORDER BY question, option_pos",
        )
        .bind(poll_id)
        .fetch_all(&self.pool)
        .await?
        {
            t.choices
                .push((pos(&r, "question")?, pos(&r, "option_pos")?, pos(&r, "n")?));
        }
        for r in sqlx::query(
            "SELECT question, COUNT(DISTINCT response_id) AS n FROM poll_answer_choices \
             WHERE poll_id = $1 GROUP BY question ORDER BY question",
        )
        .bind(poll_id)
        .fetch_all(&self.pool)
        .await?
        {
            t.choice_answered
                .push((pos(&r, "question")?, pos(&r, "n")?));
        }
        for r in sqlx::query(
            "SELECT question, scale, COUNT(*) AS n FROM poll_answer_values \
             WHERE poll_id = $1 AND scale IS NOT NULL GROUP BY question, scale \
             ORDER BY question, scale",
        )
        .bind(poll_id)
        .fetch_all(&self.pool)
        .await?
        {
            t.scales
                .push((pos(&r, "question")?, pos(&r, "scale")?, pos(&r, "n")?));
        }
        // The average in hundredths, rounded half up: floor((200·sum + n) / (2·n)), in
        // integers on both databases (PostgreSQL's SUM of BIGINT is NUMERIC: cast back).
        for r in sqlx::query(
            "SELECT question, COUNT(*) AS n, \
             (CAST(SUM(scale) AS BIGINT) * 200 + COUNT(*)) / (COUNT(*) * 2) AS average_x100 \
             FROM poll_answer_values WHERE poll_id = $1 AND scale IS NOT NULL \
             GROUP BY question ORDER BY question",
        )
        .bind(poll_id)
        .fetch_all(&self.pool)
        .await?
        {
            t.averages.push((
                pos(&r, "question")?,
                pos(&r, "n")?,
                pos(&r, "average_x100")?,
            ));
        }
        for r in sqlx::query(
            "SELECT question, COUNT(*) AS n FROM poll_answer_values \
             WHERE poll_id = $1 AND text IS NOT NULL GROUP BY question ORDER BY question",
        )
        .bind(poll_id)
        .fetch_all(&self.pool)
        .await?
        {
            t.texts.push((pos(&r, "question")?, pos(&r, "n")?));
        }
        Ok(t)
    }

    /// One page of the texts given to question `question`, newest first, after the
    /// keyset `after` (`(answered_at, response id)`).
    pub async fn poll_texts(
        &self,
        poll_id: &str,
        question: u32,
        after: Option<(&str, &str)>,
        limit: i64,
    ) -> Result<Vec<TextRow>, sqlx::Error> {
        let keyset = if after.is_some() {
            "(answered_at < $3 OR (answered_at = $3 AND response_id < $4))"
        } else {
            "$3 = $3 AND $4 = $4"
        };
        let sql = format!(
            "SELECT response_id, text, answered_at FROM poll_answer_values \
             WHERE poll_id = $1 AND question = $2 AND text IS NOT NULL AND {keyset} \
             ORDER BY answered_at DESC, response_id DESC LIMIT $5"
        );
        let (k, id) = after.unwrap_or(("", ""));
        let rows = sqlx::query(&sql)
            .bind(poll_id)
            .bind(i64::from(question))
            .bind(k)
            .bind(id)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(TextRow {
                    response_id: r.try_get("response_id")?,
                    text: r.try_get("text")?,
                    answered_at: r.try_get("answered_at")?,
                })
            })
            .collect()
    }

    /// How many polls (drafts included) a hromada has.
    pub async fn poll_count(&self, katottg: &str) -> Result<i64, sqlx::Error> {
        sqlx::query("SELECT COUNT(*) AS n FROM polls WHERE katottg = $1")
            .bind(katottg)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")
    }
}
