//! The first view: for a visit that starts on a hromada's page, its news feed, a news
//! item, a petition, a participatory-budget project or the appeal form, `index.html` carries that page as plain HTML (the
//! alerts in force, the text, the latest news), so a resident on a slow connection reads it at once instead of
//! waiting for the app's module; the app removes it when it starts and draws the same page.
//!
//! Only what anyone may read is rendered (as a guest sees it), in the language of the
//! `i18n_pref_locale` cookie, with the app's own catalogs and markup. The service worker
//! keeps the bare `/index.html`, so later visits never show a stale copy.

use std::fmt::Write as _;

use hromada_api::appeals::{AppealCategory, AppealKind};
use hromada_api::budget::{Cycle, Phase, Project, ProjectStatus, lines_total};
use hromada_api::news::{Alert, NewsSummary, Severity};
use hromada_api::petitions::{Petition, rules::progress_percent};
use hromada_api::text::{hryvnias, paragraphs};
use hromada_api::translit::{location, place_name};
use hromada_api::{Hromada, Me, Page, Role};
use serde_json::Value;

use hromada_api::HromadaRef;
use hromada_views::first_view as views;
use hromada_views::frame as views_frame;
use hromada_views::i18n::Locale;

use super::AppState;
use crate::domain::{alerts, appeals, budget, hromadas, news, petitions};

/// How many news items the hromada's home page shows (as the app does).
const HOME_NEWS: usize = 5;

/// The language of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Uk,
    En,
}

impl Lang {
    /// The language chosen in the app (its `i18n_pref_locale` cookie); Ukrainian otherwise.
    pub fn from_cookies(cookies: &str) -> Self {
        let en = cookies
            .split(';')
            .filter_map(|p| p.trim().split_once('='))
            .any(|(k, v)| k == "i18n_pref_locale" && v.trim() == "en");
        if en { Self::En } else { Self::Uk }
    }

    /// The `lang` attribute.
    pub fn code(self) -> &'static str {
        match self {
            Self::Uk => "uk",
            Self::En => "en",
        }
    }
}

/// The app's two catalogs (`locales/*.json`), read at compile time.
#[derive(Debug)]
pub struct Catalogs {
    uk: Value,
    en: Value,
}

impl Default for Catalogs {
    fn default() -> Self {
        Self::load()
    }
}

impl Catalogs {
    /// Parses the catalogs compiled into the server.
    pub fn load() -> Self {
        let parse = |s: &str| serde_json::from_str(s).unwrap_or(Value::Null);
        Self {
            uk: parse(include_str!("../../../views/locales/uk.json")),
            en: parse(include_str!("../../../views/locales/en.json")),
        }
    }

    /// The text of a dotted key (`nav.news`), or the key itself when it is missing (a test
    /// checks every key this module uses is in both catalogs).
    pub fn t(&self, lang: Lang, key: &str) -> String {
        self.lookup(lang, key).unwrap_or(key).to_owned()
    }

    fn lookup(&self, lang: Lang, key: &str) -> Option<&str> {
        let root = match lang {
            Lang::Uk => &self.uk,
            Lang::En => &self.en,
        };
        key.split('.').try_fold(root, |v, k| v.get(k))?.as_str()
    }

    /// The text of a key with `{{ name }}` placeholders filled in.
    pub fn tf(&self, lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
        let mut s = self.t(lang, key);
        for (name, value) in args {
            s = s.replace(&format!("{{{{ {name} }}}}"), value);
        }
        s
    }
}

/// Text made safe for HTML, in element content and in quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// "27.01.2027, 10:23": an RFC 3339 instant in Kyiv time, as the app writes it.
pub fn kyiv_date_time(rfc3339: &str) -> String {
    crate::domain::messages::kyiv_time(rfc3339)
}

/// "28.11.2026": the calendar date of an RFC 3339 instant, as the app writes it.
pub fn date(rfc3339: &str) -> String {
    match (rfc3339.get(0..4), rfc3339.get(5..7), rfc3339.get(8..10)) {
        (Some(y), Some(m), Some(d)) => format!("{d}.{m}.{y}"),
        _ => rfc3339.to_owned(),
    }
}

/// The pages that have a first view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `/h/{katottg}`.
    Hromada(String),
    /// `/h/{katottg}/news`, with the category and the words of its address.
    News {
        katottg: String,
        category: Option<String>,
        q: String,
    },
    /// `/news/{id}`: a published news item, as a guest reads it.
    Article(String),
    /// `/petitions/{id}`.
    Petition(String),
    /// `/projects/{id}`: a participatory-budget project, the link its author shares.
    Project(String),
    /// `/h/{katottg}/appeals/new`: the form (disabled until the app starts) for a signed-in
    /// person, the invitation to sign in for a guest.
    NewAppeal(String),
}

impl Route {
    /// The page of a path and query, when it has a first view.
    pub fn parse(path: &str, query: Option<&str>) -> Option<Self> {
        let parts: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
        match parts.as_slice() {
            ["h", k] => Some(Self::Hromada((*k).to_owned())),
            ["h", k, "news"] => {
                let mut category = None;
                let mut q = String::new();
                for (key, value) in url::form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
                    match key.as_ref() {
                        "category" => {
                            category = hromada_api::news::NewsCategory::from_code(&value)
                                .map(|c| c.code().to_owned());
                        }
                        "q" => q = value.trim().to_owned(),
                        _ => {}
                    }
                }
                Some(Self::News {
                    katottg: (*k).to_owned(),
                    category,
                    q,
                })
            }
            ["news", id] if !id.is_empty() => Some(Self::Article((*id).to_owned())),
            ["petitions", id] if !id.is_empty() => Some(Self::Petition((*id).to_owned())),
            ["projects", id] if !id.is_empty() => Some(Self::Project((*id).to_owned())),
            ["h", k, "appeals", "new"] => Some(Self::NewAppeal((*k).to_owned())),
            _ => None,
        }
    }
}

/// Everything a first view needs to know about the request.
#[derive(Debug, Clone)]
pub struct Visit {
    pub lang: Lang,
    /// The signed-in person, when the request carries a valid session.
    pub me: Option<Me>,
    /// Their unread notifications (the bell's count).
    pub unread: u32,
}

impl Visit {
    /// Signed in: no invitations to join or sign in.
    pub fn signed_in(&self) -> bool {
        self.me.is_some()
    }
}

