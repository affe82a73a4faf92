//! Live updates of the current hromada over Server-Sent Events: its active alerts, news
//! published while the app is open, and the signed-in person's notifications. Reconnects
//! by itself with backoff, and again when the person signs in or out.

use crate::api::use_api;
use crate::state::{load, store, use_place, use_session};
use gloo_timers::callback::Timeout;
use hromada_api::appeals::Notification;
use hromada_api::news::{Alert, LiveEvent, NewsSummary};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{EventSource, EventSourceInit, MessageEvent};

const DISMISSED_KEY: &str = "hromada.dismissed-alerts";
/// Longest wait between reconnection attempts, in milliseconds.
const BACKOFF_MAX_MS: u32 = 30_000;

/// The next wait before reconnecting: doubles from one second up to [`BACKOFF_MAX_MS`].
pub fn next_backoff(previous_ms: u32) -> u32 {
    if previous_ms == 0 {
        1_000
    } else {
        previous_ms.saturating_mul(2).min(BACKOFF_MAX_MS)
    }
}

/// How long the app waits for the alerts before it first draws a page.
const PREFETCH_MS: u32 = 1_500;

/// Before the app is first drawn: the alerts of the hromada the page is about (its
/// address, else the one the server's first view names, else the remembered one) are
/// fetched and kept, so that the first page shows
/// them at once instead of being pushed down when they arrive. A page of a hromada makes
/// it the remembered one. Gives up after [`PREFETCH_MS`].
pub async fn prefetch_alerts(api: &crate::api::Api) {
    let path = web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default();
    let in_path = crate::routes::hromada_in_path(&path)
        .map(str::to_owned)
        .or_else(|| {
            // A news item, a petition, a project…: the first view knows its hromada.
            crate::pages::deferred::boot()
                .and_then(|boot| boot.get_attribute("data-hromada"))
                .filter(|k| !k.is_empty())
        });
    let place: Option<hromada_api::HromadaRef> = load(crate::state::HROMADA_KEY);
    if let Some(k) = &in_path
        && place.as_ref().is_none_or(|p| &p.katottg != k)
    {
        let chosen = hromada_api::HromadaRef {
            katottg: k.clone(),
            name: String::new(),
        };
        store(crate::state::HROMADA_KEY, Some(&chosen));
    }
    let Some(k) = in_path.or(place.map(|p| p.katottg)) else {
        return;
    };
    prefetch_alerts_of(api, &k).await;
}

/// Fetches and keeps the active alerts of `katottg` (see [`prefetch_alerts`]); gives up
/// after [`PREFETCH_MS`].
async fn prefetch_alerts_of(api: &crate::api::Api, katottg: &str) {
    let fetch = std::pin::pin!(api.alerts(katottg, false));
    let timeout = std::pin::pin!(gloo_timers::future::TimeoutFuture::new(PREFETCH_MS));
    if let futures::future::Either::Left((Ok(page), _)) =
        futures::future::select(fetch, timeout).await
    {
        let mut alerts = page.items;
        sort_alerts(&mut alerts);
        store(&alerts_key(katottg), Some(&alerts));
    }
}

/// For a page that learns its hromada from what it shows (a petition opened from a shared
/// link): before the page is drawn, makes `katottg` the chosen hromada, with its name and
/// its alerts kept, so that the alerts appear together with the page rather than pushing
/// it down a moment later. Nothing to do when it is the chosen one already; on a failure
/// the page shows anyway (and `remember_hromada` tries again).
pub async fn enter_hromada(api: &crate::api::Api, place: crate::state::Place, katottg: &str) {
    if place.knows(katottg) {
        return;
    }
    let (hromada, ()) =
        futures::future::join(api.hromada(katottg), prefetch_alerts_of(api, katottg)).await;
    if let Ok(h) = hromada {
        place.choose(hromada_api::HromadaRef {
            katottg: h.katottg,
            name: h.name,
        });
    }
}

fn alerts_key(katottg: &str) -> String {
    format!("hromada.alerts.{katottg}")
}

/// The alerts of `katottg` last seen, without those that have ended or expired since.
fn saved_alerts(katottg: &str) -> Vec<Alert> {
    let now = js_sys::Date::new_0()
        .to_iso_string()
        .as_string()
        .unwrap_or_default();
    still_active(load(&alerts_key(katottg)).unwrap_or_default(), &now)
}

/// The alerts that have not ended and do not expire before `now` (RFC 3339, UTC).
pub fn still_active(alerts: Vec<Alert>, now: &str) -> Vec<Alert> {
    alerts
        .into_iter()
        .filter(|a| {
            a.ended_at.is_none() && a.expires_at.as_str() > now && a.starts_at.as_str() <= now
        })
        .collect()
}

