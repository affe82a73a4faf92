//! Staff issue, edit and end the urgent alerts of their hromada.

use crate::api::{new_idempotency_key, use_api};
use crate::components::form::{FormMessages, FormState, TextField, code_text};
use crate::components::layout::PageHeading;
use crate::components::news::{AlertNotice, severity_label};
use crate::components::states::{Empty, ErrorView, Loading};
use crate::format::{is_past, local_input_in_hours, local_input_to_utc, utc_to_local_input};
use crate::i18n::*;
use crate::routes::Page;
use hromada_api::news::{self, Alert, AlertDraft, Severity};
use hromada_api::{ErrorCode, FieldError, validate};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// Checks an alert before it is sent; the server checks again.
pub fn check_alert(d: &AlertDraft) -> Vec<FieldError> {
    let mut out = vec![];
    if !matches!(d.severity.as_str(), "info" | "warning" | "danger") {
        out.push(FieldError::new("severity", ErrorCode::Required));
    }
    validate::text("text", &d.text, 1, news::ALERT_TEXT_MAX, &mut out);
    if let Some(area) = &d.area
        && area.chars().count() > news::ALERT_AREA_MAX
    {
        out.push(FieldError::new("area", ErrorCode::TooLong));
    }
    if d.expires_at.is_empty() {
        out.push(FieldError::new("expires_at", ErrorCode::Required));
    } else if let Some(start) = &d.starts_at
        && d.expires_at <= *start
    {
        out.push(FieldError::new("expires_at", ErrorCode::BeforeStart));
    }
    out
}

fn severity_code(s: Severity) -> &'static str {
    match s {
        Severity::Info => "info",
        Severity::Warning => "warning",
        Severity::Danger => "danger",
    }
}