/// The HTML of a page's first view, or `None` when the page has none or its data cannot
/// be read (the app then starts as usual).
pub async fn render(state: &AppState, cat: &Catalogs, route: &Route, v: &Visit) -> Option<String> {
    let db = &state.db;
    let (hromada, main) = match route {
        Route::Hromada(k) => {
            let h = hromadas::get(db, k).await.ok()?;
            let feed = latest_news(state, k).await;
            let main = home(cat, v, &h, &feed);
            (h, main)
        }
        Route::News {
            katottg,
            category,
            q,
        } => {
            let h = hromadas::get(db, katottg).await.ok()?;
            let items = news_page(state, katottg, category.as_deref(), q).await?;
            let visit = shared_visit(state, v, &h, format!("/h/{katottg}/news")).await;
            return Some(views::news_feed(
                locale(v.lang),
                visit,
                katottg.clone(),
                category.clone(),
                q.clone(),
                items,
            ));
        }
        Route::Article(id) => {
            let n = news::get(db, None, id).await.ok()?;
            let h = hromadas::get(db, &n.summary.katottg).await.ok()?;
            let visit = shared_visit(state, v, &h, format!("/news/{id}")).await;
            return Some(views::news_item(locale(v.lang), visit, n));
        }
        Route::Petition(id) => {
            let p = petitions::get(db, None, id).await.ok()?;
            let h = hromadas::get(db, &p.summary.katottg).await.ok()?;
            (h, petition(cat, v, &p))
        }
        Route::Project(id) => {
            let p = budget::get_project(db, None, id).await.ok()?;
            let c = budget::get_cycle(db, &p.summary.cycle_id).await.ok()?;
            let h = hromadas::get(db, &c.katottg).await.ok()?;
            (h, project(cat, v.lang, &p, &c))
        }
        Route::NewAppeal(k) => {
            let h = hromadas::get(db, k).await.ok()?;
            let main = match &v.me {
                Some(me) => {
                    // Without the categories the app shows its error and retry; so do we not.
                    let list = appeals::categories(db, None, k, None).await.ok()?;
                    appeal_form(cat, v.lang, me, &list)
                }
                None => appeal_sign_in(cat, v.lang),
            };
            (h, main)
        }
    };
    let alerts = alerts::list(db, None, &hromada.katottg, None, None, None)
        .await
        .map(|p| p.items)
        .unwrap_or_default();
    let here = match route {
        Route::Hromada(k) => format!("/h/{k}"),
        Route::News { .. } | Route::Article(_) => return None,
        Route::Petition(id) => format!("/petitions/{id}"),
        Route::Project(id) => format!("/projects/{id}"),
        Route::NewAppeal(k) => format!("/h/{k}/appeals/new"),
    };
    Some(frame(cat, v, &hromada, &alerts, &main, &here))
}

/// The language of the shared views.
fn locale(lang: Lang) -> Locale {
    match lang {
        Lang::Uk => Locale::uk,
        Lang::En => Locale::en,
    }
}

/// What the shared frame shows of the visit: the hromada, the person, the page and the
/// hromada's alerts in force.
async fn shared_visit(
    state: &AppState,
    v: &Visit,
    h: &Hromada,
    here: String,
) -> views_frame::Visit {
    let alerts = alerts::list(&state.db, None, &h.katottg, None, None, None)
        .await
        .map(|p| p.items)
        .unwrap_or_default();
    views_frame::Visit {
        place: Some(HromadaRef {
            katottg: h.katottg.clone(),
            name: h.name.clone(),
        }),
        me: v.me.clone(),
        unread: v.unread,
        here,
        alerts,
    }
}

/// The first page of a feed with this category and these words, as a guest reads it.
async fn news_page(
    state: &AppState,
    k: &str,
    category: Option<&str>,
    q: &str,
) -> Option<Vec<NewsSummary>> {
    let params = news::FeedParams {
        category,
        q: (!q.is_empty()).then_some(q),
        status: None,
        cursor: None,
        limit: None,
    };
    let body = news::feed(&state.db, &state.live.feed_cache, None, k, &params)
        .await
        .ok()?;
    serde_json::from_slice::<Page<NewsSummary>>(&body)
        .ok()
        .map(|p| p.items)
}

async fn latest_news(state: &AppState, k: &str) -> Vec<NewsSummary> {
    let params = news::FeedParams {
        category: None,
        q: None,
        status: None,
        cursor: None,
        limit: None,
    };
    news::feed(&state.db, &state.live.feed_cache, None, k, &params)
        .await
        .ok()
        .and_then(|body| serde_json::from_slice::<Page<NewsSummary>>(&body).ok())
        .map(|p| p.items)
        .unwrap_or_default()
}

fn name(lang: Lang, s: &str) -> String {
    place_name(s, lang == Lang::En)
}

