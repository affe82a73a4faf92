//! Working without a network, and installing: the service worker (`public/sw.js`), the
//! network's state, what was shown from saved copies, the outbox of submissions waiting
//! for the network, a new version waiting to be used, and the browser's install prompt.
//!
//! The service worker keeps the app shell and API reads, and holds back submissions that
//! the network failed (answering them `202` with `x-hromada-queued`); it delivers them,
//! with their `Idempotency-Key`, when the network returns. This module is the app's side:
//! it registers the worker, listens to it, and tells it what the person decides.

use crate::api::ApiError;
use hromada_api::Problem;
use leptos::prelude::*;
use serde::Deserialize;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// A submission in the outbox, as the service worker describes it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct OutboxItem {
    pub id: String,
    /// `appeal`, `signature`, `ballot`, `poll_answer`, `consultation` or `message`.
    pub kind: String,
    pub url: String,
    /// What the person would recognise it by (an appeal's subject, a poll's title).
    #[serde(default)]
    pub label: String,
    /// The submission's `Idempotency-Key`, if it has one.
    #[serde(default)]
    pub key: Option<String>,
    pub created_at: String,
    /// `queued`, `sending` or `refused`.
    pub state: String,
    #[serde(default)]
    pub attempts: u32,
    /// The server's problem document, when it refused the submission.
    #[serde(default)]
    pub problem: Option<Problem>,
    /// The server's answer, once delivered.
    #[serde(default)]
    pub response: Option<serde_json::Value>,
}

impl OutboxItem {
    /// Whether the server refused it (it stays until the person dismisses it).
    pub fn refused(&self) -> bool {
        self.state == "refused"
    }

    /// Why the server refused it, as the app's error.
    pub fn refusal(&self) -> Option<ApiError> {
        let p = self.problem.clone()?;
        Some(ApiError::from_status(p.status, Some(p), None))
    }
}

/// The hromada of an API address `…/hromadas/{katottg}/{tail}`.
pub fn hromada_of<'a>(url: &'a str, tail: &str) -> Option<&'a str> {
    let path = url.split('?').next()?;
    let rest = path.strip_suffix(tail)?.strip_suffix('/')?;
    let (before, k) = rest.rsplit_once('/')?;
    (before.ends_with("/hromadas") && !k.is_empty()).then_some(k)
}

/// Whether a submission of this kind to this API path (`/petitions/7/signatures`) waits in
/// the outbox, not refused.
pub fn waits(items: &[OutboxItem], kind: &str, path: &str) -> bool {
    items.iter().any(|i| {
        i.kind == kind && !i.refused() && i.url.split('?').next().is_some_and(|u| u.ends_with(path))
    })
}

/// How many items wait, and how many were refused.
pub fn counts(items: &[OutboxItem]) -> (usize, usize) {
    let refused = items.iter().filter(|i| i.refused()).count();
    (items.len() - refused, refused)
}

/// A message from the service worker.
#[derive(Debug, Deserialize)]
struct WorkerMessage {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    items: Vec<OutboxItem>,
    #[serde(default)]
    delivered: Option<OutboxItem>,
    /// `push-resubscribed`: the new push endpoint of this device.
    #[serde(default)]
    endpoint: Option<String>,
}

/// The offline state (context).
#[derive(Clone, Copy)]
pub struct Offline {
    /// The browser believes it has a network.
    pub online: RwSignal<bool>,
    /// When the oldest saved copy shown since the last navigation was saved (the network
    /// failed and the service worker answered from what it kept).
    pub saved_at: RwSignal<Option<String>>,
    /// A new version of the app is installed and waits for the person's agreement.
    pub update_ready: RwSignal<bool>,
    /// What waits in the outbox.
    pub outbox: RwSignal<Vec<OutboxItem>>,
    /// The latest submission the service worker delivered.
    pub delivered: RwSignal<Option<OutboxItem>>,
    /// The browser offers to install the app.
    pub can_install: RwSignal<bool>,
    /// iOS Safari, not installed: it installs only through "Share → Add to Home Screen".
    pub ios_hint: bool,
    install_prompt: StoredValue<Option<JsValue>, LocalStorage>,
    reloading: StoredValue<bool>,
}

