//! SQL for communities and their settings.

use hromada_api::{Hromada, HromadaSettings, HromadaSummary};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Db, get_bool, get_u32};

/// A search result with the key its page is ordered by.
#[derive(Debug, Clone)]
pub struct HromadaRow {
    pub summary: HromadaSummary,
    pub sort_key: String,
}

const FULL: &str = "SELECT katottg, name, raion, oblast, oblast_katottg, settlements, cities, \
                    petition_signatures, petition_days, petition_verified_only FROM hromadas";

fn full(row: &AnyRow) -> Result<Hromada, sqlx::Error> {
    Ok(Hromada {
        katottg: row.try_get("katottg")?,
        name: row.try_get("name")?,
        raion: row.try_get("raion")?,
        oblast: row.try_get("oblast")?,
        oblast_katottg: row.try_get("oblast_katottg")?,
        settlements: get_u32(row, "settlements")?,
        cities: get_u32(row, "cities")?,
        settings: HromadaSettings {
            petition_signatures: get_u32(row, "petition_signatures")?,
            petition_days: get_u32(row, "petition_days")?,
            petition_verified_only: get_bool(row, "petition_verified_only")?,
        },
    })
}

impl Db {
    /// How many communities are loaded.
    pub async fn hromada_count(&self) -> Result<i64, sqlx::Error> {
        sqlx::query("SELECT COUNT(*) AS n FROM hromadas")
            .fetch_one(&self.pool)
            .await?
            .try_get("n")
    }

    /// Communities whose search name contains `pattern` (a `LIKE` pattern with `\`
    /// escapes), optionally in one oblast, after the keyset `after`, in sort-key order.
    pub async fn search_hromadas(
        &self,
        pattern: Option<&str>,
        oblast: Option<&str>,
        after: Option<(&str, &str)>,
        limit: i64,
    ) -> Result<Vec<HromadaRow>, sqlx::Error> {
        let mut sql =
            String::from("SELECT katottg, name, raion, oblast, sort_key FROM hromadas WHERE 1 = 1");
        let mut args: Vec<&str> = Vec::new();
        if let Some(p) = pattern {
            args.push(p);
            sql.push_str(&format!(
                " AND search_name LIKE ${} ESCAPE '\\'",
                args.len()
            ));
        }
        if let Some(o) = oblast {
            args.push(o);
            sql.push_str(&format!(" AND oblast_katottg = ${}", args.len()));
        }
        if let Some((key, code)) = after {
            args.push(key);
            let k = args.len();
            args.push(code);
            let c = args.len();
            sql.push_str(&format!(
                " AND (sort_key > ${k} OR (sort_key = ${k} AND katottg > ${c}))"
            ));
        }
        sql.push_str(&format!(
            " ORDER BY sort_key, katottg LIMIT ${}",
            args.len() + 1
        ));
        let mut q = sqlx::query(&sql);
        for a in args {
            q = q.bind(a);
        }
        let rows = q.bind(limit).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                Ok(HromadaRow {
                    summary: HromadaSummary {
                        katottg: row.try_get("katottg")?,
                        name: row.try_get("name")?,
                        raion: row.try_get("raion")?,
                        oblast: row.try_get("oblast")?,
                    },
                    sort_key: row.try_get("sort_key")?,
                })
            })
            .collect()
    }

    /// One community with its settings.
    pub async fn hromada(&self, katottg: &str) -> Result<Option<Hromada>, sqlx::Error> {
        let sql = format!("{FULL} WHERE katottg = $1");
        let row = sqlx::query(&sql)
            .bind(katottg)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(full).transpose()
    }

    /// The name of a community, if the code exists.
    pub async fn hromada_name(&self, katottg: &str) -> Result<Option<String>, sqlx::Error> {
        let row = sqlx::query("SELECT name FROM hromadas WHERE katottg = $1")
            .bind(katottg)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| r.try_get("name")).transpose()
    }

    /// Replaces a community's settings; `false` if there is no such community.
    pub async fn update_hromada_settings(
        &self,
        katottg: &str,
        s: &HromadaSettings,
    ) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(
            "UPDATE hromadas SET petition_signatures = $1, petition_days = $2, \
             petition_verified_only = $3 WHERE katottg = $4",
        )
        .bind(i64::from(s.petition_signatures))
        .bind(i64::from(s.petition_days))
        .bind(i64::from(s.petition_verified_only))
        .bind(katottg)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}
