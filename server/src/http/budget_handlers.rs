//! Handlers of the participatory budget: cycles, projects with their images, review,
//! cost, implementation, ballots and results.

use axum::Json;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use hromada_api::budget::{
    Ballot, BallotDraft, CostAdjustment, Cycle, CycleDraft, Implementation, NewProject, Project,
    ProjectSummary, Results, Review,
};
use serde::Deserialize;

use super::AppState;
use super::appeal_handlers::{WithFiles, fingerprint_with_files, read_with_files};
use super::extract::{ApiJson, ApiPath, ApiQuery, Auth, Decision, IdempotencyKey, MaybeAuth};
use super::news_handlers::created;
use crate::domain::appeals::Uploads;
use crate::domain::{budget, idempotency};
use crate::error::ApiResult;

/// `GET /hromadas/{katottg}/budget-cycles`.
pub async fn list_cycles(
    State(s): State<AppState>,
    ApiPath(k): ApiPath<String>,
) -> ApiResult<Json<Vec<Cycle>>> {
    Ok(Json(budget::list_cycles(&s.db, &k).await?))
}

/// `POST /hromadas/{katottg}/budget-cycles` → 201 (staff). Honours `Idempotency-Key`.
pub async fn create_cycle(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(k): ApiPath<String>,
    IdempotencyKey(key): IdempotencyKey,
    ApiJson(d): ApiJson<CycleDraft>,
) -> ApiResult<Response> {
    let scope = format!("budget-cycle:{}:{k}", auth.account.user.id);
    let fp = idempotency::fingerprint(&d);
    let out = idempotency::run(&s.db, &scope, key.as_deref(), &fp, || async {
        Ok((
            201,
            budget::create_cycle(&s.db, &auth.account, &k, &d).await?,
        ))
    })
    .await?;
    Ok(created(out.status, out.value))
}

