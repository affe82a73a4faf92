//! Test harness: a fresh database per test (SQLite in a temporary folder, or a fresh
//! PostgreSQL database when `HROMADA_TEST_DATABASE_URL` names a throwaway cluster) and
//! the router driven with `oneshot`, no network.
#![allow(dead_code)]

pub mod balancer;
pub mod outside;
pub mod process;

use std::path::PathBuf;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use hromada_server::db::NewUser;
use hromada_server::domain::{accounts, clock};
use hromada_server::{Config, db::Db, domain::ids};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use sqlx::Executor;
use tower::ServiceExt;

pub const KHERSON: &str = "UA65100150000057191";
/// Another community (Бериславська, Kherson oblast).
pub const BERYSLAV: &str = "UA65020010000060480";
pub const GOOD_PASSWORD: &str = "степовий вітер 2024";
/// The boundary of the multipart bodies made here.
pub const BOUNDARY: &str = "----hromada-test-7d1f0c";

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

/// Whether the throwaway PostgreSQL cluster is there, for the tests that need several
/// processes on one database; else says that `what` is skipped, and why.
pub fn on_postgres(what: &str) -> bool {
    let set = std::env::var("HROMADA_TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty());
    if !set {
        eprintln!(
            "{what}: skipped: HROMADA_TEST_DATABASE_URL is not set (run under \
             scripts/with-postgres.sh, as `make pg-test` does)"
        );
    }
    set
}

/// A fresh database URL for one test.
pub async fn fresh_database(dir: &std::path::Path) -> String {
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
        mail_dir: dir.join("mail"),
        secret_key_file: dir.join("secret.key"),
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

    /// The body as text (lossy), for messages.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Asserts this status, with the body in the message when it differs.
    pub fn assert_status(&self, status: StatusCode) {
        assert_eq!(self.status, status, "{}", self.text());
    }

    /// Asserts this status (as [`Resp::assert_status`]); returns the JSON.
    pub fn expect(&self, status: StatusCode) -> Value {
        self.assert_status(status);
        self.json()
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

    /// Asserts a 422 problem with exactly these (field, code) field errors, in order.
    pub fn assert_invalid(&self, expected: &[(&str, &str)]) {
        self.assert_problem(422);
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(f, c)| ((*f).to_owned(), (*c).to_owned()))
            .collect();
        assert_eq!(self.field_errors(), expected);
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

/// The `id` of a JSON object.
pub fn id_of(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

/// Verifies a resident of `katottg` (as its staff would).
pub async fn verify(app: &TestApp, id: &str, katottg: &str) {
    app.db
        .request_verification(id, &clock::now_rfc3339())
        .await
        .unwrap();
    assert!(
        app.db
            .decide_verification(katottg, id, true, None)
            .await
            .unwrap()
    );
}

/// Staff of Kherson (`staff@k.example`) and of Beryslav (`staff@b.example`), signed in:
/// their sessions.
pub async fn staff_of_both(app: &TestApp) -> (String, String) {
    let (staff_id, staff) = app.register("staff@k.example", KHERSON).await;
    let (other_id, other_staff) = app.register("staff@b.example", BERYSLAV).await;
    let now = clock::now_rfc3339();
    app.db.grant_staff(&staff_id, KHERSON, &now).await.unwrap();
    app.db.grant_staff(&other_id, BERYSLAV, &now).await.unwrap();
    (staff, other_staff)
}

/// The people of a participation test (petitions, the budget), signed in.
pub struct Cast {
    pub staff: String,
    pub other_staff: String,
    /// A verified resident of Kherson (`author@k.example`).
    pub author_id: String,
    pub author: String,
    /// Another verified resident of Kherson, named for their part (signer, voter).
    pub second: String,
    /// A resident of Kherson who is not verified.
    pub unverified: String,
    /// A verified resident of Beryslav.
    pub outsider: String,
}

/// The [`Cast`]: the staff of both hromadas and the residents; `second` names the email
/// of the second verified resident of Kherson (`{second}@k.example`).
pub async fn cast(app: &TestApp, second: &str) -> Cast {
    let (staff, other_staff) = staff_of_both(app).await;
    let (author_id, author) = app.register("author@k.example", KHERSON).await;
    let (second_id, second) = app.register(&format!("{second}@k.example"), KHERSON).await;
    let (_, unverified) = app.register("unverified@k.example", KHERSON).await;
    let (outsider_id, outsider) = app.register("outsider@b.example", BERYSLAV).await;
    verify(app, &author_id, KHERSON).await;
    verify(app, &second_id, KHERSON).await;
    verify(app, &outsider_id, BERYSLAV).await;
    Cast {
        staff,
        other_staff,
        author_id,
        author,
        second,
        unverified,
        outsider,
    }
}

/// `n` verified residents of `katottg`, signed in, made directly (no password hashing):
/// `(id, session)`.
pub async fn people(app: &TestApp, n: usize, katottg: &str, tag: &str) -> Vec<(String, String)> {
    let now = clock::now_rfc3339();
    let users: Vec<NewUser> = (0..n)
        .map(|i| NewUser {
            id: ids::new_id(),
            email: format!("{tag}{i}@people.example"),
            password_hash: "!".into(),
            full_name: format!("Мешканець {tag} {i}"),
            address: "вул. Соборна, 1, м. Херсон".into(),
            hromada: katottg.into(),
            created_at: now.clone(),
        })
        .collect();
    assert_eq!(
        app.db.insert_verified_users(&users).await.unwrap(),
        n as u64
    );
    let mut out = Vec::new();
    for u in users {
        let s = accounts::start_session(&app.db, &u.id).await.unwrap();
        out.push((u.id, s));
    }
    out
}

/// One part of a multipart body: a file when it has a file name.
pub struct Part<'a> {
    pub name: &'a str,
    pub file: Option<&'a str>,
    pub content_type: &'a str,
    pub bytes: Vec<u8>,
}

/// A JSON part of a multipart body.
pub fn json_part<'a>(name: &'a str, v: &Value) -> Part<'a> {
    Part {
        name,
        file: None,
        content_type: "application/json",
        bytes: v.to_string().into_bytes(),
    }
}

/// A file part of a multipart body.
pub fn file_part<'a>(name: &'a str, file: &'a str, ct: &'a str, bytes: Vec<u8>) -> Part<'a> {
    Part {
        name,
        file: Some(file),
        content_type: ct,
        bytes,
    }
}

