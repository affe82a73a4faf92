//! `/signin`.

use crate::api::{ApiError, use_api};
use crate::components::form::{FormMessages, FormState, TextField};
use crate::components::layout::PageHeading;
use crate::i18n::*;
use crate::routes::Page;
use crate::state::use_session;
use hromada_api::{LoginRequest, validate};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

/// The "forgot your password" page, with the address typed so far.
fn forgot_href(email: &str) -> String {
    let email = email.trim();
    if email.is_empty() {
        Page::ForgotPassword.path()
    } else {
        format!(
            "{}?email={}",
            Page::ForgotPassword.path(),
            String::from(js_sys::encode_uri_component(email))
        )
    }
}

/// The sign-in form.
#[component]
pub fn SignIn() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map();
    let form = FormState::new();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let submit = Action::new_local(move |req: &LoginRequest| {
        let (api, req) = (api.clone(), req.clone());
        async move { api.login(&req).await }
    });
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(me)) => {
            form.succeed(None);
            // Back to where the person was asked to sign in, or to their hromada.
            let next = query.with_untracked(|q| q.get("next"));
            let to = next
                .as_deref()
                .and_then(crate::routes::safe_next)
                .map_or_else(
                    || Page::Hromada(me.hromada.katottg.clone()).path(),
                    str::to_owned,
                );
            session.set(me);
            navigate(&to, Default::default());
        }
        Some(Err(ApiError::Unauthorized(_))) => {
            form.fail_with(t_string!(i18n, account.wrong_credentials).to_string());
        }
        Some(Err(e)) => form.fail(i18n, &e),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let req = LoginRequest {
            email: email.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        };
        if form.begin(validate::login(&req)) {
            submit.dispatch(req);
        }
    };
    view! {
        <PageHeading text=move || t_string!(i18n, account.sign_in_title).to_string() />
        <form class="form" on:submit=on_submit novalidate>
            <FormMessages form />
            <TextField form name="email" value=email kind="email" autocomplete="username">
                {t!(i18n, account.email)}
            </TextField>
            <TextField form name="password" value=password kind="password" autocomplete="current-password">
                {t!(i18n, account.password)}
            </TextField>
            <button type="submit" class="button" disabled=move || form.pending.get()>
                {t!(i18n, account.sign_in)}
            </button>
        </form>
        <p>
            <A href=move || forgot_href(&email.get()) attr:id="forgot-password">{t!(i18n, recovery.forgot_link)}</A>
        </p>
        <p>{t!(i18n, account.no_account)} " " <A href=Page::SignUp.path()>{t!(i18n, account.sign_up)}</A></p>
    }
}
