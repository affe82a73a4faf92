//! Public services: labels, the fee and term in words, a service's card, the catalogue by
//! life situation with its frequent questions, a service and an answer.

use crate::format::fee;
use crate::i18n::*;
use crate::news::Heading;
use crate::routes::Page;
use hromada_api::services::{Answer, Centre, Service, ServiceSummary, Situation, Term};
use hromada_api::text::paragraphs;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

/// A life situation in words.
pub fn situation_label(i18n: I18nContext<Locale>, s: Situation) -> String {
    match s {
        Situation::Child => t_string!(i18n, services.sit_child),
        Situation::Moving => t_string!(i18n, services.sit_moving),
        Situation::Property => t_string!(i18n, services.sit_property),
        Situation::Business => t_string!(i18n, services.sit_business),
        Situation::Social => t_string!(i18n, services.sit_social),
        Situation::Documents => t_string!(i18n, services.sit_documents),
        Situation::Other => t_string!(i18n, services.sit_other),
    }
    .to_string()
}

/// The fee in words: "free" or the amount in hryvnias.
pub fn fee_text(i18n: I18nContext<Locale>, kopiyky: Option<u64>) -> String {
    match kopiyky {
        None => t_string!(i18n, services.free).to_string(),
        Some(k) => fee(
            k,
            if i18n.get_locale() == Locale::en {
                '.'
            } else {
                ','
            },
        ),
    }
}

/// How long a service takes, in words.
pub fn term_text(i18n: I18nContext<Locale>, t: Term) -> String {
    match (t.days, t.working) {
        (0, _) => t_string!(i18n, services.same_day).to_string(),
        (1, true) => t_string!(i18n, services.one_working_day).to_string(),
        (1, false) => t_string!(i18n, services.one_day).to_string(),
        (n, true) => t_string!(i18n, services.working_days, count = n).to_string(),
        (n, false) => t_string!(i18n, services.calendar_days, count = n).to_string(),
    }
}

/// A service in a list.
#[component]
pub fn ServiceCard(s: ServiceSummary) -> impl IntoView {
    let i18n = use_i18n();
    let (fee, term, online) = (s.fee, s.term, s.online);
    view! {
        <li class="card service-card">
            <h3><a href=Page::Service(s.id.clone()).path()>{s.title}</a></h3>
            <p>{s.purpose}</p>
            <p class="meta">
                {move || fee_text(i18n, fee)}" · "{move || term_text(i18n, term)}
                {online.then(|| view! { " · " <span class="badge badge-ok">{t!(i18n, services.online)}</span> })}
            </p>
        </li>
    }
}

