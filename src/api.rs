//! The one HTTP layer of the app: every request to the backend goes through [`Api::send`],
//! and every response through [`into_json`], which turns problem+json into [`ApiError`].

use gloo_net::http::{Method, RequestBuilder, Response};
use hromada_api::appeals::{
    AnswerDraft, Appeal, AppealCategory, AppealSummary, AppealVisibility, CategoryDraft, Inbox,
    NewAppeal, Notifications, RatingDraft, StaffAction,
};
use hromada_api::budget;
use hromada_api::delivery;
use hromada_api::news::{Alert, AlertDraft, Image, NewsDraft, NewsItem, NewsSummary};
use hromada_api::petitions::{
    self, Moderation, NewPetition, Petition, PetitionSettings, PetitionSort, PetitionSummary,
    Signed, Signer,
};
use hromada_api::polls;
use hromada_api::services;
use hromada_api::{
    API_PREFIX, AdminUser, CLIENT_HEADER, ChangePassword, FieldError, Hromada, HromadaSummary,
    IDEMPOTENCY_KEY, LoginRequest, Me, PROBLEM_JSON, Page, Problem, RegisterRequest, UpdateProfile,
    VerificationDecision, VerificationRequest,
};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use serde::{Serialize, de::DeserializeOwned};
use thiserror::Error;
use web_sys::{AbortController, RequestCredentials};

/// What can go wrong with a request, as the views need to tell it apart.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ApiError {
    /// The network or the server could not be reached.
    #[error("the network is unavailable")]
    Network,
    /// The view that asked went away and the request was cancelled.
    #[error("the request was cancelled")]
    Aborted,
    /// 400, 413, 415 or 422: the input is wrong; field errors say where.
    #[error("invalid input: {}", .0.title)]
    Invalid(Problem),
    /// 401: not signed in, or wrong credentials.
    #[error("not signed in")]
    Unauthorized(Problem),
    /// 403: signed in, but not allowed.
    #[error("not allowed")]
    Forbidden(Problem),
    /// 404: nothing here (or nothing this person may know of).
    #[error("not found")]
    NotFound(Problem),
    /// 409: the request conflicts with the current state.
    #[error("conflict: {}", .0.title)]
    Conflict(Problem),
    /// 429: too many attempts; `retry_after` in seconds when the server said.
    #[error("too many requests")]
    TooManyRequests { retry_after: Option<u32> },
    /// 502, 503 or 504: the server (or its database) cannot answer for a moment; worth
    /// trying again, after `retry_after` seconds when the server said.
    #[error("unavailable for a moment")]
    Unavailable { retry_after: Option<u32> },
    /// Any other 5xx, or anything else unexpected.
    #[error("server error {0}")]
    Server(u16),
    /// The response was not what the contract promises.
    #[error("unexpected response: {0}")]
    Decode(String),
    /// The network failed and the service worker keeps the submission in the outbox (its
    /// id): it will be delivered when the network returns.
    #[error("kept in the outbox: {0}")]
    Queued(String),
}

impl ApiError {
    /// The field errors the server listed, if any.
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            Self::Invalid(p) | Self::Conflict(p) => &p.errors,
            _ => &[],
        }
    }

    /// Turns a non-success status and its problem document into an error.
    pub fn from_status(status: u16, problem: Option<Problem>, retry_after: Option<u32>) -> Self {
        let problem = problem.unwrap_or_else(|| Problem {
            kind: "about:blank".into(),
            title: String::new(),
            status,
            detail: None,
            errors: vec![],
        });
        match status {
            400 | 413 | 415 | 422 => Self::Invalid(problem),
            401 => Self::Unauthorized(problem),
            403 => Self::Forbidden(problem),
            404 | 410 => Self::NotFound(problem),
            409 => Self::Conflict(problem),
            429 => Self::TooManyRequests { retry_after },
            502..=504 => Self::Unavailable { retry_after },
            s => Self::Server(s),
        }
    }
}

/// How many times a read is tried again when the server is unavailable for a moment.
pub const READ_RETRIES: u32 = 2;

/// How long to wait before trying a read again after its `attempt`-th (0-based) answer
/// was [`ApiError::Unavailable`]: what the server asked (`Retry-After`), else 2 s doubling,
/// always between 1 and 10 s; `None` once [`READ_RETRIES`] are spent or for any other
/// error (those a retry would not fix, or that the service worker already answered from
/// its saved copy).
pub fn read_retry_delay_ms(attempt: u32, err: &ApiError) -> Option<u32> {
    let ApiError::Unavailable { retry_after } = err else {
        return None;
    };
    if attempt >= READ_RETRIES {
        return None;
    }
    let secs = retry_after.unwrap_or(2u32.saturating_mul(1 << attempt.min(4)));
    Some(secs.clamp(1, 10) * 1000)
}

/// What a request carries. JSON comes already serialised ([`Body::json`]), so that the
/// request code exists once in the module instead of once per body type.
enum Body<'a> {
    None,
    Json(String),
    /// `multipart/form-data`; the browser sets the boundary.
    Form(&'a web_sys::FormData),
    /// A file sent as it is, with its own media type.
    File(&'a web_sys::File),
}

impl Body<'_> {
    /// `body` as JSON.
    fn json<B: Serialize>(body: &B) -> Result<Self, ApiError> {
        serde_json::to_string(body)
            .map(Body::Json)
            .map_err(|e| ApiError::Decode(e.to_string()))
    }
}

/// A future boxed so that its code exists once, not once per caller.
type Boxed<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + 'a>>;

/// Options of one request.
#[derive(Default)]
struct Send<'a> {
    /// Cancel the request when the reactive owner that asked is cleaned up (reads only:
    /// a submission must finish even if the person navigates away).
    abort_on_cleanup: bool,
    idempotency_key: Option<&'a str>,
    /// What the person would recognise the submission by, should it wait in the outbox.
    label: Option<&'a str>,
}

/// The files of a `multipart/form-data` submission: the part holding the JSON, and the
/// part each file goes in.
struct Upload<'a> {
    json_part: &'a str,
    files_part: &'a str,
    files: &'a [web_sys::File],
}

impl<'a> Upload<'a> {
    fn new(json_part: &'a str, files_part: &'a str, files: &'a [web_sys::File]) -> Self {
        Self {
            json_part,
            files_part,
            files,
        }
    }
}

/// A submission's options: its key and its outbox label.
fn keyed<'a>(key: &'a str, label: Option<&'a str>) -> Send<'a> {
    Send {
        abort_on_cleanup: false,
        idempotency_key: Some(key),
        label,
    }
}

/// The header that names a submission for the outbox (percent-encoded UTF-8).
pub const LABEL_HEADER: &str = "X-Hromada-Label";
/// The header the service worker sets on an answer it gave from its saved copy: when
/// that copy was saved.
pub const SAVED_AT_HEADER: &str = "x-hromada-saved-at";
/// The header the service worker sets on an answer from its saved copy.
pub const FROM_CACHE_HEADER: &str = "x-hromada-from-cache";
/// The header of the service worker's `202` for a submission it keeps in the outbox.
pub const QUEUED_HEADER: &str = "x-hromada-queued";

