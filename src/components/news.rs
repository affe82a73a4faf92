//! News cards, formatted bodies and alerts: the shared views ([`hromada_views::news`]),
//! and the banner of the current hromada's live alerts.

use crate::i18n::*;
use crate::live::use_live;
pub use hromada_views::news::{AlertNotice, Body, NewsCard, category_label, severity_label};
use leptos::prelude::*;

/// The active alerts of the current hromada, on every page, most severe first.
#[component]
pub fn AlertBanner() -> impl IntoView {
    let i18n = use_i18n();
    let live = use_live();
    view! {
        <section class="alerts" aria-label=move || t_string!(i18n, alerts.region).to_string() aria-live="polite">
            <For each=move || live.visible_alerts() key=|a| (a.id.clone(), a.text.clone(), a.expires_at.clone()) let:a>
                {
                    let id = a.id.clone();
                    view! { <AlertNotice a hide=Some(Callback::new(move |_| live.dismiss(&id))) /> }
                }
            </For>
        </section>
    }
}
