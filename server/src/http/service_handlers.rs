//! Handlers of the services catalogue (services, answers to frequent questions, the
//! service centre, the search) and of consultations.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hromada_api::Page;
use hromada_api::services::{
    Answer, AnswerDraft, Centre, Consultation, ConsultationSummary, NewMessage, SearchResults,
    Service, ServiceDraft, ServiceSummary,
};
use serde::Deserialize;

use super::AppState;
use super::extract::{ApiJson, ApiPath, ApiQuery, Auth, IdempotencyKey};
use super::news_handlers::created;
use crate::domain::{idempotency, services};
use crate::error::ApiResult;

/// A page query.
#[derive(Debug, Deserialize)]
pub struct CursorQuery {
    cursor: Option<String>,
    limit: Option<String>,
}

/// `GET /hromadas/{katottg}/services?cursor=&limit=`.
pub async fn list(
    State(s): State<AppState>,
    ApiPath(k): ApiPath<String>,
    ApiQuery(q): ApiQuery<CursorQuery>,
) -> ApiResult<Json<Page<ServiceSummary>>> {
    Ok(Json(
        services::list(&s.db, &k, q.cursor.as_deref(), q.limit.as_deref()).await?,
    ))
}

/// `POST /hromadas/{katottg}/services` → 201 (staff). Honours `Idempotency-Key`.
pub async fn create(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(k): ApiPath<String>,
    IdempotencyKey(key): IdempotencyKey,
    ApiJson(d): ApiJson<ServiceDraft>,
) -> ApiResult<Response> {
    let scope = format!("service:{}:{k}", auth.account.user.id);
    let fp = idempotency::fingerprint(&d);
    let out = idempotency::run(&s.db, &scope, key.as_deref(), &fp, || async {
        Ok((201, services::create(&s.db, &auth.account, &k, &d).await?))
    })
    .await?;
    Ok(created(out.status, out.value))
}

/// `GET /hromadas/{katottg}/services/search` query.
#[derive(Debug, Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
}