/// Percent-encodes a label for [`LABEL_HEADER`], at most 120 characters of it.
pub fn encode_label(label: &str) -> String {
    let short: String = label.trim().chars().take(120).collect();
    let mut out = String::with_capacity(short.len() * 3);
    for b in short.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The backend, as the app knows it: its base URL from `config.json`. Provided as context.
#[derive(Clone, Debug, PartialEq)]
pub struct Api {
    base: String,
    /// Where answers from the service worker's saved copies are noted (see
    /// [`crate::offline::Offline::saved_at`]).
    saved_at: Option<RwSignal<Option<String>>>,
}

impl Api {
    /// The backend at `base` (empty: same origin), outside the views (before the app is
    /// mounted).
    pub fn new(base: &str) -> Self {
        Self {
            base: base.trim_end_matches('/').to_owned(),
            saved_at: None,
        }
    }
}

/// Makes the backend at `base` (empty: same origin) available to every view.
pub fn provide_api(base: String) {
    provide_context(Api {
        saved_at: use_context::<crate::offline::Offline>().map(|o| o.saved_at),
        ..Api::new(&base)
    });
}

/// The backend provided by [`provide_api`].
pub fn use_api() -> Api {
    expect_context::<Api>()
}

impl Api {
    /// The backend's base URL (empty: the app's own origin).
    pub fn base(&self) -> &str {
        &self.base
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}{}", self.base, API_PREFIX, path)
    }

    /// Sends one request: sets the headers every request needs, a JSON body when given,
    /// and wires cancellation. Network failures become [`ApiError::Network`].
    fn send<'a>(
        &'a self,
        method: Method,
        path: &'a str,
        query: &'a [(&'a str, &'a str)],
        body: Body<'a>,
        opts: Send<'a>,
    ) -> Boxed<'a, Result<Response, ApiError>> {
        Box::pin(self.send_now(method, path, query, body, opts))
    }

    async fn send_now(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: Body<'_>,
        opts: Send<'_>,
    ) -> Result<Response, ApiError> {
        let mut builder = RequestBuilder::new(&self.url(path))
            .method(method)
            .credentials(RequestCredentials::Include)
            .header("Accept", "application/json")
            .header(CLIENT_HEADER, "web");
        if !query.is_empty() {
            builder = builder.query(query.iter().copied());
        }
        if let Some(key) = opts.idempotency_key {
            builder = builder.header(IDEMPOTENCY_KEY, key);
        }
        if let Some(label) = opts.label {
            builder = builder.header(LABEL_HEADER, &encode_label(label));
        }
        let controller = AbortController::new().ok();
        if let Some(c) = &controller {
            builder = builder.abort_signal(Some(&c.signal()));
            if opts.abort_on_cleanup && Owner::current().is_some() {
                let c = SendWrapper::new(c.clone());
                on_cleanup(move || c.abort());
            }
        }
        let request = match body {
            Body::None => builder.build(),
            Body::Json(b) => builder.header("Content-Type", "application/json").body(b),
            Body::Form(f) => builder.body(f.clone()),
            Body::File(f) => builder.header("Content-Type", &f.type_()).body(f.clone()),
        }
        .map_err(|e| ApiError::Decode(e.to_string()))?;
        let aborted = move || controller.as_ref().is_some_and(|c| c.signal().aborted());
        let resp = request.send().await.map_err(|_| {
            if aborted() {
                ApiError::Aborted
            } else {
                ApiError::Network
            }
        })?;
        let headers = resp.headers();
        if resp.status() == 202
            && let Some(id) = headers.get(QUEUED_HEADER)
        {
            return Err(ApiError::Queued(id));
        }
        if headers.get(FROM_CACHE_HEADER).is_some()
            && let (Some(at), Some(saved)) = (headers.get(SAVED_AT_HEADER), self.saved_at)
        {
            saved.update(|s| *s = crate::offline::older(s.take(), &at));
        }
        Ok(resp)
    }

    async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<T, ApiError> {
        decode(&self.get_text(path, query).await?)
    }

    /// A read's body, tried again while the server is unavailable for a moment.
    fn get_text<'a>(
        &'a self,
        path: &'a str,
        query: &'a [(&'a str, &'a str)],
    ) -> Boxed<'a, Result<String, ApiError>> {
        Box::pin(async move {
            // Cleaned up while waiting to try again: no more tries.
            let gone = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
            if Owner::current().is_some() {
                let gone = gone.clone();
                on_cleanup(move || gone.store(true, std::sync::atomic::Ordering::Relaxed));
            }
            let mut attempt = 0;
            loop {
                let opts = Send {
                    abort_on_cleanup: true,
                    ..Default::default()
                };
                let result = match self.send(Method::GET, path, query, Body::None, opts).await {
                    Ok(resp) => text(resp).await,
                    Err(e) => Err(e),
                };
                let Err(err) = &result else {
                    return result;
                };
                let Some(wait) = read_retry_delay_ms(attempt, err) else {
                    return result;
                };
                gloo_timers::future::TimeoutFuture::new(wait).await;
                if gone.load(std::sync::atomic::Ordering::Relaxed) {
                    return Err(ApiError::Aborted);
                }
                attempt += 1;
            }
        })
    }

    async fn write<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: &B,
        idempotency_key: Option<&str>,
    ) -> Result<T, ApiError> {
        self.submit(method, path, body, idempotency_key, None).await
    }

    /// A submission the outbox may keep when the network fails: `label` names it there.
    async fn submit<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: &B,
        idempotency_key: Option<&str>,
        label: Option<&str>,
    ) -> Result<T, ApiError> {
        let opts = Send {
            abort_on_cleanup: false,
            idempotency_key,
            label,
        };
        into_json(
            self.send(method, path, &[], Body::json(body)?, opts)
                .await?,
        )
        .await
    }

    /// A `multipart/form-data` POST: the JSON `body` in the part `up.json_part`, then each
    /// file in a part named `up.files_part`. Without files, the JSON is sent alone.
    async fn post_with_files<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
        up: Upload<'_>,
        opts: Send<'_>,
    ) -> Result<T, ApiError> {
        if up.files.is_empty() {
            return self
                .submit(Method::POST, path, body, opts.idempotency_key, opts.label)
                .await;
        }
        let json = serde_json::to_string(body).map_err(|e| ApiError::Decode(e.to_string()))?;
        let form = web_sys::FormData::new().map_err(|_| ApiError::Decode("FormData".into()))?;
        form.append_with_str(up.json_part, &json)
            .map_err(|_| ApiError::Decode("FormData".into()))?;
        for f in up.files {
            form.append_with_blob_and_filename(up.files_part, f, &f.name())
                .map_err(|_| ApiError::Decode("FormData".into()))?;
        }
        into_json(
            self.send(Method::POST, path, &[], Body::Form(&form), opts)
                .await?,
        )
        .await
    }

    async fn write_empty(&self, method: Method, path: &str) -> Result<(), ApiError> {
        let resp = self
            .send(method, path, &[], Body::None, Send::default())
            .await?;
        check(&resp).await
    }

    /// `GET /hromadas`: search communities by name.
    pub async fn hromadas(
        &self,
        q: &str,
        cursor: Option<&str>,
    ) -> Result<Page<HromadaSummary>, ApiError> {
        let mut query = vec![("q", q.trim())];
        if let Some(c) = cursor {
            query.push(("cursor", c));
        }
        self.get("/hromadas", &query).await
    }

    /// `GET /hromadas/{katottg}`.
    pub async fn hromada(&self, katottg: &str) -> Result<Hromada, ApiError> {
        self.get(&format!("/hromadas/{}", encode(katottg)), &[])
            .await
    }

    /// `POST /auth/register`: creates the account and signs in.
    pub async fn register(&self, req: &RegisterRequest, key: &str) -> Result<Me, ApiError> {
        self.write(Method::POST, "/auth/register", req, Some(key))
            .await
    }

    /// `POST /auth/login`.
    pub async fn login(&self, req: &LoginRequest) -> Result<Me, ApiError> {
        self.write(Method::POST, "/auth/login", req, None).await
    }

    /// `POST /auth/logout`: ends the session on the server.
    pub async fn logout(&self) -> Result<(), ApiError> {
        self.write_empty(Method::POST, "/auth/logout").await
    }

    /// `GET /me`.
    pub async fn me(&self) -> Result<Me, ApiError> {
        self.get("/me", &[]).await
    }

    /// `PATCH /me`.
    pub async fn update_me(&self, req: &UpdateProfile) -> Result<Me, ApiError> {
        self.write(Method::PATCH, "/me", req, None).await
    }

    /// `POST /me/password`.
    pub async fn change_password(&self, req: &ChangePassword) -> Result<(), ApiError> {
        let resp = self
            .send(
                Method::POST,
                "/me/password",
                &[],
                Body::json(req)?,
                Send::default(),
            )
            .await?;
        check(&resp).await
    }

    /// `POST /me/verification`: asks staff to confirm residence.
    pub async fn request_verification(&self) -> Result<Me, ApiError> {
        self.write(
            Method::POST,
            "/me/verification",
            &serde_json::json!({}),
            None,
        )
        .await
    }

    /// `GET /hromadas/{katottg}/verifications`: the staff's queue.
    pub async fn verifications(
        &self,
        katottg: &str,
        cursor: Option<&str>,
    ) -> Result<Page<VerificationRequest>, ApiError> {
        let query: Vec<(&str, &str)> = cursor.map(|c| ("cursor", c)).into_iter().collect();
        self.get(
            &format!("/hromadas/{}/verifications", encode(katottg)),
            &query,
        )
        .await
    }

    /// `POST /hromadas/{katottg}/verifications/{user_id}`.
    pub async fn decide_verification(
        &self,
        katottg: &str,
        user_id: &str,
        decision: &VerificationDecision,
    ) -> Result<(), ApiError> {
        let path = format!(
            "/hromadas/{}/verifications/{}",
            encode(katottg),
            encode(user_id)
        );
        let resp = self
            .send(
                Method::POST,
                &path,
                &[],
                Body::json(decision)?,
                Send::default(),
            )
            .await?;
        check(&resp).await
    }

    /// `GET /admin/users`.
    pub async fn admin_users(
        &self,
        q: &str,
        cursor: Option<&str>,
    ) -> Result<Page<AdminUser>, ApiError> {
        let mut query = vec![("q", q.trim())];
        if let Some(c) = cursor {
            query.push(("cursor", c));
        }
        self.get("/admin/users", &query).await
    }

    /// `PUT` or `DELETE /admin/users/{id}/staff/{katottg}`: grants or revokes the staff role.
    pub async fn set_staff(
        &self,
        user_id: &str,
        katottg: &str,
        grant: bool,
    ) -> Result<AdminUser, ApiError> {
        let path = format!("/admin/users/{}/staff/{}", encode(user_id), encode(katottg));
        if grant {
            self.write(Method::PUT, &path, &serde_json::json!({}), None)
                .await
        } else {
            let resp = self
                .send(Method::DELETE, &path, &[], Body::None, Send::default())
                .await?;
            into_json(resp).await
        }
    }
}

