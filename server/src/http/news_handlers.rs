//! Handlers of news, alerts, images and live events.

use std::convert::Infallible;
use std::time::Duration;

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use hromada_api::Page;
use hromada_api::news::{
    Alert, AlertDraft, IMAGE_MAX_BYTES, Image, LiveEvent, NewsDraft, NewsItem,
};
use serde::Deserialize;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use super::AppState;
use super::extract::{ApiJson, ApiPath, ApiQuery, Auth, IdempotencyKey, MaybeAuth};
use crate::domain::live::{self, Envelope};
use crate::domain::{alerts, idempotency, ids, media, news};
use crate::error::{ApiError, ApiResult};

/// How often an idle event stream sends a comment, so proxies keep it open.
pub const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// How long a client waits before reconnecting a dropped stream.
pub const RETRY: Duration = Duration::from_millis(2000);

pub(super) fn created<T: serde::Serialize>(status: u16, value: T) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::CREATED);
    (status, Json(value)).into_response()
}

/// `GET /hromadas/{katottg}/news` query.
#[derive(Debug, Deserialize)]
pub struct NewsQuery {
    category: Option<String>,
    q: Option<String>,
    status: Option<String>,
    cursor: Option<String>,
    limit: Option<String>,
}

/// `GET /hromadas/{katottg}/news?category=&q=&status=&cursor=&limit=`.
pub async fn list_news(
    State(s): State<AppState>,
    MaybeAuth(viewer): MaybeAuth,
    ApiPath(k): ApiPath<String>,
    ApiQuery(q): ApiQuery<NewsQuery>,
) -> ApiResult<Response> {
    let p = news::FeedParams {
        category: q.category.as_deref(),
        q: q.q.as_deref(),
        status: q.status.as_deref(),
        cursor: q.cursor.as_deref(),
        limit: q.limit.as_deref(),
    };
    let body = news::feed(&s.db, &s.live.feed_cache, viewer.as_ref(), &k, &p).await?;
    let mut res = body.into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Ok(res)
}

/// `POST /hromadas/{katottg}/news` → 201 (staff). Honours `Idempotency-Key`.
pub async fn create_news(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(k): ApiPath<String>,
    IdempotencyKey(key): IdempotencyKey,
    ApiJson(d): ApiJson<NewsDraft>,
) -> ApiResult<Response> {
    let scope = format!("news:{}:{k}", auth.account.user.id);
    let fp = idempotency::fingerprint(&d);
    let out = idempotency::run(&s.db, &scope, key.as_deref(), &fp, || async {
        let item = news::create(&s.db, &s.live, &auth.account, &k, &d).await?;
        Ok((201, item))
    })
    .await?;
    Ok(created(out.status, out.value))
}