/// A `multipart/form-data` body with [`BOUNDARY`].
pub fn multipart(parts: &[Part<'_>]) -> Vec<u8> {
    let mut out = Vec::new();
    for p in parts {
        out.extend(format!("--{BOUNDARY}\r\n").as_bytes());
        match p.file {
            Some(f) => out.extend(
                format!(
                    "Content-Disposition: form-data; name=\"{}\"; filename=\"{f}\"\r\n",
                    p.name
                )
                .as_bytes(),
            ),
            None => out.extend(
                format!("Content-Disposition: form-data; name=\"{}\"\r\n", p.name).as_bytes(),
            ),
        }
        out.extend(format!("Content-Type: {}\r\n\r\n", p.content_type).as_bytes());
        out.extend(&p.bytes);
        out.extend(b"\r\n");
    }
    out.extend(format!("--{BOUNDARY}--\r\n").as_bytes());
    out
}

/// A POST with this body and content type (and optionally its length and an
/// `Idempotency-Key`).
pub async fn send_body(
    app: &TestApp,
    path: &str,
    session: &str,
    content_type: &str,
    body: Body,
    length: Option<usize>,
    key: Option<&str>,
) -> Resp {
    let mut b = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::HOST, "localhost")
        .header("x-hromada-client", "test")
        .header(header::CONTENT_TYPE, content_type)
        .header(header::COOKIE, format!("hromada_session={session}"));
    if let Some(n) = length {
        b = b.header(header::CONTENT_LENGTH, n);
    }
    if let Some(k) = key {
        b = b.header("idempotency-key", k);
    }
    app.send(b.body(body).unwrap()).await
}

/// A multipart POST of `parts`.
pub async fn post_multipart(
    app: &TestApp,
    path: &str,
    session: &str,
    parts: &[Part<'_>],
    key: Option<&str>,
) -> Resp {
    let body = multipart(parts);
    let n = body.len();
    send_body(
        app,
        path,
        session,
        &format!("multipart/form-data; boundary={BOUNDARY}"),
        Body::from(body),
        Some(n),
        key,
    )
    .await
}

/// A JPEG of `w`×`h` pixels.
pub fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut out = Vec::new();
    img.write_to(
        &mut std::io::Cursor::new(&mut out),
        image::ImageFormat::Jpeg,
    )
    .unwrap();
    out
}

/// A PNG with transparency of `w`×`h` pixels.
pub fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_fn(w, h, |x, _| image::Rgba([200, 40, 40, (x % 256) as u8]));
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// A 640×480 JPEG with an APP1 Exif segment: orientation 6 (rotate 90° clockwise) and a
/// GPS IFD with latitude 46.6354 N, plus a marker text.
pub fn jpeg_with_exif_gps() -> Vec<u8> {
    let base = jpeg(640, 480);
    // TIFF, big-endian. IFD0 at 8: 2 entries (Orientation, GPSInfo pointer).
    let mut t: Vec<u8> = b"MM\0*\0\0\0\x08".to_vec();
    t.extend(2u16.to_be_bytes());
    t.extend([0x01, 0x12, 0x00, 0x03]); // Orientation, SHORT
    t.extend(1u32.to_be_bytes());
    t.extend([0x00, 0x06, 0x00, 0x00]);
    let gps_ifd = 8 + 2 + 2 * 12 + 4;
    t.extend([0x88, 0x25, 0x00, 0x04]); // GPSInfo, LONG
    t.extend(1u32.to_be_bytes());
    t.extend((gps_ifd as u32).to_be_bytes());
    t.extend(0u32.to_be_bytes());
    // GPS IFD: GPSLatitudeRef "N", GPSLatitude 46/1 38/1 744/100.
    let rationals = gps_ifd + 2 + 2 * 12 + 4;
    t.extend(2u16.to_be_bytes());
    t.extend([0x00, 0x01, 0x00, 0x02]);
    t.extend(2u32.to_be_bytes());
    t.extend([b'N', 0, 0, 0]);
    t.extend([0x00, 0x02, 0x00, 0x05]);
    t.extend(3u32.to_be_bytes());
    t.extend((rationals as u32).to_be_bytes());
    t.extend(0u32.to_be_bytes());
    for (n, d) in [(46u32, 1u32), (38, 1), (744, 100)] {
        t.extend(n.to_be_bytes());
        t.extend(d.to_be_bytes());
    }
    t.extend(b"SECRET-GPS-46.6354N");
    let mut payload = b"Exif\0\0".to_vec();
    payload.extend(t);
    let mut out = vec![0xff, 0xd8, 0xff, 0xe1];
    out.extend(((payload.len() + 2) as u16).to_be_bytes());
    out.extend(payload);
    out.extend(&base[2..]);
    out
}

/// Whether `needle` occurs in `hay`.
pub fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}
