//! Getting an account back and proving an email address: a reset link (32 random bytes,
//! only their hash kept, good once within an hour, void once the password changes), a
//! confirmation link for a new account or a new address, and the emails that carry them,
//! written in the transaction that makes the token.

use hromada_api::delivery::{Accepted, EmailConfirm, PasswordResetConfirm, PasswordResetRequest};
use hromada_api::{ErrorCode, FieldError, UpdateProfile, validate};

use crate::db::{Db, UserRow};
use crate::domain::accounts::{self, Account};
use crate::domain::messages::{self, Lang, MailParts};
use crate::domain::{clock, ids, password, throttle};
use crate::error::{ApiError, ApiResult};
use crate::outbound::{EmailRow, Outbound};

/// How long a reset link works.
pub const RESET_TTL_MS: i64 = 60 * 60 * 1000;
/// How long a confirmation link works.
pub const CONFIRM_TTL_MS: i64 = 7 * 24 * 60 * 60 * 1000;
/// Reset requests allowed per client address, and per email, within [`RESET_WINDOW_MS`].
pub const RESET_IP_LIMIT: i64 = 10;
pub const RESET_EMAIL_LIMIT: i64 = 3;
pub const RESET_WINDOW_MS: i64 = 60 * 60 * 1000;

/// `POST /auth/password-reset`: the same 202 whatever the address; a link goes only to
/// an address with an account. Rate-limited per client address and per email.
pub async fn request_reset(
    db: &Db,
    out: &Outbound,
    r: &PasswordResetRequest,
    ip: &str,
) -> ApiResult<Accepted> {
    let mut errors = Vec::new();
    validate::email("email", &r.email, &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let email = validate::normalize_email(&r.email);
    let now_ms = clock::now_millis();
    let now = clock::rfc3339(now_ms);
    let since = clock::rfc3339(now_ms - RESET_WINDOW_MS);
    let (by_ip, by_email) = db
        .count_reset_request(&ids::new_id(), ip, &email, &now, &since)
        .await?;
    if by_ip >= RESET_IP_LIMIT {
        return Err(ApiError::TooManyRequests {
            retry_after: (RESET_WINDOW_MS / 1000) as u64,
        });
    }
    // Over the limit per email: the same answer, and nothing more is sent.
    if by_email < RESET_EMAIL_LIMIT
        && let Some(user) = db.user_by_email(&email).await?
    {
        send_token(db, out, &user, "reset", &user.email, now_ms).await?;
    }
    Ok(Accepted { accepted: true })
}

/// Makes a token for `purpose` and writes the email carrying it, in one transaction.
async fn send_token(
    db: &Db,
    out: &Outbound,
    user: &UserRow,
    purpose: &str,
    to: &str,
    now_ms: i64,
) -> ApiResult<()> {
    let token = ids::new_token();
    let hash = ids::sha256_hex(token.as_bytes());
    let lang = Lang::parse(&user.language);
    let now = clock::rfc3339(now_ms);
    let (ttl, parts) = if purpose == "reset" {
        let link = format!("{}/reset-password?token={token}", out.public_url());
        (
            RESET_TTL_MS,
            MailParts {
                subject: messages::mail(lang, "reset_subject", &[]),
                greeting: Some(messages::mail(
                    lang,
                    "greeting",
                    &[("name", &user.full_name)],
                )),
                paragraphs: vec![messages::mail(lang, "reset_body", &[])],
                action: Some((messages::mail(lang, "reset_action", &[]), link)),
                note: Some(messages::mail(lang, "reset_ignore", &[])),
                ..MailParts::default()
            },
        )
    } else {
        let link = format!("{}/confirm-email?token={token}", out.public_url());
        (
            CONFIRM_TTL_MS,
            MailParts {
                subject: messages::mail(lang, "confirm_subject", &[]),
                greeting: Some(messages::mail(
                    lang,
                    "greeting",
                    &[("name", &user.full_name)],
                )),
                paragraphs: vec![messages::mail(lang, "confirm_body", &[])],
                action: Some((messages::mail(lang, "confirm_action", &[]), link)),
                ..MailParts::default()
            },
        )
    };
    let mail = messages::layout(lang, &parts);
    let sealed = out.seal(&mail, None);
    let id = ids::new_id();
    let dedup = format!("{purpose}:{hash}");
    let row = out.email_row(
        EmailRow {
            id: &id,
            kind: if purpose == "reset" {
                "password_reset"
            } else {
                "confirm_email"
            },
            to,
            user_id: Some(&user.id),
            appeal_id: None,
            dedup: &dedup,
            now: &now,
        },
        &sealed,
    );
    db.insert_token_with_email(
        &crate::db::TokenWrite {
            token_hash: &hash,
            user_id: &user.id,
            purpose,
            email: to,
            now: &now,
            expires_at: &clock::rfc3339(now_ms + ttl),
        },
        &row,
    )
    .await?;
    out.wake();
    Ok(())
}

fn bad_token() -> ApiError {
    let mut e = FieldError::new("token", ErrorCode::Invalid);
    e.message = "This link is used, expired or no longer valid; ask for a new one.".into();
    ApiError::Validation(vec![e])
}

/// `POST /auth/password-reset/confirm`: sets the password under sign-up's rules, ends
/// every session, voids every other link, and emails "your password was changed".
pub async fn confirm_reset(db: &Db, out: &Outbound, r: &PasswordResetConfirm) -> ApiResult<()> {
    let mut errors = Vec::new();
    validate::new_password("password", &r.password, &mut errors);
    if errors.is_empty() && password::is_common(&r.password) {
        errors.push(FieldError::new("password", ErrorCode::CommonPassword));
    }
    if r.token.is_empty() || r.token.len() > 100 {
        errors.push(FieldError::new("token", ErrorCode::Invalid));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let hash = ids::sha256_hex(r.token.as_bytes());
    let now_ms = clock::now_millis();
    let now = clock::rfc3339(now_ms);
    let Some((user_id, _)) = db.use_token(&hash, "reset", &now).await? else {
        return Err(bad_token());
    };
    let Some(user) = db.user_by_id(&user_id).await? else {
        return Err(bad_token());
    };
    let new_hash = password::hash(r.password.clone()).await?;
    let lang = Lang::parse(&user.language);
    let mail = messages::layout(
        lang,
        &MailParts {
            subject: messages::mail(lang, "changed_subject", &[]),
            greeting: Some(messages::mail(
                lang,
                "greeting",
                &[("name", &user.full_name)],
            )),
            paragraphs: vec![messages::mail(lang, "changed_body", &[])],
            action: Some((
                messages::mail(lang, "open", &[]),
                format!("{}/signin", out.public_url()),
            )),
            ..MailParts::default()
        },
    );
    let sealed = out.seal(&mail, None);
    let id = ids::new_id();
    let dedup = format!("changed:{hash}");
    let row = out.email_row(
        EmailRow {
            id: &id,
            kind: "password_changed",
            to: &user.email,
            user_id: Some(&user.id),
            appeal_id: None,
            dedup: &dedup,
            now: &now,
        },
        &sealed,
    );
    db.reset_password(&user.id, &new_hash, &row).await?;
    out.wake();
    Ok(())
}

/// Sends a confirmation link for the account's address (a new account, "Send again").
pub async fn send_confirmation(db: &Db, out: &Outbound, user: &UserRow) -> ApiResult<()> {
    send_token(db, out, user, "confirm", &user.email, clock::now_millis()).await
}

/// `POST /me/email-confirmation`: sends the link again (to the new address when one
/// waits); at most a few an hour.
pub async fn resend(db: &Db, out: &Outbound, me: &Account, ip: &str) -> ApiResult<Accepted> {
    let now_ms = clock::now_millis();
    let since = clock::rfc3339(now_ms - RESET_WINDOW_MS);
    let to = me
        .user
        .pending_email
        .clone()
        .unwrap_or_else(|| me.user.email.clone());
    let (_, by_email) = db
        .count_reset_request(
            &ids::new_id(),
            ip,
            &format!("confirm:{to}"),
            &clock::rfc3339(now_ms),
            &since,
        )
        .await?;
    throttle::submissions(by_email, None, now_ms, RESET_EMAIL_LIMIT, RESET_WINDOW_MS)?;
    if me.user.pending_email.is_none() && me.user.email_confirmed_at.is_some() {
        return Ok(Accepted { accepted: true });
    }
    send_token(db, out, &me.user, "confirm", &to, now_ms).await?;
    Ok(Accepted { accepted: true })
}

/// `POST /auth/email-confirmation`: confirms the address the link was sent to.
pub async fn confirm_email(db: &Db, r: &EmailConfirm) -> ApiResult<()> {
    if r.token.is_empty() || r.token.len() > 100 {
        return Err(bad_token());
    }
    let hash = ids::sha256_hex(r.token.as_bytes());
    let now = clock::now_rfc3339();
    let Some((user_id, email)) = db.use_token(&hash, "confirm", &now).await? else {
        return Err(bad_token());
    };
    if !db.confirm_email(&user_id, &email, &now).await? {
        return Err(ApiError::field("token", ErrorCode::Taken));
    }
    Ok(())
}

/// `PATCH /me` with `language` or `email`: the language of emails and pushes at once;
/// a new address waits for its confirmation. Other fields go to
/// [`accounts::update_profile`].
pub async fn update_profile(
    db: &Db,
    out: &Outbound,
    me: &Account,
    r: &UpdateProfile,
) -> ApiResult<Account> {
    let mut errors = validate::update_profile(r);
    let new_email = r
        .email
        .as_deref()
        .map(validate::normalize_email)
        .filter(|e| *e != me.user.email);
    if let Some(e) = &new_email
        && !errors.iter().any(|f| f.field == "email")
        && db.user_by_email(e).await?.is_some()
    {
        errors.push(FieldError::new("email", ErrorCode::Taken));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let mut account = accounts::update_profile(db, me, r).await?;
    if let Some(lang) = &r.language {
        db.set_language(&me.user.id, lang).await?;
    }
    if let Some(e) = &new_email {
        db.set_pending_email(&me.user.id, Some(e)).await?;
        let user = db
            .user_by_id(&me.user.id)
            .await?
            .ok_or(ApiError::NotFound)?;
        send_token(db, out, &user, "confirm", e, clock::now_millis()).await?;
    } else if r.email.is_some() {
        // Back to the current address: nothing waits any more.
        db.set_pending_email(&me.user.id, None).await?;
    }
    if r.language.is_some() || r.email.is_some() {
        account = Account::by_id(db, &me.user.id)
            .await?
            .ok_or(ApiError::NotFound)?;
    }
    Ok(account)
}
