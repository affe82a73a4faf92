//! The participatory budget: labels, the phases of a cycle, cards of cycles and projects,
//! and a project as anyone may read it.

use crate::format::{date, date_time};
use crate::i18n::*;
use crate::news::{Empty, Heading};
use crate::routes::Page;
use hromada_api::budget::{
    Cycle, CycleDates, Phase, Project, ProjectCategory, ProjectSort, ProjectStatus, ProjectSummary,
    ResultRow, Results as Outcome, VotingRule,
};
use hromada_api::text::{hryvnias, paragraphs};
use leptos::prelude::*;
use leptos_i18n::I18nContext;

/// The name of a phase.
pub fn phase_label(i18n: I18nContext<Locale>, phase: Phase) -> String {
    match phase {
        Phase::Upcoming => t_string!(i18n, budget.phase_upcoming),
        Phase::Submission => t_string!(i18n, budget.phase_submission),
        Phase::Review => t_string!(i18n, budget.phase_review),
        Phase::Voting => t_string!(i18n, budget.phase_voting),
        Phase::Results => t_string!(i18n, budget.phase_results),
        Phase::Implementation => t_string!(i18n, budget.phase_implementation),
    }
    .to_string()
}

/// The name of a category.
pub fn category_label(i18n: I18nContext<Locale>, c: ProjectCategory) -> String {
    match c {
        ProjectCategory::Education => t_string!(i18n, budget.cat_education),
        ProjectCategory::Health => t_string!(i18n, budget.cat_health),
        ProjectCategory::Culture => t_string!(i18n, budget.cat_culture),
        ProjectCategory::Sport => t_string!(i18n, budget.cat_sport),
        ProjectCategory::Environment => t_string!(i18n, budget.cat_environment),
        ProjectCategory::Transport => t_string!(i18n, budget.cat_transport),
        ProjectCategory::Safety => t_string!(i18n, budget.cat_safety),
        ProjectCategory::Social => t_string!(i18n, budget.cat_social),
        ProjectCategory::Other => t_string!(i18n, budget.cat_other),
    }
    .to_string()
}

/// The name of a project's review state.
pub fn project_status_label(i18n: I18nContext<Locale>, s: ProjectStatus) -> String {
    match s {
        ProjectStatus::Submitted => t_string!(i18n, budget.status_submitted),
        ProjectStatus::ChangesRequested => t_string!(i18n, budget.status_changes_requested),
        ProjectStatus::Accepted => t_string!(i18n, budget.status_accepted),
        ProjectStatus::Rejected => t_string!(i18n, budget.status_rejected),
    }
    .to_string()
}

/// The voting rule in a sentence.
pub fn rule_text(i18n: I18nContext<Locale>, rule: VotingRule, total: i64) -> String {
    match rule {
        VotingRule::Choose {
            max,
            one_per_category: false,
        } => t_string!(i18n, budget.rule_choose, max).to_string(),
        VotingRule::Choose {
            max,
            one_per_category: true,
        } => t_string!(i18n, budget.rule_choose_per_category, max).to_string(),
        VotingRule::FitBudget => {
            t_string!(i18n, budget.rule_fit, total = hryvnias(total)).to_string()
        }
    }
}

