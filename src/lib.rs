//! Hromada, the web app: residents and their local authority, together.
//!
//! Client-side rendered with Leptos; talks to the backend only through [`api`].

pub mod api;
pub mod app;
pub mod components;
pub mod format;
pub mod language;
pub mod live;
pub mod offline;
pub mod pages;
pub mod push;
pub mod routes;
pub mod state;

pub use hromada_views::i18n;

use serde::Deserialize;

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

/// Loads the configuration and mounts the app on `<body>`.
pub fn start() {
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
