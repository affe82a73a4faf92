//! Handlers of appeals, their categories and files, and notifications.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hromada_api::appeals::{
    AnswerDraft, Appeal, AppealCategory, AppealSummary, AppealVisibility, CategoryDraft, Inbox,
    NewAppeal, Notifications, RatingDraft, StaffAction,
};
use hromada_api::{ErrorCode, FieldError, Page};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::extract::{
    ApiJson, ApiPath, ApiQuery, Auth, IdempotencyKey, MaybeAuth, is_json, parse_json,
};
use super::news_handlers::{created, is_length_limit};
use super::{AppState, JSON_LIMIT};
use crate::domain::appeals::{self, Upload, Uploads};
use crate::domain::{idempotency, ids, notifications};
use crate::error::{ApiError, ApiResult};

/// `GET /hromadas/{katottg}/appeal-categories` query.
#[derive(Debug, Deserialize)]
pub struct CategoryQuery {
    archived: Option<String>,
}

/// `GET /hromadas/{katottg}/appeal-categories?archived=`.
pub async fn list_categories(
    State(s): State<AppState>,
    MaybeAuth(viewer): MaybeAuth,
    ApiPath(k): ApiPath<String>,
    ApiQuery(q): ApiQuery<CategoryQuery>,
) -> ApiResult<Json<Vec<AppealCategory>>> {
    Ok(Json(
        appeals::categories(&s.db, viewer.as_ref(), &k, q.archived.as_deref()).await?,
    ))
}

/// `POST /hromadas/{katottg}/appeal-categories` → 201 (staff). Honours `Idempotency-Key`.
pub async fn create_category(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(k): ApiPath<String>,
    IdempotencyKey(key): IdempotencyKey,
    ApiJson(d): ApiJson<CategoryDraft>,
) -> ApiResult<Response> {
    let scope = format!("appeal-category:{}:{k}", auth.account.user.id);
    let fp = idempotency::fingerprint(&d);
    let out = idempotency::run(&s.db, &scope, key.as_deref(), &fp, || async {
        Ok((
            201,
            appeals::create_category(&s.db, &auth.account, &k, &d).await?,
        ))
    })
    .await?;
    Ok(created(out.status, out.value))
}

/// `PUT /appeal-categories/{id}` (staff): renames it.
pub async fn rename_category(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(d): ApiJson<CategoryDraft>,
) -> ApiResult<Json<AppealCategory>> {
    Ok(Json(
        appeals::rename_category(&s.db, &auth.account, &id, &d).await?,
    ))
}

