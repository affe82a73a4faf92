//! Choosing a community, and a community's home page.

use crate::api::{NewsQuery, use_api};
use crate::components::hromada_search::HromadaSearch;
use crate::components::layout::{PageHeading, focus_main_heading};
use crate::components::push::AlertsOnDevice;
use crate::components::states::{ErrorView, Loading};
use crate::i18n::*;
use crate::live::use_live;
use crate::pages::news::merge;
use crate::routes::Page;
use crate::state::{use_place, use_session};
use hromada_api::{Hromada, HromadaRef, Verification};
use hromada_views::hromada::{
    HOME_NEWS, HromadaHome as HomeView, JoinCard, LatestList, LatestNews, PickerTop,
};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// `/hromadas`: find your community by typing part of its name.
#[component]
pub fn Picker() -> impl IntoView {
    view! {
        <PickerTop />
        <HromadaSearch />
    }
}

/// `/h/{katottg}`: a community's home page. Visiting it makes it the remembered choice.
#[component]
pub fn HromadaHome() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let params = use_params_map();
    let katottg = move || params.read().get("katottg").unwrap_or_default();
    let hromada = LocalResource::new(move || {
        let api = api.clone();
        let k = katottg();
        async move { api.hromada(&k).await }
    });
    view! {
        <Transition fallback=Loading>
            <ErrorBoundary fallback=move |errors| view! {
                <PageHeading text=move || t_string!(i18n, hromada.unavailable).to_string() />
                <ErrorView errors retry=move |_| hromada.refetch() />
            }>
                {move || Suspend::new(async move { hromada.await.map(|h| view! { <HromadaView h /> }) })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn HromadaView(h: Hromada) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let place = use_place();
    place.choose(HromadaRef {
        katottg: h.katottg.clone(),
        name: h.name.clone(),
    });
    request_animation_frame(focus_main_heading);
    let k = h.katottg.clone();
    let you = move || {
        let Some(me) = session.me() else {
            return Some(view! { <JoinCard /> }.into_any());
        };
        let k = k.clone();
        let staff = me.is_staff_of(&k).then(|| {
            view! { <p><A href=Page::Staff(k.clone()).path() attr:class="button">{t!(i18n, staff.open_desk)}</A></p> }
        });
        let resident = (me.hromada.katottg == k).then(|| match me.verification {
            Verification::Verified => view! { <p class="badge badge-ok">{t!(i18n, account.verified)}</p> }.into_any(),
            _ => view! { <p><A href=Page::Account.path()>{t!(i18n, account.ask_verification_hint)}</A></p> }.into_any(),
        });
        Some(view! { {staff} {resident} }.into_any())
    };
    let push = view! { <AlertsOnDevice katottg=h.katottg.clone() /> }.into_any();
    let latest = view! { <Latest katottg=h.katottg.clone() /> }.into_any();
    view! { <HomeView h push latest you=you.into_any() /> }
}

/// The latest news of a hromada on its home page, with live arrivals first.
#[component]
fn Latest(katottg: String) -> impl IntoView {
    let api = use_api();
    let live = use_live();
    let k = katottg.clone();
    let latest = LocalResource::new(move || {
        let (api, k) = (api.clone(), k.clone());
        async move { api.news(&k, &NewsQuery::default(), None).await }
    });
    view! {
        <LatestNews katottg>
            <Transition fallback=Loading>
                <ErrorBoundary fallback=move |errors| view! { <ErrorView errors retry=move |_| latest.refetch() /> }>
                    {move || Suspend::new(async move {
                        latest.await.map(|page| {
                            let loaded = page.items;
                            move || {
                                let mut all = merge(&live.news.get(), &loaded, &live.removed.get(), &NewsQuery::default());
                                all.truncate(HOME_NEWS);
                                view! { <LatestList items=all /> }
                            }
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </LatestNews>
    }
}
