//! Accounts and sessions: sign-up, sign-in, sign-out, profile, password, and asking for
//! verification of residence.

use hromada_api::{
    AdminUser, ChangePassword, ErrorCode, FieldError, HromadaRef, LoginRequest, Me,
    RegisterRequest, UpdateProfile, Verification, validate,
};

use crate::db::{self, Db, NewUser, UserRow};
use crate::domain::{clock, ids, password, throttle};
use crate::error::{ApiError, ApiResult};

/// How long a session lasts, in seconds (30 days).
pub const SESSION_TTL_SECS: i64 = 30 * 24 * 60 * 60;

/// A signed-in person: the stored account and the hromadas it is staff of.
#[derive(Debug, Clone)]
pub struct Account {
    pub user: UserRow,
    pub staff_of: Vec<HromadaRef>,
}

fn verification(s: &str) -> Verification {
    match s {
        "pending" => Verification::Pending,
        "verified" => Verification::Verified,
        "refused" => Verification::Refused,
        _ => Verification::None,
    }
}

impl Account {
    /// Loads the staff roles of a stored account.
    pub async fn load(db: &Db, user: UserRow) -> ApiResult<Self> {
        let staff_of = db.staff_of(&user.id).await?;
        Ok(Self { user, staff_of })
    }

    /// The account with this id, if any.
    pub async fn by_id(db: &Db, id: &str) -> ApiResult<Option<Self>> {
        match db.user_by_id(id).await? {
            Some(u) => Ok(Some(Self::load(db, u).await?)),
            None => Ok(None),
        }
    }

    /// The person as `GET /me` shows them.
    pub fn me(&self) -> Me {
        let u = &self.user;
        Me {
            id: u.id.clone(),
            email: u.email.clone(),
            full_name: u.full_name.clone(),
            address: u.address.clone(),
            hromada: HromadaRef {
                katottg: u.hromada.clone(),
                name: u.hromada_name.clone(),
            },
            verification: verification(&u.verification),
            verification_note: u.verification_note.clone(),
            staff_of: self.staff_of.clone(),
            admin: u.is_admin,
            created_at: u.created_at.clone(),
            language: u.language.clone(),
            email_confirmed: u.email_confirmed_at.is_some(),
            email_failing: u.email_failing_at.is_some(),
            pending_email: u.pending_email.clone(),
        }
    }

    /// The account as an administrator sees it.
    pub fn admin_view(&self) -> AdminUser {
        let u = &self.user;
        AdminUser {
            id: u.id.clone(),
            email: u.email.clone(),
            full_name: u.full_name.clone(),
            hromada: HromadaRef {
                katottg: u.hromada.clone(),
                name: u.hromada_name.clone(),
            },
            verification: verification(&u.verification),
            staff_of: self.staff_of.clone(),
            admin: u.is_admin,
        }
    }

    /// Whether this person may act for `katottg`: its staff, or an administrator.
    pub fn may_manage(&self, katottg: &str) -> bool {
        self.user.is_admin || self.staff_of.iter().any(|h| h.katottg == katottg)
    }

    /// Requires the administrator flag.
    pub fn require_admin(&self) -> ApiResult<()> {
        if self.user.is_admin {
            Ok(())
        } else {
            Err(ApiError::Forbidden("Only an administrator may do this."))
        }
    }
}

/// Starts a session; returns the token for the cookie (only its hash is stored).
pub async fn start_session(db: &Db, user_id: &str) -> ApiResult<String> {
    let token = ids::new_token();
    let now = clock::now_millis();
    db.insert_session(
        &ids::sha256_hex(token.as_bytes()),
        user_id,
        &clock::rfc3339(now),
        &clock::rfc3339(now + SESSION_TTL_SECS * 1000),
    )
    .await?;
    Ok(token)
}

/// The account signed in with this session token, if the session is live.
pub async fn by_session(db: &Db, token: &str) -> ApiResult<Option<Account>> {
    if token.is_empty() || token.len() > 100 {
        return Ok(None);
    }
    let hash = ids::sha256_hex(token.as_bytes());
    match db.user_by_session(&hash, &clock::now_rfc3339()).await? {
        Some(u) => Ok(Some(Account::load(db, u).await?)),
        None => Ok(None),
    }
}

/// Ends the session with this token.
pub async fn end_session(db: &Db, token: &str) -> ApiResult<()> {
    db.delete_session(&ids::sha256_hex(token.as_bytes()))
        .await?;
    Ok(())
}

/// Checks that `katottg` names a community; pushes `unknown_hromada` if not.
async fn check_hromada_exists(
    db: &Db,
    field: &str,
    katottg: &str,
    out: &mut Vec<FieldError>,
) -> ApiResult<()> {
    if !out.iter().any(|e| e.field == field) && db.hromada_name(katottg.trim()).await?.is_none() {
        out.push(FieldError::new(field, ErrorCode::UnknownHromada));
    }
    Ok(())
}

