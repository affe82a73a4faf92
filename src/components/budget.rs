//! Widgets of the participatory budget: labels, the phases of a cycle, a project's card.

use crate::format::{date, hryvnias};
use crate::i18n::*;
use crate::routes::Page;
use hromada_api::budget::{
    Cycle, CycleDates, Phase, ProjectCategory, ProjectStatus, ProjectSummary, VotingRule,
};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;

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

/// What is wrong with an amount, for a person.
pub fn amount_error(i18n: I18nContext<Locale>, code: hromada_api::ErrorCode) -> String {
    use hromada_api::ErrorCode;
    match code {
        ErrorCode::Invalid => t_string!(i18n, budget.amount_invalid).to_string(),
        ErrorCode::TooLarge => t_string!(i18n, budget.amount_too_large).to_string(),
        other => crate::components::form::code_text(i18n, other),
    }
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
            <h3><A href=Page::BudgetCycle(c.id.clone()).path()>{title}</A></h3>
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
                <h3><A href=Page::BudgetProject(p.id.clone()).path()>{title}</A></h3>
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
