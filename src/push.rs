//! Web Push on this device: whether the browser can show notifications while the app is
//! closed, asking for permission (only when the person presses a button, never on load),
//! subscribing with the server's VAPID key, and what this device gets: the urgent alerts
//! of some hromadas (anyone) and the signed-in person's notifications.
//!
//! What the device gets is kept in `localStorage` ([`DeviceState`]) and told to the
//! service worker (`public/sw.js`), which subscribes again by itself when the browser
//! changes the subscription (`pushsubscriptionchange`) and posts the new one where the old
//! one went.

use crate::api::{Api, ApiError};
use crate::state::{load, store};
use hromada_api::delivery::PushSubscriptionJson;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// Where [`DeviceState`] is kept.
const STATE_KEY: &str = "hromada.push";
/// How long to wait for the service worker to be ready before saying the browser cannot.
const READY_WAIT_MS: u32 = 10_000;
/// How long the browser's push service may take to subscribe (one that cannot be reached
/// never answers).
const SUBSCRIBE_WAIT_MS: u32 = 20_000;

/// What the browser can do about push, before anything is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Support {
    /// No service worker, no `PushManager` or no `Notification`: it cannot.
    Unsupported,
    /// iPhone or iPad outside an installed app: push needs the app on the Home Screen.
    NeedsHomeScreen,
    /// The person (or the browser) refused notifications for this site.
    Blocked,
    /// It can: pressing the button asks (or has asked) for permission.
    Ready,
}

/// Why subscribing did not work.
#[derive(Debug, Clone, PartialEq)]
pub enum PushError {
    Unsupported,
    NeedsHomeScreen,
    /// Permission was refused.
    Denied,
    /// The permission prompt was closed without an answer.
    Dismissed,
    /// The browser or its push service refused to subscribe; the browser's own words.
    Refused(String),
    /// The browser's push service did not answer in time.
    NoAnswer,
    /// The server refused or could not be reached.
    Api(ApiError),
}

impl From<ApiError> for PushError {
    fn from(e: ApiError) -> Self {
        Self::Api(e)
    }
}

/// A hromada whose urgent alerts this device gets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertSub {
    pub katottg: String,
    /// Also the notices "for your information".
    #[serde(default)]
    pub info: bool,
}

/// What this device gets, for the subscription `endpoint`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceState {
    pub endpoint: String,
    #[serde(default)]
    pub alerts: Vec<AlertSub>,
    /// This device's id among the signed-in person's devices, when registered.
    #[serde(default)]
    pub device_id: Option<String>,
}

impl DeviceState {
    /// The kept state, if it is about the subscription `endpoint` (a browser that
    /// changed its subscription makes an older state void).
    pub fn for_endpoint(endpoint: &str) -> Self {
        load::<DeviceState>(STATE_KEY)
            .filter(|s| s.endpoint == endpoint)
            .unwrap_or_else(|| DeviceState {
                endpoint: endpoint.to_owned(),
                ..Default::default()
            })
    }

    /// The kept state, whatever subscription it is about.
    pub fn kept() -> Option<Self> {
        load(STATE_KEY)
    }

    /// Whether the device gets `katottg`'s alerts.
    pub fn alerts_of(&self, katottg: &str) -> Option<&AlertSub> {
        self.alerts.iter().find(|a| a.katottg == katottg)
    }

    /// Records that the device gets `katottg`'s alerts.
    pub fn add_alerts(&mut self, katottg: &str, info: bool) {
        self.alerts.retain(|a| a.katottg != katottg);
        self.alerts.push(AlertSub {
            katottg: katottg.to_owned(),
            info,
        });
    }

    /// Whether the device still needs its push subscription.
    pub fn in_use(&self) -> bool {
        !self.alerts.is_empty() || self.device_id.is_some()
    }

    /// Keeps it, and tells the service worker.
    pub fn save(&self, api: &Api, key: Option<&str>) {
        store(STATE_KEY, self.in_use().then_some(self));
        tell_worker(api, self, key);
    }
}

