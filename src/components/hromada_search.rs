//! Finding a community by typing part of its name: used by the picker, sign-up and the
//! administrator's page.

use crate::api::use_api;
use crate::components::more::{MoreButton, MorePages};
use crate::components::states::{Empty, ErrorView, Loading};
use crate::i18n::*;
use gloo_timers::callback::Timeout;
use hromada_api::{HromadaSummary, Page as ListPage};
use hromada_views::hromada::{ResultLabel, ResultLink, SearchField};
use leptos::prelude::*;

pub use hromada_views::frame::name_in;
pub use hromada_views::hromada::where_is;

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
    let on_input = Callback::new(move |v: String| {
        typed.set(v.clone());
        // Wait until typing pauses before asking the server.
        timer.set_value(Some(Timeout::new(250, move || query.set(v))));
    });
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
    let item = move |h: HromadaSummary| match on_choose {
        Some(cb) => {
            let chosen = h.clone();
            view! {
                <li><button type="button" class="result" on:click=move |_| cb.run(chosen.clone())><ResultLabel h /></button></li>
            }
            .into_any()
        }
        None => view! { <ResultLink h /> }.into_any(),
    };
    view! {
        <div class="hromada-search" role="search">
            <SearchField input_id typed on_input />
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
