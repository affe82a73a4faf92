//! App-wide state, each piece a context newtype with its `provide_…` and `use_…`.

use crate::api::{ApiError, use_api};
use hromada_api::{HromadaRef, Me};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Serialize, de::DeserializeOwned};

/// Reads a JSON value from `localStorage`.
pub fn load<T: DeserializeOwned>(key: &str) -> Option<T> {
    let storage = web_sys::window()?.local_storage().ok()??;
    let raw = storage.get_item(key).ok()??;
    serde_json::from_str(&raw).ok()
}

/// Writes a JSON value to `localStorage` (or removes it for `None`). Storage may be full or
/// disabled; the app then simply does not remember.
pub fn store<T: Serialize>(key: &str, value: Option<&T>) {
    let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) else {
        return;
    };
    let _ = match value.and_then(|v| serde_json::to_string(v).ok()) {
        Some(raw) => storage.set_item(key, &raw),
        None => storage.remove_item(key),
    };
}

const ME_KEY: &str = "hromada.me";
/// The cookie the server sets beside the session (readable, no secret).
const SIGNED_IN_COOKIE: &str = "hromada_signed_in";

/// Whether the browser holds the server's signed-in hint.
fn signed_in_hint() -> bool {
    has_cookie(&document_cookies(), SIGNED_IN_COOKIE)
}

/// The page's document, when there is one.
pub fn html_document() -> Option<web_sys::HtmlDocument> {
    use wasm_bindgen::JsCast;
    web_sys::window()?.document()?.dyn_into().ok()
}

/// The page's cookies, as `document.cookie` gives them (empty outside a browser).
pub fn document_cookies() -> String {
    html_document()
        .and_then(|d| d.cookie().ok())
        .unwrap_or_default()
}

/// Sets a cookie (`document.cookie = cookie`); nothing outside a browser.
pub fn set_document_cookie(cookie: &str) {
    if let Some(d) = html_document() {
        let _ = d.set_cookie(cookie);
    }
}

/// The value of the cookie `name` in `cookies` (as `document.cookie` gives them), if it
/// has one.
pub fn cookie_value<'a>(cookies: &'a str, name: &str) -> Option<&'a str> {
    cookies.split(';').find_map(|p| {
        p.trim()
            .split_once('=')
            .filter(|(n, v)| *n == name && !v.is_empty())
            .map(|(_, v)| v)
    })
}

/// Whether `cookies` (as `document.cookie` gives them) has `name` with a value.
pub fn has_cookie(cookies: &str, name: &str) -> bool {
    cookie_value(cookies, name).is_some()
}
/// Where the remembered hromada is kept.
pub const HROMADA_KEY: &str = "hromada.place";

/// Who is signed in, as far as the app knows.
#[derive(Debug, Clone, PartialEq)]
pub enum Auth {
    /// Asking the server.
    Checking,
    SignedOut,
    SignedIn(Me),
}

/// The signed-in person (context).
#[derive(Clone, Copy)]
pub struct Session(pub RwSignal<Auth>);

impl Session {
    /// The person, when signed in.
    pub fn me(&self) -> Option<Me> {
        match self.0.get() {
            Auth::SignedIn(me) => Some(me),
            _ => None,
        }
    }

    /// Records a successful sign-in, sign-up or profile change.
    pub fn set(&self, me: Me) {
        store(ME_KEY, Some(&me));
        self.0.set(Auth::SignedIn(me));
    }

    /// Forgets the person (after sign-out, or when the server says the session ended).
    pub fn clear(&self) {
        store::<Me>(ME_KEY, None);
        crate::offline::forget_saved();
        self.0.set(Auth::SignedOut);
    }
}

/// Provides the [`Session`] and asks the server who is signed in. Offline, the person last
/// seen is kept, so the app stays usable without a network. `known` is what the server's
/// first view of this very page answered for `GET /me` a moment ago: it is taken (and
/// kept, as a sign-in is) without asking again.
pub fn provide_session(known: Option<Me>) {
    let session = Session(RwSignal::new(Auth::Checking));
    provide_context(session);
    if let Some(me) = known {
        session.set(me);
        return;
    }
    let cached: Option<Me> = load(ME_KEY);
    // A guest (no session was started in this browser) is not asked about: `GET /me`
    // would only answer 401.
    if cached.is_none() && !signed_in_hint() {
        session.0.set(Auth::SignedOut);
        return;
    }
    let api = use_api();
    spawn_local(async move {
        match api.me().await {
            Ok(me) => session.set(me),
            Err(ApiError::Unauthorized(_)) => session.clear(),
            Err(_) => match cached {
                Some(me) => session.0.set(Auth::SignedIn(me)),
                None => session.0.set(Auth::SignedOut),
            },
        }
    });
}

/// The [`Session`] provided by [`provide_session`].
pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// The hromada the person chose last (context); remembered across visits.
#[derive(Clone, Copy)]
pub struct Place(pub RwSignal<Option<HromadaRef>>);

impl Place {
    /// Whether `katottg` is the chosen hromada already, by name too (a page's address may
    /// have made it the remembered one before its name was known); true for an empty code.
    pub fn knows(&self, katottg: &str) -> bool {
        katottg.is_empty()
            || self
                .0
                .get_untracked()
                .is_some_and(|h| h.katottg == katottg && !h.name.is_empty())
    }

    /// Remembers a choice.
    pub fn choose(&self, hromada: HromadaRef) {
        if self.0.get_untracked().as_ref() != Some(&hromada) {
            store(HROMADA_KEY, Some(&hromada));
            keep_place_cookie(&hromada.katottg);
            self.0.set(Some(hromada));
        }
    }
}

/// The cookie that tells the server the remembered hromada, so that a first view of a page
/// of no hromada (`/`, sign-in) is drawn with its alerts, as the app then draws it.
pub const PLACE_COOKIE: &str = "hromada_place";

/// Keeps the remembered hromada's code in [`PLACE_COOKIE`] too.
fn keep_place_cookie(katottg: &str) {
    set_document_cookie(&format!(
        "{PLACE_COOKIE}={katottg}; path=/; max-age=31536000; SameSite=Lax"
    ));
}

/// Provides the remembered [`Place`].
pub fn provide_place() {
    let kept: Option<HromadaRef> = load(HROMADA_KEY);
    // A choice made before the cookie existed gets it now.
    if let Some(h) = &kept
        && cookie_value(&document_cookies(), PLACE_COOKIE) != Some(h.katottg.as_str())
    {
        keep_place_cookie(&h.katottg);
    }
    provide_context(Place(RwSignal::new(kept)));
}

/// The [`Place`] provided by [`provide_place`].
pub fn use_place() -> Place {
    expect_context::<Place>()
}

/// Makes the hromada of the page being shown the remembered one (a shared link to a news
/// item or a feed brings its alerts and navigation with it).
pub fn remember_hromada(katottg: String) {
    let place = use_place();
    if place.knows(&katottg) {
        return;
    }
    let api = use_api();
    spawn_local(async move {
        if let Ok(h) = api.hromada(&katottg).await {
            place.choose(HromadaRef {
                katottg: h.katottg,
                name: h.name,
            });
        }
    });
}
