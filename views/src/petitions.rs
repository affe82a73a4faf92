//! Local petitions: the labels, the progress toward the number, a card of a list, the
//! list's tabs and filters, and a petition as anyone may read it.

use crate::format::{date, date_time, now_ms, time_left_text};
use crate::i18n::*;
use crate::news::{Empty, Heading, ListHeading};
use crate::routes::{Page, sign_in_then};
use hromada_api::petitions::rules::progress_percent;
use hromada_api::petitions::{Decision, Petition, PetitionSort, PetitionStatus, PetitionSummary};
use leptos::prelude::*;
use leptos_i18n::I18nContext;

/// The name of a status (also the name of its tab).
pub fn status_label(i18n: I18nContext<Locale>, status: PetitionStatus) -> String {
    match status {
        PetitionStatus::Moderation => t_string!(i18n, petitions.status_moderation),
        PetitionStatus::Collecting => t_string!(i18n, petitions.status_collecting),
        PetitionStatus::Consideration => t_string!(i18n, petitions.status_consideration),
        PetitionStatus::Answered => t_string!(i18n, petitions.status_answered),
        PetitionStatus::NotSupported => t_string!(i18n, petitions.status_not_supported),
        PetitionStatus::Rejected => t_string!(i18n, petitions.status_rejected),
    }
    .to_string()
}

/// The name of the council's decision.
pub fn decision_label(i18n: I18nContext<Locale>, decision: Decision) -> String {
    match decision {
        Decision::Supported => t_string!(i18n, petitions.decision_supported),
        Decision::PartlySupported => t_string!(i18n, petitions.decision_partly),
        Decision::NotSupported => t_string!(i18n, petitions.decision_not_supported),
    }
    .to_string()
}

/// The name of an order of the list.
pub fn sort_label(i18n: I18nContext<Locale>, s: PetitionSort) -> &'static str {
    match s {
        PetitionSort::Newest => t_string!(i18n, petitions.sort_newest),
        PetitionSort::MostSigned => t_string!(i18n, petitions.sort_most_signed),
        PetitionSort::EndingSoon => t_string!(i18n, petitions.sort_ending_soon),
    }
}

/// Whether a petition in this state shows its count of signatures.
pub fn counts(status: PetitionStatus) -> bool {
    !matches!(
        status,
        PetitionStatus::Moderation | PetitionStatus::Rejected
    )
}

/// The count toward the number: a bar and "37 of 250 signatures".
#[component]
pub fn Progress(signatures: u32, needed: u32) -> impl IntoView {
    let i18n = use_i18n();
    let percent = progress_percent(signatures, needed);
    view! {
        <div class="progress">
            <progress max="100" value=percent.to_string()
                aria-label=move || t_string!(i18n, petitions.count_of, count = signatures, needed = needed).to_string()></progress>
            <p class="progress-text">
                <strong>{signatures}</strong>" "{move || t_string!(i18n, petitions.of_needed, needed = needed).to_string()}
            </p>
        </div>
    }
}

/// What a petition's time says: the time left to sign, or when the decision is due.
pub fn when_text(i18n: I18nContext<Locale>, p: &PetitionSummary) -> Option<String> {
    match p.status {
        PetitionStatus::Collecting => p
            .ends_at
            .as_deref()
            .and_then(|e| time_left_text(i18n, e, now_ms())),
        PetitionStatus::Moderation | PetitionStatus::Consideration => p
            .due_at
            .as_deref()
            .map(|d| t_string!(i18n, petitions.decision_due, date = date(d)).to_string()),
        _ => None,
    }
}

/// One petition in a list.
#[component]
pub fn PetitionCard(p: PetitionSummary) -> impl IntoView {
    let i18n = use_i18n();
    let href = Page::Petition(p.id.clone()).path();
    let status = p.status;
    let decision = p.decision;
    let when = {
        let p = p.clone();
        move || when_text(i18n, &p)
    };
    view! {
        <li class="card petition-card">
            <h3><a href=href>{p.title.clone()}</a></h3>
            <p class="meta">
                <span class=format!("badge pstatus-{}", status.code())>{move || status_label(i18n, status)}</span>
                {decision.map(|d| view! { " " <span class="badge">{move || decision_label(i18n, d)}</span> })}
                " · "{p.author_name.clone()}
            </p>
            {counts(status).then(|| view! { <Progress signatures=p.signatures needed=p.needed /> })}
            <p class="meta">{when}</p>
        </li>
    }
}

/// What the petitions list shows: its tab, its order and the words searched for, all
/// held by the address so that a list can be shared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListFilter {
    pub status: PetitionStatus,
    pub sort: PetitionSort,
    pub q: String,
}

impl Default for ListFilter {
    fn default() -> Self {
        Self {
            status: PetitionStatus::Collecting,
            sort: PetitionSort::default(),
            q: String::new(),
        }
    }
}

