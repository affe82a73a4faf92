//! Consultations: asking with the assistant's suggestions while typing, the conversation
//! with the hromada's staff (replies arrive live), and turning it into a formal appeal.

use crate::api::{new_idempotency_key, use_api};
use crate::components::form::{FormMessages, FormState, code_text};
use crate::components::layout::PageHeading;
use crate::components::more::{MoreButton, MorePages, PagedCards};
use crate::components::services::{Hits, ref_path, status_label, use_search};
use crate::components::states::{AfterSession, ErrorView, Loading};
use crate::format::{local_date_time, paragraphs};
use crate::i18n::*;
use crate::live::use_live;
use crate::pages::appeals::draft::Draft as AppealDraft;
use crate::routes::{Page, sign_in_then};
use crate::state::{Auth, load, store, use_session};
use hromada_api::appeals::{self, AppealKind};
use hromada_api::services::{
    self, Consultation, ConsultationStatus, ConsultationSummary, Hit, LinkRef, MESSAGE_MAX,
    NewMessage, Sender,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

/// A question being written, kept in the browser (one per hromada) with the key that makes
/// sending it twice harmless.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AskDraft {
    pub text: String,
    pub key: String,
}

impl AskDraft {
    fn storage_key(katottg: &str) -> String {
        format!("hromada.ask-draft.{katottg}")
    }

    /// The question kept for this hromada, if any.
    pub fn load(katottg: &str) -> Option<Self> {
        load(&Self::storage_key(katottg))
    }

    /// Keeps it (an empty one is forgotten).
    pub fn save(&self, katottg: &str) {
        let value = (!self.text.trim().is_empty()).then_some(self);
        store(&Self::storage_key(katottg), value);
    }

    /// Forgets it (after sending).
    pub fn clear(katottg: &str) {
        store::<AskDraft>(&Self::storage_key(katottg), None);
    }

    /// Forgets the question an outbox delivery was made of: the one asked at `url`
    /// (`…/hromadas/{katottg}/consultations`) with this key.
    pub fn delivered(url: &str, key: &str) {
        if let Some(k) = crate::offline::hromada_of(url, "consultations")
            && Self::load(k).is_some_and(|d| !key.is_empty() && d.key == key)
        {
            Self::clear(k);
        }
    }
}

/// Characters left of a message's limit (negative when over).
pub fn message_chars_left(text: &str) -> i64 {
    MESSAGE_MAX as i64 - text.trim().chars().count() as i64
}

/// The appeal a consultation becomes: an application whose subject is the consultation's
/// and whose text is what the resident wrote, within the appeal's limits.
pub fn appeal_from(c: &Consultation, mut draft: AppealDraft) -> AppealDraft {
    let text = c
        .messages
        .iter()
        .filter(|m| m.sender == Sender::Resident)
        .map(|m| m.text.trim())
        .collect::<Vec<_>>()
        .join("\n\n");
    draft.kind = AppealKind::Application.code().to_owned();
    draft.subject = c
        .summary
        .subject
        .chars()
        .take(appeals::SUBJECT_MAX)
        .collect();
    draft.text = text.chars().take(appeals::TEXT_MAX).collect();
    draft
}

/// `/h/{katottg}/ask?about={service}`: a new question. While it is typed the assistant
/// suggests services and answers; sending it hands it to the hromada's staff.
#[component]
pub fn Ask() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let params = use_params_map();
    let katottg = Memo::new(move |_| params.read().get("katottg").unwrap_or_default());
    Effect::new(move |_| crate::state::remember_hromada(katottg.get()));
    view! {
        <PageHeading text=move || t_string!(i18n, consult.ask_title).to_string() />
        {move || match session.0.get() {
            Auth::Checking => view! { <Loading /> }.into_any(),
            auth => {
                let signed_in = matches!(auth, Auth::SignedIn(_));
                view! { <AskForm katottg=katottg.get() signed_in /> }.into_any()
            }
        }}
    }
}