/// `GET /budget-cycles/{id}`.
pub async fn get_cycle(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Cycle>> {
    Ok(Json(budget::get_cycle(&s.db, &id).await?))
}

/// `PUT /budget-cycles/{id}` (staff).
pub async fn update_cycle(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(d): ApiJson<CycleDraft>,
) -> ApiResult<Json<Cycle>> {
    Ok(Json(
        budget::update_cycle(&s.db, &auth.account, &id, &d).await?,
    ))
}

/// `GET /budget-cycles/{id}/projects` query.
#[derive(Debug, Deserialize)]
pub struct ProjectQuery {
    category: Option<String>,
    status: Option<String>,
    sort: Option<String>,
    mine: Option<String>,
}

/// `GET /budget-cycles/{id}/projects?category=&status=&sort=&mine=`.
pub async fn list_projects(
    State(s): State<AppState>,
    MaybeAuth(viewer): MaybeAuth,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<ProjectQuery>,
) -> ApiResult<Json<Vec<ProjectSummary>>> {
    let p = budget::ProjectParams {
        category: q.category.as_deref(),
        status: q.status.as_deref(),
        sort: q.sort.as_deref(),
        mine: q.mine.as_deref(),
    };
    Ok(Json(
        budget::list_projects(&s.db, viewer.as_ref(), &id, &p).await?,
    ))
}

/// `POST /budget-cycles/{id}/projects` → 201 (a resident of the cycle's hromada): JSON
/// `NewProject`, or multipart with the part `project` and up to five `images`. Honours
/// `Idempotency-Key`.
pub async fn create_project(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    IdempotencyKey(key): IdempotencyKey,
    req: Request,
) -> ApiResult<Response> {
    let body: WithFiles<NewProject> =
        read_with_files(req, "project", Uploads::ProjectImages).await?;
    let scope = format!("budget-project:{}:{id}", auth.account.user.id);
    let fp = fingerprint_with_files(&body.value, &body.files);
    let dir = &s.config.media_dir;
    let out = idempotency::run(&s.db, &scope, key.as_deref(), &fp, || async {
        let p =
            budget::create_project(&s.db, dir, &auth.account, &id, &body.value, body.files).await?;
        Ok((201, p))
    })
    .await?;
    Ok(created(out.status, out.value))
}

/// `GET /budget-projects/{id}`.
pub async fn get_project(
    State(s): State<AppState>,
    MaybeAuth(viewer): MaybeAuth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Project>> {
    Ok(Json(
        budget::get_project(&s.db, viewer.as_ref(), &id).await?,
    ))
}

/// `PUT /budget-projects/{id}` (its author).
pub async fn update_project(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(p): ApiJson<NewProject>,
) -> ApiResult<Json<Project>> {
    Ok(Json(
        budget::update_project(&s.db, &auth.account, &id, &p).await?,
    ))
}

async fn serve_image(
    s: &AppState,
    viewer: Option<&crate::domain::accounts::Account>,
    id: &str,
    image: &str,
    thumbnail: bool,
) -> ApiResult<Response> {
    let bytes = budget::image(&s.db, &s.config.media_dir, viewer, id, image, thumbnail).await?;
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/jpeg"));
    // Private: a project in review is seen only by its author and staff.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=86400"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("inline"),
    );
    Ok(res)
}

/// `GET /budget-projects/{id}/images/{image}`: only to whoever may see the project.
pub async fn get_image(
    State(s): State<AppState>,
    MaybeAuth(viewer): MaybeAuth,
    ApiPath((id, image)): ApiPath<(String, String)>,
) -> ApiResult<Response> {
    serve_image(&s, viewer.as_ref(), &id, &image, false).await
}

/// `GET /budget-projects/{id}/images/{image}/thumbnail`.
pub async fn get_thumbnail(
    State(s): State<AppState>,
    MaybeAuth(viewer): MaybeAuth,
    ApiPath((id, image)): ApiPath<(String, String)>,
) -> ApiResult<Response> {
    serve_image(&s, viewer.as_ref(), &id, &image, true).await
}

/// A `Review` from JSON, with field errors naming the field.
fn parse_review(v: serde_json::Value) -> ApiResult<Review> {
    let d = Decision::parse(&v, &["accept", "request_changes", "reject"])?;
    Ok(match d.name {
        "accept" => Review::Accept,
        "request_changes" => Review::RequestChanges {
            note: d.text("note")?,
        },
        _ => Review::Reject {
            reason: d.text("reason")?,
        },
    })
}

/// `POST /budget-projects/{id}/review` (staff).
pub async fn review(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(v): ApiJson<serde_json::Value>,
) -> ApiResult<Json<Project>> {
    let r = parse_review(v)?;
    Ok(Json(
        budget::review(&s.db, &s.live, &auth.account, &id, &r).await?,
    ))
}

/// `POST /budget-projects/{id}/cost` (staff).
pub async fn adjust_cost(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(c): ApiJson<CostAdjustment>,
) -> ApiResult<Json<Project>> {
    Ok(Json(
        budget::adjust_cost(&s.db, &s.live, &auth.account, &id, &c).await?,
    ))
}

/// `PUT /budget-projects/{id}/implementation` (staff).
pub async fn implementation(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(i): ApiJson<Implementation>,
) -> ApiResult<Json<Project>> {
    Ok(Json(
        budget::implementation(&s.db, &auth.account, &id, &i).await?,
    ))
}

/// `GET /budget-cycles/{id}/ballot` (signed in).
pub async fn get_ballot(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Ballot>> {
    Ok(Json(budget::ballot(&s.db, &auth.account, &id).await?))
}

/// `PUT /budget-cycles/{id}/ballot` (a verified resident, during voting).
pub async fn put_ballot(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(d): ApiJson<BallotDraft>,
) -> ApiResult<Json<Ballot>> {
    Ok(Json(budget::vote(&s.db, &auth.account, &id, &d).await?))
}

/// `GET /budget-cycles/{id}/results`.
pub async fn results(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Results>> {
    Ok(Json(budget::results(&s.db, &id).await?))
}

/// `GET /budget-cycles/{id}/results.csv` (staff): an attachment
/// `budget-<year>-results.csv`.
pub async fn results_csv(
    State(s): State<AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Response> {
    let (year, csv) = budget::results_file(&s.db, &auth.account, &id).await?;
    let mut res = csv.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"budget-{year}-results.csv\""
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ApiError;
    use hromada_api::ErrorCode;
    use serde_json::json;

    #[test]
    fn reviews_name_their_fields() {
        let field = |v: serde_json::Value| match parse_review(v) {
            Err(ApiError::Validation(e)) => (e[0].field.clone(), e[0].code),
            other => panic!("{other:?}"),
        };
        assert_eq!(field(json!({})), ("decision".into(), ErrorCode::Required));
        assert_eq!(
            field(json!({"decision": "maybe"})),
            ("decision".into(), ErrorCode::Invalid)
        );
        assert_eq!(
            field(json!({"decision": "request_changes"})),
            ("note".into(), ErrorCode::Required)
        );
        assert_eq!(
            field(json!({"decision": "reject", "reason": 5})),
            ("reason".into(), ErrorCode::Invalid)
        );
        assert_eq!(
            parse_review(json!({"decision": "accept"})).unwrap(),
            Review::Accept
        );
        assert_eq!(
            parse_review(json!({"decision": "reject", "reason": "x"})).unwrap(),
            Review::Reject { reason: "x".into() }
        );
    }
}
