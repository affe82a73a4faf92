//! Urgent alerts of a hromada: issued, edited and ended by its staff; they end by
//! themselves at their expiry.

use hromada_api::news::{ALERT_AREA_MAX, ALERT_TEXT_MAX, Alert, AlertDraft, LiveEvent, Severity};
use hromada_api::{ErrorCode, FieldError, Page};

use crate::db::{AlertWrite, Db};
use crate::domain::accounts::Account;
use crate::domain::live::Live;
use crate::domain::news::{require_hromada, require_staff};
use crate::domain::{clock, cursor, ids, paging};
use crate::error::{ApiError, ApiResult};

/// Whether an alert is in force at `now`.
pub fn is_active(a: &Alert, now: &str) -> bool {
    a.ended_at.is_none() && a.starts_at.as_str() <= now && now < a.expires_at.as_str()
}

#[derive(Debug)]
struct Checked {
    severity: Severity,
    text: String,
    area: Option<String>,
    starts_at: String,
    expires_at: String,
}

fn check(d: &AlertDraft, now_ms: i64) -> ApiResult<Checked> {
    let mut errors = Vec::new();
    let severity = match d.severity.trim() {
        "info" => Some(Severity::Info),
        "warning" => Some(Severity::Warning),
        "danger" => Some(Severity::Danger),
        "" => {
            errors.push(FieldError::new("severity", ErrorCode::Required));
            None
        }
        _ => {
            errors.push(FieldError::new("severity", ErrorCode::Invalid));
            None
        }
    };
    let text = d.text.trim();
    let bad = |s: &str| {
        s.chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    };
    if text.is_empty() {
        errors.push(FieldError::new("text", ErrorCode::Required));
    } else if text.chars().count() > ALERT_TEXT_MAX {
        errors.push(FieldError::new("text", ErrorCode::TooLong));
    } else if bad(text) {
        errors.push(FieldError::new("text", ErrorCode::Invalid));
    }
    let area = d.area.as_deref().map(str::trim).filter(|a| !a.is_empty());
    if let Some(a) = area {
        if a.chars().count() > ALERT_AREA_MAX {
            errors.push(FieldError::new("area", ErrorCode::TooLong));
        } else if a.chars().any(char::is_control) {
            errors.push(FieldError::new("area", ErrorCode::Invalid));
        }
    }
    let starts = match d
        .starts_at
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => Some(now_ms),
        Some(s) => {
            let t = clock::parse_rfc3339(s);
            if t.is_none() {
                errors.push(FieldError::new("starts_at", ErrorCode::Invalid));
            }
            t
        }
    };
    let expires = match d.expires_at.trim() {
        "" => {
            errors.push(FieldError::new("expires_at", ErrorCode::Required));
            None
        }
        s => {
            let t = clock::parse_rfc3339(s);
            if t.is_none() {
                errors.push(FieldError::new("expires_at", ErrorCode::Invalid));
            }
            t
        }
    };
    if let (Some(s), Some(e)) = (starts, expires) {
        if e <= s {
            errors.push(FieldError::new("expires_at", ErrorCode::BeforeStart));
        } else if e <= now_ms {
            let mut fe = FieldError::new("expires_at", ErrorCode::Invalid);
            fe.message = "The expiry must be in the future.".into();
            errors.push(fe);
        }
    }
    match (severity, starts, expires) {
        (Some(severity), Some(s), Some(e)) if errors.is_empty() => Ok(Checked {
            severity,
            text: text.to_owned(),
            area: area.map(str::to_owned),
            starts_at: clock::rfc3339(s),
            expires_at: clock::rfc3339(e),
        }),
        _ => Err(ApiError::Validation(errors)),
    }
}

fn write<'a>(c: &'a Checked, now: &'a str) -> AlertWrite<'a> {
    AlertWrite {
        severity: c.severity,
        text: &c.text,
        area: c.area.as_deref(),
        starts_at: &c.starts_at,
        expires_at: &c.expires_at,
        updated_at: now,
    }
}

