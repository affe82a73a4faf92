//! `/account`: the person's profile, password, verification of residence, and sign-out.

use crate::api::{ApiError, use_api};
use crate::components::form::{FormMessages, FormState, TextField};
use crate::components::hromada_search::name_in;
use crate::components::layout::PageHeading;
use crate::components::states::{Loading, error_text};
use crate::format::date;
use crate::i18n::*;
use crate::pages::account::settings::{DevicesCard, EmailCard, NotificationSettingsCard};
use crate::routes::Page;
use crate::state::{Auth, use_session};
use hromada_api::{ChangePassword, Me, UpdateProfile, Verification, validate};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

/// The account page; asks to sign in when nobody is.
#[component]
pub fn Profile() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    // Re-render only when the person signs in or out, not on every change to their
    // record: forms keep their state and messages when the profile is saved.
    let shown = Memo::new(move |_| match session.0.get() {
        Auth::Checking => 0,
        Auth::SignedOut => 1,
        Auth::SignedIn(_) => 2,
    });
    view! {
        <PageHeading text=move || t_string!(i18n, account.title).to_string() />
        {move || match shown.get() {
            0 => view! { <Loading /> }.into_any(),
            1 => view! {
                <p>{t!(i18n, account.signed_out)}</p>
                <p class="actions">
                    <A href=Page::SignIn.path() attr:class="button">{t!(i18n, account.sign_in)}</A>
                    <A href=Page::SignUp.path() attr:class="button button-secondary">{t!(i18n, account.sign_up)}</A>
                </p>
            }
            .into_any(),
            _ => match session.0.get_untracked() {
                Auth::SignedIn(me) => view! { <Account me /> }.into_any(),
                _ => ().into_any(),
            },
        }}
    }
}

#[component]
fn Account(me: Me) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="lead">{me.email.clone()} " · " {t!(i18n, account.since)} " " {date(&me.created_at)}</p>
        <VerificationCard />
        <ProfileForm me=me.clone() />
        <EmailCard />
        <PasswordForm />
        <NotificationSettingsCard />
        <DevicesCard katottg=me.hromada.katottg.clone() />
        <SignOut />
    }
}

#[component]
fn VerificationCard() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let form = FormState::new();
    let ask = move |_| {
        let api = api.clone();
        if form.begin(vec![]) {
            spawn_local(async move {
                match api.request_verification().await {
                    Ok(me) => {
                        form.succeed(Some(t_string!(i18n, account.verification_sent).to_string()));
                        session.set(me);
                    }
                    Err(e) => form.fail(i18n, &e),
                }
            });
        }
    };
    let status = move |me: &Me| match me.verification {
        Verification::None => view! { <p>{t!(i18n, account.verification_none)}</p> }.into_any(),
        Verification::Pending => {
            view! { <p class="badge badge-wait">{t!(i18n, account.verification_pending)}</p> }
                .into_any()
        }
        Verification::Verified => {
            view! { <p class="badge badge-ok">{t!(i18n, account.verified)}</p> }.into_any()
        }
        Verification::Refused => view! {
            <p class="badge badge-no">{t!(i18n, account.verification_refused)}</p>
            {me.verification_note.clone().map(|n| view! { <blockquote>{n}</blockquote> })}
        }
        .into_any(),
    };
    let can_ask = move || {
        session
            .me()
            .is_some_and(|me| matches!(me.verification, Verification::None | Verification::Refused))
    };
    let details = move || {
        session.me().map(|me| {
            let staff_of = me.staff_of.clone();
            view! {
                <p>
                    <strong>{name_in(i18n, &me.hromada.name)}</strong>
                    " · "
                    <A href=Page::Hromada(me.hromada.katottg.clone()).path()>{t!(i18n, account.open_hromada)}</A>
                </p>
                {status(&me)}
                {(!staff_of.is_empty()).then(|| view! {
                    <h3>{t!(i18n, account.staff_of)}</h3>
                    <ul>
                        {staff_of.into_iter().map(|h| view! {
                            <li><A href=Page::Staff(h.katottg.clone()).path()>{move || name_in(i18n, &h.name)}</A></li>
                        }).collect_view()}
                    </ul>
                })}
            }
        })
    };
    view! {
        <section class="card" aria-labelledby="verify-h">
            <h2 id="verify-h">{t!(i18n, account.verification_title)}</h2>
            {details}
            <FormMessages form />
            <Show when=can_ask>
                <p class="hint">{t!(i18n, account.verification_explain)}</p>
                <button type="button" class="button" on:click=ask.clone() disabled=move || form.pending.get()>
                    {t!(i18n, account.ask_verification)}
                </button>
            </Show>
        </section>
    }
}

