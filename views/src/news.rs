//! News cards, formatted bodies and alerts.

use crate::format::date_time;
use crate::i18n::*;
use crate::routes::Page;
use hromada_api::news::{
    Alert, Block, Inline, NewsCategory, NewsStatus, NewsSummary, Severity, safe_href,
    safe_image_src,
};
use leptos::prelude::*;
use leptos_i18n::I18nContext;

/// A category's name in the current language.
pub fn category_label(i18n: I18nContext<Locale>, c: NewsCategory) -> &'static str {
    match c {
        NewsCategory::Official => t_string!(i18n, news.cat_official),
        NewsCategory::Safety => t_string!(i18n, news.cat_safety),
        NewsCategory::Utilities => t_string!(i18n, news.cat_utilities),
        NewsCategory::Transport => t_string!(i18n, news.cat_transport),
        NewsCategory::Social => t_string!(i18n, news.cat_social),
        NewsCategory::Education => t_string!(i18n, news.cat_education),
        NewsCategory::Health => t_string!(i18n, news.cat_health),
        NewsCategory::Culture => t_string!(i18n, news.cat_culture),
        NewsCategory::Economy => t_string!(i18n, news.cat_economy),
    }
}

/// A news item in a feed.
#[component]
pub fn NewsCard(
    n: NewsSummary,
    /// The staff's list: the card leads to the editor and shows the item's status.
    #[prop(optional)]
    staff: bool,
    /// The first card of a page: its cover is loaded at once (it is what the page shows
    /// first), the others when they come near the screen.
    #[prop(optional)]
    eager: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let href = if staff {
        Page::NewsEdit(n.id.clone()).path()
    } else {
        Page::NewsItem(n.id.clone()).path()
    };
    let cover = n.cover.as_ref().and_then(|img| {
        let small = img.fit(480)?;
        Some(view! {
            <img
                class="news-cover"
                src=small.url.clone()
                srcset=img.srcset()
                sizes="(min-width: 800px) 240px, 100vw"
                width=small.width
                height=small.height
                alt=""
                loading=if eager { "eager" } else { "lazy" }
                decoding="async"
            />
        })
    });
    let category = n.category;
    let when = n.published_at.as_deref().map(date_time);
    let status = staff.then(|| match n.status {
        NewsStatus::Draft => {
            view! { <span class="badge">{t!(i18n, news.status_draft)}</span> }.into_any()
        }
        NewsStatus::Scheduled => {
            view! { <span class="badge badge-wait">{t!(i18n, news.status_scheduled)}</span> }
                .into_any()
        }
        NewsStatus::Published => {
            view! { <span class="badge badge-ok">{t!(i18n, news.status_published)}</span> }
                .into_any()
        }
    });
    view! {
        <li class="news-card">
            {cover}
            <div class="news-card-text">
                <p class="news-meta">
                    <span class="news-category">{move || category_label(i18n, category)}</span>
                    {when.map(|w| view! { " · " <time datetime=n.published_at.clone().unwrap_or_default()>{w}</time> })}
                    {status.map(|s| view! { " " {s} })}
                </p>
                <h3><a href=href>{n.title.clone()}</a></h3>
                <p class="news-summary">{n.summary.clone()}</p>
            </div>
        </li>
    }
}

fn inline_view(runs: Vec<Inline>) -> impl IntoView {
    runs.into_iter()
        .map(|r| {
            // Text only ever becomes text nodes; links keep only the schemes the server
            // allows, checked again here.
            let text = view! {
                {match (r.strong, r.emphasis) {
                    (true, true) => view! { <strong><em>{r.text}</em></strong> }.into_any(),
                    (true, false) => view! { <strong>{r.text}</strong> }.into_any(),
                    (false, true) => view! { <em>{r.text}</em> }.into_any(),
                    (false, false) => r.text.into_any(),
                }}
            };
            match r.href.as_deref().and_then(safe_href) {
                Some(href) => {
                    let external = href.starts_with("http");
                    view! {
                        <a href=href rel=external.then_some("noopener noreferrer nofollow")>{text}</a>
                    }
                    .into_any()
                }
                None => text.into_any(),
            }
        })
        .collect_view()
}

