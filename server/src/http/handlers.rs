//! Request handlers: extract, call the domain, render. No rules live here.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hromada_api::{
    AdminUser, ChangePassword, Health, Hromada, HromadaSettings, HromadaSummary, LoginRequest, Me,
    Page, RegisterRequest, UpdateProfile, VerificationDecision, VerificationRequest, validate,
};
use serde::Deserialize;

use super::AppState;
use super::extract::{
    ApiJson, ApiPath, ApiQuery, Auth, ClientIp, IdempotencyKey, MaybeToken, SecureCookies,
    session_cookie, signed_in_cookie,
};
use crate::domain::{accounts, admin, hromadas, idempotency, verification};
use crate::error::{ApiError, ApiResult};

/// A response that starts (`Some(token)`) or ends (`None`) the session: its cookie and
/// the app's signed-in hint.
fn with_session(
    status: StatusCode,
    token: Option<&str>,
    secure: bool,
    body: Option<Me>,
) -> Response {
    let mut res = match body {
        Some(me) => (status, Json(me)).into_response(),
        None => status.into_response(),
    };
    for cookie in [
        session_cookie(token, secure),
        signed_in_cookie(token.is_some(), secure),
    ] {
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

/// `GET /health`.
pub async fn health(State(s): State<AppState>) -> Response {
    let up = s.db.ping().await;
    let body = Health {
        status: if up { "ok" } else { "unavailable" }.to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        database: s.db.backend().name().to_owned(),
    };
    if up {
        return (StatusCode::OK, Json(body)).into_response();
    }
    let retry = HeaderValue::from(crate::error::UNAVAILABLE_RETRY_AFTER_SECS);
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::RETRY_AFTER, retry)],
        Json(body),
    )
        .into_response()
}

/// Unknown paths under `/api/v1`.
pub async fn api_not_found() -> ApiError {
    ApiError::NotFound
}

/// `GET /hromadas` query.
#[derive(Debug, Deserialize)]
pub struct HromadaQuery {
    q: Option<String>,
    oblast: Option<String>,
    cursor: Option<String>,
    limit: Option<String>,
}

/// `GET /hromadas?q=&oblast=&cursor=&limit=`.
pub async fn search_hromadas(
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<HromadaQuery>,
) -> ApiResult<Json<Page<HromadaSummary>>> {
    let params = hromadas::SearchParams {
        q: q.q.as_deref(),
        oblast: q.oblast.as_deref(),
        cursor: q.cursor.as_deref(),
        limit: q.limit.as_deref(),
    };
    Ok(Json(hromadas::search(&s.db, &params).await?))
}

/// `GET /hromadas/{katottg}`.
pub async fn get_hromada(
    State(s): State<AppState>,
    ApiPath(k): ApiPath<String>,
) -> ApiResult<Json<Hromada>> {
    Ok(Json(hromadas::get(&s.db, &k).await?))
}

/// `PATCH /hromadas/{katottg}` (administrators).
pub async fn update_hromada(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(k): ApiPath<String>,
    ApiJson(settings): ApiJson<HromadaSettings>,
) -> ApiResult<Json<Hromada>> {
    Ok(Json(
        hromadas::update_settings(&s.db, &auth.account, &k, &settings).await?,
    ))
}

/// A list's paging query.
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    q: Option<String>,
    cursor: Option<String>,
    limit: Option<String>,
}

