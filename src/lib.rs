//! Hromada, the web app: residents and their local authority, together.
//!
//! Client-side rendered with Leptos; talks to the backend only through [`api`].

pub mod api;
pub mod app;
pub mod components;
pub mod format;
pub mod live;
pub mod offline;
pub mod pages;
pub mod routes;
pub mod state;

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

use serde::Deserialize;
use wasm_bindgen::JsCast;

/// The run-time configuration, read from `config.json` beside `index.html`.
#[derive(Debug, Default, Deserialize)]
pub struct Config {
    /// The backend's base URL; empty means the origin the app was served from.
    #[serde(default)]
    pub api_base: String,
}

/// Reads `config.json`; without it (offline, or not deployed) the backend is the same origin.
async fn load_config() -> Config {
    match gloo_net::http::Request::get("/config.json").send().await {
        Ok(resp) if resp.ok() => resp.json().await.unwrap_or_default(),
        _ => Config::default(),
    }
}

/// Ukrainian is the default language whatever the browser prefers; a choice made with the
/// language switch is kept in the same cookie.
pub(crate) fn default_to_ukrainian() {
    let Some(doc) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
    else {
        return;
    };
    let has_choice = doc.cookie().is_ok_and(|c| {
        c.split(';')
            .any(|p| p.trim_start().starts_with("i18n_pref_locale="))
    });
    if !has_choice {
        let _ = doc.set_cookie("i18n_pref_locale=uk; path=/; max-age=31536000; SameSite=Lax");
    }
}

/// Loads the configuration and mounts the app on `<body>`.
pub fn start() {
    default_to_ukrainian();
    wasm_bindgen_futures::spawn_local(async {
        let config = load_config().await;
        live::prefetch_alerts(&api::Api::new(&config.api_base)).await;
        // The first view (if the server sent one) says who is signed in: the app starts
        // so, instead of drawing "checking" over the page it replaces. It stays on screen
        // until the app has drawn its first page (pages::deferred).
        let me = pages::deferred::boot()
            .and_then(|boot| boot.get_attribute("data-me"))
            .and_then(|j| serde_json::from_str::<hromada_api::Me>(&j).ok());
        leptos::mount::mount_to_body(move || {
            leptos::view! { <app::App api_base=config.api_base me /> }
        });
    });
}

#[cfg(test)]
mod tests;