/// A formatted body: built from data, never from HTML.
#[component]
pub fn Body(blocks: Vec<Block>) -> impl IntoView {
    let blocks = blocks
        .into_iter()
        .map(|b| match b {
            Block::Heading { level, content } => match level {
                0..=2 => view! { <h2>{inline_view(content)}</h2> }.into_any(),
                3 => view! { <h3>{inline_view(content)}</h3> }.into_any(),
                _ => view! { <h4>{inline_view(content)}</h4> }.into_any(),
            },
            Block::Paragraph { content } => view! { <p>{inline_view(content)}</p> }.into_any(),
            Block::Quote { content } => {
                view! { <blockquote>{inline_view(content)}</blockquote> }.into_any()
            }
            Block::List { ordered, items } => {
                let items = items
                    .into_iter()
                    .map(|i| view! { <li>{inline_view(i)}</li> })
                    .collect_view();
                if ordered {
                    view! { <ol>{items}</ol> }.into_any()
                } else {
                    view! { <ul>{items}</ul> }.into_any()
                }
            }
            Block::Image { src, alt } => safe_image_src(&src)
                .map(|src| view! { <img class="body-image" src=src alt=alt loading="lazy" /> })
                .into_any(),
        })
        .collect_view();
    view! { <div class="news-body">{blocks}</div> }
}

/// A severity's name in the current language.
pub fn severity_label(i18n: I18nContext<Locale>, s: Severity) -> &'static str {
    match s {
        Severity::Info => t_string!(i18n, alerts.info),
        Severity::Warning => t_string!(i18n, alerts.warning),
        Severity::Danger => t_string!(i18n, alerts.danger),
    }
}

fn severity_class(s: Severity) -> &'static str {
    match s {
        Severity::Info => "alert-banner alert-info",
        Severity::Warning => "alert-banner alert-warning",
        Severity::Danger => "alert-banner alert-danger",
    }
}

/// One alert. `hide` gives it a "hide" button: `Some(None)` draws it disabled, keeping its
/// place until the app has started.
#[component]
pub fn AlertNotice(
    a: Alert,
    #[prop(optional)] hide: Option<Option<Callback<()>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let severity = a.severity;
    let until = date_time(&a.expires_at);
    view! {
        <div class=severity_class(severity) role=(severity == Severity::Danger).then_some("alert")>
            <p class="alert-head">
                <strong>{move || severity_label(i18n, severity)}</strong>
                {a.area.clone().map(|area| view! { " · " {area} })}
            </p>
            <p class="alert-text">{a.text.clone()}</p>
            <p class="alert-until">{t!(i18n, alerts.until)} " " {until}</p>
            {hide.map(|on_hide| view! {
                <button
                    type="button"
                    class="link-button alert-hide"
                    disabled=on_hide.is_none()
                    on:click=move |_| if let Some(f) = on_hide { f.run(()) }
                >
                    {t!(i18n, alerts.hide)}
                </button>
            })}
        </div>
    }
}

/// A heading for a list under the page's title, for screen readers only.
#[component]
pub fn ListHeading() -> impl IntoView {
    let i18n = use_i18n();
    view! { <h2 class="visually-hidden">{t!(i18n, state.list)}</h2> }
}

/// The news feed's search and its categories. The search is a plain GET form; before the
/// app has started (without `on_search`) its field and button are disabled, so nothing
/// typed is lost when the app takes over.
#[component]
pub fn NewsFilters(
    #[prop(into)] katottg: Signal<String>,
    /// The category chosen (its code), if any.
    #[prop(into)]
    category: Signal<Option<String>>,
    /// The words in the search field.
    typed: RwSignal<String>,
    /// What the app does with a search; without it the browser sends the form.
    #[prop(optional)]
    on_search: Option<Callback<leptos::ev::SubmitEvent>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let chip = move |code: Option<NewsCategory>| {
        let href = move || {
            let base = Page::News(katottg.get()).path();
            match code {
                Some(c) => format!("{base}?category={}", c.code()),
                None => base,
            }
        };
        let current = move || category.get().as_deref() == code.map(|c| c.code());
        view! {
            <li>
                <a href=href class="chip" aria-current=move || current().then_some("true")>
                    {move || match code {
                        Some(c) => category_label(i18n, c),
                        None => t_string!(i18n, news.all_categories),
                    }}
                </a>
            </li>
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        if let Some(f) = on_search {
            ev.prevent_default();
            f.run(ev);
        }
    };
    view! {
        <form class="search-row" role="search" action=move || Page::News(katottg.get()).path() on:submit=submit>
            <label for="news-q" class="visually-hidden">{t!(i18n, news.search_label)}</label>
            <input id="news-q" name="q" type="search" value=typed.get_untracked() prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev))
                placeholder=move || t_string!(i18n, news.search_label).to_string() disabled=on_search.is_none() />
            {move || category.get().map(|c| view! { <input type="hidden" name="category" value=c /> })}
            <button type="submit" class="button" disabled=on_search.is_none()>{t!(i18n, news.search)}</button>
        </form>
        <nav aria-label=move || t_string!(i18n, news.categories).to_string()>
            <ul class="chips chip-links">
                {chip(None)}
                {NewsCategory::ALL.into_iter().map(|c| chip(Some(c))).collect_view()}
            </ul>
        </nav>
    }
}