#[component]
fn AskForm(katottg: String, signed_in: bool) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let navigate = use_navigate();
    let query = use_query_map();
    let form = FormState::new();
    let mut d = AskDraft::load(&katottg).unwrap_or_default();
    if d.key.is_empty() {
        d.key = new_idempotency_key();
    }
    let text = RwSignal::new(d.text.clone());
    let key = StoredValue::new(d.key.clone());
    // Asked from a service's page: start with its name.
    if text.get_untracked().trim().is_empty()
        && let Some(about) = query.read_untracked().get("about")
    {
        let api = api.clone();
        spawn_local(async move {
            if let Ok(s) = api.service(&about).await
                && text.get_untracked().trim().is_empty()
            {
                text.set(
                    t_string!(i18n, consult.about_prefix, title = s.summary.title.clone())
                        .to_string(),
                );
            }
        });
    }
    let k_save = katottg.clone();
    Effect::new(move |_| {
        AskDraft {
            text: text.get(),
            key: key.get_value(),
        }
        .save(&k_save)
    });
    let k_sig = Signal::stored(katottg.clone());
    let hits = use_search(k_sig, text.into());
    let here = Page::Ask(katottg.clone()).path();
    let submit = {
        let katottg = katottg.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let message = NewMessage {
                text: text.get_untracked().trim().to_owned(),
                links: vec![],
            };
            if !form.begin(services::validate_message(&message)) {
                return;
            }
            let (api, k, navigate) = (api.clone(), katottg.clone(), navigate.clone());
            spawn_local(async move {
                match api.ask(&k, &message, &key.get_value()).await {
                    Ok(c) => {
                        form.succeed(None);
                        AskDraft::clear(&k);
                        navigate(&Page::Consultation(c.summary.id).path(), Default::default());
                    }
                    Err(e) => form.fail(i18n, &e),
                }
            });
        }
    };
    let error = move || form.error_of("text").map(|c| code_text(i18n, c));
    let left = move || message_chars_left(&text.get());
    view! {
        <ol class="chat" aria-label=move || t_string!(i18n, consult.conversation).to_string()>
            <li class="bubble bubble-assistant">
                <p class="bubble-who">{t!(i18n, consult.assistant)}</p>
                <p>{t!(i18n, consult.greeting)}</p>
            </li>
        </ol>
        <form class="form composer" on:submit=submit novalidate>
            <FormMessages form />
            <div class="field">
                <label for="f-text">{t!(i18n, consult.your_question)}</label>
                <textarea id="f-text" rows="4" aria-describedby="f-text-left f-text-error"
                    aria-invalid=move || form.error_of("text").is_some().to_string()
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                <p id="f-text-left" class="hint" class:over=move || left() < 0>
                    {move || t_string!(i18n, consult.chars_left, count = left()).to_string()}
                </p>
                <p id="f-text-error" class="field-error" aria-live="polite">{error}</p>
            </div>
            <section class="suggestions" aria-live="polite" aria-labelledby="suggest-h">
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        match hits.await {
                            None => ().into_any(),
                            Some(Ok(h)) if h.is_empty() => view! {
                                <p class="bubble bubble-assistant" id="suggest-h">{t!(i18n, consult.no_suggestions)}</p>
                            }.into_any(),
                            Some(Ok(h)) => view! {
                                <div class="bubble bubble-assistant">
                                    <p class="bubble-who" id="suggest-h">{t!(i18n, consult.maybe)}</p>
                                    <Hits hits=h id="suggestions" />
                                </div>
                            }.into_any(),
                            Some(Err(e)) => view! { <p class="hint" id="suggest-h">{crate::components::states::error_text(i18n, &e)}</p> }.into_any(),
                        }
                    })}
                </Transition>
            </section>
            {if signed_in {
                view! {
                    <p class="hint">{t!(i18n, consult.send_hint)}</p>
                    <button type="submit" class="button" id="ask-send" disabled=move || form.pending.get()>{t!(i18n, consult.send)}</button>
                }.into_any()
            } else {
                view! {
                    <div class="card">
                        <p>{t!(i18n, consult.sign_in_to_ask)}</p>
                        <p class="actions">
                            <A href=sign_in_then(&here) attr:class="button">{t!(i18n, nav.sign_in)}</A>
                            <A href=Page::SignUp.path() attr:class="button button-secondary">{t!(i18n, account.sign_up_title)}</A>
                        </p>
                    </div>
                }.into_any()
            }}
        </form>
    }
}

