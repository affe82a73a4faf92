//! The staff's side of petitions: the moderation queue, the petitions awaiting an answer,
//! the hromada's petition rules, and the steps on one petition.

use crate::api::{PetitionQuery, use_api};
use crate::components::appeals::now_ms;
use crate::components::form::{FormMessages, FormState, TextField, code_text};
use crate::components::layout::PageHeading;
use crate::components::more::{MoreButton, MorePages, PagedCards};
use crate::components::petitions::{PetitionCard, decision_label};
use crate::i18n::*;
use crate::routes::Page;
use hromada_api::petitions::{
    self, AnswerDraft, Decision, Moderation, Petition, PetitionSettings, PetitionSort,
    PetitionStatus, PetitionSummary,
};
use hromada_api::time::parse_rfc3339;
use hromada_api::workdays::working_days_since;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// `/h/{katottg}/staff/petitions`.
#[component]
pub fn StaffPetitions() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let katottg = Memo::new(move |_| params.read().get("katottg").unwrap_or_default());
    Effect::new(move |_| crate::state::remember_hromada(katottg.get()));
    view! {
        <PageHeading text=move || t_string!(i18n, staff_petitions.title).to_string() />
        <p class="actions">
            <A href=move || Page::Staff(katottg.get()).path() attr:class="button button-secondary">{t!(i18n, staff.back_to_desk)}</A>
            <A href=move || Page::Petitions(katottg.get()).path() attr:class="button button-secondary">{t!(i18n, petitions.title)}</A>
        </p>
        <section aria-labelledby="moderation-h">
            <h2 id="moderation-h">{t!(i18n, staff_petitions.moderation)}</h2>
            <p class="hint">{t!(i18n, staff_petitions.moderation_hint)}</p>
            {move || view! { <Queue katottg=katottg.get() status=PetitionStatus::Moderation /> }}
        </section>
        <section aria-labelledby="consideration-h">
            <h2 id="consideration-h">{t!(i18n, staff_petitions.consideration)}</h2>
            <p class="hint">{t!(i18n, staff_petitions.consideration_hint)}</p>
            {move || view! { <Queue katottg=katottg.get() status=PetitionStatus::Consideration /> }}
        </section>
        {move || view! { <Settings katottg=katottg.get() /> }}
    }
}

/// The petitions waiting for staff in one state, oldest first, with how long they waited.
#[component]
fn Queue(katottg: String, status: PetitionStatus) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let filter = PetitionQuery {
        status,
        sort: PetitionSort::EndingSoon,
        q: String::new(),
    };
    let first = {
        let (api, k, f) = (api.clone(), katottg.clone(), filter.clone());
        LocalResource::new(move || {
            let (api, k, f) = (api.clone(), k.clone(), f.clone());
            async move { api.petitions(&k, &f, None).await }
        })
    };
    let more = MorePages::after(first);
    let load_more = move |_| {
        let (api, k, f) = (api.clone(), katottg.clone(), filter.clone());
        more.load(move |c| async move { api.petitions(&k, &f, Some(&c)).await });
    };
    view! {
        <PagedCards first more empty=move || t_string!(i18n, staff_petitions.none).to_string()
            row=|p| view! { <Waiting p /> }.into_any() />
        <MoreButton pages=more on_click=load_more />
    }
}

/// A card with how many working days the petition has waited.
#[component]
fn Waiting(p: PetitionSummary) -> impl IntoView {
    let i18n = use_i18n();
    let since = if p.status == PetitionStatus::Moderation {
        Some(p.submitted_at.clone())
    } else {
        p.published_at.clone()
    };
    let waited = since
        .as_deref()
        .and_then(parse_rfc3339)
        .map(|t| working_days_since(t, now_ms()));
    view! {
        <li class="waiting">
            {waited.map(|count| view! { <p class="meta waited">{move || t_string!(i18n, staff_petitions.waited, count).to_string()}</p> })}
            <ul class="cards"><PetitionCard p /></ul>
        </li>
    }
}

/// The hromada's rules: signatures needed, days to collect, verified residents only.
#[component]
fn Settings(katottg: String) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let form = FormState::new();
    let signatures = RwSignal::new(String::new());
    let days = RwSignal::new(String::new());
    let verified_only = RwSignal::new(true);
    {
        let (api, k) = (api.clone(), katottg.clone());
        spawn_local(async move {
            if let Ok(h) = api.hromada(&k).await {
                signatures.set(h.settings.petition_signatures.to_string());
                days.set(h.settings.petition_days.to_string());
                verified_only.set(h.settings.petition_verified_only);
            }
        });
    }
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let settings = PetitionSettings {
            signatures: signatures.get_untracked().trim().parse().unwrap_or(0),
            days: days.get_untracked().trim().parse().unwrap_or(0),
            verified_only: verified_only.get_untracked(),
        };
        if !form.begin(petitions::validate_settings(&settings)) {
            return;
        }
        let (api, k) = (api.clone(), katottg.clone());
        spawn_local(async move {
            match api.set_petition_settings(&k, &settings).await {
                Ok(()) => form.succeed(Some(t_string!(i18n, staff_petitions.saved).to_string())),
                Err(e) => form.fail(i18n, &e),
            }
        });
    };
    let range = |r: (u32, u32)| format!("{}–{}", r.0, r.1);
    view! {
        <section class="card" aria-labelledby="settings-h">
            <h2 id="settings-h">{t!(i18n, staff_petitions.settings)}</h2>
            <form class="form" on:submit=submit novalidate>
                <FormMessages form />
                <TextField form name="signatures" value=signatures kind="number"
                    hint=Signal::derive(move || t_string!(i18n, staff_petitions.range, range = range(petitions::SIGNATURES_RANGE)).to_string())>
                    {t!(i18n, staff_petitions.signatures)}
                </TextField>
                <TextField form name="days" value=days kind="number"
                    hint=Signal::derive(move || t_string!(i18n, staff_petitions.range, range = range(petitions::DAYS_RANGE)).to_string())>
                    {t!(i18n, staff_petitions.days)}
                </TextField>
                <label class="choice" for="f-verified_only">
                    <input type="checkbox" id="f-verified_only" prop:checked=move || verified_only.get()
                        on:change=move |ev| verified_only.set(event_target_checked(&ev)) />
                    <span>{t!(i18n, staff_petitions.verified_only)}</span>
                </label>
                <p class="hint">{t!(i18n, staff_petitions.settings_hint)}</p>
                <button type="submit" class="button" disabled=move || form.pending.get()>{t!(i18n, staff_petitions.save)}</button>
            </form>
        </section>
    }
}