/// Filters of a news feed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewsQuery {
    pub category: Option<String>,
    pub q: String,
    /// Staff: include drafts and scheduled items.
    pub all: bool,
}

impl Api {
    /// `GET /hromadas/{katottg}/news`.
    pub async fn news(
        &self,
        katottg: &str,
        filter: &NewsQuery,
        cursor: Option<&str>,
    ) -> Result<Page<NewsSummary>, ApiError> {
        let mut query = vec![];
        if let Some(c) = &filter.category {
            query.push(("category", c.as_str()));
        }
        if !filter.q.trim().is_empty() {
            query.push(("q", filter.q.trim()));
        }
        if filter.all {
            query.push(("status", "all"));
        }
        if let Some(c) = cursor {
            query.push(("cursor", c));
        }
        self.get(&format!("/hromadas/{}/news", encode(katottg)), &query)
            .await
    }

    /// `GET /news/{id}`.
    pub async fn news_item(&self, id: &str) -> Result<NewsItem, ApiError> {
        self.get(&format!("/news/{}", encode(id)), &[]).await
    }

    /// `POST /hromadas/{katottg}/news`.
    pub async fn create_news(
        &self,
        katottg: &str,
        draft: &NewsDraft,
        key: &str,
    ) -> Result<NewsItem, ApiError> {
        let path = format!("/hromadas/{}/news", encode(katottg));
        self.write(Method::POST, &path, draft, Some(key)).await
    }

    /// `PUT /news/{id}`.
    pub async fn update_news(&self, id: &str, draft: &NewsDraft) -> Result<NewsItem, ApiError> {
        self.write(Method::PUT, &format!("/news/{}", encode(id)), draft, None)
            .await
    }

    /// `DELETE /news/{id}`.
    pub async fn delete_news(&self, id: &str) -> Result<(), ApiError> {
        self.write_empty(Method::DELETE, &format!("/news/{}", encode(id)))
            .await
    }

    /// `POST /hromadas/{katottg}/media`: uploads an image file as it is; the server
    /// strips its metadata and makes the sizes the app shows.
    pub async fn upload_image(
        &self,
        katottg: &str,
        file: &web_sys::File,
    ) -> Result<Image, ApiError> {
        let path = format!("/hromadas/{}/media", encode(katottg));
        let resp = self
            .send(Method::POST, &path, &[], Body::File(file), Send::default())
            .await?;
        into_json(resp).await
    }

    /// `GET /hromadas/{katottg}/alerts`: the active alerts (`all`: staff see every one).
    pub async fn alerts(&self, katottg: &str, all: bool) -> Result<Page<Alert>, ApiError> {
        let query: &[(&str, &str)] = if all { &[("all", "1")] } else { &[] };
        self.get(&format!("/hromadas/{}/alerts", encode(katottg)), query)
            .await
    }

