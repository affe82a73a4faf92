//! Handlers of polls and surveys: drafts, publication, responses, results, texts and the
//! CSV export.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hromada_api::Page;
use hromada_api::polls::{Poll, PollDraft, PollResults, ResponseDraft, TextAnswer};
use serde::Deserialize;

use super::AppState;
use super::extract::{ApiJson, ApiPath, ApiQuery, Auth, IdempotencyKey, MaybeAuth};
use super::news_handlers::created;
use crate::domain::{idempotency, polls};
use crate::error::ApiResult;

/// `GET /hromadas/{katottg}/polls` query.
#[derive(Debug, Deserialize)]
pub struct PollQuery {
    state: Option<String>,
    cursor: Option<String>,
    limit: Option<String>,
}

/// `GET /hromadas/{katottg}/polls?state=active|past|draft&cursor=&limit=`.
pub async fn list(
    State(s): State<AppState>,
    MaybeAuth(viewer): MaybeAuth,
    ApiPath(k): ApiPath<String>,
    ApiQuery(q): ApiQuery<PollQuery>,
) -> ApiResult<Json<Page<Poll>>> {
    Ok(Json(
        polls::list(
            &s.db,
            viewer.as_ref(),
            &k,
            q.state.as_deref(),
            q.cursor.as_deref(),
            q.limit.as_deref(),
        )
        .await?,
    ))
}

/// `POST /hromadas/{katottg}/polls` → 201 (staff): a draft. Honours `Idempotency-Key`.
pub async fn create(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(k): ApiPath<String>,
    IdempotencyKey(key): IdempotencyKey,
    ApiJson(d): ApiJson<PollDraft>,
) -> ApiResult<Response> {
    let scope = format!("poll:{}:{k}", auth.account.user.id);
    let fp = idempotency::fingerprint(&d);
    let out = idempotency::run(&s.db, &scope, key.as_deref(), &fp, || async {
        Ok((201, polls::create(&s.db, &auth.account, &k, &d).await?))
    })
    .await?;
    Ok(created(out.status, out.value))
}

/// `GET /polls/{id}`.
pub async fn get(
    State(s): State<AppState>,
    MaybeAuth(viewer): MaybeAuth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Poll>> {
    Ok(Json(polls::get(&s.db, viewer.as_ref(), &id).await?))
}

/// `PUT /polls/{id}` (staff).
pub async fn update(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(d): ApiJson<PollDraft>,
) -> ApiResult<Json<Poll>> {
    Ok(Json(polls::update(&s.db, &auth.account, &id, &d).await?))
}

/// `DELETE /polls/{id}` → 204 (staff): drafts only.
pub async fn delete(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<StatusCode> {
    polls::delete(&s.db, &auth.account, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /polls/{id}/publish` (staff).
pub async fn publish(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Poll>> {
    Ok(Json(polls::publish(&s.db, &auth.account, &id).await?))
}

/// `POST /polls/{id}/responses` → 201. Honours `Idempotency-Key`.
pub async fn respond(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    IdempotencyKey(key): IdempotencyKey,
    ApiJson(r): ApiJson<ResponseDraft>,
) -> ApiResult<Response> {
    let scope = format!("poll-response:{}:{id}", auth.account.user.id);
    let fp = idempotency::fingerprint(&r);
    let out = idempotency::run(&s.db, &scope, key.as_deref(), &fp, || async {
        Ok((201, polls::respond(&s.db, &auth.account, &id, &r).await?))
    })
    .await?;
    Ok(created(out.status, out.value))
}

/// `GET /polls/{id}/results`.
pub async fn results(
    State(s): State<AppState>,
    MaybeAuth(viewer): MaybeAuth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<PollResults>> {
    Ok(Json(polls::results(&s.db, viewer.as_ref(), &id).await?))
}

/// A page query.
#[derive(Debug, Deserialize)]
pub struct CursorQuery {
    cursor: Option<String>,
    limit: Option<String>,
}

/// `GET /polls/{id}/questions/{q}/texts?cursor=&limit=`.
pub async fn texts(
    State(s): State<AppState>,
    MaybeAuth(viewer): MaybeAuth,
    ApiPath((id, q)): ApiPath<(String, String)>,
    ApiQuery(c): ApiQuery<CursorQuery>,
) -> ApiResult<Json<Page<TextAnswer>>> {
    Ok(Json(
        polls::texts(
            &s.db,
            viewer.as_ref(),
            &id,
            &q,
            c.cursor.as_deref(),
            c.limit.as_deref(),
        )
        .await?,
    ))
}

/// `GET /polls/{id}/results.csv` (staff): an attachment `poll-results.csv`.
pub async fn results_csv(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Response> {
    let csv = polls::results_file(&s.db, &auth.account, &id).await?;
    let mut res = csv.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"poll-results.csv\""),
    );
    Ok(res)
}
