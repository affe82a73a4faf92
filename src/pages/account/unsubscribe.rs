//! `/unsubscribe/{token}`: the link at the foot of an email that can be switched off.
//! Opening it changes nothing (mail scanners open links); one button does it, signed in
//! or not.

use crate::api::use_api;
use crate::components::layout::PageHeading;
use crate::components::states::{Loading, error_text};
use crate::i18n::*;
use crate::routes::Page;
use hromada_api::delivery::{Topic, Unsubscribe};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_i18n::I18nContext;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// A topic's name, as the settings show it.
pub fn topic_label(i18n: I18nContext<Locale>, topic: Topic) -> String {
    match topic {
        Topic::Appeals => t_string!(i18n, settings.topic_appeals),
        Topic::Petitions => t_string!(i18n, settings.topic_petitions),
        Topic::SignedPetitions => t_string!(i18n, settings.topic_signed_petitions),
        Topic::Projects => t_string!(i18n, settings.topic_projects),
        Topic::Consultations => t_string!(i18n, settings.topic_consultations),
        Topic::StaffAppeals => t_string!(i18n, settings.topic_staff_appeals),
        Topic::StaffConsultations => t_string!(i18n, settings.topic_staff_consultations),
        Topic::StaffPetitions => t_string!(i18n, settings.topic_staff_petitions),
    }
    .to_string()
}

/// The unsubscribe page.
#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let params = use_params_map();
    let token = params.with_untracked(|p| p.get("token").unwrap_or_default());
    let info = {
        let (api, token) = (api.clone(), token.clone());
        LocalResource::new(move || {
            let (api, token) = (api.clone(), token.clone());
            async move { api.unsubscribe_info(&token).await }
        })
    };
    // The answer of the button, once pressed.
    let after = RwSignal::new(None::<Unsubscribe>);
    let pending = RwSignal::new(false);
    let alert = RwSignal::new(None::<String>);
    let press = move |_| {
        let (api, token) = (api.clone(), token.clone());
        pending.set(true);
        alert.set(None);
        spawn_local(async move {
            match api.unsubscribe(&token).await {
                Ok(u) => after.set(Some(u)),
                Err(e) => alert.set(Some(error_text(i18n, &e))),
            }
            pending.set(false);
        });
    };
    let view_of = move |u: Unsubscribe| {
        let topic = u.topic;
        let email = u.email.clone();
        let label = move || match topic {
            Some(t) => topic_label(i18n, t),
            None => t_string!(i18n, unsubscribe.digest).to_string(),
        };
        if u.done {
            view! {
                <p class="alert alert-ok" id="unsubscribe-done" role="status">
                    {move || t_string!(i18n, unsubscribe.done, topic = label(), email = email.clone()).to_string()}
                </p>
                <p>{t!(i18n, unsubscribe.law_still)}</p>
                <p>{t!(i18n, unsubscribe.settings_hint)} " " <A href=Page::Account.path()>{t!(i18n, recovery.to_account)}</A></p>
            }
            .into_any()
        } else {
            view! {
                <p class="lead" id="unsubscribe-what">
                    {move || t_string!(i18n, unsubscribe.lead, topic = label(), email = email.clone()).to_string()}
                </p>
                <p class="actions">
                    <button type="button" class="button" id="unsubscribe" on:click=press.clone() disabled=move || pending.get()>
                        {t!(i18n, unsubscribe.button)}
                    </button>
                </p>
                <div aria-live="assertive">{move || alert.get().map(|a| view! { <p class="alert alert-error" role="alert">{a}</p> })}</div>
                <p>{t!(i18n, unsubscribe.law_still)}</p>
            }
            .into_any()
        }
    };
    view! {
        <PageHeading text=move || t_string!(i18n, unsubscribe.title).to_string() />
        {move || match after.get() {
            Some(u) => view_of(u),
            None => {
                let view_of = view_of.clone();
                view! {
                    <Transition fallback=Loading>
                        {move || {
                            let view_of = view_of.clone();
                            Suspend::new(async move {
                                match info.await {
                                    Ok(u) => view_of(u),
                                    Err(crate::api::ApiError::NotFound(_) | crate::api::ApiError::Invalid(_)) => view! {
                                        <p class="alert alert-error" id="unsubscribe-invalid">{t!(i18n, unsubscribe.invalid)}</p>
                                        <p class="actions"><A href=Page::SignIn.path() attr:class="button">{t!(i18n, account.sign_in)}</A></p>
                                    }
                                    .into_any(),
                                    Err(e) => view! {
                                        <p class="alert alert-error" role="alert">{error_text(i18n, &e)}</p>
                                        <button type="button" class="button" on:click=move |_| info.refetch()>{t!(i18n, state.retry)}</button>
                                    }
                                    .into_any(),
                                }
                            })
                        }}
                    </Transition>
                }
                .into_any()
            }
        }}
    }
}