/// Whether the device is an iPhone or iPad (an iPad may say it is a Mac, but has touch).
pub fn is_ios(user_agent: &str, touch_points: i32) -> bool {
    ["iPhone", "iPad", "iPod"]
        .iter()
        .any(|d| user_agent.contains(d))
        || (user_agent.contains("Macintosh") && touch_points > 1)
}

/// Whether the page runs as an installed app.
pub fn standalone() -> bool {
    let Some(w) = web_sys::window() else {
        return false;
    };
    w.match_media("(display-mode: standalone)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches())
        || js_sys::Reflect::get(&w.navigator(), &"standalone".into())
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false)
}

fn has(target: &JsValue, name: &str) -> bool {
    js_sys::Reflect::has(target, &name.into()).unwrap_or(false)
}

/// What this browser can do, asking nothing.
pub fn support() -> Support {
    let Some(w) = web_sys::window() else {
        return Support::Unsupported;
    };
    let nav = w.navigator();
    let ua = nav.user_agent().unwrap_or_default();
    if is_ios(&ua, nav.max_touch_points()) && !standalone() {
        return Support::NeedsHomeScreen;
    }
    if !has(&nav, "serviceWorker") || !has(&w, "PushManager") || !has(&w, "Notification") {
        return Support::Unsupported;
    }
    if web_sys::Notification::permission() == web_sys::NotificationPermission::Denied {
        return Support::Blocked;
    }
    Support::Ready
}

/// Decodes base64url (with or without padding), as the server gives its key.
pub fn base64url_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.trim_end_matches('=').bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// The service worker's registration, once it is active (or `None` after a while).
async fn registration() -> Option<web_sys::ServiceWorkerRegistration> {
    let container = web_sys::window()?.navigator().service_worker();
    let ready = JsFuture::from(container.ready().ok()?);
    let timeout = gloo_timers::future::TimeoutFuture::new(READY_WAIT_MS);
    futures::pin_mut!(ready);
    match futures::future::select(ready, timeout).await {
        futures::future::Either::Left((Ok(reg), _)) => reg.dyn_into().ok(),
        _ => None,
    }
}

/// The service worker's registration if there is one now (never waits for it).
async fn registration_now() -> Option<web_sys::ServiceWorkerRegistration> {
    let nav = web_sys::window()?.navigator();
    if !has(&nav, "serviceWorker") {
        return None;
    }
    let reg = JsFuture::from(nav.service_worker().get_registration())
        .await
        .ok()?;
    reg.dyn_into().ok()
}

async fn subscription_of(
    reg: &web_sys::ServiceWorkerRegistration,
) -> Option<web_sys::PushSubscription> {
    let pm = reg.push_manager().ok()?;
    let sub = JsFuture::from(pm.get_subscription().ok()?).await.ok()?;
    sub.dyn_into().ok()
}

/// This device's push subscription, if it has one.
pub async fn current() -> Option<web_sys::PushSubscription> {
    if support() == Support::Unsupported {
        return None;
    }
    subscription_of(&registration_now().await?).await
}

/// A subscription as the contract sends it.
pub fn to_json(sub: &web_sys::PushSubscription) -> Option<PushSubscriptionJson> {
    let json = sub.to_json().ok()?;
    let text = js_sys::JSON::stringify(&json).ok()?;
    serde_json::from_str(&String::from(text)).ok()
}

