//! Extractors that turn every bad request into an [`ApiError`] (problem+json), never a 500.

use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRef, FromRequest, FromRequestParts, Request};
use axum::http::{HeaderMap, StatusCode, header, request::Parts};
use hromada_api::{ErrorCode, FieldError, IDEMPOTENCY_KEY};
use serde::de::DeserializeOwned;

use super::AppState;
use crate::domain::accounts::{self, Account};
use crate::domain::idempotency;
use crate::error::ApiError;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "hromada_session";

/// Whether the request's `Content-Type` is JSON (`application/json` or `…+json`).
pub fn is_json(headers: &HeaderMap) -> bool {
    let Some(ct) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let mime = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

/// A JSON object body. Wrong media type → 415; too large → 413; empty or malformed → 400;
/// not an object, wrong types or missing fields → 422 (with a field error naming the
/// field when there is one).
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        if !is_json(req.headers()) {
            return Err(ApiError::Status {
                status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
                detail: "Expected a body with Content-Type: application/json.".into(),
            });
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|r| ApiError::Status {
                status: r.status(),
                detail: r.body_text(),
            })?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// Parses a JSON body with the error mapping of [`ApiJson`].
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::BadRequest(
            "The request body is empty; a JSON object is expected.".into(),
        ));
    }
    // Every body of the API is an object (serde would also take a struct from an array).
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if !matches!(first, Some(b'{')) && serde_json::from_slice::<serde_json::Value>(bytes).is_ok() {
        return Err(ApiError::Status {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            detail: "The body must be a JSON object.".into(),
        });
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = match serde_path_to_error::deserialize(&mut de) {
        Ok(v) => v,
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            return Err(match inner.classify() {
                serde_json::error::Category::Data => data_error(&path, &inner.to_string()),
                _ => ApiError::BadRequest(format!("The body is not valid JSON: {inner}")),
            });
        }
    };
    de.end()
        .map_err(|e| ApiError::BadRequest(format!("The body is not valid JSON: {e}")))?;
    Ok(value)
}

fn data_error(path: &str, message: &str) -> ApiError {
    let prefix = if path == "." {
        String::new()
    } else {
        format!("{path}.")
    };
    let (field, code) = match message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
    {
        Some(name) => (format!("{prefix}{name}"), ErrorCode::Required),
        None => (path.to_owned(), ErrorCode::Invalid),
    };
    if field == "." {
        return ApiError::Status {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            detail: format!("The body does not have the expected shape: {message}"),
        };
    }
    let mut fe = FieldError::new(&field, code);
    if code == ErrorCode::Invalid {
        fe.message = format!("This value has the wrong type: {message}");
    }
    ApiError::Validation(vec![fe])
}

/// A staff decision in JSON (`{"decision": …}` and its fields, an internally tagged
/// enum) read by hand, so that field errors name the field (serde cannot say which field
/// of such an enum was wrong).
pub struct Decision<'a> {
    fields: &'a serde_json::Map<String, serde_json::Value>,
    /// The decision: one of those allowed.
    pub name: &'a str,
}

impl<'a> Decision<'a> {
    /// The decision of `v`, one of `allowed`: 422 naming `decision` when it is missing
    /// (also when `v` is not an object) or not one of them.
    pub fn parse(v: &'a serde_json::Value, allowed: &[&str]) -> Result<Self, ApiError> {
        let Some(fields) = v.as_object() else {
            return Err(ApiError::field("decision", ErrorCode::Required));
        };
        match fields.get("decision").map(|d| d.as_str()) {
            None => Err(ApiError::field("decision", ErrorCode::Required)),
            Some(Some(name)) if allowed.contains(&name) => Ok(Self { fields, name }),
            Some(_) => {
                let quoted: Vec<String> = allowed.iter().map(|a| format!("\"{a}\"")).collect();
                let (last, rest) = quoted.split_last().expect("decisions to choose from");
                let mut fe = FieldError::new("decision", ErrorCode::Invalid);
                fe.message = if rest.is_empty() {
                    format!("The decision must be {last}.")
                } else {
                    format!("The decision must be {} or {last}.", rest.join(", "))
                };
                Err(ApiError::Validation(vec![fe]))
            }
        }
    }

