//! The person's notifications: what changed in their appeals, newest first.

use crate::api::use_api;
use crate::components::layout::PageHeading;
use crate::components::more::{MoreButton, MorePages, PagedCards};
use crate::components::states::Loading;
use crate::format::local_date_time;
use crate::i18n::*;
use crate::live::use_live;
use crate::routes::Page;
use crate::state::{Auth, use_session};
use hromada_api::notifications::{Notification, NotificationKind};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_i18n::I18nContext;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

/// `/notifications`.
#[component]
pub fn NotificationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    view! {
        <PageHeading text=move || t_string!(i18n, notifications.title).to_string() />
        {move || match session.0.get() {
            Auth::Checking => view! { <Loading /> }.into_any(),
            Auth::SignedOut => view! {
                <div class="card">
                    <p>{t!(i18n, notifications.sign_in_first)}</p>
                    <p class="actions"><A href=Page::SignIn.path() attr:class="button">{t!(i18n, nav.sign_in)}</A></p>
                </div>
            }.into_any(),
            Auth::SignedIn(_) => view! { <List /> }.into_any(),
        }}
    }
}

#[component]
fn List() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let live = use_live();
    let first = {
        let api = api.clone();
        LocalResource::new(move || {
            let api = api.clone();
            async move { api.notifications(None).await }
        })
    };
    // New ones arrive live: show them at the top.
    Effect::new(move |prev: Option<()>| {
        live.notice.track();
        if prev.is_some() {
            first.refetch();
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(n)) = first.get() {
            live.unread.set(n.unread);
        }
    });
    let more = MorePages::after(first);
    let load_more = {
        let api = api.clone();
        move |_| {
            let api = api.clone();
            more.load(move |c| async move { api.notifications(Some(&c)).await });
        }
    };
    let read_all = move |_| {
        let api = api.clone();
        spawn_local(async move {
            if api.mark_all_read().await.is_ok() {
                live.unread.set(0);
                first.refetch();
            }
        });
    };
    view! {
        <p class="actions">
            <button type="button" class="button button-secondary" on:click=read_all disabled=move || live.unread.get() == 0>
                {t!(i18n, notifications.read_all)}
            </button>
        </p>
        <PagedCards first more class="cards notifications" empty=move || t_string!(i18n, notifications.none).to_string() row=|n| view! { <Item n /> }.into_any() />
        <MoreButton pages=more on_click=load_more />
    }
}

/// What a notification says, where it leads, and what it is about.
pub fn describe(i18n: I18nContext<Locale>, n: &Notification) -> (String, String, String) {
    let (number, href, about) = match (&n.appeal, &n.petition, &n.project) {
        (Some(a), _, _) => (
            a.number.clone(),
            Page::Appeal(a.id.clone()).path(),
            a.subject.clone(),
        ),
        (None, Some(p), _) => (
            String::new(),
            Page::Petition(p.id.clone()).path(),
            p.title.clone(),
        ),
        (None, None, Some(p)) => (
            String::new(),
            Page::BudgetProject(p.id.clone()).path(),
            p.title.clone(),
        ),
        (None, None, None) => match &n.consultation {
            Some(c) => (
                String::new(),
                Page::Consultation(c.id.clone()).path(),
                c.subject.clone(),
            ),
            None => (String::new(), Page::Notifications.path(), String::new()),
        },
    };
    let text = kind_text(i18n, n.kind, &number);
    (text, href, about)
}

/// What a notification of `kind` says (about the appeal `number`, when it is one).
pub fn kind_text(i18n: I18nContext<Locale>, kind: NotificationKind, number: &str) -> String {
    match kind {
        NotificationKind::AppealRegistered => {
            t_string!(i18n, notifications.registered, number).to_string()
        }
        NotificationKind::AppealAssigned => {
            t_string!(i18n, notifications.assigned, number).to_string()
        }
        NotificationKind::AppealNoFurtherStudy => {
            t_string!(i18n, notifications.no_further_study, number).to_string()
        }
        NotificationKind::AppealExtended => {
            t_string!(i18n, notifications.extended, number).to_string()
        }
        NotificationKind::AppealReturned => {
            t_string!(i18n, notifications.returned, number).to_string()
        }
        NotificationKind::AppealForwarded => {
            t_string!(i18n, notifications.forwarded, number).to_string()
        }
        NotificationKind::AppealAnswered => {
            t_string!(i18n, notifications.answered, number).to_string()
        }
        NotificationKind::AppealClosed => t_string!(i18n, notifications.closed, number).to_string(),
        NotificationKind::PetitionPublished => {
            t_string!(i18n, notifications.petition_published).to_string()
        }
        NotificationKind::PetitionRejected => {
            t_string!(i18n, notifications.petition_rejected).to_string()
        }
        NotificationKind::PetitionReached => {
            t_string!(i18n, notifications.petition_reached).to_string()
        }
        NotificationKind::PetitionAnswered => {
            t_string!(i18n, notifications.petition_answered).to_string()
        }
        NotificationKind::PetitionNotSupported => {
            t_string!(i18n, notifications.petition_not_supported).to_string()
        }
        NotificationKind::ProjectAccepted => {
            t_string!(i18n, notifications.project_accepted).to_string()
        }
        NotificationKind::ProjectChangesRequested => {
            t_string!(i18n, notifications.project_changes_requested).to_string()
        }
        NotificationKind::ProjectRejected => {
            t_string!(i18n, notifications.project_rejected).to_string()
        }
        NotificationKind::ProjectCostChanged => {
            t_string!(i18n, notifications.project_cost_changed).to_string()
        }
        NotificationKind::ConsultationAnswered => {
            t_string!(i18n, notifications.consultation_answered).to_string()
        }
    }
}

/// One notification: opening it marks it read and goes to what changed.
#[component]
fn Item(n: Notification) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let live = use_live();
    let navigate = use_navigate();
    let (_, href, about) = describe(i18n, &n);
    let unread = !n.read;
    let text = {
        let n = n.clone();
        move || describe(i18n, &n).0
    };
    let open = {
        let (href, id) = (href.clone(), n.id.clone());
        move |ev: leptos::ev::MouseEvent| {
            ev.prevent_default();
            if unread {
                let (api, id) = (api.clone(), id.clone());
                live.unread.update(|u| *u = u.saturating_sub(1));
                spawn_local(async move {
                    let _ = api.mark_read(&id).await;
                });
            }
            navigate(&href, Default::default());
        }
    };
    view! {
        <li class="card notification" class:unread=unread>
            <p>
                <a href=href on:click=open>{text}</a>
                {unread.then(|| view! { " " <span class="badge badge-new">{t!(i18n, notifications.new_badge)}</span> })}
            </p>
            <p class="meta">{about}" · "<time datetime=n.at.clone()>{local_date_time(&n.at)}</time></p>
        </li>
    }
}
