//! The ballot: choose projects with a live counter of what the rule still allows; the
//! selection is checked before it is sent, and may be changed until voting closes.

use crate::api::{ApiError, ProjectQuery, use_api};
use crate::components::budget::{category_label, rule_text};
use crate::components::form::{FormMessages, FormState, code_text};
use crate::components::layout::PageHeading;
use crate::components::states::{Empty, ErrorView, Loading};
use crate::format::{date, hryvnias, local_date_time};
use crate::i18n::*;
use crate::routes::{Page, sign_in_then};
use crate::state::{Auth, use_session};
use hromada_api::Verification;
use hromada_api::budget::rules::{Allowance, CannotVote, Choice, Refusal, can_vote};
use hromada_api::budget::{
    Ballot, BallotDraft, Cycle, ProjectStatus, ProjectSummary, VotingRule, rules,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_i18n::I18nContext;
use leptos_router::components::A;

/// The chosen projects as the rule sees them, in the order of `chosen`; ids not among
/// `projects` are left out.
pub fn choices<'a>(
    projects: &[ProjectSummary],
    chosen: &'a [String],
) -> (Vec<&'a str>, Vec<Choice>) {
    chosen
        .iter()
        .filter_map(|id| {
            projects.iter().find(|p| &p.id == id).map(|p| {
                (
                    id.as_str(),
                    Choice {
                        category: p.category,
                        cost: p.cost,
                    },
                )
            })
        })
        .unzip()
}

/// The counter: "3 of 5 chosen", "₴ 420 000 of ₴ 1 000 000 left".
pub fn allowance_text(i18n: I18nContext<Locale>, a: Allowance) -> String {
    match a {
        Allowance::Choose { chosen, max } => {
            t_string!(i18n, budget.chosen_of, chosen, max).to_string()
        }
        Allowance::Budget { left, total } if left >= 0 => t_string!(
            i18n,
            budget.left_of,
            left = hryvnias(left),
            total = hryvnias(total)
        )
        .to_string(),
        Allowance::Budget { left, total } => t_string!(
            i18n,
            budget.over_by,
            over = hryvnias(-left),
            total = hryvnias(total)
        )
        .to_string(),
    }
}

/// Why a selection cannot be sent, for a person.
pub fn refusal_text(i18n: I18nContext<Locale>, r: Refusal) -> String {
    match r {
        Refusal::TooMany { max } => t_string!(i18n, budget.too_many, max).to_string(),
        Refusal::SameCategory(c) => t_string!(
            i18n,
            budget.same_category,
            category = category_label(i18n, c)
        )
        .to_string(),
        Refusal::OverBudget { over } => {
            t_string!(i18n, budget.over_budget, over = hryvnias(over)).to_string()
        }
        Refusal::Duplicate => t_string!(i18n, field.invalid).to_string(),
    }
}