/// The [`Offline`] provided by [`provide_offline`].
pub fn use_offline() -> Offline {
    expect_context::<Offline>()
}

/// Whether the browser is iOS Safari outside an installed app.
pub fn needs_ios_hint(user_agent: &str, standalone: bool) -> bool {
    let ios = ["iPhone", "iPad", "iPod"]
        .iter()
        .any(|d| user_agent.contains(d));
    let other_browser = ["CriOS", "FxiOS", "EdgiOS"]
        .iter()
        .any(|b| user_agent.contains(b));
    ios && !other_browser && !standalone
}

/// Keeps the older of two RFC 3339 times (`None` counts as the newest).
pub fn older(a: Option<String>, b: &str) -> Option<String> {
    match a {
        Some(a) if a.as_str() <= b => Some(a),
        _ => Some(b.to_owned()),
    }
}

fn container() -> Option<web_sys::ServiceWorkerContainer> {
    let nav = web_sys::window()?.navigator();
    js_sys::Reflect::has(&nav, &JsValue::from_str("serviceWorker"))
        .ok()
        .filter(|h| *h)?;
    Some(nav.service_worker())
}

/// Posts a message (`{type, …}`) to the service worker that controls the page.
fn post(message: serde_json::Value) {
    let Some(worker) = container().and_then(|c| c.controller()) else {
        return;
    };
    if let Ok(v) = serde_wasm_message(&message) {
        let _ = worker.post_message(&v);
    }
}

fn serde_wasm_message(v: &serde_json::Value) -> Result<JsValue, JsValue> {
    js_sys::JSON::parse(&v.to_string())
}

/// Asks the service worker to forget every saved API answer (at sign-out, or when the
/// session ended): nothing personal stays on the device.
pub fn forget_saved() {
    post(serde_json::json!({"type": "forget"}));
}

impl Offline {
    /// Asks the service worker to try the outbox now.
    pub fn flush(&self) {
        post(serde_json::json!({"type": "flush"}));
    }

    /// Takes an item out of the outbox: it will not be sent (or, refused, is dismissed).
    pub fn cancel(&self, id: &str) {
        post(serde_json::json!({"type": "cancel", "id": id}));
        self.outbox.update(|o| o.retain(|i| i.id != id));
    }

    /// Shows the browser's install prompt.
    pub fn install(&self) {
        let Some(prompt) = self.install_prompt.get_value() else {
            return;
        };
        if let Ok(f) = js_sys::Reflect::get(&prompt, &JsValue::from_str("prompt"))
            && let Ok(f) = f.dyn_into::<js_sys::Function>()
        {
            let _ = f.call0(&prompt);
        }
        self.install_prompt.set_value(None);
        self.can_install.set(false);
    }

    /// Starts using the new version: the waiting worker takes over and the page reloads.
    pub fn update_now(&self) {
        self.reloading.set_value(true);
        let Some(c) = container() else {
            reload();
            return;
        };
        let promise = c.get_registration();
        wasm_bindgen_futures::spawn_local(async move {
            let waiting = wasm_bindgen_futures::JsFuture::from(promise)
                .await
                .ok()
                .and_then(|r| r.dyn_into::<web_sys::ServiceWorkerRegistration>().ok())
                .and_then(|r| r.waiting());
            match waiting {
                Some(w) => {
                    if let Ok(m) = serde_wasm_message(&serde_json::json!({"type": "skip-waiting"}))
                    {
                        let _ = w.post_message(&m);
                    }
                }
                None => reload(),
            }
        });
    }
}

fn reload() {
    if let Some(w) = web_sys::window() {
        let _ = w.location().reload();
    }
}

fn on_window(event: &str, f: impl FnMut(web_sys::Event) + 'static) {
    if let Some(w) = web_sys::window() {
        let c = Closure::<dyn FnMut(web_sys::Event)>::new(f);
        let _ = w.add_event_listener_with_callback(event, c.as_ref().unchecked_ref());
        c.forget();
    }
}

