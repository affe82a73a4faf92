//! The signed-in person's email address: a banner while it is not confirmed (with "Send
//! again"), or when mail to it bounced for good.

use crate::api::use_api;
use crate::components::states::error_text;
use crate::i18n::*;
use crate::routes::Page;
use crate::state::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

/// Sends the confirmation link again; says when it did, or why not.
#[component]
pub fn SendAgain(#[prop(into)] id: String) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let pending = RwSignal::new(false);
    let said = RwSignal::new(None::<(bool, String)>);
    let send = move |_| {
        let api = api.clone();
        pending.set(true);
        said.set(None);
        spawn_local(async move {
            let r = api.resend_confirmation().await;
            pending.set(false);
            said.set(Some(match r {
                Ok(()) => (true, t_string!(i18n, settings.sent_again).to_string()),
                Err(e) => (false, error_text(i18n, &e)),
            }));
        });
    };
    view! {
        <button type="button" class="button button-small button-secondary" id=id on:click=send disabled=move || pending.get()>
            {t!(i18n, settings.send_again)}
        </button>
        <span aria-live="polite" class="send-again-said">
            {move || said.get().map(|(ok, text)| view! {
                <span class=if ok { "said-ok" } else { "said-error" } role=if ok { "status" } else { "alert" }>{text}</span>
            })}
        </span>
    }
}

/// Shown on every page to a signed-in person whose address is not confirmed, or failing.
#[component]
pub fn EmailBanner() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let state = Memo::new(move |_| {
        session
            .me()
            .map(|me| (me.email, me.email_confirmed, me.email_failing))
    });
    move || {
        let (email, confirmed, failing) = state.get()?;
        if failing {
            let e = email.clone();
            return Some(
                view! {
                    <aside class="site-banner banner-failing" id="email-banner" aria-label=move || t_string!(i18n, banner.label).to_string()>
                        <p>
                            {move || t_string!(i18n, banner.failing, email = e.clone()).to_string()}
                            " "
                            <A href=Page::Account.path()>{t!(i18n, banner.correct)}</A>
                        </p>
                    </aside>
                }
                .into_any(),
            );
        }
        (!confirmed).then(|| {
            view! {
                <aside class="site-banner" id="email-banner" aria-label=move || t_string!(i18n, banner.label).to_string()>
                    <p>{move || t_string!(i18n, banner.unconfirmed, email = email.clone()).to_string()}</p>
                    <p class="banner-actions"><SendAgain id="email-send-again" /></p>
                </aside>
            }
            .into_any()
        })
    }
}
