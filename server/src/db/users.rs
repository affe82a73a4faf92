//! SQL for accounts, staff roles and verification of residence.

use hromada_api::HromadaRef;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Db, get_bool};

/// An account as stored, with its hromada's name.
#[derive(Debug, Clone)]
pub struct UserRow {
    pub id: String,
    pub email: String,
    pub password_hash: String,
    pub full_name: String,
    pub address: String,
    pub hromada: String,
    pub hromada_name: String,
    /// `none`, `pending`, `verified` or `refused` (a CHECK keeps it so).
    pub verification: String,
    pub verification_note: Option<String>,
    pub verification_requested_at: Option<String>,
    pub is_admin: bool,
    pub created_at: String,
    /// `uk` or `en`.
    pub language: String,
    pub email_confirmed_at: Option<String>,
    pub email_failing_at: Option<String>,
    pub pending_email: Option<String>,
    /// `immediately`, `daily` or `never`.
    pub email_frequency: String,
}

/// A new account.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub id: String,
    pub email: String,
    pub password_hash: String,
    pub full_name: String,
    pub address: String,
    pub hromada: String,
    pub created_at: String,
}

const SELECT: &str = "SELECT u.id, u.email, u.password_hash, u.full_name, u.address, u.hromada, \
     h.name AS hromada_name, u.verification, u.verification_note, u.verification_requested_at, \
     u.is_admin, u.created_at, u.language, u.email_confirmed_at, u.email_failing_at, \
     u.pending_email, u.email_frequency FROM users u JOIN hromadas h ON h.katottg = u.hromada";

fn user(row: &AnyRow) -> Result<UserRow, sqlx::Error> {
    Ok(UserRow {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        password_hash: row.try_get("password_hash")?,
        full_name: row.try_get("full_name")?,
        address: row.try_get("address")?,
        hromada: row.try_get("hromada")?,
        hromada_name: row.try_get("hromada_name")?,
        verification: row.try_get("verification")?,
        verification_note: row.try_get("verification_note")?,
        verification_requested_at: row.try_get("verification_requested_at")?,
        is_admin: get_bool(row, "is_admin")?,
        created_at: row.try_get("created_at")?,
        language: row.try_get("language")?,
        email_confirmed_at: row.try_get("email_confirmed_at")?,
        email_failing_at: row.try_get("email_failing_at")?,
        pending_email: row.try_get("pending_email")?,
        email_frequency: row.try_get("email_frequency")?,
    })
}

/// Lower-case text the administrator's search looks in.
fn search_text(email: &str, full_name: &str) -> String {
    format!("{} {}", email, crate::domain::search::normalize(full_name))
}

