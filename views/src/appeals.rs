//! Appeals: labels, the deadline, a row of a list, the public list, and what a guest is
//! told on the form.

use crate::form::{FormMessages, FormState, TextField, code_text};
use crate::format::{date, fixed, now_ms, time_left_text};
use crate::i18n::*;
use crate::news::{Empty, Heading, ListHeading};
use crate::routes::Page;
use hromada_api::appeals::{self, AppealCategory, AppealKind, AppealStatus, AppealSummary};
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

/// Characters left of the text's limit (negative when over).
pub fn chars_left(text: &str) -> i64 {
    appeals::TEXT_MAX as i64 - text.trim().chars().count() as i64
}

/// What is typed into the appeal form, field by field.
#[derive(Clone, Copy)]
pub struct AppealFields {
    pub kind: RwSignal<String>,
    pub category: RwSignal<String>,
    pub subject: RwSignal<String>,
    pub text: RwSignal<String>,
    pub location: RwSignal<String>,
    pub position: RwSignal<Option<(f64, f64)>>,
    pub full_name: RwSignal<String>,
    pub address: RwSignal<String>,
    pub email: RwSignal<String>,
    pub public: RwSignal<bool>,
}

impl AppealFields {
    /// An empty appeal with the person's contacts filled in.
    pub fn with_contacts(full_name: &str, address: &str, email: &str) -> Self {
        let text = |v: &str| RwSignal::new(v.to_owned());
        Self {
            kind: text(""),
            category: text(""),
            subject: text(""),
            text: text(""),
            location: text(""),
            position: RwSignal::new(None),
            full_name: text(full_name),
            address: text(address),
            email: text(email),
            public: RwSignal::new(false),
        }
    }
}

/// The hromada's categories to choose from.
#[component]
pub fn CategorySelect(
    form: FormState,
    category: RwSignal<String>,
    list: Vec<AppealCategory>,
    /// Drawn disabled (before the app has started).
    #[prop(optional)]
    disabled: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <select id="f-category_id" name="category_id"
            aria-describedby="f-category_id-error"
            aria-invalid=move || form.error_of("category_id").is_some().to_string()
            disabled=disabled
            on:change=move |ev| category.set(event_target_value(&ev))>
            <option value="" selected=move || category.get().is_empty()>{t!(i18n, appeals.choose_category)}</option>
            {list.into_iter().map(|c| {
                let id = c.id.clone();
                view! { <option value=c.id selected=move || category.get() == id>{c.name}</option> }
            }).collect_view()}
        </select>
    }
}

/// The place's position: the one given, with the way to remove it, or the button that asks
/// the phone for it (disabled without `on_locate`, before the app has started).
#[component]
pub fn PositionControl(
    position: RwSignal<Option<(f64, f64)>>,
    /// The phone is being asked.
    #[prop(into, optional)]
    locating: Signal<bool>,
    #[prop(optional)] on_locate: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let waiting = on_locate.is_none();
    move || {
        match position.get() {
        Some((lat, lon)) => view! {
            <p class="position">
                <span>{t!(i18n, appeals.position_is)}" "{format!("{}, {}", fixed(lat, 5), fixed(lon, 5))}</span>
                " "
                <button type="button" class="button button-secondary button-small"
                    disabled=waiting on:click=move |_| position.set(None)>
                    {t!(i18n, appeals.position_remove)}
                </button>
            </p>
        }
        .into_any(),
        None => view! {
            <p>
                <button type="button" class="button button-secondary button-small"
                    on:click=move |_| if let Some(f) = on_locate { f.run(()) }
                    disabled=move || waiting || locating.get()>
                    {move || if locating.get() { t_string!(i18n, appeals.locating) } else { t_string!(i18n, appeals.use_position) }}
                </button>
            </p>
        }
        .into_any(),
    }
    }
}

/// The photos' field before the app has started: as the app's picker draws it with no
/// photo yet, disabled.
#[component]
pub fn PhotosWaiting() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="field">
            <legend>{t!(i18n, appeals.photos)}</legend>
            <p class="hint" id="f-photos-hint">{t!(i18n, appeals.photos_hint)}</p>
            <ul class="previews"></ul>
            <input id="f-photos" name="photos" class="visually-hidden" type="file" multiple disabled
                aria-describedby="f-photos-hint f-photos-error" />
            <label class="button button-secondary file-pick" for="f-photos">{t!(i18n, photos.add)}</label>
            <p class="field-error" id="f-photos-error" aria-live="polite"></p>
        </fieldset>
    }
}