impl ListFilter {
    /// The filter of an address's query parameters (`status`, `sort`, `q`); what is
    /// missing or unknown is the default (collecting, newest first, no words).
    pub fn from_query<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut f = Self::default();
        for (k, v) in pairs {
            match k {
                "status" => {
                    f.status = PetitionStatus::from_code(v)
                        .filter(|s| *s != PetitionStatus::Moderation)
                        .unwrap_or(PetitionStatus::Collecting);
                }
                "sort" => f.sort = PetitionSort::from_code(v).unwrap_or_default(),
                "q" => f.q = v.trim().to_owned(),
                _ => {}
            }
        }
        f
    }

    /// The list's address with this filter.
    pub fn href(&self, katottg: &str) -> String {
        let mut url = format!(
            "{}?status={}&sort={}",
            Page::Petitions(katottg.to_owned()).path(),
            self.status.code(),
            self.sort.code()
        );
        let q = self.q.trim();
        if !q.is_empty() {
            url.push_str("&q=");
            url.push_str(&crate::routes::encode_uri_component(q));
        }
        url
    }
}

/// The petitions list's top: the way to write one, the tabs, the search and the order.
/// The search and the order are a plain GET form, which works before the app has started;
/// the app passes what it does with them instead.
#[component]
pub fn PetitionsTop(
    #[prop(into)] katottg: Signal<String>,
    #[prop(into)] filter: Signal<ListFilter>,
    /// The words in the search field.
    typed: RwSignal<String>,
    /// What the app does with a search; without it the browser sends the form.
    #[prop(optional)]
    on_search: Option<Callback<()>>,
    /// What the app does with a new order; without it the order is chosen with the
    /// search button (a first view's controls stay disabled until the app starts).
    #[prop(optional)]
    on_sort: Option<Callback<PetitionSort>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let ready = on_search.is_some();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        if let Some(f) = on_search {
            ev.prevent_default();
            f.run(());
        }
    };
    let change = move |ev: leptos::ev::Event| {
        if let (Some(f), Some(sort)) = (on_sort, PetitionSort::from_code(&event_target_value(&ev)))
        {
            f.run(sort);
        }
    };
    view! {
        <Heading text=Signal::derive(move || t_string!(i18n, petitions.title).to_string()) />
        <p class="actions">
            <a href=move || Page::PetitionNew(katottg.get()).path() class="button">{t!(i18n, petitions.write)}</a>
            <a href=Page::MyPetitions.path() class="button button-secondary">{t!(i18n, petitions.mine_title)}</a>
        </p>
        <nav class="chips tabs" aria-label=move || t_string!(i18n, petitions.tabs).to_string()>
            {PetitionStatus::TABS.into_iter().map(|s| view! {
                <a class="chip"
                    href=move || ListFilter { status: s, ..filter.get() }.href(&katottg.get())
                    aria-current=move || (filter.get().status == s).then_some("page")>
                    {move || status_label(i18n, s)}
                </a>
            }).collect_view()}
        </nav>
        <form class="search-row" role="search" action=move || Page::Petitions(katottg.get()).path() on:submit=submit>
            <input type="hidden" name="status" value=move || filter.get().status.code() />
            <div class="search-form">
                <label for="f-q" class="visually-hidden">{t!(i18n, petitions.search)}</label>
                <input id="f-q" name="q" type="search" value=typed.get_untracked() prop:value=move || typed.get()
                    placeholder=move || t_string!(i18n, petitions.search).to_string()
                    disabled=!ready
                    on:input=move |ev| typed.set(event_target_value(&ev)) />
                <button type="submit" class="button button-secondary" disabled=!ready>{t!(i18n, petitions.search_button)}</button>
            </div>
            <div class="field sort-field">
                <label for="f-sort">{t!(i18n, petitions.sort)}</label>
                <select id="f-sort" name="sort" on:change=change disabled=!ready>
                    {PetitionSort::ALL.into_iter().map(|s| view! {
                        <option value=s.code() selected=move || filter.get().sort == s>{move || sort_label(i18n, s)}</option>
                    }).collect_view()}
                </select>
            </div>
        </form>
    }
}

