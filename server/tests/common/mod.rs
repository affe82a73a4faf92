//! Test harness: a fresh database per test (SQLite in a temporary folder, or a fresh
//! PostgreSQL database when `HROMADA_TEST_DATABASE_URL` names a throwaway cluster) and
//! the router driven with `oneshot`, no network.
#![allow(dead_code)]

use std::path::PathBuf;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use hromada_server::{Config, db::Db, domain::ids};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use sqlx::Executor;
use tower::ServiceExt;

pub const KHERSON: &str = "UA65100150000057191";
/// Another community (Бериславська, Kherson oblast).
pub const BERYSLAV: &str = "UA65020010000060480";
pub const GOOD_PASSWORD: &str = "степовий вітер 2024";

pub struct TestApp {
    pub router: Router,
    pub db: Db,
    pub live: hromada_server::domain::live::Live,
    dir: PathBuf,
    media: PathBuf,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A fresh database URL for one test.
async fn fresh_database(dir: &std::path::Path) -> String {
    match std::env::var("HROMADA_TEST_DATABASE_URL") {
        Ok(admin_url) if !admin_url.is_empty() => {
            sqlx::any::install_default_drivers();
            let name = format!("t_{}", ids::new_id());
            let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin_url)
                .await
                .expect("connect to HROMADA_TEST_DATABASE_URL");
            conn.execute(format!("CREATE DATABASE {name}").as_str())
                .await
                .expect("create test database");
            let base = admin_url.split('?').next().unwrap_or(&admin_url);
            let cut = base.rfind('/').expect("database URL with a path");
            format!("{}/{name}", &base[..cut])
        }
        _ => format!("sqlite://{}?mode=rwc", dir.join("test.db").display()),
    }
}

pub async fn app() -> TestApp {
    app_with(|_| {}).await
}

pub async fn demo_app() -> TestApp {
    app_with(|c| c.demo = true).await
}

pub async fn app_with(change: impl FnOnce(&mut Config)) -> TestApp {
    let dir = std::env::temp_dir().join(format!("hromada-test-{}", ids::new_id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut config = Config {
        database_url: fresh_database(&dir).await,
        static_dir: dir.join("no-such-dist"),
        media_dir: dir.join("media"),
        ..Config::default()
    };
    change(&mut config);
    let media = config.media_dir.clone();
    let started = hromada_server::start(config).await.expect("server starts");
    TestApp {
        router: started.router,
        db: started.db,
        live: started.live,
        dir,
        media,
    }
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn content_type(&self) -> &str {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The session token the response set, if any.
    pub fn session(&self) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|c| c.strip_prefix("hromada_session="))
            .map(|c| c.split(';').next().unwrap_or("").to_owned())
            .filter(|t| !t.is_empty())
    }

    /// Asserts a problem+json answer with this status.
    pub fn assert_problem(&self, status: u16) -> Value {
        assert_eq!(
            self.status.as_u16(),
            status,
            "body: {}",
            String::from_utf8_lossy(&self.body)
        );
        assert_eq!(self.content_type(), "application/problem+json");
        let p = self.json();
        assert_eq!(p["status"], status);
        p
    }

    /// The (field, code) pairs of a problem's field errors.
    pub fn field_errors(&self) -> Vec<(String, String)> {
        self.json()["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|e| {
                        (
                            e["field"].as_str().unwrap_or("").to_owned(),
                            e["code"].as_str().unwrap_or("").to_owned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl TestApp {
    /// The folder uploaded files are kept in.
    pub fn media_dir(&self) -> PathBuf {
        self.media.clone()
    }

    pub async fn send(&self, req: Request<Body>) -> Resp {
        let res = self.router.clone().oneshot(req).await.expect("infallible");
        let status = res.status();
        let headers = res.headers().clone();
        let body = res
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .to_vec();
        Resp {
            status,
            headers,
            body,
        }
    }

    /// A request with an optional JSON body (sent as application/json) and session.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        session: Option<&str>,
    ) -> Resp {
        let mut b = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, "localhost");
        if let Some(s) = session {
            b = b.header(header::COOKIE, format!("hromada_session={s}"));
        }
        let req = match body {
            Some(v) => b
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(v.to_string())),
            None => b.header("x-hromada-client", "test").body(Body::empty()),
        };
        self.send(req.expect("request")).await
    }

    pub async fn get(&self, path: &str, session: Option<&str>) -> Resp {
        self.call(Method::GET, path, None, session).await
    }

    /// Registers a resident of `hromada`; returns (id, session).
    pub async fn register(&self, email: &str, hromada: &str) -> (String, String) {
        let r = self
            .call(
                Method::POST,
                "/api/v1/auth/register",
                Some(json!({
                    "email": email,
                    "password": GOOD_PASSWORD,
                    "full_name": "Олена Петренко",
                    "hromada": hromada,
                    "address": "вул. Соборна, 1, м. Херсон",
                })),
                None,
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::CREATED,
            "{}",
            String::from_utf8_lossy(&r.body)
        );
        (
            r.json()["id"].as_str().expect("id").to_owned(),
            r.session().expect("cookie"),
        )
    }

    pub async fn login(&self, email: &str, password: &str) -> Resp {
        self.call(
            Method::POST,
            "/api/v1/auth/login",
            Some(json!({"email": email, "password": password})),
            None,
        )
        .await
    }

    /// Signs in a demo account; returns its session.
    pub async fn demo_session(&self, email: &str) -> String {
        let r = self.login(email, "demo-password").await;
        assert_eq!(
            r.status,
            StatusCode::OK,
            "{}",
            String::from_utf8_lossy(&r.body)
        );
        r.session().expect("cookie")
    }
}
