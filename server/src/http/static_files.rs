//! The built web app: static files with an SPA fallback to `index.html`, and cache
//! headers fit for Trunk's hashed asset names.

use std::path::{Path, PathBuf};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::ServeDir;

use super::{AppState, first_view};
use crate::domain::csp;
use crate::domain::{accounts, notifications};
use crate::error::ApiError;
use hromada_views::first_view::FirstView;
use hromada_views::i18n::Locale;

/// The static site as loaded at start: its folder, `index.html`, and the hashes of the
/// inline scripts of that `index.html` (for the Content-Security-Policy).
#[derive(Debug, Default)]
pub struct Site {
    pub dir: PathBuf,
    pub index: Option<Bytes>,
    pub script_hashes: Vec<String>,
    /// `index.html` cut around its loading placeholder (`id=boot`), where a first view goes.
    pub shell: Option<Shell>,
}

/// `index.html` in parts: up to `<html`'s language, the head up to its title, the
/// default title and description (a first view brings its page's own), the rest up to the
/// placeholder, and after it. The preload of the wasm module is left out: a page that
/// arrives readable gets its styles and pictures first, and the module when its script
/// asks for it, moments later.
#[derive(Debug)]
pub struct Shell {
    head: String,
    middle: String,
    /// Where in `middle` a page's preview goes.
    preview_at: usize,
    /// The title and description of `index.html`, for a page without a preview.
    preview: String,
    tail: String,
}

/// Text made safe for a quoted HTML attribute.
fn attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `head` without its `<title>` and `<meta name=description>`: what is left, where they
/// were, and they.
fn without_preview(head: &str) -> (String, usize, String) {
    let mut rest = head.to_owned();
    let mut cut = String::new();
    let mut at = None;
    if let Some(open) = rest.find("<title")
        && let Some(len) = rest[open..].find("</title>")
    {
        let end = open + len + "</title>".len();
        cut.push_str(&rest[open..end]);
        rest.replace_range(open..end, "");
        at = Some(open);
    }
    let mut from = 0;
    while let Some(i) = rest[from..].find("<meta") {
        let open = from + i;
        let Some(len) = rest[open..].find('>') else {
            break;
        };
        let end = open + len + 1;
        let tag = &rest[open..end];
        if tag.contains("name=description") || tag.contains("name=\"description\"") {
            cut.push_str(tag);
            rest.replace_range(open..end, "");
            at = Some(at.map_or(open, |a: usize| a.min(open)));
            break;
        }
        from = end;
    }
    let at = at.unwrap_or(rest.len());
    (rest, at, cut)
}

impl Shell {
    /// Finds `<html lang=…>` and the element with `id=boot` (Trunk may minify the quotes away).
    pub fn parse(html: &str) -> Option<Self> {
        let lang_at = html.find("<html")?;
        let lang_end = lang_at + html[lang_at..].find('>')?;
        let boot = html.find("id=boot").or_else(|| html.find("id=\"boot\""))?;
        let open = html[..boot].rfind("<div")?;
        let close = boot + html[boot..].find("</div>")? + "</div>".len();
        (lang_end < open).then(|| {
            let (middle, preview_at, preview) =
                without_preview(&without_wasm_preload(&html[lang_end + 1..open]));
            Self {
                head: html[..lang_at].to_owned(),
                middle,
                preview_at,
                preview,
                tail: html[close..].to_owned(),
            }
        })
    }

    /// The page in `lang` with `view`'s preview in the head and its page in place of the
    /// placeholder. `me` (the JSON of `GET /me`, for a signed-in visit) goes in the
    /// placeholder's `data-me`, so the app starts signed in instead of drawing "checking
    /// who you are" over the first view; the page's hromada goes in `data-hromada`, so the
    /// app fetches its alerts before it draws the page (nothing is pushed down after).
    pub fn with(&self, lang: Locale, me: Option<&str>, view: &FirstView) -> String {
        let mut me = me.map_or_else(String::new, |m| format!(" data-me=\"{}\"", attr(m)));
        if let Some(k) = &view.katottg {
            me.push_str(&format!(" data-hromada=\"{}\"", attr(k)));
        }
        let preview = if view.head.is_empty() {
            &self.preview
        } else {
            &view.head
        };
        format!(
            "{}<html lang={}>{}{preview}{}<div id=boot{me}>{}</div>{}",
            self.head,
            match lang {
                Locale::en => "en",
                Locale::uk => "uk",
            },
            &self.middle[..self.preview_at],
            &self.middle[self.preview_at..],
            view.body,
            self.tail
        )
    }
}

impl Site {
    /// Reads `dir/index.html`; without it the site is "not built".
    pub fn load(dir: &Path) -> Self {
        match std::fs::read_to_string(dir.join("index.html")) {
            Ok(html) => Self {
                dir: dir.to_path_buf(),
                script_hashes: csp::inline_script_hashes(&html),
                shell: Shell::parse(&html),
                index: Some(Bytes::from(html)),
            },
            Err(_) => Self {
                dir: dir.to_path_buf(),
                ..Self::default()
            },
        }
    }
}

