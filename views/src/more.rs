//! The "show more" button of a paged list.

use crate::i18n::*;
use leptos::prelude::*;

/// The button that loads a list's next page. Without `on_click` (a first view, before the
/// app has started) it is drawn disabled.
#[component]
pub fn MoreControl(
    /// What the button does; none before the app has started.
    #[prop(optional)]
    on_click: Option<Callback<()>>,
    /// The next page is on its way.
    #[prop(into, optional)]
    busy: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let disabled = move || on_click.is_none() || busy.get();
    view! {
        <button
            type="button"
            class="button button-secondary"
            on:click=move |_| if let Some(f) = on_click { f.run(()) }
            disabled=disabled
        >
            {t!(i18n, state.more)}
        </button>
    }
}
