//! Cross-cutting middleware: CSRF defence, problem+json for every API error, and HSTS
//! behind TLS.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hromada_api::{CLIENT_HEADER, PROBLEM_JSON};

use super::extract::is_json;
use crate::error::{ApiError, problem};

/// State-changing requests (POST, PUT, PATCH, DELETE) must carry a JSON body or the
/// `X-Hromada-Client` header (neither can be sent cross-site without CORS), and an
/// `Origin`, when present, must be this server's or a configured one. Else 403.
pub async fn csrf(State(allowed): State<Arc<Vec<String>>>, req: Request, next: Next) -> Response {
    let changing = matches!(
        *req.method(),
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    );
    // The one-click unsubscribe comes from the mail provider as a plain form without an
    // Origin; the token in its URL is the credential (and all it can do is stop mail).
    let one_click = req.uri().path().starts_with("/unsubscribe/");
    if changing && !one_click {
        let headers = req.headers();
        if !is_json(headers) && !headers.contains_key(CLIENT_HEADER) {
            return ApiError::Forbidden(
                "State-changing requests need a JSON body or the X-Hromada-Client header.",
            )
            .into_response();
        }
        if !origin_allowed(headers, &allowed) {
            return ApiError::Forbidden("Cross-origin request refused.").into_response();
        }
    }
    next.run(req).await
}

/// The largest body a request may have: images to `POST …/media` up to
/// [`hromada_api::news::IMAGE_MAX_BYTES`], appeals, answers and budget projects with files up to
/// [`super::UPLOAD_LIMIT`], news items up to [`super::NEWS_LIMIT`], everything else up to
/// [`super::JSON_LIMIT`]. A declared length over it gets 413 at once; a longer streamed
/// body fails with 413 when it is read.
pub fn body_limit_for(method: &Method, path: &str) -> usize {
    let Some(rest) = path.strip_prefix(hromada_api::API_PREFIX) else {
        return super::JSON_LIMIT;
    };
    let segs: Vec<&str> = rest.trim_start_matches('/').split('/').collect();
    match (method, segs.as_slice()) {
        (&Method::POST, ["hromadas", _, "media"]) => hromada_api::news::IMAGE_MAX_BYTES,
        (&Method::POST, ["hromadas", _, "news" | "polls"] | ["polls", _, "responses"])
        | (&Method::PUT, ["news" | "polls", _]) => super::NEWS_LIMIT,
        (
            &Method::POST,
            ["hromadas", _, "appeals"]
            | ["appeals", _, "answer"]
            | ["budget-cycles", _, "projects"],
        ) => super::UPLOAD_LIMIT,
        _ => super::JSON_LIMIT,
    }
}

/// The files of a request with files, which a 413 names.
fn upload_kind(method: &Method, path: &str) -> Option<crate::domain::appeals::Uploads> {
    use crate::domain::appeals::Uploads;
    let rest = path.strip_prefix(hromada_api::API_PREFIX)?;
    let segs: Vec<&str> = rest.trim_start_matches('/').split('/').collect();
    match (method, segs.as_slice()) {
        (&Method::POST, ["hromadas", _, "appeals"]) => Some(Uploads::Photos),
        (&Method::POST, ["appeals", _, "answer"]) => Some(Uploads::AnswerFiles),
        (&Method::POST, ["budget-cycles", _, "projects"]) => Some(Uploads::ProjectImages),
        _ => None,
    }
}

/// Enforces [`body_limit_for`].
pub async fn body_limit(req: Request, next: Next) -> Response {
    let limit = body_limit_for(req.method(), req.uri().path());
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        if limit == hromada_api::news::IMAGE_MAX_BYTES {
            return crate::domain::media::too_large().into_response();
        }
        if let Some(kind) = upload_kind(req.method(), req.uri().path()) {
            return kind.too_large(None).into_response();
        }
        return ApiError::Status {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            detail: format!("The body is over {} KiB.", limit / 1024),
        }
        .into_response();
    }
    let req = req.map(|b| Body::new(http_body_util::Limited::new(b, limit)));
    next.run(req).await
}

