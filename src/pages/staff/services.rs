//! The staff's side of services: the catalogue and its frequent questions (write, change,
//! remove), the centre's address and hours, and the queue of consultations, oldest first.

use crate::api::{ApiError, new_idempotency_key, use_api};
use crate::components::form::{FormMessages, FormState, TextField, code_text};
use crate::components::layout::PageHeading;
use crate::components::more::{MoreButton, MorePages, PagedCards};
use crate::components::services::{
    all_answers, all_services, fee_text, situation_label, term_text,
};
use crate::components::states::{ErrorView, Loading};
use crate::format::parse_fee;
use crate::i18n::*;
use crate::live::use_live;
use crate::pages::services::ConsultationCard;
use crate::routes::Page;
use hromada_api::services::{
    self, Answer, AnswerDraft, Centre, ConsultationStatus, Service, ServiceDraft, ServiceSummary,
    Situation, Term,
};
use hromada_api::{ErrorCode, FieldError};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

/// Splits a text box into its non-empty lines (documents, one per line).
pub fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Splits a comma-separated text into its non-empty items (search words).
pub fn comma_list(text: &str) -> Vec<String> {
    text.split([',', ';', '\n'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `/h/{katottg}/staff/services`: the centre, the catalogue and the answers.
#[component]
pub fn StaffServices() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let params = use_params_map();
    let katottg = Memo::new(move |_| params.read().get("katottg").unwrap_or_default());
    Effect::new(move |_| crate::state::remember_hromada(katottg.get()));
    let data = {
        let api = api.clone();
        LocalResource::new(move || {
            let (api, k) = (api.clone(), katottg.get());
            async move {
                let centre = match api.centre(&k).await {
                    Ok(c) => c,
                    Err(ApiError::NotFound(_)) => Centre::default(),
                    Err(e) => return Err(e),
                };
                let services = all_services(&api, &k).await?;
                let answers = all_answers(&api, &k).await?;
                Ok::<_, ApiError>((centre, services, answers))
            }
        })
    };
    view! {
        <PageHeading text=move || t_string!(i18n, services.staff_title).to_string() />
        <p class="actions">
            <A href=move || Page::StaffConsultations(katottg.get()).path() attr:class="button button-secondary">{t!(i18n, consult.queue_title)}</A>
            <A href=move || Page::Services(katottg.get()).path() attr:class="button button-secondary">{t!(i18n, services.public_view)}</A>
        </p>
        <Transition fallback=Loading>
            <ErrorBoundary fallback=move |errors| view! { <ErrorView errors retry=move |_| data.refetch() /> }>
                {move || Suspend::new(async move {
                    data.await.map(|(centre, services, answers)| {
                        let k = katottg.get_untracked();
                        view! { <StaffCatalogue katottg=k centre services answers /> }
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn StaffCatalogue(
    katottg: String,
    centre: Centre,
    services: Vec<ServiceSummary>,
    answers: Vec<Answer>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (n_services, n_answers) = (services.len(), answers.len());
    view! {
        <section aria-labelledby="centre-form-h">
            <h2 id="centre-form-h">{t!(i18n, services.centre_title)}</h2>
            <CentreForm katottg=katottg.clone() centre />
        </section>
        <section aria-labelledby="staff-services-h">
            <h2 id="staff-services-h">{move || t_string!(i18n, services.catalogue_count, count = n_services).to_string()}</h2>
            <p class="actions"><A href=Page::ServiceNew(katottg.clone()).path() attr:class="button">{t!(i18n, services.create)}</A></p>
            <table class="cost-table staff-services">
                <thead><tr>
                    <th scope="col">{t!(i18n, services.name)}</th>
                    <th scope="col">{t!(i18n, services.situation)}</th>
                    <th scope="col">{t!(i18n, services.fee)}</th>
                    <th scope="col">{t!(i18n, services.term)}</th>
                </tr></thead>
                <tbody>
                    {services.into_iter().map(|s| {
                        let (sit, fee, term) = (s.situation, s.fee, s.term);
                        view! {
                            <tr>
                                <td><A href=Page::ServiceEdit(s.id).path()>{s.title}</A></td>
                                <td>{move || situation_label(i18n, sit)}</td>
                                <td>{move || fee_text(i18n, fee)}</td>
                                <td>{move || term_text(i18n, term)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        <section aria-labelledby="staff-answers-h">
            <h2 id="staff-answers-h">{move || t_string!(i18n, services.answers_count, count = n_answers).to_string()}</h2>
            <p class="actions"><A href=Page::AnswerNew(katottg.clone()).path() attr:class="button">{t!(i18n, services.new_answer)}</A></p>
            <ul class="cards">
                {answers.into_iter().map(|a| view! {
                    <li class="card">
                        <A href=Page::AnswerEdit(a.id).path()>{a.question}</A>
                        {a.service.map(|s| view! { <p class="meta">{s.title}</p> })}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn CentreForm(katottg: String, centre: Centre) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let form = FormState::new();
    let name = RwSignal::new(centre.name);
    let address = RwSignal::new(centre.address);
    let hours = RwSignal::new(centre.hours);
    let phone = RwSignal::new(centre.phone);
    let email = RwSignal::new(centre.email);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let c = Centre {
            name: name.get_untracked().trim().to_owned(),
            address: address.get_untracked().trim().to_owned(),
            hours: hours.get_untracked().trim().to_owned(),
            phone: phone.get_untracked().trim().to_owned(),
            email: email.get_untracked().trim().to_owned(),
        };
        if !form.begin(services::validate_centre(&c)) {
            return;
        }
        let (api, k) = (api.clone(), katottg.clone());
        spawn_local(async move {
            match api.update_centre(&k, &c).await {
                Ok(_) => form.succeed(Some(t_string!(i18n, services.saved).to_string())),
                Err(e) => form.fail(i18n, &e),
            }
        });
    };
    view! {
        <form class="form" id="centre-form" on:submit=submit novalidate>
            <FormMessages form />
            <TextField form name="name" value=name id="f-centre-name">{t!(i18n, services.centre_name)}</TextField>
            <TextField form name="address" value=address id="f-centre-address">{t!(i18n, services.address)}</TextField>
            <TextField form name="hours" value=hours multiline=true id="f-centre-hours">{t!(i18n, services.hours)}</TextField>
            <TextField form name="phone" value=phone kind="tel" id="f-centre-phone">{t!(i18n, services.phone)}</TextField>
            <TextField form name="email" value=email kind="email" id="f-centre-email">{t!(i18n, services.email)}</TextField>
            <button type="submit" class="button" disabled=move || form.pending.get()>{t!(i18n, services.save)}</button>
        </form>
    }
}

/// `/h/{katottg}/staff/services/new` and `/services/{id}/edit`.
#[component]
pub fn ServiceEditor() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id"));
    let katottg = Memo::new(move |_| params.read().get("katottg").unwrap_or_default());
    let service = LocalResource::new(move || {
        let (api, id) = (api.clone(), id.get());
        async move {
            match id {
                Some(id) => api.service(&id).await.map(Some),
                None => Ok(None),
            }
        }
    });
    view! {
        <PageHeading text=move || if id.get().is_some() { t_string!(i18n, services.edit).to_string() } else { t_string!(i18n, services.create).to_string() } />
        <Transition fallback=Loading>
            <ErrorBoundary fallback=move |errors| view! { <ErrorView errors retry=move |_| service.refetch() /> }>
                {move || Suspend::new(async move {
                    service.await.map(|s| {
                        let k = s.as_ref().map_or_else(|| katottg.get_untracked(), |s| s.summary.katottg.clone());
                        view! { <ServiceForm katottg=k service=s /> }
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn ServiceForm(katottg: String, service: Option<Service>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let navigate = use_navigate();
    let form = FormState::new();
    let s = service.as_ref();
    let situation = RwSignal::new(s.map_or(Situation::Documents, |s| s.summary.situation));
    let title = RwSignal::new(s.map_or(String::new(), |s| s.summary.title.clone()));
    let purpose = RwSignal::new(s.map_or(String::new(), |s| s.summary.purpose.clone()));
    let who = RwSignal::new(s.map_or(String::new(), |s| s.who.clone()));
    let documents = RwSignal::new(s.map_or(String::new(), |s| s.documents.join("\n")));
    let fee = RwSignal::new(s.and_then(|s| s.summary.fee).map_or(String::new(), |k| {
        if k % 100 == 0 {
            (k / 100).to_string()
        } else {
            format!("{},{:02}", k / 100, k % 100)
        }
    }));
    let fee_note = RwSignal::new(s.map_or(String::new(), |s| s.fee_note.clone()));
    let days = RwSignal::new(s.map_or("0".to_owned(), |s| s.summary.term.days.to_string()));
    let working = RwSignal::new(s.is_none_or(|s| s.summary.term.working));
    let term_note = RwSignal::new(s.map_or(String::new(), |s| s.term_note.clone()));
    let online_url = RwSignal::new(s.and_then(|s| s.online_url.clone()).unwrap_or_default());
    let keywords = RwSignal::new(s.map_or(String::new(), |s| s.keywords.join(", ")));
    let key = StoredValue::new(new_idempotency_key());
    let service_id = s.map(|s| s.summary.id.clone());
    let submit = {
        let (api, katottg, service_id, navigate) = (
            api.clone(),
            katottg.clone(),
            service_id.clone(),
            navigate.clone(),
        );
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let mut local = Vec::new();
            let fee_value = parse_fee(&fee.get_untracked()).unwrap_or_else(|_| {
                local.push(FieldError::new("fee", ErrorCode::Invalid));
                None
            });
            let days_value = days
                .get_untracked()
                .trim()
                .parse::<u16>()
                .unwrap_or_else(|_| {
                    local.push(FieldError::new("term", ErrorCode::Invalid));
                    0
                });
            let url = online_url.get_untracked().trim().to_owned();
            let draft = ServiceDraft {
                situation: situation.get_untracked(),
                title: title.get_untracked().trim().to_owned(),
                purpose: purpose.get_untracked().trim().to_owned(),
                who: who.get_untracked().trim().to_owned(),
                documents: lines(&documents.get_untracked()),
                fee: fee_value,
                fee_note: fee_note.get_untracked().trim().to_owned(),
                term: Term {
                    days: days_value,
                    working: working.get_untracked(),
                },
                term_note: term_note.get_untracked().trim().to_owned(),
                online_url: (!url.is_empty()).then_some(url),
                keywords: comma_list(&keywords.get_untracked()),
            };
            let mut errors = services::validate_service(&draft);
            errors.retain(|e| !local.iter().any(|l| l.field == e.field));
            local.extend(errors);
            if !form.begin(local) {
                return;
            }
            let (api, k, id, navigate) = (
                api.clone(),
                katottg.clone(),
                service_id.clone(),
                navigate.clone(),
            );
            spawn_local(async move {
                let result = match &id {
                    Some(id) => api.update_service(id, &draft).await,
                    None => api.create_service(&k, &draft, &key.get_value()).await,
                };
                match result {
                    Ok(s) => {
                        form.succeed(None);
                        navigate(&Page::Service(s.summary.id).path(), Default::default());
                    }
                    Err(e) => form.fail(i18n, &e),
                }
            });
        }
    };
    let remove = {
        let (api, katottg, service_id) = (api.clone(), katottg.clone(), service_id.clone());
        move |_| {
            let Some(id) = service_id.clone() else {
                return;
            };
            let sure = web_sys::window()
                .and_then(|w| {
                    w.confirm_with_message(t_string!(i18n, services.delete_confirm))
                        .ok()
                })
                .unwrap_or(false);
            if !sure || !form.begin(vec![]) {
                return;
            }
            let (api, k, navigate) = (api.clone(), katottg.clone(), navigate.clone());
            spawn_local(async move {
                match api.delete_service(&id).await {
                    Ok(()) => {
                        form.succeed(None);
                        navigate(&Page::StaffServices(k).path(), Default::default());
                    }
                    Err(e) => form.fail(i18n, &e),
                }
            });
        }
    };
    let under =
        move |field: &'static str| move || form.error_under(field).map(|c| code_text(i18n, c));
    let editing = service_id.is_some();
    view! {
        <form class="form service-editor" on:submit=submit novalidate>
            <FormMessages form />
            <div class="field">
                <label for="f-situation">{t!(i18n, services.situation)}</label>
                <select id="f-situation" on:change=move |ev| {
                    if let Some(s) = Situation::from_code(&event_target_value(&ev)) { situation.set(s) }
                }>
                    {Situation::ALL.into_iter().map(|s| view! {
                        <option value=s.code() selected=move || situation.get() == s>{move || situation_label(i18n, s)}</option>
                    }).collect_view()}
                </select>
            </div>
            <TextField form name="title" value=title>{t!(i18n, services.name)}</TextField>
            <TextField form name="purpose" value=purpose multiline=true>{t!(i18n, services.purpose)}</TextField>
            <TextField form name="who" value=who multiline=true>{t!(i18n, services.who)}</TextField>
            <div class="field">
                <label for="f-documents">{t!(i18n, services.documents)}</label>
                <p class="hint" id="f-documents-hint">{t!(i18n, services.documents_hint)}</p>
                <textarea id="f-documents" rows="6" aria-describedby="f-documents-hint f-documents-error"
                    aria-invalid=move || form.error_under("documents").is_some().to_string()
                    prop:value=move || documents.get() on:input=move |ev| documents.set(event_target_value(&ev))></textarea>
                <p class="field-error" id="f-documents-error" aria-live="polite">{under("documents")}</p>
            </div>
            <TextField form name="fee" value=fee hint=Signal::derive(move || t_string!(i18n, services.fee_hint).to_string())>{t!(i18n, services.fee)}</TextField>
            <TextField form name="fee_note" value=fee_note>{t!(i18n, services.fee_note)}</TextField>
            <TextField form name="term" value=days kind="number" hint=Signal::derive(move || t_string!(i18n, services.term_hint).to_string())>{t!(i18n, services.term_days)}</TextField>
            <label class="choice" for="f-working">
                <input type="checkbox" id="f-working" prop:checked=move || working.get() on:change=move |ev| working.set(event_target_checked(&ev)) />
                <span>{t!(i18n, services.working)}</span>
            </label>
            <TextField form name="term_note" value=term_note>{t!(i18n, services.term_note)}</TextField>
            <TextField form name="online_url" value=online_url kind="url">{t!(i18n, services.online_url)}</TextField>
            <div class="field">
                <label for="f-keywords">{t!(i18n, services.keywords)}</label>
                <p class="hint" id="f-keywords-hint">{t!(i18n, services.keywords_hint)}</p>
                <input id="f-keywords" type="text" aria-describedby="f-keywords-hint f-keywords-error"
                    aria-invalid=move || form.error_under("keywords").is_some().to_string()
                    prop:value=move || keywords.get() on:input=move |ev| keywords.set(event_target_value(&ev)) />
                <p class="field-error" id="f-keywords-error" aria-live="polite">{under("keywords")}</p>
            </div>
            <p class="actions">
                <button type="submit" class="button" disabled=move || form.pending.get()>{t!(i18n, services.save)}</button>
                {editing.then(|| view! {
                    <button type="button" class="button button-danger" id="service-delete" on:click=remove disabled=move || form.pending.get()>{t!(i18n, services.delete)}</button>
                })}
            </p>
        </form>
    }
}

/// `/h/{katottg}/staff/answers/new` and `/answers/{id}/edit`.
#[component]
pub fn AnswerEditor() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id"));
    let katottg = Memo::new(move |_| params.read().get("katottg").unwrap_or_default());
    let data = LocalResource::new(move || {
        let (api, id, k) = (api.clone(), id.get(), katottg.get());
        async move {
            let answer = match id {
                Some(id) => Some(api.answer(&id).await?),
                None => None,
            };
            let k = answer.as_ref().map_or(k, |a| a.katottg.clone());
            let services = all_services(&api, &k).await?;
            Ok::<_, ApiError>((k, answer, services))
        }
    });
    view! {
        <PageHeading text=move || if id.get().is_some() { t_string!(i18n, services.edit_answer).to_string() } else { t_string!(i18n, services.new_answer).to_string() } />
        <Transition fallback=Loading>
            <ErrorBoundary fallback=move |errors| view! { <ErrorView errors retry=move |_| data.refetch() /> }>
                {move || Suspend::new(async move {
                    data.await.map(|(katottg, answer, services)| view! { <AnswerForm katottg answer services /> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn AnswerForm(
    katottg: String,
    answer: Option<Answer>,
    services: Vec<ServiceSummary>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let navigate = use_navigate();
    let query = use_query_map();
    let form = FormState::new();
    let a = answer.as_ref();
    let question = RwSignal::new(a.map_or_else(
        || query.read_untracked().get("question").unwrap_or_default(),
        |a| a.question.clone(),
    ));
    let text = RwSignal::new(a.map_or(String::new(), |a| a.answer.clone()));
    let service = RwSignal::new(
        a.and_then(|a| a.service.as_ref().map(|s| s.id.clone()))
            .unwrap_or_default(),
    );
    let key = StoredValue::new(new_idempotency_key());
    let answer_id = a.map(|a| a.id.clone());
    let submit = {
        let (api, katottg, answer_id, navigate) = (
            api.clone(),
            katottg.clone(),
            answer_id.clone(),
            navigate.clone(),
        );
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let s = service.get_untracked();
            let draft = AnswerDraft {
                question: question.get_untracked().trim().to_owned(),
                answer: text.get_untracked().trim().to_owned(),
                service_id: (!s.is_empty()).then_some(s),
            };
            if !form.begin(services::validate_answer(&draft)) {
                return;
            }
            let (api, k, id, navigate) = (
                api.clone(),
                katottg.clone(),
                answer_id.clone(),
                navigate.clone(),
            );
            spawn_local(async move {
                let result = match &id {
                    Some(id) => api.update_answer(id, &draft).await,
                    None => api.create_answer(&k, &draft, &key.get_value()).await,
                };
                match result {
                    Ok(a) => {
                        form.succeed(None);
                        navigate(&Page::Answer(a.id).path(), Default::default());
                    }
                    Err(e) => form.fail(i18n, &e),
                }
            });
        }
    };
    let remove = {
        let (api, katottg, answer_id) = (api.clone(), katottg.clone(), answer_id.clone());
        move |_| {
            let Some(id) = answer_id.clone() else {
                return;
            };
            let sure = web_sys::window()
                .and_then(|w| {
                    w.confirm_with_message(t_string!(i18n, services.delete_answer_confirm))
                        .ok()
                })
                .unwrap_or(false);
            if !sure || !form.begin(vec![]) {
                return;
            }
            let (api, k, navigate) = (api.clone(), katottg.clone(), navigate.clone());
            spawn_local(async move {
                match api.delete_answer(&id).await {
                    Ok(()) => {
                        form.succeed(None);
                        navigate(&Page::StaffServices(k).path(), Default::default());
                    }
                    Err(e) => form.fail(i18n, &e),
                }
            });
        }
    };
    let editing = answer_id.is_some();
    let service_error = move || form.error_of("service_id").map(|c| code_text(i18n, c));
    view! {
        <form class="form answer-editor" on:submit=submit novalidate>
            <FormMessages form />
            <TextField form name="question" value=question>{t!(i18n, services.question)}</TextField>
            <TextField form name="answer" value=text multiline=true>{t!(i18n, services.answer)}</TextField>
            <div class="field">
                <label for="f-service_id">{t!(i18n, services.about_service)}</label>
                <select id="f-service_id" on:change=move |ev| service.set(event_target_value(&ev))>
                    <option value="" selected=move || service.get().is_empty()>{t!(i18n, services.no_service)}</option>
                    {services.into_iter().map(|s| {
                        let id = s.id.clone();
                        view! { <option value=s.id selected=move || service.get() == id>{s.title}</option> }
                    }).collect_view()}
                </select>
                <p class="field-error" aria-live="polite">{service_error}</p>
            </div>
            <p class="actions">
                <button type="submit" class="button" disabled=move || form.pending.get()>{t!(i18n, services.save)}</button>
                {editing.then(|| view! {
                    <button type="button" class="button button-danger" id="answer-delete" on:click=remove disabled=move || form.pending.get()>{t!(i18n, services.delete_answer)}</button>
                })}
            </p>
        </form>
    }
}

/// `/h/{katottg}/staff/consultations?status=`: the queue. Waiting ones come oldest first;
/// new questions and replies arrive live.
#[component]
pub fn StaffConsultations() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let live = use_live();
    let params = use_params_map();
    let query = use_query_map();
    let katottg = Memo::new(move |_| params.read().get("katottg").unwrap_or_default());
    Effect::new(move |_| crate::state::remember_hromada(katottg.get()));
    let status = Memo::new(move |_| {
        query
            .read()
            .get("status")
            .and_then(|s| ConsultationStatus::from_code(&s))
            .unwrap_or(ConsultationStatus::Waiting)
    });
    let first = {
        let api = api.clone();
        LocalResource::new(move || {
            let (api, k, s) = (api.clone(), katottg.get(), status.get());
            live.consultation.track();
            async move { api.staff_consultations(&k, s, None).await }
        })
    };
    let more = MorePages::after(first);
    let load_more = move |_| {
        let (api, k, s) = (api.clone(), katottg.get_untracked(), status.get_untracked());
        more.load(move |c| async move { api.staff_consultations(&k, s, Some(&c)).await });
    };
    let tab = move |s: ConsultationStatus| {
        view! {
            <a class="chip" href=move || format!("{}?status={}", Page::StaffConsultations(katottg.get()).path(), s.code())
                aria-current=move || (status.get() == s).then_some("page")>
                {move || crate::components::services::status_label(i18n, s)}
            </a>
        }
    };
    view! {
        <PageHeading text=move || t_string!(i18n, consult.queue_title).to_string() />
        <p class="lead">{t!(i18n, consult.queue_lead)}</p>
        <p class="actions">
            <A href=move || Page::StaffServices(katottg.get()).path() attr:class="button button-secondary">{t!(i18n, services.staff_title)}</A>
        </p>
        <nav class="chips tabs" aria-label=move || t_string!(i18n, consult.queue_title).to_string()>
            {tab(ConsultationStatus::Waiting)}
            {tab(ConsultationStatus::Answered)}
            {tab(ConsultationStatus::Closed)}
        </nav>
        <PagedCards first more heading=true empty=move || t_string!(i18n, consult.queue_empty).to_string()
            row=|c| view! { <ConsultationCard c /> }.into_any() />
        <MoreButton pages=more on_click=load_more />
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn lists_drop_blank_items() {
        assert_eq!(lines(" Паспорт \n\n РНОКПП\n"), ["Паспорт", "РНОКПП"]);
        assert_eq!(
            comma_list("прописка, справка;;виписка\n"),
            ["прописка", "справка", "виписка"]
        );
        assert!(lines("  \n").is_empty());
    }
}