/// `GET /news/{id}`.
pub async fn get_news(
    State(s): State<AppState>,
    MaybeAuth(viewer): MaybeAuth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<NewsItem>> {
    Ok(Json(news::get(&s.db, viewer.as_ref(), &id).await?))
}

/// `PUT /news/{id}` (staff).
pub async fn update_news(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(d): ApiJson<NewsDraft>,
) -> ApiResult<Json<NewsItem>> {
    Ok(Json(
        news::update(&s.db, &s.live, &auth.account, &id, &d).await?,
    ))
}

/// `DELETE /news/{id}` → 204 (staff).
pub async fn delete_news(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<StatusCode> {
    news::delete(&s.db, &s.live, &auth.account, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Whether a body error is the body limit's.
pub(super) fn is_length_limit(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur = Some(e);
    while let Some(err) = cur {
        if err.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        cur = err.source();
    }
    false
}

/// `POST /hromadas/{katottg}/media` → 201 (staff): the raw bytes of a JPEG, PNG or
/// WebP image. Honours `Idempotency-Key`.
pub async fn upload_media(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(k): ApiPath<String>,
    IdempotencyKey(key): IdempotencyKey,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    news::require_staff(&s.db, &auth.account, &k).await?;
    media::check_content_type(
        headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok()),
    )?;
    let bytes = axum::body::to_bytes(body, IMAGE_MAX_BYTES)
        .await
        .map_err(|e| {
            if is_length_limit(&e) {
                media::too_large()
            } else {
                ApiError::BadRequest("The upload could not be read.".into())
            }
        })?;
    let scope = format!("media:{}:{k}", auth.account.user.id);
    let fp = ids::sha256_hex(&bytes);
    let dir = &s.config.media_dir;
    let out = idempotency::run(&s.db, &scope, key.as_deref(), &fp, || async {
        let img: Image = media::upload(&s.db, dir, &auth.account, &k, bytes.to_vec()).await?;
        Ok((201, img))
    })
    .await?;
    Ok(created(out.status, out.value))
}

/// `GET /media/{id}/{width}.jpg`: an image file, cacheable for ever.
pub async fn get_media(
    State(s): State<AppState>,
    ApiPath((id, file)): ApiPath<(String, String)>,
) -> ApiResult<Response> {
    let bytes = media::read(&s.config.media_dir, &id, &file).await?;
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/jpeg"));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    Ok(res)
}

/// `GET /hromadas/{katottg}/alerts` query.
#[derive(Debug, Deserialize)]
pub struct AlertQuery {
    all: Option<String>,
    cursor: Option<String>,
    limit: Option<String>,
}

/// `GET /hromadas/{katottg}/alerts?all=&cursor=&limit=`.
pub async fn list_alerts(
    State(s): State<AppState>,
    MaybeAuth(viewer): MaybeAuth,
    ApiPath(k): ApiPath<String>,
    ApiQuery(q): ApiQuery<AlertQuery>,
) -> ApiResult<Json<Page<Alert>>> {
    Ok(Json(
        alerts::list(
            &s.db,
            viewer.as_ref(),
            &k,
            q.all.as_deref(),
            q.cursor.as_deref(),
            q.limit.as_deref(),
        )
        .await?,
    ))
}

/// `POST /hromadas/{katottg}/alerts` → 201 (staff). Honours `Idempotency-Key`.
pub async fn create_alert(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(k): ApiPath<String>,
    IdempotencyKey(key): IdempotencyKey,
    ApiJson(d): ApiJson<AlertDraft>,
) -> ApiResult<Response> {
    let scope = format!("alert:{}:{k}", auth.account.user.id);
    let fp = idempotency::fingerprint(&d);
    let out = idempotency::run(&s.db, &scope, key.as_deref(), &fp, || async {
        Ok((
            201,
            alerts::create(&s.db, &s.live, &auth.account, &k, &d).await?,
        ))
    })
    .await?;
    Ok(created(out.status, out.value))
}

/// `PUT /alerts/{id}` (staff).
pub async fn update_alert(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(d): ApiJson<AlertDraft>,
) -> ApiResult<Json<Alert>> {
    Ok(Json(
        alerts::update(&s.db, &s.live, &auth.account, &id, &d).await?,
    ))
}

/// `POST /alerts/{id}/end` (staff).
pub async fn end_alert(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Alert>> {
    Ok(Json(alerts::end(&s.db, &s.live, &auth.account, &id).await?))
}

/// An event as SSE: its name, its JSON and, when it was written down, its number (which
/// the browser sends back as `Last-Event-ID` when it reconnects).
fn sse_event(env: &Envelope) -> Option<Event> {
    let (name, data) = match env.event.as_ref()? {
        LiveEvent::News(n) => ("news", serde_json::to_string(n)),
        LiveEvent::NewsRemoved { id } => (
            "news_removed",
            serde_json::to_string(&serde_json::json!({ "id": id })),
        ),
        LiveEvent::Alert(a) => ("alert", serde_json::to_string(a)),
        LiveEvent::AlertEnded { id } => (
            "alert_ended",
            serde_json::to_string(&serde_json::json!({ "id": id })),
        ),
        LiveEvent::Notification(n) => ("notification", serde_json::to_string(n)),
        LiveEvent::Consultation { id, status } => (
            "consultation",
            serde_json::to_string(&serde_json::json!({ "id": id, "status": status })),
        ),
    };
    let event = Event::default().event(name).data(data.ok()?);
    Some(if env.id > 0 {
        event.id(env.id.to_string())
    } else {
        event
    })
}

/// `GET /hromadas/{katottg}/events`: Server-Sent Events of this hromada, and, when the
/// reader is signed in, that person's own notifications (and, for its staff, changes of
/// its consultations).
pub async fn events(
    State(s): State<AppState>,
    MaybeAuth(viewer): MaybeAuth,
    ApiPath(k): ApiPath<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    news::require_hromada(&s.db, &k).await?;
    let staff = viewer.as_ref().is_some_and(|a| a.may_manage(&k));
    let user = viewer.map(|a| a.user.id);
    // Listen first, then read what was missed: nothing falls between the two.
    let rx = s.live.subscribe();
    let last_seen = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok());
    let missed = match last_seen {
        Some(n) => live::missed(&s.db, n).await,
        None => vec![],
    };
    let replayed_to = missed.last().map_or(last_seen.unwrap_or(0), |e| e.id);
    let first = tokio_stream::once(Ok::<_, Infallible>(Event::default().retry(RETRY)));
    let (k_missed, user_missed) = (k.clone(), user.clone());
    let missed = tokio_stream::iter(missed).filter_map(move |env| {
        env.reaches(&k_missed, user_missed.as_deref(), staff)
            .then(|| sse_event(&env).map(Ok))
            .flatten()
    });
    // A process that is stopping sends only `retry`: the client comes back, to another.
    let stopping = s.live.is_closed();
    let rest = BroadcastStream::new(rx)
        .map_while(|msg| match msg {
            Ok(Envelope { event: None, .. }) => None,
            other => Some(other),
        })
        .filter_map(move |msg| match msg {
            Ok(env)
                if (env.id == 0 || env.id > replayed_to)
                    && env.reaches(&k, user.as_deref(), staff) =>
            {
                sse_event(&env).map(Ok)
            }
            _ => None,
        });
    let rest = if stopping {
        futures::future::Either::Left(tokio_stream::empty())
    } else {
        futures::future::Either::Right(rest)
    };
    let mut res = Sse::new(first.chain(missed).chain(rest))
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
        .into_response();
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert("x-accel-buffering", HeaderValue::from_static("no"));
    Ok(res)
}
