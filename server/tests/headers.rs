//! Security headers: the Content-Security-Policy of the app's HTML (no inline script but
//! the one `index.html` has, by its hash; no framing, no plugins), `nosniff` and a
//! referrer policy on every response, session cookies (HttpOnly, SameSite=Lax, Path=/,
//! Secure behind TLS) and HSTS only over TLS.

mod common;

use std::path::PathBuf;

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use common::*;
use hromada_server::domain::ids;
use serde_json::json;
use sha2::{Digest, Sha256};

const INLINE: &str =
    "import init from '/app-0123456789abcdef.js'; init('/app-0123456789abcdef_bg.wasm');";

/// A tiny built app in a folder of its own, removed when dropped.
struct Site(PathBuf);

impl Site {
    fn new() -> Self {
        let dir = std::env::temp_dir().join(format!("hromada-site-{}", ids::new_id()));
        std::fs::create_dir_all(&dir).unwrap();
        let html = format!(
            "<!doctype html><html lang=\"uk\"><head><meta charset=\"utf-8\">\
             <link rel=\"stylesheet\" href=\"/style-0123456789abcdef.css\">\
             <script type=\"module\">{INLINE}</script></head><body></body></html>"
        );
        std::fs::write(dir.join("index.html"), html).unwrap();
        std::fs::write(dir.join("style-0123456789abcdef.css"), "body { margin: 0 }").unwrap();
        Self(dir)
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn get_with(app: &TestApp, path: &str, extra: &[(&str, &str)]) -> Resp {
    let mut b = Request::builder()
        .method(Method::GET)
        .uri(path)
        .header(header::HOST, "localhost");
    for (k, v) in extra {
        b = b.header(*k, *v);
    }
    app.send(b.body(Body::empty()).unwrap()).await
}

fn one(h: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    h.get(name).map(|v| v.to_str().unwrap())
}

/// The sources of one directive of a policy.
fn directive<'a>(policy: &'a str, name: &str) -> Vec<&'a str> {
    policy
        .split(';')
        .map(str::trim)
        .find_map(|d| {
            let mut words = d.split_whitespace();
            (words.next() == Some(name)).then(|| words.collect())
        })
        .unwrap_or_else(|| panic!("no {name} in {policy}"))
}

#[tokio::test]
async fn the_apps_html_has_a_strict_content_security_policy() {
    let site = Site::new();
    let dir = site.0.clone();
    let app = app_with(|c| c.static_dir = dir).await;
    let hash = format!(
        "'sha256-{}'",
        STANDARD.encode(Sha256::digest(INLINE.as_bytes()))
    );
    // The page itself and a path of the app's own router (served the same index.html).
    for path in ["/", "/h/UA65100150000057191/petitions"] {
        let r = app.get(path, None).await;
        r.assert_status(StatusCode::OK);
        assert!(r.content_type().starts_with("text/html"), "{path}");
        assert!(contains(&r.body, INLINE.as_bytes()));
        let csp = one(&r.headers, header::CONTENT_SECURITY_POLICY).expect("a CSP");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        let script = directive(csp, "script-src");
        assert!(script.contains(&"'self'"), "{csp}");
        assert!(
            script.contains(&hash.as_str()),
            "the inline script's hash: {csp}"
        );
        for bad in ["'unsafe-inline'", "'unsafe-eval'", "*", "data:", "blob:"] {
            assert!(!script.contains(&bad), "{bad} in script-src: {csp}");
        }
        assert_eq!(directive(csp, "frame-ancestors"), ["'none'"], "{csp}");
        assert_eq!(directive(csp, "object-src"), ["'none'"], "{csp}");
        assert_eq!(directive(csp, "base-uri"), ["'none'"], "{csp}");
        assert_eq!(one(&r.headers, header::X_FRAME_OPTIONS), Some("DENY"));
    }
}