/// `html` without its `<link rel=preload … type=application/wasm>` elements.
fn without_wasm_preload(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("<link") {
        let Some(len) = rest[at..].find('>') else {
            break;
        };
        let link = &rest[at..=at + len];
        out.push_str(&rest[..at]);
        if !(link.contains("preload") && link.contains("application/wasm")) {
            out.push_str(link);
        }
        rest = &rest[at + len + 1..];
    }
    out.push_str(rest);
    out
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
    html_response(site.index.clone(), head)
}

fn html_response(html: Option<Bytes>, head: bool) -> Response {
    match html {
        Some(html) => {
            let body = if head {
                Body::empty()
            } else {
                Body::from(html)
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
    let query = req.uri().query().map(str::to_owned);
    let session = super::session_token(req.headers());
    let cookies = req
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join("; ");
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
    if path == "/index.html" {
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
        if state.config.first_view
            && let Some(page) = first_view_page(
                &state,
                &path,
                query.as_deref(),
                &cookies,
                session.as_deref(),
            )
            .await
        {
            // Its language and, signed in, its header and contacts come from the cookies.
            let mut res = html_response(Some(Bytes::from(page)), head);
            let h = res.headers_mut();
            h.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-cache"),
            );
            h.insert(header::VARY, HeaderValue::from_static("cookie"));
            return res;
        }
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

/// `index.html` with the first view of this page, when it has one.
async fn first_view_page(
    state: &AppState,
    path: &str,
    query: Option<&str>,
    cookies: &str,
    session: Option<&str>,
) -> Option<String> {
    let shell = state.site.shell.as_ref()?;
    let route = first_view::Route::parse(path, query)?;
    let account = match session {
        Some(t) => accounts::by_session(&state.db, t).await.ok().flatten(),
        None => None,
    };
    let unread = match &account {
        Some(a) => notifications::unread(&state.db, a).await.unwrap_or(0),
        None => 0,
    };
    let visit = first_view::Visit {
        locale: first_view::locale_from_cookies(cookies),
        me: account.as_ref().map(|a| a.me()),
        unread,
        place: first_view::place_from_cookies(cookies),
    };
    let view = first_view::render(state, &route, &visit).await?;
    let me = visit
        .me
        .as_ref()
        .and_then(|m| serde_json::to_string(m).ok());
    Some(shell.with(visit.locale, me.as_deref(), &view))
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

    fn page(head: &str, body: &str) -> FirstView {
        FirstView {
            head: head.to_owned(),
            body: body.to_owned(),
            katottg: None,
        }
    }

    #[test]
    fn shell_around_the_placeholder() {
        let html = "<!doctype html><html lang=uk><head><meta charset=utf-8><meta content=\"Громада: новини\" name=description><title>Громада</title><link href=/a.css rel=stylesheet></head><body><div class=boot id=boot role=status>Громада…</div><noscript>x</noscript></body></html>";
        let shell = Shell::parse(html).expect("placeholder found");
        assert_eq!(
            shell.with(
                Locale::en,
                None,
                &page("<title>Новини · Громада</title>", "<main>hi</main>")
            ),
            "<!doctype html><html lang=en><head><meta charset=utf-8><title>Новини · Громада</title><link href=/a.css rel=stylesheet></head><body><div id=boot><main>hi</main></div><noscript>x</noscript></body></html>"
        );
        // Without a preview, the page keeps the shell's own title and description.
        assert_eq!(
            shell.with(Locale::uk, Some(r#"{"n":"<\"'&>"}"#), &page("", "")),
            "<!doctype html><html lang=uk><head><meta charset=utf-8><title>Громада</title><meta content=\"Громада: новини\" name=description><link href=/a.css rel=stylesheet></head><body><div id=boot data-me=\"{&quot;n&quot;:&quot;&lt;\\&quot;&#39;&amp;&gt;&quot;}\"></div><noscript>x</noscript></body></html>"
        );
        assert!(Shell::parse("<html><body></body></html>").is_none());
        let with_preload = "<html lang=uk><head><link href=/a.css rel=stylesheet><link as=fetch crossorigin href=/app_bg.wasm rel=preload type=application/wasm><link href=/app.js rel=modulepreload></head><body><div id=boot>…</div></body></html>";
        let html = Shell::parse(with_preload).expect("placeholder found").with(
            Locale::uk,
            None,
            &page("", "x"),
        );
        assert_eq!(
            html,
            "<html lang=uk><head><link href=/a.css rel=stylesheet><link href=/app.js rel=modulepreload></head><body><div id=boot>x</div></body></html>"
        );
    }
}