    /// `POST /hromadas/{katottg}/alerts`.
    pub async fn create_alert(
        &self,
        katottg: &str,
        draft: &AlertDraft,
        key: &str,
    ) -> Result<Alert, ApiError> {
        let path = format!("/hromadas/{}/alerts", encode(katottg));
        self.write(Method::POST, &path, draft, Some(key)).await
    }

    /// `PUT /alerts/{id}`.
    pub async fn update_alert(&self, id: &str, draft: &AlertDraft) -> Result<Alert, ApiError> {
        self.write(Method::PUT, &format!("/alerts/{}", encode(id)), draft, None)
            .await
    }

    /// `POST /alerts/{id}/end`.
    pub async fn end_alert(&self, id: &str) -> Result<Alert, ApiError> {
        let path = format!("/alerts/{}/end", encode(id));
        self.write(Method::POST, &path, &serde_json::json!({}), None)
            .await
    }

    /// The URL of a hromada's live event stream (Server-Sent Events).
    pub fn events_url(&self, katottg: &str) -> String {
        self.url(&format!("/hromadas/{}/events", encode(katottg)))
    }
}

/// Filters of the staff's inbox of appeals.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InboxQuery {
    /// A status code, or `open`.
    pub status: String,
    pub category: String,
    pub kind: String,
    pub assignee: String,
}

impl Api {
    /// `GET /hromadas/{katottg}/appeal-categories` (`archived`: staff see removed ones too).
    pub async fn appeal_categories(
        &self,
        katottg: &str,
        archived: bool,
    ) -> Result<Vec<AppealCategory>, ApiError> {
        let query: &[(&str, &str)] = if archived {
            &[("archived", "true")]
        } else {
            &[]
        };
        let path = format!("/hromadas/{}/appeal-categories", encode(katottg));
        self.get(&path, query).await
    }

    /// `POST /hromadas/{katottg}/appeal-categories`.
    pub async fn create_category(
        &self,
        katottg: &str,
        draft: &CategoryDraft,
        key: &str,
    ) -> Result<AppealCategory, ApiError> {
        let path = format!("/hromadas/{}/appeal-categories", encode(katottg));
        self.write(Method::POST, &path, draft, Some(key)).await
    }

    /// `PUT /appeal-categories/{id}`: renames a category.
    pub async fn rename_category(
        &self,
        id: &str,
        draft: &CategoryDraft,
    ) -> Result<AppealCategory, ApiError> {
        let path = format!("/appeal-categories/{}", encode(id));
        self.write(Method::PUT, &path, draft, None).await
    }

    /// `DELETE /appeal-categories/{id}`: takes a category off the list.
    pub async fn archive_category(&self, id: &str) -> Result<(), ApiError> {
        self.write_empty(
            Method::DELETE,
            &format!("/appeal-categories/{}", encode(id)),
        )
        .await
    }

    /// `POST /hromadas/{katottg}/appeals`: sends an appeal with its photos.
    pub async fn create_appeal(
        &self,
        katottg: &str,
        appeal: &NewAppeal,
        photos: &[web_sys::File],
        key: &str,
    ) -> Result<Appeal, ApiError> {
        let path = format!("/hromadas/{}/appeals", encode(katottg));
        let up = Upload::new("appeal", "photos", photos);
        let label = Some(appeal.subject.as_str());
        self.post_with_files(&path, appeal, up, keyed(key, label))
            .await
    }

    /// `GET /hromadas/{katottg}/appeals`: the appeals their authors made public.
    pub async fn public_appeals(
        &self,
        katottg: &str,
        cursor: Option<&str>,
    ) -> Result<Page<AppealSummary>, ApiError> {
        let query: Vec<(&str, &str)> = cursor.map(|c| ("cursor", c)).into_iter().collect();
        self.get(&format!("/hromadas/{}/appeals", encode(katottg)), &query)
            .await
    }

    /// `GET /hromadas/{katottg}/appeals/inbox`: the staff's inbox, nearest deadline first.
    pub async fn inbox(
        &self,
        katottg: &str,
        filter: &InboxQuery,
        cursor: Option<&str>,
    ) -> Result<Inbox, ApiError> {
        let mut query = vec![];
        for (name, value) in [
            ("status", &filter.status),
            ("category", &filter.category),
            ("kind", &filter.kind),
            ("assignee", &filter.assignee),
        ] {
            if !value.is_empty() {
                query.push((name, value.as_str()));
            }
        }
        if let Some(c) = cursor {
            query.push(("cursor", c));
        }
        let path = format!("/hromadas/{}/appeals/inbox", encode(katottg));
        self.get(&path, &query).await
    }

    /// `GET /me/appeals`: the signed-in person's appeals, newest first.
    pub async fn my_appeals(&self, cursor: Option<&str>) -> Result<Page<AppealSummary>, ApiError> {
        let query: Vec<(&str, &str)> = cursor.map(|c| ("cursor", c)).into_iter().collect();
        self.get("/me/appeals", &query).await
    }

    /// `GET /appeals/{id}`.
    pub async fn appeal(&self, id: &str) -> Result<Appeal, ApiError> {
        self.get(&format!("/appeals/{}", encode(id)), &[]).await
    }

    /// `PATCH /appeals/{id}`: the author shows or hides it in the public list.
    pub async fn set_appeal_public(&self, id: &str, public: bool) -> Result<Appeal, ApiError> {
        let path = format!("/appeals/{}", encode(id));
        self.write(Method::PATCH, &path, &AppealVisibility { public }, None)
            .await
    }

    /// `POST /appeals/{id}/actions`: a staff step.
    pub async fn appeal_action(&self, id: &str, action: &StaffAction) -> Result<Appeal, ApiError> {
        let path = format!("/appeals/{}/actions", encode(id));
        self.write(Method::POST, &path, action, None).await
    }

    /// `POST /appeals/{id}/answer`: the official answer with its files.
    pub async fn answer_appeal(
        &self,
        id: &str,
        answer: &AnswerDraft,
        files: &[web_sys::File],
        key: &str,
    ) -> Result<Appeal, ApiError> {
        let path = format!("/appeals/{}/answer", encode(id));
        self.post_with_files(
            &path,
            answer,
            Upload::new("answer", "files", files),
            keyed(key, None),
        )
        .await
    }

    /// `PUT /appeals/{id}/rating`: the author rates the answer.
    pub async fn rate_appeal(&self, id: &str, rating: &RatingDraft) -> Result<Appeal, ApiError> {
        let path = format!("/appeals/{}/rating", encode(id));
        self.write(Method::PUT, &path, rating, None).await
    }

    /// `GET /me/notifications`: newest first, with the unread count.
    pub async fn notifications(&self, cursor: Option<&str>) -> Result<Notifications, ApiError> {
        let query: Vec<(&str, &str)> = cursor.map(|c| ("cursor", c)).into_iter().collect();
        self.get("/me/notifications", &query).await
    }

    /// `POST /me/notifications/{id}/read`.
    pub async fn mark_read(&self, id: &str) -> Result<(), ApiError> {
        let path = format!("/me/notifications/{}/read", encode(id));
        self.write_empty(Method::POST, &path).await
    }

