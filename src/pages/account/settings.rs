//! The parts of `/account` about reaching the person: the email address (confirmed,
//! changing, failing), how each kind of news is sent (in the app, push, email) and how
//! often email goes, and the devices that get pushes.

use crate::api::{ApiError, use_api};
use crate::components::email::SendAgain;
use crate::components::form::{FormMessages, FormState, TextField};
use crate::components::push::AlertsOnDevice;
use crate::components::states::{ErrorView, Loading, error_text};
use crate::format::date;
use crate::i18n::*;
use crate::pages::account::unsubscribe::topic_label;
use crate::push::DeviceState;
use crate::state::use_session;
use hromada_api::delivery::{
    DIGEST_HOUR_KYIV, EmailFrequency, NotificationSettings, PushDevice, Topic,
};
use hromada_api::{Me, UpdateProfile, validate};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The address: whether it is confirmed, a new one waiting for its link, mail to it
/// bouncing; and changing it.
#[component]
pub fn EmailCard() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let form = FormState::new();
    let email = RwSignal::new(String::new());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let address = email.get_untracked().trim().to_owned();
        let mut errors = vec![];
        validate::email("email", &address, &mut errors);
        if form.begin(errors) {
            let api = api.clone();
            let req = UpdateProfile {
                email: Some(address.clone()),
                ..Default::default()
            };
            spawn_local(async move {
                match api.update_me(&req).await {
                    Ok(me) => {
                        let to = me.pending_email.clone().unwrap_or(address);
                        email.set(String::new());
                        form.succeed(Some(
                            t_string!(i18n, settings.email_change_sent, email = to).to_string(),
                        ));
                        session.set(me);
                    }
                    Err(e) => form.fail(i18n, &e),
                }
            });
        }
    };
    let status = move || {
        session.me().map(|me: Me| {
            let failing = me.email_failing.then(|| {
                let e = me.email.clone();
                view! { <p class="alert alert-error" id="email-failing">{move || t_string!(i18n, settings.email_failing, email = e.clone()).to_string()}</p> }
            });
            let state = if me.email_confirmed {
                view! { <span class="badge badge-ok" id="email-state">{t!(i18n, settings.email_confirmed)}</span> }.into_any()
            } else {
                view! {
                    <p id="email-state">{t!(i18n, settings.email_unconfirmed)}</p>
                    <p><SendAgain id="settings-send-again" /></p>
                }
                .into_any()
            };
            let pending = me.pending_email.clone().map(|p| {
                view! {
                    <p class="badge badge-wait" id="email-pending">
                        {move || t_string!(i18n, settings.email_pending, email = p.clone()).to_string()}
                    </p>
                }
            });
            view! {
                {failing}
                <p><strong id="email-now">{me.email.clone()}</strong> " " {state}</p>
                {pending}
            }
        })
    };
    view! {
        <section class="card" aria-labelledby="email-h">
            <h2 id="email-h">{t!(i18n, settings.email_title)}</h2>
            {status}
            <form class="form" id="email-form" on:submit=on_submit novalidate>
                <FormMessages form />
                <TextField form name="email" value=email kind="email" autocomplete="email">
                    {t!(i18n, settings.new_email)}
                </TextField>
                <button type="submit" class="button button-secondary" disabled=move || form.pending.get()>
                    {t!(i18n, settings.change_email)}
                </button>
            </form>
        </section>
    }
}

/// Which channel of a topic a checkbox is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Channel {
    InApp,
    Push,
    Email,
}

impl Channel {
    const ALL: [Channel; 3] = [Channel::InApp, Channel::Push, Channel::Email];

    fn code(self) -> &'static str {
        match self {
            Channel::InApp => "in_app",
            Channel::Push => "push",
            Channel::Email => "email",
        }
    }

    fn get(self, s: &hromada_api::delivery::TopicSetting) -> bool {
        match self {
            Channel::InApp => s.in_app,
            Channel::Push => s.push,
            Channel::Email => s.email,
        }
    }

    fn set(self, s: &mut hromada_api::delivery::TopicSetting, on: bool) {
        match self {
            Channel::InApp => s.in_app = on,
            Channel::Push => s.push = on,
            Channel::Email => s.email = on,
        }
    }
}

/// The settings in the order the table shows them.
pub fn ordered(mut s: NotificationSettings) -> NotificationSettings {
    s.topics.sort_by_key(|t| {
        Topic::ALL
            .iter()
            .position(|x| *x == t.topic)
            .unwrap_or(usize::MAX)
    });
    s
}

