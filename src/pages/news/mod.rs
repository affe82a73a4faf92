//! The news of a hromada: the feed, and each item's page.

use crate::api::{NewsQuery, use_api};
use crate::components::layout::{PageHeading, focus_main_heading};
use crate::components::more::{MoreButton, MorePages};
use crate::components::states::{Empty, ErrorView, Loading};
use crate::i18n::*;
use crate::live::use_live;
use crate::routes::Page;
use crate::state::{remember_hromada, use_session};
use hromada_api::news::{NewsCategory, NewsItem, NewsSummary};
use hromada_views::news::{Article as ArticleView, NewsFilters, NewsList};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

/// Whether a live news item belongs in a feed with this filter.
pub fn matches(n: &NewsSummary, filter: &NewsQuery) -> bool {
    let category_ok = filter
        .category
        .as_deref()
        .is_none_or(|c| n.category.code() == c);
    let q = filter.q.trim().to_lowercase();
    let text_ok = q.is_empty()
        || n.title.to_lowercase().contains(&q)
        || n.summary.to_lowercase().contains(&q);
    category_ok && text_ok
}

/// The items to show: live arrivals first, then the pages loaded, each once, without the
/// ones that stopped being public.
pub fn merge(
    live: &[NewsSummary],
    loaded: &[NewsSummary],
    removed: &[String],
    filter: &NewsQuery,
) -> Vec<NewsSummary> {
    let mut out: Vec<NewsSummary> = live
        .iter()
        .filter(|n| matches(n, filter))
        .cloned()
        .collect();
    for n in loaded {
        if !out.iter().any(|x| x.id == n.id) {
            out.push(n.clone());
        }
    }
    out.retain(|n| !removed.contains(&n.id));
    out
}

/// `/h/{katottg}/news`: newest first, filtered by category, searched by words.
#[component]
pub fn Feed() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let live = use_live();
    let params = use_params_map();
    let query = use_query_map();
    let navigate = use_navigate();
    let katottg = Memo::new(move |_| params.read().get("katottg").unwrap_or_default());
    let filter = Memo::new(move |_| {
        let q = query.read();
        NewsQuery {
            category: q
                .get("category")
                .filter(|c| NewsCategory::from_code(c).is_some()),
            q: q.get("q").unwrap_or_default(),
            all: false,
        }
    });
    let typed = RwSignal::new(filter.get_untracked().q);
    Effect::new(move |_| remember_hromada(katottg.get()));
    let first = {
        let api = api.clone();
        LocalResource::new(move || {
            let (api, k, f) = (api.clone(), katottg.get(), filter.get());
            async move { api.news(&k, &f, None).await }
        })
    };
    let more = MorePages::after(first);
    let load_more = move |_| {
        let (api, k, f) = (api.clone(), katottg.get_untracked(), filter.get_untracked());
        more.load(move |cursor| async move { api.news(&k, &f, Some(&cursor)).await });
    };
    let search = Callback::new(move |_: leptos::ev::SubmitEvent| {
        let mut url = Page::News(katottg.get_untracked()).path();
        let mut params = vec![];
        if let Some(c) = filter.get_untracked().category {
            params.push(format!("category={c}"));
        }
        let q = typed.get_untracked();
        if !q.trim().is_empty() {
            params.push(format!(
                "q={}",
                String::from(js_sys::encode_uri_component(q.trim()))
            ));
        }
        if !params.is_empty() {
            url = format!("{url}?{}", params.join("&"));
        }
        navigate(&url, Default::default());
    });
    let category = Signal::derive(move || filter.get().category);
    view! {
        <PageHeading text=move || t_string!(i18n, news.title).to_string() />
        <NewsFilters katottg category typed on_search=search />
        <Transition fallback=Loading>
            <ErrorBoundary fallback=move |errors| view! { <ErrorView errors retry=move |_| first.refetch() /> }>
                {move || Suspend::new(async move {
                    first.await.map(|page| {
                        let loaded = page.items;
                        let items = move || {
                            let same = live.katottg.get().as_deref() == Some(katottg.get().as_str());
                            let fresh = if same { live.news.get() } else { vec![] };
                            let mut all = loaded.clone();
                            all.extend(more.items.get());
                            merge(&fresh, &all, &live.removed.get(), &filter.get())
                        };
                        view! {
                            <Show when={let items = items.clone(); move || !items().is_empty()}
                                fallback=move || view! { <Empty>{t!(i18n, news.empty)}</Empty> }>
                                <NewsList items=items.clone() />
                            </Show>
                        }
                    })
                })}
            </ErrorBoundary>
        </Transition>
        <MoreButton pages=more on_click=load_more />
    }
}

/// `/news/{id}`: one news item.
#[component]
pub fn NewsPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let params = use_params_map();
    let item = LocalResource::new(move || {
        let api = api.clone();
        let id = params.read().get("id").unwrap_or_default();
        async move { api.news_item(&id).await }
    });
    view! {
        <Transition fallback=Loading>
            <ErrorBoundary fallback=move |errors| view! {
                <PageHeading text=move || t_string!(i18n, news.unavailable).to_string() />
                <ErrorView errors retry=move |_| item.refetch() />
            }>
                {move || Suspend::new(async move { item.await.map(|n| view! { <Article n /> }) })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn Article(n: NewsItem) -> impl IntoView {
    let session = use_session();
    request_animation_frame(focus_main_heading);
    remember_hromada(n.summary.katottg.clone());
    let title = n.summary.title.clone();
    let k = n.summary.katottg.clone();
    let can_edit = move || session.me().is_some_and(|me| me.is_staff_of(&k));
    view! {
        <ArticleView
            n
            heading=view! { <PageHeading text=Signal::derive(move || title.clone()) /> }.into_any()
            can_edit=Signal::derive(can_edit)
        />
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hromada_api::news::NewsStatus;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn item(id: &str, title: &str, category: NewsCategory) -> NewsSummary {
        NewsSummary {
            id: id.into(),
            katottg: "UA1".into(),
            title: title.into(),
            summary: String::new(),
            category,
            cover: None,
            status: NewsStatus::Published,
            published_at: Some("2026-11-23T10:00:00Z".into()),
            updated_at: "2026-11-23T10:00:00Z".into(),
        }
    }

    #[wasm_bindgen_test]
    fn live_items_come_first_once_and_respect_the_filter() {
        let loaded = vec![
            item("a", "Вода", NewsCategory::Utilities),
            item("b", "Школа", NewsCategory::Education),
        ];
        let live = vec![
            item("c", "Нова вода", NewsCategory::Utilities),
            item("a", "Вода", NewsCategory::Utilities),
        ];
        let all = NewsQuery::default();
        let ids: Vec<String> = merge(&live, &loaded, &[], &all)
            .into_iter()
            .map(|n| n.id)
            .collect();
        assert_eq!(ids, vec!["c", "a", "b"]);
        let utilities = NewsQuery {
            category: Some("utilities".into()),
            ..Default::default()
        };
        let ids: Vec<String> = merge(&live, &loaded, &["a".into()], &utilities)
            .into_iter()
            .map(|n| n.id)
            .collect();
        assert_eq!(
            ids,
            vec!["c", "b"],
            "server-filtered pages are kept; removed ones go"
        );
        let words = NewsQuery {
            q: "ВОДА".into(),
            ..Default::default()
        };
        assert_eq!(merge(&live, &[], &[], &words).len(), 2);
    }
}
