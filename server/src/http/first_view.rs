//! The first view: for a visit that starts on a page anyone may read, `index.html` carries
//! that page as HTML (the alerts in force, the text, the latest news) and its link
//! preview, so a resident on a slow connection reads it at once instead of waiting for
//! the app's module; the app removes it when it starts and draws the same page.
//!
//! This module is a thin adapter: the route, the data (read with the domain functions the
//! API uses), the language and the person; the views are the app's own
//! ([`hromada_views::first_view`]), rendered on the server. Only what a guest may read is
//! shown, in the language of the `i18n_pref_locale` cookie. The service worker keeps the
//! bare `/index.html`, so later visits never show a stale copy.

use hromada_api::news::{NewsCategory, NewsSummary};
use hromada_api::petitions::PetitionSummary;
use hromada_api::{Hromada, HromadaRef, Me, Page};
use hromada_views::budget::ProjectFilter;
use hromada_views::first_view::{self as views, FirstView};
use hromada_views::frame as views_frame;
use hromada_views::i18n::Locale;
use hromada_views::petitions::ListFilter;
use hromada_views::polls::Tab;
use hromada_views::routes::Page as AppPage;

use super::AppState;
use crate::domain::{alerts, appeals, budget, hromadas, news, petitions, polls, services};

/// The value of the cookie `name` in a `Cookie` header's text, if it has one.
fn cookie<'a>(cookies: &'a str, name: &str) -> Option<&'a str> {
    cookies
        .split(';')
        .filter_map(|p| p.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}

/// The language chosen in the app (its `i18n_pref_locale` cookie); Ukrainian otherwise.
pub fn locale_from_cookies(cookies: &str) -> Locale {
    match cookie(cookies, "i18n_pref_locale") {
        Some("en") => Locale::en,
        _ => Locale::uk,
    }
}

/// The hromada the visitor chose last, as the app keeps it in the `hromada_place` cookie;
/// `None` without one or when it is not a KATOTTG code.
pub fn place_from_cookies(cookies: &str) -> Option<String> {
    cookie(cookies, "hromada_place")
        .filter(|v| hromada_api::validate::is_katottg(v))
        .map(str::to_owned)
}

/// The pages that have a first view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `/` and `/hromadas`: choosing a hromada (a returning visitor's app goes on to the
    /// one they chose, from its own copy).
    Start(String),
    /// `/signin` (for a guest).
    SignIn,
    /// `/signup` (for a guest).
    SignUp,
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
    /// `/h/{katottg}/petitions`, with the tab, the order and the words of its address.
    Petitions { katottg: String, filter: ListFilter },
    /// `/petitions/{id}`.
    Petition(String),
    /// `/h/{katottg}/polls?state=`: the active or past polls.
    Polls { katottg: String, tab: Tab },
    /// `/polls/{id}`: a poll, with its results where they are public.
    Poll(String),
    /// `/h/{katottg}/services`: the catalogue by life situation, the centre, the answers.
    Services(String),
    /// `/services/{id}`.
    Service(String),
    /// `/answers/{id}`: one frequent question.
    Answer(String),
    /// `/h/{katottg}/budget`: the participatory budget's cycles.
    Budget(String),
    /// `/budget/{id}`: a cycle with its projects, filtered as its address says.
    Cycle {
        id: String,
        query: Vec<(String, String)>,
    },
    /// `/budget/{id}/results`: a cycle's results.
    Results(String),
    /// `/projects/{id}`: a participatory-budget project, the link its author shares.
    Project(String),
    /// `/h/{katottg}/appeals`: what residents made public.
    PublicAppeals(String),
    /// `/h/{katottg}/appeals/new`: the invitation to sign in, for a guest.
    NewAppeal(String),
}