/// Creates an account from a sign-up form sent from `client_ip`: 429 once that address
/// made [`throttle::SIGNUP_IP_LIMIT`] accounts within the last hour.
pub async fn register(db: &Db, r: &RegisterRequest, client_ip: &str) -> ApiResult<Account> {
    let now_ms = clock::now_millis();
    let since = clock::rfc3339(now_ms - throttle::SIGNUP_WINDOW_MS);
    let (n, oldest) = db.signups_by_ip_since(client_ip, &since).await?;
    throttle::submissions(
        n,
        oldest.as_deref(),
        now_ms,
        throttle::SIGNUP_IP_LIMIT,
        throttle::SIGNUP_WINDOW_MS,
    )?;
    let mut errors = validate::register(r);
    if !errors.iter().any(|e| e.field == "password") && password::is_common(&r.password) {
        errors.push(FieldError::new("password", ErrorCode::CommonPassword));
    }
    check_hromada_exists(db, "hromada", &r.hromada, &mut errors).await?;
    let email = validate::normalize_email(&r.email);
    if !errors.iter().any(|e| e.field == "email") && db.user_by_email(&email).await?.is_some() {
        errors.push(FieldError::new("email", ErrorCode::Taken));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let new = NewUser {
        id: ids::new_id(),
        email,
        password_hash: password::hash(r.password.clone()).await?,
        full_name: r.full_name.trim().to_owned(),
        address: r.address.trim().to_owned(),
        hromada: r.hromada.trim().to_owned(),
        created_at: clock::rfc3339(now_ms),
    };
    match db.insert_user(&new).await {
        Ok(()) => {}
        Err(e) if db::is_unique_violation(&e) => {
            return Err(ApiError::field("email", ErrorCode::Taken));
        }
        Err(e) => return Err(e.into()),
    }
    db.record_signup(client_ip, &new.created_at, &since).await?;
    let user = db
        .user_by_id(&new.id)
        .await?
        .ok_or_else(|| ApiError::Internal("new account vanished".into()))?;
    Account::load(db, user).await
}

/// Checks a sign-in. Throttled per email and per client address; the answer to wrong
/// credentials never says whether the email exists.
pub async fn login(db: &Db, r: &LoginRequest, client_ip: &str) -> ApiResult<Account> {
    let errors = validate::login(r);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let email = validate::normalize_email(&r.email);
    let now = clock::now_epoch();
    let since = throttle::window_start(now);
    let (n, oldest) = db.failures_by_email(&email, since).await?;
    let by_email = throttle::retry_after(n, oldest, now, throttle::EMAIL_LIMIT);
    let (n, oldest) = db.failures_by_ip(client_ip, since).await?;
    let by_ip = throttle::retry_after(n, oldest, now, throttle::IP_LIMIT);
    if let Some(retry_after) = by_email.max(by_ip) {
        return Err(ApiError::TooManyRequests { retry_after });
    }
    let user = db.user_by_email(&email).await?;
    let ok = password::verify(
        r.password.clone(),
        user.as_ref().map(|u| u.password_hash.clone()),
    )
    .await;
    match user {
        Some(user) if ok => {
            db.clear_failures(&email).await?;
            Account::load(db, user).await
        }
        _ => {
            db.record_failure(&email, client_ip, now, since).await?;
            Err(ApiError::Unauthorized(
                "The email or the password is not right.",
            ))
        }
    }
}

/// Changes name, address or hromada. A new hromada must exist and resets verification.
pub async fn update_profile(db: &Db, me: &Account, r: &UpdateProfile) -> ApiResult<Account> {
    let mut errors = validate::update_profile(r);
    if let Some(code) = &r.hromada {
        check_hromada_exists(db, "hromada", code, &mut errors).await?;
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let u = &me.user;
    let full_name = r
        .full_name
        .as_deref()
        .map(str::trim)
        .unwrap_or(&u.full_name);
    let address = r.address.as_deref().map(str::trim).unwrap_or(&u.address);
    let hromada = r.hromada.as_deref().map(str::trim).unwrap_or(&u.hromada);
    let moved = hromada != u.hromada;
    db.update_profile(&u.id, full_name, address, hromada, moved)
        .await?;
    reload(db, &u.id).await
}

/// Changes the password after checking the current one; ends every other session.
pub async fn change_password(
    db: &Db,
    me: &Account,
    r: &ChangePassword,
    current_token: &str,
) -> ApiResult<()> {
    let mut errors = validate::change_password(r);
    if !errors.iter().any(|e| e.field == "new_password") && password::is_common(&r.new_password) {
        errors.push(FieldError::new("new_password", ErrorCode::CommonPassword));
    }
    if !errors.iter().any(|e| e.field == "current_password")
        && !password::verify(
            r.current_password.clone(),
            Some(me.user.password_hash.clone()),
        )
        .await
    {
        errors.push(FieldError::new(
            "current_password",
            ErrorCode::WrongPassword,
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let hash = password::hash(r.new_password.clone()).await?;
    db.set_password_hash(&me.user.id, &hash).await?;
    db.delete_other_sessions(&me.user.id, &ids::sha256_hex(current_token.as_bytes()))
        .await?;
    Ok(())
}

/// Asks staff to verify residence. Idempotent while pending; 409 once verified.
pub async fn request_verification(db: &Db, me: &Account) -> ApiResult<Account> {
    if me.user.verification == "verified" {
        return Err(ApiError::Conflict("Your residence is already verified."));
    }
    db.request_verification(&me.user.id, &clock::now_rfc3339())
        .await?;
    reload(db, &me.user.id).await
}

async fn reload(db: &Db, id: &str) -> ApiResult<Account> {
    Account::by_id(db, id)
        .await?
        .ok_or(ApiError::Unauthorized("The account no longer exists."))
}