/// `/consultations`: the person's consultations, latest first.
#[component]
pub fn MyConsultations() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let first = {
        let api = api.clone();
        LocalResource::new(move || {
            let api = api.clone();
            session.0.track();
            async move { api.my_consultations(None).await }
        })
    };
    let more = MorePages::after(first);
    let load_more = Callback::new(move |_: ()| {
        let api = api.clone();
        more.load(move |c| async move { api.my_consultations(Some(&c)).await });
    });
    let place = crate::state::use_place();
    view! {
        <PageHeading text=move || t_string!(i18n, consult.mine_title).to_string() />
        {move || match session.0.get() {
            Auth::Checking => view! { <Loading /> }.into_any(),
            Auth::SignedOut => view! {
                <div class="card">
                    <p>{t!(i18n, consult.sign_in_to_see)}</p>
                    <p class="actions"><A href=sign_in_then(&Page::MyConsultations.path()) attr:class="button">{t!(i18n, nav.sign_in)}</A></p>
                </div>
            }.into_any(),
            Auth::SignedIn(me) => {
                let k = place.0.get().map_or(me.hromada.katottg.clone(), |h| h.katottg);
                view! {
                    <p class="actions"><A href=Page::Ask(k).path() attr:class="button">{t!(i18n, consult.ask)}</A></p>
                    <PagedCards first more heading=true empty=move || t_string!(i18n, consult.none).to_string()
                        row=|c| view! { <ConsultationCard c /> }.into_any() />
                    <MoreButton pages=more on_click=load_more />
                }.into_any()
            }
        }}
    }
}

/// A consultation in a list.
#[component]
pub fn ConsultationCard(c: ConsultationSummary) -> impl IntoView {
    let i18n = use_i18n();
    let status = c.status;
    let since = c.waiting_since.clone().unwrap_or(c.updated_at.clone());
    view! {
        <li class="card consultation-card">
            <h3><A href=Page::Consultation(c.id.clone()).path()>{c.subject}</A></h3>
            <p class="meta">
                <span class=format!("badge consult-{}", status.code())>{move || status_label(i18n, status)}</span>
                " · "{c.author}" · "
                <time datetime=since.clone()>{local_date_time(&since)}</time>
                " · "{move || t_string!(i18n, consult.messages, count = c.message_count).to_string()}
            </p>
        </li>
    }
}

/// `/consultations/{id}`: the conversation.
#[component]
pub fn ConsultationPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let live = use_live();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let consultation = LocalResource::new(move || {
        let (api, id) = (api.clone(), id.get());
        async move { api.consultation(&id).await }
    });
    // A reply (for the resident) or a new message (for staff) arrives live.
    Effect::new(move |_| {
        let about_this = live
            .notice
            .get()
            .and_then(|n| n.consultation)
            .is_some_and(|c| c.id == id.get_untracked());
        if about_this {
            consultation.refetch();
        }
    });
    Effect::new(move |_| {
        if live.consultation.get().as_deref() == Some(id.get_untracked().as_str()) {
            consultation.refetch();
        }
    });
    let changed = Callback::new(move |_: ()| consultation.refetch());
    // The reply box lives outside the conversation, which is drawn again whenever a
    // message arrives: what the person is typing, and the focus, stay where they are.
    let reply_to = Memo::new(move |_| match consultation.get() {
        Some(Ok(c)) => Some(ReplyTo {
            id: c.summary.id,
            katottg: c.summary.katottg,
            // Only its author and the hromada's staff are shown a consultation.
            staff: !c.mine,
        }),
        _ => None,
    });
    view! {
        <Transition fallback=Loading>
            <ErrorBoundary fallback=move |errors| view! {
                <PageHeading text=move || t_string!(i18n, consult.one).to_string() />
                <ErrorView errors retry=move |_| consultation.refetch() />
            }>
                <AfterSession>
                    {move || Suspend::new(async move {
                        consultation.await.map(|c| view! { <ConsultationView c /> })
                    })}
                </AfterSession>
            </ErrorBoundary>
        </Transition>
        {move || reply_to.get().map(|to| view! { <Reply to changed /> })}
        {move || match consultation.get() {
            Some(Ok(c)) => Some(view! { <ConsultationActions c changed /> }),
            _ => None,
        }}
    }
}