impl Route {
    /// The page of a path and query, when it has a first view.
    pub fn parse(path: &str, query: Option<&str>) -> Option<Self> {
        let parts: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
        let raw: Vec<(String, String)> =
            url::form_urlencoded::parse(query.unwrap_or("").as_bytes())
                .into_owned()
                .collect();
        let pairs = || raw.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        match parts.as_slice() {
            [] | [""] => Some(Self::Start("/".to_owned())),
            ["hromadas"] => Some(Self::Start("/hromadas".to_owned())),
            ["signin"] => Some(Self::SignIn),
            ["signup"] => Some(Self::SignUp),
            ["h", k] => Some(Self::Hromada((*k).to_owned())),
            ["h", k, "news"] => {
                let mut category = None;
                let mut q = String::new();
                for (key, value) in pairs() {
                    match key {
                        "category" => {
                            category = NewsCategory::from_code(value).map(|c| c.code().to_owned());
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
            ["h", k, "petitions"] => Some(Self::Petitions {
                katottg: (*k).to_owned(),
                filter: ListFilter::from_query(pairs()),
            }),
            ["news", id] if !id.is_empty() => Some(Self::Article((*id).to_owned())),
            ["petitions", id] if !id.is_empty() => Some(Self::Petition((*id).to_owned())),
            ["projects", id] if !id.is_empty() => Some(Self::Project((*id).to_owned())),
            ["h", k, "budget"] => Some(Self::Budget((*k).to_owned())),
            ["budget", id, "results"] if !id.is_empty() => Some(Self::Results((*id).to_owned())),
            ["h", k, "polls"] => Some(Self::Polls {
                katottg: (*k).to_owned(),
                tab: Tab::from_code(pairs().find(|(k, _)| *k == "state").map_or("", |(_, v)| v)),
            }),
            ["polls", id] if !id.is_empty() => Some(Self::Poll((*id).to_owned())),
            ["h", k, "services"] => Some(Self::Services((*k).to_owned())),
            ["services", id] if !id.is_empty() => Some(Self::Service((*id).to_owned())),
            ["answers", id] if !id.is_empty() => Some(Self::Answer((*id).to_owned())),
            ["budget", id] if !id.is_empty() => Some(Self::Cycle {
                id: (*id).to_owned(),
                query: raw.clone(),
            }),
            ["h", k, "appeals", "new"] => Some(Self::NewAppeal((*k).to_owned())),
            ["h", k, "appeals"] => Some(Self::PublicAppeals((*k).to_owned())),
            _ => None,
        }
    }
}

/// Everything a first view needs to know about the request.
#[derive(Debug, Clone)]
pub struct Visit {
    pub locale: Locale,
    /// The signed-in person, when the request carries a valid session.
    pub me: Option<Me>,
    /// Their unread notifications (the bell's count).
    pub unread: u32,
    /// The hromada they chose last ([`place_from_cookies`]).
    pub place: Option<String>,
}

/// A page's first view, or `None` when the page has none for this visit or its data
/// cannot be read (the app then starts as usual).
pub async fn render(state: &AppState, route: &Route, v: &Visit) -> Option<FirstView> {
    let db = &state.db;
    let l = v.locale;
    Some(match route {
        // A returning visitor's app goes on to the hromada they chose: so does its first view.
        Route::Start(here) if here == "/" && v.place.is_some() => {
            let k = v.place.as_deref().unwrap_or_default();
            match hromada_page(state, v, k).await {
                Some(page) => page,
                None => start_page(state, v, here).await?,
            }
        }
        Route::Start(here) => start_page(state, v, here).await?,
        Route::Hromada(k) => hromada_page(state, v, k).await?,
        // A signed-in person is taken on by the app.
        Route::SignIn | Route::SignUp if v.me.is_some() => return None,
        Route::SignIn => views::sign_in(l, around(state, v, AppPage::SignIn.path()).await),
        Route::SignUp => views::sign_up(l, around(state, v, AppPage::SignUp.path()).await),
        Route::News {
            katottg,
            category,
            q,
        } => {
            let h = hromadas::get(db, katottg).await.ok()?;
            let items = news_page(state, katottg, category.as_deref(), q).await?;
            let visit = frame(state, v, &h, AppPage::News(katottg.clone()).path()).await;
            views::news_feed(
                l,
                visit,
                katottg.clone(),
                category.clone(),
                q.clone(),
                items,
            )
        }
        Route::Article(id) => {
            let n = news::get(db, None, id).await.ok()?;
            let h = hromadas::get(db, &n.summary.katottg).await.ok()?;
            let visit = frame(state, v, &h, AppPage::NewsItem(id.clone()).path()).await;
            views::news_item(l, visit, n)
        }
        Route::Petitions { katottg, filter } => {
            let h = hromadas::get(db, katottg).await.ok()?;
            let items = petitions_page(state, katottg, filter).await?;
            let visit = frame(state, v, &h, AppPage::Petitions(katottg.clone()).path()).await;
            views::petitions(l, visit, katottg.clone(), filter.clone(), items)
        }
        Route::Petition(id) => {
            let p = petitions::get(db, None, id).await.ok()?;
            let h = hromadas::get(db, &p.summary.katottg).await.ok()?;
            let visit = frame(state, v, &h, AppPage::Petition(id.clone()).path()).await;
            views::petition(l, visit, p)
        }
        Route::Polls { katottg, tab } => {
            let h = hromadas::get(db, katottg).await.ok()?;
            let items = polls::list(db, None, katottg, Some(tab.code()), None, None)
                .await
                .ok()?
                .items;
            let visit = frame(state, v, &h, AppPage::Polls(katottg.clone()).path()).await;
            views::polls(l, visit, katottg.clone(), *tab, items)
        }
        Route::Poll(id) => {
            // A draft is its staff's preview, not for a guest.
            let p = polls::get(db, None, id).await.ok()?;
            let results = if p.results_visible {
                polls::results(db, None, id).await.ok()
            } else {
                None
            };
            let h = hromadas::get(db, &p.katottg).await.ok()?;
            let visit = frame(state, v, &h, AppPage::Poll(id.clone()).path()).await;
            views::poll(l, visit, p, results)
        }
        Route::Services(k) => {
            let h = hromadas::get(db, k).await.ok()?;
            let list = all(|c: Option<String>| async move {
                services::list(db, k, c.as_deref(), Some("100")).await
            })
            .await?;
            let answers = all(|c: Option<String>| async move {
                services::answers(db, k, c.as_deref(), Some("100")).await
            })
            .await?;
            let centre = services::centre(db, k).await.ok();
            let visit = frame(state, v, &h, AppPage::Services(k.clone()).path()).await;
            views::services(l, visit, k.clone(), centre, list, answers)
        }
        Route::Service(id) => {
            let s = services::get(db, id).await.ok()?;
            let h = hromadas::get(db, &s.summary.katottg).await.ok()?;
            let visit = frame(state, v, &h, AppPage::Service(id.clone()).path()).await;
            views::service(l, visit, s)
        }
        Route::Answer(id) => {
            let a = services::answer(db, id).await.ok()?;
            let h = hromadas::get(db, &a.katottg).await.ok()?;
            let visit = frame(state, v, &h, AppPage::Answer(id.clone()).path()).await;
            views::answer(l, visit, a)
        }
        Route::Budget(k) => {
            let h = hromadas::get(db, k).await.ok()?;
            let cycles = budget::list_cycles(db, k).await.ok()?;
            let visit = frame(state, v, &h, AppPage::Budget(k.clone()).path()).await;
            views::budget(l, visit, k.clone(), cycles)
        }
        Route::Cycle { id, query } => {
            let c = budget::get_cycle(db, id).await.ok()?;
            let filter = ProjectFilter::from_query(
                query.iter().map(|(k, v)| (k.as_str(), v.as_str())),
                c.phase.votes_public(),
            );
            // A guest has no projects of their own.
            if filter.mine {
                return None;
            }
            let params = budget::ProjectParams {
                category: filter.category.map(|c| c.code()),
                status: filter.status.map(|s| s.code()),
                sort: Some(filter.sort.code()),
                mine: None,
            };
            let list = budget::list_projects(db, None, id, &params).await.ok()?;
            let h = hromadas::get(db, &c.katottg).await.ok()?;
            let visit = frame(state, v, &h, AppPage::BudgetCycle(id.clone()).path()).await;
            views::cycle(l, visit, c, filter, list)
        }
        Route::Results(id) => {
            let c = budget::get_cycle(db, id).await.ok()?;
            let r = if c.phase.votes_public() {
                Some(budget::results(db, id).await.ok()?)
            } else {
                None
            };
            let h = hromadas::get(db, &c.katottg).await.ok()?;
            let visit = frame(state, v, &h, AppPage::BudgetResults(id.clone()).path()).await;
            views::results(l, visit, c, r)
        }
        Route::Project(id) => {
            let p = budget::get_project(db, None, id).await.ok()?;
            let c = budget::get_cycle(db, &p.summary.cycle_id).await.ok()?;
            let h = hromadas::get(db, &c.katottg).await.ok()?;
            let visit = frame(state, v, &h, AppPage::BudgetProject(id.clone()).path()).await;
            views::project(l, visit, p, c)
        }
        Route::PublicAppeals(k) => {
            let h = hromadas::get(db, k).await.ok()?;
            let params = appeals::ListParams {
                status: None,
                category: None,
                kind: None,
                assignee: None,
                cursor: None,
                limit: None,
            };
            let items = appeals::public_list(db, k, &params).await.ok()?.items;
            let visit = frame(state, v, &h, AppPage::PublicAppeals(k.clone()).path()).await;
            views::public_appeals(l, visit, k.clone(), items)
        }
        Route::NewAppeal(k) => {
            let h = hromadas::get(db, k).await.ok()?;
            let visit = frame(state, v, &h, AppPage::AppealNew(k.clone()).path()).await;
            // A signed-in person gets the form, with their contacts; the app then restores
            // their draft. A guest is asked to sign in first.
            let form = match &v.me {
                Some(me) => Some((
                    me.clone(),
                    appeals::categories(db, None, k, None).await.ok()?,
                )),
                None => None,
            };
            views::appeal_new(l, visit, k.clone(), form)
        }
    })
}

/// The start page: the first hromadas to choose from.
async fn start_page(state: &AppState, v: &Visit, here: &str) -> Option<FirstView> {
    let params = hromadas::SearchParams::default();
    let first = hromadas::search(&state.db, &params).await.ok()?;
    let more = first.next_cursor.is_some();
    let visit = around(state, v, here.to_owned()).await;
    Some(views::start(v.locale, visit, first.items, more))
}

/// A hromada's page with its latest news.
async fn hromada_page(state: &AppState, v: &Visit, k: &str) -> Option<FirstView> {
    let h = hromadas::get(&state.db, k).await.ok()?;
    let items = news_page(state, k, None, "").await.unwrap_or_default();
    let visit = frame(state, v, &h, AppPage::Hromada(k.to_owned()).path()).await;
    Some(views::hromada(v.locale, visit, h, items))
}

/// The frame of a page of no hromada: with the hromada the visitor chose last, as the
/// app draws it, when there is one.
async fn around(state: &AppState, v: &Visit, here: String) -> views_frame::Visit {
    if let Some(k) = &v.place
        && let Ok(h) = hromadas::get(&state.db, k).await
    {
        return frame(state, v, &h, here).await;
    }
    placeless(state, v, here)
}

/// What the frame shows of the visit: the hromada, the person, the page and the
/// hromada's alerts in force.
async fn frame(state: &AppState, v: &Visit, h: &Hromada, here: String) -> views_frame::Visit {
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
        public_url: state.config.public_url.clone(),
    }
}

/// The frame of a page that belongs to no hromada.
fn placeless(state: &AppState, v: &Visit, here: String) -> views_frame::Visit {
    views_frame::Visit {
        place: None,
        me: v.me.clone(),
        unread: v.unread,
        here,
        alerts: vec![],
        public_url: state.config.public_url.clone(),
    }
}

/// Every item of a paged list, page after page (at most 20 pages).
async fn all<T, F, Fut>(page: F) -> Option<Vec<T>>
where
    F: Fn(Option<String>) -> Fut,
    Fut: std::future::Future<Output = crate::error::ApiResult<Page<T>>>,
{
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..20 {
        let p = page(cursor.take()).await.ok()?;
        items.extend(p.items);
        match p.next_cursor {
            Some(c) => cursor = Some(c),
            None => return Some(items),
        }
    }
    Some(items)
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

/// The first page of petitions with this filter, as a guest reads it.
async fn petitions_page(state: &AppState, k: &str, f: &ListFilter) -> Option<Vec<PetitionSummary>> {
    let params = petitions::ListParams {
        status: Some(f.status.code()),
        sort: Some(f.sort.code()),
        q: (!f.q.is_empty()).then_some(f.q.as_str()),
        cursor: None,
        limit: None,
    };
    petitions::list(&state.db, None, k, &params)
        .await
        .ok()
        .map(|p| p.items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_from_the_cookie() {
        assert_eq!(locale_from_cookies(""), Locale::uk);
        assert_eq!(locale_from_cookies("a=1; i18n_pref_locale=en"), Locale::en);
        assert_eq!(locale_from_cookies("i18n_pref_locale=uk"), Locale::uk);
        assert_eq!(locale_from_cookies("x_i18n_pref_locale=en"), Locale::uk);
        assert_eq!(
            place_from_cookies("a=1; hromada_place=UA65100150000057191"),
            Some("UA65100150000057191".to_owned())
        );
        assert_eq!(place_from_cookies(""), None);
        assert_eq!(place_from_cookies("hromada_place=UA1"), None);
        assert_eq!(
            place_from_cookies("hromada_place=UA6510015000005719x"),
            None
        );
        assert_eq!(
            place_from_cookies("x_hromada_place=UA65100150000057191"),
            None
        );
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
        assert_eq!(
            Route::parse(&format!("/h/{k}/appeals"), None),
            Some(Route::PublicAppeals(k.into()))
        );
        assert_eq!(
            Route::parse(
                &format!("/h/{k}/petitions"),
                Some("status=answered&sort=most_signed&q=%D0%B2%D0%BE%D0%B4%D0%B0")
            ),
            Some(Route::Petitions {
                katottg: k.into(),
                filter: ListFilter {
                    status: hromada_api::petitions::PetitionStatus::Answered,
                    sort: hromada_api::petitions::PetitionSort::MostSigned,
                    q: "вода".into()
                }
            })
        );
        // Moderation is not a public tab.
        assert_eq!(
            Route::parse(&format!("/h/{k}/petitions"), Some("status=moderation")),
            Some(Route::Petitions {
                katottg: k.into(),
                filter: ListFilter::default()
            })
        );
        assert_eq!(Route::parse("/", None), Some(Route::Start("/".into())));
        assert_eq!(
            Route::parse("/hromadas", None),
            Some(Route::Start("/hromadas".into()))
        );
        assert_eq!(
            Route::parse("/signin", Some("next=%2Fpetitions%2Fp1")),
            Some(Route::SignIn)
        );
        assert_eq!(Route::parse("/signup", None), Some(Route::SignUp));
        assert_eq!(Route::parse("/signin/x", None), None);
        assert_eq!(
            Route::parse(&format!("/h/{k}/polls"), Some("state=past")),
            Some(Route::Polls {
                katottg: k.into(),
                tab: Tab::Past
            })
        );
        assert_eq!(
            Route::parse(&format!("/h/{k}/polls"), None),
            Some(Route::Polls {
                katottg: k.into(),
                tab: Tab::Active
            })
        );
        assert_eq!(
            Route::parse("/polls/q1", None),
            Some(Route::Poll("q1".into()))
        );
        assert_eq!(
            Route::parse(&format!("/h/{k}/services"), None),
            Some(Route::Services(k.into()))
        );
        assert_eq!(
            Route::parse("/services/s1", None),
            Some(Route::Service("s1".into()))
        );
        assert_eq!(
            Route::parse("/answers/a1", None),
            Some(Route::Answer("a1".into()))
        );
        assert_eq!(
            Route::parse(&format!("/h/{k}/budget"), None),
            Some(Route::Budget(k.into()))
        );
        assert_eq!(
            Route::parse("/budget/c1", Some("sort=votes&category=sport")),
            Some(Route::Cycle {
                id: "c1".into(),
                query: vec![
                    ("sort".into(), "votes".into()),
                    ("category".into(), "sport".into())
                ]
            })
        );
        assert_eq!(Route::parse("/budget/c1/vote", None), None);
        assert_eq!(
            Route::parse("/budget/c1/results", None),
            Some(Route::Results("c1".into()))
        );
    }
}
