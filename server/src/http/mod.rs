//! The HTTP layer: routes, extractors, middleware and static files. Handlers are thin:
//! they extract, call [`crate::domain`], and render.

mod appeal_handlers;
mod budget_handlers;
mod delivery_handlers;
pub mod drain;
mod extract;
mod first_view;
mod handlers;
mod middleware;
mod news_handlers;
mod petition_handlers;
mod poll_handlers;
mod service_handlers;
mod static_files;

pub use extract::{SESSION_COOKIE, is_json, parse_json, session_cookie, session_token};
pub use middleware::body_limit_for;
pub use static_files::is_hashed_asset;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::routing::{MethodFilter, MethodRouter};
use axum::{Router, middleware as mw};
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnFailure, TraceLayer};

use crate::config::Config;
use crate::db::Db;
use crate::domain::csp;
use crate::domain::live::Live;

/// Largest JSON body accepted (64 KiB); larger ones get 413.
pub const JSON_LIMIT: usize = 64 * 1024;
/// Largest body of a news item (its Markdown may be 50,000 characters of Cyrillic), and
/// of a poll or a response to one (30 questions of 10 options, or 30 texts of 1,000
/// characters, in Cyrillic).
pub const NEWS_LIMIT: usize = 256 * 1024;
/// Largest body of a request with files (a new appeal with its photos, an answer with its
/// files, a budget project with its images): five files of 10 MiB, the JSON and the
/// multipart framing.
pub const UPLOAD_LIMIT: usize = 5 * 10 * 1024 * 1024 + 1024 * 1024;

/// The page an email's unsubscribe link opens: a GET shows the app's page with a button,
/// a POST (the mail provider's one-click, RFC 8058) switches that email off.
pub const UNSUBSCRIBE_PAGE: &str = "/unsubscribe/{token}";

/// What every handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub site: Arc<static_files::Site>,
    pub live: Live,
    pub outbound: crate::outbound::Outbound,
}

/// The HTTP methods the registry knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verb {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Verb {
    /// Lower-case name, as OpenAPI writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "get",
            Self::Post => "post",
            Self::Put => "put",
            Self::Patch => "patch",
            Self::Delete => "delete",
        }
    }

    fn filter(self) -> MethodFilter {
        match self {
            Self::Get => MethodFilter::GET,
            Self::Post => MethodFilter::POST,
            Self::Put => MethodFilter::PUT,
            Self::Patch => MethodFilter::PATCH,
            Self::Delete => MethodFilter::DELETE,
        }
    }
}

/// Builds the API router while recording every `(method, path)` it registers, so a
/// test can hold the routes and `api/openapi.yaml` to each other.
#[derive(Default)]
pub struct RouteRegistry {
    routes: BTreeMap<String, MethodRouter<AppState>>,
    seen: Vec<(Verb, String)>,
}

impl RouteRegistry {
    /// Registers `handler` for `verb` at `path` (relative to `/api/v1`).
    pub fn add<H, T>(mut self, verb: Verb, path: &str, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let mr = self.routes.remove(path).unwrap_or_default();
        self.routes
            .insert(path.to_owned(), mr.on(verb.filter(), handler));
        self.seen.push((verb, path.to_owned()));
        self
    }

    /// Every `(method, path)` registered, sorted.
    pub fn routes(&self) -> Vec<(Verb, String)> {
        let mut r = self.seen.clone();
        r.sort();
        r
    }

    fn into_router(self) -> Router<AppState> {
        self.routes
            .into_iter()
            .fold(Router::new(), |r, (path, mr)| r.route(&path, mr))
    }
}