/// What the reply box writes to.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ReplyTo {
    id: String,
    katottg: String,
    /// Staff answer (with links); otherwise the resident writes again.
    staff: bool,
}

#[component]
fn ConsultationView(c: Consultation) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let k = c.summary.katottg.clone();
    Effect::new(move |_| crate::state::remember_hromada(k.clone()));
    let staff = session
        .me()
        .is_some_and(|me| me.is_staff_of(&c.summary.katottg) || me.admin);
    let subject = c.summary.subject.clone();
    let status = c.summary.status;
    let mine = c.mine;
    let back = if staff && !mine {
        Page::StaffConsultations(c.summary.katottg.clone()).path()
    } else {
        Page::MyConsultations.path()
    };
    view! {
        <p><A href=back>{move || if staff && !mine { t_string!(i18n, consult.queue_title) } else { t_string!(i18n, consult.mine_title) }}</A></p>
        <PageHeading text=move || subject.clone() />
        <p class="meta">
            <span class=format!("badge consult-{}", status.code()) id="consult-status">{move || status_label(i18n, status)}</span>
            " · "{c.summary.author.clone()}" · "{local_date_time(&c.summary.created_at)}
        </p>
        <ol class="chat" aria-label=move || t_string!(i18n, consult.conversation).to_string()>
            {c.messages.clone().into_iter().map(|m| {
                let class = match m.sender {
                    Sender::Resident => "bubble bubble-resident",
                    Sender::Staff => "bubble bubble-staff",
                };
                let who = match m.sender {
                    Sender::Resident => m.name.clone(),
                    Sender::Staff => t_string!(i18n, consult.staff_name, name = m.name.clone()).to_string(),
                };
                view! {
                    <li class=class>
                        <p class="bubble-who">{who}" · "<time datetime=m.at.clone()>{local_date_time(&m.at)}</time></p>
                        {paragraphs(&m.text).into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
                        {(!m.links.is_empty()).then(|| view! {
                            <ul class="links">
                                {m.links.into_iter().map(|l| view! { <li><A href=ref_path(l.kind, &l.id)>{l.title}</A></li> }).collect_view()}
                            </ul>
                        })}
                    </li>
                }
            }).collect_view()}
            {(status == ConsultationStatus::Waiting && mine).then(|| view! {
                <li class="bubble bubble-assistant" id="waiting-note">
                    <p class="bubble-who">{t!(i18n, consult.assistant)}</p>
                    <p>{t!(i18n, consult.waiting_note)}</p>
                </li>
            })}
        </ol>
    }
}

/// What may be done with a consultation besides writing: mark it solved (or close it),
/// and, for its author, make it a formal appeal.
#[component]
fn ConsultationActions(c: Consultation, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let api = use_api();
    let status = c.summary.status;
    let mine = c.mine;
    let closing = FormState::new();
    let close = {
        let (api, id) = (api.clone(), c.summary.id.clone());
        move |_| {
            if !closing.begin(vec![]) {
                return;
            }
            let (api, id) = (api.clone(), id.clone());
            spawn_local(async move {
                match api.close_consultation(&id).await {
                    Ok(_) => {
                        closing.succeed(None);
                        changed.run(());
                    }
                    Err(e) => closing.fail(i18n, &e),
                }
            });
        }
    };
    let to_appeal = {
        let c = c.clone();
        move |_| {
            let k = c.summary.katottg.clone();
            let draft = appeal_from(&c, AppealDraft::load(&k).unwrap_or_default());
            draft.save(&k);
            navigate(&Page::AppealNew(k).path(), Default::default());
        }
    };
    view! {
        <FormMessages form=closing />
        <p class="actions">
            {(status != ConsultationStatus::Closed).then(|| view! {
                <button type="button" class="button button-secondary" id="consult-close" on:click=close disabled=move || closing.pending.get()>
                    {move || if mine { t_string!(i18n, consult.solved) } else { t_string!(i18n, consult.close) }}
                </button>
            })}
            {mine.then(|| view! {
                <button type="button" class="button button-secondary" id="to-appeal" on:click=to_appeal>{t!(i18n, consult.to_appeal)}</button>
            })}
        </p>
        {mine.then(|| view! { <p class="hint">{t!(i18n, consult.to_appeal_hint)}</p> })}
    }
}

