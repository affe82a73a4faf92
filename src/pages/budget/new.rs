//! Submitting a project (title, category, place, description, the cost line by line,
//! images), and changing it while it is in review. A new project's draft is kept in the
//! browser as it is typed.

use crate::api::{ApiError, new_idempotency_key, use_api};
use crate::components::budget::{amount_error, category_label};
use crate::components::form::{FormMessages, FormState, TextField, code_text};
use crate::components::layout::PageHeading;
use crate::components::photos::{Limits, PhotoPicker, Photos};
use crate::components::states::{ErrorView, Loading};
use crate::format::{hryvnias, parse_amount};
use crate::i18n::*;
use crate::routes::{Page, sign_in_then};
use crate::state::{Auth, load, store, use_session};
use hromada_api::budget::{self, CostLine, Cycle, Phase, Project, ProjectCategory};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use serde::{Deserialize, Serialize};

/// What the person has typed: amounts stay as typed until they are sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub title: String,
    pub category: String,
    pub address: String,
    pub description: String,
    /// (item, amount as typed).
    pub lines: Vec<(String, String)>,
    /// The `Idempotency-Key` of this submission, kept until the server has it.
    pub key: String,
}

impl Draft {
    /// A blank form with one empty cost line.
    pub fn blank() -> Self {
        Self {
            lines: vec![(String::new(), String::new())],
            key: new_idempotency_key(),
            ..Default::default()
        }
    }

    /// The form filled with a project, for its author to change.
    pub fn of(p: &Project) -> Self {
        Self {
            title: p.summary.title.clone(),
            category: p.summary.category.code().to_owned(),
            address: p.summary.address.clone(),
            description: p.description.clone(),
            lines: p
                .cost_lines
                .iter()
                .map(|l| (l.item.clone(), l.amount.to_string()))
                .collect(),
            key: String::new(),
        }
    }

    /// Whether nothing worth keeping has been typed.
    pub fn is_blank(&self) -> bool {
        self.title.trim().is_empty()
            && self.category.is_empty()
            && self.address.trim().is_empty()
            && self.description.trim().is_empty()
            && self
                .lines
                .iter()
                .all(|(i, a)| i.trim().is_empty() && a.trim().is_empty())
    }

    /// The cost lines as the contract has them; an amount that cannot be read is 0, which
    /// the checks refuse beside its field.
    pub fn cost_lines(&self) -> Vec<CostLine> {
        self.lines
            .iter()
            .map(|(item, amount)| CostLine {
                item: item.trim().to_owned(),
                amount: parse_amount(amount).unwrap_or(0),
            })
            .collect()
    }

    /// The request, with the total computed from the lines.
    pub fn to_request(&self) -> budget::NewProject {
        let cost_lines = self.cost_lines();
        budget::NewProject {
            title: self.title.trim().to_owned(),
            description: self.description.trim().to_owned(),
            category: self.category.clone(),
            address: self.address.trim().to_owned(),
            total: budget::lines_total(&cost_lines),
            cost_lines,
        }
    }
}

fn draft_key(cycle: &str) -> String {
    format!("hromada.project-draft.{cycle}")
}