/// The catalogue grouped by life situation, then the frequent questions.
#[component]
pub fn Catalogue(
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
pub fn FaqList(answers: Vec<Answer>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="faq">
            {answers.into_iter().map(|a| { let anchor = format!("answer-{}", a.id); view! {
                <details class="card faq-item" id=anchor>
                    <summary>{a.question}</summary>
                    {paragraphs(&a.answer).into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
                    <p class="meta">
                        {a.service.map(|s| view! { <a href=Page::Service(s.id).path()>{s.title}</a>" · " })}
                        <a href=Page::Answer(a.id).path()>{t!(i18n, services.answer_link)}</a>
                    </p>
                </details>
            }}).collect_view()}
        </div>
    }
}

/// Where and when the centre receives.
#[component]
pub fn CentreCard(c: Centre) -> impl IntoView {
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

/// A service with everything needed to apply: its situation, purpose, fee and term,
/// the online way, who may apply, the documents, the centre, its frequent questions and
/// the way to ask. `staff` is true for the hromada's staff (the way to edit it).
#[component]
pub fn ServiceDetails(s: Service, #[prop(optional)] staff: bool) -> impl IntoView {
    let i18n = use_i18n();
    let title = s.summary.title.clone();
    let (situation, fee, term) = (s.summary.situation, s.summary.fee, s.summary.term);
    let ask = format!(
        "{}?about={}",
        Page::Ask(s.summary.katottg.clone()).path(),
        crate::routes::encode_uri_component(&s.summary.id)
    );
    let fee_note = s.fee_note.clone();
    let term_note = s.term_note.clone();
    view! {
        <p><a href=Page::Services(s.summary.katottg.clone()).path()>{t!(i18n, services.back)}</a></p>
        <Heading text=Signal::derive(move || title.clone()) />
        <p class="meta"><span class="badge">{move || situation_label(i18n, situation)}</span></p>
        {staff.then(|| view! {
            <p class="actions"><a href=Page::ServiceEdit(s.summary.id.clone()).path() class="button button-secondary">{t!(i18n, services.edit)}</a></p>
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
            <p class="actions"><a href=ask class="button">{t!(i18n, consult.ask_about)}</a></p>
        </section>
    }
}

/// One frequent question and its answer, the service it is about, and the way to ask.
/// `staff` is true for the hromada's staff (the way to edit it).
#[component]
pub fn AnswerDetails(a: Answer, #[prop(optional)] staff: bool) -> impl IntoView {
    let i18n = use_i18n();
    let question = a.question.clone();
    view! {
        <p><a href=format!("{}#faq", Page::Services(a.katottg.clone()).path())>{t!(i18n, services.back)}</a></p>
        <Heading text=Signal::derive(move || question.clone()) />
        {staff.then(|| view! {
            <p class="actions"><a href=Page::AnswerEdit(a.id.clone()).path() class="button button-secondary">{t!(i18n, services.edit_answer)}</a></p>
        })}
        {paragraphs(&a.answer).into_iter().map(|p| view! { <p class="appeal-text">{p}</p> }).collect_view()}
        {a.service.clone().map(|s| view! {
            <p class="card">{t!(i18n, services.about_service)}" "<a href=Page::Service(s.id).path()>{s.title}</a></p>
        })}
        <section class="card" aria-labelledby="ask-h">
            <h2 id="ask-h">{t!(i18n, consult.still_question)}</h2>
            <p class="actions"><a href=Page::Ask(a.katottg.clone()).path() class="button">{t!(i18n, consult.ask)}</a></p>
        </section>
    }
}

/// The catalogue's title, lead and ways to ask (`actions`: what the app adds for a
/// signed-in person and staff), and the search field. Without `typed`'s handler (before
/// the app has started) the field is disabled.
#[component]
pub fn ServicesTop(
    #[prop(into)] katottg: Signal<String>,
    typed: RwSignal<String>,
    #[prop(optional)] ready: bool,
    #[prop(optional)] actions: Option<AnyView>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Heading text=Signal::derive(move || t_string!(i18n, services.title).to_string()) />
        <p class="lead">{t!(i18n, services.lead)}</p>
        <p class="actions">
            <a href=move || Page::Ask(katottg.get()).path() class="button">{t!(i18n, consult.ask)}</a>
            {actions}
        </p>
        <form role="search" class="form search-form" on:submit=|ev| ev.prevent_default()>
            <label for="service-q">{t!(i18n, services.search_label)}</label>
            <input id="service-q" type="search" autocomplete="off" enterkeyhint="search"
                placeholder=move || t_string!(i18n, services.search_placeholder).to_string()
                disabled=!ready
                prop:value=move || typed.get()
                on:input=move |ev| typed.set(event_target_value(&ev)) />
        </form>
    }
}

/// The catalogue before the app has started: its top, the centre and the services by
/// life situation with the frequent questions.
#[component]
pub fn ServicesPage(
    katottg: String,
    centre: Option<Centre>,
    services: Vec<ServiceSummary>,
    answers: Vec<Answer>,
) -> impl IntoView {
    view! {
        <ServicesTop katottg typed=RwSignal::new(String::new()) />
        <div aria-live="polite"></div>
        {centre.map(|c| view! { <CentreCard c /> })}
        <Catalogue services answers />
    }
}
