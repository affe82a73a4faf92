//! What only administrators do: find accounts and grant or revoke the staff role.

use hromada_api::{AdminUser, Page, validate};

use crate::db::Db;
use crate::domain::accounts::Account;
use crate::domain::{clock, cursor, ids, paging, search};
use crate::error::{ApiError, ApiResult};

/// Accounts whose email or name contains `q`, by email.
pub async fn list_users(
    db: &Db,
    actor: &Account,
    q: Option<&str>,
    cursor_param: Option<&str>,
    limit: Option<&str>,
) -> ApiResult<Page<AdminUser>> {
    actor.require_admin()?;
    let limit = paging::limit(limit)?;
    let q = paging::query(q)?;
    let after = match cursor_param {
        Some(c) => Some(
            cursor::decode(c, 1)
                .ok_or_else(paging::bad_cursor)?
                .remove(0),
        ),
        None => None,
    };
    let pattern = q.as_deref().map(search::contains_pattern);
    let mut rows = db
        .search_users(pattern.as_deref(), after.as_deref(), limit + 1)
        .await?;
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|u| cursor::encode(&[&u.email]))
    } else {
        None
    };
    let mut items = Vec::with_capacity(rows.len());
    for u in rows {
        items.push(Account::load(db, u).await?.admin_view());
    }
    Ok(Page { items, next_cursor })
}

/// Grants (`grant = true`) or revokes the staff role of an account for a hromada.
pub async fn set_staff(
    db: &Db,
    actor: &Account,
    user_id: &str,
    katottg: &str,
    grant: bool,
) -> ApiResult<AdminUser> {
    actor.require_admin()?;
    if !ids::is_id(user_id)
        || !validate::is_katottg(katottg)
        || db.hromada_name(katottg).await?.is_none()
    {
        return Err(ApiError::NotFound);
    }
    if db.user_by_id(user_id).await?.is_none() {
        return Err(ApiError::NotFound);
    }
    if grant {
        db.grant_staff(user_id, katottg, &clock::now_rfc3339())
            .await?;
    } else {
        db.revoke_staff(user_id, katottg).await?;
    }
    Ok(Account::by_id(db, user_id)
        .await?
        .ok_or(ApiError::NotFound)?
        .admin_view())
}
