//! Participatory budget: the hromada's cycles, a cycle with its projects, one project,
//! submitting and changing a project, the ballot, and the results.

mod new;
mod results;
mod vote;

pub use new::{EditProject, NewProject};
pub use results::Results;
pub use vote::Vote;

use crate::api::{ApiError, ProjectQuery, use_api};
use crate::components::layout::PageHeading;
use crate::components::states::{AfterSession, ErrorView, Loading};
use crate::i18n::*;
use crate::routes::Page;
use crate::state::use_session;
use hromada_api::budget::{Cycle, Project};
pub use hromada_views::budget::CycleOverview;
use hromada_views::budget::{
    BudgetTop, CycleTop, Cycles, ProjectDetails, ProjectFilters, Projects, ProjectsSection,
};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

/// The cycle named by the route's `cycle` parameter, loaded again when it changes.
fn cycle_from_route() -> LocalResource<Result<Cycle, ApiError>> {
    let api = use_api();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("cycle").unwrap_or_default());
    LocalResource::new(move || {
        let (api, id) = (api.clone(), id.get());
        async move { api.budget_cycle(&id).await }
    })
}

/// The project named by the route's `id` parameter, with its cycle.
fn project_from_route() -> LocalResource<Result<(Project, Cycle), ApiError>> {
    let api = use_api();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    LocalResource::new(move || {
        let (api, id) = (api.clone(), id.get());
        async move {
            let p = api.budget_project(&id).await?;
            let c = api.budget_cycle(&p.summary.cycle_id).await?;
            Ok((p, c))
        }
    })
}

/// `/h/{katottg}/budget`: the current cycle in full, the earlier ones below.
#[component]
pub fn BudgetHome() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let params = use_params_map();
    let katottg = Memo::new(move |_| params.read().get("katottg").unwrap_or_default());
    Effect::new(move |_| crate::state::remember_hromada(katottg.get()));
    let cycles = LocalResource::new(move || {
        let (api, k) = (api.clone(), katottg.get());
        async move { api.budget_cycles(&k).await }
    });
    let staff = move || {
        session
            .me()
            .is_some_and(|me| me.is_staff_of(&katottg.get()) || me.admin)
    };
    view! {
        <BudgetTop />
        <Show when=staff>
            <p class="actions"><A href=move || Page::StaffBudget(katottg.get()).path() attr:class="button button-secondary">{t!(i18n, budget.staff_title)}</A></p>
        </Show>
        <Transition fallback=Loading>
            <ErrorBoundary fallback=move |errors| view! { <ErrorView errors retry=move |_| cycles.refetch() /> }>
                {move || Suspend::new(async move {
                    cycles.await.map(|cycles| view! { <Cycles cycles /> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// `/budget/{cycle}?category=&status=&sort=&mine=`: a cycle and its projects.
#[component]
pub fn CyclePage() -> impl IntoView {
    let i18n = use_i18n();
    let cycle = cycle_from_route();
    view! {
        <Transition fallback=Loading>
            <ErrorBoundary fallback=move |errors| view! {
                <PageHeading text=move || t_string!(i18n, budget.title).to_string() />
                <ErrorView errors retry=move |_| cycle.refetch() />
            }>
                <AfterSession>
                    {move || Suspend::new(async move {
                        cycle.await.map(|c| view! { <CycleView c /> })
                    })}
                </AfterSession>
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn CycleView(c: Cycle) -> impl IntoView {
    let api = use_api();
    let session = use_session();
    let query = use_query_map();
    let navigate = use_navigate();
    let k = c.katottg.clone();
    Effect::new(move |_| crate::state::remember_hromada(k.clone()));
    let votes_public = c.phase.votes_public();
    let staff = session
        .me()
        .is_some_and(|me| me.is_staff_of(&c.katottg) || me.admin);
    let signed_in = session.me().is_some();
    let filter = Memo::new(move |_| {
        let q = query.read();
        let pairs =
            ["category", "status", "sort", "mine"].map(|k| (k, q.get(k).unwrap_or_default()));
        ProjectQuery::from_query(pairs.iter().map(|(k, v)| (*k, v.as_str())), votes_public)
    });
    let cycle_id = c.id.clone();
    let projects = {
        let cycle_id = cycle_id.clone();
        LocalResource::new(move || {
            let (api, id, f) = (api.clone(), cycle_id.clone(), filter.get());
            async move { api.budget_projects(&id, &f).await }
        })
    };
    // The URL holds the filters, so a list can be shared.
    let change =
        Callback::new(move |f: ProjectQuery| navigate(&f.href(&cycle_id), Default::default()));
    let filters =
        view! { <ProjectFilters filter votes_public staff signed_in change /> }.into_any();
    view! {
        <CycleTop c=c.clone() />
        <ProjectsSection filters>
            <Transition fallback=Loading>
                <ErrorBoundary fallback=move |errors| view! { <ErrorView errors retry=move |_| projects.refetch() /> }>
                    {move || Suspend::new(async move {
                        projects.await.map(|list| view! { <Projects list /> })
                    })}
                </ErrorBoundary>
            </Transition>
        </ProjectsSection>
    }
}

/// `/projects/{id}`: one project, its cost, images, review and implementation.
#[component]
pub fn ProjectPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let live = crate::live::use_live();
    let data = project_from_route();
    // A review decision arrives live to the author: show it.
    Effect::new(move |_| {
        if let Some(n) = live.notice.get()
            && n.project.is_some_and(|p| p.id == id.get_untracked())
        {
            data.refetch();
        }
    });
    let changed = Callback::new(move |_: ()| data.refetch());
    view! {
        <Transition fallback=Loading>
            <ErrorBoundary fallback=move |errors| view! {
                <PageHeading text=move || t_string!(i18n, budget.project).to_string() />
                <ErrorView errors retry=move |_| data.refetch() />
            }>
                <AfterSession>
                    {move || Suspend::new(async move {
                        data.await.map(|(p, c)| view! { <ProjectView p c changed /> })
                    })}
                </AfterSession>
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn ProjectView(p: Project, c: Cycle, changed: Callback<()>) -> impl IntoView {
    let session = use_session();
    let k = c.katottg.clone();
    Effect::new(move |_| crate::state::remember_hromada(k.clone()));
    let staff = session
        .me()
        .is_some_and(|me| me.is_staff_of(&c.katottg) || me.admin);
    let after = staff.then(
        || view! { <crate::pages::staff::ProjectStaffPanel p=p.clone() c=c.clone() changed /> },
    );
    view! { <ProjectDetails p c after=after.into_any() /> }
}