    /// The decision's text field `name`: 422 naming it when it is missing (or null) or not
    /// a string.
    pub fn text(&self, name: &str) -> Result<String, ApiError> {
        match self.fields.get(name) {
            None | Some(serde_json::Value::Null) => Err(ApiError::field(name, ErrorCode::Required)),
            Some(serde_json::Value::String(t)) => Ok(t.clone()),
            Some(_) => Err(ApiError::field(name, ErrorCode::Invalid)),
        }
    }
}

/// Query parameters; a malformed query string → 400.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        axum::extract::Query::<T>::try_from_uri(&parts.uri)
            .map(|axum::extract::Query(v)| ApiQuery(v))
            .map_err(|e| ApiError::BadRequest(e.body_text()))
    }
}

/// Path parameters; a malformed path → 400.
#[derive(Debug)]
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(v)| ApiPath(v))
            .map_err(|e| ApiError::BadRequest(e.body_text()))
    }
}

/// The value of the session cookie, if any.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// The signed-in person and their session token; 401 if not signed in.
#[derive(Debug)]
pub struct Auth {
    pub account: Account,
    pub token: String,
}

impl<S: Send + Sync> FromRequestParts<S> for Auth
where
    AppState: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let app = AppState::from_ref(state);
        let token =
            session_token(&parts.headers).ok_or(ApiError::Unauthorized("Sign in first."))?;
        let account = accounts::by_session(&app.db, &token)
            .await?
            .ok_or(ApiError::Unauthorized("Sign in first."))?;
        Ok(Self { account, token })
    }
}

/// The signed-in person, if the request carries a valid session (else a guest).
#[derive(Debug)]
pub struct MaybeAuth(pub Option<Account>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeAuth
where
    AppState: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Some(token) = session_token(&parts.headers) else {
            return Ok(Self(None));
        };
        let app = AppState::from_ref(state);
        Ok(Self(accounts::by_session(&app.db, &token).await?))
    }
}

/// The session token if the request carries one (signed in or not).
#[derive(Debug)]
pub struct MaybeToken(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeToken {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        Ok(Self(session_token(&parts.headers)))
    }
}

/// The optional `Idempotency-Key` header; a malformed key → 400.
#[derive(Debug)]
pub struct IdempotencyKey(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        match parts.headers.get(IDEMPOTENCY_KEY) {
            None => Ok(Self(None)),
            Some(v) => match v.to_str() {
                Ok(k) if idempotency::valid_key(k) => Ok(Self(Some(k.to_owned()))),
                _ => Err(ApiError::BadRequest(
                    "Idempotency-Key must be 1 to 255 visible ASCII characters.".into(),
                )),
            },
        }
    }
}

/// The client's address, for throttling: the TCP peer, or, when the peer is one of the
/// configured load balancers (`HROMADA_TRUSTED_PROXIES`), the address it forwards as the
/// last of `X-Forwarded-For`; `unknown` in tests.
#[derive(Debug)]
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp
where
    AppState: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(a)| a.ip());
        let trusted = &AppState::from_ref(state).config.trusted_proxies;
        Ok(Self(client_ip(peer, trusted, &parts.headers)))
    }
}

/// See [`ClientIp`].
fn client_ip(
    peer: Option<std::net::IpAddr>,
    trusted: &[std::net::IpAddr],
    headers: &axum::http::HeaderMap,
) -> String {
    let Some(peer) = peer else {
        return "unknown".to_owned();
    };
    if trusted.contains(&peer) {
        let forwarded = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .filter_map(|a| a.parse::<std::net::IpAddr>().ok())
            .next_back();
        if let Some(client) = forwarded {
            return client.to_string();
        }
    }
    peer.to_string()
}

/// Whether cookies of this response should be `Secure`: configured so, or the request
/// came through a TLS-terminating proxy (`X-Forwarded-Proto: https`).
#[derive(Debug, Clone, Copy)]
pub struct SecureCookies(pub bool);

impl<S: Send + Sync> FromRequestParts<S> for SecureCookies
where
    AppState: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let configured = AppState::from_ref(state).config.secure_cookies;
        let forwarded = parts
            .headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"));
        Ok(Self(configured || forwarded))
    }
}