/// `POST /hromadas/{katottg}/alerts`.
pub async fn create(
    db: &Db,
    live: &Live,
    actor: &Account,
    katottg: &str,
    d: &AlertDraft,
) -> ApiResult<Alert> {
    require_staff(db, actor, katottg).await?;
    let now_ms = clock::now_millis();
    let now = clock::rfc3339(now_ms);
    let c = check(d, now_ms)?;
    let id = ids::new_id();
    db.insert_alert(&id, katottg, Some(&actor.user.id), &write(&c, &now))
        .await?;
    let a = db.alert(&id).await?.ok_or(ApiError::NotFound)?;
    if is_active(&a, &now) {
        live.publish(katottg, LiveEvent::Alert(a.clone()));
    }
    Ok(a)
}

/// Loads an alert for its hromada's staff: 404 if it does not exist or is not in force
/// (not started yet, ended, expired: only its staff see it) and the actor is not its
/// staff; 403 if it is in force and the actor is not its staff.
async fn load_for_staff(db: &Db, actor: &Account, id: &str) -> ApiResult<Alert> {
    if !ids::is_id(id) {
        return Err(ApiError::NotFound);
    }
    let a = db.alert(id).await?.ok_or(ApiError::NotFound)?;
    if !actor.may_manage(&a.katottg) {
        if !is_active(&a, &clock::now_rfc3339()) {
            return Err(ApiError::NotFound);
        }
        return Err(ApiError::Forbidden(
            "Only staff of this hromada may do this.",
        ));
    }
    Ok(a)
}

/// `PUT /alerts/{id}`: 409 once it has ended.
pub async fn update(
    db: &Db,
    live: &Live,
    actor: &Account,
    id: &str,
    d: &AlertDraft,
) -> ApiResult<Alert> {
    let before = load_for_staff(db, actor, id).await?;
    let now_ms = clock::now_millis();
    let now = clock::rfc3339(now_ms);
    if before.ended_at.is_some() || before.expires_at.as_str() <= now.as_str() {
        return Err(ApiError::Conflict("This alert has ended."));
    }
    let c = check(d, now_ms)?;
    db.update_alert(id, &write(&c, &now)).await?;
    let a = db.alert(id).await?.ok_or(ApiError::NotFound)?;
    if is_active(&a, &now) {
        live.publish(&a.katottg, LiveEvent::Alert(a.clone()));
    } else if is_active(&before, &now) {
        live.publish(&a.katottg, LiveEvent::AlertEnded { id: a.id.clone() });
    }
    Ok(a)
}

/// `POST /alerts/{id}/end`: ends it now (ending an ended alert changes nothing).
pub async fn end(db: &Db, live: &Live, actor: &Account, id: &str) -> ApiResult<Alert> {
    let before = load_for_staff(db, actor, id).await?;
    let now = clock::now_rfc3339();
    if before.ended_at.is_none() && db.end_alert(id, &now).await? && is_active(&before, &now) {
        live.publish(
            &before.katottg,
            LiveEvent::AlertEnded {
                id: before.id.clone(),
            },
        );
    }
    db.alert(id).await?.ok_or(ApiError::NotFound)
}