/// `GET /hromadas/{katottg}/services/search?q=`.
pub async fn search(
    State(s): State<AppState>,
    ApiPath(k): ApiPath<String>,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> ApiResult<Json<SearchResults>> {
    Ok(Json(
        services::search_catalogue(&s.db, &k, q.q.as_deref()).await?,
    ))
}

/// `GET /services/{id}`.
pub async fn get(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Service>> {
    Ok(Json(services::get(&s.db, &id).await?))
}

/// `PUT /services/{id}` (staff).
pub async fn update(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(d): ApiJson<ServiceDraft>,
) -> ApiResult<Json<Service>> {
    Ok(Json(services::update(&s.db, &auth.account, &id, &d).await?))
}

/// `DELETE /services/{id}` → 204 (staff).
pub async fn delete(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<StatusCode> {
    services::delete(&s.db, &auth.account, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /hromadas/{katottg}/answers?cursor=&limit=`.
pub async fn list_answers(
    State(s): State<AppState>,
    ApiPath(k): ApiPath<String>,
    ApiQuery(q): ApiQuery<CursorQuery>,
) -> ApiResult<Json<Page<Answer>>> {
    Ok(Json(
        services::answers(&s.db, &k, q.cursor.as_deref(), q.limit.as_deref()).await?,
    ))
}

/// `POST /hromadas/{katottg}/answers` → 201 (staff). Honours `Idempotency-Key`.
pub async fn create_answer(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(k): ApiPath<String>,
    IdempotencyKey(key): IdempotencyKey,
    ApiJson(d): ApiJson<AnswerDraft>,
) -> ApiResult<Response> {
    let scope = format!("answer:{}:{k}", auth.account.user.id);
    let fp = idempotency::fingerprint(&d);
    let out = idempotency::run(&s.db, &scope, key.as_deref(), &fp, || async {
        Ok((
            201,
            services::create_answer(&s.db, &auth.account, &k, &d).await?,
        ))
    })
    .await?;
    Ok(created(out.status, out.value))
}

/// `GET /answers/{id}`.
pub async fn get_answer(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Answer>> {
    Ok(Json(services::answer(&s.db, &id).await?))
}

/// `PUT /answers/{id}` (staff).
pub async fn update_answer(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(d): ApiJson<AnswerDraft>,
) -> ApiResult<Json<Answer>> {
    Ok(Json(
        services::update_answer(&s.db, &auth.account, &id, &d).await?,
    ))
}

/// `DELETE /answers/{id}` → 204 (staff).
pub async fn delete_answer(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<StatusCode> {
    services::delete_answer(&s.db, &auth.account, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /hromadas/{katottg}/centre`.
pub async fn centre(
    State(s): State<AppState>,
    ApiPath(k): ApiPath<String>,
) -> ApiResult<Json<Centre>> {
    Ok(Json(services::centre(&s.db, &k).await?))
}

/// `PUT /hromadas/{katottg}/centre` (staff).
pub async fn put_centre(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(k): ApiPath<String>,
    ApiJson(c): ApiJson<Centre>,
) -> ApiResult<Json<Centre>> {
    Ok(Json(
        services::put_centre(&s.db, &auth.account, &k, &c).await?,
    ))
}

/// `POST /hromadas/{katottg}/consultations` → 201. Honours `Idempotency-Key`.
pub async fn ask(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(k): ApiPath<String>,
    IdempotencyKey(key): IdempotencyKey,
    ApiJson(m): ApiJson<NewMessage>,
) -> ApiResult<Response> {
    let scope = format!("consultation:{}:{k}", auth.account.user.id);
    let fp = idempotency::fingerprint(&m);
    let out = idempotency::run(&s.db, &scope, key.as_deref(), &fp, || async {
        Ok((
            201,
            services::ask(&s.db, &s.live, &auth.account, &k, &m).await?,
        ))
    })
    .await?;
    Ok(created(out.status, out.value))
}

/// `GET /hromadas/{katottg}/consultations` query.
#[derive(Debug, Deserialize)]
pub struct QueueQuery {
    status: Option<String>,
    cursor: Option<String>,
    limit: Option<String>,
}

/// `GET /hromadas/{katottg}/consultations?status=&cursor=&limit=` (staff).
pub async fn queue(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(k): ApiPath<String>,
    ApiQuery(q): ApiQuery<QueueQuery>,
) -> ApiResult<Json<Page<ConsultationSummary>>> {
    Ok(Json(
        services::queue(
            &s.db,
            &auth.account,
            &k,
            q.status.as_deref(),
            q.cursor.as_deref(),
            q.limit.as_deref(),
        )
        .await?,
    ))
}

/// `GET /me/consultations?cursor=&limit=`.
pub async fn mine(
    State(s): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<CursorQuery>,
) -> ApiResult<Json<Page<ConsultationSummary>>> {
    Ok(Json(
        services::mine(
            &s.db,
            &auth.account,
            q.cursor.as_deref(),
            q.limit.as_deref(),
        )
        .await?,
    ))
}

/// `GET /consultations/{id}`.
pub async fn get_consultation(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Consultation>> {
    Ok(Json(
        services::get_consultation(&s.db, &auth.account, &id).await?,
    ))
}

/// `POST /consultations/{id}/messages` → 201. Honours `Idempotency-Key`.
pub async fn write(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    IdempotencyKey(key): IdempotencyKey,
    ApiJson(m): ApiJson<NewMessage>,
) -> ApiResult<Response> {
    let scope = format!("consultation-message:{}:{id}", auth.account.user.id);
    let fp = idempotency::fingerprint(&m);
    let out = idempotency::run(&s.db, &scope, key.as_deref(), &fp, || async {
        Ok((
            201,
            services::write(&s.db, &s.live, &auth.account, &id, &m).await?,
        ))
    })
    .await?;
    Ok(created(out.status, out.value))
}

/// `POST /consultations/{id}/close`.
pub async fn close(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Consultation>> {
    Ok(Json(
        services::close(&s.db, &s.live, &auth.account, &id).await?,
    ))
}
