//! News cards, formatted bodies and alert banners.

use crate::format::local_date_time;
use crate::i18n::*;
use crate::live::use_live;
use crate::routes::Page;
use hromada_api::news::{
    Alert, Block, Inline, NewsCategory, NewsStatus, NewsSummary, Severity, safe_href,
    safe_image_src,
};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;

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
    #[prop(optional)] staff: bool,
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
    let when = n.published_at.as_deref().map(local_date_time);
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
                <h3><A href=href>{n.title.clone()}</A></h3>
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

/// One alert, with a button to hide it.
#[component]
pub fn AlertNotice(a: Alert, #[prop(optional)] dismissible: bool) -> impl IntoView {
    let i18n = use_i18n();
    let live = use_live();
    let id = a.id.clone();
    let severity = a.severity;
    let until = local_date_time(&a.expires_at);
    view! {
        <div class=severity_class(severity) role=(severity == Severity::Danger).then_some("alert")>
            <p class="alert-head">
                <strong>{move || severity_label(i18n, severity)}</strong>
                {a.area.clone().map(|area| view! { " · " {area} })}
            </p>
            <p class="alert-text">{a.text.clone()}</p>
            <p class="alert-until">{t!(i18n, alerts.until)} " " {until}</p>
            {dismissible.then(|| view! {
                <button type="button" class="link-button alert-hide" on:click=move |_| live.dismiss(&id)>
                    {t!(i18n, alerts.hide)}
                </button>
            })}
        </div>
    }
}

/// The active alerts of the current hromada, on every page, most severe first.
#[component]
pub fn AlertBanner() -> impl IntoView {
    let i18n = use_i18n();
    let live = use_live();
    view! {
        <section class="alerts" aria-label=move || t_string!(i18n, alerts.region).to_string() aria-live="polite">
            <For each=move || live.visible_alerts() key=|a| (a.id.clone(), a.text.clone(), a.expires_at.clone()) let:a>
                <AlertNotice a dismissible=true />
            </For>
        </section>
    }
}