/// `/budget/{cycle}/new`.
#[component]
pub fn NewProject() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("cycle").unwrap_or_default());
    let cycle = super::cycle_from_route();
    let sent = RwSignal::new(None::<Project>);
    view! {
        <PageHeading text=move || t_string!(i18n, budget.new_title).to_string() />
        <Transition fallback=Loading>
            <ErrorBoundary fallback=move |errors| view! { <ErrorView errors retry=move |_| cycle.refetch() /> }>
                {move || Suspend::new(async move {
                    cycle.await.map(|c| {
                        let k = c.katottg.clone();
                        Effect::new(move |_| crate::state::remember_hromada(k.clone()));
                        let back = Page::BudgetCycle(c.id.clone()).path();
                        let cycle_title = c.title.clone();
                        view! {
                            <p><A href=back>{cycle_title}</A></p>
                            {move || match (session.0.get(), sent.get()) {
                                (_, Some(p)) => view! { <Submitted p /> }.into_any(),
                                (Auth::Checking, _) => view! { <Loading /> }.into_any(),
                                (Auth::SignedOut, _) => view! {
                                    <div class="card">
                                        <p>{t!(i18n, budget.sign_in_to_submit)}</p>
                                        <p class="actions"><A href=sign_in_then(&Page::BudgetProjectNew(id.get()).path()) attr:class="button">{t!(i18n, nav.sign_in)}</A></p>
                                    </div>
                                }.into_any(),
                                (Auth::SignedIn(me), None) if me.hromada.katottg != c.katottg => view! {
                                    <p class="card">{t!(i18n, budget.other_hromada_submit)}</p>
                                }.into_any(),
                                (Auth::SignedIn(_), None) if c.phase != Phase::Submission => view! {
                                    <p class="card">{t!(i18n, budget.submission_closed)}</p>
                                }.into_any(),
                                (Auth::SignedIn(_), None) => view! { <ProjectForm cycle=c.clone() editing=None sent /> }.into_any(),
                            }}
                        }
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn Submitted(p: Project) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card card-ok" role="status">
            <h2>{t!(i18n, budget.submitted)}</h2>
            <p>{t!(i18n, budget.submitted_hint)}</p>
            <p class="actions">
                <A href=Page::BudgetProject(p.summary.id.clone()).path() attr:class="button">{t!(i18n, budget.open_project)}</A>
                <A href=format!("{}?mine=true", Page::BudgetCycle(p.summary.cycle_id.clone()).path()) attr:class="button button-secondary">{t!(i18n, budget.my_projects)}</A>
            </p>
        </section>
    }
}

/// `/projects/{id}/edit`: the author changes a project in review; it goes back to review.
#[component]
pub fn EditProject() -> impl IntoView {
    let i18n = use_i18n();
    let data = super::project_from_route();
    let sent = RwSignal::new(None::<Project>);
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(p) = sent.get() {
            navigate(
                &Page::BudgetProject(p.summary.id).path(),
                Default::default(),
            );
        }
    });
    view! {
        <PageHeading text=move || t_string!(i18n, budget.edit_title).to_string() />
        <Transition fallback=Loading>
            <ErrorBoundary fallback=move |errors| view! { <ErrorView errors retry=move |_| data.refetch() /> }>
                {move || Suspend::new(async move {
                    data.await.map(|(p, c)| {
                        if !p.summary.mine {
                            return view! { <p class="card">{t!(i18n, budget.not_yours)}</p> }.into_any();
                        }
                        view! {
                            {p.review_note.clone().map(|n| view! {
                                <section class="card card-warn" aria-labelledby="asked-h">
                                    <h2 id="asked-h">{t!(i18n, budget.changes_asked)}</h2>
                                    <p class="appeal-text">{n}</p>
                                </section>
                            })}
                            <ProjectForm cycle=c editing=Some(p) sent />
                        }
                        .into_any()
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// The form of a project: new (`editing` is `None`) or a change by its author.
#[component]
fn ProjectForm(
    cycle: Cycle,
    editing: Option<Project>,
    sent: RwSignal<Option<Project>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let form = FormState::new();
    let cycle_id = cycle.id.clone();
    let creating = editing.is_none();
    let initial = match &editing {
        Some(p) => Draft::of(p),
        None => load::<Draft>(&draft_key(&cycle_id)).unwrap_or_else(Draft::blank),
    };
    let title = RwSignal::new(initial.title.clone());
    let category = RwSignal::new(initial.category.clone());
    let address = RwSignal::new(initial.address.clone());
    let description = RwSignal::new(initial.description.clone());
    let lines = RwSignal::new(initial.lines.clone());
    let key = RwSignal::new(initial.key.clone());
    let photos = Photos::new(Limits {
        field: "images",
        max: budget::IMAGES_MAX,
        max_bytes: budget::IMAGE_BYTES_MAX,
    });
    let current = move || Draft {
        title: title.get(),
        category: category.get(),
        address: address.get(),
        description: description.get(),
        lines: lines.get(),
        key: key.get(),
    };
    // A new project's draft is kept as it is typed.
    if creating {
        let k = draft_key(&cycle_id);
        Effect::new(move |_| {
            let d = current();
            store(&k, (!d.is_blank()).then_some(&d));
        });
    }
    // Rows are redrawn only when their number changes, never while one is typed in.
    let line_count = Memo::new(move |_| lines.with(Vec::len));
    let total = Memo::new(move |_| budget::lines_total(&current().cost_lines()));
    let add_line = move |_| {
        lines.update(|l| l.push((String::new(), String::new())));
        request_animation_frame(move || {
            let n = lines.with_untracked(Vec::len);
            focus(&format!("f-line-{}-item", n.saturating_sub(1)));
        });
    };
    let remove_line = move |i: usize| {
        lines.update(|l| {
            if i < l.len() {
                l.remove(i);
            }
        });
    };
    let editing_id = editing.as_ref().map(|p| p.summary.id.clone());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = current();
        let request = draft.to_request();
        photos.error.set(None);
        let mut problems = budget::validate_project(&request);
        problems.extend(photos.problem());
        if !form.begin(problems) {
            return;
        }
        let (api, cycle_id, editing_id) = (api.clone(), cycle_id.clone(), editing_id.clone());
        let files = photos.files();
        spawn_local(async move {
            let result = match &editing_id {
                Some(id) => api.update_budget_project(id, &request).await,
                None => {
                    api.create_budget_project(&cycle_id, &request, &files, &draft.key)
                        .await
                }
            };
            match result {
                Ok(p) => {
                    form.succeed(None);
                    if editing_id.is_none() {
                        store::<Draft>(&draft_key(&cycle_id), None);
                        photos.clear();
                    }
                    sent.set(Some(p));
                    crate::components::layout::focus_main_heading();
                }
                Err(e) => {
                    // Refused input created nothing: a corrected project gets a new key.
                    if matches!(e, ApiError::Invalid(_)) && editing_id.is_none() {
                        key.set(new_idempotency_key());
                    }
                    photos.show_refusal(e.field_errors());
                    if matches!(e, ApiError::Network) && editing_id.is_none() {
                        form.fail_with(t_string!(i18n, budget.offline_kept).to_string());
                    } else {
                        form.fail(i18n, &e);
                    }
                }
            }
        });
    };
    let error_of = move |field: String| move || form.error_of(&field).map(|c| code_text(i18n, c));
    let description_hint = move || {
        let n = description.get().trim().chars().count();
        t_string!(
            i18n,
            budget.description_hint,
            count = n,
            max = budget::DESCRIPTION_MAX
        )
        .to_string()
    };
    view! {
        <p class="hint">{t!(i18n, budget.form_hint)}</p>
        <form class="form" on:submit=submit novalidate>
            <FormMessages form />
            <TextField form name="title" value=title>{t!(i18n, budget.title_field)}</TextField>
            <div class="field" class:field-invalid=move || form.error_of("category").is_some()>
                <label for="f-category">{t!(i18n, budget.category)}</label>
                <select id="f-category" name="category"
                    aria-invalid=move || form.error_of("category").is_some().to_string()
                    aria-describedby="f-category-error"
                    on:change=move |ev| category.set(event_target_value(&ev))>
                    <option value="" selected=move || category.get().is_empty()>{t!(i18n, budget.choose_category)}</option>
                    {ProjectCategory::ALL.into_iter().map(|c| view! {
                        <option value=c.code() selected=move || category.get() == c.code()>{move || category_label(i18n, c)}</option>
                    }).collect_view()}
                </select>
                <p class="field-error" id="f-category-error" aria-live="polite">{error_of("category".into())}</p>
            </div>
            <TextField form name="address" value=address autocomplete="street-address"
                hint=Signal::derive(move || t_string!(i18n, budget.address_hint).to_string())>{t!(i18n, budget.address)}</TextField>
            <TextField form name="description" value=description multiline=true hint=Signal::derive(description_hint)>{t!(i18n, budget.description)}</TextField>
            <fieldset class="field cost-lines" class:field-invalid=move || form.error_of("cost_lines").is_some() || form.error_of("total").is_some()>
                <legend>{t!(i18n, budget.estimate)}</legend>
                <p class="hint" id="f-lines-hint">{t!(i18n, budget.estimate_hint)}</p>
                <ol class="lines">
                    {move || (0..line_count.get()).map(|i| {
                        let item_field = format!("cost_lines[{i}].item");
                        let amount_field = format!("cost_lines[{i}].amount");
                        let (f1, f2) = (item_field.clone(), amount_field.clone());
                        let (f3, f4) = (item_field.clone(), amount_field.clone());
                        let item_id = format!("f-line-{i}-item");
                        let amount_id = format!("f-line-{i}-amount");
                        view! {
                            <li class="line">
                                <div class="field" class:field-invalid=move || form.error_of(&f1).is_some()>
                                    <label for=item_id.clone()>{move || t_string!(i18n, budget.item_n, n = i + 1).to_string()}</label>
                                    <input id=item_id.clone() type="text"
                                        aria-invalid=move || form.error_of(&f3).is_some().to_string()
                                        aria-describedby=format!("{item_id}-error")
                                        prop:value=move || lines.with(|l| l.get(i).map(|x| x.0.clone()).unwrap_or_default())
                                        on:input=move |ev| lines.update(|l| if let Some(x) = l.get_mut(i) { x.0 = event_target_value(&ev) }) />
                                    <p class="field-error" id=format!("{item_id}-error") aria-live="polite">{error_of(item_field)}</p>
                                </div>
                                <div class="field field-amount" class:field-invalid=move || form.error_of(&f2).is_some()>
                                    <label for=amount_id.clone()>{t!(i18n, budget.amount_uah)}</label>
                                    <input id=amount_id.clone() type="text" inputmode="numeric" autocomplete="off"
                                        aria-invalid=move || form.error_of(&f4).is_some().to_string()
                                        aria-describedby=format!("{amount_id}-error")
                                        prop:value=move || lines.with(|l| l.get(i).map(|x| x.1.clone()).unwrap_or_default())
                                        on:input=move |ev| lines.update(|l| if let Some(x) = l.get_mut(i) { x.1 = event_target_value(&ev) }) />
                                    <p class="field-error" id=format!("{amount_id}-error") aria-live="polite">{move || form.error_of(&amount_field).map(|c| amount_error(i18n, c))}</p>
                                </div>
                                <button type="button" class="button button-secondary button-small"
                                    aria-label=move || t_string!(i18n, budget.remove_line_n, n = i + 1).to_string()
                                    disabled=move || lines.with(Vec::len) <= 1
                                    on:click=move |_| remove_line(i)>{t!(i18n, budget.remove_line)}</button>
                            </li>
                        }
                    }).collect_view()}
                </ol>
                <Show when=move || lines.with(Vec::len) < budget::COST_LINES_MAX>
                    <button type="button" class="button button-secondary" on:click=add_line>{t!(i18n, budget.add_line)}</button>
                </Show>
                <p class="lines-total" aria-live="polite">{t!(i18n, budget.lines_total)}": "<strong>{move || hryvnias(total.get())}</strong></p>
                <p class="field-error" aria-live="polite">{move || form.error_of("cost_lines").or(form.error_of("total")).map(|c| code_text(i18n, c))}</p>
            </fieldset>
            {creating.then(|| view! {
                <PhotoPicker photos form
                    legend=Signal::derive(move || t_string!(i18n, budget.images).to_string())
                    hint=Signal::derive(move || t_string!(i18n, budget.images_hint).to_string()) />
            })}
            <div class="actions">
                <button type="submit" class="button" disabled=move || form.pending.get()>
                    {move || match (form.pending.get(), creating) {
                        (true, _) => t_string!(i18n, budget.sending),
                        (false, true) => t_string!(i18n, budget.submit),
                        (false, false) => t_string!(i18n, budget.resubmit),
                    }}
                </button>
            </div>
        </form>
    }
}

fn focus(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hromada_api::ErrorCode;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn the_total_is_computed_from_the_lines_as_typed() {
        let d = Draft {
            title: " Сквер ".into(),
            lines: vec![
                ("Лавки".into(), "60 000".into()),
                ("Освітлення".into(), "140000".into()),
            ],
            ..Default::default()
        };
        let r = d.to_request();
        assert_eq!(r.title, "Сквер");
        assert_eq!(r.total, 200_000);
        assert_eq!(r.cost_lines[0].amount, 60_000);
    }

    #[wasm_bindgen_test]
    fn unreadable_and_negative_amounts_are_refused_beside_their_line() {
        let d = Draft {
            title: "Сквер біля школи".into(),
            category: "environment".into(),
            address: "вул. Шкільна, 3".into(),
            description: "Лавки, освітлення і доріжки для дітей та батьків біля школи № 3.".into(),
            lines: vec![
                ("Лавки".into(), "шістдесят".into()),
                ("Освітлення".into(), "-140 000".into()),
            ],
            key: String::new(),
        };
        let fields: Vec<(String, ErrorCode)> = budget::validate_project(&d.to_request())
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect();
        assert_eq!(
            fields,
            [
                ("cost_lines[0].amount".to_owned(), ErrorCode::Invalid),
                ("cost_lines[1].amount".to_owned(), ErrorCode::Invalid),
            ]
        );
    }

    #[wasm_bindgen_test]
    fn a_blank_form_is_not_a_draft() {
        assert!(Draft::blank().is_blank());
        let mut d = Draft::blank();
        d.lines[0].1 = "5".into();
        assert!(!d.is_blank());
    }
}
