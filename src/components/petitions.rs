//! Widgets of petitions: labels of statuses and decisions, the progress toward the number
//! of signatures, and a card of a list.

use crate::components::appeals::{now_ms, time_left_text};
use crate::format::date;
use crate::i18n::*;
use crate::routes::Page;
use hromada_api::petitions::rules::progress_percent;
use hromada_api::petitions::{Decision, PetitionStatus, PetitionSummary};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;

/// The name of a status (also the name of its tab).
pub fn status_label(i18n: I18nContext<Locale>, status: PetitionStatus) -> String {
    match status {
        PetitionStatus::Moderation => t_string!(i18n, petitions.status_moderation),
        PetitionStatus::Collecting => t_string!(i18n, petitions.status_collecting),
        PetitionStatus::Consideration => t_string!(i18n, petitions.status_consideration),
        PetitionStatus::Answered => t_string!(i18n, petitions.status_answered),
        PetitionStatus::NotSupported => t_string!(i18n, petitions.status_not_supported),
        PetitionStatus::Rejected => t_string!(i18n, petitions.status_rejected),
    }
    .to_string()
}

/// The name of the council's decision.
pub fn decision_label(i18n: I18nContext<Locale>, decision: Decision) -> String {
    match decision {
        Decision::Supported => t_string!(i18n, petitions.decision_supported),
        Decision::PartlySupported => t_string!(i18n, petitions.decision_partly),
        Decision::NotSupported => t_string!(i18n, petitions.decision_not_supported),
    }
    .to_string()
}

/// The count toward the number: a bar and "37 of 250 signatures".
#[component]
pub fn Progress(signatures: u32, needed: u32) -> impl IntoView {
    let i18n = use_i18n();
    let percent = progress_percent(signatures, needed);
    view! {
        <div class="progress">
            <progress max="100" value=percent.to_string()
                aria-label=move || t_string!(i18n, petitions.count_of, count = signatures, needed = needed).to_string()></progress>
            <p class="progress-text">
                <strong>{signatures}</strong>" "{move || t_string!(i18n, petitions.of_needed, needed = needed).to_string()}
            </p>
        </div>
    }
}

/// What a petition's time says: the time left to sign, or when the decision is due.
pub fn when_text(i18n: I18nContext<Locale>, p: &PetitionSummary) -> Option<String> {
    match p.status {
        PetitionStatus::Collecting => p
            .ends_at
            .as_deref()
            .and_then(|e| time_left_text(i18n, e, now_ms())),
        PetitionStatus::Moderation | PetitionStatus::Consideration => p
            .due_at
            .as_deref()
            .map(|d| t_string!(i18n, petitions.decision_due, date = date(d)).to_string()),
        _ => None,
    }
}

/// One petition in a list.
#[component]
pub fn PetitionCard(p: PetitionSummary) -> impl IntoView {
    let i18n = use_i18n();
    let href = Page::Petition(p.id.clone()).path();
    let status = p.status;
    let decision = p.decision;
    let when = {
        let p = p.clone();
        move || when_text(i18n, &p)
    };
    let shows_count = !matches!(
        status,
        PetitionStatus::Moderation | PetitionStatus::Rejected
    );
    view! {
        <li class="card petition-card">
            <h3><A href=href>{p.title.clone()}</A></h3>
            <p class="meta">
                <span class=format!("badge pstatus-{}", status.code())>{move || status_label(i18n, status)}</span>
                {decision.map(|d| view! { " " <span class="badge">{move || decision_label(i18n, d)}</span> })}
                " · "{p.author_name.clone()}
            </p>
            {shows_count.then(|| view! { <Progress signatures=p.signatures needed=p.needed /> })}
            <p class="meta">{when}</p>
        </li>
    }
}