/// Active alerts first by severity (most severe first), then newest first.
pub fn sort_alerts(alerts: &mut [Alert]) {
    alerts.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| b.starts_at.cmp(&a.starts_at))
    });
}

/// Applies one live event to the lists the app shows.
pub fn apply(
    event: LiveEvent,
    alerts: &mut Vec<Alert>,
    news: &mut Vec<NewsSummary>,
    removed: &mut Vec<String>,
) {
    match event {
        LiveEvent::Alert(a) => {
            alerts.retain(|x| x.id != a.id);
            if a.ended_at.is_none() {
                alerts.push(a);
            }
            sort_alerts(alerts);
        }
        LiveEvent::AlertEnded { id } => alerts.retain(|x| x.id != id),
        LiveEvent::News(n) => {
            removed.retain(|x| *x != n.id);
            news.retain(|x| x.id != n.id);
            news.insert(0, n);
        }
        LiveEvent::NewsRemoved { id } => {
            news.retain(|x| x.id != id);
            removed.push(id);
        }
        // Notifications are the bell's (`Live::notify`); consultations the staff's queue's.
        LiveEvent::Notification(_) | LiveEvent::Consultation { .. } => {}
    }
}

/// Live state of the current hromada (context).
#[derive(Clone, Copy)]
pub struct Live {
    /// The hromada these lists belong to.
    pub katottg: RwSignal<Option<String>>,
    /// Its active alerts, most severe first.
    pub alerts: RwSignal<Vec<Alert>>,
    /// News published or changed since the app opened, newest first.
    pub news: RwSignal<Vec<NewsSummary>>,
    /// Ids of news that stopped being public since the app opened.
    pub removed: RwSignal<Vec<String>>,
    /// Alerts the person has hidden; remembered across visits.
    pub dismissed: RwSignal<Vec<String>>,
    /// Whether the event stream is open.
    pub connected: RwSignal<bool>,
    /// The signed-in person's unread notifications.
    pub unread: RwSignal<u32>,
    /// The latest notification that arrived live (pages showing what it is about reload).
    pub notice: RwSignal<Option<Notification>>,
    /// The latest consultation that changed (staff only): its id.
    pub consultation: RwSignal<Option<String>>,
}

impl Live {
    /// Takes in a notification that arrived live.
    pub fn notify(&self, n: Notification) {
        if !n.read {
            self.unread.update(|u| *u = u.saturating_add(1));
        }
        self.notice.set(Some(n));
    }

    /// Hides an alert for good.
    pub fn dismiss(&self, id: &str) {
        self.dismissed.update(|d| {
            d.push(id.to_owned());
            // Keep the list short: only the latest hundred matter.
            if d.len() > 100 {
                d.remove(0);
            }
            store(DISMISSED_KEY, Some(d));
        });
    }

    /// The alerts to show: active and not hidden.
    pub fn visible_alerts(&self) -> Vec<Alert> {
        let dismissed = self.dismissed.get();
        self.alerts
            .get()
            .into_iter()
            .filter(|a| !dismissed.contains(&a.id))
            .collect()
    }
}

/// The open stream and its handlers, dropped together.
struct Connection {
    source: EventSource,
    _handlers: Vec<Closure<dyn FnMut(web_sys::Event)>>,
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.source.close();
    }
}