/// The phases of a cycle in order, with their first days, the current one marked.
#[component]
pub fn PhaseSteps(dates: CycleDates, phase: Phase) -> impl IntoView {
    let i18n = use_i18n();
    let steps = [
        (Phase::Submission, dates.submission),
        (Phase::Review, dates.review),
        (Phase::Voting, dates.voting),
        (Phase::Results, dates.results),
        (Phase::Implementation, dates.implementation),
    ];
    view! {
        <ol class="phases">
            {steps.into_iter().map(|(p, from)| {
                let state = if p == phase { "now" } else if p < phase { "done" } else { "next" };
                view! {
                    <li class=format!("phase phase-{state}") aria-current=(p == phase).then_some("step")>
                        <span class="phase-name">{move || phase_label(i18n, p)}</span>
                        <span class="meta">{move || t_string!(i18n, budget.from_date, date = date(&from)).to_string()}</span>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

/// A cycle in a few lines: title, phase, money and rule.
#[component]
pub fn CycleCard(c: Cycle) -> impl IntoView {
    let i18n = use_i18n();
    let phase = c.phase;
    let (rule, total) = (c.rule, c.total);
    let title = c.title.clone();
    view! {
        <li class="card">
            <h3><a href=Page::BudgetCycle(c.id.clone()).path()>{title}</a></h3>
            <p class="meta">
                <span class=format!("badge phase-badge-{}", phase.code())>{move || phase_label(i18n, phase)}</span>
                " · "{hryvnias(c.total)}" · "
                {move || t_string!(i18n, budget.projects_count, count = c.projects).to_string()}
            </p>
            <p class="meta">{move || rule_text(i18n, rule, total)}</p>
        </li>
    }
}

/// A project in a list.
#[component]
pub fn ProjectCard(p: ProjectSummary) -> impl IntoView {
    let i18n = use_i18n();
    let category = p.category;
    let status = p.status;
    let votes = p.votes;
    let title = p.title.clone();
    view! {
        <li class="card project-card">
            {p.thumbnail_url.clone().map(|src| view! {
                <img class="project-thumb" src=src alt="" loading="lazy" width="160" height="120" />
            })}
            <div>
                <h3><a href=Page::BudgetProject(p.id.clone()).path()>{title}</a></h3>
                <p class="meta">
                    <span class="badge">{move || category_label(i18n, category)}</span>
                    " · "<strong>{hryvnias(p.cost)}</strong>
                    {(status != ProjectStatus::Accepted).then(|| view! {
                        " · "<span class=format!("badge project-{}", status.code())>{move || project_status_label(i18n, status)}</span>
                    })}
                    {p.funded.filter(|f| *f).map(|_| view! { " · "<span class="badge badge-ok">{t!(i18n, budget.funded)}</span> })}
                </p>
                <p class="meta">{p.address.clone()}</p>
                {votes.map(|v| view! { <p class="meta">{move || t_string!(i18n, budget.votes_count, count = v).to_string()}</p> })}
                {p.progress.map(|pr| view! {
                    <p class="meta">{move || t_string!(i18n, budget.progress, percent = pr).to_string()}</p>
                })}
            </div>
        </li>
    }
}

/// A project as anyone may read it: its cycle, category and state, the review's word to
/// its author, facts, the way to vote while voting is open, pictures, description,
/// estimate and, once funded, how it is carried out. `after` comes at the end (the
/// staff's panel in the app).
#[component]
pub fn ProjectDetails(
    p: Project,
    c: Cycle,
    #[prop(optional)] after: Option<AnyView>,
) -> impl IntoView {
    let i18n = use_i18n();
    let s = p.summary.clone();
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
                {p.reviewed_at.clone().map(|at| view! { <p class="meta">{date_time(&at)}</p> })}
            </section>
        }
    });
    let lines_total = hromada_api::budget::lines_total(&p.cost_lines);
    let voting = c.phase == Phase::Voting && status == ProjectStatus::Accepted;
    let cycle_title = c.title.clone();
    view! {
        <Heading text=Signal::derive(move || title.clone()) />
        <p><a href=Page::BudgetCycle(c.id.clone()).path()>{cycle_title}</a></p>
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
            <p class="actions"><a href=Page::BudgetProjectEdit(s.id.clone()).path() class="button">{t!(i18n, budget.edit)}</a></p>
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
            <p class="actions"><a href=Page::BudgetVote(c.id.clone()).path() class="button button-big">{t!(i18n, budget.vote)}</a></p>
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
        {after}
    }
}

/// How a funded project is being carried out: progress and milestones.
#[component]
pub fn Implementation(p: Project) -> impl IntoView {
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

/// The name of an order of a cycle's projects.
pub fn sort_label(i18n: I18nContext<Locale>, s: ProjectSort) -> &'static str {
    match s {
        ProjectSort::Newest => t_string!(i18n, budget.sort_newest),
        ProjectSort::CostAsc => t_string!(i18n, budget.sort_cost_asc),
        ProjectSort::CostDesc => t_string!(i18n, budget.sort_cost_desc),
        ProjectSort::Votes => t_string!(i18n, budget.sort_votes),
    }
}

/// Which of a cycle's projects are listed, and in what order: all held by the address
/// (`?category=&status=&sort=&mine=`), so that a list can be shared.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectFilter {
    pub category: Option<ProjectCategory>,
    pub status: Option<ProjectStatus>,
    pub sort: ProjectSort,
    /// Only the reader's own projects.
    pub mine: bool,
}

impl ProjectFilter {
    /// The filter of an address's query parameters. Ordering by votes is there only once
    /// the votes are public (`votes_public`); what is unknown is the default.
    pub fn from_query<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
        votes_public: bool,
    ) -> Self {
        let mut f = Self::default();
        for (k, v) in pairs {
            match k {
                "category" => f.category = ProjectCategory::from_code(v),
                "status" => f.status = ProjectStatus::from_code(v),
                "sort" => {
                    f.sort = ProjectSort::from_code(v)
                        .filter(|s| votes_public || *s != ProjectSort::Votes)
                        .unwrap_or_default();
                }
                "mine" => f.mine = v == "true",
                _ => {}
            }
        }
        f
    }

    /// The cycle's address with this filter.
    pub fn href(&self, cycle: &str) -> String {
        let mut url = format!(
            "{}?sort={}",
            Page::BudgetCycle(cycle.to_owned()).path(),
            self.sort.code()
        );
        if let Some(c) = self.category {
            url.push_str(&format!("&category={}", c.code()));
        }
        if let Some(s) = self.status {
            url.push_str(&format!("&status={}", s.code()));
        }
        if self.mine {
            url.push_str("&mine=true");
        }
        url
    }
}

/// A cycle's phases, money, rule, and what a resident can do in it now. With `heading`
/// the cycle's title leads to it (the budget's page); without, the cycle is the page.
#[component]
pub fn CycleOverview(c: Cycle, #[prop(optional)] heading: bool) -> impl IntoView {
    let i18n = use_i18n();
    let phase = c.phase;
    let (rule, total) = (c.rule, c.total);
    let id = c.id.clone();
    let action = match phase {
        Phase::Submission => Some((
            Page::BudgetProjectNew(id.clone()),
            Signal::derive(move || t_string!(i18n, budget.submit_project).to_string()),
        )),
        Phase::Voting => Some((
            Page::BudgetVote(id.clone()),
            Signal::derive(move || t_string!(i18n, budget.vote).to_string()),
        )),
        Phase::Results | Phase::Implementation => Some((
            Page::BudgetResults(id.clone()),
            Signal::derive(move || t_string!(i18n, budget.results).to_string()),
        )),
        Phase::Upcoming | Phase::Review => None,
    };
    let voters = c.voters;
    let cycle_title = c.title.clone();
    view! {
        <section class="card cycle" aria-labelledby="cycle-h">
            {if heading {
                view! { <h2 id="cycle-h"><a href=Page::BudgetCycle(id.clone()).path()>{cycle_title}</a></h2> }.into_any()
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
                {action.map(|(page, label)| view! { <a href=page.path() class="button">{move || label.get()}</a> })}
                <a href=Page::BudgetCycle(id.clone()).path() class="button button-secondary">{t!(i18n, budget.all_projects)}</a>
            </p>
        </section>
    }
}

/// The budget's page title and lead.
#[component]
pub fn BudgetTop() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Heading text=Signal::derive(move || t_string!(i18n, budget.title).to_string()) />
        <p class="lead">{t!(i18n, budget.lead)}</p>
    }
}

/// A hromada's cycles, newest first: the current one in full, the earlier ones below (or
/// the sentence that there are none).
#[component]
pub fn Cycles(cycles: Vec<Cycle>) -> impl IntoView {
    let i18n = use_i18n();
    let mut list = cycles.into_iter();
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
}

/// A cycle's page top: its title, the way to every cycle, its overview.
#[component]
pub fn CycleTop(c: Cycle) -> impl IntoView {
    let i18n = use_i18n();
    let title = c.title.clone();
    view! {
        <Heading text=Signal::derive(move || title.clone()) />
        <p><a href=Page::Budget(c.katottg.clone()).path()>{t!(i18n, budget.all_cycles)}</a></p>
        <CycleOverview c />
    }
}

/// The filters of a cycle's projects. The app passes what it does with a change
/// (`change`); without it (before the app has started) they are disabled. Staff may filter
/// by every review state, others by accepted and rejected; `signed_in` adds "only mine".
#[component]
pub fn ProjectFilters(
    #[prop(into)] filter: Signal<ProjectFilter>,
    votes_public: bool,
    staff: bool,
    signed_in: bool,
    #[prop(optional)] change: Option<Callback<ProjectFilter>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let ready = change.is_some();
    let go = move |f: ProjectFilter| {
        if let Some(c) = change {
            c.run(f);
        }
    };
    let sorts: Vec<ProjectSort> = ProjectSort::ALL
        .into_iter()
        .filter(|s| votes_public || *s != ProjectSort::Votes)
        .collect();
    view! {
        <div class="filters">
            <div class="field">
                <label for="f-category">{t!(i18n, budget.category)}</label>
                <select id="f-category" disabled=!ready
                    on:change=move |ev| go(ProjectFilter { category: ProjectCategory::from_code(&event_target_value(&ev)), ..filter.get_untracked() })>
                    <option value="" selected=move || filter.get().category.is_none()>{t!(i18n, budget.all_categories)}</option>
                    {ProjectCategory::ALL.into_iter().map(|cat| view! {
                        <option value=cat.code() selected=move || filter.get().category == Some(cat)>{move || category_label(i18n, cat)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="f-status">{t!(i18n, budget.status)}</label>
                <select id="f-status" disabled=!ready
                    on:change=move |ev| go(ProjectFilter { status: ProjectStatus::from_code(&event_target_value(&ev)), ..filter.get_untracked() })>
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
                <select id="f-sort" disabled=!ready
                    on:change=move |ev| if let Some(sort) = ProjectSort::from_code(&event_target_value(&ev)) {
                        go(ProjectFilter { sort, ..filter.get_untracked() })
                    }>
                    {sorts.into_iter().map(|s| view! {
                        <option value=s.code() selected=move || filter.get().sort == s>{move || sort_label(i18n, s)}</option>
                    }).collect_view()}
                </select>
            </div>
            {signed_in.then(|| view! {
                <label class="choice" for="f-mine">
                    <input type="checkbox" id="f-mine" disabled=!ready prop:checked=move || filter.get().mine
                        on:change=move |ev| go(ProjectFilter { mine: event_target_checked(&ev), ..filter.get_untracked() }) />
                    <span>{t!(i18n, budget.only_mine)}</span>
                </label>
            })}
        </div>
    }
}

/// A cycle's projects as listed (or the sentence that there are none).
#[component]
pub fn Projects(list: Vec<ProjectSummary>) -> impl IntoView {
    let i18n = use_i18n();
    if list.is_empty() {
        return view! { <Empty>{t!(i18n, budget.no_projects)}</Empty> }.into_any();
    }
    let count = list.len();
    view! {
        <p class="meta" role="status">{move || t_string!(i18n, budget.shown, count = count).to_string()}</p>
        <ul class="cards">{list.into_iter().map(|p| view! { <ProjectCard p /> }).collect_view()}</ul>
    }
    .into_any()
}

/// A cycle's projects section: its heading, the filters, and the list (`children`).
#[component]
pub fn ProjectsSection(filters: AnyView, children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section aria-labelledby="projects-h">
            <h2 id="projects-h">{t!(i18n, budget.projects)}</h2>
            {filters}
            {children()}
        </section>
    }
}

/// A cycle before the app has started, as a guest sees it.
#[component]
pub fn CyclePage(c: Cycle, filter: ProjectFilter, list: Vec<ProjectSummary>) -> impl IntoView {
    let votes_public = c.phase.votes_public();
    view! {
        <CycleTop c />
        <ProjectsSection filters=view! { <ProjectFilters filter votes_public staff=false signed_in=false /> }.into_any()>
            <Projects list />
        </ProjectsSection>
    }
}

/// Where the funding line goes: after the last funded row (its index), if any is funded.
pub fn line_after(rows: &[ResultRow]) -> Option<usize> {
    rows.iter().rposition(|r| r.funded)
}

/// What was left of the total when the ranking reached each row: a row that is not funded
/// although it has votes did not fit in this.
pub fn left_before(total: i64, rows: &[ResultRow]) -> Vec<i64> {
    let mut left = total;
    rows.iter()
        .map(|r| {
            let before = left;
            if r.funded {
                left -= r.project.cost;
            }
            before
        })
        .collect()
}

/// A cycle's results: the money, the voters, and the projects ranked by votes with the
/// funding line, or when they will be known. `export` is the staff's way to the table.
#[component]
pub fn ResultsDetails(
    c: Cycle,
    r: Option<Outcome>,
    #[prop(optional)] export: Option<AnyView>,
) -> impl IntoView {
    let i18n = use_i18n();
    let cycle_title = c.title.clone();
    let back = view! { <p><a href=Page::BudgetCycle(c.id.clone()).path()>{cycle_title}</a></p> };
    let Some(r) = r else {
        return view! { {back} <p class="card">{t!(i18n, budget.results_later)}</p> }.into_any();
    };
    let line = line_after(&r.rows);
    let left = left_before(r.total, &r.rows);
    let (total, funded_cost, voters) = (r.total, r.funded_cost, r.voters);
    let rows = r.rows;
    view! {
        {back}
        <dl class="facts">
            <dt>{t!(i18n, budget.total)}</dt><dd>{hryvnias(total)}</dd>
            <dt>{t!(i18n, budget.funded_sum)}</dt><dd><strong>{hryvnias(funded_cost)}</strong></dd>
            <dt>{t!(i18n, budget.voters)}</dt><dd>{voters}</dd>
        </dl>
        <p class="hint">{t!(i18n, budget.results_rule)}</p>
        {export}
        {if rows.is_empty() {
            view! { <Empty>{t!(i18n, budget.no_projects)}</Empty> }.into_any()
        } else {
            view! {
                <ol class="results">
                    {rows.into_iter().enumerate().map(|(i, row)| {
                        let category = row.project.category;
                        let state = if row.funded {
                            t_string!(i18n, budget.funded).to_string()
                        } else if row.votes > 0 && row.project.cost > left[i] {
                            t_string!(i18n, budget.did_not_fit, left = hryvnias(left[i])).to_string()
                        } else {
                            t_string!(i18n, budget.not_funded).to_string()
                        };
                        let votes = row.votes;
                        view! {
                            <li class="result" class:result-funded=row.funded>
                                <span class="rank" aria-hidden="true">{row.rank}</span>
                                <div>
                                    <a href=Page::BudgetProject(row.project.id.clone()).path()>
                                        <span class="visually-hidden">{move || t_string!(i18n, budget.rank_n, n = row.rank).to_string()}" "</span>
                                        {row.project.title.clone()}
                                    </a>
                                    <p class="meta">
                                        {move || category_label(i18n, category)}" · "{hryvnias(row.project.cost)}" · "
                                        <strong>{move || t_string!(i18n, budget.votes_count, count = votes).to_string()}</strong>
                                    </p>
                                    <p class=if row.funded { "badge badge-ok" } else { "badge" }>{state}</p>
                                </div>
                            </li>
                            {(Some(i) == line).then(|| view! {
                                <li class="funded-line" role="separator">
                                    {move || t_string!(i18n, budget.funding_line, spent = hryvnias(funded_cost), total = hryvnias(total)).to_string()}
                                </li>
                            })}
                        }
                    }).collect_view()}
                </ol>
            }.into_any()
        }}
    }
    .into_any()
}

/// `/budget/{id}/results` before the app has started.
#[component]
pub fn ResultsPage(c: Cycle, r: Option<Outcome>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Heading text=Signal::derive(move || t_string!(i18n, budget.results_title).to_string()) />
        <ResultsDetails c r />
    }
}

#[cfg(test)]
mod results_tests {
    use super::*;
    use hromada_api::budget::{ProjectCategory, ProjectStatus, ProjectSummary};

    fn row(rank: u32, cost: i64, votes: u32, funded: bool) -> ResultRow {
        ResultRow {
            rank,
            votes,
            funded,
            project: ProjectSummary {
                id: rank.to_string(),
                cycle_id: "c".into(),
                title: String::new(),
                category: ProjectCategory::Other,
                address: String::new(),
                author_name: String::new(),
                cost,
                status: ProjectStatus::Accepted,
                submitted_at: String::new(),
                votes: Some(votes),
                funded: Some(funded),
                progress: None,
                thumbnail_url: None,
                mine: false,
            },
        }
    }

    #[test]
    fn the_line_follows_the_last_funded_project() {
        let rows = [
            row(1, 600, 90, true),
            row(2, 500, 70, false),
            row(3, 300, 50, true),
            row(4, 900, 10, false),
        ];
        assert_eq!(line_after(&rows), Some(2));
        assert_eq!(left_before(1_000, &rows), [1_000, 400, 400, 100]);
        assert_eq!(line_after(&rows[1..2]), None);
    }
}
