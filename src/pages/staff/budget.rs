//! The staff's side of the participatory budget: cycles (create, change dates, rule and
//! money), the review queue, and the steps on one project (review, cost, implementation).

use crate::api::{ProjectQuery, new_idempotency_key, use_api};
use crate::components::budget::{ProjectCard, phase_label};
use crate::components::form::{FormMessages, FormState, TextField, code_text};
use crate::components::layout::PageHeading;
use crate::components::states::{Empty, ErrorView, Loading};
use crate::format::{hryvnias, parse_amount};
use crate::i18n::*;
use crate::routes::Page;
use hromada_api::budget::{
    self, CostAdjustment, Cycle, CycleDates, CycleDraft, Implementation, Milestone, Phase, Project,
    ProjectStatus, Review, VotingRule,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// `/h/{katottg}/staff/budget`.
#[component]
pub fn StaffBudget() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let params = use_params_map();
    let katottg = Memo::new(move |_| params.read().get("katottg").unwrap_or_default());
    Effect::new(move |_| crate::state::remember_hromada(katottg.get()));
    let cycles = LocalResource::new(move || {
        let (api, k) = (api.clone(), katottg.get());
        async move { api.budget_cycles(&k).await }
    });
    let creating = RwSignal::new(false);
    let changed = Callback::new(move |_: ()| {
        creating.set(false);
        cycles.refetch();
    });
    view! {
        <PageHeading text=move || t_string!(i18n, budget.staff_title).to_string() />
        <p class="actions">
            <A href=move || Page::Budget(katottg.get()).path() attr:class="button button-secondary">{t!(i18n, budget.title)}</A>
            <A href=move || Page::Staff(katottg.get()).path() attr:class="button button-secondary">{t!(i18n, staff.back_to_desk)}</A>
        </p>
        <section aria-labelledby="cycles-h">
            <h2 id="cycles-h">{t!(i18n, budget.cycles)}</h2>
            {move || if creating.get() {
                view! {
                    <section class="card" aria-labelledby="new-cycle-h">
                        <h3 id="new-cycle-h">{t!(i18n, budget.new_cycle)}</h3>
                        <CycleForm katottg=katottg.get() cycle=None changed />
                    </section>
                }.into_any()
            } else {
                view! { <p><button type="button" class="button" on:click=move |_| creating.set(true)>{t!(i18n, budget.new_cycle)}</button></p> }.into_any()
            }}
            <Transition fallback=Loading>
                <ErrorBoundary fallback=move |errors| view! { <ErrorView errors retry=move |_| cycles.refetch() /> }>
                    {move || Suspend::new(async move {
                        cycles.await.map(|list| {
                            if list.is_empty() {
                                return view! { <Empty>{t!(i18n, budget.no_cycles)}</Empty> }.into_any();
                            }
                            view! {
                                <ul class="cards">
                                    {list.into_iter().map(|c| view! { <StaffCycle c changed /> }).collect_view()}
                                </ul>
                            }.into_any()
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

/// One cycle on the staff page: its phase, its review queue, and its settings.
#[component]
fn StaffCycle(c: Cycle, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let phase = c.phase;
    let reviewing = matches!(phase, Phase::Submission | Phase::Review);
    let k = c.katottg.clone();
    let title = c.title.clone();
    view! {
        <li class="card">
            <h3><A href=Page::BudgetCycle(c.id.clone()).path()>{title}</A></h3>
            <p class="meta">
                <span class="badge">{move || phase_label(i18n, phase)}</span>" · "{hryvnias(c.total)}
                {phase.votes_public().then(|| view! {
                    " · "<A href=Page::BudgetResults(c.id.clone()).path()>{t!(i18n, budget.results)}</A>
                })}
            </p>
            {reviewing.then(|| view! { <ReviewQueue cycle=c.id.clone() /> })}
            <details class="step-form">
                <summary>{t!(i18n, budget.edit_cycle)}</summary>
                <CycleForm katottg=k cycle=Some(c.clone()) changed />
            </details>
        </li>
    }
}

/// The projects waiting for review in a cycle, oldest first.
#[component]
fn ReviewQueue(cycle: String) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let list = LocalResource::new(move || {
        let (api, id) = (api.clone(), cycle.clone());
        async move {
            let filter = ProjectQuery {
                status: Some(ProjectStatus::Submitted),
                ..Default::default()
            };
            api.budget_projects(&id, &filter).await.map(|mut l| {
                l.reverse();
                l
            })
        }
    });
    view! {
        <h4>{t!(i18n, budget.review_queue)}</h4>
        <Transition fallback=Loading>
            <ErrorBoundary fallback=move |errors| view! { <ErrorView errors retry=move |_| list.refetch() /> }>
                {move || Suspend::new(async move {
                    list.await.map(|l| if l.is_empty() {
                        view! { <Empty>{t!(i18n, budget.queue_empty)}</Empty> }.into_any()
                    } else {
                        view! { <ul class="cards review-queue">{l.into_iter().map(|p| view! { <ProjectCard p /> }).collect_view()}</ul> }.into_any()
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// Creating a cycle (`cycle` is `None`) or changing one.
#[component]
fn CycleForm(katottg: String, cycle: Option<Cycle>, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let form = FormState::new();
    let prefix = cycle.as_ref().map_or("new".to_owned(), |c| c.id.clone());
    let prefix = StoredValue::new(prefix);
    let id_of = move |name: &str| format!("f-{}-{name}", prefix.get_value());
    let year = RwSignal::new(cycle.as_ref().map_or(String::new(), |c| c.year.to_string()));
    let title = RwSignal::new(cycle.as_ref().map_or(String::new(), |c| c.title.clone()));
    let total = RwSignal::new(
        cycle
            .as_ref()
            .map_or(String::new(), |c| c.total.to_string()),
    );
    let date_of = |f: fn(&CycleDates) -> &String| {
        RwSignal::new(
            cycle
                .as_ref()
                .map_or(String::new(), |c| f(&c.dates).clone()),
        )
    };
    let submission = date_of(|d| &d.submission);
    let review = date_of(|d| &d.review);
    let voting = date_of(|d| &d.voting);
    let results = date_of(|d| &d.results);
    let implementation = date_of(|d| &d.implementation);
    let (rule0, max0, per0) = match cycle.as_ref().map(|c| c.rule) {
        Some(VotingRule::FitBudget) => ("fit", 3, false),
        Some(VotingRule::Choose {
            max,
            one_per_category,
        }) => ("choose", max, one_per_category),
        None => ("choose", 3, false),
    };
    let rule = RwSignal::new(rule0.to_owned());
    let max = RwSignal::new(max0.to_string());
    let per_category = RwSignal::new(per0);
    let key = StoredValue::new(new_idempotency_key());
    let cycle_id = cycle.as_ref().map(|c| c.id.clone());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = CycleDraft {
            year: year.get_untracked().trim().parse().unwrap_or(0),
            title: title.get_untracked().trim().to_owned(),
            total: parse_amount(&total.get_untracked()).unwrap_or(0),
            dates: CycleDates {
                submission: submission.get_untracked(),
                review: review.get_untracked(),
                voting: voting.get_untracked(),
                results: results.get_untracked(),
                implementation: implementation.get_untracked(),
            },
            rule: if rule.get_untracked() == "fit" {
                VotingRule::FitBudget
            } else {
                VotingRule::Choose {
                    max: max.get_untracked().trim().parse().unwrap_or(0),
                    one_per_category: per_category.get_untracked(),
                }
            },
        };
        if !form.begin(budget::validate_cycle(&draft)) {
            return;
        }
        let (api, k, id) = (api.clone(), katottg.clone(), cycle_id.clone());
        spawn_local(async move {
            let result = match &id {
                Some(id) => api.update_budget_cycle(id, &draft).await,
                None => api.create_budget_cycle(&k, &draft, &key.get_value()).await,
            };
            match result {
                Ok(_) => {
                    form.succeed(Some(t_string!(i18n, budget.cycle_saved).to_string()));
                    changed.run(());
                }
                Err(e) => form.fail(i18n, &e),
            }
        });
    };
    let locked = cycle.as_ref().is_some_and(|c| c.phase >= Phase::Voting);
    let rule_error = move || form.error_of("rule.max").map(|c| code_text(i18n, c));
    view! {
        <form class="form" on:submit=submit novalidate>
            <FormMessages form />
            <TextField form name="year" value=year kind="number" id=id_of("year")>{t!(i18n, budget.year)}</TextField>
            <TextField form name="title" value=title id=id_of("title")>{t!(i18n, budget.cycle_title)}</TextField>
            <TextField form name="total" value=total id=id_of("total")
                hint=Signal::derive(move || t_string!(i18n, budget.total_hint).to_string())>{t!(i18n, budget.total)}</TextField>
            <fieldset class="field dates">
                <legend>{t!(i18n, budget.phases)}</legend>
                <p class="hint">{t!(i18n, budget.dates_hint)}</p>
                <TextField form name="dates.submission" value=submission kind="date" id=id_of("submission")>{t!(i18n, budget.phase_submission)}</TextField>
                <TextField form name="dates.review" value=review kind="date" id=id_of("review")>{t!(i18n, budget.phase_review)}</TextField>
                <TextField form name="dates.voting" value=voting kind="date" id=id_of("voting")>{t!(i18n, budget.phase_voting)}</TextField>
                <TextField form name="dates.results" value=results kind="date" id=id_of("results")>{t!(i18n, budget.phase_results)}</TextField>
                <TextField form name="dates.implementation" value=implementation kind="date" id=id_of("implementation")>{t!(i18n, budget.phase_implementation)}</TextField>
            </fieldset>
            <fieldset class="field" disabled=locked>
                <legend>{t!(i18n, budget.rule)}</legend>
                {locked.then(|| view! { <p class="hint">{t!(i18n, budget.rule_locked)}</p> })}
                <label class="choice" for=id_of("rule-choose")>
                    <input type="radio" id=id_of("rule-choose") name=id_of("rule") value="choose"
                        prop:checked=move || rule.get() == "choose" on:change=move |_| rule.set("choose".into()) />
                    <span>{t!(i18n, budget.rule_choose_label)}</span>
                </label>
                <Show when=move || rule.get() == "choose">
                    <div class="field" class:field-invalid=move || rule_error().is_some()>
                        <label for=id_of("max")>{t!(i18n, budget.max_projects)}</label>
                        <input id=id_of("max") type="number" min="1" max="20" prop:value=move || max.get()
                            aria-invalid=move || rule_error().is_some().to_string()
                            on:input=move |ev| max.set(event_target_value(&ev)) />
                        <p class="field-error" aria-live="polite">{rule_error}</p>
                    </div>
                    <label class="choice" for=id_of("per-category")>
                        <input type="checkbox" id=id_of("per-category") prop:checked=move || per_category.get()
                            on:change=move |ev| per_category.set(event_target_checked(&ev)) />
                        <span>{t!(i18n, budget.one_per_category)}</span>
                    </label>
                </Show>
                <label class="choice" for=id_of("rule-fit")>
                    <input type="radio" id=id_of("rule-fit") name=id_of("rule") value="fit"
                        prop:checked=move || rule.get() == "fit" on:change=move |_| rule.set("fit".into()) />
                    <span>{t!(i18n, budget.rule_fit_label)}</span>
                </label>
            </fieldset>
            <button type="submit" class="button" disabled=move || form.pending.get()>{t!(i18n, staff.save)}</button>
        </form>
    }
}

/// The staff's steps on one project.
#[component]
pub fn ProjectStaffPanel(p: Project, c: Cycle, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let id = p.summary.id.clone();
    let reviewing = matches!(c.phase, Phase::Submission | Phase::Review);
    let before_voting = c.phase < Phase::Voting;
    let funded = p.summary.funded == Some(true);
    if !reviewing && !before_voting && !funded {
        return ().into_any();
    }
    view! {
        <section class="card staff-panel" aria-labelledby="bstaff-h">
            <h2 id="bstaff-h">{t!(i18n, budget.staff_steps)}</h2>
            {reviewing.then(|| view! { <ReviewForm id=id.clone() changed /> })}
            {(before_voting && p.summary.status != ProjectStatus::Rejected).then(|| view! { <CostForm id=id.clone() cost=p.summary.cost changed /> })}
            {funded.then(|| view! { <ImplementationForm p=p.clone() changed /> })}
        </section>
    }
    .into_any()
}

#[component]
fn ReviewForm(id: String, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let form = FormState::new();
    let decision = RwSignal::new("accept".to_owned());
    let note = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = note.get_untracked().trim().to_owned();
        let review = match decision.get_untracked().as_str() {
            "changes" => Review::RequestChanges { note: text },
            "reject" => Review::Reject { reason: text },
            _ => Review::Accept,
        };
        let mut problems = budget::validate_review(&review);
        // One text box serves both: its errors show under it.
        for p in &mut problems {
            p.field = "note".into();
        }
        if !form.begin(problems) {
            return;
        }
        let (api, id) = (api.clone(), id.clone());
        spawn_local(async move {
            match api.review_budget_project(&id, &review).await {
                Ok(_) => {
                    form.succeed(None);
                    changed.run(());
                }
                Err(e) => form.fail(i18n, &e),
            }
        });
    };
    let option = move |value: &'static str, label: String| {
        view! {
            <label class="choice" for=format!("f-review-{value}")>
                <input type="radio" id=format!("f-review-{value}") name="review" value=value
                    prop:checked=move || decision.get() == value on:change=move |_| decision.set(value.into()) />
                <span>{label}</span>
            </label>
        }
    };
    view! {
        <form class="form" on:submit=submit novalidate>
            <h3>{t!(i18n, budget.review)}</h3>
            <FormMessages form />
            <fieldset class="field">
                <legend class="visually-hidden">{t!(i18n, budget.review)}</legend>
                {option("accept", t_string!(i18n, budget.accept).to_string())}
                {option("changes", t_string!(i18n, budget.request_changes).to_string())}
                {option("reject", t_string!(i18n, budget.reject).to_string())}
            </fieldset>
            <Show when=move || decision.get() != "accept">
                <TextField form name="note" value=note multiline=true id="f-review-note">
                    {move || if decision.get() == "reject" { t_string!(i18n, budget.reject_reason) } else { t_string!(i18n, budget.changes_note) }}
                </TextField>
            </Show>
            <button type="submit" class="button" disabled=move || form.pending.get()>{t!(i18n, budget.review_send)}</button>
        </form>
    }
}

#[component]
fn CostForm(id: String, cost: i64, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let form = FormState::new();
    let amount = RwSignal::new(cost.to_string());
    let note = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let adjustment = CostAdjustment {
            cost: parse_amount(&amount.get_untracked()).unwrap_or(0),
            note: note.get_untracked().trim().to_owned(),
        };
        if !form.begin(budget::validate_cost(&adjustment)) {
            return;
        }
        let (api, id) = (api.clone(), id.clone());
        spawn_local(async move {
            match api.adjust_budget_cost(&id, &adjustment).await {
                Ok(_) => {
                    form.succeed(None);
                    changed.run(());
                }
                Err(e) => form.fail(i18n, &e),
            }
        });
    };
    view! {
        <details class="step-form">
            <summary>{t!(i18n, budget.adjust_cost)}</summary>
            <form class="form" on:submit=submit novalidate>
                <FormMessages form />
                <TextField form name="cost" value=amount id="f-adjust-cost">{t!(i18n, budget.new_cost)}</TextField>
                <TextField form name="note" value=note multiline=true id="f-adjust-note">{t!(i18n, budget.cost_note)}</TextField>
                <button type="submit" class="button" disabled=move || form.pending.get()>{t!(i18n, staff.save)}</button>
            </form>
        </details>
    }
}

#[component]
fn ImplementationForm(p: Project, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let form = FormState::new();
    let progress = RwSignal::new(p.summary.progress.unwrap_or(0).to_string());
    let milestones = RwSignal::new(p.milestones.clone());
    let id = p.summary.id.clone();
    // Rows are redrawn only when their number changes, never while one is typed in.
    let milestone_count = Memo::new(move |_| milestones.with(Vec::len));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let report = Implementation {
            progress: progress.get_untracked().trim().parse().unwrap_or(u8::MAX),
            milestones: milestones
                .get_untracked()
                .into_iter()
                .map(|m| Milestone {
                    title: m.title.trim().to_owned(),
                    ..m
                })
                .collect(),
        };
        if !form.begin(budget::validate_implementation(&report)) {
            return;
        }
        let (api, id) = (api.clone(), id.clone());
        spawn_local(async move {
            match api.set_implementation(&id, &report).await {
                Ok(_) => {
                    form.succeed(None);
                    changed.run(());
                }
                Err(e) => form.fail(i18n, &e),
            }
        });
    };
    let add = move |_| {
        milestones.update(|m| {
            m.push(Milestone {
                title: String::new(),
                date: String::new(),
                done: false,
            })
        })
    };
    let edit = move |i: usize, f: &dyn Fn(&mut Milestone)| {
        milestones.update(|m| {
            if let Some(x) = m.get_mut(i) {
                f(x);
            }
        })
    };
    view! {
        <details class="step-form" open>
            <summary>{t!(i18n, budget.implementation)}</summary>
            <form class="form" on:submit=submit novalidate>
                <FormMessages form />
                <TextField form name="progress" value=progress kind="number" id="f-progress">{t!(i18n, budget.progress_field)}</TextField>
                <ol class="lines">
                    {move || (0..milestone_count.get()).map(|i| {
                        let get = move |f: fn(&Milestone) -> String| milestones.with(|m| m.get(i).map(f).unwrap_or_default());
                        let title_field = format!("milestones[{i}].title");
                        let date_field = format!("milestones[{i}].date");
                        view! {
                            <li class="line">
                                <div class="field">
                                    <label for=format!("f-ms-{i}-title")>{move || t_string!(i18n, budget.milestone_n, n = i + 1).to_string()}</label>
                                    <input id=format!("f-ms-{i}-title") type="text" prop:value=move || get(|m| m.title.clone())
                                        on:input=move |ev| { let v = event_target_value(&ev); edit(i, &|m| m.title = v.clone()) } />
                                    <p class="field-error">{move || form.error_of(&title_field).map(|c| code_text(i18n, c))}</p>
                                </div>
                                <div class="field">
                                    <label for=format!("f-ms-{i}-date")>{t!(i18n, budget.milestone_date)}</label>
                                    <input id=format!("f-ms-{i}-date") type="date" prop:value=move || get(|m| m.date.clone())
                                        on:input=move |ev| { let v = event_target_value(&ev); edit(i, &|m| m.date = v.clone()) } />
                                    <p class="field-error">{move || form.error_of(&date_field).map(|c| code_text(i18n, c))}</p>
                                </div>
                                <label class="choice" for=format!("f-ms-{i}-done")>
                                    <input type="checkbox" id=format!("f-ms-{i}-done") prop:checked=move || milestones.with(|m| m.get(i).is_some_and(|x| x.done))
                                        on:change=move |ev| { let v = event_target_checked(&ev); edit(i, &|m| m.done = v) } />
                                    <span>{t!(i18n, budget.done)}</span>
                                </label>
                                <button type="button" class="button button-secondary button-small"
                                    on:click=move |_| milestones.update(|m| { if i < m.len() { m.remove(i); } })>{t!(i18n, budget.remove_line)}</button>
                            </li>
                        }
                    }).collect_view()}
                </ol>
                <p><button type="button" class="button button-secondary" on:click=add>{t!(i18n, budget.add_milestone)}</button></p>
                <button type="submit" class="button" disabled=move || form.pending.get()>{t!(i18n, staff.save)}</button>
            </form>
        </details>
    }
}