/// `DELETE /appeal-categories/{id}` → 204 (staff): archives it.
pub async fn archive_category(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<StatusCode> {
    appeals::archive_category(&s.db, &auth.account, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A body with JSON and files: `application/json`, or `multipart/form-data` with the
/// JSON in the part `json_part` and the files in parts named after `kind`.
pub(super) struct WithFiles<T> {
    pub(super) value: T,
    pub(super) files: Vec<Upload>,
}

fn multipart_error(kind: Uploads, e: &axum::extract::multipart::MultipartError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        kind.too_large(None)
    } else {
        ApiError::BadRequest(format!(
            "The multipart body could not be read: {}",
            e.body_text()
        ))
    }
}

/// Reads a JSON or multipart body. Files are read part by part and refused as soon as
/// one is over its limit or there are too many; nothing is stored here.
pub(super) async fn read_with_files<T: DeserializeOwned>(
    req: Request,
    json_part: &str,
    kind: Uploads,
) -> ApiResult<WithFiles<T>> {
    if is_json(req.headers()) {
        let bytes = axum::body::to_bytes(req.into_body(), JSON_LIMIT)
            .await
            .map_err(|e| {
                if is_length_limit(&e) {
                    ApiError::Status {
                        status: StatusCode::PAYLOAD_TOO_LARGE,
                        detail: format!("The body is over {} KiB.", JSON_LIMIT / 1024),
                    }
                } else {
                    ApiError::BadRequest("The body could not be read.".into())
                }
            })?;
        return Ok(WithFiles {
            value: parse_json(&bytes)?,
            files: Vec::new(),
        });
    }
    let is_multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| {
            ct.trim()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        });
    if !is_multipart {
        return Err(ApiError::Status {
            status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
            detail: "Expected a body with Content-Type: application/json or multipart/form-data."
                .into(),
        });
    }
    let mut mp = Multipart::from_request(req, &())
        .await
        .map_err(|e| ApiError::BadRequest(e.body_text()))?;
    let (json, files) = match read_parts(&mut mp, json_part, kind).await {
        Ok(parts) => parts,
        Err(e) => {
            // Refused before the end of the body: read (and drop) the rest, within the
            // body limit, so that the client, still sending, gets the answer rather than
            // a connection reset.
            if e.status() != StatusCode::BAD_REQUEST {
                while let Ok(Some(mut field)) = mp.next_field().await {
                    while let Ok(Some(_)) = field.chunk().await {}
                }
            }
            return Err(e);
        }
    };
    let json = json.ok_or_else(|| ApiError::field(json_part, ErrorCode::Required))?;
    Ok(WithFiles {
        value: parse_json(&json)?,
        files,
    })
}

/// The JSON part and the files of a multipart body; refuses a file over its limit, one
/// file too many, or an oversized JSON part as soon as it is seen.
async fn read_parts(
    mp: &mut Multipart,
    json_part: &str,
    kind: Uploads,
) -> ApiResult<(Option<Bytes>, Vec<Upload>)> {
    let mut json: Option<Bytes> = None;
    let mut files = Vec::new();
    while let Some(mut field) = mp
        .next_field()
        .await
        .map_err(|e| multipart_error(kind, &e))?
    {
        let name = field.name().unwrap_or("").to_owned();
        let (limit, is_file) = if name == json_part {
            if json.is_some() {
                return Err(ApiError::BadRequest(format!(
                    "The part {json_part:?} is given twice."
                )));
            }
            (JSON_LIMIT, false)
        } else if name == kind.field() {
            if files.len() == kind.max_count() {
                return Err(kind.too_many());
            }
            (kind.max_bytes(), true)
        } else {
            // Unknown parts are read and ignored (within the body limit).
            (usize::MAX, false)
        };
        let file_name = field.file_name().unwrap_or("").to_owned();
        let mut buf: Vec<u8> = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|e| multipart_error(kind, &e))? {
            if buf.len() + chunk.len() > limit {
                return Err(if is_file {
                    kind.too_large(Some(&file_name))
                } else {
                    ApiError::Status {
                        status: StatusCode::PAYLOAD_TOO_LARGE,
                        detail: format!(
                            "The part {json_part:?} is over {} KiB.",
                            JSON_LIMIT / 1024
                        ),
                    }
                });
            }
            if limit != usize::MAX {
                buf.extend_from_slice(&chunk);
            }
        }
        if name == json_part {
            json = Some(Bytes::from(buf));
        } else if is_file && !(buf.is_empty() && file_name.is_empty()) {
            // A form sends an empty part when no file was chosen.
            files.push(Upload {
                name: file_name,
                bytes: buf,
            });
        }
    }
    Ok((json, files))
}

/// The fingerprint of a request with files: its JSON and each file's name and SHA-256.
pub(super) fn fingerprint_with_files<T: serde::Serialize>(value: &T, files: &[Upload]) -> String {
    let mut parts = vec![idempotency::fingerprint(value)];
    for f in files {
        parts.push(f.name.clone());
        parts.push(ids::sha256_hex(&f.bytes));
    }
    ids::sha256_hex(parts.join("\n").as_bytes())
}

/// `POST /hromadas/{katottg}/appeals` → 201 (a signed-in resident): JSON `NewAppeal`,
/// or multipart with the part `appeal` and up to five `photos`. Honours `Idempotency-Key`.
pub async fn create_appeal(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(k): ApiPath<String>,
    IdempotencyKey(key): IdempotencyKey,
    req: Request,
) -> ApiResult<Response> {
    crate::domain::news::require_hromada(&s.db, &k).await?;
    let body: WithFiles<NewAppeal> = read_with_files(req, "appeal", Uploads::Photos).await?;
    let scope = format!("appeal:{}:{k}", auth.account.user.id);
    let fp = fingerprint_with_files(&body.value, &body.files);
    let dir = &s.config.media_dir;
    let out = idempotency::run(&s.db, &scope, key.as_deref(), &fp, || async {
        let a = appeals::create(
            &s.db,
            &s.live,
            dir,
            &auth.account,
            &k,
            &body.value,
            body.files,
        )
        .await?;
        Ok((201, a))
    })
    .await?;
    Ok(created(out.status, out.value))
}

/// A list's query.
#[derive(Debug, Deserialize)]
pub struct AppealQuery {
    status: Option<String>,
    category: Option<String>,
    kind: Option<String>,
    assignee: Option<String>,
    cursor: Option<String>,
    limit: Option<String>,
}

