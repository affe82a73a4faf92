//! What the app says about the network and itself, on every page: offline, showing saved
//! copies, a new version waiting, the outbox, a delivery; and the install button.

use crate::format::local_date_time;
use crate::i18n::*;
use crate::offline::{counts, use_offline};
use crate::routes::Page;
use leptos::prelude::*;
use leptos_router::components::A;

/// How long "Sent: …" stays, in milliseconds.
const DELIVERED_MS: u64 = 10_000;

/// The bar above every page.
#[component]
pub fn OfflineBar() -> impl IntoView {
    let i18n = use_i18n();
    let offline = use_offline();
    let saved = move || {
        offline
            .saved_at
            .get()
            .map(|at| t_string!(i18n, offline.saved_at, time = local_date_time(&at)).to_string())
    };
    // "Sent: …" shows for a while after each delivery.
    let delivered = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(d) = offline.delivered.get() {
            delivered.set(Some(d.label.clone()));
            set_timeout(
                move || delivered.set(None),
                std::time::Duration::from_millis(DELIVERED_MS),
            );
        }
    });
    let refresh = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    };
    view! {
        <div class="offline-bar" role="status" aria-live="polite">
            {move || offline.update_ready.get().then(|| view! {
                <p class="notice notice-update" id="update-ready">
                    {t!(i18n, offline.update)}" "
                    <button type="button" class="button button-small" id="update-reload" on:click=move |_| offline.update_now()>
                        {t!(i18n, offline.update_reload)}
                    </button>
                </p>
            })}
            {move || (!offline.online.get()).then(|| view! {
                <p class="notice notice-offline" id="offline-note">
                    <strong>{t!(i18n, offline.offline)}</strong>" "{saved}
                </p>
            })}
            {move || (offline.online.get() && offline.saved_at.get().is_some()).then(|| view! {
                <p class="notice notice-offline" id="saved-note">
                    {saved}" "
                    <button type="button" class="button button-small button-secondary" on:click=refresh>
                        {t!(i18n, offline.refresh)}
                    </button>
                </p>
            })}
            {move || {
                let (waiting, refused) = counts(&offline.outbox.get());
                let any_refused = refused > 0;
                (waiting + refused > 0).then(|| view! {
                    <p class="notice notice-outbox" class:refused=any_refused>
                        <A href=Page::Outbox.path() attr:id="outbox-link">
                            {move || t_string!(i18n, offline.outbox_link, count = waiting + refused).to_string()}
                        </A>
                    </p>
                })
            }}
            {move || delivered.get().map(|label| view! {
                <p class="notice notice-ok" id="delivered-note">
                    {move || t_string!(i18n, offline.delivered, label = label.clone()).to_string()}
                </p>
            })}
        </div>
    }
}

/// "Install the app" where the browser offers installation; a hint on iOS Safari, which
/// installs only from its Share menu.
#[component]
pub fn InstallApp() -> impl IntoView {
    let i18n = use_i18n();
    let offline = use_offline();
    view! {
        {move || offline.can_install.get().then(|| view! {
            <button type="button" class="button button-small" id="install-app" on:click=move |_| offline.install()>
                {t!(i18n, offline.install)}
            </button>
        })}
        {offline.ios_hint.then(|| view! { <p class="hint" id="ios-install-hint">{t!(i18n, offline.ios_hint)}</p> })}
    }
}
