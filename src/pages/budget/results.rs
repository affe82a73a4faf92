//! The results: projects ranked by votes, which are funded, and the funding line.

use crate::api::{ApiError, use_api};
use crate::components::layout::PageHeading;
use crate::components::states::{AfterSession, ErrorView, Loading};
use crate::i18n::*;
use crate::state::use_session;
use hromada_api::budget::{Cycle, Results as Outcome};
use hromada_views::budget::ResultsDetails;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// `/budget/{cycle}/results`.
#[component]
pub fn Results() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("cycle").unwrap_or_default());
    let data = LocalResource::new(move || {
        let (api, id) = (api.clone(), id.get());
        async move {
            let c = api.budget_cycle(&id).await?;
            let r = if c.phase.votes_public() {
                Some(api.budget_results(&id).await?)
            } else {
                None
            };
            Ok::<_, ApiError>((c, r))
        }
    });
    view! {
        <PageHeading text=move || t_string!(i18n, budget.results_title).to_string() />
        <Transition fallback=Loading>
            <ErrorBoundary fallback=move |errors| view! { <ErrorView errors retry=move |_| data.refetch() /> }>
                <AfterSession>
                    {move || Suspend::new(async move {
                        data.await.map(|(c, r)| view! { <ResultsView c r /> })
                    })}
                </AfterSession>
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn ResultsView(c: Cycle, r: Option<Outcome>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let k = c.katottg.clone();
    Effect::new(move |_| crate::state::remember_hromada(k.clone()));
    let staff = session
        .me()
        .is_some_and(|me| me.is_staff_of(&c.katottg) || me.admin);
    let csv = api.budget_results_csv_url(&c.id);
    let export = (staff && r.is_some()).then(|| {
        view! {
            <p class="actions"><a class="button button-secondary" href=csv download="">{t!(i18n, budget.export_csv)}</a></p>
        }
        .into_any()
    });
    match export {
        Some(export) => view! { <ResultsDetails c r export /> }.into_any(),
        None => view! { <ResultsDetails c r /> }.into_any(),
    }
}
