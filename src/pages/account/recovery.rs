//! Getting an account back and proving an address: `/forgot-password`,
//! `/reset-password?token=…` and `/confirm-email?token=…` (the last two open from the
//! links the server emails).

use crate::api::{ApiError, use_api};
use crate::components::form::{FormMessages, FormState, TextField};
use crate::components::layout::PageHeading;
use crate::i18n::*;
use crate::routes::Page;
use crate::state::use_session;
use hromada_api::delivery::PasswordResetConfirm;
use hromada_api::{ErrorCode, FieldError, validate};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// Whether the server refused the emailed token (used, expired, or void).
pub fn token_refused(err: &ApiError) -> bool {
    err.field_errors().iter().any(|f| f.field == "token")
}

/// The problems of a new password typed twice.
pub fn new_password_errors(password: &str, again: &str) -> Vec<FieldError> {
    let mut out = vec![];
    validate::new_password("password", password, &mut out);
    if out.is_empty() && password != again {
        out.push(FieldError::new("password_again", ErrorCode::Invalid));
    }
    out
}

/// `/forgot-password`: the address of the account; the answer is the same whether or not
/// an account has it.
#[component]
pub fn ForgotPassword() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let query = use_query_map();
    let form = FormState::new();
    let email = RwSignal::new(query.with_untracked(|q| q.get("email").unwrap_or_default()));
    let sent = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let address = email.get_untracked().trim().to_owned();
        let mut errors = vec![];
        validate::email("email", &address, &mut errors);
        if form.begin(errors) {
            let api = api.clone();
            spawn_local(async move {
                match api.request_password_reset(&address).await {
                    Ok(()) => {
                        form.succeed(Some(t_string!(i18n, recovery.link_sent).to_string()));
                        sent.set(true);
                    }
                    Err(e) => form.fail(i18n, &e),
                }
            });
        }
    };
    view! {
        <PageHeading text=move || t_string!(i18n, recovery.forgot_title).to_string() />
        <p class="lead">{t!(i18n, recovery.forgot_lead)}</p>
        <form class="form" id="forgot-form" on:submit=on_submit novalidate>
            <FormMessages form />
            <TextField form name="email" value=email kind="email" autocomplete="email">
                {t!(i18n, account.email)}
            </TextField>
            <button type="submit" class="button" disabled=move || form.pending.get()>
                {move || if sent.get() { t_string!(i18n, settings.send_again) } else { t_string!(i18n, recovery.send_link) }}
            </button>
        </form>
        <p><A href=Page::SignIn.path()>{t!(i18n, account.sign_in)}</A></p>
    }
}

/// `/reset-password?token=…`: a new password, typed twice; then the person signs in.
#[component]
pub fn ResetPassword() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let query = use_query_map();
    let token = query.with_untracked(|q| q.get("token").unwrap_or_default());
    let form = FormState::new();
    let password = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let done = RwSignal::new(false);
    let dead_link = RwSignal::new(token.is_empty());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (p, a) = (password.get_untracked(), again.get_untracked());
        let errors = new_password_errors(&p, &a);
        let differ = errors.iter().any(|e| e.field == "password_again");
        if form.begin(errors) {
            let req = PasswordResetConfirm {
                token: token.clone(),
                password: p,
            };
            let api = api.clone();
            spawn_local(async move {
                match api.confirm_password_reset(&req).await {
                    Ok(()) => {
                        password.set(String::new());
                        again.set(String::new());
                        form.succeed(Some(t_string!(i18n, recovery.password_set).to_string()));
                        done.set(true);
                    }
                    Err(e) if token_refused(&e) => {
                        form.fail_with(t_string!(i18n, recovery.link_invalid).to_string());
                        dead_link.set(true);
                    }
                    Err(e) => form.fail(i18n, &e),
                }
            });
        } else if differ {
            form.explain(
                "password_again",
                t_string!(i18n, recovery.passwords_differ).to_string(),
            );
        }
    };
    let hint = Signal::derive(move || t_string!(i18n, account.password_hint).to_string());
    let body = move || {
        if done.get() {
            return view! {
                <FormMessages form />
                <p class="actions"><A href=Page::SignIn.path() attr:class="button" attr:id="reset-sign-in">{t!(i18n, account.sign_in)}</A></p>
            }
            .into_any();
        }
        if dead_link.get() {
            return view! {
                <FormMessages form />
                {move || form.alert.get().is_none().then(|| view! { <p id="reset-no-token">{t!(i18n, recovery.no_token)}</p> })}
                <p class="actions"><A href=Page::ForgotPassword.path() attr:class="button" attr:id="reset-ask-again">{t!(i18n, recovery.ask_new_link)}</A></p>
            }
            .into_any();
        }
        view! {
            <form class="form" id="reset-form" on:submit=on_submit.clone() novalidate>
                <FormMessages form />
                <TextField form name="password" value=password kind="password" autocomplete="new-password" hint>
                    {t!(i18n, account.new_password)}
                </TextField>
                <TextField form name="password_again" value=again kind="password" autocomplete="new-password">
                    {t!(i18n, recovery.password_again)}
                </TextField>
                <button type="submit" class="button" disabled=move || form.pending.get()>
                    {t!(i18n, recovery.set_password)}
                </button>
            </form>
        }
        .into_any()
    };
    view! {
        <PageHeading text=move || t_string!(i18n, recovery.reset_title).to_string() />
        {body}
    }
}

/// `/confirm-email?token=…`: the person presses a button to confirm (a mail scanner that
/// opens the link confirms nothing).
#[component]
pub fn ConfirmEmail() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let query = use_query_map();
    let token = query.with_untracked(|q| q.get("token").unwrap_or_default());
    let form = FormState::new();
    let done = RwSignal::new(false);
    let dead_link = RwSignal::new(token.is_empty());
    let confirm = move |_| {
        if !form.begin(vec![]) {
            return;
        }
        let (api, token) = (api.clone(), token.clone());
        spawn_local(async move {
            match api.confirm_email(&token).await {
                Ok(()) => {
                    form.succeed(Some(t_string!(i18n, recovery.confirmed).to_string()));
                    done.set(true);
                    // Signed in here: the banner goes, the new address shows.
                    if session.me().is_some()
                        && let Ok(me) = api.me().await
                    {
                        session.set(me);
                    }
                }
                Err(e) if token_refused(&e) => {
                    form.fail_with(t_string!(i18n, recovery.confirm_invalid).to_string());
                    dead_link.set(true);
                }
                Err(e) => form.fail(i18n, &e),
            }
        });
    };
    view! {
        <PageHeading text=move || t_string!(i18n, recovery.confirm_title).to_string() />
        <FormMessages form />
        {move || if done.get() || dead_link.get() {
            view! {
                {move || (dead_link.get() && form.alert.get().is_none()).then(|| view! { <p>{t!(i18n, recovery.no_token)}</p> })}
                <p class="actions"><A href=Page::Account.path() attr:class="button" attr:id="confirm-to-account">{t!(i18n, recovery.to_account)}</A></p>
            }
            .into_any()
        } else {
            view! {
                <p class="lead">{t!(i18n, recovery.confirm_lead)}</p>
                <p class="actions">
                    <button type="button" class="button" id="confirm-email" on:click=confirm.clone() disabled=move || form.pending.get()>
                        {t!(i18n, recovery.confirm_button)}
                    </button>
                </p>
            }
            .into_any()
        }}
    }
}
