//! Communities: search, details and settings.

use hromada_api::{
    ErrorCode, FieldError, Hromada, HromadaSettings, HromadaSummary, Page, validate,
};

use crate::db::Db;
use crate::domain::accounts::Account;
use crate::domain::{cursor, paging, search};
use crate::error::{ApiError, ApiResult};

/// Bounds of the settings: the contract's (see [`hromada_api::petitions`]).
pub const SIGNATURES: std::ops::RangeInclusive<u32> =
    hromada_api::petitions::SIGNATURES_RANGE.0..=hromada_api::petitions::SIGNATURES_RANGE.1;
pub const DAYS: std::ops::RangeInclusive<u32> =
    hromada_api::petitions::DAYS_RANGE.0..=hromada_api::petitions::DAYS_RANGE.1;

/// `GET /hromadas` parameters, as given.
#[derive(Debug, Default)]
pub struct SearchParams<'a> {
    pub q: Option<&'a str>,
    pub oblast: Option<&'a str>,
    pub cursor: Option<&'a str>,
    pub limit: Option<&'a str>,
}

/// Searches communities by name, in Ukrainian alphabetical order.
pub async fn search(db: &Db, p: &SearchParams<'_>) -> ApiResult<Page<HromadaSummary>> {
    let limit = paging::limit(p.limit)?;
    let q = paging::query(p.q)?;
    let oblast = match p.oblast.map(str::trim).filter(|o| !o.is_empty()) {
        Some(o) if validate::is_katottg(o) => Some(o),
        Some(_) => {
            return Err(ApiError::BadParams(vec![FieldError::new(
                "oblast",
                ErrorCode::Invalid,
            )]));
        }
        None => None,
    };
    let after = match p.cursor {
        Some(c) => {
            let parts = cursor::decode(c, 2).ok_or_else(paging::bad_cursor)?;
            if !search::is_sort_key(&parts[0]) || !validate::is_katottg(&parts[1]) {
                return Err(paging::bad_cursor());
            }
            Some(parts)
        }
        None => None,
    };
    let pattern = q.as_deref().map(search::contains_pattern);
    let mut rows = db
        .search_hromadas(
            pattern.as_deref(),
            oblast,
            after.as_ref().map(|a| (a[0].as_str(), a[1].as_str())),
            limit + 1,
        )
        .await?;
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last()
            .map(|r| cursor::encode(&[&r.sort_key, &r.summary.katottg]))
    } else {
        None
    };
    Ok(Page {
        items: rows.into_iter().map(|r| r.summary).collect(),
        next_cursor,
    })
}

/// One community; 404 for unknown or malformed codes.
pub async fn get(db: &Db, katottg: &str) -> ApiResult<Hromada> {
    if !validate::is_katottg(katottg) {
        return Err(ApiError::NotFound);
    }
    db.hromada(katottg).await?.ok_or(ApiError::NotFound)
}

/// Changes a community's settings (administrators only).
pub async fn update_settings(
    db: &Db,
    actor: &Account,
    katottg: &str,
    s: &HromadaSettings,
) -> ApiResult<Hromada> {
    actor.require_admin()?;
    get(db, katottg).await?;
    let mut errors = Vec::new();
    if !SIGNATURES.contains(&s.petition_signatures) {
        errors.push(FieldError::new("petition_signatures", ErrorCode::Invalid));
    }
    if !DAYS.contains(&s.petition_days) {
        errors.push(FieldError::new("petition_days", ErrorCode::Invalid));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    db.update_hromada_settings(katottg, s).await?;
    get(db, katottg).await
}