    /// `POST /me/notifications/read-all`.
    pub async fn mark_all_read(&self) -> Result<(), ApiError> {
        self.write_empty(Method::POST, "/me/notifications/read-all")
            .await
    }
}

/// Filters of a list of petitions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PetitionQuery {
    pub status: petitions::PetitionStatus,
    pub sort: PetitionSort,
    pub q: String,
}

impl Api {
    /// `GET /hromadas/{katottg}/petitions`.
    pub async fn petitions(
        &self,
        katottg: &str,
        filter: &PetitionQuery,
        cursor: Option<&str>,
    ) -> Result<Page<PetitionSummary>, ApiError> {
        let mut query = vec![
            ("status", filter.status.code()),
            ("sort", filter.sort.code()),
        ];
        if !filter.q.trim().is_empty() {
            query.push(("q", filter.q.trim()));
        }
        if let Some(c) = cursor {
            query.push(("cursor", c));
        }
        let path = format!("/hromadas/{}/petitions", encode(katottg));
        self.get(&path, &query).await
    }

    /// `GET /me/petitions`: the petitions the person wrote.
    pub async fn my_petitions(
        &self,
        cursor: Option<&str>,
    ) -> Result<Page<PetitionSummary>, ApiError> {
        let query: Vec<(&str, &str)> = cursor.map(|c| ("cursor", c)).into_iter().collect();
        self.get("/me/petitions", &query).await
    }

    /// `GET /petitions/{id}`.
    pub async fn petition(&self, id: &str) -> Result<Petition, ApiError> {
        self.get(&format!("/petitions/{}", encode(id)), &[]).await
    }

    /// `POST /hromadas/{katottg}/petitions`: submits a petition for moderation.
    pub async fn create_petition(
        &self,
        katottg: &str,
        petition: &NewPetition,
        key: &str,
    ) -> Result<Petition, ApiError> {
        let path = format!("/hromadas/{}/petitions", encode(katottg));
        self.write(Method::POST, &path, petition, Some(key)).await
    }

    /// `POST /petitions/{id}/signatures`: signs (409 if already signed). `title` names
    /// the signature in the outbox.
    pub async fn sign_petition(
        &self,
        id: &str,
        key: &str,
        title: &str,
    ) -> Result<Signed, ApiError> {
        let path = signatures_path(id);
        let body = serde_json::json!({});
        self.submit(Method::POST, &path, &body, Some(key), Some(title))
            .await
    }

    /// `GET /petitions/{id}/signatures`: who signed, oldest first.
    pub async fn signers(&self, id: &str, cursor: Option<&str>) -> Result<Page<Signer>, ApiError> {
        let query: Vec<(&str, &str)> = cursor.map(|c| ("cursor", c)).into_iter().collect();
        self.get(&signatures_path(id), &query).await
    }

    /// `POST /petitions/{id}/moderation`: publish or reject.
    pub async fn moderate_petition(
        &self,
        id: &str,
        decision: &Moderation,
    ) -> Result<Petition, ApiError> {
        let path = format!("/petitions/{}/moderation", encode(id));
        self.write(Method::POST, &path, decision, None).await
    }

    /// `POST /petitions/{id}/answer`: the council's answer and decision.
    pub async fn answer_petition(
        &self,
        id: &str,
        answer: &petitions::AnswerDraft,
    ) -> Result<Petition, ApiError> {
        let path = format!("/petitions/{}/answer", encode(id));
        self.write(Method::POST, &path, answer, None).await
    }

    /// `PUT /hromadas/{katottg}/petition-settings`.
    pub async fn set_petition_settings(
        &self,
        katottg: &str,
        settings: &PetitionSettings,
    ) -> Result<(), ApiError> {
        let path = format!("/hromadas/{}/petition-settings", encode(katottg));
        let resp = self
            .send(
                Method::PUT,
                &path,
                &[],
                Body::json(settings)?,
                Send::default(),
            )
            .await?;
        check(&resp).await
    }
}

/// Filters of a cycle's list of projects (written once in the shared views).
pub use hromada_views::budget::ProjectFilter as ProjectQuery;

impl Api {
    /// `GET /hromadas/{katottg}/budget-cycles`: newest first.
    pub async fn budget_cycles(&self, katottg: &str) -> Result<Vec<budget::Cycle>, ApiError> {
        self.get(&format!("/hromadas/{}/budget-cycles", encode(katottg)), &[])
            .await
    }

    /// `GET /budget-cycles/{id}`.
    pub async fn budget_cycle(&self, id: &str) -> Result<budget::Cycle, ApiError> {
        self.get(&format!("/budget-cycles/{}", encode(id)), &[])
            .await
    }

    /// `POST /hromadas/{katottg}/budget-cycles` (staff).
    pub async fn create_budget_cycle(
        &self,
        katottg: &str,
        draft: &budget::CycleDraft,
        key: &str,
    ) -> Result<budget::Cycle, ApiError> {
        let path = format!("/hromadas/{}/budget-cycles", encode(katottg));
        self.write(Method::POST, &path, draft, Some(key)).await
    }

    /// `PUT /budget-cycles/{id}` (staff).
    pub async fn update_budget_cycle(
        &self,
        id: &str,
        draft: &budget::CycleDraft,
    ) -> Result<budget::Cycle, ApiError> {
        let path = format!("/budget-cycles/{}", encode(id));
        self.write(Method::PUT, &path, draft, None).await
    }

    /// `GET /budget-cycles/{id}/projects`: all of them, filtered and sorted.
    pub async fn budget_projects(
        &self,
        cycle: &str,
        filter: &ProjectQuery,
    ) -> Result<Vec<budget::ProjectSummary>, ApiError> {
        let mut query = vec![("sort", filter.sort.code())];
        if let Some(c) = filter.category {
            query.push(("category", c.code()));
        }
        if let Some(s) = filter.status {
            query.push(("status", s.code()));
        }
        if filter.mine {
            query.push(("mine", "true"));
        }
        let path = format!("/budget-cycles/{}/projects", encode(cycle));
        self.get(&path, &query).await
    }

    /// `POST /budget-cycles/{id}/projects`: submits a project with its images.
    pub async fn create_budget_project(
        &self,
        cycle: &str,
        project: &budget::NewProject,
        images: &[web_sys::File],
        key: &str,
    ) -> Result<budget::Project, ApiError> {
        let path = format!("/budget-cycles/{}/projects", encode(cycle));
        self.post_with_files(
            &path,
            project,
            Upload::new("project", "images", images),
            keyed(key, None),
        )
        .await
    }

    /// `GET /budget-projects/{id}`.
    pub async fn budget_project(&self, id: &str) -> Result<budget::Project, ApiError> {
        self.get(&format!("/budget-projects/{}", encode(id)), &[])
            .await
    }

    /// `PUT /budget-projects/{id}`: the author's changes; back to review.
    pub async fn update_budget_project(
        &self,
        id: &str,
        project: &budget::NewProject,
    ) -> Result<budget::Project, ApiError> {
        let path = format!("/budget-projects/{}", encode(id));
        self.write(Method::PUT, &path, project, None).await
    }

