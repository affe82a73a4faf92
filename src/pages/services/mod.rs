//! Public services: the hromada's catalogue by life situation with its search, one service
//! with everything needed to apply, frequent questions, and consultations.

mod consult;

pub use consult::AskDraft;

pub use consult::{Ask, ConsultationCard, ConsultationPage, MyConsultations};

use crate::api::use_api;
use crate::components::layout::PageHeading;
use crate::components::services::{Hits, all_answers, all_services, use_search};
use crate::components::states::{AfterSession, ErrorView, Loading};
use crate::i18n::*;
use crate::routes::Page;
use crate::state::use_session;
use hromada_api::services::{Answer, Service};
use hromada_views::services::{AnswerDetails, Catalogue, CentreCard, ServiceDetails, ServicesTop};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// `/h/{katottg}/services`: search, the catalogue by life situation, and frequent questions.
#[component]
pub fn Services() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let params = use_params_map();
    let katottg = Memo::new(move |_| params.read().get("katottg").unwrap_or_default());
    Effect::new(move |_| crate::state::remember_hromada(katottg.get()));
    let catalogue = {
        let api = api.clone();
        LocalResource::new(move || {
            let (api, k) = (api.clone(), katottg.get());
            async move {
                let services = all_services(&api, &k).await?;
                let answers = all_answers(&api, &k).await?;
                Ok::<_, crate::api::ApiError>((services, answers))
            }
        })
    };
    let centre = LocalResource::new(move || {
        let (api, k) = (api.clone(), katottg.get());
        async move { api.centre(&k).await.ok() }
    });
    let typed = RwSignal::new(String::new());
    let hits = use_search(katottg.into(), typed.into());
    let staff = move || {
        session
            .me()
            .is_some_and(|me| me.is_staff_of(&katottg.get()) || me.admin)
    };
    let actions = view! {
        <Show when=move || session.me().is_some()>
            <A href=Page::MyConsultations.path() attr:class="button button-secondary">{t!(i18n, consult.mine_title)}</A>
        </Show>
        <Show when=staff>
            <A href=move || Page::StaffServices(katottg.get()).path() attr:class="button button-secondary">{t!(i18n, services.staff_title)}</A>
        </Show>
    }
    .into_any();
    view! {
        <ServicesTop katottg typed ready=true actions />
        <div aria-live="polite">
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match hits.await {
                        None => ().into_any(),
                        Some(Ok(h)) if h.is_empty() => view! {
                            <p class="card" id="no-hits">{t!(i18n, services.no_hits)}" "
                                <A href=Page::Ask(katottg.get_untracked()).path()>{t!(i18n, consult.ask_person)}</A>
                            </p>
                        }.into_any(),
                        Some(Ok(h)) => view! { <Hits hits=h id="service-hits" /> }.into_any(),
                        Some(Err(e)) => view! { <p class="alert alert-error">{crate::components::states::error_text(i18n, &e)}</p> }.into_any(),
                    }
                })}
            </Transition>
        </div>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move { centre.await.map(|c| view! { <CentreCard c /> }) })}
        </Transition>
        <Transition fallback=Loading>
            <ErrorBoundary fallback=move |errors| view! { <ErrorView errors retry=move |_| catalogue.refetch() /> }>
                {move || Suspend::new(async move {
                    catalogue.await.map(|(services, answers)| view! { <Catalogue services answers /> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// `/services/{id}`.
#[component]
pub fn ServicePage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let service = LocalResource::new(move || {
        let (api, id) = (api.clone(), id.get());
        async move { api.service(&id).await }
    });
    view! {
        <Transition fallback=Loading>
            <ErrorBoundary fallback=move |errors| view! {
                <PageHeading text=move || t_string!(i18n, services.one).to_string() />
                <ErrorView errors retry=move |_| service.refetch() />
            }>
                <AfterSession>
                    {move || Suspend::new(async move {
                        service.await.map(|s| view! { <ServiceView s /> })
                    })}
                </AfterSession>
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn ServiceView(s: Service) -> impl IntoView {
    let session = use_session();
    let k = s.summary.katottg.clone();
    Effect::new(move |_| crate::state::remember_hromada(k.clone()));
    let staff = session
        .me()
        .is_some_and(|me| me.is_staff_of(&s.summary.katottg) || me.admin);
    view! { <ServiceDetails s staff /> }
}

/// `/answers/{id}`: one frequent question.
#[component]
pub fn AnswerPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let answer = LocalResource::new(move || {
        let (api, id) = (api.clone(), id.get());
        async move { api.answer(&id).await }
    });
    view! {
        <Transition fallback=Loading>
            <ErrorBoundary fallback=move |errors| view! {
                <PageHeading text=move || t_string!(i18n, services.faq).to_string() />
                <ErrorView errors retry=move |_| answer.refetch() />
            }>
                <AfterSession>
                    {move || Suspend::new(async move {
                        answer.await.map(|a| view! { <AnswerView a /> })
                    })}
                </AfterSession>
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn AnswerView(a: Answer) -> impl IntoView {
    let session = use_session();
    let k = a.katottg.clone();
    Effect::new(move |_| crate::state::remember_hromada(k.clone()));
    let staff = session
        .me()
        .is_some_and(|me| me.is_staff_of(&a.katottg) || me.admin);
    view! { <AnswerDetails a staff /> }
}
