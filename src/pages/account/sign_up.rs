//! `/signup`.

use crate::api::{new_idempotency_key, use_api};
use crate::components::form::{FormState, code_text};
use crate::components::hromada_search::HromadaSearch;
use crate::i18n::*;
use crate::routes::Page;
use crate::state::{use_place, use_session};
use hromada_api::{HromadaRef, HromadaSummary, RegisterRequest, validate};
use hromada_views::account::{ChosenHromada, SignUpForm};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// The sign-up form. The law needs a full name and an address of residence for appeals,
/// so they are asked here once and filled into every appeal later.
#[component]
pub fn SignUp() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let place = use_place();
    let navigate = use_navigate();
    let form = FormState::new();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let full_name = RwSignal::new(String::new());
    let address = RwSignal::new(String::new());
    let hromada = RwSignal::new(place.0.get_untracked());
    let choosing = RwSignal::new(hromada.get_untracked().is_none());
    // One key per submission attempt: a retry after a lost answer creates no second account.
    let key = StoredValue::new(new_idempotency_key());
    let submit = Action::new_local(move |req: &RegisterRequest| {
        let (api, req) = (api.clone(), req.clone());
        let key = key.get_value();
        async move {
            let me = api.register(&req, &key).await?;
            // Emails and pushes come in the language the person signed up in.
            let code = crate::language::current_code();
            if me.language != code {
                let lang = hromada_api::UpdateProfile {
                    language: Some(code.to_owned()),
                    ..Default::default()
                };
                if let Ok(me) = api.update_me(&lang).await {
                    return Ok(me);
                }
            }
            Ok::<_, crate::api::ApiError>(me)
        }
    });
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(me)) => {
            form.succeed(None);
            key.set_value(new_idempotency_key());
            let to = Page::Hromada(me.hromada.katottg.clone()).path();
            session.set(me);
            navigate(&to, Default::default());
        }
        Some(Err(e)) => form.fail(i18n, &e),
        None => {}
    });
    let on_submit = Callback::new(move |_: leptos::ev::SubmitEvent| {
        let req = RegisterRequest {
            email: email.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
            full_name: full_name.get_untracked().trim().to_owned(),
            hromada: hromada
                .get_untracked()
                .map(|h| h.katottg)
                .unwrap_or_default(),
            address: address.get_untracked().trim().to_owned(),
        };
        if form.begin(validate::register(&req)) {
            submit.dispatch(req);
        }
    });
    let chosen = move |h: HromadaSummary| {
        hromada.set(Some(HromadaRef {
            katottg: h.katottg,
            name: h.name,
        }));
        choosing.set(false);
    };
    let hromada_error = move || form.error_of("hromada").map(|c| code_text(i18n, c));
    let field = view! {
        <fieldset class="field" class:field-invalid=move || hromada_error().is_some()>
            <legend>{t!(i18n, account.hromada)}</legend>
            {move || hromada.get().map(|h| view! {
                <ChosenHromada
                    h
                    invalid=Signal::derive(move || hromada_error().is_some())
                    on_change=Callback::new(move |()| choosing.set(true))
                />
            })}
            <Show when=move || choosing.get()>
                <HromadaSearch input_id="f-hromada-q" on_choose=Callback::new(chosen) />
            </Show>
            <p class="field-error" aria-live="polite">{hromada_error}</p>
        </fieldset>
    }
    .into_any();
    view! { <SignUpForm form email password full_name address hromada=field on_submit /> }
}