/// The app's frame (skip link, header, navigation, main with the alerts, footer) around
/// `main`.
fn frame(
    cat: &Catalogs,
    v: &Visit,
    h: &Hromada,
    alerts: &[Alert],
    main: &str,
    here: &str,
) -> String {
    let l = v.lang;
    let k = esc(&h.katottg);
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<a class="skip-link" href="#main">{skip}</a><header class="site-header"><a href="/" class="brand"><img src="/icon.svg" alt="" width="32" height="32"><span>{app}</span></a><a href="/h/{k}"{current} class="place">{place}</a><div class="header-end">"##,
        skip = esc(&cat.t(l, "nav.skip")),
        app = esc(&cat.t(l, "app.name")),
        place = esc(&name(l, &h.name)),
        current = if here == format!("/h/{}", h.katottg) {
            r#" aria-current="page""#
        } else {
            ""
        },
    );
    match &v.me {
        None => {
            let _ = write!(
                s,
                r#"<a href="/signin" class="button button-small">{}</a>"#,
                esc(&cat.t(l, "nav.sign_in"))
            );
        }
        Some(me) => who(&mut s, cat, l, me, v.unread),
    }
    let _ = write!(
        s,
        r#"</div></header><div class="frame"><nav class="site-nav" aria-label="{}"><ul>"#,
        esc(&cat.t(l, "nav.label"))
    );
    let at = |tail: &str| format!("/h/{k}{tail}");
    // As the app's navigation: a signed-in person's "appeals" are their own.
    let appeals = if v.signed_in() {
        "/appeals".to_owned()
    } else {
        at("/appeals")
    };
    let mut items: Vec<(String, &str, &str, bool)> = vec![
        (at(""), "⌂", "nav.home", false),
        (at("/news"), "☰", "nav.news", false),
        (appeals, "✉", "nav.appeals", false),
        (at("/petitions"), "✍", "nav.petitions", false),
        (at("/budget"), "₴", "nav.budget", true),
        (at("/polls"), "☑", "nav.polls", true),
        (at("/services"), "?", "nav.services", true),
        ("/hromadas".to_owned(), "⌕", "nav.hromadas", true),
    ];
    if let Some(me) = &v.me {
        let staff = if me.is_staff_of(&h.katottg) {
            Some(h.katottg.clone())
        } else {
            me.staff_of.first().map(|s| s.katottg.clone())
        };
        if let Some(sk) = staff {
            items.push((format!("/h/{}/staff", esc(&sk)), "▣", "nav.staff", false));
        }
        if me.admin {
            items.push(("/admin".to_owned(), "⚙", "nav.admin", true));
        }
    }
    items.push(("/account".to_owned(), "☺", "nav.account", false));
    for (href, icon, key, wide) in items {
        let _ = write!(
            s,
            r#"<li{}><a href="{href}"{}><span class="nav-icon" aria-hidden="true">{icon}</span>{}</a></li>"#,
            if wide { r#" class="nav-wide""# } else { "" },
            current(&href, here),
            esc(&cat.t(l, key))
        );
    }
    s.push_str(r#"</ul></nav><main id="main" tabindex="-1">"#);
    if !alerts.is_empty() {
        let _ = write!(
            s,
            r#"<section class="alerts" aria-label="{}">"#,
            esc(&cat.t(l, "alerts.region"))
        );
        for a in alerts {
            alert(&mut s, cat, l, a);
        }
        s.push_str("</section>");
    }
    s.push_str(main);
    // The language buttons work once the app has started; disabled, they keep their place.
    let _ = write!(
        s,
        r#"</main></div><footer class="site-footer"><p>{}</p><div class="lang-switch" role="group" aria-label="{}"><button type="button" class="lang" lang="uk" aria-pressed="{}" disabled>Українська</button><button type="button" class="lang" lang="en" aria-pressed="{}" disabled>English</button></div></footer>"#,
        esc(&cat.t(l, "footer.about")),
        esc(&cat.t(l, "nav.language")),
        l == Lang::Uk,
        l == Lang::En,
    );
    s
}

/// The `aria-current` attribute of a navigation link, as the app's navigation has it: `page`
/// on the page itself, `true` anywhere else in its section ([`hromada_api::nav::current`]).
fn current(href: &str, here: &str) -> String {
    hromada_api::nav::current(href, here)
        .map(|c| format!(r#" aria-current="{c}""#))
        .unwrap_or_default()
}

/// One alert as the app shows it; its "hide" button is disabled until the app starts (it
/// keeps the place of the app's button, so nothing moves).
fn alert(s: &mut String, cat: &Catalogs, l: Lang, a: &Alert) {
    let (class, key) = match a.severity {
        Severity::Info => ("alert-info", "alerts.info"),
        Severity::Warning => ("alert-warning", "alerts.warning"),
        Severity::Danger => ("alert-danger", "alerts.danger"),
    };
    let role = if a.severity == Severity::Danger {
        r#" role="alert""#
    } else {
        ""
    };
    let area = a
        .area
        .as_deref()
        .map(|x| format!(" · {}", esc(x)))
        .unwrap_or_default();
    let _ = write!(
        s,
        r#"<div class="alert-banner {class}"{role}><p class="alert-head"><strong>{}</strong>{area}</p><p class="alert-text">{}</p><p class="alert-until">{} {}</p><button class="link-button alert-hide" type="button" disabled>{}</button></div>"#,
        esc(&cat.t(l, key)),
        esc(&a.text),
        esc(&cat.t(l, "alerts.until")),
        esc(&kyiv_date_time(&a.expires_at)),
        esc(&cat.t(l, "alerts.hide")),
    );
}

fn news_card(s: &mut String, cat: &Catalogs, l: Lang, n: &NewsSummary, eager: bool) {
    s.push_str(r#"<li class="news-card">"#);
    if let Some(img) = &n.cover
        && let Some(small) = img.fit(480)
    {
        let _ = write!(
            s,
            r#"<img class="news-cover" src="{}" srcset="{}" sizes="(min-width: 800px) 240px, 100vw" width="{}" height="{}" alt="" loading="{}" decoding="async">"#,
            esc(&small.url),
            esc(&img.srcset()),
            small.width,
            small.height,
            if eager { "eager" } else { "lazy" }
        );
    }
    let _ = write!(
        s,
        r#"<div class="news-card-text"><p class="news-meta"><span class="news-category">{}</span>"#,
        esc(&cat.t(l, &format!("news.cat_{}", n.category.code())))
    );
    if let Some(at) = &n.published_at {
        let _ = write!(
            s,
            r#" · <time datetime="{}">{}</time>"#,
            esc(at),
            esc(&kyiv_date_time(at))
        );
    }
    let _ = write!(
        s,
        r#"</p><h3><a href="/news/{}">{}</a></h3><p class="news-summary">{}</p></div></li>"#,
        esc(&n.id),
        esc(&n.title),
        esc(&n.summary)
    );
}

fn news_list(s: &mut String, cat: &Catalogs, l: Lang, items: &[NewsSummary], eager_first: bool) {
    if items.is_empty() {
        let _ = write!(
            s,
            r#"<p class="state state-empty">{}</p>"#,
            esc(&cat.t(l, "news.empty"))
        );
        return;
    }
    s.push_str(r#"<ul class="news-list">"#);
    for (i, n) in items.iter().enumerate() {
        news_card(s, cat, l, n, eager_first && i == 0);
    }
    s.push_str("</ul>");
}

/// A card of the home page: a title, a text and its links.
fn card(s: &mut String, id: &str, title: &str, text: &str, links: &[(String, String)]) {
    let _ = write!(
        s,
        r#"<section class="card" aria-labelledby="{id}"><h2 id="{id}">{}</h2><p>{}</p><p class="actions">"#,
        esc(title),
        esc(text)
    );
    for (i, (href, label)) in links.iter().enumerate() {
        let class = if i == 0 {
            "button"
        } else {
            "button button-secondary"
        };
        let _ = write!(
            s,
            r#"<a href="{}" class="{class}">{}</a>"#,
            esc(href),
            esc(label)
        );
    }
    s.push_str("</p></section>");
}

/// The hromada's home page, as a guest (or, signed in, without the invitation) sees it.
fn home(cat: &Catalogs, v: &Visit, h: &Hromada, news: &[NewsSummary]) -> String {
    let l = v.lang;
    let t = |key: &str| cat.t(l, key);
    let k = &h.katottg;
    let signatures = h.settings.petition_signatures.to_string();
    let days = h.settings.petition_days.to_string();
    let rule = [("signatures", signatures.as_str()), ("days", days.as_str())];
    let words = (t("hromada.raion_word"), t("hromada.oblast_word"));
    let lead = location(&h.raion, &h.oblast, (&words.0, &words.1), l == Lang::En);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<h1 tabindex="-1">{} {}</h1><p class="lead">{}</p><section class="card" aria-labelledby="about-h"><h2 id="about-h">{}</h2><dl class="facts"><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd><code>{}</code></dd><dt>{}</dt><dd>{}</dd></dl></section>"#,
        esc(&name(l, &h.name)),
        esc(&t("hromada.hromada_word")),
        esc(&lead),
        esc(&t("hromada.about")),
        esc(&t("hromada.settlements")),
        h.settlements,
        esc(&t("hromada.cities")),
        h.cities,
        esc(&t("hromada.code")),
        esc(k),
        esc(&t("hromada.petition_rule")),
        esc(&cat.tf(l, "hromada.petition_rule_value", &rule)),
    );
    // "Get alerts on this device", as the app draws it before it knows the browser
    // (disabled until the app starts, like every control of a first view).
    let _ = write!(
        s,
        r#"<section class="card push-card" aria-labelledby="push-h"><h2 id="push-h">{}</h2><p>{}</p><label class="choice" for="push-info"><input type="checkbox" id="push-info" disabled><span>{}</span></label><p class="actions"><button type="button" class="button" id="push-on" disabled>{}</button></p><div aria-live="assertive"></div><div aria-live="polite"></div></section>"#,
        esc(&t("push.title")),
        esc(&t("push.lead")),
        esc(&t("push.info_too")),
        esc(&t("push.turn_on")),
    );
    let link = |tail: &str, key: &str| (format!("/h/{k}{tail}"), t(key));
    card(
        &mut s,
        "appeals-h",
        &t("appeals.home_title"),
        &t("appeals.home_text"),
        &[
            link("/appeals/new", "appeals.write"),
            link("/appeals", "appeals.public_title"),
        ],
    );
    card(
        &mut s,
        "petitions-h",
        &t("petitions.home_title"),
        &cat.tf(l, "petitions.home_text", &rule),
        &[
            link("/petitions", "petitions.title"),
            link("/petitions/new", "petitions.write"),
        ],
    );
    card(
        &mut s,
        "services-h",
        &t("services.title"),
        &t("services.home_text"),
        &[
            link("/services", "services.title"),
            link("/ask", "consult.ask"),
        ],
    );
    card(
        &mut s,
        "budget-h",
        &t("budget.home_title"),
        &t("budget.home_text"),
        &[link("/budget", "budget.title")],
    );
    card(
        &mut s,
        "polls-h",
        &t("polls.title"),
        &t("polls.home_text"),
        &[link("/polls", "polls.title")],
    );
    let _ = write!(
        s,
        r#"<section aria-labelledby="latest-h"><h2 id="latest-h">{}</h2>"#,
        esc(&t("news.latest"))
    );
    news_list(&mut s, cat, l, &news[..news.len().min(HOME_NEWS)], false);
    let _ = write!(
        s,
        r#"<p><a href="/h/{}/news" class="button button-secondary">{}</a></p></section>"#,
        esc(k),
        esc(&t("news.all"))
    );
    if !v.signed_in() {
        let _ = write!(
            s,
            r#"<section class="card"><p>{}</p><p class="actions"><a href="/signup" class="button">{}</a><a href="/signin" class="button button-secondary">{}</a></p></section>"#,
            esc(&t("hromada.join")),
            esc(&t("account.sign_up")),
            esc(&t("account.sign_in"))
        );
    }
    let _ = write!(
        s,
        r#"<p><a href="/hromadas">{}</a></p>"#,
        esc(&t("hromada.change"))
    );
    s
}

/// A petition: its status, facts, progress and text.
fn petition(cat: &Catalogs, v: &Visit, p: &Petition) -> String {
    use hromada_api::petitions::PetitionStatus;
    let l = v.lang;
    let t = |key: &str| cat.t(l, key);
    let sm = &p.summary;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<h1 tabindex="-1">{}</h1><p class="meta"><span class="badge pstatus-{code}">{}</span></p><dl class="facts"><dt>{}</dt><dd>{}<br>{}</dd>"#,
        esc(&sm.title),
        esc(&t(&format!("petitions.status_{}", sm.status.code()))),
        esc(&t("petitions.author")),
        esc(&sm.author_name),
        esc(&p.author_email),
        code = sm.status.code(),
    );
    if let Some(d) = &sm.published_at {
        let _ = write!(
            s,
            "<dt>{}</dt><dd>{}</dd>",
            esc(&t("petitions.signing_began")),
            esc(&date(d))
        );
    }
    if let Some(d) = &sm.ends_at {
        let _ = write!(
            s,
            "<dt>{}</dt><dd>{}</dd>",
            esc(&t("petitions.signing_ends")),
            esc(&kyiv_date_time(d))
        );
    }
    s.push_str("</dl>");
    if !matches!(
        sm.status,
        PetitionStatus::Moderation | PetitionStatus::Rejected
    ) {
        let (count, needed) = (sm.signatures.to_string(), sm.needed.to_string());
        let _ = write!(
            s,
            r#"<div class="progress"><progress max="100" value="{}" aria-label="{}"></progress><p class="progress-text"><strong>{count}</strong> {}</p></div>"#,
            progress_percent(sm.signatures, sm.needed),
            esc(&cat.tf(
                l,
                "petitions.count_of",
                &[("count", &count), ("needed", &needed)]
            )),
            esc(&cat.tf(l, "petitions.of_needed", &[("needed", &needed)])),
        );
    }
    if sm.status == PetitionStatus::Collecting && !v.signed_in() {
        // What a guest is offered instead of the sign button (the app's sign box).
        let _ = write!(
            s,
            r#"<section class="card sign-box" aria-labelledby="sign-h"><h2 id="sign-h" class="visually-hidden">{}</h2><p>{}</p><p class="actions"><a href="/signin?next=%2Fpetitions%2F{}" class="button">{}</a><a href="/signup" class="button button-secondary">{}</a></p></section>"#,
            esc(&t("petitions.sign_title")),
            esc(&t("petitions.guest_hint")),
            esc(&sm.id),
            esc(&t("petitions.sign_in_to_sign")),
            esc(&t("account.sign_up")),
        );
    }
    // The share button works once the app has started; disabled, it keeps its place.
    let _ = write!(
        s,
        r#"<p class="share"><button class="button button-secondary" type="button" disabled>{}</button></p>"#,
        esc(&t("petitions.share"))
    );
    let _ = write!(
        s,
        r#"<section aria-labelledby="text-h"><h2 id="text-h">{}</h2><p class="appeal-text">{}</p></section>"#,
        esc(&t("petitions.text")),
        esc(&p.text)
    );
    s
}

/// A participatory-budget project as a guest sees it in the app: its cycle, category and
/// state, facts, the way to vote while voting is open, pictures, description, estimate and,
/// once funded, how it is being carried out.
fn project(cat: &Catalogs, l: Lang, p: &Project, c: &Cycle) -> String {
    let t = |key: &str| cat.t(l, key);
    let sm = &p.summary;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<h1 tabindex="-1">{}</h1><p><a href="/budget/{}">{}</a></p><p class="meta"><span class="badge">{}</span> "#,
        esc(&sm.title),
        esc(&c.id),
        esc(&c.title),
        esc(&t(&format!("budget.cat_{}", sm.category.code()))),
    );
    match sm.funded {
        Some(true) => {
            let _ = write!(
                s,
                r#"<span class="badge badge-ok">{}</span>"#,
                esc(&t("budget.funded"))
            );
        }
        Some(false) if sm.status == ProjectStatus::Accepted => {
            let _ = write!(
                s,
                r#"<span class="badge">{}</span>"#,
                esc(&t("budget.not_funded"))
            );
        }
        _ => {
            let _ = write!(
                s,
                r#"<span class="badge project-{code}">{}</span>"#,
                esc(&t(&format!("budget.status_{}", sm.status.code()))),
                code = sm.status.code()
            );
        }
    }
    s.push_str("</p>");
    let _ = write!(
        s,
        r#"<dl class="facts"><dt>{}</dt><dd><strong>{}</strong></dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd>"#,
        esc(&t("budget.cost")),
        esc(&hryvnias(sm.cost)),
        esc(&t("budget.address")),
        esc(&sm.address),
        esc(&t("budget.author")),
        esc(&sm.author_name),
        esc(&t("budget.submitted_at")),
        esc(&date(&sm.submitted_at)),
    );
    if let Some(votes) = sm.votes {
        let _ = write!(s, "<dt>{}</dt><dd>{votes}</dd>", esc(&t("budget.votes")));
    }
    if let Some(rank) = p.rank {
        let _ = write!(s, "<dt>{}</dt><dd>{rank}</dd>", esc(&t("budget.rank")));
    }
    s.push_str("</dl>");
    if c.phase == Phase::Voting && sm.status == ProjectStatus::Accepted {
        let _ = write!(
            s,
            r#"<p class="actions"><a href="/budget/{}/vote" class="button button-big">{}</a></p>"#,
            esc(&c.id),
            esc(&t("budget.vote"))
        );
    }
    if !p.images.is_empty() {
        s.push_str(r#"<ul class="gallery">"#);
        for (i, img) in p.images.iter().enumerate() {
            let n = (i + 1).to_string();
            let _ = write!(
                s,
                r#"<li><a href="{}"><img src="{}" alt="{}" loading="lazy" width="160" height="120"></a></li>"#,
                esc(&img.url),
                esc(&img.thumbnail_url),
                esc(&cat.tf(l, "budget.image_alt", &[("n", &n)]))
            );
        }
        s.push_str("</ul>");
    }
    let _ = write!(
        s,
        r#"<section aria-labelledby="desc-h"><h2 id="desc-h">{}</h2>"#,
        esc(&t("budget.description"))
    );
    for para in paragraphs(&p.description) {
        let _ = write!(s, r#"<p class="appeal-text">{}</p>"#, esc(&para));
    }
    let _ = write!(
        s,
        r#"</section><section aria-labelledby="cost-h"><h2 id="cost-h">{}</h2><table class="cost-table"><thead><tr><th scope="col">{}</th><th scope="col" class="num">{}</th></tr></thead><tbody>"#,
        esc(&t("budget.estimate")),
        esc(&t("budget.item")),
        esc(&t("budget.amount")),
    );
    for line in &p.cost_lines {
        let _ = write!(
            s,
            r#"<tr><td>{}</td><td class="num">{}</td></tr>"#,
            esc(&line.item),
            esc(&hryvnias(line.amount))
        );
    }
    let _ = write!(
        s,
        r#"</tbody><tfoot><tr><th scope="row">{}</th><td class="num"><strong>{}</strong></td></tr></tfoot></table>"#,
        esc(&t("budget.lines_total")),
        esc(&hryvnias(lines_total(&p.cost_lines)))
    );
    if let Some(note) = &p.cost_note {
        let _ = write!(
            s,
            r#"<div class="card card-warn"><p><strong>{}</strong></p><p class="appeal-text">{}</p></div>"#,
            esc(&cat.tf(l, "budget.cost_changed", &[("cost", &hryvnias(sm.cost))])),
            esc(note)
        );
    }
    s.push_str("</section>");
    if !p.milestones.is_empty() || sm.progress.is_some() {
        let percent = sm.progress.unwrap_or(0).to_string();
        let progress = cat.tf(l, "budget.progress", &[("percent", &percent)]);
        let _ = write!(
            s,
            r#"<section class="card" aria-labelledby="impl-h"><h2 id="impl-h">{}</h2><div class="progress"><progress max="100" value="{percent}" aria-label="{}"></progress><p class="progress-text">{}</p></div><ol class="milestones">"#,
            esc(&t("budget.implementation")),
            esc(&progress),
            esc(&progress),
        );
        for m in &p.milestones {
            let _ = write!(
                s,
                r#"<li{}><span aria-hidden="true">{}</span><span>{}</span> <span class="meta">{} · {}</span></li>"#,
                if m.done { r#" class="done""# } else { "" },
                if m.done { "✓ " } else { "○ " },
                esc(&m.title),
                esc(&date(&m.date)),
                esc(&t(if m.done {
                    "budget.done"
                } else {
                    "budget.planned"
                })),
            );
        }
        s.push_str("</ol></section>");
    }
    s
}

/// The signed-in header's end: the notifications bell and who is signed in.
fn who(s: &mut String, cat: &Catalogs, l: Lang, me: &Me, unread: u32) {
    let count = unread.to_string();
    let _ = write!(
        s,
        r#"<a href="/notifications" class="bell" aria-label="{}"><svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1z"></path></svg>"#,
        esc(&cat.tf(l, "notifications.bell", &[("count", &count)]))
    );
    if unread > 0 {
        let _ = write!(
            s,
            r#"<span class="bell-count" aria-hidden="true">{count}</span>"#
        );
    }
    let role = match me.role() {
        Role::Resident => "role.resident",
        Role::VerifiedResident => "role.verified_resident",
        Role::Staff => "role.staff",
        Role::Admin => "role.admin",
    };
    let _ = write!(
        s,
        r#"</a><a href="/account" class="who"><span class="who-name">{}</span><span class="who-role">{}</span></a>"#,
        esc(&me.full_name),
        esc(&cat.t(l, role))
    );
}

/// The appeal form's heading and the hint on the law, as the app writes them.
fn appeal_heading(s: &mut String, cat: &Catalogs, l: Lang) {
    let _ = write!(
        s,
        r#"<h1 tabindex="-1">{}</h1>"#,
        esc(&cat.t(l, "appeals.new_title"))
    );
}

/// A guest on the appeal form: anonymous appeals are not considered, so sign in first.
fn appeal_sign_in(cat: &Catalogs, l: Lang) -> String {
    let t = |key: &str| esc(&cat.t(l, key));
    let mut s = String::new();
    appeal_heading(&mut s, cat, l);
    let _ = write!(
        s,
        r#"<div class="card"><p>{}</p><p class="actions"><a href="/signin" class="button">{}</a><a href="/signup" class="button button-secondary">{}</a></p></div>"#,
        t("appeals.sign_in_first"),
        t("nav.sign_in"),
        t("account.sign_up_title"),
    );
    s
}

/// One text field as the app's `TextField` draws it, disabled.
fn text_field(s: &mut String, name: &str, label: &str, kind: &str, value: &str, hint: &str) {
    let id = format!("f-{name}");
    let _ = write!(
        s,
        r#"<div class="field"><label for="{id}">{}</label>"#,
        esc(label)
    );
    let described = if hint.is_empty() {
        String::new()
    } else {
        let _ = write!(s, r#"<p class="hint" id="{id}-hint">{}</p>"#, esc(hint));
        format!(r#" aria-describedby="{id}-hint""#)
    };
    let autocomplete = match name {
        "full_name" => "name",
        "address" | "location" => "street-address",
        "email" => "email",
        _ => "off",
    };
    if kind == "textarea" {
        let _ = write!(
            s,
            r#"<textarea id="{id}" name="{name}" autocomplete="{autocomplete}" aria-invalid="false"{described} disabled>{}</textarea>"#,
            esc(value)
        );
    } else {
        let _ = write!(
            s,
            r#"<input id="{id}" name="{name}" type="{kind}" autocomplete="{autocomplete}" aria-invalid="false"{described} value="{}" disabled>"#,
            esc(value)
        );
    }
    let _ = write!(
        s,
        r#"<p class="field-error" id="{id}-error" aria-live="polite"></p></div>"#
    );
}

/// The appeal form for a signed-in person, with their contacts filled in as the app fills
/// them: every control is disabled until the app starts (and restores a saved draft), so
/// nothing typed here can be lost.
fn appeal_form(cat: &Catalogs, l: Lang, me: &Me, categories: &[AppealCategory]) -> String {
    let t = |key: &str| cat.t(l, key);
    let mut s = String::new();
    appeal_heading(&mut s, cat, l);
    let _ = write!(
        s,
        r#"<p class="hint">{}</p><form class="form appeal-form" novalidate aria-busy="true"><div aria-live="assertive"></div><div aria-live="polite"></div><fieldset class="field" aria-describedby="f-kind-error" aria-invalid="false"><legend>{}</legend>"#,
        esc(&t("appeals.law_hint")),
        esc(&t("appeals.kind")),
    );
    for k in AppealKind::ALL {
        let code = k.code();
        let _ = write!(
            s,
            r#"<label class="choice" for="f-kind-{code}"><input type="radio" id="f-kind-{code}" name="kind" value="{code}" disabled><span>{}</span></label>"#,
            esc(&t(&format!("appeals.kind_{code}")))
        );
    }
    let _ = write!(
        s,
        r#"<p class="field-error" id="f-kind-error" aria-live="polite"></p></fieldset><div class="field"><label for="f-category_id">{}</label><select id="f-category_id" name="category_id" aria-describedby="f-category_id-error" aria-invalid="false" disabled><option value="" selected>{}</option>"#,
        esc(&t("appeals.category")),
        esc(&t("appeals.choose_category")),
    );
    for c in categories.iter().filter(|c| !c.archived) {
        let _ = write!(
            s,
            r#"<option value="{}">{}</option>"#,
            esc(&c.id),
            esc(&c.name)
        );
    }
    s.push_str(
        r#"</select><p class="field-error" id="f-category_id-error" aria-live="polite"></p></div>"#,
    );
    let max = hromada_api::appeals::TEXT_MAX.to_string();
    text_field(&mut s, "subject", &t("appeals.subject"), "text", "", "");
    text_field(
        &mut s,
        "text",
        &t("appeals.text"),
        "textarea",
        "",
        &cat.tf(l, "appeals.chars_left", &[("count", &max)]),
    );
    let _ = write!(
        s,
        r#"<fieldset class="field"><legend>{}</legend>"#,
        esc(&t("appeals.where_title"))
    );
    text_field(
        &mut s,
        "location",
        &t("appeals.location"),
        "text",
        "",
        &t("appeals.location_hint"),
    );
    let _ = write!(
        s,
        r#"<p><button type="button" class="button button-secondary button-small" disabled>{}</button></p></fieldset><fieldset class="field"><legend>{}</legend><p class="hint" id="f-photos-hint">{}</p><ul class="previews"></ul><input id="f-photos" name="photos" class="visually-hidden" type="file" multiple accept="image/jpeg,image/png,image/webp" aria-describedby="f-photos-hint f-photos-error" disabled><label class="button button-secondary file-pick" for="f-photos">{}</label><p class="field-error" id="f-photos-error" aria-live="polite"></p></fieldset><fieldset class="field"><legend>{}</legend><p class="hint">{}</p>"#,
        esc(&t("appeals.use_position")),
        esc(&t("appeals.photos")),
        esc(&t("appeals.photos_hint")),
        esc(&t("photos.add")),
        esc(&t("appeals.contacts")),
        esc(&t("appeals.contacts_hint")),
    );
    text_field(
        &mut s,
        "full_name",
        &t("account.full_name"),
        "text",
        &me.full_name,
        "",
    );
    text_field(
        &mut s,
        "address",
        &t("account.address"),
        "text",
        &me.address,
        "",
    );
    text_field(&mut s, "email", &t("account.email"), "email", &me.email, "");
    let _ = write!(
        s,
        r#"</fieldset><label class="choice" for="f-public"><input type="checkbox" id="f-public" disabled><span>{}</span></label><p class="hint">{}</p><div class="actions"><button type="submit" class="button" disabled>{}</button></div></form>"#,
        esc(&t("appeals.make_public")),
        esc(&t("appeals.public_hint")),
        esc(&t("appeals.send")),
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key this module looks up, in both catalogs, without placeholders left.
    #[test]
    fn every_key_is_in_both_catalogs() {
        let src = include_str!("first_view.rs");
        let cat = Catalogs::load();
        // Every quoted `section.key` of the sections the first views use.
        let sections = [
            "account",
            "alerts",
            "app",
            "appeals",
            "budget",
            "consult",
            "footer",
            "hromada",
            "nav",
            "news",
            "notifications",
            "petitions",
            "photos",
            "polls",
            "push",
            "role",
            "services",
            "state",
        ];
        let mut keys: Vec<String> = Vec::new();
        let quoted: Vec<&str> = src.split('"').collect();
        for part in quoted {
            let Some((section, key)) = part.split_once('.') else {
                continue;
            };
            let word =
                |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c == '_');
            if sections.contains(&section) && word(key) {
                keys.push(part.to_owned());
            }
        }
        for c in hromada_api::news::NewsCategory::ALL {
            keys.push(format!("news.cat_{}", c.code()));
        }
        for k in AppealKind::ALL {
            keys.push(format!("appeals.kind_{}", k.code()));
        }
        for c in hromada_api::budget::ProjectCategory::ALL {
            keys.push(format!("budget.cat_{}", c.code()));
        }
        for s in ProjectStatus::ALL {
            keys.push(format!("budget.status_{}", s.code()));
        }
        let moderation = hromada_api::petitions::PetitionStatus::Moderation;
        for s in hromada_api::petitions::PetitionStatus::TABS
            .into_iter()
            .chain([moderation])
        {
            keys.push(format!("petitions.status_{}", s.code()));
        }
        assert!(keys.len() > 40, "{keys:?}");
        for lang in [Lang::Uk, Lang::En] {
            for k in &keys {
                assert!(cat.lookup(lang, k).is_some(), "{k} missing in {lang:?}");
            }
        }
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(
            esc(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
    }

    #[test]
    fn placeholders() {
        let cat = Catalogs::load();
        assert_eq!(
            cat.tf(
                Lang::Uk,
                "petitions.count_of",
                &[("count", "37"), ("needed", "250")]
            ),
            "37 з 250 підписів"
        );
        assert_eq!(
            cat.tf(
                Lang::En,
                "hromada.petition_rule_value",
                &[("signatures", "250"), ("days", "60")]
            ),
            "250 signatures in 60 days"
        );
    }

    #[test]
    fn language_from_the_cookie() {
        assert_eq!(Lang::from_cookies(""), Lang::Uk);
        assert_eq!(Lang::from_cookies("a=1; i18n_pref_locale=en"), Lang::En);
        assert_eq!(Lang::from_cookies("i18n_pref_locale=uk"), Lang::Uk);
        assert_eq!(Lang::from_cookies("x_i18n_pref_locale=en"), Lang::Uk);
    }

    #[test]
    fn kyiv_time_follows_summer_time() {
        // Winter: UTC+2.
        assert_eq!(
            kyiv_date_time("2027-01-27T08:23:00.000Z"),
            "27.01.2027, 10:23"
        );
        // Summer: UTC+3, and the date turns over.
        assert_eq!(
            kyiv_date_time("2026-07-01T22:30:00.000Z"),
            "02.07.2026, 01:30"
        );
        // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
        assert_eq!(
            kyiv_date_time("2026-03-29T00:59:59.000Z"),
            "29.03.2026, 02:59"
        );
        assert_eq!(
            kyiv_date_time("2026-03-29T01:00:00.000Z"),
            "29.03.2026, 04:00"
        );
        assert_eq!(
            kyiv_date_time("2026-10-25T00:59:59.000Z"),
            "25.10.2026, 03:59"
        );
        assert_eq!(
            kyiv_date_time("2026-10-25T01:00:00.000Z"),
            "25.10.2026, 03:00"
        );
        assert_eq!(kyiv_date_time("nonsense"), "nonsense");
        assert_eq!(date("2026-11-28T08:23:00.000Z"), "28.11.2026");
    }

    #[test]
    fn routes() {
        let k = "UA65100150000057191";
        assert_eq!(
            Route::parse(&format!("/h/{k}"), None),
            Some(Route::Hromada(k.into()))
        );
        assert_eq!(
            Route::parse(&format!("/h/{k}/"), None),
            Some(Route::Hromada(k.into()))
        );
        assert_eq!(
            Route::parse(&format!("/h/{k}/news"), Some("")),
            Some(Route::News {
                katottg: k.into(),
                category: None,
                q: String::new()
            })
        );
        assert_eq!(
            Route::parse(
                &format!("/h/{k}/news"),
                Some("category=safety&q=%D0%B2%D0%BE%D0%B4%D0%B0+%20")
            ),
            Some(Route::News {
                katottg: k.into(),
                category: Some("safety".into()),
                q: "вода".into()
            })
        );
        assert_eq!(
            Route::parse(&format!("/h/{k}/news"), Some("category=nonsense")),
            Some(Route::News {
                katottg: k.into(),
                category: None,
                q: String::new()
            })
        );
        assert_eq!(
            Route::parse("/petitions/abc", None),
            Some(Route::Petition("abc".into()))
        );
        assert_eq!(Route::parse("/petitions", None), None);
        assert_eq!(
            Route::parse("/news/n1", None),
            Some(Route::Article("n1".into()))
        );
        assert_eq!(Route::parse("/news/n1/edit", None), None);
        assert_eq!(
            Route::parse("/projects/p1", None),
            Some(Route::Project("p1".into()))
        );
        assert_eq!(Route::parse("/projects/p1/edit", None), None);
        assert_eq!(Route::parse("/news", None), None);
        assert_eq!(
            Route::parse(&format!("/h/{k}/appeals/new"), None),
            Some(Route::NewAppeal(k.into()))
        );
        assert_eq!(Route::parse(&format!("/h/{k}/appeals"), None), None);
        assert_eq!(Route::parse("/", None), None);
    }

    #[test]
    fn project_as_a_guest_sees_it() {
        let cycle: Cycle = serde_json::from_value(serde_json::json!({
            "id": "c1", "katottg": "UA1", "year": 2026, "title": "Бюджет <2026>",
            "total": 5_000_000,
            "dates": {"submission": "2026-01-01", "review": "2026-02-01", "voting": "2026-03-01",
                      "results": "2026-04-01", "implementation": "2026-05-01"},
            "rule": {"kind": "fit_budget"}, "phase": "voting", "projects": 3
        }))
        .expect("a cycle");
        let mut p: Project = serde_json::from_value(serde_json::json!({
            "id": "p1", "cycle_id": "c1", "title": "Сквер & <лава>", "category": "environment",
            "address": "вул. Поповича, 15", "author_name": "Олена", "cost": 1_250_000,
            "status": "accepted", "submitted_at": "2026-01-15T10:00:00Z",
            "description": "Перший абзац.\n\n<script>x</script>",
            "cost_lines": [{"item": "Лави", "amount": 250_000}, {"item": "Дерева", "amount": 1_000_000}],
            "images": [{"id": "i1", "url": "/api/v1/media/i1", "thumbnail_url": "/api/v1/media/i1?w=160"}],
            "cost_note": "Без фонтану"
        }))
        .expect("a project");
        let cat = Catalogs::load();
        let html = project(&cat, Lang::Uk, &p, &cycle);
        assert!(html.contains(r#"<h1 tabindex="-1">Сквер &amp; &lt;лава&gt;</h1>"#));
        assert!(html.contains(r#"<a href="/budget/c1">Бюджет &lt;2026&gt;</a>"#));
        assert!(html.contains("<strong>₴\u{a0}1\u{202f}250\u{202f}000</strong>"));
        assert!(html.contains(r#"<p class="appeal-text">Перший абзац.</p><p class="appeal-text">&lt;script&gt;x&lt;/script&gt;</p>"#));
        assert!(html.contains(r#"<a href="/budget/c1/vote" class="button button-big">"#));
        assert!(html.contains("<td>Лави</td>"));
        assert!(html.contains("Без фонтану"));
        assert!(html.contains(r#"alt="Зображення проєкту 1""#));
        assert!(!html.contains("<script"), "{html}");
        assert!(
            !html.contains(r#"class="milestones""#),
            "no implementation before funding"
        );
        // Funded and under way: the badge says so, the progress and milestones show, and
        // there is nothing to vote for any more.
        let done: Cycle = serde_json::from_value(
            serde_json::to_value(&cycle)
                .map(|mut v| {
                    v["phase"] = "implementation".into();
                    v
                })
                .expect("json"),
        )
        .expect("a cycle");
        p.summary.funded = Some(true);
        p.summary.votes = Some(412);
        p.summary.progress = Some(40);
        p.rank = Some(2);
        p.milestones = serde_json::from_value(serde_json::json!([
            {"title": "Проєкт", "date": "2026-06-01", "done": true},
            {"title": "Будівництво", "date": "2026-09-01", "done": false}
        ]))
        .expect("milestones");
        let html = project(&cat, Lang::En, &p, &done);
        assert!(
            html.contains(r#"<span class="badge badge-ok">Funded</span>"#),
            "{html}"
        );
        assert!(html.contains("<dd>412</dd>") && html.contains("<dd>2</dd>"));
        assert!(html.contains(r#"<progress max="100" value="40""#));
        assert!(html.contains(r#"<li class="done">"#) && html.contains("01.09.2026"));
        assert!(!html.contains("/vote"), "{html}");
    }

    #[test]
    fn current_section_as_the_app_marks_it() {
        let k = "/h/UA1";
        assert_eq!(current(k, k), r#" aria-current="page""#);
        assert_eq!(current(k, "/h/UA1/news"), "");
        let petitions = "/h/UA1/petitions";
        assert_eq!(
            current(petitions, "/petitions/p1"),
            r#" aria-current="true""#
        );
        let appeals = "/h/UA1/appeals";
        assert_eq!(
            current(appeals, "/h/UA1/appeals/new"),
            r#" aria-current="true""#
        );
        assert_eq!(current(appeals, "/h/UA1/appealsx"), "");
        assert_eq!(current("/account", "/h/UA1"), "");
    }

    fn me() -> Me {
        Me {
            id: "u1".into(),
            email: "o@example.org".into(),
            full_name: "Олена <b>\"О'Ніл\"</b>".into(),
            address: "вул. Соборна, 1 & 2".into(),
            hromada: hromada_api::HromadaRef {
                katottg: "UA1".into(),
                name: "Херсонська".into(),
            },
            verification: hromada_api::Verification::None,
            verification_note: None,
            staff_of: vec![],
            admin: false,
            created_at: "2026-01-01T00:00:00.000Z".into(),
            language: "uk".into(),
            email_confirmed: true,
            email_failing: false,
            pending_email: None,
        }
    }

    #[test]
    fn appeal_form_is_filled_escaped_and_disabled() {
        let cat = Catalogs::load();
        let cats = [
            AppealCategory {
                id: "c1".into(),
                name: "Дороги <і> двори".into(),
                archived: false,
            },
            AppealCategory {
                id: "c2".into(),
                name: "Старе".into(),
                archived: true,
            },
        ];
        let html = appeal_form(&cat, Lang::Uk, &me(), &cats);
        assert!(html.contains("<h1 tabindex=\"-1\">Нове звернення</h1>"));
        assert!(html.contains(r#"<option value="c1">Дороги &lt;і&gt; двори</option>"#));
        assert!(!html.contains("Старе"), "an archived category is offered");
        assert!(
            html.contains(r#"value="Олена &lt;b&gt;&quot;О&#39;Ніл&quot;&lt;/b&gt;" disabled"#)
        );
        assert!(html.contains(r#"value="вул. Соборна, 1 &amp; 2" disabled"#));
        assert!(html.contains(r#"value="o@example.org" disabled"#));
        assert!(html.contains("Залишилось символів: 4000 з 4000"));
        let controls = ["<input", "<select", "<textarea", "<button"]
            .iter()
            .map(|t| html.matches(t).count())
            .sum::<usize>();
        assert_eq!(controls, html.matches(" disabled>").count());
        assert!(controls >= 12, "{controls}");
        let en = appeal_form(&cat, Lang::En, &me(), &cats);
        assert!(en.contains(">Send the appeal</button>"), "{en}");
        let guest = appeal_sign_in(&cat, Lang::Uk);
        assert!(guest.contains(r#"href="/signin""#) && !guest.contains("<form"));
    }
}
