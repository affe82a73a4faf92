//! "Get alerts on this device": a hromada's urgent alerts pushed to this phone or
//! computer, signed in or not; signed in, the person's own notifications too. Permission
//! is asked only when the button is pressed. What the browser cannot do is said plainly.

use crate::api::{ApiError, use_api};
use crate::components::states::error_text;
use crate::i18n::*;
use crate::push::{self, DeviceState, PushError, Support};
use crate::state::use_session;
use hromada_views::hromada::{PushCard, PushOff};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_i18n::I18nContext;

/// Where the control stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    /// Looking at the browser's subscription.
    Checking,
    Off,
    /// The device gets the hromada's alerts (`info`: the notices for information too).
    On {
        info: bool,
    },
}

/// A sentence for a person about why subscribing did not work.
pub fn push_error_text(i18n: I18nContext<Locale>, err: &PushError) -> String {
    match err {
        PushError::Unsupported => t_string!(i18n, push.unsupported).to_string(),
        PushError::NeedsHomeScreen => t_string!(i18n, push.home_screen).to_string(),
        PushError::Denied => t_string!(i18n, push.blocked).to_string(),
        PushError::Dismissed => t_string!(i18n, push.dismissed).to_string(),
        PushError::Refused(_) => t_string!(i18n, push.refused).to_string(),
        PushError::NoAnswer => t_string!(i18n, push.no_answer).to_string(),
        PushError::Api(e) if e.field_errors().iter().any(|f| f.field == "endpoint") => {
            t_string!(i18n, push.endpoint_refused).to_string()
        }
        PushError::Api(e) => error_text(i18n, e),
    }
}