/// Provides [`Live`] and keeps a stream open to the remembered hromada.
pub fn provide_live() {
    let live = Live {
        katottg: RwSignal::new(None),
        alerts: RwSignal::new(vec![]),
        news: RwSignal::new(vec![]),
        removed: RwSignal::new(vec![]),
        dismissed: RwSignal::new(load(DISMISSED_KEY).unwrap_or_default()),
        connected: RwSignal::new(false),
        unread: RwSignal::new(0),
        notice: RwSignal::new(None),
        consultation: RwSignal::new(None),
    };
    provide_context(live);
    // Keep the hromada's alerts as they change, to show them at once next time.
    Effect::new(move |_| {
        let alerts = live.alerts.get();
        if let Some(k) = live.katottg.get_untracked() {
            store(&alerts_key(&k), Some(&alerts));
        }
    });
    let place = use_place();
    let session = use_session();
    let user = StoredValue::new(None::<String>);
    let api = use_api();
    let api_unread = api.clone();
    let connection = StoredValue::new_local(None::<Connection>);
    let retry = StoredValue::new_local(None::<Timeout>);
    let backoff = StoredValue::new(0u32);
    let generation = StoredValue::new(0u32);

    // (Re)connects to the hromada's stream; after a failure waits and tries again.
    let connect = StoredValue::new_local(None::<std::rc::Rc<dyn Fn(String, u32)>>);
    let connect_fn: std::rc::Rc<dyn Fn(String, u32)> =
        std::rc::Rc::new(move |k: String, gen_at: u32| {
            if generation.get_value() != gen_at {
                return;
            }
            let api = api.clone();
            // What happened while disconnected: ask for the active alerts again.
            {
                let (api, k) = (api.clone(), k.clone());
                spawn_local(async move {
                    if let Ok(page) = api.alerts(&k, false).await
                        && generation.get_value() == gen_at
                    {
                        let mut alerts = page.items;
                        sort_alerts(&mut alerts);
                        live.alerts.set(alerts);
                    }
                });
            }
            let init = EventSourceInit::new();
            init.set_with_credentials(true);
            let Ok(source) =
                EventSource::new_with_event_source_init_dict(&api.events_url(&k), &init)
            else {
                return;
            };
            let mut handlers: Vec<Closure<dyn FnMut(web_sys::Event)>> = vec![];
            for name in [
                "news",
                "news_removed",
                "alert",
                "alert_ended",
                "notification",
                "consultation",
            ] {
                let handler =
                    Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
                        let Some(data) = ev
                            .dyn_ref::<MessageEvent>()
                            .and_then(|m| m.data().as_string())
                        else {
                            return;
                        };
                        let json = format!(r#"{{"event":"{name}","data":{data}}}"#);
                        match serde_json::from_str::<LiveEvent>(&json) {
                            Ok(LiveEvent::Notification(n)) => live.notify(n),
                            Ok(LiveEvent::Consultation { id, .. }) => {
                                live.consultation.set(Some(id));
                            }
                            Ok(event) => {
                                let (mut a, mut n, mut r) = (
                                    live.alerts.get_untracked(),
                                    live.news.get_untracked(),
                                    live.removed.get_untracked(),
                                );
                                apply(event, &mut a, &mut n, &mut r);
                                live.alerts.set(a);
                                live.news.set(n);
                                live.removed.set(r);
                            }
                            Err(_) => {}
                        }
                    });
                let _ =
                    source.add_event_listener_with_callback(name, handler.as_ref().unchecked_ref());
                handlers.push(handler);
            }
            let on_open = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
                backoff.set_value(0);
                live.connected.set(true);
            });
            source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
            handlers.push(on_open);
            let k_err = k.clone();
            let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
                live.connected.set(false);
                // Take over from the browser's own retry so the waits grow after each failure.
                connection.set_value(None);
                let wait = next_backoff(backoff.get_value());
                backoff.set_value(wait);
                let k = k_err.clone();
                retry.set_value(Some(Timeout::new(wait, move || {
                    if let Some(f) = connect.get_value() {
                        f(k, gen_at);
                    }
                })));
            });
            source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            handlers.push(on_error);
            connection.set_value(Some(Connection {
                source,
                _handlers: handlers,
            }));
        });
    connect.set_value(Some(connect_fn));

    // A page kept in the back-forward cache would hold its stream open, and browsers allow
    // only six connections per server over HTTP/1.1: close it when the page is hidden and
    // open it again if the page comes back.
    if let Some(window) = web_sys::window() {
        let on_hide = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            retry.set_value(None);
            connection.set_value(None);
            live.connected.set(false);
        });
        let on_show = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
            let persisted = js_sys::Reflect::get(&ev, &"persisted".into())
                .ok()
                .and_then(|v| v.as_bool())
                .unwrap_or(false);
            if persisted
                && let (Some(k), Some(f)) = (live.katottg.get_untracked(), connect.get_value())
            {
                backoff.set_value(0);
                f(k, generation.get_value());
            }
        });
        let _ =
            window.add_event_listener_with_callback("pagehide", on_hide.as_ref().unchecked_ref());
        let _ =
            window.add_event_listener_with_callback("pageshow", on_show.as_ref().unchecked_ref());
        // They live as long as the app.
        on_hide.forget();
        on_show.forget();
    }

    // The unread count of whoever signs in.
    Effect::new(move |_| {
        let id = session.me().map(|m| m.id);
        live.unread.set(0);
        if id.is_some() {
            let api = api_unread.clone();
            spawn_local(async move {
                if let Ok(n) = api.notifications(None).await {
                    live.unread.set(n.unread);
                }
            });
        }
    });

    Effect::new(move |_| {
        // Wait to know who is signed in, so the stream opens once.
        if session.0.get() == crate::state::Auth::Checking {
            return;
        }
        // The chosen hromada, or the signed-in person's own one.
        let me = session.me();
        let k = place
            .0
            .get()
            .map(|h| h.katottg)
            .or_else(|| me.as_ref().map(|m| m.hromada.katottg.clone()));
        let who = me.map(|m| m.id);
        // A sign-in or sign-out changes what the stream carries: open it again.
        if k == live.katottg.get_untracked() && who == user.get_value() {
            return;
        }
        user.set_value(who);
        let gen_now = generation.get_value().wrapping_add(1);
        generation.set_value(gen_now);
        retry.set_value(None);
        connection.set_value(None);
        backoff.set_value(0);
        live.katottg.set(k.clone());
        // The alerts last seen here show at once (and offline); the stream brings the rest.
        live.alerts
            .set(k.as_deref().map(saved_alerts).unwrap_or_default());
        live.news.set(vec![]);
        live.removed.set(vec![]);
        live.connected.set(false);
        if let (Some(k), Some(f)) = (k, connect.get_value()) {
            f(k, gen_now);
        }
    });
}

