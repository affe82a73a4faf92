//! A hromada's home page: who it is, the way to get its alerts, the sections, and its
//! latest news.

use crate::frame::name_in;
use crate::i18n::*;
use crate::more::MoreControl;
use crate::news::{Empty, Heading, NewsCard};
use crate::routes::Page;
use hromada_api::news::NewsSummary;
use hromada_api::translit::location;
use hromada_api::{Hromada, HromadaSummary};
use leptos::prelude::*;
use leptos_i18n::I18nContext;

/// How many news items the home page shows.
pub const HOME_NEWS: usize = 5;

/// "Херсонський район, Херсонська область": where a hromada is, in the current language.
pub fn where_is(i18n: I18nContext<Locale>, raion: &str, oblast: &str) -> String {
    location(
        raion,
        oblast,
        (
            t_string!(i18n, hromada.raion_word),
            t_string!(i18n, hromada.oblast_word),
        ),
        i18n.get_locale() == Locale::en,
    )
}

/// The card "Get alerts on this device": its title and lead around what the device can
/// do (`children`), and the places for its errors and notices.
#[component]
pub fn PushCard(
    children: Children,
    /// An error, read out at once.
    #[prop(optional)]
    problem: Option<AnyView>,
    /// A notice, read out politely.
    #[prop(optional)]
    notice: Option<AnyView>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card push-card" aria-labelledby="push-h">
            <h2 id="push-h">{t!(i18n, push.title)}</h2>
            <p>{t!(i18n, push.lead)}</p>
            {children()}
            <div aria-live="assertive">{problem}</div>
            <div aria-live="polite">{notice}</div>
        </section>
    }
}

/// The alerts are off on this device: "urgent alerts and information too", and the button
/// to turn them on. Without `turn_on` (before the app has started) both are disabled.
#[component]
pub fn PushOff(
    info: RwSignal<bool>,
    #[prop(optional)] turn_on: Option<Callback<()>>,
    #[prop(into, optional)] pending: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let ready = turn_on.is_some();
    view! {
        <label class="choice" for="push-info">
            <input type="checkbox" id="push-info" prop:checked=move || info.get() disabled=!ready
                on:change=move |ev| info.set(event_target_checked(&ev)) />
            <span>{t!(i18n, push.info_too)}</span>
        </label>
        <p class="actions">
            <button type="button" class="button" id="push-on"
                on:click=move |_| if let Some(f) = turn_on { f.run(()) }
                disabled=move || !ready || pending.get()>
                {t!(i18n, push.turn_on)}
            </button>
        </p>
    }
}

/// The home page's latest news: its heading, the list (`children`) and the way to all.
#[component]
pub fn LatestNews(katottg: String, children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section aria-labelledby="latest-h">
            <h2 id="latest-h">{t!(i18n, news.latest)}</h2>
            {children()}
            <p><a href=Page::News(katottg).path() class="button button-secondary">{t!(i18n, news.all)}</a></p>
        </section>
    }
}

/// The latest news as a list (or the sentence that there are none).
#[component]
pub fn LatestList(items: Vec<NewsSummary>) -> impl IntoView {
    let i18n = use_i18n();
    if items.is_empty() {
        return view! { <Empty>{t!(i18n, news.empty)}</Empty> }.into_any();
    }
    view! {
        <ul class="news-list">
            {items.into_iter().take(HOME_NEWS).map(|n| view! { <NewsCard n /> }).collect_view()}
        </ul>
    }
    .into_any()
}

/// A guest's invitation to join, or to sign in.
#[component]
pub fn JoinCard() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card">
            <p>{t!(i18n, hromada.join)}</p>
            <p class="actions">
                <a href=Page::SignUp.path() class="button">{t!(i18n, account.sign_up)}</a>
                <a href=Page::SignIn.path() class="button button-secondary">{t!(i18n, account.sign_in)}</a>
            </p>
        </section>
    }
}

/// A card of the home page leading to a section: its title, a sentence and its links
/// (the first one the main one).
#[component]
fn SectionCard(
    id: &'static str,
    title: Signal<String>,
    text: Signal<String>,
    links: Vec<(String, Signal<String>)>,
) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby=id>
            <h2 id=id>{move || title.get()}</h2>
            <p>{move || text.get()}</p>
            <p class="actions">
                {links.into_iter().enumerate().map(|(i, (href, label))| view! {
                    <a href=href class=if i == 0 { "button" } else { "button button-secondary" }>{move || label.get()}</a>
                }).collect_view()}
            </p>
        </section>
    }
}