impl Db {
    /// The account with this id.
    pub async fn user_by_id(&self, id: &str) -> Result<Option<UserRow>, sqlx::Error> {
        let sql = format!("{SELECT} WHERE u.id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(user).transpose()
    }

    /// The account with this (normalised) email.
    pub async fn user_by_email(&self, email: &str) -> Result<Option<UserRow>, sqlx::Error> {
        let sql = format!("{SELECT} WHERE u.email = $1");
        let row = sqlx::query(&sql)
            .bind(email)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(user).transpose()
    }

    /// The account signed in with the session whose token hashes to `token_hash`, if the
    /// session has not expired by `now`.
    pub async fn user_by_session(
        &self,
        token_hash: &str,
        now: &str,
    ) -> Result<Option<UserRow>, sqlx::Error> {
        let sql = format!(
            "{SELECT} JOIN sessions s ON s.user_id = u.id WHERE s.token_hash = $1 AND s.expires_at > $2"
        );
        let row = sqlx::query(&sql)
            .bind(token_hash)
            .bind(now)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(user).transpose()
    }

    /// Creates an account (fails with a unique violation if the email is taken).
    pub async fn insert_user(&self, u: &NewUser) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO users (id, email, password_hash, full_name, search_text, address, hromada, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&u.id)
        .bind(&u.email)
        .bind(&u.password_hash)
        .bind(&u.full_name)
        .bind(search_text(&u.email, &u.full_name))
        .bind(&u.address)
        .bind(&u.hromada)
        .bind(&u.created_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Writes name, address and hromada; a new hromada resets verification.
    pub async fn update_profile(
        &self,
        id: &str,
        full_name: &str,
        address: &str,
        hromada: &str,
        reset_verification: bool,
    ) -> Result<(), sqlx::Error> {
        let email: String = sqlx::query("SELECT email FROM users WHERE id = $1")
            .bind(id)
            .fetch_one(&self.pool)
            .await?
            .try_get("email")?;
        let reset = if reset_verification {
            ", verification = 'none', verification_note = NULL, verification_requested_at = NULL"
        } else {
            ""
        };
        let sql = format!(
            "UPDATE users SET full_name = $1, search_text = $2, address = $3, hromada = $4{reset} WHERE id = $5"
        );
        sqlx::query(&sql)
            .bind(full_name)
            .bind(search_text(&email, full_name))
            .bind(address)
            .bind(hromada)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Replaces a password hash.
    /// Every reset link sent before is void from then on.
    pub async fn set_password_hash(&self, id: &str, hash: &str) -> Result<(), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM account_tokens WHERE user_id = $1 AND purpose = 'reset'")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    }

    /// Takes every address as confirmed (the demo accounts).
    pub async fn confirm_all_emails(&self) -> Result<u64, sqlx::Error> {
        Ok(sqlx::query(
            "UPDATE users SET email_confirmed_at = created_at WHERE email_confirmed_at IS NULL",
        )
        .execute(&self.pool)
        .await?
        .rows_affected())
    }

    /// Creates many verified residents at once, in one transaction (generated demo
    /// signers, benchmarks); emails already taken are skipped. Returns how many were made.
    pub async fn insert_verified_users(&self, users: &[NewUser]) -> Result<u64, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let mut made = 0;
        for u in users {
            made += sqlx::query(
                "INSERT INTO users (id, email, password_hash, full_name, search_text, address, \
                 hromada, verification, verification_requested_at, created_at, email_confirmed_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 'verified', $8, $8, $8) \
                 ON CONFLICT (email) DO NOTHING",
            )
            .bind(&u.id)
            .bind(&u.email)
            .bind(&u.password_hash)
            .bind(&u.full_name)
            .bind(search_text(&u.email, &u.full_name))
            .bind(&u.address)
            .bind(&u.hromada)
            .bind(&u.created_at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        }
        tx.commit().await?;
        Ok(made)
    }

    /// Makes an account an administrator (or not).
    pub async fn set_admin(&self, id: &str, admin: bool) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE users SET is_admin = $1 WHERE id = $2")
            .bind(i64::from(admin))
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Marks a request for verification, unless one is pending or the person is verified.
    /// Returns whether anything changed.
    pub async fn request_verification(&self, id: &str, now: &str) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(
            "UPDATE users SET verification = 'pending', verification_requested_at = $1, \
             verification_note = NULL WHERE id = $2 AND verification IN ('none', 'refused')",
        )
        .bind(now)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records staff's decision on a pending request of a resident of `katottg`.
    /// Returns `false` if there is no such pending request.
    pub async fn decide_verification(
        &self,
        katottg: &str,
        user_id: &str,
        verified: bool,
        note: Option<&str>,
    ) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(
            "UPDATE users SET verification = $1, verification_note = $2 \
             WHERE id = $3 AND hromada = $4 AND verification = 'pending'",
        )
        .bind(if verified { "verified" } else { "refused" })
        .bind(note)
        .bind(user_id)
        .bind(katottg)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Residents of `katottg` waiting for verification, oldest first, after the keyset
    /// `(requested_at, id)`.
    pub async fn pending_verifications(
        &self,
        katottg: &str,
        after: Option<(&str, &str)>,
        limit: i64,
    ) -> Result<Vec<UserRow>, sqlx::Error> {
        let mut sql = format!("{SELECT} WHERE u.hromada = $1 AND u.verification = 'pending'");
        if after.is_some() {
            sql.push_str(
                " AND (u.verification_requested_at > $2 OR (u.verification_requested_at = $2 AND u.id > $3))",
            );
            sql.push_str(" ORDER BY u.verification_requested_at, u.id LIMIT $4");
        } else {
            sql.push_str(" ORDER BY u.verification_requested_at, u.id LIMIT $2");
        }
        let mut q = sqlx::query(&sql).bind(katottg);
        if let Some((at, id)) = after {
            q = q.bind(at).bind(id);
        }
        let rows = q.bind(limit).fetch_all(&self.pool).await?;
        rows.iter().map(user).collect()
    }

    /// Accounts whose email or name contains `pattern` (a `LIKE` pattern), by email,
    /// after the email `after`.
    pub async fn search_users(
        &self,
        pattern: Option<&str>,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<UserRow>, sqlx::Error> {
        let mut sql = format!("{SELECT} WHERE 1 = 1");
        let mut args: Vec<&str> = Vec::new();
        if let Some(p) = pattern {
            args.push(p);
            sql.push_str(&format!(
                " AND u.search_text LIKE ${} ESCAPE '\\'",
                args.len()
            ));
        }
        if let Some(a) = after {
            args.push(a);
            sql.push_str(&format!(" AND u.email > ${}", args.len()));
        }
        sql.push_str(&format!(" ORDER BY u.email LIMIT ${}", args.len() + 1));
        let mut q = sqlx::query(&sql);
        for a in args {
            q = q.bind(a);
        }
        let rows = q.bind(limit).fetch_all(&self.pool).await?;
        rows.iter().map(user).collect()
    }

    /// The hromadas an account is staff of, by name.
    pub async fn staff_of(&self, user_id: &str) -> Result<Vec<HromadaRef>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT h.katottg, h.name FROM staff s JOIN hromadas h ON h.katottg = s.katottg \
             WHERE s.user_id = $1 ORDER BY h.sort_key, h.katottg",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(HromadaRef {
                    katottg: r.try_get("katottg")?,
                    name: r.try_get("name")?,
                })
            })
            .collect()
    }

    /// Whether an account is staff of `katottg`.
    pub async fn is_staff(&self, user_id: &str, katottg: &str) -> Result<bool, sqlx::Error> {
        let row =
            sqlx::query("SELECT COUNT(*) AS n FROM staff WHERE user_id = $1 AND katottg = $2")
                .bind(user_id)
                .bind(katottg)
                .fetch_one(&self.pool)
                .await?;
        Ok(row.try_get::<i64, _>("n")? > 0)
    }

    /// Grants the staff role (idempotent).
    pub async fn grant_staff(
        &self,
        user_id: &str,
        katottg: &str,
        now: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO staff (user_id, katottg, granted_at) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, katottg) DO NOTHING",
        )
        .bind(user_id)
        .bind(katottg)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Revokes the staff role (idempotent).
    pub async fn revoke_staff(&self, user_id: &str, katottg: &str) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM staff WHERE user_id = $1 AND katottg = $2")
            .bind(user_id)
            .bind(katottg)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// How many accounts exist.
    pub async fn user_count(&self) -> Result<i64, sqlx::Error> {
        sqlx::query("SELECT COUNT(*) AS n FROM users")
            .fetch_one(&self.pool)
            .await?
            .try_get("n")
    }
}
