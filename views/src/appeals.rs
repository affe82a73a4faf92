//! Appeals: labels, the deadline, a row of a list, the public list, and what a guest is
//! told on the form.

use crate::format::{date, now_ms, time_left_text};
use crate::i18n::*;
use crate::news::{Empty, Heading, ListHeading};
use crate::routes::Page;
use hromada_api::appeals::{AppealKind, AppealStatus, AppealSummary};
use hromada_api::time::parse_rfc3339;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

/// The name of an appeal type.
pub fn kind_label(i18n: I18nContext<Locale>, kind: AppealKind) -> String {
    match kind {
        AppealKind::Proposal => t_string!(i18n, appeals.kind_proposal),
        AppealKind::Application => t_string!(i18n, appeals.kind_application),
        AppealKind::Complaint => t_string!(i18n, appeals.kind_complaint),
    }
    .to_string()
}

/// The name of a status.
pub fn status_label(i18n: I18nContext<Locale>, status: AppealStatus) -> String {
    match status {
        AppealStatus::Registered => t_string!(i18n, appeals.status_registered),
        AppealStatus::InProgress => t_string!(i18n, appeals.status_in_progress),
        AppealStatus::Forwarded => t_string!(i18n, appeals.status_forwarded),
        AppealStatus::Returned => t_string!(i18n, appeals.status_returned),
        AppealStatus::Answered => t_string!(i18n, appeals.status_answered),
        AppealStatus::Closed => t_string!(i18n, appeals.status_closed),
    }
    .to_string()
}

/// Whether an appeal is open and past its deadline.
pub fn is_overdue(a: &AppealSummary, now: i64) -> bool {
    a.status.is_open() && parse_rfc3339(&a.due_at).is_some_and(|due| due <= now)
}

/// A status as a coloured badge.
#[component]
pub fn StatusBadge(status: AppealStatus) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class=format!("badge status-{}", status.code())>{move || status_label(i18n, status)}</span>
    }
}

/// The deadline: its date and, while the appeal is open, the time left; overdue stands out.
#[component]
pub fn Deadline(a: AppealSummary) -> impl IntoView {
    let i18n = use_i18n();
    let now = now_ms();
    let overdue = is_overdue(&a, now);
    let due = date(&a.due_at);
    let open = a.status.is_open();
    let due_at = a.due_at.clone();
    view! {
        <span class="deadline" class:deadline-overdue=overdue>
            {move || t_string!(i18n, appeals.due, date = due.clone()).to_string()}
            {open.then(|| {
                let due_at = due_at.clone();
                view! { " · " <strong>{move || time_left_text(i18n, &due_at, now)}</strong> }
            })}
        </span>
    }
}

/// One appeal in a list: number, subject, category, status and deadline.
#[component]
pub fn AppealRow(a: AppealSummary) -> impl IntoView {
    let i18n = use_i18n();
    let overdue = is_overdue(&a, now_ms());
    let href = Page::Appeal(a.id.clone()).path();
    let kind = a.kind;
    let (number, category, subject, status) = (
        a.number.clone(),
        a.category.name.clone(),
        a.subject.clone(),
        a.status,
    );
    let assignee = a.assignee.clone();
    view! {
        <li class="card appeal-row" class:card-overdue=overdue>
            <p class="meta">
                <span class="appeal-number">{number}</span>
                " · "{move || kind_label(i18n, kind)}" · "{category}
            </p>
            <h3><a href=href>{subject}</a></h3>
            <p class="meta">
                <StatusBadge status />
                " "
                <Deadline a />
            </p>
            {assignee.map(|who| view! { <p class="meta">{move || t_string!(i18n, appeals.assignee_is, who = who.clone()).to_string()}</p> })}
        </li>
    }
}

/// The appeal form for a guest: anonymous appeals are not considered, so sign in (or
/// join) first.
#[component]
pub fn SignInFirst() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Heading text=Signal::derive(move || t_string!(i18n, appeals.new_title).to_string()) />
        <div class="card">
            <p>{t!(i18n, appeals.sign_in_first)}</p>
            <p class="actions">
                <a href=Page::SignIn.path() class="button">{t!(i18n, nav.sign_in)}</a>
                <a href=Page::SignUp.path() class="button button-secondary">{t!(i18n, account.sign_up_title)}</a>
            </p>
        </div>
    }
}

/// The public appeals' title, what they are, and the ways to write one and to one's own.
#[component]
pub fn PublicTop(#[prop(into)] katottg: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Heading text=Signal::derive(move || t_string!(i18n, appeals.public_title).to_string()) />
        <p>{t!(i18n, appeals.public_intro)}</p>
        <p class="actions">
            <a href=move || Page::AppealNew(katottg.get()).path() class="button">{t!(i18n, appeals.write)}</a>
            <a href=Page::MyAppeals.path() class="button button-secondary">{t!(i18n, appeals.mine_title)}</a>
        </p>
    }
}

/// The public appeals before the app has started: the first page of them.
#[component]
pub fn PublicPage(katottg: String, items: Vec<AppealSummary>) -> impl IntoView {
    let i18n = use_i18n();
    let list = if items.is_empty() {
        view! { <Empty>{t!(i18n, appeals.public_none)}</Empty> }.into_any()
    } else {
        view! {
            <ListHeading />
            <ul class="cards">{items.into_iter().map(|a| view! { <AppealRow a /> }).collect_view()}</ul>
        }
        .into_any()
    };
    view! {
        <PublicTop katottg />
        {list}
    }
}