/// The reply box: the resident writes again, staff answer with links to the catalogue.
#[component]
fn Reply(to: ReplyTo, changed: Callback<()>) -> impl IntoView {
    let staff = to.staff;
    let i18n = use_i18n();
    let api = use_api();
    let form = FormState::new();
    let text = RwSignal::new(String::new());
    let links = RwSignal::new(Vec::<Hit>::new());
    let key = RwSignal::new(new_idempotency_key());
    let id = to.id.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let message = NewMessage {
            text: text.get_untracked().trim().to_owned(),
            links: links.with_untracked(|l| {
                l.iter()
                    .map(|h| LinkRef {
                        kind: h.kind,
                        id: h.id.clone(),
                    })
                    .collect()
            }),
        };
        if !form.begin(services::validate_message(&message)) {
            return;
        }
        let (api, id) = (api.clone(), id.clone());
        spawn_local(async move {
            match api.write_message(&id, &message, &key.get_untracked()).await {
                Ok(_) => {
                    form.succeed(None);
                    text.set(String::new());
                    links.set(vec![]);
                    key.set(new_idempotency_key());
                    changed.run(());
                }
                Err(e) => form.fail(i18n, &e),
            }
        });
    };
    // Written without a network, the message waited in the outbox: once delivered, the
    // box is emptied and the conversation shows it.
    let offline = crate::offline::use_offline();
    Effect::new(move |_| {
        if let Some(d) = offline.delivered.get()
            && d.kind == "message"
            && d.key.as_deref() == Some(key.get_untracked().as_str())
        {
            form.succeed(None);
            text.set(String::new());
            links.set(vec![]);
            key.set(new_idempotency_key());
            changed.run(());
        }
    });
    let error = move || form.error_of("text").map(|c| code_text(i18n, c));
    let links_error = move || form.error_under("links").map(|c| code_text(i18n, c));
    let left = move || message_chars_left(&text.get());
    let label = if staff {
        t_string!(i18n, consult.reply_staff).to_string()
    } else {
        t_string!(i18n, consult.reply_resident).to_string()
    };
    view! {
        <form class="form composer" on:submit=submit novalidate>
            <FormMessages form />
            <div class="field">
                <label for="f-reply">{label}</label>
                <textarea id="f-reply" rows="4" aria-describedby="f-reply-left f-reply-error"
                    aria-invalid=move || form.error_of("text").is_some().to_string()
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                <p id="f-reply-left" class="hint" class:over=move || left() < 0>
                    {move || t_string!(i18n, consult.chars_left, count = left()).to_string()}
                </p>
                <p id="f-reply-error" class="field-error" aria-live="polite">{error}</p>
            </div>
            {staff.then(|| view! { <LinkPicker katottg=to.katottg.clone() links /> })}
            <p class="field-error" aria-live="polite">{links_error}</p>
            <button type="submit" class="button" id="reply-send" disabled=move || form.pending.get()>{t!(i18n, consult.send_reply)}</button>
        </form>
    }
}