    /// `POST /budget-projects/{id}/review` (staff).
    pub async fn review_budget_project(
        &self,
        id: &str,
        review: &budget::Review,
    ) -> Result<budget::Project, ApiError> {
        let path = format!("/budget-projects/{}/review", encode(id));
        self.write(Method::POST, &path, review, None).await
    }

    /// `POST /budget-projects/{id}/cost` (staff).
    pub async fn adjust_budget_cost(
        &self,
        id: &str,
        adjustment: &budget::CostAdjustment,
    ) -> Result<budget::Project, ApiError> {
        let path = format!("/budget-projects/{}/cost", encode(id));
        self.write(Method::POST, &path, adjustment, None).await
    }

    /// `PUT /budget-projects/{id}/implementation` (staff).
    pub async fn set_implementation(
        &self,
        id: &str,
        report: &budget::Implementation,
    ) -> Result<budget::Project, ApiError> {
        let path = format!("/budget-projects/{}/implementation", encode(id));
        self.write(Method::PUT, &path, report, None).await
    }

    /// `GET /budget-cycles/{id}/ballot`: the reader's selection.
    pub async fn ballot(&self, cycle: &str) -> Result<budget::Ballot, ApiError> {
        self.get(&format!("/budget-cycles/{}/ballot", encode(cycle)), &[])
            .await
    }

    /// `PUT /budget-cycles/{id}/ballot`: casts or changes the vote.
    pub async fn vote(
        &self,
        cycle: &str,
        draft: &budget::BallotDraft,
        title: &str,
    ) -> Result<budget::Ballot, ApiError> {
        let path = format!("/budget-cycles/{}/ballot", encode(cycle));
        self.submit(Method::PUT, &path, draft, None, Some(title))
            .await
    }

    /// `GET /budget-cycles/{id}/results`.
    pub async fn budget_results(&self, cycle: &str) -> Result<budget::Results, ApiError> {
        self.get(&format!("/budget-cycles/{}/results", encode(cycle)), &[])
            .await
    }

    /// The address of the results as CSV (staff), for a download link.
    pub fn budget_results_csv_url(&self, cycle: &str) -> String {
        self.url(&format!("/budget-cycles/{}/results.csv", encode(cycle)))
    }
}

/// Which polls of a hromada to list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PollState {
    /// Scheduled and open.
    #[default]
    Active,
    /// Closed.
    Past,
    /// Not published (staff).
    Draft,
}

impl PollState {
    /// The code used in URLs.
    pub fn code(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Past => "past",
            Self::Draft => "draft",
        }
    }

    /// The state with this code.
    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Active, Self::Past, Self::Draft]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

impl Api {
    /// `GET /hromadas/{katottg}/polls?state=`.
    pub async fn polls(
        &self,
        katottg: &str,
        state: PollState,
        cursor: Option<&str>,
    ) -> Result<Page<polls::Poll>, ApiError> {
        let mut query = vec![("state", state.code())];
        if let Some(c) = cursor {
            query.push(("cursor", c));
        }
        self.get(&format!("/hromadas/{}/polls", encode(katottg)), &query)
            .await
    }

    /// `GET /polls/{id}`.
    pub async fn poll(&self, id: &str) -> Result<polls::Poll, ApiError> {
        self.get(&format!("/polls/{}", encode(id)), &[]).await
    }

    /// `POST /hromadas/{katottg}/polls` (staff): a draft.
    pub async fn create_poll(
        &self,
        katottg: &str,
        draft: &polls::PollDraft,
        key: &str,
    ) -> Result<polls::Poll, ApiError> {
        let path = format!("/hromadas/{}/polls", encode(katottg));
        self.write(Method::POST, &path, draft, Some(key)).await
    }

    /// `PUT /polls/{id}` (staff).
    pub async fn update_poll(
        &self,
        id: &str,
        draft: &polls::PollDraft,
    ) -> Result<polls::Poll, ApiError> {
        let path = format!("/polls/{}", encode(id));
        self.write(Method::PUT, &path, draft, None).await
    }

    /// `POST /polls/{id}/publish` (staff).
    pub async fn publish_poll(&self, id: &str) -> Result<polls::Poll, ApiError> {
        let path = format!("/polls/{}/publish", encode(id));
        self.write(Method::POST, &path, &serde_json::json!({}), None)
            .await
    }

    /// `DELETE /polls/{id}` (staff; drafts only).
    pub async fn delete_poll(&self, id: &str) -> Result<(), ApiError> {
        self.write_empty(Method::DELETE, &format!("/polls/{}", encode(id)))
            .await
    }

    /// `POST /polls/{id}/responses`: answers, once.
    pub async fn answer_poll(
        &self,
        id: &str,
        response: &polls::ResponseDraft,
        key: &str,
        title: &str,
    ) -> Result<polls::Poll, ApiError> {
        let path = format!("/polls/{}/responses", encode(id));
        self.submit(Method::POST, &path, response, Some(key), Some(title))
            .await
    }

    /// `GET /polls/{id}/results`.
    pub async fn poll_results(&self, id: &str) -> Result<polls::PollResults, ApiError> {
        self.get(&format!("/polls/{}/results", encode(id)), &[])
            .await
    }

    /// `GET /polls/{id}/questions/{q}/texts`: free-text answers, newest first.
    pub async fn poll_texts(
        &self,
        id: &str,
        question: usize,
        cursor: Option<&str>,
    ) -> Result<Page<polls::TextAnswer>, ApiError> {
        let query: Vec<(&str, &str)> = cursor.map(|c| ("cursor", c)).into_iter().collect();
        let path = format!("/polls/{}/questions/{question}/texts", encode(id));
        self.get(&path, &query).await
    }

    /// The address of the results as CSV (staff), for a download link.
    pub fn poll_results_csv_url(&self, id: &str) -> String {
        self.url(&format!("/polls/{}/results.csv", encode(id)))
    }
    /// `GET /hromadas/{katottg}/services?cursor=`: the catalogue, by life situation.
    pub async fn services(
        &self,
        katottg: &str,
        cursor: Option<&str>,
    ) -> Result<Page<services::ServiceSummary>, ApiError> {
        let query: Vec<(&str, &str)> = cursor.map(|c| ("cursor", c)).into_iter().collect();
        self.get(&format!("/hromadas/{}/services", encode(katottg)), &query)
            .await
    }

    /// `GET /services/{id}`.
    pub async fn service(&self, id: &str) -> Result<services::Service, ApiError> {
        self.get(&format!("/services/{}", encode(id)), &[]).await
    }

    /// `POST /hromadas/{katottg}/services` (staff).
    pub async fn create_service(
        &self,
        katottg: &str,
        draft: &services::ServiceDraft,
        key: &str,
    ) -> Result<services::Service, ApiError> {
        let path = format!("/hromadas/{}/services", encode(katottg));
        self.write(Method::POST, &path, draft, Some(key)).await
    }

    /// `PUT /services/{id}` (staff).
    pub async fn update_service(
        &self,
        id: &str,
        draft: &services::ServiceDraft,
    ) -> Result<services::Service, ApiError> {
        let path = format!("/services/{}", encode(id));
        self.write(Method::PUT, &path, draft, None).await
    }