/// The cookie that tells the app a session was started (`1`); it carries no secret, so
/// the app can read it and skip asking `GET /me` (a 401 for every guest) when it is absent.
pub const SIGNED_IN_COOKIE: &str = "hromada_signed_in";

/// A `Set-Cookie` value for [`SIGNED_IN_COOKIE`]: set with the session, cleared with it.
pub fn signed_in_cookie(on: bool, secure: bool) -> String {
    let (value, max_age) = if on {
        ("1", accounts::SESSION_TTL_SECS)
    } else {
        ("", 0)
    };
    let secure = if secure { "; Secure" } else { "" };
    format!("{SIGNED_IN_COOKIE}={value}; Path=/; SameSite=Lax; Max-Age={max_age}{secure}")
}

/// A `Set-Cookie` value for a session token (`None` clears the cookie).
pub fn session_cookie(token: Option<&str>, secure: bool) -> String {
    let (value, max_age) = match token {
        Some(t) => (t, accounts::SESSION_TTL_SECS),
        None => ("", 0),
    };
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn client_address_behind_a_trusted_balancer_only() {
        let lb: std::net::IpAddr = "127.0.0.1".parse().unwrap();
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            HeaderValue::from_static("6.6.6.6, 203.0.113.7"),
        );
        // The balancer appends the address it saw; anything before it the client wrote.
        assert_eq!(client_ip(Some(lb), &[lb], &h), "203.0.113.7");
        // Anyone else's X-Forwarded-For is ignored.
        assert_eq!(client_ip(Some(lb), &[], &h), "127.0.0.1");
        let other: std::net::IpAddr = "198.51.100.1".parse().unwrap();
        assert_eq!(client_ip(Some(other), &[lb], &h), "198.51.100.1");
        // A balancer that forwards nothing usable is the client.
        h.insert("x-forwarded-for", HeaderValue::from_static("nonsense"));
        assert_eq!(client_ip(Some(lb), &[lb], &h), "127.0.0.1");
        assert_eq!(client_ip(None, &[lb], &h), "unknown");
    }

    #[test]
    fn content_types() {
        let mut h = HeaderMap::new();
        assert!(!is_json(&h));
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("Application/JSON; charset=utf-8"),
        );
        assert!(is_json(&h));
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        assert!(is_json(&h));
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        assert!(!is_json(&h));
    }

    #[test]
    fn json_errors_name_the_field() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct R {
            email: String,
            n: u32,
        }
        let e = parse_json::<R>(br#"{"email":5,"n":1}"#).unwrap_err();
        assert!(
            matches!(&e, ApiError::Validation(v) if v[0].field == "email" && v[0].code == ErrorCode::Invalid)
        );
        let e = parse_json::<R>(br#"{"n":1}"#).unwrap_err();
        assert!(
            matches!(&e, ApiError::Validation(v) if v[0].field == "email" && v[0].code == ErrorCode::Required)
        );
        assert!(matches!(
            parse_json::<R>(b"{"),
            Err(ApiError::BadRequest(_))
        ));
        assert!(matches!(parse_json::<R>(b""), Err(ApiError::BadRequest(_))));
        assert!(matches!(
            parse_json::<R>(br#"{"email":"a","n":1} x"#),
            Err(ApiError::BadRequest(_))
        ));
        assert_eq!(
            parse_json::<R>(b"[]").unwrap_err().status(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            parse_json::<R>(br#"{"email":"a","n":-1}"#)
                .unwrap_err()
                .status(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }

    #[test]
    fn cookies() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; hromada_session=tok; b=2"),
        );
        assert_eq!(session_token(&h).as_deref(), Some("tok"));
        let c = session_cookie(Some("t"), true);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.ends_with("Secure"));
        assert!(session_cookie(None, false).contains("Max-Age=0"));
        let hint = signed_in_cookie(true, false);
        assert!(hint.starts_with("hromada_signed_in=1;") && !hint.contains("HttpOnly"));
        assert!(signed_in_cookie(false, true).contains("Max-Age=0"));
    }
}