/// The petitions list as a page before the app has started: its top, and the first page
/// of petitions (or the sentence that there are none).
#[component]
pub fn PetitionsPage(
    katottg: String,
    filter: ListFilter,
    items: Vec<PetitionSummary>,
) -> impl IntoView {
    let i18n = use_i18n();
    let typed = RwSignal::new(filter.q.clone());
    let list = if items.is_empty() {
        view! { <Empty>{t!(i18n, petitions.none)}</Empty> }.into_any()
    } else {
        view! {
            <ListHeading />
            <ul class="cards">
                {items.into_iter().map(|p| view! { <PetitionCard p /> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <PetitionsTop katottg filter typed />
        {list}
    }
}

/// What a guest is offered instead of the sign button: sign in (and come back here) or
/// join.
#[component]
pub fn SignInToSign(id: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p>{t!(i18n, petitions.guest_hint)}</p>
        <p class="actions">
            <a href=sign_in_then(&Page::Petition(id).path()) class="button">{t!(i18n, petitions.sign_in_to_sign)}</a>
            <a href=Page::SignUp.path() class="button button-secondary">{t!(i18n, account.sign_up)}</a>
        </p>
    }
}

/// The signing card around what the reader can do.
#[component]
pub fn SignCard(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card sign-box" aria-labelledby="sign-h">
            <h2 id="sign-h" class="visually-hidden">{t!(i18n, petitions.sign_title)}</h2>
            {children()}
        </section>
    }
}

/// The share button. Without `share` (before the app has started) it is disabled and
/// keeps its place.
#[component]
pub fn ShareButton(
    #[prop(optional)] share: Option<Callback<()>>,
    /// Said after the link was copied.
    #[prop(into, optional)]
    copied: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="share">
            <button type="button" class="button button-secondary" disabled=share.is_none()
                on:click=move |_| if let Some(s) = share { s.run(()) }>
                {t!(i18n, petitions.share)}
            </button>
            <span role="status">{move || copied.get().then(|| t_string!(i18n, petitions.copied).to_string())}</span>
        </p>
    }
}

/// A petition as anyone may read it: its status and time, author, dates, progress, the
/// reason of a refusal, the text, the council's answer and the appeal it became. What a
/// reader can do with it comes from the caller: `sign` (after the progress), `share`
/// (before the text) and `after` (at the end: the staff's panel, the signers).
#[component]
pub fn PetitionDetails(
    p: Petition,
    sign: AnyView,
    share: AnyView,
    #[prop(optional)] after: Option<AnyView>,
) -> impl IntoView {
    let i18n = use_i18n();
    let s = p.summary.clone();
    let title = s.title.clone();
    let status = s.status;
    let when = {
        let s = s.clone();
        move || when_text(i18n, &s).map(|w| view! { " · "{w} })
    };
    view! {
        <Heading text=Signal::derive(move || title.clone()) />
        <p class="meta">
            <span class=format!("badge pstatus-{}", status.code())>{move || status_label(i18n, status)}</span>
            {when}
        </p>
        <dl class="facts">
            <dt>{t!(i18n, petitions.author)}</dt>
            <dd>{s.author_name.clone()}<br />{p.author_email.clone()}</dd>
            {s.published_at.clone().map(|d| view! { <dt>{t!(i18n, petitions.signing_began)}</dt><dd>{date(&d)}</dd> })}
            {s.ends_at.clone().map(|d| view! { <dt>{t!(i18n, petitions.signing_ends)}</dt><dd>{date_time(&d)}</dd> })}
        </dl>
        {counts(status).then(|| view! { <Progress signatures=s.signatures needed=s.needed /> })}
        {(status == PetitionStatus::Moderation && p.mine).then(|| view! {
            <p class="alert alert-ok">{t!(i18n, petitions.in_moderation)}</p>
        })}
        {p.rejection_reason.clone().map(|r| view! {
            <section class="card card-muted" aria-labelledby="rej-h">
                <h2 id="rej-h">{t!(i18n, petitions.rejected_title)}</h2>
                <p class="appeal-text">{r}</p>
            </section>
        })}
        {sign}
        {share}
        <section aria-labelledby="text-h">
            <h2 id="text-h">{t!(i18n, petitions.text)}</h2>
            <p class="appeal-text">{p.text.clone()}</p>
        </section>
        {p.answer.clone().map(|a| {
            let decision = a.decision;
            view! {
                <section class="card card-ok" aria-labelledby="answer-h">
                    <h2 id="answer-h">{t!(i18n, petitions.answer_title)}</h2>
                    <p><span class="badge">{move || decision_label(i18n, decision)}</span></p>
                    <p class="appeal-text">{a.text}</p>
                    <p class="meta">{date_time(&a.at)}" · "{a.by}</p>
                </section>
            }
        })}
        {p.appeal_id.clone().map(|id| view! {
            <p class="card">{t!(i18n, petitions.became_appeal)}" "
                <a href=Page::Appeal(id).path()>{t!(i18n, petitions.open_appeal)}</a></p>
        })}
        {after}
    }
}

/// A petition before the app has started: as [`PetitionDetails`], with the way to sign in
/// for a guest while it collects signatures, and the share button disabled.
#[component]
pub fn PetitionPage(p: Petition, signed_in: bool) -> impl IntoView {
    let id = p.summary.id.clone();
    let sign = (p.summary.status == PetitionStatus::Collecting && !signed_in)
        .then(|| view! { <SignCard><SignInToSign id /></SignCard> });
    view! {
        <PetitionDetails p sign=sign.into_any() share=view! { <ShareButton /> }.into_any() />
    }
}