/// Publish or reject a petition in moderation; answer one under consideration.
#[component]
pub fn PetitionStaffPanel(p: Petition, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let id = p.summary.id.clone();
    match p.summary.status {
        PetitionStatus::Moderation => view! {
            <section class="card staff-panel" aria-labelledby="pstaff-h">
                <h2 id="pstaff-h">{t!(i18n, staff_petitions.moderate)}</h2>
                <ModerationForm id changed />
            </section>
        }
        .into_any(),
        PetitionStatus::Consideration => view! {
            <section class="card staff-panel" aria-labelledby="pstaff-h">
                <h2 id="pstaff-h">{t!(i18n, staff_petitions.answer)}</h2>
                <AnswerForm id changed />
            </section>
        }
        .into_any(),
        _ => ().into_any(),
    }
}

#[component]
fn ModerationForm(id: String, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let form = FormState::new();
    let reason = RwSignal::new(String::new());
    let send = move |decision: Moderation| {
        if !form.begin(petitions::validate_moderation(&decision)) {
            return;
        }
        let (api, id) = (api.clone(), id.clone());
        spawn_local(async move {
            match api.moderate_petition(&id, &decision).await {
                Ok(_) => {
                    form.succeed(None);
                    changed.run(());
                }
                Err(e) => form.fail(i18n, &e),
            }
        });
    };
    let publish = {
        let send = send.clone();
        move |_| send(Moderation::Publish)
    };
    let reject = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        send(Moderation::Reject {
            reason: reason.get_untracked().trim().to_owned(),
        });
    };
    view! {
        <FormMessages form />
        <p class="actions">
            <button type="button" class="button" on:click=publish disabled=move || form.pending.get()>{t!(i18n, staff_petitions.publish)}</button>
        </p>
        <details class="step-form">
            <summary>{t!(i18n, staff_petitions.reject)}</summary>
            <form class="form" on:submit=reject novalidate>
                <TextField form name="reason" id="f-reject-reason" value=reason multiline=true>{t!(i18n, staff_petitions.reason)}</TextField>
                <button type="submit" class="button button-danger" disabled=move || form.pending.get()>{t!(i18n, staff_petitions.reject)}</button>
            </form>
        </details>
    }
}

#[component]
fn AnswerForm(id: String, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let form = FormState::new();
    let decision = RwSignal::new(None::<Decision>);
    let text = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(d) = decision.get_untracked() else {
            form.begin(vec![hromada_api::FieldError::new(
                "decision",
                hromada_api::ErrorCode::Required,
            )]);
            return;
        };
        let answer = AnswerDraft {
            decision: d,
            text: text.get_untracked().trim().to_owned(),
        };
        if !form.begin(petitions::validate_answer(&answer)) {
            return;
        }
        let (api, id) = (api.clone(), id.clone());
        spawn_local(async move {
            match api.answer_petition(&id, &answer).await {
                Ok(_) => {
                    form.succeed(None);
                    changed.run(());
                }
                Err(e) => form.fail(i18n, &e),
            }
        });
    };
    view! {
        <form class="form" on:submit=submit novalidate>
            <FormMessages form />
            <fieldset class="field" aria-describedby="f-decision-error">
                <legend>{t!(i18n, staff_petitions.decision)}</legend>
                {Decision::ALL.into_iter().map(|d| {
                    let id = format!("f-decision-{}", d.code());
                    let label_for = id.clone();
                    view! {
                        <label class="choice" for=label_for>
                            <input type="radio" id=id name="decision" value=d.code()
                                prop:checked=move || decision.get() == Some(d)
                                on:change=move |_| decision.set(Some(d)) />
                            <span>{move || decision_label(i18n, d)}</span>
                        </label>
                    }
                }).collect_view()}
                <p class="field-error" id="f-decision-error">{move || form.error_of("decision").map(|c| code_text(i18n, c))}</p>
            </fieldset>
            <TextField form name="text" id="f-answer-text" value=text multiline=true>{t!(i18n, staff_petitions.answer_text)}</TextField>
            <button type="submit" class="button" disabled=move || form.pending.get()>{t!(i18n, staff_petitions.publish_answer)}</button>
        </form>
    }
}
