//! Public services: the hromada's catalogue by life situation with its search, one service
//! with everything needed to apply, frequent questions, and consultations.

mod consult;

pub use consult::AskDraft;

pub use consult::{Ask, ConsultationCard, ConsultationPage, MyConsultations};

use crate::api::use_api;
use crate::components::layout::PageHeading;
use crate::components::services::{
    Hits, ServiceCard, all_answers, all_services, fee_text, situation_label, term_text, use_search,
};
use crate::components::states::{AfterSession, ErrorView, Loading};
use crate::format::paragraphs;
use crate::i18n::*;
use crate::routes::Page;
use crate::state::use_session;
use hromada_api::services::{Answer, Centre, Service, Situation};
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
    view! {
        <PageHeading text=move || t_string!(i18n, services.title).to_string() />
        <p class="lead">{t!(i18n, services.lead)}</p>
        <p class="actions">
            <A href=move || Page::Ask(katottg.get()).path() attr:class="button">{t!(i18n, consult.ask)}</A>
            <Show when=move || session.me().is_some()>
                <A href=Page::MyConsultations.path() attr:class="button button-secondary">{t!(i18n, consult.mine_title)}</A>
            </Show>
            <Show when=staff>
                <A href=move || Page::StaffServices(katottg.get()).path() attr:class="button button-secondary">{t!(i18n, services.staff_title)}</A>
            </Show>
        </p>
        <form role="search" class="form search-form" on:submit=|ev| ev.prevent_default()>
            <label for="service-q">{t!(i18n, services.search_label)}</label>
            <input id="service-q" type="search" autocomplete="off" enterkeyhint="search"
                placeholder=move || t_string!(i18n, services.search_placeholder).to_string()
                prop:value=move || typed.get()
                on:input=move |ev| typed.set(event_target_value(&ev)) />
        </form>
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

/// The catalogue grouped by life situation, then the frequent questions.
#[component]
fn Catalogue(
    services: Vec<hromada_api::services::ServiceSummary>,
    answers: Vec<Answer>,
) -> impl IntoView {
    let i18n = use_i18n();
    let groups: Vec<(Situation, Vec<_>)> = Situation::ALL
        .into_iter()
        .map(|s| {
            (
                s,
                services
                    .iter()
                    .filter(|x| x.situation == s)
                    .cloned()
                    .collect::<Vec<_>>(),
            )
        })
        .filter(|(_, v)| !v.is_empty())
        .collect();
    let has_answers = !answers.is_empty();
    view! {
        <nav class="chips" aria-label=move || t_string!(i18n, services.situations).to_string()>
            {groups.iter().map(|(s, v)| {
                let (s, n) = (*s, v.len());
                view! { <a class="chip" href=format!("#sit-{}", s.code())>{move || situation_label(i18n, s)}" "<span class="count">{n}</span></a> }
            }).collect_view()}
            {has_answers.then(|| view! { <a class="chip" href="#faq">{t!(i18n, services.faq)}</a> })}
        </nav>
        {services.is_empty().then(|| view! { <p class="card">{t!(i18n, services.none)}</p> })}
        {groups.into_iter().map(|(s, v)| view! {
            <section class="situation" aria-labelledby=format!("sit-{}", s.code())>
                <h2 id=format!("sit-{}", s.code()) tabindex="-1">{move || situation_label(i18n, s)}</h2>
                <ul class="cards">
                    {v.into_iter().map(|s| view! { <ServiceCard s /> }).collect_view()}
                </ul>
            </section>
        }).collect_view()}
        {has_answers.then(|| view! {
            <section aria-labelledby="faq">
                <h2 id="faq" tabindex="-1">{t!(i18n, services.faq)}</h2>
                <FaqList answers />
            </section>
        })}
    }
}

/// Frequent questions, each opening to its answer.
#[component]
fn FaqList(answers: Vec<Answer>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="faq">
            {answers.into_iter().map(|a| { let anchor = format!("answer-{}", a.id); view! {
                <details class="card faq-item" id=anchor>
                    <summary>{a.question}</summary>
                    {paragraphs(&a.answer).into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
                    <p class="meta">
                        {a.service.map(|s| view! { <A href=Page::Service(s.id).path()>{s.title}</A>" · " })}
                        <A href=Page::Answer(a.id).path()>{t!(i18n, services.answer_link)}</A>
                    </p>
                </details>
            }}).collect_view()}
        </div>
    }
}

/// Where and when the centre receives.
#[component]
fn CentreCard(c: Centre) -> impl IntoView {
    let i18n = use_i18n();
    let tel = format!(
        "tel:{}",
        c.phone
            .chars()
            .filter(|x| x.is_ascii_digit() || *x == '+')
            .collect::<String>()
    );
    let mail = format!("mailto:{}", c.email);
    view! {
        <section class="card centre" aria-labelledby="centre-h">
            <h2 id="centre-h">{c.name}</h2>
            <dl class="facts">
                <dt>{t!(i18n, services.address)}</dt><dd>{c.address}</dd>
                <dt>{t!(i18n, services.hours)}</dt>
                <dd>{c.hours.lines().map(|l| view! { {l.to_owned()}<br /> }).collect_view()}</dd>
                {(!c.phone.is_empty()).then(|| view! { <dt>{t!(i18n, services.phone)}</dt><dd><a href=tel>{c.phone}</a></dd> })}
                {(!c.email.is_empty()).then(|| view! { <dt>{t!(i18n, services.email)}</dt><dd><a href=mail>{c.email}</a></dd> })}
            </dl>
        </section>
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
    let i18n = use_i18n();
    let session = use_session();
    let k = s.summary.katottg.clone();
    Effect::new(move |_| crate::state::remember_hromada(k.clone()));
    let staff = session
        .me()
        .is_some_and(|me| me.is_staff_of(&s.summary.katottg) || me.admin);
    let title = s.summary.title.clone();
    let (situation, fee, term) = (s.summary.situation, s.summary.fee, s.summary.term);
    let ask = format!(
        "{}?about={}",
        Page::Ask(s.summary.katottg.clone()).path(),
        String::from(js_sys::encode_uri_component(&s.summary.id))
    );
    let fee_note = s.fee_note.clone();
    let term_note = s.term_note.clone();
    view! {
        <p><A href=Page::Services(s.summary.katottg.clone()).path()>{t!(i18n, services.back)}</A></p>
        <PageHeading text=move || title.clone() />
        <p class="meta"><span class="badge">{move || situation_label(i18n, situation)}</span></p>
        {staff.then(|| view! {
            <p class="actions"><A href=Page::ServiceEdit(s.summary.id.clone()).path() attr:class="button button-secondary">{t!(i18n, services.edit)}</A></p>
        })}
        {paragraphs(&s.summary.purpose).into_iter().map(|p| view! { <p class="lead">{p}</p> }).collect_view()}
        <dl class="facts service-facts">
            <dt>{t!(i18n, services.fee)}</dt>
            <dd id="service-fee">{move || fee_text(i18n, fee)}{(!fee_note.is_empty()).then(|| view! { <br /><span class="hint">{fee_note.clone()}</span> })}</dd>
            <dt>{t!(i18n, services.term)}</dt>
            <dd id="service-term">{move || term_text(i18n, term)}{(!term_note.is_empty()).then(|| view! { <br /><span class="hint">{term_note.clone()}</span> })}</dd>
            {s.online_url.clone().map(|u| view! {
                <dt>{t!(i18n, services.online_field)}</dt>
                <dd><a href=u rel="noopener noreferrer" target="_blank">{t!(i18n, services.online_go)}</a></dd>
            })}
        </dl>
        {(!s.who.is_empty()).then(|| view! {
            <section aria-labelledby="who-h">
                <h2 id="who-h">{t!(i18n, services.who)}</h2>
                {paragraphs(&s.who).into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
            </section>
        })}
        <section aria-labelledby="docs-h">
            <h2 id="docs-h">{t!(i18n, services.documents)}</h2>
            {if s.documents.is_empty() {
                view! { <p>{t!(i18n, services.no_documents)}</p> }.into_any()
            } else {
                view! { <ol class="documents">{s.documents.iter().map(|d| view! { <li>{d.clone()}</li> }).collect_view()}</ol> }.into_any()
            }}
        </section>
        {s.centre.clone().map(|c| view! { <CentreCard c /> })}
        {(!s.answers.is_empty()).then(|| view! {
            <section aria-labelledby="faq">
                <h2 id="faq">{t!(i18n, services.faq)}</h2>
                <FaqList answers=s.answers.clone() />
            </section>
        })}
        <section class="card" aria-labelledby="ask-h">
            <h2 id="ask-h">{t!(i18n, consult.still_question)}</h2>
            <p class="actions"><A href=ask attr:class="button">{t!(i18n, consult.ask_about)}</A></p>
        </section>
    }
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
    let i18n = use_i18n();
    let session = use_session();
    let k = a.katottg.clone();
    Effect::new(move |_| crate::state::remember_hromada(k.clone()));
    let staff = session
        .me()
        .is_some_and(|me| me.is_staff_of(&a.katottg) || me.admin);
    let question = a.question.clone();
    view! {
        <p><A href=format!("{}#faq", Page::Services(a.katottg.clone()).path())>{t!(i18n, services.back)}</A></p>
        <PageHeading text=move || question.clone() />
        {staff.then(|| view! {
            <p class="actions"><A href=Page::AnswerEdit(a.id.clone()).path() attr:class="button button-secondary">{t!(i18n, services.edit_answer)}</A></p>
        })}
        {paragraphs(&a.answer).into_iter().map(|p| view! { <p class="appeal-text">{p}</p> }).collect_view()}
        {a.service.clone().map(|s| view! {
            <p class="card">{t!(i18n, services.about_service)}" "<A href=Page::Service(s.id).path()>{s.title}</A></p>
        })}
        <section class="card" aria-labelledby="ask-h">
            <h2 id="ask-h">{t!(i18n, consult.still_question)}</h2>
            <p class="actions"><A href=Page::Ask(a.katottg.clone()).path() attr:class="button">{t!(i18n, consult.ask)}</A></p>
        </section>
    }
}
