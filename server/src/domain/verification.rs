//! Verification of residence: staff of a hromada (or an administrator) list the residents
//! who asked and verify or refuse them, only in their own hromada.

use hromada_api::{
    ErrorCode, FieldError, Page, VerificationDecision, VerificationRequest, validate,
};

use crate::db::Db;
use crate::domain::accounts::Account;
use crate::domain::{cursor, ids, paging};
use crate::error::{ApiError, ApiResult};

fn check_access(db_known: bool, actor: &Account, katottg: &str) -> ApiResult<()> {
    if !db_known {
        return Err(ApiError::NotFound);
    }
    if actor.may_manage(katottg) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "Only staff of this hromada may do this.",
        ))
    }
}

async fn hromada_known(db: &Db, katottg: &str) -> ApiResult<bool> {
    Ok(validate::is_katottg(katottg) && db.hromada_name(katottg).await?.is_some())
}

/// Pending requests of a hromada, oldest first.
pub async fn list(
    db: &Db,
    actor: &Account,
    katottg: &str,
    cursor_param: Option<&str>,
    limit: Option<&str>,
) -> ApiResult<Page<VerificationRequest>> {
    check_access(hromada_known(db, katottg).await?, actor, katottg)?;
    let limit = paging::limit(limit)?;
    let after = match cursor_param {
        Some(c) => {
            let parts = cursor::decode(c, 2).ok_or_else(paging::bad_cursor)?;
            if parts[0].len() != 24 || !ids::is_id(&parts[1]) {
                return Err(paging::bad_cursor());
            }
            Some(parts)
        }
        None => None,
    };
    let mut rows = db
        .pending_verifications(
            katottg,
            after.as_ref().map(|a| (a[0].as_str(), a[1].as_str())),
            limit + 1,
        )
        .await?;
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last()
            .map(|u| cursor::encode(&[u.verification_requested_at.as_deref().unwrap_or(""), &u.id]))
    } else {
        None
    };
    Ok(Page {
        items: rows
            .into_iter()
            .map(|u| VerificationRequest {
                requested_at: u.verification_requested_at.unwrap_or_default(),
                user_id: u.id,
                full_name: u.full_name,
                email: u.email,
                address: u.address,
            })
            .collect(),
        next_cursor,
    })
}

/// Verifies or refuses a pending request. 404 unless the person is a resident of this
/// hromada with a pending request.
pub async fn decide(
    db: &Db,
    actor: &Account,
    katottg: &str,
    user_id: &str,
    d: &VerificationDecision,
) -> ApiResult<()> {
    check_access(hromada_known(db, katottg).await?, actor, katottg)?;
    if !ids::is_id(user_id) {
        return Err(ApiError::NotFound);
    }
    // A note matters only when refusing; it may span lines.
    let note = if d.verify {
        None
    } else {
        d.note.as_deref().map(str::trim).filter(|n| !n.is_empty())
    };
    if let Some(n) = note {
        let bad = n
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'));
        let code = if n.chars().count() > validate::NOTE_MAX {
            Some(ErrorCode::TooLong)
        } else if bad {
            Some(ErrorCode::Invalid)
        } else {
            None
        };
        if let Some(code) = code {
            return Err(ApiError::Validation(vec![FieldError::new("note", code)]));
        }
    }
    if db
        .decide_verification(katottg, user_id, d.verify, note)
        .await?
    {
        Ok(())
    } else {
        Err(ApiError::NotFound)
    }
}