/// `/budget/{cycle}/vote`.
#[component]
pub fn Vote() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let cycle = super::cycle_from_route();
    view! {
        <PageHeading text=move || t_string!(i18n, budget.vote_title).to_string() />
        <Transition fallback=Loading>
            <ErrorBoundary fallback=move |errors| view! { <ErrorView errors retry=move |_| cycle.refetch() /> }>
                {move || Suspend::new(async move {
                    cycle.await.map(|c| {
                        let k = c.katottg.clone();
                        Effect::new(move |_| crate::state::remember_hromada(k.clone()));
                        let here = Page::BudgetVote(c.id.clone()).path();
                        let (rule, total) = (c.rule, c.total);
                        let back = Page::BudgetCycle(c.id.clone()).path();
                        let cycle_title = c.title.clone();
                        let (from, until) = (date(&c.dates.voting), date(&c.dates.results));
                        view! {
                            <p><A href=back>{cycle_title}</A></p>
                            <p class="lead">{move || rule_text(i18n, rule, total)}</p>
                            {move || {
                                let me = match session.0.get() {
                                    Auth::Checking => return view! { <Loading /> }.into_any(),
                                    Auth::SignedOut => None,
                                    Auth::SignedIn(me) => Some(me),
                                };
                                let allowed = can_vote(
                                    c.phase,
                                    me.is_some(),
                                    me.as_ref().is_some_and(|m| m.hromada.katottg == c.katottg),
                                    me.as_ref().is_some_and(|m| m.verification == Verification::Verified),
                                );
                                match allowed {
                                    Ok(()) => view! { <BallotForm c=c.clone() /> }.into_any(),
                                    Err(CannotVote::NotVoting) => view! {
                                        <p class="card">{t_string!(i18n, budget.not_voting, from = from.clone(), until = until.clone()).to_string()}</p>
                                    }.into_any(),
                                    Err(CannotVote::SignIn) => view! {
                                        <div class="card">
                                            <p>{t!(i18n, budget.sign_in_to_vote)}</p>
                                            <p class="actions">
                                                <A href=sign_in_then(&here) attr:class="button">{t!(i18n, nav.sign_in)}</A>
                                                <A href=Page::SignUp.path() attr:class="button button-secondary">{t!(i18n, account.sign_up)}</A>
                                            </p>
                                        </div>
                                    }.into_any(),
                                    Err(CannotVote::OtherHromada) => view! { <p class="card">{t!(i18n, budget.other_hromada_vote)}</p> }.into_any(),
                                    Err(CannotVote::Verify) => view! {
                                        <div class="card card-warn" id="verify-hint">
                                            <p>{t!(i18n, budget.verify_to_vote)}</p>
                                            <p><A href=Page::Account.path() attr:class="button">{t!(i18n, budget.verify_go)}</A></p>
                                        </div>
                                    }.into_any(),
                                }
                            }}
                        }
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn BallotForm(c: Cycle) -> impl IntoView {
    let api = use_api();
    let data = {
        let (api, id) = (api.clone(), c.id.clone());
        LocalResource::new(move || {
            let (api, id) = (api.clone(), id.clone());
            async move {
                let filter = ProjectQuery {
                    status: Some(ProjectStatus::Accepted),
                    ..Default::default()
                };
                let projects = api.budget_projects(&id, &filter).await?;
                let ballot = api.ballot(&id).await?;
                Ok::<_, ApiError>((projects, ballot))
            }
        })
    };
    view! {
        <Transition fallback=Loading>
            <ErrorBoundary fallback=move |errors| view! { <ErrorView errors retry=move |_| data.refetch() /> }>
                {move || Suspend::new({
                    let c = c.clone();
                    async move {
                        data.await.map(|(projects, ballot)| view! { <Choose c projects ballot /> })
                    }
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn Choose(c: Cycle, projects: Vec<ProjectSummary>, ballot: Ballot) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let form = FormState::new();
    if projects.is_empty() {
        return view! { <Empty>{t!(i18n, budget.no_projects)}</Empty> }.into_any();
    }
    let (rule, total) = (c.rule, c.total);
    let projects = StoredValue::new(projects);
    let chosen = RwSignal::new(ballot.project_ids.clone());
    let saved = RwSignal::new(ballot);
    let refusal = Memo::new(move |_| {
        projects.with_value(|ps| {
            chosen.with(|ids| {
                let (ids, picks) = choices(ps, ids);
                rules::check(rule, total, &ids, &picks).err()
            })
        })
    });
    let counter = move || {
        projects.with_value(|ps| {
            chosen.with(|ids| {
                let (_, picks) = choices(ps, ids);
                allowance_text(i18n, rules::allowance(rule, total, &picks))
            })
        })
    };
    let fits = move |p: &ProjectSummary| {
        projects.with_value(|ps| {
            chosen.with(|ids| {
                let (_, picks) = choices(ps, ids);
                rules::can_add(
                    rule,
                    total,
                    &picks,
                    Choice {
                        category: p.category,
                        cost: p.cost,
                    },
                )
            })
        })
    };
    let unsaved = move || chosen.get() != saved.with(|b| b.project_ids.clone());
    let id = c.id.clone();
    let title = c.title.clone();
    // Cast without a network, the vote waited in the outbox: once delivered, it is the
    // saved one.
    let offline = crate::offline::use_offline();
    let ballot_path = format!("/budget-cycles/{}/ballot", c.id);
    Effect::new(move |_| {
        if let Some(d) = offline.delivered.get()
            && d.kind == "ballot"
            && d.url.ends_with(&ballot_path)
            && let Some(b) = d
                .response
                .and_then(|r| serde_json::from_value::<hromada_api::budget::Ballot>(r).ok())
        {
            chosen.set(b.project_ids.clone());
            saved.set(b);
            form.succeed(Some(t_string!(i18n, budget.vote_saved).to_string()));
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // The rule is checked here first; the server checks it again.
        if refusal.get_untracked().is_some() {
            form.begin(vec![]);
            form.fail_with(
                refusal
                    .get_untracked()
                    .map(|r| refusal_text(i18n, r))
                    .unwrap_or_default(),
            );
            return;
        }
        form.begin(vec![]);
        let (api, id, title) = (api.clone(), id.clone(), title.clone());
        let draft = BallotDraft {
            project_ids: chosen.get_untracked(),
        };
        spawn_local(async move {
            match api.vote(&id, &draft, &title).await {
                Ok(b) => {
                    let notice = if b.project_ids.is_empty() {
                        t_string!(i18n, budget.vote_withdrawn).to_string()
                    } else {
                        t_string!(i18n, budget.vote_saved).to_string()
                    };
                    chosen.set(b.project_ids.clone());
                    saved.set(b);
                    form.succeed(Some(notice));
                }
                Err(e) => {
                    if let Some(f) = e.field_errors().first() {
                        form.fail_with(code_text(i18n, f.code));
                    } else {
                        form.fail(i18n, &e);
                    }
                }
            }
        });
    };
    let toggle = move |pid: String, on: bool| {
        form.notice.set(None);
        chosen.update(|ids| {
            ids.retain(|x| *x != pid);
            if on {
                ids.push(pid);
            }
        });
    };
    let until = date(&c.dates.results);
    let one_per_category = matches!(
        rule,
        VotingRule::Choose {
            one_per_category: true,
            ..
        }
    );
    view! {
        <form class="form ballot" on:submit=submit novalidate>
            <p class="hint">{move || t_string!(i18n, budget.change_until, date = until.clone()).to_string()}</p>
            {move || saved.with(|b| b.updated_at.clone()).filter(|_| !saved.with(|b| b.project_ids.is_empty())).map(|at| view! {
                <p class="alert alert-ok" id="voted">{move || t_string!(i18n, budget.you_voted, at = local_date_time(&at)).to_string()}</p>
            })}
            <fieldset>
                <legend>{t!(i18n, budget.choose_projects)}</legend>
                <ul class="cards ballot-list">
                    {projects.get_value().into_iter().map(|p| {
                        let pid = p.id.clone();
                        let input_id = format!("pick-{}", p.id);
                        let checked = {
                            let pid = pid.clone();
                            Memo::new(move |_| chosen.with(|ids| ids.contains(&pid)))
                        };
                        let hint = {
                            let p = p.clone();
                            move || (!checked.get() && !fits(&p)).then(|| view! {
                                <span class="meta no-fit">{t!(i18n, budget.does_not_fit)}</span>
                            })
                        };
                        let category = p.category;
                        view! {
                            <li class="card ballot-item" class:chosen=move || checked.get()>
                                <input type="checkbox" id=input_id.clone() prop:checked=move || checked.get()
                                    on:change=move |ev| toggle(pid.clone(), event_target_checked(&ev)) />
                                <div class="ballot-body">
                                    <label for=input_id>
                                        <strong>{p.title.clone()}</strong>
                                        <span class="meta">{move || category_label(i18n, category)}" · "{hryvnias(p.cost)}</span>
                                        {hint}
                                    </label>
                                    <A href=Page::BudgetProject(p.id.clone()).path() attr:class="ballot-more">{t!(i18n, budget.details)}</A>
                                </div>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </fieldset>
            <div class="ballot-bar" class:ballot-over=move || refusal.get().is_some()>
                <p class="ballot-counter" role="status" aria-live="polite">
                    <strong>{counter}</strong>
                    {move || refusal.get().map(|r| view! { <span class="field-error ballot-refusal">{refusal_text(i18n, r)}</span> })}
                </p>
                {one_per_category.then(|| view! { <p class="meta">{t!(i18n, budget.one_per_category_hint)}</p> })}
                <FormMessages form />
                <div class="actions">
                    <button type="submit" class="button" disabled=move || form.pending.get()>
                        {move || if chosen.with(Vec::is_empty) && !saved.with(|b| b.project_ids.is_empty()) {
                            t_string!(i18n, budget.withdraw)
                        } else {
                            t_string!(i18n, budget.save_vote)
                        }}
                    </button>
                    {move || unsaved().then(|| view! { <span class="meta">{t!(i18n, budget.unsaved)}</span> })}
                </div>
            </div>
        </form>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use hromada_api::budget::ProjectCategory;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn project(id: &str, category: ProjectCategory, cost: i64) -> ProjectSummary {
        ProjectSummary {
            id: id.into(),
            cycle_id: "c".into(),
            title: id.into(),
            category,
            address: String::new(),
            author_name: String::new(),
            cost,
            status: ProjectStatus::Accepted,
            submitted_at: String::new(),
            votes: None,
            funded: None,
            progress: None,
            thumbnail_url: None,
            mine: false,
        }
    }

    #[wasm_bindgen_test]
    fn the_selection_is_read_against_the_projects() {
        let ps = [
            project("a", ProjectCategory::Sport, 400_000),
            project("b", ProjectCategory::Culture, 700_000),
        ];
        let chosen = vec!["b".to_owned(), "gone".to_owned(), "a".to_owned()];
        let (ids, picks) = choices(&ps, &chosen);
        assert_eq!(ids, ["b", "a"], "an id no longer on the ballot is dropped");
        assert_eq!(picks[0].cost, 700_000);
        assert_eq!(
            rules::check(VotingRule::FitBudget, 1_000_000, &ids, &picks),
            Err(Refusal::OverBudget { over: 100_000 })
        );
    }
}
