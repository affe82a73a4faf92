//! Signing in and signing up: the forms, drawn disabled before the app has started.

use crate::form::{FormMessages, FormState, TextField};
use crate::frame::name_in;
use crate::i18n::*;
use crate::news::Heading;
use crate::routes::{Page, encode_uri_component};
use hromada_api::HromadaRef;
use leptos::prelude::*;

/// The "forgot your password" page, with the address typed so far.
pub fn forgot_href(email: &str) -> String {
    let email = email.trim();
    if email.is_empty() {
        Page::ForgotPassword.path()
    } else {
        format!(
            "{}?email={}",
            Page::ForgotPassword.path(),
            encode_uri_component(email)
        )
    }
}

/// The sign-in page. Without `on_submit` (before the app has started) its fields and
/// button are disabled.
#[component]
pub fn SignInForm(
    form: FormState,
    email: RwSignal<String>,
    password: RwSignal<String>,
    #[prop(optional)] on_submit: Option<Callback<leptos::ev::SubmitEvent>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let disabled = on_submit.is_none();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(f) = on_submit {
            f.run(ev);
        }
    };
    view! {
        <Heading text=Signal::derive(move || t_string!(i18n, account.sign_in_title).to_string()) />
        <form class="form" on:submit=submit novalidate>
            <FormMessages form />
            <TextField form name="email" value=email kind="email" autocomplete="username" disabled>
                {t!(i18n, account.email)}
            </TextField>
            <TextField form name="password" value=password kind="password" autocomplete="current-password" disabled>
                {t!(i18n, account.password)}
            </TextField>
            <button type="submit" class="button" disabled=move || disabled || form.pending.get()>
                {t!(i18n, account.sign_in)}
            </button>
        </form>
        <p>
            <a href=move || forgot_href(&email.get()) id="forgot-password">{t!(i18n, recovery.forgot_link)}</a>
        </p>
        <p>{t!(i18n, account.no_account)} " " <a href=Page::SignUp.path()>{t!(i18n, account.sign_up)}</a></p>
    }
}

/// The sign-up page. The law needs a full name and an address of residence for appeals,
/// so they are asked here once and filled into every appeal later. `hromada` is the
/// field that chooses the person's hromada; without `on_submit` (before the app has
/// started) the fields and the button are disabled.
#[component]
pub fn SignUpForm(
    form: FormState,
    email: RwSignal<String>,
    password: RwSignal<String>,
    full_name: RwSignal<String>,
    address: RwSignal<String>,
    hromada: AnyView,
    #[prop(optional)] on_submit: Option<Callback<leptos::ev::SubmitEvent>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let disabled = on_submit.is_none();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(f) = on_submit {
            f.run(ev);
        }
    };
    let password_hint = Signal::derive(move || t_string!(i18n, account.password_hint).to_string());
    view! {
        <Heading text=Signal::derive(move || t_string!(i18n, account.sign_up_title).to_string()) />
        <p class="lead">{t!(i18n, account.sign_up_lead)}</p>
        <form class="form" on:submit=submit novalidate>
            <FormMessages form />
            <TextField form name="email" value=email kind="email" autocomplete="email" disabled>
                {t!(i18n, account.email)}
            </TextField>
            <TextField form name="password" value=password kind="password" autocomplete="new-password" hint=password_hint disabled>
                {t!(i18n, account.password)}
            </TextField>
            <TextField form name="full_name" value=full_name autocomplete="name" disabled>
                {t!(i18n, account.full_name)}
            </TextField>
            {hromada}
            <TextField form name="address" value=address autocomplete="street-address" disabled>
                {t!(i18n, account.address)}
            </TextField>
            <button type="submit" class="button" disabled=move || disabled || form.pending.get()>
                {t!(i18n, account.sign_up)}
            </button>
        </form>
        <p>{t!(i18n, account.have_account)} " " <a href=Page::SignIn.path()>{t!(i18n, account.sign_in)}</a></p>
    }
}

/// The hromada chosen in the sign-up form, with the button to choose another (disabled
/// without `on_change`, before the app has started).
#[component]
pub fn ChosenHromada(
    h: HromadaRef,
    #[prop(into, optional)] invalid: Signal<bool>,
    #[prop(optional)] on_change: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="chosen" id="f-hromada" tabindex="-1" aria-invalid=move || invalid.get().to_string()>
            <strong>{move || name_in(i18n, &h.name)}</strong>
            " "
            <button
                type="button"
                class="link-button"
                on:click=move |_| if let Some(f) = on_change { f.run(()) }
                disabled=on_change.is_none()
            >
                {t!(i18n, account.change_hromada)}
            </button>
        </p>
    }
}

/// The hromada field of the sign-up form before the app has started: its legend and the
/// hromada the visitor chose last, or the search, disabled.
#[component]
pub fn HromadaFieldWaiting(chosen: Option<HromadaRef>) -> impl IntoView {
    let i18n = use_i18n();
    let inner = match chosen {
        Some(h) => view! { <ChosenHromada h /> }.into_any(),
        None => view! {
            <crate::hromada::SearchField input_id="f-hromada-q" typed=RwSignal::new(String::new()) />
        }
        .into_any(),
    };
    view! {
        <fieldset class="field">
            <legend>{t!(i18n, account.hromada)}</legend>
            {inner}
            <p class="field-error" aria-live="polite"></p>
        </fieldset>
    }
}