/// How each kind of news is sent, and how often email goes.
#[component]
pub fn NotificationSettingsCard() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let loaded = {
        let api = api.clone();
        LocalResource::new(move || {
            let api = api.clone();
            async move { api.notification_settings().await }
        })
    };
    view! {
        <section class="card" aria-labelledby="notify-h">
            <h2 id="notify-h">{t!(i18n, settings.notifications_title)}</h2>
            <p>{t!(i18n, settings.notifications_lead)}</p>
            <p class="by-law" id="by-law">{t!(i18n, settings.by_law)}</p>
            <Transition fallback=Loading>
                <ErrorBoundary fallback=move |errors| view! { <ErrorView errors retry=move |_| loaded.refetch() /> }>
                    {move || Suspend::new(async move {
                        loaded.await.map(|s| view! { <SettingsForm initial=ordered(s) /> })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
fn SettingsForm(initial: NotificationSettings) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let form = FormState::new();
    let settings = RwSignal::new(initial);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if form.begin(vec![]) {
            let api = api.clone();
            let s = settings.get_untracked();
            spawn_local(async move {
                match api.set_notification_settings(&s).await {
                    Ok(saved) => {
                        settings.set(ordered(saved));
                        form.succeed(Some(t_string!(i18n, account.saved).to_string()));
                    }
                    Err(e) => form.fail(i18n, &e),
                }
            });
        }
    };
    let channel_label = move |c: Channel| match c {
        Channel::InApp => t_string!(i18n, settings.col_in_app).to_string(),
        Channel::Push => t_string!(i18n, settings.col_push).to_string(),
        Channel::Email => t_string!(i18n, settings.col_email).to_string(),
    };
    let rows = move || {
        settings
            .with(|s| s.topics.iter().map(|t| t.topic).collect::<Vec<_>>())
            .into_iter()
            .map(|topic| {
                let cells = Channel::ALL
                    .into_iter()
                    .map(|c| {
                        let id = format!("n-{}-{}", topic.code(), c.code());
                        let checked = move || {
                            settings.with(|s| {
                                s.topics
                                    .iter()
                                    .find(|t| t.topic == topic)
                                    .is_some_and(|t| c.get(t))
                            })
                        };
                        let on_change = move |ev| {
                            let on = event_target_checked(&ev);
                            settings.update(|s| {
                                if let Some(t) = s.topics.iter_mut().find(|t| t.topic == topic) {
                                    c.set(t, on);
                                }
                            });
                        };
                        let label = move || {
                            t_string!(
                                i18n,
                                settings.channel_of,
                                topic = topic_label(i18n, topic),
                                channel = channel_label(c)
                            )
                            .to_string()
                        };
                        view! {
                            <td>
                                <input type="checkbox" id=id aria-label=label
                                    prop:checked=checked on:change=on_change />
                            </td>
                        }
                    })
                    .collect_view();
                view! {
                    <tr>
                        <th scope="row">{move || topic_label(i18n, topic)}</th>
                        {cells}
                    </tr>
                }
            })
            .collect_view()
    };
    let frequency = move |f: EmailFrequency, id: &'static str| {
        let label = move || match f {
            EmailFrequency::Immediately => t_string!(i18n, settings.freq_immediately).to_string(),
            EmailFrequency::Daily => {
                let hour = DIGEST_HOUR_KYIV;
                t_string!(i18n, settings.freq_daily, hour).to_string()
            }
            EmailFrequency::Never => t_string!(i18n, settings.freq_never).to_string(),
        };
        view! {
            <label class="choice" for=id>
                <input type="radio" name="email_frequency" id=id
                    prop:checked=move || settings.with(|s| s.email_frequency == f)
                    on:change=move |_| settings.update(|s| s.email_frequency = f) />
                <span>{label}</span>
            </label>
        }
    };
    view! {
        <form class="form" id="notify-form" on:submit=on_submit novalidate>
            <table class="settings-table">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, settings.col_topic)}</th>
                        <th scope="col">{t!(i18n, settings.col_in_app)}</th>
                        <th scope="col">{t!(i18n, settings.col_push)}</th>
                        <th scope="col">{t!(i18n, settings.col_email)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <fieldset class="frequency">
                <legend>{t!(i18n, settings.frequency)}</legend>
                {frequency(EmailFrequency::Immediately, "freq-immediately")}
                {frequency(EmailFrequency::Daily, "freq-daily")}
                {frequency(EmailFrequency::Never, "freq-never")}
            </fieldset>
            <FormMessages form />
            <button type="submit" class="button" disabled=move || form.pending.get()>
                {t!(i18n, account.save)}
            </button>
        </form>
    }
}