#[component]
fn ProfileForm(me: Me) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let form = FormState::new();
    let full_name = RwSignal::new(me.full_name.clone());
    let address = RwSignal::new(me.address.clone());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let req = UpdateProfile {
            full_name: Some(full_name.get_untracked().trim().to_owned()),
            address: Some(address.get_untracked().trim().to_owned()),
            ..Default::default()
        };
        if form.begin(validate::update_profile(&req)) {
            let api = api.clone();
            spawn_local(async move {
                match api.update_me(&req).await {
                    Ok(me) => {
                        form.succeed(Some(t_string!(i18n, account.saved).to_string()));
                        session.set(me);
                    }
                    Err(e) => form.fail(i18n, &e),
                }
            });
        }
    };
    view! {
        <section class="card" aria-labelledby="profile-h">
            <h2 id="profile-h">{t!(i18n, account.profile)}</h2>
            <form class="form" on:submit=on_submit novalidate>
                <FormMessages form />
                <TextField form name="full_name" value=full_name autocomplete="name">
                    {t!(i18n, account.full_name)}
                </TextField>
                <TextField form name="address" value=address autocomplete="street-address">
                    {t!(i18n, account.address)}
                </TextField>
                <button type="submit" class="button" disabled=move || form.pending.get()>
                    {t!(i18n, account.save)}
                </button>
            </form>
        </section>
    }
}

#[component]
fn PasswordForm() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let form = FormState::new();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let req = ChangePassword {
            current_password: current.get_untracked(),
            new_password: new.get_untracked(),
        };
        if form.begin(validate::change_password(&req)) {
            let api = api.clone();
            spawn_local(async move {
                match api.change_password(&req).await {
                    Ok(()) => {
                        current.set(String::new());
                        new.set(String::new());
                        form.succeed(Some(t_string!(i18n, account.password_changed).to_string()));
                    }
                    Err(e) => form.fail(i18n, &e),
                }
            });
        }
    };
    let hint = Signal::derive(move || t_string!(i18n, account.password_hint).to_string());
    view! {
        <section class="card" aria-labelledby="password-h">
            <h2 id="password-h">{t!(i18n, account.change_password)}</h2>
            <form class="form" on:submit=on_submit novalidate>
                <FormMessages form />
                <TextField form name="current_password" value=current kind="password" autocomplete="current-password">
                    {t!(i18n, account.current_password)}
                </TextField>
                <TextField form name="new_password" value=new kind="password" autocomplete="new-password" hint>
                    {t!(i18n, account.new_password)}
                </TextField>
                <button type="submit" class="button" disabled=move || form.pending.get()>
                    {t!(i18n, account.change_password)}
                </button>
            </form>
        </section>
    }
}

#[component]
fn SignOut() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let navigate = use_navigate();
    let alert = RwSignal::new(None::<String>);
    let sign_out = move |_| {
        let (api, navigate) = (api.clone(), navigate.clone());
        spawn_local(async move {
            // This device stops getting the person's notifications (its alerts stay).
            crate::push::forget_person(&api).await;
            match api.logout().await {
                Ok(()) | Err(ApiError::Unauthorized(_)) => {
                    session.clear();
                    crate::push::keep_alerts(&api).await;
                    navigate(&Page::SignIn.path(), Default::default());
                }
                Err(e) => alert.set(Some(error_text(i18n, &e))),
            }
        });
    };
    view! {
        <p class="actions">
            <button type="button" class="button button-secondary" id="sign-out" on:click=sign_out>{t!(i18n, account.sign_out)}</button>
        </p>
        {move || alert.get().map(|a| view! { <p class="alert alert-error" role="alert">{a}</p> })}
    }
}
