//! Widgets of appeals: labels of types and statuses, the deadline with the time left, a
//! row of a list, the files, and the timeline.

use crate::format::{date, local_date_time};
use crate::i18n::*;
use hromada_api::appeals::{AppealFile, Step, TimelineEntry};
use leptos::prelude::*;
use leptos_i18n::I18nContext;

pub use hromada_views::appeals::{
    AppealRow, Deadline, StatusBadge, is_overdue, kind_label, status_label,
};
pub use hromada_views::format::{now_ms, time_left_text};

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
