//! SQL for news items.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::Db;

/// A stored news item (the body only when asked for).
#[derive(Debug, Clone)]
pub struct NewsRow {
    pub id: String,
    pub katottg: String,
    pub title: String,
    pub summary: String,
    pub category: String,
    pub cover_id: Option<String>,
    pub cover_sizes: Option<String>,
    pub status: String,
    pub published_at: Option<String>,
    pub feed_at: String,
    pub updated_at: String,
    /// `(source, blocks as JSON)`, when selected.
    pub body: Option<(String, String)>,
}

/// What a news item is saved with.
#[derive(Debug, Clone)]
pub struct NewsWrite<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub category: &'a str,
    pub body_source: &'a str,
    pub body_json: &'a str,
    pub search_text: &'a str,
    pub cover_id: Option<&'a str>,
    pub status: &'a str,
    pub published_at: Option<&'a str>,
    pub feed_at: &'a str,
    pub updated_at: &'a str,
}

/// Which items a feed lists.
#[derive(Debug, Clone, Default)]
pub struct NewsFilter<'a> {
    /// Only items public at this time (else drafts and scheduled ones too).
    pub public_at: Option<&'a str>,
    pub category: Option<&'a str>,
    /// A `LIKE` pattern for the search text.
    pub pattern: Option<&'a str>,
    /// The keyset `(feed_at, id)` of the previous page's last item.
    pub after: Option<(&'a str, &'a str)>,
}

const SUMMARY_COLS: &str = "n.id, n.katottg, n.title, n.summary, n.category, n.cover_id, \
     m.sizes AS cover_sizes, n.status, n.published_at, n.feed_at, n.updated_at";
const FROM: &str = "FROM news n LEFT JOIN media m ON m.id = n.cover_id";

fn row(r: &AnyRow, with_body: bool) -> Result<NewsRow, sqlx::Error> {
    Ok(NewsRow {
        id: r.try_get("id")?,
        katottg: r.try_get("katottg")?,
        title: r.try_get("title")?,
        summary: r.try_get("summary")?,
        category: r.try_get("category")?,
        cover_id: r.try_get("cover_id")?,
        cover_sizes: r.try_get("cover_sizes")?,
        status: r.try_get("status")?,
        published_at: r.try_get("published_at")?,
        feed_at: r.try_get("feed_at")?,
        updated_at: r.try_get("updated_at")?,
        body: if with_body {
            Some((r.try_get("body_source")?, r.try_get("body_json")?))
        } else {
            None
        },
    })
}

impl Db {
    /// Saves a new item.
    pub async fn insert_news(
        &self,
        id: &str,
        katottg: &str,
        created_by: Option<&str>,
        w: &NewsWrite<'_>,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO news (id, katottg, title, summary, category, body_source, body_json, \
             search_text, cover_id, status, published_at, feed_at, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        )
        .bind(id)
        .bind(katottg)
        .bind(w.title)
        .bind(w.summary)
        .bind(w.category)
        .bind(w.body_source)
        .bind(w.body_json)
        .bind(w.search_text)
        .bind(w.cover_id)
        .bind(w.status)
        .bind(w.published_at)
        .bind(w.feed_at)
        .bind(created_by)
        .bind(w.updated_at)
        .bind(w.updated_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Replaces an item's content; `false` if there is no such item.
    pub async fn update_news(&self, id: &str, w: &NewsWrite<'_>) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(
            "UPDATE news SET title = $1, summary = $2, category = $3, body_source = $4, \
             body_json = $5, search_text = $6, cover_id = $7, status = $8, published_at = $9, \
             feed_at = $10, updated_at = $11 WHERE id = $12",
        )
        .bind(w.title)
        .bind(w.summary)
        .bind(w.category)
        .bind(w.body_source)
        .bind(w.body_json)
        .bind(w.search_text)
        .bind(w.cover_id)
        .bind(w.status)
        .bind(w.published_at)
        .bind(w.feed_at)
        .bind(w.updated_at)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Deletes an item; `false` if there was none.
    pub async fn delete_news(&self, id: &str) -> Result<bool, sqlx::Error> {
        let done = sqlx::query("DELETE FROM news WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// One item with its body.
    pub async fn news_item(&self, id: &str) -> Result<Option<NewsRow>, sqlx::Error> {
        let sql =
            format!("SELECT {SUMMARY_COLS}, n.body_source, n.body_json {FROM} WHERE n.id = $1");
        let r = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        r.as_ref().map(|r| row(r, true)).transpose()
    }

    /// A page of a hromada's items, newest first.
    pub async fn news_feed(
        &self,
        katottg: &str,
        f: &NewsFilter<'_>,
        limit: i64,
    ) -> Result<Vec<NewsRow>, sqlx::Error> {
        let mut sql = format!("SELECT {SUMMARY_COLS} {FROM} WHERE n.katottg = $1");
        let mut args: Vec<&str> = vec![katottg];
        if let Some(now) = f.public_at {
            args.push(now);
            sql.push_str(&format!(
                " AND n.status = 'published' AND n.feed_at <= ${}",
                args.len()
            ));
        }
        if let Some(c) = f.category {
            args.push(c);
            sql.push_str(&format!(" AND n.category = ${}", args.len()));
        }
        if let Some(p) = f.pattern {
            args.push(p);
            sql.push_str(&format!(
                " AND n.search_text LIKE ${} ESCAPE '\\'",
                args.len()
            ));
        }
        if let Some((at, id)) = f.after {
            args.push(at);
            let a = args.len();
            args.push(id);
            let i = args.len();
            sql.push_str(&format!(
                " AND (n.feed_at < ${a} OR (n.feed_at = ${a} AND n.id < ${i}))"
            ));
        }
        sql.push_str(&format!(
            " ORDER BY n.feed_at DESC, n.id DESC LIMIT ${}",
            args.len() + 1
        ));
        let mut q = sqlx::query(&sql);
        for a in args {
            q = q.bind(a);
        }
        let rows = q.bind(limit).fetch_all(&self.pool).await?;
        rows.iter().map(|r| row(r, false)).collect()
    }

    /// Items saved before their publication time, which arrived in `(since, until]`.
    pub async fn news_due(&self, since: &str, until: &str) -> Result<Vec<NewsRow>, sqlx::Error> {
        let sql = format!(
            "SELECT {SUMMARY_COLS} {FROM} WHERE n.published_at > $1 AND n.published_at <= $2 \
             AND n.status = 'published' AND n.updated_at < n.published_at \
             ORDER BY n.published_at, n.id"
        );
        let rows = sqlx::query(&sql)
            .bind(since)
            .bind(until)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| row(r, false)).collect()
    }
}