/// `/h/{katottg}/staff/alerts`.
#[component]
pub fn StaffAlerts() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let params = use_params_map();
    let katottg = Memo::new(move |_| params.read().get("katottg").unwrap_or_default());
    Effect::new(move |_| crate::state::remember_hromada(katottg.get()));
    let list = {
        let api = api.clone();
        LocalResource::new(move || {
            let (api, k) = (api.clone(), katottg.get());
            async move { api.alerts(&k, true).await }
        })
    };
    let form = FormState::new();
    let editing = RwSignal::new(None::<String>);
    let severity = RwSignal::new("warning".to_owned());
    let text = RwSignal::new(String::new());
    let area = RwSignal::new(String::new());
    let starts_at = RwSignal::new(String::new());
    let expires_at = RwSignal::new(local_input_in_hours(6.0));
    let key = StoredValue::new(new_idempotency_key());
    let reset = move || {
        editing.set(None);
        text.set(String::new());
        area.set(String::new());
        starts_at.set(String::new());
        expires_at.set(local_input_in_hours(6.0));
        key.set_value(new_idempotency_key());
    };
    let edit = move |a: Alert| {
        editing.set(Some(a.id.clone()));
        severity.set(severity_code(a.severity).to_owned());
        text.set(a.text);
        area.set(a.area.unwrap_or_default());
        starts_at.set(utc_to_local_input(&a.starts_at));
        expires_at.set(utc_to_local_input(&a.expires_at));
        crate::components::layout::focus_main_heading();
    };
    let submit = {
        let api = api.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let area_text = area.get_untracked().trim().to_owned();
            let draft = AlertDraft {
                severity: severity.get_untracked(),
                text: text.get_untracked().trim().to_owned(),
                area: (!area_text.is_empty()).then_some(area_text),
                starts_at: local_input_to_utc(&starts_at.get_untracked()),
                expires_at: local_input_to_utc(&expires_at.get_untracked()).unwrap_or_default(),
            };
            if !form.begin(check_alert(&draft)) {
                return;
            }
            let (api, k, id, key) = (
                api.clone(),
                katottg.get_untracked(),
                editing.get_untracked(),
                key.get_value(),
            );
            spawn_local(async move {
                let result = match &id {
                    Some(id) => api.update_alert(id, &draft).await,
                    None => api.create_alert(&k, &draft, &key).await,
                };
                match result {
                    Ok(_) => {
                        form.succeed(Some(t_string!(i18n, alerts.saved).to_string()));
                        reset();
                        list.refetch();
                    }
                    Err(e) => form.fail(i18n, &e),
                }
            });
        }
    };
    let end = Callback::new(move |id: String| {
        let api = api.clone();
        spawn_local(async move {
            match api.end_alert(&id).await {
                Ok(_) => list.refetch(),
                Err(e) => form.fail(i18n, &e),
            }
        });
    });
    let severity_error = move || form.error_of("severity").map(|c| code_text(i18n, c));
    let time_error = move |f: &'static str| move || form.error_of(f).map(|c| code_text(i18n, c));
    view! {
        <PageHeading text=move || t_string!(i18n, alerts.title).to_string() />
        <p class="actions">
            <A href=move || Page::Staff(katottg.get()).path() attr:class="button button-secondary">{t!(i18n, staff.back_to_desk)}</A>
        </p>
        <section class="card" aria-labelledby="alert-form-h">
            <h2 id="alert-form-h">
                {move || if editing.get().is_some() { t_string!(i18n, alerts.edit) } else { t_string!(i18n, alerts.new_title) }}
            </h2>
            <form class="form" on:submit=submit novalidate>
                <FormMessages form />
                <div class="field">
                    <label for="f-severity">{t!(i18n, alerts.severity)}</label>
                    <select id="f-severity" aria-describedby="f-severity-error" on:change=move |ev| severity.set(event_target_value(&ev))>
                        {[Severity::Danger, Severity::Warning, Severity::Info].into_iter().map(|s| view! {
                            <option value=severity_code(s) selected=move || severity.get() == severity_code(s)>{move || severity_label(i18n, s)}</option>
                        }).collect_view()}
                    </select>
                    <p class="field-error" id="f-severity-error">{severity_error}</p>
                </div>
                <TextField form name="text" value=text multiline=true>{t!(i18n, alerts.text)}</TextField>
                <TextField form name="area" value=area>{t!(i18n, alerts.area)}</TextField>
                <div class="field">
                    <label for="f-starts_at">{t!(i18n, alerts.starts)}</label>
                    <input id="f-starts_at" type="datetime-local" prop:value=move || starts_at.get()
                        aria-describedby="f-starts_at-error" aria-invalid=move || form.error_of("starts_at").is_some().to_string()
                        on:input=move |ev| starts_at.set(event_target_value(&ev)) />
                    <p class="hint">{t!(i18n, alerts.starts_hint)}</p>
                    <p class="field-error" id="f-starts_at-error">{time_error("starts_at")}</p>
                </div>
                <div class="field">
                    <label for="f-expires_at">{t!(i18n, alerts.expires)}</label>
                    <input id="f-expires_at" type="datetime-local" prop:value=move || expires_at.get()
                        aria-describedby="f-expires_at-error" aria-invalid=move || form.error_of("expires_at").is_some().to_string()
                        on:input=move |ev| expires_at.set(event_target_value(&ev)) />
                    <p class="field-error" id="f-expires_at-error">{time_error("expires_at")}</p>
                </div>
                <div class="actions">
                    <button type="submit" class="button" disabled=move || form.pending.get()>{t!(i18n, alerts.publish)}</button>
                    <Show when=move || editing.get().is_some()>
                        <button type="button" class="button button-secondary" on:click=move |_| reset()>{t!(i18n, alerts.cancel)}</button>
                    </Show>
                </div>
            </form>
        </section>
        <h2>{t!(i18n, alerts.list)}</h2>
        <Transition fallback=Loading>
            <ErrorBoundary fallback=move |errors| view! { <ErrorView errors retry=move |_| list.refetch() /> }>
                {move || Suspend::new(async move {
                    list.await.map(|page| {
                        if page.items.is_empty() {
                            return view! { <Empty>{t!(i18n, alerts.none)}</Empty> }.into_any();
                        }
                        view! {
                            <ul class="cards">
                                {page.items.into_iter().map(|a| {
                                    let over = a.ended_at.is_some() || is_past(&a.expires_at);
                                    let (a2, id) = (a.clone(), a.id.clone());
                                    view! {
                                        <li class="card" class:card-muted=over>
                                            <AlertNotice a />
                                            {(!over).then(|| view! {
                                                <div class="actions">
                                                    <button type="button" class="button button-secondary" on:click=move |_| edit(a2.clone())>{t!(i18n, alerts.edit)}</button>
                                                    <button type="button" class="button button-danger" on:click=move |_| end.run(id.clone())>{t!(i18n, alerts.end)}</button>
                                                </div>
                                            })}
                                            {over.then(|| view! { <p class="badge">{t!(i18n, alerts.over)}</p> })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }
                        .into_any()
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn alerts_are_checked_before_sending() {
        let ok = AlertDraft {
            severity: "danger".into(),
            text: "Повітряна тривога".into(),
            area: None,
            starts_at: Some("2026-11-23T10:00:00Z".into()),
            expires_at: "2026-11-23T11:00:00Z".into(),
        };
        assert!(check_alert(&ok).is_empty());
        let bad = AlertDraft {
            severity: "panic".into(),
            text: String::new(),
            area: Some("x".repeat(201)),
            starts_at: Some("2026-11-23T10:00:00Z".into()),
            expires_at: "2026-11-23T09:00:00Z".into(),
        };
        let got: Vec<_> = check_alert(&bad)
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect();
        assert_eq!(
            got,
            vec![
                ("severity".to_owned(), ErrorCode::Required),
                ("text".to_owned(), ErrorCode::Required),
                ("area".to_owned(), ErrorCode::TooLong),
                ("expires_at".to_owned(), ErrorCode::BeforeStart),
            ]
        );
    }
}
