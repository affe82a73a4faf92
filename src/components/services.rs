//! Shared pieces of the services catalogue and consultations: labels, the fee and term as
//! words, the assistant's suggestions with why each matched, and the debounced search.

use crate::api::{Api, ApiError, use_api};
use crate::i18n::*;
use crate::routes::Page;
use gloo_timers::callback::Timeout;
use hromada_api::search::How;
use hromada_api::services::{Answer, ConsultationStatus, Hit, RefKind, ServiceSummary};
pub use hromada_views::services::{ServiceCard, fee_text, situation_label, term_text};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;

/// How a word matched, in words.
pub fn how_label(i18n: I18nContext<Locale>, h: How) -> String {
    match h {
        How::Exact => t_string!(i18n, services.how_exact),
        How::Ending => t_string!(i18n, services.how_ending),
        How::Prefix => t_string!(i18n, services.how_prefix),
        How::Typo => t_string!(i18n, services.how_typo),
    }
    .to_string()
}

/// A consultation's status in words.
pub fn status_label(i18n: I18nContext<Locale>, s: ConsultationStatus) -> String {
    match s {
        ConsultationStatus::Waiting => t_string!(i18n, consult.waiting),
        ConsultationStatus::Answered => t_string!(i18n, consult.answered),
        ConsultationStatus::Closed => t_string!(i18n, consult.closed),
    }
    .to_string()
}

/// Where a hit or a link leads.
pub fn ref_path(kind: RefKind, id: &str) -> String {
    match kind {
        RefKind::Service => Page::Service(id.to_owned()).path(),
        RefKind::Answer => Page::Answer(id.to_owned()).path(),
    }
}

/// Every service of a hromada (the catalogue is short: its pages are read to the end).
pub async fn all_services(api: &Api, katottg: &str) -> Result<Vec<ServiceSummary>, ApiError> {
    let mut page = api.services(katottg, None).await?;
    let mut items = std::mem::take(&mut page.items);
    while let Some(c) = page.next_cursor.take() {
        page = api.services(katottg, Some(&c)).await?;
        items.append(&mut page.items);
    }
    Ok(items)
}

/// Every frequently asked question of a hromada, read to the end like the catalogue.
pub async fn all_answers(api: &Api, katottg: &str) -> Result<Vec<Answer>, ApiError> {
    let mut page = api.answers(katottg, None).await?;
    let mut items = std::mem::take(&mut page.items);
    while let Some(c) = page.next_cursor.take() {
        page = api.answers(katottg, Some(&c)).await?;
        items.append(&mut page.items);
    }
    Ok(items)
}

/// How long typing must pause before the search runs, in milliseconds.
pub const SEARCH_PAUSE_MS: u32 = 250;

/// The search behind a text box: runs when typing pauses, answers the latest words only
/// (an older request still on its way is cancelled). `None` while there is nothing to ask.
pub fn use_search(
    katottg: Signal<String>,
    typed: Signal<String>,
) -> LocalResource<Option<Result<Vec<Hit>, ApiError>>> {
    let api = use_api();
    let settled = RwSignal::new(typed.get_untracked());
    let timer = StoredValue::new_local(None::<Timeout>);
    Effect::new(move |_| {
        let now = typed.get();
        timer.set_value(Some(Timeout::new(SEARCH_PAUSE_MS, move || {
            settled.set(now);
        })));
    });
    LocalResource::new(move || {
        let (api, k, q) = (api.clone(), katottg.get(), settled.get());
        async move {
            if q.trim().is_empty() {
                return None;
            }
            Some(api.search_services(&k, &q).await.map(|r| r.items))
        }
    })
}

/// Suggestions: each hit with where it leads, a line of what it is, and why it matched.
#[component]
pub fn Hits(hits: Vec<Hit>, #[prop(optional)] id: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="hits" id=id>
            {hits.into_iter().map(|h| {
                let why = h.matched.iter().map(|m| {
                    if m.how == How::Exact {
                        m.found.clone()
                    } else {
                        format!("{} → {} ({})", m.query, m.found, how_label(i18n, m.how))
                    }
                }).collect::<Vec<_>>().join(", ");
                let kind = match h.kind {
                    RefKind::Service => t_string!(i18n, services.kind_service).to_string(),
                    RefKind::Answer => t_string!(i18n, services.kind_answer).to_string(),
                };
                view! {
                    <li class="hit">
                        <A href=ref_path(h.kind, &h.id) attr:class="hit-title">{h.title}</A>
                        <span class="badge">{kind}</span>
                        <p class="hit-snippet">{h.snippet}</p>
                        <p class="meta hit-why">{t!(i18n, services.why)}" "{why}</p>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
