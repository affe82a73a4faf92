//! The staff's side of polls: the list with drafts, the editor (questions of four kinds),
//! the preview that a draft's own page is, publishing, and the CSV of the results.

use crate::api::{PollState, new_idempotency_key, use_api};
use crate::components::form::{FormMessages, FormState, TextField, code_text};
use crate::components::layout::PageHeading;
use crate::components::more::{MoreButton, MorePages, PagedCards};
use crate::components::states::{ErrorView, Loading};
use crate::format::{local_input_in_hours, local_input_to_utc, utc_to_local_input};
use crate::i18n::*;
use crate::pages::polls::PollCard;
use crate::routes::Page;
use hromada_api::polls::{
    self, Audience, OPTIONS_RANGE, Poll, PollDraft, PollKind, PollStatus, QUESTIONS_MAX, Question,
    QuestionKind, ResultsShown,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

/// A question as the editor holds it: every kind's fields at once, so switching the kind
/// loses nothing typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionForm {
    pub title: String,
    pub required: bool,
    /// `single`, `multiple`, `scale` or `text`.
    pub kind: String,
    pub options: Vec<String>,
    pub max: String,
}

impl Default for QuestionForm {
    fn default() -> Self {
        Self {
            title: String::new(),
            required: true,
            kind: "single".into(),
            options: vec![String::new(), String::new()],
            max: "2".into(),
        }
    }
}

impl QuestionForm {
    /// The form of a question.
    pub fn of(q: &Question) -> Self {
        let (kind, options, max) = match &q.kind {
            QuestionKind::Single { options } => ("single", options.clone(), 2),
            QuestionKind::Multiple { options, max } => ("multiple", options.clone(), *max),
            QuestionKind::Scale => ("scale", vec![String::new(), String::new()], 2),
            QuestionKind::Text => ("text", vec![String::new(), String::new()], 2),
        };
        Self {
            title: q.title.clone(),
            required: q.required,
            kind: kind.into(),
            options,
            max: max.to_string(),
        }
    }

    /// The question as the contract has it; a maximum that cannot be read is 0, which the
    /// checks refuse.
    pub fn to_question(&self) -> Question {
        let options = || self.options.iter().map(|o| o.trim().to_owned()).collect();
        let kind = match self.kind.as_str() {
            "multiple" => QuestionKind::Multiple {
                options: options(),
                max: self.max.trim().parse().unwrap_or(0),
            },
            "scale" => QuestionKind::Scale,
            "text" => QuestionKind::Text,
            _ => QuestionKind::Single { options: options() },
        };
        Question {
            title: self.title.trim().to_owned(),
            required: self.required,
            kind,
        }
    }
}

/// `/h/{katottg}/staff/polls`: drafts, active and past polls.
#[component]
pub fn StaffPolls() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let katottg = Memo::new(move |_| params.read().get("katottg").unwrap_or_default());
    Effect::new(move |_| crate::state::remember_hromada(katottg.get()));
    view! {
        <PageHeading text=move || t_string!(i18n, polls.staff_title).to_string() />
        <p class="actions">
            <A href=move || Page::PollNew(katottg.get()).path() attr:class="button">{t!(i18n, polls.create)}</A>
            <A href=move || Page::Polls(katottg.get()).path() attr:class="button button-secondary">{t!(i18n, polls.title)}</A>
            <A href=move || Page::Staff(katottg.get()).path() attr:class="button button-secondary">{t!(i18n, staff.back_to_desk)}</A>
        </p>
        {[PollState::Draft, PollState::Active, PollState::Past].into_iter().map(|s| {
            let heading = match s {
                PollState::Draft => t_string!(i18n, polls.drafts).to_string(),
                PollState::Active => t_string!(i18n, polls.active).to_string(),
                PollState::Past => t_string!(i18n, polls.past).to_string(),
            };
            view! {
                <section aria-labelledby=format!("polls-{}-h", s.code())>
                    <h2 id=format!("polls-{}-h", s.code())>{heading}</h2>
                    <StaffList katottg=katottg.get() state=s />
                </section>
            }
        }).collect_view()}
    }
}