/// The [`Live`] provided by [`provide_live`].
pub fn use_live() -> Live {
    expect_context::<Live>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use hromada_api::news::Severity;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn saved_alerts_that_ended_or_expired_are_not_shown() {
        let now = "2026-12-02T12:00:00.000Z";
        let mut ended = alert("a", Severity::Danger, "2026-12-02T10:00:00.000Z");
        ended.ended_at = Some("2026-12-02T11:00:00.000Z".into());
        let mut expired = alert("b", Severity::Info, "2026-12-02T10:00:00.000Z");
        expired.expires_at = "2026-12-02T11:59:59.000Z".into();
        let mut later = alert("c", Severity::Info, "2026-12-02T13:00:00.000Z");
        later.expires_at = "2026-12-03T00:00:00.000Z".into();
        let mut on = alert("d", Severity::Warning, "2026-12-02T10:00:00.000Z");
        on.expires_at = "2026-12-03T00:00:00.000Z".into();
        let kept: Vec<String> = still_active(vec![ended, expired, later, on], now)
            .into_iter()
            .map(|a| a.id)
            .collect();
        assert_eq!(kept, ["d"]);
    }

    fn alert(id: &str, severity: Severity, starts: &str) -> Alert {
        Alert {
            id: id.into(),
            katottg: "UA1".into(),
            severity,
            text: "t".into(),
            area: None,
            starts_at: starts.into(),
            expires_at: "2099-01-01T00:00:00Z".into(),
            ended_at: None,
        }
    }

    #[wasm_bindgen_test]
    fn backoff_doubles_up_to_a_limit() {
        let mut w = 0;
        let waits: Vec<u32> = (0..7)
            .map(|_| {
                w = next_backoff(w);
                w
            })
            .collect();
        assert_eq!(waits, vec![1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    }

    #[wasm_bindgen_test]
    fn events_update_the_lists() {
        let (mut a, mut n, mut r) = (vec![], vec![], vec![]);
        apply(
            LiveEvent::Alert(alert("1", Severity::Info, "2026-01-01")),
            &mut a,
            &mut n,
            &mut r,
        );
        apply(
            LiveEvent::Alert(alert("2", Severity::Danger, "2025-01-01")),
            &mut a,
            &mut n,
            &mut r,
        );
        apply(
            LiveEvent::Alert(alert("3", Severity::Info, "2026-02-01")),
            &mut a,
            &mut n,
            &mut r,
        );
        let ids: Vec<_> = a.iter().map(|x| x.id.as_str()).collect();
        assert_eq!(ids, vec!["2", "3", "1"], "most severe first, then newest");
        apply(
            LiveEvent::AlertEnded { id: "2".into() },
            &mut a,
            &mut n,
            &mut r,
        );
        assert_eq!(a.len(), 2);
        let mut ended = alert("3", Severity::Info, "2026-02-01");
        ended.ended_at = Some("2026-02-02T00:00:00Z".into());
        apply(LiveEvent::Alert(ended), &mut a, &mut n, &mut r);
        assert_eq!(a.len(), 1, "an ended alert is no longer shown");
        apply(
            LiveEvent::NewsRemoved { id: "n1".into() },
            &mut a,
            &mut n,
            &mut r,
        );
        assert_eq!(r, vec!["n1".to_owned()]);
    }
}
