//! Loading, empty and error states, the same on every view.

use crate::api::ApiError;
use crate::format::minutes_to_wait;
use crate::i18n::*;
use crate::state::{Auth, use_session};
use leptos::prelude::*;
use leptos_i18n::I18nContext;

/// Shown while a view's data loads.
#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="state state-loading" role="status">
            <span class="spinner" aria-hidden="true"></span>
            {t!(i18n, state.loading)}
        </p>
    }
}

/// Renders its children once the app knows who is signed in, and again if that changes.
/// Views that differ for staff, residents and guests sit inside it, so a signed-in person is
/// never shown the guest's view while the session is still being checked.
#[component]
pub fn AfterSession(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let auth = Memo::new(move |_| session.0.get());
    move || {
        if auth.with(|a| *a == Auth::Checking) {
            view! { <Loading /> }.into_any()
        } else {
            children().into_any()
        }
    }
}

/// Shown when a list has nothing in it.
#[component]
pub fn Empty(children: Children) -> impl IntoView {
    view! { <p class="state state-empty">{children()}</p> }
}

/// A sentence for a person about what went wrong.
pub fn error_text(i18n: I18nContext<Locale>, err: &ApiError) -> String {
    match err {
        ApiError::Network | ApiError::Aborted => t_string!(i18n, error.network).to_string(),
        ApiError::Unauthorized(_) => t_string!(i18n, error.unauthorized).to_string(),
        ApiError::Forbidden(_) => t_string!(i18n, error.forbidden).to_string(),
        ApiError::NotFound(_) => t_string!(i18n, error.not_found).to_string(),
        ApiError::Conflict(_) => t_string!(i18n, error.conflict).to_string(),
        ApiError::Invalid(_) => t_string!(i18n, error.invalid).to_string(),
        ApiError::TooManyRequests { retry_after } => {
            let minutes = minutes_to_wait(*retry_after);
            t_string!(i18n, error.too_many, minutes).to_string()
        }
        ApiError::Unavailable { .. } => t_string!(i18n, error.unavailable).to_string(),
        ApiError::Server(_) | ApiError::Decode(_) => t_string!(i18n, error.server).to_string(),
        ApiError::Queued(_) => t_string!(i18n, error.queued).to_string(),
    }
}

/// The fallback of every `<ErrorBoundary>`: what went wrong, and a way to try again.
#[component]
pub fn ErrorView(errors: ArcRwSignal<Errors>, #[prop(into)] retry: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let messages = move || {
        let mut out: Vec<String> = errors
            .get()
            .into_iter()
            .map(|(_, e)| match e.downcast_ref::<ApiError>() {
                Some(api) => error_text(i18n, api),
                None => t_string!(i18n, error.server).to_string(),
            })
            .collect();
        out.dedup();
        out.into_iter().map(|m| view! { <p>{m}</p> }).collect_view()
    };
    view! {
        <div class="state state-error" role="alert">
            {messages}
            <button type="button" class="button" on:click=move |_| retry.run(())>
                {t!(i18n, state.retry)}
            </button>
        </div>
    }
}