/// `GET /hromadas/{katottg}/verifications` (staff of that hromada, administrators).
pub async fn list_verifications(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(k): ApiPath<String>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<VerificationRequest>>> {
    let page = verification::list(
        &s.db,
        &auth.account,
        &k,
        q.cursor.as_deref(),
        q.limit.as_deref(),
    )
    .await?;
    Ok(Json(page))
}

/// `POST /hromadas/{katottg}/verifications/{user_id}` → 204.
pub async fn decide_verification(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath((k, user_id)): ApiPath<(String, String)>,
    ApiJson(d): ApiJson<VerificationDecision>,
) -> ApiResult<StatusCode> {
    verification::decide(&s.db, &auth.account, &k, &user_id, &d).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /auth/register` → 201 + `Me`, signed in. Honours `Idempotency-Key` per email.
pub async fn register(
    State(s): State<AppState>,
    headers: axum::http::HeaderMap,
    SecureCookies(secure): SecureCookies,
    ClientIp(ip): ClientIp,
    IdempotencyKey(key): IdempotencyKey,
    ApiJson(req): ApiJson<RegisterRequest>,
) -> ApiResult<Response> {
    let scope = format!("register:{}", validate::normalize_email(&req.email));
    let fp = idempotency::fingerprint(&req);
    let db = &s.db;
    let out = idempotency::run(db, &scope, key.as_deref(), &fp, || async {
        let mut account = accounts::register(db, &req, &ip).await?;
        // The language the app is shown in (its cookie) is the person's from the start,
        // so the confirmation link is in it.
        let cookies: Vec<&str> = headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        if super::first_view::locale_from_cookies(&cookies.join("; "))
            == hromada_views::i18n::Locale::en
        {
            db.set_language(&account.user.id, "en").await?;
            account.user.language = "en".to_owned();
        }
        crate::domain::recovery::send_confirmation(db, &s.outbound, &account.user).await?;
        Ok((201, account.me()))
    })
    .await?;
    // The fingerprint covers the password, so a replay proves it as a sign-in does.
    let token = accounts::start_session(db, &out.value.id).await?;
    let status = StatusCode::from_u16(out.status).unwrap_or(StatusCode::CREATED);
    Ok(with_session(status, Some(&token), secure, Some(out.value)))
}

/// `POST /auth/login` → `Me` with a fresh session (any old one is ended).
pub async fn login(
    State(s): State<AppState>,
    SecureCookies(secure): SecureCookies,
    ClientIp(ip): ClientIp,
    MaybeToken(old): MaybeToken,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<Response> {
    let account = accounts::login(&s.db, &req, &ip).await?;
    if let Some(old) = old {
        accounts::end_session(&s.db, &old).await?;
    }
    let token = accounts::start_session(&s.db, &account.user.id).await?;
    Ok(with_session(
        StatusCode::OK,
        Some(&token),
        secure,
        Some(account.me()),
    ))
}

/// `POST /auth/logout` → 204; the session is deleted on the server and the cookie cleared.
pub async fn logout(
    State(s): State<AppState>,
    SecureCookies(secure): SecureCookies,
    MaybeToken(token): MaybeToken,
) -> ApiResult<Response> {
    if let Some(t) = token {
        accounts::end_session(&s.db, &t).await?;
    }
    Ok(with_session(StatusCode::NO_CONTENT, None, secure, None))
}

/// `GET /me`.
pub async fn me(auth: Auth) -> Json<Me> {
    Json(auth.account.me())
}

/// `PATCH /me`.
pub async fn update_me(
    State(s): State<AppState>,
    auth: Auth,
    ApiJson(req): ApiJson<UpdateProfile>,
) -> ApiResult<Json<Me>> {
    Ok(Json(
        crate::domain::recovery::update_profile(&s.db, &s.outbound, &auth.account, &req)
            .await?
            .me(),
    ))
}

/// `POST /me/password` → 204; other sessions end.
pub async fn change_password(
    State(s): State<AppState>,
    auth: Auth,
    ApiJson(req): ApiJson<ChangePassword>,
) -> ApiResult<StatusCode> {
    accounts::change_password(&s.db, &auth.account, &req, &auth.token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /me/verification` → `Me` with verification pending.
pub async fn request_verification(State(s): State<AppState>, auth: Auth) -> ApiResult<Json<Me>> {
    Ok(Json(
        accounts::request_verification(&s.db, &auth.account)
            .await?
            .me(),
    ))
}

/// `GET /admin/users?q=&cursor=&limit=` (administrators).
pub async fn admin_users(
    State(s): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<AdminUser>>> {
    let page = admin::list_users(
        &s.db,
        &auth.account,
        q.q.as_deref(),
        q.cursor.as_deref(),
        q.limit.as_deref(),
    )
    .await?;
    Ok(Json(page))
}

/// `PUT /admin/users/{id}/staff/{katottg}` (administrators).
pub async fn grant_staff(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath((id, k)): ApiPath<(String, String)>,
) -> ApiResult<Json<AdminUser>> {
    Ok(Json(
        admin::set_staff(&s.db, &auth.account, &id, &k, true).await?,
    ))
}

/// `DELETE /admin/users/{id}/staff/{katottg}` (administrators).
pub async fn revoke_staff(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath((id, k)): ApiPath<(String, String)>,
) -> ApiResult<Json<AdminUser>> {
    Ok(Json(
        admin::set_staff(&s.db, &auth.account, &id, &k, false).await?,
    ))
}