#[component]
fn StaffList(katottg: String, state: PollState) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let first = {
        let (api, k) = (api.clone(), katottg.clone());
        LocalResource::new(move || {
            let (api, k) = (api.clone(), k.clone());
            async move { api.polls(&k, state, None).await }
        })
    };
    let more = MorePages::after(first);
    let load_more = move |_| {
        let (api, k) = (api.clone(), katottg.clone());
        more.load(move |c| async move { api.polls(&k, state, Some(&c)).await });
    };
    view! {
        <PagedCards first more empty=move || t_string!(i18n, polls.none).to_string()
            row=|p| view! { <PollCard p /> }.into_any() />
        <MoreButton pages=more on_click=load_more />
    }
}

/// `/h/{katottg}/staff/polls/new`.
#[component]
pub fn PollNew() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let katottg = Memo::new(move |_| params.read().get("katottg").unwrap_or_default());
    view! {
        <PageHeading text=move || t_string!(i18n, polls.create).to_string() />
        {move || view! { <PollEditor katottg=katottg.get() poll=None /> }}
    }
}

/// `/polls/{id}/edit`.
#[component]
pub fn PollEdit() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let poll = LocalResource::new(move || {
        let (api, id) = (api.clone(), id.get());
        async move { api.poll(&id).await }
    });
    view! {
        <PageHeading text=move || t_string!(i18n, polls.edit).to_string() />
        <Transition fallback=Loading>
            <ErrorBoundary fallback=move |errors| view! { <ErrorView errors retry=move |_| poll.refetch() /> }>
                {move || Suspend::new(async move {
                    poll.await.map(|p| view! { <PollEditor katottg=p.katottg.clone() poll=Some(p) /> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn PollEditor(katottg: String, poll: Option<Poll>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let navigate = use_navigate();
    let form = FormState::new();
    let p = poll.as_ref();
    let kind = RwSignal::new(p.map_or(PollKind::Poll, |p| p.kind));
    let title = RwSignal::new(p.map_or(String::new(), |p| p.title.clone()));
    let intro = RwSignal::new(p.map_or(String::new(), |p| p.intro.clone()));
    let audience = RwSignal::new(p.map_or(Audience::SignedIn, |p| p.audience));
    let shown = RwSignal::new(p.map_or(ResultsShown::AfterAnswer, |p| p.results_shown));
    let opens = RwSignal::new(p.map_or_else(
        || local_input_in_hours(0.0),
        |p| utc_to_local_input(&p.opens_at),
    ));
    let closes = RwSignal::new(p.map_or_else(
        || local_input_in_hours(24.0 * 14.0),
        |p| utc_to_local_input(&p.closes_at),
    ));
    let questions = RwSignal::new(p.map_or_else(
        || vec![QuestionForm::default()],
        |p| p.questions.iter().map(QuestionForm::of).collect(),
    ));
    // Editors are redrawn only when the number of questions changes, never while typing.
    let question_count = Memo::new(move |_| questions.with(Vec::len));
    // Once anyone has answered, the questions stay as they were.
    let locked = p.is_some_and(|p| p.responses > 0);
    let key = StoredValue::new(new_idempotency_key());
    let poll_id = p.map(|p| p.id.clone());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = PollDraft {
            kind: kind.get_untracked(),
            title: title.get_untracked().trim().to_owned(),
            intro: intro.get_untracked().trim().to_owned(),
            questions: questions
                .with_untracked(|q| q.iter().map(QuestionForm::to_question).collect()),
            audience: audience.get_untracked(),
            results_shown: shown.get_untracked(),
            opens_at: local_input_to_utc(&opens.get_untracked()).unwrap_or_default(),
            closes_at: local_input_to_utc(&closes.get_untracked()).unwrap_or_default(),
        };
        if !form.begin(polls::validate_draft(&draft)) {
            return;
        }
        let (api, k, id, navigate) = (
            api.clone(),
            katottg.clone(),
            poll_id.clone(),
            navigate.clone(),
        );
        spawn_local(async move {
            let result = match &id {
                Some(id) => api.update_poll(id, &draft).await,
                None => api.create_poll(&k, &draft, &key.get_value()).await,
            };
            match result {
                Ok(p) => {
                    form.succeed(None);
                    navigate(&Page::Poll(p.id).path(), Default::default());
                }
                Err(e) => form.fail(i18n, &e),
            }
        });
    };
    let error = move |field: String| move || form.error_of(&field).map(|c| code_text(i18n, c));
    let radio = move |name: &'static str,
                      id: &'static str,
                      checked: Signal<bool>,
                      set: Callback<()>,
                      label: String| {
        view! {
            <label class="choice" for=id>
                <input type="radio" id=id name=name prop:checked=move || checked.get() on:change=move |_| set.run(()) />
                <span>{label}</span>
            </label>
        }
    };
    view! {
        {locked.then(|| view! { <p class="alert alert-error" role="status">{t!(i18n, polls.locked)}</p> })}
        <form class="form poll-editor" on:submit=submit novalidate>
            <FormMessages form />
            <fieldset class="field">
                <legend>{t!(i18n, polls.kind)}</legend>
                {radio("kind", "f-kind-poll", Signal::derive(move || kind.get() == PollKind::Poll), Callback::new(move |_| kind.set(PollKind::Poll)), t_string!(i18n, polls.kind_poll).to_string())}
                {radio("kind", "f-kind-survey", Signal::derive(move || kind.get() == PollKind::Survey), Callback::new(move |_| kind.set(PollKind::Survey)), t_string!(i18n, polls.kind_survey).to_string())}
            </fieldset>
            <TextField form name="title" value=title>{t!(i18n, polls.title_field)}</TextField>
            <TextField form name="intro" value=intro multiline=true>{t!(i18n, polls.intro)}</TextField>
            <fieldset class="field" disabled=locked>
                <legend>{t!(i18n, polls.questions)}</legend>
                <p class="field-error" aria-live="polite">{error("questions".into())}</p>
                <ol class="question-editors">
                    {move || (0..question_count.get()).map(|i| view! { <QuestionEditor i questions form /> }).collect_view()}
                </ol>
                <Show when=move || questions.with(Vec::len) < QUESTIONS_MAX>
                    <button type="button" class="button button-secondary" on:click=move |_| questions.update(|q| q.push(QuestionForm::default()))>
                        {t!(i18n, polls.add_question)}
                    </button>
                </Show>
            </fieldset>
            <fieldset class="field">
                <legend>{t!(i18n, polls.who)}</legend>
                {radio("audience", "f-audience-signed-in", Signal::derive(move || audience.get() == Audience::SignedIn), Callback::new(move |_| audience.set(Audience::SignedIn)), t_string!(i18n, polls.audience_signed_in).to_string())}
                {radio("audience", "f-audience-verified", Signal::derive(move || audience.get() == Audience::Verified), Callback::new(move |_| audience.set(Audience::Verified)), t_string!(i18n, polls.audience_verified).to_string())}
            </fieldset>
            <fieldset class="field">
                <legend>{t!(i18n, polls.when_results)}</legend>
                {radio("shown", "f-shown-always", Signal::derive(move || shown.get() == ResultsShown::Always), Callback::new(move |_| shown.set(ResultsShown::Always)), t_string!(i18n, polls.shown_always).to_string())}
                {radio("shown", "f-shown-after-answer", Signal::derive(move || shown.get() == ResultsShown::AfterAnswer), Callback::new(move |_| shown.set(ResultsShown::AfterAnswer)), t_string!(i18n, polls.shown_after_answer).to_string())}
                {radio("shown", "f-shown-after-close", Signal::derive(move || shown.get() == ResultsShown::AfterClose), Callback::new(move |_| shown.set(ResultsShown::AfterClose)), t_string!(i18n, polls.shown_after_close).to_string())}
            </fieldset>
            <TextField form name="opens_at" value=opens kind="datetime-local">{t!(i18n, polls.opens_field)}</TextField>
            <TextField form name="closes_at" value=closes kind="datetime-local">{t!(i18n, polls.closes_field)}</TextField>
            <p class="hint">{t!(i18n, polls.save_hint)}</p>
            <button type="submit" class="button" disabled=move || form.pending.get()>{t!(i18n, polls.save_preview)}</button>
        </form>
    }
}

/// One question in the editor.
#[component]
fn QuestionEditor(
    i: usize,
    questions: RwSignal<Vec<QuestionForm>>,
    form: FormState,
) -> impl IntoView {
    let i18n = use_i18n();
    let get = move || questions.with(|q| q.get(i).cloned().unwrap_or_default());
    let edit = move |f: &dyn Fn(&mut QuestionForm)| {
        questions.update(|q| {
            if let Some(x) = q.get_mut(i) {
                f(x);
            }
        })
    };
    let err = move |suffix: &str| {
        let f = format!("questions[{i}].{suffix}");
        move || form.error_of(&f).map(|c| code_text(i18n, c))
    };
    let option_count =
        Memo::new(move |_| questions.with(|q| q.get(i).map_or(0, |x| x.options.len())));
    let choice = move || matches!(get().kind.as_str(), "single" | "multiple");
    view! {
        <li class="card question-editor">
            <div class="field">
                <label for=format!("f-q-{i}-title")>{move || t_string!(i18n, polls.question_n, n = i + 1).to_string()}</label>
                <input id=format!("f-q-{i}-title") type="text" prop:value=move || get().title
                    on:input=move |ev| { let v = event_target_value(&ev); edit(&|q| q.title = v.clone()) } />
                <p class="field-error" aria-live="polite">{err("title")}</p>
            </div>
            <div class="field">
                <label for=format!("f-q-{i}-kind")>{t!(i18n, polls.question_kind)}</label>
                <select id=format!("f-q-{i}-kind") on:change=move |ev| { let v = event_target_value(&ev); edit(&|q| q.kind = v.clone()) }>
                    {[("single", t_string!(i18n, polls.q_single)), ("multiple", t_string!(i18n, polls.q_multiple)), ("scale", t_string!(i18n, polls.q_scale)), ("text", t_string!(i18n, polls.q_text))]
                        .into_iter().map(|(v, l)| view! { <option value=v selected=move || get().kind == v>{l.to_string()}</option> }).collect_view()}
                </select>
            </div>
            <label class="choice" for=format!("f-q-{i}-required")>
                <input type="checkbox" id=format!("f-q-{i}-required") prop:checked=move || get().required
                    on:change=move |ev| { let v = event_target_checked(&ev); edit(&|q| q.required = v) } />
                <span>{t!(i18n, polls.required_field)}</span>
            </label>
            <Show when=choice>
                <ol class="lines">
                    {move || (0..option_count.get()).map(|j| view! {
                        <li class="line">
                            <div class="field">
                                <label for=format!("f-q-{i}-o-{j}")>{move || t_string!(i18n, polls.option_n, n = j + 1).to_string()}</label>
                                <input id=format!("f-q-{i}-o-{j}") type="text" prop:value=move || get().options.get(j).cloned().unwrap_or_default()
                                    on:input=move |ev| { let v = event_target_value(&ev); edit(&|q| if let Some(o) = q.options.get_mut(j) { *o = v.clone() }) } />
                                <p class="field-error" aria-live="polite">{err(&format!("options[{j}]"))}</p>
                            </div>
                            <button type="button" class="button button-secondary button-small"
                                disabled=move || get().options.len() <= OPTIONS_RANGE.0
                                on:click=move |_| edit(&|q| { if j < q.options.len() { q.options.remove(j); } })>{t!(i18n, budget.remove_line)}</button>
                        </li>
                    }).collect_view()}
                </ol>
                <p class="field-error" aria-live="polite">{err("options")}</p>
                <Show when=move || get().options.len() < OPTIONS_RANGE.1>
                    <button type="button" class="button button-secondary" on:click=move |_| edit(&|q| q.options.push(String::new()))>{t!(i18n, polls.add_option)}</button>
                </Show>
            </Show>
            <Show when=move || get().kind == "multiple">
                <div class="field">
                    <label for=format!("f-q-{i}-max")>{t!(i18n, polls.max_choices)}</label>
                    <input id=format!("f-q-{i}-max") type="number" min="1" max="10" prop:value=move || get().max
                        on:input=move |ev| { let v = event_target_value(&ev); edit(&|q| q.max = v.clone()) } />
                    <p class="field-error" aria-live="polite">{err("max")}</p>
                </div>
            </Show>
            <p class="actions">
                <button type="button" class="button button-secondary button-small" disabled=move || i == 0
                    on:click=move |_| questions.update(|q| q.swap(i, i - 1))>{t!(i18n, polls.move_up)}</button>
                <button type="button" class="button button-secondary button-small" disabled=move || questions.with(Vec::len) <= 1
                    on:click=move |_| questions.update(|q| { if i < q.len() { q.remove(i); } })>{t!(i18n, polls.remove_question)}</button>
            </p>
        </li>
    }
}

/// On a poll's page, for staff: the preview banner, edit, publish, delete, the CSV.
#[component]
pub fn PollStaffPanel(p: Poll, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let navigate = use_navigate();
    let form = FormState::new();
    let draft = p.status == PollStatus::Draft;
    let id = p.id.clone();
    let publish = {
        let (api, id) = (api.clone(), id.clone());
        move |_| {
            form.begin(vec![]);
            let (api, id) = (api.clone(), id.clone());
            spawn_local(async move {
                match api.publish_poll(&id).await {
                    Ok(_) => {
                        form.succeed(None);
                        changed.run(());
                    }
                    Err(e) => form.fail(i18n, &e),
                }
            });
        }
    };
    let delete = {
        let (api, id, k) = (api.clone(), id.clone(), p.katottg.clone());
        move |_| {
            form.begin(vec![]);
            let (api, id, k, navigate) = (api.clone(), id.clone(), k.clone(), navigate.clone());
            spawn_local(async move {
                match api.delete_poll(&id).await {
                    Ok(()) => navigate(&Page::StaffPolls(k).path(), Default::default()),
                    Err(e) => form.fail(i18n, &e),
                }
            });
        }
    };
    let csv = api.poll_results_csv_url(&p.id);
    view! {
        <section class="card staff-panel" aria-labelledby="pollstaff-h">
            <h2 id="pollstaff-h">{t!(i18n, polls.staff_steps)}</h2>
            {draft.then(|| view! { <p class="alert alert-ok" id="preview-banner">{t!(i18n, polls.preview_banner)}</p> })}
            <FormMessages form />
            <p class="actions">
                <A href=Page::PollEdit(p.id.clone()).path() attr:class="button button-secondary">{t!(i18n, polls.edit)}</A>
                {draft.then(|| view! {
                    <button type="button" class="button" id="publish" on:click=publish.clone() disabled=move || form.pending.get()>{t!(i18n, polls.publish)}</button>
                    <button type="button" class="button button-secondary" on:click=delete.clone() disabled=move || form.pending.get()>{t!(i18n, polls.delete)}</button>
                })}
                {(!draft).then(|| view! { <a class="button button-secondary" href=csv.clone() download="">{t!(i18n, budget.export_csv)}</a> })}
            </p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn questions_round_trip_through_the_editor() {
        let q = Question {
            title: "Що має бути в сквері?".into(),
            required: false,
            kind: QuestionKind::Multiple {
                options: vec!["Лавки".into(), "Освітлення".into(), "Wi-Fi".into()],
                max: 2,
            },
        };
        assert_eq!(QuestionForm::of(&q).to_question(), q);
        let mut f = QuestionForm::of(&q);
        f.kind = "scale".into();
        assert_eq!(f.to_question().kind, QuestionKind::Scale);
        f.kind = "multiple".into();
        f.max = "два".into();
        assert_eq!(
            f.to_question().kind,
            QuestionKind::Multiple {
                options: vec!["Лавки".into(), "Освітлення".into(), "Wi-Fi".into()],
                max: 0
            },
            "the options survive a change of kind; an unreadable maximum is refused later"
        );
    }
}