impl AppealQuery {
    fn params(&self) -> appeals::ListParams<'_> {
        appeals::ListParams {
            status: self.status.as_deref(),
            category: self.category.as_deref(),
            kind: self.kind.as_deref(),
            assignee: self.assignee.as_deref(),
            cursor: self.cursor.as_deref(),
            limit: self.limit.as_deref(),
        }
    }
}

/// `GET /hromadas/{katottg}/appeals?category=&status=&cursor=&limit=`: the public list.
pub async fn public_appeals(
    State(s): State<AppState>,
    ApiPath(k): ApiPath<String>,
    ApiQuery(q): ApiQuery<AppealQuery>,
) -> ApiResult<Json<Page<AppealSummary>>> {
    Ok(Json(appeals::public_list(&s.db, &k, &q.params()).await?))
}

/// `GET /hromadas/{katottg}/appeals/inbox?status=&category=&kind=&assignee=&cursor=&limit=`.
pub async fn inbox(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(k): ApiPath<String>,
    ApiQuery(q): ApiQuery<AppealQuery>,
) -> ApiResult<Json<Inbox>> {
    Ok(Json(
        appeals::inbox(&s.db, &auth.account, &k, &q.params()).await?,
    ))
}

/// A page query.
#[derive(Debug, Deserialize)]
pub struct CursorQuery {
    cursor: Option<String>,
    limit: Option<String>,
}

/// `GET /me/appeals?cursor=&limit=`.
pub async fn my_appeals(
    State(s): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<CursorQuery>,
) -> ApiResult<Json<Page<AppealSummary>>> {
    Ok(Json(
        appeals::my_list(
            &s.db,
            &auth.account,
            q.cursor.as_deref(),
            q.limit.as_deref(),
        )
        .await?,
    ))
}

