//! The frame around every page: skip link, header, navigation, main, footer.

use crate::components::email::EmailBanner;
use crate::components::news::AlertBanner;
use crate::components::offline::{InstallApp, OfflineBar};
use crate::i18n::*;
use crate::live::use_live;
use crate::pages::deferred::Later;
use crate::state::{Auth, use_place, use_session};
use hromada_views::frame::{LanguageButtons, SiteHeader, SiteNav, Who};
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use wasm_bindgen::JsCast;

/// Moves focus to the page's main heading, so that keyboard and screen-reader users start
/// reading the new page after a route change.
pub fn focus_main_heading() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Ok(Some(h)) = doc.query_selector("main h1")
        && let Ok(h) = h.dyn_into::<web_sys::HtmlElement>()
    {
        let _ = h.focus();
    }
}

/// The page frame.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    // After each navigation the new page's heading takes the focus once the page is drawn
    // (pages::deferred::page_drawn); pages that load data focus it again when their
    // heading appears.
    let offline = crate::offline::use_offline();
    Effect::new(move |_| {
        location.pathname.track();
        // What the new page shows is fresh until a saved copy says otherwise.
        offline.saved_at.set(None);
    });
    let skip = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        focus_main_heading();
    };
    view! {
        <a class="skip-link" href="#main" on:click=skip>{t!(i18n, nav.skip)}</a>
        <Header />
        <Later><EmailBanner /></Later>
        <div class="frame">
            <Later><Nav /></Later>
            <main id="main" tabindex="-1">
                <Later><OfflineBar /></Later>
                <AlertBanner />
                {children()}
            </main>
        </div>
        <footer class="site-footer">
            <p>{t!(i18n, footer.about)}</p>
            <Later>
                <LanguageSwitch />
                <InstallApp />
            </Later>
        </footer>
    }
}

#[component]
fn Header() -> impl IntoView {
    let session = use_session();
    let place = use_place();
    let live = use_live();
    let here = use_location().pathname;
    let who = Signal::derive(move || match session.0.get() {
        Auth::Checking => Who::Checking,
        Auth::SignedOut => Who::SignedOut,
        Auth::SignedIn(me) => Who::SignedIn(Box::new(me)),
    });
    view! { <SiteHeader place=place.0 who unread=live.unread here /> }
}

#[component]
fn Nav() -> impl IntoView {
    let session = use_session();
    let place = use_place();
    let here = use_location().pathname;
    let katottg = Signal::derive(move || place.0.with(|h| h.as_ref().map(|h| h.katottg.clone())));
    let me = Signal::derive(move || session.me());
    view! { <SiteNav place=katottg me here /> }
}

/// Switches between Ukrainian and English; the choice is remembered in a cookie, and in
/// the signed-in person's profile (the language of their emails and pushes).
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_context::<crate::state::Session>();
    let api = use_context::<crate::api::Api>();
    let choose = move |locale: Locale| {
        if i18n.get_locale_untracked() == locale {
            return;
        }
        i18n.set_locale(locale);
        let Some(api) = api.clone() else {
            return;
        };
        let code = locale.as_str();
        let me = session.and_then(|s| s.me().map(|me| (s, me)));
        leptos::task::spawn_local(async move {
            // The cookie (which the device's pushes read) is written by an effect.
            gloo_timers::future::TimeoutFuture::new(0).await;
            if let Some((session, me)) = me
                && me.language != code
            {
                let req = hromada_api::UpdateProfile {
                    language: Some(code.to_owned()),
                    ..Default::default()
                };
                if let Ok(me) = api.update_me(&req).await {
                    session.set(me);
                }
            }
            crate::push::language_changed(&api).await;
        });
    };
    view! { <LanguageButtons choose=Callback::new(choose) /> }
}

/// A page's title (in the tab) and its main heading, which receives focus on navigation.
pub use hromada_views::news::Heading as PageHeading;