/// The appeal form, guided by the law: its kind, category, subject and text, where, photos,
/// contacts, and whether it is public. `categories`, `position` and `photos` are the
/// app's live parts (or [`CategorySelect`], [`PositionControl`] and [`PhotosWaiting`]
/// before it has started, when there is no `on_submit` and everything is disabled).
#[component]
pub fn AppealFormView(
    form: FormState,
    fields: AppealFields,
    categories: AnyView,
    position: AnyView,
    photos: AnyView,
    #[prop(optional)] on_submit: Option<Callback<leptos::ev::SubmitEvent>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let disabled = on_submit.is_none();
    let f = fields;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(s) = on_submit {
            s.run(ev);
        }
    };
    let counter = move || {
        let left = chars_left(&f.text.get());
        if left >= 0 {
            t_string!(i18n, appeals.chars_left, count = left).to_string()
        } else {
            t_string!(i18n, appeals.chars_over, count = -left).to_string()
        }
    };
    let error_of =
        move |field: &'static str| move || form.error_of(field).map(|c| code_text(i18n, c));
    view! {
        <p class="hint">{t!(i18n, appeals.law_hint)}</p>
        <form class="form appeal-form" on:submit=submit novalidate>
            <FormMessages form />
            <fieldset class="field" aria-describedby="f-kind-error" aria-invalid=move || form.error_of("kind").is_some().to_string()>
                <legend>{t!(i18n, appeals.kind)}</legend>
                {AppealKind::ALL.into_iter().map(|k| {
                    let id = format!("f-kind-{}", k.code());
                    let label_for = id.clone();
                    view! {
                        <label class="choice" for=label_for>
                            <input type="radio" id=id name="kind" value=k.code() disabled=disabled
                                checked=f.kind.get_untracked() == k.code()
                                prop:checked=move || f.kind.get() == k.code()
                                on:change=move |_| f.kind.set(k.code().to_owned()) />
                            <span>{move || kind_label(i18n, k)}</span>
                        </label>
                    }
                }).collect_view()}
                <p class="field-error" id="f-kind-error" aria-live="polite">{error_of("kind")}</p>
            </fieldset>
            <div class="field" class:field-invalid=move || form.error_of("category_id").is_some()>
                <label for="f-category_id">{t!(i18n, appeals.category)}</label>
                {categories}
                <p class="field-error" id="f-category_id-error" aria-live="polite">{error_of("category_id")}</p>
            </div>
            <TextField form name="subject" value=f.subject disabled>{t!(i18n, appeals.subject)}</TextField>
            <TextField form name="text" value=f.text multiline=true hint=Signal::derive(counter) disabled>{t!(i18n, appeals.text)}</TextField>
            <fieldset class="field">
                <legend>{t!(i18n, appeals.where_title)}</legend>
                <TextField form name="location" value=f.location autocomplete="street-address" disabled
                    hint=Signal::derive(move || t_string!(i18n, appeals.location_hint).to_string())>
                    {t!(i18n, appeals.location)}
                </TextField>
                {position}
            </fieldset>
            {photos}
            <fieldset class="field">
                <legend>{t!(i18n, appeals.contacts)}</legend>
                <p class="hint">{t!(i18n, appeals.contacts_hint)}</p>
                <TextField form name="full_name" value=f.full_name autocomplete="name" disabled>{t!(i18n, account.full_name)}</TextField>
                <TextField form name="address" value=f.address autocomplete="street-address" disabled>{t!(i18n, account.address)}</TextField>
                <TextField form name="email" value=f.email kind="email" autocomplete="email" disabled>{t!(i18n, account.email)}</TextField>
            </fieldset>
            <label class="choice" for="f-public">
                <input type="checkbox" id="f-public" disabled=disabled
                    checked=f.public.get_untracked()
                    prop:checked=move || f.public.get()
                    on:change=move |ev| f.public.set(event_target_checked(&ev)) />
                <span>{t!(i18n, appeals.make_public)}</span>
            </label>
            <p class="hint">{t!(i18n, appeals.public_hint)}</p>
            <div class="actions">
                <button type="submit" class="button" disabled=move || disabled || form.pending.get()>
                    {move || if form.pending.get() { t_string!(i18n, appeals.sending) } else { t_string!(i18n, appeals.send) }}
                </button>
            </div>
        </form>
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
