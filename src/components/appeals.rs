//! Widgets of appeals: labels of types and statuses, the deadline with the time left, a
//! row of a list, the files, and the timeline.

use crate::format::{date, local_date_time};
use crate::i18n::*;
use crate::routes::Page;
use hromada_api::appeals::deadline::{self, TimeLeft};
use hromada_api::appeals::{
    AppealFile, AppealKind, AppealStatus, AppealSummary, Step, TimelineEntry,
};
use hromada_api::time::parse_rfc3339;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;

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

/// Now, in milliseconds since the epoch.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// The time left until `due_at` (RFC 3339) at `now`, as a short phrase; `None` if the
/// time cannot be read.
pub fn time_left_text(i18n: I18nContext<Locale>, due_at: &str, now: i64) -> Option<String> {
    let due = parse_rfc3339(due_at)?;
    Some(match deadline::time_left(due, now) {
        TimeLeft::Days(count) => t_string!(i18n, appeals.days_left, count).to_string(),
        TimeLeft::Hours(count) => t_string!(i18n, appeals.hours_left, count).to_string(),
        TimeLeft::Overdue(count) => t_string!(i18n, appeals.overdue_by, count).to_string(),
    })
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
            <h3><A href=href>{subject}</A></h3>
            <p class="meta">
                <StatusBadge status />
                " "
                <Deadline a />
            </p>
            {assignee.map(|who| view! { <p class="meta">{move || t_string!(i18n, appeals.assignee_is, who = who.clone()).to_string()}</p> })}
        </li>
    }
}

/// Photos as thumbnails opening the full image; other files (PDF) as download links.
#[component]
pub fn Files(files: Vec<AppealFile>) -> impl IntoView {
    let i18n = use_i18n();
    if files.is_empty() {
        return ().into_any();
    }
    view! {
        <ul class="files">
            {files.into_iter().map(|f| {
                let size = format_bytes(f.bytes);
                match f.thumbnail_url.clone() {
                    Some(thumb) => view! {
                        <li class="file-photo">
                            <a href=f.url.clone() target="_blank" rel="noopener">
                                <img src=thumb alt=move || t_string!(i18n, appeals.photo_alt, name = f.name.clone()).to_string() loading="lazy" width="160" height="120" />
                            </a>
                        </li>
                    }.into_any(),
                    None => view! {
                        <li class="file-doc">
                            <a href=f.url.clone() download=f.name.clone()>{f.name.clone()}</a>
                            " ("{size}")"
                        </li>
                    }.into_any(),
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// A file size for people: `512 КБ`, `2.4 МБ`.
pub fn format_bytes(bytes: u64) -> String {
    if bytes < 1024 * 1024 {
        format!("{} KB", bytes.div_ceil(1024))
    } else {
        format!(
            "{} MB",
            crate::format::fixed(bytes as f64 / (1024.0 * 1024.0), 1)
        )
    }
}

/// The life of an appeal, oldest step first.
#[component]
pub fn Timeline(entries: Vec<TimelineEntry>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ol class="timeline">
            {entries.into_iter().map(|e| {
                let at = local_date_time(&e.at);
                let by = e.by.clone();
                let (title, body, files) = step_text(i18n, &e.step);
                view! {
                    <li class=format!("step step-{}", step_code(&e.step))>
                        <p class="step-title">{title}</p>
                        <p class="meta">
                            <time datetime=e.at.clone()>{at}</time>
                            {by.map(|b| view! { " · "{b} })}
                        </p>
                        {body.map(|b| view! { <p class="step-body">{b}</p> })}
                        <Files files />
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

fn step_code(step: &Step) -> &'static str {
    match step {
        Step::Registered => "registered",
        Step::Assigned { .. } => "assigned",
        Step::NoFurtherStudy { .. } => "no-further-study",
        Step::Extended { .. } => "extended",
        Step::Returned { .. } => "returned",
        Step::Forwarded { .. } => "forwarded",
        Step::Answered { .. } => "answered",
        Step::Closed => "closed",
    }
}

/// A step's heading, its text (a reason or the answer) and its files.
fn step_text(i18n: I18nContext<Locale>, step: &Step) -> (String, Option<String>, Vec<AppealFile>) {
    match step.clone() {
        Step::Registered => (
            t_string!(i18n, appeals.step_registered).to_string(),
            None,
            vec![],
        ),
        Step::Assigned { assignee } => (
            t_string!(i18n, appeals.step_assigned, who = assignee).to_string(),
            None,
            vec![],
        ),
        Step::NoFurtherStudy { due_at } => (
            t_string!(i18n, appeals.step_no_further_study, date = date(&due_at)).to_string(),
            None,
            vec![],
        ),
        Step::Extended { due_at, reason } => (
            t_string!(i18n, appeals.step_extended, date = date(&due_at)).to_string(),
            Some(reason),
            vec![],
        ),
        Step::Returned { reason } => (
            t_string!(i18n, appeals.step_returned).to_string(),
            Some(reason),
            vec![],
        ),
        Step::Forwarded { to, reason } => (
            t_string!(i18n, appeals.step_forwarded, to).to_string(),
            Some(reason),
            vec![],
        ),
        Step::Answered { text, files } => (
            t_string!(i18n, appeals.step_answered).to_string(),
            Some(text),
            files,
        ),
        Step::Closed => (
            t_string!(i18n, appeals.step_closed).to_string(),
            None,
            vec![],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn sizes_read_like_file_managers() {
        assert_eq!(format_bytes(1), "1 KB");
        assert_eq!(format_bytes(512 * 1024), "512 KB");
        assert_eq!(format_bytes(2_516_582), "2.4 MB");
    }
}