/// The API's routes, relative to `/api/v1`.
pub fn api_routes() -> RouteRegistry {
    use Verb::*;
    use appeal_handlers as ap;
    use budget_handlers as bg;
    use delivery_handlers as dl;
    use handlers::*;
    use news_handlers::*;
    use petition_handlers as pt;
    use poll_handlers as pl;
    use service_handlers as sv;
    RouteRegistry::default()
        .add(Get, "/health", health)
        .add(Get, "/hromadas", search_hromadas)
        .add(Get, "/hromadas/{katottg}", get_hromada)
        .add(Patch, "/hromadas/{katottg}", update_hromada)
        .add(Get, "/hromadas/{katottg}/verifications", list_verifications)
        .add(
            Post,
            "/hromadas/{katottg}/verifications/{user_id}",
            decide_verification,
        )
        .add(Post, "/auth/register", register)
        .add(Post, "/auth/login", login)
        .add(Post, "/auth/logout", logout)
        .add(Get, "/me", me)
        .add(Patch, "/me", update_me)
        .add(Post, "/me/password", change_password)
        .add(Post, "/me/verification", request_verification)
        .add(Get, "/admin/users", admin_users)
        .add(Put, "/admin/users/{id}/staff/{katottg}", grant_staff)
        .add(Delete, "/admin/users/{id}/staff/{katottg}", revoke_staff)
        .add(Get, "/hromadas/{katottg}/news", list_news)
        .add(Post, "/hromadas/{katottg}/news", create_news)
        .add(Get, "/news/{id}", get_news)
        .add(Put, "/news/{id}", update_news)
        .add(Delete, "/news/{id}", delete_news)
        .add(Post, "/hromadas/{katottg}/media", upload_media)
        .add(Get, "/media/{id}/{file}", get_media)
        .add(Get, "/hromadas/{katottg}/alerts", list_alerts)
        .add(Post, "/hromadas/{katottg}/alerts", create_alert)
        .add(Put, "/alerts/{id}", update_alert)
        .add(Post, "/alerts/{id}/end", end_alert)
        .add(Get, "/hromadas/{katottg}/events", events)
        .add(
            Get,
            "/hromadas/{katottg}/appeal-categories",
            ap::list_categories,
        )
        .add(
            Post,
            "/hromadas/{katottg}/appeal-categories",
            ap::create_category,
        )
        .add(Put, "/appeal-categories/{id}", ap::rename_category)
        .add(Delete, "/appeal-categories/{id}", ap::archive_category)
        .add(Get, "/hromadas/{katottg}/appeals", ap::public_appeals)
        .add(Post, "/hromadas/{katottg}/appeals", ap::create_appeal)
        .add(Get, "/hromadas/{katottg}/appeals/inbox", ap::inbox)
        .add(Get, "/me/appeals", ap::my_appeals)
        .add(Get, "/appeals/{id}", ap::get_appeal)
        .add(Patch, "/appeals/{id}", ap::set_visibility)
        .add(Post, "/appeals/{id}/actions", ap::act)
        .add(Post, "/appeals/{id}/answer", ap::answer)
        .add(Put, "/appeals/{id}/rating", ap::rate)
        .add(Get, "/appeals/{id}/files/{file_id}", ap::get_file)
        .add(
            Get,
            "/appeals/{id}/files/{file_id}/thumbnail",
            ap::get_thumbnail,
        )
        .add(Get, "/me/notifications", ap::list_notifications)
        .add(Post, "/me/notifications/{id}/read", ap::read_notification)
        .add(
            Post,
            "/me/notifications/read-all",
            ap::read_all_notifications,
        )
        .add(Get, "/hromadas/{katottg}/petitions", pt::list)
        .add(Post, "/hromadas/{katottg}/petitions", pt::create)
        .add(Put, "/hromadas/{katottg}/petition-settings", pt::settings)
        .add(Get, "/me/petitions", pt::mine)
        .add(Get, "/petitions/{id}", pt::get)
        .add(Post, "/petitions/{id}/moderation", pt::moderate)
        .add(Get, "/petitions/{id}/signatures", pt::signers)
        .add(Post, "/petitions/{id}/signatures", pt::sign)
        .add(Post, "/petitions/{id}/answer", pt::answer)
        .add(Get, "/hromadas/{katottg}/budget-cycles", bg::list_cycles)
        .add(Post, "/hromadas/{katottg}/budget-cycles", bg::create_cycle)
        .add(Get, "/budget-cycles/{id}", bg::get_cycle)
        .add(Put, "/budget-cycles/{id}", bg::update_cycle)
        .add(Get, "/budget-cycles/{id}/projects", bg::list_projects)
        .add(Post, "/budget-cycles/{id}/projects", bg::create_project)
        .add(Get, "/budget-cycles/{id}/ballot", bg::get_ballot)
        .add(Put, "/budget-cycles/{id}/ballot", bg::put_ballot)
        .add(Get, "/budget-cycles/{id}/results", bg::results)
        .add(Get, "/budget-cycles/{id}/results.csv", bg::results_csv)
        .add(Get, "/budget-projects/{id}", bg::get_project)
        .add(Put, "/budget-projects/{id}", bg::update_project)
        .add(Get, "/budget-projects/{id}/images/{image}", bg::get_image)
        .add(
            Get,
            "/budget-projects/{id}/images/{image}/thumbnail",
            bg::get_thumbnail,
        )
        .add(Post, "/budget-projects/{id}/review", bg::review)
        .add(Post, "/budget-projects/{id}/cost", bg::adjust_cost)
        .add(
            Put,
            "/budget-projects/{id}/implementation",
            bg::implementation,
        )
        .add(Get, "/hromadas/{katottg}/polls", pl::list)
        .add(Post, "/hromadas/{katottg}/polls", pl::create)
        .add(Get, "/polls/{id}", pl::get)
        .add(Put, "/polls/{id}", pl::update)
        .add(Delete, "/polls/{id}", pl::delete)
        .add(Post, "/polls/{id}/publish", pl::publish)
        .add(Post, "/polls/{id}/responses", pl::respond)
        .add(Get, "/polls/{id}/results", pl::results)
        .add(Get, "/polls/{id}/results.csv", pl::results_csv)
        .add(Get, "/polls/{id}/questions/{q}/texts", pl::texts)
        .add(Get, "/hromadas/{katottg}/services", sv::list)
        .add(Post, "/hromadas/{katottg}/services", sv::create)
        .add(Get, "/hromadas/{katottg}/services/search", sv::search)
        .add(Get, "/services/{id}", sv::get)
        .add(Put, "/services/{id}", sv::update)
        .add(Delete, "/services/{id}", sv::delete)
        .add(Get, "/hromadas/{katottg}/answers", sv::list_answers)
        .add(Post, "/hromadas/{katottg}/answers", sv::create_answer)
        .add(Get, "/answers/{id}", sv::get_answer)
        .add(Put, "/answers/{id}", sv::update_answer)
        .add(Delete, "/answers/{id}", sv::delete_answer)
        .add(Get, "/hromadas/{katottg}/centre", sv::centre)
        .add(Put, "/hromadas/{katottg}/centre", sv::put_centre)
        .add(Get, "/hromadas/{katottg}/consultations", sv::queue)
        .add(Post, "/hromadas/{katottg}/consultations", sv::ask)
        .add(Get, "/me/consultations", sv::mine)
        .add(Get, "/consultations/{id}", sv::get_consultation)
        .add(Post, "/consultations/{id}/messages", sv::write)
        .add(Post, "/consultations/{id}/close", sv::close)
        .add(Get, "/push/key", dl::push_key)
        .add(Get, "/me/push-subscriptions", dl::list_devices)
        .add(Post, "/me/push-subscriptions", dl::add_device)
        .add(Delete, "/me/push-subscriptions/{id}", dl::remove_device)
        .add(
            Post,
            "/hromadas/{katottg}/alert-subscriptions",
            dl::subscribe_alerts,
        )
        .add(
            Delete,
            "/hromadas/{katottg}/alert-subscriptions",
            dl::unsubscribe_alerts,
        )
        .add(Get, "/me/notification-settings", dl::get_settings)
        .add(Put, "/me/notification-settings", dl::put_settings)
        .add(Get, "/unsubscribe/{token}", dl::unsubscribe_info)
        .add(Post, "/unsubscribe/{token}", dl::unsubscribe)
        .add(Post, "/auth/password-reset", dl::request_reset)
        .add(Post, "/auth/password-reset/confirm", dl::confirm_reset)
        .add(Post, "/auth/email-confirmation", dl::confirm_email)
        .add(Post, "/me/email-confirmation", dl::resend_confirmation)
        .add(Get, "/appeals/{id}/deliveries", dl::appeal_deliveries)
}