#[tokio::test]
async fn every_response_is_nosniff_with_a_referrer_policy() {
    let site = Site::new();
    let dir = site.0.clone();
    let app = app_with(|c| c.static_dir = dir).await;
    let (_, session) = app.register("olena@k.example", KHERSON).await;
    let cases = [
        ("/api/v1/health", None, StatusCode::OK),
        ("/api/v1/me", Some(session.as_str()), StatusCode::OK),
        ("/api/v1/me", None, StatusCode::UNAUTHORIZED),
        ("/api/v1/no-such-thing", None, StatusCode::NOT_FOUND),
        ("/", None, StatusCode::OK),
        ("/style-0123456789abcdef.css", None, StatusCode::OK),
        ("/no-such-file.js", None, StatusCode::NOT_FOUND),
    ];
    for (path, session, status) in cases {
        let r = app.get(path, session).await;
        r.assert_status(status);
        assert_eq!(
            one(&r.headers, header::X_CONTENT_TYPE_OPTIONS),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(
            one(&r.headers, header::REFERRER_POLICY),
            Some("strict-origin-when-cross-origin"),
            "{path}"
        );
        assert!(
            r.headers.contains_key(header::CONTENT_SECURITY_POLICY),
            "{path}"
        );
    }
    // A POST refused by the CSRF check carries them too.
    let r = app
        .send(
            Request::builder()
                .method(Method::POST)
                .uri("/api/v1/auth/logout")
                .header(header::HOST, "localhost")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    r.assert_problem(403);
    assert_eq!(
        one(&r.headers, header::X_CONTENT_TYPE_OPTIONS),
        Some("nosniff")
    );
    assert!(r.headers.contains_key(header::REFERRER_POLICY));
}

/// The attributes of the session cookie a response sets, lower-cased.
fn session_cookie(r: &Resp) -> Vec<String> {
    let cookie = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|c| c.starts_with("hromada_session="))
        .unwrap_or_else(|| panic!("no session cookie: {:?}", r.headers));
    cookie
        .split(';')
        .skip(1)
        .map(|a| a.trim().to_ascii_lowercase())
        .collect()
}

fn assert_session_cookie(r: &Resp, secure: bool, what: &str) {
    let attrs = session_cookie(r);
    assert!(attrs.contains(&"httponly".to_owned()), "{what}: {attrs:?}");
    assert!(
        attrs.contains(&"samesite=lax".to_owned()),
        "{what}: {attrs:?}"
    );
    assert!(attrs.contains(&"path=/".to_owned()), "{what}: {attrs:?}");
    assert_eq!(
        attrs.contains(&"secure".to_owned()),
        secure,
        "{what}: Secure should be {secure}: {attrs:?}"
    );
}

/// Signs up `email` and signs in again, with these headers; returns both answers.
async fn sign_up_and_in(app: &TestApp, email: &str, extra: &[(&str, &str)]) -> (Resp, Resp) {
    let post = |path: &str, body: serde_json::Value| {
        let mut b = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::HOST, "localhost")
            .header(header::CONTENT_TYPE, "application/json");
        for (k, v) in extra {
            b = b.header(*k, *v);
        }
        b.body(Body::from(body.to_string())).unwrap()
    };
    let up = app
        .send(post(
            "/api/v1/auth/register",
            json!({
                "email": email, "password": GOOD_PASSWORD, "full_name": "Олена Петренко",
                "hromada": KHERSON, "address": "вул. Соборна, 1, м. Херсон",
            }),
        ))
        .await;
    up.assert_status(StatusCode::CREATED);
    let login = app
        .send(post(
            "/api/v1/auth/login",
            json!({"email": email, "password": GOOD_PASSWORD}),
        ))
        .await;
    login.assert_status(StatusCode::OK);
    (up, login)
}

#[tokio::test]
async fn session_cookies_are_http_only_lax_and_secure_behind_tls() {
    let app = app().await;
    let (up, login) = sign_up_and_in(&app, "plain@k.example", &[]).await;
    assert_session_cookie(&up, false, "sign-up over HTTP");
    assert_session_cookie(&login, false, "sign-in over HTTP");
    let https = [("x-forwarded-proto", "https")];
    let (up, login) = sign_up_and_in(&app, "proxied@k.example", &https).await;
    assert_session_cookie(&up, true, "sign-up through a TLS proxy");
    assert_session_cookie(&login, true, "sign-in through a TLS proxy");
    let (up, login) =
        sign_up_and_in(&app, "http@k.example", &[("x-forwarded-proto", "http")]).await;
    assert_session_cookie(&up, false, "sign-up through a plain proxy");
    assert_session_cookie(&login, false, "sign-in through a plain proxy");

    let app = app_with(|c| c.secure_cookies = true).await;
    let (up, login) = sign_up_and_in(&app, "secure@k.example", &[]).await;
    assert_session_cookie(&up, true, "sign-up with secure_cookies");
    assert_session_cookie(&login, true, "sign-in with secure_cookies");
}

#[tokio::test]
async fn hsts_is_sent_over_tls_only() {
    let site = Site::new();
    let dir = site.0.clone();
    let app = app_with(|c| c.static_dir = dir).await;
    let hsts = |r: &Resp| one(&r.headers, header::STRICT_TRANSPORT_SECURITY).map(str::to_owned);
    for path in ["/api/v1/health", "/", "/api/v1/no-such-thing"] {
        assert_eq!(hsts(&app.get(path, None).await), None, "{path} over HTTP");
        let r = get_with(&app, path, &[("x-forwarded-proto", "http")]).await;
        assert_eq!(hsts(&r), None, "{path} through a plain proxy");
        let r = get_with(&app, path, &[("x-forwarded-proto", "https")]).await;
        let value = hsts(&r).unwrap_or_else(|| panic!("{path}: no HSTS through a TLS proxy"));
        assert_hsts(&value);
    }

    let site = Site::new();
    let dir = site.0.clone();
    let app = app_with(|c| {
        c.static_dir = dir;
        c.secure_cookies = true;
    })
    .await;
    for path in ["/api/v1/health", "/", "/style-0123456789abcdef.css"] {
        let value = hsts(&app.get(path, None).await)
            .unwrap_or_else(|| panic!("{path}: no HSTS with secure_cookies"));
        assert_hsts(&value);
    }
}

/// `max-age` of at least a year, and `includeSubDomains`.
fn assert_hsts(value: &str) {
    let parts: Vec<&str> = value.split(';').map(str::trim).collect();
    let age: u64 = parts[0]
        .strip_prefix("max-age=")
        .unwrap_or_else(|| panic!("{value}"))
        .parse()
        .unwrap();
    assert!(age >= 31_536_000, "{value}");
    assert!(parts.contains(&"includeSubDomains"), "{value}");
}