/// The message of a rejected promise (a `DOMException`, usually).
fn message_of(e: &JsValue) -> String {
    js_sys::Reflect::get(e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .filter(|m| !m.is_empty())
        .or_else(|| e.as_string())
        .unwrap_or_default()
}

/// Asks for permission if it was not given yet. Only call it from a press of a button.
async fn permission() -> Result<(), PushError> {
    use web_sys::NotificationPermission as P;
    match web_sys::Notification::permission() {
        P::Granted => return Ok(()),
        P::Denied => return Err(PushError::Denied),
        _ => {}
    }
    let asked = web_sys::Notification::request_permission()
        .map_err(|e| PushError::Refused(message_of(&e)))?;
    let answer = JsFuture::from(asked)
        .await
        .map_err(|e| PushError::Refused(message_of(&e)))?;
    match answer.as_string().as_deref() {
        Some("granted") => Ok(()),
        Some("denied") => Err(PushError::Denied),
        _ => Err(PushError::Dismissed),
    }
}

/// Whether a subscription was made with `key`.
fn made_with(sub: &web_sys::PushSubscription, key: &[u8]) -> bool {
    sub.options()
        .application_server_key()
        .ok()
        .flatten()
        .is_some_and(|b| js_sys::Uint8Array::new(&b).to_vec() == key)
}

/// Asks for permission (when not given yet) and subscribes this device with the server's
/// key; an existing subscription made with the same key is used again. Returns the
/// subscription and the key.
pub async fn subscribe(api: &Api) -> Result<(PushSubscriptionJson, String), PushError> {
    match support() {
        Support::Unsupported => return Err(PushError::Unsupported),
        Support::NeedsHomeScreen => return Err(PushError::NeedsHomeScreen),
        Support::Blocked => return Err(PushError::Denied),
        Support::Ready => {}
    }
    permission().await?;
    let reg = registration().await.ok_or(PushError::Unsupported)?;
    let public_key = api.push_key().await?.public_key;
    let key = base64url_decode(&public_key)
        .filter(|k| !k.is_empty())
        .ok_or_else(|| PushError::Api(ApiError::Decode("push key".into())))?;
    let pm = reg
        .push_manager()
        .map_err(|e| PushError::Refused(message_of(&e)))?;
    if let Some(old) = subscription_of(&reg).await {
        if made_with(&old, &key) {
            let json = to_json(&old).ok_or(PushError::Unsupported)?;
            return Ok((json, public_key));
        }
        // Made with another key (the server's changed): only a new one can be used.
        if let Ok(p) = old.unsubscribe() {
            let _ = JsFuture::from(p).await;
        }
    }
    let options = web_sys::PushSubscriptionOptionsInit::new();
    options.set_user_visible_only(true);
    options.set_application_server_key(&js_sys::Uint8Array::from(key.as_slice()).into());
    let promise = pm
        .subscribe_with_options(&options)
        .map_err(|e| PushError::Refused(message_of(&e)))?;
    let subscribing = JsFuture::from(promise);
    let timeout = gloo_timers::future::TimeoutFuture::new(SUBSCRIBE_WAIT_MS);
    futures::pin_mut!(subscribing);
    let sub: web_sys::PushSubscription = match futures::future::select(subscribing, timeout).await {
        futures::future::Either::Left((Ok(sub), _)) => sub.unchecked_into(),
        futures::future::Either::Left((Err(e), _)) => {
            return Err(PushError::Refused(message_of(&e)));
        }
        futures::future::Either::Right(_) => return Err(PushError::NoAnswer),
    };
    let json = to_json(&sub).ok_or(PushError::Unsupported)?;
    Ok((json, public_key))
}

/// Ends this device's push subscription (nothing is sent to it any more).
pub async fn unsubscribe() {
    if let Some(sub) = current().await
        && let Ok(p) = sub.unsubscribe()
    {
        let _ = JsFuture::from(p).await;
    }
}

/// Tells the service worker what the device gets, so that it can subscribe again by
/// itself and post the new subscription to the same places.
fn tell_worker(api: &Api, state: &DeviceState, key: Option<&str>) {
    let message = serde_json::json!({
        "type": "push-state",
        "state": {
            "api_base": api.base(),
            "key": key,
            "alerts": state.alerts,
            "personal": state.device_id.is_some(),
            "language": crate::language::current_code(),
        },
    });
    wasm_bindgen_futures::spawn_local(async move {
        let Some(active) = registration_now().await.and_then(|r| r.active()) else {
            return;
        };
        if let Ok(v) = js_sys::JSON::parse(&message.to_string()) {
            let _ = active.post_message(&v);
        }
    });
}

/// The service worker subscribed again by itself (`pushsubscriptionchange`) and posted the
/// new subscription where the old one went: what the device gets stays the same.
pub fn resubscribed(endpoint: &str) {
    if let Some(mut state) = DeviceState::kept() {
        state.endpoint = endpoint.to_owned();
        store(STATE_KEY, Some(&state));
    }
}

/// The app's language changed: the hromadas' alerts come to this device in it (a
/// signed-in person's device follows the profile, which the switch changes too).
pub async fn language_changed(api: &Api) {
    keep_alerts(api).await;
    if let Some(state) = DeviceState::kept() {
        tell_worker(api, &state, None);
    }
}

/// This device's subscription in the contract's form, with the app's language.
pub fn with_language(mut sub: PushSubscriptionJson) -> PushSubscriptionJson {
    sub.language = Some(crate::language::current_code().to_owned());
    sub
}

/// Forgets the signed-in person's registration of this device (at sign-out): the next
/// person on this phone does not get their notifications. The hromadas' alerts stay.
pub async fn forget_person(api: &Api) {
    let Some(mut state) = DeviceState::kept() else {
        return;
    };
    let Some(id) = state.device_id.take() else {
        return;
    };
    let _ = api.remove_device(&id).await;
    state.save(api, None);
    if !state.in_use() {
        unsubscribe().await;
    }
}

/// Posts the device's hromada alerts again, as anyone's (after sign-out: removing the
/// person's registration may have taken them along). The same endpoint again only
/// updates the server's record.
pub async fn keep_alerts(api: &Api) {
    let Some(state) = DeviceState::kept().filter(|s| !s.alerts.is_empty()) else {
        return;
    };
    let Some(sub) = current().await.filter(|s| s.endpoint() == state.endpoint) else {
        return;
    };
    let Some(json) = to_json(&sub).map(with_language) else {
        return;
    };
    for a in &state.alerts {
        let mut alert_sub = json.clone();
        alert_sub.info = Some(a.info);
        let _ = api.subscribe_alerts(&a.katottg, &alert_sub).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn keys_decode_from_base64url() {
        assert_eq!(base64url_decode("").unwrap(), Vec::<u8>::new());
        assert_eq!(base64url_decode("AQID").unwrap(), vec![1, 2, 3]);
        assert_eq!(base64url_decode("_-8").unwrap(), vec![0xff, 0xef]);
        assert_eq!(base64url_decode("_-8=").unwrap(), vec![0xff, 0xef]);
        assert!(base64url_decode("a b").is_none());
        // A P-256 public key: 65 bytes, 87 characters unpadded.
        let key = "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM";
        let bytes = base64url_decode(key).unwrap();
        assert_eq!(bytes.len(), 65);
        assert_eq!(bytes[0], 4);
    }

    #[wasm_bindgen_test]
    fn iphones_and_ipads_are_told_apart() {
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15";
        assert!(is_ios(iphone, 5));
        // iPadOS says it is a Mac, but has touch.
        let ipad = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15";
        assert!(is_ios(ipad, 5));
        assert!(!is_ios(ipad, 0));
        assert!(!is_ios("Mozilla/5.0 (Linux; Android 14) Chrome/120", 5));
    }

    #[wasm_bindgen_test]
    fn the_state_knows_what_the_device_gets() {
        let mut s = DeviceState {
            endpoint: "https://push.example/1".into(),
            ..Default::default()
        };
        assert!(!s.in_use());
        s.add_alerts("UA1", false);
        s.add_alerts("UA1", true);
        assert_eq!(s.alerts.len(), 1);
        assert_eq!(s.alerts_of("UA1").map(|a| a.info), Some(true));
        assert!(s.alerts_of("UA2").is_none());
        assert!(s.in_use());
        s.alerts.clear();
        s.device_id = Some("d1".into());
        assert!(s.in_use());
    }
}
