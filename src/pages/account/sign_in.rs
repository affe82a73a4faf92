//! `/signin`.

use crate::api::{ApiError, use_api};
use crate::components::form::FormState;
use crate::i18n::*;
use crate::routes::Page;
use crate::state::use_session;
use hromada_api::{LoginRequest, validate};
use hromada_views::account::SignInForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

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
    let on_submit = Callback::new(move |_: leptos::ev::SubmitEvent| {
        let req = LoginRequest {
            email: email.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        };
        if form.begin(validate::login(&req)) {
            submit.dispatch(req);
        }
    });
    view! { <SignInForm form email password on_submit /> }
}