/// The control for the hromada `katottg` (once per page: its elements have fixed ids).
#[component]
pub fn AlertsOnDevice(
    katottg: String,
    /// Called after the device's subscriptions changed.
    #[prop(optional)]
    on_change: Option<Callback<()>>,
    /// Changes when the device's subscriptions were changed elsewhere on the page.
    #[prop(optional, into)]
    refresh: Option<Signal<u32>>,
) -> impl IntoView {
    let changed = move || {
        if let Some(c) = on_change {
            c.run(());
        }
    };
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let support = push::support();
    let status = RwSignal::new(Status::Checking);
    let info = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<PushError>);
    let notice = RwSignal::new(None::<String>);
    // Whether this device is registered for the person's own notifications.
    let personal = RwSignal::new(false);
    // What the device gets, now and whenever `refresh` says it may have changed.
    {
        let k = katottg.clone();
        Effect::new(move |_| {
            if let Some(r) = refresh {
                r.track();
            }
            let k = k.clone();
            spawn_local(async move {
                let sub = push::current().await;
                let state = sub
                    .as_ref()
                    .map(|s| DeviceState::for_endpoint(&s.endpoint()));
                let on = state.as_ref().and_then(|s| s.alerts_of(&k).cloned());
                personal.set(state.is_some_and(|s| s.device_id.is_some()));
                if let Some(a) = &on {
                    info.set(a.info);
                }
                status.set(on.map_or(Status::Off, |a| Status::On { info: a.info }));
            });
        });
    }

    let turn_on = {
        let (api, k) = (api.clone(), katottg.clone());
        Callback::new(move |()| {
            let (api, k) = (api.clone(), k.clone());
            pending.set(true);
            error.set(None);
            notice.set(None);
            let want_info = info.get_untracked();
            let signed_in = session.me().is_some();
            spawn_local(async move {
                // The alerts are on, and whether the person's own notifications came too
                // (or why not).
                let result: Result<(bool, Option<PushError>), PushError> = async {
                    let (sub, key) = push::subscribe(&api).await?;
                    let sub = push::with_language(sub);
                    let mut state = DeviceState::for_endpoint(&sub.endpoint);
                    let mut alert_sub = sub.clone();
                    alert_sub.info = Some(want_info);
                    api.subscribe_alerts(&k, &alert_sub).await?;
                    state.add_alerts(&k, want_info);
                    let mut personal_error = None;
                    if signed_in {
                        // The person's own notifications come here too; a session that
                        // ended meanwhile only loses that.
                        match api.register_device(&sub).await {
                            Ok(d) => state.device_id = Some(d.id),
                            Err(ApiError::Unauthorized(_)) => {}
                            Err(e) => personal_error = Some(e.into()),
                        }
                    }
                    state.save(&api, Some(&key));
                    Ok((state.device_id.is_some(), personal_error))
                }
                .await;
                pending.set(false);
                match result {
                    Ok((registered, personal_error)) => {
                        personal.set(registered);
                        status.set(Status::On { info: want_info });
                        error.set(personal_error);
                        changed();
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };

    let turn_off = {
        let (api, k) = (api.clone(), katottg.clone());
        move |_| {
            let (api, k) = (api.clone(), k.clone());
            pending.set(true);
            error.set(None);
            notice.set(None);
            spawn_local(async move {
                let Some(sub) = push::current().await else {
                    pending.set(false);
                    status.set(Status::Off);
                    return;
                };
                let endpoint = sub.endpoint();
                let result = match api.unsubscribe_alerts(&k, &endpoint).await {
                    Ok(()) | Err(ApiError::NotFound(_)) => Ok(()),
                    Err(e) => Err(e),
                };
                pending.set(false);
                match result {
                    Ok(()) => {
                        let mut state = DeviceState::for_endpoint(&endpoint);
                        state.alerts.retain(|a| a.katottg != k);
                        state.save(&api, None);
                        if !state.in_use() {
                            push::unsubscribe().await;
                        }
                        status.set(Status::Off);
                        notice.set(Some(t_string!(i18n, push.turned_off).to_string()));
                        changed();
                    }
                    Err(e) => error.set(Some(PushError::Api(e))),
                }
            });
        }
    };

    // Subscribed as a guest, then signed in: the person's notifications may come here too.
    let add_personal = {
        let api = api.clone();
        move |_| {
            let api = api.clone();
            pending.set(true);
            error.set(None);
            spawn_local(async move {
                let result: Result<(), PushError> = async {
                    let (sub, key) = push::subscribe(&api).await?;
                    let sub = push::with_language(sub);
                    let d = api.register_device(&sub).await?;
                    let mut state = DeviceState::for_endpoint(&sub.endpoint);
                    state.device_id = Some(d.id);
                    state.save(&api, Some(&key));
                    Ok(())
                }
                .await;
                pending.set(false);
                match result {
                    Ok(()) => {
                        personal.set(true);
                        changed();
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        }
    };

    let cannot = match support {
        Support::Unsupported => Some(t_string!(i18n, push.unsupported).to_string()),
        Support::NeedsHomeScreen => Some(t_string!(i18n, push.home_screen).to_string()),
        _ => None,
    };
    let blocked = support == Support::Blocked;
    let body = move || {
        if let Some(text) = cannot.clone() {
            return view! { <p class="push-cannot" id="push-cannot">{text}</p> }.into_any();
        }
        match status.get() {
            Status::Checking => view! { <p class="meta" role="status">{t!(i18n, state.loading)}</p> }.into_any(),
            Status::Off => view! {
                {blocked.then(|| view! { <p class="push-cannot" id="push-blocked">{t!(i18n, push.blocked)}</p> })}
                <PushOff info turn_on pending />
            }
            .into_any(),
            Status::On { info } => {
                let signed_in = session.me().is_some();
                view! {
                    <p class="push-state" id="push-state">
                        {move || if info { t_string!(i18n, push.on_with_info) } else { t_string!(i18n, push.on) }}
                    </p>
                    {move || (signed_in && personal.get()).then(|| view! { <p class="meta">{t!(i18n, push.personal_on)}</p> })}
                    <p class="actions">
                        {
                            let add_personal = add_personal.clone();
                            move || (signed_in && !personal.get()).then(|| view! {
                                <button type="button" class="button button-secondary" id="push-personal"
                                    on:click=add_personal.clone() disabled=move || pending.get()>
                                    {t!(i18n, push.personal_too)}
                                </button>
                            })
                        }
                        <button type="button" class="button button-secondary" id="push-off" on:click=turn_off.clone()
                            disabled=move || pending.get()>
                            {t!(i18n, push.turn_off)}
                        </button>
                    </p>
                }
                .into_any()
            }
        }
    };
    let problem = move || {
        error.get().map(|e| {
            let said = match &e {
                PushError::Refused(m) if !m.is_empty() => Some(m.clone()),
                _ => None,
            };
            view! {
                <div class="alert alert-error" role="alert" id="push-error">
                    <p>{push_error_text(i18n, &e)}</p>
                    {said.map(|message| view! { <p class="meta">{move || t_string!(i18n, push.browser_said, message = message.clone()).to_string()}</p> })}
                </div>
            }
        })
    };
    let notice = move || {
        notice
            .get()
            .map(|n| view! { <p class="alert alert-ok">{n}</p> })
    };
    view! {
        <PushCard problem=problem.into_any() notice=notice.into_any()>
            {body}
        </PushCard>
    }
}
