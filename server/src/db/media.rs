//! SQL for uploaded images.

use sqlx::Row;

use super::Db;

impl Db {
    /// Records an uploaded image.
    pub async fn insert_media(
        &self,
        id: &str,
        katottg: &str,
        sizes: &str,
        created_by: Option<&str>,
        now: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO media (id, katottg, sizes, created_by, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(katottg)
        .bind(sizes)
        .bind(created_by)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The sizes of an image uploaded to this hromada, if there is one.
    pub async fn media_sizes(
        &self,
        id: &str,
        katottg: &str,
    ) -> Result<Option<String>, sqlx::Error> {
        let r = sqlx::query("SELECT sizes FROM media WHERE id = $1 AND katottg = $2")
            .bind(id)
            .bind(katottg)
            .fetch_optional(&self.pool)
            .await?;
        r.map(|r| r.try_get("sizes")).transpose()
    }
}
