//! The frame around every page: the header with the person, the navigation, the footer
//! with the language buttons. The app draws them with its live state; the server draws
//! them, once, around a first view ([`FirstViewFrame`]).

use crate::i18n::*;
use crate::news::AlertNotice;
use crate::routes::Page;
use hromada_api::nav::Section;
use hromada_api::news::Alert;
use hromada_api::translit::place_name;
use hromada_api::{HromadaRef, Me, Role};
use leptos::prelude::*;
use leptos_i18n::I18nContext;

/// Who the header shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Who {
    /// The app is still asking the server: nothing yet.
    Checking,
    /// A guest: the way to sign in.
    SignedOut,
    /// A signed-in person: their name and role.
    SignedIn(Box<Me>),
}

/// A role's name in the current language.
pub fn role_label(i18n: I18nContext<Locale>, role: Role) -> &'static str {
    match role {
        Role::Resident => t_string!(i18n, role.resident),
        Role::VerifiedResident => t_string!(i18n, role.verified_resident),
        Role::Staff => t_string!(i18n, role.staff),
        Role::Admin => t_string!(i18n, role.admin),
    }
}

/// A hromada's name in the current language (Latin letters in English).
pub fn name_in(i18n: I18nContext<Locale>, name: &str) -> String {
    place_name(name, i18n.get_locale() == Locale::en)
}

/// The header: the app's name, the hromada of the page, the bell and the person.
#[component]
pub fn SiteHeader(
    #[prop(into)] place: Signal<Option<HromadaRef>>,
    #[prop(into)] who: Signal<Who>,
    /// The signed-in person's unread notifications.
    #[prop(into)]
    unread: Signal<u32>,
    /// The path of the page shown.
    #[prop(into)]
    here: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let person = move || match who.get() {
        Who::Checking => ().into_any(),
        Who::SignedOut => view! {
            <a href=Page::SignIn.path() class="button button-small">{t!(i18n, nav.sign_in)}</a>
        }
        .into_any(),
        Who::SignedIn(me) => {
            let role = me.role();
            let name = me.full_name;
            view! {
                <Bell unread />
                <a href=Page::Account.path() class="who">
                    <span class="who-name">{name}</span>
                    <span class="who-role">{move || role_label(i18n, role)}</span>
                </a>
            }
            .into_any()
        }
    };
    let place_link = move || {
        place.get().map(|h| {
            let href = Page::Hromada(h.katottg.clone()).path();
            let current = {
                let href = href.clone();
                move || here.with(|here| (*here == href).then_some("page"))
            };
            view! { <a href=href aria-current=current class="place">{move || name_in(i18n, &h.name)}</a> }
        })
    };
    view! {
        <header class="site-header">
            <a href=Page::Home.path() class="brand">
                <img src="/icon.svg" alt="" width="32" height="32" />
                <span>{t!(i18n, app.name)}</span>
            </a>
            {place_link}
            <div class="header-end">{person}</div>
        </header>
    }
}

/// The notifications link with the unread count.
#[component]
fn Bell(unread: Signal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let label = move || t_string!(i18n, notifications.bell, count = unread.get()).to_string();
    view! {
        <a href=Page::Notifications.path() class="bell" aria-label=label>
            <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                <path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1z" />
            </svg>
            {move || (unread.get() > 0).then(|| view! {
                <span class="bell-count" aria-hidden="true">{unread.get()}</span>
            })}
        </a>
    }
}

/// A link of the navigation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavItem {
    pub href: String,
    pub icon: &'static str,
    /// Its section, which names it.
    pub label: Section,
    /// Shown on wide screens only (the phone's bottom bar has room for five).
    pub wide: bool,
}

/// The navigation's links for a person (`None`: a guest) in a hromada (`None`: none
/// chosen yet). A signed-in person's "appeals" are their own; a guest's are the
/// hromada's public ones.
pub fn nav_items(place: Option<&str>, me: Option<&Me>) -> Vec<NavItem> {
    let item = |href: String, icon, label, wide| NavItem {
        href,
        icon,
        label,
        wide,
    };
    let mut items = vec![item(
        place.map_or_else(|| Page::Home.path(), |k| Page::Hromada(k.into()).path()),
        "⌂",
        Section::Home,
        false,
    )];
    if let Some(k) = place {
        items.push(item(Page::News(k.into()).path(), "☰", Section::News, false));
    }
    let appeals = match (me, place) {
        (None, Some(k)) => Page::PublicAppeals(k.into()).path(),
        _ => Page::MyAppeals.path(),
    };
    items.push(item(appeals, "✉", Section::Appeals, false));
    if let Some(k) = place {
        let k = || k.to_owned();
        items.push(item(
            Page::Petitions(k()).path(),
            "✍",
            Section::Petitions,
            false,
        ));
        items.push(item(Page::Budget(k()).path(), "₴", Section::Budget, true));
        items.push(item(Page::Polls(k()).path(), "☑", Section::Polls, true));
        items.push(item(
            Page::Services(k()).path(),
            "?",
            Section::Services,
            true,
        ));
    }
    items.push(item(Page::Hromadas.path(), "⌕", Section::Hromadas, true));
    if let Some(me) = me {
        let staff = place
            .filter(|k| me.is_staff_of(k))
            .map(str::to_owned)
            .or_else(|| me.staff_of.first().map(|h| h.katottg.clone()));
        if let Some(k) = staff {
            items.push(item(Page::Staff(k).path(), "▣", Section::Staff, false));
        }
        if me.admin {
            items.push(item(Page::Admin.path(), "⚙", Section::Admin, true));
        }
    }
    items.push(item(Page::Account.path(), "☺", Section::Account, false));
    items
}

