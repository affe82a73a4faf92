//! The results: projects ranked by votes, which are funded, and the funding line.

use crate::api::{ApiError, use_api};
use crate::components::budget::category_label;
use crate::components::layout::PageHeading;
use crate::components::states::{AfterSession, Empty, ErrorView, Loading};
use crate::format::hryvnias;
use crate::i18n::*;
use crate::routes::Page;
use crate::state::use_session;
use hromada_api::budget::{Cycle, ResultRow, Results as Outcome};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

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
    let cycle_title = c.title.clone();
    let back = view! { <p><A href=Page::BudgetCycle(c.id.clone()).path()>{cycle_title}</A></p> };
    let Some(r) = r else {
        return view! { {back} <p class="card">{t!(i18n, budget.results_later)}</p> }.into_any();
    };
    let csv = api.budget_results_csv_url(&c.id);
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
        {staff.then(|| view! {
            <p class="actions"><a class="button button-secondary" href=csv download="">{t!(i18n, budget.export_csv)}</a></p>
        })}
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
                                    <A href=Page::BudgetProject(row.project.id.clone()).path()>
                                        <span class="visually-hidden">{move || t_string!(i18n, budget.rank_n, n = row.rank).to_string()}" "</span>
                                        {row.project.title.clone()}
                                    </A>
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

#[cfg(test)]
mod tests {
    use super::*;
    use hromada_api::budget::{ProjectCategory, ProjectStatus, ProjectSummary};
    use wasm_bindgen_test::wasm_bindgen_test;

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

    #[wasm_bindgen_test]
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