/// A hromada's home page. `push` is the alerts card, `latest` the latest news, `you` what
/// the reader is offered (the invitation to join for a guest).
#[component]
pub fn HromadaHome(h: Hromada, push: AnyView, latest: AnyView, you: AnyView) -> impl IntoView {
    let i18n = use_i18n();
    let name = h.name.clone();
    let title = Signal::derive(move || {
        format!(
            "{} {}",
            name_in(i18n, &name),
            t_string!(i18n, hromada.hromada_word)
        )
    });
    let (raion, oblast) = (h.raion.clone(), h.oblast.clone());
    let place_line = move || where_is(i18n, &raion, &oblast);
    let signatures = h.settings.petition_signatures;
    let days = h.settings.petition_days;
    let k = h.katottg.clone();
    macro_rules! text {
        ($($key:tt)+) => {
            Signal::derive(move || t_string!(i18n, $($key)+).to_string())
        };
    }
    let petitions_text =
        Signal::derive(move || t_string!(i18n, petitions.home_text, signatures, days).to_string());
    view! {
        <Heading text=title />
        <p class="lead">{place_line}</p>
        <section class="card" aria-labelledby="about-h">
            <h2 id="about-h">{t!(i18n, hromada.about)}</h2>
            <dl class="facts">
                <dt>{t!(i18n, hromada.settlements)}</dt>
                <dd>{h.settlements}</dd>
                <dt>{t!(i18n, hromada.cities)}</dt>
                <dd>{h.cities}</dd>
                <dt>{t!(i18n, hromada.code)}</dt>
                <dd><code>{h.katottg.clone()}</code></dd>
                <dt>{t!(i18n, hromada.petition_rule)}</dt>
                <dd>{t!(i18n, hromada.petition_rule_value, signatures, days)}</dd>
            </dl>
        </section>
        {push}
        <SectionCard id="appeals-h" title=text!(appeals.home_title) text=text!(appeals.home_text)
            links=vec![
                (Page::AppealNew(k.clone()).path(), text!(appeals.write)),
                (Page::PublicAppeals(k.clone()).path(), text!(appeals.public_title)),
            ] />
        <SectionCard id="petitions-h" title=text!(petitions.home_title) text=petitions_text
            links=vec![
                (Page::Petitions(k.clone()).path(), text!(petitions.title)),
                (Page::PetitionNew(k.clone()).path(), text!(petitions.write)),
            ] />
        <SectionCard id="services-h" title=text!(services.title) text=text!(services.home_text)
            links=vec![
                (Page::Services(k.clone()).path(), text!(services.title)),
                (Page::Ask(k.clone()).path(), text!(consult.ask)),
            ] />
        <SectionCard id="budget-h" title=text!(budget.home_title) text=text!(budget.home_text)
            links=vec![(Page::Budget(k.clone()).path(), text!(budget.title))] />
        <SectionCard id="polls-h" title=text!(polls.title) text=text!(polls.home_text)
            links=vec![(Page::Polls(k.clone()).path(), text!(polls.title))] />
        {latest}
        {you}
        <p><a href=Page::Hromadas.path()>{t!(i18n, hromada.change)}</a></p>
    }
}

/// The search field of the hromada picker. Without `on_input` (before the app has
/// started) it is disabled.
#[component]
pub fn SearchField(
    input_id: &'static str,
    typed: RwSignal<String>,
    #[prop(optional)] on_input: Option<Callback<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label for=input_id>{t!(i18n, hromada.search_label)}</label>
        <input
            id=input_id
            type="search"
            autocomplete="off"
            placeholder=move || t_string!(i18n, hromada.search_placeholder).to_string()
            disabled=on_input.is_none()
            prop:value=move || typed.get()
            on:input=move |ev| if let Some(f) = on_input { f.run(event_target_value(&ev)) }
        />
    }
}

/// A hromada in the picker's results: its name and where it is.
#[component]
pub fn ResultLabel(h: HromadaSummary) -> impl IntoView {
    let i18n = use_i18n();
    let (name, raion, oblast) = (h.name, h.raion, h.oblast);
    view! {
        <span class="result-name">{move || name_in(i18n, &name)}</span>
        <span class="result-place">{move || where_is(i18n, &raion, &oblast)}</span>
    }
}

/// A hromada in the picker's results, as a link to its page.
#[component]
pub fn ResultLink(h: HromadaSummary) -> impl IntoView {
    let href = Page::Hromada(h.katottg.clone()).path();
    view! { <li><a href=href class="result"><ResultLabel h /></a></li> }
}

/// The picker's title and lead.
#[component]
pub fn PickerTop() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Heading text=Signal::derive(move || t_string!(i18n, hromada.pick_title).to_string()) />
        <p class="lead">{t!(i18n, hromada.pick_lead)}</p>
    }
}

/// The start page before the app has started: the picker with its first hromadas.
#[component]
pub fn PickerPage(
    items: Vec<HromadaSummary>,
    /// There are more hromadas than this first page.
    more: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PickerTop />
        <div class="hromada-search" role="search">
            <SearchField input_id="hromada-q" typed=RwSignal::new(String::new()) />
            <ul class="results" aria-label=move || t_string!(i18n, hromada.results).to_string()>
                {items.into_iter().map(|h| view! { <ResultLink h /> }).collect_view()}
            </ul>
            {more.then(|| view! { <MoreControl /> })}
        </div>
    }
}
