//! Handlers of push devices, alert subscriptions, notification settings, the one-click
//! unsubscribe, account recovery, email confirmation and the appeal's delivery log.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hromada_api::Page;
use hromada_api::delivery::{
    Accepted, AlertUnsubscribe, Delivery, EmailConfirm, NotificationSettings, PasswordResetConfirm,
    PasswordResetRequest, PushDevice, PushKey, PushSubscriptionJson, Unsubscribe,
};

use super::AppState;
use super::extract::{ApiJson, ApiPath, Auth, ClientIp, MaybeAuth};
use crate::domain::{devices, recovery};
use crate::error::ApiResult;

/// `GET /push/key`.
pub async fn push_key(State(s): State<AppState>) -> Json<PushKey> {
    Json(PushKey {
        public_key: s.outbound.public_key().to_owned(),
    })
}

/// `POST /me/push-subscriptions` → 201.
pub async fn add_device(
    State(s): State<AppState>,
    auth: Auth,
    ApiJson(req): ApiJson<PushSubscriptionJson>,
) -> ApiResult<(StatusCode, Json<PushDevice>)> {
    let d = devices::add_mine(&s.db, &s.config.push_origins, &auth.account, &req).await?;
    Ok((StatusCode::CREATED, Json(d)))
}

/// `GET /me/push-subscriptions`.
pub async fn list_devices(
    State(s): State<AppState>,
    auth: Auth,
) -> ApiResult<Json<Page<PushDevice>>> {
    Ok(Json(devices::mine(&s.db, &auth.account).await?))
}

/// `DELETE /me/push-subscriptions/{id}` → 204.
pub async fn remove_device(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<StatusCode> {
    devices::remove_mine(&s.db, &auth.account, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /hromadas/{katottg}/alert-subscriptions` → 201, signed in or not.
pub async fn subscribe_alerts(
    State(s): State<AppState>,
    MaybeAuth(me): MaybeAuth,
    ClientIp(ip): ClientIp,
    ApiPath(k): ApiPath<String>,
    ApiJson(req): ApiJson<PushSubscriptionJson>,
) -> ApiResult<(StatusCode, Json<PushDevice>)> {
    let d = devices::subscribe_alerts(&s.db, &s.config.push_origins, me.as_ref(), &k, &req, &ip)
        .await?;
    Ok((StatusCode::CREATED, Json(d)))
}

/// `DELETE /hromadas/{katottg}/alert-subscriptions` → 204.
pub async fn unsubscribe_alerts(
    State(s): State<AppState>,
    ApiPath(k): ApiPath<String>,
    ApiJson(req): ApiJson<AlertUnsubscribe>,
) -> ApiResult<StatusCode> {
    devices::unsubscribe_alerts(&s.db, &k, &req.endpoint).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /me/notification-settings`.
pub async fn get_settings(
    State(s): State<AppState>,
    auth: Auth,
) -> ApiResult<Json<NotificationSettings>> {
    Ok(Json(devices::settings(&s.db, &auth.account).await?))
}

/// `PUT /me/notification-settings`.
pub async fn put_settings(
    State(s): State<AppState>,
    auth: Auth,
    ApiJson(req): ApiJson<NotificationSettings>,
) -> ApiResult<Json<NotificationSettings>> {
    Ok(Json(
        devices::put_settings(&s.db, &auth.account, &req).await?,
    ))
}

/// `GET /unsubscribe/{token}`: what the link would switch off.
pub async fn unsubscribe_info(
    State(s): State<AppState>,
    ApiPath(token): ApiPath<String>,
) -> ApiResult<Json<Unsubscribe>> {
    Ok(Json(
        devices::unsubscribe_info(&s.db, &s.outbound, &token).await?,
    ))
}

/// `POST /unsubscribe/{token}`: switches it off.
pub async fn unsubscribe(
    State(s): State<AppState>,
    ApiPath(token): ApiPath<String>,
) -> ApiResult<Json<Unsubscribe>> {
    Ok(Json(
        devices::unsubscribe(&s.db, &s.outbound, &token).await?,
    ))
}

/// The one-click POST of RFC 8058 to the link in `List-Unsubscribe` (outside `/api`):
/// it comes from the mail provider as a form, without a session, the app's header or
/// an Origin; the token in the URL is the credential.
pub async fn one_click_unsubscribe(
    State(s): State<AppState>,
    ApiPath(token): ApiPath<String>,
) -> Response {
    match devices::unsubscribe(&s.db, &s.outbound, &token).await {
        Ok(u) => Json(u).into_response(),
        Err(e) => e.into_response(),
    }
}

/// `POST /auth/password-reset` → 202, whatever the address.
pub async fn request_reset(
    State(s): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<PasswordResetRequest>,
) -> ApiResult<(StatusCode, Json<Accepted>)> {
    let a = recovery::request_reset(&s.db, &s.outbound, &req, &ip).await?;
    Ok((StatusCode::ACCEPTED, Json(a)))
}

/// `POST /auth/password-reset/confirm` → 204.
pub async fn confirm_reset(
    State(s): State<AppState>,
    ApiJson(req): ApiJson<PasswordResetConfirm>,
) -> ApiResult<StatusCode> {
    recovery::confirm_reset(&s.db, &s.outbound, &req).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /auth/email-confirmation` → 204.
pub async fn confirm_email(
    State(s): State<AppState>,
    ApiJson(req): ApiJson<EmailConfirm>,
) -> ApiResult<StatusCode> {
    recovery::confirm_email(&s.db, &req).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /me/email-confirmation` → 202: the link again.
pub async fn resend_confirmation(
    State(s): State<AppState>,
    auth: Auth,
    ClientIp(ip): ClientIp,
) -> ApiResult<(StatusCode, Json<Accepted>)> {
    let a = recovery::resend(&s.db, &s.outbound, &auth.account, &ip).await?;
    Ok((StatusCode::ACCEPTED, Json(a)))
}

/// `GET /appeals/{id}/deliveries`.
pub async fn appeal_deliveries(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Page<Delivery>>> {
    Ok(Json(devices::appeal_log(&s.db, &auth.account, &id).await?))
}
