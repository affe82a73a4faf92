//! Choosing a community, and a community's home page.

use crate::api::{NewsQuery, use_api};
use crate::components::hromada_search::{HromadaSearch, name_in, where_is};
use crate::components::layout::{PageHeading, focus_main_heading};
use crate::components::news::NewsCard;
use crate::components::push::AlertsOnDevice;
use crate::components::states::Empty;
use crate::components::states::{ErrorView, Loading};
use crate::i18n::*;
use crate::live::use_live;
use crate::pages::news::merge;
use crate::routes::Page;
use crate::state::{use_place, use_session};
use hromada_api::{Hromada, HromadaRef, Verification};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// `/hromadas`: find your community by typing part of its name.
#[component]
pub fn Picker() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading text=move || t_string!(i18n, hromada.pick_title).to_string() />
        <p class="lead">{t!(i18n, hromada.pick_lead)}</p>
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
    let name = h.name.clone();
    let title = Signal::derive(move || {
        format!(
            "{} {}",
            name_in(i18n, &name),
            t_string!(i18n, hromada.hromada_word)
        )
    });
    let (raion, oblast) = (h.raion.clone(), h.oblast.clone());
    let place_line = move || where_is(i18n, &raion, &oblast);
    let settlements = h.settlements;
    let cities = h.cities;
    let signatures = h.settings.petition_signatures;
    let days = h.settings.petition_days;
    let k = h.katottg.clone();
    let you = move || {
        let Some(me) = session.me() else {
            return Some(
                view! {
                    <section class="card">
                        <p>{t!(i18n, hromada.join)}</p>
                        <p class="actions">
                            <A href=Page::SignUp.path() attr:class="button">{t!(i18n, account.sign_up)}</A>
                            <A href=Page::SignIn.path() attr:class="button button-secondary">{t!(i18n, account.sign_in)}</A>
                        </p>
                    </section>
                }
                .into_any(),
            );
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
    view! {
        <PageHeading text=title />
        <p class="lead">{place_line}</p>
        <section class="card" aria-labelledby="about-h">
            <h2 id="about-h">{t!(i18n, hromada.about)}</h2>
            <dl class="facts">
                <dt>{t!(i18n, hromada.settlements)}</dt>
                <dd>{settlements}</dd>
                <dt>{t!(i18n, hromada.cities)}</dt>
                <dd>{cities}</dd>
                <dt>{t!(i18n, hromada.code)}</dt>
                <dd><code>{h.katottg.clone()}</code></dd>
                <dt>{t!(i18n, hromada.petition_rule)}</dt>
                <dd>{t!(i18n, hromada.petition_rule_value, signatures, days)}</dd>
            </dl>
        </section>
        <AlertsOnDevice katottg=h.katottg.clone() />
        <section class="card" aria-labelledby="appeals-h">
            <h2 id="appeals-h">{t!(i18n, appeals.home_title)}</h2>
            <p>{t!(i18n, appeals.home_text)}</p>
            <p class="actions">
                <A href=Page::AppealNew(h.katottg.clone()).path() attr:class="button">{t!(i18n, appeals.write)}</A>
                <A href=Page::PublicAppeals(h.katottg.clone()).path() attr:class="button button-secondary">{t!(i18n, appeals.public_title)}</A>
            </p>
        </section>
        <section class="card" aria-labelledby="petitions-h">
            <h2 id="petitions-h">{t!(i18n, petitions.home_title)}</h2>
            <p>{t!(i18n, petitions.home_text, signatures, days)}</p>
            <p class="actions">
                <A href=Page::Petitions(h.katottg.clone()).path() attr:class="button">{t!(i18n, petitions.title)}</A>
                <A href=Page::PetitionNew(h.katottg.clone()).path() attr:class="button button-secondary">{t!(i18n, petitions.write)}</A>
            </p>
        </section>
        <section class="card" aria-labelledby="services-h">
            <h2 id="services-h">{t!(i18n, services.title)}</h2>
            <p>{t!(i18n, services.home_text)}</p>
            <p class="actions">
                <A href=Page::Services(h.katottg.clone()).path() attr:class="button">{t!(i18n, services.title)}</A>
                <A href=Page::Ask(h.katottg.clone()).path() attr:class="button button-secondary">{t!(i18n, consult.ask)}</A>
            </p>
        </section>
        <section class="card" aria-labelledby="budget-h">
            <h2 id="budget-h">{t!(i18n, budget.home_title)}</h2>
            <p>{t!(i18n, budget.home_text)}</p>
            <p class="actions">
                <A href=Page::Budget(h.katottg.clone()).path() attr:class="button">{t!(i18n, budget.title)}</A>
            </p>
        </section>
        <section class="card" aria-labelledby="polls-h">
            <h2 id="polls-h">{t!(i18n, polls.title)}</h2>
            <p>{t!(i18n, polls.home_text)}</p>
            <p class="actions">
                <A href=Page::Polls(h.katottg.clone()).path() attr:class="button">{t!(i18n, polls.title)}</A>
            </p>
        </section>
        <LatestNews katottg=h.katottg.clone() />
        {you}
        <p><A href=Page::Hromadas.path()>{t!(i18n, hromada.change)}</A></p>
    }
}

/// The latest news of a hromada on its home page, with live arrivals first.
#[component]
fn LatestNews(katottg: String) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let live = use_live();
    let k = katottg.clone();
    let latest = LocalResource::new(move || {
        let (api, k) = (api.clone(), k.clone());
        async move { api.news(&k, &NewsQuery::default(), None).await }
    });
    let feed = Page::News(katottg.clone()).path();
    view! {
        <section aria-labelledby="latest-h">
            <h2 id="latest-h">{t!(i18n, news.latest)}</h2>
            <Transition fallback=Loading>
                <ErrorBoundary fallback=move |errors| view! { <ErrorView errors retry=move |_| latest.refetch() /> }>
                    {move || Suspend::new(async move {
                        latest.await.map(|page| {
                            let loaded = page.items;
                            let items = move || {
                                let mut all = merge(&live.news.get(), &loaded, &live.removed.get(), &NewsQuery::default());
                                all.truncate(5);
                                all
                            };
                            view! {
                                <Show when={let items = items.clone(); move || !items().is_empty()}
                                    fallback=move || view! { <Empty>{t!(i18n, news.empty)}</Empty> }>
                                    <ul class="news-list">
                                        <For each=items.clone() key=|n| (n.id.clone(), n.updated_at.clone()) let:n>
                                            <NewsCard n />
                                        </For>
                                    </ul>
                                </Show>
                            }
                        })
                    })}
                </ErrorBoundary>
            </Transition>
            <p><A href=feed attr:class="button button-secondary">{t!(i18n, news.all)}</A></p>
        </section>
    }
}
