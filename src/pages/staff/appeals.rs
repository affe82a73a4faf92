//! The staff's side of appeals: the inbox, the steps on one appeal, and the list of
//! categories.

use crate::api::{InboxQuery, new_idempotency_key, use_api};
use crate::components::appeals::{AppealRow, kind_label, now_ms, status_label};
use crate::components::form::{FormMessages, FormState, TextField, code_text};
use crate::components::layout::PageHeading;
use crate::components::more::{MoreButton, MorePages, PagedCards};
use crate::components::states::{ErrorView, Loading};
use crate::format::date;
use crate::i18n::*;
use crate::routes::Page;
use hromada_api::appeals::deadline;
use hromada_api::appeals::rules::{self, Facts};
use hromada_api::appeals::{
    self, AnswerDraft, Appeal, AppealCategory, AppealKind, AppealStatus, CategoryDraft, StaffAction,
};
use hromada_api::time::{parse_rfc3339, rfc3339};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use wasm_bindgen::JsCast;

/// `/h/{katottg}/staff/appeals`: the hromada's appeals, nearest deadline first.
#[component]
pub fn StaffAppeals() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let params = use_params_map();
    let katottg = Memo::new(move |_| params.read().get("katottg").unwrap_or_default());
    Effect::new(move |_| crate::state::remember_hromada(katottg.get()));
    let status = RwSignal::new("open".to_owned());
    let category = RwSignal::new(String::new());
    let kind = RwSignal::new(String::new());
    let assignee = RwSignal::new(String::new());
    let filter = Memo::new(move |_| InboxQuery {
        status: status.get(),
        category: category.get(),
        kind: kind.get(),
        assignee: assignee.get(),
    });
    let categories = {
        let api = api.clone();
        LocalResource::new(move || {
            let (api, k) = (api.clone(), katottg.get());
            async move { api.appeal_categories(&k, true).await.unwrap_or_default() }
        })
    };
    let first = {
        let api = api.clone();
        LocalResource::new(move || {
            let (api, k, f) = (api.clone(), katottg.get(), filter.get());
            async move { api.inbox(&k, &f, None).await }
        })
    };
    // The counts and the assignees stay on screen while another filter loads.
    let counts = RwSignal::new(None::<(u32, u32)>);
    let assignees = RwSignal::new(Vec::<String>::new());
    Effect::new(move |_| {
        if let Some(Ok(inbox)) = first.get() {
            counts.set(Some((inbox.overdue, inbox.due_soon)));
            assignees.set(inbox.assignees.clone());
        }
    });
    let more = MorePages::after(first);
    let load_more = move |_| {
        let (api, k, f) = (api.clone(), katottg.get_untracked(), filter.get_untracked());
        more.load(move |c| async move { api.inbox(&k, &f, Some(&c)).await });
    };
    let select =
        |value: RwSignal<String>| move |ev: leptos::ev::Event| value.set(event_target_value(&ev));
    view! {
        <PageHeading text=move || t_string!(i18n, inbox.title).to_string() />
        <p class="actions">
            <A href=move || Page::Staff(katottg.get()).path() attr:class="button button-secondary">{t!(i18n, staff.back_to_desk)}</A>
            <A href=move || Page::StaffCategories(katottg.get()).path() attr:class="button button-secondary">{t!(i18n, categories.title)}</A>
        </p>
        {move || counts.get().map(|(overdue, soon)| view! {
            <div class="counts" role="status">
                <p class="count count-overdue"><strong>{overdue}</strong>" "{t!(i18n, inbox.overdue)}</p>
                <p class="count count-soon"><strong>{soon}</strong>" "{t!(i18n, inbox.due_soon)}</p>
            </div>
        })}
        <form class="filters" on:submit=|ev| ev.prevent_default() aria-label=move || t_string!(i18n, inbox.filters).to_string()>
            <div class="field">
                <label for="f-status">{t!(i18n, inbox.status)}</label>
                <select id="f-status" on:change=select(status)>
                    <option value="" selected=move || status.get().is_empty()>{t!(i18n, inbox.any)}</option>
                    <option value="open" selected=move || status.get() == "open">{t!(i18n, inbox.open)}</option>
                    {AppealStatus::ALL.into_iter().map(|s| view! {
                        <option value=s.code() selected=move || status.get() == s.code()>{move || status_label(i18n, s)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="f-category">{t!(i18n, appeals.category)}</label>
                <select id="f-category" on:change=select(category)>
                    <option value="">{t!(i18n, inbox.any)}</option>
                    {move || categories.get().unwrap_or_default().into_iter().map(|c: AppealCategory| {
                        let id = c.id.clone();
                        view! { <option value=c.id selected=move || category.get() == id>{c.name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="f-kind">{t!(i18n, appeals.kind)}</label>
                <select id="f-kind" on:change=select(kind)>
                    <option value="">{t!(i18n, inbox.any)}</option>
                    {AppealKind::ALL.into_iter().map(|k| view! {
                        <option value=k.code() selected=move || kind.get() == k.code()>{move || kind_label(i18n, k)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="f-assignee">{t!(i18n, appeals.assignee)}</label>
                <select id="f-assignee" on:change=select(assignee)>
                    <option value="">{t!(i18n, inbox.any)}</option>
                    {move || assignees.get().into_iter().map(|a| {
                        let (v, value) = (a.clone(), a.clone());
                        view! { <option value=value selected=move || assignee.get() == v>{a}</option> }
                    }).collect_view()}
                </select>
            </div>
        </form>
        <PagedCards first more heading=true empty=move || t_string!(i18n, inbox.none).to_string() row=|a| view! { <AppealRow a /> }.into_any() />
        <MoreButton pages=more on_click=load_more />
    }
}

/// The steps staff may take on an appeal now, each in its own small form.
#[component]
pub fn StaffPanel(a: Appeal, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let s = &a.summary;
    let Some(registered) = parse_rfc3339(&s.registered_at) else {
        return ().into_any();
    };
    let facts = Facts {
        status: s.status,
        registered,
        term_days: s.term_days,
    };
    let now = now_ms();
    let id = s.id.clone();
    let ext = rules::extension_range(&facts);
    let steps = (
        rules::assign(&facts).is_ok(),
        rules::no_further_study(&facts, now).is_ok(),
        ext,
        rules::return_incomplete(&facts, now).is_ok(),
        rules::forward(&facts, now).is_ok(),
        rules::answer(&facts).is_ok(),
        rules::close(&facts).is_ok(),
    );
    let any = steps.0 || steps.1 || steps.2.is_some() || steps.3 || steps.4 || steps.5 || steps.6;
    if !any {
        return ().into_any();
    }
    let assignee = s.assignee.clone().unwrap_or_default();
    view! {
        <section class="card staff-panel" aria-labelledby="staff-h">
            <h2 id="staff-h">{t!(i18n, steps.title)}</h2>
            {steps.5.then(|| view! { <AnswerForm id=id.clone() changed /> })}
            {steps.0.then(|| view! { <AssignForm id=id.clone() current=assignee.clone() changed /> })}
            {steps.1.then(|| view! { <SimpleStep id=id.clone() action=StaffAction::NoFurtherStudy changed /> })}
            {steps.2.map(|range| view! { <ExtendForm id=id.clone() registered range changed /> })}
            {steps.3.then(|| view! { <ReasonForm id=id.clone() forward=false changed /> })}
            {steps.4.then(|| view! { <ReasonForm id=id.clone() forward=true changed /> })}
            {steps.6.then(|| view! { <SimpleStep id=id.clone() action=StaffAction::Close changed /> })}
        </section>
    }
    .into_any()
}

/// Sends one step; the form shows what went wrong.
fn send_step(id: String, action: StaffAction, form: FormState, changed: Callback<()>) {
    let i18n = use_i18n();
    let api = use_api();
    if !form.begin(appeals::validate_action(&action)) {
        return;
    }
    spawn_local(async move {
        match api.appeal_action(&id, &action).await {
            Ok(_) => {
                form.succeed(None);
                changed.run(());
            }
            Err(e) => form.fail(i18n, &e),
        }
    });
}

#[component]
fn AssignForm(id: String, current: String, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let form = FormState::new();
    let assignee = RwSignal::new(current);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let action = StaffAction::Assign {
            assignee: assignee.get_untracked().trim().to_owned(),
        };
        send_step(id.clone(), action, form, changed);
    };
    view! {
        <details class="step-form">
            <summary>{t!(i18n, steps.assign)}</summary>
            <form class="form" on:submit=submit novalidate>
                <FormMessages form />
                <TextField form name="assignee" value=assignee hint=Signal::derive(move || t_string!(i18n, steps.assign_hint).to_string())>{t!(i18n, appeals.assignee)}</TextField>
                <button type="submit" class="button" disabled=move || form.pending.get()>{t!(i18n, steps.assign)}</button>
            </form>
        </details>
    }
}

/// A step without fields: "needs no further study", or closing.
#[component]
fn SimpleStep(id: String, action: StaffAction, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let form = FormState::new();
    let close = action == StaffAction::Close;
    let run = move |_| send_step(id.clone(), action.clone(), form, changed);
    view! {
        <div class="step-form step-simple">
            <FormMessages form />
            <p class="hint">
                {move || if close { t_string!(i18n, steps.close_hint) } else { t_string!(i18n, steps.brief_hint) }}
            </p>
            <button type="button" class="button button-secondary" on:click=run disabled=move || form.pending.get()>
                {move || if close { t_string!(i18n, steps.close) } else { t_string!(i18n, steps.brief) }}
            </button>
        </div>
    }
}

#[component]
fn ExtendForm(
    id: String,
    registered: i64,
    range: (u32, u32),
    changed: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let form = FormState::new();
    let term = RwSignal::new(range.1);
    let reason = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let action = StaffAction::Extend {
            term_days: term.get_untracked(),
            reason: reason.get_untracked().trim().to_owned(),
        };
        send_step(id.clone(), action, form, changed);
    };
    let until = move |days: u32| date(&rfc3339(deadline::due(registered, days)));
    view! {
        <details class="step-form">
            <summary>{t!(i18n, steps.extend)}</summary>
            <form class="form" on:submit=submit novalidate>
                <FormMessages form />
                <div class="field">
                    <label for="f-term_days">{t!(i18n, steps.extend_to)}</label>
                    <select id="f-term_days" aria-describedby="f-term_days-error" on:change=move |ev| {
                        if let Ok(v) = event_target_value(&ev).parse() { term.set(v) }
                    }>
                        {(range.0..=range.1).rev().map(|d| view! {
                            <option value=d.to_string() selected=move || term.get() == d>
                                {move || t_string!(i18n, steps.term_option, days = d, date = until(d)).to_string()}
                            </option>
                        }).collect_view()}
                    </select>
                    <p class="hint">{t!(i18n, steps.extend_hint)}</p>
                    <p class="field-error" id="f-term_days-error">{move || form.error_of("term_days").map(|c| code_text(i18n, c))}</p>
                </div>
                <TextField form name="reason" id="f-extend-reason" value=reason multiline=true>{t!(i18n, steps.reason)}</TextField>
                <button type="submit" class="button" disabled=move || form.pending.get()>{t!(i18n, steps.extend)}</button>
            </form>
        </details>
    }
}

/// Returning as incomplete, or forwarding to the competent body: both need a reason.
#[component]
fn ReasonForm(id: String, forward: bool, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let form = FormState::new();
    let to = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let reason = reason.get_untracked().trim().to_owned();
        let action = if forward {
            StaffAction::Forward {
                to: to.get_untracked().trim().to_owned(),
                reason,
            }
        } else {
            StaffAction::Return { reason }
        };
        send_step(id.clone(), action, form, changed);
    };
    let title = move || {
        if forward {
            t_string!(i18n, steps.forward)
        } else {
            t_string!(i18n, steps.return_incomplete)
        }
    };
    view! {
        <details class="step-form">
            <summary>{title}</summary>
            <form class="form" on:submit=submit novalidate>
                <FormMessages form />
                <p class="hint">{move || if forward { t_string!(i18n, steps.forward_hint) } else { t_string!(i18n, steps.return_hint) }}</p>
                {forward.then(|| view! { <TextField form name="to" value=to>{t!(i18n, steps.forward_to)}</TextField> })}
                <TextField form name="reason" id=if forward { "f-forward-reason" } else { "f-return-reason" } value=reason multiline=true>{t!(i18n, steps.reason)}</TextField>
                <button type="submit" class="button" disabled=move || form.pending.get()>{title}</button>
            </form>
        </details>
    }
}

/// Media types accepted for the files of an answer.
const ANSWER_TYPES: [&str; 4] = ["application/pdf", "image/jpeg", "image/png", "image/webp"];

#[component]
fn AnswerForm(id: String, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let form = FormState::new();
    let text = RwSignal::new(String::new());
    let files: RwSignal<Vec<web_sys::File>, LocalStorage> = RwSignal::new_local(vec![]);
    let file_error = RwSignal::new(None::<hromada_api::ErrorCode>);
    let key = StoredValue::new(new_idempotency_key());
    let on_files = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(list) = input.files() else { return };
        file_error.set(None);
        files.update(|fs| {
            for f in (0..list.length()).filter_map(|i| list.get(i)) {
                let code = if !ANSWER_TYPES.contains(&f.type_().as_str()) {
                    Some(hromada_api::ErrorCode::NotAFile)
                } else if f.size() as usize > appeals::ANSWER_FILE_MAX_BYTES {
                    Some(hromada_api::ErrorCode::TooLarge)
                } else if fs.len() >= appeals::ANSWER_FILES_MAX {
                    Some(hromada_api::ErrorCode::TooMany)
                } else {
                    None
                };
                match code {
                    None => fs.push(f),
                    Some(c) => file_error.set(Some(c)),
                }
            }
        });
        input.set_value("");
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = AnswerDraft {
            text: text.get_untracked().trim().to_owned(),
        };
        if !form.begin(appeals::validate_answer(&draft)) {
            return;
        }
        let (api, id, k) = (api.clone(), id.clone(), key.get_value());
        let list = files.get_untracked();
        spawn_local(async move {
            match api.answer_appeal(&id, &draft, &list, &k).await {
                Ok(_) => {
                    form.succeed(None);
                    changed.run(());
                }
                Err(e) => {
                    if let Some(f) = e.field_errors().iter().find(|f| f.field == "files") {
                        file_error.set(Some(f.code));
                    }
                    form.fail(i18n, &e);
                }
            }
        });
    };
    view! {
        <details class="step-form" open>
            <summary>{t!(i18n, steps.answer)}</summary>
            <form class="form" on:submit=submit novalidate>
                <FormMessages form />
                <TextField form name="text" id="f-answer-text" value=text multiline=true>{t!(i18n, steps.answer_text)}</TextField>
                <div class="field">
                    <ul class="file-names">
                        {move || files.get().into_iter().enumerate().map(|(i, f)| view! {
                            <li>
                                {f.name()}" "
                                <button type="button" class="button button-secondary button-small"
                                    on:click=move |_| files.update(|fs| { if i < fs.len() { fs.remove(i); } })>
                                    {t!(i18n, photos.remove)}
                                </button>
                            </li>
                        }).collect_view()}
                    </ul>
                    <input id="f-files" class="visually-hidden" type="file" multiple accept=ANSWER_TYPES.join(",")
                        aria-describedby="f-files-hint f-files-error" on:change=on_files />
                    <label class="button button-secondary file-pick" for="f-files">{t!(i18n, steps.answer_files)}</label>
                    <p class="hint" id="f-files-hint">{t!(i18n, steps.answer_files_hint)}</p>
                    <p class="field-error" id="f-files-error" aria-live="polite">
                        {move || file_error.get().map(|c| code_text(i18n, c))}
                    </p>
                </div>
                <button type="submit" class="button" disabled=move || form.pending.get()>{t!(i18n, steps.answer_send)}</button>
            </form>
        </details>
    }
}

/// `/h/{katottg}/staff/appeals/categories`: the list residents choose from.
#[component]
pub fn StaffCategories() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let params = use_params_map();
    let katottg = Memo::new(move |_| params.read().get("katottg").unwrap_or_default());
    Effect::new(move |_| crate::state::remember_hromada(katottg.get()));
    let list = {
        let api = api.clone();
        LocalResource::new(move || {
            let (api, k) = (api.clone(), katottg.get());
            async move { api.appeal_categories(&k, true).await }
        })
    };
    let form = FormState::new();
    let name = RwSignal::new(String::new());
    let key = StoredValue::new(new_idempotency_key());
    let add = {
        let api = api.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let draft = CategoryDraft {
                name: name.get_untracked().trim().to_owned(),
            };
            if !form.begin(appeals::validate_category(&draft)) {
                return;
            }
            let (api, k, key_now) = (api.clone(), katottg.get_untracked(), key.get_value());
            spawn_local(async move {
                match api.create_category(&k, &draft, &key_now).await {
                    Ok(_) => {
                        form.succeed(Some(t_string!(i18n, categories.added).to_string()));
                        name.set(String::new());
                        key.set_value(new_idempotency_key());
                        list.refetch();
                    }
                    Err(e) => form.fail(i18n, &e),
                }
            });
        }
    };
    let changed = Callback::new(move |_: ()| list.refetch());
    view! {
        <PageHeading text=move || t_string!(i18n, categories.title).to_string() />
        <p class="actions">
            <A href=move || Page::StaffAppeals(katottg.get()).path() attr:class="button button-secondary">{t!(i18n, inbox.title)}</A>
        </p>
        <section class="card" aria-labelledby="cat-add-h">
            <h2 id="cat-add-h">{t!(i18n, categories.add)}</h2>
            <form class="form" on:submit=add novalidate>
                <FormMessages form />
                <TextField form name="name" value=name>{t!(i18n, categories.name)}</TextField>
                <button type="submit" class="button" disabled=move || form.pending.get()>{t!(i18n, categories.add)}</button>
            </form>
        </section>
        <Transition fallback=Loading>
            <ErrorBoundary fallback=move |errors| view! { <ErrorView errors retry=move |_| list.refetch() /> }>
                {move || Suspend::new(async move {
                    list.await.map(|cats| view! {
                        <ul class="cards">
                            {cats.into_iter().map(|c| view! { <CategoryRow c changed /> }).collect_view()}
                        </ul>
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn CategoryRow(c: AppealCategory, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let form = FormState::new();
    let name = RwSignal::new(c.name.clone());
    let input_id = format!("cat-{}", c.id);
    let err_id = format!("cat-{}-error", c.id);
    let rename = {
        let (api, id) = (api.clone(), c.id.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let draft = CategoryDraft {
                name: name.get_untracked().trim().to_owned(),
            };
            if !form.begin(appeals::validate_category(&draft)) {
                return;
            }
            let (api, id) = (api.clone(), id.clone());
            spawn_local(async move {
                match api.rename_category(&id, &draft).await {
                    Ok(_) => {
                        form.succeed(Some(t_string!(i18n, categories.saved).to_string()));
                        changed.run(());
                    }
                    Err(e) => form.fail(i18n, &e),
                }
            });
        }
    };
    let archive = {
        let id = c.id.clone();
        move |_| {
            let (api, id) = (api.clone(), id.clone());
            form.begin(vec![]);
            spawn_local(async move {
                match api.archive_category(&id).await {
                    Ok(()) => {
                        form.succeed(None);
                        changed.run(());
                    }
                    Err(e) => form.fail(i18n, &e),
                }
            });
        }
    };
    if c.archived {
        return view! {
            <li class="card card-muted">
                <p>{c.name}" · "{t!(i18n, categories.archived)}</p>
            </li>
        }
        .into_any();
    }
    view! {
        <li class="card">
            <form class="form form-inline" on:submit=rename novalidate>
                <FormMessages form />
                <label for=input_id.clone() class="visually-hidden">{t!(i18n, categories.name)}</label>
                <input id=input_id type="text" prop:value=move || name.get()
                    aria-describedby=err_id.clone()
                    aria-invalid=move || form.error_of("name").is_some().to_string()
                    on:input=move |ev| name.set(event_target_value(&ev)) />
                <button type="submit" class="button button-secondary button-small" disabled=move || form.pending.get()>{t!(i18n, categories.rename)}</button>
                <button type="button" class="button button-danger button-small" on:click=archive disabled=move || form.pending.get()>{t!(i18n, categories.remove)}</button>
                <p class="field-error" id=err_id>{move || form.error_of("name").map(|c| code_text(i18n, c))}</p>
            </form>
        </li>
    }
    .into_any()
}