    /// `DELETE /services/{id}` (staff).
    pub async fn delete_service(&self, id: &str) -> Result<(), ApiError> {
        self.write_empty(Method::DELETE, &format!("/services/{}", encode(id)))
            .await
    }

    /// `GET /hromadas/{katottg}/answers?cursor=`: frequently asked questions.
    pub async fn answers(
        &self,
        katottg: &str,
        cursor: Option<&str>,
    ) -> Result<Page<services::Answer>, ApiError> {
        let query: Vec<(&str, &str)> = cursor.map(|c| ("cursor", c)).into_iter().collect();
        self.get(&format!("/hromadas/{}/answers", encode(katottg)), &query)
            .await
    }

    /// `GET /answers/{id}`.
    pub async fn answer(&self, id: &str) -> Result<services::Answer, ApiError> {
        self.get(&format!("/answers/{}", encode(id)), &[]).await
    }

    /// `POST /hromadas/{katottg}/answers` (staff).
    pub async fn create_answer(
        &self,
        katottg: &str,
        draft: &services::AnswerDraft,
        key: &str,
    ) -> Result<services::Answer, ApiError> {
        let path = format!("/hromadas/{}/answers", encode(katottg));
        self.write(Method::POST, &path, draft, Some(key)).await
    }

    /// `PUT /answers/{id}` (staff).
    pub async fn update_answer(
        &self,
        id: &str,
        draft: &services::AnswerDraft,
    ) -> Result<services::Answer, ApiError> {
        let path = format!("/answers/{}", encode(id));
        self.write(Method::PUT, &path, draft, None).await
    }

    /// `DELETE /answers/{id}` (staff).
    pub async fn delete_answer(&self, id: &str) -> Result<(), ApiError> {
        self.write_empty(Method::DELETE, &format!("/answers/{}", encode(id)))
            .await
    }

    /// `GET /hromadas/{katottg}/centre`: where and when services are given (404 while the
    /// hromada has not described it).
    pub async fn centre(&self, katottg: &str) -> Result<services::Centre, ApiError> {
        self.get(&format!("/hromadas/{}/centre", encode(katottg)), &[])
            .await
    }

    /// `PUT /hromadas/{katottg}/centre` (staff).
    pub async fn update_centre(
        &self,
        katottg: &str,
        centre: &services::Centre,
    ) -> Result<services::Centre, ApiError> {
        let path = format!("/hromadas/{}/centre", encode(katottg));
        self.write(Method::PUT, &path, centre, None).await
    }

    /// `GET /hromadas/{katottg}/services/search?q=`: services and answers matching the words.
    pub async fn search_services(
        &self,
        katottg: &str,
        q: &str,
    ) -> Result<services::SearchResults, ApiError> {
        let path = format!("/hromadas/{}/services/search", encode(katottg));
        self.get(&path, &[("q", q)]).await
    }

    /// `POST /hromadas/{katottg}/consultations`: asks the hromada's staff.
    pub async fn ask(
        &self,
        katottg: &str,
        message: &services::NewMessage,
        key: &str,
    ) -> Result<services::Consultation, ApiError> {
        let path = format!("/hromadas/{}/consultations", encode(katottg));
        let label = services::subject(&message.text);
        self.submit(Method::POST, &path, message, Some(key), Some(&label))
            .await
    }

    /// `GET /me/consultations?cursor=`: the person's own, latest first.
    pub async fn my_consultations(
        &self,
        cursor: Option<&str>,
    ) -> Result<Page<services::ConsultationSummary>, ApiError> {
        let query: Vec<(&str, &str)> = cursor.map(|c| ("cursor", c)).into_iter().collect();
        self.get("/me/consultations", &query).await
    }

    /// `GET /hromadas/{katottg}/consultations?status=` (staff): waiting ones oldest first.
    pub async fn staff_consultations(
        &self,
        katottg: &str,
        status: services::ConsultationStatus,
        cursor: Option<&str>,
    ) -> Result<Page<services::ConsultationSummary>, ApiError> {
        let mut query = vec![("status", status.code())];
        if let Some(c) = cursor {
            query.push(("cursor", c));
        }
        let path = format!("/hromadas/{}/consultations", encode(katottg));
        self.get(&path, &query).await
    }

    /// `GET /consultations/{id}`.
    pub async fn consultation(&self, id: &str) -> Result<services::Consultation, ApiError> {
        self.get(&format!("/consultations/{}", encode(id)), &[])
            .await
    }

    /// `POST /consultations/{id}/messages`: the author or staff write.
    pub async fn write_message(
        &self,
        id: &str,
        message: &services::NewMessage,
        key: &str,
    ) -> Result<services::Consultation, ApiError> {
        let path = format!("/consultations/{}/messages", encode(id));
        let label = services::subject(&message.text);
        self.submit(Method::POST, &path, message, Some(key), Some(&label))
            .await
    }

    /// `POST /consultations/{id}/close`.
    pub async fn close_consultation(&self, id: &str) -> Result<services::Consultation, ApiError> {
        let path = format!("/consultations/{}/close", encode(id));
        self.write(Method::POST, &path, &serde_json::json!({}), None)
            .await
    }
}

/// Reaching a person when the app is closed: push devices, a hromada's alerts on a
/// device, notification settings, getting an account back, confirming an address, the
/// emailed unsubscribe link, and the record of what was sent about an appeal.
impl Api {
    /// A request with a JSON body whose answer has none (204, 202).
    async fn write_json_empty<B: Serialize>(
        &self,
        method: Method,
        path: &str,
        body: &B,
    ) -> Result<(), ApiError> {
        let resp = self
            .send(method, path, &[], Body::json(body)?, Send::default())
            .await?;
        check(&resp).await
    }

    /// `GET /push/key`: the server's VAPID public key.
    pub async fn push_key(&self) -> Result<delivery::PushKey, ApiError> {
        self.get("/push/key", &[]).await
    }

    /// `POST /me/push-subscriptions`: this device gets the person's notifications.
    pub async fn register_device(
        &self,
        sub: &delivery::PushSubscriptionJson,
    ) -> Result<delivery::PushDevice, ApiError> {
        let key = new_idempotency_key();
        self.write(Method::POST, "/me/push-subscriptions", sub, Some(&key))
            .await
    }

    /// `GET /me/push-subscriptions`: the person's devices.
    pub async fn devices(&self) -> Result<Page<delivery::PushDevice>, ApiError> {
        self.get("/me/push-subscriptions", &[]).await
    }

    /// `DELETE /me/push-subscriptions/{id}`.
    pub async fn remove_device(&self, id: &str) -> Result<(), ApiError> {
        let path = format!("/me/push-subscriptions/{}", encode(id));
        self.write_empty(Method::DELETE, &path).await
    }

