//! `/`: the community the person chose before, or the picker to choose one.

use crate::pages::hromadas::Picker;
use crate::routes::Page;
use crate::state::use_place;
use leptos::prelude::*;
use leptos_router::components::Redirect;

/// The start page.
#[component]
pub fn Home() -> impl IntoView {
    let place = use_place();
    match place.0.get_untracked() {
        Some(h) => view! { <Redirect path=Page::Hromada(h.katottg).path() /> }.into_any(),
        None => view! { <Picker /> }.into_any(),
    }
}
