//! Handlers of local petitions, their signatures and the hromada's petition rules.

use axum::Json;
use axum::extract::State;
use axum::response::Response;
use hromada_api::petitions::{
    AnswerDraft, Moderation, NewPetition, Petition, PetitionSettings, PetitionSummary, Signed,
    Signer,
};
use hromada_api::{Hromada, Page};
use serde::Deserialize;

use super::AppState;
use super::extract::{ApiJson, ApiPath, ApiQuery, Auth, Decision, IdempotencyKey, MaybeAuth};
use super::news_handlers::created;
use crate::domain::{idempotency, petitions};
use crate::error::ApiResult;

/// `GET /hromadas/{katottg}/petitions` query.
#[derive(Debug, Deserialize)]
pub struct PetitionQuery {
    status: Option<String>,
    sort: Option<String>,
    q: Option<String>,
    cursor: Option<String>,
    limit: Option<String>,
}

/// `GET /hromadas/{katottg}/petitions?status=&sort=&q=&cursor=&limit=`.
pub async fn list(
    State(s): State<AppState>,
    MaybeAuth(viewer): MaybeAuth,
    ApiPath(k): ApiPath<String>,
    ApiQuery(q): ApiQuery<PetitionQuery>,
) -> ApiResult<Json<Page<PetitionSummary>>> {
    let p = petitions::ListParams {
        status: q.status.as_deref(),
        sort: q.sort.as_deref(),
        q: q.q.as_deref(),
        cursor: q.cursor.as_deref(),
        limit: q.limit.as_deref(),
    };
    Ok(Json(petitions::list(&s.db, viewer.as_ref(), &k, &p).await?))
}

/// A page query.
#[derive(Debug, Deserialize)]
pub struct CursorQuery {
    cursor: Option<String>,
    limit: Option<String>,
}

/// `GET /me/petitions?cursor=&limit=`.
pub async fn mine(
    State(s): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<CursorQuery>,
) -> ApiResult<Json<Page<PetitionSummary>>> {
    Ok(Json(
        petitions::my_list(
            &s.db,
            &auth.account,
            q.cursor.as_deref(),
            q.limit.as_deref(),
        )
        .await?,
    ))
}

/// `POST /hromadas/{katottg}/petitions` → 201. Honours `Idempotency-Key`.
pub async fn create(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(k): ApiPath<String>,
    IdempotencyKey(key): IdempotencyKey,
    ApiJson(p): ApiJson<NewPetition>,
) -> ApiResult<Response> {
    let scope = format!("petition:{}:{k}", auth.account.user.id);
    let fp = idempotency::fingerprint(&p);
    let out = idempotency::run(&s.db, &scope, key.as_deref(), &fp, || async {
        Ok((201, petitions::create(&s.db, &auth.account, &k, &p).await?))
    })
    .await?;
    Ok(created(out.status, out.value))
}

/// `GET /petitions/{id}`.
pub async fn get(
    State(s): State<AppState>,
    MaybeAuth(viewer): MaybeAuth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Petition>> {
    Ok(Json(petitions::get(&s.db, viewer.as_ref(), &id).await?))
}

/// A `Moderation` from JSON, with field errors naming the field.
fn parse_moderation(v: serde_json::Value) -> ApiResult<Moderation> {
    let d = Decision::parse(&v, &["publish", "reject"])?;
    Ok(match d.name {
        "publish" => Moderation::Publish,
        _ => Moderation::Reject {
            reason: d.text("reason")?,
        },
    })
}

/// `POST /petitions/{id}/moderation` (staff): publish or reject.
pub async fn moderate(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(v): ApiJson<serde_json::Value>,
) -> ApiResult<Json<Petition>> {
    let m = parse_moderation(v)?;
    Ok(Json(
        petitions::moderate(&s.db, &s.live, &auth.account, &id, &m).await?,
    ))
}

/// `POST /petitions/{id}/signatures` → 201 (no body needed). Honours `Idempotency-Key`.
pub async fn sign(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    IdempotencyKey(key): IdempotencyKey,
) -> ApiResult<Response> {
    let scope = format!("petition-sign:{}:{id}", auth.account.user.id);
    let out = idempotency::run(&s.db, &scope, key.as_deref(), "sign", || async {
        let signed: Signed = petitions::sign(&s.db, &s.live, &auth.account, &id).await?;
        Ok((201, signed))
    })
    .await?;
    Ok(created(out.status, out.value))
}

/// `GET /petitions/{id}/signatures?cursor=&limit=`.
pub async fn signers(
    State(s): State<AppState>,
    MaybeAuth(viewer): MaybeAuth,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<CursorQuery>,
) -> ApiResult<Json<Page<Signer>>> {
    Ok(Json(
        petitions::signers(
            &s.db,
            viewer.as_ref(),
            &id,
            q.cursor.as_deref(),
            q.limit.as_deref(),
        )
        .await?,
    ))
}

/// `POST /petitions/{id}/answer` (staff).
pub async fn answer(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(d): ApiJson<AnswerDraft>,
) -> ApiResult<Json<Petition>> {
    Ok(Json(
        petitions::answer(&s.db, &s.live, &auth.account, &id, &d).await?,
    ))
}

/// `PUT /hromadas/{katottg}/petition-settings` (staff or an administrator).
pub async fn settings(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(k): ApiPath<String>,
    ApiJson(p): ApiJson<PetitionSettings>,
) -> ApiResult<Json<Hromada>> {
    Ok(Json(
        petitions::update_settings(&s.db, &auth.account, &k, &p).await?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ApiError;
    use hromada_api::ErrorCode;
    use serde_json::json;

    #[test]
    fn moderation_names_its_fields() {
        let field = |v: serde_json::Value| match parse_moderation(v) {
            Err(ApiError::Validation(e)) => (e[0].field.clone(), e[0].code),
            other => panic!("{other:?}"),
        };
        assert_eq!(field(json!({})), ("decision".into(), ErrorCode::Required));
        assert_eq!(
            field(json!({"decision": "maybe"})),
            ("decision".into(), ErrorCode::Invalid)
        );
        assert_eq!(
            field(json!({"decision": 5})),
            ("decision".into(), ErrorCode::Invalid)
        );
        assert_eq!(
            field(json!({"decision": "reject"})),
            ("reason".into(), ErrorCode::Required)
        );
        assert_eq!(
            field(json!({"decision": "reject", "reason": 5})),
            ("reason".into(), ErrorCode::Invalid)
        );
        assert_eq!(
            parse_moderation(json!({"decision": "publish"})).unwrap(),
            Moderation::Publish
        );
    }
}
