//! Finding a community by typing part of its name: used by the picker, sign-up and the
//! administrator's page.

use crate::api::use_api;
use crate::components::more::{MoreButton, MorePages};
use crate::components::states::{Empty, ErrorView, Loading};
use crate::format::location;
use crate::i18n::*;
use crate::routes::Page;
use gloo_timers::callback::Timeout;
use hromada_api::{HromadaSummary, Page as ListPage};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;

/// Whether place names are shown in Latin letters (in English).
fn latin(i18n: I18nContext<Locale>) -> bool {
    i18n.get_locale() == Locale::en
}

pub use hromada_views::frame::name_in;

/// "Херсонський район, Херсонська область", in the current language.
pub fn where_is(i18n: I18nContext<Locale>, raion: &str, oblast: &str) -> String {
    let words = (
        t_string!(i18n, hromada.raion_word),
        t_string!(i18n, hromada.oblast_word),
    );
    location(raion, oblast, words, latin(i18n))
}

/// A search box and the communities whose names match. Without `on_choose` each result is
/// a link to the community's page; with it, a button that hands the choice over.
#[component]
pub fn HromadaSearch(
    /// The id of the search input, so a page can label it.
    #[prop(default = "hromada-q")]
    input_id: &'static str,
    #[prop(optional)] on_choose: Option<Callback<HromadaSummary>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let typed = RwSignal::new(String::new());
    let query = RwSignal::new(String::new());
    let timer = StoredValue::new_local(None::<Timeout>);
    let on_input = move |ev| {
        let v = event_target_value(&ev);
        typed.set(v.clone());
        // Wait until typing pauses before asking the server.
        timer.set_value(Some(Timeout::new(250, move || query.set(v))));
    };
    let first = {
        let api = api.clone();
        LocalResource::new(move || {
            let api = api.clone();
            let q = query.get();
            // When choosing for a form, list nothing until the person types.
            let wait = on_choose.is_some() && q.trim().is_empty();
            async move {
                if wait {
                    Ok(ListPage {
                        items: vec![],
                        next_cursor: None,
                    })
                } else {
                    api.hromadas(&q, None).await
                }
            }
        })
    };
    let more = MorePages::after(first);
    let load_more = move |_| {
        let (api, q) = (api.clone(), query.get_untracked());
        more.load(move |cursor| async move { api.hromadas(&q, Some(&cursor)).await });
    };
    let item = move |h: HromadaSummary| {
        let (name, raion, oblast) = (h.name.clone(), h.raion.clone(), h.oblast.clone());
        let label = view! {
            <span class="result-name">{move || name_in(i18n, &name)}</span>
            <span class="result-place">{move || where_is(i18n, &raion, &oblast)}</span>
        };
        match on_choose {
            Some(cb) => view! {
                <li><button type="button" class="result" on:click=move |_| cb.run(h.clone())>{label}</button></li>
            }
            .into_any(),
            None => view! {
                <li><A href=Page::Hromada(h.katottg.clone()).path() attr:class="result">{label}</A></li>
            }
            .into_any(),
        }
    };
    view! {
        <div class="hromada-search" role="search">
            <label for=input_id>{t!(i18n, hromada.search_label)}</label>
            <input
                id=input_id
                type="search"
                autocomplete="off"
                placeholder=move || t_string!(i18n, hromada.search_placeholder).to_string()
                prop:value=move || typed.get()
                on:input=on_input
            />
            <Transition fallback=Loading>
                <ErrorBoundary fallback=move |errors| view! { <ErrorView errors retry=move |_| first.refetch() /> }>
                    {move || Suspend::new(async move {
                        first.await.map(|page| {
                            if page.items.is_empty() && on_choose.is_some() && query.get_untracked().trim().is_empty() {
                                ().into_any()
                            } else if page.items.is_empty() {
                                view! { <Empty>{t!(i18n, hromada.none_found)}</Empty> }.into_any()
                            } else {
                                view! {
                                    <ul class="results" aria-label=move || t_string!(i18n, hromada.results).to_string()>
                                        {page.items.into_iter().map(item).collect_view()}
                                        <For each=move || more.items.get() key=|h| h.katottg.clone() let:h>
                                            {item(h)}
                                        </For>
                                    </ul>
                                }
                                .into_any()
                            }
                        })
                    })}
                </ErrorBoundary>
            </Transition>
            <MoreButton pages=more on_click=load_more />
        </div>
    }
}
