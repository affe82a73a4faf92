//! `/h/{katottg}/staff`: the staff desk; for now, the queue of residents who asked to have
//! their residence confirmed.

use crate::api::use_api;
use crate::components::form::{FormMessages, FormState, TextField};
use crate::components::layout::PageHeading;
use crate::components::states::{Empty, ErrorView, Loading};
use crate::format::date;
use crate::i18n::*;
use crate::routes::Page;
use hromada_api::{VerificationDecision, VerificationRequest, validate};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// The staff desk of one hromada.
#[component]
pub fn StaffDesk() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let params = use_params_map();
    let katottg = Memo::new(move |_| params.read().get("katottg").unwrap_or_default());
    Effect::new(move |_| crate::state::remember_hromada(katottg.get()));
    let queue = LocalResource::new(move || {
        let api = api.clone();
        let k = katottg.get();
        async move { api.verifications(&k, None).await }
    });
    let done = RwSignal::new(Vec::<String>::new());
    view! {
        <PageHeading text=move || t_string!(i18n, staff.title).to_string() />
        <nav class="actions" aria-label=move || t_string!(i18n, staff.title).to_string()>
            <A href=move || Page::StaffNews(katottg.get()).path() attr:class="button">{t!(i18n, staff.news_title)}</A>
            <A href=move || Page::StaffAlerts(katottg.get()).path() attr:class="button">{t!(i18n, alerts.title)}</A>
            <A href=move || Page::StaffAppeals(katottg.get()).path() attr:class="button">{t!(i18n, inbox.title)}</A>
            <A href=move || Page::StaffCategories(katottg.get()).path() attr:class="button button-secondary">{t!(i18n, categories.title)}</A>
            <A href=move || Page::StaffPetitions(katottg.get()).path() attr:class="button">{t!(i18n, staff_petitions.title)}</A>
            <A href=move || Page::StaffBudget(katottg.get()).path() attr:class="button">{t!(i18n, budget.title)}</A>
            <A href=move || Page::StaffPolls(katottg.get()).path() attr:class="button">{t!(i18n, polls.title)}</A>
            <A href=move || Page::StaffConsultations(katottg.get()).path() attr:class="button">{t!(i18n, consult.queue_title)}</A>
            <A href=move || Page::StaffServices(katottg.get()).path() attr:class="button button-secondary">{t!(i18n, services.staff_title)}</A>
        </nav>
        <section aria-labelledby="queue-h">
            <h2 id="queue-h">{t!(i18n, staff.queue_title)}</h2>
            <p class="hint">{t!(i18n, staff.queue_explain)}</p>
            <Transition fallback=Loading>
                <ErrorBoundary fallback=move |errors| view! { <ErrorView errors retry=move |_| queue.refetch() /> }>
                    {move || Suspend::new(async move {
                        queue.await.map(|page| {
                            let items = page.items;
                            view! {
                                <Show
                                    when={
                                        let n = items.len();
                                        move || done.with(|d| d.len()) < n
                                    }
                                    fallback=move || view! { <Empty>{t!(i18n, staff.queue_empty)}</Empty> }
                                >
                                    <ul class="cards">
                                        {items.clone().into_iter().map(|r| view! {
                                            <Request r katottg=katottg.get_untracked() done />
                                        }).collect_view()}
                                    </ul>
                                </Show>
                            }
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
fn Request(r: VerificationRequest, katottg: String, done: RwSignal<Vec<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let form = FormState::new();
    let note = RwSignal::new(String::new());
    let refusing = RwSignal::new(false);
    let id = r.user_id.clone();
    let hidden = {
        let id = id.clone();
        move || done.with(|d| d.contains(&id))
    };
    let decide = move |verify: bool| {
        let mut errors = vec![];
        let note_text = note.get_untracked().trim().to_owned();
        if !verify {
            validate::text("note", &note_text, 1, validate::NOTE_MAX, &mut errors);
        }
        if !form.begin(errors) {
            return;
        }
        let decision = VerificationDecision {
            verify,
            note: (!verify).then_some(note_text),
        };
        let (api, k, id) = (api.clone(), katottg.clone(), id.clone());
        spawn_local(async move {
            match api.decide_verification(&k, &id, &decision).await {
                Ok(()) => {
                    form.succeed(None);
                    done.update(|d| d.push(id));
                }
                Err(e) => form.fail(i18n, &e),
            }
        });
    };
    let decide_refuse = decide.clone();
    let heading_id = format!("req-{}", r.user_id);
    let label_id = heading_id.clone();
    view! {
        <li class="card" hidden=hidden aria-labelledby=label_id>
            <h3 id=heading_id>{r.full_name.clone()}</h3>
            <dl class="facts">
                <dt>{t!(i18n, account.email)}</dt>
                <dd>{r.email.clone()}</dd>
                <dt>{t!(i18n, account.address)}</dt>
                <dd>{r.address.clone()}</dd>
                <dt>{t!(i18n, staff.requested)}</dt>
                <dd>{date(&r.requested_at)}</dd>
            </dl>
            <FormMessages form />
            <Show when=move || refusing.get()>
                <TextField form name="note" value=note multiline=true>
                    {t!(i18n, staff.refuse_note)}
                </TextField>
            </Show>
            <div class="actions">
                <button type="button" class="button" disabled=move || form.pending.get() on:click={
                    let decide = decide.clone();
                    move |_| decide(true)
                }>
                    {t!(i18n, staff.verify)}
                </button>
                <button type="button" class="button button-danger" disabled=move || form.pending.get() on:click=move |_| {
                    if refusing.get_untracked() { decide_refuse(false) } else { refusing.set(true) }
                }>
                    {move || if refusing.get() { t_string!(i18n, staff.refuse_confirm).to_string() } else { t_string!(i18n, staff.refuse).to_string() }}
                </button>
            </div>
        </li>
    }
}