/// Watches a registration for a new version that waits (installed while another one
/// controls the page).
fn watch_updates(reg: web_sys::ServiceWorkerRegistration, ready: RwSignal<bool>) {
    let has_controller = || container().and_then(|c| c.controller()).is_some();
    if reg.waiting().is_some() && has_controller() {
        ready.set(true);
    }
    let r = reg.clone();
    let found = Closure::<dyn FnMut()>::new(move || {
        let Some(installing) = r.installing() else {
            return;
        };
        let w = installing.clone();
        let changed = Closure::<dyn FnMut()>::new(move || {
            if w.state() == web_sys::ServiceWorkerState::Installed && has_controller() {
                ready.set(true);
            }
        });
        installing.set_onstatechange(Some(changed.as_ref().unchecked_ref()));
        changed.forget();
    });
    reg.set_onupdatefound(Some(found.as_ref().unchecked_ref()));
    found.forget();
}

/// Registers the service worker and provides [`Offline`].
pub fn provide_offline() {
    let window = web_sys::window();
    let nav = window.as_ref().map(|w| w.navigator());
    let standalone = window
        .as_ref()
        .and_then(|w| w.match_media("(display-mode: standalone)").ok().flatten())
        .is_some_and(|m| m.matches())
        || nav.as_ref().is_some_and(|n| {
            js_sys::Reflect::get(n, &JsValue::from_str("standalone"))
                .ok()
                .and_then(|v| v.as_bool())
                .unwrap_or(false)
        });
    let offline = Offline {
        online: RwSignal::new(nav.as_ref().is_none_or(|n| n.on_line())),
        saved_at: RwSignal::new(None),
        update_ready: RwSignal::new(false),
        outbox: RwSignal::new(vec![]),
        delivered: RwSignal::new(None),
        can_install: RwSignal::new(false),
        ios_hint: needs_ios_hint(
            &nav.as_ref()
                .and_then(|n| n.user_agent().ok())
                .unwrap_or_default(),
            standalone,
        ),
        install_prompt: StoredValue::new_local(None),
        reloading: StoredValue::new(false),
    };
    provide_context(offline);

    on_window("online", move |_| {
        offline.online.set(true);
        offline.flush();
    });
    on_window("offline", move |_| offline.online.set(false));
    on_window("beforeinstallprompt", move |ev| {
        ev.prevent_default();
        offline.install_prompt.set_value(Some(ev.into()));
        offline.can_install.set(true);
    });
    on_window("appinstalled", move |_| {
        offline.install_prompt.set_value(None);
        offline.can_install.set(false);
    });

    let Some(c) = container() else {
        return;
    };
    let messages =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let Ok(text) = js_sys::JSON::stringify(&ev.data()) else {
                return;
            };
            let Ok(m) = serde_json::from_str::<WorkerMessage>(&String::from(text)) else {
                return;
            };
            if m.kind == "push-resubscribed"
                && let Some(endpoint) = m.endpoint
            {
                crate::push::resubscribed(&endpoint);
                return;
            }
            if m.kind == "outbox" {
                offline.outbox.set(m.items);
                if let Some(d) = m.delivered {
                    // Wherever the person is now, the draft it was made of is done.
                    let key = d.key.as_deref().unwrap_or_default();
                    match d.kind.as_str() {
                        "appeal" => {
                            crate::pages::appeals::draft::Draft::delivered(&d.url, key);
                        }
                        "consultation" => crate::pages::services::AskDraft::delivered(&d.url, key),
                        _ => {}
                    }
                    offline.delivered.set(Some(d));
                }
            }
        });
    c.set_onmessage(Some(messages.as_ref().unchecked_ref()));
    messages.forget();
    let changed = Closure::<dyn FnMut()>::new(move || {
        if offline.reloading.get_value() {
            reload();
        } else {
            // The first worker took over this page: it can now say what waits.
            post(serde_json::json!({"type": "list"}));
        }
    });
    c.set_oncontrollerchange(Some(changed.as_ref().unchecked_ref()));
    changed.forget();
    let registering = c.register("/sw.js");
    wasm_bindgen_futures::spawn_local(async move {
        if let Ok(reg) = wasm_bindgen_futures::JsFuture::from(registering).await
            && let Ok(reg) = reg.dyn_into::<web_sys::ServiceWorkerRegistration>()
        {
            watch_updates(reg, offline.update_ready);
        }
        post(serde_json::json!({"type": "list"}));
        post(serde_json::json!({"type": "flush"}));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(state: &str, problem: Option<Problem>) -> OutboxItem {
        OutboxItem {
            id: "q-1".into(),
            kind: "appeal".into(),
            url: "/api/v1/hromadas/UA1/appeals".into(),
            label: "Яма на дорозі".into(),
            key: Some("k".into()),
            created_at: "2026-12-01T10:00:00.000Z".into(),
            state: state.into(),
            attempts: 1,
            problem,
            response: None,
        }
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn refusals_say_why() {
        let p: Problem = serde_json::from_value(
            serde_json::json!({"title": "Conflict", "status": 409, "detail": "This poll is not open."}),
        )
        .unwrap();
        let i = item("refused", Some(p));
        assert!(i.refused());
        assert!(matches!(i.refusal(), Some(ApiError::Conflict(_))));
        assert!(item("queued", None).refusal().is_none());
        assert_eq!(
            counts(&[
                item("queued", None),
                item("refused", None),
                item("sending", None)
            ]),
            (2, 1)
        );
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn a_signature_waits_until_delivered_or_refused() {
        let mut s = item("queued", None);
        s.kind = "signature".into();
        s.url = "http://127.0.0.1:1/api/v1/petitions/p7/signatures".into();
        let path = "/petitions/p7/signatures";
        assert!(waits(std::slice::from_ref(&s), "signature", path));
        assert!(!waits(
            std::slice::from_ref(&s),
            "signature",
            "/petitions/p70/signatures"
        ));
        assert!(!waits(
            std::slice::from_ref(&s),
            "signature",
            "/petitions/7/signatures"
        ));
        assert!(!waits(&[item("queued", None)], "signature", path));
        s.state = "sending".into();
        assert!(waits(std::slice::from_ref(&s), "signature", path));
        s.state = "refused".into();
        assert!(!waits(&[s], "signature", path));
        assert!(!waits(&[], "signature", path));
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn addresses_name_their_hromada() {
        let url = "http://127.0.0.1:1/api/v1/hromadas/UA1/appeals";
        assert_eq!(hromada_of(url, "appeals"), Some("UA1"));
        assert_eq!(hromada_of(url, "consultations"), None);
        assert_eq!(hromada_of("/api/v1/appeals/x/answer", "appeals"), None);
        assert_eq!(
            hromada_of("/api/v1/hromadas/UA2/consultations?x=1", "consultations"),
            Some("UA2")
        );
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn ios_safari_gets_the_hint() {
        let safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
        assert!(needs_ios_hint(safari, false));
        assert!(!needs_ios_hint(safari, true));
        assert!(!needs_ios_hint(
            &safari.replace("Version/17.0", "CriOS/120"),
            false
        ));
        assert!(!needs_ios_hint(
            "Mozilla/5.0 (Linux; Android 14) Chrome/120",
            false
        ));
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn the_oldest_saved_time_is_kept() {
        let t = older(None, "2026-12-01T10:00:00.000Z");
        let t = older(t, "2026-12-01T11:00:00.000Z");
        assert_eq!(t.as_deref(), Some("2026-12-01T10:00:00.000Z"));
        assert_eq!(
            older(t, "2026-12-01T09:00:00.000Z").as_deref(),
            Some("2026-12-01T09:00:00.000Z")
        );
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn worker_messages_parse() {
        let m: WorkerMessage = serde_json::from_str(
            r#"{"type":"outbox","items":[{"id":"q","kind":"signature","url":"/api/v1/petitions/p/signatures","created_at":"2026-12-01T10:00:00.000Z","state":"queued","attempts":0,"problem":null,"key":"k","seq":1,"method":"POST"}]}"#,
        )
        .unwrap();
        assert_eq!(m.kind, "outbox");
        assert_eq!(m.items[0].kind, "signature");
        assert!(m.delivered.is_none());
    }
}