/// A list of news cards, newest first; the first card's cover loads at once.
#[component]
pub fn NewsList<F>(
    /// The items, read again whenever what they depend on changes.
    items: F,
) -> impl IntoView
where
    F: Fn() -> Vec<NewsSummary> + Send + Sync + Clone + 'static,
{
    let first_id = StoredValue::new(untrack(|| items().first().map(|n| n.id.clone())));
    view! {
        <ListHeading />
        <ul class="news-list">
            <For each=items key=|n| (n.id.clone(), n.updated_at.clone()) let:n>
                <NewsCard eager={first_id.with_value(|f| f.as_deref() == Some(n.id.as_str()))} n />
            </For>
        </ul>
    }
}

/// A news item: its category and date, title, summary, cover and body, and the way back
/// to the feed; the hromada's staff get the way to edit it.
#[component]
pub fn Article(
    n: hromada_api::news::NewsItem,
    /// The page's main heading (the app's carries the tab's title too).
    heading: AnyView,
    #[prop(into)] can_edit: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let s = n.summary;
    let category = s.category;
    let k = s.katottg.clone();
    let id = s.id.clone();
    let cover = s.cover.as_ref().and_then(|img| {
        let large = img.fit(1024)?;
        Some(view! {
            <img class="article-cover" src=large.url.clone() srcset=img.srcset() sizes="(min-width: 800px) 720px, 100vw"
                width=large.width height=large.height alt="" />
        })
    });
    view! {
        <article class="article">
            <p class="news-meta">
                <a href=format!("{}?category={}", Page::News(k.clone()).path(), category.code())>
                    {move || category_label(i18n, category)}
                </a>
                {s.published_at.as_deref().map(|p| view! { " · " <time datetime=p.to_owned()>{date_time(p)}</time> })}
            </p>
            {heading}
            {(!s.summary.is_empty()).then(|| view! { <p class="lead">{s.summary.clone()}</p> })}
            {cover}
            <Body blocks=n.body />
        </article>
        <p class="actions">
            <a href=Page::News(k).path() class="button button-secondary">{t!(i18n, news.back)}</a>
            {move || can_edit.get().then(|| view! {
                <a href=Page::NewsEdit(id.clone()).path() class="button">{t!(i18n, news.edit)}</a>
            })}
        </p>
    }
}

/// A page's main heading, which takes the focus after a navigation; in the app it is the
/// tab's title too (the server writes a first view's title in the document's head).
#[component]
pub fn Heading(#[prop(into)] text: Signal<String>) -> impl IntoView {
    // `try_get`: the title outlives a heading that a reload of its page replaced.
    #[cfg(feature = "csr")]
    let title = view! { <leptos_meta::Title text=move || text.try_get().unwrap_or_default() /> };
    #[cfg(not(feature = "csr"))]
    let title = ();
    view! {
        {title}
        <h1 tabindex="-1">{move || text.try_get().unwrap_or_default()}</h1>
    }
}

/// Shown when a list has nothing in it.
#[component]
pub fn Empty(children: Children) -> impl IntoView {
    view! { <p class="state state-empty">{children()}</p> }
}

/// The news feed as a page: its title, search and categories, and the items (or the
/// sentence that there are none).
#[component]
pub fn FeedPage(
    katottg: String,
    category: Option<String>,
    q: String,
    items: Vec<NewsSummary>,
) -> impl IntoView {
    let i18n = use_i18n();
    let list = if items.is_empty() {
        view! { <Empty>{t!(i18n, news.empty)}</Empty> }.into_any()
    } else {
        view! { <NewsList items=move || items.clone() /> }.into_any()
    };
    view! {
        <Heading text=Signal::derive(move || t_string!(i18n, news.title).to_string()) />
        <NewsFilters katottg category typed=RwSignal::new(q) />
        {list}
    }
}
