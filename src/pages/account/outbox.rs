//! The outbox (`/outbox`): what was sent without a network and waits to be delivered, or
//! was refused and waits to be dismissed; and the installed app's shortcuts (`/go/…`).

use crate::api::ApiError;
use crate::components::form::code_text;
use crate::components::layout::PageHeading;
use crate::components::states::error_text;
use crate::format::local_date_time;
use crate::i18n::*;
use crate::offline::{OutboxItem, use_offline};
use crate::routes::{Page, Shortcut};
use crate::state::use_place;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_params_map};

/// What kind of submission an item is, for a person.
fn kind_text(i18n: I18nContext<Locale>, kind: &str) -> String {
    match kind {
        "appeal" => t_string!(i18n, outbox.kind_appeal),
        "signature" => t_string!(i18n, outbox.kind_signature),
        "ballot" => t_string!(i18n, outbox.kind_ballot),
        "poll_answer" => t_string!(i18n, outbox.kind_poll_answer),
        "consultation" => t_string!(i18n, outbox.kind_consultation),
        _ => t_string!(i18n, outbox.kind_message),
    }
    .to_string()
}

fn state_text(i18n: I18nContext<Locale>, state: &str) -> String {
    match state {
        "sending" => t_string!(i18n, outbox.state_sending),
        "refused" => t_string!(i18n, outbox.state_refused),
        _ => t_string!(i18n, outbox.state_queued),
    }
    .to_string()
}

/// Why the server refused an item: the conflicts each kind meets said plainly, else the
/// app's words for the status, with the first field's problem.
fn refusal_text(i18n: I18nContext<Locale>, item: &OutboxItem) -> Option<String> {
    let err = item.refusal()?;
    if let ApiError::Conflict(_) = err {
        let specific = match item.kind.as_str() {
            "signature" => Some(t_string!(i18n, outbox.refused_signature).to_string()),
            "poll_answer" => Some(t_string!(i18n, outbox.refused_poll).to_string()),
            "ballot" => Some(t_string!(i18n, outbox.refused_ballot).to_string()),
            _ => None,
        };
        if specific.is_some() {
            return specific;
        }
    }
    let mut text = error_text(i18n, &err);
    if let Some(f) = err.field_errors().first() {
        text.push(' ');
        text.push_str(&code_text(i18n, f.code));
    }
    Some(text)
}

/// `/outbox`.
#[component]
pub fn OutboxPage() -> impl IntoView {
    let i18n = use_i18n();
    let offline = use_offline();
    let items = move || offline.outbox.get();
    view! {
        <PageHeading text=move || t_string!(i18n, outbox.title).to_string() />
        <p class="lead">{t!(i18n, outbox.lead)}</p>
        {move || {
            let list = items();
            if list.is_empty() {
                return view! { <p class="state state-empty" id="outbox-empty">{t!(i18n, outbox.empty)}</p> }.into_any();
            }
            view! {
                <p class="actions">
                    <button type="button" class="button button-secondary" id="outbox-flush" on:click=move |_| offline.flush()>
                        {t!(i18n, outbox.send_now)}
                    </button>
                </p>
                <ul class="cards outbox">
                    {list.into_iter().map(|item| view! { <OutboxCard item /> }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

#[component]
fn OutboxCard(item: OutboxItem) -> impl IntoView {
    let i18n = use_i18n();
    let offline = use_offline();
    let refused = item.refused();
    let reason = {
        let item = item.clone();
        move || {
            refusal_text(i18n, &item)
                .map(|r| view! { <p class="field-error outbox-reason" role="status">{r}</p> })
        }
    };
    let (id, kind, state) = (item.id.clone(), item.kind.clone(), item.state.clone());
    let attempts = item.attempts;
    let cancel = {
        let id = id.clone();
        move |_| {
            let sure = refused
                || web_sys::window()
                    .and_then(|w| {
                        w.confirm_with_message(t_string!(i18n, outbox.cancel_confirm))
                            .ok()
                    })
                    .unwrap_or(true);
            if sure {
                offline.cancel(&id);
            }
        }
    };
    let label = item.label.clone();
    view! {
        <li class="card outbox-item" class:refused=refused data-id=id.clone()>
            <h2 class="outbox-kind">{move || kind_text(i18n, &kind)}</h2>
            {(!label.is_empty()).then(|| view! { <p class="outbox-label">{label.clone()}</p> })}
            <p class="meta">
                <span class=format!("badge outbox-{state}")>{
                    let state = state.clone();
                    move || state_text(i18n, &state)
                }</span>
                " · "{move || t_string!(i18n, outbox.created, time = local_date_time(&item.created_at)).to_string()}
                {(attempts > 0).then(|| view! { " · "{move || t_string!(i18n, outbox.attempts, count = attempts).to_string()} })}
            </p>
            {reason}
            <p class="actions">
                <button type="button" class="button button-secondary outbox-cancel" on:click=cancel>
                    {move || if refused { t_string!(i18n, outbox.dismiss) } else { t_string!(i18n, outbox.cancel) }}
                </button>
            </p>
        </li>
    }
}

/// `/go/{shortcut}`: the installed app's shortcut opens its page in the remembered
/// hromada, or the hromada picker when none is remembered yet.
#[component]
pub fn Go() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let place = use_place();
    let navigate = use_navigate();
    let target = move || {
        let shortcut = params
            .read()
            .get("shortcut")
            .and_then(|s| Shortcut::from_code(&s));
        match (shortcut, place.0.get_untracked()) {
            (Some(s), Some(h)) => s.page(h.katottg).path(),
            _ => Page::Hromadas.path(),
        }
    };
    Effect::new(move |_| {
        navigate(
            &target(),
            NavigateOptions {
                replace: true,
                ..Default::default()
            },
        );
    });
    view! {
        <PageHeading text=move || t_string!(i18n, offline.go_choose).to_string() />
    }
}