/// The `Strict-Transport-Security` value: browsers keep to HTTPS for a year, on every
/// subdomain too.
pub const HSTS: &str = "max-age=31536000; includeSubDomains";

/// Whether the request came over TLS: the server is configured as served behind TLS
/// (`secure`, as for `Secure` cookies), or a TLS-terminating proxy says so
/// (`X-Forwarded-Proto: https`).
pub fn over_tls(headers: &HeaderMap, secure: bool) -> bool {
    secure
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"))
}

/// Sends [`HSTS`] with every response to a request that came over TLS ([`over_tls`]);
/// never over plain HTTP, where browsers ignore it anyway.
pub async fn hsts(State(secure): State<bool>, req: Request, next: Next) -> Response {
    let tls = over_tls(req.headers(), secure);
    let mut res = next.run(req).await;
    if tls {
        res.headers_mut().insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    res
}

/// Whether the `Origin` header (if any) is this host or an allowed origin.
pub fn origin_allowed(headers: &HeaderMap, allowed: &[String]) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    let origin = origin.trim().trim_end_matches('/');
    if allowed.iter().any(|a| a.eq_ignore_ascii_case(origin)) {
        return true;
    }
    let Some(authority) = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
    else {
        return false;
    };
    let host = headers
        .get("x-forwarded-host")
        .or_else(|| headers.get(header::HOST))
        .and_then(|h| h.to_str().ok())
        .map(str::trim);
    host.is_some_and(|h| !h.is_empty() && h.eq_ignore_ascii_case(authority))
}

/// Under `/api`: every error response becomes problem+json (also those made by axum
/// and tower layers: 404, 405, 413, …), and no response is cached.
pub async fn api_responses(req: Request, next: Next) -> Response {
    let is_api = req.uri().path() == "/api" || req.uri().path().starts_with("/api/");
    let mut res = next.run(req).await;
    if !is_api {
        return res;
    }
    res.headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    let status = res.status();
    let content_type = res.headers().get(header::CONTENT_TYPE);
    let is_problem =
        content_type.is_some_and(|v| v.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
    // A handler's own JSON error body is the documented answer (the 503 of `GET /health`
    // is its `Health` report): kept.
    let is_json = content_type.is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if (status.is_client_error() || status.is_server_error()) && !is_problem && !is_json {
        let detail = (status == StatusCode::METHOD_NOT_ALLOWED)
            .then(|| "This method is not allowed on this resource.".to_owned());
        let body = serde_json::to_vec(&problem(status, detail, vec![])).unwrap_or_default();
        let (mut parts, _) = res.into_parts();
        parts.headers.remove(header::CONTENT_LENGTH);
        parts
            .headers
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        return Response::from_parts(parts, Body::from(body));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut m = HeaderMap::new();
        for (k, v) in pairs {
            m.insert(*k, HeaderValue::from_static(v));
        }
        m
    }

    #[test]
    fn origins() {
        assert!(origin_allowed(&h(&[("host", "x.example")]), &[]));
        assert!(origin_allowed(
            &h(&[("host", "x.example"), ("origin", "https://x.example")]),
            &[]
        ));
        assert!(origin_allowed(
            &h(&[
                ("host", "127.0.0.1:8080"),
                ("origin", "http://127.0.0.1:8080")
            ]),
            &[]
        ));
        assert!(!origin_allowed(
            &h(&[("host", "x.example"), ("origin", "https://evil.example")]),
            &[]
        ));
        assert!(!origin_allowed(
            &h(&[("host", "x.example"), ("origin", "null")]),
            &[]
        ));
        assert!(origin_allowed(
            &h(&[("host", "api.example"), ("origin", "https://app.example")]),
            &["https://app.example".to_owned()]
        ));
    }
}
