//! Participatory budget: the hromada's cycles, a cycle with its projects, one project,
//! submitting and changing a project, the ballot, and the results.

mod new;
mod results;
mod vote;

pub use new::{EditProject, NewProject};
pub use results::Results;
pub use vote::Vote;

use crate::api::{ApiError, ProjectQuery, use_api};
use crate::components::budget::{
    CycleCard, PhaseSteps, ProjectCard, category_label, phase_label, project_status_label,
    rule_text,
};
use crate::components::layout::PageHeading;
use crate::components::states::{AfterSession, Empty, ErrorView, Loading};
use crate::format::{date, hryvnias, local_date_time, paragraphs};
use crate::i18n::*;
use crate::routes::Page;
use crate::state::use_session;
use hromada_api::budget::{Cycle, Phase, Project, ProjectCategory, ProjectSort, ProjectStatus};
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
        <PageHeading text=move || t_string!(i18n, budget.title).to_string() />
        <p class="lead">{t!(i18n, budget.lead)}</p>
        <Show when=staff>
            <p class="actions"><A href=move || Page::StaffBudget(katottg.get()).path() attr:class="button button-secondary">{t!(i18n, budget.staff_title)}</A></p>
        </Show>
        <Transition fallback=Loading>
            <ErrorBoundary fallback=move |errors| view! { <ErrorView errors retry=move |_| cycles.refetch() /> }>
                {move || Suspend::new(async move {
                    cycles.await.map(|list| {
                        let mut list = list.into_iter();
                        let Some(current) = list.next() else {
                            return view! { <Empty>{t!(i18n, budget.no_cycles)}</Empty> }.into_any();
                        };
                        let earlier: Vec<Cycle> = list.collect();
                        view! {
                            <CycleOverview c=current heading=true />
                            {(!earlier.is_empty()).then(|| view! {
                                <section aria-labelledby="earlier-h">
                                    <h2 id="earlier-h">{t!(i18n, budget.earlier)}</h2>
                                    <ul class="cards">{earlier.into_iter().map(|c| view! { <CycleCard c /> }).collect_view()}</ul>
                                </section>
                            })}
                        }
                        .into_any()
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// A cycle's phases, money, rule, and what a resident can do in it now.
#[component]
pub fn CycleOverview(c: Cycle, #[prop(optional)] heading: bool) -> impl IntoView {
    let i18n = use_i18n();
    let phase = c.phase;
    let (rule, total) = (c.rule, c.total);
    let id = c.id.clone();
    let action = match phase {
        Phase::Submission => Some((
            Page::BudgetProjectNew(id.clone()),
            t_string!(i18n, budget.submit_project).to_string(),
        )),
        Phase::Voting => Some((
            Page::BudgetVote(id.clone()),
            t_string!(i18n, budget.vote).to_string(),
        )),
        Phase::Results | Phase::Implementation => Some((
            Page::BudgetResults(id.clone()),
            t_string!(i18n, budget.results).to_string(),
        )),
        Phase::Upcoming | Phase::Review => None,
    };
    let voters = c.voters;
    let cycle_title = c.title.clone();
    view! {
        <section class="card cycle" aria-labelledby="cycle-h">
            {if heading {
                view! { <h2 id="cycle-h"><A href=Page::BudgetCycle(id.clone()).path()>{cycle_title}</A></h2> }.into_any()
            } else {
                view! { <h2 id="cycle-h" class="visually-hidden">{t!(i18n, budget.phases)}</h2> }.into_any()
            }}
            <p class="meta">
                <span class=format!("badge phase-badge-{}", phase.code())>{move || phase_label(i18n, phase)}</span>
            </p>
            <dl class="facts">
                <dt>{t!(i18n, budget.total)}</dt>
                <dd><strong>{hryvnias(total)}</strong></dd>
                <dt>{t!(i18n, budget.rule)}</dt>
                <dd>{move || rule_text(i18n, rule, total)}</dd>
                <dt>{t!(i18n, budget.projects)}</dt>
                <dd>{c.projects}</dd>
                {voters.map(|v| view! { <dt>{t!(i18n, budget.voters)}</dt><dd>{v}</dd> })}
            </dl>
            <PhaseSteps dates=c.dates.clone() phase />
            <p class="actions">
                {action.map(|(page, label)| view! { <A href=page.path() attr:class="button">{label}</A> })}
                <A href=Page::BudgetCycle(id.clone()).path() attr:class="button button-secondary">{t!(i18n, budget.all_projects)}</A>
            </p>
        </section>
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
    let i18n = use_i18n();
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
        ProjectQuery {
            category: q
                .get("category")
                .and_then(|c| ProjectCategory::from_code(&c)),
            status: q.get("status").and_then(|s| ProjectStatus::from_code(&s)),
            sort: q
                .get("sort")
                .and_then(|s| ProjectSort::from_code(&s))
                .filter(|s| votes_public || *s != ProjectSort::Votes)
                .unwrap_or_default(),
            mine: q.get("mine").is_some_and(|m| m == "true"),
        }
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
    let go = move |f: ProjectQuery| {
        let mut url = format!(
            "{}?sort={}",
            Page::BudgetCycle(cycle_id.clone()).path(),
            f.sort.code()
        );
        if let Some(c) = f.category {
            url.push_str(&format!("&category={}", c.code()));
        }
        if let Some(s) = f.status {
            url.push_str(&format!("&status={}", s.code()));
        }
        if f.mine {
            url.push_str("&mine=true");
        }
        navigate(&url, Default::default());
    };
    let on_category = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            let category = ProjectCategory::from_code(&event_target_value(&ev));
            go(ProjectQuery {
                category,
                ..filter.get_untracked()
            });
        }
    };
    let on_status = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            let status = ProjectStatus::from_code(&event_target_value(&ev));
            go(ProjectQuery {
                status,
                ..filter.get_untracked()
            });
        }
    };
    let on_sort = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            if let Some(sort) = ProjectSort::from_code(&event_target_value(&ev)) {
                go(ProjectQuery {
                    sort,
                    ..filter.get_untracked()
                });
            }
        }
    };
    let on_mine = move |ev: leptos::ev::Event| {
        go(ProjectQuery {
            mine: event_target_checked(&ev),
            ..filter.get_untracked()
        });
    };
    let sorts: Vec<ProjectSort> = ProjectSort::ALL
        .into_iter()
        .filter(|s| votes_public || *s != ProjectSort::Votes)
        .collect();
    let sort_label = move |s: ProjectSort| match s {
        ProjectSort::Newest => t_string!(i18n, budget.sort_newest),
        ProjectSort::CostAsc => t_string!(i18n, budget.sort_cost_asc),
        ProjectSort::CostDesc => t_string!(i18n, budget.sort_cost_desc),
        ProjectSort::Votes => t_string!(i18n, budget.sort_votes),
    };
    let title = c.title.clone();
    view! {
        <PageHeading text=move || title.clone() />
        <p><A href=Page::Budget(c.katottg.clone()).path()>{t!(i18n, budget.all_cycles)}</A></p>
        <CycleOverview c=c.clone() />
        <section aria-labelledby="projects-h">
            <h2 id="projects-h">{t!(i18n, budget.projects)}</h2>
            <div class="filters">
                <div class="field">
                    <label for="f-category">{t!(i18n, budget.category)}</label>
                    <select id="f-category" on:change=on_category>
                        <option value="" selected=move || filter.get().category.is_none()>{t!(i18n, budget.all_categories)}</option>
                        {ProjectCategory::ALL.into_iter().map(|cat| view! {
                            <option value=cat.code() selected=move || filter.get().category == Some(cat)>{move || category_label(i18n, cat)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="f-status">{t!(i18n, budget.status)}</label>
                    <select id="f-status" on:change=on_status>
                        <option value="" selected=move || filter.get().status.is_none()>{t!(i18n, budget.all_statuses)}</option>
                        {ProjectStatus::ALL.into_iter()
                            .filter(|s| staff || matches!(s, ProjectStatus::Accepted | ProjectStatus::Rejected))
                            .map(|s| view! {
                                <option value=s.code() selected=move || filter.get().status == Some(s)>{move || project_status_label(i18n, s)}</option>
                            }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="f-sort">{t!(i18n, budget.sort)}</label>
                    <select id="f-sort" on:change=on_sort>
                        {sorts.into_iter().map(|s| view! {
                            <option value=s.code() selected=move || filter.get().sort == s>{move || sort_label(s)}</option>
                        }).collect_view()}
                    </select>
                </div>
                {signed_in.then(|| view! {
                    <label class="choice" for="f-mine">
                        <input type="checkbox" id="f-mine" prop:checked=move || filter.get().mine on:change=on_mine />
                        <span>{t!(i18n, budget.only_mine)}</span>
                    </label>
                })}
            </div>
            <Transition fallback=Loading>
                <ErrorBoundary fallback=move |errors| view! { <ErrorView errors retry=move |_| projects.refetch() /> }>
                    {move || Suspend::new(async move {
                        projects.await.map(|list| {
                            if list.is_empty() {
                                return view! { <Empty>{t!(i18n, budget.no_projects)}</Empty> }.into_any();
                            }
                            view! {
                                <p class="meta" role="status">{t_string!(i18n, budget.shown, count = list.len()).to_string()}</p>
                                <ul class="cards">{list.into_iter().map(|p| view! { <ProjectCard p /> }).collect_view()}</ul>
                            }
                            .into_any()
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
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
    let i18n = use_i18n();
    let session = use_session();
    let s = p.summary.clone();
    let k = c.katottg.clone();
    Effect::new(move |_| crate::state::remember_hromada(k.clone()));
    let staff = session
        .me()
        .is_some_and(|me| me.is_staff_of(&c.katottg) || me.admin);
    let title = s.title.clone();
    let (category, status) = (s.category, s.status);
    let editable = s.mine
        && matches!(
            status,
            ProjectStatus::Submitted | ProjectStatus::ChangesRequested
        )
        && matches!(c.phase, Phase::Submission | Phase::Review);
    let review_note = p.review_note.clone().map(|note| {
        let heading = match status {
            ProjectStatus::Rejected => t_string!(i18n, budget.rejected_reason).to_string(),
            ProjectStatus::ChangesRequested => t_string!(i18n, budget.changes_asked).to_string(),
            _ => t_string!(i18n, budget.review_note).to_string(),
        };
        let class = if status == ProjectStatus::Rejected {
            "card card-muted"
        } else {
            "card card-warn"
        };
        view! {
            <section class=class aria-labelledby="review-h">
                <h2 id="review-h">{heading}</h2>
                <p class="appeal-text">{note}</p>
                {p.reviewed_at.clone().map(|at| view! { <p class="meta">{local_date_time(&at)}</p> })}
            </section>
        }
    });
    let lines_total = hromada_api::budget::lines_total(&p.cost_lines);
    let voting = c.phase == Phase::Voting && status == ProjectStatus::Accepted;
    let cycle_title = c.title.clone();
    view! {
        <PageHeading text=move || title.clone() />
        <p><A href=Page::BudgetCycle(c.id.clone()).path()>{cycle_title}</A></p>
        <p class="meta">
            <span class="badge">{move || category_label(i18n, category)}</span>" "
            // Once voting has closed, what matters of an accepted project is its funding.
            {match s.funded {
                Some(true) => view! { <span class="badge badge-ok">{t!(i18n, budget.funded)}</span> }.into_any(),
                Some(false) if status == ProjectStatus::Accepted => view! { <span class="badge">{t!(i18n, budget.not_funded)}</span> }.into_any(),
                _ => view! { <span class=format!("badge project-{}", status.code())>{move || project_status_label(i18n, status)}</span> }.into_any(),
            }}
        </p>
        {(s.mine && status == ProjectStatus::Submitted).then(|| view! {
            <p class="alert alert-ok">{t!(i18n, budget.in_review)}</p>
        })}
        {review_note}
        {editable.then(|| view! {
            <p class="actions"><A href=Page::BudgetProjectEdit(s.id.clone()).path() attr:class="button">{t!(i18n, budget.edit)}</A></p>
        })}
        <dl class="facts">
            <dt>{t!(i18n, budget.cost)}</dt>
            <dd><strong>{hryvnias(s.cost)}</strong></dd>
            <dt>{t!(i18n, budget.address)}</dt>
            <dd>{s.address.clone()}</dd>
            <dt>{t!(i18n, budget.author)}</dt>
            <dd>{s.author_name.clone()}</dd>
            <dt>{t!(i18n, budget.submitted_at)}</dt>
            <dd>{date(&s.submitted_at)}</dd>
            {s.votes.map(|v| view! { <dt>{t!(i18n, budget.votes)}</dt><dd>{v}</dd> })}
            {p.rank.map(|r| view! { <dt>{t!(i18n, budget.rank)}</dt><dd>{r}</dd> })}
        </dl>
        {voting.then(|| view! {
            <p class="actions"><A href=Page::BudgetVote(c.id.clone()).path() attr:class="button button-big">{t!(i18n, budget.vote)}</A></p>
        })}
        {(!p.images.is_empty()).then(|| view! {
            <ul class="gallery">
                {p.images.iter().enumerate().map(|(i, img)| view! {
                    <li><a href=img.url.clone()><img src=img.thumbnail_url.clone()
                        alt=move || t_string!(i18n, budget.image_alt, n = i + 1).to_string()
                        loading="lazy" width="160" height="120" /></a></li>
                }).collect_view()}
            </ul>
        })}
        <section aria-labelledby="desc-h">
            <h2 id="desc-h">{t!(i18n, budget.description)}</h2>
            {paragraphs(&p.description).into_iter().map(|x| view! { <p class="appeal-text">{x}</p> }).collect_view()}
        </section>
        <section aria-labelledby="cost-h">
            <h2 id="cost-h">{t!(i18n, budget.estimate)}</h2>
            <table class="cost-table">
                <thead><tr><th scope="col">{t!(i18n, budget.item)}</th><th scope="col" class="num">{t!(i18n, budget.amount)}</th></tr></thead>
                <tbody>
                    {p.cost_lines.iter().map(|l| view! {
                        <tr><td>{l.item.clone()}</td><td class="num">{hryvnias(l.amount)}</td></tr>
                    }).collect_view()}
                </tbody>
                <tfoot><tr><th scope="row">{t!(i18n, budget.lines_total)}</th><td class="num"><strong>{hryvnias(lines_total)}</strong></td></tr></tfoot>
            </table>
            {p.cost_note.clone().map(|note| view! {
                <div class="card card-warn">
                    <p><strong>{move || t_string!(i18n, budget.cost_changed, cost = hryvnias(s.cost)).to_string()}</strong></p>
                    <p class="appeal-text">{note}</p>
                </div>
            })}
        </section>
        {(!p.milestones.is_empty() || s.progress.is_some()).then(|| view! { <Implementation p=p.clone() /> })}
        {staff.then(|| view! { <crate::pages::staff::ProjectStaffPanel p=p.clone() c=c.clone() changed /> })}
    }
}

/// How a funded project is being carried out: progress and milestones.
#[component]
fn Implementation(p: Project) -> impl IntoView {
    let i18n = use_i18n();
    let progress = p.summary.progress.unwrap_or(0);
    view! {
        <section class="card" aria-labelledby="impl-h">
            <h2 id="impl-h">{t!(i18n, budget.implementation)}</h2>
            <div class="progress">
                <progress max="100" value=progress.to_string()
                    aria-label=move || t_string!(i18n, budget.progress, percent = progress).to_string()></progress>
                <p class="progress-text">{move || t_string!(i18n, budget.progress, percent = progress).to_string()}</p>
            </div>
            <ol class="milestones">
                {p.milestones.into_iter().map(|m| view! {
                    <li class:done=m.done>
                        <span aria-hidden="true">{if m.done { "✓ " } else { "○ " }}</span>
                        <span>{m.title}</span>" "
                        <span class="meta">{date(&m.date)}" · "{move || if m.done { t_string!(i18n, budget.done) } else { t_string!(i18n, budget.planned) }}</span>
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}
