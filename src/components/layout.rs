//! The frame around every page: skip link, header, navigation, main, footer.

use crate::components::email::EmailBanner;
use crate::components::hromada_search::name_in;
use crate::components::news::AlertBanner;
use crate::components::offline::{InstallApp, OfflineBar};
use crate::i18n::*;
use crate::live::use_live;
use crate::pages::deferred::Later;
use crate::routes::Page;
use crate::state::{Auth, use_place, use_session};
use hromada_api::Role;
use leptos::prelude::*;
use leptos_router::components::A;
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
    let i18n = use_i18n();
    let session = use_session();
    let place = use_place();
    let role_label = move |role: Role| match role {
        Role::Resident => t_string!(i18n, role.resident).to_string(),
        Role::VerifiedResident => t_string!(i18n, role.verified_resident).to_string(),
        Role::Staff => t_string!(i18n, role.staff).to_string(),
        Role::Admin => t_string!(i18n, role.admin).to_string(),
    };
    let who = move || match session.0.get() {
        Auth::Checking => ().into_any(),
        Auth::SignedOut => view! {
            <A href=Page::SignIn.path() attr:class="button button-small">{t!(i18n, nav.sign_in)}</A>
        }
        .into_any(),
        Auth::SignedIn(me) => {
            let role = role_label(me.role());
            view! {
                <A href=Page::Account.path() attr:class="who">
                    <span class="who-name">{me.full_name}</span>
                    <span class="who-role">{role}</span>
                </A>
            }
            .into_any()
        }
    };
    let place_link = move || {
        place.0.get().map(|h| {
            view! { <A href=Page::Hromada(h.katottg.clone()).path() exact=true attr:class="place">{move || name_in(i18n, &h.name)}</A> }
        })
    };
    view! {
        <header class="site-header">
            <A href=Page::Home.path() attr:class="brand">
                <img src="/icon.svg" alt="" width="32" height="32" />
                <span>{t!(i18n, app.name)}</span>
            </A>
            {place_link}
            <div class="header-end"><Bell />{who}</div>
        </header>
    }
}

/// The notifications link with the unread count, for a signed-in person; the count
/// follows live events.
#[component]
fn Bell() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let live = use_live();
    move || {
        session.me().map(|_| {
            let count = live.unread;
            let label = move || {
                let count = count.get();
                t_string!(i18n, notifications.bell, count).to_string()
            };
            view! {
                <A href=Page::Notifications.path() attr:class="bell" attr:aria-label=label>
                    <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                        <path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1z" />
                    </svg>
                    <Show when=move || { count.get() > 0 }>
                        <span class="bell-count" aria-hidden="true">{move || count.get()}</span>
                    </Show>
                </A>
            }
        })
    }
}

/// The main navigation: a bar at the bottom on phones, a column on the side on desktops.
#[component]
fn Nav() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let place = use_place();
    let home = move || {
        place
            .0
            .get()
            .map_or_else(|| Page::Home.path(), |h| Page::Hromada(h.katottg).path())
    };
    // Signed in: the person's own appeals; otherwise what the hromada's residents follow.
    let appeals = move || match (session.me(), place.0.get()) {
        (None, Some(h)) => Page::PublicAppeals(h.katottg).path(),
        _ => Page::MyAppeals.path(),
    };
    let staff_link = move || {
        let me = session.me()?;
        let k = place
            .0
            .get()
            .map(|h| h.katottg)
            .filter(|k| me.is_staff_of(k))
            .or_else(|| me.staff_of.first().map(|h| h.katottg.clone()))?;
        Some(view! {
            <li><NavLink href=Page::Staff(k).path() icon="▣">{t!(i18n, nav.staff)}</NavLink></li>
        })
    };
    let admin_link = move || {
        session.me().filter(|m| m.admin).map(|_| {
            view! {
                <li class="nav-wide"><NavLink href=Page::Admin.path() icon="⚙">{t!(i18n, nav.admin)}</NavLink></li>
            }
        })
    };
    view! {
        <nav class="site-nav" aria-label=move || t_string!(i18n, nav.label).to_string()>
            <ul>
                <li><NavLink href=Signal::derive(home) icon="⌂">{t!(i18n, nav.home)}</NavLink></li>
                {move || place.0.get().map(|h| view! {
                    <li><NavLink href=Page::News(h.katottg).path() icon="☰">{t!(i18n, nav.news)}</NavLink></li>
                })}
                <li><NavLink href=Signal::derive(appeals) icon="✉">{t!(i18n, nav.appeals)}</NavLink></li>
                {move || place.0.get().map(|h| view! {
                    <li><NavLink href=Page::Petitions(h.katottg).path() icon="✍">{t!(i18n, nav.petitions)}</NavLink></li>
                })}
                {move || place.0.get().map(|h| view! {
                    <li class="nav-wide"><NavLink href=Page::Budget(h.katottg).path() icon="₴">{t!(i18n, nav.budget)}</NavLink></li>
                })}
                {move || place.0.get().map(|h| view! {
                    <li class="nav-wide"><NavLink href=Page::Polls(h.katottg).path() icon="☑">{t!(i18n, nav.polls)}</NavLink></li>
                })}
                {move || place.0.get().map(|h| view! {
                    <li class="nav-wide"><NavLink href=Page::Services(h.katottg).path() icon="?">{t!(i18n, nav.services)}</NavLink></li>
                })}
                <li class="nav-wide"><NavLink href=Page::Hromadas.path() icon="⌕">{t!(i18n, nav.hromadas)}</NavLink></li>
                {staff_link}
                {admin_link}
                <li><NavLink href=Page::Account.path() icon="☺">{t!(i18n, nav.account)}</NavLink></li>
            </ul>
        </nav>
    }
}

/// A link of the navigation, marked (`aria-current`) on its page and anywhere in its
/// section ([`hromada_api::nav::current`]).
#[component]
fn NavLink(
    #[prop(into)] href: Signal<String>,
    icon: &'static str,
    children: Children,
) -> impl IntoView {
    let here = leptos_router::hooks::use_location().pathname;
    let current = move || here.with(|here| href.with(|h| hromada_api::nav::current(h, here)));
    view! {
        <a href=href aria-current=current>
            <span class="nav-icon" aria-hidden="true">{icon}</span>
            {children()}
        </a>
    }
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
    let button = move |locale: Locale, label: &'static str, lang: &'static str| {
        let choose = choose.clone();
        view! {
            <button
                type="button"
                class="lang"
                lang=lang
                aria-pressed=move || (i18n.get_locale() == locale).to_string()
                on:click=move |_| choose(locale)
            >
                {label}
            </button>
        }
    };
    view! {
        <div class="lang-switch" role="group" aria-label=move || t_string!(i18n, nav.language).to_string()>
            {button(Locale::uk, "Українська", "uk")}
            {button(Locale::en, "English", "en")}
        </div>
    }
}

/// A page's title (in the tab) and its main heading, which receives focus on navigation.
#[component]
pub fn PageHeading(#[prop(into)] text: Signal<String>) -> impl IntoView {
    view! {
        // `try_get`: the title outlives a heading that a reload of its page replaced.
        <leptos_meta::Title text=move || text.try_get().unwrap_or_default() />
        <h1 tabindex="-1">{move || text.try_get().unwrap_or_default()}</h1>
    }
}
