//! The built web app: static files with an SPA fallback to `index.html`, and cache
//! headers fit for Trunk's hashed asset names.

use std::path::{Path, PathBuf};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::ServeDir;

use super::AppState;
use crate::domain::csp;
use crate::error::ApiError;

/// The static site as loaded at start: its folder, `index.html`, and the hashes of the
/// inline scripts of that `index.html` (for the Content-Security-Policy).
#[derive(Debug, Default)]
pub struct Site {
    pub dir: PathBuf,
    pub index: Option<Bytes>,
    pub script_hashes: Vec<String>,
}

impl Site {
    /// Reads `dir/index.html`; without it the site is "not built".
    pub fn load(dir: &Path) -> Self {
        match std::fs::read_to_string(dir.join("index.html")) {
            Ok(html) => Self {
                dir: dir.to_path_buf(),
                script_hashes: csp::inline_script_hashes(&html),
                index: Some(Bytes::from(html)),
            },
            Err(_) => Self {
                dir: dir.to_path_buf(),
                ..Self::default()
            },
        }
    }
}

/// Whether a file name carries Trunk's content hash (`name-0123456789abcdef.ext`,
/// `name-0123456789abcdef_bg.wasm`), so it can be cached forever.
pub fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or("");
    let stem = file.split('.').next().unwrap_or("");
    stem.split('-').skip(1).any(|part| {
        let hex: String = part.chars().take_while(|c| c.is_ascii_hexdigit()).collect();
        hex.len() == 16 && (part.len() == 16 || part[16..].starts_with("_bg"))
    })
}

fn index_response(site: &Site, head: bool) -> Response {
    match &site.index {
        Some(html) => {
            let body = if head {
                Body::empty()
            } else {
                Body::from(html.clone())
            };
            let mut res = (StatusCode::OK, body).into_response();
            let h = res.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            res
        }
        None => not_built(),
    }
}

fn not_built() -> Response {
    let mut res = (
        StatusCode::SERVICE_UNAVAILABLE,
        "The Hromada web app is not built here. Run `make run`, or build it with `trunk build --release` \
         and set HROMADA_STATIC_DIR to its folder. The API is available under /api/v1.\n",
    )
        .into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// Everything outside the API routes: `/api/…` → 404 problem; files of the static folder;
/// any other GET path without a file extension → `index.html` (the app's own router).
pub async fn serve(State(state): State<AppState>, req: Request) -> Response {
    let path = req.uri().path().to_owned();
    if path == "/api" || path.starts_with("/api/") {
        return ApiError::NotFound.into_response();
    }
    let head = req.method() == Method::HEAD;
    if req.method() != Method::GET && !head {
        let mut res = (StatusCode::METHOD_NOT_ALLOWED, "Method not allowed.\n").into_response();
        res.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return res;
    }
    let site = &state.site;
    if site.index.is_none() {
        return not_built();
    }
    if path == "/" || path == "/index.html" {
        return index_response(site, head);
    }
    // The build's hashed files have brotli and gzip copies made at build time
    // (scripts/precache.sh): sent as they are, at no cost per request.
    let res = match ServeDir::new(&site.dir)
        .append_index_html_on_directories(false)
        .precompressed_br()
        .precompressed_gzip()
        .oneshot(req)
        .await
    {
        Ok(res) => res.map(Body::new),
        Err(never) => match never {},
    };
    let last = path.rsplit('/').next().unwrap_or("");
    if res.status() == StatusCode::NOT_FOUND && !last.contains('.') {
        return index_response(site, head);
    }
    let mut res = res;
    if res.status().is_success() || res.status() == StatusCode::NOT_MODIFIED {
        let cache = if is_hashed_asset(&path) {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        let h = res.headers_mut();
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
        if !h.contains_key(header::VARY) {
            h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names() {
        assert!(is_hashed_asset("/hromada-web-1a2b3c4d5e6f7a8b_bg.wasm"));
        assert!(is_hashed_asset("/hromada-web-1a2b3c4d5e6f7a8b.js"));
        assert!(is_hashed_asset("/style-00112233aabbccdd.css"));
        assert!(!is_hashed_asset("/config.json"));
        assert!(!is_hashed_asset("/sw.js"));
        assert!(!is_hashed_asset("/icons/icon-192.png"));
    }
}