    /// `POST /hromadas/{katottg}/alert-subscriptions`: this device gets the hromada's
    /// urgent alerts (no sign-in needed).
    pub async fn subscribe_alerts(
        &self,
        katottg: &str,
        sub: &delivery::PushSubscriptionJson,
    ) -> Result<delivery::PushDevice, ApiError> {
        let key = new_idempotency_key();
        let path = format!("/hromadas/{}/alert-subscriptions", encode(katottg));
        self.write(Method::POST, &path, sub, Some(&key)).await
    }

    /// `DELETE /hromadas/{katottg}/alert-subscriptions`: this device stops getting them.
    pub async fn unsubscribe_alerts(&self, katottg: &str, endpoint: &str) -> Result<(), ApiError> {
        let path = format!("/hromadas/{}/alert-subscriptions", encode(katottg));
        let body = delivery::AlertUnsubscribe {
            endpoint: endpoint.to_owned(),
        };
        self.write_json_empty(Method::DELETE, &path, &body).await
    }

    /// `GET /me/notification-settings`.
    pub async fn notification_settings(&self) -> Result<delivery::NotificationSettings, ApiError> {
        self.get("/me/notification-settings", &[]).await
    }

    /// `PUT /me/notification-settings`.
    pub async fn set_notification_settings(
        &self,
        settings: &delivery::NotificationSettings,
    ) -> Result<delivery::NotificationSettings, ApiError> {
        self.write(Method::PUT, "/me/notification-settings", settings, None)
            .await
    }

    /// `POST /auth/password-reset`: the same answer whether or not the address has an
    /// account.
    pub async fn request_password_reset(&self, email: &str) -> Result<(), ApiError> {
        let body = delivery::PasswordResetRequest {
            email: email.to_owned(),
        };
        self.write_json_empty(Method::POST, "/auth/password-reset", &body)
            .await
    }

    /// `POST /auth/password-reset/confirm`: the emailed token and the new password.
    pub async fn confirm_password_reset(
        &self,
        req: &delivery::PasswordResetConfirm,
    ) -> Result<(), ApiError> {
        self.write_json_empty(Method::POST, "/auth/password-reset/confirm", req)
            .await
    }

    /// `POST /auth/email-confirmation`: the emailed token proves the address.
    pub async fn confirm_email(&self, token: &str) -> Result<(), ApiError> {
        let body = delivery::EmailConfirm {
            token: token.to_owned(),
        };
        self.write_json_empty(Method::POST, "/auth/email-confirmation", &body)
            .await
    }

    /// `POST /me/email-confirmation`: sends the confirmation link again.
    pub async fn resend_confirmation(&self) -> Result<(), ApiError> {
        self.write_json_empty(
            Method::POST,
            "/me/email-confirmation",
            &serde_json::json!({}),
        )
        .await
    }

    /// `GET /unsubscribe/{token}`: what the emailed link switches off.
    pub async fn unsubscribe_info(&self, token: &str) -> Result<delivery::Unsubscribe, ApiError> {
        self.get(&format!("/unsubscribe/{}", encode(token)), &[])
            .await
    }

    /// `POST /unsubscribe/{token}`: switches it off.
    pub async fn unsubscribe(&self, token: &str) -> Result<delivery::Unsubscribe, ApiError> {
        let path = format!("/unsubscribe/{}", encode(token));
        self.write(Method::POST, &path, &serde_json::json!({}), None)
            .await
    }

    /// `GET /appeals/{id}/deliveries`: when and where the answer and updates were sent
    /// (the author and staff).
    pub async fn appeal_deliveries(&self, id: &str) -> Result<Page<delivery::Delivery>, ApiError> {
        self.get(&format!("/appeals/{}/deliveries", encode(id)), &[])
            .await
    }
}

/// `/petitions/{id}/signatures`, the address a signature is sent to (relative to the API).
pub fn signatures_path(id: &str) -> String {
    format!("/petitions/{}/signatures", encode(id))
}

fn encode(segment: &str) -> String {
    String::from(js_sys::encode_uri_component(segment))
}

/// Checks the status; on failure decodes the problem document into an [`ApiError`].
async fn check(resp: &Response) -> Result<(), ApiError> {
    if resp.ok() {
        return Ok(());
    }
    let status = resp.status();
    let retry_after = resp
        .headers()
        .get("Retry-After")
        .and_then(|v| v.trim().parse().ok());
    let is_problem = resp
        .headers()
        .get("Content-Type")
        .is_some_and(|t| t.starts_with(PROBLEM_JSON) || t.starts_with("application/json"));
    let problem = if is_problem {
        resp.json::<Problem>().await.ok()
    } else {
        None
    };
    Err(ApiError::from_status(status, problem, retry_after))
}

/// Checks the status and decodes the body as `T`.
pub async fn into_json<T: DeserializeOwned>(resp: Response) -> Result<T, ApiError> {
    decode(&text(resp).await?)
}

/// Checks the status and reads the body (boxed: the code exists once).
fn text(resp: Response) -> Boxed<'static, Result<String, ApiError>> {
    Box::pin(async move {
        check(&resp).await?;
        resp.text()
            .await
            .map_err(|e| ApiError::Decode(e.to_string()))
    })
}

/// Decodes a body the contract says is a `T`.
fn decode<T: DeserializeOwned>(body: &str) -> Result<T, ApiError> {
    serde_json::from_str(body).map_err(|e| ApiError::Decode(e.to_string()))
}

/// A fresh random key for `Idempotency-Key`: one per submission attempt, kept across retries.
pub fn new_idempotency_key() -> String {
    let part = || {
        format!(
            "{:012x}",
            (js_sys::Math::random() * 281_474_976_710_656.0) as u64
        )
    };
    format!("{}{}{}", part(), part(), part())
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn unavailable_statuses_are_told_apart() {
        for s in [502, 503, 504] {
            assert_eq!(
                ApiError::from_status(s, None, Some(5)),
                ApiError::Unavailable {
                    retry_after: Some(5)
                }
            );
        }
        assert_eq!(
            ApiError::from_status(500, None, None),
            ApiError::Server(500)
        );
    }

    #[wasm_bindgen_test]
    fn reads_are_tried_again_only_when_the_server_is_unavailable() {
        let said = |s| ApiError::Unavailable { retry_after: s };
        // What the server asked, within 1..=10 s.
        assert_eq!(read_retry_delay_ms(0, &said(Some(5))), Some(5000));
        assert_eq!(read_retry_delay_ms(1, &said(Some(60))), Some(10_000));
        assert_eq!(read_retry_delay_ms(0, &said(Some(0))), Some(1000));
        // Else 2 s, doubling.
        assert_eq!(read_retry_delay_ms(0, &said(None)), Some(2000));
        assert_eq!(read_retry_delay_ms(1, &said(None)), Some(4000));
        // Never more than READ_RETRIES times.
        assert_eq!(read_retry_delay_ms(READ_RETRIES, &said(None)), None);
        // Nothing a retry would fix.
        assert_eq!(read_retry_delay_ms(0, &ApiError::Server(500)), None);
        assert_eq!(read_retry_delay_ms(0, &ApiError::Network), None);
        assert_eq!(
            read_retry_delay_ms(0, &ApiError::TooManyRequests { retry_after: None }),
            None
        );
    }
}