/// Staff attach services and answers to a reply, found with the catalogue's search.
#[component]
fn LinkPicker(katottg: String, links: RwSignal<Vec<Hit>>) -> impl IntoView {
    let i18n = use_i18n();
    let typed = RwSignal::new(String::new());
    let hits = use_search(Signal::stored(katottg), typed.into());
    view! {
        <fieldset class="field link-picker">
            <legend>{t!(i18n, consult.links)}</legend>
            <ul class="chips" id="attached">
                <For each=move || links.get() key=|h| (h.kind, h.id.clone()) let:h>
                    {
                        let id = h.id.clone();
                        view! {
                            <li class="chip">
                                {h.title.clone()}" "
                                <button type="button" class="link-button" on:click=move |_| links.update(|l| l.retain(|x| x.id != id))
                                    aria-label=move || t_string!(i18n, consult.unlink).to_string()>"×"</button>
                            </li>
                        }
                    }
                </For>
            </ul>
            <label for="f-link-q">{t!(i18n, consult.link_search)}</label>
            <input id="f-link-q" type="search" autocomplete="off"
                prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev)) />
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match hits.await {
                        Some(Ok(h)) => view! {
                            <ul class="hits" id="link-hits">
                                {h.into_iter().map(|h| {
                                    let title = h.title.clone();
                                    let hid = h.id.clone();
                                    let off = move || links.with(|l| l.len() >= services::LINKS_MAX || l.iter().any(|x| x.id == hid));
                                    view! {
                                        <li class="hit">
                                            <span>{title}</span>" "
                                            <button type="button" class="button button-small button-secondary"
                                                disabled=off
                                                on:click=move |_| links.update(|l| if !l.iter().any(|x| x.id == h.id) { l.push(h.clone()) })>
                                                {t!(i18n, consult.attach)}
                                            </button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        _ => ().into_any(),
                    }
                })}
            </Transition>
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hromada_api::services::Message;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn message(sender: Sender, text: &str) -> Message {
        Message {
            id: "m".into(),
            sender,
            name: "Ім'я".into(),
            text: text.into(),
            links: vec![],
            at: "2026-11-23T10:00:00Z".into(),
        }
    }

    #[wasm_bindgen_test]
    fn a_consultation_becomes_an_application_with_the_residents_words() {
        let c = Consultation {
            summary: ConsultationSummary {
                id: "c".into(),
                katottg: "UA1".into(),
                subject: "Як отримати довідку про склад сім'ї?".into(),
                status: ConsultationStatus::Answered,
                author: "Марія".into(),
                message_count: 3,
                created_at: "2026-11-23T10:00:00Z".into(),
                updated_at: "2026-11-23T11:00:00Z".into(),
                waiting_since: None,
            },
            messages: vec![
                message(Sender::Resident, " Як отримати довідку про склад сім'ї? "),
                message(Sender::Staff, "У ЦНАП, з паспортом."),
                message(Sender::Resident, "А якщо паспорт втрачено?"),
            ],
            mine: true,
        };
        let kept = AppealDraft {
            full_name: "Марія Іваненко".into(),
            ..Default::default()
        };
        let d = appeal_from(&c, kept);
        assert_eq!(d.kind, "application");
        assert_eq!(d.subject, "Як отримати довідку про склад сім'ї?");
        assert_eq!(
            d.text,
            "Як отримати довідку про склад сім'ї?\n\nА якщо паспорт втрачено?"
        );
        assert_eq!(d.full_name, "Марія Іваненко", "contacts are kept");
    }

    #[wasm_bindgen_test]
    fn questions_are_kept_until_sent() {
        let k = "UA-test-ask";
        AskDraft::clear(k);
        assert_eq!(AskDraft::load(k), None);
        let d = AskDraft {
            text: "Довідка".into(),
            key: "k1".into(),
        };
        d.save(k);
        assert_eq!(AskDraft::load(k), Some(d));
        AskDraft {
            text: "  ".into(),
            key: "k1".into(),
        }
        .save(k);
        assert_eq!(AskDraft::load(k), None);
        assert_eq!(message_chars_left(" ab "), 1_998);
        assert_eq!(message_chars_left(&"я".repeat(2_001)), -1);
    }
}