/// The whole application: the API under `/api/v1`, the web app's static files, and
/// the cross-cutting layers (security headers, HSTS behind TLS, CSRF defence,
/// problem+json errors, body limits, compression, CORS for configured origins).
pub fn router(config: Config, db: Db, live: Live, outbound: crate::outbound::Outbound) -> Router {
    let site = static_files::Site::load(&config.static_dir);
    let csp = csp::policy(&site.script_hashes, &config.allowed_origins);
    let allowed = Arc::new(config.allowed_origins.clone());
    let secure = config.secure_cookies;
    let state = AppState {
        db,
        config: Arc::new(config),
        site: Arc::new(site),
        live,
        outbound,
    };
    let api = api_routes()
        .into_router()
        .fallback(handlers::api_not_found)
        // The limits per route are enforced by `middleware::body_limit`.
        .layer(DefaultBodyLimit::disable());
    let mut app = Router::new()
        .nest(hromada_api::API_PREFIX, api)
        .route(
            UNSUBSCRIBE_PAGE,
            axum::routing::post(delivery_handlers::one_click_unsubscribe)
                .fallback(static_files::serve),
        )
        .fallback(static_files::serve)
        .with_state(state)
        .layer(mw::from_fn(middleware::body_limit))
        .layer(mw::from_fn_with_state(allowed.clone(), middleware::csrf))
        .layer(mw::from_fn(middleware::api_responses));
    if !allowed.is_empty() {
        let origins: Vec<HeaderValue> = allowed
            .iter()
            .filter_map(|o| HeaderValue::from_str(o).ok())
            .collect();
        app = app.layer(
            CorsLayer::new()
                .allow_origin(AllowOrigin::list(origins))
                .allow_credentials(true)
                .allow_methods([
                    Method::GET,
                    Method::POST,
                    Method::PUT,
                    Method::PATCH,
                    Method::DELETE,
                ])
                .allow_headers([
                    header::CONTENT_TYPE,
                    HeaderName::from_static("x-hromada-client"),
                    HeaderName::from_static("idempotency-key"),
                    HeaderName::from_static("x-hromada-label"),
                ])
                .expose_headers([header::RETRY_AFTER])
                .max_age(Duration::from_secs(3600)),
        );
    }
    let header =
        |name: HeaderName, value: HeaderValue| SetResponseHeaderLayer::overriding(name, value);
    // Never compress (and so buffer) event streams; images are compressed already.
    let compress = DefaultPredicate::new()
        .and(NotForContentType::const_new("text/event-stream"))
        .and(NotForContentType::IMAGES);
    app.layer(CompressionLayer::new().compress_when(compress))
        .layer(header(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_str(&csp).unwrap_or(HeaderValue::from_static("default-src 'self'")),
        ))
        .layer(header(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(header(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(header(
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("geolocation=(self), camera=(), microphone=()"),
        ))
        .layer(header(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(header(
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        .layer(mw::from_fn_with_state(secure, middleware::hsts))
        .layer(
            TraceLayer::new_for_http()
                .on_failure(DefaultOnFailure::new().level(tracing::Level::DEBUG)),
        )
}