fn nav_label(i18n: I18nContext<Locale>, label: Section) -> &'static str {
    match label {
        Section::Home => t_string!(i18n, nav.home),
        Section::News => t_string!(i18n, nav.news),
        Section::Appeals => t_string!(i18n, nav.appeals),
        Section::Petitions => t_string!(i18n, nav.petitions),
        Section::Budget => t_string!(i18n, nav.budget),
        Section::Polls => t_string!(i18n, nav.polls),
        Section::Services => t_string!(i18n, nav.services),
        Section::Hromadas => t_string!(i18n, nav.hromadas),
        Section::Staff => t_string!(i18n, nav.staff),
        Section::Admin => t_string!(i18n, nav.admin),
        Section::Account => t_string!(i18n, nav.account),
    }
}

/// The main navigation: a bar at the bottom on phones, a column on the side on desktops.
/// Each link is marked (`aria-current`) on its page and anywhere in its section
/// ([`hromada_api::nav::current`]).
#[component]
pub fn SiteNav(
    /// The hromada of the page (its code).
    #[prop(into)]
    place: Signal<Option<String>>,
    #[prop(into)] me: Signal<Option<Me>>,
    #[prop(into)] here: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let items = move || {
        place
            .with(|k| me.with(|me| nav_items(k.as_deref(), me.as_ref())))
            .into_iter()
            .map(|item| {
                let href = item.href.clone();
                let current = move || here.with(|here| hromada_api::nav::current(&href, here));
                let label = item.label;
                let link = view! {
                    <a href=item.href aria-current=current>
                        <span class="nav-icon" aria-hidden="true">{item.icon}</span>
                        {move || nav_label(i18n, label)}
                    </a>
                };
                if item.wide {
                    view! { <li class="nav-wide">{link}</li> }.into_any()
                } else {
                    view! { <li>{link}</li> }.into_any()
                }
            })
            .collect_view()
    };
    view! {
        <nav class="site-nav" aria-label=move || t_string!(i18n, nav.label).to_string()>
            <ul>{items}</ul>
        </nav>
    }
}

/// The language buttons. Without `choose` (a first view, before the app has started) they
/// are drawn disabled, keeping their place.
#[component]
pub fn LanguageButtons(#[prop(optional)] choose: Option<Callback<Locale>>) -> impl IntoView {
    let i18n = use_i18n();
    let button = move |locale: Locale, label: &'static str| {
        view! {
            <button
                type="button"
                class="lang"
                lang=locale.as_str()
                aria-pressed=move || (i18n.get_locale() == locale).to_string()
                disabled=choose.is_none()
                on:click=move |_| if let Some(c) = choose { c.run(locale) }
            >
                {label}
            </button>
        }
    };
    view! {
        <div class="lang-switch" role="group" aria-label=move || t_string!(i18n, nav.language).to_string()>
            {button(Locale::uk, "Українська")}
            {button(Locale::en, "English")}
        </div>
    }
}

/// Everything a first view knows of the visit: the hromada of the page, the person, the
/// page's path and the hromada's active alerts.
#[derive(Debug, Clone, Default)]
pub struct Visit {
    pub place: Option<HromadaRef>,
    pub me: Option<Me>,
    pub unread: u32,
    pub here: String,
    pub alerts: Vec<Alert>,
    /// Where the site is served (`HROMADA_PUBLIC_URL`), for the links of previews.
    pub public_url: String,
}

/// The app's frame as the server draws it around a first view: skip link, header,
/// navigation, main with the alerts, footer. Its buttons are disabled until the app starts.
#[component]
pub fn FirstViewFrame(visit: Visit, children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let who = match visit.me.clone() {
        Some(me) => Who::SignedIn(Box::new(me)),
        None => Who::SignedOut,
    };
    let katottg = visit.place.as_ref().map(|h| h.katottg.clone());
    let alerts = (!visit.alerts.is_empty()).then(|| {
        view! {
            <section class="alerts" aria-label=move || t_string!(i18n, alerts.region).to_string()>
                {visit.alerts.into_iter().map(|a| view! { <AlertNotice a hide=None /> }).collect_view()}
            </section>
        }
    });
    view! {
        <a class="skip-link" href="#main">{t!(i18n, nav.skip)}</a>
        <SiteHeader place=visit.place who unread=visit.unread here=visit.here.clone() />
        <div class="frame">
            <SiteNav place=katottg me=visit.me here=visit.here />
            <main id="main" tabindex="-1">
                {alerts}
                {children()}
            </main>
        </div>
        <footer class="site-footer">
            <p>{t!(i18n, footer.about)}</p>
            <LanguageButtons />
        </footer>
    }
}