/// This device's alerts, and the person's devices with a way to remove each.
#[component]
pub fn DevicesCard(katottg: String) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let devices = {
        let api = api.clone();
        LocalResource::new(move || {
            let api = api.clone();
            async move { api.devices().await }
        })
    };
    let alert = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    // This device was removed from the list.
    let this_changed = RwSignal::new(0u32);
    let remove = move |id: String| {
        let api = api.clone();
        alert.set(None);
        notice.set(None);
        spawn_local(async move {
            match api.remove_device(&id).await {
                Ok(()) | Err(ApiError::NotFound(_)) => {
                    // This very device: it gets nothing any more, alerts included.
                    if let Some(state) = DeviceState::kept()
                        && state.device_id.as_deref() == Some(id.as_str())
                    {
                        let none = DeviceState {
                            endpoint: state.endpoint,
                            ..Default::default()
                        };
                        none.save(&api, None);
                        crate::push::unsubscribe().await;
                        this_changed.update(|n| *n += 1);
                    }
                    notice.set(Some(t_string!(i18n, settings.removed).to_string()));
                    devices.refetch();
                }
                Err(e) => alert.set(Some(error_text(i18n, &e))),
            }
        });
    };
    let row = move |d: PushDevice| {
        let mine = DeviceState::kept().and_then(|s| s.device_id).as_deref() == Some(d.id.as_str());
        let since = date(&d.created_at);
        let names = d
            .alerts
            .iter()
            .map(|h| crate::components::hromada_search::name_in(i18n, &h.name))
            .collect::<Vec<_>>()
            .join(", ");
        let (service, when) = (d.service.clone(), since.clone());
        let label = move || {
            t_string!(
                i18n,
                settings.remove_label,
                service = service.clone(),
                date = when.clone()
            )
            .to_string()
        };
        let remove = remove.clone();
        let id = d.id.clone();
        view! {
            <li>
                <span>
                    <span class="device-name">{d.service.clone()}</span>
                    {mine.then(|| view! { " · " <strong>{t!(i18n, settings.this_device)}</strong> })}
                    <br />
                    <span class="meta">{move || t_string!(i18n, settings.device_since, date = since.clone()).to_string()}</span>
                    {(!names.is_empty()).then(|| view! {
                        <br /><span class="meta">{move || t_string!(i18n, settings.device_alerts, names = names.clone()).to_string()}</span>
                    })}
                </span>
                <button type="button" class="button button-small button-secondary" aria-label=label
                    on:click=move |_| remove(id.clone())>
                    {t!(i18n, settings.remove)}
                </button>
            </li>
        }
    };
    view! {
        <AlertsOnDevice katottg on_change=Callback::new(move |_| devices.refetch()) refresh=this_changed />
        <section class="card" aria-labelledby="devices-h">
            <h2 id="devices-h">{t!(i18n, settings.devices_title)}</h2>
            <p>{t!(i18n, settings.devices_lead)}</p>
            <div aria-live="assertive">{move || alert.get().map(|a| view! { <p class="alert alert-error" role="alert">{a}</p> })}</div>
            <div aria-live="polite">{move || notice.get().map(|n| view! { <p class="alert alert-ok" id="devices-notice">{n}</p> })}</div>
            <Transition fallback=Loading>
                <ErrorBoundary fallback=move |errors| view! { <ErrorView errors retry=move |_| devices.refetch() /> }>
                    {
                        let row = row.clone();
                        move || {
                            let row = row.clone();
                            Suspend::new(async move {
                                devices.await.map(|page| {
                                    if page.items.is_empty() {
                                        view! { <p class="state state-empty" id="devices-none">{t!(i18n, settings.devices_none)}</p> }.into_any()
                                    } else {
                                        view! { <ul class="device-list" id="devices">{page.items.into_iter().map(row.clone()).collect_view()}</ul> }.into_any()
                                    }
                                })
                            })
                        }
                    }
                </ErrorBoundary>
            </Transition>
        </section>
    }
}
