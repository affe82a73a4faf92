//! The page for a path the app does not know.

use crate::components::layout::PageHeading;
use crate::i18n::*;
use crate::routes::Page;
use leptos::prelude::*;
use leptos_router::components::A;

/// Nothing here.
#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    // Not a deferred page (the router's fallback): the same follows once it is drawn.
    leptos::task::spawn_local(async { crate::pages::deferred::page_drawn() });
    view! {
        <PageHeading text=move || t_string!(i18n, not_found.title).to_string() />
        <p>{t!(i18n, not_found.text)}</p>
        <p><A href=Page::Home.path() attr:class="button">{t!(i18n, not_found.home)}</A></p>
    }
}