/// `GET /appeals/{id}`.
pub async fn get_appeal(
    State(s): State<AppState>,
    MaybeAuth(viewer): MaybeAuth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Appeal>> {
    Ok(Json(appeals::get(&s.db, viewer.as_ref(), &id).await?))
}

/// `PATCH /appeals/{id}` (the author).
pub async fn set_visibility(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(v): ApiJson<AppealVisibility>,
) -> ApiResult<Json<Appeal>> {
    Ok(Json(
        appeals::set_visibility(&s.db, &auth.account, &id, &v).await?,
    ))
}

/// A `StaffAction` from JSON, with field errors naming the field (serde cannot say which
/// field of an internally tagged enum had the wrong type).
fn parse_action(v: serde_json::Value) -> ApiResult<StaffAction> {
    let mut errors = Vec::new();
    if let Some(obj) = v.as_object() {
        match obj.get("action") {
            None => errors.push(FieldError::new("action", ErrorCode::Required)),
            Some(a) if !a.is_string() => errors.push(FieldError::new("action", ErrorCode::Invalid)),
            Some(_) => {}
        }
        for f in ["assignee", "reason", "to"] {
            if obj.get(f).is_some_and(|x| !x.is_string()) {
                errors.push(FieldError::new(f, ErrorCode::Invalid));
            }
        }
        if obj
            .get("term_days")
            .is_some_and(|t| t.as_u64().is_none_or(|n| n > u64::from(u32::MAX)))
        {
            errors.push(FieldError::new("term_days", ErrorCode::Invalid));
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    serde_json::from_value(v).map_err(|e| {
        let msg = e.to_string();
        let fe = match msg
            .strip_prefix("missing field `")
            .and_then(|r| r.split('`').next())
        {
            Some(name) => FieldError::new(name, ErrorCode::Required),
            None => {
                let mut fe = FieldError::new("action", ErrorCode::Invalid);
                fe.message = format!("This is not a known step: {msg}");
                fe
            }
        };
        ApiError::Validation(vec![fe])
    })
}

/// `POST /appeals/{id}/actions` (staff).
pub async fn act(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(v): ApiJson<serde_json::Value>,
) -> ApiResult<Json<Appeal>> {
    let a = parse_action(v)?;
    Ok(Json(
        appeals::act(&s.db, &s.live, &auth.account, &id, &a).await?,
    ))
}

/// `POST /appeals/{id}/answer` (staff): JSON `AnswerDraft`, or multipart with the part
/// `answer` and up to five `files`. Honours `Idempotency-Key`.
pub async fn answer(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    IdempotencyKey(key): IdempotencyKey,
    req: Request,
) -> ApiResult<Json<Appeal>> {
    let body: WithFiles<AnswerDraft> = read_with_files(req, "answer", Uploads::AnswerFiles).await?;
    let scope = format!("appeal-answer:{}:{id}", auth.account.user.id);
    let fp = fingerprint_with_files(&body.value, &body.files);
    let dir = &s.config.media_dir;
    let out = idempotency::run(&s.db, &scope, key.as_deref(), &fp, || async {
        let a = appeals::answer(
            &s.db,
            &s.live,
            dir,
            &auth.account,
            &id,
            &body.value,
            body.files,
        )
        .await?;
        Ok((200, a))
    })
    .await?;
    Ok(Json(out.value))
}

/// `PUT /appeals/{id}/rating` (the author).
pub async fn rate(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(r): ApiJson<RatingDraft>,
) -> ApiResult<Json<Appeal>> {
    Ok(Json(appeals::rate(&s.db, &auth.account, &id, &r).await?))
}

async fn serve_file(
    s: &AppState,
    viewer: Option<&crate::domain::accounts::Account>,
    id: &str,
    file_id: &str,
    thumbnail: bool,
) -> ApiResult<Response> {
    let (f, bytes) =
        appeals::file(&s.db, &s.config.media_dir, viewer, id, file_id, thumbnail).await?;
    let pdf = !thumbnail && f.media_type == "application/pdf";
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(if pdf { "application/pdf" } else { "image/jpeg" }),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=86400"),
    );
    let disposition = if pdf {
        format!("attachment; filename*=UTF-8''{}", percent_encode(&f.name))
    } else {
        "inline".to_owned()
    };
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

/// RFC 5987 encoding of a file name: unreserved ASCII as is, every other byte as `%XX`.
fn percent_encode(name: &str) -> String {
    let mut out = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `GET /appeals/{id}/files/{file_id}`: only to whoever may see the appeal.
pub async fn get_file(
    State(s): State<AppState>,
    MaybeAuth(viewer): MaybeAuth,
    ApiPath((id, file_id)): ApiPath<(String, String)>,
) -> ApiResult<Response> {
    serve_file(&s, viewer.as_ref(), &id, &file_id, false).await
}

/// `GET /appeals/{id}/files/{file_id}/thumbnail`.
pub async fn get_thumbnail(
    State(s): State<AppState>,
    MaybeAuth(viewer): MaybeAuth,
    ApiPath((id, file_id)): ApiPath<(String, String)>,
) -> ApiResult<Response> {
    serve_file(&s, viewer.as_ref(), &id, &file_id, true).await
}

/// `GET /me/notifications?cursor=&limit=`.
pub async fn list_notifications(
    State(s): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<CursorQuery>,
) -> ApiResult<Json<Notifications>> {
    Ok(Json(
        notifications::list(
            &s.db,
            &auth.account,
            q.cursor.as_deref(),
            q.limit.as_deref(),
        )
        .await?,
    ))
}

/// `POST /me/notifications/{id}/read` → 204 (own only).
pub async fn read_notification(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<StatusCode> {
    notifications::mark_read(&s.db, &auth.account, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /me/notifications/read-all` → 204.
pub async fn read_all_notifications(
    State(s): State<AppState>,
    auth: Auth,
) -> ApiResult<StatusCode> {
    notifications::mark_all_read(&s.db, &auth.account).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_name_their_fields() {
        let fields = |v: serde_json::Value| match parse_action(v) {
            Err(ApiError::Validation(e)) => {
                e.into_iter().map(|f| (f.field, f.code)).collect::<Vec<_>>()
            }
            other => panic!("{other:?}"),
        };
        use serde_json::json;
        assert_eq!(
            fields(json!({"action": "assign", "assignee": 5})),
            [("assignee".to_owned(), ErrorCode::Invalid)]
        );
        assert_eq!(
            fields(json!({"action": "extend", "reason": "x"})),
            [("term_days".to_owned(), ErrorCode::Required)]
        );
        assert_eq!(
            fields(json!({"action": "extend", "term_days": -1, "reason": "x"})),
            [("term_days".to_owned(), ErrorCode::Invalid)]
        );
        assert_eq!(
            fields(json!({"action": "fly"})),
            [("action".to_owned(), ErrorCode::Invalid)]
        );
        assert_eq!(
            fields(json!({})),
            [("action".to_owned(), ErrorCode::Required)]
        );
        assert_eq!(
            parse_action(json!({"action": "close"})).unwrap(),
            StaffAction::Close
        );
    }

    #[test]
    fn file_names_are_percent_encoded() {
        assert_eq!(percent_encode("a b.pdf"), "a%20b.pdf");
        assert_eq!(percent_encode("я.pdf"), "%D1%8F.pdf");
        assert_eq!(percent_encode("x\";y"), "x%22%3By");
    }
}