/// `GET /hromadas/{katottg}/alerts`: active alerts, most severe first, then newest;
/// with `all`, also ended, expired and future ones (its staff only).
pub async fn list(
    db: &Db,
    viewer: Option<&Account>,
    katottg: &str,
    all: Option<&str>,
    cursor_param: Option<&str>,
    limit: Option<&str>,
) -> ApiResult<Page<Alert>> {
    require_hromada(db, katottg).await?;
    let limit = paging::limit(limit)?;
    let all = match all.map(str::trim) {
        None | Some("" | "0" | "false") => false,
        Some("1" | "true") => match viewer {
            None => return Err(ApiError::Unauthorized("Sign in first.")),
            Some(a) if a.may_manage(katottg) => true,
            Some(_) => {
                return Err(ApiError::Forbidden(
                    "Only staff of this hromada see every alert.",
                ));
            }
        },
        Some(_) => {
            return Err(ApiError::BadParams(vec![FieldError::new(
                "all",
                ErrorCode::Invalid,
            )]));
        }
    };
    let after = match cursor_param {
        Some(c) => {
            let parts = cursor::decode(c, 3).ok_or_else(paging::bad_cursor)?;
            let rank: i64 = parts[0].parse().map_err(|_| paging::bad_cursor())?;
            if !(1..=3).contains(&rank)
                || clock::parse_rfc3339(&parts[1]).is_none()
                || !ids::is_id(&parts[2])
            {
                return Err(paging::bad_cursor());
            }
            Some((rank, parts))
        }
        None => None,
    };
    let now = clock::now_rfc3339();
    let mut rows = db
        .alerts(
            katottg,
            (!all).then_some(now.as_str()),
            after
                .as_ref()
                .map(|(r, p)| (*r, p[1].as_str(), p[2].as_str())),
            limit + 1,
        )
        .await?;
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last()
            .map(|(_, (r, s, i))| cursor::encode(&[&r.to_string(), s, i]))
    } else {
        None
    };
    Ok(Page {
        items: rows.into_iter().map(|(a, _)| a).collect(),
        next_cursor,
    })
}

/// Stores an alert as given (demo content).
pub async fn seed(db: &Db, katottg: &str, d: &AlertDraft) -> ApiResult<Alert> {
    let now_ms = clock::now_millis();
    let now = clock::rfc3339(now_ms);
    let c = check(d, now_ms)?;
    let id = ids::new_id();
    db.insert_alert(&id, katottg, None, &write(&c, &now))
        .await?;
    db.alert(&id).await?.ok_or(ApiError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(sev: &str, text: &str, starts: Option<&str>, expires: &str) -> AlertDraft {
        AlertDraft {
            severity: sev.into(),
            text: text.into(),
            area: None,
            starts_at: starts.map(Into::into),
            expires_at: expires.into(),
        }
    }

    fn codes(e: ApiError) -> Vec<(String, ErrorCode)> {
        match e {
            ApiError::Validation(v) => v.into_iter().map(|f| (f.field, f.code)).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn validation() {
        let now = clock::parse_rfc3339("2026-03-01T00:00:00Z").unwrap();
        assert!(
            check(
                &draft("danger", "Тривога", None, "2026-03-01T01:00:00Z"),
                now
            )
            .is_ok()
        );
        let e = check(
            &draft(
                "loud",
                "",
                Some("2026-03-02T00:00:00Z"),
                "2026-03-01T12:00:00Z",
            ),
            now,
        )
        .unwrap_err();
        assert_eq!(
            codes(e),
            vec![
                ("severity".into(), ErrorCode::Invalid),
                ("text".into(), ErrorCode::Required),
                ("expires_at".into(), ErrorCode::BeforeStart),
            ]
        );
        let e = check(&draft("info", "x", None, "yesterday"), now).unwrap_err();
        assert_eq!(codes(e), vec![("expires_at".into(), ErrorCode::Invalid)]);
        let e = check(
            &draft(
                "info",
                "x",
                Some("2026-02-01T00:00:00Z"),
                "2026-02-02T00:00:00Z",
            ),
            now,
        )
        .unwrap_err();
        assert_eq!(codes(e), vec![("expires_at".into(), ErrorCode::Invalid)]);
        let e = check(
            &draft("info", &"я".repeat(1001), None, "2026-03-02T00:00:00Z"),
            now,
        )
        .unwrap_err();
        assert_eq!(codes(e), vec![("text".into(), ErrorCode::TooLong)]);
    }
}
